/* Licensed under the Apache License, Version 2.0 (the "License"); you may
 * not use this file except in compliance with the License.  You may obtain
 * a copy of the License at http://www.apache.org/licenses/LICENSE-2.0
 */

/*
 * t/unit/gql_document.c: the document stage: a document prepared once
 * and run twice with different operations, a document that does not
 * parse, one that is not valid (each into a pool of its own that is
 * dropped before the errors are read, as a cache of documents would),
 * and the errors of selecting an operation, as graphql-js words them.
 *
 * Linked with the stages up to the executor (gql_document_SRC in
 * Makefile.apxs), none of the HTTP request's.
 */

#include <string.h>
#include <apr_general.h>
#include <apr_strings.h>
#include "gql_document.h"
#include "gql_execute.h"
#include "gql_json.h"
#include "gql_parser.h"
#include "operation.h"
#include "tap.h"

static const char *const sdl =
    "type Query { a: Int b(x: Int): Int t: T }\n"
    "type T { x: Int y: Int }\n";

static const char *const twice =
    "query A { a ...F }\n"
    "query B($x: Int = 2) { b(x: $x) ...F }\n"
    "fragment F on Query { t { x } }\n";

/* The response key "b" answers its argument x. */
static const char *echo(gql_resolve_t *b)
{
    json_object *x = NULL;
    int i;

    if (strcmp(b->field->name, "b") != 0) {
        return gql_execute_resolve_property(b);
    }
    json_object_object_get_ex(b->args, "x", &x);
    for (i = 0; i < b->count; i++) {
        b->results[i] = x ? json_object_get(x) : NULL;
    }
    return NULL;
}

/* The response to the operation name names in doc, with vars (JSON text
 * or NULL), all in a request pool of its own. */
static const char *run(apr_pool_t *parent, const gql_prepared_t *doc,
                       const char *name, const char *vars)
{
    gql_result_t res = { NULL, NULL, 0, -1 };
    gql_resolvers_t rs = { echo, NULL, NULL };
    json_object *root = gql_json_own(parent, json_tokener_parse(
        "{\"a\":1,\"t\":{\"x\":3,\"y\":4}}"));
    gql_operation_t *op;
    apr_pool_t *p;
    const char *out;

    apr_pool_create(&p, parent);
    res.errors = gql_errors_make(p);
    op = gql_document_select(p, doc, name,
                             vars ? gql_json_own(p, json_tokener_parse(vars))
                                  : NULL, res.errors);
    if (op != NULL) {
        gql_execute_run(p, op, &rs, root, NULL, &res);
    }
    out = apr_pstrdup(parent, gql_json_response(p, res.errors, res.data,
                                                res.has_data));
    apr_pool_destroy(p);
    return out;
}

static void prepared_once(apr_pool_t *p, const gql_schema_t *s)
{
    apr_array_header_t *errors = gql_errors_make(p);
    const gql_prepared_t *doc = gql_document_prepare(p, p, s, twice,
                                                     strlen(twice), NULL,
                                                     errors);

    if (!ok(doc != NULL && errors->nelts == 0, "prepare: a valid document")) {
        return;
    }
    ok(doc->schema == s, "prepare: the schema it was validated against");
    ok(gql_document_fragment(doc, "F") != NULL
       && gql_document_fragment(doc, "G") == NULL,
       "prepare: the fragments indexed by name");
    is_str(run(p, doc, "A", NULL), "{\"data\":{\"a\":1,\"t\":{\"x\":3}}}",
           "run A from the prepared document");
    is_str(run(p, doc, "B", "{\"x\":7}"),
           "{\"data\":{\"b\":7,\"t\":{\"x\":3}}}",
           "run B from the same document, with variables");
    is_str(run(p, doc, "B", NULL), "{\"data\":{\"b\":2,\"t\":{\"x\":3}}}",
           "run B again, its default value");
    is_str(run(p, doc, "A", NULL), "{\"data\":{\"a\":1,\"t\":{\"x\":3}}}",
           "run A again: the document is as it was");
}

/* Prepare text[0..len) into a pool of its own, dropped (and its memory
 * written over by the next pool) before the errors are read; the errors
 * as JSON. */
static const char *failure(apr_pool_t *p, const gql_schema_t *s,
                           const char *text, apr_size_t len)
{
    apr_array_header_t *errors = gql_errors_make(p);
    const gql_prepared_t *doc;
    apr_pool_t *own;
    int i;

    apr_pool_create(&own, p);
    doc = gql_document_prepare(own, p, s, text, len, NULL, errors);
    apr_pool_destroy(own);
    apr_pool_create(&own, p);
    for (i = 0; i < 256; i++) {
        memset(apr_palloc(own, 1000), 'x', 1000);
    }
    return doc ? "prepared" : gql_json_response(p, errors, NULL, 0);
}

static void failures(apr_pool_t *p, const gql_schema_t *s)
{
    static const char nul[] = "{ a(x: \"\\u\0\") }";

    is_str(failure(p, s, "{ a", 3),
           "{\"errors\":[{\"message\":\"Syntax Error: Expected Name, found "
           "<EOF>.\",\"locations\":[{\"line\":1,\"column\":4}]}]}",
           "prepare: a syntax error, its location");
    is_str(failure(p, s, nul, sizeof(nul) - 1),
           "{\"errors\":[{\"message\":\"Syntax Error: Invalid Unicode "
           "escape sequence: \\\"\\\\u\\u0000\\\") \\\".\",\"locations\":"
           "[{\"line\":1,\"column\":9}]}]}",
           "prepare: a bad escape's slice with a NUL, quoted whole");
    is_str(failure(p, s, "query Q { zz t }", 16),
           "{\"errors\":[{\"message\":\"Cannot query field \\\"zz\\\" on "
           "type \\\"Query\\\".\",\"locations\":[{\"line\":1,\"column\":"
           "11}]},{\"message\":\"Field \\\"t\\\" of type \\\"T\\\" must "
           "have a selection of subfields. Did you mean \\\"t { ... }\\\"?"
           "\",\"locations\":[{\"line\":1,\"column\":14}]}]}",
           "prepare: every validation error, in order");
}

/* Ours, past graphql-js: a string literal holding U+0000, wherever it is
 * written, is a validation error at the literal, BAD_USER_INPUT. */
static void nul_literals(apr_pool_t *p)
{
    static const char *const q[] = {
        "{ s(x: \"ab\\u0000cd\") }",
        "{ l(x: [{t: \"\\u0000\"}]) }",
        "query ($v: String = \"\\u{0}\") { s(x: $v) }",
        "{ s(x: \"ok\") ...F } fragment F on Query { b: s(x: \"a\\u0000\") }",
    };
    static const unsigned int col[] = { 8, 13, 21, 51 };
    const gql_schema_t *s = schema_of(p, "type Query { s(x: String): Int "
                                      "l(x: [In]): Int }\n"
                                      "input In { t: String }\n");
    size_t i;

    for (i = 0; s && i < sizeof(q) / sizeof(q[0]); i++) {
        apr_array_header_t *errors = gql_errors_make(p);
        const gql_error_t *e;

        ok(gql_document_prepare(p, p, s, q[i], strlen(q[i]), NULL, errors)
           == NULL && errors->nelts == 1, apr_psprintf(p, "U+0000 in a "
           "literal: refused (%s)", q[i]));
        e = errors->nelts ? APR_ARRAY_IDX(errors, 0, gql_error_t *) : NULL;
        ok(e && e->code && !strcmp(e->code, "BAD_USER_INPUT")
           && e->locations->nelts == 1
           && APR_ARRAY_IDX(e->locations, 0, gql_loc_t).column == col[i],
           "BAD_USER_INPUT, at the literal");
        if (i == 0) {
            is_str(e ? e->message : NULL, "String value \"ab\\u0000cd\" "
                   "holds U+0000, which is not allowed.", "the message");
        }
    }
}

static const char *selected(apr_pool_t *p, const gql_prepared_t *doc,
                            const char *name)
{
    apr_array_header_t *errors = gql_errors_make(p);
    gql_operation_t *op = gql_document_select(p, doc, name, NULL, errors);

    if (op != NULL) {
        return op->def->name.value ? op->def->name.value : "(anonymous)";
    }
    return gql_json_response(p, errors, NULL, 0);
}

static void selection(apr_pool_t *p, const gql_schema_t *s)
{
    static const char *const one = "{ a }";
    apr_array_header_t *errors = gql_errors_make(p);
    const gql_prepared_t *two = gql_document_prepare(p, p, s, twice,
                                                     strlen(twice), NULL,
                                                     errors);
    const gql_prepared_t *anon = gql_document_prepare(p, p, s, one,
                                                      strlen(one), NULL,
                                                      errors);
    gql_error_t *err = NULL;
    gql_prepared_t none;

    if (!ok(two && anon, "select: the documents prepare")) {
        return;
    }
    is_str(selected(p, two, "B"), "B", "select: by name");
    is_str(selected(p, anon, NULL), "(anonymous)", "select: the only one");
    is_str(selected(p, two, "C"), "{\"errors\":[{\"message\":\"Unknown "
           "operation named \\\"C\\\".\"}]}", "select: an unknown name");
    is_str(selected(p, anon, "A"), "{\"errors\":[{\"message\":\"Unknown "
           "operation named \\\"A\\\".\"}]}",
           "select: a name for an anonymous operation");
    is_str(selected(p, two, NULL), "{\"errors\":[{\"message\":\"Must "
           "provide operation name if query contains multiple "
           "operations.\"}]}", "select: no name among several");
    /* Validation refuses a document without operations (its fragments
     * are unused), so such a document is put together here. */
    none.schema = s;
    none.doc = gql_parse(p, "fragment F on Query { a }", 25, NULL, &err);
    none.fragments = apr_hash_make(p);
    is_str(none.doc ? selected(p, &none, NULL) : "unparsed",
           "{\"errors\":[{\"message\":\"Must provide an operation.\"}]}",
           "select: a document without operations");
}

int main(int argc, const char *const *argv)
{
    apr_pool_t *p;
    const gql_schema_t *s;

    apr_app_initialize(&argc, &argv, NULL);
    apr_pool_create(&p, NULL);
    s = schema_of(p, sdl);
    if (ok(s != NULL, "the schema builds")) {
        prepared_once(p, s);
        failures(p, s);
        selection(p, s);
        nul_literals(p);
    }
    apr_pool_destroy(p);
    apr_terminate();
    return tap_done();
}
