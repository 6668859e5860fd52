/* Licensed under the Apache License, Version 2.0 (the "License"); you may
 * not use this file except in compliance with the License.  You may obtain
 * a copy of the License at http://www.apache.org/licenses/LICENSE-2.0
 */

/*
 * t/unit/gql_sse.c: the framing of Server-Sent Events: an event with its
 * data on one line, on several (each of LF, CR LF and CR ends a line),
 * with no data, and its length.
 */

#include <string.h>
#include <apr_general.h>
#include "gql_sse.h"
#include "tap.h"

static apr_pool_t *pool;

static const char *frame(const char *event, const char *data)
{
    apr_size_t len;
    const char *out = gql_sse_event(pool, event, data, &len);

    ok(len == strlen(out), "its length");
    return out;
}

int main(void)
{
    apr_initialize();
    apr_pool_create(&pool, NULL);
    is_str(frame("next", "{\"data\":{\"a\":1}}"),
           "event: next\ndata: {\"data\":{\"a\":1}}\n\n", "one line");
    is_str(frame("complete", ""), "event: complete\ndata: \n\n",
           "no data: one empty data line, which EventSource dispatches");
    is_str(frame("next", "a\nb\r\nc\rd"),
           "event: next\ndata: a\ndata: b\ndata: c\ndata: d\n\n",
           "LF, CR LF and CR each end a data line");
    is_str(frame("next", "a\n\n"), "event: next\ndata: a\ndata: \ndata: "
           "\n\n", "empty lines are kept");
    is_str(frame("next", "\r"), "event: next\ndata: \ndata: \n\n",
           "a lone CR at the end");
    is_str(GQL_SSE_HEARTBEAT, ": \n\n", "a heartbeat is a comment line");
    apr_pool_destroy(pool);
    apr_terminate();
    return tap_done();
}
