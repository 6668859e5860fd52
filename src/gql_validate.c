/* Licensed under the Apache License, Version 2.0 (the "License"); you may
 * not use this file except in compliance with the License.  You may obtain
 * a copy of the License at http://www.apache.org/licenses/LICENSE-2.0
 */

/*
 * gql_validate.c: the rules of section 5 of the specification, one
 * function per rule, named after it.
 *
 * graphql-js's validate() walks a document once and, at every node, calls
 * each rule in its rule order (visitInParallel) with a TypeInfo that knows
 * the parent type, the field, the input type ... at that node.  The order
 * of the errors a client sees comes from that walk, so this file walks the
 * same way: walk_*() visit the nodes in graphql-js's key order, ti_t is
 * the TypeInfo, and visit() calls the rules.  A rule returns SKIP on enter
 * to see nothing more of that node's subtree, as a graphql-js visitor
 * returns false.  Work that looks across the document (fragment spreads,
 * variable usages, overlapping fields) lives in gql_validate_overlap.c and
 * below, bounded by visited sets and caches.
 */

#include <stdlib.h>
#include <string.h>
#include <apr_hash.h>
#include <apr_strings.h>
#include "gql_validate_int.h"

#define SKIP 1

/* ---- errors */

gql_error_t *gql_vreport(vctx_t *c, const gql_loc_t *loc, const char *fmt,
                         ...)
{
    va_list ap;
    gql_error_t *e;

    if (c->aborted) {
        return NULL;
    }
    if (c->errors->nelts - c->first >= MAX_ERRORS) {
        gql_error_add(c->p, c->errors, NULL, "Too many validation errors, "
                      "error limit reached. Validation aborted.");
        c->aborted = 1;
        return NULL;
    }
    va_start(ap, fmt);
    e = gql_error_add(c->p, c->errors, loc, "%s",
                      apr_pvsprintf(c->p, fmt, ap));
    va_end(ap);
    return e;
}

void gql_vloc(vctx_t *c, gql_error_t *e, const gql_loc_t *loc)
{
    if (e != NULL) {
        gql_error_add_loc(c->p, e, loc);
    }
}

/* " Did you mean [sub ]"A", "B", or "C"?" for names as given (at most 5),
 * as graphql-js's didYouMean(); "" for none. */
const char *gql_vdid_you_mean(apr_pool_t *p, const char *sub,
                              const apr_array_header_t *names)
{
    const char *msg = "";
    int i, n = names->nelts < 5 ? names->nelts : 5;

    for (i = 0; i < n; i++) {
        msg = apr_pstrcat(p, msg, i == 0 ? "" : n == 2 ? " or "
                          : i == n - 1 ? ", or " : ", ", "\"",
                          APR_ARRAY_IDX(names, i, const char *), "\"", NULL);
    }
    if (n == 0) {
        return "";
    }
    return apr_pstrcat(p, " Did you mean ", sub ? sub : "", sub ? " " : "",
                       msg, "?", NULL);
}

/* ---- types, as graphql-js's predicates see them */

const gql_type_t *gql_vnamed(const gql_tref_t *t)
{
    while (t != NULL && t->kind != GQL_TYPE_NAMED) {
        t = t->of_type;
    }
    return t ? t->named : NULL;
}

int gql_vis_input(const gql_type_t *t)
{
    return t != NULL && (t->kind == GQL_KIND_SCALAR
                         || t->kind == GQL_KIND_ENUM
                         || t->kind == GQL_KIND_INPUT_OBJECT);
}

int gql_vis_output(const gql_type_t *t)
{
    return t != NULL && t->kind != GQL_KIND_INPUT_OBJECT;
}

int gql_vis_composite(const gql_type_t *t)
{
    return t != NULL && (t->kind == GQL_KIND_OBJECT
                         || t->kind == GQL_KIND_INTERFACE
                         || t->kind == GQL_KIND_UNION);
}

int gql_vis_leaf(const gql_type_t *t)
{
    return t != NULL && (t->kind == GQL_KIND_SCALAR
                         || t->kind == GQL_KIND_ENUM);
}

/* The tref of a named type, made once per type and validation. */
const gql_tref_t *gql_vtref(vctx_t *c, const gql_type_t *t)
{
    gql_tref_t *r;

    if (t == NULL) {
        return NULL;
    }
    r = apr_hash_get(c->trefs, &t, sizeof(t));
    if (r == NULL) {
        r = apr_pcalloc(c->p, sizeof(*r));
        r->kind = GQL_TYPE_NAMED;
        r->named = t;
        apr_hash_set(c->trefs, apr_pmemdup(c->p, &t, sizeof(t)), sizeof(t),
                     r);
    }
    return r;
}

/* graphql-js's typeFromAST: NULL when a named type is unknown.  The
 * parser bounds the nesting of type references. */
const gql_tref_t *gql_vtype_from_ast(vctx_t *c, const gql_type_ref_t *a)
{
    const gql_tref_t *inner;
    gql_tref_t *r;

    if (a->kind == GQL_TYPE_NAMED) {
        return gql_vtref(c, gql_schema_type(c->s, a->name.value));
    }
    inner = gql_vtype_from_ast(c, a->of_type);
    if (inner == NULL) {
        return NULL;
    }
    r = apr_pcalloc(c->p, sizeof(*r));
    r->kind = a->kind;
    r->of_type = inner;
    return r;
}

/* ---- the rules, in graphql-js's specifiedRules order */

/* ExecutableDefinitions: only operations and fragments may be executed. */
static int executable_definitions(vctx_t *c, const node_t *n, int leave)
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
                        "executable.", d->name.value);
        }
    }
    return SKIP;
}

/* UniqueOperationNames */
static int unique_operation_names(vctx_t *c, const node_t *n, int leave)
{
    const gql_definition_t *d = n->ast;
    const gql_name_t *first;

    if (leave) {
        return 0;
    }
    if (n->kind == N_FRAGMENT) {
        return SKIP;
    }
    if (n->kind != N_OPERATION) {
        return 0;
    }
    if (d->name.value != NULL) {
        first = apr_hash_get(c->op_names, d->name.value, APR_HASH_KEY_STRING);
        if (first != NULL) {
            gql_error_t *e = gql_vreport(c, &first->loc, "There can be only "
                                         "one operation named \"%s\".",
                                         d->name.value);

            gql_vloc(c, e, &d->name.loc);
        }
        else {
            apr_hash_set(c->op_names, d->name.value, APR_HASH_KEY_STRING,
                         &d->name);
        }
    }
    return SKIP;
}

/* LoneAnonymousOperation */
static int lone_anonymous_operation(vctx_t *c, const node_t *n, int leave)
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
    ct = gql_schema_type(c->s, cond->value);
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
        return gql_vreport(c, loc, "Subscription \"%s\" %s", d->name.value,
                           what);
    }
    return gql_vreport(c, loc, "Anonymous Subscription %s", what);
}

static int single_field_subscriptions(vctx_t *c, const node_t *n, int leave)
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
static int known_type_names(vctx_t *c, const node_t *n, int leave)
{
    const gql_name_t *name = n->ast;
    apr_array_header_t *names;
    int i, sdl;

    if (leave || n->kind != N_NAMED_TYPE
        || gql_schema_type(c->s, name->value)
        || doc_defines_type(c, name->value)) {
        return 0;
    }
    sdl = c->def->kind != GQL_DEF_OPERATION
          && c->def->kind != GQL_DEF_FRAGMENT;
    names = apr_array_make(c->p, c->s->types->nelts + 16, sizeof(char *));
    for (i = 0; sdl && standard_types[i]; i++) {
        if (!strcmp(standard_types[i], name->value)) {
            return 0;
        }
        APR_ARRAY_PUSH(names, const char *) = standard_types[i];
    }
    for (i = 0; i < c->s->types->nelts; i++) {
        APR_ARRAY_PUSH(names, const char *) = APR_ARRAY_IDX(c->s->types, i,
                                                            gql_type_t *)->name;
    }
    for (i = 0; i < c->doc->definitions->nelts; i++) {
        const gql_definition_t *d = GQL_AST_ITEM(c->doc->definitions, i,
                                                 gql_definition_t);

        if (is_type_definition(d) && !d->is_extension) {
            APR_ARRAY_PUSH(names, const char *) = d->name.value;
        }
    }
    gql_vreport(c, &name->loc, "Unknown type \"%s\".%s", name->value,
                gql_schema_suggest(c->p, NULL, name->value,
                                   distinct(c, names)));
    return 0;
}

/* FragmentsOnCompositeTypes */
static int fragments_on_composite_types(vctx_t *c, const node_t *n,
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
        || (t = gql_schema_type(c->s, cond->value)) == NULL
        || gql_vis_composite(t)) {
        return 0;
    }
    if (n->kind == N_INLINE) {
        gql_vreport(c, &cond->loc, "Fragment cannot condition on non "
                    "composite type \"%s\".", cond->value);
    }
    else {
        gql_vreport(c, &cond->loc, "Fragment \"%s\" cannot condition on non "
                    "composite type \"%s\".",
                    ((const gql_definition_t *)n->ast)->name.value,
                    cond->value);
    }
    return 0;
}

/* VariablesAreInputTypes */
static int variables_are_input_types(vctx_t *c, const node_t *n, int leave)
{
    const gql_variable_def_t *v = n->ast;
    const gql_tref_t *t;

    if (leave || n->kind != N_VARIABLE_DEF) {
        return 0;
    }
    t = gql_vtype_from_ast(c, v->type);
    if (t != NULL && !gql_vis_input(gql_vnamed(t))) {
        gql_vreport(c, &v->type->loc, "Variable \"$%s\" cannot be non-input "
                    "type \"%s\".", v->name.value,
                    gql_schema_print_ast_type(c->p, v->type));
    }
    return 0;
}

/* ScalarLeafs */
static int scalar_leafs(vctx_t *c, const node_t *n, int leave)
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
                        "subfields.", f->name.value,
                        gql_schema_print_type(c->p, t));
        }
    }
    else if (f->selection_set == NULL) {
        gql_vreport(c, &f->loc, "Field \"%s\" of type \"%s\" must have a "
                    "selection of subfields. Did you mean \"%s { ... }\"?",
                    f->name.value, gql_schema_print_type(c->p, t),
                    f->name.value);
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
    return gql_vnatcmp(a->t->name, b->t->name) < 0;
}

static tcount_t *tc_find(apr_array_header_t *a, const gql_type_t *t)
{
    int i;

    for (i = 0; i < a->nelts; i++) {
        if (APR_ARRAY_IDX(a, i, tcount_t).t == t) {
            return &APR_ARRAY_IDX(a, i, tcount_t);
        }
    }
    return NULL;
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
        tcount_t *tc;

        if (gql_type_field(o, name) == NULL) {
            continue;
        }
        if ((tc = tc_find(a, o)) == NULL) {
            tc = apr_array_push(a);
            tc->t = o;
        }
        tc->uses = 1;
        for (j = 0; j < o->interfaces->nelts; j++) {
            const gql_type_t *f = APR_ARRAY_IDX(o->interfaces, j,
                                                const gql_type_t *);

            if (gql_type_field(f, name) == NULL) {
                continue;
            }
            if ((tc = tc_find(a, f)) == NULL) {
                tc = apr_array_push(a);
                tc->t = f;
                tc->uses = 0;
            }
            tc->uses++;
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
static int fields_on_correct_type(vctx_t *c, const node_t *n, int leave)
{
    const gql_selection_t *f = n->ast;
    const gql_type_t *t = c->ti.parent_type;
    const char *sugg;

    if (leave || n->kind != N_FIELD || t == NULL || c->ti.field_def) {
        return 0;
    }
    sugg = gql_vdid_you_mean(c->p, "to use an inline fragment on",
                             suggested_types(c, t, f->name.value));
    if (*sugg == '\0' && t->kind != GQL_KIND_UNION) {
        sugg = gql_schema_suggest(c->p, NULL, f->name.value,
                                  field_names(c, t));
    }
    gql_vreport(c, &f->loc, "Cannot query field \"%s\" on type \"%s\".%s",
                f->name.value, t->name, sugg);
    return 0;
}

/* KnownFragmentNames */
static int known_fragment_names(vctx_t *c, const node_t *n, int leave)
{
    const gql_selection_t *s = n->ast;

    if (!leave && n->kind == N_SPREAD
        && gql_vfragment(c, s->name.value) == NULL) {
        gql_vreport(c, &s->name.loc, "Unknown fragment \"%s\".",
                    s->name.value);
    }
    return 0;
}

/* UniqueFragmentNames */
static int unique_fragment_names(vctx_t *c, const node_t *n, int leave)
{
    const gql_definition_t *d = n->ast;
    const gql_name_t *first;

    if (leave) {
        return 0;
    }
    if (n->kind == N_OPERATION) {
        return SKIP;
    }
    if (n->kind != N_FRAGMENT) {
        return 0;
    }
    first = apr_hash_get(c->frag_names, d->name.value, APR_HASH_KEY_STRING);
    if (first != NULL) {
        gql_vloc(c, gql_vreport(c, &first->loc, "There can be only one "
                                "fragment named \"%s\".", d->name.value),
                 &d->name.loc);
    }
    else {
        apr_hash_set(c->frag_names, d->name.value, APR_HASH_KEY_STRING,
                     &d->name);
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

/* getRecursivelyReferencedFragmentsForOperations: the fragments the
 * operations spread, directly or not, each once, in discovery order. */
static apr_array_header_t *referenced(vctx_t *c,
                                      const apr_array_header_t *ops)
{
    apr_array_header_t *names = apr_array_make(c->p, 8, sizeof(char *));
    apr_array_header_t *out = apr_array_make(c->p, 8, sizeof(void *));
    apr_hash_t *seen = apr_hash_make(c->p);
    const apr_array_header_t *sp;
    int i, j;

    for (i = 0; i < ops->nelts; i++) {
        sp = spreads_of(c, APR_ARRAY_IDX(ops, i, const gql_definition_t *)
                           ->selection_set);
        for (j = 0; j < sp->nelts; j++) {
            const char *name = APR_ARRAY_IDX(sp, j,
                                             gql_selection_t *)->name.value;

            if (!apr_hash_get(seen, name, APR_HASH_KEY_STRING)) {
                apr_hash_set(seen, name, APR_HASH_KEY_STRING, name);
                APR_ARRAY_PUSH(names, const char *) = name;
            }
        }
    }
    for (i = 0; i < names->nelts; i++) {
        const gql_definition_t *f;

        f = gql_vfragment(c, APR_ARRAY_IDX(names, i, const char *));
        if (f == NULL) {
            continue;
        }
        APR_ARRAY_PUSH(out, const gql_definition_t *) = f;
        sp = spreads_of(c, f->selection_set);
        for (j = 0; j < sp->nelts; j++) {
            const char *name = APR_ARRAY_IDX(sp, j,
                                             gql_selection_t *)->name.value;

            if (!apr_hash_get(seen, name, APR_HASH_KEY_STRING)) {
                apr_hash_set(seen, name, APR_HASH_KEY_STRING, name);
                APR_ARRAY_PUSH(names, const char *) = name;
            }
        }
    }
    return out;
}

/* NoUnusedFragments */
static int no_unused_fragments(vctx_t *c, const node_t *n, int leave)
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
    used = referenced(c, c->ops);
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
                        f->name.value);
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
static int possible_fragment_spreads(vctx_t *c, const node_t *n, int leave)
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
        ft = gql_schema_type(c->s, f->type_condition.value);
        if (gql_vis_composite(ft) && !types_overlap(ft, pt)) {
            gql_vreport(c, &s->loc, "Fragment \"%s\" cannot be spread here "
                        "as objects of type \"%s\" can never be of type "
                        "\"%s\".", s->name.value, pt->name, ft->name);
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
                          APR_ARRAY_IDX(c->cyc_path, i, gql_selection_t *)
                          ->name.value, "\"", NULL);
    }
    e = gql_vreport(c, &APR_ARRAY_IDX(c->cyc_path, from, gql_selection_t *)
                    ->loc, "Cannot spread fragment \"%s\" within itself%s%s%s",
                    name, *via ? " via " : "", via, ".");
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
static int no_fragment_cycles(vctx_t *c, const node_t *n, int leave)
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

/* UniqueVariableNames */
static int unique_variable_names(vctx_t *c, const node_t *n, int leave)
{
    const gql_definition_t *d = n->ast;
    int i, j;

    if (leave || n->kind != N_OPERATION) {
        return 0;
    }
    for (i = 0; i < d->variables->nelts; i++) {
        const gql_variable_def_t *v = GQL_AST_ITEM(d->variables, i,
                                                   gql_variable_def_t);
        gql_error_t *e = NULL;
        int dup = 0;

        for (j = 0; j < i && !dup; j++) {
            dup = !strcmp(GQL_AST_ITEM(d->variables, j,
                                       gql_variable_def_t)->name.value,
                          v->name.value);
        }
        for (j = i + 1; j < d->variables->nelts && !dup; j++) {
            const gql_variable_def_t *w = GQL_AST_ITEM(d->variables, j,
                                                       gql_variable_def_t);

            if (strcmp(w->name.value, v->name.value)) {
                continue;
            }
            if (e == NULL) {
                e = gql_vreport(c, &v->name.loc, "There can be only one "
                                "variable named \"$%s\".", v->name.value);
            }
            gql_vloc(c, e, &w->name.loc);
        }
    }
    return 0;
}

/* getRecursiveVariableUsages: the operation's own, then those of each
 * fragment it spreads, directly or not. */
static apr_array_header_t *usages_of(vctx_t *c, const gql_definition_t *op)
{
    apr_array_header_t *ops, *frags, *out, *u;
    int i;

    out = apr_hash_get(c->referenced, &op, sizeof(op));
    if (out != NULL) {
        return out;
    }
    ops = apr_array_make(c->p, 1, sizeof(void *));
    APR_ARRAY_PUSH(ops, const gql_definition_t *) = op;
    frags = referenced(c, ops);
    u = apr_hash_get(c->usages, &op, sizeof(op));
    out = u ? apr_array_copy(c->p, u)
            : apr_array_make(c->p, 4, sizeof(usage_t));
    for (i = 0; i < frags->nelts; i++) {
        const gql_definition_t *f = APR_ARRAY_IDX(frags, i,
                                                  gql_definition_t *);

        u = apr_hash_get(c->usages, &f, sizeof(f));
        if (u != NULL) {
            apr_array_cat(out, u);
        }
    }
    apr_hash_set(c->referenced, apr_pmemdup(c->p, &op, sizeof(op)),
                 sizeof(op), out);
    return out;
}

/* NoUndefinedVariables */
static int no_undefined_variables(vctx_t *c, const node_t *n, int leave)
{
    const gql_definition_t *op = n->ast;
    const apr_array_header_t *u;
    int i;

    if (!leave && n->kind == N_OPERATION) {
        c->var_defined = apr_hash_make(c->p);
    }
    else if (!leave && n->kind == N_VARIABLE_DEF) {
        apr_hash_set(c->var_defined,
                     ((const gql_variable_def_t *)n->ast)->name.value,
                     APR_HASH_KEY_STRING, "");
    }
    if (!leave || n->kind != N_OPERATION) {
        return 0;
    }
    u = usages_of(c, op);
    for (i = 0; i < u->nelts; i++) {
        const gql_value_t *v = APR_ARRAY_IDX(u, i, usage_t).node;
        gql_error_t *e;

        if (apr_hash_get(c->var_defined, v->text, APR_HASH_KEY_STRING)) {
            continue;
        }
        e = op->name.value
            ? gql_vreport(c, &v->loc, "Variable \"$%s\" is not defined by "
                          "operation \"%s\".", v->text, op->name.value)
            : gql_vreport(c, &v->loc, "Variable \"$%s\" is not defined.",
                          v->text);
        gql_vloc(c, e, &op->loc);
    }
    return 0;
}

/* NoUnusedVariables */
static int no_unused_variables(vctx_t *c, const node_t *n, int leave)
{
    const gql_definition_t *op = n->ast;
    const apr_array_header_t *u;
    apr_hash_t *used;
    int i;

    if (!leave && n->kind == N_OPERATION) {
        c->var_defs = apr_array_make(c->p, 4, sizeof(void *));
    }
    else if (!leave && n->kind == N_VARIABLE_DEF) {
        APR_ARRAY_PUSH(c->var_defs, const gql_variable_def_t *) = n->ast;
    }
    if (!leave || n->kind != N_OPERATION) {
        return 0;
    }
    u = usages_of(c, op);
    used = apr_hash_make(c->p);
    for (i = 0; i < u->nelts; i++) {
        const char *name = APR_ARRAY_IDX(u, i, usage_t).node->text;

        apr_hash_set(used, name, APR_HASH_KEY_STRING, name);
    }
    for (i = 0; i < c->var_defs->nelts; i++) {
        const gql_variable_def_t *v = APR_ARRAY_IDX(c->var_defs, i,
                                                    gql_variable_def_t *);

        if (apr_hash_get(used, v->name.value, APR_HASH_KEY_STRING)) {
            continue;
        }
        if (op->name.value) {
            gql_vreport(c, &v->loc, "Variable \"$%s\" is never used in "
                        "operation \"%s\".", v->name.value, op->name.value);
        }
        else {
            gql_vreport(c, &v->loc, "Variable \"$%s\" is never used.",
                        v->name.value);
        }
    }
    return 0;
}

/* A directive defined in the document itself overrides the schema's, as
 * graphql-js's directive rules read it. */
static const gql_definition_t *doc_directive(vctx_t *c, const char *name)
{
    const gql_definition_t *found = NULL;
    int i;

    for (i = 0; i < c->doc->definitions->nelts; i++) {
        const gql_definition_t *d = GQL_AST_ITEM(c->doc->definitions, i,
                                                 gql_definition_t);

        if (d->kind == GQL_DEF_DIRECTIVE && !strcmp(d->name.value, name)) {
            found = d;
        }
    }
    return found;
}

static int has_location(vctx_t *c, const char *name, const char *where,
                        int *known)
{
    const gql_definition_t *dd = doc_directive(c, name);
    const gql_directive_def_t *sd;
    int i;

    *known = 1;
    if (dd != NULL) {
        for (i = 0; i < dd->locations->nelts; i++) {
            if (!strcmp(GQL_AST_ITEM(dd->locations, i, gql_name_t)->value,
                        where)) {
                return 1;
            }
        }
        return 0;
    }
    if ((sd = gql_schema_directive(c->s, name)) == NULL) {
        *known = 0;
        return 0;
    }
    for (i = 0; i < sd->locations->nelts; i++) {
        if (!strcmp(APR_ARRAY_IDX(sd->locations, i, const char *), where)) {
            return 1;
        }
    }
    return 0;
}

/* KnownDirectives */
static int known_directives(vctx_t *c, const node_t *n, int leave)
{
    const gql_directive_t *d = n->ast;
    int known;

    if (leave || n->kind != N_DIRECTIVE) {
        return 0;
    }
    if (!has_location(c, d->name.value, n->location, &known) && known) {
        gql_vreport(c, &d->loc, "Directive \"@%s\" may not be used on %s.",
                    d->name.value, n->location);
    }
    else if (!known) {
        gql_vreport(c, &d->loc, "Unknown directive \"@%s\".", d->name.value);
    }
    return 0;
}

/* The directives written on a node, or NULL when it has none. */
static const apr_array_header_t *node_directives(const node_t *n)
{
    switch (n->kind) {
    case N_OPERATION:
    case N_FRAGMENT:
    case N_TYPE_SYSTEM:
        return ((const gql_definition_t *)n->ast)->directives;
    case N_FIELD:
    case N_SPREAD:
    case N_INLINE:
        return ((const gql_selection_t *)n->ast)->directives;
    case N_VARIABLE_DEF:
        return ((const gql_variable_def_t *)n->ast)->directives;
    case N_SDL_DIRECTIVES:
        return n->directives;
    default:
        return NULL;
    }
}

static int is_repeatable(vctx_t *c, const char *name, int *known)
{
    const gql_definition_t *dd = doc_directive(c, name);
    const gql_directive_def_t *sd;

    *known = 1;
    if (dd != NULL) {
        return dd->repeatable;
    }
    if ((sd = gql_schema_directive(c->s, name)) != NULL) {
        return sd->repeatable;
    }
    *known = 0;
    return 0;
}

/* Type-system definitions share one set of seen directives per type name
 * (definition and extensions alike), and one for the schema. */
static apr_hash_t *seen_directives(vctx_t *c, const node_t *n)
{
    const gql_definition_t *d = n->ast;
    apr_hash_t *h;

    if (n->kind != N_TYPE_SYSTEM || d->kind == GQL_DEF_DIRECTIVE) {
        return apr_hash_make(c->p);
    }
    if (d->kind == GQL_DEF_SCHEMA) {
        return c->schema_dirs;
    }
    h = apr_hash_get(c->type_dirs, d->name.value, APR_HASH_KEY_STRING);
    if (h == NULL) {
        h = apr_hash_make(c->p);
        apr_hash_set(c->type_dirs, d->name.value, APR_HASH_KEY_STRING, h);
    }
    return h;
}

/* UniqueDirectivesPerLocation: checked on entering the node that holds
 * the directives, before anything inside it. */
static int unique_directives_per_location(vctx_t *c, const node_t *n,
                                          int leave)
{
    const apr_array_header_t *dirs = leave ? NULL : node_directives(n);
    apr_hash_t *seen;
    int i, known;

    if (dirs == NULL || dirs->nelts == 0) {
        return 0;
    }
    seen = seen_directives(c, n);
    for (i = 0; i < dirs->nelts; i++) {
        const gql_directive_t *d = GQL_AST_ITEM(dirs, i, gql_directive_t);
        const gql_directive_t *first;

        if (is_repeatable(c, d->name.value, &known) || !known) {
            continue;
        }
        first = apr_hash_get(seen, d->name.value, APR_HASH_KEY_STRING);
        if (first != NULL) {
            gql_vloc(c, gql_vreport(c, &first->loc, "The directive \"@%s\" "
                                    "can only be used once at this "
                                    "location.", d->name.value), &d->loc);
        }
        else {
            apr_hash_set(seen, d->name.value, APR_HASH_KEY_STRING, d);
        }
    }
    return 0;
}

/* The argument names a directive takes, or NULL for an unknown one. */
static apr_array_header_t *directive_arg_names(vctx_t *c, const char *name)
{
    const gql_definition_t *dd = doc_directive(c, name);
    const gql_directive_def_t *sd = gql_schema_directive(c->s, name);
    apr_array_header_t *out = apr_array_make(c->p, 4, sizeof(char *));
    int i;

    if (dd != NULL) {
        for (i = 0; i < dd->arguments->nelts; i++) {
            APR_ARRAY_PUSH(out, const char *) = GQL_AST_ITEM(
                dd->arguments, i, gql_input_value_def_t)->name.value;
        }
        return out;
    }
    if (sd == NULL) {
        return NULL;
    }
    for (i = 0; i < sd->arguments->nelts; i++) {
        APR_ARRAY_PUSH(out, const char *) = APR_ARRAY_IDX(
            sd->arguments, i, const gql_input_value_t *)->name;
    }
    return out;
}

static int in_names(const apr_array_header_t *names, const char *name)
{
    int i;

    for (i = 0; i < names->nelts; i++) {
        if (!strcmp(APR_ARRAY_IDX(names, i, const char *), name)) {
            return 1;
        }
    }
    return 0;
}

static apr_array_header_t *arg_names(vctx_t *c, const apr_array_header_t *a)
{
    apr_array_header_t *out = apr_array_make(c->p, 4, sizeof(char *));
    int i;

    for (i = 0; a != NULL && i < a->nelts; i++) {
        APR_ARRAY_PUSH(out, const char *) = APR_ARRAY_IDX(
            a, i, const gql_input_value_t *)->name;
    }
    return out;
}

/* KnownArgumentNames, on directives (whose arguments it then skips) and
 * on fields. */
static int known_argument_names(vctx_t *c, const node_t *n, int leave)
{
    const gql_directive_t *d = n->ast;
    const gql_argument_t *a = n->ast;
    apr_array_header_t *known;
    int i;

    if (leave) {
        return 0;
    }
    if (n->kind == N_DIRECTIVE) {
        known = directive_arg_names(c, d->name.value);
        for (i = 0; known != NULL && i < d->arguments->nelts; i++) {
            a = GQL_AST_ITEM(d->arguments, i, gql_argument_t);
            if (!in_names(known, a->name.value)) {
                gql_vreport(c, &a->loc, "Unknown argument \"%s\" on "
                            "directive \"@%s\".%s", a->name.value,
                            d->name.value,
                            gql_schema_suggest(c->p, NULL, a->name.value,
                                               known));
            }
        }
        return SKIP;
    }
    if (n->kind == N_ARGUMENT && c->ti.argument == NULL && c->ti.field_def
        && c->ti.parent_type) {
        gql_vreport(c, &a->loc, "Unknown argument \"%s\" on field "
                    "\"%s.%s\".%s", a->name.value, c->ti.parent_type->name,
                    c->ti.field_def->name,
                    gql_schema_suggest(c->p, NULL, a->name.value,
                                       arg_names(c, c->ti.field_def
                                                 ->arguments)));
    }
    return 0;
}

/* UniqueArgumentNames */
static int unique_argument_names(vctx_t *c, const node_t *n, int leave)
{
    const apr_array_header_t *args;
    int i, j;

    if (leave || (n->kind != N_FIELD && n->kind != N_DIRECTIVE)) {
        return 0;
    }
    args = n->kind == N_FIELD ? ((const gql_selection_t *)n->ast)->arguments
                              : ((const gql_directive_t *)n->ast)->arguments;
    for (i = 0; i < args->nelts; i++) {
        const gql_argument_t *a = GQL_AST_ITEM(args, i, gql_argument_t);
        gql_error_t *e = NULL;
        int dup = 0;

        for (j = 0; j < i && !dup; j++) {
            dup = !strcmp(GQL_AST_ITEM(args, j, gql_argument_t)->name.value,
                          a->name.value);
        }
        for (j = i + 1; j < args->nelts && !dup; j++) {
            const gql_argument_t *b = GQL_AST_ITEM(args, j, gql_argument_t);

            if (strcmp(b->name.value, a->name.value)) {
                continue;
            }
            if (e == NULL) {
                e = gql_vreport(c, &a->name.loc, "There can be only one "
                                "argument named \"%s\".", a->name.value);
            }
            gql_vloc(c, e, &b->name.loc);
        }
    }
    return 0;
}

/* isValidValueNode */
static void valid_value(vctx_t *c, const gql_value_t *v)
{
    const gql_tref_t *lt = c->ti.input;
    const gql_type_t *t = gql_vnamed(lt);
    const char *problem;

    if (lt == NULL) {
        return;
    }
    if (!gql_vis_leaf(t)) {
        gql_vreport(c, &v->loc, "Expected value of type \"%s\", found %s.",
                    gql_schema_print_type(c->p, lt),
                    gql_schema_print_value(c->p, v));
        return;
    }
    if ((problem = gql_value_leaf_problem(c->p, v, t)) != NULL) {
        gql_vreport(c, &v->loc, "%s", problem);
    }
}

/* The fields given in an object value, the last of each name (keyMap). */
static const gql_object_field_t *given_field(const gql_value_t *v,
                                             const char *name)
{
    const gql_object_field_t *found = NULL;
    int i;

    for (i = 0; i < v->fields->nelts; i++) {
        const gql_object_field_t *f = GQL_AST_ITEM(v->fields, i,
                                                   gql_object_field_t);

        if (!strcmp(f->name.value, name)) {
            found = f;
        }
    }
    return found;
}

/* validateOneOfInputObject */
static void one_of_object(vctx_t *c, const gql_value_t *v,
                          const gql_type_t *t)
{
    const gql_object_field_t *first = NULL;
    int i, keys = 0;

    for (i = 0; i < v->fields->nelts; i++) {
        const gql_object_field_t *f = GQL_AST_ITEM(v->fields, i,
                                                   gql_object_field_t);

        if (given_field(v, f->name.value) == f) {
            keys++;
            first = first ? first : f;
        }
    }
    if (keys != 1) {
        gql_vreport(c, &v->loc, "OneOf Input Object \"%s\" must specify "
                    "exactly one key.", t->name);
    }
    else if (given_field(v, first->name.value)->value->kind
             == GQL_VALUE_NULL) {
        gql_vreport(c, &v->loc, "Field \"%s.%s\" must be non-null.", t->name,
                    first->name.value);
    }
}

static int object_value(vctx_t *c, const gql_value_t *v)
{
    const gql_type_t *t = gql_vnamed(c->ti.input);
    int i;

    if (t == NULL || t->kind != GQL_KIND_INPUT_OBJECT) {
        valid_value(c, v);
        return SKIP;
    }
    for (i = 0; i < t->input_fields->nelts; i++) {
        const gql_input_value_t *f = APR_ARRAY_IDX(t->input_fields, i,
                                                   gql_input_value_t *);

        if (f->type->kind == GQL_TYPE_NON_NULL && f->default_value == NULL
            && given_field(v, f->name) == NULL) {
            gql_vreport(c, &v->loc, "Field \"%s.%s\" of required type \"%s\" "
                        "was not provided.", t->name, f->name,
                        gql_schema_print_type(c->p, f->type));
        }
    }
    if (t->one_of) {
        one_of_object(c, v, t);
    }
    return 0;
}

static apr_array_header_t *input_field_names(vctx_t *c, const gql_type_t *t)
{
    return arg_names(c, t->input_fields);
}

/* ValuesOfCorrectType */
static int values_of_correct_type(vctx_t *c, const node_t *n, int leave)
{
    const gql_value_t *v = n->ast;
    const gql_object_field_t *f = n->ast;
    const gql_tref_t *t;
    const gql_type_t *pt;

    if (leave) {
        return 0;
    }
    if (n->kind == N_OBJECT_FIELD) {
        pt = gql_vnamed(c->ti.parent_input);
        if (c->ti.input == NULL && pt && pt->kind == GQL_KIND_INPUT_OBJECT) {
            gql_vreport(c, &f->loc, "Field \"%s\" is not defined by type "
                        "\"%s\".%s", f->name.value, pt->name,
                        gql_schema_suggest(c->p, NULL, f->name.value,
                                           input_field_names(c, pt)));
        }
        return 0;
    }
    if (n->kind != N_VALUE) {
        return 0;
    }
    switch (v->kind) {
    case GQL_VALUE_LIST:
        t = c->ti.parent_input;
        if (t != NULL && t->kind == GQL_TYPE_NON_NULL) {
            t = t->of_type;
        }
        if (t == NULL || t->kind != GQL_TYPE_LIST) {
            valid_value(c, v);
            return SKIP;
        }
        return 0;
    case GQL_VALUE_OBJECT:
        return object_value(c, v);
    case GQL_VALUE_NULL:
        if (c->ti.input && c->ti.input->kind == GQL_TYPE_NON_NULL) {
            gql_vreport(c, &v->loc, "Expected value of type \"%s\", found "
                        "null.", gql_schema_print_type(c->p, c->ti.input));
        }
        return 0;
    case GQL_VALUE_VARIABLE:
        return 0;
    default:
        valid_value(c, v);
        return 0;
    }
}

static int required_arg(const gql_input_value_t *a)
{
    return a->type->kind == GQL_TYPE_NON_NULL && a->default_value == NULL;
}

static int arg_given(const apr_array_header_t *args, const char *name)
{
    int i;

    for (i = 0; i < args->nelts; i++) {
        if (!strcmp(GQL_AST_ITEM(args, i, gql_argument_t)->name.value,
                    name)) {
            return 1;
        }
    }
    return 0;
}

static void required_directive_args(vctx_t *c, const gql_directive_t *d)
{
    const gql_definition_t *dd = doc_directive(c, d->name.value);
    const gql_directive_def_t *sd = gql_schema_directive(c->s, d->name.value);
    int i;

    for (i = 0; dd != NULL && i < dd->arguments->nelts; i++) {
        const gql_input_value_def_t *a = GQL_AST_ITEM(dd->arguments, i,
                                                      gql_input_value_def_t);

        if (a->type->kind == GQL_TYPE_NON_NULL && a->default_value == NULL
            && !arg_given(d->arguments, a->name.value)) {
            gql_vreport(c, &d->loc, "Directive \"@%s\" argument \"%s\" of "
                        "type \"%s\" is required, but it was not provided.",
                        d->name.value, a->name.value,
                        gql_schema_print_ast_type(c->p, a->type));
        }
    }
    for (i = 0; dd == NULL && sd != NULL && i < sd->arguments->nelts; i++) {
        const gql_input_value_t *a = APR_ARRAY_IDX(sd->arguments, i,
                                                   gql_input_value_t *);

        if (required_arg(a) && !arg_given(d->arguments, a->name)) {
            gql_vreport(c, &d->loc, "Directive \"@%s\" argument \"%s\" of "
                        "type \"%s\" is required, but it was not provided.",
                        d->name.value, a->name,
                        gql_schema_print_type(c->p, a->type));
        }
    }
}

/* ProvidedRequiredArguments, on leaving a field or a directive. */
static int provided_required_arguments(vctx_t *c, const node_t *n,
                                       int leave)
{
    const gql_selection_t *s = n->ast;
    const gql_field_t *fd = c->ti.field_def;
    int i;

    if (!leave) {
        return 0;
    }
    if (n->kind == N_DIRECTIVE) {
        required_directive_args(c, n->ast);
        return 0;
    }
    if (n->kind != N_FIELD || fd == NULL) {
        return 0;
    }
    for (i = 0; i < fd->arguments->nelts; i++) {
        const gql_input_value_t *a = APR_ARRAY_IDX(fd->arguments, i,
                                                   gql_input_value_t *);

        if (required_arg(a) && !arg_given(s->arguments, a->name)) {
            gql_vreport(c, &s->loc, "Field \"%s\" argument \"%s\" of type "
                        "\"%s\" is required, but it was not provided.",
                        fd->name, a->name,
                        gql_schema_print_type(c->p, a->type));
        }
    }
    return 0;
}

static int same_type(const gql_tref_t *a, const gql_tref_t *b)
{
    while (a != NULL && b != NULL && a->kind == b->kind
           && a->kind != GQL_TYPE_NAMED) {
        a = a->of_type;
        b = b->of_type;
    }
    return a != NULL && b != NULL && a->kind == b->kind && a->named == b->named;
}

/* isTypeSubTypeOf */
static int sub_type_of(const gql_tref_t *sub, const gql_tref_t *sup)
{
    if (same_type(sub, sup)) {
        return 1;
    }
    if (sup->kind == GQL_TYPE_NON_NULL) {
        return sub->kind == GQL_TYPE_NON_NULL
               && sub_type_of(sub->of_type, sup->of_type);
    }
    if (sub->kind == GQL_TYPE_NON_NULL) {
        return sub_type_of(sub->of_type, sup);
    }
    if (sup->kind == GQL_TYPE_LIST) {
        return sub->kind == GQL_TYPE_LIST
               && sub_type_of(sub->of_type, sup->of_type);
    }
    if (sub->kind == GQL_TYPE_LIST) {
        return 0;
    }
    return (sup->named->kind == GQL_KIND_INTERFACE
            || sup->named->kind == GQL_KIND_UNION)
           && (sub->named->kind == GQL_KIND_INTERFACE
               || sub->named->kind == GQL_KIND_OBJECT)
           && gql_vis_sub_type(sup->named, sub->named);
}

/* allowedVariableUsage */
static int allowed_usage(const gql_tref_t *vt, const gql_value_t *vdefault,
                         const usage_t *u)
{
    if (u->type->kind == GQL_TYPE_NON_NULL
        && vt->kind != GQL_TYPE_NON_NULL) {
        if ((vdefault == NULL || vdefault->kind == GQL_VALUE_NULL)
            && u->default_value == NULL) {
            return 0;
        }
        return sub_type_of(vt, u->type->of_type);
    }
    return sub_type_of(vt, u->type);
}

static void allowed_position(vctx_t *c, const gql_variable_def_t *vd,
                             const usage_t *u)
{
    const gql_tref_t *vt = gql_vtype_from_ast(c, vd->type);
    const gql_type_t *pt = gql_vnamed(u->parent_type);
    const char *name = vd->name.value;

    if (vt != NULL && !allowed_usage(vt, vd->default_value, u)) {
        gql_vloc(c, gql_vreport(c, &vd->loc, "Variable \"$%s\" of type "
                                "\"%s\" used in position expecting type "
                                "\"%s\".", name,
                                gql_schema_print_type(c->p, vt),
                                gql_schema_print_type(c->p, u->type)),
                 &u->node->loc);
    }
    if (pt != NULL && pt->kind == GQL_KIND_INPUT_OBJECT && pt->one_of
        && (vt == NULL || vt->kind != GQL_TYPE_NON_NULL)) {
        gql_vloc(c, gql_vreport(c, &vd->loc, "Variable \"$%s\" is of type "
                                "\"%s\" but must be non-nullable to be used "
                                "for OneOf Input Object \"%s\".", name,
                                vt ? gql_schema_print_type(c->p, vt)
                                   : "undefined", pt->name),
                 &u->node->loc);
    }
}

/* VariablesInAllowedPosition */
static int variables_in_allowed_position(vctx_t *c, const node_t *n,
                                         int leave)
{
    const apr_array_header_t *u;
    int i;

    if (!leave && n->kind == N_OPERATION) {
        c->var_def_map = apr_hash_make(c->p);
    }
    else if (!leave && n->kind == N_VARIABLE_DEF) {
        apr_hash_set(c->var_def_map,
                     ((const gql_variable_def_t *)n->ast)->name.value,
                     APR_HASH_KEY_STRING, n->ast);
    }
    if (!leave || n->kind != N_OPERATION) {
        return 0;
    }
    u = usages_of(c, n->ast);
    for (i = 0; i < u->nelts && !c->aborted; i++) {
        const usage_t *x = &APR_ARRAY_IDX(u, i, usage_t);
        const gql_variable_def_t *vd;

        vd = apr_hash_get(c->var_def_map, x->node->text, APR_HASH_KEY_STRING);
        if (vd != NULL && x->type != NULL) {
            allowed_position(c, vd, x);
        }
    }
    return 0;
}

/* UniqueInputFieldNames: one set of names per object value. */
static int unique_input_field_names(vctx_t *c, const node_t *n, int leave)
{
    const gql_value_t *v = n->ast;
    const gql_object_field_t *f = n->ast;
    apr_hash_t *names;
    const gql_name_t *first;

    if (n->kind == N_VALUE && v->kind == GQL_VALUE_OBJECT) {
        if (leave) {
            apr_array_pop(c->input_names);
        }
        else {
            APR_ARRAY_PUSH(c->input_names, apr_hash_t *) = apr_hash_make(c->p);
        }
        return 0;
    }
    if (leave || n->kind != N_OBJECT_FIELD || c->input_names->nelts == 0) {
        return 0;
    }
    names = APR_ARRAY_IDX(c->input_names, c->input_names->nelts - 1,
                          apr_hash_t *);
    first = apr_hash_get(names, f->name.value, APR_HASH_KEY_STRING);
    if (first != NULL) {
        gql_vloc(c, gql_vreport(c, &first->loc, "There can be only one input "
                                "field named \"%s\".", f->name.value),
                 &f->name.loc);
    }
    else {
        apr_hash_set(names, f->name.value, APR_HASH_KEY_STRING, &f->name);
    }
    return 0;
}

/* MaxIntrospectionDepth's checkDepth: 1 when a path of list fields of
 * the introspection types reaches 3.  Fragments are cached by the entry
 * depths that did and did not reach it, and entered once per path. */
static int intro_depth(vctx_t *c, const gql_selection_t *s,
                       apr_hash_t *visited, int depth)
{
    const gql_selection_set_t *ss = s->selection_set;
    int i;

    if (s->kind == GQL_SEL_FRAGMENT_SPREAD) {
        const char *name = s->name.value;
        const int *ex = apr_hash_get(c->intro_exceeded, name,
                                     APR_HASH_KEY_STRING);
        const int *vi = apr_hash_get(visited, name, APR_HASH_KEY_STRING);
        const int *ck = apr_hash_get(c->intro_checked, name,
                                     APR_HASH_KEY_STRING);
        const gql_definition_t *f;
        int *at;

        if (ex != NULL && *ex <= depth) {
            return 1;
        }
        if ((vi != NULL && *vi >= depth) || (ck != NULL && *ck >= depth)
            || (f = gql_vfragment(c, name)) == NULL) {
            return 0;
        }
        at = apr_palloc(c->p, sizeof(*at));
        *at = depth;
        apr_hash_set(visited, name, APR_HASH_KEY_STRING, at);
        for (i = 0; i < f->selection_set->selections->nelts; i++) {
            if (intro_depth(c, GQL_AST_ITEM(f->selection_set->selections, i,
                                            gql_selection_t), visited,
                            depth)) {
                apr_hash_set(c->intro_exceeded, name, APR_HASH_KEY_STRING,
                             at);
                return 1;
            }
        }
        apr_hash_set(c->intro_checked, name, APR_HASH_KEY_STRING, at);
        return 0;
    }
    if (s->kind == GQL_SEL_FIELD
        && (!strcmp(s->name.value, "fields")
            || !strcmp(s->name.value, "interfaces")
            || !strcmp(s->name.value, "possibleTypes")
            || !strcmp(s->name.value, "inputFields"))
        && ++depth >= 3) {
        return 1;
    }
    for (i = 0; ss != NULL && i < ss->selections->nelts; i++) {
        if (intro_depth(c, GQL_AST_ITEM(ss->selections, i, gql_selection_t),
                        visited, depth)) {
            return 1;
        }
    }
    return 0;
}

/* MaxIntrospectionDepth (graphql-js 16.9+ has it among specifiedRules) */
static int max_introspection_depth(vctx_t *c, const node_t *n, int leave)
{
    const gql_selection_t *s = n->ast;

    if (leave || n->kind != N_FIELD || (strcmp(s->name.value, "__schema")
                                        && strcmp(s->name.value, "__type"))) {
        return 0;
    }
    if (intro_depth(c, s, apr_hash_make(c->p), 0)) {
        gql_vreport(c, &s->loc, "Maximum introspection depth exceeded");
        return SKIP;
    }
    return 0;
}

/* NoSchemaIntrospectionCustomRule, when introspection is off */
static int no_schema_introspection(vctx_t *c, const node_t *n, int leave)
{
    const gql_selection_t *s = n->ast;
    const gql_type_t *t = gql_vnamed(c->ti.type);

    if (leave || n->kind != N_FIELD || c->introspection || t == NULL
        || strncmp(t->name, "__", 2) || !t->builtin) {
        return 0;
    }
    gql_vreport(c, &s->loc, "GraphQL introspection has been disabled, but "
                "the requested query contained the field \"%s\".",
                s->name.value);
    return 0;
}

typedef int (*rule_fn)(vctx_t *c, const node_t *n, int leave);

/* ORDER RULE: graphql-js's specifiedRules */
static const rule_fn rules[] = {
    executable_definitions,
    unique_operation_names,
    lone_anonymous_operation,
    single_field_subscriptions,
    known_type_names,
    fragments_on_composite_types,
    variables_are_input_types,
    scalar_leafs,
    fields_on_correct_type,
    unique_fragment_names,
    known_fragment_names,
    no_unused_fragments,
    possible_fragment_spreads,
    no_fragment_cycles,
    unique_variable_names,
    no_undefined_variables,
    no_unused_variables,
    known_directives,
    unique_directives_per_location,
    known_argument_names,
    unique_argument_names,
    values_of_correct_type,
    provided_required_arguments,
    variables_in_allowed_position,
    gql_voverlapping_fields_can_be_merged,
    unique_input_field_names,
    max_introspection_depth,
    no_schema_introspection
};

#define NRULES ((int)(sizeof(rules) / sizeof(rules[0])))

/* ---- the walk */

/* Every rule that is not skipping this part of the tree sees the node;
 * a rule that skips from a node sees nothing until that node is left. */
static void visit(vctx_t *c, const node_t *n, int leave)
{
    int i;

    if (c->collecting) {
        return;
    }
    for (i = 0; i < NRULES && !c->aborted; i++) {
        if (c->skip[i] == NULL) {
            if (rules[i](c, n, leave) == SKIP && !leave) {
                c->skip[i] = n;
            }
        }
        else if (leave && c->skip[i] == n) {
            c->skip[i] = NULL;
        }
    }
}

#define NODE(nd, k, a, up) \
    do { (nd).kind = (k); (nd).ast = (a); (nd).parent = (up); \
         (nd).location = NULL; (nd).directives = NULL; } while (0)

static void walk_value(vctx_t *c, const gql_value_t *v, const node_t *up);
static void walk_selection_set(vctx_t *c, const gql_selection_set_t *ss,
                               const node_t *up);

static void walk_named_type(vctx_t *c, const gql_name_t *name,
                            const node_t *up)
{
    node_t n;

    NODE(n, N_NAMED_TYPE, name, up);
    visit(c, &n, 0);
    visit(c, &n, 1);
}

static void walk_type(vctx_t *c, const gql_type_ref_t *t, const node_t *up)
{
    node_t n;

    if (t->kind == GQL_TYPE_NAMED) {
        walk_named_type(c, &t->name, up);
        return;
    }
    NODE(n, t->kind == GQL_TYPE_LIST ? N_LIST_TYPE : N_NON_NULL_TYPE, t, up);
    visit(c, &n, 0);
    walk_type(c, t->of_type, &n);
    visit(c, &n, 1);
}

static void push_input(vctx_t *c, const gql_tref_t *t, const gql_value_t *dv)
{
    c->ti.parent_input = c->ti.input;
    c->ti.input = t != NULL && gql_vis_input(gql_vnamed(t)) ? t : NULL;
    c->ti.default_value = dv;
}

static void walk_object_field(vctx_t *c, const gql_object_field_t *f,
                              const node_t *up)
{
    ti_t saved = c->ti;
    const gql_type_t *ot = gql_vnamed(c->ti.input);
    const gql_input_value_t *iv = NULL;
    node_t n;

    if (ot != NULL && ot->kind == GQL_KIND_INPUT_OBJECT) {
        iv = gql_vinput_field(ot, f->name.value);
    }
    push_input(c, iv ? iv->type : NULL, iv ? iv->default_value : NULL);
    NODE(n, N_OBJECT_FIELD, f, up);
    visit(c, &n, 0);
    walk_value(c, f->value, &n);
    visit(c, &n, 1);
    c->ti = saved;
}

static void walk_value(vctx_t *c, const gql_value_t *v, const node_t *up)
{
    ti_t saved = c->ti;
    node_t n;
    int i;

    if (v->kind == GQL_VALUE_LIST) {
        const gql_tref_t *lt = c->ti.input;

        if (lt != NULL && lt->kind == GQL_TYPE_NON_NULL) {
            lt = lt->of_type;
        }
        push_input(c, lt != NULL && lt->kind == GQL_TYPE_LIST ? lt->of_type
                                                              : lt, NULL);
    }
    if (c->collecting && v->kind == GQL_VALUE_VARIABLE) {
        usage_t *u = apr_array_push(c->cur_usages);

        u->node = v;
        u->type = c->ti.input;
        u->default_value = c->ti.default_value;
        u->parent_type = c->ti.parent_input;
    }
    NODE(n, N_VALUE, v, up);
    visit(c, &n, 0);
    for (i = 0; v->kind == GQL_VALUE_LIST && i < v->items->nelts
         && !c->aborted; i++) {
        walk_value(c, GQL_AST_ITEM(v->items, i, gql_value_t), &n);
    }
    for (i = 0; v->kind == GQL_VALUE_OBJECT && i < v->fields->nelts
         && !c->aborted; i++) {
        walk_object_field(c, GQL_AST_ITEM(v->fields, i, gql_object_field_t),
                          &n);
    }
    visit(c, &n, 1);
    c->ti = saved;
}

static void walk_argument(vctx_t *c, const gql_argument_t *a,
                          const node_t *up)
{
    ti_t saved = c->ti;
    const apr_array_header_t *defs = NULL;
    const gql_input_value_t *ad = NULL;
    node_t n;

    if (c->ti.directive != NULL) {
        defs = c->ti.directive->arguments;
    }
    else if (c->ti.field_def != NULL) {
        defs = c->ti.field_def->arguments;
    }
    if (defs != NULL) {
        ad = gql_vfind_input(defs, a->name.value);
    }
    c->ti.argument = ad;
    push_input(c, ad ? ad->type : NULL, ad ? ad->default_value : NULL);
    NODE(n, N_ARGUMENT, a, up);
    visit(c, &n, 0);
    walk_value(c, a->value, &n);
    visit(c, &n, 1);
    c->ti = saved;
}

static void walk_arguments(vctx_t *c, const apr_array_header_t *args,
                           const node_t *up)
{
    int i;

    for (i = 0; args != NULL && i < args->nelts && !c->aborted; i++) {
        walk_argument(c, GQL_AST_ITEM(args, i, gql_argument_t), up);
    }
}

static void walk_directives(vctx_t *c, const apr_array_header_t *dirs,
                            const node_t *up, const char *location)
{
    int i;

    for (i = 0; dirs != NULL && i < dirs->nelts && !c->aborted; i++) {
        const gql_directive_t *d = GQL_AST_ITEM(dirs, i, gql_directive_t);
        ti_t saved = c->ti;
        node_t n;

        c->ti.directive = gql_schema_directive(c->s, d->name.value);
        NODE(n, N_DIRECTIVE, d, up);
        n.location = location;
        n.directives = dirs;
        visit(c, &n, 0);
        walk_arguments(c, d->arguments, &n);
        visit(c, &n, 1);
        c->ti = saved;
    }
}

static void set_output_type(vctx_t *c, const gql_tref_t *t)
{
    c->ti.type = t != NULL && gql_vis_output(gql_vnamed(t)) ? t : NULL;
}

static void walk_field(vctx_t *c, const gql_selection_t *s, const node_t *up)
{
    ti_t saved = c->ti;
    const gql_field_t *fd = NULL;
    node_t n;

    if (c->ti.parent_type != NULL) {
        fd = gql_schema_field_def(c->s, c->ti.parent_type, s->name.value);
    }
    c->ti.field_def = fd;
    set_output_type(c, fd ? fd->type : NULL);
    NODE(n, N_FIELD, s, up);
    visit(c, &n, 0);
    walk_arguments(c, s->arguments, &n);
    walk_directives(c, s->directives, &n, "FIELD");
    if (s->selection_set != NULL && !c->aborted) {
        walk_selection_set(c, s->selection_set, &n);
    }
    visit(c, &n, 1);
    c->ti = saved;
}

/* An inline fragment or a fragment definition: its type condition, or
 * the enclosing type, is the type inside it. */
static void enter_condition(vctx_t *c, const gql_name_t *cond)
{
    if (cond != NULL && cond->value != NULL) {
        set_output_type(c, gql_vtref(c, gql_schema_type(c->s, cond->value)));
    }
    else {
        set_output_type(c, gql_vtref(c, gql_vnamed(c->ti.type)));
    }
}

static void walk_selection(vctx_t *c, const gql_selection_t *s,
                           const node_t *up)
{
    ti_t saved = c->ti;
    node_t n;

    switch (s->kind) {
    case GQL_SEL_FIELD:
        walk_field(c, s, up);
        return;
    case GQL_SEL_FRAGMENT_SPREAD:
        NODE(n, N_SPREAD, s, up);
        visit(c, &n, 0);
        walk_directives(c, s->directives, &n, "FRAGMENT_SPREAD");
        visit(c, &n, 1);
        return;
    default:
        enter_condition(c, &s->type_condition);
        NODE(n, N_INLINE, s, up);
        visit(c, &n, 0);
        if (s->type_condition.value != NULL) {
            walk_named_type(c, &s->type_condition, &n);
        }
        walk_directives(c, s->directives, &n, "INLINE_FRAGMENT");
        walk_selection_set(c, s->selection_set, &n);
        visit(c, &n, 1);
        c->ti = saved;
    }
}

static void walk_selection_set(vctx_t *c, const gql_selection_set_t *ss,
                               const node_t *up)
{
    ti_t saved = c->ti;
    const gql_type_t *t = gql_vnamed(c->ti.type);
    node_t n;
    int i;

    c->ti.parent_type = gql_vis_composite(t) ? t : NULL;
    NODE(n, N_SELECTION_SET, ss, up);
    visit(c, &n, 0);
    for (i = 0; i < ss->selections->nelts && !c->aborted; i++) {
        walk_selection(c, GQL_AST_ITEM(ss->selections, i, gql_selection_t),
                       &n);
    }
    visit(c, &n, 1);
    c->ti = saved;
}

static void walk_variable_def(vctx_t *c, const gql_variable_def_t *v,
                              const node_t *up)
{
    ti_t saved = c->ti;
    const gql_tref_t *t = gql_vtype_from_ast(c, v->type);
    node_t n, var;

    if (c->collecting) {
        return;     /* getVariableUsages skips variable definitions */
    }
    c->ti.parent_input = c->ti.input;
    c->ti.input = t != NULL && gql_vis_input(gql_vnamed(t)) ? t : NULL;
    NODE(n, N_VARIABLE_DEF, v, up);
    visit(c, &n, 0);
    NODE(var, N_VARIABLE, &v->name, &n);
    visit(c, &var, 0);
    visit(c, &var, 1);
    walk_type(c, v->type, &n);
    if (v->default_value != NULL) {
        walk_value(c, v->default_value, &n);
    }
    walk_directives(c, v->directives, &n, "VARIABLE_DEFINITION");
    visit(c, &n, 1);
    c->ti = saved;
}

static const char *const op_locations[] = {
    "QUERY", "MUTATION", "SUBSCRIPTION"
};

static void walk_executable(vctx_t *c, const gql_definition_t *d,
                            const node_t *up)
{
    ti_t saved = c->ti;
    node_t n;
    int i;

    if (d->kind == GQL_DEF_OPERATION) {
        const gql_type_t *root = gql_schema_root(c->s, d->operation);

        set_output_type(c, root && root->kind == GQL_KIND_OBJECT
                           ? gql_vtref(c, root) : NULL);
        NODE(n, N_OPERATION, d, up);
    }
    else {
        enter_condition(c, &d->type_condition);
        NODE(n, N_FRAGMENT, d, up);
    }
    visit(c, &n, 0);
    for (i = 0; i < d->variables->nelts && !c->aborted; i++) {
        walk_variable_def(c, GQL_AST_ITEM(d->variables, i,
                                          gql_variable_def_t), &n);
    }
    if (d->kind == GQL_DEF_FRAGMENT) {
        walk_named_type(c, &d->type_condition, &n);
    }
    walk_directives(c, d->directives, &n, d->kind == GQL_DEF_OPERATION
                    ? op_locations[d->operation] : "FRAGMENT_DEFINITION");
    if (!c->aborted) {
        walk_selection_set(c, d->selection_set, &n);
    }
    visit(c, &n, 1);
    c->ti = saved;
}

static void walk_document(vctx_t *c)
{
    node_t n;
    int i;

    NODE(n, N_DOCUMENT, c->doc, NULL);
    visit(c, &n, 0);
    for (i = 0; i < c->doc->definitions->nelts && !c->aborted; i++) {
        const gql_definition_t *d = GQL_AST_ITEM(c->doc->definitions, i,
                                                 gql_definition_t);

        c->def = d;
        if (d->kind == GQL_DEF_OPERATION || d->kind == GQL_DEF_FRAGMENT) {
            walk_executable(c, d, &n);
        }
        else {
            gql_vwalk_type_system(c, d, &n);
        }
    }
    c->def = NULL;
    visit(c, &n, 1);
}

/* ---- look-ups shared by the rules */

const gql_definition_t *gql_vfragment(vctx_t *c, const char *name)
{
    return apr_hash_get(c->fragments, name, APR_HASH_KEY_STRING);
}

const gql_input_value_t *gql_vfind_input(const apr_array_header_t *defs,
                                         const char *name)
{
    int i;

    for (i = 0; defs != NULL && i < defs->nelts; i++) {
        const gql_input_value_t *v = APR_ARRAY_IDX(defs, i,
                                                   const gql_input_value_t *);

        if (strcmp(v->name, name) == 0) {
            return v;
        }
    }
    return NULL;
}

const gql_input_value_t *gql_vinput_field(const gql_type_t *t,
                                          const char *name)
{
    return gql_vfind_input(t->input_fields, name);
}

/* Runs of digits compare by value, as graphql-js's naturalCompare. */
int gql_vnatcmp(const char *a, const char *b)
{
    while (*a && *b) {
        if (*a >= '0' && *a <= '9' && *b >= '0' && *b <= '9') {
            long an = 0, bn = 0;

            do {
                an = an * 10 + (*a++ - '0');
            } while (*a >= '0' && *a <= '9' && an > 0 && an < 100000000L);
            do {
                bn = bn * 10 + (*b++ - '0');
            } while (*b >= '0' && *b <= '9' && bn > 0 && bn < 100000000L);
            if (an != bn) {
                return an < bn ? -1 : 1;
            }
        }
        else {
            if (*a != *b) {
                return (unsigned char)*a < (unsigned char)*b ? -1 : 1;
            }
            a++;
            b++;
        }
    }
    return (int)strlen(a) - (int)strlen(b);
}

/* An argument or input field definition: type, default value (checked
 * against no input type, as TypeInfo knows none there), directives. */
static void walk_input_defs(vctx_t *c, const apr_array_header_t *a,
                            const node_t *up, const char *location)
{
    int i;

    for (i = 0; i < a->nelts && !c->aborted; i++) {
        const gql_input_value_def_t *iv = GQL_AST_ITEM(a, i,
                                                       gql_input_value_def_t);
        node_t n;

        NODE(n, N_SDL_DIRECTIVES, iv, up);
        n.directives = iv->directives;
        visit(c, &n, 0);
        walk_type(c, iv->type, &n);
        if (iv->default_value != NULL) {
            walk_value(c, iv->default_value, &n);
        }
        walk_directives(c, iv->directives, &n, location);
        visit(c, &n, 1);
    }
}

static void walk_field_defs(vctx_t *c, const apr_array_header_t *a,
                            const node_t *up)
{
    int i;

    for (i = 0; i < a->nelts && !c->aborted; i++) {
        const gql_field_def_t *f = GQL_AST_ITEM(a, i, gql_field_def_t);
        node_t n;

        NODE(n, N_SDL_DIRECTIVES, f, up);
        n.directives = f->directives;
        visit(c, &n, 0);
        walk_input_defs(c, f->arguments, &n, "ARGUMENT_DEFINITION");
        walk_type(c, f->type, &n);
        walk_directives(c, f->directives, &n, "FIELD_DEFINITION");
        visit(c, &n, 1);
    }
}

static void walk_names(vctx_t *c, const apr_array_header_t *a,
                       const node_t *up)
{
    int i;

    for (i = 0; a != NULL && i < a->nelts && !c->aborted; i++) {
        walk_named_type(c, GQL_AST_ITEM(a, i, gql_name_t), up);
    }
}

/* ORDER DEFINITION: the directive location of each type-system kind */
static const char *const sdl_locations[] = {
    NULL, NULL, "SCHEMA", "SCALAR", "OBJECT", "INTERFACE", "UNION", "ENUM",
    "INPUT_OBJECT", NULL
};

/* The type-system definitions an executable document should not hold:
 * ExecutableDefinitions reports them, and the other rules still see their
 * type names and directives, in graphql-js's key order. */
void gql_vwalk_type_system(vctx_t *c, const gql_definition_t *d,
                           const node_t *up)
{
    const char *loc = sdl_locations[d->kind];
    node_t n;
    int i;

    NODE(n, N_TYPE_SYSTEM, d, up);
    visit(c, &n, 0);
    if (d->kind == GQL_DEF_DIRECTIVE) {
        walk_input_defs(c, d->arguments, &n, "ARGUMENT_DEFINITION");
    }
    else if (d->kind == GQL_DEF_SCHEMA) {
        walk_directives(c, d->directives, &n, loc);
        for (i = 0; i < d->operation_types->nelts; i++) {
            walk_named_type(c, &GQL_AST_ITEM(d->operation_types, i,
                                             gql_operation_type_def_t)->type,
                            &n);
        }
    }
    else {
        walk_names(c, d->interfaces, &n);
        walk_directives(c, d->directives, &n, loc);
        walk_field_defs(c, d->fields, &n);
        walk_names(c, d->members, &n);
        for (i = 0; i < d->values->nelts && !c->aborted; i++) {
            const gql_enum_value_def_t *v = GQL_AST_ITEM(d->values, i,
                                                         gql_enum_value_def_t);
            node_t vn;

            NODE(vn, N_SDL_DIRECTIVES, v, &n);
            vn.directives = v->directives;
            visit(c, &vn, 0);
            walk_directives(c, v->directives, &vn, "ENUM_VALUE");
            visit(c, &vn, 1);
        }
        walk_input_defs(c, d->input_fields, &n, "INPUT_FIELD_DEFINITION");
    }
    visit(c, &n, 1);
}

/* The variables each operation and fragment uses, with the TypeInfo
 * where they are used: a walk that calls no rule, since a rule leaving an
 * operation needs the usages of fragments defined after it. */
static void usages_pass(vctx_t *c)
{
    node_t doc;
    int i;

    NODE(doc, N_DOCUMENT, c->doc, NULL);
    c->collecting = 1;
    for (i = 0; i < c->doc->definitions->nelts; i++) {
        const gql_definition_t *d = GQL_AST_ITEM(c->doc->definitions, i,
                                                 gql_definition_t);

        if (d->kind != GQL_DEF_OPERATION && d->kind != GQL_DEF_FRAGMENT) {
            continue;
        }
        c->cur_usages = apr_array_make(c->p, 4, sizeof(usage_t));
        walk_executable(c, d, &doc);
        apr_hash_set(c->usages, apr_pmemdup(c->p, &d, sizeof(d)), sizeof(d),
                     c->cur_usages);
    }
    c->collecting = 0;
}

int gql_validate(apr_pool_t *p, const gql_schema_t *schema,
                 const gql_document_t *doc, const gql_validate_opts_t *opts,
                 apr_array_header_t *errors)
{
    vctx_t *c = apr_pcalloc(p, sizeof(*c));
    int i;

    c->p = p;
    c->s = schema;
    c->doc = doc;
    c->errors = errors;
    c->first = errors->nelts;
    c->introspection = opts == NULL || opts->introspection;
    c->trefs = apr_hash_make(p);
    c->op_names = apr_hash_make(p);
    c->fragments = apr_hash_make(p);
    c->skip = apr_pcalloc(p, sizeof(*c->skip) * NRULES);
    c->frag_names = apr_hash_make(p);
    c->ops = apr_array_make(p, 4, sizeof(void *));
    c->frags = apr_array_make(p, 4, sizeof(void *));
    c->cyc_visited = apr_hash_make(p);
    c->cyc_index = apr_hash_make(p);
    c->cyc_path = apr_array_make(p, 8, sizeof(void *));
    c->var_defined = apr_hash_make(p);
    c->var_defs = apr_array_make(p, 4, sizeof(void *));
    c->var_def_map = apr_hash_make(p);
    c->input_names = apr_array_make(p, 8, sizeof(apr_hash_t *));
    c->type_dirs = apr_hash_make(p);
    c->schema_dirs = apr_hash_make(p);
    c->usages = apr_hash_make(p);
    c->spreads = apr_hash_make(p);
    c->referenced = apr_hash_make(p);
    c->intro_checked = apr_hash_make(p);
    c->intro_exceeded = apr_hash_make(p);
    for (i = 0; i < doc->definitions->nelts; i++) {
        const gql_definition_t *d = GQL_AST_ITEM(doc->definitions, i,
                                                 gql_definition_t);

        if (d->kind == GQL_DEF_FRAGMENT) {
            apr_hash_set(c->fragments, d->name.value, APR_HASH_KEY_STRING, d);
        }
    }
    usages_pass(c);
    walk_document(c);
    return errors->nelts - c->first;
}
