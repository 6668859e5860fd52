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
 * once (pairs), a group of one field repeated is not compared pairwise,
 * and every comparison spends from a budget: when it runs out, validation
 * stops with "Validation aborted." (graphql-js 16.15's answer; 16.13
 * would run on).
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

/* One field selection with the type it was selected on. */
typedef struct fdet_t {
    const gql_type_t *parent;
    const gql_selection_t *node;
    const gql_field_t *def;     /* NULL: not a field of parent */
    int simple_leaf;            /* no arguments, no selection set */
} fdet_t;

typedef struct fgroup_t {
    const char *name;
    apr_array_header_t *fields;     /* fdet_t * */
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
    apr_hash_t *pairs;              /* "a\nb" -> "0" or "1" */
    apr_hash_t *reasons;            /* (fdet, fdet) -> reason or "" */
    apr_hash_t *overlaps;           /* (cfr, cfr) -> fgroup pairs */
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

static void collect_impl(vctx_t *c, cfr_t *r, const gql_type_t *parent,
                         const gql_selection_set_t *ss)
{
    int i;

    for (i = 0; i < ss->selections->nelts; i++) {
        const gql_selection_t *s = GQL_AST_ITEM(ss->selections, i,
                                                gql_selection_t);
        const char *key;
        fgroup_t *g;
        fdet_t *f;

        if (s->kind == GQL_SEL_FRAGMENT_SPREAD) {
            if (!apr_hash_get(r->fragset, s->name.value,
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
                         : parent, s->selection_set);
            continue;
        }
        key = s->alias.value ? s->alias.value : s->name.value;
        g = apr_hash_get(r->index, key, APR_HASH_KEY_STRING);
        if (g == NULL) {
            g = apr_pcalloc(c->p, sizeof(*g));
            g->name = key;
            g->fields = apr_array_make(c->p, 2, sizeof(fdet_t *));
            apr_hash_set(r->index, key, APR_HASH_KEY_STRING, g);
            APR_ARRAY_PUSH(r->groups, fgroup_t *) = g;
        }
        f = apr_pcalloc(c->p, sizeof(*f));
        f->parent = parent;
        f->node = s;
        if (parent != NULL && (parent->kind == GQL_KIND_OBJECT
                               || parent->kind == GQL_KIND_INTERFACE)) {
            f->def = gql_type_field(parent, s->name.value);
        }
        f->simple_leaf = s->arguments->nelts == 0 && s->selection_set == NULL;
        APR_ARRAY_PUSH(g->fields, fdet_t *) = f;
    }
}

/* collectFields, once per parent type and selection set.  Inline
 * fragments nest no deeper than the parser allows. */
static cfr_t *collect(vctx_t *c, ov_t *o, const gql_type_t *parent,
                      const gql_selection_set_t *ss)
{
    cfr_t *r = get2(o->cfrs, parent, ss);

    if (r != NULL) {
        return r;
    }
    r = apr_pcalloc(c->p, sizeof(*r));
    r->groups = apr_array_make(c->p, 8, sizeof(fgroup_t *));
    r->index = apr_hash_make(c->p);
    r->frags = apr_array_make(c->p, 2, sizeof(char *));
    r->fragset = apr_hash_make(c->p);
    r->compared = apr_hash_make(c->p);
    collect_impl(c, r, parent, ss);
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

static const gql_argument_t *last_arg(const apr_array_header_t *args,
                                      const char *name)
{
    const gql_argument_t *found = NULL;
    int i;

    for (i = 0; i < args->nelts; i++) {
        const gql_argument_t *a = GQL_AST_ITEM(args, i, gql_argument_t);

        if (!strcmp(a->name.value, name)) {
            found = a;
        }
    }
    return found;
}

/* sameArguments */
static int same_arguments(vctx_t *c, ov_t *o, const apr_array_header_t *a1,
                          const apr_array_header_t *a2)
{
    int i;

    if (a1->nelts != a2->nelts) {
        return 0;
    }
    for (i = 0; i < a1->nelts; i++) {
        const gql_argument_t *x = GQL_AST_ITEM(a1, i, gql_argument_t);
        const gql_argument_t *y = last_arg(a2, x->name.value);

        spend(o, 1);
        if (y == NULL || strcmp(canon(c->p, x->value, 0),
                                canon(c->p, y->value, 0))) {
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

static conflict_t *make_conflict(vctx_t *c, const char *name,
                                 const char *reason,
                                 const gql_selection_t *n1,
                                 const gql_selection_t *n2)
{
    conflict_t *k = apr_pcalloc(c->p, sizeof(*k));

    k->name = name;
    k->reason = reason;
    k->f1 = apr_array_make(c->p, 1, sizeof(void *));
    k->f2 = apr_array_make(c->p, 1, sizeof(void *));
    APR_ARRAY_PUSH(k->f1, const gql_selection_t *) = n1;
    APR_ARRAY_PUSH(k->f2, const gql_selection_t *) = n2;
    return k;
}

/* The enclosing field, then the nodes of the sub-conflicts, all of them
 * (graphql-js 16.13 keeps every one). */
static apr_array_header_t *conflict_nodes(vctx_t *c, const gql_selection_t *n,
                                          const apr_array_header_t *ks,
                                          int second)
{
    apr_array_header_t *out = apr_array_make(c->p, 4, sizeof(void *));
    int i;

    APR_ARRAY_PUSH(out, const gql_selection_t *) = n;
    for (i = 0; i < ks->nelts; i++) {
        const conflict_t *k = APR_ARRAY_IDX(ks, i, conflict_t *);

        apr_array_cat(out, second ? k->f2 : k->f1);
    }
    return out;
}

/* subfieldConflicts */
static conflict_t *subfield_conflicts(vctx_t *c, apr_array_header_t *ks,
                                      const char *name,
                                      const gql_selection_t *n1,
                                      const gql_selection_t *n2)
{
    conflict_t *k;
    const char *msg = "";
    int i;

    if (ks->nelts == 0) {
        return NULL;
    }
    for (i = 0; i < ks->nelts; i++) {
        const conflict_t *x = APR_ARRAY_IDX(ks, i, conflict_t *);

        msg = apr_pstrcat(c->p, msg, *msg ? " and " : "", "subfields \"",
                          gql_vname(c, x->name), "\" conflict because ",
                          x->reason, NULL);
    }
    k = apr_pcalloc(c->p, sizeof(*k));
    k->name = name;
    k->reason = msg;
    k->f1 = conflict_nodes(c, n1, ks, 0);
    k->f2 = conflict_nodes(c, n2, ks, 1);
    return k;
}

/* The reason two fields of one response name cannot merge as written
 * (different fields, different arguments), or NULL; cached per pair. */
static const char *name_args_reason(vctx_t *c, ov_t *o, const fdet_t *f1,
                                    const fdet_t *f2)
{
    const char *n1 = f1->node->name.value, *n2 = f2->node->name.value;
    const char *reason = get2(o->reasons, f1, f2);

    if (reason == NULL) {
        if (strcmp(n1, n2)) {
            reason = apr_psprintf(c->p, "\"%s\" and \"%s\" are different "
                                  "fields", gql_vname(c, n1),
                                  gql_vname(c, n2));
        }
        else {
            reason = same_arguments(c, o, f1->node->arguments,
                                    f2->node->arguments)
                     ? "" : "they have differing arguments";
        }
        set2(c->p, o->reasons, f1, f2, reason);
    }
    return *reason ? reason : NULL;
}

static int same_def_type(const fdet_t *f1, const fdet_t *f2)
{
    if (f1->def == NULL || f2->def == NULL) {
        return f1->def == f2->def;
    }
    return f1->def == f2->def || same_tref(f1->def->type, f2->def->type);
}

/* findConflict */
static conflict_t *find_conflict(vctx_t *c, ov_t *o, int parents_mutex,
                                 const char *name, const fdet_t *f1,
                                 const fdet_t *f2)
{
    const gql_tref_t *t1, *t2;
    const char *reason;
    int mutex = parents_mutex
                || (f1->parent != f2->parent && f1->parent && f2->parent
                    && f1->parent->kind == GQL_KIND_OBJECT
                    && f2->parent->kind == GQL_KIND_OBJECT);

    spend(o, 2);
    if (o->over || (f1->simple_leaf && f2->simple_leaf
                    && same_def_type(f1, f2)
                    && !strcmp(f1->node->name.value, f2->node->name.value))) {
        return NULL;
    }
    if (!mutex && (reason = name_args_reason(c, o, f1, f2)) != NULL) {
        return make_conflict(c, name, reason, f1->node, f2->node);
    }
    t1 = f1->def ? f1->def->type : NULL;
    t2 = f2->def ? f2->def->type : NULL;
    if (t1 && t2 && types_conflict(o, t1, t2)) {
        return make_conflict(c, name, apr_psprintf(c->p, "they return "
                             "conflicting types \"%s\" and \"%s\"",
                             gql_print_type(c->p, t1),
                             gql_print_type(c->p, t2)),
                             f1->node, f2->node);
    }
    if (f1->node->selection_set && f2->node->selection_set) {
        return subfield_conflicts(c, sub_conflicts(c, o, mutex,
                                  gql_vnamed(t1), f1->node->selection_set,
                                  gql_vnamed(t2), f2->node->selection_set),
                                  name, f1->node, f2->node);
    }
    return NULL;
}

static void push_conflict(apr_array_header_t *ks, conflict_t *k)
{
    if (k != NULL) {
        APR_ARRAY_PUSH(ks, conflict_t *) = k;
    }
}

/* A text equal for two argument lists exactly when sameArguments holds
 * between them, or NULL when a name repeats (sameArguments is not
 * symmetric then). */
static const char *args_sig(vctx_t *c, const apr_array_header_t *args)
{
    const gql_argument_t **a = apr_palloc(c->p, sizeof(*a)
                                          * (args->nelts + 1));
    const char *out = "";
    int i, j;

    for (i = 0; i < args->nelts; i++) {
        const gql_argument_t *x = GQL_AST_ITEM(args, i, gql_argument_t);

        for (j = i; j > 0 && strcmp(a[j - 1]->name.value,
                                    x->name.value) > 0; j--) {
            a[j] = a[j - 1];
        }
        if (j > 0 && !strcmp(a[j - 1]->name.value, x->name.value)) {
            return NULL;
        }
        a[j] = x;
    }
    for (i = 0; i < args->nelts; i++) {
        out = apr_pstrcat(c->p, out, a[i]->name.value, ":",
                          canon(c->p, a[i]->value, 0), ",", NULL);
    }
    return out;
}

/* 1 when no two fields of the group can conflict: the same field of one
 * parent type, with the same arguments and no selections.  Spares the
 * pairwise walk a document that repeats one field thousands of times. */
static int uniform(vctx_t *c, const fgroup_t *g)
{
    const fdet_t *f0 = APR_ARRAY_IDX(g->fields, 0, fdet_t *);
    const char *sig = args_sig(c, f0->node->arguments);
    int i;

    for (i = 1; sig != NULL && i < g->fields->nelts; i++) {
        const fdet_t *f = APR_ARRAY_IDX(g->fields, i, fdet_t *);
        const char *s2;

        if (f->parent != f0->parent || f->node->selection_set != NULL
            || f0->node->selection_set != NULL
            || strcmp(f->node->name.value, f0->node->name.value)
            || (s2 = args_sig(c, f->node->arguments)) == NULL
            || strcmp(s2, sig)) {
            return 0;
        }
    }
    return sig != NULL;
}

/* getOverlappingFields: the groups of r1 that r2 also has, in pairs. */
static apr_array_header_t *overlapping(vctx_t *c, ov_t *o, const cfr_t *r1,
                                       const cfr_t *r2)
{
    apr_array_header_t *out = get2(o->overlaps, r1, r2);
    int i;

    if (out != NULL) {
        return out;
    }
    out = apr_array_make(c->p, 4, sizeof(fgroup_t *));
    for (i = 0; i < r1->groups->nelts; i++) {
        fgroup_t *g1 = APR_ARRAY_IDX(r1->groups, i, fgroup_t *);
        fgroup_t *g2 = apr_hash_get(r2->index, g1->name, APR_HASH_KEY_STRING);

        spend(o, 1);
        if (g2 != NULL) {
            APR_ARRAY_PUSH(out, fgroup_t *) = g1;
            APR_ARRAY_PUSH(out, fgroup_t *) = g2;
        }
    }
    set2(c->p, o->overlaps, r1, r2, out);
    return out;
}

/* collectConflictsBetween */
static void between(vctx_t *c, ov_t *o, apr_array_header_t *ks, int mutex,
                    const cfr_t *r1, const cfr_t *r2)
{
    const apr_array_header_t *ov;
    int i, j, k;

    if (r1->groups->nelts == 0 || r2->groups->nelts == 0) {
        return;
    }
    ov = overlapping(c, o, r1, r2);
    for (i = 0; i + 1 < ov->nelts && !o->over; i += 2) {
        const fgroup_t *g1 = APR_ARRAY_IDX(ov, i, fgroup_t *);
        const fgroup_t *g2 = APR_ARRAY_IDX(ov, i + 1, fgroup_t *);

        for (j = 0; j < g1->fields->nelts && !o->over; j++) {
            for (k = 0; k < g2->fields->nelts && !o->over; k++) {
                push_conflict(ks, find_conflict(c, o, mutex, g1->name,
                              APR_ARRAY_IDX(g1->fields, j, fdet_t *),
                              APR_ARRAY_IDX(g2->fields, k, fdet_t *)));
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

/* PairSet: has(a, b, mutex) */
static int pair_seen(vctx_t *c, ov_t *o, const char *a, const char *b,
                     int mutex)
{
    const char *x = apr_hash_get(o->pairs, apr_pstrcat(c->p, a, "\n", b,
                                                       NULL),
                                 APR_HASH_KEY_STRING);
    const char *y = apr_hash_get(o->pairs, apr_pstrcat(c->p, b, "\n", a,
                                                       NULL),
                                 APR_HASH_KEY_STRING);

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
    if (o->over || !strcmp(n1, n2) || pair_seen(c, o, n1, n2, mutex)) {
        return;
    }
    apr_hash_set(o->pairs, apr_pstrcat(c->p, n1, "\n", n2, NULL),
                 APR_HASH_KEY_STRING, mutex ? "1" : "0");
    f1 = gql_vfragment(c, n1);
    f2 = gql_vfragment(c, n2);
    if (f1 == NULL || f2 == NULL) {
        return;
    }
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
    apr_array_header_t *ks = apr_array_make(c->p, 2, sizeof(conflict_t *));
    cfr_t *r1 = collect(c, o, t1, s1), *r2 = collect(c, o, t2, s2);
    int i, j;

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
    return ks;
}

/* findConflictsWithinSelectionSet */
static apr_array_header_t *within(vctx_t *c, ov_t *o, const gql_type_t *t,
                                  const gql_selection_set_t *ss)
{
    apr_array_header_t *ks = apr_array_make(c->p, 2, sizeof(conflict_t *));
    cfr_t *r = collect(c, o, t, ss);
    int g, i, j, n = r->frags->nelts;

    for (g = 0; g < r->groups->nelts && !o->over; g++) {
        const fgroup_t *fg = APR_ARRAY_IDX(r->groups, g, fgroup_t *);

        if (fg->fields->nelts > 2 && uniform(c, fg)) {
            continue;
        }
        for (i = 0; i < fg->fields->nelts && !o->over; i++) {
            for (j = i + 1; j < fg->fields->nelts && !o->over; j++) {
                push_conflict(ks, find_conflict(c, o, 0, fg->name,
                              APR_ARRAY_IDX(fg->fields, i, fdet_t *),
                              APR_ARRAY_IDX(fg->fields, j, fdet_t *)));
            }
        }
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
        o->reasons = apr_hash_make(c->p);
        o->overlaps = apr_hash_make(c->p);
        o->budget = BUDGET;
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
