# qvirtdharness.py: runs qvirtd under --root in a network and mount namespace of its own,
# for the daemon test suite (virshtest.py, pylibvirttest.py).
import os
import re
import signal
import subprocess
import tempfile
import threading
import time

# The namespace has a fresh sysfs and a veth pair to put the guest's macvtap on.  A holder
# process (sleep) keeps it alive, so that qvirtd can be stopped and started again inside it
# (nsenter); the namespace dies with its last process.
NAMESPACE_SCRIPT = """set -e
mount --make-rprivate /
mount -t sysfs sysfs /sys
ip link set lo up
ip link add vt-host0 type veth peer name vt-peer0
ip link set vt-host0 up
ip link set vt-peer0 up
exec "$@"
"""


def wait_for(pred, timeout=10.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if pred():
            return True
        time.sleep(0.05)
    return pred()


def pids_of_children(pid):
    """Every descendant of @pid, from /proc."""
    children = {}
    for entry in os.listdir('/proc'):
        if not entry.isdigit():
            continue
        try:
            with open('/proc/%s/stat' % entry) as f:
                ppid = int(f.read().rsplit(')', 1)[1].split()[1])
        except (OSError, IndexError, ValueError):
            continue
        children.setdefault(ppid, []).append(int(entry))
    out, todo = [], [pid]
    while todo:
        for c in children.get(todo.pop(), []):
            out.append(c)
            todo.append(c)
    return out


def pid_alive(pid):
    """Whether @pid exists and is not a zombie."""
    try:
        with open('/proc/%d/stat' % pid) as f:
            return f.read().rsplit(')', 1)[1].split()[0] != 'Z'
    except OSError:
        return False


def proc_status_kib(pid, key):
    """A KiB field (VmRSS, VmHWM...) of /proc/@pid/status; 0 when absent."""
    with open('/proc/%d/status' % pid) as f:
        for line in f:
            if line.startswith(key + ':'):
                return int(line.split()[1])
    return 0


def kill_pid(pid):
    try:
        os.kill(pid, signal.SIGKILL)
    except ProcessLookupError:
        pass


class QvirtdHarness:
    """A unittest.TestCase mixin: setup_daemon() in setUp, teardown_daemon() in tearDown."""

    qvirtd = None

    def setup_daemon(self, prefix):
        self.assertEqual(os.geteuid(), 0, 'the network namespace needs root')
        self.tmp = tempfile.TemporaryDirectory(prefix=prefix)
        self.root = self.tmp.name
        self.sock = os.path.join(self.root, 'run', 'qvirt', 'qvirtd-sock')
        self.uri = 'qemu+unix:///system?socket=' + self.sock
        self.logpath = os.path.join(self.root, 'daemon.log')
        self.log = open(self.logpath, 'w+')
        self.qemu_pids = []
        self.daemon = None
        self.stop_status = []
        self.listeners = []
        self.addCleanup(self.stop_listeners)
        self.holder = subprocess.Popen(
            ['unshare', '--net', '--mount', 'sh', '-c', NAMESPACE_SCRIPT, 'sh',
             'sleep', 'infinity'],
            stdout=self.log, stderr=subprocess.STDOUT)
        # tearDown does not run when setUp fails (say, the daemon does not start):
        # the namespace, and whatever runs in it, must go anyway.
        self.addCleanup(self.cleanup_namespace)

        def ready():
            try:
                with open('/proc/%d/comm' % self.holder.pid) as f:
                    return f.read().strip() == 'sleep'
            except OSError:
                return False
        if not wait_for(lambda: ready() or self.holder.poll() is not None, 20) or \
                self.holder.poll() is not None:
            self.fail('the namespace did not come up:\n' + self.daemon_log())
        self.start_daemon()

    def start_daemon(self):
        """Starts qvirtd inside the namespace and waits for its socket."""
        env = dict(os.environ, QVIRT_DEBUG=os.environ.get('QVIRT_TEST_DEBUG', '2'), QVIRT_LOG_OUTPUTS='1:stderr')
        self.daemon = subprocess.Popen(
            ['nsenter', '--target', str(self.holder.pid), '--net', '--mount',
             *self.daemon_wrapper(), self.qvirtd, '--root', self.root],
            env=env, stdout=self.log, stderr=subprocess.STDOUT)
        if not wait_for(lambda: os.path.exists(self.sock) or self.daemon.poll() is not None,
                        timeout=20) or self.daemon.poll() is not None:
            self.fail('qvirtd did not start:\n' + self.daemon_log())

    @staticmethod
    def daemon_wrapper():
        """A command qvirtd runs under, from $QVIRT_TEST_WRAPPER (meson test --setup
        valgrinddaemon puts valgrind there); its exit status must stay 0."""
        return os.environ.get('QVIRT_TEST_WRAPPER', '').split()

    def stop_daemon(self):
        """Stops qvirtd cleanly (guests keep running); returns its exit status."""
        status = None
        if self.daemon.poll() is None:
            # A clean stop lets sanitizer builds report leaks.
            self.daemon.send_signal(signal.SIGTERM)
            try:
                status = self.daemon.wait(timeout=60)
            except subprocess.TimeoutExpired:
                self.daemon.kill()
                self.daemon.wait()
        self.stop_status.append(status)
        return status

    def teardown_daemon(self):
        pids = []
        if self.daemon is not None:
            pids = pids_of_children(self.daemon.pid) if self.daemon.poll() is None else []
            self.stop_daemon()
        for pid in pids + self.qemu_pids:
            kill_pid(pid)
        self.cleanup_namespace()
        log = self.daemon_log()
        self.log.close()
        self.tmp.cleanup()
        self.assertEqual(self.stop_status, [0] * len(self.stop_status),
                         'qvirtd did not stop cleanly:\n' + log[-4000:])
        self.assertNotIn('Sanitizer', log)

    def cleanup_namespace(self):
        """Kills the daemon if it still runs, every QEMU of this root and the namespace
        holder; safe to call twice."""
        if self.daemon is not None and self.daemon.poll() is None:
            self.daemon.kill()
            self.daemon.wait()
        for pid in self.qemu_of_root():
            kill_pid(pid)
        if self.holder.poll() is None:
            self.holder.kill()
        self.holder.wait()

    def find_qemu(self):
        """The QEMU processes the daemon started, to kill in tearDown whatever happens."""
        pids = []
        for pid in pids_of_children(self.daemon.pid):
            try:
                with open('/proc/%d/comm' % pid) as f:
                    if f.read().startswith('qemu'):
                        pids.append(pid)
            except OSError:
                pass
        return pids

    def qemu_of_root(self):
        """The live QEMU processes whose command line names our --root, from /proc."""
        pids = []
        for entry in os.listdir('/proc'):
            if not entry.isdigit() or not pid_alive(int(entry)):
                continue
            try:
                with open('/proc/%s/cmdline' % entry, 'rb') as f:
                    args = f.read().decode(errors='replace').split('\0')
            except OSError:
                continue
            if os.path.basename(args[0]).startswith('qemu') and \
                    any(self.root in a for a in args):
                pids.append(int(entry))
        return pids

    def virsh(self, *args, rc=0):
        env = dict(os.environ)
        env.pop('LIBVIRT_DEFAULT_URI', None)
        r = subprocess.run(['virsh', '-c', self.uri, *args], capture_output=True, text=True,
                           timeout=60, env=env)
        self.assertEqual(r.returncode, rc,
                         'virsh %s: rc %d\nstdout: %s\nstderr: %s\ndaemon log:\n%s' %
                         (' '.join(args), r.returncode, r.stdout, r.stderr,
                          self.daemon_log()[-4000:]))
        return r

    def list_rows(self, *args):
        """The data rows of virsh list, as (id, name, state) tuples."""
        out = self.virsh('list', *args).stdout.splitlines()
        rows = []
        for line in out[2:]:
            if line.strip():
                parts = line.split(None, 2)
                rows.append(tuple(p.strip() for p in parts))
        return rows

    def listen(self, *args):
        """Starts `virsh ARGS` in the background; returns it and the list its output
        lines are appended to as they come."""
        env = dict(os.environ)
        env.pop('LIBVIRT_DEFAULT_URI', None)
        proc = subprocess.Popen(['virsh', '-c', self.uri, *args], stdout=subprocess.PIPE,
                                stderr=subprocess.STDOUT, text=True, bufsize=1, env=env)
        self.listeners.append(proc)
        lines = []

        def reader():
            for line in proc.stdout:
                lines.append(line.rstrip('\n'))
        threading.Thread(target=reader, daemon=True).start()
        return proc, lines

    def stop_listeners(self):
        for proc in self.listeners:
            if proc.poll() is None:
                proc.kill()
            proc.wait()
            proc.stdout.close()

    def wait_line(self, lines, pattern, start=0, timeout=10.0):
        """The index of the first line from @start matching @pattern."""
        def find():
            for i, line in enumerate(lines[start:], start):
                if re.search(pattern, line):
                    return i
            return None
        if not wait_for(lambda: find() is not None, timeout):
            self.fail('no line matching %r in:\n%s\ndaemon log:\n%s' %
                      (pattern, '\n'.join(lines), self.daemon_log()[-4000:]))
        return find()

    def daemon_log(self):
        with open(self.logpath) as f:
            return f.read()


def domain_xml(name, uuid, mac):
    """The test domain both client tests use: q35, 64 MiB, no disks, one trusted
    virtio NIC as a macvtap on the namespace's veth."""
    return """<domain type='qemu'>
  <name>%s</name>
  <uuid>%s</uuid>
  <memory unit='MiB'>64</memory>
  <os>
    <type arch='x86_64' machine='q35'>hvm</type>
  </os>
  <devices>
    <interface type='direct' trustGuestRxFilters='yes'>
      <mac address='%s'/>
      <source dev='vt-host0' mode='bridge'/>
      <model type='virtio'/>
    </interface>
    <controller type='usb' index='0' model='none'/>
    <memballoon model='none'/>
  </devices>
</domain>
""" % (name, uuid, mac)
