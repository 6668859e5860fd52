/* Licensed under the Apache License, Version 2.0 (the "License"); you may
 * not use this file except in compliance with the License.  You may obtain
 * a copy of the License at http://www.apache.org/licenses/LICENSE-2.0
 */

/*
 * tap.h: the smallest Test Anything Protocol producer the unit tests need.
 * Every check prints "ok N - name" or "not ok N - name" with a diagnostic;
 * tap_done() prints the plan and returns the exit status.  t/run counts
 * the lines of every test program and prints the closing tally.
 *
 * ok() and is_str() check behaviour.  setup_ok() is a guard on what the
 * checks need (the case directory is there, a case loads, the database
 * connects): its line ends in " # setup", and t/run counts it apart from
 * the checks of behaviour, a failing one as a failure of the program.
 */

#ifndef GQL_TAP_H
#define GQL_TAP_H

#include <stdio.h>
#include <string.h>

static int tap_count;
static int tap_failed;

static int tap_ok(int cond, const char *name, const char *directive,
                  const char *file, int line)
{
    ++tap_count;
    printf("%sok %d - %s%s\n", cond ? "" : "not ", tap_count, name,
           directive);
    if (!cond) {
        ++tap_failed;
        printf("#   Failed test '%s'\n#   at %s line %d.\n", name, file,
               line);
    }
    fflush(stdout);
    return cond;
}

static int tap_is_str(const char *got, const char *want, const char *name,
                      const char *file, int line)
{
    int cond = (got == NULL && want == NULL)
               || (got != NULL && want != NULL && strcmp(got, want) == 0);

    if (!tap_ok(cond, name, "", file, line)) {
        printf("#          got: '%s'\n#     expected: '%s'\n",
               got ? got : "(null)", want ? want : "(null)");
    }
    return cond;
}

static int tap_done(void)
{
    printf("1..%d\n", tap_count);
    return tap_failed ? 1 : 0;
}

#define ok(cond, name) tap_ok(!!(cond), (name), "", __FILE__, __LINE__)
#define setup_ok(cond, name) \
    tap_ok(!!(cond), (name), " # setup", __FILE__, __LINE__)
#define is_str(got, want, name) \
    tap_is_str((got), (want), (name), __FILE__, __LINE__)
#define diag(...) (printf("# "), printf(__VA_ARGS__), printf("\n"))

#endif /* GQL_TAP_H */
