/* Licensed under the Apache License, Version 2.0 (the "License"); you may
 * not use this file except in compliance with the License.  You may obtain
 * a copy of the License at http://www.apache.org/licenses/LICENSE-2.0
 */

/*
 * gql_schema.c (test): the schema builder against the cases in
 * t/cases/schema/NAME/ (or the directory given as the first argument).
 *
 * A case holds SDL files (*.graphql, loaded in name order from inside the
 * case directory, so that messages name them as "1.graphql") and either
 * "errors" (every error, one per line, as gql_error_format prints it) or
 * "expected" (the dump below of the built schema).  Both are written by
 * t/tools/schema-expected.js from what graphql-js 16.13.2 says for the
 * same SDL (validateSDL over the built-ins, buildASTSchema, then
 * validateSchema), except in the cases marked `manual` (spec-*): those
 * check what the specification asks and graphql-js 16 does not (defaults
 * and directive arguments of the right type, distinct root types,
 * directives that do not reach themselves, operations in a schema,
 * directives on extensions), and were checked by hand.
 */

#include <stdlib.h>
#include <string.h>
#include <apr_general.h>
#include <apr_strings.h>
#include <apr_file_io.h>
#include <apr_file_info.h>
#include "gql_parser.h"
#include "gql_print.h"
#include "gql_schema.h"
#include "tap.h"
#include "util.h"

static const char *quote(apr_pool_t *p, const char *s)
{
    char *out = apr_palloc(p, strlen(s) * 6 + 3), *o = out;

    *o++ = '"';
    for (; *s; s++) {
        unsigned char ch = (unsigned char)*s;

        if (ch == '"' || ch == '\\') {
            *o++ = '\\';
            *o++ = (char)ch;
        }
        else if (ch == '\n') {
            *o++ = '\\';
            *o++ = 'n';
        }
        else if (ch < 0x20) {
            o += apr_snprintf(o, 7, "\\u%04x", ch);
        }
        else {
            *o++ = (char)ch;
        }
    }
    *o++ = '"';
    *o = '\0';
    return out;
}

static const char *deprecated(apr_pool_t *p, const char *reason)
{
    return reason ? apr_pstrcat(p, " deprecated ", quote(p, reason), NULL)
                  : "";
}

static const char *description(apr_pool_t *p, const char *indent,
                               const gql_string_t *d)
{
    return d ? apr_pstrcat(p, indent, "description ", quote(p, d->value),
                           "\n", NULL) : "";
}

static const char *input_value(apr_pool_t *p, const gql_input_value_t *v)
{
    return apr_pstrcat(p, v->name, ": ", gql_print_type(p, v->type),
                       v->default_value ? " = " : "",
                       v->default_value
                           ? gql_print_value(p, v->default_value) : "",
                       deprecated(p, v->deprecation_reason), NULL);
}

static const char *args(apr_pool_t *p, const apr_array_header_t *a)
{
    const char *out = "";
    int i;

    if (a->nelts == 0) {
        return "";
    }
    for (i = 0; i < a->nelts; i++) {
        out = apr_pstrcat(p, out, i ? ", " : "(",
                          input_value(p, APR_ARRAY_IDX(a, i,
                                      const gql_input_value_t *)), NULL);
    }
    return apr_pstrcat(p, out, ")", NULL);
}

static const char *names(apr_pool_t *p, const apr_array_header_t *types,
                         const char *sep)
{
    const char *out = "";
    int i;

    for (i = 0; i < types->nelts; i++) {
        out = apr_pstrcat(p, out, i ? sep : "",
                          APR_ARRAY_IDX(types, i, const gql_type_t *)->name,
                          NULL);
    }
    return out;
}

static const char *dump_type(apr_pool_t *p, const gql_type_t *t)
{
    const char *out;
    int i;

    out = apr_pstrcat(p, gql_type_kind_names[t->kind], " ", t->name,
                      t->interfaces->nelts ? " implements " : "",
                      names(p, t->interfaces, " & "),
                      t->specified_by_url ? " specifiedBy " : "",
                      t->specified_by_url ? quote(p, t->specified_by_url) : "",
                      t->one_of ? " oneOf" : "", "\n",
                      description(p, "  ", t->description), NULL);
    for (i = 0; i < t->fields->nelts; i++) {
        const gql_field_t *f = APR_ARRAY_IDX(t->fields, i,
                                             const gql_field_t *);

        out = apr_pstrcat(p, out, "  field ", f->name, args(p, f->arguments),
                          ": ", gql_print_type(p, f->type),
                          deprecated(p, f->deprecation_reason), "\n",
                          description(p, "    ", f->description), NULL);
    }
    if (t->kind == GQL_KIND_INTERFACE || t->kind == GQL_KIND_UNION) {
        out = apr_pstrcat(p, out, "  possible ",
                          names(p, t->possible_types, ", "), "\n", NULL);
    }
    for (i = 0; i < t->enum_values->nelts; i++) {
        const gql_enum_value_t *v = APR_ARRAY_IDX(t->enum_values, i,
                                                  const gql_enum_value_t *);

        out = apr_pstrcat(p, out, "  value ", v->name,
                          deprecated(p, v->deprecation_reason), "\n",
                          description(p, "    ", v->description), NULL);
    }
    for (i = 0; i < t->input_fields->nelts; i++) {
        const gql_input_value_t *v = APR_ARRAY_IDX(t->input_fields, i,
                                                   const gql_input_value_t *);

        out = apr_pstrcat(p, out, "  input ", input_value(p, v), "\n",
                          description(p, "    ", v->description), NULL);
    }
    return out;
}

/* The canonical text of a schema: what graphql-js's schema shows for the
 * same SDL, built-ins left out. */
static const char *dump(apr_pool_t *p, const gql_schema_t *s)
{
    const char *out;
    int i, j;

    out = apr_psprintf(p, "schema query=%s mutation=%s subscription=%s\n",
                       s->query ? s->query->name : "-",
                       s->mutation ? s->mutation->name : "-",
                       s->subscription ? s->subscription->name : "-");
    for (i = 0; i < s->directives->nelts; i++) {
        const gql_directive_def_t *d;
        const char *locs = "";

        d = APR_ARRAY_IDX(s->directives, i, const gql_directive_def_t *);

        if (d->builtin) {
            continue;
        }
        for (j = 0; j < d->locations->nelts; j++) {
            locs = apr_pstrcat(p, locs, j ? " | " : "",
                               APR_ARRAY_IDX(d->locations, j, const char *),
                               NULL);
        }
        out = apr_pstrcat(p, out, "directive @", d->name,
                          args(p, d->arguments),
                          d->repeatable ? " repeatable" : "", " on ", locs,
                          "\n", description(p, "  ", d->description), NULL);
    }
    for (i = 0; i < s->types->nelts; i++) {
        const gql_type_t *t = APR_ARRAY_IDX(s->types, i, const gql_type_t *);

        if (!t->builtin) {
            out = apr_pstrcat(p, out, dump_type(p, t), NULL);
        }
    }
    return out;
}

static const char *format_errors(apr_pool_t *p, apr_array_header_t *errors)
{
    const char *out = "";
    int i;

    for (i = 0; i < errors->nelts; i++) {
        out = apr_pstrcat(p, out, gql_error_format(p, APR_ARRAY_IDX(errors, i,
                                                   gql_error_t *)), "\n",
                          NULL);
    }
    return out;
}

static void run_case(apr_pool_t *parent, const char *root, const char *name,
                     const char *cwd)
{
    apr_pool_t *p;
    const char *dir, *want, *got;
    apr_array_header_t *files, *errors;
    gql_schema_t *s;
    int is_errors;

    apr_pool_create(&p, parent);
    dir = apr_pstrcat(p, root, "/", name, NULL);
    files = list(p, dir, ".graphql");
    want = slurp(p, apr_pstrcat(p, dir, "/errors", NULL), NULL);
    is_errors = want != NULL;
    if (!is_errors) {
        want = slurp(p, apr_pstrcat(p, dir, "/expected", NULL), NULL);
    }
    errors = gql_errors_make(p);
    if (files == NULL || apr_filepath_set(dir, p) != APR_SUCCESS) {
        setup_ok(0, name);
        apr_pool_destroy(p);
        return;
    }
    s = gql_schema_load(p, p, NULL, (const char *const *)files->elts,
                        files->nelts, errors);
    apr_filepath_set(cwd, p);
    if (s != NULL) {
        got = apr_pstrcat(p, format_errors(p, errors), dump(p, s), NULL);
    }
    else {
        got = format_errors(p, errors);
        if (!is_errors) {
            got = apr_pstrcat(p, "(no schema)\n", got, NULL);
        }
    }
    if (want == NULL) {
        diag("%s: neither errors nor expected", name);
    }
    is_str(got, want, name);
    apr_pool_destroy(p);
}

/* What the glue and the later stages rely on, beyond the cases. */
static void api_checks(apr_pool_t *p, const char *root)
{
    apr_array_header_t *errors = gql_errors_make(p);
    const char *files[2];
    gql_schema_t *s;
    const gql_type_t *t;
    const gql_directive_def_t *d;

    files[0] = apr_pstrcat(p, root, "/no-such-file.graphql", NULL);
    s = gql_schema_load(p, p, NULL, files, 1, errors);
    ok(s == NULL && errors->nelts == 1, "a missing file is one error");
    if (errors->nelts == 1) {
        is_str(gql_error_format(p, APR_ARRAY_IDX(errors, 0, gql_error_t *)),
               apr_pstrcat(p, files[0], ": cannot read: No such file or "
                           "directory", NULL), "it says why, with no line");
    }
    errors = gql_errors_make(p);
    files[0] = root;
    s = gql_schema_load(p, p, NULL, files, 1, errors);
    ok(s == NULL && errors->nelts == 1
       && strstr(APR_ARRAY_IDX(errors, 0, gql_error_t *)->message,
                 "cannot read: ") != NULL, "a directory cannot be read");
    errors = gql_errors_make(p);
    files[0] = apr_pstrcat(p, root, "/valid-kitchen-sink/1.graphql", NULL);
    files[1] = apr_pstrcat(p, root, "/valid-kitchen-sink/2.graphql", NULL);
    s = gql_schema_load(p, p, NULL, files, 2, errors);
    ok(s != NULL && errors->nelts == 0, "the kitchen sink builds");
    if (s == NULL) {
        return;
    }
    ok(gql_schema_root(s, GQL_OP_QUERY) == gql_schema_type(s, "Query"),
       "the query root is found by kind and by name");
    t = gql_schema_type(s, "String");
    ok(t && t->builtin && t->kind == GQL_KIND_SCALAR && t->description
       && strncmp(t->description->value, "The `String` scalar type", 24) == 0,
       "built-in String with its description");
    ok(gql_schema_type(s, "__Type") && gql_schema_type(s, "__Schema")
       && gql_type_field(gql_schema_type(s, "__Type"), "ofType"),
       "introspection types are there");
    ok(gql_schema_type(s, "NoSuchType") == NULL, "an unknown type is NULL");
    t = gql_schema_type(s, "Query");
    ok(t && gql_type_field(t, "node") && gql_type_field(t, "nope") == NULL
       && gql_type_field(t, "node")->parent == t, "gql_type_field");
    ok(gql_schema_field_def(s, t, "node") == gql_type_field(t, "node")
       && gql_schema_field_def(s, t, "__schema") == s->meta_schema
       && s->meta_schema != NULL && s->meta_type != NULL
       && gql_schema_field_def(s, t, "__type") == s->meta_type
       && gql_schema_field_def(s, t, "__typename") == s->meta_typename
       && !strcmp(gql_print_type(p, s->meta_type->type), "__Type")
       && s->meta_type->arguments->nelts == 1
       && !strcmp(gql_print_type(p, s->meta_schema->type),
                  "__Schema!"),
       "meta-fields of the query root");
    t = gql_schema_type(s, "__Type");
    ok(t && gql_schema_field_def(s, t, "__schema") == NULL
       && gql_schema_field_def(s, t, "__typename") == s->meta_typename
       && gql_schema_field_def(s, gql_schema_type(s, "String"),
                               "__typename") == NULL
       && gql_schema_type(s, "__MetaFields") == NULL,
       "__typename on every composite type only, the carrier hidden");
    d = gql_schema_directive(s, "deprecated");
    ok(d && d->builtin && d->arguments->nelts == 1
       && !strcmp(gql_print_value(p, APR_ARRAY_IDX(d->arguments, 0,
                  const gql_input_value_t *)->default_value),
                  "\"No longer supported\""),
       "@deprecated(reason: String = \"No longer supported\")");
    d = gql_schema_directive(s, "include");
    ok(d && APR_ARRAY_IDX(s->directives, 0, const gql_directive_def_t *) == d
       && gql_schema_directive(s, "specifiedBy")
       && gql_schema_directive(s, "oneOf") && gql_schema_directive(s, "skip"),
       "built-in directives first, as graphql-js orders them");
}

/* The schema of sdl over vocab, or NULL with the errors in *errors. */
static gql_schema_t *with_vocab(apr_pool_t *p, const gql_schema_vocab_t *vocab,
                                const char *sdl, apr_array_header_t **errors)
{
    gql_error_t *err = NULL;
    const gql_document_t *doc = gql_parse(p, sdl, strlen(sdl), "t", &err);

    const gql_schema_vocab_t *vocabs[2];

    vocabs[0] = vocab;
    vocabs[1] = NULL;
    *errors = gql_errors_make(p);
    return doc ? gql_schema_build(p, p, vocabs, &doc, 1, *errors) : NULL;
}

static gql_schema_t *from_sdl(apr_pool_t *p, const char *sdl)
{
    apr_array_header_t *errors;

    return with_vocab(p, NULL, sdl, &errors);
}

/* The first error as "FILE:LINE:COL: message", or "". */
static const char *first_error(apr_pool_t *p, const apr_array_header_t *e)
{
    return e->nelts ? gql_error_format(p, APR_ARRAY_IDX(e, 0, gql_error_t *))
                    : "";
}

/* A later stage's directives join the built-ins, hidden when it says. */
static void vocab_checks(apr_pool_t *p)
{
    static const char sdl[] = "type Query { a: Int @mine(n: 1.5) }\n";
    gql_schema_vocab_t v = {
        "<v>", "directive @mine(n: Float) on FIELD_DEFINITION\n", 1
    };
    apr_array_header_t *errors;
    const gql_directive_def_t *d;
    gql_schema_t *s = with_vocab(p, &v, sdl, &errors);

    d = s ? gql_schema_directive(s, "mine") : NULL;
    ok(d && d->builtin && d->server_side && !strcmp(d->source, "<v>")
       && APR_ARRAY_IDX(s->directives, s->directives->nelts - 1,
                        const gql_directive_def_t *) == d,
       "a hidden vocabulary's directive: built-in, server-side, last");
    ok(s && !gql_schema_type(s, "Float")->referenced,
       "the types only its arguments use are not in the type map");
    v.hidden = 0;
    s = with_vocab(p, &v, sdl, &errors);
    d = s ? gql_schema_directive(s, "mine") : NULL;
    ok(d && d->builtin && !d->server_side
       && gql_schema_type(s, "Float")->referenced,
       "a vocabulary not hidden is shown");
    ok(with_vocab(p, NULL, sdl, &errors) == NULL,
       "without the vocabulary its directive is unknown");
    is_str(first_error(p, errors), "t:1:21: Unknown directive \"@mine\".",
           "... as any other");
    ok(with_vocab(p, &v, "directive @mine on FIELD\ntype Query { a: Int }\n",
                  &errors) == NULL, "a vocabulary's directive is not "
       "defined again");
    is_str(first_error(p, errors), "t:1:12: Directive \"@mine\" already "
           "exists in the schema. It cannot be redefined.",
           "... as a built-in is not");
    v.sdl = "directive @broken(";
    ok(with_vocab(p, &v, sdl, &errors) == NULL
       && strncmp(first_error(p, errors), "<v>:1:", 6) == 0,
       "a vocabulary that does not parse is an error in its source");
}

static const char *map_names(apr_pool_t *p, const gql_schema_t *s)
{
    const char *out = "";
    int i;

    for (i = 0; i < s->type_map->nelts; i++) {
        out = apr_pstrcat(p, out, i ? " " : "", APR_ARRAY_IDX(s->type_map, i,
                          const gql_type_t *)->name, NULL);
    }
    return out;
}

/* The type map is built with the schema; the expected order is the keys
 * of graphql-js 16.13.2's buildSchema(sdl).getTypeMap(). */
static void type_map_checks(apr_pool_t *p)
{
    gql_schema_t *s = from_sdl(p, "type Query { b: B, s: String }\n"
                               "type B { f(x: Float): ID }\n");
    int i, n = 0;

    if (!setup_ok(s != NULL, "type map schema builds")) {
        return;
    }
    is_str(map_names(p, s), "Query String B ID Float Boolean __Schema __Type"
           " __TypeKind __Field __InputValue __EnumValue __Directive"
           " __DirectiveLocation", "type map in graphql-js order");
    for (i = 0; i < s->types->nelts; i++) {
        n += APR_ARRAY_IDX(s->types, i, const gql_type_t *)->referenced;
    }
    ok(n == s->type_map->nelts && !gql_schema_type(s, "Int")->referenced
       && gql_schema_type(s, "Float")->referenced
       && gql_schema_type(s, "B")->referenced,
       "referenced: the types of the map, and only them");
    s = from_sdl(p, "directive @d(n: Int) on FIELD\n"
                 "type Query { a: String }\n");
    ok(s && gql_schema_type(s, "Int")->referenced
       && !gql_schema_type(s, "ID")->referenced
       && !gql_schema_type(s, "Float")->referenced,
       "a directive's argument type is referenced");
    ok(s && gql_schema_hide_directive(s, p, "d") != NULL
       && !gql_schema_type(s, "Int")->referenced
       && strstr(map_names(p, s), "Int") == NULL,
       "not once the directive is hidden as server-side");
}

int main(int argc, const char *const *argv)
{
    apr_pool_t *p;
    const char *root = argc > 1 ? argv[1] : "t/cases/schema";
    char *cwd;
    apr_array_header_t *cases;
    int i;

    apr_app_initialize(&argc, &argv, NULL);
    apr_pool_create(&p, NULL);
    apr_filepath_get(&cwd, 0, p);
    apr_filepath_merge((char **)&root, cwd, root, 0, p);
    cases = list(p, root, NULL);
    if (!setup_ok(cases != NULL && cases->nelts > 0,
                  "there are schema cases")) {
        return tap_done();
    }
    for (i = 0; i < cases->nelts; i++) {
        run_case(p, root, APR_ARRAY_IDX(cases, i, const char *), cwd);
    }
    api_checks(p, root);
    type_map_checks(p);
    vocab_checks(p);
    apr_pool_destroy(p);
    apr_terminate();
    return tap_done();
}
