/* Licensed under the Apache License, Version 2.0 (the "License"); you may
 * not use this file except in compliance with the License.  You may obtain
 * a copy of the License at http://www.apache.org/licenses/LICENSE-2.0
 */

/*
 * gql_throttle.h: what a child does less often while something fails for
 * every request: the error log's lines, one per tag and interval, and the
 * tries of an unavailable database, one per back-off.
 *
 * Without it a database that is down under load writes a few lines per
 * request (thousands a second) and has every request wait for a
 * connection attempt.  A throttle belongs to a child process and is shared
 * by its threads: a mutex guards it.  Times are passed in (apr_time_t), so
 * that a test can keep its own clock; nothing here reads the real one.
 */

#ifndef GQL_THROTTLE_H
#define GQL_THROTTLE_H

#include <apr_pools.h>
#include <apr_time.h>

/* The first back-off after a failed try, and the longest: it doubles from
 * one to the other while tries keep failing. */
#define GQL_THROTTLE_BACKOFF apr_time_from_sec(1)
#define GQL_THROTTLE_MAX_BACKOFF apr_time_from_sec(4)

typedef struct gql_throttle_t gql_throttle_t;

/* A throttle allocated in p (a child's pool; its state lives as long), of
 * one line per key and interval. */
gql_throttle_t *gql_throttle_make(apr_pool_t *p,
                                  apr_interval_time_t interval);

/*
 * Log lines.  Whether a line of key (what makes lines alike: a tag such
 * as "GQL00031", and what the line is about; copied on first use) may be
 * written at now: 1 for the first since the interval began, with
 * *suppressed set to the lines of key held back before it (the line says
 * so); 0 for the others, which are counted.  Keys are kept as long as the
 * throttle: they must come from a small set (the caller's tags and
 * subjects, never a client's text).
 */
int gql_throttle_line(gql_throttle_t *t, const char *key, apr_time_t now,
                      apr_uint64_t *suppressed);

/*
 * The lines of key held back and not yet said, now taken (the count is
 * reset): for a line that closes the condition, such as the database's
 * coming back.
 */
apr_uint64_t gql_throttle_take(gql_throttle_t *t, const char *key);

/*
 * Tries of a resource that may be unavailable.  gql_throttle_try: 1 when
 * the caller is to try it now (it is not known to be down, or its
 * back-off has passed and no other caller is trying: this one is), which
 * the caller then reports with gql_throttle_tried; 0 when the caller is to
 * fail at once, without trying (counted).
 *
 * gql_throttle_tried: the outcome of a try.  A failure starts the next
 * back-off.  A success after failures returns how many callers failed
 * since the first of them, tried or not, and *since the time of that
 * first one (the caller says the resource is back); otherwise 0.
 */
int gql_throttle_try(gql_throttle_t *t, apr_time_t now);
apr_uint64_t gql_throttle_tried(gql_throttle_t *t, int ok, apr_time_t now,
                                apr_time_t *since);

#endif /* GQL_THROTTLE_H */
