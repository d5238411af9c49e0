#!/usr/bin/python3
# virshscalebench.py: the real virsh against qvirtd (and libvirtd) holding many defined domains.
"""Defines N domains (default 1,000; no guest OS, no NIC) in qvirtd under --root, in a
namespace of its own, then times the real virsh: `list --all`, `dumpxml` of one domain,
and `start` + `destroy` of one (QEMU with no guest OS); each command runs R times
(default 10), one virsh process each (connect, call, close), and the median and
maximum are printed, with the daemon's RSS idle before and after defining, and its
threads. With --libvirtd the same runs against Debian's libvirtd 9.0
(bench/libvirtdharness.py) and the ratios are printed. Needs root and Debian's
python3-libvirt (hence /usr/bin/python3), which defines the domains over one
connection."""
import argparse
import os
import statistics
import subprocess
import sys
import time
import unittest
import uuid

import libvirt

SOURCE_ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(SOURCE_ROOT, 'tests'))
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from qvirtdharness import QvirtdHarness, proc_status_kib  # noqa: E402
from libvirtdharness import LibvirtdHarness  # noqa: E402

DOMAIN = """<domain type='qemu'>
  <name>%s</name>
  <uuid>%s</uuid>
  <memory unit='MiB'>64</memory>
  <os><type arch='x86_64' machine='q35'>hvm</type></os>
  <devices>
    <controller type='usb' index='0' model='none'/>
    <memballoon model='none'/>
  </devices>
</domain>
"""


class QvirtdBench(QvirtdHarness, unittest.TestCase):
    daemon_name = 'qvirtd'

    def runTest(self):
        pass


class LibvirtdBench(LibvirtdHarness, QvirtdHarness, unittest.TestCase):
    def runTest(self):
        pass


def timed(bench, *args):
    start = time.monotonic()
    bench.virsh(*args)
    return time.monotonic() - start


def measure(harness, ndomains, repeat):
    bench = harness()
    bench.setup_daemon('qvirt-virshscale-')
    fig = {'daemon': harness.daemon_name}
    try:
        pid = bench.daemon.pid
        time.sleep(1)
        fig['rss_empty'] = proc_status_kib(pid, 'VmRSS')
        conn = libvirt.open(bench.uri)
        start = time.monotonic()
        for i in range(ndomains):
            conn.defineXML(DOMAIN % ('scale%04d' % i, uuid.UUID(int=i + 1)))
        fig['define'] = time.monotonic() - start
        conn.close()
        time.sleep(1)
        fig['rss_full'] = proc_status_kib(pid, 'VmRSS')
        fig['threads'] = len(os.listdir('/proc/%d/task' % pid))
        rows = bench.virsh('list', '--all', '--name').stdout.split()
        if len(rows) != ndomains:
            bench.fail('%s lists %d domains, not %d' % (harness.daemon_name, len(rows), ndomains))
        fig['list'] = [timed(bench, 'list', '--all') for _ in range(repeat)]
        fig['dumpxml'] = [timed(bench, 'dumpxml', 'scale0500') for _ in range(repeat)]
        fig['startdestroy'] = []
        for _ in range(repeat):
            start = time.monotonic()
            bench.virsh('start', 'scale0001')
            bench.virsh('destroy', 'scale0001')
            fig['startdestroy'].append(time.monotonic() - start)
        time.sleep(1)
        fig['rss_after'] = proc_status_kib(pid, 'VmRSS')
    finally:
        for qemu in bench.qemu_of_root():
            os.kill(qemu, 9)
        bench.teardown_daemon()
        bench.doCleanups()
    return fig


def ms(values):
    return 'median %7.1f ms, max %7.1f ms' % (statistics.median(values) * 1000,
                                              max(values) * 1000)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    parser.add_argument('qvirtd', help='the qvirtd binary (e.g. build/src/remote/qvirtd)')
    parser.add_argument('domains', nargs='?', type=int, default=1000)
    parser.add_argument('--repeat', type=int, default=10)
    parser.add_argument('--libvirtd', action='store_true',
                        help='also run against Debian\'s libvirtd 9.0 and compare')
    args = parser.parse_args()
    if os.geteuid() != 0:
        sys.exit('virshscalebench: needs root')
    QvirtdBench.qvirtd = LibvirtdBench.qvirtd = os.path.abspath(args.qvirtd)
    results = [measure(QvirtdBench, args.domains, args.repeat)]
    if args.libvirtd:
        results.append(measure(LibvirtdBench, args.domains, args.repeat))
    for f in results:
        print('== %s with %d defined domains (virsh run %d times per command)' % (
            f['daemon'], args.domains, args.repeat))
        print('define (python3-libvirt, one connection): %.2f s' % f['define'])
        print('virsh list --all:        ' + ms(f['list']))
        print('virsh dumpxml:           ' + ms(f['dumpxml']))
        print('virsh start + destroy:   ' + ms(f['startdestroy']))
        print('RSS: %d KiB empty, %d KiB with the domains, %d KiB after the runs; %d threads' % (
            f['rss_empty'], f['rss_full'], f['rss_after'], f['threads']))
    if len(results) == 2:
        q, l = results
        print('== qvirtd / libvirtd medians: list %.2f, dumpxml %.2f, start+destroy %.2f; '
              'RSS with the domains %.2f' % tuple(
                  [statistics.median(q[k]) / statistics.median(l[k])
                   for k in ('list', 'dumpxml', 'startdestroy')] +
                  [q['rss_full'] / l['rss_full']]))


if __name__ == '__main__':
    main()
