#!/usr/bin/env node
// Licensed under the Apache License, Version 2.0 (the "License"); you may
// not use this file except in compliance with the License.  You may obtain
// a copy of the License at http://www.apache.org/licenses/LICENSE-2.0
//
// t/tools/validate-expected.js: lets graphql-js 16.13.2 (the reference
// implementation) decide what each validation case expects.  For every
// case directory under t/cases/validate it builds the schema
// (schema.graphql in the case, or _schemas/NAME.graphql when the case has
// a file `schema` holding NAME), parses query.graphql, runs validate()
// with the specified rules (plus NoSchemaIntrospectionCustomRule when the
// case has a file `introspection-off`) and writes errors.json: the errors
// as {message, locations}, `[]` for a valid document.  The files are then
// kept as data; the C tests never run node.
//
// A case holding a file named `manual` is left alone: the max-depth-*
// cases test GraphQLMaxDepth, a rule graphql-js does not have, and their
// errors.json was written by hand.
//
// The hostile-* cases are documents too large to write by hand (thousands
// of overlapping fields, long chains and cycles of fragments, deep
// nesting): this script writes their query.graphql first, from the
// generators below; t/unit/gql_validate.c checks their errors like any
// case's and also times them.
//
//   npm install graphql@16.13.2   (anywhere outside the repository)
//   NODE_PATH=.../node_modules node t/tools/validate-expected.js [CASE...]
'use strict';
const fs = require('fs');
const path = require('path');
const {
  buildSchema, parse, validate, specifiedRules,
  NoSchemaIntrospectionCustomRule,
} = require('./reference');

const root = path.join(__dirname, '..', 'cases', 'validate');
const schemas = {};

function schemaFor(dir) {
  const own = path.join(dir, 'schema.graphql');
  let file = own;
  if (!fs.existsSync(own)) {
    const name = fs.readFileSync(path.join(dir, 'schema'), 'utf8').trim();
    file = path.join(root, '_schemas', name + '.graphql');
  }
  if (!schemas[file]) {
    schemas[file] = buildSchema(fs.readFileSync(file, 'utf8'));
  }
  return schemas[file];
}

function run(dir) {
  const schema = schemaFor(dir);
  const query = fs.readFileSync(path.join(dir, 'query.graphql'), 'utf8');
  const rules = fs.existsSync(path.join(dir, 'introspection-off'))
    ? [...specifiedRules, NoSchemaIntrospectionCustomRule] : specifiedRules;
  const errors = validate(schema, parse(query), rules).map((e) => {
    const o = { message: e.message };
    if (e.locations && e.locations.length) {
      o.locations = e.locations.map((l) => ({ line: l.line,
                                              column: l.column }));
    }
    return o;
  });
  fs.writeFileSync(path.join(dir, 'errors.json'),
                   JSON.stringify(errors, null, 1) + '\n');
}

function repeat(n, f) {
  let out = '';
  for (let i = 0; i < n; i++) {
    out += f(i, i + 1);
  }
  return out;
}

const hostile = {
  'repeated-field': () => '{ complicatedArgs {' +
    repeat(2000, () => ' a: intArgField(intArg: 1)') + ' } }\n',
  'fragment-chain': () => '{ dog { ...F0 } }\n' +
    repeat(999, (i, j) => `fragment F${i} on Dog { x: name ...F${j} }\n`) +
    'fragment F999 on Dog { x: name }\n',
  'fragments-side-by-side': () => '{ dog {' +
    repeat(300, (i) => ` ...F${i}`) + ' } }\n' +
    repeat(300, (i) => `fragment F${i} on Dog { x: mother { name } ` +
                       `y${i}: name }\n`),
  'nested-selections': () => {
    const nested = repeat(400, () => 'mother { ') + 'name' +
      repeat(400, () => ' }');
    return '{ dog {' + repeat(30, (i) => ` a${i}: ${nested}`) + ' } }\n';
  },
  'fragment-cycles': () => '{ dog { ...F0 } }\n' +
    repeat(500, (i, j) => `fragment F${i} on Dog { mother { ...F${j} ` +
                          'name } father { ...F0 } }\n') +
    'fragment F500 on Dog { name }\n',
};

function writeHostile() {
  for (const [name, make] of Object.entries(hostile)) {
    const dir = path.join(root, 'hostile-' + name);
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(path.join(dir, 'schema'), 'main\n');
    fs.writeFileSync(path.join(dir, 'query.graphql'), make());
  }
}

if (process.argv.length <= 2) {
  writeHostile();
}
const cases = process.argv.length > 2
  ? process.argv.slice(2).map((d) => path.resolve(d))
  : fs.readdirSync(root).filter((n) => !n.startsWith('_'))
      .map((n) => path.join(root, n))
      .filter((d) => !fs.existsSync(path.join(d, 'manual')));
for (const dir of cases) {
  run(dir);
}
