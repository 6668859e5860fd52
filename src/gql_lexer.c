/* Licensed under the Apache License, Version 2.0 (the "License"); you may
 * not use this file except in compliance with the License.  You may obtain
 * a copy of the License at http://www.apache.org/licenses/LICENSE-2.0
 */

/*
 * gql_lexer.c: the lexical grammar of GraphQL (spec section 2.1): source
 * text, ignored tokens, punctuators, names, numbers, strings and block
 * strings, with graphql-js 16's error messages and positions.
 *
 * Every byte of the source passes through here once; the checks that the
 * source is well-formed UTF-8 happen on the way.  Out-of-range reads are
 * impossible by construction: peek() answers -1 past the end, as
 * graphql-js's charCodeAt answers NaN.
 */

#include <stdarg.h>
#include <string.h>
#include <apr_strings.h>
#include "gql_lexer.h"

/* ORDER TOKEN */
const char *const gql_token_kind_names[] = {
    "<SOF>", "<EOF>", "!", "$", "&", "(", ")", "...", ":", "=", "@", "[",
    "]", "{", "|", "}", "Name", "Int", "Float", "String", "BlockString"
};

#define PUNCT_LAST GQL_TOK_BRACE_R

static int peek(const gql_lexer_t *lx, apr_size_t i)
{
    return i < lx->len ? (unsigned char)lx->src[i] : -1;
}

static int is_digit(int c)
{
    return c >= '0' && c <= '9';
}

static int is_name_start(int c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
}

static int is_name_continue(int c)
{
    return is_name_start(c) || is_digit(c);
}

static int is_scalar(apr_uint32_t cp)
{
    return cp <= 0xD7FF || (cp >= 0xE000 && cp <= 0x10FFFF);
}

/* Decode one character at src[i]: its length in bytes (1 to 4) and code
 * point, or 0 when the bytes there are not well-formed UTF-8 (overlong,
 * a surrogate, beyond U+10FFFF, cut short). */
static apr_size_t utf8(const gql_lexer_t *lx, apr_size_t i,
                       apr_uint32_t *cp)
{
    const unsigned char *s = (const unsigned char *)lx->src + i;
    apr_size_t avail = lx->len - i, n, k;
    apr_uint32_t c = s[0], min;

    if (c < 0x80) {
        *cp = c;
        return 1;
    }
    if (c >= 0xC2 && c <= 0xDF) {
        n = 2, c &= 0x1F, min = 0x80;
    }
    else if (c >= 0xE0 && c <= 0xEF) {
        n = 3, c &= 0x0F, min = 0x800;
    }
    else if (c >= 0xF0 && c <= 0xF4) {
        n = 4, c &= 0x07, min = 0x10000;
    }
    else {
        return 0;
    }
    if (avail < n) {
        return 0;
    }
    for (k = 1; k < n; k++) {
        if ((s[k] & 0xC0) != 0x80) {
            return 0;
        }
        c = (c << 6) | (s[k] & 0x3F);
    }
    if (c < min || !is_scalar(c)) {
        return 0;
    }
    *cp = c;
    return n;
}

static char *put_utf8(char *out, apr_uint32_t cp)
{
    if (cp < 0x80) {
        *out++ = (char)cp;
    }
    else if (cp < 0x800) {
        *out++ = (char)(0xC0 | (cp >> 6));
        *out++ = (char)(0x80 | (cp & 0x3F));
    }
    else if (cp < 0x10000) {
        *out++ = (char)(0xE0 | (cp >> 12));
        *out++ = (char)(0x80 | ((cp >> 6) & 0x3F));
        *out++ = (char)(0x80 | (cp & 0x3F));
    }
    else {
        *out++ = (char)(0xF0 | (cp >> 18));
        *out++ = (char)(0x80 | ((cp >> 12) & 0x3F));
        *out++ = (char)(0x80 | ((cp >> 6) & 0x3F));
        *out++ = (char)(0x80 | (cp & 0x3F));
    }
    return out;
}

/* UTF-16 code units in src[from..to): graphql-js columns count these.
 * Lead bytes count, continuation bytes do not, 4-byte characters are a
 * surrogate pair. */
static unsigned int units(const char *src, apr_size_t from, apr_size_t to)
{
    unsigned int u = 0;

    for (; from < to; from++) {
        unsigned char c = (unsigned char)src[from];

        if ((c & 0xC0) != 0x80) {
            u += c >= 0xF0 ? 2 : 1;
        }
    }
    return u;
}

/* Line and column of any offset, for errors only (once per parse): a scan
 * from the start, as graphql-js's getLocation does. */
static void locate(const gql_lexer_t *lx, apr_size_t at, gql_loc_t *loc)
{
    apr_size_t i, ls = 0;
    unsigned int line = 1;

    for (i = 0; i < at && i < lx->len; i++) {
        if (lx->src[i] == '\r' && i + 1 < lx->len && lx->src[i + 1] == '\n') {
            i++;
        }
        if (lx->src[i] == '\n' || lx->src[i] == '\r') {
            line++;
            ls = i + 1;
        }
    }
    loc->line = line;
    loc->column = 1 + units(lx->src, ls, at < lx->len ? at : lx->len)
                  + (unsigned int)(at > lx->len ? at - lx->len : 0);
}

/* Column of a token start on the current line.  Tokens come in order, so
 * the count carries on from the previous token: linear in the line. */
static unsigned int column(gql_lexer_t *lx, apr_size_t at)
{
    if (lx->col_pos < lx->line_start) {
        lx->col_pos = lx->line_start;
        lx->col = 1;
    }
    lx->col += units(lx->src, lx->col_pos, at);
    lx->col_pos = at;
    return lx->col;
}

gql_error_t *gql_lexer_error(gql_lexer_t *lx, apr_size_t at,
                             const char *fmt, ...)
{
    gql_error_t *e = apr_pcalloc(lx->pool, sizeof(*e));
    gql_loc_t loc;
    va_list ap;

    va_start(ap, fmt);
    e->message = apr_pstrcat(lx->pool, "Syntax Error: ",
                             apr_pvsprintf(lx->pool, fmt, ap), NULL);
    va_end(ap);
    locate(lx, at, &loc);
    e->locations = apr_array_make(lx->pool, 1, sizeof(gql_loc_t));
    gql_error_add_loc(lx->pool, e, &loc);
    lx->err = e;
    return e;
}

/* How graphql-js prints the character at i: <EOF>, "c" for printable
 * ASCII ('"' for the quote), else U+ and four hex digits (U+0007). */
static const char *char_at(gql_lexer_t *lx, apr_size_t i)
{
    apr_uint32_t cp;

    if (i >= lx->len) {
        return "<EOF>";
    }
    if (utf8(lx, i, &cp) == 0) {
        cp = 0xFFFD;    /* what a decoder would have made of the byte */
    }
    if (cp == '"') {
        return "'\"'";
    }
    if (cp >= 0x20 && cp <= 0x7E) {
        return apr_psprintf(lx->pool, "\"%c\"", (char)cp);
    }
    return apr_psprintf(lx->pool, "U+%04X", (unsigned int)cp);
}

static int bad_utf8(gql_lexer_t *lx, apr_size_t i)
{
    gql_lexer_error(lx, i, "Invalid UTF-8 byte 0x%02X.",
                    (unsigned int)(unsigned char)lx->src[i]);
    return -1;
}

/* The first n UTF-16 units of the source from i, as graphql-js quotes
 * escape sequences by slicing its string: the text as it is, a NUL too;
 * *len is its bytes.  Where the slice would split a surrogate pair,
 * JavaScript keeps half a character, which becomes U+FFFD once written
 * as UTF-8: so does this. */
static const char *slice(gql_lexer_t *lx, apr_size_t i, unsigned int n,
                         apr_size_t *len)
{
    apr_size_t j = i, k, half = 0;
    apr_uint32_t cp;
    char *s;

    while (n > 0 && j < lx->len && (k = utf8(lx, j, &cp)) != 0) {
        if (k == 4 && n < 2) {
            half = 3;
            break;
        }
        n -= k == 4 ? 2 : 1;
        j += k;
    }
    *len = j - i + half;
    s = apr_palloc(lx->pool, *len + 1);
    memcpy(s, lx->src + i, j - i);
    memcpy(s + (j - i), "\xEF\xBF\xBD", half);
    s[*len] = '\0';
    return s;
}

/* 'Invalid WHAT escape sequence: "SLICE".', the slice of n units from at
 * copied into the message rather than formatted: it may hold a NUL. */
static int bad_escape(gql_lexer_t *lx, apr_size_t at, const char *what,
                      unsigned int n)
{
    gql_error_t *e = gql_lexer_error(lx, at, "Invalid %s escape sequence: "
                                     "\"", what);
    apr_size_t head = strlen(e->message), len;
    const char *quoted = slice(lx, at, n, &len);
    char *m = apr_palloc(lx->pool, head + len + 3);

    memcpy(m, e->message, head);
    memcpy(m + head, quoted, len);
    memcpy(m + head + len, "\".", 3);
    e->message = m;
    e->message_len = head + len + 2;
    return -1;
}

static void make(gql_lexer_t *lx, gql_token_t *tok, gql_token_kind_e kind,
                 apr_size_t start, apr_size_t end)
{
    tok->kind = kind;
    tok->loc.line = lx->line;
    tok->loc.column = column(lx, start);
    tok->offset = start;
    tok->len = end - start;
    tok->value = kind >= GQL_TOK_NAME ? lx->src + start : NULL;
    tok->value_len = kind >= GQL_TOK_NAME ? end - start : 0;
    lx->pos = end;
}

/* Comment -> # CommentChar*   (up to, not including, a line end) */
static int skip_comment(gql_lexer_t *lx)
{
    apr_size_t i = lx->pos + 1, k;
    apr_uint32_t cp;

    while (i < lx->len && lx->src[i] != '\n' && lx->src[i] != '\r') {
        if ((unsigned char)lx->src[i] < 0x80) {
            i++;
        }
        else if ((k = utf8(lx, i, &cp)) != 0) {
            i += k;
        }
        else {
            return bad_utf8(lx, i);
        }
    }
    lx->pos = i;
    return 0;
}

/* Digit+ at i, or the error graphql-js gives; returns the end, or 0. */
static apr_size_t digits(gql_lexer_t *lx, apr_size_t i)
{
    if (!is_digit(peek(lx, i))) {
        gql_lexer_error(lx, i, "Invalid number, expected digit but got: %s.",
                        char_at(lx, i));
        return 0;
    }
    while (is_digit(peek(lx, i))) {
        i++;
    }
    return i;
}

/* IntValue   -> IntegerPart
 * FloatValue -> IntegerPart FractionalPart? ExponentPart?
 * IntegerPart -> -? 0 | -? NonZeroDigit Digit*
 * and no NameStart or '.' may follow (spec 2.1.9 lookahead). */
static int read_number(gql_lexer_t *lx, gql_token_t *tok)
{
    apr_size_t start = lx->pos, i = start;
    int is_float = 0;

    if (peek(lx, i) == '-') {
        i++;
    }
    if (peek(lx, i) == '0') {
        if (is_digit(peek(lx, ++i))) {
            gql_lexer_error(lx, i, "Invalid number, unexpected digit after "
                            "0: %s.", char_at(lx, i));
            return -1;
        }
    }
    else if ((i = digits(lx, i)) == 0) {
        return -1;
    }
    if (peek(lx, i) == '.') {
        is_float = 1;
        if ((i = digits(lx, i + 1)) == 0) {
            return -1;
        }
    }
    if (peek(lx, i) == 'e' || peek(lx, i) == 'E') {
        is_float = 1;
        if (peek(lx, ++i) == '+' || peek(lx, i) == '-') {
            i++;
        }
        if ((i = digits(lx, i)) == 0) {
            return -1;
        }
    }
    if (peek(lx, i) == '.' || is_name_start(peek(lx, i))) {
        gql_lexer_error(lx, i, "Invalid number, expected digit but got: %s.",
                        char_at(lx, i));
        return -1;
    }
    make(lx, tok, is_float ? GQL_TOK_FLOAT : GQL_TOK_INT, start, i);
    return 0;
}

static int hex(const gql_lexer_t *lx, apr_size_t i)
{
    int c = peek(lx, i);

    if (c >= '0' && c <= '9') {
        return c - '0';
    }
    if (c >= 'a' && c <= 'f') {
        return c - 'a' + 10;
    }
    if (c >= 'A' && c <= 'F') {
        return c - 'A' + 10;
    }
    return -1;
}

/* Four hex digits at i, or -1. */
static long hex4(const gql_lexer_t *lx, apr_size_t i)
{
    long v = 0;
    int k, h;

    for (k = 0; k < 4; k++) {
        if ((h = hex(lx, i + k)) < 0) {
            return -1;
        }
        v = (v << 4) | h;
    }
    return v;
}

/* EscapedUnicode -> { HexDigit+ }   (at most U+10FFFF, no surrogate)
 * Reads as graphql-js does: up to 12 units from the backslash, the code
 * point kept in 32 bits, so that the message quotes the same text. */
static int escape_braced(gql_lexer_t *lx, apr_size_t at, char **out)
{
    apr_uint32_t point = 0;
    unsigned int size = 3;
    int h;

    while (size < 12) {
        apr_size_t i = at + size++;

        if (peek(lx, i) == '}') {
            if (size < 5 || !is_scalar(point)) {
                break;
            }
            *out = put_utf8(*out, point);
            return (int)size;
        }
        if ((h = hex(lx, i)) < 0) {
            break;
        }
        point = (point << 4) | (apr_uint32_t)h;
        if (point & 0x80000000u) {
            break;
        }
    }
    return bad_escape(lx, at, "Unicode", size);
}

/* EscapedUnicode -> HexDigit HexDigit HexDigit HexDigit, where a leading
 * surrogate must be followed by \u and a trailing one. */
static int escape_fixed(gql_lexer_t *lx, apr_size_t at, char **out)
{
    long code = hex4(lx, at + 2), lo;

    if (code >= 0 && is_scalar((apr_uint32_t)code)) {
        *out = put_utf8(*out, (apr_uint32_t)code);
        return 6;
    }
    if (code >= 0xD800 && code <= 0xDBFF && peek(lx, at + 6) == '\\'
        && peek(lx, at + 7) == 'u') {
        lo = hex4(lx, at + 8);
        if (lo >= 0xDC00 && lo <= 0xDFFF) {
            *out = put_utf8(*out, 0x10000 + (((apr_uint32_t)code - 0xD800)
                                             << 10)
                                  + ((apr_uint32_t)lo - 0xDC00));
            return 12;
        }
    }
    return bad_escape(lx, at, "Unicode", 6);
}

/* EscapedCharacter -> one of " \ / b f n r t   or \u...
 * Writes the character at *out; returns the bytes consumed, or -1. */
static int escape(gql_lexer_t *lx, apr_size_t at, char **out)
{
    static const char from[] = "\"\\/bfnrt", to[] = "\"\\/\b\f\n\r\t";
    int c = peek(lx, at + 1);
    const char *hit;

    if (c == 'u') {
        return peek(lx, at + 2) == '{' ? escape_braced(lx, at, out)
                                       : escape_fixed(lx, at, out);
    }
    if (c > 0 && (hit = strchr(from, c)) != NULL) {
        *(*out)++ = to[hit - from];
        return 2;
    }
    return bad_escape(lx, at, "character", 2);
}

/* StringValue -> " StringCharacter* "
 * A first pass finds where the string ends, so that its value is
 * allocated once: decoding never makes text longer than its source. The
 * second pass decodes and reports the first error in source order. */
static int read_string(gql_lexer_t *lx, gql_token_t *tok)
{
    const char *s = lx->src;
    apr_size_t start = lx->pos, i = start + 1, end = i, k;
    apr_uint32_t cp;
    char *buf, *out;
    int n;

    while (end < lx->len && s[end] != '"' && s[end] != '\n'
           && s[end] != '\r') {
        end += s[end] == '\\' ? 2 : 1;
    }
    out = buf = apr_palloc(lx->pool, end - i + 1);
    while (i < lx->len) {
        unsigned char c = (unsigned char)s[i];

        if (c == '"') {
            *out = '\0';
            make(lx, tok, GQL_TOK_STRING, start, i + 1);
            tok->value = buf;
            tok->value_len = (apr_size_t)(out - buf);
            return 0;
        }
        if (c == '\\') {
            if ((n = escape(lx, i, &out)) < 0) {
                return -1;
            }
            i += (apr_size_t)n;
            continue;
        }
        if (c == '\n' || c == '\r') {
            break;
        }
        if ((k = utf8(lx, i, &cp)) == 0) {
            return bad_utf8(lx, i);
        }
        memcpy(out, s + i, k);
        out += k;
        i += k;
    }
    gql_lexer_error(lx, i, "Unterminated string.");
    return -1;
}

static int triple_quote(const gql_lexer_t *lx, apr_size_t i)
{
    return peek(lx, i) == '"' && peek(lx, i + 1) == '"'
           && peek(lx, i + 2) == '"';
}

/* BlockStringValue(raw) of the spec, in place: raw holds the lines joined
 * by \n (line ends already normalised, \""" already unescaped).  Removes
 * the common indentation of every line but the first, and the blank lines
 * at the start and end.  Output never overtakes input, so one buffer
 * does. */
static apr_size_t dedent(char *raw, apr_size_t len)
{
    apr_size_t i, ls, indent, common = (apr_size_t)-1, first = 0, last = 0;
    apr_size_t line = 0, out = 0, first_line = (apr_size_t)-1;

    for (ls = 0; ls <= len; ls = i + 1, line++) {
        for (indent = 0; ls + indent < len && (raw[ls + indent] == ' '
                                               || raw[ls + indent] == '\t');
             indent++) {
        }
        for (i = ls + indent; i < len && raw[i] != '\n'; i++) {
        }
        if (ls + indent == i) {
            continue;               /* blank line */
        }
        if (first_line == (apr_size_t)-1) {
            first_line = line;
            first = ls;
        }
        last = i;
        if (line != 0 && indent < common) {
            common = indent;
        }
    }
    if (first_line == (apr_size_t)-1) {
        return 0;
    }
    for (ls = first, line = first_line; ls <= last; ls = i + 1, line++) {
        for (i = ls; i < last && raw[i] != '\n'; i++) {
        }
        if (line != first_line) {
            raw[out++] = '\n';
        }
        if (line != 0) {
            ls = i - ls < common ? i : ls + common;
        }
        memmove(raw + out, raw + ls, i - ls);
        out += i - ls;
    }
    return out;
}

/* BlockString -> """ BlockStringCharacter* """ */
static int read_block(gql_lexer_t *lx, gql_token_t *tok)
{
    const char *s = lx->src;
    apr_size_t start = lx->pos, i = start + 3, end = i, k, len;
    apr_size_t line_start = lx->line_start;
    unsigned int lines = 0;
    apr_uint32_t cp;
    char *buf, *out;

    while (end < lx->len && !triple_quote(lx, end)) {
        end += (s[end] == '\\' && triple_quote(lx, end + 1)) ? 4 : 1;
    }
    out = buf = apr_palloc(lx->pool, (end < lx->len ? end : lx->len) - i + 1);
    while (i < lx->len) {
        unsigned char c = (unsigned char)s[i];

        if (c == '"' && triple_quote(lx, i)) {
            len = dedent(buf, (apr_size_t)(out - buf));
            buf[len] = '\0';
            make(lx, tok, GQL_TOK_BLOCK_STRING, start, i + 3);
            tok->value = buf;
            tok->value_len = len;
            lx->line += lines;
            lx->line_start = line_start;
            return 0;
        }
        if (c == '\\' && triple_quote(lx, i + 1)) {
            memcpy(out, "\"\"\"", 3);
            out += 3;
            i += 4;
        }
        else if (c == '\n' || c == '\r') {
            *out++ = '\n';
            i += (c == '\r' && peek(lx, i + 1) == '\n') ? 2 : 1;
            lines++;
            line_start = i;
        }
        else if ((k = utf8(lx, i, &cp)) != 0) {
            memcpy(out, s + i, k);
            out += k;
            i += k;
        }
        else {
            return bad_utf8(lx, i);
        }
    }
    gql_lexer_error(lx, i, "Unterminated string.");
    return -1;
}

static int read_name(gql_lexer_t *lx, gql_token_t *tok)
{
    apr_size_t i = lx->pos + 1;

    while (is_name_continue(peek(lx, i))) {
        i++;
    }
    make(lx, tok, GQL_TOK_NAME, lx->pos, i);
    return 0;
}

/* Anything that starts no token: graphql-js's three messages, and ours
 * for bytes that are not UTF-8. */
static int unexpected(gql_lexer_t *lx)
{
    apr_size_t i = lx->pos;
    apr_uint32_t cp;

    if (lx->src[i] == '\'') {
        gql_lexer_error(lx, i, "Unexpected single quote character ('), did "
                        "you mean to use a double quote (\")?");
        return -1;
    }
    if (utf8(lx, i, &cp) == 0) {
        return bad_utf8(lx, i);
    }
    gql_lexer_error(lx, i, "Unexpected character: %s.", char_at(lx, i));
    return -1;
}

static void newline(gql_lexer_t *lx, apr_size_t next)
{
    lx->pos = next;
    lx->line++;
    lx->line_start = next;
}

void gql_lexer_init(gql_lexer_t *lx, apr_pool_t *p, const char *src,
                    apr_size_t len)
{
    memset(lx, 0, sizeof(*lx));
    lx->pool = p;
    lx->src = src;
    lx->len = len;
    lx->line = 1;
    lx->col = 1;
}

static gql_token_kind_e punctuator(int c)
{
    switch (c) {
    case '!': return GQL_TOK_BANG;
    case '$': return GQL_TOK_DOLLAR;
    case '&': return GQL_TOK_AMP;
    case '(': return GQL_TOK_PAREN_L;
    case ')': return GQL_TOK_PAREN_R;
    case ':': return GQL_TOK_COLON;
    case '=': return GQL_TOK_EQUALS;
    case '@': return GQL_TOK_AT;
    case '[': return GQL_TOK_BRACKET_L;
    case ']': return GQL_TOK_BRACKET_R;
    case '{': return GQL_TOK_BRACE_L;
    case '|': return GQL_TOK_PIPE;
    case '}': return GQL_TOK_BRACE_R;
    default:  return GQL_TOK_SOF;
    }
}

int gql_lexer_next(gql_lexer_t *lx, gql_token_t *tok)
{
    gql_token_kind_e kind;
    int c;

    for (;;) {
        if (lx->pos >= lx->len) {
            make(lx, tok, GQL_TOK_EOF, lx->len, lx->len);
            return 0;
        }
        c = (unsigned char)lx->src[lx->pos];
        if (c == ' ' || c == '\t' || c == ',') {
            lx->pos++;
        }
        else if (c == '\n') {
            newline(lx, lx->pos + 1);
        }
        else if (c == '\r') {
            newline(lx, lx->pos + (peek(lx, lx->pos + 1) == '\n' ? 2 : 1));
        }
        else if (c == 0xEF && peek(lx, lx->pos + 1) == 0xBB
                 && peek(lx, lx->pos + 2) == 0xBF) {
            lx->pos += 3;           /* U+FEFF is ignored, like white space */
        }
        else if (c == '#') {
            if (skip_comment(lx) < 0) {
                return -1;
            }
        }
        else {
            break;
        }
    }
    if ((kind = punctuator(c)) != GQL_TOK_SOF) {
        make(lx, tok, kind, lx->pos, lx->pos + 1);
        return 0;
    }
    if (c == '.' && peek(lx, lx->pos + 1) == '.'
        && peek(lx, lx->pos + 2) == '.') {
        make(lx, tok, GQL_TOK_SPREAD, lx->pos, lx->pos + 3);
        return 0;
    }
    if (c == '"') {
        return triple_quote(lx, lx->pos) ? read_block(lx, tok)
                                         : read_string(lx, tok);
    }
    if (is_digit(c) || c == '-') {
        return read_number(lx, tok);
    }
    if (is_name_start(c)) {
        return read_name(lx, tok);
    }
    return unexpected(lx);
}

const char *gql_token_describe(apr_pool_t *p, const gql_lexer_t *lx,
                               const gql_token_t *tok)
{
    const char *kind = gql_token_kind_names[tok->kind];
    apr_size_t klen = strlen(kind), n;
    char *buf, *o;

    (void)lx;
    if (tok->kind <= PUNCT_LAST) {
        return tok->kind <= GQL_TOK_EOF ? kind
                                        : apr_pstrcat(p, "\"", kind, "\"",
                                                      NULL);
    }
    /* memcpy, not %s: a decoded string may hold NULs; a long value is
     * quoted within GQL_ERROR_QUOTE characters */
    n = gql_error_cut(tok->value, tok->value_len, GQL_ERROR_QUOTE);
    o = buf = apr_palloc(p, klen + n + 7);
    memcpy(o, kind, klen);
    o += klen;
    memcpy(o, " \"", 2);
    o += 2;
    memcpy(o, tok->value, n);
    o += n;
    if (n < tok->value_len) {
        memcpy(o, "...", 3);
        o += 3;
    }
    memcpy(o, "\"", 2);
    return buf;
}
