/* Licensed under the Apache License, Version 2.0 (the "License"); you may
 * not use this file except in compliance with the License.  You may obtain
 * a copy of the License at http://www.apache.org/licenses/LICENSE-2.0
 */

/*
 * gql_introspect.c: __schema, __type and the fields of the introspection
 * types, resolved in batches for the executor.
 *
 * A value of an introspection type is an empty json-c object whose
 * userdata points into the schema:
 *
 *   __Schema       const gql_schema_t *
 *   __Type         const gql_tref_t * (a named type gets a NAMED tref made
 *                  in the request's pool, the wrappers are the schema's)
 *   __Field        const gql_field_t *
 *   __InputValue   const gql_input_value_t *
 *   __EnumValue    const gql_enum_value_t *
 *   __Directive    const gql_directive_def_t *
 *
 * The parent type of a batch says which it is, so nothing else is tagged.
 * Where graphql-js's answer depends on its own structures (the text of a
 * default value, the order of directives), this file recomputes it from
 * the schema; the comments say which graphql-js behaviour each piece
 * follows.  The order of schema.getTypeMap() is the schema's type_map,
 * computed once when the schema is built.
 *
 * Values follow gql_json.h: every getter, and every helper named *_new,
 * makes its value and returns a new reference, which a parent steals or
 * the batch's results take.
 */

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <apr_hash.h>
#include <apr_strings.h>
#include "gql_coerce.h"
#include "gql_introspect.h"
#include "gql_parser.h"
#include "gql_print.h"
#include "gql_writer.h"

typedef struct rctx_t {
    gql_resolve_t *b;
    int include_deprecated;     /* the includeDeprecated argument */
    const char *err;            /* a field error for the current parent */
} rctx_t;

/* A getter makes the value of one field of obj: a new reference, which
 * becomes the batch's result. */
typedef json_object *(*value_new_fn)(rctx_t *c, const void *obj);

typedef struct getter_t {
    const char *name;
    value_new_fn make;
} getter_t;

/* ---- values ---------------------------------------------------------- */

static json_object *node_new(const void *ptr)
{
    json_object *o = json_object_new_object();

    json_object_set_userdata(o, (void *)ptr, NULL);
    return o;
}

static json_object *named_new(rctx_t *c, const gql_type_t *t)
{
    gql_tref_t *r;

    if (t == NULL) {
        return NULL;
    }
    r = apr_pcalloc(c->b->pool, sizeof(*r));
    r->kind = GQL_TYPE_NAMED;
    r->named = t;
    return node_new(r);
}

static json_object *str_new(const char *s)
{
    return s ? json_object_new_string(s) : NULL;
}

static json_object *desc_new(const gql_string_t *d)
{
    return d ? json_object_new_string_len(d->value, (int)d->len) : NULL;
}

static json_object *deprecated_new(const char *reason)
{
    return json_object_new_boolean(reason != NULL);
}

/* ---- the type map and the directives -------------------------------- */

static int user_directive(const gql_directive_def_t *d)
{
    return !d->builtin && !d->server_side;
}

/* The directives as graphql-js lists them: the schema's own, then the
 * specified ones (buildASTSchema appends those not redefined). */
static apr_array_header_t *directives(rctx_t *c)
{
    const apr_array_header_t *all = c->b->schema->directives;
    apr_array_header_t *out = apr_array_make(c->b->pool, all->nelts,
                                             sizeof(gql_directive_def_t *));
    int pass, i;

    for (pass = 0; pass < 2; pass++) {
        for (i = 0; i < all->nelts; i++) {
            const gql_directive_def_t *d = APR_ARRAY_IDX(all, i,
                                                gql_directive_def_t *);

            if (pass == 0 ? user_directive(d)
                : d->builtin && !d->server_side) {
                APR_ARRAY_PUSH(out, const gql_directive_def_t *) = d;
            }
        }
    }
    return out;
}

/* schema.getType(name): only what the type map holds, so an unused
 * built-in scalar is not there. */
static const gql_type_t *get_type(rctx_t *c, const char *name)
{
    const gql_type_t *t = gql_schema_type(c->b->schema, name);

    return t && t->referenced ? t : NULL;
}

/* ---- lists ----------------------------------------------------------- */

static json_object *type_list_new(rctx_t *c, const apr_array_header_t *ts)
{
    json_object *a = json_object_new_array_ext(ts->nelts);
    int i;

    for (i = 0; i < ts->nelts; i++) {
        json_object_array_add(a, named_new(c, APR_ARRAY_IDX(ts, i,
                                                       const gql_type_t *)));
    }
    return a;
}

/* Fields, input values and enum values all have deprecation_reason in
 * the place their type says; reason_of finds it. */
typedef const char *(*reason_fn)(const void *item);

static const char *field_reason(const void *x)
{
    return ((const gql_field_t *)x)->deprecation_reason;
}

static const char *input_reason(const void *x)
{
    return ((const gql_input_value_t *)x)->deprecation_reason;
}

static const char *enum_reason(const void *x)
{
    return ((const gql_enum_value_t *)x)->deprecation_reason;
}

/* includeDeprecated: false (or null) leaves out what is deprecated. */
static json_object *items_new(rctx_t *c, const apr_array_header_t *xs,
                              reason_fn reason)
{
    json_object *a = json_object_new_array();
    int i;

    for (i = 0; xs && i < xs->nelts; i++) {
        const void *x = APR_ARRAY_IDX(xs, i, const void *);

        if (c->include_deprecated || reason(x) == NULL) {
            json_object_array_add(a, node_new(x));
        }
    }
    return a;
}

/* ---- __Schema -------------------------------------------------------- */

static json_object *schema_description(rctx_t *c, const void *o)
{
    (void)c;
    return desc_new(((const gql_schema_t *)o)->description);
}

static json_object *schema_types(rctx_t *c, const void *o)
{
    return type_list_new(c, ((const gql_schema_t *)o)->type_map);
}

static json_object *schema_query(rctx_t *c, const void *o)
{
    return named_new(c, ((const gql_schema_t *)o)->query);
}

static json_object *schema_mutation(rctx_t *c, const void *o)
{
    return named_new(c, ((const gql_schema_t *)o)->mutation);
}

static json_object *schema_subscription(rctx_t *c, const void *o)
{
    return named_new(c, ((const gql_schema_t *)o)->subscription);
}

static json_object *schema_directives(rctx_t *c, const void *o)
{
    apr_array_header_t *dirs = directives(c);
    json_object *a = json_object_new_array_ext(dirs->nelts);
    int i;

    (void)o;
    for (i = 0; i < dirs->nelts; i++) {
        json_object_array_add(a, node_new(APR_ARRAY_IDX(dirs, i,
                                                        const void *)));
    }
    return a;
}

static const getter_t schema_getters[] = {
    { "description", schema_description },
    { "types", schema_types },
    { "queryType", schema_query },
    { "mutationType", schema_mutation },
    { "subscriptionType", schema_subscription },
    { "directives", schema_directives },
    { NULL, NULL }
};

/* ---- __Type ---------------------------------------------------------- */

/* The named type, or NULL for a list or non-null wrapper. */
static const gql_type_t *ty(const void *o)
{
    const gql_tref_t *r = o;

    return r->kind == GQL_TYPE_NAMED ? r->named : NULL;
}

static int has_fields(const gql_type_t *t)
{
    return t && (t->kind == GQL_KIND_OBJECT || t->kind == GQL_KIND_INTERFACE);
}

static json_object *type_kind(rctx_t *c, const void *o)
{
    const gql_tref_t *r = o;

    (void)c;
    if (r->kind == GQL_TYPE_NAMED) {
        return str_new(gql_type_kind_names[r->named->kind]);
    }
    return str_new(r->kind == GQL_TYPE_LIST ? "LIST" : "NON_NULL");
}

static json_object *type_name(rctx_t *c, const void *o)
{
    (void)c;
    return ty(o) ? str_new(ty(o)->name) : NULL;
}

static json_object *type_description(rctx_t *c, const void *o)
{
    (void)c;
    return ty(o) ? desc_new(ty(o)->description) : NULL;
}

static json_object *type_specified_by(rctx_t *c, const void *o)
{
    (void)c;
    return ty(o) ? str_new(ty(o)->specified_by_url) : NULL;
}

static json_object *type_fields(rctx_t *c, const void *o)
{
    return has_fields(ty(o)) ? items_new(c, ty(o)->fields, field_reason)
                             : NULL;
}

static json_object *type_interfaces(rctx_t *c, const void *o)
{
    return has_fields(ty(o)) ? type_list_new(c, ty(o)->interfaces) : NULL;
}

static json_object *type_possible(rctx_t *c, const void *o)
{
    const gql_type_t *t = ty(o);

    if (t && (t->kind == GQL_KIND_UNION || t->kind == GQL_KIND_INTERFACE)) {
        return type_list_new(c, t->possible_types);
    }
    return NULL;
}

static json_object *type_enum_values(rctx_t *c, const void *o)
{
    const gql_type_t *t = ty(o);

    return t && t->kind == GQL_KIND_ENUM
           ? items_new(c, t->enum_values, enum_reason) : NULL;
}

static json_object *type_input_fields(rctx_t *c, const void *o)
{
    const gql_type_t *t = ty(o);

    return t && t->kind == GQL_KIND_INPUT_OBJECT
           ? items_new(c, t->input_fields, input_reason) : NULL;
}

static json_object *type_of_type(rctx_t *c, const void *o)
{
    const gql_tref_t *r = o;

    (void)c;
    return r->kind == GQL_TYPE_NAMED ? NULL : node_new(r->of_type);
}

static json_object *type_is_one_of(rctx_t *c, const void *o)
{
    const gql_type_t *t = ty(o);

    (void)c;
    return t && t->kind == GQL_KIND_INPUT_OBJECT
           ? json_object_new_boolean(t->one_of) : NULL;
}

static const getter_t type_getters[] = {
    { "kind", type_kind },
    { "name", type_name },
    { "description", type_description },
    { "specifiedByURL", type_specified_by },
    { "fields", type_fields },
    { "interfaces", type_interfaces },
    { "possibleTypes", type_possible },
    { "enumValues", type_enum_values },
    { "inputFields", type_input_fields },
    { "ofType", type_of_type },
    { "isOneOf", type_is_one_of },
    { NULL, NULL }
};

/* ---- __Field --------------------------------------------------------- */

static json_object *field_name(rctx_t *c, const void *o)
{
    (void)c;
    return str_new(((const gql_field_t *)o)->name);
}

static json_object *field_description(rctx_t *c, const void *o)
{
    (void)c;
    return desc_new(((const gql_field_t *)o)->description);
}

static json_object *field_args(rctx_t *c, const void *o)
{
    return items_new(c, ((const gql_field_t *)o)->arguments, input_reason);
}

static json_object *field_type(rctx_t *c, const void *o)
{
    (void)c;
    return node_new(((const gql_field_t *)o)->type);
}

static json_object *field_is_deprecated(rctx_t *c, const void *o)
{
    (void)c;
    return deprecated_new(field_reason(o));
}

static json_object *field_deprecation(rctx_t *c, const void *o)
{
    (void)c;
    return str_new(field_reason(o));
}

static const getter_t field_getters[] = {
    { "name", field_name },
    { "description", field_description },
    { "args", field_args },
    { "type", field_type },
    { "isDeprecated", field_is_deprecated },
    { "deprecationReason", field_deprecation },
    { NULL, NULL }
};

/* ---- defaultValue ----------------------------------------------------
 *
 * graphql-js shows print(astFromValue(valueFromAST(literal, type), type)):
 * the literal is coerced and printed back, so this prints the literal the
 * way that round trip comes out.  Numbers of Float and of custom scalars
 * pass through a JavaScript number (1.50 prints 1.5, 1e3 prints 1000);
 * an input object lists its fields in the type's order, with the fields'
 * own defaults filled in; a value that is not a list but whose type is
 * one becomes a list of one; strings are printed quoted, block strings
 * too; an ID that looks like an integer is printed bare.  A list or an
 * object given to a custom scalar cannot be printed back: graphql-js
 * throws, and the field error says what inspect() makes of the value.
 */

typedef struct pbuf_t {
    apr_pool_t *p;
    gql_writer_t *w;            /* the text, made with its first byte */
    int depth;                  /* input objects being printed */
    const char *err;
} pbuf_t;

static void put(pbuf_t *b, const char *s, apr_size_t n)
{
    if (b->w == NULL) {
        b->w = gql_writer_make(b->p, 64);
    }
    gql_writer_put(b->w, s, n);
}

static void puts0(pbuf_t *b, const char *s)
{
    put(b, s, strlen(s));
}

/* graphql-js's integerStringRegExp: /^-?(?:0|[1-9][0-9]*)$/ */
static int integer_string(const char *s, apr_size_t len)
{
    apr_size_t i = (len > 0 && s[0] == '-');

    if (i == len || (s[i] == '0' && len > i + 1)) {
        return 0;
    }
    for (; i < len; i++) {
        if (s[i] < '0' || s[i] > '9') {
            return 0;
        }
    }
    return 1;
}

/* parseLiteral of a custom scalar (valueFromASTUntyped), then printed
 * back: a value that is no string, number or boolean cannot be, and
 * graphql-js says so with inspect() of it. */
static void custom_scalar(pbuf_t *b, const gql_type_t *t, const gql_value_t *v)
{
    gql_tref_t named = { GQL_TYPE_NAMED, NULL, NULL };
    json_object *value = NULL;

    switch (v->kind) {
    case GQL_VALUE_INT:
    case GQL_VALUE_FLOAT:
        if (!isfinite(strtod(v->text, NULL))) {
            break;
        }
        puts0(b, gql_print_number(b->p, strtod(v->text, NULL)));
        return;
    case GQL_VALUE_STRING:
    case GQL_VALUE_ENUM:
        puts0(b, gql_print_string(b->p, v->text, v->len));
        return;
    case GQL_VALUE_BOOLEAN:
        puts0(b, v->text);
        return;
    default:
        break;
    }
    named.named = t;
    gql_coerce_literal(b->p, &named, v, NULL, &value);
    b->err = apr_pstrcat(b->p, "Cannot convert value to AST: ",
                         gql_print_inspect(b->p, value), ".", NULL);
}

static void scalar(pbuf_t *b, const gql_type_t *t, const gql_value_t *v)
{
    double d;

    if (!t->builtin) {
        custom_scalar(b, t, v);
    }
    else if (strcmp(t->name, "Float") == 0) {
        d = strtod(v->text, NULL);
        if (isfinite(d)) {
            puts0(b, gql_print_number(b->p, d));
        }
        else {
            b->err = apr_pstrcat(b->p, "Float cannot represent non numeric "
                                 "value: ", gql_print_number(b->p, d), NULL);
        }
    }
    else if (strcmp(t->name, "Int") == 0) {
        puts0(b, apr_ltoa(b->p, strtol(v->text, NULL, 10)));
    }
    else if (v->kind == GQL_VALUE_STRING
             && (strcmp(t->name, "String") == 0
                 || !integer_string(v->text, v->len))) {
        puts0(b, gql_print_string(b->p, v->text, v->len));
    }
    else {
        puts0(b, v->text);
    }
}

static void print_default(pbuf_t *b, const gql_tref_t *t,
                          const gql_value_t *v);

static const gql_value_t *object_field(const gql_value_t *v, const char *name)
{
    int i;

    for (i = 0; i < v->fields->nelts; i++) {
        const gql_object_field_t *f = GQL_AST_ITEM(v->fields, i,
                                                   gql_object_field_t);

        if (strcmp(f->name.value, name) == 0) {
            return f->value;
        }
    }
    return NULL;
}

static void input_object(pbuf_t *b, const gql_type_t *t, const gql_value_t *v)
{
    int i, n = 0;

    /* input A { a: A = {} } would never end */
    if (++b->depth > GQL_MAX_DEPTH) {
        b->err = "Default value nests too deep.";
        return;
    }
    puts0(b, "{");
    for (i = 0; v->fields && i < t->input_fields->nelts; i++) {
        const gql_input_value_t *f = APR_ARRAY_IDX(t->input_fields, i,
                                                   gql_input_value_t *);
        const gql_value_t *fv = object_field(v, f->name);

        if (fv == NULL && (fv = f->default_value) == NULL) {
            continue;
        }
        puts0(b, apr_pstrcat(b->p, n++ ? ", " : "", f->name, ": ", NULL));
        print_default(b, f->type, fv);
    }
    puts0(b, "}");
    b->depth--;
}

/* The literal v of type t, as the round trip prints it.  The recursion
 * follows the literal, whose depth the parser bounds, and the defaults of
 * input fields, which input_object bounds. */
static void print_default(pbuf_t *b, const gql_tref_t *t, const gql_value_t *v)
{
    int i;

    if (b->err) {
        return;
    }
    if (t->kind == GQL_TYPE_NON_NULL) {
        print_default(b, t->of_type, v);
    }
    else if (v->kind == GQL_VALUE_NULL) {
        puts0(b, "null");
    }
    else if (t->kind == GQL_TYPE_LIST) {
        puts0(b, "[");
        for (i = 0; v->kind == GQL_VALUE_LIST && i < v->items->nelts; i++) {
            puts0(b, i ? ", " : "");
            print_default(b, t->of_type, GQL_AST_ITEM(v->items, i,
                                                      gql_value_t));
        }
        if (v->kind != GQL_VALUE_LIST) {
            print_default(b, t->of_type, v);
        }
        puts0(b, "]");
    }
    else if (t->named->kind == GQL_KIND_INPUT_OBJECT) {
        input_object(b, t->named, v);
    }
    else if (t->named->kind == GQL_KIND_ENUM) {
        puts0(b, v->text);
    }
    else {
        scalar(b, t->named, v);
    }
}

/* __InputValue.defaultValue: the default of v as graphql-js shows it,
 * allocated in p; NULL when v has none.  A default that graphql-js cannot
 * print back (a list or an object given to a custom scalar) gives NULL
 * with *err set to graphql-js's message, a field error. */
static const char *default_text(apr_pool_t *p, const gql_input_value_t *v,
                                const char **err)
{
    pbuf_t b;

    if (v->default_value == NULL) {
        return NULL;
    }
    memset(&b, 0, sizeof(b));
    b.p = p;
    print_default(&b, v->type, v->default_value);
    if (b.err) {
        *err = b.err;
        return NULL;
    }
    return b.w ? gql_writer_text(b.w) : NULL;
}

/* ---- __InputValue ---------------------------------------------------- */

static json_object *input_name(rctx_t *c, const void *o)
{
    (void)c;
    return str_new(((const gql_input_value_t *)o)->name);
}

static json_object *input_description(rctx_t *c, const void *o)
{
    (void)c;
    return desc_new(((const gql_input_value_t *)o)->description);
}

static json_object *input_type(rctx_t *c, const void *o)
{
    (void)c;
    return node_new(((const gql_input_value_t *)o)->type);
}

static json_object *input_default(rctx_t *c, const void *o)
{
    return str_new(default_text(c->b->pool, o, &c->err));
}

static json_object *input_is_deprecated(rctx_t *c, const void *o)
{
    (void)c;
    return deprecated_new(input_reason(o));
}

static json_object *input_deprecation(rctx_t *c, const void *o)
{
    (void)c;
    return str_new(input_reason(o));
}

static const getter_t input_getters[] = {
    { "name", input_name },
    { "description", input_description },
    { "type", input_type },
    { "defaultValue", input_default },
    { "isDeprecated", input_is_deprecated },
    { "deprecationReason", input_deprecation },
    { NULL, NULL }
};

/* ---- __EnumValue ----------------------------------------------------- */

static json_object *enum_name(rctx_t *c, const void *o)
{
    (void)c;
    return str_new(((const gql_enum_value_t *)o)->name);
}

static json_object *enum_description(rctx_t *c, const void *o)
{
    (void)c;
    return desc_new(((const gql_enum_value_t *)o)->description);
}

static json_object *enum_is_deprecated(rctx_t *c, const void *o)
{
    (void)c;
    return deprecated_new(enum_reason(o));
}

static json_object *enum_deprecation(rctx_t *c, const void *o)
{
    (void)c;
    return str_new(enum_reason(o));
}

static const getter_t enum_getters[] = {
    { "name", enum_name },
    { "description", enum_description },
    { "isDeprecated", enum_is_deprecated },
    { "deprecationReason", enum_deprecation },
    { NULL, NULL }
};

/* ---- __Directive ----------------------------------------------------- */

static json_object *dir_name(rctx_t *c, const void *o)
{
    (void)c;
    return str_new(((const gql_directive_def_t *)o)->name);
}

static json_object *dir_description(rctx_t *c, const void *o)
{
    (void)c;
    return desc_new(((const gql_directive_def_t *)o)->description);
}

static json_object *dir_repeatable(rctx_t *c, const void *o)
{
    (void)c;
    return json_object_new_boolean(
        ((const gql_directive_def_t *)o)->repeatable);
}

static json_object *dir_locations(rctx_t *c, const void *o)
{
    const apr_array_header_t *ls = ((const gql_directive_def_t *)o)->locations;
    json_object *a = json_object_new_array_ext(ls->nelts);
    int i;

    (void)c;
    for (i = 0; i < ls->nelts; i++) {
        json_object_array_add(a, str_new(APR_ARRAY_IDX(ls, i, const char *)));
    }
    return a;
}

static json_object *dir_args(rctx_t *c, const void *o)
{
    return items_new(c, ((const gql_directive_def_t *)o)->arguments,
                 input_reason);
}

static const getter_t dir_getters[] = {
    { "name", dir_name },
    { "description", dir_description },
    { "isRepeatable", dir_repeatable },
    { "locations", dir_locations },
    { "args", dir_args },
    { NULL, NULL }
};

/* ---- dispatch -------------------------------------------------------- */

static const struct {
    const char *type;
    const getter_t *getters;
} tables[] = {
    { "__Schema", schema_getters },
    { "__Type", type_getters },
    { "__Field", field_getters },
    { "__InputValue", input_getters },
    { "__EnumValue", enum_getters },
    { "__Directive", dir_getters },
    { NULL, NULL }
};

static value_new_fn find_getter(const gql_type_t *parent, const char *field)
{
    int i, j;

    if (!parent->builtin) {
        return NULL;
    }
    for (i = 0; tables[i].type; i++) {
        if (strcmp(tables[i].type, parent->name) != 0) {
            continue;
        }
        for (j = 0; tables[i].getters[j].name; j++) {
            if (strcmp(tables[i].getters[j].name, field) == 0) {
                return tables[i].getters[j].make;
            }
        }
    }
    return NULL;
}

int gql_introspect_owns(const gql_schema_t *schema,
                        const gql_type_t *parent_type,
                        const gql_field_t *field)
{
    if (field == schema->meta_schema || field == schema->meta_type) {
        return 1;
    }
    return field != schema->meta_typename
           && find_getter(parent_type, field->name) != NULL;
}

static int arg_bool(json_object *args, const char *name)
{
    json_object *v;

    return json_object_object_get_ex(args, name, &v)
           && json_object_is_type(v, json_type_boolean)
           && json_object_get_boolean(v);
}

static json_object *meta_type(rctx_t *c)
{
    json_object *v;
    const char *name;

    if (!json_object_object_get_ex(c->b->args, "name", &v)
        || !json_object_is_type(v, json_type_string)) {
        return NULL;
    }
    name = json_object_get_string(v);
    return named_new(c, get_type(c, name));
}

const char *gql_introspect_resolve(gql_resolve_t *b)
{
    rctx_t c;
    value_new_fn make = NULL;
    int i;

    memset(&c, 0, sizeof(c));
    c.b = b;
    c.include_deprecated = arg_bool(b->args, "includeDeprecated");
    if (b->field != b->schema->meta_schema && b->field != b->schema->meta_type
        && (make = find_getter(b->parent_type, b->field->name)) == NULL) {
        return apr_psprintf(b->pool, "Introspection has no field %s.%s.",
                            b->parent_type->name, b->field->name);
    }
    for (i = 0; i < b->count; i++) {
        c.err = NULL;
        if (b->field == b->schema->meta_schema) {
            b->results[i] = node_new(b->schema);
        }
        else if (b->field == b->schema->meta_type) {
            b->results[i] = meta_type(&c);
        }
        else {
            b->results[i] = make(&c,
                                 json_object_get_userdata(b->parents[i]));
        }
        b->errors[i] = c.err;
    }
    return NULL;
}
