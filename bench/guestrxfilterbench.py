#!/usr/bin/env python3
# guestrxfilterbench.py: how fast the host follows a real guest's receive filter changes.
"""Boots the test guest (scripts/build-test-guest.py) under qvirtd --root in a network
namespace of its own, with a trusted macvtap NIC, and makes N filter changes inside the
guest, one at a time: MAC address, multicast join and leave, promiscuous and
all-multicast on and off, in turn.  For each it measures the time from writing the
command to the guest's console until the host macvtap shows the new state (polled every
0.2 ms), and the time until the guest reported the command done; then, as the guest's
own share, the time of the same command when it changes nothing; and qvirt's own share,
from the last NIC_RX_FILTER_CHANGED QEMU sent for a change (its timestamp, seen through
`virsh qemu-monitor-event`) to the host state.  Prints p50/p95/max,
and qvirtd's CPU time per change, its RSS and threads.  Needs root."""
import argparse
import os
import re
import sys
import time
import unittest

SOURCE_ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(SOURCE_ROOT, 'tests'))
from qvirtdharness import QvirtdHarness  # noqa: E402
from guestharness import (GUEST_IP, GuestHarness, HostView, build_test_guest,  # noqa: E402
                          percentile, wait_host)

NAME = 'guestbench'
UUID = '0b3c5d7e-9f10-4a2b-8c4d-6e8f0a1b2c3d'
MAC = '52:54:00:be:00:01'


class Bench(GuestHarness, QvirtdHarness, unittest.TestCase):
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


def proc_status_kib(pid, key):
    with open('/proc/%d/status' % pid) as f:
        for line in f:
            if line.startswith(key + ':'):
                return int(line.split()[1])
    return 0


def ms(seconds):
    return '%.1f ms' % (seconds * 1000)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    parser.add_argument('qvirtd', help='the qvirtd binary (e.g. build/src/remote/qvirtd)')
    parser.add_argument('changes', nargs='?', type=int, default=200,
                        help='number of guest filter changes (default 200, at least 100)')
    args = parser.parse_args()
    if args.changes < 100:
        parser.error('measure at least 100 changes')
    if os.geteuid() != 0:
        sys.exit('guestrxfilterbench: needs root (network namespace, macvtap)')

    Bench.qvirtd = os.path.abspath(args.qvirtd)
    Bench.guestdir = build_test_guest()
    bench = Bench()
    bench.setup_daemon('qvirt-guestbench-')
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
        rss_start = proc_status_kib(pid, 'VmRSS')
        to_host, to_done, windows = [], [], []
        gen = actions()
        for _ in range(args.changes):
            what, command, pred = next(gen)
            start, start_wall = time.monotonic(), time.time()
            ticket = bench.console.send(command)
            took = wait_host(lambda: (lambda h: h is not None and pred(h))(host.nic(dev)),
                             30.0, 0.0002)
            seen_wall = time.time()
            bench.console.wait_done(ticket)
            done = time.monotonic() - start
            if took is None:
                sys.exit('guestrxfilterbench: the host did not follow %r within 30 s' % what)
            to_host.append(took)
            to_done.append(done)
            windows.append((start_wall, seen_wall))
        cpu = proc_cpu_seconds(pid) - cpu_start
        # The guest's own share: the same kind of command, changing nothing (promisc is
        # off already), so no control command reaches QEMU and no event is sent.
        baseline = []
        for _ in range(50):
            start = time.monotonic()
            bench.console.run(GUEST_IP + ' link set eth0 promisc off')
            baseline.append(time.monotonic() - start)
        rss_end = proc_status_kib(pid, 'VmRSS')
        hwm = proc_status_kib(pid, 'VmHWM')
        threads = len(os.listdir('/proc/%d/task' % pid))
        time.sleep(1)
        stamps = sorted(float(m.group(1)) for m in
                        (re.match(r'^event NIC_RX_FILTER_CHANGED at (\d+\.\d+) ', l)
                         for l in list(events)) if m)
    finally:
        if bench.console:
            bench.console.close()
        bench.teardown_daemon()
        bench.doCleanups()

    n = len(to_host)
    # qvirt's share: from the last event QEMU sent for a change to the host state.
    from_event, per_change = [], []
    for start_wall, seen_wall in windows:
        inside = [t for t in stamps if start_wall <= t <= seen_wall]
        per_change.append(len(inside))
        if inside:
            from_event.append(seen_wall - inside[-1])
    print('guest rx-filter changes:            %d (MAC, multicast join/leave, promisc, '
          'allmulticast in turn)' % n)
    print('guest command -> host state:        p50 %s  p95 %s  max %s' % (
        ms(percentile(to_host, 50)), ms(percentile(to_host, 95)), ms(max(to_host))))
    print('guest command -> guest reports done: p50 %s  p95 %s  max %s' % (
        ms(percentile(to_done, 50)), ms(percentile(to_done, 95)), ms(max(to_done))))
    print('guest no-op command -> done:        p50 %s  p95 %s  max %s  (the guest\'s '
          'own share, %d runs)' % (ms(percentile(baseline, 50)), ms(percentile(baseline, 95)),
                                   ms(max(baseline)), len(baseline)))
    if from_event:
        print('last QEMU event -> host state:      p50 %s  p95 %s  max %s  (%d changes, '
              '%.1f events per change)' % (
                  ms(percentile(from_event, 50)), ms(percentile(from_event, 95)),
                  ms(max(from_event)), len(from_event), sum(per_change) / n))
    else:
        print('last QEMU event -> host state:      no events seen (virsh listener failed)')
    print('qvirtd CPU time:                    %.3f s in all, %.2f ms per change' % (
        cpu, cpu * 1000 / n))
    print('qvirtd RSS:                         %d KiB before, %d KiB after, peak %d KiB; '
          '%d threads' % (rss_start, rss_end, hwm, threads))


if __name__ == '__main__':
    main()
