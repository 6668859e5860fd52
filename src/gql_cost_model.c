/* Licensed under the Apache License, Version 2.0 (the "License"); you may
 * not use this file except in compliance with the License.  You may obtain
 * a copy of the License at http://www.apache.org/licenses/LICENSE-2.0
 */

/*
 * gql_cost_model.c: the cost model at configuration time.  Declares the
 * cost directives (gql_cost_vocab), checks where a schema applies them
 * (one error per problem, at the directive or its argument) and computes
 * the weight and list size of every field, into a table of the stage's
 * own: the schema is never written.  The introspection types' lists get
 * the sizes the schema gives them (how many types, and on average how
 * many fields a type has, arguments a field has ...), so that a query
 * of every type's fields costs about what the schema holds.
 */

#include <string.h>
#include <apr_strings.h>
#include "gql_cost_int.h"

/* Server-side, never introspected, like the SQL mapping's. */
const gql_schema_vocab_t gql_cost_vocab = {
    "<cost>",
    "directive @cost(weight: Int!)"
    " on FIELD_DEFINITION | OBJECT | SCALAR | ENUM\n"
    "directive @listSize(assumedSize: Int, slicingArguments: [String!],"
    " sizedFields: [String!]) on FIELD_DEFINITION\n"
    "directive @oncePerRequest on FIELD_DEFINITION\n",
    1
};

typedef struct mc_t {
    apr_pool_t *p;
    const gql_schema_t *s;
    gql_cost_statement_fn statement;
    const void *baton;
    apr_array_header_t *errors;
    int nerr;
    apr_hash_t *type_weights;   /* gql_type_t * -> apr_int64_t * */
    gql_cost_model_t *m;
} mc_t;

static void fail(mc_t *c, const char *source, const gql_loc_t *loc,
                 const char *msg)
{
    gql_error_t *e = gql_error_add(c->p, c->errors, loc, "%s", msg);

    e->source = source;
    c->nerr++;
}

/* The applied directive named name, or NULL. */
static const gql_directive_t *applied(const apr_array_header_t *dirs,
                                      const char *name)
{
    int i;

    for (i = 0; dirs != NULL && i < dirs->nelts; i++) {
        const gql_directive_t *d = APR_ARRAY_IDX(dirs, i,
                                                 const gql_directive_t *);

        if (strcmp(d->name.value, name) == 0) {
            return d;
        }
    }
    return NULL;
}

/* The value of d's argument name, or NULL when it is not given. */
static const gql_value_t *given(const gql_directive_t *d, const char *name)
{
    int i;

    for (i = 0; d->arguments != NULL && i < d->arguments->nelts; i++) {
        const gql_argument_t *a = GQL_AST_ITEM(d->arguments, i,
                                               gql_argument_t);

        if (strcmp(a->name.value, name) == 0) {
            return a->value->kind == GQL_VALUE_NULL ? NULL : a->value;
        }
    }
    return NULL;
}

/* An Int argument that must not be negative: its value, -1 when it is
 * not given, or -2 after reporting it. */
static apr_int64_t count_arg(mc_t *c, const char *source,
                             const gql_directive_t *d, const char *arg,
                             const char *label)
{
    const gql_value_t *v = given(d, arg);
    apr_int64_t n;

    if (v == NULL) {
        return -1;
    }
    n = apr_atoi64(v->text);
    if (n >= 0) {
        return n;
    }
    fail(c, source, &v->loc, apr_psprintf(c->p, "@%s(%s:) on \"%s\" must "
                                          "be at least 0, not %s.",
                                          d->name.value, arg, label,
                                          v->text));
    return -2;
}

/* The strings of a [String!] argument (one string is a list of one);
 * NULL when it is not given. */
static apr_array_header_t *strings(mc_t *c, const gql_value_t *v)
{
    apr_array_header_t *out;
    int i;

    if (v == NULL) {
        return NULL;
    }
    out = apr_array_make(c->p, 2, sizeof(const gql_value_t *));
    if (v->kind != GQL_VALUE_LIST) {
        APR_ARRAY_PUSH(out, const gql_value_t *) = v;
        return out;
    }
    for (i = 0; i < v->items->nelts; i++) {
        APR_ARRAY_PUSH(out, const gql_value_t *) = GQL_AST_ITEM(v->items, i,
                                                                gql_value_t);
    }
    return out;
}

int gql_cost_is_list(const gql_tref_t *t)
{
    if (t->kind == GQL_TYPE_NON_NULL) {
        t = t->of_type;
    }
    return t->kind == GQL_TYPE_LIST;
}

/* An argument of f of type Int or Int!. */
static int int_arg(const gql_field_t *f, const char *name)
{
    int i;

    for (i = 0; f->arguments != NULL && i < f->arguments->nelts; i++) {
        const gql_input_value_t *a = APR_ARRAY_IDX(f->arguments, i,
                                                   const gql_input_value_t *);

        if (strcmp(a->name, name) == 0) {
            return !gql_cost_is_list(a->type)
                   && strcmp(gql_schema_named(a->type)->name, "Int") == 0;
        }
    }
    return 0;
}

/* A list field of t (an object or interface type). */
static int list_field(const gql_type_t *t, const char *name)
{
    const gql_field_t *f = t->field_index
                           ? apr_hash_get(t->field_index, name,
                                          APR_HASH_KEY_STRING) : NULL;

    return f != NULL && gql_cost_is_list(f->type);
}

/* The names of a [String!] argument of @listSize: Int arguments of f
 * (slicing) or list fields of its type; NULL when it is not given. */
static const apr_array_header_t *names(mc_t *c, const gql_field_t *f,
                                       const gql_directive_t *d,
                                       const char *arg, const char *label,
                                       int slicing)
{
    apr_array_header_t *v = strings(c, given(d, arg));
    apr_array_header_t *out;
    const gql_type_t *t = gql_schema_named(f->type);
    int i;

    if (v == NULL) {
        return NULL;
    }
    out = apr_array_make(c->p, v->nelts, sizeof(const char *));
    for (i = 0; i < v->nelts; i++) {
        const gql_value_t *s = APR_ARRAY_IDX(v, i, const gql_value_t *);

        if (slicing ? !int_arg(f, s->text) : !list_field(t, s->text)) {
            fail(c, f->source, &s->loc, apr_psprintf(c->p, slicing
                 ? "@listSize(slicingArguments:) on \"%s\" names \"%s\", "
                   "which is no Int argument of the field."
                 : "@listSize(sizedFields:) on \"%s\" names \"%s\", which "
                   "is no list field of the type it returns.",
                 label, s->text));
            continue;
        }
        APR_ARRAY_PUSH(out, const char *) = s->text;
    }
    return out;
}

static void list_size(mc_t *c, const gql_field_t *f, const char *label,
                      gql_cost_field_t *cf)
{
    const gql_directive_t *d = applied(f->directives, "listSize");

    if (d == NULL) {
        return;
    }
    cf->assumed = count_arg(c, f->source, d, "assumedSize", label);
    cf->slicing = names(c, f, d, "slicingArguments", label, 1);
    cf->sized = names(c, f, d, "sizedFields", label, 0);
    if (!gql_cost_is_list(f->type) && cf->sized == NULL) {
        fail(c, f->source, &d->loc, apr_psprintf(c->p, "@listSize on \"%s\" "
             "sizes nothing: the field returns no list and names no "
             "sizedFields.", label));
    }
}

/* The weight @cost gives a type, or -1. */
static apr_int64_t type_weight(mc_t *c, const gql_type_t *t)
{
    apr_int64_t *w = apr_hash_get(c->type_weights, &t, sizeof(t));

    return w ? *w : -1;
}

static void field_model(mc_t *c, const gql_type_t *t, const gql_field_t *f)
{
    gql_cost_field_t *cf = apr_pcalloc(c->p, sizeof(*cf));
    const char *label = apr_pstrcat(c->p, t->name, ".", f->name, NULL);
    const gql_directive_t *d = applied(f->directives, "cost");
    const gql_type_t *rt = gql_schema_named(f->type);

    cf->assumed = -1;
    cf->weight = d ? count_arg(c, f->source, d, "weight", label) : -1;
    if (cf->weight < 0) {
        cf->weight = type_weight(c, rt);
    }
    if (cf->weight < 0) {
        cf->weight = c->statement && c->statement(c->baton, f)
                     ? GQL_COST_STATEMENT
                     : rt->kind != GQL_KIND_SCALAR
                       && rt->kind != GQL_KIND_ENUM;
    }
    list_size(c, f, label, cf);
    cf->once = applied(f->directives, "oncePerRequest") != NULL;
    apr_hash_set(c->m->fields, apr_pmemdup(c->p, &f, sizeof(f)), sizeof(f),
                 cf);
}

/* ---- the introspection types' lists */

typedef struct tally_t {
    apr_int64_t types, fields, args, inputs, values, interfaces,
                possible, directives, dir_args;
} tally_t;

static apr_int64_t n_of(const apr_array_header_t *a)
{
    return a ? a->nelts : 0;
}

static void tally(const gql_schema_t *s, tally_t *n)
{
    int i, j;

    memset(n, 0, sizeof(*n));
    n->types = s->type_map->nelts;
    for (i = 0; i < s->type_map->nelts; i++) {
        const gql_type_t *t = APR_ARRAY_IDX(s->type_map, i,
                                            const gql_type_t *);

        n->fields += n_of(t->fields);
        for (j = 0; t->fields && j < t->fields->nelts; j++) {
            n->args += n_of(APR_ARRAY_IDX(t->fields, j,
                                          const gql_field_t *)->arguments);
        }
        n->inputs += n_of(t->input_fields);
        n->values += n_of(t->enum_values);
        n->interfaces += n_of(t->interfaces);
        n->possible += n_of(t->possible_types);
    }
    for (i = 0; i < s->directives->nelts; i++) {
        const gql_directive_def_t *d = APR_ARRAY_IDX(s->directives, i,
                                                     gql_directive_def_t *);

        if (!d->server_side) {
            n->directives++;
            n->dir_args += n_of(d->arguments);
        }
    }
}

/* total / per, rounded up (0 when per is 0). */
static apr_int64_t mean(apr_int64_t total, apr_int64_t per)
{
    return per > 0 ? (total + per - 1) / per : 0;
}

static void sizes(gql_cost_model_t *m)
{
    static const char *const lists[] = {
        "__Schema", "types", "__Schema", "directives", "__Type", "fields",
        "__Type", "interfaces", "__Type", "possibleTypes", "__Type",
        "enumValues", "__Type", "inputFields", "__Field", "args",
        "__Directive", "args"
    };
    tally_t n;
    apr_int64_t size[9];
    int i;

    tally(m->schema, &n);
    size[0] = n.types;
    size[1] = n.directives;
    size[2] = mean(n.fields, n.types);
    size[3] = mean(n.interfaces, n.types);
    size[4] = mean(n.possible, n.types);
    size[5] = mean(n.values, n.types);
    size[6] = mean(n.inputs, n.types);
    size[7] = mean(n.args, n.fields);
    size[8] = mean(n.dir_args, n.directives);
    for (i = 0; i < 9; i++) {
        const gql_type_t *t = gql_schema_type(m->schema, lists[2 * i]);
        const gql_field_t *f = t ? gql_type_field(t, lists[2 * i + 1]) : NULL;
        gql_cost_field_t *cf = f ? apr_hash_get(m->fields, &f, sizeof(f))
                                 : NULL;

        if (cf != NULL) {
            cf->assumed = size[i];
        }
    }
}

/* @cost on the types: checked, and kept for the fields that return
 * them. */
static void type_weights(mc_t *c)
{
    int i;

    for (i = 0; i < c->s->types->nelts; i++) {
        const gql_type_t *t = APR_ARRAY_IDX(c->s->types, i,
                                            const gql_type_t *);
        const gql_directive_t *d = applied(t->directives, "cost");
        apr_int64_t *w;

        if (d == NULL) {
            continue;
        }
        w = apr_palloc(c->p, sizeof(*w));
        *w = count_arg(c, t->source, d, "weight", t->name);
        if (*w >= 0) {
            apr_hash_set(c->type_weights, apr_pmemdup(c->p, &t, sizeof(t)),
                         sizeof(t), w);
        }
    }
}

gql_cost_model_t *gql_cost_compile(apr_pool_t *p, apr_pool_t *ptemp,
                                   const gql_schema_t *s,
                                   gql_cost_statement_fn statement,
                                   const void *baton,
                                   apr_array_header_t *errors)
{
    gql_cost_model_t *m = apr_pcalloc(p, sizeof(*m));
    mc_t ctx, *c = &ctx;
    int i, j;

    memset(c, 0, sizeof(*c));
    c->p = p;
    c->s = s;
    c->statement = statement;
    c->baton = baton;
    c->errors = errors;
    c->type_weights = apr_hash_make(ptemp);
    m->schema = s;
    m->fields = apr_hash_make(p);
    c->m = m;
    type_weights(c);
    for (i = 0; i < s->types->nelts; i++) {
        const gql_type_t *t = APR_ARRAY_IDX(s->types, i, const gql_type_t *);

        for (j = 0; t->fields != NULL && j < t->fields->nelts; j++) {
            field_model(c, t, APR_ARRAY_IDX(t->fields, j,
                                            const gql_field_t *));
        }
    }
    sizes(m);
    return c->nerr ? NULL : m;
}

const gql_cost_field_t *gql_cost_field(const gql_cost_model_t *m,
                                       const gql_field_t *f)
{
    return apr_hash_get(m->fields, &f, sizeof(f));
}

int gql_cost_once(const gql_cost_model_t *m, const gql_field_t *f)
{
    const gql_cost_field_t *cf = m && f ? gql_cost_field(m, f) : NULL;

    return cf != NULL && cf->once;
}
