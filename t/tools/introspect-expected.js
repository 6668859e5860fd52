#!/usr/bin/env node
// Licensed under the Apache License, Version 2.0 (the "License"); you may
// not use this file except in compliance with the License.  You may obtain
// a copy of the License at http://www.apache.org/licenses/LICENSE-2.0
//
// t/tools/introspect-expected.js: lets graphql-js 16.13.2 (the reference
// implementation) decide what each introspection case expects.  A case
// directory under t/cases/introspect holds schema.graphql, query.graphql
// and optionally variables.json; this writes expected.json, the result of
// graphql({schema: buildSchema(sdl), source, variableValues}) as compact
// JSON.  For the cases named full-*, query.graphql is written first: the
// text of getIntrospectionQuery() with every option GraphiQL may turn on.
// The files are then kept as data; the C tests never run node.
//
// The reference is graphql-js 16.13.2 (t/tools/reference.js): 16.14
// added the deprecation of directives (__Directive.isDeprecated,
// DIRECTIVE_DEFINITION), which the specification does not have and the
// schema's introspection types (src/gql_schema.c) leave out.
//
//   npm install graphql@16.13.2   (anywhere outside the repository)
//   NODE_PATH=.../node_modules node t/tools/introspect-expected.js [CASE...]
'use strict';
const fs = require('fs');
const path = require('path');
const {
  buildSchema, graphqlSync, getIntrospectionQuery,
} = require('./reference');

const FULL = {
  descriptions: true,
  specifiedByUrl: true,
  directiveIsRepeatable: true,
  schemaDescription: true,
  inputValueDeprecation: true,
  oneOf: true,
};

function run(dir) {
  const name = path.basename(dir);
  const sdl = fs.readFileSync(path.join(dir, 'schema.graphql'), 'utf8');
  if (name.startsWith('full-')) {
    fs.writeFileSync(path.join(dir, 'query.graphql'),
                     getIntrospectionQuery(FULL) + '\n');
  }
  const source = fs.readFileSync(path.join(dir, 'query.graphql'), 'utf8');
  const vfile = path.join(dir, 'variables.json');
  const variableValues = fs.existsSync(vfile)
    ? JSON.parse(fs.readFileSync(vfile, 'utf8')) : undefined;
  const schema = buildSchema(sdl);
  const result = graphqlSync({ schema, source, variableValues });
  fs.writeFileSync(path.join(dir, 'expected.json'),
                   JSON.stringify(result) + '\n');
}

const root = path.join(__dirname, '..', 'cases', 'introspect');
const dirs = process.argv.length > 2
  ? process.argv.slice(2)
  : fs.readdirSync(root).sort().map((d) => path.join(root, d));
for (const d of dirs) {
  run(d);
}
