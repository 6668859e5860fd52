# Licensed under the Apache License, Version 2.0 (the "License"); you may
# not use this file except in compliance with the License.  You may obtain
# a copy of the License at http://www.apache.org/licenses/LICENSE-2.0
#
# t/http/persisted-config.t: the directives of persisted documents at
# start-up.  GraphQLDocuments with a document that does not validate
# under its location's schema and limits fails `apache2 -t` with
# "mod_graphql: FILE:LINE:COL: document "ID": message", LINE:COL in the
# document; so do a manifest that is not JSON (its position in the file),
# an id that claims another text's SHA-256 and a file that is not there.
# GraphQLPersistedOnly, GraphQLPersistedCacheControl,
# GraphQLPersistedQueries and GraphQLPersistedMaxSize with bad values, in
# the wrong context or without their provider fail with a message naming
# the directive.  Runs `apache2 -t` on its own configurations
# (t/scratch/persisted-config); starts no server.
use strict;
use warnings;
use FindBin;
use lib "$FindBin::Bin/lib";
use Digest::SHA qw(sha256_hex);
use GqlHttpd;
use Test::More;

my $h = GqlHttpd->new(name => 'persisted-config')->prepare;
END { $h->cleanup unless $ENV{GQL_KEEP_TMP} }
my $dir = $h->dir;
my $mods = GqlHttpd::modules_dir();
my $shmcb = "LoadModule socache_shmcb_module $mods/mod_socache_shmcb.so\n";

$h->write_file('schema/plain.graphql',
               "type Query { a: Int b: B }\ntype B { c: B d: Int }\n");
$h->write_file('good.json',
               qq({"one": "{ a }", "deep": "{ b { c { d } } }"}\n));
$h->write_file('bad.json', qq({"one": "{ a }",\n)
               . qq( "two": "query T {\\n  a\\n  nope\\n}"}\n));
$h->write_file('intro.json',
               qq({"i": "{ __schema { queryType { name } } }"}\n));
$h->write_file('syntax.json', qq({"one": "{ a }",\n  "two": }\n));
$h->write_file('claim.json', '{"sha256:' . sha256_hex('{ b { d } }')
               . qq(": "{ a }"}\n));
$h->write_file('ops.graphql', "query A {\n  a\n}\nquery B {\n  a {\n}\n");

sub configtest {
    my ($body) = @_;
    $h->write_conf("DocumentRoot \"$dir\"\n$body");
    return $h->run_httpd('-t');
}

sub location {
    my ($lines) = @_;
    return "<Location /g>\n    SetHandler graphql\n"
           . "    GraphQLSchema $dir/schema/plain.graphql\n$lines"
           . "</Location>\n";
}

# The lines of httpd's stderr that are not its own headers.
sub problems {
    my ($stderr) = @_;
    return [grep { !/^AH00526: Syntax error on line \d+ of /
                   && !/^AH00014: Configuration check failed/ }
            split /\n/, $stderr];
}

# The five directives with good values.
my $good = $shmcb
    . "GraphQLPersistedQueries \"shmcb:$dir/logs/apq(65536)\"\n"
    . "GraphQLPersistedMaxSize 4096\n" . location(<<"EOC");
    GraphQLDocuments good.json ops-ok.graphql
    GraphQLPersistedOnly On
    GraphQLPersistedCacheControl "public, max-age=60"
EOC
my ($st, $err) = configtest($good);
isnt($st, 0, 'a missing file: apache2 -t fails');
like($err, qr/^mod_graphql: \Q$dir\E\/ops-ok\.graphql: cannot read: /m,
     'a missing file: named') or diag $err;

$h->write_file('ops-ok.graphql', "query A { a }\n");
($st, $err) = configtest($good);
is($st, 0, 'the five directives with good values: apache2 -t succeeds')
    or diag $err;

($st, $err) = configtest(location("    GraphQLDocuments bad.json\n"));
isnt($st, 0, 'a document that does not validate: apache2 -t fails');
is_deeply(problems($err), ["mod_graphql: $dir/bad.json:3:3: document "
                           . '"two": Cannot query field "nope" on type '
                           . '"Query".'],
          'one line, FILE:LINE:COL in the document, the entry named')
    or diag $err;

($st, $err) = configtest(location("    GraphQLDocuments good.json\n"
                                  . "    GraphQLMaxDepth 2\n"));
isnt($st, 0, 'a document deeper than the location allows: fails');
like($err, qr/^mod_graphql: \Q$dir\E\/good\.json:1:11: document "deep": The query is nested too deeply/m,
     'under the location\'s GraphQLMaxDepth') or diag $err;

($st, $err) = configtest("GraphQLDocuments good.json\n"
                         . location("    GraphQLMaxDepth 3\n")
                         . "<Location /g/shallow>\n    GraphQLMaxDepth 2\n"
                         . "</Location>\n");
isnt($st, 0, 'server-wide documents, a location below that is too shallow: '
     . 'fails');
like($err, qr/document "deep"/, 'the document that is too deep')
    or diag $err;

($st, $err) = configtest(location("    GraphQLDocuments intro.json\n"
                                  . "    GraphQLIntrospection Off\n"));
isnt($st, 0, 'introspection where GraphQLIntrospection is Off: fails');
like($err, qr/document "i": GraphQL introspection has been disabled/,
     'refused as a request would be') or diag $err;

($st, $err) = configtest(location("    GraphQLDocuments syntax.json\n"));
isnt($st, 0, 'a manifest that is not JSON: fails');
is_deeply(problems($err), ["mod_graphql: $dir/syntax.json:2:10: not valid "
                           . 'JSON: unexpected character'],
          'its position in the file') or diag $err;

($st, $err) = configtest(location("    GraphQLDocuments ops.graphql\n"));
is_deeply(problems($err), ["mod_graphql: $dir/ops.graphql:6:1: Syntax "
                           . 'Error: Expected Name, found "}".'],
          'a .graphql file that does not parse') or diag $err;

($st, $err) = configtest(location("    GraphQLDocuments claim.json\n"));
like($err, qr/^mod_graphql: \Q$dir\E\/claim\.json: document "sha256:[0-9a-f]{64}": the id is a SHA-256 that is not the text's \([0-9a-f]{64}\)$/m,
     'an id that claims another text\'s SHA-256') or diag $err;

my @bad = (
    [ location("    GraphQLDocuments\n"),
      qr/GraphQLDocuments: at least one file is required/,
      'GraphQLDocuments without a file' ],
    [ location("    GraphQLPersistedOnly maybe\n"),
      qr/GraphQLPersistedOnly must be On or Off/,
      'GraphQLPersistedOnly maybe' ],
    [ location("    GraphQLPersistedCacheControl \"max-age=60 \xe9\"\n"),
      qr/GraphQLPersistedCacheControl: value must be a Cache-Control header's value \(printable ASCII\) or none, not max-age=60 /,
      'GraphQLPersistedCacheControl with a byte that is not ASCII' ],
    [ "GraphQLPersistedMaxSize 0\n" . location(''),
      qr/GraphQLPersistedMaxSize: value must be a number of bytes from 1 to 1048576, not 0/,
      'GraphQLPersistedMaxSize 0' ],
    [ "GraphQLPersistedMaxSize 2k\n" . location(''),
      qr/GraphQLPersistedMaxSize: value must be a number of bytes from 1 to 1048576, not 2k/,
      'GraphQLPersistedMaxSize 2k' ],
    [ location("    GraphQLPersistedMaxSize 100\n"),
      qr/GraphQLPersistedMaxSize not allowed in <Location> context/,
      'GraphQLPersistedMaxSize in a <Location>' ],
    [ "GraphQLPersistedQueries shmcb\n" . location(''),
      qr/GraphQLPersistedQueries: no shared object cache provider named "shmcb" \(is mod_socache_shmcb loaded\?\), in shmcb/,
      'GraphQLPersistedQueries without its module' ],
    [ $shmcb . "GraphQLPersistedQueries nosuch:x\n" . location(''),
      qr/GraphQLPersistedQueries: no shared object cache provider named "nosuch"/,
      'GraphQLPersistedQueries of an unknown provider' ],
    [ $shmcb . "GraphQLPersistedQueries \"shmcb:$dir/logs/x(12)\"\n"
      . location(''),
      qr/GraphQLPersistedQueries: shmcb:\S+: .*(?:size|small)/i,
      'GraphQLPersistedQueries of a size shmcb refuses' ],
    [ $shmcb . location("    GraphQLPersistedQueries shmcb\n"),
      qr/GraphQLPersistedQueries not allowed in <Location> context/,
      'GraphQLPersistedQueries in a <Location>' ],
);
for my $case (@bad) {
    my ($body, $want, $name) = @$case;
    ($st, $err) = configtest($body);
    isnt($st, 0, "$name: apache2 -t fails");
    like($err, $want, "$name: the message") or diag $err;
}

($st, $err) = configtest($shmcb . "GraphQLPersistedQueries none\n"
                         . location("    GraphQLPersistedCacheControl none\n"
                                    . "    GraphQLPersistedOnly Off\n"));
is($st, 0, 'none and Off: apache2 -t succeeds') or diag $err;

done_testing();
