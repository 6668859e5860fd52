/* Licensed under the Apache License, Version 2.0 (the "License"); you may
 * not use this file except in compliance with the License.  You may obtain
 * a copy of the License at http://www.apache.org/licenses/LICENSE-2.0
 */

/*
 * gql_json.c: json-c values tied to pools, GraphQL errors as JSON, and
 * the response text.  The only file that counts references by hand
 * (json_object_get, json_object_put): everything else follows the rule
 * of gql_json.h through the functions here.
 */

#include <string.h>
#include <apr_strings.h>
#include "gql_json.h"

#define TEXT_FLAGS (JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE)

static apr_status_t release(void *data)
{
    json_object_put(data);
    return APR_SUCCESS;
}

json_object *gql_json_own(apr_pool_t *p, json_object *o)
{
    if (o != NULL) {
        apr_pool_cleanup_register(p, o, release, apr_pool_cleanup_null);
    }
    return o;
}

json_object *gql_json_pool_value(apr_pool_t *p, const char *key,
                                 json_object *(*make)(void))
{
    void *v = NULL;

    apr_pool_userdata_get(&v, key, p);
    if (v == NULL) {
        v = gql_json_own(p, make());
        apr_pool_userdata_setn(v, key, apr_pool_cleanup_null, p);
    }
    return v;
}

json_object *gql_json_keeper(apr_pool_t *p)
{
    return gql_json_pool_value(p, "gql_json:keeper", json_object_new_array);
}

json_object *gql_json_keep(apr_pool_t *p, json_object *o)
{
    return gql_json_keep_in(o != NULL ? gql_json_keeper(p) : NULL, o);
}

json_object *gql_json_keep_in(json_object *keeper, json_object *o)
{
    if (o != NULL) {
        json_object_array_add(keeper, o);
    }
    return o;
}

json_object *gql_json_ref(json_object *o)
{
    return o != NULL ? json_object_get(o) : NULL;
}

void gql_json_drop(json_object *o)
{
    json_object_put(o);
}

const char *gql_json_text(json_object *o)
{
    return json_object_to_json_string_ext(o, TEXT_FLAGS);
}

static json_object *locations_new(const apr_array_header_t *locs)
{
    json_object *arr = json_object_new_array();
    int i;

    for (i = 0; i < locs->nelts; i++) {
        const gql_loc_t *l = &APR_ARRAY_IDX(locs, i, gql_loc_t);
        json_object *o = json_object_new_object();

        json_object_object_add(o, "line", json_object_new_int64(l->line));
        json_object_object_add(o, "column",
                               json_object_new_int64(l->column));
        json_object_array_add(arr, o);
    }
    return arr;
}

/* The path list runs from the leaf to the root; the JSON runs root first.
 * Its length is bounded by the depth the executor allows. */
static json_object *path_new(const gql_path_t *leaf)
{
    json_object *arr = json_object_new_array();
    const gql_path_t *e;
    size_t n = 0, i;

    for (e = leaf; e != NULL; e = e->prev) {
        n++;
    }
    for (i = 0; i < n; i++) {
        json_object_array_add(arr, NULL);
    }
    for (e = leaf; e != NULL; e = e->prev) {
        json_object *v = e->key ? json_object_new_string(e->key)
                                : json_object_new_int(e->index);

        json_object_array_put_idx(arr, --n, v);
    }
    return arr;
}

json_object *gql_json_error_new(const gql_error_t *e)
{
    json_object *o = json_object_new_object();

    json_object_object_add(o, "message", json_object_new_string_len(
                               e->message, (int)gql_error_message_len(e)));
    if (e->locations != NULL && e->locations->nelts > 0) {
        json_object_object_add(o, "locations", locations_new(e->locations));
    }
    if (e->path != NULL) {
        json_object_object_add(o, "path", path_new(e->path));
    }
    if (e->code != NULL) {
        json_object *ext = json_object_new_object();

        json_object_object_add(ext, "code", json_object_new_string(e->code));
        json_object_object_add(o, "extensions", ext);
    }
    return o;
}

const char *gql_json_response(apr_pool_t *p, const apr_array_header_t *errors,
                              const char *data, int has_data)
{
    const char *etext = NULL;
    const char *dtext = has_data ? (data ? data : "null") : NULL;

    if (errors != NULL && errors->nelts > 0) {
        json_object *arr = gql_json_own(p, json_object_new_array());
        int i;

        for (i = 0; i < errors->nelts; i++) {
            json_object_array_add(arr, gql_json_error_new(
                APR_ARRAY_IDX(errors, i, const gql_error_t *)));
        }
        etext = gql_json_text(arr);
    }
    if (etext && dtext) {
        return apr_pstrcat(p, "{\"errors\":", etext, ",\"data\":", dtext,
                           "}", NULL);
    }
    if (etext) {
        return apr_pstrcat(p, "{\"errors\":", etext, "}", NULL);
    }
    return apr_pstrcat(p, "{\"data\":", dtext ? dtext : "null", "}", NULL);
}

const char *gql_json_request_error(apr_pool_t *p, const char *message)
{
    apr_array_header_t *errors = gql_errors_make(p);

    gql_error_add(p, errors, NULL, "%s", message);
    return gql_json_response(p, errors, NULL, 0);
}

/* The end of the string whose opening quote is at text[i], past its
 * closing quote; *nul tells whether it holds \u0000 (or a raw NUL). */
static apr_size_t string_end(const char *text, apr_size_t len, apr_size_t i,
                             int *nul)
{
    for (i++, *nul = 0; i < len && text[i] != '"'; i++) {
        if (text[i] == '\0') {
            *nul = 1;
        }
        else if (text[i] == '\\' && i + 1 < len) {
            if (text[++i] == 'u' && i + 4 < len
                && memcmp(text + i + 1, "0000", 4) == 0) {
                *nul = 1;
            }
        }
    }
    return i + 1;
}

int gql_json_nul(const char *text, apr_size_t len)
{
    apr_size_t i = 0, j;
    int found = 0, nul;

    while (i < len) {
        if (text[i] != '"') {
            i++;
            continue;
        }
        i = string_end(text, len, i, &nul);
        for (j = i; j < len && strchr(" \t\r\n", text[j]) != NULL
                    && text[j] != '\0'; j++) {
            continue;
        }
        if (nul) {
            found |= j < len && text[j] == ':' ? GQL_JSON_NUL_NAME
                                               : GQL_JSON_NUL_VALUE;
        }
    }
    return found;
}
