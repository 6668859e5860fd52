// Licensed under the Apache License, Version 2.0 (the "License"); you may
// not use this file except in compliance with the License.  You may obtain
// a copy of the License at http://www.apache.org/licenses/LICENSE-2.0
//
// bench/graphql-js.mjs: what bench/engine.c measures, done by graphql-js
// 16 on the same inputs: parse, validate, execute (default resolvers over
// bench/root.json; the response serialised) and the three together, for
// bench/query.graphql and for GraphiQL's full introspection query, on
// bench/schema.graphql.  Run from the project root:
//
//   NODE_PATH=.../node_modules node bench/graphql-js.mjs [SECONDS]
//
// It measures and prints; it never fails on a timing.
import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';

// require() honours NODE_PATH, import does not.
const require = createRequire(import.meta.url);
const { buildSchema, parse, validate, execute, version } = require('graphql');

const seconds = Number(process.argv[2] || 1);
const read = (f) => readFileSync(f, 'utf8');
const schema = buildSchema(read('bench/schema.graphql'));

function once(source, rootValue, times) {
  const t0 = performance.now();
  const doc = parse(source);
  const t1 = performance.now();
  const errors = validate(schema, doc);
  const t2 = performance.now();
  if (errors.length) throw new Error(errors[0].message);
  const res = execute({ schema, document: doc, rootValue,
                        variableValues: {} });
  JSON.stringify(res);
  const t3 = performance.now();
  if (res.errors) throw new Error(res.errors[0].message);
  times[0] += t1 - t0;
  times[1] += t2 - t1;
  times[2] += t3 - t2;
  times[3] += t3 - t0;
}

// As many operations as fit in the time given, after as long a warm-up
// (the JIT compiles the hot paths first).
function run(name, source, rootValue) {
  const times = [0, 0, 0, 0];
  const stages = ['parse', 'validate', 'execute', 'total'];
  let n = 0;
  for (const t = performance.now(); performance.now() - t < seconds * 1000;) {
    once(source, rootValue, [0, 0, 0, 0]);
  }
  for (const t = performance.now(); performance.now() - t < seconds * 1000;) {
    once(source, rootValue, times);
    n++;
  }
  for (let i = 0; i < 4; i++) {
    const ops = Math.round(n / (times[i] / 1000)).toString();
    console.log(`${name.padEnd(14)} ${stages[i].padEnd(9)} `
                + `${ops.padStart(10)} ops/s  (${n} ops)`);
  }
}

console.log(`graphql-js ${version}, in process `
            + `(${seconds.toFixed(1)} s per query)`);
run('query', read('bench/query.graphql'), JSON.parse(read('bench/root.json')));
run('introspection',
    read('t/cases/introspect/full-hackernews/query.graphql'), undefined);
