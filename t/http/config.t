# Licensed under the Apache License, Version 2.0 (the "License"); you may
# not use this file except in compliance with the License.  You may obtain
# a copy of the License at http://www.apache.org/licenses/LICENSE-2.0
#
# t/http/config.t: the directives of issue 4 at start-up.  GraphQLJWTSecret
# (file: and env:, too short, missing), GraphQLJWTLifetime,
# GraphQLStatementTimeout, GraphQLRequestTimeout, GraphQLMaxStatements,
# GraphQLJWTRequireExp and GraphQLGraphiQLAssets with bad values, a schema that
# maps fields to SQL without mod_dbd, and mapping errors as "mod_graphql:
# FILE:LINE:COL:" lines: each fails `apache2 -t`; so do the cost and count
# directives (GraphQLMaxCost, GraphQLDefaultListSize, GraphQLMaxAliases,
# GraphQLMaxRootFields, GraphQLMaxFields, GraphQLMaxMutationFields) with bad
# values, and cost directives (@cost, @listSize) where they cannot apply; the
# role directives (GraphQLRoleClaim, GraphQLRoles, GraphQLAnonymousRole,
# GraphQLDefaultRole) with bad values, and schema @claims with a bad name and a
# claim it does not declare.  Runs `apache2 -t` on its own configurations
# (t/scratch/config); starts no server.
use strict;
use warnings;
use FindBin;
use lib "$FindBin::Bin/lib";
use GqlHttpd;
use Test::More;

my $h = GqlHttpd->new(name => 'config')->prepare;
my $nodbd = GqlHttpd->new(name => 'config-nodbd', no_dbd => 1)->prepare;
END {
    unless ($ENV{GQL_KEEP_TMP}) { $h->cleanup; $nodbd->cleanup }
}
my $dir = $h->dir;

$h->write_file('schema/sql.graphql',
               qq|type Query {\n  one: Int \@sql(query: "SELECT 1")\n}\n|);
$h->write_file('schema/plain.graphql', "type Query { a: Int }\n");
$h->write_file('long.secret', ('s' x 40) . "\n");
$h->write_file('short.secret', "too short\n");

sub configtest {
    my ($server, $body) = @_;
    $server->write_conf("DocumentRoot \"$dir\"\n$body");
    return $server->run_httpd('-t');
}

sub location {
    my ($lines, $schema) = @_;
    $schema ||= 'schema/plain.graphql';
    return "<Location /g>\n    SetHandler graphql\n"
           . "    GraphQLSchema $dir/$schema\n$lines</Location>\n";
}

my ($st, $err) = configtest($h, location(<<"EOC", 'schema/sql.graphql'));
    GraphQLJWTSecret file:long.secret
    GraphQLJWTLifetime 3600
    GraphQLStatementTimeout 0
    GraphQLMaxDepth 0
    GraphQLMaxResultSize 1048576
    GraphQLMaxTokens 0
    GraphQLRequestTimeout 0
    GraphQLMaxStatements 0
    GraphQLMaxSubscriptions 100
    GraphQLHeartbeat 30
EOC
is($st, 0, 'the ten directives with good values: apache2 -t succeeds')
    or diag $err;

{
    local $ENV{GQL_TEST_SECRET} = 'e' x 32;
    ($st, $err) = configtest($h, location(
        "    GraphQLJWTSecret env:GQL_TEST_SECRET\n"));
    is($st, 0, 'GraphQLJWTSecret env:NAME with 32 bytes') or diag $err;
}

my @bad = (
    [ "GraphQLGraphiQLAssets ftp://mirror/graphiql/",
      qr{GraphQLGraphiQLAssets: "ftp://mirror/graphiql/" must be a path \(/graphiql/\) or an http:// or https:// URL},
      'GraphiQL\'s assets on ftp' ],
    [ "GraphQLGraphiQLAssets graphiql/",
      qr{GraphQLGraphiQLAssets: "graphiql/" must be a path},
      'GraphiQL\'s assets at a relative path' ],
    [ "GraphQLGraphiQLAssets https:///graphiql/",
      qr{GraphQLGraphiQLAssets: "https:///graphiql/" names no host},
      'GraphiQL\'s assets at a URL without a host' ],
    [ "GraphQLGraphiQLAssets \"/a'b/\"",
      qr{GraphQLGraphiQLAssets: "/a'b/" has a space, a control character, a quote},
      'GraphiQL\'s assets at a path with a quote' ],
    [ "GraphQLJWTSecret file:short.secret",
      qr/GraphQLJWTSecret: the secret must be at least 32 bytes/,
      'a short secret' ],
    [ "GraphQLJWTSecret file:no-such.secret", qr/GraphQLJWTSecret/,
      'a missing secret file' ],
    [ "GraphQLJWTSecret env:GQL_NO_SUCH_VARIABLE_$$", qr/GraphQLJWTSecret/,
      'an unset variable' ],
    [ "GraphQLJWTSecret s3cr3t-in-the-config",
      qr/GraphQLJWTSecret: the argument must be file:PATH or env:NAME/,
      'a secret in the configuration itself' ],
    [ "GraphQLJWTLifetime 0",
      qr/GraphQLJWTLifetime: value must be a number of seconds > 0/,
      'a lifetime of 0' ],
    [ "GraphQLJWTLifetime 1week", qr/GraphQLJWTLifetime: value must be/,
      'a lifetime that is no number' ],
    [ "GraphQLStatementTimeout -1",
      qr/GraphQLStatementTimeout: value must be a number of milliseconds/,
      'a negative timeout' ],
    [ "GraphQLStatementTimeout 5s", qr/GraphQLStatementTimeout: value must/,
      'a timeout that is no number' ],
    [ "GraphQLMaxDepth -1",
      qr/GraphQLMaxDepth: value must be a number of fields from 0 \(no limit\) to 1000/,
      'a negative depth' ],
    [ "GraphQLMaxDepth 1001", qr/GraphQLMaxDepth: value must be/,
      'a depth past what the parser takes' ],
    [ "GraphQLMaxTokens -1",
      qr/GraphQLMaxTokens: value must be a number of tokens >= 0 \(0: no limit\), not -1/,
      'a negative token limit' ],
    [ "GraphQLMaxTokens 15k", qr/GraphQLMaxTokens: value must be .* not 15k/,
      'a token limit that is no number' ],
    [ "GraphQLMaxResultSize 16M",
      qr/GraphQLMaxResultSize: value must be a number of bytes >= 0/,
      'a result size that is no number' ],
    [ "GraphQLRequestTimeout -5",
      qr/GraphQLRequestTimeout: value must be a number of milliseconds >= 0 \(0: none\), not -5/,
      'a negative request timeout' ],
    [ "GraphQLRequestTimeout 15s",
      qr/GraphQLRequestTimeout: value must be a number of milliseconds >= 0 \(0: none\), not 15s/,
      'a request timeout that is no number' ],
    [ "GraphQLRequestTimeout 2147483648",
      qr/GraphQLRequestTimeout: value must be a number of milliseconds/,
      'a request timeout past an int' ],
    [ "GraphQLMaxStatements -1",
      qr/GraphQLMaxStatements: value must be a number of statements >= 0 \(0: no limit\), not -1/,
      'a negative statement limit' ],
    [ "GraphQLMaxStatements many",
      qr/GraphQLMaxStatements: value must be a number of statements >= 0/,
      'a statement limit that is no number' ],
    [ "GraphQLMaxBodySize 0",
      qr/GraphQLMaxBodySize: value must be a number of bytes from 1 to /,
      'a body limit of 0' ],
    [ "GraphQLMaxSubscriptions 0",
      qr/GraphQLMaxSubscriptions: value must be a number of subscriptions > 0, not 0/,
      'a subscription limit of 0' ],
    [ "GraphQLMaxSubscriptions lots",
      qr/GraphQLMaxSubscriptions: value must be .* not lots/,
      'a subscription limit that is no number' ],
    [ "GraphQLHeartbeat 0",
      qr/GraphQLHeartbeat: value must be a number of seconds from 1 to 3600, not 0/,
      'a heartbeat of 0' ],
    [ "GraphQLHeartbeat 3601", qr/GraphQLHeartbeat: value must be .* not 3601/,
      'a heartbeat of over an hour' ],
    [ "GraphQLMaxBodySize 4294967296",
      qr/GraphQLMaxBodySize: value must be a number of bytes from 1 to /,
      'a body limit of 4 GiB, past what one parse can take' ],
);
for my $case (@bad) {
    my ($line, $want, $name) = @$case;
    ($st, $err) = configtest($h, location("    $line\n"));
    isnt($st, 0, "$name: apache2 -t fails");
    like($err, $want, "$name: the message") or diag $err;
}
unlike($err, qr/s3cr3t/, 'the message does not repeat a secret');

# GraphQLDocumentCache: server-wide only, a number of documents.
($st, $err) = configtest($h, "GraphQLDocumentCache 0\n" . location(''));
is($st, 0, 'GraphQLDocumentCache 0 (no cache): apache2 -t succeeds')
    or diag $err;
($st, $err) = configtest($h, "GraphQLDocumentCache 12x\n" . location(''));
isnt($st, 0, 'GraphQLDocumentCache 12x: apache2 -t fails');
like($err, qr/GraphQLDocumentCache: value must be a number of documents from 0 \(no cache\) to 1000000, not 12x/,
     'GraphQLDocumentCache 12x: the message') or diag $err;
($st, $err) = configtest($h, location("    GraphQLDocumentCache 10\n"));
isnt($st, 0, 'GraphQLDocumentCache in a <Location>: apache2 -t fails');
like($err, qr/GraphQLDocumentCache not allowed in <Location> context/,
     'GraphQLDocumentCache in a <Location>: the message') or diag $err;

($st, $err) = configtest($nodbd, location('', 'schema/sql.graphql'));
isnt($st, 0, '@sql without mod_dbd: apache2 -t fails');
my $sql_file = "$dir/schema/sql.graphql";
like($err, qr/^mod_graphql: \Q$sql_file\E maps fields to SQL\b.*\bmod_dbd\b/m,
     '@sql without mod_dbd: the message names both')
    or diag $err;
($st, $err) = configtest($nodbd, location(''));
is($st, 0, 'a schema without @sql needs no mod_dbd') or diag $err;

# A mapping error: one line per problem with FILE:LINE:COL, as schema
# errors have.
$h->write_file('schema/badmap.graphql', <<'EOS');
type Query {
  a(x: Int): Int @sql(query: "SELECT $y")
  b: Int @sql(query: "SELECT $parent.id")
}
EOS
($st, $err) = configtest($h, location('', 'schema/badmap.graphql'));
isnt($st, 0, 'mapping errors: apache2 -t fails');
my @lines = grep { /^mod_graphql: / } split /\n/, $err;
is(scalar @lines, 2, 'mapping errors: one line per problem') or diag $err;
my $bad_file = "$dir/schema/badmap.graphql";
like($lines[0] // '', qr/^mod_graphql: \Q$bad_file\E:2:\d+: /,
     'the first names its file, line and column');
like($lines[1] // '', qr/^mod_graphql: \Q$bad_file\E:3:\d+: /,
     'the second too');

# The cost model's and the counts' directives (t/http/cost.t has them at
# work): good values, then each with a bad one.
($st, $err) = configtest($h, location(<<"EOC"));
    GraphQLMaxCost 0
    GraphQLDefaultListSize 1000000
    GraphQLMaxAliases 2147483647
    GraphQLMaxRootFields 1
    GraphQLMaxFields 0
    GraphQLMaxMutationFields 1
EOC
is($st, 0, 'the six cost and count directives with good values') or diag $err;
for my $case (
    [ 'GraphQLMaxCost -1', 'GraphQLMaxCost: value must be a number from 0 '
      . '(no limit) to 2147483647, not -1' ],
    [ 'GraphQLMaxAliases 2147483648', 'GraphQLMaxAliases: value must be a '
      . 'number from 0 (no limit) to 2147483647, not 2147483648' ],
    [ 'GraphQLMaxRootFields twenty', 'GraphQLMaxRootFields: value must be a '
      . 'number from 0 (no limit) to 2147483647, not twenty' ],
    [ 'GraphQLMaxFields 1.5', 'GraphQLMaxFields: value must be a number from '
      . '0 (no limit) to 2147483647, not 1.5' ],
    [ 'GraphQLMaxMutationFields 5x', 'GraphQLMaxMutationFields: value must '
      . 'be a number from 0 (no limit) to 2147483647, not 5x' ],
    [ 'GraphQLDefaultListSize 0', 'GraphQLDefaultListSize: value must be a '
      . 'number of items from 1 to 1000000, not 0' ],
) {
    my ($line, $msg) = @$case;
    ($st, $err) = configtest($h, location("    $line\n"));
    isnt($st, 0, "$line: apache2 -t fails");
    like($err, qr/\Q$msg\E$/m, "$line: the message names the value")
        or diag $err;
}

# A schema that fails (WHAT: apache2 -t fails): its path, and the lines
# of mod_graphql's messages.
sub schema_errors {
    my ($name, $sdl, $what) = @_;
    $h->write_file("schema/$name", $sdl);
    ($st, $err) = configtest($h, location('', "schema/$name"));
    isnt($st, 0, "$what: apache2 -t fails");
    return ("$dir/schema/$name", grep { /^mod_graphql: / } split /\n/, $err);
}

# Cost directives where they cannot apply: FILE:LINE:COL each.
my ($cost_file, @cost) = schema_errors('badcost.graphql', <<'EOS',
type Query {
  a(s: String): [Int] @listSize(slicingArguments: ["s"])
  b: Int @cost(weight: -1)
  c: Int @listSize(assumedSize: 3)
}
EOS
                                       'cost directive errors');
is_deeply(\@cost, [
    "mod_graphql: $cost_file:2:52: \@listSize(slicingArguments:) on "
    . '"Query.a" names "s", which is no Int argument of the field.',
    "mod_graphql: $cost_file:3:24: \@cost(weight:) on \"Query.b\" must be "
    . 'at least 0, not -1.',
    "mod_graphql: $cost_file:4:10: \@listSize on \"Query.c\" sizes nothing: "
    . 'the field returns no list and names no sizedFields.',
], 'cost directive errors: one line each, with file, line and column')
    or diag $err;

# GraphQLServerTiming: On or Off, as httpd's flags are.
($st, $err) = configtest($h, location("    GraphQLServerTiming On\n"));
is($st, 0, 'GraphQLServerTiming On: apache2 -t succeeds') or diag $err;
unlike($err, qr/GQL00022/, 'apache2 -t: no start-up line of the schema');
($st, $err) = configtest($h, location("    GraphQLServerTiming 1\n"));
isnt($st, 0, 'GraphQLServerTiming 1: apache2 -t fails');
like($err, qr/GraphQLServerTiming must be On or Off/,
     'GraphQLServerTiming 1: the message names the directive')
    or diag $err;

# GraphQLJWTRequireExp: On or Off, in a <Location>, as httpd's flags are.
($st, $err) = configtest($h, location("    GraphQLJWTRequireExp Off\n"));
is($st, 0, 'GraphQLJWTRequireExp Off: apache2 -t succeeds') or diag $err;
($st, $err) = configtest($h, location("    GraphQLJWTRequireExp maybe\n"));
isnt($st, 0, 'GraphQLJWTRequireExp maybe: apache2 -t fails');
like($err, qr/GraphQLJWTRequireExp must be On or Off/,
     'GraphQLJWTRequireExp maybe: the message names the directive')
    or diag $err;

# The role directives (t/http/roles.t has them at work): good values,
# then each with a bad one; a misspelt or badly declared claim of $viewer
# is a mapping error with FILE:LINE:COL.
($st, $err) = configtest($h, location(<<"EOC"));
    GraphQLRoleClaim https://example.com/app.role
    GraphQLRoles web_user web_admin
    GraphQLRoles "Mixed Case" @{[ 'r' x 63 ]}
    GraphQLAnonymousRole web_anon
    GraphQLDefaultRole web_user
EOC
is($st, 0, 'the four role directives with good values') or diag $err;
for my $case (
    [ 'GraphQLRoleClaim app..role', 'GraphQLRoleClaim: "app..role" is not a '
      . 'claim: write a name, or names joined by dots' ],
    [ 'GraphQLRoleClaim role.', 'GraphQLRoleClaim: "role." is not a claim' ],
    [ 'GraphQLRoles web_user none', 'GraphQLRoles: "none" is not a role: it '
      . 'would reset the role to the connecting user' ],
    [ 'GraphQLRoles ' . ('r' x 64), "GraphQLRoles: a role's name has 1 to "
      . '63 bytes, not 64' ],
    [ 'GraphQLRoles', 'GraphQLRoles requires at least one argument' ],
    [ 'GraphQLAnonymousRole NONE', 'GraphQLAnonymousRole: "NONE" is not a '
      . 'role' ],
    [ 'GraphQLDefaultRole ' . ('d' x 70), "GraphQLDefaultRole: a role's "
      . 'name has 1 to 63 bytes, not 70' ],
    [ 'GraphQLDefaultRole a b', 'GraphQLDefaultRole takes one argument' ],
) {
    my ($line, $msg) = @$case;
    ($st, $err) = configtest($h, location("    $line\n"));
    isnt($st, 0, "$line: apache2 -t fails");
    like($err, qr/\Q$msg\E/, "$line: the message") or diag $err;
}
my ($claims_file, @claims) = schema_errors('claims.graphql', <<'EOS',
schema @claims(names: ["tenant", "app.tenant", "bad name"]) {
  query: Query
}
type Query {
  a: String @sql(query: "SELECT $viewer.tenant::text, $viewer.app.tenant")
  b: String @sql(query: "SELECT $viewer.tenat::text")
}
EOS
                                           'claims');
is_deeply(\@claims, [
    "mod_graphql: $claims_file:1:48: Bad claim name \"bad name\" in \@claims: "
    . 'write names of letters, digits and _, joined by dots for a nested '
    . 'claim (app.tenant), at most 15 deep.',
    "mod_graphql: $claims_file:6:25: Unknown claim \"tenat\" in \@sql of "
    . '"Query.b": the claims are sub, iss, aud, exp, nbf, iat, jti and those '
    . 'schema @claims declares: tenant, app.tenant.',
], 'claims: a bad name and a misspelt claim, with file, line and column')
    or diag $err;

# Subscriptions' mapping: @listen and $event where they cannot apply.
my ($sub_file, @sub) = schema_errors('listen.graphql', <<'EOS',
type Query { a: Int @sql(query: "SELECT $event::int") }
type Subscription {
  b: Int @sql(query: "SELECT 1") @listen(channel: "Bad-Channel")
  c: Int @sql(query: "SELECT 1")
}
EOS
                                     'listen');
is_deeply(\@sub, [
    "mod_graphql: $sub_file:1:33: \"\$event\" in \@sql of \"Query.a\": only "
    . 'fields of the Subscription type have an event.',
    "mod_graphql: $sub_file:3:51: Bad channel \"Bad-Channel\" in \@listen of "
    . '"Subscription.b": write 1 to 63 lower-case letters, digits and '
    . 'underscores, not starting with a digit.',
    "mod_graphql: $sub_file:4:3: Subscription field \"Subscription.c\" has "
    . '@sql but no @listen(channel: ...): say which notifications it follows.',
], 'listen: $event off a subscription, a bad channel, no @listen, with '
   . 'file, line and column') or diag $err;

# graphql.conf.example is a working configuration: with its paths pointed
# at this tree (modules, the schema, a secret), apache2 -t accepts it.
my $example = GqlHttpd::slurp("$GqlHttpd::ROOT/graphql.conf.example");
my $mods = GqlHttpd::modules_dir();
$example =~ s{^(\s*LoadModule\s+\w+\s+)\S+/mod_graphql\.so}
             {$1$h->{module}}m;
$example =~ s{^(\s*LoadModule\s+\w+\s+)/usr/lib/apache2/modules/}
             {$1$mods/}mg;
$example =~ s{\$\{APACHE_LOG_DIR\}}{$dir/logs}g;
$example =~ s{/etc/apache2/graphql/hackernews\.graphql}
             {$GqlHttpd::ROOT/schema/hackernews.graphql}g;
$example =~ s{/etc/apache2/graphql/jwt\.secret}{$dir/long.secret}g;
my $conf = $h->config('');
$conf =~ s/^(?:LoadModule\s+(?:dbd|graphql|reqtimeout)_module|LogFormat
              |CustomLog|RequestReadTimeout).*\n//mgx;
$h->write_file('httpd.conf', "$conf\nDocumentRoot \"$dir\"\n$example");
($st, $err) = $h->run_httpd('-t');
is($st, 0, 'graphql.conf.example passes apache2 -t') or diag $err;

done_testing();
