/* Licensed under the Apache License, Version 2.0 (the "License"); you may
 * not use this file except in compliance with the License.  You may obtain
 * a copy of the License at http://www.apache.org/licenses/LICENSE-2.0
 */

/*
 * t/unit/gql_parser.c: the lexer and parser against their cases, then the
 * limits that data files cannot show.
 *
 *   build/unit/gql_parser [CASE_DIR]     (default t/cases/parser)
 *
 * Each case directory holds input.graphql and either expected.json (the
 * AST dump, compared as JSON) or error ("LINE:COL: message", compared
 * exactly).  graphql-js made both (t/tools/expected.js), except in cases
 * marked `manual`.  Inputs are copied into a heap block of exactly their
 * length, so that AddressSanitizer catches any read past the end.
 */

#include <stdlib.h>
#include <time.h>
#include <apr_general.h>
#include <apr_file_io.h>
#include <apr_strings.h>
#include "gql_parser.h"
#include "ast_dump.h"
#include "tap.h"
#include "util.h"

/* Parse exactly len bytes from a heap block of that size. */
static gql_document_t *parse(apr_pool_t *p, const char *text,
                             apr_size_t len, gql_error_t **err)
{
    char *copy = malloc(len ? len : 1);
    gql_document_t *doc;

    memcpy(copy, text, len);
    *err = NULL;
    doc = gql_parse(p, copy, len, "input.graphql", err);
    free(copy);
    return doc;
}

static const char *err_line(apr_pool_t *p, const gql_error_t *e)
{
    const gql_loc_t *l;

    if (e == NULL) {
        return "(no error)";
    }
    if (e->locations == NULL || e->locations->nelts != 1) {
        return apr_pstrcat(p, "(no location) ", e->message, NULL);
    }
    l = &APR_ARRAY_IDX(e->locations, 0, gql_loc_t);
    return apr_psprintf(p, "%u:%u: %s", l->line, l->column, e->message);
}

static void run_case(apr_pool_t *p, const char *dir, const char *name)
{
    const char *base = apr_pstrcat(p, dir, "/", name, "/", NULL);
    apr_size_t len, elen;
    char *input = slurp(p, apr_pstrcat(p, base, "input.graphql", NULL),
                        &len);
    char *want_err = slurp(p, apr_pstrcat(p, base, "error", NULL), &elen);
    char *want_json = slurp(p, apr_pstrcat(p, base, "expected.json", NULL),
                            NULL);
    gql_error_t *err;
    gql_document_t *doc;
    json_object *want, *got;

    if (input == NULL || (want_err == NULL) == (want_json == NULL)) {
        setup_ok(0, name);
        diag("needs input.graphql and one of error, expected.json");
        return;
    }
    doc = parse(p, input, len, &err);
    if (want_err != NULL) {
        if (elen > 0 && want_err[strlen(want_err) - 1] == '\n') {
            want_err[strlen(want_err) - 1] = '\0';
        }
        is_str(doc ? "(parsed)" : err_line(p, err), want_err, name);
        return;
    }
    want = json_tokener_parse(want_json);
    got = doc ? gql_ast_dump(p, doc) : NULL;
    if (!ok(want != NULL && got != NULL && json_object_equal(want, got),
            name)) {
        diag("got:  %s", got ? json_object_to_json_string_ext(got,
             JSON_C_TO_STRING_PLAIN) : err_line(p, err));
        diag("want: %s", want ? json_object_to_json_string_ext(want,
             JSON_C_TO_STRING_PLAIN) : "(bad expected.json)");
    }
    json_object_put(want);
}

static void run_cases(apr_pool_t *p, const char *dir)
{
    apr_array_header_t *names = list(p, dir, NULL);
    int i;

    if (names == NULL) {
        setup_ok(0, apr_pstrcat(p, "open case directory ", dir, NULL));
        return;
    }
    setup_ok(names->nelts >= 150, "at least 150 parser cases");
    for (i = 0; i < names->nelts; i++) {
        apr_pool_t *sub;

        apr_pool_create(&sub, p);
        run_case(sub, dir, APR_ARRAY_IDX(names, i, char *));
        apr_pool_destroy(sub);
    }
}

/* open^n body close^n */
static char *nest(apr_pool_t *p, const char *pre, const char *open, int n,
                  const char *body, const char *close, const char *post)
{
    apr_size_t lo = strlen(open), lc = strlen(close);
    char *buf = apr_palloc(p, strlen(pre) + n * (lo + lc) + strlen(body)
                              + strlen(post) + 1), *o = buf;
    int i;

    o = stpcpy(o, pre);
    for (i = 0; i < n; i++) {
        o = stpcpy(o, open);
    }
    o = stpcpy(o, body);
    for (i = 0; i < n; i++) {
        o = stpcpy(o, close);
    }
    stpcpy(o, post);
    return buf;
}

static const char *result(apr_pool_t *p, const char *text, apr_size_t len)
{
    gql_error_t *err;

    return parse(p, text, len, &err) ? "(parsed)" : err_line(p, err);
}

static void test_depth(apr_pool_t *p)
{
    const char *deep = "Syntax Error: Document is nested too deeply "
                       "(more than 1000 levels).";
    char *s;

    s = nest(p, "", "{a", 100000, "", "}", "");
    is_str(result(p, s, strlen(s)), apr_pstrcat(p, "1:2001: ", deep, NULL),
           "100000 nested selection sets: clean error");
    s = nest(p, "{a(x: ", "[", 100000, "", "]", ")}");
    is_str(result(p, s, strlen(s)), apr_pstrcat(p, "1:1006: ", deep, NULL),
           "100000 nested list values: clean error");
    s = nest(p, "{a(x: ", "{b:", 100000, "1", "}", ")}");
    ok(strstr(result(p, s, strlen(s)), "nested too deeply") != NULL,
       "100000 nested object values: clean error");
    s = nest(p, "type A { f: ", "[", 100000, "B", "]", " }");
    ok(strstr(result(p, s, strlen(s)), "nested too deeply") != NULL,
       "100000 nested list types: clean error");
    s = nest(p, "", "[", 100000, "", "", "");
    ok(strstr(result(p, s, strlen(s)), "Unexpected \"[\"") != NULL,
       "100000 '[' at top level: a plain syntax error");
    s = nest(p, "", "{a", 1000, "", "}", "");
    is_str(result(p, s, strlen(s)), "(parsed)",
           "1000 nested selection sets parse");
    s = nest(p, "", "{a", 1001, "", "}", "");
    is_str(result(p, s, strlen(s)), apr_pstrcat(p, "1:2001: ", deep, NULL),
           "1001 nested selection sets do not");
    s = nest(p, "query($v: ", "[", 999, "Int", "]", " = 1) {a}");
    is_str(result(p, s, strlen(s)), "(parsed)",
           "999 nested list types parse");
    s = nest(p, "{a(x: ", "{b: [", 400, "1", "]}", ")}");
    is_str(result(p, s, strlen(s)), "(parsed)",
           "800 levels of objects and lists in a value parse");
}

static void test_bytes(apr_pool_t *p)
{
    gql_error_t *err;
    gql_document_t *doc;
    const gql_definition_t *d;
    const gql_selection_t *f;
    const gql_value_t *v;
    static const char nul_string[] = "{a(x: \"1\0002\\u0000\")}";
    static const char nul_outside[] = "{a\0}";

    doc = parse(p, nul_string, sizeof(nul_string) - 1, &err);
    ok(doc != NULL, "raw and escaped U+0000 inside a string parse");
    if (doc != NULL) {
        d = GQL_AST_ITEM(doc->definitions, 0, gql_definition_t);
        f = GQL_AST_ITEM(d->selection_set->selections, 0, gql_selection_t);
        v = GQL_AST_ITEM(f->arguments, 0, gql_argument_t)->value;
        ok(v->len == 4 && memcmp(v->text, "1\0002\0", 5) == 0,
           "string value keeps its NULs and its length");
    }
    else {
        ok(0, "string value keeps its NULs and its length");
    }
    is_str(result(p, nul_outside, sizeof(nul_outside) - 1),
           "1:3: Syntax Error: Unexpected character: U+0000.",
           "U+0000 outside a string");
    is_str(result(p, "{a}garbage", 3), "(parsed)",
           "only len bytes are read");
    is_str(result(p, "{a(x: 12", 7), "1:8: Syntax Error: Expected Name, "
           "found <EOF>.", "a number cut by len ends at len");
    is_str(result(p, "\"\"\"abc\"\"\"", 8), "1:9: Syntax Error: "
           "Unterminated string.", "a block string cut by len");
    is_str(result(p, "", 0), "1:1: Syntax Error: Unexpected <EOF>.",
           "empty input");
    doc = parse(p, "{a}", 3, &err);
    ok(doc != NULL && strcmp(doc->source, "input.graphql") == 0,
       "the document keeps its source name");
    doc = parse(p, "{", 1, &err);
    ok(doc == NULL && err != NULL && err->source != NULL
       && strcmp(err->source, "input.graphql") == 0,
       "the error names its source");
}

/* "LINE:COL: message code" of text under a limit of max tokens, or
 * "(parsed)". */
static const char *limited(apr_pool_t *p, const char *text, int max)
{
    gql_error_t *err = NULL;
    const gql_loc_t *at;

    if (gql_parse_limited(p, text, strlen(text), NULL, max, &err) != NULL) {
        return "(parsed)";
    }
    at = &APR_ARRAY_IDX(err->locations, 0, gql_loc_t);
    return apr_psprintf(p, "%u:%u: %s %s", at->line, at->column,
                        err->message, err->code ? err->code : "-");
}

/* graphql-js's maxTokens: "{ a b }" is four tokens, <EOF> not counted. */
static void test_tokens(apr_pool_t *p)
{
    static const struct {
        const char *text;
        int max;
        const char *want;       /* "(parsed)" or LINE:COL: message code */
        const char *name;
    } cases[] = {
        { "{ a b }", 4, "(parsed)", "4 tokens, limit 4" },
        { "{ a b }", 5, "(parsed)", "4 tokens, limit 5" },
        { "{ a b }", 3, "1:7: Syntax Error: Document contains more than 3 "
          "tokens. Parsing aborted. TOKEN_LIMIT_EXCEEDED",
          "4 tokens, limit 3: at the fourth token, with its code" },
        { "{ a b }", 0, "(parsed)", "0: no limit" },
        { "query Q($v: Int = 1) @d { a(x: [1, {y: $v}]) }", 28, "(parsed)",
          "every kind of token counts once" },
        { "query Q($v: Int = 1) @d { a(x: [1, {y: $v}]) }", 27, "1:46: "
          "Syntax Error: Document contains more than 27 tokens. Parsing "
          "aborted. TOKEN_LIMIT_EXCEEDED", "... one less is over" },
        { "{ a # comment\n , , b }", 4, "(parsed)",
          "comments and commas are no tokens" },
        { "{ a \"x }", 2, "1:9: Syntax Error: Unterminated string. -",
          "a lexical error met first is the error" },
        { "{ a } }", 4, "1:7: Syntax Error: Unexpected \"}\". -",
          "a syntax error within the limit is the error" },
        { "{ a } }", 3, "1:7: Syntax Error: Document contains more than 3 "
          "tokens. Parsing aborted. TOKEN_LIMIT_EXCEEDED",
          "the limit before a later syntax error" }
    };
    char *s;
    int i;

    for (i = 0; i < (int)(sizeof(cases) / sizeof(cases[0])); i++) {
        is_str(limited(p, cases[i].text, cases[i].max), cases[i].want,
               cases[i].name);
    }
    s = nest(p, "", "{a", 100000, "", "}", "");
    is_str(limited(p, s, 1500), "1:1501: Syntax Error: Document contains "
           "more than 1500 tokens. Parsing aborted. TOKEN_LIMIT_EXCEEDED",
           "the limit stops a deep document before the depth does");
}

/* Big inputs: each must parse; the times are shown, not judged. */
static void test_linear(apr_pool_t *p)
{
    apr_size_t n = 1 << 20, i;
    char *s = apr_palloc(p, n + 64);
    clock_t t0;

    memset(s, ',', n);
    memcpy(s + n, "{a}", 3);
    t0 = clock();
    is_str(result(p, s, n + 3), "(parsed)", "1 MB of commas, then {a}");
    diag("%.3f s", (double)(clock() - t0) / CLOCKS_PER_SEC);

    memcpy(s, "{a(x: \"\"\"", 9);
    for (i = 9; i < n; i++) {
        s[i] = (i % 64) == 0 ? '\n' : ' ';
    }
    memcpy(s + n, "x\"\"\")}", 6);
    t0 = clock();
    is_str(result(p, s, n + 6), "(parsed)", "a 1 MB block string");
    diag("%.3f s", (double)(clock() - t0) / CLOCKS_PER_SEC);

    s[0] = '{';
    for (i = 1; i + 2 < n; i += 2) {
        memcpy(s + i, "a ", 2);
    }
    s[i] = '}';
    t0 = clock();
    is_str(result(p, s, i + 1), "(parsed)",
           "one 1 MB line of 500000 fields");
    diag("%.3f s", (double)(clock() - t0) / CLOCKS_PER_SEC);
}

int main(int argc, char **argv)
{
    apr_pool_t *p;

    apr_initialize();
    apr_pool_create(&p, NULL);
    run_cases(p, argc > 1 ? argv[1] : "t/cases/parser");
    test_depth(p);
    test_bytes(p);
    test_tokens(p);
    test_linear(p);
    apr_pool_destroy(p);
    apr_terminate();
    return tap_done();
}
