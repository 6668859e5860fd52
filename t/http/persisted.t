# Licensed under the Apache License, Version 2.0 (the "License"); you may
# not use this file except in compliance with the License.  You may obtain
# a copy of the License at http://www.apache.org/licenses/LICENSE-2.0
#
# t/http/persisted.t: persisted documents on the harness's server.
# /persisted loads one file of each format (t/http/persisted/: a .graphql
# file of named operations, Apollo's manifest, Relay's and GraphQL Code
# Generator's maps) and runs them by documentId or by Apollo's
# persistedQuery hash, prepared at start-up, beside any other text; an
# unknown id, a hash without a shared cache, a hash that is not its
# text's, a documentId with a query; GET by id with the Cache-Control of
# GraphQLPersistedCacheControl, never to a caller with credentials.
# /persisted/only (GraphQLPersistedOnly On) refuses any other text,
# unparsed.  /hn/persisted runs the Hackernews client's operations
# (schema/hackernews-operations.json) by id, and nothing else.
use strict;
use warnings;
use FindBin;
use lib "$FindBin::Bin/lib";
use Digest::SHA qw(sha256_hex);
use GqlTest;
use JSON::PP;
use Test::More;

my $json = JSON::PP->new->canonical;
my $run = sprintf('p%x%x', time, $$);
my @A = (accept => 'application/json');

sub file_text {
    my ($f) = @_;
    open(my $fh, '<', "$FindBin::Bin/$f") or die "$f: $!";
    local $/;
    return scalar <$fh>;
}

# status and body, in one string, of a request.
sub answer {
    my ($r) = @_;
    return "$r->{status} $r->{content}";
}

my $nf = '{"errors":[{"message":"PersistedQueryNotFound","extensions":'
         . '{"code":"PERSISTED_QUERY_NOT_FOUND"}}]}';

sub apq {
    my ($hash) = @_;
    return { persistedQuery => { version => 1, sha256Hash => $hash } };
}

# Each format, by id.
is(answer(gql_post('/persisted', { documentId => 'Hello' })),
   '200 {"data":{"hello":null}}',
   '.graphql: an operation by its name');
is(document_of_last_request(), 'persisted',
   'the document prepared at start-up');
is(answer(gql_post('/persisted', { documentId => 'Both' })),
   '200 {"data":{"hello":null,"count":null}}',
   '.graphql: the other operation of the file');
my $ops = file_text('persisted/operations.graphql');
is(answer(gql_post('/persisted', { documentId => 'sha256:' . sha256_hex($ops),
                                   operationName => 'Both' })),
   '200 {"data":{"hello":null,"count":null}}',
   '.graphql: the file by its SHA-256, with operationName');
my $r = gql_post('/persisted', { documentId => 'sha256:' . sha256_hex($ops) });
is($r->{status}, 400, '.graphql by its SHA-256 without operationName: 400');
like($r->{content}, qr/Must provide operation name/, 'as for the text');

my $apollo = 'query ApolloHello { hello }';
is(answer(gql_post('/persisted', { extensions => apq(sha256_hex($apollo)) })),
   '200 {"data":{"hello":null}}', "Apollo's manifest: by persistedQuery");
is(answer(gql_post('/persisted',
                   { documentId => 'sha256:' . sha256_hex($apollo) })),
   '200 {"data":{"hello":null}}', "Apollo's manifest: by documentId");
is(answer(gql_post('/persisted', { documentId => 'sha256:'
                                   . uc sha256_hex($apollo) })),
   '200 {"data":{"hello":null}}', 'a hash in capitals');
is(answer(gql_post('/persisted', { documentId => 'relay-count-1' })),
   '200 {"data":{"count":null}}', "Relay's map: by its id");
is(answer(gql_post('/persisted', { documentId =>
                                   '5d41402abc4b2a76b9719d911017c592',
                                   variables => { id => 7 } })),
   '200 {"data":{"user":null}}', "Relay's map: with variables");
my $cg = 'query CodegenBoth { hello count }';
is(answer(gql_post('/persisted',
                   { documentId => 'sha256:' . sha256_hex($cg) })),
   '200 {"data":{"hello":null,"count":null}}',
   "GraphQL Code Generator's map: by its sha256: id");
is(answer(gql_get('/persisted', { documentId => 'Hello' })),
   '200 {"data":{"hello":null}}', 'GET with documentId');
is(answer(gql_get('/graphql', { documentId => "nope-$run" },
                  accept => 'text/html,*/*;q=0.8')), "404 $nf",
   'a browser\'s GET with documentId, where GraphiQL is On: not GraphiQL');

# What clients get wrong.
is(answer(gql_post('/persisted', { documentId => "nope-$run" }, @A)),
   "200 $nf", 'an unknown id under application/json: 200');
is(answer(gql_post('/persisted', { documentId => "nope-$run" })),
   "404 $nf", 'under application/graphql-response+json: 404');
my $unknown = sha256_hex("{ hello } # $run");
is(answer(gql_post('/persisted', { extensions => apq($unknown) }, @A)),
   '200 {"errors":[{"message":"PersistedQueryNotSupported","extensions":'
   . '{"code":"PERSISTED_QUERY_NOT_SUPPORTED"}}]}',
   'an unknown hash without GraphQLPersistedQueries: not supported');
$r = gql_post('/persisted', { query => "{ count } # $run",
                              extensions => apq($unknown) });
is($r->{status}, 400, 'a hash that is not the text\'s: 400');
like($r->{content}, qr/"code":"PERSISTED_QUERY_HASH_MISMATCH"/,
     'PERSISTED_QUERY_HASH_MISMATCH');
is(answer(gql_post('/persisted', { query => "{ hello } # $run",
                                   extensions => apq($unknown) })),
   '200 {"data":{"hello":null}}', 'a hash with its text: runs as the text');
$r = gql_post('/persisted', { query => '{ hello }', documentId => 'Hello' });
is($r->{status}, 400, 'a documentId with a query: 400');
like($r->{content}, qr/"code":"BAD_REQUEST"/, 'BAD_REQUEST');
$r = gql_post('/persisted', { extensions => { persistedQuery =>
                              { version => 2, sha256Hash => $unknown } } });
is($r->{status}, 400, 'persistedQuery of version 2: 400');
like($r->{content}, qr/Unsupported persisted query version/, 'says so');
$r = gql_post('/persisted', { extensions => apq('abc') });
is($r->{status}, 400, 'a sha256Hash that is no SHA-256: 400');
$r = gql_post('/persisted', { operationName => 'Hello' });
is($r->{status}, 400, 'neither query nor id: 400');
like($r->{content}, qr/Missing query/, 'Missing query');
is(answer(gql_post('/persisted', { query => "{ hello } # $run" })),
   '200 {"data":{"hello":null}}', 'any text runs where the list is open');

# GET by id, for caches.
$r = gql_get('/persisted', { documentId => 'Hello' });
is($r->{headers}{'cache-control'}, 'public, max-age=60',
   'GET by id: GraphQLPersistedCacheControl');
like($r->{headers}{vary}, qr/Authorization/, 'varying with Authorization');
$r = gql_get('/persisted', { extensions => $json->encode(
                                 apq(sha256_hex($apollo))) });
is($r->{headers}{'cache-control'}, 'public, max-age=60',
   'GET by persistedQuery hash: the same');
$r = gql_get('/persisted', { documentId => 'Hello' },
             authorization => 'Bearer x.y.z');
is($r->{headers}{'cache-control'}, 'no-store',
   'GET by id with credentials: no-store');
$r = gql_get('/persisted', { documentId => 'Hello' }, cookie => 'session=1');
is($r->{headers}{'cache-control'}, 'no-store', 'with a cookie: no-store');
$r = gql_post('/persisted', { documentId => 'Hello' });
is($r->{headers}{'cache-control'}, 'no-store', 'POST by id: no-store');
$r = gql_get('/persisted', { query => '{ hello }' });
is($r->{headers}{'cache-control'}, 'no-store', 'GET of a text: no-store');
$r = gql_get('/persisted', { documentId => "nope-$run" });
is($r->{headers}{'cache-control'}, 'no-store',
   'GET of an unknown id: no-store');
$r = gql_get('/persisted', { documentId => 'RelayUser' });
isnt($r->{status}, 200, 'an id that is not one: refused');
$r = gql_get('/persisted',
             { documentId => '5d41402abc4b2a76b9719d911017c592' });
is($r->{headers}{'cache-control'}, 'no-store',
   'GET by id answered with errors: no-store');

# The allowlist.
my $refused = '403 {"errors":[{"message":"Only persisted documents run here '
              . '(GraphQLPersistedOnly): send the documentId of one.",'
              . '"extensions":{"code":"PERSISTED_QUERY_REQUIRED"}}]}';
is(answer(gql_post('/persisted/only', { query => "{ hello } # $run" })),
   $refused, 'GraphQLPersistedOnly On: another text is refused');
is(answer(gql_post('/persisted/only', { query => "{ hello } # $run" }, @A)),
   $refused, 'under application/json too');
is(answer(gql_post('/persisted/only', { query => '{ {{ !' })),
   $refused, 'a text that does not parse: refused, not parsed');
is(answer(gql_post('/persisted/only', { documentId => 'Hello' })),
   '200 {"data":{"hello":null}}', 'a loaded document by id runs');
is(answer(gql_post('/persisted/only', { query => $apollo })),
   '200 {"data":{"hello":null}}', 'so does the text of a loaded document');
is(document_of_last_request(), 'persisted', 'as the loaded document');
is(answer(gql_post('/persisted/only',
                   { query => $apollo,
                     extensions => apq(sha256_hex($apollo)) })),
   '200 {"data":{"hello":null}}', 'and a loaded one by hash and text');
is(answer(gql_post('/persisted/only', { query => "{ hello } # $run",
                                        extensions => apq($unknown) })),
   $refused, 'another by hash and text: refused');
is(answer(gql_post('/persisted/only', { extensions => apq($unknown) }, @A)),
   "200 $nf", 'another by hash alone: not found');
is(answer(gql_get('/persisted/only', { query => '{ hello }' })), $refused,
   'GET of a text: refused');

# The Hackernews client's operations.
my $hn = $json->decode(file_text('../../schema/hackernews-operations.json'));
my %id = map { $_->{name} => $_->{id} } @{ $hn->{operations} };
ok(keys %id >= 8, 'the manifest has the client\'s operations');
for my $op (@{ $hn->{operations} }) {
    is($op->{id}, sha256_hex($op->{body}), "$op->{name}: its id is its hash");
}

sub hn {
    my ($name, $vars, %h) = @_;
    my $r = gql_post('/hn/persisted', { documentId => $id{$name},
                                        variables => $vars || {} }, %h);
    return ($r->{status}, json_body($r));
}

my ($st, $b) = hn('Info');
is($st, 200, 'Info by id');
like($b->{data}{info} // '', qr/Hackernews/, 'answers the line');
my $email = "persisted-$run\@example.com";
($st, $b) = hn('Signup', { email => $email, password => 'pw-' . $run,
                           name => "P $run" });
is($st, 200, 'Signup by id') or diag explain $b;
my $token = $b->{data}{signup}{token} // '';
ok($token ne '', 'a token');
($st, $b) = hn('Login', { email => $email, password => 'pw-' . $run });
ok($st == 200 && $b->{data}{login}{token}, 'Login by id');
($st, $b) = hn('Post', { url => "https://$run.example", description =>
                         "persisted $run" }, bearer($token));
is($st, 200, 'Post by id');
my $link = $b->{data}{post}{id};
($st, $b) = hn('Vote', { linkId => $link }, bearer($token));
is($b->{data}{vote}{user}{name}, "P $run", 'Vote by id');
($st, $b) = hn('Feed', { filter => "persisted $run" });
is(scalar @{ $b->{data}{feed}{links} // [] }, 1, 'Feed by id');
is($b->{data}{feed}{links}[0]{votes}[0]{user}{name}, "P $run",
   'with the fragment\'s fields');
($st, $b) = hn('Link', { id => $link });
is($b->{data}{link}{postedBy}{name}, "P $run", 'Link by id');
($st, $b) = hn('Me', {}, bearer($token));
is($b->{data}{me}{email}, $email, 'Me by id');
$r = gql_get('/hn/persisted',
             { documentId => $id{Post},
               variables => '{"url":"u","description":"d"}' });
is($r->{status}, 405, 'a mutation by id over GET: 405');
$r = gql_post('/hn/persisted', { query => '{ info }' });
is($r->{status}, 403, 'any other document: 403');
$r = gql_post('/hn/persisted', { query => '{ __schema { types { name } } }' });
is($r->{status}, 403, 'introspection too');
$r = gql_post('/hn', { query => '{ info }' });
is($r->{status}, 200, 'while /hn runs any document');

done_testing();
