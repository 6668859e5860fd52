# Licensed under the Apache License, Version 2.0 (the "License"); you may
# not use this file except in compliance with the License.  You may obtain
# a copy of the License at http://www.apache.org/licenses/LICENSE-2.0
#
# t/http/limits.t: the bounds on one request over HTTP.  GraphQLMaxDepth:
# a query nested past it is a validation error (400 under
# graphql-response+json) and runs no statement; the full introspection
# query passes at the default.  GraphQLMaxResultSize: the field whose
# statement passes the budget and every later SQL field fail with
# RESULT_TOO_LARGE, no statement runs after it, the response is 200.
# Against /hn (defaults) and /db-budget (t/http/schema/limits.graphql:
# 2000 bytes, depth 3).
use strict;
use warnings;
use FindBin;
use lib "$FindBin::Bin/lib";
use GqlTest;
use Test::More;

my $run = sprintf('l%x%x', time, $$);

sub ask {
    my ($path, $query) = @_;
    my $res = gql_post($path, { query => $query }, accept => GR);
    return ($res, json_body($res) || {});
}

# GraphQLMaxDepth at its default (20) on the Hackernews clone.
my $deep = '{ id }';
$deep = "{ links $deep }", $deep = "{ postedBy $deep }" for 1 .. 11;
my ($res, $body) = ask('/hn', "{ feed $deep }");
is($res->{status}, 400, 'past the default depth: 400');
like($body->{errors}[0]{message},
     qr/^The query is nested too deeply: depth 24 exceeds the limit of 20\.$/,
     'the validation error names the depth and the limit')
    or diag explain $body;
ok(!exists $body->{data}, 'no data');
ok(!sql_statements_of_last_request(), 'no statement ran');

open(my $fh, '<', "$FindBin::Bin/../cases/introspect/full-hackernews/"
     . 'query.graphql') or die "introspection query: $!";
my $intro = do { local $/; <$fh> };
($res, $body) = ask('/hn', $intro);
is($res->{status}, 200, 'the full introspection query at the default: 200');
ok(!$body->{errors} && $body->{data}{__schema}{types},
   'with the schema, no error') or diag explain $body->{errors};

# A configured GraphQLMaxDepth (3).
my $q = qq|{ notes(prefix: "$run") { same { same { id } } } }|;
($res, $body) = ask('/db-budget', $q);
is($res->{status}, 400, 'depth 4 past a limit of 3: 400');
like($body->{errors}[0]{message}, qr/depth 4 exceeds the limit of 3\./,
     'the validation error') or diag explain $body;
is_deeply($body->{errors}[0]{locations},
          [{ line => 1, column => index($q, 'id }') + 1 }],
          'at the first field past the limit') or diag explain $body;
($res, $body) = ask('/db-budget', qq|{ notes(prefix: "$run") { same {|
                    . ' id } } }');
ok($res->{status} == 200 && !$body->{errors}, 'depth 3: runs')
    or diag explain $body;

# GraphQLMaxResultSize 2000: 30 notes of 100 bytes are past it.
psql("INSERT INTO glue_notes (body) SELECT '$run-' || i || repeat('x', 100)"
     . ' FROM generate_series(1, 30) i');
($res, $body) = ask('/db-budget', qq|{ count(prefix: "$run") later }|);
ok($res->{status} == 200 && !$body->{errors}, 'under the budget: runs')
    or diag explain $body;
is_deeply($body->{data}, { count => 30, later => 1 }, 'with its data');
is(sql_statements_of_last_request(), 2, 'two statements');

($res, $body) = ask('/db-budget', qq|{ count(prefix: "$run")|
                    . qq| notes(prefix: "$run") { id body } later }|);
is($res->{status}, 200, 'past the budget: 200');
is_deeply($body->{data}, { count => 30, notes => undef, later => undef },
          'the field past the budget and the later one are null')
    or diag explain $body;
is_deeply([map { join('.', @{ $_->{path} }) . ' '
                 . $_->{extensions}{code} } @{ $body->{errors} || [] }],
          ['notes RESULT_TOO_LARGE', 'later RESULT_TOO_LARGE'],
          'RESULT_TOO_LARGE at their paths') or diag explain $body;
like($body->{errors}[0]{message}, qr/at most 2000 bytes/,
     'the message names the budget');
is(sql_statements_of_last_request(), 2,
   'the statement count stops at the one past the budget');

($res, $body) = ask('/db-budget', qq|{ notes(prefix: "$run-1") { id } }|);
ok($res->{status} == 200 && !$body->{errors}
   && @{ $body->{data}{notes} } == 11, 'the next request runs: 11 notes')
    or diag explain $body;

psql("DELETE FROM glue_notes WHERE body LIKE '$run-%'");
done_testing();
