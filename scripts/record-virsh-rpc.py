#!/usr/bin/env python3
# record-virsh-rpc.py: records what the real virsh sends to qvirtd, as fuzz seeds for fuzz-remote.
"""Starts qvirtd under a temporary --root, puts a recording proxy in front of its socket
and runs a set of virsh commands through it (define, list, dumpxml, start, events,
qemu-monitor-command, destroy, undefine...). Each virsh connection's client-to-daemon
bytes are written to OUTDIR/<command>.bin: real traffic for fuzz-remote's seed corpus.
Needs root (qvirtd starts QEMU, with no NIC) and libvirt-clients.

Usage: record-virsh-rpc.py QVIRTD OUTDIR"""
import os
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time

DOMAIN = """<domain type='qemu'>
  <name>seed</name>
  <uuid>5eed0000-0000-4000-8000-000000000001</uuid>
  <memory unit='MiB'>64</memory>
  <os><type arch='x86_64' machine='q35'>hvm</type></os>
  <devices>
    <controller type='usb' index='0' model='none'/>
    <memballoon model='none'/>
  </devices>
</domain>
"""

COMMANDS = [
    ('version', ['version', '--daemon']),
    ('uri', ['uri']),
    ('hostname', ['hostname']),
    ('define', ['define', '@XML@']),
    ('list-all', ['list', '--all']),
    ('list-filters', ['list', '--all', '--persistent', '--name']),
    ('dominfo', ['dominfo', 'seed']),
    ('dumpxml-inactive', ['dumpxml', '--inactive', 'seed']),
    ('autostart', ['autostart', 'seed']),
    ('start', ['start', 'seed']),
    ('domstate', ['domstate', '--reason', 'seed']),
    ('domid', ['domid', 'seed']),
    ('domuuid', ['domuuid', 'seed']),
    ('dumpxml', ['dumpxml', 'seed']),
    ('suspend', ['suspend', 'seed']),
    ('resume', ['resume', 'seed']),
    ('qemu-monitor-command', ['qemu-monitor-command', 'seed', '{"execute":"query-status"}']),
    ('event-lifecycle', ['event', '--all', '--timeout', '1']),
    ('qemu-monitor-event', ['qemu-monitor-event', '--domain', 'seed', '--timeout', '1']),
    ('reset', ['reset', 'seed']),
    ('destroy', ['destroy', 'seed']),
    ('undefine', ['undefine', 'seed']),
    ('create', ['create', '@XML@']),
    ('destroy-transient', ['destroy', 'seed']),
    ('unknown-domain', ['dominfo', 'no-such-domain']),
]


class Recorder:
    """A UNIX socket proxy: each accepted connection is piped to @target, and the
    client's bytes are kept per connection."""

    def __init__(self, path, target):
        self.target = target
        self.sessions = []
        self.lock = threading.Lock()
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.sock.bind(path)
        self.sock.listen(8)
        threading.Thread(target=self.accept, daemon=True).start()

    def accept(self):
        while True:
            try:
                client, _ = self.sock.accept()
            except OSError:
                return
            upstream = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
            upstream.connect(self.target)
            record = bytearray()
            with self.lock:
                self.sessions.append(record)
            threading.Thread(target=self.pipe, args=(client, upstream, record),
                             daemon=True).start()
            threading.Thread(target=self.pipe, args=(upstream, client, None),
                             daemon=True).start()

    @staticmethod
    def pipe(src, dst, record):
        while True:
            try:
                data = src.recv(65536)
            except OSError:
                data = b''
            if not data:
                try:
                    dst.shutdown(socket.SHUT_WR)
                except OSError:
                    pass
                return
            if record is not None:
                record.extend(data)
            try:
                dst.sendall(data)
            except OSError:
                return

    def take(self):
        """The client bytes of every connection since the last call."""
        with self.lock:
            out, self.sessions = self.sessions, []
        return [bytes(r) for r in out]


def main():
    if len(sys.argv) != 3:
        sys.exit(__doc__.split('\n\n')[-1])
    qvirtd, outdir = os.path.abspath(sys.argv[1]), sys.argv[2]
    os.makedirs(outdir, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix='qvirt-record-rpc-') as root:
        sock = os.path.join(root, 'run', 'qvirt', 'qvirtd-sock')
        daemon = subprocess.Popen([qvirtd, '--root', root], stdout=subprocess.DEVNULL,
                                  stderr=subprocess.DEVNULL)
        try:
            deadline = time.monotonic() + 20
            while not os.path.exists(sock):
                if time.monotonic() > deadline or daemon.poll() is not None:
                    sys.exit('record-virsh-rpc: qvirtd did not start')
                time.sleep(0.05)
            proxy = os.path.join(root, 'proxy-sock')
            recorder = Recorder(proxy, sock)
            xml = os.path.join(root, 'seed.xml')
            with open(xml, 'w') as f:
                f.write(DOMAIN)
            env = dict(os.environ)
            env.pop('LIBVIRT_DEFAULT_URI', None)
            for name, args in COMMANDS:
                args = [xml if a == '@XML@' else a for a in args]
                subprocess.run(['virsh', '-c', 'qemu+unix:///system?socket=' + proxy] + args,
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                               env=env, timeout=60)
                time.sleep(0.1)
                sessions = [s for s in recorder.take() if s]
                for i, data in enumerate(sessions):
                    suffix = '' if len(sessions) == 1 else '-%d' % i
                    with open(os.path.join(outdir, name + suffix + '.bin'), 'wb') as f:
                        f.write(data)
                print('record-virsh-rpc: %-22s %s' % (
                    name, ', '.join('%d bytes' % len(s) for s in sessions)))
        finally:
            daemon.send_signal(signal.SIGTERM)
            daemon.wait(timeout=30)
            subprocess.run(['pkill', '-f', root], check=False)


if __name__ == '__main__':
    main()
