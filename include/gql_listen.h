/* Licensed under the Apache License, Version 2.0 (the "License"); you may
 * not use this file except in compliance with the License.  You may obtain
 * a copy of the License at http://www.apache.org/licenses/LICENSE-2.0
 */

/*
 * gql_listen.h: a child's PostgreSQL notifications, fanned out to its
 * subscribers.
 *
 * One listener per child process and database: one libpq connection of
 * its own (never a pooled one: it stays in LISTEN for as long as it
 * lives), opened by a thread of the listener when the first subscriber
 * arrives.  That thread alone uses the connection: it sends LISTEN for
 * each channel a subscriber asks for, waits on the socket (poll) and
 * copies each notification into the bounded queue of every subscriber of
 * its channel, in the order PostgreSQL delivered them.  A subscriber's
 * thread waits on its own condition for the next one.
 *
 *   listener ---- mutex: subscribers, channels, state
 *     |  thread: PGconn, poll(socket, wake pipe)
 *     +-- subscriber -- cond, queue[GQL_LISTEN_QUEUE] (payload copies,
 *     +-- subscriber    in a pool of its own), flags lost / behind
 *
 * A subscriber whose queue is full when a notification comes is behind:
 * it gets GQL_LISTEN_BEHIND and ends, so that memory stays bounded.  A
 * lost connection makes every subscriber of the time GQL_LISTEN_LOST
 * (after what was queued before); the next subscriber opens a new one.
 * Nothing is delivered twice.  Every call is thread-safe.
 */

#ifndef GQL_LISTEN_H
#define GQL_LISTEN_H

#include <apr_pools.h>
#include <apr_time.h>

/* Notifications a subscriber may have waiting; one more makes it
 * behind. */
#define GQL_LISTEN_QUEUE 64

typedef struct gql_listen_t gql_listen_t;
typedef struct gql_listen_sub_t gql_listen_sub_t;

/* What gql_listen_next() found. */
typedef enum {
    GQL_LISTEN_EVENT,           /* a notification: its payload */
    GQL_LISTEN_TICK,            /* none within the time given */
    GQL_LISTEN_LOST,            /* the connection was lost */
    GQL_LISTEN_BEHIND,          /* the queue overflowed: events missed */
    GQL_LISTEN_CLOSED           /* the listener is closing (the child
                                 * stops) */
} gql_listen_e;

/* A listener for the database conninfo names (libpq's keywords or URI;
 * connect_timeout is 10 s unless it says, application_name is
 * "mod_graphql listener"), in p (a child's pool), which owns its thread
 * and connection: p's cleanup closes it (gql_listen_close).  Nothing is
 * opened yet. */
gql_listen_t *gql_listen_make(apr_pool_t *p, const char *conninfo);

/* Subscribe to channel (an identifier gql_sql_compile() checked) with
 * *sub made in p: p's cleanup unsubscribes.  Waits at most wait for the
 * connection and the LISTEN.  Returns 0; 1 when max (> 0) subscribers
 * are already there (nothing made); -1 when the database cannot be
 * reached or LISTEN failed (*why, in p, for the log). */
int gql_listen_subscribe(gql_listen_t *l, apr_pool_t *p, const char *channel,
                         int max, apr_interval_time_t wait,
                         gql_listen_sub_t **sub, const char **why);

/* The next notification of sub, waiting at most timeout: its payload
 * (copied into p, *len bytes, NUL-terminated) with GQL_LISTEN_EVENT, or
 * what else happened.  LOST, BEHIND and CLOSED are final. */
gql_listen_e gql_listen_next(gql_listen_sub_t *sub, apr_interval_time_t timeout,
                             apr_pool_t *p, const char **payload,
                             apr_size_t *len);

/* Subscribers now. */
int gql_listen_count(gql_listen_t *l);

/* Close: every subscriber gets GQL_LISTEN_CLOSED, the thread ends and the
 * connection with it.  Runs from the cleanup of gql_listen_make's pool;
 * calling it again does nothing. */
void gql_listen_close(gql_listen_t *l);

#endif /* GQL_LISTEN_H */
