#!/usr/bin/env python3
# qvirtdtest.py: the qvirtd executable: options, pid file, signals, config errors.
import os
import signal
import socket
import struct
import subprocess
import sys
import tempfile
import time
import unittest

QVIRTD = None


def wait_for(pred, timeout=10.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if pred():
            return True
        time.sleep(0.05)
    return pred()


class QvirtdTest(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.TemporaryDirectory(prefix='qvirt-qvirtdtest-')
        self.root = self.tmp.name
        self.procs = []
        self.env = dict(os.environ, QVIRT_DEBUG='2', QVIRT_LOG_OUTPUTS='2:stderr')

    def tearDown(self):
        for p in self.procs:
            if p.poll() is None:
                p.kill()
                p.wait()
            p.logfile.close()
        self.tmp.cleanup()

    def start(self, *args):
        log = open(os.path.join(self.root, 'daemon-%d.log' % len(self.procs)), 'w+')
        p = subprocess.Popen([QVIRTD, '--root', self.root, *args], env=self.env,
                             stdout=log, stderr=subprocess.STDOUT)
        p.logfile = log
        self.procs.append(p)
        return p

    def output(self, p):
        with open(p.logfile.name) as f:
            return f.read()

    def pidfile(self):
        return os.path.join(self.root, 'run', 'qvirt', 'qvirtd.pid')

    def test_help(self):
        r = subprocess.run([QVIRTD, '--help'], capture_output=True, text=True, timeout=10)
        self.assertEqual(r.returncode, 0)
        self.assertIn('--root', r.stdout)
        self.assertIn('/etc/qvirt', r.stdout)

    def test_version(self):
        r = subprocess.run([QVIRTD, '--version'], capture_output=True, text=True, timeout=10)
        self.assertEqual(r.returncode, 0)
        self.assertRegex(r.stdout, r'^qvirtd \(qvirt\) \d+\.\d+')

    def test_foreground_sigterm(self):
        p = self.start()
        self.assertTrue(wait_for(lambda: 'qvirtd ready' in self.output(p)), self.output(p))
        with open(self.pidfile()) as f:
            self.assertEqual(int(f.read()), p.pid)
        for d in ('etc/qvirt/qemu', 'run/qvirt/qemu', 'var/log/qvirt/qemu', 'var/lib/qvirt'):
            self.assertTrue(os.path.isdir(os.path.join(self.root, d)), d)

        # A second daemon on the same root is refused while the first runs.
        second = subprocess.run([QVIRTD, '--root', self.root], env=self.env,
                                capture_output=True, text=True, timeout=10)
        self.assertNotEqual(second.returncode, 0)
        self.assertIn('Another qvirtd (pid %d)' % p.pid, second.stderr)
        self.assertTrue(os.path.exists(self.pidfile()))

        p.send_signal(signal.SIGHUP)
        self.assertTrue(wait_for(lambda: 'Reloaded log settings' in self.output(p)))
        p.send_signal(signal.SIGTERM)
        self.assertEqual(p.wait(timeout=10), 0)
        self.assertFalse(os.path.exists(self.pidfile()))

    def test_daemon(self):
        r = subprocess.run([QVIRTD, '--root', self.root, '--daemon'], env=self.env,
                           capture_output=True, text=True, timeout=20)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertTrue(wait_for(lambda: os.path.exists(self.pidfile())))
        with open(self.pidfile()) as f:
            pid = int(f.read())
        try:
            os.kill(pid, signal.SIGTERM)
            self.assertTrue(wait_for(lambda: not os.path.exists('/proc/%d' % pid)))
            self.assertFalse(os.path.exists(self.pidfile()))
        finally:
            if os.path.exists('/proc/%d' % pid):
                os.kill(pid, signal.SIGKILL)

    def test_socket_activation(self):
        """qvirtd serves the socket systemd hands it as fd 3 (qvirtd.socket)."""
        path = os.path.join(self.root, 'activated-sock')
        listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        listener.bind(path)
        listener.listen(8)
        log = open(os.path.join(self.root, 'daemon-activated.log'), 'w+')
        fd = listener.fileno()

        def as_fd3():
            os.dup2(fd, 3)

        # LISTEN_PID must name qvirtd itself: the shell execs it with its own pid.
        p = subprocess.Popen(['sh', '-c', 'LISTEN_PID=$$ LISTEN_FDS=1 exec "$0" --root "$1"',
                              QVIRTD, self.root], env=self.env, stdout=log,
                             stderr=subprocess.STDOUT, pass_fds=(fd,), preexec_fn=as_fd3)
        p.logfile = log
        self.procs.append(p)
        listener.close()
        self.assertTrue(wait_for(lambda: 'qvirtd is ready' in self.output(p) or
                                 p.poll() is not None), self.output(p))
        self.assertIsNone(p.poll(), self.output(p))
        # It did not make a socket of its own.
        self.assertFalse(os.path.exists(os.path.join(self.root, 'run', 'qvirt', 'qvirtd-sock')))

        # A keepalive PING on the inherited socket gets its PONG.
        keep = 0x6b656570
        with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as c:
            c.settimeout(10)
            c.connect(path)
            c.sendall(struct.pack('>7I', 28, keep, 1, 1, 2, 0, 0))
            reply = b''
            while len(reply) < 28:
                chunk = c.recv(28 - len(reply))
                self.assertTrue(chunk, 'qvirtd closed the connection')
                reply += chunk
        self.assertEqual(struct.unpack('>7I', reply), (28, keep, 1, 2, 2, 0, 0))

        p.send_signal(signal.SIGTERM)
        self.assertEqual(p.wait(timeout=10), 0, self.output(p))
        # systemd owns the socket file: qvirtd leaves it.
        self.assertTrue(os.path.exists(path))

    def test_bad_config(self):
        conf = os.path.join(self.root, 'bad.conf')
        for text, needle in (('[qvirtd]\nworkers=zero\n', "'workers'"),
                             ('[qvirtd]\nworkers=1000\n', "'workers'"),
                             ('[qvirtd]\nno_such_key=1\n', "'no_such_key'"),
                             ('[qvirtd]\nlog_outputs=9:nowhere\n', "'log_outputs'")):
            with open(conf, 'w') as f:
                f.write(text)
            r = subprocess.run([QVIRTD, '--root', self.root, '--config', conf], env=self.env,
                               capture_output=True, text=True, timeout=10)
            self.assertNotEqual(r.returncode, 0, text)
            self.assertIn(needle, r.stderr)
            self.assertIn(conf, r.stderr)
            self.assertFalse(os.path.exists(self.pidfile()))


if __name__ == '__main__':
    QVIRTD = sys.argv.pop(1)
    unittest.main(verbosity=2)
