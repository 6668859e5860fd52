/* Licensed under the Apache License, Version 2.0 (the "License"); you may
 * not use this file except in compliance with the License.  You may obtain
 * a copy of the License at http://www.apache.org/licenses/LICENSE-2.0
 */

/*
 * gql_stats.c: the request counters shared by httpd's children (see
 * gql_stats.h for the layout).
 */

#include <string.h>
#include <apr_atomic.h>
#include <apr_shm.h>

#include "gql_stats.h"

typedef struct row {
    volatile apr_uint32_t pid;
    volatile apr_uint64_t n[GQL_NSTATS];
} row;

struct gql_stats_t {
    row *slots;                     /* in the shared segment */
    int nslots;
};

/* ORDER STAT, then ORDER CODE */
const char *const gql_stats_names[GQL_NSTATS] = {
    "requests", "errors", "statements", "sql_us", "acquires", "pool_us",
    "none", "BAD_USER_INPUT", "UNAUTHENTICATED", "FORBIDDEN",
    "COST_LIMIT_EXCEEDED", "ALIAS_LIMIT_EXCEEDED",
    "ROOT_FIELD_LIMIT_EXCEEDED", "FIELD_LIMIT_EXCEEDED",
    "STATEMENT_LIMIT_EXCEEDED", "RESULT_TOO_LARGE", "REQUEST_TIMEOUT",
    "DATABASE_UNAVAILABLE", "INTERNAL_SERVER_ERROR", "other"
};

gql_stats_t *gql_stats_make(apr_pool_t *p, int slots, const char **why)
{
    gql_stats_t *s;
    apr_shm_t *shm;
    apr_size_t size = sizeof(row) * (apr_size_t)(slots > 0 ? slots : 1);

    if (apr_atomic_init(p) != APR_SUCCESS
        || apr_shm_create(&shm, size, NULL, p) != APR_SUCCESS) {
        *why = "no anonymous shared memory";
        return NULL;
    }
    s = apr_palloc(p, sizeof(*s));
    s->slots = apr_shm_baseaddr_get(shm);
    s->nslots = slots > 0 ? slots : 1;
    memset(s->slots, 0, size);
    return s;
}

int gql_stats_slots(const gql_stats_t *s)
{
    return s->nslots;
}

int gql_stats_code(const char *code)
{
    int i;

    if (code == NULL) {
        return GQL_CODE_NONE;
    }
    for (i = GQL_CODE_NONE + 1; i < GQL_CODE_OTHER; i++) {
        if (strcmp(code, gql_stats_names[GQL_STAT_CODES + i]) == 0) {
            return i;
        }
    }
    return GQL_CODE_OTHER;
}

void gql_stats_claim(gql_stats_t *s, int slot, apr_uint32_t pid)
{
    if (slot >= 0 && slot < s->nslots) {
        apr_atomic_set32(&s->slots[slot].pid, pid);
    }
}

void gql_stats_add(gql_stats_t *s, int slot, int which, apr_uint64_t n)
{
    if (slot >= 0 && slot < s->nslots && which >= 0 && which < GQL_NSTATS
        && n > 0) {
        apr_atomic_add64(&s->slots[slot].n[which], n);
    }
}

apr_uint64_t gql_stats_get(const gql_stats_t *s, int slot, int which)
{
    if (slot < 0 || slot >= s->nslots || which < 0 || which >= GQL_NSTATS) {
        return 0;
    }
    return apr_atomic_read64(&s->slots[slot].n[which]);
}

apr_uint32_t gql_stats_pid(const gql_stats_t *s, int slot)
{
    return slot >= 0 && slot < s->nslots
           ? apr_atomic_read32(&s->slots[slot].pid) : 0;
}
