/* Licensed under the Apache License, Version 2.0 (the "License"); you may
 * not use this file except in compliance with the License.  You may obtain
 * a copy of the License at http://www.apache.org/licenses/LICENSE-2.0
 */

/*
 * gql_coerce.h: input and result coercion (spec 6.1.2, 6.4.1, 6.4.3 and
 * the coercion rules of each scalar in section 3).
 *
 * Runtime values are json-c values: an input object is a JSON object, a
 * list an array, Int an int64 that fits 32 bits, Float a double, String
 * and ID strings, Boolean a boolean, an enum value its name as a string,
 * null is NULL.  A coerced object has a member for a field only when the
 * field was given or has a default ("absent" and "null" differ).
 *
 * Ownership follows gql_json.h.  What gql_coerce_variables(),
 * gql_coerce_arguments() and gql_coerce_literal() return is borrowed from
 * the pool passed (each tree's root is given to it once, with
 * gql_json_own): a caller that puts it into a tree of its own takes a
 * reference (gql_json_ref).  gql_coerce_result_new() returns a new
 * reference.  Values passed in are only borrowed; a coerced value may
 * share parts with them (a String input is its own coercion).
 */

#ifndef GQL_COERCE_H
#define GQL_COERCE_H

#include <json-c/json.h>
#include "gql_ast.h"
#include "gql_print.h"
#include "gql_schema.h"

/*
 * CoerceVariableValues: the operation's variable definitions against the
 * request's "variables" object (inputs may be NULL: none given).  Returns
 * the coerced values as an object (never NULL on success), or NULL after
 * appending errors in graphql-js's wording ('Variable "$x" of required
 * type "Int!" was not provided.', 'Variable "$x" got invalid value "a";
 * Int cannot represent non-integer value: "a"', ...), which make a request
 * error: the response has no "data".
 */
json_object *gql_coerce_variables(apr_pool_t *p, const gql_schema_t *schema,
                                  const gql_definition_t *operation,
                                  json_object *inputs,
                                  apr_array_header_t *errors);

/*
 * CoerceArgumentValues for a field or a directive: defs are the
 * gql_input_value_t * it defines, args the gql_argument_t * written, at
 * the field or directive (where a missing argument is reported).
 * Returns an object of the coerced arguments, or NULL with *err set (a
 * field error, located at the argument's value, or at `at` when it is
 * missing) when one cannot be coerced.
 */
json_object *gql_coerce_arguments(apr_pool_t *p,
                                  const apr_array_header_t *defs,
                                  const apr_array_header_t *args,
                                  const gql_loc_t *at,
                                  json_object *variables, gql_error_t **err);

/*
 * A literal (or a default value) as a value of type t, reading variables
 * for $x.  Returns 1 with *out set (NULL for null; borrowed from p), or 0
 * when the literal is not a valid t.
 */
int gql_coerce_literal(apr_pool_t *p, const gql_tref_t *t,
                       const gql_value_t *literal, json_object *variables,
                       json_object **out);

/*
 * Result coercion of a leaf (scalar or enum) value that a resolver
 * produced: Int must fit 32 bits, Float be finite, enums name a value of
 * the type, custom scalars pass through.  Returns 1 with *out set to a new
 * reference, or 0 with *msg set in graphql-js's wording ('Int cannot
 * represent non-integer value: "a"', allocated in p).
 */
int gql_coerce_result_new(apr_pool_t *p, const gql_type_t *leaf,
                          json_object *raw, json_object **out,
                          const char **msg);

#endif /* GQL_COERCE_H */
