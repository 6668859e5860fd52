# Licensed under the Apache License, Version 2.0 (the "License"); you may
# not use this file except in compliance with the License.  You may obtain
# a copy of the License at http://www.apache.org/licenses/LICENSE-2.0
#
# t/http/graphiql.t: GraphQLGraphiQL.  A browser's GET of /graphql (On in
# t/http/run) with no query gets the GraphiQL page, whose
# Content-Security-Policy allows exactly what the page loads, from the CDN
# or from GraphQLGraphiQLAssets' path (/graphiql-local); a GET with a
# query, a POST, and every request to /small (Off) are GraphQL as before.
use strict;
use warnings;
use FindBin;
use lib "$FindBin::Bin/lib";
use GqlTest;
use Digest::SHA qw(sha256_base64);
use IO::Socket::INET;
use Test::More;

use constant BROWSER => 'text/html,application/xhtml+xml,application/xml;'
                        . 'q=0.9,image/avif,image/webp,*/*;q=0.8';
use constant HTML => 'text/html; charset=utf-8';

my $r = gql_get('/graphql', undef, accept => BROWSER);
my $page = $r->{content};
is($r->{status}, 200, 'browser GET: 200');
is($r->{headers}{'content-type'}, HTML, 'browser GET: text/html');
is($r->{headers}{'cache-control'}, 'no-store', 'browser GET: no-store');
like($r->{headers}{vary} // '', qr/\bAccept\b/, 'browser GET: Vary: Accept');
is($r->{headers}{'content-length'}, length $page,
   'browser GET: Content-Length');
like($page, qr/^<!DOCTYPE html>/, 'the page is an HTML document');
like($page, qr/<div id="graphiql">/, 'the page has the mount element');
like($page, qr/\bendpoint = window\.location\.pathname\b/,
     'the fetcher is pointed at the page\'s own path');
like($page, qr/fetch\(endpoint, \{\s*method: 'POST'/,
     'the fetcher POSTs to it');
like($page, qr/headers\[k\] = typed\[k\]/,
     'the fetcher sends the headers typed in the editor');
unlike($page, qr{https?://(?!cdn\.jsdelivr\.net/)}, 'no other origin named');

# Every script and stylesheet is from the CDN, at a pinned version, with
# Subresource Integrity.
my @loads = $page =~ m{<(?:script|link)\b([^>]*\b(?:src|href)="[^"]*"[^>]*)>}g;
is(scalar @loads, 4, 'React, ReactDOM, GraphiQL\'s JS and CSS are loaded');
for my $l (@loads) {
    my ($url) = $l =~ m{(?:src|href)="([^"]*)"};
    like($url, qr{^https://cdn\.jsdelivr\.net/npm/[a-z-]+@\d+\.\d+\.\d+/},
         "$url: the CDN, an exact version");
    like($l, qr{integrity="sha384-[A-Za-z0-9+/]{64}"}, "$url: SRI");
    like($l, qr{crossorigin="anonymous"}, "$url: CORS for SRI");
}

# The policy: the CDN for scripts and styles, the one inline script by its
# hash, requests to this origin only.
my $csp = $r->{headers}{'content-security-policy'} // '';
my %d = map { my ($k, @v) = split ' '; ($k => join ' ', @v) } split /;\s*/,
        $csp;
my @inline = $page =~ m{<script>(.*?)</script>}sg;
is(scalar @inline, 1, 'one inline script');
my $hash = sha256_base64($inline[0] // '');
$hash .= '=' while length($hash) % 4;
is($d{'script-src'}, "https://cdn.jsdelivr.net 'sha256-$hash'",
   'CSP script-src: the CDN and the inline script\'s hash');
is($d{'style-src'}, 'https://cdn.jsdelivr.net', 'CSP style-src: the CDN');
is($d{'default-src'}, "'none'", 'CSP default-src: none');
is($d{'connect-src'}, "'self'", 'CSP connect-src: this origin');
unlike($page, qr/\sstyle=/, 'no inline style attribute for CSP to block');
is($r->{headers}{'x-content-type-options'}, 'nosniff', 'nosniff');

# GraphQLGraphiQLAssets /graphiql-assets (t/http/run): the same files
# and hashes under that path, and the policy allows this origin for them.
my $lr = gql_get('/graphiql-local', undef, accept => BROWSER);
my @local = $lr->{content} =~ m{(?:src|href)="([^"]*)"}g;
is_deeply(\@local, [ map { m{^https://cdn\.jsdelivr\.net/npm/(.*)$}
                           ? "/graphiql-assets/$1" : $_ }
                     $page =~ m{(?:src|href)="([^"]*)"}g ],
          'local assets: the CDN\'s paths under the directive\'s path');
is_deeply([ $lr->{content} =~ /integrity="([^"]*)"/g ],
          [ $page =~ /integrity="([^"]*)"/g ], 'local assets: the same SRI');
my %ld = map { my ($k, @v) = split ' '; ($k => join ' ', @v) } split /;\s*/,
         $lr->{headers}{'content-security-policy'} // '';
is($ld{'script-src'}, "'self' 'sha256-$hash'",
   'local assets: CSP script-src this origin and the inline script');
is($ld{'style-src'}, "'self'", 'local assets: CSP style-src this origin');
like($page, qr/GraphiQL cannot start: /,
     'the page can say that GraphiQL cannot start');

# The page holds no request data.
my $other = gql_get('/graphql/sub', 'x=%3Cscript%3Ealert(1)%3C/script%3E',
                    accept => BROWSER, authorization => 'Bearer abc.def');
is($other->{status}, 200, 'below the <Location>, other parameters: 200');
is($other->{content}, $page, 'the same page: nothing of the request in it');
$r = gql_get('/graphql/closed', undef, accept => BROWSER);
is($r->{headers}{'content-type'}, HTML, 'an inner <Location> inherits On');
$r = gql_get('/graphql', undef, accept => 'text/html');
is($r->{headers}{'content-type'}, HTML, 'Accept: text/html alone: the page');

# HEAD: the headers of the page and no body.
$r = gql_request('HEAD', '/graphql', { accept => BROWSER });
is($r->{status}, 200, 'HEAD: 200');
is($r->{headers}{'content-type'}, HTML, 'HEAD: text/html');
is($r->{headers}{'content-length'}, length $page, 'HEAD: Content-Length');
# HTTP::Tiny reads no body after HEAD: ask over a socket what came.
my $sock = IO::Socket::INET->new(PeerAddr => '127.0.0.1',
                                 PeerPort => $ENV{GQL_PORT}, Timeout => 10)
    or die "connect: $!";
print $sock "HEAD /graphql HTTP/1.1\r\nHost: 127.0.0.1\r\n"
    . "Accept: text/html\r\nConnection: close\r\n\r\n";
my $raw = do { local $/; <$sock> } // '';
like($raw, qr{^HTTP/1\.1 200 }, 'HEAD over a socket: 200');
like($raw, qr{\r\n\r\n\z}, 'HEAD over a socket: nothing after the headers');

# With a query it is a GraphQL request, whatever the Accept.
$r = gql_get('/graphql', { query => '{ __typename }' }, accept => BROWSER);
is($r->{status}, 200, 'GET with a query, browser Accept: 200');
is($r->{headers}{'content-type'}, GR, '... GraphQL JSON');
is($r->{content}, '{"data":{"__typename":"Query"}}', '... the answer');
$r = gql_get('/graphql', { query => '{ __typename }' }, accept => 'text/html');
is($r->{status}, 406, 'GET with a query, Accept: text/html only: 406');
is($r->{headers}{'content-type'}, JSONT, '... as JSON');
$r = gql_get('/graphql', 'query', accept => BROWSER);
is($r->{headers}{'content-type'}, GR, 'an empty query parameter: GraphQL');
is($r->{status}, 400, '... and 400');

# Clients that do not prefer HTML get GraphQL's answer to a missing query.
for my $a ('*/*', 'application/json', 'text/html, */*') {
    $r = gql_get('/graphql', undef, accept => $a);
    is($r->{status}, 400, "GET, Accept: $a: 400");
    isnt($r->{headers}{'content-type'}, HTML, "GET, Accept: $a: not HTML");
}

# POST is unaffected.
my $q = '{"query":"{ __typename }"}';
$r = gql_post('/graphql', $q, accept => BROWSER);
is($r->{status}, 200, 'POST, browser Accept: 200');
is($r->{headers}{'content-type'}, GR, 'POST, browser Accept: GraphQL JSON');
$r = gql_post('/graphql', $q, accept => 'text/html');
is($r->{status}, 406, 'POST, Accept: text/html: 406');
$r = gql_post('/graphql', '{}', accept => BROWSER);
is($r->{status}, 400, 'POST with no query, browser Accept: 400, no page');

# Off (the default) on /small: nothing changes.
$r = gql_get('/small', undef, accept => BROWSER);
is($r->{status}, 400, 'Off, browser GET: GraphQL\'s 400');
is($r->{headers}{'content-type'}, GR, 'Off, browser GET: JSON');
$r = gql_get('/small', undef, accept => 'text/html');
is($r->{status}, 406, 'Off, Accept: text/html: 406');
is($r->{headers}{'content-type'}, JSONT, 'Off, Accept: text/html: JSON');
is($r->{headers}{'content-security-policy'}, undef, 'Off: no CSP');

done_testing();
