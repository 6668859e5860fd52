/* Licensed under the Apache License, Version 2.0 (the "License"); you may
 * not use this file except in compliance with the License.  You may obtain
 * a copy of the License at http://www.apache.org/licenses/LICENSE-2.0
 */

/*
 * t/unit/gql_request.c: request parameters from JSON bodies and query
 * strings, Content-Type and Accept decisions, and the JSON that the
 * response writer produces for errors.
 */

#include <apr_general.h>
#include <apr_strings.h>
#include "gql_json.h"
#include "gql_request.h"
#include "tap.h"

static apr_pool_t *pool;

/* The message a bad body gets, or "OK". */
static const char *body(const char *text)
{
    gql_request_t *req = NULL;
    const char *msg = NULL;
    int st = gql_request_from_json(pool, text, strlen(text), &req, &msg);

    if (st == 0) {
        return req != NULL ? "OK" : "no request";
    }
    return st == 400 ? msg : "not 400";
}

static const char *args(const char *text)
{
    gql_request_t *req = NULL;
    const char *msg = NULL;
    int st = gql_request_from_args(pool, text, &req, &msg);

    if (st == 0) {
        return req != NULL ? "OK" : "no request";
    }
    return st == 400 ? msg : "not 400";
}

static void test_body(void)
{
    gql_request_t *req = NULL;
    const char *msg = NULL;
    const char *good = "{\"query\":\"{ a }\",\"operationName\":\"Op\","
                       "\"variables\":{\"x\":1},\"extensions\":{}}";

    ok(gql_request_from_json(pool, good, strlen(good), &req, &msg) == 0,
       "a full body is accepted");
    is_str(req ? req->query : NULL, "{ a }", "query read");
    ok(req && req->query_len == 5, "query length");
    is_str(req ? req->operation_name : NULL, "Op", "operationName read");
    is_str(req && req->variables ? gql_json_text(req->variables) : NULL,
           "{\"x\":1}", "variables read");
    ok(req && req->extensions != NULL, "extensions read");

    is_str(body("{\"query\":\"{a}\",\"variables\":null,"
                "\"operationName\":null,\"extensions\":null}"), "OK",
           "null optional parameters mean absent");
    is_str(body("  {\"query\":\"{a}\"}\n"), "OK", "surrounding whitespace");
    is_str(body("{\"query\":\"{a}\""),
           "Request body is not valid JSON: unexpected end of data at byte "
           "14.", "truncated body");
    is_str(body("{\"query\":\"{a}\"} x"),
           "Request body is not valid JSON: unexpected character at byte "
           "16.", "trailing garbage");
    is_str(body("{query:1}"),
           "Request body is not valid JSON: quoted object property name "
           "expected at byte 1.", "unquoted key");
    is_str(body(""), "Request body is not valid JSON: the text is empty.",
           "empty body");
    is_str(body("null"), "Request body must be a JSON object with a "
           "\"query\" string, not null.", "null body");
    is_str(body("[1]"), "Request body must be a JSON object with a \"query\" "
           "string, not an array.", "array body");
    is_str(body("\"{a}\""), "Request body must be a JSON object with a "
           "\"query\" string, not a string.", "string body");
    is_str(body("{}"), "Missing query: the request needs a \"query\" "
           "string.", "missing query");
    is_str(body("{\"query\":null}"), "Missing query: the request needs a "
           "\"query\" string.", "null query");
    is_str(body("{\"query\":1}"), "The \"query\" parameter must be a string, "
           "not a number.", "numeric query");
    is_str(body("{\"query\":\"{a}\",\"operationName\":true}"),
           "The \"operationName\" parameter must be a string, not a "
           "boolean.", "boolean operationName");
    is_str(body("{\"query\":\"{a}\",\"variables\":[]}"),
           "The \"variables\" parameter must be a JSON object, not an "
           "array.", "array variables");
    is_str(body("{\"query\":\"{a}\",\"variables\":\"{}\"}"),
           "The \"variables\" parameter must be a JSON object, not a "
           "string.", "string variables");
    is_str(body("{\"query\":\"{a}\",\"extensions\":3}"),
           "The \"extensions\" parameter must be a JSON object, not a "
           "number.", "numeric extensions");
    is_str(body("{\"query\":\"\xff\"}"), "Request body is not valid JSON: "
           "invalid utf-8 string at byte 10.", "invalid UTF-8");
    ok(gql_request_from_json(pool, "{\"query\":\"a\"}\0", 14, &req, &msg)
       == 400 && strstr(msg, "NUL character at byte 13") != NULL,
       "a NUL byte is refused");
}

/* {"query":"{a}","variables":{"v":[ITEM,ITEM,...]}} with n items. */
static const char *many(const char *item, int n)
{
    apr_size_t il = strlen(item), len = 0;
    char *buf = apr_palloc(pool, 64 + (il + 1) * (apr_size_t)n);
    int i;

    len += (apr_size_t)sprintf(buf, "{\"query\":\"{a}\",\"variables\":"
                               "{\"v\":[");
    for (i = 0; i < n; i++) {
        memcpy(buf + len, item, il);
        len += il;
        buf[len++] = i + 1 < n ? ',' : ']';
    }
    strcpy(buf + len, "}}");
    return buf;
}

/* The tree json-c builds costs a few hundred bytes a value: a body is
 * refused before parsing when it holds too many. */
static void test_body_limits(void)
{
    is_str(body(many("{}", GQL_JSON_MAX_CONTAINERS - 3)), "OK",
           "containers up to the limit");
    is_str(body(many("{}", GQL_JSON_MAX_CONTAINERS - 2)),
           apr_psprintf(pool, "Request body is not valid JSON: more than %d "
                        "objects and arrays.", GQL_JSON_MAX_CONTAINERS),
           "one container more is refused");
    is_str(body(many("0", GQL_JSON_MAX_VALUES - 4)), "OK",
           "values up to the limit");
    is_str(body(many("0", GQL_JSON_MAX_VALUES - 3)),
           apr_psprintf(pool, "Request body is not valid JSON: more than %d "
                        "values.", GQL_JSON_MAX_VALUES),
           "one value more is refused");
    is_str(body(many("\"[{,:}]\"", GQL_JSON_MAX_CONTAINERS)), "OK",
           "brackets and commas inside strings do not count");
    is_str(body(many("\"\\\"[\"", GQL_JSON_MAX_CONTAINERS)), "OK",
           "nor after an escaped quote");
}

static void test_args(void)
{
    gql_request_t *req = NULL;
    const char *msg = NULL;

    ok(gql_request_from_args(pool, "query=%7B+a+%7D&x=1&operationName=Op"
                             "&variables=%7B%22v%22%3Atrue%7D", &req, &msg)
       == 0, "GET parameters accepted");
    is_str(req ? req->query : NULL, "{ a }", "+ and %XX decoded");
    is_str(req ? req->operation_name : NULL, "Op", "operationName decoded");
    is_str(req && req->variables ? gql_json_text(req->variables) : NULL,
           "{\"v\":true}", "variables decoded and parsed");
    ok(gql_request_from_args(pool, "query=a%00b", &req, &msg) == 0
       && req->query_len == 3, "%00 kept in the query length");
    ok(gql_request_from_args(pool, "query", &req, &msg) == 0
       && req->query_len == 0, "a parameter without '=' is empty");
    is_str(args(NULL), "Missing query: the request needs a \"query\" "
           "parameter.", "no query string");
    is_str(args("q=1&query2=x"), "Missing query: the request needs a "
           "\"query\" parameter.", "no query parameter");
    is_str(args("query=a&query=b"), "The \"query\" parameter is given more "
           "than once.", "repeated query");
    is_str(args("query=%7"), "The \"query\" parameter has a malformed "
           "%-escape.", "short escape");
    is_str(args("query=%zz"), "The \"query\" parameter has a malformed "
           "%-escape.", "non-hex escape");
    is_str(args("query=a&variables=%7B"), "The \"variables\" parameter is "
           "not valid JSON: unexpected end of data at byte 1.",
           "bad variables JSON");
    is_str(args("query=a&variables=1"), "The \"variables\" parameter must "
           "be a JSON object, not a number.", "non-object variables");
    is_str(args("query=a&extensions=%5B%5D"), "The \"extensions\" parameter "
           "must be a JSON object, not an array.", "non-object extensions");
    is_str(args("query=a&variables=null&&"), "OK", "null variables, empty "
           "pairs");
}

/* An Accept header and whether a test of it should hold. */
typedef struct accept_case {
    const char *accept;
    int want;
} accept_case;

/* Each case through test, named "Accept: A yes|no what". */
static void accept_cases(const accept_case *cases, size_t n,
                         int (*test)(apr_pool_t *, const char *),
                         const char *yes, const char *no, const char *what)
{
    size_t i;

    for (i = 0; i < n; i++) {
        ok(test(pool, cases[i].accept) == cases[i].want,
           apr_psprintf(pool, "Accept: %s %s %s",
                        cases[i].accept ? cases[i].accept : "(none)",
                        cases[i].want ? yes : no, what));
    }
}

/* When a GET without a query gets GraphiQL instead of 406 or JSON. */
static void test_prefers_html(void)
{
    static const accept_case cases[] = {
        { "text/html,application/xhtml+xml,application/xml;q=0.9,"
          "image/avif,image/webp,*/*;q=0.8", 1 },
        { "text/html", 1 },
        { "Text/HTML;q=0.5", 1 },
        { "text/*", 1 },
        { "text/*;q=0.9, application/json;q=0.8", 1 },
        { NULL, 0 },
        { "", 0 },
        { "*/*", 0 },
        { "text/html, */*", 0 },
        { "text/html, application/graphql-response+json", 0 },
        { "text/html;q=0.9, application/json", 0 },
        { "text/html;q=0", 0 },
        { "text/plain", 0 },
        { "application/*, text/html;q=0.9", 0 },
        { "text/html;q=0.5, application/*;q=0.4", 1 },
    };

    accept_cases(cases, sizeof(cases) / sizeof(cases[0]),
                 gql_request_prefers_html, "prefers", "does not prefer",
                 "HTML");
}

/* When a request asks for GraphQL over Server-Sent Events. */
static void test_wants_events(void)
{
    static const accept_case cases[] = {
        { "text/event-stream", 1 },
        { "Text/Event-Stream; charset=utf-8", 1 },
        { "application/json, text/event-stream;q=0.5", 1 },
        { "text/event-stream;q=0", 0 },
        { "text/event-stream;charset=latin1", 0 },
        { "text/*", 0 },
        { "*/*", 0 },
        { "application/json", 0 },
        { "", 0 },
        { NULL, 0 },
    };

    accept_cases(cases, sizeof(cases) / sizeof(cases[0]),
                 gql_request_wants_events, "asks for", "does not ask for",
                 "events");
}

static void test_media(void)
{
    static const struct {
        const char *accept;
        gql_media_e want;
    } cases[] = {
        { NULL, GQL_MEDIA_GRAPHQL_RESPONSE },
        { "", GQL_MEDIA_GRAPHQL_RESPONSE },
        { "*/*", GQL_MEDIA_GRAPHQL_RESPONSE },
        { "application/*", GQL_MEDIA_GRAPHQL_RESPONSE },
        { "application/json", GQL_MEDIA_JSON },
        { "Application/JSON; charset=utf-8", GQL_MEDIA_JSON },
        { "application/graphql-response+json", GQL_MEDIA_GRAPHQL_RESPONSE },
        { "application/json, application/graphql-response+json",
          GQL_MEDIA_GRAPHQL_RESPONSE },
        { "application/json, application/graphql-response+json;q=0.9",
          GQL_MEDIA_JSON },
        { "application/graphql-response+json;q=0, */*", GQL_MEDIA_JSON },
        { "application/*;q=0.5, application/json", GQL_MEDIA_JSON },
        { "text/html,application/xhtml+xml,*/*;q=0.8",
          GQL_MEDIA_GRAPHQL_RESPONSE },
        { "text/html", GQL_MEDIA_NONE },
        { "application/json;charset=latin1", GQL_MEDIA_NONE },
        { "application/json;q=0", GQL_MEDIA_NONE },
        { "*/*;q=0.000", GQL_MEDIA_NONE },
        { "application/json; q=\"0\", text/plain", GQL_MEDIA_JSON },
        { "text/*", GQL_MEDIA_NONE },
        { "text/*, application/*;q=0.5", GQL_MEDIA_GRAPHQL_RESPONSE },
    };
    size_t i;

    for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        ok(gql_request_accept(pool, cases[i].accept) == cases[i].want,
           apr_psprintf(pool, "Accept: %s -> %d",
                        cases[i].accept ? cases[i].accept : "(none)",
                        cases[i].want));
    }
    test_prefers_html();
    test_wants_events();
    is_str(gql_media_types[GQL_MEDIA_JSON], "application/json; charset=utf-8",
           "JSON content type");
    ok(gql_request_content_type_ok(pool, "application/json"),
       "Content-Type application/json");
    ok(gql_request_content_type_ok(pool, "Application/Json; Charset=UTF-8"),
       "Content-Type with charset UTF-8");
    ok(gql_request_content_type_ok(pool, "application/json;charset=\"utf-8\""),
       "Content-Type with a quoted charset");
    ok(!gql_request_content_type_ok(pool, "application/json; charset=latin1"),
       "Content-Type with another charset");
    ok(!gql_request_content_type_ok(pool, "text/plain"),
       "Content-Type text/plain");
    ok(!gql_request_content_type_ok(pool, "application/graphql"),
       "Content-Type application/graphql");
    ok(!gql_request_content_type_ok(pool, NULL), "no Content-Type");
}

static void test_json(void)
{
    apr_array_header_t *errors = gql_errors_make(pool);
    gql_loc_t l1 = { 2, 3 }, l2 = { 4, 1 };
    gql_path_t p0 = { NULL, "a", 0 }, p1 = { &p0, NULL, 2 },
               p2 = { &p1, "b", 0 };
    gql_error_t *e = gql_error_add(pool, errors, &l1, "Boom %d.", 1);
    const char *data = "{\"a\":null}";

    gql_error_add_loc(pool, e, &l2);
    e->path = &p2;
    e->code = "X_CODE";
    is_str(gql_json_response(pool, errors, data, 1),
           "{\"errors\":[{\"message\":\"Boom 1.\",\"locations\":[{\"line\":2,"
           "\"column\":3},{\"line\":4,\"column\":1}],\"path\":[\"a\",2,"
           "\"b\"],\"extensions\":{\"code\":\"X_CODE\"}}],"
           "\"data\":{\"a\":null}}", "errors first, then data");
    is_str(gql_json_response(pool, errors, NULL, 1),
           "{\"errors\":[{\"message\":\"Boom 1.\",\"locations\":[{\"line\":2,"
           "\"column\":3},{\"line\":4,\"column\":1}],\"path\":[\"a\",2,"
           "\"b\"],\"extensions\":{\"code\":\"X_CODE\"}}],\"data\":null}",
           "null data");
    is_str(gql_json_response(pool, NULL, data, 1), "{\"data\":{\"a\":null}}",
           "data alone");
    is_str(gql_json_request_error(pool, "No \"x\" / y."),
           "{\"errors\":[{\"message\":\"No \\\"x\\\" / y.\"}]}",
           "request error body, slashes unescaped");
}

/* U+0000 where a C string or json-c would cut it: the request is read
 * and marked refused. */
static const char *refused_body(const char *text)
{
    gql_request_t *req = NULL;
    const char *msg = NULL;

    if (gql_request_from_json(pool, text, strlen(text), &req, &msg) != 0) {
        return msg;
    }
    return req->refused ? req->refused : "not refused";
}

static void test_nul(void)
{
    gql_request_t *req = NULL;
    const char *msg = NULL;

    is_str(refused_body("{\"query\":\"{ a }\",\"operationName\":"
                        "\"A\\u0000B\"}"),
           "The \"operationName\" parameter holds U+0000, which is not "
           "allowed.", "operationName holding U+0000");
    is_str(refused_body("{\"query\":\"{ a }\",\"variables\":"
                        "{\"x\\u0000y\":1}}"),
           "A member name of the request holds U+0000, which is not "
           "allowed.", "a variable's name holding U+0000");
    is_str(refused_body("{\"query\":\"{ a(s: \\\"\\\\u0000\\\") }\","
                        "\"variables\":{\"x\":\"\\u0000\"}}"),
           "not refused", "U+0000 in a value: for coercion and validation");
    ok(gql_request_from_args(pool, "query=%7Ba%7D&operationName=A%00B",
                             &req, &msg) == 0 && req->refused != NULL,
       "a GET's operationName holding U+0000");
    req = NULL;
    ok(gql_request_from_args(pool, "query=%7Ba%7D&variables=%7B%22x%5Cu0000"
                             "%22%3A1%7D", &req, &msg) == 0
       && req->refused != NULL, "a GET's variable name holding U+0000");
}

/* A persisted document's request: documentId, or Apollo's persistedQuery,
 * in place of a query. */
static void test_document_id(void)
{
    gql_request_t *req = NULL;
    const char *msg = NULL;
    const char *b = "{\"documentId\":\"sha256:ab\",\"variables\":{}}";
    /* query string, what it gives, the check's name */
    static const char *const gets[][3] = {
        { "extensions=%7B%22persistedQuery%22%3A%7B%7D%7D", "OK",
          "GET: a persistedQuery and no query" },
        { "extensions=%7B%7D", "Missing query: the request needs a "
          "\"query\" parameter.", "GET: extensions without one" },
        { "documentId=a&documentId=b", "The \"documentId\" parameter is "
          "given more than once.", "GET: two documentIds" }
    };
    int i;

    ok(gql_request_from_json(pool, b, strlen(b), &req, &msg) == 0,
       "a body with a documentId and no query");
    ok(req && req->query == NULL, "has no query");
    is_str(req ? req->document_id : NULL, "sha256:ab", "documentId read");
    is_str(body("{\"extensions\":{\"persistedQuery\":{}}}"), "OK",
           "a body with a persistedQuery and no query");
    is_str(body("{\"extensions\":{\"persistedQuery\":null}}"),
           "Missing query: the request needs a \"query\" string.",
           "a null persistedQuery is none");
    is_str(body("{\"documentId\":null}"),
           "Missing query: the request needs a \"query\" string.",
           "nor is a null documentId");
    is_str(body("{\"documentId\":7}"), "The \"documentId\" parameter must "
           "be a string, not a number.", "a documentId that is no string");
    b = "{\"documentId\":\"a\\u0000b\"}";
    ok(gql_request_from_json(pool, b, strlen(b), &req, &msg) == 0
       && req->refused != NULL, "a documentId holding U+0000 is refused");
    ok(gql_request_from_args(pool, "documentId=Feed&variables=%7B%7D", &req,
                             &msg) == 0
       && req->query == NULL && strcmp(req->document_id, "Feed") == 0,
       "GET: documentId read, no query");
    for (i = 0; i < (int)(sizeof(gets) / sizeof(gets[0])); i++) {
        is_str(args(gets[i][0]), gets[i][1], gets[i][2]);
    }
}

int main(void)
{
    apr_initialize();
    apr_pool_create(&pool, NULL);
    test_body();
    test_body_limits();
    test_args();
    test_media();
    test_json();
    test_nul();
    test_document_id();
    apr_pool_destroy(pool);
    apr_terminate();
    return tap_done();
}
