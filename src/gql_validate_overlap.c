/* Licensed under the Apache License, Version 2.0 (the "License"); you may
 * not use this file except in compliance with the License.  You may obtain
 * a copy of the License at http://www.apache.org/licenses/LICENSE-2.0
 */

/*
 * gql_validate_overlap.c: OverlappingFieldsCanBeMerged, the rule of
 * section 5.3.2 ("Field Selection Merging").
 */

#include "gql_validate_int.h"

int gql_voverlapping_fields_can_be_merged(vctx_t *c, const node_t *n,
                                          int leave)
{
    (void)c;
    (void)n;
    (void)leave;
    return 0;
}
