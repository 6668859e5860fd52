# Licensed under the Apache License, Version 2.0 (the "License"); you may
# not use this file except in compliance with the License.  You may obtain
# a copy of the License at http://www.apache.org/licenses/LICENSE-2.0
#
# t/http/apq.t: automatic persisted queries in the cache every child
# shares (GraphQLPersistedQueries shmcb), and documents at a graceful
# restart.  Runs its own httpd (t/scratch/apq): two children of two
# threads each, so that requests spread over them, and an access log
# with each request's child (%P) and what it did with its hash
# (%{graphql-persisted}n).  Apollo's two steps: a hash alone is not
# found, the hash with its text is stored and run; then the hash alone
# runs, in another child too, which prepares it once and keeps it; a
# hash that is not the text's is refused; a text larger than
# GraphQLPersistedMaxSize runs but is not kept.  A graceful restart with
# a loaded document that does not validate is refused with its
# FILE:LINE:COL, and the server runs on with the old documents; with a
# good one, the new documents are served.
use strict;
use warnings;
use FindBin;
use lib "$FindBin::Bin/lib";
use Digest::SHA qw(sha256_hex);
use GqlHttpd;
use HTTP::Tiny;
use JSON::PP;
use Test::More;
use Time::HiRes qw(sleep time);

my $h = GqlHttpd->new(name => 'apq')->prepare;
my $dir = $h->dir;
my $mods = GqlHttpd::modules_dir();
my $started = 0;
END { $h->stop if $started; $h->cleanup unless $ENV{GQL_KEEP_TMP}; }

if (!-e "$mods/mod_socache_shmcb.so") {
    plan skip_all => "no $mods/mod_socache_shmcb.so";
}

$h->write_file('docs/ops.json', qq({"hello-id": "query H { hello }"}\n));
$h->write_conf(<<"EOC");
DocumentRoot "$dir"
LoadModule socache_shmcb_module $mods/mod_socache_shmcb.so
GraphQLPersistedQueries "shmcb:$dir/logs/apq(131072)"
GraphQLPersistedMaxSize 200
StartServers 2
ThreadsPerChild 2
MaxRequestWorkers 4
MinSpareThreads 4
MaxSpareThreads 4
KeepAlive Off
LogFormat "%{X-Gql-Test}i %P %>s %{graphql-persisted}n %{graphql-document}n" apq
CustomLog logs/apq_log apq
<Location /g>
    SetHandler graphql
    GraphQLSchema schema/basic.graphql
    GraphQLDocuments docs/ops.json
</Location>
EOC

my $e = $h->start;
$started = !$e;
is($e, '', 'the server starts with a shared cache') or BAIL_OUT($e);

my $http = HTTP::Tiny->new(timeout => 10, keep_alive => 0);
my $json = JSON::PP->new->canonical;
my $seq = 0;

# POST body to /g; returns the status, the body and the access log's
# fields of the request: child, persisted, document.
sub post {
    my ($body) = @_;
    my $label = "a$$-" . ++$seq;
    my $r = $http->post($h->url . '/g', {
        headers => { 'content-type' => 'application/json',
                     accept => 'application/json', 'x-gql-test' => $label },
        content => $json->encode($body) });
    return ($r->{status}, $r->{content}, logged($label));
}

sub logged {
    my ($label) = @_;
    for (my $until = time + 5; time < $until; sleep 0.02) {
        open(my $fh, '<', "$dir/logs/apq_log") or next;
        while (<$fh>) {
            my @f = split;
            return { pid => $f[1], persisted => $f[3], document => $f[4] }
                if $f[0] eq $label;
        }
    }
    return {};
}

sub apq {
    my ($text) = @_;
    return { persistedQuery => { version => 1,
                                 sha256Hash => sha256_hex($text) } };
}

my $text = "query Apq$$ { hello count }";
my ($st, $body, $log) = post({ extensions => apq($text) });
is("$st $body", '200 {"errors":[{"message":"PersistedQueryNotFound",'
   . '"extensions":{"code":"PERSISTED_QUERY_NOT_FOUND"}}]}',
   'a hash alone, before its text: PersistedQueryNotFound');
is($log->{persisted}, 'apq-miss', 'logged as a miss');

($st, $body, $log) = post({ query => $text, extensions => apq($text) });
is("$st $body", '200 {"data":{"hello":null,"count":null}}',
   'the hash with its text: run');
is($log->{persisted}, 'apq-stored', 'and stored');
my $storer = $log->{pid};

# The hash alone from now on, until another child has answered it twice.
my (%hits, %docs);
for (1 .. 60) {
    ($st, $body, $log) = post({ extensions => apq($text) });
    last unless $st == 200 && $body eq '{"data":{"hello":null,"count":null}}'
                && $log->{persisted} eq 'apq-hit';
    $hits{ $log->{pid} }++;
    push @{ $docs{ $log->{pid} } }, $log->{document};
    last if grep { $_ ne $storer && $hits{$_} >= 2 } keys %hits;
}
is($st, 200, 'the hash alone: run from the shared cache') or diag $body;
my ($other) = grep { $_ ne $storer } keys %hits;
ok(defined $other, 'by a child that did not store it')
    or diag explain \%hits;
is_deeply([ @{ $docs{ $other // '' } || [] }[0, 1] ], [ 'prepared', 'cached' ],
          'which prepares it once, then keeps it');

my $wrong = sha256_hex("{ hello } # $$");
($st, $body) = post({ query => $text, extensions =>
                      { persistedQuery => { version => 1,
                                            sha256Hash => $wrong } } });
is($st, 400, 'a hash that is not the text\'s: 400');
like($body, qr/"code":"PERSISTED_QUERY_HASH_MISMATCH"/, 'says so');
($st, $body) = post({ extensions => { persistedQuery =>
                      { version => 1, sha256Hash => $wrong } } });
like($body, qr/PersistedQueryNotFound/, 'and it was not stored');

my $big = "query Big$$ { hello " . ('count ' x 40) . "}";
ok(length $big > 200, 'a text larger than GraphQLPersistedMaxSize');
($st, $body, $log) = post({ query => $big, extensions => apq($big) });
is($st, 200, 'runs');
is($log->{persisted}, 'apq-refused', 'but is not stored');
($st, $body) = post({ extensions => apq($big) });
like($body, qr/PersistedQueryNotFound/, 'its hash alone: not found');

($st, $body, $log) = post({ documentId => 'hello-id' });
is("$st $body", '200 {"data":{"hello":null}}', 'a loaded document by id');
is($log->{document}, 'persisted', 'prepared at start-up');

# A graceful restart with a loaded document that does not validate.
my $pid = $h->pid;
$h->write_file('docs/ops.json',
               qq({"hello-id": "query H {\\n  hello\\n  nope\\n}"}\n));
my $err;
($st, $err) = $h->run_httpd('-k', 'graceful');
isnt($st, 0, 'graceful with a broken document is refused');
like($err, qr/^mod_graphql: \Q$dir\E\/docs\/ops\.json:3:3: document "hello-id": Cannot query field "nope" on type "Query"\.$/m,
     'the problem, at its line and column in the document') or diag $err;
sleep 0.3;
is($h->pid, $pid, 'the server runs on');
($st, $body) = post({ documentId => 'hello-id' });
is("$st $body", '200 {"data":{"hello":null}}', 'with the old documents');

$h->write_file('docs/ops.json', qq({"hello-id": "query H { count }"}\n));
($st, $err) = $h->run_httpd('-k', 'graceful');
is($st, 0, 'graceful with a good document') or diag $err;
for (my $until = time + 10; time < $until; sleep 0.1) {
    ($st, $body) = post({ documentId => 'hello-id' });
    last if $body eq '{"data":{"count":null}}';
}
is("$st $body", '200 {"data":{"count":null}}', 'the new document is served');

done_testing();
