/* Licensed under the Apache License, Version 2.0 (the "License"); you may
 * not use this file except in compliance with the License.  You may obtain
 * a copy of the License at http://www.apache.org/licenses/LICENSE-2.0
 */

/*
 * gql_persist.h: persisted documents.  Documents an administrator loads
 * at configuration time (GraphQLDocuments), from the files clients'
 * tools write, each known by one or more ids; the SHA-256 that names a
 * text; the ids a request sends.
 *
 *   gql_persist_load()      a file into a set: its texts and their ids
 *   gql_persist_prepare()   every document of a set, prepared
 *                           (gql_document.h) against a schema under
 *                           validation options: one variant of the set
 *   gql_persist_find()      what a request's id names
 *   gql_persist_prepared()  a document's prepared form in a variant
 *
 * Files, by their contents:
 *
 *   FILE.graphql, FILE.gql  one document of named operations: its ids
 *                           are the SHA-256 of the whole text and the
 *                           name of each operation, which then selects
 *                           that operation when the request names none
 *   Apollo's manifest       {"format": "apollo-persisted-query-manifest",
 *                            "version": 1, "operations": [{"id", "name",
 *                            "type", "body"}, ...]}: each body under its
 *                           id, which must be the body's SHA-256
 *   a map (Relay, GraphQL   {"ID": "TEXT", ...}: each text under its ID;
 *   Code Generator)         an ID that claims to be a SHA-256 (64 hex
 *                           digits, with or without "sha256:") must be
 *                           the text's
 *
 * Every document is also known by its text's SHA-256, whatever its ids:
 * the hash of Apollo's persistedQuery and the "sha256:HEX" documentId of
 * GraphQL over HTTP find it.  A set is built in its pool (pconf) while
 * the configuration is read, and only read once the server serves: every
 * function that takes a const set may be called from any thread.
 */

#ifndef GQL_PERSIST_H
#define GQL_PERSIST_H

#include <apr_pools.h>
#include <apr_tables.h>
#include <json-c/json.h>
#include "gql_document.h"

/* Hex digits of a SHA-256. */
#define GQL_PERSIST_HEX 64

/* The largest file gql_persist_load() reads. */
#define GQL_PERSIST_MAX_FILE (64 * 1024 * 1024)

typedef struct gql_persist_doc_t {
    const char *text;           /* NUL-terminated; len bytes */
    apr_size_t len;
    const char *file;           /* the file it was read from */
    const char *name;           /* its id in a manifest, for messages;
                                 * NULL for a .graphql file */
    char hash[GQL_PERSIST_HEX + 1];     /* SHA-256 of text, lowercase */
    int index;                  /* 0, 1, ... in its set */
} gql_persist_doc_t;

typedef struct gql_persist_set_t gql_persist_set_t;

/* An empty set, living in p. */
gql_persist_set_t *gql_persist_make(apr_pool_t *p);

/*
 * Read file (a path as given) and add its documents to set, in the set's
 * pool; scratch from ptemp.  Appends to errors (in ptemp) every problem:
 * the file cannot be read or is not a format above ("FILE: ..."), its
 * JSON does not parse (FILE:LINE:COL in the file), a .graphql file does
 * not parse (FILE:LINE:COL in it), an id claims a SHA-256 that is not
 * its text's, an id names two different texts (FILE: document "ID":
 * ...).  Returns how many it appended: 0 means every document of the
 * file is in the set.  Documents are parsed and validated only by
 * gql_persist_prepare().
 */
int gql_persist_load(gql_persist_set_t *set, apr_pool_t *ptemp,
                     const char *file, apr_array_header_t *errors);

/* gql_persist_load() of a file's text, text[0..len) followed by a NUL;
 * file names it in messages, and its suffix says its format. */
int gql_persist_load_text(gql_persist_set_t *set, apr_pool_t *ptemp,
                          const char *file, const char *text,
                          apr_size_t len, apr_array_header_t *errors);

/* How many documents set holds, and the one of index i. */
int gql_persist_count(const gql_persist_set_t *set);
const gql_persist_doc_t *gql_persist_doc(const gql_persist_set_t *set,
                                         int i);

/*
 * The document id names (a documentId, or Apollo's sha256Hash): an id of
 * the set's files, or a SHA-256 of a text of the set (64 hex digits, any
 * case, with or without "sha256:"); NULL when it names none.  *operation
 * gets the operation the id selects when the request names none (NULL:
 * the document's only one).  set may be NULL (no documents).
 */
const gql_persist_doc_t *gql_persist_find(const gql_persist_set_t *set,
                                          const char *id,
                                          const char **operation);

/*
 * Prepare every document of set against schema under opts (both must
 * outlive the set), into the set's pool, and keep them as one variant
 * of the set; a variant of the same schema and options is made once.
 * Errors go to errors (in ptemp), one per problem of each document that
 * fails: "FILE:LINE:COL: document "ID": message", LINE:COL in the
 * document's text (no "document" part for a .graphql file).  Returns
 * how many: 0 when the variant is kept.  Only while the configuration is
 * read: it writes the set.
 */
int gql_persist_prepare(gql_persist_set_t *set, apr_pool_t *ptemp,
                        const gql_schema_t *schema,
                        const gql_validate_opts_t *opts,
                        apr_array_header_t *errors);

/* doc prepared against schema under opts, when gql_persist_prepare()
 * made that variant; NULL when not (the caller prepares doc->text as any
 * text).  Read-only: any thread. */
const gql_prepared_t *gql_persist_prepared(const gql_persist_set_t *set,
                                           const gql_persist_doc_t *doc,
                                           const gql_schema_t *schema,
                                           const gql_validate_opts_t *opts);

/* The SHA-256 of text[0..len) into hex, 64 lowercase digits and a NUL. */
void gql_persist_sha256(const char *text, apr_size_t len,
                        char hex[GQL_PERSIST_HEX + 1]);

/* Whether id is a SHA-256: 64 hex digits, with or without "sha256:";
 * then hex gets them in lowercase. */
int gql_persist_is_hash(const char *id, char hex[GQL_PERSIST_HEX + 1]);

/*
 * Apollo's automatic persisted query in a request's extensions (NULL:
 * none): extensions.persistedQuery {"version": 1, "sha256Hash": HEX}.
 * Returns 0 when there is none, 1 with *hash (64 lowercase digits, in
 * p), or -1 with *msg (for the client, in p) when it is malformed or of
 * another version.
 */
int gql_persist_request_hash(apr_pool_t *p, json_object *extensions,
                             const char **hash, const char **msg);

#endif /* GQL_PERSIST_H */
