/* Licensed under the Apache License, Version 2.0 (the "License"); you may
 * not use this file except in compliance with the License.  You may obtain
 * a copy of the License at http://www.apache.org/licenses/LICENSE-2.0
 */

/*
 * t/unit/gql_json.c: json-c trees tied to pools and the response writer
 * (include/gql_json.h).  Whether a pool released a value is seen through
 * json_object_put(), which returns 1 when it freed the object: the test
 * holds one reference of its own and drops it last.
 */

#include <apr_general.h>
#include <apr_strings.h>
#include "gql_json.h"
#include "tap.h"

static apr_pool_t *pool;

/* Drops the test's own reference: 1 when that was the last one. */
static int last_put(json_object *o)
{
    return json_object_put(o) == 1;
}

static void test_own(void)
{
    apr_pool_t *p;
    json_object *o = json_object_new_object(), *a = json_object_new_int(1);

    apr_pool_create(&p, pool);
    ok(gql_json_own(p, json_object_get(o)) == o, "gql_json_own returns o");
    ok(gql_json_own(p, NULL) == NULL, "gql_json_own(NULL) is NULL");
    apr_pool_destroy(p);
    ok(last_put(o), "a destroyed pool releases what it owns, once");

    apr_pool_create(&p, pool);
    gql_json_own(p, json_object_get(a));
    apr_pool_clear(p);
    ok(last_put(a), "a cleared pool releases what it owns");
    apr_pool_destroy(p);
}

static void test_keep(void)
{
    apr_pool_t *p;
    json_object *a = json_object_new_string("a"), *b = json_object_new_int(2);
    json_object *c = json_object_new_array();

    apr_pool_create(&p, pool);
    ok(gql_json_keep(p, json_object_get(a)) == a, "gql_json_keep returns o");
    gql_json_keep(p, json_object_get(b));
    ok(gql_json_keep(p, NULL) == NULL, "gql_json_keep(NULL) is NULL");
    apr_pool_clear(p);
    ok(last_put(a) && last_put(b), "a cleared pool releases every value "
       "kept in it");
    /* The keeper went with the clear: a new one, not a freed one. */
    gql_json_keep(p, json_object_get(c));
    apr_pool_destroy(p);
    ok(last_put(c), "a value kept after a clear is released with the pool");
}

static void test_pool_value(void)
{
    apr_pool_t *p;
    json_object *v, *w;

    apr_pool_create(&p, pool);
    v = gql_json_pool_value(p, "test:a", json_object_new_object);
    w = gql_json_pool_value(p, "test:b", json_object_new_object);
    ok(v != NULL && json_object_is_type(v, json_type_object)
       && gql_json_pool_value(p, "test:a", json_object_new_array) == v
       && w != v, "a pool value: made once per key, the same one after");
    json_object_get(v);
    apr_pool_clear(p);
    ok(last_put(v), "a cleared pool releases its values");
    w = gql_json_pool_value(p, "test:a", json_object_new_array);
    ok(json_object_is_type(w, json_type_array), "after a clear the key "
       "makes a new value");
    apr_pool_destroy(p);
}

static void test_ref_drop(void)
{
    apr_pool_t *p;
    json_object *o = json_object_new_object(), *a = json_object_new_array();

    apr_pool_create(&p, pool);
    gql_json_own(p, o);
    ok(gql_json_ref(o) == o, "gql_json_ref returns o");
    ok(gql_json_ref(NULL) == NULL, "gql_json_ref(NULL) is NULL");
    json_object_array_add(a, o);
    apr_pool_destroy(p);
    ok(json_object_array_get_idx(a, 0) == o
       && json_object_get_type(o) == json_type_object,
       "a borrowed value put into a tree with its own reference outlives "
       "its pool");
    json_object_get(a);
    gql_json_drop(a);
    ok(last_put(a), "gql_json_drop gives up one reference");
    gql_json_drop(NULL);
}

static void test_text(void)
{
    json_object *o = gql_json_own(pool, json_object_new_object());
    json_object *arr = json_object_new_array();

    json_object_object_add(o, "url", json_object_new_string("a/b</c>"));
    json_object_object_add(o, "s", json_object_new_string(
                               "\"\\\n\t\x01\xC3\xA9"));
    json_object_array_add(arr, json_object_new_int(1));
    json_object_array_add(arr, NULL);
    json_object_array_add(arr, json_object_new_boolean(1));
    json_object_object_add(o, "list", arr);
    is_str(gql_json_text(o),
           "{\"url\":\"a/b</c>\",\"s\":\"\\\"\\\\\\n\\t\\u0001\xC3\xA9\","
           "\"list\":[1,null,true]}",
           "compact text, slashes and UTF-8 as they are");
    is_str(gql_json_text(NULL), "null", "NULL is null");
}

static void test_error(void)
{
    apr_array_header_t *errors = gql_errors_make(pool);
    gql_loc_t l1 = { 2, 3 }, l2 = { 4, 1 };
    gql_path_t p0 = { NULL, "feed", 0 }, p1 = { &p0, NULL, 0 },
               p2 = { &p1, "by", 0 }, p3 = { &p2, NULL, 12 };
    gql_error_t *e = gql_error_add(pool, errors, &l1, "Boom.");
    gql_error_t *bare = gql_error_add(pool, errors, NULL, "Only \"this\".");
    gql_error_t *none = apr_pcalloc(pool, sizeof(*none));

    gql_error_add_loc(pool, e, &l2);
    e->path = &p3;
    e->code = "INTERNAL_SERVER_ERROR";
    e->source = "schema.graphql";
    e->internal = "SELECT secret FROM t";
    is_str(gql_json_text(gql_json_own(pool, gql_json_error_new(e))),
           "{\"message\":\"Boom.\",\"locations\":[{\"line\":2,\"column\":3},"
           "{\"line\":4,\"column\":1}],\"path\":[\"feed\",0,\"by\",12],"
           "\"extensions\":{\"code\":\"INTERNAL_SERVER_ERROR\"}}",
           "an error: members in graphql-js's order, the path root first, "
           "no source and no internal detail");
    is_str(gql_json_text(gql_json_own(pool, gql_json_error_new(bare))),
           "{\"message\":\"Only \\\"this\\\".\"}",
           "an error with no location, path or code: the message alone");
    none->message = "m";
    is_str(gql_json_text(gql_json_own(pool, gql_json_error_new(none))),
           "{\"message\":\"m\"}", "an error whose locations are NULL");
    bare->path = &p0;
    is_str(gql_json_text(gql_json_own(pool, gql_json_error_new(bare))),
           "{\"message\":\"Only \\\"this\\\".\",\"path\":[\"feed\"]}",
           "a path of one key");
}

/* A path of n elements, alternately keys and indexes, and its JSON. */
static void test_long_path(int n)
{
    gql_path_t *path = apr_pcalloc(pool, sizeof(gql_path_t) * (size_t)n);
    gql_error_t *e = apr_pcalloc(pool, sizeof(*e));
    const char *want = "{\"message\":\"m\",\"path\":[";
    int i;

    for (i = 0; i < n; i++) {
        path[i].prev = i > 0 ? &path[i - 1] : NULL;
        path[i].key = i % 2 == 0 ? "k" : NULL;
        path[i].index = i;
        want = apr_psprintf(pool, i % 2 == 0 ? "%s%s\"k\"" : "%s%s%d", want,
                            i > 0 ? "," : "", i);
    }
    e->message = "m";
    e->path = &path[n - 1];
    is_str(gql_json_text(gql_json_own(pool, gql_json_error_new(e))),
           apr_pstrcat(pool, want, "]}", NULL),
           apr_psprintf(pool, "a path of %d elements, in order", n));
}

static void test_response(void)
{
    apr_array_header_t *errors = gql_errors_make(pool);
    apr_array_header_t *empty = gql_errors_make(pool);
    const char *data = "{\"a\":\"x/y\"}";

    gql_error_add(pool, errors, NULL, "E1.");
    gql_error_add(pool, errors, NULL, "E2.");
    is_str(gql_json_response(pool, errors, data, 1),
           "{\"errors\":[{\"message\":\"E1.\"},{\"message\":\"E2.\"}],"
           "\"data\":{\"a\":\"x/y\"}}", "errors first, then data");
    is_str(gql_json_response(pool, errors, NULL, 1),
           "{\"errors\":[{\"message\":\"E1.\"},{\"message\":\"E2.\"}],"
           "\"data\":null}", "data null");
    is_str(gql_json_response(pool, errors, NULL, 0),
           "{\"errors\":[{\"message\":\"E1.\"},{\"message\":\"E2.\"}]}",
           "no data member before execution");
    is_str(gql_json_response(pool, empty, data, 1),
           "{\"data\":{\"a\":\"x/y\"}}", "an empty error list: no errors");
    is_str(gql_json_response(pool, NULL, data, 1),
           "{\"data\":{\"a\":\"x/y\"}}", "a NULL error list: no errors");
}

static void test_request_error(void)
{
    is_str(gql_json_request_error(pool, "No \"query\" / 100% sure.\n"),
           "{\"errors\":[{\"message\":\"No \\\"query\\\" / 100% sure.\\n\"}]}",
           "a request error: the message as it is, escaped as JSON");
}

/* U+0000 in JSON text, by where it is: json-c cuts a member name at it. */
static void test_nul(void)
{
    const char *name = "{\"a\\u0000b\" : 1}";
    const char *value = "{\"a\": [\"x\\u0000\"]}";
    const char *escaped = "{\"q\": \"\\\\u0000\", \"\\\"\": 1}";

    ok(gql_json_nul(name, strlen(name)) == GQL_JSON_NUL_NAME,
       "gql_json_nul: in a member name");
    ok(gql_json_nul(value, strlen(value)) == GQL_JSON_NUL_VALUE,
       "gql_json_nul: in a string value");
    ok(gql_json_nul(escaped, strlen(escaped)) == 0,
       "gql_json_nul: an escaped backslash before u0000 is no U+0000");
    ok(gql_json_nul("\"\\u00", 5) == 0, "gql_json_nul: text cut short");
}

int main(void)
{
    apr_initialize();
    apr_pool_create(&pool, NULL);
    test_own();
    test_keep();
    test_pool_value();
    test_ref_drop();
    test_text();
    test_error();
    test_long_path(1);
    test_long_path(2);
    test_long_path(1001);
    test_response();
    test_request_error();
    test_nul();
    apr_pool_destroy(pool);
    apr_terminate();
    return tap_done();
}
