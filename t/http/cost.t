# Licensed under the Apache License, Version 2.0 (the "License"); you may
# not use this file except in compliance with the License.  You may obtain
# a copy of the License at http://www.apache.org/licenses/LICENSE-2.0
#
# t/http/cost.t: what an operation may ask for, refused before any SQL
# runs.  At /hn/unlimited (the defaults but no token limit, which alone
# would stop it first) 2,000 aliases of a feed page, and at /hn (the
# defaults) 200 aliases of login, are refused with their codes and no
# statement; at /hn/open (no counts, no token limit) the same feed request
# is refused for its cost.  At
# /hn/tight (t/http/run: cost 130, list size 2, 3 aliases, 4 root fields,
# 10 fields, 2 mutation fields) each limit under, at and over it.  An
# accepted operation's cost reaches the access log (%{graphql-cost}n).
use strict;
use warnings;
use FindBin;
use lib "$FindBin::Bin/lib";
use GqlTest;
use Test::More;

sub ask {
    my ($path, $query, %o) = @_;
    my $res = gql_post($path, { query => $query }, accept => $o{accept} || GR);
    return ($res, json_body($res) || {});
}

# The "CODE: message" of each error.
sub coded {
    my ($body) = @_;
    return [ map { ($_->{extensions}{code} // '-') . ": $_->{message}" }
             @{ $body->{errors} || [] } ];
}

# A request refused before execution: its status, no data, no statement.
sub refused {
    my ($res, $body, $want, $name) = @_;
    subtest $name => sub {
        plan tests => 4;
        is($res->{status}, 400, 'status 400');
        ok(!exists $body->{data}, 'no data');
        is_deeply(coded($body), $want, 'the errors') or diag explain $body;
        is(sql_statements_of_last_request(), 0, 'no statement ran');
    };
}

sub runs {
    my ($res, $body, $name) = @_;
    ok($res->{status} == 200 && !$body->{errors} && $body->{data}, $name)
        or diag explain $body;
}

# --- the hostile requests of issue 9 at the defaults --------------------

my $feeds = join ' ', map {
    "a$_: feed(orderBy: {description: desc}, skip: 9990, take: 1) "
    . '{ links { id } }'
} 0 .. 1999;
my ($res, $body) = ask('/hn/unlimited', "{ $feeds }");
refused($res, $body, [
    'ALIAS_LIMIT_EXCEEDED: The operation has 2000 aliases (fragments '
    . 'expanded), more than the limit of 30.',
    'ROOT_FIELD_LIMIT_EXCEEDED: The operation has 2000 root fields '
    . '(fragments expanded), more than the limit of 20.',
    'FIELD_LIMIT_EXCEEDED: The operation has 6000 fields (fragments '
    . 'expanded), more than the limit of 2000.',
], '2,000 aliases of a feed page: refused by the counts');

($res, $body) = ask('/hn/open', "{ $feeds }");
refused($res, $body, [
    'COST_LIMIT_EXCEEDED: The operation costs 40000, more than the limit '
    . 'of 5000.',
], '... and where nothing is counted, by its cost');
is(cost_of_last_request(), undef, 'a refused operation logs no cost');
($res, $body) = ask('/hn/open', "{ $feeds }", accept => JSONT);
is($res->{status}, 200, 'under application/json: 200');
is_deeply(coded($body), [ 'COST_LIMIT_EXCEEDED: The operation costs 40000,'
                          . ' more than the limit of 5000.' ],
          '... with the same error') or diag explain $body;
ok(!exists $body->{data}, '... and no data');

my $logins = join ' ', map {
    "l$_: login(email: \"x$_\@example.com\", password: \"pw\") { token }"
} 1 .. 200;
($res, $body) = ask('/hn', "mutation { $logins }");
refused($res, $body, [
    'ALIAS_LIMIT_EXCEEDED: The mutation has 200 aliases (fragments '
    . 'expanded), more than the limit of 30.',
    'ROOT_FIELD_LIMIT_EXCEEDED: The mutation has 200 root fields '
    . '(fragments expanded), more than the limit of 20.',
    'MUTATION_FIELD_LIMIT_EXCEEDED: The mutation has 200 root fields '
    . '(fragments expanded), more than the limit of 5.',
    'ONCE_PER_REQUEST: The field "Mutation.login" may be asked for once per '
    . 'request, not 200 times.',
], '200 aliases of login: refused');

($res, $body) = ask('/hn', 'mutation { a: login(email: "a", password: "b") '
                    . '{ token } b: login(email: "a", password: "b") '
                    . '{ token } }');
refused($res, $body, [
    'ONCE_PER_REQUEST: The field "Mutation.login" may be asked for once per '
    . 'request, not 2 times.',
], 'two logins');
($res, $body) = ask('/hn', 'mutation { signup(email: "a", password: "b", '
                    . 'name: "c") { token } ...S } fragment S on Mutation '
                    . '{ again: signup(email: "a", password: "b", name: "c") '
                    . '{ token } }');
refused($res, $body, [
    'ONCE_PER_REQUEST: The field "Mutation.signup" may be asked for once '
    . 'per request, not 2 times.',
], 'two signups, one in a fragment');
($res, $body) = ask('/hn', 'mutation { login(email: "nobody", '
                    . 'password: "b") { token } }');
is_deeply(coded($body), [ 'INVALID_CREDENTIALS: Invalid email or password.' ],
          'one login runs') or diag explain $body;

# --- GraphQLMaxCost and the log note ------------------------------------

# feed 10, links 10, each link's postedBy 10: 20 + 10 * take.
my $page = '{ feed(take: %d) { links { id postedBy { name } } } }';
($res, $body) = ask('/hn/tight', sprintf($page, 10));
runs($res, $body, 'cost 120 under 130: runs');
is(cost_of_last_request(), 120, 'the access log says 120');
($res, $body) = ask('/hn/tight', sprintf($page, 11));
runs($res, $body, 'cost 130 at 130: runs');
is(cost_of_last_request(), 130, 'the access log says 130');
($res, $body) = ask('/hn/tight', sprintf($page, 12));
refused($res, $body, [ 'COST_LIMIT_EXCEEDED: The operation costs 140, more '
                       . 'than the limit of 130.' ], 'cost 140: refused');
($res, $body) = ask('/hn/tight', '{ me { links { id postedBy { name } } } }');
runs($res, $body, 'a list the schema does not size');
is(cost_of_last_request(), 10 + 10 + 2 * 10,
   '... counts GraphQLDefaultListSize items');
my $q = 'query ($t: Int, $s: Boolean!) { feed(take: $t) { links { id '
        . 'postedBy @skip(if: $s) { name } } } }';
my $r = gql_post('/hn/tight',
                 { query => $q,
                   variables => { t => 500, s => JSON::PP::true } },
                 accept => GR);
runs($r, json_body($r), 'a variable slicing argument, @skip known');
is(cost_of_last_request(), 20, '... count as their values say');
($res, $body) = ask('/hn', '{ info }');
is(cost_of_last_request(), 10, 'a statement costs 10');

# --- the counts: under, at and over -------------------------------------

sub aliases { join ' ', map { "a$_: id" } 1 .. $_[0] }
($res, $body) = ask('/hn/tight', '{ feed(take: 0) { ' . aliases(2) . ' } }');
runs($res, $body, '2 aliases under 3');
($res, $body) = ask('/hn/tight', '{ feed(take: 0) { ' . aliases(3) . ' } }');
runs($res, $body, '3 aliases at 3');
($res, $body) = ask('/hn/tight', '{ feed(take: 0) { ' . aliases(4) . ' } }');
refused($res, $body, [ 'ALIAS_LIMIT_EXCEEDED: The operation has 4 aliases '
                       . '(fragments expanded), more than the limit of 3.' ],
        '4 aliases: refused');

($res, $body) = ask('/hn/tight', '{ __typename ...T } fragment T on Query '
                    . '{ __typename info }');
runs($res, $body, '3 root fields under 4');
($res, $body) = ask('/hn/tight', '{ __typename ...T ...T } fragment T on '
                    . 'Query { __typename info }');
refused($res, $body, [ 'ROOT_FIELD_LIMIT_EXCEEDED: The operation has 5 root '
                       . 'fields (fragments expanded), more than the limit '
                       . 'of 4.' ], '5 root fields, a fragment spread twice: '
                       . 'refused');
($res, $body) = ask('/hn/tight',
                    '{ __typename info ... { __typename info } }');
runs($res, $body, '4 root fields at 4');

my $fields = '{ feed(take: 0) { id %s } }';
($res, $body) = ask('/hn/tight', sprintf($fields, 'id ' x 7));
runs($res, $body, '9 fields under 10');
($res, $body) = ask('/hn/tight', sprintf($fields, 'id ' x 8));
runs($res, $body, '10 fields at 10');
($res, $body) = ask('/hn/tight', sprintf($fields, 'id ' x 9));
refused($res, $body, [ 'FIELD_LIMIT_EXCEEDED: The operation has 11 fields '
                       . '(fragments expanded), more than the limit of 10.' ],
        '11 fields: refused');

# post with no caller fails before its statement: nothing is written.
sub posts {
    join ' ', map { "p$_: post(url: \"u\", description: \"d\") { id }" }
              1 .. $_[0];
}
($res, $body) = ask('/hn/tight', 'mutation { ' . posts(1) . ' }');
is_deeply(coded($body), [ 'UNAUTHENTICATED: Authentication required: this '
                          . 'field needs a token.' ],
          '1 mutation field under 2: runs') or diag explain $body;
($res, $body) = ask('/hn/tight', 'mutation { ' . posts(2) . ' }');
is($res->{status}, 200, '2 mutation fields at 2: runs')
    or diag explain $body;
($res, $body) = ask('/hn/tight', 'mutation { ' . posts(2) . ' __typename }');
refused($res, $body, [ 'MUTATION_FIELD_LIMIT_EXCEEDED: The mutation has 3 '
                       . 'root fields (fragments expanded), more than the '
                       . 'limit of 2.' ], '3 mutation fields: refused');

done_testing();
