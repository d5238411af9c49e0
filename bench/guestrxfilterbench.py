#!/usr/bin/env python3
# guestrxfilterbench.py: how fast the host follows a real guest's receive filter changes.
"""Boots the test guest (scripts/build-test-guest.py) under qvirtd --root in a network
namespace of its own, with a trusted macvtap NIC, and makes N filter changes inside the
guest, one at a time: MAC address, multicast join and leave, promiscuous and
all-multicast on and off, in turn.  For each it measures the time from writing the
command to the guest's console until the host macvtap shows the new state (polled every
0.2 ms) and until the guest reported the command done; as the guest's own share, the
same command when it changes nothing; and as the daemon's own share, the time from the
last NIC_RX_FILTER_CHANGED QEMU sent for a change (its timestamp, seen through `virsh
qemu-monitor-event`) to the host state.  Prints p50/p95/max, the daemon's CPU time per
change, its RSS and threads.  With --libvirtd the same guest and changes run under
Debian's libvirtd 9.0 too (bench/libvirtdharness.py), in alternating rounds.  Needs
root."""
import argparse
import os
import re
import sys
import time
import unittest

SOURCE_ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(SOURCE_ROOT, 'tests'))
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from qvirtdharness import QvirtdHarness, proc_status_kib  # noqa: E402
from libvirtdharness import LibvirtdHarness  # noqa: E402
from guestharness import (GUEST_IP, GuestHarness, HostView, build_test_guest,  # noqa: E402
                          percentile, wait_host)

NAME = 'guestbench'
UUID = '0b3c5d7e-9f10-4a2b-8c4d-6e8f0a1b2c3d'
MAC = '52:54:00:be:00:01'


# How long a change may take before it counts as not followed.
MISS_AFTER = 10.0


class Bench(GuestHarness, QvirtdHarness, unittest.TestCase):
    daemon_name = 'qvirtd'

    def runTest(self):
        pass


class LibvirtdBench(LibvirtdHarness, GuestHarness, QvirtdHarness, unittest.TestCase):
    def runTest(self):
        pass


def actions():
    """Endless (what, guest command, predicate on the host NicState) cycle."""
    group = '01:00:5e:42:be:01'
    n = 0
    while True:
        n += 1
        mac = '52:54:00:be:%02x:%02x' % ((n >> 8) & 0xff, n & 0xff)
        yield ('mac', '%s link set eth0 address %s' % (GUEST_IP, mac),
               lambda h, mac=mac: h.mac == mac)
        yield ('join', '%s maddr add %s dev eth0' % (GUEST_IP, group),
               lambda h: group in h.groups)
        yield ('leave', '%s maddr del %s dev eth0' % (GUEST_IP, group),
               lambda h: group not in h.groups)
        yield ('promisc on', GUEST_IP + ' link set eth0 promisc on', lambda h: h.promisc)
        yield ('promisc off', GUEST_IP + ' link set eth0 promisc off',
               lambda h: not h.promisc)
        yield ('allmulti on', GUEST_IP + ' link set eth0 allmulticast on',
               lambda h: h.allmulti)
        yield ('allmulti off', GUEST_IP + ' link set eth0 allmulticast off',
               lambda h: not h.allmulti)


def proc_cpu_seconds(pid):
    with open('/proc/%d/stat' % pid) as f:
        fields = f.read().rsplit(')', 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf('SC_CLK_TCK')


def ms(seconds):
    return '%.1f ms' % (seconds * 1000)


def measure(harness, changes):
    """Boots the guest under @harness's daemon and measures @changes changes.
    Returns a dict of figures."""
    bench = harness()
    bench.setup_daemon('qvirt-guestbench-')
    figures = {'daemon': harness.daemon_name, 'changes': changes, 'missed': []}
    try:
        host = HostView(bench.holder.pid)
        dev = bench.start_guest(NAME, UUID, """    <interface type='direct' trustGuestRxFilters='yes'>
      <mac address='%s'/>
      <source dev='vt-host0' mode='bridge'/>
      <model type='virtio'/>
    </interface>""" % MAC)
        pid = bench.daemon.pid
        # QEMU stamps each event with its wall clock time when it sends it.
        _, events = bench.listen('qemu-monitor-event', '--domain', NAME, '--loop', '--event',
                                 'NIC_RX_FILTER_CHANGED', '--timeout', '3600')
        time.sleep(1)
        cpu_start = proc_cpu_seconds(pid)
        figures['rss_start'] = proc_status_kib(pid, 'VmRSS')
        to_host, to_done, windows = [], [], []
        gen = actions()
        for i in range(changes):
            what, command, pred = next(gen)
            start, start_wall = time.monotonic(), time.time()
            ticket = bench.console.send(command)
            took = wait_host(lambda: (lambda h: h is not None and pred(h))(host.nic(dev)),
                             MISS_AFTER, 0.0002)
            seen_wall = time.time()
            bench.console.wait_done(ticket)
            done = time.monotonic() - start
            if took is None:
                # Not followed: the daemon missed the change (counted, not timed).
                figures['missed'].append('%d: %s' % (i, what))
                continue
            to_host.append(took)
            to_done.append(done)
            windows.append((start_wall, seen_wall))
        figures['cpu'] = proc_cpu_seconds(pid) - cpu_start
        # The guest's own share: the same kind of command, changing nothing (promisc is
        # off already), so no control command reaches QEMU and no event is sent.
        baseline = []
        for _ in range(50):
            start = time.monotonic()
            bench.console.run(GUEST_IP + ' link set eth0 promisc off')
            baseline.append(time.monotonic() - start)
        figures['rss_end'] = proc_status_kib(pid, 'VmRSS')
        figures['hwm'] = proc_status_kib(pid, 'VmHWM')
        figures['threads'] = len(os.listdir('/proc/%d/task' % pid))
        time.sleep(1)
        stamps = sorted(float(m.group(1)) for m in
                        (re.match(r'^event NIC_RX_FILTER_CHANGED at (\d+\.\d+) ', l)
                         for l in list(events)) if m)
        bench.virsh('destroy', NAME)
    finally:
        if bench.console:
            bench.console.close()
        for qemu in bench.qemu_of_root():
            os.kill(qemu, 9)
        bench.teardown_daemon()
        bench.doCleanups()

    # The daemon's share: from the last event QEMU sent for a change to the host state.
    from_event, per_change = [], []
    for start_wall, seen_wall in windows:
        inside = [t for t in stamps if start_wall <= t <= seen_wall]
        per_change.append(len(inside))
        if inside:
            from_event.append(seen_wall - inside[-1])
    figures.update(to_host=to_host, to_done=to_done, baseline=baseline,
                   from_event=from_event,
                   events_per_change=sum(per_change) / max(1, len(per_change)))
    return figures


def dist(values):
    if not values:
        return 'n/a'
    return 'p50 %s  p95 %s  max %s' % (ms(percentile(values, 50)), ms(percentile(values, 95)),
                                       ms(max(values)))


def report(f):
    name = f['daemon']
    print('== %s: %d guest rx-filter changes (MAC, multicast join/leave, promisc, '
          'allmulticast in turn)' % (name, f['changes']))
    print('guest command -> host state:         ' + dist(f['to_host']))
    print('guest command -> guest reports done: ' + dist(f['to_done']))
    print('guest no-op command -> done:         %s  (the guest\'s own share)' %
          dist(f['baseline']))
    print('last QEMU event -> host state:       %s  (%.1f events per change)' % (
        dist(f['from_event']), f['events_per_change']))
    print('changes the host did not follow:     %d%s' % (
        len(f['missed']), (' (' + ', '.join(f['missed'][:5]) + ')') if f['missed'] else ''))
    print('%-8s CPU time:                   %.3f s in all, %.2f ms per change' % (
        name, f['cpu'], f['cpu'] * 1000 / f['changes']))
    print('%-8s RSS:                        %d KiB before, %d KiB after, peak %d KiB; '
          '%d threads' % (name, f['rss_start'], f['rss_end'], f['hwm'], f['threads']))


def main():
    parser = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    parser.add_argument('qvirtd', help='the qvirtd binary (e.g. build/src/remote/qvirtd)')
    parser.add_argument('changes', nargs='?', type=int, default=200,
                        help='number of guest filter changes (default 200, at least 100)')
    parser.add_argument('--libvirtd', action='store_true',
                        help='also run the same changes under Debian\'s libvirtd 9.0 '
                        '(libvirt-daemon, libvirt-daemon-driver-qemu) and compare')
    parser.add_argument('--rounds', type=int, default=1,
                        help='rounds of CHANGES changes per daemon, alternating (default 1)')
    args = parser.parse_args()
    if args.changes < 100:
        parser.error('measure at least 100 changes')
    if os.geteuid() != 0:
        sys.exit('guestrxfilterbench: needs root (network namespace, macvtap)')

    Bench.qvirtd = os.path.abspath(args.qvirtd)
    Bench.guestdir = LibvirtdBench.guestdir = build_test_guest()
    harnesses = [Bench] + ([LibvirtdBench] if args.libvirtd else [])
    results = {h.daemon_name: None for h in harnesses}
    # Rounds alternate the daemons, so that a busy moment of the machine does not
    # fall on one of them only; the samples of all rounds are pooled.
    for _ in range(args.rounds):
        for h in harnesses:
            f = measure(h, args.changes)
            if results[h.daemon_name] is None:
                results[h.daemon_name] = f
                continue
            pooled = results[h.daemon_name]
            for key in ('to_host', 'to_done', 'baseline', 'from_event', 'missed'):
                pooled[key] += f[key]
            pooled['changes'] += f['changes']
            pooled['cpu'] += f['cpu']
            pooled['events_per_change'] = (pooled['events_per_change'] + f['events_per_change']) / 2
            for key in ('rss_end', 'hwm', 'threads'):
                pooled[key] = max(pooled[key], f[key])
    results = list(results.values())
    for f in results:
        report(f)
    if len(results) == 2 and results[0]['to_host'] and results[1]['to_host']:
        q, l = results
        print('== qvirtd / libvirtd, median guest command -> host state: %.2f; '
              'last event -> host state: %s' % (
                  percentile(q['to_host'], 50) / percentile(l['to_host'], 50),
                  '%.2f' % (percentile(q['from_event'], 50) / percentile(l['from_event'], 50))
                  if q['from_event'] and l['from_event'] else 'n/a'))


if __name__ == '__main__':
    main()
