# Licensed under the Apache License, Version 2.0 (the "License"); you may
# not use this file except in compliance with the License.  You may obtain
# a copy of the License at http://www.apache.org/licenses/LICENSE-2.0
#
# t/http/database.t: the database under a running httpd.  Requests that
# touch no SQL field never take a connection; a failing statement is a
# field error whose detail reaches the error log and not the client;
# GraphQLStatementTimeout bounds statements; a mutation that fails writes
# nothing; PostgreSQL stopped is 503 DATABASE_UNAVAILABLE, started again
# serves by itself (the log says so: GQL00005), and restarted leaves no
# request failing.  Against /db (t/http/schema/glue.graphql).  It stops
# and starts the harness's cluster, so it leaves it running as it found
# it.
use strict;
use warnings;
use FindBin;
use lib "$FindBin::Bin/lib";
use GqlTest;
use Test::More;
use Time::HiRes qw(sleep time);

my $run = sprintf('%x%x', time, $$);

sub ask {
    my ($query, $path, %headers) = @_;
    my $res = gql_post($path || '/db', { query => $query }, %headers);
    return ($res, json_body($res) || {});
}

# Whether a response is 200 with data and no errors.
sub clean { $_[0]{status} == 200 && !$_[1]{errors} && $_[1]{data} }

my $introspect = '{ __schema { queryType { name } } __type(name: "Note") '
               . '{ fields { name } } }';

# --- what runs SQL and how much ----------------------------------------

my ($res, $body) = ask($introspect);
ok(clean($res, $body), 'introspection: 200') or diag explain $body;
is(sql_statements_of_last_request(), 0, 'introspection: no statement');

($res, $body) = ask('{ hello __typename }');
ok(clean($res, $body), 'a field with no SQL: 200');
is(sql_statements_of_last_request(), 0, 'a field with no SQL: no statement');

($res, $body) = ask(qq|mutation { addNote(body: "n-$run") { id body } }|);
is($body->{data}{addNote}{body}, "n-$run", 'a mutation writes')
    or diag explain $body;
is(sql_statements_of_last_request(), 1, 'the mutation: one statement');
is(psql("SELECT count(*) FROM glue_notes WHERE body = 'n-$run'"), 1,
   'the row is in the table');

($res, $body) = ask(qq|{ notes { body } noteCount(body: "n-$run") }|);
ok((grep { $_->{body} eq "n-$run" } @{ $body->{data}{notes} || [] }),
   'a query reads it back') or diag explain $body;
is($body->{data}{noteCount}, 1, 'an argument is bound');
is(sql_statements_of_last_request(), 2, 'two root fields: two statements');

# --- failures: the log has the detail, the client a generic error -------

my $mark = error_log_mark();
($res, $body) = ask('{ broken hello }');
is($res->{status}, 200, 'a failing statement: 200');
is($body->{data}{broken}, undef, 'a failing statement: the field is null');
is($body->{errors}[0]{extensions}{code}, 'INTERNAL_SERVER_ERROR',
   'a failing statement: INTERNAL_SERVER_ERROR') or diag explain $body;
unlike($res->{content}, qr/division|22012|glue_notes|select/i,
       'the client sees neither the driver\'s text nor SQL');
like(error_log_since($mark), qr/division by zero/,
     'the error log has the driver\'s text');

$mark = error_log_mark();
my $t0 = time;
($res, $body) = ask('{ sleep(ms: 3000) }', '/db/fast');
my $took = time - $t0;
ok($took < 2, sprintf('GraphQLStatementTimeout 300 stops a 3 s statement '
                      . '(%.2f s)', $took));
is($body->{data}{sleep}, undef, 'the timed-out field is null');
ok($body->{errors} && @{ $body->{errors} }, 'the timeout is a field error');
like(error_log_since($mark), qr/statement timeout/,
     'the error log says why');
($res, $body) = ask('{ sleep(ms: 50) }');
is_deeply($body, { data => { sleep => 50 } },
          'without the short timeout the statement runs');

# --- a mutation that fails writes nothing ------------------------------

($res, $body) = ask(qq|mutation { a: addNote(body: "rb-$run") { id } |
                    . '             b: addNothing { id } }');
is($body->{data}, undef, 'a failing mutation: data is null')
    or diag explain $body;
is_deeply([map { $_->{path}[0] } @{ $body->{errors} || [] }], ['b'],
          'the error names the field that failed');
is(psql("SELECT count(*) FROM glue_notes WHERE body = 'rb-$run'"), 0,
   'the first field\'s row was rolled back');
is(psql('SELECT count(*) FROM pg_stat_activity WHERE usename = '
        . "'graphql' AND state LIKE 'idle in transaction%'"), 0,
   'no connection is left inside a transaction');

# --- PostgreSQL stopped, started, restarted -----------------------------

# Warm the pools of both children: several connections sit idle in them
# when the database goes away.
sub burst {
    my ($n) = @_;
    my @pids;
    for (1 .. $n) {
        my $pid = fork // die "fork: $!";
        if (!$pid) {
            my ($r, $b) = ask('{ notes { id } }');
            exit(clean($r, $b) ? 0 : 1);
        }
        push @pids, $pid;
    }
    my $bad = 0;
    for (@pids) { waitpid($_, 0); $bad++ if $? }
    return $bad;
}
is(burst(6), 0, 'six requests at once before the database stops');

my $err = stop_pg();
is($err, '', 'PostgreSQL stops') or diag $err;
($res, $body) = ask('{ notes { id } }');
is($res->{status}, 503, 'PostgreSQL down: 503');
is($body->{errors}[0]{extensions}{code}, 'DATABASE_UNAVAILABLE',
   'PostgreSQL down: DATABASE_UNAVAILABLE') or diag explain $body;
($res, $body) = ask('{ notes { id } }', undef, accept => 'application/json');
is($res->{status}, 503, 'PostgreSQL down, application/json: 503 too');
($res, $body) = ask($introspect);
ok(clean($res, $body), 'PostgreSQL down: introspection still answers');
is(sql_statements_of_last_request(), 0, 'and took no connection');

$err = start_pg();
is($err, '', 'PostgreSQL starts again') or diag $err;
$mark = error_log_mark();
my ($ok, $tries, $until) = (0, 0, time + 15);
while (!$ok && time < $until) {
    $tries++;
    ($res, $body) = ask('{ notes { id } }');
    $ok = clean($res, $body);
    sleep 0.2 unless $ok;
}
ok($ok, "service comes back by itself ($tries tries)");
my $failed = 0;
for (1 .. 20) {
    ($res, $body) = ask('{ notes { id } }');
    $failed++ unless clean($res, $body);
}
is($failed, 0, 'then 20 requests in a row succeed');
like(error_log_since($mark),
     qr/GQL00005: the database is available again: \d+ requests failed/,
     'the error log says it is back, and how many requests failed');

is(burst(6), 0, 'six requests at once before a restart');
$err = stop_pg() || start_pg();
is($err, '', 'PostgreSQL restarts') or diag $err;
$failed = 0;
my @bad;
for (1 .. 30) {
    ($res, $body) = ask(qq|{ notes { id } noteCount(body: "n-$run") }|);
    next if clean($res, $body) && $body->{data}{noteCount} == 1;
    $failed++;
    push @bad, $res->{content};
}
is($failed, 0, 'after a restart no request fails (re-prepared statements)')
    or diag join "\n", @bad[0 .. ($#bad < 2 ? $#bad : 2)];

done_testing();
