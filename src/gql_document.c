/* Licensed under the Apache License, Version 2.0 (the "License"); you may
 * not use this file except in compliance with the License.  You may obtain
 * a copy of the License at http://www.apache.org/licenses/LICENSE-2.0
 */

/*
 * gql_document.c: the document stage (gql_document.h): text -> parsed,
 * validated document with its fragments indexed, then the operation a
 * request selects from it.
 *
 * Everything written here is written before gql_document_prepare()
 * returns; selection allocates its operation in the request's pool and
 * only reads the document.
 */

#include <string.h>
#include "gql_cost.h"
#include "gql_document.h"
#include "gql_parser.h"
#include "gql_print.h"

/* The fragments by name.  Validation has refused a document with two
 * fragments of one name, so the index holds each definition. */
static apr_hash_t *index_fragments(apr_pool_t *p, const gql_document_t *doc)
{
    apr_hash_t *h = apr_hash_make(p);
    int i;

    for (i = 0; i < doc->definitions->nelts; i++) {
        const gql_definition_t *d = GQL_AST_ITEM(doc->definitions, i,
                                                 gql_definition_t);

        if (d->kind == GQL_DEF_FRAGMENT) {
            apr_hash_set(h, d->name.value, APR_HASH_KEY_STRING, d);
        }
    }
    return h;
}

/* Each operation's cost when no variable changes it, or -1. */
static const apr_int64_t *fixed_costs(apr_pool_t *p, apr_pool_t *ptemp,
                                      const gql_prepared_t *prep,
                                      const gql_validate_opts_t *opts)
{
    const apr_array_header_t *defs = prep->doc->definitions;
    apr_int64_t *costs = apr_palloc(p, sizeof(*costs) * (defs->nelts + 1));
    int i;

    for (i = 0; i < defs->nelts; i++) {
        const gql_definition_t *d = GQL_AST_ITEM(defs, i, gql_definition_t);

        costs[i] = d->kind != GQL_DEF_OPERATION ? -1
                   : gql_cost_fixed(ptemp, opts->cost, prep, d,
                                    opts->list_size);
    }
    return costs;
}

const gql_prepared_t *gql_document_prepare(apr_pool_t *p, apr_pool_t *ptemp,
                                           const gql_schema_t *schema,
                                           const char *text, apr_size_t len,
                                           const gql_validate_opts_t *opts,
                                           apr_array_header_t *errors)
{
    gql_prepared_t *prep;
    gql_error_t *err = NULL;
    gql_document_t *doc = gql_parse_limited(p, text, len, NULL,
                                            opts ? opts->max_tokens : 0,
                                            &err);

    if (doc == NULL) {
        /* gql_parse() made it in p: the caller may drop p on failure */
        gql_error_add_text(ptemp, errors, err->locations != NULL
                                          && err->locations->nelts > 0
                           ? &APR_ARRAY_IDX(err->locations, 0, gql_loc_t)
                           : NULL, err->message, gql_error_message_len(err))
            ->code = err->code;     /* static text */
        return NULL;
    }
    if (gql_validate(ptemp, schema, doc, opts, errors) > 0) {
        return NULL;
    }
    prep = apr_palloc(p, sizeof(*prep));
    prep->schema = schema;
    prep->doc = doc;
    prep->fragments = index_fragments(p, doc);
    prep->cost = opts ? opts->cost : NULL;
    prep->list_size = opts ? opts->list_size : 0;
    prep->costs = prep->cost ? fixed_costs(p, ptemp, prep, opts) : NULL;
    return prep;
}

/* The operation the request names (graphql-js buildExecutionContext). */
static const gql_definition_t *select_operation(apr_pool_t *p,
                                                const gql_document_t *doc,
                                                const char *name,
                                                apr_array_header_t *errors,
                                                int *at)
{
    const gql_definition_t *found = NULL;
    int i;

    for (i = 0; i < doc->definitions->nelts; i++) {
        const gql_definition_t *d = GQL_AST_ITEM(doc->definitions, i,
                                                 gql_definition_t);

        if (d->kind != GQL_DEF_OPERATION) {
            continue;
        }
        if (name == NULL) {
            if (found != NULL) {
                gql_error_add(p, errors, NULL, "Must provide operation name "
                              "if query contains multiple operations.");
                return NULL;
            }
            found = d;
            *at = i;
        }
        else if (d->name.value != NULL && strcmp(d->name.value, name) == 0) {
            found = d;
            *at = i;
        }
    }
    if (found == NULL && name != NULL) {
        gql_error_add(p, errors, NULL, "Unknown operation named \"%s\".",
                      gql_print_name(p, name));
    }
    else if (found == NULL) {
        gql_error_add(p, errors, NULL, "Must provide an operation.");
    }
    return found;
}

gql_operation_t *gql_document_select(apr_pool_t *p, const gql_prepared_t *doc,
                                     const char *name, json_object *variables,
                                     apr_array_header_t *errors)
{
    int at = 0;
    const gql_definition_t *def = select_operation(p, doc->doc, name, errors,
                                                   &at);
    gql_operation_t *op;

    if (def == NULL) {
        return NULL;
    }
    op = apr_palloc(p, sizeof(*op));
    op->doc = doc;
    op->def = def;
    op->variables = variables;
    op->cost = doc->costs ? doc->costs[at] : -1;
    return op;
}

const gql_definition_t *gql_document_fragment(const gql_prepared_t *doc,
                                              const char *name)
{
    return apr_hash_get(doc->fragments, name, APR_HASH_KEY_STRING);
}
