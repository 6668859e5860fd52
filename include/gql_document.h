/* Licensed under the Apache License, Version 2.0 (the "License"); you may
 * not use this file except in compliance with the License.  You may obtain
 * a copy of the License at http://www.apache.org/licenses/LICENSE-2.0
 */

/*
 * gql_document.h: a request's document, prepared once, and the operation
 * that a request selects from it.
 *
 *   gql_document_prepare()  parse, validate (gql_validate.h), index the
 *                           fragments and cost the operations whose cost
 *                           no variable changes (gql_cost.h): everything
 *                           that depends only on the text, the schema and
 *                           the validation options
 *   gql_document_select()   the operation a request names, with the
 *                           request's variable values; cheap, per request
 *
 * A prepared document is read-only once gql_document_prepare() returns:
 * selection and execution (gql_execute.h) only read it, nothing in it is
 * written while a request runs, so one prepared document may serve many
 * requests, from several threads at once, for as long as its pool and
 * the schema live.  The same text prepared against the same schema with
 * the same options always gives the same document or the same errors.
 */

#ifndef GQL_DOCUMENT_H
#define GQL_DOCUMENT_H

#include <apr_hash.h>
#include <apr_pools.h>
#include <json-c/json.h>
#include "gql_ast.h"
#include "gql_schema.h"
#include "gql_validate.h"

/* A parsed, validated executable document. */
typedef struct gql_prepared_t {
    const gql_schema_t *schema;         /* what it was validated against */
    const gql_document_t *doc;          /* its syntax tree */
    apr_hash_t *fragments;              /* name -> const gql_definition_t *;
                                         * read with gql_document_fragment()
                                         * only (an apr_hash_first() with no
                                         * pool would write it) */
    /* With opts->cost: the cost under that model and opts->list_size of
     * each operation whose cost does not depend on its variables
     * (gql_cost_fixed()), by its index in doc->definitions, -1 for the
     * others; NULL without a model. */
    const apr_int64_t *costs;
    const struct gql_cost_model_t *cost;    /* opts->cost */
    apr_int64_t list_size;                  /* opts->list_size */
} gql_prepared_t;

/* An operation of a prepared document, as one request selected it. */
typedef struct gql_operation_t {
    const gql_prepared_t *doc;
    const gql_definition_t *def;        /* an operation definition */
    json_object *variables;             /* the request's values as sent
                                         * (an object, or NULL for none);
                                         * the executor coerces them */
    apr_int64_t cost;                   /* under doc->cost and
                                         * doc->list_size whatever the
                                         * variables, or -1 (not known) */
} gql_operation_t;

/*
 * Parse text[0..len) (need not be NUL-terminated) and validate it against
 * schema with opts (NULL: introspection allowed, no depth or token
 * limit; past opts->max_tokens the one error is gql_parse_limited()'s).
 * Returns the prepared document, allocated in p, which it only reads
 * from then on; or NULL when the text does not parse (one error) or is
 * not valid (every error validation finds), with the errors appended to
 * errors.  Validation's scratch memory and the errors come from ptemp,
 * which may be p: a caller that keeps documents across requests prepares
 * each into a pool of its own and gives ptemp the request's, so that a
 * document that fails can be dropped with its pool and its errors still
 * be reported.  The schema must outlive the document.
 */
const gql_prepared_t *gql_document_prepare(apr_pool_t *p, apr_pool_t *ptemp,
                                           const gql_schema_t *schema,
                                           const char *text, apr_size_t len,
                                           const gql_validate_opts_t *opts,
                                           apr_array_header_t *errors);

/*
 * The operation that name names (NULL: the document's only one), with
 * the request's variable values (not copied: they must live as long as
 * the operation), allocated in p, as graphql-js selects it: NULL with an
 * error (no location) appended to errors, allocated in p, when there is
 * no such operation ("Unknown operation named ..."), when name is NULL
 * and there are several ("Must provide operation name if query contains
 * multiple operations.") or none ("Must provide an operation.").
 */
gql_operation_t *gql_document_select(apr_pool_t *p, const gql_prepared_t *doc,
                                     const char *name, json_object *variables,
                                     apr_array_header_t *errors);

/* The fragment definition named name, or NULL when there is none. */
const gql_definition_t *gql_document_fragment(const gql_prepared_t *doc,
                                              const char *name);

#endif /* GQL_DOCUMENT_H */
