/* Licensed under the Apache License, Version 2.0 (the "License"); you may
 * not use this file except in compliance with the License.  You may obtain
 * a copy of the License at http://www.apache.org/licenses/LICENSE-2.0
 */

/*
 * bench/engine.c: the engine in process, without a server: how many
 * times a second it parses, validates and executes a realistic query
 * (bench/query.graphql on bench/schema.graphql, resolved by the default
 * resolvers from the root value in bench/root.json) and the full
 * introspection query (t/cases/introspect/full-hackernews/query.graphql,
 * GraphiQL's) on the same schema.  bench/graphql-js.mjs measures
 * graphql-js 16 on the same inputs.
 *
 *   build/bench/engine [SECONDS]        (per query; 1 by default)
 *
 * It measures and prints; it never fails on a timing.  Every stage runs
 * in a pool cleared after each operation, as a request's pool is.
 */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <apr_general.h>
#include <apr_strings.h>
#include <apr_file_io.h>
#include "gql_document.h"
#include "gql_execute.h"
#include "gql_json.h"
#include "gql_parser.h"
#include "gql_validate.h"

#define INTROSPECTION "t/cases/introspect/full-hackernews/query.graphql"

typedef struct bench_t {
    const char *name;
    const gql_schema_t *s;
    const char *query;
    json_object *root;
    json_object *variables;
} bench_t;

static double now(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static const char *slurp(apr_pool_t *p, const char *path)
{
    char *buf;
    apr_size_t n = 0;
    apr_file_t *f;
    apr_finfo_t fi;

    if (apr_file_open(&f, path, APR_FOPEN_READ, APR_FPROT_OS_DEFAULT, p)
        || apr_file_info_get(&fi, APR_FINFO_SIZE, f)) {
        fprintf(stderr, "engine: cannot read %s\n", path);
        exit(1);
    }
    buf = apr_palloc(p, (apr_size_t)fi.size + 1);
    apr_file_read_full(f, buf, (apr_size_t)fi.size, &n);
    buf[n] = '\0';
    apr_file_close(f);
    return buf;
}

/* One operation of each stage; times[] accumulates seconds per stage:
 * parse, validate, execute (run + the response's JSON text), total. */
static int once(apr_pool_t *p, const bench_t *b, double *times)
{
    gql_result_t res = { NULL, NULL, 0, -1 };
    const gql_prepared_t *prep;
    gql_operation_t *op = NULL;
    gql_error_t *err = NULL;
    gql_document_t *doc;
    const char *body;
    apr_size_t len = strlen(b->query);
    double t0, t1, t2, t3;

    t0 = now();
    doc = gql_parse(p, b->query, len, NULL, &err);
    t1 = now();
    if (doc == NULL
        || gql_validate(p, b->s, doc, NULL, gql_errors_make(p)) != 0) {
        return 0;
    }
    t2 = now();
    res.errors = gql_errors_make(p);
    prep = gql_document_prepare(p, p, b->s, b->query, len, NULL, res.errors);
    if (prep != NULL) {
        op = gql_document_select(p, prep, NULL, b->variables, res.errors);
    }
    t3 = now();
    if (op == NULL) {
        return 0;
    }
    gql_execute_run(p, op, NULL, b->root, NULL, &res);
    body = gql_json_response(p, res.errors, res.data, res.has_data);
    times[0] += t1 - t0;
    times[1] += t2 - t1;
    times[2] += now() - t3;
    times[3] += now() - t2;     /* prepare (parse + validate) + execute */
    return body != NULL && res.errors->nelts == 0;
}

static void run(apr_pool_t *parent, const bench_t *b, double seconds)
{
    static const char *const stages[] = { "parse", "validate", "execute",
                                          "total" };
    double times[4] = { 0, 0, 0, 0 }, start = now();
    apr_pool_t *p;
    long n = 0;
    int i;

    apr_pool_create(&p, parent);
    while (now() - start < seconds) {
        if (!once(p, b, times)) {
            printf("%-14s the operation failed; nothing measured\n",
                   b->name);
            return;
        }
        apr_pool_clear(p);
        n++;
    }
    apr_pool_destroy(p);
    for (i = 0; i < 4; i++) {
        printf("%-14s %-9s %10.0f ops/s  (%ld ops)\n", b->name, stages[i],
               n / times[i], n);
    }
}

static gql_schema_t *schema(apr_pool_t *p, const char *file)
{
    apr_array_header_t *errors = gql_errors_make(p);
    gql_schema_t *s = gql_schema_load(p, p, NULL, &file, 1, errors);
    int i;

    for (i = 0; i < errors->nelts; i++) {
        fprintf(stderr, "engine: %s\n",
                gql_error_format(p, APR_ARRAY_IDX(errors, i, gql_error_t *)));
    }
    if (s == NULL) {
        exit(1);
    }
    return s;
}

int main(int argc, const char *const *argv)
{
    apr_pool_t *p;
    bench_t b;
    double seconds = argc > 1 ? atof(argv[1]) : 1.0;

    apr_initialize();
    apr_pool_create(&p, NULL);
    memset(&b, 0, sizeof(b));
    b.s = schema(p, "bench/schema.graphql");
    b.name = "query";
    b.query = slurp(p, "bench/query.graphql");
    b.root = gql_json_own(p, json_tokener_parse(slurp(p, "bench/root.json")));
    b.variables = gql_json_own(p, json_object_new_object());
    printf("mod_graphql engine, in process (%.1f s per query)\n", seconds);
    run(p, &b, seconds);
    b.name = "introspection";
    b.query = slurp(p, INTROSPECTION);
    b.root = NULL;
    run(p, &b, seconds);
    apr_pool_destroy(p);
    apr_terminate();
    return 0;
}
