/* Licensed under the Apache License, Version 2.0 (the "License"); you may
 * not use this file except in compliance with the License.  You may obtain
 * a copy of the License at http://www.apache.org/licenses/LICENSE-2.0
 */

/*
 * gql_graphiql.h: the GraphiQL page that a browser's GET of an endpoint
 * gets (GraphQLGraphiQL On), and the Content-Security-Policy header value
 * to send with it.
 *
 * Both are static text, the same for every endpoint and request: the page
 * holds no request data, not even the endpoint's path, since its fetcher
 * POSTs to the page's own path (window.location.pathname), which the
 * browser knows; so it works behind a proxy that moves the endpoint.
 */

#ifndef GQL_GRAPHIQL_H
#define GQL_GRAPHIQL_H

#include <apr.h>

/* The page (UTF-8 HTML), *len bytes; static, never to be freed. */
const char *gql_graphiql_page(apr_size_t *len);

/* The Content-Security-Policy value that the page's one inline script
 * and its CDN need; static. */
const char *gql_graphiql_csp(void);

#endif /* GQL_GRAPHIQL_H */
