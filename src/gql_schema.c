/* Licensed under the Apache License, Version 2.0 (the "License"); you may
 * not use this file except in compliance with the License.  You may obtain
 * a copy of the License at http://www.apache.org/licenses/LICENSE-2.0
 */

/*
 * gql_schema.c: the schema's types, made from SDL definitions, and the
 * look-ups that every later stage uses.
 *
 * The built-in scalars, directives and introspection types are themselves
 * written in SDL below and parsed with the user's documents: they form the
 * schema the user's documents extend, so redefining them is an error.
 *
 * gql_schema_load.c runs the build: it gathers the definitions here, has
 * gql_schema_check.c check them, makes the types here, has them checked,
 * and maps them.  This file calls neither of the two.
 */

#include <stdarg.h>
#include <string.h>
#include <apr_strings.h>
#include "gql_parser.h"
#include "gql_schema.h"
#include "gql_schema_int.h"

/* ORDER KIND */
const char *const gql_type_kind_names[] = {
    "SCALAR", "OBJECT", "INTERFACE", "UNION", "ENUM", "INPUT_OBJECT"
};

#define BUILTIN_SOURCE "<built-in>"
#define DEFAULT_DEPRECATION "No longer supported"
#define META_CARRIER "__MetaFields"

/* The built-ins, with the descriptions graphql-js gives them, since
 * introspection shows them.  The shapes follow the specification (September
 * 2025 edition): no deprecation of directives. */
static const char builtin_sdl[] =
    "\"\"\"\n"
    "The `String` scalar type represents textual data, represented"
    " as UTF-8 character sequences. The String type is most often"
    " used by GraphQL to represent free-form human-readable text.\n"
    "\"\"\"\n"
    "scalar String\n"
    "\n"
    "\"\"\"\n"
    "The `Int` scalar type represents non-fractional signed whole"
    " numeric values. Int can represent values between -(2^31) and"
    " 2^31 - 1.\n"
    "\"\"\"\n"
    "scalar Int\n"
    "\n"
    "\"\"\"\n"
    "The `Float` scalar type represents signed double-precision"
    " fractional values as specified by [IEEE"
    " 754](https://en.wikipedia.org/wiki/IEEE_floating_point).\n"
    "\"\"\"\n"
    "scalar Float\n"
    "\n"
    "\"\"\"The `Boolean` scalar type represents `true` or"
    " `false`.\"\"\"\n"
    "scalar Boolean\n"
    "\n"
    "\"\"\"\n"
    "The `ID` scalar type represents a unique identifier, often"
    " used to refetch an object or as key for a cache. The ID type"
    " appears in a JSON response as a String; however, it is not"
    " intended to be human-readable. When expected as an input"
    " type, any string (such as `\"4\"`) or integer (such as `4`)"
    " input value will be accepted as an ID.\n"
    "\"\"\"\n"
    "scalar ID\n"
    "\n"
    "\"\"\"\n"
    "Directs the executor to include this field or fragment only"
    " when the `if` argument is true.\n"
    "\"\"\"\n"
    "directive @include(\n"
    "  \"\"\"Included when true.\"\"\"\n"
    "  if: Boolean!\n"
    ") on FIELD | FRAGMENT_SPREAD | INLINE_FRAGMENT\n"
    "\n"
    "\"\"\"\n"
    "Directs the executor to skip this field or fragment when the"
    " `if` argument is true.\n"
    "\"\"\"\n"
    "directive @skip(\n"
    "  \"\"\"Skipped when true.\"\"\"\n"
    "  if: Boolean!\n"
    ") on FIELD | FRAGMENT_SPREAD | INLINE_FRAGMENT\n"
    "\n"
    "\"\"\"Marks an element of a GraphQL schema as no longer"
    " supported.\"\"\"\n"
    "directive @deprecated(\n"
    "  \"\"\"\n"
    "  Explains why this element was deprecated, usually also"
    " including a suggestion for how to access supported similar"
    " data. Formatted using the Markdown syntax, as specified by"
    " [CommonMark](https://commonmark.org/).\n"
    "  \"\"\"\n"
    "  reason: String = \"No longer supported\"\n"
    ") on FIELD_DEFINITION | ARGUMENT_DEFINITION |"
    " INPUT_FIELD_DEFINITION | ENUM_VALUE\n"
    "\n"
    "\"\"\"Exposes a URL that specifies the behavior of this"
    " scalar.\"\"\"\n"
    "directive @specifiedBy(\n"
    "  \"\"\"The URL that specifies the behavior of this"
    " scalar.\"\"\"\n"
    "  url: String!\n"
    ") on SCALAR\n"
    "\n"
    "\"\"\"\n"
    "Indicates exactly one field must be supplied and this field"
    " must not be `null`.\n"
    "\"\"\"\n"
    "directive @oneOf on INPUT_OBJECT\n"
    "\n"
    /* The meta-fields of spec 4.2.2; build() takes them out of this
     * carrier type, which no schema shows. */
    "type " META_CARRIER " {\n"
    "  \"Access the current type schema of this server.\"\n"
    "  __schema: __Schema!\n"
    "  \"Request the type information of a single type.\"\n"
    "  __type(name: String!): __Type\n"
    "  \"The name of the current Object type at runtime.\"\n"
    "  __typename: String!\n"
    "}\n"
    "\n"
    "\"\"\"\n"
    "A GraphQL Schema defines the capabilities of a GraphQL"
    " server. It exposes all available types and directives on the"
    " server, as well as the entry points for query, mutation, and"
    " subscription operations.\n"
    "\"\"\"\n"
    "type __Schema {\n"
    "  description: String\n"
    "\n"
    "  \"\"\"A list of all types supported by this server.\"\"\"\n"
    "  types: [__Type!]!\n"
    "\n"
    "  \"\"\"The type that query operations will be rooted"
    " at.\"\"\"\n"
    "  queryType: __Type!\n"
    "\n"
    "  \"\"\"\n"
    "  If this server supports mutation, the type that mutation"
    " operations will be rooted at.\n"
    "  \"\"\"\n"
    "  mutationType: __Type\n"
    "\n"
    "  \"\"\"\n"
    "  If this server support subscription, the type that"
    " subscription operations will be rooted at.\n"
    "  \"\"\"\n"
    "  subscriptionType: __Type\n"
    "\n"
    "  \"\"\"A list of all directives supported by this"
    " server.\"\"\"\n"
    "  directives: [__Directive!]!\n"
    "}\n"
    "\n"
    "\"\"\"\n"
    "The fundamental unit of any GraphQL Schema is the type. There"
    " are many kinds of types in GraphQL as represented by the"
    " `__TypeKind` enum.\n"
    "\n"
    "Depending on the kind of a type, certain fields describe"
    " information about that type. Scalar types provide no"
    " information beyond a name, description and optional"
    " `specifiedByURL`, while Enum types provide their values."
    " Object and Interface types provide the fields they describe."
    " Abstract types, Union and Interface, provide the Object"
    " types possible at runtime. List and NonNull types compose"
    " other types.\n"
    "\"\"\"\n"
    "type __Type {\n"
    "  kind: __TypeKind!\n"
    "  name: String\n"
    "  description: String\n"
    "  specifiedByURL: String\n"
    "  fields(includeDeprecated: Boolean = false): [__Field!]\n"
    "  interfaces: [__Type!]\n"
    "  possibleTypes: [__Type!]\n"
    "  enumValues(includeDeprecated: Boolean = false):"
    " [__EnumValue!]\n"
    "  inputFields(includeDeprecated: Boolean = false):"
    " [__InputValue!]\n"
    "  ofType: __Type\n"
    "  isOneOf: Boolean\n"
    "}\n"
    "\n"
    "\"\"\"An enum describing what kind of type a given `__Type`"
    " is.\"\"\"\n"
    "enum __TypeKind {\n"
    "  \"\"\"Indicates this type is a scalar.\"\"\"\n"
    "  SCALAR\n"
    "\n"
    "  \"\"\"\n"
    "  Indicates this type is an object. `fields` and `interfaces`"
    " are valid fields.\n"
    "  \"\"\"\n"
    "  OBJECT\n"
    "\n"
    "  \"\"\"\n"
    "  Indicates this type is an interface. `fields`,"
    " `interfaces`, and `possibleTypes` are valid fields.\n"
    "  \"\"\"\n"
    "  INTERFACE\n"
    "\n"
    "  \"\"\"Indicates this type is a union. `possibleTypes` is a"
    " valid field.\"\"\"\n"
    "  UNION\n"
    "\n"
    "  \"\"\"Indicates this type is an enum. `enumValues` is a"
    " valid field.\"\"\"\n"
    "  ENUM\n"
    "\n"
    "  \"\"\"\n"
    "  Indicates this type is an input object. `inputFields` is a"
    " valid field.\n"
    "  \"\"\"\n"
    "  INPUT_OBJECT\n"
    "\n"
    "  \"\"\"Indicates this type is a list. `ofType` is a valid"
    " field.\"\"\"\n"
    "  LIST\n"
    "\n"
    "  \"\"\"Indicates this type is a non-null. `ofType` is a"
    " valid field.\"\"\"\n"
    "  NON_NULL\n"
    "}\n"
    "\n"
    "\"\"\"\n"
    "Object and Interface types are described by a list of Fields,"
    " each of which has a name, potentially a list of arguments,"
    " and a return type.\n"
    "\"\"\"\n"
    "type __Field {\n"
    "  name: String!\n"
    "  description: String\n"
    "  args(includeDeprecated: Boolean = false): [__InputValue!]!\n"
    "  type: __Type!\n"
    "  isDeprecated: Boolean!\n"
    "  deprecationReason: String\n"
    "}\n"
    "\n"
    "\"\"\"\n"
    "Arguments provided to Fields or Directives and the input"
    " fields of an InputObject are represented as Input Values"
    " which describe their type and optionally a default value.\n"
    "\"\"\"\n"
    "type __InputValue {\n"
    "  name: String!\n"
    "  description: String\n"
    "  type: __Type!\n"
    "\n"
    "  \"\"\"\n"
    "  A GraphQL-formatted string representing the default value"
    " for this input value.\n"
    "  \"\"\"\n"
    "  defaultValue: String\n"
    "  isDeprecated: Boolean!\n"
    "  deprecationReason: String\n"
    "}\n"
    "\n"
    "\"\"\"\n"
    "One possible value for a given Enum. Enum values are unique"
    " values, not a placeholder for a string or numeric value."
    " However an Enum value is returned in a JSON response as a"
    " string.\n"
    "\"\"\"\n"
    "type __EnumValue {\n"
    "  name: String!\n"
    "  description: String\n"
    "  isDeprecated: Boolean!\n"
    "  deprecationReason: String\n"
    "}\n"
    "\n"
    "\"\"\"\n"
    "A Directive provides a way to describe alternate runtime"
    " execution and type validation behavior in a GraphQL document.\n"
    "\n"
    "In some cases, you need to provide options to alter GraphQL's"
    " execution behavior in ways field arguments will not suffice,"
    " such as conditionally including or skipping a field."
    " Directives provide this by describing additional information"
    " to the executor.\n"
    "\"\"\"\n"
    "type __Directive {\n"
    "  name: String!\n"
    "  description: String\n"
    "  isRepeatable: Boolean!\n"
    "  locations: [__DirectiveLocation!]!\n"
    "  args(includeDeprecated: Boolean = false): [__InputValue!]!\n"
    "}\n"
    "\n"
    "\"\"\"\n"
    "A Directive can be adjacent to many parts of the GraphQL"
    " language, a __DirectiveLocation describes one such possible"
    " adjacencies.\n"
    "\"\"\"\n"
    "enum __DirectiveLocation {\n"
    "  \"\"\"Location adjacent to a query operation.\"\"\"\n"
    "  QUERY\n"
    "\n"
    "  \"\"\"Location adjacent to a mutation operation.\"\"\"\n"
    "  MUTATION\n"
    "\n"
    "  \"\"\"Location adjacent to a subscription operation.\"\"\"\n"
    "  SUBSCRIPTION\n"
    "\n"
    "  \"\"\"Location adjacent to a field.\"\"\"\n"
    "  FIELD\n"
    "\n"
    "  \"\"\"Location adjacent to a fragment definition.\"\"\"\n"
    "  FRAGMENT_DEFINITION\n"
    "\n"
    "  \"\"\"Location adjacent to a fragment spread.\"\"\"\n"
    "  FRAGMENT_SPREAD\n"
    "\n"
    "  \"\"\"Location adjacent to an inline fragment.\"\"\"\n"
    "  INLINE_FRAGMENT\n"
    "\n"
    "  \"\"\"Location adjacent to a variable definition.\"\"\"\n"
    "  VARIABLE_DEFINITION\n"
    "\n"
    "  \"\"\"Location adjacent to a schema definition.\"\"\"\n"
    "  SCHEMA\n"
    "\n"
    "  \"\"\"Location adjacent to a scalar definition.\"\"\"\n"
    "  SCALAR\n"
    "\n"
    "  \"\"\"Location adjacent to an object type definition.\"\"\"\n"
    "  OBJECT\n"
    "\n"
    "  \"\"\"Location adjacent to a field definition.\"\"\"\n"
    "  FIELD_DEFINITION\n"
    "\n"
    "  \"\"\"Location adjacent to an argument definition.\"\"\"\n"
    "  ARGUMENT_DEFINITION\n"
    "\n"
    "  \"\"\"Location adjacent to an interface definition.\"\"\"\n"
    "  INTERFACE\n"
    "\n"
    "  \"\"\"Location adjacent to a union definition.\"\"\"\n"
    "  UNION\n"
    "\n"
    "  \"\"\"Location adjacent to an enum definition.\"\"\"\n"
    "  ENUM\n"
    "\n"
    "  \"\"\"Location adjacent to an enum value definition.\"\"\"\n"
    "  ENUM_VALUE\n"
    "\n"
    "  \"\"\"Location adjacent to an input object type"
    " definition.\"\"\"\n"
    "  INPUT_OBJECT\n"
    "\n"
    "  \"\"\"Location adjacent to an input object field"
    " definition.\"\"\"\n"
    "  INPUT_FIELD_DEFINITION\n"
    "}\n"
    "\n";

/* The file is the first one when the error has no position. */
gql_error_t *gql_schema_fail(gql_build_t *c, const char *src,
                             const gql_loc_t *loc, const char *fmt, ...)
{
    va_list ap;
    gql_error_t *e;

    va_start(ap, fmt);
    e = gql_error_add(c->p, c->errs, loc, "%s", apr_pvsprintf(c->p, fmt, ap));
    va_end(ap);
    e->source = (loc != NULL && loc->line) ? src : c->src0;
    return e;
}

/* The type a reference names, under its lists and non-nulls. */
const gql_type_t *gql_schema_named(const gql_tref_t *t)
{
    while (t && t->kind != GQL_TYPE_NAMED) {
        t = t->of_type;
    }
    return t ? t->named : NULL;
}

/* ---- Phase 1's input: the definitions and their indexes ---- */

static void add_items(gql_build_t *c, const gql_document_t *doc,
                      apr_array_header_t *to, int hidden)
{
    int i;

    for (i = 0; i < doc->definitions->nelts; i++) {
        const gql_definition_t *d = GQL_AST_ITEM(doc->definitions, i,
                                                 gql_definition_t);
        gql_item_t *it;

        if (d->kind == GQL_DEF_OPERATION && d->name.value == NULL) {
            gql_schema_fail(c, doc->source, &d->loc, "The anonymous %s "
                            "definition is not a type-system definition.",
                            gql_operation_names[d->operation]);
            continue;
        }
        if (d->kind == GQL_DEF_OPERATION || d->kind == GQL_DEF_FRAGMENT) {
            gql_schema_fail(c, doc->source, &d->loc, "The \"%s\" definition "
                            "is not a type-system definition.",
                            d->name.value);
            continue;
        }
        it = apr_palloc(c->tp, sizeof(*it));
        it->def = d;
        it->src = doc->source;
        it->hidden = hidden;
        APR_ARRAY_PUSH(to, const gql_item_t *) = it;
    }
}

/* The look-up tables of phase 1.  graphql-js lets the last definition of
 * a name win where it keeps one (extensions, directive locations). */
static void index_items(gql_build_t *c)
{
    int i;

    for (i = 0; i < c->bitems->nelts; i++) {
        const gql_item_t *it = APR_ARRAY_IDX(c->bitems, i, const gql_item_t *);
        const char *n = it->def->name.value;

        if (it->def->kind == GQL_DEF_DIRECTIVE) {
            apr_hash_set(c->bdirs, n, APR_HASH_KEY_STRING, it);
            apr_hash_set(c->dirs, n, APR_HASH_KEY_STRING, it);
        }
        else {
            apr_hash_set(c->btypes, n, APR_HASH_KEY_STRING, it);
            APR_ARRAY_PUSH(c->knownnames, const char *) = n;
        }
    }
    for (i = 0; i < c->items->nelts; i++) {
        const gql_item_t *it = APR_ARRAY_IDX(c->items, i, const gql_item_t *);
        const char *n = it->def->name.value;

        if (it->def->kind == GQL_DEF_DIRECTIVE) {
            apr_hash_set(c->dirs, n, APR_HASH_KEY_STRING, it);
        }
        else if (is_type_def(it->def) && !it->def->is_extension) {
            if (!hget(c->deftypes, n) && !hget(c->btypes, n)) {
                APR_ARRAY_PUSH(c->knownnames, const char *) = n;
            }
            apr_hash_set(c->deftypes, n, APR_HASH_KEY_STRING, it);
        }
    }
}

/* Parses built-in SDL into c->bitems; 0 after an error. */
static int add_builtin(gql_build_t *c, const char *sdl, apr_size_t len,
                       const char *source, int hidden)
{
    gql_error_t *err = NULL;
    const gql_document_t *d = gql_parse(c->p, sdl, len, source, &err);

    if (d == NULL) {
        APR_ARRAY_PUSH(c->errs, gql_error_t *) = err;
        return 0;
    }
    add_items(c, d, c->bitems, hidden);
    return 1;
}

/* The built-ins, then each vocabulary's definitions (vocabs NULL: none). */
static int prelude(gql_build_t *c, const gql_schema_vocab_t *const *vocabs)
{
    int ok = add_builtin(c, builtin_sdl, sizeof(builtin_sdl) - 1,
                         BUILTIN_SOURCE, 0);

    for (; ok && vocabs != NULL && *vocabs != NULL; vocabs++) {
        ok = add_builtin(c, (*vocabs)->sdl, strlen((*vocabs)->sdl),
                         (*vocabs)->source, (*vocabs)->hidden);
    }
    return ok;
}

int gql_schema_gather(gql_build_t *c, const gql_schema_vocab_t *const *vocabs,
                      const gql_document_t *const *docs, int ndocs)
{
    int i;

    if (!prelude(c, vocabs)) {
        return 0;
    }
    for (i = 0; i < ndocs; i++) {
        add_items(c, docs[i], c->items, 0);
    }
    index_items(c);
    return 1;
}

/* ---- Phase 2's input: the types ---- */

static const gql_type_t *lookup(gql_build_t *c, const char *name)
{
    const gql_tinfo_t *ti = apr_hash_get(c->tinfo, name, APR_HASH_KEY_STRING);

    return ti ? ti->t : NULL;
}

/* Recursion bounded by the parser, which refuses deeper type references
 * than GQL_MAX_DEPTH. */
static const gql_tref_t *make_tref(gql_build_t *c, const gql_type_ref_t *r)
{
    gql_tref_t *t = apr_pcalloc(c->p, sizeof(*t));

    t->kind = r->kind;
    if (r->kind == GQL_TYPE_NAMED) {
        t->named = lookup(c, r->name.value);
    }
    else {
        t->of_type = make_tref(c, r->of_type);
    }
    return t;
}

const gql_directive_t *gql_schema_find_dir(const apr_array_header_t *dirs,
                                         const char *name)
{
    int i;

    for (i = 0; dirs && i < dirs->nelts; i++) {
        const gql_directive_t *d = GQL_AST_ITEM(dirs, i, gql_directive_t);

        if (strcmp(d->name.value, name) == 0) {
            return d;
        }
    }
    return NULL;
}

static const gql_value_t *arg_value(const gql_directive_t *d,
                                    const char *name)
{
    int i;

    for (i = 0; i < d->arguments->nelts; i++) {
        const gql_argument_t *a = GQL_AST_ITEM(d->arguments, i,
                                               gql_argument_t);

        if (strcmp(a->name.value, name) == 0) {
            return a->value;
        }
    }
    return NULL;
}

/* @deprecated's reason; reason: null means not deprecated, as in
 * graphql-js.  A reason of the wrong type is reported by check_values. */
static const char *deprecation(const apr_array_header_t *dirs)
{
    const gql_directive_t *d = gql_schema_find_dir(dirs, "deprecated");
    const gql_value_t *v;

    if (d == NULL) {
        return NULL;
    }
    v = arg_value(d, "reason");
    if (v == NULL) {
        return DEFAULT_DEPRECATION;
    }
    if (v->kind == GQL_VALUE_NULL) {
        return NULL;
    }
    return v->kind == GQL_VALUE_STRING ? v->text : DEFAULT_DEPRECATION;
}

static apr_array_header_t *make_inputs(gql_build_t *c, const char *src,
                                       const apr_array_header_t *ivs)
{
    apr_array_header_t *out = apr_array_make(c->p, ivs->nelts + 1,
                                             sizeof(gql_input_value_t *));
    int i;

    for (i = 0; i < ivs->nelts; i++) {
        const gql_input_value_def_t *iv = GQL_AST_ITEM(ivs, i,
                                                       gql_input_value_def_t);
        gql_input_value_t *v = apr_pcalloc(c->p, sizeof(*v));

        v->name = iv->name.value;
        v->description = iv->description;
        v->type = make_tref(c, iv->type);
        v->default_value = iv->default_value;
        v->deprecation_reason = deprecation(iv->directives);
        v->directives = iv->directives;
        v->source = src;
        v->loc = iv->loc;
        v->ast = iv;
        APR_ARRAY_PUSH(out, gql_input_value_t *) = v;
    }
    return out;
}

static void add_fields(gql_build_t *c, gql_type_t *t, const gql_item_t *it)
{
    int i;

    for (i = 0; i < it->def->fields->nelts; i++) {
        const gql_field_def_t *fd = GQL_AST_ITEM(it->def->fields, i,
                                                 gql_field_def_t);
        gql_field_t *f = apr_pcalloc(c->p, sizeof(*f));

        f->name = fd->name.value;
        f->description = fd->description;
        f->arguments = make_inputs(c, it->src, fd->arguments);
        f->type = make_tref(c, fd->type);
        f->deprecation_reason = deprecation(fd->directives);
        f->directives = fd->directives;
        f->parent = t;
        f->source = it->src;
        f->loc = fd->loc;
        f->ast = fd;
        APR_ARRAY_PUSH(t->fields, gql_field_t *) = f;
        apr_hash_set(t->field_index, f->name, APR_HASH_KEY_STRING, f);
    }
}

static void add_names(gql_build_t *c, apr_array_header_t *to,
                      const apr_array_header_t *names)
{
    int i;

    for (i = 0; i < names->nelts; i++) {
        const gql_type_t *t = lookup(c, GQL_AST_ITEM(names, i,
                                                     gql_name_t)->value);

        if (t) {
            APR_ARRAY_PUSH(to, const gql_type_t *) = t;
        }
    }
}

static void add_values(gql_build_t *c, gql_type_t *t, const gql_item_t *it)
{
    int i;

    for (i = 0; i < it->def->values->nelts; i++) {
        const gql_enum_value_def_t *vd = GQL_AST_ITEM(it->def->values, i,
                                                      gql_enum_value_def_t);
        gql_enum_value_t *v = apr_pcalloc(c->p, sizeof(*v));

        v->name = vd->name.value;
        v->description = vd->description;
        v->deprecation_reason = deprecation(vd->directives);
        v->directives = vd->directives;
        v->source = it->src;
        v->loc = vd->loc;
        APR_ARRAY_PUSH(t->enum_values, gql_enum_value_t *) = v;
    }
}

/* Adds what one definition or extension gives to its type.  Directives on
 * extensions count as on the definition (@specifiedBy, @oneOf too). */
static void populate(gql_build_t *c, gql_tinfo_t *ti, const gql_item_t *it)
{
    gql_type_t *t = ti->t;
    const gql_definition_t *d = it->def;
    const gql_directive_t *sb = gql_schema_find_dir(d->directives,
                                                    "specifiedBy");
    const gql_value_t *url = sb ? arg_value(sb, "url") : NULL;
    int i;

    APR_ARRAY_PUSH(ti->nodes, const gql_item_t *) = it;
    for (i = 0; i < d->directives->nelts; i++) {
        APR_ARRAY_PUSH(t->directives, const gql_directive_t *) =
            GQL_AST_ITEM(d->directives, i, gql_directive_t);
    }
    if (url && url->kind == GQL_VALUE_STRING && t->kind == GQL_KIND_SCALAR) {
        t->specified_by_url = url->text;
    }
    if (gql_schema_find_dir(d->directives, "oneOf")
        && t->kind == GQL_KIND_INPUT_OBJECT) {
        t->one_of = 1;
    }
    switch (d->kind) {
    case GQL_DEF_OBJECT:
    case GQL_DEF_INTERFACE:
        add_fields(c, t, it);
        add_names(c, t->interfaces, d->interfaces);
        break;
    case GQL_DEF_UNION:
        add_names(c, t->possible_types, d->members);
        break;
    case GQL_DEF_ENUM:
        add_values(c, t, it);
        break;
    case GQL_DEF_INPUT_OBJECT:
        apr_array_cat(t->input_fields, make_inputs(c, it->src,
                                                   d->input_fields));
        break;
    default:
        break;
    }
}

static void new_type(gql_build_t *c, const gql_item_t *it, int builtin)
{
    gql_type_t *t = apr_pcalloc(c->p, sizeof(*t));
    gql_tinfo_t *ti = apr_palloc(c->tp, sizeof(*ti));

    t->kind = (gql_type_kind_e)(it->def->kind - GQL_DEF_SCALAR);
    t->name = it->def->name.value;
    t->description = it->def->description;
    t->builtin = builtin;
    t->fields = apr_array_make(c->p, 4, sizeof(gql_field_t *));
    t->field_index = apr_hash_make(c->p);
    t->interfaces = apr_array_make(c->p, 1, sizeof(gql_type_t *));
    t->possible_types = apr_array_make(c->p, 1, sizeof(gql_type_t *));
    t->enum_values = apr_array_make(c->p, 1, sizeof(gql_enum_value_t *));
    t->input_fields = apr_array_make(c->p, 1, sizeof(gql_input_value_t *));
    t->directives = apr_array_make(c->p, 1, sizeof(gql_directive_t *));
    t->source = it->src;
    t->loc = it->def->loc;
    ti->t = t;
    ti->nodes = apr_array_make(c->tp, 1, sizeof(gql_item_t *));
    apr_hash_set(c->tinfo, t->name, APR_HASH_KEY_STRING, ti);
    apr_hash_set(c->s->type_index, t->name, APR_HASH_KEY_STRING, t);
    APR_ARRAY_PUSH(c->s->types, gql_type_t *) = t;
}

static void new_directive(gql_build_t *c, const gql_item_t *it, int builtin)
{
    gql_directive_def_t *dd = apr_pcalloc(c->p, sizeof(*dd));
    apr_array_header_t *locs;
    int i;

    dd->name = it->def->name.value;
    dd->description = it->def->description;
    dd->arguments = make_inputs(c, it->src, it->def->arguments);
    dd->repeatable = it->def->repeatable;
    locs = apr_array_make(c->p, it->def->locations->nelts + 1,
                          sizeof(const char *));
    for (i = 0; i < it->def->locations->nelts; i++) {
        APR_ARRAY_PUSH(locs, const char *) =
            GQL_AST_ITEM(it->def->locations, i, gql_name_t)->value;
    }
    dd->locations = locs;
    dd->builtin = builtin;
    dd->server_side = it->hidden;
    dd->source = it->src;
    dd->loc = it->def->loc;
    APR_ARRAY_PUSH(c->s->directives, gql_directive_def_t *) = dd;
    apr_hash_set(c->s->directive_index, dd->name, APR_HASH_KEY_STRING, dd);
}

static void populate_pass(gql_build_t *c, const apr_array_header_t *items,
                          int extensions)
{
    int i;

    for (i = 0; i < items->nelts; i++) {
        const gql_item_t *it = APR_ARRAY_IDX(items, i, const gql_item_t *);
        gql_tinfo_t *ti;

        if (!is_type_def(it->def) || it->def->is_extension != extensions) {
            continue;
        }
        ti = apr_hash_get(c->tinfo, it->def->name.value, APR_HASH_KEY_STRING);
        /* graphql-js ignores extensions of built-in types */
        if (ti && !(ti->t->builtin && items == c->items)) {
            populate(c, ti, it);
        }
    }
}

/* Definitions first, then extensions in the order given, wherever they
 * stand: an extension may come before what it extends. */
static void populate_all(gql_build_t *c, const apr_array_header_t *items)
{
    populate_pass(c, items, 0);
    populate_pass(c, items, 1);
}

static void set_roots(gql_build_t *c)
{
    static const char *const implicit[] = {
        "Query", "Mutation", "Subscription"
    };
    const gql_type_t *roots[3] = { NULL, NULL, NULL };
    int i, j;

    c->s->applied = apr_array_make(c->p, 1, sizeof(gql_schema_applied_t));
    for (i = 0; i < c->items->nelts; i++) {
        const gql_item_t *it = APR_ARRAY_IDX(c->items, i, const gql_item_t *);

        if (it->def->kind != GQL_DEF_SCHEMA) {
            continue;
        }
        if (!it->def->is_extension) {
            c->schemadef = it;
            c->s->description = it->def->description;
        }
        for (j = 0; it->def->directives
                    && j < it->def->directives->nelts; j++) {
            gql_schema_applied_t *a = apr_array_push(c->s->applied);

            a->directive = GQL_AST_ITEM(it->def->directives, j,
                                        gql_directive_t);
            a->source = it->src;
        }
        for (j = 0; j < it->def->operation_types->nelts; j++) {
            const gql_operation_type_def_t *o = GQL_AST_ITEM(
                it->def->operation_types, j, gql_operation_type_def_t);

            c->opnode[o->operation] = &o->type;
            c->opsrc[o->operation] = it->src;
            roots[o->operation] = lookup(c, o->type.value);
        }
    }
    /* with no schema definition, the types named Query, Mutation and
     * Subscription are the roots (graphql-js lets them win over
     * `extend schema` too) */
    for (i = 0; i < 3 && c->schemadef == NULL; i++) {
        const gql_type_t *t = lookup(c, implicit[i]);

        if (t && !t->builtin) {
            roots[i] = t;
        }
    }
    c->s->query = roots[GQL_OP_QUERY];
    c->s->mutation = roots[GQL_OP_MUTATION];
    c->s->subscription = roots[GQL_OP_SUBSCRIPTION];
}

/* An interface's possible types: the object types implementing it, in
 * type order. */
static void set_implementations(gql_build_t *c)
{
    int i, j;

    for (i = 0; i < c->s->types->nelts; i++) {
        gql_type_t *t = APR_ARRAY_IDX(c->s->types, i, gql_type_t *);

        if (t->kind != GQL_KIND_OBJECT) {
            continue;
        }
        for (j = 0; j < t->interfaces->nelts; j++) {
            gql_type_t *iface = APR_ARRAY_IDX(t->interfaces, j, gql_type_t *);

            if (iface->kind == GQL_KIND_INTERFACE) {
                APR_ARRAY_PUSH(iface->possible_types, gql_type_t *) = t;
            }
        }
    }
}

/* Take the meta-fields out of their carrier type, and the carrier out of
 * the schema. */
static void take_meta_fields(gql_build_t *c)
{
    gql_type_t *carrier = apr_hash_get(c->s->type_index, META_CARRIER,
                                       APR_HASH_KEY_STRING);
    apr_array_header_t *types = c->s->types;
    int i, j;

    if (carrier == NULL) {
        return;
    }
    c->s->meta_schema = gql_type_field(carrier, "__schema");
    c->s->meta_type = gql_type_field(carrier, "__type");
    c->s->meta_typename = gql_type_field(carrier, "__typename");
    apr_hash_set(c->s->type_index, META_CARRIER, APR_HASH_KEY_STRING, NULL);
    for (i = j = 0; i < types->nelts; i++) {
        gql_type_t *t = APR_ARRAY_IDX(types, i, gql_type_t *);

        if (t != carrier) {
            APR_ARRAY_IDX(types, j++, gql_type_t *) = t;
        }
    }
    types->nelts = j;
}

static void build(gql_build_t *c)
{
    int i, pass;

    for (pass = 0; pass < 2; pass++) {
        const apr_array_header_t *items = pass ? c->bitems : c->items;

        for (i = 0; i < items->nelts; i++) {
            const gql_item_t *it = APR_ARRAY_IDX(items, i, const gql_item_t *);

            if (is_type_def(it->def) && !it->def->is_extension) {
                new_type(c, it, pass);
            }
        }
    }
    for (pass = 0; pass < 2; pass++) {
        const apr_array_header_t *items = pass ? c->items : c->bitems;

        for (i = 0; i < items->nelts; i++) {
            const gql_item_t *it = APR_ARRAY_IDX(items, i, const gql_item_t *);

            if (it->def->kind == GQL_DEF_DIRECTIVE) {
                new_directive(c, it, !pass);
            }
        }
    }
    populate_all(c, c->items);
    populate_all(c, c->bitems);
    set_roots(c);
    set_implementations(c);
    take_meta_fields(c);
}

/* Empty tables, in the schema's pool. */
static gql_schema_t *new_schema(apr_pool_t *p, int ntypes)
{
    gql_schema_t *s = apr_pcalloc(p, sizeof(*s));

    s->types = apr_array_make(p, ntypes, sizeof(gql_type_t *));
    s->type_index = apr_hash_make(p);
    s->directives = apr_array_make(p, 8, sizeof(gql_directive_def_t *));
    s->directive_index = apr_hash_make(p);
    s->type_map = apr_array_make(p, ntypes, sizeof(gql_type_t *));
    return s;
}

void gql_schema_make(gql_build_t *c)
{
    c->s = new_schema(c->p, c->items->nelts + 16);
    build(c);
}

/* ---- The type map ---- */

/*
 * schema.getTypeMap() of graphql-js's buildSchema(sdl), which is what
 * __schema.types lists: the GraphQLSchema constructor takes the SDL's
 * types in order, each followed by the built-in types first reached from
 * it (collectReferencedTypes), then the types of the directives'
 * arguments, then __Schema and what it reaches.  A built-in scalar that
 * nothing reaches is not in the schema at all.
 */
typedef struct tmap_t {
    apr_array_header_t *map;
    apr_hash_t *seen;           /* gql_type_t * -> the same */
    apr_pool_t *tp;
} tmap_t;

static void reach(tmap_t *m, const gql_type_t *t);

static void reach_inputs(tmap_t *m, const apr_array_header_t *ivs)
{
    int i;

    for (i = 0; ivs && i < ivs->nelts; i++) {
        const gql_input_value_t *v = APR_ARRAY_IDX(ivs, i,
                                                   const gql_input_value_t *);

        reach(m, gql_schema_named(v->type));
    }
}

/* In collectReferencedTypes' order: members; interfaces, then each
 * field's type and its arguments' types; input fields' types. */
static void reach_children(tmap_t *m, const gql_type_t *t)
{
    int i;

    for (i = 0; t->kind == GQL_KIND_UNION && i < t->possible_types->nelts;
         i++) {
        reach(m, APR_ARRAY_IDX(t->possible_types, i, const gql_type_t *));
    }
    if (t->kind == GQL_KIND_OBJECT || t->kind == GQL_KIND_INTERFACE) {
        for (i = 0; i < t->interfaces->nelts; i++) {
            reach(m, APR_ARRAY_IDX(t->interfaces, i, const gql_type_t *));
        }
        for (i = 0; i < t->fields->nelts; i++) {
            const gql_field_t *f = APR_ARRAY_IDX(t->fields, i, gql_field_t *);

            reach(m, gql_schema_named(f->type));
            reach_inputs(m, f->arguments);
        }
    }
    reach_inputs(m, t->input_fields);
}

/* Depth-first, each type once.  Every user type is seen before the walk
 * starts, so only the built-in ones recurse: the depth is bounded by
 * their number. */
static void reach(tmap_t *m, const gql_type_t *t)
{
    if (apr_hash_get(m->seen, &t, sizeof(t)) != NULL) {
        return;
    }
    apr_hash_set(m->seen, apr_pmemdup(m->tp, &t, sizeof(t)), sizeof(t), t);
    APR_ARRAY_PUSH(m->map, const gql_type_t *) = t;
    reach_children(m, t);
}

/* The directives' arguments, in the order graphql-js lists directives:
 * the schema's own, then the specified ones.  Server-side directives are
 * unknown to clients, and so are the types only they use. */
static void reach_directives(tmap_t *m, const gql_schema_t *s)
{
    int pass, i;

    for (pass = 0; pass < 2; pass++) {
        for (i = 0; i < s->directives->nelts; i++) {
            const gql_directive_def_t *d = APR_ARRAY_IDX(s->directives, i,
                                                gql_directive_def_t *);

            if (!d->server_side && d->builtin == pass) {
                reach_inputs(m, d->arguments);
            }
        }
    }
}

void gql_schema_map_types(gql_schema_t *s, apr_pool_t *tp)
{
    tmap_t m;
    int i;

    m.map = s->type_map;
    m.map->nelts = 0;
    m.seen = apr_hash_make(tp);
    m.tp = tp;
    for (i = 0; i < s->types->nelts; i++) {
        gql_type_t **t = &APR_ARRAY_IDX(s->types, i, gql_type_t *);

        if (!(*t)->builtin) {
            apr_hash_set(m.seen, t, sizeof(*t), *t);
        }
    }
    for (i = 0; i < s->types->nelts; i++) {
        const gql_type_t *t = APR_ARRAY_IDX(s->types, i, gql_type_t *);

        if (!t->builtin) {
            APR_ARRAY_PUSH(m.map, const gql_type_t *) = t;
            reach_children(&m, t);
        }
    }
    reach_directives(&m, s);
    reach(&m, gql_schema_type(s, "__Schema"));
    for (i = 0; i < s->types->nelts; i++) {
        gql_type_t *t = APR_ARRAY_IDX(s->types, i, gql_type_t *);

        t->referenced = apr_hash_get(m.seen, &t, sizeof(t)) != NULL;
    }
}

gql_directive_def_t *gql_schema_hide_directive(gql_schema_t *s,
                                               apr_pool_t *ptemp,
                                               const char *name)
{
    gql_directive_def_t *d = apr_hash_get(s->directive_index, name,
                                          APR_HASH_KEY_STRING);

    if (d != NULL && !d->builtin) {
        d->server_side = 1;
        gql_schema_map_types(s, ptemp);
        return d;
    }
    return NULL;
}

/* ---- Look-ups ---- */

const gql_type_t *gql_schema_type(const gql_schema_t *s, const char *name)
{
    return apr_hash_get(s->type_index, name, APR_HASH_KEY_STRING);
}

const gql_field_t *gql_type_field(const gql_type_t *t, const char *name)
{
    return t->field_index ? apr_hash_get(t->field_index, name,
                                         APR_HASH_KEY_STRING) : NULL;
}

const gql_field_t *gql_schema_field_def(const gql_schema_t *s,
                                        const gql_type_t *parent,
                                        const char *name)
{
    if (name[0] == '_' && name[1] == '_') {
        if (strcmp(name, "__typename") == 0
            && (parent->kind == GQL_KIND_OBJECT
                || parent->kind == GQL_KIND_INTERFACE
                || parent->kind == GQL_KIND_UNION)) {
            return s->meta_typename;
        }
        if (parent == s->query && strcmp(name, "__schema") == 0) {
            return s->meta_schema;
        }
        if (parent == s->query && strcmp(name, "__type") == 0) {
            return s->meta_type;
        }
    }
    return gql_type_field(parent, name);
}

const gql_directive_def_t *gql_schema_directive(const gql_schema_t *s,
                                                const char *name)
{
    return apr_hash_get(s->directive_index, name, APR_HASH_KEY_STRING);
}

const gql_type_t *gql_schema_root(const gql_schema_t *s, gql_operation_e op)
{
    switch (op) {
    case GQL_OP_QUERY:
        return s->query;
    case GQL_OP_MUTATION:
        return s->mutation;
    default:
        return s->subscription;
    }
}
