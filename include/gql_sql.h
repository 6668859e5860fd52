/* Licensed under the Apache License, Version 2.0 (the "License"); you may
 * not use this file except in compliance with the License.  You may obtain
 * a copy of the License at http://www.apache.org/licenses/LICENSE-2.0
 */

/*
 * gql_sql.h: the SQL mapping (@table, @column, @sql, @sqlError, @jwt) and
 * the resolvers that run it through libpq on a pooled connection.
 *
 * Configuration time: the schema is built with gql_sql_vocab, the
 * mapping's directives; gql_sql_compile() then reads them, checks them and
 * compiles each @sql into a statement (placeholders -> parameters), into a
 * table kept in the configuration pool beside the schema.  Request time:
 * gql_sql_begin() makes a per-request context whose resolvers
 * (gql_sql_resolvers) the executor calls level by level; gql_sql_finish()
 * commits or rolls back.  The glue gives the context a way to get the
 * connection (lazily: no database work for requests that need none) and
 * to log.
 *
 * Right after acquire() returns a connection, a cleanup on the pool given
 * to gql_sql_begin() is registered that rolls back an open transaction,
 * so a connection never goes back to mod_dbd's pool inside one (that
 * cleanup runs before the release that ap_dbd_acquire registered).
 * The transaction carries the caller: in the round trip of BEGIN,
 * set_config('request.jwt.claims', CLAIMS, true) (PostgREST's name and
 * shape: the verified claims as JSON, or {} without a caller) and, when
 * env.role is set, set_config('role', ROLE, true), which is SET LOCAL
 * ROLE; both end with the transaction, so nothing of one request is left
 * on the pooled connection for the next.  That statement is prepared
 * once per connection (gql_caller, gql_caller_role), in the pipeline.
 *
 * Field errors carry extensions.code: UNAUTHENTICATED, FORBIDDEN,
 * DATABASE_UNAVAILABLE,
 * RESULT_TOO_LARGE, REQUEST_TIMEOUT, STATEMENT_LIMIT_EXCEEDED,
 * BAD_USER_INPUT (a list nested too deeply), INTERNAL_SERVER_ERROR or an
 * @sqlError's code.  Log tags, one per
 * call site: GQL00003 (a pooled connection the server closed,
 * reconnected), GQL00030 (a statement failed: field, SQLSTATE, driver
 * text), GQL00031 (database unavailable), GQL00032 (BEGIN failed),
 * GQL00033 (COMMIT or ROLLBACK at the end failed), GQL00034 (a result
 * that cannot be read), GQL00035 (@jwt with no secret), GQL00036 (an
 * @sqlError answered, at info level), GQL00037 (an @jwt subject that is
 * not a scalar), GQL00038 (a request's results reached
 * GraphQLMaxResultSize), GQL00039 (ROLLBACK TO SAVEPOINT failed),
 * GQL00040 and GQL00041 (setting the session's statement_timeout or
 * generic plans failed), GQL00042 (SAVEPOINT failed), GQL00044 (the
 * request's claims or role could not be set: a role the connecting user
 * cannot take is FORBIDDEN), GQL00043 (a COMMIT
 * that went with a query's last statement failed), GQL00050 (a request
 * passed its deadline, at info level), GQL00051 (a request reached
 * its statement limit, at info level).
 */

#ifndef GQL_SQL_H
#define GQL_SQL_H

#include "gql_execute.h"

/* The mapping's directives (@table, @column, @sql, @sqlError, @jwt), for
 * gql_schema_build() or gql_schema_load(): hidden, so that introspection
 * never shows them. */
extern const gql_schema_vocab_t gql_sql_vocab;

/* The compiled mapping of one schema: how each field is resolved.  Made
 * by gql_sql_compile() in the configuration pool and then only read, by
 * every request at once; the caller keeps it next to its schema. */
typedef struct gql_sql_mapping_t gql_sql_mapping_t;

/* One field's compiled mapping (private to the SQL stage). */
typedef struct gql_sql_map_t gql_sql_map_t;

/* Check the mapping of every field of s and compile its statements.
 * Appends one error per problem (with source and location).  Returns the
 * mapping, in p (the schema's pool), or NULL when errors gained any.  s is
 * only read. */
gql_sql_mapping_t *gql_sql_compile(apr_pool_t *p, apr_pool_t *ptemp,
                                   const gql_schema_t *s,
                                   apr_array_header_t *errors);

/* The mapping of field f, or NULL when it has none (it reads the column
 * of its name in its parent row).  Read-only, thread-safe. */
const gql_sql_map_t *gql_sql_mapping_find(const gql_sql_mapping_t *m,
                                          const gql_field_t *f);

/* Whether a field of m runs SQL (@sql), so that serving the schema needs
 * a database connection (mod_dbd); @column and @jwt read the parent row
 * only. */
int gql_sql_needs_database(const gql_sql_mapping_t *m);

/* One @sql statement of a mapping: its text as the resolvers prepare it
 * (each placeholder a parameter, $n), and where the schema wrote it. */
typedef struct gql_sql_stmt_t {
    const char *label;          /* "Type.field" */
    const char *text;
    const char *source;         /* the schema file */
    gql_loc_t loc;              /* of @sql's query argument */
} gql_sql_stmt_t;

/* Every @sql statement of m (gql_sql_stmt_t), ordered by file, line and
 * column, in p.  Read-only on m. */
apr_array_header_t *gql_sql_stmts_list(apr_pool_t *p,
                                       const gql_sql_mapping_t *m);

/* Check every statement of m against the database conninfo names
 * (libpq's keywords or URI, as mod_dbd's DBDParams for pgsql), on a
 * connection of its own, closed before it returns: each is prepared
 * (parsed, its names resolved and its types checked, never run) and
 * deallocated.  Each statement PostgreSQL refuses appends one error, in
 * p, with the statement's source and position and PostgreSQL's message
 * (an unknown table, column or function, a wrong type).  Returns 0, or
 * -1 when the database cannot be reached (*why, in p, says why; then
 * nothing is appended).  connect_timeout is 10 seconds unless conninfo
 * sets it. */
int gql_sql_check(apr_pool_t *p, const char *conninfo,
                  const gql_sql_mapping_t *m, apr_array_header_t *errors,
                  const char **why);

/* How many fields of m run SQL (@sql). */
int gql_sql_fields(const gql_sql_mapping_t *m);

/* Whether field f of m runs a statement of its own (@sql), as the cost
 * model (gql_cost.h) asks: the form of gql_cost_statement_fn, with m as
 * its baton. */
int gql_sql_runs_statement(const void *m, const gql_field_t *f);

typedef struct gql_sql_env_t {
    /* The connection (libpq's PGconn), acquired on first use; NULL when
     * the database is unavailable (then *why says what happened, for the
     * log).  *conn_pool may be set to a pool that lives exactly as long
     * as that connection: what the SQL stage learns of the connection
     * (what it has prepared, whether it is alive) is kept there, with no
     * lock, since a pooled connection serves one request at a time.  Left
     * NULL, nothing is kept beyond the request. */
    void *(*acquire)(void *baton, apr_pool_t **conn_pool, const char **why);
    /* A log line for the server's error log: tag ("GQL00010"), message
     * (may hold SQLSTATE and driver text; never shown to clients). */
    void (*log)(void *baton, int is_error, const char *tag,
                const char *message);
    void *baton;
    json_object *claims;            /* the verified caller, or NULL */
    /* The role the request's statements run as, which gql_sql_role()
     * chose; NULL: the connecting user's (no role is set). */
    const char *role;
    const unsigned char *jwt_secret; /* for @jwt; NULL: @jwt fields fail */
    apr_size_t jwt_secret_len;
    apr_int64_t jwt_lifetime;       /* seconds */
    int statement_timeout_ms;       /* 0: none */
    /* The JSON text (bytes) all statements of the request may return;
     * past it the field fails with RESULT_TOO_LARGE and no further
     * statement runs.  0: no limit. */
    apr_size_t max_result_size;
    /* When the request must be over (apr_time_now()'s clock): no
     * statement is sent after it, and one still running then is
     * cancelled; waiting for results polls the connection no longer
     * than until then.  Those fields, and every later SQL field, fail
     * with REQUEST_TIMEOUT.  0: none. */
    apr_time_t deadline;
    int request_timeout_ms;         /* what deadline came from, to say */
    /* The statements a request may run, counted as gql_sql_statements()
     * counts them; the field whose statement would pass it runs nothing
     * and fails with STATEMENT_LIMIT_EXCEEDED, as does every later SQL
     * field.  0: no limit. */
    int max_statements;
} gql_sql_env_t;

/* Which role a request takes (GraphQLRoleClaim, GraphQLAnonymousRole,
 * GraphQLDefaultRole, GraphQLRoles); every member NULL: none, requests
 * run as the connecting user. */
typedef struct gql_sql_roles_t {
    const char *claim;          /* the claim naming the role, a dotted path
                                 * into nested claims ("app.role") */
    const char *anonymous;      /* the role without a caller */
    const char *fallback;       /* a caller's whose claims name none */
    /* The roles the claim may name (const char *), or NULL. */
    const apr_array_header_t *allowed;
} gql_sql_roles_t;

/* The role of a request whose caller has claims (NULL: no caller) under
 * r, into *role (NULL: the connecting user's, when r sets nothing).
 * Returns 0, or refuses the request before it runs: 401 when there is no
 * caller and no anonymous role, 403 when the claim names a role that is
 * not allowed (or is not a string), or names none and there is no
 * fallback; *why is then a sentence for the client (static: it echoes
 * nothing of the token).  Only configured roles are ever chosen. */
int gql_sql_role(const gql_sql_roles_t *r, json_object *claims,
                 const char **role, const char **why);

/* Whether name can be a role of the directives above: NULL, or what is
 * wrong with it, in p ("none" would reset the role, longer than 63 bytes
 * PostgreSQL cuts). */
const char *gql_sql_role_check(apr_pool_t *p, const char *name);

/* Whether path is a claim's dotted path ("role", "app.role"): NULL, or
 * what is wrong with it, in p. */
const char *gql_sql_claim_check(apr_pool_t *p, const char *path);

typedef struct gql_sql_ctx_t gql_sql_ctx_t;

/* A request's context, in p, for the operation op (which it reads, to
 * tell which statement is a query's last) on s, whose mapping
 * (gql_sql_compile()) is maps. */
gql_sql_ctx_t *gql_sql_begin(apr_pool_t *p, const gql_schema_t *s,
                             const gql_sql_mapping_t *maps,
                             const gql_sql_env_t *env,
                             const gql_operation_t *op);

/* The resolvers to give gql_execute_run. */
void gql_sql_resolvers(gql_sql_ctx_t *c, gql_resolvers_t *out);

/* End the transaction: COMMIT, or ROLLBACK when a mutation has any error
 * (then res->data becomes null).  Returns 0, or 503 when the database was
 * unavailable at some point (the glue answers 503). */
int gql_sql_finish(gql_sql_ctx_t *c, gql_result_t *res);

/* Statements run so far (not counting BEGIN, COMMIT, SET). */
int gql_sql_statements(const gql_sql_ctx_t *c);

/* Microseconds the request has waited for the database's answers so far
 * (its statements' results, COMMIT, ROLLBACK), not counting the wait
 * for a pooled connection. */
apr_interval_time_t gql_sql_waited(const gql_sql_ctx_t *c);

/*
 * Subscriptions (gql_sql_event.c).  A Subscription field maps to SQL with
 * @listen(channel: "NAME") and @sql, whose $event is the payload of a
 * notification on that channel and $event.member a member of it read as
 * a JSON object; each notification runs the operation once, as a query
 * (gql_sql_begin() with the subscriber's caller and a root value made by
 * gql_sql_event_row()).
 */

/* The channel that op, a subscription of s (whose mapping is m), listens
 * on: its root field's @listen; NULL when that field has none.  *field
 * is the root field's name (static or the schema's). */
const char *gql_sql_channel(const gql_sql_mapping_t *m,
                            const gql_schema_t *s,
                            const gql_operation_t *op, const char **field);

/* The root value of one event: a new JSON object (the caller owns its
 * reference) whose member "" is the payload's len bytes as a string, and
 * whose other members are the payload's when it is a JSON object. */
json_object *gql_sql_event_row(const char *payload, apr_size_t len);

/* Resolvers for an event's execution: the SQL stage's (gql_sql_resolvers)
 * which also record in no_row that the Subscription field's statement
 * returned no row (its value null with no error): then the event is not
 * the subscriber's, and no response is sent.  ev lives as long as the
 * execution. */
typedef struct gql_sql_event_t {
    gql_resolvers_t inner;
    int no_row;
} gql_sql_event_t;

void gql_sql_event_resolvers(gql_sql_ctx_t *c, gql_sql_event_t *ev,
                             gql_resolvers_t *out);

/*
 * A readiness check: run SELECT 1 on conn (libpq's PGconn, pooled, idle:
 * in no transaction) with its pool conn_pool, waiting timeout_ms at most
 * for the answer (then the statement is cancelled).  A connection the
 * server closed is reconnected first, as gql_sql_begin's would be.
 * Returns 1 when the database answered, or 0 with *why (in p, one line).
 */
int gql_sql_ping(apr_pool_t *p, apr_pool_t *conn_pool, void *conn,
                 int timeout_ms, const char **why);

#endif /* GQL_SQL_H */
