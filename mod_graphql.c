/* Licensed under the Apache License, Version 2.0 (the "License"); you may
 * not use this file except in compliance with the License.  You may obtain
 * a copy of the License at http://www.apache.org/licenses/LICENSE-2.0
 */

/*
 * mod_graphql.c: the httpd glue.  Directives and their per-directory
 * merge, the hooks that claim GraphQL URIs from the filesystem, and the
 * handler that speaks GraphQL over HTTP: it reads the request, hands the
 * engine (src/) strings and pools, and writes the JSON it gets back.  This
 * is the only file that includes httpd headers.
 *
 *   GraphQLSchema FILE [FILE...]   the schema, loaded in the directive
 *   GraphQLMaxBodySize BYTES       largest POST body (default 1 MiB)
 *   GraphQLIntrospection On|Off    __schema and __type (default On)
 *   GraphQLJWTSecret file:PATH|env:NAME   the HS256 key of callers' tokens
 *   GraphQLJWTLifetime SECONDS     lifetime of tokens @jwt issues (7 days)
 *   GraphQLJWTRequireExp On|Off    refuse callers' tokens without exp (On)
 *   GraphQLJWTKey file:PATH [ALG [KID]]   an identity provider's public key
 *   GraphQLJWKS file:PATH          an identity provider's JWK Set
 *   GraphQLJWTIssuer ISS           the iss callers' tokens must have
 *   GraphQLJWTAudience AUD         the aud callers' tokens must name
 *   GraphQLCaller token|httpd|both who the caller is: the token's subject,
 *                                  the user httpd authenticated, or both
 *                                  if they agree (default token)
 *   GraphQLCallerEnv NAME CLAIM    a request variable as a claim of the
 *                                  user httpd authenticated
 *   GraphQLStatementTimeout MS     statement_timeout of every statement
 *   GraphQLGraphiQL On|Off         GraphiQL for browsers (default Off)
 *   GraphQLGraphiQLAssets URL      where its scripts and styles come from
 *                                  (default: a CDN)
 *   GraphQLMaxDepth N              deepest operation accepted (default 20)
 *   GraphQLMaxTokens N             tokens a document may have (15000)
 *   GraphQLMaxResultSize BYTES     SQL result text per request (4 MiB)
 *   GraphQLDocumentCache N         prepared documents per child (128)
 *   GraphQLMaxCost N               costliest operation run (default 5000)
 *   GraphQLDefaultListSize N       items of a list the schema does not
 *                                  size, for the cost (default 100)
 *   GraphQLMaxAliases N            aliases per operation (default 30)
 *   GraphQLMaxRootFields N         root fields per operation (default 20)
 *   GraphQLMaxFields N             fields per operation (default 2000)
 *   GraphQLMaxMutationFields N     root fields per mutation (default 5)
 *   GraphQLRequestTimeout MS       request start to last byte (3 times
 *                                  the statement timeout)
 *   GraphQLMaxStatements N         SQL statements per request (100)
 *   GraphQLRoleClaim NAME          the claim naming a caller's role
 *   GraphQLRoles ROLE...           the roles that claim may name
 *   GraphQLAnonymousRole ROLE      the role without a caller
 *   GraphQLDefaultRole ROLE        a caller's whose claims name none
 *   GraphQLCORSOrigins ORIGIN...|* the origins browsers may call from
 *                                  (default none: no CORS headers)
 *   GraphQLCORSCredentials On|Off  whether they may send cookies and
 *                                  credentials (default Off)
 *   GraphQLCORSHeaders NAME...     the request headers they may send
 *                                  (default Content-Type, Authorization)
 *   GraphQLCORSMaxAge SECONDS      how long a preflight holds (600)
 *   GraphQLCheckSQL On|Off         prepare every @sql statement at
 *                                  start-up (server-wide; default Off)
 *   GraphQLServerTiming On|Off     a Server-Timing header (default Off)
 *   GraphQLDocuments FILE...       persisted documents, prepared at
 *                                  start-up, run by documentId or hash
 *   GraphQLPersistedOnly On|Off    run those only (default Off)
 *   GraphQLPersistedCacheControl VALUE|none   Cache-Control of a GET by
 *                                  id without credentials (none)
 *   GraphQLPersistedQueries PROVIDER[:ARGS]|none   automatic persisted
 *                                  queries in a socache every child
 *                                  shares (server-wide; default none)
 *   GraphQLPersistedMaxSize BYTES  largest text kept there (8192)
 *   GraphQLMaxSubscriptions N      open subscriptions per child (half
 *                                  its threads)
 *   GraphQLHeartbeat SECONDS       an event stream's comments (15)
 *
 * With mod_status loaded, its page has a mod_graphql section: requests,
 * errors by extensions.code, SQL statements and time, pool waits, per
 * child process and in total (gql_stats.h).
 *
 * SetHandler graphql-live answers 200 "live" while httpd serves;
 * SetHandler graphql-ready answers 200 "ready" when the database runs
 * SELECT 1 on a pooled connection, 503 and why otherwise.
 *
 * The SQL resolvers (src/gql_sql_run.c) get their connection from mod_dbd's
 * pool, through ap_dbd_acquire, only when the first field backed by SQL
 * is resolved; libpq's connection under the pooled handle is what they
 * use.  While the database is down, a child tries it once per back-off
 * (of each virtual host) and fails the other requests at once, and writes
 * one error line per tag and LOG_INTERVAL (gql_throttle.h).
 */

#include "httpd.h"
#include "http_config.h"
#include "http_core.h"
#include "http_log.h"
#include "http_protocol.h"
#include "http_request.h"
#include "ap_expr.h"
#include "ap_provider.h"
#include "ap_socache.h"
#include "util_mutex.h"
#include "ap_mpm.h"
#include "apr_dbd.h"
#include "apr_optional.h"
#include "apr_strings.h"
#include "mod_dbd.h"
#include "mod_status.h"
#include "scoreboard.h"

#include <errno.h>
#include <limits.h>
#include <libpq-fe.h>

#include "gql_document.h"
#include "gql_cache.h"
#include "gql_cost.h"
#include "gql_error.h"
#include "gql_execute.h"
#include "gql_graphiql.h"
#include "gql_json.h"
#include "gql_jwt.h"
#include "gql_listen.h"
#include "gql_parser.h"          /* GQL_MAX_DEPTH */
#include "gql_persist.h"
#include "gql_request.h"
#include "gql_schema.h"
#include "gql_sql.h"
#include "gql_stats.h"
#include "gql_sse.h"
#include "gql_throttle.h"

/* The module is built with -fvisibility=hidden; this declaration, the
 * first one, makes the module struct the only symbol it exports. */
extern module __attribute__((visibility("default"))) graphql_module;

#define GRAPHQL_HANDLER "graphql"
#define LIVE_HANDLER "graphql-live"
#define READY_HANDLER "graphql-ready"
/* How long readiness waits for SELECT 1 (milliseconds): a load balancer
 * probes often and gives up soon. */
#define READY_TIMEOUT 2000
#define DEFAULT_MAX_BODY (1024 * 1024)
#define MAX_BODY_LIMIT (1024 * 1024 * 1024)
#define DEFAULT_JWT_LIFETIME 604800     /* 7 days */
#define DEFAULT_STATEMENT_TIMEOUT 5000  /* milliseconds */
/* GraphiQL's introspection query is 15 deep (__schema types fields args
 * type, then TypeRef's nine ofType); the Hackernews API's useful queries
 * stay under 10.  20 admits both and bounds how many SQL levels, hence
 * statements, one request runs. */
#define DEFAULT_MAX_DEPTH 20
/* GraphQLMaxTokens: GraphiQL's full introspection query has 184. */
#define DEFAULT_MAX_TOKENS 15000
/* The JSON text a request's statements may return: a few thousand
 * rows of a typical page, yet far from what json-c's trees of it and
 * the response cost in memory at once (about ten times the text). */
#define DEFAULT_MAX_RESULT (4 * 1024 * 1024)
/* A request may last this many statement timeouts: room for a few slow
 * statements, while one that runs many quick ones is still bounded. */
#define REQUEST_TIMEOUTS 3
/* Statements per request: the Hackernews API's largest useful queries
 * run fewer than 10; 100 of the quick ones take a few tens of ms. */
#define DEFAULT_MAX_STATEMENTS 100

/* CORS: what the endpoint answers to OPTIONS, and what a preflight from
 * an allowed origin may ask for when the directives do not say. */
#define ALLOWED_METHODS "GET, HEAD, POST, OPTIONS"
#define CORS_METHODS "GET, POST"
#define DEFAULT_CORS_HEADERS "Content-Type, Authorization"
#define DEFAULT_CORS_MAX_AGE 600

/* What an operation may ask for (gql_validate.h, gql_cost.h).  On the
 * Hackernews schema GraphiQL's introspection query costs 1,777 and a
 * feed page of 50 links with their posters and voters 3,520, while
 * 2,000 aliases of a one-link page cost 40,000.  30 aliases, 20 root
 * fields and 2,000 fields leave GraphiQL's query (230 fields) and a
 * client's pages room; 5 root fields let a mutation do a few things at
 * once. */

/* ORDER LIMIT: limit_defaults[] follows it */
enum {
    LIMIT_COST,                 /* GraphQLMaxCost */
    LIMIT_LIST_SIZE,            /* GraphQLDefaultListSize */
    LIMIT_ALIASES,              /* GraphQLMaxAliases */
    LIMIT_ROOT_FIELDS,          /* GraphQLMaxRootFields */
    LIMIT_FIELDS,               /* GraphQLMaxFields */
    LIMIT_MUTATION_FIELDS,      /* GraphQLMaxMutationFields */
    NLIMITS
};

static const int limit_defaults[NLIMITS] = { 5000, 100, 30, 20, 2000, 5 };

/* The cost of an accepted operation, for LogFormat's
 * %{graphql-cost}n. */
#define COST_NOTE "graphql-cost"

/* The r->notes entry with the number of SQL statements a request ran, for
 * LogFormat's %{graphql-sql-statements}n. */
#define STATEMENTS_NOTE "graphql-sql-statements"
/* "cached" when the request's document came from the document cache,
 * "prepared" when it was parsed and validated for it. */
#define DOCUMENT_NOTE "graphql-document"
/* The operation run: its name ("-": anonymous, unset: none selected) and
 * its type (query, mutation, subscription). */
#define OPERATION_NOTE "graphql-operation"
#define TYPE_NOTE "graphql-type"
/* Microseconds the request waited for the database (gql_sql_waited). */
#define SQL_TIME_NOTE "graphql-sql-time"
/* How many errors the response has. */
#define ERRORS_NOTE "graphql-errors"
/* The caller's sub claim (unset: anonymous, or no sub). */
#define SUB_NOTE "graphql-sub"

/* r->pool userdata: the request's graphql_times. */
#define TIMES_KEY "mod_graphql:times"

/* Prepared documents per child process (gql_cache.h): at most this many,
 * of texts of at most DOC_CACHE_TEXT bytes. */
#define DEFAULT_DOC_CACHE 128
#define DOC_CACHE_TEXT (8 * 1024)

/* Automatic persisted queries (GraphQLPersistedQueries): the largest
 * text kept by default (the document cache's) and at most, how long an
 * entry may stay (the provider drops the oldest sooner when it is full),
 * and the mutex's name for the Mutex directive. */
#define DEFAULT_APQ_MAX DOC_CACHE_TEXT
#define APQ_MAX_LIMIT (1024 * 1024)
#define APQ_LIFETIME apr_time_from_sec(30 * 86400)
#define APQ_MUTEX "graphql-persisted"

/* "persisted" in DOCUMENT_NOTE: the request ran a document loaded by
 * GraphQLDocuments, prepared at start-up.  PERSISTED_NOTE says how the
 * request named its document: "id" (loaded), "apq-hit" (the shared
 * cache had it), "apq-stored" (its text was stored there), "apq-miss";
 * unset for a request with a text only. */
#define PERSISTED_NOTE "graphql-persisted"
/* r->notes: the Cache-Control a GET by id may have
 * (GraphQLPersistedCacheControl). */
#define CACHE_CONTROL_NOTE "graphql-cache-control"
/* r->pool userdata: the loaded document (gql_persist_doc_t) the request
 * names. */
#define PERSISTED_KEY "mod_graphql:persisted"

/* pconf userdata: resolved file list -> graphql_schema *, so that every
 * <Location> naming the same files shares one schema per generation. */
#define SCHEMA_CACHE_KEY "mod_graphql:schemas"

/* pconf userdata: each GraphQLSchema whose schema maps a field to SQL
 * (graphql_sql_use), so that check_config can refuse to start without
 * mod_dbd or with another driver than pgsql, and GraphQLCheckSQL can
 * check its statements. */
#define SQL_USES_KEY "mod_graphql:sql-uses"

/* A schema of the cache, with the SQL stage's mapping and the cost model
 * of it. */
typedef struct graphql_schema {
    const gql_schema_t *schema;
    const gql_sql_mapping_t *sql;
    const gql_cost_model_t *cost;
    apr_interval_time_t load_time;  /* for the start-up line */
} graphql_schema;

/* The directives every schema may use: the SQL mapping's, the cost
 * model's. */
static const gql_schema_vocab_t *const graphql_vocabs[] = {
    &gql_sql_vocab, &gql_cost_vocab, NULL
};

typedef struct graphql_dir_conf {
    const gql_schema_t *schema;     /* NULL: unset */
    const gql_sql_mapping_t *sql;   /* the schema's */
    const gql_cost_model_t *cost;   /* the schema's */
    const char *schema_files;       /* for log lines; NULL: unset */
    apr_off_t max_body;             /* -1: unset */
    int introspection;              /* -1: unset */
    const unsigned char *jwt_key;   /* NULL: unset */
    apr_size_t jwt_key_len;
    apr_int64_t jwt_lifetime;       /* -1: unset */
    int jwt_require_exp;            /* -1: unset */
    gql_jwt_keys_t *jwt_keys;       /* public keys; NULL: unset */
    const char *jwt_issuer;         /* NULL: unset */
    const char *jwt_audience;       /* NULL: unset */
    int caller;                     /* CALLER_*; -1: unset */
    apr_array_header_t *caller_env; /* of graphql_env_claim; NULL: unset */
    int statement_timeout;          /* -1: unset; 0: none */
    int graphiql;                   /* -1: unset */
    const char *graphiql_assets;    /* base URL; NULL: unset, the CDN */
    int max_depth;                  /* -1: unset; 0: none */
    int max_tokens;                 /* -1: unset; 0: none */
    apr_int64_t max_result;         /* -1: unset; 0: none */
    int limits[NLIMITS];            /* -1: unset; 0: none (but the list
                                     * size, never 0) */
    int request_timeout;            /* -1: unset; 0: none */
    int max_statements;             /* -1: unset; 0: none */
    gql_sql_roles_t roles;          /* each member NULL: unset */
    const void *roles_directive;    /* the GraphQLRoles being read */
    apr_array_header_t *cors_origins;   /* of const char *; NULL: unset;
                                         * "*" alone: any */
    const void *cors_origins_directive; /* the one being read */
    int cors_credentials;           /* -1: unset */
    const char *cors_headers;       /* ", "-joined; NULL: unset */
    const void *cors_headers_directive; /* the one being read */
    int cors_max_age;               /* -1: unset */
    int server_timing;              /* -1: unset */
    gql_persist_set_t *documents;   /* GraphQLDocuments; NULL: unset */
    int persisted_only;             /* -1: unset */
    const char *persisted_cache_control;    /* NULL: unset; "": none */
    int max_subscriptions;          /* per child; -1: unset */
    int heartbeat;                  /* seconds; -1: unset */
} graphql_dir_conf;

/* For Server-Timing: how long a request's stages took (-1: did not
 * run). */
typedef struct graphql_times {
    apr_interval_time_t parse;      /* parse and validate, or the cache */
    apr_interval_time_t sql;        /* waited for the database */
} graphql_times;

/* GraphQLCaller: whose identity a request's caller is (bits). */
#define CALLER_TOKEN 1              /* a Bearer token's */
#define CALLER_HTTPD 2              /* the user httpd authenticated */

/* GraphQLCallerEnv NAME CLAIM */
typedef struct graphql_env_claim {
    const char *name;
    const char *claim;
} graphql_env_claim;

/* mod_dbd's, looked up once in check_config; NULL without mod_dbd. */
static APR_OPTIONAL_FN_TYPE(ap_dbd_acquire) *graphql_dbd_acquire;

/* The child's error lines of the SQL stage: one per tag and interval, the
 * next one saying how many were held back. */
#define LOG_INTERVAL apr_time_from_sec(10)
static gql_throttle_t *graphql_lines;

/* The child's tries of each server's database (server_rec * -> its
 * gql_throttle_t), made in child_init, read-only after. */
static apr_hash_t *graphql_dbs;

/* GraphQLCheckSQL (server-wide; -1: unset, Off). */
static int graphql_check_sql = -1;

/* GraphQLDocumentCache (server-wide; -1: unset) and the child's cache. */
static int graphql_doc_cache_size = -1;
static gql_cache_t *graphql_doc_cache;

/* GraphQLPersistedQueries: the cache of automatic persisted queries that
 * every child shares (a socache provider's instance, made in the
 * directive, set up in post_config), and its mutex when the provider
 * needs one; NULL: none.  GraphQLPersistedMaxSize: the largest text it
 * keeps (-1: unset). */
static const ap_socache_provider_t *graphql_apq;
static ap_socache_instance_t *graphql_apq_cache;
static apr_global_mutex_t *graphql_apq_mutex;
static apr_int64_t graphql_apq_max = -1;

/* What the SQL stage's callbacks need of one request. */
typedef struct graphql_req {
    request_rec *r;
    void *conn;                     /* libpq's, once acquired */
    apr_pool_t *conn_pool;          /* lives as long as conn */
    const char *failed;             /* why acquiring failed, once it has */
    int misconfigured;              /* a DBDriver other than pgsql */
} graphql_req;

/* Set in r->request_config when translate_name claimed the request. */
static const char graphql_claimed[] = "claimed";

static void *graphql_create_dir(apr_pool_t *p, char *dir)
{
    graphql_dir_conf *c = apr_pcalloc(p, sizeof(*c));
    int i;

    (void)dir;
    c->max_body = -1;
    c->introspection = -1;
    c->jwt_lifetime = -1;
    c->jwt_require_exp = -1;
    c->caller = -1;
    c->statement_timeout = -1;
    c->graphiql = -1;
    c->max_depth = -1;
    c->max_tokens = -1;
    c->max_result = -1;
    for (i = 0; i < NLIMITS; i++) {
        c->limits[i] = -1;
    }
    c->request_timeout = -1;
    c->max_statements = -1;
    c->cors_credentials = -1;
    c->cors_max_age = -1;
    c->server_timing = -1;
    c->persisted_only = -1;
    c->max_subscriptions = -1;
    c->heartbeat = -1;
    return c;
}

static void *graphql_merge_dir(apr_pool_t *p, void *basev, void *addv)
{
    graphql_dir_conf *base = basev, *add = addv;
    graphql_dir_conf *c = apr_pcalloc(p, sizeof(*c));
    int i;

    c->schema = add->schema ? add->schema : base->schema;
    c->sql = add->schema ? add->sql : base->sql;
    c->cost = add->schema ? add->cost : base->cost;
    c->schema_files = add->schema ? add->schema_files : base->schema_files;
    c->max_body = add->max_body != -1 ? add->max_body : base->max_body;
    c->introspection = add->introspection != -1 ? add->introspection
                                                : base->introspection;
    c->jwt_key = add->jwt_key ? add->jwt_key : base->jwt_key;
    c->jwt_key_len = add->jwt_key ? add->jwt_key_len : base->jwt_key_len;
    c->jwt_lifetime = add->jwt_lifetime != -1 ? add->jwt_lifetime
                                              : base->jwt_lifetime;
    c->jwt_require_exp = add->jwt_require_exp != -1 ? add->jwt_require_exp
                                                    : base->jwt_require_exp;
    c->jwt_keys = add->jwt_keys ? add->jwt_keys : base->jwt_keys;
    c->jwt_issuer = add->jwt_issuer ? add->jwt_issuer : base->jwt_issuer;
    c->jwt_audience = add->jwt_audience ? add->jwt_audience
                                        : base->jwt_audience;
    c->caller = add->caller != -1 ? add->caller : base->caller;
    c->caller_env = add->caller_env ? add->caller_env : base->caller_env;
    c->statement_timeout = add->statement_timeout != -1
                           ? add->statement_timeout : base->statement_timeout;
    c->graphiql = add->graphiql != -1 ? add->graphiql : base->graphiql;
    c->graphiql_assets = add->graphiql_assets ? add->graphiql_assets
                                              : base->graphiql_assets;
    c->max_depth = add->max_depth != -1 ? add->max_depth : base->max_depth;
    c->max_tokens = add->max_tokens != -1 ? add->max_tokens
                                          : base->max_tokens;
    c->max_result = add->max_result != -1 ? add->max_result
                                          : base->max_result;
    for (i = 0; i < NLIMITS; i++) {
        c->limits[i] = add->limits[i] != -1 ? add->limits[i]
                                            : base->limits[i];
    }
    c->request_timeout = add->request_timeout != -1 ? add->request_timeout
                                                    : base->request_timeout;
    c->max_statements = add->max_statements != -1 ? add->max_statements
                                                  : base->max_statements;
    c->roles.claim = add->roles.claim ? add->roles.claim : base->roles.claim;
    c->roles.anonymous = add->roles.anonymous ? add->roles.anonymous
                                              : base->roles.anonymous;
    c->roles.fallback = add->roles.fallback ? add->roles.fallback
                                            : base->roles.fallback;
    c->roles.allowed = add->roles.allowed ? add->roles.allowed
                                          : base->roles.allowed;
    c->cors_origins = add->cors_origins ? add->cors_origins
                                        : base->cors_origins;
    c->cors_credentials = add->cors_credentials != -1
                          ? add->cors_credentials : base->cors_credentials;
    c->cors_headers = add->cors_headers ? add->cors_headers
                                        : base->cors_headers;
    c->cors_max_age = add->cors_max_age != -1 ? add->cors_max_age
                                              : base->cors_max_age;
    c->server_timing = add->server_timing != -1 ? add->server_timing
                                                : base->server_timing;
    c->documents = add->documents ? add->documents : base->documents;
    c->persisted_only = add->persisted_only != -1 ? add->persisted_only
                                                  : base->persisted_only;
    c->persisted_cache_control = add->persisted_cache_control
                                 ? add->persisted_cache_control
                                 : base->persisted_cache_control;
    c->max_subscriptions = add->max_subscriptions != -1
                           ? add->max_subscriptions : base->max_subscriptions;
    c->heartbeat = add->heartbeat != -1 ? add->heartbeat : base->heartbeat;
    return c;
}

/* The value of a limit here: set, or its default. */
static int limit(const graphql_dir_conf *c, int which)
{
    return c->limits[which] != -1 ? c->limits[which]
                                  : limit_defaults[which];
}

/* What a document is validated with here (gql_validate.h): the same for
 * a request's text and for the documents loaded at start-up. */
static gql_validate_opts_t validate_opts(const graphql_dir_conf *c)
{
    gql_validate_opts_t opts = {
        .introspection = c->introspection != 0,
        .max_depth = c->max_depth != -1 ? c->max_depth : DEFAULT_MAX_DEPTH,
        .max_tokens = c->max_tokens != -1 ? c->max_tokens
                                          : DEFAULT_MAX_TOKENS,
        .max_aliases = limit(c, LIMIT_ALIASES),
        .max_root_fields = limit(c, LIMIT_ROOT_FIELDS),
        .max_fields = limit(c, LIMIT_FIELDS),
        .max_mutation_fields = limit(c, LIMIT_MUTATION_FIELDS),
        .cost = c->cost,
        .list_size = limit(c, LIMIT_LIST_SIZE)
    };

    return opts;
}

static apr_hash_t *schema_cache(apr_pool_t *pconf)
{
    void *h = NULL;

    apr_pool_userdata_get(&h, SCHEMA_CACHE_KEY, pconf);
    if (h == NULL) {
        h = apr_hash_make(pconf);
        apr_pool_userdata_set(h, SCHEMA_CACHE_KEY, apr_pool_cleanup_null,
                              pconf);
    }
    return h;
}

/* httpd prints a directive's message as one escaped line, so each problem
 * is its own line: all but the last are printed as start-up messages
 * (stderr, no prefix) as they are found, and the last is returned, to be
 * the directive's message after httpd's "Syntax error on line N".  NULL
 * when there is none. */
static const char *report(cmd_parms *cmd, const apr_array_header_t *errors)
{
    const char *msg = NULL;
    int i;

    for (i = 0; i < errors->nelts; i++) {
        const gql_error_t *e = APR_ARRAY_IDX(errors, i, const gql_error_t *);

        if (msg != NULL) {
            ap_log_error(APLOG_MARK, APLOG_STARTUP, 0, NULL, "%s", msg);
        }
        msg = apr_pstrcat(cmd->pool, "mod_graphql: ",
                          gql_error_format(cmd->temp_pool, e), NULL);
    }
    return msg;
}

/* ---- mistakes found before serving ------------------------------- */

/* The configuration tree, as httpd read it (<IfModule> and Include
 * inlined), is where mod_dbd's directives and SetHandler are seen at
 * configuration time: mod_dbd keeps DBDriver and DBDParams in a private
 * structure and offers no call that reads them, and SetHandler keeps an
 * expression that only a request can evaluate. */

/* The first word of a directive's arguments, unquoted, in p. */
static const char *first_word(apr_pool_t *p, const ap_directive_t *d)
{
    const char *args = d->args;

    return ap_getword_conf(p, &args);
}

/* The last directive named name among first and its next siblings. */
static const ap_directive_t *last_named(const ap_directive_t *first,
                                        const char *name)
{
    const ap_directive_t *d, *found = NULL;

    for (d = first; d != NULL; d = d->next) {
        if (strcasecmp(d->directive, name) == 0) {
            found = d;
        }
    }
    return found;
}

/* The section of kind (e.g. "<VirtualHost") around d, or NULL. */
static const ap_directive_t *section_of(const ap_directive_t *d,
                                        const char *kind)
{
    for (d = d->parent; d != NULL; d = d->parent) {
        if (strcasecmp(d->directive, kind) == 0) {
            return d;
        }
    }
    return NULL;
}

/* mod_dbd's directive name (DBDriver, DBDParams) in effect where d is:
 * its virtual host's, else the main server's, as mod_dbd merges them;
 * NULL when neither has one. */
static const ap_directive_t *dbd_directive(const ap_directive_t *d,
                                           const char *name)
{
    const ap_directive_t *v = section_of(d, "<VirtualHost"), *found = NULL;

    if (v != NULL) {
        found = last_named(v->first_child, name);
    }
    return found ? found : last_named(ap_conftree, name);
}

/* The schemas that map fields to SQL, one per GraphQLSchema directive
 * (pconf userdata SQL_USES_KEY, an array of them). */
typedef struct graphql_sql_use {
    const ap_directive_t *directive;
    const char *file;               /* its first file */
    const gql_sql_mapping_t *sql;
} graphql_sql_use;

static apr_array_header_t *sql_uses(apr_pool_t *pconf)
{
    void *a = NULL;

    apr_pool_userdata_get(&a, SQL_USES_KEY, pconf);
    if (a == NULL) {
        a = apr_array_make(pconf, 4, sizeof(graphql_sql_use));
        apr_pool_userdata_set(a, SQL_USES_KEY, apr_pool_cleanup_null, pconf);
    }
    return a;
}

/* This GraphQLSchema's, when its schema maps fields to SQL. */
static void use_sql(cmd_parms *cmd, const char *file,
                    const gql_sql_mapping_t *sql)
{
    graphql_sql_use *u;

    if (gql_sql_needs_database(sql)) {
        u = apr_array_push(sql_uses(cmd->pool));
        u->directive = cmd->directive;
        u->file = file;
        u->sql = sql;
    }
}

/* A schema with SQL where DBDriver names another driver than pgsql: the
 * SQL stage speaks libpq only.  (Where no DBDriver is set, mod_dbd itself
 * fails each connection.)  Returns the first such problem, or NULL. */
static const char *wrong_driver(apr_pool_t *ptemp,
                                const apr_array_header_t *uses)
{
    int i;

    for (i = 0; i < uses->nelts; i++) {
        const graphql_sql_use *u = &APR_ARRAY_IDX(uses, i, graphql_sql_use);
        const ap_directive_t *d = dbd_directive(u->directive, "DBDriver");
        const char *driver = d ? first_word(ptemp, d) : NULL;

        if (driver != NULL && strcmp(driver, "pgsql") != 0) {
            return apr_psprintf(ptemp, "mod_graphql: %s maps fields to SQL "
                                "(@sql), which needs DBDriver pgsql, not %s "
                                "(%s:%d)", u->file, driver, d->filename,
                                d->line_num);
        }
    }
    return NULL;
}

/* The path of a <Location> section (not a regular expression), or NULL. */
static const char *location_path(apr_pool_t *p, const ap_directive_t *sec)
{
    char *path;

    if (sec == NULL || strcasecmp(sec->directive, "<Location") != 0) {
        return NULL;
    }
    path = apr_pstrdup(p, first_word(p, sec));
    if (*path && path[strlen(path) - 1] == '>') {
        path[strlen(path) - 1] = '\0';
    }
    return *path == '~' ? NULL : path;
}

/* Whether the GraphQLSchema g may be in scope where the SetHandler h is:
 * in the main server, or h's virtual host, at the server's level or in a
 * section that contains h, or in a <Location> whose path is a prefix of
 * h's <Location>'s.  Sections that cannot be compared so (a regular
 * expression, a <Directory>, <If>, a SetHandler outside a <Location>)
 * count as in scope: only a sure mistake refuses start-up. */
static int covers(apr_pool_t *p, const ap_directive_t *g,
                  const ap_directive_t *h)
{
    const ap_directive_t *gs = g->parent, *d;
    const ap_directive_t *gv = section_of(g, "<VirtualHost");
    const char *gp, *hp;

    if (gv != NULL && gv != section_of(h, "<VirtualHost")) {
        return 0;
    }
    for (d = h->parent; d != NULL; d = d->parent) {
        if (d == gs) {
            return 1;
        }
    }
    if (gs == NULL || gs == gv) {
        return 1;
    }
    gp = location_path(p, gs);
    hp = location_path(p, section_of(h, "<Location"));
    return gp == NULL || hp == NULL || strncmp(hp, gp, strlen(gp)) == 0;
}

/* The directives of the tree from d down, named name, into out. */
static void collect(const ap_directive_t *d, const char *name,
                    apr_array_header_t *out)
{
    for (; d != NULL; d = d->next) {
        if (strcasecmp(d->directive, name) == 0) {
            APR_ARRAY_PUSH(out, const ap_directive_t *) = d;
        }
        collect(d->first_child, name, out);
    }
}

/* A SetHandler graphql with no GraphQLSchema in scope, which would
 * answer every request with 500: returns the first, or NULL. */
static const char *unserved(apr_pool_t *ptemp)
{
    apr_array_header_t *handlers = apr_array_make(ptemp, 8, sizeof(void *));
    apr_array_header_t *schemas = apr_array_make(ptemp, 8, sizeof(void *));
    int i, j;

    collect(ap_conftree, "SetHandler", handlers);
    collect(ap_conftree, "GraphQLSchema", schemas);
    for (i = 0; i < handlers->nelts; i++) {
        const ap_directive_t *h = APR_ARRAY_IDX(handlers, i,
                                                const ap_directive_t *);
        const ap_directive_t *sec = h->parent;

        if (strcasecmp(first_word(ptemp, h), GRAPHQL_HANDLER) != 0) {
            continue;
        }
        for (j = 0; j < schemas->nelts; j++) {
            if (covers(ptemp, APR_ARRAY_IDX(schemas, j,
                                            const ap_directive_t *), h)) {
                break;
            }
        }
        if (j == schemas->nelts) {
            return apr_psprintf(ptemp, "mod_graphql: SetHandler graphql "
                                "in %s%s%s (%s:%d) has no GraphQLSchema in "
                                "scope", sec ? sec->directive : "the server",
                                sec ? " " : "", sec ? sec->args : "",
                                h->filename, h->line_num);
        }
    }
    return NULL;
}

/*
 * GraphQLSchema FILE [FILE...].  The schema and its SQL mapping are read
 * and checked here, not in post_config, so that a broken one fails
 * `apache2 -t` and a graceful restart while the running generation keeps
 * serving: errors from post_config reach only the error log, configtest
 * says Syntax OK, and a graceful restart with a broken schema would make
 * the running server exit.
 */
static const char *graphql_set_schema(cmd_parms *cmd, void *dconf, int argc,
                                      char *const argv[])
{
    graphql_dir_conf *c = dconf;
    const char **files;
    apr_array_header_t *errors;
    apr_hash_t *cache = schema_cache(cmd->pool);
    const char *key = "", *msg;
    graphql_schema *g;
    gql_schema_t *s;
    gql_sql_mapping_t *sql = NULL;
    gql_cost_model_t *cost = NULL;
    apr_time_t t0;
    int i;

    if (argc < 1) {
        return "GraphQLSchema needs at least one file";
    }
    files = apr_palloc(cmd->pool, sizeof(*files) * argc);
    for (i = 0; i < argc; i++) {
        files[i] = ap_server_root_relative(cmd->pool, argv[i]);
        if (files[i] == NULL) {
            return apr_pstrcat(cmd->pool, "GraphQLSchema: invalid file path ",
                               argv[i], NULL);
        }
        key = apr_pstrcat(cmd->temp_pool, key, i ? "\n" : "", files[i],
                          NULL);
    }
    c->schema_files = apr_pstrdup(cmd->pool, key);
    g = apr_hash_get(cache, key, APR_HASH_KEY_STRING);
    if (g != NULL) {
        c->schema = g->schema;
        c->sql = g->sql;
        c->cost = g->cost;
        use_sql(cmd, files[0], g->sql);
        return NULL;
    }
    errors = gql_errors_make(cmd->temp_pool);
    t0 = apr_time_now();
    s = gql_schema_load(cmd->pool, cmd->temp_pool, graphql_vocabs, files,
                        argc, errors);
    if (s != NULL && errors->nelts == 0) {
        sql = gql_sql_compile(cmd->pool, cmd->temp_pool, s, errors);
        /* checked even when the mapping is not, so that every problem
         * is reported at once */
        cost = gql_cost_compile(cmd->pool, cmd->temp_pool, s,
                                sql ? gql_sql_runs_statement : NULL, sql,
                                errors);
    }
    msg = report(cmd, errors);
    if (sql == NULL || cost == NULL) {
        return msg ? msg : "mod_graphql: the schema could not be loaded";
    }
    use_sql(cmd, files[0], sql);
    g = apr_palloc(cmd->pool, sizeof(*g));
    g->schema = c->schema = s;
    g->sql = c->sql = sql;
    g->cost = c->cost = cost;
    g->load_time = apr_time_now() - t0;
    apr_hash_set(cache, c->schema_files, APR_HASH_KEY_STRING, g);
    return NULL;
}

static const char *graphql_set_max_body(cmd_parms *cmd, void *dconf,
                                        const char *arg)
{
    graphql_dir_conf *c = dconf;
    char *end;

    /* The body is parsed in one piece, whose length must fit an int. */
    if (apr_strtoff(&c->max_body, arg, &end, 10) != APR_SUCCESS
        || *end != '\0' || c->max_body <= 0
        || c->max_body > MAX_BODY_LIMIT) {
        return apr_pstrcat(cmd->pool, "GraphQLMaxBodySize: value must be a "
                           "number of bytes from 1 to 1073741824, not ", arg,
                           NULL);
    }
    return NULL;
}

static const char *graphql_set_introspection(cmd_parms *cmd, void *dconf,
                                             int on)
{
    (void)cmd;
    ((graphql_dir_conf *)dconf)->introspection = on;
    return NULL;
}

static const char *graphql_set_jwt_require_exp(cmd_parms *cmd, void *dconf,
                                               int on)
{
    (void)cmd;
    ((graphql_dir_conf *)dconf)->jwt_require_exp = on;
    return NULL;
}

static const char *graphql_set_graphiql(cmd_parms *cmd, void *dconf, int on)
{
    (void)cmd;
    ((graphql_dir_conf *)dconf)->graphiql = on;
    return NULL;
}

/* GraphQLGraphiQLAssets URL */
static const char *graphql_set_graphiql_assets(cmd_parms *cmd, void *dconf,
                                               const char *url)
{
    graphql_dir_conf *conf = dconf;
    const char *why = gql_graphiql_base(cmd->pool, url,
                                        &conf->graphiql_assets);

    if (why != NULL) {
        return apr_psprintf(cmd->pool, "GraphQLGraphiQLAssets: \"%s\" %s",
                            url, why);
    }
    return NULL;
}

/* GraphQLJWTSecret file:PATH|env:NAME, read now: a missing file, an unset
 * variable or a short secret refuses start-up.  A relative PATH is
 * relative to ServerRoot. */
static const char *graphql_set_jwt_secret(cmd_parms *cmd, void *dconf,
                                          const char *arg)
{
    graphql_dir_conf *c = dconf;
    const char *spec = arg;

    if (strncmp(arg, "file:", 5) == 0) {
        const char *path = ap_server_root_relative(cmd->pool, arg + 5);

        if (path == NULL || arg[5] == '\0') {
            return apr_pstrcat(cmd->pool, "GraphQLJWTSecret: invalid file "
                               "path ", arg + 5, NULL);
        }
        spec = apr_pstrcat(cmd->temp_pool, "file:", path, NULL);
    }
    else if (strncmp(arg, "env:", 4) != 0) {
        return "GraphQLJWTSecret: the argument must be file:PATH or env:NAME";
    }
    return gql_jwt_secret_load(cmd->pool, spec, &c->jwt_key,
                               &c->jwt_key_len);
}

/* The path of a file:PATH argument, relative to ServerRoot, or NULL. */
static const char *file_arg(cmd_parms *cmd, const char *arg)
{
    if (strncmp(arg, "file:", 5) != 0 || arg[5] == '\0') {
        return NULL;
    }
    return ap_server_root_relative(cmd->pool, arg + 5);
}

/* This section's set of public keys, made by its first key directive:
 * the keys of one section replace, never add to, an outer section's. */
static gql_jwt_keys_t *keys_of(cmd_parms *cmd, graphql_dir_conf *c)
{
    if (c->jwt_keys == NULL) {
        c->jwt_keys = gql_jwt_keys_make(cmd->pool);
    }
    return c->jwt_keys;
}

/* GraphQLJWTKey file:PATH [ALG [KID]], read now: a missing or bad key, a
 * key of another type than ALG or a KID given twice refuses start-up. */
static const char *graphql_set_jwt_key(cmd_parms *cmd, void *dconf,
                                       int argc, char *const argv[])
{
    const char *path = argc >= 1 ? file_arg(cmd, argv[0]) : NULL;

    if (argc < 1 || argc > 3) {
        return "GraphQLJWTKey takes file:PATH, then an algorithm and a key "
               "id (kid) if need be";
    }
    if (path == NULL) {
        return apr_pstrcat(cmd->pool, "GraphQLJWTKey: the key must be "
                           "file:PATH, not ", argv[0], NULL);
    }
    return gql_jwt_keys_add_pem(keys_of(cmd, dconf), cmd->temp_pool, path,
                                argc >= 2 ? argv[1] : NULL,
                                argc >= 3 ? argv[2] : NULL);
}

/* GraphQLJWKS file:PATH, read now, as GraphQLJWTKey's file is. */
static const char *graphql_set_jwks(cmd_parms *cmd, void *dconf,
                                    const char *arg)
{
    const char *path = file_arg(cmd, arg);

    if (path == NULL) {
        return apr_pstrcat(cmd->pool, "GraphQLJWKS: the JWK Set must be "
                           "file:PATH, not ", arg, NULL);
    }
    return gql_jwt_keys_add_jwks(keys_of(cmd, dconf), cmd->temp_pool, path);
}

/* GraphQLJWTIssuer ISS and GraphQLJWTAudience AUD (cmd_data: which). */
static const char *graphql_set_jwt_party(cmd_parms *cmd, void *dconf,
                                         const char *arg)
{
    graphql_dir_conf *c = dconf;

    if (cmd->info != NULL) {
        c->jwt_audience = arg;
    }
    else {
        c->jwt_issuer = arg;
    }
    return NULL;
}

/* GraphQLCaller token|httpd|both */
static const char *graphql_set_caller(cmd_parms *cmd, void *dconf,
                                      const char *arg)
{
    graphql_dir_conf *c = dconf;

    if (strcasecmp(arg, "token") == 0) {
        c->caller = CALLER_TOKEN;
    }
    else if (strcasecmp(arg, "httpd") == 0) {
        c->caller = CALLER_HTTPD;
    }
    else if (strcasecmp(arg, "both") == 0) {
        c->caller = CALLER_TOKEN | CALLER_HTTPD;
    }
    else {
        return apr_pstrcat(cmd->pool, "GraphQLCaller: the value must be "
                           "token, httpd or both, not ", arg, NULL);
    }
    return NULL;
}

/* GraphQLCallerEnv NAME CLAIM: the directives of one section, in order,
 * replace an outer section's. */
static const char *graphql_set_caller_env(cmd_parms *cmd, void *dconf,
                                          const char *name,
                                          const char *claim)
{
    graphql_dir_conf *c = dconf;
    graphql_env_claim *e;

    if (strcmp(claim, "sub") == 0) {
        return apr_pstrcat(cmd->pool, "GraphQLCallerEnv: ", name, " cannot "
                           "be the claim sub, which is the user httpd "
                           "authenticated", NULL);
    }
    if (c->caller_env == NULL) {
        c->caller_env = apr_array_make(cmd->pool, 4, sizeof(*e));
    }
    e = apr_array_push(c->caller_env);
    e->name = name;
    e->claim = claim;
    return NULL;
}

/* GraphQLAnonymousRole and GraphQLDefaultRole: one role, into the member
 * of gql_sql_roles_t at cmd->info's offset in graphql_dir_conf. */
static const char *graphql_set_role(cmd_parms *cmd, void *dconf,
                                    const char *arg)
{
    const char *why = gql_sql_role_check(cmd->temp_pool, arg);

    if (why != NULL) {
        return apr_pstrcat(cmd->pool, cmd->cmd->name, ": ", why, NULL);
    }
    *(const char **)((char *)dconf + (apr_uintptr_t)cmd->info) = arg;
    return NULL;
}

/* GraphQLRoles ROLE...: the list of its last occurrence here, arguments
 * of one occurrence added one by one. */
static const char *graphql_add_role(cmd_parms *cmd, void *dconf,
                                    const char *arg)
{
    graphql_dir_conf *c = dconf;
    const char *why = gql_sql_role_check(cmd->temp_pool, arg);
    apr_array_header_t *list = (apr_array_header_t *)c->roles.allowed;

    if (why != NULL) {
        return apr_pstrcat(cmd->pool, "GraphQLRoles: ", why, NULL);
    }
    if (list == NULL || cmd->directive != c->roles_directive) {
        list = apr_array_make(cmd->pool, 4, sizeof(const char *));
        c->roles.allowed = list;
        c->roles_directive = cmd->directive;
    }
    APR_ARRAY_PUSH(list, const char *) = arg;
    return NULL;
}

static const char *graphql_set_role_claim(cmd_parms *cmd, void *dconf,
                                          const char *arg)
{
    graphql_dir_conf *c = dconf;
    const char *why = gql_sql_claim_check(cmd->temp_pool, arg);

    if (why != NULL) {
        return apr_pstrcat(cmd->pool, "GraphQLRoleClaim: ", why, NULL);
    }
    c->roles.claim = arg;
    return NULL;
}

/* Whether ORIGIN is "*" or a browser's serialized origin, SCHEME://HOST
 * with an optional :PORT and no path (the Origin header's form). */
static int origin_ok(const char *origin)
{
    const char *host = ap_strstr_c(origin, "://");

    if (strcmp(origin, "*") == 0) {
        return 1;
    }
    if (host == NULL || host == origin) {
        return 0;
    }
    host += 3;
    return *host != '\0'
           && host[strspn(host, "abcdefghijklmnopqrstuvwxyz"
                          "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-.:[]")]
              == '\0';
}

/* Whether any origin may call: GraphQLCORSOrigins *. */
static int any_origin(const apr_array_header_t *origins)
{
    return origins != NULL && origins->nelts == 1
           && strcmp(APR_ARRAY_IDX(origins, 0, const char *), "*") == 0;
}

/* GraphQLCORSOrigins ORIGIN... | *: the list of its last occurrence here,
 * arguments of one occurrence added one by one.  Browsers send the scheme
 * and host in lower case, so the list keeps them so. */
static const char *graphql_add_cors_origin(cmd_parms *cmd, void *dconf,
                                           const char *arg)
{
    graphql_dir_conf *c = dconf;
    apr_array_header_t *list = c->cors_origins;
    char *origin;

    if (!origin_ok(arg)) {
        return apr_pstrcat(cmd->pool, "GraphQLCORSOrigins: an origin is "
                           "SCHEME://HOST[:PORT], with no path, or *, not ",
                           arg, NULL);
    }
    if (list == NULL || cmd->directive != c->cors_origins_directive) {
        list = apr_array_make(cmd->pool, 4, sizeof(const char *));
        c->cors_origins = list;
        c->cors_origins_directive = cmd->directive;
    }
    else if (strcmp(arg, "*") == 0 || any_origin(list)) {
        return "GraphQLCORSOrigins: * stands alone, without other origins";
    }
    origin = apr_pstrdup(cmd->pool, arg);
    ap_str_tolower(origin);
    APR_ARRAY_PUSH(list, const char *) = origin;
    if (c->cors_credentials == 1 && any_origin(list)) {
        return "GraphQLCORSOrigins: * cannot be used with "
               "GraphQLCORSCredentials On (browsers refuse it): list the "
               "origins";
    }
    return NULL;
}

static const char *graphql_set_cors_credentials(cmd_parms *cmd, void *dconf,
                                                int on)
{
    graphql_dir_conf *c = dconf;

    (void)cmd;
    if (on && any_origin(c->cors_origins)) {
        return "GraphQLCORSCredentials: On cannot be used with "
               "GraphQLCORSOrigins * (browsers refuse it): list the origins";
    }
    c->cors_credentials = on;
    return NULL;
}

/* GraphQLCORSHeaders NAME...: header names (RFC 9110 tokens), joined for
 * Access-Control-Allow-Headers; its last occurrence here. */
static const char *graphql_add_cors_header(cmd_parms *cmd, void *dconf,
                                           const char *arg)
{
    graphql_dir_conf *c = dconf;

    if (*arg == '\0' || *ap_scan_http_token(arg) != '\0') {
        return apr_pstrcat(cmd->pool, "GraphQLCORSHeaders: a header name "
                           "is a token (letters, digits, -...), not ", arg,
                           NULL);
    }
    if (c->cors_headers == NULL
        || cmd->directive != c->cors_headers_directive) {
        c->cors_headers = arg;
        c->cors_headers_directive = cmd->directive;
    }
    else {
        c->cors_headers = apr_pstrcat(cmd->pool, c->cors_headers, ", ", arg,
                                      NULL);
    }
    return NULL;
}

/* A whole number in [min, max], or -1. */
static apr_int64_t number(const char *arg, apr_int64_t min, apr_int64_t max)
{
    char *end;
    apr_int64_t v;

    errno = 0;
    v = apr_strtoi64(arg, &end, 10);
    if (errno != 0 || end == arg || *end != '\0' || v < min || v > max) {
        return -1;
    }
    return v;
}

static const char *graphql_set_jwt_lifetime(cmd_parms *cmd, void *dconf,
                                            const char *arg)
{
    graphql_dir_conf *c = dconf;

    /* Up to ten years: exp stays far from any overflow. */
    c->jwt_lifetime = number(arg, 1, APR_INT64_C(315360000));
    if (c->jwt_lifetime == -1) {
        return apr_pstrcat(cmd->pool, "GraphQLJWTLifetime: value must be a "
                           "number of seconds > 0 (at most 315360000), not ",
                           arg, NULL);
    }
    return NULL;
}

/* A directive of a whole number from 0 to INT_MAX (its command_rec's
 * cmd_data, as ap_set_int_slot's): where it goes in graphql_dir_conf, and
 * what the number counts, for the message. */
typedef struct graphql_int_slot {
    apr_size_t offset;
    const char *what;
} graphql_int_slot;

static const graphql_int_slot graphql_statement_timeout_slot = {
    APR_OFFSETOF(graphql_dir_conf, statement_timeout),
    "milliseconds >= 0 (0: none)"
};
static const graphql_int_slot graphql_request_timeout_slot = {
    APR_OFFSETOF(graphql_dir_conf, request_timeout),
    "milliseconds >= 0 (0: none)"
};
static const graphql_int_slot graphql_max_statements_slot = {
    APR_OFFSETOF(graphql_dir_conf, max_statements),
    "statements >= 0 (0: no limit)"
};
static const graphql_int_slot graphql_max_tokens_slot = {
    APR_OFFSETOF(graphql_dir_conf, max_tokens),
    "tokens >= 0 (0: no limit)"
};

static const graphql_int_slot graphql_cors_max_age_slot = {
    APR_OFFSETOF(graphql_dir_conf, cors_max_age),
    "seconds >= 0"
};

/* The int at offset of dconf from arg, a whole number in [min, max], or
 * the directive's message saying what (the number counts) it must be. */
static const char *set_number(cmd_parms *cmd, void *dconf, apr_size_t offset,
                              int min, int max, const char *what,
                              const char *arg)
{
    int *out = (int *)((char *)dconf + offset);

    *out = (int)number(arg, min, max);
    if (*out == -1) {
        return apr_pstrcat(cmd->pool, cmd->cmd->name, ": value must be a "
                           "number of ", what, ", not ", arg, NULL);
    }
    return NULL;
}

static const char *graphql_set_int(cmd_parms *cmd, void *dconf,
                                   const char *arg)
{
    const graphql_int_slot *slot = cmd->info;

    return set_number(cmd, dconf, slot->offset, 0, INT_MAX, slot->what, arg);
}

/* A directive of a whole number from min to max (its command_rec's
 * cmd_data): where it goes in graphql_dir_conf, and what the number
 * counts, for the message. */
typedef struct graphql_range_slot {
    apr_size_t offset;
    int min, max;
    const char *what;
} graphql_range_slot;

/* GraphQLMaxSubscriptions: at least one (a location without streams has
 * no Subscription type to map). */
static const graphql_range_slot graphql_max_subscriptions_slot = {
    APR_OFFSETOF(graphql_dir_conf, max_subscriptions), 1, INT_MAX,
    "subscriptions > 0"
};
static const graphql_range_slot graphql_heartbeat_slot = {
    APR_OFFSETOF(graphql_dir_conf, heartbeat), 1, 3600,
    "seconds from 1 to 3600"
};

static const char *graphql_set_range(cmd_parms *cmd, void *dconf,
                                     const char *arg)
{
    const graphql_range_slot *slot = cmd->info;

    return set_number(cmd, dconf, slot->offset, slot->min, slot->max,
                      slot->what, arg);
}

static const char *graphql_set_max_depth(cmd_parms *cmd, void *dconf,
                                         const char *arg)
{
    graphql_dir_conf *c = dconf;

    c->max_depth = (int)number(arg, 0, GQL_MAX_DEPTH);
    if (c->max_depth == -1) {
        return apr_psprintf(cmd->pool, "GraphQLMaxDepth: value must be a "
                            "number of fields from 0 (no limit) to %d, not "
                            "%s", GQL_MAX_DEPTH, arg);
    }
    return NULL;
}

static const char *graphql_set_max_result(cmd_parms *cmd, void *dconf,
                                          const char *arg)
{
    graphql_dir_conf *c = dconf;

    c->max_result = number(arg, 0, APR_INT64_C(1) << 40);
    if (c->max_result == -1) {
        return apr_pstrcat(cmd->pool, "GraphQLMaxResultSize: value must be "
                           "a number of bytes >= 0 (0: no limit), not ",
                           arg, NULL);
    }
    return NULL;
}

/* GraphQLMaxCost, GraphQLMaxAliases ...: a count from 0 (no limit), into
 * the limit that cmd->info says (LIMIT_*). */
static const char *graphql_set_limit(cmd_parms *cmd, void *dconf,
                                     const char *arg)
{
    int *at = &((graphql_dir_conf *)dconf)->limits[(apr_uintptr_t)cmd->info];

    *at = (int)number(arg, 0, INT_MAX);
    if (*at == -1) {
        return apr_psprintf(cmd->pool, "%s: value must be a number from 0 "
                            "(no limit) to %d, not %s", cmd->cmd->name,
                            INT_MAX, arg);
    }
    return NULL;
}

static const char *graphql_set_list_size(cmd_parms *cmd, void *dconf,
                                         const char *arg)
{
    graphql_dir_conf *c = dconf;

    c->limits[LIMIT_LIST_SIZE] = (int)number(arg, 1, 1000000);
    if (c->limits[LIMIT_LIST_SIZE] == -1) {
        return apr_pstrcat(cmd->pool, "GraphQLDefaultListSize: value must "
                           "be a number of items from 1 to 1000000, not ",
                           arg, NULL);
    }
    return NULL;
}

static const char *graphql_set_doc_cache(cmd_parms *cmd, void *dconf,
                                         const char *arg)
{
    apr_int64_t n = number(arg, 0, 1000000);
    const char *err = ap_check_cmd_context(cmd, GLOBAL_ONLY);

    (void)dconf;
    if (err != NULL) {
        return err;
    }
    if (n == -1) {
        return apr_pstrcat(cmd->pool, "GraphQLDocumentCache: value must be "
                           "a number of documents from 0 (no cache) to "
                           "1000000, not ", arg, NULL);
    }
    graphql_doc_cache_size = (int)n;
    return NULL;
}

static const char *graphql_set_check_sql(cmd_parms *cmd, void *dconf,
                                         int on)
{
    const char *err = ap_check_cmd_context(cmd, GLOBAL_ONLY);

    (void)dconf;
    if (err != NULL) {
        return err;
    }
    graphql_check_sql = on;
    return NULL;
}

/* ---- persisted documents: the directives -------------------------- */

/* GraphQLDocuments FILE...: the documents are read and their ids checked
 * here; they are prepared against the schema and limits of each location
 * that serves them in check_config (prepare_documents), when every
 * directive of every section is known. */
static const char *graphql_set_documents(cmd_parms *cmd, void *dconf,
                                         int argc, char *const argv[])
{
    graphql_dir_conf *c = dconf;
    apr_array_header_t *errors = gql_errors_make(cmd->temp_pool);
    int i;

    if (argc == 0) {
        return "GraphQLDocuments: at least one file is required";
    }
    c->documents = gql_persist_make(cmd->pool);
    for (i = 0; i < argc; i++) {
        const char *file = ap_server_root_relative(cmd->temp_pool, argv[i]);

        if (file == NULL) {
            return apr_pstrcat(cmd->pool, "GraphQLDocuments: invalid file "
                               "path ", argv[i], NULL);
        }
        gql_persist_load(c->documents, cmd->temp_pool, file, errors);
    }
    return report(cmd, errors);
}

/* GraphQLPersistedCacheControl VALUE|none: a header value, printable
 * ASCII, as it will be sent. */
static const char *graphql_set_cache_control(cmd_parms *cmd, void *dconf,
                                             const char *arg)
{
    graphql_dir_conf *c = dconf;
    const char *s;

    if (strcasecmp(arg, "none") == 0) {
        c->persisted_cache_control = "";
        return NULL;
    }
    for (s = arg; *s >= ' ' && *s < 0x7f; s++) {
        continue;
    }
    if (*s != '\0' || *arg == '\0') {
        return apr_pstrcat(cmd->pool, "GraphQLPersistedCacheControl: value "
                           "must be a Cache-Control header's value (printable "
                           "ASCII) or none, not ", arg, NULL);
    }
    c->persisted_cache_control = arg;
    return NULL;
}

/* GraphQLPersistedQueries PROVIDER[:ARGS]|none: the provider is looked
 * up and its instance made here, as SSLSessionCache does, so that a
 * wrong name or argument stops configtest. */
static const char *graphql_set_apq(cmd_parms *cmd, void *dconf,
                                   const char *arg)
{
    const char *err = ap_check_cmd_context(cmd, GLOBAL_ONLY);
    const char *sep = ap_strchr_c(arg, ':'), *name;

    (void)dconf;
    if (err != NULL) {
        return err;
    }
    graphql_apq = NULL;
    if (strcasecmp(arg, "none") == 0) {
        return NULL;
    }
    name = sep ? apr_pstrmemdup(cmd->temp_pool, arg, sep - arg) : arg;
    graphql_apq = ap_lookup_provider(AP_SOCACHE_PROVIDER_GROUP, name,
                                     AP_SOCACHE_PROVIDER_VERSION);
    if (graphql_apq == NULL) {
        return apr_psprintf(cmd->pool, "GraphQLPersistedQueries: no shared "
                            "object cache provider named \"%s\" (is "
                            "mod_socache_%s loaded?), in %s", name, name,
                            arg);
    }
    err = graphql_apq->create(&graphql_apq_cache, sep ? sep + 1 : NULL,
                              cmd->temp_pool, cmd->pool);
    if (err != NULL) {
        graphql_apq = NULL;
        return apr_psprintf(cmd->pool, "GraphQLPersistedQueries: %s: %s",
                            arg, err);
    }
    return NULL;
}

static const char *graphql_set_apq_max(cmd_parms *cmd, void *dconf,
                                       const char *arg)
{
    const char *err = ap_check_cmd_context(cmd, GLOBAL_ONLY);

    (void)dconf;
    if (err != NULL) {
        return err;
    }
    graphql_apq_max = number(arg, 1, APQ_MAX_LIMIT);
    if (graphql_apq_max == -1) {
        return apr_psprintf(cmd->pool, "GraphQLPersistedMaxSize: value must "
                            "be a number of bytes from 1 to %d, not %s",
                            APQ_MAX_LIMIT, arg);
    }
    return NULL;
}

/* The largest text the shared cache keeps. */
static apr_size_t apq_max(void)
{
    return (apr_size_t)(graphql_apq_max != -1 ? graphql_apq_max
                                              : DEFAULT_APQ_MAX);
}

/* ---- persisted documents: start-up -------------------------------- */

/* Whether a <Location> of path sec covers the URIs of one of path uri,
 * as the location walk matches a path that is not a pattern. */
static int location_covers(const char *sec, const char *uri)
{
    apr_size_t n = strlen(sec);

    return n > 0 && strncmp(sec, uri, n) == 0
           && (sec[n - 1] == '/' || uri[n] == '\0' || uri[n] == '/');
}

static int pattern(const core_dir_config *c)
{
    return c->r != NULL || c->d_is_fnmatch || c->d == NULL;
}

/* The configuration a request to the i-th <Location> of a server gets:
 * the server's, then the <Location>s before it that cover it, then its
 * own, merged in that order (a pattern's only with the server's). */
static graphql_dir_conf *location_conf(apr_pool_t *ptemp,
                                       graphql_dir_conf *c,
                                       const apr_array_header_t *secs,
                                       int i)
{
    ap_conf_vector_t **v = (ap_conf_vector_t **)secs->elts;
    const core_dir_config *ci = ap_get_core_module_config(v[i]);
    int j;

    for (j = 0; j <= i; j++) {
        const core_dir_config *cj = ap_get_core_module_config(v[j]);
        graphql_dir_conf *add = ap_get_module_config(v[j], &graphql_module);

        if (add != NULL && (j == i || (!pattern(ci) && !pattern(cj)
                                       && location_covers(cj->d, ci->d)))) {
            c = graphql_merge_dir(ptemp, c, add);
        }
    }
    return c;
}

/* Prepare c's documents under c's schema and limits (a variant of the
 * set: gql_persist.h), with one line per problem; 0 when none. */
static int prepare_in(apr_pool_t *ptemp, server_rec *s,
                      const graphql_dir_conf *c)
{
    apr_array_header_t *errors;
    gql_validate_opts_t opts;
    int i;

    if (c == NULL || c->documents == NULL || c->schema == NULL) {
        return 0;
    }
    errors = gql_errors_make(ptemp);
    opts = validate_opts(c);
    gql_persist_prepare(c->documents, ptemp, c->schema, &opts, errors);
    for (i = 0; i < errors->nelts; i++) {
        ap_log_error(APLOG_MARK, APLOG_STARTUP | APLOG_CRIT, 0, s,
                     "mod_graphql: %s", gql_error_format(ptemp,
                     APR_ARRAY_IDX(errors, i, const gql_error_t *)));
    }
    return errors->nelts;
}

/* Every GraphQLDocuments prepared where it is served, before the fork
 * into pconf, so that children share them and a document that does not
 * validate stops start-up (configtest too).  A request under another
 * merge of sections (nested patterns, <If>) prepares its loaded text as
 * any text. */
static int prepare_documents(apr_pool_t *ptemp, server_rec *s)
{
    int bad = 0, i;

    for (; s != NULL; s = s->next) {
        core_server_config *sc = ap_get_core_module_config(s->module_config);
        graphql_dir_conf *base = ap_get_module_config(s->lookup_defaults,
                                                      &graphql_module);

        bad += prepare_in(ptemp, s, base);
        for (i = 0; base != NULL && i < sc->sec_url->nelts; i++) {
            bad += prepare_in(ptemp, s, location_conf(ptemp, base,
                                                      sc->sec_url, i));
        }
    }
    return bad;
}

/* The shared cache's instance, for the cleanup that destroys it. */
typedef struct graphql_apq_instance {
    const ap_socache_provider_t *provider;
    ap_socache_instance_t *instance;
    server_rec *s;
} graphql_apq_instance;

static apr_status_t apq_destroy(void *data)
{
    graphql_apq_instance *a = data;

    a->provider->destroy(a->instance, a->s);
    return APR_SUCCESS;
}

/* post_config: the shared cache made ready (its memory, its mutex) before
 * the fork; destroyed with the configuration. */
static int apq_init(apr_pool_t *pconf, server_rec *s)
{
    struct ap_socache_hints hints = { GQL_PERSIST_HEX, 2048, APQ_LIFETIME };
    graphql_apq_instance *a;
    apr_status_t rv;

    if (graphql_apq == NULL) {
        return OK;
    }
    if (graphql_apq->flags & AP_SOCACHE_FLAG_NOTMPSAFE) {
        rv = ap_global_mutex_create(&graphql_apq_mutex, NULL, APQ_MUTEX,
                                    NULL, s, pconf, 0);
        if (rv != APR_SUCCESS) {
            return HTTP_INTERNAL_SERVER_ERROR;    /* it logged why */
        }
    }
    rv = graphql_apq->init(graphql_apq_cache, "mod_graphql-persisted",
                           &hints, s, pconf);
    if (rv != APR_SUCCESS) {
        ap_log_error(APLOG_MARK, APLOG_STARTUP | APLOG_CRIT, rv, s,
                     "mod_graphql: GraphQLPersistedQueries: the %s cache "
                     "cannot be set up", graphql_apq->name);
        return HTTP_INTERNAL_SERVER_ERROR;
    }
    a = apr_palloc(pconf, sizeof(*a));
    a->provider = graphql_apq;
    a->instance = graphql_apq_cache;
    a->s = s;
    apr_pool_cleanup_register(pconf, a, apq_destroy, apr_pool_cleanup_null);
    return OK;
}

static void apq_child_init(apr_pool_t *pchild, server_rec *s)
{
    apr_status_t rv;

    if (graphql_apq_mutex == NULL) {
        return;
    }
    rv = apr_global_mutex_child_init(&graphql_apq_mutex,
             apr_global_mutex_lockfile(graphql_apq_mutex), pchild);
    if (rv != APR_SUCCESS) {
        ap_log_error(APLOG_MARK, APLOG_ERR, rv, s, "GQL00060: the mutex of "
                     "GraphQLPersistedQueries cannot be opened in the child: "
                     "automatic persisted queries are off in it");
        graphql_apq = NULL;
    }
}

/* pre_config: each configuration starts from the default. */
static int graphql_pre_config(apr_pool_t *pconf, apr_pool_t *plog,
                              apr_pool_t *ptemp)
{
    (void)plog;
    (void)ptemp;
    graphql_doc_cache_size = -1;
    graphql_check_sql = -1;
    graphql_apq = NULL;
    graphql_apq_cache = NULL;
    graphql_apq_mutex = NULL;
    graphql_apq_max = -1;
    return ap_mutex_register(pconf, APQ_MUTEX, NULL, APR_LOCK_DEFAULT, 0);
}

static void sse_child_init(apr_pool_t *pchild);

/* child_init: the child's document cache and throttles, shared by its
 * threads, and its listeners' table (subscriptions). */
static void graphql_child_init(apr_pool_t *pchild, server_rec *s)
{
    /* A document the shared cache gives is kept once prepared, up to
     * the largest text it keeps. */
    graphql_doc_cache = gql_cache_make(pchild, graphql_doc_cache_size != -1
                                       ? graphql_doc_cache_size
                                       : DEFAULT_DOC_CACHE,
                                       graphql_apq && apq_max()
                                       > DOC_CACHE_TEXT ? apq_max()
                                       : DOC_CACHE_TEXT);
    apq_child_init(pchild, s);
    graphql_lines = gql_throttle_make(pchild, LOG_INTERVAL);
    sse_child_init(pchild);
    graphql_dbs = apr_hash_make(pchild);
    for (; s != NULL; s = s->next) {
        server_rec **key = apr_pmemdup(pchild, &s, sizeof(s));

        apr_hash_set(graphql_dbs, key, sizeof(s),
                     gql_throttle_make(pchild, LOG_INTERVAL));
    }
}

/* check_config: every module is loaded now, whatever the order of the
 * LoadModule lines, so this is where mod_dbd is found, or its absence
 * refuses start-up when a schema needs it; so do another DBDriver than
 * pgsql, and a SetHandler graphql with no schema (configtest runs this
 * hook, not post_config). */
static int graphql_check_config(apr_pool_t *pconf, apr_pool_t *plog,
                                apr_pool_t *ptemp, server_rec *s)
{
    const apr_array_header_t *uses = sql_uses(pconf);
    const char *msg;

    (void)plog;
    graphql_dbd_acquire = APR_RETRIEVE_OPTIONAL_FN(ap_dbd_acquire);
    if (uses->nelts > 0 && graphql_dbd_acquire == NULL) {
        ap_log_error(APLOG_MARK, APLOG_STARTUP | APLOG_CRIT, 0, s,
                     "mod_graphql: %s maps fields to SQL (@sql), which "
                     "needs mod_dbd: add LoadModule dbd_module and "
                     "DBDriver pgsql",
                     APR_ARRAY_IDX(uses, 0, graphql_sql_use).file);
        return HTTP_INTERNAL_SERVER_ERROR;
    }
    msg = wrong_driver(ptemp, uses);
    if (msg == NULL) {
        msg = unserved(ptemp);
    }
    if (msg != NULL) {
        ap_log_error(APLOG_MARK, APLOG_STARTUP | APLOG_CRIT, 0, s, "%s", msg);
        return HTTP_INTERNAL_SERVER_ERROR;
    }
    return prepare_documents(ptemp, s) > 0 ? HTTP_INTERNAL_SERVER_ERROR : OK;
}

/* One line per schema, with what it has and how long it took to load.
 * httpd reads its configuration twice at start-up (and then once per
 * restart); the first reading, a check, says nothing. */
static void announce_schemas(apr_pool_t *pconf, apr_pool_t *ptemp,
                             server_rec *s)
{
    apr_hash_index_t *hi;

    if (ap_state_query(AP_SQ_MAIN_STATE) == AP_SQ_MS_CREATE_PRE_CONFIG) {
        return;
    }
    for (hi = apr_hash_first(ptemp, schema_cache(pconf)); hi;
         hi = apr_hash_next(hi)) {
        const void *key;
        void *val;
        const graphql_schema *g;
        char *files, *nl;
        int i, types = 0;

        apr_hash_this(hi, &key, NULL, &val);
        g = val;
        for (i = 0; i < g->schema->types->nelts; i++) {
            types += !APR_ARRAY_IDX(g->schema->types, i,
                                    const gql_type_t *)->builtin;
        }
        files = apr_pstrdup(ptemp, key);
        for (nl = files; (nl = strchr(nl, '\n')) != NULL; ) {
            *nl = ' ';
        }
        ap_log_error(APLOG_MARK, APLOG_NOTICE, 0, s, "GQL00022: schema %s: "
                     "%d types, %d SQL fields, loaded in %" APR_TIME_T_FMT
                     ".%03" APR_TIME_T_FMT " ms", files, types,
                     gql_sql_fields(g->sql), g->load_time / 1000,
                     g->load_time % 1000);
    }
}

/*
 * post_config: with GraphQLCheckSQL On, each schema's statements are
 * prepared on the database of the DBDParams that apply where its
 * GraphQLSchema is (gql_sql_check: a connection of its own, through
 * libpq, not mod_dbd's pool, which children make later), never run.  A
 * statement PostgreSQL refuses, or a database that cannot be reached,
 * stops start-up (and a graceful restart, which then stops the server):
 * one line each, the statement's FILE:LINE:COL.  DBDParams are not
 * logged, they may hold a password: the line says where they are.  Then
 * the schemas are announced (announce_schemas).
 */
static int graphql_post_config(apr_pool_t *pconf, apr_pool_t *plog,
                               apr_pool_t *ptemp, server_rec *s)
{
    const apr_array_header_t *uses = sql_uses(pconf);
    apr_hash_t *done = apr_hash_make(ptemp);
    int i, j, refused = 0;

    (void)plog;
    for (i = 0; graphql_check_sql == 1 && i < uses->nelts; i++) {
        const graphql_sql_use *u = &APR_ARRAY_IDX(uses, i, graphql_sql_use);
        const ap_directive_t *d = dbd_directive(u->directive, "DBDParams");
        const char *params = d ? first_word(ptemp, d) : NULL, *key, *why;
        apr_array_header_t *errors = gql_errors_make(ptemp);

        if (params == NULL) {
            ap_log_error(APLOG_MARK, APLOG_STARTUP | APLOG_CRIT, 0, s,
                         "mod_graphql: GraphQLCheckSQL: no DBDParams apply "
                         "to the GraphQLSchema of %s (%s:%d)", u->file,
                         u->directive->filename, u->directive->line_num);
            return HTTP_INTERNAL_SERVER_ERROR;
        }
        key = apr_psprintf(ptemp, "%pp %s", (const void *)u->sql, params);
        if (apr_hash_get(done, key, APR_HASH_KEY_STRING) != NULL) {
            continue;
        }
        apr_hash_set(done, key, APR_HASH_KEY_STRING, key);
        if (gql_sql_check(ptemp, params, u->sql, errors, &why) != 0) {
            ap_log_error(APLOG_MARK, APLOG_STARTUP | APLOG_CRIT, 0, s,
                         "mod_graphql: GraphQLCheckSQL: the database of the "
                         "DBDParams at %s:%d cannot be reached to check %s: "
                         "%s", d->filename, d->line_num, u->file, why);
            return HTTP_INTERNAL_SERVER_ERROR;
        }
        for (j = 0; j < errors->nelts; j++) {
            ap_log_error(APLOG_MARK, APLOG_STARTUP | APLOG_CRIT, 0, s,
                         "mod_graphql: %s", gql_error_format(ptemp,
                         APR_ARRAY_IDX(errors, j, const gql_error_t *)));
            refused = 1;
        }
    }
    if (refused || apq_init(pconf, s) != OK) {
        return HTTP_INTERNAL_SERVER_ERROR;
    }
    announce_schemas(pconf, ptemp, s);
    return OK;
}

/*
 * The handler SetHandler gives this location, or NULL, before r->handler
 * has it.  Core copies SetHandler into r->handler only in its fixups hook
 * (core_override_type), which runs after map_to_storage, and httpd 2.4 has
 * no call that gives it sooner; yet translate_name must know it, to claim
 * the URI before the directory walk.  So the <Location>'s core config is
 * read here: SetHandler keeps an expression (expr_handler, since 2.4.19),
 * evaluated as the fixup will evaluate it ("none", core's word for no
 * handler, is not "graphql").  Core also lowercases the value, which this
 * does not: a "SetHandler GraphQL" request is answered but not claimed.
 */
static const char *location_handler(request_rec *r)
{
    core_dir_config *cd = ap_get_core_module_config(r->per_dir_config);
    const char *err = NULL, *h;

    if (cd->expr_handler != NULL) {
        h = ap_expr_str_exec(r, cd->expr_handler, &err);
        return err ? NULL : h;
    }
    return cd->handler;
}

/*
 * translate_name: the first location walk has run, so the <Location>'s
 * SetHandler is known.  A GraphQL URI names no file: claim it, so that
 * map_to_storage below skips the directory walk and the endpoint does not
 * depend on DocumentRoot or its permissions (AH00035).
 */
static int graphql_translate(request_rec *r)
{
    const char *h = location_handler(r);

    if (h == NULL || (strcmp(h, GRAPHQL_HANDLER) != 0
                      && strcmp(h, LIVE_HANDLER) != 0
                      && strcmp(h, READY_HANDLER) != 0)) {
        return DECLINED;
    }
    r->filename = apr_pstrcat(r->pool, GRAPHQL_HANDLER ":", r->uri, NULL);
    ap_set_module_config(r->request_config, &graphql_module,
                         (void *)graphql_claimed);
    return OK;
}

/* map_to_storage: no filesystem walk for claimed requests (as mod_proxy
 * does); the location walk still runs after this hook. */
static int graphql_map_to_storage(request_rec *r)
{
    if (ap_get_module_config(r->request_config, &graphql_module)
        == graphql_claimed) {
        return OK;
    }
    return DECLINED;
}

/* The Cache-Control of a successful GET by id that a cache may keep
 * (GraphQLPersistedCacheControl): set by persisted(), and only when the
 * response has no error. */
static const char *cache_control(request_rec *r)
{
    const char *errors = apr_table_get(r->notes, ERRORS_NOTE);

    return errors != NULL && strcmp(errors, "0") == 0
           ? apr_table_get(r->notes, CACHE_CONTROL_NOTE) : NULL;
}

/* Write a response and finish the request: returning OK with r->status
 * set keeps httpd from replacing the body with its HTML error page, which
 * it sends for a handler that returns an HTTP error code.  Responses vary
 * with Accept and may depend on the caller, so they are not stored by
 * caches, but for a GET by id that GraphQLPersistedCacheControl lets them
 * keep (cache_control). */
static int send_body(request_rec *r, int status, const char *type,
                     const char *body, apr_size_t len)
{
    const char *cc = status == HTTP_OK ? cache_control(r) : NULL;

    r->status = status;
    ap_set_content_type(r, type);
    apr_table_setn(r->headers_out, "Cache-Control", cc ? cc : "no-store");
    apr_table_mergen(r->headers_out, "Vary", cc ? "Accept, Authorization, "
                                                  "Cookie" : "Accept");
    ap_set_content_length(r, len);
    if (!r->header_only) {
        /* The body as it is, in one transient bucket (copied only if a
         * filter must keep it past this call), with the end of the
         * response: not through ap_rwrite's buffer, which copies it. */
        apr_bucket_alloc_t *ba = r->connection->bucket_alloc;
        apr_bucket_brigade *bb = apr_brigade_create(r->pool, ba);

        APR_BRIGADE_INSERT_TAIL(bb, apr_bucket_transient_create(body, len,
                                                                ba));
        APR_BRIGADE_INSERT_TAIL(bb, apr_bucket_eos_create(ba));
        ap_pass_brigade(r->output_filters, bb);   /* a client gone is no
                                                   * error of ours */
        apr_brigade_cleanup(bb);
    }
    return OK;
}

/* The request's stage durations, made on first use. */
static graphql_times *times_of(request_rec *r)
{
    void *data = NULL;
    graphql_times *t;

    apr_pool_userdata_get(&data, TIMES_KEY, r->pool);
    if (data != NULL) {
        return data;
    }
    t = apr_palloc(r->pool, sizeof(*t));
    t->parse = t->sql = -1;
    apr_pool_userdata_setn(t, TIMES_KEY, NULL, r->pool);
    return t;
}

/* One Server-Timing metric: a duration in ms, to the microsecond. */
static const char *metric(apr_pool_t *p, const char *name,
                          apr_interval_time_t us)
{
    return apr_psprintf(p, "%s;dur=%" APR_TIME_T_FMT ".%03" APR_TIME_T_FMT,
                        name, us / 1000, us % 1000);
}

/* GraphQLServerTiming On: parse (and validate), sql when they ran, and
 * total, from the request's first line to now. */
static void server_timing(request_rec *r)
{
    const graphql_dir_conf *conf = ap_get_module_config(r->per_dir_config,
                                                        &graphql_module);
    const graphql_times *t = times_of(r);
    const char *v = "";

    if (conf->server_timing != 1) {
        return;
    }
    if (t->parse >= 0) {
        v = apr_pstrcat(r->pool, metric(r->pool, "parse", t->parse), ", ",
                        NULL);
    }
    if (t->sql >= 0) {
        v = apr_pstrcat(r->pool, v, metric(r->pool, "sql", t->sql), ", ",
                        NULL);
    }
    apr_table_setn(r->headers_out, "Server-Timing",
                   apr_pstrcat(r->pool, v, metric(r->pool, "total",
                                                  apr_time_now()
                                                  - r->request_time),
                               NULL));
}

/* A JSON response. */
static int respond(request_rec *r, int status, gql_media_e media,
                   const char *body)
{
    server_timing(r);
    return send_body(r, status, gql_media_types[media == GQL_MEDIA_NONE
                                                ? GQL_MEDIA_JSON : media],
                     body, strlen(body));
}

/* The GraphiQL page, for a browser's GET of the endpoint. */
static int graphiql(request_rec *r, const graphql_dir_conf *conf)
{
    apr_size_t len;
    const char *page = gql_graphiql_page(r->pool, conf->graphiql_assets,
                                         &len);

    apr_table_setn(r->headers_out, "Content-Security-Policy",
                   gql_graphiql_csp(r->pool, conf->graphiql_assets));
    apr_table_setn(r->headers_out, "X-Content-Type-Options", "nosniff");
    apr_table_setn(r->headers_out, "Referrer-Policy", "no-referrer");
    return send_body(r, HTTP_OK, "text/html; charset=utf-8", page, len);
}

/* Whether a URL query string (NULL: none) has a parameter named query
 * or documentId, with or without a value: then a GET is a GraphQL
 * request, not a browser asking for GraphiQL. */
static int has_query_param(const char *args)
{
    static const char *const names[] = { "query", "documentId", NULL };
    const char *s = args;
    int i;

    while (s != NULL && *s) {
        apr_size_t n = strcspn(s, "&;");

        for (i = 0; names[i] != NULL; i++) {
            apr_size_t len = strlen(names[i]);

            if (strncmp(s, names[i], len) == 0
                && (n == len || s[len] == '=')) {
                return 1;
            }
        }
        s += n;
        s += (*s != '\0');
    }
    return 0;
}

/* GraphQLGraphiQL On, a GET (or HEAD) with no query, from a client that
 * prefers HTML to GraphQL's media types. */
static int wants_graphiql(request_rec *r, const graphql_dir_conf *conf)
{
    return conf->graphiql == 1 && r->method_number == M_GET
           && !has_query_param(r->args)
           && gql_request_prefers_html(r->pool,
                                       apr_table_get(r->headers_in,
                                                     "Accept"));
}

static int request_error(request_rec *r, int status, gql_media_e media,
                         const char *message)
{
    apr_table_setn(r->notes, ERRORS_NOTE, "1");
    return respond(r, status, media, gql_json_request_error(r->pool,
                                                            message));
}

static int too_large(request_rec *r, gql_media_e media, apr_off_t limit)
{
    /* The rest of the body is not read: close rather than drain it. */
    r->connection->keepalive = AP_CONN_CLOSE;
    return request_error(r, HTTP_REQUEST_ENTITY_TOO_LARGE, media,
                         apr_psprintf(r->pool, "Request body is too large: "
                                      "the limit is %" APR_OFF_T_FMT
                                      " bytes.", limit));
}

/* GraphQLStatementTimeout and GraphQLRequestTimeout as they apply, in
 * milliseconds (0: none). */
static int statement_timeout(const graphql_dir_conf *conf)
{
    return conf->statement_timeout != -1 ? conf->statement_timeout
                                         : DEFAULT_STATEMENT_TIMEOUT;
}

static int request_timeout(const graphql_dir_conf *conf)
{
    apr_int64_t ms = conf->request_timeout != -1 ? conf->request_timeout
                     : (apr_int64_t)REQUEST_TIMEOUTS
                       * statement_timeout(conf);

    return ms > INT_MAX ? INT_MAX : (int)ms;
}

/* When the request must be over: its start (the request line read) and
 * GraphQLRequestTimeout; 0 when there is no limit. */
static apr_time_t deadline_of(const request_rec *r,
                              const graphql_dir_conf *conf)
{
    int ms = request_timeout(conf);

    return ms ? r->request_time + apr_time_from_msec(ms) : 0;
}

static int is_past(apr_time_t deadline)
{
    return deadline && apr_time_now() >= deadline;
}

/* The body's reads wait no longer than the deadline: the socket's
 * timeout (the connection's Timeout, or mod_reqtimeout's narrower one,
 * which it takes from the socket at each read) is cut to what is left
 * before each read, and given back after the body.  Only a connection's
 * own socket: an HTTP/2 stream's connection has none of its own. */
typedef struct body_clock {
    apr_time_t deadline;        /* 0: none */
    apr_socket_t *sock;         /* NULL: not narrowed */
    apr_interval_time_t saved;
} body_clock;

/* 0 when the deadline has passed. */
static int body_clock_set(body_clock *k)
{
    apr_interval_time_t left = k->deadline - apr_time_now();

    if (k->deadline == 0) {
        return 1;
    }
    if (left <= 0) {
        return 0;
    }
    /* A millisecond more: the wait counts whole milliseconds, rounded
     * down, and a read that times out must find the deadline passed. */
    left += apr_time_from_msec(1);
    if (k->sock != NULL && (k->saved < 0 || left < k->saved)) {
        apr_socket_timeout_set(k->sock, left);
    }
    return 1;
}

static int read_body_in(request_rec *r, apr_off_t limit, body_clock *k,
                        char **body, apr_size_t *len);

/*
 * Read the whole body, at most limit bytes, by the deadline (0: none).
 * Content-Length is checked first for an early 413; a chunked body is
 * counted as it arrives.  Returns OK, HTTP_REQUEST_ENTITY_TOO_LARGE,
 * HTTP_REQUEST_TIME_OUT (the deadline passed, or mod_reqtimeout's
 * limits), or another status from the input filters.
 */
static int read_body(request_rec *r, apr_off_t limit, apr_time_t deadline,
                     char **body, apr_size_t *len)
{
    body_clock k;
    int st;

    k.deadline = deadline;
    k.sock = deadline && r->connection->master == NULL
             ? ap_get_conn_socket(r->connection) : NULL;
    if (k.sock != NULL && apr_socket_timeout_get(k.sock, &k.saved)
                          != APR_SUCCESS) {
        k.sock = NULL;
    }
    st = read_body_in(r, limit, &k, body, len);
    if (k.sock != NULL) {
        apr_socket_timeout_set(k.sock, k.saved);
    }
    return st == OK && is_past(deadline) ? HTTP_REQUEST_TIME_OUT : st;
}

static int read_body_in(request_rec *r, apr_off_t limit, body_clock *k,
                        char **body, apr_size_t *len)
{
    const char *cl = apr_table_get(r->headers_in, "Content-Length");
    apr_bucket_brigade *bb;
    apr_size_t size = 8192;
    apr_off_t n;
    char *end;
    int seen_eos = 0;

    if (cl != NULL && apr_strtoff(&n, cl, &end, 10) == APR_SUCCESS
        && *end == '\0' && n > limit) {
        return HTTP_REQUEST_ENTITY_TOO_LARGE;
    }
    *len = 0;
    *body = apr_palloc(r->pool, size);
    bb = apr_brigade_create(r->pool, r->connection->bucket_alloc);
    while (!seen_eos) {
        apr_bucket *b;
        apr_status_t rv;

        if (!body_clock_set(k)) {
            return HTTP_REQUEST_TIME_OUT;
        }
        rv = ap_get_brigade(r->input_filters, bb, AP_MODE_READBYTES,
                            APR_BLOCK_READ, HUGE_STRING_LEN);
        if (rv != APR_SUCCESS) {
            return is_past(k->deadline) ? HTTP_REQUEST_TIME_OUT
                   : ap_map_http_request_error(rv, HTTP_BAD_REQUEST);
        }
        for (b = APR_BRIGADE_FIRST(bb); b != APR_BRIGADE_SENTINEL(bb);
             b = APR_BUCKET_NEXT(b)) {
            const char *data;
            apr_size_t dlen;

            if (APR_BUCKET_IS_EOS(b)) {
                seen_eos = 1;
                break;
            }
            rv = apr_bucket_read(b, &data, &dlen, APR_BLOCK_READ);
            if (rv != APR_SUCCESS) {
                return HTTP_BAD_REQUEST;
            }
            if ((apr_off_t)(*len + dlen) > limit) {
                return HTTP_REQUEST_ENTITY_TOO_LARGE;
            }
            if (*len + dlen > size) {
                char *bigger;

                while (*len + dlen > size) {
                    size *= 2;
                }
                bigger = apr_palloc(r->pool, size);
                memcpy(bigger, *body, *len);
                *body = bigger;
            }
            memcpy(*body + *len, data, dlen);
            *len += dlen;
        }
        apr_brigade_cleanup(bb);
    }
    return OK;
}

/* 408: the body was not all there in time (the rest is not read: the
 * connection closes). */
static int too_slow(request_rec *r, const graphql_dir_conf *conf,
                    gql_media_e media, apr_time_t deadline)
{
    r->connection->keepalive = AP_CONN_CLOSE;
    if (!is_past(deadline)) {           /* mod_reqtimeout's limits */
        return request_error(r, HTTP_REQUEST_TIME_OUT, media,
                             "The request body did not arrive in time.");
    }
    ap_log_rerror(APLOG_MARK, APLOG_INFO, 0, r, "GQL00012: the request "
                  "passed GraphQLRequestTimeout (%d ms) while its body was "
                  "read", request_timeout(conf));
    return request_error(r, HTTP_REQUEST_TIME_OUT, media,
                         apr_psprintf(r->pool, "The request body did not "
                                      "arrive in time: a request may take "
                                      "at most %d ms "
                                      "(GraphQLRequestTimeout).",
                                      request_timeout(conf)));
}

/* The GraphQL request of a POST, or a response already sent. */
static int post_params(request_rec *r, graphql_dir_conf *conf,
                       gql_media_e media, apr_time_t deadline,
                       gql_request_t **req)
{
    apr_off_t limit = conf->max_body != -1 ? conf->max_body
                                            : DEFAULT_MAX_BODY;
    const char *msg;
    char *body;
    apr_size_t len;
    int st;

    if (!gql_request_content_type_ok(r->pool, apr_table_get(r->headers_in,
                                                            "Content-Type"))) {
        return request_error(r, HTTP_UNSUPPORTED_MEDIA_TYPE, media,
                             "Unsupported media type: a GraphQL POST must "
                             "have Content-Type: application/json.");
    }
    st = read_body(r, limit, deadline, &body, &len);
    if (st == HTTP_REQUEST_ENTITY_TOO_LARGE) {
        return too_large(r, media, limit);
    }
    if (st == HTTP_REQUEST_TIME_OUT) {
        return too_slow(r, conf, media, deadline);
    }
    if (st != OK) {
        return st;
    }
    st = gql_request_from_json(r->pool, body, len, req, &msg);
    return st ? request_error(r, st, media, msg) : OK;
}

/* The key of a log line in graphql_lines: its virtual host, its tag and
 * its subject, what message says before its first ": " (a field's name or
 * a fixed phrase of the SQL stage, never the client's text). */
static const char *line_key(request_rec *r, const char *tag,
                            const char *message)
{
    const char *colon = strstr(message, ": ");
    int n = colon ? (int)(colon - message) : (int)strlen(message);

    return apr_psprintf(r->pool, "%pp %s %.*s", (void *)r->server, tag,
                        n < 80 ? n : 80, message);
}

/* gql_sql_env_t.log, and the glue's lines of a request: an error line is
 * written once per LOG_INTERVAL in a child for each key (line_key), and
 * says how many like it were held back before it.  So a field that fails
 * for every request writes a line every interval, and another field's
 * failure still shows. */
static void graphql_log(void *baton, int is_error, const char *tag,
                        const char *message)
{
    graphql_req *q = baton;
    apr_uint64_t held = 0;

    if (is_error && graphql_lines != NULL
        && !gql_throttle_line(graphql_lines, line_key(q->r, tag, message),
                              apr_time_now(), &held)) {
        return;
    }
    ap_log_rerror(APLOG_MARK, is_error ? APLOG_ERR : APLOG_INFO, 0, q->r,
                  "%s: %s%s", tag, message, held == 0 ? ""
                  : apr_psprintf(q->r->pool, " (and %" APR_UINT64_T_FMT
                                 " more such lines in the last %"
                                 APR_TIME_T_FMT " s, not written)", held,
                                 apr_time_sec(LOG_INTERVAL)));
}

/* ap_dbd_acquire, unless the server's database failed its last try and
 * its back-off runs: then NULL at once, without mod_dbd's attempt (and
 * its log lines, which only not calling it avoids).  The first success
 * after failures says, once, that the database is back, and how many of
 * the SQL stage's GQL00031 lines ("the database is unavailable: ...")
 * were held back. */
static ap_dbd_t *dbd_acquire(request_rec *r)
{
    gql_throttle_t *gate = graphql_dbs == NULL ? NULL
                           : apr_hash_get(graphql_dbs, &r->server,
                                          sizeof(r->server));
    apr_time_t since = 0;
    apr_uint64_t failed;
    ap_dbd_t *dbd;

    if (graphql_dbd_acquire == NULL) {
        return NULL;
    }
    if (gate == NULL) {
        return graphql_dbd_acquire(r);
    }
    if (!gql_throttle_try(gate, apr_time_now())) {
        return NULL;
    }
    dbd = graphql_dbd_acquire(r);
    failed = gql_throttle_tried(gate, dbd != NULL, apr_time_now(), &since);
    if (failed > 0) {
        ap_log_rerror(APLOG_MARK, APLOG_WARNING, 0, r, "GQL00005: the "
                      "database is available again: %" APR_UINT64_T_FMT
                      " requests failed in the %" APR_TIME_T_FMT " s "
                      "before, %" APR_UINT64_T_FMT " of whose GQL00031 "
                      "lines were not written", failed,
                      apr_time_sec(apr_time_now() - since),
                      graphql_lines == NULL ? 0
                      : gql_throttle_take(graphql_lines, line_key(r,
                            "GQL00031", "the database is unavailable: ")));
    }
    return dbd;
}

/*
 * mod_status's section: the counters of gql_stats.h, one slot per child
 * process as the scoreboard numbers them, in a segment post_config makes
 * for ServerLimit children.  A request adds what its notes say (errors,
 * statements, time in SQL), the errors by extensions.code that
 * count_codes saw, and the connections it took from mod_dbd's pool and
 * how long that took, at log_transaction, when it is over.
 */
static gql_stats_t *graphql_stats;

/* The child's slot, found on its first request: -1 until then. */
static int graphql_slot = -1;

/* What a request counted beside its notes, in r->pool (COUNTS_KEY). */
typedef struct graphql_counts {
    apr_uint64_t codes[GQL_NCODES]; /* errors with each code */
    apr_uint64_t acquires;          /* pooled connections taken */
    apr_interval_time_t pool_us;    /* waiting for them */
} graphql_counts;

#define COUNTS_KEY "mod_graphql:counts"

/* ORDER STAT: the ?auto keys of the first counters. */
static const char *const status_keys[GQL_STAT_CODES] = {
    "Requests", "Errors", "Statements", "SQLMicroseconds", "PoolAcquires",
    "PoolWaitMicroseconds"
};

static graphql_counts *counts_of(request_rec *r)
{
    void *data = NULL;

    apr_pool_userdata_get(&data, COUNTS_KEY, r->pool);
    if (data == NULL) {
        data = apr_pcalloc(r->pool, sizeof(graphql_counts));
        apr_pool_userdata_setn(data, COUNTS_KEY, NULL, r->pool);
    }
    return data;
}

/* The errors of a response by their extensions.code. */
static void count_codes(request_rec *r, const apr_array_header_t *errors)
{
    graphql_counts *c = counts_of(r);
    int i;

    for (i = 0; i < errors->nelts; i++) {
        const gql_error_t *e = APR_ARRAY_IDX(errors, i, const gql_error_t *);

        c->codes[gql_stats_code(e->code)]++;
    }
}

/* dbd_acquire, timed and counted. */
static ap_dbd_t *timed_acquire(request_rec *r)
{
    graphql_counts *c = counts_of(r);
    apr_time_t t0 = apr_time_now();
    ap_dbd_t *dbd = dbd_acquire(r);

    c->pool_us += apr_time_now() - t0;
    c->acquires += dbd != NULL;
    return dbd;
}

/* post_config: the segment, on the second reading only (the first is a
 * check, and forks nothing). */
static int graphql_stats_init(apr_pool_t *pconf, apr_pool_t *plog,
                              apr_pool_t *ptemp, server_rec *s)
{
    int limit = 0;
    const char *why = NULL;

    (void)plog;
    (void)ptemp;
    graphql_stats = NULL;
    if (ap_state_query(AP_SQ_MAIN_STATE) == AP_SQ_MS_CREATE_PRE_CONFIG) {
        return OK;
    }
    ap_mpm_query(AP_MPMQ_HARD_LIMIT_DAEMONS, &limit);
    graphql_stats = gql_stats_make(pconf, limit, &why);
    if (graphql_stats == NULL) {
        ap_log_error(APLOG_MARK, APLOG_WARNING, 0, s, "GQL00070: no "
                     "counters for mod_status: %s", why);
    }
    return OK;
}

/* This child's slot in the scoreboard (and the counters), or -1. */
static int my_slot(void)
{
    apr_proc_t me;

    if (graphql_slot < 0) {
        me.pid = getpid();
        graphql_slot = ap_find_child_by_pid(&me);
        if (graphql_slot >= 0) {
            gql_stats_claim(graphql_stats, graphql_slot,
                            (apr_uint32_t)me.pid);
        }
    }
    return graphql_slot;
}

/* A note's number (0 for none or "-"). */
static apr_uint64_t note_number(request_rec *r, const char *name)
{
    const char *v = apr_table_get(r->notes, name);

    return v ? (apr_uint64_t)apr_atoi64(v) : 0;
}

/* log_transaction: add a GraphQL request's counts to the child's slot. */
static int graphql_count(request_rec *r)
{
    graphql_counts *c;
    apr_uint64_t errors, coded = 0;
    int slot, i;

    if (graphql_stats == NULL || r->handler == NULL
        || strcmp(r->handler, GRAPHQL_HANDLER) != 0
        || (slot = my_slot()) < 0) {
        return DECLINED;
    }
    c = counts_of(r);
    errors = note_number(r, ERRORS_NOTE);
    gql_stats_add(graphql_stats, slot, GQL_STAT_REQUESTS, 1);
    gql_stats_add(graphql_stats, slot, GQL_STAT_ERRORS, errors);
    gql_stats_add(graphql_stats, slot, GQL_STAT_STATEMENTS,
                  note_number(r, STATEMENTS_NOTE));
    gql_stats_add(graphql_stats, slot, GQL_STAT_SQL_US,
                  note_number(r, SQL_TIME_NOTE));
    gql_stats_add(graphql_stats, slot, GQL_STAT_ACQUIRES, c->acquires);
    gql_stats_add(graphql_stats, slot, GQL_STAT_POOL_US,
                  (apr_uint64_t)c->pool_us);
    for (i = 0; i < GQL_NCODES; i++) {
        gql_stats_add(graphql_stats, slot, GQL_STAT_CODES + i, c->codes[i]);
        coded += c->codes[i];
    }
    /* Errors no list counted (a request's own: bad JSON, 406, 413). */
    if (errors > coded) {
        gql_stats_add(graphql_stats, slot, GQL_STAT_CODES + GQL_CODE_NONE,
                      errors - coded);
    }
    return DECLINED;
}

/* One child's row of the HTML table, or the total's (slot -1). */
static void status_row(request_rec *r, int slot, const apr_uint64_t *n)
{
    int k;

    if (slot < 0) {
        ap_rputs("<tr><th>total</th><th></th>", r);
    }
    else {
        ap_rprintf(r, "<tr><td>%d</td><td>%u</td>", slot,
                   gql_stats_pid(graphql_stats, slot));
    }
    for (k = 0; k < GQL_STAT_CODES; k++) {
        ap_rprintf(r, "<td>%" APR_UINT64_T_FMT "</td>", n[k]);
    }
    ap_rputs("</tr>\n", r);
}

/* mod_status's status_hook: the totals and each child's counters, as
 * "Key: value" lines for ?auto, else as HTML tables. */
static int graphql_status(request_rec *r, int flags)
{
    apr_uint64_t total[GQL_NSTATS] = { 0 }, n[GQL_NSTATS];
    int slots, i, k, brief = (flags & AP_STATUS_SHORT) != 0;

    if (graphql_stats == NULL) {
        return OK;
    }
    slots = gql_stats_slots(graphql_stats);
    if (!brief) {
        ap_rputs("<hr />\n<h2>mod_graphql</h2>\n<table border=\"1\"><tr>"
                 "<th>Slot</th><th>PID</th>", r);
        for (k = 0; k < GQL_STAT_CODES; k++) {
            ap_rprintf(r, "<th>%s</th>", status_keys[k]);
        }
        ap_rputs("</tr>\n", r);
    }
    for (i = 0; i < slots; i++) {
        for (k = 0; k < GQL_NSTATS; k++) {
            n[k] = gql_stats_get(graphql_stats, i, k);
            total[k] += n[k];
        }
        if (n[GQL_STAT_REQUESTS] == 0) {
            continue;
        }
        if (!brief) {
            status_row(r, i, n);
            continue;
        }
        ap_rprintf(r, "GraphQLChild%d: pid=%u", i,
                   gql_stats_pid(graphql_stats, i));
        for (k = 0; k < GQL_STAT_CODES; k++) {
            ap_rprintf(r, " %s=%" APR_UINT64_T_FMT, gql_stats_names[k], n[k]);
        }
        ap_rputs("\n", r);
    }
    if (!brief) {
        status_row(r, -1, total);
        ap_rputs("</table>\n<table border=\"1\"><tr><th>extensions.code"
                 "</th><th>Errors</th></tr>\n", r);
    }
    for (k = 0; k < GQL_STAT_CODES && brief; k++) {
        ap_rprintf(r, "GraphQL%s: %" APR_UINT64_T_FMT "\n", status_keys[k],
                   total[k]);
    }
    for (k = GQL_STAT_CODES; k < GQL_NSTATS; k++) {
        ap_rprintf(r, brief ? "GraphQLErrorCode_%s: %" APR_UINT64_T_FMT "\n"
                   : "<tr><td>%s</td><td>%" APR_UINT64_T_FMT "</td></tr>\n",
                   gql_stats_names[k], total[k]);
    }
    if (!brief) {
        ap_rputs("</table>\n", r);
    }
    return OK;
}

/* gql_sql_env_t.acquire: the request's connection (libpq's, under the
 * pooled handle), from mod_dbd's pool on first use, with the pool that
 * lives as long as that connection.  A failure is remembered: the other
 * fields of the request do not try again.  mod_dbd gives the connection
 * back at r->pool's cleanup; gql_sql_begin() registers, after this
 * returns, the cleanup that rolls back a transaction still open then,
 * which therefore runs first: the one place that ends transactions is the
 * SQL stage. */
static void *graphql_acquire(void *baton, apr_pool_t **conn_pool,
                             const char **why)
{
    graphql_req *q = baton;
    ap_dbd_t *dbd;

    if (q->conn != NULL || q->failed != NULL) {
        *why = q->failed;
        *conn_pool = q->conn_pool;
        return q->conn;
    }
    dbd = timed_acquire(q->r);
    if (dbd == NULL) {
        q->failed = "mod_dbd has no connection (see its log lines: "
                    "DBDriver and DBDParams, or the database is down; "
                    "while it is, tries are a second or more apart)";
    }
    else if (strcmp(apr_dbd_name(dbd->driver), "pgsql") != 0) {
        graphql_log(q, 1, "GQL00002", apr_psprintf(q->r->pool, "DBDriver "
                    "is %s: mod_graphql needs pgsql",
                    apr_dbd_name(dbd->driver)));
        q->misconfigured = 1;
        q->failed = "DBDriver is not pgsql";
    }
    else {
        q->conn = apr_dbd_native_handle(dbd->driver, dbd->handle);
        q->conn_pool = dbd->pool;
    }
    *why = q->failed;
    *conn_pool = q->conn_pool;
    return q->conn;
}

/* A response of one GraphQL error with extensions.code, and no data. */
static int coded_error(request_rec *r, int status, gql_media_e media,
                       const char *code, const char *message)
{
    apr_array_header_t *errors = gql_errors_make(r->pool);
    gql_error_t *e = gql_error_add(r->pool, errors, NULL, "%s", message);

    e->code = code;
    apr_table_setn(r->notes, ERRORS_NOTE, "1");
    count_codes(r, errors);
    return respond(r, status, media, gql_json_response(r->pool, errors,
                                                       NULL, 0));
}

/* 401 with a GraphQL errors body: a token was sent and is not good.  A
 * bad token is never taken for no token. */
static int unauthenticated(request_rec *r, gql_media_e media,
                           const char *why)
{
    ap_log_rerror(APLOG_MARK, APLOG_INFO, 0, r, "GQL00020: 401 "
                  "UNAUTHENTICATED: %s", why);
    apr_table_setn(r->err_headers_out, "WWW-Authenticate",
                   "Bearer error=\"invalid_token\"");
    return coded_error(r, HTTP_UNAUTHORIZED, media, "UNAUTHENTICATED", why);
}

/* 503: the deadline passed before the first field ran (reading the body
 * and preparing the document took the whole time). */
static int too_late(request_rec *r, const graphql_dir_conf *conf,
                    gql_media_e media)
{
    ap_log_rerror(APLOG_MARK, APLOG_INFO, 0, r, "GQL00013: the request "
                  "passed GraphQLRequestTimeout (%d ms) before it ran",
                  request_timeout(conf));
    return coded_error(r, HTTP_SERVICE_UNAVAILABLE, media, "REQUEST_TIMEOUT",
                       apr_psprintf(r->pool, "The request took longer than "
                                    "its limit of %d ms "
                                    "(GraphQLRequestTimeout).",
                                    request_timeout(conf)));
}

/* The role the caller takes into *role (NULL: the connecting user's), or
 * the refusal's status (401, 403) with *why, before anything runs. */
static int role_of(request_rec *r, const graphql_dir_conf *conf,
                   json_object *claims, const char **role, const char **why)
{
    int st = gql_sql_role(&conf->roles, claims, role, why);

    if (st == HTTP_UNAUTHORIZED) {
        apr_table_setn(r->err_headers_out, "WWW-Authenticate", "Bearer");
    }
    return st;
}

/* The verified claims of a token sent into *claims (NULL: none sent), or
 * why it is refused.  Schemes other than Bearer and JWT (Basic...)
 * belong to other modules and leave the request without a token. */
static const char *token_caller(request_rec *r, const graphql_dir_conf *conf,
                                json_object **claims)
{
    const char *header = apr_table_get(r->headers_in, "Authorization");
    const char *token = gql_jwt_from_header(header);
    const char *why = NULL;
    gql_jwt_rules_t rules;

    if (token == NULL && header != NULL
        && (ap_cstr_casecmp(header, "Bearer") == 0
            || ap_cstr_casecmp(header, "JWT") == 0)) {
        /* httpd strips the blanks after a scheme with no token. */
        token = "";
    }
    if (token == NULL) {
        return NULL;
    }
    if (conf->jwt_key == NULL && gql_jwt_keys_count(conf->jwt_keys) == 0) {
        return "This endpoint accepts no tokens (no GraphQLJWTSecret, "
               "GraphQLJWTKey or GraphQLJWKS).";
    }
    rules.secret = conf->jwt_key;
    rules.secret_len = conf->jwt_key_len;
    rules.keys = conf->jwt_keys;
    rules.issuer = conf->jwt_issuer;
    rules.audience = conf->jwt_audience;
    rules.now = apr_time_sec(r->request_time);
    rules.leeway = GQL_JWT_LEEWAY;
    rules.require_exp = conf->jwt_require_exp != 0;
    if (!gql_jwt_check(r->pool, token, strlen(token), &rules, claims,
                       &why)) {
        *claims = NULL;
        return why;
    }
    return NULL;
}

/* The claims of the user httpd authenticated into *claims (NULL: none):
 * sub, and the variables GraphQLCallerEnv names that the request has. */
static const char *httpd_caller(request_rec *r, const graphql_dir_conf *conf,
                                json_object **claims)
{
    int i, n = conf->caller_env ? conf->caller_env->nelts : 0;
    const char **names = apr_palloc(r->pool, sizeof(*names) * (n + 1));
    const char **values = apr_palloc(r->pool, sizeof(*values) * (n + 1));
    const char *why = NULL;

    if (r->user == NULL) {
        return NULL;
    }
    for (i = 0; i < n; i++) {
        const graphql_env_claim *e = &APR_ARRAY_IDX(conf->caller_env, i,
                                                    graphql_env_claim);

        names[i] = e->claim;
        values[i] = apr_table_get(r->subprocess_env, e->name);
    }
    *claims = gql_jwt_user_claims(r->pool, r->user, names, values, n, &why);
    return why;
}

/* With GraphQLCaller both, a token and a user: the token's claims, if
 * its sub is the user, with the user's claims it does not have. */
static const char *agree(json_object *token, json_object *user)
{
    struct json_object_iter it;
    json_object *sub;

    if (!json_object_object_get_ex(token, "sub", &sub)
        || !json_object_is_type(sub, json_type_string)
        || strcmp(json_object_get_string(sub),
                  json_object_get_string(json_object_object_get(user,
                                                                "sub")))) {
        return "The token's subject (sub) is not the user httpd "
               "authenticated.";
    }
    json_object_object_foreachC(user, it) {
        if (!json_object_object_get_ex(token, it.key, NULL)) {
            json_object_object_add(token, it.key, gql_json_ref(it.val));
        }
    }
    return NULL;
}

/* The verified claims of the caller into *claims (NULL: anonymous), or
 * why the request is refused, from the sources GraphQLCaller trusts (a
 * token by default). */
static const char *caller(request_rec *r, const graphql_dir_conf *conf,
                          json_object **claims)
{
    int trust = conf->caller != -1 ? conf->caller : CALLER_TOKEN;
    json_object *user = NULL;
    const char *why;

    *claims = NULL;
    if ((trust & CALLER_HTTPD)
        && (why = httpd_caller(r, conf, &user)) != NULL) {
        return why;
    }
    if ((trust & CALLER_TOKEN)
        && (why = token_caller(r, conf, claims)) != NULL) {
        return why;
    }
    if (*claims == NULL) {
        *claims = user;
        return NULL;
    }
    return user != NULL ? agree(*claims, user) : NULL;
}

/* The caller's sub, for LogFormat (none: anonymous, or no sub). */
static void sub_note(request_rec *r, json_object *claims)
{
    json_object *sub;

    if (claims != NULL && json_object_object_get_ex(claims, "sub", &sub)
        && json_object_is_type(sub, json_type_string)) {
        apr_table_set(r->notes, SUB_NOTE, json_object_get_string(sub));
    }
}

/* The SQL stage's environment of a request (or of a subscription's
 * event) run by q, whose caller has claims and role, until deadline. */
static void sql_env(const graphql_dir_conf *conf, graphql_req *q,
                    json_object *claims, const char *role,
                    apr_time_t deadline, gql_sql_env_t *env)
{
    memset(env, 0, sizeof(*env));
    env->acquire = graphql_acquire;
    env->log = graphql_log;
    env->baton = q;
    env->claims = claims;
    env->role = role;
    env->jwt_secret = conf->jwt_key;
    env->jwt_secret_len = conf->jwt_key_len;
    env->jwt_lifetime = conf->jwt_lifetime != -1 ? conf->jwt_lifetime
                                                 : DEFAULT_JWT_LIFETIME;
    /* No one statement outlives the request's limit: a backstop for the
     * cancel at the deadline. */
    env->statement_timeout_ms = statement_timeout(conf);
    env->request_timeout_ms = request_timeout(conf);
    if (env->request_timeout_ms && (env->statement_timeout_ms == 0
        || env->request_timeout_ms < env->statement_timeout_ms)) {
        env->statement_timeout_ms = env->request_timeout_ms;
    }
    env->deadline = deadline;
    env->max_statements = conf->max_statements != -1 ? conf->max_statements
                                                     : DEFAULT_MAX_STATEMENTS;
    env->max_result_size = (apr_size_t)(conf->max_result != -1
                                        ? conf->max_result
                                        : DEFAULT_MAX_RESULT);
}

/* Run op with the SQL resolvers into res.  Returns the HTTP status the
 * database's state asks for: 0, 503 (unavailable) or 500 (DBDriver is not
 * pgsql). */
static int run(request_rec *r, const graphql_dir_conf *conf,
               const gql_operation_t *op, json_object *claims,
               const char *role, apr_time_t deadline, gql_result_t *res)
{
    graphql_req *q = apr_pcalloc(r->pool, sizeof(*q));
    gql_sql_env_t env;
    gql_execute_opts_t opts;
    gql_resolvers_t resolvers;
    gql_sql_ctx_t *ctx;
    int st;

    q->r = r;
    sql_env(conf, q, claims, role, deadline, &env);
    opts.cost = conf->cost;
    opts.list_size = limit(conf, LIMIT_LIST_SIZE);
    opts.max_cost = limit(conf, LIMIT_COST);
    ctx = gql_sql_begin(r->pool, conf->schema, conf->sql, &env, op);
    gql_sql_resolvers(ctx, &resolvers);
    gql_execute_run(r->pool, op, &resolvers, NULL, &opts, res);
    if (res->has_data && res->cost >= 0) {
        apr_table_setn(r->notes, COST_NOTE,
                       apr_psprintf(r->pool, "%" APR_INT64_T_FMT,
                                    res->cost));
    }
    st = gql_sql_finish(ctx, res);
    apr_table_setn(r->notes, STATEMENTS_NOTE,
                   apr_itoa(r->pool, gql_sql_statements(ctx)));
    times_of(r)->sql = gql_sql_waited(ctx);
    apr_table_setn(r->notes, SQL_TIME_NOTE,
                   apr_psprintf(r->pool, "%" APR_TIME_T_FMT,
                                times_of(r)->sql));
    return q->misconfigured ? HTTP_INTERNAL_SERVER_ERROR : st;
}

/* ---- persisted documents: requests --------------------------------- */

/* The shared cache's mutex, when its provider needs one. */
static int apq_lock(request_rec *r)
{
    apr_status_t rv = graphql_apq_mutex == NULL ? APR_SUCCESS
                      : apr_global_mutex_lock(graphql_apq_mutex);

    if (rv != APR_SUCCESS) {
        ap_log_rerror(APLOG_MARK, APLOG_ERR, rv, r, "GQL00061: the mutex "
                      "of GraphQLPersistedQueries cannot be taken");
    }
    return rv == APR_SUCCESS;
}

static void apq_unlock(void)
{
    if (graphql_apq_mutex != NULL) {
        apr_global_mutex_unlock(graphql_apq_mutex);
    }
}

/* Keep text[0..len), whose SHA-256 is hash, in the shared cache, unless
 * it is larger than GraphQLPersistedMaxSize. */
static void apq_store(request_rec *r, const char *hash, const char *text,
                      apr_size_t len)
{
    apr_status_t rv;

    if (len > apq_max() || !apq_lock(r)) {
        apr_table_setn(r->notes, PERSISTED_NOTE, "apq-refused");
        return;
    }
    rv = graphql_apq->store(graphql_apq_cache, r->server,
                            (const unsigned char *)hash, GQL_PERSIST_HEX,
                            apr_time_now() + APQ_LIFETIME,
                            (unsigned char *)apr_pstrmemdup(r->pool, text,
                                                            len),
                            (unsigned int)len, r->pool);
    apq_unlock();
    if (rv != APR_SUCCESS) {
        ap_log_rerror(APLOG_MARK, APLOG_WARNING, rv, r, "GQL00062: a "
                      "persisted query of %" APR_SIZE_T_FMT " bytes could "
                      "not be stored in the %s cache", len,
                      graphql_apq->name);
    }
    apr_table_setn(r->notes, PERSISTED_NOTE, rv == APR_SUCCESS
                   ? "apq-stored" : "apq-refused");
}

/* The text the shared cache keeps under hash, in r->pool, or NULL. */
static const char *apq_fetch(request_rec *r, const char *hash,
                             apr_size_t *len)
{
    unsigned int n = (unsigned int)apq_max();
    unsigned char *buf = apr_palloc(r->pool, n + 1);
    apr_status_t rv;

    if (!apq_lock(r)) {
        return NULL;
    }
    rv = graphql_apq->retrieve(graphql_apq_cache, r->server,
                               (const unsigned char *)hash, GQL_PERSIST_HEX,
                               buf, &n, r->pool);
    apq_unlock();
    if (rv != APR_SUCCESS) {
        return NULL;
    }
    buf[n] = '\0';
    *len = n;
    return (const char *)buf;
}

/* Whether the request carries what may name a caller: a cache must not
 * keep what it is answered. */
static int has_credentials(request_rec *r)
{
    return r->user != NULL || apr_table_get(r->headers_in, "Authorization")
           || apr_table_get(r->headers_in, "Cookie");
}

/* A GET that names its document by id may be kept by caches. */
static void cacheable(request_rec *r, const graphql_dir_conf *conf)
{
    if (r->method_number == M_GET && conf->persisted_cache_control
        && *conf->persisted_cache_control && !has_credentials(r)) {
        apr_table_setn(r->notes, CACHE_CONTROL_NOTE,
                       conf->persisted_cache_control);
    }
}

/* The request runs the loaded document d (the operation op when it names
 * none). */
static int run_loaded(request_rec *r, const graphql_dir_conf *conf,
                      gql_request_t *req, const gql_persist_doc_t *d,
                      const char *op, int by_id)
{
    req->query = d->text;
    req->query_len = d->len;
    if (req->operation_name == NULL || *req->operation_name == '\0') {
        req->operation_name = op;
    }
    apr_pool_userdata_setn(d, PERSISTED_KEY, NULL, r->pool);
    apr_table_setn(r->notes, PERSISTED_NOTE, "id");
    if (by_id) {
        cacheable(r, conf);
    }
    return DECLINED;
}

/* The errors of persisted documents.  Under application/json an unknown
 * id is 200, as Apollo's clients expect before they send the text;
 * under application/graphql-response+json it is 404, as nothing was
 * found.  A text that the allowlist refuses is 403 under both. */
static int not_found(request_rec *r, gql_media_e media)
{
    apr_table_setn(r->notes, PERSISTED_NOTE, "apq-miss");
    return coded_error(r, media == GQL_MEDIA_GRAPHQL_RESPONSE
                       ? HTTP_NOT_FOUND : HTTP_OK, media,
                       "PERSISTED_QUERY_NOT_FOUND", "PersistedQueryNotFound");
}

static int not_listed(request_rec *r, gql_media_e media)
{
    return coded_error(r, HTTP_FORBIDDEN, media, "PERSISTED_QUERY_REQUIRED",
                       "Only persisted documents run here "
                       "(GraphQLPersistedOnly): send the documentId of one.");
}

/* A hash and its text (Apollo's second step): the hash must be the
 * text's; a loaded document runs as one, another is stored in the
 * shared cache (unless only loaded ones may run) and run as a text. */
static int hash_and_text(request_rec *r, const graphql_dir_conf *conf,
                         gql_media_e media, gql_request_t *req,
                         const char *hash)
{
    char hex[GQL_PERSIST_HEX + 1];
    const gql_persist_doc_t *d;
    const char *op;

    gql_persist_sha256(req->query, req->query_len, hex);
    if (strcmp(hex, hash) != 0) {
        return coded_error(r, HTTP_BAD_REQUEST, media,
                           "PERSISTED_QUERY_HASH_MISMATCH", "The persisted "
                           "query's sha256Hash is not the SHA-256 of its "
                           "query.");
    }
    if ((d = gql_persist_find(conf->documents, hash, &op)) != NULL) {
        return run_loaded(r, conf, req, d, op, 0);
    }
    if (conf->persisted_only == 1) {
        return not_listed(r, media);
    }
    if (graphql_apq != NULL) {
        apq_store(r, hash, req->query, req->query_len);
    }
    return DECLINED;
}

/*
 * Persisted documents, before answer(): a documentId (GraphQL over HTTP)
 * or Apollo's persistedQuery hash names a document loaded by
 * GraphQLDocuments, or one the shared cache keeps (automatic persisted
 * queries, with GraphQLPersistedOnly Off); with GraphQLPersistedOnly On
 * a text runs only when it is a loaded document's, which its SHA-256
 * says without parsing it.  Returns DECLINED when the request goes on
 * (req->query now the text to run), else the status of the response it
 * sent.
 */
static int persisted(request_rec *r, const graphql_dir_conf *conf,
                     gql_media_e media, gql_request_t *req)
{
    const char *hash = NULL, *msg = NULL, *op, *id = req->document_id;
    const gql_persist_doc_t *d;
    char hex[GQL_PERSIST_HEX + 1];
    apr_size_t len;

    if (gql_persist_request_hash(r->pool, req->extensions, &hash,
                                 &msg) < 0) {
        return coded_error(r, HTTP_BAD_REQUEST, media, "BAD_REQUEST", msg);
    }
    if (id != NULL && (req->query != NULL || hash != NULL)) {
        return coded_error(r, HTTP_BAD_REQUEST, media, "BAD_REQUEST",
                           "A request with a documentId has no query and no "
                           "persistedQuery extension.");
    }
    if (id == NULL && hash == NULL) {
        if (conf->persisted_only != 1) {
            return DECLINED;
        }
        gql_persist_sha256(req->query, req->query_len, hex);
        d = gql_persist_find(conf->documents, hex, &op);
        return d ? run_loaded(r, conf, req, d, op, 0) : not_listed(r, media);
    }
    if (req->query != NULL) {
        return hash_and_text(r, conf, media, req, hash);
    }
    if ((d = gql_persist_find(conf->documents, id ? id : hash, &op))) {
        return run_loaded(r, conf, req, d, op, 1);
    }
    if (conf->persisted_only == 1
        || (id != NULL && !gql_persist_is_hash(id, hex))) {
        return not_found(r, media);
    }
    if (graphql_apq == NULL) {
        return coded_error(r, media == GQL_MEDIA_GRAPHQL_RESPONSE
                           ? HTTP_BAD_REQUEST : HTTP_OK, media,
                           "PERSISTED_QUERY_NOT_SUPPORTED",
                           "PersistedQueryNotSupported");
    }
    req->query = apq_fetch(r, hash ? hash : hex, &len);
    if (req->query == NULL) {
        return not_found(r, media);
    }
    req->query_len = len;
    apr_table_setn(r->notes, PERSISTED_NOTE, "apq-hit");
    cacheable(r, conf);
    return DECLINED;
}

/* The request's prepared document: a loaded one's, prepared at start-up
 * for this location's schema and limits, or else the document cache's
 * for its text; DOCUMENT_NOTE says which. */
static const gql_prepared_t *prepare(request_rec *r,
                                     const graphql_dir_conf *conf,
                                     const gql_validate_opts_t *opts,
                                     const gql_request_t *req,
                                     apr_array_header_t *errors)
{
    void *d = NULL;
    const gql_prepared_t *doc;
    int hit = 0;

    apr_pool_userdata_get(&d, PERSISTED_KEY, r->pool);
    if (d != NULL && (doc = gql_persist_prepared(conf->documents, d,
                                                 conf->schema, opts))) {
        apr_table_setn(r->notes, DOCUMENT_NOTE, "persisted");
        return doc;
    }
    doc = gql_cache_prepare(graphql_doc_cache, r->pool, conf->schema, opts,
                            req->query, req->query_len, errors, &hit);
    apr_table_setn(r->notes, DOCUMENT_NOTE, hit ? "cached" : "prepared");
    return doc;
}

/*
 * Subscriptions: GraphQL over Server-Sent Events (gql_sse.h), fed by the
 * child's listener of PostgreSQL notifications (gql_listen.h).  A stream
 * holds its worker thread for as long as it lasts: GraphQLMaxSubscriptions
 * bounds them per child.  Every SSE_TICK the stream looks whether the
 * child is stopping (a graceful restart or stop), then ends with
 * complete; every GraphQLHeartbeat it writes a comment, which fails once
 * the client has gone.  Each notification runs the operation with the
 * subscriber's caller, on a pooled connection taken for it and given back
 * (ap_dbd_open, ap_dbd_close), in a pool of its own: a stream's memory
 * does not grow with its events.
 */

/* How often a stream looks at the child's state, and how long a
 * subscriber waits for the listener's LISTEN. */
#define SSE_TICK apr_time_from_msec(250)
#define LISTEN_WAIT apr_time_from_sec(10)
#define DEFAULT_HEARTBEAT 15            /* seconds */
/* What a client refused for the limit is told to wait (seconds). */
#define SUBSCRIBE_RETRY "5"

static APR_OPTIONAL_FN_TYPE(ap_dbd_open) *graphql_dbd_open;
static APR_OPTIONAL_FN_TYPE(ap_dbd_close) *graphql_dbd_close;

/* The child's listeners: server_rec * -> its gql_listen_t, made when its
 * first subscriber arrives, one per database (conninfo -> the same); the
 * lock guards the table, the listeners lock themselves. */
static apr_thread_mutex_t *graphql_listen_lock;
static apr_hash_t *graphql_listeners;
static apr_pool_t *graphql_pchild;

static void sse_child_init(apr_pool_t *pchild)
{
    graphql_dbd_open = APR_RETRIEVE_OPTIONAL_FN(ap_dbd_open);
    graphql_dbd_close = APR_RETRIEVE_OPTIONAL_FN(ap_dbd_close);
    apr_thread_mutex_create(&graphql_listen_lock, APR_THREAD_MUTEX_DEFAULT,
                            pchild);
    graphql_listeners = apr_hash_make(pchild);
    graphql_pchild = pchild;
}

/* GraphQLMaxSubscriptions here: set, or half the child's threads. */
static int max_subscriptions(const graphql_dir_conf *conf)
{
    int threads = 0;

    if (conf->max_subscriptions != -1) {
        return conf->max_subscriptions;
    }
    if (ap_mpm_query(AP_MPMQ_MAX_THREADS, &threads) != APR_SUCCESS
        || threads < 2) {
        return 1;
    }
    return threads / 2;
}

/* libpq's conninfo of a connection: its parameters as set, each quoted. */
static const char *conninfo_of(apr_pool_t *p, PGconn *pg)
{
    PQconninfoOption *opts = PQconninfo(pg), *o;
    const char *out = "";

    for (o = opts; o && o->keyword; o++) {
        const char *c;
        char *v, *w;

        if (o->val == NULL || *o->val == '\0') {
            continue;
        }
        v = w = apr_palloc(p, 2 * strlen(o->val) + 1);
        for (c = o->val; *c; c++) {
            if (*c == '\'' || *c == '\\') {
                *w++ = '\\';
            }
            *w++ = *c;
        }
        *w = '\0';
        out = apr_pstrcat(p, out, *out ? " " : "", o->keyword, "='", v, "'",
                          NULL);
    }
    PQconninfoFree(opts);
    return out;
}

/* The listener of r's server, made on first use with the parameters of
 * a connection of mod_dbd's pool (read, then given back at once); NULL
 * with *why when there is none. */
static gql_listen_t *listener(request_rec *r, const char **why)
{
    server_rec **key = &r->server;
    gql_listen_t *l;
    ap_dbd_t *dbd;
    const char *info = NULL;

    apr_thread_mutex_lock(graphql_listen_lock);
    l = apr_hash_get(graphql_listeners, key, sizeof(*key));
    apr_thread_mutex_unlock(graphql_listen_lock);
    if (l != NULL) {
        return l;
    }
    dbd = graphql_dbd_open ? graphql_dbd_open(r->pool, r->server) : NULL;
    if (dbd == NULL || strcmp(apr_dbd_name(dbd->driver), "pgsql") != 0) {
        *why = dbd ? "DBDriver is not pgsql" : "mod_dbd has no connection";
    }
    else {
        info = conninfo_of(r->pool, apr_dbd_native_handle(dbd->driver,
                                                          dbd->handle));
    }
    if (dbd != NULL) {
        graphql_dbd_close(r->server, dbd);
    }
    if (info == NULL) {
        return NULL;
    }
    apr_thread_mutex_lock(graphql_listen_lock);
    l = apr_hash_get(graphql_listeners, info, APR_HASH_KEY_STRING);
    if (l == NULL) {
        l = gql_listen_make(graphql_pchild, info);
        apr_hash_set(graphql_listeners, apr_pstrdup(graphql_pchild, info),
                     APR_HASH_KEY_STRING, l);
    }
    apr_hash_set(graphql_listeners, apr_pmemdup(graphql_pchild, key,
                                                sizeof(*key)),
                 sizeof(*key), l);
    apr_thread_mutex_unlock(graphql_listen_lock);
    return l;
}

/* One event's run: the request's callbacks, with a connection of its own
 * taken from mod_dbd's pool when the first field needs it. */
typedef struct graphql_event {
    graphql_req q;                  /* first: graphql_log's baton */
    apr_pool_t *pool;               /* the event's SQL context's */
    ap_dbd_t *dbd;                  /* to give back; NULL: none taken */
} graphql_event;

/* gql_sql_env_t.acquire for an event. */
static void *event_acquire(void *baton, apr_pool_t **conn_pool,
                           const char **why)
{
    graphql_event *e = baton;
    graphql_req *q = &e->q;

    if (q->conn == NULL && q->failed == NULL) {
        e->dbd = graphql_dbd_open ? graphql_dbd_open(e->pool, q->r->server)
                                  : NULL;
        if (e->dbd == NULL) {
            q->failed = "mod_dbd has no connection";
        }
        else if (strcmp(apr_dbd_name(e->dbd->driver), "pgsql") != 0) {
            q->failed = "DBDriver is not pgsql";
        }
        else {
            q->conn = apr_dbd_native_handle(e->dbd->driver, e->dbd->handle);
            q->conn_pool = e->dbd->pool;
        }
    }
    *why = q->failed;
    *conn_pool = q->conn_pool;
    return q->conn;
}

/* The stream's writes: bb, made once in r->pool, is emptied after each,
 * so that nothing of r->pool grows with the events.  Returns 0, or -1
 * when the client has gone. */
static int sse_write(request_rec *r, apr_bucket_brigade *bb,
                     const char *text, apr_size_t len)
{
    apr_bucket_alloc_t *ba = r->connection->bucket_alloc;
    apr_status_t rv;

    APR_BRIGADE_INSERT_TAIL(bb, apr_bucket_heap_create(text, len, NULL, ba));
    APR_BRIGADE_INSERT_TAIL(bb, apr_bucket_flush_create(ba));
    rv = ap_pass_brigade(r->output_filters, bb);
    apr_brigade_cleanup(bb);
    return rv == APR_SUCCESS && !r->connection->aborted ? 0 : -1;
}

static int sse_event(request_rec *r, apr_bucket_brigade *bb, apr_pool_t *p,
                     const char *event, const char *data)
{
    apr_size_t len;
    const char *text = gql_sse_event(p, event, data, &len);

    return sse_write(r, bb, text, len);
}

/* The stream's response head, sent at once. */
static apr_bucket_brigade *sse_start(request_rec *r)
{
    apr_bucket_brigade *bb = apr_brigade_create(r->pool,
                                                r->connection->bucket_alloc);

    r->status = HTTP_OK;
    ap_set_content_type(r, GQL_SSE_MEDIA);
    apr_table_setn(r->headers_out, "Cache-Control", "no-store");
    apr_table_mergen(r->headers_out, "Vary", "Accept");
    /* A proxy that buffers (nginx's) would hold the events back. */
    apr_table_setn(r->headers_out, "X-Accel-Buffering", "no");
    /* No gzip or deflate filter either: it would buffer too. */
    apr_table_setn(r->subprocess_env, "no-gzip", "1");
    return bb;
}

/* A GraphQL error response with extensions.code, for an event. */
static const char *coded_body(apr_pool_t *p, const char *code,
                              const char *message)
{
    apr_array_header_t *errors = gql_errors_make(p);

    gql_error_add(p, errors, NULL, "%s", message)->code = code;
    return gql_json_response(p, errors, NULL, 0);
}

/* Run op for one notification's payload: the response's text, in p, or
 * NULL when the statement found no row (no event for this subscriber).
 * The SQL stage's context lives in a pool of its own, destroyed (which
 * rolls back a transaction left open) before the connection goes back
 * to mod_dbd's pool. */
static const char *event_response(request_rec *r,
                                  const graphql_dir_conf *conf,
                                  const gql_operation_t *op,
                                  json_object *claims, const char *role,
                                  apr_pool_t *p, const char *payload,
                                  apr_size_t len)
{
    graphql_event *e = apr_pcalloc(p, sizeof(*e));
    gql_result_t res = { NULL, NULL, 0, -1 };
    gql_execute_opts_t opts;
    gql_resolvers_t resolvers;
    gql_sql_event_t ev;
    gql_sql_env_t env;
    gql_sql_ctx_t *ctx;
    const char *out = NULL;
    int st;

    apr_pool_create(&e->pool, p);
    e->q.r = r;
    sql_env(conf, &e->q, claims, role, request_timeout(conf)
            ? apr_time_now() + apr_time_from_msec(request_timeout(conf)) : 0,
            &env);
    env.acquire = event_acquire;
    env.baton = e;
    opts.cost = conf->cost;
    opts.list_size = limit(conf, LIMIT_LIST_SIZE);
    opts.max_cost = 0;                  /* checked when it subscribed */
    res.errors = gql_errors_make(e->pool);
    ctx = gql_sql_begin(e->pool, conf->schema, conf->sql, &env, op);
    gql_sql_event_resolvers(ctx, &ev, &resolvers);
    gql_execute_run(e->pool, op, &resolvers,
                    gql_json_own(e->pool, gql_sql_event_row(payload, len)),
                    &opts, &res);
    st = gql_sql_finish(ctx, &res);
    if (!ev.no_row || st != 0) {
        out = apr_pstrdup(p, gql_json_response(e->pool, res.errors, res.data,
                                               res.has_data));
    }
    apr_pool_destroy(e->pool);
    if (e->dbd != NULL) {
        graphql_dbd_close(r->server, e->dbd);
    }
    return out;
}

/* Why a stream ends without complete: an error event's code and message
 * for what the listener said. */
static const char *sse_end_error(apr_pool_t *p, gql_listen_e what)
{
    return what == GQL_LISTEN_BEHIND
           ? coded_body(p, "SUBSCRIPTION_BEHIND", "The subscriber did not "
                        "keep up with its events, and some were dropped: "
                        "subscribe again.")
           : coded_body(p, "SUBSCRIPTION_LOST", "The server lost its "
                        "connection to the database's notifications: "
                        "subscribe again.");
}

/* Whether the child is stopping (graceful restart or stop). */
static int stopping(void)
{
    int state = AP_MPMQ_RUNNING;

    return ap_mpm_query(AP_MPMQ_MPM_STATE, &state) == APR_SUCCESS
           && state == AP_MPMQ_STOPPING;
}

/* Stream sub's events to the client until it goes, the listener fails or
 * the child stops. */
static int sse_loop(request_rec *r, const graphql_dir_conf *conf,
                    const gql_operation_t *op, json_object *claims,
                    const char *role, gql_listen_sub_t *sub,
                    apr_bucket_brigade *bb)
{
    apr_interval_time_t beat = apr_time_from_sec(conf->heartbeat != -1
                                                 ? conf->heartbeat
                                                 : DEFAULT_HEARTBEAT);
    apr_time_t next_beat = apr_time_now() + beat;
    apr_pool_t *p;
    int gone = sse_write(r, bb, GQL_SSE_HEARTBEAT,
                         sizeof(GQL_SSE_HEARTBEAT) - 1);

    apr_pool_create(&p, r->pool);
    while (!gone) {
        const char *payload = NULL, *body;
        apr_size_t len = 0;
        gql_listen_e what = gql_listen_next(sub, SSE_TICK, p, &payload,
                                            &len);

        if (what == GQL_LISTEN_EVENT) {
            body = event_response(r, conf, op, claims, role, p, payload,
                                  len);
            gone = body && sse_event(r, bb, p, "next", body);
        }
        else if (what == GQL_LISTEN_CLOSED || stopping()) {
            sse_event(r, bb, p, "complete", "");
            break;
        }
        else if (what != GQL_LISTEN_TICK) {
            ap_log_rerror(APLOG_MARK, APLOG_INFO, 0, r, "GQL00060: a "
                          "subscription ends: %s", what == GQL_LISTEN_BEHIND
                          ? "its queue overflowed" : "the listener's "
                          "connection was lost");
            sse_event(r, bb, p, "next", sse_end_error(p, what));
            break;
        }
        else if (apr_time_now() >= next_beat) {
            gone = sse_write(r, bb, GQL_SSE_HEARTBEAT,
                             sizeof(GQL_SSE_HEARTBEAT) - 1);
            next_beat = apr_time_now() + beat;
        }
        apr_pool_clear(p);
    }
    apr_pool_destroy(p);
    /* No keep-alive: a stream's end is the connection's. */
    r->connection->keepalive = AP_CONN_CLOSE;
    return OK;
}

/* The executor's resolver for a subscription's dry run: nothing. */
static const char *dry(gql_resolve_t *b)
{
    (void)b;
    return NULL;
}

/* A subscription: checked (a dry run coerces its variables and costs it:
 * what fails there is an HTTP error, before any stream), subscribed,
 * then streamed. */
static int subscribe(request_rec *r, const graphql_dir_conf *conf,
                     gql_media_e media, const gql_operation_t *op,
                     json_object *claims, const char *role)
{
    const char *field, *why = NULL;
    const char *channel = gql_sql_channel(conf->sql, conf->schema, op,
                                          &field);
    gql_listen_sub_t *sub = NULL;
    gql_result_t res = { NULL, NULL, 0, -1 };
    gql_execute_opts_t opts;
    gql_resolvers_t resolvers = { dry, NULL, NULL };
    gql_listen_t *l;
    int st;

    opts.cost = conf->cost;
    opts.list_size = limit(conf, LIMIT_LIST_SIZE);
    opts.max_cost = limit(conf, LIMIT_COST);
    res.errors = gql_errors_make(r->pool);
    gql_execute_run(r->pool, op, &resolvers, NULL, &opts, &res);
    if (!res.has_data) {
        apr_table_setn(r->notes, ERRORS_NOTE,
                       apr_itoa(r->pool, res.errors->nelts));
        return respond(r, HTTP_BAD_REQUEST, media,
                       gql_json_response(r->pool, res.errors, NULL, 0));
    }
    if (channel == NULL) {
        return request_error(r, HTTP_BAD_REQUEST, media, apr_psprintf(r->pool,
                             "Subscription.%s cannot be subscribed to: the "
                             "schema gives it no @listen.", field));
    }
    l = listener(r, &why);
    st = l ? gql_listen_subscribe(l, r->pool, channel, max_subscriptions(conf),
                                  LISTEN_WAIT, &sub, &why) : -1;
    if (st == 1) {
        ap_log_rerror(APLOG_MARK, APLOG_INFO, 0, r, "GQL00061: 503: "
                      "GraphQLMaxSubscriptions (%d) reached",
                      max_subscriptions(conf));
        apr_table_setn(r->err_headers_out, "Retry-After", SUBSCRIBE_RETRY);
        return coded_error(r, HTTP_SERVICE_UNAVAILABLE, media,
                           "TOO_MANY_SUBSCRIPTIONS", "This server has as "
                           "many subscriptions open as it takes "
                           "(GraphQLMaxSubscriptions): try again later.");
    }
    if (st != 0) {
        ap_log_rerror(APLOG_MARK, APLOG_ERR, 0, r, "GQL00062: cannot "
                      "listen on channel %s: %s", channel, why);
        return coded_error(r, HTTP_SERVICE_UNAVAILABLE, media,
                           "DATABASE_UNAVAILABLE", "The database's "
                           "notifications cannot be followed now.");
    }
    return sse_loop(r, conf, op, claims, role, sub, sse_start(r));
}

/* A query or mutation asked for as an event stream: its one result as
 * next, then complete. */
static int sse_once(request_rec *r, const graphql_dir_conf *conf,
                    const gql_operation_t *op, json_object *claims,
                    const char *role, apr_time_t deadline,
                    gql_result_t *res)
{
    apr_bucket_brigade *bb;
    int st = run(r, conf, op, claims, role, deadline, res);

    if (st != 0) {
        return coded_error(r, st, GQL_MEDIA_JSON, st == HTTP_SERVICE_UNAVAILABLE
                           ? "DATABASE_UNAVAILABLE" : "INTERNAL_SERVER_ERROR",
                           "The database is not available.");
    }
    apr_table_setn(r->notes, ERRORS_NOTE,
                   apr_itoa(r->pool, res->errors->nelts));
    bb = sse_start(r);
    if (sse_event(r, bb, r->pool, "next", gql_json_response(r->pool,
                  res->errors, res->data, res->has_data)) == 0) {
        sse_event(r, bb, r->pool, "complete", "");
    }
    return OK;
}

/* The part of answer() that streams: a request that accepts
 * text/event-stream, or a subscription, which is refused without it.
 * DECLINED for the others. */
static int sse_answer(request_rec *r, const graphql_dir_conf *conf,
                      gql_media_e media, apr_time_t deadline,
                      const gql_operation_t *op, json_object *claims,
                      const char *role, gql_result_t *res)
{
    int events = gql_request_wants_events(r->pool,
                     apr_table_get(r->headers_in, "Accept"));
    gql_operation_e kind = gql_execute_kind(op);

    if (kind == GQL_OP_SUBSCRIPTION && !events) {
        return request_error(r, HTTP_NOT_ACCEPTABLE, media,
                             "A subscription's events are sent as Server-"
                             "Sent Events: send it with Accept: "
                             "text/event-stream (GraphQL over SSE, as the "
                             "graphql-sse client does).");
    }
    if (!events || (kind == GQL_OP_MUTATION && r->method_number == M_GET)) {
        return DECLINED;
    }
    if (is_past(deadline)) {
        return too_late(r, conf, media);
    }
    if (kind == GQL_OP_SUBSCRIPTION) {
        return subscribe(r, conf, media, op, claims, role);
    }
    return sse_once(r, conf, op, claims, role, deadline, res);
}

/* Answer a request from its GraphQL parameters.  Under
 * application/graphql-response+json a response without data (the
 * document did not parse or validate, or no operation could be run) is
 * 400; under application/json it is 200, as GraphQL over HTTP says. */
static int answer(request_rec *r, const graphql_dir_conf *conf,
                  gql_media_e media, apr_time_t deadline,
                  const gql_request_t *req)
{
    gql_validate_opts_t opts;
    gql_result_t res = { NULL, NULL, 0, -1 };
    const gql_prepared_t *doc;
    gql_operation_t *op = NULL;
    json_object *claims;
    const char *why = caller(r, conf, &claims), *role = NULL;
    apr_time_t t0;
    int failed, st = 0;

    apr_table_setn(r->notes, STATEMENTS_NOTE, "0");
    apr_table_setn(r->notes, SQL_TIME_NOTE, "0");
    if (why != NULL) {
        return unauthenticated(r, media, why);
    }
    sub_note(r, claims);
    if ((st = role_of(r, conf, claims, &role, &why)) != 0) {
        ap_log_rerror(APLOG_MARK, APLOG_INFO, 0, r, "GQL00021: %d %s: %s",
                      st, st == HTTP_UNAUTHORIZED ? "UNAUTHENTICATED"
                      : "FORBIDDEN", why);
        return coded_error(r, st, media, st == HTTP_UNAUTHORIZED
                           ? "UNAUTHENTICATED" : "FORBIDDEN", why);
    }
    if (req->refused != NULL) {
        return coded_error(r, HTTP_BAD_REQUEST, media, "BAD_USER_INPUT",
                           req->refused);
    }
    opts = validate_opts(conf);
    res.errors = gql_errors_make(r->pool);
    t0 = apr_time_now();
    doc = prepare(r, conf, &opts, req, res.errors);
    if (doc != NULL) {
        op = gql_document_select(r->pool, doc, req->operation_name,
                                 req->variables, res.errors);
    }
    times_of(r)->parse = apr_time_now() - t0;
    if (op != NULL) {
        apr_table_setn(r->notes, OPERATION_NOTE, op->def->name.value
                       ? op->def->name.value : "-");
        apr_table_setn(r->notes, TYPE_NOTE,
                       gql_operation_names[gql_execute_kind(op)]);
    }
    if (op != NULL && (st = sse_answer(r, conf, media, deadline, op, claims,
                                       role, &res)) != DECLINED) {
        return st;
    }
    st = 0;
    if (op != NULL && r->method_number == M_GET
        && gql_execute_kind(op) != GQL_OP_QUERY) {
        apr_table_setn(r->headers_out, "Allow", "POST");
        return request_error(r, HTTP_METHOD_NOT_ALLOWED, media,
            apr_psprintf(r->pool, "Can only perform a %s operation from a "
                         "POST request.",
                         gql_operation_names[gql_execute_kind(op)]));
    }
    if (op != NULL && is_past(deadline)) {
        return too_late(r, conf, media);
    }
    if (op != NULL) {
        st = run(r, conf, op, claims, role, deadline, &res);
    }
    failed = !res.has_data && media == GQL_MEDIA_GRAPHQL_RESPONSE;
    if (st == 0) {
        st = failed ? HTTP_BAD_REQUEST : HTTP_OK;
    }
    apr_table_setn(r->notes, ERRORS_NOTE,
                   apr_itoa(r->pool, res.errors->nelts));
    count_codes(r, res.errors);
    return respond(r, st, media, gql_json_response(r->pool, res.errors,
                                                   res.data, res.has_data));
}

/*
 * CORS: a request whose Origin GraphQLCORSOrigins allows gets
 * Access-Control-Allow-Origin (that origin, varying with it, or * for
 * any) and, with GraphQLCORSCredentials On, -Allow-Credentials; a
 * preflight also what it may send.  The headers go in err_headers_out,
 * so that every answer carries them, errors too: a browser shows its
 * script no response, not even a 400's errors, without them.  Another
 * origin gets none, and its browser refuses the response.  Credentials
 * with * (set in different sections) are left out, as browsers would
 * refuse them.
 */
static void cors(request_rec *r, const graphql_dir_conf *conf,
                 int preflight)
{
    const char *origin = apr_table_get(r->headers_in, "Origin");
    apr_table_t *h = r->err_headers_out;
    int any = any_origin(conf->cors_origins), i;

    if (conf->cors_origins == NULL || origin == NULL) {
        return;
    }
    for (i = 0; !any && i < conf->cors_origins->nelts; i++) {
        if (strcasecmp(origin, APR_ARRAY_IDX(conf->cors_origins, i,
                                             const char *)) == 0) {
            break;
        }
    }
    if (!any && i == conf->cors_origins->nelts) {
        return;
    }
    apr_table_setn(h, "Access-Control-Allow-Origin", any ? "*" : origin);
    if (!any) {
        apr_table_mergen(h, "Vary", "Origin");
        if (conf->cors_credentials == 1) {
            apr_table_setn(h, "Access-Control-Allow-Credentials", "true");
        }
    }
    if (preflight) {
        apr_table_setn(h, "Access-Control-Allow-Methods", CORS_METHODS);
        apr_table_setn(h, "Access-Control-Allow-Headers",
                       conf->cors_headers ? conf->cors_headers
                                          : DEFAULT_CORS_HEADERS);
        apr_table_setn(h, "Access-Control-Max-Age",
                       apr_itoa(r->pool, conf->cors_max_age != -1
                                         ? conf->cors_max_age
                                         : DEFAULT_CORS_MAX_AGE));
    }
}

/* OPTIONS: what the endpoint allows, with no body. */
static int options(request_rec *r)
{
    r->status = HTTP_NO_CONTENT;
    apr_table_setn(r->headers_out, "Allow", ALLOWED_METHODS);
    return OK;
}

/* Why the database is not ready (NULL: it answered SELECT 1 on a pooled
 * connection within READY_TIMEOUT). */
static const char *not_ready(request_rec *r)
{
    const char *why = NULL;
    ap_dbd_t *dbd;

    if (graphql_dbd_acquire == NULL) {
        return "mod_dbd is not loaded";
    }
    dbd = dbd_acquire(r);
    if (dbd == NULL) {
        return "no database connection (mod_dbd's log lines say why; "
               "while the database is down, tries are a second or more "
               "apart)";
    }
    if (strcmp(apr_dbd_name(dbd->driver), "pgsql") != 0) {
        return "DBDriver is not pgsql";
    }
    if (!gql_sql_ping(r->pool, dbd->pool,
                      apr_dbd_native_handle(dbd->driver, dbd->handle),
                      READY_TIMEOUT, &why)) {
        return why;
    }
    return NULL;
}

/* SetHandler graphql-live and graphql-ready: a plain-text answer to GET
 * and HEAD that no cache keeps.  Liveness is 200 while httpd answers;
 * readiness, 200 when the database does, 503 with the reason when not. */
static int health(request_rec *r, int ready)
{
    const char *why, *body;

    if (r->method_number != M_GET) {
        apr_table_setn(r->headers_out, "Allow", "GET, HEAD");
        return send_body(r, HTTP_METHOD_NOT_ALLOWED,
                         "text/plain; charset=utf-8", "use GET\n", 8);
    }
    why = ready ? not_ready(r) : NULL;
    if (why != NULL) {
        ap_log_rerror(APLOG_MARK, APLOG_INFO, 0, r, "GQL00023: not ready: "
                      "%s", why);
    }
    body = why ? apr_pstrcat(r->pool, "not ready: ", why, "\n", NULL)
           : ready ? "ready\n" : "live\n";
    return send_body(r, why ? HTTP_SERVICE_UNAVAILABLE : HTTP_OK,
                     "text/plain; charset=utf-8", body, strlen(body));
}

static int graphql_handler(request_rec *r)
{
    graphql_dir_conf *conf;
    gql_request_t *req = NULL;
    gql_media_e media;
    apr_time_t deadline;
    const char *msg;
    int st;

    if (r->handler != NULL && (strcmp(r->handler, LIVE_HANDLER) == 0
                               || strcmp(r->handler, READY_HANDLER) == 0)) {
        return health(r, strcmp(r->handler, READY_HANDLER) == 0);
    }
    if (r->handler == NULL || strcmp(r->handler, GRAPHQL_HANDLER) != 0) {
        return DECLINED;
    }
    conf = ap_get_module_config(r->per_dir_config, &graphql_module);
    media = gql_request_accept(r->pool, apr_table_get(r->headers_in,
                                                      "Accept"));
    cors(r, conf, r->method_number == M_OPTIONS
                  && apr_table_get(r->headers_in,
                                   "Access-Control-Request-Method"));
    if (conf->schema == NULL) {
        ap_log_rerror(APLOG_MARK, APLOG_ERR, 0, r, "GQL00001: SetHandler "
                      "graphql without a GraphQLSchema for %s", r->uri);
        return request_error(r, HTTP_INTERNAL_SERVER_ERROR, media,
                             "The GraphQL endpoint is not configured.");
    }
    if (r->method_number == M_OPTIONS) {
        return options(r);
    }
    if (r->method_number != M_GET && r->method_number != M_POST) {
        apr_table_setn(r->headers_out, "Allow", ALLOWED_METHODS);
        return request_error(r, HTTP_METHOD_NOT_ALLOWED, media,
                             apr_psprintf(r->pool, "Method %s is not "
                                          "allowed: use GET or POST.",
                                          r->method));
    }
    if (wants_graphiql(r, conf)) {
        return graphiql(r, conf);
    }
    /* A client of Server-Sent Events alone gets its refusals (before a
     * stream starts) as GraphQL responses, with HTTP's error codes. */
    if (media == GQL_MEDIA_NONE
        && gql_request_wants_events(r->pool,
                                    apr_table_get(r->headers_in, "Accept"))) {
        media = GQL_MEDIA_GRAPHQL_RESPONSE;
    }
    if (media == GQL_MEDIA_NONE) {
        return request_error(r, HTTP_NOT_ACCEPTABLE, media,
                             "Not acceptable: the response is "
                             "application/graphql-response+json or "
                             "application/json.");
    }
    deadline = deadline_of(r, conf);
    if (r->method_number == M_POST) {
        st = post_params(r, conf, media, deadline, &req);
        if (req == NULL) {
            return st;
        }
    }
    else {
        st = gql_request_from_args(r->pool, r->args, &req, &msg);
        if (st != 0) {
            return request_error(r, st, media, msg);
        }
    }
    if ((st = persisted(r, conf, media, req)) != DECLINED) {
        return st;
    }
    return answer(r, conf, media, deadline, req);
}

static void graphql_hooks(apr_pool_t *p)
{
    (void)p;
    /* Forget the previous configuration's server-wide settings. */
    ap_hook_pre_config(graphql_pre_config, NULL, NULL, APR_HOOK_MIDDLE);
    /* Find mod_dbd, and refuse to start without it when a schema needs
     * it. */
    ap_hook_check_config(graphql_check_config, NULL, NULL, APR_HOOK_MIDDLE);
    /* Say which schemas are served, and with GraphQLCheckSQL have
     * the database describe their statements. */
    ap_hook_post_config(graphql_post_config, NULL, NULL, APR_HOOK_MIDDLE);
    /* Claim the URIs of SetHandler graphql locations, after mod_rewrite
     * (FIRST) has had its say and with mod_alias (MIDDLE). */
    ap_hook_translate_name(graphql_translate, NULL, NULL, APR_HOOK_MIDDLE);
    /* Keep core from walking the filesystem for them. */
    ap_hook_map_to_storage(graphql_map_to_storage, NULL, NULL,
                           APR_HOOK_FIRST);
    /* Answer them. */
    ap_hook_handler(graphql_handler, NULL, NULL, APR_HOOK_MIDDLE);
    /* Each child's document cache. */
    ap_hook_child_init(graphql_child_init, NULL, NULL, APR_HOOK_MIDDLE);
    /* mod_status's section: the counters' shared segment, each request's
     * counts, and the section itself. */
    ap_hook_post_config(graphql_stats_init, NULL, NULL, APR_HOOK_MIDDLE);
    ap_hook_log_transaction(graphql_count, NULL, NULL, APR_HOOK_MIDDLE);
    APR_OPTIONAL_HOOK(ap, status_hook, graphql_status, NULL, NULL,
                      APR_HOOK_MIDDLE);
}

static const command_rec graphql_cmds[] = {
    AP_INIT_TAKE_ARGV("GraphQLSchema", graphql_set_schema, NULL,
                      RSRC_CONF | ACCESS_CONF,
                      "FILE [FILE...]: the SDL files of the schema, relative "
                      "to ServerRoot"),
    AP_INIT_TAKE1("GraphQLMaxBodySize", graphql_set_max_body, NULL,
                  RSRC_CONF | ACCESS_CONF,
                  "BYTES: the largest request body accepted (default "
                  "1048576)"),
    AP_INIT_FLAG("GraphQLIntrospection", graphql_set_introspection, NULL,
                 RSRC_CONF | ACCESS_CONF,
                 "On|Off: whether clients may query __schema and __type "
                 "(default On)"),
    AP_INIT_TAKE1("GraphQLJWTSecret", graphql_set_jwt_secret, NULL,
                  RSRC_CONF | ACCESS_CONF,
                  "file:PATH|env:NAME: the HS256 key (at least 32 bytes) of "
                  "callers' tokens and of the tokens @jwt issues"),
    AP_INIT_TAKE1("GraphQLJWTLifetime", graphql_set_jwt_lifetime, NULL,
                  RSRC_CONF | ACCESS_CONF,
                  "SECONDS: how long tokens issued by @jwt fields are valid "
                  "(default 604800, 7 days)"),
    AP_INIT_FLAG("GraphQLJWTRequireExp", graphql_set_jwt_require_exp, NULL,
                 RSRC_CONF | ACCESS_CONF,
                 "On|Off: whether a caller's token without exp is refused "
                 "(default On)"),
    AP_INIT_TAKE_ARGV("GraphQLJWTKey", graphql_set_jwt_key, NULL,
                      RSRC_CONF | ACCESS_CONF,
                      "file:PATH [ALG [KID]]: a PEM public key (RS256, ES256 "
                      "or EdDSA) that callers' tokens may be signed with"),
    AP_INIT_TAKE1("GraphQLJWKS", graphql_set_jwks, NULL,
                  RSRC_CONF | ACCESS_CONF,
                  "file:PATH: a JWK Set whose keys callers' tokens may be "
                  "signed with"),
    AP_INIT_TAKE1("GraphQLJWTIssuer", graphql_set_jwt_party, NULL,
                  RSRC_CONF | ACCESS_CONF,
                  "ISS: the issuer (iss) callers' tokens must have"),
    AP_INIT_TAKE1("GraphQLJWTAudience", graphql_set_jwt_party, (void *)"aud",
                  RSRC_CONF | ACCESS_CONF,
                  "AUD: the audience callers' tokens must name in aud"),
    AP_INIT_TAKE1("GraphQLCaller", graphql_set_caller, NULL,
                  RSRC_CONF | ACCESS_CONF,
                  "token|httpd|both: the caller is a token's subject, the "
                  "user httpd authenticated, or both when they agree "
                  "(default token)"),
    AP_INIT_TAKE2("GraphQLCallerEnv", graphql_set_caller_env, NULL,
                  RSRC_CONF | ACCESS_CONF,
                  "NAME CLAIM: the request variable NAME is the claim CLAIM "
                  "of the user httpd authenticated"),
    AP_INIT_TAKE1("GraphQLStatementTimeout", graphql_set_int,
                  (void *)&graphql_statement_timeout_slot,
                  RSRC_CONF | ACCESS_CONF,
                  "MILLISECONDS: the statement_timeout of every SQL "
                  "statement (default 5000; 0: none)"),
    AP_INIT_TAKE1("GraphQLMaxSubscriptions", graphql_set_range,
                  (void *)&graphql_max_subscriptions_slot,
                  RSRC_CONF | ACCESS_CONF,
                  "N: subscriptions (event streams) a child process holds "
                  "at once (default half its threads)"),
    AP_INIT_TAKE1("GraphQLHeartbeat", graphql_set_range,
                  (void *)&graphql_heartbeat_slot, RSRC_CONF | ACCESS_CONF,
                  "SECONDS: between an event stream's comment lines "
                  "(default 15)"),
    AP_INIT_FLAG("GraphQLServerTiming", ap_set_flag_slot,
                 (void *)APR_OFFSETOF(graphql_dir_conf, server_timing),
                 RSRC_CONF | ACCESS_CONF,
                 "On: a Server-Timing header (parse, sql, total) on "
                 "GraphQL responses (default Off)"),
    AP_INIT_FLAG("GraphQLGraphiQL", graphql_set_graphiql, NULL,
                 RSRC_CONF | ACCESS_CONF,
                 "On|Off: whether a browser's GET of the endpoint gets the "
                 "GraphiQL IDE (default Off)"),
    AP_INIT_TAKE1("GraphQLGraphiQLAssets", graphql_set_graphiql_assets,
                  NULL, RSRC_CONF | ACCESS_CONF,
                  "URL: where GraphiQL's page loads React and GraphiQL "
                  "from, a path of this site or an http(s) URL (default "
                  "the CDN)"),
    AP_INIT_TAKE1("GraphQLMaxDepth", graphql_set_max_depth, NULL,
                  RSRC_CONF | ACCESS_CONF,
                  "N: the most fields on one path of an operation, fragments "
                  "expanded (default 20; 0: no limit)"),
    AP_INIT_TAKE1("GraphQLMaxTokens", graphql_set_int,
                  (void *)&graphql_max_tokens_slot, RSRC_CONF | ACCESS_CONF,
                  "N: the most tokens a document may have; parsing stops at "
                  "the one past it (default 15000; 0: no limit)"),
    AP_INIT_TAKE1("GraphQLMaxResultSize", graphql_set_max_result, NULL,
                  RSRC_CONF | ACCESS_CONF,
                  "BYTES: the most JSON text one request's SQL statements "
                  "may return (default 4194304; 0: no limit)"),
    AP_INIT_TAKE1("GraphQLRequestTimeout", graphql_set_int,
                  (void *)&graphql_request_timeout_slot,
                  RSRC_CONF | ACCESS_CONF,
                  "MILLISECONDS: the longest a request may take, from its "
                  "start to its last byte (default 3 times "
                  "GraphQLStatementTimeout; 0: none)"),
    AP_INIT_TAKE1("GraphQLMaxStatements", graphql_set_int,
                  (void *)&graphql_max_statements_slot,
                  RSRC_CONF | ACCESS_CONF,
                  "N: the most SQL statements one request may run (default "
                  "100; 0: no limit)"),
    AP_INIT_FLAG("GraphQLCheckSQL", graphql_set_check_sql, NULL, RSRC_CONF,
                 "On|Off: at start-up, prepare every @sql statement on the "
                 "database of DBDParams, and refuse to start if one fails "
                 "(default Off)"),
    AP_INIT_TAKE1("GraphQLDocumentCache", graphql_set_doc_cache, NULL,
                  RSRC_CONF,
                  "N: prepared documents each child keeps for requests that "
                  "send the same text again (default 128; 0: none)"),
    AP_INIT_TAKE_ARGV("GraphQLDocuments", graphql_set_documents, NULL,
                      RSRC_CONF | ACCESS_CONF,
                      "FILE [FILE...]: persisted documents (.graphql files, "
                      "Apollo, Relay or GraphQL Code Generator manifests), "
                      "relative to ServerRoot"),
    AP_INIT_FLAG("GraphQLPersistedOnly", ap_set_flag_slot,
                 (void *)APR_OFFSETOF(graphql_dir_conf, persisted_only),
                 RSRC_CONF | ACCESS_CONF,
                 "On: run only the documents of GraphQLDocuments, refuse "
                 "any other (default Off)"),
    AP_INIT_TAKE1("GraphQLPersistedCacheControl", graphql_set_cache_control,
                  NULL, RSRC_CONF | ACCESS_CONF,
                  "VALUE|none: the Cache-Control of a GET by id answered "
                  "without error to a caller without credentials (default "
                  "none: no-store)"),
    AP_INIT_TAKE1("GraphQLPersistedQueries", graphql_set_apq, NULL,
                  RSRC_CONF,
                  "PROVIDER[:ARGS]|none: the shared object cache of "
                  "automatic persisted queries, e.g. shmcb:PATH(BYTES) "
                  "(default none)"),
    AP_INIT_TAKE1("GraphQLPersistedMaxSize", graphql_set_apq_max, NULL,
                  RSRC_CONF,
                  "BYTES: the largest query text kept in that cache "
                  "(default 8192)"),
    AP_INIT_TAKE1("GraphQLMaxCost", graphql_set_limit,
                  (void *)LIMIT_COST,
                  RSRC_CONF | ACCESS_CONF,
                  "N: the costliest operation run, as the schema's cost "
                  "model counts (default 5000; 0: no limit)"),
    AP_INIT_TAKE1("GraphQLDefaultListSize", graphql_set_list_size, NULL,
                  RSRC_CONF | ACCESS_CONF,
                  "N: the items the cost model counts in a list the schema "
                  "does not size (default 100)"),
    AP_INIT_TAKE1("GraphQLMaxAliases", graphql_set_limit,
                  (void *)LIMIT_ALIASES,
                  RSRC_CONF | ACCESS_CONF,
                  "N: the most aliases in an operation, fragments expanded "
                  "(default 30; 0: no limit)"),
    AP_INIT_TAKE1("GraphQLMaxRootFields", graphql_set_limit,
                  (void *)LIMIT_ROOT_FIELDS,
                  RSRC_CONF | ACCESS_CONF,
                  "N: the most root fields in an operation, fragments "
                  "expanded (default 20; 0: no limit)"),
    AP_INIT_TAKE1("GraphQLMaxFields", graphql_set_limit,
                  (void *)LIMIT_FIELDS,
                  RSRC_CONF | ACCESS_CONF,
                  "N: the most fields in an operation, fragments expanded "
                  "(default 2000; 0: no limit)"),
    AP_INIT_TAKE1("GraphQLMaxMutationFields", graphql_set_limit,
                  (void *)LIMIT_MUTATION_FIELDS,
                  RSRC_CONF | ACCESS_CONF,
                  "N: the most root fields in a mutation (default 5; 0: no "
                  "limit)"),
    AP_INIT_TAKE1("GraphQLRoleClaim", graphql_set_role_claim, NULL,
                  RSRC_CONF | ACCESS_CONF,
                  "NAME: the claim whose value is the caller's role (a "
                  "dotted path for a nested claim); it must be one of "
                  "GraphQLRoles"),
    AP_INIT_ITERATE("GraphQLRoles", graphql_add_role, NULL,
                    RSRC_CONF | ACCESS_CONF,
                    "ROLE...: the roles GraphQLRoleClaim may name; a token "
                    "naming another is refused (403)"),
    AP_INIT_TAKE1("GraphQLAnonymousRole", graphql_set_role,
                  (void *)APR_OFFSETOF(graphql_dir_conf, roles.anonymous),
                  RSRC_CONF | ACCESS_CONF,
                  "ROLE: the role of a request without a caller (without "
                  "it, such a request is refused when roles are set)"),
    AP_INIT_TAKE1("GraphQLDefaultRole", graphql_set_role,
                  (void *)APR_OFFSETOF(graphql_dir_conf, roles.fallback),
                  RSRC_CONF | ACCESS_CONF,
                  "ROLE: the role of a caller whose claims name none"),
    AP_INIT_ITERATE("GraphQLCORSOrigins", graphql_add_cors_origin, NULL,
                    RSRC_CONF | ACCESS_CONF,
                    "ORIGIN...|*: the origins (SCHEME://HOST[:PORT]) whose "
                    "pages may call the endpoint, or * for any (default "
                    "none: no CORS headers)"),
    AP_INIT_FLAG("GraphQLCORSCredentials", graphql_set_cors_credentials,
                 NULL, RSRC_CONF | ACCESS_CONF,
                 "On|Off: whether those pages may send cookies and "
                 "credentials (default Off; not with GraphQLCORSOrigins *)"),
    AP_INIT_ITERATE("GraphQLCORSHeaders", graphql_add_cors_header, NULL,
                    RSRC_CONF | ACCESS_CONF,
                    "NAME...: the request headers those pages may send "
                    "(default Content-Type Authorization)"),
    AP_INIT_TAKE1("GraphQLCORSMaxAge", graphql_set_int,
                  (void *)&graphql_cors_max_age_slot,
                  RSRC_CONF | ACCESS_CONF,
                  "SECONDS: how long browsers may keep a preflight's "
                  "answer (default 600)"),
    {NULL}
};

AP_DECLARE_MODULE(graphql) = {
    STANDARD20_MODULE_STUFF,
    graphql_create_dir,
    graphql_merge_dir,
    NULL,
    NULL,
    graphql_cmds,
    graphql_hooks,
    AP_MODULE_FLAG_NONE
};
