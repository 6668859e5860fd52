/* Licensed under the Apache License, Version 2.0 (the "License"); you may
 * not use this file except in compliance with the License.  You may obtain
 * a copy of the License at http://www.apache.org/licenses/LICENSE-2.0
 */

/*
 * t/unit/gql_cache.c: the document cache: a repeated text is a hit and
 * the same document, whatever request pool prepared it; other options or
 * another schema are other entries; a failing document, a text past the
 * bound and a cache of size 0 keep nothing; the least recently used goes
 * first, and one that a request still holds stays usable until that
 * request's pool goes (under ASan a use after free would show).
 */

#include <string.h>
#include <apr_general.h>
#include <apr_strings.h>
#include "gql_cache.h"
#include "operation.h"
#include "tap.h"

static const char *const sdl =
    "type Query { a: Int b(x: Int): Int t: T }\n"
    "type T { x: Int y: Int }\n";

typedef struct req_t {
    apr_pool_t *p;
    apr_array_header_t *errors;
    const gql_prepared_t *doc;
    int hit;
} req_t;

/* One request's preparing of text, in a pool of its own. */
static req_t ask(apr_pool_t *parent, gql_cache_t *c, const gql_schema_t *s,
                 const gql_validate_opts_t *opts, const char *text)
{
    req_t q;

    apr_pool_create(&q.p, parent);
    q.errors = gql_errors_make(q.p);
    q.doc = gql_cache_prepare(c, q.p, s, opts, text, strlen(text), q.errors,
                              &q.hit);
    return q;
}

/* The document is whole: its operation can be selected. */
static int usable(apr_pool_t *parent, const gql_prepared_t *doc,
                  const char *name)
{
    apr_pool_t *p;
    int ok_;

    apr_pool_create(&p, parent);
    ok_ = doc != NULL && gql_document_select(p, doc, name, NULL,
                                             gql_errors_make(p)) != NULL;
    apr_pool_destroy(p);
    return ok_;
}

static void test_hits(apr_pool_t *p, const gql_schema_t *s)
{
    gql_cache_t *c = gql_cache_make(p, 8, 1024);
    gql_validate_opts_t opts = { .introspection = 1, .max_depth = 20 },
                        other = { .introspection = 0, .max_depth = 20 };
    req_t a = ask(p, c, s, &opts, "query A { a }");
    req_t b;

    ok(a.doc != NULL && !a.hit, "first time: prepared");
    apr_pool_destroy(a.p);
    b = ask(p, c, s, &opts, "query A { a }");
    ok(b.hit && b.doc == a.doc, "again, after the first request's pool "
       "went: a hit, the same document");
    ok(usable(p, b.doc, "A"), "and it is whole");
    apr_pool_destroy(b.p);
    b = ask(p, c, s, &other, "query A { a }");
    ok(b.doc != NULL && !b.hit && b.doc != a.doc,
       "other validation options: another entry");
    apr_pool_destroy(b.p);
    b = ask(p, c, s, &opts, "query A { a } ");
    ok(!b.hit, "another text: another entry");
    apr_pool_destroy(b.p);
    ok(gql_cache_count(c) == 3, "three entries");
    b = ask(p, c, s, &opts, "{ nope }");
    ok(b.doc == NULL && b.errors->nelts == 1 && !b.hit,
       "an invalid document: its error");
    is_str(APR_ARRAY_IDX(b.errors, 0, gql_error_t *)->message,
           "Cannot query field \"nope\" on type \"Query\".",
           "graphql-js's message");
    apr_pool_destroy(b.p);
    ok(gql_cache_count(c) == 3, "and it is not kept");
    b = ask(p, c, s, &opts, "{ a(");
    ok(b.doc == NULL && b.errors->nelts == 1, "a syntax error");
    apr_pool_destroy(b.p);
    other = opts;
    other.max_tokens = 3;
    b = ask(p, c, s, &other, "query A { a }");
    ok(b.doc == NULL && b.errors->nelts == 1 && !b.hit,
       "the same text past a token limit: not the kept document");
    is_str(APR_ARRAY_IDX(b.errors, 0, gql_error_t *)->code,
           "TOKEN_LIMIT_EXCEEDED", "its error has the limit's code");
    apr_pool_destroy(b.p);
    other.max_tokens = 5;
    b = ask(p, c, s, &other, "query A { a }");
    ok(b.doc != NULL && !b.hit && b.doc != a.doc,
       "within another token limit: another entry");
    apr_pool_destroy(b.p);
}

static void test_bounds(apr_pool_t *p, const gql_schema_t *s)
{
    gql_cache_t *c = gql_cache_make(p, 2, 20);
    gql_cache_t *none = gql_cache_make(p, 0, 1024);
    req_t a, b, held, q;

    a = ask(p, c, s, NULL, "{ t { x y } b t2: t { x } }");
    b = ask(p, c, s, NULL, "{ t { x y } b t2: t { x } }");
    ok(a.doc && b.doc && !b.hit, "a text past the bound: never kept");
    apr_pool_destroy(a.p);
    apr_pool_destroy(b.p);
    held = ask(p, c, s, NULL, "query H { a }");
    q = ask(p, c, s, NULL, "{ b }");
    apr_pool_destroy(q.p);
    q = ask(p, c, s, NULL, "query H { a }");
    ok(q.hit && q.doc == held.doc, "H is used again: the most recent");
    apr_pool_destroy(q.p);
    q = ask(p, c, s, NULL, "{ t { x } }");
    apr_pool_destroy(q.p);
    ok(gql_cache_count(c) == 2, "a third text: still two entries");
    q = ask(p, c, s, NULL, "{ b }");
    ok(!q.hit, "the least recently used went");
    apr_pool_destroy(q.p);
    q = ask(p, c, s, NULL, "{ t { x } }");
    apr_pool_destroy(q.p);
    q = ask(p, c, s, NULL, "{ b }");
    apr_pool_destroy(q.p);
    q = ask(p, c, s, NULL, "query H { a }");
    ok(!q.hit, "H is out of the cache now");
    apr_pool_destroy(q.p);
    ok(usable(p, held.doc, "H"), "while the request that holds it still "
       "can use it");
    apr_pool_destroy(held.p);
    a = ask(p, none, s, NULL, "{ a }");
    b = ask(p, none, s, NULL, "{ a }");
    ok(a.doc && b.doc && !b.hit && gql_cache_count(none) == 0,
       "a cache of size 0 keeps nothing");
    apr_pool_destroy(a.p);
    apr_pool_destroy(b.p);
    q = ask(p, NULL, s, NULL, "{ a }");
    ok(q.doc != NULL && !q.hit, "no cache at all: prepared");
    apr_pool_destroy(q.p);
}

static void test_schemas(apr_pool_t *p, const gql_schema_t *s)
{
    gql_cache_t *c = gql_cache_make(p, 8, 1024);
    const gql_schema_t *s2 = schema_of(p, sdl);
    req_t a = ask(p, c, s, NULL, "{ a }");
    req_t b = ask(p, c, s2, NULL, "{ a }");

    ok(a.doc && b.doc && !b.hit && b.doc->schema == s2,
       "another schema: another entry");
    apr_pool_destroy(a.p);
    apr_pool_destroy(b.p);
}

int main(void)
{
    apr_pool_t *p, *cp;
    gql_schema_t *s;

    apr_initialize();
    apr_pool_create(&p, NULL);
    s = schema_of(p, sdl);
    if (!setup_ok(s != NULL, "the schema builds")) {
        return tap_done();
    }
    apr_pool_create(&cp, p);
    test_hits(cp, s);
    test_bounds(cp, s);
    test_schemas(cp, s);
    /* The caches go with their pool, and every document they hold. */
    apr_pool_destroy(cp);
    apr_pool_destroy(p);
    apr_terminate();
    return tap_done();
}
