/* Licensed under the Apache License, Version 2.0 (the "License"); you may
 * not use this file except in compliance with the License.  You may obtain
 * a copy of the License at http://www.apache.org/licenses/LICENSE-2.0
 */

/*
 * gql_sse.h: GraphQL over Server-Sent Events, the "distinct connections"
 * mode of the protocol the graphql-sse client speaks: one request, one
 * text/event-stream response, whose events are
 *
 *   event: next          one per result, data: a GraphQL response
 *   data: {"data":...}
 *   (blank line)
 *   event: complete      the last, when the stream ends as it should
 *   data: (nothing)
 *
 * and comment lines (": ") that keep proxies from timing the stream out
 * and show that the client is still there.  An event's data is written
 * one "data: " line per line of it, as the event stream format wants.
 */

#ifndef GQL_SSE_H
#define GQL_SSE_H

#include <apr_pools.h>

#define GQL_SSE_MEDIA "text/event-stream"

/* A heartbeat: a comment line and the blank line that ends it. */
#define GQL_SSE_HEARTBEAT ": \n\n"

/* The event named event with data (NUL-terminated; "" for none), in p;
 * *len its bytes. */
const char *gql_sse_event(apr_pool_t *p, const char *event, const char *data,
                          apr_size_t *len);

#endif /* GQL_SSE_H */
