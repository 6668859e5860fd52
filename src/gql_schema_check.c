/* Licensed under the Apache License, Version 2.0 (the "License"); you may
 * not use this file except in compliance with the License.  You may obtain
 * a copy of the License at http://www.apache.org/licenses/LICENSE-2.0
 */

/*
 * gql_schema_check.c: every type-system rule, in graphql-js 16's wording.
 *
 *   phase 1  graphql-js's SDL rules (validateSDL) on the syntax trees
 *   phase 2  graphql-js's validateSchema on the built types, and what the
 *            specification adds: distinct root types, directives that do
 *            not reach themselves, valid defaults and directive arguments
 */

#include <stdlib.h>
#include <string.h>
#include <apr_strings.h>
#include "gql_parser.h"
#include "gql_print.h"
#include "gql_schema_int.h"
#include "gql_value_check.h"

/* The rules' one way to report; a short name for the many calls. */
#define fail gql_schema_fail

/* Name "__x" is reserved: introspection's names start that way. */
static void check_name(gql_build_t *c, const char *src, const char *name,
                       const gql_loc_t *loc)
{
    if (name[0] == '_' && name[1] == '_') {
        fail(c, src, loc, "Name \"%s\" must not begin with \"__\", which is "
             "reserved by GraphQL introspection.", name);
    }
}

/* ---- Phase 1: SDL validation on the syntax trees ---- */

/* ORDER DEFINITION: what `extend` calls each kind, and where a directive
 * applied to each kind of definition stands. */
static const char *const ext_kind_names[] = {
    NULL, NULL, NULL, "scalar", "object", "interface", "union", "enum",
    "input object", NULL
};
static const char *const def_locations[] = {
    NULL, NULL, "SCHEMA", "SCALAR", "OBJECT", "INTERFACE", "UNION", "ENUM",
    "INPUT_OBJECT", NULL
};

/* The groups (apr_array_header_t * of const gql_name_t *) of names that
 * occur more than once, in the order of their first occurrence. */
static apr_array_header_t *dups(gql_build_t *c,
                                const apr_array_header_t *names)
{
    apr_array_header_t *groups = apr_array_make(c->tp, 1, sizeof(void *));
    apr_hash_t *h = apr_hash_make(c->tp);
    int i;

    if (names->nelts < 2) {
        return groups;
    }
    for (i = 0; i < names->nelts; i++) {
        const gql_name_t *n = APR_ARRAY_IDX(names, i, const gql_name_t *);
        apr_array_header_t *g = apr_hash_get(h, n->value,
                                             APR_HASH_KEY_STRING);

        if (g == NULL) {
            g = apr_array_make(c->tp, 1, sizeof(void *));
            apr_hash_set(h, n->value, APR_HASH_KEY_STRING, g);
        }
        else if (g->nelts == 1) {
            APR_ARRAY_PUSH(groups, apr_array_header_t *) = g;
        }
        APR_ARRAY_PUSH(g, const gql_name_t *) = n;
    }
    return groups;
}

static void add_locs(gql_build_t *c, gql_error_t *e, apr_array_header_t *g)
{
    int i;

    for (i = 1; i < g->nelts; i++) {
        gql_error_add_loc(c->p, e, &APR_ARRAY_IDX(g, i, gql_name_t *)->loc);
    }
}

static apr_array_header_t *input_names(gql_build_t *c,
                                       const apr_array_header_t *a)
{
    apr_array_header_t *names = apr_array_make(c->tp, a->nelts + 1,
                                               sizeof(void *));
    int i;

    for (i = 0; i < a->nelts; i++) {
        APR_ARRAY_PUSH(names, const gql_name_t *) =
            &GQL_AST_ITEM(a, i, gql_input_value_def_t)->name;
    }
    return names;
}

/* UniqueInputFieldNames, through every object value. */
static void unique_object_fields(gql_build_t *c, const char *src,
                                 const gql_value_t *v, int depth)
{
    apr_array_header_t *names, *g;
    int i;

    if (v == NULL || depth > GQL_MAX_DEPTH) {
        return;
    }
    if (v->kind == GQL_VALUE_LIST) {
        for (i = 0; i < v->items->nelts; i++) {
            unique_object_fields(c, src, GQL_AST_ITEM(v->items, i,
                                                      gql_value_t),
                                 depth + 1);
        }
    }
    if (v->kind != GQL_VALUE_OBJECT) {
        return;
    }
    names = apr_array_make(c->tp, v->fields->nelts + 1, sizeof(void *));
    for (i = 0; i < v->fields->nelts; i++) {
        const gql_object_field_t *f = GQL_AST_ITEM(v->fields, i,
                                                   gql_object_field_t);

        APR_ARRAY_PUSH(names, const gql_name_t *) = &f->name;
        unique_object_fields(c, src, f->value, depth + 1);
    }
    g = dups(c, names);
    for (i = 0; i < g->nelts; i++) {
        apr_array_header_t *grp = APR_ARRAY_IDX(g, i, apr_array_header_t *);
        const gql_name_t *n = APR_ARRAY_IDX(grp, 0, const gql_name_t *);

        /* graphql-js names the first and the second occurrence only */
        add_locs(c, fail(c, src, &n->loc, "There can be only one input "
                         "field named \"%s\".", n->value), grp);
    }
}

static const gql_input_value_def_t *find_input(const apr_array_header_t *a,
                                               const char *name)
{
    int i;

    for (i = 0; i < a->nelts; i++) {
        const gql_input_value_def_t *iv = GQL_AST_ITEM(a, i,
                                                       gql_input_value_def_t);

        if (strcmp(iv->name.value, name) == 0) {
            return iv;
        }
    }
    return NULL;
}

static int has_location(const gql_definition_t *d, const char *where)
{
    int i;

    for (i = 0; i < d->locations->nelts; i++) {
        if (strcmp(GQL_AST_ITEM(d->locations, i, gql_name_t)->value,
                   where) == 0) {
            return 1;
        }
    }
    return 0;
}

/* The arguments of one applied directive against its definition. */
static void check_directive_args(gql_build_t *c, const char *src,
                                 const gql_directive_t *d,
                                 const gql_definition_t *def)
{
    apr_array_header_t *names = apr_array_make(c->tp, 4, sizeof(void *));
    apr_array_header_t *known = NULL, *g;
    int i;

    for (i = 0; i < d->arguments->nelts; i++) {
        const gql_argument_t *a = GQL_AST_ITEM(d->arguments, i,
                                               gql_argument_t);

        APR_ARRAY_PUSH(names, const gql_name_t *) = &a->name;
        unique_object_fields(c, src, a->value, 0);
        if (def == NULL || find_input(def->arguments, a->name.value)) {
            continue;
        }
        if (known == NULL) {
            int j;

            known = apr_array_make(c->tp, 4, sizeof(const char *));
            for (j = 0; j < def->arguments->nelts; j++) {
                APR_ARRAY_PUSH(known, const char *) = GQL_AST_ITEM(
                    def->arguments, j, gql_input_value_def_t)->name.value;
            }
        }
        fail(c, src, &a->loc, "Unknown argument \"%s\" on directive "
             "\"@%s\".%s", a->name.value, d->name.value,
             gql_print_suggest(c->tp, NULL, a->name.value, known));
    }
    g = dups(c, names);
    for (i = 0; i < g->nelts; i++) {
        apr_array_header_t *grp = APR_ARRAY_IDX(g, i, apr_array_header_t *);
        const gql_name_t *n = APR_ARRAY_IDX(grp, 0, const gql_name_t *);

        add_locs(c, fail(c, src, &n->loc, "There can be only one argument "
                         "named \"%s\".", n->value), grp);
    }
    if (def == NULL) {
        return;
    }
    for (i = 0; i < def->arguments->nelts; i++) {
        const gql_input_value_def_t *iv = GQL_AST_ITEM(def->arguments, i,
                                                       gql_input_value_def_t);
        int j, given = 0;

        if (iv->type->kind != GQL_TYPE_NON_NULL || iv->default_value) {
            continue;
        }
        for (j = 0; j < d->arguments->nelts && !given; j++) {
            given = !strcmp(GQL_AST_ITEM(d->arguments, j,
                                         gql_argument_t)->name.value,
                            iv->name.value);
        }
        if (!given) {
            fail(c, src, &d->loc, "Directive \"@%s\" argument \"%s\" of type "
                 "\"%s\" is required, but it was not provided.",
                 d->name.value, iv->name.value,
                 gql_print_ast_type(c->tp, iv->type));
        }
    }
}

/* KnownDirectives, UniqueDirectivesPerLocation and the argument rules for
 * the directives applied at one place.  seen is shared by a type and its
 * extensions (and by the schema and its extensions), else NULL. */
static void check_applied(gql_build_t *c, const char *src,
                          const apr_array_header_t *dirs, const char *where,
                          apr_hash_t *seen)
{
    int i;

    if (dirs == NULL || dirs->nelts == 0) {
        return;
    }
    if (seen == NULL) {
        seen = apr_hash_make(c->tp);
    }
    for (i = 0; i < dirs->nelts; i++) {
        const gql_directive_t *d = GQL_AST_ITEM(dirs, i, gql_directive_t);
        const gql_item_t *it = hget(c->dirs, d->name.value);
        const gql_directive_t *first;

        if (it == NULL) {
            fail(c, src, &d->loc, "Unknown directive \"@%s\".",
                 d->name.value);
            check_directive_args(c, src, d, NULL);
            continue;
        }
        if (!has_location(it->def, where)) {
            fail(c, src, &d->loc, "Directive \"@%s\" may not be used on %s.",
                 d->name.value, where);
        }
        if (!it->def->repeatable) {
            first = apr_hash_get(seen, d->name.value, APR_HASH_KEY_STRING);
            if (first) {
                gql_error_add_loc(c->p, fail(c, src, &first->loc,
                                             "The directive \"@%s\" can only "
                                             "be used once at this location.",
                                             d->name.value), &d->loc);
            }
            else {
                apr_hash_set(seen, d->name.value, APR_HASH_KEY_STRING, d);
            }
        }
        check_directive_args(c, src, d, it->def);
    }
}

static void unknown_type(gql_build_t *c, const char *src, const gql_name_t *n)
{
    if (hget(c->btypes, n->value) || hget(c->deftypes, n->value)) {
        return;
    }
    fail(c, src, &n->loc, "Unknown type \"%s\".%s", n->value,
         gql_print_suggest(c->tp, NULL, n->value, c->knownnames));
}

static const gql_name_t *named_of(const gql_type_ref_t *t)
{
    while (t->kind != GQL_TYPE_NAMED) {
        t = t->of_type;
    }
    return &t->name;
}

/* Arguments or input fields: their types, directives and defaults. */
static void check_input_defs(gql_build_t *c, const char *src,
                             const apr_array_header_t *ivs,
                             const char *where)
{
    int i;

    for (i = 0; i < ivs->nelts; i++) {
        const gql_input_value_def_t *iv = GQL_AST_ITEM(ivs, i,
                                                       gql_input_value_def_t);

        unknown_type(c, src, named_of(iv->type));
        unique_object_fields(c, src, iv->default_value, 0);
        check_applied(c, src, iv->directives, where, NULL);
    }
}

static void unique_args(gql_build_t *c, const char *src, const char *parent,
                        const apr_array_header_t *args)
{
    apr_array_header_t *g = dups(c, input_names(c, args));
    int i;

    for (i = 0; i < g->nelts; i++) {
        apr_array_header_t *grp = APR_ARRAY_IDX(g, i, apr_array_header_t *);
        const gql_name_t *n = APR_ARRAY_IDX(grp, 0, const gql_name_t *);

        add_locs(c, fail(c, src, &n->loc, "Argument \"%s(%s:)\" can only be "
                         "defined once.", parent, n->value), grp);
    }
}

/* The first place a name was seen, for the uniqueness rules. */
typedef struct seen_t {
    const char *src;
    const gql_loc_t *loc;
} seen_t;

static void seen(gql_build_t *c, apr_hash_t *h, const char *key,
                 const char *src, const gql_loc_t *loc)
{
    seen_t *s = apr_palloc(c->tp, sizeof(*s));

    s->src = src;
    s->loc = loc;
    apr_hash_set(h, key, APR_HASH_KEY_STRING, s);
}

/* UniqueFieldDefinitionNames and UniqueEnumValueNames look across a type
 * and its extensions: fnames maps "Type.name" to the first name node. */
static void unique_member(gql_build_t *c, apr_hash_t *fnames, const char *src,
                          const char *type, const gql_name_t *n,
                          const char *what)
{
    const char *key = apr_pstrcat(c->tp, type, ".", n->value, NULL);
    const seen_t *first = apr_hash_get(fnames, key, APR_HASH_KEY_STRING);

    if (first == NULL) {
        seen(c, fnames, key, src, &n->loc);
        return;
    }
    gql_error_add_loc(c->p, fail(c, first->src, first->loc,
                                 "%s \"%s\" can only be defined once.",
                                 what, key), &n->loc);
}

static void check_fields(gql_build_t *c, apr_hash_t *fnames,
                         const gql_item_t *it)
{
    const gql_definition_t *d = it->def;
    int i;

    for (i = 0; i < d->fields->nelts; i++) {
        const gql_field_def_t *f = GQL_AST_ITEM(d->fields, i,
                                                gql_field_def_t);

        unique_member(c, fnames, it->src, d->name.value, &f->name, "Field");
        unique_args(c, it->src, apr_pstrcat(c->tp, d->name.value, ".",
                                            f->name.value, NULL),
                    f->arguments);
        unknown_type(c, it->src, named_of(f->type));
        check_applied(c, it->src, f->directives, "FIELD_DEFINITION", NULL);
        check_input_defs(c, it->src, f->arguments, "ARGUMENT_DEFINITION");
    }
    for (i = 0; i < d->interfaces->nelts; i++) {
        unknown_type(c, it->src, GQL_AST_ITEM(d->interfaces, i, gql_name_t));
    }
}

static void check_extension(gql_build_t *c, const gql_item_t *it)
{
    const gql_definition_t *d = it->def;
    const gql_item_t *def = hget(c->deftypes, d->name.value);

    if (def == NULL) {
        def = hget(c->btypes, d->name.value);
        if (def && def->def->kind != d->kind) {
            fail(c, it->src, &d->loc, "Cannot extend non-%s type \"%s\".",
                 ext_kind_names[d->kind], d->name.value);
        }
    }
    else if (def->def->kind != d->kind) {
        gql_error_add_loc(c->p, fail(c, def->src, &def->def->loc,
                                     "Cannot extend non-%s type \"%s\".",
                                     ext_kind_names[d->kind], d->name.value),
                          &d->loc);
    }
    if (def) {
        return;
    }
    /* knownnames holds the built-in names and the defined ones */
    fail(c, it->src, &d->name.loc, "Cannot extend type \"%s\" because it is "
         "not defined.%s", d->name.value,
         gql_print_suggest(c->tp, NULL, d->name.value, c->knownnames));
}

static void check_schema_def(gql_build_t *c, const gql_item_t *it,
                             apr_hash_t *ops, int *nschema)
{
    const gql_definition_t *d = it->def;
    int i;

    if (!d->is_extension && (*nschema)++ > 0) {
        fail(c, it->src, &d->loc, "Must provide only one schema definition.");
    }
    for (i = 0; i < d->operation_types->nelts; i++) {
        const gql_operation_type_def_t *o = GQL_AST_ITEM(
            d->operation_types, i, gql_operation_type_def_t);
        const char *op = gql_operation_names[o->operation];
        const seen_t *first = apr_hash_get(ops, op, APR_HASH_KEY_STRING);

        unknown_type(c, it->src, &o->type);
        if (first) {
            gql_error_add_loc(c->p, fail(c, first->src, first->loc,
                                         "There can be only one %s type in "
                                         "schema.", op), &o->loc);
        }
        else {
            seen(c, ops, op, it->src, &o->loc);
        }
    }
    check_applied(c, it->src, d->directives, "SCHEMA", c->schemadirs);
}

/* UniqueTypeNames and UniqueDirectiveNames: the built-ins are the schema
 * that the documents extend. */
static void check_unique_def(gql_build_t *c, const gql_item_t *it,
                             apr_hash_t *firsts)
{
    const gql_definition_t *d = it->def;
    int dir = d->kind == GQL_DEF_DIRECTIVE;
    const char *key = apr_pstrcat(c->tp, dir ? "@" : "", d->name.value,
                                  NULL);
    const gql_item_t *first;

    if (dir && hget(c->bdirs, d->name.value)) {
        fail(c, it->src, &d->name.loc, "Directive \"@%s\" already exists in "
             "the schema. It cannot be redefined.", d->name.value);
        return;
    }
    if (!dir && hget(c->btypes, d->name.value)) {
        fail(c, it->src, &d->name.loc, "Type \"%s\" already exists in the "
             "schema. It cannot also be defined in this type definition.",
             d->name.value);
        return;
    }
    first = hget(firsts, key);
    if (first == NULL) {
        apr_hash_set(firsts, key, APR_HASH_KEY_STRING, it);
        return;
    }
    gql_error_add_loc(c->p, fail(c, first->src, &first->def->name.loc,
                                 dir ? "There can be only one directive "
                                 "named \"%s\"." : "There can be only one "
                                 "type named \"%s\".", key), &d->name.loc);
}

static apr_hash_t *type_seen(gql_build_t *c, const char *name)
{
    apr_hash_t *h = apr_hash_get(c->typedirs, name, APR_HASH_KEY_STRING);

    if (h == NULL) {
        h = apr_hash_make(c->tp);
        apr_hash_set(c->typedirs, name, APR_HASH_KEY_STRING, h);
    }
    return h;
}

static void check_enum_def(gql_build_t *c, apr_hash_t *vnames,
                           const gql_item_t *it)
{
    const gql_definition_t *d = it->def;
    int i;

    for (i = 0; i < d->values->nelts; i++) {
        const gql_enum_value_def_t *v = GQL_AST_ITEM(d->values, i,
                                                     gql_enum_value_def_t);
        const char *n = v->name.value;

        /* the parser should refuse these already; the spec forbids them */
        if (!strcmp(n, "true") || !strcmp(n, "false") || !strcmp(n, "null")) {
            fail(c, it->src, &v->name.loc, "Enum type %s cannot include "
                 "value: %s.", d->name.value, n);
        }
        unique_member(c, vnames, it->src, d->name.value, &v->name,
                      "Enum value");
        check_applied(c, it->src, v->directives, "ENUM_VALUE", NULL);
    }
}

static void check_type_def(gql_build_t *c, const gql_item_t *it,
                           apr_hash_t *firsts, apr_hash_t *fnames,
                           apr_hash_t *vnames)
{
    const gql_definition_t *d = it->def;
    int i;

    if (d->is_extension) {
        check_extension(c, it);
    }
    else {
        check_unique_def(c, it, firsts);
    }
    check_applied(c, it->src, d->directives, def_locations[d->kind],
                  type_seen(c, d->name.value));
    switch (d->kind) {
    case GQL_DEF_OBJECT:
    case GQL_DEF_INTERFACE:
        check_fields(c, fnames, it);
        break;
    case GQL_DEF_UNION:
        for (i = 0; i < d->members->nelts; i++) {
            unknown_type(c, it->src, GQL_AST_ITEM(d->members, i, gql_name_t));
        }
        break;
    case GQL_DEF_ENUM:
        check_enum_def(c, vnames, it);
        break;
    case GQL_DEF_INPUT_OBJECT:
        for (i = 0; i < d->input_fields->nelts; i++) {
            unique_member(c, fnames, it->src, d->name.value,
                          &GQL_AST_ITEM(d->input_fields, i,
                                        gql_input_value_def_t)->name,
                          "Field");
        }
        check_input_defs(c, it->src, d->input_fields,
                         "INPUT_FIELD_DEFINITION");
        break;
    default:
        break;
    }
}

void gql_schema_check_sdl(gql_build_t *c)
{
    apr_hash_t *firsts = apr_hash_make(c->tp);
    apr_hash_t *fnames = apr_hash_make(c->tp);
    apr_hash_t *vnames = apr_hash_make(c->tp);
    apr_hash_t *ops = apr_hash_make(c->tp);
    int i, nschema = 0;

    for (i = 0; i < c->items->nelts; i++) {
        const gql_item_t *it = APR_ARRAY_IDX(c->items, i, const gql_item_t *);
        const gql_definition_t *d = it->def;

        if (d->kind == GQL_DEF_SCHEMA) {
            check_schema_def(c, it, ops, &nschema);
        }
        else if (d->kind == GQL_DEF_DIRECTIVE) {
            check_unique_def(c, it, firsts);
            unique_args(c, it->src, apr_pstrcat(c->tp, "@", d->name.value,
                                                NULL), d->arguments);
            check_input_defs(c, it->src, d->arguments,
                             "ARGUMENT_DEFINITION");
        }
        else {
            check_type_def(c, it, firsts, fnames, vnames);
        }
    }
}

/* Only type-system definitions and extensions belong in a schema. */
/* ---- Phase 2: the type-system rules ---- */

static int is_input(const gql_tref_t *t)
{
    const gql_type_t *n = gql_schema_named(t);

    return n && (n->kind == GQL_KIND_SCALAR || n->kind == GQL_KIND_ENUM
                 || n->kind == GQL_KIND_INPUT_OBJECT);
}

static int is_output(const gql_tref_t *t)
{
    const gql_type_t *n = gql_schema_named(t);

    return n && n->kind != GQL_KIND_INPUT_OBJECT;
}

static const char *tstr(gql_build_t *c, const gql_tref_t *t)
{
    return gql_print_type(c->tp, t);
}

static int required(const gql_input_value_t *v)
{
    return v->type->kind == GQL_TYPE_NON_NULL && v->default_value == NULL;
}

static int equal_type(const gql_tref_t *a, const gql_tref_t *b)
{
    while (a->kind == b->kind && a->kind != GQL_TYPE_NAMED) {
        a = a->of_type;
        b = b->of_type;
    }
    return a->kind == b->kind && a->named == b->named;
}

static int has_iface(const gql_type_t *t, const gql_type_t *iface)
{
    int i;

    for (i = 0; i < t->interfaces->nelts; i++) {
        if (APR_ARRAY_IDX(t->interfaces, i, const gql_type_t *) == iface) {
            return 1;
        }
    }
    return 0;
}

/* Covariance of a field's type with its interface field's type. */
static int subtype(const gql_tref_t *sub, const gql_tref_t *sup)
{
    while (sub->kind != GQL_TYPE_NAMED || sup->kind != GQL_TYPE_NAMED) {
        if (sup->kind == GQL_TYPE_NON_NULL) {
            if (sub->kind != GQL_TYPE_NON_NULL) {
                return 0;
            }
            sub = sub->of_type;
            sup = sup->of_type;
        }
        else if (sub->kind == GQL_TYPE_NON_NULL) {
            sub = sub->of_type;
        }
        else if (sup->kind == GQL_TYPE_LIST) {
            if (sub->kind != GQL_TYPE_LIST) {
                return 0;
            }
            sub = sub->of_type;
            sup = sup->of_type;
        }
        else {
            return 0;
        }
    }
    if (sub->named == sup->named) {
        return 1;
    }
    if (sup->named->kind == GQL_KIND_UNION) {
        int i;

        for (i = 0; i < sup->named->possible_types->nelts; i++) {
            if (APR_ARRAY_IDX(sup->named->possible_types, i,
                              const gql_type_t *) == sub->named) {
                return 1;
            }
        }
        return 0;
    }
    return sup->named->kind == GQL_KIND_INTERFACE
           && (sub->named->kind == GQL_KIND_OBJECT
               || sub->named->kind == GQL_KIND_INTERFACE)
           && has_iface(sub->named, sup->named);
}

static gql_tinfo_t *info(gql_build_t *c, const gql_type_t *t)
{
    return apr_hash_get(c->tinfo, t->name, APR_HASH_KEY_STRING);
}

/* The first node naming `name` among a type's interfaces (or a union's
 * members) over its definition and extensions; *src gets its file. */
static const gql_loc_t *name_node(gql_build_t *c, const gql_type_t *t,
                                  const char *name, int members,
                                  const char **src)
{
    const gql_tinfo_t *ti = info(c, t);
    int i, j;

    for (i = 0; ti && i < ti->nodes->nelts; i++) {
        const gql_item_t *it = APR_ARRAY_IDX(ti->nodes, i, const gql_item_t *);
        const apr_array_header_t *a = members ? it->def->members
                                              : it->def->interfaces;

        for (j = 0; j < a->nelts; j++) {
            const gql_name_t *n = GQL_AST_ITEM(a, j, gql_name_t);

            if (strcmp(n->value, name) == 0) {
                *src = it->src;
                return &n->loc;
            }
        }
    }
    *src = t->source;
    return &t->loc;
}

static const gql_loc_t *dep_loc(const apr_array_header_t *dirs)
{
    const gql_directive_t *d = gql_schema_find_dir(dirs, "deprecated");

    return d ? &d->loc : NULL;
}

static void validate_args(gql_build_t *c, const char *parent,
                          const apr_array_header_t *args)
{
    int i;

    for (i = 0; i < args->nelts; i++) {
        const gql_input_value_t *a = APR_ARRAY_IDX(args, i,
                                                   const gql_input_value_t *);

        check_name(c, a->source, a->name, &a->loc);
        if (!is_input(a->type)) {
            fail(c, a->source, *parent == '@' ? &a->loc : &a->ast->type->loc,
                 "The type of %s(%s:) must be Input Type but got: %s.",
                 parent, a->name, tstr(c, a->type));
        }
        if (required(a) && a->deprecation_reason) {
            fail(c, a->source, dep_loc(a->directives), "Required argument "
                 "%s(%s:) cannot be deprecated.", parent, a->name);
        }
    }
}

static void validate_fields(gql_build_t *c, const gql_type_t *t)
{
    int i;

    if (t->fields->nelts == 0) {
        fail(c, t->source, &t->loc, "Type %s must define one or more fields.",
             t->name);
    }
    for (i = 0; i < t->fields->nelts; i++) {
        const gql_field_t *f = APR_ARRAY_IDX(t->fields, i,
                                             const gql_field_t *);

        check_name(c, f->source, f->name, &f->loc);
        if (!is_output(f->type)) {
            fail(c, f->source, &f->ast->type->loc, "The type of %s.%s must be "
                 "Output Type but got: %s.", t->name, f->name,
                 tstr(c, f->type));
        }
        validate_args(c, apr_pstrcat(c->tp, t->name, ".", f->name, NULL),
                      f->arguments);
    }
}

static const gql_input_value_t *find_arg(const apr_array_header_t *args,
                                         const char *name)
{
    int i;

    for (i = 0; i < args->nelts; i++) {
        const gql_input_value_t *a = APR_ARRAY_IDX(args, i,
                                                   const gql_input_value_t *);

        if (strcmp(a->name, name) == 0) {
            return a;
        }
    }
    return NULL;
}

static void implements_field(gql_build_t *c, const gql_type_t *t,
                             const gql_type_t *iface,
                             const gql_field_t *ifield)
{
    const gql_field_t *f = gql_type_field(t, ifield->name);
    const char *fn = ifield->name;
    int i;

    if (f == NULL) {
        fail(c, ifield->source, &ifield->loc, "Interface field %s.%s expected "
             "but %s does not provide it.", iface->name, fn, t->name);
        return;
    }
    if (!subtype(f->type, ifield->type)) {
        fail(c, ifield->source, &ifield->ast->type->loc, "Interface field "
             "%s.%s expects type %s but %s.%s is type %s.", iface->name, fn,
             tstr(c, ifield->type), t->name, fn, tstr(c, f->type));
    }
    for (i = 0; i < ifield->arguments->nelts; i++) {
        const gql_input_value_t *ia = APR_ARRAY_IDX(ifield->arguments, i,
                                                    const gql_input_value_t *);
        const gql_input_value_t *a = find_arg(f->arguments, ia->name);

        if (a == NULL) {
            fail(c, ia->source, &ia->loc, "Interface field argument "
                 "%s.%s(%s:) expected but %s.%s does not provide it.",
                 iface->name, fn, ia->name, t->name, fn);
        }
        else if (!equal_type(ia->type, a->type)) {
            fail(c, ia->source, &ia->ast->type->loc, "Interface field "
                 "argument %s.%s(%s:) expects type %s but %s.%s(%s:) is type "
                 "%s.", iface->name, fn, ia->name, tstr(c, ia->type),
                 t->name, fn, a->name, tstr(c, a->type));
        }
    }
    for (i = 0; i < f->arguments->nelts; i++) {
        const gql_input_value_t *a = APR_ARRAY_IDX(f->arguments, i,
                                                   const gql_input_value_t *);

        if (required(a) && find_arg(ifield->arguments, a->name) == NULL) {
            fail(c, a->source, &a->loc, "Object field %s.%s includes required "
                 "argument %s that is missing from the Interface field "
                 "%s.%s.", t->name, fn, a->name, iface->name, fn);
        }
    }
}

static void implements_ancestors(gql_build_t *c, const gql_type_t *t,
                                 const gql_type_t *iface)
{
    int i;

    for (i = 0; i < iface->interfaces->nelts; i++) {
        const gql_type_t *tr = APR_ARRAY_IDX(iface->interfaces, i,
                                             const gql_type_t *);
        const char *src;
        const gql_loc_t *loc;

        if (has_iface(t, tr)) {
            continue;
        }
        loc = name_node(c, iface, tr->name, 0, &src);
        if (tr == t) {
            fail(c, src, loc, "Type %s cannot implement %s because it would "
                 "create a circular reference.", t->name, iface->name);
        }
        else {
            fail(c, src, loc, "Type %s must implement %s because it is "
                 "implemented by %s.", t->name, tr->name, iface->name);
        }
    }
}

static void validate_interfaces(gql_build_t *c, const gql_type_t *t)
{
    apr_hash_t *done = apr_hash_make(c->tp);
    int i, j;

    for (i = 0; i < t->interfaces->nelts; i++) {
        const gql_type_t *iface = APR_ARRAY_IDX(t->interfaces, i,
                                                const gql_type_t *);
        const char *src;
        const gql_loc_t *loc = name_node(c, t, iface->name, 0, &src);

        if (iface->kind != GQL_KIND_INTERFACE) {
            fail(c, src, loc, "Type %s must only implement Interface types, "
                 "it cannot implement %s.", t->name, iface->name);
            continue;
        }
        if (iface == t) {
            fail(c, src, loc, "Type %s cannot implement itself because it "
                 "would create a circular reference.", t->name);
            continue;
        }
        if (apr_hash_get(done, iface->name, APR_HASH_KEY_STRING)) {
            fail(c, src, loc, "Type %s can only implement %s once.", t->name,
                 iface->name);
            continue;
        }
        apr_hash_set(done, iface->name, APR_HASH_KEY_STRING, iface);
        implements_ancestors(c, t, iface);
        for (j = 0; j < iface->fields->nelts; j++) {
            implements_field(c, t, iface, APR_ARRAY_IDX(iface->fields, j,
                                                        const gql_field_t *));
        }
    }
}

static void validate_union(gql_build_t *c, const gql_type_t *t)
{
    apr_hash_t *done = apr_hash_make(c->tp);
    int i;

    if (t->possible_types->nelts == 0) {
        fail(c, t->source, &t->loc, "Union type %s must define one or more "
             "member types.", t->name);
    }
    for (i = 0; i < t->possible_types->nelts; i++) {
        const gql_type_t *m = APR_ARRAY_IDX(t->possible_types, i,
                                            const gql_type_t *);
        const char *src;
        const gql_loc_t *loc = name_node(c, t, m->name, 1, &src);

        if (apr_hash_get(done, m->name, APR_HASH_KEY_STRING)) {
            fail(c, src, loc, "Union type %s can only include type %s once.",
                 t->name, m->name);
            continue;
        }
        apr_hash_set(done, m->name, APR_HASH_KEY_STRING, m);
        if (m->kind != GQL_KIND_OBJECT) {
            fail(c, src, loc, "Union type %s can only include Object types, "
                 "it cannot include %s.", t->name, m->name);
        }
    }
}

static void validate_enum(gql_build_t *c, const gql_type_t *t)
{
    int i;

    if (t->enum_values->nelts == 0) {
        fail(c, t->source, &t->loc, "Enum type %s must define one or more "
             "values.", t->name);
    }
    for (i = 0; i < t->enum_values->nelts; i++) {
        const gql_enum_value_t *v = APR_ARRAY_IDX(t->enum_values, i,
                                                  const gql_enum_value_t *);

        check_name(c, v->source, v->name, &v->loc);
    }
}

static void validate_input(gql_build_t *c, const gql_type_t *t)
{
    int i;

    if (t->input_fields->nelts == 0) {
        fail(c, t->source, &t->loc, "Input Object type %s must define one or "
             "more fields.", t->name);
    }
    for (i = 0; i < t->input_fields->nelts; i++) {
        const gql_input_value_t *f = APR_ARRAY_IDX(t->input_fields, i,
                                                   const gql_input_value_t *);

        check_name(c, f->source, f->name, &f->loc);
        if (!is_input(f->type)) {
            fail(c, f->source, &f->ast->type->loc, "The type of %s.%s must be "
                 "Input Type but got: %s.", t->name, f->name,
                 tstr(c, f->type));
        }
        if (required(f) && f->deprecation_reason) {
            fail(c, f->source, dep_loc(f->directives), "Required input field "
                 "%s.%s cannot be deprecated.", t->name, f->name);
        }
        if (t->one_of && f->type->kind == GQL_TYPE_NON_NULL) {
            fail(c, f->source, &f->ast->type->loc, "OneOf input field %s.%s "
                 "must be nullable.", t->name, f->name);
        }
        if (t->one_of && f->default_value) {
            fail(c, f->source, &f->loc, "OneOf input field %s.%s cannot have "
                 "a default value.", t->name, f->name);
        }
    }
}

/* Input objects that cannot be given a finite value: a cycle of non-null
 * fields.  A depth-first search over each type once, as graphql-js does,
 * so that every cycle is reported once.  Depth is bounded by the number
 * of input types and, to keep the C stack safe, by GQL_MAX_DEPTH. */
typedef struct cycles_t {
    apr_hash_t *visited;
    apr_hash_t *onpath;         /* type name -> index in path + 1 */
    apr_array_header_t *path;   /* const gql_input_value_t * */
} cycles_t;

static void cycles(gql_build_t *c, cycles_t *cy, const gql_type_t *t)
{
    int i;

    if (apr_hash_get(cy->visited, t->name, APR_HASH_KEY_STRING)
        || cy->path->nelts > GQL_MAX_DEPTH) {
        return;
    }
    apr_hash_set(cy->visited, t->name, APR_HASH_KEY_STRING, t);
    apr_hash_set(cy->onpath, t->name, APR_HASH_KEY_STRING,
                 (void *)(apr_uintptr_t)(cy->path->nelts + 1));
    for (i = 0; i < t->input_fields->nelts; i++) {
        const gql_input_value_t *f = APR_ARRAY_IDX(t->input_fields, i,
                                                   const gql_input_value_t *);
        const gql_type_t *ft;
        apr_uintptr_t at;

        if (f->type->kind != GQL_TYPE_NON_NULL
            || f->type->of_type->kind != GQL_TYPE_NAMED
            || f->type->of_type->named->kind != GQL_KIND_INPUT_OBJECT) {
            continue;
        }
        ft = f->type->of_type->named;
        at = (apr_uintptr_t)apr_hash_get(cy->onpath, ft->name,
                                         APR_HASH_KEY_STRING);
        APR_ARRAY_PUSH(cy->path, const gql_input_value_t *) = f;
        if (at == 0) {
            cycles(c, cy, ft);
        }
        else {
            const char *names = "";
            int j;

            for (j = (int)at - 1; j < cy->path->nelts; j++) {
                names = apr_pstrcat(c->tp, names, j >= (int)at ? "." : "",
                                    APR_ARRAY_IDX(cy->path, j,
                                        const gql_input_value_t *)->name,
                                    NULL);
            }
            f = APR_ARRAY_IDX(cy->path, at - 1, const gql_input_value_t *);
            fail(c, f->source, &f->loc, "Cannot reference Input Object \"%s\" "
                 "within itself through a series of non-null fields: "
                 "\"%s\".", ft->name, names);
        }
        cy->path->nelts--;
    }
    apr_hash_set(cy->onpath, t->name, APR_HASH_KEY_STRING, NULL);
}

static void validate_roots(gql_build_t *c)
{
    static const char *const what[] = {
        "Query root type must be Object type",
        "Mutation root type must be Object type if provided",
        "Subscription root type must be Object type if provided"
    };
    const gql_type_t *roots[3];
    int i, j;

    roots[0] = c->s->query;
    roots[1] = c->s->mutation;
    roots[2] = c->s->subscription;
    if (roots[0] == NULL) {
        fail(c, c->schemadef ? c->schemadef->src : NULL,
             c->schemadef ? &c->schemadef->def->loc : NULL,
             "Query root type must be provided.");
    }
    for (i = 0; i < 3; i++) {
        const char *src = c->opnode[i] ? c->opsrc[i] : NULL;
        const gql_loc_t *loc = c->opnode[i] ? &c->opnode[i]->loc : NULL;

        if (roots[i] == NULL) {
            continue;
        }
        if (loc == NULL) {
            src = roots[i]->source;
            loc = &roots[i]->loc;
        }
        if (roots[i]->kind != GQL_KIND_OBJECT) {
            fail(c, src, loc, "%s, it cannot be %s.", what[i],
                 roots[i]->name);
        }
        /* the specification (not graphql-js 16) wants them distinct */
        for (j = 0; j < i; j++) {
            if (roots[j] == roots[i]) {
                fail(c, src, loc, "All root types must be different, \"%s\" "
                     "type is used as %s and %s root types.", roots[i]->name,
                     gql_operation_names[j], gql_operation_names[i]);
            }
        }
    }
}

/* The types a directive's arguments use, and the directives applied there
 * and on those types: the spec forbids a directive to reach itself. */
static int reaches(gql_build_t *c, apr_hash_t *seen,
                   const gql_directive_def_t *to,
                   const apr_array_header_t *dirs, int depth);

static int reaches_type(gql_build_t *c, apr_hash_t *seen,
                        const gql_directive_def_t *to, const gql_type_t *t,
                        int depth)
{
    int i;

    if (t == NULL || t->builtin || depth > GQL_MAX_DEPTH
        || apr_hash_get(seen, t->name, APR_HASH_KEY_STRING)) {
        return 0;
    }
    apr_hash_set(seen, t->name, APR_HASH_KEY_STRING, t);
    if (reaches(c, seen, to, t->directives, depth)) {
        return 1;
    }
    for (i = 0; i < t->enum_values->nelts; i++) {
        if (reaches(c, seen, to, APR_ARRAY_IDX(t->enum_values, i,
                                    const gql_enum_value_t *)->directives,
                    depth)) {
            return 1;
        }
    }
    for (i = 0; i < t->input_fields->nelts; i++) {
        const gql_input_value_t *f = APR_ARRAY_IDX(t->input_fields, i,
                                                   const gql_input_value_t *);

        if (reaches(c, seen, to, f->directives, depth)
            || reaches_type(c, seen, to, gql_schema_named(f->type),
                            depth + 1)) {
            return 1;
        }
    }
    return 0;
}

static int reaches_dir(gql_build_t *c, apr_hash_t *seen,
                       const gql_directive_def_t *to,
                       const gql_directive_def_t *d, int depth)
{
    const char *key = apr_pstrcat(c->tp, "@", d->name, NULL);
    int i;

    if (d->builtin || depth > GQL_MAX_DEPTH
        || apr_hash_get(seen, key, APR_HASH_KEY_STRING)) {
        return 0;
    }
    apr_hash_set(seen, key, APR_HASH_KEY_STRING, d);
    for (i = 0; i < d->arguments->nelts; i++) {
        const gql_input_value_t *a = APR_ARRAY_IDX(d->arguments, i,
                                                   const gql_input_value_t *);

        if (reaches(c, seen, to, a->directives, depth)
            || reaches_type(c, seen, to, gql_schema_named(a->type),
                            depth + 1)) {
            return 1;
        }
    }
    return 0;
}

static int reaches(gql_build_t *c, apr_hash_t *seen,
                   const gql_directive_def_t *to,
                   const apr_array_header_t *dirs, int depth)
{
    int i;

    for (i = 0; dirs && i < dirs->nelts; i++) {
        const gql_directive_def_t *d = gql_schema_directive(c->s,
            GQL_AST_ITEM(dirs, i, gql_directive_t)->name.value);

        if (d == to || (d && reaches_dir(c, seen, to, d, depth + 1))) {
            return 1;
        }
    }
    return 0;
}

static void validate_directives(gql_build_t *c)
{
    int i;

    for (i = 0; i < c->s->directives->nelts; i++) {
        const gql_directive_def_t *d;
        const char *src;

        d = APR_ARRAY_IDX(c->s->directives, i, const gql_directive_def_t *);
        src = d->source;

        if (d->builtin) {
            continue;
        }
        check_name(c, src, d->name, &d->loc);
        validate_args(c, apr_pstrcat(c->tp, "@", d->name, NULL),
                      d->arguments);
        if (reaches_dir(c, apr_hash_make(c->tp), d, d, 0)) {
            fail(c, src, &d->loc, "Directive \"@%s\" cannot reference "
                 "itself.", d->name);
        }
    }
}

static void validate_types(gql_build_t *c)
{
    cycles_t cy;
    int i;

    cy.visited = apr_hash_make(c->tp);
    cy.onpath = apr_hash_make(c->tp);
    cy.path = apr_array_make(c->tp, 8, sizeof(gql_input_value_t *));
    for (i = 0; i < c->s->types->nelts; i++) {
        const gql_type_t *t = APR_ARRAY_IDX(c->s->types, i,
                                            const gql_type_t *);

        if (t->builtin) {
            continue;
        }
        check_name(c, t->source, t->name, &t->loc);
        switch (t->kind) {
        case GQL_KIND_OBJECT:
        case GQL_KIND_INTERFACE:
            validate_fields(c, t);
            validate_interfaces(c, t);
            break;
        case GQL_KIND_UNION:
            validate_union(c, t);
            break;
        case GQL_KIND_ENUM:
            validate_enum(c, t);
            break;
        case GQL_KIND_INPUT_OBJECT:
            validate_input(c, t);
            cycles(c, &cy, t);
            break;
        default:
            break;
        }
    }
}

/* ---- Phase 2: values of defaults and of applied directive arguments ----
 *
 * graphql-js leaves defaults and directive arguments in SDL unchecked; the
 * specification wants them valid.  The messages are those graphql-js's
 * ValuesOfCorrectType rule gives for the same literal in a query. */

static void check_value(gql_build_t *c, const char *src, const gql_value_t *v,
                        const gql_tref_t *t, const char *where, int depth);

static const gql_input_value_t *find_input_value(const gql_type_t *t,
                                                 const char *name)
{
    return find_arg(t->input_fields, name);
}

static void check_object(gql_build_t *c, const char *src, const gql_value_t *v,
                         const gql_type_t *t, int depth)
{
    apr_array_header_t *names = NULL;
    const gql_object_field_t *only = NULL;
    int i;

    for (i = 0; i < v->fields->nelts; i++) {
        const gql_object_field_t *f = GQL_AST_ITEM(v->fields, i,
                                                   gql_object_field_t);
        const gql_input_value_t *fd = find_input_value(t, f->name.value);
        int j;

        only = f;
        if (fd) {
            check_value(c, src, f->value, fd->type, NULL, depth + 1);
            continue;
        }
        if (names == NULL) {
            names = apr_array_make(c->tp, 4, sizeof(const char *));
            for (j = 0; j < t->input_fields->nelts; j++) {
                APR_ARRAY_PUSH(names, const char *) = APR_ARRAY_IDX(
                    t->input_fields, j, const gql_input_value_t *)->name;
            }
        }
        fail(c, src, &f->loc, "Field \"%s\" is not defined by type \"%s\".%s",
             f->name.value, t->name,
             gql_print_suggest(c->tp, NULL, f->name.value, names));
    }
    for (i = 0; i < t->input_fields->nelts; i++) {
        const gql_input_value_t *fd = APR_ARRAY_IDX(t->input_fields, i,
                                                    const gql_input_value_t *);
        int j, given = 0;

        for (j = 0; j < v->fields->nelts && !given; j++) {
            given = !strcmp(GQL_AST_ITEM(v->fields, j,
                                         gql_object_field_t)->name.value,
                            fd->name);
        }
        if (!given && required(fd)) {
            fail(c, src, &v->loc, "Field \"%s.%s\" of required type \"%s\" "
                 "was not provided.", t->name, fd->name, tstr(c, fd->type));
        }
    }
    if (t->one_of && v->fields->nelts != 1) {
        fail(c, src, &v->loc, "OneOf Input Object \"%s\" must specify exactly "
             "one key.", t->name);
    }
    else if (t->one_of && only->value->kind == GQL_VALUE_NULL) {
        fail(c, src, &v->loc, "Field \"%s.%s\" must be non-null.", t->name,
             only->name.value);
    }
}

/* where: the type at this position as graphql-js names it in messages;
 * a single value given for a list keeps the list's name. */
static void check_value(gql_build_t *c, const char *src, const gql_value_t *v,
                        const gql_tref_t *t, const char *where, int depth)
{
    const gql_tref_t *nt = t->kind == GQL_TYPE_NON_NULL ? t->of_type : t;
    const gql_type_t *n;
    const char *problem;
    int i;

    if (where == NULL) {
        where = tstr(c, t);
    }
    if (depth > GQL_MAX_DEPTH || !is_input(t)) {
        return;
    }
    if (v->kind == GQL_VALUE_NULL) {
        if (t->kind == GQL_TYPE_NON_NULL) {
            fail(c, src, &v->loc, "Expected value of type \"%s\", found null.",
                 where);
        }
        return;
    }
    if (nt->kind == GQL_TYPE_LIST) {
        if (v->kind != GQL_VALUE_LIST) {
            check_value(c, src, v, nt->of_type, where, depth + 1);
            return;
        }
        for (i = 0; i < v->items->nelts; i++) {
            check_value(c, src, GQL_AST_ITEM(v->items, i, gql_value_t),
                        nt->of_type, NULL, depth + 1);
        }
        return;
    }
    n = nt->named;
    if (n->kind == GQL_KIND_INPUT_OBJECT) {
        if (v->kind == GQL_VALUE_OBJECT) {
            check_object(c, src, v, n, depth);
        }
        else {
            fail(c, src, &v->loc, "Expected value of type \"%s\", found %s.",
                 where, gql_print_value(c->tp, v));
        }
        return;
    }
    if ((problem = gql_value_leaf_problem(c->tp, v, n)) != NULL) {
        fail(c, src, &v->loc, "%s", problem);
    }
}

static void check_applied_values(gql_build_t *c, const char *src,
                                 const apr_array_header_t *dirs)
{
    int i, j;

    for (i = 0; dirs && i < dirs->nelts; i++) {
        const gql_directive_t *d = GQL_AST_ITEM(dirs, i, gql_directive_t);
        const gql_directive_def_t *dd = gql_schema_directive(c->s,
                                                             d->name.value);

        for (j = 0; dd && j < d->arguments->nelts; j++) {
            const gql_argument_t *a = GQL_AST_ITEM(d->arguments, j,
                                                   gql_argument_t);
            const gql_input_value_t *ad = find_arg(dd->arguments,
                                                   a->name.value);

            if (ad) {
                check_value(c, src, a->value, ad->type, NULL, 0);
            }
        }
    }
}

static void check_inputs_values(gql_build_t *c, const apr_array_header_t *ivs)
{
    int i;

    for (i = 0; i < ivs->nelts; i++) {
        const gql_input_value_t *iv = APR_ARRAY_IDX(ivs, i,
                                                    const gql_input_value_t *);

        check_applied_values(c, iv->source, iv->directives);
        if (iv->default_value) {
            check_value(c, iv->source, iv->default_value, iv->type, NULL, 0);
        }
    }
}

static void validate_values(gql_build_t *c)
{
    int i, j;

    for (i = 0; i < c->items->nelts; i++) {
        const gql_item_t *it = APR_ARRAY_IDX(c->items, i, const gql_item_t *);

        if (it->def->kind == GQL_DEF_SCHEMA || is_type_def(it->def)) {
            check_applied_values(c, it->src, it->def->directives);
        }
    }
    for (i = 0; i < c->s->directives->nelts; i++) {
        const gql_directive_def_t *d;

        d = APR_ARRAY_IDX(c->s->directives, i, const gql_directive_def_t *);

        if (!d->builtin) {
            check_inputs_values(c, d->arguments);
        }
    }
    for (i = 0; i < c->s->types->nelts; i++) {
        const gql_type_t *t = APR_ARRAY_IDX(c->s->types, i,
                                            const gql_type_t *);

        if (t->builtin) {
            continue;
        }
        for (j = 0; j < t->fields->nelts; j++) {
            const gql_field_t *f = APR_ARRAY_IDX(t->fields, j,
                                                 const gql_field_t *);

            check_applied_values(c, f->source, f->directives);
            check_inputs_values(c, f->arguments);
        }
        for (j = 0; j < t->enum_values->nelts; j++) {
            const gql_enum_value_t *v;

            v = APR_ARRAY_IDX(t->enum_values, j, const gql_enum_value_t *);

            check_applied_values(c, v->source, v->directives);
        }
        check_inputs_values(c, t->input_fields);
    }
}

void gql_schema_check_types(gql_build_t *c)
{
    validate_roots(c);
    validate_directives(c);
    validate_types(c);
    validate_values(c);
}
