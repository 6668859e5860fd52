# Licensed under the Apache License, Version 2.0 (the "License"); you may
# not use this file except in compliance with the License.  You may obtain
# a copy of the License at http://www.apache.org/licenses/LICENSE-2.0
#
# t/http/statements.t: how many statements the Hackernews feed's shapes
# run at /hn, as the access log counts them, and that each answer is the
# one the statements apart give.  A root field with one SQL field below
# runs both in one statement; sibling SQL fields of the same links share
# one pipeline; a directive on a field keeps it out of the joined
# statement (the executor has decided it, the statement has not), which
# is how the answers apart are had.
use strict;
use warnings;
use FindBin;
use lib "$FindBin::Bin/lib";
use GqlTest;
use Test::More;

my $json = JSON::PP->new->canonical;

sub ask {
    my ($q) = @_;
    my $res = gql_post('/hn', { query => $q });
    return ($res->{status}, $res->{content}, sql_statements_of_last_request());
}

my @shapes = (
    [ 'feed, its count and links (two SQL fields: not joined)',
      '{ feed(take: 5) { count links { id url } } }',
      '{ feed(take: 5) { count links @include(if: true) { id url } } }',
      3, 3 ],
    [ 'links alone under the feed',
      '{ feed(take: 5) { links { id description } } }',
      '{ feed(take: 5) { links @include(if: true) { id description } } }',
      1, 2 ],
    [ 'links with their poster and votes',
      '{ feed(take: 4) { links { id postedBy { name } votes { id user'
      . ' { name } } } } }',
      '{ feed(take: 4) { links @include(if: true) { id postedBy { name }'
      . ' votes { id user { name } } } } }',
      4, 5 ],
    [ 'a filter and ordering',
      '{ feed(filter: "a", take: 3, orderBy: {url: desc}) { links { url } } }',
      '{ feed(filter: "a", take: 3, orderBy: {url: desc}) { links'
      . ' @include(if: true) { url } } }',
      1, 2 ],
);

for my $s (@shapes) {
    my ($name, $joined, $apart, $nj, $na) = @$s;
    my ($st1, $body1, $n1) = ask($joined);
    my ($st2, $body2, $n2) = ask($apart);
    is($st1, 200, "$name: 200");
    ok($body1 =~ /^\{"data":/ && $body1 !~ /"errors"/, "$name: data, no "
       . 'error') or diag $body1;
    is($body1, $body2, "$name: the same answer as the statements apart");
    is($n1, $nj, "$name: $nj statement(s)");
    is($n2, $na, "$name: $na apart");
}

# A request whose one statement fails: its error, and the next request
# finds the connection as it should be.
my ($st, $body, $n) = ask('{ feed(take: -1) { links { id } } }');
like($body, qr/"skip and take must not be negative\."/,
     'a negative take: the @sqlError of the root field');
($st, $body, $n) = ask('{ feed(take: 1) { links { id } } }');
like($body, qr/^\{"data":\{"feed":\{"links":\[\{"id":"\d+"\}\]\}\}\}$/,
     'the next request runs') or diag $body;

done_testing();
