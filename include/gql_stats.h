/* Licensed under the Apache License, Version 2.0 (the "License"); you may
 * not use this file except in compliance with the License.  You may obtain
 * a copy of the License at http://www.apache.org/licenses/LICENSE-2.0
 */

/*
 * gql_stats.h: counters of GraphQL requests that every child process
 * adds to and any child reads (mod_status's page): one shared memory
 * segment, made by the parent before it forks, with a slot per child
 * process (the glue numbers them as httpd's scoreboard does), each a row
 * of 64-bit counters updated with atomic adds, so that no lock is taken.
 *
 *   +--------+-----------------------------------------------+
 *   | slot 0 | pid | requests errors statements ... codes... |
 *   | slot 1 | pid | ...                                     |
 *   |  ...   |                                               |
 *   +--------+-----------------------------------------------+
 *
 * A slot's counts carry over to the child that takes the slot after one
 * that ended; the segment lives as long as the pool it is made in (the
 * configuration's: a restart starts from zero).
 */

#ifndef GQL_STATS_H
#define GQL_STATS_H

#include <apr.h>
#include <apr_pools.h>

/* The counters of a slot.  ORDER STAT: gql_stats_names. */
typedef enum {
    GQL_STAT_REQUESTS,              /* GraphQL requests answered */
    GQL_STAT_ERRORS,                /* errors in their responses */
    GQL_STAT_STATEMENTS,            /* SQL statements run */
    GQL_STAT_SQL_US,                /* microseconds waiting for them */
    GQL_STAT_ACQUIRES,              /* pooled connections taken */
    GQL_STAT_POOL_US,               /* microseconds waiting for the pool */
    GQL_STAT_CODES                  /* first of the error codes' counts */
} gql_stat_e;

/* The errors counted by extensions.code, after the counters above.
 * ORDER CODE: gql_stats_codes. */
enum {
    GQL_CODE_NONE,                  /* no code: syntax, validation, ... */
    GQL_CODE_BAD_USER_INPUT,
    GQL_CODE_UNAUTHENTICATED,
    GQL_CODE_FORBIDDEN,
    GQL_CODE_COST_LIMIT_EXCEEDED,
    GQL_CODE_ALIAS_LIMIT_EXCEEDED,
    GQL_CODE_ROOT_FIELD_LIMIT_EXCEEDED,
    GQL_CODE_FIELD_LIMIT_EXCEEDED,
    GQL_CODE_STATEMENT_LIMIT_EXCEEDED,
    GQL_CODE_RESULT_TOO_LARGE,
    GQL_CODE_REQUEST_TIMEOUT,
    GQL_CODE_DATABASE_UNAVAILABLE,
    GQL_CODE_INTERNAL_SERVER_ERROR,
    GQL_CODE_OTHER,                 /* any other code */
    GQL_NCODES
};

#define GQL_NSTATS (GQL_STAT_CODES + GQL_NCODES)

/* The counters' names for mod_status's page (GQL_STAT_CODES + i: the
 * code's name, "none" and "other" for the two that are no code). */
extern const char *const gql_stats_names[GQL_NSTATS];

typedef struct gql_stats_t gql_stats_t;

/* A segment of slots zeroed counters, anonymous shared memory of p's
 * lifetime (then detached); NULL and *why (static) when the system gives
 * none. */
gql_stats_t *gql_stats_make(apr_pool_t *p, int slots, const char **why);

int gql_stats_slots(const gql_stats_t *s);

/* The index of extensions.code (NULL: GQL_CODE_NONE). */
int gql_stats_code(const char *code);

/* Mark slot as the child pid's (the glue calls it on a child's first
 * request), add n to counter which of slot, and read them; a slot out of
 * range is ignored (0). */
void gql_stats_claim(gql_stats_t *s, int slot, apr_uint32_t pid);
void gql_stats_add(gql_stats_t *s, int slot, int which, apr_uint64_t n);
apr_uint64_t gql_stats_get(const gql_stats_t *s, int slot, int which);
apr_uint32_t gql_stats_pid(const gql_stats_t *s, int slot);

#endif /* GQL_STATS_H */
