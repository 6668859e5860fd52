/* Licensed under the Apache License, Version 2.0 (the "License"); you may
 * not use this file except in compliance with the License.  You may obtain
 * a copy of the License at http://www.apache.org/licenses/LICENSE-2.0
 */

/*
 * gql_jwt_keys.c: identity providers' public keys: loading them from PEM
 * and JWK Set files at configuration time, each pinned to one algorithm,
 * and verifying a signature with one (OpenSSL's EVP API).
 *
 *   alg     key type        JWK                      signature
 *   RS256   RSA >= 2048     kty RSA, n, e            PKCS #1 v1.5, SHA-256
 *   ES256   EC P-256        kty EC, crv P-256, x, y  r || s, 32 bytes each
 *   EdDSA   Ed25519         kty OKP, crv Ed25519, x  64 bytes
 *
 * EVP wants an ECDSA signature DER-encoded: the JWS form is converted,
 * and one of any other length is not valid.
 */

#include <string.h>
#include <apr_strings.h>
#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/ec.h>
#include <openssl/err.h>
#include <openssl/param_build.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include "gql_json.h"
#include "gql_jwt_int.h"

/* JWK Sets nest an object in an array in an object. */
#define JWKS_DEPTH 8

#define ES256_HALF 32
#define ED25519_LEN 32

/* ORDER ALG */
const char *const gql_jwt_alg_names[GQL_NALGS] = {
    "HS256", "RS256", "ES256", "EdDSA"
};

gql_jwt_alg_e gql_jwt_alg(const char *name)
{
    int i;

    for (i = 0; i < GQL_NALGS; i++) {
        if (strcmp(name, gql_jwt_alg_names[i]) == 0) {
            return (gql_jwt_alg_e)i;
        }
    }
    return GQL_NALGS;
}

static apr_status_t free_pkey(void *k)
{
    EVP_PKEY_free(k);
    return APR_SUCCESS;
}

gql_jwt_keys_t *gql_jwt_keys_make(apr_pool_t *p)
{
    gql_jwt_keys_t *keys = apr_palloc(p, sizeof(*keys));

    keys->pool = p;
    keys->keys = apr_array_make(p, 2, sizeof(gql_jwt_key_t));
    return keys;
}

int gql_jwt_keys_count(const gql_jwt_keys_t *keys)
{
    return keys ? keys->keys->nelts : 0;
}

/* The whole file into *buf (NUL-terminated, in tp). */
static const char *slurp(apr_pool_t *tp, const char *path, char **buf,
                         apr_size_t *len)
{
    apr_status_t rv = gql_jwt_read_file(tp, path, GQL_JWT_MAX_KEY_FILE, buf,
                                        len);
    char err[120];

    if (rv != APR_SUCCESS) {
        return apr_psprintf(tp, "cannot read it: %s",
                            apr_strerror(rv, err, sizeof(err)));
    }
    if (*len > GQL_JWT_MAX_KEY_FILE) {
        return apr_psprintf(tp, "it is larger than %d bytes",
                            GQL_JWT_MAX_KEY_FILE);
    }
    return NULL;
}

/* The algorithm a key's type takes, or GQL_NALGS with *why. */
static gql_jwt_alg_e alg_of(apr_pool_t *tp, EVP_PKEY *k, const char **why)
{
    char group[64];
    size_t glen;

    switch (EVP_PKEY_get_base_id(k)) {
    case EVP_PKEY_RSA:
        if (EVP_PKEY_get_bits(k) < GQL_JWT_MIN_RSA_BITS) {
            *why = apr_psprintf(tp, "an RSA key of %d bits is too weak "
                                "(at least %d)", EVP_PKEY_get_bits(k),
                                GQL_JWT_MIN_RSA_BITS);
            return GQL_NALGS;
        }
        return GQL_ALG_RS256;
    case EVP_PKEY_EC:
        if (!EVP_PKEY_get_group_name(k, group, sizeof(group), &glen)
            || (strcmp(group, "prime256v1") != 0
                && strcmp(group, "P-256") != 0)) {
            *why = "an EC key must be on the curve P-256";
            return GQL_NALGS;
        }
        return GQL_ALG_ES256;
    case EVP_PKEY_ED25519:
        return GQL_ALG_EDDSA;
    default:
        *why = "the key must be RSA, EC P-256 or Ed25519";
        return GQL_NALGS;
    }
}

static const char *type_name(gql_jwt_alg_e a)
{
    return a == GQL_ALG_RS256 ? "an RSA" : a == GQL_ALG_ES256 ? "a P-256"
                                                              : "an Ed25519";
}

/*
 * Check k, pin it to alg (a name; NULL: its type's) and add it under kid.
 * k is freed with the set from now on, added or not.
 */
static const char *add_key(gql_jwt_keys_t *keys, apr_pool_t *tp,
                           EVP_PKEY *k, const char *alg, const char *kid)
{
    const char *why = NULL;
    gql_jwt_alg_e type, want;
    gql_jwt_key_t *key;
    EVP_PKEY_CTX *ctx;
    int i, good;

    apr_pool_cleanup_register(keys->pool, k, free_pkey,
                              apr_pool_cleanup_null);
    if ((type = alg_of(tp, k, &why)) == GQL_NALGS) {
        return why;
    }
    want = alg ? gql_jwt_alg(alg) : type;
    if (want == GQL_NALGS || want == GQL_ALG_HS256) {
        return apr_psprintf(tp, "the algorithm must be RS256, ES256 or "
                            "EdDSA, not %s", alg);
    }
    if (want != type) {
        return apr_psprintf(tp, "%s key cannot verify %s tokens",
                            type_name(type), alg);
    }
    ctx = EVP_PKEY_CTX_new_from_pkey(NULL, k, NULL);
    good = ctx != NULL && EVP_PKEY_public_check(ctx) == 1;
    EVP_PKEY_CTX_free(ctx);
    if (!good) {
        return "the public key is not valid";
    }
    for (i = 0; kid != NULL && i < keys->keys->nelts; i++) {
        const char *other = APR_ARRAY_IDX(keys->keys, i, gql_jwt_key_t).kid;

        if (other != NULL && strcmp(other, kid) == 0) {
            return apr_psprintf(tp, "a key has the kid \"%s\" already", kid);
        }
    }
    key = apr_array_push(keys->keys);
    key->alg = want;
    key->kid = kid ? apr_pstrdup(keys->pool, kid) : NULL;
    key->pkey = k;
    return NULL;
}

/* The public key of a PEM text: a PUBLIC KEY or a CERTIFICATE's. */
static EVP_PKEY *pem_key(const char *text, apr_size_t len)
{
    BIO *b = BIO_new_mem_buf(text, (int)len);
    EVP_PKEY *k = NULL;
    X509 *x;

    if (b == NULL) {
        return NULL;
    }
    if (strstr(text, "-----BEGIN CERTIFICATE-----") != NULL) {
        if ((x = PEM_read_bio_X509(b, NULL, NULL, NULL)) != NULL) {
            k = X509_get_pubkey(x);
            X509_free(x);
        }
    }
    else {
        k = PEM_read_bio_PUBKEY(b, NULL, NULL, NULL);
    }
    BIO_free(b);
    return k;
}

const char *gql_jwt_keys_add_pem(gql_jwt_keys_t *keys, apr_pool_t *tp,
                                 const char *path, const char *alg,
                                 const char *kid)
{
    const char *why;
    apr_size_t len;
    EVP_PKEY *k;
    char *text;

    if ((why = slurp(tp, path, &text, &len)) == NULL) {
        if (strstr(text, "PRIVATE KEY-----") != NULL) {
            why = "it holds a private key: give the public key alone "
                  "(openssl pkey -pubout)";
        }
        else if ((k = pem_key(text, len)) == NULL) {
            why = "it holds no PEM public key or certificate";
        }
        else {
            why = add_key(keys, tp, k, alg, kid);
        }
    }
    ERR_clear_error();
    return why ? apr_psprintf(keys->pool, "GraphQLJWTKey: %s: %s", path, why)
               : NULL;
}

/* A JWK member of base64url bytes: 1 and *out, 0 when absent or bad. */
static int jwk_bytes(apr_pool_t *tp, json_object *jwk, const char *name,
                     unsigned char **out, apr_size_t *len)
{
    json_object *v;

    return json_object_object_get_ex(jwk, name, &v)
           && json_object_is_type(v, json_type_string)
           && gql_jwt_b64_decode(tp, json_object_get_string(v),
                                 (apr_size_t)json_object_get_string_len(v),
                                 out, len)
           && *len > 0;
}

static const char *jwk_string(json_object *jwk, const char *name)
{
    json_object *v;

    if (!json_object_object_get_ex(jwk, name, &v)
        || !json_object_is_type(v, json_type_string)) {
        return NULL;
    }
    return json_object_get_string(v);
}

/* An RSA or EC key from its OSSL_PARAMs (type "RSA" or "EC"). */
static EVP_PKEY *from_params(const char *type, OSSL_PARAM_BLD *bld)
{
    OSSL_PARAM *params = bld ? OSSL_PARAM_BLD_to_param(bld) : NULL;
    EVP_PKEY_CTX *ctx = EVP_PKEY_CTX_new_from_name(NULL, type, NULL);
    EVP_PKEY *k = NULL;

    if (params == NULL || ctx == NULL || EVP_PKEY_fromdata_init(ctx) <= 0
        || EVP_PKEY_fromdata(ctx, &k, EVP_PKEY_PUBLIC_KEY, params) <= 0) {
        k = NULL;
    }
    OSSL_PARAM_free(params);
    EVP_PKEY_CTX_free(ctx);
    OSSL_PARAM_BLD_free(bld);
    return k;
}

static EVP_PKEY *jwk_rsa(apr_pool_t *tp, json_object *jwk)
{
    unsigned char *n, *e;
    apr_size_t nl, el;
    BIGNUM *bn = NULL, *be = NULL;
    OSSL_PARAM_BLD *bld;
    EVP_PKEY *k = NULL;

    if (!jwk_bytes(tp, jwk, "n", &n, &nl) || !jwk_bytes(tp, jwk, "e", &e, &el)
        || nl > 2048 || el > 8) {
        return NULL;
    }
    bn = BN_bin2bn(n, (int)nl, NULL);
    be = BN_bin2bn(e, (int)el, NULL);
    if (bn != NULL && be != NULL && (bld = OSSL_PARAM_BLD_new()) != NULL) {
        if (OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_RSA_N, bn)
            && OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_RSA_E, be)) {
            k = from_params("RSA", bld);
        }
        else {
            OSSL_PARAM_BLD_free(bld);
        }
    }
    BN_free(bn);
    BN_free(be);
    return k;
}

/* A P-256 point, uncompressed: 0x04 || x || y. */
static EVP_PKEY *jwk_ec(apr_pool_t *tp, json_object *jwk)
{
    unsigned char *x, *y, point[1 + 2 * ES256_HALF];
    apr_size_t xl, yl;
    OSSL_PARAM_BLD *bld;
    const char *crv = jwk_string(jwk, "crv");

    if (crv == NULL || strcmp(crv, "P-256") != 0
        || !jwk_bytes(tp, jwk, "x", &x, &xl)
        || !jwk_bytes(tp, jwk, "y", &y, &yl)
        || xl != ES256_HALF || yl != ES256_HALF) {
        return NULL;
    }
    point[0] = 0x04;
    memcpy(point + 1, x, ES256_HALF);
    memcpy(point + 1 + ES256_HALF, y, ES256_HALF);
    if ((bld = OSSL_PARAM_BLD_new()) == NULL) {
        return NULL;
    }
    if (!OSSL_PARAM_BLD_push_utf8_string(bld, OSSL_PKEY_PARAM_GROUP_NAME,
                                         "prime256v1", 0)
        || !OSSL_PARAM_BLD_push_octet_string(bld, OSSL_PKEY_PARAM_PUB_KEY,
                                             point, sizeof(point))) {
        OSSL_PARAM_BLD_free(bld);
        return NULL;
    }
    return from_params("EC", bld);
}

static EVP_PKEY *jwk_okp(apr_pool_t *tp, json_object *jwk)
{
    const char *crv = jwk_string(jwk, "crv");
    unsigned char *x;
    apr_size_t xl;

    if (crv == NULL || strcmp(crv, "Ed25519") != 0
        || !jwk_bytes(tp, jwk, "x", &x, &xl) || xl != ED25519_LEN) {
        return NULL;
    }
    return EVP_PKEY_new_raw_public_key(EVP_PKEY_ED25519, NULL, x, xl);
}

/* Whether a JWK is one to leave out: for encryption, of an algorithm,
 * a type or a curve that is not RS256's, ES256's or EdDSA's. */
static int foreign(json_object *jwk, const char *kty, const char *alg)
{
    const char *use = jwk_string(jwk, "use"), *crv = jwk_string(jwk, "crv");

    if ((use != NULL && strcmp(use, "sig") != 0)
        || (alg != NULL && gql_jwt_alg(alg) == GQL_NALGS)) {
        return 1;
    }
    if (strcmp(kty, "EC") == 0) {
        return crv != NULL && strcmp(crv, "P-256") != 0;
    }
    if (strcmp(kty, "OKP") == 0) {
        return crv != NULL && strcmp(crv, "Ed25519") != 0;
    }
    return strcmp(kty, "RSA") != 0;
}

/*
 * One JWK of the set: added, left out (*skipped), or why it is refused.
 * A key of ours that is broken (a crv missing, a short point, bad
 * base64url) or of another type than its alg is refused.
 */
static const char *jwk_add(gql_jwt_keys_t *keys, apr_pool_t *tp,
                           json_object *jwk, int *skipped)
{
    const char *kty = jwk_string(jwk, "kty"), *alg = jwk_string(jwk, "alg");
    const char *kid = jwk_string(jwk, "kid");
    EVP_PKEY *k;

    if (!json_object_is_type(jwk, json_type_object) || kty == NULL) {
        return "a key is not an object with a kty";
    }
    if (json_object_object_get_ex(jwk, "alg", NULL) && alg == NULL) {
        return "a key's alg is not a string";
    }
    if ((*skipped = foreign(jwk, kty, alg))) {
        return NULL;
    }
    k = strcmp(kty, "RSA") == 0 ? jwk_rsa(tp, jwk)
        : strcmp(kty, "EC") == 0 ? jwk_ec(tp, jwk) : jwk_okp(tp, jwk);
    if (k == NULL) {
        return apr_psprintf(tp, "the %s key%s%s%s is malformed", kty,
                            kid ? " \"" : "", kid ? kid : "",
                            kid ? "\"" : "");
    }
    return add_key(keys, tp, k, alg, kid);
}

static const char *jwks(gql_jwt_keys_t *keys, apr_pool_t *tp,
                        const char *path)
{
    const char *why;
    json_object *set, *list;
    apr_size_t len, i, n;
    int added = 0, skipped;
    char *text;

    if ((why = slurp(tp, path, &text, &len)) != NULL) {
        return why;
    }
    set = gql_jwt_parse_object(tp, (const unsigned char *)text, len,
                               JWKS_DEPTH);
    if (set == NULL || !json_object_object_get_ex(set, "keys", &list)
        || !json_object_is_type(list, json_type_array)) {
        return "it is not a JWK Set (a JSON object with an array \"keys\")";
    }
    n = json_object_array_length(list);
    for (i = 0; i < n; i++) {
        why = jwk_add(keys, tp, json_object_array_get_idx(list, i),
                      &skipped);
        if (why != NULL) {
            return why;
        }
        added += !skipped;
    }
    return added ? NULL : "it has no key for RS256, ES256 or EdDSA";
}

const char *gql_jwt_keys_add_jwks(gql_jwt_keys_t *keys, apr_pool_t *tp,
                                  const char *path)
{
    const char *why = jwks(keys, tp, path);

    ERR_clear_error();
    return why ? apr_psprintf(keys->pool, "GraphQLJWKS: %s: %s", path, why)
               : NULL;
}

/* JWS's r || s as the DER that EVP takes, in *der (OpenSSL's heap). */
static int es256_der(const unsigned char *sig, unsigned char **der,
                     int *derlen)
{
    ECDSA_SIG *s = ECDSA_SIG_new();
    BIGNUM *r = BN_bin2bn(sig, ES256_HALF, NULL);
    BIGNUM *ss = BN_bin2bn(sig + ES256_HALF, ES256_HALF, NULL);

    *der = NULL;
    if (s == NULL || r == NULL || ss == NULL || !ECDSA_SIG_set0(s, r, ss)) {
        BN_free(r);
        BN_free(ss);
        ECDSA_SIG_free(s);
        return 0;
    }
    *derlen = i2d_ECDSA_SIG(s, der);
    ECDSA_SIG_free(s);
    return *derlen > 0;
}

int gql_jwt_key_verifies(const gql_jwt_key_t *key, const void *data,
                         apr_size_t len, const unsigned char *sig,
                         apr_size_t siglen)
{
    EVP_MD_CTX *md;
    unsigned char *der = NULL;
    int derlen = 0, good = 0;

    if (key->alg == GQL_ALG_ES256) {
        if (siglen != 2 * ES256_HALF || !es256_der(sig, &der, &derlen)) {
            return 0;
        }
        sig = der;
        siglen = (apr_size_t)derlen;
    }
    else if (key->alg == GQL_ALG_EDDSA && siglen != 2 * ED25519_LEN) {
        return 0;
    }
    if ((md = EVP_MD_CTX_new()) != NULL
        && EVP_DigestVerifyInit(md, NULL, key->alg == GQL_ALG_EDDSA
                                          ? NULL : EVP_sha256(),
                                NULL, key->pkey) == 1) {
        good = EVP_DigestVerify(md, sig, siglen, data, len) == 1;
    }
    EVP_MD_CTX_free(md);
    OPENSSL_free(der);
    /* nothing of a refused token stays in the thread's error queue for
     * the next user of OpenSSL there (mod_ssl) to find */
    ERR_clear_error();
    return good;
}
