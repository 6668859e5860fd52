/* Licensed under the Apache License, Version 2.0 (the "License"); you may
 * not use this file except in compliance with the License.  You may obtain
 * a copy of the License at http://www.apache.org/licenses/LICENSE-2.0
 */

/*
 * gql_validate_values.c: the rules on variables, directives, arguments
 * and input values, UniqueVariableNames to UniqueInputFieldNames in
 * graphql-js's specifiedRules order (but OverlappingFieldsCanBeMerged,
 * in gql_validate_overlap.c).  gql_validate.c walks the document and
 * calls them at each node (gql_validate_int.h says how).
 */

#include <stdlib.h>
#include <string.h>
#include <apr_hash.h>
#include <apr_strings.h>
#include "gql_print.h"
#include "gql_validate_int.h"

/* graphql-js's groupBy over names, then one error per name given more
 * than once, at all its places, in the order the names first appear. */
static void unique_names(vctx_t *c, const gql_name_t *const *names, int n,
                         const char *what, const char *sigil)
{
    apr_hash_t *groups;
    apr_array_header_t *g;
    gql_error_t *e;
    int i, j;

    if (n < 2) {
        return;                 /* nothing to repeat, nothing to make */
    }
    groups = apr_hash_make(c->p);
    for (i = 0; i < n; i++) {
        g = apr_hash_get(groups, names[i]->value, APR_HASH_KEY_STRING);
        if (g == NULL) {
            g = apr_array_make(c->p, 1, sizeof(const gql_name_t *));
            apr_hash_set(groups, names[i]->value, APR_HASH_KEY_STRING, g);
        }
        APR_ARRAY_PUSH(g, const gql_name_t *) = names[i];
    }
    for (i = 0; i < n; i++) {
        g = apr_hash_get(groups, names[i]->value, APR_HASH_KEY_STRING);
        if (g->nelts < 2 || APR_ARRAY_IDX(g, 0, const gql_name_t *)
                            != names[i]) {
            continue;
        }
        e = gql_vreport(c, &names[i]->loc, "There can be only one %s named "
                        "\"%s%s\".", what, sigil,
                        gql_vname(c, names[i]->value));
        for (j = 1; j < g->nelts; j++) {
            gql_vloc(c, e, &APR_ARRAY_IDX(g, j, const gql_name_t *)->loc);
        }
    }
}

/* UniqueVariableNames */
int gql_vunique_variable_names(vctx_t *c, const node_t *n, int leave)
{
    const gql_definition_t *d = n->ast;
    const gql_name_t **names;
    int i;

    if (leave || n->kind != N_OPERATION) {
        return 0;
    }
    names = apr_palloc(c->p, sizeof(*names) * (d->variables->nelts + 1));
    for (i = 0; i < d->variables->nelts; i++) {
        names[i] = &GQL_AST_ITEM(d->variables, i, gql_variable_def_t)->name;
    }
    unique_names(c, names, d->variables->nelts, "variable", "$");
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
    frags = gql_vreferenced(c, ops);
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
int gql_vno_undefined_variables(vctx_t *c, const node_t *n, int leave)
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
                          "operation \"%s\".", gql_vname(c, v->text),
                          gql_vname(c, op->name.value))
            : gql_vreport(c, &v->loc, "Variable \"$%s\" is not defined.",
                          gql_vname(c, v->text));
        gql_vloc(c, e, &op->loc);
    }
    return 0;
}

/* NoUnusedVariables */
int gql_vno_unused_variables(vctx_t *c, const node_t *n, int leave)
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
                        "operation \"%s\".", gql_vname(c, v->name.value),
                        gql_vname(c, op->name.value));
        }
        else {
            gql_vreport(c, &v->loc, "Variable \"$%s\" is never used.",
                        gql_vname(c, v->name.value));
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
int gql_vknown_directives(vctx_t *c, const node_t *n, int leave)
{
    const gql_directive_t *d = n->ast;
    int known;

    if (leave || n->kind != N_DIRECTIVE) {
        return 0;
    }
    if (!has_location(c, d->name.value, n->location, &known) && known) {
        gql_vreport(c, &d->loc, "Directive \"@%s\" may not be used on %s.",
                    gql_vname(c, d->name.value), n->location);
    }
    else if (!known) {
        gql_vreport(c, &d->loc, "Unknown directive \"@%s\".",
                    gql_vname(c, d->name.value));
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
int gql_vunique_directives_per_location(vctx_t *c, const node_t *n,
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
                                    "location.",
                                    gql_vname(c, d->name.value)), &d->loc);
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
int gql_vknown_argument_names(vctx_t *c, const node_t *n, int leave)
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
                            "directive \"@%s\".%s", gql_vname(c, a->name.value),
                            gql_vname(c, d->name.value),
                            gql_print_suggest(c->p, NULL, a->name.value,
                                              known));
            }
        }
        return SKIP;
    }
    if (n->kind == N_ARGUMENT && c->ti.argument == NULL && c->ti.field_def
        && c->ti.parent_type) {
        gql_vreport(c, &a->loc, "Unknown argument \"%s\" on field "
                    "\"%s.%s\".%s", gql_vname(c, a->name.value),
                    c->ti.parent_type->name,
                    c->ti.field_def->name,
                    gql_print_suggest(c->p, NULL, a->name.value,
                                      arg_names(c, c->ti.field_def
                                                ->arguments)));
    }
    return 0;
}

/* UniqueArgumentNames */
int gql_vunique_argument_names(vctx_t *c, const node_t *n, int leave)
{
    const apr_array_header_t *args;
    const gql_name_t **names;
    int i;

    if (leave || (n->kind != N_FIELD && n->kind != N_DIRECTIVE)) {
        return 0;
    }
    args = n->kind == N_FIELD ? ((const gql_selection_t *)n->ast)->arguments
                              : ((const gql_directive_t *)n->ast)->arguments;
    if (args->nelts < 2) {
        return 0;
    }
    names = apr_palloc(c->p, sizeof(*names) * (args->nelts + 1));
    for (i = 0; i < args->nelts; i++) {
        names[i] = &GQL_AST_ITEM(args, i, gql_argument_t)->name;
    }
    unique_names(c, names, args->nelts, "argument", "");
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
                    gql_print_type(c->p, lt),
                    gql_print_value(c->p, v));
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
                    gql_vname(c, first->name.value));
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
                        gql_print_type(c->p, f->type));
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
int gql_vvalues_of_correct_type(vctx_t *c, const node_t *n, int leave)
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
                        "\"%s\".%s", gql_vname(c, f->name.value), pt->name,
                        gql_print_suggest(c->p, NULL, f->name.value,
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
                        "null.", gql_print_type(c->p, c->ti.input));
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
                        gql_vname(c, d->name.value),
                        gql_vname(c, a->name.value),
                        gql_print_ast_type(c->p, a->type));
        }
    }
    for (i = 0; dd == NULL && sd != NULL && i < sd->arguments->nelts; i++) {
        const gql_input_value_t *a = APR_ARRAY_IDX(sd->arguments, i,
                                                   gql_input_value_t *);

        if (required_arg(a) && !arg_given(d->arguments, a->name)) {
            gql_vreport(c, &d->loc, "Directive \"@%s\" argument \"%s\" of "
                        "type \"%s\" is required, but it was not provided.",
                        gql_vname(c, d->name.value), a->name,
                        gql_print_type(c->p, a->type));
        }
    }
}

/* ProvidedRequiredArguments, on leaving a field or a directive. */
int gql_vprovided_required_arguments(vctx_t *c, const node_t *n,
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
                        gql_print_type(c->p, a->type));
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
                                "\"%s\".", gql_vname(c, name),
                                gql_print_type(c->p, vt),
                                gql_print_type(c->p, u->type)),
                 &u->node->loc);
    }
    if (pt != NULL && pt->kind == GQL_KIND_INPUT_OBJECT && pt->one_of
        && (vt == NULL || vt->kind != GQL_TYPE_NON_NULL)) {
        gql_vloc(c, gql_vreport(c, &vd->loc, "Variable \"$%s\" is of type "
                                "\"%s\" but must be non-nullable to be used "
                                "for OneOf Input Object \"%s\".",
                                gql_vname(c, name),
                                vt ? gql_print_type(c->p, vt)
                                   : "undefined", pt->name),
                 &u->node->loc);
    }
}

/* VariablesInAllowedPosition */
int gql_vvariables_in_allowed_position(vctx_t *c, const node_t *n,
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
int gql_vunique_input_field_names(vctx_t *c, const node_t *n, int leave)
{
    const gql_value_t *v = n->ast;
    const gql_object_field_t *f = n->ast;
    apr_hash_t *names;

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
    gql_vunique_name(c, names, &f->name, "input field");
    return 0;
}
