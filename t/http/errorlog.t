# Licensed under the Apache License, Version 2.0 (the "License"); you may
# not use this file except in compliance with the License.  You may obtain
# a copy of the License at http://www.apache.org/licenses/LICENSE-2.0
#
# t/http/errorlog.t: the error log while the database cannot be reached.
# On the server's second port (GQL_DEAD_URL), whose virtual host's
# DBDParams name a port where nothing listens, 200 requests of a field
# backed by SQL are each 503 DATABASE_UNAVAILABLE, yet the error log grows
# by a few lines, not three per request: a child tries the database once
# per back-off (so mod_dbd's own lines are few too) and writes one
# GQL00031 line per interval.  t/http/database.t sees the line that says
# the database is back.
use strict;
use warnings;
use FindBin;
use lib "$FindBin::Bin/lib";
use GqlTest;
use Test::More;
use Time::HiRes qw(time);

$ENV{GQL_URL} = $ENV{GQL_DEAD_URL} || die "GQL_DEAD_URL is not set\n";

my $mark = error_log_mark();
my ($unavailable, $other) = (0, 0);
my $t0 = time;
for (1 .. 200) {
    my $res = gql_post('/db', { query => '{ notes { id } }' });
    my $body = json_body($res) || {};
    if ($res->{status} == 503 && ($body->{errors}[0]{extensions}{code}
                                  // '') eq 'DATABASE_UNAVAILABLE') {
        $unavailable++;
    }
    else {
        $other++;
        diag explain $res if $other == 1;
    }
}
my $took = time - $t0;
is($unavailable, 200, sprintf('200 requests, each 503 DATABASE_UNAVAILABLE '
                              . '(%.1f s)', $took));
ok($took < 20, 'none waits long for the database');

my @lines = split /\n/, error_log_since($mark);
my $ours = grep { /GQL00031:/ } @lines;
my $dbd = grep { /mod_dbd|AH0/ && !/GQL000/ } @lines;
note("error log: ", scalar @lines, " lines, $ours GQL00031, $dbd mod_dbd's");
note($_) for @lines[0 .. ($#lines < 9 ? $#lines : 9)];
ok($ours >= 1, 'the failure is logged (GQL00031)');
ok($ours <= 2 * (1 + int($took / 10)),
   "one GQL00031 line per child and 10 s ($ours)");
ok($dbd <= 6 * (1 + int($took)),
   "mod_dbd's lines: a few per child and back-off, not per request ($dbd)");
ok(@lines < 40, 'the error log grew by a few lines (' . @lines . '), not '
                . '600');

# The same on the main port: the database there is up, the other host's
# back-off is its own.
$ENV{GQL_URL} = "http://127.0.0.1:$ENV{GQL_PORT}";
my $res = gql_post('/db', { query => '{ notes { id } }' });
is($res->{status}, 200, 'the main host\'s database still answers');

done_testing();
