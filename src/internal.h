/* internal.h: project-wide includes and the gettext macro every file uses. */
#pragma once

#include <glib.h>
#include <glib/gi18n-lib.h>
#include <stdbool.h>

#define NULLSTR(s) ((s) ? (s) : "<null>")
#define STREQ(a, b) (strcmp(a, b) == 0)
#define STREQ_NULLABLE(a, b) (g_strcmp0(a, b) == 0)

/* Marks a deliberately ignored result (the compiler warns on some otherwise). */
#define ignore_value(x) \
    (__extension__ ({ __typeof__(x) ignored_ __attribute__((unused)) = (x); }))
