# Licensed under the Apache License, Version 2.0 (the "License"); you may
# not use this file except in compliance with the License.  You may obtain
# a copy of the License at http://www.apache.org/licenses/LICENSE-2.0
#
# t/http/checks.t: mistakes found before serving.  A schema with SQL where
# DBDriver is not pgsql (the main server's, or a virtual host's) and a
# SetHandler graphql with no GraphQLSchema in scope fail `apache2 -t` with
# one line; a schema of a parent <Location>, of the server or of the
# virtual host is in scope.  With GraphQLCheckSQL On, start-up prepares
# every @sql statement on the database of DBDParams: a missing table and
# a missing column stop it with FILE:LINE:COL and PostgreSQL's message,
# an unreachable database with one line; good statements start, and run
# nothing.  Runs its own httpd (t/scratch/checks) on the harness's
# PostgreSQL.
use strict;
use warnings;
use FindBin;
use lib "$FindBin::Bin/lib";
use GqlHttpd;
use GqlPg;
use Test::More;

my $pg_port = $ENV{GQL_PG_PORT} or plan skip_all => 'GQL_PG_PORT unset';
my $h = GqlHttpd->new(name => 'checks')->prepare;
my $dir = $h->dir;
my $started = 0;
END { $h->stop if $started; $h->cleanup unless $ENV{GQL_KEEP_TMP}; }

my $params = "host=127.0.0.1 port=$pg_port dbname=graphql user=graphql "
             . 'connect_timeout=3';
my $closed = GqlHttpd::free_port();

$h->write_file('schema/sql.graphql',
               qq|type Query {\n  one: Int \@sql(query: "SELECT 1")\n}\n|);
$h->write_file('schema/plain.graphql', "type Query { a: Int }\n");
$h->write_file('schema/good.graphql', <<'EOS');
type Query {
  one: Int @sql(query: "SELECT 1")
  count(name: String): Int
    @sql(query: "SELECT count(*)::int FROM pg_class WHERE relname = $name")
}
type Mutation {
  drop: Int @sql(query: "DELETE FROM gql_checked RETURNING 1")
}
EOS
$h->write_file('schema/missing.graphql', <<'EOS');
type Query {
  ok: Int @sql(query: "SELECT 1")
  table: Int @sql(query: "SELECT 1 FROM no_such_table")
  column: Int @sql(query: "SELECT no_such_column FROM pg_class")
}
EOS

# The lines of httpd's output that name mod_graphql.
sub ours {
    my ($text) = @_;
    return [grep { /mod_graphql/ } split /\n/, $text];
}

sub configtest {
    my ($body) = @_;
    $h->write_conf("DocumentRoot \"$dir\"\n$body");
    return $h->run_httpd('-t');
}

sub location {
    my ($path, $lines) = @_;
    return "<Location $path>\n$lines</Location>\n";
}

# DBDriver.
my $conf = "DBDriver %s\nDBDParams \"$params\"\n"
           . location('/g', "    SetHandler graphql\n"
                      . "    GraphQLSchema schema/sql.graphql\n");
my ($st, $err) = configtest(sprintf($conf, 'pgsql'));
is($st, 0, 'DBDriver pgsql: apache2 -t succeeds') or diag $err;
($st, $err) = configtest(sprintf($conf, 'sqlite3'));
isnt($st, 0, 'DBDriver sqlite3 with a schema of SQL: apache2 -t fails');
is_deeply(ours($err), ["mod_graphql: $dir/schema/sql.graphql maps fields "
                       . 'to SQL (@sql), which needs DBDriver pgsql, not '
                       . "sqlite3 (${\ $h->conf }:32)"],
          '... with one line naming the driver and where it is set')
    or diag $err;
($st, $err) = configtest("DBDriver sqlite3\n"
                         . location('/g', "    SetHandler graphql\n"
                                    . "    GraphQLSchema "
                                    . "schema/plain.graphql\n"));
is($st, 0, 'DBDriver sqlite3 with a schema without SQL: accepted')
    or diag $err;
my $vport = GqlHttpd::free_port();
($st, $err) = configtest("DBDriver pgsql\nListen 127.0.0.1:$vport\n"
                         . "<VirtualHost 127.0.0.1:$vport>\n"
                         . "    DBDriver \"sqlite3\"\n"
                         . location('/v', "    SetHandler graphql\n"
                                    . "    GraphQLSchema schema/sql.graphql\n")
                         . "</VirtualHost>\n");
isnt($st, 0, "a virtual host's DBDriver sqlite3: apache2 -t fails");
like($err, qr/needs DBDriver pgsql, not sqlite3/, '... naming it')
    or diag $err;

# SetHandler graphql with no schema in scope.
($st, $err) = configtest(location('/g', "    SetHandler graphql\n")
                         . location('/other', "    SetHandler graphql\n"
                                    . "    GraphQLSchema "
                                    . "schema/plain.graphql\n"));
isnt($st, 0, 'SetHandler graphql without a schema: apache2 -t fails');
is_deeply(ours($err), ['mod_graphql: SetHandler graphql in <Location /g> '
                       . "(${\ $h->conf }:33) has no GraphQLSchema in "
                       . 'scope'], '... with one line naming the location')
    or diag $err;
for my $in (
    [ "GraphQLSchema schema/plain.graphql\n"
      . location('/g', "    SetHandler graphql\n"), 'the server' ],
    [ location('/api', "    GraphQLSchema schema/plain.graphql\n")
      . location('/api/v1', "    SetHandler \"GraphQL\"\n"),
      'a parent <Location>' ],
    [ location('/g', "    <IfModule mod_graphql.c>\n"
                     . "        SetHandler graphql\n"
                     . "        GraphQLSchema schema/plain.graphql\n"
                     . "    </IfModule>\n"), 'the same <Location>' ],
    [ "Listen 127.0.0.1:$vport\n<VirtualHost 127.0.0.1:$vport>\n"
      . "    GraphQLSchema schema/plain.graphql\n"
      . location('/v', "    SetHandler graphql\n") . "</VirtualHost>\n",
      'the virtual host' ],
    [ location('/g', "    SetHandler none\n"), 'SetHandler none' ],
) {
    ($st, $err) = configtest($in->[0]);
    is($st, 0, "a schema of $in->[1]: apache2 -t succeeds") or diag $err;
}
($st, $err) = configtest("Listen 127.0.0.1:$vport\n"
                         . "<VirtualHost 127.0.0.1:$vport>\n"
                         . "    GraphQLSchema schema/plain.graphql\n"
                         . "</VirtualHost>\n"
                         . location('/g', "    SetHandler graphql\n"));
isnt($st, 0, "another virtual host's schema is not in scope");

# GraphQLCheckSQL.
sub start_with {
    my ($schema, $p, $check) = @_;
    $h->write_conf(<<"EOC");
DocumentRoot "$dir"
DBDriver pgsql
DBDParams "$p"
GraphQLCheckSQL $check
<Location /g>
    SetHandler graphql
    GraphQLSchema schema/$schema
</Location>
EOC
    unlink $h->error_log_path;
    my $e = $h->start;
    $h->stop if $e eq '';
    return ($e eq '', $e . $h->error_log);
}

my $pg = GqlPg->new;
$pg->psql('CREATE TABLE IF NOT EXISTS gql_checked (id int);'
          . 'DELETE FROM gql_checked; INSERT INTO gql_checked VALUES (1)');
my ($up, $out) = start_with('good.graphql', $params, 'On');
ok($up, 'GraphQLCheckSQL On with good statements: httpd starts') or diag $out;
is($pg->psql('SELECT count(*) FROM gql_checked'), 1,
   '... and the DELETE it prepared did not run');
$pg->psql('DROP TABLE gql_checked');
($up, $out) = start_with('missing.graphql', $params, 'On');
ok(!$up, 'a missing table and column: httpd does not start');
my $f = "$dir/schema/missing.graphql";
my $pgr = 'PostgreSQL refuses the statement';
like($out, qr/mod_graphql: \Q$f\E:3:26: \@sql of "Query\.table": $pgr: (?#
              )relation "no_such_table" does not exist$/m,
     '... the table, at its @sql') or diag $out;
like($out, qr/^mod_graphql: \Q$f\E:4:27: \@sql of "Query\.column": $pgr: (?#
              )column "no_such_column" does not exist$/m,
     '... the column, at its @sql');
unlike($out, qr/Query\.ok/, '... and not the good statement');
($up, $out) = start_with('missing.graphql', $params, 'Off');
ok($up, 'GraphQLCheckSQL Off (the default): the same schema starts')
    or diag $out;
($up, $out) = start_with('good.graphql',
                         "host=127.0.0.1 port=$closed dbname=graphql "
                         . 'connect_timeout=2', 'On');
ok(!$up, 'an unreachable database: httpd does not start');
like($out, qr/mod_graphql: GraphQLCheckSQL: the database of the DBDParams (?#
              )at \Q${\ $h->conf }\E:\d+ cannot be reached to check (?#
              )\Q$dir\E\/schema\/good\.graphql: .*port $closed/m,
     '... one line saying where its DBDParams are') or diag $out;
unlike($out, qr/dbname=graphql/, '... without the DBDParams themselves');

done_testing();
