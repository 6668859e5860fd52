#!/usr/bin/env node
// Licensed under the Apache License, Version 2.0 (the "License"); you may
// not use this file except in compliance with the License.  You may obtain
// a copy of the License at http://www.apache.org/licenses/LICENSE-2.0
//
// t/tools/schema-expected.js: lets graphql-js 16.13.2 (the reference)
// decide what each schema case expects, in the form t/unit/gql_schema.c
// reads.  A case directory under t/cases/schema holds SDL files
// (*.graphql, taken in name order as one schema) and gets either
//
//   errors     every error, one per line, "FILE:LINE:COL: message"
//              ("FILE: message" with no location, FILE then being the
//              first file), sorted by file, line, column and message
//   expected   the built schema as the unit test's dump() prints it
//
// graphql-js's answer: each file parsed (every syntax error reported),
// then validateSDL on the whole as an extension of the built-ins (so that
// redefining String is an error, as in src/gql_schema.c); when that finds
// nothing, buildASTSchema builds it and validateSchema checks it.  The
// files are then kept as data; the C tests never run node.
//
// A case holding a file named `manual` is left alone: the spec-* cases
// check what the specification asks and graphql-js 16 does not, and were
// checked by hand.
//
//   npm install graphql@16.13.2   (anywhere outside the repository)
//   NODE_PATH=.../node_modules node t/tools/schema-expected.js [CASE_DIR...]
'use strict';
const fs = require('fs');
const path = require('path');
const g = require('./reference');
const { validateSDL } = require('graphql/validation/validate');

// The unit test's quote(): " and \ escaped, newline as \n, other control
// characters as \u00XX, everything else as is.
function quote(s) {
  let out = '"';
  for (const ch of s) {
    const c = ch.codePointAt(0);
    if (ch === '"' || ch === '\\') {
      out += '\\' + ch;
    } else if (ch === '\n') {
      out += '\\n';
    } else if (c < 0x20) {
      out += '\\u' + c.toString(16).padStart(4, '0');
    } else {
      out += ch;
    }
  }
  return out + '"';
}

const deprecated = (r) => (r == null ? '' : ` deprecated ${quote(r)}`);
const description = (indent, d) =>
  (d == null ? '' : `${indent}description ${quote(d)}\n`);

function inputValue(v) {
  const dv = v.astNode && v.astNode.defaultValue;
  return `${v.name}: ${v.type}${dv ? ' = ' + g.print(dv) : ''}` +
    deprecated(v.deprecationReason);
}

function args(a) {
  return a.length ? `(${a.map(inputValue).join(', ')})` : '';
}

function kind(t) {
  if (g.isScalarType(t)) return 'SCALAR';
  if (g.isObjectType(t)) return 'OBJECT';
  if (g.isInterfaceType(t)) return 'INTERFACE';
  if (g.isUnionType(t)) return 'UNION';
  if (g.isEnumType(t)) return 'ENUM';
  return 'INPUT_OBJECT';
}

function dumpType(schema, t) {
  const ifaces = t.getInterfaces ? t.getInterfaces() : [];
  let out = `${kind(t)} ${t.name}` +
    (ifaces.length ? ' implements ' + ifaces.map((i) => i.name)
      .join(' & ') : '') +
    (t.specifiedByURL != null ? ` specifiedBy ${quote(t.specifiedByURL)}`
      : '') +
    (t.isOneOf ? ' oneOf' : '') + '\n' + description('  ', t.description);
  if (t.getFields && !g.isInputObjectType(t)) {
    for (const f of Object.values(t.getFields())) {
      out += `  field ${f.name}${args(f.args)}: ${f.type}` +
        deprecated(f.deprecationReason) + '\n' +
        description('    ', f.description);
    }
  }
  if (g.isAbstractType(t)) {
    out += '  possible ' +
      schema.getPossibleTypes(t).map((p) => p.name).join(', ') + '\n';
  }
  if (g.isEnumType(t)) {
    for (const v of t.getValues()) {
      out += `  value ${v.name}${deprecated(v.deprecationReason)}\n` +
        description('    ', v.description);
    }
  }
  if (g.isInputObjectType(t)) {
    for (const f of Object.values(t.getFields())) {
      out += `  input ${inputValue(f)}\n` + description('    ', f.description);
    }
  }
  return out;
}

function dump(schema) {
  const root = (t) => (t ? t.name : '-');
  let out = `schema query=${root(schema.getQueryType())}` +
    ` mutation=${root(schema.getMutationType())}` +
    ` subscription=${root(schema.getSubscriptionType())}\n`;
  for (const d of schema.getDirectives()) {
    if (!g.isSpecifiedDirective(d)) {
      out += `directive @${d.name}${args(d.args)}` +
        (d.isRepeatable ? ' repeatable' : '') +
        ` on ${d.locations.join(' | ')}\n` + description('  ', d.description);
    }
  }
  for (const t of Object.values(schema.getTypeMap())) {
    if (!g.isSpecifiedScalarType(t) && !g.isIntrospectionType(t)) {
      out += dumpType(schema, t);
    }
  }
  return out;
}

// The unit test's order: by file (in the order given), line, column,
// then message; errors with no location first.
function format(errors, files) {
  const rows = errors.map((e, seq) => {
    const loc = e.locations && e.locations[0];
    const src = loc && e.source ? e.source.name : files[0];
    return {
      file: loc ? files.indexOf(src) + 1 : 0,
      line: loc ? loc.line : 0,
      column: loc ? loc.column : 0,
      seq,
      text: loc ? `${src}:${loc.line}:${loc.column}: ${e.message}`
        : `${src}: ${e.message}`,
      message: e.message,
    };
  });
  rows.sort((a, b) => a.file - b.file || a.line - b.line ||
    a.column - b.column ||
    Buffer.compare(Buffer.from(a.message), Buffer.from(b.message)) ||
    a.seq - b.seq);
  return rows.map((r) => r.text + '\n').join('');
}

// What the user's SDL extends: the specified scalars, directives and
// introspection types, which it may use and extend but not redefine.
const BUILTINS = new g.GraphQLSchema({ types: g.specifiedScalarTypes });

function answer(dir) {
  const files = fs.readdirSync(dir).filter((f) => f.endsWith('.graphql'))
    .sort();
  const docs = [];
  const syntax = [];
  for (const f of files) {
    const text = fs.readFileSync(path.join(dir, f), 'utf8');
    try {
      docs.push(g.parse(new g.Source(text, f)));
    } catch (e) {
      if (!(e instanceof g.GraphQLError)) throw e;
      syntax.push(e);
    }
  }
  if (syntax.length) {
    return { errors: format(syntax, files) };
  }
  const doc = g.concatAST(docs);
  const sdl = validateSDL(doc, BUILTINS);
  if (sdl.length) {
    return { errors: format(sdl, files) };
  }
  const schema = g.buildASTSchema(doc, { assumeValidSDL: true });
  const rules = g.validateSchema(schema);
  if (rules.length) {
    return { errors: format(rules, files) };
  }
  return { expected: dump(schema) };
}

function run(dir) {
  const a = answer(dir);
  const errFile = path.join(dir, 'errors');
  const dumpFile = path.join(dir, 'expected');
  if (a.errors !== undefined) {
    fs.writeFileSync(errFile, a.errors);
    fs.rmSync(dumpFile, { force: true });
  } else {
    fs.writeFileSync(dumpFile, a.expected);
    fs.rmSync(errFile, { force: true });
  }
}

let dirs = process.argv.slice(2);
if (dirs.length === 0) {
  const root = path.join(__dirname, '..', 'cases', 'schema');
  dirs = fs.readdirSync(root).sort().map((d) => path.join(root, d))
    .filter((d) => !fs.existsSync(path.join(d, 'manual')));
}
dirs.forEach(run);
