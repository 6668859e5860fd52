# Licensed under the Apache License, Version 2.0 (the "License"); you may
# not use this file except in compliance with the License.  You may obtain
# a copy of the License at http://www.apache.org/licenses/LICENSE-2.0
#
# t/http/tokens.t: GraphQLMaxTokens over HTTP.  A document of more tokens
# than the limit stops parsing at the token past it: 400 under
# graphql-response+json, graphql-js's message at that token,
# extensions.code TOKEN_LIMIT_EXCEEDED, no statement.  At /hn/wide (the
# default, 15000; no count or cost limit, which would refuse its
# thousands of fields first), /hn/few (8, the rest inherited from /hn)
# and /hn/wide/unlimited (0).
use strict;
use warnings;
use FindBin;
use lib "$FindBin::Bin/lib";
use GqlTest;
use Test::More;

sub ask {
    my ($path, $query) = @_;
    my $res = gql_post($path, { query => $query }, accept => GR);
    return ($res, json_body($res) || {});
}

# "{ info info ... }" of n tokens: the braces and n - 2 fields.
sub infos { return '{ ' . ('info ' x ($_[0] - 2)) . '}' }

sub over {
    my ($path, $query, $limit, $name) = @_;
    my ($res, $body) = ask($path, $query);
    is($res->{status}, 400, "$name: 400");
    is($body->{errors}[0]{message}, "Syntax Error: Document contains more "
       . "than $limit tokens. Parsing aborted.", "$name: graphql-js's "
       . 'message') or diag explain $body->{errors}[0];
    is($body->{errors}[0]{extensions}{code}, 'TOKEN_LIMIT_EXCEEDED',
       "$name: its code");
    ok(@{ $body->{errors} } == 1 && !exists $body->{data},
       "$name: one error, no data");
    ok(!sql_statements_of_last_request(), "$name: no statement ran");
    return $body;
}

sub within {
    my ($path, $query, $name) = @_;
    my ($res, $body) = ask($path, $query);
    ok($res->{status} == 200 && !$body->{errors} && $body->{data},
       "$name: answered") or diag explain $body;
}

# The default, 15000.
within('/hn/wide', infos(14999), 'the default limit, 14999 tokens');
within('/hn/wide', infos(15000), 'the default limit, 15000 tokens');
my $q = infos(15001);
my $body = over('/hn/wide', $q, 15000, 'the default limit, 15001 tokens');
is_deeply($body->{errors}[0]{locations},
          [{ line => 1, column => length($q) }],
          'located at the token past the limit, the closing brace');

open(my $fh, '<', "$FindBin::Bin/../cases/introspect/full-hackernews/"
     . 'query.graphql') or die "introspection query: $!";
my $intro = do { local $/; <$fh> };
my ($res, $b2) = ask('/hn', $intro);
ok($res->{status} == 200 && $b2->{data}{__schema},
   'the full introspection query passes the default') or diag explain $b2;

# A configured limit of 8, inherited schema: { a: info b: info } is 8.
within('/hn/few', '{ a: info b: info }', 'limit 8, 8 tokens');
within('/hn/few', '{ a: info info }', 'limit 8, 6 tokens');
$q = '{ a: info b: info c: info }';
$body = over('/hn/few', $q, 8, 'limit 8, 11 tokens');
is_deeply($body->{errors}[0]{locations},
          [{ line => 1, column => index($q, 'c:') + 2 }],
          'at the ninth token, the colon after "c"');
over('/hn/few', '{ a: info b: info } }', 8,
     'limit 8, a stray brace as the ninth token');
over('/hn/few', '{ a: info b: info }' . ' ' x 1000 . "\n# a comment\n{",
     8, 'limit 8, white space and comments do not count, the brace does');

# 0: no limit.
within('/hn/wide/unlimited', infos(20000), 'no limit, 20000 tokens');
done_testing();
