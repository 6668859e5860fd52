/* Licensed under the Apache License, Version 2.0 (the "License"); you may
 * not use this file except in compliance with the License.  You may obtain
 * a copy of the License at http://www.apache.org/licenses/LICENSE-2.0
 */

/*
 * t/unit/gql_persist.c: persisted documents.  SHA-256 and the ids that
 * claim one; each file format (a .graphql file, Apollo's manifest, a map
 * of ids) loaded from a temporary directory, and what each id finds; the
 * files' mistakes with their positions; a set prepared under a schema and
 * options, its errors placed in the document and named by its entry, and
 * the variant found only under the same options; Apollo's persistedQuery
 * in a request's extensions.
 */

#include <apr_file_io.h>
#include <apr_general.h>
#include <apr_strings.h>
#include "gql_json.h"
#include "gql_parser.h"
#include "gql_persist.h"
#include "operation.h"
#include "tap.h"

static apr_pool_t *pool;
static const char *dir;

static const char *file(const char *name, const char *text)
{
    const char *path = apr_pstrcat(pool, dir, "/", name, NULL);
    apr_file_t *f;
    apr_size_t n = strlen(text);

    if (apr_file_open(&f, path, APR_FOPEN_WRITE | APR_FOPEN_CREATE
                      | APR_FOPEN_TRUNCATE, APR_FPROT_OS_DEFAULT, pool)
        == APR_SUCCESS) {
        apr_file_write_full(f, text, n, NULL);
        apr_file_close(f);
    }
    return path;
}

/* The errors of loading text as name into a new set, one per line
 * without the directory; "" for none. */
static const char *load(const char *name, const char *text,
                        gql_persist_set_t **out)
{
    gql_persist_set_t *set = gql_persist_make(pool);
    apr_array_header_t *errors = gql_errors_make(pool);
    const char *path = file(name, text), *all = "";
    int i, n = gql_persist_load(set, pool, path, errors);

    for (i = 0; i < errors->nelts; i++) {
        const char *line = gql_error_format(pool, APR_ARRAY_IDX(
            errors, i, const gql_error_t *));

        all = apr_pstrcat(pool, all, *all ? "\n" : "",
                          line + strlen(dir) + 1, NULL);
    }
    if (n != errors->nelts) {
        all = apr_pstrcat(pool, all, " (count wrong)", NULL);
    }
    if (out != NULL) {
        *out = set;
    }
    return all;
}

static char *hash(const char *text)
{
    char *hex = apr_palloc(pool, GQL_PERSIST_HEX + 1);

    gql_persist_sha256(text, strlen(text), hex);
    return hex;
}

static void test_hashes(void)
{
    char hex[GQL_PERSIST_HEX + 1];
    const char *abc = "ba7816bf8f01cfea414140de5dae2223"
                      "b00361a396177a9cb410ff61f20015ad";

    is_str(hash("abc"), abc, "SHA-256 of abc");
    is_str(hash(""), "e3b0c44298fc1c149afbf4c8996fb924"
           "27ae41e4649b934ca495991b7852b855", "SHA-256 of nothing");
    ok(gql_persist_is_hash(abc, hex) && strcmp(hex, abc) == 0,
       "64 hex digits are a hash");
    ok(gql_persist_is_hash(apr_pstrcat(pool, "sha256:",
                                       apr_pstrdup(pool, abc), NULL), hex),
       "so with sha256:");
    ok(gql_persist_is_hash("BA7816BF8F01CFEA414140DE5DAE2223"
                           "B00361A396177A9CB410FF61F20015AD", hex)
       && strcmp(hex, abc) == 0, "capitals, read in lowercase");
    ok(!gql_persist_is_hash("ba7816bf", hex), "8 digits are not");
    ok(!gql_persist_is_hash(apr_pstrcat(pool, abc, "0", NULL), hex),
       "65 digits are not");
    ok(!gql_persist_is_hash("5d41402abc4b2a76b9719d911017c592", hex),
       "an MD5 is not");
    ok(!gql_persist_is_hash("md5:5d41402abc4b2a76b9719d911017c592", hex),
       "another prefix is not");
}

static void test_formats(void)
{
    gql_persist_set_t *set;
    const gql_persist_doc_t *d;
    const char *op, *text = "query A { a }\nquery B { b }\n";
    char *apollo;

    is_str(load("ops.graphql", text, &set), "", ".graphql: loads");
    ok(gql_persist_count(set) == 1, "one document");
    d = gql_persist_find(set, "B", &op);
    ok(d != NULL && strcmp(d->text, text) == 0,
       "an operation's name finds it");
    is_str(op, "B", "and selects that operation");
    ok(gql_persist_find(set, hash(text), &op) == d && op == NULL,
       "its hash finds it, selecting none");
    ok(gql_persist_find(set, apr_pstrcat(pool, "sha256:", hash(text), NULL),
                        &op) == d, "so does sha256:HASH");
    ok(gql_persist_find(set, "C", &op) == NULL, "another name does not");
    ok(gql_persist_find(NULL, "A", &op) == NULL, "no set finds nothing");

    apollo = apr_psprintf(pool, "{\"format\": \"apollo-persisted-query-"
                          "manifest\", \"version\": 1, \"operations\": "
                          "[{\"id\": \"%s\", \"name\": \"A\", \"type\": "
                          "\"query\", \"body\": \"query A { a }\"}]}",
                          hash("query A { a }"));
    is_str(load("apollo.json", apollo, &set), "", "Apollo's manifest");
    d = gql_persist_find(set, hash("query A { a }"), &op);
    ok(d != NULL && d->len == 13 && d->name != NULL,
       "its id finds the body");

    is_str(load("relay.json", "{\"5d41402abc4b2a76b9719d911017c592\": "
                "\"{ a }\", \"x\": \"{ b }\"}", &set), "", "a map");
    ok(gql_persist_count(set) == 2, "two documents");
    d = gql_persist_find(set, "x", &op);
    ok(d != NULL && strcmp(d->text, "{ b }") == 0, "an id finds its text");
    ok(gql_persist_find(set, hash("{ a }"), &op) != NULL,
       "a text's hash finds it whatever its id");
    is_str(load("codegen.json", apr_psprintf(pool, "{\"sha256:%s\": \"{ a }\","
                " \"y\": \"{ a }\"}", hash("{ a }")), &set), "",
           "a map of sha256: ids, two ids of one text");
    ok(gql_persist_count(set) == 1, "one document");
}

static void test_mistakes(void)
{
    is_str(load("bad.json", "{\"a\": \"{ a }\",\n  \"b\": }", NULL),
           "bad.json:2:8: not valid JSON: unexpected character",
           "a JSON syntax error: its line and column");
    is_str(load("bad.graphql", "query A {\n  a(\n}", NULL),
           "bad.graphql:3:1: Syntax Error: Expected Name, found \"}\".",
           "a .graphql syntax error: its line and column");
    is_str(load("list.json", "[\"{ a }\"]", NULL),
           "list.json: not a persisted document manifest: expected a JSON "
           "object", "a JSON array");
    is_str(load("num.json", "{\"a\": 1}", NULL),
           "num.json: not a persisted document manifest: expected Apollo's, "
           "or an object whose every value is a document's text",
           "a map of something else");
    is_str(load("claim.json", apr_psprintf(pool, "{\"sha256:%s\": \"{ b }\"}",
                hash("{ a }")), NULL),
           apr_psprintf(pool, "claim.json: document \"sha256:%s\": the id is "
                        "a SHA-256 that is not the text's (%s)",
                        hash("{ a }"), hash("{ b }")),
           "an id that claims another text's SHA-256");
    is_str(load("apollo-v2.json", "{\"format\": \"apollo-persisted-query-"
                "manifest\", \"version\": 2, \"operations\": []}", NULL),
           "apollo-v2.json: not an Apollo persisted query manifest of "
           "version 1 with an \"operations\" array",
           "Apollo's manifest of another version");
    is_str(load("apollo-noid.json", "{\"format\": \"apollo-persisted-query-"
                "manifest\", \"version\": 1, \"operations\": [{\"body\": "
                "\"{ a }\"}]}", NULL),
           "apollo-noid.json: operation 0 has no \"id\" and \"body\" "
           "strings", "an operation without its id");
    ok(strstr(load("nope/none.json", "", NULL), "cannot read") != NULL,
       "a file that is not there");
}

static void test_two_files(void)
{
    gql_persist_set_t *set = gql_persist_make(pool);
    apr_array_header_t *errors = gql_errors_make(pool);

    gql_persist_load(set, pool, file("one.json", "{\"x\": \"{ a }\"}"),
                     errors);
    gql_persist_load(set, pool, file("two.json", "{\"x\": \"{ b }\"}"),
                     errors);
    ok(errors->nelts == 1 && strstr(gql_error_format(pool, APR_ARRAY_IDX(
       errors, 0, const gql_error_t *)), "two.json: document \"x\": the id "
       "names another document already") != NULL,
       "one id for two texts, in two files");
    errors = gql_errors_make(pool);
    gql_persist_load(set, pool, file("three.json", "{\"z\": \"{ a }\"}"),
                     errors);
    ok(errors->nelts == 0 && gql_persist_count(set) == 2,
       "the same text again, under another id: one document");
}

static void test_prepare(void)
{
    gql_schema_t *s = schema_of(pool, "type Query { a: Int b: Int }");
    gql_validate_opts_t opts = { .introspection = 1 }, other = opts;
    gql_persist_set_t *set;
    apr_array_header_t *errors = gql_errors_make(pool);
    const gql_persist_doc_t *d;
    const char *op;

    setup_ok(s != NULL, "the schema");
    load("good.json", "{\"x\": \"{ a }\", \"y\": \"query Y { b }\"}", &set);
    ok(gql_persist_prepare(set, pool, s, &opts, errors) == 0,
       "a set of valid documents prepares");
    d = gql_persist_find(set, "y", &op);
    ok(d != NULL && gql_persist_prepared(set, d, s, &opts) != NULL,
       "its prepared document, under the same options");
    other.max_depth = 1;
    ok(gql_persist_prepared(set, d, s, &other) == NULL,
       "none under other options");
    ok(gql_persist_prepare(set, pool, s, &other, errors) == 0
       && gql_persist_prepared(set, d, s, &other) != NULL,
       "a second variant, once prepared");
    ok(gql_persist_prepare(set, pool, s, &opts, errors) == 0,
       "the first again: nothing new");

    load("invalid.json", "{\"ok\": \"{ a }\",\n \"bad\": \"{\\n  a\\n  "
         "nope\\n}\"}", &set);
    ok(gql_persist_prepare(set, pool, s, &opts, errors) == 1,
       "a document that does not validate: one error");
    is_str(errors->nelts ? gql_error_format(pool, APR_ARRAY_IDX(
           errors, 0, const gql_error_t *)) + strlen(dir) + 1 : "",
           "invalid.json:3:3: document \"bad\": Cannot query field \"nope\" "
           "on type \"Query\".",
           "FILE:LINE:COL in the document, naming the entry");
    d = gql_persist_find(set, "ok", &op);
    ok(gql_persist_prepared(set, d, s, &opts) == NULL,
       "the set is not prepared then");

    errors = gql_errors_make(pool);
    load("invalid.graphql", "query A { a }\nquery B { b c }\n", &set);
    gql_persist_prepare(set, pool, s, &opts, errors);
    is_str(errors->nelts ? gql_error_format(pool, APR_ARRAY_IDX(
           errors, 0, const gql_error_t *)) + strlen(dir) + 1 : "",
           "invalid.graphql:2:13: Cannot query field \"c\" on type "
           "\"Query\". Did you mean \"a\" or \"b\"?",
           "a .graphql file: FILE:LINE:COL, no entry");
}

/* What gql_persist_request_hash() says of extensions (JSON text). */
static const char *request(const char *extensions)
{
    json_object *e = gql_json_own(pool, json_tokener_parse(extensions));
    const char *h = NULL, *msg = NULL;
    int st = gql_persist_request_hash(pool, e, &h, &msg);

    return st == 1 ? h : st == 0 ? "none" : msg;
}

static void test_request(void)
{
    char *abc = hash("abc");

    is_str(request("{}"), "none", "no persistedQuery");
    is_str(request("{\"persistedQuery\": null}"), "none", "a null one");
    is_str(request(apr_psprintf(pool, "{\"persistedQuery\": {\"version\": 1, "
                                "\"sha256Hash\": \"%s\"}}", abc)), abc,
           "version 1 with a hash");
    is_str(request(apr_psprintf(pool, "{\"persistedQuery\": {\"version\": 2, "
                                "\"sha256Hash\": \"%s\"}}", abc)),
           "Unsupported persisted query version: the \"persistedQuery\" "
           "extension must have \"version\": 1.", "version 2");
    ok(strstr(request("{\"persistedQuery\": {\"version\": 1, "
                      "\"sha256Hash\": \"abc\"}}"), "64 hex digits") != NULL,
       "a hash too short");
    ok(strstr(request(apr_psprintf(pool, "{\"persistedQuery\": {\"version\": "
                                   "1, \"sha256Hash\": \"sha256:%s\"}}",
                                   abc)), "64 hex digits") != NULL,
       "sha256: is not Apollo's");
    ok(strstr(request("{\"persistedQuery\": 1}"), "JSON object") != NULL,
       "not an object");
}

/* Remove the temporary directory's files, then it. */
static void remove_dir(void)
{
    apr_dir_t *d;
    apr_finfo_t fi;

    if (apr_dir_open(&d, dir, pool) != APR_SUCCESS) {
        return;
    }
    while (apr_dir_read(&fi, APR_FINFO_NAME | APR_FINFO_TYPE, d)
           == APR_SUCCESS) {
        if (fi.filetype == APR_REG) {
            apr_file_remove(apr_pstrcat(pool, dir, "/", fi.name, NULL),
                            pool);
        }
    }
    apr_dir_close(d);
    apr_dir_remove(dir, pool);
}

int main(void)
{
    const char *base;
    char *tmp;

    apr_initialize();
    apr_pool_create(&pool, NULL);
    apr_temp_dir_get(&base, pool);
    tmp = apr_pstrcat(pool, base, "/gql_persist.XXXXXX", NULL);
    dir = mkdtemp(tmp);
    setup_ok(dir != NULL, "a temporary directory");
    if (dir == NULL) {
        return tap_done();
    }
    test_hashes();
    test_formats();
    test_mistakes();
    test_two_files();
    test_prepare();
    test_request();
    remove_dir();
    apr_pool_destroy(pool);
    apr_terminate();
    return tap_done();
}
