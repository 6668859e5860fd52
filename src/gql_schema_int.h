/* Licensed under the Apache License, Version 2.0 (the "License"); you may
 * not use this file except in compliance with the License.  You may obtain
 * a copy of the License at http://www.apache.org/licenses/LICENSE-2.0
 */

/*
 * gql_schema_int.h: what gql_schema_load.c (the order of the build),
 * gql_schema.c (the types) and gql_schema_check.c (the rules) share while
 * one schema is built.  Private to the three; all memory from the build's
 * pools (p for the schema, tp for scratch).
 */

#ifndef GQL_SCHEMA_INT_H
#define GQL_SCHEMA_INT_H

#include <stdarg.h>
#include "gql_schema.h"

/* A definition with the file it came from. */
typedef struct gql_item_t {
    const gql_definition_t *def;
    const char *src;
    int hidden;                 /* of a hidden vocabulary */
} gql_item_t;

/* A named type being built, with the nodes that define and extend it. */
typedef struct gql_tinfo_t {
    gql_type_t *t;
    apr_array_header_t *nodes;  /* gql_item_t *: definition, then extensions */
} gql_tinfo_t;

typedef struct gql_build_t {
    apr_pool_t *p;              /* the schema's pool */
    apr_pool_t *tp;             /* scratch */
    apr_array_header_t *errs;   /* gql_error_t *, sorted at the end */
    const char *src0;           /* file for errors with no node */
    apr_array_header_t *items;  /* gql_item_t *: the user's definitions */
    apr_array_header_t *bitems; /* gql_item_t *: the built-in definitions */
    apr_hash_t *btypes;         /* built-in type name -> gql_item_t * */
    apr_hash_t *bdirs;          /* built-in directive name -> gql_item_t * */
    apr_hash_t *deftypes;       /* user type name -> gql_item_t * (the last) */
    apr_hash_t *dirs;           /* directive name -> gql_item_t * (user's
                                 * definition over the built-in one) */
    apr_array_header_t *knownnames; /* const char *: built-in then user */
    apr_hash_t *typedirs;       /* type name -> hash of seen directives */
    apr_hash_t *schemadirs;     /* seen directives of schema + extensions */
    apr_hash_t *tinfo;          /* type name -> gql_tinfo_t * */
    const gql_name_t *opnode[3];    /* root operation type nodes */
    const char *opsrc[3];
    const gql_item_t *schemadef;
    gql_schema_t *s;
} gql_build_t;

static APR_INLINE int is_type_def(const gql_definition_t *d)
{
    return d->kind >= GQL_DEF_SCALAR && d->kind <= GQL_DEF_INPUT_OBJECT;
}

static APR_INLINE const gql_item_t *hget(apr_hash_t *h, const char *key)
{
    return apr_hash_get(h, key, APR_HASH_KEY_STRING);
}


/* Appends an error at loc in src (or, with no location, naming the first
 * file). */
gql_error_t *gql_schema_fail(gql_build_t *c, const char *src,
                             const gql_loc_t *loc, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

/* The directive of that name in dirs (gql_directive_t *), or NULL. */
const gql_directive_t *gql_schema_find_dir(const apr_array_header_t *dirs,
                                           const char *name);

/*
 * The builder (gql_schema.c), in the order gql_schema_build() calls it.
 *
 * gql_schema_gather: the built-in definitions, the vocabularies' (a
 * NULL-terminated list, or NULL: none; gql_schema_vocab_t), then those of
 * docs in
 * order, into c->bitems and c->items, and phase 1's indexes (c->btypes,
 * c->dirs, c->knownnames, ...).  Returns 0, with the error in c->errs,
 * when the built-ins do not parse.
 *
 * gql_schema_make: c->s, with every type, directive and root type of the
 * gathered definitions; run only when phase 1 found nothing.
 *
 * gql_schema_map_types: s->type_map and each type's referenced; run only
 * on a schema that passed both phases (gql_schema_hide_directive() runs it
 * again).
 */
int gql_schema_gather(gql_build_t *c,
                      const gql_schema_vocab_t *const *vocabs,
                      const gql_document_t *const *docs, int ndocs);
void gql_schema_make(gql_build_t *c);
void gql_schema_map_types(gql_schema_t *s, apr_pool_t *tp);

/* The rules (gql_schema_check.c).  Phase 1, on the syntax trees: c->items
 * and the indexes. */
void gql_schema_check_sdl(gql_build_t *c);

/* Phase 2, on the made c->s. */
void gql_schema_check_types(gql_build_t *c);

#endif /* GQL_SCHEMA_INT_H */
