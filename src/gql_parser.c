/* Licensed under the Apache License, Version 2.0 (the "License"); you may
 * not use this file except in compliance with the License.  You may obtain
 * a copy of the License at http://www.apache.org/licenses/LICENSE-2.0
 */

/*
 * gql_parser.c: tokens -> AST, by recursive descent over the grammar of
 * the GraphQL specification (September 2025): executable definitions and
 * the type system, with graphql-js 16's messages for syntax errors.
 *
 * Errors are values: a parse function returns NULL (or -1) after setting
 * the one error.  A lexical error replaces the current token with the
 * <SOF> token, which no rule accepts, so the parse unwinds through the
 * ordinary "expected" paths and the first error stays the only one.
 *
 * The lexer runs one token ahead of the parser, as graphql-js's does, so
 * that lexical and syntax errors are found in the same order.  Tokens are
 * counted as graphql-js's maxTokens counts them: each one the parser
 * moves onto, <EOF> excepted.
 */

#include <string.h>
#include <apr_hash.h>
#include <apr_strings.h>
#include "gql_lexer.h"
#include "gql_parser.h"

typedef struct parser_t {
    apr_pool_t *pool;
    gql_lexer_t lx;
    gql_token_t tok;            /* the current token */
    gql_token_t ahead;          /* the one after, when have_ahead */
    int have_ahead;
    int depth;                  /* nesting, bounded by GQL_MAX_DEPTH */
    int max_tokens;             /* 0: no limit */
    int tokens;                 /* moved onto so far */
    apr_hash_t *names;          /* each distinct name, copied once */
    apr_array_header_t *none;   /* the empty list of every field and
                                 * spread without arguments or
                                 * directives: the tree is read-only */
} parser_t;

typedef void *(*item_fn)(parser_t *P);

/* ---- tokens ------------------------------------------------------------ */

static void poison(gql_token_t *tok)
{
    tok->kind = GQL_TOK_SOF;
    tok->value = NULL;
    tok->value_len = 0;
}

static void advance(parser_t *P)
{
    if (P->have_ahead) {
        P->tok = P->ahead;
        P->have_ahead = 0;
    }
    else if (P->lx.err != NULL || gql_lexer_next(&P->lx, &P->tok) < 0) {
        poison(&P->tok);
    }
    if (P->tok.kind != GQL_TOK_SOF && P->tok.kind != GQL_TOK_EOF
        && ++P->tokens > P->max_tokens && P->max_tokens > 0) {
        gql_lexer_error(&P->lx, P->tok.offset, "Document contains more "
                        "than %d tokens. Parsing aborted.", P->max_tokens);
        P->lx.err->code = GQL_TOKEN_LIMIT_CODE;
        poison(&P->tok);
    }
}

static const gql_token_t *lookahead(parser_t *P)
{
    if (!P->have_ahead) {
        P->have_ahead = 1;
        if (P->lx.err != NULL || gql_lexer_next(&P->lx, &P->ahead) < 0) {
            poison(&P->ahead);
        }
    }
    return &P->ahead;
}

static int peek(const parser_t *P, gql_token_kind_e kind)
{
    return P->tok.kind == kind;
}

/* Whether the token's value is s, whatever its kind (graphql-js tests
 * token.value so, for reserved words, a string "on" counts too). */
static int value_is(const gql_token_t *tok, const char *s)
{
    return tok->value != NULL && tok->value_len == strlen(s)
           && memcmp(tok->value, s, tok->value_len) == 0;
}

static int is_kw(const gql_token_t *tok, const char *kw)
{
    return tok->kind == GQL_TOK_NAME && value_is(tok, kw);
}

/* Report at `at` unless an error is already set: the first one wins. */
static void *fail(parser_t *P, const gql_token_t *at, const char *fmt,
                  const char *arg)
{
    if (P->lx.err == NULL) {
        gql_lexer_error(&P->lx, at->offset, fmt, arg);
    }
    return NULL;
}

static void *unexpected(parser_t *P, const gql_token_t *tok)
{
    return fail(P, tok, "Unexpected %s.",
                gql_token_describe(P->pool, &P->lx, tok));
}

static const char *found(parser_t *P)
{
    return gql_token_describe(P->pool, &P->lx, &P->tok);
}

/* Punctuators are quoted in messages, <EOF> and Name are not. */
static const char *kind_desc(parser_t *P, gql_token_kind_e kind)
{
    const char *name = gql_token_kind_names[kind];

    return kind <= GQL_TOK_EOF || kind >= GQL_TOK_NAME
           ? name : apr_pstrcat(P->pool, "\"", name, "\"", NULL);
}

static int expect(parser_t *P, gql_token_kind_e kind)
{
    if (peek(P, kind)) {
        advance(P);
        return 0;
    }
    fail(P, &P->tok, "Expected %s.",
         apr_pstrcat(P->pool, kind_desc(P, kind), ", found ", found(P),
                     NULL));
    return -1;
}

static int expect_kw(parser_t *P, const char *kw)
{
    if (is_kw(&P->tok, kw)) {
        advance(P);
        return 0;
    }
    fail(P, &P->tok, "Expected \"%s.",
         apr_pstrcat(P->pool, kw, "\", found ", found(P), NULL));
    return -1;
}

static int skip(parser_t *P, gql_token_kind_e kind)
{
    if (peek(P, kind)) {
        advance(P);
        return 1;
    }
    return 0;
}

static int skip_kw(parser_t *P, const char *kw)
{
    if (is_kw(&P->tok, kw)) {
        advance(P);
        return 1;
    }
    return 0;
}

/* Every nesting construct passes here: the recursion stays bounded
 * whatever the input (lua/lua lparser.c enterlevel). */
static int enter(parser_t *P)
{
    if (++P->depth > GQL_MAX_DEPTH) {
        fail(P, &P->tok, "Document is nested too deeply (more than %s "
             "levels).", apr_itoa(P->pool, GQL_MAX_DEPTH));
        return -1;
    }
    return 0;
}

static apr_array_header_t *list(parser_t *P)
{
    return apr_array_make(P->pool, 0, sizeof(void *));
}

/* ---- lists of things --------------------------------------------------- */

static int push(apr_array_header_t *arr, void *item)
{
    if (item == NULL) {
        return -1;
    }
    APR_ARRAY_PUSH(arr, void *) = item;
    return 0;
}

/* open item+ close */
static int many(parser_t *P, gql_token_kind_e open, item_fn fn,
                gql_token_kind_e close, apr_array_header_t *arr)
{
    if (expect(P, open) < 0) {
        return -1;
    }
    do {
        if (push(arr, fn(P)) < 0) {
            return -1;
        }
    } while (!skip(P, close));
    return 0;
}

/* (open item+ close)? */
static int optional_many(parser_t *P, gql_token_kind_e open, item_fn fn,
                         gql_token_kind_e close, apr_array_header_t *arr)
{
    return peek(P, open) ? many(P, open, fn, close, arr) : 0;
}

/* delim? item (delim item)* */
static int delimited_many(parser_t *P, gql_token_kind_e delim, item_fn fn,
                          apr_array_header_t *arr)
{
    skip(P, delim);
    do {
        if (push(arr, fn(P)) < 0) {
            return -1;
        }
    } while (skip(P, delim));
    return 0;
}

/* ---- names, values, types ---------------------------------------------- */

/* Name -> /[_A-Za-z][_0-9A-Za-z]* /
 * A document names the same few fields again and again: one copy each. */
static int name(parser_t *P, gql_name_t *n)
{
    if (!peek(P, GQL_TOK_NAME)) {
        return expect(P, GQL_TOK_NAME);
    }
    n->value = apr_hash_get(P->names, P->tok.value,
                            (apr_ssize_t)P->tok.value_len);
    if (n->value == NULL) {
        n->value = apr_pstrmemdup(P->pool, P->tok.value, P->tok.value_len);
        apr_hash_set(P->names, n->value, (apr_ssize_t)P->tok.value_len,
                     n->value);
    }
    n->loc = P->tok.loc;
    advance(P);
    return 0;
}

static void *named_type(parser_t *P)
{
    gql_name_t *n = apr_pcalloc(P->pool, sizeof(*n));

    return name(P, n) < 0 ? NULL : n;
}

/* StringValue, as a description */
static gql_string_t *description(parser_t *P)
{
    gql_string_t *s;

    if (!peek(P, GQL_TOK_STRING) && !peek(P, GQL_TOK_BLOCK_STRING)) {
        return NULL;
    }
    s = apr_pcalloc(P->pool, sizeof(*s));
    s->value = P->tok.value;
    s->len = P->tok.value_len;
    s->block = peek(P, GQL_TOK_BLOCK_STRING);
    s->loc = P->tok.loc;
    advance(P);
    return s;
}

static gql_value_t *value(parser_t *P, int is_const);

/* ObjectField[Const] -> Name : Value[?Const] */
static gql_object_field_t *object_field(parser_t *P, int is_const)
{
    gql_object_field_t *f = apr_pcalloc(P->pool, sizeof(*f));

    f->loc = P->tok.loc;
    if (name(P, &f->name) < 0 || expect(P, GQL_TOK_COLON) < 0
        || (f->value = value(P, is_const)) == NULL) {
        return NULL;
    }
    return f;
}

/* ListValue[Const] -> [ ] | [ Value[?Const]+ ]
 * ObjectValue[Const] -> { } | { ObjectField[?Const]+ } */
static gql_value_t *compound(parser_t *P, gql_value_t *v, int is_const)
{
    int is_list = peek(P, GQL_TOK_BRACKET_L);
    gql_token_kind_e close = is_list ? GQL_TOK_BRACKET_R : GQL_TOK_BRACE_R;
    apr_array_header_t *arr = list(P);

    if (enter(P) < 0) {
        return NULL;
    }
    v->kind = is_list ? GQL_VALUE_LIST : GQL_VALUE_OBJECT;
    *(is_list ? &v->items : &v->fields) = arr;
    advance(P);
    while (!skip(P, close)) {
        if (push(arr, is_list ? (void *)value(P, is_const)
                              : (void *)object_field(P, is_const)) < 0) {
            return NULL;
        }
    }
    P->depth--;
    return v;
}

/* Variable -> $ Name */
static gql_value_t *variable(parser_t *P, gql_value_t *v, int is_const)
{
    gql_token_t dollar = P->tok;
    gql_name_t n;

    advance(P);
    if (is_const) {
        if (peek(P, GQL_TOK_NAME)) {
            apr_size_t k = gql_error_cut(P->tok.value, P->tok.value_len,
                                         GQL_ERROR_QUOTE);

            return fail(P, &dollar, "Unexpected variable \"$%s\" in "
                        "constant value.", apr_pstrcat(P->pool,
                        apr_pstrmemdup(P->pool, P->tok.value, k),
                        k < P->tok.value_len ? "..." : "", NULL));
        }
        return unexpected(P, &dollar);
    }
    if (name(P, &n) < 0) {
        return NULL;
    }
    v->kind = GQL_VALUE_VARIABLE;
    v->text = n.value;
    v->len = strlen(n.value);
    return v;
}

/* A value whose text is the token: numbers, strings, true, false, null,
 * enum values. */
static gql_value_t *scalar(parser_t *P, gql_value_t *v)
{
    switch (P->tok.kind) {
    case GQL_TOK_INT:
        v->kind = GQL_VALUE_INT;
        break;
    case GQL_TOK_FLOAT:
        v->kind = GQL_VALUE_FLOAT;
        break;
    case GQL_TOK_STRING:
    case GQL_TOK_BLOCK_STRING:
        v->kind = GQL_VALUE_STRING;
        v->block = peek(P, GQL_TOK_BLOCK_STRING);
        v->text = P->tok.value;     /* decoded once, already in the pool */
        v->len = P->tok.value_len;
        advance(P);
        return v;
    default:
        v->kind = is_kw(&P->tok, "null") ? GQL_VALUE_NULL
                  : is_kw(&P->tok, "true") || is_kw(&P->tok, "false")
                  ? GQL_VALUE_BOOLEAN : GQL_VALUE_ENUM;
        v->boolean = is_kw(&P->tok, "true");
        break;
    }
    v->text = apr_pstrmemdup(P->pool, P->tok.value, P->tok.value_len);
    v->len = P->tok.value_len;
    advance(P);
    return v;
}

/* Value[Const] -> [~Const] Variable | IntValue | FloatValue | StringValue
 *               | BooleanValue | NullValue | EnumValue
 *               | ListValue[?Const] | ObjectValue[?Const] */
static gql_value_t *value(parser_t *P, int is_const)
{
    gql_value_t *v;

    switch (P->tok.kind) {
    case GQL_TOK_BRACKET_L:
    case GQL_TOK_BRACE_L:
    case GQL_TOK_DOLLAR:
    case GQL_TOK_INT:
    case GQL_TOK_FLOAT:
    case GQL_TOK_STRING:
    case GQL_TOK_BLOCK_STRING:
    case GQL_TOK_NAME:
        break;
    default:
        return unexpected(P, &P->tok);
    }
    v = apr_pcalloc(P->pool, sizeof(*v));
    v->loc = P->tok.loc;
    if (peek(P, GQL_TOK_BRACKET_L) || peek(P, GQL_TOK_BRACE_L)) {
        return compound(P, v, is_const);
    }
    if (peek(P, GQL_TOK_DOLLAR)) {
        return variable(P, v, is_const);
    }
    return scalar(P, v);
}

/* Type -> NamedType | ListType | NonNullType
 * ListType -> [ Type ]
 * NonNullType -> NamedType ! | ListType ! */
static gql_type_ref_t *type_ref(parser_t *P)
{
    gql_type_ref_t *t = apr_pcalloc(P->pool, sizeof(*t)), *nn;

    t->loc = P->tok.loc;
    if (peek(P, GQL_TOK_BRACKET_L)) {
        if (enter(P) < 0) {
            return NULL;
        }
        advance(P);
        t->kind = GQL_TYPE_LIST;
        if ((t->of_type = type_ref(P)) == NULL
            || expect(P, GQL_TOK_BRACKET_R) < 0) {
            return NULL;
        }
        P->depth--;
    }
    else if (name(P, &t->name) < 0) {
        return NULL;
    }
    if (!skip(P, GQL_TOK_BANG)) {
        return t;
    }
    nn = apr_pcalloc(P->pool, sizeof(*nn));
    nn->kind = GQL_TYPE_NON_NULL;
    nn->loc = t->loc;
    nn->of_type = t;
    return nn;
}

/* ---- arguments and directives ------------------------------------------ */

/* Argument[Const] -> Name : Value[?Const] */
static gql_argument_t *argument(parser_t *P, int is_const)
{
    gql_argument_t *a = apr_pcalloc(P->pool, sizeof(*a));

    a->loc = P->tok.loc;
    if (name(P, &a->name) < 0 || expect(P, GQL_TOK_COLON) < 0
        || (a->value = value(P, is_const)) == NULL) {
        return NULL;
    }
    return a;
}

static void *argument_var(parser_t *P)
{
    return argument(P, 0);
}

static void *argument_const(parser_t *P)
{
    return argument(P, 1);
}

/* Arguments[Const] -> ( Argument[?Const]+ ) */
static apr_array_header_t *arguments(parser_t *P, int is_const)
{
    apr_array_header_t *arr;

    if (!peek(P, GQL_TOK_PAREN_L)) {
        return P->none;
    }
    arr = list(P);
    if (optional_many(P, GQL_TOK_PAREN_L,
                      is_const ? argument_const : argument_var,
                      GQL_TOK_PAREN_R, arr) < 0) {
        return NULL;
    }
    return arr;
}

/* Directive[Const] -> @ Name Arguments[?Const]? */
static gql_directive_t *directive(parser_t *P, int is_const)
{
    gql_directive_t *d = apr_pcalloc(P->pool, sizeof(*d));

    d->loc = P->tok.loc;
    advance(P);
    if (name(P, &d->name) < 0
        || (d->arguments = arguments(P, is_const)) == NULL) {
        return NULL;
    }
    return d;
}

/* Directives[Const] -> Directive[?Const]+ */
static apr_array_header_t *directives(parser_t *P, int is_const)
{
    apr_array_header_t *arr;

    if (!peek(P, GQL_TOK_AT)) {
        return P->none;
    }
    arr = list(P);
    while (peek(P, GQL_TOK_AT)) {
        if (push(arr, directive(P, is_const)) < 0) {
            return NULL;
        }
    }
    return arr;
}

/* ---- executable definitions -------------------------------------------- */

static gql_selection_set_t *selection_set(parser_t *P);

/* Field -> Alias? Name Arguments? Directives? SelectionSet?
 * Alias -> Name : */
static gql_selection_t *field(parser_t *P, gql_selection_t *s)
{
    s->kind = GQL_SEL_FIELD;
    if (name(P, &s->name) < 0) {
        return NULL;
    }
    if (skip(P, GQL_TOK_COLON)) {
        s->alias = s->name;
        if (name(P, &s->name) < 0) {
            return NULL;
        }
    }
    if ((s->arguments = arguments(P, 0)) == NULL
        || (s->directives = directives(P, 0)) == NULL) {
        return NULL;
    }
    if (peek(P, GQL_TOK_BRACE_L)
        && (s->selection_set = selection_set(P)) == NULL) {
        return NULL;
    }
    return s;
}

/* FragmentName -> Name but not `on` */
static int fragment_name(parser_t *P, gql_name_t *n)
{
    if (value_is(&P->tok, "on")) {
        unexpected(P, &P->tok);
        return -1;
    }
    return name(P, n);
}

/* FragmentSpread -> ... FragmentName Directives?
 * InlineFragment -> ... TypeCondition? Directives? SelectionSet
 * TypeCondition -> on NamedType */
static gql_selection_t *fragment(parser_t *P, gql_selection_t *s)
{
    advance(P);
    s->arguments = P->none;
    if (skip_kw(P, "on")) {
        if (name(P, &s->type_condition) < 0) {
            return NULL;
        }
    }
    else if (peek(P, GQL_TOK_NAME)) {
        s->kind = GQL_SEL_FRAGMENT_SPREAD;
        if (fragment_name(P, &s->name) < 0
            || (s->directives = directives(P, 0)) == NULL) {
            return NULL;
        }
        return s;
    }
    s->kind = GQL_SEL_INLINE_FRAGMENT;
    if ((s->directives = directives(P, 0)) == NULL
        || (s->selection_set = selection_set(P)) == NULL) {
        return NULL;
    }
    return s;
}

/* Selection -> Field | FragmentSpread | InlineFragment */
static void *selection(parser_t *P)
{
    gql_selection_t *s = apr_pcalloc(P->pool, sizeof(*s));

    s->loc = P->tok.loc;
    return peek(P, GQL_TOK_SPREAD) ? fragment(P, s) : field(P, s);
}

/* SelectionSet -> { Selection+ } */
static gql_selection_set_t *selection_set(parser_t *P)
{
    gql_selection_set_t *ss = apr_pcalloc(P->pool, sizeof(*ss));

    ss->loc = P->tok.loc;
    ss->selections = list(P);
    if (peek(P, GQL_TOK_BRACE_L) && enter(P) < 0) {
        return NULL;
    }
    if (many(P, GQL_TOK_BRACE_L, selection, GQL_TOK_BRACE_R,
             ss->selections) < 0) {
        return NULL;
    }
    P->depth--;
    return ss;
}

/* OperationType -> one of query mutation subscription */
static int operation_type(parser_t *P, gql_operation_e *op)
{
    gql_token_t tok = P->tok;

    if (expect(P, GQL_TOK_NAME) < 0) {
        return -1;
    }
    if (is_kw(&tok, "query")) {
        *op = GQL_OP_QUERY;
    }
    else if (is_kw(&tok, "mutation")) {
        *op = GQL_OP_MUTATION;
    }
    else if (is_kw(&tok, "subscription")) {
        *op = GQL_OP_SUBSCRIPTION;
    }
    else {
        unexpected(P, &tok);
        return -1;
    }
    return 0;
}

/* VariableDefinition -> Description? Variable : Type DefaultValue?
 *                       Directives[Const]?
 * DefaultValue -> = Value[Const] */
static void *variable_def(parser_t *P)
{
    gql_variable_def_t *v = apr_pcalloc(P->pool, sizeof(*v));

    v->loc = P->tok.loc;
    v->description = description(P);
    if (expect(P, GQL_TOK_DOLLAR) < 0 || name(P, &v->name) < 0
        || expect(P, GQL_TOK_COLON) < 0
        || (v->type = type_ref(P)) == NULL) {
        return NULL;
    }
    if (skip(P, GQL_TOK_EQUALS)
        && (v->default_value = value(P, 1)) == NULL) {
        return NULL;
    }
    return (v->directives = directives(P, 1)) == NULL ? NULL : v;
}

static gql_definition_t *new_def(parser_t *P, gql_definition_kind_e kind)
{
    gql_definition_t *d = apr_pcalloc(P->pool, sizeof(*d));

    d->kind = kind;
    d->loc = P->tok.loc;
    d->variables = list(P);
    d->directives = list(P);
    d->operation_types = list(P);
    d->interfaces = list(P);
    d->fields = list(P);
    d->members = list(P);
    d->values = list(P);
    d->input_fields = list(P);
    d->arguments = list(P);
    d->locations = list(P);
    return d;
}

/* OperationDefinition -> Description? OperationType Name?
 *                          VariableDefinitions? Directives? SelectionSet
 *                      | SelectionSet
 * VariableDefinitions -> ( VariableDefinition+ ) */
static gql_definition_t *operation(parser_t *P)
{
    gql_definition_t *d = new_def(P, GQL_DEF_OPERATION);

    if (!peek(P, GQL_TOK_BRACE_L)) {
        d->description = description(P);
        if (operation_type(P, &d->operation) < 0
            || (peek(P, GQL_TOK_NAME) && name(P, &d->name) < 0)
            || optional_many(P, GQL_TOK_PAREN_L, variable_def,
                             GQL_TOK_PAREN_R, d->variables) < 0
            || (d->directives = directives(P, 0)) == NULL) {
            return NULL;
        }
    }
    return (d->selection_set = selection_set(P)) == NULL ? NULL : d;
}

/* FragmentDefinition -> Description? fragment FragmentName TypeCondition
 *                       Directives? SelectionSet */
static gql_definition_t *fragment_def(parser_t *P)
{
    gql_definition_t *d = new_def(P, GQL_DEF_FRAGMENT);

    d->description = description(P);
    if (expect_kw(P, "fragment") < 0 || fragment_name(P, &d->name) < 0
        || expect_kw(P, "on") < 0 || name(P, &d->type_condition) < 0
        || (d->directives = directives(P, 0)) == NULL
        || (d->selection_set = selection_set(P)) == NULL) {
        return NULL;
    }
    return d;
}

/* ---- type system ------------------------------------------------------- */

/* InputValueDefinition -> Description? Name : Type DefaultValue?
 *                         Directives[Const]? */
static void *input_value_def(parser_t *P)
{
    gql_input_value_def_t *iv = apr_pcalloc(P->pool, sizeof(*iv));

    iv->loc = P->tok.loc;
    iv->description = description(P);
    if (name(P, &iv->name) < 0 || expect(P, GQL_TOK_COLON) < 0
        || (iv->type = type_ref(P)) == NULL) {
        return NULL;
    }
    if (skip(P, GQL_TOK_EQUALS)
        && (iv->default_value = value(P, 1)) == NULL) {
        return NULL;
    }
    return (iv->directives = directives(P, 1)) == NULL ? NULL : iv;
}

/* ArgumentsDefinition -> ( InputValueDefinition+ ) */
static int arguments_def(parser_t *P, apr_array_header_t *arr)
{
    return optional_many(P, GQL_TOK_PAREN_L, input_value_def,
                         GQL_TOK_PAREN_R, arr);
}

/* FieldDefinition -> Description? Name ArgumentsDefinition? : Type
 *                    Directives[Const]? */
static void *field_def(parser_t *P)
{
    gql_field_def_t *f = apr_pcalloc(P->pool, sizeof(*f));

    f->loc = P->tok.loc;
    f->description = description(P);
    f->arguments = list(P);
    if (name(P, &f->name) < 0 || arguments_def(P, f->arguments) < 0
        || expect(P, GQL_TOK_COLON) < 0
        || (f->type = type_ref(P)) == NULL) {
        return NULL;
    }
    return (f->directives = directives(P, 1)) == NULL ? NULL : f;
}

/* EnumValueDefinition -> Description? EnumValue Directives[Const]?
 * EnumValue -> Name but not true, false or null */
static void *enum_value_def(parser_t *P)
{
    gql_enum_value_def_t *e = apr_pcalloc(P->pool, sizeof(*e));

    e->loc = P->tok.loc;
    e->description = description(P);
    if (value_is(&P->tok, "true") || value_is(&P->tok, "false")
        || value_is(&P->tok, "null")) {
        return fail(P, &P->tok, "%s is reserved and cannot be used for an "
                    "enum value.", found(P));
    }
    if (name(P, &e->name) < 0) {
        return NULL;
    }
    return (e->directives = directives(P, 1)) == NULL ? NULL : e;
}

/* RootOperationTypeDefinition -> OperationType : NamedType */
static void *operation_type_def(parser_t *P)
{
    gql_operation_type_def_t *o = apr_pcalloc(P->pool, sizeof(*o));

    o->loc = P->tok.loc;
    if (operation_type(P, &o->operation) < 0
        || expect(P, GQL_TOK_COLON) < 0 || name(P, &o->type) < 0) {
        return NULL;
    }
    return o;
}

/* DirectiveLocation -> one of the ExecutableDirectiveLocation and
 * TypeSystemDirectiveLocation names (September 2025 specification, as
 * graphql-js 16.13.2: no DIRECTIVE_DEFINITION, which 16.14 added) */
static void *directive_location(parser_t *P)
{
    static const char *const known[] = {
        "QUERY", "MUTATION", "SUBSCRIPTION", "FIELD", "FRAGMENT_DEFINITION",
        "FRAGMENT_SPREAD", "INLINE_FRAGMENT", "VARIABLE_DEFINITION",
        "SCHEMA", "SCALAR", "OBJECT", "FIELD_DEFINITION",
        "ARGUMENT_DEFINITION", "INTERFACE", "UNION", "ENUM", "ENUM_VALUE",
        "INPUT_OBJECT", "INPUT_FIELD_DEFINITION", NULL
    };
    gql_token_t tok = P->tok;
    gql_name_t *n = named_type(P);
    int i;

    for (i = 0; n != NULL && known[i] != NULL; i++) {
        if (strcmp(n->value, known[i]) == 0) {
            return n;
        }
    }
    return n == NULL ? NULL : unexpected(P, &tok);
}

/* The part of a type-system definition after its name, shared by the
 * definition and the extension of each kind:
 *   SchemaDefinition   -> ... Directives[Const]? { RootOperationTypeDef+ }
 *   ScalarTypeDef      -> ... Directives[Const]?
 *   ObjectTypeDef      -> ... ImplementsInterfaces? Directives[Const]?
 *                             FieldsDefinition?          (and interfaces)
 *   UnionTypeDef       -> ... Directives[Const]? UnionMemberTypes?
 *   EnumTypeDef        -> ... Directives[Const]? EnumValuesDefinition?
 *   InputObjectTypeDef -> ... Directives[Const]? InputFieldsDefinition?
 * ImplementsInterfaces -> implements &? NamedType (& NamedType)*
 * UnionMemberTypes -> = |? NamedType (| NamedType)* */
static int type_body(parser_t *P, gql_definition_t *d)
{
    int is_object = d->kind == GQL_DEF_OBJECT || d->kind == GQL_DEF_INTERFACE;

    if (is_object && skip_kw(P, "implements")
        && delimited_many(P, GQL_TOK_AMP, named_type, d->interfaces) < 0) {
        return -1;
    }
    if ((d->directives = directives(P, 1)) == NULL) {
        return -1;
    }
    switch (d->kind) {
    case GQL_DEF_SCHEMA:
        return (d->is_extension ? optional_many : many)(P, GQL_TOK_BRACE_L,
                operation_type_def, GQL_TOK_BRACE_R, d->operation_types);
    case GQL_DEF_OBJECT:
    case GQL_DEF_INTERFACE:
        return optional_many(P, GQL_TOK_BRACE_L, field_def, GQL_TOK_BRACE_R,
                             d->fields);
    case GQL_DEF_UNION:
        return skip(P, GQL_TOK_EQUALS)
               ? delimited_many(P, GQL_TOK_PIPE, named_type, d->members) : 0;
    case GQL_DEF_ENUM:
        return optional_many(P, GQL_TOK_BRACE_L, enum_value_def,
                             GQL_TOK_BRACE_R, d->values);
    case GQL_DEF_INPUT_OBJECT:
        return optional_many(P, GQL_TOK_BRACE_L, input_value_def,
                             GQL_TOK_BRACE_R, d->input_fields);
    default:
        return 0;
    }
}

/* ORDER DEFINITION: the keyword that introduces each kind */
static const char *const keywords[] = {
    "query", "fragment", "schema", "scalar", "type", "interface", "union",
    "enum", "input", "directive"
};

static int type_system_kind(const gql_token_t *tok)
{
    int k;

    for (k = GQL_DEF_SCHEMA; k <= GQL_DEF_DIRECTIVE; k++) {
        if (is_kw(tok, keywords[k])) {
            return k;
        }
    }
    return -1;
}

/* DirectiveDefinition -> Description? directive @ Name
 *                        ArgumentsDefinition? repeatable? on
 *                        DirectiveLocations
 * DirectiveLocations -> |? DirectiveLocation (| DirectiveLocation)* */
static int directive_def(parser_t *P, gql_definition_t *d)
{
    if (expect(P, GQL_TOK_AT) < 0 || name(P, &d->name) < 0
        || arguments_def(P, d->arguments) < 0) {
        return -1;
    }
    d->repeatable = skip_kw(P, "repeatable");
    if (expect_kw(P, "on") < 0) {
        return -1;
    }
    return delimited_many(P, GQL_TOK_PIPE, directive_location,
                          d->locations);
}

/* TypeSystemDefinition -> SchemaDefinition | TypeDefinition
 *                       | DirectiveDefinition
 * each -> Description? keyword ... */
static gql_definition_t *type_def(parser_t *P, gql_definition_kind_e kind)
{
    gql_definition_t *d = new_def(P, kind);

    d->description = description(P);
    if (expect_kw(P, keywords[kind]) < 0) {
        return NULL;
    }
    if (kind == GQL_DEF_DIRECTIVE) {
        return directive_def(P, d) < 0 ? NULL : d;
    }
    if (kind != GQL_DEF_SCHEMA && name(P, &d->name) < 0) {
        return NULL;
    }
    return type_body(P, d) < 0 ? NULL : d;
}

/* TypeSystemExtension -> extend schema ... | extend scalar Name ... | ...
 * An extension must add something: directives, fields, members, ... */
static gql_definition_t *extension(parser_t *P)
{
    const gql_token_t *kw = lookahead(P);
    int kind = type_system_kind(kw);
    gql_definition_t *d;

    if (kind < 0 || kind == GQL_DEF_DIRECTIVE) {
        return unexpected(P, kw);
    }
    d = new_def(P, (gql_definition_kind_e)kind);
    d->is_extension = 1;
    advance(P);
    advance(P);
    if ((kind != GQL_DEF_SCHEMA && name(P, &d->name) < 0)
        || type_body(P, d) < 0) {
        return NULL;
    }
    if (d->directives->nelts + d->operation_types->nelts
        + d->interfaces->nelts + d->fields->nelts + d->members->nelts
        + d->values->nelts + d->input_fields->nelts == 0) {
        return unexpected(P, &P->tok);
    }
    return d;
}

/* Definition -> ExecutableDefinition | TypeSystemDefinitionOrExtension
 * A description can only be told apart from what it describes by the
 * token after it, hence the lookahead. */
static gql_definition_t *definition(parser_t *P)
{
    int has_desc = peek(P, GQL_TOK_STRING) || peek(P, GQL_TOK_BLOCK_STRING);
    const gql_token_t *kw = has_desc ? lookahead(P) : &P->tok;
    int kind;

    if (peek(P, GQL_TOK_BRACE_L)) {
        return operation(P);
    }
    if (has_desc && kw->kind == GQL_TOK_BRACE_L) {
        return fail(P, &P->tok, "%s", "Unexpected description, descriptions "
                    "are not supported on shorthand queries.");
    }
    if (kw->kind == GQL_TOK_NAME) {
        if ((kind = type_system_kind(kw)) >= 0) {
            return type_def(P, (gql_definition_kind_e)kind);
        }
        if (is_kw(kw, "query") || is_kw(kw, "mutation")
            || is_kw(kw, "subscription")) {
            return operation(P);
        }
        if (is_kw(kw, "fragment")) {
            return fragment_def(P);
        }
        if (has_desc) {
            return fail(P, &P->tok, "%s", "Unexpected description, only "
                        "GraphQL definitions support descriptions.");
        }
        if (is_kw(kw, "extend")) {
            return extension(P);
        }
    }
    return unexpected(P, kw);
}

/* Document -> Definition+ */
gql_document_t *gql_parse_limited(apr_pool_t *p, const char *src,
                                  apr_size_t len, const char *source,
                                  int max_tokens, gql_error_t **err)
{
    parser_t P;
    gql_document_t *doc = apr_pcalloc(p, sizeof(*doc));

    memset(&P, 0, sizeof(P));
    P.pool = p;
    P.max_tokens = max_tokens > 0 ? max_tokens : 0;
    P.names = apr_hash_make(p);
    P.none = list(&P);
    gql_lexer_init(&P.lx, p, src, len);
    doc->source = source;
    doc->len = len;
    doc->definitions = apr_array_make(p, 8, sizeof(void *));
    advance(&P);
    do {
        if (push(doc->definitions, definition(&P)) < 0) {
            if (P.lx.err == NULL) {     /* cannot happen; be safe anyway */
                gql_lexer_error(&P.lx, P.tok.offset, "Unexpected %s.",
                                found(&P));
            }
            P.lx.err->source = source;
            *err = P.lx.err;
            return NULL;
        }
    } while (!skip(&P, GQL_TOK_EOF));
    return doc;
}

gql_document_t *gql_parse(apr_pool_t *p, const char *src, apr_size_t len,
                          const char *source, gql_error_t **err)
{
    return gql_parse_limited(p, src, len, source, 0, err);
}
