/* Licensed under the Apache License, Version 2.0 (the "License"); you may
 * not use this file except in compliance with the License.  You may obtain
 * a copy of the License at http://www.apache.org/licenses/LICENSE-2.0
 */

/*
 * bench/hostile-memory.c: what preparing a hostile document (parse and
 * validate, gql_document_prepare) costs the engine in memory and time,
 * against the Hackernews schema (schema/hackernews.graphql), without a
 * server.
 *
 *   build/bench/hostile-memory [MAX_TOKENS]   (0 by default: no limit)
 *
 * Each document is prepared in a child process of its own, so that each
 * figure is that document's alone: the growth of the child's peak
 * resident set (VmHWM of /proc/self/status) from the moment before to
 * the moment after, and the time prepare took.  It prints; it never
 * fails on a figure.
 */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>
#include <apr_general.h>
#include <apr_strings.h>
#include "gql_cost.h"
#include "gql_document.h"
#include "gql_sql.h"
#include "gql_writer.h"
#include "util.h"               /* peak_kb(), from t/unit */

#define SCHEMA "schema/hackernews.graphql"

static double now(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* "{ ", then n times item (a format given the item's index), "}". */
static const char *repeat(apr_pool_t *p, const char *item, int n)
{
    gql_writer_t *w = gql_writer_make(p, 64 * (apr_size_t)n);
    char buf[256];
    int i;

    gql_writer_puts(w, "{ ");
    for (i = 0; i < n; i++) {
        apr_snprintf(buf, sizeof(buf), item, i);
        gql_writer_puts(w, buf);
    }
    gql_writer_puts(w, "}");
    return gql_writer_text(w);
}

/* "{ info info ... }" of at least size bytes. */
static const char *infos(apr_pool_t *p, apr_size_t size)
{
    char *s = apr_palloc(p, size + 8);
    apr_size_t n = 2;

    memcpy(s, "{ ", 2);
    while (n + 5 < size) {
        memcpy(s + n, "info ", 5);
        n += 5;
    }
    memcpy(s + n, "}", 2);
    return s;
}

/* Prepare text in this process (a child) and print the figures. */
static void measure(const gql_schema_t *s, const char *name,
                    const char *text, int max_tokens)
{
    apr_pool_t *p;
    apr_array_header_t *errors;
    gql_validate_opts_t opts;
    const gql_prepared_t *doc;
    const char *what = "valid";
    apr_size_t len = strlen(text);
    long before;
    double t0;

    memset(&opts, 0, sizeof(opts));
    opts.introspection = 1;
    opts.max_tokens = max_tokens;
    apr_pool_create_unmanaged_ex(&p, NULL, NULL);
    errors = gql_errors_make(p);
    before = peak_kb();
    t0 = now();
    doc = gql_document_prepare(p, p, s, text, len, &opts, errors);
    t0 = now() - t0;
    if (doc == NULL) {
        const gql_error_t *e = APR_ARRAY_IDX(errors, 0, gql_error_t *);

        what = apr_psprintf(p, "%d error%s: %.60s", errors->nelts,
                            errors->nelts == 1 ? "" : "s", e->message);
    }
    printf("%-22s %8.1f KB %9.1f MB %9.1f ms  %s\n", name, len / 1024.0,
           (peak_kb() - before) / 1024.0, t0 * 1000, what);
    fflush(stdout);
}

static void in_child(const gql_schema_t *s, const char *name,
                     const char *text, int max_tokens)
{
    pid_t pid;
    int status;

    fflush(stdout);
    if ((pid = fork()) == 0) {
        measure(s, name, text, max_tokens);
        _exit(0);
    }
    if (pid < 0 || waitpid(pid, &status, 0) != pid || !WIFEXITED(status)
        || WEXITSTATUS(status) != 0) {
        printf("%-22s the child failed\n", name);
    }
}

int main(int argc, const char *const *argv)
{
    static const gql_schema_vocab_t *const vocabs[] = {
        &gql_sql_vocab, &gql_cost_vocab, NULL
    };
    const char *file = SCHEMA;
    int max_tokens = argc > 1 ? atoi(argv[1]) : 0;
    apr_pool_t *p;
    apr_array_header_t *errors;
    gql_schema_t *s;

    apr_initialize();
    apr_pool_create(&p, NULL);
    errors = gql_errors_make(p);
    s = gql_schema_load(p, p, vocabs, &file, 1, errors);
    if (s == NULL) {
        fprintf(stderr, "hostile-memory: %s does not load\n", SCHEMA);
        return 1;
    }
    printf("prepare (parse + validate) against %s, max tokens %d; "
           "growth of the peak RSS\n", SCHEMA, max_tokens);
    printf("%-22s %11s %12s %12s  %s\n", "document", "size", "peak RSS +",
           "time", "answer");
    in_child(s, "overlap, 5000 fields", repeat(p, "feed(take: %d) "
             "{ count } ", 5000), max_tokens);
    in_child(s, "same field, 5000", repeat(p, "feed { count } ", 5000),
             max_tokens);
    in_child(s, "info x 1 MiB", infos(p, 1024 * 1024), max_tokens);
    in_child(s, "feed aliases, 2000", repeat(p, "a%d: feed(orderBy: "
             "{description: desc}, skip: 9990, take: 1) { links { id } } ",
             2000), max_tokens);
    in_child(s, "count aliases, 10000", repeat(p, "a%d: feed { count } ",
             10000), max_tokens);
    apr_pool_destroy(p);
    apr_terminate();
    return 0;
}
