/* Licensed under the Apache License, Version 2.0 (the "License"); you may
 * not use this file except in compliance with the License.  You may obtain
 * a copy of the License at http://www.apache.org/licenses/LICENSE-2.0
 */

/*
 * gql_sql_role.c: who the caller is, as PostgreSQL will see it.  The role
 * a request takes, from its claims and the role directives, decided
 * before it runs (so that a refused one runs no statement); the claims
 * that $viewer and GraphQLRoleClaim name, by a dotted path into nested
 * objects.
 *
 * Only a role that the configuration names is ever chosen: a claim's
 * value is looked up in GraphQLRoles and never used unless it is there,
 * and the run stage binds the role as a parameter of set_config(), so no
 * client text reaches SQL as text.
 */

#include <string.h>
#include <apr_lib.h>
#include <apr_strings.h>
#include "gql_sql_int.h"

/* Longest name PostgreSQL keeps (NAMEDATALEN - 1). */
#define MAX_ROLE 63

/* Nesting of a claim's path. */
#define MAX_PATH 16

json_object *gql_sql_claim(json_object *claims, const char *const *path,
                           int n)
{
    json_object *v = claims;
    int i;

    for (i = 0; i < n && v != NULL; i++) {
        if (!json_object_is_type(v, json_type_object)
            || !json_object_object_get_ex(v, path[i], &v)) {
            return NULL;
        }
    }
    return v;
}

/* The claim at a dotted path. */
static json_object *claim_at(json_object *claims, const char *path)
{
    char buf[256];
    const char *parts[MAX_PATH];
    char *last, *w;
    int n = 0;

    apr_cpystrn(buf, path, sizeof(buf));
    for (w = apr_strtok(buf, ".", &last); w && n < MAX_PATH;
         w = apr_strtok(NULL, ".", &last)) {
        parts[n++] = w;
    }
    return gql_sql_claim(claims, parts, n);
}

static int allowed(const gql_sql_roles_t *r, const char *role)
{
    int i;

    for (i = 0; r->allowed && i < r->allowed->nelts; i++) {
        if (strcmp(APR_ARRAY_IDX(r->allowed, i, const char *), role) == 0) {
            return 1;
        }
    }
    return 0;
}

int gql_sql_role(const gql_sql_roles_t *r, json_object *claims,
                 const char **role, const char **why)
{
    json_object *v = claims && r->claim ? claim_at(claims, r->claim) : NULL;
    const int any = r->claim || r->anonymous || r->fallback || r->allowed;

    *role = NULL;
    *why = NULL;
    if (!any) {
        return 0;
    }
    if (claims == NULL) {
        *role = r->anonymous;
        *why = "Authentication required: this endpoint has no anonymous "
               "role.";
        return *role ? 0 : 401;
    }
    if (v != NULL && !json_object_is_type(v, json_type_null)) {
        *role = json_object_is_type(v, json_type_string)
                ? json_object_get_string(v) : NULL;
        if (*role == NULL || !allowed(r, *role)) {
            *role = NULL;
            *why = "Forbidden: the token's role is not one this endpoint "
                   "allows.";
            return 403;
        }
        return 0;
    }
    *role = r->fallback;
    *why = "Forbidden: the token names no role.";
    return *role ? 0 : 403;
}

const char *gql_sql_role_check(apr_pool_t *p, const char *name)
{
    if (*name == '\0' || strlen(name) > MAX_ROLE) {
        return apr_psprintf(p, "a role's name has 1 to %d bytes, not %"
                            APR_SIZE_T_FMT, MAX_ROLE, strlen(name));
    }
    if (strcasecmp(name, "none") == 0) {
        return apr_pstrcat(p, "\"", name, "\" is not a role: it would "
                           "reset the role to the connecting user", NULL);
    }
    return NULL;
}

const char *gql_sql_claim_check(apr_pool_t *p, const char *path)
{
    const char *s;
    int parts = 1, empty = 1;

    for (s = path; *s; s++) {
        if (*s == '.') {
            if (empty || ++parts > MAX_PATH) {
                break;
            }
            empty = 1;
        }
        else {
            empty = 0;
        }
    }
    if (*s || empty || strlen(path) >= 256) {
        return apr_psprintf(p, "\"%s\" is not a claim: write a name, or "
                            "names joined by dots for a nested claim "
                            "(app.role), at most %d deep and 255 bytes",
                            path, MAX_PATH);
    }
    return NULL;
}
