/* Licensed under the Apache License, Version 2.0 (the "License"); you may
 * not use this file except in compliance with the License.  You may obtain
 * a copy of the License at http://www.apache.org/licenses/LICENSE-2.0
 */

/*
 * gql_writer.c: JSON text into a growing buffer (gql_writer.h).  The
 * buffer doubles in the pool when full; what it outgrew stays in the
 * pool until the request ends, so the pool holds at most twice the text.
 */

#include <string.h>
#include <apr_strings.h>
#include "gql_writer.h"

#define TEXT_FLAGS (JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE)

struct gql_writer_t {
    apr_pool_t *p;
    char *buf;
    apr_size_t len, cap;
};

gql_writer_t *gql_writer_make(apr_pool_t *p, apr_size_t size_hint)
{
    gql_writer_t *w = apr_palloc(p, sizeof(*w));

    w->p = p;
    w->cap = size_hint > 64 ? size_hint : 64;
    w->buf = apr_palloc(p, w->cap);
    w->len = 0;
    return w;
}

/* The buffer grown to hold n more bytes and a NUL. */
static void grow(gql_writer_t *w, apr_size_t n)
{
    apr_size_t cap = w->cap * 2;
    char *b;

    while (cap < w->len + n + 1) {
        cap *= 2;
    }
    b = apr_palloc(w->p, cap);
    memcpy(b, w->buf, w->len);
    w->buf = b;
    w->cap = cap;
}

/* Room for n more bytes and a NUL: inline, as every put asks. */
static APR_INLINE char *room(gql_writer_t *w, apr_size_t n)
{
    if (w->len + n + 1 > w->cap) {
        grow(w, n);
    }
    return w->buf + w->len;
}

void gql_writer_put(gql_writer_t *w, const char *s, apr_size_t n)
{
    memcpy(room(w, n), s, n);
    w->len += n;
}

void gql_writer_putc(gql_writer_t *w, char c)
{
    *room(w, 1) = c;
    w->len++;
}

void gql_writer_key(gql_writer_t *w, int comma, const char *key)
{
    apr_size_t n = strlen(key);
    char *o = room(w, n + 4);

    if (comma) {
        *o++ = ',';
    }
    *o++ = '"';
    memcpy(o, key, n);
    o += n;
    *o++ = '"';
    *o++ = ':';
    w->len = (apr_size_t)(o - w->buf);
}

void gql_writer_puts(gql_writer_t *w, const char *s)
{
    gql_writer_put(w, s, strlen(s));
}

/* Whether any of the 8 bytes of x needs an escape: a byte below 0x20,
 * '"' or '\\'.  The usual word-at-a-time tests, exact for "any": x - 0x20
 * per byte borrows into its top bit only from a byte below 0x20 (a byte
 * of 0x80 and up has its own top bit, masked by ~x), and a byte equal to
 * '"' or '\\' is a zero byte of x ^ that byte repeated. */
#define ONES APR_UINT64_C(0x0101010101010101)
#define HIGHS APR_UINT64_C(0x8080808080808080)

static APR_INLINE int needs_escape(apr_uint64_t x)
{
    apr_uint64_t q = x ^ (ONES * '"'), b = x ^ (ONES * '\\');

    return (((x - ONES * 0x20) & ~x) | ((q - ONES) & ~q)
            | ((b - ONES) & ~b)) & HIGHS ? 1 : 0;
}

/* json-c's escapes: the C0 controls, '"' and '\\'; '/' is left alone
 * (JSON_C_TO_STRING_NOSLASHESCAPE), and so is everything from 0x20 up.
 * Eight bytes at a time while none needs one, as most text; the last
 * few bytes too, as one word padded with spaces (which need none), so a
 * short string costs a test or two, not one per byte. */
void gql_writer_string(gql_writer_t *w, const char *s, apr_size_t n)
{
    static const char hex[] = "0123456789abcdef";
    apr_size_t i = 0, from = 0;
    char *o;

    room(w, n + 2);
    w->buf[w->len++] = '"';
    while (i < n) {
        unsigned char c;
        char esc[7];
        apr_size_t k = 2;

        if (n - i >= 8) {
            apr_uint64_t x;

            memcpy(&x, s + i, 8);
            if (!needs_escape(x)) {
                i += 8;
                continue;
            }
        }
        else {
            apr_uint64_t x = ONES * ' ';

            memcpy(&x, s + i, n - i);
            if (!needs_escape(x)) {
                break;                  /* the rest needs none */
            }
        }
        c = (unsigned char)s[i++];
        if (c >= 0x20 && c != '"' && c != '\\') {
            continue;
        }
        esc[0] = '\\';
        switch (c) {
        case '\b': esc[1] = 'b'; break;
        case '\n': esc[1] = 'n'; break;
        case '\r': esc[1] = 'r'; break;
        case '\t': esc[1] = 't'; break;
        case '\f': esc[1] = 'f'; break;
        case '"': esc[1] = '"'; break;
        case '\\': esc[1] = '\\'; break;
        default:
            memcpy(esc + 1, "u00", 3);
            esc[4] = hex[c >> 4];
            esc[5] = hex[c & 0xf];
            k = 6;
        }
        gql_writer_put(w, s + from, i - 1 - from);
        gql_writer_put(w, esc, k);
        from = i;
    }
    gql_writer_put(w, s + from, n - from);
    o = room(w, 1);
    *o = '"';
    w->len++;
}

void gql_writer_value(gql_writer_t *w, json_object *v)
{
    char num[24];
    int64_t i;

    switch (json_object_get_type(v)) {
    case json_type_null:
        gql_writer_put(w, "null", 4);
        return;
    case json_type_boolean:
        gql_writer_puts(w, json_object_get_boolean(v) ? "true" : "false");
        return;
    case json_type_string:
        gql_writer_string(w, json_object_get_string(v),
                          (apr_size_t)json_object_get_string_len(v));
        return;
    case json_type_int:
        i = json_object_get_int64(v);
        if (i != INT64_MAX) {           /* a uint64 past it: json-c's own */
            gql_writer_put(w, num, (apr_size_t)apr_snprintf(num, sizeof(num),
                           "%" APR_INT64_T_FMT, (apr_int64_t)i));
            return;
        }
        /* fall through */
    default:
        gql_writer_puts(w, json_object_to_json_string_ext(v, TEXT_FLAGS));
    }
}

apr_size_t gql_writer_len(const gql_writer_t *w)
{
    return w->len;
}

void gql_writer_cut(gql_writer_t *w, apr_size_t len)
{
    if (len < w->len) {
        w->len = len;
    }
}

const char *gql_writer_text(gql_writer_t *w)
{
    *room(w, 0) = '\0';
    return w->buf;
}
