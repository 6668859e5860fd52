/* Licensed under the Apache License, Version 2.0 (the "License"); you may
 * not use this file except in compliance with the License.  You may obtain
 * a copy of the License at http://www.apache.org/licenses/LICENSE-2.0
 */

/*
 * gql_json.h: json-c values tied to pools, and the response writer.
 *
 * json-c values live on json-c's heap, counted by reference.  One rule
 * says who holds each reference, and the names say it, as in json-c and
 * jansson (whose json_object_set_new() steals what json_object_set()
 * borrows):
 *
 * - New references.  A function that returns a json_object *, as its
 *   value or through an out parameter, returns a new reference when its
 *   name says "new" (json-c's json_object_new_*(), gql_json_error_new(),
 *   gql_coerce_result_new(), a file's new_*() and *_new() helpers) or
 *   "ref" (gql_json_ref()); so are a resolver's results[] (gql_execute.h).
 *   Whoever holds a new reference hands it on exactly once:
 *     into a parent with json_object_object_add() or
 *       json_object_array_add(), which steal it;
 *     to a pool with gql_json_own() (the root of a tree) or
 *       gql_json_keep() (a value that no one tree will hold), which
 *       steal it too;
 *     up to its own caller, as what a "new" function returns;
 *     or, when it ends up nowhere (the part made of a value before a
 *       failure), to gql_json_drop().
 * - Borrowed values.  Every other json_object * that a function returns
 *   or is passed belongs to someone else (a pool, a parent) and lives as
 *   long as its owner, which the function's contract names.  A borrower
 *   never releases it; to hand it on as a new reference (into a tree of
 *   its own, or as a resolver's result) it takes one with gql_json_ref().
 *
 * So a tree is made bottom up from new references, and its root is given
 * to a pool once; the keeper is for what the executor gets from its
 * resolvers and completes, whose end is not one tree.  json_object_get()
 * and json_object_put() are called in gql_json.c only.
 */

#ifndef GQL_JSON_H
#define GQL_JSON_H

#include <apr_pools.h>
#include <apr_tables.h>
#include <json-c/json.h>
#include "gql_error.h"

/* Take o (a new reference; may be NULL) and release it when p is cleared
 * or destroyed: one pool cleanup for o, the root of a tree.  Returns o,
 * now borrowed from p. */
json_object *gql_json_own(apr_pool_t *p, json_object *o);

/* Take o (a new reference; may be NULL) into p's keeper: one json-c array
 * per pool, released when p is cleared or destroyed, holds every value
 * kept in it.  For the many values of a request that no one tree holds
 * and whose end is not known when they are made (a resolver's results,
 * the leaves the executor completes); a tree's root goes to
 * gql_json_own().  Returns o, now borrowed from p. */
json_object *gql_json_keep(apr_pool_t *p, json_object *o);

/* p's keeper (borrowed from p), and gql_json_keep() into it: for a caller
 * that keeps many values in one pool, which then finds the keeper once. */
json_object *gql_json_keeper(apr_pool_t *p);
json_object *gql_json_keep_in(json_object *keeper, json_object *o);

/* The one value of p under key (a static string), made by make the first
 * time and owned by p; borrowed.  For a value that many parts of a
 * request share and none changes (the keeper, an empty object). */
json_object *gql_json_pool_value(apr_pool_t *p, const char *key,
                                 json_object *(*make)(void));

/* A new reference to o, a borrowed value (NULL stays NULL).  Returns o. */
json_object *gql_json_ref(json_object *o);

/* Give up o, a new reference that is handed to no one (NULL: nothing). */
void gql_json_drop(json_object *o);

/* o as compact JSON text (no slash escapes).  The text lives as long as
 * o does, i.e. until the owning pool goes. */
const char *gql_json_text(json_object *o);

/* One GraphQL error as {"message", "locations", "path", "extensions"},
 * members in graphql-js's order, absent ones left out: a new reference. */
json_object *gql_json_error_new(const gql_error_t *e);

/*
 * The response body: {"errors":[...],"data":...}, errors first as
 * graphql-js writes them.  errors (gql_error_t *) may be NULL or empty
 * (then there is no "errors" member).  has_data says whether "data" is
 * present at all (it is not when the request failed before execution);
 * data is its value as JSON text (NULL means JSON null), as the executor
 * writes it.  The text is allocated in p.
 */
const char *gql_json_response(apr_pool_t *p, const apr_array_header_t *errors,
                              const char *data, int has_data);

/* {"errors":[{"message":"MESSAGE"}]}: the body of a request error. */
const char *gql_json_request_error(apr_pool_t *p, const char *message);

/*
 * Where JSON text holds U+0000, which json-c keeps in a string value but
 * silently cuts a member name at ("a\u0000b" becomes "a"): the flags
 * GQL_JSON_NUL_NAME (in a member name) and GQL_JSON_NUL_VALUE (in a
 * string value), or 0.  text[0..len) is read as JSON's strings are
 * written, by their quotes and escapes; it need not be valid JSON.
 */
#define GQL_JSON_NUL_NAME 1
#define GQL_JSON_NUL_VALUE 2
int gql_json_nul(const char *text, apr_size_t len);

#endif /* GQL_JSON_H */
