#!/usr/bin/env node
// Licensed under the Apache License, Version 2.0 (the "License"); you may
// not use this file except in compliance with the License.  You may obtain
// a copy of the License at http://www.apache.org/licenses/LICENSE-2.0
//
// t/tools/expected.js: lets graphql-js 16.13.2 (the reference)
// decide what each parser case expects.  For every case directory it
// parses input.graphql and writes either `error` ("LINE:COL: message") or
// `expected.json` (the AST in the form of t/unit/ast_dump.h: graphql-js kinds
// and member names, "loc" as "LINE:COL", names as "value@LINE:COL", absent
// members left out).  The files are then kept as data; the C tests never
// run node.
//
//   npm install graphql@16.13.2   (anywhere outside the repository)
//   NODE_PATH=.../node_modules node t/tools/expected.js [CASE_DIR...]
//
// With no argument it regenerates every directory under t/cases/parser
// except those holding a file named `manual` (inputs graphql-js cannot
// read the way the C parser does, e.g. bytes that are not UTF-8).
'use strict';
const fs = require('fs');
const path = require('path');
const { parse, getLocation, Source } = require('./reference');

function convert(source, root) {
  const at = (node) => {
    const l = getLocation(source, node.loc.start);
    return `${l.line}:${l.column}`;
  };
  const nm = (n) => (n ? `${n.value}@${at(n)}` : undefined);
  const named = (t) => (t ? nm(t.name) : undefined);
  const keep = (o) => {
    for (const k of Object.keys(o)) {
      if (o[k] === undefined || o[k] === null
          || (Array.isArray(o[k]) && o[k].length === 0)) {
        delete o[k];
      }
    }
    return o;
  };
  const all = (arr) => (arr || []).map(conv);
  function conv(n) {
    if (!n) return undefined;
    const o = { kind: n.kind, loc: at(n) };
    switch (n.kind) {
      case 'Document':
        return { kind: n.kind, definitions: all(n.definitions) };
      case 'OperationDefinition':
        return keep(Object.assign(o, {
          description: conv(n.description), operation: n.operation,
          name: nm(n.name),
          variableDefinitions: all(n.variableDefinitions),
          directives: all(n.directives),
          selectionSet: conv(n.selectionSet) }));
      case 'VariableDefinition':
        return keep(Object.assign(o, {
          description: conv(n.description),
          variable: nm(n.variable.name), type: conv(n.type),
          defaultValue: conv(n.defaultValue),
          directives: all(n.directives) }));
      case 'SelectionSet':
        return keep(Object.assign(o, { selections: all(n.selections) }));
      case 'Field':
        return keep(Object.assign(o, {
          alias: nm(n.alias), name: nm(n.name),
          arguments: all(n.arguments), directives: all(n.directives),
          selectionSet: conv(n.selectionSet) }));
      case 'Argument':
      case 'ObjectField':
        return keep(Object.assign(o, { name: nm(n.name),
                                       value: conv(n.value) }));
      case 'FragmentSpread':
        return keep(Object.assign(o, { name: nm(n.name),
                                       directives: all(n.directives) }));
      case 'InlineFragment':
        return keep(Object.assign(o, {
          typeCondition: named(n.typeCondition),
          directives: all(n.directives),
          selectionSet: conv(n.selectionSet) }));
      case 'FragmentDefinition':
        return keep(Object.assign(o, {
          description: conv(n.description), name: nm(n.name),
          typeCondition: named(n.typeCondition),
          directives: all(n.directives),
          selectionSet: conv(n.selectionSet) }));
      case 'Variable':
        return Object.assign(o, { name: n.name.value });
      case 'IntValue':
      case 'FloatValue':
      case 'EnumValue':
      case 'BooleanValue':
        return Object.assign(o, { value: n.value });
      case 'StringValue':
        return Object.assign(o, { value: n.value, block: !!n.block });
      case 'NullValue':
        return o;
      case 'ListValue':
        return keep(Object.assign(o, { values: all(n.values) }));
      case 'ObjectValue':
        return keep(Object.assign(o, { fields: all(n.fields) }));
      case 'Directive':
        return keep(Object.assign(o, { name: nm(n.name),
                                       arguments: all(n.arguments) }));
      case 'NamedType':
        return Object.assign(o, { name: nm(n.name) });
      case 'ListType':
      case 'NonNullType':
        return Object.assign(o, { type: conv(n.type) });
      case 'SchemaDefinition':
      case 'SchemaExtension':
        return keep(Object.assign(o, {
          description: conv(n.description), directives: all(n.directives),
          operationTypes: all(n.operationTypes) }));
      case 'OperationTypeDefinition':
        return Object.assign(o, { operation: n.operation,
                                  type: named(n.type) });
      case 'FieldDefinition':
        return keep(Object.assign(o, {
          description: conv(n.description), name: nm(n.name),
          arguments: all(n.arguments), type: conv(n.type),
          directives: all(n.directives) }));
      case 'InputValueDefinition':
        return keep(Object.assign(o, {
          description: conv(n.description), name: nm(n.name),
          type: conv(n.type), defaultValue: conv(n.defaultValue),
          directives: all(n.directives) }));
      case 'EnumValueDefinition':
        return keep(Object.assign(o, {
          description: conv(n.description), name: nm(n.name),
          directives: all(n.directives) }));
      case 'DirectiveDefinition':
        return keep(Object.assign(o, {
          description: conv(n.description), name: nm(n.name),
          arguments: all(n.arguments), repeatable: !!n.repeatable,
          locations: (n.locations || []).map(nm) }));
      default:
        // type definitions and extensions share their members
        return keep(Object.assign(o, {
          description: conv(n.description), name: nm(n.name),
          interfaces: (n.interfaces || []).map(named),
          directives: all(n.directives),
          fields: all(n.fields),
          types: (n.types || []).map(named),
          values: all(n.values) }));
    }
  }
  return conv(root);
}

function run(dir) {
  const input = path.join(dir, 'input.graphql');
  const bytes = fs.readFileSync(input);
  const text = bytes.toString('utf8');
  if (!Buffer.from(text, 'utf8').equals(bytes)) {
    console.error(`${dir}: not UTF-8, mark it manual`);
    return;
  }
  const source = new Source(text);
  const errFile = path.join(dir, 'error');
  const jsonFile = path.join(dir, 'expected.json');
  let doc;
  try {
    doc = parse(source);
  } catch (e) {
    if (!e.locations) throw e;
    const l = e.locations[0];
    fs.writeFileSync(errFile, `${l.line}:${l.column}: ${e.message}\n`);
    fs.rmSync(jsonFile, { force: true });
    return;
  }
  fs.writeFileSync(jsonFile,
                   JSON.stringify(convert(source, doc), null, 1) + '\n');
  fs.rmSync(errFile, { force: true });
}

let dirs = process.argv.slice(2);
if (dirs.length === 0) {
  const root = path.join(__dirname, '..', 'cases', 'parser');
  dirs = fs.readdirSync(root).sort().map((d) => path.join(root, d))
    .filter((d) => !fs.existsSync(path.join(d, 'manual')));
}
dirs.forEach(run);
