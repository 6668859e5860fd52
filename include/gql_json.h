/* Licensed under the Apache License, Version 2.0 (the "License"); you may
 * not use this file except in compliance with the License.  You may obtain
 * a copy of the License at http://www.apache.org/licenses/LICENSE-2.0
 */

/*
 * gql_json.h: json-c trees tied to pools, and the response writer.
 *
 * json-c objects live on json-c's heap.  Each tree that the engine makes is
 * handed to gql_json_own() once, which registers the one pool cleanup that
 * releases it; nothing else calls json_object_put().  A tree added into
 * another with json_object_object_add() or json_object_array_add() belongs
 * to that parent and must not be owned again.
 */

#ifndef GQL_JSON_H
#define GQL_JSON_H

#include <apr_pools.h>
#include <apr_tables.h>
#include <json-c/json.h>
#include "gql_error.h"

/* Release o (may be NULL) when p is cleared or destroyed.  Returns o. */
json_object *gql_json_own(apr_pool_t *p, json_object *o);

/* Keep o (may be NULL) alive until p is cleared or destroyed: one json-c
 * array per pool holds a reference to every value kept in it.  For values
 * that are shared between trees rather than added into one; a parent that
 * takes o must take its own reference (json_object_get).  Returns o. */
json_object *gql_json_keep(apr_pool_t *p, json_object *o);

/* o as compact JSON text (no slash escapes).  The text lives as long as
 * o does, i.e. until the owning pool goes. */
const char *gql_json_text(json_object *o);

/* One GraphQL error as {"message", "locations", "path", "extensions"},
 * members in graphql-js's order, absent ones left out.  The result is
 * not owned: add it to a tree or pass it to gql_json_own(). */
json_object *gql_json_error(const gql_error_t *e);

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

#endif /* GQL_JSON_H */
