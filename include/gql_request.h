/* Licensed under the Apache License, Version 2.0 (the "License"); you may
 * not use this file except in compliance with the License.  You may obtain
 * a copy of the License at http://www.apache.org/licenses/LICENSE-2.0
 */

/*
 * gql_request.h: GraphQL-over-HTTP request parameters and the media type
 * decisions that need no httpd: the JSON body of a POST, the URL query
 * string of a GET, the request's Content-Type and its Accept header.
 *
 * Everything is allocated in the pool the caller passes; the json-c values
 * are borrowed from that pool (gql_json.h: the parsed tree's root is given
 * to it once, with gql_json_own).  Failures come back as an HTTP
 * status and a message meant for the client (it names what is wrong and
 * nothing of the server).
 */

#ifndef GQL_REQUEST_H
#define GQL_REQUEST_H

#include <apr_pools.h>
#include <json-c/json.h>

/* Nesting of JSON that a request body or variables may have. */
#define GQL_JSON_MAX_DEPTH 64

/* How many objects and arrays, and how many values in all, a request body
 * or a "variables" parameter may hold.  json-c spends a few hundred bytes
 * on each, so without these a 1 MiB body of "[{},{},...]" would cost a
 * quarter of a gigabyte to parse. */
#define GQL_JSON_MAX_CONTAINERS 10000
#define GQL_JSON_MAX_VALUES 100000

typedef struct gql_request_t {
    const char *query;          /* the document text; NULL only when the
                                 * request names a persisted document
                                 * (document_id, or extensions'
                                 * persistedQuery: gql_persist.h) */
    apr_size_t query_len;       /* bytes (the text may hold NULs) */
    const char *operation_name; /* NULL when absent or null */
    json_object *variables;     /* a JSON object, or NULL when absent/null */
    json_object *extensions;    /* a JSON object, or NULL when absent/null */
    const char *document_id;    /* documentId (GraphQL over HTTP's
                                 * persisted documents), or NULL */
    /* Why the request is refused although it is well formed: text holding
     * U+0000 where json-c or a C string would silently cut it (a member
     * name, operationName), which the client answers for
     * (BAD_USER_INPUT); NULL when it is not. */
    const char *refused;
} gql_request_t;

/* ORDER MEDIA: gql_media_types[] follows it */
typedef enum {
    GQL_MEDIA_NONE,             /* nothing acceptable: 406 */
    GQL_MEDIA_JSON,             /* application/json */
    GQL_MEDIA_GRAPHQL_RESPONSE  /* application/graphql-response+json */
} gql_media_e;

/* The Content-Type value to send for each media type (NONE: NULL). */
extern const char *const gql_media_types[];

/*
 * Read the parameters from a POST body (len bytes, need not be
 * NUL-terminated).  Returns 0 and sets *req on success, else an HTTP status
 * (400) and sets *msg.
 */
int gql_request_from_json(apr_pool_t *p, const char *body, apr_size_t len,
                          gql_request_t **req, const char **msg);

/*
 * Read the parameters from a URL query string (r->args; NULL means none):
 * query, variables (JSON text), operationName, extensions (JSON text),
 * documentId, percent-decoded with '+' as space.  Other parameters are ignored.
 * Returns 0 or an HTTP status (400) and *msg, as above.
 */
int gql_request_from_args(apr_pool_t *p, const char *args,
                          gql_request_t **req, const char **msg);

/* Whether a POST's Content-Type (NULL when absent) is application/json
 * with no charset or charset utf-8. */
int gql_request_content_type_ok(apr_pool_t *p, const char *content_type);

/*
 * The response media type for an Accept header (NULL when absent), by
 * q-value, the most specific range deciding for each type.  An absent
 * header, * / *, application / * and equal q-values choose
 * application/graphql-response+json (the GraphQL-over-HTTP watershed of
 * 2025 has passed); NONE when neither type is acceptable.
 */
gql_media_e gql_request_accept(apr_pool_t *p, const char *accept);

/*
 * Whether an Accept header (NULL when absent) gives text/html a higher
 * q-value than both GraphQL response types, as a browser's does
 * ("text/html,...,* / *;q=0.8").  Equal q-values prefer GraphQL, so
 * "* / *" and an absent header do not.
 */
int gql_request_prefers_html(apr_pool_t *p, const char *accept);

/* Whether Accept (NULL: none) names text/event-stream itself, with a
 * q-value above 0: the client reads GraphQL over Server-Sent Events
 * (gql_sse.h).  A wildcard does not ask for a stream. */
int gql_request_wants_events(apr_pool_t *p, const char *accept);

#endif /* GQL_REQUEST_H */
