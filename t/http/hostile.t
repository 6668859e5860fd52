# Licensed under the Apache License, Version 2.0 (the "License"); you may
# not use this file except in compliance with the License.  You may obtain
# a copy of the License at http://www.apache.org/licenses/LICENSE-2.0
#
# t/http/hostile.t: requests a hostile client sends to take the server
# down, against the Hackernews clone at /hn with every bound at its
# default.  Each is refused (or answered) quickly, runs no SQL statement
# when refused, and while it runs a probe that asks { info } every 50 ms
# on connections of its own is answered promptly.  The children's peak
# resident memory (VmHWM) stays bounded by the input throughout.  The
# bounds asserted are generous (a busy machine must not fail them);
# bench/hostile prints the figures.
use strict;
use warnings;
use FindBin;
use lib "$FindBin::Bin/lib";
use GqlTest;
use JSON::PP;
use POSIX ();
use Test::More;
use Time::HiRes qw(time sleep);

my $json = JSON::PP->new->canonical;

# The limits' codes: any of them is a right answer to a document that
# passes several limits at once (which one speaks first is the order of
# the checks, not the test's business).
my %limit = map { $_ => 1 } qw(TOKEN_LIMIT_EXCEEDED ALIAS_LIMIT_EXCEEDED
    ROOT_FIELD_LIMIT_EXCEEDED FIELD_LIMIT_EXCEEDED COST_LIMIT_EXCEEDED
    MUTATION_FIELD_LIMIT_EXCEEDED ONCE_PER_REQUEST);

# The probe: a child that asks { info } every 50 ms until told to stop,
# then reports its slowest answer (ms) and how many answers were not 200.
sub probe_start {
    pipe(my $r, my $w) or die "pipe: $!";
    my $pid = fork // die "fork: $!";
    if ($pid == 0) {
        close $r;
        my ($max, $bad, $stop) = (0, 0, 0);
        local $SIG{TERM} = sub { $stop = 1 };
        until ($stop) {
            my $t0 = time;
            my $res = gql_get('/hn', { query => '{ info }' });
            my $ms = (time - $t0) * 1000;
            $max = $ms if $ms > $max;
            $bad++ unless $res->{status} == 200;
            sleep 0.05;
        }
        printf $w "%d %d\n", $max, $bad;
        close $w;
        POSIX::_exit(0);
    }
    close $w;
    sleep 0.1;
    return [$pid, $r];
}

sub probe_stop {
    my ($p) = @_;
    kill 'TERM', $p->[0];
    my $fh = $p->[1];
    my $line = <$fh> // "99999 1\n";
    waitpid($p->[0], 0);
    return split ' ', $line;
}

# POST several bodies at once (one by one: see below); each answer as [status, decoded body,
# seconds, bytes].
sub concurrently {
    my (@bodies) = @_;
    my @kids;
    # One body is sent from this process, so that the access log's
    # readers (sql_statements_of_last_request) know its label.
    if (@bodies == 1) {
        my $t0 = time;
        my $res = gql_post('/hn', $bodies[0], accept => GR);
        return [$res->{status}, json_body($res), time - $t0,
                length($res->{content} // '')];
    }
    for my $body (@bodies) {
        pipe(my $r, my $w) or die "pipe: $!";
        my $pid = fork // die "fork: $!";
        if ($pid == 0) {
            close $r;
            my $t0 = time;
            my $res = gql_post('/hn', $body, accept => GR);
            my $b = json_body($res);
            print $w $json->encode([$res->{status}, $b, time - $t0,
                                    length($res->{content} // '')]);
            close $w;
            POSIX::_exit(0);
        }
        close $w;
        push @kids, [$pid, $r];
    }
    my @out;
    for my $k (@kids) {
        my $fh = $k->[1];
        local $/;
        my $text = <$fh>;
        waitpid($k->[0], 0);
        push @out, $text ? $json->decode($text) : [0, undef, 0, 0];
    }
    return @out;
}

# The largest VmHWM (kB) of the server's children.
sub peak_kb {
    my $pidfile = "$ENV{GQL_HTTPD_DIR}/logs/httpd.pid";
    open(my $fh, '<', $pidfile) or return 0;
    my $parent = <$fh>;
    chomp $parent;
    my $max = 0;
    for my $st (glob '/proc/[0-9]*/stat') {
        open(my $sf, '<', $st) or next;
        my $line = <$sf> // next;
        my ($pid, $ppid) = $line =~ /^(\d+) \(.*\) \S+ (\d+)/ or next;
        next unless $ppid == $parent;
        open(my $s, '<', "/proc/$pid/status") or next;
        while (<$s>) {
            $max = $1 if /^VmHWM:\s+(\d+)/ && $1 > $max;
        }
    }
    return $max;
}

sub aliases {
    my ($n, $field) = @_;
    return join(' ', map { "a$_: $field" } 0 .. $n - 1);
}

# Run one hostile row: every answer is $status with one of the codes of
# %$codes on its first error (or the check $check passes), within $secs;
# the probe is answered within a second throughout.
sub row {
    my (%a) = @_;
    my $probe = probe_start();
    my $t0 = time;
    my @answers = concurrently(@{ $a{bodies} });
    my $took = time - $t0;
    my ($slowest, $bad) = probe_stop($probe);
    my @wrong = grep {
        my ($st, $b) = @$_;
        my $code = $b && $b->{errors} && $b->{errors}[0]{extensions}
                   ? $b->{errors}[0]{extensions}{code} // '' : '';
        $st != $a{status} || ($a{codes} && !$a{codes}{$code})
            || ($a{check} && !$a{check}->($_))
    } @answers;
    ok(!@wrong, "$a{name}: answered $a{status}"
       . ($a{codes} ? ' with the expected code' : ''))
        or diag explain [map { [$_->[0], $_->[1] && $_->[1]{errors}
                                ? $_->[1]{errors}[0] : $_->[1]] }
                         @wrong[0 .. ($#wrong < 2 ? $#wrong : 2)]];
    ok($took < $a{secs}, sprintf('%s: within %d s (%.2f s)', $a{name},
                                 $a{secs}, $took));
    ok($slowest < 1000 && !$bad,
       "$a{name}: { info } answered promptly meanwhile ($slowest ms)");
    note sprintf('%s: %.2f s, probe %d ms, peak %d kB', $a{name}, $took,
                 $slowest, peak_kb());
    return @answers;
}

my $feed = 'feed(orderBy: {description: desc}, skip: 9990, take: 1) '
           . '{ links { id } }';

row(name => '2,000 aliases of feed(skip: 9990)',
    bodies => [{ query => '{ ' . aliases(2000, $feed) . ' }' }],
    status => 400, codes => \%limit, secs => 5);
ok(!sql_statements_of_last_request(), '... and ran no statement');

row(name => '70 requests of 100 such aliases at once',
    bodies => [({ query => '{ ' . aliases(100, $feed) . ' }' }) x 70],
    status => 400, codes => \%limit, secs => 10);

row(name => '10,000 aliases of feed { count }',
    bodies => [{ query => '{ ' . aliases(10000, 'feed { count }') . ' }' }],
    status => 400, codes => \%limit, secs => 5);

my $login = 'login(email: "nobody@example.com", password: "x") { token }';
row(name => '200 aliases of login in one mutation',
    bodies => [{ query => 'mutation { ' . aliases(200, $login) . ' }' }],
    status => 400, codes => \%limit, secs => 5);
ok(!sql_statements_of_last_request(), '... and ran no statement');

my $signup = 'signup(email: "hostile@example.com", password: "x", '
             . 'name: "h") { token }';
row(name => 'two signups in one mutation',
    bodies => [{ query => "mutation { a: $signup b: $signup }" }],
    status => 400, codes => \%limit, secs => 5);
ok(!sql_statements_of_last_request(), '... and ran no statement');

# Overlapping fields: 5,000 of them (130 KB) are past the token limit;
# 1,800 (about 14,400 tokens) reach the overlap check, which compares
# every pair of them with no memory per pair.
my $overlap = sub {
    '{ ' . join(' ', map { "feed(take: $_) { count }" } 0 .. $_[0] - 1)
    . ' }';
};
row(name => '5,000 overlapping fields, 8 requests at once',
    bodies => [({ query => $overlap->(5000) }) x 8],
    status => 400, secs => 10);
row(name => '1,800 overlapping fields, 4 requests at once',
    bodies => [({ query => $overlap->(1800) }) x 4],
    status => 400, secs => 20);

# A 1 MiB body of { info info ... }: the lexer stops at the token limit.
my $info = '{ ' . ('info ' x int((1024 * 1024 - 40) / 5)) . '}';
row(name => 'a 1 MiB document { info info ... }',
    bodies => [{ query => $info }],
    status => 400, codes => { TOKEN_LIMIT_EXCEEDED => 1 }, secs => 5);

# An unknown field named with 900 KB of letters: a 400 that quotes a
# bounded prefix of the name.
my ($long) = row(name => 'a field named with 900 KB of letters',
                 bodies => [{ query => '{ ' . ('x' x 921600) . ' }' }],
                 status => 400, secs => 5);
ok($long->[3] < 4096, "... whose answer is short ($long->[3] bytes)");
like($long->[1]{errors}[0]{message} // '', qr/^Cannot query field "x+\.\.\."/,
     '... and names a prefix of the field');

# U+0000, which PostgreSQL text cannot hold, in a variable.
row(name => 'a variable holding U+0000',
    bodies => [{ query => 'query($f: String) { feed(filter: $f) { count } }',
                 variables => { f => "ab\x{0}cd" } }],
    status => 400, codes => { BAD_USER_INPUT => 1 }, secs => 5);

# What every row above cost the children, at most: the memory of the
# hostile documents is bounded by their size, not by their work.
my $peak = peak_kb();
ok($peak > 0 && $peak < 256 * 1024,
   "the children's peak resident memory stayed under 256 MB ($peak kB)");

done_testing();
