/* Licensed under the Apache License, Version 2.0 (the "License"); you may
 * not use this file except in compliance with the License.  You may obtain
 * a copy of the License at http://www.apache.org/licenses/LICENSE-2.0
 */

/*
 * gql_execute.c: execution (spec section 6), one level of the selection
 * at a time.
 *
 * The executor walks the operation breadth-first.  A set of objects of
 * one runtime type that wait for the same selection (objset_t: all the
 * links under "links", all the users under their "postedBy") is collected
 * once (CollectFields) and each of its response keys is resolved for all
 * of those objects in one batch; the values are completed into a result
 * tree (rnode_t), and the objects they hold become the objsets of the next
 * level.  So a resolver is called once per field of the query and
 * runtime type, however many rows there are.
 *
 * The response is then read off the tree depth-first, as graphql-js's
 * depth-first executor would produce it: keys in selection order, errors
 * in the order it meets them, a null in a non-null position nulling the
 * nearest nullable ancestor, and the errors of the siblings it would not
 * have completed after such a failure left out.  Root fields are done
 * one after the other, each subtree complete before the next starts, as
 * mutations need; a root field that nulls the whole data stops the rest.
 *
 *   objset  (type, field nodes, objects)
 *     |  collect -> groups (response key -> field nodes)
 *     |  for each group: one resolver call for every object
 *     v
 *   rnode_t tree  -- objects of the results --> next objsets
 *
 * Values follow gql_json.h.  What the resolvers return (new references)
 * and the leaves completed from it (gql_coerce_result_new) go to the
 * request pool's keeper at once: they are the parents of the next level,
 * and whether the response holds a leaf is known only when the tree is
 * read.  The response is made from new references bottom up, its root
 * owned by the pool; a null that propagates drops the part of a list or
 * object made before it.
 *
 * Messages follow graphql-js 16 word for word.
 */

#include <stdlib.h>
#include <string.h>
#include <apr_hash.h>
#include <apr_strings.h>
#include "gql_coerce.h"
#include "gql_execute.h"
#include "gql_introspect.h"
#include "gql_json.h"
#include "gql_writer.h"

/* ORDER NODE */
typedef enum {
    R_NULL,
    R_LEAF,
    R_OBJECT,
    R_LIST,
    R_ERROR,
    R_TEXT,                             /* JSON text, written as it is */
    R_STRING                            /* a string, written quoted */
} rkind_e;

/* One position of the result. */
typedef struct rnode_t rnode_t;
struct rnode_t {
    rkind_e kind;
    int nonnull;                        /* its type is T! */
    json_object *leaf;                  /* LEAF: kept by the pool */
    const char *text;                   /* TEXT, STRING: in the pool */
    apr_size_t len;
    const char *msg;                    /* ERROR */
    const char *code;                   /* ERROR: extensions.code or NULL */
    const apr_array_header_t *locs;     /* ERROR: gql_loc_t */
    const gql_path_t *path;
    int n;                              /* OBJECT: members; LIST: items */
    rnode_t **kids;                     /* NULL member: no such field */
    const char **keys;                  /* OBJECT: shared by its objset */
};

/* One response key and the field nodes merged into it. */
typedef struct rgroup_t {
    const char *key;
    apr_array_header_t *fields;         /* gql_selection_t * */
} rgroup_t;

typedef struct obj_t {
    json_object *value;                 /* NULL where row stands for it */
    void *row;                          /* a resolver's row (gql_rows_t) */
    rnode_t *node;
} obj_t;

/* Objects of one runtime type waiting for the same selection. */
typedef struct objset_t {
    const gql_type_t *type;
    const apr_array_header_t *fields;   /* gql_selection_t *: whose
                                         * selection sets apply; NULL: the
                                         * operation's */
    apr_array_header_t *objs;           /* obj_t */
} objset_t;

/* The built-in scalar a field's type is (not a list): what its leaves
 * given as text may be written as.  ORDER SCALAR */
typedef enum {
    S_OTHER,
    S_STRING,
    S_ID,
    S_INT,
    S_FLOAT,
    S_BOOLEAN
} scalar_e;

static const char *const scalar_names[] = {
    "", "String", "ID", "Int", "Float", "Boolean"
};

/* A field being completed for a batch of parents. */
typedef struct fctx_t {
    const gql_type_t *parent;
    const gql_field_t *field;
    scalar_e scalar;
    const rgroup_t *group;
    apr_array_header_t *locs;           /* of the field nodes */
    apr_array_header_t *sets;           /* objset_t *, one per type */
} fctx_t;

/* Zeroed memory handed out size bytes at a time, NODE_CHUNK items per
 * allocation of the pool: result nodes and path elements, of which a
 * response holds one or two per value; one allocation per chunk costs
 * less than one per node. */
#define NODE_CHUNK 64

typedef struct chunk_t {
    char *next;
    int left;
} chunk_t;

typedef struct run_t {
    apr_pool_t *p;
    const gql_operation_t *op;
    const gql_schema_t *schema;
    gql_resolve_fn resolve;
    gql_type_of_fn type_of;
    void *ctx;
    json_object *variables;             /* coerced */
    json_object *keeper;                /* x->p's (gql_json_keeper) */
    apr_array_header_t *queue;          /* objset_t * */
    int head;
    apr_array_header_t *errors;
    chunk_t nodes;                      /* rnode_t */
    chunk_t paths;                      /* gql_path_t */
} run_t;

/* ---- the default resolvers */

const char *gql_execute_resolve_property(gql_resolve_t *b)
{
    int i;

    for (i = 0; i < b->count; i++) {
        json_object *v = NULL;

        if (json_object_is_type(b->parents[i], json_type_object)) {
            json_object_object_get_ex(b->parents[i], b->field->name, &v);
        }
        b->results[i] = gql_json_ref(v);
    }
    return NULL;
}

/* The default type resolver (gql_resolvers_t.type_of). */
static const char *typename_of(void *ctx, const gql_schema_t *schema,
                               const gql_type_t *abstract, json_object *value)
{
    json_object *t;

    (void)ctx;
    (void)schema;
    (void)abstract;
    if (json_object_is_type(value, json_type_object)
        && json_object_object_get_ex(value, "__typename", &t)
        && json_object_is_type(t, json_type_string)) {
        return json_object_get_string(t);
    }
    return NULL;
}

gql_operation_e gql_execute_kind(const gql_operation_t *op)
{
    return op->def->operation;
}

/* ---- CollectFields (spec 6.3.2) */

typedef struct collect_t {
    const gql_type_t *type;
    apr_hash_t *visited;        /* fragments spread already */
    apr_hash_t *groups;         /* key -> rgroup_t * */
    apr_array_header_t *order;  /* rgroup_t * */
    gql_error_t *err;           /* an `if` that cannot be coerced */
} collect_t;

/* The `if` of @skip or @include, coerced as graphql-js's
 * getDirectiveValues does: 1, 0, or -1 with c->err set (a null
 * variable, say). */
static int if_arg(run_t *x, collect_t *c, const gql_directive_t *d)
{
    const gql_directive_def_t *def = gql_schema_directive(x->schema,
                                                          d->name.value);
    json_object *args, *v = NULL;

    args = gql_coerce_arguments(x->p, def->arguments, d->arguments, &d->loc,
                                x->variables, &c->err);
    if (args == NULL) {
        return -1;
    }
    json_object_object_get_ex(args, "if", &v);
    return json_object_get_boolean(v);
}

/* shouldIncludeNode */
static int included(run_t *x, collect_t *c,
                    const apr_array_header_t *directives)
{
    int i;

    for (i = 0; i < directives->nelts && c->err == NULL; i++) {
        const gql_directive_t *d = GQL_AST_ITEM(directives, i,
                                                gql_directive_t);

        if (strcmp(d->name.value, "skip") == 0 && if_arg(x, c, d) != 0) {
            return 0;
        }
        if (strcmp(d->name.value, "include") == 0 && if_arg(x, c, d) != 1) {
            return 0;
        }
    }
    return c->err == NULL;
}

static int is_possible(const gql_type_t *abstract, const gql_type_t *t)
{
    int i;

    for (i = 0; abstract->possible_types != NULL
                && i < abstract->possible_types->nelts; i++) {
        if (APR_ARRAY_IDX(abstract->possible_types, i, const gql_type_t *)
            == t) {
            return 1;
        }
    }
    return 0;
}

/* doesFragmentConditionMatch */
static int applies(run_t *x, const char *condition, const gql_type_t *t)
{
    const gql_type_t *c;

    if (condition == NULL) {
        return 1;
    }
    c = gql_schema_type(x->schema, condition);
    if (c == t) {
        return 1;
    }
    return c != NULL && (c->kind == GQL_KIND_INTERFACE
                         || c->kind == GQL_KIND_UNION) && is_possible(c, t);
}

static void add_field(run_t *x, collect_t *c, const gql_selection_t *s)
{
    const char *key = s->alias.value ? s->alias.value : s->name.value;
    rgroup_t *g = apr_hash_get(c->groups, key, APR_HASH_KEY_STRING);

    if (g == NULL) {
        g = apr_pcalloc(x->p, sizeof(*g));
        g->key = key;
        g->fields = apr_array_make(x->p, 1, sizeof(gql_selection_t *));
        apr_hash_set(c->groups, key, APR_HASH_KEY_STRING, g);
        APR_ARRAY_PUSH(c->order, rgroup_t *) = g;
    }
    APR_ARRAY_PUSH(g->fields, const gql_selection_t *) = s;
}

/* Each fragment is spread at most once per collection, which also ends
 * cycles; inline fragments nest no deeper than the parser allows. */
static void collect(run_t *x, collect_t *c, const gql_selection_set_t *ss)
{
    int i;

    for (i = 0; i < ss->selections->nelts && c->err == NULL; i++) {
        const gql_selection_t *s = GQL_AST_ITEM(ss->selections, i,
                                                gql_selection_t);
        const gql_definition_t *f;

        if (!included(x, c, s->directives)) {
            continue;
        }
        if (s->kind == GQL_SEL_FIELD) {
            add_field(x, c, s);
        }
        else if (s->kind == GQL_SEL_INLINE_FRAGMENT) {
            if (applies(x, s->type_condition.value, c->type)) {
                collect(x, c, s->selection_set);
            }
        }
        else if (!apr_hash_get(c->visited, s->name.value,
                               APR_HASH_KEY_STRING)) {
            apr_hash_set(c->visited, s->name.value, APR_HASH_KEY_STRING, s);
            f = gql_document_fragment(x->op->doc, s->name.value);
            if (f != NULL && applies(x, f->type_condition.value, c->type)) {
                collect(x, c, f->selection_set);
            }
        }
    }
}

/* The response keys of an objset, in order (collectSubfields); NULL with
 * *err when a directive's `if` cannot be coerced. */
static apr_array_header_t *collect_set(run_t *x, const objset_t *os,
                                       gql_error_t **err)
{
    collect_t c;
    int i;

    c.err = NULL;
    c.type = os->type;
    c.visited = apr_hash_make(x->p);
    c.groups = apr_hash_make(x->p);
    c.order = apr_array_make(x->p, 8, sizeof(rgroup_t *));
    if (os->fields == NULL) {
        collect(x, &c, x->op->def->selection_set);
    }
    for (i = 0; os->fields != NULL && i < os->fields->nelts; i++) {
        const gql_selection_t *s = APR_ARRAY_IDX(os->fields, i,
                                                 const gql_selection_t *);

        if (s->selection_set != NULL) {
            collect(x, &c, s->selection_set);
        }
    }
    *err = c.err;
    return c.err ? NULL : c.order;
}

/* ---- completion into the result tree */

static void *from_chunk(apr_pool_t *p, chunk_t *k, apr_size_t size)
{
    void *item;

    if (k->left == 0) {
        k->next = apr_pcalloc(p, size * NODE_CHUNK);
        k->left = NODE_CHUNK;
    }
    item = k->next;
    k->next += size;
    k->left--;
    return item;
}

static rnode_t *new_node(run_t *x, rkind_e kind, const gql_path_t *path)
{
    rnode_t *n = from_chunk(x->p, &x->nodes, sizeof(*n));

    n->kind = kind;
    n->path = path;
    return n;
}

static rnode_t *error_node(run_t *x, const gql_path_t *path,
                           const apr_array_header_t *locs, const char *msg)
{
    rnode_t *n = new_node(x, R_ERROR, path);

    n->msg = msg;
    n->locs = locs;
    return n;
}

static const gql_path_t *path_add(run_t *x, const gql_path_t *prev,
                                  const char *key, int index)
{
    gql_path_t *n = from_chunk(x->p, &x->paths, sizeof(*n));

    n->prev = prev;
    n->key = key;
    n->index = index;
    return n;
}

/* The objset of the field's results of runtime type t. */
static objset_t *set_for(run_t *x, fctx_t *f, const gql_type_t *t)
{
    objset_t *os;
    int i;

    for (i = 0; i < f->sets->nelts; i++) {
        os = APR_ARRAY_IDX(f->sets, i, objset_t *);
        if (os->type == t) {
            return os;
        }
    }
    os = apr_pcalloc(x->p, sizeof(*os));
    os->type = t;
    os->fields = f->group->fields;
    os->objs = apr_array_make(x->p, 4, sizeof(obj_t));
    APR_ARRAY_PUSH(f->sets, objset_t *) = os;
    APR_ARRAY_PUSH(x->queue, objset_t *) = os;
    return os;
}

/* ensureValidRuntimeType: the object type of an abstract value, or NULL
 * with *msg. */
static const gql_type_t *runtime_type(run_t *x, fctx_t *f,
                                      const gql_type_t *abstract,
                                      json_object *v, const char **msg)
{
    const char *name = x->type_of(x->ctx, x->schema, abstract, v);
    const gql_type_t *t;

    if (name == NULL) {
        *msg = apr_psprintf(x->p, "Abstract type \"%s\" must resolve to an "
                            "Object type at runtime for field \"%s.%s\". "
                            "Either the \"%s\" type should provide a "
                            "\"resolveType\" function or each possible type "
                            "should provide an \"isTypeOf\" function.",
                            abstract->name, f->parent->name, f->field->name,
                            abstract->name);
        return NULL;
    }
    t = gql_schema_type(x->schema, name);
    if (t == NULL) {
        *msg = apr_psprintf(x->p, "Abstract type \"%s\" was resolved to a "
                            "type \"%s\" that does not exist inside the "
                            "schema.", abstract->name, name);
    }
    else if (t->kind != GQL_KIND_OBJECT) {
        *msg = apr_psprintf(x->p, "Abstract type \"%s\" was resolved to a "
                            "non-object type \"%s\".", abstract->name, name);
        t = NULL;
    }
    else if (!is_possible(abstract, t)) {
        *msg = apr_psprintf(x->p, "Runtime Object type \"%s\" is not a "
                            "possible type for \"%s\".", t->name,
                            abstract->name);
        t = NULL;
    }
    return t;
}

static rnode_t *complete(run_t *x, fctx_t *f, const gql_tref_t *t,
                         json_object *v, const gql_path_t *path);

/* The node n of a value of type T! (a null is that field's error). */
static rnode_t *non_null(run_t *x, fctx_t *f, rnode_t *n,
                         const gql_path_t *path)
{
    if (n->kind == R_NULL) {
        n = error_node(x, path, f->locs, apr_psprintf(x->p, "Cannot return "
                       "null for non-nullable field %s.%s.", f->parent->name,
                       f->field->name));
    }
    n->nonnull = 1;
    return n;
}

static rnode_t *not_iterable(run_t *x, fctx_t *f, const gql_path_t *path)
{
    return error_node(x, path, f->locs, apr_psprintf(x->p, "Expected "
                      "Iterable, but did not find one for field \"%s.%s\".",
                      f->parent->name, f->field->name));
}

static rnode_t *complete_list(run_t *x, fctx_t *f, const gql_tref_t *t,
                              json_object *v, const gql_path_t *path)
{
    rnode_t *n;
    int i;

    if (!json_object_is_type(v, json_type_array)) {
        return not_iterable(x, f, path);
    }
    n = new_node(x, R_LIST, path);
    n->n = (int)json_object_array_length(v);
    n->kids = apr_palloc(x->p, sizeof(rnode_t *) * (n->n + 1));
    for (i = 0; i < n->n; i++) {
        n->kids[i] = complete(x, f, t->of_type,
                              json_object_array_get_idx(v, i),
                              path_add(x, path, NULL, i));
    }
    return n;
}

static rnode_t *complete_object(run_t *x, fctx_t *f, const gql_type_t *t,
                                json_object *v, void *row,
                                const gql_path_t *path)
{
    const char *msg;
    obj_t *o;

    if (t->kind != GQL_KIND_OBJECT) {
        t = runtime_type(x, f, t, v, &msg);
        if (t == NULL) {
            return error_node(x, path, f->locs, msg);
        }
    }
    o = apr_array_push(set_for(x, f, t)->objs);
    o->value = v;
    o->row = row;
    o->node = new_node(x, R_OBJECT, path);
    return o->node;
}

/* completeValue for one of a resolver's rows (NULL: null). */
static rnode_t *complete_row(run_t *x, fctx_t *f, const gql_tref_t *t,
                             void *row, const gql_path_t *path)
{
    if (t->kind == GQL_TYPE_NON_NULL) {
        return non_null(x, f, complete_row(x, f, t->of_type, row, path),
                        path);
    }
    if (row == NULL) {
        return new_node(x, R_NULL, path);
    }
    if (t->kind == GQL_TYPE_LIST) {
        return not_iterable(x, f, path);
    }
    if (t->named->kind != GQL_KIND_OBJECT) {
        return error_node(x, path, f->locs, apr_psprintf(x->p, "A row was "
                          "given for field \"%s.%s\", whose type is no "
                          "object type.", f->parent->name, f->field->name));
    }
    return complete_object(x, f, t->named, NULL, row, path);
}

/* completeValue for a value given as rows (gql_rows_t). */
static rnode_t *complete_rows(run_t *x, fctx_t *f, const gql_tref_t *t,
                              const gql_rows_t *rows, const gql_path_t *path)
{
    rnode_t *n;
    int i;

    if (t->kind == GQL_TYPE_NON_NULL) {
        return non_null(x, f, complete_rows(x, f, t->of_type, rows, path),
                        path);
    }
    if (t->kind != GQL_TYPE_LIST) {
        return complete_row(x, f, t, rows->n > 0 ? rows->items[0] : NULL,
                            path);
    }
    n = new_node(x, R_LIST, path);
    n->n = rows->n;
    n->kids = apr_palloc(x->p, sizeof(rnode_t *) * (n->n + 1));
    for (i = 0; i < n->n; i++) {
        n->kids[i] = complete_row(x, f, t->of_type, rows->items[i],
                                  path_add(x, path, NULL, i));
    }
    return n;
}

/* completeValue */
static rnode_t *complete(run_t *x, fctx_t *f, const gql_tref_t *t,
                         json_object *v, const gql_path_t *path)
{
    rnode_t *n;
    json_object *out;
    const char *msg;

    if (t->kind == GQL_TYPE_NON_NULL) {
        return non_null(x, f, complete(x, f, t->of_type, v, path), path);
    }
    if (v == NULL) {
        return new_node(x, R_NULL, path);
    }
    if (t->kind == GQL_TYPE_LIST) {
        return complete_list(x, f, t, v, path);
    }
    if (t->named->kind == GQL_KIND_SCALAR || t->named->kind == GQL_KIND_ENUM) {
        if (!gql_coerce_result_new(x->p, t->named, v, &out, &msg)) {
            return error_node(x, path, f->locs, msg);
        }
        n = new_node(x, R_LEAF, path);
        n->leaf = gql_json_keep_in(x->keeper, out);
        return n;
    }
    return complete_object(x, f, t->named, v, NULL, path);
}

/* A leaf given as text as the json-c value it stands for (gql_text_t):
 * a new reference. */
static json_object *text_new(const gql_text_t *v)
{
    switch (v->kind) {
    case GQL_TEXT_STRING:
        return json_object_new_string_len(v->s, (int)v->len);
    case GQL_TEXT_INT:
        return json_object_new_int64(strtoll(v->s, NULL, 10));
    default:
        return json_object_new_boolean(v->s[0] == 't');
    }
}

/* How a built-in scalar reads a text unchanged, as gql_coerce_result_new
 * and the writer would have it: R_TEXT or R_STRING, or R_NULL when the
 * json-c value must be completed (an Int past 32 bits fails there, with
 * graphql-js's message; a custom scalar or an enum is checked there). */
static rkind_e as_text(scalar_e t, const gql_text_t *v)
{
    apr_int64_t i;

    switch (v->kind) {
    case GQL_TEXT_STRING:
        return t == S_STRING || t == S_ID ? R_STRING : R_NULL;
    case GQL_TEXT_INT:
        /* an integer's text is gql_print_int's: ID and String quote it,
         * Float keeps it (an int), Int within 32 bits */
        if (t == S_STRING || t == S_ID) {
            return R_STRING;
        }
        if (t == S_FLOAT) {
            return R_TEXT;
        }
        i = t == S_INT ? strtoll(v->s, NULL, 10) : 0;
        return t == S_INT && i >= -2147483647 - 1 && i <= 2147483647
               ? R_TEXT : R_NULL;
    default:
        return t == S_BOOLEAN ? R_TEXT : R_NULL;
    }
}

/* completeValue for a leaf given as text: a node that writes the text
 * itself where the type reads it unchanged, else as complete() does with
 * its json-c value. */
static rnode_t *complete_text(run_t *x, fctx_t *f, const gql_tref_t *t,
                              const gql_text_t *v, const gql_path_t *path)
{
    rkind_e kind = as_text(f->scalar, v);
    rnode_t *n;

    if (kind == R_NULL) {
        return complete(x, f, t, gql_json_keep_in(x->keeper, text_new(v)),
                        path);
    }
    n = new_node(x, kind, path);
    n->text = v->s;
    n->len = v->len;
    if (v->kind == GQL_TEXT_BOOL) {
        n->text = v->s[0] == 't' ? "true" : "false";
        n->len = strlen(n->text);
    }
    n->nonnull = t->kind == GQL_TYPE_NON_NULL;
    return n;
}

/* ---- resolving one response key of an objset */

/* __schema, __type and the fields of the introspection types are
 * introspection's; every other field is the resolvers'. */
static gql_resolve_fn resolver_for(run_t *x, const gql_type_t *parent,
                                   const gql_field_t *field)
{
    if (gql_introspect_owns(x->schema, parent, field)) {
        return gql_introspect_resolve;
    }
    return x->resolve;
}

/* Every parent gets the same field error. */
static void fail_all(run_t *x, const objset_t *os, int gi, const fctx_t *f,
                     const apr_array_header_t *locs, const char *msg)
{
    int i;

    for (i = 0; i < os->objs->nelts; i++) {
        rnode_t *pn = APR_ARRAY_IDX(os->objs, i, obj_t).node;
        rnode_t *n = error_node(x, path_add(x, pn->path, f->group->key, 0),
                                locs, msg);

        n->nonnull = f->field->type->kind == GQL_TYPE_NON_NULL;
        pn->kids[gi] = n;
    }
}

/* A resolver's code for the whole batch that fail_all() just failed. */
static void coded_all(const objset_t *os, int gi, const char *code)
{
    int i;

    for (i = 0; i < os->objs->nelts; i++) {
        APR_ARRAY_IDX(os->objs, i, obj_t).node->kids[gi]->code = code;
    }
}

static void typename_all(run_t *x, const objset_t *os, int gi,
                         const rgroup_t *g)
{
    int i;

    for (i = 0; i < os->objs->nelts; i++) {
        rnode_t *pn = APR_ARRAY_IDX(os->objs, i, obj_t).node;
        rnode_t *n = new_node(x, R_LEAF, path_add(x, pn->path, g->key, 0));

        n->leaf = gql_json_keep_in(x->keeper,
                                   json_object_new_string(os->type->name));
        n->nonnull = 1;
        pn->kids[gi] = n;
    }
}

static scalar_e scalar_of(const gql_tref_t *t)
{
    int i;

    if (t->kind == GQL_TYPE_NON_NULL) {
        t = t->of_type;
    }
    if (t->kind != GQL_TYPE_NAMED || t->named->kind != GQL_KIND_SCALAR
        || !t->named->builtin) {
        return S_OTHER;
    }
    for (i = S_BOOLEAN; i > S_OTHER
         && strcmp(t->named->name, scalar_names[i]) != 0; i--) {
    }
    return (scalar_e)i;
}

static fctx_t *field_ctx(run_t *x, const objset_t *os, const rgroup_t *g,
                         const gql_field_t *field)
{
    fctx_t *f = apr_pcalloc(x->p, sizeof(*f));
    int i;

    f->parent = os->type;
    f->field = field;
    f->scalar = scalar_of(field->type);
    f->group = g;
    f->sets = apr_array_make(x->p, 1, sizeof(objset_t *));
    f->locs = apr_array_make(x->p, g->fields->nelts, sizeof(gql_loc_t));
    for (i = 0; i < g->fields->nelts; i++) {
        APR_ARRAY_PUSH(f->locs, gql_loc_t) =
            APR_ARRAY_IDX(g->fields, i, const gql_selection_t *)->loc;
    }
    return f;
}

static void run_group(run_t *x, const objset_t *os, int gi, const rgroup_t *g,
                      const apr_array_header_t *siblings)
{
    const gql_selection_t *s = APR_ARRAY_IDX(g->fields, 0,
                                             const gql_selection_t *);
    const gql_field_t *field = gql_schema_field_def(x->schema, os->type,
                                                    s->name.value);
    gql_resolve_t b;
    gql_error_t *err = NULL;
    const char *msg;
    fctx_t *f;
    int i;

    if (field == NULL) {
        return;                         /* graphql-js leaves it out */
    }
    if (field == x->schema->meta_typename) {
        typename_all(x, os, gi, g);
        return;
    }
    f = field_ctx(x, os, g, field);
    memset(&b, 0, sizeof(b));
    b.args = gql_coerce_arguments(x->p, field->arguments, s->arguments,
                                  &s->loc, x->variables, &err);
    if (b.args == NULL) {
        fail_all(x, os, gi, f, err->locations, err->message);
        return;
    }
    b.pool = x->p;
    b.ctx = x->ctx;
    b.schema = x->schema;
    b.parent_type = os->type;
    b.field = field;
    b.node = s;
    b.nodes = g->fields;
    b.siblings = siblings;
    b.sibling = gi;
    b.doc = x->op->doc;
    b.variables = x->variables;
    b.count = os->objs->nelts;
    b.parents = apr_palloc(x->p, sizeof(json_object *) * (b.count + 1));
    b.results = apr_pcalloc(x->p, sizeof(json_object *) * (b.count + 1));
    b.errors = apr_pcalloc(x->p, sizeof(const char *) * (b.count + 1));
    b.codes = apr_pcalloc(x->p, sizeof(const char *) * (b.count + 1));
    b.texts = apr_pcalloc(x->p, sizeof(gql_text_t) * (b.count + 1));
    b.rows = apr_pcalloc(x->p, sizeof(gql_rows_t) * (b.count + 1));
    b.parent_rows = apr_palloc(x->p, sizeof(void *) * (b.count + 1));
    for (i = 0; i < b.count; i++) {
        const obj_t *o = &APR_ARRAY_IDX(os->objs, i, obj_t);

        ((json_object **)b.parents)[i] = o->value;
        ((void **)b.parent_rows)[i] = o->row;
    }
    msg = resolver_for(x, os->type, field)(&b);
    for (i = 0; i < b.count; i++) {
        /* the executor's reference now */
        gql_json_keep_in(x->keeper, b.results[i]);
    }
    if (msg != NULL) {
        fail_all(x, os, gi, f, f->locs, msg);
        coded_all(os, gi, b.code);
        return;
    }
    for (i = 0; i < b.count; i++) {
        rnode_t *pn = APR_ARRAY_IDX(os->objs, i, obj_t).node;
        const gql_path_t *path = path_add(x, pn->path, g->key, 0);

        if (b.errors[i] != NULL) {
            pn->kids[gi] = error_node(x, path, f->locs, b.errors[i]);
            pn->kids[gi]->code = b.codes[i];
            pn->kids[gi]->nonnull = field->type->kind == GQL_TYPE_NON_NULL;
        }
        else if (b.texts[i].kind != GQL_TEXT_NONE) {
            pn->kids[gi] = complete_text(x, f, field->type, &b.texts[i],
                                         path);
        }
        else if (b.rows[i].given) {
            pn->kids[gi] = complete_rows(x, f, field->type, &b.rows[i],
                                         path);
        }
        else {
            pn->kids[gi] = complete(x, f, field->type, b.results[i], path);
        }
    }
}

/* The objects' member slots: one allocation for the objset, and one list
 * of keys that all of its objects share (they are read, never changed). */
static void object_nodes(run_t *x, const objset_t *os,
                         const apr_array_header_t *groups)
{
    int i, j, k = groups->nelts + 1;
    const char **keys = apr_palloc(x->p, sizeof(const char *) * k);
    rnode_t **kids = apr_pcalloc(x->p, sizeof(rnode_t *) * k
                                       * (apr_size_t)os->objs->nelts);

    for (j = 0; j < groups->nelts; j++) {
        keys[j] = APR_ARRAY_IDX(groups, j, rgroup_t *)->key;
    }
    for (i = 0; i < os->objs->nelts; i++) {
        rnode_t *n = APR_ARRAY_IDX(os->objs, i, obj_t).node;

        n->n = groups->nelts;
        n->kids = kids + (apr_size_t)i * k;
        n->keys = keys;
    }
}

/* The collection failed: each object is that error, where it stands. */
static void fail_objects(const objset_t *os, const gql_error_t *e)
{
    int i;

    for (i = 0; i < os->objs->nelts; i++) {
        rnode_t *n = APR_ARRAY_IDX(os->objs, i, obj_t).node;

        n->kind = R_ERROR;
        n->msg = e->message;
        n->locs = e->locations;
    }
}

static void run_set(run_t *x, const objset_t *os)
{
    gql_error_t *err;
    apr_array_header_t *groups = collect_set(x, os, &err), *siblings;
    int i;

    if (groups == NULL) {
        fail_objects(os, err);
        return;
    }
    object_nodes(x, os, groups);
    siblings = apr_array_make(x->p, groups->nelts,
                              sizeof(apr_array_header_t *));
    for (i = 0; i < groups->nelts; i++) {
        APR_ARRAY_PUSH(siblings, const apr_array_header_t *)
            = APR_ARRAY_IDX(groups, i, rgroup_t *)->fields;
    }
    for (i = 0; i < groups->nelts; i++) {
        run_group(x, os, i, APR_ARRAY_IDX(groups, i, rgroup_t *), siblings);
    }
}

static void drain(run_t *x)
{
    while (x->head < x->queue->nelts) {
        run_set(x, APR_ARRAY_IDX(x->queue, x->head++, objset_t *));
    }
}

/* ---- reading the response off the tree */

static void report(run_t *x, const rnode_t *n)
{
    gql_error_t *e = gql_error_add(x->p, x->errors, NULL, "%s", n->msg);
    int i;

    for (i = 0; n->locs != NULL && i < n->locs->nelts; i++) {
        gql_error_add_loc(x->p, e, &APR_ARRAY_IDX(n->locs, i, gql_loc_t));
    }
    e->path = n->path;
    e->code = n->code;
}

/* `"key":` of an object's member, after a comma unless it is the first.
 * A response key is a GraphQL name: nothing in it needs escaping. */
static void member_key(gql_writer_t *w, int *first, const char *key)
{
    gql_writer_key(w, !*first, key);
    *first = 0;
}

/* The JSON text of a node into w; returns 1 when it throws, i.e. its
 * null must propagate to the parent (graphql-js rethrows a non-null
 * failure and completes nothing more of that parent), having written
 * nothing. */
static int build(run_t *x, const rnode_t *n, gql_writer_t *w)
{
    apr_size_t start = gql_writer_len(w);
    int i, first = 1;

    switch (n->kind) {
    case R_NULL:
        gql_writer_put(w, "null", 4);
        return 0;
    case R_LEAF:
        gql_writer_value(w, n->leaf);
        return 0;
    case R_TEXT:
        gql_writer_put(w, n->text, n->len);
        return 0;
    case R_STRING:
        gql_writer_string(w, n->text, n->len);
        return 0;
    case R_ERROR:
        report(x, n);
        if (!n->nonnull) {
            gql_writer_put(w, "null", 4);
        }
        return n->nonnull;
    case R_LIST:
        gql_writer_putc(w, '[');
        for (i = 0; i < n->n; i++) {
            if (i) {
                gql_writer_putc(w, ',');
            }
            if (build(x, n->kids[i], w)) {
                break;
            }
        }
        if (i < n->n) {
            break;                      /* an item's null propagates */
        }
        gql_writer_putc(w, ']');
        return 0;
    default:
        gql_writer_putc(w, '{');
        for (i = 0; i < n->n; i++) {
            if (n->kids[i] == NULL) {
                continue;
            }
            member_key(w, &first, n->keys[i]);
            if (build(x, n->kids[i], w)) {
                break;
            }
        }
        if (i < n->n) {
            break;                      /* a member's null propagates */
        }
        gql_writer_putc(w, '}');
        return 0;
    }
    /* What was written of this value goes: it is null, or its own null
     * propagates further. */
    gql_writer_cut(w, start);
    if (!n->nonnull) {
        gql_writer_put(w, "null", 4);
    }
    return n->nonnull;
}

/* ---- run */

static const char *run_root(run_t *x, const gql_type_t *root,
                            json_object *root_value)
{
    /* Room for most responses at once: growing copies what is written. */
    gql_writer_t *w = gql_writer_make(x->p, 16384);
    objset_t *os = apr_pcalloc(x->p, sizeof(*os));
    gql_error_t *err;
    apr_array_header_t *groups;
    obj_t *o;
    int i, first = 1;

    os->type = root;
    os->objs = apr_array_make(x->p, 1, sizeof(obj_t));
    o = apr_array_push(os->objs);
    o->value = root_value;
    o->row = NULL;
    o->node = new_node(x, R_OBJECT, NULL);
    groups = collect_set(x, os, &err);
    if (groups == NULL) {
        APR_ARRAY_PUSH(x->errors, gql_error_t *) = err;
        return NULL;
    }
    object_nodes(x, os, groups);
    gql_writer_putc(w, '{');
    for (i = 0; i < groups->nelts; i++) {
        run_group(x, os, i, APR_ARRAY_IDX(groups, i, rgroup_t *), NULL);
        drain(x);
        if (o->node->kids[i] == NULL) {
            continue;
        }
        member_key(w, &first, o->node->keys[i]);
        if (build(x, o->node->kids[i], w)) {
            return NULL;
        }
    }
    gql_writer_putc(w, '}');
    return gql_writer_text(w);
}

/* Whether op may start at what it costs (res->cost): 0 with the error
 * appended when it costs more than the limit. */
static int affordable(apr_pool_t *p, const gql_operation_t *op,
                      const gql_execute_opts_t *opts, json_object *vars,
                      gql_result_t *res)
{
    gql_error_t *e;

    if (opts == NULL || opts->cost == NULL) {
        return 1;
    }
    /* known when the document was prepared, if no variable changes it */
    res->cost = op->cost >= 0 && op->doc->cost == opts->cost
                && op->doc->list_size == opts->list_size
                ? op->cost
                : gql_cost_of(p, opts->cost, op, vars, opts->list_size);
    if (opts->max_cost <= 0 || res->cost <= opts->max_cost) {
        return 1;
    }
    e = gql_error_add(p, res->errors, &op->def->loc, "The operation costs %"
                      APR_INT64_T_FMT ", more than the limit of %"
                      APR_INT64_T_FMT ".", res->cost, opts->max_cost);
    e->code = "COST_LIMIT_EXCEEDED";
    return 0;
}

void gql_execute_run(apr_pool_t *p, const gql_operation_t *op,
                     const gql_resolvers_t *resolvers,
                     json_object *root_value,
                     const gql_execute_opts_t *opts, gql_result_t *res)
{
    const gql_schema_t *schema = op->doc->schema;
    const gql_type_t *root = gql_schema_root(schema, op->def->operation);
    run_t x;

    memset(&x, 0, sizeof(x));
    x.p = p;
    x.op = op;
    x.schema = schema;
    x.errors = res->errors;
    x.resolve = resolvers && resolvers->field ? resolvers->field
                : gql_execute_resolve_property;
    x.type_of = resolvers && resolvers->type_of ? resolvers->type_of
                : typename_of;
    x.ctx = resolvers ? resolvers->ctx : NULL;
    x.queue = apr_array_make(p, 16, sizeof(objset_t *));
    x.keeper = gql_json_keeper(p);
    res->data = NULL;
    res->cost = -1;
    /* Variables are coerced here, not when the operation is selected, so
     * that the glue can refuse a mutation over GET (405) whatever its
     * variables hold. */
    x.variables = gql_coerce_variables(p, schema, op->def, op->variables,
                                       res->errors);
    res->has_data = x.variables != NULL
                    && affordable(p, op, opts, x.variables, res);
    if (!res->has_data) {
        return;
    }
    if (root == NULL) {
        gql_error_add(p, res->errors, &op->def->loc, "Schema is not "
                      "configured to execute %s operation.",
                      gql_operation_names[op->def->operation]);
        return;
    }
    res->data = run_root(&x, root, root_value);
}
