/* fuzzutils.c: logging set-up shared by the fuzz targets. */
#include <config.h>

#include "fuzzutils.h"
#include "virlog.h"

void
fuzzInitLogging(void)
{
    virLogSetDefaultPriority(VIR_LOG_ERROR);
    if (virLogSetFromEnv() < 0)
        abort();
}
