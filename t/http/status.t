# Licensed under the Apache License, Version 2.0 (the "License"); you may
# not use this file except in compliance with the License.  You may obtain
# a copy of the License at http://www.apache.org/licenses/LICENSE-2.0
#
# t/http/status.t: mod_graphql's section of mod_status's page (loaded at
# /static/server-status by t/http/run).  After known requests (a query that runs
# SQL, a document that does not parse, a bad token, a cost refused), the
# totals of ?auto moved by at least what they did (other tests may run
# beside, never backwards), each child's line adds up to the totals, and
# the HTML page has the section.
use strict;
use warnings;
use FindBin;
use lib "$FindBin::Bin/lib";
use GqlTest;
use Test::More;

use constant STATUS => '/static/server-status';

sub status {
    my $r = gql_request('GET', STATUS . '?auto', { accept => '*/*' });
    my %v = $r->{content} =~ /^(GraphQL\w+): (.*)$/mg;
    return \%v;
}

my $before = status();
for my $k (qw(GraphQLRequests GraphQLErrors GraphQLStatements
              GraphQLSQLMicroseconds GraphQLPoolAcquires
              GraphQLPoolWaitMicroseconds GraphQLErrorCode_none
              GraphQLErrorCode_UNAUTHENTICATED
              GraphQLErrorCode_COST_LIMIT_EXCEEDED)) {
    like($before->{$k} // '', qr/^\d+$/, "?auto has $k");
}

my $r = gql_post('/hn', { query => '{ feed { count } }' });
is($r->{status}, 200, 'a query that runs SQL');
gql_post('/hn', { query => '{ feed { count }' });
gql_post('/hn', { query => '{ info }' }, authorization => 'Bearer x.y.z');
$r = gql_post('/hn/tight', { query => '{ a: info b: info c: info d: info '
                                       . 'e: info }' });
like($r->{content}, qr/LIMIT_EXCEEDED/, 'a request refused by a limit');

# log_transaction counts a request after its response: wait for the
# last one, 5 s at most.
my $after = status();
for (1 .. 50) {
    last if ($after->{GraphQLRequests} // 0)
            >= ($before->{GraphQLRequests} // 0) + 4;
    select(undef, undef, undef, 0.1);
    $after = status();
}
sub moved {
    my ($k, $at_least, $name) = @_;
    my $d = ($after->{$k} // 0) - ($before->{$k} // 0);
    ok($d >= $at_least, "$name ($k +$d)");
}
moved('GraphQLRequests', 4, 'requests: the four');
moved('GraphQLErrors', 3, 'errors: the three that failed');
moved('GraphQLStatements', 1, 'statements: the query\'s');
moved('GraphQLSQLMicroseconds', 1, 'time in SQL');
moved('GraphQLPoolAcquires', 1, 'a pooled connection taken');
moved('GraphQLErrorCode_none', 1, 'a syntax error: no code');
moved('GraphQLErrorCode_UNAUTHENTICATED', 1, 'the bad token');

# Each child's line, and their sum is the total.
my $page = gql_request('GET', STATUS . '?auto', { accept => '*/*' });
my @children = $page->{content} =~ /^GraphQLChild\d+: pid=\d+ (.*)$/mg;
ok(@children >= 1, 'a line per child that served GraphQL');
my %sum;
for my $c (@children) {
    my %f = $c =~ /(\w+)=(\d+)/g;
    $sum{$_} += $f{$_} for keys %f;
}
my %tot = $page->{content} =~ /^(GraphQL\w+): (\d+)$/mg;
is($sum{requests}, $tot{GraphQLRequests}, 'the children add up to the total');

my $html = gql_request('GET', STATUS, { accept => 'text/html' });
like($html->{content}, qr{<h2>mod_graphql</h2>}, 'the HTML page\'s section');
like($html->{content}, qr{<td>UNAUTHENTICATED</td><td>[1-9]},
     'the HTML page: errors by code');

done_testing();
