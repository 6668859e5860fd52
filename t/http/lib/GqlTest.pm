# Licensed under the Apache License, Version 2.0 (the "License"); you may
# not use this file except in compliance with the License.  You may obtain
# a copy of the License at http://www.apache.org/licenses/LICENSE-2.0
#
# t/http/lib/GqlTest.pm: requests to the server that t/http/run started
# (GQL_URL), with the response body decoded when it is JSON; the number of
# SQL statements a request ran (from the access log); what reached the
# error log; HS256 tokens signed with the harness's secret; and the
# private PostgreSQL cluster (psql, stop_pg, start_pg).
package GqlTest;

use strict;
use warnings;
use Digest::SHA qw(hmac_sha256);
use Exporter 'import';
use HTTP::Tiny;
use JSON::PP;
use MIME::Base64 qw(encode_base64url);
use Time::HiRes qw(sleep time);
use GqlPg;

our @EXPORT = qw(gql_post gql_get gql_request json_body qs url GR JSONT
                 sql_statements_of_last_request document_of_last_request
                 cost_of_last_request notes_of_last_request
                 error_log_mark
                 error_log_since jwt_secret jwt_token psql stop_pg start_pg
                 bearer);

use constant GR => 'application/graphql-response+json; charset=utf-8';
use constant JSONT => 'application/json; charset=utf-8';

my $http = HTTP::Tiny->new(timeout => 10, keep_alive => 0);
my $json = JSON::PP->new->canonical;

sub url { ($ENV{GQL_URL} || die "GQL_URL is not set\n") . $_[0] }

# Every request carries X-Gql-Test: a label unique to it, which the
# access log repeats beside the request's SQL statement count.
my $seq = 0;
my $last_label;

# gql_request(METHOD, PATH, {headers}, CONTENT)
sub gql_request {
    my ($method, $path, $headers, $content) = @_;
    $last_label = "t$$-" . ++$seq;
    my %opt = (headers => { 'x-gql-test' => $last_label,
                            %{ $headers || {} } });
    $opt{content} = $content if defined $content;
    return $http->request($method, url($path), \%opt);
}

# The last request's access log line, split into its fields (label,
# status, statements, method, path, document, cost, operation, type,
# SQL time, errors, and last the caller's sub); httpd writes it
# after the response: wait for it, 5 s at most.  Empty when it never
# came.
sub last_log_fields {
    my $f = $ENV{GQL_ACCESS_LOG} || die "GQL_ACCESS_LOG is not set\n";
    my $until = time + 5;
    while (time < $until) {
        if (open(my $fh, '<', $f)) {
            while (my $line = <$fh>) {
                chomp $line;
                my @f = split / /, $line, 12;
                return @f if $f[0] eq $last_label;
            }
        }
        sleep 0.02;
    }
    return ();
}

# How many SQL statements the last request ran, as its access log line
# says; undef when the line has no count ("-") or never came.
sub sql_statements_of_last_request {
    my $n = (last_log_fields())[2];
    return defined $n && $n =~ /^\d+$/ ? $n : undef;
}

# Where the last request's document came from, as its access log line
# says: "cached" or "prepared" (undef: none, or the line never came).
sub document_of_last_request {
    my $d = (last_log_fields())[5];
    return defined $d && $d ne '-' ? $d : undef;
}

# What the last request's operation cost, as its access log line says;
# undef when it has none ("-": refused or never run) or the line never
# came.
sub cost_of_last_request {
    my $c = (last_log_fields())[6];
    return defined $c && $c =~ /^\d+$/ ? $c : undef;
}

# The last request's notes for LogFormat, as its access log line says:
# { operation, type, sql_time, errors, sub }, "-" for those it has not;
# empty when the line never came.
sub notes_of_last_request {
    my @f = last_log_fields();
    return {} unless @f;
    my %n;
    @n{qw(operation type sql_time errors sub)} = @f[7 .. 11];
    return \%n;
}

# error_log_mark() before requests, error_log_since($mark) after: the
# error log lines written in between.
sub error_log_mark { -s ($ENV{GQL_ERROR_LOG} || '') || 0 }

sub error_log_since {
    my ($mark) = @_;
    open(my $fh, '<', $ENV{GQL_ERROR_LOG}) or return '';
    seek($fh, $mark, 0);
    local $/;
    return scalar(<$fh>) // '';
}

# The secret of GraphQLJWTSecret in the harness's configuration.
sub jwt_secret {
    my $f = $ENV{GQL_JWT_SECRET_FILE} || die "GQL_JWT_SECRET_FILE unset\n";
    open(my $fh, '<', $f) or die "$f: $!";
    local $/;
    my $s = <$fh>;
    $s =~ s/\n\z//;
    return $s;
}

# jwt_token({claims}, [alg => 'HS256', key => SECRET, header => {...}]):
# a compact JWS signed with HMAC-SHA256 whatever alg says (a token that
# lies about its algorithm), or unsigned when alg is "none".  Claims are
# encoded canonically; iat and exp default to now and now + 1 hour.
sub jwt_token {
    my ($claims, %o) = @_;
    my $alg = $o{alg} || 'HS256';
    my $header = $o{header} || { alg => $alg, typ => 'JWT' };
    my %c = (iat => time_int(), exp => time_int() + 3600, %$claims);
    delete @c{ grep { !defined $c{$_} } keys %c };
    my $input = encode_base64url($json->encode($header)) . '.'
                . encode_base64url($json->encode(\%c));
    return "$input." if $alg eq 'none';
    my $key = defined $o{key} ? $o{key} : jwt_secret();
    return "$input." . encode_base64url(hmac_sha256($input, $key));
}

sub time_int { int(time) }

# ('Authorization' => 'Bearer TOKEN'), for gql_post's headers.
sub bearer { return (authorization => "Bearer $_[0]") }

# The private cluster of t/http/run.
sub psql { GqlPg->new->psql(@_) }
sub stop_pg { GqlPg->new->stop }
sub start_pg { GqlPg->new->start }

# POST a JSON body (a string, or a hash that is encoded).
sub gql_post {
    my ($path, $body, %headers) = @_;
    $body = $json->encode($body) if ref $body;
    return gql_request('POST', $path,
                       { 'content-type' => 'application/json', %headers },
                       $body);
}

sub qs {
    my (%p) = @_;
    return join '&', map {
        my $v = $p{$_};
        $v =~ s/([^A-Za-z0-9_.~-])/sprintf('%%%02X', ord $1)/ge;
        "$_=$v";
    } sort keys %p;
}

sub gql_get {
    my ($path, $params, %headers) = @_;
    my $q = ref $params ? qs(%$params) : $params;
    return gql_request('GET', $path . (defined $q ? "?$q" : ''), \%headers);
}

# The decoded body, or undef when it is not JSON.
sub json_body {
    my ($res) = @_;
    my $v = eval { $json->decode($res->{content}) };
    return $v;
}

1;
