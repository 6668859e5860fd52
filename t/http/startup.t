# Licensed under the Apache License, Version 2.0 (the "License"); you may
# not use this file except in compliance with the License.  You may obtain
# a copy of the License at http://www.apache.org/licenses/LICENSE-2.0
#
# t/http/startup.t: what httpd does with a GraphQLSchema at start-up.  A
# broken schema fails `apache2 -t` with one line per problem,
# "mod_graphql: FILE:LINE:COL: message"; a graceful restart with a broken
# schema is refused and the running server keeps the old one; a graceful
# restart with a good one serves it.  Runs its own httpd (t/scratch/startup).
use strict;
use warnings;
use FindBin;
use lib "$FindBin::Bin/lib";
use GqlHttpd;
use HTTP::Tiny;
use Test::More;
use Time::HiRes qw(sleep time);

my $h = GqlHttpd->new(name => 'startup')->prepare;
my $dir = $h->dir;
my $started = 0;
END { $h->stop if $started; $h->cleanup unless $ENV{GQL_KEEP_TMP}; }

sub conf_with {
    my ($files) = @_;
    $h->write_conf(<<"EOC");
DocumentRoot "$dir"
<Location /live>
    SetHandler graphql
    GraphQLSchema $files
</Location>
EOC
}

# The lines of httpd's stderr that are not its own "Syntax error on line
# N of FILE:" header.
sub problems {
    my ($stderr) = @_;
    return [grep { !/^AH00526: Syntax error on line \d+ of / }
            split /\n/, $stderr];
}

# The line of httpd.conf that holds the GraphQLSchema directive.
sub directive_line {
    open(my $fh, '<', $h->conf) or die $!;
    while (<$fh>) {
        return $. if /^\s*GraphQLSchema\b/;
    }
    return 0;
}

sub configtest {
    my ($files, $want, $name) = @_;
    conf_with($files);
    my ($st, $err) = $h->run_httpd('-t');
    isnt($st, 0, "$name: apache2 -t fails");
    my $n = directive_line();
    like($err, qr/^AH00526: Syntax error on line $n of \Q${\ $h->conf }\E:$/m,
         "$name: httpd names the directive's line");
    is_deeply(problems($err), $want, "$name: one line per problem")
        or diag($err);
}

$h->write_file('schema/live.graphql', "type Query { oldField: String }\n");
conf_with('schema/live.graphql');
my ($st, $err) = $h->run_httpd('-t');
is($st, 0, 'a good schema: apache2 -t succeeds');
like($err, qr/^Syntax OK$/m, 'a good schema: Syntax OK');

$h->write_file('schema/syntax.graphql', "type Query { a: Int");
configtest('schema/syntax.graphql',
           ["mod_graphql: $dir/schema/syntax.graphql:1:20: Syntax Error: "
            . 'Expected Name, found <EOF>.'], 'a syntax error');

$h->write_file('schema/unknown.graphql', "type Query {\n  a: Usr\n}\n");
configtest('schema/unknown.graphql',
           ["mod_graphql: $dir/schema/unknown.graphql:2:6: Unknown type "
            . '"Usr".'], 'an unknown type');

$h->write_file('schema/two-a.graphql', "type Query { a: Usr }\n");
$h->write_file('schema/two-b.graphql', "type User {\n  b: Nope\n"
               . "  c: Missing\n}\n");
configtest('schema/two-a.graphql schema/two-b.graphql',
           ["mod_graphql: $dir/schema/two-a.graphql:1:17: Unknown type "
            . '"Usr". Did you mean "User"?',
            "mod_graphql: $dir/schema/two-b.graphql:2:6: Unknown type "
            . '"Nope".',
            "mod_graphql: $dir/schema/two-b.graphql:3:6: Unknown type "
            . '"Missing".'], 'three problems in two files');

conf_with('schema/nope.graphql');
($st, $err) = $h->run_httpd('-t');
isnt($st, 0, 'a missing file: apache2 -t fails');
my $p = problems($err);
ok(@$p == 1 && $p->[0] =~ /^mod_graphql: \Q$dir\E\/schema\/nope\.graphql: /,
   'a missing file: one line naming it') or diag($err);

# Graceful restarts against a running server.
my $http = HTTP::Tiny->new(timeout => 5);
sub ask {
    my ($field) = @_;
    my $r = $http->post($h->url . '/live', {
        headers => { 'content-type' => 'application/json' },
        content => qq({"query":"{ $field }"}) });
    return "$r->{status} $r->{content}";
}

conf_with('schema/live.graphql');
my $e = $h->start;
$started = !$e;
is($e, '', 'the server starts');
is(ask('oldField'), '200 {"data":{"oldField":null}}', 'the old schema');
my $pid = $h->pid;

$h->write_file('schema/live.graphql', "type Query { oldField: Strin }\n");
($st, $err) = $h->run_httpd('-k', 'graceful');
isnt($st, 0, 'graceful with a broken schema is refused');
is_deeply(problems($err), ["mod_graphql: $dir/schema/live.graphql:1:24: "
                           . 'Unknown type "Strin". Did you mean "String"?'],
          'graceful with a broken schema: the problem is printed');
sleep 0.3;
is($h->pid, $pid, 'the server runs on');
is(ask('oldField'), '200 {"data":{"oldField":null}}',
   'and still answers with the old schema');

$h->write_file('schema/live.graphql', "type Query { newField: String }\n");
($st, $err) = $h->run_httpd('-k', 'graceful');
is($st, 0, 'graceful with a fixed schema') or diag($err);
my $got = '';
for (my $until = time + 10; time < $until; sleep 0.1) {
    $got = ask('newField');
    last if $got eq '200 {"data":{"newField":null}}';
}
is($got, '200 {"data":{"newField":null}}', 'the new schema is served');
like(ask('oldField'), qr/^400 .*Cannot query field \\"oldField\\"/,
     'the old field is gone');

done_testing();
