/* Licensed under the Apache License, Version 2.0 (the "License"); you may
 * not use this file except in compliance with the License.  You may obtain
 * a copy of the License at http://www.apache.org/licenses/LICENSE-2.0
 */

/*
 * t/unit/ast_dump.c: a document as JSON (ast_dump.h), for the parser's
 * tests and its fuzzer; the module never links it.
 *
 * The dump recurses along the tree; the parser bounded the tree's depth
 * (GQL_MAX_DEPTH), so the recursion here is bounded too.
 */

#include <apr_strings.h>
#include "ast_dump.h"

/* ORDER DEFINITION: what graphql-js calls the `extend` forms */
static const char *const extension_names[] = {
    NULL, NULL, "SchemaExtension", "ScalarTypeExtension",
    "ObjectTypeExtension", "InterfaceTypeExtension", "UnionTypeExtension",
    "EnumTypeExtension", "InputObjectTypeExtension", NULL
};

/* ORDER VALUE */
static const char *const value_names[] = {
    "Variable", "IntValue", "FloatValue", "StringValue", "BooleanValue",
    "NullValue", "EnumValue", "ListValue", "ObjectValue"
};

/* ORDER TYPEREF */
static const char *const type_names[] = {
    "NamedType", "ListType", "NonNullType"
};

typedef json_object *(*dump_fn)(apr_pool_t *p, const void *node);

static json_object *loc_str(apr_pool_t *p, const gql_loc_t *loc)
{
    return json_object_new_string(apr_psprintf(p, "%u:%u", loc->line,
                                               loc->column));
}

static json_object *node(apr_pool_t *p, const char *kind,
                         const gql_loc_t *loc)
{
    json_object *o = json_object_new_object();

    json_object_object_add(o, "kind", json_object_new_string(kind));
    json_object_object_add(o, "loc", loc_str(p, loc));
    return o;
}

/* "value@LINE:COL", or NULL for an absent name */
static json_object *name(apr_pool_t *p, const gql_name_t *n)
{
    if (n->value == NULL) {
        return NULL;
    }
    return json_object_new_string(apr_psprintf(p, "%s@%u:%u", n->value,
                                               n->loc.line, n->loc.column));
}

/* Absent members are left out, as the reference converter does. */
static void add(json_object *o, const char *key, json_object *v)
{
    if (v != NULL) {
        json_object_object_add(o, key, v);
    }
}

static json_object *each(apr_pool_t *p, const apr_array_header_t *arr,
                         dump_fn fn)
{
    json_object *a;
    int i;

    if (arr == NULL || arr->nelts == 0) {
        return NULL;
    }
    a = json_object_new_array();
    for (i = 0; i < arr->nelts; i++) {
        json_object_array_add(a, fn(p, APR_ARRAY_IDX(arr, i, void *)));
    }
    return a;
}

static json_object *dump_name(apr_pool_t *p, const void *n)
{
    return name(p, n);
}

static json_object *string(apr_pool_t *p, const gql_string_t *s)
{
    json_object *o;

    if (s == NULL) {
        return NULL;
    }
    o = node(p, "StringValue", &s->loc);
    json_object_object_add(o, "value",
                           json_object_new_string_len(s->value,
                                                      (int)s->len));
    json_object_object_add(o, "block", json_object_new_boolean(s->block));
    return o;
}

static json_object *dump_value(apr_pool_t *p, const void *vp);

static json_object *dump_object_field(apr_pool_t *p, const void *fp)
{
    const gql_object_field_t *f = fp;
    json_object *o = node(p, "ObjectField", &f->loc);

    add(o, "name", name(p, &f->name));
    add(o, "value", dump_value(p, f->value));
    return o;
}

static json_object *dump_value(apr_pool_t *p, const void *vp)
{
    const gql_value_t *v = vp;
    json_object *o;

    if (v == NULL) {
        return NULL;
    }
    o = node(p, value_names[v->kind], &v->loc);
    switch (v->kind) {
    case GQL_VALUE_VARIABLE:
        /* the AST keeps no position for the name after '$' */
        add(o, "name", json_object_new_string(v->text));
        break;
    case GQL_VALUE_BOOLEAN:
        add(o, "value", json_object_new_boolean(v->boolean));
        break;
    case GQL_VALUE_NULL:
        break;
    case GQL_VALUE_STRING:
        add(o, "value", json_object_new_string_len(v->text, (int)v->len));
        add(o, "block", json_object_new_boolean(v->block));
        break;
    case GQL_VALUE_LIST:
        add(o, "values", each(p, v->items, dump_value));
        break;
    case GQL_VALUE_OBJECT:
        add(o, "fields", each(p, v->fields, dump_object_field));
        break;
    default:
        add(o, "value", json_object_new_string_len(v->text, (int)v->len));
        break;
    }
    return o;
}

static json_object *type_ref(apr_pool_t *p, const gql_type_ref_t *t)
{
    json_object *o;

    if (t == NULL) {
        return NULL;
    }
    o = node(p, type_names[t->kind], &t->loc);
    if (t->kind == GQL_TYPE_NAMED) {
        add(o, "name", name(p, &t->name));
    }
    else {
        add(o, "type", type_ref(p, t->of_type));
    }
    return o;
}

static json_object *dump_argument(apr_pool_t *p, const void *ap)
{
    const gql_argument_t *a = ap;
    json_object *o = node(p, "Argument", &a->loc);

    add(o, "name", name(p, &a->name));
    add(o, "value", dump_value(p, a->value));
    return o;
}

static json_object *dump_directive(apr_pool_t *p, const void *dp)
{
    const gql_directive_t *d = dp;
    json_object *o = node(p, "Directive", &d->loc);

    add(o, "name", name(p, &d->name));
    add(o, "arguments", each(p, d->arguments, dump_argument));
    return o;
}

static json_object *selection_set(apr_pool_t *p,
                                  const gql_selection_set_t *ss);

static json_object *dump_selection(apr_pool_t *p, const void *sp)
{
    static const char *const kinds[] = {    /* ORDER SELECTION */
        "Field", "FragmentSpread", "InlineFragment"
    };
    const gql_selection_t *s = sp;
    json_object *o = node(p, kinds[s->kind], &s->loc);

    if (s->kind == GQL_SEL_FIELD) {
        add(o, "alias", name(p, &s->alias));
    }
    add(o, "name", name(p, &s->name));
    if (s->kind == GQL_SEL_INLINE_FRAGMENT) {
        add(o, "typeCondition", name(p, &s->type_condition));
    }
    add(o, "arguments", each(p, s->arguments, dump_argument));
    add(o, "directives", each(p, s->directives, dump_directive));
    add(o, "selectionSet", selection_set(p, s->selection_set));
    return o;
}

static json_object *selection_set(apr_pool_t *p,
                                  const gql_selection_set_t *ss)
{
    json_object *o;

    if (ss == NULL) {
        return NULL;
    }
    o = node(p, "SelectionSet", &ss->loc);
    add(o, "selections", each(p, ss->selections, dump_selection));
    return o;
}

static json_object *dump_variable_def(apr_pool_t *p, const void *vp)
{
    const gql_variable_def_t *v = vp;
    json_object *o = node(p, "VariableDefinition", &v->loc);

    add(o, "description", string(p, v->description));
    add(o, "variable", name(p, &v->name));
    add(o, "type", type_ref(p, v->type));
    add(o, "defaultValue", dump_value(p, v->default_value));
    add(o, "directives", each(p, v->directives, dump_directive));
    return o;
}

static json_object *dump_input_value_def(apr_pool_t *p, const void *ip)
{
    const gql_input_value_def_t *iv = ip;
    json_object *o = node(p, "InputValueDefinition", &iv->loc);

    add(o, "description", string(p, iv->description));
    add(o, "name", name(p, &iv->name));
    add(o, "type", type_ref(p, iv->type));
    add(o, "defaultValue", dump_value(p, iv->default_value));
    add(o, "directives", each(p, iv->directives, dump_directive));
    return o;
}

static json_object *dump_field_def(apr_pool_t *p, const void *fp)
{
    const gql_field_def_t *f = fp;
    json_object *o = node(p, "FieldDefinition", &f->loc);

    add(o, "description", string(p, f->description));
    add(o, "name", name(p, &f->name));
    add(o, "arguments", each(p, f->arguments, dump_input_value_def));
    add(o, "type", type_ref(p, f->type));
    add(o, "directives", each(p, f->directives, dump_directive));
    return o;
}

static json_object *dump_enum_value_def(apr_pool_t *p, const void *ep)
{
    const gql_enum_value_def_t *e = ep;
    json_object *o = node(p, "EnumValueDefinition", &e->loc);

    add(o, "description", string(p, e->description));
    add(o, "name", name(p, &e->name));
    add(o, "directives", each(p, e->directives, dump_directive));
    return o;
}

static json_object *dump_operation_type_def(apr_pool_t *p, const void *op)
{
    const gql_operation_type_def_t *t = op;
    json_object *o = node(p, "OperationTypeDefinition", &t->loc);

    add(o, "operation",
        json_object_new_string(gql_operation_names[t->operation]));
    add(o, "type", name(p, &t->type));
    return o;
}

static json_object *dump_definition(apr_pool_t *p, const void *dp)
{
    const gql_definition_t *d = dp;
    json_object *o = node(p, d->is_extension ? extension_names[d->kind]
                                             : gql_definition_kind_names[
                                                   d->kind], &d->loc);
    int is_exec = d->kind <= GQL_DEF_FRAGMENT;

    add(o, "description", string(p, d->description));
    if (d->kind == GQL_DEF_OPERATION) {
        add(o, "operation",
            json_object_new_string(gql_operation_names[d->operation]));
    }
    add(o, "name", name(p, &d->name));
    add(o, "variableDefinitions",
        each(p, d->variables, dump_variable_def));
    add(o, "typeCondition", name(p, &d->type_condition));
    add(o, "arguments", each(p, d->arguments, dump_input_value_def));
    if (d->kind == GQL_DEF_DIRECTIVE) {
        add(o, "repeatable", json_object_new_boolean(d->repeatable));
        add(o, "locations", each(p, d->locations, dump_name));
    }
    add(o, "interfaces", each(p, d->interfaces, dump_name));
    add(o, "directives", each(p, d->directives, dump_directive));
    add(o, "operationTypes",
        each(p, d->operation_types, dump_operation_type_def));
    add(o, "fields", each(p, d->fields, dump_field_def));
    add(o, "types", each(p, d->members, dump_name));
    add(o, "values", each(p, d->values, dump_enum_value_def));
    if (!is_exec && d->input_fields->nelts > 0) {
        add(o, "fields", each(p, d->input_fields, dump_input_value_def));
    }
    add(o, "selectionSet", selection_set(p, d->selection_set));
    return o;
}

static apr_status_t put(void *o)
{
    json_object_put(o);
    return APR_SUCCESS;
}

json_object *gql_ast_dump(apr_pool_t *p, const gql_document_t *doc)
{
    json_object *o = json_object_new_object();

    json_object_object_add(o, "kind", json_object_new_string("Document"));
    add(o, "definitions", each(p, doc->definitions, dump_definition));
    apr_pool_cleanup_register(p, o, put, apr_pool_cleanup_null);
    return o;
}
