// Licensed under the Apache License, Version 2.0 (the "License"); you may
// not use this file except in compliance with the License.  You may obtain
// a copy of the License at http://www.apache.org/licenses/LICENSE-2.0
//
// t/http/browser/graphiql.js BASE_URL: GraphiQL in Debian's chromium,
// headless, driven by playwright-core (NODE_PATH names its node_modules;
// t/http/browser.t installs it).  Every request to a host other than
// 127.0.0.1 is refused in the browser: no network but this httpd.  Prints
// one JSON object of what it saw, for browser.t to judge:
//   local:   /graphiql-local, assets from this httpd: whether GraphiQL
//            rendered, the query typed into its editor, the response
//            pane's text after running it, the documentation explorer's
//            text (root types, then Query's fields)
//   missing: /graphiql-missing, assets that are not there: the page's text
//   cdn:     /graphql, the CDN's assets (refused here): the page's text
//   blocked: the URLs refused
'use strict';
const { chromium } = require('playwright-core');

const base = process.argv[2];
const out = { local: {}, blocked: [] };

async function main() {
    const browser = await chromium.launch({
        executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
        // Chromium's sandbox cannot start as root (CI and the test
        // machines run the tests as root): --no-sandbox there.
        args: process.getuid && process.getuid() === 0 ? ['--no-sandbox']
                                                       : [],
        timeout: 20000,
    });
    try {
        const ctx = await browser.newContext();
        await ctx.route('**/*', (route) => {
            const url = new URL(route.request().url());
            if (url.hostname === '127.0.0.1') {
                return route.continue();
            }
            out.blocked.push(url.href);
            return route.abort('blockedbyclient');
        });
        const page = await ctx.newPage();
        page.setDefaultTimeout(10000);
        await local(page);
        out.missing = await alertText(page, base + '/graphiql-missing');
        out.cdn = await alertText(page, base + '/graphql');
    } finally {
        await browser.close();
    }
}

async function local(page) {
    const errors = [];
    page.on('pageerror', (e) => errors.push(String(e)));
    await page.goto(base + '/graphiql-local');
    await page.waitForSelector('.graphiql-container');
    out.local.rendered = true;
    const editor = page.locator('.graphiql-query-editor .CodeMirror');
    await editor.click();
    await page.keyboard.press('Control+A');
    await page.keyboard.press('Delete');
    await page.keyboard.type('query Typed { __typename count');
    out.local.query = await page.evaluate(() => document.querySelector(
        '.graphiql-query-editor .CodeMirror').CodeMirror.getValue());
    await page.click('.graphiql-execute-button');
    await page.waitForFunction(() => /__typename/.test(document
        .querySelector('.graphiql-response').textContent));
    out.local.response = await page.evaluate(() => document.querySelector(
        '.graphiql-response .CodeMirror').CodeMirror.getValue());
    await page.click('[aria-label="Show Documentation Explorer"]');
    const docs = page.locator('.graphiql-doc-explorer');
    await docs.getByText('Query', { exact: true }).first().waitFor();
    out.local.docs = await docs.innerText();
    await docs.getByText('Query', { exact: true }).first().click();
    await docs.getByText('user', { exact: true }).first().waitFor();
    out.local.query_docs = await docs.innerText();
    out.local.errors = errors.slice();
}

// The page's text once its alert shows (or after 15 s).
async function alertText(page, url) {
    await page.goto(url);
    await page.waitForSelector('[role="alert"]', { timeout: 15000 })
        .catch(() => {});
    return page.locator('body').innerText();
}

const watchdog = setTimeout(() => {
    out.error = 'timed out';
    console.log(JSON.stringify(out));
    process.exit(1);
}, 50000);

main().then(() => {
    clearTimeout(watchdog);
    console.log(JSON.stringify(out));
}, (e) => {
    clearTimeout(watchdog);
    out.error = String(e && e.stack || e);
    console.log(JSON.stringify(out));
    process.exit(1);
});
