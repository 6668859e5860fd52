/* Licensed under the Apache License, Version 2.0 (the "License"); you may
 * not use this file except in compliance with the License.  You may obtain
 * a copy of the License at http://www.apache.org/licenses/LICENSE-2.0
 */

/*
 * gql_error.c: error values shared by every stage.
 */

#include <stdarg.h>
#include <string.h>
#include <apr_strings.h>
#include "gql_error.h"

apr_array_header_t *gql_errors_make(apr_pool_t *p)
{
    return apr_array_make(p, 4, sizeof(gql_error_t *));
}

void gql_error_add_loc(apr_pool_t *p, gql_error_t *e, const gql_loc_t *loc)
{
    if (loc == NULL || loc->line == 0) {
        return;
    }
    if (e->locations == NULL) {
        e->locations = apr_array_make(p, 1, sizeof(gql_loc_t));
    }
    APR_ARRAY_PUSH(e->locations, gql_loc_t) = *loc;
}

gql_error_t *gql_error_add(apr_pool_t *p, apr_array_header_t *errors,
                           const gql_loc_t *loc, const char *fmt, ...)
{
    gql_error_t *e = apr_pcalloc(p, sizeof(*e));
    va_list ap;

    va_start(ap, fmt);
    e->message = apr_pvsprintf(p, fmt, ap);
    va_end(ap);
    e->locations = apr_array_make(p, 1, sizeof(gql_loc_t));
    gql_error_add_loc(p, e, loc);
    APR_ARRAY_PUSH(errors, gql_error_t *) = e;
    return e;
}

gql_error_t *gql_error_add_text(apr_pool_t *p, apr_array_header_t *errors,
                                const gql_loc_t *loc, const char *text,
                                apr_size_t len)
{
    gql_error_t *e = gql_error_add(p, errors, loc, "%s", "");

    e->message = apr_pstrmemdup(p, text, len);
    e->message_len = len;
    return e;
}

apr_size_t gql_error_message_len(const gql_error_t *e)
{
    return e->message_len ? e->message_len : strlen(e->message);
}

const char *gql_error_format(apr_pool_t *p, const gql_error_t *e)
{
    const char *src = e->source ? e->source : "<document>";
    const gql_loc_t *loc;

    if (e->locations == NULL || e->locations->nelts == 0) {
        return apr_psprintf(p, "%s: %s", src, e->message);
    }
    loc = &APR_ARRAY_IDX(e->locations, 0, gql_loc_t);
    return apr_psprintf(p, "%s:%u:%u: %s", src, loc->line, loc->column,
                        e->message);
}
