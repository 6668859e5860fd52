/* Licensed under the Apache License, Version 2.0 (the "License"); you may
 * not use this file except in compliance with the License.  You may obtain
 * a copy of the License at http://www.apache.org/licenses/LICENSE-2.0
 */

/*
 * gql_schema_load.c: SDL files or documents -> one checked, immutable
 * schema.  This file runs the build; gql_schema.c makes the types and
 * gql_schema_check.c holds the rules, and neither calls the other back.
 *
 * Building runs in two phases, as graphql-js's buildASTSchema does:
 *
 *   1. SDL validation on the syntax trees alone (unique names, known types
 *      and directives, directive locations and arguments, type extensions).
 *      Its problems make every later step meaningless, so when it reports
 *      anything the build stops there, with all of them.
 *   2. Build the types, then check the type-system rules of the
 *      specification on them (root types, fields and arguments, interfaces,
 *      unions, enums, input objects, values of defaults and of applied
 *      directive arguments).
 *
 * Errors are reported in a stable order: by file (in the order given),
 * line, column, then message.
 */

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <apr_strings.h>
#include <apr_file_io.h>
#include <apr_file_info.h>
#include "gql_parser.h"
#include "gql_schema.h"
#include "gql_schema_int.h"

typedef struct sorted_t {
    gql_error_t *e;
    int file;
    unsigned int line, column;
    int seq;
} sorted_t;

static int sortcmp(const void *x, const void *y)
{
    const sorted_t *a = x, *b = y;
    int m;

    if (a->file != b->file) {
        return a->file < b->file ? -1 : 1;
    }
    if (a->line != b->line) {
        return a->line < b->line ? -1 : 1;
    }
    if (a->column != b->column) {
        return a->column < b->column ? -1 : 1;
    }
    m = strcmp(a->e->message, b->e->message);
    return m ? m : a->seq - b->seq;
}

/* Errors by file (in the order given), line, column, message. */
static void flush_errors(gql_build_t *c, const gql_document_t *const *docs,
                         int ndocs, apr_array_header_t *errors)
{
    apr_hash_t *order = apr_hash_make(c->tp);
    sorted_t *s;
    int i, n = c->errs->nelts;

    for (i = ndocs - 1; i >= 0; i--) {
        if (docs[i]->source) {
            apr_hash_set(order, docs[i]->source, APR_HASH_KEY_STRING,
                         (void *)(apr_uintptr_t)(i + 1));
        }
    }
    s = apr_palloc(c->tp, sizeof(*s) * (n + 1));
    for (i = 0; i < n; i++) {
        gql_error_t *e = APR_ARRAY_IDX(c->errs, i, gql_error_t *);
        const gql_loc_t *loc = e->locations->nelts
            ? &APR_ARRAY_IDX(e->locations, 0, gql_loc_t) : NULL;

        s[i].e = e;
        s[i].file = e->source && loc ? (int)(apr_uintptr_t)apr_hash_get(
            order, e->source, APR_HASH_KEY_STRING) : 0;
        s[i].line = loc ? loc->line : 0;
        s[i].column = loc ? loc->column : 0;
        s[i].seq = i;
    }
    qsort(s, n, sizeof(*s), sortcmp);
    for (i = 0; i < n; i++) {
        APR_ARRAY_PUSH(errors, gql_error_t *) = s[i].e;
    }
}

gql_schema_t *gql_schema_build(apr_pool_t *p, apr_pool_t *ptemp,
                               const gql_schema_vocab_t *const *vocabs,
                               const gql_document_t *const *docs, int ndocs,
                               apr_array_header_t *errors)
{
    gql_build_t ctx, *c = &ctx;

    memset(c, 0, sizeof(*c));
    c->p = p;
    c->tp = ptemp;
    c->errs = gql_errors_make(ptemp);
    c->src0 = ndocs > 0 ? docs[0]->source : NULL;
    c->items = apr_array_make(ptemp, 64, sizeof(gql_item_t *));
    c->bitems = apr_array_make(ptemp, 32, sizeof(gql_item_t *));
    c->btypes = apr_hash_make(ptemp);
    c->bdirs = apr_hash_make(ptemp);
    c->deftypes = apr_hash_make(ptemp);
    c->dirs = apr_hash_make(ptemp);
    c->knownnames = apr_array_make(ptemp, 64, sizeof(const char *));
    c->typedirs = apr_hash_make(ptemp);
    c->schemadirs = apr_hash_make(ptemp);
    c->tinfo = apr_hash_make(ptemp);
    if (gql_schema_gather(c, vocabs, docs, ndocs)) {
        gql_schema_check_sdl(c);
    }
    if (c->errs->nelts == 0) {
        gql_schema_make(c);
        gql_schema_check_types(c);
        if (c->errs->nelts == 0) {
            gql_schema_map_types(c->s, ptemp);
        }
    }
    flush_errors(c, docs, ndocs, errors);
    return c->errs->nelts ? NULL : c->s;
}

/* Reads a whole file into p; NULL and *rv on failure. */
static char *slurp(apr_pool_t *p, const char *file, apr_size_t *len,
                   apr_status_t *rv)
{
    apr_file_t *f;
    apr_finfo_t fi;
    char *buf = NULL;

    *rv = apr_file_open(&f, file, APR_FOPEN_READ | APR_FOPEN_BINARY,
                        APR_FPROT_OS_DEFAULT, p);
    if (*rv != APR_SUCCESS) {
        return NULL;
    }
    *rv = apr_file_info_get(&fi, APR_FINFO_SIZE | APR_FINFO_TYPE, f);
    if (*rv == APR_SUCCESS && fi.filetype == APR_DIR) {
        *rv = APR_FROM_OS_ERROR(EISDIR);
    }
    if (*rv == APR_SUCCESS) {
        buf = apr_palloc(p, (apr_size_t)fi.size + 1);
        *len = 0;
        if (fi.size > 0) {
            *rv = apr_file_read_full(f, buf, (apr_size_t)fi.size, len);
        }
        buf[*len] = '\0';
    }
    apr_file_close(f);
    return *rv == APR_SUCCESS ? buf : NULL;
}

gql_schema_t *gql_schema_load(apr_pool_t *p, apr_pool_t *ptemp,
                              const gql_schema_vocab_t *const *vocabs,
                              const char *const *files, int nfiles,
                              apr_array_header_t *errors)
{
    const gql_document_t **docs = apr_palloc(ptemp, sizeof(*docs)
                                             * (nfiles + 1));
    int i, bad = 0;

    for (i = 0; i < nfiles; i++) {
        apr_size_t len;
        apr_status_t rv;
        gql_error_t *err = NULL;
        char msg[256];
        /* the schema points into the tree, so text and tree live in p */
        const char *text = slurp(p, files[i], &len, &rv);

        if (text == NULL) {
            gql_error_add(p, errors, NULL, "cannot read: %s",
                          apr_strerror(rv, msg, sizeof(msg)))->source =
                files[i];
            bad = 1;
            continue;
        }
        docs[i] = gql_parse(p, text, len, files[i], &err);
        if (docs[i] == NULL) {
            if (err->source == NULL) {
                err->source = files[i];
            }
            APR_ARRAY_PUSH(errors, gql_error_t *) = err;
            bad = 1;
        }
    }
    return bad ? NULL : gql_schema_build(p, ptemp, vocabs, docs, nfiles,
                                         errors);
}
