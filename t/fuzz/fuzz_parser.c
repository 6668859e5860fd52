/* Licensed under the Apache License, Version 2.0 (the "License"); you may
 * not use this file except in compliance with the License.  You may obtain
 * a copy of the License at http://www.apache.org/licenses/LICENSE-2.0
 */

/*
 * t/fuzz/fuzz_parser.c: libFuzzer target for the lexer and parser.  Each
 * input is parsed as a document (executable and SDL share the parser);
 * a document that parses is dumped, so that every node is visited.  One
 * pool per input, so that nothing carries over between inputs.
 */

#include <stdint.h>
#include <string.h>
#include <apr_general.h>
#include "gql_parser.h"
#include "../unit/ast_dump.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static int initialised;
    apr_pool_t *p;
    gql_error_t *err = NULL;
    gql_document_t *doc;

    if (!initialised) {
        apr_initialize();
        initialised = 1;
    }
    apr_pool_create(&p, NULL);
    doc = gql_parse(p, (const char *)data, size, "fuzz", &err);
    if (doc != NULL) {
        json_object_to_json_string_ext(gql_ast_dump(p, doc),
                                       JSON_C_TO_STRING_PLAIN);
    }
    else if (err == NULL || strncmp(err->message, "Syntax Error: ", 14) != 0
             || err->locations == NULL || err->locations->nelts != 1) {
        __builtin_trap();       /* a failure must say where and why */
    }
    apr_pool_destroy(p);
    return 0;
}
