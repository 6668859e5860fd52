# Licensed under the Apache License, Version 2.0 (the "License"); you may
# not use this file except in compliance with the License.  You may obtain
# a copy of the License at http://www.apache.org/licenses/LICENSE-2.0
#
# t/http/cache.t: the document cache (GraphQLDocumentCache, 128 documents
# per child by default).  A new text is prepared; the same text again is
# served from the cache of the child that prepared it, with the same
# answer (the test server has two children: a few tries reach the same
# one); the cache is keyed by location settings as well as by text, so
# a document cached where introspection is on is still refused where it
# is off; a document that does not validate is never cached; variables
# and operation names still come from each request.
use strict;
use warnings;
use FindBin;
use lib "$FindBin::Bin/lib";
use GqlTest;
use Test::More;

my $run = sprintf('c%x%x', time, $$);

# The same request up to eight times: how many were served from a cache,
# and whether every answer was the first one.
sub repeat {
    my ($path, $body) = @_;
    my ($first, $same, $cached) = (undef, 1, 0);
    for (1 .. 8) {
        my $r = gql_post($path, $body);
        $first //= $r->{content};
        $same &&= $r->{content} eq $first;
        $cached++ if (document_of_last_request() // '') eq 'cached';
        last if $cached >= 2;
    }
    return ($first, $same, $cached);
}

my $q = "query Q$run { hello }";
gql_post('/graphql', { query => $q });
is(document_of_last_request(), 'prepared', 'a new text: prepared');
my ($first, $same, $cached) = repeat('/graphql', { query => $q });
ok($cached >= 1, "the same text again: from the cache ($cached of up to 8)");
ok($same, 'with the same answer');
is($first, '{"data":{"hello":null}}', 'the answer');

my $intro = "query I$run { __schema { queryType { name } } }";
($first, $same, $cached) = repeat('/graphql', { query => $intro });
ok($cached >= 1 && $same, 'introspection, cached where it is on');
my $r = gql_post('/graphql/closed', { query => $intro });
is($r->{status}, 400, 'the same text where introspection is off: 400');
like($r->{content}, qr/introspection has been disabled/,
     'refused by validation, not answered from the cache');

my $bad = "query B$run { nope }";
for (1 .. 3) {
    $r = gql_post('/graphql', { query => $bad });
}
is($r->{status}, 400, 'an invalid document: 400, every time');
is(document_of_last_request(), 'prepared', 'and never cached');

my $two = "query A$run { hello } query B$run { __typename }";
($first, $same, $cached) = repeat('/graphql', { query => $two,
                                                operationName => "A$run" });
ok($cached >= 1, 'a document of two operations, cached');
is(gql_post('/graphql', { query => $two, operationName => "B$run" })
       ->{content}, '{"data":{"__typename":"Query"}}',
   'each request selects its own operation');
is(gql_post('/graphql', { query => $two })->{status}, 400,
   'and one that names none is refused');

done_testing();
