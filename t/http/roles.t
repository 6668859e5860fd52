# Licensed under the Apache License, Version 2.0 (the "License"); you may
# not use this file except in compliance with the License.  You may obtain
# a copy of the License at http://www.apache.org/licenses/LICENSE-2.0
#
# t/http/roles.t: the caller as PostgreSQL sees it.  Each transaction
# gets the verified claims as request.jwt.claims ({} without a caller)
# and, with the role directives, the role the claims or the configuration
# name; policies that differ by role and by claim decide what a request
# sees and writes (t/http/schema/roles.sql at /roles); a token naming an
# unlisted role, or none, is refused before any statement; a listed role
# the connecting user cannot take makes the SQL fields FORBIDDEN; on a
# pool of one connection no request sees another's claims or role.  Then
# the Hackernews clone's policies (schema/hackernews.sql) against what
# its API cannot send (t/http/schema/hnprobe.graphql at /hn-probe).
use strict;
use warnings;
use FindBin;
use lib "$FindBin::Bin/lib";
use GqlTest;
use JSON::PP;
use MIME::Base64 qw(encode_base64url decode_base64url);
use Test::More;

my $run = "$$-" . time;
my $json = JSON::PP->new->canonical;

sub ask {
    my ($path, $query, $token, $vars) = @_;
    my $res = gql_post($path, { query => $query,
                                $vars ? (variables => $vars) : () },
                       $token ? bearer($token) : ());
    return ($res, json_body($res) || {});
}

sub codes {
    my ($body) = @_;
    return [ map { join ' ', @{ $_->{path} || [] }, $_->{extensions}{code} }
             @{ $body->{errors} || [] } ];
}

sub token {
    my ($role, $tenant, %more) = @_;
    return jwt_token({ sub => "u-$run", %more,
                       app => { defined $role ? (role => $role) : (),
                                defined $tenant ? (tenant => $tenant) : () }
                     });
}

my ($res, $body);

# ---- claims and role in the database ---------------------------------

($res, $body) = ask('/roles', '{ who claims notes tenant }');
is_deeply($body, { data => { who => 'roles_anon', claims => '{}',
                             notes => [], tenant => undef } },
          'no caller: the anonymous role, claims {}, no note')
    or diag explain $body;
is(sql_statements_of_last_request(), 3,
   'the settings are not counted as statements');

my $reader1 = token('roles_reader', 't1');
($res, $body) = ask('/roles', '{ who claims notes tenant }', $reader1);
is($body->{data}{who}, 'roles_reader', 'a reader: its role')
    or diag explain $body;
is_deeply(decode_json($body->{data}{claims} // '{}'),
          claims_of($reader1),
          'request.jwt.claims: the token\'s claims as JSON');
is_deeply([ $body->{data}{tenant}, $body->{data}{notes} ],
          [ 't1', [ 'one of t1', 'two of t1' ] ],
          '$viewer.app.tenant; the policy shows the notes of tenant t1');

($res, $body) = ask('/roles', '{ notes }', token('roles_reader', 't2'));
is_deeply($body->{data}{notes}, [ 'one of t2' ],
          'another tenant\'s claim: the notes of t2');

my $writer1 = token('roles_writer', 't1');
($res, $body) = ask('/roles', 'mutation($b: String!) { who note(tenant: '
                    . '"t1", body: $b) }', $writer1, { b => "w-$run" });
is_deeply($body, { data => { who => 'roles_writer', note => "w-$run" } },
          'a writer writes a note of its tenant (a mutation runs as the '
          . 'role)') or diag explain $body;
($res, $body) = ask('/roles', 'mutation { note(tenant: "t2", body: "x") }',
                    $writer1);
ok(!defined $body->{data} && codes($body)->[0] eq 'note FORBIDDEN',
   'a writer: not of another tenant (the policy)') or diag explain $body;
($res, $body) = ask('/roles', 'mutation { note(tenant: "t1", body: "x") }',
                    $reader1);
ok(!defined $body->{data} && codes($body)->[0] eq 'note FORBIDDEN',
   'a reader: no note at all (no grant)') or diag explain $body;
($res, $body) = ask('/roles', 'mutation { note(tenant: "t1", body: "x") }');
ok(!defined $body->{data} && codes($body)->[0] eq 'note FORBIDDEN',
   'no caller: no note') or diag explain $body;
is(psql("SELECT string_agg(body, ',') FROM roles_notes WHERE body = 'x' "
        . "OR body = 'w-$run'"), "w-$run", 'only the writer\'s note is there');

# ---- refused before anything runs -------------------------------------

for my $case ([ 'graphql', 'the connecting user' ],
              [ 'postgres', 'a superuser' ],
              [ 'roles_anon', 'the anonymous role' ],
              [ 'ROLES_READER', 'a listed role in other case' ]) {
    my ($role, $what) = @$case;
    ($res, $body) = ask('/roles', '{ who }', token($role, 't1'));
    ok($res->{status} == 403 && !exists $body->{data}
       && codes($body)->[0] eq 'FORBIDDEN'
       && $body->{errors}[0]{message} =~ /not one this endpoint allows/
       && $res->{content} !~ /\Q$role\E/,
       "a token naming $what, not listed: 403 FORBIDDEN")
        or diag explain $body;
    is(sql_statements_of_last_request(), 0, "$what: no statement");
}
for my $case ([ 42, 'a number' ], [ [ 'roles_reader' ], 'a list' ],
              [ { name => 'roles_reader' }, 'an object' ]) {
    ($res, $body) = ask('/roles', '{ who }', jwt_token({
        sub => 'x', app => { role => $case->[0] } }));
    is($res->{status}, 403, "a role claim that is $case->[1]: 403");
}
($res, $body) = ask('/roles', '{ who }', token(undef, 't1'));
ok($res->{status} == 403 && $body->{errors}[0]{message} =~ /names no role/,
   'a token naming no role, no GraphQLDefaultRole: 403')
    or diag explain $body;
($res, $body) = ask('/roles/default', '{ who }', token(undef, 't1'));
is_deeply($body, { data => { who => 'roles_reader' } },
          'with GraphQLDefaultRole: that role');
($res, $body) = ask('/roles/default', '{ who }', token('roles_writer', 't1'));
is_deeply($body, { data => { who => 'roles_writer' } },
          'with GraphQLDefaultRole: a claimed role still wins');

# A role claim changed after signing: the signature fails first.
my ($h, $p, $s) = split /\./, $reader1;
my $claims = decode_json(decode_base64url($p));
$claims->{app}{role} = 'roles_writer';
my $forged = join '.', $h, encode_base64url($json->encode($claims)), $s;
($res, $body) = ask('/roles', 'mutation { note(tenant: "t1", body: "f") }',
                    $forged);
ok($res->{status} == 401 && codes($body)->[0] eq 'UNAUTHENTICATED',
   'a forged role claim: 401') or diag explain $body;
is(sql_statements_of_last_request(), 0, 'a forged role claim: no statement');

# Without an anonymous role, no anonymous request.
($res, $body) = ask('/roles-members', '{ who }');
ok($res->{status} == 401 && codes($body)->[0] eq 'UNAUTHENTICATED'
   && ($res->{headers}{'www-authenticate'} // '') eq 'Bearer',
   'no GraphQLAnonymousRole: an anonymous request is 401')
    or diag explain $res;
is(sql_statements_of_last_request(), 0, 'and runs no statement');
($res, $body) = ask('/roles-members', '{ who }', token(undef, 't1'));
is_deeply($body, { data => { who => 'roles_reader' } },
          'a caller there: the default role');

# No role directive: the connecting user, claims still set.
($res, $body) = ask('/roles-none', '{ who claims }', token('roles_writer'));
is($body->{data}{who}, 'graphql', 'no role directive: the connecting user');
like($body->{data}{claims} // '', qr/"role":"roles_writer"/,
     'no role directive: the claims still reach the database');

# ---- a listed role the database refuses -------------------------------

for my $case ([ 'roles_stranger', '42501', 'a role the connecting user '
                . 'cannot take' ],
              [ 'roles_nobody', '22023', 'a role that does not exist' ]) {
    my ($role, $state, $what) = @$case;
    my $mark = error_log_mark();
    ($res, $body) = ask('/roles', '{ who notes }', token($role, 't1'));
    is($res->{status}, 200, "$what: 200");
    is_deeply(codes($body), [ 'who FORBIDDEN', 'notes FORBIDDEN' ],
              "$what: every SQL field FORBIDDEN") or diag explain $body;
    ok(!defined $body->{data} && $res->{content} !~ /$role|SQLSTATE/,
       "$what: no data, nothing of the database in the answer");
    my $log = error_log_since($mark);
    my $why = "GQL00044: setting the caller's claims and role $role "
              . "failed: SQLSTATE $state";
    like($log, qr/\Q$why\E/, "$what: the log says why");
    ($res, $body) = ask('/roles', '{ who }', $reader1);
    is_deeply($body, { data => { who => 'roles_reader' } },
              "$what: the next request runs");
}

# ---- a pool of one connection ----------------------------------------
#
# Requests that alternate callers, roles and locations on one connection
# per child, one after the other and four clients at once: each sees its
# own claims and role and nothing of the one before.

my @callers = (
    [ '/roles', undef, 'roles_anon' ],
    [ '/roles', $reader1, 'roles_reader' ],
    [ '/roles', token('roles_writer', 't2'), 'roles_writer' ],
    [ '/roles/default', token(undef, 't9'), 'roles_reader' ],
    [ '/roles-none', token('roles_writer', 't3'), 'graphql' ],
    [ '/roles-none', undef, 'graphql' ],
    [ '/roles', token('roles_stranger', 't1'), undef ],
);

sub claims_of {
    my ($token) = @_;
    return {} unless $token;
    my $p = (split /\./, $token)[1];
    return decode_json(decode_base64url($p));
}

# How many of n requests (from the i-th caller on) saw exactly their own.
sub rounds {
    my ($n, $from) = @_;
    my $good = 0;
    local $ENV{GQL_URL} = $ENV{GQL_URL_POOL1};
    for my $i (0 .. $n - 1) {
        my ($path, $token, $role) = @{ $callers[($from + $i) % @callers] };
        my ($r, $b) = ask($path, '{ seen }', $token);
        if (!defined $role) {
            $good++ if codes($b)->[0] eq 'seen FORBIDDEN';
            next;
        }
        my ($who, $c) = split / /, $b->{data}{seen} // '', 2;
        my $got = eval { decode_json($c // '') };
        $good++ if $who eq $role && $got
                   && $json->encode($got) eq $json->encode(claims_of($token));
    }
    return $good;
}

is(rounds(140, 0), 140, 'pool of one: 140 requests in turn, each saw its '
   . 'own claims and role');
my @kids;
for my $k (0 .. 3) {
    my $pid = fork() // die "fork: $!";
    if (!$pid) {
        exit(rounds(50, $k) == 50 ? 0 : 1);
    }
    push @kids, $pid;
}
my $bad = 0;
for my $pid (@kids) {
    waitpid($pid, 0);
    $bad++ if $?;
}
is($bad, 0, 'pool of one: four clients at once, 200 requests, each saw its '
   . 'own');

# ---- the Hackernews clone's policies --------------------------------

my $signup = 'mutation($e: String!, $n: String!) { signup(email: $e, '
             . 'password: "pw", name: $n) { token user { id } } }';
my %u;
for my $n (qw(ann bob)) {
    ($res, $body) = ask('/hn', $signup, undef,
                        { e => "$n-$run\@example.com", n => "$n-$run" });
    $u{$n} = { token => $body->{data}{signup}{token},
               id => $body->{data}{signup}{user}{id},
               email => "$n-$run\@example.com" };
}
ok($u{ann}{token} && $u{bob}{token}, 'hn: two users sign up (anonymous)');
my %link;
for my $n (qw(ann bob)) {
    ($res, $body) = ask('/hn', 'mutation($u: String!) { post(url: $u, '
                        . 'description: "rls") { id } }', $u{$n}{token},
                        { u => "https://$n-$run.example.com/" });
    $link{$n} = $body->{data}{post}{id};
}
ok($link{ann} && $link{bob}, 'hn: each posts a link as itself');

my $feed = '{ feed(filter: "' . $run . '") { links { id postedBy { name '
           . 'email } } } }';
($res, $body) = ask('/hn', $feed, $u{ann}{token});
my %by = map { ($_->{id} => $_->{postedBy}) }
         @{ $body->{data}{feed}{links} || [] };
is_deeply([ $by{ $link{ann} }, $by{ $link{bob} } ],
          [ { name => "ann-$run", email => $u{ann}{email} },
            { name => "bob-$run", email => $u{bob}{email} } ],
          'hn: the posters\' public columns, as the API shows them')
    or diag explain $body;
($res, $body) = ask('/hn', '{ feed(filter: "' . $run . '") { links '
                    . '{ postedBy { name } } } }');
is_deeply([ sort map { $_->{postedBy}{name} }
            @{ $body->{data}{feed}{links} || [] } ],
          [ "ann-$run", "bob-$run" ], 'hn: names are public');
($res, $body) = ask('/hn', '{ me { email } }', $u{bob}{token});
is($body->{data}{me}{email}, $u{bob}{email}, 'hn: me { email }');

($res, $body) = ask('/hn-probe', '{ hashes }');
ok(!defined $body->{data} && $res->{content} !~ /\$2[aby]\$/,
   'probe: without a token, no password hash either') or diag explain $body;
($res, $body) = ask('/hn-probe', '{ hashes }', $u{ann}{token});
ok(!defined $body->{data} && $res->{content} !~ /\$2[aby]\$/,
   'probe: no password hash, not even hers (no grant)') or diag explain $body;
($res, $body) = ask('/hn-probe', 'mutation($u: ID!) { postAs(userId: $u, '
                    . 'url: "x") }', $u{ann}{token}, { u => $u{bob}{id} });
is_deeply(codes($body), [ 'postAs FORBIDDEN' ],
          'probe: ann cannot post as bob') or diag explain $body;
($res, $body) = ask('/hn-probe', 'mutation($u: ID!, $l: ID!) { voteAs('
                    . 'userId: $u, linkId: $l) }', $u{ann}{token},
                    { u => $u{bob}{id}, l => $link{bob} });
is_deeply(codes($body), [ 'voteAs FORBIDDEN' ],
          'probe: ann cannot vote as bob');
($res, $body) = ask('/hn-probe', 'mutation($l: ID!) { deleteLink(id: $l) }',
                    $u{ann}{token}, { l => $link{bob} });
is_deeply($body, { data => { deleteLink => undef } },
          'probe: ann\'s delete of bob\'s link deletes nothing');
is(psql("SELECT count(*) FROM links WHERE id = $link{bob}"), '1',
   'probe: bob\'s link is still there');
($res, $body) = ask('/hn-probe', 'mutation($l: ID!) { deleteLink(id: $l) }',
                    undef, { l => $link{ann} });
is_deeply(codes($body), [ 'deleteLink FORBIDDEN' ],
          'probe: without a token, no delete at all');
($res, $body) = ask('/hn-probe', 'mutation($l: ID!) { deleteLink(id: $l) }',
                    $u{ann}{token}, { l => $link{ann} });
is_deeply($body, { data => { deleteLink => $link{ann} } },
          'probe: ann deletes her own link');

done_testing();
