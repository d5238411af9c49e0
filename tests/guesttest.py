#!/usr/bin/env python3
# guesttest.py: a real Linux guest changes its receive filter; qvirtd mirrors it on the host.
"""End to end: real guest kernel (virtio-net), real QEMU, real virsh, qvirtd under --root.

Each test boots the guest of scripts/build-test-guest.py in qvirtd's namespace, drives it
over its serial console and polls the host side (sysfs, /proc/net/dev_mcast, the bridge's
forwarding table) until it reaches the guest's state, printing how long that took.
"""
import os
import random
import shutil
import signal
import sys
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from qvirtdharness import QvirtdHarness, pid_alive, wait_for  # noqa: E402
from guestharness import (GUEST_IP, GuestHarness, HostView, build_test_guest,  # noqa: E402
                          host_mirrors, percentile, wait_host)

NAME = 'guesttest'
UUID = '6a0c2b47-1d3e-4f5a-9b8c-7d6e5f4a3b21'
MAC = '52:54:00:6a:00:01'
# The seed of the random action sequence; QVIRT_GUEST_SEED replays another one.
DEFAULT_SEED = 20261204
# How long the host may take to follow one guest change (TCG, sanitizer builds, 2 cores).
FOLLOW_BOUND = 20.0
# Groups the tests join are in 01:00:5e:42:xx:xx, which neither kernel joins by itself.
TEST_GROUP_PREFIX = '01:00:5e:42:'


def direct_interface(trust='yes', mac=MAC):
    return """    <interface type='direct' trustGuestRxFilters='%s'>
      <mac address='%s'/>
      <source dev='vt-host0' mode='bridge'/>
      <model type='virtio'/>
    </interface>""" % (trust, mac)


def report(what, seconds):
    print('guesttest: %-34s host followed in %7.1f ms' % (what, seconds * 1000),
          file=sys.stderr)


class GuestTest(GuestHarness, QvirtdHarness, unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.guestdir = build_test_guest()

    def setUp(self):
        self.assertTrue(shutil.which('virsh'), 'virsh (libvirt-clients) is not installed')
        self.setup_daemon('qvirt-guesttest-')
        self.host = HostView(self.holder.pid)
        self.console = None
        self.latencies = []

    def tearDown(self):
        if self.console:
            self.console.close()
        self.teardown_daemon()

    def context(self):
        return '\nconsole:\n%s\ndaemon log:\n%s' % (
            '\n'.join(self.console.lines[-30:]) if self.console else '',
            self.daemon_log()[-4000:])

    def follow(self, what, command, pred, dev):
        """Runs @command in the guest; waits until @pred(host state of @dev) holds."""
        ticket = self.console.send(command)
        took = wait_host(lambda: pred(self.host.nic(dev)), FOLLOW_BOUND)
        self.console.wait_done(ticket)
        self.assertIsNotNone(took, '%s: the host did not follow within %.0f s: %r%s' %
                             (what, FOLLOW_BOUND, self.host.nic(dev), self.context()))
        report(what, took)
        self.latencies.append(took)
        return took

    def assert_host_mirrors_guest(self, dev, what):
        guest = self.console.nic()
        took = wait_host(lambda: host_mirrors(self.host.nic(dev), guest), FOLLOW_BOUND)
        self.assertIsNotNone(took, '%s: host %r does not mirror guest %r%s' %
                             (what, self.host.nic(dev), guest, self.context()))
        test_groups = {g for g in self.host.nic(dev).groups if g.startswith(TEST_GROUP_PREFIX)}
        if len(guest.groups) <= 64:
            self.assertEqual(test_groups,
                             {g for g in guest.groups if g.startswith(TEST_GROUP_PREFIX)},
                             '%s: the host keeps groups the guest left' % what)
        return took

    def report_summary(self, what):
        if self.latencies:
            print('guesttest: %s: %d changes, p50 %.1f ms, p95 %.1f ms, max %.1f ms' % (
                what, len(self.latencies), percentile(self.latencies, 50) * 1000,
                percentile(self.latencies, 95) * 1000, max(self.latencies) * 1000),
                file=sys.stderr)

    def test_macvtap_follows_each_guest_action(self):
        dev = self.start_guest(NAME, UUID, direct_interface())
        # Listening from here on: the changes below send several events, seconds apart.
        mon, events = self.listen('qemu-monitor-event', '--domain', NAME, '--loop',
                                  '--event', 'NIC_RX_FILTER_CHANGED', '--timeout', '600')
        self.assertTrue(dev.startswith('macvtap'), dev)
        self.assert_host_mirrors_guest(dev, 'after boot')
        ip = GUEST_IP
        g1, g2 = TEST_GROUP_PREFIX + '00:01', TEST_GROUP_PREFIX + '00:02'

        self.follow('MAC change', ip + ' link set eth0 address 52:54:00:6a:00:99',
                    lambda h: h and h.mac == '52:54:00:6a:00:99', dev)
        self.follow('multicast group joined', '%s maddr add %s dev eth0' % (ip, g1),
                    lambda h: h and g1 in h.groups, dev)
        self.follow('second group joined', '%s maddr add %s dev eth0' % (ip, g2),
                    lambda h: h and {g1, g2} <= h.groups, dev)
        self.follow('multicast group left', '%s maddr del %s dev eth0' % (ip, g1),
                    lambda h: h and g1 not in h.groups and g2 in h.groups, dev)
        self.follow('promiscuous on', ip + ' link set eth0 promisc on',
                    lambda h: h and h.promisc, dev)
        self.follow('promiscuous off', ip + ' link set eth0 promisc off',
                    lambda h: h and not h.promisc, dev)
        self.follow('all-multicast on', ip + ' link set eth0 allmulticast on',
                    lambda h: h and h.allmulti, dev)
        self.follow('all-multicast off', ip + ' link set eth0 allmulticast off',
                    lambda h: h and not h.allmulti, dev)
        self.assert_host_mirrors_guest(dev, 'after the single changes')

        # Past QEMU's 64 table entries the guest's list overflows: the host goes ALLMULTI.
        many = ['%s%02x:%02x' % (TEST_GROUP_PREFIX, 1, i) for i in range(70)]
        self.follow('70 groups joined (overflow)',
                    '; '.join('%s maddr add %s dev eth0' % (ip, g) for g in many[:35]) +
                    ' && sleep 0', lambda h: h and set(many[:35]) <= h.groups, dev)
        self.follow('overflow to all-multicast',
                    '; '.join('%s maddr add %s dev eth0' % (ip, g) for g in many[35:]),
                    lambda h: h and h.allmulti, dev)
        self.assert_host_mirrors_guest(dev, 'overflowed')
        self.follow('back under the table size',
                    '; '.join('%s maddr del %s dev eth0' % (ip, g) for g in many),
                    lambda h: h and not h.allmulti and not (set(many) & h.groups), dev)

        # A VLAN on eth0 puts VLAN ids in QEMU's table: the host must go promiscuous.
        self.follow('VLAN device added',
                    'load-module 8021q && %s link add link eth0 name eth0.5 type vlan id 5'
                    % ip,
                    lambda h: h and h.promisc, dev)
        self.assert_host_mirrors_guest(dev, 'with a VLAN')
        self.report_summary('single actions')

        # The monitor's events reached virsh too.
        self.wait_line(events, r"^event NIC_RX_FILTER_CHANGED at \d+\.\d{6} for domain "
                       r"'%s': \{.*\"name\":\s*\"net0\"" % NAME)
        self.assertIsNone(mon.poll(), events)

    def test_random_sequence(self):
        seed = int(os.environ.get('QVIRT_GUEST_SEED', DEFAULT_SEED))
        print('guesttest: random sequence seed %d (QVIRT_GUEST_SEED=%d replays it)' %
              (seed, seed), file=sys.stderr)
        rng = random.Random(seed)
        dev = self.start_guest(NAME, UUID, direct_interface())
        ip = GUEST_IP
        joined = set()
        commands = []
        for _ in range(50):
            kind = rng.choice(['mac', 'join', 'join', 'leave', 'promisc', 'allmulti'])
            if kind == 'leave' and not joined:
                kind = 'join'
            if kind == 'mac':
                cmd = '%s link set eth0 address 52:54:00:6a:%02x:%02x' % (
                    ip, rng.randrange(256), rng.randrange(256))
            elif kind == 'join':
                group = '%s%02x:%02x' % (TEST_GROUP_PREFIX, 2, rng.randrange(40))
                cmd = '%s maddr add %s dev eth0' % (ip, group)
                if group in joined:
                    cmd = '%s maddr del %s dev eth0' % (ip, group)
                    joined.discard(group)
                else:
                    joined.add(group)
            elif kind == 'leave':
                group = rng.choice(sorted(joined))
                joined.discard(group)
                cmd = '%s maddr del %s dev eth0' % (ip, group)
            else:
                flag = 'promisc' if kind == 'promisc' else 'allmulticast'
                cmd = '%s link set eth0 %s %s' % (ip, flag, rng.choice(['on', 'off']))
            commands.append(cmd)
        print('guesttest: the sequence:\n  ' + '\n  '.join(commands), file=sys.stderr)
        # Back to back: the host sees bursts of events, as from a busy guest.
        for cmd in commands:
            self.console.run(cmd)
        took = self.assert_host_mirrors_guest(dev, 'after 50 random actions')
        report('last of 50 random actions', took)

    def test_untrusted_nic_is_left_alone(self):
        dev = self.start_guest(NAME, UUID, direct_interface(trust='no'))
        before = self.host.nic(dev)
        self.assertEqual(before.mac, MAC)
        self.console.run(GUEST_IP + ' link set eth0 address 52:54:00:6a:00:77')
        self.console.run('%s maddr add %s00:07 dev eth0' % (GUEST_IP, TEST_GROUP_PREFIX))
        # QEMU has the guest's new filter (the query also re-arms its event, so any
        # later change would be announced again)...
        self.assertTrue(wait_for(lambda: '52:54:00:6a:00:77' in self.virsh(
            'qemu-monitor-command', NAME, '{"execute":"query-rx-filter"}').stdout, 20))
        self.console.run(GUEST_IP + ' link set eth0 promisc on')
        # ...and the host, after the worker had time to act on any event, has not.
        self.assertFalse(wait_for(lambda: self.host.nic(dev).mac != MAC, 2.0))
        after = self.host.nic(dev)
        self.assertEqual(after.mac, MAC)
        self.assertFalse(after.promisc)
        self.assertNotIn(TEST_GROUP_PREFIX + '00:07', after.groups)

    def bridge_fdb_static(self, tap):
        """MACs with a static forwarding entry on bridge port @tap."""
        out = self.host.run('bridge', 'fdb', 'show', 'dev', tap)
        return {l.split()[0] for l in out.splitlines()
                if ' static' in l and 'permanent' not in l and 'self' not in l}

    def test_bridge_tap_forwarding_entry(self):
        self.host.run('ip', 'link', 'add', 'vt-br0', 'type', 'bridge')
        self.host.run('ip', 'link', 'set', 'vt-br0', 'up')
        tap = self.start_guest(NAME, UUID, """    <interface type='bridge' trustGuestRxFilters='yes'>
      <mac address='%s'/>
      <source bridge='vt-br0'/>
      <target dev='vt-tap0'/>
      <model type='virtio'/>
    </interface>""" % MAC)
        self.assertEqual(tap, 'vt-tap0')
        tap_mac = self.host.nic(tap).mac
        self.assertNotEqual(tap_mac, MAC)
        # With learning off the bridge never learns the guest's MAC: qvirt keeps a static
        # entry for the guest's current MAC (docs/rx-filter-mirroring.rst).
        self.host.run('ip', 'link', 'set', 'dev', tap, 'type', 'bridge_slave', 'learning', 'off')
        mac_a, mac_b, mac_c = '52:54:00:6a:0a:01', '52:54:00:6a:0b:01', '52:54:00:6a:0c:01'
        for mac, gone in ((mac_a, MAC), (mac_b, mac_a)):
            ticket = self.console.send(GUEST_IP + ' link set eth0 address ' + mac)
            took = wait_host(lambda: self.bridge_fdb_static(tap) == {mac}, FOLLOW_BOUND, 0.01)
            self.console.wait_done(ticket)
            self.assertIsNotNone(took, 'no static entry for %s alone on %s: %s%s' % (
                mac, tap, self.bridge_fdb_static(tap), self.context()))
            report('forwarding entry for a new MAC', took)
        # The tap's own MAC is the host's end of the link: untouched.
        self.assertEqual(self.host.nic(tap).mac, tap_mac)
        # Learning back on: qvirt's entry goes at the next sync, and none is added.
        self.host.run('ip', 'link', 'set', 'dev', tap, 'type', 'bridge_slave', 'learning', 'on')
        self.console.run(GUEST_IP + ' link set eth0 address ' + mac_c)
        self.assertTrue(wait_host(lambda: self.bridge_fdb_static(tap) == set(), FOLLOW_BOUND,
                                  0.01) is not None,
                        'entries left with learning on: %s' % self.bridge_fdb_static(tap))

    def test_guest_reboot_resyncs(self):
        dev = self.start_guest(NAME, UUID, direct_interface())
        ip = GUEST_IP
        group = TEST_GROUP_PREFIX + '00:03'
        self.console.run('%s link set eth0 address 52:54:00:6a:00:33 && '
                         '%s maddr add %s dev eth0 && %s link set eth0 allmulticast on' %
                         (ip, ip, group, ip))
        self.assert_host_mirrors_guest(dev, 'before the reboot')
        self.assertEqual(self.host.nic(dev).mac, '52:54:00:6a:00:33')
        # A guest reboot resets the device (QEMU's RESET, no NIC_RX_FILTER_CHANGED): the
        # guest comes back with the configured MAC and an empty list.
        mark = self.console.mark()
        self.console.send('reboot -f')
        took = wait_host(lambda: (lambda h: h and h.mac == MAC and group not in h.groups and
                                  not h.allmulti)(self.host.nic(dev)), 90)
        self.assertIsNotNone(took, 'host kept the pre-reboot filter: %r%s' %
                             (self.host.nic(dev), self.context()))
        report('guest reboot', took)
        self.console.wait_ready(mark)
        self.assert_host_mirrors_guest(dev, 'after the reboot')
        self.assertEqual(self.virsh('domstate', NAME).stdout.strip(), 'running')

    def test_daemon_restart_catches_up(self):
        dev = self.start_guest(NAME, UUID, direct_interface())
        qemu_pid = self.qemu_pids[0]
        self.assert_host_mirrors_guest(dev, 'before the restart')
        self.assertEqual(self.stop_daemon(), 0, self.context())
        # While no daemon listens the guest changes everything; QEMU's one event is lost.
        group = TEST_GROUP_PREFIX + '00:04'
        self.console.run('%s link set eth0 address 52:54:00:6a:00:44 && '
                         '%s maddr add %s dev eth0 && %s link set eth0 promisc on' %
                         (GUEST_IP, GUEST_IP, group, GUEST_IP))
        self.assertEqual(self.host.nic(dev).mac, MAC)
        self.start_daemon()
        # No guest action from here: the reconnect alone must bring the host up to date.
        took = wait_host(lambda: (lambda h: h and h.mac == '52:54:00:6a:00:44' and
                                  group in h.groups and h.promisc)(self.host.nic(dev)),
                         FOLLOW_BOUND)
        self.assertIsNotNone(took, 'host did not catch up after the restart: %r%s' %
                             (self.host.nic(dev), self.context()))
        report('daemon restart (from socket up)', took)
        self.assert_host_mirrors_guest(dev, 'after the restart')
        self.assertEqual(self.qemu_of_root(), [qemu_pid])
        # The event is armed again: the next change is followed as usual.
        self.follow('first change after the restart', GUEST_IP + ' link set eth0 promisc off',
                    lambda h: h and not h.promisc, dev)

    def test_qemu_killed(self):
        dev = self.start_guest(NAME, UUID, direct_interface())
        self.console.run(GUEST_IP + ' link set eth0 address 52:54:00:6a:00:55')
        qemu_pid = self.qemu_pids[0]
        os.kill(qemu_pid, signal.SIGKILL)
        self.assertTrue(wait_for(lambda: self.virsh('domstate', NAME, '--reason').stdout.strip()
                                 == 'shut off (crashed)', 20), self.context())
        self.assertTrue(wait_for(lambda: not self.host.exists(dev), 10),
                        '%s outlived its QEMU' % dev)
        self.assertFalse(pid_alive(qemu_pid))
        self.assertEqual(self.virsh('list', '--all', '--name').stdout.strip(), NAME)
        self.assertIn('52:54:00:6a:00:01', self.virsh('dumpxml', NAME).stdout)
        # qvirtd keeps serving: the domain starts again with its configured MAC.
        self.virsh('start', NAME)
        self.qemu_pids = self.find_qemu()
        self.assertEqual(self.host.nic(self.interface_name(NAME)).mac, MAC)
        self.assertIn('destroyed', self.virsh('destroy', NAME).stdout)


if __name__ == '__main__':
    QvirtdHarness.qvirtd = os.path.abspath(sys.argv.pop(1))
    unittest.main(verbosity=2)
