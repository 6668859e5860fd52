/* Licensed under the Apache License, Version 2.0 (the "License"); you may
 * not use this file except in compliance with the License.  You may obtain
 * a copy of the License at http://www.apache.org/licenses/LICENSE-2.0
 */

/*
 * util.h: what the unit tests (and bench/hostile-memory.c) share besides
 * TAP: reading a case's files, listing the case directories, the
 * process's peak memory.  Header-only like tap.h; the
 * functions are static inline so that a test may leave one unused.
 */

#ifndef UTIL_H
#define UTIL_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <apr_file_io.h>
#include <apr_file_info.h>
#include <apr_strings.h>
#include <apr_tables.h>

/* The text of the file at path, NUL-terminated, with its length in *len
 * when len is not NULL; NULL when the file cannot be opened or read. */
static APR_INLINE char *slurp(apr_pool_t *p, const char *path,
                              apr_size_t *len)
{
    apr_file_t *f;
    apr_finfo_t fi;
    apr_size_t n = 0;
    char *buf;

    if (len != NULL) {
        *len = 0;
    }
    if (apr_file_open(&f, path, APR_FOPEN_READ | APR_FOPEN_BINARY,
                      APR_FPROT_OS_DEFAULT, p) != APR_SUCCESS) {
        return NULL;
    }
    if (apr_file_info_get(&fi, APR_FINFO_SIZE, f) != APR_SUCCESS) {
        apr_file_close(f);
        return NULL;
    }
    buf = apr_palloc(p, (apr_size_t)fi.size + 1);
    if (fi.size > 0
        && apr_file_read_full(f, buf, (apr_size_t)fi.size, &n)
           != APR_SUCCESS) {
        apr_file_close(f);
        return NULL;
    }
    buf[n] = '\0';
    apr_file_close(f);
    if (len != NULL) {
        *len = n;
    }
    return buf;
}

static APR_INLINE int cmpstr(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* The names in dir, sorted: those that end with suffix, or with suffix
 * NULL the directories, leaving out names that start with '_' (shared
 * data such as validate's _schemas, not cases).  Names that start with
 * '.' are never listed.  NULL when dir cannot be opened. */
static APR_INLINE apr_array_header_t *list(apr_pool_t *p, const char *dir,
                                           const char *suffix)
{
    apr_array_header_t *out = apr_array_make(p, 64, sizeof(const char *));
    apr_dir_t *d;
    apr_finfo_t fi;

    if (apr_dir_open(&d, dir, p) != APR_SUCCESS) {
        return NULL;
    }
    while (apr_dir_read(&fi, APR_FINFO_NAME | APR_FINFO_TYPE, d)
           == APR_SUCCESS) {
        size_t n = strlen(fi.name);

        if (fi.name[0] == '.') {
            continue;
        }
        if (suffix == NULL ? fi.filetype == APR_DIR && fi.name[0] != '_'
            : (n > strlen(suffix)
               && strcmp(fi.name + n - strlen(suffix), suffix) == 0)) {
            APR_ARRAY_PUSH(out, const char *) = apr_pstrdup(p, fi.name);
        }
    }
    apr_dir_close(d);
    qsort(out->elts, (size_t)out->nelts, sizeof(const char *), cmpstr);
    return out;
}

/* The process's peak resident set in KiB (VmHWM of /proc/self/status),
 * or 0 where there is no such file. */
static APR_INLINE long peak_kb(void)
{
    char line[256];
    long kb = 0;
    FILE *f = fopen("/proc/self/status", "r");

    while (f != NULL && fgets(line, sizeof(line), f) != NULL) {
        if (strncmp(line, "VmHWM:", 6) == 0) {
            kb = atol(line + 6);
        }
    }
    if (f != NULL) {
        fclose(f);
    }
    return kb;
}

#endif /* UTIL_H */
