/* Licensed under the Apache License, Version 2.0 (the "License"); you may
 * not use this file except in compliance with the License.  You may obtain
 * a copy of the License at http://www.apache.org/licenses/LICENSE-2.0
 */

/*
 * gql_schema.c: SDL documents -> one checked, immutable schema.
 *
 * Building runs in two phases, as graphql-js's buildASTSchema does:
 *
 *   1. SDL validation on the syntax trees alone (unique names, known types
 *      and directives, directive locations and arguments, type extensions).
 *      Its problems make every later step meaningless, so when it reports
 *      anything the build stops there, with all of them.
 *   2. Build the types, then check the type-system rules of the
 *      specification on them (root types, fields and arguments, interfaces,
 *      unions, enums, input objects, values of defaults and of applied
 *      directive arguments).
 *
 * The built-in scalars, directives and introspection types are themselves
 * written in SDL below and parsed with the user's documents: they form the
 * schema the user's documents extend, so redefining them is an error.
 *
 * Errors are reported in a stable order: by file (in the order given),
 * line, column, then message.
 */

#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <apr_lib.h>
#include <apr_strings.h>
#include <apr_file_io.h>
#include <apr_file_info.h>
#include "gql_parser.h"
#include "gql_schema.h"

/* ORDER KIND */
const char *const gql_type_kind_names[] = {
    "SCALAR", "OBJECT", "INTERFACE", "UNION", "ENUM", "INPUT_OBJECT"
};

#define BUILTIN_SOURCE "<built-in>"
#define DEFAULT_DEPRECATION "No longer supported"
#define MAX_SUGGESTIONS 5

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

/* A definition with the file it came from. */
typedef struct item_t {
    const gql_definition_t *def;
    const char *src;
} item_t;

/* A named type being built, with the nodes that define and extend it. */
typedef struct tinfo_t {
    gql_type_t *t;
    apr_array_header_t *nodes;  /* item_t *: definition, then extensions */
} tinfo_t;

typedef struct ctx_t {
    apr_pool_t *p;              /* the schema's pool */
    apr_pool_t *tp;             /* scratch */
    apr_array_header_t *errs;   /* gql_error_t *, sorted at the end */
    const char *src0;           /* file for errors with no node */
    apr_array_header_t *items;  /* item_t *: the user's definitions */
    apr_array_header_t *bitems; /* item_t *: the built-in definitions */
    apr_hash_t *btypes;         /* built-in type name -> item_t * */
    apr_hash_t *bdirs;          /* built-in directive name -> item_t * */
    apr_hash_t *deftypes;       /* user type name -> item_t * (the last) */
    apr_hash_t *dirs;           /* directive name -> item_t * (user's
                                 * definition over the built-in one) */
    apr_array_header_t *knownnames; /* const char *: built-in then user */
    apr_hash_t *typedirs;       /* type name -> hash of seen directives */
    apr_hash_t *schemadirs;     /* seen directives of schema + extensions */
    apr_hash_t *tinfo;          /* type name -> tinfo_t * */
    const gql_name_t *opnode[3];    /* root operation type nodes */
    const char *opsrc[3];
    const item_t *schemadef;
    gql_schema_t *s;
} ctx_t;

static gql_error_t *fail(ctx_t *c, const char *src, const gql_loc_t *loc,
                         const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static gql_error_t *fail(ctx_t *c, const char *src, const gql_loc_t *loc,
                         const char *fmt, ...)
{
    va_list ap;
    const char *msg;
    gql_error_t *e;

    va_start(ap, fmt);
    msg = apr_pvsprintf(c->p, fmt, ap);
    va_end(ap);
    e = gql_error_add(c->p, c->errs, loc, "%s", msg);
    e->source = (loc != NULL && loc->line) ? src : c->src0;
    return e;
}

/* Name "__x" is reserved: introspection's names start that way. */
static void check_name(ctx_t *c, const char *src, const char *name,
                       const gql_loc_t *loc)
{
    if (name[0] == '_' && name[1] == '_') {
        fail(c, src, loc, "Name \"%s\" must not begin with \"__\", which is "
             "reserved by GraphQL introspection.", name);
    }
}

/* ---- Suggestions ("Did you mean ...?"), as graphql-js makes them ---- */

/* Optimal string alignment distance, case-insensitive, where a change of
 * case alone counts as one edit; -1 when over threshold.  rows are three
 * rows of strlen(input) + 1 cells: the shorter string indexes them. */
static int lexdist(int **rows, const char *input, const char *option,
                   int threshold)
{
    const char *a, *b;
    int alen, blen, i, j, d;

    if (strcmp(input, option) == 0) {
        return 0;
    }
    if (strcasecmp(input, option) == 0) {
        return 1;
    }
    a = option;
    b = input;
    if (strlen(a) < strlen(b)) {
        a = input;
        b = option;
    }
    alen = (int)strlen(a);
    blen = (int)strlen(b);
    if (alen - blen > threshold) {
        return -1;
    }
    for (j = 0; j <= blen; j++) {
        rows[0][j] = j;
    }
    for (i = 1; i <= alen; i++) {
        int *up = rows[(i - 1) % 3], *cur = rows[i % 3];
        int smallest = cur[0] = i;

        for (j = 1; j <= blen; j++) {
            int ca = apr_tolower(a[i - 1]), cb = apr_tolower(b[j - 1]);
            int cell = up[j] + 1;

            if (cur[j - 1] + 1 < cell) {
                cell = cur[j - 1] + 1;
            }
            if (up[j - 1] + (ca != cb) < cell) {
                cell = up[j - 1] + (ca != cb);
            }
            if (i > 1 && j > 1 && ca == apr_tolower(b[j - 2])
                && apr_tolower(a[i - 2]) == cb
                && rows[(i - 2) % 3][j - 2] + 1 < cell) {
                cell = rows[(i - 2) % 3][j - 2] + 1;
            }
            if (cell < smallest) {
                smallest = cell;
            }
            cur[j] = cell;
        }
        if (smallest > threshold) {
            return -1;
        }
    }
    d = rows[alen % 3][blen];
    return d <= threshold ? d : -1;
}

/* Compares runs of digits by value, as graphql-js's naturalCompare. */
static int natcmp(const char *a, const char *b)
{
    while (*a && *b) {
        if (apr_isdigit(*a) && apr_isdigit(*b)) {
            long an = 0, bn = 0;

            do {
                an = an * 10 + (*a++ - '0');
            } while (apr_isdigit(*a) && an > 0);
            do {
                bn = bn * 10 + (*b++ - '0');
            } while (apr_isdigit(*b) && bn > 0);
            if (an != bn) {
                return an < bn ? -1 : 1;
            }
        }
        else {
            if (*a != *b) {
                return (unsigned char)*a < (unsigned char)*b ? -1 : 1;
            }
            a++;
            b++;
        }
    }
    return (int)strlen(a) - (int)strlen(b);
}

typedef struct sugg_t {
    const char *name;
    int dist;
} sugg_t;

static int suggcmp(const void *x, const void *y)
{
    const sugg_t *a = x, *b = y;

    if (a->dist != b->dist) {
        return a->dist - b->dist;
    }
    return natcmp(a->name, b->name);
}

/* " Did you mean "A", "B", or "C"?" for the options (const char *, each
 * once) near input, or "" when none is.  Scratch in a subpool: a broken
 * schema may ask this for every one of thousands of names. */
static const char *didyoumean(apr_pool_t *p, const char *sub,
                              const char *input,
                              const apr_array_header_t *options)
{
    apr_pool_t *sp;
    apr_array_header_t *found;
    int threshold = (int)(strlen(input) * 4 / 10) + 1;
    const char *msg = "";
    int *rows[3];
    sugg_t *s;
    int i, n;

    apr_pool_create(&sp, p);
    found = apr_array_make(sp, 4, sizeof(sugg_t));
    for (i = 0; i < 3; i++) {
        rows[i] = apr_palloc(sp, sizeof(int) * (strlen(input) + 1));
    }
    for (i = 0; i < options->nelts; i++) {
        const char *o = APR_ARRAY_IDX(options, i, const char *);
        int d = lexdist(rows, input, o, threshold);

        if (d >= 0) {
            s = apr_array_push(found);
            s->name = o;
            s->dist = d;
        }
    }
    s = (sugg_t *)found->elts;
    qsort(s, found->nelts, sizeof(sugg_t), suggcmp);
    n = found->nelts < MAX_SUGGESTIONS ? found->nelts : MAX_SUGGESTIONS;
    for (i = 0; i < n; i++) {
        /* "A" / "A" or "B" / "A", "B", or "C" */
        msg = apr_pstrcat(sp, msg, i == 0 ? "" : n == 2 ? " or "
                          : i == n - 1 ? ", or " : ", ", "\"", s[i].name,
                          "\"", NULL);
    }
    if (n > 0) {
        msg = apr_pstrcat(p, " Did you mean ", sub ? sub : "", sub ? " " : "",
                          msg, "?", NULL);
    }
    apr_pool_destroy(sp);
    return msg;
}

/* ---- Printing types and values, as graphql-js's print() does ---- */

static const char *print_ast_type(apr_pool_t *p, const gql_type_ref_t *t)
{
    /* the parser bounds the nesting of type references */
    switch (t->kind) {
    case GQL_TYPE_LIST:
        return apr_pstrcat(p, "[", print_ast_type(p, t->of_type), "]", NULL);
    case GQL_TYPE_NON_NULL:
        return apr_pstrcat(p, print_ast_type(p, t->of_type), "!", NULL);
    default:
        return t->name.value;
    }
}

const char *gql_schema_print_type(apr_pool_t *p, const gql_tref_t *t)
{
    if (t == NULL) {
        return "";
    }
    switch (t->kind) {
    case GQL_TYPE_LIST:
        return apr_pstrcat(p, "[", gql_schema_print_type(p, t->of_type), "]",
                           NULL);
    case GQL_TYPE_NON_NULL:
        return apr_pstrcat(p, gql_schema_print_type(p, t->of_type), "!",
                           NULL);
    default:
        return t->named ? t->named->name : "";
    }
}

static const char *print_string(apr_pool_t *p, const char *s, apr_size_t len)
{
    char *out = apr_palloc(p, len * 6 + 3), *o = out;
    apr_size_t i;

    *o++ = '"';
    for (i = 0; i < len; i++) {
        unsigned char ch = (unsigned char)s[i];

        switch (ch) {
        case '"': *o++ = '\\'; *o++ = '"'; break;
        case '\\': *o++ = '\\'; *o++ = '\\'; break;
        case '\b': *o++ = '\\'; *o++ = 'b'; break;
        case '\f': *o++ = '\\'; *o++ = 'f'; break;
        case '\n': *o++ = '\\'; *o++ = 'n'; break;
        case '\r': *o++ = '\\'; *o++ = 'r'; break;
        case '\t': *o++ = '\\'; *o++ = 't'; break;
        default:
            if (ch < 0x20 || ch == 0x7f) {
                o += apr_snprintf(o, 7, "\\u%04X", ch);
            }
            else {
                *o++ = (char)ch;
            }
        }
    }
    *o++ = '"';
    *o = '\0';
    return out;
}

static const char *print_value(apr_pool_t *p, const gql_value_t *v,
                               int depth)
{
    const char *out;
    int i;

    if (depth > GQL_MAX_DEPTH) {
        return "...";
    }
    switch (v->kind) {
    case GQL_VALUE_VARIABLE:
        return apr_pstrcat(p, "$", v->text, NULL);
    case GQL_VALUE_STRING:
        if (v->block) {
            return apr_pstrcat(p, "\"\"\"", v->text, "\"\"\"", NULL);
        }
        return print_string(p, v->text, v->len);
    case GQL_VALUE_LIST:
        out = "[";
        for (i = 0; i < v->items->nelts; i++) {
            out = apr_pstrcat(p, out, i ? ", " : "",
                              print_value(p, GQL_AST_ITEM(v->items, i,
                                                          gql_value_t),
                                          depth + 1), NULL);
        }
        return apr_pstrcat(p, out, "]", NULL);
    case GQL_VALUE_OBJECT:
        out = "{";
        for (i = 0; i < v->fields->nelts; i++) {
            const gql_object_field_t *f = GQL_AST_ITEM(v->fields, i,
                                                       gql_object_field_t);

            out = apr_pstrcat(p, out, i ? ", " : "", f->name.value, ": ",
                              print_value(p, f->value, depth + 1), NULL);
        }
        return apr_pstrcat(p, out, "}", NULL);
    default:
        return v->text;
    }
}

const char *gql_schema_print_value(apr_pool_t *p, const gql_value_t *v)
{
    return print_value(p, v, 0);
}

/* ---- Phase 1: SDL validation on the syntax trees ---- */

/* ORDER DEFINITION: what `extend` calls each kind, and where a directive
 * applied to each kind of definition stands. */
static const char *const ext_kind_names[] = {
    NULL, NULL, NULL, "scalar", "object", "interface", "union", "enum",
    "input object", NULL
};
static const char *const def_locations[] = {
    NULL, NULL, "SCHEMA", "SCALAR", "OBJECT", "INTERFACE", "UNION", "ENUM",
    "INPUT_OBJECT", NULL
};

static int is_type_def(const gql_definition_t *d)
{
    return d->kind >= GQL_DEF_SCALAR && d->kind <= GQL_DEF_INPUT_OBJECT;
}

static const item_t *hget(apr_hash_t *h, const char *key)
{
    return apr_hash_get(h, key, APR_HASH_KEY_STRING);
}

/* The groups (apr_array_header_t * of const gql_name_t *) of names that
 * occur more than once, in the order of their first occurrence. */
static apr_array_header_t *dups(ctx_t *c, const apr_array_header_t *names)
{
    apr_array_header_t *groups = apr_array_make(c->tp, 1, sizeof(void *));
    apr_hash_t *h = apr_hash_make(c->tp);
    int i;

    if (names->nelts < 2) {
        return groups;
    }
    for (i = 0; i < names->nelts; i++) {
        const gql_name_t *n = APR_ARRAY_IDX(names, i, const gql_name_t *);
        apr_array_header_t *g = apr_hash_get(h, n->value,
                                             APR_HASH_KEY_STRING);

        if (g == NULL) {
            g = apr_array_make(c->tp, 1, sizeof(void *));
            apr_hash_set(h, n->value, APR_HASH_KEY_STRING, g);
        }
        else if (g->nelts == 1) {
            APR_ARRAY_PUSH(groups, apr_array_header_t *) = g;
        }
        APR_ARRAY_PUSH(g, const gql_name_t *) = n;
    }
    return groups;
}

static void add_locs(ctx_t *c, gql_error_t *e, apr_array_header_t *g)
{
    int i;

    for (i = 1; i < g->nelts; i++) {
        gql_error_add_loc(c->p, e, &APR_ARRAY_IDX(g, i, gql_name_t *)->loc);
    }
}

static apr_array_header_t *input_names(ctx_t *c, const apr_array_header_t *a)
{
    apr_array_header_t *names = apr_array_make(c->tp, a->nelts + 1,
                                               sizeof(void *));
    int i;

    for (i = 0; i < a->nelts; i++) {
        APR_ARRAY_PUSH(names, const gql_name_t *) =
            &GQL_AST_ITEM(a, i, gql_input_value_def_t)->name;
    }
    return names;
}

/* UniqueInputFieldNames, through every object value. */
static void unique_object_fields(ctx_t *c, const char *src,
                                 const gql_value_t *v, int depth)
{
    apr_array_header_t *names, *g;
    int i;

    if (v == NULL || depth > GQL_MAX_DEPTH) {
        return;
    }
    if (v->kind == GQL_VALUE_LIST) {
        for (i = 0; i < v->items->nelts; i++) {
            unique_object_fields(c, src, GQL_AST_ITEM(v->items, i,
                                                      gql_value_t),
                                 depth + 1);
        }
    }
    if (v->kind != GQL_VALUE_OBJECT) {
        return;
    }
    names = apr_array_make(c->tp, v->fields->nelts + 1, sizeof(void *));
    for (i = 0; i < v->fields->nelts; i++) {
        const gql_object_field_t *f = GQL_AST_ITEM(v->fields, i,
                                                   gql_object_field_t);

        APR_ARRAY_PUSH(names, const gql_name_t *) = &f->name;
        unique_object_fields(c, src, f->value, depth + 1);
    }
    g = dups(c, names);
    for (i = 0; i < g->nelts; i++) {
        apr_array_header_t *grp = APR_ARRAY_IDX(g, i, apr_array_header_t *);
        const gql_name_t *n = APR_ARRAY_IDX(grp, 0, const gql_name_t *);

        /* graphql-js names the first and the second occurrence only */
        add_locs(c, fail(c, src, &n->loc, "There can be only one input "
                         "field named \"%s\".", n->value), grp);
    }
}

static const gql_input_value_def_t *find_input(const apr_array_header_t *a,
                                               const char *name)
{
    int i;

    for (i = 0; i < a->nelts; i++) {
        const gql_input_value_def_t *iv = GQL_AST_ITEM(a, i,
                                                       gql_input_value_def_t);

        if (strcmp(iv->name.value, name) == 0) {
            return iv;
        }
    }
    return NULL;
}

static int has_location(const gql_definition_t *d, const char *where)
{
    int i;

    for (i = 0; i < d->locations->nelts; i++) {
        if (strcmp(GQL_AST_ITEM(d->locations, i, gql_name_t)->value,
                   where) == 0) {
            return 1;
        }
    }
    return 0;
}

/* The arguments of one applied directive against its definition. */
static void check_directive_args(ctx_t *c, const char *src,
                                 const gql_directive_t *d,
                                 const gql_definition_t *def)
{
    apr_array_header_t *names = apr_array_make(c->tp, 4, sizeof(void *));
    apr_array_header_t *known = NULL, *g;
    int i;

    for (i = 0; i < d->arguments->nelts; i++) {
        const gql_argument_t *a = GQL_AST_ITEM(d->arguments, i,
                                               gql_argument_t);

        APR_ARRAY_PUSH(names, const gql_name_t *) = &a->name;
        unique_object_fields(c, src, a->value, 0);
        if (def == NULL || find_input(def->arguments, a->name.value)) {
            continue;
        }
        if (known == NULL) {
            int j;

            known = apr_array_make(c->tp, 4, sizeof(const char *));
            for (j = 0; j < def->arguments->nelts; j++) {
                APR_ARRAY_PUSH(known, const char *) = GQL_AST_ITEM(
                    def->arguments, j, gql_input_value_def_t)->name.value;
            }
        }
        fail(c, src, &a->loc, "Unknown argument \"%s\" on directive "
             "\"@%s\".%s", a->name.value, d->name.value,
             didyoumean(c->tp, NULL, a->name.value, known));
    }
    g = dups(c, names);
    for (i = 0; i < g->nelts; i++) {
        apr_array_header_t *grp = APR_ARRAY_IDX(g, i, apr_array_header_t *);
        const gql_name_t *n = APR_ARRAY_IDX(grp, 0, const gql_name_t *);

        add_locs(c, fail(c, src, &n->loc, "There can be only one argument "
                         "named \"%s\".", n->value), grp);
    }
    if (def == NULL) {
        return;
    }
    for (i = 0; i < def->arguments->nelts; i++) {
        const gql_input_value_def_t *iv = GQL_AST_ITEM(def->arguments, i,
                                                       gql_input_value_def_t);
        int j, given = 0;

        if (iv->type->kind != GQL_TYPE_NON_NULL || iv->default_value) {
            continue;
        }
        for (j = 0; j < d->arguments->nelts && !given; j++) {
            given = !strcmp(GQL_AST_ITEM(d->arguments, j,
                                         gql_argument_t)->name.value,
                            iv->name.value);
        }
        if (!given) {
            fail(c, src, &d->loc, "Directive \"@%s\" argument \"%s\" of type "
                 "\"%s\" is required, but it was not provided.",
                 d->name.value, iv->name.value,
                 print_ast_type(c->tp, iv->type));
        }
    }
}

/* KnownDirectives, UniqueDirectivesPerLocation and the argument rules for
 * the directives applied at one place.  seen is shared by a type and its
 * extensions (and by the schema and its extensions), else NULL. */
static void check_applied(ctx_t *c, const char *src,
                          const apr_array_header_t *dirs, const char *where,
                          apr_hash_t *seen)
{
    int i;

    if (dirs == NULL || dirs->nelts == 0) {
        return;
    }
    if (seen == NULL) {
        seen = apr_hash_make(c->tp);
    }
    for (i = 0; i < dirs->nelts; i++) {
        const gql_directive_t *d = GQL_AST_ITEM(dirs, i, gql_directive_t);
        const item_t *it = hget(c->dirs, d->name.value);
        const gql_directive_t *first;

        if (it == NULL) {
            fail(c, src, &d->loc, "Unknown directive \"@%s\".",
                 d->name.value);
            check_directive_args(c, src, d, NULL);
            continue;
        }
        if (!has_location(it->def, where)) {
            fail(c, src, &d->loc, "Directive \"@%s\" may not be used on %s.",
                 d->name.value, where);
        }
        if (!it->def->repeatable) {
            first = apr_hash_get(seen, d->name.value, APR_HASH_KEY_STRING);
            if (first) {
                gql_error_add_loc(c->p, fail(c, src, &first->loc,
                                             "The directive \"@%s\" can only "
                                             "be used once at this location.",
                                             d->name.value), &d->loc);
            }
            else {
                apr_hash_set(seen, d->name.value, APR_HASH_KEY_STRING, d);
            }
        }
        check_directive_args(c, src, d, it->def);
    }
}

static void unknown_type(ctx_t *c, const char *src, const gql_name_t *n)
{
    if (hget(c->btypes, n->value) || hget(c->deftypes, n->value)) {
        return;
    }
    fail(c, src, &n->loc, "Unknown type \"%s\".%s", n->value,
         didyoumean(c->tp, NULL, n->value, c->knownnames));
}

static const gql_name_t *named_of(const gql_type_ref_t *t)
{
    while (t->kind != GQL_TYPE_NAMED) {
        t = t->of_type;
    }
    return &t->name;
}

/* Arguments or input fields: their types, directives and defaults. */
static void check_input_defs(ctx_t *c, const char *src,
                             const apr_array_header_t *ivs,
                             const char *where)
{
    int i;

    for (i = 0; i < ivs->nelts; i++) {
        const gql_input_value_def_t *iv = GQL_AST_ITEM(ivs, i,
                                                       gql_input_value_def_t);

        unknown_type(c, src, named_of(iv->type));
        unique_object_fields(c, src, iv->default_value, 0);
        check_applied(c, src, iv->directives, where, NULL);
    }
}

static void unique_args(ctx_t *c, const char *src, const char *parent,
                        const apr_array_header_t *args)
{
    apr_array_header_t *g = dups(c, input_names(c, args));
    int i;

    for (i = 0; i < g->nelts; i++) {
        apr_array_header_t *grp = APR_ARRAY_IDX(g, i, apr_array_header_t *);
        const gql_name_t *n = APR_ARRAY_IDX(grp, 0, const gql_name_t *);

        add_locs(c, fail(c, src, &n->loc, "Argument \"%s(%s:)\" can only be "
                         "defined once.", parent, n->value), grp);
    }
}

/* The first place a name was seen, for the uniqueness rules. */
typedef struct seen_t {
    const char *src;
    const gql_loc_t *loc;
} seen_t;

static void seen(ctx_t *c, apr_hash_t *h, const char *key, const char *src,
                 const gql_loc_t *loc)
{
    seen_t *s = apr_palloc(c->tp, sizeof(*s));

    s->src = src;
    s->loc = loc;
    apr_hash_set(h, key, APR_HASH_KEY_STRING, s);
}

/* UniqueFieldDefinitionNames and UniqueEnumValueNames look across a type
 * and its extensions: fnames maps "Type.name" to the first name node. */
static void unique_member(ctx_t *c, apr_hash_t *fnames, const char *src,
                          const char *type, const gql_name_t *n,
                          const char *what)
{
    const char *key = apr_pstrcat(c->tp, type, ".", n->value, NULL);
    const seen_t *first = apr_hash_get(fnames, key, APR_HASH_KEY_STRING);

    if (first == NULL) {
        seen(c, fnames, key, src, &n->loc);
        return;
    }
    gql_error_add_loc(c->p, fail(c, first->src, first->loc,
                                 "%s \"%s\" can only be defined once.",
                                 what, key), &n->loc);
}

static void check_fields(ctx_t *c, apr_hash_t *fnames, const item_t *it)
{
    const gql_definition_t *d = it->def;
    int i;

    for (i = 0; i < d->fields->nelts; i++) {
        const gql_field_def_t *f = GQL_AST_ITEM(d->fields, i,
                                                gql_field_def_t);

        unique_member(c, fnames, it->src, d->name.value, &f->name, "Field");
        unique_args(c, it->src, apr_pstrcat(c->tp, d->name.value, ".",
                                            f->name.value, NULL),
                    f->arguments);
        unknown_type(c, it->src, named_of(f->type));
        check_applied(c, it->src, f->directives, "FIELD_DEFINITION", NULL);
        check_input_defs(c, it->src, f->arguments, "ARGUMENT_DEFINITION");
    }
    for (i = 0; i < d->interfaces->nelts; i++) {
        unknown_type(c, it->src, GQL_AST_ITEM(d->interfaces, i, gql_name_t));
    }
}

static void check_extension(ctx_t *c, const item_t *it)
{
    const gql_definition_t *d = it->def;
    const item_t *def = hget(c->deftypes, d->name.value);

    if (def == NULL) {
        def = hget(c->btypes, d->name.value);
        if (def && def->def->kind != d->kind) {
            fail(c, it->src, &d->loc, "Cannot extend non-%s type \"%s\".",
                 ext_kind_names[d->kind], d->name.value);
        }
    }
    else if (def->def->kind != d->kind) {
        gql_error_add_loc(c->p, fail(c, def->src, &def->def->loc,
                                     "Cannot extend non-%s type \"%s\".",
                                     ext_kind_names[d->kind], d->name.value),
                          &d->loc);
    }
    if (def) {
        return;
    }
    /* knownnames holds the built-in names and the defined ones */
    fail(c, it->src, &d->name.loc, "Cannot extend type \"%s\" because it is "
         "not defined.%s", d->name.value,
         didyoumean(c->tp, NULL, d->name.value, c->knownnames));
}

static void check_schema_def(ctx_t *c, const item_t *it, apr_hash_t *ops,
                             int *nschema)
{
    const gql_definition_t *d = it->def;
    int i;

    if (!d->is_extension && (*nschema)++ > 0) {
        fail(c, it->src, &d->loc, "Must provide only one schema definition.");
    }
    for (i = 0; i < d->operation_types->nelts; i++) {
        const gql_operation_type_def_t *o = GQL_AST_ITEM(
            d->operation_types, i, gql_operation_type_def_t);
        const char *op = gql_operation_names[o->operation];
        const seen_t *first = apr_hash_get(ops, op, APR_HASH_KEY_STRING);

        unknown_type(c, it->src, &o->type);
        if (first) {
            gql_error_add_loc(c->p, fail(c, first->src, first->loc,
                                         "There can be only one %s type in "
                                         "schema.", op), &o->loc);
        }
        else {
            seen(c, ops, op, it->src, &o->loc);
        }
    }
    check_applied(c, it->src, d->directives, "SCHEMA", c->schemadirs);
}

/* UniqueTypeNames and UniqueDirectiveNames: the built-ins are the schema
 * that the documents extend. */
static void check_unique_def(ctx_t *c, const item_t *it, apr_hash_t *firsts)
{
    const gql_definition_t *d = it->def;
    int dir = d->kind == GQL_DEF_DIRECTIVE;
    const char *key = apr_pstrcat(c->tp, dir ? "@" : "", d->name.value,
                                  NULL);
    const item_t *first;

    if (dir && hget(c->bdirs, d->name.value)) {
        fail(c, it->src, &d->name.loc, "Directive \"@%s\" already exists in "
             "the schema. It cannot be redefined.", d->name.value);
        return;
    }
    if (!dir && hget(c->btypes, d->name.value)) {
        fail(c, it->src, &d->name.loc, "Type \"%s\" already exists in the "
             "schema. It cannot also be defined in this type definition.",
             d->name.value);
        return;
    }
    first = hget(firsts, key);
    if (first == NULL) {
        apr_hash_set(firsts, key, APR_HASH_KEY_STRING, it);
        return;
    }
    gql_error_add_loc(c->p, fail(c, first->src, &first->def->name.loc,
                                 dir ? "There can be only one directive "
                                 "named \"%s\"." : "There can be only one "
                                 "type named \"%s\".", key), &d->name.loc);
}

static apr_hash_t *type_seen(ctx_t *c, const char *name)
{
    apr_hash_t *h = apr_hash_get(c->typedirs, name, APR_HASH_KEY_STRING);

    if (h == NULL) {
        h = apr_hash_make(c->tp);
        apr_hash_set(c->typedirs, name, APR_HASH_KEY_STRING, h);
    }
    return h;
}

static void check_enum_def(ctx_t *c, apr_hash_t *vnames, const item_t *it)
{
    const gql_definition_t *d = it->def;
    int i;

    for (i = 0; i < d->values->nelts; i++) {
        const gql_enum_value_def_t *v = GQL_AST_ITEM(d->values, i,
                                                     gql_enum_value_def_t);
        const char *n = v->name.value;

        /* the parser should refuse these already; the spec forbids them */
        if (!strcmp(n, "true") || !strcmp(n, "false") || !strcmp(n, "null")) {
            fail(c, it->src, &v->name.loc, "Enum type %s cannot include "
                 "value: %s.", d->name.value, n);
        }
        unique_member(c, vnames, it->src, d->name.value, &v->name,
                      "Enum value");
        check_applied(c, it->src, v->directives, "ENUM_VALUE", NULL);
    }
}

static void check_type_def(ctx_t *c, const item_t *it, apr_hash_t *firsts,
                           apr_hash_t *fnames, apr_hash_t *vnames)
{
    const gql_definition_t *d = it->def;
    int i;

    if (d->is_extension) {
        check_extension(c, it);
    }
    else {
        check_unique_def(c, it, firsts);
    }
    check_applied(c, it->src, d->directives, def_locations[d->kind],
                  type_seen(c, d->name.value));
    switch (d->kind) {
    case GQL_DEF_OBJECT:
    case GQL_DEF_INTERFACE:
        check_fields(c, fnames, it);
        break;
    case GQL_DEF_UNION:
        for (i = 0; i < d->members->nelts; i++) {
            unknown_type(c, it->src, GQL_AST_ITEM(d->members, i, gql_name_t));
        }
        break;
    case GQL_DEF_ENUM:
        check_enum_def(c, vnames, it);
        break;
    case GQL_DEF_INPUT_OBJECT:
        for (i = 0; i < d->input_fields->nelts; i++) {
            unique_member(c, fnames, it->src, d->name.value,
                          &GQL_AST_ITEM(d->input_fields, i,
                                        gql_input_value_def_t)->name,
                          "Field");
        }
        check_input_defs(c, it->src, d->input_fields,
                         "INPUT_FIELD_DEFINITION");
        break;
    default:
        break;
    }
}

static void sdl_validate(ctx_t *c)
{
    apr_hash_t *firsts = apr_hash_make(c->tp);
    apr_hash_t *fnames = apr_hash_make(c->tp);
    apr_hash_t *vnames = apr_hash_make(c->tp);
    apr_hash_t *ops = apr_hash_make(c->tp);
    int i, nschema = 0;

    for (i = 0; i < c->items->nelts; i++) {
        const item_t *it = APR_ARRAY_IDX(c->items, i, const item_t *);
        const gql_definition_t *d = it->def;

        if (d->kind == GQL_DEF_SCHEMA) {
            check_schema_def(c, it, ops, &nschema);
        }
        else if (d->kind == GQL_DEF_DIRECTIVE) {
            check_unique_def(c, it, firsts);
            unique_args(c, it->src, apr_pstrcat(c->tp, "@", d->name.value,
                                                NULL), d->arguments);
            check_input_defs(c, it->src, d->arguments,
                             "ARGUMENT_DEFINITION");
        }
        else {
            check_type_def(c, it, firsts, fnames, vnames);
        }
    }
}

/* Only type-system definitions and extensions belong in a schema. */
static void add_items(ctx_t *c, const gql_document_t *doc,
                      apr_array_header_t *to)
{
    int i;

    for (i = 0; i < doc->definitions->nelts; i++) {
        const gql_definition_t *d = GQL_AST_ITEM(doc->definitions, i,
                                                 gql_definition_t);
        item_t *it;

        if (d->kind == GQL_DEF_OPERATION && d->name.value == NULL) {
            fail(c, doc->source, &d->loc, "The anonymous %s definition is "
                 "not a type-system definition.",
                 gql_operation_names[d->operation]);
            continue;
        }
        if (d->kind == GQL_DEF_OPERATION || d->kind == GQL_DEF_FRAGMENT) {
            fail(c, doc->source, &d->loc, "The \"%s\" definition is not a "
                 "type-system definition.", d->name.value);
            continue;
        }
        it = apr_palloc(c->tp, sizeof(*it));
        it->def = d;
        it->src = doc->source;
        APR_ARRAY_PUSH(to, const item_t *) = it;
    }
}

/* The look-up tables of phase 1.  graphql-js lets the last definition of
 * a name win where it keeps one (extensions, directive locations). */
static void index_items(ctx_t *c)
{
    int i;

    for (i = 0; i < c->bitems->nelts; i++) {
        const item_t *it = APR_ARRAY_IDX(c->bitems, i, const item_t *);
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
        const item_t *it = APR_ARRAY_IDX(c->items, i, const item_t *);
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

/* ---- Phase 2: build the types ---- */

static const gql_type_t *lookup(ctx_t *c, const char *name)
{
    const tinfo_t *ti = apr_hash_get(c->tinfo, name, APR_HASH_KEY_STRING);

    return ti ? ti->t : NULL;
}

/* Recursion bounded by the parser, which refuses deeper type references
 * than GQL_MAX_DEPTH. */
static const gql_tref_t *make_tref(ctx_t *c, const gql_type_ref_t *r)
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

static const gql_directive_t *find_dir(const apr_array_header_t *dirs,
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
    const gql_directive_t *d = find_dir(dirs, "deprecated");
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

static apr_array_header_t *make_inputs(ctx_t *c, const char *src,
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

static void add_fields(ctx_t *c, gql_type_t *t, const item_t *it)
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

static void add_names(ctx_t *c, apr_array_header_t *to,
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

static void add_values(ctx_t *c, gql_type_t *t, const item_t *it)
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
static void populate(ctx_t *c, tinfo_t *ti, const item_t *it)
{
    gql_type_t *t = ti->t;
    const gql_definition_t *d = it->def;
    const gql_directive_t *sb = find_dir(d->directives, "specifiedBy");
    const gql_value_t *url = sb ? arg_value(sb, "url") : NULL;
    int i;

    APR_ARRAY_PUSH(ti->nodes, const item_t *) = it;
    for (i = 0; i < d->directives->nelts; i++) {
        APR_ARRAY_PUSH(t->directives, const gql_directive_t *) =
            GQL_AST_ITEM(d->directives, i, gql_directive_t);
    }
    if (url && url->kind == GQL_VALUE_STRING && t->kind == GQL_KIND_SCALAR) {
        t->specified_by_url = url->text;
    }
    if (find_dir(d->directives, "oneOf") && t->kind == GQL_KIND_INPUT_OBJECT) {
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

static void new_type(ctx_t *c, const item_t *it, int builtin)
{
    gql_type_t *t = apr_pcalloc(c->p, sizeof(*t));
    tinfo_t *ti = apr_palloc(c->tp, sizeof(*ti));

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
    ti->nodes = apr_array_make(c->tp, 1, sizeof(item_t *));
    apr_hash_set(c->tinfo, t->name, APR_HASH_KEY_STRING, ti);
    apr_hash_set(c->s->type_index, t->name, APR_HASH_KEY_STRING, t);
    APR_ARRAY_PUSH(c->s->types, gql_type_t *) = t;
}

static void new_directive(ctx_t *c, const item_t *it, int builtin)
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
    dd->source = it->src;
    dd->loc = it->def->loc;
    APR_ARRAY_PUSH(c->s->directives, gql_directive_def_t *) = dd;
    apr_hash_set(c->s->directive_index, dd->name, APR_HASH_KEY_STRING, dd);
}

static void populate_pass(ctx_t *c, const apr_array_header_t *items,
                          int extensions)
{
    int i;

    for (i = 0; i < items->nelts; i++) {
        const item_t *it = APR_ARRAY_IDX(items, i, const item_t *);
        tinfo_t *ti;

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
static void populate_all(ctx_t *c, const apr_array_header_t *items)
{
    populate_pass(c, items, 0);
    populate_pass(c, items, 1);
}

static void set_roots(ctx_t *c)
{
    static const char *const implicit[] = {
        "Query", "Mutation", "Subscription"
    };
    const gql_type_t *roots[3] = { NULL, NULL, NULL };
    int i, j;

    for (i = 0; i < c->items->nelts; i++) {
        const item_t *it = APR_ARRAY_IDX(c->items, i, const item_t *);

        if (it->def->kind != GQL_DEF_SCHEMA) {
            continue;
        }
        if (!it->def->is_extension) {
            c->schemadef = it;
            c->s->description = it->def->description;
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
static void set_implementations(ctx_t *c)
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

static void build(ctx_t *c)
{
    int i, pass;

    for (pass = 0; pass < 2; pass++) {
        const apr_array_header_t *items = pass ? c->bitems : c->items;

        for (i = 0; i < items->nelts; i++) {
            const item_t *it = APR_ARRAY_IDX(items, i, const item_t *);

            if (is_type_def(it->def) && !it->def->is_extension) {
                new_type(c, it, pass);
            }
        }
    }
    for (pass = 0; pass < 2; pass++) {
        const apr_array_header_t *items = pass ? c->items : c->bitems;

        for (i = 0; i < items->nelts; i++) {
            const item_t *it = APR_ARRAY_IDX(items, i, const item_t *);

            if (it->def->kind == GQL_DEF_DIRECTIVE) {
                new_directive(c, it, !pass);
            }
        }
    }
    populate_all(c, c->items);
    populate_all(c, c->bitems);
    set_roots(c);
    set_implementations(c);
}

/* ---- Phase 2: the type-system rules ---- */

static const gql_type_t *named(const gql_tref_t *t)
{
    while (t && t->kind != GQL_TYPE_NAMED) {
        t = t->of_type;
    }
    return t ? t->named : NULL;
}

static int is_input(const gql_tref_t *t)
{
    const gql_type_t *n = named(t);

    return n && (n->kind == GQL_KIND_SCALAR || n->kind == GQL_KIND_ENUM
                 || n->kind == GQL_KIND_INPUT_OBJECT);
}

static int is_output(const gql_tref_t *t)
{
    const gql_type_t *n = named(t);

    return n && n->kind != GQL_KIND_INPUT_OBJECT;
}

static const char *tstr(ctx_t *c, const gql_tref_t *t)
{
    return gql_schema_print_type(c->tp, t);
}

static int required(const gql_input_value_t *v)
{
    return v->type->kind == GQL_TYPE_NON_NULL && v->default_value == NULL;
}

static int equal_type(const gql_tref_t *a, const gql_tref_t *b)
{
    while (a->kind == b->kind && a->kind != GQL_TYPE_NAMED) {
        a = a->of_type;
        b = b->of_type;
    }
    return a->kind == b->kind && a->named == b->named;
}

static int has_iface(const gql_type_t *t, const gql_type_t *iface)
{
    int i;

    for (i = 0; i < t->interfaces->nelts; i++) {
        if (APR_ARRAY_IDX(t->interfaces, i, const gql_type_t *) == iface) {
            return 1;
        }
    }
    return 0;
}

/* Covariance of a field's type with its interface field's type. */
static int subtype(const gql_tref_t *sub, const gql_tref_t *sup)
{
    while (sub->kind != GQL_TYPE_NAMED || sup->kind != GQL_TYPE_NAMED) {
        if (sup->kind == GQL_TYPE_NON_NULL) {
            if (sub->kind != GQL_TYPE_NON_NULL) {
                return 0;
            }
            sub = sub->of_type;
            sup = sup->of_type;
        }
        else if (sub->kind == GQL_TYPE_NON_NULL) {
            sub = sub->of_type;
        }
        else if (sup->kind == GQL_TYPE_LIST) {
            if (sub->kind != GQL_TYPE_LIST) {
                return 0;
            }
            sub = sub->of_type;
            sup = sup->of_type;
        }
        else {
            return 0;
        }
    }
    if (sub->named == sup->named) {
        return 1;
    }
    if (sup->named->kind == GQL_KIND_UNION) {
        int i;

        for (i = 0; i < sup->named->possible_types->nelts; i++) {
            if (APR_ARRAY_IDX(sup->named->possible_types, i,
                              const gql_type_t *) == sub->named) {
                return 1;
            }
        }
        return 0;
    }
    return sup->named->kind == GQL_KIND_INTERFACE
           && (sub->named->kind == GQL_KIND_OBJECT
               || sub->named->kind == GQL_KIND_INTERFACE)
           && has_iface(sub->named, sup->named);
}

static tinfo_t *info(ctx_t *c, const gql_type_t *t)
{
    return apr_hash_get(c->tinfo, t->name, APR_HASH_KEY_STRING);
}

/* The first node naming `name` among a type's interfaces (or a union's
 * members) over its definition and extensions; *src gets its file. */
static const gql_loc_t *name_node(ctx_t *c, const gql_type_t *t,
                                  const char *name, int members,
                                  const char **src)
{
    const tinfo_t *ti = info(c, t);
    int i, j;

    for (i = 0; ti && i < ti->nodes->nelts; i++) {
        const item_t *it = APR_ARRAY_IDX(ti->nodes, i, const item_t *);
        const apr_array_header_t *a = members ? it->def->members
                                              : it->def->interfaces;

        for (j = 0; j < a->nelts; j++) {
            const gql_name_t *n = GQL_AST_ITEM(a, j, gql_name_t);

            if (strcmp(n->value, name) == 0) {
                *src = it->src;
                return &n->loc;
            }
        }
    }
    *src = t->source;
    return &t->loc;
}

static const gql_loc_t *dep_loc(const apr_array_header_t *dirs)
{
    const gql_directive_t *d = find_dir(dirs, "deprecated");

    return d ? &d->loc : NULL;
}

static void validate_args(ctx_t *c, const char *parent,
                          const apr_array_header_t *args)
{
    int i;

    for (i = 0; i < args->nelts; i++) {
        const gql_input_value_t *a = APR_ARRAY_IDX(args, i,
                                                   const gql_input_value_t *);

        check_name(c, a->source, a->name, &a->loc);
        if (!is_input(a->type)) {
            fail(c, a->source, *parent == '@' ? &a->loc : &a->ast->type->loc,
                 "The type of %s(%s:) must be Input Type but got: %s.",
                 parent, a->name, tstr(c, a->type));
        }
        if (required(a) && a->deprecation_reason) {
            fail(c, a->source, dep_loc(a->directives), "Required argument "
                 "%s(%s:) cannot be deprecated.", parent, a->name);
        }
    }
}

static void validate_fields(ctx_t *c, const gql_type_t *t)
{
    int i;

    if (t->fields->nelts == 0) {
        fail(c, t->source, &t->loc, "Type %s must define one or more fields.",
             t->name);
    }
    for (i = 0; i < t->fields->nelts; i++) {
        const gql_field_t *f = APR_ARRAY_IDX(t->fields, i,
                                             const gql_field_t *);

        check_name(c, f->source, f->name, &f->loc);
        if (!is_output(f->type)) {
            fail(c, f->source, &f->ast->type->loc, "The type of %s.%s must be "
                 "Output Type but got: %s.", t->name, f->name,
                 tstr(c, f->type));
        }
        validate_args(c, apr_pstrcat(c->tp, t->name, ".", f->name, NULL),
                      f->arguments);
    }
}

static const gql_input_value_t *find_arg(const apr_array_header_t *args,
                                         const char *name)
{
    int i;

    for (i = 0; i < args->nelts; i++) {
        const gql_input_value_t *a = APR_ARRAY_IDX(args, i,
                                                   const gql_input_value_t *);

        if (strcmp(a->name, name) == 0) {
            return a;
        }
    }
    return NULL;
}

static void implements_field(ctx_t *c, const gql_type_t *t,
                             const gql_type_t *iface,
                             const gql_field_t *ifield)
{
    const gql_field_t *f = gql_type_field(t, ifield->name);
    const char *fn = ifield->name;
    int i;

    if (f == NULL) {
        fail(c, ifield->source, &ifield->loc, "Interface field %s.%s expected "
             "but %s does not provide it.", iface->name, fn, t->name);
        return;
    }
    if (!subtype(f->type, ifield->type)) {
        fail(c, ifield->source, &ifield->ast->type->loc, "Interface field "
             "%s.%s expects type %s but %s.%s is type %s.", iface->name, fn,
             tstr(c, ifield->type), t->name, fn, tstr(c, f->type));
    }
    for (i = 0; i < ifield->arguments->nelts; i++) {
        const gql_input_value_t *ia = APR_ARRAY_IDX(ifield->arguments, i,
                                                    const gql_input_value_t *);
        const gql_input_value_t *a = find_arg(f->arguments, ia->name);

        if (a == NULL) {
            fail(c, ia->source, &ia->loc, "Interface field argument "
                 "%s.%s(%s:) expected but %s.%s does not provide it.",
                 iface->name, fn, ia->name, t->name, fn);
        }
        else if (!equal_type(ia->type, a->type)) {
            fail(c, ia->source, &ia->ast->type->loc, "Interface field "
                 "argument %s.%s(%s:) expects type %s but %s.%s(%s:) is type "
                 "%s.", iface->name, fn, ia->name, tstr(c, ia->type),
                 t->name, fn, a->name, tstr(c, a->type));
        }
    }
    for (i = 0; i < f->arguments->nelts; i++) {
        const gql_input_value_t *a = APR_ARRAY_IDX(f->arguments, i,
                                                   const gql_input_value_t *);

        if (required(a) && find_arg(ifield->arguments, a->name) == NULL) {
            fail(c, a->source, &a->loc, "Object field %s.%s includes required "
                 "argument %s that is missing from the Interface field "
                 "%s.%s.", t->name, fn, a->name, iface->name, fn);
        }
    }
}

static void implements_ancestors(ctx_t *c, const gql_type_t *t,
                                 const gql_type_t *iface)
{
    int i;

    for (i = 0; i < iface->interfaces->nelts; i++) {
        const gql_type_t *tr = APR_ARRAY_IDX(iface->interfaces, i,
                                             const gql_type_t *);
        const char *src;
        const gql_loc_t *loc;

        if (has_iface(t, tr)) {
            continue;
        }
        loc = name_node(c, iface, tr->name, 0, &src);
        if (tr == t) {
            fail(c, src, loc, "Type %s cannot implement %s because it would "
                 "create a circular reference.", t->name, iface->name);
        }
        else {
            fail(c, src, loc, "Type %s must implement %s because it is "
                 "implemented by %s.", t->name, tr->name, iface->name);
        }
    }
}

static void validate_interfaces(ctx_t *c, const gql_type_t *t)
{
    apr_hash_t *done = apr_hash_make(c->tp);
    int i, j;

    for (i = 0; i < t->interfaces->nelts; i++) {
        const gql_type_t *iface = APR_ARRAY_IDX(t->interfaces, i,
                                                const gql_type_t *);
        const char *src;
        const gql_loc_t *loc = name_node(c, t, iface->name, 0, &src);

        if (iface->kind != GQL_KIND_INTERFACE) {
            fail(c, src, loc, "Type %s must only implement Interface types, "
                 "it cannot implement %s.", t->name, iface->name);
            continue;
        }
        if (iface == t) {
            fail(c, src, loc, "Type %s cannot implement itself because it "
                 "would create a circular reference.", t->name);
            continue;
        }
        if (apr_hash_get(done, iface->name, APR_HASH_KEY_STRING)) {
            fail(c, src, loc, "Type %s can only implement %s once.", t->name,
                 iface->name);
            continue;
        }
        apr_hash_set(done, iface->name, APR_HASH_KEY_STRING, iface);
        implements_ancestors(c, t, iface);
        for (j = 0; j < iface->fields->nelts; j++) {
            implements_field(c, t, iface, APR_ARRAY_IDX(iface->fields, j,
                                                        const gql_field_t *));
        }
    }
}

static void validate_union(ctx_t *c, const gql_type_t *t)
{
    apr_hash_t *done = apr_hash_make(c->tp);
    int i;

    if (t->possible_types->nelts == 0) {
        fail(c, t->source, &t->loc, "Union type %s must define one or more "
             "member types.", t->name);
    }
    for (i = 0; i < t->possible_types->nelts; i++) {
        const gql_type_t *m = APR_ARRAY_IDX(t->possible_types, i,
                                            const gql_type_t *);
        const char *src;
        const gql_loc_t *loc = name_node(c, t, m->name, 1, &src);

        if (apr_hash_get(done, m->name, APR_HASH_KEY_STRING)) {
            fail(c, src, loc, "Union type %s can only include type %s once.",
                 t->name, m->name);
            continue;
        }
        apr_hash_set(done, m->name, APR_HASH_KEY_STRING, m);
        if (m->kind != GQL_KIND_OBJECT) {
            fail(c, src, loc, "Union type %s can only include Object types, "
                 "it cannot include %s.", t->name, m->name);
        }
    }
}

static void validate_enum(ctx_t *c, const gql_type_t *t)
{
    int i;

    if (t->enum_values->nelts == 0) {
        fail(c, t->source, &t->loc, "Enum type %s must define one or more "
             "values.", t->name);
    }
    for (i = 0; i < t->enum_values->nelts; i++) {
        const gql_enum_value_t *v = APR_ARRAY_IDX(t->enum_values, i,
                                                  const gql_enum_value_t *);

        check_name(c, v->source, v->name, &v->loc);
    }
}

static void validate_input(ctx_t *c, const gql_type_t *t)
{
    int i;

    if (t->input_fields->nelts == 0) {
        fail(c, t->source, &t->loc, "Input Object type %s must define one or "
             "more fields.", t->name);
    }
    for (i = 0; i < t->input_fields->nelts; i++) {
        const gql_input_value_t *f = APR_ARRAY_IDX(t->input_fields, i,
                                                   const gql_input_value_t *);

        check_name(c, f->source, f->name, &f->loc);
        if (!is_input(f->type)) {
            fail(c, f->source, &f->ast->type->loc, "The type of %s.%s must be "
                 "Input Type but got: %s.", t->name, f->name,
                 tstr(c, f->type));
        }
        if (required(f) && f->deprecation_reason) {
            fail(c, f->source, dep_loc(f->directives), "Required input field "
                 "%s.%s cannot be deprecated.", t->name, f->name);
        }
        if (t->one_of && f->type->kind == GQL_TYPE_NON_NULL) {
            fail(c, f->source, &f->ast->type->loc, "OneOf input field %s.%s "
                 "must be nullable.", t->name, f->name);
        }
        if (t->one_of && f->default_value) {
            fail(c, f->source, &f->loc, "OneOf input field %s.%s cannot have "
                 "a default value.", t->name, f->name);
        }
    }
}

/* Input objects that cannot be given a finite value: a cycle of non-null
 * fields.  A depth-first search over each type once, as graphql-js does,
 * so that every cycle is reported once.  Depth is bounded by the number
 * of input types and, to keep the C stack safe, by GQL_MAX_DEPTH. */
typedef struct cycles_t {
    apr_hash_t *visited;
    apr_hash_t *onpath;         /* type name -> index in path + 1 */
    apr_array_header_t *path;   /* const gql_input_value_t * */
} cycles_t;

static void cycles(ctx_t *c, cycles_t *cy, const gql_type_t *t)
{
    int i;

    if (apr_hash_get(cy->visited, t->name, APR_HASH_KEY_STRING)
        || cy->path->nelts > GQL_MAX_DEPTH) {
        return;
    }
    apr_hash_set(cy->visited, t->name, APR_HASH_KEY_STRING, t);
    apr_hash_set(cy->onpath, t->name, APR_HASH_KEY_STRING,
                 (void *)(apr_uintptr_t)(cy->path->nelts + 1));
    for (i = 0; i < t->input_fields->nelts; i++) {
        const gql_input_value_t *f = APR_ARRAY_IDX(t->input_fields, i,
                                                   const gql_input_value_t *);
        const gql_type_t *ft;
        apr_uintptr_t at;

        if (f->type->kind != GQL_TYPE_NON_NULL
            || f->type->of_type->kind != GQL_TYPE_NAMED
            || f->type->of_type->named->kind != GQL_KIND_INPUT_OBJECT) {
            continue;
        }
        ft = f->type->of_type->named;
        at = (apr_uintptr_t)apr_hash_get(cy->onpath, ft->name,
                                         APR_HASH_KEY_STRING);
        APR_ARRAY_PUSH(cy->path, const gql_input_value_t *) = f;
        if (at == 0) {
            cycles(c, cy, ft);
        }
        else {
            const char *names = "";
            int j;

            for (j = (int)at - 1; j < cy->path->nelts; j++) {
                names = apr_pstrcat(c->tp, names, j >= (int)at ? "." : "",
                                    APR_ARRAY_IDX(cy->path, j,
                                        const gql_input_value_t *)->name,
                                    NULL);
            }
            f = APR_ARRAY_IDX(cy->path, at - 1, const gql_input_value_t *);
            fail(c, f->source, &f->loc, "Cannot reference Input Object \"%s\" "
                 "within itself through a series of non-null fields: "
                 "\"%s\".", ft->name, names);
        }
        cy->path->nelts--;
    }
    apr_hash_set(cy->onpath, t->name, APR_HASH_KEY_STRING, NULL);
}

static void validate_roots(ctx_t *c)
{
    static const char *const what[] = {
        "Query root type must be Object type",
        "Mutation root type must be Object type if provided",
        "Subscription root type must be Object type if provided"
    };
    const gql_type_t *roots[3];
    int i, j;

    roots[0] = c->s->query;
    roots[1] = c->s->mutation;
    roots[2] = c->s->subscription;
    if (roots[0] == NULL) {
        fail(c, c->schemadef ? c->schemadef->src : NULL,
             c->schemadef ? &c->schemadef->def->loc : NULL,
             "Query root type must be provided.");
    }
    for (i = 0; i < 3; i++) {
        const char *src = c->opnode[i] ? c->opsrc[i] : NULL;
        const gql_loc_t *loc = c->opnode[i] ? &c->opnode[i]->loc : NULL;

        if (roots[i] == NULL) {
            continue;
        }
        if (loc == NULL) {
            src = roots[i]->source;
            loc = &roots[i]->loc;
        }
        if (roots[i]->kind != GQL_KIND_OBJECT) {
            fail(c, src, loc, "%s, it cannot be %s.", what[i],
                 roots[i]->name);
        }
        /* the specification (not graphql-js 16) wants them distinct */
        for (j = 0; j < i; j++) {
            if (roots[j] == roots[i]) {
                fail(c, src, loc, "All root types must be different, \"%s\" "
                     "type is used as %s and %s root types.", roots[i]->name,
                     gql_operation_names[j], gql_operation_names[i]);
            }
        }
    }
}

/* The types a directive's arguments use, and the directives applied there
 * and on those types: the spec forbids a directive to reach itself. */
static int reaches(ctx_t *c, apr_hash_t *seen, const gql_directive_def_t *to,
                   const apr_array_header_t *dirs, int depth);

static int reaches_type(ctx_t *c, apr_hash_t *seen,
                        const gql_directive_def_t *to, const gql_type_t *t,
                        int depth)
{
    int i;

    if (t == NULL || t->builtin || depth > GQL_MAX_DEPTH
        || apr_hash_get(seen, t->name, APR_HASH_KEY_STRING)) {
        return 0;
    }
    apr_hash_set(seen, t->name, APR_HASH_KEY_STRING, t);
    if (reaches(c, seen, to, t->directives, depth)) {
        return 1;
    }
    for (i = 0; i < t->enum_values->nelts; i++) {
        if (reaches(c, seen, to, APR_ARRAY_IDX(t->enum_values, i,
                                    const gql_enum_value_t *)->directives,
                    depth)) {
            return 1;
        }
    }
    for (i = 0; i < t->input_fields->nelts; i++) {
        const gql_input_value_t *f = APR_ARRAY_IDX(t->input_fields, i,
                                                   const gql_input_value_t *);

        if (reaches(c, seen, to, f->directives, depth)
            || reaches_type(c, seen, to, named(f->type), depth + 1)) {
            return 1;
        }
    }
    return 0;
}

static int reaches_dir(ctx_t *c, apr_hash_t *seen,
                       const gql_directive_def_t *to,
                       const gql_directive_def_t *d, int depth)
{
    const char *key = apr_pstrcat(c->tp, "@", d->name, NULL);
    int i;

    if (d->builtin || depth > GQL_MAX_DEPTH
        || apr_hash_get(seen, key, APR_HASH_KEY_STRING)) {
        return 0;
    }
    apr_hash_set(seen, key, APR_HASH_KEY_STRING, d);
    for (i = 0; i < d->arguments->nelts; i++) {
        const gql_input_value_t *a = APR_ARRAY_IDX(d->arguments, i,
                                                   const gql_input_value_t *);

        if (reaches(c, seen, to, a->directives, depth)
            || reaches_type(c, seen, to, named(a->type), depth + 1)) {
            return 1;
        }
    }
    return 0;
}

static int reaches(ctx_t *c, apr_hash_t *seen, const gql_directive_def_t *to,
                   const apr_array_header_t *dirs, int depth)
{
    int i;

    for (i = 0; dirs && i < dirs->nelts; i++) {
        const gql_directive_def_t *d = gql_schema_directive(c->s,
            GQL_AST_ITEM(dirs, i, gql_directive_t)->name.value);

        if (d == to || (d && reaches_dir(c, seen, to, d, depth + 1))) {
            return 1;
        }
    }
    return 0;
}

static void validate_directives(ctx_t *c)
{
    int i;

    for (i = 0; i < c->s->directives->nelts; i++) {
        const gql_directive_def_t *d;
        const char *src;

        d = APR_ARRAY_IDX(c->s->directives, i, const gql_directive_def_t *);
        src = d->source;

        if (d->builtin) {
            continue;
        }
        check_name(c, src, d->name, &d->loc);
        validate_args(c, apr_pstrcat(c->tp, "@", d->name, NULL),
                      d->arguments);
        if (reaches_dir(c, apr_hash_make(c->tp), d, d, 0)) {
            fail(c, src, &d->loc, "Directive \"@%s\" cannot reference "
                 "itself.", d->name);
        }
    }
}

static void validate_types(ctx_t *c)
{
    cycles_t cy;
    int i;

    cy.visited = apr_hash_make(c->tp);
    cy.onpath = apr_hash_make(c->tp);
    cy.path = apr_array_make(c->tp, 8, sizeof(gql_input_value_t *));
    for (i = 0; i < c->s->types->nelts; i++) {
        const gql_type_t *t = APR_ARRAY_IDX(c->s->types, i,
                                            const gql_type_t *);

        if (t->builtin) {
            continue;
        }
        check_name(c, t->source, t->name, &t->loc);
        switch (t->kind) {
        case GQL_KIND_OBJECT:
        case GQL_KIND_INTERFACE:
            validate_fields(c, t);
            validate_interfaces(c, t);
            break;
        case GQL_KIND_UNION:
            validate_union(c, t);
            break;
        case GQL_KIND_ENUM:
            validate_enum(c, t);
            break;
        case GQL_KIND_INPUT_OBJECT:
            validate_input(c, t);
            cycles(c, &cy, t);
            break;
        default:
            break;
        }
    }
}

/* ---- Phase 2: values of defaults and of applied directive arguments ----
 *
 * graphql-js leaves defaults and directive arguments in SDL unchecked; the
 * specification wants them valid.  The messages are those graphql-js's
 * ValuesOfCorrectType rule gives for the same literal in a query. */

static void check_value(ctx_t *c, const char *src, const gql_value_t *v,
                        const gql_tref_t *t, const char *where, int depth);

/* What a built-in scalar's parseLiteral says of v, or NULL when v is
 * fine.  Custom scalars take any literal. */
static const char *scalar_problem(ctx_t *c, const gql_value_t *v,
                                  const gql_type_t *t)
{
    const char *pv = print_value(c->tp, v, 0);

    if (!t->builtin) {
        return NULL;
    }
    if (!strcmp(t->name, "Int")) {
        if (v->kind != GQL_VALUE_INT) {
            return apr_psprintf(c->tp, "Int cannot represent non-integer "
                                "value: %s", pv);
        }
        if (apr_strtoi64(v->text, NULL, 10) > 2147483647LL
            || apr_strtoi64(v->text, NULL, 10) < -2147483648LL
            || strlen(v->text) > 12) {
            return apr_psprintf(c->tp, "Int cannot represent non 32-bit "
                                "signed integer value: %s", v->text);
        }
    }
    else if (!strcmp(t->name, "Float")) {
        if (v->kind != GQL_VALUE_INT && v->kind != GQL_VALUE_FLOAT) {
            return apr_psprintf(c->tp, "Float cannot represent non numeric "
                                "value: %s", pv);
        }
    }
    else if (!strcmp(t->name, "String")) {
        if (v->kind != GQL_VALUE_STRING) {
            return apr_psprintf(c->tp, "String cannot represent a non string "
                                "value: %s", pv);
        }
    }
    else if (!strcmp(t->name, "Boolean")) {
        if (v->kind != GQL_VALUE_BOOLEAN) {
            return apr_psprintf(c->tp, "Boolean cannot represent a non "
                                "boolean value: %s", pv);
        }
    }
    else if (!strcmp(t->name, "ID")) {
        if (v->kind != GQL_VALUE_STRING && v->kind != GQL_VALUE_INT) {
            return apr_psprintf(c->tp, "ID cannot represent a non-string and "
                                "non-integer value: %s", pv);
        }
    }
    return NULL;
}

static const char *enum_problem(ctx_t *c, const gql_value_t *v,
                                const gql_type_t *t)
{
    apr_array_header_t *names = apr_array_make(c->tp, t->enum_values->nelts
                                               + 1, sizeof(const char *));
    const char *pv = print_value(c->tp, v, 0);
    int i;

    for (i = 0; i < t->enum_values->nelts; i++) {
        const char *n = APR_ARRAY_IDX(t->enum_values, i,
                                      const gql_enum_value_t *)->name;

        if (v->kind == GQL_VALUE_ENUM && strcmp(n, v->text) == 0) {
            return NULL;
        }
        APR_ARRAY_PUSH(names, const char *) = n;
    }
    if (v->kind != GQL_VALUE_ENUM) {
        return apr_psprintf(c->tp, "Enum \"%s\" cannot represent non-enum "
                            "value: %s.%s", t->name, pv,
                            didyoumean(c->tp, "the enum value", pv, names));
    }
    return apr_psprintf(c->tp, "Value \"%s\" does not exist in \"%s\" "
                        "enum.%s", pv, t->name,
                        didyoumean(c->tp, "the enum value", pv, names));
}

static const gql_input_value_t *find_input_value(const gql_type_t *t,
                                                 const char *name)
{
    return find_arg(t->input_fields, name);
}

static void check_object(ctx_t *c, const char *src, const gql_value_t *v,
                         const gql_type_t *t, int depth)
{
    apr_array_header_t *names = NULL;
    const gql_object_field_t *only = NULL;
    int i;

    for (i = 0; i < v->fields->nelts; i++) {
        const gql_object_field_t *f = GQL_AST_ITEM(v->fields, i,
                                                   gql_object_field_t);
        const gql_input_value_t *fd = find_input_value(t, f->name.value);
        int j;

        only = f;
        if (fd) {
            check_value(c, src, f->value, fd->type, NULL, depth + 1);
            continue;
        }
        if (names == NULL) {
            names = apr_array_make(c->tp, 4, sizeof(const char *));
            for (j = 0; j < t->input_fields->nelts; j++) {
                APR_ARRAY_PUSH(names, const char *) = APR_ARRAY_IDX(
                    t->input_fields, j, const gql_input_value_t *)->name;
            }
        }
        fail(c, src, &f->loc, "Field \"%s\" is not defined by type \"%s\".%s",
             f->name.value, t->name,
             didyoumean(c->tp, NULL, f->name.value, names));
    }
    for (i = 0; i < t->input_fields->nelts; i++) {
        const gql_input_value_t *fd = APR_ARRAY_IDX(t->input_fields, i,
                                                    const gql_input_value_t *);
        int j, given = 0;

        for (j = 0; j < v->fields->nelts && !given; j++) {
            given = !strcmp(GQL_AST_ITEM(v->fields, j,
                                         gql_object_field_t)->name.value,
                            fd->name);
        }
        if (!given && required(fd)) {
            fail(c, src, &v->loc, "Field \"%s.%s\" of required type \"%s\" "
                 "was not provided.", t->name, fd->name, tstr(c, fd->type));
        }
    }
    if (t->one_of && v->fields->nelts != 1) {
        fail(c, src, &v->loc, "OneOf Input Object \"%s\" must specify exactly "
             "one key.", t->name);
    }
    else if (t->one_of && only->value->kind == GQL_VALUE_NULL) {
        fail(c, src, &v->loc, "Field \"%s.%s\" must be non-null.", t->name,
             only->name.value);
    }
}

/* where: the type at this position as graphql-js names it in messages;
 * a single value given for a list keeps the list's name. */
static void check_value(ctx_t *c, const char *src, const gql_value_t *v,
                        const gql_tref_t *t, const char *where, int depth)
{
    const gql_tref_t *nt = t->kind == GQL_TYPE_NON_NULL ? t->of_type : t;
    const gql_type_t *n;
    const char *problem;
    int i;

    if (where == NULL) {
        where = tstr(c, t);
    }
    if (depth > GQL_MAX_DEPTH || !is_input(t)) {
        return;
    }
    if (v->kind == GQL_VALUE_NULL) {
        if (t->kind == GQL_TYPE_NON_NULL) {
            fail(c, src, &v->loc, "Expected value of type \"%s\", found null.",
                 where);
        }
        return;
    }
    if (nt->kind == GQL_TYPE_LIST) {
        if (v->kind != GQL_VALUE_LIST) {
            check_value(c, src, v, nt->of_type, where, depth + 1);
            return;
        }
        for (i = 0; i < v->items->nelts; i++) {
            check_value(c, src, GQL_AST_ITEM(v->items, i, gql_value_t),
                        nt->of_type, NULL, depth + 1);
        }
        return;
    }
    n = nt->named;
    if (n->kind == GQL_KIND_INPUT_OBJECT) {
        if (v->kind == GQL_VALUE_OBJECT) {
            check_object(c, src, v, n, depth);
        }
        else {
            fail(c, src, &v->loc, "Expected value of type \"%s\", found %s.",
                 where, print_value(c->tp, v, 0));
        }
        return;
    }
    problem = n->kind == GQL_KIND_ENUM ? enum_problem(c, v, n)
                                       : scalar_problem(c, v, n);
    if (problem) {
        fail(c, src, &v->loc, "%s", problem);
    }
}

static void check_applied_values(ctx_t *c, const char *src,
                                 const apr_array_header_t *dirs)
{
    int i, j;

    for (i = 0; dirs && i < dirs->nelts; i++) {
        const gql_directive_t *d = GQL_AST_ITEM(dirs, i, gql_directive_t);
        const gql_directive_def_t *dd = gql_schema_directive(c->s,
                                                             d->name.value);

        for (j = 0; dd && j < d->arguments->nelts; j++) {
            const gql_argument_t *a = GQL_AST_ITEM(d->arguments, j,
                                                   gql_argument_t);
            const gql_input_value_t *ad = find_arg(dd->arguments,
                                                   a->name.value);

            if (ad) {
                check_value(c, src, a->value, ad->type, NULL, 0);
            }
        }
    }
}

static void check_inputs_values(ctx_t *c, const apr_array_header_t *ivs)
{
    int i;

    for (i = 0; i < ivs->nelts; i++) {
        const gql_input_value_t *iv = APR_ARRAY_IDX(ivs, i,
                                                    const gql_input_value_t *);

        check_applied_values(c, iv->source, iv->directives);
        if (iv->default_value) {
            check_value(c, iv->source, iv->default_value, iv->type, NULL, 0);
        }
    }
}

static void validate_values(ctx_t *c)
{
    int i, j;

    for (i = 0; i < c->items->nelts; i++) {
        const item_t *it = APR_ARRAY_IDX(c->items, i, const item_t *);

        if (it->def->kind == GQL_DEF_SCHEMA || is_type_def(it->def)) {
            check_applied_values(c, it->src, it->def->directives);
        }
    }
    for (i = 0; i < c->s->directives->nelts; i++) {
        const gql_directive_def_t *d;

        d = APR_ARRAY_IDX(c->s->directives, i, const gql_directive_def_t *);

        if (!d->builtin) {
            check_inputs_values(c, d->arguments);
        }
    }
    for (i = 0; i < c->s->types->nelts; i++) {
        const gql_type_t *t = APR_ARRAY_IDX(c->s->types, i,
                                            const gql_type_t *);

        if (t->builtin) {
            continue;
        }
        for (j = 0; j < t->fields->nelts; j++) {
            const gql_field_t *f = APR_ARRAY_IDX(t->fields, j,
                                                 const gql_field_t *);

            check_applied_values(c, f->source, f->directives);
            check_inputs_values(c, f->arguments);
        }
        for (j = 0; j < t->enum_values->nelts; j++) {
            const gql_enum_value_t *v;

            v = APR_ARRAY_IDX(t->enum_values, j, const gql_enum_value_t *);

            check_applied_values(c, v->source, v->directives);
        }
        check_inputs_values(c, t->input_fields);
    }
}

/* ---- Entry points ---- */

typedef struct sorted_t {
    gql_error_t *e;
    int file;
    unsigned int line, column;
    int seq;
} sorted_t;

static int sortcmp(const void *x, const void *y)
{
    const sorted_t *a = x, *b = y;
    int m;

    if (a->file != b->file) {
        return a->file < b->file ? -1 : 1;
    }
    if (a->line != b->line) {
        return a->line < b->line ? -1 : 1;
    }
    if (a->column != b->column) {
        return a->column < b->column ? -1 : 1;
    }
    m = strcmp(a->e->message, b->e->message);
    return m ? m : a->seq - b->seq;
}

/* Errors by file (in the order given), line, column, message. */
static void flush_errors(ctx_t *c, const gql_document_t *const *docs,
                         int ndocs, apr_array_header_t *errors)
{
    apr_hash_t *order = apr_hash_make(c->tp);
    sorted_t *s;
    int i, n = c->errs->nelts;

    for (i = ndocs - 1; i >= 0; i--) {
        if (docs[i]->source) {
            apr_hash_set(order, docs[i]->source, APR_HASH_KEY_STRING,
                         (void *)(apr_uintptr_t)(i + 1));
        }
    }
    s = apr_palloc(c->tp, sizeof(*s) * (n + 1));
    for (i = 0; i < n; i++) {
        gql_error_t *e = APR_ARRAY_IDX(c->errs, i, gql_error_t *);
        const gql_loc_t *loc = e->locations->nelts
            ? &APR_ARRAY_IDX(e->locations, 0, gql_loc_t) : NULL;

        s[i].e = e;
        s[i].file = e->source && loc ? (int)(apr_uintptr_t)apr_hash_get(
            order, e->source, APR_HASH_KEY_STRING) : 0;
        s[i].line = loc ? loc->line : 0;
        s[i].column = loc ? loc->column : 0;
        s[i].seq = i;
    }
    qsort(s, n, sizeof(*s), sortcmp);
    for (i = 0; i < n; i++) {
        APR_ARRAY_PUSH(errors, gql_error_t *) = s[i].e;
    }
}

static int prelude(ctx_t *c)
{
    static const gql_document_t *doc;
    gql_error_t *err = NULL;
    const gql_document_t *d;

    (void)doc;
    d = gql_parse(c->p, builtin_sdl, sizeof(builtin_sdl) - 1, BUILTIN_SOURCE,
                  &err);
    if (d == NULL) {
        APR_ARRAY_PUSH(c->errs, gql_error_t *) = err;
        return 0;
    }
    add_items(c, d, c->bitems);
    return 1;
}

gql_schema_t *gql_schema_build(apr_pool_t *p, apr_pool_t *ptemp,
                               const gql_document_t *const *docs, int ndocs,
                               apr_array_header_t *errors)
{
    ctx_t ctx, *c = &ctx;
    int i;

    memset(c, 0, sizeof(*c));
    c->p = p;
    c->tp = ptemp;
    c->errs = gql_errors_make(ptemp);
    c->src0 = ndocs > 0 ? docs[0]->source : NULL;
    c->items = apr_array_make(ptemp, 64, sizeof(item_t *));
    c->bitems = apr_array_make(ptemp, 32, sizeof(item_t *));
    c->btypes = apr_hash_make(ptemp);
    c->bdirs = apr_hash_make(ptemp);
    c->deftypes = apr_hash_make(ptemp);
    c->dirs = apr_hash_make(ptemp);
    c->knownnames = apr_array_make(ptemp, 64, sizeof(const char *));
    c->typedirs = apr_hash_make(ptemp);
    c->schemadirs = apr_hash_make(ptemp);
    c->tinfo = apr_hash_make(ptemp);
    if (prelude(c)) {
        for (i = 0; i < ndocs; i++) {
            add_items(c, docs[i], c->items);
        }
        index_items(c);
        sdl_validate(c);
    }
    if (c->errs->nelts == 0) {
        c->s = apr_pcalloc(p, sizeof(*c->s));
        c->s->types = apr_array_make(p, c->items->nelts + 16,
                                     sizeof(gql_type_t *));
        c->s->type_index = apr_hash_make(p);
        c->s->directives = apr_array_make(p, 8,
                                          sizeof(gql_directive_def_t *));
        c->s->directive_index = apr_hash_make(p);
        build(c);
        validate_roots(c);
        validate_directives(c);
        validate_types(c);
        validate_values(c);
    }
    flush_errors(c, docs, ndocs, errors);
    return c->errs->nelts ? NULL : c->s;
}

/* Reads a whole file into p; NULL and *rv on failure. */
static char *slurp(apr_pool_t *p, const char *file, apr_size_t *len,
                   apr_status_t *rv)
{
    apr_file_t *f;
    apr_finfo_t fi;
    char *buf = NULL;

    *rv = apr_file_open(&f, file, APR_FOPEN_READ | APR_FOPEN_BINARY,
                        APR_FPROT_OS_DEFAULT, p);
    if (*rv != APR_SUCCESS) {
        return NULL;
    }
    *rv = apr_file_info_get(&fi, APR_FINFO_SIZE | APR_FINFO_TYPE, f);
    if (*rv == APR_SUCCESS && fi.filetype == APR_DIR) {
        *rv = APR_FROM_OS_ERROR(EISDIR);
    }
    if (*rv == APR_SUCCESS) {
        buf = apr_palloc(p, (apr_size_t)fi.size + 1);
        *len = 0;
        if (fi.size > 0) {
            *rv = apr_file_read_full(f, buf, (apr_size_t)fi.size, len);
        }
        buf[*len] = '\0';
    }
    apr_file_close(f);
    return *rv == APR_SUCCESS ? buf : NULL;
}

gql_schema_t *gql_schema_load(apr_pool_t *p, apr_pool_t *ptemp,
                              const char *const *files, int nfiles,
                              apr_array_header_t *errors)
{
    const gql_document_t **docs = apr_palloc(ptemp, sizeof(*docs)
                                             * (nfiles + 1));
    int i, bad = 0;

    for (i = 0; i < nfiles; i++) {
        apr_size_t len;
        apr_status_t rv;
        gql_error_t *err = NULL;
        char msg[256];
        /* the schema points into the tree, so text and tree live in p */
        const char *text = slurp(p, files[i], &len, &rv);

        if (text == NULL) {
            gql_error_add(p, errors, NULL, "cannot read: %s",
                          apr_strerror(rv, msg, sizeof(msg)))->source =
                files[i];
            bad = 1;
            continue;
        }
        docs[i] = gql_parse(p, text, len, files[i], &err);
        if (docs[i] == NULL) {
            if (err->source == NULL) {
                err->source = files[i];
            }
            APR_ARRAY_PUSH(errors, gql_error_t *) = err;
            bad = 1;
        }
    }
    return bad ? NULL : gql_schema_build(p, ptemp, docs, nfiles, errors);
}

const gql_type_t *gql_schema_type(const gql_schema_t *s, const char *name)
{
    return apr_hash_get(s->type_index, name, APR_HASH_KEY_STRING);
}

const gql_field_t *gql_type_field(const gql_type_t *t, const char *name)
{
    return t->field_index ? apr_hash_get(t->field_index, name,
                                         APR_HASH_KEY_STRING) : NULL;
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
