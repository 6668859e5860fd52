/* Licensed under the Apache License, Version 2.0 (the "License"); you may
 * not use this file except in compliance with the License.  You may obtain
 * a copy of the License at http://www.apache.org/licenses/LICENSE-2.0
 */

/*
 * t/unit/gql_throttle.c: log lines by tag and interval, and the back-off
 * of a resource that is down, on a clock of the test's (seconds from 0).
 */

#include <apr_general.h>
#include <apr_strings.h>
#include "gql_throttle.h"
#include "tap.h"

static apr_pool_t *pool;

#define SEC(s) ((apr_time_t)((s) * APR_USEC_PER_SEC))

static void test_lines(void)
{
    gql_throttle_t *t = gql_throttle_make(pool, SEC(10));
    apr_uint64_t n = 99;
    int written = 0, i;

    ok(gql_throttle_line(t, "GQL00031", SEC(100), &n) && n == 0,
       "the first line of a tag is written, nothing held before it");
    for (i = 1; i <= 500; i++) {
        written += gql_throttle_line(t, "GQL00031", SEC(100 + i * 0.01), &n);
    }
    ok(written == 0, "500 more in the next 5 s: none written");
    ok(gql_throttle_line(t, "GQL00030", SEC(101), &n) && n == 0,
       "another tag has its own interval");
    ok(!gql_throttle_line(t, "GQL00031", SEC(109.999), &n),
       "just under the interval: held");
    ok(gql_throttle_line(t, "GQL00031", SEC(110), &n) && n == 501,
       "at the interval: written, saying the 501 held back");
    ok(!gql_throttle_line(t, "GQL00031", SEC(111), &n),
       "the next interval begins there");
    ok(gql_throttle_take(t, "GQL00031") == 1
       && gql_throttle_take(t, "GQL00031") == 0,
       "take: the lines held and not said, once");
    ok(gql_throttle_take(t, "GQL00099") == 0, "take of an unknown tag: 0");
}

static void test_backoff(void)
{
    gql_throttle_t *t = gql_throttle_make(pool, SEC(10));
    apr_time_t since = 0;
    int tries = 0, i;

    ok(gql_throttle_try(t, SEC(0)), "up: every caller tries");
    ok(gql_throttle_tried(t, 1, SEC(0), &since) == 0, "a success: nothing");
    ok(gql_throttle_try(t, SEC(1)) && gql_throttle_try(t, SEC(1)),
       "two callers at once, both try");
    ok(gql_throttle_tried(t, 0, SEC(1), &since) == 0, "the first fails");
    ok(gql_throttle_tried(t, 0, SEC(1.1), &since) == 0,
       "the second fails too (it had begun): no longer back-off");
    for (i = 0; i < 100; i++) {
        tries += gql_throttle_try(t, SEC(1.2 + i * 0.008));
    }
    ok(tries == 0, "100 callers in the second after: none tries");
    ok(gql_throttle_try(t, SEC(2.1)), "after the back-off, one tries");
    ok(!gql_throttle_try(t, SEC(2.2)), "and while it does, others fail");
    gql_throttle_tried(t, 0, SEC(2.5), &since);
    ok(!gql_throttle_try(t, SEC(4.4)) && gql_throttle_try(t, SEC(4.5)),
       "it fails: the back-off doubles (2 s)");
    gql_throttle_tried(t, 0, SEC(4.5), &since);
    ok(!gql_throttle_try(t, SEC(8.4)) && gql_throttle_try(t, SEC(8.5)),
       "4 s");
    gql_throttle_tried(t, 0, SEC(8.5), &since);
    ok(!gql_throttle_try(t, SEC(12.4)) && gql_throttle_try(t, SEC(12.5)),
       "4 s at most");
    is_str(apr_psprintf(pool, "%lu", (unsigned long)gql_throttle_tried(
               t, 1, SEC(12.6), &since)), "109",
           "back: the callers that failed since the first failure");
    ok(since == SEC(1), "and when the first failed");
    ok(gql_throttle_try(t, SEC(12.7)) && gql_throttle_try(t, SEC(12.7)),
       "up again: every caller tries");
    ok(gql_throttle_tried(t, 1, SEC(12.8), &since) == 0,
       "and a success says nothing more");
}

int main(void)
{
    apr_initialize();
    apr_pool_create(&pool, NULL);
    test_lines();
    test_backoff();
    apr_pool_destroy(pool);
    apr_terminate();
    return tap_done();
}
