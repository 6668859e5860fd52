/* Licensed under the Apache License, Version 2.0 (the "License"); you may
 * not use this file except in compliance with the License.  You may obtain
 * a copy of the License at http://www.apache.org/licenses/LICENSE-2.0
 */

/*
 * gql_writer.h: JSON text written straight into one growing buffer, for
 * the response's data: no json-c tree is built for the result's objects
 * and lists, only its leaves are json-c values.  The text of a value is
 * exactly what json-c writes for it (JSON_C_TO_STRING_PLAIN |
 * JSON_C_TO_STRING_NOSLASHESCAPE): strings, integers, booleans and null
 * are written here, anything else through json-c.
 *
 * The buffer lives in the pool given to gql_writer_make(); it may be cut
 * back to an earlier length (gql_writer_len, gql_writer_cut), which is how
 * a null that propagates to an ancestor takes back what was written of
 * the ancestor so far.
 */

#ifndef GQL_WRITER_H
#define GQL_WRITER_H

#include <apr_pools.h>
#include <json-c/json.h>

typedef struct gql_writer_t gql_writer_t;

gql_writer_t *gql_writer_make(apr_pool_t *p, apr_size_t size_hint);

void gql_writer_put(gql_writer_t *w, const char *s, apr_size_t n);

/* One character (a bracket, a brace, a comma): no copy of a string. */
void gql_writer_putc(gql_writer_t *w, char c);

/* A C string. */
void gql_writer_puts(gql_writer_t *w, const char *s);

/* An object member's key and its colon, after a comma when comma is set:
 * ,"key":  The key is written as it is (a GraphQL name needs no
 * escape). */
void gql_writer_key(gql_writer_t *w, int comma, const char *key);

/* v as JSON text (NULL: null); v is only read. */
void gql_writer_value(gql_writer_t *w, json_object *v);

/* s[0..n) as a JSON string, quoted and escaped as json-c does. */
void gql_writer_string(gql_writer_t *w, const char *s, apr_size_t n);

apr_size_t gql_writer_len(const gql_writer_t *w);

/* Back to an earlier length. */
void gql_writer_cut(gql_writer_t *w, apr_size_t len);

/* The text so far, NUL-terminated, in the writer's pool; valid until the
 * next write. */
const char *gql_writer_text(gql_writer_t *w);

#endif /* GQL_WRITER_H */
