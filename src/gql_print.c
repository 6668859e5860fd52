/* Licensed under the Apache License, Version 2.0 (the "License"); you may
 * not use this file except in compliance with the License.  You may obtain
 * a copy of the License at http://www.apache.org/licenses/LICENSE-2.0
 */

/*
 * gql_print.c: how graphql-js 16 writes values, types, numbers and
 * suggestions in its messages, once for every stage.  Clients compare
 * messages, so each piece follows the graphql-js function it is named
 * after.
 */

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <apr_lib.h>
#include <apr_strings.h>
#include "gql_print.h"
#include "gql_error.h"         /* gql_error_cut */
#include "gql_parser.h"         /* GQL_MAX_DEPTH */
#include "gql_schema.h"         /* the layout of gql_tref_t */

#define MAX_SUGGESTIONS 5       /* didYouMean's MAX_SUGGESTIONS */
#define INSPECT_ITEMS 10        /* inspect()'s MAX_ARRAY_LENGTH */
#define INSPECT_DEPTH 2         /* inspect()'s MAX_RECURSIVE_DEPTH */

/* ---- Types and literals, as print() writes them ---- */

const char *gql_print_type(apr_pool_t *p, const gql_tref_t *t)
{
    if (t == NULL) {
        return "";
    }
    switch (t->kind) {
    case GQL_TYPE_LIST:
        return apr_pstrcat(p, "[", gql_print_type(p, t->of_type), "]", NULL);
    case GQL_TYPE_NON_NULL:
        return apr_pstrcat(p, gql_print_type(p, t->of_type), "!", NULL);
    default:
        return t->named ? t->named->name : "";
    }
}

const char *gql_print_ast_type(apr_pool_t *p, const gql_type_ref_t *t)
{
    /* the parser bounds the nesting of type references */
    switch (t->kind) {
    case GQL_TYPE_LIST:
        return apr_pstrcat(p, "[", gql_print_ast_type(p, t->of_type), "]",
                           NULL);
    case GQL_TYPE_NON_NULL:
        return apr_pstrcat(p, gql_print_ast_type(p, t->of_type), "!", NULL);
    default:
        return t->name.value;
    }
}

/* The control characters are U+0000..U+001F and U+007F..U+009F; the last
 * thirty-two are two bytes in UTF-8, C2 80..C2 9F. */
const char *gql_print_string(apr_pool_t *p, const char *s, apr_size_t len)
{
    static const char hex[] = "0123456789ABCDEF";
    char *out = apr_palloc(p, len * 6 + 3), *o = out;
    apr_size_t i;

    *o++ = '"';
    for (i = 0; i < len; i++) {
        unsigned int c = (unsigned char)s[i];

        if (c == 0xC2 && i + 1 < len && (unsigned char)s[i + 1] >= 0x80
            && (unsigned char)s[i + 1] <= 0x9F) {
            c = (unsigned char)s[++i];
        }
        else if (c >= 0x20 && c != '"' && c != '\\' && c != 0x7F) {
            *o++ = (char)c;
            continue;
        }
        *o++ = '\\';
        switch (c) {
        case '\b': *o++ = 'b'; break;
        case '\t': *o++ = 't'; break;
        case '\n': *o++ = 'n'; break;
        case '\f': *o++ = 'f'; break;
        case '\r': *o++ = 'r'; break;
        case '"': *o++ = '"'; break;
        case '\\': *o++ = '\\'; break;
        default:
            *o++ = 'u';
            *o++ = '0';
            *o++ = '0';
            *o++ = hex[c >> 4];
            *o++ = hex[c & 15];
        }
    }
    *o++ = '"';
    *o = '\0';
    return out;
}

/* ---- Bounded quotes of what the client sent ---- */

/* s[0..len) cut to room characters, with "..." after a cut. */
static const char *cut(apr_pool_t *p, const char *s, apr_size_t len,
                       apr_size_t room)
{
    apr_size_t n = gql_error_cut(s, len, room);

    return n < len ? apr_pstrcat(p, apr_pstrmemdup(p, s, n), "...", NULL)
                   : s;
}

const char *gql_print_name(apr_pool_t *p, const char *name)
{
    return cut(p, name, strlen(name), GQL_ERROR_QUOTE);
}

/* A string literal as gql_print_string quotes it, its text cut to room
 * characters: "abc..." */
static const char *quoted(apr_pool_t *p, const char *s, apr_size_t len,
                          apr_size_t room)
{
    apr_size_t n = gql_error_cut(s, len, room);
    const char *q = gql_print_string(p, s, n);

    if (n == len) {
        return q;
    }
    return apr_pstrcat(p, apr_pstrmemdup(p, q, strlen(q) - 1), "...\"",
                       NULL);
}

/* Room left after used bytes of a quote of room; 0 ends a list with
 * "...". */
static apr_size_t left(apr_size_t room, const char *used)
{
    apr_size_t n = strlen(used);

    return n < room ? room - n : 0;
}

/* print() within room characters (about: the brackets and separators of
 * a list or an object are counted once they are written): a list or an
 * object stops at the member that finds no room, with "...". */
static const char *print_value(apr_pool_t *p, const gql_value_t *v,
                               int depth, apr_size_t room)
{
    const char *out;
    int i;

    if (depth > GQL_MAX_DEPTH) {
        return "...";
    }
    switch (v->kind) {
    case GQL_VALUE_VARIABLE:
        return apr_pstrcat(p, "$", cut(p, v->text, strlen(v->text), room),
                           NULL);
    case GQL_VALUE_STRING:
        if (v->block) {
            return apr_pstrcat(p, "\"\"\"", cut(p, v->text, v->len, room),
                               "\"\"\"", NULL);
        }
        return quoted(p, v->text, v->len, room);
    case GQL_VALUE_LIST:
        out = "[";
        for (i = 0; i < v->items->nelts; i++) {
            if (left(room, out) == 0) {
                out = apr_pstrcat(p, out, ", ...", NULL);
                break;
            }
            out = apr_pstrcat(p, out, i ? ", " : "",
                              print_value(p, GQL_AST_ITEM(v->items, i,
                                                          gql_value_t),
                                          depth + 1, left(room, out)), NULL);
        }
        return apr_pstrcat(p, out, "]", NULL);
    case GQL_VALUE_OBJECT:
        out = "{";
        for (i = 0; i < v->fields->nelts; i++) {
            const gql_object_field_t *f = GQL_AST_ITEM(v->fields, i,
                                                       gql_object_field_t);

            if (left(room, out) == 0) {
                out = apr_pstrcat(p, out, ", ...", NULL);
                break;
            }
            out = apr_pstrcat(p, out, i ? ", " : "",
                              cut(p, f->name.value, strlen(f->name.value),
                                  left(room, out)), ": ", NULL);
            out = apr_pstrcat(p, out, print_value(p, f->value, depth + 1,
                                                  left(room, out)), NULL);
        }
        return apr_pstrcat(p, out, "}", NULL);
    default:
        return cut(p, v->text, strlen(v->text), room);
    }
}

const char *gql_print_value(apr_pool_t *p, const gql_value_t *v)
{
    return print_value(p, v, 0, GQL_ERROR_QUOTE);
}

/* ---- Numbers, as JavaScript writes them ---- */

static const char *zeros(apr_pool_t *p, int n)
{
    char *z = apr_palloc(p, n + 1);

    memset(z, '0', n);
    z[n] = '\0';
    return z;
}

/* The shortest digits that read back as d, placed as ECMA-262's
 * Number::toString places them. */
const char *gql_print_int(apr_pool_t *p, apr_int64_t n)
{
    char buf[24], *s = buf + sizeof(buf);
    apr_uint64_t u = n < 0 ? 0 - (apr_uint64_t)n : (apr_uint64_t)n;

    do {
        *--s = (char)('0' + u % 10);
        u /= 10;
    } while (u != 0);
    if (n < 0) {
        *--s = '-';
    }
    return apr_pstrmemdup(p, s, (apr_size_t)(buf + sizeof(buf) - s));
}

const char *gql_print_number(apr_pool_t *p, double d)
{
    char buf[40], digits[20];
    int prec, n, k, i, e;
    const char *sign = d < 0 ? "-" : "";

    if (isnan(d)) {
        return "NaN";
    }
    if (isinf(d)) {
        return d < 0 ? "-Infinity" : "Infinity";
    }
    if (d == 0) {
        return "0";
    }
    for (prec = 1; prec <= 17; prec++) {
        snprintf(buf, sizeof(buf), "%.*e", prec - 1, fabs(d));
        if (strtod(buf, NULL) == fabs(d)) {
            break;
        }
    }
    for (i = 0, k = 0; buf[i] != 'e'; i++) {
        if (apr_isdigit(buf[i])) {
            digits[k++] = buf[i];
        }
    }
    while (k > 1 && digits[k - 1] == '0') {
        k--;
    }
    digits[k] = '\0';
    e = atoi(buf + i + 1);
    n = e + 1;
    if (k <= n && n <= 21) {
        return apr_pstrcat(p, sign, digits, zeros(p, n - k), NULL);
    }
    if (0 < n && n <= 21) {
        return apr_psprintf(p, "%s%.*s.%s", sign, n, digits, digits + n);
    }
    if (-6 < n && n <= 0) {
        return apr_pstrcat(p, sign, "0.", zeros(p, -n), digits, NULL);
    }
    return apr_psprintf(p, "%s%c%s%se%c%d", sign, digits[0],
                        k > 1 ? "." : "", digits + 1, e < 0 ? '-' : '+',
                        e < 0 ? -e : e);
}

/* ---- inspect() ---- */

/* JSON.stringify() of a string, its text cut to room characters:
 * "abc..." */
static const char *stringify(apr_pool_t *p, const char *s, size_t len,
                             apr_size_t room)
{
    size_t n = gql_error_cut(s, len, room);
    char *out = apr_palloc(p, n * 6 + 6), *o = out;
    size_t i;

    *o++ = '"';
    for (i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];

        if (c == '"' || c == '\\') {
            *o++ = '\\';
            *o++ = (char)c;
        }
        else if (c < 0x20) {
            const char *esc = c == '\b' ? "\\b" : c == '\f' ? "\\f"
                              : c == '\n' ? "\\n" : c == '\r' ? "\\r"
                              : c == '\t' ? "\\t" : NULL;

            if (esc != NULL) {
                memcpy(o, esc, 2);
                o += 2;
            }
            else {
                o += sprintf(o, "\\u%04x", c);
            }
        }
        else {
            *o++ = (char)c;
        }
    }
    if (n < len) {
        memcpy(o, "...", 3);
        o += 3;
    }
    *o++ = '"';
    *o = '\0';
    return out;
}

/* seen counts the lists and objects around v and v itself, as inspect()'s
 * seenValues does; the limits bound the recursion.  room as for
 * print_value. */
static const char *inspect_at(apr_pool_t *p, json_object *v, int seen,
                              apr_size_t room);

static const char *inspect_array(apr_pool_t *p, json_object *v, int seen,
                                 apr_size_t room)
{
    size_t n = json_object_array_length(v), i;
    const char *out = "[";

    if (n == 0) {
        return "[]";
    }
    if (seen > INSPECT_DEPTH) {
        return "[Array]";
    }
    for (i = 0; i < n && i < INSPECT_ITEMS; i++) {
        if (left(room, out) == 0) {
            break;
        }
        out = apr_pstrcat(p, out, i ? ", " : "",
                          inspect_at(p, json_object_array_get_idx(v, i),
                                     seen, left(room, out)), NULL);
    }
    if (i < n && i < INSPECT_ITEMS) {
        out = apr_pstrcat(p, out, ", ...", NULL);
    }
    else if (n == INSPECT_ITEMS + 1) {
        out = apr_pstrcat(p, out, ", ... 1 more item", NULL);
    }
    else if (n > INSPECT_ITEMS) {
        out = apr_psprintf(p, "%s, ... %d more items", out,
                           (int)(n - INSPECT_ITEMS));
    }
    return apr_pstrcat(p, out, "]", NULL);
}

static const char *inspect_object(apr_pool_t *p, json_object *v, int seen,
                                  apr_size_t room)
{
    const char *out = NULL;
    struct lh_entry *e;

    if (json_object_object_length(v) == 0) {
        return "{}";
    }
    if (seen > INSPECT_DEPTH) {
        return "[Object]";
    }
    for (e = json_object_get_object(v)->head; e != NULL; e = e->next) {
        const char *k = lh_entry_k(e);

        if (out != NULL && left(room, out) == 0) {
            out = apr_pstrcat(p, out, ", ...", NULL);
            break;
        }
        out = apr_pstrcat(p, out ? out : "{ ", out ? ", " : "",
                          cut(p, k, strlen(k), room), ": ", NULL);
        out = apr_pstrcat(p, out, inspect_at(p, (json_object *)lh_entry_v(e),
                                             seen, left(room, out)), NULL);
    }
    return apr_pstrcat(p, out, " }", NULL);
}

static const char *inspect_at(apr_pool_t *p, json_object *v, int seen,
                              apr_size_t room)
{
    switch (json_object_get_type(v)) {
    case json_type_null:
        return "null";
    case json_type_boolean:
        return json_object_get_boolean(v) ? "true" : "false";
    case json_type_int:
        return gql_print_int(p, json_object_get_int64(v));
    case json_type_double:
        return gql_print_number(p, json_object_get_double(v));
    case json_type_string:
        return stringify(p, json_object_get_string(v),
                         json_object_get_string_len(v), room);
    case json_type_array:
        return inspect_array(p, v, seen + 1, room);
    default:
        return inspect_object(p, v, seen + 1, room);
    }
}

const char *gql_print_inspect(apr_pool_t *p, json_object *v)
{
    return inspect_at(p, v, 0, GQL_ERROR_QUOTE);
}

/* ---- Suggestions ("Did you mean ...?") ---- */

/* Optimal string alignment distance, case-insensitive, where a change of
 * case alone counts as one edit; -1 when over threshold.  rows are three
 * rows of at least the shorter string's length + 1 cells: it indexes
 * them. */
static int lexdist(int **rows, const char *input, int ilen,
                   const char *option, int olen, int threshold)
{
    const char *a = option, *b = input;
    int alen = olen, blen = ilen, i, j, d;

    if (alen < blen) {
        a = input;
        b = option;
        alen = ilen;
        blen = olen;
    }
    if (alen - blen > threshold) {
        return -1;
    }
    if (strcmp(input, option) == 0) {
        return 0;
    }
    if (strcasecmp(input, option) == 0) {
        return 1;
    }
    for (j = 0; j <= blen; j++) {
        rows[0][j] = j;
    }
    for (i = 1; i <= alen; i++) {
        int *up = rows[(i - 1) % 3], *cur = rows[i % 3];
        int smallest = cur[0] = i;

        for (j = 1; j <= blen; j++) {
            int ca = apr_tolower(a[i - 1]), cb = apr_tolower(b[j - 1]);
            int cell = up[j] + 1;

            if (cur[j - 1] + 1 < cell) {
                cell = cur[j - 1] + 1;
            }
            if (up[j - 1] + (ca != cb) < cell) {
                cell = up[j - 1] + (ca != cb);
            }
            if (i > 1 && j > 1 && ca == apr_tolower(b[j - 2])
                && apr_tolower(a[i - 2]) == cb
                && rows[(i - 2) % 3][j - 2] + 1 < cell) {
                cell = rows[(i - 2) % 3][j - 2] + 1;
            }
            if (cell < smallest) {
                smallest = cell;
            }
            cur[j] = cell;
        }
        if (smallest > threshold) {
            return -1;
        }
    }
    d = rows[alen % 3][blen];
    return d <= threshold ? d : -1;
}

/* naturalCompare's numbers are JavaScript's: doubles, which a long run
 * of digits cannot overflow. */
int gql_print_natcmp(const char *a, const char *b)
{
    while (*a && *b) {
        if (apr_isdigit(*a) && apr_isdigit(*b)) {
            double an = 0, bn = 0;

            do {
                an = an * 10 + (*a++ - '0');
            } while (apr_isdigit(*a) && an > 0);
            do {
                bn = bn * 10 + (*b++ - '0');
            } while (apr_isdigit(*b) && bn > 0);
            if (an != bn) {
                return an < bn ? -1 : 1;
            }
        }
        else {
            if (*a != *b) {
                return (unsigned char)*a < (unsigned char)*b ? -1 : 1;
            }
            a++;
            b++;
        }
    }
    return (int)strlen(a) - (int)strlen(b);
}

typedef struct sugg_t {
    const char *name;
    int dist;
} sugg_t;

static int suggcmp(const void *x, const void *y)
{
    const sugg_t *a = x, *b = y;

    if (a->dist != b->dist) {
        return a->dist - b->dist;
    }
    return gql_print_natcmp(a->name, b->name);
}

/* Scratch in a subpool: a broken schema may ask this for every one of
 * thousands of names.  An option whose length differs from the input's by
 * more than the threshold is not near, so it is passed over before any
 * work proportional to the input (a client's name may be a megabyte
 * long); the rows are as long as the longest option that is left. */
apr_array_header_t *gql_print_suggestion_list(apr_pool_t *p,
                                              const char *input,
                                              const apr_array_header_t *opts)
{
    apr_pool_t *sp;
    apr_array_header_t *found, *names;
    apr_size_t n = strlen(input);
    int threshold = (int)(n * 4 / 10) + 1, longest = -1;
    int *rows[3], *lens;
    sugg_t *s;
    int i;

    apr_pool_create(&sp, p);
    found = apr_array_make(sp, 4, sizeof(sugg_t));
    lens = apr_palloc(sp, sizeof(int) * (opts->nelts + 1));
    for (i = 0; i < opts->nelts; i++) {
        apr_size_t m = strlen(APR_ARRAY_IDX(opts, i, const char *));

        lens[i] = -1;
        if ((m > n ? m - n : n - m) <= (apr_size_t)threshold) {
            lens[i] = (int)m;
            longest = lens[i] > longest ? lens[i] : longest;
        }
    }
    for (i = 0; i < 3; i++) {
        rows[i] = apr_palloc(sp, sizeof(int) * (longest + 2));
    }
    for (i = 0; i < opts->nelts; i++) {
        const char *o = APR_ARRAY_IDX(opts, i, const char *);
        int d = lens[i] < 0 ? -1 : lexdist(rows, input, (int)n, o, lens[i],
                                           threshold);

        if (d >= 0) {
            s = apr_array_push(found);
            s->name = o;
            s->dist = d;
        }
    }
    s = (sugg_t *)found->elts;
    qsort(s, found->nelts, sizeof(sugg_t), suggcmp);
    names = apr_array_make(p, found->nelts + 1, sizeof(const char *));
    for (i = 0; i < found->nelts; i++) {
        APR_ARRAY_PUSH(names, const char *) = s[i].name;
    }
    apr_pool_destroy(sp);
    return names;
}

const char *gql_print_did_you_mean(apr_pool_t *p, const char *sub,
                                   const apr_array_header_t *names)
{
    const char *msg = "";
    int i, n = names->nelts;

    if (n > MAX_SUGGESTIONS) {
        n = MAX_SUGGESTIONS;
    }
    for (i = 0; i < n; i++) {
        /* "A" / "A" or "B" / "A", "B", or "C" */
        msg = apr_pstrcat(p, msg, i == 0 ? "" : n == 2 ? " or "
                          : i == n - 1 ? ", or " : ", ", "\"",
                          APR_ARRAY_IDX(names, i, const char *), "\"", NULL);
    }
    if (n == 0) {
        return "";
    }
    return apr_pstrcat(p, " Did you mean ", sub ? sub : "", sub ? " " : "",
                       msg, "?", NULL);
}

/* The list and the sentence's pieces are scratch; only the sentence is
 * copied into p. */
const char *gql_print_suggest(apr_pool_t *p, const char *sub,
                              const char *input,
                              const apr_array_header_t *options)
{
    apr_pool_t *sp;
    const char *msg;

    apr_pool_create(&sp, p);
    msg = apr_pstrdup(p, gql_print_did_you_mean(sp, sub,
                      gql_print_suggestion_list(sp, input, options)));
    apr_pool_destroy(sp);
    return msg;
}
