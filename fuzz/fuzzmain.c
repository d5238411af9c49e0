/* fuzzmain.c: runs a fuzz target over files, without libFuzzer (regression replay). */
#include <config.h>

#include <glib.h>

#include "fuzzutils.h"

/*
 * Usage: TARGET FILE|DIR...: every file given, and every file in every folder given,
 * goes through LLVMFuzzerTestOneInput once. Builds without -Dfuzzing=true link this
 * instead of libFuzzer, so that the seed corpora and fuzz/regressions/ run in the
 * ordinary test suite, under every sanitizer the build has.
 */

static gint
fuzzComparePaths(gconstpointer a, gconstpointer b)
{
    return g_strcmp0(*(char *const *)a, *(char *const *)b);
}


static int
fuzzRunFile(const char *path, size_t *count)
{
    g_autofree char *data = NULL;
    gsize len = 0;
    g_autoptr(GError) err = NULL;

    if (!g_file_get_contents(path, &data, &len, &err)) {
        fprintf(stderr, "cannot read '%s': %s\n", path, err->message);
        return -1;
    }
    LLVMFuzzerTestOneInput((const uint8_t *)data, len);
    (*count)++;
    return 0;
}


int
main(int argc, char **argv)
{
    size_t count = 0;
    int i;

    LLVMFuzzerInitialize(&argc, &argv);
    for (i = 1; i < argc; i++) {
        if (g_file_test(argv[i], G_FILE_TEST_IS_DIR)) {
            g_autoptr(GDir) dir = NULL;
            g_autoptr(GError) err = NULL;
            g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func(g_free);
            const char *name;
            guint j;

            if (!(dir = g_dir_open(argv[i], 0, &err))) {
                fprintf(stderr, "cannot open '%s': %s\n", argv[i], err->message);
                return 1;
            }
            while ((name = g_dir_read_name(dir)))
                g_ptr_array_add(names, g_build_filename(argv[i], name, NULL));
            /* Sorted, so that a failure reproduces in the same order. */
            g_ptr_array_sort(names, fuzzComparePaths);
            for (j = 0; j < names->len; j++) {
                const char *path = g_ptr_array_index(names, j);

                if (g_file_test(path, G_FILE_TEST_IS_REGULAR) &&
                    fuzzRunFile(path, &count) < 0)
                    return 1;
            }
        } else if (fuzzRunFile(argv[i], &count) < 0) {
            return 1;
        }
    }
    printf("%s: %zu inputs passed\n", argv[0], count);
    return count > 0 ? 0 : 1;
}
