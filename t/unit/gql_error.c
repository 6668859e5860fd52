/* Licensed under the Apache License, Version 2.0 (the "License"); you may
 * not use this file except in compliance with the License.  You may obtain
 * a copy of the License at http://www.apache.org/licenses/LICENSE-2.0
 */

/*
 * t/unit/gql_error.c: error values (include/gql_error.h): the list, an
 * error's message and locations, and the FILE:LINE:COL: form of start-up
 * errors.
 */

#include <string.h>
#include <apr_general.h>
#include <apr_strings.h>
#include "gql_error.h"
#include "tap.h"

static apr_pool_t *pool;

static void test_add(void)
{
    apr_array_header_t *errors = gql_errors_make(pool);
    gql_loc_t at = { 3, 7 }, none = { 0, 5 };
    char arg[] = "Autor";
    gql_error_t *e1, *e2, *e3;

    ok(errors != NULL && errors->nelts == 0
       && errors->elt_size == sizeof(gql_error_t *),
       "gql_errors_make: an empty list of gql_error_t *");
    e1 = gql_error_add(pool, errors, &at, "Unknown type \"%s\" (%d%%).", arg,
                       100);
    arg[0] = 'X';
    e2 = gql_error_add(pool, errors, NULL, "second");
    e3 = gql_error_add(pool, errors, &none, "third");
    ok(errors->nelts == 3 && APR_ARRAY_IDX(errors, 0, gql_error_t *) == e1
       && APR_ARRAY_IDX(errors, 2, gql_error_t *) == e3,
       "errors are appended in order and returned");
    is_str(e1->message, "Unknown type \"Autor\" (100%).",
           "the message is formatted into the pool, a copy");
    ok(e1->locations->nelts == 1
       && APR_ARRAY_IDX(e1->locations, 0, gql_loc_t).line == 3
       && APR_ARRAY_IDX(e1->locations, 0, gql_loc_t).column == 7,
       "one location, copied");
    ok(e2->locations != NULL && e2->locations->nelts == 0,
       "no location: an empty array, not NULL");
    ok(e3->locations != NULL && e3->locations->nelts == 0,
       "line 0 means no position: not added");
    ok(e1->source == NULL && e1->path == NULL && e1->code == NULL
       && e1->internal == NULL, "source, path, code and internal start NULL");
}

/* A message that quotes source text may hold a NUL: its length says so. */
static void test_add_text(void)
{
    apr_array_header_t *errors = gql_errors_make(pool);
    gql_loc_t at = { 1, 2 };
    char text[] = "q: \"\0\".";
    gql_error_t *e = gql_error_add_text(pool, errors, &at, text,
                                        sizeof(text) - 1);
    gql_error_t *plain = gql_error_add(pool, errors, NULL, "plain");

    text[0] = 'X';
    ok(errors->nelts == 2 && APR_ARRAY_IDX(errors, 0, gql_error_t *) == e
       && e->locations->nelts == 1, "gql_error_add_text appends, located");
    ok(gql_error_message_len(e) == 7
       && memcmp(e->message, "q: \"\0\".", 8) == 0,
       "its message is the text, a copy, NULs and all, then a NUL");
    ok(gql_error_message_len(plain) == 5,
       "a formatted message: up to its NUL");
}

static void test_add_loc(void)
{
    apr_array_header_t *errors = gql_errors_make(pool);
    gql_loc_t a = { 1, 2 }, b = { 5, 1 }, none = { 0, 0 };
    gql_error_t *e = gql_error_add(pool, errors, &a, "m");
    gql_error_t *bare = apr_pcalloc(pool, sizeof(*bare));

    gql_error_add_loc(pool, e, &b);
    gql_error_add_loc(pool, e, NULL);
    gql_error_add_loc(pool, e, &none);
    ok(e->locations->nelts == 2
       && APR_ARRAY_IDX(e->locations, 1, gql_loc_t).line == 5,
       "gql_error_add_loc appends; NULL and line 0 add nothing");
    gql_error_add_loc(pool, bare, &a);
    ok(bare->locations != NULL && bare->locations->nelts == 1,
       "gql_error_add_loc makes the array of an error that has none");
}

static void test_format(void)
{
    apr_array_header_t *errors = gql_errors_make(pool);
    gql_loc_t at = { 12, 5 }, second = { 1, 1 };
    gql_error_t *e = gql_error_add(pool, errors, &at,
                                   "Unknown type \"Autor\".");
    gql_error_t *no_loc = gql_error_add(pool, errors, NULL, "no position");
    gql_error_t *bare = apr_pcalloc(pool, sizeof(*bare));

    e->source = "schema/blog.graphql";
    is_str(gql_error_format(pool, e),
           "schema/blog.graphql:12:5: Unknown type \"Autor\".",
           "FILE:LINE:COL: message");
    gql_error_add_loc(pool, e, &second);
    is_str(gql_error_format(pool, e),
           "schema/blog.graphql:12:5: Unknown type \"Autor\".",
           "the first location when there are several");
    no_loc->source = "a.graphql";
    is_str(gql_error_format(pool, no_loc), "a.graphql: no position",
           "FILE: message without a location");
    e->source = NULL;
    is_str(gql_error_format(pool, e),
           "<document>:12:5: Unknown type \"Autor\".",
           "<document> when there is no file");
    bare->message = "m";
    bare->source = "b.graphql";
    is_str(gql_error_format(pool, bare), "b.graphql: m",
           "an error whose locations are NULL");
}

/* The last resort of the bounds on quotes: no message is longer than
 * GQL_ERROR_MAX_MESSAGE bytes, and a cut never splits a character. */
static void test_cap(void)
{
    apr_array_header_t *errors = gql_errors_make(pool);
    apr_size_t max = GQL_ERROR_MAX_MESSAGE, n = max * 3, i;
    char *big = apr_palloc(pool, n + 1);
    gql_error_t *e;

    for (i = 0; i < n; i += 2) {
        big[i] = '\xc3';
        big[i + 1] = '\xa9';
    }
    big[n] = '\0';
    e = gql_error_add(pool, errors, NULL, "%s", big);
    ok(strlen(e->message) <= max && strlen(e->message) > max - 8,
       "gql_error_add: a long message is cut to the cap");
    ok(!strcmp(e->message + strlen(e->message) - 3, "...")
       && (unsigned char)e->message[strlen(e->message) - 5] == 0xc3,
       "at a character boundary, with ...");
    e = gql_error_add_text(pool, errors, NULL, big, n);
    ok(gql_error_message_len(e) <= max, "gql_error_add_text: cut too");
    e = gql_error_add(pool, errors, NULL, "%.*s", (int)max, big);
    ok(strlen(e->message) == max, "a message of the cap: whole");
    ok(gql_error_cut("ab\xc3\xa9" "cd", 6, 3) == 4
       && gql_error_cut("ab", 2, 5) == 2 && gql_error_cut("ab", 2, 0) == 0,
       "gql_error_cut: bytes of the first characters");
}

int main(void)
{
    apr_initialize();
    apr_pool_create(&pool, NULL);
    test_add();
    test_add_text();
    test_add_loc();
    test_format();
    test_cap();
    apr_pool_destroy(pool);
    apr_terminate();
    return tap_done();
}
