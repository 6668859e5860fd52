# Licensed under the Apache License, Version 2.0 (the "License"); you may
# not use this file except in compliance with the License.  You may obtain
# a copy of the License at http://www.apache.org/licenses/LICENSE-2.0
#
# t/http/execute.t: execution through the server: variables over POST and
# GET, a bad variable (a request error: no data), a validation error,
# GraphQLIntrospection On and Off (merged into a nested <Location>), and
# fields under a root field that nothing maps (null).
use strict;
use warnings;
use FindBin;
use lib "$FindBin::Bin/lib";
use GqlTest;
use Test::More;

use constant ACCEPT_JSON => 'application/json';

my $byid = 'query ($id: ID!, $n: Boolean!) '
         . '{ user(id: $id) { id name } n: __typename @include(if: $n) }';

my $r = gql_post('/graphql',
                 { query => $byid,
                   variables => { id => 5, n => JSON::PP::true } });
is($r->{status}, 200, 'variables over POST: 200');
is($r->{content}, '{"data":{"user":null,"n":"Query"}}',
   'variables over POST: coerced and used');

$r = gql_get('/graphql', { query => $byid,
                           variables => '{"id":"7","n":false}' });
is($r->{status}, 200, 'variables over GET: 200');
is($r->{content}, '{"data":{"user":null}}', 'variables over GET: used');

my $bad = { query => $byid, variables => { id => [], n => 1 } };
$r = gql_post('/graphql', $bad);
is($r->{status}, 400, 'bad variables: 400 under graphql-response+json');
is($r->{content}, '{"errors":[{"message":"Variable \"$id\" got invalid '
   . 'value []; ID cannot represent value: []","locations":[{"line":1,'
   . '"column":8}]},{"message":"Variable \"$n\" got invalid value 1; '
   . 'Boolean cannot represent a non boolean value: 1","locations":'
   . '[{"line":1,"column":18}]}]}', 'bad variables: every error, no data');
$r = gql_post('/graphql', $bad, accept => ACCEPT_JSON);
is($r->{status}, 200, 'bad variables: 200 under application/json');
ok(!exists json_body($r)->{data}, 'bad variables: no data member');

$r = gql_post('/graphql', { query => '{ user { id } }' });
is($r->{status}, 400, 'validation error: 400 under graphql-response+json');
is($r->{content}, '{"errors":[{"message":"Field \"user\" argument \"id\" '
   . 'of type \"ID!\" is required, but it was not provided.","locations":'
   . '[{"line":1,"column":3}]}]}', 'validation error: the message');
$r = gql_post('/graphql', { query => '{ user { id } }' }, accept => ACCEPT_JSON);
is($r->{status}, 200, 'validation error: 200 under application/json');

my $intro = '{ __schema { queryType { name } } }';
is(gql_post('/graphql', { query => $intro })->{content},
   '{"data":{"__schema":{"queryType":{"name":"Query"}}}}',
   'introspection is on by default');
$r = gql_post('/graphql/closed', { query => $intro });
is($r->{status}, 400, 'GraphQLIntrospection Off: 400');
is($r->{content}, '{"errors":[{"message":"GraphQL introspection has been '
   . 'disabled, but the requested query contained the field \"__schema\".",'
   . '"locations":[{"line":1,"column":3}]},{"message":"GraphQL '
   . 'introspection has been disabled, but the requested query contained '
   . 'the field \"queryType\".","locations":[{"line":1,"column":14}]}]}',
   'GraphQLIntrospection Off: validation errors, as graphql-js words them');
is(gql_post('/graphql/closed', { query => '{ hello }' })->{content},
   '{"data":{"hello":null}}', 'GraphQLIntrospection Off: queries still run');

is(gql_post('/graphql', { query => '{ user(id: 1) { id name } count }' })
   ->{content}, '{"data":{"user":null,"count":null}}',
   'fields under an unmapped root field: null');

$r = gql_get('/mutable', { query => 'mutation { bump }' });
is($r->{status}, 405, 'a mutation over GET: 405');
$r = gql_get('/mutable', { query => 'mutation M($n: Int) { bump(by: $n) }',
                           variables => '{"n":"many"}' });
is($r->{status}, 405, 'a mutation over GET with a bad variable: still 405, '
   . 'before its variables are looked at');

done_testing();
