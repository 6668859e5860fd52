/* Licensed under the Apache License, Version 2.0 (the "License"); you may
 * not use this file except in compliance with the License.  You may obtain
 * a copy of the License at http://www.apache.org/licenses/LICENSE-2.0
 */

/*
 * gql_validate.c: the walk of the validation stage and its TypeInfo.
 * The rules of section 5 of the specification, one function per rule
 * named after it, live in gql_validate_defs.c, gql_validate_values.c and
 * gql_validate_overlap.c, but for the two on introspection, which are
 * here; the helpers the walk and the rules share are in
 * gql_validate_ctx.c.
 *
 * graphql-js's validate() walks a document once and, at every node, calls
 * each rule in its rule order (visitInParallel) with a TypeInfo that knows
 * the parent type, the field, the input type ... at that node.  The order
 * of the errors a client sees comes from that walk, so this file walks the
 * same way: walk_*() visit the nodes in graphql-js's key order, ti_t is
 * the TypeInfo, and visit() calls the rules.  A rule returns SKIP on enter
 * to see nothing more of that node's subtree, as a graphql-js visitor
 * returns false.  Work that looks across the document (fragment spreads,
 * variable usages, overlapping fields) is bounded by visited sets and
 * caches.
 */

#include <stdlib.h>
#include <string.h>
#include <apr_hash.h>
#include <apr_strings.h>
#include "gql_parser.h"         /* GQL_MAX_DEPTH */
#include "gql_print.h"
#include "gql_validate_int.h"

/* ---- types and input definitions */

/* graphql-js's isOutputType */
static int is_output(const gql_type_t *t)
{
    return t != NULL && t->kind != GQL_KIND_INPUT_OBJECT;
}

/* The argument or input field definition named name, or NULL. */
static const gql_input_value_t *find_input(const apr_array_header_t *defs,
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

/* MaxDepth (GraphQLMaxDepth; no graphql-js rule): the fields on the
 * longest path of an operation, fragments expanded.  Each selection set's
 * depth is computed once (a set being computed counts 0, so a fragment
 * cycle, which NoFragmentCycles reports, ends), and a chain of more than
 * GQL_MAX_DEPTH sets counts as too deep, which keeps the C stack safe. */
#define TOO_DEEP (GQL_MAX_DEPTH + 1)

static int set_depth(vctx_t *c, const gql_selection_set_t *ss, int level);

static int sel_depth(vctx_t *c, const gql_selection_t *s, int level)
{
    const gql_definition_t *f;

    switch (s->kind) {
    case GQL_SEL_FIELD:
        return 1 + set_depth(c, s->selection_set, level + 1);
    case GQL_SEL_INLINE_FRAGMENT:
        return set_depth(c, s->selection_set, level + 1);
    default:
        f = gql_vfragment(c, s->name.value);
        return f ? set_depth(c, f->selection_set, level + 1) : 0;
    }
}

static int set_depth(vctx_t *c, const gql_selection_set_t *ss, int level)
{
    int *d, i;

    if (ss == NULL) {
        return 0;
    }
    d = apr_hash_get(c->depths, &ss, sizeof(ss));
    if (d != NULL) {
        return *d;
    }
    d = apr_pcalloc(c->p, sizeof(*d));
    apr_hash_set(c->depths, apr_pmemdup(c->p, &ss, sizeof(ss)), sizeof(ss),
                 d);
    if (level > GQL_MAX_DEPTH) {
        *d = TOO_DEEP;
        return *d;
    }
    for (i = 0; i < ss->selections->nelts && *d < TOO_DEEP; i++) {
        int e = sel_depth(c, GQL_AST_ITEM(ss->selections, i,
                                          gql_selection_t), level);

        *d = e > *d ? (e > TOO_DEEP ? TOO_DEEP : e) : *d;
    }
    return *d;
}

/* The first field at depth need below ss, on a path the depths found. */
static const gql_selection_t *deep_field(vctx_t *c,
                                         const gql_selection_set_t *ss,
                                         int need, int level)
{
    int i;

    for (i = 0; ss && level <= GQL_MAX_DEPTH && i < ss->selections->nelts;
         i++) {
        const gql_selection_t *s = GQL_AST_ITEM(ss->selections, i,
                                                gql_selection_t);
        const gql_definition_t *f = s->kind == GQL_SEL_FRAGMENT_SPREAD
                                    ? gql_vfragment(c, s->name.value) : NULL;
        const gql_selection_set_t *in = f ? f->selection_set
                                          : s->selection_set;
        const gql_selection_t *r;

        if (sel_depth(c, s, level) < need) {
            continue;
        }
        if (s->kind == GQL_SEL_FIELD && need == 1) {
            return s;
        }
        r = deep_field(c, in, s->kind == GQL_SEL_FIELD ? need - 1 : need,
                       level + 1);
        if (r != NULL) {
            return r;
        }
    }
    return NULL;
}

static int max_depth(vctx_t *c, const node_t *n, int leave)
{
    const gql_definition_t *op = n->ast;
    const gql_selection_t *s;
    int d;

    if (leave || n->kind != N_OPERATION || c->max_depth <= 0) {
        return 0;
    }
    d = set_depth(c, op->selection_set, 0);
    if (d <= c->max_depth) {
        return 0;
    }
    s = deep_field(c, op->selection_set, c->max_depth + 1, 0);
    gql_vreport(c, s ? &s->loc : &op->loc, d >= TOO_DEEP
                ? "The query is nested too deeply: depth over %d exceeds "
                  "the limit of %d."
                : "The query is nested too deeply: depth %d exceeds the "
                  "limit of %d.", d >= TOO_DEEP ? GQL_MAX_DEPTH : d,
                c->max_depth);
    return 0;
}

/* Ours, after graphql-js's, which accepts it: PostgreSQL's text cannot
 * hold U+0000, so a string literal that does is refused where it is
 * written, as a mistake of the client's. */
static int no_nul_strings(vctx_t *c, const node_t *n, int leave)
{
    const gql_value_t *v = n->ast;
    gql_error_t *e;

    if (leave || n->kind != N_VALUE || v->kind != GQL_VALUE_STRING
        || memchr(v->text, '\0', v->len) == NULL) {
        return 0;
    }
    e = gql_vreport(c, &v->loc, "String value %s holds U+0000, which is "
                    "not allowed.", gql_print_value(c->p, v));
    if (e != NULL) {
        e->code = "BAD_USER_INPUT";
    }
    return 0;
}

/* ORDER RULE: graphql-js's specifiedRules */
static const gql_vrule_fn rules[] = {
    gql_vexecutable_definitions,
    gql_vunique_operation_names,
    gql_vlone_anonymous_operation,
    gql_vsingle_field_subscriptions,
    gql_vknown_type_names,
    gql_vfragments_on_composite_types,
    gql_vvariables_are_input_types,
    gql_vscalar_leafs,
    gql_vfields_on_correct_type,
    gql_vunique_fragment_names,
    gql_vknown_fragment_names,
    gql_vno_unused_fragments,
    gql_vpossible_fragment_spreads,
    gql_vno_fragment_cycles,
    gql_vunique_variable_names,
    gql_vno_undefined_variables,
    gql_vno_unused_variables,
    gql_vknown_directives,
    gql_vunique_directives_per_location,
    gql_vknown_argument_names,
    gql_vunique_argument_names,
    gql_vvalues_of_correct_type,
    gql_vprovided_required_arguments,
    gql_vvariables_in_allowed_position,
    gql_voverlapping_fields_can_be_merged,
    gql_vunique_input_field_names,
    max_introspection_depth,
    no_schema_introspection,
    max_depth,                  /* ours, after graphql-js's */
    no_nul_strings,
    gql_vmax_counts
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
static void walk_type_system(vctx_t *c, const gql_definition_t *d,
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
        iv = find_input(ot->input_fields, f->name.value);
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
        ad = find_input(defs, a->name.value);
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
    c->ti.type = t != NULL && is_output(gql_vnamed(t)) ? t : NULL;
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
        set_output_type(c, gql_vtref(c, gql_vtype(c, cond->value)));
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
            walk_type_system(c, d, &n);
        }
    }
    c->def = NULL;
    visit(c, &n, 1);
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
static void walk_type_system(vctx_t *c, const gql_definition_t *d,
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
    c->max_depth = opts ? opts->max_depth : 0;
    c->depths = apr_hash_make(p);
    if (opts != NULL) {
        c->limits = *opts;
    }
    c->counts = apr_hash_make(p);
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
