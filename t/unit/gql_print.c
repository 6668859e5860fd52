/* Licensed under the Apache License, Version 2.0 (the "License"); you may
 * not use this file except in compliance with the License.  You may obtain
 * a copy of the License at http://www.apache.org/licenses/LICENSE-2.0
 */

/*
 * t/unit/gql_print.c: the printing helpers alone, linked with nothing of
 * the engine but src/gql_print.c.  Each expected string is what graphql-js
 * 16 gives for the same input (print, printString, inspect, Number's
 * toString, suggestionList, didYouMean, naturalCompare), wherever
 * JavaScript can hold the input; the syntax trees are built by hand.
 */

#include <math.h>
#include <string.h>
#include <apr_general.h>
#include <apr_strings.h>
#include "gql_print.h"
#include "gql_schema.h"
#include "tap.h"

static apr_pool_t *pool;

/* ---- literals and type references built by hand ---- */

static gql_value_t *lit(gql_value_kind_e kind, const char *text)
{
    gql_value_t *v = apr_pcalloc(pool, sizeof(*v));

    v->kind = kind;
    v->text = text;
    v->len = text ? strlen(text) : 0;
    return v;
}

static gql_value_t *list(int n, gql_value_t *const *items)
{
    gql_value_t *v = lit(GQL_VALUE_LIST, NULL);
    int i;

    v->items = apr_array_make(pool, n + 1, sizeof(gql_value_t *));
    for (i = 0; i < n; i++) {
        APR_ARRAY_PUSH(v->items, gql_value_t *) = items[i];
    }
    return v;
}

/* An object from names[i]: values[i]. */
static gql_value_t *object(int n, const char *const *names,
                           gql_value_t *const *values)
{
    gql_value_t *v = lit(GQL_VALUE_OBJECT, NULL);
    int i;

    v->fields = apr_array_make(pool, n + 1, sizeof(gql_object_field_t *));
    for (i = 0; i < n; i++) {
        gql_object_field_t *f = apr_pcalloc(pool, sizeof(*f));

        f->name.value = names[i];
        f->value = values[i];
        APR_ARRAY_PUSH(v->fields, gql_object_field_t *) = f;
    }
    return v;
}

static const gql_tref_t *wrap(gql_type_ref_kind_e kind, const gql_tref_t *of)
{
    gql_tref_t *t = apr_pcalloc(pool, sizeof(*t));

    t->kind = kind;
    t->of_type = of;
    return t;
}

static gql_type_ref_t *ast_wrap(gql_type_ref_kind_e kind, gql_type_ref_t *of,
                                const char *name)
{
    gql_type_ref_t *t = apr_pcalloc(pool, sizeof(*t));

    t->kind = kind;
    t->of_type = of;
    t->name.value = name;
    return t;
}

static apr_array_header_t *names(int n, const char *const *s)
{
    apr_array_header_t *a = apr_array_make(pool, n + 1, sizeof(char *));
    int i;

    for (i = 0; i < n; i++) {
        APR_ARRAY_PUSH(a, const char *) = s[i];
    }
    return a;
}

static const char *joined(const apr_array_header_t *a)
{
    return apr_array_pstrcat(pool, a, ',');
}

/* ---- print() ---- */

static void test_types(void)
{
    gql_type_t id = { 0 };
    gql_tref_t named = { GQL_TYPE_NAMED, NULL, NULL };
    gql_tref_t none = { GQL_TYPE_NAMED, NULL, NULL };

    id.name = "ID";
    named.named = &id;
    is_str(gql_print_type(pool, &named), "ID", "a named type");
    is_str(gql_print_type(pool, wrap(GQL_TYPE_NON_NULL,
                                     wrap(GQL_TYPE_LIST,
                                          wrap(GQL_TYPE_NON_NULL, &named)))),
           "[ID!]!", "wrappers around a named type");
    is_str(gql_print_type(pool, NULL), "", "no type prints empty");
    is_str(gql_print_type(pool, wrap(GQL_TYPE_LIST, &none)), "[]",
           "a reference to no type prints empty");
    is_str(gql_print_ast_type(pool, ast_wrap(GQL_TYPE_LIST,
                              ast_wrap(GQL_TYPE_NON_NULL,
                                       ast_wrap(GQL_TYPE_LIST,
                                                ast_wrap(GQL_TYPE_NAMED,
                                                         NULL, "Int"),
                                                NULL), NULL), NULL)),
           "[[Int]!]", "a type as a document writes it");
}

static void test_values(void)
{
    static const char *const keys[] = { "a", "b", "c" };
    gql_value_t *block = lit(GQL_VALUE_STRING, "multi\nline");
    gql_value_t *items[7], *fields[3];

    items[0] = lit(GQL_VALUE_INT, "-1");
    items[1] = lit(GQL_VALUE_FLOAT, "1.50e3");
    items[2] = lit(GQL_VALUE_STRING, "x");
    items[3] = lit(GQL_VALUE_ENUM, "RED");
    items[4] = lit(GQL_VALUE_NULL, "null");
    items[5] = lit(GQL_VALUE_BOOLEAN, "true");
    items[6] = lit(GQL_VALUE_VARIABLE, "v");
    fields[0] = list(7, items);
    fields[1] = object(0, NULL, NULL);
    fields[2] = list(0, NULL);
    is_str(gql_print_value(pool, object(3, keys, fields)),
           "{a: [-1, 1.50e3, \"x\", RED, null, true, $v], b: {}, c: []}",
           "print() of a literal: numbers as written, no spaces in braces");
    block->block = 1;
    is_str(gql_print_value(pool, block), "\"\"\"multi\nline\"\"\"",
           "a block string between triple quotes");
    is_str(gql_print_value(pool, lit(GQL_VALUE_STRING, "a\"b")),
           "\"a\\\"b\"", "a string through printString");
}

/* ---- printString ---- */

static const char *pstr(const char *s, apr_size_t len)
{
    return gql_print_string(pool, s, len);
}

static void test_string(void)
{
    is_str(pstr("plain", 5), "\"plain\"", "plain text as it is");
    is_str(pstr("\"q\" \\", 5), "\"\\\"q\\\" \\\\\"",
           "quote and backslash escaped");
    is_str(pstr("\b\t\n\f\r", 5), "\"\\b\\t\\n\\f\\r\"",
           "the short escapes");
    is_str(pstr("\x01\x0b\x1f\x7f", 4), "\"\\u0001\\u000B\\u001F\\u007F\"",
           "other C0 controls and DEL as \\u00XX, upper case");
    is_str(pstr("a\0b", 3), "\"a\\u0000b\"", "U+0000 inside the text");
    is_str(pstr("\xc2\x80\xc2\x85\xc2\x9f", 6),
           "\"\\u0080\\u0085\\u009F\"",
           "U+0080..U+009F as \\u00XX, U+0085 (NEL) among them");
    is_str(pstr("x\xc2", 2), "\"x\xc2\"",
           "a lead byte at the end, not UTF-8, as it is (nothing read past)");
    is_str(pstr("\xc2\xa0\xe2\x80\xa8\xe2\x80\xa9\xc3\xa9", 10),
           "\"\xc2\xa0\xe2\x80\xa8\xe2\x80\xa9\xc3\xa9\"",
           "U+00A0, U+2028, U+2029 and other text unescaped");
}

/* ---- Number.prototype.toString ---- */

static void test_number(void)
{
    static const struct {
        double d;
        const char *js;
    } cases[] = {
        { 0.1, "0.1" },
        { -0.0, "0" },
        { 1.5, "1.5" },
        { -42, "-42" },
        { 0.1 + 0.2, "0.30000000000000004" },
        { 1e21, "1e+21" },
        { 1e20, "100000000000000000000" },
        { 123456789012345680000.0, "123456789012345680000" },
        { 1e-7, "1e-7" },
        { 1e-6, "0.000001" },
        { -2.5e-7, "-2.5e-7" },
        { 1.2345e-5, "0.000012345" },
        { 5e-324, "5e-324" },
        { 1.7976931348623157e308, "1.7976931348623157e+308" },
        { 9007199254740993.0, "9007199254740992" },
        { 123.456, "123.456" }
    };
    size_t i;

    for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        is_str(gql_print_number(pool, cases[i].d), cases[i].js,
               apr_psprintf(pool, "Number toString: %s", cases[i].js));
    }
    is_str(gql_print_number(pool, NAN), "NaN", "Number toString: NaN");
    is_str(gql_print_number(pool, -INFINITY), "-Infinity",
           "Number toString: -Infinity");
    is_str(gql_print_int(pool, 0), "0", "an integer: 0");
    is_str(gql_print_int(pool, -42), "-42", "... -42");
    is_str(gql_print_int(pool, APR_INT64_MAX), "9223372036854775807",
           "... the largest");
    is_str(gql_print_int(pool, APR_INT64_MIN), "-9223372036854775808",
           "... the smallest");
}

/* ---- inspect ---- */

static const char *insp(const char *json)
{
    json_object *v = json_tokener_parse(json);
    const char *s = gql_print_inspect(pool, v);

    json_object_put(v);
    return s;
}

static void test_inspect(void)
{
    is_str(gql_print_inspect(pool, NULL), "null", "inspect: NULL is null");
    is_str(insp("[1, 2.5, 1e21, true, null, \"x\"]"),
           "[1, 2.5, 1e+21, true, null, \"x\"]", "inspect: scalars");
    is_str(insp("\"q\\\"b\\\\\\n\\u0001\\u001f\\u007f\\u0085\\u2028\""),
           "\"q\\\"b\\\\\\n\\u0001\\u001f\x7f\xc2\x85\xe2\x80\xa8\"",
           "inspect: strings as JSON.stringify writes them");
    is_str(insp("{\"a\": 1, \"b\": {\"c\": 2}}"), "{ a: 1, b: { c: 2 } }",
           "inspect: objects with spaces inside the braces");
    is_str(insp("{\"a\": 1, \"b\": {\"c\": [2]}}"),
           "{ a: 1, b: { c: [Array] } }",
           "inspect: a list past two levels in objects");
    is_str(insp("[1, [2, [3, [4]]]]"), "[1, [2, [Array]]]",
           "inspect: lists past two levels");
    is_str(insp("{\"a\": {\"b\": {\"c\": 1}}}"), "{ a: { b: [Object] } }",
           "inspect: objects past two levels");
    is_str(insp("[[{\"a\": [1]}]]"), "[[[Object]]]",
           "inspect: an object past two levels in lists");
    is_str(insp("[[[]], [{}]]"), "[[[]], [{}]]",
           "inspect: empty lists and objects past two levels");
    is_str(insp("[1, 2, 3, 4, 5, 6, 7, 8, 9, 10]"),
           "[1, 2, 3, 4, 5, 6, 7, 8, 9, 10]", "inspect: ten items");
    is_str(insp("[1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]"),
           "[1, 2, 3, 4, 5, 6, 7, 8, 9, 10, ... 1 more item]",
           "inspect: eleven items");
    is_str(insp("[[1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]]"),
           "[[1, 2, 3, 4, 5, 6, 7, 8, 9, 10, ... 2 more items]]",
           "inspect: twelve items, nested");
}

/* ---- bounded quotes ---- */

/* n copies of the UTF-8 character c (one to four bytes), then tail. */
static char *repeat(const char *c, int n, const char *tail)
{
    apr_size_t len = strlen(c);
    char *s = apr_palloc(pool, len * n + strlen(tail) + 1), *o = s;
    int i;

    for (i = 0; i < n; i++, o += len) {
        memcpy(o, c, len);
    }
    strcpy(o, tail);
    return s;
}

static void test_bounds(void)
{
    const int q = GQL_ERROR_QUOTE;
    char *name = repeat("n", q, ""), *longer = repeat("n", q + 1, "");
    char *wide = repeat("\xc3\xa9", q + 5, "");
    json_object *v;
    gql_value_t *items[3];
    const char *s;

    is_str(gql_print_name(pool, name), name, "a name of the bound: whole");
    is_str(gql_print_name(pool, longer), repeat("n", q, "..."),
           "a name past the bound: cut, with ...");
    is_str(gql_print_name(pool, wide), repeat("\xc3\xa9", q, "..."),
           "a cut counts characters and never splits one");
    is_str(gql_print_value(pool, lit(GQL_VALUE_STRING, longer)),
           apr_pstrcat(pool, "\"", repeat("n", q, "...\""), NULL),
           "a string literal past the bound: ... inside the quotes");
    is_str(gql_print_value(pool, lit(GQL_VALUE_ENUM, longer)),
           repeat("n", q, "..."), "an enum value past the bound");
    items[0] = lit(GQL_VALUE_STRING, longer);
    items[1] = lit(GQL_VALUE_INT, "1");
    items[2] = lit(GQL_VALUE_INT, "2");
    is_str(gql_print_value(pool, list(3, items)),
           apr_pstrcat(pool, "[\"", repeat("n", q - 1, "...\", ...]"),
                       NULL),
           "a list stops where its items stop fitting");
    items[0] = lit(GQL_VALUE_INT, "7");
    is_str(gql_print_value(pool, list(3, items)), "[7, 1, 2]",
           "a short list: whole");
    v = json_tokener_parse(apr_pstrcat(pool, "[\"", longer, "\", 1]",
                                       NULL));
    s = gql_print_inspect(pool, v);
    json_object_put(v);
    is_str(s, apr_pstrcat(pool, "[\"", repeat("n", q - 1, "...\", ...]"),
                          NULL), "inspect(): bounded as print() is");
    v = json_object_new_string_len(wide, (int)strlen(wide));
    s = gql_print_inspect(pool, v);
    json_object_put(v);
    is_str(s, apr_pstrcat(pool, "\"", repeat("\xc3\xa9", q, "...\""),
                          NULL), "inspect() of a long string");
}

/* A name a megabyte long is compared with no option: each is too far by
 * its length alone. */
static void test_suggest_long(void)
{
    static const char *const opts[] = { "name", "names", "nome" };
    char *huge = repeat("n", 1024 * 1024, "");

    is_str(joined(gql_print_suggestion_list(pool, huge, names(3, opts))),
           "", "suggestionList: a huge input is near nothing");
    is_str(joined(gql_print_suggestion_list(pool, "nam", names(3, opts))),
           "name,names,nome", "suggestionList: a short input still is");
}

/* ---- suggestionList, didYouMean, naturalCompare ---- */

static void test_suggestions(void)
{
    static const char *const opts[] = {
        "greenish", "red", "Green", "gren", "greener", "blue", "green"
    };
    static const char *const six[] = { "a", "b", "c", "d", "e", "f" };
    static const char *const near[] = {
        "abc10", "abc9", "Abc1", "abc2", "ab", "abc", "xbc1", "abc1x"
    };

    is_str(joined(gql_print_suggestion_list(pool, "green",
                                            names(7, opts))),
           "green,Green,gren,greener,greenish,red",
           "suggestionList: nearest first, a case change counts one, "
           "ties in natural order");
    is_str(joined(gql_print_suggestion_list(pool, "xyz", names(7, opts))),
           "", "suggestionList: nothing near");
    is_str(joined(gql_print_suggestion_list(pool, "abc1", names(8, near))),
           "Abc1,abc,abc1x,abc2,abc9,abc10,xbc1,ab",
           "suggestionList: runs of digits in natural order among equals");
    is_str(gql_print_did_you_mean(pool, NULL, names(0, six)), "",
           "didYouMean of nothing");
    is_str(gql_print_did_you_mean(pool, "the enum value", names(1, six)),
           " Did you mean the enum value \"a\"?", "didYouMean of one");
    is_str(gql_print_did_you_mean(pool, NULL, names(2, six)),
           " Did you mean \"a\" or \"b\"?", "didYouMean of two");
    is_str(gql_print_did_you_mean(pool, NULL, names(3, six)),
           " Did you mean \"a\", \"b\", or \"c\"?", "didYouMean of three");
    is_str(gql_print_did_you_mean(pool, NULL, names(6, six)),
           " Did you mean \"a\", \"b\", \"c\", \"d\", or \"e\"?",
           "didYouMean: five at most");
    is_str(gql_print_suggest(pool, NULL, "abc1", names(8, near)),
           " Did you mean \"Abc1\", \"abc\", \"abc1x\", \"abc2\", or "
           "\"abc9\"?", "suggest: the first five of the list");
    is_str(gql_print_suggest(pool, NULL, "qqqq", names(8, near)), "",
           "suggest: nothing near");
}

static void test_natcmp(void)
{
    ok(gql_print_natcmp("a2", "a10") < 0, "naturalCompare: 2 before 10");
    ok(gql_print_natcmp("a10", "a2") > 0, "naturalCompare: 10 after 2");
    ok(gql_print_natcmp("T9z", "T9z") == 0, "naturalCompare: equal");
    ok(gql_print_natcmp("x1y2", "x1y10") < 0,
       "naturalCompare: the second run of digits decides");
    ok(gql_print_natcmp("a01", "a1") < 0,
       "naturalCompare: a leading zero ends its run (0 < 1)");
    ok(gql_print_natcmp("Z", "a") < 0, "naturalCompare: by code unit");
    ok(gql_print_natcmp("ab", "abc") < 0, "naturalCompare: prefix first");
    ok(gql_print_natcmp("a9007199254740993", "a9007199254740992") == 0,
       "naturalCompare: runs past 2^53 equal as doubles");
}

int main(void)
{
    apr_initialize();
    apr_pool_create(&pool, NULL);
    test_types();
    test_values();
    test_string();
    test_number();
    test_inspect();
    test_suggestions();
    test_bounds();
    test_suggest_long();
    test_natcmp();
    apr_pool_destroy(pool);
    apr_terminate();
    return tap_done();
}
