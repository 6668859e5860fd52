/* Licensed under the Apache License, Version 2.0 (the "License"); you may
 * not use this file except in compliance with the License.  You may obtain
 * a copy of the License at http://www.apache.org/licenses/LICENSE-2.0
 */

/*
 * gql_value_check.c: the literal checks of the enums and the built-in
 * scalars (their parseLiteral), in graphql-js 16's words; one
 * implementation for the validation of documents and of SDL defaults.
 */

#include <string.h>
#include <apr_strings.h>
#include "gql_print.h"
#include "gql_value_check.h"

static const char *enum_problem(apr_pool_t *p, const gql_value_t *v,
                                const gql_type_t *t)
{
    apr_array_header_t *names;
    const char *pv, *sugg;
    int i;

    for (i = 0; v->kind == GQL_VALUE_ENUM && i < t->enum_values->nelts;
         i++) {
        if (!strcmp(APR_ARRAY_IDX(t->enum_values, i,
                                  const gql_enum_value_t *)->name, v->text)) {
            return NULL;
        }
    }
    names = apr_array_make(p, t->enum_values->nelts + 1, sizeof(char *));
    for (i = 0; i < t->enum_values->nelts; i++) {
        APR_ARRAY_PUSH(names, const char *) = APR_ARRAY_IDX(
            t->enum_values, i, const gql_enum_value_t *)->name;
    }
    pv = gql_print_value(p, v);
    sugg = gql_print_suggest(p, "the enum value", pv, names);
    if (v->kind == GQL_VALUE_ENUM) {
        return apr_psprintf(p, "Value \"%s\" does not exist in \"%s\" "
                            "enum.%s", pv, t->name, sugg);
    }
    return apr_psprintf(p, "Enum \"%s\" cannot represent non-enum value: "
                        "%s.%s", t->name, pv, sugg);
}

/* parseInt of the literal against GraphQL's 32-bit range; apr_strtoi64
 * saturates, which keeps longer literals out of range too. */
static int int32(const char *text)
{
    apr_int64_t i = apr_strtoi64(text, NULL, 10);

    return i <= 2147483647LL && i >= -2147483648LL;
}

/* The message's format (one %s: the printed literal) when the built-in
 * scalar named name rejects a literal of kind k, or NULL. */
static const char *scalar_problem(const char *name, gql_value_kind_e k)
{
    if (!strcmp(name, "Int")) {
        return k == GQL_VALUE_INT ? NULL
               : "Int cannot represent non-integer value: %s";
    }
    if (!strcmp(name, "Float")) {
        return k == GQL_VALUE_INT || k == GQL_VALUE_FLOAT ? NULL
               : "Float cannot represent non numeric value: %s";
    }
    if (!strcmp(name, "String")) {
        return k == GQL_VALUE_STRING ? NULL
               : "String cannot represent a non string value: %s";
    }
    if (!strcmp(name, "Boolean")) {
        return k == GQL_VALUE_BOOLEAN ? NULL
               : "Boolean cannot represent a non boolean value: %s";
    }
    if (!strcmp(name, "ID")) {
        return k == GQL_VALUE_STRING || k == GQL_VALUE_INT ? NULL
               : "ID cannot represent a non-string and non-integer "
                 "value: %s";
    }
    return NULL;
}

const char *gql_value_leaf_problem(apr_pool_t *p, const gql_value_t *v,
                                   const gql_type_t *t)
{
    const char *fmt;

    if (t->kind == GQL_KIND_ENUM) {
        return enum_problem(p, v, t);
    }
    if (!t->builtin) {
        return NULL;
    }
    fmt = scalar_problem(t->name, v->kind);
    if (fmt != NULL) {
        return apr_psprintf(p, fmt, gql_print_value(p, v));
    }
    if (v->kind == GQL_VALUE_INT && !strcmp(t->name, "Int")
        && !int32(v->text)) {
        return apr_psprintf(p, "Int cannot represent non 32-bit signed "
                            "integer value: %s", v->text);
    }
    return NULL;
}
