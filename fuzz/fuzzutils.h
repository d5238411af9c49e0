/* fuzzutils.h: what every libFuzzer target of qvirt shares (quiet logs, invariants). */
#pragma once

#include <stdint.h>
#include <stdlib.h>
#include <stdio.h>

#include "virerror.h"

/* libFuzzer's entry points. */
int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Logs at error priority only (QVIRT_DEBUG overrides): a fuzzer must not spend its
 * time writing warnings about bad input. */
void fuzzInitLogging(void);

/* Aborts (a finding) with @what when a call failed without reporting an error: every
 * failure must tell the user why. */
#define FUZZ_ASSERT_ERROR_REPORTED(what) \
    do { \
        if (!virErrorGetLast()) { \
            fprintf(stderr, "%s failed without reporting an error\n", what); \
            abort(); \
        } \
        virResetLastError(); \
    } while (0)

/* Aborts with @what when @cond does not hold. */
#define FUZZ_ASSERT(cond, what) \
    do { \
        if (!(cond)) { \
            fprintf(stderr, "invariant broken: %s (%s)\n", what, #cond); \
            abort(); \
        } \
    } while (0)
