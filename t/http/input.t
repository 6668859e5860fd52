# Licensed under the Apache License, Version 2.0 (the "License"); you may
# not use this file except in compliance with the License.  You may obtain
# a copy of the License at http://www.apache.org/licenses/LICENSE-2.0
#
# t/http/input.t: input that was once quietly accepted.  U+0000, which
# PostgreSQL's text cannot hold, in a variable (at the top, in a list, in
# an input object), a string literal, operationName, a JSON member name
# or a token's claims: refused with BAD_USER_INPUT (401 UNAUTHENTICATED
# for a token), running no SQL and storing nothing.  A token without exp:
# 401 under the default GraphQLJWTRequireExp On, accepted at /db/noexp
# (Off); the tokens @jwt issues carry exp.  Messages quote a bounded part
# of what was sent: a 900 KB field name, string literal or variable gets a
# short answer, soon.  Against /db (t/http/schema/glue.graphql) and /hn.
use strict;
use warnings;
use FindBin;
use lib "$FindBin::Bin/lib";
use GqlTest;
use JSON::PP;
use MIME::Base64 qw(decode_base64url);
use Test::More;
use Time::HiRes qw(time);

my $run = sprintf('i%x%x', time, $$);

sub ask {
    my ($path, $params, %headers) = @_;
    my $res = gql_post($path, $params, accept => GR, %headers);
    return ($res, json_body($res) || {});
}

# A request refused as the client's mistake: its status, one error of
# BAD_USER_INPUT whose message matches, no data, no statement.
sub refused {
    my ($what, $res, $body, $status, $message) = @_;
    is($res->{status}, $status, "$what: $status");
    is($body->{errors}[0]{extensions}{code}, 'BAD_USER_INPUT',
       "$what: BAD_USER_INPUT") or diag explain $body;
    like($body->{errors}[0]{message} // '', $message, "$what: the message");
    ok(!defined $body->{data}, "$what: no data");
    is(sql_statements_of_last_request(), 0, "$what: no statement ran");
}

# --- U+0000 ------------------------------------------------------------

my $add = 'mutation ($b: String!) { addNote(body: $b) { id } }';
my ($res, $body) = ask('/db', { query => $add,
                               variables => { b => "$run\x{0}cd" } });
refused('a variable holding U+0000', $res, $body, 400,
        qr/^Variable "\$b" got invalid value "\Q$run\E\\u0000cd"; U\+0000 is not allowed in a value of type "String"\.$/);
is(psql("SELECT count(*) FROM glue_notes WHERE body LIKE '$run%'"), 0,
   'nothing stored');

($res, $body) = ask('/hn', { query => 'query ($o: LinkOrderByInput) '
                                      . '{ feed(orderBy: $o) { count } }',
                             variables => { o => { url => "asc\x{0}" } } });
refused('an enum value in an input object holding U+0000', $res, $body,
        400, qr/^Variable "\$o" got invalid value .* at "o\.url"; U\+0000 /);

($res, $body) = ask('/db', { query => 'query ($b: String!) '
                                      . '{ noteCount(body: $b) }',
                             variables => { b => 'ok' } });
ok($res->{status} == 200 && defined $body->{data}{noteCount},
   'the same variable without U+0000 runs') or diag explain $body;

my $lit = qq|mutation { addNote(body: "$run\\u0000cd") { id } }|;
($res, $body) = ask('/db', { query => $lit });
refused('a string literal holding U+0000', $res, $body, 400,
        qr/^String value "\Q$run\E\\u0000cd" holds U\+0000, which is not allowed\.$/);
is_deeply($body->{errors}[0]{locations},
          [{ line => 1, column => index($lit, '"') + 1 }],
          'the literal\'s location') or diag explain $body;
($res, $body) = ask('/db', { query => '{ noteCount(body: "\\u{0}") }' });
refused('a braced \u{0} escape', $res, $body, 400, qr/holds U\+0000/);

($res, $body) = ask('/db', { query => 'query A { hello }',
                             operationName => "A\x{0}B" });
refused('an operationName holding U+0000', $res, $body, 400,
        qr/^The "operationName" parameter holds U\+0000, which is not allowed\.$/);
($res, $body) = ask('/db', { query => 'query ($x: String) { hello }',
                             variables => { "x\x{0}y" => 'v' } });
refused('a variable\'s name holding U+0000', $res, $body, 400,
        qr/^A member name of the request holds U\+0000/);
$res = gql_get('/db', { query => 'query A { hello }',
                       operationName => "A\x{0}" }, accept => GR);
$body = json_body($res) || {};
refused('a GET\'s operationName holding U+0000', $res, $body, 400,
        qr/operationName/);

for my $case ([ 'a claim holding U+0000', { sub => "5\x{0}x" } ],
              [ 'a claim name holding U+0000', { "sub\x{0}x" => '5' } ]) {
    ($res, $body) = ask('/db', { query => '{ whoami }' },
                        bearer(jwt_token($case->[1])));
    is($res->{status}, 401, "$case->[0]: 401");
    is($body->{errors}[0]{extensions}{code}, 'UNAUTHENTICATED',
       "$case->[0]: UNAUTHENTICATED");
    is($body->{errors}[0]{message},
       'The token is malformed: its claims hold U+0000.',
       "$case->[0]: the message") or diag explain $body;
    is(sql_statements_of_last_request(), 0, "$case->[0]: no statement");
}

# --- exp ---------------------------------------------------------------

my $noexp = jwt_token({ sub => '42', exp => undef });
($res, $body) = ask('/db', { query => '{ whoami }' }, bearer($noexp));
is($res->{status}, 401, 'a token without exp: 401');
is($body->{errors}[0]{message}, 'The token has no expiry time (exp).',
   'the message names the missing exp') or diag explain $body;
is(sql_statements_of_last_request(), 0, 'no statement ran');
($res, $body) = ask('/db/noexp', { query => '{ whoami }' }, bearer($noexp));
is_deeply($body, { data => { whoami => '42' } },
          'GraphQLJWTRequireExp Off: the token is accepted')
    or diag explain $body;
($res, $body) = ask('/db', { query => '{ whoami }' },
                    bearer(jwt_token({ sub => '42' })));
is_deeply($body, { data => { whoami => '42' } },
          'a token with exp: accepted under the default');

($res, $body) = ask('/db', { query => '{ token { jwt } }' });
my $issued = $body->{data}{token}{jwt} // '';
my $claims = eval {
    decode_json(decode_base64url((split /\./, $issued)[1]))
} || {};
ok($claims->{exp} && $claims->{exp} > time, 'a token @jwt issues has exp')
    or diag explain $body;
($res, $body) = ask('/db', { query => '{ whoami }' }, bearer($issued));
is_deeply($body, { data => { whoami => '7' } },
          'and is accepted under the default') or diag explain $body;

# --- bounded echoes ----------------------------------------------------

my $huge = 'a' x (900 * 1024);
my $t0 = time;
($res, $body) = ask('/db', { query => "{ $huge }" });
my $took = time - $t0;
is($res->{status}, 400, 'a 900 KB field name: 400');
ok(length($res->{content}) < 4096,
   'the answer is under 4 KB (' . length($res->{content}) . ' bytes)');
like($body->{errors}[0]{message} // '',
     qr/^Cannot query field "a{1200}\.\.\." on type "Query"\.$/,
     'the name is quoted cut, with ...') or diag explain $body;
ok($took < 3, sprintf('and soon (%.2f s)', $took));
is(sql_statements_of_last_request(), 0, 'no statement ran');

($res, $body) = ask('/db', { query => qq|{ sleep(ms: "$huge") }| });
ok($res->{status} == 400 && length($res->{content}) < 4096,
   'a 900 KB string literal of the wrong type: a short 400');
like($body->{errors}[0]{message} // '',
     qr/^Int cannot represent non-integer value: "a{1200}\.\.\."$/,
     'the literal is quoted cut') or diag explain $body;

($res, $body) = ask('/db', { query => 'query ($m: Int!) { sleep(ms: $m) }',
                             variables => { m => $huge } });
ok($res->{status} == 400 && length($res->{content}) < 4096,
   'a 900 KB variable of the wrong type: a short 400');
like($body->{errors}[0]{message} // '',
     qr/^Variable "\$m" got invalid value "a{1200}\.\.\."; Int cannot /,
     'the value is quoted cut') or diag explain $body;

# The 400s of requests that are not GraphQL requests quote none of them.
for my $case ([ 'a 900 KB body that is no JSON', "{\"query\": $huge" ],
              [ 'a 900 KB member of the wrong type',
                qq|{"query": "{ hello }", "variables": "$huge"}| ]) {
    $res = gql_post('/db', $case->[1], accept => GR);
    ok($res->{status} == 400 && length($res->{content}) < 1024
       && $res->{content} !~ /aaaa/, "$case->[0]: a short 400 that "
       . 'echoes none of it') or diag substr($res->{content}, 0, 300);
}

done_testing();
