/* Licensed under the Apache License, Version 2.0 (the "License"); you may
 * not use this file except in compliance with the License.  You may obtain
 * a copy of the License at http://www.apache.org/licenses/LICENSE-2.0
 */

/*
 * gql_throttle.c: log lines by tag and interval, and the back-off of an
 * unavailable resource, for a child's threads (gql_throttle.h).
 */

#include <apr_hash.h>
#include <apr_strings.h>
#include <apr_thread_mutex.h>
#include "gql_throttle.h"

/* What is known of one tag's lines. */
typedef struct line_t {
    apr_time_t last;            /* when one was last written */
    apr_uint64_t held;          /* held back since */
    int written;                /* one was, ever */
} line_t;

struct gql_throttle_t {
#if APR_HAS_THREADS
    apr_thread_mutex_t *lock;
#endif
    apr_pool_t *pool;           /* own: keys, allocated under the lock */
    apr_interval_time_t interval;
    apr_hash_t *lines;          /* key -> line_t */
    /* the resource */
    int down;                   /* the last try failed */
    int trying;                 /* a caller tries after the back-off */
    apr_time_t since;           /* the first failure of this outage */
    apr_time_t until;           /* no try before */
    apr_interval_time_t backoff;
    apr_uint64_t failed;        /* callers failed since */
};

/* Take the lock (on) or give it back: the child's threads share t. */
static void guard(gql_throttle_t *t, int on)
{
#if APR_HAS_THREADS
    (on ? apr_thread_mutex_lock : apr_thread_mutex_unlock)(t->lock);
#else
    (void)t;
    (void)on;
#endif
}

gql_throttle_t *gql_throttle_make(apr_pool_t *p,
                                  apr_interval_time_t interval)
{
    gql_throttle_t *t = apr_pcalloc(p, sizeof(*t));

    apr_pool_create(&t->pool, p);
#if APR_HAS_THREADS
    apr_thread_mutex_create(&t->lock, APR_THREAD_MUTEX_DEFAULT, p);
#endif
    t->interval = interval;
    t->lines = apr_hash_make(t->pool);
    return t;
}

/* Under the lock: key's line_t, made on first use. */
static line_t *line_of(gql_throttle_t *t, const char *key)
{
    line_t *l = apr_hash_get(t->lines, key, APR_HASH_KEY_STRING);

    if (l == NULL) {
        l = apr_pcalloc(t->pool, sizeof(*l));
        apr_hash_set(t->lines, apr_pstrdup(t->pool, key),
                     APR_HASH_KEY_STRING, l);
    }
    return l;
}

int gql_throttle_line(gql_throttle_t *t, const char *key, apr_time_t now,
                      apr_uint64_t *suppressed)
{
    line_t *l;
    int write;

    guard(t, 1);
    l = line_of(t, key);
    write = !l->written || now - l->last >= t->interval;
    if (write) {
        *suppressed = l->held;
        l->held = 0;
        l->last = now;
        l->written = 1;
    }
    else {
        l->held++;
    }
    guard(t, 0);
    return write;
}

apr_uint64_t gql_throttle_take(gql_throttle_t *t, const char *key)
{
    apr_uint64_t n;
    line_t *l;

    guard(t, 1);
    l = line_of(t, key);
    n = l->held;
    l->held = 0;
    guard(t, 0);
    return n;
}

int gql_throttle_try(gql_throttle_t *t, apr_time_t now)
{
    int try = 1;

    guard(t, 1);
    if (t->down && (t->trying || now < t->until)) {
        t->failed++;
        try = 0;
    }
    else if (t->down) {
        t->trying = 1;
    }
    guard(t, 0);
    return try;
}

/* A failure while a back-off runs is a try that began before it (another
 * thread's): it neither lengthens nor restarts it. */
apr_uint64_t gql_throttle_tried(gql_throttle_t *t, int ok, apr_time_t now,
                                apr_time_t *since)
{
    apr_uint64_t n = 0;

    guard(t, 1);
    t->trying = 0;
    if (ok && t->down) {
        n = t->failed;
        *since = t->since;
        t->down = 0;
        t->failed = 0;
    }
    else if (!ok) {
        t->failed++;
        if (!t->down) {
            t->down = 1;
            t->since = now;
            t->backoff = GQL_THROTTLE_BACKOFF;
            t->until = now + t->backoff;
        }
        else if (now >= t->until) {
            t->backoff = t->backoff * 2 > GQL_THROTTLE_MAX_BACKOFF
                         ? GQL_THROTTLE_MAX_BACKOFF : t->backoff * 2;
            t->until = now + t->backoff;
        }
    }
    guard(t, 0);
    return n;
}
