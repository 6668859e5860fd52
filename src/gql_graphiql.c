/* Licensed under the Apache License, Version 2.0 (the "License"); you may
 * not use this file except in compliance with the License.  You may obtain
 * a copy of the License at http://www.apache.org/licenses/LICENSE-2.0
 */

/*
 * gql_graphiql.c: the GraphiQL page and its Content-Security-Policy, as
 * text; the glue sends them.
 */

#include "gql_graphiql.h"

/*
 * The GraphiQL page: React, ReactDOM and GraphiQL from a CDN, at pinned
 * versions, each with the Subresource Integrity hash of the file that the
 * npm package of that version holds (the CDN serves it byte for byte).  It
 * holds no request data: its fetcher POSTs to the page's own path, which
 * the browser knows (so it works behind a proxy that moves the endpoint),
 * with the headers typed in GraphiQL's headers editor (Authorization); a
 * subscription asks for text/event-stream and yields each next event's
 * result until complete (GraphQL over SSE, gql_sse.h).
 *
 * The Content-Security-Policy allows the CDN's origin for scripts and
 * styles, the one inline script by its SHA-256 (GRAPHIQL_SCRIPT_HASH: change
 * it with the script; t/http/graphiql.t checks that they agree), GraphiQL's
 * fonts and icons as data: URLs, and requests to this origin only.
 */
#define GRAPHIQL_CDN "https://cdn.jsdelivr.net"
#define GRAPHIQL_NPM GRAPHIQL_CDN "/npm/"

#define GRAPHIQL_SCRIPT \
    "\n" \
    "(function () {\n" \
    "  var endpoint = window.location.pathname;\n" \
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
    "  var root = document.getElementById('graphiql');\n" \
    "\n" \
    "  document.body.style.margin = '0';\n" \
    "  root.style.height = '100vh';\n" \
    "  ReactDOM.createRoot(root).render(\n" \
    "    React.createElement(GraphiQL, {\n" \
    "      fetcher: fetcher,\n" \
    "      defaultEditorToolsVisibility: 'headers'\n" \
    "    }));\n" \
    "})();\n"

#define GRAPHIQL_SCRIPT_HASH \
    "sha256-DGpxDkh9msKz5+E0KGeowZu/EcwtFHcoae8h+Ts8Glw="

#define GRAPHIQL_CSP \
    "default-src 'none'; script-src " GRAPHIQL_CDN " '" \
    GRAPHIQL_SCRIPT_HASH "'; style-src " GRAPHIQL_CDN "; font-src data:; " \
    "img-src data:; connect-src 'self'; base-uri 'none'; " \
    "form-action 'none'; frame-ancestors 'self'"

static const char page[] =
    "<!DOCTYPE html>\n"
    "<html lang=\"en\">\n"
    "<head>\n"
    "<meta charset=\"utf-8\">\n"
    "<meta name=\"viewport\" content=\"width=device-width, "
    "initial-scale=1\">\n"
    "<meta name=\"robots\" content=\"noindex\">\n"
    "<title>GraphiQL</title>\n"
    "<link rel=\"stylesheet\" crossorigin=\"anonymous\"\n"
    " href=\"" GRAPHIQL_NPM "graphiql@3.8.3/graphiql.min.css\"\n"
    " integrity=\"sha384-Mq3vbRBY71jfjQAt/DcjxUIYY33ksal4cgdRt9U/hNPvHBCaT2J"
    "fJ/PTRiPKf0aM\">\n"
    "</head>\n"
    "<body>\n"
    "<div id=\"graphiql\">Loading GraphiQL&hellip;</div>\n"
    "<noscript>GraphiQL needs JavaScript.</noscript>\n"
    "<script crossorigin=\"anonymous\"\n"
    " src=\"" GRAPHIQL_NPM "react@18.3.1/umd/react.production.min.js\"\n"
    " integrity=\"sha384-DGyLxAyjq0f9SPpVevD6IgztCFlnMF6oW/XQGmfe+IsZ8TqEiDr"
    "cHkMLKI6fiB/Z\"></script>\n"
    "<script crossorigin=\"anonymous\"\n"
    " src=\"" GRAPHIQL_NPM "react-dom@18.3.1/umd/"
    "react-dom.production.min.js\"\n"
    " integrity=\"sha384-gTGxhz21lVGYNMcdJOyq01Edg0jhn/c22nsx0kyqP0TxaV5WVds"
    "SH1fSDUf5YJj1\"></script>\n"
    "<script crossorigin=\"anonymous\"\n"
    " src=\"" GRAPHIQL_NPM "graphiql@3.8.3/graphiql.min.js\"\n"
    " integrity=\"sha384-HbRVEFG0JGJZeAHCJ9Xm2+tpknBQ7QZmNlO/DgZtkZ0aJSypT96"
    "YYGRNod99l9Ie\"></script>\n"
    "<script>" GRAPHIQL_SCRIPT "</script>\n"
    "</body>\n"
    "</html>\n";

const char *gql_graphiql_page(apr_size_t *len)
{
    *len = sizeof(page) - 1;
    return page;
}

const char *gql_graphiql_csp(void)
{
    return GRAPHIQL_CSP;
}
