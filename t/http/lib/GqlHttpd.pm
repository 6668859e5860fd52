# Licensed under the Apache License, Version 2.0 (the "License"); you may
# not use this file except in compliance with the License.  You may obtain
# a copy of the License at http://www.apache.org/licenses/LICENSE-2.0
#
# t/http/lib/GqlHttpd.pm: a private httpd for the tests.  Writes an
# httpd.conf under a directory of t/scratch (which is its ServerRoot), starts
# the server on a free port of 127.0.0.1, stops it by pid file and
# SIGTERM, and removes what it made.  Works as root (children run as
# nobody) and as a normal user.  Its access_log says, per request, the
# X-Gql-Test header the client sent (GqlTest.pm sends one), how many
# SQL statements the request ran (%{graphql-sql-statements}n), what
# its operation cost (%{graphql-cost}n) and the other notes of the
# request (its operation, type, time in SQL, errors and caller).  It loads mod_reqtimeout with a
# body limit short enough for a test to see a slow body cut off, and
# enough threads in one child for 20 such clients and the requests beside
# them.
package GqlHttpd;

use strict;
use warnings;
use Cwd qw(abs_path);
use File::Basename qw(dirname);
use File::Path qw(make_path remove_tree);
use IO::Socket::INET;
use POSIX qw(WNOHANG);
use Time::HiRes qw(sleep time);

# The project root: two levels above this file's directory.
our $ROOT = abs_path(dirname(__FILE__) . '/../../..');

sub apxs_q {
    my ($var) = @_;
    my $apxs = $ENV{APXS} || 'apxs';
    my $v = `$apxs -q $var 2>/dev/null`;
    chomp $v if defined $v;
    return $v;
}

# The httpd binary and its modules directory.
sub httpd_bin {
    return $ENV{HTTPD} if $ENV{HTTPD};
    my $sbin = apxs_q('SBINDIR') || '/usr/sbin';
    my $target = apxs_q('TARGET') || 'apache2';
    return -x "$sbin/$target" ? "$sbin/$target" : '/usr/sbin/apache2';
}

sub modules_dir { return apxs_q('LIBEXECDIR') || '/usr/lib/apache2/modules' }

sub free_port {
    my $s = IO::Socket::INET->new(LocalAddr => '127.0.0.1', LocalPort => 0,
                                  Proto => 'tcp', Listen => 1, ReuseAddr => 1)
        or die "cannot find a free port: $!";
    my $port = $s->sockport;
    close $s;
    return $port;
}

# new(name => 'http', [no_dbd => 1]): ServerRoot t/scratch/NAME, or
# t/scratch/NAME.RUN under t/http/run (GQL_RUN_ID), so that two runs in one
# tree do not share directories; no_dbd leaves mod_dbd out of the modules
# loaded.
sub new {
    my ($class, %a) = @_;
    my $dir = "$ROOT/t/scratch/$a{name}"
              . (defined $ENV{GQL_RUN_ID} ? ".$ENV{GQL_RUN_ID}" : '');
    my $self = bless { dir => $dir, port => $a{port} || free_port(),
                       no_dbd => $a{no_dbd},
                       module => "$ROOT/.libs/mod_graphql.so" }, $class;
    return $self;
}

sub dir  { $_[0]{dir} }
sub port { $_[0]{port} }
sub conf { "$_[0]{dir}/httpd.conf" }
sub url  { "http://127.0.0.1:$_[0]{port}" }

# Make the ServerRoot: logs/, and the schema files of t/http/schema/.
sub prepare {
    my ($self) = @_;
    remove_tree($self->{dir});
    make_path("$self->{dir}/logs", "$self->{dir}/schema");
    for my $f (glob "$ROOT/t/http/schema/*.graphql") {
        my ($base) = $f =~ m{([^/]+)$};
        $self->write_file("schema/$base", slurp($f));
    }
    if ($> == 0) {
        # The children run as nobody and write nothing; the parent (root)
        # writes the logs, but keep them writable for the children's
        # sake (e.g. a sanitizer's report).
        chmod 0777, "$self->{dir}/logs";
    }
    return $self;
}

sub slurp {
    my ($f) = @_;
    open(my $fh, '<', $f) or die "$f: $!";
    local $/;
    return scalar <$fh>;
}

sub write_file {
    my ($self, $rel, $text) = @_;
    my $path = "$self->{dir}/$rel";
    make_path(dirname($path));
    open(my $fh, '>', $path) or die "$path: $!";
    print $fh $text;
    close $fh or die "$path: $!";
    return $path;
}

# The server-wide part of httpd.conf; $body is appended.
sub config {
    my ($self, $body) = @_;
    my $mods = modules_dir();
    my $user = $> == 0 ? "User nobody\nGroup nogroup\n" : '';
    my $dbd = $self->{no_dbd} ? '#' : '';
    return <<"EOC";
ServerRoot "$self->{dir}"
ServerName 127.0.0.1
Listen 127.0.0.1:$self->{port}
PidFile logs/httpd.pid
ErrorLog logs/error_log
LogLevel warn
DefaultRuntimeDir logs
$user
LoadModule mpm_event_module $mods/mod_mpm_event.so
LoadModule authz_core_module $mods/mod_authz_core.so
LoadModule alias_module $mods/mod_alias.so
${dbd}LoadModule dbd_module $mods/mod_dbd.so
LoadModule graphql_module $self->{module}
LoadModule reqtimeout_module $mods/mod_reqtimeout.so
RequestReadTimeout header=5-10,MinRate=500 body=2-10,MinRate=500

LogFormat "%{X-Gql-Test}i %>s %{graphql-sql-statements}n %m %U %{graphql-document}n %{graphql-cost}n %{graphql-operation}n %{graphql-type}n %{graphql-sql-time}n %{graphql-errors}n %{graphql-sub}n" gqltest
CustomLog logs/access_log gqltest

StartServers 1
ServerLimit 2
ThreadsPerChild 32
MaxRequestWorkers 64
MinSpareThreads 1
MaxSpareThreads 64
Timeout 10
KeepAlive On

$body
EOC
}

sub write_conf {
    my ($self, $body) = @_;
    return $self->write_file('httpd.conf', $self->config($body));
}

# Run httpd with arguments; returns (exit status, stderr text).
sub run_httpd {
    my ($self, @args) = @_;
    my $bin = httpd_bin();
    my $err = "$self->{dir}/logs/httpd.stderr";
    my $pid = fork;
    die "fork: $!" unless defined $pid;
    if ($pid == 0) {
        open(STDOUT, '>>', $err) or exit 127;
        open(STDERR, '>', $err) or exit 127;
        # A module built with sanitizers needs their runtime preloaded
        # into httpd (the ASan runtime must come first in the process),
        # and only there.
        $ENV{LD_PRELOAD} = $ENV{GQL_HTTPD_PRELOAD}
            if $ENV{GQL_HTTPD_PRELOAD};
        exec $bin, '-d', $self->{dir}, '-f', $self->conf, @args;
        exit 127;
    }
    waitpid($pid, 0);
    my $status = $? >> 8;
    return ($status, slurp($err));
}

sub pid {
    my ($self) = @_;
    my $f = "$self->{dir}/logs/httpd.pid";
    return undef unless -e $f;
    my $pid = slurp($f);
    $pid =~ s/\s+//g;
    return $pid =~ /^\d+$/ ? $pid : undef;
}

# Start and wait until the port answers.  Returns '' or an error.
sub start {
    my ($self) = @_;
    my ($st, $err) = $self->run_httpd('-k', 'start');
    return "httpd -k start exited $st: $err" if $st;
    my $until = time + 10;
    while (time < $until) {
        my $s = IO::Socket::INET->new(PeerAddr => '127.0.0.1',
                                      PeerPort => $self->{port},
                                      Proto => 'tcp');
        if ($s && $self->pid) {
            close $s;
            return '';
        }
        sleep 0.05;
    }
    return "httpd did not come up: " . $self->error_log;
}

sub error_log_path { "$_[0]{dir}/logs/error_log" }
sub access_log_path { "$_[0]{dir}/logs/access_log" }

sub error_log {
    my ($self) = @_;
    my $f = $self->error_log_path;
    return -e $f ? slurp($f) : '';
}

# SIGTERM the pid in the pid file and wait until it is gone.
sub stop {
    my ($self) = @_;
    my $pid = $self->pid or return;
    kill 'TERM', $pid;
    my $until = time + 15;
    while (time < $until && kill(0, $pid)) {
        sleep 0.05;
    }
    kill 'KILL', $pid if kill(0, $pid);
    unlink "$self->{dir}/logs/httpd.pid";
}

sub cleanup {
    my ($self) = @_;
    remove_tree($self->{dir});
    # t/scratch itself goes when nothing else is in it.
    rmdir "$ROOT/t/scratch";
}

1;
