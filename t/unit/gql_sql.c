/* Licensed under the Apache License, Version 2.0 (the "License"); you may
 * not use this file except in compliance with the License.  You may obtain
 * a copy of the License at http://www.apache.org/licenses/LICENSE-2.0
 */

/*
 * t/unit/gql_sql.c: the SQL mapping against a real PostgreSQL (run under
 * t/bin/with-pg, which exports PGHOST, PGPORT, PGUSER, PGDATABASE).  The
 * mapping errors are cases in t/cases/sql/NAME/{schema.graphql,errors};
 * the rest drives parse, validate and execution with the SQL resolvers
 * over tables the test makes.
 */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <apr_file_io.h>
#include <apr_strings.h>
#include <libpq-fe.h>
#include "gql_json.h"
#include "gql_parser.h"
#include "gql_sql.h"
#include "operation.h"
#include "../../src/gql_sql_int.h"
#include "tap.h"
#include "util.h"

#define CASES "t/cases/sql"

static PGconn *conn;
static int down;                /* acquire() answers NULL */
static char logbuf[8192];

static apr_pool_t *conn_pool;  /* lives as long as conn */

static void *acquire(void *baton, apr_pool_t **pool, const char **why)
{
    (void)baton;
    *why = "test: down";
    *pool = conn_pool;
    return down ? NULL : conn;
}

static void logline(void *baton, int is_error, const char *tag,
                    const char *message)
{
    apr_size_t n = strlen(logbuf);

    (void)is_error;
    apr_cpystrn(logbuf + n, apr_psprintf(baton, "%s: %s\n", tag, message),
                sizeof(logbuf) - n);
}

/* Parse, build and compile; the errors as "FILE:LINE:COL: message"
 * lines.  *out gets the schema and *maps its mapping when everything
 * held (maps may be NULL). */
static const char *compile(apr_pool_t *p, const char *source, const char *sdl,
                           gql_schema_t **out, gql_sql_mapping_t **maps)
{
    static const gql_schema_vocab_t *const vocabs[] = { &gql_sql_vocab,
                                                        NULL };
    gql_sql_mapping_t *m = NULL;
    apr_array_header_t *errors = gql_errors_make(p);
    gql_error_t *err = NULL;
    const gql_document_t *doc = gql_parse(p, sdl, strlen(sdl), source, &err);
    gql_schema_t *s;
    const char *text = "";
    int i;

    if (doc == NULL) {
        return gql_error_format(p, err);
    }
    s = gql_schema_build(p, p, vocabs, &doc, 1, errors);
    if (s != NULL) {
        m = gql_sql_compile(p, p, s, errors);
    }
    for (i = 0; i < errors->nelts; i++) {
        text = apr_pstrcat(p, text, gql_error_format(p, APR_ARRAY_IDX(
                           errors, i, gql_error_t *)), "\n", NULL);
    }
    if (out != NULL) {
        *out = errors->nelts ? NULL : s;
    }
    if (maps != NULL) {
        *maps = m;
    }
    return text;
}

static void run_cases(apr_pool_t *p)
{
    apr_array_header_t *names = list(p, CASES, NULL);
    int i, n = 0;

    if (!setup_ok(names != NULL, "cases directory")) {
        return;
    }
    for (i = 0; i < names->nelts; i++) {
        const char *name = APR_ARRAY_IDX(names, i, const char *);
        const char *dir = apr_pstrcat(p, CASES, "/", name, NULL);
        const char *sdl, *want;

        sdl = slurp(p, apr_pstrcat(p, dir, "/schema.graphql", NULL), NULL);
        want = slurp(p, apr_pstrcat(p, dir, "/errors", NULL), NULL);
        if (!setup_ok(sdl && want,
                      apr_pstrcat(p, name, ": case loads", NULL))) {
            continue;
        }
        is_str(compile(p, "schema.graphql", sdl, NULL, NULL), want,
               apr_pstrcat(p, name, ": mapping errors", NULL));
        n++;
    }
    setup_ok(n >= 10, "at least ten mapping cases");
}

/* The mapping's directives: in every schema built with gql_sql_vocab,
 * server-side, not defined again by the schema. */
static void test_vocab(apr_pool_t *p)
{
    static const char *const names[] = {
        "table", "column", "sql", "sqlError", "jwt", "claims"
    };
    gql_schema_t *s = NULL;
    apr_size_t i;
    int hidden = 0;

    compile(p, "t", "type Query { a: Int }\n", &s, NULL);
    for (i = 0; s && i < sizeof(names) / sizeof(names[0]); i++) {
        const gql_directive_def_t *d = gql_schema_directive(s, names[i]);

        hidden += d && d->builtin && d->server_side;
    }
    ok(hidden == 6, "the six mapping directives are declared, hidden");
}

/* The mapping table: a field's compiled mapping, found by the field. */
static void test_mapping(apr_pool_t *p)
{
    static const char mapped[] =
        "type Query { a: Int @sql(query: \"SELECT 1\")\n"
        "  b: B @sql(query: \"SELECT 1 AS x\") }\n"
        "type B { x: Int, y: Int @column(name: \"x\"), t: String @jwt }\n";
    gql_schema_t *s = NULL, *s2 = NULL;
    gql_sql_mapping_t *m = NULL, *m2 = NULL;
    const gql_type_t *q, *b;

    compile(p, "t", mapped, &s, &m);
    compile(p, "t", mapped, &s2, &m2);
    if (!ok(s && m && s2 && m2, "a mapped schema compiles")) {
        return;
    }
    q = gql_schema_type(s, "Query");
    b = gql_schema_type(s, "B");
    ok(gql_sql_mapping_find(m, gql_type_field(q, "a")) != NULL
       && gql_sql_mapping_find(m, gql_type_field(q, "b")) != NULL
       && gql_sql_mapping_find(m, gql_type_field(q, "a"))
          != gql_sql_mapping_find(m, gql_type_field(q, "b")),
       "each @sql field has its own mapping");
    ok(gql_sql_mapping_find(m, gql_type_field(b, "y")) != NULL
       && gql_sql_mapping_find(m, gql_type_field(b, "t")) != NULL,
       "@column and @jwt fields have one");
    ok(gql_sql_mapping_find(m, gql_type_field(b, "x")) == NULL
       && gql_sql_mapping_find(m, s->meta_typename) == NULL,
       "a plain field and a meta-field have none");
    ok(gql_sql_mapping_find(m2, gql_type_field(q, "a")) == NULL
       && gql_sql_mapping_find(m2, gql_type_field(gql_schema_type(s2,
                               "Query"), "a")) != NULL,
       "a table knows the fields of its own schema only");
    ok(gql_sql_needs_database(m), "a schema with @sql needs a database");
    compile(p, "t", "type Query { b: B }\n"
            "type B { x: Int, y: Int @column(name: \"x\"), t: String @jwt }\n",
            &s, &m);
    ok(m && !gql_sql_needs_database(m),
       "with @column and @jwt only it does not");
    compile(p, "t", "type Query { a: Int }\n", &s, &m);
    ok(m && !gql_sql_needs_database(m), "nor with no mapping at all");
    ok(strcmp(compile(p, "t", "type Query { a: Int @sql(query: \"$1\") }\n",
                      &s, &m), "") != 0 && m == NULL,
       "no table when the mapping has errors");
}

/* ---- against PostgreSQL ------------------------------------------- */

static const char sdl[] =
    "scalar JSON\n"
    "enum Color { RED GREEN }\n"
    "input Inner { min: Int }\n"
    "input Filter { name: String, inner: Inner }\n"
    "type Kinds { i: Int, b: Float, t: Boolean, f: Float, n: Float,\n"
    "  s: String, ts: String, j: JSON, jb: JSON, arr: [Int] }\n"
    "type Query {\n"
    "  kinds: Kinds @sql(query: \"SELECT * FROM gt_kinds\")\n"
    "  parents(first: Int!): [Parent!]! @sql(query: \"SELECT id, name AS"
    " label FROM gt_parent ORDER BY id LIMIT $first\")\n"
    "  parent(id: ID!): Parent @sql(query: \"SELECT id, name AS label FROM"
    " gt_parent WHERE id = $id::int\")\n"
    "  count: Int @sql(query: \"SELECT count(*) FROM gt_parent;\")\n"
    "  sneak: Int @sql(query: \"SELECT gt_sneak()\")\n"
    "  flood: [String!]! @sql(query: \"SELECT repeat('x', 1000) FROM"
    " generate_series(1, 10000000)\")\n"
    "  names(ids: [Int!]!): [String!]! @sql(query: \"SELECT name FROM"
    " gt_parent WHERE id = ANY($ids) ORDER BY id\")\n"
    "  echo(s: String, c: Color, f: Float, b: Boolean, l: [String], n: Int):"
    " String @sql(query: \"SELECT concat_ws('|', $s::text, $c::text,"
    " $f::float8, $b::bool, $l::text[]::text, coalesce($n::text, 'NULL'))\")\n"
    "  filtered(filter: Filter): String @sql(query: \"SELECT"
    " ($filter::jsonb)->>'name' || ':' || coalesce($filter.inner.min::text,"
    " 'none')\")\n"
    "  tx: [String] @sql(query: \"SELECT current_setting("
    "'transaction_isolation') UNION ALL SELECT current_setting("
    "'transaction_read_only')\")\n"
    "  me: String @sql(query: \"SELECT $viewer.sub::text\","
    " optionalViewer: true)\n"
    "  secret: String @sql(query: \"SELECT 'x' || $viewer.sub::text\")\n"
    "  broken: Int @sql(query: \"SELECT 1/0\")\n"
    "  missing: Int @sql(query: \"SELECT 1 WHERE false\")"
    " @sqlError(when: \"empty\", message: \"Nothing here.\","
    " code: \"NOT_FOUND\")\n"
    "  slow: Int @sql(query: \"SELECT 1 FROM pg_sleep(1)\")\n"
    "  cast(s: String!): Int @sql(query: \"SELECT $s::int\")\n"
    "  needs: Int! @sql(query: \"SELECT 1/0\")\n"
    "  tagged(min: Int): [Tagged] @sql(query: \"SELECT id, tags, grid FROM"
    " gt_tagged WHERE $min::int IS NULL OR id >= $min ORDER BY id\")\n"
    "  raw(v: JSON): String @sql(query: \"SELECT $v::text\")\n"
    "  bigF: Float @sql(query: \"SELECT 123456789012345678901234::numeric"
    "\")\n"
    "  bigI: Int @sql(query: \"SELECT 123456789012345678901234::numeric\")\n"
    "  bigId: ID @sql(query: \"SELECT 123456789012345678901234::numeric\")\n"
    "  bigS: String @sql(query: \"SELECT -9223372036854775809::numeric\")\n"
    "  twice: Int @sql(query: \"SELECT 1 AS v, 2 AS v\")\n"
    "  twins: Twins @sql(query: \"SELECT 1 AS v, 2 AS w, 3 AS v\")\n"
    "  bigJ: JSON @sql(query: \"SELECT sum(x) FROM (VALUES"
    " (9223372036854775807::bigint), (1)) v(x)\")\n"
    "  bigL: [Float] @sql(query: \"SELECT x FROM (VALUES (1e30::numeric),"
    " (-99999999999999999999::numeric), (7::numeric)) v(x)\")\n"
    "  fitId: ID @sql(query: \"SELECT 9007199254740993::bigint\")\n"
    "  digits: String @sql(query: \"SELECT '\\\"' || repeat('9', 25)\")\n"
    "  literal: String @sql(query: \"SELECT '$a' || $$ $b $$ || $t$ $c $t$"
    " || \\\"x$\\\" -- $d\\n /* $e /* $f */ */ FROM (SELECT"
    " '' AS \\\"x$\\\") q\")\n"
    "}\n"
    "type Parent { id: Int!, label: String!, name: String"
    " @column(name: \"label\")\n"
    "  children(take: Int): [Child!]! @sql(query: \"SELECT id, score FROM"
    " gt_child WHERE parent_id = $parent.id ORDER BY score DESC, id"
    " LIMIT $take\")\n"
    "  best: Child @sql(query: \"SELECT id, score FROM gt_child WHERE"
    " parent_id = $parent.id ORDER BY score DESC, id LIMIT 1\")\n"
    "  childCount: Int @sql(query: \"SELECT count(*) FROM gt_child WHERE"
    " parent_id = $parent.id\")\n"
    "  scores: [Int] @sql(query: \"SELECT score FROM gt_child WHERE"
    " parent_id = $parent.id AND label_of($parent.label) = $parent.label"
    " ORDER BY id\")\n"
    "  token: String @jwt(subject: \"id\")\n"
    "  nap: Int @sql(query: \"SELECT $parent.id::int FROM pg_sleep(1)\")\n"
    "  ratio: Int @sql(query: \"SELECT 12 / ($parent.id - 3)\")\n"
    "  flood: [String!] @sql(query: \"SELECT repeat('x', 1000) FROM"
    " generate_series(1, 10000000) WHERE $parent.id::int IS NOT NULL\")\n"
    "  a(k: Int): Int @sql(query: \"SELECT $parent.id::int*10 + $k::int\")\n"
    "  b(k: Int): Int @sql(query: \"SELECT $k::int*10 + $parent.id::int\")\n"
    "}\n"
    "type Tagged { id: Int!, tags: [Int], grid: [[Int]]\n"
    "  big(min: Int): [Int] @sql(query: \"SELECT x FROM"
    " unnest($parent.tags::int[]) x WHERE x > $min ORDER BY x DESC\")\n"
    "  cells: Int @sql(query: \"SELECT cardinality($parent.grid::int[])\")\n"
    "  token: String @jwt(subject: \"tags\")\n"
    "}\n"
    "type Twins { v: Int, w: Int }\n"
    "type Child { id: Int!, score: Int\n"
    "  parent: Parent @sql(query: \"SELECT p.id, p.name AS label FROM"
    " gt_parent p JOIN gt_child c ON c.parent_id = p.id WHERE c.id ="
    " $parent.id\")\n"
    "}\n"
    "type Mutation {\n"
    "  touch(id: Int!): Parent @sql(query: \"UPDATE gt_parent SET name ="
    " name WHERE id = $id RETURNING id, name AS label\")\n"
    "  add(id: Int!, name: String!): Parent @sql(query: \"INSERT INTO"
    " gt_parent (id, name) VALUES ($id, $name) RETURNING id, name AS"
    " label\")\n"
    "    @sqlError(when: \"gt_parent_name_key\", message: \"Name taken.\","
    " code: \"CONFLICT\")\n"
    "    @sqlError(when: \"23505\", message: \"Id taken.\","
    " code: \"DUPLICATE\")\n"
    "  slowAdd(id: Int!): Parent @sql(query: \"INSERT INTO gt_parent (id,"
    " name) SELECT g, 's' || g FROM (SELECT $id::int AS g) v, pg_sleep(1)"
    " RETURNING id, name AS label\")\n"
    "}\n";

static const char setup[] =
    "SET client_min_messages = warning;"
    "DROP TABLE IF EXISTS gt_child, gt_parent, gt_kinds;"
    "CREATE TABLE gt_parent (id int PRIMARY KEY, name text NOT NULL,"
    " CONSTRAINT gt_parent_name_key UNIQUE (name));"
    "CREATE TABLE gt_child (id serial PRIMARY KEY,"
    " parent_id int REFERENCES gt_parent, score int);"
    "CREATE FUNCTION label_of(text) RETURNS text LANGUAGE sql"
    " AS 'SELECT $1';"
    "CREATE FUNCTION gt_sneak() RETURNS int LANGUAGE sql AS 'INSERT INTO"
    " gt_parent (id, name) VALUES (990, ''sneak'') RETURNING id';"
    "INSERT INTO gt_parent SELECT i, 'p' || i FROM generate_series(1, 40) i;"
    "INSERT INTO gt_child (parent_id, score) SELECT i, (i * 7 + k * 13) % 50"
    " FROM generate_series(1, 40) i, generate_series(1, 5) k WHERE k <= i % 5;"
    "CREATE TABLE gt_kinds (i int, b bigint, t bool, f float8, n numeric,"
    " s text, ts timestamptz, j json, jb jsonb, arr int[]);"
    "INSERT INTO gt_kinds VALUES (2147483647, 1234567890123, true, 0.1,"
    " 12.50, 'h\xc3\xa9llo \"q\"', '2024-01-02 03:04:05+00',"
    " '{\"a\":[1,2]}', '{\"b\": null}', '{1,2,NULL}');"
    "DROP TABLE IF EXISTS gt_tagged;"
    "CREATE TABLE gt_tagged (id int, tags int[], grid int[]);"
    "INSERT INTO gt_tagged VALUES (1, '{3,1,2}', '{{1,2},{3,4}}'),"
    " (2, NULL, NULL), (3, '{}', '{}'), (4, '{5,NULL,9}', '{{7}}');";

typedef struct out_t {
    const char *body;
    int status;
    int statements;
    apr_interval_time_t waited;
} out_t;

static gql_schema_t *schema;
static gql_sql_mapping_t *maps;
static apr_int64_t timeout_ms = 5000;
static apr_size_t max_result;
static int deadline_ms;         /* from now; 0: none, -1: already past */
static int max_statements;
static const char *role;        /* env.role */

/* Between two fields of one request: another connection commits this
 * (once, after the field named after_field has resolved). */
static PGconn *other;
static const char *after_field, *other_sql;
static gql_resolve_fn sql_resolve;

/* After each field that ran a statement: its name and whether the
 * connection was still in the transaction ("in") or not ("idle"). */
static char txlog[512];

static const char *spy(gql_resolve_t *b)
{
    const char *msg = sql_resolve(b);
    apr_size_t n = strlen(txlog);

    if (strcmp(b->parent_type->name, "Query") == 0
        || strcmp(b->field->name, "childCount") == 0) {
        apr_snprintf(txlog + n, sizeof(txlog) - n, "%s:%s ", b->field->name,
                     PQtransactionStatus(conn) == PQTRANS_IDLE ? "idle"
                                                               : "in");
    }

    if (after_field != NULL && strcmp(b->field->name, after_field) == 0) {
        PQclear(PQexec(other, other_sql));
        after_field = NULL;
    }
    return msg;
}

static out_t run(apr_pool_t *p, const char *query, json_object *claims)
{
    gql_result_t res;
    gql_sql_env_t env;
    gql_resolvers_t rs;
    gql_operation_t *op;
    gql_sql_ctx_t *c;
    out_t o = { NULL, 0, 0, 0 };
    static const unsigned char key[] = "0123456789abcdef0123456789abcdef";

    op = operation(p, schema, query, strlen(query), NULL, NULL, NULL, &res);
    if (op == NULL) {
        o.body = gql_json_response(p, res.errors, NULL, 0);
        return o;
    }
    memset(&env, 0, sizeof(env));
    env.acquire = acquire;
    env.log = logline;
    env.baton = p;
    env.claims = claims;
    env.jwt_secret = key;
    env.jwt_secret_len = sizeof(key) - 1;
    env.jwt_lifetime = 3600;
    env.statement_timeout_ms = (int)timeout_ms;
    env.max_result_size = max_result;
    env.request_timeout_ms = deadline_ms;
    env.deadline = deadline_ms == 0 ? 0 : deadline_ms < 0 ? apr_time_now() - 1
                   : apr_time_now() + apr_time_from_msec(deadline_ms);
    env.max_statements = max_statements;
    env.role = role;
    c = gql_sql_begin(p, schema, maps, &env, op);
    gql_sql_resolvers(c, &rs);
    sql_resolve = rs.field;
    rs.field = spy;
    gql_execute_run(p, op, &rs, NULL, NULL, &res);
    o.status = gql_sql_finish(c, &res);
    o.statements = gql_sql_statements(c);
    o.waited = gql_sql_waited(c);
    o.body = gql_json_response(p, res.errors, res.data, res.has_data);
    return o;
}

static const char *scalar(apr_pool_t *p, const char *sql)
{
    PGresult *r = PQexec(conn, sql);
    const char *v = PQresultStatus(r) == PGRES_TUPLES_OK && PQntuples(r)
                    ? apr_pstrdup(p, PQgetvalue(r, 0, 0)) : NULL;

    PQclear(r);
    return v;
}

/* Clients see none of the mapping: its directives are not listed, and
 * no applied directive's text is anywhere. */
static void test_introspection(apr_pool_t *p)
{
    out_t o = run(p, "{ __schema { directives { name args { name type {"
                  " name } } } types { name fields { name } } } }", NULL);

    ok(strstr(o.body, "\"directives\":[{\"name\":\"include\"") != NULL
       && strstr(o.body, "\"name\":\"oneOf\",\"args\":[]}]") != NULL,
       "__schema.directives: the specified ones only");
    ok(strstr(o.body, "sql") == NULL && strstr(o.body, "jwt") == NULL
       && strstr(o.body, "\"table\"") == NULL
       && strstr(o.body, "\"column\"") == NULL
       && strstr(o.body, "SELECT") == NULL,
       "no mapping directive, argument or query text");
    ok(o.statements == 0, "introspection runs no statement");
}

static void test_values(apr_pool_t *p)
{
    out_t o = run(p, "{ twice twins { v w } }", NULL);

    is_str(o.body, "{\"data\":{\"twice\":2,\"twins\":{\"v\":3,\"w\":2}}}",
           "a column name given twice: the last of that name, as a row "
           "object would have held it");
    o = run(p, "{ kinds { i b t f n s ts j jb arr } }", NULL);

    is_str(o.body, "{\"data\":{\"kinds\":{\"i\":2147483647,"
           "\"b\":1234567890123,\"t\":true,\"f\":0.1,\"n\":12.5,"
           "\"s\":\"h\xc3\xa9llo \\\"q\\\"\",\"ts\":\"2024-01-02T03:04:05"
           "+00:00\",\"j\":{\"a\":[1,2]},\"jb\":{\"b\":null},"
           "\"arr\":[1,2,null]}}}", "every column type, coerced");
    ok(o.statements == 1, "one statement");
    o = run(p, "{ count names(ids: [3, 1, 2]) parent(id: \"7\") { id name }"
            " none: parent(id: 999) { id } }", NULL);
    is_str(o.body, "{\"data\":{\"count\":40,\"names\":[\"p1\",\"p2\",\"p3\"],"
           "\"parent\":{\"id\":7,\"name\":\"p7\"},\"none\":null}}",
           "leaf, list of leaves, first row, no row, @column");
    o = run(p, "{ echo(s: \"it's \\\"q\\\" \\\\ x\", c: GREEN, f: 1.5,"
            " b: false, l: [\"a,b\", null, \"}{\\\"\"]) }", NULL);
    is_str(o.body, "{\"data\":{\"echo\":\"it's \\\"q\\\" \\\\ x|GREEN|1.5|"
           "f|{\\\"a,b\\\",NULL,\\\"}{\\\\\\\"\\\"}|NULL\"}}",
           "string, enum, float, boolean, list with NULL, null");
    o = run(p, "{ filtered(filter: {name: \"n\", inner: {min: 3}})"
            " f2: filtered(filter: {name: \"m\"}) f3: filtered }", NULL);
    is_str(o.body, "{\"data\":{\"filtered\":\"n:3\",\"f2\":\"m:none\","
           "\"f3\":null}}", "input object as jsonb, $a.b.c, NULL");
    o = run(p, "{ literal }", NULL);
    is_str(o.body, "{\"data\":{\"literal\":\"$a $b  $c \"}}",
           "no placeholders in literals, dollar quotes, comments, idents");
    o = run(p, "{ bigF bigId bigS bigJ bigL fitId digits }", NULL);
    is_str(o.body, "{\"data\":{\"bigF\":1.2345678901234569e+23,"
           "\"bigId\":\"1.2345678901234569e+23\",\"bigS\":"
           "\"-9223372036854776000\",\"bigJ\":9223372036854776000e0,"
           "\"bigL\":[1e+30,-100000000000000000000,7],\"fitId\":"
           "\"9007199254740993\",\"digits\":\"\\\"9999999999999999999999999"
           "\"}}", "numeric past int64: a double as JavaScript reads it");
    o = run(p, "{ bigI }", NULL);
    ok(strstr(o.body, "\"message\":\"Int cannot represent non 32-bit signed"
              " integer value: 1.2345678901234569e+23\"") != NULL,
       "numeric past int64 as Int: the 32-bit error");
    o = run(p, "{ echo(s: \"'; DROP TABLE gt_parent; --\") }", NULL);
    ok(strstr(o.body, "DROP TABLE gt_parent") != NULL
       && scalar(p, "SELECT count(*) FROM gt_parent") != NULL,
       "an injection attempt stays data");
}

/* The children of parent i as the seed made them, best first. */
static const char *children(apr_pool_t *p, int i, int take)
{
    int sc[5], id[5], n = i % 5, k, j, base = 0;
    const char *out = "[";

    for (j = 1; j < i; j++) {
        base += j % 5;
    }
    for (k = 0; k < n; k++) {
        sc[k] = (i * 7 + (k + 1) * 13) % 50;
        id[k] = base + k + 1;
    }
    for (k = 0; k < n && k < take; k++) {
        int best = k, t;

        for (j = k + 1; j < n; j++) {
            if (sc[j] > sc[best] || (sc[j] == sc[best] && id[j] < id[best])) {
                best = j;
            }
        }
        t = sc[k], sc[k] = sc[best], sc[best] = t;
        t = id[k], id[k] = id[best], id[best] = t;
        out = apr_psprintf(p, "%s%s{\"score\":%d}", out, k ? "," : "", sc[k]);
    }
    return apr_pstrcat(p, out, "]", NULL);
}

/* Two fields whose single forms are alike, $parent first in one and
 * second in the other: each has its own batch statement. */
static void test_alike(apr_pool_t *p)
{
    const char *want = "{\"data\":{\"parents\":[";
    out_t o;
    int i;

    for (i = 1; i <= 4; i++) {
        want = apr_psprintf(p, "%s%s{\"a\":%d,\"b\":%d}", want,
                            i > 1 ? "," : "", i * 10 + 7, 70 + i);
    }
    want = apr_pstrcat(p, want, "]}}", NULL);
    o = run(p, "{ parents(first: 4) { a(k: 7) b(k: 7) } }", NULL);
    is_str(o.body, want, "$parent first and second in alike statements: "
           "both right");
    ok(o.statements == 3, apr_psprintf(p, "3 statements (%d)",
                                       o.statements));
}

static void test_batch(apr_pool_t *p)
{
    const char *want = "{\"data\":{\"parents\":[";
    out_t o;
    int i;

    for (i = 1; i <= 40; i++) {
        want = apr_psprintf(p, "%s%s{\"id\":%d,\"children\":%s,"
                            "\"childCount\":%d}", want, i > 1 ? "," : "", i,
                            children(p, i, 2), i % 5);
    }
    want = apr_pstrcat(p, want, "]}}", NULL);
    o = run(p, "{ parents(first: 40) { id children(take: 2) { score }"
            " childCount } }", NULL);
    is_str(o.body, want, "40 parents: per-parent ORDER BY and LIMIT");
    ok(o.statements == 3, apr_psprintf(p, "3 statements, not one per parent "
                                       "(%d)", o.statements));
    o = run(p, "{ parents(first: 40) { best { parent { best { parent {"
            " id } } } } } }", NULL);
    ok(o.statements == 4 && strstr(o.body, "\"parent\":{\"id\":39}")
       && strstr(o.body, "{\"best\":null}"),
       apr_psprintf(p, "depth 5: 4 statements, the root joined with its "
                    "one SQL child (%d)", o.statements));
    o = run(p, "{ parent(id: 3) { scores } }", NULL);
    is_str(o.body, "{\"data\":{\"parent\":{\"scores\":[34,47,10]}}}",
           "a list of leaves per parent; one column used twice");
    test_alike(p);
}

static void test_errors(apr_pool_t *p)
{
    out_t o;

    logbuf[0] = '\0';
    o = run(p, "{ count broken }", NULL);
    ok(strstr(o.body, "\"message\":\"Internal server error.\"")
       && strstr(o.body, "\"code\":\"INTERNAL_SERVER_ERROR\"")
       && strstr(o.body, "\"path\":[\"broken\"]")
       && !strstr(o.body, "division") && !strstr(o.body, "SELECT"),
       "a failing statement: the generic error, no SQL, no driver text");
    ok(strstr(logbuf, "GQL00030: Query.broken: SQLSTATE 22012") != NULL,
       "the log gets the SQLSTATE and the driver's text");
    o = run(p, "{ missing count }", NULL);
    is_str(o.body, "{\"errors\":[{\"message\":\"Nothing here.\","
           "\"locations\":[{\"line\":1,\"column\":3}],\"path\":[\"missing\"],"
           "\"extensions\":{\"code\":\"NOT_FOUND\"}}],\"data\":{"
           "\"missing\":null,\"count\":40}}", "@sqlError when empty");
    o = run(p, "{ secret count }", NULL);
    ok(strstr(o.body, "\"code\":\"UNAUTHENTICATED\"")
       && o.statements == 1, "$viewer without a caller: UNAUTHENTICATED, "
       "no statement for it");
    o = run(p, "{ me }", NULL);
    ok(strcmp(o.body, "{\"data\":{\"me\":null}}") == 0 && o.statements == 0,
       "optionalViewer: null and no SQL");
    o = run(p, "{ me secret }", gql_json_own(p, json_tokener_parse(
            "{\"sub\":\"u1\"}")));
    is_str(o.body, "{\"data\":{\"me\":\"u1\",\"secret\":\"xu1\"}}",
           "$viewer.sub with a caller");
    o = run(p, "{ tx }", NULL);
    is_str(o.body, "{\"data\":{\"tx\":[\"read committed\",\"on\"]}}",
           "a query's lone statement runs read-only, in its pipeline's "
           "transaction (one statement, one snapshot)");
    o = run(p, "{ count tx }", NULL);
    ok(strstr(o.body, "\"tx\":[\"repeatable read\",\"on\"]") != NULL,
       "a query of several statements runs read-only in repeatable read");
    logbuf[0] = '\0';
    o = run(p, "{ sneak }", NULL);
    ok(strstr(o.body, "\"sneak\":null") && strstr(logbuf, "25006"),
       "a query's lone statement cannot write, not even through a function "
       "(25006)");
    is_str(scalar(p, "SELECT count(*) FROM gt_parent WHERE id = 990"), "0",
           "nothing was written");
    o = run(p, "{ add: tx }", NULL);
    ok(strstr(o.body, "\"add\":[\"read committed\",\"on\"]") != NULL
       && PQtransactionStatus(conn) == PQTRANS_IDLE,
       "and the next request's lone statement is read-only again");
    timeout_ms = 100;
    logbuf[0] = '\0';
    o = run(p, "{ slow }", NULL);
    timeout_ms = 5000;
    ok(strstr(o.body, "INTERNAL_SERVER_ERROR")
       && strstr(logbuf, "57014"), "statement timeout");
    o = run(p, "{ parent(id: 2) { token } }", NULL);
    ok(strstr(o.body, "\"token\":\"eyJ") != NULL, "@jwt gives a token");
}

/* A list nested n deep around 1, as GraphQL or JSON text. */
static const char *nested(apr_pool_t *p, int n)
{
    char *s = apr_palloc(p, 2 * n + 2);

    memset(s, '[', n);
    s[n] = '1';
    memset(s + n + 1, ']', n);
    s[2 * n + 1] = '\0';
    return s;
}

static const char *braces(apr_pool_t *p, char c, int n)
{
    char *s = apr_palloc(p, n + 1);

    memset(s, c, n);
    s[n] = '\0';
    return s;
}

/* Arrays as parameters: bounded nesting, array columns of parents. */
static void test_arrays(apr_pool_t *p)
{
    const char *want;
    out_t o;

    /* A parent's text with what an array literal quotes: the batch binds
     * it back whole (scores reads only where label_of($parent.label)
     * equals it). */
    PQclear(PQexec(conn, "INSERT INTO gt_parent VALUES (41, 'q\"b\\\\s,{x} "
                   "NULL\"\\\\');"
                   "INSERT INTO gt_child (parent_id, score) VALUES (41, 7),"
                   " (41, 8)"));
    o = run(p, "{ parents(first: 41) { id name scores @include(if: true) } }",
            NULL);
    ok(strstr(o.body, "NULL\\\"\\\\\\\\\",\"scores\":[7,8]}]}}") != NULL
       && o.statements == 2, "a parent's text with quotes, backslashes, "
       "braces and commas, bound in a batch's array");
    PQclear(PQexec(conn, "DELETE FROM gt_child WHERE parent_id = 41;"
                   "DELETE FROM gt_parent WHERE id = 41"));

    o = run(p, "{ tagged { id big(min: 1) cells } }", NULL);
    is_str(o.body, "{\"data\":{\"tagged\":[{\"id\":1,\"big\":[3,2],"
           "\"cells\":4},{\"id\":2,\"big\":[],\"cells\":null},"
           "{\"id\":3,\"big\":[],\"cells\":0},{\"id\":4,\"big\":[9,5],"
           "\"cells\":1}]}}", "$parent.col of array types, one and two "
           "dimensions, NULL and empty");
    ok(o.statements == 3, apr_psprintf(p, "3 statements (%d)",
                                       o.statements));
    o = run(p, apr_psprintf(p, "{ raw(v: %s) }", nested(p, 32)), NULL);
    want = apr_pstrcat(p, "{\"data\":{\"raw\":\"", braces(p, '{', 32),
                       "\\\"1\\\"", braces(p, '}', 32), "\"}}", NULL);
    is_str(o.body, want, "a custom scalar's list 32 deep is an array "
           "literal");
    o = run(p, apr_psprintf(p, "{ raw(v: %s) count }", nested(p, 33)),
            NULL);
    ok(strstr(o.body, "\"message\":\"The value of $v is nested too deeply:"
              " lists nest at most 32 levels.\"")
       && strstr(o.body, "BAD_USER_INPUT")
       && strstr(o.body, "\"raw\":null,\"count\":40")
       && o.statements == 1, "33 deep: a field error, no statement for it");
    o = run(p, apr_psprintf(p, "{ raw(v: %s) }", nested(p, 900)), NULL);
    ok(strstr(o.body, "nested too deeply") != NULL,
       "900 deep: a field error, not a stack overflow");
    logbuf[0] = '\0';
    o = run(p, "{ tagged(min: 4) { token } }", NULL);
    ok(strstr(o.body, "INTERNAL_SERVER_ERROR")
       && strstr(o.body, "\"path\":[\"tagged\",0,\"token\"]")
       && strstr(logbuf, "GQL00037: Tagged.token: the @jwt subject is not"),
       "an @jwt subject that is a list: a field error, logged");
}

static int occurrences(const char *s, const char *what);

/* GraphQLMaxResultSize: the budget of JSON text per request. */
static void test_budget(apr_pool_t *p)
{
    const char *q = "{ parents(first: 40) { id best { score } childCount"
                    " } }";
    out_t o = run(p, q, NULL);

    ok(strstr(o.body, "errors") == NULL && o.statements == 3,
       "without a budget: everything");
    max_result = 700;
    logbuf[0] = '\0';
    o = run(p, q, NULL);
    max_result = 0;
    ok(strstr(o.body, "{\"id\":40,\"best\":null,\"childCount\":null}")
       && occurrences(o.body, "\"code\":\"RESULT_TOO_LARGE\"") == 80
       && strstr(o.body, "\"message\":\"The result is too large: a request"
                 " may read at most 700 bytes from the database.\""),
       "past the budget: the field fails for every parent, and so does "
       "the next");
    ok(o.statements == 2, apr_psprintf(p, "no statement after the budget "
                                       "(%d)", o.statements));
    ok(strstr(logbuf, "GQL00038: Parent.best: the request's results "
              "passed GraphQLMaxResultSize (700 bytes)") != NULL,
       "logged once");
    max_result = 1024 * 1024;
    o = run(p, q, NULL);
    max_result = 0;
    ok(strstr(o.body, "errors") == NULL, "a budget the result fits in");
    max_result = 10;
    o = run(p, "mutation { add(id: 300, name: \"p300\") { id } }", NULL);
    max_result = 0;
    ok(strstr(o.body, "RESULT_TOO_LARGE") && strstr(o.body, "\"data\":null"),
       "a mutation past the budget: data null");
    is_str(scalar(p, "SELECT count(*) FROM gt_parent WHERE id = 300"), "0",
           "and rolled back");
    o = run(p, "{ count }", NULL);
    is_str(o.body, apr_pstrcat(p, "{\"data\":{\"count\":", scalar(p,
           "SELECT count(*) FROM gt_parent"), "}}", NULL),
           "the next request runs");
}

static int clean(void);

/* AddressSanitizer keeps what is freed in its quarantine, where no later
 * allocation reuses it, so that the resident set grows by everything
 * freed since: drained before the peak is measured, so that the peak is
 * what a statement holds at once (its interface header does not come
 * with GCC 12, its function does). */
#ifdef __SANITIZE_ADDRESS__
void __sanitizer_purge_allocator(void);
#define drain() __sanitizer_purge_allocator()
#else
#define drain() ((void)0)
#endif

/* The peak resident set starts again from the current one (Linux 4.0
 * and later). */
static void reset_peak(void)
{
    FILE *f;

    drain();
    f = fopen("/proc/self/clear_refs", "w");

    if (f != NULL) {
        fputs("5", f);
        fclose(f);
    }
}

/* A cut statement's bounds: over within 20 s, the connection clean, and
 * the peak memory since before within 64 MB. */
static void cut_bounds(apr_pool_t *p, const char *how, apr_time_t t0,
                       long before)
{
    long after = peak_kb();

    ok(apr_time_now() - t0 < apr_time_from_sec(20) && clean(),
       apr_psprintf(p, "%s: cancelled, and the connection clean (%d ms)",
                    how, (int)apr_time_as_msec(apr_time_now() - t0)));
    ok(before == 0 || after - before < 64 * 1024,
       apr_psprintf(p, "%s: memory grew by %ld kB at its peak", how,
                    after - before));
}

/* A statement far past the budget (10 GB of rows) is cut while it runs,
 * whichever way its rows are read: over TCP whole, watched by the guard
 * on what libpq takes off the socket; over a Unix socket one row at a
 * time.  Either way libpq never holds much past the budget. */
static void flood(apr_pool_t *p, const char *how)
{
    apr_time_t t0 = apr_time_now();
    long before;
    out_t o;

    reset_peak();
    before = peak_kb();
    max_result = 100000;
    logbuf[0] = '\0';
    o = run(p, "{ flood }", NULL);
    max_result = 0;
    if (!ok(strstr(o.body, "\"data\":null") != NULL
            && strstr(o.body, "\"code\":\"RESULT_TOO_LARGE\"") != NULL,
            apr_psprintf(p, "%s: past the budget", how))) {
        diag("%s", o.body);
    }
    ok(strstr(logbuf, "GQL00038: Query.flood: the request's results passed"
              " GraphQLMaxResultSize (100000 bytes)") != NULL,
       apr_psprintf(p, "%s: logged", how));
    cut_bounds(p, how, t0, before);
}

/* The same, in a statement joined with its parent's: the two fields run
 * apart then, and the child's says it passed the budget, as apart. */
static void flood_joined(apr_pool_t *p, const char *how)
{
    apr_time_t t0 = apr_time_now();
    long before;
    out_t a, b;

    reset_peak();
    before = peak_kb();
    max_result = 100000;
    a = run(p, "{ parent(id: 4) { id flood } }", NULL);
    drain();
    b = run(p, "{ parent(id: 4) { id flood @include(if: true) } }", NULL);
    max_result = 0;
    ok(strstr(a.body, "\"data\":{\"parent\":{\"id\":4,\"flood\":null}}")
       && strstr(a.body, "\"path\":[\"parent\",\"flood\"],\"extensions\":"
                 "{\"code\":\"RESULT_TOO_LARGE\"}"),
       apr_psprintf(p, "%s, joined: the child's field is past the budget",
                    how));
    is_str(a.body, b.body, apr_psprintf(p, "%s, joined: as apart", how));
    cut_bounds(p, apr_pstrcat(p, how, ", joined", NULL), t0, before);
}

static void test_guard(apr_pool_t *p)
{
    apr_uint64_t n0 = 0, n1 = 0;
    PGconn *tcp = conn, *local;
    apr_pool_t *tcp_pool = conn_pool, *rp;
    out_t a, b;
    int i;

    ok(gql_sql_conn_taken(conn, &n0), "over TCP the kernel counts what "
       "libpq reads");
    PQclear(PQexec(conn, "SELECT repeat('x', 200000)"));
    i = gql_sql_conn_taken(conn, &n1);
    ok(i && n1 - n0 >= 200000 && n1 - n0 < 210000, apr_psprintf(p, "and "
       "the count grows by what a result sent (%lu)",
       (unsigned long)(n1 - n0)));
    flood(p, "TCP");
    flood_joined(p, "TCP");
    a = run(p, "{ parents(first: 40) { id best { score } scores } }", NULL);
    local = getenv("GQL_PG_SOCKET_DIR")
            ? PQconnectdb(apr_pstrcat(p, "host=", getenv("GQL_PG_SOCKET_DIR"),
                                      NULL))
            : NULL;
    if (!ok(local && PQstatus(local) == CONNECTION_OK, "a Unix socket "
            "connection (t/bin/with-pg's GQL_PG_SOCKET_DIR)")) {
        diag("%s", local ? PQerrorMessage(local) : "no GQL_PG_SOCKET_DIR");
        PQfinish(local);
        return;
    }
    conn = local;                       /* with a pool of its own, as */
    apr_pool_create(&conn_pool, p);     /* mod_dbd gives each, and its */
    apr_pool_create(&rp, p);            /* requests', which end first */
    ok(!gql_sql_conn_taken(conn, &n0), "where the kernel does not count");
    flood(rp, "Unix socket");
    flood_joined(rp, "Unix socket");
    b = run(rp, "{ parents(first: 40) { id best { score } scores } }", NULL);
    is_str(b.body, a.body, "rows read one at a time answer as rows read "
           "whole");
    apr_pool_destroy(rp);
    conn = tcp;
    apr_pool_destroy(conn_pool);
    conn_pool = tcp_pool;
    PQfinish(local);
}

static int occurrences(const char *s, const char *what)
{
    int n = 0;

    while ((s = strstr(s, what)) != NULL) {
        n++;
        s++;
    }
    return n;
}

/* The connection as the pool gets it back: no transaction, no
 * pipeline, nothing in flight. */
static int clean(void)
{
    return PQtransactionStatus(conn) == PQTRANS_IDLE
           && PQpipelineStatus(conn) == PQ_PIPELINE_OFF
           && !PQisBusy(conn);
}

/* A mutation that fails with code: data null, none of the rows of ids
 * there, the connection clean. */
static void rolled_back(apr_pool_t *p, const char *mutation,
                        const char *code, const char *ids)
{
    out_t o = run(p, mutation, NULL);

    ok(strstr(o.body, code) && strstr(o.body, "\"data\":null"),
       apr_psprintf(p, "a mutation that fails with %s: data null", code));
    is_str(scalar(p, apr_psprintf(p, "SELECT count(*) FROM gt_parent WHERE "
                                  "id IN (%s)", ids)), "0",
           "and rolled back");
    ok(clean(), "the connection is clean");
}

/* GraphQLRequestTimeout: the statement running at the deadline is
 * cancelled, no statement is sent after it. */
static void test_deadline(apr_pool_t *p)
{
    const char *n = scalar(p, "SELECT count(*) FROM gt_parent");
    apr_time_t t0 = apr_time_now();
    apr_interval_time_t took;
    out_t o;

    deadline_ms = 300;
    logbuf[0] = '\0';
    o = run(p, "{ a: count slow b: count }", NULL);
    took = apr_time_now() - t0;
    deadline_ms = 0;
    ok(strstr(o.body, apr_psprintf(p, "\"data\":{\"a\":%s,\"slow\":null,"
                                   "\"b\":null}", n))
       && occurrences(o.body, "\"code\":\"REQUEST_TIMEOUT\"") == 2,
       "the field running at the deadline and the later one time out, the "
       "earlier one has its data");
    ok(strstr(o.body, "\"message\":\"The request took longer than its "
              "limit of 300 ms (GraphQLRequestTimeout).\"") != NULL,
       "the message names the limit");
    ok(took < apr_time_from_msec(800), apr_psprintf(p, "the statement was "
       "cancelled: %" APR_TIME_T_FMT " ms", apr_time_as_msec(took)));
    ok(o.statements == 2, apr_psprintf(p, "no statement after the deadline"
                                       " (%d)", o.statements));
    ok(o.waited >= apr_time_from_msec(250) && o.waited <= took,
       apr_psprintf(p, "the wait for the database is counted: %"
                    APR_TIME_T_FMT " ms", apr_time_as_msec(o.waited)));
    ok(occurrences(logbuf, "GQL00050: Query.slow: the request passed "
                   "GraphQLRequestTimeout (300 ms): its statement was "
                   "cancelled") == 1 && occurrences(logbuf, "GQL") == 1,
       "one log line");
    ok(clean(), "the connection is clean");
    o = run(p, "{ count }", NULL);
    is_str(o.body, apr_psprintf(p, "{\"data\":{\"count\":%s}}", n),
           "and the next request runs on it");

    deadline_ms = -1;
    o = run(p, "{ count }", NULL);
    deadline_ms = 0;
    ok(strstr(o.body, "REQUEST_TIMEOUT") && o.statements == 0,
       "past the deadline already: no statement");

    deadline_ms = 300;
    o = run(p, "{ parents(first: 3) { id childCount nap } }", NULL);
    deadline_ms = 0;
    ok(strstr(o.body, "{\"id\":3,\"childCount\":null,\"nap\":null}")
       && occurrences(o.body, "REQUEST_TIMEOUT") == 6 && o.statements == 3,
       apr_psprintf(p, "siblings in one pipeline (whose rows come at its "
                    "end) time out together (%d statements)",
                    o.statements));
    ok(clean(), "the connection is clean");

    deadline_ms = 300;
    o = run(p, "{ parent(id: 2) { id nap } }", NULL);
    deadline_ms = 0;
    ok(strstr(o.body, "\"data\":{\"parent\":null}")
       && occurrences(o.body, "REQUEST_TIMEOUT") == 1 && o.statements == 1,
       "a joined statement times out");
    ok(clean(), "the connection is clean");

    deadline_ms = 300;
    rolled_back(p, "mutation { add(id: 401, name: \"p401\") { id }"
                " slowAdd(id: 402) { id } }", "REQUEST_TIMEOUT", "401, 402");
    deadline_ms = 0;
}

/* GraphQLMaxStatements: the statement past it is not sent. */
static void test_statements(apr_pool_t *p)
{
    const char *q = "{ a: count b: count c: count }";
    const char *n = scalar(p, "SELECT count(*) FROM gt_parent");
    out_t o;

    max_statements = 3;
    o = run(p, q, NULL);
    ok(strstr(o.body, "errors") == NULL && o.statements == 3,
       "at the limit: everything");
    max_statements = 2;
    logbuf[0] = '\0';
    o = run(p, q, NULL);
    ok(strstr(o.body, apr_psprintf(p, "\"data\":{\"a\":%s,\"b\":%s,"
                                   "\"c\":null}", n, n))
       && strstr(o.body, "\"path\":[\"c\"],\"extensions\":{\"code\":"
                 "\"STATEMENT_LIMIT_EXCEEDED\"}")
       && strstr(o.body, "\"message\":\"The request needs more SQL "
                 "statements than its limit of 2 (GraphQLMaxStatements).\""),
       "past it: the field fails with the limit in its message");
    ok(o.statements == 2 && occurrences(logbuf, "GQL00051: Query.count: the "
       "request reached GraphQLMaxStatements (2)") == 1,
       "the statement past it is not sent; logged once");
    o = run(p, "{ parents(first: 3) { id childCount best { score } scores }"
            " }", NULL);
    ok(o.statements == 2 && strstr(o.body, "{\"id\":3,\"childCount\":3,"
       "\"best\":null,\"scores\":null}")
       && occurrences(o.body, "STATEMENT_LIMIT_EXCEEDED") == 6,
       apr_psprintf(p, "siblings: none in the pipeline past the limit (%d "
                    "statements)", o.statements));
    max_statements = 1;
    o = run(p, "{ parent(id: 4) { childCount } }", NULL);
    is_str(o.body, "{\"data\":{\"parent\":{\"childCount\":4}}}",
           "a joined statement counts once");
    rolled_back(p, "mutation { a: add(id: 403, name: \"p403\") { id }"
                " b: add(id: 404, name: \"p404\") { id } }",
                "STATEMENT_LIMIT_EXCEEDED", "403, 404");
    max_statements = 0;
}

/* A failing statement of a query fails its own field only. */
static void test_savepoint(apr_pool_t *p)
{
    const char *want = "\"data\":{\"parents\":[";
    out_t o;
    int i;

    o = run(p, "{ broken count }", NULL);
    is_str(o.body, "{\"errors\":[{\"message\":\"Internal server error.\","
           "\"locations\":[{\"line\":1,\"column\":3}],\"path\":[\"broken\"],"
           "\"extensions\":{\"code\":\"INTERNAL_SERVER_ERROR\"}}],\"data\":{"
           "\"broken\":null,\"count\":40}}",
           "a failing first field: null with its error, the second has data");
    ok(o.statements == 2, apr_psprintf(p, "2 statements, savepoints not "
                                       "counted (%d)", o.statements));
    timeout_ms = 100;
    logbuf[0] = '\0';
    o = run(p, "{ slow count }", NULL);
    timeout_ms = 5000;
    ok(strstr(o.body, "\"data\":{\"slow\":null,\"count\":40}")
       && strstr(logbuf, "57014") && o.statements == 2,
       "a statement timeout fails its field only");
    PQclear(PQexec(conn, "DEALLOCATE ALL"));
    o = run(p, "{ a: cast(s: \"x\") b: cast(s: \"7\") }", NULL);
    ok(strstr(o.body, "\"data\":{\"a\":null,\"b\":7}") != NULL,
       "a statement prepared in a rolled-back savepoint runs again");
    o = run(p, "{ cast(s: \"8\") }", NULL);
    is_str(o.body, "{\"data\":{\"cast\":8}}", "and in the next request");
    for (i = 1; i <= 5; i++) {
        want = apr_psprintf(p, "%s%s{\"id\":%d,\"ratio\":null,\"children\":"
                            "[%s]}", want, i > 1 ? "," : "", i, i % 5
                            ? apr_psprintf(p, "{\"parent\":{\"id\":%d}}", i)
                            : "");
    }
    want = apr_pstrcat(p, want, "]}}", NULL);
    o = run(p, "{ parents(first: 5) { id ratio children(take: 1) {"
            " parent { id } } } }", NULL);
    ok(strstr(o.body, want) && occurrences(o.body, "INTERNAL_SERVER") == 5,
       "nested: a failing batch is null with an error for each parent, the "
       "next levels resolve");
    ok(o.statements == 4, apr_psprintf(p, "4 statements (%d)",
                                       o.statements));
    after_field = "count";
    other_sql = "INSERT INTO gt_parent VALUES (200, 'p200')";
    o = run(p, "{ a: count broken b: count }", NULL);
    is_str(strstr(o.body, "\"data\""), "\"data\":{\"a\":40,\"broken\":null,"
           "\"b\":40}}", "one snapshot across a rolled-back savepoint");
    is_str(scalar(p, "SELECT count(*) FROM gt_parent"), "41",
           "while another connection committed a row between them");
    PQclear(PQexec(conn, "DELETE FROM gt_parent WHERE id = 200"));
}

static void test_mutation(apr_pool_t *p)
{
    out_t o;

    o = run(p, "mutation { a: add(id: 100, name: \"new\") { id }"
            " b: add(id: 101, name: \"new\") { id } }", NULL);
    ok(strstr(o.body, "\"message\":\"Name taken.\"")
       && strstr(o.body, "\"code\":\"CONFLICT\"")
       && strstr(o.body, "\"data\":null"),
       "a failing second field: its @sqlError, data null");
    is_str(scalar(p, "SELECT count(*) FROM gt_parent WHERE id = 100"), "0",
           "and the first field's row is rolled back");
    o = run(p, "mutation { add(id: 1, name: \"other\") { id } }", NULL);
    ok(strstr(o.body, "\"code\":\"DUPLICATE\"") != NULL,
       "@sqlError by SQLSTATE");
    o = run(p, "mutation { add(id: 100, name: \"new\") { id name } }", NULL);
    is_str(o.body, "{\"data\":{\"add\":{\"id\":100,\"name\":\"new\"}}}",
           "INSERT ... RETURNING");
    is_str(scalar(p, "SELECT name FROM gt_parent WHERE id = 100"), "new",
           "and it is committed");
}

/* The last statement of a query carries its COMMIT: the transaction has
 * ended when that field returns; earlier ones run inside it. */
static void test_last(apr_pool_t *p)
{
    out_t o;

    txlog[0] = '\0';
    o = run(p, "{ count }", NULL);
    is_str(txlog, "count:idle ", "one SQL field: its COMMIT went with it");
    ok(strstr(o.body, "{\"data\":{\"count\":") == o.body, "with its data");
    txlog[0] = '\0';
    run(p, "{ a: count b: count }", NULL);
    is_str(txlog, "count:in count:idle ", "two: the second is the last");
    txlog[0] = '\0';
    run(p, "{ a: count b: count @skip(if: true) }", NULL);
    is_str(txlog, "count:in ", "a skipped field is not weighed: COMMIT at the "
           "end");
    ok(PQtransactionStatus(conn) == PQTRANS_IDLE, "and then committed");
    txlog[0] = '\0';
    run(p, "{ parent(id: 4) { id childCount @include(if: true) } }", NULL);
    is_str(txlog, "parent:in childCount:idle ", "nested: the deeper level "
           "is the last");
    txlog[0] = '\0';
    o = run(p, "{ count broken }", NULL);
    ok(strstr(o.body, "\"broken\":null}}") && strstr(o.body, "\"path\":"
              "[\"broken\"]") && !strstr(o.body, "\"count\":null"),
       "a failing last statement: its field fails alone");
    ok(PQtransactionStatus(conn) == PQTRANS_IDLE, "and nothing is left "
       "open");
    o = run(p, "mutation { a: add(id: 150, name: \"p150\") { id } }", NULL);
    ok(strstr(o.body, "\"id\":150") != NULL
       && PQtransactionStatus(conn) == PQTRANS_IDLE, "a mutation commits at "
       "the end, as before");
    PQclear(PQexec(conn, "DELETE FROM gt_parent WHERE id = 150"));
}

/* A root field whose selection has one SQL field (no arguments, its
 * parent's columns only): one statement for both levels, and the same
 * answer as the two statements apart (a directive on the child keeps it
 * apart). */
static void test_joined(apr_pool_t *p)
{
    static const char *const shapes[][2] = {
        { "{ parent(id: 4) { id childCount } }",
          "{ parent(id: 4) { id childCount @include(if: true) } }" },
        { "{ parents(first: 12) { id scores name } }",
          "{ parents(first: 12) { id scores @include(if: true) name } }" },
        { "{ parents(first: 6) { label best { id score } } }",
          "{ parents(first: 6) { label best @include(if: true) { id score }"
          " } }" },
        { "{ parents(first: 6) { ...F } } fragment F on Parent { id scores }",
          "{ parents(first: 6) { ...F } } fragment F on Parent { id scores"
          " @include(if: true) }" },
        { "{ parents(first: 5) { id ratio } }",
          "{ parents(first: 5) { id ratio @include(if: true) } }" },
        { "{ parent(id: 999) { id scores } }",
          "{ parent(id: 999) { id scores @include(if: true) } }" },
    };
    static const int joined[] = { 1, 1, 1, 1, 2, 1 };
    static const int apart[] = { 2, 2, 2, 2, 2, 1 };
    apr_size_t i;

    for (i = 0; i < sizeof(shapes) / sizeof(shapes[0]); i++) {
        out_t a, b;

        txlog[0] = '\0';
        a = run(p, shapes[i][0], NULL);
        b = run(p, shapes[i][1], NULL);
        is_str(a.body, b.body, apr_psprintf(p, "joined, as apart: %s",
                                            shapes[i][0]));
        ok(a.statements == joined[i] && b.statements == apart[i],
           apr_psprintf(p, "%d statement(s) joined, %d apart (%d, %d)",
                        joined[i], apart[i], a.statements, b.statements));
    }
    ok(PQtransactionStatus(conn) == PQTRANS_IDLE, "nothing left open");
}

/* The joined rows carry back only the columns the field's own fields
 * read: a column that only the child's $parent reads stays inside the
 * statement. */
static void test_joined_columns(apr_pool_t *p)
{
    static const struct {
        const char *doc;
        const char *cols;
    } cases[] = {
        { "{ parent(id: 4) { childCount } }", "3" },
        { "{ parent(id: 4) { id childCount } }", "4" },
        { "{ parent(id: 4) { name childCount } }", "4" },
    };
    apr_size_t i;

    for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        out_t a, b;
        PGresult *r, *d;

        /* This run's statement the only one: the first request after
         * DEALLOCATE ALL finds the connection's record stale, and runs
         * again on a fresh one. */
        PQclear(PQexec(conn, "DEALLOCATE ALL"));
        run(p, "{ count }", NULL);
        a = run(p, cases[i].doc, NULL);
        r = PQexec(conn, "SELECT name FROM pg_prepared_statements WHERE "
                   "name LIKE 'gql_j%'");
        d = PQntuples(r) == 1 ? PQdescribePrepared(conn, PQgetvalue(r, 0, 0))
                         : NULL;
        is_str(d ? apr_itoa(p, PQnfields(d)) : "none", cases[i].cols,
               apr_psprintf(p, "%s: the joined statement's columns (order, "
                            "the field's own, marker, child)",
                            cases[i].doc));
        PQclear(d);
        PQclear(r);
        b = run(p, apr_psprintf(p, "%.*s @include(if: true) } }",
                                (int)strlen(cases[i].doc) - 4,
                                cases[i].doc), NULL);
        ok(a.statements == 1 && b.statements == 2,
           apr_psprintf(p, "joined (%d), and apart (%d)", a.statements,
                        b.statements));
        is_str(a.body, b.body, "with the answer of the two apart");
    }
}

/* Sibling SQL fields of the same parents share one pipeline: the later
 * ones' rows wait for their batches.  Their answers are those of the
 * statements apart (the expected text is built as test_batch builds
 * it); a failing sibling fails its own field only, whichever comes
 * first. */
static void test_siblings(apr_pool_t *p)
{
    const char *want = "{\"data\":{\"parents\":[", *want2;
    out_t o;
    int i;

    for (i = 1; i <= 40; i++) {
        want = apr_psprintf(p, "%s%s{\"id\":%d,\"childCount\":%d,"
                            "\"children\":%s}", want, i > 1 ? "," : "", i,
                            i % 5, children(p, i, 3));
    }
    want = apr_pstrcat(p, want, "]}}", NULL);
    txlog[0] = '\0';
    o = run(p, "{ parents(first: 40) { id childCount children(take: 3) {"
            " score } } }", NULL);
    is_str(o.body, want, "two siblings in one pipeline: each its own rows");
    ok(o.statements == 3, apr_psprintf(p, "three statements (%d)",
                                       o.statements));
    is_str(txlog, "parents:in childCount:idle ", "the siblings' pipeline "
           "carries the COMMIT: nothing runs after it");
    o = run(p, "{ parents(first: 5) { id children(take: 1) { id } ratio } }",
            NULL);
    want2 = strstr(o.body, "\"data\"");
    ok(want2 && occurrences(o.body, "INTERNAL_SERVER") == 5
       && occurrences(want2, "\"ratio\":null") == 5
       && occurrences(want2, "\"children\":[") == 5
       && strstr(want2, "{\"id\":5,\"children\":[],\"ratio\":null}"),
       "a failing later sibling: its field fails for every parent, the "
       "earlier one has its rows");
    ok(o.statements == 3, apr_psprintf(p, "its failure reported from the "
                                       "pipeline, not run again (%d)",
                                       o.statements));
    o = run(p, "mutation { add(id: 160, name: \"p160\") { id best { id }"
            " childCount scores } }", NULL);
    is_str(o.body, "{\"data\":{\"add\":{\"id\":160,\"best\":null,"
           "\"childCount\":0,\"scores\":[]}}}", "a mutation's result: its "
           "siblings in one pipeline");
    ok(o.statements == 4, apr_psprintf(p, "four statements (%d)",
                                       o.statements));
    is_str(scalar(p, "SELECT count(*) FROM gt_parent WHERE id = 160"), "1",
           "and it is committed");
    PQclear(PQexec(conn, "DELETE FROM gt_parent WHERE id = 160"));
    logbuf[0] = '\0';
    o = run(p, "mutation { touch(id: 3) { id childCount ratio } }", NULL);
    ok(strstr(o.body, "\"path\":[\"touch\",\"ratio\"]")
       && strstr(o.body, "\"data\":null") && strstr(logbuf, "22012"),
       "a mutation's failing sibling: its own error (division by zero in "
       "the log), and data null");
    ok(PQtransactionStatus(conn) == PQTRANS_IDLE, "nothing left open");
}

static void test_backend(apr_pool_t *p)
{
    out_t o;

    PQclear(PQexec(conn, "DEALLOCATE ALL"));
    o = run(p, "{ parent(id: 4) { childCount } }", NULL);
    is_str(o.body, "{\"data\":{\"parent\":{\"childCount\":4}}}",
           "after DEALLOCATE ALL the statements are prepared again");
    PQclear(PQexec(conn, "SELECT pg_terminate_backend(pg_backend_pid())"));
    logbuf[0] = '\0';
    o = run(p, "{ parent(id: 4) { childCount } }", NULL);
    is_str(o.body, "{\"data\":{\"parent\":{\"childCount\":4}}}",
           "a connection the server closed: reconnected, prepared again");
    ok(strstr(logbuf, "GQL00003: a pooled connection was closed by the "
              "server: reconnecting") != NULL, "and the reconnect logged");
    down = 1;
    o = run(p, "{ count }", NULL);
    down = 0;
    ok(o.status == 503 && strstr(o.body, "DATABASE_UNAVAILABLE"),
       "no connection: DATABASE_UNAVAILABLE and 503");
    o = run(p, "{ __typename }", NULL);
    ok(o.status == 0 && o.statements == 0, "no SQL field: no database work");
}

/* ---- the caller in the database ------------------------------------ */

static const char caller_sdl[] =
    "schema @claims(names: [\"tenant\", \"app.tenant\"]) {\n"
    "  query: Query mutation: Mutation\n"
    "}\n"
    "type Query {\n"
    "  claims: String @sql(query: \"SELECT current_setting("
    "'request.jwt.claims', true)\")\n"
    "  who: String @sql(query: \"SELECT current_user::text\")\n"
    "  tenants: String @sql(query: \"SELECT concat_ws('/', $viewer.tenant"
    "::text, $viewer.app.tenant::text)\", optionalViewer: true)\n"
    "}\n"
    "type Mutation {\n"
    "  who: String @sql(query: \"INSERT INTO gt_who SELECT current_user"
    " RETURNING who\")\n"
    "}\n";

static const char caller_setup[] =
    "CREATE TABLE IF NOT EXISTS gt_who (who text);"
    "GRANT INSERT, SELECT ON gt_who TO PUBLIC;"
    "DO $$ BEGIN"
    "  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'gt_reader')"
    "  THEN CREATE ROLE gt_reader NOLOGIN; END IF;"
    "  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'gt_stranger')"
    "  THEN CREATE ROLE gt_stranger NOLOGIN; END IF;"
    "END $$;"
    "GRANT gt_reader TO CURRENT_USER;";

/* The claims and the role, for the transaction only: the next request on
 * the same connection sees none of them. */
static void test_caller(apr_pool_t *p)
{
    gql_schema_t *saved = schema;
    gql_sql_mapping_t *saved_maps = maps;
    json_object *claims = gql_json_own(p, json_tokener_parse(
        "{\"sub\":\"u1\",\"tenant\":\"t9\",\"app\":{\"tenant\":7}}"));
    const char *user = scalar(p, "SELECT current_user::text");
    PGresult *r = PQexec(conn, caller_setup);
    out_t o;

    setup_ok(PQresultStatus(r) == PGRES_COMMAND_OK, "roles made");
    PQclear(r);
    if (!setup_ok(*compile(p, "t", caller_sdl, &schema, &maps) == '\0',
                  "the caller's schema compiles")) {
        schema = saved;
        maps = saved_maps;
        return;
    }
    o = run(p, "{ claims who tenants }", NULL);
    is_str(o.body, apr_pstrcat(p, "{\"data\":{\"claims\":\"{}\",\"who\":\"",
           user, "\",\"tenants\":null}}", NULL),
           "no caller: the claims are {}, the connecting user runs");
    ok(o.statements == 2, "the setting is not counted as a statement");
    o = run(p, "{ claims tenants }", claims);
    is_str(o.body, "{\"data\":{\"claims\":\"{\\\"sub\\\":\\\"u1\\\",\\\""
           "tenant\\\":\\\"t9\\\",\\\"app\\\":{\\\"tenant\\\":7}}\","
           "\"tenants\":\"t9/7\"}}",
           "a caller: request.jwt.claims is its claims; $viewer.app.tenant");
    role = "gt_reader";
    o = run(p, "{ who }", claims);
    is_str(o.body, "{\"data\":{\"who\":\"gt_reader\"}}", "a role: it runs");
    o = run(p, "mutation { who }", claims);
    is_str(o.body, "{\"data\":{\"who\":\"gt_reader\"}}",
           "a role: a mutation runs as it too");
    role = NULL;
    o = run(p, "{ claims who }", NULL);
    is_str(o.body, apr_pstrcat(p, "{\"data\":{\"claims\":\"{}\",\"who\":\"",
           user, "\"}}", NULL),
           "the next request on the connection: neither claims nor role");
    is_str(scalar(p, "SELECT current_user::text || ' ' || coalesce("
                  "current_setting('request.jwt.claims', true), 'unset')"),
           apr_pstrcat(p, user, " ", NULL), "nor does the session");
    role = "gt_stranger";
    logbuf[0] = '\0';
    o = run(p, "{ who claims }", claims);
    ok(strstr(o.body, "\"code\":\"FORBIDDEN\"") && strstr(o.body,
       "\"who\":null,\"claims\":null") && !strstr(o.body, "gt_stranger"),
       "a role the connecting user cannot take: FORBIDDEN, every field");
    ok(strstr(logbuf, "GQL00044: setting the caller's claims and role "
              "gt_stranger failed: SQLSTATE 42501") != NULL
       && strstr(logbuf, "GQL00039") == NULL, "the log says why, once");
    role = "gt_nobody";
    o = run(p, "mutation { who }", claims);
    ok(strstr(o.body, "\"code\":\"FORBIDDEN\"")
       && strstr(o.body, "\"data\":null"), "a role that does not exist: "
       "FORBIDDEN (22023), the mutation rolled back");
    role = NULL;
    o = run(p, "{ who }", NULL);
    is_str(o.body, apr_pstrcat(p, "{\"data\":{\"who\":\"", user, "\"}}",
                               NULL), "the connection serves the next one");
    PQclear(PQexec(conn, "DEALLOCATE ALL"));
    role = "gt_reader";
    o = run(p, "{ who tenants }", claims);
    is_str(o.body, "{\"data\":{\"who\":\"gt_reader\",\"tenants\":\"t9/7\"}}",
           "after DEALLOCATE ALL: the caller's statement prepared again");
    PQclear(PQexec(conn, "DEALLOCATE ALL"));
    o = run(p, "mutation { who }", claims);
    is_str(o.body, "{\"data\":{\"who\":\"gt_reader\"}}",
           "after DEALLOCATE ALL: a mutation too");
    PQclear(PQexec(conn, "DEALLOCATE ALL"));
    role = NULL;
    o = run(p, "{ who }", NULL);
    is_str(o.body, apr_pstrcat(p, "{\"data\":{\"who\":\"", user, "\"}}",
                               NULL), "after DEALLOCATE ALL: no caller");
    is_str(scalar(p, "SELECT count(*) FROM pg_prepared_statements WHERE "
                  "name LIKE 'gql_caller%'"), "1",
           "the caller's statement is prepared once per form");
    is_str(scalar(p, "SELECT string_agg(who, ',') FROM gt_who"),
           "gt_reader,gt_reader",
           "only the mutations that ran as their role wrote");
    schema = saved;
    maps = saved_maps;
}

/* Which role a request takes, before it runs. */
/* The statements a mapping lists, in the order of the schema's text. */
/* Statement names: hex digits, and a name that follows from its text. */
static void test_names(apr_pool_t *p)
{
    char buf[20], *end = buf + sizeof(buf) - 1;
    const char *n;

    *end = '\0';
    ok(strcmp(gql_sql_hex(end, 0, 1), "0") == 0
       && strcmp(gql_sql_hex(end, 0x1f, 1), "1f") == 0
       && strcmp(gql_sql_hex(end, 0x1f, 4), "001f") == 0
       && strcmp(gql_sql_hex(end, APR_UINT64_C(0xfedcba9876543210), 16),
                 "fedcba9876543210") == 0
       && strcmp(gql_sql_hex(end, ~APR_UINT64_C(0), 1),
                 "ffffffffffffffff") == 0,
       "hex digits: as few as asked, zeros first, all sixteen");
    n = gql_sql_stmt_name(p, "o", "SELECT 1");
    ok(strlen(n) == 21 && strncmp(n, "gql_o", 5) == 0
       && strcmp(n, gql_sql_stmt_name(p, "o", "SELECT 1")) == 0
       && strcmp(n, gql_sql_stmt_name(p, "o", "SELECT 2")) != 0
       && strcmp(gql_sql_stmt_name(p, "x", ""),
                 "gql_xcbf29ce484222325") == 0,
       "a statement's name: gql_, its prefix and its text's FNV-1a in 16 "
       "hex digits");
}

static void test_stmts(apr_pool_t *p)
{
    gql_schema_t *s = NULL;
    gql_sql_mapping_t *m = NULL;
    apr_array_header_t *l;
    const gql_sql_stmt_t *a, *b;

    compile(p, "t", "type Query {\n"
            "  b(id: Int): B @sql(query: \"SELECT 1 AS x WHERE 1 = $id\")\n"
            "  a: Int @sql(query: \"SELECT 2\")\n"
            "}\ntype B { x: Int, y: Int @column(name: \"x\") }\n", &s, &m);
    if (!ok(s && m, "a schema of two statements compiles")) {
        return;
    }
    l = gql_sql_stmts_list(p, m);
    if (!ok(l->nelts == 2, "two statements (not @column)")) {
        return;
    }
    a = &APR_ARRAY_IDX(l, 0, gql_sql_stmt_t);
    b = &APR_ARRAY_IDX(l, 1, gql_sql_stmt_t);
    is_str(a->label, "Query.b", "in the schema's order: Query.b first");
    is_str(a->text, "SELECT 1 AS x WHERE 1 = $1",
           "its text as prepared: $id is $1");
    is_str(apr_psprintf(p, "%s:%u:%u", a->source, a->loc.line,
                        a->loc.column), "t:2:29",
           "its place: the query argument's");
    is_str(b->label, "Query.a", "then Query.a");
    is_str(apr_psprintf(p, "%u:%u", b->loc.line, b->loc.column), "3:22",
           "at its own place");
    compile(p, "t", "type Query { a: Int }\n", &s, &m);
    ok(m && gql_sql_stmts_list(p, m)->nelts == 0,
       "a schema without @sql lists none");
}

/* Statements described by the database, never run. */
static void test_check(apr_pool_t *p)
{
    gql_schema_t *s = NULL;
    gql_sql_mapping_t *m = NULL;
    apr_array_header_t *errors = gql_errors_make(p);
    const char *why = NULL, *text = "";
    PGresult *r;
    int i;

    compile(p, "c.graphql", "type Query {\n"
            "  good(id: Int): Int @sql(query: \"SELECT id FROM gt_parent"
            " WHERE id = $id\")\n"
            "  table: Int @sql(query: \"SELECT 1 FROM gt_nosuch\")\n"
            "  column: Int @sql(query: \"SELECT nosuch FROM gt_parent\")\n"
            "  type(id: Int): Int @sql(query: \"SELECT id FROM gt_parent"
            " WHERE id = $id AND name = 1 + true\")\n"
            "}\ntype Mutation {\n"
            "  add: Int @sql(query: \"INSERT INTO gt_parent VALUES (99,"
            " 'checked') RETURNING id\")\n"
            "}\n", &s, &m);
    if (!ok(s && m, "the checked schema compiles")) {
        return;
    }
    ok(gql_sql_check(p, "", m, errors, &why) == 0, "the database answers");
    for (i = 0; i < errors->nelts; i++) {
        text = apr_pstrcat(p, text, gql_error_format(p, APR_ARRAY_IDX(
                           errors, i, gql_error_t *)), "\n", NULL);
    }
    is_str(text,
           "c.graphql:3:26: @sql of \"Query.table\": PostgreSQL refuses the "
           "statement: relation \"gt_nosuch\" does not exist\n"
           "c.graphql:4:27: @sql of \"Query.column\": PostgreSQL refuses the "
           "statement: column \"nosuch\" does not exist\n"
           "c.graphql:5:34: @sql of \"Query.type\": PostgreSQL refuses the "
           "statement: operator does not exist: integer + boolean\n",
           "an unknown table, column and operator, each at its @sql; the "
           "good statement and the mutation pass");
    r = PQexec(conn, "SELECT count(*) FROM gt_parent WHERE id = 99");
    is_str(PQgetvalue(r, 0, 0), "0", "the mutation's INSERT did not run");
    PQclear(r);
    errors = gql_errors_make(p);
    ok(gql_sql_check(p, "host=127.0.0.1 port=1 connect_timeout=2", m,
                     errors, &why) == -1, "no database: -1");
    ok(why != NULL && *why && strchr(why, '\n') == NULL,
       "with libpq's reason on one line");
    ok(errors->nelts == 0, "and no statement error");
}

static void test_roles(apr_pool_t *p)
{
    apr_array_header_t *allowed = apr_array_make(p, 2, sizeof(char *));
    gql_sql_roles_t none = { NULL, NULL, NULL, NULL };
    gql_sql_roles_t r = { "app.role", "anon", NULL, NULL };
    json_object *c = gql_json_own(p, json_tokener_parse(
        "{\"sub\":\"1\",\"role\":\"admin\",\"app\":{\"role\":\"editor\"}}"));
    json_object *bare = gql_json_own(p, json_tokener_parse("{\"sub\":\"1\"}"));
    json_object *odd = gql_json_own(p, json_tokener_parse(
        "{\"app\":{\"role\":[\"editor\"]}}"));
    const char *role_out, *why;

    APR_ARRAY_PUSH(allowed, const char *) = "editor";
    ok(gql_sql_role(&none, c, &role_out, &why) == 0 && role_out == NULL,
       "no role directive: no role");
    ok(gql_sql_role(&r, NULL, &role_out, &why) == 0
       && strcmp(role_out, "anon") == 0, "no caller: the anonymous role");
    ok(gql_sql_role(&r, c, &role_out, &why) == 403 && role_out == NULL
       && strstr(why, "not one this endpoint allows"),
       "a claimed role not listed: 403");
    r.allowed = allowed;
    ok(gql_sql_role(&r, c, &role_out, &why) == 0
       && strcmp(role_out, "editor") == 0, "a listed role, nested claim");
    ok(gql_sql_role(&r, odd, &role_out, &why) == 403,
       "a role claim that is no string: 403");
    ok(gql_sql_role(&r, bare, &role_out, &why) == 403
       && strstr(why, "names no role"), "no role claim, no default: 403");
    r.fallback = "member";
    ok(gql_sql_role(&r, bare, &role_out, &why) == 0
       && strcmp(role_out, "member") == 0, "no role claim: the default");
    r.anonymous = NULL;
    ok(gql_sql_role(&r, NULL, &role_out, &why) == 401
       && strstr(why, "no anonymous role"), "no caller, no anonymous role: "
       "401");
    ok(gql_sql_role_check(p, "hn_user") == NULL
       && gql_sql_role_check(p, "NONE") != NULL
       && gql_sql_role_check(p, "") != NULL
       && gql_sql_role_check(p, braces(p, 'r', 64)) != NULL
       && gql_sql_role_check(p, braces(p, 'r', 63)) == NULL,
       "role names: not none, 1 to 63 bytes");
    ok(gql_sql_claim_check(p, "role") == NULL
       && gql_sql_claim_check(p, "app.role") == NULL
       && gql_sql_claim_check(p, "") != NULL
       && gql_sql_claim_check(p, "app..role") != NULL
       && gql_sql_claim_check(p, "app.") != NULL, "claim paths");
}

/* Readiness: SELECT 1 on a pooled connection, and on one that cannot
 * reach its server. */
static void test_ping(apr_pool_t *p)
{
    const char *why = NULL;
    PGconn *dead = PQconnectdb("host=127.0.0.1 port=1 connect_timeout=1");
    apr_pool_t *dead_pool;

    ok(gql_sql_ping(p, conn_pool, conn, 1000, &why) == 1 && why == NULL,
       "ping: the database answers");
    ok(PQtransactionStatus(conn) == PQTRANS_IDLE, "ping: the connection "
       "is left idle");
    apr_pool_create(&dead_pool, p);
    ok(gql_sql_ping(p, dead_pool, dead, 1000, &why) == 0 && why != NULL
       && strncmp(why, "the connection failed: ", 23) == 0,
       apr_psprintf(p, "ping: no server: %s", why ? why : "(null)"));
    PQfinish(dead);
}

/* Subscriptions: a notification's payload as the root row ($event,
 * $event.member), the operation's channel, a statement that finds no
 * row (no event) and one that finds it. */
static const char event_sdl[] =
    "type Query { x: Int }\n"
    "type Parent { id: ID!, label: String }\n"
    "type Subscription {\n"
    "  added(min: Int): Parent! @listen(channel: \"gt_added\")\n"
    "    @sql(query: \"SELECT id, name AS label FROM gt_parent"
    " WHERE id = $event::int AND id >= coalesce($min, 0)\")\n"
    "  member: Parent @listen(channel: \"gt_member\")\n"
    "    @sql(query: \"SELECT id, name AS label FROM gt_parent"
    " WHERE id = $event.id::int\")\n"
    "  tx: [String] @listen(channel: \"gt_tx\")\n"
    "    @sql(query: \"SELECT current_setting('transaction_isolation')"
    " UNION ALL SELECT current_setting('transaction_read_only')\")\n"
    "}\n";

static const char *run_event(apr_pool_t *p, const gql_schema_t *s,
                             const gql_sql_mapping_t *m, const char *query,
                             const char *payload, const char **channel)
{
    gql_result_t res;
    gql_sql_env_t env;
    gql_resolvers_t rs;
    gql_sql_event_t ev;
    gql_sql_ctx_t *c;
    const char *field;
    gql_operation_t *op = operation(p, s, query, strlen(query), NULL, NULL,
                                    NULL, &res);

    if (op == NULL) {
        return gql_json_response(p, res.errors, NULL, 0);
    }
    *channel = gql_sql_channel(m, s, op, &field);
    memset(&env, 0, sizeof(env));
    env.acquire = acquire;
    env.log = logline;
    env.baton = p;
    c = gql_sql_begin(p, s, m, &env, op);
    gql_sql_event_resolvers(c, &ev, &rs);
    gql_execute_run(p, op, &rs, gql_json_own(p, gql_sql_event_row(payload,
                    strlen(payload))), NULL, &res);
    gql_sql_finish(c, &res);
    return ev.no_row ? "no row" : gql_json_response(p, res.errors, res.data,
                                                    res.has_data);
}

static void test_events(apr_pool_t *p)
{
    gql_schema_t *s = NULL;
    gql_sql_mapping_t *m = NULL;
    const char *ch = NULL;
    json_object *row = gql_json_own(p, gql_sql_event_row("{\"id\": 7}", 9));
    json_object *v;

    is_str(compile(p, "events", event_sdl, &s, &m), "",
           "a subscription's mapping compiles");
    if (s == NULL) {
        return;
    }
    ok(json_object_object_get_ex(row, "", &v)
       && strcmp(json_object_get_string(v), "{\"id\": 7}") == 0
       && json_object_object_get_ex(row, "id", &v)
       && json_object_get_int(v) == 7, "the row: the payload and its members");
    row = gql_json_own(p, gql_sql_event_row("[1]", 3));
    ok(json_object_object_length(row) == 1, "a payload that is no object: "
       "the payload alone");
    is_str(run_event(p, s, m, "subscription { added { id label } }", "3",
                     &ch), "{\"data\":{\"added\":{\"id\":\"3\","
           "\"label\":\"p3\"}}}", "$event reads the new row");
    is_str(ch, "gt_added", "the operation's channel");
    is_str(run_event(p, s, m, "subscription { added(min: 5) { id } }", "3",
                     &ch), "no row", "a statement with no row: no event");
    is_str(run_event(p, s, m, "subscription { added(min: 5) { id } }", "9",
                     &ch), "{\"data\":{\"added\":{\"id\":\"9\"}}}",
           "and with one, the event");
    is_str(run_event(p, s, m, "subscription { ... on Subscription { member "
                     "{ label } } }", "{\"id\": 7}", &ch),
           "{\"data\":{\"member\":{\"label\":\"p7\"}}}",
           "$event.member reads a member of a JSON payload");
    is_str(ch, "gt_member", "the channel, through a fragment");
    is_str(run_event(p, s, m, "subscription { added { id } }", "x", &ch),
           "{\"errors\":[{\"message\":\"Internal server error.\","
           "\"locations\":[{\"line\":1,\"column\":16}],\"path\":"
           "[\"added\"],\"extensions\":{\"code\":"
           "\"INTERNAL_SERVER_ERROR\"}}],\"data\":null}",
           "a payload the statement refuses: a field error, not no row");
    is_str(run_event(p, s, m, "subscription { tx }", "1", &ch),
           "{\"data\":{\"tx\":[\"read committed\",\"on\"]}}",
           "an event's lone statement runs read-only in its pipeline's "
           "transaction, as a query's does");
    ok(PQtransactionStatus(conn) == PQTRANS_IDLE, "and leaves none open");
}

int main(void)
{
    apr_pool_t *p;
    PGresult *r;

    apr_initialize();
    apr_pool_create(&p, NULL);
    run_cases(p);
    test_vocab(p);
    test_mapping(p);
    test_roles(p);
    test_names(p);
    test_stmts(p);
    apr_pool_create(&conn_pool, p);
    conn = PQconnectdb("");
    if (!setup_ok(PQstatus(conn) == CONNECTION_OK, "connects (PGHOST...)")) {
        diag("%s", PQerrorMessage(conn));
        return tap_done();
    }
    r = PQexec(conn, setup);
    setup_ok(PQresultStatus(r) == PGRES_COMMAND_OK, "tables made");
    PQclear(r);
    other = PQconnectdb("");
    is_str(compile(p, "t", sdl, &schema, &maps), "",
           "the test schema compiles");
    if (schema != NULL) {
        test_introspection(p);
        test_values(p);
        test_batch(p);
        test_arrays(p);
        test_errors(p);
        test_savepoint(p);
        test_mutation(p);
        test_budget(p);
        test_guard(p);
        test_deadline(p);
        test_statements(p);
        test_last(p);
        test_joined(p);
        test_joined_columns(p);
        test_siblings(p);
        test_backend(p);
        test_caller(p);
        test_check(p);
        test_ping(p);
        test_events(p);
    }
    apr_pool_destroy(p);                /* its requests' cleanups use */
    PQfinish(other);                    /* the connections */
    PQfinish(conn);
    apr_terminate();
    return tap_done();
}
