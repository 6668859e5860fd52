/* Licensed under the Apache License, Version 2.0 (the "License"); you may
 * not use this file except in compliance with the License.  You may obtain
 * a copy of the License at http://www.apache.org/licenses/LICENSE-2.0
 */

/*
 * gql_validate_ctx.c: what the walk (gql_validate.c) and the rules
 * (gql_validate_defs.c, gql_validate_values.c, gql_validate_overlap.c)
 * share of the validation context: errors under graphql-js's limit,
 * graphql-js's type predicates, and the look-ups of types and fragments.
 *
 * The walk calls the rules and both call these; these call no other file
 * of the stage, so no two files of it call each other.
 */

#include <apr_hash.h>
#include <apr_strings.h>
#include "gql_validate_int.h"
#include "gql_print.h"

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

const char *gql_vname(vctx_t *c, const char *name)
{
    return gql_print_name(c->p, name);
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

/* schema.getType(): graphql-js's schema holds no built-in scalar that
 * nothing references, so such a type is unknown to a document. */
const gql_type_t *gql_vtype(vctx_t *c, const char *name)
{
    const gql_type_t *t = gql_schema_type(c->s, name);

    return t != NULL && t->referenced ? t : NULL;
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
        return gql_vtref(c, gql_vtype(c, a->name.value));
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


/* ---- look-ups */

const gql_definition_t *gql_vfragment(vctx_t *c, const char *name)
{
    return apr_hash_get(c->fragments, name, APR_HASH_KEY_STRING);
}
