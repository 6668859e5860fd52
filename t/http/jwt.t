# Licensed under the Apache License, Version 2.0 (the "License"); you may
# not use this file except in compliance with the License.  You may obtain
# a copy of the License at http://www.apache.org/licenses/LICENSE-2.0
#
# t/http/jwt.t: callers.  A verified token's claims reach SQL as
# $viewer.*; without a token a field naming $viewer is UNAUTHENTICATED and
# runs no SQL; a token that is forged, tampered with, expired, not yet
# valid or in another algorithm is 401 with WWW-Authenticate and a message
# that says why, never an anonymous request; tokens issued by @jwt carry
# the endpoint's GraphQLJWTLifetime.  Against /db (t/http/schema/
# glue.graphql) and the locations beside it in t/http/run.
use strict;
use warnings;
use FindBin;
use lib "$FindBin::Bin/lib";
use GqlTest;
use JSON::PP;
use MIME::Base64 qw(decode_base64url);
use Test::More;

my $now = time;

sub ask {
    my ($query, %headers) = @_;
    my $path = delete $headers{path} || '/db';
    my $res = gql_post($path, { query => $query }, %headers);
    return ($res, json_body($res) || {});
}

# --- a caller's claims reach SQL ---------------------------------------

my ($res, $body) = ask('{ whoami }', bearer(jwt_token({ sub => '42' })));
is($res->{status}, 200, 'a valid token: 200');
is_deeply($body, { data => { whoami => '42' } },
          'a valid token: $viewer.sub is its sub claim') or diag explain $body;
is(sql_statements_of_last_request(), 1, 'a valid token: one statement ran');

($res, $body) = ask('{ whoami }',
                    authorization => 'JWT ' . jwt_token({ sub => 'jj' }));
is_deeply($body, { data => { whoami => 'jj' } },
          'the JWT scheme works as Bearer does');

($res, $body) = ask('{ whoami issuer }',
                    authorization => 'bearer   '
                    . jwt_token({ sub => 'x', iss => 'the tests' }));
is_deeply($body, { data => { whoami => 'x', issuer => 'the tests' } },
          'scheme in lower case, spaces: $viewer.iss too');

($res, $body) = ask('{ issuer }', bearer(jwt_token({ sub => 'x' })));
is_deeply($body, { data => { issuer => undef } },
          'a claim the token does not have is null');

($res, $body) = ask('{ maybeMe }', bearer(jwt_token({ sub => 'm' })));
is_deeply($body, { data => { maybeMe => 'm' } },
          'optionalViewer with a caller: the claim');

($res, $body) = ask('{ whoami }',
                    bearer(jwt_token({ sub => 'late', exp => $now - 10 })));
is_deeply($body, { data => { whoami => 'late' } },
          'a token expired 10 s ago is within the leeway');

# --- no caller ---------------------------------------------------------

($res, $body) = ask('{ whoami hello }');
is($res->{status}, 200, 'no token, $viewer field: 200');
is($body->{data}{whoami}, undef, 'no token: the field is null');
is($body->{errors}[0]{extensions}{code}, 'UNAUTHENTICATED',
   'no token: UNAUTHENTICATED') or diag explain $body;
is_deeply($body->{errors}[0]{path}, ['whoami'], 'no token: the path');
is(sql_statements_of_last_request(), 0, 'no token: no SQL ran');

($res, $body) = ask('{ maybeMe }');
is_deeply($body, { data => { maybeMe => undef } },
          'optionalViewer without a caller: null, no error');
is(sql_statements_of_last_request(), 0, 'optionalViewer: no SQL ran');

($res, $body) = ask('{ whoami }', authorization => 'Basic dXNlcjpwYXNz');
is($res->{status}, 200, 'Basic credentials are not ours: anonymous');
is($body->{errors}[0]{extensions}{code}, 'UNAUTHENTICATED',
   'Basic credentials: UNAUTHENTICATED for $viewer');

# --- refused tokens ----------------------------------------------------

my $good = jwt_token({ sub => '42' });
my ($h, $p, $s) = split /\./, $good;
my $other_payload = MIME::Base64::encode_base64url(
    JSON::PP->new->canonical->encode({ sub => '1', iat => $now,
                                       exp => $now + 3600 }));

my @refused = (
    [ 'a tampered payload', "$h.$other_payload.$s",
      qr/^The token's signature is not valid\.$/ ],
    [ 'alg none, unsigned', jwt_token({ sub => '1' }, alg => 'none'),
      qr/^The token's algorithm must be HS256\.$/ ],
    [ 'alg none with the right signature',
      jwt_token({ sub => '1' }, header => { alg => 'none' }),
      qr/^The token's algorithm must be HS256\.$/ ],
    [ 'alg HS512', jwt_token({ sub => '1' }, alg => 'HS512'),
      qr/^The token's algorithm must be HS256\.$/ ],
    [ 'a wrong key', jwt_token({ sub => '1' }, key => 'k' x 40),
      qr/^The token's signature is not valid\.$/ ],
    [ 'expired beyond the leeway',
      jwt_token({ sub => '1', exp => $now - 120, iat => $now - 600 }),
      qr/^The token has expired\.$/ ],
    [ 'nbf in the future', jwt_token({ sub => '1', nbf => $now + 600 }),
      qr/^The token is not valid yet\.$/ ],
    [ 'issued in the future', jwt_token({ sub => '1', iat => $now + 600 }),
      qr/^The token was issued in the future\.$/ ],
    [ 'garbage', 'not-a-token', qr/^The token is malformed: / ],
    [ 'two parts', "$h.$p", qr/^The token is malformed: / ],
    [ 'no token after the scheme', '', qr/^The token is malformed: / ],
);
my $secret = jwt_secret();
for my $case (@refused) {
    my ($name, $token, $why) = @$case;
    for my $scheme ('Bearer', 'JWT') {
        my $mark = error_log_mark();
        ($res, $body) = ask('{ hello }', authorization => "$scheme $token");
        subtest "$name ($scheme)" => sub {
            plan tests => 8;
            is($res->{status}, 401, 'status 401');
            is($res->{headers}{'www-authenticate'},
               'Bearer error="invalid_token"', 'WWW-Authenticate');
            is(scalar @{ $body->{errors} || [] }, 1, 'one error');
            like($body->{errors}[0]{message} // '', $why, 'the reason')
                or diag explain $body;
            is($body->{errors}[0]{extensions}{code}, 'UNAUTHENTICATED',
               'UNAUTHENTICATED');
            ok(!exists $body->{data}, 'no data: nothing ran');
            is(sql_statements_of_last_request(), 0, 'no SQL ran');
            unlike($res->{content} . error_log_since($mark),
                   qr/\Q$secret\E/, 'the secret shows nowhere');
        };
    }
}

($res, $body) = ask('{ hello }', bearer($good), path => '/db-nosecret');
is($res->{status}, 401, 'a token where no GraphQLJWTSecret is set: 401');
like($body->{errors}[0]{message} // '', qr/GraphQLJWTSecret/,
     'no GraphQLJWTSecret: the reason');

# --- tokens issued by @jwt ---------------------------------------------

sub claims_of {
    my ($token) = @_;
    my (undef, $payload) = split /\./, $token // '';
    return {} unless defined $payload;
    return eval { decode_json(decode_base64url($payload)) } || {};
}

for my $case (['/db', 604800], ['/db-short', 60]) {
    my ($path, $lifetime) = @$case;
    ($res, $body) = ask('{ token { jwt } }', path => $path);
    my $jwt = $body->{data}{token}{jwt};
    my $c = claims_of($jwt);
    subtest "\@jwt at $path" => sub {
        plan tests => 4;
        is($c->{sub}, '7', 'sub is the row\'s id, as a string')
            or diag explain $body;
        ok(abs(($c->{iat} // 0) - time) < 60, 'iat is now');
        is(($c->{exp} // 0) - ($c->{iat} // 0), $lifetime,
           "exp is iat + $lifetime (GraphQLJWTLifetime)");
        my (undef, $b2) = ask('{ whoami }', bearer($jwt // ''));
        is_deeply($b2, { data => { whoami => '7' } },
                  'the issued token is a valid caller');
    };
}

done_testing();
