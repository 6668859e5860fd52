/* Licensed under the Apache License, Version 2.0 (the "License"); you may
 * not use this file except in compliance with the License.  You may obtain
 * a copy of the License at http://www.apache.org/licenses/LICENSE-2.0
 */

/*
 * t/unit/gql_writer.c: the response writer writes every value exactly as
 * json-c would (plain, slashes unescaped): each byte alone in a string,
 * random strings, integers at their limits (uint64 past int64 too),
 * doubles with and without their own text, booleans, null, and objects
 * and arrays; a cut takes back what came after a length; the buffer
 * grows past its first size.
 */

#include <stdlib.h>
#include <string.h>
#include <apr_general.h>
#include <apr_strings.h>
#include "gql_writer.h"
#include "tap.h"

#define FLAGS (JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE)

static apr_pool_t *pool;

/* The writer's text of v against json-c's; v is released. */
static int same(json_object *v)
{
    gql_writer_t *w = gql_writer_make(pool, 8);
    int eq;

    gql_writer_value(w, v);
    eq = strcmp(gql_writer_text(w), json_object_to_json_string_ext(v, FLAGS))
         == 0;
    if (!eq) {
        diag("writer %s, json-c %s", gql_writer_text(w),
             json_object_to_json_string_ext(v, FLAGS));
    }
    json_object_put(v);
    return eq;
}

static void test_strings(void)
{
    char s[64];
    int c, i, len, bad = 0;

    for (c = 0; c < 256; c++) {
        s[0] = 'a';
        s[1] = (char)c;
        s[2] = 'z';
        bad += !same(json_object_new_string_len(s, 3));
    }
    ok(bad == 0, "every byte in a string, as json-c escapes it");
    srand(7);
    for (i = 0, bad = 0; i < 2000; i++) {
        int n = rand() % (int)sizeof(s), k;

        for (k = 0; k < n; k++) {
            s[k] = (char)(rand() % 4 ? 32 + rand() % 95 : rand() % 256);
        }
        bad += !same(json_object_new_string_len(s, (size_t)n));
    }
    ok(bad == 0, "2000 random strings");
    for (i = 0, bad = 0; i < 40; i++) {
        static const char specials[] = { '"', '\\', '\n', 0x1f, 0x01, 0 };
        static const unsigned char near[] = { 0x20, 0x21, '#', '[', ']',
                                              0x7f, 0x80, 0xff };
        int k;

        for (k = 0; k < (int)sizeof(specials); k++) {
            memset(s, 'x', 40);
            s[i] = specials[k];
            bad += !same(json_object_new_string_len(s, 40));
        }
        for (k = 0; k < (int)sizeof(near); k++) {
            memset(s, 'x', 40);
            s[i] = (char)near[k];
            bad += !same(json_object_new_string_len(s, 40));
        }
    }
    ok(bad == 0, "each byte to escape, and each of its neighbours that "
       "needs none, at each place of a 40-byte string");
    for (len = 1, bad = 0; len <= 17; len++) {
        static const unsigned char any[] = { '"', '\\', '\n', 0x00, 0x1f,
                                             0x20, 0x7f, 0x80, 0xff };

        for (i = 0; i < len; i++) {
            int k;

            for (k = 0; k < (int)sizeof(any); k++) {
                memset(s, 'y', sizeof(s));
                s[i] = (char)any[k];
                bad += !same(json_object_new_string_len(s, (size_t)len));
            }
        }
    }
    ok(bad == 0, "each byte to escape, and neighbours that need none, at "
       "each place of every string of 1 to 17 bytes (the last bytes of a "
       "string are tested as one padded word)");
    ok(same(json_object_new_string("")), "the empty string");
    ok(same(json_object_new_string("a/b\\c\"d")), "slash, backslash, quote");
}

static void test_scalars(void)
{
    ok(same(json_object_new_int64(0)) && same(json_object_new_int64(-42))
       && same(json_object_new_int64(INT64_MAX))
       && same(json_object_new_int64(INT64_MIN))
       && same(json_object_new_int(2147483647)),
       "integers, at their limits");
    ok(same(json_object_new_uint64(UINT64_MAX)), "a uint64 past int64");
    ok(same(json_object_new_double(0.1)) && same(json_object_new_double(1e21))
       && same(json_object_new_double_s(12.5, "12.50")),
       "doubles, with and without their own text");
    ok(same(json_object_new_boolean(1)) && same(json_object_new_boolean(0)),
       "booleans");
    ok(same(NULL), "null");
    ok(same(json_tokener_parse("{\"a\":[1,\"x/y\",null,{\"b\":true}]}")),
       "an object and an array, through json-c");
}

static void test_buffer(void)
{
    gql_writer_t *w = gql_writer_make(pool, 1);
    apr_size_t at;
    int i;

    gql_writer_puts(w, "[");
    at = gql_writer_len(w);
    gql_writer_string(w, "gone", 4);
    gql_writer_cut(w, at);
    gql_writer_puts(w, "null]");
    is_str(gql_writer_text(w), "[null]", "a cut takes back what followed");
    w = gql_writer_make(pool, 1);
    for (i = 0; i < 1000; i++) {
        gql_writer_puts(w, "0123456789");
    }
    ok(gql_writer_len(w) == 10000 && strlen(gql_writer_text(w)) == 10000,
       "the buffer grows");
    w = gql_writer_make(pool, 1);
    for (i = 0; i < 1000; i++) {
        gql_writer_putc(w, i % 2 ? ']' : '[');
    }
    ok(gql_writer_len(w) == 1000 && strlen(gql_writer_text(w)) == 1000
       && strncmp(gql_writer_text(w), "[][]", 4) == 0
       && gql_writer_text(w)[999] == ']',
       "one character at a time, the buffer growing for them");
}

static void test_keys(void)
{
    gql_writer_t *w = gql_writer_make(pool, 1);
    int i;

    gql_writer_puts(w, "{");
    gql_writer_key(w, 0, "a");
    gql_writer_puts(w, "1");
    gql_writer_key(w, 1, "__typename");
    gql_writer_puts(w, "2}");
    is_str(gql_writer_text(w), "{\"a\":1,\"__typename\":2}",
           "keys: the first without a comma, the others after one");
    w = gql_writer_make(pool, 1);
    for (i = 0; i < 500; i++) {
        gql_writer_key(w, i > 0, "key");
    }
    ok(gql_writer_len(w) == 6 + 499 * 7
       && strcmp(gql_writer_text(w) + 3486, "\"key\":,\"key\":") == 0,
       "keys: the buffer grows for them");
}

int main(void)
{
    apr_initialize();
    apr_pool_create(&pool, NULL);
    test_strings();
    test_scalars();
    test_buffer();
    test_keys();
    apr_pool_destroy(pool);
    apr_terminate();
    return tap_done();
}
