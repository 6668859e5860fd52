# Licensed under the Apache License, Version 2.0 (the "License"); you may
# not use this file except in compliance with the License.  You may obtain
# a copy of the License at http://www.apache.org/licenses/LICENSE-2.0
#
# t/lib/GqlTap.pm: what the Test Anything Protocol of a test program
# means, for t/run (which tallies programs) and t/http/run (which relays
# the checks of every .t file as one stream), so that both count alike:
#
#   ok N - name                 a check of behaviour that passed
#   not ok N - name             one that failed
#   ok N - name # setup         a set-up guard (the cases are there, a
#   not ok N - name # setup     case loads, a server starts), counted
#                               apart from behaviour
#   (not) ok N - name # TODO    counted apart: neither passed nor failed
#   ok N - name # SKIP          counted apart
#   1..N                        the plan
#
# A program fails when a check or a guard fails, when it does not run
# exactly its plan, when it exits with a status other than 0, and when a
# signal ends it, whatever it printed before.
package GqlTap;

use strict;
use warnings;
use Config;

# The counts of a tally, one per kind of check line.
our @KINDS = qw(passed failed setup setup_failed todo skipped);

# What a line is: {kind => KIND} with one of @KINDS, desc (the text after
# the number) and not (1 for "not ok") for a check; {kind => 'plan', plan
# => N}; {kind => 'comment'}; {kind => 'other'}.
sub classify {
    my ($line) = @_;

    return { kind => 'plan', plan => $1 } if $line =~ /^1\.\.(\d+)/;
    return { kind => 'comment' } if $line =~ /^\s*#/;
    my ($not, $desc) = $line =~ /^(not )?ok\b\s*\d*\s*(?:-\s*)?(.*?)\s*$/
        or return { kind => 'other' };
    my ($dir) = $desc =~ /(?:^|\s)#\s*(TODO|SKIP|setup)\b/i;
    $dir = lc($dir // '');
    my $kind = $dir eq 'todo'            ? 'todo'
             : $dir eq 'skip' && !$not   ? 'skipped'
             : $dir eq 'setup'           ? ($not ? 'setup_failed' : 'setup')
             : $not                      ? 'failed'
             :                             'passed';
    return { kind => $kind, desc => $desc, not => $not ? 1 : 0 };
}

# Run the program @$cmd and read what it prints; $each, when given, is
# called with every line and its classify().  Returns the tally: a count
# per kind, planned (undef without a plan), seen (check lines), status
# and signal (of the program's end), lines, and error when it could not
# be started.
sub run {
    my ($cmd, $each) = @_;
    my %t = (planned => undef, seen => 0, status => 0, signal => 0,
             lines => []);
    $t{$_} = 0 for @KINDS;
    my $fh;
    if (!open($fh, '-|', @$cmd)) {
        $t{error} = "cannot run: $!";
        return \%t;
    }
    while (my $line = <$fh>) {
        my $c = classify($line);
        push @{ $t{lines} }, $line;
        if ($c->{kind} eq 'plan') {
            $t{planned} = $c->{plan};
        }
        elsif (defined $c->{desc}) {
            $t{ $c->{kind} }++;
            $t{seen}++;
        }
        $each->($line, $c) if $each;
    }
    close $fh;
    $t{status} = $? >> 8;
    $t{signal} = $? & 127;
    return \%t;
}

sub signame {
    my ($n) = @_;
    my @names = split ' ', $Config{sig_name};
    return defined $names[$n] ? "$n (SIG$names[$n])" : $n;
}

# How the program itself failed, one sentence each: it could not start,
# a signal ended it, it exited with a status but failed no check (a
# program that failed checks exits with a status: no news), it did not
# run its plan.
sub problems {
    my ($t) = @_;
    my @p;

    return ($t->{error}) if $t->{error};
    push @p, 'killed by signal ' . signame($t->{signal}) if $t->{signal};
    push @p, "exit status $t->{status}"
        if $t->{status} && !$t->{failed} && !$t->{setup_failed};
    push @p, 'planned ' . ($t->{planned} // 'nothing') . ", ran $t->{seen}"
        if !defined $t->{planned} || $t->{planned} != $t->{seen};
    return @p;
}

# Whether the program failed: a check, a guard or the program itself.
sub bad {
    my ($t) = @_;
    return $t->{failed} || $t->{setup_failed} || problems($t) ? 1 : 0;
}

# A stream of checks with one numbering, as t/http/run prints it: checks
# of its own (check, setup) and those of other programs (relay), written
# to $out (STDOUT when not given).
sub new {
    my ($class, $out) = @_;
    return bless { out => $out // \*STDOUT, n => 0, failed => 0 }, $class;
}

# Print one check line; it counts as a failure when classify() says so,
# so that the stream and t/run agree on every relayed line.
sub emit {
    my ($self, $ok, $name) = @_;
    my $line = ($ok ? '' : 'not ') . 'ok ' . ++$self->{n} . " - $name\n";
    my $kind = classify($line)->{kind};

    $self->{failed}++ if $kind eq 'failed' || $kind eq 'setup_failed';
    print { $self->{out} } $line;
}

sub check { my ($self, $ok, $name) = @_; $self->emit($ok, $name) }
sub setup { my ($self, $ok, $name) = @_; $self->emit($ok, "$name # setup") }

sub note {
    my ($self, @text) = @_;
    print { $self->{out} } "# $_\n" for map { split /\n/ } @text;
}

# Run @$cmd and relay its checks as "LABEL: name", verdict and directive
# kept, and its comments as they are; then a failed check for each way
# the program itself failed.  Returns run()'s tally.
sub relay {
    my ($self, $label, $cmd) = @_;
    my $t = run($cmd, sub {
        my ($line, $c) = @_;
        if (defined $c->{desc}) {
            $self->emit(!$c->{not}, "$label: $c->{desc}");
        }
        elsif ($c->{kind} eq 'comment') {
            print { $self->{out} } $line;
        }
    });
    $self->check(0, "$label: $_") for problems($t);
    return $t;
}

sub count_failed { $_[0]{failed} }

sub plan {
    my ($self) = @_;
    print { $self->{out} } "1..$self->{n}\n";
}

1;
