/* Licensed under the Apache License, Version 2.0 (the "License"); you may
 * not use this file except in compliance with the License.  You may obtain
 * a copy of the License at http://www.apache.org/licenses/LICENSE-2.0
 */

/*
 * gql_execute.h: from an operation to a GraphQL result (spec section 6).
 *
 * The operation comes from the document stage (gql_document.h), which
 * parsed and validated its document and selected it; gql_execute_run()
 * coerces its variables and executes it with the resolvers given.  The
 * prepared document is only read, so several requests may execute
 * operations of one document at once.
 *
 * Resolvers work on batches: the executor completes the result one level
 * of the selection at a time and hands a resolver every parent of a field
 * at once (all the links whose "postedBy" is asked for), so that a
 * resolver backed by SQL runs one statement per level, never one per
 * parent.  The response is the same as the depth-first executor of the
 * specification gives: keys in selection order, errors in the order a
 * depth-first walk meets them, null propagation to the nearest nullable
 * ancestor.
 *
 * Values are json-c values as gql_coerce.h describes them; an object row
 * is a JSON object whose members are the row's columns.  A leaf that a
 * resolver has as text (a column of an SQL row) may be handed on as that
 * text (gql_text_t), which the executor writes into the response as it
 * is where the field's type reads it unchanged, with no json-c value; an
 * object (or a list of objects) that a resolver has as rows of its own
 * may be handed on as those rows (gql_rows_t), which come back to it as
 * the parents of the objects' fields, with no json-c value either.
 * Ownership follows gql_json.h: a resolver borrows the values of its batch
 * (parents, args, variables) and returns new references in results[],
 * which the executor takes; the result's data is borrowed from the pool
 * passed.  Everything is allocated in that pool.  The schema is only
 * read.
 */

#ifndef GQL_EXECUTE_H
#define GQL_EXECUTE_H

#include <apr_pools.h>
#include <apr_tables.h>
#include <json-c/json.h>
#include "gql_cost.h"
#include "gql_document.h"
#include "gql_schema.h"

typedef struct gql_result_t {
    apr_array_header_t *errors; /* gql_error_t *, in the order found; the
                                 * caller's list, which may already hold
                                 * the document stage's */
    const char *data;           /* the "data" value as JSON text (in the
                                 * pool given to the executor); NULL is
                                 * JSON null */
    int has_data;               /* 0: the request failed before execution
                                 * began and the response has no "data" */
    apr_int64_t cost;           /* the operation's (gql_cost.h), or -1
                                 * when it was not computed */
} gql_result_t;

/* What gql_execute_run() checks between coercing the variables and the
 * first resolver. */
typedef struct gql_execute_opts_t {
    const gql_cost_model_t *cost;   /* the schema's; NULL: no cost */
    apr_int64_t list_size;          /* items of a list the model does not
                                     * size (GraphQLDefaultListSize) */
    apr_int64_t max_cost;           /* > 0: a costlier operation does not
                                     * start (GraphQLMaxCost) */
} gql_execute_opts_t;

/* ORDER TEXT */
typedef enum {
    GQL_TEXT_NONE,              /* no text: the value is a json-c value */
    GQL_TEXT_STRING,            /* a string */
    GQL_TEXT_INT,               /* an integer's decimal text, in int64 */
    GQL_TEXT_BOOL               /* "t" or "f" */
} gql_text_e;

/* A leaf as text: the JSON value it stands for is a string of s[0..len),
 * the integer s spells, or true for "t" and false for "f".  s is
 * NUL-terminated and lives as long as the request's pool. */
typedef struct gql_text_t {
    gql_text_e kind;
    const char *s;
    apr_size_t len;
} gql_text_t;

/* An object value, or a list of object values, given as rows of the
 * resolver's own (opaque to the executor, which only hands them back as
 * the parents of the objects' fields): items[0..n).  For a field that is
 * no list, the value is items[0], or null when n is 0; for a list, the
 * list of them.  Each row is a value of the field's object type (never
 * an interface or a union: the executor does not ask their type).  The
 * rows must live as long as the request's pool. */
typedef struct gql_rows_t {
    int given;                  /* 0: no rows, the value is elsewhere */
    int n;
    void *const *items;         /* never NULL rows */
} gql_rows_t;

/*
 * One batch: a field (one response key of one selection set) asked of
 * count parent values of the same parent type.  The resolver sets
 * results[i] for every parent (NULL is null; a new reference that the
 * executor takes, even where errors[i] is set), or texts[i] or rows[i]
 * instead, or errors[i] (a message for a field error at that parent's
 * path; results[i], texts[i] and rows[i] are then ignored).
 */
typedef struct gql_resolve_t {
    apr_pool_t *pool;                   /* the request's */
    void *ctx;                          /* gql_resolvers_t.ctx */
    const gql_schema_t *schema;
    const gql_type_t *parent_type;      /* an object type */
    const gql_field_t *field;
    const gql_selection_t *node;        /* the first field node merged into
                                         * this response key */
    const apr_array_header_t *nodes;    /* gql_selection_t *: every field
                                         * node merged into it, node first,
                                         * in the order CollectFields meets
                                         * them (fragments expanded); their
                                         * selection sets together are the
                                         * field's sub-selection */
    const apr_array_header_t *siblings; /* every response key of the
                                         * parents' selection, in order:
                                         * each an array like nodes, the
                                         * same for every key of these
                                         * parents (NULL for root fields) */
    int sibling;                        /* this key's index in siblings */
    const gql_prepared_t *doc;          /* the document: its fragments
                                         * (gql_document_fragment) */
    json_object *args;                  /* coerced arguments (an object) */
    json_object *variables;             /* coerced variables (an object) */
    int count;
    json_object *const *parents;        /* count values: objects, or for a
                                         * root field the root value given
                                         * to gql_execute_run (NULL: none) */
    void *const *parent_rows;           /* count: the row (gql_rows_t) that
                                         * stands for parents[i], which is
                                         * then NULL; or NULL where the
                                         * parent is a json-c value */
    json_object **results;              /* out: count values */
    gql_text_t *texts;                  /* out: count, all GQL_TEXT_NONE
                                         * (never NULL); a kind set: the
                                         * value is that text, and
                                         * results[i] stays NULL */
    gql_rows_t *rows;                   /* out: count, none given (never
                                         * NULL); given: the value is those
                                         * rows, and results[i] stays
                                         * NULL */
    const char **errors;                /* out: count messages or NULL */
    const char **codes;                 /* out: the extensions.code of
                                         * errors[i], or NULL for none */
    const char *code;                   /* out: the extensions.code of a
                                         * whole-batch failure, or NULL */
} gql_resolve_t;

/* Resolve a batch.  Returns NULL, or a message when the whole batch
 * failed (every parent then gets that field error). */
typedef const char *(*gql_resolve_fn)(gql_resolve_t *batch);

/* The name of the concrete object type of a value of an interface or
 * union type (graphql-js's resolveType), or NULL when it cannot be told.
 * The executor checks the name: a field error when it names no type, a
 * type that is not an object type, or one that is not a possible type of
 * abstract (graphql-js's messages for each). */
typedef const char *(*gql_type_of_fn)(void *ctx, const gql_schema_t *schema,
                                      const gql_type_t *abstract,
                                      json_object *value);

typedef struct gql_resolvers_t {
    gql_resolve_fn field;       /* every field but introspection's; NULL:
                                 * gql_execute_resolve_property */
    gql_type_of_fn type_of;     /* NULL: the value's "__typename" member
                                 * when it is a string (graphql-js's
                                 * typeResolver v => v.__typename) */
    void *ctx;
} gql_resolvers_t;

/* The default field resolver: each parent's member named after the field
 * (null when absent or when the parent is NULL). */
const char *gql_execute_resolve_property(gql_resolve_t *batch);

/* query, mutation or subscription. */
gql_operation_e gql_execute_kind(const gql_operation_t *op);

/*
 * Execute op (gql_document_select()) into res: coerce op->variables
 * against its variable definitions, compute its cost when opts has a
 * model (res->cost), then run it with root_value as the root fields'
 * parent.  opts may be NULL (no cost).  res->errors must be an error
 * list, which the executor appends to; it sets res->data, res->has_data
 * and res->cost.  On return res->has_data is 1 unless the operation could
 * not start (no root type for its kind, a variable that cannot be used,
 * a cost over opts->max_cost: "The operation costs N, more than the limit
 * of M.", extensions.code COST_LIMIT_EXCEEDED, and no resolver ran), in
 * which case the errors say why.  Everything is allocated in p, the
 * request's pool.
 */
void gql_execute_run(apr_pool_t *p, const gql_operation_t *op,
                     const gql_resolvers_t *resolvers,
                     json_object *root_value,
                     const gql_execute_opts_t *opts, gql_result_t *res);

#endif /* GQL_EXECUTE_H */
