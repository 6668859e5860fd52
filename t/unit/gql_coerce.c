/* Licensed under the Apache License, Version 2.0 (the "License"); you may
 * not use this file except in compliance with the License.  You may obtain
 * a copy of the License at http://www.apache.org/licenses/LICENSE-2.0
 */

/*
 * t/unit/gql_coerce.c: coercion alone, against t/cases/coerce/cases.json
 * (t/tools/coerce-expected.js wrote each "expected" with graphql-js 16):
 * variables (getVariableValues), literals (valueFromAST) and results
 * (serialize) over the types of t/cases/coerce/schema.graphql.  Values
 * are compared as JavaScript sees them: numbers by value, member order
 * kept.
 */

#include <string.h>
#include <apr_general.h>
#include <apr_strings.h>
#include <apr_file_io.h>
#include "gql_coerce.h"
#include "gql_json.h"
#include "gql_parser.h"
#include "tap.h"
#include "util.h"

#define DIR "t/cases/coerce"

static apr_pool_t *pool;

/* A value as JavaScript would print it with JSON.stringify. */
static const char *js(apr_pool_t *p, json_object *o)
{
    const char *out;
    struct lh_entry *e;
    size_t i;

    switch (json_object_get_type(o)) {
    case json_type_null:
        return "null";
    case json_type_boolean:
        return json_object_get_boolean(o) ? "true" : "false";
    case json_type_int:
        return apr_psprintf(p, "%" APR_INT64_T_FMT, json_object_get_int64(o));
    case json_type_double:
        return gql_print_number(p, json_object_get_double(o));
    case json_type_string:
        return json_object_to_json_string_ext(o, JSON_C_TO_STRING_PLAIN);
    case json_type_array:
        out = "[";
        for (i = 0; i < json_object_array_length(o); i++) {
            out = apr_pstrcat(p, out, i ? "," : "",
                              js(p, json_object_array_get_idx(o, i)), NULL);
        }
        return apr_pstrcat(p, out, "]", NULL);
    default:
        out = "{";
        for (e = json_object_get_object(o)->head; e; e = e->next) {
            out = apr_pstrcat(p, out, e == json_object_get_object(o)->head
                              ? "" : ",", "\"", (const char *)lh_entry_k(e),
                              "\":", js(p, (json_object *)lh_entry_v(e)),
                              NULL);
        }
        return apr_pstrcat(p, out, "}", NULL);
    }
}

static const gql_tref_t *tref(apr_pool_t *p, const gql_schema_t *s,
                              const gql_type_ref_t *r)
{
    gql_tref_t *t = apr_pcalloc(p, sizeof(*t));

    t->kind = r->kind;
    if (r->kind == GQL_TYPE_NAMED) {
        t->named = gql_schema_type(s, r->name.value);
    }
    else {
        t->of_type = tref(p, s, r->of_type);
    }
    return t;
}

/* `query ($v: TYPE) { a(x: LITERAL) }`, parsed. */
static const gql_definition_t *operation(apr_pool_t *p, const char *type,
                                         const char *literal)
{
    const char *q = apr_psprintf(p, "query ($v: %s) { a%s%s%s }", type,
                                 literal ? "(x: " : "",
                                 literal ? literal : "", literal ? ")" : "");
    gql_error_t *err = NULL;
    gql_document_t *doc = gql_parse(p, q, strlen(q), NULL, &err);

    return doc ? GQL_AST_ITEM(doc->definitions, 0, gql_definition_t) : NULL;
}

static const char *variable_case(apr_pool_t *p, const gql_schema_t *s,
                                 json_object *c)
{
    json_object *type, *value, *inputs, *out;
    apr_array_header_t *errors = gql_errors_make(p);
    const char *msgs = "[";
    int i;

    json_object_object_get_ex(c, "type", &type);
    inputs = gql_json_own(p, json_object_new_object());
    if (json_object_object_get_ex(c, "value", &value)) {
        json_object_object_add(inputs, "v", gql_json_ref(value));
    }
    out = gql_coerce_variables(p, s, operation(p, json_object_get_string(type),
                                               NULL), inputs, errors);
    if (out != NULL) {
        return apr_pstrcat(p, "{\"value\":", js(p, out), "}", NULL);
    }
    for (i = 0; i < errors->nelts; i++) {
        json_object *m = gql_json_own(p, json_object_new_string(
            APR_ARRAY_IDX(errors, i, gql_error_t *)->message));

        msgs = apr_pstrcat(p, msgs, i ? "," : "", js(p, m), NULL);
    }
    return apr_pstrcat(p, "{\"errors\":", msgs, "]}", NULL);
}

static const char *literal_case(apr_pool_t *p, const gql_schema_t *s,
                                json_object *c)
{
    json_object *type, *lit, *vars = NULL, *out;
    const gql_definition_t *d;
    const gql_variable_def_t *v;
    const gql_selection_t *sel;

    json_object_object_get_ex(c, "type", &type);
    json_object_object_get_ex(c, "literal", &lit);
    json_object_object_get_ex(c, "variables", &vars);
    d = operation(p, json_object_get_string(type),
                  json_object_get_string(lit));
    if (d == NULL) {
        return "UNPARSABLE";
    }
    v = GQL_AST_ITEM(d->variables, 0, gql_variable_def_t);
    sel = GQL_AST_ITEM(d->selection_set->selections, 0, gql_selection_t);
    if (!gql_coerce_literal(p, tref(p, s, v->type),
                            GQL_AST_ITEM(sel->arguments, 0,
                                         gql_argument_t)->value, vars,
                            &out)) {
        return "{\"invalid\":true}";
    }
    return apr_pstrcat(p, "{\"value\":", js(p, out), "}", NULL);
}

static const char *result_case(apr_pool_t *p, const gql_schema_t *s,
                               json_object *c)
{
    json_object *type, *value = NULL, *out;
    const char *msg;

    json_object_object_get_ex(c, "type", &type);
    json_object_object_get_ex(c, "value", &value);
    if (!gql_coerce_result_new(p, gql_schema_type(s,
                               json_object_get_string(type)), value, &out,
                               &msg)) {
        return apr_pstrcat(p, "{\"error\":", js(p, gql_json_own(p,
                           json_object_new_string(msg))), "}", NULL);
    }
    return apr_pstrcat(p, "{\"value\":", js(p, gql_json_own(p, out)), "}",
                       NULL);
}

static const gql_schema_t *load(void)
{
    const char *files[] = {DIR "/schema.graphql"};
    apr_array_header_t *errors = gql_errors_make(pool);

    return gql_schema_load(pool, pool, NULL, files, 1, errors);
}

/* Ours, past graphql-js: text holding U+0000, anywhere a variable's value
 * has it, is refused as the client's mistake (BAD_USER_INPUT). */
static void nul_cases(const gql_schema_t *s)
{
    static const struct {
        const char *type, *value, *message;
    } cases[] = {
        { "String", "\"ab\\u0000cd\"", "Variable \"$v\" got invalid value "
          "\"ab\\u0000cd\"; U+0000 is not allowed in a value of type "
          "\"String\"." },
        { "ID", "\"\\u0000\"", NULL },
        { "Custom", "{\"k\": [\"x\\u0000\"]}", NULL },
        { "Color", "\"RED\\u0000x\"", NULL },
        { "[String]", "[\"a\", \"b\\u0000\"]", "Variable \"$v\" got invalid "
          "value \"b\\u0000\" at \"v[1]\"; U+0000 is not allowed in a value "
          "of type \"String\"." },
        { "In", "{\"a\": 1, \"nested\": {\"a\": 2, \"b\": \"\\u0000\"}}",
          NULL },
    };
    size_t i;

    for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        apr_pool_t *p;
        apr_array_header_t *errors;
        json_object *in;
        const gql_error_t *e;

        apr_pool_create(&p, pool);
        errors = gql_errors_make(p);
        in = gql_json_own(p, json_object_new_object());
        json_object_object_add(in, "v", json_tokener_parse(cases[i].value));
        ok(gql_coerce_variables(p, s, operation(p, cases[i].type, NULL), in,
                                errors) == NULL && errors->nelts == 1,
           apr_psprintf(p, "U+0000 in a %s refused", cases[i].type));
        e = errors->nelts ? APR_ARRAY_IDX(errors, 0, gql_error_t *) : NULL;
        is_str(e ? e->code : NULL, "BAD_USER_INPUT",
               apr_psprintf(p, "%s: BAD_USER_INPUT", cases[i].type));
        if (cases[i].message != NULL) {
            is_str(e ? e->message : NULL, cases[i].message,
                   apr_psprintf(p, "%s: the message", cases[i].type));
        }
        apr_pool_destroy(p);
    }
}

int main(int argc, const char *const *argv)
{
    const gql_schema_t *s;
    json_object *cases;
    size_t i;

    apr_app_initialize(&argc, &argv, NULL);
    apr_pool_create(&pool, NULL);
    s = load();
    cases = gql_json_own(pool, json_tokener_parse(slurp(pool, DIR
                                                        "/cases.json",
                                                        NULL)));
    setup_ok(s != NULL && cases != NULL, "the schema and the cases load");
    for (i = 0; s && cases && i < json_object_array_length(cases); i++) {
        json_object *c = json_object_array_get_idx(cases, i), *kind, *want;
        apr_pool_t *p;
        const char *k, *got;

        apr_pool_create(&p, pool);
        json_object_object_get_ex(c, "kind", &kind);
        json_object_object_get_ex(c, "expected", &want);
        k = json_object_get_string(kind);
        got = strcmp(k, "variable") == 0 ? variable_case(p, s, c)
              : strcmp(k, "literal") == 0 ? literal_case(p, s, c)
              : result_case(p, s, c);
        is_str(got, js(p, want), apr_psprintf(p, "%s %s %s", k,
               json_object_get_string(json_object_object_get(c, "type")),
               json_object_to_json_string_ext(c, JSON_C_TO_STRING_PLAIN)));
        apr_pool_destroy(p);
    }
    if (s != NULL) {
        nul_cases(s);
    }
    apr_pool_destroy(pool);
    apr_terminate();
    return tap_done();
}
