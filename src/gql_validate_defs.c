/* Licensed under the Apache License, Version 2.0 (the "License"); you may
 * not use this file except in compliance with the License.  You may obtain
 * a copy of the License at http://www.apache.org/licenses/LICENSE-2.0
 */

/*
 * gql_validate_defs.c: the rules on operations, types, fields and
 * fragments, ExecutableDefinitions to NoFragmentCycles in graphql-js's
 * specifiedRules order.  gql_validate.c walks the document and calls them
 * at each node (gql_validate_int.h says how).
 */

#include <stdlib.h>
#include <string.h>
#include <apr_hash.h>
#include <apr_strings.h>
#include "gql_print.h"
#include "gql_validate_int.h"

/* ---- the rules, in graphql-js's specifiedRules order */

/* ExecutableDefinitions: only operations and fragments may be executed. */
int gql_vexecutable_definitions(vctx_t *c, const node_t *n, int leave)
{
    int i;

    if (leave || n->kind != N_DOCUMENT) {
        return 0;
    }
    for (i = 0; i < c->doc->definitions->nelts; i++) {
        const gql_definition_t *d = GQL_AST_ITEM(c->doc->definitions, i,
                                                 gql_definition_t);

        if (d->kind == GQL_DEF_OPERATION || d->kind == GQL_DEF_FRAGMENT) {
            continue;
        }
        if (d->kind == GQL_DEF_SCHEMA) {
            gql_vreport(c, &d->loc, "The schema definition is not "
                        "executable.");
        }
        else {
            gql_vreport(c, &d->loc, "The \"%s\" definition is not "
                        "executable.", gql_vname(c, d->name.value));
        }
    }
    return SKIP;
}

/* The first definition of name in h, or none (then this one becomes
 * it): "There can be only one <what> named ..." at both. */
void gql_vunique_name(vctx_t *c, apr_hash_t *h, const gql_name_t *name,
                      const char *what)
{
    const gql_name_t *first = apr_hash_get(h, name->value,
                                           APR_HASH_KEY_STRING);

    if (first == NULL) {
        apr_hash_set(h, name->value, APR_HASH_KEY_STRING, name);
        return;
    }
    gql_vloc(c, gql_vreport(c, &first->loc, "There can be only one %s "
                            "named \"%s\".", what, gql_vname(c, name->value)),
             &name->loc);
}

/* UniqueOperationNames */
int gql_vunique_operation_names(vctx_t *c, const node_t *n, int leave)
{
    const gql_definition_t *d = n->ast;

    if (leave || (n->kind != N_OPERATION && n->kind != N_FRAGMENT)) {
        return 0;
    }
    if (n->kind == N_OPERATION && d->name.value != NULL) {
        gql_vunique_name(c, c->op_names, &d->name, "operation");
    }
    return SKIP;
}

/* LoneAnonymousOperation */
int gql_vlone_anonymous_operation(vctx_t *c, const node_t *n, int leave)
{
    const gql_definition_t *d = n->ast;
    int i, count = 0;

    if (leave || n->kind != N_OPERATION || d->name.value != NULL) {
        return 0;
    }
    for (i = 0; i < c->doc->definitions->nelts; i++) {
        count += GQL_AST_ITEM(c->doc->definitions, i,
                              gql_definition_t)->kind == GQL_DEF_OPERATION;
    }
    if (count > 1) {
        gql_vreport(c, &d->loc, "This anonymous operation must be the only "
                    "defined operation.");
    }
    return 0;
}

/* SingleFieldSubscriptions: collectFields over the root selection set as
 * graphql-js runs it with no variables: @skip(if: true) and
 * @include(if: false) leave a selection out. */
static int excluded(const apr_array_header_t *dirs)
{
    int i, j;

    for (i = 0; dirs != NULL && i < dirs->nelts; i++) {
        const gql_directive_t *d = GQL_AST_ITEM(dirs, i, gql_directive_t);
        int skip = !strcmp(d->name.value, "skip");

        if (!skip && strcmp(d->name.value, "include")) {
            continue;
        }
        for (j = 0; j < d->arguments->nelts; j++) {
            const gql_argument_t *a = GQL_AST_ITEM(d->arguments, j,
                                                   gql_argument_t);

            if (!strcmp(a->name.value, "if")
                && a->value->kind == GQL_VALUE_BOOLEAN
                && a->value->boolean == skip) {
                return 1;
            }
        }
    }
    return 0;
}

/* doesFragmentConditionMatch */
static int condition_matches(vctx_t *c, const gql_name_t *cond,
                             const gql_type_t *t)
{
    const gql_type_t *ct;

    if (cond->value == NULL) {
        return 1;
    }
    ct = gql_vtype(c, cond->value);
    if (ct == t) {
        return 1;
    }
    return ct != NULL && (ct->kind == GQL_KIND_INTERFACE
                          || ct->kind == GQL_KIND_UNION)
           && gql_vis_sub_type(ct, t);
}

typedef struct group_t {
    const char *key;
    apr_array_header_t *fields;     /* gql_selection_t * */
} group_t;

/* Each fragment is spread once (visited), which ends cycles. */
static void collect_fields(vctx_t *c, const gql_type_t *t,
                           const gql_selection_set_t *ss, apr_hash_t *keys,
                           apr_array_header_t *groups, apr_hash_t *visited)
{
    int i;

    for (i = 0; i < ss->selections->nelts; i++) {
        const gql_selection_t *s = GQL_AST_ITEM(ss->selections, i,
                                                gql_selection_t);
        const gql_definition_t *f;
        const char *key;
        group_t *g;

        if (excluded(s->directives)) {
            continue;
        }
        if (s->kind == GQL_SEL_FIELD) {
            key = s->alias.value ? s->alias.value : s->name.value;
            g = apr_hash_get(keys, key, APR_HASH_KEY_STRING);
            if (g == NULL) {
                g = apr_pcalloc(c->p, sizeof(*g));
                g->key = key;
                g->fields = apr_array_make(c->p, 2, sizeof(void *));
                apr_hash_set(keys, key, APR_HASH_KEY_STRING, g);
                APR_ARRAY_PUSH(groups, group_t *) = g;
            }
            APR_ARRAY_PUSH(g->fields, const gql_selection_t *) = s;
        }
        else if (s->kind == GQL_SEL_INLINE_FRAGMENT) {
            if (condition_matches(c, &s->type_condition, t)) {
                collect_fields(c, t, s->selection_set, keys, groups, visited);
            }
        }
        else if (!apr_hash_get(visited, s->name.value, APR_HASH_KEY_STRING)) {
            apr_hash_set(visited, s->name.value, APR_HASH_KEY_STRING, s);
            f = gql_vfragment(c, s->name.value);
            if (f != NULL && condition_matches(c, &f->type_condition, t)) {
                collect_fields(c, t, f->selection_set, keys, groups, visited);
            }
        }
    }
}

static gql_error_t *subscription_error(vctx_t *c, const gql_definition_t *d,
                                       const gql_loc_t *loc, int intro)
{
    const char *what = intro ? "must not select an introspection top level "
                               "field." : "must select only one top level "
                               "field.";

    if (d->name.value != NULL) {
        return gql_vreport(c, loc, "Subscription \"%s\" %s",
                           gql_vname(c, d->name.value), what);
    }
    return gql_vreport(c, loc, "Anonymous Subscription %s", what);
}

int gql_vsingle_field_subscriptions(vctx_t *c, const node_t *n, int leave)
{
    const gql_definition_t *d = n->ast;
    apr_array_header_t *groups;
    gql_error_t *e = NULL;
    int i, j;

    if (leave || n->kind != N_OPERATION || d->operation != GQL_OP_SUBSCRIPTION
        || c->s->subscription == NULL) {
        return 0;
    }
    groups = apr_array_make(c->p, 4, sizeof(group_t *));
    collect_fields(c, c->s->subscription, d->selection_set, apr_hash_make(c->p),
                   groups, apr_hash_make(c->p));
    for (i = 1; i < groups->nelts; i++) {
        const group_t *g = APR_ARRAY_IDX(groups, i, group_t *);

        for (j = 0; j < g->fields->nelts; j++) {
            const gql_loc_t *l = &APR_ARRAY_IDX(g->fields, j,
                                                gql_selection_t *)->loc;

            if (e == NULL) {
                e = subscription_error(c, d, l, 0);
            }
            else {
                gql_vloc(c, e, l);
            }
        }
    }
    for (i = 0; i < groups->nelts; i++) {
        const group_t *g = APR_ARRAY_IDX(groups, i, group_t *);
        const gql_selection_t *s = APR_ARRAY_IDX(g->fields, 0,
                                                 gql_selection_t *);

        if (strncmp(s->name.value, "__", 2) != 0) {
            continue;
        }
        e = subscription_error(c, d, &s->loc, 1);
        for (j = 1; j < g->fields->nelts; j++) {
            gql_vloc(c, e, &APR_ARRAY_IDX(g->fields, j,
                                          gql_selection_t *)->loc);
        }
    }
    return 0;
}

static const char *const standard_types[] = {
    "String", "Int", "Float", "Boolean", "ID", "__Schema", "__Directive",
    "__DirectiveLocation", "__Type", "__Field", "__InputValue",
    "__EnumValue", "__TypeKind", NULL
};

static int is_type_definition(const gql_definition_t *d)
{
    return d->kind >= GQL_DEF_SCALAR && d->kind <= GQL_DEF_INPUT_OBJECT;
}

static int doc_defines_type(vctx_t *c, const char *name)
{
    int i;

    for (i = 0; i < c->doc->definitions->nelts; i++) {
        const gql_definition_t *d = GQL_AST_ITEM(c->doc->definitions, i,
                                                 gql_definition_t);

        if (is_type_definition(d) && !d->is_extension
            && !strcmp(d->name.value, name)) {
            return 1;
        }
    }
    return 0;
}

/* Each name once, as suggestionList keys its options. */
static apr_array_header_t *distinct(vctx_t *c, const apr_array_header_t *a)
{
    apr_array_header_t *out = apr_array_make(c->p, a->nelts, sizeof(char *));
    apr_hash_t *seen = apr_hash_make(c->p);
    int i;

    for (i = 0; i < a->nelts; i++) {
        const char *s = APR_ARRAY_IDX(a, i, const char *);

        if (!apr_hash_get(seen, s, APR_HASH_KEY_STRING)) {
            apr_hash_set(seen, s, APR_HASH_KEY_STRING, s);
            APR_ARRAY_PUSH(out, const char *) = s;
        }
    }
    return out;
}

/* KnownTypeNames */
int gql_vknown_type_names(vctx_t *c, const node_t *n, int leave)
{
    const gql_name_t *name = n->ast;
    apr_array_header_t *names;
    int i, sdl;

    if (leave || n->kind != N_NAMED_TYPE
        || gql_vtype(c, name->value)
        || doc_defines_type(c, name->value)) {
        return 0;
    }
    sdl = c->def->kind != GQL_DEF_OPERATION
          && c->def->kind != GQL_DEF_FRAGMENT;
    names = apr_array_make(c->p, c->s->type_map->nelts + 16,
                           sizeof(char *));
    for (i = 0; sdl && standard_types[i]; i++) {
        if (!strcmp(standard_types[i], name->value)) {
            return 0;
        }
        APR_ARRAY_PUSH(names, const char *) = standard_types[i];
    }
    for (i = 0; i < c->s->type_map->nelts; i++) {
        APR_ARRAY_PUSH(names, const char *) = APR_ARRAY_IDX(
            c->s->type_map, i, const gql_type_t *)->name;
    }
    for (i = 0; i < c->doc->definitions->nelts; i++) {
        const gql_definition_t *d = GQL_AST_ITEM(c->doc->definitions, i,
                                                 gql_definition_t);

        if (is_type_definition(d) && !d->is_extension) {
            APR_ARRAY_PUSH(names, const char *) = d->name.value;
        }
    }
    gql_vreport(c, &name->loc, "Unknown type \"%s\".%s",
                gql_vname(c, name->value),
                gql_print_suggest(c->p, NULL, name->value,
                                  distinct(c, names)));
    return 0;
}

/* FragmentsOnCompositeTypes */
int gql_vfragments_on_composite_types(vctx_t *c, const node_t *n,
                                      int leave)
{
    const gql_name_t *cond;
    const gql_type_t *t;

    if (leave || (n->kind != N_INLINE && n->kind != N_FRAGMENT)) {
        return 0;
    }
    cond = n->kind == N_INLINE
           ? &((const gql_selection_t *)n->ast)->type_condition
           : &((const gql_definition_t *)n->ast)->type_condition;
    if (cond->value == NULL
        || (t = gql_vtype(c, cond->value)) == NULL
        || gql_vis_composite(t)) {
        return 0;
    }
    if (n->kind == N_INLINE) {
        gql_vreport(c, &cond->loc, "Fragment cannot condition on non "
                    "composite type \"%s\".", gql_vname(c, cond->value));
    }
    else {
        gql_vreport(c, &cond->loc, "Fragment \"%s\" cannot condition on non "
                    "composite type \"%s\".",
                    gql_vname(c, ((const gql_definition_t *)n->ast)
                                 ->name.value),
                    gql_vname(c, cond->value));
    }
    return 0;
}

/* VariablesAreInputTypes */
int gql_vvariables_are_input_types(vctx_t *c, const node_t *n, int leave)
{
    const gql_variable_def_t *v = n->ast;
    const gql_tref_t *t;

    if (leave || n->kind != N_VARIABLE_DEF) {
        return 0;
    }
    t = gql_vtype_from_ast(c, v->type);
    if (t != NULL && !gql_vis_input(gql_vnamed(t))) {
        gql_vreport(c, &v->type->loc, "Variable \"$%s\" cannot be non-input "
                    "type \"%s\".", gql_vname(c, v->name.value),
                    gql_print_ast_type(c->p, v->type));
    }
    return 0;
}

/* ScalarLeafs */
int gql_vscalar_leafs(vctx_t *c, const node_t *n, int leave)
{
    const gql_selection_t *f = n->ast;
    const gql_tref_t *t = c->ti.type;

    if (leave || n->kind != N_FIELD || t == NULL) {
        return 0;
    }
    if (gql_vis_leaf(gql_vnamed(t))) {
        if (f->selection_set != NULL) {
            gql_vreport(c, &f->selection_set->loc, "Field \"%s\" must not "
                        "have a selection since type \"%s\" has no "
                        "subfields.", gql_vname(c, f->name.value),
                        gql_print_type(c->p, t));
        }
    }
    else if (f->selection_set == NULL) {
        gql_vreport(c, &f->loc, "Field \"%s\" of type \"%s\" must have a "
                    "selection of subfields. Did you mean \"%s { ... }\"?",
                    gql_vname(c, f->name.value), gql_print_type(c->p, t),
                    gql_vname(c, f->name.value));
    }
    return 0;
}

/* Possible types of an abstract type, as schema.getPossibleTypes(). */
static const apr_array_header_t *possible(const gql_type_t *t)
{
    return t->possible_types;
}

/* schema.isSubType(abstract, maybe): maybe is a member of the union, or
 * implements the interface. */
int gql_vis_sub_type(const gql_type_t *abstract, const gql_type_t *maybe)
{
    const apr_array_header_t *l;
    int i;

    if (abstract->kind == GQL_KIND_UNION) {
        l = abstract->possible_types;
    }
    else if (abstract->kind == GQL_KIND_INTERFACE) {
        l = maybe->interfaces;
    }
    else {
        return 0;
    }
    for (i = 0; l != NULL && i < l->nelts; i++) {
        const gql_type_t *u = APR_ARRAY_IDX(l, i, const gql_type_t *);

        if (u == (abstract->kind == GQL_KIND_UNION ? maybe : abstract)) {
            return 1;
        }
    }
    return 0;
}

typedef struct tcount_t {
    const gql_type_t *t;
    int uses;
} tcount_t;

static int tc_before(const gql_schema_t *s, const tcount_t *a,
                     const tcount_t *b)
{
    (void)s;
    if (a->uses != b->uses) {
        return a->uses > b->uses;
    }
    if (a->t->kind == GQL_KIND_INTERFACE && gql_vis_sub_type(a->t, b->t)) {
        return 1;
    }
    if (b->t->kind == GQL_KIND_INTERFACE && gql_vis_sub_type(b->t, a->t)) {
        return 0;
    }
    return gql_print_natcmp(a->t->name, b->t->name) < 0;
}

/* The count of t in a, a new one at 0 when t has none yet. */
static tcount_t *tc_use(apr_array_header_t *a, const gql_type_t *t)
{
    tcount_t *tc;
    int i;

    for (i = 0; i < a->nelts; i++) {
        if (APR_ARRAY_IDX(a, i, tcount_t).t == t) {
            return &APR_ARRAY_IDX(a, i, tcount_t);
        }
    }
    tc = apr_array_push(a);
    tc->t = t;
    tc->uses = 0;
    return tc;
}

/* getSuggestedTypeNames: the types of an abstract type that have the
 * field, the most used first, interfaces before their implementations.
 * Insertion sort: stable, as JavaScript's sort is. */
static apr_array_header_t *suggested_types(vctx_t *c, const gql_type_t *t,
                                           const char *name)
{
    apr_array_header_t *a = apr_array_make(c->p, 4, sizeof(tcount_t));
    apr_array_header_t *out = apr_array_make(c->p, 4, sizeof(char *));
    const apr_array_header_t *pt = possible(t);
    int i, j;

    for (i = 0; t->kind != GQL_KIND_OBJECT && pt && i < pt->nelts; i++) {
        const gql_type_t *o = APR_ARRAY_IDX(pt, i, const gql_type_t *);

        if (gql_type_field(o, name) == NULL) {
            continue;
        }
        tc_use(a, o)->uses = 1;
        for (j = 0; j < o->interfaces->nelts; j++) {
            const gql_type_t *f = APR_ARRAY_IDX(o->interfaces, j,
                                                const gql_type_t *);

            if (gql_type_field(f, name) == NULL) {
                continue;
            }
            tc_use(a, f)->uses++;
        }
    }
    for (i = 1; i < a->nelts; i++) {
        tcount_t x = APR_ARRAY_IDX(a, i, tcount_t);

        for (j = i; j > 0 && tc_before(c->s, &x, &APR_ARRAY_IDX(a, j - 1,
                                                                tcount_t));
             j--) {
            APR_ARRAY_IDX(a, j, tcount_t) = APR_ARRAY_IDX(a, j - 1, tcount_t);
        }
        APR_ARRAY_IDX(a, j, tcount_t) = x;
    }
    for (i = 0; i < a->nelts; i++) {
        APR_ARRAY_PUSH(out, const char *) = APR_ARRAY_IDX(a, i, tcount_t).t
                                            ->name;
    }
    return out;
}

static apr_array_header_t *field_names(vctx_t *c, const gql_type_t *t)
{
    apr_array_header_t *out = apr_array_make(c->p, 8, sizeof(char *));
    int i;

    for (i = 0; t->fields && i < t->fields->nelts; i++) {
        APR_ARRAY_PUSH(out, const char *) = APR_ARRAY_IDX(t->fields, i,
                                                          gql_field_t *)->name;
    }
    return out;
}

/* FieldsOnCorrectType */
int gql_vfields_on_correct_type(vctx_t *c, const node_t *n, int leave)
{
    const gql_selection_t *f = n->ast;
    const gql_type_t *t = c->ti.parent_type;
    const char *sugg;

    if (leave || n->kind != N_FIELD || t == NULL || c->ti.field_def) {
        return 0;
    }
    sugg = gql_print_did_you_mean(c->p, "to use an inline fragment on",
                                  suggested_types(c, t, f->name.value));
    if (*sugg == '\0' && t->kind != GQL_KIND_UNION) {
        sugg = gql_print_suggest(c->p, NULL, f->name.value,
                                 field_names(c, t));
    }
    gql_vreport(c, &f->loc, "Cannot query field \"%s\" on type \"%s\".%s",
                gql_vname(c, f->name.value), t->name, sugg);
    return 0;
}

/* KnownFragmentNames */
int gql_vknown_fragment_names(vctx_t *c, const node_t *n, int leave)
{
    const gql_selection_t *s = n->ast;

    if (!leave && n->kind == N_SPREAD
        && gql_vfragment(c, s->name.value) == NULL) {
        gql_vreport(c, &s->name.loc, "Unknown fragment \"%s\".",
                    gql_vname(c, s->name.value));
    }
    return 0;
}

/* UniqueFragmentNames */
int gql_vunique_fragment_names(vctx_t *c, const node_t *n, int leave)
{
    if (leave || (n->kind != N_OPERATION && n->kind != N_FRAGMENT)) {
        return 0;
    }
    if (n->kind == N_FRAGMENT) {
        gql_vunique_name(c, c->frag_names,
                         &((const gql_definition_t *)n->ast)->name,
                         "fragment");
    }
    return SKIP;
}

/* getFragmentSpreads: the spreads of a selection set, nested ones
 * included, in graphql-js's order (a stack of sets, the last one first). */
static const apr_array_header_t *spreads_of(vctx_t *c,
                                            const gql_selection_set_t *top)
{
    apr_array_header_t *out, *stack;
    int i;

    out = apr_hash_get(c->spreads, &top, sizeof(top));
    if (out != NULL) {
        return out;
    }
    out = apr_array_make(c->p, 4, sizeof(gql_selection_t *));
    stack = apr_array_make(c->p, 8, sizeof(gql_selection_set_t *));
    APR_ARRAY_PUSH(stack, const gql_selection_set_t *) = top;
    while (stack->nelts > 0) {
        const gql_selection_set_t *ss = *(const gql_selection_set_t **)
                                        apr_array_pop(stack);

        for (i = 0; i < ss->selections->nelts; i++) {
            const gql_selection_t *s = GQL_AST_ITEM(ss->selections, i,
                                                    gql_selection_t);

            if (s->kind == GQL_SEL_FRAGMENT_SPREAD) {
                APR_ARRAY_PUSH(out, const gql_selection_t *) = s;
            }
            else if (s->selection_set != NULL) {
                APR_ARRAY_PUSH(stack, const gql_selection_set_t *)
                    = s->selection_set;
            }
        }
    }
    apr_hash_set(c->spreads, apr_pmemdup(c->p, &top, sizeof(top)),
                 sizeof(top), out);
    return out;
}

/* Appends to names the fragment names the selection set spreads that
 * are not in seen yet. */
static void new_spreads(vctx_t *c, const gql_selection_set_t *ss,
                        apr_hash_t *seen, apr_array_header_t *names)
{
    const apr_array_header_t *sp = spreads_of(c, ss);
    int j;

    for (j = 0; j < sp->nelts; j++) {
        const char *name = APR_ARRAY_IDX(sp, j, gql_selection_t *)->name.value;

        if (!apr_hash_get(seen, name, APR_HASH_KEY_STRING)) {
            apr_hash_set(seen, name, APR_HASH_KEY_STRING, name);
            APR_ARRAY_PUSH(names, const char *) = name;
        }
    }
}

/* getRecursivelyReferencedFragmentsForOperations: the fragments the
 * operations spread, directly or not, each once, in discovery order. */
apr_array_header_t *gql_vreferenced(vctx_t *c,
                                    const apr_array_header_t *ops)
{
    apr_array_header_t *names = apr_array_make(c->p, 8, sizeof(char *));
    apr_array_header_t *out = apr_array_make(c->p, 8, sizeof(void *));
    apr_hash_t *seen = apr_hash_make(c->p);
    int i;

    for (i = 0; i < ops->nelts; i++) {
        new_spreads(c, APR_ARRAY_IDX(ops, i, const gql_definition_t *)
                       ->selection_set, seen, names);
    }
    for (i = 0; i < names->nelts; i++) {
        const gql_definition_t *f;

        f = gql_vfragment(c, APR_ARRAY_IDX(names, i, const char *));
        if (f != NULL) {
            APR_ARRAY_PUSH(out, const gql_definition_t *) = f;
            new_spreads(c, f->selection_set, seen, names);
        }
    }
    return out;
}

/* NoUnusedFragments */
int gql_vno_unused_fragments(vctx_t *c, const node_t *n, int leave)
{
    apr_array_header_t *used;
    apr_hash_t *names;
    int i;

    if (!leave && (n->kind == N_OPERATION || n->kind == N_FRAGMENT)) {
        APR_ARRAY_PUSH(n->kind == N_OPERATION ? c->ops : c->frags,
                       const gql_definition_t *) = n->ast;
        return SKIP;
    }
    if (!leave || n->kind != N_DOCUMENT) {
        return 0;
    }
    used = gql_vreferenced(c, c->ops);
    names = apr_hash_make(c->p);
    for (i = 0; i < used->nelts; i++) {
        const char *name = APR_ARRAY_IDX(used, i, gql_definition_t *)
                           ->name.value;

        apr_hash_set(names, name, APR_HASH_KEY_STRING, name);
    }
    for (i = 0; i < c->frags->nelts; i++) {
        const gql_definition_t *f = APR_ARRAY_IDX(c->frags, i,
                                                  gql_definition_t *);

        if (!apr_hash_get(names, f->name.value, APR_HASH_KEY_STRING)) {
            gql_vreport(c, &f->loc, "Fragment \"%s\" is never used.",
                        gql_vname(c, f->name.value));
        }
    }
    return 0;
}

/* doTypesOverlap: some object type may be of both. */
static int types_overlap(const gql_type_t *a, const gql_type_t *b)
{
    int i;

    if (a == b) {
        return 1;
    }
    if (a->kind == GQL_KIND_INTERFACE || a->kind == GQL_KIND_UNION) {
        if (b->kind == GQL_KIND_INTERFACE || b->kind == GQL_KIND_UNION) {
            for (i = 0; b->possible_types && i < b->possible_types->nelts;
                 i++) {
                if (gql_vis_sub_type(a, APR_ARRAY_IDX(b->possible_types, i,
                                                      const gql_type_t *))) {
                    return 1;
                }
            }
            return 0;
        }
        return gql_vis_sub_type(a, b);
    }
    if (b->kind == GQL_KIND_INTERFACE || b->kind == GQL_KIND_UNION) {
        return gql_vis_sub_type(b, a);
    }
    return 0;
}

/* PossibleFragmentSpreads */
int gql_vpossible_fragment_spreads(vctx_t *c, const node_t *n, int leave)
{
    const gql_selection_t *s = n->ast;
    const gql_type_t *ft, *pt = c->ti.parent_type;
    const gql_definition_t *f;

    if (leave || pt == NULL) {
        return 0;
    }
    if (n->kind == N_INLINE) {
        ft = gql_vnamed(c->ti.type);
        if (gql_vis_composite(ft) && !types_overlap(ft, pt)) {
            gql_vreport(c, &s->loc, "Fragment cannot be spread here as "
                        "objects of type \"%s\" can never be of type \"%s\".",
                        pt->name, ft->name);
        }
    }
    else if (n->kind == N_SPREAD
             && (f = gql_vfragment(c, s->name.value)) != NULL) {
        ft = gql_vtype(c, f->type_condition.value);
        if (gql_vis_composite(ft) && !types_overlap(ft, pt)) {
            gql_vreport(c, &s->loc, "Fragment \"%s\" cannot be spread here "
                        "as objects of type \"%s\" can never be of type "
                        "\"%s\".", gql_vname(c, s->name.value), pt->name,
                        ft->name);
        }
    }
    return 0;
}

static void cycle_error(vctx_t *c, const char *name, int from)
{
    const char *via = "";
    gql_error_t *e;
    int i, last = c->cyc_path->nelts - 1;

    for (i = from; i < last; i++) {
        via = apr_pstrcat(c->p, via, i > from ? ", " : "", "\"",
                          gql_vname(c, APR_ARRAY_IDX(c->cyc_path, i,
                                                     gql_selection_t *)
                                       ->name.value), "\"", NULL);
    }
    e = gql_vreport(c, &APR_ARRAY_IDX(c->cyc_path, from, gql_selection_t *)
                    ->loc, "Cannot spread fragment \"%s\" within itself%s%s%s",
                    gql_vname(c, name), *via ? " via " : "", via, ".");
    for (i = from + 1; i <= last; i++) {
        gql_vloc(c, e, &APR_ARRAY_IDX(c->cyc_path, i, gql_selection_t *)->loc);
    }
}

/* The depth-first search of NoFragmentCycles.  Each fragment is entered
 * once (cyc_visited), so the recursion is no deeper than the number of
 * fragments; that number is bounded by the document's size. */
static void detect_cycle(vctx_t *c, const gql_definition_t *f)
{
    const apr_array_header_t *sp;
    const char *name = f->name.value;
    int i, *idx;

    if (apr_hash_get(c->cyc_visited, name, APR_HASH_KEY_STRING) || c->aborted) {
        return;
    }
    apr_hash_set(c->cyc_visited, name, APR_HASH_KEY_STRING, f);
    sp = spreads_of(c, f->selection_set);
    if (sp->nelts == 0) {
        return;
    }
    idx = apr_palloc(c->p, sizeof(*idx));
    *idx = c->cyc_path->nelts;
    apr_hash_set(c->cyc_index, name, APR_HASH_KEY_STRING, idx);
    for (i = 0; i < sp->nelts; i++) {
        const gql_selection_t *s = APR_ARRAY_IDX(sp, i, gql_selection_t *);
        const int *at = apr_hash_get(c->cyc_index, s->name.value,
                                     APR_HASH_KEY_STRING);
        const gql_definition_t *g;

        APR_ARRAY_PUSH(c->cyc_path, const gql_selection_t *) = s;
        if (at == NULL) {
            if ((g = gql_vfragment(c, s->name.value)) != NULL) {
                detect_cycle(c, g);
            }
        }
        else {
            cycle_error(c, s->name.value, *at);
        }
        apr_array_pop(c->cyc_path);
    }
    apr_hash_set(c->cyc_index, name, APR_HASH_KEY_STRING, NULL);
}

/* NoFragmentCycles */
int gql_vno_fragment_cycles(vctx_t *c, const node_t *n, int leave)
{
    if (leave) {
        return 0;
    }
    if (n->kind == N_FRAGMENT) {
        detect_cycle(c, n->ast);
        return SKIP;
    }
    return n->kind == N_OPERATION ? SKIP : 0;
}

