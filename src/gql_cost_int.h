/* Licensed under the Apache License, Version 2.0 (the "License"); you may
 * not use this file except in compliance with the License.  You may obtain
 * a copy of the License at http://www.apache.org/licenses/LICENSE-2.0
 */

/*
 * gql_cost_int.h: the cost model of a field, shared by gql_cost_model.c
 * (which makes it at configuration time) and gql_cost.c (which only
 * reads it, from every request, through gql_cost_field()).
 */

#ifndef GQL_COST_INT_H
#define GQL_COST_INT_H

#include "gql_cost.h"

/* A statement's weight, and a mutation root field's least one. */
#define GQL_COST_STATEMENT 10

typedef struct gql_cost_field_t {
    apr_int64_t weight;         /* @cost, the type's @cost, or the default */
    apr_int64_t assumed;        /* @listSize(assumedSize:); -1: none */
    const apr_array_header_t *slicing;  /* const char *: Int arguments;
                                         * NULL: none */
    const apr_array_header_t *sized;    /* const char *: list fields of
                                         * the returned type; NULL: none */
    int once;                   /* @oncePerRequest */
} gql_cost_field_t;

struct gql_cost_model_t {
    const gql_schema_t *schema;
    apr_hash_t *fields;         /* const gql_field_t * (its bytes) ->
                                 * gql_cost_field_t *, every field of every
                                 * object and interface type */
};

/* Whether t is a list (perhaps non-null): what a list size sizes. */
int gql_cost_is_list(const gql_tref_t *t);

/* The model of f, or NULL (a meta-field: __typename, __schema, __type). */
const gql_cost_field_t *gql_cost_field(const gql_cost_model_t *m,
                                       const gql_field_t *f);

#endif /* GQL_COST_INT_H */
