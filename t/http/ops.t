# Licensed under the Apache License, Version 2.0 (the "License"); you may
# not use this file except in compliance with the License.  You may obtain
# a copy of the License at http://www.apache.org/licenses/LICENSE-2.0
#
# t/http/ops.t: what operators read.  The request notes for LogFormat
# (operation, type, time in SQL, errors, the caller's sub) for a query, a
# mutation and failing requests; the start-up line of each schema; the
# info lines of refused callers; GraphQLServerTiming's header; liveness
# and readiness (SetHandler graphql-live, graphql-ready), here and on the
# second port, whose database cannot be reached.
use strict;
use warnings;
use FindBin;
use lib "$FindBin::Bin/lib";
use GqlTest;
use Test::More;

my $run = "$$-" . time;

sub notes_are {
    my ($want, $name) = @_;
    my $n = notes_of_last_request();
    my %got = map { $_ => $n->{$_} } keys %$want;
    is_deeply(\%got, $want, $name) or diag explain $n;
    return $n;
}

# ---- request notes ----------------------------------------------------

my $res = gql_post('/hn', { query => 'query Feed { feed { count } }' });
is($res->{status}, 200, 'a named query');
my $n = notes_are({ operation => 'Feed', type => 'query', errors => 0,
                    sub => '-' }, 'a named query: its notes');
like($n->{sql_time} // '', qr/^[1-9]\d*$/,
     'a named query: microseconds in SQL');

gql_post('/hn', { query => '{ info }' });
notes_are({ operation => '-', type => 'query', errors => 0 },
          'an anonymous query: "-"');

my $signup = 'mutation Signup($e: String!) { signup(email: $e, '
           . 'password: "pw", name: "Ops") { token } }';
$res = gql_post('/hn', { query => $signup,
                         variables => { e => "ops-$run\@example.com" } });
is($res->{status}, 200, 'a mutation');
$n = notes_are({ operation => 'Signup', type => 'mutation', errors => 0 },
               'a mutation: its notes');
like($n->{sql_time} // '', qr/^[1-9]\d*$/,
     'a mutation: microseconds in SQL');

gql_post('/hn', { query => $signup,
                  variables => { e => "ops-$run\@example.com" } });
notes_are({ operation => 'Signup', type => 'mutation', errors => 1 },
          'a mutation that fails: one error');

gql_post('/hn', { query => '{ feed { count }' });
notes_are({ operation => '-', type => '-', errors => 1, sql_time => 0 },
          'a document that does not parse: no operation, no SQL');
gql_post('/hn', { query => '{ nosuch nor }' });
notes_are({ errors => 2 }, 'two validation errors');

my $token = jwt_token({ sub => "caller $run",
                        app => { role => 'roles_reader' } });
gql_post('/roles', { query => '{ who }' }, bearer($token));
notes_are({ sub => "caller $run", errors => 0 }, "the caller's sub");

# ---- refused callers, logged at info -----------------------------------

my $mark = error_log_mark();
$res = gql_post('/roles', { query => '{ who }' }, bearer('not.a.token'));
is($res->{status}, 401, 'a bad token: 401');
notes_are({ errors => 1, sub => '-' }, 'a bad token: one error, no sub');
$res = gql_post('/roles', { query => '{ who }' },
                bearer(jwt_token({ sub => 'x', app => { role => 'ghost' } })));
is($res->{status}, 403, 'an unlisted role: 403');
my $log = error_log_since($mark);
like($log, qr/:info\].*GQL00020: 401 UNAUTHENTICATED: \S/,
     'a bad token: an info line with the reason');
like($log, qr/:info\].*GQL00021: 403 FORBIDDEN: \S/,
     'an unlisted role: an info line with the reason');

# ---- start-up --------------------------------------------------------

# One line per schema, once: httpd's first reading of its configuration
# (before "resuming normal operations") says nothing.
my $start = error_log_since(0);
$start =~ s/AH00163.*//s;
my @hn = $start =~ m{GQL00022:\ schema\ \S*/schema/hackernews\.graphql:
                     \ (\d+)\ types,\ (\d+)\ SQL\ fields,
                     \ loaded\ in\ \d+\.\d{3}\ ms}gx;
is(scalar(@hn), 2, 'the Hackernews schema: one start-up line');
ok(@hn && $hn[0] > 5 && $hn[1] > 5, 'its types and SQL fields')
    or diag explain \@hn;
like($start, qr/GQL00022: schema \S*basic\.graphql \S*mutation\.graphql: /,
     'a schema of two files: both named');

# ---- Server-Timing ---------------------------------------------------

my $ms = qr/\d+\.\d{3}/;
$res = gql_post('/hn/timed', { query => '{ feed { count } }' });
like($res->{headers}{'server-timing'} // '',
     qr/^parse;dur=$ms, sql;dur=$ms, total;dur=$ms$/,
     'GraphQLServerTiming On: parse, sql and total');
my %dur = ($res->{headers}{'server-timing'} // '') =~ /(\w+);dur=([\d.]+)/g;
ok(%dur && $dur{total} >= $dur{parse} + $dur{sql} - 0.002,
   'the total is at least parse and sql') or diag explain \%dur;
$res = gql_post('/hn/timed', { query => '{ feed {' });
like($res->{headers}{'server-timing'} // '',
     qr/^parse;dur=$ms, total;dur=$ms$/, 'no SQL run: parse and total');
$res = gql_post('/hn/timed', { query => '{ info }' },
                bearer('not.a.token'));
like($res->{headers}{'server-timing'} // '', qr/^total;dur=$ms$/,
     'refused before parsing: total');
$res = gql_post('/hn', { query => '{ feed { count } }' });
ok(!exists $res->{headers}{'server-timing'}, 'Off by default');

# ---- liveness and readiness ---------------------------------------------

for my $p ([ '/live', "live\n" ], [ '/ready', "ready\n" ]) {
    $res = gql_request('GET', $p->[0]);
    is($res->{status}, 200, "$p->[0]: 200");
    is($res->{content}, $p->[1], "$p->[0]: its text");
    is($res->{headers}{'cache-control'}, 'no-store', "$p->[0]: not cached");
}
$res = gql_request('HEAD', '/ready');
is($res->{status}, 200, 'HEAD /ready: 200');
$res = gql_request('POST', '/ready', {}, '');
is($res->{status}, 405, 'POST /ready: 405');
is($res->{headers}{allow}, 'GET, HEAD', 'POST /ready: Allow');

{
    local $ENV{GQL_URL} = $ENV{GQL_DEAD_URL} || die "GQL_DEAD_URL unset\n";
    $res = gql_request('GET', '/live');
    is($res->{status}, 200, 'no database: /live is 200');
    $res = gql_request('GET', '/ready');
    is($res->{status}, 503, 'no database: /ready is 503');
    like($res->{content}, qr/^not ready: no database connection/,
         'no database: the reason');
    is($res->{headers}{'cache-control'}, 'no-store',
       'no database: not cached');
    $res = gql_request('GET', '/ready');
    is($res->{status}, 503, 'no database: 503 again, during the back-off');
}

done_testing();
