/* Licensed under the Apache License, Version 2.0 (the "License"); you may
 * not use this file except in compliance with the License.  You may obtain
 * a copy of the License at http://www.apache.org/licenses/LICENSE-2.0
 */

/*
 * t/unit/gql_jwt.c: HS256 tokens against references: the HMAC-SHA256
 * vectors of RFC 4231, the HS256 example of RFC 7515 appendix A.1, and
 * the tokens of t/cases/jwt/tokens signed by openssl dgst; forgeries made
 * from them; the Authorization header; the secret's loading.  Identity
 * providers' keys and tokens (RS256, ES256, EdDSA; PEM and JWK Set) made
 * by openssl at test time through t/bin/jwt-keys: their loading, key
 * selection by kid, pinned algorithms, iss and aud.  The claims of a user
 * httpd authenticated.
 */

#include <stdio.h>
#include <stdlib.h>
#include <apr_general.h>
#include <apr_strings.h>
#include <apr_file_io.h>
#include <apr_env.h>
#include "gql_json.h"
#include "gql_jwt.h"
#include "tap.h"

#define TOKENS "t/cases/jwt/tokens"
#define PARTS "The token is malformed: it must be three base64url parts " \
              "joined by dots."

static apr_pool_t *pool;

/* The line of the case file that starts with "WORD ", after it. */
static char case_key[256], case_other[256];
static apr_int64_t case_now;

static const char *hex(const unsigned char *d, apr_size_t n)
{
    char *s = apr_palloc(pool, 2 * n + 1);
    apr_size_t i;

    for (i = 0; i < n; i++) {
        apr_snprintf(s + 2 * i, 3, "%02x", d[i]);
    }
    return s;
}

static unsigned char *unhex(const char *s, apr_size_t *n)
{
    apr_size_t i, len = strlen(s) / 2;
    unsigned char *d = apr_palloc(pool, len + 1);

    for (i = 0; i < len; i++) {
        char b[3] = { s[2 * i], s[2 * i + 1], '\0' };
        d[i] = (unsigned char)strtoul(b, NULL, 16);
    }
    *n = len;
    return d;
}

/* "ok" or the reason, for a token under key at now. */
static const char *verify_n(const char *token, apr_size_t len,
                            const char *key, apr_int64_t now,
                            json_object **claims)
{
    const char *why = NULL;
    json_object *c = NULL;
    int good = gql_jwt_verify(pool, token, len, (const unsigned char *)key,
                              strlen(key), now, GQL_JWT_LEEWAY, 0, &c, &why);

    if (claims != NULL) {
        *claims = c;
    }
    if (good) {
        return c != NULL && why == NULL ? "ok" : "ok without claims";
    }
    return why != NULL && c == NULL ? why : "refused without a reason";
}

static const char *verify(const char *token, apr_int64_t now)
{
    return verify_n(token, strlen(token), case_key, now, NULL);
}

static const char *member(json_object *o, const char *name)
{
    json_object *v;

    if (o == NULL || !json_object_object_get_ex(o, name, &v)) {
        return "(absent)";
    }
    return gql_json_text(v);
}

static void rfc4231(void)
{
    static const struct {
        const char *key, *data, *mac;
    } v[] = {
        /* test case 1 */
        { "0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b", "4869205468657265",
          "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7" },
        /* test case 2: "Jefe", "what do ya want for nothing?" */
        { "4a656665",
          "7768617420646f2079612077616e7420666f72206e6f7468696e673f",
          "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843" },
        /* test case 3 */
        { "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
          "dddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddd"
          "dddddddddddddddddddddddddddddddddddd",
          "773ea91e36800e46854db8ebd09181a72959098b3ef8c122d9635514ced565fe" },
    };
    unsigned char mac[GQL_JWT_MAC_LEN], key[131];
    static const char big[] =
        "Test Using Larger Than Block-Size Key - Hash Key First";
    apr_size_t kl, dl, i;

    for (i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
        const unsigned char *k = unhex(v[i].key, &kl);
        const unsigned char *d = unhex(v[i].data, &dl);

        gql_jwt_hmac(k, kl, d, dl, mac);
        is_str(hex(mac, sizeof(mac)), v[i].mac,
               apr_psprintf(pool, "RFC 4231 test case %d", (int)i + 1));
    }
    /* test case 6: a key longer than SHA-256's block is hashed first */
    memset(key, 0xaa, sizeof(key));
    gql_jwt_hmac(key, sizeof(key), big, strlen(big), mac);
    is_str(hex(mac, sizeof(mac)),
           "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54",
           "RFC 4231 test case 6");
}

static void rfc7515(void)
{
    static const char token[] =
        "eyJ0eXAiOiJKV1QiLA0KICJhbGciOiJIUzI1NiJ9"
        ".eyJpc3MiOiJqb2UiLA0KICJleHAiOjEzMDA4MTkzODAsDQogImh0dHA6Ly9leGFt"
        "cGxlLmNvbS9pc19yb290Ijp0cnVlfQ"
        ".dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";
    /* the JWK's "k", base64url-decoded */
    apr_size_t kl;
    unsigned char *k = unhex(
        "0323354b2b0fa5bc837e0665777ba68f5ab328e6f054c928a90f84b2d2502ebf"
        "d3fb5a92d20647ef968ab4c377623d223d2e2172052e4f08c0cd9af567d080a3",
        &kl);
    const apr_int64_t exp = 1300819380;
    json_object *c = NULL;
    const char *why = "";
    int good;

    good = gql_jwt_verify(pool, token, strlen(token), k, kl, exp,
                          GQL_JWT_LEEWAY, 0, &c, &why);
    ok(good, "RFC 7515 A.1 verifies at its exp");
    is_str(member(c, "iss"), "\"joe\"", "RFC 7515 A.1: iss");
    is_str(member(c, "exp"), "1300819380", "RFC 7515 A.1: exp");
    is_str(member(c, "http://example.com/is_root"), "true",
           "RFC 7515 A.1: is_root");
    good = gql_jwt_verify(pool, token, strlen(token), k, kl,
                          exp + GQL_JWT_LEEWAY, GQL_JWT_LEEWAY, 0, &c, &why);
    ok(good, "RFC 7515 A.1 verifies at exp + leeway");
    good = gql_jwt_verify(pool, token, strlen(token), k, kl,
                          exp + GQL_JWT_LEEWAY + 1, GQL_JWT_LEEWAY, 0, &c,
                          &why);
    ok(!good && c == NULL, "RFC 7515 A.1 refused a second after the leeway");
    is_str(why, "The token has expired.", "RFC 7515 A.1: expired");
    k[0] ^= 1;
    good = gql_jwt_verify(pool, token, strlen(token), k, kl, exp,
                          GQL_JWT_LEEWAY, 0, &c, &why);
    is_str(good ? "ok" : why, "The token's signature is not valid.",
           "RFC 7515 A.1 under a key one bit off");
}

static const char *expected(const char *word)
{
    static const struct {
        const char *word, *why;
    } m[] = {
        { "ok", "ok" },
        { "expired", "The token has expired." },
        { "notyet", "The token is not valid yet." },
        { "future", "The token was issued in the future." },
        { "signature", "The token's signature is not valid." },
        { "algorithm", "The token's algorithm must be HS256." },
        { "malformed", "The token is malformed: " },
    };
    size_t i;

    for (i = 0; i < sizeof(m) / sizeof(m[0]); i++) {
        if (strcmp(word, m[i].word) == 0) {
            return m[i].why;
        }
    }
    return "(unknown expectation)";
}

static void one_case(const char *name, const char *expect, const char *tok)
{
    const char *want = expected(expect);
    const char *got = verify(tok, case_now);
    const char *label = apr_psprintf(pool, "tokens: %s is %s", name, expect);

    if (strcmp(expect, "malformed") == 0) {
        if (!ok(strncmp(got, want, strlen(want)) == 0, label)) {
            diag("got: %s", got);
        }
    }
    else {
        is_str(got, want, label);
    }
}

/* t/cases/jwt/tokens: "key K", "other K", "now N", then NAME EXPECT TOKEN. */
static int cases(void)
{
    FILE *f = fopen(TOKENS, "r");
    char line[16384], name[128], expect[32];
    char *tok;
    int n = 0;

    if (!setup_ok(f != NULL, TOKENS " opens")) {
        return 0;
    }
    while (fgets(line, sizeof(line), f) != NULL) {
        line[strcspn(line, "\n")] = '\0';
        if (line[0] == '#') {
            continue;
        }
        if (strncmp(line, "key ", 4) == 0) {
            apr_cpystrn(case_key, line + 4, sizeof(case_key));
        }
        else if (strncmp(line, "other ", 6) == 0) {
            apr_cpystrn(case_other, line + 6, sizeof(case_other));
        }
        else if (strncmp(line, "now ", 4) == 0) {
            case_now = apr_atoi64(line + 4);
        }
        else if (sscanf(line, "%127s %31s", name, expect) == 2
                 && (tok = strrchr(line, ' ')) != NULL) {
            one_case(name, expect, tok + 1);
            n++;
        }
    }
    fclose(f);
    return setup_ok(n >= 40, "tokens: at least 40 cases read");
}

/* The "basic" token of the case file. */
static const char *basic_token(void)
{
    FILE *f = fopen(TOKENS, "r");
    char line[16384];
    const char *tok = NULL;

    while (f != NULL && fgets(line, sizeof(line), f) != NULL) {
        line[strcspn(line, "\n")] = '\0';
        if (strncmp(line, "basic ok ", 9) == 0) {
            tok = apr_pstrdup(pool, line + 9);
        }
    }
    if (f != NULL) {
        fclose(f);
    }
    return tok;
}

static const char *part(const char *tok, int i)
{
    char *copy = apr_pstrdup(pool, tok), *last, *p;

    p = apr_strtok(copy, ".", &last);
    while (i-- > 0 && p != NULL) {
        p = apr_strtok(NULL, ".", &last);
    }
    return p;
}

/* tok with its last character changed by delta in the alphabet. */
static const char *bump_last(const char *tok, int delta)
{
    static const char a[] =
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    char *t = apr_pstrdup(pool, tok);
    size_t n = strlen(t);

    t[n - 1] = a[((strchr(a, t[n - 1]) - a) + delta) & 63];
    return t;
}

static void forgeries(void)
{
    const char *t = basic_token();
    const char *h, *c, *s, *msg;
    static const char nul_tok[] = "eyJhbGciOiJIUzI1NiJ9\0.e30.x";

    if (!ok(t != NULL, "the basic token is in " TOKENS)) {
        return;
    }
    h = part(t, 0);
    c = part(t, 1);
    s = part(t, 2);
    is_str(verify(apr_pstrcat(pool, h, ".eyJzdWIiOiIxIiwiaWF0IjoxNzAwMDAwMD"
                              "AwLCJleHAiOjE3MDAwMDM2MDB9.", s, NULL),
                  case_now),
           "The token's signature is not valid.",
           "forged: payload sub 42 -> 1, signature kept");
    is_str(verify(apr_pstrcat(pool, "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCIsIm"
                              "tpZCI6IjEifQ.", c, ".", s, NULL), case_now),
           "The token's signature is not valid.",
           "forged: header with a kid added, signature kept");
    is_str(verify(apr_pstrcat(pool, "eyJhbGciOiJub25lIiwidHlwIjoiSldUIn0.",
                              c, ".", NULL), case_now),
           "The token's algorithm must be HS256.",
           "forged: alg none, no signature");
    is_str(verify(apr_pstrcat(pool, "eyJhbGciOiJub25lIiwidHlwIjoiSldUIn0.",
                              c, ".", s, NULL), case_now),
           "The token's algorithm must be HS256.",
           "forged: alg none, the HS256 signature");
    is_str(verify(apr_pstrcat(pool, h, ".", c, ".", NULL), case_now),
           "The token's signature is not valid.", "empty signature");
    is_str(verify(apr_pstrndup(pool, t, strlen(t) - 3), case_now),
           "The token's signature is not valid.",
           "signature truncated to 30 bytes");
    one_case("signature-less-2", "malformed",
             apr_pstrndup(pool, t, strlen(t) - 2));
    is_str(verify(apr_pstrcat(pool, t, "AAAA", NULL), case_now),
           "The token's signature is not valid.",
           "signature with 3 bytes more");
    ok(strcmp(verify(apr_pstrndup(pool, t, strlen(t) - 1), case_now), "ok"),
       "signature less one character refused");
    one_case("trailing-bits", "malformed", bump_last(t, 1));
    is_str(verify(bump_last(t, 4), case_now),
           "The token's signature is not valid.", "last 6 bits changed");
    one_case("padding", "malformed", apr_pstrcat(pool, t, "=", NULL));
    one_case("header-padding", "malformed",
             apr_pstrcat(pool, h, "==.", c, ".", s, NULL));
    one_case("plus", "malformed",
             apr_pstrcat(pool, h, ".", c, ".+", s + 1, NULL));
    one_case("slash", "malformed",
             apr_pstrcat(pool, h, ".", c, ".", s + 1, "/", NULL));
    is_str(verify(apr_pstrcat(pool, t, ".e30", NULL), case_now), PARTS,
           "four parts");
    is_str(verify(apr_pstrcat(pool, t, ".", NULL), case_now), PARTS,
           "four parts, the last empty");
    is_str(verify(apr_pstrcat(pool, h, ".", c, NULL), case_now), PARTS,
           "two parts");
    is_str(verify(h, case_now), PARTS, "one part");
    is_str(verify("", case_now), PARTS, "empty token");
    is_str(verify("..", case_now),
           "The token is malformed: the header is not a JSON object.",
           "three empty parts");
    is_str(verify(apr_pstrcat(pool, apr_pstrndup(pool, t, strlen(t) - 3),
                              "A", NULL), case_now),
           "The token is malformed: the signature is not base64url.",
           "a signature of 4k+1 characters");
    one_case("trailing-space", "malformed", apr_pstrcat(pool, t, " ", NULL));
    one_case("trailing-newline", "malformed",
             apr_pstrcat(pool, t, "\n", NULL));
    is_str(verify_n(nul_tok, sizeof(nul_tok) - 1, case_key, case_now, NULL),
           "The token is malformed: the header is not base64url.",
           "a NUL inside the token");
    is_str(verify_n(t, strlen(t), case_other, case_now, NULL),
           "The token's signature is not valid.", "other key");
    msg = verify_n(t, strlen(t), "", case_now, NULL);
    is_str(msg, "The token's signature is not valid.", "an empty key");
}

static void signing(void)
{
    json_object *c = gql_json_own(pool, json_object_new_object());
    const char *t = basic_token(), *big, *tok;
    json_object *back = NULL;
    const unsigned char *k = (const unsigned char *)case_key;

    json_object_object_add(c, "sub", json_object_new_string("42"));
    json_object_object_add(c, "iat", json_object_new_int64(1700000000));
    json_object_object_add(c, "exp", json_object_new_int64(1700003600));
    is_str(gql_jwt_sign(pool, c, k, strlen(case_key)), t,
           "sign: the same token as openssl dgst");
    is_str(gql_jwt_issue(pool, "42", 1700000000, 3600, k, strlen(case_key)),
           t, "issue: sub, iat, exp as openssl signed them");
    tok = gql_jwt_issue(pool, "a \"quoted\" / subject", case_now, 60, k,
                        strlen(case_key));
    is_str(verify_n(tok, strlen(tok), case_key, case_now + 90, &back), "ok",
           "issue: verifies until exp + leeway");
    is_str(member(back, "sub"), "\"a \\\"quoted\\\" / subject\"",
           "issue: the subject comes back");
    is_str(verify(tok, case_now + 91), "The token has expired.",
           "issue: expired after exp + leeway");
    big = apr_psprintf(pool, "%6000d", 1);
    json_object_object_add(c, "big", json_object_new_string(big));
    tok = gql_jwt_sign(pool, c, k, strlen(case_key));
    ok(strlen(tok) < GQL_JWT_MAX_TOKEN && strcmp(verify(tok, case_now), "ok")
       == 0, "a 6000-byte claim verifies");
    json_object_object_add(c, "big2", json_object_new_string(big));
    tok = gql_jwt_sign(pool, c, k, strlen(case_key));
    is_str(verify(tok, case_now), "The token is malformed: it is too long.",
           "a token over GQL_JWT_MAX_TOKEN");
}

/* U+0000 in the claims, and a token without exp with and without
 * require_exp. */
static void nul_and_exp(void)
{
    json_object *c = gql_json_own(pool, json_object_new_object());
    const unsigned char *k = (const unsigned char *)case_key;
    apr_size_t kl = strlen(case_key);
    json_object *back = NULL;
    const char *tok, *why = NULL;
    int good;

    json_object_object_add(c, "sub", json_object_new_string("1"));
    tok = gql_jwt_sign(pool, c, k, kl);
    good = gql_jwt_verify(pool, tok, strlen(tok), k, kl, case_now,
                          GQL_JWT_LEEWAY, 1, &back, &why);
    ok(!good && back == NULL, "no exp, exp required: refused");
    is_str(why, "The token has no expiry time (exp).", "the reason");
    good = gql_jwt_verify(pool, tok, strlen(tok), k, kl, case_now,
                          GQL_JWT_LEEWAY, 0, &back, &why);
    ok(good && back != NULL, "no exp, exp not required: verifies");
    tok = gql_jwt_issue(pool, "1", case_now, 60, k, kl);
    good = gql_jwt_verify(pool, tok, strlen(tok), k, kl, case_now,
                          GQL_JWT_LEEWAY, 1, &back, &why);
    ok(good, "a token gql_jwt_issue makes has exp");
    json_object_object_add(c, "exp", json_object_new_int64(case_now + 60));
    json_object_object_add(c, "sub", json_object_new_string_len("5\0x", 3));
    tok = gql_jwt_sign(pool, c, k, kl);
    ok(strstr(gql_json_text(c), "\\u0000") != NULL, "(the claim is "
       "written \\u0000)");
    good = gql_jwt_verify(pool, tok, strlen(tok), k, kl, case_now,
                          GQL_JWT_LEEWAY, 1, &back, &why);
    ok(!good && back == NULL, "a claim holding U+0000: refused");
    is_str(why, "The token is malformed: its claims hold U+0000.",
           "the reason");
}

static void header(void)
{
    is_str(gql_jwt_from_header("Bearer abc.def.ghi"), "abc.def.ghi",
           "Bearer");
    is_str(gql_jwt_from_header("bEaReR    abc"), "abc", "bEaReR, spaces");
    is_str(gql_jwt_from_header("JWT abc"), "abc", "JWT");
    is_str(gql_jwt_from_header("jwt\tabc"), "abc", "jwt, tab");
    is_str(gql_jwt_from_header("Bearer"), "", "Bearer alone: empty token");
    is_str(gql_jwt_from_header("Bearer   "), "", "Bearer, spaces: empty");
    is_str(gql_jwt_from_header("Basic dXNlcjpwdw=="), NULL, "Basic");
    is_str(gql_jwt_from_header("Bearerabc"), NULL, "Bearerabc");
    is_str(gql_jwt_from_header("JWTabc"), NULL, "JWTabc");
    is_str(gql_jwt_from_header("Token abc"), NULL, "Token");
    is_str(gql_jwt_from_header(""), NULL, "empty header");
    is_str(gql_jwt_from_header(NULL), NULL, "no header");
}

static void claims(void)
{
    const char *t = basic_token();
    json_object *c = NULL, *o = gql_json_own(pool, json_object_new_object());
    static const char *const names[] = {
        "sub", "iss", "aud", "exp", "nbf", "iat", "jti"
    };
    size_t i;

    for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
        ok(gql_jwt_claim_known(names[i]),
           apr_psprintf(pool, "claim %s known", names[i]));
    }
    ok(!gql_jwt_claim_known("role") && !gql_jwt_claim_known("")
       && !gql_jwt_claim_known("SUB"), "role, '' and SUB unknown");
    verify_n(t, strlen(t), case_key, case_now, &c);
    is_str(gql_jwt_claim_text(pool, c, "sub"), "42", "sub as text");
    is_str(gql_jwt_claim_text(pool, c, "exp"), "1700003600", "exp as text");
    is_str(gql_jwt_claim_text(pool, c, "jti"), NULL, "absent claim: NULL");
    is_str(gql_jwt_claim_text(pool, NULL, "sub"), NULL, "no caller: NULL");
    json_object_object_add(o, "aud", json_object_new_array());
    json_object_array_add(json_object_object_get(o, "aud"),
                          json_object_new_string("a"));
    json_object_object_add(o, "iss", NULL);
    is_str(gql_jwt_claim_text(pool, o, "aud"), "[\"a\"]", "array as JSON");
    is_str(gql_jwt_claim_text(pool, o, "iss"), NULL, "null claim: NULL");
}

/* A temporary file holding n bytes of d; its name. */
static const char *secret_file(const void *d, apr_size_t n)
{
    const char *dir;
    char *name;
    apr_file_t *f;
    apr_size_t w = n;

    apr_temp_dir_get(&dir, pool);
    name = apr_pstrcat(pool, dir, "/gql_jwt_XXXXXX", NULL);
    if (apr_file_mktemp(&f, name, APR_FOPEN_CREATE | APR_FOPEN_READ
                        | APR_FOPEN_WRITE | APR_FOPEN_EXCL
                        | APR_FOPEN_DELONCLOSE, pool) != APR_SUCCESS) {
        return "/nonexistent";
    }
    apr_file_write_full(f, d, n, &w);
    apr_file_flush(f);
    return name;   /* removed when the pool is destroyed */
}

static const char *load(const char *spec, apr_size_t *len,
                        const unsigned char **key)
{
    const char *msg;

    *key = NULL;
    *len = 0;
    msg = gql_jwt_secret_load(pool, spec, key, len);
    return msg != NULL ? msg : "ok";
}

static void secrets(void)
{
    static const char s32[] = "0123456789abcdef0123456789ABCDEF";
    static const char bin[] = "\0\1\2\3\4\5\6\7\n\0\1\2\3\4\5\6"
                              "\0\1\2\3\4\5\6\7\r\0\1\2\3\4\5\6\n";
    const unsigned char *key;
    apr_size_t len;
    const char *f, *msg;
    char *big;

    f = secret_file(s32, 32);
    is_str(load(apr_pstrcat(pool, "file:", f, NULL), &len, &key), "ok",
           "file: 32 bytes, no newline");
    ok(len == 32 && memcmp(key, s32, 32) == 0, "file: the key's bytes");
    f = secret_file(apr_pstrcat(pool, s32, "\n", NULL), 33);
    is_str(load(apr_pstrcat(pool, "file:", f, NULL), &len, &key), "ok",
           "file: 32 bytes and a newline");
    ok(len == 32 && memcmp(key, s32, 32) == 0, "file: newline stripped");
    f = secret_file(apr_pstrcat(pool, s32, "\r\n", NULL), 34);
    load(apr_pstrcat(pool, "file:", f, NULL), &len, &key);
    ok(len == 32, "file: CRLF stripped");
    f = secret_file(apr_pstrcat(pool, s32, "\n\n", NULL), 34);
    load(apr_pstrcat(pool, "file:", f, NULL), &len, &key);
    ok(len == 33 && key[32] == '\n', "file: only one newline stripped");
    f = secret_file(bin, sizeof(bin) - 1);
    load(apr_pstrcat(pool, "file:", f, NULL), &len, &key);
    ok(len == sizeof(bin) - 2 && memcmp(key, bin, len) == 0,
       "file: binary bytes, NULs kept");
    f = secret_file("0123456789abcdef0123456789ABCDE\n", 32);
    msg = load(apr_pstrcat(pool, "file:", f, NULL), &len, &key);
    is_str(msg, "GraphQLJWTSecret: the secret must be at least 32 bytes "
           "(256 bits), it has 31", "file: 31 bytes refused");
    ok(strstr(msg, "0123456789") == NULL, "the message holds no secret");
    f = secret_file("", 0);
    is_str(load(apr_pstrcat(pool, "file:", f, NULL), &len, &key),
           "GraphQLJWTSecret: the secret must be at least 32 bytes "
           "(256 bits), it has 0", "file: empty refused");
    msg = load("file:t/cases/jwt/no-such-secret", &len, &key);
    ok(strncmp(msg, "GraphQLJWTSecret: cannot read t/cases/jwt/no-such-"
               "secret: ", 51) == 0, "file: missing refused");
    diag("%s", msg);
    ok(strncmp(load("file:t/cases", &len, &key), "GraphQLJWTSecret: ", 18)
       == 0 && key == NULL, "file: a directory refused");
    big = apr_palloc(pool, 70000);
    memset(big, 'x', 70000);
    f = secret_file(big, 70000);
    ok(strncmp(load(apr_pstrcat(pool, "file:", f, NULL), &len, &key),
               "GraphQLJWTSecret: ", 18) == 0 && key == NULL,
       "file: 70000 bytes refused");
    apr_env_set("GQL_JWT_TEST_SECRET", s32, pool);
    is_str(load("env:GQL_JWT_TEST_SECRET", &len, &key), "ok", "env: set");
    ok(len == 32 && memcmp(key, s32, 32) == 0, "env: the key's bytes");
    apr_env_set("GQL_JWT_TEST_SECRET", "short", pool);
    is_str(load("env:GQL_JWT_TEST_SECRET", &len, &key),
           "GraphQLJWTSecret: the secret must be at least 32 bytes "
           "(256 bits), it has 5", "env: short refused");
    apr_env_delete("GQL_JWT_TEST_SECRET", pool);
    is_str(load("env:GQL_JWT_TEST_SECRET", &len, &key),
           "GraphQLJWTSecret: the environment variable GQL_JWT_TEST_SECRET "
           "is not set", "env: unset refused");
    is_str(load("GQL_JWT_TEST_SECRET", &len, &key),
           "GraphQLJWTSecret: the argument must be file:PATH or env:NAME",
           "neither file: nor env:");
}

/* ---- identity providers' keys ----------------------------------------- */

#define IDP_NOW 1700000000
#define IDP_CLAIMS "{\"sub\":\"ada\",\"iss\":\"https://idp.example\"," \
                   "\"aud\":\"mod_graphql\",\"exp\":1700003600}"

static const char *idp_dir;

static const char *idp_path(const char *file)
{
    return apr_pstrcat(pool, idp_dir, "/", file, NULL);
}

/* A token signed by openssl (t/bin/jwt-keys sign); "" when it failed. */
static const char *idp_sign(const char *key, const char *header,
                            const char *claims)
{
    char buf[GQL_JWT_MAX_TOKEN];
    FILE *f = popen(apr_psprintf(pool, "t/bin/jwt-keys sign '%s' '%s' '%s' "
                                 "'%s'", idp_dir, key, header, claims), "r");

    buf[0] = '\0';
    if (f == NULL || fgets(buf, sizeof(buf), f) == NULL) {
        buf[0] = '\0';
    }
    if (f != NULL) {
        pclose(f);
    }
    buf[strcspn(buf, "\n")] = '\0';
    return apr_pstrdup(pool, buf);
}

static const char *idp_header(const char *alg, const char *kid)
{
    return kid ? apr_psprintf(pool, "{\"alg\":\"%s\",\"kid\":\"%s\"}", alg,
                              kid)
               : apr_psprintf(pool, "{\"alg\":\"%s\"}", alg);
}

/* "ok" or the reason, for a token under rules. */
static const char *idp_check(const gql_jwt_rules_t *rules, const char *tok)
{
    json_object *c = NULL;
    const char *why = NULL;

    if (gql_jwt_check(pool, tok, strlen(tok), rules, &c, &why)) {
        return c != NULL ? "ok" : "ok without claims";
    }
    return why != NULL && c == NULL ? why : "refused without a reason";
}

/* "ok", or the message of adding the PEM key file with alg and kid. */
static const char *pem(gql_jwt_keys_t *keys, const char *file,
                       const char *alg, const char *kid)
{
    const char *msg = gql_jwt_keys_add_pem(keys, pool, idp_path(file), alg,
                                           kid);

    return msg ? msg : "ok";
}

static const char *jwks_text(gql_jwt_keys_t *keys, const char *text)
{
    const char *f = secret_file(text, strlen(text));
    const char *msg = gql_jwt_keys_add_jwks(keys, pool, f);

    if (msg != NULL && strncmp(msg, "GraphQLJWKS: ", 13) == 0
        && strncmp(msg + 13, f, strlen(f)) == 0) {
        return msg + 13 + strlen(f);
    }
    return msg ? msg : "ok";
}

static void idp_pem_files(void)
{
    gql_jwt_keys_t *k = gql_jwt_keys_make(pool);
    const char *msg;

    is_str(pem(k, "rsa.pem", NULL, NULL), "ok", "PEM: RSA, its type's alg");
    is_str(pem(k, "ec.pem", "ES256", "ec"), "ok", "PEM: P-256, ES256, kid");
    is_str(pem(k, "ed.pem", "EdDSA", NULL), "ok", "PEM: Ed25519, EdDSA");
    is_str(pem(k, "cert.pem", "RS256", "cert"), "ok",
           "PEM: a certificate's key");
    ok(gql_jwt_keys_count(k) == 4, "four keys");
    is_str(pem(k, "rsa2.pem", NULL, "ec"),
           apr_pstrcat(pool, "GraphQLJWTKey: ", idp_path("rsa2.pem"),
                       ": a key has the kid \"ec\" already", NULL),
           "PEM: a kid twice");
    is_str(pem(k, "rsa.pem", "ES256", NULL),
           apr_pstrcat(pool, "GraphQLJWTKey: ", idp_path("rsa.pem"),
                       ": an RSA key cannot verify ES256 tokens", NULL),
           "PEM: RSA for ES256 refused, naming the file");
    ok(strstr(pem(k, "ec.pem", "EdDSA", NULL), "a P-256 key cannot verify "
              "EdDSA tokens") != NULL, "PEM: P-256 for EdDSA refused");
    ok(strstr(pem(k, "ed.pem", "RS256", NULL), "an Ed25519 key cannot "
              "verify RS256 tokens") != NULL, "PEM: Ed25519 for RS256");
    ok(strstr(pem(k, "rsa.pem", "HS256", NULL), "the algorithm must be "
              "RS256, ES256 or EdDSA, not HS256") != NULL,
       "PEM: HS256 refused");
    ok(strstr(pem(k, "rsa.pem", "none", NULL), "not none") != NULL,
       "PEM: none refused");
    ok(strstr(pem(k, "weak.pem", NULL, NULL), "an RSA key of 1024 bits is "
              "too weak (at least 2048)") != NULL, "PEM: RSA 1024 refused");
    ok(strstr(pem(k, "p384.pem", NULL, NULL), "an EC key must be on the "
              "curve P-256") != NULL, "PEM: P-384 refused");
    msg = pem(k, "rsa.key", NULL, NULL);
    ok(strstr(msg, "it holds a private key") != NULL,
       "PEM: a private key refused");
    ok(strstr(pem(k, "jwks.json", NULL, NULL), "it holds no PEM public key")
       != NULL, "PEM: a JWK Set is no PEM");
    ok(strstr(pem(k, "no-such.pem", NULL, NULL), "no-such.pem: cannot read "
              "it: ") != NULL, "PEM: a missing file");
    ok(gql_jwt_keys_count(k) == 4, "still four keys");
}

static void idp_jwks_files(void)
{
    gql_jwt_keys_t *k = gql_jwt_keys_make(pool);
    const char *msg;

    msg = gql_jwt_keys_add_jwks(k, pool, idp_path("jwks.json"));
    is_str(msg ? msg : "ok", "ok", "JWKS: loads");
    ok(gql_jwt_keys_count(k) == 3, "JWKS: enc, oct and RS512 keys left out");
    msg = gql_jwt_keys_add_jwks(k, pool, idp_path("jwks.json"));
    ok(msg != NULL && strstr(msg, "a key has the kid \"rsa-1\" already"),
       "JWKS: loaded twice, a kid twice");
    k = gql_jwt_keys_make(pool);
    is_str(jwks_text(k, "[]"), ": it is not a JWK Set (a JSON object with "
           "an array \"keys\")", "JWKS: an array");
    is_str(jwks_text(k, "{\"keys\":{}}"), ": it is not a JWK Set (a JSON "
           "object with an array \"keys\")", "JWKS: keys an object");
    is_str(jwks_text(k, "{\"keys\":[]}"), ": it has no key for RS256, ES256 "
           "or EdDSA", "JWKS: no key");
    is_str(jwks_text(k, "{\"keys\":[{\"kty\":\"oct\",\"k\":\"AAAA\"}]}"),
           ": it has no key for RS256, ES256 or EdDSA",
           "JWKS: a symmetric key alone");
    is_str(jwks_text(k, "{\"keys\":[1]}"), ": a key is not an object with "
           "a kty", "JWKS: a number");
    is_str(jwks_text(k, "{\"keys\":[{\"kty\":\"EC\",\"kid\":\"e\",\"crv\":"
                     "\"P-256\",\"x\":\"AAAA\",\"y\":\"AAAA\"}]}"),
           ": the EC key \"e\" is malformed", "JWKS: a short EC point");
    is_str(jwks_text(k, "{\"keys\":[{\"kty\":\"RSA\",\"alg\":\"ES256\","
                     "\"n\":\"AQAB\",\"e\":\"AQAB\"}]}"),
           ": an RSA key of 17 bits is too weak (at least 2048)",
           "JWKS: a tiny RSA key");
    is_str(jwks_text(k, "{\"keys\":[{\"kty\":\"OKP\",\"alg\":\"EdDSA\","
                     "\"crv\":\"Ed25519\",\"x\":\"AA==\"}]}"),
           ": the OKP key is malformed", "JWKS: padded base64url");
    is_str(jwks_text(k, "{\"keys\":[{\"kty\":\"EC\",\"x\":\"AA\"}]}"),
           ": the EC key is malformed", "JWKS: an EC key without crv");
    is_str(jwks_text(k, "{\"keys\":[{\"kty\":\"EC\",\"crv\":\"P-384\"},"
                     "{\"kty\":\"OKP\",\"alg\":\"EdDSA\",\"crv\":"
                     "\"Ed448\"},{\"kty\":\"RSA\",\"alg\":\"PS256\"},"
                     "{\"kty\":\"RSA\",\"use\":\"enc\"}]}"),
           ": it has no key for RS256, ES256 or EdDSA",
           "JWKS: P-384, Ed448, PS256 and enc keys left out");
    is_str(jwks_text(k, "{\"keys\":[{\"kty\":\"RSA\",\"alg\":256}]}"),
           ": a key's alg is not a string", "JWKS: alg a number");
    ok(gql_jwt_keys_count(k) == 0, "JWKS: nothing added by the bad ones");
}

/* An RSA JWK whose alg is not the one of its type. */
static void idp_jwks_confusion(void)
{
    gql_jwt_keys_t *k = gql_jwt_keys_make(pool);
    FILE *f = fopen(idp_path("jwks.json"), "r");
    char text[16384];
    apr_size_t n = f ? fread(text, 1, sizeof(text) - 1, f) : 0;
    char *rs;

    if (f != NULL) {
        fclose(f);
    }
    text[n] = '\0';
    if ((rs = strstr(text, "\"RS256\"")) == NULL) {
        ok(0, "JWKS: the RS256 key is in jwks.json");
        return;
    }
    memcpy(rs, "\"ES256\"", 7);
    is_str(jwks_text(k, text), ": an RSA key cannot verify ES256 tokens",
           "JWKS: an RSA key for ES256 refused");
}

/* n base64url characters of zero bits. */
static const char *zeros(apr_size_t n)
{
    char *z = apr_palloc(pool, n + 1);

    memset(z, 'A', n);
    z[n] = '\0';
    return z;
}

/* The keys of jwks.json at IDP_NOW, nothing else. */
static gql_jwt_rules_t idp_rules(void)
{
    gql_jwt_keys_t *keys = gql_jwt_keys_make(pool);
    gql_jwt_rules_t r;

    gql_jwt_keys_add_jwks(keys, pool, idp_path("jwks.json"));
    memset(&r, 0, sizeof(r));
    r.keys = keys;
    r.now = IDP_NOW;
    r.leeway = GQL_JWT_LEEWAY;
    return r;
}

static void idp_tokens(void)
{
    gql_jwt_rules_t r = idp_rules();
    const char *t, *hs, *raw;
    static const char secret[] = "a secret of more than thirty-two bytes";

    r.require_exp = 1;
    t = idp_sign("rsa", idp_header("RS256", "rsa-1"), IDP_CLAIMS);
    is_str(idp_check(&r, t), "ok", "RS256 with its kid");
    is_str(idp_check(&r, idp_sign("ec", idp_header("ES256", "ec-1"),
                                  IDP_CLAIMS)), "ok", "ES256 with its kid");
    is_str(idp_check(&r, idp_sign("ed", idp_header("EdDSA", "ed-1"),
                                  IDP_CLAIMS)), "ok", "EdDSA with its kid");
    is_str(idp_check(&r, idp_sign("ec", idp_header("ES256", NULL),
                                  IDP_CLAIMS)), "ok", "ES256 without a kid");
    is_str(idp_check(&r, idp_sign("rsa", idp_header("RS256", "rsa-9"),
                                  IDP_CLAIMS)),
           "The token's key (kid) is not known.", "an unknown kid");
    is_str(idp_check(&r, idp_sign("rsa2", idp_header("RS256", "rsa-enc"),
                                  IDP_CLAIMS)),
           "The token's key (kid) is not known.", "the kid of an enc key");
    is_str(idp_check(&r, idp_sign("rsa2", idp_header("RS256", "rsa-1"),
                                  IDP_CLAIMS)),
           "The token's signature is not valid.", "another key's signature");
    is_str(idp_check(&r, idp_sign("rsa2", idp_header("RS256", NULL),
                                  IDP_CLAIMS)),
           "The token's signature is not valid.", "no kid, no key signed");
    is_str(idp_check(&r, idp_sign("ec", idp_header("ES256", "rsa-1"),
                                  IDP_CLAIMS)),
           "The token's algorithm is not the one its key is for.",
           "ES256 under the RSA key's kid");
    is_str(idp_check(&r, idp_sign("ec", idp_header("RS256", "ec-1"),
                                  IDP_CLAIMS)),
           "The token's algorithm is not the one its key is for.",
           "RS256 under the EC key's kid");
    is_str(idp_check(&r, idp_sign("ec:der", idp_header("ES256", "ec-1"),
                                  IDP_CLAIMS)),
           "The token's signature is not valid.", "ES256 signature as DER");
    t = idp_sign("ec", idp_header("ES256", "ec-1"), IDP_CLAIMS);
    t = apr_pstrndup(pool, t, strrchr(t, '.') + 1 - t);
    /* 63 zero bytes, then 64: r = s = 0 must not verify anything */
    is_str(idp_check(&r, apr_pstrcat(pool, t, zeros(84), NULL)),
           "The token's signature is not valid.", "ES256 signature of 63 "
           "bytes");
    is_str(idp_check(&r, apr_pstrcat(pool, t, zeros(86), NULL)),
           "The token's signature is not valid.", "ES256 r = s = 0");
    is_str(idp_check(&r, idp_sign("rsa", idp_header("none", NULL),
                                  IDP_CLAIMS)),
           "The token's algorithm must be RS256, ES256 or EdDSA.",
           "alg none");
    hs = idp_sign("hmac:rsa.pem", idp_header("HS256", "rsa-1"), IDP_CLAIMS);
    raw = idp_sign("hmac:rsa.pem", idp_header("HS256", NULL), IDP_CLAIMS);
    is_str(idp_check(&r, raw),
           "The token's algorithm must be RS256, ES256 or EdDSA.",
           "HS256 with the public key as secret, no secret here");
    r.secret = (const unsigned char *)secret;
    r.secret_len = strlen(secret);
    is_str(idp_check(&r, raw), "The token's signature is not valid.",
           "HS256 with the public key as secret, a secret here");
    is_str(idp_check(&r, hs),
           "The token's algorithm is not the one its key is for.",
           "HS256 with the public key as secret, under its kid");
    is_str(idp_check(&r, idp_sign("hmac:rsa.pem", idp_header("HS512", NULL),
                                  IDP_CLAIMS)),
           "The token's algorithm must be HS256, RS256, ES256 or EdDSA.",
           "HS512: the four algorithms named");
    r.secret = NULL;
    is_str(idp_check(&r, idp_sign("rsa", idp_header("RS256", "rsa-1"),
                                  "{\"sub\":\"ada\",\"exp\":1699999000}")),
           "The token has expired.", "RS256 expired");
    is_str(idp_check(&r, idp_sign("rsa", idp_header("RS256", "rsa-1"),
                                  "{\"sub\":\"ada\"}")),
           "The token has no expiry time (exp).", "RS256 without exp");
}

static const char *party(const gql_jwt_rules_t *r, const char *claims)
{
    return idp_check(r, idp_sign("ed", idp_header("EdDSA", "ed-1"),
                                 claims));
}

static void idp_parties(void)
{
    gql_jwt_rules_t r = idp_rules();
    static const char aud[] = "The token's audience (aud) is not this "
                              "endpoint.";
    static const char iss[] = "The token's issuer (iss) is not accepted.";

    r.issuer = "https://idp.example";
    r.audience = "mod_graphql";
    is_str(party(&r, IDP_CLAIMS), "ok", "iss and aud as configured");
    is_str(party(&r, "{\"iss\":\"https://idp.example\",\"aud\":[\"other\","
                 "\"mod_graphql\"]}"), "ok", "aud an array naming us");
    is_str(party(&r, "{\"iss\":\"https://idp.example\",\"aud\":\"other\"}"),
           aud, "aud another");
    is_str(party(&r, "{\"iss\":\"https://idp.example\",\"aud\":[\"other\"]"
                 "}"), aud, "aud an array without us");
    is_str(party(&r, "{\"iss\":\"https://idp.example\",\"aud\":[]}"), aud,
           "aud empty");
    is_str(party(&r, "{\"iss\":\"https://idp.example\",\"aud\":[1]}"), aud,
           "aud of a number");
    is_str(party(&r, "{\"iss\":\"https://idp.example\"}"), aud,
           "no aud");
    is_str(party(&r, "{\"iss\":\"https://idp.example/\",\"aud\":"
                 "\"mod_graphql\"}"), iss, "iss another");
    is_str(party(&r, "{\"aud\":\"mod_graphql\"}"), iss, "no iss");
    r.issuer = NULL;
    r.audience = NULL;
    is_str(party(&r, "{\"aud\":1}"), "ok", "neither configured: any");
}

static void idp(void)
{
    const char *dir;
    char *tmpl;

    apr_temp_dir_get(&dir, pool);
    tmpl = apr_pstrcat(pool, dir, "/gql_jwt_idp_XXXXXX", NULL);
    if (!setup_ok(mkdtemp(tmpl) != NULL, "a directory for the keys")) {
        return;
    }
    idp_dir = tmpl;
    if (!setup_ok(system(apr_psprintf(pool, "t/bin/jwt-keys make '%s'",
                                      idp_dir)) == 0,
                  "t/bin/jwt-keys makes keys with openssl")) {
        return;
    }
    idp_pem_files();
    idp_jwks_files();
    idp_jwks_confusion();
    idp_tokens();
    idp_parties();
    system(apr_psprintf(pool, "rm -rf '%s'", idp_dir));
}

static void user_claims(void)
{
    static const char *const names[] = { "email", "sub", "dn", "email" };
    const char *values[] = { "a@example.com", "root", NULL, "ada@x.org" };
    const char *why = NULL;
    json_object *c;

    c = gql_jwt_user_claims(pool, "ada", names, values, 4, &why);
    is_str(c ? gql_json_text(c) : why,
           "{\"sub\":\"ada\",\"email\":\"ada@x.org\"}",
           "user claims: sub, the last email, no dn, sub not replaced");
    c = gql_jwt_user_claims(pool, "Zo\xc3\xab", names, values, 0, &why);
    is_str(c ? gql_json_text(c) : why, "{\"sub\":\"Zo\xc3\xab\"}",
           "user claims: UTF-8 user");
    c = gql_jwt_user_claims(pool, "Zo\xeb", names, values, 0, &why);
    ok(c == NULL, "user claims: Latin-1 user refused");
    is_str(why, "The user httpd authenticated is not valid UTF-8.",
           "user claims: the reason");
    c = gql_jwt_user_claims(pool, "a\xc0\xafz", names, values, 0, &why);
    ok(c == NULL, "user claims: an overlong '/' refused");
    c = gql_jwt_user_claims(pool, "\xed\xa0\x80", names, values, 0, &why);
    ok(c == NULL, "user claims: a surrogate refused");
    values[0] = "caf\xe9";
    c = gql_jwt_user_claims(pool, "ada", names, values, 1, &why);
    ok(c == NULL, "user claims: a Latin-1 value refused");
    is_str(why, "A claim httpd gave is not valid UTF-8.",
           "user claims: the value's reason");
}

int main(void)
{
    apr_initialize();
    apr_pool_create(&pool, NULL);
    rfc4231();
    rfc7515();
    cases();
    forgeries();
    signing();
    nul_and_exp();
    header();
    claims();
    secrets();
    idp();
    user_claims();
    apr_pool_destroy(pool);
    apr_terminate();
    return tap_done();
}
