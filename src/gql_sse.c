/* Licensed under the Apache License, Version 2.0 (the "License"); you may
 * not use this file except in compliance with the License.  You may obtain
 * a copy of the License at http://www.apache.org/licenses/LICENSE-2.0
 */

/*
 * gql_sse.c: the framing of Server-Sent Events (gql_sse.h).
 */

#include <string.h>
#include <apr_strings.h>
#include "gql_sse.h"

/*
 * event  -> "event: " NAME LF data+ LF
 * data   -> "data: " LINE LF
 * A line of the data ends at CR LF, LF or CR (any of them would end the
 * field in the client's parser); empty data is one empty data line, so
 * that EventSource dispatches the event.
 */
const char *gql_sse_event(apr_pool_t *p, const char *event, const char *data,
                          apr_size_t *len)
{
    apr_size_t n = strlen(data), lines = 1, i, o;
    char *out;

    for (i = 0; i < n; i++) {
        lines += data[i] == '\n' || (data[i] == '\r' && data[i + 1] != '\n');
    }
    out = apr_palloc(p, strlen(event) + n + lines * 7 + 10);
    o = apr_cpystrn(out, "event: ", 8) - out;
    o = apr_cpystrn(out + o, event, strlen(event) + 1) - out;
    memcpy(out + o, "\ndata: ", 7);
    o += 7;
    for (i = 0; i < n; i++) {
        if (data[i] == '\r' || data[i] == '\n') {
            i += data[i] == '\r' && data[i + 1] == '\n';
            memcpy(out + o, "\ndata: ", 7);
            o += 7;
        }
        else {
            out[o++] = data[i];
        }
    }
    memcpy(out + o, "\n\n", 3);
    *len = o + 2;
    return out;
}
