/* Licensed under the Apache License, Version 2.0 (the "License"); you may
 * not use this file except in compliance with the License.  You may obtain
 * a copy of the License at http://www.apache.org/licenses/LICENSE-2.0
 */

/*
 * gql_execute.c: the first execution step.  Parse the request's document,
 * validate what this step relies on, select the operation, collect its
 * root fields (with @skip/@include and fragments) and answer them:
 * __typename by the root type's name, every other field by null, with the
 * spec's null propagation (6.4.4) for non-null fields.  Messages follow
 * graphql-js 16 word for word, since clients and tests compare them.
 */

#include <stdlib.h>
#include <string.h>
#include <apr_hash.h>
#include <apr_lib.h>
#include <apr_strings.h>
#include "gql_execute.h"
#include "gql_json.h"
#include "gql_parser.h"

struct gql_operation_t {
    const gql_schema_t *schema;
    const gql_request_t *req;
    const gql_definition_t *def;        /* the selected operation */
    apr_hash_t *fragments;              /* name -> gql_definition_t * */
};

/* The state of one validation pass. */
typedef struct check_t {
    apr_pool_t *p;
    const gql_schema_t *schema;
    apr_hash_t *fragments;
    apr_array_header_t *errors;
} check_t;

/* One response key and the field selections that share it (CollectFields
 * merges them), in the order the keys were first seen. */
typedef struct group_t {
    const char *key;
    apr_array_header_t *fields;         /* gql_selection_t * */
} group_t;

/* The state of one run. */
typedef struct run_t {
    apr_pool_t *p;
    const gql_operation_t *op;
    gql_result_t *res;
    const gql_type_t *root;
    apr_hash_t *booleans;       /* variable name -> int * (NULL: null) */
    apr_hash_t *visited;        /* fragments spread already */
    apr_hash_t *groups;         /* key -> group_t * */
    apr_array_header_t *order;  /* group_t * */
} run_t;

/* ---- suggestions, as graphql-js's suggestionList() and didYouMean() */

#define MAX_SUGGESTIONS 5

/* Optimal string alignment distance between two lowercased names, or -1
 * when it exceeds threshold.  Names are bounded by the document. */
static int distance(apr_pool_t *p, const char *in, const char *opt,
                    int threshold)
{
    char *a = apr_pstrdup(p, opt), *b = apr_pstrdup(p, in), *c;
    int alen, blen, i, j, *rows[3], d;

    if (strcmp(in, opt) == 0) {
        return 0;
    }
    for (c = a; *c; c++) {
        *c = (char)apr_tolower(*c);
    }
    for (c = b; *c; c++) {
        *c = (char)apr_tolower(*c);
    }
    if (strcmp(a, b) == 0) {
        return 1;
    }
    if (strlen(a) < strlen(b)) {
        c = a;
        a = b;
        b = c;
    }
    alen = (int)strlen(a);
    blen = (int)strlen(b);
    if (alen - blen > threshold) {
        return -1;
    }
    for (i = 0; i < 3; i++) {
        rows[i] = apr_palloc(p, sizeof(int) * (blen + 1));
    }
    for (j = 0; j <= blen; j++) {
        rows[0][j] = j;
    }
    for (i = 1; i <= alen; i++) {
        int *up = rows[(i - 1) % 3], *cur = rows[i % 3], smallest;

        smallest = cur[0] = i;
        for (j = 1; j <= blen; j++) {
            int cost = a[i - 1] == b[j - 1] ? 0 : 1;
            int cell = up[j] + 1;

            if (cur[j - 1] + 1 < cell) {
                cell = cur[j - 1] + 1;
            }
            if (up[j - 1] + cost < cell) {
                cell = up[j - 1] + cost;
            }
            if (i > 1 && j > 1 && a[i - 1] == b[j - 2]
                && a[i - 2] == b[j - 1]
                && rows[(i - 2) % 3][j - 2] + 1 < cell) {
                cell = rows[(i - 2) % 3][j - 2] + 1;
            }
            if (cell < smallest) {
                smallest = cell;
            }
            cur[j] = cell;
        }
        if (smallest > threshold) {
            return -1;
        }
    }
    d = rows[alen % 3][blen];
    return d <= threshold ? d : -1;
}

typedef struct suggestion_t {
    const char *name;
    int distance;
} suggestion_t;

/* A run of digits as a number, as graphql-js's naturalCompare reads it
 * (a leading zero ends the run). */
static unsigned long digits(const char **s)
{
    unsigned long n = 0;

    do {
        n = n * 10 + (unsigned long)(*(*s)++ - '0');
    } while (apr_isdigit(**s) && n > 0 && n < 100000000UL);
    return n;
}

/* Closest first, then by graphql-js's naturalCompare: character codes,
 * with runs of digits compared as numbers. */
static int by_distance(const void *x, const void *y)
{
    const suggestion_t *a = x, *b = y;
    const char *p = a->name, *q = b->name;

    if (a->distance != b->distance) {
        return a->distance - b->distance;
    }
    while (*p && *q) {
        if (apr_isdigit(*p) && apr_isdigit(*q)) {
            unsigned long m = digits(&p), n = digits(&q);

            if (m != n) {
                return m < n ? -1 : 1;
            }
        }
        else if (*p != *q) {
            return (unsigned char)*p < (unsigned char)*q ? -1 : 1;
        }
        else {
            p++;
            q++;
        }
    }
    return (int)strlen(p) - (int)strlen(q);
}

/* " Did you mean "a", "b", or "c"?" for the fields of t near name, or "". */
static const char *did_you_mean(apr_pool_t *p, const gql_type_t *t,
                                const char *name)
{
    int threshold = (int)(strlen(name) * 4 / 10) + 1, i, n = 0;
    suggestion_t *s = apr_palloc(p, sizeof(*s) * (t->fields->nelts + 1));
    const char *out = " Did you mean ";

    for (i = 0; i < t->fields->nelts; i++) {
        const gql_field_t *f = APR_ARRAY_IDX(t->fields, i, gql_field_t *);
        int d = distance(p, name, f->name, threshold);

        if (d >= 0) {
            s[n].name = f->name;
            s[n++].distance = d;
        }
    }
    if (n == 0) {
        return "";
    }
    qsort(s, n, sizeof(*s), by_distance);
    if (n > MAX_SUGGESTIONS) {
        n = MAX_SUGGESTIONS;
    }
    for (i = 0; i < n; i++) {
        const char *sep = i == 0 ? "" : (n == 2 ? " or "
                                         : (i == n - 1 ? ", or " : ", "));

        out = apr_pstrcat(p, out, sep, "\"", s[i].name, "\"", NULL);
    }
    return apr_pstrcat(p, out, "?", NULL);
}

/* ---- validation: the rules this step depends on */

/* ExecutableDefinitionsRule */
static void check_executable(check_t *c, const gql_document_t *doc)
{
    int i;

    for (i = 0; i < doc->definitions->nelts; i++) {
        const gql_definition_t *d = GQL_AST_ITEM(doc->definitions, i,
                                                 gql_definition_t);

        if (d->kind == GQL_DEF_OPERATION || d->kind == GQL_DEF_FRAGMENT) {
            continue;
        }
        if (d->kind == GQL_DEF_SCHEMA) {
            gql_error_add(c->p, c->errors, &d->loc,
                          "The schema definition is not executable.");
        }
        else {
            gql_error_add(c->p, c->errors, &d->loc,
                          "The \"%s\" definition is not executable.",
                          d->name.value);
        }
    }
}

/* FieldsOnCorrectTypeRule (on object types) and KnownFragmentNamesRule,
 * over one selection set and the inline fragments in it.  Sub-selections
 * of fields belong to the full validator of a later step.  The parser
 * bounds the nesting (GQL_MAX_DEPTH). */
static void check_selections(check_t *c, const gql_type_t *t,
                             const gql_selection_set_t *ss)
{
    int i;

    for (i = 0; i < ss->selections->nelts; i++) {
        const gql_selection_t *s = GQL_AST_ITEM(ss->selections, i,
                                                gql_selection_t);
        const char *name = s->name.value;

        if (s->kind == GQL_SEL_INLINE_FRAGMENT) {
            check_selections(c, s->type_condition.value
                             ? gql_schema_type(c->schema,
                                               s->type_condition.value)
                             : t, s->selection_set);
        }
        else if (s->kind == GQL_SEL_FRAGMENT_SPREAD) {
            if (apr_hash_get(c->fragments, name, APR_HASH_KEY_STRING)
                == NULL) {
                gql_error_add(c->p, c->errors, &s->name.loc,
                              "Unknown fragment \"%s\".", name);
            }
        }
        else if (t != NULL && t->kind == GQL_KIND_OBJECT
                 && strcmp(name, "__typename") != 0
                 && gql_type_field(t, name) == NULL
                 && !(t == c->schema->query
                      && (strcmp(name, "__schema") == 0
                          || strcmp(name, "__type") == 0))) {
            gql_error_add(c->p, c->errors, &s->loc,
                          "Cannot query field \"%s\" on type \"%s\".%s",
                          name, t->name, did_you_mean(c->p, t, name));
        }
    }
}

/* LoneAnonymousOperationRule, then the selections of each definition. */
static void check_definitions(check_t *c, const gql_document_t *doc)
{
    int i, nops = 0;

    for (i = 0; i < doc->definitions->nelts; i++) {
        nops += GQL_AST_ITEM(doc->definitions, i, gql_definition_t)->kind
                == GQL_DEF_OPERATION;
    }
    for (i = 0; i < doc->definitions->nelts; i++) {
        const gql_definition_t *d = GQL_AST_ITEM(doc->definitions, i,
                                                 gql_definition_t);

        if (d->kind == GQL_DEF_OPERATION) {
            if (d->name.value == NULL && nops > 1) {
                gql_error_add(c->p, c->errors, &d->loc, "This anonymous "
                              "operation must be the only defined "
                              "operation.");
            }
            check_selections(c, gql_schema_root(c->schema, d->operation),
                             d->selection_set);
        }
        else if (d->kind == GQL_DEF_FRAGMENT) {
            check_selections(c, gql_schema_type(c->schema,
                                                d->type_condition.value),
                             d->selection_set);
        }
    }
}

/* The operation the request names (graphql-js buildExecutionContext). */
static const gql_definition_t *select_operation(apr_pool_t *p,
                                                const gql_document_t *doc,
                                                const char *name,
                                                apr_array_header_t *errors)
{
    const gql_definition_t *found = NULL;
    int i;

    for (i = 0; i < doc->definitions->nelts; i++) {
        const gql_definition_t *d = GQL_AST_ITEM(doc->definitions, i,
                                                 gql_definition_t);

        if (d->kind != GQL_DEF_OPERATION) {
            continue;
        }
        if (name == NULL) {
            if (found != NULL) {
                gql_error_add(p, errors, NULL, "Must provide operation name "
                              "if query contains multiple operations.");
                return NULL;
            }
            found = d;
        }
        else if (d->name.value != NULL && strcmp(d->name.value, name) == 0) {
            found = d;
        }
    }
    if (found == NULL) {
        if (name != NULL) {
            gql_error_add(p, errors, NULL, "Unknown operation named \"%s\".",
                          name);
        }
        else {
            gql_error_add(p, errors, NULL, "Must provide an operation.");
        }
    }
    return found;
}

gql_operation_t *gql_execute_prepare(apr_pool_t *p, const gql_schema_t *schema,
                                     const gql_request_t *req,
                                     gql_result_t *res)
{
    gql_operation_t *op = apr_pcalloc(p, sizeof(*op));
    gql_error_t *err = NULL;
    gql_document_t *doc;
    check_t c;
    int i;

    res->errors = gql_errors_make(p);
    res->data = NULL;
    res->has_data = 0;
    doc = gql_parse(p, req->query, req->query_len, NULL, &err);
    if (doc == NULL) {
        APR_ARRAY_PUSH(res->errors, gql_error_t *) = err;
        return NULL;
    }
    op->schema = schema;
    op->req = req;
    op->fragments = apr_hash_make(p);
    for (i = 0; i < doc->definitions->nelts; i++) {
        const gql_definition_t *d = GQL_AST_ITEM(doc->definitions, i,
                                                 gql_definition_t);

        if (d->kind == GQL_DEF_FRAGMENT) {
            apr_hash_set(op->fragments, d->name.value, APR_HASH_KEY_STRING, d);
        }
    }
    c.p = p;
    c.schema = schema;
    c.fragments = op->fragments;
    c.errors = res->errors;
    check_executable(&c, doc);
    check_definitions(&c, doc);
    if (res->errors->nelts > 0) {
        return NULL;
    }
    op->def = select_operation(p, doc, req->operation_name, res->errors);
    return op->def ? op : NULL;
}

gql_operation_e gql_execute_kind(const gql_operation_t *op)
{
    return op->def->operation;
}

/* ---- execution */

static const char *type_text(apr_pool_t *p, const gql_type_ref_t *t)
{
    switch (t->kind) {
    case GQL_TYPE_LIST:
        return apr_pstrcat(p, "[", type_text(p, t->of_type), "]", NULL);
    case GQL_TYPE_NON_NULL:
        return apr_pstrcat(p, type_text(p, t->of_type), "!", NULL);
    default:
        return t->name.value;
    }
}

/*
 * Coerce the operation's Boolean variables, the only ones this step uses
 * (in @skip and @include); full variable coercion comes with the
 * validator.  Returns 0 after adding an error when one cannot be used.
 */
static int coerce_booleans(run_t *x)
{
    const apr_array_header_t *vars = x->op->def->variables;
    json_object *given = x->op->req->variables;
    int i;

    for (i = 0; i < vars->nelts; i++) {
        const gql_variable_def_t *v = GQL_AST_ITEM(vars, i,
                                                   gql_variable_def_t);
        const gql_type_ref_t *t = v->type;
        int non_null = t->kind == GQL_TYPE_NON_NULL;
        json_object *j = NULL;
        int *b = apr_palloc(x->p, sizeof(*b));
        const char *name = v->name.value;

        if (non_null) {
            t = t->of_type;
        }
        if (t->kind != GQL_TYPE_NAMED || strcmp(t->name.value, "Boolean")) {
            continue;
        }
        if (given == NULL || !json_object_object_get_ex(given, name, &j)) {
            if (v->default_value != NULL
                && v->default_value->kind == GQL_VALUE_BOOLEAN) {
                *b = v->default_value->boolean;
                apr_hash_set(x->booleans, name, APR_HASH_KEY_STRING, b);
            }
            else if (non_null) {
                gql_error_add(x->p, x->res->errors, &v->loc, "Variable "
                              "\"$%s\" of required type \"%s\" was not "
                              "provided.", name, type_text(x->p, v->type));
                return 0;
            }
        }
        else if (j == NULL) {
            if (non_null) {
                gql_error_add(x->p, x->res->errors, &v->loc, "Variable "
                              "\"$%s\" of non-null type \"%s\" must not be "
                              "null.", name, type_text(x->p, v->type));
                return 0;
            }
        }
        else if (!json_object_is_type(j, json_type_boolean)) {
            const char *text = gql_json_text(j);

            gql_error_add(x->p, x->res->errors, &v->loc, "Variable \"$%s\" "
                          "got invalid value %s; Boolean cannot represent a "
                          "non boolean value: %s", name, text, text);
            return 0;
        }
        else {
            *b = json_object_get_boolean(j);
            apr_hash_set(x->booleans, name, APR_HASH_KEY_STRING, b);
        }
    }
    return 1;
}

/* The `if` of @skip or @include: 1, 0, or -1 when it has no boolean. */
static int if_arg(run_t *x, const gql_directive_t *d)
{
    int i;

    for (i = 0; i < d->arguments->nelts; i++) {
        const gql_argument_t *a = GQL_AST_ITEM(d->arguments, i,
                                               gql_argument_t);
        const int *b;

        if (strcmp(a->name.value, "if") != 0) {
            continue;
        }
        if (a->value->kind == GQL_VALUE_BOOLEAN) {
            return a->value->boolean;
        }
        if (a->value->kind == GQL_VALUE_VARIABLE) {
            b = apr_hash_get(x->booleans, a->value->text,
                             APR_HASH_KEY_STRING);
            return b ? *b : -1;
        }
    }
    return -1;
}

/* shouldIncludeNode: @skip(if: true) or @include(if: false) leave a
 * selection out. */
static int included(run_t *x, const apr_array_header_t *directives)
{
    int i;

    for (i = 0; i < directives->nelts; i++) {
        const gql_directive_t *d = GQL_AST_ITEM(directives, i,
                                                gql_directive_t);

        if (strcmp(d->name.value, "skip") == 0 && if_arg(x, d) == 1) {
            return 0;
        }
        if (strcmp(d->name.value, "include") == 0 && if_arg(x, d) == 0) {
            return 0;
        }
    }
    return 1;
}

/* doesFragmentConditionMatch, for the root (an object type). */
static int applies(run_t *x, const char *condition)
{
    const gql_type_t *t;
    const apr_array_header_t *list;
    int i;

    if (condition == NULL) {
        return 1;
    }
    t = gql_schema_type(x->op->schema, condition);
    if (t == x->root) {
        return 1;
    }
    if (t == NULL || (t->kind != GQL_KIND_INTERFACE
                      && t->kind != GQL_KIND_UNION)) {
        return 0;
    }
    list = t->kind == GQL_KIND_UNION ? t->possible_types : x->root->interfaces;
    for (i = 0; list != NULL && i < list->nelts; i++) {
        const gql_type_t *u = APR_ARRAY_IDX(list, i, const gql_type_t *);

        if (u == (t->kind == GQL_KIND_UNION ? x->root : t)) {
            return 1;
        }
    }
    return 0;
}

/* CollectFields (spec 6.3.2) over the root selection set.  Each fragment
 * is spread at most once, which also ends cycles; inline fragments are
 * bounded by the parser's GQL_MAX_DEPTH. */
static void collect(run_t *x, const gql_selection_set_t *ss)
{
    int i;

    for (i = 0; i < ss->selections->nelts; i++) {
        const gql_selection_t *s = GQL_AST_ITEM(ss->selections, i,
                                                gql_selection_t);
        const gql_definition_t *f;
        const char *key;
        group_t *g;

        if (!included(x, s->directives)) {
            continue;
        }
        if (s->kind == GQL_SEL_INLINE_FRAGMENT) {
            if (applies(x, s->type_condition.value)) {
                collect(x, s->selection_set);
            }
            continue;
        }
        if (s->kind == GQL_SEL_FRAGMENT_SPREAD) {
            key = s->name.value;
            f = apr_hash_get(x->op->fragments, key, APR_HASH_KEY_STRING);
            if (f == NULL
                || apr_hash_get(x->visited, key, APR_HASH_KEY_STRING)) {
                continue;
            }
            apr_hash_set(x->visited, key, APR_HASH_KEY_STRING, f);
            if (applies(x, f->type_condition.value)) {
                collect(x, f->selection_set);
            }
            continue;
        }
        key = s->alias.value ? s->alias.value : s->name.value;
        g = apr_hash_get(x->groups, key, APR_HASH_KEY_STRING);
        if (g == NULL) {
            g = apr_pcalloc(x->p, sizeof(*g));
            g->key = key;
            g->fields = apr_array_make(x->p, 1, sizeof(gql_selection_t *));
            apr_hash_set(x->groups, key, APR_HASH_KEY_STRING, g);
            APR_ARRAY_PUSH(x->order, group_t *) = g;
        }
        APR_ARRAY_PUSH(g->fields, const gql_selection_t *) = s;
    }
}

/* A non-null field resolved to null: the error, located at every field
 * that shares the response key (spec 6.4.4). */
static void null_error(run_t *x, const group_t *g, const gql_field_t *f)
{
    gql_path_t *path = apr_pcalloc(x->p, sizeof(*path));
    gql_error_t *e;
    int i;

    path->key = g->key;
    e = gql_error_add(x->p, x->res->errors, NULL, "Cannot return null for "
                      "non-nullable field %s.%s.", x->root->name, f->name);
    for (i = 0; i < g->fields->nelts; i++) {
        gql_error_add_loc(x->p, e, &APR_ARRAY_IDX(g->fields, i,
                                                  gql_selection_t *)->loc);
    }
    e->path = path;
}

/* Complete the root fields in order.  No resolvers exist yet, so a field
 * of the schema is null; a non-null one makes the whole data null, its
 * nearest nullable parent, and ends execution as graphql-js does. */
static json_object *complete(run_t *x)
{
    json_object *data = gql_json_own(x->p, json_object_new_object());
    int i;

    for (i = 0; i < x->order->nelts; i++) {
        const group_t *g = APR_ARRAY_IDX(x->order, i, group_t *);
        const char *name = APR_ARRAY_IDX(g->fields, 0,
                                         gql_selection_t *)->name.value;
        const gql_field_t *f;

        if (strcmp(name, "__typename") == 0) {
            json_object_object_add(data, g->key,
                                   json_object_new_string(x->root->name));
            continue;
        }
        f = gql_type_field(x->root, name);
        if (f != NULL && f->type->kind == GQL_TYPE_NON_NULL) {
            null_error(x, g, f);
            return NULL;
        }
        json_object_object_add(data, g->key, NULL);
    }
    return data;
}

void gql_execute_run(apr_pool_t *p, const gql_operation_t *op,
                     gql_result_t *res)
{
    run_t x;

    memset(&x, 0, sizeof(x));
    x.p = p;
    x.op = op;
    x.res = res;
    x.booleans = apr_hash_make(p);
    if (!coerce_booleans(&x)) {
        res->has_data = 0;
        return;
    }
    res->has_data = 1;
    res->data = NULL;
    x.root = gql_schema_root(op->schema, op->def->operation);
    if (x.root == NULL) {
        gql_error_add(p, res->errors, &op->def->loc, "Schema is not "
                      "configured to execute %s operation.",
                      gql_operation_names[op->def->operation]);
        return;
    }
    x.visited = apr_hash_make(p);
    x.groups = apr_hash_make(p);
    x.order = apr_array_make(p, 8, sizeof(group_t *));
    collect(&x, op->def->selection_set);
    res->data = complete(&x);
}
