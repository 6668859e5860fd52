# Licensed under the Apache License, Version 2.0 (the "License"); you may
# not use this file except in compliance with the License.  You may obtain
# a copy of the License at http://www.apache.org/licenses/LICENSE-2.0
#
# t/http/lib/GqlTest.pm: requests to the server that t/http/run started
# (GQL_URL), with the response body decoded when it is JSON.
package GqlTest;

use strict;
use warnings;
use Exporter 'import';
use HTTP::Tiny;
use JSON::PP;

our @EXPORT = qw(gql_post gql_get gql_request json_body qs url GR JSONT);

use constant GR => 'application/graphql-response+json; charset=utf-8';
use constant JSONT => 'application/json; charset=utf-8';

my $http = HTTP::Tiny->new(timeout => 10, keep_alive => 0);
my $json = JSON::PP->new->canonical;

sub url { ($ENV{GQL_URL} || die "GQL_URL is not set\n") . $_[0] }

# gql_request(METHOD, PATH, {headers}, CONTENT)
sub gql_request {
    my ($method, $path, $headers, $content) = @_;
    my %opt = (headers => $headers || {});
    $opt{content} = $content if defined $content;
    return $http->request($method, url($path), \%opt);
}

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
