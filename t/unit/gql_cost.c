/* Licensed under the Apache License, Version 2.0 (the "License"); you may
 * not use this file except in compliance with the License.  You may obtain
 * a copy of the License at http://www.apache.org/licenses/LICENSE-2.0
 */

/*
 * gql_cost.c (test): the cost model.  The directives' checks at
 * configuration time (FILE:LINE:COL messages); the cost of operations:
 * weights, lists sized by slicing arguments (literals and variables),
 * assumedSize, sizedFields and the default size, @skip and @include,
 * fragments, mutations, saturation, and a fragment fan-out that must
 * finish at once; the Hackernews schema's own queries and GraphiQL's
 * introspection query.  Then the validation rule that counts what an
 * operation asks for (MaxCounts: aliases, root fields, fields, a
 * mutation's fields, @oncePerRequest), at, under and over each limit.
 * Every cost is also asked of the prepared document, which knows it
 * beforehand when no variable changes it; which ones it knows, and that
 * the executor takes it only under the model and list size it was
 * computed with.
 */

#include <apr_general.h>
#include <apr_strings.h>
#include <apr_time.h>
#include "gql_coerce.h"
#include "gql_cost.h"
#include "gql_sql.h"
#include "operation.h"
#include "tap.h"
#include "util.h"

static const char sdl[] =
    "type Query {\n"
    "  n: Int\n"
    "  item: Item\n"
    "  items(first: Int, last: Int, name: String): [Item]\n"
    "    @listSize(slicingArguments: [\"first\", \"last\"])\n"
    "  some: [Item] @listSize(assumedSize: 5)\n"
    "  all: [Item]\n"
    "  page(take: Int = 3): Page\n"
    "    @listSize(slicingArguments: \"take\", sizedFields: [\"entries\"])\n"
    "  heavy: Heavy\n"
    "  pricey: Int @cost(weight: 4)\n"
    "  stmt: Item @sqlish\n"
    "}\n"
    "type Item { id: Int child: Item kids: [Item] }\n"
    "type Page { entries: [Item] total: Int }\n"
    "type Heavy @cost(weight: 7) { id: Int }\n"
    "type Mutation {\n"
    "  a: Int\n"
    "  b: Item\n"
    "  login: Int @oncePerRequest\n"
    "}\n"
    "directive @sqlish on FIELD_DEFINITION\n";

/* The test's stand-in for the SQL stage: a field with the directive
 * that baton names runs a statement. */
static int sqlish(const void *baton, const gql_field_t *f)
{
    int i;

    for (i = 0; f->directives && i < f->directives->nelts; i++) {
        if (!strcmp(APR_ARRAY_IDX(f->directives, i,
                                  const gql_directive_t *)->name.value,
                    (const char *)baton)) {
            return 1;
        }
    }
    return 0;
}

/* The schema of text with the cost vocabulary, and its model into *m;
 * NULL with the first error as "FILE:LINE:COL: message" in *err. */
static const gql_schema_t *build(apr_pool_t *p, const char *text,
                                 const gql_cost_model_t **m,
                                 const char **err)
{
    static const gql_schema_vocab_t *const vocabs[] = { &gql_cost_vocab,
                                                        NULL };
    apr_array_header_t *errors = gql_errors_make(p);
    gql_error_t *e = NULL;
    const gql_document_t *doc = gql_parse(p, text, strlen(text), "s.graphql",
                                          &e);
    const gql_schema_t *s = doc ? gql_schema_build(p, p, vocabs, &doc, 1,
                                                   errors) : NULL;

    *m = s ? gql_cost_compile(p, p, s, sqlish, "sqlish", errors) : NULL;
    *err = errors->nelts ? gql_error_format(p, APR_ARRAY_IDX(errors, 0,
                                                             gql_error_t *))
                         : e ? gql_error_format(p, e) : "";
    return *m ? s : NULL;
}

/* The operation of query (prepared with m and size, as the glue
 * prepares it) with vars (JSON text, NULL: none), or NULL. */
static gql_operation_t *costed(apr_pool_t *p, const gql_cost_model_t *m,
                               const gql_schema_t *s, const char *query,
                               const char *vars, apr_int64_t size)
{
    gql_validate_opts_t opts = { .introspection = 1 };
    json_object *v = vars ? json_tokener_parse(vars) : NULL;
    gql_result_t res;
    gql_operation_t *op;

    opts.cost = m;
    opts.list_size = size;
    op = operation(p, s, query, strlen(query), &opts, NULL, v, &res);
    if (op == NULL) {
        printf("# %s\n", gql_error_format(p, APR_ARRAY_IDX(res.errors, 0,
                                                           gql_error_t *)));
    }
    return op;
}

/* The cost of query with vars (JSON text, NULL: none) where lists hold
 * size items, or -1 when it does not validate or its variables fail;
 * -2 when the prepared document knew another. */
static apr_int64_t cost(apr_pool_t *p, const gql_cost_model_t *m,
                        const gql_schema_t *s, const char *query,
                        const char *vars, apr_int64_t size)
{
    gql_operation_t *op = costed(p, m, s, query, vars, size);
    json_object *coerced;
    apr_int64_t c;

    if (op == NULL) {
        return -1;
    }
    coerced = gql_coerce_variables(p, s, op->def, op->variables,
                                   gql_errors_make(p));
    if (coerced == NULL) {
        return -1;
    }
    c = gql_cost_of(p, m, op, coerced, size);
    if (op->cost >= 0 && op->cost != c) {
        printf("# prepared: %" APR_INT64_T_FMT "\n", op->cost);
        return -2;
    }
    return c;
}

#define COST(q, vars, want, name) \
    do { \
        apr_int64_t got_ = cost(p, m, s, (q), (vars), 10); \
        if (!ok(got_ == (want), (name))) { \
            printf("#   got %" APR_INT64_T_FMT "\n", got_); \
        } \
    } while (0)

static void checks(apr_pool_t *p)
{
    static const struct {
        const char *sdl;
        const char *error;
    } bad[] = {
        { "type Query { a: Int @cost(weight: -1) }",
          "s.graphql:1:35: @cost(weight:) on \"Query.a\" must be at least 0, "
          "not -1." },
        { "type Query { a: T } type T @cost(weight: -2) { b: Int }",
          "s.graphql:1:42: @cost(weight:) on \"T\" must be at least 0, not "
          "-2." },
        { "type Query { a(s: String): [Int] "
          "@listSize(slicingArguments: [\"s\"]) }",
          "s.graphql:1:63: @listSize(slicingArguments:) on \"Query.a\" names "
          "\"s\", which is no Int argument of the field." },
        { "type Query { a(n: [Int]): [Int] "
          "@listSize(slicingArguments: [\"n\", \"m\"]) }",
          "s.graphql:1:62: @listSize(slicingArguments:) on \"Query.a\" names "
          "\"n\", which is no Int argument of the field." },
        { "type Query { a: T @listSize(sizedFields: [\"one\"]) }\n"
          "type T { one: Int many: [Int] }",
          "s.graphql:1:43: @listSize(sizedFields:) on \"Query.a\" names "
          "\"one\", which is no list field of the type it returns." },
        { "type Query { a: [Int] @listSize(assumedSize: -3) }",
          "s.graphql:1:46: @listSize(assumedSize:) on \"Query.a\" must be at "
          "least 0, not -3." },
        { "type Query { a(n: Int): Int @listSize(slicingArguments: \"n\") }",
          "s.graphql:1:29: @listSize on \"Query.a\" sizes nothing: the field "
          "returns no list and names no sizedFields." },
        { "type Query { a: Int @cost }",
          "s.graphql:1:21: Directive \"@cost\" argument \"weight\" of type "
          "\"Int!\" is required, but it was not provided." },
    };
    const gql_cost_model_t *m;
    const char *err;
    int i;

    for (i = 0; i < (int)(sizeof(bad) / sizeof(bad[0])); i++) {
        ok(build(p, bad[i].sdl, &m, &err) == NULL,
           apr_psprintf(p, "bad directives %d: refused", i));
        is_str(err, bad[i].error, "... with its message");
    }
    ok(build(p, "type Query { a(n: Int!): [Int] @listSize(slicingArguments: "
             "[\"n\"], assumedSize: 0) @cost(weight: 0) @oncePerRequest }",
             &m, &err) != NULL, "good directives pass");
    is_str(err, "", "... with no error");
}

static void costs(apr_pool_t *p)
{
    const gql_cost_model_t *m;
    const char *err;
    const gql_schema_t *s = build(p, sdl, &m, &err);

    if (!setup_ok(s != NULL, "the test schema builds")) {
        printf("# %s\n", err);
        return;
    }
    COST("{ n }", NULL, 0, "a leaf costs 0");
    COST("{ item { id } }", NULL, 1, "an object 1");
    COST("{ item { child { id } } __typename }", NULL, 2, "... each one");
    COST("{ pricey }", NULL, 4, "@cost on a field");
    COST("{ heavy { id } }", NULL, 7, "@cost on the type returned");
    COST("{ stmt { id } }", NULL, 10, "a field that runs a statement: 10");
    COST("{ items(first: 3) { child { id } } }", NULL, 1 + 3 * 1,
         "a list: its slicing argument times its sub-selection");
    COST("{ items(first: 3, last: 7) { child { id } } }", NULL, 1 + 7 * 1,
         "the largest slicing argument given");
    COST("{ items(first: -5) { child { id } } }", NULL, 1,
         "a negative one: no items");
    COST("query($k: Int) { items(first: $k) { child { id } } }",
         "{\"k\": 9}", 1 + 9, "a slicing argument from a variable");
    COST("query($k: Int = 4) { items(first: $k) { child { id } } }", NULL,
         1 + 4, "... or its default");
    COST("{ items(name: \"x\") { child { id } } }", NULL, 1 + 10,
         "no slicing argument given: the default list size");
    COST("{ some { child { id } } }", NULL, 1 + 5, "assumedSize");
    COST("{ page(take: 4) { entries { child { id } } total } }", NULL,
         1 + (1 + 4 * 1), "sizedFields: the parent's slicing argument");
    COST("{ page { entries { child { id } } } }", NULL, 1 + (1 + 3 * 1),
         "... its default value");
    COST("{ all { kids { child { id } } } }", NULL, 1 + 10 * (1 + 10 * 1),
         "nested lists multiply");
    COST("{ ...F ...F } fragment F on Query { item { id } }", NULL, 2,
         "fragments expanded, each spread counted");
    COST("{ ... on Query { item { id } } ... { n } }", NULL, 1,
         "inline fragments");
    COST("query($s: Boolean!) { item @skip(if: $s) { id } heavy { id } }",
         "{\"s\": true}", 7, "@skip with a true variable leaves it out");
    COST("query($s: Boolean!) { item @skip(if: $s) { id } heavy { id } }",
         "{\"s\": false}", 8, "... a false one keeps it");
    COST("{ item @include(if: false) { id } ...F @include(if: false) }"
         " fragment F on Query { heavy { id } }", NULL, 0,
         "@include(if: false) on fields and spreads");
    COST("mutation { a }", NULL, 10, "a mutation's root field: at least 10");
    COST("mutation { a b { id child { id } } }", NULL, 10 + 11,
         "... and what it selects besides");
    ok(cost(p, m, s, "{ all { kids { kids { kids { kids { kids { id } } } } }"
            " } }", NULL, 1000000) == GQL_COST_MAX,
       "a product past 2^63 saturates");
}

/* The cost run by the executor with list size size, as res->cost. */
static apr_int64_t executed(apr_pool_t *p, const gql_cost_model_t *m,
                            const gql_operation_t *op, apr_int64_t size)
{
    gql_execute_opts_t opts = { m, 0, 0 };
    gql_result_t res;

    opts.list_size = size;
    res.errors = gql_errors_make(p);
    gql_execute_run(p, op, NULL, NULL, &opts, &res);
    return res.cost;
}

/* Which costs the prepared document knows: those no variable changes. */
static void fixed(apr_pool_t *p)
{
    static const struct {
        const char *query;
        int known;
    } qs[] = {
        { "{ items(first: 3) { child { id } } n }", 1 },
        { "{ a: items(first: 1) { id } b: some { child { id } } }", 1 },
        { "query($k: Int) { items(first: $k) { child { id } } }", 0 },
        { "query($k: Int = 4) { items(first: $k) { child { id } } }", 0 },
        { "query($n: String) { items(first: 2, name: $n) { id } }", 0 },
        { "query($k: Int) { ...F } fragment F on Query { items(last: $k) "
          "{ id } }", 0 },
        { "query($s: Boolean!) { item @skip(if: $s) { id } }", 0 },
        { "query($s: Boolean!) { ... @include(if: $s) { n } }", 0 },
        { "{ item @skip(if: true) { id } page(take: 2) { entries { id } } }",
          1 },
        { "mutation { b { id } }", 1 },
    };
    const gql_cost_model_t *m;
    const char *err;
    const gql_schema_t *s = build(p, sdl, &m, &err);
    gql_operation_t *op;
    int i;

    if (!setup_ok(s != NULL, "the test schema builds")) {
        return;
    }
    for (i = 0; i < (int)(sizeof(qs) / sizeof(qs[0])); i++) {
        op = costed(p, m, s, qs[i].query, NULL, 10);
        ok(op != NULL && (op->cost >= 0) == qs[i].known,
           apr_psprintf(p, "%s when prepared: %s", qs[i].known ? "known"
                        : "not known", qs[i].query));
    }
    op = costed(p, m, s,
                "{ all { child { id } } items(first: 2) { child { id } } }",
                NULL, 10);
    if (!setup_ok(op != NULL, "a list the schema does not size")) {
        return;
    }
    ok(op->cost == 1 + 10 + 1 + 2, "... costed with the list size given");
    ok(executed(p, m, op, 10) == op->cost, "the executor takes it");
    ok(executed(p, m, op, 20) == 1 + 20 + 1 + 2, "... but not under another "
       "list size");
    ok(executed(p, NULL, op, 10) == -1, "... nor without a model");
}

/* A fragment chain where each spreads the next twice, n deep. */
static const char *fan_out(apr_pool_t *p, int n)
{
    const char *q = "query { ...F0 }\n";
    int i;

    for (i = 0; i < n; i++) {
        q = apr_psprintf(p, "%sfragment F%d on Query { ...F%d ...F%d }\n", q,
                         i, i + 1, i + 1);
    }
    return apr_psprintf(p, "%sfragment F%d on Query { item { id } }\n", q, n);
}

static void bounded(apr_pool_t *p)
{
    const gql_cost_model_t *m;
    const char *err;
    const gql_schema_t *s = build(p, sdl, &m, &err);
    apr_time_t t0 = apr_time_now();
    apr_int64_t c;

    if (!setup_ok(s != NULL, "the test schema builds")) {
        return;
    }
    c = cost(p, m, s, fan_out(p, 40), NULL, 10);
    ok(c == APR_INT64_C(1) << 40, "2^40 expansions of a fragment cost 2^40");
    c = cost(p, m, s, fan_out(p, 200), NULL, 10);
    ok(c == GQL_COST_MAX, "2^200: saturated");
    ok(apr_time_now() - t0 < apr_time_from_sec(2),
       "the fan-out is costed at once, not expanded");
}

/* The Hackernews schema as the module loads it, with its SQL mapping
 * saying which fields run statements. */
static const gql_schema_t *hackernews(apr_pool_t *p,
                                      const gql_cost_model_t **m)
{
    static const gql_schema_vocab_t *const vocabs[] = {
        &gql_sql_vocab, &gql_cost_vocab, NULL
    };
    const char *file = "schema/hackernews.graphql";
    apr_array_header_t *errors = gql_errors_make(p);
    const gql_schema_t *s = gql_schema_load(p, p, vocabs, &file, 1, errors);
    const gql_sql_mapping_t *sql = s ? gql_sql_compile(p, p, s, errors)
                                     : NULL;

    *m = sql ? gql_cost_compile(p, p, s, gql_sql_runs_statement, sql, errors)
             : NULL;
    return *m ? s : NULL;
}

/* Prepare query with opts; the validation errors as "message CODE"
 * lines. */
static const char *limit_errors(apr_pool_t *p, const gql_schema_t *s,
                                const gql_validate_opts_t *opts,
                                const char *query)
{
    apr_array_header_t *errors = gql_errors_make(p);
    const char *out = "";
    int i;

    gql_document_prepare(p, p, s, query, strlen(query), opts, errors);
    for (i = 0; i < errors->nelts; i++) {
        const gql_error_t *e = APR_ARRAY_IDX(errors, i, gql_error_t *);

        out = apr_pstrcat(p, out, i ? "\n" : "", e->message, " ",
                          e->code ? e->code : "-", NULL);
    }
    return out;
}

/* The Hackernews API's own queries, the README's, the benchmark's and
 * GraphiQL's stay far under the default limit (5000) at the default list
 * size (100); the hostile ones of issue 9 are far over it. */
static void hackernews_costs(apr_pool_t *p)
{
    static const struct {
        const char *query;
        apr_int64_t most;       /* > 0: at most; < 0: at least -most */
    } qs[] = {
        { "{ info }", 10 },
        { "{ feed(take: 10) { count links { id url description createdAt "
          "postedBy { name } } } }", 130 },
        /* the README's worked example: exactly 730 */
        { "{ feed(take: 10) { count links { url postedBy { name } votes "
          "{ user { name } } } } }", 730 },
        { "{ feed(skip: 0, take: 50) { links { id url description createdAt"
          " postedBy { name } votes { user { name } } } } }", 4000 },
        { "{ feed(filter: \"apache\", orderBy: { createdAt: desc }, take: 1)"
          " { count links { url votes { user { name } } } } }", 200 },
        { "{ me { id name email links { id } votes { id link { id } } } }",
          1100 },
        { "mutation { vote(linkId: \"4\") { link { url votes { user "
          "{ name } } } } }", 200 },
        { "mutation { login(email: \"a\", password: \"b\") { token } }",
          20 },
        { NULL, -40000 },       /* 2,000 aliases of a feed page */
    };
    const gql_cost_model_t *m;
    const gql_schema_t *s = hackernews(p, &m);
    /* the module's defaults */
    gql_validate_opts_t dflt = { .introspection = 1, .max_depth = 20,
                                 .max_aliases = 30, .max_root_fields = 20,
                                 .max_fields = 2000,
                                 .max_mutation_fields = 5 };
    char *intro;
    const char *q;
    apr_int64_t c;
    int i;

    if (!setup_ok(s != NULL, "the Hackernews schema builds")) {
        return;
    }
    dflt.cost = m;
    for (i = 0; i < (int)(sizeof(qs) / sizeof(qs[0])); i++) {
        q = qs[i].query;
        if (q == NULL) {
            int k;

            q = "{";
            for (k = 0; k < 2000; k++) {
                q = apr_psprintf(p, "%s a%d: feed(orderBy: {description: "
                                 "desc}, skip: 9990, take: 1) { links { id } "
                                 "}", q, k);
            }
            q = apr_pstrcat(p, q, " }", NULL);
        }
        c = cost(p, m, s, q, NULL, 100);
        printf("# cost %" APR_INT64_T_FMT ": %.60s\n", c, q);
        if (qs[i].most > 0) {
            is_str(limit_errors(p, s, &dflt, q), "", "... within the "
                   "default counts");
        }
        ok(qs[i].most > 0 ? c >= 0 && c <= qs[i].most : c >= -qs[i].most,
           qs[i].query ? qs[i].query : "2,000 aliases of a feed page");
    }
    intro = slurp(p, "t/cases/introspect/full-hackernews/query.graphql",
                  NULL);
    if (setup_ok(intro != NULL, "the full introspection query")) {
        c = cost(p, m, s, intro, NULL, 100);
        printf("# cost %" APR_INT64_T_FMT ": full introspection\n", c);
        ok(c > 0 && c <= 2500, "GraphiQL's introspection query: far under "
           "the default");
        is_str(limit_errors(p, s, &dflt, intro), "", "... within the "
               "default counts");
        dflt.max_fields = dflt.max_aliases = dflt.max_root_fields = 1;
        printf("# %s\n", limit_errors(p, s, &dflt, intro));
    }
}

/* n copies of fmt (with %d the copy's number), joined by spaces. */
static const char *times(apr_pool_t *p, const char *fmt, int n)
{
    const char *out = "";
    int i;

    for (i = 0; i < n; i++) {
        out = apr_pstrcat(p, out, i ? " " : "", apr_psprintf(p, fmt, i),
                          NULL);
    }
    return out;
}

static void counts(apr_pool_t *p)
{
    const gql_cost_model_t *m;
    const char *err;
    const gql_schema_t *s = build(p, sdl, &m, &err);
    gql_validate_opts_t o;
    apr_time_t t0;

    if (!setup_ok(s != NULL, "the test schema builds")) {
        return;
    }
    memset(&o, 0, sizeof(o));
    o.introspection = 1;
    o.max_aliases = 3;
    o.max_root_fields = 4;
    o.max_fields = 6;
    o.max_mutation_fields = 2;
    o.cost = m;
    is_str(limit_errors(p, s, &o, apr_psprintf(p, "{ %s }",
                                                times(p, "a%d: n", 3))),
           "", "3 aliases at a limit of 3");
    is_str(limit_errors(p, s, &o, apr_psprintf(p, "{ %s }",
                                                times(p, "a%d: n", 4))),
           "The operation has 4 aliases (fragments expanded), more than the "
           "limit of 3. ALIAS_LIMIT_EXCEEDED", "4: over");
    is_str(limit_errors(p, s, &o, "{ ...F ...F } fragment F on Query "
                        "{ a: n b: n }"),
           "The operation has 4 aliases (fragments expanded), more than the "
           "limit of 3. ALIAS_LIMIT_EXCEEDED", "aliases in a fragment count "
           "each time it is spread");
    is_str(limit_errors(p, s, &o, "{ n item { id } ... { pricey } }"), "",
           "3 root fields under a limit of 4");
    is_str(limit_errors(p, s, &o, "{ n item { id } ... { pricey heavy { id }"
                        " ...G } } fragment G on Query { some { id } }"),
           "The operation has 5 root fields (fragments expanded), more than "
           "the limit of 4. ROOT_FIELD_LIMIT_EXCEEDED\n"
           "The operation has 8 fields (fragments expanded), more than the "
           "limit of 6. FIELD_LIMIT_EXCEEDED",
           "5 root fields, 8 fields: over both");
    is_str(limit_errors(p, s, &o, "{ item { child { child { child { child "
                        "{ id } } } } } }"), "", "6 fields at a limit of 6");
    is_str(limit_errors(p, s, &o, "mutation { a b { id } }"), "",
           "a mutation with 2 root fields at a limit of 2");
    is_str(limit_errors(p, s, &o, "mutation { a b { id } x: a }"),
           "The mutation has 3 root fields (fragments expanded), more than "
           "the limit of 2. MUTATION_FIELD_LIMIT_EXCEEDED",
           "3: over");
    is_str(limit_errors(p, s, &o, "mutation { login }"), "",
           "an @oncePerRequest field once");
    is_str(limit_errors(p, s, &o, "mutation { login ...L } "
                        "fragment L on Mutation { again: login }"),
           "The field \"Mutation.login\" may be asked for once per request, "
           "not 2 times. ONCE_PER_REQUEST", "twice, once in a fragment");
    memset(&o, 0, sizeof(o));
    o.max_fields = 1000;
    t0 = apr_time_now();
    is_str(limit_errors(p, s, &o, fan_out(p, 200)),
           "The operation has 9223372036854775807 fields (fragments "
           "expanded), more than the limit of 1000. FIELD_LIMIT_EXCEEDED",
           "a fragment fan-out of 2^200: counted at once, saturated");
    ok(apr_time_now() - t0 < apr_time_from_sec(2), "... in no time");
}

int main(int argc, const char *const *argv)
{
    apr_pool_t *p;

    apr_app_initialize(&argc, &argv, NULL);
    apr_pool_create(&p, NULL);
    checks(p);
    costs(p);
    fixed(p);
    bounded(p);
    hackernews_costs(p);
    counts(p);
    apr_pool_destroy(p);
    apr_terminate();
    return tap_done();
}
