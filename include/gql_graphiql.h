/* Licensed under the Apache License, Version 2.0 (the "License"); you may
 * not use this file except in compliance with the License.  You may obtain
 * a copy of the License at http://www.apache.org/licenses/LICENSE-2.0
 */

/*
 * gql_graphiql.h: the GraphiQL page that a browser's GET of an endpoint
 * gets (GraphQLGraphiQL On), and the Content-Security-Policy header value
 * to send with it.
 *
 * Both depend only on where the assets come from (GraphQLGraphiQLAssets):
 * the page holds no request data, not even the endpoint's path, since its
 * fetcher POSTs to the page's own path (window.location.pathname), which
 * the browser knows; so it works behind a proxy that moves the endpoint.
 */

#ifndef GQL_GRAPHIQL_H
#define GQL_GRAPHIQL_H

#include <apr.h>
#include <apr_pools.h>

/* The page (UTF-8 HTML), *len bytes, in p, loading its assets from base
 * (a URL or path ending in "/", as gql_graphiql_base makes it; NULL: the
 * CDN). */
const char *gql_graphiql_page(apr_pool_t *p, const char *base,
                              apr_size_t *len);

/* The Content-Security-Policy value for the page with assets from base
 * (NULL: the CDN): their origin, or 'self' for a path, and the page's one
 * inline script; in p. */
const char *gql_graphiql_csp(apr_pool_t *p, const char *base);

/* Check url, GraphQLGraphiQLAssets's value: a path ("/graphiql/") or an
 * http:// or https:// URL, with nothing that HTML or the CSP would read
 * otherwise.  NULL and *base the base (url, with a "/" appended in p when
 * it has none), or what is wrong (static text). */
const char *gql_graphiql_base(apr_pool_t *p, const char *url,
                              const char **base);

#endif /* GQL_GRAPHIQL_H */
