/* fuzz-rxfilter.c: libFuzzer target for the query-rx-filter reply parser. */
#include <config.h>

#include <string.h>

#include "fuzzutils.h"
#include "qemu_monitor_json.h"
#include "virjson.h"
#include "virnetdevrxfilter.h"

/*
 * Input: a reply as QEMU sends it ({"return": [...]}) or the bare "return" array. The
 * parser must either fail with an error or give a filter whose tables respect their
 * bounds, for the NIC the caller asked about.
 */

int
LLVMFuzzerInitialize(int *argc G_GNUC_UNUSED, char ***argv G_GNUC_UNUSED)
{
    fuzzInitLogging();
    return 0;
}


int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    g_autoptr(virJSONValue) value = virJSONValueFromBuffer((const char *)data, size);
    g_autoptr(virNetDevRxFilter) filter = NULL;
    virJSONValue *ret;
    size_t i;

    if (!value) {
        FUZZ_ASSERT_ERROR_REPORTED("virJSONValueFromBuffer");
        return 0;
    }
    ret = virJSONValueObjectGet(value, "return");
    if (!ret)
        ret = value;

    if (qemuMonitorJSONParseRxFilterReply(ret, "net0", &filter) < 0) {
        FUZZ_ASSERT(filter == NULL, "no filter on failure");
        FUZZ_ASSERT_ERROR_REPORTED("qemuMonitorJSONParseRxFilterReply");
        return 0;
    }

    FUZZ_ASSERT(filter != NULL, "a filter on success");
    FUZZ_ASSERT(filter->name && strcmp(filter->name, "net0") == 0, "the NIC asked for");
    FUZZ_ASSERT(filter->unicast.nTable <= VIR_NETDEV_RX_FILTER_MAC_TABLE_MAX,
                "unicast table bound");
    FUZZ_ASSERT(filter->multicast.nTable <= VIR_NETDEV_RX_FILTER_MAC_TABLE_MAX,
                "multicast table bound");
    FUZZ_ASSERT(filter->vlan.nTable <= VIR_NETDEV_RX_FILTER_VLAN_TABLE_MAX,
                "VLAN table bound");
    for (i = 0; i < filter->vlan.nTable; i++)
        FUZZ_ASSERT(filter->vlan.table[i] < 4096, "VLAN id range");
    FUZZ_ASSERT(!virErrorGetLast(), "no error left on success");
    return 0;
}
