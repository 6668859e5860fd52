/* Licensed under the Apache License, Version 2.0 (the "License"); you may
 * not use this file except in compliance with the License.  You may obtain
 * a copy of the License at http://www.apache.org/licenses/LICENSE-2.0
 */

/*
 * gql_sql_check.c: a schema's statements described by the database before
 * it is served.  Each @sql statement, as the resolvers would prepare it,
 * is prepared on a connection of its own and deallocated: PostgreSQL
 * parses it, resolves its tables, columns and functions and checks its
 * types, and runs nothing.  A statement it refuses is a schema error at
 * the @sql's position, with PostgreSQL's message, found at start-up
 * rather than when a client first reaches the field.
 */

#include <string.h>
#include <apr_strings.h>
#include "gql_sql_int.h"

/* The statement's name on the checking connection only. */
#define CHECK_NAME "gql_check"

/* libpq's message as one line, in p: its lines (and tabs) joined by
 * single spaces, none at the ends. */
static const char *message(apr_pool_t *p, const char *text)
{
    char *out = apr_palloc(p, strlen(text) + 1), *o = out;

    for (; *text; text++) {
        if (*text != '\n' && *text != '\t' && *text != '\r') {
            *o++ = *text;
        }
        else if (o > out && o[-1] != ' ') {
            *o++ = ' ';
        }
    }
    while (o > out && o[-1] == ' ') {
        o--;
    }
    *o = '\0';
    return out;
}

/* Prepare st, then deallocate it; its error when PostgreSQL refuses it,
 * else NULL. */
static const char *describe(apr_pool_t *p, PGconn *pg,
                            const gql_sql_stmt_t *st)
{
    PGresult *r = PQprepare(pg, CHECK_NAME, st->text, 0, NULL);
    const char *why = NULL;

    if (PQresultStatus(r) != PGRES_COMMAND_OK) {
        why = PQresultErrorField(r, PG_DIAG_MESSAGE_PRIMARY);
        why = message(p, why ? why : PQresultErrorMessage(r));
    }
    PQclear(r);
    if (why == NULL) {
        PQclear(PQexec(pg, "DEALLOCATE " CHECK_NAME));
    }
    return why;
}

int gql_sql_check(apr_pool_t *p, const char *conninfo,
                  const gql_sql_mapping_t *m, apr_array_header_t *errors,
                  const char **why)
{
    /* conninfo's own connect_timeout, coming after, wins. */
    static const char *const keys[] = { "connect_timeout", "dbname", NULL };
    const char *values[] = { "10", conninfo, NULL };
    apr_array_header_t *list = gql_sql_stmts_list(p, m);
    PGconn *pg = PQconnectdbParams(keys, values, 1);
    int i;

    if (pg == NULL || PQstatus(pg) != CONNECTION_OK) {
        *why = pg ? message(p, PQerrorMessage(pg)) : "out of memory";
        PQfinish(pg);
        return -1;
    }
    for (i = 0; i < list->nelts; i++) {
        const gql_sql_stmt_t *st = &APR_ARRAY_IDX(list, i, gql_sql_stmt_t);
        const char *refused = describe(p, pg, st);
        gql_error_t *e;

        if (refused != NULL) {
            e = gql_error_add(p, errors, &st->loc, "@sql of \"%s\": "
                              "PostgreSQL refuses the statement: %s",
                              st->label, refused);
            e->source = st->source;
        }
    }
    PQfinish(pg);
    return 0;
}
