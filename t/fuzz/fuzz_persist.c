/* Licensed under the Apache License, Version 2.0 (the "License"); you may
 * not use this file except in compliance with the License.  You may obtain
 * a copy of the License at http://www.apache.org/licenses/LICENSE-2.0
 */

/*
 * t/fuzz/fuzz_persist.c: libFuzzer target for persisted documents' files
 * (gql_persist.h).  The first byte of an input says its format (even: a
 * JSON manifest, odd: a .graphql file), the rest is its text; a set that
 * loads is prepared against a small schema.  Every error must name its
 * file.  One pool per input, so that nothing carries over between
 * inputs.
 */

#include <stdint.h>
#include <string.h>
#include <apr_general.h>
#include <apr_strings.h>
#include "gql_persist.h"
#include "../unit/operation.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* A failure must say which file. */
static void check(const apr_array_header_t *errors)
{
    int i;

    for (i = 0; i < errors->nelts; i++) {
        if (APR_ARRAY_IDX(errors, i, const gql_error_t *)->source == NULL) {
            __builtin_trap();
        }
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static int initialised;
    apr_pool_t *p;
    gql_persist_set_t *set;
    apr_array_header_t *errors;
    gql_schema_t *s;
    gql_validate_opts_t opts = { .introspection = 1, .max_depth = 10 };
    const char *text;

    if (size == 0) {
        return 0;
    }
    if (!initialised) {
        apr_initialize();
        initialised = 1;
    }
    apr_pool_create(&p, NULL);
    set = gql_persist_make(p);
    errors = gql_errors_make(p);
    text = apr_pstrmemdup(p, (const char *)data + 1, size - 1);
    if (gql_persist_load_text(set, p, data[0] & 1 ? "fuzz.graphql"
                              : "fuzz.json", text, size - 1, errors) == 0) {
        s = schema_of(p, "type Query { a: Int b(x: Int): Q }\n"
                         "type Q { a: Int q: Q }\n");
        gql_persist_prepare(set, p, s, &opts, errors);
    }
    check(errors);
    apr_pool_destroy(p);
    return 0;
}
