/* Licensed under the Apache License, Version 2.0 (the "License"); you may
 * not use this file except in compliance with the License.  You may obtain
 * a copy of the License at http://www.apache.org/licenses/LICENSE-2.0
 */

/*
 * gql_introspect.c (test): introspection against the cases in
 * t/cases/introspect/NAME/ (or the case directories given as arguments).
 *
 * A case holds schema.graphql, query.graphql, maybe variables.json, and
 * expected.json: what graphql-js 16.13.2 answers for them
 * (t/tools/introspect-expected.js wrote it).  Each query runs twice, and
 * both responses must equal expected.json, member order included:
 *
 *   - through a small walker below that hands gql_introspect_resolve()
 *     one parent at a time, which tests this stage alone;
 *   - end to end, through the document stage and gql_execute_run(),
 *     whose batches hold every parent of a level at once.
 *
 * With GQL_INTROSPECT_OUT=DIR set, each case's end-to-end response is
 * also written to DIR/NAME.json, for t/tools/introspect-roundtrip.js.
 */

#include <stdlib.h>
#include <string.h>
#include <apr_general.h>
#include <apr_strings.h>
#include <apr_file_io.h>
#include <apr_file_info.h>
#include "gql_introspect.h"
#include "gql_json.h"
#include "gql_parser.h"
#include "operation.h"
#include "tap.h"
#include "util.h"

#define CASES "t/cases/introspect"

typedef struct walk_t {
    apr_pool_t *p;
    const gql_schema_t *s;
    const gql_document_t *doc;
    json_object *variables;
    json_object *errors;        /* array */
    int not_owned;              /* fields owns() refused */
} walk_t;

/* ---- the walker ------------------------------------------------------
 * Enough of execution for introspection queries: fields, aliases,
 * fragments, @skip and @include, arguments from literals and variables.
 * No validation: the cases are valid documents. */

static json_object *literal(walk_t *w, const gql_value_t *v)
{
    json_object *o;

    switch (v->kind) {
    case GQL_VALUE_VARIABLE:
        if (!json_object_object_get_ex(w->variables, v->text, &o)) {
            return NULL;
        }
        return json_object_get(o);
    case GQL_VALUE_STRING:
    case GQL_VALUE_ENUM:
        return json_object_new_string_len(v->text, (int)v->len);
    case GQL_VALUE_BOOLEAN:
        return json_object_new_boolean(v->boolean);
    case GQL_VALUE_INT:
        return json_object_new_int64(strtoll(v->text, NULL, 10));
    default:
        return NULL;
    }
}

static int given(walk_t *w, const gql_value_t *v)
{
    return v->kind != GQL_VALUE_VARIABLE
           || json_object_object_get_ex(w->variables, v->text, NULL);
}

static json_object *arguments(walk_t *w, const apr_array_header_t *defs,
                              const apr_array_header_t *args)
{
    json_object *out = json_object_new_object();
    int i, j;

    for (i = 0; defs && i < defs->nelts; i++) {
        const gql_input_value_t *d = APR_ARRAY_IDX(defs, i,
                                                   gql_input_value_t *);
        const gql_value_t *v = d->default_value;

        for (j = 0; args && j < args->nelts; j++) {
            const gql_argument_t *a = GQL_AST_ITEM(args, j, gql_argument_t);

            if (strcmp(a->name.value, d->name) == 0 && given(w, a->value)) {
                v = a->value;
            }
        }
        if (v) {
            json_object_object_add(out, d->name, literal(w, v));
        }
    }
    return out;
}

static int included(walk_t *w, const apr_array_header_t *dirs)
{
    int i, yes = 1;

    for (i = 0; dirs && i < dirs->nelts; i++) {
        const gql_directive_t *d = GQL_AST_ITEM(dirs, i, gql_directive_t);
        const gql_directive_def_t *dd = gql_schema_directive(w->s,
                                                             d->name.value);
        json_object *args, *v;

        if (strcmp(d->name.value, "skip") && strcmp(d->name.value,
                                                    "include")) {
            continue;
        }
        args = arguments(w, dd->arguments, d->arguments);
        json_object_object_get_ex(args, "if", &v);
        if (json_object_get_boolean(v) == (d->name.value[0] == 's')) {
            yes = 0;
        }
        json_object_put(args);
    }
    return yes;
}

static const gql_definition_t *fragment(walk_t *w, const char *name)
{
    int i;

    for (i = 0; i < w->doc->definitions->nelts; i++) {
        const gql_definition_t *d = GQL_AST_ITEM(w->doc->definitions, i,
                                                 gql_definition_t);

        if (d->kind == GQL_DEF_FRAGMENT && strcmp(d->name.value, name) == 0) {
            return d;
        }
    }
    return NULL;
}

static json_object *path_add(json_object *path, json_object *key)
{
    json_object *out = json_object_new_array();
    size_t i;

    for (i = 0; path && i < json_object_array_length(path); i++) {
        json_object_array_add(out,
                              json_object_get(json_object_array_get_idx(path,
                                                                        i)));
    }
    json_object_array_add(out, key);
    return out;
}

/* graphql-js's CollectFields: response key -> its field nodes, in the
 * order the keys first appear. */
typedef struct group_t {
    const char *key;
    apr_array_header_t *nodes;  /* const gql_selection_t * */
} group_t;

static void collect(walk_t *w, const gql_selection_set_t *ss,
                    apr_array_header_t *groups)
{
    int i, j;

    for (i = 0; i < ss->selections->nelts; i++) {
        const gql_selection_t *sel = GQL_AST_ITEM(ss->selections, i,
                                                  gql_selection_t);
        const char *key = sel->alias.value ? sel->alias.value
                                           : sel->name.value;
        group_t *g = NULL;

        if (!included(w, sel->directives)) {
            continue;
        }
        if (sel->kind == GQL_SEL_INLINE_FRAGMENT) {
            collect(w, sel->selection_set, groups);
            continue;
        }
        if (sel->kind == GQL_SEL_FRAGMENT_SPREAD) {
            collect(w, fragment(w, sel->name.value)->selection_set, groups);
            continue;
        }
        for (j = 0; j < groups->nelts && g == NULL; j++) {
            g = &APR_ARRAY_IDX(groups, j, group_t);
            g = strcmp(g->key, key) == 0 ? g : NULL;
        }
        if (g == NULL) {
            g = apr_array_push(groups);
            g->key = key;
            g->nodes = apr_array_make(w->p, 2, sizeof(gql_selection_t *));
        }
        APR_ARRAY_PUSH(g->nodes, const gql_selection_t *) = sel;
    }
}

static void selections(walk_t *w, const gql_type_t *t, json_object *parent,
                       const apr_array_header_t *nodes, json_object *path,
                       json_object *out);

static json_object *complete(walk_t *w, const gql_tref_t *t, json_object *v,
                             const apr_array_header_t *nodes,
                             json_object *path)
{
    json_object *out;
    size_t i;

    if (v == NULL) {
        return NULL;
    }
    if (t->kind == GQL_TYPE_NON_NULL) {
        return complete(w, t->of_type, v, nodes, path);
    }
    if (t->kind == GQL_TYPE_LIST) {
        out = json_object_new_array();
        for (i = 0; i < json_object_array_length(v); i++) {
            json_object *sub = path_add(path, json_object_new_int((int)i));

            json_object_array_add(out, complete(w, t->of_type,
                                                json_object_array_get_idx(v,
                                                                          i),
                                                nodes, sub));
            json_object_put(sub);
        }
        return out;
    }
    if (t->named->kind != GQL_KIND_OBJECT) {
        return json_object_get(v);
    }
    out = json_object_new_object();
    selections(w, t->named, v, nodes, path, out);
    return out;
}

static void error(walk_t *w, const char *msg, const gql_selection_t *sel,
                  json_object *path)
{
    json_object *e = json_object_new_object();
    json_object *loc = json_object_new_object();
    json_object *locs = json_object_new_array();

    json_object_object_add(e, "message", json_object_new_string(msg));
    json_object_object_add(loc, "line", json_object_new_int(sel->loc.line));
    json_object_object_add(loc, "column",
                           json_object_new_int(sel->loc.column));
    json_object_array_add(locs, loc);
    json_object_object_add(e, "locations", locs);
    json_object_object_add(e, "path", json_object_get(path));
    json_object_array_add(w->errors, e);
}

static void field(walk_t *w, const gql_type_t *t, json_object *parent,
                  const group_t *g, json_object *path, json_object *out)
{
    const gql_selection_t *sel = APR_ARRAY_IDX(g->nodes, 0,
                                               const gql_selection_t *);
    const gql_field_t *f = gql_schema_field_def(w->s, t, sel->name.value);
    json_object *res = NULL, *sub;
    const char *err = NULL, *batch_err;
    gql_resolve_t b;

    if (f == w->s->meta_typename) {
        json_object_object_add(out, g->key, json_object_new_string(t->name));
        return;
    }
    memset(&b, 0, sizeof(b));
    b.pool = w->p;
    b.schema = w->s;
    b.parent_type = t;
    b.field = f;
    b.node = sel;
    b.args = arguments(w, f->arguments, sel->arguments);
    b.variables = w->variables;
    b.count = 1;
    b.parents = &parent;
    b.results = &res;
    b.errors = &err;
    if (!gql_introspect_owns(w->s, t, f)) {
        diag("not owned: %s.%s", t->name, f->name);
        w->not_owned++;
    }
    batch_err = gql_introspect_resolve(&b);
    json_object_put(b.args);
    sub = path_add(path, json_object_new_string(g->key));
    if (batch_err || err) {
        error(w, batch_err ? batch_err : err, sel, sub);
        json_object_put(res);
        res = NULL;
    }
    json_object_object_add(out, g->key, complete(w, f->type, res, g->nodes,
                                                 sub));
    json_object_put(res);
    json_object_put(sub);
}

/* The sub-selections of nodes (the root: one node whose selection set
 * is the operation's) on a value of type t. */
static void selections(walk_t *w, const gql_type_t *t, json_object *parent,
                       const apr_array_header_t *nodes, json_object *path,
                       json_object *out)
{
    apr_array_header_t *groups = apr_array_make(w->p, 8, sizeof(group_t));
    int i;

    for (i = 0; i < nodes->nelts; i++) {
        collect(w, APR_ARRAY_IDX(nodes, i,
                                 const gql_selection_t *)->selection_set,
                groups);
    }
    for (i = 0; i < groups->nelts; i++) {
        field(w, t, parent, &APR_ARRAY_IDX(groups, i, group_t), path, out);
    }
}

/* Variables: the request's, then the operation's defaults. */
static void variables(walk_t *w, const gql_definition_t *op, const char *text)
{
    int i;

    w->variables = text ? json_tokener_parse(text) : json_object_new_object();
    for (i = 0; op->variables && i < op->variables->nelts; i++) {
        const gql_variable_def_t *v = GQL_AST_ITEM(op->variables, i,
                                                   gql_variable_def_t);

        if (v->default_value
            && !json_object_object_get_ex(w->variables, v->name.value, NULL)) {
            json_object_object_add(w->variables, v->name.value,
                                   literal(w, v->default_value));
        }
    }
}

static const char *walk(apr_pool_t *p, const gql_schema_t *s,
                        const char *query, const char *vars)
{
    walk_t w;
    gql_error_t *err = NULL;
    const gql_definition_t *op = NULL;
    json_object *data, *res;
    gql_selection_t root;
    apr_array_header_t *nodes = apr_array_make(p, 1, sizeof(&root));
    int i;

    memset(&w, 0, sizeof(w));
    memset(&root, 0, sizeof(root));
    w.p = p;
    w.s = s;
    w.doc = gql_parse(p, query, strlen(query), NULL, &err);
    if (w.doc == NULL) {
        return apr_pstrcat(p, "parse error: ", err->message, NULL);
    }
    for (i = 0; i < w.doc->definitions->nelts && op == NULL; i++) {
        op = GQL_AST_ITEM(w.doc->definitions, i, gql_definition_t);
        op = op->kind == GQL_DEF_OPERATION ? op : NULL;
    }
    variables(&w, op, vars);
    w.errors = json_object_new_array();
    data = json_object_new_object();
    root.kind = GQL_SEL_FIELD;
    root.selection_set = op->selection_set;
    APR_ARRAY_PUSH(nodes, const gql_selection_t *) = &root;
    selections(&w, s->query, NULL, nodes, NULL, data);
    res = gql_json_own(p, json_object_new_object());
    if (json_object_array_length(w.errors)) {
        json_object_object_add(res, "errors", w.errors);
    }
    else {
        json_object_put(w.errors);
    }
    json_object_object_add(res, "data", data);
    json_object_put(w.variables);
    ok(w.not_owned == 0, "owns() takes every introspection field");
    return apr_pstrdup(p, gql_json_text(res));
}

/* ---- end to end ------------------------------------------------------ */

/* What the executor does with the batches that introspection owns; the
 * rest get the default resolver. */
static const char *resolve(gql_resolve_t *b)
{
    if (gql_introspect_owns(b->schema, b->parent_type, b->field)) {
        return gql_introspect_resolve(b);
    }
    return gql_execute_resolve_property(b);
}

static const char *execute(apr_pool_t *p, const gql_schema_t *s,
                           const char *query, const char *vars)
{
    gql_result_t res;
    gql_resolvers_t rs;
    gql_operation_t *op;

    memset(&rs, 0, sizeof(rs));
    rs.field = resolve;
    op = operation(p, s, query, strlen(query), NULL, NULL,
                   vars ? gql_json_own(p, json_tokener_parse(vars)) : NULL,
                   &res);
    if (op != NULL) {
        gql_execute_run(p, op, &rs, NULL, NULL, &res);
    }
    return gql_json_response(p, res.errors, res.data, res.has_data);
}

/* ---- cases ----------------------------------------------------------- */

static const char *normal(apr_pool_t *p, const char *text)
{
    json_object *o = json_tokener_parse(text);

    return o ? gql_json_text(gql_json_own(p, o)) : NULL;
}

static gql_schema_t *load(apr_pool_t *p, const char *dir)
{
    const char *file = apr_pstrcat(p, dir, "/schema.graphql", NULL);
    apr_array_header_t *errors = gql_errors_make(p);
    gql_schema_t *s = gql_schema_load(p, p, NULL, &file, 1, errors);
    int i;

    for (i = 0; i < errors->nelts; i++) {
        diag("%s", gql_error_format(p, APR_ARRAY_IDX(errors, i,
                                                     gql_error_t *)));
    }
    return s;
}

static void dump(apr_pool_t *p, const char *name, const char *got)
{
    const char *dir = getenv("GQL_INTROSPECT_OUT");
    apr_file_t *f;

    if (dir == NULL || got == NULL) {
        return;
    }
    if (apr_file_open(&f, apr_pstrcat(p, dir, "/", name, ".json", NULL),
                      APR_FOPEN_WRITE | APR_FOPEN_CREATE | APR_FOPEN_TRUNCATE,
                      APR_FPROT_OS_DEFAULT, p) == APR_SUCCESS) {
        apr_file_puts(got, f);
        apr_file_puts("\n", f);
        apr_file_close(f);
    }
}

static void run_case(apr_pool_t *parent, const char *dir)
{
    apr_pool_t *p;
    const char *name = strrchr(dir, '/') ? strrchr(dir, '/') + 1 : dir;
    const char *query, *want, *got, *vars;
    gql_schema_t *s;

    apr_pool_create(&p, parent);
    query = slurp(p, apr_pstrcat(p, dir, "/query.graphql", NULL), NULL);
    want = slurp(p, apr_pstrcat(p, dir, "/expected.json", NULL), NULL);
    s = load(p, dir);
    if (!setup_ok(s && query && want,
                  apr_pstrcat(p, name, ": case loads", NULL))) {
        apr_pool_destroy(p);
        return;
    }
    vars = slurp(p, apr_pstrcat(p, dir, "/variables.json", NULL), NULL);
    got = walk(p, s, query, vars);
    is_str(normal(p, got), normal(p, want),
           apr_pstrcat(p, name, ": batches of one", NULL));
    got = execute(p, s, query, vars);
    dump(p, name, got);
    is_str(normal(p, got), normal(p, want),
           apr_pstrcat(p, name, ": executed", NULL));
    apr_pool_destroy(p);
}

static void run_cases(apr_pool_t *p, int argc, const char *const *argv)
{
    apr_array_header_t *names;
    int i;

    if (argc > 1) {
        for (i = 1; i < argc; i++) {
            run_case(p, argv[i]);
        }
        return;
    }
    names = list(p, CASES, NULL);
    if (names == NULL) {
        setup_ok(0, "open " CASES);
        return;
    }
    for (i = 0; i < names->nelts; i++) {
        run_case(p, apr_pstrcat(p, CASES, "/",
                                APR_ARRAY_IDX(names, i, char *), NULL));
    }
}

/* ---- owns() ---------------------------------------------------------- */

static void test_owns(apr_pool_t *p)
{
    static const char sdl[] = "type Query { a: Int }\n";
    apr_array_header_t *errors = gql_errors_make(p);
    gql_error_t *err = NULL;
    const gql_document_t *doc = gql_parse(p, sdl, strlen(sdl), "t", &err);
    const gql_schema_t *s = gql_schema_build(p, p, NULL, &doc, 1, errors);
    const gql_type_t *type = gql_schema_type(s, "__Type");

    ok(gql_introspect_owns(s, s->query, s->meta_schema), "owns __schema");
    ok(gql_introspect_owns(s, s->query, s->meta_type), "owns __type");
    ok(!gql_introspect_owns(s, s->query, s->meta_typename),
       "__typename is the executor's");
    ok(!gql_introspect_owns(s, type, s->meta_typename),
       "__typename of __Type is the executor's");
    ok(!gql_introspect_owns(s, s->query, gql_type_field(s->query, "a")),
       "a user field is not introspection's");
    ok(gql_introspect_owns(s, type, gql_type_field(type, "ofType")),
       "owns __Type.ofType");
}

/* A batch of many parents at once, as the executor sends the fields of a
 * list: every parent gets its own answer. */
static void test_batch(apr_pool_t *p)
{
    static const char sdl[] = "type Query { a: Int, b(x: [Int] = 1): "
                              "String @deprecated }\n";
    apr_array_header_t *errors = gql_errors_make(p);
    gql_error_t *err = NULL;
    const gql_document_t *doc = gql_parse(p, sdl, strlen(sdl), "t", &err);
    const gql_schema_t *s = gql_schema_build(p, p, NULL, &doc, 1, errors);
    const gql_type_t *ft = gql_schema_type(s, "__Field");
    json_object *parents[2], *results[2], *args;
    const char *errs[2];
    gql_resolve_t b;

    parents[0] = gql_json_own(p, json_object_new_object());
    parents[1] = gql_json_own(p, json_object_new_object());
    json_object_set_userdata(parents[0],
                             (void *)gql_type_field(s->query, "a"), NULL);
    json_object_set_userdata(parents[1],
                             (void *)gql_type_field(s->query, "b"), NULL);
    args = gql_json_own(p, json_object_new_object());
    memset(&b, 0, sizeof(b));
    b.pool = p;
    b.schema = s;
    b.parent_type = ft;
    b.args = args;
    b.count = 2;
    b.parents = parents;
    b.results = results;
    b.errors = errs;
    b.field = gql_type_field(ft, "name");
    ok(gql_introspect_resolve(&b) == NULL, "batch of names resolves");
    is_str(json_object_get_string(gql_json_own(p, results[0])), "a",
           "first parent's name");
    is_str(json_object_get_string(gql_json_own(p, results[1])), "b",
           "second parent's name");
    b.field = gql_type_field(ft, "deprecationReason");
    gql_introspect_resolve(&b);
    ok(results[0] == NULL, "a is not deprecated");
    is_str(json_object_get_string(gql_json_own(p, results[1])),
           "No longer supported", "b's default reason");
    ok(errs[0] == NULL && errs[1] == NULL, "no field errors");
}

/* A directive hidden as server-side (the SQL mapping's) is not there
 * for clients: the full introspection is the one of the same schema
 * without it, and its text appears nowhere. */
static void test_server_side(apr_pool_t *p)
{
    static const char with[] =
        "directive @hidden(query: String!, cost: Float) on FIELD_DEFINITION\n"
        "type Query { a: Int @hidden(query: \"SELECT secret\") }\n";
    static const char without[] = "type Query { a: Int }\n";
    gql_schema_t *s = schema_of(p, with);
    const char *query = slurp(p, CASES "/full-hackernews/query.graphql",
                              NULL);
    const char *got, *want;

    if (!setup_ok(s && query, "server-side schema builds")) {
        return;
    }
    ok(gql_schema_hide_directive(s, p, "hidden") != NULL
       && gql_schema_hide_directive(s, p, "skip") == NULL,
       "a schema's directive can be hidden, a built-in one cannot");
    got = execute(p, s, query, NULL);
    want = execute(p, schema_of(p, without), query, NULL);
    is_str(got, want, "a server-side directive is not introspected");
    ok(strstr(got, "hidden") == NULL && strstr(got, "secret") == NULL
       && strstr(got, "Float") == NULL,
       "nor its name, its arguments' types or an applied directive's text");
}

int main(int argc, const char *const *argv)
{
    apr_pool_t *p;

    apr_initialize();
    apr_pool_create(&p, NULL);
    test_owns(p);
    test_batch(p);
    test_server_side(p);
    run_cases(p, argc, argv);
    apr_pool_destroy(p);
    apr_terminate();
    return tap_done();
}
