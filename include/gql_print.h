/* Licensed under the Apache License, Version 2.0 (the "License"); you may
 * not use this file except in compliance with the License.  You may obtain
 * a copy of the License at http://www.apache.org/licenses/LICENSE-2.0
 */

/*
 * gql_print.h: values, types and names as graphql-js 16 writes them in its
 * messages, for every stage that words one (the schema's rules, validation,
 * coercion, introspection, the SQL mapping): print() of literals and type
 * references, inspect() of values, JavaScript's numbers, and the
 * suggestion sentence (suggestionList, didYouMean, naturalCompare).
 *
 * It sits below every stage: it reads the syntax tree, json-c values and
 * the layout of a schema type reference, and calls nothing of the other
 * stages.
 *
 * Every function is pure.  A string returned is allocated in the pool
 * passed, or is a constant or a name from the argument, which lives at
 * least as long; the caller owns it either way.  Arguments are never NULL
 * unless a comment says so.
 */

#ifndef GQL_PRINT_H
#define GQL_PRINT_H

#include <apr_pools.h>
#include <apr_tables.h>
#include <json-c/json.h>
#include "gql_ast.h"
#include "gql_error.h"         /* GQL_ERROR_QUOTE */

/* gql_schema.h defines it; printing needs only its layout. */
struct gql_tref_t;

/*
 * Type references as GraphQL writes them ("[Int!]!"): a schema's type
 * (gql_tref_t of gql_schema.h; NULL prints "", and so does a named
 * reference to no type) and a type as a document writes it.
 */
const char *gql_print_type(apr_pool_t *p, const struct gql_tref_t *t);
const char *gql_print_ast_type(apr_pool_t *p, const gql_type_ref_t *t);

/*
 * Messages quote what a client sent within a bound: a name, a string's
 * text or a whole printed value longer than GQL_ERROR_QUOTE characters is
 * cut there, at a UTF-8 character boundary, and followed by "..." (inside
 * the quotes of a string: "abcd..."; a list or an object ends with
 * ", ..." where its members stopped fitting), so that an error never
 * echoes megabytes back nor costs time proportional to them.
 *
 * gql_print_name: name cut so; name itself when it is not longer.
 */
const char *gql_print_name(apr_pool_t *p, const char *name);

/*
 * A literal as graphql-js's print() writes it: {a: [1, "x"]}, $var, ENUM,
 * within GQL_ERROR_QUOTE characters (about: brackets and separators
 * count as they are written).  Strings go through gql_print_string; a
 * block string is written between triple quotes as it stands.
 */
const char *gql_print_value(apr_pool_t *p, const gql_value_t *v);

/*
 * printString: s[0..len) (UTF-8, may hold NULs) quoted as a GraphQL
 * string, whole (introspection's default values are written with it),
 * with \" \\ \b \t \n \f \r and \u00XX (upper case) for the other control
 * characters, U+007F..U+009F included.  Everything else, U+00A0 and
 * U+2028 too, stays as it is.
 */
const char *gql_print_string(apr_pool_t *p, const char *s, apr_size_t len);

/*
 * Number.prototype.toString(): the shortest digits that read back as d,
 * in fixed notation from 1e-6 to below 1e21, else with an exponent: 1.5,
 * 0.000001, 1e-7, 1e+21, "NaN", "-Infinity"; -0 prints "0".
 */
const char *gql_print_number(apr_pool_t *p, double d);

/* An integer in decimal ("-12"), in p: what "%" APR_INT64_T_FMT prints,
 * without the formatter's cost (every integer ID of a result is one). */
const char *gql_print_int(apr_pool_t *p, apr_int64_t n);

/*
 * inspect(): a runtime value as graphql-js quotes it in messages: strings
 * as JSON.stringify writes them, numbers by gql_print_number, [1, 2],
 * { a: 1 }.  A non-empty list or object inside two others prints as
 * "[Array]" or "[Object]", a list's items past ten as ", ... N more
 * items".  Within GQL_ERROR_QUOTE characters, as gql_print_value.  v is
 * read, not kept; NULL is JSON null.
 */
const char *gql_print_inspect(apr_pool_t *p, json_object *v);

/*
 * Suggestions, as graphql-js words them.
 *
 * gql_print_suggestion_list: suggestionList: the options (const char *)
 * whose distance from input is at most 40% of its length, plus one
 * (optimal string alignment, a change of case alone counting as one),
 * nearest first, then in natural order.  Returns a new array in p that
 * points at the options' strings; empty when none is near.  Options
 * whose length alone puts them too far cost nothing more, so a huge input
 * costs its length once, not once per option.
 *
 * gql_print_did_you_mean: didYouMean: " Did you mean [sub ]"A", "B", or
 * "C"?" for the first five of names (const char *) as given; sub may be
 * NULL; "" when names is empty.
 *
 * gql_print_suggest: gql_print_did_you_mean of the suggestion list.
 *
 * gql_print_natcmp: naturalCompare (<0, 0, >0 as strcmp): runs of digits
 * compare by their value, counted in doubles as JavaScript counts.
 */
apr_array_header_t *gql_print_suggestion_list(apr_pool_t *p,
                                              const char *input,
                                              const apr_array_header_t *opts);
const char *gql_print_did_you_mean(apr_pool_t *p, const char *sub,
                                   const apr_array_header_t *names);
const char *gql_print_suggest(apr_pool_t *p, const char *sub,
                              const char *input,
                              const apr_array_header_t *options);
int gql_print_natcmp(const char *a, const char *b);

#endif /* GQL_PRINT_H */
