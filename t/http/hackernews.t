# Licensed under the Apache License, Version 2.0 (the "License"); you may
# not use this file except in compliance with the License.  You may obtain
# a copy of the License at http://www.apache.org/licenses/LICENSE-2.0
#
# t/http/hackernews.t: the Hackernews clone (schema/hackernews.graphql) at
# /hn, on the harness's PostgreSQL: signup, login, me, post, vote and the
# feed, every error case of the API with its code, and a mutation whose
# failing field rolls the whole operation back.  Every name and address is
# made unique per run, so the file also passes against a used database.
use strict;
use warnings;
use FindBin;
use lib "$FindBin::Bin/lib";
use GqlTest;
use Test::More;

# Some arguments, and so some test names, are not ASCII.
binmode(Test::More->builder->$_, ':encoding(UTF-8)')
    for qw(output failure_output todo_output);

# Unique per run: emails, urls and descriptions carry it.
my $run = sprintf('%x%x', time, $$);

# The raw response to a document at /hn (or $at), with a token in the
# Authorization header when one is given (scheme Bearer unless named).
# Bodies are UTF-8 both ways: some arguments are not ASCII.
my $utf8 = JSON::PP->new->utf8->canonical;
our $at = '/hn';
sub hn_raw {
    my ($query, $vars, $token, $scheme, %h) = @_;
    my %body = (query => $query);
    $body{variables} = $vars if $vars;
    $h{authorization} = ($scheme // 'Bearer') . " $token" if defined $token;
    return gql_post($at, $utf8->encode(\%body), %h);
}

# The decoded response body (a hash even when the body is no JSON).
sub hn {
    my $res = hn_raw(@_);
    return eval { $utf8->decode($res->{content}) }
        || { status => $res->{status}, content => $res->{content} };
}

# One error, at path, with extensions.code; its message shows nothing of
# the database.
sub error_is {
    my ($r, $code, $path, $name) = @_;
    my $e = ref $r->{errors} eq 'ARRAY' ? $r->{errors}[0] : undef;
    subtest $name => sub {
        plan tests => 4;
        is(scalar @{ $r->{errors} || [] }, 1, 'one error') or diag explain $r;
        is($e && $e->{extensions}{code}, $code, "code $code");
        is_deeply($e && $e->{path}, $path, 'path');
        unlike($e ? $e->{message} : '', qr/select|insert|sql|constraint|
                   violat|duplicate|relation|\b(?:users|links|votes)\b|
                   (?-i:\b[0-9A-Z]{5}\b)|_key\b|_fkey\b/xi,
               'the message shows nothing of the database: '
               . ($e ? $e->{message} : ''));
    };
}

# The response to a document and how many SQL statements it ran.
sub statements {
    my $res = hn(@_);
    return ($res, sql_statements_of_last_request());
}

# How many links the feed finds for a filter.
sub count_links {
    my ($filter) = @_;
    my $r = hn('query ($f: String) { feed(filter: $f) { count } }',
               { f => $filter });
    return $r->{data}{feed}{count};
}

# --- signup, login, me -------------------------------------------------

my $info = hn('{ info }');
like($info->{data}{info}, qr/\S/, 'info: a line about the API');

my $me = hn('{ me { id } }');
is_deeply($me, { data => { me => undef } }, 'me without a token: null');

my $email = "ada-$run\@example.com";
my $signup = 'mutation ($e: String!, $p: String!, $n: String!) '
           . '{ signup(email: $e, password: $p, name: $n) '
           . '{ token user { id name email } } }';
my $r = hn($signup, { e => $email, p => 'correct horse', n => 'Ada' });
my $ada = $r->{data}{signup};
ok(!$r->{errors}, 'signup: no errors') or diag explain $r;
like($ada->{token} // '', qr/^[\w-]+\.[\w-]+\.[\w-]+$/,
     'signup: a compact JWT');
is_deeply([ @{ $ada->{user} || {} }{qw(name email)} ], [ 'Ada', $email ],
          'signup: the new user');
like($ada->{user}{id} // '', qr/^\d+$/, 'signup: the user has an id');
my $token = $ada->{token};
my $uid = $ada->{user}{id};

$r = hn($signup, { e => $email, p => 'other', n => 'Ada again' });
error_is($r, 'EMAIL_TAKEN', ['signup'], 'signup with a taken email');
is($r->{data}, undef, 'signup with a taken email: data null (rolled back)');

my $login = 'mutation ($e: String!, $p: String!) '
          . '{ login(email: $e, password: $p) { token user { id name } } }';
$r = hn($login, { e => $email, p => 'correct horse' });
is($r->{data}{login}{user}{id}, $uid, 'login: the same user');
like($r->{data}{login}{token} // '', qr/^[\w-]+\.[\w-]+\.[\w-]+$/,
     'login: a token');
my $wrong_pw = hn($login, { e => $email, p => 'Correct horse' });
error_is($wrong_pw, 'INVALID_CREDENTIALS', ['login'], 'login, wrong password');
my $wrong_email = hn($login, { e => "nobody-$run\@example.com", p => 'x' });
error_is($wrong_email, 'INVALID_CREDENTIALS', ['login'], 'login, no account');
is($wrong_pw->{errors}[0]{message}, $wrong_email->{errors}[0]{message},
   'login: one message for a wrong email and a wrong password');

$me = hn('{ me { id name email links { id } votes { id } } }', undef,
         $r->{data}{login}{token});
is_deeply($me->{data}{me}, { id => $uid, name => 'Ada', email => $email,
                             links => [], votes => [] },
          'me with the token of login');

# --- post, vote, link --------------------------------------------------

my $post = 'mutation ($u: String!, $d: String!) { post(url: $u, '
         . 'description: $d) { id url description createdAt '
         . 'postedBy { id name } votes { id } } }';
$r = hn($post, { u => "https://anon-$run.example", d => 'anonymous' });
error_is($r, 'UNAUTHENTICATED', ['post'], 'post without a token');
is(count_links("anon-$run"), 0, 'post without a token: no link');

my $url = "https://first-$run.example/a?b=c";
$r = hn($post, { u => $url, d => "First link of $run" }, $token);
my $link = $r->{data}{post};
ok(!$r->{errors}, 'post: no errors') or diag explain $r;
is($link->{url}, $url, 'post: the url');
is($link->{description}, "First link of $run", 'post: the description');
is_deeply($link->{postedBy}, { id => $uid, name => 'Ada' },
          'post: postedBy is the caller');
is_deeply($link->{votes}, [], 'post: no votes yet');
like($link->{createdAt} // '',
     qr/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?(?:Z|[+-]\d\d:\d\d)$/,
     'post: createdAt is an ISO 8601 time');

my $vote = 'mutation ($l: ID!) { vote(linkId: $l) '
         . '{ id link { id url } user { id name } } }';
$r = hn($vote, { l => $link->{id} });
error_is($r, 'UNAUTHENTICATED', ['vote'], 'vote without a token');
$r = hn($vote, { l => $link->{id} }, $token);
ok(!$r->{errors}, 'vote: no errors') or diag explain $r;
is_deeply([ $r->{data}{vote}{link}, $r->{data}{vote}{user} ],
          [ { id => $link->{id}, url => $url }, { id => $uid, name => 'Ada' } ],
          'vote: its link and user');
my $vid = $r->{data}{vote}{id};
$r = hn($vote, { l => $link->{id} }, $token);
error_is($r, 'ALREADY_VOTED', ['vote'], 'voting twice');
for my $missing ('999999999999', '0', 'abc', '-1', '12345678901234567890') {
    $r = hn($vote, { l => $missing }, $token);
    error_is($r, 'NOT_FOUND', ['vote'], "vote for link \"$missing\"");
}

my $one = 'query ($id: ID!) { link(id: $id) { id url postedBy { name } '
        . 'votes { id user { name } } } }';
$r = hn($one, { id => $link->{id} });
is_deeply($r->{data}{link},
          { id => $link->{id}, url => $url, postedBy => { name => 'Ada' },
            votes => [ { id => $vid, user => { name => 'Ada' } } ] },
          'link(id): the link, its poster and its vote');
for my $missing ('999999999999', 'abc', '', '1.5') {
    $r = hn($one, { id => $missing });
    is_deeply($r, { data => { link => undef } },
              "link(id: \"$missing\"): null");
}

$r = hn("{ feed(filter: \"first-$run\") { id count links { id "
        . 'postedBy { name } votes { user { name } } } } }');
is($r->{data}{feed}{count}, 1, 'feed shows the new link');
is_deeply($r->{data}{feed}{links},
          [ { id => $link->{id}, postedBy => { name => 'Ada' },
              votes => [ { user => { name => 'Ada' } } ] } ],
          'feed: the link with its poster and vote');
like($r->{data}{feed}{id} // '', qr/\S/, 'feed: has an id');

$me = hn('{ me { links { id } votes { id link { id } } } }', undef, $token);
is_deeply($me->{data}{me},
          { links => [ { id => $link->{id} } ],
            votes => [ { id => $vid, link => { id => $link->{id} } } ] },
          'me: my links and votes');

# --- the feed: filter, orderBy, skip, take, count ----------------------

# Five links posted one request after another (so createdAt grows with
# id), their descriptions and urls in two other orders.
my $m = "ord$run";
my @letters = qw(c a e b d);
my @paths = qw(3 1 5 4 2);
my @mine;
for my $i (0 .. 4) {
    $r = hn($post, { u => "https://$m.example/$paths[$i]",
                     d => "$m $letters[$i]" }, $token);
    push @mine, $r->{data}{post};
}
is(scalar(grep { $_ && $_->{id} } @mine), 5, 'feed: five links posted');

my $feedq = 'query ($f: String, $s: Int, $t: Int, $o: LinkOrderByInput) '
          . '{ feed(filter: $f, skip: $s, take: $t, orderBy: $o) '
          . '{ count links { id url description createdAt } } }';
sub feed_ids {
    my ($vars) = @_;
    my $res = hn($feedq, { f => $m, %$vars });
    return ($res->{data}{feed}{count},
            [ map { $_->{id} } @{ $res->{data}{feed}{links} || [] } ], $res);
}
# The expected order: by a key of the posted links, then by id.
sub ordered {
    my ($key, $dir) = @_;
    my @l = sort { ($dir eq 'desc' ? $b->{$key} cmp $a->{$key}
                                   : $a->{$key} cmp $b->{$key})
                   || $a->{id} <=> $b->{id} } @mine;
    return [ map { $_->{id} } @l ];
}

my ($count, $ids, $whole) = feed_ids({});
is($count, 5, 'feed(filter): count of the matching links');
# The links read by the feed's statement for all its parents (with count)
# and by the one statement that joins feed and links (without count) are
# the links as post answered them, timestamps (to_json's text) included,
# each as a JSON string once.
my @posted = map { my $l = $_; +{ map { $_ => $l->{$_} }
                                  qw(id url description createdAt) } } @mine;
is_deeply($whole->{data}{feed}{links}, \@posted,
          'feed with count: the links as post gave them, createdAt alike')
    or diag explain $whole;
my $joined = hn('query ($f: String) { feed(filter: $f) '
                . '{ links { id url description createdAt } } }', { f => $m });
is_deeply($joined->{data}{feed}{links}, \@posted,
          'feed without count (one joined statement): the same links')
    or diag explain $joined;
is_deeply($ids, [ map { $_->{id} } @mine ], 'feed: by id without orderBy');
for my $field (qw(description url createdAt)) {
    for my $dir (qw(asc desc)) {
        ($count, $ids) = feed_ids({ o => { $field => $dir } });
        is_deeply($ids, ordered($field, $dir), "feed: orderBy $field $dir");
    }
}
isnt(join(',', @{ ordered('description', 'asc') }),
     join(',', @{ ordered('url', 'asc') }),
     'feed: the orders tested differ from each other');
($count, $ids) = feed_ids({ o => { description => 'asc', url => 'desc' } });
is_deeply($ids, ordered('description', 'asc'),
          'feed: orderBy two fields, description first');

my $by_desc = ordered('description', 'asc');
($count, $ids) = feed_ids({ o => { description => 'asc' }, s => 1, t => 2 });
is_deeply($ids, [ @$by_desc[1, 2] ], 'feed: skip 1 take 2 of the order');
is($count, 5, 'feed: count ignores skip and take');
($count, $ids) = feed_ids({ s => 3 });
is_deeply($ids, [ map { $_->{id} } @mine[3, 4] ], 'feed: skip alone');
($count, $ids) = feed_ids({ t => 0 });
is_deeply([ $count, $ids ], [ 5, [] ], 'feed: take 0');
($count, $ids) = feed_ids({ s => 10 });
is_deeply([ $count, $ids ], [ 5, [] ], 'feed: skip past the end');
for my $bad ([ 's', -1 ], [ 't', -2 ]) {
    my (undef, undef, $res) = feed_ids({ $bad->[0] => $bad->[1] });
    error_is($res, 'BAD_USER_INPUT', ['feed'], "feed: $bad->[0] negative");
}

($count, $ids) = feed_ids({ f => "$m.example/4" });
is_deeply([ $count, $ids ], [ 1, [ $mine[3]{id} ] ],
          'feed: filter matching a url only');
($count, $ids) = feed_ids({ f => "$m e" });
is_deeply([ $count, $ids ], [ 1, [ $mine[2]{id} ] ],
          'feed: filter matching a description only');
($count, $ids) = feed_ids({ f => "no-such-$run" });
is_deeply([ $count, $ids ], [ 0, [] ], 'feed: filter matching nothing');

$r = gql_get('/hn', { query => "{ feed(filter: \"$m\", take: 1) "
                               . '{ count links { id } } }' });
is_deeply(json_body($r), { data => { feed => { count => 5,
          links => [ { id => $mine[0]{id} } ] } } }, 'feed over GET');

my $all = hn('{ feed { count links { id } } }');
my @all_ids = map { $_->{id} } @{ $all->{data}{feed}{links} || [] };
is($all->{data}{feed}{count}, scalar @all_ids,
   'feed without arguments: every link, counted');
is_deeply(\@all_ids, [ sort { $a <=> $b } @all_ids ],
          'feed without arguments: in order of id');

# --- SQL injection through every argument ----------------------------

my $before = hn('{ feed { count } }')->{data}{feed}{count};
my @hostile = ("' OR 1=1 --", "'; DROP TABLE links; --", '%', '_',
               "\\'; DELETE FROM votes; --", '$1', '$parent.id',
               "\$\$; DROP TABLE users; \$\$", "x') OR ('1'='1",
               "\x{e9}t\x{e9} \x{1F600}");
for my $h (@hostile) {
    my $n = grep { index($_->{url}, $h) >= 0
                   || index($_->{description}, $h) >= 0 }
            @{ hn('{ feed { links { url description } } }')->{data}{feed}
               {links} || [] };
    is(count_links($h), $n, "feed(filter: \"$h\"): counts only what "
       . 'contains it literally');
}
my $hi = 0;
for my $h (@hostile) {
    $hi++;
    my $e = "$h-$hi-$run\@example.com";
    $r = hn($signup, { e => $e, p => $h, n => $h });
    is_deeply([ @{ $r->{data}{signup}{user} || {} }{qw(name email)} ],
              [ $h, $e ], "signup with \"$h\": stored as sent");
    my $t = $r->{data}{signup}{token};
    $r = hn($login, { e => $e, p => $h });
    ok($r->{data}{login}{token}, "login with \"$h\" as password");
    $r = hn($login, { e => $e, p => "' OR '1'='1" });
    error_is($r, 'INVALID_CREDENTIALS', ['login'],
             "login as \"$h\" with an injected password");
    $r = hn($post, { u => "$h-$run", d => "$h $hi $run" }, $t);
    is_deeply([ @{ $r->{data}{post} || {} }{qw(url description)} ],
              [ "$h-$run", "$h $hi $run" ], "post of \"$h\": stored as sent");
    my $lid = $r->{data}{post}{id};
    is(hn($one, { id => "$lid$h" })->{data}{link}, undef,
       "link(id: \"$lid$h\"): null");
    $r = hn($vote, { l => "$lid$h" }, $t);
    error_is($r, 'NOT_FOUND', ['vote'], "vote(linkId: \"$lid$h\")");
}
$r = hn($feedq, { f => $m, o => { description => 'asc; DROP TABLE links' } });
ok($r->{errors} && !exists $r->{data},
   'orderBy with a value that is no Sort: a request error, nothing runs');
$r = hn("{ feed(orderBy: { url: \"desc\" }) { count } }");
ok($r->{errors} && !exists $r->{data},
   'orderBy with a string literal: a validation error');
is(hn('{ feed { count } }')->{data}{feed}{count}, $before + @hostile,
   'after the injections: every link there, and only the posted ones more');
$r = hn($login, { e => $email, p => 'correct horse' });
is($r->{data}{login}{user}{id}, $uid, 'after the injections: login works');
is_deeply(hn($one, { id => $link->{id} })->{data}{link}{votes},
          [ { id => $vid, user => { name => 'Ada' } } ],
          'after the injections: the votes are there');
is(psql("SELECT string_agg(tablename, ',' ORDER BY tablename) FROM "
        . "pg_tables WHERE tablename IN ('users', 'links', 'votes')"),
   'links,users,votes', 'after the injections: the three tables are there');
is(psql("SELECT count(*) FROM users WHERE email LIKE '%-%-$run\@example.com'"),
   scalar @hostile, 'after the injections: one user per signup');
is(psql("SELECT count(*) FROM users WHERE email = "
        . "'$email' AND password = crypt('correct horse', password) "
        . "AND password LIKE '\$2a\$%'"), 1,
   'the password is stored as a bcrypt hash');

# --- statements per request: bounded by depth, not by rows -------------

# Thirty more links, and a vote of each of three users on each of them.
my @voters = map {
    hn($signup, { e => "voter$_-$run\@example.com", p => 'pw',
                  n => "Voter $_" })->{data}{signup}{token}
} 1 .. 3;
# (At /hn/bulk, where a mutation may have 30 root fields.)
my $many = join ' ', map {
    "p$_: post(url: \"https://many-$run.example/$_\", "
    . "description: \"many $run $_\") { id }"
} 1 .. 30;
{
    local $at = '/hn/bulk';
    $r = hn("mutation { $many }", undef, $token);
}
my @many = map { $r->{data}{"p$_"}{id} } 1 .. 30;
is(scalar(grep { defined } @many), 30, 'thirty links posted in one mutation');
for my $t (@voters) {
    my $votes = join ' ', map { "v$_: vote(linkId: \"$many[$_ - 1]\") { id }" }
                1 .. 30;
    local $at = '/hn/bulk';
    $r = hn("mutation { $votes }", undef, $t);
    ok(!$r->{errors}, 'thirty votes in one mutation') or diag explain $r;
}

my $nested = 'query ($f: String) { feed(filter: $f) { count links { '
           . 'postedBy { name } votes { user { name } } } } }';
my ($res, $n) = statements($nested, { f => "many-$run" });
my $links = $res->{data}{feed}{links} || [];
is(scalar @$links, 30, 'nested feed: thirty links');
is(scalar(grep { @{ $_->{votes} } == 3
                 && $_->{postedBy}{name} eq 'Ada' } @$links), 30,
   'nested feed: each with its poster and three votes');
is_deeply([ sort map { $_->{user}{name} } @{ $links->[0]{votes} } ],
          [ 'Voter 1', 'Voter 2', 'Voter 3' ], 'nested feed: the voters');
# feed, count, links, postedBy, votes, user: one statement each.
is($n, 6, 'nested feed over 30 links: 6 statements, one per field');
(undef, my $n5) = statements($nested, { f => "many-$run.example/1" });
is($n5, $n, 'the same on 11 links: the count follows depth, not rows');
(undef, $n) = statements('{ feed { count links { id } } }');
is($n, 3, 'flat feed over every link: 3 statements');
(undef, $n) = statements('{ me { id } }');
is($n, 0, 'me without a token: no statement');
(undef, $n) = statements('{ __typename __schema { types { name } } }');
is($n, 0, 'introspection: no statement');

# --- a failing mutation changes nothing --------------------------------

$r = hn('mutation ($u: String!) { post(url: $u, description: "rolled") '
        . '{ id } vote(linkId: "999999999999") { id } }',
        { u => "https://rollback-$run.example" }, $token);
is($r->{data}, undef, 'post then a failing vote: data null');
error_is($r, 'NOT_FOUND', ['vote'], 'post then a failing vote');
is(count_links("rollback-$run"), 0, 'post then a failing vote: no link');

# (signup runs once per request: @oncePerRequest.)
my $twice = "twice-$run\@example.com";
$r = hn('mutation ($e: String!) { a: signup(email: $e, password: "pw", '
        . 'name: "A") { token } b: post(url: "https://b.example", '
        . 'description: "no caller") { id } }', { e => $twice });
is($r->{data}, undef, 'a signup then a post with no caller: data null');
error_is($r, 'UNAUTHENTICATED', ['b'], 'a signup then a post with no caller');
$r = hn($login, { e => $twice, p => 'pw' });
error_is($r, 'INVALID_CREDENTIALS', ['login'],
         'a signup then a failing post: the signup was rolled back');

# --- bad tokens are errors, never anonymous ---------------------------

my ($h, $p, $s) = split /\./, $token;
for my $bad ([ 'a tampered token', "$h.${p}x.$s" ],
             [ 'an alg none token', 'eyJhbGciOiJub25lIn0.' . $p . '.' ],
             [ 'a token that is no JWT', 'hello' ],
             [ 'an expired token',
               jwt_token({ sub => $uid, iat => time - 7200,
                           exp => time - 3600 }) ],
             [ 'a token signed with another key',
               jwt_token({ sub => $uid }, key => 'k' x 48) ],
             [ 'a token that says HS512',
               jwt_token({ sub => $uid }, alg => 'HS512') ]) {
    my $res = hn_raw('{ me { id } }', undef, $bad->[1]);
    is($res->{status}, 401, "$bad->[0]: 401");
    like($res->{headers}{'www-authenticate'} // '', qr/^Bearer\b/,
         "$bad->[0]: WWW-Authenticate: Bearer");
    my $body = json_body($res) || {};
    is($body->{errors}[0]{extensions}{code}, 'UNAUTHENTICATED',
       "$bad->[0]: UNAUTHENTICATED");
}
$r = hn_raw('{ me { id } }', undef, $token, 'JWT');
is_deeply(json_body($r), { data => { me => { id => $uid } } },
          'Authorization: JWT TOKEN works too');
$r = hn('{ me { name } }', undef, jwt_token({ sub => $uid }));
is_deeply($r, { data => { me => { name => 'Ada' } } },
          'a token signed with the server\'s secret is a caller');
my $gone = jwt_token({ sub => '999999999999' });
is_deeply(hn('{ me { id } }', undef, $gone), { data => { me => undef } },
          'a token of an account that no longer exists: me is null');
error_is(hn($post, { u => "https://gone-$run.example", d => 'gone' }, $gone),
         'UNAUTHENTICATED', ['post'], 'post with the token of no account');
is(count_links("gone-$run"), 0, 'post with the token of no account: no link');
error_is(hn($vote, { l => $link->{id} }, $gone), 'UNAUTHENTICATED', ['vote'],
         'vote with the token of no account');

done_testing();
