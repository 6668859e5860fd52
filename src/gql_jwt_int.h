/* Licensed under the Apache License, Version 2.0 (the "License"); you may
 * not use this file except in compliance with the License.  You may obtain
 * a copy of the License at http://www.apache.org/licenses/LICENSE-2.0
 */

/*
 * gql_jwt_int.h: what gql_jwt.c (tokens) and gql_jwt_keys.c (public keys
 * of identity providers) share: the algorithms, a loaded key, strict
 * base64url and a JSON object's strict parse.
 */

#ifndef GQL_JWT_INT_H
#define GQL_JWT_INT_H

#include <openssl/evp.h>
#include "gql_jwt.h"

/* ORDER ALG: gql_jwt_alg_names[] follows it */
typedef enum {
    GQL_ALG_HS256,              /* HMAC-SHA256, GraphQLJWTSecret */
    GQL_ALG_RS256,              /* RSASSA-PKCS1-v1_5 with SHA-256 */
    GQL_ALG_ES256,              /* ECDSA P-256 with SHA-256, r || s */
    GQL_ALG_EDDSA,              /* Ed25519 */
    GQL_NALGS
} gql_jwt_alg_e;

extern const char *const gql_jwt_alg_names[GQL_NALGS];

/* A public key, pinned to one algorithm. */
typedef struct gql_jwt_key_t {
    gql_jwt_alg_e alg;
    const char *kid;            /* NULL: none */
    EVP_PKEY *pkey;             /* freed with the set's pool */
} gql_jwt_key_t;

struct gql_jwt_keys_t {
    apr_pool_t *pool;
    apr_array_header_t *keys;   /* of gql_jwt_key_t */
};

/* The algorithm named exactly name, or GQL_NALGS. */
gql_jwt_alg_e gql_jwt_alg(const char *name);

/* Unpadded, strict base64url of s[0..n) into *out (NUL-terminated, in
 * p); 0 when it is not that (gql_jwt.c). */
int gql_jwt_b64_decode(apr_pool_t *p, const char *s, apr_size_t n,
                       unsigned char **out, apr_size_t *outlen);

/* One JSON object from text[0..len), strict, at most depth deep, owned
 * by p; NULL when it is not that (gql_jwt.c). */
json_object *gql_jwt_parse_object(apr_pool_t *p, const unsigned char *text,
                                  apr_size_t len, int depth);

/* The first max + 1 bytes of the file path into *buf (NUL-terminated,
 * in p) and their number into *len: more than max means the file is
 * larger (gql_jwt.c). */
apr_status_t gql_jwt_read_file(apr_pool_t *p, const char *path,
                               apr_size_t max, char **buf, apr_size_t *len);

/* Whether sig is key's signature of data[0..len) (gql_jwt_keys.c). */
int gql_jwt_key_verifies(const gql_jwt_key_t *key, const void *data,
                         apr_size_t len, const unsigned char *sig,
                         apr_size_t siglen);

#endif /* GQL_JWT_INT_H */
