#!/usr/bin/env python3
# faulttest.py: qvirtd against a hostile QEMU (tests/fakeqemu.py) and against SIGKILL.
"""Fault injection, end to end: qvirtd under --root in namespaces of its own, the real
virsh, and tests/fakeqemu.py as every domain's <emulator>.

Each test starts a well-behaved domain (the bystander) and a domain whose fake QEMU
misbehaves: from its start (chosen by the domain name, fq-MODE) or on cue (the
x-fake-fault command through virsh qemu-monitor-command, to domains named cue-*);
see fakeqemu.py.  Then it
checks that qvirtd still serves, that the faulty domain ends in the state the code
documents, that the bystander was not touched, and that nothing is left behind: no
fake QEMU process, no macvtap or tap in the namespace, no live state file, monitor
socket or device node.  The daemon-side tests SIGKILL qvirtd during a start, during a
destroy and while events wait in its queue, start it again and check the same.

qvirtd runs with monitor_reply_timeout_ms = REPLY_TIMEOUT_MS (its config file), so a
reply that never comes costs seconds, not the default 30.
"""
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
import unittest
import uuid

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from qvirtdharness import (QvirtdHarness, pid_alive, pids_of_children,  # noqa: E402
                           proc_status_kib, wait_for)

FAKE_QEMU = os.path.join(os.path.dirname(os.path.abspath(__file__)), 'fakeqemu.py')
REPLY_TIMEOUT_MS = 3000
# qemu_monitor.h: QEMU_MONITOR_OPEN_TIMEOUT_MS, QEMU_MONITOR_MAX_LINE.
OPEN_TIMEOUT_MS = 30000
MAX_LINE = 10 * 1024 * 1024
# The namespace's own devices (qvirtdharness.NAMESPACE_SCRIPT).
NAMESPACE_DEVICES = {'lo', 'vt-host0', 'vt-peer0'}
BYSTANDER = 'bystander'
UUID_NAMESPACE = uuid.UUID('0b5c7e0e-6f0a-4f55-9d7e-4a7a2f3f0e11')


def fault_domain_xml(name):
    """A domain run by the fake QEMU: a trusted virtio macvtap on the namespace's veth,
    and a plain tap (type='ethernet'), with MACs derived from @name."""
    tag = uuid.uuid5(UUID_NAMESPACE, name).bytes
    return """<domain type='qemu'>
  <name>%s</name>
  <uuid>%s</uuid>
  <memory unit='MiB'>64</memory>
  <os>
    <type arch='x86_64' machine='q35'>hvm</type>
  </os>
  <devices>
    <emulator>%s</emulator>
    <interface type='direct' trustGuestRxFilters='yes'>
      <mac address='52:54:00:%02x:%02x:01'/>
      <source dev='vt-host0' mode='bridge'/>
      <model type='virtio'/>
    </interface>
    <interface type='ethernet'>
      <mac address='52:54:00:%02x:%02x:02'/>
      <model type='virtio'/>
    </interface>
    <controller type='usb' index='0' model='none'/>
    <memballoon model='none'/>
  </devices>
</domain>
""" % (name, uuid.uuid5(UUID_NAMESPACE, name), FAKE_QEMU, tag[0], tag[1], tag[0], tag[1])


def report(what, value, unit='s'):
    print('faulttest: %-52s %8.2f %s' % (what, value, unit), file=sys.stderr)


class FaultTest(QvirtdHarness, unittest.TestCase):
    def setUp(self):
        # No skipping: the suite runs as root with libvirt-clients installed.
        self.assertTrue(shutil.which('virsh'), 'virsh (libvirt-clients) is not installed')
        self.assertTrue(os.access(FAKE_QEMU, os.X_OK), FAKE_QEMU + ' is not executable')
        self.background = []
        self.setup_daemon('qvirt-faulttest-')
        self.statedir = os.path.join(self.root, 'run', 'qvirt', 'qemu')

    def tearDown(self):
        for proc in self.background:
            if proc.poll() is None:
                proc.kill()
            proc.communicate()
        # Fakes of this root, whoever their parent is now (a killed qvirtd's
        # children belong to init), go first: a start waiting for a greeting that
        # never comes must not hold up qvirtd's stop.
        for pid in self.fake_processes():
            os.kill(pid, signal.SIGKILL)
        self.teardown_daemon()

    # ---- the daemon ----

    def start_daemon(self):
        """Starts qvirtd with a short reply timeout; waits until it answers, since a
        killed qvirtd leaves its socket file behind."""
        conf = os.path.join(self.root, 'etc', 'qvirt', 'qvirtd.conf')
        if not os.path.exists(conf):
            os.makedirs(os.path.dirname(conf), exist_ok=True)
            with open(conf, 'w') as f:
                f.write('[qvirtd]\nmonitor_reply_timeout_ms=%d\n' % REPLY_TIMEOUT_MS)
        super().start_daemon()

        def answers():
            s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
            try:
                s.connect(self.sock)
                return True
            except OSError:
                return False
            finally:
                s.close()
        if not wait_for(lambda: answers() or self.daemon.poll() is not None, 20) or \
                self.daemon.poll() is not None:
            self.fail('qvirtd did not start:\n' + self.daemon_log()[-4000:])

    def kill_daemon(self):
        """SIGKILL for qvirtd: no clean-up of its own."""
        self.daemon.kill()
        self.daemon.wait()

    def virsh_bg(self, *args):
        env = dict(os.environ)
        env.pop('LIBVIRT_DEFAULT_URI', None)
        proc = subprocess.Popen(['virsh', '-c', self.uri, *args], stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE, text=True, env=env)
        proc.started = time.monotonic()
        self.background.append(proc)
        return proc

    def finish(self, proc, timeout=60):
        """(rc, stdout, stderr, seconds) of a virsh_bg command."""
        out, err = proc.communicate(timeout=timeout)
        return proc.returncode, out, err, time.monotonic() - proc.started

    # ---- domains ----

    def define(self, name):
        path = os.path.join(self.root, name + '.xml')
        with open(path, 'w') as f:
            f.write(fault_domain_xml(name))
        self.virsh('define', path)

    def start(self, name):
        self.define(name)
        self.virsh('start', name)
        self.assertEqual(self.domstate(name), 'running (booted)')

    def domstate(self, name):
        return self.virsh('domstate', name, '--reason').stdout.strip()

    def wait_domstate(self, name, state, timeout=15):
        if not wait_for(lambda: self.domstate(name) == state, timeout):
            self.fail('%s stays %r, not %r\ndaemon log:\n%s' %
                      (name, self.domstate(name), state, self.daemon_log()[-4000:]))

    def cue(self, name, fault, **args):
        """Tells domain @name's fake QEMU to misbehave (fakeqemu.py: x-fake-fault)."""
        args['fault'] = fault
        r = self.virsh('qemu-monitor-command', name,
                       json.dumps({'execute': 'x-fake-fault', 'arguments': args}))
        self.assertIn('"return":{}', r.stdout.replace(' ', ''))

    def guest_filter(self, name, **args):
        """The guest of @name sets its NIC net0's filter (x-fake-guest-filter)."""
        args['name'] = 'net0'
        self.virsh('qemu-monitor-command', name,
                   json.dumps({'execute': 'x-fake-guest-filter', 'arguments': args}))

    def qemu_log(self, name):
        try:
            with open(os.path.join(self.root, 'var', 'log', 'qvirt', 'qemu',
                                   name + '.log'), errors='replace') as f:
                return f.read()
        except FileNotFoundError:
            return ''

    def wait_qemu_log(self, name, pattern, timeout=15):
        if not wait_for(lambda: re.search(pattern, self.qemu_log(name)), timeout):
            self.fail('no %r in the log of %s:\n%s' % (pattern, name,
                                                       self.qemu_log(name)[-3000:]))
        return re.search(pattern, self.qemu_log(name))

    def interfaces(self, name):
        """Host device names of @name's NICs, from virsh domiflist."""
        rows = [l.split() for l in self.virsh('domiflist', name).stdout.splitlines()[2:]
                if l.strip()]
        return [r[0] for r in rows]

    def host_mac(self, dev):
        with open('/proc/%d/root/sys/class/net/%s/address' % (self.holder.pid, dev)) as f:
            return f.read().strip()

    def fake_processes(self):
        """{pid: guest name} of live fake QEMUs whose monitor is under our root."""
        found = {}
        for entry in os.listdir('/proc'):
            if not entry.isdigit() or not pid_alive(int(entry)):
                continue
            try:
                with open('/proc/%s/cmdline' % entry, 'rb') as f:
                    args = f.read().decode(errors='replace').split('\0')
            except OSError:
                continue
            if FAKE_QEMU not in args or not any(self.root in a for a in args):
                continue
            name = args[args.index('-name') + 1].split(',')[0].split('=', 1)[1]
            found[int(entry)] = name
        return found

    def fake_pid(self, name):
        pids = [p for p, n in self.fake_processes().items() if n == name]
        self.assertEqual(len(pids), 1, 'fake QEMUs of %s: %r' % (name, pids))
        return pids[0]

    # ---- what must hold after every fault ----

    def assert_clean(self, running):
        """Exactly the domains in @running have a fake QEMU, host devices and files;
        qvirtd has no unreaped child."""
        fakes = self.fake_processes()
        self.assertEqual(sorted(fakes.values()), sorted(running),
                         'fake QEMUs: %r\ndaemon log:\n%s' % (fakes,
                                                             self.daemon_log()[-3000:]))
        zombies = [p for p in pids_of_children(self.daemon.pid) if not pid_alive(p)]
        self.assertEqual(zombies, [], 'qvirtd left children unreaped')
        devices = set(NAMESPACE_DEVICES)
        for name in running:
            devices.update(self.interfaces(name))
        self.assertEqual(set(os.listdir('/proc/%d/root/sys/class/net' % self.holder.pid)),
                         devices)
        files = {n + ext for n in running for ext in ('.xml', '.monitor')}
        self.assertEqual(set(os.listdir(self.statedir)), files)
        with open(os.path.join(self.root, 'run', 'qvirt', 'qvirtd.pid')) as f:
            self.assertEqual(int(f.read()), self.daemon.pid)

    def start_bystander(self):
        self.start(BYSTANDER)
        self.bystander_pid = self.fake_pid(BYSTANDER)
        self.bystander_devs = self.interfaces(BYSTANDER)

    def assert_bystander_ok(self, state='running'):
        """The well-behaved domain still runs the same QEMU and obeys."""
        self.assertEqual(self.fake_pid(BYSTANDER), self.bystander_pid)
        self.assertEqual(self.interfaces(BYSTANDER), self.bystander_devs)
        self.assertEqual(self.domstate(BYSTANDER).split(' (')[0], state)
        self.virsh('suspend', BYSTANDER)
        self.assertEqual(self.domstate(BYSTANDER), 'paused (user)')
        self.virsh('resume', BYSTANDER)
        self.assertEqual(self.domstate(BYSTANDER), 'running (unpaused)')
        r = self.virsh('qemu-monitor-command', BYSTANDER, '{"execute":"query-status"}')
        self.assertRegex(r.stdout, r'"status":\s*"running"')

    def assert_monitor_failed(self, name, why):
        """@name's monitor was declared failed for @why: the domain ends shut off
        (crashed), its QEMU and everything it had gone; it starts again cleanly."""
        self.wait_domstate(name, 'shut off (crashed)')
        self.assertRegex(self.daemon_log(), "QEMU monitor of domain '%s' failed: .*%s" %
                         (re.escape(name), why))
        self.assertIn((BYSTANDER, 'running'), [(n, s) for _, n, s in self.list_rows('--all')])
        self.assertIn(('-', name, 'shut off'), self.list_rows('--all'))
        self.assert_clean([BYSTANDER])
        self.assert_bystander_ok()
        self.start(name)
        self.virsh('destroy', name)
        self.assert_clean([BYSTANDER])

    # ---- QEMU misbehaves ----

    def test_greeting_never_comes(self):
        self.start_bystander()
        self.define('fq-nogreeting')
        start = self.virsh_bg('start', 'fq-nogreeting')
        self.wait_qemu_log('fq-nogreeting', 'not greeting')
        # While the start waits: the daemon serves, the domain shows as starting,
        # the bystander obeys.
        self.assertEqual(self.domstate('fq-nogreeting'), 'paused (starting up)')
        self.assert_bystander_ok()
        self.assertIsNone(start.poll(), 'the start ended early')
        rc, out, err, took = self.finish(start)
        report('start without a greeting failed after', took)
        self.assertEqual(rc, 1, out + err)
        self.assertIn('QEMU sent no monitor greeting within %d ms' % OPEN_TIMEOUT_MS, err)
        self.assertGreater(took, OPEN_TIMEOUT_MS / 1000.0 - 2)
        self.assertEqual(self.domstate('fq-nogreeting'), 'shut off (failed)')
        self.assert_clean([BYSTANDER])
        self.assert_bystander_ok()

    def test_reply_never_comes(self):
        self.start_bystander()
        self.start('cue-noreply')
        self.cue('cue-noreply', 'noreply', command='stop')
        suspend = self.virsh_bg('suspend', 'cue-noreply')
        self.wait_qemu_log('cue-noreply', 'swallowing stop')
        # The command holds the job, not the domain: everything else goes on.
        self.assertEqual(self.domstate('cue-noreply'), 'running (booted)')
        self.assertIn('cue-noreply', self.virsh('list', '--name').stdout)
        self.virsh('suspend', BYSTANDER)
        self.virsh('resume', BYSTANDER)
        report('while a command hung: domstate, list, a suspend, a resume',
               time.monotonic() - suspend.started)
        self.assertIsNone(suspend.poll(), 'suspend ended before the reply timeout')
        self.assert_bystander_ok()
        rc, out, err, took = self.finish(suspend)
        report('suspend without a reply failed after', took)
        self.assertEqual(rc, 1, out + err)
        self.assertIn("QEMU did not reply to command 'stop' within %d ms" % REPLY_TIMEOUT_MS,
                      err)
        self.assertGreater(took, REPLY_TIMEOUT_MS / 1000.0 - 0.5)
        self.assertLess(took, REPLY_TIMEOUT_MS / 1000.0 + 10)

        # Still controllable: other commands run, the state is QEMU's.
        self.assertEqual(self.domstate('cue-noreply'), 'running (booted)')
        r = self.virsh('qemu-monitor-command', 'cue-noreply', '{"execute":"query-status"}')
        self.assertRegex(r.stdout, r'"status":\s*"running"')
        self.virsh('reset', 'cue-noreply')

        # The reply comes late, after its command failed: it is dropped, and QEMU's
        # STOP event still moves the state.
        self.cue('cue-noreply', 'noreply', command='stop', late=True)
        rc, out, err, _ = self.finish(self.virsh_bg('suspend', 'cue-noreply'))
        self.assertEqual(rc, 1, out + err)
        self.assertIn("QEMU did not reply to command 'stop'", err)
        r = self.virsh('qemu-monitor-command', 'cue-noreply', '{"execute":"query-status"}')
        self.assertRegex(r.stdout, r'"status":\s*"paused"')
        self.assertRegex(self.daemon_log(), r"Dropping a QEMU reply with id 'qvirt-\d+'")
        self.wait_domstate('cue-noreply', 'paused (unknown)')
        self.virsh('resume', 'cue-noreply')
        self.assertEqual(self.domstate('cue-noreply'), 'running (unpaused)')

        # A hung command and destroy: destroy waits at most for the reply timeout.
        self.cue('cue-noreply', 'noreply', command='system_reset')
        reset = self.virsh_bg('reset', 'cue-noreply')
        self.wait_qemu_log('cue-noreply', 'swallowing system_reset')
        destroy = self.virsh_bg('destroy', 'cue-noreply')
        rc, out, err, took = self.finish(destroy)
        report('destroy during a hung command took', took)
        self.assertEqual(rc, 0, out + err)
        self.assertEqual(self.finish(reset)[0], 1)
        self.assertEqual(self.domstate('cue-noreply'), 'shut off (destroyed)')
        self.assert_clean([BYSTANDER])
        self.assert_bystander_ok()

    def test_stray_replies(self):
        self.start_bystander()
        self.start('cue-stray')
        self.cue('cue-stray', 'strayreply')
        # Every reply is now preceded by one nobody asked for.
        r = self.virsh('qemu-monitor-command', 'cue-stray', '{"execute":"query-status"}')
        self.assertRegex(r.stdout, r'"status":\s*"running"')
        self.virsh('suspend', 'cue-stray')
        self.assertEqual(self.domstate('cue-stray'), 'paused (user)')
        r = self.virsh('qemu-monitor-command', 'cue-stray', '{"execute":"query-status"}')
        self.assertRegex(r.stdout, r'"status":\s*"paused"')
        self.virsh('resume', 'cue-stray')
        self.assertEqual(self.domstate('cue-stray'), 'running (unpaused)')
        log = self.daemon_log()
        for stray in ('qvirt-999999999', 'qvirt-1', '<null>', 'fakeqemu-never-sent',
                      'fakeqemu-stray-'):
            self.assertIn("Dropping a QEMU reply with id '%s" % stray, log)
        self.assert_bystander_ok()
        self.virsh('destroy', 'cue-stray')
        self.assert_clean([BYSTANDER])

    def test_event_flood(self):
        self.start_bystander()
        self.start('cue-flood')
        dev = self.interfaces('cue-flood')[0]
        rss_before = self.daemon_rss()
        mon, lines = self.listen('qemu-monitor-event', '--domain', 'cue-flood', '--loop',
                                 '--event', 'NIC_RX_FILTER_CHANGED', '--timeout', '120')
        count, rate = 50000, 10000
        self.cue('cue-flood', 'flood', rate=rate, count=count)
        done = (r'flood done: (\d+) events in ([\d.]+) s, blocked ([\d.]+) s, '
                r'(\d+) query-rx-filter')
        calls = []
        # During the flood: the daemon answers, the flooding domain obeys too.
        while not re.search(done, self.qemu_log('cue-flood')):
            t = time.monotonic()
            self.virsh('suspend', 'cue-flood')
            self.virsh('resume', 'cue-flood')
            self.assertEqual(self.domstate('cue-flood'), 'running (unpaused)')
            self.assert_bystander_ok()
            calls.append(time.monotonic() - t)
            self.assertLess(sum(calls), 120, 'the flood does not end')
        m = re.search(done, self.qemu_log('cue-flood'))
        events, took, blocked, queries = (int(m.group(1)), float(m.group(2)),
                                          float(m.group(3)), int(m.group(4)))
        report('flood: %d events in %.1f s (QEMU blocked %.2f s), %d queries; '
               'slowest round' % (events, took, blocked, queries), max(calls), 's')
        self.assertEqual(events, count)
        self.assertGreaterEqual(len(calls), 1)
        # Waiting events of one NIC merge: far fewer queries than events.
        self.assertGreaterEqual(queries, 1)
        self.assertLess(queries, events / 4)
        self.assertTrue(wait_for(lambda: any('NIC_RX_FILTER_CHANGED' in l for l in lines), 10),
                        lines[-5:])
        self.assertIsNone(mon.poll(), 'the event listener was cut off: %r' % lines[-5:])
        growth = self.daemon_rss() - rss_before
        report('flood: %d events reached virsh; qvirtd grew by' % len(lines),
               growth / 1024.0, 'MiB')
        # The monitor reads 64 KiB at a time, rx filter events merge, and what the
        # listener has not read yet is bounded by its output queue. (A sanitizer's
        # allocator keeps freed memory in quarantine: RSS says nothing there, and
        # virnetmessagetest checks what a queued event holds in every build.)
        if not self.daemon_sanitized():
            self.assertLess(growth, 32 * 1024, 'qvirtd grew by %d KiB' % growth)
            # qvirtd keeps up: QEMU hardly waited to write. A sanitizer's
            # instrumentation is too slow for 10,000 events a second.
            self.assertLess(blocked, 1.0)
        # The pipeline still works: the host follows the guest's next change.
        self.guest_filter('cue-flood', mac='52:54:00:0f:10:0d')
        self.assertTrue(wait_for(lambda: self.host_mac(dev) == '52:54:00:0f:10:0d', 10),
                        self.host_mac(dev))
        self.assertEqual(self.domstate('cue-flood'), 'running (unpaused)')
        self.virsh('destroy', 'cue-flood')
        self.assert_clean([BYSTANDER])
        self.assert_bystander_ok()

    def daemon_rss(self):
        """qvirtd's resident memory in KiB."""
        return proc_status_kib(self.daemon.pid, 'VmRSS')

    def daemon_sanitized(self):
        """Whether qvirtd runs with AddressSanitizer or ThreadSanitizer."""
        with open('/proc/%d/maps' % self.daemon.pid) as f:
            return re.search(r'lib[at]san\.so', f.read()) is not None

    def test_huge_line(self):
        self.start_bystander()
        self.start('cue-hugeline')
        self.cue('cue-hugeline', 'hugeline', bytes=20 * 1024 * 1024)
        self.assert_monitor_failed('cue-hugeline',
                                   re.escape('more than %d bytes without a line end' %
                                             MAX_LINE))

    def test_invalid_utf8(self):
        self.start_bystander()
        self.start('cue-badutf8')
        self.cue('cue-badutf8', 'badutf8')
        self.assert_monitor_failed('cue-badutf8', 'Cannot parse JSON: .*UTF8')

    def test_deeply_nested_json(self):
        self.start_bystander()
        self.start('cue-deepjson')
        self.cue('cue-deepjson', 'deepjson', depth=100000)
        self.assert_monitor_failed('cue-deepjson', 'JSON nesting is deeper than 127 levels')

    def rx_filter_refused(self, name, faults):
        """Each of @faults, (fault, why), makes QEMU's filter replies invalid: each is
        refused for @why, the host keeps its last good state, the domain runs on,
        and once QEMU replies properly again the host follows the guest again."""
        self.start_bystander()
        self.start(name)
        dev = self.interfaces(name)[0]
        mac = '52:54:00:0f:00:01'
        self.guest_filter(name, mac=mac)
        self.assertTrue(wait_for(lambda: self.host_mac(dev) == mac, 10))

        for n, (fault, why) in enumerate(faults):
            self.cue(name, fault)
            # The fault sends the event: the first refused reply.
            pattern = ("Cannot query the rx filter of NIC 'net0' of domain '%s': Invalid "
                       "query-rx-filter reply for NIC 'net0': %s" % (name, why))
            self.assertTrue(wait_for(lambda: len(re.findall(pattern, self.daemon_log())) == 1,
                                     10), 'no %r in:\n%s' % (pattern, self.daemon_log()[-3000:]))
            # The guest changes its filter meanwhile: refused again.
            self.guest_filter(name, mac='52:54:00:0f:01:%02x' % n)
            self.assertTrue(wait_for(lambda: len(re.findall(pattern, self.daemon_log())) == 2,
                                     10), self.daemon_log()[-3000:])
            self.assertEqual(self.host_mac(dev), mac)
            self.assertEqual(self.domstate(name), 'running (booted)')
            self.cue(name, 'normal')

        # QEMU's replies are good again: the host follows the guest's next change.
        self.virsh('suspend', name)
        self.virsh('resume', name)
        self.guest_filter(name, mac='52:54:00:0f:00:03')
        self.assertTrue(wait_for(lambda: self.host_mac(dev) == '52:54:00:0f:00:03', 10),
                        self.host_mac(dev))
        self.assert_bystander_ok()
        self.virsh('destroy', name)
        self.assert_clean([BYSTANDER])

    def test_rx_filter_invalid_macs(self):
        self.rx_filter_refused('cue-badmac', [
            ('badmac', r"member 'main-mac' is not a MAC address \('52:54:00:[0-9a-f:]+zz'\)")])

    def test_rx_filter_huge_tables(self):
        self.rx_filter_refused('cue-hugetable', [
            ('hugetable', "member 'multicast-table' has 100000 entries, over the limit of 64"),
            ('hugevlan', "member 'vlan-table' has 100000 entries, over the limit of 4096")])

    def test_exit_between_command_and_reply(self):
        self.start_bystander()
        self.start('cue-exit')
        pid = self.fake_pid('cue-exit')
        self.cue('cue-exit', 'exitbeforereply', command='stop')
        rc, out, err, took = self.finish(self.virsh_bg('suspend', 'cue-exit'))
        report('suspend of an exiting QEMU failed after', took)
        self.assertEqual(rc, 1, out + err)
        self.assertIn("Cannot run QEMU command 'stop'", err)
        self.assertLess(took, REPLY_TIMEOUT_MS / 1000.0)
        self.wait_domstate('cue-exit', 'shut off (crashed)')
        self.assertFalse(pid_alive(pid))
        # Its socket stayed behind, as after a crash: qvirt removed it.
        self.assert_clean([BYSTANDER])
        self.assert_bystander_ok()

    # ---- qvirtd is killed ----

    def test_kill_daemon_during_start(self):
        self.start_bystander()
        self.define('fq-slowgreeting')
        start = self.virsh_bg('start', 'fq-slowgreeting')
        self.wait_qemu_log('fq-slowgreeting', 'greeting in')
        pid = self.fake_pid('fq-slowgreeting')
        self.kill_daemon()
        rc, out, err, _ = self.finish(start)
        self.assertEqual(rc, 1, out + err)
        self.start_daemon()
        # The start never finished: the new qvirtd ends it and cleans up.
        self.assertEqual(self.domstate('fq-slowgreeting'), 'shut off (failed)')
        self.assertTrue(wait_for(lambda: not pid_alive(pid), 15),
                        'the fake QEMU of the interrupted start is still running')
        self.assert_clean([BYSTANDER])
        self.assert_bystander_ok(state='running')
        # It starts again normally.
        self.virsh('start', 'fq-slowgreeting')
        self.assertEqual(self.domstate('fq-slowgreeting'), 'running (booted)')
        self.virsh('destroy', 'fq-slowgreeting')
        self.assert_clean([BYSTANDER])

    def test_kill_daemon_during_destroy(self):
        self.start_bystander()
        self.start('fq-ignoreterm')
        pid = self.fake_pid('fq-ignoreterm')
        destroy = self.virsh_bg('destroy', 'fq-ignoreterm')
        self.wait_qemu_log('fq-ignoreterm', 'ignoring signal %d' % signal.SIGTERM)
        self.kill_daemon()
        rc, out, err, _ = self.finish(destroy)
        self.assertEqual(rc, 1, out + err)
        self.assertTrue(pid_alive(pid))
        self.start_daemon()
        # The destroy was asked for and begun: the new qvirtd finishes it.
        self.assertEqual(self.domstate('fq-ignoreterm'), 'shut off (destroyed)')
        self.assertTrue(wait_for(lambda: not pid_alive(pid), 15),
                        'the fake QEMU of the interrupted destroy is still running')
        self.assert_clean([BYSTANDER])
        self.assert_bystander_ok()

    def test_kill_daemon_with_events_queued(self):
        self.start_bystander()
        self.start('fq-floodrx')
        pid = self.fake_pid('fq-floodrx')
        devs = self.interfaces('fq-floodrx')
        # The worker waits on slow queries; the domain's queue fills to its bound.
        self.assertTrue(wait_for(lambda: 'events waiting, its bound: dropping' in
                                 self.daemon_log(), 15),
                        self.daemon_log()[-3000:])
        self.kill_daemon()
        self.assertTrue(pid_alive(pid))
        self.start_daemon()
        # Running domains are taken over: the same QEMUs, devices and ids.
        self.assertEqual(self.domstate('fq-floodrx'), 'running (unknown)')
        self.assertEqual(self.fake_pid('fq-floodrx'), pid)
        self.assertEqual(self.interfaces('fq-floodrx'), devs)
        self.assert_clean([BYSTANDER, 'fq-floodrx'])
        self.assert_bystander_ok()
        # The flood goes on into the new qvirtd, and the host still follows the guest.
        self.guest_filter('fq-floodrx', mac='52:54:00:0f:20:01')
        self.assertTrue(wait_for(lambda: self.host_mac(devs[0]) == '52:54:00:0f:20:01', 15),
                        self.host_mac(devs[0]))
        self.virsh('suspend', 'fq-floodrx')
        self.assertEqual(self.domstate('fq-floodrx'), 'paused (user)')
        self.virsh('resume', 'fq-floodrx')
        self.virsh('destroy', 'fq-floodrx')
        self.assertEqual(self.domstate('fq-floodrx'), 'shut off (destroyed)')
        self.assert_clean([BYSTANDER])
        self.assert_bystander_ok()


if __name__ == '__main__':
    QvirtdHarness.qvirtd = os.path.abspath(sys.argv.pop(1))
    unittest.main(verbosity=2)
