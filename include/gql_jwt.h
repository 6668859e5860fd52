/* Licensed under the Apache License, Version 2.0 (the "License"); you may
 * not use this file except in compliance with the License.  You may obtain
 * a copy of the License at http://www.apache.org/licenses/LICENSE-2.0
 */

/*
 * gql_jwt.h: JSON Web Tokens of callers, HS256 only (RFC 7519, RFC 7515
 * compact serialisation): the secret's loading, verification of a token,
 * signing of a new one, and the token of an Authorization header.
 *
 * HMAC-SHA256 comes from OpenSSL's libcrypto, the one dependency of the
 * engine beyond APR and json-c.  The algorithm is pinned: a header whose
 * "alg" is not exactly "HS256" is refused whatever its signature, so
 * "none" and key-confusion tokens never verify.  Signatures are compared
 * in constant time.
 *
 * Messages never contain the secret nor the token.  Times are seconds
 * since the epoch (NumericDate), not apr_time_t.  json-c values follow
 * gql_json.h: the claims passed in are borrowed, and so are those that
 * verification gives (from its pool).
 */

#ifndef GQL_JWT_H
#define GQL_JWT_H

#include <apr_pools.h>
#include <json-c/json.h>

/* Shortest secret GraphQLJWTSecret accepts: 256 bits, as RFC 7518 3.2
 * asks of an HS256 key. */
#define GQL_JWT_MIN_SECRET 32

/* Clock skew allowed for exp, nbf and iat, in seconds. */
#define GQL_JWT_LEEWAY 30

/* Longest token gql_jwt_verify() looks at, in bytes. */
#define GQL_JWT_MAX_TOKEN 8192

/* Nesting a token's header or claims may have. */
#define GQL_JWT_MAX_DEPTH 16

/*
 * Load the secret named by spec: "file:PATH" (the file's bytes, one
 * trailing "\n" or "\r\n" stripped) or "env:NAME" (the variable's value,
 * read now, at configuration time).  On success returns NULL and sets
 * *key (allocated in p; may hold any bytes) and *len.  Otherwise returns
 * a message for the administrator, allocated in p, e.g. "GraphQLJWTSecret:
 * the secret must be at least 32 bytes (256 bits), it has 12".
 */
const char *gql_jwt_secret_load(apr_pool_t *p, const char *spec,
                                const unsigned char **key, apr_size_t *len);

/*
 * Verify a compact HS256 token (token_len bytes, need not be
 * NUL-terminated) with key at time now, allowing leeway seconds of clock
 * skew (GQL_JWT_LEEWAY).  Returns 1 and sets *claims to the payload, a
 * JSON object borrowed from p (gql_json.h), when the token is well formed
 * (U+0000 nowhere in its header or claims: json-c would cut a name at
 * it, and PostgreSQL's text cannot hold it), its algorithm is HS256, its
 * signature is right and it is within its validity (exp, nbf, iat; with
 * require_exp, a token without exp never is).  Otherwise returns 0 and
 * sets *why to a static sentence meant for the client, one of
 *   "The token is malformed: <what>."
 *   "The token's algorithm must be HS256."
 *   "The token's signature is not valid."
 *   "The token has no expiry time (exp)."
 *   "The token has expired."
 *   "The token is not valid yet."
 *   "The token was issued in the future."
 * The signature is checked before the claims are parsed, so a forged
 * token says only that its signature is not valid.
 */
int gql_jwt_verify(apr_pool_t *p, const char *token, apr_size_t token_len,
                   const unsigned char *key, apr_size_t keylen,
                   apr_int64_t now, apr_int64_t leeway, int require_exp,
                   json_object **claims, const char **why);

/* HMAC-SHA256 of data[0..len) under key into out (32 bytes). */
#define GQL_JWT_MAC_LEN 32
void gql_jwt_hmac(const unsigned char *key, apr_size_t keylen,
                  const void *data, apr_size_t len,
                  unsigned char out[GQL_JWT_MAC_LEN]);

/*
 * A new token: header {"alg":"HS256","typ":"JWT"}, payload claims (a JSON
 * object, members in their order, serialised compactly; borrowed),
 * signed with key.  The text is allocated in p.
 */
const char *gql_jwt_sign(apr_pool_t *p, json_object *claims,
                         const unsigned char *key, apr_size_t keylen);

/*
 * The token @jwt issues: claims {"sub": subject, "iat": now, "exp": now +
 * lifetime}, in that order, signed as gql_jwt_sign() signs.  Allocated in
 * p.
 */
const char *gql_jwt_issue(apr_pool_t *p, const char *subject,
                          apr_int64_t now, apr_int64_t lifetime,
                          const unsigned char *key, apr_size_t keylen);

/*
 * The token of an Authorization header value (NULL: no header): for the
 * schemes "Bearer" and "JWT" (case-insensitive) followed by one or more
 * spaces or tabs, a pointer into authorization at the token, which runs
 * to the end of the value (it may be "" when the token is missing:
 * gql_jwt_verify() refuses that as malformed, the caller must not treat
 * it as anonymous).  NULL for any other scheme and for no header.
 */
const char *gql_jwt_from_header(const char *authorization);

/*
 * Whether name is a claim $viewer.NAME may use: sub, iss, aud, exp, nbf,
 * iat, jti.
 */
int gql_jwt_claim_known(const char *name);

/*
 * The text of a claim for binding as a SQL parameter: a string as it is,
 * a number, boolean, array or object as its JSON text; NULL when the
 * claim is absent or null (claims may be NULL: no caller).  Allocated in
 * p or owned by claims.
 */
const char *gql_jwt_claim_text(apr_pool_t *p, json_object *claims,
                               const char *name);

#endif /* GQL_JWT_H */
