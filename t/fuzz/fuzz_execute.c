/* Licensed under the Apache License, Version 2.0 (the "License"); you may
 * not use this file except in compliance with the License.  You may obtain
 * a copy of the License at http://www.apache.org/licenses/LICENSE-2.0
 */

/*
 * t/fuzz/fuzz_execute.c: libFuzzer target for everything a request meets
 * after the HTTP glue: the GraphQL-over-HTTP body, the parser, validation,
 * variable coercion, execution and introspection, over a fixed schema
 * (t/fuzz/execute/schema.graphql) and root value (root.json), both read
 * once.  An input that starts with '{' is a JSON request body; any other
 * input is the query itself.  Every answer must be a well-formed response:
 * errors with messages, and data present only when execution began.
 */

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <apr_general.h>
#include "gql_execute.h"
#include "gql_json.h"
#include "gql_request.h"
#include "gql_schema.h"
#include "../unit/operation.h"

#define SCHEMA_FILE "t/fuzz/execute/schema.graphql"
#define ROOT_FILE "t/fuzz/execute/root.json"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const gql_schema_t *schema;
static json_object *root;

static void setup(void)
{
    static apr_pool_t *pconf;
    apr_array_header_t *errors;
    const char *file = SCHEMA_FILE;

    apr_initialize();
    apr_pool_create(&pconf, NULL);
    errors = gql_errors_make(pconf);
    schema = gql_schema_load(pconf, pconf, NULL, &file, 1, errors);
    root = json_object_from_file(ROOT_FILE);
    if (schema == NULL || root == NULL) {
        fprintf(stderr, "fuzz_execute: cannot load %s or %s (run from the "
                "project root)\n", SCHEMA_FILE, ROOT_FILE);
        abort();
    }
}

static void check(const gql_result_t *res)
{
    int i;

    for (i = 0; i < res->errors->nelts; i++) {
        const gql_error_t *e = APR_ARRAY_IDX(res->errors, i, gql_error_t *);

        if (e == NULL || e->message == NULL || e->message[0] == '\0') {
            __builtin_trap();   /* every error says something */
        }
    }
    if (!res->has_data && res->errors->nelts == 0) {
        __builtin_trap();       /* no data needs a reason */
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    apr_pool_t *p;
    gql_request_t *req = NULL, one;
    gql_result_t res;
    gql_operation_t *op;
    gql_validate_opts_t opts = { 1 };
    const char *msg = NULL;

    if (schema == NULL) {
        setup();
    }
    apr_pool_create(&p, NULL);
    if (size > 0 && data[0] == '{') {
        if (gql_request_from_json(p, (const char *)data, size, &req, &msg)) {
            if (msg == NULL) {
                __builtin_trap();       /* a refusal says why */
            }
            apr_pool_destroy(p);
            return 0;
        }
    }
    else {
        memset(&one, 0, sizeof(one));
        one.query = (const char *)data;
        one.query_len = size;
        req = &one;
    }
    opts.introspection = size % 2;
    op = operation(p, schema, req->query, req->query_len, &opts,
                   req->operation_name, req->variables, &res);
    if (op != NULL) {
        gql_execute_run(p, op, NULL, root, NULL, &res);
    }
    check(&res);
    gql_json_response(p, res.errors, res.data, res.has_data);
    apr_pool_destroy(p);
    return 0;
}
