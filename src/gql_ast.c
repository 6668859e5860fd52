/* Licensed under the Apache License, Version 2.0 (the "License"); you may
 * not use this file except in compliance with the License.  You may obtain
 * a copy of the License at http://www.apache.org/licenses/LICENSE-2.0
 */

/*
 * gql_ast.c: the AST's name tables.
 */

#include "gql_ast.h"

/* ORDER OPERATION */
const char *const gql_operation_names[] = {
    "query", "mutation", "subscription"
};

/* ORDER DEFINITION */
const char *const gql_definition_kind_names[] = {
    "OperationDefinition", "FragmentDefinition", "SchemaDefinition",
    "ScalarTypeDefinition", "ObjectTypeDefinition",
    "InterfaceTypeDefinition", "UnionTypeDefinition", "EnumTypeDefinition",
    "InputObjectTypeDefinition", "DirectiveDefinition"
};
