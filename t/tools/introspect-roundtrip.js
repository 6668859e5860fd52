#!/usr/bin/env node
// Licensed under the Apache License, Version 2.0 (the "License"); you may
// not use this file except in compliance with the License.  You may obtain
// a copy of the License at http://www.apache.org/licenses/LICENSE-2.0
//
// t/tools/introspect-roundtrip.js: the acceptance check of
// introspection.  For every full-* case of t/cases/introspect, the response
// mod_graphql's engine gave (written by the unit test when
// GQL_INTROSPECT_OUT names a directory) is fed to graphql-js's
// buildClientSchema, which must accept it, and printSchema of the result
// must equal printSchema(buildSchema(schema.graphql)).
//
//   mkdir -p OUT && GQL_INTROSPECT_OUT=OUT build/unit/gql_introspect
//   NODE_PATH=.../node_modules node t/tools/introspect-roundtrip.js OUT
//
// Prints one line per case and exits non-zero when any differs.
'use strict';
const fs = require('fs');
const path = require('path');
const { buildSchema, buildClientSchema, printSchema } = require('./reference');

const out = process.argv[2];
const root = path.join(__dirname, '..', 'cases', 'introspect');
let failed = 0;
let passed = 0;
for (const name of fs.readdirSync(root).sort()) {
  if (!name.startsWith('full-')) continue;
  const sdl = fs.readFileSync(path.join(root, name, 'schema.graphql'), 'utf8');
  const want = printSchema(buildSchema(sdl));
  let got;
  try {
    const res = JSON.parse(fs.readFileSync(path.join(out, name + '.json'),
                                           'utf8'));
    if (res.errors) throw new Error(JSON.stringify(res.errors));
    got = printSchema(buildClientSchema(res.data));
  } catch (e) {
    console.log(`not ok - ${name}: ${e.message}`);
    failed++;
    continue;
  }
  if (got === want) {
    console.log(`ok - ${name}`);
    passed++;
  } else {
    console.log(`not ok - ${name}: printSchema differs`);
    failed++;
  }
}
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
