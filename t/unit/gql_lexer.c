/* Licensed under the Apache License, Version 2.0 (the "License"); you may
 * not use this file except in compliance with the License.  You may obtain
 * a copy of the License at http://www.apache.org/licenses/LICENSE-2.0
 */

/*
 * t/unit/gql_lexer.c: the lexer on its own, token by token: kinds, values,
 * lines and columns (LF, CRLF and CR; UTF-16 columns), block strings and
 * their indentation, escapes up to surrogate pairs, and the errors with
 * their positions.  The parser cases (t/cases/parser) see the lexer only
 * through the parser's first error; these see every token.
 *
 * Each case is an input and what graphql-js 16.13.2's Lexer makes of it,
 * written as "Kind[=value]@LINE:COL ..." up to <EOF>, or up to the first
 * error, "! LINE:COL: message".  Values show \n, \t, \0, \\ and other
 * control bytes escaped.  The invalid UTF-8 cases are this lexer's own
 * (graphql-js reads decoded text).  Inputs are copied into a heap block
 * of exactly their length, so that AddressSanitizer catches any read past
 * the end.
 */

#include <stdlib.h>
#include <apr_general.h>
#include <apr_strings.h>
#include "gql_lexer.h"
#include "tap.h"

static apr_pool_t *pool;

/* A value as the cases write it: control bytes and the backslash escaped,
 * everything else as it is. */
static const char *shown(apr_pool_t *p, const char *v, apr_size_t len)
{
    char *out = apr_palloc(p, len * 4 + 1), *o = out;
    apr_size_t i;

    for (i = 0; i < len; i++) {
        unsigned char c = (unsigned char)v[i];

        if (c == '\n' || c == '\t' || c == '\0' || c == '\\') {
            *o++ = '\\';
            *o++ = c == '\n' ? 'n' : c == '\t' ? 't' : c == '\0' ? '0'
                                                                 : '\\';
        }
        else if (c < 0x20 || c == 0x7F) {
            o += sprintf(o, "\\x%02X", c);
        }
        else {
            *o++ = (char)c;
        }
    }
    *o = '\0';
    return out;
}

static const char *token(apr_pool_t *p, const gql_token_t *t)
{
    const char *kind = gql_token_kind_names[t->kind];

    if (t->value == NULL) {
        return apr_psprintf(p, "%s@%u:%u", kind, t->loc.line, t->loc.column);
    }
    return apr_psprintf(p, "%s=%s@%u:%u", kind,
                        shown(p, t->value, t->value_len), t->loc.line,
                        t->loc.column);
}

/* The tokens of src[0..len) up to <EOF> or the first error. */
static const char *lex(apr_pool_t *p, const char *src, apr_size_t len)
{
    char *copy = malloc(len ? len : 1);
    const char *out = NULL, *one;
    gql_lexer_t lx;
    gql_token_t t;
    const gql_loc_t *l;
    int rc;

    memcpy(copy, src, len);
    gql_lexer_init(&lx, p, copy, len);
    do {
        if ((rc = gql_lexer_next(&lx, &t)) < 0) {
            l = &APR_ARRAY_IDX(lx.err->locations, 0, gql_loc_t);
            one = apr_psprintf(p, "! %u:%u: %s", l->line, l->column,
                               lx.err->message);
        }
        else {
            one = token(p, &t);
        }
        out = out ? apr_pstrcat(p, out, " ", one, NULL) : one;
    } while (rc == 0 && t.kind != GQL_TOK_EOF);
    free(copy);
    return out;
}

#define S(lit) lit, sizeof(lit) - 1

static const struct {
    const char *name;
    const char *src;
    apr_size_t len;
    const char *want;
} cases[] = {
    { "every punctuator",
      S("! $ & ( ) ... : = @ [ ] { | }"),
      "!@1:1 $@1:3 &@1:5 (@1:7 )@1:9 ...@1:11 :@1:15 =@1:17 @@1:19 [@1:21 "
      "]@1:23 {@1:25 |@1:27 }@1:29 <EOF>@1:30" },
    { "names and a query",
      S("query Q($v: [Int!]! = 1) @d { a: f(x: -1.5e3) ...F }"),
      "Name=query@1:1 Name=Q@1:7 (@1:8 $@1:9 Name=v@1:10 :@1:11 [@1:13 "
      "Name=Int@1:14 !@1:17 ]@1:18 !@1:19 =@1:21 Int=1@1:23 )@1:24 @@1:26 "
      "Name=d@1:27 {@1:29 Name=a@1:31 :@1:32 Name=f@1:34 (@1:35 Name=x@1:36 "
      ":@1:37 Float=-1.5e3@1:39 )@1:45 ...@1:47 Name=F@1:50 }@1:52 "
      "<EOF>@1:53" },
    { "numbers",
      S("0 -0 12 -34 1.5 1e10 1E+2 -3.25e-1 0.0"),
      "Int=0@1:1 Int=-0@1:3 Int=12@1:6 Int=-34@1:9 Float=1.5@1:13 "
      "Float=1e10@1:17 Float=1E+2@1:22 Float=-3.25e-1@1:27 Float=0.0@1:36 "
      "<EOF>@1:39" },
    { "commas, tabs and spaces are ignored",
      S(",,a,\t,b  ,c"),
      "Name=a@1:3 Name=b@1:7 Name=c@1:11 <EOF>@1:12" },
    { "LF, CRLF and CR each end one line",
      S("a\nb\r\nc\rd\r\r\ne\n\rf"),
      "Name=a@1:1 Name=b@2:1 Name=c@3:1 Name=d@4:1 Name=e@6:1 Name=f@8:1 "
      "<EOF>@8:2" },
    { "columns after CRLF",
      S("{\r\n  a\r\n    b\r\n}"),
      "{@1:1 Name=a@2:3 Name=b@3:5 }@4:1 <EOF>@4:2" },
    { "EOF after a trailing newline",
      S("a\n"),
      "Name=a@1:1 <EOF>@2:1" },
    { "EOF after a trailing CRLF",
      S("a\r\n"),
      "Name=a@1:1 <EOF>@2:1" },
    { "EOF after a trailing CR",
      S("a\r"),
      "Name=a@1:1 <EOF>@2:1" },
    { "empty source",
      S(""),
      "<EOF>@1:1" },
    { "comments to CR, LF and CRLF",
      S("# one\ra # two\r\nb # three\nc #"),
      "Name=a@2:1 Name=b@3:1 Name=c@4:1 <EOF>@4:4" },
    { "byte order mark",
      S("\xEF\xBB\xBF""a \xEF\xBB\xBF""b"),
      "Name=a@1:2 Name=b@1:5 <EOF>@1:6" },
    { "columns count UTF-16 units",
      S("\"\xF0\x9F\x98\x80\xC3\xA9\xE4\xB8\xAD\" a"),
      "String=\xF0\x9F\x98\x80\xC3\xA9\xE4\xB8\xAD@1:1 Name=a@1:8 <EOF>@1:9" },
    { "simple escapes",
      S("\"\\\" \\\\ \\/ \\b \\f \\n \\r \\t\""),
      "String=\" \\\\ / \\x08 \\x0C \\n \\x0D \\t@1:1 <EOF>@1:26" },
    { "empty strings",
      S("\"\" \"\"\"\"\"\""),
      "String=@1:1 BlockString=@1:4 <EOF>@1:10" },
    { "unicode escapes",
      S("\"\\u0041\\u00e9\\u4E2D\\u{1F600}\\u{41}\\u{000041}\""),
      "String=A\xC3\xA9\xE4\xB8\xAD\xF0\x9F\x98\x80""AA@1:1 <EOF>@1:46" },
    { "braced escape too long",
      S("\"\\u{0000000041}\""),
      "! 1:2: Syntax Error: Invalid Unicode escape sequence: "
      "\"\\u{000000004\"." },
    { "surrogate pair escape",
      S("\"\\uD83D\\uDE00\\ud83d\\ude00\""),
      "String=\xF0\x9F\x98\x80\xF0\x9F\x98\x80@1:1 <EOF>@1:27" },
    { "escaped NUL",
      S("\"a\\u0000b\" c"),
      "String=a\\0b@1:1 Name=c@1:12 <EOF>@1:13" },
    { "raw control characters in a string",
      S("\"\x01\x7F\""),
      "String=\\x01\\x7F@1:1 <EOF>@1:5" },
    { "block string common indentation",
      S("\"\"\"\n    hello\n      world\n    \"\"\""),
      "BlockString=hello\\n  world@1:1 <EOF>@4:8" },
    { "block string first line kept",
      S("\"\"\"  first\n    second\n  third\"\"\""),
      "BlockString=  first\\n  second\\nthird@1:1 <EOF>@3:11" },
    { "block string blank lines trimmed",
      S("\"\"\"\n\n  a\n\n  b\n  \n\n\"\"\""),
      "BlockString=a\\n\\nb@1:1 <EOF>@8:4" },
    { "block string tabs",
      S("\"\"\"\n\tx\n\t\ty\n\"\"\""),
      "BlockString=x\\n\\ty@1:1 <EOF>@4:4" },
    { "block string CRLF and CR",
      S("\"\"\"\r\n  a\r\n  b\r  c\r\n\"\"\" d"),
      "BlockString=a\\nb\\nc@1:1 Name=d@5:5 <EOF>@5:6" },
    { "block string escaped triple quote",
      S("\"\"\"a \\\"\"\" b \\\"\" c\"\"\" d"),
      "BlockString=a \"\"\" b \\\\\"\" c@1:1 Name=d@1:22 <EOF>@1:23" },
    { "block string backslashes kept",
      S("\"\"\"\\n \\u0041\"\"\""),
      "BlockString=\\\\n \\\\u0041@1:1 <EOF>@1:16" },
    { "block string only blanks",
      S("\"\"\"  \n   \n\"\"\""),
      "BlockString=@1:1 <EOF>@3:4" },
    { "token after a block string on its last line",
      S("{ a(x: \"\"\"\nline\n  \xF0\x9F\x98\x80 \"\"\") b }"),
      "{@1:1 Name=a@1:3 (@1:4 Name=x@1:5 :@1:6 BlockString=line\\n  "
      "\xF0\x9F\x98\x80 @1:8 )@3:9 Name=b@3:11 }@3:13 <EOF>@3:14" },
    { "block string unicode",
      S("\"\"\"\xF0\x9F\x98\x80\n  \xC3\xA9\"\"\""),
      "BlockString=\xF0\x9F\x98\x80\\n\xC3\xA9@1:1 <EOF>@2:7" },
    { "lone leading surrogate",
      S("\"\\uD83D\""),
      "! 1:2: Syntax Error: Invalid Unicode escape sequence: \"\\uD83D\"." },
    { "leading surrogate then a letter",
      S("\"\\uD83D\\u0041\""),
      "! 1:2: Syntax Error: Invalid Unicode escape sequence: \"\\uD83D\"." },
    { "lone trailing surrogate",
      S("\"\\uDE00 x\""),
      "! 1:2: Syntax Error: Invalid Unicode escape sequence: \"\\uDE00\"." },
    { "braced surrogate",
      S("\"\\u{D800}\""),
      "! 1:2: Syntax Error: Invalid Unicode escape sequence: \"\\u{D800}\"." },
    { "braced too big",
      S("\"\\u{110000}\""),
      "! 1:2: Syntax Error: Invalid Unicode escape sequence: "
      "\"\\u{110000}\"." },
    { "braced empty",
      S("\"\\u{}\""),
      "! 1:2: Syntax Error: Invalid Unicode escape sequence: \"\\u{}\"." },
    { "short fixed escape",
      S("\"\\u12\""),
      "! 1:2: Syntax Error: Invalid Unicode escape sequence: \"\\u12\"\"." },
    { "bad escape",
      S("\"\\x\""),
      "! 1:2: Syntax Error: Invalid character escape sequence: \"\\x\"." },
    { "unterminated string at EOF",
      S("\"abc"),
      "! 1:5: Syntax Error: Unterminated string." },
    { "unterminated string at CRLF",
      S("{\r\n \"abc\r\n\""),
      "{@1:1 ! 2:6: Syntax Error: Unterminated string." },
    { "unterminated string at CR",
      S("\"abc\rd\""),
      "! 1:5: Syntax Error: Unterminated string." },
    { "unterminated block string",
      S("\"\"\"abc\r\n\r\nd"),
      "! 3:2: Syntax Error: Unterminated string." },
    { "error after CRLF lines",
      S("a\r\n\r\n  ?"),
      "Name=a@1:1 ! 3:3: Syntax Error: Unexpected character: \"?\"." },
    { "error after CR lines",
      S("a\r\rb ?"),
      "Name=a@1:1 Name=b@3:1 ! 3:3: Syntax Error: Unexpected character: "
      "\"?\"." },
    { "error column after astral",
      S("\"\xF0\x9F\x98\x80\" ?"),
      "String=\xF0\x9F\x98\x80@1:1 ! 1:6: Syntax Error: Unexpected "
      "character: \"?\"." },
    { "error after a block string",
      S("\"\"\"\n  x\r\n  y\n  \"\"\" ?"),
      "BlockString=x\\ny@1:1 ! 4:7: Syntax Error: Unexpected character: "
      "\"?\"." },
    { "single quote",
      S("a 'b'"),
      "Name=a@1:1 ! 1:3: Syntax Error: Unexpected single quote character "
      "('), did you mean to use a double quote (\")?" },
    { "control character",
      S("a \x07"),
      "Name=a@1:1 ! 1:3: Syntax Error: Unexpected character: U+0007." },
    { "raw NUL",
      S("a \x00"),
      "Name=a@1:1 ! 1:3: Syntax Error: Unexpected character: U+0000." },
    { "lone dot",
      S(".5"),
      "! 1:1: Syntax Error: Unexpected character: \".\"." },
    { "two dots",
      S("a .. b"),
      "Name=a@1:1 ! 1:3: Syntax Error: Unexpected character: \".\"." },
    { "trailing dot",
      S("1."),
      "! 1:3: Syntax Error: Invalid number, expected digit but got: <EOF>." },
    { "leading zero",
      S("01"),
      "! 1:2: Syntax Error: Invalid number, unexpected digit after 0: \"1\"." },
    { "name after a number",
      S("1x"),
      "! 1:2: Syntax Error: Invalid number, expected digit but got: \"x\"." },
    { "dot after a float",
      S("1.5.1"),
      "! 1:4: Syntax Error: Invalid number, expected digit but got: \".\"." },
    { "exponent without digits",
      S("1e"),
      "! 1:3: Syntax Error: Invalid number, expected digit but got: <EOF>." },
    { "minus alone",
      S("- a"),
      "! 1:2: Syntax Error: Invalid number, expected digit but got: \" \"." },
    { "astral character outside a string",
      S("\xF0\x9F\x98\x80"),
      "! 1:1: Syntax Error: Unexpected character: U+1F600." },

    /* Not UTF-8: this lexer's own message, at the byte. */
    { "invalid UTF-8 in a comment after CRLF",
      S("a\r\n# \xF0\x9F\x98\x80\xFF"),
      "Name=a@1:1 ! 2:5: Syntax Error: Invalid UTF-8 byte 0xFF." },
    { "overlong UTF-8 where a token starts",
      S("a \xC1\xBF"),
      "Name=a@1:1 ! 1:3: Syntax Error: Invalid UTF-8 byte 0xC1." },
    { "UTF-8 cut short at the end of a block string",
      S("\"\"\"\n\xE4\xB8"),
      "! 2:1: Syntax Error: Invalid UTF-8 byte 0xE4." },
};

static void test_cases(void)
{
    size_t i;

    for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        is_str(lex(pool, cases[i].src, cases[i].len), cases[i].want,
               cases[i].name);
    }
}

/* A bad escape with a raw NUL in its slice: graphql-js 16.13.2 quotes the
 * slice as it is, so its message holds the NUL byte (and the quote after
 * it).  The message's bytes are compared, as shown(). */
static void test_escape_nul(void)
{
    static const struct {
        const char *name;
        const char *src;
        apr_size_t len;
        const char *want;
        apr_size_t want_len;
    } nul[] = {
        { "\\u and a NUL",
          S("\"\\u\0\""),
          S("Syntax Error: Invalid Unicode escape sequence: \"\\u\0\"\".") },
        { "\\u, two digits, a NUL",
          S("\"\\u12\0x\""),
          S("Syntax Error: Invalid Unicode escape sequence: \"\\u12\0x\".") },
        { "\\u{ and a NUL",
          S("\"\\u{1\0002}\""),
          S("Syntax Error: Invalid Unicode escape sequence: \"\\u{1\0\".") },
        { "a backslash and a NUL",
          S("\"\\\0\""),
          S("Syntax Error: Invalid character escape sequence: \"\\\0\".") },
    };
    size_t i;

    for (i = 0; i < sizeof(nul) / sizeof(nul[0]); i++) {
        gql_lexer_t lx;
        gql_token_t t;
        const gql_loc_t *l;

        gql_lexer_init(&lx, pool, nul[i].src, nul[i].len);
        ok(gql_lexer_next(&lx, &t) == -1 && lx.err != NULL,
           apr_pstrcat(pool, nul[i].name, ": an error", NULL));
        if (lx.err == NULL) {
            continue;
        }
        l = &APR_ARRAY_IDX(lx.err->locations, 0, gql_loc_t);
        is_str(apr_psprintf(pool, "%u:%u: %s", l->line, l->column,
                            shown(pool, lx.err->message,
                                  gql_error_message_len(lx.err))),
               apr_psprintf(pool, "1:2: %s", shown(pool, nul[i].want,
                                                   nul[i].want_len)),
               apr_pstrcat(pool, nul[i].name, ": the whole slice quoted",
                           NULL));
    }
}

/* Offsets and lengths in bytes of the source; names and numbers point
 * into it, strings are decoded copies. */
static void test_spans(void)
{
    static const char src[] = "{ f(s: \"a\\u0041\xC3\xA9\", n: -12) }";
    gql_lexer_t lx;
    gql_token_t t[11];
    int i, rc = 0;

    gql_lexer_init(&lx, pool, src, sizeof(src) - 1);
    for (i = 0; i < 11; i++) {
        rc |= gql_lexer_next(&lx, &t[i]);
    }
    ok(rc == 0 && t[1].kind == GQL_TOK_NAME && t[1].value == src + 2
       && t[1].len == 1 && t[1].value_len == 1 && t[1].offset == 2,
       "a name points into the source");
    ok(t[5].kind == GQL_TOK_STRING && t[5].offset == 7
       && t[5].len == 11 && t[5].value_len == 4
       && memcmp(t[5].value, "aA\xC3\xA9", 5) == 0,
       "a string spans its source bytes, its value decoded and terminated");
    ok(t[8].kind == GQL_TOK_INT && t[8].len == 3 && t[8].value == src + 23
       && t[8].value_len == 3, "a number points into the source");
    ok(t[9].kind == GQL_TOK_PAREN_R && t[9].offset == 26
       && t[9].loc.column == 26,
       "a column counts UTF-16 units, an offset bytes");
    ok(t[10].kind == GQL_TOK_BRACE_R && t[10].len == 1
       && t[10].value == NULL, "a punctuator has no value");
}

static void test_eof_and_error(void)
{
    static const char bad[] = "a\r\n  \"b\\q\"";
    gql_lexer_t lx;
    gql_token_t t;
    const gql_loc_t *l;
    int rc;

    gql_lexer_init(&lx, pool, "a ", 2);
    gql_lexer_next(&lx, &t);
    rc = gql_lexer_next(&lx, &t);
    ok(rc == 0 && t.kind == GQL_TOK_EOF && t.loc.column == 3
       && t.offset == 2 && t.len == 0 && t.value == NULL,
       "<EOF> at the end, no value");
    rc = gql_lexer_next(&lx, &t) | gql_lexer_next(&lx, &t);
    ok(rc == 0 && t.kind == GQL_TOK_EOF && t.loc.column == 3
       && lx.err == NULL, "<EOF> again on every later call");

    gql_lexer_init(&lx, pool, bad, sizeof(bad) - 1);
    gql_lexer_next(&lx, &t);
    rc = gql_lexer_next(&lx, &t);
    l = lx.err ? &APR_ARRAY_IDX(lx.err->locations, 0, gql_loc_t) : NULL;
    ok(rc == -1 && l != NULL && lx.err->locations->nelts == 1
       && l->line == 2 && l->column == 5,
       "an error: -1, lx->err with one location");
    is_str(lx.err ? lx.err->message : NULL,
           "Syntax Error: Invalid character escape sequence: \"\\q\".",
           "the error's message");
}

/* gql_lexer_error: what the parser reports through the lexer, at any
 * offset, the end of the source included. */
static void test_lexer_error(void)
{
    static const char src[] = "ab\r\n\xF0\x9F\x98\x80" "cd";
    gql_lexer_t lx;
    gql_error_t *e;
    const gql_loc_t *l;

    gql_lexer_init(&lx, pool, src, sizeof(src) - 1);
    e = gql_lexer_error(&lx, 8, "Expected %s, found %s.", "Name", "<EOF>");
    l = &APR_ARRAY_IDX(e->locations, 0, gql_loc_t);
    is_str(e->message, "Syntax Error: Expected Name, found <EOF>.",
           "gql_lexer_error formats its message");
    ok(lx.err == e && l->line == 2 && l->column == 3,
       "gql_lexer_error: line and UTF-16 column of an offset after CRLF");
    e = gql_lexer_error(&lx, sizeof(src) - 1, "x");
    l = &APR_ARRAY_IDX(e->locations, 0, gql_loc_t);
    ok(l->line == 2 && l->column == 5, "gql_lexer_error at the end");
    e = gql_lexer_error(&lx, 1, "x");
    l = &APR_ARRAY_IDX(e->locations, 0, gql_loc_t);
    ok(l->line == 1 && l->column == 2, "gql_lexer_error on the first line");
}

/* The token named as graphql-js names it in "found ..." messages. */
static const char *describe(const char *src, apr_size_t len, int nth,
                            apr_size_t *dlen)
{
    gql_lexer_t lx;
    gql_token_t t;
    const char *d;

    gql_lexer_init(&lx, pool, src, len);
    while (nth-- > 0) {
        gql_lexer_next(&lx, &t);
    }
    d = gql_token_describe(pool, &lx, &t);
    *dlen = strlen(d);
    if (t.kind == GQL_TOK_STRING || t.kind == GQL_TOK_BLOCK_STRING) {
        *dlen = strlen(gql_token_kind_names[t.kind]) + 3 + t.value_len;
    }
    return d;
}

static void test_describe(void)
{
    apr_size_t n;

    is_str(describe(S("{"), 1, &n), "\"{\"", "a punctuator is quoted");
    is_str(describe(S("..."), 1, &n), "\"...\"", "the spread is quoted");
    is_str(describe(S(""), 1, &n), "<EOF>", "<EOF> is not quoted");
    is_str(describe(S("a foo"), 2, &n), "Name \"foo\"", "a name");
    is_str(describe(S("-1.5"), 1, &n), "Float \"-1.5\"", "a float");
    is_str(describe(S("\"x\\ty\""), 1, &n), "String \"x\ty\"",
           "a string, decoded");
    is_str(describe(S("\"\"\"\n  b\n\"\"\""), 1, &n), "BlockString \"b\"",
           "a block string, dedented");
    ok(memcmp(describe(S("\"a\\u0000b\""), 1, &n), "String \"a\0b\"", 13)
       == 0 && n == 12, "a string that holds a NUL is described whole");
}

/* A token's text is quoted within GQL_ERROR_QUOTE characters. */
static void test_describe_long(void)
{
    apr_size_t q = GQL_ERROR_QUOTE, n;
    char *name = apr_palloc(pool, q + 2);

    memset(name, 'n', q + 1);
    name[q + 1] = '\0';
    is_str(describe(name, q + 1, 1, &n),
           apr_psprintf(pool, "Name \"%.*s...\"", (int)q, name),
           "a name past the bound: cut, with ...");
    is_str(describe(name, q, 1, &n),
           apr_psprintf(pool, "Name \"%.*s\"", (int)q, name),
           "a name of the bound: whole");
}

static void test_kind_names(void)
{
    is_str(gql_token_kind_names[GQL_TOK_SOF], "<SOF>", "kind name <SOF>");
    is_str(gql_token_kind_names[GQL_TOK_BLOCK_STRING], "BlockString",
           "kind name BlockString, the last");
}

int main(void)
{
    apr_initialize();
    apr_pool_create(&pool, NULL);
    test_cases();
    test_spans();
    test_eof_and_error();
    test_lexer_error();
    test_escape_nul();
    test_describe();
    test_describe_long();
    test_kind_names();
    apr_pool_destroy(pool);
    apr_terminate();
    return tap_done();
}
