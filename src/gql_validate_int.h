/* Licensed under the Apache License, Version 2.0 (the "License"); you may
 * not use this file except in compliance with the License.  You may obtain
 * a copy of the License at http://www.apache.org/licenses/LICENSE-2.0
 */

/*
 * gql_validate_int.h: what the files of the validation stage share while
 * one document is validated (the walk and its TypeInfo, the rules, the
 * overlapping-fields algorithm).  Private to src/gql_validate*.c; all
 * memory from the pool given to gql_validate().
 *
 * The files call one way only: gql_validate.c (the walk) calls the rules
 * of gql_validate_defs.c, gql_validate_values.c and
 * gql_validate_overlap.c; the walk and the rules call the helpers of
 * gql_validate_ctx.c, which call none of them back.
 */

#ifndef GQL_VALIDATE_INT_H
#define GQL_VALIDATE_INT_H

#include <stdarg.h>
#include "gql_validate.h"
#include "gql_schema.h"
#include "gql_value_check.h"

/* graphql-js's maxErrors: the error after these ends validation. */
#define MAX_ERRORS 100

/* The kinds of node the walk visits (graphql-js's Kind). */
typedef enum {
    N_DOCUMENT,
    N_OPERATION,            /* gql_definition_t */
    N_FRAGMENT,             /* gql_definition_t */
    N_TYPE_SYSTEM,          /* gql_definition_t, not executable */
    N_VARIABLE_DEF,         /* gql_variable_def_t */
    N_VARIABLE,             /* gql_name_t of a variable definition */
    N_SELECTION_SET,        /* gql_selection_set_t */
    N_FIELD,                /* gql_selection_t */
    N_SPREAD,               /* gql_selection_t */
    N_INLINE,               /* gql_selection_t */
    N_ARGUMENT,             /* gql_argument_t */
    N_VALUE,                /* gql_value_t */
    N_OBJECT_FIELD,         /* gql_object_field_t */
    N_DIRECTIVE,            /* gql_directive_t */
    N_NAMED_TYPE,           /* gql_name_t */
    N_LIST_TYPE,            /* gql_type_ref_t */
    N_NON_NULL_TYPE,        /* gql_type_ref_t */
    N_SDL_DIRECTIVES        /* a field, argument or enum value definition:
                             * only its directives matter here */
} nkind_e;

typedef struct node_t node_t;
struct node_t {
    nkind_e kind;
    const void *ast;
    const node_t *parent;
    const char *location;   /* N_DIRECTIVE: "FIELD", "QUERY", ... */
    const apr_array_header_t *directives;   /* N_DIRECTIVE: its siblings */
};

/* graphql-js's TypeInfo at the node being visited.  The walk saves it on
 * entering a node and restores it on leaving, which is TypeInfo's stacks
 * without the arrays. */
typedef struct ti_t {
    const gql_tref_t *type;             /* output type */
    const gql_type_t *parent_type;      /* composite, of the selection set */
    const gql_tref_t *input;            /* input type */
    const gql_tref_t *parent_input;
    const gql_field_t *field_def;
    const gql_value_t *default_value;
    const gql_directive_def_t *directive;
    const gql_input_value_t *argument;
} ti_t;

typedef struct vctx_t {
    apr_pool_t *p;
    const gql_schema_t *s;
    const gql_document_t *doc;
    apr_array_header_t *errors;
    int first;                  /* errors->nelts on entry */
    int aborted;                /* the error limit was reached */
    int introspection;
    ti_t ti;
    const gql_definition_t *def;        /* the definition being walked */
    const node_t **skip;                /* per rule: skipping below it */
    apr_hash_t *trefs;                  /* gql_type_t * -> gql_tref_t * */
    apr_hash_t *fragments;              /* name -> gql_definition_t *, the
                                         * last of that name */
    apr_hash_t *op_names;               /* UniqueOperationNames */
    apr_hash_t *frag_names;             /* UniqueFragmentNames */
    apr_array_header_t *ops;            /* NoUnusedFragments */
    apr_array_header_t *frags;
    apr_hash_t *cyc_visited;            /* NoFragmentCycles */
    apr_hash_t *cyc_index;
    apr_array_header_t *cyc_path;
    apr_hash_t *var_defined;            /* NoUndefinedVariables */
    apr_array_header_t *var_defs;       /* NoUnusedVariables */
    apr_hash_t *var_def_map;            /* VariablesInAllowedPosition */
    apr_array_header_t *input_names;    /* UniqueInputFieldNames: hashes */
    apr_hash_t *type_dirs;              /* UniqueDirectivesPerLocation */
    apr_hash_t *schema_dirs;
    int collecting;                     /* the pass that finds usages */
    apr_array_header_t *cur_usages;     /* of the definition walked */
    apr_hash_t *usages;                 /* definition -> usage_t array */
    apr_hash_t *spreads;                /* selection set -> spreads */
    apr_hash_t *referenced;             /* operation -> fragments */
    void *overlap;                      /* OverlappingFieldsCanBeMerged */
    apr_hash_t *intro_checked;          /* MaxIntrospectionDepth */
    apr_hash_t *intro_exceeded;
    int max_depth;                      /* MaxDepth: 0 for none */
    apr_hash_t *depths;                 /* selection set -> its depth */
    gql_validate_opts_t limits;         /* MaxCounts: opts or zeros */
    apr_hash_t *counts;                 /* selection set -> its counts */
} vctx_t;

/* A variable used as a value, with the TypeInfo where it is used
 * (graphql-js's VariableUsage). */
typedef struct usage_t {
    const gql_value_t *node;
    const gql_tref_t *type;
    const gql_value_t *default_value;
    int has_default;
    const gql_tref_t *parent_type;
} usage_t;

/* gql_validate_ctx.c.  gql_vreport: an error at loc (may be NULL), or
 * NULL once graphql-js's limit is reached (the error past it says so and
 * ends validation); gql_vloc: another location of e (e may be NULL). */
gql_error_t *gql_vreport(vctx_t *c, const gql_loc_t *loc, const char *fmt,
                         ...)
    __attribute__((format(printf, 3, 4)));
void gql_vloc(vctx_t *c, gql_error_t *e, const gql_loc_t *loc);
/* A name of the document as a message quotes it (gql_print_name). */
const char *gql_vname(vctx_t *c, const char *name);
/* schema.getType(), getNamedType, isInputType, isCompositeType,
 * isLeafType, a named type's tref (one per type), typeFromAST, and the
 * fragment named name (NULL: none), as graphql-js has them. */
const gql_type_t *gql_vtype(vctx_t *c, const char *name);
const gql_type_t *gql_vnamed(const gql_tref_t *t);
int gql_vis_input(const gql_type_t *t);
int gql_vis_composite(const gql_type_t *t);
int gql_vis_leaf(const gql_type_t *t);
const gql_tref_t *gql_vtref(vctx_t *c, const gql_type_t *t);
const gql_tref_t *gql_vtype_from_ast(vctx_t *c, const gql_type_ref_t *a);
const gql_definition_t *gql_vfragment(vctx_t *c, const char *name);

/* schema.isSubType() (gql_validate_defs.c). */
int gql_vis_sub_type(const gql_type_t *abstract, const gql_type_t *maybe);
/* Notes name in h, or reports "There can be only one <what> named ..."
 * at the first of that name and at name (gql_validate_defs.c). */
void gql_vunique_name(vctx_t *c, apr_hash_t *h, const gql_name_t *name,
                      const char *what);
/* The fragments the operations (gql_definition_t *) spread, directly or
 * not, each once, in discovery order (gql_validate_defs.c). */
apr_array_header_t *gql_vreferenced(vctx_t *c,
                                    const apr_array_header_t *ops);
/* The rules, in graphql-js's specifiedRules order: each sees every node
 * the walk enters (leave 0) and leaves (leave 1), and returns SKIP on
 * entering a node to see nothing of what lies under it, as a graphql-js
 * visitor returns false; 0 otherwise.  gql_validate_defs.c: */
#define SKIP 1
typedef int (*gql_vrule_fn)(vctx_t *c, const node_t *n, int leave);

int gql_vexecutable_definitions(vctx_t *c, const node_t *n, int leave);
int gql_vunique_operation_names(vctx_t *c, const node_t *n, int leave);
int gql_vlone_anonymous_operation(vctx_t *c, const node_t *n, int leave);
int gql_vsingle_field_subscriptions(vctx_t *c, const node_t *n, int leave);
int gql_vknown_type_names(vctx_t *c, const node_t *n, int leave);
int gql_vfragments_on_composite_types(vctx_t *c, const node_t *n, int leave);
int gql_vvariables_are_input_types(vctx_t *c, const node_t *n, int leave);
int gql_vscalar_leafs(vctx_t *c, const node_t *n, int leave);
int gql_vfields_on_correct_type(vctx_t *c, const node_t *n, int leave);
int gql_vunique_fragment_names(vctx_t *c, const node_t *n, int leave);
int gql_vknown_fragment_names(vctx_t *c, const node_t *n, int leave);
int gql_vno_unused_fragments(vctx_t *c, const node_t *n, int leave);
int gql_vpossible_fragment_spreads(vctx_t *c, const node_t *n, int leave);
int gql_vno_fragment_cycles(vctx_t *c, const node_t *n, int leave);
/* gql_validate_values.c: */
int gql_vunique_variable_names(vctx_t *c, const node_t *n, int leave);
int gql_vno_undefined_variables(vctx_t *c, const node_t *n, int leave);
int gql_vno_unused_variables(vctx_t *c, const node_t *n, int leave);
int gql_vknown_directives(vctx_t *c, const node_t *n, int leave);
int gql_vunique_directives_per_location(vctx_t *c, const node_t *n, int leave);
int gql_vknown_argument_names(vctx_t *c, const node_t *n, int leave);
int gql_vunique_argument_names(vctx_t *c, const node_t *n, int leave);
int gql_vvalues_of_correct_type(vctx_t *c, const node_t *n, int leave);
int gql_vprovided_required_arguments(vctx_t *c, const node_t *n, int leave);
int gql_vvariables_in_allowed_position(vctx_t *c, const node_t *n,
                                       int leave);
int gql_vunique_input_field_names(vctx_t *c, const node_t *n, int leave);
/* gql_validate_overlap.c: */
int gql_voverlapping_fields_can_be_merged(vctx_t *c, const node_t *n,
                                          int leave);
/* gql_validate_limits.c: ours, after graphql-js's: the aliases, root
 * fields, fields and mutation fields of an operation, fragments
 * expanded, against c->limits, and its @oncePerRequest fields. */
int gql_vmax_counts(vctx_t *c, const node_t *n, int leave);

#endif /* GQL_VALIDATE_INT_H */
