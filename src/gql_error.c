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

apr_size_t gql_error_cut(const char *s, apr_size_t len, apr_size_t chars)
{
    apr_size_t i;

    for (i = 0; i < len; i++) {
        if (((unsigned char)s[i] & 0xC0) != 0x80 && chars-- == 0) {
            break;
        }
    }
    return i;
}

/* The last resort of the bound on what a message echoes: *len bytes of
 * text, cut to GQL_ERROR_MAX_MESSAGE at a character boundary. */
static const char *capped(apr_pool_t *p, const char *text, apr_size_t *len)
{
    apr_size_t n = GQL_ERROR_MAX_MESSAGE - 3;
    char *out;

    if (*len <= GQL_ERROR_MAX_MESSAGE) {
        return text;
    }
    while (n > 0 && ((unsigned char)text[n] & 0xC0) == 0x80) {
        n--;
    }
    out = apr_palloc(p, n + 4);
    memcpy(out, text, n);
    memcpy(out + n, "...", 4);
    *len = n + 3;
    return out;
}

gql_error_t *gql_error_add(apr_pool_t *p, apr_array_header_t *errors,
                           const gql_loc_t *loc, const char *fmt, ...)
{
    gql_error_t *e = apr_pcalloc(p, sizeof(*e));
    apr_size_t len;
    va_list ap;

    va_start(ap, fmt);
    e->message = apr_pvsprintf(p, fmt, ap);
    va_end(ap);
    len = strlen(e->message);
    e->message = capped(p, e->message, &len);
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

    text = capped(p, text, &len);
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
