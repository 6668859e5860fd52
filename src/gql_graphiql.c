/* Licensed under the Apache License, Version 2.0 (the "License"); you may
 * not use this file except in compliance with the License.  You may obtain
 * a copy of the License at http://www.apache.org/licenses/LICENSE-2.0
 */

/*
 * gql_graphiql.c: the GraphiQL page and its Content-Security-Policy, as
 * text, for assets from the CDN or from a base URL of the site's; the glue
 * sends them.
 */

#include <string.h>
#include <apr_strings.h>

#include "gql_graphiql.h"

/*
 * The GraphiQL page: React, ReactDOM and GraphiQL at pinned versions,
 * each with the Subresource Integrity hash of the file that the npm
 * package of that version holds (the CDN serves it byte for byte, and
 * `make -f Makefile.apxs graphiql-assets` extracts it and checks these
 * hashes).  Their paths under the base URL are the CDN's, so a local copy
 * has the same layout.  The page holds no request data: its fetcher POSTs
 * to the page's own path, which the browser knows (so it works behind a
 * proxy that moves the endpoint), with the headers typed in GraphiQL's
 * headers editor (Authorization); a subscription asks for
 * text/event-stream and yields each next event's result until complete
 * (GraphQL over SSE, gql_sse.h).
 *
 * The one inline script runs before the assets load: it renders GraphiQL
 * on the window's load event, and says so in the page instead when an
 * asset fails to load (a 404, a refused connection, a hash that does not
 * match: the error events, caught on the document) or when GraphiQL has
 * not started after LOAD_SECONDS (a host that never answers).
 *
 * The Content-Security-Policy allows the assets' origin (or 'self' for a
 * base that is a path) for scripts and styles, the inline script by its
 * SHA-256 (GRAPHIQL_SCRIPT_HASH: change it with the script;
 * t/http/graphiql.t checks that they agree), GraphiQL's fonts and icons
 * as data: URLs, and requests to this origin only.
 */
#define GRAPHIQL_CDN "https://cdn.jsdelivr.net"

#define GRAPHIQL_SCRIPT \
    "\n" \
    "(function () {\n" \
    "  var endpoint = window.location.pathname, done = false;\n" \
    "  var root = document.getElementById('graphiql');\n" \
    "\n" \
    "  function fail(why) {\n" \
    "    if (done) {\n" \
    "      return;\n" \
    "    }\n" \
    "    done = true;\n" \
    "    root.setAttribute('role', 'alert');\n" \
    "    root.textContent = 'GraphiQL cannot start: ' + why + '. Its ' +\n" \
    "      'scripts and styles come from GraphQLGraphiQLAssets (by ' +\n" \
    "      'default a CDN); the GraphQL endpoint itself still answers.';\n" \
    "  }\n" \
    "\n" \
    "  function request(params, opts, accept) {\n" \
    "    var headers = {\n" \
    "      'Content-Type': 'application/json', 'Accept': accept\n" \
    "    };\n" \
    "    var typed = (opts && opts.headers) || {};\n" \
    "\n" \
    "    Object.keys(typed).forEach(function (k) {\n" \
    "      headers[k] = typed[k];\n" \
    "    });\n" \
    "    return fetch(endpoint, {\n" \
    "      method: 'POST', headers: headers, credentials: 'same-origin',\n" \
    "      body: JSON.stringify(params)\n" \
    "    });\n" \
    "  }\n" \
    "\n" \
    "  async function* events(res) {\n" \
    "    var reader = res.body.getReader(), decoder = new TextDecoder();\n" \
    "    var buf = '';\n" \
    "\n" \
    "    for (;;) {\n" \
    "      var chunk = await reader.read(), at;\n" \
    "\n" \
    "      if (chunk.done) {\n" \
    "        return;\n" \
    "      }\n" \
    "      buf += decoder.decode(chunk.value, { stream: true });\n" \
    "      while ((at = buf.indexOf('\\n\\n')) >= 0) {\n" \
    "        var block = buf.slice(0, at), name = '', data = [];\n" \
    "\n" \
    "        buf = buf.slice(at + 2);\n" \
    "        block.split('\\n').forEach(function (line) {\n" \
    "          if (line.indexOf('event: ') === 0) {\n" \
    "            name = line.slice(7);\n" \
    "          } else if (line.indexOf('data: ') === 0) {\n" \
    "            data.push(line.slice(6));\n" \
    "          }\n" \
    "        });\n" \
    "        if (name === 'complete') {\n" \
    "          reader.cancel();\n" \
    "          return;\n" \
    "        }\n" \
    "        if (name === 'next') {\n" \
    "          yield JSON.parse(data.join('\\n'));\n" \
    "        }\n" \
    "      }\n" \
    "    }\n" \
    "  }\n" \
    "\n" \
    "  function fetcher(params, opts) {\n" \
    "    if (/^\\s*subscription\\b/m.test(params.query || '')) {\n" \
    "      return request(params, opts, 'text/event-stream')\n" \
    "        .then(function (res) {\n" \
    "          return res.ok ? events(res) : res.json();\n" \
    "        });\n" \
    "    }\n" \
    "    return request(params, opts,\n" \
    "                   'application/graphql-response+json, '\n" \
    "                   + 'application/json')\n" \
    "      .then(function (res) { return res.json(); });\n" \
    "  }\n" \
    "\n" \
    "  function start() {\n" \
    "    if (done) {\n" \
    "      return;\n" \
    "    }\n" \
    "    if (typeof GraphiQL === 'undefined') {\n" \
    "      fail('its scripts did not load');\n" \
    "      return;\n" \
    "    }\n" \
    "    done = true;\n" \
    "    document.body.style.margin = '0';\n" \
    "    root.style.height = '100vh';\n" \
    "    ReactDOM.createRoot(root).render(\n" \
    "      React.createElement(GraphiQL, {\n" \
    "        fetcher: fetcher,\n" \
    "        defaultEditorToolsVisibility: 'headers'\n" \
    "      }));\n" \
    "  }\n" \
    "\n" \
    "  document.addEventListener('error', function (e) {\n" \
    "    var t = e.target;\n" \
    "\n" \
    "    if (t && (t.src || t.href)) {\n" \
    "      fail('it could not load ' + (t.src || t.href));\n" \
    "    }\n" \
    "  }, true);\n" \
    "  window.addEventListener('load', start);\n" \
    "  setTimeout(function () {\n" \
    "    fail('its scripts did not load within 20 seconds');\n" \
    "  }, 20000);\n" \
    "})();\n"

#define GRAPHIQL_SCRIPT_HASH \
    "sha256-qnQM4VoHqLhTk5I925Cn7dC82+lDvElbroZnYMT9z8o="

/* The assets in the order the page loads them. */
static const struct asset {
    const char *path;               /* under the base URL */
    const char *sri;                /* the file's SHA-384 */
    int script;                     /* else a stylesheet */
} assets[] = {
    { "graphiql@3.8.3/graphiql.min.css",
      "sha384-Mq3vbRBY71jfjQAt/DcjxUIYY33ksal4cgdRt9U/hNPvHBCaT2JfJ/PTRiPKf0aM",
      0 },
    { "react@18.3.1/umd/react.production.min.js",
      "sha384-DGyLxAyjq0f9SPpVevD6IgztCFlnMF6oW/XQGmfe+IsZ8TqEiDrcHkMLKI6fiB/Z",
      1 },
    { "react-dom@18.3.1/umd/react-dom.production.min.js",
      "sha384-gTGxhz21lVGYNMcdJOyq01Edg0jhn/c22nsx0kyqP0TxaV5WVdsSH1fSDUf5YJj1",
      1 },
    { "graphiql@3.8.3/graphiql.min.js",
      "sha384-HbRVEFG0JGJZeAHCJ9Xm2+tpknBQ7QZmNlO/DgZtkZ0aJSypT96YYGRNod99l9Ie",
      1 },
};
#define NASSETS (sizeof(assets) / sizeof(assets[0]))

static const char head[] =
    "<!DOCTYPE html>\n"
    "<html lang=\"en\">\n"
    "<head>\n"
    "<meta charset=\"utf-8\">\n"
    "<meta name=\"viewport\" content=\"width=device-width, "
    "initial-scale=1\">\n"
    "<meta name=\"robots\" content=\"noindex\">\n"
    "<title>GraphiQL</title>\n";

static const char body[] =
    "</head>\n"
    "<body>\n"
    "<div id=\"graphiql\">Loading GraphiQL&hellip;</div>\n"
    "<noscript>GraphiQL needs JavaScript.</noscript>\n"
    "<script>" GRAPHIQL_SCRIPT "</script>\n";

/* <link rel="stylesheet" ...> or <script ...></script> for one asset. */
static const char *tag(apr_pool_t *p, const char *base,
                       const struct asset *a)
{
    if (a->script) {
        return apr_pstrcat(p, "<script crossorigin=\"anonymous\"\n src=\"",
                           base, a->path, "\"\n integrity=\"", a->sri,
                           "\"></script>\n", NULL);
    }
    return apr_pstrcat(p, "<link rel=\"stylesheet\" crossorigin=\"anonymous\""
                       "\n href=\"", base, a->path, "\"\n integrity=\"",
                       a->sri, "\">\n", NULL);
}

const char *gql_graphiql_page(apr_pool_t *p, const char *base,
                              apr_size_t *len)
{
    const char *page = head;
    apr_size_t i;

    base = base ? base : GRAPHIQL_CDN "/npm/";
    for (i = 0; i < NASSETS; i++) {
        if (!assets[i].script) {
            page = apr_pstrcat(p, page, tag(p, base, &assets[i]), NULL);
        }
    }
    page = apr_pstrcat(p, page, body, NULL);
    for (i = 0; i < NASSETS; i++) {
        if (assets[i].script) {
            page = apr_pstrcat(p, page, tag(p, base, &assets[i]), NULL);
        }
    }
    page = apr_pstrcat(p, page, "</body>\n</html>\n", NULL);
    *len = strlen(page);
    return page;
}

/* The CSP source of the assets: an absolute base's origin
 * (scheme://host[:port]), 'self' for a path. */
static const char *source(apr_pool_t *p, const char *base)
{
    const char *host;

    if (base == NULL) {
        return GRAPHIQL_CDN;
    }
    host = strstr(base, "://");
    if (host == NULL) {
        return "'self'";
    }
    host += 3;
    return apr_pstrndup(p, base, (apr_size_t)(host - base)
                                 + strcspn(host, "/"));
}

const char *gql_graphiql_csp(apr_pool_t *p, const char *base)
{
    const char *src = source(p, base);

    return apr_pstrcat(p, "default-src 'none'; script-src ", src,
                       " '" GRAPHIQL_SCRIPT_HASH "'; style-src ", src,
                       "; font-src data:; img-src data:; connect-src 'self'; "
                       "base-uri 'none'; form-action 'none'; "
                       "frame-ancestors 'self'", NULL);
}

const char *gql_graphiql_base(apr_pool_t *p, const char *url,
                              const char **base)
{
    const char *host = NULL, *s;

    if (strncmp(url, "https://", 8) == 0) {
        host = url + 8;
    }
    else if (strncmp(url, "http://", 7) == 0) {
        host = url + 7;
    }
    else if (url[0] != '/' || url[1] == '/') {
        return "must be a path (/graphiql/) or an http:// or https:// URL";
    }
    if (host != NULL && (*host == '\0' || *host == '/')) {
        return "names no host";
    }
    for (s = url; *s; s++) {
        if (*s <= ' ' || *s >= 0x7f || strchr("\"'<>\\;,`", *s)) {
            return "has a space, a control character, a quote, <, >, \\, "
                   "; or , (write them %-encoded)";
        }
    }
    *base = s[-1] == '/' ? url : apr_pstrcat(p, url, "/", NULL);
    return NULL;
}
