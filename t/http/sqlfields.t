# Licensed under the Apache License, Version 2.0 (the "License"); you may
# not use this file except in compliance with the License.  You may obtain
# a copy of the License at http://www.apache.org/licenses/LICENSE-2.0
#
# t/http/sqlfields.t: in a query, a failing statement fails its own field
# only (the query's transaction rolls back to a savepoint and goes on in
# the same snapshot); the other SQL fields keep their data, the statement
# count is unchanged and no connection is left inside a transaction.
# Against /db and /db/fast (t/http/schema/glue.graphql).
use strict;
use warnings;
use FindBin;
use lib "$FindBin::Bin/lib";
use GqlTest;
use Test::More;

my $run = sprintf('%x%x', time, $$);

sub ask {
    my ($query, $path) = @_;
    my $res = gql_post($path || '/db', { query => $query });
    return ($res, json_body($res) || {});
}

sub paths
{
    return [map { join '.', @{ $_->{path} || [] } } @{ $_[0]{errors} || [] }];
}

psql(qq|INSERT INTO glue_notes (body) VALUES ('s-$run')|);
my ($res, $body) = ask(qq|{ broken n: noteCount(body: "s-$run") hello }|);
is($res->{status}, 200, 'a failing first field: 200');
is_deeply($body->{data}, { broken => undef, n => 1, hello => undef },
          'it is null, the next SQL field has its data') or diag explain $body;
is_deeply(paths($body), ['broken'], 'one error, at the failing field');
is($body->{errors}[0]{extensions}{code}, 'INTERNAL_SERVER_ERROR',
   'with the generic code');
is(sql_statements_of_last_request(), 2,
   'two statements: the savepoint commands are not counted');

($res, $body) = ask(qq|{ sleep(ms: 3000) n: noteCount(body: "s-$run") }|,
                    '/db/fast');
is_deeply($body->{data}, { sleep => undef, n => 1 },
          'a statement timeout fails its field only') or diag explain $body;
is_deeply(paths($body), ['sleep'], 'the error is the timed-out field\'s');

($res, $body) = ask('{ a: notes { id } broken b: notes { id } }');
ok($body->{data}{a} && @{ $body->{data}{a} }, 'notes before the failure')
    or diag explain $body;
is_deeply($body->{data}{b}, $body->{data}{a},
          'and after it: the same rows, one snapshot');

is(psql('SELECT count(*) FROM pg_stat_activity WHERE usename = '
        . "'graphql' AND state LIKE 'idle in transaction%'"), 0,
   'no connection is left inside a transaction');

done_testing();
