/* Licensed under the Apache License, Version 2.0 (the "License"); you may
 * not use this file except in compliance with the License.  You may obtain
 * a copy of the License at http://www.apache.org/licenses/LICENSE-2.0
 */

/*
 * gql_value_check.h: what a leaf type's parseLiteral says of a literal,
 * shared by the rule ValuesOfCorrectType (src/gql_validate_values.c) and
 * the schema's check of SDL defaults and directive arguments
 * (src/gql_schema_check.c).  Private to src/.
 */

#ifndef GQL_VALUE_CHECK_H
#define GQL_VALUE_CHECK_H

#include "gql_schema.h"

/*
 * The message graphql-js gives when the enum or built-in scalar t rejects
 * the literal v (not null, not a variable), or NULL when t takes it.
 * Custom scalars take any literal.  The message is allocated in p.
 */
const char *gql_value_leaf_problem(apr_pool_t *p, const gql_value_t *v,
                                   const gql_type_t *t);

#endif /* GQL_VALUE_CHECK_H */
