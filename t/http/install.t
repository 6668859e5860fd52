# Licensed under the Apache License, Version 2.0 (the "License"); you may
# not use this file except in compliance with the License.  You may obtain
# a copy of the License at http://www.apache.org/licenses/LICENSE-2.0
#
# t/http/install.t: the Debian install, on a copy of /etc/apache2 (never
# the system's).  `make -f Makefile.apxs install` with LIBEXECDIR and
# APACHE_CONFDIR pointed into t/scratch puts the module there and writes
# mods-available/graphql.load (# Depends: dbd) and graphql.conf (every
# directive of the module, commented out); Debian's own a2enmod, told the
# copy by APACHE_CONFDIR (and APACHE_STATE_DIRECTORY for its markers),
# enables it and mod_dbd; graphql.conf.example with its placeholders
# filled passes Debian's `apache2ctl configtest` on that copy, and loads
# mod_reqtimeout itself when a2dismod has disabled it; apache2ctl start
# on the copy serves the example's endpoint from the test's database;
# a2dismod graphql undoes a2enmod.  Skipped where Debian's apache2
# layout is missing.
use strict;
use warnings;
use FindBin;
use lib "$FindBin::Bin/lib";
use GqlHttpd;
use File::Path qw(make_path remove_tree);
use HTTP::Tiny;
use Test::More;

plan skip_all => 'no Debian apache2 (/etc/apache2/mods-available, a2enmod)'
    unless -d '/etc/apache2/mods-available' && -x '/usr/sbin/a2enmod'
           && -x '/usr/sbin/apache2ctl';

my $root = $GqlHttpd::ROOT;
my $dir = "$root/t/scratch/install." . ($ENV{GQL_RUN_ID} // $$);
my $etc = "$dir/apache2";
END {
    # The apache2 this test started, if it stopped half-way.
    if (open(my $pf, '<', "$dir/run/apache2.pid")) {
        my ($pid) = <$pf> =~ /(\d+)/;
        kill 'TERM', $pid if $pid;
    }
    remove_tree($dir) unless $ENV{GQL_KEEP_TMP};
}

# What the system's /etc/apache2 holds of mod_graphql, to compare after.
sub system_state {
    return join ',', map { -e $_ ? "$_:" . (stat _)[9] : "$_:none" }
        map { ("/etc/apache2/mods-available/$_",
               "/etc/apache2/mods-enabled/$_") }
        qw(graphql.load graphql.conf dbd.load);
}
my $before = system_state();

remove_tree($dir);
make_path("$dir/modules", "$dir/state", "$dir/run", "$dir/lock",
          "$dir/log", "$dir/graphql");
system('cp', '-a', '/etc/apache2', $etc) == 0 or die "cp /etc/apache2";
# Debian's envvars names the system's run, lock and log directories:
# point them into the copy's, as a second apache2 instance would.
open(my $fh, '>>', "$etc/envvars") or die "$etc/envvars: $!";
print $fh "export APACHE_RUN_DIR=$dir/run\n",
          "export APACHE_PID_FILE=$dir/run/apache2.pid\n",
          "export APACHE_LOCK_DIR=$dir/lock\n",
          "export APACHE_LOG_DIR=$dir/log\n";
close $fh;

local $ENV{APACHE_CONFDIR} = $etc;
local $ENV{APACHE_STATE_DIRECTORY} = "$dir/state";

# A command's exit status and its output (stdout and stderr).
sub run {
    my $cmd = join ' ', map { "'$_'" } @_;
    my $out = `$cmd 2>&1`;
    return ($? >> 8, $out);
}

my ($st, $out) = run('make', '-s', '-C', $root, '-f', 'Makefile.apxs',
                     'install', "LIBEXECDIR=$dir/modules",
                     "APACHE_CONFDIR=$etc");
is($st, 0, 'make install into the copy') or diag $out;
ok(-f "$dir/modules/mod_graphql.so", 'the module is in LIBEXECDIR');
my $load = -f "$etc/mods-available/graphql.load"
           ? GqlHttpd::slurp("$etc/mods-available/graphql.load") : '';
is($load, "# Depends: dbd\nLoadModule graphql_module "
          . "$dir/modules/mod_graphql.so\n",
   'graphql.load: depends on dbd, loads the installed module');
my $conf = -f "$etc/mods-available/graphql.conf"
           ? GqlHttpd::slurp("$etc/mods-available/graphql.conf") : '';
my $source = GqlHttpd::slurp("$root/mod_graphql.c");
my @directives = $source =~ /AP_INIT_\w+\("(GraphQL\w+)"/g;
ok(@directives > 30, 'the module\'s directives are read from its table');
my @missing = grep { $conf !~ /^\s*#\Q$_\E[ \n]/m } @directives;
is_deeply(\@missing, [], 'graphql.conf has every directive, commented out')
    or diag "missing: @missing";
unlike($conf, qr/^\s*GraphQL/m, 'graphql.conf sets nothing');

# a2enmod: the module and, by its Depends line, mod_dbd.
ok(!-e "$etc/mods-enabled/dbd.load", 'stock Debian: mod_dbd not enabled');
($st, $out) = run('/usr/sbin/a2enmod', '-q', 'graphql');
is($st, 0, 'a2enmod graphql') or diag $out;
for my $f (qw(graphql.load graphql.conf dbd.load)) {
    is(readlink("$etc/mods-enabled/$f"), "../mods-available/$f",
       "a2enmod: mods-enabled/$f");
}
($st, $out) = run('/usr/sbin/apache2ctl', 'configtest');
is($st, 0, 'configtest with the module enabled and nothing configured')
    or diag $out;

# graphql.conf.example, its placeholders filled: the schema, the secret
# (the database is only reached once children start).  mod_reqtimeout
# disabled: the example loads it.
my $example = GqlHttpd::slurp("$root/graphql.conf.example");
$example =~ s{/etc/apache2/graphql/}{$dir/graphql/}g;
system('cp', "$root/schema/hackernews.graphql", "$dir/graphql/") == 0
    or die 'cp hackernews.graphql';
open($fh, '>', "$dir/graphql/jwt.secret") or die "jwt.secret: $!";
print $fh 'x' x 64, "\n";
close $fh;
open($fh, '>', "$etc/conf-available/graphql-example.conf") or die $!;
print $fh $example;
close $fh;
($st, $out) = run('/usr/sbin/a2dismod', '-q', '-f', 'reqtimeout');
is($st, 0, 'a2dismod reqtimeout') or diag $out;
($st, $out) = run('/usr/sbin/a2enconf', '-q', 'graphql-example');
is($st, 0, 'a2enconf graphql-example') or diag $out;
($st, $out) = run('/usr/sbin/apache2ctl', 'configtest');
is($st, 0, 'graphql.conf.example passes apache2ctl configtest') or diag $out;
like($out, qr/Syntax OK/, 'configtest: Syntax OK');
($st, $out) = run('/usr/sbin/apache2ctl', '-M');
like($out, qr/^\s*reqtimeout_module\b/m, 'the example loads mod_reqtimeout');
like($out, qr/^\s*graphql_module\b/m, 'mod_graphql is loaded');
like($out, qr/^\s*dbd_module\b/m, 'mod_dbd is loaded');

# The endpoint answers: Debian's apache2, started by apache2ctl on the
# copy, listening on a free port of 127.0.0.1 only, with the example's
# DBDParams pointed at the test's PostgreSQL (t/http/run's), which has
# the Hackernews tables and roles.
SKIP: {
    skip 'no PostgreSQL of t/http/run (GQL_PG_PORT)', 4
        unless $ENV{GQL_PG_PORT};
    my $port = GqlHttpd::free_port();
    open($fh, '>', "$etc/ports.conf") or die "$etc/ports.conf: $!";
    print $fh "Listen 127.0.0.1:$port\n";
    close $fh;
    $example =~ s{host=127\.0\.0\.1 port=5432 dbname=hackernews}
                 {host=127.0.0.1 port=$ENV{GQL_PG_PORT} dbname=graphql};
    open($fh, '>', "$etc/conf-available/graphql-example.conf") or die $!;
    print $fh $example;
    close $fh;
    ($st, $out) = run('/usr/sbin/apache2ctl', 'start');
    is($st, 0, 'apache2ctl start') or diag $out;
    my $http = HTTP::Tiny->new(timeout => 10);
    my $res;
    for (1 .. 50) {
        $res = $http->post("http://127.0.0.1:$port/graphql", {
            headers => { 'content-type' => 'application/json' },
            content => '{"query":"{ info feed { count } }"}' });
        last if $res->{status} != 599;
        select(undef, undef, undef, 0.1);
    }
    is($res->{status}, 200, 'the endpoint answers') or diag $res->{content};
    like($res->{content},
         qr/^\{"data":\{"info":"[^"]+","feed":\{"count":\d+\}\}\}$/,
         'a query with SQL, on the database of DBDParams');
    ($st, $out) = run('/usr/sbin/apache2ctl', 'stop');
    my $pid_file = "$dir/run/apache2.pid";
    for (1 .. 100) {
        last unless -e $pid_file;
        select(undef, undef, undef, 0.1);
    }
    ok(!-e $pid_file, 'apache2ctl stop');
}

# a2dismod undoes a2enmod (mod_dbd stays, as a2dismod leaves
# dependencies).
run('/usr/sbin/a2disconf', '-q', 'graphql-example');
($st, $out) = run('/usr/sbin/a2dismod', '-q', 'graphql');
is($st, 0, 'a2dismod graphql') or diag $out;
ok(!-e "$etc/mods-enabled/graphql.load"
   && !-e "$etc/mods-enabled/graphql.conf",
   'a2dismod: graphql.load and graphql.conf are no longer enabled');
($st, $out) = run('/usr/sbin/apache2ctl', '-M');
unlike($out, qr/graphql_module/, 'mod_graphql is no longer loaded');

# Installing again keeps an edited graphql.conf, as dpkg keeps a conffile.
open($fh, '>>', "$etc/mods-available/graphql.conf") or die $!;
print $fh "# edited\n";
close $fh;
($st, $out) = run('make', '-s', '-C', $root, '-f', 'Makefile.apxs',
                  'install', "LIBEXECDIR=$dir/modules",
                  "APACHE_CONFDIR=$etc");
is($st, 0, 'make install again');
like(GqlHttpd::slurp("$etc/mods-available/graphql.conf"), qr/# edited\n\z/,
     'install again: the edited graphql.conf is kept');
is(system_state(), $before, 'the system\'s /etc/apache2 is as it was');

done_testing();
