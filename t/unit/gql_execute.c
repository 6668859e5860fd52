/* Licensed under the Apache License, Version 2.0 (the "License"); you may
 * not use this file except in compliance with the License.  You may obtain
 * a copy of the License at http://www.apache.org/licenses/LICENSE-2.0
 */

/*
 * t/unit/gql_execute.c: the executor against the cases in
 * t/cases/execute/NAME/ (or the directories given as arguments), and the
 * batch property with a resolver that counts its calls.
 *
 * A case holds schema.graphql, query.graphql, optional variables.json,
 * operation (the operationName) and data.json (the root value, read by
 * the default resolvers), and expected.json: the whole response as
 * graphql-js 16 gives it (t/tools/execute-expected.js made it).  Both are
 * compared as JSON, member order included.
 */

#include <stdlib.h>
#include <string.h>
#include <apr_general.h>
#include <apr_strings.h>
#include <apr_file_io.h>
#include <apr_file_info.h>
#include "gql_execute.h"
#include "gql_json.h"
#include "gql_parser.h"
#include "operation.h"
#include "tap.h"
#include "util.h"

#define CASES "t/cases/execute"

static apr_pool_t *pool;

/* dir/name's text, or NULL when it cannot be read. */
static const char *file(apr_pool_t *p, const char *dir, const char *name)
{
    return slurp(p, apr_pstrcat(p, dir, "/", name, NULL), NULL);
}

static json_object *parse_json(apr_pool_t *p, const char *text)
{
    return text ? gql_json_own(p, json_tokener_parse(text)) : NULL;
}

/* The response text, as the glue would send it. */
static const char *execute(apr_pool_t *p, const gql_schema_t *s,
                           const char *query, const char *opname,
                           json_object *vars, json_object *root,
                           const gql_resolvers_t *rs)
{
    gql_result_t res;
    gql_operation_t *op = operation(p, s, query, strlen(query), NULL,
                                    opname, vars, &res);

    if (op != NULL) {
        gql_execute_run(p, op, rs, root, NULL, &res);
    }
    return gql_json_response(p, res.errors, res.data, res.has_data);
}

/* JSON text in one canonical form (json-c's own), member order kept. */
static const char *canon(apr_pool_t *p, const char *text)
{
    json_object *o = parse_json(p, text);

    return o ? gql_json_text(o) : apr_pstrcat(p, "UNPARSABLE ", text, NULL);
}

static char *trim(char *s)
{
    size_t n = strlen(s);

    while (n > 0 && (s[n - 1] == '\n' || s[n - 1] == '\r')) {
        s[--n] = '\0';
    }
    return s;
}

static void run_case(const char *dir, const char *name)
{
    apr_pool_t *p;
    const char *sdl, *query, *want, *op;
    const gql_schema_t *s;

    apr_pool_create(&p, pool);
    sdl = file(p, dir, "schema.graphql");
    query = file(p, dir, "query.graphql");
    want = file(p, dir, "expected.json");
    op = file(p, dir, "operation");
    if (sdl == NULL || query == NULL || want == NULL) {
        setup_ok(0, apr_pstrcat(p, name, ": incomplete case", NULL));
        apr_pool_destroy(p);
        return;
    }
    s = schema_of(p, sdl);
    if (s == NULL) {
        setup_ok(0, apr_pstrcat(p, name, ": schema", NULL));
    }
    else {
        is_str(canon(p, execute(p, s, query, op ? trim(apr_pstrdup(p, op))
                                : NULL,
                                parse_json(p, file(p, dir,
                                                    "variables.json")),
                                parse_json(p, file(p, dir, "data.json")),
                                NULL)),
               canon(p, want), name);
    }
    apr_pool_destroy(p);
}

static void run_cases(const char *root)
{
    apr_array_header_t *names = list(pool, root, NULL);
    int i;

    if (names == NULL) {
        setup_ok(0, apr_pstrcat(pool, "cannot open ", root, NULL));
        return;
    }
    for (i = 0; i < names->nelts; i++) {
        const char *n = APR_ARRAY_IDX(names, i, char *);

        run_case(apr_pstrcat(pool, root, "/", n, NULL), n);
    }
}

/* ---- the batch property */

typedef struct counter_t {
    int calls;
    int parents;
} counter_t;

static const char *counting(gql_resolve_t *b)
{
    counter_t *c = b->ctx;

    c->calls++;
    c->parents += b->count;
    return gql_execute_resolve_property(b);
}

/* 30 users with 3 posts each with 2 comments and an author: the
 * resolver is called once per field of the query, never per row. */
static void batch_property(void)
{
    static const char *const sdl =
        "type Query { users: [User!]! }\n"
        "type User { id: ID! name: String posts: [Post!]! }\n"
        "type Post { id: ID! comments: [Comment!]! }\n"
        "type Comment { text: String author: User }\n";
    static const char *const query =
        "{ users { id name posts { id comments { text author { id name } } } "
        "} }";
    const gql_schema_t *s = schema_of(pool, sdl);
    json_object *root = gql_json_own(pool, json_object_new_object());
    json_object *users = json_object_new_array();
    counter_t c = {0, 0};
    gql_resolvers_t rs = {counting, NULL, &c};
    const char *out;
    int u, q, k;

    json_object_object_add(root, "users", users);
    for (u = 0; u < 30; u++) {
        json_object *user = json_object_new_object(), *posts;

        json_object_object_add(user, "id", json_object_new_int(u));
        json_object_object_add(user, "name", json_object_new_string("u"));
        posts = json_object_new_array();
        for (q = 0; q < 3; q++) {
            json_object *post = json_object_new_object();
            json_object *comments = json_object_new_array();

            json_object_object_add(post, "id", json_object_new_int(q));
            for (k = 0; k < 2; k++) {
                json_object *cm = json_object_new_object();
                json_object *a = json_object_new_object();

                json_object_object_add(a, "id", json_object_new_int(k));
                json_object_object_add(cm, "text",
                                       json_object_new_string("t"));
                json_object_object_add(cm, "author", a);
                json_object_array_add(comments, cm);
            }
            json_object_object_add(post, "comments", comments);
            json_object_array_add(posts, post);
        }
        json_object_object_add(user, "posts", posts);
        json_object_array_add(users, user);
    }
    out = execute(pool, s, query, NULL, NULL, root, &rs);
    ok(strstr(out, "\"errors\"") == NULL, "batch: no errors");
    /* users, id, name, posts, posts.id, comments, text, author,
     * author.id, author.name: 10 fields, 10 calls */
    ok(c.calls == 10, apr_psprintf(pool, "batch: 10 resolver calls for "
                                   "10 fields (got %d)", c.calls));
    ok(c.parents == 1 + 30 * 3 + 90 * 2 + 180 * 4,
       apr_psprintf(pool, "batch: every parent resolved once (%d)",
                    c.parents));
}

/* A mutation's root fields run one after the other, each subtree done
 * before the next field starts. */
static const char *order_log;

static const char *logging(gql_resolve_t *b)
{
    order_log = apr_pstrcat(b->pool, order_log, order_log[0] ? " " : "",
                            b->parent_type->name, ".", b->field->name, NULL);
    return gql_execute_resolve_property(b);
}

static void mutation_serial(void)
{
    static const char *const sdl =
        "type Query { a: Int }\n"
        "type Mutation { first: R second: R }\n"
        "type R { x: Int s: S }\n type S { y: Int }\n";
    const gql_schema_t *s = schema_of(pool, sdl);
    json_object *root = parse_json(pool,
        "{\"first\":{\"x\":1,\"s\":{\"y\":2}},"
        "\"second\":{\"x\":3,\"s\":{\"y\":4}}}");
    gql_resolvers_t rs = {logging, NULL, NULL};

    order_log = "";
    execute(pool, s, "mutation { first { s { y } x } second { x s { y } } }",
            NULL, NULL, root, &rs);
    is_str(order_log, "Mutation.first R.s R.x S.y Mutation.second R.x R.s "
           "S.y", "mutation: each root field's subtree before the next");
}

static const char *failing(gql_resolve_t *b)
{
    if (strcmp(b->field->name, "b") == 0) {
        return "the batch failed";
    }
    if (strcmp(b->field->name, "c") == 0) {
        int i;

        for (i = 0; i < b->count; i++) {
            b->errors[i] = i == 1 ? "row 1 failed" : NULL;
            b->results[i] = i == 1 ? NULL : json_object_new_int(i);
        }
        return NULL;
    }
    return gql_execute_resolve_property(b);
}

static void resolver_errors(void)
{
    static const char *const sdl =
        "type Query { l: [T] }\n type T { b: Int c: Int! }\n";
    const gql_schema_t *s = schema_of(pool, sdl);
    json_object *root = parse_json(pool, "{\"l\":[{},{},{}]}");
    gql_resolvers_t rs = {failing, NULL, NULL};

    is_str(canon(pool, execute(pool, s, "{ l { b c } }", NULL, NULL, root,
                               &rs)),
           canon(pool, "{\"errors\":["
                 "{\"message\":\"the batch failed\",\"locations\":[{\"line\":"
                 "1,\"column\":7}],\"path\":[\"l\",0,\"b\"]},"
                 "{\"message\":\"the batch failed\",\"locations\":[{\"line\":"
                 "1,\"column\":7}],\"path\":[\"l\",1,\"b\"]},"
                 "{\"message\":\"row 1 failed\",\"locations\":[{\"line\":1,"
                 "\"column\":9}],\"path\":[\"l\",1,\"c\"]},"
                 "{\"message\":\"the batch failed\",\"locations\":[{\"line\":"
                 "1,\"column\":7}],\"path\":[\"l\",2,\"b\"]}],"
                 "\"data\":{\"l\":[{\"b\":null,\"c\":0},null,"
                 "{\"b\":null,\"c\":2}]}}"),
           "resolver errors: per batch and per parent, in response order");
}

/* The field nodes merged into each response key of field "a", as its
 * resolver sees them. */
static const char *merged_log;

static const char *merging(gql_resolve_t *b)
{
    int i;

    if (strcmp(b->field->name, "a") == 0) {
        merged_log = apr_pstrcat(b->pool, merged_log, "[",
                                 APR_ARRAY_IDX(b->nodes, 0,
                                               const gql_selection_t *)
                                 == b->node ? "node" : "other", NULL);
        for (i = 0; i < b->nodes->nelts; i++) {
            const gql_selection_t *s = APR_ARRAY_IDX(b->nodes, i,
                                                     const gql_selection_t *);

            merged_log = apr_psprintf(b->pool, "%s %u:%u", merged_log,
                                      s->loc.line, s->loc.column);
        }
        merged_log = apr_pstrcat(b->pool, merged_log, "]", NULL);
    }
    return gql_execute_resolve_property(b);
}

static void merged_nodes(void)
{
    static const char *const sdl =
        "type Query { a: T }\n type T { x: Int y: Int }\n";
    gql_resolvers_t rs = {merging, NULL, NULL};

    merged_log = "";
    execute(pool, schema_of(pool, sdl),
            "{ a { x } ... on Query { a { y } } ...F b: a { x } }\n"
            "fragment F on Query { a { x y } }", NULL, NULL,
            parse_json(pool, "{\"a\":{\"x\":1,\"y\":2}}"), &rs);
    is_str(merged_log, "[node 1:3 1:26 2:23][node 1:41]",
           "nodes: every field node merged into the response key, node "
           "first");
}

/* Leaves as text (gql_text_t): each field of T has the text below, and
 * the response must be byte for byte the one its json-c value gives,
 * errors included. */
static const struct {
    const char *field;
    gql_text_e kind;
    const char *s;
} texts[] = {
    { "s", GQL_TEXT_STRING, "a\"b\\c\n\001/\303\251" },
    { "id", GQL_TEXT_STRING, "x" },
    { "i", GQL_TEXT_INT, "-2147483648" },
    { "ni", GQL_TEXT_INT, "2147483647" },
    { "f", GQL_TEXT_INT, "-9223372036854775808" },
    { "b", GQL_TEXT_BOOL, "t" },
    { "nb", GQL_TEXT_BOOL, "f" },
    { "e", GQL_TEXT_STRING, "A" },
    { "ebad", GQL_TEXT_STRING, "C" },
    { "c", GQL_TEXT_INT, "5" },
    { "iid", GQL_TEXT_INT, "-42" },
    { "is", GQL_TEXT_INT, "9007199254740993" },
    { "big", GQL_TEXT_INT, "2147483648" },
    { "nbig", GQL_TEXT_INT, "-2147483649" },
    { "bs", GQL_TEXT_STRING, "t" },
    { "sb", GQL_TEXT_BOOL, "f" },
    { "ls", GQL_TEXT_STRING, "x" }
};

static const char *texting(gql_resolve_t *b)
{
    apr_size_t k;
    int i;

    for (k = 0; k < sizeof(texts) / sizeof(texts[0]); k++) {
        if (strcmp(b->field->name, texts[k].field) != 0) {
            continue;
        }
        for (i = 0; i < b->count; i++) {
            b->texts[i].kind = texts[k].kind;
            b->texts[i].s = texts[k].s;
            b->texts[i].len = strlen(texts[k].s);
        }
        return NULL;
    }
    return gql_execute_resolve_property(b);
}

static void text_leaves(void)
{
    static const char *const sdl =
        "type Query { l: [T] }\n enum E { A B }\n scalar Custom\n"
        "type T { s: String id: ID i: Int ni: Int! f: Float b: Boolean "
        "nb: Boolean! e: E ebad: E c: Custom iid: ID is: String big: Int "
        "nbig: Int! bs: Boolean sb: String ls: [String] }\n";
    static const char *const values =
        "{\"s\":\"a\\\"b\\\\c\\n\\u0001/\303\251\",\"id\":\"x\","
        "\"i\":-2147483648,\"ni\":2147483647,"
        "\"f\":-9223372036854775808,\"b\":true,\"nb\":false,\"e\":\"A\","
        "\"ebad\":\"C\",\"c\":5,\"iid\":-42,\"is\":9007199254740993,"
        "\"big\":2147483648,\"nbig\":-2147483649,\"bs\":\"t\","
        "\"sb\":false,\"ls\":\"x\"}";
    static const char *const queries[] = {
        "{ l { s id i ni f b nb e ebad c iid is big bs sb ls } }",
        "{ l { i nbig s } }"
    };
    const gql_schema_t *s = schema_of(pool, sdl);
    json_object *root = parse_json(pool, apr_pstrcat(pool, "{\"l\":[",
                                                     values, ",", values,
                                                     "]}", NULL));
    gql_resolvers_t as_text = {texting, NULL, NULL};
    apr_size_t k;

    for (k = 0; k < sizeof(queries) / sizeof(queries[0]); k++) {
        const char *want = execute(pool, s, queries[k], NULL, NULL, root,
                                   NULL);

        is_str(execute(pool, s, queries[k], NULL, NULL, root, &as_text),
               want, apr_psprintf(pool, "texts: %s as its values give it",
                                  queries[k]));
        ok(strstr(want, "\"errors\"") != NULL,
           apr_psprintf(pool, "texts: %s has errors", queries[k]));
    }
}

/* Objects as a resolver's own rows (gql_rows_t): here each row is the
 * json-c object itself, an opaque pointer to the executor.  The response
 * must be byte for byte the one the same values give as json-c values,
 * null propagation and errors included. */
static int row_parents, row_parent_values;

static const gql_tref_t *unwrapped(const gql_tref_t *t)
{
    return t->kind == GQL_TYPE_NON_NULL ? t->of_type : t;
}

static const char *rowing(gql_resolve_t *b)
{
    const gql_tref_t *u = unwrapped(b->field->type);
    const gql_tref_t *item = u->kind == GQL_TYPE_LIST
                             ? unwrapped(u->of_type) : u;
    int i, k;

    for (i = 0; i < b->count; i++) {
        json_object *parent = b->parents[i], *v = NULL;
        void **items;

        if (b->parent_rows && b->parent_rows[i]) {
            row_parent_values += parent != NULL;
            parent = b->parent_rows[i];
            row_parents++;
        }
        json_object_object_get_ex(parent, b->field->name, &v);
        if (item->kind != GQL_TYPE_NAMED
            || item->named->kind != GQL_KIND_OBJECT
            || (u->kind == GQL_TYPE_LIST
                && !json_object_is_type(v, json_type_array))) {
            b->results[i] = gql_json_ref(v);
            continue;
        }
        b->rows[i].given = 1;
        if (u->kind != GQL_TYPE_LIST) {
            b->rows[i].n = v != NULL;
            items = apr_palloc(b->pool, sizeof(void *));
            items[0] = v;
            b->rows[i].items = items;
            continue;
        }
        b->rows[i].n = (int)json_object_array_length(v);
        items = apr_palloc(b->pool, sizeof(void *) * (b->rows[i].n + 1));
        for (k = 0; k < b->rows[i].n; k++) {
            items[k] = json_object_array_get_idx(v, k);
        }
        b->rows[i].items = items;
    }
    return NULL;
}

/* Rows for a list of lists: no row is a list. */
static const char *rowing_nested(gql_resolve_t *b)
{
    static void *const items[1] = { (void *)"a row" };
    int i;

    if (strcmp(b->field->name, "n") != 0) {
        return gql_execute_resolve_property(b);
    }
    for (i = 0; i < b->count; i++) {
        b->rows[i].given = 1;
        b->rows[i].n = 1;
        b->rows[i].items = items;
    }
    return NULL;
}

static void row_values(void)
{
    static const char *const sdl =
        "type Query { l: [T] one: T req: T! none: T reqnone: T! "
        "ll: [T!]! nl: [T!] nested: [[T]] n: [[T]] }\n"
        "type T { x: Int t: T ts: [T] rt: T! }\n";
    static const char *const data =
        "{\"l\":[{\"x\":1,\"t\":{\"x\":2,\"rt\":{\"x\":9}},"
        "\"ts\":[{\"x\":3},{\"x\":4}]},{\"x\":5,\"t\":null,\"ts\":[]}],"
        "\"one\":{\"x\":6},\"req\":{\"x\":7},\"none\":null,"
        "\"reqnone\":null,\"ll\":[{\"x\":8}],\"nl\":[{\"x\":1}],"
        "\"nested\":[[{\"x\":1}]]}";
    static const char *const queries[] = {
        "{ l { x t { x t { x } rt { x } } ts { x } } one { x } req { x } "
        "none { x } ll { x } nested { x } }",
        "{ reqnone { x } }",
        "{ l { t { rt { x } } } nl { rt { x } } }",
        "{ l { x } one { __typename x } }"
    };
    const gql_schema_t *s = schema_of(pool, sdl);
    json_object *root = parse_json(pool, data);
    gql_resolvers_t as_rows = {rowing, NULL, NULL};
    gql_resolvers_t nested = {rowing_nested, NULL, NULL};
    apr_size_t k;

    for (k = 0; k < sizeof(queries) / sizeof(queries[0]); k++) {
        const char *want = execute(pool, s, queries[k], NULL, NULL, root,
                                   NULL);

        row_parents = row_parent_values = 0;
        is_str(execute(pool, s, queries[k], NULL, NULL, root, &as_rows),
               want, apr_psprintf(pool, "rows: %s as its values give it",
                                  queries[k]));
        ok((k == 1 || row_parents > 0) && row_parent_values == 0,
           apr_psprintf(pool, "rows: %s has rows for parents (%d), and no "
                        "value beside a row (%d)", queries[k], row_parents,
                        row_parent_values));
    }
    ok(strstr(execute(pool, s, "{ reqnone { x } }", NULL, NULL, root,
                      &as_rows), "Cannot return null for non-nullable "
              "field Query.reqnone.") != NULL,
       "rows: none for a non-null field is that field's error");
    is_str(canon(pool, execute(pool, s, "{ n { x } }", NULL, NULL, root,
                               &nested)),
           canon(pool, "{\"errors\":[{\"message\":\"Expected Iterable, but"
                 " did not find one for field \\\"Query.n\\\".\","
                 "\"locations\":[{\"line\":1,\"column\":3}],"
                 "\"path\":[\"n\",0]}],\"data\":{\"n\":[null]}}"),
           "rows: a row where a list is due is not iterable");
}

int main(int argc, const char *const *argv)
{
    int i;

    apr_app_initialize(&argc, &argv, NULL);
    apr_pool_create(&pool, NULL);
    batch_property();
    mutation_serial();
    resolver_errors();
    merged_nodes();
    text_leaves();
    row_values();
    if (argc > 1) {
        for (i = 1; i < argc; i++) {
            run_case(argv[i], argv[i]);
        }
    }
    else {
        run_cases(CASES);
    }
    apr_pool_destroy(pool);
    apr_terminate();
    return tap_done();
}
