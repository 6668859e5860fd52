# Licensed under the Apache License, Version 2.0 (the "License"); you may
# not use this file except in compliance with the License.  You may obtain
# a copy of the License at http://www.apache.org/licenses/LICENSE-2.0
#
# t/http/browser.t: GraphiQL in a real browser, with no network.  Fetches
# the assets with `make graphiql-assets` into the directory t/http/run
# serves at /graphiql-assets (the npm registry is the one host reached,
# and only here, by npm), installs playwright-core with npm into
# t/scratch/browser, and runs t/http/browser/graphiql.js in Debian's
# chromium, headless, where every request not to 127.0.0.1 is refused:
# with local assets GraphiQL renders, a query typed into its editor runs
# and its answer shows, and its documentation explorer lists the schema's
# types and fields; with assets that are not there, and with the CDN's
# (refused), the page says that GraphiQL cannot start instead of
# "Loading" for ever.  Bounded: 60 s for the browser.
use strict;
use warnings;
use FindBin;
use lib "$FindBin::Bin/lib";
use GqlHttpd;
use GqlTest;
use JSON::PP qw(decode_json);
use Test::More;

# The newest playwright-core that runs on Debian 12's Node.js 18 (1.62
# needs 20).
use constant PLAYWRIGHT_VERSION => '1.61.1';
use constant PLAYWRIGHT => 'playwright-core@' . PLAYWRIGHT_VERSION;

my $root = $GqlHttpd::ROOT;
my $npm_dir = "$root/t/scratch/browser";

sub run {
    my $cmd = join ' ', map { "'$_'" } @_;
    my $out = `$cmd 2>&1`;
    return ($? >> 8, $out);
}

for my $tool (qw(chromium node npm)) {
    my $path = `command -v $tool 2>/dev/null`;
    ok($path, "$tool is installed (t/bin/install-deps)")
        or BAIL_OUT("$tool is missing: t/bin/install-deps installs it");
}

my ($st, $out) = run('make', '-s', '-C', $root, '-f', 'Makefile.apxs',
                     'graphiql-assets',
                     "GRAPHIQL_ASSETS=$ENV{GQL_GRAPHIQL_ASSETS}");
is($st, 0, 'make graphiql-assets: fetched, integrity and SRI checked')
    or diag $out;
my $asset = "/graphiql-assets/graphiql\@3.8.3/graphiql.min.css";
my $r = gql_request('GET', $asset, { accept => 'text/css' });
is($r->{status}, 200, 'httpd serves the fetched assets');
is($r->{headers}{'content-type'}, 'text/css', '... with their types');

my $installed = -e "$npm_dir/node_modules/playwright-core/package.json"
    ? GqlHttpd::slurp("$npm_dir/node_modules/playwright-core/package.json")
    : '';
unless ($installed =~ /"version":\s*"\Q${\ PLAYWRIGHT_VERSION}\E"/) {
    ($st, $out) = run('timeout', '180', 'npm', 'install', '--silent',
                      '--no-audit', '--no-fund', '--prefix', $npm_dir,
                      PLAYWRIGHT);
    is($st, 0, 'npm install ' . PLAYWRIGHT) or diag $out;
}

local $ENV{NODE_PATH} = "$npm_dir/node_modules";
my $t0 = time;
($st, $out) = run('timeout', '60', 'node', "$FindBin::Bin/browser/graphiql.js",
                  $ENV{GQL_URL});
my ($json) = $out =~ /^(\{.*\})\s*\z/ms;
my $seen = eval { decode_json($json // '') } || {};
is($st, 0, 'the browser ran within 60 s') or diag $out;
diag "the browser took " . (time - $t0) . " s";

my $l = $seen->{local} || {};
ok($l->{rendered}, 'local assets: GraphiQL renders');
is($l->{query}, 'query Typed { __typename count}',
   'local assets: the query as typed (the editor closes the brace)');
is_deeply(eval { decode_json($l->{response} // '') },
          { data => { __typename => 'Query', count => undef } },
          'local assets: the answer shows in the response pane')
    or diag $l->{response};
like($l->{docs} // '', qr/\bQuery\b/, 'docs explorer: the root type Query');
like($l->{docs} // '', qr/\bUser\b/, 'docs explorer: the type User');
like($l->{query_docs} // '', qr/\bhello\b.*\bversion\b.*\buser\b/s,
     'docs explorer: Query\'s fields');
is_deeply($l->{errors}, [], 'local assets: no script error');

like($seen->{missing} // '', qr/GraphiQL cannot start: it could not load /,
     'missing assets: the page says GraphiQL cannot start');
unlike($seen->{missing} // '', qr/Loading GraphiQL/,
       'missing assets: no "Loading" left');
like($seen->{cdn} // '',
     qr{GraphiQL cannot start: it could not load https://cdn\.jsdelivr\.net/},
     'the CDN unreachable: the page says which asset failed');
my @other = grep { !m{^https://cdn\.jsdelivr\.net/} } @{ $seen->{blocked} };
is_deeply(\@other, [], 'no request to any host but 127.0.0.1 and the '
                       . 'CDN (both refused)');
ok(@{ $seen->{blocked} || [] } > 0, 'the CDN\'s requests were refused');

done_testing();
