/* Licensed under the Apache License, Version 2.0 (the "License"); you may
 * not use this file except in compliance with the License.  You may obtain
 * a copy of the License at http://www.apache.org/licenses/LICENSE-2.0
 */

/*
 * gql_coerce.c: input and result coercion.  Variables from the request's
 * JSON (CoerceVariableValues), arguments from literals and variables
 * (CoerceArgumentValues, valueFromAST) and the result values of leaves
 * (each scalar's serialize).  graphql-js 16 decides every rule and every
 * message, down to how it prints a value it refuses (its inspect(), with
 * JavaScript's number formatting), because clients compare them.
 *
 * Ownership follows gql_json.h.  The helpers make each value bottom up
 * and return it as a new reference (their names say new), which its
 * parent steals; a value passed through as it came (a String input, a
 * variable's value, a custom scalar's) gets a reference of its own
 * (gql_json_ref).  The API gives each tree's root to the pool passed,
 * once (gql_json_own), but for gql_coerce_result_new(), whose value the
 * executor keeps.
 */

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <apr_lib.h>
#include <apr_strings.h>
#include "gql_coerce.h"
#include "gql_json.h"
#include "gql_print.h"
#include "gql_schema.h"
#include "gql_value_check.h"

#define MAX_INT 2147483647.0
#define MIN_INT -2147483648.0
#define MAX_VAR_ERRORS 50       /* graphql-js's maxErrors for variables */

/* ---- JavaScript's numbers, as graphql-js sees JSON values */

static int is_number(json_object *v)
{
    return json_object_is_type(v, json_type_int)
           || json_object_is_type(v, json_type_double);
}

/* Number.isInteger; doubles from 2^53 up have no fraction at all (and
 * this keeps libm out of the module's link). */
static int is_integer(double d)
{
    if (!isfinite(d)) {
        return 0;
    }
    return d >= 9007199254740992.0 || d <= -9007199254740992.0
           || (double)(int64_t)d == d;
}

/* The number a JSON value holds as JavaScript has it. */
static double num(json_object *v)
{
    return json_object_get_double(v);
}

/* Number(string): JavaScript's StringToNumber.  NaN when not a number. */
static double js_to_number(const char *s)
{
    const char *end = s + strlen(s), *q;
    char *stop;
    double d = 0;
    int sign = 1, base = 0;

    while (*s && strchr(" \t\n\v\f\r", *s)) {
        s++;
    }
    while (end > s && strchr(" \t\n\v\f\r", end[-1])) {
        end--;
    }
    if (s == end) {
        return 0;
    }
    if (end - s > 2 && s[0] == '0' && strchr("xXoObB", s[1])) {
        base = apr_tolower(s[1]) == 'x' ? 16 : apr_tolower(s[1]) == 'o'
               ? 8 : 2;
        for (q = s + 2; q < end; q++) {
            int dv = apr_isdigit(*q) ? *q - '0'
                     : apr_isxdigit(*q) ? apr_tolower(*q) - 'a' + 10 : 99;

            if (dv >= base) {
                return NAN;
            }
            d = d * base + dv;
        }
        return d;
    }
    q = s;
    if (*q == '+' || *q == '-') {
        sign = *q++ == '-' ? -1 : 1;
    }
    if ((size_t)(end - q) == 8 && strncmp(q, "Infinity", 8) == 0) {
        return sign * INFINITY;
    }
    /* a decimal literal: digits [. digits] | . digits, then [e [+-] digits] */
    {
        const char *r = q;
        int mant = 0;

        while (r < end && apr_isdigit(*r)) {
            r++, mant++;
        }
        if (r < end && *r == '.') {
            r++;
            while (r < end && apr_isdigit(*r)) {
                r++, mant++;
            }
        }
        if (mant == 0) {
            return NAN;
        }
        if (r < end && (*r == 'e' || *r == 'E')) {
            r++;
            if (r < end && (*r == '+' || *r == '-')) {
                r++;
            }
            if (r == end || !apr_isdigit(*r)) {
                return NAN;
            }
            while (r < end && apr_isdigit(*r)) {
                r++;
            }
        }
        if (r != end) {
            return NAN;
        }
    }
    d = strtod(q, &stop);
    return sign * d;
}

/* ---- leaves */

static int is_builtin(const gql_type_t *t, const char *name)
{
    return t->builtin && strcmp(t->name, name) == 0;
}

static const gql_enum_value_t *enum_value(const gql_type_t *t,
                                          const char *name)
{
    int i;

    for (i = 0; i < t->enum_values->nelts; i++) {
        const gql_enum_value_t *e = APR_ARRAY_IDX(t->enum_values, i,
                                                  const gql_enum_value_t *);

        if (strcmp(e->name, name) == 0) {
            return e;
        }
    }
    return NULL;
}

static const char *enum_suggest(apr_pool_t *p, const gql_type_t *t,
                                const char *input)
{
    apr_array_header_t *names = apr_array_make(p, t->enum_values->nelts,
                                               sizeof(const char *));
    int i;

    for (i = 0; i < t->enum_values->nelts; i++) {
        APR_ARRAY_PUSH(names, const char *) =
            APR_ARRAY_IDX(t->enum_values, i, const gql_enum_value_t *)->name;
    }
    return gql_print_suggest(p, "the enum value", input, names);
}

static json_object *new_int(double d)
{
    return json_object_new_int64((int64_t)d);
}

static json_object *new_float(apr_pool_t *p, double d)
{
    if (is_integer(d) && fabs(d) < 1e15) {
        return new_int(d);
    }
    return json_object_new_double_s(d, gql_print_number(p, d));
}

/* Whether a JSON value holds U+0000 in a string, at any depth (json-c
 * bounds the depth of what it parses). */
static int holds_nul(json_object *v)
{
    struct lh_entry *e;
    size_t i;

    switch (json_object_get_type(v)) {
    case json_type_string:
        return memchr(json_object_get_string(v), '\0',
                      json_object_get_string_len(v)) != NULL;
    case json_type_array:
        for (i = 0; i < json_object_array_length(v); i++) {
            if (holds_nul(json_object_array_get_idx(v, i))) {
                return 1;
            }
        }
        return 0;
    case json_type_object:
        for (e = json_object_get_object(v)->head; e != NULL; e = e->next) {
            if (holds_nul((json_object *)lh_entry_v(e))) {
                return 1;
            }
        }
        return 0;
    default:
        return 0;
    }
}

/* parseValue of a leaf type: 1 with *out, or 0 with *msg; -1 with *msg
 * for text holding U+0000, which PostgreSQL's text cannot store (the
 * client's mistake: BAD_USER_INPUT). */
static int parse_value_new(apr_pool_t *p, const gql_type_t *t, json_object *v,
                       json_object **out, const char **msg)
{
    const char *s = gql_print_inspect(p, v);

    *out = NULL;
    if (!is_builtin(t, "Int") && !is_builtin(t, "Float")
        && !is_builtin(t, "Boolean") && holds_nul(v)) {
        *msg = apr_psprintf(p, "U+0000 is not allowed in a value of type "
                            "\"%s\".", t->name);
        return -1;
    }
    if (t->kind == GQL_KIND_ENUM) {
        if (!json_object_is_type(v, json_type_string)) {
            *msg = apr_psprintf(p, "Enum \"%s\" cannot represent non-string "
                                "value: %s.%s", t->name, s,
                                enum_suggest(p, t, s));
            return 0;
        }
        if (enum_value(t, json_object_get_string(v)) == NULL) {
            *msg = apr_psprintf(p, "Value \"%s\" does not exist in \"%s\" "
                                "enum.%s",
                                gql_print_name(p, json_object_get_string(v)),
                                t->name,
                                enum_suggest(p, t,
                                             json_object_get_string(v)));
            return 0;
        }
        *out = json_object_new_string(json_object_get_string(v));
        return 1;
    }
    if (is_builtin(t, "Int")) {
        if (!is_number(v) || !is_integer(num(v))) {
            *msg = apr_psprintf(p, "Int cannot represent non-integer value: "
                                "%s", s);
            return 0;
        }
        if (num(v) > MAX_INT || num(v) < MIN_INT) {
            *msg = apr_psprintf(p, "Int cannot represent non 32-bit signed "
                                "integer value: %s", s);
            return 0;
        }
        *out = new_int(num(v));
    }
    else if (is_builtin(t, "Float")) {
        if (!is_number(v) || !isfinite(num(v))) {
            *msg = apr_psprintf(p, "Float cannot represent non numeric "
                                "value: %s", s);
            return 0;
        }
        *out = new_float(p, num(v));
    }
    else if (is_builtin(t, "String") || is_builtin(t, "Boolean")) {
        int str = t->name[0] == 'S';

        if (!json_object_is_type(v, str ? json_type_string
                                 : json_type_boolean)) {
            *msg = apr_psprintf(p, str ? "String cannot represent a non "
                                "string value: %s" : "Boolean cannot "
                                "represent a non boolean value: %s", s);
            return 0;
        }
        *out = gql_json_ref(v);
    }
    else if (is_builtin(t, "ID")) {
        if (is_number(v) && is_integer(num(v))) {
            *out = json_object_new_string(
                json_object_is_type(v, json_type_int) ? s
                : gql_print_number(p, num(v)));
        }
        else if (!json_object_is_type(v, json_type_string)) {
            *msg = apr_psprintf(p, "ID cannot represent value: %s", s);
            return 0;
        }
        else {
            *out = gql_json_ref(v);
        }
    }
    else {
        *out = gql_json_ref(v);             /* a custom scalar: as given */
    }
    return 1;
}

/* ---- variables: coerceInputValue over JSON */

typedef struct varctx_t {
    apr_pool_t *p;
    const char *name;           /* the variable's, without '$' */
    const gql_loc_t *loc;       /* its definition */
    apr_array_header_t *errors;
    int first;                  /* errors->nelts before this operation */
    int stop;                   /* too many errors: abort */
} varctx_t;

static const char *path_text(apr_pool_t *p, const gql_path_t *path)
{
    if (path == NULL) {
        return "";
    }
    if (path->key != NULL) {
        return apr_pstrcat(p, path_text(p, path->prev), ".", path->key, NULL);
    }
    return apr_psprintf(p, "%s[%d]", path_text(p, path->prev), path->index);
}

static const gql_path_t *path_add(apr_pool_t *p, const gql_path_t *prev,
                                  const char *key, int index)
{
    gql_path_t *n = apr_palloc(p, sizeof(*n));

    n->prev = prev;
    n->key = key;
    n->index = index;
    return n;
}

/* Whether another error may be added; the one past the limit is
 * graphql-js's "Too many errors" and ends the coercion. */
static int room(varctx_t *v)
{
    if (v->stop) {
        return 0;
    }
    if (v->errors->nelts - v->first >= MAX_VAR_ERRORS) {
        gql_error_add(v->p, v->errors, NULL, "Too many errors processing "
                      "variables, error limit reached. Execution aborted.");
        v->stop = 1;
        return 0;
    }
    return 1;
}

static gql_error_t *verr(varctx_t *v, const gql_path_t *path,
                         json_object *invalid, const char *msg)
{
    const char *prefix;

    if (!room(v)) {
        return NULL;
    }
    prefix = apr_psprintf(v->p, "Variable \"$%s\" got invalid value %s",
                          gql_print_name(v->p, v->name),
                          gql_print_inspect(v->p, invalid));
    if (path != NULL) {
        prefix = apr_pstrcat(v->p, prefix, " at \"",
                             gql_print_name(v->p, apr_pstrcat(v->p, v->name,
                                            path_text(v->p, path), NULL)),
                             "\"", NULL);
    }
    return gql_error_add(v->p, v->errors, v->loc, "%s; %s", prefix, msg);
}

static json_object *cin_new(varctx_t *v, json_object *val,
                            const gql_tref_t *t, const gql_path_t *path);

static int literal_new(apr_pool_t *p, const gql_tref_t *t,
                       const gql_value_t *lit, json_object *vars,
                       json_object **out);

/* A default value of an input field or argument, as valueFromAST gives
 * it; 0 when the literal is not a valid value (then there is none). */
static int default_new(apr_pool_t *p, const gql_input_value_t *f,
                       json_object **out)
{
    return f->default_value != NULL
           && literal_new(p, f->type, f->default_value, NULL, out);
}

/* The @oneOf rules.  first_bad: the first member failed to coerce, so
 * graphql-js holds undefined there, not null. */
static void cin_oneof(varctx_t *v, const gql_type_t *t, json_object *out,
                      const gql_path_t *path, json_object *val, int first_bad)
{
    const char *key = NULL;
    json_object *first = NULL;
    struct lh_entry *e = json_object_get_object(out)->head;

    if (json_object_object_length(out) != 1) {
        verr(v, path, val, apr_psprintf(v->p, "Exactly one key must be "
                                        "specified for OneOf type \"%s\".",
                                        t->name));
    }
    if (e != NULL) {
        key = (const char *)lh_entry_k(e);
        first = (json_object *)lh_entry_v(e);
    }
    if (key != NULL && first == NULL && !first_bad) {
        verr(v, path_add(v->p, path, key, 0), NULL,
             apr_psprintf(v->p, "Field \"%s\" must be non-null.", key));
    }
}

/* An input object from a JSON object. */
static json_object *cin_object_new(varctx_t *v, json_object *val,
                                   const gql_type_t *t,
                                   const gql_path_t *path)
{
    json_object *out = json_object_new_object(), *fv, *dv;
    apr_array_header_t *names = apr_array_make(v->p, 8, sizeof(const char *));
    struct lh_entry *e;
    int i, first_bad = 0;

    for (i = 0; i < t->input_fields->nelts; i++) {
        const gql_input_value_t *f = APR_ARRAY_IDX(t->input_fields, i,
                                                   const gql_input_value_t *);
        int before = v->errors->nelts;

        if (!json_object_object_get_ex(val, f->name, &fv)) {
            if (default_new(v->p, f, &dv)) {
                json_object_object_add(out, f->name, dv);
            }
            else if (f->type->kind == GQL_TYPE_NON_NULL && room(v)) {
                verr(v, path, val, apr_psprintf(v->p, "Field \"%s\" of "
                     "required type \"%s\" was not provided.", f->name,
                     gql_print_type(v->p, f->type)));
            }
            continue;
        }
        fv = cin_new(v, fv, f->type, path_add(v->p, path, f->name, 0));
        if (json_object_object_length(out) == 0) {
            first_bad = v->errors->nelts > before;
        }
        json_object_object_add(out, f->name, fv);
    }
    for (i = 0; i < t->input_fields->nelts; i++) {
        APR_ARRAY_PUSH(names, const char *) =
            APR_ARRAY_IDX(t->input_fields, i, gql_input_value_t *)->name;
    }
    for (e = json_object_get_object(val)->head; e != NULL; e = e->next) {
        const char *key = lh_entry_k(e);
        int known = 0;

        for (i = 0; i < names->nelts && !known; i++) {
            known = !strcmp(APR_ARRAY_IDX(names, i, const char *), key);
        }
        if (!known) {
            verr(v, path, val, apr_psprintf(v->p, "Field \"%s\" is not "
                 "defined by type \"%s\".%s", gql_print_name(v->p, key),
                 t->name,
                 gql_print_suggest(v->p, NULL, key, names)));
        }
    }
    if (t->one_of) {
        cin_oneof(v, t, out, path, val, first_bad);
    }
    return out;
}

static json_object *cin_new(varctx_t *v, json_object *val,
                            const gql_tref_t *t, const gql_path_t *path)
{
    json_object *out;
    const char *msg;
    size_t i;
    int ok;

    if (t->kind == GQL_TYPE_NON_NULL) {
        if (val != NULL) {
            return cin_new(v, val, t->of_type, path);
        }
        verr(v, path, NULL, apr_psprintf(v->p, "Expected non-nullable type "
                                         "\"%s\" not to be null.",
                                         gql_print_type(v->p, t)));
        return NULL;
    }
    if (val == NULL) {
        return NULL;
    }
    if (t->kind == GQL_TYPE_LIST) {
        out = json_object_new_array();
        if (!json_object_is_type(val, json_type_array)) {
            json_object_array_add(out, cin_new(v, val, t->of_type, path));
            return out;
        }
        for (i = 0; i < json_object_array_length(val); i++) {
            json_object_array_add(out, cin_new(v,
                json_object_array_get_idx(val, i), t->of_type,
                path_add(v->p, path, NULL, (int)i)));
        }
        return out;
    }
    if (t->named->kind == GQL_KIND_INPUT_OBJECT) {
        if (!json_object_is_type(val, json_type_object)) {
            verr(v, path, val, apr_psprintf(v->p, "Expected type \"%s\" to "
                                            "be an object.", t->named->name));
            return NULL;
        }
        return cin_object_new(v, val, t->named, path);
    }
    if ((ok = parse_value_new(v->p, t->named, val, &out, &msg)) <= 0) {
        gql_error_t *e = verr(v, path, val, msg);

        if (e != NULL && ok < 0) {
            e->code = "BAD_USER_INPUT";
        }
        return NULL;
    }
    return out;
}

/* The schema's type for a type written in a document, or NULL when it
 * names no type. */
static const gql_tref_t *tref(apr_pool_t *p, const gql_schema_t *s,
                              const gql_type_ref_t *r)
{
    gql_tref_t *t = apr_pcalloc(p, sizeof(*t));

    t->kind = r->kind;
    if (r->kind == GQL_TYPE_NAMED) {
        t->named = gql_schema_type(s, r->name.value);
        return t->named ? t : NULL;
    }
    t->of_type = tref(p, s, r->of_type);
    return t->of_type ? t : NULL;
}

static const gql_type_t *named_of(const gql_tref_t *t)
{
    while (t->kind != GQL_TYPE_NAMED) {
        t = t->of_type;
    }
    return t->named;
}

static void coerce_one(varctx_t *v, const gql_schema_t *schema,
                       const gql_variable_def_t *d, json_object *inputs,
                       json_object *out)
{
    const gql_tref_t *t = tref(v->p, schema, d->type);
    json_object *val = NULL;
    const gql_type_t *nt = t ? named_of(t) : NULL;

    if (nt == NULL || nt->kind == GQL_KIND_OBJECT
        || nt->kind == GQL_KIND_INTERFACE || nt->kind == GQL_KIND_UNION) {
        if (room(v)) {
            gql_error_add(v->p, v->errors, &d->type->loc, "Variable \"$%s\" "
                          "expected value of type \"%s\" which cannot be "
                          "used as an input type.",
                          gql_print_name(v->p, v->name),
                          gql_print_ast_type(v->p, d->type));
        }
        return;
    }
    if (inputs == NULL || !json_object_object_get_ex(inputs, v->name, &val)) {
        if (d->default_value != NULL) {
            if (literal_new(v->p, t, d->default_value, NULL, &val)) {
                json_object_object_add(out, v->name, val);
            }
        }
        else if (t->kind == GQL_TYPE_NON_NULL && room(v)) {
            gql_error_add(v->p, v->errors, v->loc, "Variable \"$%s\" of "
                          "required type \"%s\" was not provided.",
                          gql_print_name(v->p, v->name),
                          gql_print_type(v->p, t));
        }
        return;
    }
    if (val == NULL && t->kind == GQL_TYPE_NON_NULL) {
        if (room(v)) {
            gql_error_add(v->p, v->errors, v->loc, "Variable \"$%s\" of "
                          "non-null type \"%s\" must not be null.",
                          gql_print_name(v->p, v->name),
                          gql_print_type(v->p, t));
        }
        return;
    }
    json_object_object_add(out, v->name, cin_new(v, val, t, NULL));
}

json_object *gql_coerce_variables(apr_pool_t *p, const gql_schema_t *schema,
                                  const gql_definition_t *operation,
                                  json_object *inputs,
                                  apr_array_header_t *errors)
{
    json_object *out = gql_json_own(p, json_object_new_object());
    varctx_t v;
    int i;

    memset(&v, 0, sizeof(v));
    v.p = p;
    v.errors = errors;
    v.first = errors->nelts;
    for (i = 0; i < operation->variables->nelts && !v.stop; i++) {
        const gql_variable_def_t *d = GQL_AST_ITEM(operation->variables, i,
                                                   gql_variable_def_t);

        v.name = d->name.value;
        v.loc = &d->loc;
        coerce_one(&v, schema, d, inputs, out);
    }
    return errors->nelts > v.first ? NULL : out;
}

/* ---- literals: valueFromAST */

static int missing_var(const gql_value_t *lit, json_object *vars)
{
    return lit->kind == GQL_VALUE_VARIABLE
           && (vars == NULL
               || !json_object_object_get_ex(vars, lit->text, NULL));
}

/* A variable's value, borrowed from vars (NULL: null or not given). */
static json_object *var_value(json_object *vars, const char *name)
{
    json_object *o = NULL;

    if (vars != NULL) {
        json_object_object_get_ex(vars, name, &o);
    }
    return o;
}

/* valueFromASTUntyped: a custom scalar's literal as JSON. */
static json_object *untyped_new(apr_pool_t *p, const gql_value_t *lit,
                                json_object *vars)
{
    json_object *o;
    int i;

    switch (lit->kind) {
    case GQL_VALUE_INT:
    case GQL_VALUE_FLOAT:
        return new_float(p, strtod(lit->text, NULL));
    case GQL_VALUE_STRING:
    case GQL_VALUE_ENUM:
        return json_object_new_string_len(lit->text, (int)lit->len);
    case GQL_VALUE_BOOLEAN:
        return json_object_new_boolean(lit->boolean);
    case GQL_VALUE_VARIABLE:
        return gql_json_ref(var_value(vars, lit->text));
    case GQL_VALUE_LIST:
        o = json_object_new_array();
        for (i = 0; i < lit->items->nelts; i++) {
            json_object_array_add(o, untyped_new(p, GQL_AST_ITEM(lit->items,
                                  i, gql_value_t), vars));
        }
        return o;
    case GQL_VALUE_OBJECT:
        o = json_object_new_object();
        for (i = 0; i < lit->fields->nelts; i++) {
            const gql_object_field_t *f = GQL_AST_ITEM(lit->fields, i,
                                                       gql_object_field_t);

            json_object_object_add(o, f->name.value,
                                   untyped_new(p, f->value, vars));
        }
        return o;
    default:
        return NULL;
    }
}

/* parseLiteral of a leaf type: 1 with *out, or 0 (invalid).  What the
 * type takes is what validation checks (gql_value_leaf_problem). */
static int parse_literal_new(apr_pool_t *p, const gql_type_t *t,
                             const gql_value_t *lit, json_object *vars,
                             json_object **out)
{
    if (gql_value_leaf_problem(p, lit, t) != NULL) {
        return 0;
    }
    if (t->kind == GQL_KIND_ENUM) {
        *out = json_object_new_string(lit->text);
    }
    else if (is_builtin(t, "Int")) {
        *out = new_int(strtod(lit->text, NULL));
    }
    else if (is_builtin(t, "Float")) {
        *out = new_float(p, strtod(lit->text, NULL));
    }
    else if (is_builtin(t, "String") || is_builtin(t, "ID")) {
        *out = json_object_new_string_len(lit->text, (int)lit->len);
    }
    else if (is_builtin(t, "Boolean")) {
        *out = json_object_new_boolean(lit->boolean);
    }
    else {
        *out = untyped_new(p, lit, vars);
    }
    return 1;
}

static int lit_list_new(apr_pool_t *p, const gql_tref_t *t,
                        const gql_value_t *lit, json_object *vars,
                        json_object **out)
{
    json_object *o, *item;
    int i, bad;

    if (lit->kind != GQL_VALUE_LIST) {
        if (!literal_new(p, t->of_type, lit, vars, &item)) {
            return 0;
        }
        *out = json_object_new_array();
        json_object_array_add(*out, item);
        return 1;
    }
    o = json_object_new_array();
    for (i = 0; i < lit->items->nelts; i++) {
        const gql_value_t *v = GQL_AST_ITEM(lit->items, i, gql_value_t);

        item = NULL;
        if (missing_var(v, vars)) {
            bad = t->of_type->kind == GQL_TYPE_NON_NULL;
        }
        else {
            bad = !literal_new(p, t->of_type, v, vars, &item);
        }
        if (bad) {
            gql_json_drop(o);
            return 0;
        }
        json_object_array_add(o, item);
    }
    *out = o;
    return 1;
}

static const gql_value_t *lit_field(const gql_value_t *lit, const char *name)
{
    const gql_value_t *found = NULL;
    int i;

    for (i = 0; i < lit->fields->nelts; i++) {
        const gql_object_field_t *f = GQL_AST_ITEM(lit->fields, i,
                                                   gql_object_field_t);

        if (strcmp(f->name.value, name) == 0) {
            found = f->value;           /* the last one, as keyMap does */
        }
    }
    return found;
}

/* The fields of an input object literal into o; 0 when one is not valid. */
static int lit_fields(apr_pool_t *p, const gql_type_t *t,
                      const gql_value_t *lit, json_object *vars,
                      json_object *o)
{
    json_object *fv;
    int i;

    for (i = 0; i < t->input_fields->nelts; i++) {
        const gql_input_value_t *f = APR_ARRAY_IDX(t->input_fields, i,
                                                   const gql_input_value_t *);
        const gql_value_t *v = lit_field(lit, f->name);

        if (v == NULL || missing_var(v, vars)) {
            if (default_new(p, f, &fv)) {
                json_object_object_add(o, f->name, fv);
            }
            else if (f->type->kind == GQL_TYPE_NON_NULL) {
                return 0;
            }
            continue;
        }
        if (!literal_new(p, f->type, v, vars, &fv)) {
            return 0;
        }
        json_object_object_add(o, f->name, fv);
    }
    return 1;
}

/* @oneOf: exactly one field, and not null. */
static int one_set(json_object *o)
{
    return json_object_object_length(o) == 1
           && lh_entry_v(json_object_get_object(o)->head) != NULL;
}

static int lit_object_new(apr_pool_t *p, const gql_type_t *t,
                          const gql_value_t *lit, json_object *vars,
                          json_object **out)
{
    json_object *o;

    if (lit->kind != GQL_VALUE_OBJECT) {
        return 0;
    }
    o = json_object_new_object();
    if (!lit_fields(p, t, lit, vars, o) || (t->one_of && !one_set(o))) {
        gql_json_drop(o);
        return 0;
    }
    *out = o;
    return 1;
}

/* gql_coerce_literal() with a new reference in *out (NULL when 0). */
static int literal_new(apr_pool_t *p, const gql_tref_t *t,
                       const gql_value_t *lit, json_object *vars,
                       json_object **out)
{
    *out = NULL;
    if (lit->kind == GQL_VALUE_VARIABLE) {
        if (missing_var(lit, vars)) {
            return 0;
        }
        *out = gql_json_ref(var_value(vars, lit->text));
        return !(*out == NULL && t->kind == GQL_TYPE_NON_NULL);
    }
    if (t->kind == GQL_TYPE_NON_NULL) {
        return lit->kind != GQL_VALUE_NULL
               && literal_new(p, t->of_type, lit, vars, out);
    }
    if (lit->kind == GQL_VALUE_NULL) {
        return 1;
    }
    if (t->kind == GQL_TYPE_LIST) {
        return lit_list_new(p, t, lit, vars, out);
    }
    if (t->named->kind == GQL_KIND_INPUT_OBJECT) {
        return lit_object_new(p, t->named, lit, vars, out);
    }
    return parse_literal_new(p, t->named, lit, vars, out);
}

int gql_coerce_literal(apr_pool_t *p, const gql_tref_t *t,
                       const gql_value_t *lit, json_object *variables,
                       json_object **out)
{
    if (!literal_new(p, t, lit, variables, out)) {
        return 0;
    }
    gql_json_own(p, *out);
    return 1;
}

/* ---- arguments: CoerceArgumentValues */

static const gql_argument_t *arg_named(const apr_array_header_t *args,
                                       const char *name)
{
    int i;

    for (i = 0; args != NULL && i < args->nelts; i++) {
        const gql_argument_t *a = GQL_AST_ITEM(args, i, gql_argument_t);

        if (strcmp(a->name.value, name) == 0) {
            return a;
        }
    }
    return NULL;
}

static json_object *arg_fail(apr_pool_t *p, gql_error_t **err,
                             const gql_loc_t *loc, const char *msg)
{
    apr_array_header_t *errs = gql_errors_make(p);

    *err = gql_error_add(p, errs, loc, "%s", msg);
    return NULL;
}

/* The arguments of a field that defines none: one empty object per pool
 * (no reader adds to a field's arguments), not a new one for every field
 * node the executor resolves. */
static json_object *no_arguments(apr_pool_t *p)
{
    return gql_json_pool_value(p, "gql_coerce:no_arguments",
                               json_object_new_object);
}

json_object *gql_coerce_arguments(apr_pool_t *p,
                                  const apr_array_header_t *defs,
                                  const apr_array_header_t *args,
                                  const gql_loc_t *at,
                                  json_object *variables, gql_error_t **err)
{
    json_object *out, *v;
    int i;

    if (defs->nelts == 0) {
        return no_arguments(p);
    }
    out = gql_json_own(p, json_object_new_object());
    for (i = 0; i < defs->nelts; i++) {
        const gql_input_value_t *d = APR_ARRAY_IDX(defs, i,
                                                   const gql_input_value_t *);
        const gql_argument_t *a = arg_named(args, d->name);
        int nn = d->type->kind == GQL_TYPE_NON_NULL, isnull;

        if (a == NULL || missing_var(a->value, variables)) {
            if (default_new(p, d, &v)) {
                json_object_object_add(out, d->name, v);
            }
            else if (nn && a == NULL) {
                return arg_fail(p, err, at, apr_psprintf(p, "Argument \"%s\" "
                                "of required type \"%s\" was not provided.",
                                d->name, gql_print_type(p, d->type)));
            }
            else if (nn) {
                return arg_fail(p, err, &a->value->loc, apr_psprintf(p,
                    "Argument \"%s\" of required type \"%s\" was provided "
                    "the variable \"$%s\" which was not provided a runtime "
                    "value.", d->name, gql_print_type(p, d->type),
                    a->value->text));
            }
            continue;
        }
        isnull = a->value->kind == GQL_VALUE_NULL;
        if (a->value->kind == GQL_VALUE_VARIABLE) {
            json_object_object_get_ex(variables, a->value->text, &v);
            isnull = v == NULL;
        }
        if (isnull && nn) {
            return arg_fail(p, err, &a->value->loc, apr_psprintf(p,
                            "Argument \"%s\" of non-null type \"%s\" must "
                            "not be null.", d->name,
                            gql_print_type(p, d->type)));
        }
        if (!literal_new(p, d->type, a->value, variables, &v)) {
            return arg_fail(p, err, &a->value->loc, apr_psprintf(p,
                            "Argument \"%s\" has invalid value %s.", d->name,
                            gql_print_value(p, a->value)));
        }
        json_object_object_add(out, d->name, v);
    }
    return out;
}

/* ---- results: serialize */

/* The number Int and Float serialize raw as: a boolean, a non-empty
 * string or a number; NaN for anything else. */
static double ser_number(json_object *raw)
{
    if (json_object_is_type(raw, json_type_boolean)) {
        return json_object_get_boolean(raw);
    }
    if (json_object_is_type(raw, json_type_string)
        && json_object_get_string_len(raw) > 0) {
        return js_to_number(json_object_get_string(raw));
    }
    return is_number(raw) ? num(raw) : NAN;
}

static int ser_int_new(apr_pool_t *p, json_object *raw, json_object **out,
                       const char **msg)
{
    double d = ser_number(raw);

    if (!is_integer(d)) {
        *msg = apr_pstrcat(p, "Int cannot represent non-integer value: ",
                           gql_print_inspect(p, raw), NULL);
        return 0;
    }
    if (d > MAX_INT || d < MIN_INT) {
        *msg = apr_pstrcat(p, "Int cannot represent non 32-bit signed "
                           "integer value: ", gql_print_inspect(p, raw),
                           NULL);
        return 0;
    }
    *out = new_int(d);
    return 1;
}

static int ser_float_new(apr_pool_t *p, json_object *raw, json_object **out,
                         const char **msg)
{
    double d = ser_number(raw);

    if (!isfinite(d)) {
        *msg = apr_pstrcat(p, "Float cannot represent non numeric value: ",
                           gql_print_inspect(p, raw), NULL);
        return 0;
    }
    *out = json_object_is_type(raw, json_type_int) ? gql_json_ref(raw)
                                                   : new_float(p, d);
    return 1;
}

/* String, Boolean and ID */
static int ser_text_new(apr_pool_t *p, const gql_type_t *t,
                        json_object *raw, json_object **out,
                        const char **msg)
{
    int isstr = json_object_is_type(raw, json_type_string);
    int isbool = json_object_is_type(raw, json_type_boolean);

    if (t->name[0] == 'B') {
        if (isbool || (is_number(raw) && isfinite(num(raw)))) {
            *out = json_object_new_boolean(isbool
                                           ? json_object_get_boolean(raw)
                                           : num(raw) != 0);
            return 1;
        }
        *msg = apr_pstrcat(p, "Boolean cannot represent a non boolean "
                           "value: ", gql_print_inspect(p, raw), NULL);
        return 0;
    }
    if (isstr) {
        *out = gql_json_ref(raw);
        return 1;
    }
    if (t->name[0] == 'S' && isbool) {
        *out = json_object_new_string(json_object_get_boolean(raw)
                                      ? "true" : "false");
        return 1;
    }
    if (is_number(raw) && (t->name[0] == 'S' ? isfinite(num(raw))
                           : is_integer(num(raw)))) {
        *out = json_object_new_string(gql_print_inspect(p, raw));
        return 1;
    }
    *msg = apr_pstrcat(p, t->name[0] == 'S' ? "String" : "ID", " cannot "
                       "represent value: ", gql_print_inspect(p, raw), NULL);
    return 0;
}

int gql_coerce_result_new(apr_pool_t *p, const gql_type_t *leaf,
                          json_object *raw, json_object **out,
                          const char **msg)
{
    *out = NULL;
    if (leaf->kind == GQL_KIND_ENUM) {
        if (json_object_is_type(raw, json_type_string)
            && enum_value(leaf, json_object_get_string(raw)) != NULL) {
            *out = gql_json_ref(raw);
            return 1;
        }
        *msg = apr_psprintf(p, "Enum \"%s\" cannot represent value: %s",
                            leaf->name, gql_print_inspect(p, raw));
        return 0;
    }
    if (is_builtin(leaf, "Int")) {
        return ser_int_new(p, raw, out, msg);
    }
    if (is_builtin(leaf, "Float")) {
        return ser_float_new(p, raw, out, msg);
    }
    if (is_builtin(leaf, "String") || is_builtin(leaf, "Boolean")
        || is_builtin(leaf, "ID")) {
        return ser_text_new(p, leaf, raw, out, msg);
    }
    *out = gql_json_ref(raw);           /* a custom scalar: as resolved */
    return 1;
}
