/* Licensed under the Apache License, Version 2.0 (the "License"); you may
 * not use this file except in compliance with the License.  You may obtain
 * a copy of the License at http://www.apache.org/licenses/LICENSE-2.0
 */

/*
 * gql_lexer.h: bytes -> tokens.
 *
 * The lexer reads src[0..len) (UTF-8, not necessarily NUL-terminated) one
 * token at a time, on demand, as graphql-js does: ignored tokens (white
 * space, line terminators, commas, comments, byte order marks) are skipped
 * and never returned.  Positions are 1-based lines and columns, a column
 * counting UTF-16 code units from the start of its line, which is what
 * graphql-js reports; CR, LF and CRLF each end a line.
 *
 * Nothing is allocated per token except the decoded text of a string or
 * block string, which is made once, in the lexer's pool, and kept by the
 * AST.  Names and numbers point into the source.
 */

#ifndef GQL_LEXER_H
#define GQL_LEXER_H

#include <apr_pools.h>
#include "gql_error.h"

/* ORDER TOKEN: gql_token_kind_names[] in gql_lexer.c follows this order */
typedef enum {
    GQL_TOK_SOF,
    GQL_TOK_EOF,
    GQL_TOK_BANG,
    GQL_TOK_DOLLAR,
    GQL_TOK_AMP,
    GQL_TOK_PAREN_L,
    GQL_TOK_PAREN_R,
    GQL_TOK_SPREAD,
    GQL_TOK_COLON,
    GQL_TOK_EQUALS,
    GQL_TOK_AT,
    GQL_TOK_BRACKET_L,
    GQL_TOK_BRACKET_R,
    GQL_TOK_BRACE_L,
    GQL_TOK_PIPE,
    GQL_TOK_BRACE_R,
    GQL_TOK_NAME,
    GQL_TOK_INT,
    GQL_TOK_FLOAT,
    GQL_TOK_STRING,
    GQL_TOK_BLOCK_STRING
} gql_token_kind_e;

/* "<SOF>", "<EOF>", "!", ... "Name", "Int", "Float", "String",
 * "BlockString": the words graphql-js uses in its messages. */
extern const char *const gql_token_kind_names[];

typedef struct gql_token_t {
    gql_token_kind_e kind;
    gql_loc_t loc;              /* of the first byte */
    apr_size_t offset;          /* of the first byte in src */
    apr_size_t len;             /* bytes of source the token spans */
    /* NAME, INT, FLOAT: src + offset, len bytes, not NUL-terminated.
     * STRING, BLOCK_STRING: the decoded value (pool memory, NUL-terminated,
     * may hold NULs).  Punctuators: NULL. */
    const char *value;
    apr_size_t value_len;
} gql_token_t;

typedef struct gql_lexer_t {
    apr_pool_t *pool;           /* decoded strings and the error */
    const char *src;
    apr_size_t len;
    apr_size_t pos;             /* next byte to read */
    unsigned int line;
    apr_size_t line_start;      /* offset of the current line's first byte */
    apr_size_t col_pos;         /* column cache: col_pos has column col */
    unsigned int col;
    gql_error_t *err;           /* set when gql_lexer_next fails */
} gql_lexer_t;

/* Start reading src[0..len).  All allocation is from p. */
void gql_lexer_init(gql_lexer_t *lx, apr_pool_t *p, const char *src,
                    apr_size_t len);

/* Read the next token into *tok.  Returns 0, or -1 on a syntax error with
 * lx->err set (message "Syntax Error: ...", one location; a bad escape's
 * message quotes the source as it is, a NUL too: gql_error_message_len).
 * At the end of the input the token is GQL_TOK_EOF, again on every later
 * call. */
int gql_lexer_next(gql_lexer_t *lx, gql_token_t *tok);

/* A syntax error at byte offset `at` of the lexer's source: a new error
 * in lx->pool whose message is "Syntax Error: " and the formatted text.
 * The parser uses it too, so that every syntax error looks alike. */
gql_error_t *gql_lexer_error(gql_lexer_t *lx, apr_size_t at,
                             const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* How graphql-js names a token in a message: `"{"`, `<EOF>`,
 * `Name "foo"`, `String "decoded text"`.  Allocated from p. */
const char *gql_token_describe(apr_pool_t *p, const gql_lexer_t *lx,
                               const gql_token_t *tok);

#endif /* GQL_LEXER_H */
