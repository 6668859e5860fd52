/* Licensed under the Apache License, Version 2.0 (the "License"); you may
 * not use this file except in compliance with the License.  You may obtain
 * a copy of the License at http://www.apache.org/licenses/LICENSE-2.0
 */

/*
 * gql_cost.c: the cost of one operation, at request time, after its
 * variables are coerced and before any resolver runs (gql_cost.h says
 * what a field costs).
 *
 * The cost of a selection set depends on the set, the type it selects
 * on, whether it is a mutation's root and how its parent field sizes its
 * lists; it is computed once for each such context and remembered, so
 * that fragment A spreading B twice, B spreading C twice ... costs time
 * linear in the document, not in its expansion.  Sums and products
 * saturate at GQL_COST_MAX.
 */

#include <string.h>
#include <apr_hash.h>
#include <apr_strings.h>
#include "gql_coerce.h"
#include "gql_cost_int.h"
#include "gql_parser.h"         /* GQL_MAX_DEPTH */

typedef struct walk_t {
    apr_pool_t *p;
    const gql_cost_model_t *m;
    const gql_prepared_t *doc;
    json_object *vars;
    apr_int64_t list_size;
    apr_hash_t *memo;           /* ctx_key_t -> apr_int64_t * */
    int varied;                 /* a variable was read (or would be) */
} walk_t;

/* How a field sizes the lists of the object it returns (its
 * @listSize(sizedFields:)): by is NULL when it does not; n is -1 when
 * neither a slicing argument nor assumedSize gives a size. */
typedef struct sizing_t {
    const gql_cost_field_t *by;
    apr_int64_t n;
} sizing_t;

/* A selection set in its context: what the memo is keyed by. */
typedef struct ctx_key_t {
    const gql_selection_set_t *ss;
    const gql_type_t *type;
    sizing_t sz;
    int root;                   /* a mutation's root fields */
} ctx_key_t;

static apr_int64_t add(apr_int64_t a, apr_int64_t b)
{
    return a > GQL_COST_MAX - b ? GQL_COST_MAX : a + b;
}

static apr_int64_t mul(apr_int64_t a, apr_int64_t b)
{
    return a != 0 && b > GQL_COST_MAX / a ? GQL_COST_MAX : a * b;
}

/* A Boolean argument's value, known from a literal or a coerced
 * variable: 1 or 0, or -1 when it is not known. */
static int known_if(walk_t *w, const gql_directive_t *d)
{
    json_object *v;
    int i;

    for (i = 0; d->arguments != NULL && i < d->arguments->nelts; i++) {
        const gql_argument_t *a = GQL_AST_ITEM(d->arguments, i,
                                               gql_argument_t);

        if (strcmp(a->name.value, "if") != 0) {
            continue;
        }
        if (a->value->kind == GQL_VALUE_BOOLEAN) {
            return a->value->boolean;
        }
        w->varied |= a->value->kind == GQL_VALUE_VARIABLE;
        if (a->value->kind == GQL_VALUE_VARIABLE && w->vars != NULL
            && json_object_object_get_ex(w->vars, a->value->text, &v)
            && json_object_is_type(v, json_type_boolean)) {
            return json_object_get_boolean(v);
        }
    }
    return -1;
}

/* Whether @skip or @include leaves the selection out for certain. */
static int left_out(walk_t *w, const apr_array_header_t *dirs)
{
    int i;

    for (i = 0; dirs != NULL && i < dirs->nelts; i++) {
        const gql_directive_t *d = GQL_AST_ITEM(dirs, i, gql_directive_t);

        if ((!strcmp(d->name.value, "skip") && known_if(w, d) == 1)
            || (!strcmp(d->name.value, "include") && known_if(w, d) == 0)) {
            return 1;
        }
    }
    return 0;
}

static int has_name(const apr_array_header_t *names, const char *name)
{
    int i;

    for (i = 0; names != NULL && i < names->nelts; i++) {
        if (strcmp(APR_ARRAY_IDX(names, i, const char *), name) == 0) {
            return 1;
        }
    }
    return 0;
}

/* Whether v reads a variable.  The parser bounds how deep values nest. */
static int reads_var(const gql_value_t *v)
{
    int i;

    if (v->kind == GQL_VALUE_VARIABLE) {
        return 1;
    }
    for (i = 0; v->items != NULL && i < v->items->nelts; i++) {
        if (reads_var(GQL_AST_ITEM(v->items, i, gql_value_t))) {
            return 1;
        }
    }
    for (i = 0; v->fields != NULL && i < v->fields->nelts; i++) {
        if (reads_var(GQL_AST_ITEM(v->fields, i,
                                   gql_object_field_t)->value)) {
            return 1;
        }
    }
    return 0;
}

/* The largest slicing argument given to s (none below 0), or -1.  All
 * of s's arguments are coerced, so a variable in any of them (an error
 * of one leaves no slicing argument) makes the cost vary. */
static apr_int64_t sliced(walk_t *w, const gql_field_t *f,
                          const gql_cost_field_t *cf,
                          const gql_selection_t *s)
{
    gql_error_t *err = NULL;
    json_object *args, *v;
    apr_int64_t n = -1;
    int i;

    if (cf == NULL || cf->slicing == NULL) {
        return -1;
    }
    for (i = 0; s->arguments != NULL && i < s->arguments->nelts; i++) {
        w->varied |= reads_var(GQL_AST_ITEM(s->arguments, i,
                                            gql_argument_t)->value);
    }
    args = gql_coerce_arguments(w->p, f->arguments, s->arguments, &s->loc,
                                w->vars, &err);
    for (i = 0; args != NULL && i < cf->slicing->nelts; i++) {
        if (json_object_object_get_ex(args, APR_ARRAY_IDX(cf->slicing, i,
                                                          const char *), &v)
            && json_object_is_type(v, json_type_int)) {
            apr_int64_t k = json_object_get_int64(v);

            /* a negative size selects nothing */
            n = k < 0 ? (n < 0 ? 0 : n) : (k > n ? k : n);
        }
    }
    return n;
}

static apr_int64_t set_cost(walk_t *w, const gql_selection_set_t *ss,
                            const gql_type_t *t, const sizing_t *sz,
                            int root, int level);

/* How many items the list field f (model cf, at s) holds. */
static apr_int64_t items(walk_t *w, const gql_field_t *f,
                         const gql_cost_field_t *cf, const sizing_t *sz,
                         apr_int64_t slice)
{
    if (sz->by != NULL && sz->n >= 0 && has_name(sz->by->sized, f->name)) {
        return sz->n;
    }
    if (cf != NULL && cf->sized == NULL && slice >= 0) {
        return slice;
    }
    if (cf != NULL && cf->sized == NULL && cf->assumed >= 0) {
        return cf->assumed;
    }
    return w->list_size;
}

static apr_int64_t field_cost(walk_t *w, const gql_selection_t *s,
                              const gql_type_t *t, const sizing_t *sz,
                              int root, int level)
{
    const gql_field_t *f = gql_schema_field_def(w->m->schema, t,
                                                s->name.value);
    const gql_cost_field_t *cf = f ? gql_cost_field(w->m, f) : NULL;
    const gql_type_t *rt;
    apr_int64_t weight, slice, sub;
    sizing_t inner = { NULL, -1 };

    if (f == NULL) {
        return 0;
    }
    rt = gql_schema_named(f->type);
    weight = cf ? cf->weight : (rt->kind != GQL_KIND_SCALAR
                                && rt->kind != GQL_KIND_ENUM);
    if (root && weight < GQL_COST_STATEMENT) {
        weight = GQL_COST_STATEMENT;
    }
    if (s->selection_set == NULL) {
        return weight;
    }
    slice = sliced(w, f, cf, s);
    if (cf != NULL && cf->sized != NULL) {
        inner.by = cf;
        inner.n = slice >= 0 ? slice : cf->assumed;
    }
    sub = set_cost(w, s->selection_set, rt, &inner, 0, level + 1);
    if (gql_cost_is_list(f->type)) {
        sub = mul(items(w, f, cf, sz, slice), sub);
    }
    return add(weight, sub);
}

static apr_int64_t selection_cost(walk_t *w, const gql_selection_t *s,
                                  const gql_type_t *t, const sizing_t *sz,
                                  int root, int level)
{
    const gql_definition_t *frag;
    const gql_type_t *in;

    if (left_out(w, s->directives)) {
        return 0;
    }
    switch (s->kind) {
    case GQL_SEL_FIELD:
        return field_cost(w, s, t, sz, root, level);
    case GQL_SEL_INLINE_FRAGMENT:
        in = s->type_condition.value
             ? gql_schema_type(w->m->schema, s->type_condition.value) : t;
        return in ? set_cost(w, s->selection_set, in, sz, root, level + 1)
                  : 0;
    default:
        frag = gql_document_fragment(w->doc, s->name.value);
        in = frag ? gql_schema_type(w->m->schema, frag->type_condition.value)
                  : NULL;
        return in ? set_cost(w, frag->selection_set, in, sz, root, level + 1)
                  : 0;
    }
}

static apr_int64_t set_cost(walk_t *w, const gql_selection_set_t *ss,
                            const gql_type_t *t, const sizing_t *sz,
                            int root, int level)
{
    ctx_key_t key;
    apr_int64_t *cost;
    int i;

    /* A chain of spreads this long is no document to run. */
    if (level > GQL_MAX_DEPTH) {
        return GQL_COST_MAX;
    }
    memset(&key, 0, sizeof(key));
    key.ss = ss;
    key.type = t;
    key.sz = *sz;
    key.root = root;
    cost = apr_hash_get(w->memo, &key, sizeof(key));
    if (cost != NULL) {
        return *cost;
    }
    /* 0 while it is computed: a fragment cycle (which validation has
     * refused) would end here. */
    cost = apr_pcalloc(w->p, sizeof(*cost));
    apr_hash_set(w->memo, apr_pmemdup(w->p, &key, sizeof(key)), sizeof(key),
                 cost);
    for (i = 0; i < ss->selections->nelts; i++) {
        *cost = add(*cost, selection_cost(w, GQL_AST_ITEM(ss->selections, i,
                                                          gql_selection_t),
                                          t, sz, root, level));
    }
    return *cost;
}

/* The cost of op with vars; *varied says whether it reads them. */
static apr_int64_t cost_of(apr_pool_t *p, const gql_cost_model_t *m,
                           const gql_prepared_t *doc,
                           const gql_definition_t *def, json_object *vars,
                           apr_int64_t list_size, int *varied)
{
    const gql_type_t *root = gql_schema_root(m->schema, def->operation);
    sizing_t none = { NULL, -1 };
    apr_int64_t c;
    walk_t w;

    *varied = 0;
    if (root == NULL) {
        return 0;
    }
    w.p = p;
    w.m = m;
    w.doc = doc;
    w.vars = vars;
    w.list_size = list_size;
    w.memo = apr_hash_make(p);
    w.varied = 0;
    c = set_cost(&w, def->selection_set, root, &none,
                 def->operation == GQL_OP_MUTATION, 0);
    *varied = w.varied;
    return c;
}

apr_int64_t gql_cost_of(apr_pool_t *p, const gql_cost_model_t *m,
                        const gql_operation_t *op, json_object *variables,
                        apr_int64_t list_size)
{
    int varied;

    return cost_of(p, m, op->doc, op->def, variables, list_size, &varied);
}

apr_int64_t gql_cost_fixed(apr_pool_t *p, const gql_cost_model_t *m,
                           const gql_prepared_t *doc,
                           const gql_definition_t *def,
                           apr_int64_t list_size)
{
    int varied;
    apr_int64_t c = cost_of(p, m, doc, def, NULL, list_size, &varied);

    return varied ? -1 : c;
}
