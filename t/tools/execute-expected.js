#!/usr/bin/env node
// Licensed under the Apache License, Version 2.0 (the "License"); you may
// not use this file except in compliance with the License.  You may obtain
// a copy of the License at http://www.apache.org/licenses/LICENSE-2.0
//
// t/tools/execute-expected.js: lets graphql-js 16.13.2 decide what each
// execution case expects.  A case directory holds schema.graphql,
// query.graphql, and optionally variables.json, operation (the
// operationName) and data.json (the root value; objects of abstract types
// carry __typename).  This writes expected.json: the whole response of
//
//   graphql({ schema: buildSchema(sdl), source, rootValue,
//             variableValues, operationName,
//             typeResolver: (v) => v.__typename })
//
// as JSON.stringify writes it.  The file is then kept as data; the C tests
// never run node.
//
//   npm install graphql@16.13.2   (anywhere outside the repository)
//   NODE_PATH=.../node_modules node t/tools/execute-expected.js [CASE_DIR...]
//
// With no argument it regenerates every directory under t/cases/execute.
'use strict';
const fs = require('fs');
const path = require('path');
const { graphqlSync, buildSchema } = require('./reference');

function read(dir, name) {
  const f = path.join(dir, name);
  return fs.existsSync(f) ? fs.readFileSync(f, 'utf8') : undefined;
}

function expect(dir) {
  const sdl = read(dir, 'schema.graphql');
  const source = read(dir, 'query.graphql');
  const vars = read(dir, 'variables.json');
  const data = read(dir, 'data.json');
  const op = read(dir, 'operation');
  const result = graphqlSync({
    schema: buildSchema(sdl),
    source,
    rootValue: data === undefined ? undefined : JSON.parse(data),
    variableValues: vars === undefined ? undefined : JSON.parse(vars),
    operationName: op === undefined ? undefined : op.trim(),
    typeResolver: (v) => (v == null ? undefined : v.__typename),
  });
  fs.writeFileSync(path.join(dir, 'expected.json'),
                   JSON.stringify(result) + '\n');
}

const root = path.join(__dirname, '..', 'cases', 'execute');
const dirs = process.argv.length > 2 ? process.argv.slice(2)
  : fs.readdirSync(root).sort().map((d) => path.join(root, d))
      .filter((d) => fs.statSync(d).isDirectory());
for (const d of dirs) {
  expect(d);
}
