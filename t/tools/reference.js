// Licensed under the Apache License, Version 2.0 (the "License"); you may
// not use this file except in compliance with the License.  You may obtain
// a copy of the License at http://www.apache.org/licenses/LICENSE-2.0
//
// t/tools/reference.js: the one reference implementation every script in
// t/tools asks for.  The project's expected outputs come from graphql-js
// 16.13.2 exactly: 16.14 added the deprecation of directives
// (__Directive.isDeprecated, the DIRECTIVE_DEFINITION location,
// __Schema.directives(includeDeprecated:)), which the specification does
// not have.  Any other version refuses to run, so that no expected file is
// ever written by another one.  See t/tools/README.
//
//   const g = require('./reference');   // the graphql module itself
'use strict';

const WANT = '16.13.2';

function refuse(msg) {
  console.error(`${msg}\n` +
    `The reference is graphql-js ${WANT}, exactly.  Install it outside ` +
    `the repository\n  (npm install graphql@${WANT}) and run with ` +
    'NODE_PATH=DIR/node_modules (t/tools/README).');
  process.exit(2);
}

let g;
try {
  g = require('graphql');
} catch (e) {
  refuse('graphql is not installed where NODE_PATH points.');
}
if (g.version !== WANT) {
  refuse(`graphql ${g.version} found (${require.resolve('graphql')}).`);
}

module.exports = g;
