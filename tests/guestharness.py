# guestharness.py: a real Linux guest driven over its serial console, and the host's view of
# its NIC, for the end-to-end guest tests (guesttest.py) and the guest benchmark.
import os
import re
import socket
import subprocess
import sys
import threading
import time

SOURCE_ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BUILD_GUEST = os.path.join(SOURCE_ROOT, 'scripts', 'build-test-guest.py')

# busybox prefers its own applets to PATH, and its `ip` lacks maddr and allmulticast:
# guest commands name iproute2's by path.
GUEST_IP = '/usr/sbin/ip'

IFF_PROMISC = 0x100
IFF_ALLMULTI = 0x200
# QEMU's virtio-net MAC table: past this many entries it reports overflow.
QEMU_MAC_TABLE_ENTRIES = 64


def build_test_guest():
    """The folder with the test guest's vmlinuz, initrd.img and cmdline (built or cached)."""
    r = subprocess.run([sys.executable, BUILD_GUEST], capture_output=True, text=True,
                       timeout=900)
    if r.returncode != 0:
        raise RuntimeError('scripts/build-test-guest.py failed (rc %d):\n%s' %
                           (r.returncode, r.stderr))
    return r.stdout.strip()


def guest_domain_xml(name, uuid, guestdir, console, interface, memory_mib=192):
    """A domain booting the test guest, its console on UNIX socket @console (QEMU listens),
    with one NIC given as the XML fragment @interface."""
    with open(os.path.join(guestdir, 'cmdline')) as f:
        cmdline = f.read().strip()
    return """<domain type='qemu'>
  <name>%s</name>
  <uuid>%s</uuid>
  <memory unit='MiB'>%d</memory>
  <vcpu>1</vcpu>
  <os>
    <type arch='x86_64' machine='q35'>hvm</type>
    <kernel>%s/vmlinuz</kernel>
    <initrd>%s/initrd.img</initrd>
    <cmdline>%s</cmdline>
  </os>
  <devices>
%s
    <serial type='unix'>
      <source mode='bind' path='%s'/>
      <target port='0'/>
    </serial>
    <controller type='usb' index='0' model='none'/>
    <memballoon model='none'/>
  </devices>
</domain>
""" % (name, uuid, memory_mib, guestdir, guestdir, cmdline, interface, console)


def mac_of_hex(hexstr):
    return ':'.join(hexstr[i:i + 2] for i in range(0, 12, 2)).lower()


def parse_dev_mcast(text, dev):
    """The link-layer groups of @dev in a /proc/net/dev_mcast text."""
    groups = set()
    for line in text.splitlines():
        fields = line.split()
        if len(fields) == 5 and fields[1] == dev:
            groups.add(mac_of_hex(fields[4]))
    return groups


class NicState:
    """What one side (guest or host) shows of a NIC's receive filter.  @vlan: whether
    the guest's VLAN table is non-empty (host side: unused)."""

    def __init__(self, mac, flags, groups, vlan=False):
        self.mac = mac.lower()
        self.promisc = bool(flags & IFF_PROMISC)
        self.allmulti = bool(flags & IFF_ALLMULTI)
        self.groups = groups
        self.vlan = vlan

    def __repr__(self):
        return 'NicState(mac=%s promisc=%s allmulti=%s vlan=%s groups=%s)' % (
            self.mac, self.promisc, self.allmulti, self.vlan, sorted(self.groups))


def host_mirrors(host, guest):
    """Whether macvtap state @host mirrors guest state @guest, by the rules of
    docs/rx-filter-mirroring.rst.  The macvtap's own memberships are the host's, so the
    guest's groups must be a subset, not equal; overflow means ALLMULTI instead."""
    if host is None:
        return False
    overflow = len(guest.groups) > QEMU_MAC_TABLE_ENTRIES
    return (host.mac == guest.mac and
            host.promisc == (guest.promisc or guest.vlan) and
            host.allmulti == (guest.allmulti or overflow) and
            (overflow or guest.groups <= host.groups))


class HostView:
    """The network namespace of process @pid as its own sysfs and procfs show it."""

    def __init__(self, pid):
        self.pid = pid

    def _sys(self, dev, attr):
        return '/proc/%d/root/sys/class/net/%s/%s' % (self.pid, dev, attr)

    def exists(self, dev):
        return os.path.exists(self._sys(dev, 'ifindex'))

    def nic(self, dev):
        """@dev's NicState, or None while it does not exist."""
        try:
            with open(self._sys(dev, 'address')) as f:
                mac = f.read().strip()
            with open(self._sys(dev, 'flags')) as f:
                flags = int(f.read(), 16)
            with open('/proc/%d/net/dev_mcast' % self.pid) as f:
                groups = parse_dev_mcast(f.read(), dev)
        except (OSError, ValueError):
            return None
        return NicState(mac, flags, groups)

    def run(self, *argv):
        """Runs @argv inside the namespace; returns its output."""
        return subprocess.run(['nsenter', '--target', str(self.pid), '--net', '--mount',
                               *argv], check=True, capture_output=True, text=True,
                              timeout=30).stdout


class GuestError(Exception):
    pass


class GuestConsole:
    """The guest's serial console on a UNIX socket: sends `<seq> <command>` lines and
    collects output until `QVIRT-DONE <seq> <status>` (see scripts/build-test-guest.py)."""

    def __init__(self, path, logpath, timeout=30.0):
        self.lines = []
        self.cond = threading.Condition()
        self.seq = 0
        self.closed = False
        self.log = open(logpath, 'a')
        deadline = time.monotonic() + timeout
        while True:
            try:
                self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
                self.sock.connect(path)
                break
            except OSError:
                self.sock.close()
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.05)
        self.reader = threading.Thread(target=self._read, daemon=True)
        self.reader.start()

    def _read(self):
        buf = b''
        while True:
            try:
                data = self.sock.recv(65536)
            except OSError:
                data = b''
            if not data:
                break
            buf += data
            *complete, buf = buf.split(b'\n')
            with self.cond:
                for raw in complete:
                    line = raw.decode(errors='replace').replace('\r', '')
                    # The firmware's terminal resets precede the guest's first line.
                    line = re.sub(r'\x1b(\[[0-9;?]*[A-Za-z]|c)', '', line)
                    self.lines.append(line)
                    self.log.write('%.3f %s\n' % (time.monotonic(), line))
                self.log.flush()
                self.cond.notify_all()
        with self.cond:
            self.closed = True
            self.cond.notify_all()

    def close(self):
        try:
            self.sock.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass
        self.sock.close()
        self.reader.join(timeout=5)
        self.log.close()

    def wait_line(self, pattern, start=0, timeout=60.0):
        """Index of the first line from @start matching @pattern."""
        deadline = time.monotonic() + timeout
        rx = re.compile(pattern)
        with self.cond:
            i = start
            while True:
                while i < len(self.lines):
                    if rx.search(self.lines[i]):
                        return i
                    i += 1
                left = deadline - time.monotonic()
                if left <= 0 or self.closed:
                    raise GuestError('no console line matching %r; last lines:\n%s' %
                                     (pattern, '\n'.join(self.lines[-20:])))
                self.cond.wait(left)

    def wait_ready(self, start=0, timeout=90.0):
        """Waits for the guest's init to reach its command loop; returns the line index."""
        i = self.wait_line(r'^QVIRT-READY$', start, timeout)
        errors = [l for l in self.lines[start:i] if l.startswith('QVIRT-ERROR')]
        if errors:
            raise GuestError('guest init failed: %s' % errors)
        return i

    def mark(self):
        with self.cond:
            return len(self.lines)

    def send(self, command):
        """Sends @command; returns a ticket for wait_done()."""
        if '\n' in command:
            raise ValueError('one line per command')
        self.seq += 1
        start = self.mark()
        self.sock.sendall(('%d %s\n' % (self.seq, command)).encode())
        return (self.seq, start, command)

    def wait_done(self, ticket, timeout=60.0, check=True):
        """(status, output lines) of the command @ticket names."""
        seq, start, command = ticket
        i = self.wait_line(r'^QVIRT-DONE %d \d+$' % seq, start, timeout)
        status = int(self.lines[i].split()[2])
        output = [l for l in self.lines[start:i] if not l.startswith('QVIRT-DONE')]
        if check and status != 0:
            raise GuestError('guest command %r failed with status %d:\n%s' %
                             (command, status, '\n'.join(output)))
        return status, output

    def run(self, command, timeout=60.0, check=True):
        return self.wait_done(self.send(command), timeout, check)

    def nic(self, dev='eth0'):
        """The guest's own NicState of @dev, read inside the guest."""
        _, out = self.run('cat /sys/class/net/%s/address /sys/class/net/%s/flags; '
                          'cat /proc/net/dev_mcast; ls -1 /proc/net/vlan 2>/dev/null; true'
                          % (dev, dev))
        mac, flags = out[0].strip(), int(out[1].strip(), 16)
        groups = parse_dev_mcast('\n'.join(out[2:]), dev)
        # With 8021q loaded Linux filters VLAN id 0 on every device that is up, even
        # with no VLAN device: QEMU's VLAN table is never empty again.
        vlan = 'config' in (l.strip() for l in out[2:])
        return NicState(mac, flags, groups, vlan)


class GuestHarness:
    """A QvirtdHarness mixin: the test guest as a domain, started with virsh."""

    guestdir = None
    console = None

    def start_guest(self, name, uuid, interface):
        """Defines and starts domain @name booting the test guest with NIC @interface
        (an XML fragment); connects self.console and waits for the guest's init.
        Returns the NIC's host device name."""
        sock = os.path.join(self.root, name + '-console.sock')
        xml = os.path.join(self.root, name + '.xml')
        with open(xml, 'w') as f:
            f.write(guest_domain_xml(name, uuid, self.guestdir, sock, interface))
        self.virsh('define', xml)
        self.virsh('start', name)
        self.qemu_pids = self.find_qemu()
        self.console = GuestConsole(sock, os.path.join(self.root, name + '-console.log'))
        self.console.wait_ready()
        return self.interface_name(name)

    def interface_name(self, name):
        """The host device of domain @name's one NIC, from virsh domiflist."""
        rows = [l.split() for l in self.virsh('domiflist', name).stdout.splitlines()[2:]
                if l.strip()]
        self.assertEqual(len(rows), 1, rows)
        return rows[0][0]


def wait_host(pred, timeout=20.0, interval=0.001):
    """Polls @pred until true; returns the seconds it took, or None on timeout."""
    start = time.monotonic()
    while True:
        if pred():
            return time.monotonic() - start
        if time.monotonic() - start > timeout:
            return None
        time.sleep(interval)


def percentile(values, p):
    s = sorted(values)
    return s[min(len(s) - 1, int(round(p / 100.0 * (len(s) - 1))))]
