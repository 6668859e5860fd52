/* Licensed under the Apache License, Version 2.0 (the "License"); you may
 * not use this file except in compliance with the License.  You may obtain
 * a copy of the License at http://www.apache.org/licenses/LICENSE-2.0
 */

/*
 * gql_cost.h: what an operation costs, known before anything runs.
 *
 * Configuration time (gql_cost_model.c): a schema built with
 * gql_cost_vocab may say what its fields cost, after the IBM/GraphQL cost
 * directive proposal:
 *
 *   @cost(weight: Int!)   on a field: its own weight; on an object type,
 *                         scalar or enum: the weight of every field that
 *                         returns it (a field's own @cost wins)
 *   @listSize(assumedSize, slicingArguments, sizedFields)
 *                         how long the list a field returns is: the
 *                         largest of the slicingArguments given (Int
 *                         arguments of the field), else assumedSize; with
 *                         sizedFields, the size is that of those list
 *                         fields of the returned object instead
 *                         (feed(take:) sizes Feed.links)
 *   @oncePerRequest       the field may appear once in an operation
 *                         (validation's rule, gql_validate.h)
 *
 * gql_cost_compile() checks them and makes a model, kept beside the
 * schema in the configuration pool and then only read.
 *
 * Request time (gql_cost.c): gql_cost_of() reads an operation, its
 * coerced variables and the model.  A field costs its weight (by
 * default 0 for a leaf, 1 for an object, 10 for a field that runs a
 * statement; at least 10 for a mutation's root field) plus its
 * sub-selection's cost, which a list multiplies by its size (the
 * slicing argument's value, assumedSize, or the list size given).
 * Fragments are expanded, @skip and @include honoured when their value
 * is known; each selection set is costed once per context, so a
 * fragment spread many times costs linear time; the arithmetic
 * saturates at GQL_COST_MAX.  Most operations cost the same whatever
 * their variables: gql_cost_fixed() says so, and what, once, when the
 * document is prepared (gql_document.h keeps it), so that a cached
 * document is not walked again for every request.
 */

#ifndef GQL_COST_H
#define GQL_COST_H

#include <json-c/json.h>
#include "gql_document.h"
#include "gql_schema.h"

/* Where costs saturate: any operation that reaches it costs it. */
#define GQL_COST_MAX APR_INT64_C(0x7fffffffffffffff)

/* The cost directives (@cost, @listSize, @oncePerRequest), for
 * gql_schema_build() or gql_schema_load(): hidden, never introspected. */
extern const gql_schema_vocab_t gql_cost_vocab;

/* The checked cost directives of one schema, and the weights of its
 * fields.  Made by gql_cost_compile() in the configuration pool, then
 * only read, by every request at once. */
typedef struct gql_cost_model_t gql_cost_model_t;

/* Whether field f runs a statement of its own (the SQL stage's
 * gql_sql_runs_statement(), with its mapping as baton). */
typedef int (*gql_cost_statement_fn)(const void *baton,
                                     const gql_field_t *f);

/*
 * Check the cost directives of every field and type of s (built with
 * gql_cost_vocab) and compute each field's weight, asking statement
 * (NULL: no field runs one) which fields run statements.  Appends one
 * error per problem, with the file and position of the directive
 * ("FILE:3:5: @listSize(slicingArguments:) on \"Query.feed\" ...").
 * Returns the model, in p, or NULL when errors gained any.  Scratch
 * memory from ptemp; s is only read and must outlive the model.
 */
gql_cost_model_t *gql_cost_compile(apr_pool_t *p, apr_pool_t *ptemp,
                                   const gql_schema_t *s,
                                   gql_cost_statement_fn statement,
                                   const void *baton,
                                   apr_array_header_t *errors);

/* Whether f has @oncePerRequest in m.  Read-only, thread-safe; m may be
 * NULL (no field has it). */
int gql_cost_once(const gql_cost_model_t *m, const gql_field_t *f);

/*
 * The cost of op (of a document prepared against m's schema) with its
 * coerced variables (an object; NULL: none), where a list the schema
 * does not size holds list_size items.  Between 0 and GQL_COST_MAX.
 * Scratch memory from p.
 */
apr_int64_t gql_cost_of(apr_pool_t *p, const gql_cost_model_t *m,
                        const gql_operation_t *op, json_object *variables,
                        apr_int64_t list_size);

/*
 * The cost of def (an operation definition of doc, prepared against m's
 * schema) when it is the same whatever the request's variables: when no
 * @skip or @include reads a variable and no field with slicing arguments
 * has a variable in its arguments.  Then gql_cost_of() of an operation
 * of def gives it for any coerced variables.  -1 when it may depend on
 * them.  Scratch memory from p.
 */
apr_int64_t gql_cost_fixed(apr_pool_t *p, const gql_cost_model_t *m,
                           const gql_prepared_t *doc,
                           const gql_definition_t *def,
                           apr_int64_t list_size);

#endif /* GQL_COST_H */
