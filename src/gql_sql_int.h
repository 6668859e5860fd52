/* Licensed under the Apache License, Version 2.0 (the "License"); you may
 * not use this file except in compliance with the License.  You may obtain
 * a copy of the License at http://www.apache.org/licenses/LICENSE-2.0
 */

/*
 * gql_sql_int.h: the compiled SQL mapping of a field, shared by
 * gql_sql_compile.c (which makes it at configuration time) and
 * gql_sql_run.c (which only reads it, from every request, through
 * gql_sql_mapping_find()).
 */

#ifndef GQL_SQL_INT_H
#define GQL_SQL_INT_H

#include <libpq-fe.h>
#include "gql_sql.h"

/* ORDER MAP */
typedef enum {
    GQL_MAP_COLUMN,             /* the parent row's column */
    GQL_MAP_SQL,                /* the field's own statement */
    GQL_MAP_JWT                 /* a token for the parent row */
} gql_map_kind_e;

/* ORDER PARAM */
typedef enum {
    GQL_PARAM_ARG,              /* $arg, $arg.field.field */
    GQL_PARAM_PARENT,           /* $parent.col */
    GQL_PARAM_VIEWER,           /* $viewer.claim */
    GQL_PARAM_EVENT             /* $event, $event.member: compiled as
                                 * PARENT, the event being the row */
} gql_param_kind_e;

/* One bound parameter: $n of the statement is params[n - 1]. */
typedef struct gql_sql_param_t {
    gql_param_kind_e kind;
    const char *text;           /* as written: "$filter.url" */
    const char *const *path;    /* ARG: the argument, then input fields;
                                 * PARENT: the column; VIEWER: the claim */
    int npath;
} gql_sql_param_t;

/* A piece of the statement: text, or a placeholder (param >= 0). */
typedef struct gql_sql_seg_t {
    const char *text;
    apr_size_t len;
    int param;                  /* index into params, or -1 */
} gql_sql_seg_t;

/* @sqlError */
typedef struct gql_sql_catch_t {
    const char *when;           /* SQLSTATE, constraint name or "empty" */
    const char *message;
    const char *code;
} gql_sql_catch_t;

struct gql_sql_map_t {
    gql_map_kind_e kind;
    const char *label;          /* "Type.field", for logs */
    const char *column;         /* COLUMN: the column; JWT: the subject */
    /* SQL: */
    apr_array_header_t *segs;   /* gql_sql_seg_t */
    apr_array_header_t *params; /* gql_sql_param_t */
    apr_array_header_t *catches;/* gql_sql_catch_t */
    int nparent;                /* how many params are PARENT */
    int uses_viewer;
    int optional_viewer;
    const char *single;         /* the SQL, every placeholder as $n */
    const char *once;           /* the root form: one JSON array text */
    const char *once_name;      /* prepared statement names */
    const char *single_name;
    const char *batch_name;
    const char *source;         /* SQL: the schema file of the @sql */
    gql_loc_t loc;              /* SQL: its query argument's position */
    const char *channel;        /* a Subscription field's @listen */
};

/* The claim at path (n names: "app", "tenant") of claims, or NULL when
 * claims is NULL or has no such member; borrowed from claims. */
json_object *gql_sql_claim(json_object *claims, const char *const *path,
                           int n);

/* v in lower-case hex, at least digits of them (zeros first), written
 * backwards so that they end just before end; returns their start. */
char *gql_sql_hex(char *end, apr_uint64_t v, int digits);

/* A statement's name that follows from its text (FNV-1a, 64 bits):
 * "gql_" PREFIX and 16 hex digits, in p. */
const char *gql_sql_stmt_name(apr_pool_t *p, const char *prefix,
                              const char *text);

/* How a statement's single form describes itself on one backend: its
 * result columns, and (for the batch form) its parameters' types. */
typedef struct gql_sql_desc_t {
    int ncols;
    const char **names;         /* PQfname */
    apr_hash_t *last;           /* name -> the last position of that name,
                                 * plus one (a row object would have held
                                 * that column's value) */
    Oid *types;                 /* PQftype */
    int nparams;
    Oid *ptypes;                /* PQparamtype */
    const char **pnames;        /* format_type of each; NULL until asked */
} gql_sql_desc_t;

/* One pooled connection as the SQL stage knows it (gql_sql_conn.c). */
typedef struct gql_sql_conn_t {
    PGconn *pg;
    apr_pool_t *pool;           /* lives as long as the connection */
    apr_pool_t *cache_pool;     /* prepared and described, below */
    int pid;                    /* the backend they hold for */
    int timeout_ms;             /* the session's statement_timeout, and
                                 * generic plans set; -1: not set by us */
    apr_hash_t *prepared;       /* statement name -> "" */
    apr_hash_t *described;      /* single form's name -> gql_sql_desc_t */
    int nprepared;
    int counts;                 /* gql_sql_conn_counts; -1: not asked */
} gql_sql_conn_t;

/* The state of pg kept in conn_pool, made on first use and forgotten when
 * the backend changed.  Checks that the connection is alive first and
 * reconnects it when the server closed it (*reconnected is then 1).
 * NULL when the connection cannot be used. */
gql_sql_conn_t *gql_sql_conn_attach(apr_pool_t *conn_pool, PGconn *pg,
                                    int *reconnected);

/* The backend lost its statements (SQLSTATE 26000): forget them all. */
void gql_sql_conn_forget(gql_sql_conn_t *k);

int gql_sql_conn_is_prepared(const gql_sql_conn_t *k, const char *name);

/* A statement that this backend refused to prepare, remembered so that
 * an optional form (a joined statement) is not tried at every request. */
void gql_sql_conn_refuse(gql_sql_conn_t *k, const char *name);
int gql_sql_conn_refused(const gql_sql_conn_t *k, const char *name);

/* Remember that name is prepared (by a Parse sent in a pipeline). */
void gql_sql_conn_remember(gql_sql_conn_t *k, const char *name);

/* How many bytes libpq has read off pg's socket since it connected, where
 * the kernel counts them (TCP on Linux): 1 with *n set, else 0 (a Unix
 * socket, or another system). */
int gql_sql_conn_taken(PGconn *pg, apr_uint64_t *n);

/* Whether the kernel counts what libpq reads off k's socket: asked once
 * per backend. */
int gql_sql_conn_counts(gql_sql_conn_t *k);

/* PREPARE name AS sql, remembered.  NULL, or the failed result (which
 * the caller clears). */
PGresult *gql_sql_conn_prepare(gql_sql_conn_t *k, const char *name,
                               const char *sql);

#endif /* GQL_SQL_INT_H */
