/* Licensed under the Apache License, Version 2.0 (the "License"); you may
 * not use this file except in compliance with the License.  You may obtain
 * a copy of the License at http://www.apache.org/licenses/LICENSE-2.0
 */

/*
 * ast_dump.h: a document as JSON, for the tests (t/unit/ast_dump.c).
 *
 * The dump follows graphql-js's AST (same "kind" names and member names)
 * so that a reference tree made by graphql-js can be compared with it:
 * every node has "kind" and "loc" ("LINE:COLUMN" of its first token); a
 * name is the string "value@LINE:COLUMN"; members that are absent (NULL,
 * empty list) are left out.  t/tools/expected.js writes the same form.
 */

#ifndef AST_DUMP_H
#define AST_DUMP_H

#include <json-c/json.h>
#include "gql_ast.h"

/* The dump of doc.  The tree belongs to p: a cleanup on p releases it, so
 * the caller never calls json_object_put on it. */
json_object *gql_ast_dump(apr_pool_t *p, const gql_document_t *doc);

#endif /* AST_DUMP_H */
