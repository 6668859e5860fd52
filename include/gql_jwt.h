/* Licensed under the Apache License, Version 2.0 (the "License"); you may
 * not use this file except in compliance with the License.  You may obtain
 * a copy of the License at http://www.apache.org/licenses/LICENSE-2.0
 */

/*
 * gql_jwt.h: JSON Web Tokens of callers (RFC 7519, RFC 7515 compact
 * serialisation): HS256 with the endpoint's secret, and RS256, ES256 and
 * EdDSA (Ed25519) with identity providers' public keys (RFC 7518, RFC
 * 8037); the keys' loading, verification of a token, signing of a new
 * one (HS256), the token of an Authorization header, and the claims of a
 * caller httpd authenticated.
 *
 * The cryptography comes from OpenSSL's libcrypto (EVP), the one
 * dependency of the engine beyond APR and json-c.  Algorithms are pinned:
 * the secret verifies HS256 only, and each public key the one algorithm
 * it was loaded for, so "none" and key-confusion tokens (an HS256 token
 * whose secret is a public key's text) never verify.  HMAC signatures
 * are compared in constant time.
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

/*
 * Public keys of identity providers, each pinned to one algorithm and
 * maybe named by a key id (kid).  Loaded at configuration time into the
 * set's pool, read-only after: any thread may verify with them.
 */
typedef struct gql_jwt_keys_t gql_jwt_keys_t;

/* Longest key file or JWKS file read, in bytes. */
#define GQL_JWT_MAX_KEY_FILE (1024 * 1024)

/* Fewest bits an RSA key may have. */
#define GQL_JWT_MIN_RSA_BITS 2048

/* An empty set in p; the keys added to it are freed with p. */
gql_jwt_keys_t *gql_jwt_keys_make(apr_pool_t *p);

/* How many keys the set has. */
int gql_jwt_keys_count(const gql_jwt_keys_t *keys);

/*
 * Add the public key of the PEM file path (a PUBLIC KEY, or the key of a
 * CERTIFICATE), pinned to alg ("RS256", "ES256" or "EdDSA"; NULL: the
 * one its type takes: RSA RS256, EC P-256 ES256, Ed25519 EdDSA), named
 * kid (NULL: none).  Returns NULL, or a message for the administrator
 * naming the file and what is wrong with it (in the set's pool), e.g.
 * "GraphQLJWTKey: k.pem: an RSA key cannot verify ES256 tokens".  A file
 * holding a private key, an RSA key under GQL_JWT_MIN_RSA_BITS, a curve
 * other than P-256, a kid the set has already are refused.  tp: scratch.
 */
const char *gql_jwt_keys_add_pem(gql_jwt_keys_t *keys, apr_pool_t *tp,
                                 const char *path, const char *alg,
                                 const char *kid);

/*
 * Add the keys of the JWK Set file path (RFC 7517: {"keys": [...]}).  A
 * key is pinned to its "alg", or without one to the algorithm its type
 * takes (as above); keys for encryption ("use": "enc"), symmetric keys
 * and keys of other algorithms or curves are left out.  Returns NULL or
 * a message as gql_jwt_keys_add_pem() does: the file is not a JWK Set, a
 * key is malformed or of the wrong type for its alg, two keys share a
 * kid, or no key is left.
 */
const char *gql_jwt_keys_add_jwks(gql_jwt_keys_t *keys, apr_pool_t *tp,
                                  const char *path);

/* What a token must be to name its caller: gql_jwt_check()'s rules. */
typedef struct gql_jwt_rules_t {
    const unsigned char *secret;    /* HS256; NULL: HS256 refused */
    apr_size_t secret_len;
    const gql_jwt_keys_t *keys;     /* public keys; NULL: none */
    const char *issuer;             /* iss must be it; NULL: any */
    const char *audience;           /* aud must name it; NULL: any */
    apr_int64_t now;                /* seconds since the epoch */
    apr_int64_t leeway;             /* clock skew allowed (GQL_JWT_LEEWAY) */
    int require_exp;                /* a token without exp is refused */
} gql_jwt_rules_t;

/*
 * Verify a compact token (token_len bytes, need not be NUL-terminated)
 * under rules.  Its header's alg selects the secret (HS256, whatever its
 * kid) or the public keys pinned to it: the one its kid names, or each of
 * them when it has none.  Returns 1 and sets *claims as gql_jwt_verify()
 * does, when besides its iss is rules->issuer and its aud (a string or an
 * array of strings) names rules->audience, where these are set.
 * Otherwise returns 0 and sets *why to a sentence for the client (static
 * or in p): gql_jwt_verify()'s, where "must be HS256" names the
 * algorithms rules accept ("The token's algorithm must be RS256 or
 * ES256."), and
 *   "The token's key (kid) is not known."
 *   "The token's algorithm is not the one its key is for."
 *   "The token's issuer (iss) is not accepted."
 *   "The token's audience (aud) is not this endpoint."
 */
int gql_jwt_check(apr_pool_t *p, const char *token, apr_size_t token_len,
                  const gql_jwt_rules_t *rules, json_object **claims,
                  const char **why);

/*
 * The claims of a caller httpd authenticated: {"sub": user} and then, in
 * order, names[i]: values[i] for each of the n pairs whose value is not
 * NULL, as strings (a name given twice keeps its last value; "sub" is
 * the user's).  A JSON object owned by p, or NULL with *why set (static)
 * when the user or a value is not valid UTF-8.
 */
json_object *gql_jwt_user_claims(apr_pool_t *p, const char *user,
                                 const char *const *names,
                                 const char *const *values, int n,
                                 const char **why);

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
