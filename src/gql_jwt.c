/* Licensed under the Apache License, Version 2.0 (the "License"); you may
 * not use this file except in compliance with the License.  You may obtain
 * a copy of the License at http://www.apache.org/licenses/LICENSE-2.0
 */

/*
 * gql_jwt.c: HS256 JSON Web Tokens: strict base64url, the pinned
 * algorithm, HMAC-SHA256 from libcrypto compared in constant time, the
 * time claims, signing, the Authorization header and the secret's loading.
 *
 *   token = B64(header) "." B64(claims) "." B64(HMAC-SHA256(key, B64 "." B64))
 *
 * Order of the checks: shape, header (alg pinned), signature, then the
 * claims; nothing of an unsigned payload is looked at.
 */

#include <string.h>
#include <strings.h>
#include <stdlib.h>
#include <apr_strings.h>
#include <apr_file_io.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include "gql_json.h"
#include "gql_jwt_int.h"

/* A secret file larger than this is surely not a secret. */
#define MAX_SECRET 65536

#define MALFORMED(what) "The token is malformed: " what "."

static const char b64chars[] =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

static int b64val(unsigned char c)
{
    if (c >= 'A' && c <= 'Z') {
        return c - 'A';
    }
    if (c >= 'a' && c <= 'z') {
        return c - 'a' + 26;
    }
    if (c >= '0' && c <= '9') {
        return c - '0' + 52;
    }
    return c == '-' ? 62 : c == '_' ? 63 : -1;
}

/*
 * Unpadded base64url (RFC 7515 2) into *out (NUL-terminated, in p).
 * Strict: a length of 4k+1, a character outside the alphabet ('=' too)
 * or non-zero bits left over at the end make it malformed, so that every
 * token has one spelling.
 */
int gql_jwt_b64_decode(apr_pool_t *p, const char *s, apr_size_t n,
                       unsigned char **out, apr_size_t *outlen)
{
    unsigned char *o;
    apr_uint32_t acc = 0;
    apr_size_t i, k = 0;
    int bits = 0, v;

    if (n % 4 == 1) {
        return 0;
    }
    o = apr_palloc(p, n / 4 * 3 + 3);
    for (i = 0; i < n; i++) {
        if ((v = b64val((unsigned char)s[i])) < 0) {
            return 0;
        }
        acc = ((acc << 6) | (apr_uint32_t)v) & 0xffffff;
        bits += 6;
        if (bits >= 8) {
            bits -= 8;
            o[k++] = (unsigned char)(acc >> bits);
        }
    }
    if ((acc & ((1u << bits) - 1)) != 0) {
        return 0;
    }
    o[k] = '\0';
    *out = o;
    *outlen = k;
    return 1;
}

static char *b64_encode(apr_pool_t *p, const unsigned char *d, apr_size_t n)
{
    char *o = apr_palloc(p, (n + 2) / 3 * 4 + 1);
    apr_uint32_t acc = 0;
    apr_size_t i, k = 0;
    int bits = 0;

    for (i = 0; i < n; i++) {
        acc = ((acc << 8) | d[i]) & 0xffff;
        bits += 8;
        while (bits >= 6) {
            bits -= 6;
            o[k++] = b64chars[(acc >> bits) & 63];
        }
    }
    if (bits > 0) {
        o[k++] = b64chars[(acc << (6 - bits)) & 63];
    }
    o[k] = '\0';
    return o;
}

void gql_jwt_hmac(const unsigned char *key, apr_size_t keylen,
                  const void *data, apr_size_t len,
                  unsigned char out[GQL_JWT_MAC_LEN])
{
    static const unsigned char none[1];
    unsigned int outlen = GQL_JWT_MAC_LEN;

    /* keylen is bounded by MAX_SECRET for loaded secrets. */
    HMAC(EVP_sha256(), keylen ? (const void *)key : (const void *)none,
         (int)keylen, data, len, out, &outlen);
}

/*
 * One JSON object from text[0..len): strict, valid UTF-8, no more than
 * depth deep, nothing after it.  NULL when it is not that.  json-c
 * finishes a top-level value only on seeing the end, so it is given the
 * terminating NUL too; a NUL inside is refused first.
 */
json_object *gql_jwt_parse_object(apr_pool_t *p, const unsigned char *text,
                                  apr_size_t len, int depth)
{
    struct json_tokener *tok;
    json_object *o;
    int good;

    if (len == 0 || memchr(text, '\0', len) != NULL
        || len > GQL_JWT_MAX_KEY_FILE) {
        return NULL;
    }
    /* json-c's depth counts the top-level value's slot too */
    tok = json_tokener_new_ex(depth + 1);
    if (tok == NULL) {
        return NULL;
    }
    json_tokener_set_flags(tok, JSON_TOKENER_STRICT
                                | JSON_TOKENER_VALIDATE_UTF8);
    o = gql_json_own(p, json_tokener_parse_ex(tok, (const char *)text,
                                              (int)len + 1));
    good = json_tokener_get_error(tok) == json_tokener_success
           && json_tokener_get_parse_end(tok) >= len
           && json_object_is_type(o, json_type_object);
    json_tokener_free(tok);
    return good ? o : NULL;
}

/* Whether rules accept tokens of alg: a secret for HS256, a key pinned
 * to it for the others. */
static int accepted(const gql_jwt_rules_t *rules, gql_jwt_alg_e alg)
{
    int i;

    if (alg == GQL_ALG_HS256) {
        return rules->secret != NULL;
    }
    for (i = 0; i < gql_jwt_keys_count(rules->keys); i++) {
        if (APR_ARRAY_IDX(rules->keys->keys, i, gql_jwt_key_t).alg == alg) {
            return 1;
        }
    }
    return 0;
}

/* "The token's algorithm must be HS256, RS256 or EdDSA.": those rules
 * accept. */
static const char *wrong_alg(apr_pool_t *p, const gql_jwt_rules_t *rules)
{
    const char *names[GQL_NALGS], *list = "";
    int i, n = 0;

    for (i = 0; i < GQL_NALGS; i++) {
        if (accepted(rules, (gql_jwt_alg_e)i)) {
            names[n++] = gql_jwt_alg_names[i];
        }
    }
    if (n == 0) {
        return "The token's algorithm is not accepted.";
    }
    for (i = 0; i < n; i++) {
        list = apr_pstrcat(p, list, i == 0 ? "" : i == n - 1 ? " or " : ", ",
                           names[i], NULL);
    }
    return apr_pstrcat(p, "The token's algorithm must be ", list, ".", NULL);
}

/* What a token's header says. */
typedef struct header_t {
    gql_jwt_alg_e alg;
    const char *kid;            /* NULL: none */
} header_t;

/* The header: a JSON object whose alg rules accept, typ "JWT" or absent,
 * kid a string or absent, and no crit (no extension of ours is
 * critical). */
static const char *check_header(apr_pool_t *p, const char *s, apr_size_t n,
                                const gql_jwt_rules_t *rules, header_t *hd)
{
    unsigned char *text;
    apr_size_t len;
    json_object *h, *v;

    if (!gql_jwt_b64_decode(p, s, n, &text, &len)) {
        return MALFORMED("the header is not base64url");
    }
    if ((h = gql_jwt_parse_object(p, text, len, GQL_JWT_MAX_DEPTH)) == NULL) {
        return MALFORMED("the header is not a JSON object");
    }
    if (gql_json_nul((const char *)text, len)) {
        return MALFORMED("its header holds U+0000");
    }
    if (json_object_object_get_ex(h, "alg", &v)
        && json_object_is_type(v, json_type_string)) {
        hd->alg = gql_jwt_alg(json_object_get_string(v));
    }
    if (hd->alg == GQL_NALGS || !accepted(rules, hd->alg)) {
        return wrong_alg(p, rules);
    }
    if (json_object_object_get_ex(h, "typ", &v)
        && (!json_object_is_type(v, json_type_string)
            || strcasecmp(json_object_get_string(v), "JWT") != 0)) {
        return MALFORMED("its type must be JWT");
    }
    if (json_object_object_get_ex(h, "kid", &v)) {
        if (!json_object_is_type(v, json_type_string)) {
            return MALFORMED("its kid must be a string");
        }
        hd->kid = json_object_get_string(v);
    }
    if (json_object_object_get_ex(h, "crit", NULL)) {
        return MALFORMED("it has critical header parameters");
    }
    return NULL;
}

/* The public key the kid names, or NULL. */
static const gql_jwt_key_t *named(const gql_jwt_keys_t *keys,
                                  const char *kid)
{
    int i;

    for (i = 0; kid != NULL && i < gql_jwt_keys_count(keys); i++) {
        const gql_jwt_key_t *k = &APR_ARRAY_IDX(keys->keys, i,
                                                gql_jwt_key_t);

        if (k->kid != NULL && strcmp(k->kid, kid) == 0) {
            return k;
        }
    }
    return NULL;
}

/*
 * The signature sig[0..len) of data[0..n): a kid that names a public key
 * selects it, and its algorithm must be the header's; an HS256 token is
 * otherwise checked with the secret (its kid, if any, names nothing of
 * ours); any other, with its kid's key or, without a kid, with each key
 * pinned to its algorithm.
 */
static const char *signed_by(const gql_jwt_rules_t *rules,
                             const header_t *hd, const char *data,
                             apr_size_t n, const unsigned char *sig,
                             apr_size_t len)
{
    static const char bad[] = "The token's signature is not valid.";
    const gql_jwt_key_t *k = named(rules->keys, hd->kid);
    unsigned char mac[GQL_JWT_MAC_LEN];
    int i;

    if (k != NULL) {
        if (k->alg != hd->alg) {
            return "The token's algorithm is not the one its key is for.";
        }
        return gql_jwt_key_verifies(k, data, n, sig, len) ? NULL : bad;
    }
    if (hd->alg == GQL_ALG_HS256) {
        gql_jwt_hmac(rules->secret, rules->secret_len, data, n, mac);
        return len == GQL_JWT_MAC_LEN && CRYPTO_memcmp(mac, sig, len) == 0
               ? NULL : bad;
    }
    if (hd->kid != NULL) {
        return "The token's key (kid) is not known.";
    }
    for (i = 0; i < gql_jwt_keys_count(rules->keys); i++) {
        k = &APR_ARRAY_IDX(rules->keys->keys, i, gql_jwt_key_t);
        if (k->alg == hd->alg && gql_jwt_key_verifies(k, data, n, sig, len)) {
            return NULL;
        }
    }
    return bad;
}

static const char *check_signature(apr_pool_t *p, const char *token,
                                   apr_size_t signed_len, const char *s,
                                   apr_size_t n, const gql_jwt_rules_t *rules,
                                   const header_t *hd)
{
    unsigned char *sig;
    apr_size_t len;

    if (!gql_jwt_b64_decode(p, s, n, &sig, &len)) {
        return MALFORMED("the signature is not base64url");
    }
    return signed_by(rules, hd, token, signed_len, sig, len);
}

/* A NumericDate claim: 1 and *v when absent (*v untouched) or a number,
 * 0 when it is something else. */
static int numeric(json_object *claims, const char *name, double *v)
{
    json_object *c;

    if (!json_object_object_get_ex(claims, name, &c)) {
        return 1;
    }
    if (!json_object_is_type(c, json_type_int)
        && !json_object_is_type(c, json_type_double)) {
        return 0;
    }
    *v = json_object_get_double(c);
    return 1;
}

/* Times as doubles: NumericDate may have a fraction, and exp + leeway
 * cannot overflow. */
static const char *check_times(json_object *claims, apr_int64_t now,
                               apr_int64_t leeway, int require_exp)
{
    double t = (double)now, exp = t, nbf = t, iat = t;

    if (require_exp && !json_object_object_get_ex(claims, "exp", NULL)) {
        return "The token has no expiry time (exp).";
    }
    if (!numeric(claims, "exp", &exp) || !numeric(claims, "nbf", &nbf)
        || !numeric(claims, "iat", &iat)) {
        return MALFORMED("exp, nbf and iat must be numbers");
    }
    if (t > exp + (double)leeway) {
        return "The token has expired.";
    }
    if (t < nbf - (double)leeway) {
        return "The token is not valid yet.";
    }
    if (iat > t + (double)leeway) {
        return "The token was issued in the future.";
    }
    return NULL;
}

/* iss is rules->issuer, aud is or holds rules->audience, where set. */
static const char *check_parties(json_object *claims,
                                 const gql_jwt_rules_t *rules)
{
    json_object *v;
    apr_size_t i, n;

    if (rules->issuer != NULL
        && (!json_object_object_get_ex(claims, "iss", &v)
            || !json_object_is_type(v, json_type_string)
            || strcmp(json_object_get_string(v), rules->issuer) != 0)) {
        return "The token's issuer (iss) is not accepted.";
    }
    if (rules->audience == NULL) {
        return NULL;
    }
    if (json_object_object_get_ex(claims, "aud", &v)) {
        if (json_object_is_type(v, json_type_string)) {
            return strcmp(json_object_get_string(v), rules->audience) == 0
                   ? NULL : "The token's audience (aud) is not this "
                            "endpoint.";
        }
        n = json_object_is_type(v, json_type_array)
            ? json_object_array_length(v) : 0;
        for (i = 0; i < n; i++) {
            json_object *a = json_object_array_get_idx(v, i);

            if (json_object_is_type(a, json_type_string)
                && strcmp(json_object_get_string(a), rules->audience) == 0) {
                return NULL;
            }
        }
    }
    return "The token's audience (aud) is not this endpoint.";
}

/* The claims of a token whose signature is right, or why not. */
static const char *check_claims(apr_pool_t *p, const char *s, apr_size_t n,
                                const gql_jwt_rules_t *rules,
                                json_object **claims)
{
    unsigned char *text;
    apr_size_t len;
    const char *why;

    if (!gql_jwt_b64_decode(p, s, n, &text, &len)) {
        return MALFORMED("the claims are not base64url");
    }
    *claims = gql_jwt_parse_object(p, text, len, GQL_JWT_MAX_DEPTH);
    if (*claims == NULL) {
        return MALFORMED("the claims are not a JSON object");
    }
    if (gql_json_nul((const char *)text, len)) {
        return MALFORMED("its claims hold U+0000");
    }
    if ((why = check_times(*claims, rules->now, rules->leeway,
                           rules->require_exp)) != NULL) {
        return why;
    }
    return check_parties(*claims, rules);
}

int gql_jwt_check(apr_pool_t *p, const char *token, apr_size_t token_len,
                  const gql_jwt_rules_t *rules, json_object **claims,
                  const char **why)
{
    const char *d1, *d2;
    header_t hd = { GQL_NALGS, NULL };

    *claims = NULL;
    if (token_len > GQL_JWT_MAX_TOKEN) {
        *why = MALFORMED("it is too long");
        return 0;
    }
    d1 = memchr(token, '.', token_len);
    d2 = d1 ? memchr(d1 + 1, '.', token_len - (d1 + 1 - token)) : NULL;
    if (d2 == NULL || memchr(d2 + 1, '.', token_len - (d2 + 1 - token))) {
        *why = MALFORMED("it must be three base64url parts joined by dots");
        return 0;
    }
    if ((*why = check_header(p, token, d1 - token, rules, &hd)) != NULL
        || (*why = check_signature(p, token, d2 - token, d2 + 1,
                                   token_len - (d2 + 1 - token), rules,
                                   &hd)) != NULL
        || (*why = check_claims(p, d1 + 1, d2 - (d1 + 1), rules,
                                claims)) != NULL) {
        *claims = NULL;
        return 0;
    }
    return 1;
}

int gql_jwt_verify(apr_pool_t *p, const char *token, apr_size_t token_len,
                   const unsigned char *key, apr_size_t keylen,
                   apr_int64_t now, apr_int64_t leeway, int require_exp,
                   json_object **claims, const char **why)
{
    gql_jwt_rules_t rules;

    memset(&rules, 0, sizeof(rules));
    rules.secret = key;
    rules.secret_len = keylen;
    rules.now = now;
    rules.leeway = leeway;
    rules.require_exp = require_exp;
    return gql_jwt_check(p, token, token_len, &rules, claims, why);
}

const char *gql_jwt_sign(apr_pool_t *p, json_object *claims,
                         const unsigned char *key, apr_size_t keylen)
{
    static const char header[] = "{\"alg\":\"HS256\",\"typ\":\"JWT\"}";
    const char *payload = gql_json_text(claims);
    unsigned char mac[GQL_JWT_MAC_LEN];
    char *input;

    input = apr_pstrcat(p,
                        b64_encode(p, (const unsigned char *)header,
                                   sizeof(header) - 1), ".",
                        b64_encode(p, (const unsigned char *)payload,
                                   strlen(payload)), NULL);
    gql_jwt_hmac(key, keylen, input, strlen(input), mac);
    return apr_pstrcat(p, input, ".", b64_encode(p, mac, sizeof(mac)),
                       NULL);
}

const char *gql_jwt_issue(apr_pool_t *p, const char *subject,
                          apr_int64_t now, apr_int64_t lifetime,
                          const unsigned char *key, apr_size_t keylen)
{
    json_object *c = gql_json_own(p, json_object_new_object());

    json_object_object_add(c, "sub", json_object_new_string(subject));
    json_object_object_add(c, "iat", json_object_new_int64(now));
    json_object_object_add(c, "exp", json_object_new_int64(now + lifetime));
    return gql_jwt_sign(p, c, key, keylen);
}

const char *gql_jwt_from_header(const char *a)
{
    apr_size_t n;

    if (a == NULL) {
        return NULL;
    }
    if (strncasecmp(a, "Bearer", 6) == 0) {
        n = 6;
    }
    else if (strncasecmp(a, "JWT", 3) == 0) {
        n = 3;
    }
    else {
        return NULL;
    }
    if (a[n] != '\0' && a[n] != ' ' && a[n] != '\t') {
        return NULL;
    }
    for (a += n; *a == ' ' || *a == '\t'; a++) {
        continue;
    }
    return a;
}

int gql_jwt_claim_known(const char *name)
{
    static const char *const known[] = {
        "sub", "iss", "aud", "exp", "nbf", "iat", "jti"
    };
    size_t i;

    for (i = 0; i < sizeof(known) / sizeof(known[0]); i++) {
        if (strcmp(name, known[i]) == 0) {
            return 1;
        }
    }
    return 0;
}

const char *gql_jwt_claim_text(apr_pool_t *p, json_object *claims,
                               const char *name)
{
    json_object *v;

    (void)p;
    if (claims == NULL || !json_object_object_get_ex(claims, name, &v)
        || v == NULL) {
        return NULL;
    }
    if (json_object_is_type(v, json_type_string)) {
        return json_object_get_string(v);
    }
    return gql_json_text(v);
}

apr_status_t gql_jwt_read_file(apr_pool_t *p, const char *path,
                               apr_size_t max, char **buf, apr_size_t *len)
{
    apr_file_t *f;
    apr_status_t rv;

    *buf = apr_palloc(p, max + 2);
    *len = 0;
    rv = apr_file_open(&f, path, APR_FOPEN_READ, APR_FPROT_OS_DEFAULT, p);
    if (rv == APR_SUCCESS) {
        rv = apr_file_read_full(f, *buf, max + 1, len);
        apr_file_close(f);
        if (rv == APR_EOF) {
            rv = APR_SUCCESS;
        }
    }
    (*buf)[*len] = '\0';
    return rv;
}

/* The whole file, at most MAX_SECRET bytes. */
static const char *read_secret(apr_pool_t *p, const char *path,
                               char **buf, apr_size_t *len)
{
    apr_status_t rv = gql_jwt_read_file(p, path, MAX_SECRET, buf, len);
    char err[120];

    if (rv != APR_SUCCESS) {
        return apr_psprintf(p, "GraphQLJWTSecret: cannot read %s: %s", path,
                            apr_strerror(rv, err, sizeof(err)));
    }
    if (*len > MAX_SECRET) {
        return apr_psprintf(p, "GraphQLJWTSecret: %s is larger than %d "
                            "bytes, not a secret", path, MAX_SECRET);
    }
    return NULL;
}

const char *gql_jwt_secret_load(apr_pool_t *p, const char *spec,
                                const unsigned char **key, apr_size_t *len)
{
    const char *msg;
    char *buf;

    if (strncmp(spec, "file:", 5) == 0) {
        if ((msg = read_secret(p, spec + 5, &buf, len)) != NULL) {
            return msg;
        }
        if (*len > 0 && buf[*len - 1] == '\n') {
            --*len;
            if (*len > 0 && buf[*len - 1] == '\r') {
                --*len;
            }
        }
    }
    else if (strncmp(spec, "env:", 4) == 0) {
        if ((buf = getenv(spec + 4)) == NULL) {
            return apr_psprintf(p, "GraphQLJWTSecret: the environment "
                                "variable %s is not set", spec + 4);
        }
        buf = apr_pstrdup(p, buf);
        *len = strlen(buf);
    }
    else {
        return "GraphQLJWTSecret: the argument must be file:PATH or "
               "env:NAME";
    }
    if (*len < GQL_JWT_MIN_SECRET) {
        return apr_psprintf(p, "GraphQLJWTSecret: the secret must be at "
                            "least %d bytes (256 bits), it has %"
                            APR_SIZE_T_FMT, GQL_JWT_MIN_SECRET, *len);
    }
    *key = (const unsigned char *)buf;
    return NULL;
}

/* Whether s is well-formed UTF-8 (no overlong forms, surrogates or code
 * points past U+10FFFF): PostgreSQL's text takes nothing else. */
static int utf8_ok(const unsigned char *s)
{
    while (*s) {
        int n = *s < 0x80 ? 0 : (*s & 0xe0) == 0xc0 ? 1
                : (*s & 0xf0) == 0xe0 ? 2 : (*s & 0xf8) == 0xf0 ? 3 : -1;
        apr_uint32_t cp = n == 0 ? *s : n == 1 ? *s & 0x1f
                          : n == 2 ? *s & 0x0f : *s & 0x07;
        int i;

        if (n < 0) {
            return 0;
        }
        for (i = 1; i <= n; i++) {
            if ((s[i] & 0xc0) != 0x80) {
                return 0;
            }
            cp = (cp << 6) | (s[i] & 0x3f);
        }
        if ((n == 1 && cp < 0x80) || (n == 2 && cp < 0x800)
            || (n == 3 && cp < 0x10000) || cp > 0x10ffff
            || (cp >= 0xd800 && cp <= 0xdfff)) {
            return 0;
        }
        s += n + 1;
    }
    return 1;
}

json_object *gql_jwt_user_claims(apr_pool_t *p, const char *user,
                                 const char *const *names,
                                 const char *const *values, int n,
                                 const char **why)
{
    json_object *c;
    int i;

    if (!utf8_ok((const unsigned char *)user)) {
        *why = "The user httpd authenticated is not valid UTF-8.";
        return NULL;
    }
    c = gql_json_own(p, json_object_new_object());
    json_object_object_add(c, "sub", json_object_new_string(user));
    for (i = 0; i < n; i++) {
        if (values[i] == NULL || strcmp(names[i], "sub") == 0) {
            continue;
        }
        if (!utf8_ok((const unsigned char *)values[i])) {
            *why = "A claim httpd gave is not valid UTF-8.";
            return NULL;
        }
        json_object_object_add(c, names[i],
                               json_object_new_string(values[i]));
    }
    return c;
}
