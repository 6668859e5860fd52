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
 * Which statements the backend has prepared is kept with the pooled
 * connection (gql_sql_conn.c), so a request asks the server nothing but
 * its own statements.  The first statement travels with BEGIN in one
 * pipeline (one round trip); the others each take one, and COMMIT one.
 *
 * A failing statement of a query fails its own field only: BEGIN's
 * pipeline also sets one savepoint, and a failure rolls back to it (which
 * keeps it for the next one), so the later statements run in the same
 * snapshot.  One savepoint for the whole query is enough because a
 * read-only transaction has nothing of the earlier statements to lose;
 * it costs no round trip unless a statement fails, where a savepoint per
 * statement costs one (pipelined) or two.  PREPARE is not transactional:
 * what a rolled-back statement prepared stays prepared, and remembered.
 */

#include <errno.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <apr_hash.h>
#include <apr_lib.h>
#include <apr_strings.h>
#include <apr_time.h>
#include "gql_coerce.h"
#include "gql_json.h"
#include "gql_jwt.h"
#include "gql_print.h"
#include "gql_sql_int.h"
#include "gql_writer.h"

#define INTERNAL "Internal server error."
#define INTERNAL_CODE "INTERNAL_SERVER_ERROR"
#define UNAVAILABLE "The database is unavailable."
#define UNAVAILABLE_CODE "DATABASE_UNAVAILABLE"
#define SAVEPOINT "gql_s"
#define FORBIDDEN "Forbidden: the database refused the caller's role."
#define FORBIDDEN_CODE "FORBIDDEN"

/* The caller, for the transaction only (PostgREST's setting); the role
 * is bound as a parameter, never spelt into the statement.  Prepared once
 * per connection, in the pipeline of the first BEGIN that needs it: run
 * as an unnamed statement, its parse and plan at every request cost a
 * one-statement query a fifth of its throughput. */
#define SET_CLAIMS "SELECT set_config('request.jwt.claims', $1, true)"
#define SET_ROLE ", set_config('role', $2, true)"
#define SET_READ_ONLY ", set_config('transaction_read_only', 'on', true)"

/* The caller's statement in its four forms: with a role or not, and
 * for a query's lone statement (no BEGIN: read-only set here) or not. */
static const struct {
    const char *name;
    const char *text;
} callers[4] = {
    { "gql_caller", SET_CLAIMS },
    { "gql_caller_role", SET_CLAIMS SET_ROLE },
    { "gql_caller_ro", SET_CLAIMS SET_READ_ONLY },
    { "gql_caller_role_ro", SET_CLAIMS SET_ROLE SET_READ_ONLY }
};

/* Nesting of list arguments written as array literals. */
#define MAX_NEST 32

typedef enum {
    S_IDLE,                     /* no connection yet */
    S_READY,                    /* a connection; BEGIN goes with the first
                                 * statement */
    S_OPEN,                     /* in the transaction */
    S_FAILED,                   /* in a failed transaction */
    S_DOWN,
    S_DONE
} state_e;

struct gql_sql_ctx_t {
    apr_pool_t *p;
    const gql_schema_t *s;
    const gql_sql_mapping_t *maps;
    gql_sql_env_t env;
    const gql_operation_t *op;
    gql_operation_e kind;
    int pending;                /* SQL fields the query may still run, as
                                 * counted (count_op): -2 not yet counted,
                                 * -1 cannot tell */
    int commit_failed;
    apr_hash_t *kept;           /* (parent row, field) -> rows read
                                 * ahead, until the field's batch asks */
    apr_hash_t *kept_fail;      /* (first parent row, field) -> the
                                 * PGresult of a sibling that failed */
    PGconn *conn;
    gql_sql_conn_t *k;          /* what is known of conn */
    state_e state;
    int statements;
    apr_interval_time_t waited; /* for the database's answers */
    int unavailable;
    int retried;                /* a statement was run again after 26000 */
    apr_size_t bytes;           /* JSON text the statements returned */
    int over;                   /* bytes passed env.max_result_size */
    int late;                   /* env.deadline passed: no statement more */
    const char *running;        /* the label of the last statement sent */
    int guard;                  /* the statement is read whole: cut it
                                 * past guard_most bytes (read_mode); 2
                                 * once guard_from is read */
    apr_uint64_t guard_from, guard_most;
    const gql_sql_map_t *guard_m; /* NULL: a joined statement's */
    int guard_cut;              /* the guard cancelled a joined one */
    int capped;                 /* env.max_statements reached */
    int forbidden;              /* the database refused env.role */
    int caller_prepared;        /* send_begin sent its PREPARE */
    int implicit;               /* the pipeline's own transaction, no
                                 * BEGIN: a query's lone statement */
    int caller_lost;            /* the backend no longer had it (26000) */
    const char *claims;         /* env.claims as JSON text, or "{}" */
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

/* Never hand a connection back to the pool inside a transaction, or in
 * the middle of a pipeline: this runs before the pool's release
 * (cleanups run in reverse order). */
static apr_status_t rollback_cleanup(void *data)
{
    gql_sql_ctx_t *c = data;

    if (c->conn == NULL || PQstatus(c->conn) != CONNECTION_OK) {
        return APR_SUCCESS;
    }
    if (PQpipelineStatus(c->conn) != PQ_PIPELINE_OFF) {
        while (PQgetResult(c->conn) != NULL
               || PQpipelineStatus(c->conn) != PQ_PIPELINE_OFF) {
            if (PQexitPipelineMode(c->conn)) {
                break;
            }
        }
    }
    if (PQtransactionStatus(c->conn) != PQTRANS_IDLE) {
        PQclear(PQexec(c->conn, "ROLLBACK"));
    }
    return APR_SUCCESS;
}

static void ended(gql_sql_ctx_t *c);

static void down(gql_sql_ctx_t *c, const char *what)
{
    c->state = S_DOWN;
    c->unavailable = 1;
    note(c, 1, "GQL00031", apr_psprintf(c->p, "the database is unavailable:"
                                        " %s", what ? what : "no connection"));
}

/* The connection, alive, and what is known of it. */
static int connect_db(gql_sql_ctx_t *c)
{
    const char *why_not = NULL;
    apr_pool_t *conn_pool = NULL;
    int reconnected;

    c->conn = c->env.acquire ? c->env.acquire(c->env.baton, &conn_pool,
                                              &why_not) : NULL;
    if (c->conn == NULL) {
        down(c, why_not);
        return 0;
    }
    c->k = gql_sql_conn_attach(conn_pool ? conn_pool : c->p, c->conn,
                               &reconnected);
    if (reconnected) {
        note(c, 0, "GQL00003", "a pooled connection was closed by the "
             "server: reconnecting");
    }
    if (c->k == NULL) {
        down(c, apr_pstrcat(c->p, "the connection is lost: ",
                            PQerrorMessage(c->conn), NULL));
        return 0;
    }
    apr_pool_cleanup_register(c->p, c, rollback_cleanup,
                              apr_pool_cleanup_null);
    c->state = S_READY;
    return 1;
}

/* Into the pipeline, ahead of the first statement: the session's
 * settings when they are not the ones wanted (committed on their own, so
 * that a rolled-back request never undoes them), BEGIN, the caller's
 * claims and role (the transaction's own: they end with it), and for a
 * query the savepoint that a failing statement rolls back to.
 *
 * The settings: the statement_timeout, and generic plans.  Every
 * statement of the mapping is prepared once per connection and then run
 * many times; PostgreSQL's default would plan a batch statement afresh at
 * every run (its unnested parents make a generic plan look dearer than
 * it is), which costs more than running it. */
static int send_begin(gql_sql_ctx_t *c)
{
    const char *caller[2];
    int form = (c->env.role ? 1 : 0) + (c->implicit ? 2 : 0);
    const char *name = callers[form].name;
    int ok = 1;

    caller[0] = c->claims;
    caller[1] = c->env.role;
    c->caller_prepared = !gql_sql_conn_is_prepared(c->k, name);

    if (ok && c->k->timeout_ms != c->env.statement_timeout_ms) {
        ok = PQsendQueryParams(c->conn, apr_psprintf(c->p, "SET "
                               "statement_timeout = %d",
                               c->env.statement_timeout_ms), 0, NULL, NULL,
                               NULL, NULL, 0)
             && PQsendQueryParams(c->conn, "SET plan_cache_mode = "
                                  "force_generic_plan", 0, NULL, NULL, NULL,
                                  NULL, 0)
             && PQpipelineSync(c->conn);
    }
    if (ok && !c->implicit) {
        ok = PQsendQueryParams(c->conn, c->kind == GQL_OP_MUTATION
                               ? "BEGIN" : "BEGIN READ ONLY ISOLATION "
                               "LEVEL REPEATABLE READ", 0, NULL, NULL,
                               NULL, NULL, 0);
    }
    /* After BEGIN, which must come first to set the isolation level; a
     * statement prepared in a transaction outlives it. */
    if (ok && c->caller_prepared) {
        ok = PQsendPrepare(c->conn, name, callers[form].text,
                           c->env.role ? 2 : 1, NULL);
    }
    ok = ok && PQsendQueryPrepared(c->conn, name, c->env.role ? 2 : 1,
                                   caller, NULL, NULL, 0);
    if (ok && c->kind != GQL_OP_MUTATION && !c->implicit) {
        ok = PQsendQueryParams(c->conn, "SAVEPOINT " SAVEPOINT, 0, NULL,
                               NULL, NULL, NULL, 0);
    }
    return ok;
}

/* ---- the deadline --------------------------------------------------
 *
 * Results are waited for the way PQgetResult would wait (poll, then
 * read), but no later than env.deadline: a result already read costs no
 * system call, one on its way costs the poll and the read that libpq
 * would have made.  When the deadline passes first, the backend is asked
 * to cancel its statement and the request is late: whatever comes back
 * after that (the cancel's error, or the rows of a statement that ended
 * just then) is read to the end with libpq's own wait, so that the
 * pipeline and the transaction end as they do after any failure, and is
 * dropped; no statement is sent after it.
 */

/* The backend stops what it runs (its error reads SQLSTATE 57014). */
static void cancel(PGconn *conn)
{
    PGcancel *k = PQgetCancel(conn);
    char err[256];

    if (k != NULL) {
        PQcancel(k, err, sizeof(err));
        PQfreeCancel(k);
    }
}

/* The request is late (once): the log says which field found out. */
static void expire(gql_sql_ctx_t *c, const char *label, int running)
{
    if (c->late) {
        return;
    }
    c->late = 1;
    note(c, 0, "GQL00050", apr_psprintf(c->p, "%s: the request passed "
                                        "GraphQLRequestTimeout (%d ms)%s",
                                        label, c->env.request_timeout_ms,
                                        running ? ": its statement was "
                                        "cancelled" : ": no statement "
                                        "sent"));
}

/* Whether the deadline has passed (it is then late). */
static int past(gql_sql_ctx_t *c, const char *label)
{
    if (!c->late && c->env.deadline
        && apr_time_now() >= c->env.deadline) {
        expire(c, label, 0);
    }
    return c->late;
}

static void guard_check(gql_sql_ctx_t *c);

/* Until conn's next result can be read without blocking, or the
 * connection fails (PQgetResult then says so): 1.  0 when deadline (0:
 * none) passed first: the statement was cancelled.  With g, the
 * statement that g reads whole is watched as it arrives (guard_check). */
static int wait_until(PGconn *conn, apr_time_t deadline, gql_sql_ctx_t *g)
{
    while (PQisBusy(conn)) {
        apr_interval_time_t left = deadline - apr_time_now();
        struct pollfd pfd;
        int n;

        if (deadline && left <= 0) {
            cancel(conn);
            return 0;
        }
        if ((pfd.fd = PQsocket(conn)) < 0) {
            return 1;
        }
        pfd.events = POLLIN;
        pfd.revents = 0;
        n = poll(&pfd, 1, deadline ? (int)((left + 999) / 1000) : -1);
        if (n < 0 && errno != EINTR) {
            return 1;
        }
        if (n > 0 && !PQconsumeInput(conn)) {
            return 1;
        }
        if (n > 0 && g != NULL && g->guard && PQisBusy(conn)) {
            guard_check(g);             /* more is to come */
        }
    }
    return 1;
}

/* Until the next result can be read without blocking, or the deadline
 * passes (then the statement is cancelled), or the connection fails
 * (PQgetResult then says so). */
static void await(gql_sql_ctx_t *c)
{
    if (!wait_until(c->conn, c->late ? 0 : c->env.deadline, c)) {
        expire(c, c->running ? c->running : "a statement", 1);
    }
}

/* PQgetResult, bounded by the deadline until it passes, and watched by
 * the guard of a statement read whole; the wait is counted
 * (gql_sql_waited). */
static PGresult *next(gql_sql_ctx_t *c)
{
    apr_time_t t0 = apr_time_now();
    PGresult *r;

    if ((c->env.deadline && !c->late) || c->guard) {
        await(c);
    }
    r = PQgetResult(c->conn);
    c->waited += apr_time_now() - t0;
    return r;
}

/* PQexec, its wait counted as next()'s is. */
static PGresult *exec(gql_sql_ctx_t *c, const char *sql)
{
    apr_time_t t0 = apr_time_now();
    PGresult *r = PQexec(c->conn, sql);

    c->waited += apr_time_now() - t0;
    return r;
}

/* One command's result in the pipeline: 1 when it succeeded (*aborted
 * set, when not NULL, if it was skipped after an earlier failure). */
static int command_ok(gql_sql_ctx_t *c, const char *tag, const char *what,
                      int *aborted)
{
    PGresult *r = next(c);
    int ok = PQresultStatus(r) == PGRES_COMMAND_OK;

    if (r == NULL) {
        return 0;                       /* the connection broke */
    }
    if (aborted != NULL) {
        *aborted = PQresultStatus(r) == PGRES_PIPELINE_ABORTED;
    }
    if (!ok && PQresultStatus(r) != PGRES_PIPELINE_ABORTED) {
        note(c, 1, tag, apr_psprintf(c->p, "%s failed: %s", what,
                                     why(c, r)));
    }
    PQclear(r);
    while ((r = next(c)) != NULL) {
        PQclear(r);
    }
    return ok;
}

/* The result of setting the caller: 1 when it was set.  A role that the
 * connecting user may not take (42501), or that does not exist (22023),
 * makes the request's SQL fields FORBIDDEN.  A statement the backend no
 * longer has (26000: deallocated behind the stage's back) is forgotten
 * with the others, and the transaction begun again (restart). */
static int caller_set(gql_sql_ctx_t *c)
{
    PGresult *r = next(c);
    const char *state = PQresultErrorField(r, PG_DIAG_SQLSTATE);
    int ok = PQresultStatus(r) == PGRES_TUPLES_OK;

    if (r == NULL) {
        return 0;                       /* the connection broke */
    }
    if (state != NULL && strcmp(state, "26000") == 0 && !c->retried) {
        gql_sql_conn_forget(c->k);
        c->caller_lost = 1;
    }
    else if (!ok && PQresultStatus(r) != PGRES_PIPELINE_ABORTED) {
        c->forbidden = c->env.role && state
                       && (strcmp(state, "42501") == 0
                           || strcmp(state, "22023") == 0);
        note(c, 1, "GQL00044", apr_psprintf(c->p, "setting the caller's "
                                            "claims%s failed: %s",
                                            c->env.role ? apr_pstrcat(c->p,
                                            " and role ", c->env.role, NULL)
                                            : "", why(c, r)));
    }
    PQclear(r);
    while ((r = next(c)) != NULL) {
        PQclear(r);
    }
    return ok;
}

/* The results of what send_begin sent: 1 when the transaction is open. */
static int begun(gql_sql_ctx_t *c)
{
    int ok = 1;

    if (c->k->timeout_ms != c->env.statement_timeout_ms) {
        PGresult *r;

        ok = command_ok(c, "GQL00040", "SET statement_timeout", NULL);
        ok = command_ok(c, "GQL00041", "SET plan_cache_mode", NULL) && ok;
        r = next(c);                        /* their sync */
        PQclear(r);
        c->k->timeout_ms = ok ? c->env.statement_timeout_ms : -1;
    }
    if (!c->implicit) {
        ok = command_ok(c, "GQL00032", "BEGIN", NULL) && ok;
    }
    if (c->caller_prepared
        && command_ok(c, "GQL00045", "preparing the caller's claims", NULL)) {
        gql_sql_conn_remember(c->k, callers[(c->env.role ? 1 : 0)
                                            + (c->implicit ? 2 : 0)].name);
    }
    ok = caller_set(c) && ok;
    if (c->kind != GQL_OP_MUTATION && !c->implicit) {
        ok = command_ok(c, "GQL00042", "SAVEPOINT", NULL) && ok;
    }
    return ok;
}

/* The pipeline's end: its sync, then out of pipeline mode.  Between
 * two commands' results libpq gives one NULL; more in a row mean that
 * nothing is left (a broken connection). */
static void end_pipeline(gql_sql_ctx_t *c)
{
    PGresult *r;
    int nulls = 0;

    while (nulls < 2) {
        ExecStatusType st;

        if ((r = next(c)) == NULL) {
            nulls++;
            continue;
        }
        nulls = 0;
        st = PQresultStatus(r);
        PQclear(r);
        if (st == PGRES_PIPELINE_SYNC) {
            break;
        }
    }
    PQexitPipelineMode(c->conn);
}

gql_sql_ctx_t *gql_sql_begin(apr_pool_t *p, const gql_schema_t *s,
                             const gql_sql_mapping_t *maps,
                             const gql_sql_env_t *env,
                             const gql_operation_t *op)
{
    gql_sql_ctx_t *c = apr_pcalloc(p, sizeof(*c));

    c->p = p;
    c->s = s;
    c->maps = maps;
    c->env = *env;
    c->op = op;
    c->kind = gql_execute_kind(op);
    c->pending = -2;
    c->state = S_IDLE;
    c->claims = env->claims ? json_object_to_json_string_ext(env->claims,
                                  JSON_C_TO_STRING_PLAIN) : "{}";
    return c;
}

int gql_sql_statements(const gql_sql_ctx_t *c)
{
    return c->statements;
}

apr_interval_time_t gql_sql_waited(const gql_sql_ctx_t *c)
{
    return c->waited;
}

int gql_sql_ping(apr_pool_t *p, apr_pool_t *conn_pool, void *conn,
                 int timeout_ms, const char **why)
{
    apr_time_t deadline = apr_time_now() + apr_time_from_msec(timeout_ms);
    PGresult *r;
    int reconnected, late, ok;

    if (gql_sql_conn_attach(conn_pool, conn, &reconnected) == NULL
        || !PQsendQueryParams(conn, "SELECT 1", 0, NULL, NULL, NULL, NULL,
                              0)) {
        *why = apr_pstrcat(p, "the connection failed: ",
                           PQerrorMessage(conn), NULL);
        return 0;
    }
    late = !wait_until(conn, deadline, NULL);
    r = PQgetResult(conn);
    ok = PQresultStatus(r) == PGRES_TUPLES_OK;
    *why = late ? apr_psprintf(p, "SELECT 1 took longer than %d ms",
                               timeout_ms)
         : ok ? NULL : apr_pstrcat(p, "SELECT 1 failed: ",
                                   PQresultErrorMessage(r), NULL);
    PQclear(r);
    while ((r = PQgetResult(conn)) != NULL) {
        PQclear(r);
    }
    return ok && !late;
}

static int end(gql_sql_ctx_t *c, const char *sql)
{
    PGresult *r = exec(c, sql);
    int ok = PQresultStatus(r) == PGRES_COMMAND_OK;

    if (!ok) {
        note(c, 1, "GQL00033", apr_psprintf(c->p, "%s failed: %s", sql,
                                            why(c, r)));
    }
    PQclear(r);
    return ok;
}

/* After the caller's statement was lost (caller_set): only BEGIN ran in
 * the transaction, so it is rolled back and the statement that went
 * with it may be sent again, with a new BEGIN.  0 when it was not lost. */
static int restart(gql_sql_ctx_t *c)
{
    if (!c->caller_lost) {
        return 0;
    }
    c->caller_lost = 0;
    if (PQtransactionStatus(c->conn) != PQTRANS_IDLE) {
        end(c, "ROLLBACK");
    }
    c->state = S_READY;
    return 1;
}

int gql_sql_finish(gql_sql_ctx_t *c, gql_result_t *res)
{
    int failed = res->errors != NULL && res->errors->nelts > 0;

    if (c->commit_failed) {
        gql_error_add(c->p, res->errors, NULL, INTERNAL)->code
            = INTERNAL_CODE;
    }
    if (c->state == S_OPEN && c->late) {
        c->state = S_FAILED;            /* a statement was cancelled */
    }
    if (c->state == S_READY && c->implicit && c->late) {
        /* A cancel sent as the lone statement ended may fail the next
         * command: let it fail one of the request's own. */
        PGresult *r = exec(c, "SELECT 1");

        if (PQresultStatus(r) != PGRES_TUPLES_OK) {
            PQclear(r);
            r = exec(c, "SELECT 1");
        }
        PQclear(r);
    }
    if (c->state == S_OPEN || c->state == S_FAILED) {
        if (c->state == S_FAILED
            || (failed && c->kind == GQL_OP_MUTATION)) {
            /* A cancel sent as its statement ended may fail the next
             * command instead: that of a late request, once more. */
            if (!end(c, "ROLLBACK") && c->late) {
                end(c, "ROLLBACK");
            }
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

/* A growing text (gql_writer.h); deep is set when a value nests too
 * deeply to be spelled (then the text is not used). */
typedef struct buf_t {
    gql_writer_t *w;
    int deep;
} buf_t;

/* What text_of gives for such a value: never bound, the field fails. */
static const char too_deep[] = "";

static const char *text_of(apr_pool_t *p, json_object *v, int depth);

static void put(apr_pool_t *p, buf_t *t, const char *s, apr_size_t n)
{
    if (t->w == NULL) {
        t->w = gql_writer_make(p, 64);
    }
    gql_writer_put(t->w, s, n);
}

/* Quoted text of an array literal, '"' and '\' escaped: the runs
 * between them put whole. */
static void quote(apr_pool_t *p, buf_t *t, const char *s)
{
    put(p, t, "\"", 1);
    while (*s) {
        apr_size_t n = strcspn(s, "\"\\");

        put(p, t, s, n);
        s += n;
        if (*s) {
            put(p, t, "\\", 1);
            put(p, t, s++, 1);
        }
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
    buf_t t = { NULL, 0 };

    switch (json_object_get_type(v)) {
    case json_type_null:
        return NULL;
    case json_type_string:
        return json_object_get_string(v);
    case json_type_int:
        return gql_print_int(p, json_object_get_int64(v));
    case json_type_boolean:
        return json_object_get_boolean(v) ? "true" : "false";
    case json_type_array:
        array_elem(p, &t, v, depth);
        return t.deep ? too_deep : gql_writer_text(t.w);
    default:                            /* double, object (jsonb) */
        return apr_pstrdup(p, json_object_to_json_string_ext(v,
                           JSON_C_TO_STRING_PLAIN
                           | JSON_C_TO_STRING_NOSLASHESCAPE));
    }
}

/*
 * A row of an object type's statement is not a JSON object but a row_t
 * in the request's pool, which the executor takes as it is (gql_rows_t)
 * and hands back as the parent of the object's fields: its shape (the
 * kept columns' names, shared by every row of the statement) and one
 * cell per column.  A column of text, an integer or a boolean stays its
 * text, copied off the PGresult, and the executor writes it into the
 * response as it is (gql_text_t); only the others (numbers, JSON, what
 * to_json wrote) become json-c values, kept by the pool.  So a row costs
 * no json-c value, nor a list of rows one, and only this stage reads
 * rows.  Rows of an abstract type stay objects: the type is told by
 * their "__typename" member.
 *
 *   row_t --> shape_t (n, names[n], kinds[n])
 *     |
 *     cells[n]: { text: kind, s, len } or { v }   (both empty: null)
 *     the texts, NUL-terminated, after the cells, in one allocation
 */
typedef struct shape_t {
    int n;
    const char **names;
    const gql_text_e *kinds;    /* GQL_TEXT_NONE: a json-c value */
    apr_size_t frame;           /* what a row counts against the budget
                                 * besides its values (row_bytes) */
} shape_t;

typedef struct cell_t {
    gql_text_t text;
    json_object *v;             /* borrowed from the request's pool */
} cell_t;

typedef struct row_t {
    const char *magic;          /* row_magic: the row is ours */
    const shape_t *sh;
    cell_t *cells;
} row_t;

static const char row_magic[] = "gql_row";

/* The row that stands for parent i of b (gql_resolve_t.parent_rows), or
 * NULL where the parent is a json-c value. */
static const row_t *parent_row(const gql_resolve_t *b, int i)
{
    const row_t *row = b->parent_rows ? b->parent_rows[i] : NULL;

    return row != NULL && row->magic == row_magic ? row : NULL;
}

/* What tells parent i of b from the other parents of the request: its
 * row, or its value. */
static const void *parent_id(const gql_resolve_t *b, int i)
{
    return b->parent_rows && b->parent_rows[i] ? b->parent_rows[i]
                                               : (const void *)b->parents[i];
}

/* The column name of a shape (the last of that name), or -1. */
static int column(const shape_t *sh, const char *name)
{
    int i;

    for (i = sh->n - 1; i >= 0; i--) {
        if (strcmp(sh->names[i], name) == 0) {
            return i;
        }
    }
    return -1;
}

/* The cell of a row's column name, or NULL. */
static const cell_t *cell_of(const row_t *row, const char *name)
{
    int i = column(row->sh, name);

    return i < 0 ? NULL : &row->cells[i];
}

/* The member name of object o, or where row is not NULL (it stands for
 * o) the value of its column that is not kept as text (NULL: none, null,
 * or a text: cell_of). */
static json_object *member(json_object *o, const row_t *row,
                           const char *name)
{
    const cell_t *cell;
    json_object *v = NULL;

    if (row != NULL) {
        if ((cell = cell_of(row, name)) != NULL) {
            v = cell->v;
        }
    }
    else if (o != NULL && json_object_is_type(o, json_type_object)) {
        json_object_object_get_ex(o, name, &v);
    }
    return v;
}

/* A member or column as a parameter's text (NULL: null), as text_of()
 * spells its value. */
static const char *member_text(apr_pool_t *p, json_object *o,
                               const row_t *row, const char *name)
{
    const cell_t *cell = row ? cell_of(row, name) : NULL;
    json_object *v;

    if (cell != NULL && cell->text.kind == GQL_TEXT_BOOL) {
        return cell->text.s[0] == 't' ? "true" : "false";
    }
    if (cell != NULL && cell->text.kind != GQL_TEXT_NONE) {
        return cell->text.s;            /* a string, or an integer's text */
    }
    v = member(o, row, name);
    return v ? text_of(p, v, 0) : NULL;
}

/* The text of $n for parent (NULL for the arrays of parent columns). */
static const char *param_text(gql_sql_ctx_t *c, const gql_resolve_t *b,
                              const gql_sql_param_t *pm)
{
    json_object *v;
    int i;

    if (pm->kind == GQL_PARAM_VIEWER) {
        v = gql_sql_claim(c->env.claims, pm->path, pm->npath);
        return v && json_object_is_type(v, json_type_string)
               ? json_object_get_string(v)
               : v ? apr_pstrdup(c->p, json_object_to_json_string_ext(v,
                                 JSON_C_TO_STRING_PLAIN)) : NULL;
    }
    v = b->args;
    for (i = 0; i < pm->npath && v != NULL; i++) {
        v = member(v, NULL, pm->path[i]);
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
    buf_t t = { NULL, 0 };
    int i;

    t.w = gql_writer_make(c->p, (apr_size_t)b->count * 8 + 2);
    put(c->p, &t, "{", 1);
    for (i = 0; i < b->count; i++) {
        const char *s = member_text(c->p, b->parents[i], parent_row(b, i),
                                    pm->path[0]);

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
    return gql_writer_text(t.w);
}

/* ---- statements ----------------------------------------------------
 *
 * A field's statement runs in one of two forms, chosen by whether it has
 * $parent columns: once (the root form) or batch (every parent at once,
 * the statement in a LATERAL subquery over the parents' columns,
 * unnested in parent order).  Either form returns rows, not JSON: only
 * the columns that the selection (and its children's $parent references)
 * reads, each as its own text, which a row keeps (text, integers,
 * booleans) or which becomes a json-c value here (the others).  Types
 * whose text is not their JSON (timestamps, arrays, composites...) are
 * turned into JSON by PostgreSQL, column by column (to_json), so a value
 * reads exactly as row_to_json would have written it.
 *
 * Which columns a statement returns, and of which types, is asked once
 * per backend: the single form (every placeholder as $n) is prepared and
 * described, and the description kept with the connection
 * (gql_sql_conn.c).  A projection is named after the statement and the
 * set of columns it keeps, so each shape is prepared once per backend.
 */

/* Columns a projection can name one by one; past that, all of them. */
#define MAX_PICK 64

/* ORDER CELL */
typedef enum {
    K_TEXT,                     /* a JSON string of the text */
    K_BOOL,                     /* t, f */
    K_INT,                      /* int2, int4, int8 */
    K_NUMBER,                   /* float4, float8, numeric: a JSON number
                                 * unless NaN or infinite */
    K_JSON,                     /* json, jsonb, or to_json's text */
    K_WRAPPED                   /* any other type: to_json in the SQL,
                                 * then as K_JSON */
} cell_e;

static cell_e cell_kind(Oid t)
{
    switch (t) {
    case 16:                            /* bool */
        return K_BOOL;
    case 20: case 21: case 23:          /* int8, int2, int4 */
        return K_INT;
    case 700: case 701: case 1700:      /* float4, float8, numeric */
        return K_NUMBER;
    case 114: case 3802:                /* json, jsonb */
        return K_JSON;
    case 18: case 19: case 25: case 1042: case 1043: case 2950:
        return K_TEXT;                  /* char, name, text, bpchar,
                                         * varchar, uuid */
    default:
        return K_WRAPPED;
    }
}

/* What a run of a field's statement reads. */
typedef struct plan_t {
    const char *name;           /* the prepared statement */
    const gql_sql_desc_t *d;
    int n;                      /* columns kept */
    int *pos;                   /* their positions in d */
    int leaf;                   /* one value per row, not a row object */
    int all;                    /* every column kept */
    int single;                 /* the field is no list: one row per
                                 * parent is all it reads */
    struct shape_t *shape;      /* of its rows, made with the first */
    int batch;                  /* rows lead with their parent's ordinal */
} plan_t;

static int is_array(const char *type)
{
    apr_size_t n = strlen(type);

    return n > 2 && strcmp(type + n - 2, "[]") == 0;
}

/* The single form of m described on this backend (prepared if need
 * be); NULL with *fail set when it cannot be. */
static const gql_sql_desc_t *described(gql_sql_ctx_t *c,
                                       const gql_sql_map_t *m,
                                       PGresult **fail)
{
    gql_sql_conn_t *k = c->k;
    gql_sql_desc_t *d = apr_hash_get(k->described, m->single_name,
                                     APR_HASH_KEY_STRING);
    PGresult *r;
    int i;

    if (d != NULL) {
        return d;
    }
    if (!gql_sql_conn_is_prepared(k, m->single_name)
        && (*fail = gql_sql_conn_prepare(k, m->single_name, m->single))) {
        return NULL;
    }
    r = PQdescribePrepared(c->conn, m->single_name);
    if (PQresultStatus(r) != PGRES_COMMAND_OK) {
        *fail = r;
        return NULL;
    }
    d = apr_pcalloc(k->cache_pool, sizeof(*d));
    d->ncols = PQnfields(r);
    d->names = apr_palloc(k->cache_pool, sizeof(char *) * (d->ncols + 1));
    d->types = apr_palloc(k->cache_pool, sizeof(Oid) * (d->ncols + 1));
    d->last = apr_hash_make(k->cache_pool);
    for (i = 0; i < d->ncols; i++) {
        d->names[i] = apr_pstrdup(k->cache_pool, PQfname(r, i));
        d->types[i] = PQftype(r, i);
        apr_hash_set(d->last, d->names[i], APR_HASH_KEY_STRING,
                     (void *)(apr_uintptr_t)(i + 1));
    }
    d->nparams = PQnparams(r);
    d->ptypes = apr_palloc(k->cache_pool, sizeof(Oid) * (d->nparams + 1));
    for (i = 0; i < d->nparams; i++) {
        d->ptypes[i] = PQparamtype(r, i);
    }
    PQclear(r);
    apr_hash_set(k->described, apr_pstrdup(k->cache_pool, m->single_name),
                 APR_HASH_KEY_STRING, d);
    return d;
}

/* The parameters' types as SQL names (the batch form casts the parents'
 * arrays to them), asked once per backend. */
static const char **param_types(gql_sql_ctx_t *c, gql_sql_desc_t *d,
                                PGresult **fail)
{
    const char *oids = "{";
    const char *vals[1];
    const char **names;
    PGresult *r;
    int i;

    if (d->pnames != NULL) {
        return d->pnames;
    }
    for (i = 0; i < d->nparams; i++) {
        oids = apr_psprintf(c->p, "%s%s%u", oids, i ? "," : "",
                            d->ptypes[i]);
    }
    vals[0] = apr_pstrcat(c->p, oids, "}", NULL);
    r = PQexecParams(c->conn, "SELECT format_type(t, NULL) FROM "
                     "unnest($1::oid[]) WITH ORDINALITY u(t, n) ORDER BY n",
                     1, NULL, vals, NULL, NULL, 0);
    if (PQresultStatus(r) != PGRES_TUPLES_OK || PQntuples(r) != d->nparams) {
        *fail = r;
        return NULL;
    }
    names = apr_pcalloc(c->k->cache_pool, sizeof(char *) * (d->nparams + 1));
    for (i = 0; i < d->nparams; i++) {
        names[i] = apr_pstrdup(c->k->cache_pool, PQgetvalue(r, i, 0));
    }
    PQclear(r);
    d->pnames = names;
    return names;
}

/* ---- which columns a selection reads ------------------------------- */

typedef struct want_t {
    gql_sql_ctx_t *c;
    const gql_type_t *type;     /* the rows' object type */
    const gql_sql_desc_t *d;    /* the statement's columns (at most
                                 * MAX_PICK) */
    apr_uint64_t cols;          /* bit i: d's column i is read */
    const gql_prepared_t *doc;
    int depth;
    int own;                    /* not what SQL fields read ($parent) */
} want_t;

static const gql_sql_map_t *map_of(const gql_sql_ctx_t *c,
                                   const gql_field_t *f)
{
    return gql_sql_mapping_find(c->maps, f);
}

/* The position of d's last column of that name (an object of the row
 * would have held that one's value), or -1 when there is none. */
static int last_of(const gql_sql_desc_t *d, const char *name)
{
    return (int)(apr_uintptr_t)apr_hash_get(d->last, name,
                                            APR_HASH_KEY_STRING) - 1;
}

/* The column of that name is read. */
static void want(want_t *w, const char *name)
{
    int at = last_of(w->d, name);

    if (at >= 0) {
        w->cols |= APR_UINT64_C(1) << at;
    }
}

static void want_field(want_t *w, const gql_selection_t *s)
{
    const gql_field_t *f = gql_schema_field_def(w->c->s, w->type,
                                                s->name.value);
    const gql_sql_map_t *m = f ? map_of(w->c, f) : NULL;
    int i;

    if (f == NULL) {
        return;                         /* __typename, or another type's */
    }
    if (m == NULL) {
        want(w, f->name);
    }
    else if (m->kind != GQL_MAP_SQL) {
        want(w, m->column);
    }
    else if (!w->own) {
        for (i = 0; i < m->params->nelts; i++) {
            const gql_sql_param_t *pm = &APR_ARRAY_IDX(m->params, i,
                                                       gql_sql_param_t);

            if (pm->kind == GQL_PARAM_PARENT) {
                want(w, pm->path[0]);
            }
        }
    }
}

/* Every field a selection set may ask of the rows, fragments included
 * (a superset is harmless: @skip and type conditions are not weighed). */
static void want_set(want_t *w, const gql_selection_set_t *ss)
{
    int i;

    if (ss == NULL || w->depth > 64) {
        return;
    }
    w->depth++;
    for (i = 0; i < ss->selections->nelts; i++) {
        const gql_selection_t *s = APR_ARRAY_IDX(ss->selections, i,
                                                 const gql_selection_t *);
        const gql_definition_t *fd;

        switch (s->kind) {
        case GQL_SEL_FIELD:
            want_field(w, s);
            break;
        case GQL_SEL_INLINE_FRAGMENT:
            want_set(w, s->selection_set);
            break;
        default:
            fd = w->doc ? gql_document_fragment(w->doc, s->name.value)
                        : NULL;
            if (fd != NULL) {
                want_set(w, fd->selection_set);
            }
            break;
        }
    }
    w->depth--;
}

static const gql_type_t *named_of(const gql_tref_t *t)
{
    while (t->kind != GQL_TYPE_NAMED) {
        t = t->of_type;
    }
    return t->named;
}

/* The columns of d that the field's selection reads: their positions
 * into p->pos (every one, p->all, when the type is abstract); with own,
 * only those its fields read themselves, not its SQL fields' $parent. */
static void pick_as(gql_sql_ctx_t *c, const gql_resolve_t *b,
                    const gql_sql_desc_t *d, plan_t *p, int own)
{
    const gql_type_t *t = named_of(b->field->type);
    want_t w;
    int i;

    p->pos = apr_palloc(c->p, sizeof(int) * (d->ncols + 1));
    p->n = 0;
    p->single = (b->field->type->kind == GQL_TYPE_NON_NULL
                 ? b->field->type->of_type : b->field->type)->kind
                != GQL_TYPE_LIST;
    p->leaf = t->kind == GQL_KIND_SCALAR || t->kind == GQL_KIND_ENUM;
    if (p->leaf) {
        /* The first column, or the last of its name. */
        if (d->ncols) {
            p->pos[p->n++] = last_of(d, d->names[0]);
        }
        return;
    }
    if (t->kind != GQL_KIND_OBJECT || d->ncols > MAX_PICK) {
        p->all = 1;                     /* abstract: __typename and all */
        for (i = 0; i < d->ncols; i++) {
            p->pos[i] = i;
        }
        p->n = d->ncols;
        return;
    }
    memset(&w, 0, sizeof(w));
    w.c = c;
    w.type = t;
    w.d = d;
    w.doc = b->doc;
    w.own = own;
    for (i = 0; b->nodes && i < b->nodes->nelts; i++) {
        want_set(&w, APR_ARRAY_IDX(b->nodes, i,
                                   const gql_selection_t *)->selection_set);
    }
    for (i = 0; i < d->ncols; i++) {
        if (w.cols & (APR_UINT64_C(1) << i)) {
            p->pos[p->n++] = i;
        }
    }
}

static void pick(gql_sql_ctx_t *c, const gql_resolve_t *b,
                 const gql_sql_desc_t *d, plan_t *p)
{
    pick_as(c, b, d, p, 0);
}

/* ---- statement texts ----------------------------------------------- */

/* The kept columns as a select list over alias, each as it reads. */
static const char *select_list(gql_sql_ctx_t *c, const plan_t *p,
                               const char *alias, int as)
{
    const char *list = "";
    int i;

    for (i = 0; i < p->n; i++) {
        int at = p->pos[i] + 1;

        list = cell_kind(p->d->types[p->pos[i]]) == K_WRAPPED
            ? apr_psprintf(c->p, "%s%sto_json(%s.gql_%d)::text%s", list,
                           i ? ", " : "", alias, at,
                           as ? apr_psprintf(c->p, " AS gql_%d", at) : "")
            : apr_psprintf(c->p, "%s%s%s.gql_%d", list, i ? ", " : "",
                           alias, at);
    }
    return list;
}

/* The kept columns over alias, as an inner select_list() wrote them
 * (already each as it reads: never wrapped twice). */
static const char *kept_list(gql_sql_ctx_t *c, const plan_t *p,
                             const char *alias)
{
    const char *list = "";
    int i;

    for (i = 0; i < p->n; i++) {
        list = apr_psprintf(c->p, "%s%s%s.gql_%d", list, i ? ", " : "",
                            alias, p->pos[i] + 1);
    }
    return list;
}

/* "(gql_1, ..., gql_K)": the first K columns renamed by position, K the
 * last one kept, so that duplicate or odd names never matter. */
static const char *renamed(gql_sql_ctx_t *c, const plan_t *p)
{
    const char *s = "";
    int i, k = 0;

    for (i = 0; i < p->n; i++) {
        k = p->pos[i] + 1 > k ? p->pos[i] + 1 : k;
    }
    for (i = 1; i <= k; i++) {
        s = apr_psprintf(c->p, "%s%sgql_%d", s, i > 1 ? ", " : "(", i);
    }
    return k ? apr_pstrcat(c->p, s, ")", NULL) : "";
}

/* The root form: the statement as a CTE (which may modify data), the
 * kept columns out of it. */
static const char *once_text(gql_sql_ctx_t *c, const gql_sql_map_t *m,
                             const plan_t *p)
{
    return apr_psprintf(c->p, "WITH gql_c%s AS (%s) SELECT %s FROM gql_c",
                        renamed(c, p), m->single,
                        select_list(c, p, "gql_c", 0));
}

/* The statement's text with each placeholder spelled by placeholder(),
 * given the parameter's index: the forms that wrap a statement rename
 * them. */
typedef const char *(*placeholder_fn)(void *baton, int param);

static const char *spell(gql_sql_ctx_t *c, const gql_sql_map_t *m,
                         placeholder_fn placeholder, void *baton)
{
    gql_writer_t *w = gql_writer_make(c->p, 256);
    int i;

    for (i = 0; i < m->segs->nelts; i++) {
        const gql_sql_seg_t *g = &APR_ARRAY_IDX(m->segs, i, gql_sql_seg_t);

        if (g->param < 0) {
            gql_writer_put(w, g->text, g->len);
        }
        else {
            gql_writer_puts(w, placeholder(baton, g->param));
        }
    }
    return gql_writer_text(w);
}

/* In the batch form: a $parent column is the unnested parents' (an array
 * type's cast back from its text); the others keep their number. */
typedef struct batch_spell_t {
    gql_sql_ctx_t *c;
    const gql_sql_map_t *m;
    const char **types;
} batch_spell_t;

static const char *batch_placeholder(void *baton, int i)
{
    batch_spell_t *sp = baton;

    if (APR_ARRAY_IDX(sp->m->params, i, gql_sql_param_t).kind
        != GQL_PARAM_PARENT) {
        return apr_psprintf(sp->c->p, "$%d", i + 1);
    }
    return is_array(sp->types[i])
           ? apr_psprintf(sp->c->p, "(gql_p.c%d::%s)", i + 1, sp->types[i])
           : apr_psprintf(sp->c->p, "gql_p.c%d", i + 1);
}

/* The batch form: the statement once per parent, in a LATERAL subquery
 * over the parents' columns unnested in parent order; its rows led by
 * their parent's ordinal.  OFFSET 0 keeps the subquery whole (never
 * flattened into a join), so it runs once per parent in a nested loop
 * whose rows come in parent order, each parent's in the statement's own
 * order: the ORDER BY costs no sort (the ordinals come sorted), and no
 * numbering of the rows is needed to keep their order.  A parent column
 * of an array type travels as the text of each parent's array, cast back
 * where the statement uses it. */
static const char *batch_text(gql_sql_ctx_t *c, const gql_sql_map_t *m,
                              const char **types, const plan_t *p)
{
    batch_spell_t sp;
    const char *body, *from = "", *cols = "", *outer;
    int i;

    sp.c = c;
    sp.m = m;
    sp.types = types;
    body = spell(c, m, batch_placeholder, &sp);
    for (i = 0; i < m->params->nelts; i++) {
        if (APR_ARRAY_IDX(m->params, i, gql_sql_param_t).kind
            == GQL_PARAM_PARENT) {
            from = apr_psprintf(c->p, "%s$%d::%s[], ", from, i + 1,
                                strcmp(types[i], "unknown")
                                && !is_array(types[i]) ? types[i] : "text");
            cols = apr_psprintf(c->p, "%sc%d, ", cols, i + 1);
        }
    }
    outer = p->n ? apr_pstrcat(c->p, ", ", kept_list(c, p, "gql_r"),
                               NULL) : "";
    if (p->single) {
        /* One value per parent: its first row is all it reads. */
        return apr_psprintf(c->p, "SELECT gql_p.ord%s FROM unnest(%.*s) "
                            "WITH ORDINALITY AS gql_p(%sord) CROSS JOIN "
                            "LATERAL (SELECT %s FROM (%s) AS gql_b%s LIMIT 1)"
                            " gql_r ORDER BY gql_p.ord", outer,
                            (int)strlen(from) - 2, from, cols,
                            select_list(c, p, "gql_b", 1), body,
                            renamed(c, p));
    }
    return apr_psprintf(c->p, "SELECT gql_p.ord%s FROM unnest(%.*s) WITH "
                        "ORDINALITY AS gql_p(%sord) CROSS JOIN LATERAL "
                        "(SELECT %s FROM (%s) AS gql_b%s OFFSET 0) gql_r "
                        "ORDER BY gql_p.ord", outer, (int)strlen(from) - 2,
                        from, cols, p->n ? select_list(c, p, "gql_b", 1)
                        : "1", body, renamed(c, p));
}

/* The name of a projection: the statement's, and the columns kept. */
static const char *plan_name(gql_sql_ctx_t *c, const char *base,
                             const plan_t *p)
{
    apr_uint64_t mask = 0;
    char tail[20], *t = tail + sizeof(tail);
    int i;

    if (p->all) {
        return apr_pstrcat(c->p, base, p->single ? "_A" : "_a", NULL);
    }
    for (i = 0; i < p->n; i++) {
        mask |= APR_UINT64_C(1) << p->pos[i];
    }
    /* "_", "1" when single, the mask in hex: a few names a request, so no
     * format string to interpret */
    *--t = '\0';
    t = gql_sql_hex(t, mask, 1);
    if (p->single) {
        *--t = '1';
    }
    *--t = '_';
    return apr_pstrcat(c->p, base, t, NULL);
}

/* What the field's run reads, prepared on this backend; 0 with *fail
 * set when it cannot be. */
static int plan(gql_sql_ctx_t *c, const gql_resolve_t *b,
                const gql_sql_map_t *m, plan_t *p, PGresult **fail)
{
    gql_sql_desc_t *d = (gql_sql_desc_t *)described(c, m, fail);
    const char **types = NULL;

    if (d == NULL) {
        return 0;
    }
    memset(p, 0, sizeof(*p));
    p->d = d;
    p->batch = m->nparent > 0;
    pick(c, b, d, p);
    p->name = plan_name(c, p->batch ? m->batch_name : m->once_name, p);
    if (gql_sql_conn_is_prepared(c->k, p->name)) {
        return 1;
    }
    if (p->batch && (types = param_types(c, d, fail)) == NULL) {
        return 0;
    }
    *fail = gql_sql_conn_prepare(c->k, p->name, p->batch
                                 ? batch_text(c, m, types, p)
                                 : once_text(c, m, p));
    return *fail == NULL;
}

/* ---- results ------------------------------------------------------- */

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
            js = gql_print_number(p, strtod(s, NULL));
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

/* The calling thread's tokener for the values of rows, made once and
 * reset for each value: making one per request costs a large allocation.
 * It lives as long as the thread. */
static json_tokener *thread_tokener(void)
{
    static __thread json_tokener *tok;

    if (tok == NULL && (tok = json_tokener_new()) != NULL) {
        json_tokener_set_flags(tok, JSON_TOKENER_STRICT);
    }
    return tok;
}

/* A whole JSON text (a json or jsonb value, to_json's text, a number) as
 * json-c reads it strictly, a new reference; *bad set when it is not
 * JSON. */
static json_object *json_new(gql_sql_ctx_t *c, const char *text, int *bad)
{
    json_tokener *tok;
    json_object *o;
    size_t len;

    /* A string of printable ASCII with no escape (to_json's text of a
     * timestamp, say) reads as itself: the tokener would give the same
     * value, after making a locale for the parse. */
    if (text[0] == '"') {
        for (len = 1; text[len] >= 0x20 && text[len] < 0x7f
                      && text[len] != '"' && text[len] != '\\'; len++) {
        }
        if (text[len] == '"' && text[len + 1] == '\0') {
            return json_object_new_string_len(text + 1, (int)len - 1);
        }
    }
    tok = thread_tokener();
    if (tok == NULL) {
        *bad = 1;
        return NULL;
    }
    text = wide_ints(c->p, text);
    len = strlen(text);
    /* With its NUL: a number is not known to end before it. */
    o = json_tokener_parse_ex(tok, text, (int)len + 1);
    if (json_tokener_get_error(tok) != json_tokener_success
        || json_tokener_get_parse_end(tok) != len) {
        gql_json_drop(o);
        o = NULL;
        *bad = 1;
    }
    json_tokener_reset(tok);
    return o;
}

/* One column of a row of r as a new json-c value (NULL: null): a new
 * reference. */
static json_object *cell_new(gql_sql_ctx_t *c, const PGresult *r, int row,
                             int col, Oid type, int *bad)
{
    const char *v = PQgetvalue(r, row, col);

    if (PQgetisnull(r, row, col)) {
        return NULL;
    }
    switch (cell_kind(type)) {
    case K_TEXT:
        return json_object_new_string_len(v, PQgetlength(r, row, col));
    case K_BOOL:
        return json_object_new_boolean(v[0] == 't');
    case K_INT:
        return json_object_new_int64(strtoll(v, NULL, 10));
    case K_NUMBER:
        if (!apr_isdigit(v[v[0] == '-']))   /* NaN, Infinity, -Infinity */
            return json_object_new_string(v);
        return json_new(c, v, bad);
    default:
        return json_new(c, v, bad);
    }
}

/* What a row counts against GraphQLMaxResultSize: its text as a JSON
 * object of the columns kept. */
static apr_size_t row_bytes(const PGresult *r, int row, const plan_t *p)
{
    apr_size_t n = p->shape->frame;
    int i;

    for (i = 0; i < p->n; i++) {
        n += (apr_size_t)PQgetlength(r, row, i + p->batch);
    }
    return n;
}

/* How a column of type t stays in a row: as its text, or GQL_TEXT_NONE
 * for a json-c value. */
static gql_text_e text_kind(Oid t)
{
    switch (cell_kind(t)) {
    case K_TEXT:
        return GQL_TEXT_STRING;
    case K_INT:
        return GQL_TEXT_INT;
    case K_BOOL:
        return GQL_TEXT_BOOL;
    default:
        return GQL_TEXT_NONE;
    }
}

/* The shape of the rows of p, whose kept columns are names. */
static shape_t *new_shape(gql_sql_ctx_t *c, const plan_t *p,
                          const char **names)
{
    shape_t *sh = apr_palloc(c->p, sizeof(*sh));
    gql_text_e *kinds = apr_palloc(c->p, sizeof(*kinds) * (p->n + 1));
    int i;

    sh->frame = 2;
    for (i = 0; i < p->n; i++) {
        kinds[i] = text_kind(p->d->types[p->pos[i]]);
        sh->frame += 6 + (p->leaf ? 0 : strlen(names[i]));
    }
    sh->n = p->n;
    sh->names = names;
    sh->kinds = kinds;
    return sh;
}

/* Row row of r, its columns from off on, as a row of p's shape, in the
 * pool.  Its texts are copied there in one allocation with the row, so
 * that r may go at once. */
static row_t *row_new(gql_sql_ctx_t *c, const plan_t *p, const PGresult *r,
                      int row, int off, int *bad)
{
    const shape_t *sh = p->shape;
    apr_size_t size = sizeof(row_t) + sizeof(cell_t) * sh->n;
    apr_size_t lens[MAX_PICK];          /* a row of p->all is no row_t */
    row_t *w;
    char *at;
    int i;

    for (i = 0; i < sh->n; i++) {
        lens[i] = (apr_size_t)PQgetlength(r, row, off + i);
        size += sh->kinds[i] != GQL_TEXT_NONE ? lens[i] + 1 : 0;
    }
    w = apr_palloc(c->p, size);
    w->magic = row_magic;
    w->sh = sh;
    w->cells = (cell_t *)(w + 1);
    at = (char *)(w->cells + sh->n);
    for (i = 0; i < sh->n; i++) {
        cell_t *cell = &w->cells[i];

        memset(cell, 0, sizeof(*cell));
        if (PQgetisnull(r, row, off + i)) {
            continue;
        }
        if (sh->kinds[i] == GQL_TEXT_NONE) {
            cell->v = gql_json_keep(c->p, cell_new(c, r, row, off + i,
                                    p->d->types[p->pos[i]], bad));
            continue;
        }
        cell->text.kind = sh->kinds[i];
        cell->text.len = lens[i];
        cell->text.s = at;
        memcpy(at, PQgetvalue(r, row, off + i), cell->text.len + 1);
        at += cell->text.len + 1;
    }
    return w;
}

/* Whether p's values are rows (row_t), not json-c values: an object
 * type's, whose columns p names one by one. */
static int of_rows(const plan_t *p)
{
    return !p->leaf && !p->all;
}

/* Row row of r, its columns from off on: a row of the kept columns
 * (of_rows), or a new reference to a json-c value: for a leaf the first
 * column's, else an object of them all. */
static void *value_new(gql_sql_ctx_t *c, const plan_t *p, const char **names,
                       const PGresult *r, int row, int off, int *bad)
{
    unsigned flags = JSON_C_OBJECT_ADD_CONSTANT_KEY;
    json_object *o;
    int i;

    if (p->leaf) {
        return p->n ? cell_new(c, r, row, off, p->d->types[p->pos[0]], bad)
                    : NULL;
    }
    if (!p->all) {
        return row_new(c, p, r, row, off, bad);
    }
    o = json_object_new_object();
    for (i = 0; i < p->n; i++) {
        json_object_object_add_ex(o, names[i], cell_new(c, r, row, off + i,
                                  p->d->types[p->pos[i]], bad), flags);
    }
    return o;
}

/* One parent's rows as a statement read them: rows of a plan of_rows(),
 * else json-c values (new references, owned here; NULL is null).  In the
 * pool: a request's lists go with it. */
typedef struct list_t {
    int n, cap;
    int json;                   /* the items are json-c values */
    void **items;
} list_t;

static void list_add(apr_pool_t *p, list_t **l, void *v, int json)
{
    list_t *x = *l;

    if (x == NULL) {
        x = *l = apr_pcalloc(p, sizeof(*x));
        x->json = json;
    }
    if (x->n == x->cap) {
        void **items;

        x->cap = x->cap * 2 + 4;
        items = apr_palloc(p, sizeof(void *) * (apr_size_t)x->cap);
        if (x->n) {
            memcpy(items, x->items, sizeof(void *) * (apr_size_t)x->n);
        }
        x->items = items;
    }
    x->items[x->n++] = v;
}

/* The values of l released; l empty. */
static void list_drop(list_t *l)
{
    int i;

    if (l == NULL) {
        return;
    }
    for (i = 0; l->json && i < l->n; i++) {
        gql_json_drop(l->items[i]);
    }
    l->n = 0;
}

/* Row row of r, from the columns from off on, appended to *list. */
static void add_cells(gql_sql_ctx_t *c, const plan_t *p, const char **names,
                      const PGresult *r, int row, int off, list_t **list,
                      int *bad)
{
    list_add(c->p, list, value_new(c, p, names, r, row, off, bad),
             !of_rows(p));
}

/* A batch row's parent ordinal (its first column, from 1), or -1 when
 * the text is none. */
static int ordinal(const char *s)
{
    int n = 0;

    if (*s == '\0') {
        return -1;
    }
    for (; apr_isdigit(*s) && n < 100000000; s++) {
        n = n * 10 + (*s - '0');
    }
    return *s == '\0' ? n : -1;
}

/* Row row of r into the list of its parent (lists[0] for the root
 * form).  An object field that is no list reads only its parent's first
 * row. */
static void add_row(gql_sql_ctx_t *c, const plan_t *p, const char **names,
                    const PGresult *r, int row, list_t **lists, int want,
                    int *bad)
{
    int at = p->batch ? ordinal(PQgetvalue(r, row, 0)) - 1 : 0;
    void *v;

    if (at < 0 || at >= want) {
        *bad = 1;
        return;
    }
    v = value_new(c, p, names, r, row, p->batch, bad);
    if (p->single && !p->leaf && lists[at] != NULL && lists[at]->n) {
        if (!of_rows(p)) {
            gql_json_drop(v);           /* read, as every row is */
        }
        return;
    }
    list_add(c->p, &lists[at], v, !of_rows(p));
}

/* The names of the kept columns, the request's own copies: rows outlive
 * nothing of the request, while the connection's cache may be dropped
 * before it ends. */
static const char **kept_names(gql_sql_ctx_t *c, plan_t *p)
{
    const char **names = apr_palloc(c->p, sizeof(char *) * (p->n + 1));
    int i;

    for (i = 0; i < p->n; i++) {
        names[i] = apr_pstrdup(c->p, p->d->names[p->pos[i]]);
    }
    p->shape = new_shape(c, p, names);
    return names;
}

/* The json-c values of one parent (l may be NULL: none) as the field's
 * type wants them, a new reference: the list, or its first value (NULL:
 * null).  Takes them: l is left empty. */
static json_object *shape_new(const gql_tref_t *t, list_t *l)
{
    const gql_tref_t *u = t->kind == GQL_TYPE_NON_NULL ? t->of_type : t;
    json_object *v;
    int i, n = l ? l->n : 0;

    if (u->kind == GQL_TYPE_LIST) {
        v = json_object_new_array_ext(n > 0 ? n : 1);
        for (i = 0; i < n; i++) {
            json_object_array_add(v, l->items[i]);
        }
    }
    else {
        v = n ? l->items[0] : NULL;
        for (i = 1; i < n; i++) {
            gql_json_drop(l->items[i]);
        }
    }
    if (l != NULL) {
        l->n = 0;
    }
    return v;
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
 * BEGIN; a mutation stays failed: all or nothing.  Outside a
 * transaction (a statement that failed to prepare before BEGIN was
 * sent) there is nothing to undo. */
static void recover(gql_sql_ctx_t *c)
{
    PGresult *r;

    if (c->state == S_READY) {
        return;
    }
    c->state = S_FAILED;
    if (c->kind == GQL_OP_MUTATION || c->late || c->forbidden) {
        return;                         /* no statement after the deadline,
                                         * nor in the caller's stead */
    }
    r = exec(c, "ROLLBACK TO SAVEPOINT " SAVEPOINT);
    if (PQresultStatus(r) == PGRES_COMMAND_OK) {
        c->state = S_OPEN;
    }
    else if (PQstatus(c->conn) != CONNECTION_OK) {
        down(c, PQerrorMessage(c->conn));
    }
    else {
        note(c, 1, "GQL00039", apr_pstrcat(c->p, "ROLLBACK TO SAVEPOINT "
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

    if (c->forbidden) {
        PQclear(r);                     /* skipped: GQL00044 said why */
        b->code = FORBIDDEN_CODE;
        return FORBIDDEN;
    }
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

/* Past the budget: the backend stops producing rows. */
static void stop(gql_sql_ctx_t *c, const gql_sql_map_t *m)
{
    cancel(c->conn);
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

static const char *too_late(gql_sql_ctx_t *c, gql_resolve_t *b)
{
    b->code = "REQUEST_TIMEOUT";
    return apr_psprintf(c->p, "The request took longer than its limit of %d"
                        " ms (GraphQLRequestTimeout).",
                        c->env.request_timeout_ms);
}

/* Whether one more statement passes env.max_statements (the request is
 * then capped: the log says so once). */
static int capped(gql_sql_ctx_t *c, const gql_sql_map_t *m)
{
    if (!c->capped && c->env.max_statements
        && c->statements >= c->env.max_statements) {
        c->capped = 1;
        note(c, 0, "GQL00051", apr_psprintf(c->p, "%s: the request reached "
                                            "GraphQLMaxStatements (%d)",
                                            m->label,
                                            c->env.max_statements));
    }
    return c->capped;
}

static const char *too_many(gql_sql_ctx_t *c, gql_resolve_t *b)
{
    b->code = "STATEMENT_LIMIT_EXCEEDED";
    return apr_psprintf(c->p, "The request needs more SQL statements than "
                        "its limit of %d (GraphQLMaxStatements).",
                        c->env.max_statements);
}

static void drop_lists(list_t **lists, int n)
{
    int i;

    for (i = 0; i < n; i++) {
        list_drop(lists[i]);
        lists[i] = NULL;
    }
}

/* Every parent's rows, shaped, into b: the lists are left empty. */
static void deliver(gql_resolve_t *b, const gql_sql_map_t *m,
                    list_t **lists, int want)
{
    const gql_sql_catch_t *empty = caught(m, "empty", NULL);
    int i;

    for (i = 0; i < want; i++) {
        list_t *l = lists[i];

        if (empty && (l == NULL || l->n == 0)) {
            b->errors[i] = empty->message;
            b->codes[i] = empty->code;
        }
        else if (l != NULL && !l->json) {
            b->rows[i].given = 1;
            b->rows[i].n = l->n;
            b->rows[i].items = l->items;
        }
        else {
            b->results[i] = shape_new(b->field->type, l);
        }
    }
}

/* ---- rows read ahead ------------------------------------------------
 *
 * A statement that ran before its field's batch (a joined child, a
 * sibling in the same pipeline) leaves each parent's rows here, keyed by
 * the parent row and the field; the batch then takes them and runs
 * nothing.  What no batch takes is released with the request.
 */

typedef struct kkey_t {
    const void *parent;         /* parent_id() */
    const gql_field_t *field;
} kkey_t;

static apr_status_t drop_kept(void *data)
{
    gql_sql_ctx_t *c = data;
    apr_hash_index_t *hi;

    for (hi = apr_hash_first(NULL, c->kept); hi; hi = apr_hash_next(hi)) {
        list_drop(apr_hash_this_val(hi));
    }
    for (hi = apr_hash_first(NULL, c->kept_fail); hi;
         hi = apr_hash_next(hi)) {
        PQclear(apr_hash_this_val(hi));
    }
    return APR_SUCCESS;
}

/* A key of the kept tables is two pointers: mixed, not hashed a byte at
 * a time (a nested batch looks up each of its parents, twice). */
static unsigned int kkey_hash(const char *key, apr_ssize_t *klen)
{
    kkey_t k;
    apr_uint64_t h;

    (void)klen;
    memcpy(&k, key, sizeof(k));
    h = ((apr_uint64_t)(apr_uintptr_t)k.parent
         ^ ((apr_uint64_t)(apr_uintptr_t)k.field << 7))
        * APR_UINT64_C(0x9e3779b97f4a7c15);
    return (unsigned int)(h >> 32);
}

static void kept_table(gql_sql_ctx_t *c)
{
    if (c->kept == NULL) {
        c->kept = apr_hash_make_custom(c->p, kkey_hash);
        c->kept_fail = apr_hash_make_custom(c->p, kkey_hash);
        apr_pool_cleanup_register(c->p, c, drop_kept, apr_pool_cleanup_null);
    }
}

/* A sibling's failure, for its batch to report as its own (the
 * transaction of a mutation cannot run it again). */
static void keep_failure(gql_sql_ctx_t *c, const gql_resolve_t *b,
                         PGresult *r)
{
    kkey_t *k = apr_palloc(c->p, sizeof(*k));

    kept_table(c);
    k->parent = b->count ? parent_id(b, 0) : NULL;
    k->field = b->field;
    PQclear(apr_hash_get(c->kept_fail, k, sizeof(*k)));
    apr_hash_set(c->kept_fail, k, sizeof(*k), r);
}

/* Takes lists[i], the rows of f for the parent whose parent_id() is
 * ids[i]. */
static void keep_rows(gql_sql_ctx_t *c, const gql_field_t *f,
                      const void *const *ids, list_t **lists, int n)
{
    int i;

    kept_table(c);
    for (i = 0; i < n; i++) {
        kkey_t *k = apr_palloc(c->p, sizeof(*k));

        k->parent = ids[i];
        k->field = f;
        list_drop(apr_hash_get(c->kept, k, sizeof(*k)));
        apr_hash_set(c->kept, k, sizeof(*k), lists[i] ? lists[i]
                     : apr_pcalloc(c->p, sizeof(list_t)));
        lists[i] = NULL;
    }
}

/* Every parent's parent_id(). */
static const void *const *parent_ids(gql_sql_ctx_t *c, const gql_resolve_t *b)
{
    const void **ids = apr_palloc(c->p, sizeof(void *) * (b->count + 1));
    int i;

    for (i = 0; i < b->count; i++) {
        ids[i] = parent_id(b, i);
    }
    return ids;
}

/* b's batch from the rows read ahead: 1 when every parent's were there
 * (and are now b's), or when its statement failed ahead (*msg then says
 * how, as if it had just failed). */
static int served(gql_sql_ctx_t *c, gql_resolve_t *b, const gql_sql_map_t *m,
                  const char **msg)
{
    list_t **lists;
    PGresult *r;
    kkey_t k;
    int i;

    *msg = NULL;
    if (c->kept == NULL || b->count == 0) {
        return 0;
    }
    k.field = b->field;
    k.parent = parent_id(b, 0);
    if ((r = apr_hash_get(c->kept_fail, &k, sizeof(k))) != NULL) {
        apr_hash_set(c->kept_fail, &k, sizeof(k), NULL);
        *msg = failed(c, b, m, r);
        return 1;
    }
    for (i = 0; i < b->count; i++) {
        k.parent = parent_id(b, i);
        if (apr_hash_get(c->kept, &k, sizeof(k)) == NULL) {
            return 0;
        }
    }
    lists = apr_palloc(c->p, sizeof(*lists) * (b->count + 1));
    for (i = 0; i < b->count; i++) {
        k.parent = parent_id(b, i);
        lists[i] = apr_hash_get(c->kept, &k, sizeof(k));
        apr_hash_set(c->kept, &k, sizeof(k), NULL);
    }
    deliver(b, m, lists, b->count);
    return 1;
}

/* What one statement of a pipeline read: its parents' rows, or why not. */
typedef struct got_t {
    list_t **lists;             /* want lists of rows (add_row), owned
                                 * here */
    int want;
    PGresult *fail;
    int bad;                    /* a value that is not JSON */
    int over;                   /* this statement passed the budget */
    int late;                   /* the deadline passed before its end */
} got_t;

/* Whether a statement's rows are bounded before it runs: the batch form
 * of a field that is no list reads one row per parent (its LIMIT 1), no
 * more rows than the batch has parents, which the request already
 * holds. */
static int bounded(const plan_t *p)
{
    return p->batch && p->single;
}

/* How a statement is read against GraphQLMaxResultSize (m is the
 * field's, or NULL for a joined statement).  Rows bounded
 * before it runs, or with no budget, are read whole.  Others are read
 * whole too where the kernel counts what libpq takes off the socket (TCP
 * on Linux): the guard then cuts the statement, as past the budget, once
 * it has sent GUARD_TIMES what the budget has left, and GUARD_SLACK
 * more, counted from the end of its first read off the socket (a
 * result that one read brings whole costs no system call more; the
 * first read is at most libpq's buffer, which grows only to the largest
 * row).  The rows' exact count (take_rows) is that of the rows read one
 * at a time, so the guard is only a bound on what libpq may hold: eight
 * times, because a row's text on the wire (its lengths, its parent's
 * ordinal) may pass its JSON several times where its values are short.
 * Elsewhere (a Unix socket) the rows are read one at a time (libpq's
 * single-row mode), which costs a result per row: a tenth of the flat
 * feed's time in httpd. */
#define GUARD_TIMES 8
#define GUARD_SLACK (64 * 1024)

static void read_mode(gql_sql_ctx_t *c, const gql_sql_map_t *m,
                      int rows_bounded)
{
    c->guard = 0;
    if (rows_bounded || c->env.max_result_size == 0) {
        return;
    }
    if (gql_sql_conn_counts(c->k)) {
        apr_size_t left = c->bytes < c->env.max_result_size
                          ? c->env.max_result_size - c->bytes : 0;

        c->guard = 1;
        c->guard_most = (apr_uint64_t)left * GUARD_TIMES + GUARD_SLACK;
        c->guard_m = m;
        return;
    }
    PQsetSingleRowMode(c->conn);
}

/* Past the guard: the statement is cancelled as past the budget, and
 * what is still on its way is read and dropped with it.  A joined
 * statement's is only cancelled: its two fields then run apart, and the
 * one whose rows pass the budget says so, as they would have. */
static void guard_check(gql_sql_ctx_t *c)
{
    apr_uint64_t n;

    if (!gql_sql_conn_taken(c->conn, &n)) {
        return;
    }
    if (c->guard == 1) {
        c->guard = 2;
        c->guard_from = n;
        return;
    }
    if (n - c->guard_from > c->guard_most) {
        c->guard = 0;
        if (c->guard_m == NULL) {
            cancel(c->conn);
            c->guard_cut = 1;
        }
        else if (!c->over) {
            stop(c, c->guard_m);
        }
    }
}

/* The rows of one result of the statement, counted against the budget,
 * up to the row that passes it. */
static void take_rows(gql_sql_ctx_t *c, const gql_sql_map_t *m, plan_t *p,
                     const char **names, const PGresult *r, got_t *g)
{
    int i, n = PQntuples(r);

    for (i = 0; i < n; i++) {
        c->bytes += row_bytes(r, i, p);
        if (c->env.max_result_size && c->bytes > c->env.max_result_size) {
            stop(c, m);
            g->over = 1;
            return;
        }
        add_row(c, p, names, r, i, g->lists, g->want, &g->bad);
    }
}

/* The statement's rows, whole or one at a time (bounded()). */
static void read_rows(gql_sql_ctx_t *c, const gql_sql_map_t *m, plan_t *p,
                      int want, got_t *g)
{
    const char **names = kept_names(c, p);
    PGresult *r;

    memset(g, 0, sizeof(*g));
    g->want = want;
    g->lists = apr_pcalloc(c->p, sizeof(*g->lists) * (want + 1));
    read_mode(c, m, bounded(p));
    while ((r = next(c)) != NULL) {
        ExecStatusType st = PQresultStatus(r);

        if ((st == PGRES_SINGLE_TUPLE || st == PGRES_TUPLES_OK)
            && g->fail == NULL && !c->over) {
            take_rows(c, m, p, names, r, g);
        }
        else if (st != PGRES_SINGLE_TUPLE && st != PGRES_TUPLES_OK
                 && g->fail == NULL) {
            g->fail = r;
            continue;
        }
        PQclear(r);
    }
    c->guard = 0;
    /* Past the budget, here or in an earlier statement of the pipeline,
     * the rows are not all there. */
    g->over |= c->over;
    g->late = c->late;
    if (g->over || g->fail != NULL || g->bad || g->late) {
        drop_lists(g->lists, want);
    }
}

/* A sibling field of the same parents whose statement went into the
 * pipeline after b's (gql_resolve_t.siblings). */
typedef struct sib_t {
    gql_resolve_t b;            /* its batch, as the executor will make it */
    const gql_sql_map_t *m;
    plan_t p;
    const char **vals;
    got_t got;
} sib_t;

/* The siblings' rows, kept for their batches; 1 when one failed (the
 * transaction then needs recovering). */
static int keep_siblings(gql_sql_ctx_t *c, apr_array_header_t *sibs)
{
    int i, failed_one = 0;

    for (i = 0; sibs && i < sibs->nelts; i++) {
        sib_t *sb = &APR_ARRAY_IDX(sibs, i, sib_t);

        if (c->late) {
            c->statements++;            /* sent; its batch says it is late */
            PQclear(sb->got.fail);
            continue;
        }
        if (sb->got.fail != NULL && !c->over && !sb->got.over
            && PQresultStatus(sb->got.fail) != PGRES_PIPELINE_ABORTED) {
            /* It failed of its own: its batch reports this failure. */
            c->statements++;
            failed_one = 1;
            keep_failure(c, &sb->b, sb->got.fail);
            continue;
        }
        if (sb->got.fail || sb->got.bad || sb->got.over) {
            /* Skipped after another's failure, cancelled past the budget,
             * or unreadable: its own batch runs it again and says what
             * goes wrong. */
            failed_one |= sb->got.fail != NULL;
            PQclear(sb->got.fail);
            continue;
        }
        c->statements++;
        keep_rows(c, sb->b.field, parent_ids(c, &sb->b), sb->got.lists,
                  sb->b.count);
    }
    return failed_one;
}

/* The statement's rows (and its siblings'), then the pipeline's end.
 * *retry is set when the backend no longer has the statement (SQLSTATE
 * 26000). */
static const char *receive(gql_sql_ctx_t *c, gql_resolve_t *b,
                           const gql_sql_map_t *m, plan_t *p,
                           apr_array_header_t *sibs, int piped, int last,
                           int *retry)
{
    const char *state;
    got_t g;
    int i;

    read_rows(c, m, p, p->batch ? b->count : 1, &g);
    for (i = 0; sibs && i < sibs->nelts; i++) {
        sib_t *sb = &APR_ARRAY_IDX(sibs, i, sib_t);

        read_rows(c, sb->m, &sb->p, sb->b.count, &sb->got);
    }
    if (last) {
        ended(c);
    }
    if (piped) {
        end_pipeline(c);
    }
    if (keep_siblings(c, sibs) && g.fail == NULL && !g.over) {
        recover(c);
    }
    if (c->caller_lost) {
        PQclear(g.fail);                /* skipped: send it again */
        drop_lists(g.lists, g.want);
        *retry = 1;
        return NULL;
    }
    if (g.late) {
        PQclear(g.fail);
        return too_late(c, b);
    }
    if (g.over) {
        if (g.fail != NULL) {           /* the cancel, most likely */
            PQclear(g.fail);
            recover(c);
        }
        return too_large(c, b);
    }
    state = g.fail ? PQresultErrorField(g.fail, PG_DIAG_SQLSTATE) : NULL;
    if (state != NULL && strcmp(state, "26000") == 0 && !c->retried) {
        PQclear(g.fail);
        gql_sql_conn_forget(c->k);
        *retry = 1;
        return NULL;
    }
    if (g.fail != NULL) {
        return failed(c, b, m, g.fail);
    }
    if (g.bad) {
        note(c, 1, "GQL00034", apr_pstrcat(c->p, m->label, ": a value of "
                                           "the result is not JSON", NULL));
        b->code = INTERNAL_CODE;
        return INTERNAL;
    }
    deliver(b, m, g.lists, g.want);
    return NULL;
}

/* Send the field's statement: in one pipeline with BEGIN ahead of it
 * when it is the first, its siblings' after it, and COMMIT after them
 * when they are the last of a query; else on its own. */
static int send_stmt(gql_sql_ctx_t *c, const plan_t *p, int n,
                     const char **vals, apr_array_header_t *sibs, int last,
                     int *piped)
{
    int first = c->state == S_READY, i;

    /* A query's lone statement (or an event's) needs no transaction of
     * its own: the pipeline's is one snapshot, read-only by the caller's
     * statement. */
    if (first) {
        c->implicit = last && c->kind != GQL_OP_MUTATION
                      && !(sibs && sibs->nelts);
    }
    *piped = first || last || (sibs && sibs->nelts);
    if (!*piped) {
        return PQsendQueryPrepared(c->conn, p->name, n, vals, NULL, NULL, 0);
    }
    if (!PQenterPipelineMode(c->conn) || (first && !send_begin(c))
        || !PQsendQueryPrepared(c->conn, p->name, n, vals, NULL, NULL, 0)) {
        return 0;
    }
    for (i = 0; sibs && i < sibs->nelts; i++) {
        sib_t *sb = &APR_ARRAY_IDX(sibs, i, sib_t);

        if (!PQsendQueryPrepared(c->conn, sb->p.name, sb->m->params->nelts,
                                 sb->vals, NULL, NULL, 0)) {
            return 0;
        }
    }
    if ((last && !c->implicit
         && !PQsendQueryParams(c->conn, "COMMIT", 0, NULL, NULL, NULL,
                               NULL, 0))
        || !PQpipelineSync(c->conn)) {
        return 0;
    }
    if (first) {
        c->state = begun(c) ? S_OPEN : S_FAILED;
    }
    return 1;
}

/* After the statement's rows: the pipelined COMMIT's result, when one
 * was sent (skipped after a failed statement: the transaction is then
 * still open, and recovered or rolled back as usual). */
static void ended(gql_sql_ctx_t *c)
{
    int aborted = 0;

    if (c->implicit) {
        c->state = S_READY;             /* it ends with the pipeline */
        return;
    }
    if (command_ok(c, "GQL00043", "COMMIT", &aborted)) {
        c->state = S_READY;
    }
    else if (!aborted) {
        c->commit_failed = 1;
        c->state = S_READY;
    }
}

/* ---- how many statements a query may still run ---------------------
 *
 * The SQL fields of the operation's selection, fragments expanded where
 * they are spread, @skip and @include not weighed: never fewer than the
 * batches that will run (a batch that several field nodes merge into
 * counts for all of them), so the statement that brings the count to 0
 * is the last one, and its COMMIT can travel with it.  A selection on an
 * interface or a union (one field node, a batch per type) or too large a
 * tree to count cannot tell (-1). */

#define MAX_COUNT 10000

typedef struct count_t {
    gql_sql_ctx_t *c;
    int n;
    int visits;
    int unknown;
} count_t;

static void count_set(count_t *k, const gql_type_t *t,
                      const gql_selection_set_t *ss, int depth);

static void count_field(count_t *k, const gql_type_t *t,
                        const gql_selection_t *s, int depth)
{
    const gql_field_t *f = gql_schema_field_def(k->c->s, t, s->name.value);
    const gql_sql_map_t *m = f ? map_of(k->c, f) : NULL;
    const gql_type_t *nt;

    if (f == NULL) {
        return;
    }
    if (m != NULL && m->kind == GQL_MAP_SQL) {
        k->n++;
    }
    if (s->selection_set == NULL) {
        return;
    }
    nt = named_of(f->type);
    if (nt->kind != GQL_KIND_OBJECT) {
        k->unknown = 1;
        return;
    }
    count_set(k, nt, s->selection_set, depth + 1);
}

static void count_set(count_t *k, const gql_type_t *t,
                      const gql_selection_set_t *ss, int depth)
{
    int i;

    if (depth > 64) {
        k->unknown = 1;
    }
    for (i = 0; !k->unknown && i < ss->selections->nelts; i++) {
        const gql_selection_t *s = APR_ARRAY_IDX(ss->selections, i,
                                                 const gql_selection_t *);
        const gql_definition_t *fd;

        if (++k->visits > MAX_COUNT) {
            k->unknown = 1;
        }
        else if (s->kind == GQL_SEL_FIELD) {
            count_field(k, t, s, depth);
        }
        else if (s->kind == GQL_SEL_INLINE_FRAGMENT) {
            count_set(k, t, s->selection_set, depth + 1);
        }
        else if ((fd = gql_document_fragment(k->c->op->doc, s->name.value))
                 != NULL) {
            count_set(k, t, fd->selection_set, depth + 1);
        }
    }
}

static int count_op(gql_sql_ctx_t *c)
{
    const gql_type_t *root = gql_schema_root(c->s, c->kind);
    count_t k;

    memset(&k, 0, sizeof(k));
    k.c = c;
    if (root == NULL || c->op == NULL || c->op->def == NULL) {
        return -1;
    }
    count_set(&k, root, c->op->def->selection_set, 0);
    return k.unknown ? -1 : k.n;
}

/* Whether a statement for nodes more field nodes is the query's last (a
 * subscription's event reads as a query does). */
static int is_last(gql_sql_ctx_t *c, int nodes)
{
    if (c->kind == GQL_OP_MUTATION || c->retried) {
        return 0;
    }
    if (c->pending == -2) {
        c->pending = count_op(c);
    }
    if (c->pending < 0) {
        return 0;
    }
    c->pending -= nodes;
    return c->pending <= 0;
}

/* ---- a field and its one SQL child in one statement -----------------
 *
 * A root field of a query whose object type's selection asks exactly one
 * field backed by SQL (C), with no arguments, reading only its parent's
 * columns and the caller's claims: the child's statement joins the
 * field's as a LATERAL subquery, so the two levels cost one statement and
 * one round trip.  The field's rows are numbered (gql_o, which tells one
 * parent from the next); the children of each follow it, in their own
 * order, as the nested loop over the field's rows reads them (the LATERAL
 * subquery kept whole by OFFSET 0, as a batch's is: no window numbers
 * them and no sort orders them again, which cost the flat feed's
 * statement 15% of its time); a marker column (gql_n) is null where a
 * parent has no child.  Of the field's columns, the rows carry back only
 * those its own fields read: what only C's $parent reads stays inside
 * the statement (the flat feed's seven, on each of its fifty rows, cost
 * PostgreSQL a tenth of that statement's time).  The children wait in
 * the context for C's batch, which then runs nothing.  Whenever the
 * joined statement cannot be used (it does not prepare, as a statement
 * that modifies data does not in a subquery, or it fails, or passes the
 * budget), the field runs on its own, as without it, and the child later
 * in its own batch: errors and results are those of the two statements
 * apart.
 */

/* The field nodes of C (the one SQL field of t's selection in nodes),
 * or NULL when there is not exactly one such field, or it may not join. */
typedef struct child_t {
    const gql_field_t *field;
    const gql_sql_map_t *m;
    apr_array_header_t *nodes;  /* gql_selection_t * */
    int bad;
} child_t;

static void child_set(gql_sql_ctx_t *c, child_t *ch, const gql_type_t *t,
                      const gql_selection_set_t *ss, int depth);

static void child_field(gql_sql_ctx_t *c, child_t *ch, const gql_type_t *t,
                        const gql_selection_t *s)
{
    const gql_field_t *f = gql_schema_field_def(c->s, t, s->name.value);
    const gql_sql_map_t *m = f ? map_of(c, f) : NULL;
    const gql_selection_t *first;
    int i;

    if (m == NULL || m->kind != GQL_MAP_SQL) {
        return;
    }
    if (ch->field != NULL) {
        first = APR_ARRAY_IDX(ch->nodes, 0, const gql_selection_t *);
        if (ch->field != f || strcmp(first->alias.value ? first->alias.value
                                     : first->name.value, s->alias.value
                                     ? s->alias.value : s->name.value)) {
            ch->bad = 1;                /* a second SQL field, or key */
        }
    }
    ch->field = f;
    ch->m = m;
    APR_ARRAY_PUSH(ch->nodes, const gql_selection_t *) = s;
    if ((s->arguments && s->arguments->nelts) || (s->directives
        && s->directives->nelts) || (f->arguments && f->arguments->nelts)
        || m->nparent == 0 || (m->uses_viewer && c->env.claims == NULL)) {
        ch->bad = 1;
    }
    for (i = 0; i < m->params->nelts; i++) {
        if (APR_ARRAY_IDX(m->params, i, gql_sql_param_t).kind
            == GQL_PARAM_ARG) {
            ch->bad = 1;
        }
    }
}

static void child_set(gql_sql_ctx_t *c, child_t *ch, const gql_type_t *t,
                      const gql_selection_set_t *ss, int depth)
{
    int i;

    if (ss == NULL || depth > 64) {
        ch->bad = 1;
        return;
    }
    for (i = 0; !ch->bad && i < ss->selections->nelts; i++) {
        const gql_selection_t *s = APR_ARRAY_IDX(ss->selections, i,
                                                 const gql_selection_t *);
        const gql_definition_t *fd = NULL;
        const char *cond = s->type_condition.value;

        if (s->kind == GQL_SEL_FIELD) {
            child_field(c, ch, t, s);
            continue;
        }
        if (s->kind == GQL_SEL_FRAGMENT_SPREAD) {
            fd = gql_document_fragment(c->op->doc, s->name.value);
            cond = fd ? fd->type_condition.value : NULL;
        }
        if ((s->directives && s->directives->nelts)
            || (cond && strcmp(cond, t->name) != 0)) {
            ch->bad = 1;                /* only plain fragments on t */
        }
        else {
            child_set(c, ch, t, fd ? fd->selection_set : s->selection_set,
                      depth + 1);
        }
    }
}

static int joinable(gql_sql_ctx_t *c, const gql_resolve_t *b,
                    const gql_sql_map_t *m, child_t *ch)
{
    const gql_type_t *t = named_of(b->field->type);
    int i;

    if (c->kind != GQL_OP_QUERY || m->nparent != 0 || c->retried
        || t->kind != GQL_KIND_OBJECT || b->nodes == NULL) {
        return 0;
    }
    memset(ch, 0, sizeof(*ch));
    ch->nodes = apr_array_make(c->p, 2, sizeof(gql_selection_t *));
    for (i = 0; !ch->bad && i < b->nodes->nelts; i++) {
        child_set(c, ch, t, APR_ARRAY_IDX(b->nodes, i, const gql_selection_t *)
                  ->selection_set, 0);
    }
    return ch->field != NULL && !ch->bad;
}

/* C's body, its $parent columns read off the field's row (gql_f) and
 * cast through text to the types the child's own form gives them (as
 * its batch form does), its other placeholders numbered after the
 * field's. */
typedef struct child_spell_t {
    gql_sql_ctx_t *c;
    const gql_sql_map_t *cm;
    const char **ptypes;
    const plan_t *pf;
    int *num;                   /* the joined statement's numbers */
} child_spell_t;

static const char *child_placeholder(void *baton, int i)
{
    child_spell_t *sp = baton;
    const gql_sql_param_t *pm = &APR_ARRAY_IDX(sp->cm->params, i,
                                               gql_sql_param_t);
    const char *t = sp->ptypes[i];
    int at;

    if (pm->kind != GQL_PARAM_PARENT) {
        return apr_psprintf(sp->c->p, "$%d", sp->num[i]);
    }
    for (at = sp->pf->d->ncols - 1; at >= 0
         && strcmp(sp->pf->d->names[at], pm->path[0]) != 0; at--) {
    }
    return apr_psprintf(sp->c->p, "(%s::text%s%s)", at < 0 ? "NULL"
                        : apr_psprintf(sp->c->p, "gql_f.gql_%d", at + 1),
                        strcmp(t, "unknown") ? "::" : "",
                        strcmp(t, "unknown") ? t : "");
}

static const char *child_body(gql_sql_ctx_t *c, const gql_sql_map_t *cm,
                              const char **ptypes, const plan_t *pf,
                              int first)
{
    child_spell_t sp;
    int i, j;

    sp.c = c;
    sp.cm = cm;
    sp.ptypes = ptypes;
    sp.pf = pf;
    sp.num = apr_pcalloc(c->p, sizeof(int) * (cm->params->nelts + 1));
    for (i = 0, j = first; i < cm->params->nelts; i++) {
        if (APR_ARRAY_IDX(cm->params, i, gql_sql_param_t).kind
            != GQL_PARAM_PARENT) {
            sp.num[i] = ++j;
        }
    }
    return spell(c, cm, child_placeholder, &sp);
}

/* The field's kept columns, raw (the child reads them), as gql_K. */
static const char *raw_list(gql_sql_ctx_t *c, const plan_t *p)
{
    const char *list = "";
    int i;

    for (i = 0; i < p->n; i++) {
        list = apr_psprintf(c->p, "%sgql_a.gql_%d AS gql_%d, ", list,
                            p->pos[i] + 1, p->pos[i] + 1);
    }
    return list;
}

static const char *joined_text(gql_sql_ctx_t *c, const gql_sql_map_t *fm,
                               const gql_sql_map_t *cm, const char **ptypes,
                               plan_t *pf, const plan_t *po,
                               const plan_t *pc)
{
    const char *fo = select_list(c, po, "gql_f", 0);
    const char *co = kept_list(c, pc, "gql_r");
    const char *ci = select_list(c, pc, "gql_b", 1);

    return apr_psprintf(c->p, "SELECT gql_f.gql_o%s%s, gql_r.gql_n%s%s FROM "
                        "(SELECT %srow_number() OVER () AS gql_o FROM (%s) "
                        "AS gql_a%s) gql_f LEFT JOIN LATERAL (SELECT %s%s"
                        "true AS gql_n FROM (%s) AS gql_b%s OFFSET 0) gql_r "
                        "ON true",
                        po->n ? ", " : "", fo, pc->n ? ", " : "", co,
                        raw_list(c, pf), fm->single, renamed(c, pf), ci,
                        pc->n ? ", " : "", child_body(c, cm, ptypes, pf,
                        fm->params->nelts), renamed(c, pc));
}

/* The joined statement's name: the two statements' and their columns. */
static const char *joined_name(gql_sql_ctx_t *c, const gql_sql_map_t *fm,
                               const gql_sql_map_t *cm, const plan_t *pf,
                               const plan_t *po, const plan_t *pc)
{
    return gql_sql_stmt_name(c->p, "j", apr_pstrcat(c->p, fm->once_name, " ",
                             plan_name(c, cm->batch_name, pc), " ",
                             plan_name(c, "f", pf), " ",
                             plan_name(c, "o", po), NULL));
}

/* Reads the joined rows: the field's into f[0], each row's children into
 * the kept table.  0 when the rows cannot be used (then nothing is
 * kept). */
static int read_joined(gql_sql_ctx_t *c, const plan_t *pf, const plan_t *pc,
                       const gql_field_t *cf, const char **fnames,
                       const char **cnames, list_t **f)
{
    PGresult *r, *fail = NULL;
    list_t **rows = NULL;
    apr_array_header_t *parents = apr_array_make(c->p, 4, sizeof(void *));
    apr_array_header_t *kids = apr_array_make(c->p, 4, sizeof(list_t *));
    const char *o = NULL;
    int bad = 0, at = 1 + pf->n;

    *f = NULL;
    read_mode(c, NULL, 0);
    while ((r = next(c)) != NULL) {
        ExecStatusType st = PQresultStatus(r);
        int i, n = PQntuples(r);

        for (i = 0; (st == PGRES_SINGLE_TUPLE || st == PGRES_TUPLES_OK)
             && fail == NULL && !bad && !c->guard_cut && i < n; i++) {
            c->bytes += row_bytes(r, i, pf) + row_bytes(r, i, pc);
            if (c->env.max_result_size && c->bytes > c->env.max_result_size) {
                bad = 1;                /* the fields apart will say */
                if (st == PGRES_SINGLE_TUPLE) {
                    cancel(c->conn);    /* and read no more of it */
                }
            }
            else if (o == NULL || strcmp(o, PQgetvalue(r, i, 0)) != 0) {
                o = apr_pstrdup(c->p, PQgetvalue(r, i, 0));
                add_cells(c, pf, fnames, r, i, 1, f, &bad);
                APR_ARRAY_PUSH(parents, const void *) = (*f)->items[(*f)->n
                                                                    - 1];
                /* the slot stays put until the next parent's push */
                rows = apr_array_push(kids);
                *rows = NULL;
            }
            if (!bad && !PQgetisnull(r, i, at)) {
                add_cells(c, pc, cnames, r, i, at + 1, rows, &bad);
            }
        }
        if (st != PGRES_SINGLE_TUPLE && st != PGRES_TUPLES_OK
            && fail == NULL) {
            fail = r;
            continue;
        }
        PQclear(r);
    }
    c->guard = 0;
    bad |= c->guard_cut;
    c->guard_cut = 0;
    if (fail != NULL || bad) {
        PQclear(fail);
        drop_lists((list_t **)kids->elts, kids->nelts);
        list_drop(*f);
        *f = NULL;
        return 0;
    }
    keep_rows(c, cf, (const void *const *)parents->elts,
              (list_t **)kids->elts, kids->nelts);
    return 1;
}

/* Runs the field b with its one SQL child in one statement: 1 when b
 * is answered (*msg NULL, the children kept; or *msg says that the
 * deadline passed), 0 when it must run apart (nothing of this attempt
 * remains, the transaction as before). */
static int run_joined(gql_sql_ctx_t *c, gql_resolve_t *b,
                      const gql_sql_map_t *m, const char **msg)
{
    int nf = m->params->nelts, nv = 0, i, piped = 0, last;
    int pending = c->pending;
    apr_size_t bytes = c->bytes;
    const char **vals, **ptypes, **fnames, **cnames;
    PGresult *fail = NULL;
    gql_sql_desc_t *dc;
    gql_resolve_t cb;
    list_t *f = NULL;
    plan_t pf, po, pc, pj;
    child_t ch;

    *msg = NULL;
    if (!joinable(c, b, m, &ch)) {
        return 0;
    }
    memset(&pf, 0, sizeof(pf));
    memset(&pj, 0, sizeof(pj));
    cb = *b;
    cb.field = ch.field;
    cb.nodes = ch.nodes;
    pf.d = described(c, m, &fail);
    dc = pf.d ? (gql_sql_desc_t *)described(c, ch.m, &fail) : NULL;
    ptypes = dc ? param_types(c, dc, &fail) : NULL;
    if (ptypes == NULL) {
        PQclear(fail);
        if (c->state != S_READY) {
            recover(c);                 /* the field apart will say */
        }
        return 0;
    }
    pick(c, b, pf.d, &pf);
    po = pf;
    pick_as(c, b, pf.d, &po, 1);        /* the child reads the rest */
    memset(&pc, 0, sizeof(pc));
    pc.d = dc;
    pick(c, &cb, dc, &pc);
    pj.name = joined_name(c, m, ch.m, &pf, &po, &pc);
    if (gql_sql_conn_refused(c->k, pj.name)) {
        return 0;
    }
    if (!gql_sql_conn_is_prepared(c->k, pj.name)) {
        fail = gql_sql_conn_prepare(c->k, pj.name, joined_text(c, m, ch.m,
                                    ptypes, &pf, &po, &pc));
        if (fail != NULL) {
            PQclear(fail);
            gql_sql_conn_refuse(c->k, pj.name);
            if (c->state != S_READY) {
                recover(c);
            }
            return 0;
        }
    }
    vals = apr_pcalloc(c->p, sizeof(char *) * (nf + ch.m->params->nelts + 1));
    for (i = 0; i < nf; i++) {
        vals[i] = param_text(c, b, &APR_ARRAY_IDX(m->params, i,
                                                  gql_sql_param_t));
        if (vals[i] == too_deep) {
            return 0;
        }
    }
    for (i = 0; i < ch.m->params->nelts; i++) {
        const gql_sql_param_t *pm = &APR_ARRAY_IDX(ch.m->params, i,
                                                   gql_sql_param_t);

        if (pm->kind != GQL_PARAM_PARENT) {
            vals[nf + nv++] = param_text(c, &cb, pm);
        }
    }
    fnames = kept_names(c, &po);
    cnames = kept_names(c, &pc);
    last = is_last(c, b->nodes->nelts + ch.nodes->nelts);
    c->statements++;
    c->running = m->label;
    if (!send_stmt(c, &pj, nf + nv, vals, NULL, last, &piped)) {
        if (piped) {
            end_pipeline(c);
        }
        c->statements--;
        c->pending = pending;
        return 0;
    }
    i = read_joined(c, &po, &pc, ch.field, fnames, cnames, &f);
    if (last) {
        ended(c);
    }
    if (piped) {
        end_pipeline(c);
    }
    if (!i && c->late) {
        *msg = too_late(c, b);
        return 1;
    }
    if (!i) {
        c->statements--;
        c->pending = pending;
        c->bytes = bytes;
        if (!restart(c) && c->state != S_READY) {
            recover(c);
        }
        return 0;
    }
    deliver(b, m, &f, 1);
    return 1;
}

/* The values of m's placeholders for batch b; NULL with *msg set when
 * one nests too deeply. */
static const char **bind_values(gql_sql_ctx_t *c, gql_resolve_t *b,
                                const gql_sql_map_t *m, const char **msg)
{
    int n = m->params->nelts, i;
    const char **vals = apr_pcalloc(c->p, sizeof(char *) * (n + 1));

    for (i = 0; i < n; i++) {
        const gql_sql_param_t *pm = &APR_ARRAY_IDX(m->params, i,
                                                   gql_sql_param_t);

        vals[i] = pm->kind == GQL_PARAM_PARENT ? parent_array(c, b, pm)
                                               : param_text(c, b, pm);
        if (vals[i] == too_deep) {
            b->code = "BAD_USER_INPUT";
            *msg = apr_psprintf(c->p, "The value of %s is nested too deeply:"
                                " lists nest at most %d levels.", pm->text,
                                MAX_NEST);
            return NULL;
        }
    }
    return vals;
}

/* Most siblings one pipeline carries. */
#define MAX_SIBLINGS 8

/* The later sibling fields of b (same parents) whose statements can go
 * into b's pipeline: SQL fields of the batch form, of a query, whose
 * arguments coerce, and that prepare; no more than the statement limit
 * leaves room for after b's.  What fails here is left to the sibling's
 * own batch, which will say it. */
static apr_array_header_t *siblings(gql_sql_ctx_t *c, gql_resolve_t *b)
{
    apr_array_header_t *sibs = NULL;
    int i, most = MAX_SIBLINGS;

    if (c->env.max_statements
        && c->env.max_statements - c->statements - 1 < most) {
        most = c->env.max_statements - c->statements - 1;
    }
    if (b->siblings == NULL || c->retried || most <= 0) {
        return NULL;
    }
    for (i = b->sibling + 1; i < b->siblings->nelts; i++) {
        const apr_array_header_t *nodes = APR_ARRAY_IDX(b->siblings, i,
                                              const apr_array_header_t *);
        const gql_selection_t *s = APR_ARRAY_IDX(nodes, 0,
                                                 const gql_selection_t *);
        const gql_field_t *f = gql_schema_field_def(c->s, b->parent_type,
                                                    s->name.value);
        const gql_sql_map_t *sm = f ? map_of(c, f) : NULL;
        gql_error_t *err = NULL;
        PGresult *fail = NULL;
        const char *msg;
        sib_t sb;

        if (sm == NULL || sm->kind != GQL_MAP_SQL || sm->nparent == 0
            || (sm->uses_viewer && c->env.claims == NULL)) {
            continue;
        }
        memset(&sb, 0, sizeof(sb));
        sb.b = *b;
        sb.b.field = f;
        sb.b.node = s;
        sb.b.nodes = nodes;
        sb.b.sibling = i;
        sb.m = sm;
        sb.b.args = gql_coerce_arguments(c->p, f->arguments, s->arguments,
                                         &s->loc, b->variables, &err);
        if (sb.b.args == NULL) {
            continue;
        }
        if (!plan(c, &sb.b, sm, &sb.p, &fail)) {
            PQclear(fail);
            recover(c);                 /* a PREPARE that failed */
            break;
        }
        if ((sb.vals = bind_values(c, &sb.b, sm, &msg)) == NULL) {
            continue;
        }
        if (sibs == NULL) {
            sibs = apr_array_make(c->p, 2, sizeof(sib_t));
        }
        APR_ARRAY_PUSH(sibs, sib_t) = sb;
        if (sibs->nelts == most) {
            break;
        }
    }
    return sibs;
}

static const char *run_sql(gql_sql_ctx_t *c, gql_resolve_t *b,
                           const gql_sql_map_t *m)
{
    int n = m->params->nelts, i, piped = 0, retry = 0, last, nodes;
    const char **vals;
    const char *msg = NULL;
    apr_array_header_t *sibs;
    PGresult *r = NULL;
    plan_t p;

    if (m->uses_viewer && c->env.claims == NULL) {
        if (m->optional_viewer) {
            return NULL;                /* every result stays null */
        }
        b->code = "UNAUTHENTICATED";
        return "Authentication required: this field needs a token.";
    }
    if (served(c, b, m, &msg)) {
        return msg;                     /* read (or failed) ahead */
    }
    if (c->over) {
        return too_large(c, b);         /* no statement after the budget */
    }
    if (past(c, m->label)) {
        return too_late(c, b);
    }
    if (!c->retried && capped(c, m)) {
        return too_many(c, b);
    }
    if (c->state == S_IDLE) {
        connect_db(c);
    }
    if (c->forbidden) {
        b->code = FORBIDDEN_CODE;
        return FORBIDDEN;
    }
    if (c->state != S_OPEN && c->state != S_READY) {
        b->code = c->state == S_DOWN ? UNAVAILABLE_CODE : INTERNAL_CODE;
        return c->state == S_DOWN ? UNAVAILABLE : INTERNAL;
    }
    if (run_joined(c, b, m, &msg)) {
        return msg;
    }
    if (!plan(c, b, m, &p, &r)) {
        return failed(c, b, m, r);
    }
    if ((vals = bind_values(c, b, m, &msg)) == NULL) {
        return msg;
    }
    sibs = m->nparent > 0 ? siblings(c, b) : NULL;
    if (c->state != S_OPEN && c->state != S_READY) {
        b->code = INTERNAL_CODE;        /* a sibling's recovery failed */
        return INTERNAL;
    }
    nodes = b->nodes && b->nodes->nelts ? b->nodes->nelts : 1;
    for (i = 0; sibs && i < sibs->nelts; i++) {
        nodes += APR_ARRAY_IDX(sibs, i, sib_t).b.nodes->nelts;
    }
    if (!c->retried) {
        c->statements++;                /* the siblings: keep_siblings */
    }
    last = is_last(c, nodes);
    c->running = m->label;
    if (!send_stmt(c, &p, n, vals, sibs, last, &piped)) {
        if (piped) {
            end_pipeline(c);
        }
        return failed(c, b, m, NULL);
    }
    msg = receive(c, b, m, &p, sibs, piped, last, &retry);
    if (retry) {
        /* The backend lost its statements (DEALLOCATE ALL): back to where
         * the statement started, and once more. */
        if (restart(c)) {
            /* nothing ran: BEGIN goes again */
        }
        else if (c->kind == GQL_OP_MUTATION && c->statements == 1) {
            end(c, "ROLLBACK");
            c->state = S_READY;
        }
        else {
            recover(c);
        }
        if (c->state != S_OPEN && c->state != S_READY) {
            b->code = INTERNAL_CODE;
            return INTERNAL;
        }
        c->retried = 1;
        msg = run_sql(c, b, m);
        c->retried = 0;
    }
    return msg;
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
        const row_t *row = parent_row(b, i);
        json_object *sub = member(b->parents[i], row, m->column);
        const char *text = member_text(c->p, b->parents[i], row, m->column);

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

/* Each parent's member or column name (gql_execute_resolve_property,
 * rows included): a column kept as text is handed on as its text. */
static const char *columns(gql_resolve_t *b, const char *name)
{
    const shape_t *sh = NULL;
    int i, at = -1;

    for (i = 0; i < b->count; i++) {
        const row_t *row = parent_row(b, i);
        const cell_t *cell;

        if (row != NULL && row->sh != sh) {
            sh = row->sh;               /* the rows of a batch share one */
            at = column(sh, name);
        }
        cell = row != NULL && at >= 0 ? &row->cells[at] : NULL;

        if (cell != NULL && cell->text.kind != GQL_TEXT_NONE) {
            b->texts[i] = cell->text;
        }
        else {
            b->results[i] = gql_json_ref(cell ? cell->v
                                         : member(b->parents[i], row, name));
        }
    }
    return NULL;
}

static const char *resolve(gql_resolve_t *b)
{
    gql_sql_ctx_t *c = b->ctx;
    const gql_sql_map_t *m = map_of(c, b->field);

    if (m == NULL) {
        return columns(b, b->field->name);
    }
    switch (m->kind) {
    case GQL_MAP_COLUMN:
        return columns(b, m->column);
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
