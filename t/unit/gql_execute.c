/* Licensed under the Apache License, Version 2.0 (the "License"); you may
 * not use this file except in compliance with the License.  You may obtain
 * a copy of the License at http://www.apache.org/licenses/LICENSE-2.0
 */

/*
 * t/unit/gql_execute.c: the first execution step without a server:
 * validation it relies on, operation selection, root field collection
 * (aliases, @skip/@include, fragments), null propagation, and the JSON
 * written.  Expected texts are what graphql-js 16 answers.
 */

#include <apr_general.h>
#include <apr_strings.h>
#include "gql_execute.h"
#include "gql_json.h"
#include "gql_parser.h"
#include "tap.h"

static apr_pool_t *pool;

static const char *const sdl_full =
    "interface Node { id: ID }\n"
    "type Query implements Node {\n"
    "  id: ID\n  hello: String\n  count: Int\n  abc: Int\n"
    "  version: Int!\n}\n"
    "type Mutation { bump: Int }\n";

static const char *const sdl_query_only =
    "type Query { a: Int ag: Int aB: Int ab: Int ac: Int ad: Int ae: Int "
    "a10: Int a9: Int }\n";

static gql_schema_t *schema(const char *sdl)
{
    gql_error_t *err = NULL;
    const gql_document_t *doc = gql_parse(pool, sdl, strlen(sdl), "t.graphql",
                                          &err);
    apr_array_header_t *errors = gql_errors_make(pool);
    gql_schema_t *s;

    if (doc == NULL) {
        diag("schema does not parse: %s", gql_error_format(pool, err));
        return NULL;
    }
    s = gql_schema_build(pool, pool, &doc, 1, errors);
    if (s == NULL && errors->nelts > 0) {
        diag("schema: %s", gql_error_format(pool, APR_ARRAY_IDX(errors, 0,
                                                       gql_error_t *)));
    }
    return s;
}

/* The response text for a query; "PREPARE-FAILED " or "NO-DATA " is put
 * in front when the operation could not be prepared or run. */
static const char *exec_full(const gql_schema_t *s, const char *query,
                             const char *opname, const char *vars)
{
    gql_request_t req;
    gql_result_t res;
    gql_operation_t *op;
    const char *prefix = "";

    memset(&req, 0, sizeof(req));
    req.query = query;
    req.query_len = strlen(query);
    req.operation_name = opname;
    if (vars != NULL) {
        req.variables = gql_json_own(pool, json_tokener_parse(vars));
    }
    op = gql_execute_prepare(pool, s, &req, &res);
    if (op == NULL) {
        prefix = "PREPARE-FAILED ";
    }
    else {
        gql_execute_run(pool, op, &res);
        if (!res.has_data) {
            prefix = "NO-DATA ";
        }
    }
    return apr_pstrcat(pool, prefix, gql_json_response(pool, res.errors,
                                                       res.data,
                                                       res.has_data), NULL);
}

static const gql_schema_t *full;

static const char *exec(const char *query)
{
    return exec_full(full, query, NULL, NULL);
}

static void test_basics(void)
{
    is_str(exec("{ __typename }"), "{\"data\":{\"__typename\":\"Query\"}}",
           "__typename");
    is_str(exec("query Q { b: count a: hello t: __typename hello }"),
           "{\"data\":{\"b\":null,\"a\":null,\"t\":\"Query\","
           "\"hello\":null}}", "aliases, selection order, null fields");
    is_str(exec("{ a: hello a: hello }"), "{\"data\":{\"a\":null}}",
           "one key for fields that share it");
    is_str(exec("{ __schema { queryType { name } } }"),
           "{\"data\":{\"__schema\":null}}",
           "__schema is valid (introspection is a later step)");
    is_str(exec("{ version hello }"),
           "{\"errors\":[{\"message\":\"Cannot return null for non-nullable "
           "field Query.version.\",\"locations\":[{\"line\":1,\"column\":3}],"
           "\"path\":[\"version\"]}],\"data\":null}",
           "non-null null propagates to data");
    is_str(exec("{ v: version\n v: version }"),
           "{\"errors\":[{\"message\":\"Cannot return null for non-nullable "
           "field Query.version.\",\"locations\":[{\"line\":1,\"column\":3},"
           "{\"line\":2,\"column\":2}],\"path\":[\"v\"]}],\"data\":null}",
           "the error locates every field of the key; path is the alias");
    is_str(exec("{ hello"), "PREPARE-FAILED {\"errors\":[{\"message\":"
           "\"Syntax Error: Expected Name, found <EOF>.\",\"locations\":"
           "[{\"line\":1,\"column\":8}]}]}", "syntax error");
}

static void test_directives(void)
{
    is_str(exec("{ a: hello @skip(if: true) b: hello @skip(if: false) "
                "c: hello @include(if: false) d: hello @include(if: true) "
                "e: hello @skip(if: false) @include(if: false) }"),
           "{\"data\":{\"b\":null,\"d\":null}}", "literal @skip/@include");
    is_str(exec_full(full, "query ($s: Boolean!, $t: Boolean = true) "
                     "{ a: hello @skip(if: $s) b: hello @include(if: $t) "
                     "c: hello @include(if: $s) }", NULL, "{\"s\":true}"),
           "{\"data\":{\"b\":null,\"c\":null}}",
           "variables and a default value");
    is_str(exec_full(full, "query ($t: Boolean = true) "
                     "{ b: hello @include(if: $t) }", NULL, "{\"t\":false}"),
           "{\"data\":{}}", "a given value beats the default");
    is_str(exec_full(full, "query ($s: Boolean!) { a: hello @skip(if: $s) }",
                     NULL, NULL),
           "NO-DATA {\"errors\":[{\"message\":\"Variable \\\"$s\\\" of "
           "required type \\\"Boolean!\\\" was not provided.\","
           "\"locations\":[{\"line\":1,\"column\":8}]}]}",
           "missing Boolean! variable");
    is_str(exec_full(full, "query ($s: Boolean!) { a: hello @skip(if: $s) }",
                     NULL, "{\"s\":null}"),
           "NO-DATA {\"errors\":[{\"message\":\"Variable \\\"$s\\\" of "
           "non-null type \\\"Boolean!\\\" must not be null.\","
           "\"locations\":[{\"line\":1,\"column\":8}]}]}",
           "null Boolean! variable");
    is_str(exec_full(full, "query ($s: Boolean!) { a: hello @skip(if: $s) }",
                     NULL, "{\"s\":\"x\"}"),
           "NO-DATA {\"errors\":[{\"message\":\"Variable \\\"$s\\\" got "
           "invalid value \\\"x\\\"; Boolean cannot represent a non boolean "
           "value: \\\"x\\\"\",\"locations\":[{\"line\":1,\"column\":8}]}]}",
           "non-boolean Boolean variable");
}

static void test_fragments(void)
{
    is_str(exec("{ hello ...on Query { count } ...F ... { abc } } "
                "fragment F on Query { __typename hello }"),
           "{\"data\":{\"hello\":null,\"count\":null,\"__typename\":"
           "\"Query\",\"abc\":null}}", "inline fragments and spreads");
    is_str(exec("{ ...on Node { id } }"), "{\"data\":{\"id\":null}}",
           "a fragment on an interface of the root applies");
    is_str(exec("{ ...F @skip(if: true) t: __typename } "
                "fragment F on Query { hello }"),
           "{\"data\":{\"t\":\"Query\"}}", "a skipped spread");
    is_str(exec("{ ...A } fragment A on Query { ...B t: __typename } "
                "fragment B on Query { ...A u: __typename }"),
           "{\"data\":{\"u\":\"Query\",\"t\":\"Query\"}}",
           "spread cycles end (each fragment spread once)");
    is_str(exec("{ ...G }"), "PREPARE-FAILED {\"errors\":[{\"message\":"
           "\"Unknown fragment \\\"G\\\".\",\"locations\":[{\"line\":1,"
           "\"column\":6}]}]}", "unknown fragment");
}

static void test_validation(void)
{
    is_str(exec("{ a x ...F } fragment F on Query { y }"),
           "PREPARE-FAILED {\"errors\":[{\"message\":\"Cannot query field "
           "\\\"a\\\" on type \\\"Query\\\".\",\"locations\":[{\"line\":1,"
           "\"column\":3}]},"
           "{\"message\":\"Cannot query field \\\"x\\\" on type "
           "\\\"Query\\\".\",\"locations\":[{\"line\":1,\"column\":5}]},"
           "{\"message\":\"Cannot query field \\\"y\\\" on type "
           "\\\"Query\\\".\",\"locations\":[{\"line\":1,\"column\":36}]}]}",
           "unknown fields, in document order");
    is_str(exec("{ abd }"),
           "PREPARE-FAILED {\"errors\":[{\"message\":\"Cannot query field "
           "\\\"abd\\\" on type \\\"Query\\\". Did you mean \\\"abc\\\" or "
           "\\\"id\\\"?\",\"locations\":[{\"line\":1,\"column\":3}]}]}",
           "two suggestions");
    is_str(exec("{ ABC helo Count }"),
           "PREPARE-FAILED {\"errors\":[{\"message\":\"Cannot query field "
           "\\\"ABC\\\" on type \\\"Query\\\". Did you mean \\\"abc\\\"?\","
           "\"locations\":[{\"line\":1,\"column\":3}]},{\"message\":"
           "\"Cannot query field \\\"helo\\\" on type \\\"Query\\\". Did you "
           "mean \\\"hello\\\"?\",\"locations\":[{\"line\":1,\"column\":7}]},"
           "{\"message\":\"Cannot query field \\\"Count\\\" on type "
           "\\\"Query\\\". Did you mean \\\"count\\\"?\",\"locations\":"
           "[{\"line\":1,\"column\":12}]}]}", "suggestions");
    is_str(exec("type X { a: Int } schema { query: Query } "
                "extend type Foo { y: Int } { hello }"),
           "PREPARE-FAILED {\"errors\":[{\"message\":\"The \\\"X\\\" "
           "definition is not executable.\",\"locations\":[{\"line\":1,"
           "\"column\":1}]},{\"message\":\"The schema definition is not "
           "executable.\",\"locations\":[{\"line\":1,\"column\":19}]},"
           "{\"message\":\"The \\\"Foo\\\" definition is not executable.\","
           "\"locations\":[{\"line\":1,\"column\":43}]}]}",
           "executable definitions");
    is_str(exec("query A { hello } { hello }"),
           "PREPARE-FAILED {\"errors\":[{\"message\":\"This anonymous "
           "operation must be the only defined operation.\",\"locations\":"
           "[{\"line\":1,\"column\":19}]}]}", "lone anonymous operation");
}

static void test_operations(void)
{
    const char *two = "query A { a: __typename } mutation B { bump }";
    const gql_schema_t *small = schema(sdl_query_only);
    gql_request_t req;
    gql_result_t res;
    gql_operation_t *op;

    is_str(exec_full(full, two, "A", NULL), "{\"data\":{\"a\":\"Query\"}}",
           "operationName A");
    is_str(exec_full(full, two, "B", NULL), "{\"data\":{\"bump\":null}}",
           "operationName B, a mutation");
    is_str(exec_full(full, two, NULL, NULL), "PREPARE-FAILED {\"errors\":"
           "[{\"message\":\"Must provide operation name if query contains "
           "multiple operations.\"}]}", "several operations, no name");
    is_str(exec_full(full, two, "C", NULL), "PREPARE-FAILED {\"errors\":"
           "[{\"message\":\"Unknown operation named \\\"C\\\".\"}]}",
           "unknown operation name");
    is_str(exec("fragment F on Query { hello }"), "PREPARE-FAILED "
           "{\"errors\":[{\"message\":\"Must provide an operation.\"}]}",
           "no operation");
    ok(small != NULL, "a schema without mutations");
    if (small != NULL) {
        is_str(exec_full(small, "mutation { x }", NULL, NULL),
               "{\"errors\":[{\"message\":\"Schema is not configured to "
               "execute mutation operation.\",\"locations\":[{\"line\":1,"
               "\"column\":1}]}],\"data\":null}", "no mutation root");
        is_str(exec_full(small, "{ A }", NULL, NULL),
               "PREPARE-FAILED {\"errors\":[{\"message\":\"Cannot query "
               "field \\\"A\\\" on type \\\"Query\\\". Did you mean "
               "\\\"a\\\", \\\"a9\\\", \\\"aB\\\", \\\"ab\\\", or "
               "\\\"ac\\\"?\",\"locations\":[{\"line\":1,\"column\":3}]}]}",
               "at most five suggestions, in graphql-js's order");
        is_str(exec_full(small, "subscription { x }", NULL, NULL),
               "{\"errors\":[{\"message\":\"Schema is not configured to "
               "execute subscription operation.\",\"locations\":[{\"line\":1,"
               "\"column\":1}]}],\"data\":null}", "no subscription root");
    }
    memset(&req, 0, sizeof(req));
    req.query = two;
    req.query_len = strlen(two);
    req.operation_name = "B";
    op = gql_execute_prepare(pool, full, &req, &res);
    ok(op != NULL && gql_execute_kind(op) == GQL_OP_MUTATION,
       "the kind of the selected operation");
}

int main(void)
{
    apr_initialize();
    apr_pool_create(&pool, NULL);
    full = schema(sdl_full);
    if (ok(full != NULL, "the test schema builds")) {
        test_basics();
        test_directives();
        test_fragments();
        test_validation();
        test_operations();
    }
    apr_pool_destroy(pool);
    apr_terminate();
    return tap_done();
}
