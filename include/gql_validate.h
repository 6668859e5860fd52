/* Licensed under the Apache License, Version 2.0 (the "License"); you may
 * not use this file except in compliance with the License.  You may obtain
 * a copy of the License at http://www.apache.org/licenses/LICENSE-2.0
 */

/*
 * gql_validate.h: an executable document x a schema -> errors.
 *
 * Every rule of section 5 of the specification, one function per rule,
 * named after it (ExecutableDefinitions, FieldsOnCorrectType, ...), with
 * graphql-js's messages and locations, in graphql-js's order: the rules
 * see the document in one walk, in graphql-js's rule order at each node,
 * so a document with several problems gets the same list of errors from
 * both.  Validation reads the schema and the document and writes neither.
 */

#ifndef GQL_VALIDATE_H
#define GQL_VALIDATE_H

#include "gql_ast.h"
#include "gql_schema.h"

/* The limits below count an operation with its fragments expanded, each
 * spread as often as it is spread (counted in time linear in the
 * document); 0 is no limit.  Their errors carry extensions.code. */
typedef struct gql_validate_opts_t {
    int introspection;          /* 0: a __schema or __type field is an
                                 * error (GraphQLIntrospection Off) */
    int max_depth;              /* > 0: an operation whose longest path
                                 * (fragments expanded) has more fields
                                 * is an error (GraphQLMaxDepth) */
    int max_tokens;             /* > 0: the parse of the document stops
                                 * past this many tokens (gql_document.h,
                                 * GraphQLMaxTokens); validation itself
                                 * does not read it */
    int max_aliases;            /* fields with an alias: ALIAS_LIMIT_EXCEEDED
                                 * (GraphQLMaxAliases) */
    int max_root_fields;        /* root fields: ROOT_FIELD_LIMIT_EXCEEDED
                                 * (GraphQLMaxRootFields) */
    int max_fields;             /* all fields: FIELD_LIMIT_EXCEEDED
                                 * (GraphQLMaxFields) */
    int max_mutation_fields;    /* root fields of a mutation:
                                 * MUTATION_FIELD_LIMIT_EXCEEDED
                                 * (GraphQLMaxMutationFields) */
    /* The schema's cost model (gql_cost.h), whose @oncePerRequest fields
     * may appear once in an operation (ONCE_PER_REQUEST); NULL: none. */
    const struct gql_cost_model_t *cost;
    /* With cost: the items of a list the model does not size
     * (GraphQLDefaultListSize), for the operations that
     * gql_document_prepare() costs once; validation does not read it. */
    apr_int64_t list_size;
} gql_validate_opts_t;

/*
 * Validate doc against schema.  Appends every error found to errors (in
 * p) and returns how many it appended: 0 means the document is valid.
 * opts may be NULL (introspection allowed, no limits).  Scratch memory
 * comes from p.
 * The work is bounded on hostile documents (many fragments, deep nesting,
 * thousands of overlapping fields): near-linear, never exponential.
 */
int gql_validate(apr_pool_t *p, const gql_schema_t *schema,
                 const gql_document_t *doc, const gql_validate_opts_t *opts,
                 apr_array_header_t *errors);

#endif /* GQL_VALIDATE_H */
