/* Licensed under the Apache License, Version 2.0 (the "License"); you may
 * not use this file except in compliance with the License.  You may obtain
 * a copy of the License at http://www.apache.org/licenses/LICENSE-2.0
 */

/*
 * gql_execute.h: from a request's document to a GraphQL result.
 *
 * Two steps, so that the HTTP glue can refuse a mutation sent with GET
 * (405) after the operation is known and before anything runs:
 *
 *   gql_execute_prepare()  parse, validate, select the operation
 *   gql_execute_run()      coerce what it needs of the variables, collect
 *                          the root fields and complete them
 *
 * This is the first execution step: root fields are answered (__typename
 * by the root type's name; every other field by null, since no resolvers
 * exist yet, with the spec's null propagation for non-null fields), and
 * the validation is the part that this needs (executable definitions,
 * known fields on the root types and fragment types, known fragments).
 *
 * Everything is allocated in the pool passed; the result's json-c tree is
 * tied to that pool.  The schema is only read.
 */

#ifndef GQL_EXECUTE_H
#define GQL_EXECUTE_H

#include <apr_pools.h>
#include <apr_tables.h>
#include <json-c/json.h>
#include "gql_request.h"
#include "gql_schema.h"

typedef struct gql_result_t {
    apr_array_header_t *errors; /* gql_error_t *, in the order found */
    json_object *data;          /* the "data" value; NULL is JSON null */
    int has_data;               /* 0: the request failed before execution
                                 * began and the response has no "data" */
} gql_result_t;

/* A parsed, validated document with its operation selected. */
typedef struct gql_operation_t gql_operation_t;

/*
 * Parse and validate req->query against schema and select the operation
 * that req->operation_name names.  Initialises *res.  Returns the
 * operation, or NULL with res->errors set and res->has_data 0 when the
 * document does not parse, is not valid, or names no operation to run.
 */
gql_operation_t *gql_execute_prepare(apr_pool_t *p, const gql_schema_t *schema,
                                     const gql_request_t *req,
                                     gql_result_t *res);

/* query, mutation or subscription. */
gql_operation_e gql_execute_kind(const gql_operation_t *op);

/*
 * Execute a prepared operation into res.  On return res->has_data is 1
 * unless the operation could not start (no root type for its kind, a
 * variable that cannot be used), in which case res->errors says why.
 */
void gql_execute_run(apr_pool_t *p, const gql_operation_t *op,
                     gql_result_t *res);

#endif /* GQL_EXECUTE_H */
