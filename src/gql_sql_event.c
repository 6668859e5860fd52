/* Licensed under the Apache License, Version 2.0 (the "License"); you may
 * not use this file except in compliance with the License.  You may obtain
 * a copy of the License at http://www.apache.org/licenses/LICENSE-2.0
 */

/*
 * gql_sql_event.c: a subscription's event through the SQL mapping.  A
 * Subscription field's @listen names the channel it follows; when a
 * notification arrives, its payload becomes the root field's parent row,
 * which $event and $event.member read (compiled as $parent columns: the
 * payload is the row's member "", a JSON object payload's members are
 * the others), and the field's statement runs as a query's would.  A
 * statement that returns no row is no event: the resolvers given here
 * tell it from a field that failed.
 */

#include <string.h>
#include "gql_sql_int.h"

/* The first field of ss that is not __typename, through fragments (a
 * valid subscription has one root field; depth bounds a cycle, which
 * validation refuses anyway). */
static const gql_selection_t *root_field(const gql_operation_t *op,
                                         const gql_selection_set_t *ss,
                                         int depth)
{
    int i;

    for (i = 0; ss && depth < 32 && i < ss->selections->nelts; i++) {
        const gql_selection_t *s = APR_ARRAY_IDX(ss->selections, i,
                                                 const gql_selection_t *);
        const gql_definition_t *fd;
        const gql_selection_t *f = NULL;

        if (s->kind == GQL_SEL_FIELD) {
            if (strcmp(s->name.value, "__typename") != 0) {
                return s;
            }
        }
        else if (s->kind == GQL_SEL_INLINE_FRAGMENT) {
            f = root_field(op, s->selection_set, depth + 1);
        }
        else if ((fd = gql_document_fragment(op->doc, s->name.value))) {
            f = root_field(op, fd->selection_set, depth + 1);
        }
        if (f != NULL) {
            return f;
        }
    }
    return NULL;
}

const char *gql_sql_channel(const gql_sql_mapping_t *m,
                            const gql_schema_t *s,
                            const gql_operation_t *op, const char **field)
{
    const gql_selection_t *sel = s->subscription
                                 ? root_field(op, op->def->selection_set, 0)
                                 : NULL;
    const gql_field_t *f = sel ? gql_type_field(s->subscription,
                                                sel->name.value) : NULL;
    const gql_sql_map_t *x = f ? gql_sql_mapping_find(m, f) : NULL;

    *field = f ? f->name : "__typename";
    return x != NULL ? x->channel : NULL;
}

json_object *gql_sql_event_row(const char *payload, apr_size_t len)
{
    json_object *row, *o = NULL;
    json_tokener *tok;

    tok = json_tokener_new_ex(8);
    if (tok != NULL) {
        o = json_tokener_parse_ex(tok, payload, (int)len);
        if (json_tokener_get_error(tok) != json_tokener_success) {
            o = NULL;
        }
        json_tokener_free(tok);
    }
    row = json_object_is_type(o, json_type_object) ? o
          : json_object_new_object();
    if (row != o) {
        json_object_put(o);
    }
    json_object_object_add(row, "", json_object_new_string_len(payload,
                                                               (int)len));
    return row;
}

/* Whether the value the resolver gave parent i is null, with no error:
 * no json-c value, no text, and no rows (or none for a field that is no
 * list). */
static int null_value(const gql_resolve_t *b, int i)
{
    const gql_tref_t *t = b->field->type;

    if (b->results[i] != NULL || b->errors[i] != NULL
        || b->texts[i].kind != GQL_TEXT_NONE) {
        return 0;
    }
    if (t->kind == GQL_TYPE_NON_NULL) {
        t = t->of_type;
    }
    return !b->rows[i].given || (b->rows[i].n == 0
                                 && t->kind != GQL_TYPE_LIST);
}

/* The root field's batch: the statement's resolver, then whether it
 * found no row (null with no error). */
static const char *resolve(gql_resolve_t *b)
{
    gql_sql_event_t *ev = b->ctx;
    const char *msg;

    b->ctx = ev->inner.ctx;
    msg = ev->inner.field(b);
    b->ctx = ev;
    if (b->parent_type == b->schema->subscription && msg == NULL
        && b->count == 1 && null_value(b, 0)) {
        ev->no_row = 1;
    }
    return msg;
}

void gql_sql_event_resolvers(gql_sql_ctx_t *c, gql_sql_event_t *ev,
                             gql_resolvers_t *out)
{
    memset(ev, 0, sizeof(*ev));
    gql_sql_resolvers(c, &ev->inner);
    memset(out, 0, sizeof(*out));
    out->field = resolve;
    out->ctx = ev;
}
