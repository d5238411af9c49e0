# libvirtdharness.py: runs Debian's libvirtd 9.0 where the test harness runs qvirtd, for benchmarks.
"""A QvirtdHarness mixin that starts libvirtd (Debian's libvirt-daemon and
libvirt-daemon-driver-qemu, 9.0) instead of qvirtd, in the same network and mount
namespace, under a configuration of its own: its state, cache, log and config
folders are tmpfs mounts inside the namespace, its socket is under the benchmark's
folder, QEMU runs as root with no security driver, cgroups or namespaces, and
QEMU's output goes to files (no virtlogd). Nothing of the host's libvirt set-up is
read or changed, and everything goes with the namespace."""
import os
import shutil
import signal
import subprocess

from qvirtdharness import wait_for

LIBVIRTD_CONF = """unix_sock_dir = "%(sockdir)s"
unix_sock_group = "root"
unix_sock_ro_perms = "0700"
unix_sock_rw_perms = "0700"
auth_unix_ro = "none"
auth_unix_rw = "none"
log_outputs = "3:stderr"
"""

QEMU_CONF = """user = "root"
group = "root"
dynamic_ownership = 0
remember_owner = 0
security_driver = "none"
cgroup_controllers = [ ]
namespaces = [ ]
stdio_handler = "file"
"""

# Mounted over the host's libvirt folders inside the namespace.
PRIVATE_DIRS = ['/etc/libvirt', '/run/libvirt', '/var/lib/libvirt', '/var/cache/libvirt',
                '/var/log/libvirt']

START_SCRIPT = """set -e
# Debian's libvirtd resolves its built-in QEMU user before reading qemu.conf: give it
# one, in this namespace's own copy of the user and group files.
cp /etc/passwd /etc/group "%(conf)s/"
grep -q '^libvirt-qemu:' /etc/passwd ||
    echo 'libvirt-qemu:x:64055:64055::/var/lib/libvirt:/usr/sbin/nologin' >> "%(conf)s/passwd"
grep -q '^libvirt-qemu:' /etc/group || echo 'libvirt-qemu:x:64055:' >> "%(conf)s/group"
mount --bind "%(conf)s/passwd" /etc/passwd
mount --bind "%(conf)s/group" /etc/group
for d in %(dirs)s; do
    mkdir -p "$d"
    mount -t tmpfs -o mode=0755 tmpfs "$d"
done
cp "%(conf)s/libvirtd.conf" "%(conf)s/qemu.conf" /etc/libvirt/
exec libvirtd --config /etc/libvirt/libvirtd.conf
"""


class LibvirtdHarness:
    """Mix in before QvirtdHarness: start_daemon/stop_daemon run libvirtd."""

    daemon_name = 'libvirtd'

    def start_daemon(self):
        if not shutil.which('libvirtd'):
            self.fail('libvirtd is not installed (apt-get install libvirt-daemon '
                      'libvirt-daemon-driver-qemu)')
        sockdir = os.path.join(self.root, 'libvirt-run')
        conf = os.path.join(self.root, 'libvirt-conf')
        os.makedirs(sockdir, exist_ok=True)
        os.makedirs(conf, exist_ok=True)
        with open(os.path.join(conf, 'libvirtd.conf'), 'w') as f:
            f.write(LIBVIRTD_CONF % {'sockdir': sockdir})
        with open(os.path.join(conf, 'qemu.conf'), 'w') as f:
            f.write(QEMU_CONF)
        self.sock = os.path.join(sockdir, 'libvirt-sock')
        self.uri = 'qemu+unix:///system?socket=' + self.sock
        script = START_SCRIPT % {'dirs': ' '.join(PRIVATE_DIRS), 'conf': conf}
        self.daemon = subprocess.Popen(
            ['nsenter', '--target', str(self.holder.pid), '--net', '--mount',
             'sh', '-c', script],
            stdout=self.log, stderr=subprocess.STDOUT)
        if not wait_for(lambda: os.path.exists(self.sock) or self.daemon.poll() is not None,
                        timeout=60) or self.daemon.poll() is not None:
            self.fail('libvirtd did not start:\n' + self.daemon_log())
        # The first connection waits for QEMU's capabilities to be probed.
        self.virsh('uri')

    def stop_daemon(self):
        status = None
        if self.daemon.poll() is None:
            self.daemon.send_signal(signal.SIGTERM)
            try:
                status = self.daemon.wait(timeout=60)
            except subprocess.TimeoutExpired:
                self.daemon.kill()
                self.daemon.wait()
        self.stop_status.append(status)
        return status
