# Licensed under the Apache License, Version 2.0 (the "License"); you may
# not use this file except in compliance with the License.  You may obtain
# a copy of the License at http://www.apache.org/licenses/LICENSE-2.0
#
# t/http/lib/GqlPg.pm: the private PostgreSQL cluster of the HTTP tests,
# through t/bin/pg-cluster (which runs it as the postgres user when the
# tests run as root).  t/http/run creates it, loads the tables and removes
# it; the .t files find it through GQL_PG_DIR and GQL_PG_PORT, to query it
# or to stop and start it under the running httpd.
package GqlPg;

use strict;
use warnings;
use GqlHttpd;

my $script = "$GqlHttpd::ROOT/t/bin/pg-cluster";

# new(dir => DIR, port => PORT); from the environment when not given.
sub new {
    my ($class, %a) = @_;
    my $self = bless {
        dir  => $a{dir}  || $ENV{GQL_PG_DIR}  || die("GQL_PG_DIR unset\n"),
        port => $a{port} || $ENV{GQL_PG_PORT} || die("GQL_PG_PORT unset\n"),
    }, $class;
    return $self;
}

sub dir  { $_[0]{dir} }
sub port { $_[0]{port} }

# Run pg-cluster with arguments, stderr with stdout; returns '' or its
# output when it failed.
sub cluster {
    my ($self, @args) = @_;
    my $pid = open(my $fh, '-|') // die "fork: $!";
    if (!$pid) {
        open(STDERR, '>&', \*STDOUT);
        exec $script, @args;
        exit 127;
    }
    local $/;
    my $out = <$fh> // '';
    close $fh;
    return $? ? ($out || "pg-cluster @args exited " . ($? >> 8)) : '';
}

# Start it; '' or what went wrong, with the end of the server's log.
sub start {
    my ($self) = @_;
    my $err = $self->cluster('start', $self->{dir}, $self->{port});
    my $log = "$self->{dir}/data/server.log";
    if ($err && -r $log && open(my $fh, '<', $log)) {
        my @lines = <$fh>;
        $err .= join '', '... ', @lines[($#lines > 5 ? $#lines - 5 : 0)
                                        .. $#lines];
    }
    return $err;
}
sub stop   { $_[0]->cluster('stop', $_[0]{dir}) }
sub remove { $_[0]->cluster('remove', $_[0]{dir}) }

# psql(SQL, [user => U]): the output of one command (unaligned, tuples
# only) as the graphql role (the one httpd connects as) unless told;
# dies when psql fails.
sub psql {
    my ($self, $sql, %o) = @_;
    my $user = $o{user} || 'graphql';
    open(my $fh, '-|', $script, 'psql', $self->{dir}, $self->{port},
         '-U', $user, '-d', 'graphql', '-qtA', '-c', $sql)
        or die "pg-cluster psql: $!";
    local $/;
    my $out = <$fh> // '';
    close $fh or die "psql failed ($?): $sql\n";
    $out =~ s/\s+\z//;
    return $out;
}

# Load SQL files into the graphql database as the graphql role; returns ''
# or psql's complaint.
sub load {
    my ($self, @files) = @_;
    return $self->cluster('psql', $self->{dir}, $self->{port}, '-q',
                          '-U', 'graphql', '-d', 'graphql',
                          map { ('-f', $_) } @files);
}

1;
