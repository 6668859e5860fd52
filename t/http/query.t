# Licensed under the Apache License, Version 2.0 (the "License"); you may
# not use this file except in compliance with the License.  You may obtain
# a copy of the License at http://www.apache.org/licenses/LICENSE-2.0
#
# t/http/query.t: GraphQL requests that execute: __typename over POST and
# GET, aliases, @skip/@include, fragments on the root, null for schema
# fields, non-null propagation, validation and operation selection errors.
use strict;
use warnings;
use FindBin;
use lib "$FindBin::Bin/lib";
use GqlTest;
use Test::More;

sub post_body {
    my ($query, %more) = @_;
    my $r = gql_post('/graphql', { query => $query, %more });
    return $r->{content};
}

my $r = gql_post('/graphql', '{"query":"{ __typename }"}');
is($r->{status}, 200, 'POST { __typename }: 200');
is($r->{content}, '{"data":{"__typename":"Query"}}',
   'POST { __typename }: exact body');
is($r->{headers}{'content-type'}, GR,
   'no Accept: application/graphql-response+json');
is($r->{headers}{'cache-control'}, 'no-store', 'Cache-Control: no-store');
like($r->{headers}{vary} // '', qr/Accept/, 'Vary: Accept');

$r = gql_get('/graphql', { query => '{ __typename }' });
is($r->{status}, 200, 'GET { __typename }: 200');
is($r->{content}, '{"data":{"__typename":"Query"}}',
   'GET { __typename }: exact body');
$r = gql_get('/graphql', 'query=%7B+__typename+%7D');
is($r->{content}, '{"data":{"__typename":"Query"}}',
   'GET with + for spaces');

$r = gql_request('HEAD', '/graphql?query=%7B__typename%7D');
is($r->{status}, 200, 'HEAD: 200');
is($r->{content} // '', '', 'HEAD: no body');
is($r->{headers}{'content-length'}, 31, 'HEAD: the length of the GET body');

is(post_body('{ a: __typename b: __typename }'),
   '{"data":{"a":"Query","b":"Query"}}', 'aliases are response keys');
is(post_body('{ h: hello, c: count, h2: hello }'),
   '{"data":{"h":null,"c":null,"h2":null}}',
   'schema fields resolve to null, in selection order');
is(post_body('{ a: hello b: hello @skip(if: true) c: hello @include(if: '
             . 'false) d: hello @include(if: true) e: hello @skip(if: '
             . 'false) }'),
   '{"data":{"a":null,"d":null,"e":null}}', '@skip and @include literals');
is(post_body('query ($s: Boolean!, $i: Boolean = false) '
             . '{ a: __typename @skip(if: $s) b: __typename @include(if: $i)'
             . ' c: __typename @include(if: $s) }', variables => { s => \1 }),
   '{"data":{"c":"Query"}}', '@skip and @include with variables');
is(post_body('query ($s: Boolean!) { a: __typename @skip(if: $s) }'),
   '{"errors":[{"message":"Variable \"$s\" of required type \"Boolean!\" '
   . 'was not provided.","locations":[{"line":1,"column":8}]}]}',
   'a missing Boolean! variable');
is(post_body('{ hello ...on Query { count } ...F } '
             . 'fragment F on Query { __typename hello }'),
   '{"data":{"hello":null,"count":null,"__typename":"Query"}}',
   'inline fragment and fragment spread on the root, keys merged');

$r = gql_post('/graphql', { query => '{ hello version count }' });
is($r->{status}, 200, 'non-null propagation: 200');
is($r->{content},
   '{"errors":[{"message":"Cannot return null for non-nullable field '
   . 'Query.version.","locations":[{"line":1,"column":9}],'
   . '"path":["version"]}],"data":null}',
   'a null non-null root field makes data null, with path');
is(post_body('{ v: version }'),
   '{"errors":[{"message":"Cannot return null for non-nullable field '
   . 'Query.version.","locations":[{"line":1,"column":3}],'
   . '"path":["v"]}],"data":null}', 'the path uses the alias');

$r = gql_post('/graphql', { query => 'query { helo }' });
is($r->{status}, 400, 'unknown field: 400 under graphql-response+json');
is($r->{content},
   '{"errors":[{"message":"Cannot query field \"helo\" on type \"Query\". '
   . 'Did you mean \"hello\"?","locations":[{"line":1,"column":9}]}]}',
   'unknown field: FieldsOnCorrectTypeRule message, no data');
$r = gql_post('/graphql', { query => 'query { helo }' },
              accept => 'application/json');
is($r->{status}, 200, 'unknown field: 200 under application/json');
is($r->{headers}{'content-type'}, JSONT, 'application/json response');
is(post_body('{ zzz }'),
   '{"errors":[{"message":"Cannot query field \"zzz\" on type \"Query\"."'
   . ',"locations":[{"line":1,"column":3}]}]}', 'no suggestion');
is(post_body('{ ...Nope }'), '{"errors":[{"message":"Unknown fragment '
   . '\"Nope\".","locations":[{"line":1,"column":6}]}]}', 'unknown fragment');
is(post_body("type T { a: Int }\n{ hello }"),
   '{"errors":[{"message":"The \"T\" definition is not executable.",'
   . '"locations":[{"line":1,"column":1}]}]}',
   'type definitions are not executable');

$r = gql_post('/graphql', { query => '{ hello' });
is($r->{status}, 400, 'syntax error: 400 under graphql-response+json');
is($r->{content}, '{"errors":[{"message":"Syntax Error: Expected Name, '
   . 'found <EOF>.","locations":[{"line":1,"column":8}]}]}',
   'syntax error: message and location');
$r = gql_post('/graphql', { query => '{ hello' },
              accept => 'application/json');
is($r->{status}, 200, 'syntax error: 200 under application/json');
is(json_body($r)->{errors}[0]{locations}[0]{column}, 8,
   'syntax error under application/json: locations');
$r = gql_get('/graphql', { query => '{ hello' });
is($r->{status}, 400, 'syntax error over GET: 400');

my $two = 'query A { a: __typename } query B { b: __typename }';
is(post_body($two, operationName => 'B'), '{"data":{"b":"Query"}}',
   'operationName selects the operation');
$r = gql_get('/graphql', { query => $two, operationName => 'A' });
is($r->{content}, '{"data":{"a":"Query"}}', 'operationName over GET');
$r = gql_post('/graphql', { query => $two });
is($r->{status}, 400, 'several operations and no name: 400');
is($r->{content}, '{"errors":[{"message":"Must provide operation name if '
   . 'query contains multiple operations."}]}', 'several operations: message');
is(post_body($two, operationName => 'C'),
   '{"errors":[{"message":"Unknown operation named \"C\"."}]}',
   'unknown operation name');
is(post_body('fragment F on Query { hello }'),
   '{"errors":[{"message":"Fragment \"F\" is never used.","locations":'
   . '[{"line":1,"column":1}]}]}', 'no operation: validation says why');
$r = gql_post('/graphql', { query => $two }, accept => 'application/json');
is($r->{status}, 200, 'operation selection error: 200 under application/json');

$r = gql_post('/graphql', { query => 'mutation { bump }' });
is($r->{status}, 200, 'mutation without a Mutation type: 200, data null');
is($r->{content}, '{"errors":[{"message":"Schema is not configured to '
   . 'execute mutation operation.","locations":[{"line":1,"column":1}]}],'
   . '"data":null}', 'mutation without a Mutation type: message');
is(gql_post('/mutable', { query => 'mutation { bump __typename }' })
   ->{content}, '{"data":{"bump":null,"__typename":"Mutation"}}',
   'a mutation from the second schema file');
is(gql_post('/mutable', { query => '{ __typename }' })->{content},
   '{"data":{"__typename":"Query"}}', 'two files make one schema');

done_testing();
