/* Licensed under the Apache License, Version 2.0 (the "License"); you may
 * not use this file except in compliance with the License.  You may obtain
 * a copy of the License at http://www.apache.org/licenses/LICENSE-2.0
 */

/*
 * gql_sql_conn.c: what the SQL stage knows of one pooled connection, kept
 * as long as the connection lives: whether it is still alive, which
 * statements its backend has prepared (and how they describe their
 * columns and parameters), and the statement_timeout its session has.
 *
 * The state hangs off the pool that lives exactly as long as the pooled
 * connection (mod_dbd gives one to each), as that pool's user data, so it
 * needs no lock: a pooled connection serves one request at a time.  It
 * holds for one backend only: PQbackendPID tells a reconnected connection
 * (PQreset after PostgreSQL restarted) apart without asking the server,
 * and a new backend starts with nothing prepared.  A backend that lost
 * its statements some other way (DEALLOCATE ALL, DISCARD ALL) says so
 * with SQLSTATE 26000 when one is run; the run stage then forgets them
 * all (gql_sql_conn_forget) and prepares again.
 *
 *   conn pool (the connection's lifetime)
 *     +-- gql_sql_conn_t: pid, timeout
 *     +-- cache subpool: prepared names, described statements;
 *         destroyed and made again when forgotten or past MAX_PREPARED
 */

#include <poll.h>
#include <stddef.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <netinet/in.h>
#ifdef __linux__
#include <linux/tcp.h>
#endif
#include <apr_strings.h>
#include "gql_sql_int.h"

#define CONN_KEY "gql_sql_conn"

/* Distinct statements one backend keeps before they are all dropped:
 * bounds both the server's memory and the cache's. */
#define MAX_PREPARED 512

static void fresh_cache(gql_sql_conn_t *k)
{
    if (k->cache_pool != NULL) {
        apr_pool_destroy(k->cache_pool);
    }
    apr_pool_create(&k->cache_pool, k->pool);
    k->prepared = apr_hash_make(k->cache_pool);
    k->described = apr_hash_make(k->cache_pool);
    k->nprepared = 0;
}

/* A pooled connection that the server closed while it sat in the pool
 * (PostgreSQL restarted) still says CONNECTION_OK until libpq reads from
 * it.  An idle connection is sent nothing, so a readable socket means the
 * server's goodbye: read it, and libpq notices the connection is gone.
 * One poll(2) with no wait when all is well. */
static int still_alive(PGconn *conn)
{
    int i;

    for (i = 0; i < 2 && PQstatus(conn) == CONNECTION_OK; i++) {
        struct pollfd pfd;

        pfd.fd = PQsocket(conn);
        pfd.events = POLLIN;
        pfd.revents = 0;
        if (pfd.fd < 0 || poll(&pfd, 1, 0) == 0) {
            break;
        }
        PQconsumeInput(conn);
    }
    return PQstatus(conn) == CONNECTION_OK;
}

gql_sql_conn_t *gql_sql_conn_attach(apr_pool_t *conn_pool, PGconn *pg,
                                    int *reconnected)
{
    gql_sql_conn_t *k = NULL;
    void *data = NULL;

    *reconnected = 0;
    if (!still_alive(pg)) {
        /* PQreset reconnects with the connection's own parameters
         * (DBDParams; connect_timeout bounds it). */
        *reconnected = 1;
        PQreset(pg);
    }
    if (PQstatus(pg) != CONNECTION_OK) {
        return NULL;
    }
    apr_pool_userdata_get(&data, CONN_KEY, conn_pool);
    k = data;
    if (k == NULL || k->pg != pg) {
        k = apr_pcalloc(conn_pool, sizeof(*k));
        k->pool = conn_pool;
        k->pg = pg;
        k->pid = -1;
        apr_pool_userdata_setn(k, CONN_KEY, NULL, conn_pool);
    }
    if (k->pid != PQbackendPID(pg)) {
        k->pid = PQbackendPID(pg);
        k->timeout_ms = -1;
        k->counts = -1;
        fresh_cache(k);
    }
    return k;
}

void gql_sql_conn_forget(gql_sql_conn_t *k)
{
    fresh_cache(k);
}

/* In k->prepared: "" prepared, "!" refused. */
int gql_sql_conn_is_prepared(const gql_sql_conn_t *k, const char *name)
{
    const char *v = apr_hash_get(k->prepared, name, APR_HASH_KEY_STRING);

    return v != NULL && *v == '\0';
}

void gql_sql_conn_refuse(gql_sql_conn_t *k, const char *name)
{
    apr_hash_set(k->prepared, apr_pstrdup(k->cache_pool, name),
                 APR_HASH_KEY_STRING, "!");
    k->nprepared++;
}

int gql_sql_conn_refused(const gql_sql_conn_t *k, const char *name)
{
    const char *v = apr_hash_get(k->prepared, name, APR_HASH_KEY_STRING);

    return v != NULL && *v == '!';
}

/* 42P05: the backend has the statement already, as its name says (the
 * name follows from the text): it was forgotten with the others when a
 * statement of the backend's was found gone, but this one was not. */
static int duplicate(const char *state)
{
    return state != NULL && strcmp(state, "42P05") == 0;
}

void gql_sql_conn_remember(gql_sql_conn_t *k, const char *name)
{
    apr_hash_set(k->prepared, apr_pstrdup(k->cache_pool, name),
                 APR_HASH_KEY_STRING, "");
    k->nprepared++;
}

PGresult *gql_sql_conn_prepare(gql_sql_conn_t *k, const char *name,
                               const char *sql)
{
    PGresult *r;

    if (k->nprepared >= MAX_PREPARED
        && PQtransactionStatus(k->pg) == PQTRANS_IDLE) {
        PQclear(PQexec(k->pg, "DEALLOCATE ALL"));
        fresh_cache(k);
    }
    r = PQprepare(k->pg, name, sql, 0, NULL);
    if (PQresultStatus(r) != PGRES_COMMAND_OK
        && !(PQtransactionStatus(k->pg) == PQTRANS_IDLE
             && duplicate(PQresultErrorField(r, PG_DIAG_SQLSTATE)))) {
        return r;
    }
    PQclear(r);
    gql_sql_conn_remember(k, name);
    return NULL;
}

int gql_sql_conn_counts(gql_sql_conn_t *k)
{
    apr_uint64_t n;

    if (k->counts < 0) {
        k->counts = gql_sql_conn_taken(k->pg, &n);
    }
    return k->counts;
}

/* What arrived on the socket (tcpi_bytes_received, Linux 4.1 and later)
 * less what waits in it to be read (FIONREAD). */
int gql_sql_conn_taken(PGconn *pg, apr_uint64_t *n)
{
#if defined(__linux__) && defined(TCP_INFO)
    struct tcp_info ti;
    socklen_t len = sizeof(ti);
    int fd = PQsocket(pg), waiting = 0;

    memset(&ti, 0, sizeof(ti));
    if (fd < 0 || getsockopt(fd, IPPROTO_TCP, TCP_INFO, &ti, &len) != 0
        || len < offsetof(struct tcp_info, tcpi_bytes_received)
                 + sizeof(ti.tcpi_bytes_received)
        || ioctl(fd, FIONREAD, &waiting) != 0 || waiting < 0) {
        return 0;
    }
    *n = (apr_uint64_t)ti.tcpi_bytes_received - (apr_uint64_t)waiting;
    return 1;
#else
    (void)pg;
    (void)n;
    return 0;
#endif
}
