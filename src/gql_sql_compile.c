/* Licensed under the Apache License, Version 2.0 (the "License"); you may
 * not use this file except in compliance with the License.  You may obtain
 * a copy of the License at http://www.apache.org/licenses/LICENSE-2.0
 */

/*
 * gql_sql_compile.c: the SQL mapping at configuration time.  Reads the
 * @column, @sql, @sqlError and @jwt of every field of the object types,
 * checks them (one error per problem, with the file and position of the
 * directive or argument) and compiles each @sql: placeholders become
 * numbered parameters, and the texts of the statement forms are built
 * once.  Client text never enters SQL text: every value is a parameter.
 * The directives themselves are declared here too (gql_sql_vocab), and
 * the compiled mappings are kept in a table of the stage's own: the
 * schema is never written.
 */

#include <stdlib.h>
#include <string.h>
#include <apr_lib.h>
#include <apr_strings.h>
#include "gql_jwt.h"
#include "gql_print.h"
#include "gql_sql_int.h"

/* Placeholder parts ($a.b.c) and input nesting followed. */
#define MAX_PARTS 16

/* Server-side, never introspected: a schema's SQL is not the clients'
 * business. */
const gql_schema_vocab_t gql_sql_vocab = {
    "<sql>",
    "directive @table(name: String!) on OBJECT\n"
    "directive @column(name: String!) on FIELD_DEFINITION\n"
    "directive @sql(query: String!, optionalViewer: Boolean = false)"
    " on FIELD_DEFINITION\n"
    "directive @sqlError(when: String!, message: String!, code: String!)"
    " repeatable on FIELD_DEFINITION\n"
    "directive @jwt(subject: String! = \"id\") on FIELD_DEFINITION\n"
    "directive @claims(names: [String!]!) repeatable on SCHEMA\n"
    "directive @listen(channel: String!) on FIELD_DEFINITION\n",
    1
};

/* field -> its gql_sql_map_t: the key is the field's address (the
 * bytes of a const gql_field_t *), which the schema keeps as long as the
 * table lives. */
struct gql_sql_mapping_t {
    apr_hash_t *fields;
    int sql_fields;             /* fields with @sql */
};

typedef struct cc_t {
    apr_pool_t *p;
    apr_pool_t *tp;
    const gql_schema_t *s;
    gql_sql_mapping_t *out;
    apr_array_header_t *errors;
    int nerr;
    const gql_field_t *f;
    const char *label;          /* "Type.field" */
    const gql_loc_t *loc;       /* of the @sql query argument */
    gql_sql_map_t *m;
    int root;
    int mutation;
    int subscription;
    const char *changes;        /* the first data-changing keyword seen */
    apr_hash_t *claims;         /* what schema @claims declares: "tenant",
                                 * "app.tenant" -> "" */
    const char *declared;       /* the same, "tenant, app.tenant" */
} cc_t;

static void fail(cc_t *c, const char *source, const gql_loc_t *loc,
                 const char *msg)
{
    gql_error_t *e = gql_error_add(c->p, c->errors, loc, "%s", msg);

    e->source = source;
    c->nerr++;
}

static void sqlfail(cc_t *c, const char *msg)
{
    fail(c, c->f->source, c->loc, msg);
}

static const gql_value_t *darg(const gql_directive_t *d, const char *name)
{
    int i;

    for (i = 0; d->arguments && i < d->arguments->nelts; i++) {
        const gql_argument_t *a = APR_ARRAY_IDX(d->arguments, i,
                                                gql_argument_t *);

        if (strcmp(a->name.value, name) == 0) {
            return a->value;
        }
    }
    return NULL;
}

static const char *dstr(const gql_directive_t *d, const char *name,
                        const char *dflt)
{
    const gql_value_t *v = darg(d, name);

    return v && v->kind == GQL_VALUE_STRING ? v->text : dflt;
}

static const gql_type_t *named(const gql_tref_t *t)
{
    while (t->kind != GQL_TYPE_NAMED) {
        t = t->of_type;
    }
    return t->named;
}

static const gql_input_value_t *input(const apr_array_header_t *vals,
                                      const char *name)
{
    int i;

    for (i = 0; vals && i < vals->nelts; i++) {
        const gql_input_value_t *v = APR_ARRAY_IDX(vals, i,
                                                   gql_input_value_t *);

        if (strcmp(v->name, name) == 0) {
            return v;
        }
    }
    return NULL;
}

/* "a, b, c" of the names of vals. */
static const char *names(apr_pool_t *p, const apr_array_header_t *vals)
{
    const char *out = "";
    int i;

    for (i = 0; vals && i < vals->nelts; i++) {
        out = apr_pstrcat(p, out, i ? ", " : "",
                          APR_ARRAY_IDX(vals, i, gql_input_value_t *)->name,
                          NULL);
    }
    return out;
}

/* ---- placeholders -------------------------------------------------- */

static int name_start(int ch)
{
    return apr_isalpha(ch) || ch == '_';
}

static int name_char(int ch)
{
    return apr_isalnum(ch) || ch == '_';
}

/* SQL identifiers may hold '$' and any non-ASCII byte after the first. */
static int ident_char(int ch)
{
    return name_char(ch) || ch == '$' || (ch & 0x80);
}

/* Checks $arg.f.g against the argument's input type; 0 after an error. */
static int check_arg(cc_t *c, const char *text, const char *const *parts,
                     int n)
{
    const gql_input_value_t *a = input(c->f->arguments, parts[0]);
    const gql_type_t *t;
    int i;

    if (a == NULL) {
        sqlfail(c, apr_psprintf(c->tp, "Unknown argument \"%s\" in @sql of "
                "\"%s\": %s.", parts[0], c->label,
                c->f->arguments && c->f->arguments->nelts
                ? apr_pstrcat(c->tp, "the field's arguments are ",
                              names(c->tp, c->f->arguments), NULL)
                : "the field has no arguments"));
        return 0;
    }
    for (i = 1; i < n; i++) {
        const gql_input_value_t *fv;

        t = a->type->kind == GQL_TYPE_NON_NULL ? a->type->of_type->named
                                               : a->type->named;
        if (t == NULL || t->kind != GQL_KIND_INPUT_OBJECT) {
            sqlfail(c, apr_psprintf(c->tp, "\"%s\" in @sql of \"%s\": "
                    "\"%s\" is not of an input object type, it has no "
                    "field \"%s\".", text, c->label, a->name, parts[i]));
            return 0;
        }
        fv = input(t->input_fields, parts[i]);
        if (fv == NULL) {
            sqlfail(c, apr_psprintf(c->tp, "Unknown field \"%s\" of input "
                    "type \"%s\" in \"%s\" in @sql of \"%s\": its fields "
                    "are %s.", parts[i], t->name, text, c->label,
                    names(c->tp, t->input_fields)));
            return 0;
        }
        a = fv;
    }
    return 1;
}

/* $event (the notification's payload) and $event.member (a member of
 * the payload read as a JSON object): in a Subscription field's @sql
 * only, where the payload is the root field's parent row. */
static int event(cc_t *c, const char *text, const char *const *parts, int n)
{
    if (input(c->f->arguments, parts[0]) != NULL) {
        sqlfail(c, apr_psprintf(c->tp, "\"%s\" in @sql of \"%s\" is "
                "ambiguous: the field has an argument named \"event\"; "
                "rename the argument.", text, c->label));
        return -1;
    }
    if (!c->subscription) {
        sqlfail(c, apr_psprintf(c->tp, "\"%s\" in @sql of \"%s\": only "
                "fields of the Subscription type have an event.", text,
                c->label));
        return -1;
    }
    if (n > 2) {
        sqlfail(c, apr_psprintf(c->tp, "\"%s\" in @sql of \"%s\": write "
                "$event or $event.member.", text, c->label));
        return -1;
    }
    return GQL_PARAM_EVENT;
}

/* What a placeholder is: its kind, or -1 after an error. */
static int classify(cc_t *c, const char *text, const char *const *parts,
                    int n)
{
    int special = strcmp(parts[0], "parent") == 0 ? GQL_PARAM_PARENT
                  : strcmp(parts[0], "viewer") == 0 ? GQL_PARAM_VIEWER
                  : strcmp(parts[0], "event") == 0 ? GQL_PARAM_EVENT : -1;

    if (special == GQL_PARAM_EVENT) {
        return event(c, text, parts, n);
    }
    if (special < 0) {
        return check_arg(c, text, parts, n) ? GQL_PARAM_ARG : -1;
    }
    if (input(c->f->arguments, parts[0]) != NULL) {
        sqlfail(c, apr_psprintf(c->tp, "\"%s\" in @sql of \"%s\" is "
                "ambiguous: the field has an argument named \"%s\"; rename "
                "the argument.", text, c->label, parts[0]));
        return -1;
    }
    if (n < 2 || (n > 2 && special == GQL_PARAM_PARENT)) {
        sqlfail(c, apr_psprintf(c->tp, "\"%s\" in @sql of \"%s\": write "
                "$%s.%s.", text, c->label, parts[0],
                special == GQL_PARAM_PARENT ? "column" : "claim"));
        return -1;
    }
    if (special == GQL_PARAM_PARENT && c->root) {
        sqlfail(c, apr_psprintf(c->tp, "\"%s\" in @sql of \"%s\": a root "
                "field has no parent row.", text, c->label));
        return -1;
    }
    if (special == GQL_PARAM_VIEWER && !(n == 2
                                         && gql_jwt_claim_known(parts[1]))
        && apr_hash_get(c->claims, text + strlen("$viewer."),
                        APR_HASH_KEY_STRING) == NULL) {
        sqlfail(c, apr_psprintf(c->tp, "Unknown claim \"%s\" in @sql of "
                "\"%s\": the claims are sub, iss, aud, exp, nbf, iat, jti%s"
                ".", text + strlen("$viewer."), c->label, *c->declared
                ? apr_pstrcat(c->tp, " and those schema @claims declares: ",
                              c->declared, NULL)
                : " (declare others with schema @claims(names: [...]))"));
        return -1;
    }
    return special;
}

static void add_seg(cc_t *c, const char *text, apr_size_t len, int param)
{
    gql_sql_seg_t *g;

    if (param < 0 && len == 0) {
        return;
    }
    g = apr_array_push(c->m->segs);
    g->text = text;
    g->len = len;
    g->param = param;
}

/* The parameter of a placeholder, numbered once however often used. */
static void placeholder(cc_t *c, const char *at, apr_size_t len)
{
    const char *text = apr_pstrmemdup(c->p, at, len);
    const char *parts[MAX_PARTS];
    char *dup = apr_pstrdup(c->p, text + 1), *last, *w;
    gql_sql_param_t *pm;
    int n = 0, i, kind;

    for (i = 0; i < c->m->params->nelts; i++) {
        if (strcmp(APR_ARRAY_IDX(c->m->params, i, gql_sql_param_t).text,
                   text) == 0) {
            add_seg(c, NULL, 0, i);
            return;
        }
    }
    for (w = apr_strtok(dup, ".", &last); w && n < MAX_PARTS;
         w = apr_strtok(NULL, ".", &last)) {
        parts[n++] = w;
    }
    if (w != NULL) {
        sqlfail(c, apr_psprintf(c->tp, "\"%s\" in @sql of \"%s\" is nested "
                "too deeply.", text, c->label));
        return;
    }
    kind = classify(c, text, parts, n);
    if (kind < 0) {
        return;
    }
    if (kind == GQL_PARAM_EVENT) {
        /* The event is the root field's parent row: the payload is its
         * member "" (gql_sql_event_row). */
        kind = GQL_PARAM_PARENT;
        if (n == 1) {
            parts[n++] = "";
        }
    }
    pm = apr_array_push(c->m->params);
    pm->kind = kind;
    pm->text = text;
    pm->npath = kind == GQL_PARAM_ARG ? n : n - 1;
    pm->path = apr_pmemdup(c->p, kind == GQL_PARAM_ARG ? parts : parts + 1,
                           sizeof(parts[0]) * pm->npath);
    c->m->nparent += kind == GQL_PARAM_PARENT;
    c->m->uses_viewer |= kind == GQL_PARAM_VIEWER;
    add_seg(c, NULL, 0, c->m->params->nelts - 1);
}

/* Where the quoted text opened at s[i] (quote q) ends, past the closing
 * quote; 0 when it does not.  '' and "" are the quote itself; in E'...'
 * a backslash escapes the next byte. */
static apr_size_t quoted(const char *s, apr_size_t len, apr_size_t i,
                         char q, int esc)
{
    for (i++; i < len; i++) {
        if (esc && s[i] == '\\') {
            i++;
        }
        else if (s[i] == q) {
            if (i + 1 < len && s[i + 1] == q) {
                i++;
            }
            else {
                return i + 1;
            }
        }
    }
    return 0;
}

/* Past a comment opened at s[i] ("--" or a nesting slash-star); 0 when a
 * block comment does not end. */
static apr_size_t comment(const char *s, apr_size_t len, apr_size_t i)
{
    int depth = 0;

    if (s[i] == '-') {
        while (i < len && s[i] != '\n') {
            i++;
        }
        return i;
    }
    for (; i + 1 < len; i++) {
        if (s[i] == '/' && s[i + 1] == '*') {
            depth++;
            i++;
        }
        else if (s[i] == '*' && s[i + 1] == '/') {
            i++;
            if (--depth == 0) {
                return i + 1;
            }
        }
    }
    return 0;
}

/* Past the dollar-quoted string whose tag s[i, i + taglen) opens it; 0
 * when it does not end. */
static apr_size_t dollar(const char *s, apr_size_t len, apr_size_t i,
                         apr_size_t taglen)
{
    apr_size_t j;

    for (j = i + taglen; j + taglen <= len; j++) {
        if (memcmp(s + j, s + i, taglen) == 0) {
            return j + taglen;
        }
    }
    return 0;
}

static void keyword(cc_t *c, const char *w, apr_size_t n)
{
    static const char *const changing[] = {
        "INSERT", "UPDATE", "DELETE", "MERGE", "TRUNCATE"
    };
    apr_size_t k;

    for (k = 0; k < sizeof(changing) / sizeof(changing[0]); k++) {
        if (strlen(changing[k]) == n && strncasecmp(w, changing[k], n) == 0
            && c->changes == NULL) {
            c->changes = changing[k];
        }
    }
}

/* At a '$' outside quotes and comments: a dollar quote, a placeholder or
 * a positional parameter.  Returns where scanning goes on, 0 on error. */
static apr_size_t at_dollar(cc_t *c, const char *s, apr_size_t len,
                            apr_size_t i)
{
    apr_size_t j = i + 1, end;

    while (j < len && name_char(s[j]) && !(j == i + 1 && apr_isdigit(s[j])))
    {
        j++;
    }
    if (j < len && s[j] == '$') {
        end = dollar(s, len, i, j + 1 - i);
        if (end == 0) {
            sqlfail(c, apr_psprintf(c->tp, "Unterminated dollar-quoted "
                    "string in @sql of \"%s\".", c->label));
        }
        return end;
    }
    if (j == i + 1) {
        if (j < len && apr_isdigit(s[j])) {
            sqlfail(c, apr_psprintf(c->tp, "Positional parameter \"$%c\" in "
                    "@sql of \"%s\": use $name (an argument, $parent.column "
                    "or $viewer.claim).", s[j], c->label));
            return 0;
        }
        return j;                       /* a lone '$' is SQL's business */
    }
    while (j + 1 < len && s[j] == '.' && name_start(s[j + 1])) {
        for (j++; j < len && name_char(s[j]); j++) {
        }
    }
    placeholder(c, s + i, j - i);
    return j;
}

/* Splits the SQL into text and placeholders; 0 after an error. */
static int scan(cc_t *c, const char *s, apr_size_t len)
{
    apr_size_t i = 0, from = 0, next;
    int nerr = c->nerr;

    while (i < len) {
        const char ch = s[i];
        const int after_ident = i > 0 && ident_char(s[i - 1]);

        if (ch == '\'' || ch == '"') {
            int esc = ch == '\'' && i > 0
                      && (s[i - 1] == 'E' || s[i - 1] == 'e')
                      && !(i > 1 && ident_char(s[i - 2]));

            next = quoted(s, len, i, ch, esc);
            if (next == 0) {
                sqlfail(c, apr_psprintf(c->tp, "Unterminated %s in @sql of "
                        "\"%s\".", ch == '"' ? "quoted identifier"
                        : "string literal", c->label));
                return 0;
            }
            i = next;
        }
        else if ((ch == '-' && i + 1 < len && s[i + 1] == '-')
                 || (ch == '/' && i + 1 < len && s[i + 1] == '*')) {
            next = comment(s, len, i);
            if (next == 0) {
                sqlfail(c, apr_psprintf(c->tp, "Unterminated comment in @sql "
                        "of \"%s\".", c->label));
                return 0;
            }
            i = next;
        }
        else if (ch == '$' && !after_ident) {
            int before;

            add_seg(c, s + from, i - from, -1);
            before = c->m->segs->nelts;
            next = at_dollar(c, s, len, i);
            if (next == 0) {
                return 0;
            }
            if (c->m->segs->nelts == before) {
                /* not a placeholder: the text stays */
                add_seg(c, s + i, next - i, -1);
            }
            i = from = next;
        }
        else if (name_start(ch) && !after_ident) {
            for (next = i; next < len && ident_char(s[next]); next++) {
            }
            keyword(c, s + i, next - i);
            i = next;
        }
        else {
            i++;
        }
    }
    add_seg(c, s + from, len - from, -1);
    return c->nerr == nerr;
}

/* ---- statement texts ----------------------------------------------- */

/* FNV-1a, 64 bits: a statement's name follows from its text, so two
 * schemas sharing a connection never mean different things by one name. */
const char *gql_sql_stmt_name(apr_pool_t *p, const char *prefix,
                              const char *text)
{
    apr_uint64_t h = APR_UINT64_C(14695981039346656037);
    char hex[17];

    for (; *text; text++) {
        h = (h ^ (unsigned char)*text) * APR_UINT64_C(1099511628211);
    }
    hex[16] = '\0';
    return apr_pstrcat(p, "gql_", prefix, gql_sql_hex(hex + 16, h, 16),
                       NULL);
}

char *gql_sql_hex(char *end, apr_uint64_t v, int digits)
{
    do {
        *--end = "0123456789abcdef"[v & 0xf];
        v >>= 4;
    } while (--digits > 0 || v);
    return end;
}

/* The SQL without trailing blanks and semicolons (it is wrapped). */
static apr_size_t trimmed(const char *s, apr_size_t len)
{
    while (len > 0 && (apr_isspace(s[len - 1]) || s[len - 1] == ';')) {
        len--;
    }
    return len;
}

/* The batch form depends on which parameters are $parent columns (they
 * become unnested arrays) as much as on the single form's text: both go
 * into its name, so "$parent.id + $k" and "$k + $parent.id", whose single
 * forms are alike, never share a batch statement. */
static const char *batch_key(cc_t *c, const char *single)
{
    const apr_array_header_t *ps = c->m->params;
    char *kinds = apr_palloc(c->tp, (apr_size_t)ps->nelts + 1);
    int i;

    for (i = 0; i < ps->nelts; i++) {
        kinds[i] = APR_ARRAY_IDX(ps, i, gql_sql_param_t).kind
                   == GQL_PARAM_PARENT ? 'p' : 'v';
    }
    kinds[ps->nelts] = '\0';
    return apr_pstrcat(c->tp, kinds, "\n", single, NULL);
}

static void texts(cc_t *c)
{
    gql_sql_map_t *m = c->m;
    const char *single = "";
    int i;

    for (i = 0; i < m->segs->nelts; i++) {
        const gql_sql_seg_t *g = &APR_ARRAY_IDX(m->segs, i, gql_sql_seg_t);

        single = g->param < 0
            ? apr_pstrcat(c->p, single, apr_pstrmemdup(c->p, g->text,
                                                       g->len), NULL)
            : apr_psprintf(c->p, "%s$%d", single, g->param + 1);
    }
    m->single = single;
    m->once = apr_psprintf(c->p, "WITH c AS (%s) SELECT coalesce(json_agg(c),"
                           " '[]')::text FROM c", single);
    m->once_name = gql_sql_stmt_name(c->p, "o", m->once);
    m->single_name = gql_sql_stmt_name(c->p, "s", single);
    m->batch_name = gql_sql_stmt_name(c->p, "b", batch_key(c, single));
}

/* ---- the claims a schema declares ---------------------------------- */

/* A claim $viewer.NAME can spell: names joined by dots, each as a
 * placeholder's part is written. */
static int good_claim(const char *name)
{
    int parts = 1, start = 1;

    for (; *name; name++) {
        if (*name == '.' && !start && ++parts < MAX_PARTS) {
            start = 1;
        }
        else if (start ? name_start(*name) : name_char(*name)) {
            start = 0;
        }
        else {
            return 0;
        }
    }
    return !start;
}

static void declare(cc_t *c, const char *source, const gql_value_t *v)
{
    if (v->kind != GQL_VALUE_STRING) {
        return;                         /* the schema check said so */
    }
    if (!good_claim(v->text)) {
        fail(c, source, &v->loc, apr_psprintf(c->tp, "Bad claim name \"%s\""
             " in @claims: write names of letters, digits and _, joined by "
             "dots for a nested claim (app.tenant), at most %d deep.",
             v->text, MAX_PARTS - 1));
        return;
    }
    if (apr_hash_get(c->claims, v->text, APR_HASH_KEY_STRING) == NULL) {
        apr_hash_set(c->claims, v->text, APR_HASH_KEY_STRING, "");
        c->declared = apr_pstrcat(c->p, c->declared, *c->declared ? ", "
                                  : "", v->text, NULL);
    }
}

/* schema @claims(names: [...]): the claims beyond the registered seven
 * that $viewer may name, so that a misspelt one is still an error. */
static void declare_claims(cc_t *c)
{
    int i, j;

    c->claims = apr_hash_make(c->p);
    c->declared = "";
    for (i = 0; c->s->applied && i < c->s->applied->nelts; i++) {
        const gql_schema_applied_t *a = &APR_ARRAY_IDX(c->s->applied, i,
                                                       gql_schema_applied_t);
        const gql_value_t *v = darg(a->directive, "names");

        if (strcmp(a->directive->name.value, "claims") != 0 || v == NULL) {
            continue;
        }
        if (v->kind != GQL_VALUE_LIST) {
            declare(c, a->source, v);   /* one name for a list of one */
        }
        for (j = 0; v->items && j < v->items->nelts; j++) {
            declare(c, a->source, APR_ARRAY_IDX(v->items, j, gql_value_t *));
        }
    }
}

/* ---- the directives of a field ------------------------------------- */

static void compile_sql(cc_t *c, const gql_directive_t *d)
{
    const gql_value_t *q = darg(d, "query");
    const gql_value_t *ov = darg(d, "optionalViewer");
    apr_size_t len;

    c->loc = q ? &q->loc : &d->loc;
    c->m->source = c->f->source;
    c->m->loc = *c->loc;
    c->m->segs = apr_array_make(c->p, 8, sizeof(gql_sql_seg_t));
    c->m->params = apr_array_make(c->p, 4, sizeof(gql_sql_param_t));
    c->m->optional_viewer = ov && ov->kind == GQL_VALUE_BOOLEAN
                            && ov->boolean;
    if (q == NULL || q->kind != GQL_VALUE_STRING) {
        return;                         /* the schema check said so */
    }
    len = trimmed(q->text, q->len);
    if (!scan(c, q->text, len)) {
        return;
    }
    if (c->changes && !(c->root && c->mutation)) {
        sqlfail(c, apr_psprintf(c->tp, "@sql of \"%s\" changes data (%s): "
                "only fields of the Mutation type may.", c->label,
                c->changes));
    }
    texts(c);
}

/* A SQLSTATE (5 digits or capitals), a constraint name or "empty". */
static int good_when(const char *w)
{
    apr_size_t i, n = strlen(w);
    int state = n == 5, ident = n > 0 && n < 64 && name_start(w[0]);

    for (i = 0; i < n; i++) {
        state = state && (apr_isdigit(w[i]) || apr_isupper(w[i]));
        ident = ident && ident_char(w[i]);
    }
    return state || ident;
}

static void add_catch(cc_t *c, const gql_directive_t *d)
{
    gql_sql_catch_t *k;
    const gql_value_t *w = darg(d, "when");
    const char *when = dstr(d, "when", "");

    if (!good_when(when)) {
        fail(c, c->f->source, w ? &w->loc : &d->loc, apr_psprintf(c->tp,
             "Bad \"when\" \"%s\" in @sqlError of \"%s\": write a SQLSTATE "
             "(5 characters), a constraint name or \"empty\".", when,
             c->label));
        return;
    }
    if (c->m->catches == NULL) {
        c->m->catches = apr_array_make(c->p, 2, sizeof(gql_sql_catch_t));
    }
    k = apr_array_push(c->m->catches);
    k->when = when;
    k->message = dstr(d, "message", "");
    k->code = dstr(d, "code", "");
}

static gql_sql_map_t *new_map(cc_t *c, gql_map_kind_e kind,
                              const gql_directive_t *d, const char *prev)
{
    if (c->m != NULL) {
        fail(c, c->f->source, &d->loc, apr_psprintf(c->tp, "Field \"%s\" "
             "has both @%s and @%s: a field has at most one of @sql, "
             "@column and @jwt.", c->label, prev, d->name.value));
        return NULL;
    }
    c->m = apr_pcalloc(c->p, sizeof(*c->m));
    c->m->kind = kind;
    c->m->label = c->label;
    return c->m;
}

/* A channel PostgreSQL's LISTEN takes as it is written: an identifier
 * that case folding leaves alone and NAMEDATALEN does not cut. */
static int good_channel(const char *ch)
{
    apr_size_t i, n = strlen(ch);

    for (i = 0; i < n; i++) {
        if (!(apr_islower(ch[i]) || ch[i] == '_'
              || (i > 0 && apr_isdigit(ch[i])))) {
            return 0;
        }
    }
    return n > 0 && n < 64;
}

/* @listen: on a Subscription field with @sql, and such a field needs
 * it. */
static void check_listen(cc_t *c, const gql_field_t *f)
{
    const gql_directive_t *d = NULL;
    const gql_value_t *v;
    int i;

    for (i = 0; f->directives && i < f->directives->nelts; i++) {
        d = APR_ARRAY_IDX(f->directives, i, gql_directive_t *);
        if (strcmp(d->name.value, "listen") == 0) {
            break;
        }
        d = NULL;
    }
    if (d == NULL) {
        if (c->subscription && c->m && c->m->kind == GQL_MAP_SQL) {
            fail(c, f->source, &f->loc, apr_psprintf(c->tp, "Subscription "
                 "field \"%s\" has @sql but no @listen(channel: ...): say "
                 "which notifications it follows.", c->label));
        }
        return;
    }
    if (!c->subscription || c->m == NULL || c->m->kind != GQL_MAP_SQL) {
        fail(c, f->source, &d->loc, apr_psprintf(c->tp, "@listen on \"%s\":"
             " only a field of the Subscription type with @sql listens.",
             c->label));
        return;
    }
    v = darg(d, "channel");
    c->m->channel = dstr(d, "channel", "");
    if (!good_channel(c->m->channel)) {
        fail(c, f->source, v ? &v->loc : &d->loc, apr_psprintf(c->tp,
             "Bad channel \"%s\" in @listen of \"%s\": write 1 to 63 "
             "lower-case letters, digits and underscores, not starting with "
             "a digit.", c->m->channel, c->label));
    }
}

static void compile_field(cc_t *c, const gql_type_t *t,
                          const gql_field_t *f)
{
    const char *first = NULL;
    const gql_directive_t *sqlerr = NULL;
    const gql_type_t *ft = named(f->type);
    int i;

    c->f = f;
    c->m = NULL;
    c->changes = NULL;
    c->label = apr_pstrcat(c->p, t->name, ".", f->name, NULL);
    c->root = t == c->s->query || t == c->s->mutation
              || t == c->s->subscription;
    c->mutation = t == c->s->mutation;
    c->subscription = t == c->s->subscription;
    for (i = 0; f->directives && i < f->directives->nelts; i++) {
        const gql_directive_t *d = APR_ARRAY_IDX(f->directives, i,
                                                 gql_directive_t *);
        const char *n = d->name.value;

        if (strcmp(n, "sqlError") == 0) {
            sqlerr = sqlerr ? sqlerr : d;
        }
        else if (strcmp(n, "column") == 0) {
            if (new_map(c, GQL_MAP_COLUMN, d, first)) {
                c->m->column = dstr(d, "name", f->name);
            }
        }
        else if (strcmp(n, "jwt") == 0) {
            if (new_map(c, GQL_MAP_JWT, d, first)) {
                c->m->column = dstr(d, "subject", "id");
                if (ft->kind != GQL_KIND_SCALAR || !ft->builtin
                    || strcmp(ft->name, "String") != 0
                    || f->type->kind == GQL_TYPE_LIST
                    || (f->type->kind == GQL_TYPE_NON_NULL
                        && f->type->of_type->kind == GQL_TYPE_LIST)) {
                    fail(c, f->source, &d->loc, apr_psprintf(c->tp, "@jwt "
                         "on \"%s\": the field's type must be String, not "
                         "%s.", c->label, gql_print_type(c->tp, f->type)));
                }
            }
        }
        else if (strcmp(n, "sql") == 0) {
            if (new_map(c, GQL_MAP_SQL, d, first)) {
                compile_sql(c, d);
            }
        }
        else {
            continue;
        }
        first = first ? first : n;
    }
    if (sqlerr != NULL && (c->m == NULL || c->m->kind != GQL_MAP_SQL)) {
        fail(c, f->source, &sqlerr->loc, apr_psprintf(c->tp, "@sqlError on "
             "\"%s\" without @sql.", c->label));
    }
    else if (sqlerr != NULL) {
        for (i = 0; i < f->directives->nelts; i++) {
            const gql_directive_t *d = APR_ARRAY_IDX(f->directives, i,
                                                     gql_directive_t *);

            if (strcmp(d->name.value, "sqlError") == 0) {
                add_catch(c, d);
            }
        }
    }
    check_listen(c, f);
    if (c->m != NULL) {
        apr_hash_set(c->out->fields, apr_pmemdup(c->p, &f, sizeof(f)),
                     sizeof(f), c->m);
        c->out->sql_fields += c->m->kind == GQL_MAP_SQL;
    }
}

gql_sql_mapping_t *gql_sql_compile(apr_pool_t *p, apr_pool_t *ptemp,
                                   const gql_schema_t *s,
                                   apr_array_header_t *errors)
{
    cc_t c;
    int i, j;

    memset(&c, 0, sizeof(c));
    c.p = p;
    c.tp = ptemp;
    c.s = s;
    c.errors = errors;
    c.out = apr_pcalloc(p, sizeof(*c.out));
    c.out->fields = apr_hash_make(p);
    declare_claims(&c);
    for (i = 0; i < s->types->nelts; i++) {
        const gql_type_t *t = APR_ARRAY_IDX(s->types, i, const gql_type_t *);

        if (t->builtin || t->kind != GQL_KIND_OBJECT) {
            continue;
        }
        for (j = 0; j < t->fields->nelts; j++) {
            compile_field(&c, t, APR_ARRAY_IDX(t->fields, j,
                                               const gql_field_t *));
        }
    }
    return c.nerr ? NULL : c.out;
}

const gql_sql_map_t *gql_sql_mapping_find(const gql_sql_mapping_t *m,
                                          const gql_field_t *f)
{
    return apr_hash_get(m->fields, &f, sizeof(f));
}

int gql_sql_needs_database(const gql_sql_mapping_t *m)
{
    return m->sql_fields > 0;
}

int gql_sql_fields(const gql_sql_mapping_t *m)
{
    return m->sql_fields;
}

/* Statements by file, line and column. */
static int by_place(const void *a, const void *b)
{
    const gql_sql_stmt_t *x = a, *y = b;
    int d = strcmp(x->source ? x->source : "", y->source ? y->source : "");

    if (d != 0) {
        return d;
    }
    if (x->loc.line != y->loc.line) {
        return x->loc.line < y->loc.line ? -1 : 1;
    }
    return x->loc.column < y->loc.column ? -1
           : x->loc.column > y->loc.column;
}

apr_array_header_t *gql_sql_stmts_list(apr_pool_t *p,
                                       const gql_sql_mapping_t *m)
{
    apr_array_header_t *out = apr_array_make(p, 16, sizeof(gql_sql_stmt_t));
    apr_hash_index_t *hi;

    for (hi = apr_hash_first(p, m->fields); hi; hi = apr_hash_next(hi)) {
        const gql_sql_map_t *x = apr_hash_this_val(hi);
        gql_sql_stmt_t *st;

        if (x->kind != GQL_MAP_SQL || x->single == NULL) {
            continue;
        }
        st = apr_array_push(out);
        st->label = x->label;
        st->text = x->single;
        st->source = x->source;
        st->loc = x->loc;
    }
    qsort(out->elts, out->nelts, sizeof(gql_sql_stmt_t), by_place);
    return out;
}

int gql_sql_runs_statement(const void *m, const gql_field_t *f)
{
    const gql_sql_map_t *x = gql_sql_mapping_find(m, f);

    return x != NULL && x->kind == GQL_MAP_SQL;
}
