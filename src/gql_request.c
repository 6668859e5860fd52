/* Licensed under the Apache License, Version 2.0 (the "License"); you may
 * not use this file except in compliance with the License.  You may obtain
 * a copy of the License at http://www.apache.org/licenses/LICENSE-2.0
 */

/*
 * gql_request.c: GraphQL-over-HTTP request parameters (a JSON body or a
 * URL query string) and media type negotiation.
 */

#include <limits.h>
#include <string.h>
#include <strings.h>
#include <apr_lib.h>
#include <apr_strings.h>
#include "gql_json.h"
#include "gql_request.h"

#define BAD_REQUEST 400
#define MISSING_QUERY_PARAM "Missing query: the request needs a \"query\" " \
                            "parameter."

/* gql_request_t.refused: PostgreSQL's text cannot hold U+0000, and json-c
 * cuts a member name at it, so a client that sends one is told. */
#define NUL_OPNAME "The \"operationName\" parameter holds U+0000, which " \
                   "is not allowed."
#define NUL_DOCUMENT_ID "The \"documentId\" parameter holds U+0000, " \
                        "which no document's id has."
#define NUL_NAME "A member name of the request holds U+0000, which is " \
                 "not allowed."

const char *const gql_media_types[] = {
    NULL,
    "application/json; charset=utf-8",
    "application/graphql-response+json; charset=utf-8"
};

static const char *type_name(json_object *v)
{
    switch (json_object_get_type(v)) {
    case json_type_null:
        return "null";
    case json_type_boolean:
        return "a boolean";
    case json_type_double:
    case json_type_int:
        return "a number";
    case json_type_object:
        return "an object";
    case json_type_array:
        return "an array";
    case json_type_string:
        return "a string";
    }
    return "a value";
}

/*
 * Count the containers and values of JSON text without building anything,
 * so that parse() can refuse a body whose tree would be out of proportion
 * to its size.  Values are counted by their separators: good enough for a
 * bound, exact for well-formed text.
 */
static const char *too_many(apr_pool_t *p, const char *text, apr_size_t len)
{
    apr_size_t i, containers = 0, values = 1;
    int in_string = 0;

    for (i = 0; i < len; i++) {
        char c = text[i];

        if (in_string) {
            if (c == '\\') {
                i++;
            }
            else if (c == '"') {
                in_string = 0;
            }
            continue;
        }
        if (c == '"') {
            in_string = 1;
        }
        else if (c == '{' || c == '[') {
            containers++;
        }
        else if (c == ',' || c == ':') {
            values++;
        }
    }
    if (containers > GQL_JSON_MAX_CONTAINERS) {
        return apr_psprintf(p, "more than %d objects and arrays",
                            GQL_JSON_MAX_CONTAINERS);
    }
    if (values > GQL_JSON_MAX_VALUES) {
        return apr_psprintf(p, "more than %d values", GQL_JSON_MAX_VALUES);
    }
    return NULL;
}

/* The calling thread's tokener, made on its first request and reused,
 * reset, by every later one: a tokener of GQL_JSON_MAX_DEPTH levels is a
 * large allocation, which made per request cost more than the parse.  It
 * lives as long as the thread. */
static json_tokener *thread_tokener(void)
{
    static __thread json_tokener *tok;

    if (tok == NULL) {
        tok = json_tokener_new_ex(GQL_JSON_MAX_DEPTH);
    }
    return tok;
}

/*
 * Parse text[0..len) as one JSON value into *out (owned by p).  json-c
 * needs to see the end of the input to finish a top-level number or
 * literal, so it is given the terminating NUL too; a NUL inside the text
 * is never valid JSON and is refused first.
 */
static int parse(apr_pool_t *p, const char *text, apr_size_t len,
                 json_object **out, const char **why)
{
    struct json_tokener *tok;
    enum json_tokener_error jerr;
    apr_size_t end;
    char *buf;

    if (len == 0) {
        *why = "the text is empty";
        return 0;
    }
    if (memchr(text, '\0', len) != NULL) {
        *why = apr_psprintf(p, "NUL character at byte %" APR_SIZE_T_FMT,
                            (apr_size_t)((const char *)memchr(text, '\0', len)
                                         - text));
        return 0;
    }
    if (len >= INT_MAX) {
        *why = "the text is too long";
        return 0;
    }
    if ((*why = too_many(p, text, len)) != NULL) {
        return 0;
    }
    buf = apr_pstrmemdup(p, text, len);
    tok = thread_tokener();
    if (tok == NULL) {
        *why = "out of memory";
        return 0;
    }
    json_tokener_set_flags(tok, JSON_TOKENER_STRICT
                                | JSON_TOKENER_VALIDATE_UTF8);
    *out = gql_json_own(p, json_tokener_parse_ex(tok, buf, (int)len + 1));
    jerr = json_tokener_get_error(tok);
    end = json_tokener_get_parse_end(tok);
    json_tokener_reset(tok);            /* what a failed parse left */
    /* A JSON null parses to NULL with success. */
    if (jerr != json_tokener_success) {
        *why = apr_psprintf(p, "%s at byte %" APR_SIZE_T_FMT,
                            json_tokener_error_desc(jerr), end);
        return 0;
    }
    return 1;
}

/* A parameter that must be a string (or null, meaning absent) into *out
 * (NULL when absent); *nul says whether it holds U+0000. */
static int string_param(apr_pool_t *p, json_object *top, const char *name,
                        const char **out, int *nul, const char **msg)
{
    json_object *v = NULL;

    *out = NULL;
    *nul = 0;
    if (!json_object_object_get_ex(top, name, &v)
        || json_object_is_type(v, json_type_null)) {
        return 1;
    }
    if (!json_object_is_type(v, json_type_string)) {
        *msg = apr_psprintf(p, "The \"%s\" parameter must be a string, not "
                            "%s.", name, type_name(v));
        return 0;
    }
    *out = json_object_get_string(v);
    *nul = memchr(*out, '\0', json_object_get_string_len(v)) != NULL;
    return 1;
}

/* Whether a body without a query names a persisted document instead:
 * a documentId, or extensions with a persistedQuery (gql_persist.h
 * reads them). */
static int names_document(json_object *top)
{
    json_object *v;

    return (json_object_object_get_ex(top, "documentId", &v)
            && !json_object_is_type(v, json_type_null))
           || (json_object_object_get_ex(top, "extensions", &v)
               && json_object_object_get_ex(v, "persistedQuery", &v)
               && !json_object_is_type(v, json_type_null));
}

/* A parameter that must be a JSON object (or null, meaning absent). */
static int object_param(apr_pool_t *p, const char *name, json_object *v,
                        json_object **out, const char **msg)
{
    if (v == NULL || json_object_is_type(v, json_type_null)) {
        *out = NULL;
        return 1;
    }
    if (!json_object_is_type(v, json_type_object)) {
        *msg = apr_psprintf(p, "The \"%s\" parameter must be a JSON object, "
                            "not %s.", name, type_name(v));
        return 0;
    }
    *out = v;
    return 1;
}

int gql_request_from_json(apr_pool_t *p, const char *body, apr_size_t len,
                          gql_request_t **req, const char **msg)
{
    gql_request_t *rq = apr_pcalloc(p, sizeof(*rq));
    json_object *top, *v;
    const char *why;
    int nul;

    if (!parse(p, body, len, &top, &why)) {
        *msg = apr_psprintf(p, "Request body is not valid JSON: %s.", why);
        return BAD_REQUEST;
    }
    if (!json_object_is_type(top, json_type_object)) {
        *msg = apr_psprintf(p, "Request body must be a JSON object with a "
                            "\"query\" string, not %s.", type_name(top));
        return BAD_REQUEST;
    }
    if (!json_object_object_get_ex(top, "query", &v)
        || json_object_is_type(v, json_type_null)) {
        if (!names_document(top)) {
            *msg = "Missing query: the request needs a \"query\" string.";
            return BAD_REQUEST;
        }
    }
    else if (!json_object_is_type(v, json_type_string)) {
        *msg = apr_psprintf(p, "The \"query\" parameter must be a string, "
                            "not %s.", type_name(v));
        return BAD_REQUEST;
    }
    else {
        rq->query = json_object_get_string(v);
        rq->query_len = (apr_size_t)json_object_get_string_len(v);
    }
    if (!string_param(p, top, "operationName", &rq->operation_name, &nul,
                      msg)) {
        return BAD_REQUEST;
    }
    if (nul) {
        rq->refused = NUL_OPNAME;
    }
    v = NULL;
    json_object_object_get_ex(top, "variables", &v);
    if (!object_param(p, "variables", v, &rq->variables, msg)) {
        return BAD_REQUEST;
    }
    v = NULL;
    json_object_object_get_ex(top, "extensions", &v);
    if (!object_param(p, "extensions", v, &rq->extensions, msg)) {
        return BAD_REQUEST;
    }
    if (!string_param(p, top, "documentId", &rq->document_id, &nul, msg)) {
        return BAD_REQUEST;
    }
    if (nul) {
        rq->refused = NUL_DOCUMENT_ID;
    }
    if (gql_json_nul(body, len) & GQL_JSON_NUL_NAME) {
        rq->refused = NUL_NAME;
    }
    *req = rq;
    return 0;
}

static int hexval(int c)
{
    if (c >= '0' && c <= '9') {
        return c - '0';
    }
    c = apr_tolower(c);
    return (c >= 'a' && c <= 'f') ? c - 'a' + 10 : -1;
}

/* application/x-www-form-urlencoded decoding of s[0..len) into a new
 * NUL-terminated string; *outlen gets its length (it may hold NULs).
 * Returns NULL on a malformed %-escape. */
static char *decode(apr_pool_t *p, const char *s, apr_size_t len,
                    apr_size_t *outlen)
{
    char *out = apr_palloc(p, len + 1);
    apr_size_t i, n = 0;

    for (i = 0; i < len; i++) {
        if (s[i] == '+') {
            out[n++] = ' ';
        }
        else if (s[i] != '%') {
            out[n++] = s[i];
        }
        else if (i + 2 < len && hexval(s[i + 1]) >= 0
                 && hexval(s[i + 2]) >= 0) {
            out[n++] = (char)(hexval(s[i + 1]) * 16 + hexval(s[i + 2]));
            i += 2;
        }
        else {
            return NULL;
        }
    }
    out[n] = '\0';
    *outlen = n;
    return out;
}

/* The four parameters of a GraphQL GET, in one table so that each is read
 * once and a repeated one is noticed. */
enum { P_QUERY, P_VARIABLES, P_OPNAME, P_EXTENSIONS, P_DOCUMENT_ID,
       P_COUNT };
static const char *const param_names[P_COUNT] = {
    "query", "variables", "operationName", "extensions", "documentId"
};

static int json_param(apr_pool_t *p, const char *name, const char *text,
                      apr_size_t len, json_object **out, const char **msg)
{
    json_object *v;
    const char *why;

    if (text == NULL) {
        *out = NULL;
        return 1;
    }
    if (!parse(p, text, len, &v, &why)) {
        *msg = apr_psprintf(p, "The \"%s\" parameter is not valid JSON: %s.",
                            name, why);
        return 0;
    }
    return object_param(p, name, v, out, msg);
}

int gql_request_from_args(apr_pool_t *p, const char *args,
                          gql_request_t **req, const char **msg)
{
    gql_request_t *rq = apr_pcalloc(p, sizeof(*rq));
    const char *val[P_COUNT] = { NULL, NULL, NULL, NULL, NULL };
    apr_size_t vlen[P_COUNT] = { 0, 0, 0, 0, 0 };
    const char *s = args ? args : "";

    while (*s) {
        apr_size_t plen = strcspn(s, "&"), klen, n;
        const char *eq = memchr(s, '=', plen);
        char *key;
        int i;

        klen = eq ? (apr_size_t)(eq - s) : plen;
        key = decode(p, s, klen, &n);
        for (i = 0; key != NULL && i < P_COUNT; i++) {
            if (strcmp(key, param_names[i]) != 0) {
                continue;
            }
            if (val[i] != NULL) {
                *msg = apr_psprintf(p, "The \"%s\" parameter is given more "
                                    "than once.", param_names[i]);
                return BAD_REQUEST;
            }
            val[i] = eq ? decode(p, eq + 1, plen - klen - 1, &vlen[i])
                        : decode(p, "", 0, &vlen[i]);
            if (val[i] == NULL) {
                *msg = apr_psprintf(p, "The \"%s\" parameter has a malformed "
                                    "%%-escape.", param_names[i]);
                return BAD_REQUEST;
            }
        }
        s += plen;
        if (*s == '&') {
            s++;
        }
    }
    if (val[P_QUERY] == NULL && val[P_DOCUMENT_ID] == NULL
        && val[P_EXTENSIONS] == NULL) {
        *msg = MISSING_QUERY_PARAM;
        return BAD_REQUEST;
    }
    rq->query = val[P_QUERY];
    rq->query_len = vlen[P_QUERY];
    rq->operation_name = val[P_OPNAME];
    if (val[P_OPNAME] && memchr(val[P_OPNAME], '\0', vlen[P_OPNAME])) {
        rq->refused = NUL_OPNAME;
    }
    if ((val[P_VARIABLES] && gql_json_nul(val[P_VARIABLES],
                                          vlen[P_VARIABLES])
         & GQL_JSON_NUL_NAME)
        || (val[P_EXTENSIONS] && gql_json_nul(val[P_EXTENSIONS],
                                              vlen[P_EXTENSIONS])
            & GQL_JSON_NUL_NAME)) {
        rq->refused = NUL_NAME;
    }
    if (!json_param(p, "variables", val[P_VARIABLES], vlen[P_VARIABLES],
                    &rq->variables, msg)
        || !json_param(p, "extensions", val[P_EXTENSIONS],
                       vlen[P_EXTENSIONS], &rq->extensions, msg)) {
        return BAD_REQUEST;
    }
    rq->document_id = val[P_DOCUMENT_ID];
    if (val[P_DOCUMENT_ID] && memchr(val[P_DOCUMENT_ID], '\0',
                                     vlen[P_DOCUMENT_ID])) {
        rq->refused = NUL_DOCUMENT_ID;
    }
    if (val[P_QUERY] == NULL && val[P_DOCUMENT_ID] == NULL
        && !json_object_object_get_ex(rq->extensions, "persistedQuery",
                                      NULL)) {
        *msg = MISSING_QUERY_PARAM;
        return BAD_REQUEST;
    }
    *req = rq;
    return 0;
}

/* One element of a media type header: "type/subtype; k=v; ...".  s is
 * advanced past it (and its comma).  type is lowercased; q is 1000 times
 * the q-value; charset is NULL when absent. */
typedef struct media_range_t {
    char *type;
    const char *charset;
    int q;
} media_range_t;

static char *token(apr_pool_t *p, const char **s, const char *stops)
{
    const char *b, *e;

    while (**s == ' ' || **s == '\t') {
        (*s)++;
    }
    b = *s;
    *s += strcspn(*s, stops);
    e = *s;
    while (e > b && (e[-1] == ' ' || e[-1] == '\t')) {
        e--;
    }
    return apr_pstrmemdup(p, b, e - b);
}

/* qvalue = ( "0" [ "." 0*3DIGIT ] ) / ( "1" [ "." 0*3("0") ] ); anything
 * else is read as 1, as a lenient server would. */
static int qvalue(const char *v)
{
    int q = 0, scale = 100;

    if (v[0] != '0' && v[0] != '1') {
        return 1000;
    }
    q = (v[0] - '0') * 1000;
    if (v[1] == '.') {
        for (v += 2; apr_isdigit(*v) && scale > 0; v++, scale /= 10) {
            q += (*v - '0') * scale;
        }
    }
    return q > 1000 ? 1000 : q;
}

static void range(apr_pool_t *p, const char **s, media_range_t *m)
{
    char *c;

    m->type = token(p, s, ";,");
    m->charset = NULL;
    m->q = 1000;
    for (c = m->type; *c; c++) {
        *c = apr_tolower(*c);
    }
    while (**s == ';') {
        char *k, *v;

        (*s)++;
        k = token(p, s, "=;,");
        v = (**s == '=') ? ((*s)++, token(p, s, ";,")) : "";
        if (strcasecmp(k, "q") == 0) {
            m->q = qvalue(v);
        }
        else if (strcasecmp(k, "charset") == 0) {
            apr_size_t n = strlen(v);

            m->charset = (n >= 2 && v[0] == '"' && v[n - 1] == '"')
                         ? apr_pstrmemdup(p, v + 1, n - 2) : v;
        }
    }
    if (**s == ',') {
        (*s)++;
    }
}

/* How specifically range m names the media type mt (type/subtype):
 * 3 exactly (with an acceptable charset), 2 as type/ *, 1 as * / *, 0 not
 * at all.  A charset other than UTF-8 makes an exact range not match. */
static int specificity(const media_range_t *m, const char *mt)
{
    if (strcmp(m->type, "*/*") == 0) {
        return 1;
    }
    if (strcmp(m->type + strcspn(m->type, "/"), "/*") == 0) {
        return strncmp(m->type, mt, strlen(m->type) - 1) == 0 ? 2 : 0;
    }
    if (strcmp(m->type, mt) == 0) {
        return (m->charset == NULL || strcasecmp(m->charset, "utf-8") == 0
                || strcasecmp(m->charset, "utf8") == 0) ? 3 : 0;
    }
    return 0;
}

/* The q-value (x1000) the ranges give mt: that of its most specific
 * matching range (RFC 9110, 12.5.1), 0 when none matches. */
static int quality(const apr_array_header_t *ranges, const char *mt)
{
    int i, best = 0, q = 0;

    for (i = 0; i < ranges->nelts; i++) {
        const media_range_t *m = &APR_ARRAY_IDX(ranges, i, media_range_t);
        int sp = specificity(m, mt);

        if (sp > best || (sp == best && sp > 0 && m->q > q)) {
            best = sp;
            q = m->q;
        }
    }
    return q;
}

/* The ranges of an Accept header, those with an empty type left out. */
static apr_array_header_t *ranges_of(apr_pool_t *p, const char *accept)
{
    apr_array_header_t *ranges = apr_array_make(p, 4, sizeof(media_range_t));
    const char *s = accept;

    while (s != NULL && *s) {
        media_range_t *m = apr_array_push(ranges);

        range(p, &s, m);
        if (m->type[0] == '\0') {
            --ranges->nelts;
        }
    }
    return ranges;
}

gql_media_e gql_request_accept(apr_pool_t *p, const char *accept)
{
    apr_array_header_t *ranges = ranges_of(p, accept);
    int qg, qj;

    if (ranges->nelts == 0) {
        return GQL_MEDIA_GRAPHQL_RESPONSE;
    }
    qg = quality(ranges, "application/graphql-response+json");
    qj = quality(ranges, "application/json");
    if (qg == 0 && qj == 0) {
        return GQL_MEDIA_NONE;
    }
    return qg >= qj ? GQL_MEDIA_GRAPHQL_RESPONSE : GQL_MEDIA_JSON;
}

int gql_request_prefers_html(apr_pool_t *p, const char *accept)
{
    apr_array_header_t *ranges = ranges_of(p, accept);
    int qh = quality(ranges, "text/html");

    return qh > quality(ranges, "application/graphql-response+json")
           && qh > quality(ranges, "application/json");
}

int gql_request_content_type_ok(apr_pool_t *p, const char *content_type)
{
    media_range_t m;
    const char *s = content_type;
    int good;

    if (s == NULL) {
        return 0;
    }
    range(p, &s, &m);
    good = (*s == '\0' && strcmp(m.type, "application/json") == 0
            && (m.charset == NULL || strcasecmp(m.charset, "utf-8") == 0));
    return good;
}

int gql_request_wants_events(apr_pool_t *p, const char *accept)
{
    apr_array_header_t *ranges = ranges_of(p, accept);
    int i;

    for (i = 0; i < ranges->nelts; i++) {
        const media_range_t *m = &APR_ARRAY_IDX(ranges, i, media_range_t);

        if (specificity(m, "text/event-stream") == 3) {
            return m->q > 0;
        }
    }
    return 0;
}
