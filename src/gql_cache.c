/* Licensed under the Apache License, Version 2.0 (the "License"); you may
 * not use this file except in compliance with the License.  You may obtain
 * a copy of the License at http://www.apache.org/licenses/LICENSE-2.0
 */

/*
 * gql_cache.c: prepared documents kept per process (gql_cache.h).
 *
 *   hash: key -> entry          key = schema, options, text
 *   ring: most recently used first; the last one goes when full
 *
 *   entry: own pool (no parent) { key, document }, refs (requests that
 *          hold it), gone (out of the hash and ring: destroyed when
 *          refs drops to 0)
 *
 * Preparing happens outside the lock: two threads that miss on one text
 * at once both prepare it, and the second keeps its own for its request
 * only.  The lock is held for hash and ring updates, never for work that
 * grows with the document.
 */

#include <string.h>
#include <apr_hash.h>
#include <apr_ring.h>
#include <apr_strings.h>
#if APR_HAS_THREADS
#include <apr_thread_mutex.h>
#endif
#include "gql_cache.h"

typedef struct entry_t entry_t;
struct entry_t {
    APR_RING_ENTRY(entry_t) link;
    apr_pool_t *pool;
    const char *key;
    apr_size_t klen;
    const gql_prepared_t *doc;
    int refs;
    int gone;
};

APR_RING_HEAD(ring_t, entry_t);

struct gql_cache_t {
    apr_hash_t *map;
    struct ring_t lru;
    int count;
    int max_entries;
    apr_size_t max_text;
#if APR_HAS_THREADS
    apr_thread_mutex_t *lock;
#endif
};

typedef struct hold_t {
    gql_cache_t *c;
    entry_t *e;
} hold_t;

static void lock(gql_cache_t *c)
{
#if APR_HAS_THREADS
    apr_thread_mutex_lock(c->lock);
#else
    (void)c;
#endif
}

static void unlock(gql_cache_t *c)
{
#if APR_HAS_THREADS
    apr_thread_mutex_unlock(c->lock);
#else
    (void)c;
#endif
}

/* Out of the hash and the ring; destroyed now unless a request holds it
 * (with the lock held). */
static void evict(gql_cache_t *c, entry_t *e)
{
    apr_hash_set(c->map, e->key, (apr_ssize_t)e->klen, NULL);
    APR_RING_REMOVE(e, link);
    c->count--;
    e->gone = 1;
    if (e->refs == 0) {
        apr_pool_destroy(e->pool);
    }
}

static apr_status_t release(void *data)
{
    hold_t *h = data;
    int drop;

    lock(h->c);
    drop = --h->e->refs == 0 && h->e->gone;
    unlock(h->c);
    if (drop) {
        apr_pool_destroy(h->e->pool);
    }
    return APR_SUCCESS;
}

/* rp holds e until it goes (with the lock held). */
static void hold(gql_cache_t *c, apr_pool_t *rp, entry_t *e)
{
    hold_t *h = apr_palloc(rp, sizeof(*h));

    h->c = c;
    h->e = e;
    e->refs++;
    apr_pool_cleanup_register(rp, h, release, apr_pool_cleanup_null);
}

static apr_status_t destroy_all(void *data)
{
    gql_cache_t *c = data;

    while (!APR_RING_EMPTY(&c->lru, entry_t, link)) {
        evict(c, APR_RING_LAST(&c->lru));
    }
    return APR_SUCCESS;
}

gql_cache_t *gql_cache_make(apr_pool_t *p, int max_entries,
                            apr_size_t max_text)
{
    gql_cache_t *c = apr_pcalloc(p, sizeof(*c));

    c->map = apr_hash_make(p);
    APR_RING_INIT(&c->lru, entry_t, link);
    c->max_entries = max_entries > 0 ? max_entries : 0;
    c->max_text = max_text;
#if APR_HAS_THREADS
    apr_thread_mutex_create(&c->lock, APR_THREAD_MUTEX_DEFAULT, p);
#endif
    /* Registered after the mutex's own cleanup, so it runs before it. */
    apr_pool_cleanup_register(p, c, destroy_all, apr_pool_cleanup_null);
    return c;
}

int gql_cache_count(gql_cache_t *c)
{
    int n;

    lock(c);
    n = c->count;
    unlock(c);
    return n;
}

/* What tells two documents apart besides their text: the schema, the
 * validation options and the cost model, as their bytes (the key is only
 * ever hashed and compared, with its length), then the text. */
typedef struct key_head_t {
    const gql_schema_t *schema;
    const void *cost;
    apr_int64_t list_size;
    int introspection, max_depth, max_tokens, max_aliases, max_root_fields,
        max_fields, max_mutation_fields;
} key_head_t;

static char *make_key(apr_pool_t *p, const gql_schema_t *schema,
                      const gql_validate_opts_t *opts, const char *text,
                      apr_size_t len, apr_size_t *klen)
{
    static const gql_validate_opts_t none = { .introspection = 1 };
    key_head_t h;
    char *key;

    opts = opts ? opts : &none;
    memset(&h, 0, sizeof(h));           /* no padding byte left unset */
    h.schema = schema;
    h.cost = opts->cost;
    h.list_size = opts->list_size;
    h.introspection = opts->introspection;
    h.max_depth = opts->max_depth;
    h.max_tokens = opts->max_tokens;
    h.max_aliases = opts->max_aliases;
    h.max_root_fields = opts->max_root_fields;
    h.max_fields = opts->max_fields;
    h.max_mutation_fields = opts->max_mutation_fields;
    key = apr_palloc(p, sizeof(h) + len + 1);
    memcpy(key, &h, sizeof(h));
    memcpy(key + sizeof(h), text, len);
    key[sizeof(h) + len] = '\0';
    *klen = sizeof(h) + len;
    return key;
}

/* A hit: the entry, moved to the front and held by rp. */
static const gql_prepared_t *lookup(gql_cache_t *c, apr_pool_t *rp,
                                    const char *key, apr_size_t klen)
{
    entry_t *e;

    lock(c);
    e = apr_hash_get(c->map, key, (apr_ssize_t)klen);
    if (e != NULL) {
        APR_RING_REMOVE(e, link);
        APR_RING_INSERT_HEAD(&c->lru, e, entry_t, link);
        hold(c, rp, e);
    }
    unlock(c);
    return e ? e->doc : NULL;
}

/* Keep e, unless another thread kept the same text meanwhile. */
static void insert(gql_cache_t *c, apr_pool_t *rp, entry_t *e)
{
    lock(c);
    if (apr_hash_get(c->map, e->key, (apr_ssize_t)e->klen) != NULL) {
        e->gone = 1;                    /* this request's own copy */
    }
    else {
        while (c->count >= c->max_entries) {
            evict(c, APR_RING_LAST(&c->lru));
        }
        apr_hash_set(c->map, e->key, (apr_ssize_t)e->klen, e);
        APR_RING_INSERT_HEAD(&c->lru, e, entry_t, link);
        c->count++;
    }
    hold(c, rp, e);
    unlock(c);
}

const gql_prepared_t *gql_cache_prepare(gql_cache_t *c, apr_pool_t *rp,
                                        const gql_schema_t *schema,
                                        const gql_validate_opts_t *opts,
                                        const char *text, apr_size_t len,
                                        apr_array_header_t *errors,
                                        int *hit)
{
    const gql_prepared_t *doc;
    apr_size_t klen;
    const char *key;
    entry_t *e;
    apr_pool_t *ep;

    if (hit != NULL) {
        *hit = 0;
    }
    if (c == NULL || c->max_entries == 0 || len > c->max_text) {
        return gql_document_prepare(rp, rp, schema, text, len, opts, errors);
    }
    key = make_key(rp, schema, opts, text, len, &klen);
    if ((doc = lookup(c, rp, key, klen)) != NULL) {
        if (hit != NULL) {
            *hit = 1;
        }
        return doc;
    }
    if (apr_pool_create_unmanaged_ex(&ep, NULL, NULL) != APR_SUCCESS) {
        return gql_document_prepare(rp, rp, schema, text, len, opts, errors);
    }
    doc = gql_document_prepare(ep, rp, schema, text, len, opts, errors);
    if (doc == NULL) {
        apr_pool_destroy(ep);
        return NULL;
    }
    e = apr_pcalloc(ep, sizeof(*e));
    e->pool = ep;
    e->key = apr_pmemdup(ep, key, klen + 1);
    e->klen = klen;
    e->doc = doc;
    APR_RING_ELEM_INIT(e, link);
    insert(c, rp, e);
    return doc;
}
