/* Licensed under the Apache License, Version 2.0 (the "License"); you may
 * not use this file except in compliance with the License.  You may obtain
 * a copy of the License at http://www.apache.org/licenses/LICENSE-2.0
 */

/*
 * gql_sql_run.c: the SQL mapping at request time.  The executor's batch
 * resolver: one statement per field per level, whatever the number of
 * parents; the transaction (one snapshot for a query, all or nothing for
 * a mutation); prepared statements, re-prepared on a new backend; @column,
 * @jwt, @sqlError and the generic error whose detail only the log gets.
 *
 * Which statements the backend has prepared is read in the same round
 * trip as BEGIN (pg_prepared_statements), so a restarted PostgreSQL, a
 * reconnected pool or a DEALLOCATE ALL never leaves a stale name behind,
 * and no process-wide cache needs a lock.
 *
 * A failing statement of a query fails its own field only: BEGIN's round
 * trip also sets one savepoint, and a failure rolls back to it (which
 * keeps it for the next one), so the later statements run in the same
 * snapshot.  One savepoint for the whole query is enough because a
 * read-only transaction has nothing of the earlier statements to lose;
 * it costs no round trip unless a statement fails, where a savepoint per
 * statement costs one (pipelined) or two.  PREPARE is not transactional:
 * what a rolled-back statement prepared stays prepared, and remembered.
 */

#include <stdlib.h>
#include <string.h>
#include <apr_hash.h>
#include <apr_lib.h>
#include <apr_strings.h>
#include <apr_time.h>
#include "gql_coerce.h"
#include "gql_json.h"
#include "gql_jwt.h"
#include "gql_sql_int.h"

#define INTERNAL "Internal server error."
#define INTERNAL_CODE "INTERNAL_SERVER_ERROR"
#define UNAVAILABLE "The database is unavailable."
#define UNAVAILABLE_CODE "DATABASE_UNAVAILABLE"
#define SAVEPOINT "gql_s"

/* Nesting of list arguments written as array literals. */
#define MAX_NEST 32

typedef enum { S_IDLE, S_OPEN, S_FAILED, S_DOWN, S_DONE } state_e;

struct gql_sql_ctx_t {
    apr_pool_t *p;
    const gql_schema_t *s;
    const gql_sql_mapping_t *maps;
    gql_sql_env_t env;
    gql_operation_e kind;
    PGconn *conn;
    state_e state;
    apr_hash_t *prepared;       /* statement names the backend has */
    int statements;
    int unavailable;
    apr_size_t bytes;           /* JSON text the statements returned */
    int over;                   /* bytes passed env.max_result_size */
};

static void note(gql_sql_ctx_t *c, int is_error, const char *tag,
                 const char *msg)
{
    if (c->env.log != NULL) {
        c->env.log(c->env.baton, is_error, tag, msg);
    }
}

/* The driver's text of a failure, one line, for the log only. */
static const char *why(gql_sql_ctx_t *c, const PGresult *r)
{
    const char *state = r ? PQresultErrorField(r, PG_DIAG_SQLSTATE) : NULL;
    const char *msg = r ? PQresultErrorField(r, PG_DIAG_MESSAGE_PRIMARY)
                        : NULL;

    return apr_psprintf(c->p, "SQLSTATE %s: %s", state ? state : "none",
                        msg ? msg : PQerrorMessage(c->conn));
}

/* ---- the connection and the transaction ---------------------------- */

/* Never hand a connection back to the pool inside a transaction: this
 * runs before the pool's release (cleanups run in reverse order). */
static apr_status_t rollback_cleanup(void *data)
{
    gql_sql_ctx_t *c = data;

    if (c->conn != NULL && PQstatus(c->conn) == CONNECTION_OK
        && PQtransactionStatus(c->conn) != PQTRANS_IDLE) {
        PQclear(PQexec(c->conn, "ROLLBACK"));
    }
    return APR_SUCCESS;
}

static void down(gql_sql_ctx_t *c, const char *what)
{
    c->state = S_DOWN;
    c->unavailable = 1;
    note(c, 1, "GQL00031", apr_psprintf(c->p, "the database is unavailable:"
                                        " %s", what ? what : "no connection"));
}

static void remember(gql_sql_ctx_t *c, const char *name)
{
    apr_hash_set(c->prepared, apr_pstrdup(c->p, name), APR_HASH_KEY_STRING,
                 "");
}

/* BEGIN, the timeout and what is prepared, in one round trip. */
static int start(gql_sql_ctx_t *c)
{
    const char *why_not = NULL, *sql;
    PGresult *r;
    int i;

    c->conn = c->env.acquire ? c->env.acquire(c->env.baton, &why_not) : NULL;
    if (c->conn == NULL || PQstatus(c->conn) != CONNECTION_OK) {
        down(c, c->conn ? PQerrorMessage(c->conn) : why_not);
        return 0;
    }
    apr_pool_cleanup_register(c->p, c, rollback_cleanup,
                              apr_pool_cleanup_null);
    sql = apr_psprintf(c->p, "%s; SET LOCAL statement_timeout = %d; %s"
                       "SELECT name FROM pg_prepared_statements "
                       "WHERE name LIKE 'gql\\_%%'",
                       c->kind == GQL_OP_MUTATION ? "BEGIN"
                       : "BEGIN READ ONLY ISOLATION LEVEL REPEATABLE READ",
                       c->env.statement_timeout_ms,
                       c->kind == GQL_OP_MUTATION ? ""
                       : "SAVEPOINT " SAVEPOINT "; ");
    r = PQexec(c->conn, sql);
    if (PQresultStatus(r) != PGRES_TUPLES_OK) {
        if (PQstatus(c->conn) != CONNECTION_OK) {
            down(c, PQerrorMessage(c->conn));
        }
        else {
            note(c, 1, "GQL00032", apr_pstrcat(c->p, "BEGIN failed: ",
                                               why(c, r), NULL));
            c->state = S_FAILED;
        }
        PQclear(r);
        return 0;
    }
    c->prepared = apr_hash_make(c->p);
    for (i = 0; i < PQntuples(r); i++) {
        remember(c, PQgetvalue(r, i, 0));
    }
    PQclear(r);
    c->state = S_OPEN;
    return 1;
}

gql_sql_ctx_t *gql_sql_begin(apr_pool_t *p, const gql_schema_t *s,
                             const gql_sql_mapping_t *maps,
                             const gql_sql_env_t *env, gql_operation_e kind)
{
    gql_sql_ctx_t *c = apr_pcalloc(p, sizeof(*c));

    c->p = p;
    c->s = s;
    c->maps = maps;
    c->env = *env;
    c->kind = kind;
    c->state = S_IDLE;
    return c;
}

int gql_sql_statements(const gql_sql_ctx_t *c)
{
    return c->statements;
}

static int end(gql_sql_ctx_t *c, const char *sql)
{
    PGresult *r = PQexec(c->conn, sql);
    int ok = PQresultStatus(r) == PGRES_COMMAND_OK;

    if (!ok) {
        note(c, 1, "GQL00032", apr_psprintf(c->p, "%s failed: %s", sql,
                                            why(c, r)));
    }
    PQclear(r);
    return ok;
}

int gql_sql_finish(gql_sql_ctx_t *c, gql_result_t *res)
{
    int failed = res->errors != NULL && res->errors->nelts > 0;

    if (c->state == S_OPEN || c->state == S_FAILED) {
        if (c->state == S_FAILED
            || (failed && c->kind == GQL_OP_MUTATION)) {
            end(c, "ROLLBACK");
        }
        else if (!end(c, "COMMIT")) {
            gql_error_t *e = gql_error_add(c->p, res->errors, NULL,
                                           INTERNAL);

            e->code = INTERNAL_CODE;
            failed = 1;
        }
        c->state = S_DONE;
    }
    if (failed && c->kind == GQL_OP_MUTATION && res->has_data) {
        res->data = NULL;
    }
    return c->unavailable ? 503 : 0;
}

/* ---- parameters ---------------------------------------------------- */

/* A growing text in a pool; deep is set when a value nests too deeply
 * to be spelled (then the text is not used). */
typedef struct buf_t {
    char *buf;
    apr_size_t len, cap;
    int deep;
} buf_t;

/* What text_of gives for such a value: never bound, the field fails. */
static const char too_deep[] = "";

static const char *text_of(apr_pool_t *p, json_object *v, int depth);

static void put(apr_pool_t *p, buf_t *t, const char *s, apr_size_t n)
{
    if (t->len + n + 1 > t->cap) {
        apr_size_t cap = (t->cap + n + 1) * 2;
        char *b = apr_palloc(p, cap);

        if (t->len) {
            memcpy(b, t->buf, t->len);
        }
        t->buf = b;
        t->cap = cap;
    }
    memcpy(t->buf + t->len, s, n);
    t->len += n;
    t->buf[t->len] = '\0';
}

/* Quoted text of an array literal, '"' and '\' escaped. */
static void quote(apr_pool_t *p, buf_t *t, const char *s)
{
    put(p, t, "\"", 1);
    for (; *s; s++) {
        if (*s == '"' || *s == '\\') {
            put(p, t, "\\", 1);
        }
        put(p, t, s, 1);
    }
    put(p, t, "\"", 1);
}

/* An element of an array literal: NULL, a nested array, or quoted text.
 * Only arrays recurse, and not past MAX_NEST. */
static void array_elem(apr_pool_t *p, buf_t *t, json_object *v,
                       int depth)
{
    apr_size_t i, n;

    if (v == NULL) {
        put(p, t, "NULL", 4);
        return;
    }
    if (!json_object_is_type(v, json_type_array)) {
        quote(p, t, text_of(p, v, depth + 1));
        return;
    }
    if (depth >= MAX_NEST) {
        t->deep = 1;
        return;
    }
    n = json_object_array_length(v);
    put(p, t, "{", 1);
    for (i = 0; i < n && !t->deep; i++) {
        if (i) {
            put(p, t, ",", 1);
        }
        array_elem(p, t, json_object_array_get_idx(v, i), depth + 1);
    }
    put(p, t, "}", 1);
}

static const char *text_of(apr_pool_t *p, json_object *v, int depth)
{
    buf_t t = { NULL, 0, 0, 0 };

    switch (json_object_get_type(v)) {
    case json_type_null:
        return NULL;
    case json_type_string:
        return json_object_get_string(v);
    case json_type_int:
        return apr_psprintf(p, "%" APR_INT64_T_FMT, json_object_get_int64(v));
    case json_type_boolean:
        return json_object_get_boolean(v) ? "true" : "false";
    case json_type_array:
        array_elem(p, &t, v, depth);
        return t.deep ? too_deep : t.buf;
    default:                            /* double, object (jsonb) */
        return apr_pstrdup(p, json_object_to_json_string_ext(v,
                           JSON_C_TO_STRING_PLAIN
                           | JSON_C_TO_STRING_NOSLASHESCAPE));
    }
}

static json_object *member(json_object *o, const char *name)
{
    json_object *v = NULL;

    if (o != NULL && json_object_is_type(o, json_type_object)) {
        json_object_object_get_ex(o, name, &v);
    }
    return v;
}

/* The text of $n for parent (NULL for the arrays of parent columns). */
static const char *param_text(gql_sql_ctx_t *c, const gql_resolve_t *b,
                              const gql_sql_param_t *pm)
{
    json_object *v;
    int i;

    if (pm->kind == GQL_PARAM_VIEWER) {
        v = member(c->env.claims, pm->path[0]);
        return v && json_object_is_type(v, json_type_string)
               ? json_object_get_string(v)
               : v ? apr_pstrdup(c->p, json_object_to_json_string_ext(v,
                                 JSON_C_TO_STRING_PLAIN)) : NULL;
    }
    v = b->args;
    for (i = 0; i < pm->npath && v != NULL; i++) {
        v = member(v, pm->path[i]);
    }
    return text_of(c->p, v, 0);
}

/* The array literal of a parent column over every parent.  Each parent's
 * value is one element, quoted text: an array column's value is its own
 * array literal, which batch_text casts back (an array of arrays cannot
 * be unnested one parent at a time). */
static const char *parent_array(gql_sql_ctx_t *c, const gql_resolve_t *b,
                                const gql_sql_param_t *pm)
{
    buf_t t = { NULL, 0, 0, 0 };
    int i;

    put(c->p, &t, "{", 1);
    for (i = 0; i < b->count; i++) {
        json_object *v = member(b->parents[i], pm->path[0]);
        const char *s = v ? text_of(c->p, v, 0) : NULL;

        if (s == too_deep) {
            return too_deep;
        }
        if (i) {
            put(c->p, &t, ",", 1);
        }
        if (s == NULL) {
            put(c->p, &t, "NULL", 4);
        }
        else {
            quote(c->p, &t, s);
        }
    }
    put(c->p, &t, "}", 1);
    return t.buf;
}

/* ---- statements ---------------------------------------------------- */

static int prepare(gql_sql_ctx_t *c, const char *name, const char *sql,
                   PGresult **fail)
{
    PGresult *r = PQprepare(c->conn, name, sql, 0, NULL);

    if (PQresultStatus(r) != PGRES_COMMAND_OK) {
        *fail = r;
        return 0;
    }
    PQclear(r);
    remember(c, name);
    return 1;
}

/* The element types of the parent columns, as PostgreSQL infers them in
 * the one-parent form of the statement. */
static const char **parent_types(gql_sql_ctx_t *c, const gql_sql_map_t *m,
                                 PGresult **fail)
{
    const char **types = apr_pcalloc(c->p, sizeof(char *)
                                     * (m->params->nelts + 1));
    const char *oids = "{";
    const char *vals[1];
    PGresult *d, *r;
    int i;

    if (!apr_hash_get(c->prepared, m->single_name, APR_HASH_KEY_STRING)
        && !prepare(c, m->single_name, m->single, fail)) {
        return NULL;
    }
    d = PQdescribePrepared(c->conn, m->single_name);
    if (PQresultStatus(d) != PGRES_COMMAND_OK) {
        *fail = d;
        return NULL;
    }
    for (i = 0; i < m->params->nelts; i++) {
        oids = apr_psprintf(c->p, "%s%s%u", oids, i ? "," : "",
                            PQparamtype(d, i));
    }
    PQclear(d);
    vals[0] = apr_pstrcat(c->p, oids, "}", NULL);
    r = PQexecParams(c->conn, "SELECT format_type(t, NULL) FROM "
                     "unnest($1::oid[]) WITH ORDINALITY u(t, n) ORDER BY n",
                     1, NULL, vals, NULL, NULL, 0);
    if (PQresultStatus(r) != PGRES_TUPLES_OK
        || PQntuples(r) != m->params->nelts) {
        *fail = r;
        return NULL;
    }
    for (i = 0; i < m->params->nelts; i++) {
        types[i] = apr_pstrdup(c->p, PQgetvalue(r, i, 0));
    }
    PQclear(r);
    return types;
}

static int is_array(const char *type)
{
    apr_size_t n = strlen(type);

    return n > 2 && strcmp(type + n - 2, "[]") == 0;
}

/* One JSON array per parent: the statement inside a correlated subquery
 * over the parents' columns, unnested in parent order.  A parent column
 * of an array type travels as the text of each parent's array, cast back
 * where the statement uses it. */
static const char *batch_text(gql_sql_ctx_t *c, const gql_sql_map_t *m,
                              const char **types)
{
    const char *body = "", *from = "", *cols = "";
    int i;

    for (i = 0; i < m->segs->nelts; i++) {
        const gql_sql_seg_t *g = &APR_ARRAY_IDX(m->segs, i, gql_sql_seg_t);
        const gql_sql_param_t *pm;

        if (g->param < 0) {
            body = apr_pstrcat(c->p, body, apr_pstrmemdup(c->p, g->text,
                                                          g->len), NULL);
            continue;
        }
        pm = &APR_ARRAY_IDX(m->params, g->param, gql_sql_param_t);
        if (pm->kind != GQL_PARAM_PARENT) {
            body = apr_psprintf(c->p, "%s$%d", body, g->param + 1);
        }
        else if (is_array(types[g->param])) {
            body = apr_psprintf(c->p, "%s(gql_p.c%d::%s)", body,
                                g->param + 1, types[g->param]);
        }
        else {
            body = apr_psprintf(c->p, "%sgql_p.c%d", body, g->param + 1);
        }
    }
    for (i = 0; i < m->params->nelts; i++) {
        if (APR_ARRAY_IDX(m->params, i, gql_sql_param_t).kind
            == GQL_PARAM_PARENT) {
            from = apr_psprintf(c->p, "%s$%d::%s[], ", from, i + 1,
                                strcmp(types[i], "unknown")
                                && !is_array(types[i]) ? types[i] : "text");
            cols = apr_psprintf(c->p, "%sc%d, ", cols, i + 1);
        }
    }
    return apr_psprintf(c->p, "SELECT coalesce((SELECT json_agg(c) FROM (%s)"
                        " c), '[]')::text FROM unnest(%.*s) WITH ORDINALITY "
                        "AS gql_p(%sord) ORDER BY gql_p.ord", body,
                        (int)strlen(from) - 2, from, cols);
}

/* Prepares what the field needs on this backend; its name, or NULL. */
static const char *ready(gql_sql_ctx_t *c, const gql_sql_map_t *m,
                         int batch, PGresult **fail)
{
    const char *name = batch ? m->batch_name : m->once_name;
    const char **types;

    if (apr_hash_get(c->prepared, name, APR_HASH_KEY_STRING)) {
        return name;
    }
    if (!batch) {
        return prepare(c, name, m->once, fail) ? name : NULL;
    }
    types = parent_types(c, m, fail);
    if (types == NULL) {
        return NULL;
    }
    return prepare(c, name, batch_text(c, m, types), fail) ? name : NULL;
}

/* ---- results ------------------------------------------------------- */

static json_object *first_column(json_object *row)
{
    struct json_object_iterator it, e;

    if (row == NULL || !json_object_is_type(row, json_type_object)) {
        return NULL;
    }
    it = json_object_iter_begin(row);
    e = json_object_iter_end(row);
    return json_object_iter_equal(&it, &e) ? NULL
                                           : json_object_iter_peek_value(&it);
}

/* The rows (a JSON array) as the field's type wants them; a new
 * reference for the executor. */
static json_object *shape(const gql_tref_t *t, json_object *rows)
{
    const gql_tref_t *u = t->kind == GQL_TYPE_NON_NULL ? t->of_type : t;
    size_t i, n = json_object_array_length(rows);
    json_object *out, *first = n ? json_object_array_get_idx(rows, 0) : NULL;

    if (u->kind == GQL_TYPE_LIST) {
        const gql_tref_t *e = u->of_type;
        int leaf;

        while (e->kind != GQL_TYPE_NAMED) {
            e = e->of_type;
        }
        leaf = e->named->kind == GQL_KIND_SCALAR
               || e->named->kind == GQL_KIND_ENUM;
        if (!leaf) {
            return json_object_get(rows);
        }
        out = json_object_new_array_ext((int)n);
        for (i = 0; i < n; i++) {
            json_object_array_add(out, json_object_get(first_column(
                json_object_array_get_idx(rows, i))));
        }
        return out;
    }
    if (u->named->kind == GQL_KIND_SCALAR || u->named->kind == GQL_KIND_ENUM) {
        return json_object_get(first_column(first));
    }
    return json_object_get(first);
}

/* An integer token of n digits (sign apart) past int64's range. */
static int too_big(const char *t, apr_size_t n, int neg)
{
    return n > 19 || (n == 19 && strncmp(t, neg ? "9223372036854775808"
                                         : "9223372036854775807", 19) > 0);
}

/* json-c clamps integer tokens past int64 with no error; PostgreSQL's
 * numeric values without a fraction come as such tokens.  Each becomes
 * the double JavaScript would read, in the text JavaScript would print
 * (with "e0" where that text has no exponent, so json-c reads a double
 * again).  A token of 19 digits or more grows by 2 at most, so twice
 * the text holds the copy.  The text itself when no token needs
 * it. */
static const char *wide_ints(apr_pool_t *p, const char *text)
{
    const char *s, *from = text;
    char *out = NULL, *w = NULL;
    int in_str = 0;

    for (s = text; *s; s++) {
        apr_size_t n;
        const char *d, *js;

        if (in_str && *s == '\\' && s[1]) {
            s++;                        /* an escaped character */
            continue;
        }
        if (in_str || *s == '"') {
            in_str = !in_str || *s != '"';
            continue;
        }
        if (*s != '-' && !apr_isdigit(*s)) {
            continue;
        }
        d = s + (*s == '-');
        for (n = 0; apr_isdigit(d[n]); n++) {
        }
        if (d[n] != '.' && d[n] != 'e' && d[n] != 'E'
            && too_big(d, n, *s == '-')) {
            if (out == NULL) {
                w = out = apr_palloc(p, 2 * strlen(text) + 32);
            }
            js = gql_coerce_js_number(p, strtod(s, NULL));
            memcpy(w, from, (apr_size_t)(s - from));
            w = apr_cpystrn(w + (s - from), js, 32);
            w = apr_cpystrn(w, strchr(js, 'e') ? "" : "e0", 3);
            from = d + n;
        }
        s = d + n - 1;
    }
    if (out == NULL) {
        return text;
    }
    strcpy(w, from);
    return out;
}

/* Strict parse of the whole text; the tree is tied to p. */
static json_object *parse(apr_pool_t *p, const char *text)
{
    json_tokener *tok = json_tokener_new();
    json_object *o;
    size_t len;

    text = wide_ints(p, text);
    len = strlen(text);

    json_tokener_set_flags(tok, JSON_TOKENER_STRICT);
    o = json_tokener_parse_ex(tok, text, (int)len);
    if (o != NULL && (json_tokener_get_error(tok) != json_tokener_success
                      || json_tokener_get_parse_end(tok) != len
                      || !json_object_is_type(o, json_type_array))) {
        json_object_put(o);
        o = NULL;
    }
    json_tokener_free(tok);
    return gql_json_own(p, o);
}

static const gql_sql_catch_t *caught(const gql_sql_map_t *m,
                                     const char *state, const char *cons)
{
    int i;

    for (i = 0; m->catches && i < m->catches->nelts; i++) {
        const gql_sql_catch_t *k = &APR_ARRAY_IDX(m->catches, i,
                                                  gql_sql_catch_t);

        if ((state && strcmp(k->when, state) == 0)
            || (cons && strcmp(k->when, cons) == 0)) {
            return k;
        }
    }
    return NULL;
}

/* After a failed statement of a query, the transaction as it was after
 * BEGIN; a mutation stays failed: all or nothing. */
static void recover(gql_sql_ctx_t *c)
{
    PGresult *r;

    c->state = S_FAILED;
    if (c->kind == GQL_OP_MUTATION) {
        return;
    }
    r = PQexec(c->conn, "ROLLBACK TO SAVEPOINT " SAVEPOINT);
    if (PQresultStatus(r) == PGRES_COMMAND_OK) {
        c->state = S_OPEN;
    }
    else if (PQstatus(c->conn) != CONNECTION_OK) {
        down(c, PQerrorMessage(c->conn));
    }
    else {
        note(c, 1, "GQL00032", apr_pstrcat(c->p, "ROLLBACK TO SAVEPOINT "
                                           "failed: ", why(c, r), NULL));
    }
    PQclear(r);
}

/* A failed statement: the @sqlError that matches, else the generic
 * error with the detail logged. */
static const char *failed(gql_sql_ctx_t *c, gql_resolve_t *b,
                          const gql_sql_map_t *m, PGresult *r)
{
    const char *state = r ? PQresultErrorField(r, PG_DIAG_SQLSTATE) : NULL;
    const char *cons = r ? PQresultErrorField(r, PG_DIAG_CONSTRAINT_NAME)
                         : NULL;
    const gql_sql_catch_t *k = caught(m, state, cons);
    const char *msg = INTERNAL;

    if (PQstatus(c->conn) != CONNECTION_OK) {
        down(c, PQerrorMessage(c->conn));
        PQclear(r);
        b->code = UNAVAILABLE_CODE;
        return UNAVAILABLE;
    }
    if (k != NULL) {
        /* Expected, and the client's doing: logged at info level only. */
        note(c, 0, "GQL00036", apr_psprintf(c->p, "%s: %s, answered as %s",
                                            m->label, why(c, r), k->code));
        b->code = k->code;
        msg = k->message;
    }
    else {
        note(c, 1, "GQL00030", apr_psprintf(c->p, "%s: %s", m->label,
                                            why(c, r)));
        b->code = INTERNAL_CODE;
    }
    PQclear(r);
    recover(c);
    return msg;
}

/* One row: the JSON array of rows for parent i. */
static void take(gql_sql_ctx_t *c, gql_resolve_t *b, const gql_sql_map_t *m,
                 int i, const char *text)
{
    const gql_sql_catch_t *empty = caught(m, "empty", NULL);
    json_object *rows = parse(c->p, text);

    if (rows == NULL) {
        b->errors[i] = INTERNAL;
        b->codes[i] = INTERNAL_CODE;
        note(c, 1, "GQL00034", apr_pstrcat(c->p, m->label, ": the "
                                           "result is not JSON", NULL));
    }
    else if (empty && json_object_array_length(rows) == 0) {
        b->errors[i] = empty->message;
        b->codes[i] = empty->code;
    }
    else {
        b->results[i] = shape(b->field->type, rows);
    }
}

/* The field fails as a whole: what take() gave some parents goes. */
static void drop(gql_resolve_t *b)
{
    int i;

    for (i = 0; i < b->count; i++) {
        json_object_put(b->results[i]);
        b->results[i] = NULL;
        b->errors[i] = NULL;
        b->codes[i] = NULL;
    }
}

/* Past the budget: the backend stops producing rows. */
static void stop(gql_sql_ctx_t *c, const gql_sql_map_t *m)
{
    PGcancel *k = PQgetCancel(c->conn);
    char err[256];

    if (k != NULL) {
        PQcancel(k, err, sizeof(err));
        PQfreeCancel(k);
    }
    c->over = 1;
    note(c, 1, "GQL00038", apr_psprintf(c->p, "%s: the request's results "
                                        "passed GraphQLMaxResultSize (%"
                                        APR_SIZE_T_FMT " bytes)", m->label,
                                        c->env.max_result_size));
}

static const char *too_large(gql_sql_ctx_t *c, gql_resolve_t *b)
{
    b->code = "RESULT_TOO_LARGE";
    return apr_psprintf(c->p, "The result is too large: a request may read "
                        "at most %" APR_SIZE_T_FMT " bytes from the "
                        "database.", c->env.max_result_size);
}

/* The statement's rows one at a time (libpq's single-row mode), so that
 * no more than one row past the budget is ever held. */
static const char *receive(gql_sql_ctx_t *c, gql_resolve_t *b,
                           const gql_sql_map_t *m, int batch)
{
    int want = batch ? b->count : 1, n = 0;
    PGresult *r, *fail = NULL;

    PQsetSingleRowMode(c->conn);
    while ((r = PQgetResult(c->conn)) != NULL) {
        ExecStatusType st = PQresultStatus(r);

        if (st == PGRES_SINGLE_TUPLE && fail == NULL && !c->over) {
            c->bytes += (apr_size_t)PQgetlength(r, 0, 0);
            if (c->env.max_result_size && c->bytes > c->env.max_result_size) {
                stop(c, m);
            }
            else if (n < want && PQnfields(r) == 1) {
                take(c, b, m, n, PQgetvalue(r, 0, 0));
            }
            n++;
        }
        else if (st != PGRES_SINGLE_TUPLE && st != PGRES_TUPLES_OK
                 && fail == NULL) {
            fail = r;
            continue;
        }
        PQclear(r);
    }
    if (c->over) {
        drop(b);
        if (fail != NULL) {             /* the cancel, most likely */
            PQclear(fail);
            recover(c);
        }
        return too_large(c, b);
    }
    if (fail != NULL) {
        drop(b);
        return failed(c, b, m, fail);
    }
    if (n != want) {
        drop(b);
        note(c, 1, "GQL00034", apr_psprintf(c->p, "%s: %d rows for %d "
                                            "parents", m->label, n,
                                            b->count));
        b->code = INTERNAL_CODE;
        return INTERNAL;
    }
    return NULL;
}

static const char *run_sql(gql_sql_ctx_t *c, gql_resolve_t *b,
                           const gql_sql_map_t *m)
{
    int batch = m->nparent > 0, n = m->params->nelts, i;
    const char **vals = apr_pcalloc(c->p, sizeof(char *) * (n + 1));
    const char *name;
    PGresult *r = NULL;

    if (m->uses_viewer && c->env.claims == NULL) {
        if (m->optional_viewer) {
            return NULL;                /* every result stays null */
        }
        b->code = "UNAUTHENTICATED";
        return "Authentication required: this field needs a token.";
    }
    if (c->over) {
        return too_large(c, b);         /* no statement after the budget */
    }
    if (c->state == S_IDLE) {
        start(c);
    }
    if (c->state != S_OPEN) {
        b->code = c->state == S_DOWN ? UNAVAILABLE_CODE : INTERNAL_CODE;
        return c->state == S_DOWN ? UNAVAILABLE : INTERNAL;
    }
    name = ready(c, m, batch, &r);
    if (name == NULL) {
        return failed(c, b, m, r);
    }
    for (i = 0; i < n; i++) {
        const gql_sql_param_t *pm = &APR_ARRAY_IDX(m->params, i,
                                                   gql_sql_param_t);

        vals[i] = pm->kind == GQL_PARAM_PARENT ? parent_array(c, b, pm)
                                               : param_text(c, b, pm);
        if (vals[i] == too_deep) {
            b->code = "BAD_USER_INPUT";
            return apr_psprintf(c->p, "The value of %s is nested too deeply:"
                                " lists nest at most %d levels.", pm->text,
                                MAX_NEST);
        }
    }
    c->statements++;
    if (!PQsendQueryPrepared(c->conn, name, n, vals, NULL, NULL, 0)) {
        return failed(c, b, m, NULL);
    }
    return receive(c, b, m, batch);
}

/* ---- @column, @jwt and the resolver -------------------------------- */

static const char *run_jwt(gql_sql_ctx_t *c, gql_resolve_t *b,
                           const gql_sql_map_t *m)
{
    apr_int64_t now = apr_time_sec(apr_time_now());
    int i;

    if (c->env.jwt_secret == NULL) {
        note(c, 1, "GQL00035", apr_pstrcat(c->p, m->label, ": @jwt needs "
                                           "GraphQLJWTSecret", NULL));
        b->code = INTERNAL_CODE;
        return INTERNAL;
    }
    for (i = 0; i < b->count; i++) {
        json_object *sub = member(b->parents[i], m->column);
        const char *text = sub ? text_of(c->p, sub, 0) : NULL;

        if (json_object_is_type(sub, json_type_array)
            || json_object_is_type(sub, json_type_object)) {
            /* A subject is one value: a list or a row is a mapping
             * mistake, not the caller's. */
            note(c, 1, "GQL00037", apr_pstrcat(c->p, m->label, ": the @jwt"
                                               " subject is not a scalar",
                                               NULL));
            b->errors[i] = INTERNAL;
            b->codes[i] = INTERNAL_CODE;
        }
        else if (text != NULL) {
            b->results[i] = json_object_new_string(gql_jwt_issue(c->p, text,
                now, c->env.jwt_lifetime, c->env.jwt_secret,
                c->env.jwt_secret_len));
        }
    }
    return NULL;
}

static const char *resolve(gql_resolve_t *b)
{
    gql_sql_ctx_t *c = b->ctx;
    const gql_sql_map_t *m = gql_sql_mapping_find(c->maps, b->field);
    int i;

    if (m == NULL) {
        return gql_execute_resolve_property(b);
    }
    switch (m->kind) {
    case GQL_MAP_COLUMN:
        for (i = 0; i < b->count; i++) {
            b->results[i] = json_object_get(member(b->parents[i],
                                                   m->column));
        }
        return NULL;
    case GQL_MAP_JWT:
        return run_jwt(c, b, m);
    default:
        return run_sql(c, b, m);
    }
}

void gql_sql_resolvers(gql_sql_ctx_t *c, gql_resolvers_t *out)
{
    memset(out, 0, sizeof(*out));
    out->field = resolve;
    out->ctx = c;
}
