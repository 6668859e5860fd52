/* Licensed under the Apache License, Version 2.0 (the "License"); you may
 * not use this file except in compliance with the License.  You may obtain
 * a copy of the License at http://www.apache.org/licenses/LICENSE-2.0
 */

/*
 * gql_validate.c (test): the validator against the cases in
 * t/cases/validate/NAME/ (or the directory given as the first argument),
 * then the time the hostile-* cases take.
 *
 * A case holds query.graphql, its schema (schema.graphql, or a file
 * `schema` naming _schemas/NAME.graphql), optionally a file
 * `introspection-off`, and errors.json: what graphql-js 16's validate()
 * returns for the same schema and document, written by
 * t/tools/validate-expected.js.  A case with a file `max-depth` (the
 * limit, GraphQLMaxDepth) tests our own rule, which graphql-js lacks: its
 * errors.json is written by hand, and it must hold a file `manual` so that
 * the script leaves it alone.  Both lists are compared as JSON after
 * printing them the same way.
 */

#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include <apr_general.h>
#include <apr_strings.h>
#include <apr_file_io.h>
#include <apr_file_info.h>
#include <apr_time.h>
#include <json-c/json.h>
#include "gql_parser.h"
#include "gql_validate.h"
#include "tap.h"
#include "util.h"

static const char *to_json(apr_pool_t *p, json_object *j)
{
    const char *s = apr_pstrdup(p, json_object_to_json_string_ext(
                        j, JSON_C_TO_STRING_PLAIN
                           | JSON_C_TO_STRING_NOSLASHESCAPE));

    json_object_put(j);
    return s;
}

/* The errors as graphql-js's toJSON() writes them: message, locations. */
static const char *errors_json(apr_pool_t *p, const apr_array_header_t *errs)
{
    json_object *a = json_object_new_array();
    int i, j;

    for (i = 0; i < errs->nelts; i++) {
        const gql_error_t *e = APR_ARRAY_IDX(errs, i, gql_error_t *);
        json_object *o = json_object_new_object(), *locs;

        json_object_object_add(o, "message",
                               json_object_new_string(e->message));
        if (e->locations->nelts > 0) {
            locs = json_object_new_array();
            for (j = 0; j < e->locations->nelts; j++) {
                const gql_loc_t *l = &APR_ARRAY_IDX(e->locations, j,
                                                    gql_loc_t);
                json_object *lo = json_object_new_object();

                json_object_object_add(lo, "line",
                                       json_object_new_int((int)l->line));
                json_object_object_add(lo, "column",
                                       json_object_new_int((int)l->column));
                json_object_array_add(locs, lo);
            }
            json_object_object_add(o, "locations", locs);
        }
        json_object_array_add(a, o);
    }
    return to_json(p, a);
}

static const gql_schema_t *load_schema(apr_pool_t *p, const char *root,
                                       const char *dir)
{
    const char *file = apr_pstrcat(p, dir, "/schema.graphql", NULL);
    apr_array_header_t *errors = gql_errors_make(p);
    char *name;
    gql_schema_t *s;

    name = slurp(p, apr_pstrcat(p, dir, "/schema", NULL), NULL);
    if (name != NULL) {
        name[strcspn(name, "\r\n")] = '\0';
        file = apr_pstrcat(p, root, "/_schemas/", name, ".graphql", NULL);
    }
    s = gql_schema_load(p, p, NULL, &file, 1, errors);
    if (s == NULL && errors->nelts > 0) {
        diag("%s", gql_error_format(p, APR_ARRAY_IDX(errors, 0,
                                                     gql_error_t *)));
    }
    return s;
}

static void run_case(apr_pool_t *parent, const char *root, const char *name)
{
    apr_pool_t *p;
    const char *dir, *got = NULL, *want;
    char *query, *expected, *limit;
    apr_size_t len;
    const gql_schema_t *s;
    gql_document_t *doc;
    gql_error_t *err = NULL;
    gql_validate_opts_t opts;
    apr_array_header_t *errors;
    json_object *j;

    apr_pool_create(&p, parent);
    dir = apr_pstrcat(p, root, "/", name, NULL);
    query = slurp(p, apr_pstrcat(p, dir, "/query.graphql", NULL), &len);
    expected = slurp(p, apr_pstrcat(p, dir, "/errors.json", NULL), NULL);
    s = load_schema(p, root, dir);
    j = expected ? json_tokener_parse(expected) : NULL;
    want = j ? to_json(p, j) : "(no errors.json)";
    opts.introspection = slurp(p, apr_pstrcat(p, dir, "/introspection-off",
                                              NULL), NULL) == NULL;
    limit = slurp(p, apr_pstrcat(p, dir, "/max-depth", NULL), NULL);
    opts.max_depth = limit ? atoi(limit) : 0;
    if (limit != NULL
        && slurp(p, apr_pstrcat(p, dir, "/manual", NULL), NULL) == NULL) {
        setup_ok(0, apr_pstrcat(p, name, ": a max-depth case is marked "
                                "manual", NULL));
    }
    doc = query ? gql_parse(p, query, len, NULL, &err) : NULL;
    if (s == NULL || doc == NULL) {
        got = s == NULL ? "(no schema)"
                        : err ? err->message : "(no query.graphql)";
    }
    else {
        errors = gql_errors_make(p);
        gql_validate(p, s, doc, &opts, errors);
        got = errors_json(p, errors);
    }
    is_str(got, want, name);
    apr_pool_destroy(p);
}

/* Validates text against the main schema; returns the seconds it took,
 * or -1 when the text does not parse. */
static double timed(apr_pool_t *parent, const gql_schema_t *s,
                    const char *text, int *nerrors)
{
    apr_pool_t *p;
    gql_document_t *doc;
    gql_error_t *err = NULL;
    apr_time_t t0;
    double secs = -1;

    apr_pool_create(&p, parent);
    doc = gql_parse(p, text, strlen(text), NULL, &err);
    if (doc != NULL) {
        t0 = apr_time_now();
        *nerrors = gql_validate(p, s, doc, NULL, gql_errors_make(p));
        secs = (double)(apr_time_now() - t0) / APR_USEC_PER_SEC;
    }
    apr_pool_destroy(p);
    return secs;
}

/* The hostile-* cases (written by t/tools/validate-expected.js) again,
 * timed: the work must stay near-linear.  2 s is far above what they
 * take (milliseconds) and far below what a quadratic or exponential walk
 * over them would. */
static void bounds(apr_pool_t *p, const char *root,
                   const apr_array_header_t *cases)
{
    int i, n = 0, seen = 0;

    for (i = 0; i < cases->nelts; i++) {
        const char *name = APR_ARRAY_IDX(cases, i, const char *);
        const char *dir = apr_pstrcat(p, root, "/", name, NULL);
        const gql_schema_t *s;
        const char *text;
        double secs;

        if (strncmp(name, "hostile-", 8)) {
            continue;
        }
        seen++;
        s = load_schema(p, root, dir);
        text = slurp(p, apr_pstrcat(p, dir, "/query.graphql", NULL), NULL);
        secs = s && text ? timed(p, s, text, &n) : -1;
        diag("%s: %.3f s, %d errors, %lu bytes", name, secs, n,
             (unsigned long)(text ? strlen(text) : 0));
        ok(secs >= 0 && secs < 2.0, apr_pstrcat(p, name, ": under 2 s",
                                                NULL));
    }
    setup_ok(seen >= 5, "the five hostile documents are there");
}

/* Validate text against sdl in a child process; its peak memory growth
 * in KiB, or -1 when the child fails or the text is valid. */
static long child_growth(apr_pool_t *p, const char *sdl, const char *text)
{
    int fd[2], status;
    long kb = -1;
    pid_t pid;

    if (pipe(fd) != 0 || (pid = fork()) < 0) {
        return -1;
    }
    if (pid == 0) {
        gql_error_t *err = NULL;
        const gql_document_t *sd = gql_parse(p, sdl, strlen(sdl), "t", &err);
        const gql_schema_t *s = gql_schema_build(p, p, NULL, &sd, 1,
                                                 gql_errors_make(p));
        const gql_document_t *doc = gql_parse(p, text, strlen(text), NULL,
                                              &err);
        long before = peak_kb();

        if (s != NULL && doc != NULL
            && gql_validate(p, s, doc, NULL, gql_errors_make(p)) > 0) {
            kb = peak_kb() - before;
        }
        if (write(fd[1], &kb, sizeof(kb)) != sizeof(kb)) {
            _exit(1);
        }
        _exit(0);
    }
    close(fd[1]);
    if (read(fd[0], &kb, sizeof(kb)) != sizeof(kb)) {
        kb = -1;
    }
    close(fd[0]);
    waitpid(pid, &status, 0);
    return kb;
}

/* 5,000 fields of one name with 5,000 different arguments: every pair
 * conflicts.  Comparing them once cost 720 MB; nothing is kept per pair
 * now.  The bound is loose for the sanitizers' sake. */
static void overlap_memory(apr_pool_t *p)
{
    static const char sdl[] = "type Query { feed(take: Int): Feed! }\n"
                              "type Feed { count: Int! }\n";
    char *text = apr_palloc(p, 5000 * 32 + 8), *at = text;
    long kb;
    int i;

    at += sprintf(at, "{ ");
    for (i = 0; i < 5000; i++) {
        at += sprintf(at, "feed(take: %d) { count } ", i);
    }
    sprintf(at, "}");
    kb = child_growth(p, sdl, text);
    diag("overlapping fields, 5000 conflicting: %ld KiB", kb);
    ok(kb >= 0 && kb < 64 * 1024, "overlapping fields, 5000 conflicting: "
       "validation grows the peak memory by less than 64 MiB");
}

/* 5,000 fields written alike, with sub-selections: graphql-js finds
 * them valid, and one comparison settles them all (each pair cost one
 * before, and the budget ran out: "Validation aborted."). */
static void overlap_alike(apr_pool_t *p)
{
    static const char sdl[] = "type Query { feed(take: Int): Feed! }\n"
                              "type Feed { count: Int! id: ID }\n";
    static const char *const item[] = {
        "feed { count } ", "feed(take: 2) { count id } ",
        "feed { ... on Feed { count } } "
    };
    gql_error_t *err = NULL;
    const gql_document_t *sd = gql_parse(p, sdl, strlen(sdl), "t", &err);
    const gql_schema_t *s = gql_schema_build(p, p, NULL, &sd, 1,
                                             gql_errors_make(p));
    apr_size_t k;
    int i;

    for (k = 0; k < sizeof(item) / sizeof(item[0]); k++) {
        char *text = apr_palloc(p, 5000 * 40 + 8), *at = text;
        apr_array_header_t *errors = gql_errors_make(p);
        const gql_document_t *doc;

        at += sprintf(at, "{ ");
        for (i = 0; i < 5000; i++) {
            at += sprintf(at, "%s", item[k]);
        }
        sprintf(at, "}");
        doc = gql_parse(p, text, strlen(text), NULL, &err);
        ok(s != NULL && doc != NULL
           && gql_validate(p, s, doc, NULL, errors) == 0,
           apr_psprintf(p, "5000 times %s: valid", item[k]));
    }
}

/* n fragments, all spread in one selection set: n * (n - 1) / 2 pairs of
 * fragments to compare and remember. */
static int fragment_pairs(apr_pool_t *p, const gql_schema_t *s, int n)
{
    char *text = apr_palloc(p, (apr_size_t)n * 48 + 8), *at = text;
    apr_array_header_t *errors = gql_errors_make(p);
    gql_error_t *err = NULL;
    const gql_document_t *doc;
    int i;

    at += sprintf(at, "{ ");
    for (i = 0; i < n; i++) {
        at += sprintf(at, "...f%d ", i);
    }
    at += sprintf(at, "}\n");
    for (i = 0; i < n; i++) {
        at += sprintf(at, "fragment f%d on Query { info }\n", i);
    }
    doc = gql_parse(p, text, strlen(text), NULL, &err);
    if (doc == NULL || gql_validate(p, s, doc, NULL, errors) < 0) {
        return -1;
    }
    return errors->nelts == 0 ? 0 : !strcmp(APR_ARRAY_IDX(errors, 0,
                                    gql_error_t *)->message,
                                    "Validation aborted.");
}

/* The pairs of fragments remembered are bounded by the document's size:
 * 300 fragments (45,000 pairs, 12 KB) are compared, 1,000 (500,000
 * pairs, 40 KB) are refused. */
static void overlap_fragment_pairs(apr_pool_t *p)
{
    static const char sdl[] = "type Query { info: String }\n";
    gql_error_t *err = NULL;
    const gql_document_t *sd = gql_parse(p, sdl, strlen(sdl), "t", &err);
    const gql_schema_t *s = gql_schema_build(p, p, NULL, &sd, 1,
                                             gql_errors_make(p));

    ok(s != NULL && fragment_pairs(p, s, 300) == 0,
       "300 fragments spread together: valid");
    ok(s != NULL && fragment_pairs(p, s, 1000) == 1,
       "1000 fragments spread together: Validation aborted.");
}

int main(int argc, const char *const *argv)
{
    apr_pool_t *p;
    const char *root = argc > 1 ? argv[1] : "t/cases/validate";
    apr_array_header_t *cases;
    int i;

    apr_app_initialize(&argc, &argv, NULL);
    apr_pool_create(&p, NULL);
    cases = list(p, root, NULL);
    if (!setup_ok(cases != NULL && cases->nelts > 0,
                  "there are validation cases")) {
        return tap_done();
    }
    for (i = 0; i < cases->nelts; i++) {
        run_case(p, root, APR_ARRAY_IDX(cases, i, const char *));
    }
    bounds(p, root, cases);
    overlap_memory(p);
    overlap_alike(p);
    overlap_fragment_pairs(p);
    apr_pool_destroy(p);
    apr_terminate();
    return tap_done();
}
