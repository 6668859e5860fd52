/* Licensed under the Apache License, Version 2.0 (the "License"); you may
 * not use this file except in compliance with the License.  You may obtain
 * a copy of the License at http://www.apache.org/licenses/LICENSE-2.0
 */

/*
 * gql_error.h: engine errors are values.
 *
 * Every stage reports problems by appending a gql_error_t to an array that
 * the caller owns.  Nothing longjmps and nothing prints.  The glue turns the
 * array into a GraphQL "errors" list (clients) or into log lines
 * (start-up: FILE:LINE:COL: message).
 */

#ifndef GQL_ERROR_H
#define GQL_ERROR_H

#include <apr_pools.h>
#include <apr_tables.h>

/* A position in a source text.  line and column are 1-based, the column
 * counted in UTF-16 code units as graphql-js counts them (a character
 * beyond U+FFFF counts 2).  line == 0 means "no position".  Every node of
 * a syntax tree has one or more: eight bytes, no byte offset (a token has
 * its own, gql_token_t.offset). */
typedef struct gql_loc_t {
    unsigned int line;
    unsigned int column;
} gql_loc_t;

/* One element of a response path: a response key or a list index. */
typedef struct gql_path_t gql_path_t;
struct gql_path_t {
    const gql_path_t *prev;     /* NULL at the root */
    const char *key;            /* NULL when this element is an index */
    int index;
};

typedef struct gql_error_t {
    const char *message;        /* what the client (or administrator) reads */
    apr_size_t message_len;     /* its bytes when it holds a NUL (it quotes
                                 * source text as graphql-js does, NULs and
                                 * all); 0: up to the first NUL */
    const char *source;         /* file name for schema errors, else NULL */
    apr_array_header_t *locations;  /* of gql_loc_t, may be empty */
    const gql_path_t *path;     /* NULL when the error has no path */
    const char *code;           /* extensions.code, or NULL */
    const char *internal;       /* detail for the log only, or NULL */
} gql_error_t;

/* An error list: apr_array_header_t of gql_error_t *, allocated in the
 * pool that the caller passes.  gql_errors_make() returns an empty one. */
apr_array_header_t *gql_errors_make(apr_pool_t *p);

/* Append an error with zero or one location (loc may be NULL) and a
 * printf-style message, at most GQL_ERROR_MAX_MESSAGE bytes.  Returns the
 * new error so that the caller can add more locations with
 * gql_error_add_loc().  All memory from p. */
gql_error_t *gql_error_add(apr_pool_t *p, apr_array_header_t *errors,
                           const gql_loc_t *loc, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

/* Append an error whose message is text[0..len) as it is, NULs and all
 * (copied into p, at most GQL_ERROR_MAX_MESSAGE bytes); loc as for
 * gql_error_add(). */
gql_error_t *gql_error_add_text(apr_pool_t *p, apr_array_header_t *errors,
                                const gql_loc_t *loc, const char *text,
                                apr_size_t len);

void gql_error_add_loc(apr_pool_t *p, gql_error_t *e, const gql_loc_t *loc);

/* The longest a message is: one that would be longer (it quotes several
 * names, or reasons nested in reasons) is cut to this many bytes, at a
 * UTF-8 character boundary, and ends with "...".  Above the longest
 * message graphql-js words in its cases (2,000 bytes: an overlap's
 * reasons). */
#define GQL_ERROR_MAX_MESSAGE 4096

/* Characters of what a client sent that a message quotes: a longer name,
 * string or printed value is cut there and followed by "..." (gql_print.h,
 * the lexer's token descriptions).  Above the 1,100-character alias that
 * graphql-js's own overlapping-fields case quotes whole. */
#define GQL_ERROR_QUOTE 1200

/* The bytes of the first chars characters of s[0..len) (UTF-8: a
 * character starts at every byte but 10xxxxxx), len when it has no more:
 * where a quote of client text is cut, never inside a character. */
apr_size_t gql_error_cut(const char *s, apr_size_t len, apr_size_t chars);

/* The bytes of e's message (message_len, or up to its NUL). */
apr_size_t gql_error_message_len(const gql_error_t *e);

/* "SOURCE:LINE:COL: message" (or "SOURCE: message" with no location), the
 * form start-up errors take; a message is cut at a NUL it holds. */
const char *gql_error_format(apr_pool_t *p, const gql_error_t *e);

#endif /* GQL_ERROR_H */
