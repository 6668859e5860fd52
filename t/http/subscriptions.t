# Licensed under the Apache License, Version 2.0 (the "License"); you may
# not use this file except in compliance with the License.  You may obtain
# a copy of the License at http://www.apache.org/licenses/LICENSE-2.0
#
# t/http/subscriptions.t: GraphQL over Server-Sent Events, fed by
# PostgreSQL's notifications (schema/hackernews.graphql's newLink and
# newVote, schema/hackernews.sql's triggers).  The event stream's exact
# framing; a query asked for as a stream; every refusal before a stream;
# events after post and vote, in order; a filter that skips; a write from
# psql; a second httpd on the same database whose subscriber sees the
# first one's writes; GraphQLMaxSubscriptions and a slot freed by a
# client that went away; 100 subscribers on one child; a graceful restart
# that ends streams with complete; a listener connection killed under
# open streams.  The second httpd (one child, 128 threads, heartbeat 1 s,
# GraphQLCheckSQL On) is started and stopped here.  Every wait is bounded.
use strict;
use warnings;
use FindBin;
use lib "$FindBin::Bin/lib";
use GqlHttpd;
use GqlTest;
use IO::Select;
use IO::Socket::INET;
use JSON::PP;
use Test::More;
use Time::HiRes qw(sleep time);

my $json = JSON::PP->new->canonical;
my $run = sprintf('%x%x', time, $$);
my $until;

# --- the second httpd ---------------------------------------------------

my $h2 = GqlHttpd->new(name => 'sse2');
my $pg = "host=127.0.0.1 port=$ENV{GQL_PG_PORT} dbname=graphql "
         . "user=graphql connect_timeout=3";
$h2->prepare;
my $conf = $h2->config(<<"EOC");
DBDriver pgsql
DBDParams "$pg"
DBDMin 0
DBDKeep 4
DBDMax 8
# The subscriptions' statements are prepared at start-up with the others.
GraphQLCheckSQL On
<Location /hn>
    SetHandler graphql
    GraphQLSchema "$GqlHttpd::ROOT/schema/hackernews.graphql"
    GraphQLJWTSecret "file:$ENV{GQL_JWT_SECRET_FILE}"
    GraphQLAnonymousRole hn_anonymous
    GraphQLDefaultRole hn_user
    GraphQLHeartbeat 1
    GraphQLMaxSubscriptions 110
</Location>
<Location /hn/two>
    GraphQLMaxSubscriptions 2
</Location>
EOC
# One child, with a thread for each of 100 streams and the requests
# beside them.
$conf =~ s/^ServerLimit .*$/ServerLimit 1/m;
$conf =~ s/^ThreadsPerChild .*$/ThreadLimit 128\nThreadsPerChild 128/m;
$conf =~ s/^MaxRequestWorkers .*$/MaxRequestWorkers 128/m;
$conf =~ s/^MaxSpareThreads .*$/MaxSpareThreads 128/m;
$h2->write_file('httpd.conf', $conf);
my $err = $h2->start;
END { $h2->stop; $h2->cleanup unless $ENV{GQL_KEEP_TMP} }
BAIL_OUT("the second httpd does not start: $err") if $err;
my $port2 = $h2->port;

# --- a streaming client --------------------------------------------------

# Open a request on port (the harness's server unless given) and read its
# head: { sock, status, head, buf }.  HTTP/1.0, so that the body is the
# stream itself, not chunks.
sub open_stream {
    my (%o) = @_;
    my $port = $o{port} || $ENV{GQL_PORT};
    my $accept = $o{accept} // 'text/event-stream';
    my $s = IO::Socket::INET->new(PeerAddr => '127.0.0.1', PeerPort => $port,
                                  Proto => 'tcp', Timeout => 5)
        or die "connect $port: $!";
    my $req;
    my $auth = $o{token} ? "Authorization: Bearer $o{token}\r\n" : '';
    if ($o{get}) {
        $req = "GET $o{path}?" . qs(%{ $o{get} }) . " HTTP/1.0\r\n"
               . "Host: 127.0.0.1\r\nAccept: $accept\r\n$auth\r\n";
    }
    else {
        my $body = $json->encode($o{body});
        $req = "POST $o{path} HTTP/1.0\r\nHost: 127.0.0.1\r\n"
               . "Accept: $accept\r\nContent-Type: application/json\r\n"
               . "Content-Length: " . length($body) . "\r\n$auth\r\n$body";
    }
    print $s $req;
    my $st = { sock => $s, buf => '', sel => IO::Select->new($s) };
    my $until = time + 5;
    until ($st->{buf} =~ /\r\n\r\n/) {
        last unless fill($st, $until);
    }
    my ($head, $rest) = split /\r\n\r\n/, $st->{buf}, 2;
    $st->{head} = $head // '';
    $st->{buf} = $rest // '';
    ($st->{status}) = $st->{head} =~ m{^HTTP/\S+ (\d+)};
    $st->{status} //= 0;
    return $st;
}

# Read what comes before until; 0 at the deadline or the end.
sub fill {
    my ($st, $until) = @_;
    my $left = $until - time;
    return 0 if $left <= 0 || $st->{eof};
    return 0 unless $st->{sel}->can_read($left);
    my $n = sysread($st->{sock}, my $chunk, 65536);
    if (!$n) {
        $st->{eof} = 1;
        return 0;
    }
    $st->{buf} .= $chunk;
    return 1;
}

# The next event within secs: { event, data (decoded when JSON), raw },
# comment blocks skipped (counted in $st->{comments}); undef when none
# came.
sub next_event {
    my ($st, $secs) = @_;
    my $until = time + ($secs // 5);
    while (1) {
        while ($st->{buf} =~ s/\A((?:[^\n]*\n)*?)\n//) {
            my $block = $1;
            if ($block =~ /\A(?::[^\n]*\n)+\z/) {
                $st->{comments}++;
                next;
            }
            my ($event) = $block =~ /^event: (.*)$/m;
            my $data = join "\n", $block =~ /^data: ?(.*)$/mg;
            return { event => $event, raw => $block,
                     data => eval { $json->decode($data) } // $data };
        }
        return undef unless fill($st, $until);
    }
}

# The rest of the stream until it closes (within secs): its raw text;
# whether it closed in $st->{eof}.
sub drain {
    my ($st, $secs) = @_;
    my $until = time + ($secs // 5);
    1 while fill($st, $until);
    return $st->{buf};
}

sub hn_post {
    my ($port, $query, $vars, $token) = @_;
    my $http = HTTP::Tiny->new(timeout => 10);
    my $res = $http->post("http://127.0.0.1:$port/hn", {
        headers => { 'content-type' => 'application/json',
                     $token ? (authorization => "Bearer $token") : () },
        content => $json->encode({ query => $query,
                                   $vars ? (variables => $vars) : () }) });
    return eval { $json->decode($res->{content}) } || { raw => $res };
}

my $new_link = { query => 'subscription { newLink { id url description '
                          . 'postedBy { name } } }' };
my $post = 'mutation ($u: String!, $d: String!) '
           . '{ post(url: $u, description: $d) { id url } }';

# A user to post and vote as.
my $signup = hn_post($ENV{GQL_PORT}, 'mutation ($e: String!) { signup(email: '
                     . '$e, password: "pw", name: "Sub") { token user { id } } }',
                     { e => "sub-$run\@example.com" });
my $token = $signup->{data}{signup}{token};
ok($token, 'a user to write as') or diag explain $signup;

# --- framing, and a query as a stream ----------------------------------

my $q = open_stream(path => '/hn', body => { query => '{ info }' });
is($q->{status}, 200, 'a query asked for as a stream: 200');
like($q->{head}, qr{^Content-Type: text/event-stream}mi,
     'text/event-stream');
my $info = hn_post($ENV{GQL_PORT}, '{ info }');
is(drain($q), "event: next\ndata: " . JSON::PP->new->encode($info)
              . "\n\nevent: complete\ndata: \n\n",
   'its one result as next, then complete, framed exactly');

$q = open_stream(path => '/hn', get => { query => '{ info }' });
my $ev = next_event($q);
is($ev && $ev->{event}, 'next', 'GET (EventSource) works too');

# --- refusals ----------------------------------------------------------

my $r = gql_post('/hn', $new_link);
is($r->{status}, 406, 'a subscription without text/event-stream: 406');
my $b = json_body($r);
like($b && $b->{errors}[0]{message}, qr{Accept: text/event-stream},
     'which says how to subscribe');
ok($b && !exists $b->{data}, 'and never runs');
is(sql_statements_of_last_request(), 0, 'no statement ran');

$r = gql_get('/hn', { query => $new_link->{query} });
is($r->{status}, 406, 'nor by GET');

$q = open_stream(path => '/hn', body => { query => 'subscription { nope }' });
is($q->{status}, 400, 'a subscription that does not validate: 400');
like(drain($q), qr/"errors"/, 'with GraphQL errors');

$q = open_stream(path => '/hn', body => {
    query => 'subscription ($l: ID) { newVote(linkId: $l) { id } }',
    variables => { l => { no => 1 } } });
is($q->{status}, 400, 'a bad variable: 400 before any stream');

$q = open_stream(path => '/hn', body => $new_link, token => 'x.y.z');
is($q->{status}, 401, 'a bad token: 401');

$q = open_stream(path => '/hn', body => { query => 'mutation { post(url: '
                 . '"u", description: "d") { id } }' }, get => undef,
                 accept => 'text/event-stream');
is($q->{status}, 200, 'a mutation asked for as a stream runs');
$ev = next_event($q);
is($ev && $ev->{data}{errors}[0]{extensions}{code}, 'UNAUTHENTICATED',
   'and its one result says what it says');

# --- events ------------------------------------------------------------

my $s1 = open_stream(path => '/hn', body => $new_link);
is($s1->{status}, 200, 'newLink: 200');
like($s1->{head}, qr{^Content-Type: text/event-stream}mi,
     'newLink: text/event-stream');
my $p1 = hn_post($ENV{GQL_PORT}, $post, { u => "https://a.example/$run",
                                          d => "first $run" }, $token);
my $p2 = hn_post($ENV{GQL_PORT}, $post, { u => "https://b.example/$run",
                                          d => "second $run" }, $token);
my $e1 = next_event($s1);
my $e2 = next_event($s1);
is($e1 && $e1->{event}, 'next', 'an event after post');
is_deeply($e1 && $e1->{data},
          { data => { newLink => { id => $p1->{data}{post}{id},
                                   url => "https://a.example/$run",
                                   description => "first $run",
                                   postedBy => { name => 'Sub' } } } },
          'the new link, as the subscription selects it');
is($e2 && $e2->{data}{data}{newLink}{id}, $p2->{data}{post}{id},
   'the second, after it');

# A filter: votes for the first link only.
my $sv = open_stream(path => '/hn', body => {
    query => 'subscription ($l: ID) { newVote(linkId: $l) { id link { id } '
             . 'user { name } } }', variables => { l => $p1->{data}{post}{id} } });
is($sv->{status}, 200, 'newVote(linkId:): 200');
my $vote = 'mutation ($l: ID!) { vote(linkId: $l) { id } }';
my $v2 = hn_post($ENV{GQL_PORT}, $vote, { l => $p2->{data}{post}{id} }, $token);
my $v1 = hn_post($ENV{GQL_PORT}, $vote, { l => $p1->{data}{post}{id} }, $token);
$ev = next_event($sv);
is_deeply($ev && $ev->{data}{data}{newVote},
          { id => $v1->{data}{vote}{id}, link => { id => $p1->{data}{post}{id} },
            user => { name => 'Sub' } },
          'the filter skips the other link\'s vote and sends this one');

# A write from psql, and a subscriber on the second httpd.
my $s2 = open_stream(port => $port2, path => '/hn', body => $new_link);
is($s2->{status}, 200, 'a subscriber on the second httpd');
my $uid = $signup->{data}{signup}{user}{id};
my $pid = psql("INSERT INTO links (url, description, posted_by_id) VALUES "
               . "('https://psql.example/$run', 'psql $run', $uid) "
               . "RETURNING id");
$ev = next_event($s1);
is($ev && $ev->{data}{data}{newLink}{id}, $pid, 'a write from psql arrives')
    or diag explain $ev, $s1->{buf};
$ev = next_event($s2);
is($ev && $ev->{data}{data}{newLink}{id}, $pid,
   'at the second httpd too');
my $p3 = hn_post($ENV{GQL_PORT}, $post, { u => "https://c.example/$run",
                                          d => "third $run" }, $token);
$ev = next_event($s2);
is($ev && $ev->{data}{data}{newLink}{id}, $p3->{data}{post}{id},
   'a post through the first httpd reaches the second\'s subscriber');
$ev = next_event($s1);
is($ev && $ev->{data}{data}{newLink}{id}, $p3->{data}{post}{id},
   'and the first\'s');
ok(!defined next_event($s1, 0.5), 'nothing twice');
close $_->{sock} for $s1, $sv;

# --- the limit and a client that goes --------------------------------------

my @two = map { open_stream(port => $port2, path => '/hn/two',
                            body => $new_link) } 1 .. 1;
# $s2 is one of the child's subscriptions already: the limit of 2 is
# reached with one more.
is($two[0]{status}, 200, 'GraphQLMaxSubscriptions 2: the second stream');
my $third = open_stream(port => $port2, path => '/hn/two', body => $new_link);
is($third->{status}, 503, 'the third: 503');
like($third->{head}, qr/^Retry-After: \d+/mi, 'with Retry-After');
like(drain($third), qr/"TOO_MANY_SUBSCRIPTIONS"/, 'and a GraphQL error');
close $two[0]{sock};
my $again;
$until = time + 5;
while (time < $until) {         # heartbeats of 1 s notice the client gone
    sleep 0.25;
    $again = open_stream(port => $port2, path => '/hn/two', body => $new_link);
    last if $again->{status} == 200;
    close $again->{sock};
}
is($again->{status}, 200, 'a client that went away frees its slot');
close $again->{sock};
ok(next_event($s2, 3) // $s2->{comments}, 'heartbeat comments come');
ok($s2->{comments}, 'as ": " lines');

# --- 100 subscribers on one child ---------------------------------------

my @many;
for (1 .. 100) {
    my $st = open_stream(port => $port2, path => '/hn', body => $new_link);
    push @many, $st;
}
is(scalar(grep { $_->{status} == 200 } @many), 100,
   '100 subscribers at once on one child');
my $p4 = hn_post($port2, $post, { u => "https://d.example/$run",
                                  d => "fourth $run" }, $token);
$until = time + 10;
my $got = grep {
    my $e = next_event($_, $until - time);
    $e && ($e->{data}{data}{newLink}{id} // '') eq $p4->{data}{post}{id}
} @many;
is($got, 100, 'each gets the new link');
close $_->{sock} for @many;

# --- graceful restart, and a lost listener --------------------------------

$until = time + 5;              # the 100 notice they are gone
while (time < $until) {
    my $ready = open_stream(port => $port2, path => '/hn/two',
                            body => $new_link);
    close $ready->{sock};
    last if $ready->{status} == 200;
    sleep 0.25;
}
my $g = open_stream(port => $port2, path => '/hn', body => $new_link);
is($g->{status}, 200, 'a stream before a graceful restart');
next_event($g, 0.3);
my $t0 = time;
$h2->run_httpd('-k', 'graceful');
my $tail = drain($g, 10);
like($tail, qr/event: complete\ndata: \n\n\z/,
     'a graceful restart ends it with complete');
ok($g->{eof} && time - $t0 < 5, 'quickly, and the connection closes');

# The new generation answers, and its listener is killed under a stream.
my $k;
$until = time + 10;
while (time < $until) {
    $k = open_stream(port => $port2, path => '/hn', body => $new_link);
    last if $k->{status} == 200;
    sleep 0.25;
}
is($k->{status}, 200, 'a stream after the restart');
my $killed = psql("SELECT count(pg_terminate_backend(pid)) FROM "
                  . "pg_stat_activity WHERE application_name = "
                  . "'mod_graphql listener' AND query ~* '^LISTEN'",
                  user => 'postgres');
ok($killed >= 1, 'the listeners\' connections killed');
$ev = next_event($k, 5);
is($ev && $ev->{event}, 'next', 'the stream gets an error event');
is($ev && $ev->{data}{errors}[0]{extensions}{code}, 'SUBSCRIPTION_LOST',
   'SUBSCRIPTION_LOST');
drain($k, 3);
ok($k->{eof}, 'and ends');
my $k2 = open_stream(port => $port2, path => '/hn', body => $new_link);
is($k2->{status}, 200, 'a new subscriber gets a new listener');
my $p5 = hn_post($port2, $post, { u => "https://e.example/$run",
                                  d => "fifth $run" }, $token);
$ev = next_event($k2, 5);
is($ev && $ev->{data}{data}{newLink}{id}, $p5->{data}{post}{id},
   'and its events');
close $k2->{sock};

done_testing();
