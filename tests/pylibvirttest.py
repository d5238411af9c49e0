#!/usr/bin/python3
# pylibvirttest.py: libvirt's Python bindings (python3-libvirt) drive qvirtd over the
# remote protocol.  Run with Debian's /usr/bin/python3, which sees python3-libvirt.
import os
import subprocess
import sys
import threading
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from qvirtdharness import QvirtdHarness, domain_xml, wait_for  # noqa: E402

try:
    import libvirt
except ImportError as e:
    # No skipping: python3-libvirt is in .ci/packages.txt.
    libvirt = None
    LIBVIRT_ERROR = '%s: python3-libvirt is not installed for %s' % (e, sys.executable)

DOMAIN_XML = domain_xml('pylibvirttest', '4d1c6b1e-8b1a-4c53-9a0e-2f1f6e1a0c02', '52:54:00:ab:cd:22')
UUID = '4d1c6b1e-8b1a-4c53-9a0e-2f1f6e1a0c02'

_event_loop_started = False


def start_event_loop():
    """libvirt's default event loop, in a daemon thread; must precede libvirt.open()."""
    global _event_loop_started
    if _event_loop_started:
        return
    libvirt.virEventRegisterDefaultImpl()
    # Expected errors are checked through exceptions; keep them off stderr.
    libvirt.registerErrorHandler(lambda ctx, err: None, None)

    def run():
        while True:
            libvirt.virEventRunDefaultImpl()
    threading.Thread(target=run, daemon=True, name='libvirt-events').start()
    _event_loop_started = True


class PyLibvirtTest(QvirtdHarness, unittest.TestCase):
    def setUp(self):
        self.assertIsNotNone(libvirt, libvirt is None and LIBVIRT_ERROR)
        start_event_loop()
        self.setup_daemon('qvirt-pylibvirttest-')
        self.conn = None

    def tearDown(self):
        if self.conn is not None:
            try:
                self.conn.close()
            except libvirt.libvirtError:
                pass
        self.teardown_daemon()

    def test_api(self):
        self.conn = conn = libvirt.open(self.uri)
        self.assertIsNotNone(conn)
        self.assertEqual(conn.getType(), 'QEMU')
        self.assertGreater(conn.getVersion(), 0)
        self.assertEqual(conn.getLibVersion(), 9000000)
        hostname = subprocess.run(['hostname'], capture_output=True, text=True).stdout.strip()
        self.assertEqual(conn.getHostname(), hostname)
        self.assertEqual(conn.listAllDomains(), [])

        dom = conn.defineXML(DOMAIN_XML)
        self.assertEqual(dom.name(), 'pylibvirttest')
        self.assertEqual(dom.UUIDString(), UUID)
        doms = conn.listAllDomains()
        self.assertEqual([d.name() for d in doms], ['pylibvirttest'])
        self.assertEqual(conn.listAllDomains(libvirt.VIR_CONNECT_LIST_DOMAINS_ACTIVE), [])
        self.assertEqual([d.name() for d in conn.listAllDomains(
            libvirt.VIR_CONNECT_LIST_DOMAINS_INACTIVE)], ['pylibvirttest'])
        self.assertEqual(conn.lookupByName('pylibvirttest').UUIDString(), UUID)
        self.assertEqual(conn.lookupByUUIDString(UUID).name(), 'pylibvirttest')
        with self.assertRaises(libvirt.libvirtError) as cm:
            conn.lookupByName('no-such-domain')
        self.assertEqual(cm.exception.get_error_code(), libvirt.VIR_ERR_NO_DOMAIN)
        xml = dom.XMLDesc(0)
        self.assertIn('<name>pylibvirttest</name>', xml)
        self.assertIn("<source dev='vt-host0' mode='bridge'/>", xml)
        self.assertFalse(dom.isActive())
        self.assertTrue(dom.isPersistent())

        self.assertEqual(dom.create(), 0)
        self.qemu_pids = self.find_qemu()
        self.assertEqual(len(self.qemu_pids), 1, self.qemu_pids)
        self.assertTrue(dom.isActive())
        self.assertEqual(dom.state()[0], libvirt.VIR_DOMAIN_RUNNING)
        self.assertGreater(dom.ID(), 0)
        self.assertEqual(conn.lookupByID(dom.ID()).name(), 'pylibvirttest')
        self.assertEqual([d.name() for d in conn.listAllDomains(
            libvirt.VIR_CONNECT_LIST_DOMAINS_ACTIVE)], ['pylibvirttest'])
        self.assertIn("id='%d'" % dom.ID(), dom.XMLDesc(0))

        events = []
        lock = threading.Lock()

        def callback(c, d, event, detail, opaque):
            with lock:
                events.append((d.name(), event, detail))
        cbid = conn.domainEventRegisterAny(None, libvirt.VIR_DOMAIN_EVENT_ID_LIFECYCLE,
                                           callback, None)
        self.assertGreaterEqual(cbid, 0)

        def expect(event, detail):
            want = ('pylibvirttest', event, detail)

            def seen():
                with lock:
                    return want in events
            self.assertTrue(wait_for(seen, 15), 'no event %r in %r\ndaemon log:\n%s' %
                            (want, events, self.daemon_log()[-4000:]))

        dom.suspend()
        self.assertEqual(dom.state()[0], libvirt.VIR_DOMAIN_PAUSED)
        expect(libvirt.VIR_DOMAIN_EVENT_SUSPENDED, libvirt.VIR_DOMAIN_EVENT_SUSPENDED_PAUSED)
        dom.resume()
        self.assertEqual(dom.state()[0], libvirt.VIR_DOMAIN_RUNNING)
        expect(libvirt.VIR_DOMAIN_EVENT_RESUMED, libvirt.VIR_DOMAIN_EVENT_RESUMED_UNPAUSED)
        dom.destroy()
        self.assertEqual(dom.state()[0], libvirt.VIR_DOMAIN_SHUTOFF)
        expect(libvirt.VIR_DOMAIN_EVENT_STOPPED, libvirt.VIR_DOMAIN_EVENT_STOPPED_DESTROYED)
        with lock:
            got = [e for e in events if e[1] in (libvirt.VIR_DOMAIN_EVENT_SUSPENDED,
                                                 libvirt.VIR_DOMAIN_EVENT_RESUMED,
                                                 libvirt.VIR_DOMAIN_EVENT_STOPPED)]
        self.assertEqual([e[1] for e in got], [libvirt.VIR_DOMAIN_EVENT_SUSPENDED,
                                               libvirt.VIR_DOMAIN_EVENT_RESUMED,
                                               libvirt.VIR_DOMAIN_EVENT_STOPPED], events)
        conn.domainEventDeregisterAny(cbid)

        dom.undefine()
        self.assertEqual(conn.listAllDomains(), [])
        with self.assertRaises(libvirt.libvirtError):
            conn.lookupByUUIDString(UUID)
        # close() returns the references still held (domain objects keep one each).
        del dom, doms
        self.assertGreaterEqual(conn.close(), 0)
        self.conn = None


if __name__ == '__main__':
    QvirtdHarness.qvirtd = os.path.abspath(sys.argv.pop(1))
    unittest.main(verbosity=2)
