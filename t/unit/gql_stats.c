/* Licensed under the Apache License, Version 2.0 (the "License"); you may
 * not use this file except in compliance with the License.  You may obtain
 * a copy of the License at http://www.apache.org/licenses/LICENSE-2.0
 */

/*
 * t/unit/gql_stats.c: the shared counters.  What two child processes add,
 * each in its slot, the parent reads; codes map to their counters, NULL
 * to none and an unknown one to other; slots out of range are ignored.
 */

#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include <apr_general.h>
#include "gql_stats.h"
#include "tap.h"

static apr_pool_t *pool;

static void child(gql_stats_t *s, int slot)
{
    int i;

    gql_stats_claim(s, slot, (apr_uint32_t)getpid());
    for (i = 0; i < 1000; i++) {
        gql_stats_add(s, slot, GQL_STAT_REQUESTS, 1);
        gql_stats_add(s, slot, GQL_STAT_SQL_US, 5000000);
    }
    _exit(0);
}

static void test_children(void)
{
    const char *why = NULL;
    gql_stats_t *s = gql_stats_make(pool, 4, &why);
    pid_t pids[2];
    int i, st;

    setup_ok(s != NULL, "a shared segment");
    if (s == NULL) {
        diag("%s", why);
        return;
    }
    ok(gql_stats_slots(s) == 4, "four slots");
    for (i = 0; i < 2; i++) {
        pids[i] = fork();
        if (pids[i] == 0) {
            child(s, i + 1);
        }
    }
    for (i = 0; i < 2; i++) {
        waitpid(pids[i], &st, 0);
    }
    ok(gql_stats_get(s, 1, GQL_STAT_REQUESTS) == 1000
       && gql_stats_get(s, 2, GQL_STAT_REQUESTS) == 1000,
       "each child's requests, read by the parent");
    ok(gql_stats_get(s, 1, GQL_STAT_SQL_US) == 5000000000ULL,
       "a count past 32 bits");
    ok(gql_stats_pid(s, 2) == (apr_uint32_t)pids[1], "the slot's pid");
    ok(gql_stats_get(s, 0, GQL_STAT_REQUESTS) == 0, "an unused slot: 0");
    gql_stats_add(s, 4, GQL_STAT_REQUESTS, 1);
    gql_stats_add(s, -1, GQL_STAT_REQUESTS, 1);
    ok(gql_stats_get(s, 4, GQL_STAT_REQUESTS) == 0, "past the slots: none");
}

static void test_codes(void)
{
    ok(gql_stats_code(NULL) == GQL_CODE_NONE, "no code: none");
    ok(gql_stats_code("UNAUTHENTICATED") == GQL_CODE_UNAUTHENTICATED,
       "UNAUTHENTICATED");
    ok(gql_stats_code("INTERNAL_SERVER_ERROR")
       == GQL_CODE_INTERNAL_SERVER_ERROR, "the last named one");
    ok(gql_stats_code("TEAPOT") == GQL_CODE_OTHER, "another code: other");
    is_str(gql_stats_names[GQL_STAT_CODES + GQL_CODE_FORBIDDEN], "FORBIDDEN",
           "names in the order of the codes");
    is_str(gql_stats_names[GQL_NSTATS - 1], "other", "the table's end");
}

int main(void)
{
    apr_initialize();
    apr_pool_create(&pool, NULL);
    test_children();
    test_codes();
    apr_pool_destroy(pool);
    apr_terminate();
    return tap_done();
}
