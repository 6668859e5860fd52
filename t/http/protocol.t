# Licensed under the Apache License, Version 2.0 (the "License"); you may
# not use this file except in compliance with the License.  You may obtain
# a copy of the License at http://www.apache.org/licenses/LICENSE-2.0
#
# t/http/protocol.t: GraphQL over HTTP around the document: methods
# (OPTIONS answered, others but GET and POST 405), request and response
# media types, bad bodies and parameters, body size limits, and URIs that
# do not depend on the filesystem.
use strict;
use warnings;
use FindBin;
use lib "$FindBin::Bin/lib";
use GqlTest;
use IO::Socket::INET;
use Test::More;

# A request error: status, content type, the one message.
sub request_error {
    my ($r, $status, $message, $name) = @_;
    is($r->{status}, $status, "$name: $status");
    my $b = json_body($r);
    is_deeply($b, { errors => [{ message => $message }] },
              "$name: GraphQL errors body")
        or diag($r->{content});
}

my $q = '{"query":"{ __typename }"}';
my $r;

for my $m (qw(PUT DELETE PATCH)) {
    $r = gql_request($m, '/graphql', { 'content-type' => 'application/json' },
                     $q);
    request_error($r, 405, "Method $m is not allowed: use GET or POST.", $m);
    is($r->{headers}{allow}, 'GET, HEAD, POST, OPTIONS', "$m: Allow");
}
is($r->{headers}{'content-type'}, GR, '405 body is GraphQL JSON');
$r = gql_request('OPTIONS', '/graphql');
is($r->{status}, 204, 'OPTIONS: 204 (t/http/cors.t has more)');
is($r->{headers}{allow}, 'GET, HEAD, POST, OPTIONS', 'OPTIONS: Allow');

$r = gql_get('/mutable', { query => 'mutation { bump }' });
request_error($r, 405, 'Can only perform a mutation operation from a POST '
              . 'request.', 'mutation over GET');
is($r->{headers}{allow}, 'POST', 'mutation over GET: Allow: POST');
$r = gql_get('/mutable', { query => 'query A { hello } mutation B { bump }',
                           operationName => 'A' });
is($r->{status}, 200, 'a query next to a mutation is fine over GET');

for my $ct ('text/plain', 'application/graphql',
            'application/x-www-form-urlencoded',
            'application/json; charset=latin1') {
    $r = gql_request('POST', '/graphql', { 'content-type' => $ct }, $q);
    request_error($r, 415, 'Unsupported media type: a GraphQL POST must have '
                  . 'Content-Type: application/json.', "Content-Type $ct");
}
$r = gql_request('POST', '/graphql', {}, $q);
is($r->{status}, 415, 'no Content-Type: 415');
$r = gql_post('/graphql', $q, 'content-type' => 'application/json; '
              . 'charset=UTF-8');
is($r->{status}, 200, 'Content-Type with charset=UTF-8: 200');

my @bad = (
    ['{"query":', 'Request body is not valid JSON: unexpected end of data at '
     . 'byte 9.', 'truncated JSON'],
    ['{"query":"{a}"} x', 'Request body is not valid JSON: unexpected '
     . 'character at byte 16.', 'trailing garbage'],
    ['', 'Request body is not valid JSON: the text is empty.', 'empty body'],
    ['[]', 'Request body must be a JSON object with a "query" string, not an '
     . 'array.', 'array body'],
    ['{}', 'Missing query: the request needs a "query" string.',
     'missing query'],
    ['{"query":42}', 'The "query" parameter must be a string, not a number.',
     'numeric query'],
    ['{"query":"{a}","variables":[1]}', 'The "variables" parameter must be a '
     . 'JSON object, not an array.', 'array variables'],
    ['{"query":"{a}","extensions":"x"}', 'The "extensions" parameter must be '
     . 'a JSON object, not a string.', 'string extensions'],
    ['{"query":"{a}","operationName":1}', 'The "operationName" parameter '
     . 'must be a string, not a number.', 'numeric operationName'],
);
for my $b (@bad) {
    request_error(gql_post('/graphql', $b->[0]), 400, $b->[1], $b->[2]);
}
$r = gql_post('/graphql', '{}', accept => 'application/json');
is($r->{status}, 400, 'a bad body is 400 under application/json too');
is($r->{headers}{'content-type'}, JSONT, '... as application/json');

request_error(gql_get('/graphql', undef), 400, 'Missing query: the request '
              . 'needs a "query" parameter.', 'GET without query');
request_error(gql_get('/graphql', 'query=%7Ba%7D&variables=%5B'), 400,
              'The "variables" parameter is not valid JSON: unexpected end of '
              . 'data at byte 1.', 'GET with bad variables');
request_error(gql_get('/graphql', 'query=%zz'), 400, 'The "query" parameter '
              . 'has a malformed %-escape.', 'GET with a bad escape');

my $big = '{"query":"{ __typename }","extensions":{"pad":"' . ('x' x 64)
          . '"}}';
$r = gql_post('/small', $big);
request_error($r, 413, 'Request body is too large: the limit is 64 bytes.',
              'Content-Length over GraphQLMaxBodySize');
my @chunks = ($big =~ /(.{1,10})/gs);
$r = gql_request('POST', '/small',
                 { 'content-type' => 'application/json' },
                 sub { shift @chunks });
request_error($r, 413, 'Request body is too large: the limit is 64 bytes.',
              'chunked body over GraphQLMaxBodySize');
@chunks = ($q =~ /(.{1,5})/gs);
$r = gql_request('POST', '/small',
                 { 'content-type' => 'application/json' },
                 sub { shift @chunks });
is($r->{content}, '{"data":{"__typename":"Query"}}',
   'a chunked body under the limit');
is(gql_post('/graphql', $big)->{status}, 200,
   'the default limit (1 MiB) takes it');

my %accept = (
    'application/json' => [200, JSONT],
    'application/graphql-response+json' => [200, GR],
    '*/*' => [200, GR],
    'application/json, application/graphql-response+json;q=0.5' =>
        [200, JSONT],
    'text/html, application/graphql-response+json' => [200, GR],
    'text/html' => [406, JSONT],
    'application/xml, application/json;q=0' => [406, JSONT],
);
for my $a (sort keys %accept) {
    $r = gql_post('/graphql', $q, accept => $a);
    is($r->{status}, $accept{$a}[0], "Accept: $a: status");
    is($r->{headers}{'content-type'}, $accept{$a}[1],
       "Accept: $a: Content-Type");
}
request_error(gql_post('/graphql', $q, accept => 'text/html'), 406,
              'Not acceptable: the response is '
              . 'application/graphql-response+json or application/json.',
              'Accept: text/html');

$r = gql_post('/deep/under/nothing', $q);
is($r->{content}, '{"data":{"__typename":"Query"}}',
   'a URI far from any directory is answered');
$r = gql_post('/graphql/sub/path', $q);
is($r->{content}, '{"data":{"__typename":"Query"}}',
   'a URI below the <Location> is answered');
$r = gql_request('GET', '/index.html');
ok($r->{status} == 403 || $r->{status} == 404,
   'the unsearchable DocumentRoot is refused to static requests')
    or diag("status $r->{status}");
$r = gql_request('GET', '/static/hello.txt');
is($r->{status}, 200, 'a non-GraphQL URL is served as before');
is($r->{content}, "hello, static\n", '... with its file');

done_testing();
