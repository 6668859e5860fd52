# Licensed under the Apache License, Version 2.0 (the "License"); you may
# not use this file except in compliance with the License.  You may obtain
# a copy of the License at http://www.apache.org/licenses/LICENSE-2.0
#
# t/http/idp.t: callers other than our own HS256 tokens.  Tokens of an
# identity provider (RS256, ES256, EdDSA) whose keys come from a JWK Set
# (GraphQLJWKS) or PEM files (GraphQLJWTKey), with GraphQLJWTIssuer and
# GraphQLJWTAudience: the claims of a good one reach SQL as $viewer.*; a
# wrong kid, an algorithm not its key's, an HS256 token signed with a
# public key's text, another aud or iss, an expired one are 401 and run no
# SQL.  httpd's own authentication as the caller (GraphQLCaller,
# GraphQLCallerEnv): a Basic user reaches SQL without any token, with a
# variable SetEnv gives as a claim; GraphQLCaller both with a token that
# agrees or not.  Keys are made by openssl now (t/bin/jwt-keys); bad key
# files and directive values fail `apache2 -t` with a message that names
# them.  Runs its own httpd (t/scratch/idp) on the cluster of t/http/run.
use strict;
use warnings;
use FindBin;
use lib "$FindBin::Bin/lib";
use Digest::SHA qw(sha1);
use File::Temp qw(tempdir);
use GqlHttpd;
use GqlTest qw(gql_post json_body sql_statements_of_last_request);
use JSON::PP;
use MIME::Base64 qw(encode_base64);
use Test::More;

my $pg_port = $ENV{GQL_PG_PORT} or plan skip_all => 'GQL_PG_PORT unset';
my $h = GqlHttpd->new(name => 'idp')->prepare;
my $dir = $h->dir;
my $started = 0;
END { $h->stop if $started; $h->cleanup unless $ENV{GQL_KEEP_TMP}; }

my $keys = "$dir/keys";
mkdir $keys or die "$keys: $!";
system("$GqlHttpd::ROOT/t/bin/jwt-keys", 'make', $keys) == 0
    or BAIL_OUT('t/bin/jwt-keys make failed');
# The secret without a newline: t/bin/jwt-keys signs with its bytes.
$h->write_file('keys/jwt.secret', 'the HS256 secret of t/http/idp.t, ' x 2);

# The password file is read by the children (nobody when run as root):
# keep it where they can read it, as t/http/run keeps its static file.
my $pub = tempdir('mod_graphql-idp.XXXXXX', TMPDIR => 1, CLEANUP => 1);
chmod 0755, $pub;
{
    open(my $fh, '>', "$pub/htpasswd") or die "$pub/htpasswd: $!";
    for my $u (['ada', 'lovelace'], ["l\xe9a", 'latin1']) {
        print $fh "$u->[0]:{SHA}" . encode_base64(sha1($u->[1]), '') . "\n";
    }
    close $fh;
    chmod 0644, "$pub/htpasswd";
}

my $mods = GqlHttpd::modules_dir();
my $basic = <<"EOC";
    AuthType Basic
    AuthName "mod_graphql tests"
    AuthBasicProvider file
    AuthUserFile "$pub/htpasswd"
    Require valid-user
EOC
$h->write_conf(<<"EOC");
LoadModule auth_basic_module $mods/mod_auth_basic.so
LoadModule authn_core_module $mods/mod_authn_core.so
LoadModule authn_file_module $mods/mod_authn_file.so
LoadModule authz_user_module $mods/mod_authz_user.so
LoadModule env_module $mods/mod_env.so
LoadModule lua_module $mods/mod_lua.so
DocumentRoot "$dir"
DBDriver pgsql
DBDParams "host=127.0.0.1 port=$pg_port dbname=graphql user=graphql"
DBDMin 0
DBDKeep 1
DBDMax 4

# An identity provider's JWK Set, its issuer and our audience.
<Location /idp>
    SetHandler graphql
    GraphQLSchema schema/glue.graphql
    GraphQLJWKS file:keys/jwks.json
    GraphQLJWTIssuer https://idp.example
    GraphQLJWTAudience mod_graphql
</Location>
# PEM keys beside the secret; an inner section's keys replace these.
<Location /pem>
    SetHandler graphql
    GraphQLSchema schema/glue.graphql
    GraphQLJWTSecret file:keys/jwt.secret
    GraphQLJWTKey file:keys/rsa2.pem RS256 rsa-2
    GraphQLJWTKey file:keys/ed.pem
    GraphQLJWTKey file:keys/cert.pem
</Location>
<Location /pem/inner>
    GraphQLJWTKey file:keys/ec.pem ES256
</Location>

# httpd's users: Basic authentication, a variable as a claim.
<Location /basic>
    SetHandler graphql
    GraphQLSchema schema/glue.graphql
    GraphQLCaller httpd
    SetEnv GQL_TEST_REALM "the tests"
    GraphQLCallerEnv GQL_TEST_REALM iss
$basic</Location>
# The same users where the caller is a token alone (the default).
<Location /token-only>
    SetHandler graphql
    GraphQLSchema schema/glue.graphql
    GraphQLJWKS file:keys/jwks.json
$basic</Location>
# A token and a user at once: a module (here a Lua fixup, as SSLUserName
# or mod_auth_openidc would) names the user while the client sends a
# token.
<Location /both>
    SetHandler graphql
    GraphQLSchema schema/glue.graphql
    GraphQLCaller both
    GraphQLJWKS file:keys/jwks.json
    SetEnv GQL_TEST_ISS "from httpd"
    GraphQLCallerEnv GQL_TEST_ISS iss
    LuaHookFixups "$dir/user.lua" fixup
</Location>
EOC
$h->write_file('user.lua', <<'EOL');
function fixup(r)
    local u = r.headers_in["X-Test-User"]
    if u then
        r.user = u
    end
    return apache2.DECLINED
end
EOL
chmod 0755, $dir;
chmod 0644, "$dir/user.lua";

my $err = $h->start;
$started = 1 unless $err;
ok(!$err, 'httpd starts with the keys and the users') or BAIL_OUT($err);

# GqlTest's requests and access log, of this server.
$ENV{GQL_URL} = $h->url;
$ENV{GQL_ACCESS_LOG} = $h->access_log_path;
my $json = JSON::PP->new->canonical;
my $now = time;

sub token {
    my ($key, $header, $claims) = @_;
    my %c = (iss => 'https://idp.example', aud => 'mod_graphql',
             iat => $now, exp => $now + 600, %$claims);
    delete @c{ grep { !defined $c{$_} } keys %c };
    my $t = `$GqlHttpd::ROOT/t/bin/jwt-keys sign '$keys' '$key' '@{[
             $json->encode($header) ]}' '@{[ $json->encode(\%c) ]}'`;
    chomp $t;
    return $t;
}

# POST a query; (response, decoded body).
sub ask {
    my ($path, $query, %headers) = @_;
    my $res = gql_post($path, { query => $query }, %headers);
    return ($res, json_body($res) || {});
}

sub bearer { return (authorization => "Bearer $_[0]") }
sub basic { return (authorization => 'Basic ' . encode_base64($_[0], '')) }

sub caller_is {
    my ($path, $want, $name, %headers) = @_;
    my ($res, $body) = ask($path, '{ whoami issuer }', %headers);
    is($res->{status}, 200, "$name: 200");
    is_deeply($body->{data}, $want, "$name: the claims reach SQL")
        or diag explain $body;
    is(sql_statements_of_last_request(), 2, "$name: two statements ran");
}

sub refused {
    my ($path, $token, $why, $name) = @_;
    my ($res, $body) = ask($path, '{ whoami }', bearer($token));
    subtest $name => sub {
        plan tests => 5;
        is($res->{status}, 401, 'status 401');
        is($body->{errors}[0]{message}, $why, 'the reason')
            or diag explain $body;
        is($body->{errors}[0]{extensions}{code}, 'UNAUTHENTICATED',
           'UNAUTHENTICATED');
        ok(!exists $body->{data}, 'no data: nothing ran');
        is(sql_statements_of_last_request(), 0, 'no SQL ran');
    };
}

# --- a JWK Set -----------------------------------------------------------

my $iss = { whoami => 'ada', issuer => 'https://idp.example' };
caller_is('/idp', $iss, 'RS256, kid rsa-1',
          bearer(token('rsa', { alg => 'RS256', kid => 'rsa-1' },
                       { sub => 'ada' })));
caller_is('/idp', $iss, 'ES256, kid ec-1 (a JWK without alg)',
          bearer(token('ec', { alg => 'ES256', kid => 'ec-1' },
                       { sub => 'ada' })));
caller_is('/idp', $iss, 'EdDSA, kid ed-1',
          bearer(token('ed', { alg => 'EdDSA', kid => 'ed-1' },
                       { sub => 'ada' })));
caller_is('/idp', $iss, 'RS256 without a kid',
          bearer(token('rsa', { alg => 'RS256', typ => 'JWT' },
                       { sub => 'ada' })));
caller_is('/idp', $iss, 'aud an array that names us',
          bearer(token('ed', { alg => 'EdDSA', kid => 'ed-1' },
                       { sub => 'ada', aud => ['other', 'mod_graphql'] })));

my $algs = "The token's algorithm must be RS256, ES256 or EdDSA.";
refused('/idp', token('rsa', { alg => 'RS256', kid => 'rsa-9' },
                      { sub => 'ada' }),
        "The token's key (kid) is not known.", 'an unknown kid');
refused('/idp', token('rsa2', { alg => 'RS256', kid => 'rsa-enc' },
                      { sub => 'ada' }),
        "The token's key (kid) is not known.", 'the kid of an enc key');
refused('/idp', token('ec', { alg => 'ES256', kid => 'rsa-1' },
                      { sub => 'ada' }),
        "The token's algorithm is not the one its key is for.",
        'ES256 under an RSA key\'s kid');
refused('/idp', token('hmac:rsa.pem', { alg => 'HS256' }, { sub => 'ada' }),
        $algs, 'HS256 signed with the public key\'s text');
refused('/idp', token('hmac:rsa.pem', { alg => 'HS256', kid => 'rsa-1' },
                      { sub => 'ada' }),
        $algs, 'HS256 signed with the public key\'s text, under its kid');
refused('/idp', token('rsa', { alg => 'none' }, { sub => 'ada' }), $algs,
        'alg none');
refused('/idp', token('rsa2', { alg => 'RS256', kid => 'rsa-1' },
                      { sub => 'ada' }),
        "The token's signature is not valid.", 'another key\'s signature');
refused('/idp', token('ec:der', { alg => 'ES256', kid => 'ec-1' },
                      { sub => 'ada' }),
        "The token's signature is not valid.", 'ES256 signed as DER');
refused('/idp', token('ed', { alg => 'EdDSA', kid => 'ed-1' },
                      { sub => 'ada', aud => 'another-api' }),
        "The token's audience (aud) is not this endpoint.",
        'a token for another aud');
refused('/idp', token('ed', { alg => 'EdDSA', kid => 'ed-1' },
                      { sub => 'ada', aud => undef }),
        "The token's audience (aud) is not this endpoint.", 'no aud');
refused('/idp', token('ed', { alg => 'EdDSA', kid => 'ed-1' },
                      { sub => 'ada', iss => 'https://evil.example' }),
        "The token's issuer (iss) is not accepted.", 'another iss');
refused('/idp', token('rsa', { alg => 'RS256', kid => 'rsa-1' },
                      { sub => 'ada', iat => $now - 7200,
                        exp => $now - 3600 }),
        "The token has expired.", 'an expired token');

# --- PEM files, beside the secret ------------------------------------------

my $pem = { whoami => 'bob', issuer => 'https://idp.example' };
caller_is('/pem', $pem, 'RS256 with the kid of its PEM key',
          bearer(token('rsa2', { alg => 'RS256', kid => 'rsa-2' },
                       { sub => 'bob' })));
caller_is('/pem', $pem, 'EdDSA with a PEM key of no kid',
          bearer(token('ed', { alg => 'EdDSA' }, { sub => 'bob' })));
caller_is('/pem', $pem, 'RS256 with a certificate\'s key',
          bearer(token('rsa', { alg => 'RS256' }, { sub => 'bob' })));
caller_is('/pem', $pem, 'HS256 with the secret, as before',
          bearer(token('hmac:jwt.secret', { alg => 'HS256' },
                       { sub => 'bob' })));
refused('/pem', token('hmac:rsa2.pem', { alg => 'HS256' }, { sub => 'bob' }),
        "The token's signature is not valid.",
        'HS256 signed with a public key\'s text where a secret is set');
refused('/pem', token('ec', { alg => 'ES256' }, { sub => 'bob' }),
        "The token's algorithm must be HS256, RS256 or EdDSA.",
        'ES256 where no P-256 key is');
refused('/pem/inner', token('rsa2', { alg => 'RS256', kid => 'rsa-2' },
                            { sub => 'bob' }),
        "The token's algorithm must be HS256 or ES256.",
        'an inner section\'s keys replace the outer\'s');
caller_is('/pem/inner', $pem, 'ES256 in the inner section',
          bearer(token('ec', { alg => 'ES256' }, { sub => 'bob' })));

# --- httpd's users --------------------------------------------------------

caller_is('/basic', { whoami => 'ada', issuer => 'the tests' },
          'Basic: the user is the caller, SetEnv\'s variable a claim',
          basic('ada:lovelace'));
my ($res, $body) = ask('/basic', '{ hello }');
is($res->{status}, 401, 'Basic: no credentials, httpd\'s own 401');
like($res->{headers}{'www-authenticate'} // '', qr/^Basic /,
     'Basic: httpd asks for Basic credentials');
($res, $body) = ask('/basic', '{ whoami }', basic('ada:wrong'));
is($res->{status}, 401, 'Basic: a wrong password, httpd\'s own 401');
($res, $body) = ask('/basic', '{ whoami }', basic("l\xe9a:latin1"));
is($res->{status}, 401, 'Basic: a user name that is not UTF-8: 401');
is($body->{errors}[0]{message},
   'The user httpd authenticated is not valid UTF-8.',
   'Basic: not UTF-8, the reason') or diag explain $body;
is(sql_statements_of_last_request(), 0, 'Basic: not UTF-8, no SQL ran');

($res, $body) = ask('/token-only', '{ whoami }', basic('ada:lovelace'));
is($res->{status}, 200, 'GraphQLCaller token: a Basic user, 200');
is($body->{errors}[0]{extensions}{code}, 'UNAUTHENTICATED',
   'GraphQLCaller token: httpd\'s user is not the caller')
    or diag explain $body;
is(sql_statements_of_last_request(), 0, 'GraphQLCaller token: no SQL ran');

my $agree = token('ec', { alg => 'ES256', kid => 'ec-1' }, { sub => 'ada' });
caller_is('/both', $iss, 'both: a token whose sub is the user (its iss)',
          bearer($agree), 'x-test-user' => 'ada');
caller_is('/both', { whoami => 'ada', issuer => 'from httpd' },
          'both: a user and no token', 'x-test-user' => 'ada');
caller_is('/both', $iss, 'both: a token and no user', bearer($agree));
($res, $body) = ask('/both', '{ whoami }', bearer($agree),
                    'x-test-user' => 'bob');
is($res->{status}, 401, 'both: a token whose sub is another user: 401');
is($body->{errors}[0]{message},
   "The token's subject (sub) is not the user httpd authenticated.",
   'both: the reason') or diag explain $body;
is(sql_statements_of_last_request(), 0, 'both: disagreeing, no SQL ran');

# --- configtest -----------------------------------------------------------

my $c = GqlHttpd->new(name => 'idp-config')->prepare;
END { $c->cleanup unless $ENV{GQL_KEEP_TMP} }

sub configtest {
    my ($lines) = @_;
    $c->write_conf("DocumentRoot \"$dir\"\n<Location /g>\n"
                   . "    SetHandler graphql\n"
                   . "    GraphQLSchema schema/basic.graphql\n"
                   . "$lines</Location>\n");
    return $c->run_httpd('-t');
}

$c->write_file('bad.json', '{"keys": [');
$c->write_file('oct.json', '{"keys":[{"kty":"oct","k":"c2VjcmV0"}]}');
my ($st, $out) = configtest(<<"EOC");
    GraphQLJWKS file:$keys/jwks.json
    GraphQLJWTKey file:$keys/rsa2.pem RS256 rsa-2
    GraphQLJWTKey file:$keys/cert.pem
    GraphQLJWTIssuer https://idp.example
    GraphQLJWTAudience mod_graphql
    GraphQLCaller both
    GraphQLCallerEnv SSL_CLIENT_S_DN dn
EOC
is($st, 0, 'the identity directives with good values: apache2 -t')
    or diag $out;

my @bad = (
    [ "GraphQLJWTKey file:$keys/rsa.key",
      qr{GraphQLJWTKey: \Q$keys\E/rsa\.key: it holds a private key},
      'a private key' ],
    [ "GraphQLJWTKey file:$keys/weak.pem",
      qr{GraphQLJWTKey: \Q$keys\E/weak\.pem: an RSA key of 1024 bits is too},
      'an RSA key of 1024 bits' ],
    [ "GraphQLJWTKey file:$keys/p384.pem",
      qr{\Q$keys\E/p384\.pem: an EC key must be on the curve P-256},
      'a P-384 key' ],
    [ "GraphQLJWTKey file:$keys/rsa.pem ES256",
      qr{\Q$keys\E/rsa\.pem: an RSA key cannot verify ES256 tokens},
      'an RSA key for ES256' ],
    [ "GraphQLJWTKey file:$keys/rsa.pem HS256",
      qr{the algorithm must be RS256, ES256 or EdDSA, not HS256},
      'a public key for HS256' ],
    [ "GraphQLJWTKey file:$keys/no-such.pem",
      qr{GraphQLJWTKey: \Q$keys\E/no-such\.pem: cannot read it},
      'a missing key file' ],
    [ "GraphQLJWTKey file:$keys/jwks.json",
      qr{\Q$keys\E/jwks\.json: it holds no PEM public key}, 'no PEM' ],
    [ "GraphQLJWTKey $keys/rsa.pem",
      qr{GraphQLJWTKey: the key must be file:PATH}, 'no file:' ],
    [ "GraphQLJWTKey file:$keys/rsa.pem RS256 a b",
      qr{GraphQLJWTKey takes file:PATH}, 'four arguments' ],
    [ "GraphQLJWTKey file:$keys/rsa.pem RS256 k\n"
      . "    GraphQLJWTKey file:$keys/rsa2.pem RS256 k",
      qr{a key has the kid "k" already}, 'a kid twice' ],
    [ "GraphQLJWKS file:$keys/rsa.pem",
      qr{GraphQLJWKS: \Q$keys\E/rsa\.pem: it is not a JWK Set},
      'a JWK Set that is PEM' ],
    [ "GraphQLJWKS file:bad.json", qr{GraphQLJWKS: \S+/bad\.json: it is not},
      'a JWK Set cut short' ],
    [ "GraphQLJWKS file:oct.json",
      qr{GraphQLJWKS: \S+/oct\.json: it has no key for RS256, ES256 or},
      'a JWK Set of a secret' ],
    [ "GraphQLJWKS https://idp.example/jwks",
      qr{GraphQLJWKS: the JWK Set must be file:PATH}, 'a URL' ],
    [ 'GraphQLJWTIssuer ""', qr{GraphQLJWTIssuer takes one argument},
      'an empty issuer' ],
    [ 'GraphQLCaller anyone',
      qr{GraphQLCaller: the value must be token, httpd or both, not anyone},
      'GraphQLCaller anyone' ],
    [ 'GraphQLCallerEnv REMOTE_USER sub',
      qr{GraphQLCallerEnv: REMOTE_USER cannot be the claim sub},
      'GraphQLCallerEnv to sub' ],
    [ 'GraphQLCallerEnv ONE', qr{GraphQLCallerEnv takes two arguments},
      'GraphQLCallerEnv with one argument' ],
);
for my $b (@bad) {
    my ($lines, $want, $name) = @$b;
    ($st, $out) = configtest("    $lines\n");
    isnt($st, 0, "$name: apache2 -t fails");
    like($out, $want, "$name: the message") or diag $out;
}

done_testing();
