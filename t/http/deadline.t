# Licensed under the Apache License, Version 2.0 (the "License"); you may
# not use this file except in compliance with the License.  You may obtain
# a copy of the License at http://www.apache.org/licenses/LICENSE-2.0
#
# t/http/deadline.t: every request bounded in time and statements.
# GraphQLRequestTimeout (500 ms at /db-deadline): the statement still
# running at the deadline is cancelled, it and the later SQL fields fail
# with REQUEST_TIMEOUT, a query answers 200 with its partial data, a
# mutation rolls back, one info line reaches the error log, and the
# connection goes back to the pool clean (a pool of one connection, on
# the second port, serves the next requests).  GraphQLMaxStatements at,
# under and over (2 at /db-deadline/few, the default 100).  Bodies: one
# that is not complete by the deadline gets 408, and 20 clients that send
# a body a byte at a time are cut off by mod_reqtimeout within seconds
# while { info } is answered at once beside them.
use strict;
use warnings;
use FindBin;
use lib "$FindBin::Bin/lib";
use GqlTest;
use IO::Select;
use IO::Socket::INET;
use Test::More;
use Time::HiRes qw(sleep time);

my $run = sprintf('d%x%x', time, $$);

sub ask {
    my ($path, $query, %o) = @_;
    my $t0 = time;
    my $res = gql_post($path, { query => $query }, accept => GR);
    return ($res, json_body($res) || {}, time - $t0);
}

sub codes {
    my ($body) = @_;
    return [map { join('.', @{ $_->{path} || [] }) . ' '
                  . ($_->{extensions}{code} || '-') } @{ $body->{errors} || [] }];
}

# ---- the deadline ---------------------------------------------------

my $mark = error_log_mark();
my ($res, $body, $took) = ask('/db-deadline', '{ pid nap(ms: 3000) one }');
is($res->{status}, 200, 'a query past the deadline: 200');
ok($body->{data}{pid} && !defined $body->{data}{nap}
   && exists $body->{data}{one} && !defined $body->{data}{one},
   'the field before it has its data, the late ones are null')
    or diag explain $body;
is_deeply(codes($body), ['nap REQUEST_TIMEOUT', 'one REQUEST_TIMEOUT'],
          'REQUEST_TIMEOUT at their paths') or diag explain $body;
like($body->{errors}[0]{message},
     qr/^The request took longer than its limit of 500 ms \(GraphQLRequestTimeout\)\.$/,
     'the message names the limit');
ok($took < 2, sprintf('the statement was cancelled: answered in %.2f s',
                      $took));
is(sql_statements_of_last_request(), 2, 'no statement after the deadline');
my @lines = grep { /GQL00050/ } split /\n/, error_log_since($mark);
is(scalar @lines, 1, 'one log line') or diag explain \@lines;
like($lines[0] // '', qr/:info\].*GQL00050: Query\.nap: the request passed GraphQLRequestTimeout \(500 ms\): its statement was cancelled/,
     'at info level, with the field');

# A mutation past the deadline rolls back.
($res, $body) = ask('/db-deadline', qq|mutation { note(body: "$run-a") |
                    . qq|napNote(body: "$run-b", ms: 3000) }|);
ok($res->{status} == 200 && !defined $body->{data}
   && grep({ $_->{extensions}{code} eq 'REQUEST_TIMEOUT' }
           @{ $body->{errors} || [] }),
   'a mutation past the deadline: data null, REQUEST_TIMEOUT')
    or diag explain $body;
is(psql("SELECT count(*) FROM glue_notes WHERE body LIKE '$run-%'"), '0',
   'and nothing of it committed');

# Under the deadline: the answer.
($res, $body) = ask('/db-deadline', '{ nap(ms: 50) one }');
ok($res->{status} == 200 && !$body->{errors}
   && $body->{data}{nap} == 50 && $body->{data}{one} == 1,
   'a query within the deadline: its data') or diag explain $body;

# A pool of one connection: the one a late request used serves the next.
{
    local $ENV{GQL_URL} = $ENV{GQL_URL_POOL1};
    my ($r1, $b1) = ask('/db-deadline', '{ pid nap(ms: 3000) }');
    ok($r1->{status} == 200 && $b1->{data}{pid}
       && codes($b1)->[0] eq 'nap REQUEST_TIMEOUT',
       'pool of one: a request past the deadline') or diag explain $b1;
    my ($same, $good) = (0, 0);
    for my $i (1 .. 6) {
        my ($r2, $b2) = ask('/db-deadline', '{ pid one }');
        $good++ if $r2->{status} == 200 && !$b2->{errors}
                   && $b2->{data}{one} == 1;
        $same++ if ($b2->{data}{pid} // 0) == ($b1->{data}{pid} // -1);
    }
    is($good, 6, 'the next requests on the pool of one all run');
    ok($same > 0, "the late request's connection among them ($same of 6)");
    ($r1, $b1) = ask('/db-deadline', qq|mutation { note(body: "$run-c") |
                     . qq|napNote(body: "$run-d", ms: 3000) }|);
    ($res, $body) = ask('/db-deadline', qq|mutation { note(body: "$run-e") }|);
    ok($res->{status} == 200 && $body->{data}{note},
       'pool of one: a mutation after a late one commits')
        or diag explain $body;
    is(psql("SELECT string_agg(body, ',' ORDER BY body) FROM glue_notes "
            . "WHERE body LIKE '$run-%'"), "$run-e",
       'only its row');
}

# ---- the statement budget -------------------------------------------

($res, $body) = ask('/db-deadline/few', '{ a: one }');
ok(!$body->{errors} && sql_statements_of_last_request() == 1,
   'under GraphQLMaxStatements 2: runs');
($res, $body) = ask('/db-deadline/few', '{ a: one b: one }');
ok(!$body->{errors} && sql_statements_of_last_request() == 2,
   'at it: runs');
($res, $body) = ask('/db-deadline/few', '{ a: one b: one c: one d: one }');
is($res->{status}, 200, 'over it: 200');
is_deeply($body->{data}, { a => 1, b => 1, c => undef, d => undef },
          'with the data of the statements within it');
is_deeply(codes($body), ['c STATEMENT_LIMIT_EXCEEDED',
                         'd STATEMENT_LIMIT_EXCEEDED'],
          'STATEMENT_LIMIT_EXCEEDED for the fields past it')
    or diag explain $body;
like($body->{errors}[0]{message}, qr/its limit of 2 \(GraphQLMaxStatements\)/,
     'the message names the limit');
is(sql_statements_of_last_request(), 2, 'no statement past it');
($res, $body) = ask('/db-deadline/few', qq|mutation { a: note(body: "$run-f")|
                    . qq| b: note(body: "$run-g") c: note(body: "$run-h") }|);
ok(!defined $body->{data} && codes($body)->[0] eq 'c STATEMENT_LIMIT_EXCEEDED',
   'a mutation over it: data null') or diag explain $body;
is(psql("SELECT count(*) FROM glue_notes WHERE body IN ('$run-f', "
        . "'$run-g')"), '0', 'and rolled back');

my $q = join ' ', map { "a$_: one" } 1 .. 100;
($res, $body) = ask('/db-deadline/unbounded', "{ $q }");
ok(!$body->{errors} && sql_statements_of_last_request() == 100,
   'at the default (100): runs');
($res, $body) = ask('/db-deadline/unbounded', "{ $q a101: one }");
is_deeply(codes($body), ['a101 STATEMENT_LIMIT_EXCEEDED'],
          'over the default: the 101st fails') or diag explain $body;
is(sql_statements_of_last_request(), 100, '100 statements ran');

# ---- bodies ---------------------------------------------------------

# Headers now, then a body of $len bytes that never comes whole.
sub slow_client {
    my ($url, $path, $len) = @_;
    my ($port) = $url =~ /:(\d+)$/;
    my $s = IO::Socket::INET->new(PeerAddr => '127.0.0.1', PeerPort => $port,
                                  Proto => 'tcp') or die "connect: $!";
    $s->autoflush(1);
    print $s "POST $path HTTP/1.1\r\nHost: 127.0.0.1\r\n"
             . "Content-Type: application/json\r\nAccept: application/json"
             . "\r\nContent-Length: $len\r\n\r\n{";
    return $s;
}

# The status of the response read from $s (0: closed with none).
sub status_of {
    my ($s) = @_;
    my $got = '';
    while (sysread($s, my $buf, 4096)) {
        $got .= $buf;
    }
    return $got =~ m{^HTTP/1\.1 (\d+)} ? ($1, $got) : (0, $got);
}

# GraphQLRequestTimeout cuts a body off at the deadline.
my $t0 = time;
my $s = slow_client($ENV{GQL_URL}, '/db-deadline', 200);
my $sel = IO::Select->new($s);
while (time - $t0 < 5 && !$sel->can_read(0.1)) {
    print $s ' ';
}
my ($st, $got) = status_of($s);
my $cut = time - $t0;
is($st, 408, 'a body not complete by the deadline: 408');
like($got, qr/"The request body did not arrive in time: a request may take at most 500 ms \(GraphQLRequestTimeout\)\."/,
     'with a GraphQL error that says why');
ok($cut > 0.4 && $cut < 2, sprintf('at the deadline (%.2f s)', $cut));

# 20 clients that send a body a byte at a time, beside { info }.
my %open;
for (1 .. 20) {
    my $c = slow_client($ENV{GQL_URL}, '/hn', 1000);
    $open{fileno $c} = { sock => $c, t0 => time };
}
my (@probes, %status, @ends);
$t0 = time;
while (%open && time - $t0 < 12) {
    for my $o (values %open) {
        local $SIG{PIPE} = 'IGNORE';
        syswrite($o->{sock}, ' ');
    }
    my $p0 = time;
    my ($pr, $pb) = ask('/hn', '{ info }');
    push @probes, $pr->{status} == 200 && $pb->{data}{info}
                  ? time - $p0 : 99;
    my $ready = IO::Select->new(map { $_->{sock} } values %open);
    for my $c ($ready->can_read(0.25)) {
        my $o = delete $open{fileno $c};
        my ($code) = status_of($c);
        $status{$code}++;
        push @ends, time - $o->{t0};
        close $c;
    }
}
close $_->{sock} for values %open;
my $left = keys %open;
is($left, 0, 'every slow client was cut off');
my @sorted = sort { $a <=> $b } @ends;
ok(@sorted && $sorted[-1] < 6,
   sprintf('within seconds (%.1f to %.1f s)', $sorted[0] // 0,
           $sorted[-1] // 0));
ok(!grep({ $_ != 408 && $_ != 0 } keys %status),
   'with 408 (or the connection closed)') or diag explain \%status;
my ($slowest) = sort { $b <=> $a } @probes;
ok(@probes >= 4 && $slowest < 0.1,
   sprintf('{ info } beside them: %d answers, the slowest in %.0f ms',
           scalar @probes, 1000 * ($slowest // 99)));

psql("DELETE FROM glue_notes WHERE body LIKE '$run-%'");
done_testing();
