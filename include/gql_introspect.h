/* Licensed under the Apache License, Version 2.0 (the "License"); you may
 * not use this file except in compliance with the License.  You may obtain
 * a copy of the License at http://www.apache.org/licenses/LICENSE-2.0
 */

/*
 * gql_introspect.h: introspection (spec 4.2) as a resolver.
 *
 * The executor hands this stage the batches of __schema and __type on the
 * query root and of every field of the introspection types (__Schema,
 * __Type, __Field, __InputValue, __EnumValue, __Directive); __typename is
 * the executor's own.  The values passed between levels are json-c
 * objects that point into the schema (json_object_set_userdata), so
 * nothing of the schema is copied and nothing is built per request but
 * what is asked for.  It gives what graphql-js gives for the same SDL:
 * order of types, fields and directives, built-in descriptions, default
 * values printed as graphql-js prints them.
 *
 * The module's own server-side directives (the SQL mapping) never
 * appear: the schema builder sets server_side in their
 * gql_directive_def_t, and __schema.directives leaves them out.  Applied
 * directives are never shown at all (introspection has no field for
 * them), so no SQL text can leak through it.
 */

#ifndef GQL_INTROSPECT_H
#define GQL_INTROSPECT_H

#include "gql_execute.h"

/* Whether the field of parent_type is introspection's to resolve:
 * __schema and __type of the query root type, and every field of an
 * introspection type. */
int gql_introspect_owns(const gql_schema_t *schema,
                        const gql_type_t *parent_type,
                        const gql_field_t *field);

/* Resolve a batch of such a field (gql_resolve_fn).  The results are new
 * json-c references that the executor takes over; the values of object
 * type are opaque to everything but this stage. */
const char *gql_introspect_resolve(gql_resolve_t *batch);

#endif /* GQL_INTROSPECT_H */
