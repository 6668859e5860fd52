#!/usr/bin/env node
// Licensed under the Apache License, Version 2.0 (the "License"); you may
// not use this file except in compliance with the License.  You may obtain
// a copy of the License at http://www.apache.org/licenses/LICENSE-2.0
//
// t/tools/coerce-expected.js: lets graphql-js 16.13.2 decide the coercion
// cases of t/cases/coerce.  cases.in.json lists inputs over the types of
// schema.graphql; this writes cases.json, each with its "expected":
//
//   kind "variable": getVariableValues for `$v: TYPE` and {v: value}
//                    (value absent: no v given) -> {value} or {errors}
//   kind "literal":  valueFromAST(parseValue(literal), TYPE, variables)
//                    -> {value} or {invalid: true}
//   kind "result":   TYPE.serialize(value) -> {value} or {error}
//
//   NODE_PATH=.../node_modules node t/tools/coerce-expected.js
'use strict';
const fs = require('fs');
const path = require('path');
const g = require('./reference');
const { getVariableValues } = require('graphql/execution/values');

const dir = path.join(__dirname, '..', 'cases', 'coerce');
const schema = g.buildSchema(fs.readFileSync(path.join(dir, 'schema.graphql'),
                                             'utf8'));
const cases = JSON.parse(fs.readFileSync(path.join(dir, 'cases.in.json'),
                                         'utf8'));
const typeOf = (t) => g.typeFromAST(schema, g.parseType(t));

function expected(c) {
  if (c.kind === 'variable') {
    const doc = g.parse(`query ($v: ${c.type}) { a }`);
    const r = getVariableValues(schema,
      doc.definitions[0].variableDefinitions,
      'value' in c ? { v: c.value } : {}, { maxErrors: 50 });
    return r.errors ? { errors: r.errors.map((e) => e.message) }
                    : { value: r.coerced };
  }
  if (c.kind === 'literal') {
    const v = g.valueFromAST(g.parseValue(c.literal), typeOf(c.type),
                             c.variables);
    return v === undefined ? { invalid: true } : { value: v };
  }
  try {
    return { value: typeOf(c.type).serialize(c.value) };
  } catch (e) {
    return { error: e.message };
  }
}

const out = cases.map((c) => Object.assign({}, c, {
  expected: JSON.parse(JSON.stringify(expected(c))) }));
fs.writeFileSync(path.join(dir, 'cases.json'),
                 JSON.stringify(out, null, 1) + '\n');
