/* fuzz-domainxml.c: libFuzzer target for the domain XML parser, formatter and argv builder. */
#include <config.h>

#include <string.h>

#include "domain_conf.h"
#include "fuzzutils.h"
#include "qemu_command.h"

/*
 * Input: a domain XML document (from a client, or a status file with live data).
 * Properties checked: a failed parse reports an error; a definition that parsed
 * formats to XML that parses again and formats to the same text (nothing lost or
 * invented by a round trip), with and without live data; and building QEMU's argv
 * from it either works or reports why.
 */

int
LLVMFuzzerInitialize(int *argc G_GNUC_UNUSED, char ***argv G_GNUC_UNUSED)
{
    fuzzInitLogging();
    return 0;
}


static void
fuzzRoundTrip(const virDomainDef *def, unsigned int formatFlags, unsigned int parseFlags)
{
    g_autofree char *first = virDomainDefFormat(def, formatFlags);
    g_autoptr(virDomainDef) again = virDomainDefParseStringFlags(first, parseFlags);
    g_autofree char *second = NULL;

    if (!again) {
        fprintf(stderr, "formatted XML does not parse again: %s\n%s\n",
                virErrorGetLastMessage(), first);
        abort();
    }
    second = virDomainDefFormat(again, formatFlags);
    if (strcmp(first, second) != 0) {
        fprintf(stderr, "round trip changed the XML:\n%s\n----\n%s\n", first, second);
        abort();
    }
}


static void
fuzzBuildCommandLine(const virDomainDef *def)
{
    g_autofree int *fds = g_new0(int, def->nnets + 1);
    qemuCommandParams params = {
        .emulator = "/usr/bin/qemu-system-x86_64",
        .monitorPath = "/run/qvirt/qemu/fuzz.monitor",
        .kvm = false,
        .netFds = fds,
        .nnetFds = def->nnets,
    };
    g_auto(GStrv) argv = NULL;
    size_t i;

    for (i = 0; i < def->nnets; i++)
        fds[i] = 100 + (int)i;

    if (!(argv = qemuBuildCommandLine(def, &params))) {
        FUZZ_ASSERT_ERROR_REPORTED("qemuBuildCommandLine");
        return;
    }
    FUZZ_ASSERT(argv[0] && strcmp(argv[0], params.emulator) == 0, "argv starts with the emulator");
}


int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    g_autofree char *xml = g_strndup((const char *)data, size);
    g_autoptr(virDomainDef) def = NULL;
    g_autoptr(virDomainDef) live = NULL;

    if ((def = virDomainDefParseString(xml))) {
        fuzzRoundTrip(def, 0, 0);
        fuzzRoundTrip(def, VIR_DOMAIN_DEF_FORMAT_LIVE, VIR_DOMAIN_DEF_PARSE_LIVE);
        fuzzBuildCommandLine(def);
    } else {
        FUZZ_ASSERT_ERROR_REPORTED("virDomainDefParseString");
    }

    /* The daemon's status files carry live data. */
    if ((live = virDomainDefParseStringFlags(xml, VIR_DOMAIN_DEF_PARSE_LIVE)))
        fuzzRoundTrip(live, VIR_DOMAIN_DEF_FORMAT_LIVE, VIR_DOMAIN_DEF_PARSE_LIVE);
    else
        FUZZ_ASSERT_ERROR_REPORTED("virDomainDefParseStringFlags(LIVE)");
    return 0;
}
