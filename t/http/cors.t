# Licensed under the Apache License, Version 2.0 (the "License"); you may
# not use this file except in compliance with the License.  You may obtain
# a copy of the License at http://www.apache.org/licenses/LICENSE-2.0
#
# t/http/cors.t: OPTIONS and CORS, with the requests a browser sends.  An
# OPTIONS is 204 with Allow; a preflight (OPTIONS with Origin and
# Access-Control-Request-Method) from an origin GraphQLCORSOrigins lists
# gets the Access-Control-Allow-* headers (GraphQLCORSHeaders,
# GraphQLCORSMaxAge, GraphQLCORSCredentials), from another origin none;
# the actual GET and POST, a 400 and a 405 too, carry
# Access-Control-Allow-Origin; a location without GraphQLCORSOrigins sends
# no CORS header.  The directives' bad values fail `apache2 -t`.  Runs its
# own httpd (t/scratch/cors), with no database.
use strict;
use warnings;
use FindBin;
use lib "$FindBin::Bin/lib";
use GqlHttpd;
use HTTP::Tiny;
use Test::More;

my $h = GqlHttpd->new(name => 'cors')->prepare;
my $dir = $h->dir;
my $started = 0;
END { $h->stop if $started; $h->cleanup unless $ENV{GQL_KEEP_TMP}; }

my $app = 'https://app.example.com';
my $conf = <<"EOC";
DocumentRoot "$dir"
<Location /none>
    SetHandler graphql
    GraphQLSchema schema/basic.graphql
</Location>
<Location /any>
    SetHandler graphql
    GraphQLSchema schema/basic.graphql
    GraphQLCORSOrigins *
</Location>
<Location /listed>
    SetHandler graphql
    GraphQLSchema schema/basic.graphql
    GraphQLCORSOrigins $app http://localhost:8080
    GraphQLCORSCredentials On
    GraphQLCORSHeaders Content-Type Authorization X-Request-Id
    GraphQLCORSMaxAge 300
</Location>
EOC
$h->write_conf($conf);
my $err = $h->start;
is($err, '', 'httpd starts with the CORS directives') or BAIL_OUT($err);
$started = 1;

my $http = HTTP::Tiny->new(timeout => 10, keep_alive => 0);

sub req {
    my ($method, $path, $headers, $content) = @_;
    my %opt = (headers => $headers || {});
    $opt{content} = $content if defined $content;
    return $http->request($method, $h->url . $path, \%opt);
}

# What Chromium sends before a POST of JSON with a token.
sub preflight {
    my ($path, $origin) = @_;
    return req('OPTIONS', $path, {
        origin => $origin,
        'access-control-request-method' => 'POST',
        'access-control-request-headers' => 'authorization,content-type',
        accept => '*/*',
    });
}

sub cors_headers {
    my ($r) = @_;
    return [sort grep { /^access-control-/ } keys %{ $r->{headers} }];
}

sub varies_with_origin {
    my ($r) = @_;
    my $v = $r->{headers}{vary};
    $v = join ', ', @$v if ref $v;
    return defined $v && $v =~ /\bOrigin\b/ ? 1 : 0;
}

my $query = '{"query":"{ __typename }"}';
my %post = ('content-type' => 'application/json',
            accept => 'application/graphql-response+json');

# OPTIONS without CORS.
my $r = req('OPTIONS', '/none');
is($r->{status}, 204, 'OPTIONS: 204');
is($r->{headers}{allow}, 'GET, HEAD, POST, OPTIONS', 'OPTIONS: Allow');
ok(!length($r->{content} // ''), 'OPTIONS: no body');
$r = preflight('/none', $app);
is($r->{status}, 204, 'a preflight where no origin is allowed: 204');
is_deeply(cors_headers($r), [], '... with no CORS header');
$r = req('POST', '/none', { %post, origin => $app }, $query);
is($r->{status}, 200, 'a POST with Origin where none is allowed: 200');
is_deeply(cors_headers($r), [], '... with no CORS header');

# A listed origin, with credentials.
$r = preflight('/listed', $app);
is($r->{status}, 204, 'a preflight from a listed origin: 204');
is($r->{headers}{allow}, 'GET, HEAD, POST, OPTIONS', '... Allow');
is($r->{headers}{'access-control-allow-origin'}, $app,
   '... Access-Control-Allow-Origin is the origin');
is(varies_with_origin($r), 1, '... Vary: Origin');
is($r->{headers}{'access-control-allow-methods'}, 'GET, POST',
   '... Access-Control-Allow-Methods');
is($r->{headers}{'access-control-allow-headers'},
   'Content-Type, Authorization, X-Request-Id',
   '... Access-Control-Allow-Headers: GraphQLCORSHeaders');
is($r->{headers}{'access-control-max-age'}, 300,
   '... Access-Control-Max-Age: GraphQLCORSMaxAge');
is($r->{headers}{'access-control-allow-credentials'}, 'true',
   '... Access-Control-Allow-Credentials');
$r = preflight('/listed', 'http://localhost:8080');
is($r->{headers}{'access-control-allow-origin'}, 'http://localhost:8080',
   'the second listed origin, with a port');

for my $other ('https://evil.example.com', 'http://app.example.com',
               'https://app.example.com:8443', 'null') {
    $r = preflight('/listed', $other);
    is($r->{status}, 204, "a preflight from $other: 204");
    is_deeply(cors_headers($r), [], '... with no CORS header');
}

$r = req('POST', '/listed', { %post, origin => $app,
                              cookie => 'session=1' }, $query);
is($r->{status}, 200, 'the actual POST from a listed origin: 200');
is($r->{headers}{'access-control-allow-origin'}, $app,
   '... Access-Control-Allow-Origin');
is($r->{headers}{'access-control-allow-credentials'}, 'true',
   '... Access-Control-Allow-Credentials');
is(varies_with_origin($r), 1, '... Vary: Origin');
like($r->{headers}{vary}, qr/\bAccept\b/, '... and Vary: Accept still');
ok(!exists $r->{headers}{'access-control-allow-methods'},
   '... no preflight headers');
$r = req('GET', '/listed?query=%7B__typename%7D',
         { origin => $app, accept => 'application/json' });
is($r->{status}, 200, 'the actual GET from a listed origin: 200');
is($r->{headers}{'access-control-allow-origin'}, $app,
   '... Access-Control-Allow-Origin');
$r = req('POST', '/listed', { %post, origin => $app }, '{"query": ');
is($r->{status}, 400, 'a POST of broken JSON from a listed origin: 400');
is($r->{headers}{'access-control-allow-origin'}, $app,
   '... Access-Control-Allow-Origin still');
is($r->{headers}{'access-control-allow-credentials'}, 'true',
   '... Access-Control-Allow-Credentials still');
$r = req('PUT', '/listed', { %post, origin => $app }, $query);
is($r->{status}, 405, 'a PUT from a listed origin: 405');
is($r->{headers}{allow}, 'GET, HEAD, POST, OPTIONS', '... Allow');
is($r->{headers}{'access-control-allow-origin'}, $app,
   '... Access-Control-Allow-Origin still');
$r = req('POST', '/listed', { %post, origin => 'https://evil.example.com' },
         $query);
is($r->{status}, 200, 'a POST from another origin: 200 (its browser '
   . 'refuses it)');
is_deeply(cors_headers($r), [], '... with no CORS header');

# Any origin.
$r = preflight('/any', 'https://anywhere.example.org');
is($r->{headers}{'access-control-allow-origin'}, '*',
   'a preflight where any origin is allowed: *');
is($r->{headers}{'access-control-allow-headers'},
   'Content-Type, Authorization', '... the default headers');
is($r->{headers}{'access-control-max-age'}, 600, '... the default max age');
ok(!exists $r->{headers}{'access-control-allow-credentials'},
   '... no credentials');
is(varies_with_origin($r), 0, '... no Vary: Origin');
$r = req('POST', '/any', { %post, origin => 'https://anywhere.example.org' },
         $query);
is($r->{headers}{'access-control-allow-origin'}, '*',
   'the actual POST: Access-Control-Allow-Origin *');
$r = req('POST', '/any', \%post, $query);
is_deeply(cors_headers($r), [], 'a POST without Origin: no CORS header');

$h->stop;
$started = 0;

# Configuration errors.
sub configtest {
    my ($lines) = @_;
    $h->write_conf("DocumentRoot \"$dir\"\n<Location /g>\n"
                   . "    SetHandler graphql\n"
                   . "    GraphQLSchema schema/basic.graphql\n"
                   . "$lines</Location>\n");
    return $h->run_httpd('-t');
}

my ($st, $out) = configtest("    GraphQLCORSOrigins http://[::1]:8080 "
                            . "https://A.example.COM\n"
                            . "    GraphQLCORSMaxAge 0\n");
is($st, 0, 'good CORS values: apache2 -t succeeds') or diag $out;

my @bad = (
    [ "GraphQLCORSOrigins *\n    GraphQLCORSCredentials On",
      qr/GraphQLCORSCredentials: On cannot be used with GraphQLCORSOrigins \*/,
      'credentials with *' ],
    [ "GraphQLCORSCredentials On\n    GraphQLCORSOrigins *",
      qr/GraphQLCORSOrigins: \* cannot be used with GraphQLCORSCredentials On/,
      '* after credentials' ],
    [ "GraphQLCORSOrigins https://a.example.com *",
      qr/GraphQLCORSOrigins: \* stands alone/, '* with an origin' ],
    [ "GraphQLCORSOrigins https://a.example.com/",
      qr{GraphQLCORSOrigins: an origin is .* not https://a\.example\.com/$}m,
      'an origin with a path' ],
    [ "GraphQLCORSOrigins a.example.com",
      qr/GraphQLCORSOrigins: an origin is .* not a\.example\.com$/m,
      'an origin without a scheme' ],
    [ "GraphQLCORSHeaders Content-Type X:Y",
      qr/GraphQLCORSHeaders: a header name is a token .* not X:Y$/m,
      'a header name with a colon' ],
    [ "GraphQLCORSMaxAge -1",
      qr/GraphQLCORSMaxAge: value must be a number of seconds >= 0, not -1/,
      'a negative max age' ],
    [ "GraphQLCORSCredentials maybe",
      qr/GraphQLCORSCredentials/, 'credentials neither On nor Off' ],
);
for my $b (@bad) {
    my ($line, $re, $name) = @$b;
    ($st, $out) = configtest("    $line\n");
    isnt($st, 0, "$name: apache2 -t fails");
    like($out, $re, "$name: the message") or diag $out;
}

done_testing();
