/* Licensed under the Apache License, Version 2.0 (the "License"); you may
 * not use this file except in compliance with the License.  You may obtain
 * a copy of the License at http://www.apache.org/licenses/LICENSE-2.0
 */

/*
 * gql_schema.h: SDL documents -> one checked, immutable schema.
 *
 * The schema is built once per configuration generation in the
 * configuration pool and then only read, by every child and thread at
 * once: nothing below may be written after gql_schema_build() returns.
 * apr_hash_get() does not write, so the indexes are safe to share.
 *
 * The schema points into the syntax trees it was built from (descriptions,
 * default values, applied directives), so those must live in the same pool.
 */

#ifndef GQL_SCHEMA_H
#define GQL_SCHEMA_H

#include <apr_hash.h>
#include "gql_ast.h"

/* ORDER KIND: gql_type_kind_names[] follows it (introspection's __TypeKind
 * names: "SCALAR", "OBJECT", ...) */
typedef enum {
    GQL_KIND_SCALAR,
    GQL_KIND_OBJECT,
    GQL_KIND_INTERFACE,
    GQL_KIND_UNION,
    GQL_KIND_ENUM,
    GQL_KIND_INPUT_OBJECT
} gql_type_kind_e;

extern const char *const gql_type_kind_names[];

typedef struct gql_type_t gql_type_t;

/* A type as a field, argument or variable uses it: named, [T] or T!. */
typedef struct gql_tref_t gql_tref_t;
struct gql_tref_t {
    gql_type_ref_kind_e kind;   /* GQL_TYPE_NAMED, _LIST, _NON_NULL */
    const gql_type_t *named;    /* NAMED */
    const gql_tref_t *of_type;  /* LIST, NON_NULL */
};

/* Argument, input field or directive argument. */
typedef struct gql_input_value_t {
    const char *name;
    const gql_string_t *description;    /* NULL when none */
    const gql_tref_t *type;
    const gql_value_t *default_value;   /* NULL when none (AST literal) */
    const char *deprecation_reason;     /* NULL unless @deprecated */
    const apr_array_header_t *directives; /* gql_directive_t * as written */
    const char *source;
    gql_loc_t loc;
    const gql_input_value_def_t *ast;   /* the definition */
} gql_input_value_t;

typedef struct gql_field_t {
    const char *name;
    const gql_string_t *description;
    const apr_array_header_t *arguments;  /* gql_input_value_t * */
    const gql_tref_t *type;
    const char *deprecation_reason;
    const apr_array_header_t *directives;
    const gql_type_t *parent;
    const char *source;
    gql_loc_t loc;
    const gql_field_def_t *ast;         /* the definition */
} gql_field_t;

typedef struct gql_enum_value_t {
    const char *name;
    const gql_string_t *description;
    const char *deprecation_reason;
    const apr_array_header_t *directives;
    const char *source;
    gql_loc_t loc;
} gql_enum_value_t;

/* A named type.  Lists hold the definition's members in SDL order, with
 * the members of extensions after them in the order the files give. */
struct gql_type_t {
    gql_type_kind_e kind;
    const char *name;
    const gql_string_t *description;
    int builtin;                /* Int, Float, String, Boolean, ID, __* */
    int referenced;             /* in the schema's type_map: 1 for every
                                 * type but a built-in scalar that nothing
                                 * uses (graphql-js leaves those out of the
                                 * schema: an unused Float is unknown) */
    const char *specified_by_url;       /* SCALAR with @specifiedBy */
    int one_of;                 /* INPUT_OBJECT with @oneOf */
    apr_array_header_t *fields;         /* OBJECT, INTERFACE: gql_field_t * */
    apr_hash_t *field_index;            /* name -> gql_field_t * */
    apr_array_header_t *interfaces;     /* OBJECT, INTERFACE: gql_type_t * */
    apr_array_header_t *possible_types; /* UNION: members; INTERFACE: the
                                         * object types implementing it */
    apr_array_header_t *enum_values;    /* ENUM: gql_enum_value_t * */
    apr_array_header_t *input_fields;   /* INPUT_OBJECT: gql_input_value_t * */
    apr_array_header_t *directives;     /* gql_directive_t * applied to the
                                         * type and its extensions */
    const char *source;                 /* file of the definition */
    gql_loc_t loc;
};

typedef struct gql_directive_def_t {
    const char *name;
    const gql_string_t *description;
    const apr_array_header_t *arguments;  /* gql_input_value_t * */
    int repeatable;
    const apr_array_header_t *locations;  /* const char *: "FIELD", ... */
    int builtin;
    int server_side;            /* the module's own (a hidden
                                 * vocabulary's, or by
                                 * gql_schema_hide_directive()):
                                 * introspection never shows it */
    const char *source;
    gql_loc_t loc;
} gql_directive_def_t;

/* A directive applied to the schema definition or to an extension of
 * it, with the file that applies it. */
typedef struct gql_schema_applied_t {
    const gql_directive_t *directive;
    const char *source;
} gql_schema_applied_t;

typedef struct gql_schema_t {
    const gql_string_t *description;
    /* The directives of the schema definition, then of its extensions in
     * the order the files give: gql_schema_applied_t.  Empty when none. */
    apr_array_header_t *applied;
    apr_array_header_t *types;          /* gql_type_t *, SDL order, then
                                         * the built-in types */
    apr_hash_t *type_index;             /* name -> gql_type_t * */
    /* graphql-js's schema.getTypeMap() in its order, which is the order
     * of __schema.types: each SDL type followed by the built-in types
     * first reached from it, then those of the directives' arguments,
     * then __Schema and the types it reaches.  Only referenced types. */
    apr_array_header_t *type_map;       /* const gql_type_t * */
    apr_array_header_t *directives;     /* gql_directive_def_t *, the
                                         * built-ins first */
    apr_hash_t *directive_index;        /* name -> gql_directive_def_t * */
    const gql_type_t *query;            /* never NULL in a built schema */
    const gql_type_t *mutation;         /* NULL when none */
    const gql_type_t *subscription;     /* NULL when none */
    /* The meta-fields (spec 4.2.2), which belong to no type's fields:
     * __typename of every composite type, __schema and __type of the
     * query root.  Their parent is a carrier type that is not in types. */
    const gql_field_t *meta_schema;
    const gql_field_t *meta_type;
    const gql_field_t *meta_typename;
} gql_schema_t;

/*
 * A vocabulary: directive definitions that a later stage brings to the
 * built-ins (the SQL mapping's, gql_sql.h; the cost model's, gql_cost.h),
 * written in SDL.  They join
 * the built-ins: the user's documents may apply them and may not define
 * them again.  When hidden, each is server_side: introspection shows
 * neither it nor the types that only its arguments use.  Static data;
 * the schema points into the tree parsed from sdl, in the schema's pool.
 */
typedef struct gql_schema_vocab_t {
    const char *source;         /* names sdl in errors: "<sql>" */
    const char *sdl;            /* directive definitions only */
    int hidden;
} gql_schema_vocab_t;

/*
 * Build and check a schema from parsed SDL documents (each with its
 * source set), in order: later documents may extend what earlier ones
 * define; vocabs (below) are added to the built-ins.  Every problem
 * found is appended to errors (each with source and location); checking
 * goes on after the first so that an administrator sees all of them at
 * once.  Returns the schema, in p, when errors gained nothing, else NULL.
 * Scratch memory comes from ptemp.  vocabs is a NULL-terminated list of
 * vocabularies, added in its order (NULL: none); no two may define one
 * name.
 */
gql_schema_t *gql_schema_build(apr_pool_t *p, apr_pool_t *ptemp,
                               const gql_schema_vocab_t *const *vocabs,
                               const gql_document_t *const *docs, int ndocs,
                               apr_array_header_t *errors);

/*
 * Read, parse and build from files, as GraphQLSchema does.  A file that
 * cannot be read or does not parse is an error like any other
 * ("FILE: cannot read: ...", "FILE:3:7: Syntax Error: ...").
 */
gql_schema_t *gql_schema_load(apr_pool_t *p, apr_pool_t *ptemp,
                              const gql_schema_vocab_t *const *vocabs,
                              const char *const *files, int nfiles,
                              apr_array_header_t *errors);

/*
 * Mark the user-defined directive name as the module's own (server_side),
 * unknown to clients, and compute type_map and referenced again without
 * the types that only its arguments use.  Configuration time only, before
 * the schema is shared.  Returns the directive, or NULL when the schema
 * defines no such directive (built-ins cannot be hidden).
 */
gql_directive_def_t *gql_schema_hide_directive(gql_schema_t *s,
                                               apr_pool_t *ptemp,
                                               const char *name);

/* Look-ups; NULL when there is no such thing.  Read-only, thread-safe. */
const gql_type_t *gql_schema_type(const gql_schema_t *s, const char *name);
const gql_field_t *gql_type_field(const gql_type_t *t, const char *name);
/* graphql-js's getFieldDef: the field name of parent (a composite type),
 * the meta-fields included; NULL when there is none. */
const gql_field_t *gql_schema_field_def(const gql_schema_t *s,
                                        const gql_type_t *parent,
                                        const char *name);
const gql_directive_def_t *gql_schema_directive(const gql_schema_t *s,
                                                const char *name);

/* The named type under t's lists and non-nulls; NULL when t is NULL or
 * names no type. */
const gql_type_t *gql_schema_named(const gql_tref_t *t);

/* The root type for an operation kind, or NULL when the schema has none. */
const gql_type_t *gql_schema_root(const gql_schema_t *s, gql_operation_e op);

#endif /* GQL_SCHEMA_H */
