#!/usr/bin/env python3
# virshtest.py: the real virsh (libvirt-clients) drives qvirtd over libvirt's remote protocol.
import os
import re
import shutil
import subprocess
import sys
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from qvirtdharness import QvirtdHarness, domain_xml, pid_alive, wait_for  # noqa: E402

DOMAIN_XML = domain_xml('virshtest', '4d1c6b1e-8b1a-4c53-9a0e-2f1f6e1a0c01', '52:54:00:ab:cd:21')


class VirshTest(QvirtdHarness, unittest.TestCase):
    def setUp(self):
        # No skipping: the suite runs as root with libvirt-clients installed
        # (.ci/packages.txt); anything else is a broken setup and must show.
        self.assertTrue(shutil.which('virsh'), 'virsh (libvirt-clients) is not installed')
        self.setup_daemon('qvirt-virshtest-')

    def tearDown(self):
        self.teardown_daemon()

    def test_connection(self):
        r = self.virsh('version', '--daemon')
        self.assertIn('Using API: QEMU', r.stdout)
        self.assertRegex(r.stdout, r'Running hypervisor: QEMU \d+\.\d+\.\d+')
        self.assertIn('Running against daemon: 9.0.0', r.stdout)
        self.assertEqual(self.virsh('uri').stdout.strip(), self.uri)
        hostname = subprocess.run(['hostname'], capture_output=True, text=True).stdout.strip()
        self.assertEqual(self.virsh('hostname').stdout.strip(), hostname)
        self.assertEqual(self.list_rows('--all'), [])

    def test_unknown_domain(self):
        for cmd in ('dominfo', 'start', 'domstate', 'dumpxml', 'destroy'):
            r = self.virsh(cmd, 'no-such-domain', rc=1)
            self.assertIn('error:', r.stderr)
            self.assertIn('no-such-domain', r.stderr)
        r = self.virsh('qemu-monitor-command', 'no-such-domain',
                       '{"execute":"query-status"}', rc=1)
        self.assertIn('no-such-domain', r.stderr)

    def test_lifecycle(self):
        xml = os.path.join(self.root, 'dom.xml')
        with open(xml, 'w') as f:
            f.write(DOMAIN_XML)
        uuid = '4d1c6b1e-8b1a-4c53-9a0e-2f1f6e1a0c01'

        r = self.virsh('define', xml)
        self.assertIn("Domain 'virshtest' defined", r.stdout)
        self.assertEqual(self.list_rows('--all'), [('-', 'virshtest', 'shut off')])
        self.assertEqual(self.list_rows(), [])
        self.assertEqual(self.virsh('list', '--all', '--name').stdout.strip(), 'virshtest')
        self.assertEqual(self.virsh('list', '--all', '--uuid').stdout.strip(), uuid)
        self.assertEqual(self.virsh('domstate', 'virshtest', '--reason').stdout.strip(),
                         'shut off (unknown)')
        r = self.virsh('dominfo', 'virshtest')
        self.assertRegex(r.stdout, r'State:\s+shut off')
        self.assertRegex(r.stdout, r'Persistent:\s+yes')
        self.assertRegex(r.stdout, r'Max memory:\s+65536 KiB')
        self.assertEqual(self.virsh('domuuid', 'virshtest').stdout.strip(), uuid)
        self.assertEqual(self.virsh('domname', uuid).stdout.strip(), 'virshtest')
        self.assertEqual(self.virsh('domid', 'virshtest').stdout.strip(), '-')

        r = self.virsh('start', 'virshtest')
        self.assertIn("Domain 'virshtest' started", r.stdout)
        self.qemu_pids = self.find_qemu()
        self.assertEqual(len(self.qemu_pids), 1, self.qemu_pids)
        rows = self.list_rows()
        self.assertEqual(len(rows), 1, rows)
        domid, name, state = rows[0]
        self.assertTrue(domid.isdigit(), rows)
        self.assertEqual((name, state), ('virshtest', 'running'))
        self.assertEqual(self.virsh('domid', 'virshtest').stdout.strip(), domid)
        self.assertEqual(self.virsh('domname', domid).stdout.strip(), 'virshtest')
        self.assertEqual(self.virsh('domstate', 'virshtest', '--reason').stdout.strip(),
                         'running (booted)')
        r = self.virsh('dominfo', 'virshtest')
        self.assertRegex(r.stdout, r'Id:\s+%s' % domid)
        self.assertRegex(r.stdout, r'State:\s+running')
        self.assertRegex(r.stdout, r'OS Type:\s+hvm')
        self.assertRegex(r.stdout, r'Security model:\s+none')
        live = self.virsh('dumpxml', 'virshtest').stdout
        self.assertIn("id='%s'" % domid, live)
        self.assertIn("<source dev='vt-host0' mode='bridge'/>", live)
        r = self.virsh('domiflist', 'virshtest')
        self.assertRegex(r.stdout, r'\S+\s+direct\s+vt-host0\s+virtio\s+52:54:00:ab:cd:21')
        r = self.virsh('nodeinfo', rc=1)
        self.assertIn('not supported', r.stderr)
        inactive = self.virsh('dumpxml', 'virshtest', '--inactive').stdout
        self.assertNotIn("id='%s'" % domid, inactive)
        self.virsh('start', 'virshtest', rc=1)

        r = self.virsh('qemu-monitor-command', 'virshtest', '{"execute":"query-status"}')
        self.assertRegex(r.stdout, r'"status":\s*"running"')
        r = self.virsh('qemu-monitor-command', 'virshtest', '--pretty',
                       '{"execute":"query-status"}')
        self.assertIn('\n  "return": {\n    "status": "running"', r.stdout)
        r = self.virsh('qemu-monitor-command', 'virshtest', '{"execute":"no-such-cmd"}')
        self.assertIn('CommandNotFound', r.stdout)

        self.assertIn('suspended', self.virsh('suspend', 'virshtest').stdout)
        self.assertEqual(self.virsh('domstate', 'virshtest', '--reason').stdout.strip(),
                         'paused (user)')
        self.assertEqual(self.list_rows('--state-paused'), [(domid, 'virshtest', 'paused')])
        r = self.virsh('qemu-monitor-command', 'virshtest', '{"execute":"query-status"}')
        self.assertRegex(r.stdout, r'"status":\s*"paused"')
        self.assertIn('resumed', self.virsh('resume', 'virshtest').stdout)
        self.assertEqual(self.virsh('domstate', 'virshtest').stdout.strip(), 'running')
        self.virsh('resume', 'virshtest', rc=1)

        self.virsh('reset', 'virshtest')
        self.virsh('reboot', 'virshtest')
        self.assertEqual(self.virsh('domstate', 'virshtest').stdout.strip(), 'running')

        self.virsh('autostart', 'virshtest')
        self.assertRegex(self.virsh('dominfo', 'virshtest').stdout, r'Autostart:\s+enable')
        self.assertEqual(self.list_rows('--autostart'), [(domid, 'virshtest', 'running')])
        self.virsh('autostart', '--disable', 'virshtest')
        self.assertRegex(self.virsh('dominfo', 'virshtest').stdout, r'Autostart:\s+disable')

        self.assertIn('destroyed', self.virsh('destroy', 'virshtest').stdout)
        self.assertEqual(self.virsh('domstate', 'virshtest', '--reason').stdout.strip(),
                         'shut off (destroyed)')
        self.assertEqual(self.list_rows('--all'), [('-', 'virshtest', 'shut off')])
        self.virsh('destroy', 'virshtest', rc=1)

        self.assertIn('undefined', self.virsh('undefine', 'virshtest').stdout)
        self.assertEqual(self.list_rows('--all'), [])
        r = self.virsh('dominfo', 'virshtest', rc=1)
        self.assertIn("virshtest", r.stderr)

    def test_events(self):
        xml = os.path.join(self.root, 'dom.xml')
        with open(xml, 'w') as f:
            f.write(DOMAIN_XML)
        self.virsh('define', xml)

        ev, lines = self.listen('event', '--all', '--loop', '--timeout', '120')
        # Redefine until the listener has registered and shows it.
        prefix = "event 'lifecycle' for domain 'virshtest': "
        self.assertTrue(wait_for(lambda: self.virsh('define', xml) and
                                 any(prefix + 'Defined Updated' in l for l in lines), 15),
                        'no Defined Updated event: %r' % lines)
        self.virsh('start', 'virshtest')
        self.qemu_pids = self.find_qemu()
        i = self.wait_line(lines, re.escape(prefix + 'Started Booted'))

        mon, mlines = self.listen('qemu-monitor-event', '--domain', 'virshtest', '--loop',
                                  '--event', 'STOP', '--timeout', '120')
        stop_re = r"^event STOP at \d+\.\d{6} for domain 'virshtest': <null>$"

        def suspended():
            self.virsh('suspend', 'virshtest')
            self.virsh('resume', 'virshtest')
            return any(re.search(stop_re, l) for l in mlines)
        self.assertTrue(wait_for(suspended, 15), 'no STOP event: %r' % mlines)
        self.virsh('suspend', 'virshtest')
        i = self.wait_line(lines, re.escape(prefix + 'Suspended Paused'), i)
        self.virsh('resume', 'virshtest')
        i = self.wait_line(lines, re.escape(prefix + 'Resumed Unpaused'), i)
        self.virsh('reset', 'virshtest')
        self.wait_line(lines, r"^event 'reboot' for domain 'virshtest'$", i)
        self.virsh('destroy', 'virshtest')
        i = self.wait_line(lines, re.escape(prefix + 'Stopped Destroyed'), i)
        self.virsh('undefine', 'virshtest')
        self.wait_line(lines, re.escape(prefix + 'Undefined Removed'), i)
        # The filter holds: the resumes sent no RESUME line.
        self.assertFalse([l for l in mlines if 'RESUME' in l], mlines)
        self.assertTrue(all(re.search(stop_re, l) for l in mlines if l.startswith('event')),
                        mlines)
        self.assertIsNone(ev.poll(), lines)
        self.assertIsNone(mon.poll(), mlines)

    def test_transient(self):
        xml = os.path.join(self.root, 'dom.xml')
        with open(xml, 'w') as f:
            f.write(DOMAIN_XML.replace('virshtest', 'virshtrans'))
        r = self.virsh('create', xml)
        self.assertIn("Domain 'virshtrans' created", r.stdout)
        self.qemu_pids = self.find_qemu()
        rows = self.list_rows('--all')
        self.assertEqual([(n, s) for _, n, s in rows], [('virshtrans', 'running')])
        self.assertEqual(self.list_rows('--transient'), rows)
        self.assertEqual(self.list_rows('--persistent', '--all'), [])
        self.assertRegex(self.virsh('dominfo', 'virshtrans').stdout, r'Persistent:\s+no')
        self.virsh('shutdown', 'virshtrans')
        self.virsh('destroy', 'virshtrans')
        self.assertEqual(self.list_rows('--all'), [])

    def test_daemon_restart(self):
        """A domain running before qvirtd restarts is running and controllable after it."""
        xml = os.path.join(self.root, 'dom.xml')
        with open(xml, 'w') as f:
            f.write(DOMAIN_XML)
        self.virsh('define', xml)
        self.virsh('start', 'virshtest')
        self.qemu_pids = self.find_qemu()
        self.assertEqual(len(self.qemu_pids), 1, self.qemu_pids)
        qemu_pid = self.qemu_pids[0]
        rows = self.list_rows()
        self.assertEqual([(n, s) for _, n, s in rows], [('virshtest', 'running')])
        domid = rows[0][0]

        self.assertEqual(self.stop_daemon(), 0,
                         'qvirtd did not stop cleanly:\n' + self.daemon_log()[-4000:])
        self.assertTrue(pid_alive(qemu_pid), 'QEMU died with qvirtd')
        self.start_daemon()

        self.assertEqual(self.list_rows(), [(domid, 'virshtest', 'running')])
        self.assertEqual(self.virsh('domstate', 'virshtest').stdout.strip(), 'running')
        self.assertEqual(self.virsh('domid', 'virshtest').stdout.strip(), domid)
        self.assertTrue(pid_alive(qemu_pid), 'QEMU died across the restart')
        # The same QEMU: the only one whose command line names this root.
        self.assertEqual(self.qemu_of_root(), [qemu_pid])
        r = self.virsh('qemu-monitor-command', 'virshtest', '{"execute":"query-status"}')
        self.assertRegex(r.stdout, r'"status":\s*"running"')
        self.virsh('suspend', 'virshtest')
        self.assertEqual(self.virsh('domstate', 'virshtest').stdout.strip(), 'paused')
        self.virsh('resume', 'virshtest')
        self.assertIn("id='%s'" % domid, self.virsh('dumpxml', 'virshtest').stdout)

        self.assertIn('destroyed', self.virsh('destroy', 'virshtest').stdout)
        self.assertTrue(wait_for(lambda: not pid_alive(qemu_pid), 10),
                        'QEMU %d still running after destroy' % qemu_pid)
        self.assertEqual(self.qemu_of_root(), [])
        self.assertEqual(self.list_rows('--all'), [('-', 'virshtest', 'shut off')])
        self.virsh('undefine', 'virshtest')


if __name__ == '__main__':
    QvirtdHarness.qvirtd = os.path.abspath(sys.argv.pop(1))
    unittest.main(verbosity=2)
