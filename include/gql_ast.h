/* Licensed under the Apache License, Version 2.0 (the "License"); you may
 * not use this file except in compliance with the License.  You may obtain
 * a copy of the License at http://www.apache.org/licenses/LICENSE-2.0
 */

/*
 * gql_ast.h: the syntax tree of a GraphQL document, executable or SDL.
 *
 * The parser builds it in one pool; every string and array lives there and
 * nothing in it is ever freed on its own.  After parsing, the tree is
 * read-only: the schema builder, the validator and the executor only read
 * it, so a tree parsed at configuration time may be shared by threads.
 *
 * Arrays are apr_array_header_t of pointers (elt_size == sizeof(void *));
 * an absent list is an empty array, never NULL, unless a comment says so.
 */

#ifndef GQL_AST_H
#define GQL_AST_H

#include <apr_pools.h>
#include <apr_tables.h>
#include "gql_error.h"

#define GQL_AST_ITEM(arr, i, type) (APR_ARRAY_IDX((arr), (i), type *))

typedef struct gql_name_t {
    const char *value;
    gql_loc_t loc;
} gql_name_t;

/* A string value or description.  Strings may hold U+0000 (written
 * "\u0000"), so len counts bytes; value is also NUL-terminated. */
typedef struct gql_string_t {
    const char *value;          /* decoded UTF-8 */
    apr_size_t len;
    int block;                  /* written as a """block string""" */
    gql_loc_t loc;
} gql_string_t;

/* ORDER VALUE: value_names[] in t/unit/ast_dump.c follows this order */
typedef enum {
    GQL_VALUE_VARIABLE,
    GQL_VALUE_INT,
    GQL_VALUE_FLOAT,
    GQL_VALUE_STRING,
    GQL_VALUE_BOOLEAN,
    GQL_VALUE_NULL,
    GQL_VALUE_ENUM,
    GQL_VALUE_LIST,
    GQL_VALUE_OBJECT
} gql_value_kind_e;

typedef struct gql_value_t gql_value_t;

typedef struct gql_object_field_t {
    gql_name_t name;
    gql_value_t *value;
    gql_loc_t loc;
} gql_object_field_t;

struct gql_value_t {
    gql_value_kind_e kind;
    gql_loc_t loc;
    /* VARIABLE: the name without '$'; INT, FLOAT: the literal as written;
     * STRING: decoded text; ENUM: the name; BOOLEAN: "true" or "false";
     * NULL: "null"; LIST, OBJECT: NULL. */
    const char *text;
    apr_size_t len;             /* bytes of text (STRING may hold NULs) */
    int boolean;                /* BOOLEAN */
    int block;                  /* STRING written as a block string */
    apr_array_header_t *items;  /* LIST: gql_value_t *; else NULL */
    apr_array_header_t *fields; /* OBJECT: gql_object_field_t *; else NULL */
};

/* ORDER TYPEREF */
typedef enum {
    GQL_TYPE_NAMED,
    GQL_TYPE_LIST,
    GQL_TYPE_NON_NULL
} gql_type_ref_kind_e;

typedef struct gql_type_ref_t gql_type_ref_t;
struct gql_type_ref_t {
    gql_type_ref_kind_e kind;
    gql_loc_t loc;
    gql_name_t name;            /* NAMED */
    gql_type_ref_t *of_type;    /* LIST, NON_NULL */
};

typedef struct gql_argument_t {
    gql_name_t name;
    gql_value_t *value;
    gql_loc_t loc;
} gql_argument_t;

typedef struct gql_directive_t {
    gql_name_t name;
    apr_array_header_t *arguments;  /* gql_argument_t * */
    gql_loc_t loc;              /* of the '@' */
} gql_directive_t;

/* ORDER SELECTION */
typedef enum {
    GQL_SEL_FIELD,
    GQL_SEL_FRAGMENT_SPREAD,
    GQL_SEL_INLINE_FRAGMENT
} gql_selection_kind_e;

typedef struct gql_selection_set_t gql_selection_set_t;

/* One node per selection, the most numerous of a document: 72 bytes.
 * A field has no type condition and an inline fragment no alias, so the
 * two share their place: read alias of a FIELD only, type_condition of an
 * INLINE fragment only (a SPREAD has neither: value NULL). */
typedef struct gql_selection_t {
    gql_selection_kind_e kind;
    gql_loc_t loc;
    union {
        gql_name_t alias;       /* FIELD; alias.value NULL when absent */
        gql_name_t type_condition;  /* INLINE; value NULL when absent */
    };
    gql_name_t name;            /* FIELD: field name; SPREAD: fragment */
    apr_array_header_t *arguments;  /* FIELD: gql_argument_t * */
    apr_array_header_t *directives; /* gql_directive_t * */
    gql_selection_set_t *selection_set; /* FIELD (NULL if none), INLINE */
} gql_selection_t;

struct gql_selection_set_t {
    apr_array_header_t *selections; /* gql_selection_t *, never empty */
    gql_loc_t loc;              /* of the '{' */
};

typedef struct gql_variable_def_t {
    gql_string_t *description;  /* NULL when absent */
    gql_name_t name;            /* without '$' */
    gql_type_ref_t *type;
    gql_value_t *default_value; /* NULL when absent */
    apr_array_header_t *directives;
    gql_loc_t loc;              /* first token, description included */
} gql_variable_def_t;

/* ORDER OPERATION */
typedef enum {
    GQL_OP_QUERY,
    GQL_OP_MUTATION,
    GQL_OP_SUBSCRIPTION
} gql_operation_e;

typedef struct gql_input_value_def_t {
    gql_string_t *description;
    gql_name_t name;
    gql_type_ref_t *type;
    gql_value_t *default_value; /* NULL when absent */
    apr_array_header_t *directives;
    gql_loc_t loc;
} gql_input_value_def_t;

typedef struct gql_field_def_t {
    gql_string_t *description;
    gql_name_t name;
    apr_array_header_t *arguments;  /* gql_input_value_def_t * */
    gql_type_ref_t *type;
    apr_array_header_t *directives;
    gql_loc_t loc;
} gql_field_def_t;

typedef struct gql_enum_value_def_t {
    gql_string_t *description;
    gql_name_t name;
    apr_array_header_t *directives;
    gql_loc_t loc;
} gql_enum_value_def_t;

typedef struct gql_operation_type_def_t {
    gql_operation_e operation;
    gql_name_t type;
    gql_loc_t loc;
} gql_operation_type_def_t;

/* ORDER DEFINITION: gql_definition_kind_names[] follows this order */
typedef enum {
    GQL_DEF_OPERATION,
    GQL_DEF_FRAGMENT,
    GQL_DEF_SCHEMA,
    GQL_DEF_SCALAR,
    GQL_DEF_OBJECT,
    GQL_DEF_INTERFACE,
    GQL_DEF_UNION,
    GQL_DEF_ENUM,
    GQL_DEF_INPUT_OBJECT,
    GQL_DEF_DIRECTIVE
} gql_definition_kind_e;

/* One definition.  Which members are used depends on kind; unused arrays
 * are empty, unused pointers NULL.  An `extend ...` form has the kind of
 * what it extends and is_extension set (there is no `extend directive`).
 *
 *   kind          members used
 *   OPERATION     operation, name (value NULL if anonymous), variables,
 *                 directives, selection_set, description
 *   FRAGMENT      name, type_condition, directives, selection_set,
 *                 description
 *   SCHEMA        directives, operation_types, description
 *   SCALAR        name, directives
 *   OBJECT        name, interfaces, directives, fields
 *   INTERFACE     name, interfaces, directives, fields
 *   UNION         name, directives, members
 *   ENUM          name, directives, values
 *   INPUT_OBJECT  name, directives, input_fields
 *   DIRECTIVE     name, arguments, repeatable, locations
 */
typedef struct gql_definition_t {
    gql_definition_kind_e kind;
    int is_extension;
    gql_loc_t loc;              /* first token, description included */
    gql_string_t *description;  /* NULL when absent */
    gql_name_t name;
    gql_operation_e operation;
    apr_array_header_t *variables;      /* gql_variable_def_t * */
    gql_name_t type_condition;
    apr_array_header_t *directives;     /* gql_directive_t * */
    gql_selection_set_t *selection_set;
    apr_array_header_t *operation_types; /* gql_operation_type_def_t * */
    apr_array_header_t *interfaces;     /* gql_name_t * */
    apr_array_header_t *fields;         /* gql_field_def_t * */
    apr_array_header_t *members;        /* gql_name_t * */
    apr_array_header_t *values;         /* gql_enum_value_def_t * */
    apr_array_header_t *input_fields;   /* gql_input_value_def_t * */
    apr_array_header_t *arguments;      /* gql_input_value_def_t * */
    int repeatable;
    apr_array_header_t *locations;      /* gql_name_t * */
} gql_definition_t;

typedef struct gql_document_t {
    const char *source;         /* name for messages (file name), or NULL */
    apr_size_t len;             /* bytes of the text parsed */
    apr_array_header_t *definitions;    /* gql_definition_t * */
} gql_document_t;

/* Names for messages and dumps, in the ORDER of the enums above. */
extern const char *const gql_operation_names[];        /* "query", ... */
extern const char *const gql_definition_kind_names[];  /* "Operation..." */

#endif /* GQL_AST_H */
