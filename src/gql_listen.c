/* Licensed under the Apache License, Version 2.0 (the "License"); you may
 * not use this file except in compliance with the License.  You may obtain
 * a copy of the License at http://www.apache.org/licenses/LICENSE-2.0
 */

/*
 * gql_listen.c: the child's listening connection and its subscribers
 * (gql_listen.h draws them).  The mutex guards everything but the
 * PGconn, which only the thread touches; the thread holds the mutex
 * only to read what to LISTEN and to copy notifications into queues,
 * never while it waits for the database.
 */

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <string.h>
#include <unistd.h>
#include <apr_hash.h>
#include <apr_strings.h>
#include <apr_thread_cond.h>
#include <apr_thread_mutex.h>
#include <apr_thread_proc.h>
#include <libpq-fe.h>
#include "gql_listen.h"

/* One queued payload; its buffer is kept for the next one. */
typedef struct slot_t {
    char *buf;
    apr_size_t cap;
    apr_size_t len;
} slot_t;

struct gql_listen_sub_t {
    gql_listen_t *l;
    apr_pool_t *pool;           /* the copies: l->pool's child */
    const char *channel;
    apr_thread_cond_t *cond;
    slot_t queue[GQL_LISTEN_QUEUE];
    int head, n;
    int lost, behind;
    gql_listen_sub_t *prev, *next;
};

struct gql_listen_t {
    apr_pool_t *pool;           /* allocator of its own, used under mutex */
    const char *conninfo;
    apr_thread_mutex_t *mutex;
    apr_thread_t *thread;       /* NULL: none started */
    int running;                /* the thread has not ended */
    int closing;
    int wake[2];                /* the thread's pipe: something to do */
    apr_hash_t *channels;       /* channel -> "": LISTEN sent (NULL
                                 * value: to send) */
    const char *failed;         /* the last connection's failure */
    int generation;             /* connections opened so far */
    gql_listen_sub_t *subs;
    int count;
};

static void wake(gql_listen_t *l)
{
    char c = 0;

    if (write(l->wake[1], &c, 1) < 0 && errno != EAGAIN) {
        /* the thread polls with a timeout anyway */
    }
}

/* Under the mutex: the connection is gone, and with it every subscriber
 * of the time. */
static void lose(gql_listen_t *l, const char *why)
{
    gql_listen_sub_t *s;

    for (s = l->subs; s; s = s->next) {
        s->lost = 1;
        apr_thread_cond_signal(s->cond);
    }
    apr_hash_clear(l->channels);
    l->failed = apr_pstrdup(l->pool, why);
    l->running = 0;
}

/* Under the mutex: a copy of n's payload at the tail of each of its
 * channel's queues. */
static void fan_out(gql_listen_t *l, const PGnotify *n)
{
    apr_size_t len = strlen(n->extra);
    gql_listen_sub_t *s;

    for (s = l->subs; s; s = s->next) {
        slot_t *q;

        if (s->lost || s->behind || strcmp(s->channel, n->relname) != 0) {
            continue;
        }
        if (s->n == GQL_LISTEN_QUEUE) {
            s->behind = 1;
            apr_thread_cond_signal(s->cond);
            continue;
        }
        q = &s->queue[(s->head + s->n++) % GQL_LISTEN_QUEUE];
        if (q->cap <= len) {
            q->cap = len < 64 ? 64 : len + 1;
            q->buf = apr_palloc(s->pool, q->cap);
        }
        memcpy(q->buf, n->extra, len + 1);
        q->len = len;
        apr_thread_cond_signal(s->cond);
    }
}

/* libpq's last error on pg as one line, in p. */
static const char *error_of(apr_pool_t *p, PGconn *pg)
{
    char *e = apr_pstrdup(p, pg ? PQerrorMessage(pg) : "out of memory");
    apr_size_t n = strlen(e);
    char *c;

    while (n > 0 && (e[n - 1] == '\n' || e[n - 1] == ' ')) {
        e[--n] = '\0';
    }
    for (c = e; *c; c++) {
        if (*c == '\n' || *c == '\t') {
            *c = ' ';
        }
    }
    return e;
}

/* LISTEN to every channel asked for since the last time; NULL or why
 * not. */
static const char *listen_new(gql_listen_t *l, PGconn *pg, apr_pool_t *tp)
{
    apr_array_header_t *todo = apr_array_make(tp, 4, sizeof(char *));
    apr_hash_index_t *hi;
    const char *why = NULL;
    int i;

    apr_thread_mutex_lock(l->mutex);
    for (hi = apr_hash_first(tp, l->channels); hi; hi = apr_hash_next(hi)) {
        if (*(const char *)apr_hash_this_val(hi) == '?') {
            APR_ARRAY_PUSH(todo, const char *) = apr_pstrdup(tp,
                                                    apr_hash_this_key(hi));
        }
    }
    apr_thread_mutex_unlock(l->mutex);
    for (i = 0; why == NULL && i < todo->nelts; i++) {
        const char *ch = APR_ARRAY_IDX(todo, i, const char *);
        PGresult *r = PQexec(pg, apr_pstrcat(tp, "LISTEN \"", ch, "\"",
                                             NULL));

        if (PQresultStatus(r) != PGRES_COMMAND_OK) {
            why = apr_pstrcat(tp, "LISTEN ", ch, ": ", error_of(tp, pg),
                              NULL);
        }
        PQclear(r);
    }
    apr_thread_mutex_lock(l->mutex);
    for (i = 0; why == NULL && i < todo->nelts; i++) {
        const char *ch = APR_ARRAY_IDX(todo, i, const char *);
        gql_listen_sub_t *s;

        if (apr_hash_get(l->channels, ch, APR_HASH_KEY_STRING) == NULL) {
            continue;                   /* lost meanwhile */
        }
        /* the key (in l->pool) stays; the value says LISTEN went */
        apr_hash_set(l->channels, ch, APR_HASH_KEY_STRING, "");
        for (s = l->subs; s; s = s->next) {
            if (strcmp(s->channel, ch) == 0) {
                apr_thread_cond_signal(s->cond);
            }
        }
    }
    apr_thread_mutex_unlock(l->mutex);
    return why;
}

/* libpq's notices (a backend's FATAL before it goes) are for no one: the
 * lost connection is reported as such. */
static void quiet(void *arg, const char *message)
{
    (void)arg;
    (void)message;
}

/* The connection, or NULL with *why. */
static PGconn *connect_db(gql_listen_t *l, apr_pool_t *tp, const char **why)
{
    /* conninfo's own connect_timeout wins; the name is ours. */
    static const char *const keys[] = {
        "connect_timeout", "dbname", "application_name", NULL
    };
    const char *values[] = { "10", l->conninfo, "mod_graphql listener",
                             NULL };
    PGconn *pg = PQconnectdbParams(keys, values, 1);

    if (pg == NULL || PQstatus(pg) != CONNECTION_OK) {
        *why = apr_pstrcat(tp, "cannot connect: ", error_of(tp, pg), NULL);
        PQfinish(pg);
        return NULL;
    }
    PQsetNoticeProcessor(pg, quiet, NULL);
    return pg;
}

/* Read what came (when the socket is readable), and the notifications
 * libpq holds (LISTEN's PQexec may have read some) into the queues.
 * NULL, or why the connection is lost. */
static const char *drain(gql_listen_t *l, PGconn *pg, int readable,
                         apr_pool_t *tp)
{
    PGnotify *n;

    if (readable && !PQconsumeInput(pg)) {
        return error_of(tp, pg);
    }
    apr_thread_mutex_lock(l->mutex);
    while ((n = PQnotifies(pg)) != NULL) {
        fan_out(l, n);
        PQfreemem(n);
    }
    apr_thread_mutex_unlock(l->mutex);
    return PQstatus(pg) == CONNECTION_OK ? NULL : "connection closed";
}

static void *APR_THREAD_FUNC run(apr_thread_t *t, void *data)
{
    gql_listen_t *l = data;
    apr_pool_t *tp;
    const char *why = NULL;
    PGconn *pg;
    char buf[64];

    apr_pool_create(&tp, NULL);
    pg = connect_db(l, tp, &why);
    while (pg != NULL && why == NULL) {
        struct pollfd fds[2];
        int closing;

        apr_thread_mutex_lock(l->mutex);
        closing = l->closing;
        apr_thread_mutex_unlock(l->mutex);
        if (closing) {
            break;
        }
        if ((why = listen_new(l, pg, tp)) != NULL) {
            break;
        }
        fds[0].fd = PQsocket(pg);
        fds[1].fd = l->wake[0];
        fds[0].events = fds[1].events = POLLIN;
        fds[0].revents = fds[1].revents = 0;
        if (poll(fds, 2, 1000) < 0 && errno != EINTR) {
            why = "poll failed";
        }
        while (fds[1].revents && read(l->wake[0], buf, sizeof(buf)) > 0) {
        }
        if (why == NULL) {
            why = drain(l, pg, fds[0].revents != 0, tp);
        }
        apr_pool_clear(tp);
    }
    apr_thread_mutex_lock(l->mutex);
    lose(l, why ? why : "closed");
    apr_thread_mutex_unlock(l->mutex);
    PQfinish(pg);
    apr_pool_destroy(tp);
    apr_thread_exit(t, APR_SUCCESS);
    return NULL;
}

static apr_status_t close_cleanup(void *data)
{
    gql_listen_close(data);
    return APR_SUCCESS;
}

gql_listen_t *gql_listen_make(apr_pool_t *p, const char *conninfo)
{
    gql_listen_t *l = apr_pcalloc(p, sizeof(*l));
    apr_allocator_t *a;
    apr_thread_mutex_t *am;

    /* The listener's thread and its subscribers' threads make and destroy
     * pools under l->pool: an allocator of its own, with a lock. */
    apr_allocator_create(&a);
    apr_thread_mutex_create(&am, APR_THREAD_MUTEX_DEFAULT, p);
    apr_allocator_mutex_set(a, am);
    apr_pool_create_ex(&l->pool, p, NULL, a);
    apr_allocator_owner_set(a, l->pool);
    l->conninfo = apr_pstrdup(p, conninfo);
    apr_thread_mutex_create(&l->mutex, APR_THREAD_MUTEX_DEFAULT, p);
    l->channels = apr_hash_make(l->pool);
    l->wake[0] = l->wake[1] = -1;
    if (pipe(l->wake) == 0) {
        fcntl(l->wake[0], F_SETFL, O_NONBLOCK);
        fcntl(l->wake[1], F_SETFL, O_NONBLOCK);
    }
    /* Before p's subpools go, l->pool among them, which the thread and
     * the subscribers use. */
    apr_pool_pre_cleanup_register(p, l, close_cleanup);
    return l;
}

/* Under the mutex: a thread for a new connection, the last one's joined. */
static int start(gql_listen_t *l, const char **why)
{
    apr_status_t rv;

    if (l->thread != NULL) {
        apr_thread_join(&rv, l->thread);
        l->thread = NULL;
    }
    l->failed = NULL;
    l->generation++;
    l->running = 1;
    if (l->wake[0] < 0 || apr_thread_create(&l->thread, NULL, run, l,
                                            l->pool) != APR_SUCCESS) {
        l->running = 0;
        l->thread = NULL;
        *why = "cannot start the listener's thread";
        return -1;
    }
    return 0;
}

static apr_status_t unsubscribe(void *data)
{
    gql_listen_sub_t *s = data;
    gql_listen_t *l = s->l;

    apr_thread_mutex_lock(l->mutex);
    if (s->prev) {
        s->prev->next = s->next;
    }
    else {
        l->subs = s->next;
    }
    if (s->next) {
        s->next->prev = s->prev;
    }
    l->count--;
    apr_thread_cond_destroy(s->cond);
    apr_pool_destroy(s->pool);
    apr_thread_mutex_unlock(l->mutex);
    return APR_SUCCESS;
}

/* Under the mutex: a new subscriber of channel in the list. */
static gql_listen_sub_t *add(gql_listen_t *l, const char *channel)
{
    apr_pool_t *sp;
    gql_listen_sub_t *s;

    apr_pool_create(&sp, l->pool);
    s = apr_pcalloc(sp, sizeof(*s));
    s->l = l;
    s->pool = sp;
    s->channel = apr_pstrdup(sp, channel);
    apr_thread_cond_create(&s->cond, sp);
    s->next = l->subs;
    if (l->subs) {
        l->subs->prev = s;
    }
    l->subs = s;
    l->count++;
    if (!apr_hash_get(l->channels, channel, APR_HASH_KEY_STRING)) {
        apr_hash_set(l->channels, apr_pstrdup(l->pool, channel),
                     APR_HASH_KEY_STRING, "?");
        wake(l);
    }
    return s;
}

int gql_listen_subscribe(gql_listen_t *l, apr_pool_t *p, const char *channel,
                         int max, apr_interval_time_t wait,
                         gql_listen_sub_t **sub, const char **why)
{
    apr_time_t until = apr_time_now() + wait;
    gql_listen_sub_t *s;
    const char *state;

    *sub = NULL;
    apr_thread_mutex_lock(l->mutex);
    if (l->closing || (max > 0 && l->count >= max)) {
        apr_thread_mutex_unlock(l->mutex);
        *why = "too many subscribers";
        return 1;
    }
    if (!l->running && start(l, why) != 0) {
        apr_thread_mutex_unlock(l->mutex);
        return -1;
    }
    s = add(l, channel);
    while (!s->lost && (state = apr_hash_get(l->channels, channel,
                                             APR_HASH_KEY_STRING)) != NULL
           && *state == '?' && apr_time_now() < until) {
        apr_thread_cond_timedwait(s->cond, l->mutex, until - apr_time_now());
    }
    state = apr_hash_get(l->channels, channel, APR_HASH_KEY_STRING);
    if (s->lost || state == NULL || *state == '?') {
        *why = apr_pstrdup(p, s->lost && l->failed ? l->failed
                           : "the listener did not LISTEN in time");
        apr_thread_mutex_unlock(l->mutex);
        unsubscribe(s);
        return -1;
    }
    apr_thread_mutex_unlock(l->mutex);
    apr_pool_cleanup_register(p, s, unsubscribe, apr_pool_cleanup_null);
    *sub = s;
    return 0;
}

gql_listen_e gql_listen_next(gql_listen_sub_t *s, apr_interval_time_t timeout,
                             apr_pool_t *p, const char **payload,
                             apr_size_t *len)
{
    gql_listen_t *l = s->l;
    gql_listen_e e = GQL_LISTEN_TICK;

    apr_thread_mutex_lock(l->mutex);
    if (s->n == 0 && !s->lost && !s->behind && !l->closing) {
        apr_thread_cond_timedwait(s->cond, l->mutex, timeout);
    }
    if (s->behind) {
        e = GQL_LISTEN_BEHIND;
    }
    else if (l->closing) {
        e = GQL_LISTEN_CLOSED;
    }
    else if (s->n > 0) {
        slot_t *q = &s->queue[s->head];

        *payload = apr_pstrmemdup(p, q->buf, q->len);
        *len = q->len;
        s->head = (s->head + 1) % GQL_LISTEN_QUEUE;
        s->n--;
        e = GQL_LISTEN_EVENT;
    }
    else if (s->lost) {
        e = GQL_LISTEN_LOST;
    }
    apr_thread_mutex_unlock(l->mutex);
    return e;
}

int gql_listen_count(gql_listen_t *l)
{
    int n;

    apr_thread_mutex_lock(l->mutex);
    n = l->count;
    apr_thread_mutex_unlock(l->mutex);
    return n;
}

void gql_listen_close(gql_listen_t *l)
{
    gql_listen_sub_t *s;
    apr_thread_t *t;
    apr_status_t rv;

    apr_thread_mutex_lock(l->mutex);
    if (l->closing) {
        apr_thread_mutex_unlock(l->mutex);
        return;
    }
    l->closing = 1;
    for (s = l->subs; s; s = s->next) {
        apr_thread_cond_signal(s->cond);
    }
    t = l->thread;
    l->thread = NULL;
    wake(l);
    apr_thread_mutex_unlock(l->mutex);
    if (t != NULL) {
        apr_thread_join(&rv, t);
    }
    if (l->wake[0] >= 0) {
        close(l->wake[0]);
        close(l->wake[1]);
    }
}
