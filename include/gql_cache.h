/* Licensed under the Apache License, Version 2.0 (the "License"); you may
 * not use this file except in compliance with the License.  You may obtain
 * a copy of the License at http://www.apache.org/licenses/LICENSE-2.0
 */

/*
 * gql_cache.h: prepared documents (gql_document.h) kept for the requests
 * that send the same text again, so that a repeated document costs its
 * execution only.
 *
 * One cache serves a process and all its threads (a mutex guards it).  It
 * is keyed by the text, the schema and the validation options, so one
 * text under two locations of different settings is two entries.  It
 * holds at most max_entries documents, least recently used out first,
 * and only texts of at most max_text bytes (a document's syntax tree is
 * many times its text: the bound on the text is what bounds the memory).
 * Only documents that parse and validate are kept; a failing one costs
 * what it costs without a cache, every time.
 *
 * Each document lives in a pool of its own, made without a parent so
 * that threads never share a parent pool.  A request holds its document
 * until its pool goes: one evicted meanwhile is destroyed when the last
 * request that holds it ends.
 */

#ifndef GQL_CACHE_H
#define GQL_CACHE_H

#include "gql_document.h"

typedef struct gql_cache_t gql_cache_t;

/* A cache in p (which it lives as long as; what it still holds is
 * destroyed with it).  max_entries 0 makes a cache that keeps nothing. */
gql_cache_t *gql_cache_make(apr_pool_t *p, int max_entries,
                            apr_size_t max_text);

/*
 * The prepared document of text[0..len) for schema and opts, as
 * gql_document_prepare() gives it: from the cache, or prepared now and
 * kept when it may be.  It stays valid, read-only, until rp (the
 * request's pool) is cleared or destroyed.  NULL with the errors appended
 * to errors (allocated in rp) when the text does not parse or validate.
 * *hit (may be NULL) says whether the cache had it.
 */
const gql_prepared_t *gql_cache_prepare(gql_cache_t *c, apr_pool_t *rp,
                                        const gql_schema_t *schema,
                                        const gql_validate_opts_t *opts,
                                        const char *text, apr_size_t len,
                                        apr_array_header_t *errors,
                                        int *hit);

/* How many documents the cache holds now. */
int gql_cache_count(gql_cache_t *c);

#endif /* GQL_CACHE_H */
