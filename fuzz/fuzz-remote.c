/* fuzz-remote.c: libFuzzer target for qvirtd's RPC server: frames, header, XDR, dispatch. */
#include <config.h>

#include <errno.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "fuzzdriver.h"
#include "fuzzutils.h"
#include "remote_dispatch.h"
#include "vireventthread.h"
#include "virnetserver.h"

/*
 * Input: the bytes a client sends on its connection: length-prefixed frames with
 * libvirt's header and XDR payloads, valid or not. The server runs as in qvirtd (its
 * event loop thread, its call workers, every REMOTE and QEMU procedure registered)
 * in front of the in-memory driver of fuzzdriver.c. Each input is one connection:
 * written, half-closed, and read until the server hangs up; the server must survive
 * and keep serving the next connection. Domains defined by one input are forgotten
 * before the next.
 */

static virEventThread *fuzzEventThread;
static virNetServer *fuzzServer;
static qemuDriver *fuzzDriver;
static char *fuzzSocketPath;


int
LLVMFuzzerInitialize(int *argc G_GNUC_UNUSED, char ***argv G_GNUC_UNUSED)
{
    g_autofree char *dir = NULL;

    fuzzInitLogging();
    if (!(dir = g_dir_make_tmp("qvirt-fuzz-remote-XXXXXX", NULL)))
        abort();
    fuzzSocketPath = g_build_filename(dir, "sock", NULL);
    fuzzDriver = fuzzDriverNew();
    fuzzEventThread = virEventThreadNew("fuzz-rpc");
    fuzzServer = virNetServerNew(virEventThreadGetContext(fuzzEventThread), 2);
    if (remoteDispatchRegister(fuzzServer, fuzzDriver) < 0 ||
        virNetServerListenUNIX(fuzzServer, fuzzSocketPath) < 0)
        abort();
    return 0;
}


static int
fuzzConnect(void)
{
    struct sockaddr_un addr = { .sun_family = AF_UNIX };
    int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);

    if (fd < 0)
        abort();
    g_strlcpy(addr.sun_path, fuzzSocketPath, sizeof(addr.sun_path));
    if (connect(fd, (struct sockaddr *)&addr, sizeof(addr)) < 0) {
        fprintf(stderr, "cannot connect to the fuzzed server: %s\n", g_strerror(errno));
        abort();
    }
    return fd;
}


int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    int fd = fuzzConnect();
    size_t done = 0;
    char buf[65536];
    gint64 deadline;

    /* The server reads while we write; it may hang up early on a bad frame. */
    while (done < size) {
        ssize_t n = send(fd, data + done, size - done, MSG_NOSIGNAL);

        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            break;
        done += n;
    }
    shutdown(fd, SHUT_WR);
    while (read(fd, buf, sizeof(buf)) > 0)
        ;
    close(fd);

    /* The next input starts from an empty driver once this connection is gone. */
    deadline = g_get_monotonic_time() + 10 * G_USEC_PER_SEC;
    while (virNetServerGetClientCount(fuzzServer) > 0) {
        FUZZ_ASSERT(g_get_monotonic_time() < deadline,
                    "the server lets go of a closed connection");
        g_usleep(50);
    }
    fuzzDriverReset(fuzzDriver);
    return 0;
}
