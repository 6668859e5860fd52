/* Licensed under the Apache License, Version 2.0 (the "License"); you may
 * not use this file except in compliance with the License.  You may obtain
 * a copy of the License at http://www.apache.org/licenses/LICENSE-2.0
 */

/*
 * gql_parser.h: tokens -> gql_document_t, for executable documents and for
 * the type system (SDL) alike; which definitions a caller accepts is the
 * caller's business (the schema builder refuses operations, the validator
 * refuses type definitions).
 */

#ifndef GQL_PARSER_H
#define GQL_PARSER_H

#include "gql_ast.h"

/* Deepest nesting of selection sets, list/object values and type
 * references that a document may have.  Deeper input gets a syntax error,
 * never a stack overflow. */
#define GQL_MAX_DEPTH 1000

/*
 * Parse src[0..len) (UTF-8, need not be NUL-terminated; a leading BOM is
 * skipped).  source names the text in messages and may be NULL.
 *
 * On success returns the document, allocated in p, and leaves *err alone.
 * On a syntax error returns NULL and sets *err to an error (in p) whose
 * message starts "Syntax Error: " in graphql-js's wording and whose one
 * location is where the problem is.  A GraphQL parser stops at the first
 * syntax error, so there is only ever one.
 */
gql_document_t *gql_parse(apr_pool_t *p, const char *src, apr_size_t len,
                          const char *source, gql_error_t **err);

/* extensions.code of the error past a token limit. */
#define GQL_TOKEN_LIMIT_CODE "TOKEN_LIMIT_EXCEEDED"

/*
 * gql_parse() that stops at the token after the first max_tokens (0: no
 * limit), as graphql-js's maxTokens option does: <EOF> does not count,
 * and the token past the limit gets the error "Syntax Error: Document
 * contains more than N tokens. Parsing aborted." at its location, with
 * code GQL_TOKEN_LIMIT_CODE.  A lexical error met first is the error, as
 * in graphql-js.  For clients' documents only: a schema's SDL is the
 * administrator's and has no such limit.
 */
gql_document_t *gql_parse_limited(apr_pool_t *p, const char *src,
                                  apr_size_t len, const char *source,
                                  int max_tokens, gql_error_t **err);

#endif /* GQL_PARSER_H */
