/* Licensed under the Apache License, Version 2.0 (the "License"); you may
 * not use this file except in compliance with the License.  You may obtain
 * a copy of the License at http://www.apache.org/licenses/LICENSE-2.0
 */

/*
 * gql_validate_overlap.c: OverlappingFieldsCanBeMerged, the rule of
 * section 5.3.2 ("Field Selection Merging"), with the results of
 * graphql-js 16.13 (every conflicting node, reasons in full).
 *
 * Fields of one response name must be the same field with the same
 * arguments (unless their parents are distinct object types) and must
 * return the same shape, recursively.  A hostile document can make the
 * naive algorithm exponential, so, as graphql-js does, the fields of a
 * selection set are collected once per parent type (cfr_t), a fragment is
 * compared with a field set once (cfr_t.compared), a pair of fragments
 * once (pairs), fields written alike are compared once (pairs_within),
 * and every comparison spends from a budget: when it runs out, or when the
 * pairs of fragments remembered outgrow the document's size, validation
 * stops with "Validation aborted." (graphql-js 16.15's answer; 16.13
 * would run on).
 *
 * Memory grows with the document, not with the pairs compared: what a
 * field needs to be compared (its arguments' canonical texts) is made
 * once per field; the comparison of two fields of a selection set (a
 * "top pair") works in a scratch pool cleared after it, and only the
 * conflicts that can still be reported (graphql-js's maxErrors) are
 * copied out of it.  A pair of fields that does not conflict allocates
 * nothing unless it has sub-selections to compare.  A field costs 24
 * bytes (fdet_t, in place in its group's list), and the pairs of
 * fragments remembered are bounded by the document's size.
 */

#include <string.h>
#include <apr_hash.h>
#include <apr_strings.h>
#include "gql_parser.h"         /* GQL_MAX_DEPTH */
#include "gql_print.h"
#include "gql_validate_int.h"

/* Comparisons a document may cost.  graphql-js 16.13 has no such bound;
 * this one is far above what a document it validates in a second costs
 * (a chain of 1,000 fragments: under 2,000,000) and keeps a runaway
 * document from holding a thread. */
#define BUDGET 10000000L

/* Pairs of fragments a document may have compared: each is remembered
 * (about 80 bytes), so their memory is bounded by the document's size as
 * well as by the budget.  A document of 200 fragments all spread in one
 * selection set compares 20,000 pairs. */
#define PAIRS_MIN 65536
#define PAIRS_PER_BYTE 2

/* One field selection with the type it was selected on: one per field
 * of the document at least, so nothing a field without arguments does
 * not need (the canonical texts of arguments are kept aside). */
typedef struct fdet_t {
    const gql_type_t *parent;
    const gql_selection_t *node;
    int twin;                   /* within(): its class of fields written
                                 * alike, or -1 */
} fdet_t;

typedef struct fgroup_t {
    const char *name;
    apr_array_header_t *fields;     /* fdet_t (not pointers), made to
                                     * measure: they never move */
    int n;                          /* fields, counted first */
} fgroup_t;

/* The fields and fragment spreads of a selection set (collectFields). */
typedef struct cfr_t {
    apr_array_header_t *groups;     /* fgroup_t *, first-seen order */
    apr_hash_t *index;              /* response name -> fgroup_t * */
    apr_array_header_t *frags;      /* fragment names, each once */
    apr_hash_t *fragset;
    apr_hash_t *compared;           /* fragment name -> "0" or "1" */
} cfr_t;

typedef struct conflict_t {
    const char *name;
    const char *reason;
    apr_array_header_t *f1, *f2;    /* gql_selection_t * */
} conflict_t;

typedef struct ov_t {
    apr_hash_t *cfrs;               /* (type, selection set) -> cfr_t * */
    apr_hash_t *pairs;              /* (fragment, fragment) -> "0", "1" */
    apr_hash_t *canons;             /* field with arguments -> the
                                     * canonical text of each argument's
                                     * value, in order */
    apr_size_t max_pairs;           /* records pairs may hold */
    apr_pool_t *tmp;                /* the comparison of one top pair */
    int nest;                       /* sub-selections entered: 0 at a
                                     * top pair */
    int keep;                       /* conflicts a selection set may
                                     * still report */
    long budget;
    int over;
} ov_t;

static void spend(ov_t *o, long cost)
{
    o->budget -= cost;
    if (o->budget < 0) {
        o->over = 1;
    }
}

static void *get2(apr_hash_t *h, const void *a, const void *b)
{
    const void *k[2];

    k[0] = a;
    k[1] = b;
    return apr_hash_get(h, k, sizeof(k));
}

static void set2(apr_pool_t *p, apr_hash_t *h, const void *a, const void *b,
                 const void *v)
{
    const void **k = apr_palloc(p, 2 * sizeof(void *));

    k[0] = a;
    k[1] = b;
    apr_hash_set(h, k, 2 * sizeof(void *), v);
}

/* Two walks: the first makes the groups and counts their fields, the
 * second records the fields and spreads, so that a group of thousands of
 * fields takes no more than a pointer for each. */
static void collect_impl(vctx_t *c, cfr_t *r, const gql_type_t *parent,
                         const gql_selection_set_t *ss, int count)
{
    int i;

    for (i = 0; i < ss->selections->nelts; i++) {
        const gql_selection_t *s = GQL_AST_ITEM(ss->selections, i,
                                                gql_selection_t);
        const char *key;
        fgroup_t *g;
        fdet_t *f;

        if (s->kind == GQL_SEL_FRAGMENT_SPREAD) {
            if (!count && !apr_hash_get(r->fragset, s->name.value,
                              APR_HASH_KEY_STRING)) {
                apr_hash_set(r->fragset, s->name.value, APR_HASH_KEY_STRING,
                             "");
                APR_ARRAY_PUSH(r->frags, const char *) = s->name.value;
            }
            continue;
        }
        if (s->kind == GQL_SEL_INLINE_FRAGMENT) {
            collect_impl(c, r, s->type_condition.value
                         ? gql_vtype(c, s->type_condition.value)
                         : parent, s->selection_set, count);
            continue;
        }
        key = s->alias.value ? s->alias.value : s->name.value;
        g = apr_hash_get(r->index, key, APR_HASH_KEY_STRING);
        if (g == NULL) {
            g = apr_pcalloc(c->p, sizeof(*g));
            g->name = key;
            apr_hash_set(r->index, key, APR_HASH_KEY_STRING, g);
            APR_ARRAY_PUSH(r->groups, fgroup_t *) = g;
        }
        if (count) {
            g->n++;
            continue;
        }
        f = &APR_ARRAY_PUSH(g->fields, fdet_t);
        f->twin = -1;
        f->parent = parent;
        f->node = s;
    }
}

/* collectFields, once per parent type and selection set.  Inline
 * fragments nest no deeper than the parser allows. */
static cfr_t *collect(vctx_t *c, ov_t *o, const gql_type_t *parent,
                      const gql_selection_set_t *ss)
{
    cfr_t *r = get2(o->cfrs, parent, ss);
    int i;

    if (r != NULL) {
        return r;
    }
    r = apr_pcalloc(c->p, sizeof(*r));
    r->groups = apr_array_make(c->p, 8, sizeof(fgroup_t *));
    r->index = apr_hash_make(c->p);
    r->frags = apr_array_make(c->p, 2, sizeof(char *));
    r->fragset = apr_hash_make(c->p);
    r->compared = apr_hash_make(c->p);
    collect_impl(c, r, parent, ss, 1);
    for (i = 0; i < r->groups->nelts; i++) {
        fgroup_t *g = APR_ARRAY_IDX(r->groups, i, fgroup_t *);

        g->fields = apr_array_make(c->p, g->n, sizeof(fdet_t));
    }
    collect_impl(c, r, parent, ss, 0);
    set2(c->p, o->cfrs, parent, ss, r);
    return r;
}

static cfr_t *collect_fragment(vctx_t *c, ov_t *o, const gql_definition_t *f)
{
    return collect(c, o, gql_vtype(c, f->type_condition.value),
                   f->selection_set);
}

/* stringifyValue: a text equal for two literals exactly when graphql-js's
 * JSON of them is (object fields sorted by name, stably). */
static const char *canon(apr_pool_t *p, const gql_value_t *v, int depth)
{
    const char *out;
    int i, j, n;
    const gql_object_field_t **f;

    if (depth > GQL_MAX_DEPTH) {
        return "";
    }
    switch (v->kind) {
    case GQL_VALUE_LIST:
        out = "[";
        for (i = 0; i < v->items->nelts; i++) {
            out = apr_pstrcat(p, out, canon(p, GQL_AST_ITEM(v->items, i,
                                                            gql_value_t),
                                            depth + 1), ",", NULL);
        }
        return apr_pstrcat(p, out, "]", NULL);
    case GQL_VALUE_OBJECT:
        n = v->fields->nelts;
        f = apr_palloc(p, sizeof(*f) * (n + 1));
        for (i = 0; i < n; i++) {
            const gql_object_field_t *x = GQL_AST_ITEM(v->fields, i,
                                                       gql_object_field_t);

            for (j = i; j > 0 && strcmp(f[j - 1]->name.value,
                                        x->name.value) > 0; j--) {
                f[j] = f[j - 1];
            }
            f[j] = x;
        }
        out = "{";
        for (i = 0; i < n; i++) {
            out = apr_pstrcat(p, out, f[i]->name.value, ":",
                              canon(p, f[i]->value, depth + 1), ",", NULL);
        }
        return apr_pstrcat(p, out, "}", NULL);
    case GQL_VALUE_STRING:
        return apr_psprintf(p, "S%d:%" APR_SIZE_T_FMT ":%s", v->block,
                            v->len, apr_pstrmemdup(p, v->text, v->len));
    default:
        return apr_psprintf(p, "%d:%s", (int)v->kind, v->text);
    }
}

/* The index of the last argument named name, or -1. */
static int last_arg(const apr_array_header_t *args, const char *name)
{
    int i, found = -1;

    for (i = 0; i < args->nelts; i++) {
        if (!strcmp(GQL_AST_ITEM(args, i, gql_argument_t)->name.value,
                    name)) {
            found = i;
        }
    }
    return found;
}

/* The canonical texts of f's argument values, made once per field in the
 * validation's pool, so that comparing two fields allocates nothing. */
static const char **canons(vctx_t *c, ov_t *o, const fdet_t *f)
{
    static const char *none[1];
    const apr_array_header_t *args = f->node->arguments;
    const char **k;
    int i;

    if (args->nelts == 0) {
        return none;
    }
    k = apr_hash_get(o->canons, &f->node, sizeof(f->node));
    if (k == NULL) {
        k = apr_palloc(c->p, sizeof(char *) * (args->nelts + 1));
        for (i = 0; i < args->nelts; i++) {
            k[i] = canon(c->p, GQL_AST_ITEM(args, i, gql_argument_t)->value,
                         0);
        }
        apr_hash_set(o->canons, &f->node, sizeof(f->node), k);
    }
    return k;
}

/* sameArguments */
static int same_arguments(vctx_t *c, ov_t *o, fdet_t *f1, fdet_t *f2)
{
    const apr_array_header_t *a1 = f1->node->arguments;
    const apr_array_header_t *a2 = f2->node->arguments;
    const char **k1, **k2;
    int i, j;

    if (a1->nelts != a2->nelts) {
        return 0;
    }
    k1 = canons(c, o, f1);
    k2 = canons(c, o, f2);
    for (i = 0; i < a1->nelts; i++) {
        j = last_arg(a2, GQL_AST_ITEM(a1, i, gql_argument_t)->name.value);
        spend(o, 1);
        if (j < 0 || strcmp(k1[i], k2[j])) {
            return 0;
        }
    }
    return 1;
}

static int same_tref(const gql_tref_t *a, const gql_tref_t *b)
{
    return a == b || (a != NULL && b != NULL && a->kind == GQL_TYPE_NAMED
                      && b->kind == GQL_TYPE_NAMED && a->named == b->named);
}

/* doTypesConflict */
static int types_conflict(ov_t *o, const gql_tref_t *a, const gql_tref_t *b)
{
    if (same_tref(a, b)) {
        return 0;
    }
    spend(o, 1);
    if (a->kind == GQL_TYPE_LIST || b->kind == GQL_TYPE_LIST
        || a->kind == GQL_TYPE_NON_NULL || b->kind == GQL_TYPE_NON_NULL) {
        return a->kind == b->kind ? types_conflict(o, a->of_type, b->of_type)
                                  : 1;
    }
    if (gql_vis_leaf(a->named) || gql_vis_leaf(b->named)) {
        return a->named != b->named;
    }
    return 0;
}

static apr_array_header_t *sub_conflicts(vctx_t *c, ov_t *o, int mutex,
                                         const gql_type_t *t1,
                                         const gql_selection_set_t *s1,
                                         const gql_type_t *t2,
                                         const gql_selection_set_t *s2);

/* A conflict of the top pair being compared, in its scratch pool. */
static conflict_t *make_conflict(ov_t *o, const char *name,
                                 const char *reason,
                                 const gql_selection_t *n1,
                                 const gql_selection_t *n2)
{
    conflict_t *k = apr_pcalloc(o->tmp, sizeof(*k));

    k->name = name;
    k->reason = reason;
    k->f1 = apr_array_make(o->tmp, 1, sizeof(void *));
    k->f2 = apr_array_make(o->tmp, 1, sizeof(void *));
    APR_ARRAY_PUSH(k->f1, const gql_selection_t *) = n1;
    APR_ARRAY_PUSH(k->f2, const gql_selection_t *) = n2;
    return k;
}

/* The enclosing field, then the nodes of the sub-conflicts, all of them
 * (graphql-js 16.13 keeps every one). */
static apr_array_header_t *conflict_nodes(ov_t *o, const gql_selection_t *n,
                                          const apr_array_header_t *ks,
                                          int second)
{
    apr_array_header_t *out = apr_array_make(o->tmp, 4, sizeof(void *));
    int i;

    APR_ARRAY_PUSH(out, const gql_selection_t *) = n;
    for (i = 0; i < ks->nelts; i++) {
        const conflict_t *k = APR_ARRAY_IDX(ks, i, conflict_t *);

        apr_array_cat(out, second ? k->f2 : k->f1);
    }
    return out;
}

/* subfieldConflicts.  The reason is written once, in one piece: a pair
 * of fields may have thousands of sub-conflicts. */
static conflict_t *subfield_conflicts(ov_t *o, apr_array_header_t *ks,
                                      const char *name,
                                      const gql_selection_t *n1,
                                      const gql_selection_t *n2)
{
    struct iovec *v;
    conflict_t *k;
    int i;

    if (ks->nelts == 0) {
        return NULL;
    }
    v = apr_palloc(o->tmp, sizeof(*v) * 5 * ks->nelts);
    for (i = 0; i < ks->nelts; i++) {
        const conflict_t *x = APR_ARRAY_IDX(ks, i, conflict_t *);
        const char *part[5];
        int j;

        part[0] = i ? " and subfields \"" : "subfields \"";
        part[1] = gql_print_name(o->tmp, x->name);
        part[2] = "\" conflict because ";
        part[3] = x->reason;
        part[4] = "";
        for (j = 0; j < 5; j++) {
            v[5 * i + j].iov_base = (void *)part[j];
            v[5 * i + j].iov_len = strlen(part[j]);
        }
    }
    k = apr_pcalloc(o->tmp, sizeof(*k));
    k->name = name;
    k->reason = apr_pstrcatv(o->tmp, v, 5 * (apr_size_t)ks->nelts, NULL);
    k->f1 = conflict_nodes(o, n1, ks, 0);
    k->f2 = conflict_nodes(o, n2, ks, 1);
    return k;
}

/* The reason two fields of one response name cannot merge as written
 * (different fields, different arguments), or NULL. */
static const char *name_args_reason(vctx_t *c, ov_t *o, fdet_t *f1,
                                    fdet_t *f2)
{
    const char *n1 = f1->node->name.value, *n2 = f2->node->name.value;

    if (strcmp(n1, n2)) {
        return apr_psprintf(o->tmp, "\"%s\" and \"%s\" are different "
                            "fields", gql_print_name(o->tmp, n1),
                            gql_print_name(o->tmp, n2));
    }
    return same_arguments(c, o, f1, f2) ? NULL
                                        : "they have differing arguments";
}

/* The definition of f's field, or NULL when it is no field of its parent:
 * looked up when compared rather than kept for every field. */
static const gql_field_t *def_of(const fdet_t *f)
{
    if (f->parent == NULL || (f->parent->kind != GQL_KIND_OBJECT
                              && f->parent->kind != GQL_KIND_INTERFACE)) {
        return NULL;
    }
    return gql_type_field(f->parent, f->node->name.value);
}

static int same_def_type(const gql_field_t *d1, const gql_field_t *d2)
{
    if (d1 == NULL || d2 == NULL) {
        return d1 == d2;
    }
    return d1 == d2 || same_tref(d1->type, d2->type);
}

/* No arguments, no selection set */
static int simple_leaf(const fdet_t *f)
{
    return f->node->arguments->nelts == 0 && f->node->selection_set == NULL;
}

/* findConflict */
static conflict_t *find_conflict(vctx_t *c, ov_t *o, int parents_mutex,
                                 const char *name, fdet_t *f1, fdet_t *f2)
{
    const gql_field_t *d1 = def_of(f1), *d2 = def_of(f2);
    const gql_tref_t *t1, *t2;
    const char *reason;
    int mutex = parents_mutex
                || (f1->parent != f2->parent && f1->parent && f2->parent
                    && f1->parent->kind == GQL_KIND_OBJECT
                    && f2->parent->kind == GQL_KIND_OBJECT);

    spend(o, 2);
    if (o->over || (simple_leaf(f1) && simple_leaf(f2)
                    && same_def_type(d1, d2)
                    && !strcmp(f1->node->name.value, f2->node->name.value))) {
        return NULL;
    }
    if (!mutex && (reason = name_args_reason(c, o, f1, f2)) != NULL) {
        return make_conflict(o, name, reason, f1->node, f2->node);
    }
    t1 = d1 ? d1->type : NULL;
    t2 = d2 ? d2->type : NULL;
    if (t1 && t2 && types_conflict(o, t1, t2)) {
        return make_conflict(o, name, apr_psprintf(o->tmp, "they return "
                             "conflicting types \"%s\" and \"%s\"",
                             gql_print_type(o->tmp, t1),
                             gql_print_type(o->tmp, t2)),
                             f1->node, f2->node);
    }
    if (f1->node->selection_set && f2->node->selection_set) {
        return subfield_conflicts(o, sub_conflicts(c, o, mutex,
                                  gql_vnamed(t1), f1->node->selection_set,
                                  gql_vnamed(t2), f2->node->selection_set),
                                  name, f1->node, f2->node);
    }
    return NULL;
}

/* Compare f1 and f2, two fields of one response name, and add their
 * conflict to ks.  Below a top pair everything stays in the scratch pool
 * and is the top pair's to keep; a top pair's conflict is copied out of
 * it while the selection set can still report one, and the pool is
 * cleared.  Returns whether they conflict. */
static int pair(vctx_t *c, ov_t *o, apr_array_header_t *ks, int mutex,
                const char *name, fdet_t *f1, fdet_t *f2)
{
    conflict_t *k = find_conflict(c, o, mutex, name, f1, f2), *x;

    if (o->nest > 0) {
        if (k != NULL) {
            APR_ARRAY_PUSH(ks, conflict_t *) = k;
        }
        return k != NULL;
    }
    if (k != NULL && ks->nelts < o->keep) {
        x = apr_palloc(c->p, sizeof(*x));
        x->name = k->name;      /* the document's */
        x->reason = apr_pstrdup(c->p, k->reason);
        x->f1 = apr_array_copy(c->p, k->f1);
        x->f2 = apr_array_copy(c->p, k->f2);
        APR_ARRAY_PUSH(ks, conflict_t *) = x;
    }
    apr_pool_clear(o->tmp);
    return k != NULL;
}

/* Whether two values are written alike, spacing aside. */
static int same_value(const gql_value_t *a, const gql_value_t *b, int depth)
{
    const apr_array_header_t *x, *y;
    int i;

    if (a->kind != b->kind || depth > GQL_MAX_DEPTH) {
        return 0;
    }
    if (a->kind != GQL_VALUE_LIST && a->kind != GQL_VALUE_OBJECT) {
        return a->len == b->len && a->block == b->block
               && memcmp(a->text, b->text, a->len) == 0;
    }
    x = a->kind == GQL_VALUE_LIST ? a->items : a->fields;
    y = a->kind == GQL_VALUE_LIST ? b->items : b->fields;
    if (x->nelts != y->nelts) {
        return 0;
    }
    for (i = 0; i < x->nelts; i++) {
        const gql_object_field_t *f = GQL_AST_ITEM(x, i, gql_object_field_t);
        const gql_object_field_t *g = GQL_AST_ITEM(y, i, gql_object_field_t);

        if (a->kind == GQL_VALUE_LIST
            ? !same_value(GQL_AST_ITEM(x, i, gql_value_t),
                          GQL_AST_ITEM(y, i, gql_value_t), depth + 1)
            : strcmp(f->name.value, g->name.value)
              || !same_value(f->value, g->value, depth + 1)) {
            return 0;
        }
    }
    return 1;
}

static int same_args(const apr_array_header_t *a,
                     const apr_array_header_t *b)
{
    int i;

    if (a->nelts != b->nelts) {
        return 0;
    }
    for (i = 0; i < a->nelts; i++) {
        const gql_argument_t *x = GQL_AST_ITEM(a, i, gql_argument_t);
        const gql_argument_t *y = GQL_AST_ITEM(b, i, gql_argument_t);

        if (strcmp(x->name.value, y->name.value)
            || !same_value(x->value, y->value, 0)) {
            return 0;
        }
    }
    return 1;
}

static int same_name(const gql_name_t *a, const gql_name_t *b)
{
    return a->value == b->value
           || (a->value && b->value && !strcmp(a->value, b->value));
}

/* Whether two selection sets are written alike, spacing and directives
 * aside (the overlap check reads no directive).  Each selection costs
 * one from the budget. */
static int same_set(ov_t *o, const gql_selection_set_t *a,
                    const gql_selection_set_t *b, int depth)
{
    int i;

    if (a == NULL || b == NULL) {
        return a == b;
    }
    if (a->selections->nelts != b->selections->nelts
        || depth > GQL_MAX_DEPTH) {
        return 0;
    }
    for (i = 0; i < a->selections->nelts; i++) {
        const gql_selection_t *x = GQL_AST_ITEM(a->selections, i,
                                                gql_selection_t);
        const gql_selection_t *y = GQL_AST_ITEM(b->selections, i,
                                                gql_selection_t);

        spend(o, 1);
        /* alias and type_condition share their place */
        if (o->over || x->kind != y->kind || !same_name(&x->alias, &y->alias)
            || !same_name(&x->name, &y->name)
            || !same_args(x->arguments, y->arguments)
            || !same_set(o, x->selection_set, y->selection_set,
                         depth + 1)) {
            return 0;
        }
    }
    return 1;
}

/* Fields written alike on one parent type. */
static int alike(ov_t *o, const fdet_t *f1, const fdet_t *f2)
{
    return f1->parent == f2->parent
           && !strcmp(f1->node->name.value, f2->node->name.value)
           && same_args(f1->node->arguments, f2->node->arguments)
           && same_set(o, f1->node->selection_set, f2->node->selection_set,
                       0);
}

/* Sorts a group's fields into classes of fields written alike (twin),
 * against the first TWINS classes only: a group of many different
 * fields is compared pairwise anyway.  Returns the number of classes,
 * or 0 when some field is in none. */
#define TWINS 8

static int twins(ov_t *o, const fgroup_t *g)
{
    fdet_t *first[TWINS];
    int i, k, n = 0, lone = 0;

    for (i = 0; i < g->fields->nelts && !o->over; i++) {
        fdet_t *f = &APR_ARRAY_IDX(g->fields, i, fdet_t);

        for (k = 0; k < n && !alike(o, first[k], f); k++) {
        }
        if (k == n && n < TWINS) {
            first[n++] = f;
        }
        f->twin = k < n ? k : -1;
        lone |= f->twin < 0;
    }
    return lone ? 0 : n;
}

/* collectConflictsBetween, over getOverlappingFields: the groups of r1
 * that r2 also has, in r1's order. */
static void between(vctx_t *c, ov_t *o, apr_array_header_t *ks, int mutex,
                    const cfr_t *r1, const cfr_t *r2)
{
    int i, j, k;

    if (r1->groups->nelts == 0 || r2->groups->nelts == 0) {
        return;
    }
    for (i = 0; i < r1->groups->nelts && !o->over; i++) {
        const fgroup_t *g1 = APR_ARRAY_IDX(r1->groups, i, fgroup_t *);
        const fgroup_t *g2 = apr_hash_get(r2->index, g1->name,
                                          APR_HASH_KEY_STRING);

        spend(o, 1);
        for (j = 0; g2 != NULL && j < g1->fields->nelts && !o->over; j++) {
            for (k = 0; k < g2->fields->nelts && !o->over; k++) {
                pair(c, o, ks, mutex, g1->name,
                     &APR_ARRAY_IDX(g1->fields, j, fdet_t),
                     &APR_ARRAY_IDX(g2->fields, k, fdet_t));
            }
        }
    }
}

/* collectConflictsBetweenFieldsAndFragment.  compared marks the fragment
 * for this field set, so each is entered at most twice (exclusive, then
 * not), which also ends cycles of spreads. */
static void fields_and_fragment(vctx_t *c, ov_t *o, apr_array_header_t *ks,
                                int mutex, cfr_t *r, const char *name)
{
    const char *done;
    const gql_definition_t *f;
    cfr_t *r2;
    int i;

    spend(o, 1);
    if (o->over || r->groups->nelts == 0) {
        return;
    }
    done = apr_hash_get(r->compared, name, APR_HASH_KEY_STRING);
    if ((done && *done == '0') || (mutex && done && *done == '1')) {
        return;
    }
    apr_hash_set(r->compared, name, APR_HASH_KEY_STRING, mutex ? "1" : "0");
    if ((f = gql_vfragment(c, name)) == NULL) {
        return;
    }
    r2 = collect_fragment(c, o, f);
    if (r2 == r) {
        return;
    }
    between(c, o, ks, mutex, r, r2);
    for (i = 0; i < r2->frags->nelts && !o->over; i++) {
        fields_and_fragment(c, o, ks, mutex, r,
                            APR_ARRAY_IDX(r2->frags, i, const char *));
    }
}

/* PairSet: has(a, b, mutex), of fragment definitions */
static int pair_seen(ov_t *o, const gql_definition_t *a,
                     const gql_definition_t *b, int mutex)
{
    const char *x = get2(o->pairs, a, b), *y = get2(o->pairs, b, a);

    return (x && (mutex || *x == '0')) || (y && (mutex || *y == '0'));
}

/* collectConflictsBetweenFragments */
static void between_fragments(vctx_t *c, ov_t *o, apr_array_header_t *ks,
                              int mutex, const char *n1, const char *n2)
{
    const gql_definition_t *f1, *f2;
    cfr_t *r1, *r2;
    int i;

    spend(o, 2);
    if (o->over || !strcmp(n1, n2)) {
        return;
    }
    /* A pair of which one is no fragment is never compared: it need not
     * be remembered. */
    f1 = gql_vfragment(c, n1);
    f2 = gql_vfragment(c, n2);
    if (f1 == NULL || f2 == NULL || pair_seen(o, f1, f2, mutex)) {
        return;
    }
    if (apr_hash_count(o->pairs) >= o->max_pairs) {
        o->over = 1;
        return;
    }
    set2(c->p, o->pairs, f1, f2, mutex ? "1" : "0");
    r1 = collect_fragment(c, o, f1);
    r2 = collect_fragment(c, o, f2);
    between(c, o, ks, mutex, r1, r2);
    for (i = 0; i < r2->frags->nelts && !o->over; i++) {
        between_fragments(c, o, ks, mutex, n1,
                          APR_ARRAY_IDX(r2->frags, i, const char *));
    }
    for (i = 0; i < r1->frags->nelts && !o->over; i++) {
        between_fragments(c, o, ks, mutex,
                          APR_ARRAY_IDX(r1->frags, i, const char *), n2);
    }
}

/* findConflictsBetweenSubSelectionSets */
static apr_array_header_t *sub_conflicts(vctx_t *c, ov_t *o, int mutex,
                                         const gql_type_t *t1,
                                         const gql_selection_set_t *s1,
                                         const gql_type_t *t2,
                                         const gql_selection_set_t *s2)
{
    apr_array_header_t *ks = apr_array_make(o->tmp, 2, sizeof(conflict_t *));
    cfr_t *r1 = collect(c, o, t1, s1), *r2 = collect(c, o, t2, s2);
    int i, j;

    o->nest++;
    between(c, o, ks, mutex, r1, r2);
    for (i = 0; i < r2->frags->nelts && !o->over; i++) {
        fields_and_fragment(c, o, ks, mutex, r1,
                            APR_ARRAY_IDX(r2->frags, i, const char *));
    }
    for (i = 0; i < r1->frags->nelts && !o->over; i++) {
        fields_and_fragment(c, o, ks, mutex, r2,
                            APR_ARRAY_IDX(r1->frags, i, const char *));
    }
    for (i = 0; i < r1->frags->nelts && !o->over; i++) {
        for (j = 0; j < r2->frags->nelts && !o->over; j++) {
            between_fragments(c, o, ks, mutex,
                              APR_ARRAY_IDX(r1->frags, i, const char *),
                              APR_ARRAY_IDX(r2->frags, j, const char *));
        }
    }
    o->nest--;
    return ks;
}

/* The pairs of one group of a selection set.  Two fields written alike
 * are compared as the first two of their class are: once those two do
 * not conflict, no two of the class do (the same comparison, over
 * fragment pairs already seen), so N fields written alike cost one
 * comparison and a walk, and are valid as graphql-js finds them. */
static void pairs_within(vctx_t *c, ov_t *o, apr_array_header_t *ks,
                         const fgroup_t *g)
{
    char clean[TWINS];
    int i, j, n = g->fields->nelts, classes;

    if (n < 2 || (classes = twins(o, g)) == 0 || o->over) {
        classes = 0;
    }
    memset(clean, 0, sizeof(clean));
    for (i = 0; i < n && !o->over; i++) {
        fdet_t *f1 = &APR_ARRAY_IDX(g->fields, i, fdet_t);

        for (j = i + 1; j < n && !o->over; j++) {
            fdet_t *f2 = &APR_ARRAY_IDX(g->fields, j, fdet_t);

            if (classes && f1->twin == f2->twin && clean[f1->twin]) {
                spend(o, 1);
            }
            else if (!pair(c, o, ks, 0, g->name, f1, f2)
                     && classes && f1->twin == f2->twin && !o->over) {
                clean[f1->twin] = 1;
                if (classes == 1) {
                    return;
                }
            }
        }
    }
}

/* findConflictsWithinSelectionSet */
static apr_array_header_t *within(vctx_t *c, ov_t *o, const gql_type_t *t,
                                  const gql_selection_set_t *ss)
{
    apr_array_header_t *ks = apr_array_make(c->p, 2, sizeof(conflict_t *));
    cfr_t *r = collect(c, o, t, ss);
    int g, i, j, n = r->frags->nelts;

    for (g = 0; g < r->groups->nelts && !o->over; g++) {
        pairs_within(c, o, ks, APR_ARRAY_IDX(r->groups, g, fgroup_t *));
    }
    if (n == 0 || (r->groups->nelts == 0 && n < 2)) {
        return ks;
    }
    for (i = 0; i < n && !o->over; i++) {
        fields_and_fragment(c, o, ks, 0, r,
                            APR_ARRAY_IDX(r->frags, i, const char *));
        for (j = i + 1; j < n && !o->over; j++) {
            between_fragments(c, o, ks, 0,
                              APR_ARRAY_IDX(r->frags, i, const char *),
                              APR_ARRAY_IDX(r->frags, j, const char *));
        }
    }
    return ks;
}

static ov_t *state(vctx_t *c)
{
    ov_t *o = c->overlap;

    if (o == NULL) {
        o = c->overlap = apr_pcalloc(c->p, sizeof(*o));
        o->cfrs = apr_hash_make(c->p);
        o->pairs = apr_hash_make(c->p);
        o->canons = apr_hash_make(c->p);
        apr_pool_create(&o->tmp, c->p);
        o->budget = BUDGET;
        o->max_pairs = PAIRS_MIN + PAIRS_PER_BYTE * c->doc->len;
    }
    return o;
}

/* OverlappingFieldsCanBeMerged, on entering a selection set that is not
 * an inline fragment's and has something to compare. */
int gql_voverlapping_fields_can_be_merged(vctx_t *c, const node_t *n,
                                          int leave)
{
    const gql_selection_set_t *ss = n->ast;
    apr_array_header_t *ks;
    ov_t *o;
    int i, j;

    if (leave || n->kind != N_SELECTION_SET || n->parent->kind == N_INLINE
        || (ss->selections->nelts <= 1
            && GQL_AST_ITEM(ss->selections, 0, gql_selection_t)->kind
               != GQL_SEL_INLINE_FRAGMENT)) {
        return 0;
    }
    o = state(c);
    /* what gql_vreport() can still take, and the one that says so */
    o->keep = MAX_ERRORS - (c->errors->nelts - c->first) + 1;
    ks = within(c, o, c->ti.parent_type, ss);
    if (o->over) {
        gql_error_add(c->p, c->errors, NULL, "Validation aborted.");
        c->aborted = 1;
        return 0;
    }
    for (i = 0; i < ks->nelts; i++) {
        const conflict_t *k = APR_ARRAY_IDX(ks, i, conflict_t *);
        gql_error_t *e = NULL;

        for (j = 0; j < k->f1->nelts + k->f2->nelts; j++) {
            const gql_selection_t *s = j < k->f1->nelts
                ? APR_ARRAY_IDX(k->f1, j, gql_selection_t *)
                : APR_ARRAY_IDX(k->f2, j - k->f1->nelts, gql_selection_t *);

            if (j == 0) {
                e = gql_vreport(c, &s->loc, "Fields \"%s\" conflict because "
                                "%s. Use different aliases on the fields to "
                                "fetch both if this was intentional.",
                                gql_vname(c, k->name), k->reason);
            }
            else {
                gql_vloc(c, e, &s->loc);
            }
        }
    }
    return 0;
}
