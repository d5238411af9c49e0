/* fuzzdriver.h: the in-memory QEMU driver the RPC fuzz target links instead of the real one. */
#pragma once

#include "qemu_driver.h"

/* A driver with an empty domain list and an event broker; nothing on disk. */
qemuDriver *fuzzDriverNew(void);

/* Forgets every domain (between inputs, so that each starts from the same state). */
void fuzzDriverReset(qemuDriver *driver);
