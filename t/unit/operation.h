/* Licensed under the Apache License, Version 2.0 (the "License"); you may
 * not use this file except in compliance with the License.  You may obtain
 * a copy of the License at http://www.apache.org/licenses/LICENSE-2.0
 */

/*
 * operation.h: a schema from SDL, and a query text to the operation to
 * execute, as the glue gets it (gql_document.h), for the tests and the
 * fuzzer that execute.
 * Header-only like tap.h.
 */

#ifndef OPERATION_H
#define OPERATION_H

#include <stdio.h>
#include <string.h>
#include "gql_document.h"
#include "gql_execute.h"
#include "gql_parser.h"

/* The schema of sdl (no vocabulary), built in p; NULL when it does not
 * parse or build, with the first error as a TAP diagnostic. */
static APR_INLINE gql_schema_t *schema_of(apr_pool_t *p, const char *sdl)
{
    apr_array_header_t *errors = gql_errors_make(p);
    gql_error_t *err = NULL;
    const gql_document_t *doc = gql_parse(p, sdl, strlen(sdl), "t", &err);
    gql_schema_t *s = doc ? gql_schema_build(p, p, NULL, &doc, 1, errors)
                          : NULL;

    if (s == NULL) {
        printf("# schema: %s\n", gql_error_format(p, doc ? APR_ARRAY_IDX(
                                  errors, 0, gql_error_t *) : err));
    }
    return s;
}

/*
 * Prepare query[0..len) against s with opts (NULL: the defaults) and
 * select the operation opname names (NULL: the only one) with the raw
 * variables vars (NULL: none), all in p.  Initialises *res (no data yet).
 * Returns the operation for gql_execute_run(), or NULL with res->errors
 * saying why.
 */
static APR_INLINE gql_operation_t *operation(apr_pool_t *p,
                                             const gql_schema_t *s,
                                             const char *query,
                                             apr_size_t len,
                                             const gql_validate_opts_t *opts,
                                             const char *opname,
                                             json_object *vars,
                                             gql_result_t *res)
{
    const gql_prepared_t *doc;

    res->errors = gql_errors_make(p);
    res->data = NULL;
    res->has_data = 0;
    doc = gql_document_prepare(p, p, s, query, len, opts, res->errors);
    return doc ? gql_document_select(p, doc, opname, vars, res->errors)
               : NULL;
}

#endif /* OPERATION_H */
