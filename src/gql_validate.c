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

typedef int (*rule_fn)(vctx_t *c, const node_t *n, int leave);

/* ORDER RULE: graphql-js's specifiedRules */
static const rule_fn rules[] = {
    executable_definitions,
    unique_operation_names,
    lone_anonymous_operation,
    fields_on_correct_type,
    known_fragment_names
};

#define NRULES ((int)(sizeof(rules) / sizeof(rules[0])))

/* ---- the walk */

/* Every rule that is not skipping this part of the tree sees the node;
 * a rule that skips from a node sees nothing until that node is left. */
static void visit(vctx_t *c, const node_t *n, int leave)
{
    int i;

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
    do { (nd).kind = (k); (nd).ast = (a); (nd).parent = (up); } while (0)

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

/* The type-system definitions an executable document should not hold:
 * ExecutableDefinitions reports them; their directives and type names are
 * still seen by the rules, as graphql-js's walk sees them. */
void gql_vwalk_type_system(vctx_t *c, const gql_definition_t *d,
                           const node_t *up)
{
    node_t n;

    NODE(n, N_TYPE_SYSTEM, d, up);
    visit(c, &n, 0);
    visit(c, &n, 1);
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
    for (i = 0; i < doc->definitions->nelts; i++) {
        const gql_definition_t *d = GQL_AST_ITEM(doc->definitions, i,
                                                 gql_definition_t);

        if (d->kind == GQL_DEF_FRAGMENT) {
            apr_hash_set(c->fragments, d->name.value, APR_HASH_KEY_STRING, d);
        }
    }
    walk_document(c);
    return errors->nelts - c->first;
}
