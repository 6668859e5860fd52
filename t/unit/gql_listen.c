/* Licensed under the Apache License, Version 2.0 (the "License"); you may
 * not use this file except in compliance with the License.  You may obtain
 * a copy of the License at http://www.apache.org/licenses/LICENSE-2.0
 */

/*
 * t/unit/gql_listen.c: a listener against a real PostgreSQL (run under
 * t/bin/with-pg, whose PGHOST, PGPORT, PGUSER and PGDATABASE libpq
 * reads).  Notifications reach their channel's subscribers in order and
 * no other; a wait with none ends in time; the limit; a queue that
 * overflows; a connection killed (its subscribers told, the next one
 * served by a new connection); closing; a database that cannot be
 * reached.
 */

#include <stdio.h>
#include <string.h>
#include <apr_general.h>
#include <apr_strings.h>
#include <apr_time.h>
#include <libpq-fe.h>
#include "gql_listen.h"
#include "tap.h"

#define WAIT apr_time_from_sec(5)

static apr_pool_t *pool;
static PGconn *pg;              /* the notifier's */

static void sql(const char *text)
{
    PGresult *r = PQexec(pg, text);

    if (PQresultStatus(r) != PGRES_COMMAND_OK
        && PQresultStatus(r) != PGRES_TUPLES_OK) {
        diag("%s: %s", text, PQerrorMessage(pg));
    }
    PQclear(r);
}

/* The next event's payload, or what came instead ("TICK", "LOST"...). */
static const char *next(gql_listen_sub_t *s, apr_interval_time_t t)
{
    static const char *const names[] = {
        "EVENT", "TICK", "LOST", "BEHIND", "CLOSED"
    };
    const char *payload = NULL;
    apr_size_t len = 0;
    gql_listen_e e = gql_listen_next(s, t, pool, &payload, &len);

    return e == GQL_LISTEN_EVENT ? payload : names[e];
}

/* Wait for the final word of s, events before it skipped. */
static const char *last(gql_listen_sub_t *s)
{
    const char *w;
    int i;

    for (i = 0; i < 2 * GQL_LISTEN_QUEUE + 50; i++) {
        w = next(s, WAIT);
        if (strcmp(w, "LOST") == 0 || strcmp(w, "BEHIND") == 0
            || strcmp(w, "CLOSED") == 0 || strcmp(w, "TICK") == 0) {
            return w;
        }
    }
    return "EVENTS";
}

static void test_events(gql_listen_t *l)
{
    gql_listen_sub_t *a, *b, *c;
    const char *why = NULL;
    apr_pool_t *p;

    apr_pool_create(&p, pool);
    ok(gql_listen_subscribe(l, p, "c1", 0, WAIT, &a, &why) == 0,
       "a subscriber of c1");
    if (why) {
        diag("%s", why);
    }
    ok(gql_listen_subscribe(l, p, "c2", 0, WAIT, &b, &why) == 0,
       "one of c2");
    ok(gql_listen_count(l) == 2, "two subscribers");
    ok(gql_listen_subscribe(l, p, "c1", 2, WAIT, &c, &why) == 1 && c == NULL,
       "a third, past a limit of 2: refused");
    sql("NOTIFY c1, 'one'");
    sql("NOTIFY c2, 'other'");
    sql("BEGIN; NOTIFY c1, 'two'; NOTIFY c1, 'three'; COMMIT");
    is_str(next(a, WAIT), "one", "the first notification");
    is_str(next(a, WAIT), "two", "the second");
    is_str(next(a, WAIT), "three", "the third, in order");
    is_str(next(a, apr_time_from_msec(100)), "TICK",
           "then none: the wait ends in time");
    is_str(next(b, WAIT), "other", "c2's only to its subscriber");
    /* One more than the queue holds, delivered at once by one commit,
     * read only once they are all there. */
    sql(apr_psprintf(p, "BEGIN; SELECT pg_notify('c1', g::text) FROM "
                     "generate_series(0, %d) g; COMMIT", GQL_LISTEN_QUEUE));
    apr_sleep(apr_time_from_msec(300));
    is_str(last(a), "BEHIND", "a queue that overflows: behind");
    is_str(next(a, 0), "BEHIND", "for good");
    sql("NOTIFY c2, 'still'");
    is_str(next(b, WAIT), "still", "the others go on");
    apr_pool_destroy(p);
    ok(gql_listen_count(l) == 0, "the pool's cleanup unsubscribes");
}

static void test_lost(gql_listen_t *l)
{
    gql_listen_sub_t *a, *b;
    const char *why = NULL;
    apr_pool_t *p;

    apr_pool_create(&p, pool);
    ok(gql_listen_subscribe(l, p, "c3", 0, WAIT, &a, &why) == 0,
       "a subscriber of c3");
    sql("NOTIFY c3, 'before'");
    is_str(next(a, WAIT), "before", "its event");
    sql("SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
        "WHERE application_name = 'mod_graphql listener'");
    is_str(next(a, WAIT), "LOST", "the connection killed: lost");
    ok(gql_listen_subscribe(l, p, "c3", 0, WAIT, &b, &why) == 0,
       "a new subscriber: a new connection");
    sql("NOTIFY c3, 'after'");
    is_str(next(b, WAIT), "after", "which listens");
    is_str(next(a, 0), "LOST", "the lost one stays lost");
    gql_listen_close(l);
    is_str(next(b, WAIT), "CLOSED", "closing: closed");
    ok(gql_listen_subscribe(l, p, "c3", 0, WAIT, &a, &why) == 1,
       "no subscriber after");
    apr_pool_destroy(p);
}

static void test_unreachable(void)
{
    gql_listen_t *l = gql_listen_make(pool, "host=127.0.0.1 port=1 "
                                      "connect_timeout=2");
    gql_listen_sub_t *a = NULL;
    const char *why = NULL;

    ok(gql_listen_subscribe(l, pool, "c4", 0, WAIT, &a, &why) == -1
       && a == NULL, "a database that cannot be reached: refused");
    ok(why && strstr(why, "cannot connect") != NULL, "saying why");
    if (why) {
        diag("%s", why);
    }
}

int main(void)
{
    gql_listen_t *l;

    apr_initialize();
    apr_pool_create(&pool, NULL);
    pg = PQconnectdb("");
    if (!setup_ok(PQstatus(pg) == CONNECTION_OK, "PostgreSQL")) {
        diag("%s", PQerrorMessage(pg));
        return tap_done();
    }
    l = gql_listen_make(pool, "");
    test_events(l);
    test_lost(l);
    test_unreachable();
    PQfinish(pg);
    apr_pool_destroy(pool);
    apr_terminate();
    return tap_done();
}
