/* Licensed under the Apache License, Version 2.0 (the "License"); you may
 * not use this file except in compliance with the License.  You may obtain
 * a copy of the License at http://www.apache.org/licenses/LICENSE-2.0
 */

/*
 * gql_validate_limits.c: MaxCounts, the validation rule (ours, after
 * graphql-js's) that bounds what an operation asks for with its fragments
 * expanded: aliases (GraphQLMaxAliases), root fields
 * (GraphQLMaxRootFields; a mutation's, GraphQLMaxMutationFields), fields
 * (GraphQLMaxFields), and each @oncePerRequest field at most once.
 *
 * Each selection set is counted once and its counts kept, so that a
 * fragment spread a thousand times, or fragments that spread each other
 * twice down a chain, cost time linear in the document; counts
 * saturate rather than overflow.
 */

#include <apr_hash.h>
#include <apr_strings.h>
#include "gql_cost.h"
#include "gql_parser.h"         /* GQL_MAX_DEPTH */
#include "gql_validate_int.h"

#define MANY APR_INT64_C(0x7fffffffffffffff)

/* One @oncePerRequest field and how often it appears. */
typedef struct once_t {
    const gql_field_t *field;
    apr_int64_t n;
} once_t;

typedef struct counts_t {
    apr_int64_t fields;
    apr_int64_t aliases;
    apr_int64_t top;            /* fields at the set's own level */
    apr_array_header_t *once;   /* once_t, each field once */
} counts_t;

static apr_int64_t add(apr_int64_t a, apr_int64_t b)
{
    return a > MANY - b ? MANY : a + b;
}

static void add_once(vctx_t *c, counts_t *to, const gql_field_t *f,
                     apr_int64_t n)
{
    once_t *o;
    int i;

    for (i = 0; to->once != NULL && i < to->once->nelts; i++) {
        o = &APR_ARRAY_IDX(to->once, i, once_t);
        if (o->field == f) {
            o->n = add(o->n, n);
            return;
        }
    }
    if (to->once == NULL) {
        to->once = apr_array_make(c->p, 1, sizeof(once_t));
    }
    o = apr_array_push(to->once);
    o->field = f;
    o->n = n;
}

/* What a nested set adds to its parent; top only when it is at the same
 * level (a fragment), not below a field. */
static void merge(vctx_t *c, counts_t *to, const counts_t *from, int same)
{
    int i;

    to->fields = add(to->fields, from->fields);
    to->aliases = add(to->aliases, from->aliases);
    if (same) {
        to->top = add(to->top, from->top);
    }
    for (i = 0; from->once != NULL && i < from->once->nelts; i++) {
        const once_t *o = &APR_ARRAY_IDX(from->once, i, once_t);

        add_once(c, to, o->field, o->n);
    }
}

static const counts_t *count_set(vctx_t *c, const gql_selection_set_t *ss,
                                 const gql_type_t *t, int level);

static void count_field(vctx_t *c, counts_t *to, const gql_selection_t *s,
                        const gql_type_t *t, int level)
{
    const gql_field_t *f = t ? gql_schema_field_def(c->s, t, s->name.value)
                             : NULL;

    to->fields = add(to->fields, 1);
    to->top = add(to->top, 1);
    if (s->alias.value != NULL) {
        to->aliases = add(to->aliases, 1);
    }
    if (f != NULL && gql_cost_once(c->limits.cost, f)) {
        add_once(c, to, f, 1);
    }
    if (s->selection_set != NULL) {
        merge(c, to, count_set(c, s->selection_set,
                               f ? gql_vnamed(f->type) : NULL, level + 1),
              0);
    }
}

/* The counts of ss (selecting on t, NULL when unknown), kept by set: a
 * set's type does not depend on where it is met (a fragment's is its
 * type condition).  A set being counted counts nothing (a fragment cycle,
 * which NoFragmentCycles reports), and a chain of more than GQL_MAX_DEPTH
 * sets counts as too many of everything. */
static const counts_t *count_set(vctx_t *c, const gql_selection_set_t *ss,
                                 const gql_type_t *t, int level)
{
    counts_t *n = apr_hash_get(c->counts, &ss, sizeof(ss));
    int i;

    if (n != NULL) {
        return n;
    }
    n = apr_pcalloc(c->p, sizeof(*n));
    apr_hash_set(c->counts, apr_pmemdup(c->p, &ss, sizeof(ss)), sizeof(ss),
                 n);
    if (level > GQL_MAX_DEPTH) {
        n->fields = n->aliases = n->top = MANY;
        return n;
    }
    for (i = 0; i < ss->selections->nelts; i++) {
        const gql_selection_t *s = GQL_AST_ITEM(ss->selections, i,
                                                gql_selection_t);
        const gql_definition_t *f;

        if (s->kind == GQL_SEL_FIELD) {
            count_field(c, n, s, t, level);
        }
        else if (s->kind == GQL_SEL_INLINE_FRAGMENT) {
            merge(c, n, count_set(c, s->selection_set,
                                  s->type_condition.value
                                  ? gql_vtype(c, s->type_condition.value)
                                  : t, level + 1), 1);
        }
        else if ((f = gql_vfragment(c, s->name.value)) != NULL) {
            merge(c, n, count_set(c, f->selection_set,
                                  gql_vtype(c, f->type_condition.value),
                                  level + 1), 1);
        }
    }
    return n;
}

static void over(vctx_t *c, const gql_definition_t *op, apr_int64_t n,
                 int limit, const char *what, const char *code)
{
    gql_error_t *e;

    if (limit <= 0 || n <= limit) {
        return;
    }
    e = gql_vreport(c, &op->loc, "The %s has %" APR_INT64_T_FMT " %s "
                    "(fragments expanded), more than the limit of %d.",
                    op->operation == GQL_OP_MUTATION ? "mutation"
                    : "operation", n, what, limit);
    if (e != NULL) {
        e->code = code;
    }
}

/* MaxCounts (GraphQLMaxAliases, ...; no graphql-js rule) */
int gql_vmax_counts(vctx_t *c, const node_t *n, int leave)
{
    const gql_definition_t *op = n->ast;
    const gql_type_t *root;
    const counts_t *k;
    int i;

    if (leave || n->kind != N_OPERATION) {
        return 0;
    }
    root = gql_schema_root(c->s, op->operation);
    k = count_set(c, op->selection_set, root, 0);
    over(c, op, k->aliases, c->limits.max_aliases, "aliases",
         "ALIAS_LIMIT_EXCEEDED");
    over(c, op, k->top, c->limits.max_root_fields, "root fields",
         "ROOT_FIELD_LIMIT_EXCEEDED");
    if (op->operation == GQL_OP_MUTATION) {
        over(c, op, k->top, c->limits.max_mutation_fields, "root fields",
             "MUTATION_FIELD_LIMIT_EXCEEDED");
    }
    over(c, op, k->fields, c->limits.max_fields, "fields",
         "FIELD_LIMIT_EXCEEDED");
    for (i = 0; k->once != NULL && i < k->once->nelts; i++) {
        const once_t *o = &APR_ARRAY_IDX(k->once, i, once_t);
        gql_error_t *e;

        if (o->n <= 1) {
            continue;
        }
        e = gql_vreport(c, &op->loc, "The field \"%s.%s\" may be asked for "
                        "once per request, not %" APR_INT64_T_FMT " times.",
                        o->field->parent->name, o->field->name, o->n);
        if (e != NULL) {
            e->code = "ONCE_PER_REQUEST";
        }
    }
    return 0;
}
