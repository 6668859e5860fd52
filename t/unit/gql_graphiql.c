/* Licensed under the Apache License, Version 2.0 (the "License"); you may
 * not use this file except in compliance with the License.  You may obtain
 * a copy of the License at http://www.apache.org/licenses/LICENSE-2.0
 */

/*
 * t/unit/gql_graphiql.c: GraphiQL's page and policy for assets from the
 * CDN, from a path of the site and from another origin; the values
 * GraphQLGraphiQLAssets accepts (a "/" appended) and those it refuses.
 */

#include <string.h>
#include <apr_general.h>
#include "gql_graphiql.h"
#include "tap.h"

static apr_pool_t *pool;

static int has(const char *text, const char *part)
{
    return strstr(text, part) != NULL;
}

static void test_page(void)
{
    apr_size_t len;
    const char *cdn = gql_graphiql_page(pool, NULL, &len);
    const char *local = gql_graphiql_page(pool, "/assets/", &len);

    ok(len == strlen(local), "the length is the page's");
    ok(has(cdn, " src=\"https://cdn.jsdelivr.net/npm/react@18.3.1/umd/"
                "react.production.min.js\""), "CDN: React at its version");
    ok(has(local, " src=\"/assets/react@18.3.1/umd/react.production.min.js"
                  "\""), "a path: React under it, the CDN's layout");
    ok(has(local, " href=\"/assets/graphiql@3.8.3/graphiql.min.css\""),
       "a path: the stylesheet under it");
    ok(!has(local, "cdn.jsdelivr"), "a path: the CDN is not named");
    ok(has(local, "GraphiQL cannot start: "), "the page says when it fails");
    ok(strstr(local, "<script>") < strstr(local, "<script crossorigin"),
       "the inline script comes before the assets (it watches them)");
}

static void test_csp(void)
{
    const char *cdn = gql_graphiql_csp(pool, NULL);

    ok(has(cdn, "script-src https://cdn.jsdelivr.net 'sha256-"),
       "CDN: scripts from its origin and the inline one");
    ok(has(cdn, "style-src https://cdn.jsdelivr.net;"), "CDN: styles");
    ok(has(gql_graphiql_csp(pool, "/assets/"), "style-src 'self';"),
       "a path: 'self'");
    ok(has(gql_graphiql_csp(pool, "https://static.example.com:8443/g/"),
           "script-src https://static.example.com:8443 'sha256-"),
       "another origin: scheme, host and port");
    ok(has(gql_graphiql_csp(pool, "http://mirror/"), "style-src "
           "http://mirror;"), "another origin, no port");
}

static void test_base(void)
{
    const char *base = NULL;
    static const char *const bad[] = {
        "graphiql/", "//cdn.example.com/", "ftp://x/", "https://",
        "http:///x", "/a b/", "/a\"b/", "/a'b/", "/a<b/", "/a;b/",
        "/a,b/", "/a\\b/", "/\x7f/", NULL
    };
    int i;

    ok(gql_graphiql_base(pool, "/assets", &base) == NULL, "a path");
    is_str(base, "/assets/", "a path: / appended");
    ok(gql_graphiql_base(pool, "https://h.example/x/", &base) == NULL,
       "an https URL");
    is_str(base, "https://h.example/x/", "an https URL as it is");
    ok(gql_graphiql_base(pool, "http://h:8080", &base) == NULL, "http");
    is_str(base, "http://h:8080/", "http: / appended");
    for (i = 0; bad[i]; i++) {
        ok(gql_graphiql_base(pool, bad[i], &base) != NULL, bad[i]);
    }
}

int main(void)
{
    apr_initialize();
    apr_pool_create(&pool, NULL);
    test_page();
    test_csp();
    test_base();
    apr_pool_destroy(pool);
    apr_terminate();
    return tap_done();
}
