/* Licensed under the Apache License, Version 2.0 (the "License"); you may
 * not use this file except in compliance with the License.  You may obtain
 * a copy of the License at http://www.apache.org/licenses/LICENSE-2.0
 */

/*
 * gql_persist.c: persisted documents (gql_persist.h): the files that
 * hold them, their ids and hashes, and their prepared forms.
 *
 *   set: docs[]     gql_persist_doc_t *, by index, each text once
 *        hashes     SHA-256 (lowercase hex) -> doc
 *        ids        id -> { doc, operation it selects }
 *        variants[] { schema, options, prepared[index] }, one per
 *                   schema and options the configuration prepared the
 *                   set under (a set loaded where several locations
 *                   inherit it)
 *
 * Everything is written while the configuration is read; a request only
 * looks up.
 */

#include <string.h>
#include <apr_file_io.h>
#include <apr_hash.h>
#include <apr_lib.h>
#include <apr_strings.h>
#include <openssl/evp.h>
#include "gql_json.h"
#include "gql_parser.h"
#include "gql_persist.h"

#define APOLLO_FORMAT "apollo-persisted-query-manifest"
/* Nesting a manifest needs: Apollo's is three deep. */
#define MANIFEST_DEPTH 16

struct gql_persist_set_t {
    apr_pool_t *pool;
    apr_array_header_t *docs;
    apr_hash_t *hashes;
    apr_hash_t *ids;
    apr_array_header_t *variants;
};

/* What an id names. */
typedef struct named {
    const gql_persist_doc_t *doc;
    const char *operation;
} named;

typedef struct variant {
    const gql_schema_t *schema;
    gql_validate_opts_t opts;
    const gql_prepared_t **prepared;    /* by doc index */
    int n;
} variant;

gql_persist_set_t *gql_persist_make(apr_pool_t *p)
{
    gql_persist_set_t *set = apr_pcalloc(p, sizeof(*set));

    set->pool = p;
    set->docs = apr_array_make(p, 8, sizeof(gql_persist_doc_t *));
    set->hashes = apr_hash_make(p);
    set->ids = apr_hash_make(p);
    set->variants = apr_array_make(p, 1, sizeof(variant *));
    return set;
}

void gql_persist_sha256(const char *text, apr_size_t len,
                        char hex[GQL_PERSIST_HEX + 1])
{
    static const char digits[] = "0123456789abcdef";
    unsigned char md[EVP_MAX_MD_SIZE];
    unsigned int n = 0, i;

    EVP_Digest(text, len, md, &n, EVP_sha256(), NULL);
    for (i = 0; i < n && i * 2 < GQL_PERSIST_HEX; i++) {
        hex[2 * i] = digits[md[i] >> 4];
        hex[2 * i + 1] = digits[md[i] & 15];
    }
    hex[GQL_PERSIST_HEX] = '\0';
}

int gql_persist_is_hash(const char *id, char hex[GQL_PERSIST_HEX + 1])
{
    int i;

    if (strncmp(id, "sha256:", 7) == 0) {
        id += 7;
    }
    for (i = 0; i < GQL_PERSIST_HEX; i++) {
        if (!apr_isxdigit(id[i])) {
            return 0;
        }
        hex[i] = (char)apr_tolower(id[i]);
    }
    hex[GQL_PERSIST_HEX] = '\0';
    return id[GQL_PERSIST_HEX] == '\0';
}

/* An error about a whole file, or about one entry (name non-NULL). */
static gql_error_t *fail(apr_pool_t *ptemp, apr_array_header_t *errors,
                         const char *file, const char *name,
                         const char *message)
{
    gql_error_t *e = name == NULL
        ? gql_error_add(ptemp, errors, NULL, "%s", message)
        : gql_error_add(ptemp, errors, NULL, "document \"%.80s\": %s", name,
                        message);

    e->source = file;
    return e;
}

/* Give id to doc; an id already naming another text is an error. */
static int name_doc(gql_persist_set_t *set, apr_pool_t *ptemp,
                    const gql_persist_doc_t *doc, const char *id,
                    const char *operation, apr_array_header_t *errors)
{
    const named *old = apr_hash_get(set->ids, id, APR_HASH_KEY_STRING);
    named *n;

    if (old != NULL && (old->doc != doc || (old->operation != operation
        && (!old->operation || !operation
            || strcmp(old->operation, operation) != 0)))) {
        fail(ptemp, errors, doc->file, id, apr_psprintf(ptemp, "the id "
             "names another document already (%s)", old->doc->file));
        return 1;
    }
    n = apr_palloc(set->pool, sizeof(*n));
    n->doc = doc;
    n->operation = operation;
    apr_hash_set(set->ids, apr_pstrdup(set->pool, id), APR_HASH_KEY_STRING,
                 n);
    return 0;
}

/* The document of text[0..len) (the set's own, when it has the text
 * already), under the id name (NULL: none); NULL after an error. */
static const gql_persist_doc_t *add(gql_persist_set_t *set,
                                    apr_pool_t *ptemp, const char *file,
                                    const char *name, const char *text,
                                    apr_size_t len,
                                    apr_array_header_t *errors)
{
    char hex[GQL_PERSIST_HEX + 1], claimed[GQL_PERSIST_HEX + 1];
    gql_persist_doc_t *d;

    gql_persist_sha256(text, len, hex);
    if (name != NULL && gql_persist_is_hash(name, claimed)
        && strcmp(claimed, hex) != 0) {
        fail(ptemp, errors, file, name, apr_psprintf(ptemp, "the id is a "
             "SHA-256 that is not the text's (%s)", hex));
        return NULL;
    }
    d = apr_hash_get(set->hashes, hex, GQL_PERSIST_HEX);
    if (d == NULL) {
        d = apr_pcalloc(set->pool, sizeof(*d));
        d->text = apr_pstrmemdup(set->pool, text, len);
        d->len = len;
        d->file = apr_pstrdup(set->pool, file);
        d->name = name ? apr_pstrdup(set->pool, name) : NULL;
        memcpy(d->hash, hex, sizeof(hex));
        d->index = set->docs->nelts;
        APR_ARRAY_PUSH(set->docs, gql_persist_doc_t *) = d;
        apr_hash_set(set->hashes, d->hash, GQL_PERSIST_HEX, d);
    }
    if (name != NULL && name_doc(set, ptemp, d, name, NULL, errors)) {
        return NULL;
    }
    return d;
}

/* A .graphql file: one document, known also by its operations' names. */
static int load_graphql(gql_persist_set_t *set, apr_pool_t *ptemp,
                        const char *file, const char *text, apr_size_t len,
                        apr_array_header_t *errors)
{
    gql_error_t *err = NULL;
    gql_document_t *doc = gql_parse(ptemp, text, len, file, &err);
    const gql_persist_doc_t *d;
    int i, bad = 0;

    if (doc == NULL) {
        err->source = file;
        APR_ARRAY_PUSH(errors, gql_error_t *) = err;
        return 1;
    }
    if ((d = add(set, ptemp, file, NULL, text, len, errors)) == NULL) {
        return 1;
    }
    for (i = 0; i < doc->definitions->nelts; i++) {
        const gql_definition_t *def = GQL_AST_ITEM(doc->definitions, i,
                                                   gql_definition_t);

        if (def->kind == GQL_DEF_OPERATION && def->name.value != NULL) {
            bad += name_doc(set, ptemp, d, def->name.value,
                            apr_pstrdup(set->pool, def->name.value),
                            errors);
        }
    }
    return bad;
}

/* The string member key of o, or NULL. */
static const char *string_of(json_object *o, const char *key,
                             apr_size_t *len)
{
    json_object *v;

    if (!json_object_object_get_ex(o, key, &v)
        || !json_object_is_type(v, json_type_string)) {
        return NULL;
    }
    *len = (apr_size_t)json_object_get_string_len(v);
    return json_object_get_string(v);
}

/* Apollo's persisted query manifest, version 1. */
static int load_apollo(gql_persist_set_t *set, apr_pool_t *ptemp,
                       const char *file, json_object *top,
                       apr_array_header_t *errors)
{
    json_object *v, *ops;
    int i, bad = 0;

    if (!json_object_object_get_ex(top, "version", &v)
        || json_object_get_int(v) != 1
        || !json_object_object_get_ex(top, "operations", &ops)
        || !json_object_is_type(ops, json_type_array)) {
        fail(ptemp, errors, file, NULL, "not an Apollo persisted query "
             "manifest of version 1 with an \"operations\" array");
        return 1;
    }
    for (i = 0; i < (int)json_object_array_length(ops); i++) {
        json_object *op = json_object_array_get_idx(ops, (apr_size_t)i);
        apr_size_t idlen = 0, len = 0;
        const char *id = string_of(op, "id", &idlen);
        const char *body = string_of(op, "body", &len);

        if (id == NULL || body == NULL) {
            fail(ptemp, errors, file, NULL, apr_psprintf(ptemp,
                 "operation %d has no \"id\" and \"body\" strings", i));
            bad++;
        }
        else if (add(set, ptemp, file, id, body, len, errors) == NULL) {
            bad++;
        }
    }
    return bad;
}

/* A map of ids to texts (Relay, GraphQL Code Generator). */
static int load_map(gql_persist_set_t *set, apr_pool_t *ptemp,
                    const char *file, json_object *top,
                    apr_array_header_t *errors)
{
    int bad = 0;

    json_object_object_foreach(top, id, text) {
        if (!json_object_is_type(text, json_type_string)) {
            fail(ptemp, errors, file, NULL, "not a persisted document "
                 "manifest: expected Apollo's, or an object whose every "
                 "value is a document's text");
            return 1;
        }
        if (add(set, ptemp, file, id, json_object_get_string(text),
                (apr_size_t)json_object_get_string_len(text),
                errors) == NULL) {
            bad++;
        }
    }
    return bad;
}

/* The line and column (1-based, in bytes) of text[at]. */
static gql_loc_t where(const char *text, apr_size_t at)
{
    gql_loc_t loc = { 1, 1 };
    apr_size_t i;

    for (i = 0; i < at; i++) {
        if (text[i] == '\n') {
            loc.line++;
            loc.column = 1;
        }
        else {
            loc.column++;
        }
    }
    return loc;
}

/* A JSON manifest. */
static int load_json(gql_persist_set_t *set, apr_pool_t *ptemp,
                     const char *file, const char *text, apr_size_t len,
                     apr_array_header_t *errors)
{
    json_tokener *tok = json_tokener_new_ex(MANIFEST_DEPTH);
    json_object *top;
    enum json_tokener_error jerr;
    apr_size_t end;
    gql_loc_t loc;
    json_object *fmt;

    if (tok == NULL) {
        fail(ptemp, errors, file, NULL, "out of memory");
        return 1;
    }
    json_tokener_set_flags(tok, JSON_TOKENER_STRICT
                                | JSON_TOKENER_VALIDATE_UTF8);
    top = gql_json_own(ptemp, json_tokener_parse_ex(tok, text,
                                                    (int)len + 1));
    jerr = json_tokener_get_error(tok);
    end = json_tokener_get_parse_end(tok);
    json_tokener_free(tok);
    if (jerr != json_tokener_success || memchr(text, '\0', len) != NULL) {
        loc = where(text, end < len ? end : len);
        gql_error_add(ptemp, errors, &loc, "not valid JSON: %s",
                      jerr != json_tokener_success
                      ? json_tokener_error_desc(jerr) : "a NUL byte")
            ->source = file;
        return 1;
    }
    if (!json_object_is_type(top, json_type_object)) {
        fail(ptemp, errors, file, NULL, "not a persisted document manifest: "
             "expected a JSON object");
        return 1;
    }
    if (json_object_object_get_ex(top, "format", &fmt)
        && json_object_is_type(fmt, json_type_string)
        && strcmp(json_object_get_string(fmt), APOLLO_FORMAT) == 0) {
        return load_apollo(set, ptemp, file, top, errors);
    }
    return load_map(set, ptemp, file, top, errors);
}

/* The whole of file, NUL-terminated, in p; NULL and *why when it cannot
 * be read or is larger than GQL_PERSIST_MAX_FILE. */
static char *read_all(apr_pool_t *p, const char *file, apr_size_t *len,
                      const char **why)
{
    apr_file_t *f;
    apr_finfo_t fi;
    apr_status_t rv;
    char *buf = NULL, msg[256];

    rv = apr_file_open(&f, file, APR_FOPEN_READ | APR_FOPEN_BINARY,
                       APR_FPROT_OS_DEFAULT, p);
    if (rv == APR_SUCCESS) {
        rv = apr_file_info_get(&fi, APR_FINFO_SIZE | APR_FINFO_TYPE, f);
        if (rv == APR_SUCCESS && (fi.filetype != APR_REG
                                  || fi.size > GQL_PERSIST_MAX_FILE)) {
            *why = apr_psprintf(p, "cannot read: not a regular file of at "
                                "most %d bytes", GQL_PERSIST_MAX_FILE);
            apr_file_close(f);
            return NULL;
        }
        if (rv == APR_SUCCESS) {
            buf = apr_palloc(p, (apr_size_t)fi.size + 1);
            rv = apr_file_read_full(f, buf, (apr_size_t)fi.size, len);
            buf[*len] = '\0';
        }
        apr_file_close(f);
    }
    if (rv != APR_SUCCESS && !(APR_STATUS_IS_EOF(rv) && *len == 0)) {
        *why = apr_pstrcat(p, "cannot read: ",
                           apr_strerror(rv, msg, sizeof(msg)), NULL);
        return NULL;
    }
    return buf;
}

static int ends_with(const char *s, const char *tail)
{
    apr_size_t n = strlen(s), m = strlen(tail);

    return n >= m && strcmp(s + n - m, tail) == 0;
}

int gql_persist_load(gql_persist_set_t *set, apr_pool_t *ptemp,
                     const char *file, apr_array_header_t *errors)
{
    apr_size_t len = 0;
    const char *why = NULL;
    const char *text = read_all(ptemp, file, &len, &why);

    if (text == NULL) {
        fail(ptemp, errors, file, NULL, why);
        return 1;
    }
    return gql_persist_load_text(set, ptemp, file, text, len, errors);
}

int gql_persist_load_text(gql_persist_set_t *set, apr_pool_t *ptemp,
                          const char *file, const char *text,
                          apr_size_t len, apr_array_header_t *errors)
{
    if (ends_with(file, ".graphql") || ends_with(file, ".gql")) {
        return load_graphql(set, ptemp, file, text, len, errors);
    }
    return load_json(set, ptemp, file, text, len, errors);
}

int gql_persist_count(const gql_persist_set_t *set)
{
    return set->docs->nelts;
}

const gql_persist_doc_t *gql_persist_doc(const gql_persist_set_t *set,
                                         int i)
{
    return APR_ARRAY_IDX(set->docs, i, const gql_persist_doc_t *);
}

const gql_persist_doc_t *gql_persist_find(const gql_persist_set_t *set,
                                          const char *id,
                                          const char **operation)
{
    char hex[GQL_PERSIST_HEX + 1];
    const named *n;

    *operation = NULL;
    if (set == NULL) {
        return NULL;
    }
    if (gql_persist_is_hash(id, hex)) {
        return apr_hash_get(set->hashes, hex, GQL_PERSIST_HEX);
    }
    n = apr_hash_get(set->ids, id, APR_HASH_KEY_STRING);
    if (n == NULL) {
        return NULL;
    }
    *operation = n->operation;
    return n->doc;
}

static int same_opts(const gql_validate_opts_t *a,
                     const gql_validate_opts_t *b)
{
    return a->introspection == b->introspection
           && a->max_depth == b->max_depth
           && a->max_tokens == b->max_tokens
           && a->max_aliases == b->max_aliases
           && a->max_root_fields == b->max_root_fields
           && a->max_fields == b->max_fields
           && a->max_mutation_fields == b->max_mutation_fields
           && a->cost == b->cost && a->list_size == b->list_size;
}

static const variant *variant_of(const gql_persist_set_t *set,
                                 const gql_schema_t *schema,
                                 const gql_validate_opts_t *opts)
{
    int i;

    for (i = 0; i < set->variants->nelts; i++) {
        const variant *v = APR_ARRAY_IDX(set->variants, i, const variant *);

        if (v->schema == schema && same_opts(&v->opts, opts)) {
            return v;
        }
    }
    return NULL;
}

/* Say in each of errors[from..] which file and entry it is about. */
static void place(apr_pool_t *ptemp, apr_array_header_t *errors, int from,
                  const gql_persist_doc_t *d)
{
    int i;

    for (i = from; i < errors->nelts; i++) {
        gql_error_t *e = APR_ARRAY_IDX(errors, i, gql_error_t *);

        e->source = d->file;
        if (d->name != NULL) {
            e->message = apr_psprintf(ptemp, "document \"%.80s\": %.*s",
                                      d->name,
                                      (int)gql_error_message_len(e),
                                      e->message);
            e->message_len = 0;
        }
    }
}

int gql_persist_prepare(gql_persist_set_t *set, apr_pool_t *ptemp,
                        const gql_schema_t *schema,
                        const gql_validate_opts_t *opts,
                        apr_array_header_t *errors)
{
    variant *v;
    int i, from = errors->nelts;

    if (variant_of(set, schema, opts) != NULL) {
        return 0;
    }
    v = apr_palloc(set->pool, sizeof(*v));
    v->schema = schema;
    v->opts = *opts;
    v->n = set->docs->nelts;
    v->prepared = apr_pcalloc(set->pool, sizeof(*v->prepared) * (v->n + 1));
    for (i = 0; i < v->n; i++) {
        const gql_persist_doc_t *d = gql_persist_doc(set, i);
        int mark = errors->nelts;

        v->prepared[i] = gql_document_prepare(set->pool, ptemp, schema,
                                              d->text, d->len, opts, errors);
        place(ptemp, errors, mark, d);
    }
    if (errors->nelts > from) {
        return errors->nelts - from;
    }
    APR_ARRAY_PUSH(set->variants, variant *) = v;
    return 0;
}

const gql_prepared_t *gql_persist_prepared(const gql_persist_set_t *set,
                                           const gql_persist_doc_t *doc,
                                           const gql_schema_t *schema,
                                           const gql_validate_opts_t *opts)
{
    const variant *v = variant_of(set, schema, opts);

    return v != NULL && doc->index < v->n ? v->prepared[doc->index] : NULL;
}

int gql_persist_request_hash(apr_pool_t *p, json_object *extensions,
                             const char **hash, const char **msg)
{
    json_object *pq, *v;
    char hex[GQL_PERSIST_HEX + 1];

    if (extensions == NULL
        || !json_object_object_get_ex(extensions, "persistedQuery", &pq)
        || json_object_is_type(pq, json_type_null)) {
        return 0;
    }
    if (!json_object_is_type(pq, json_type_object)) {
        *msg = "The \"persistedQuery\" extension must be a JSON object.";
        return -1;
    }
    if (!json_object_object_get_ex(pq, "version", &v)
        || !json_object_is_type(v, json_type_int)
        || json_object_get_int64(v) != 1) {
        *msg = "Unsupported persisted query version: the "
               "\"persistedQuery\" extension must have \"version\": 1.";
        return -1;
    }
    if (!json_object_object_get_ex(pq, "sha256Hash", &v)
        || !json_object_is_type(v, json_type_string)
        || (apr_size_t)json_object_get_string_len(v) != GQL_PERSIST_HEX
        || !gql_persist_is_hash(json_object_get_string(v), hex)) {
        *msg = "The \"persistedQuery\" extension's \"sha256Hash\" must be "
               "the SHA-256 of the query: 64 hex digits.";
        return -1;
    }
    *hash = apr_pstrdup(p, hex);
    return 1;
}
