#!/usr/bin/python3
# fakeqemu.py: a fake QEMU that speaks QMP and misbehaves on cue, for faulttest.py.
"""A stand-in for qemu-system-x86_64, given to qvirt as a domain's <emulator>.

It takes the command line qvirt builds (src/qemu/qemu_command.c) and checks it the
way QEMU would: every option is one qvirt writes, -name guest=NAME is there, the QMP
monitor is a '-chardev socket,id=charmonitor,path=PATH,server=on,wait=off' that a
'-mon chardev=charmonitor,mode=control' uses, and every '-netdev tap,fd=N' names an
open file descriptor (it is kept open, as QEMU keeps its tap, so a macvtap or tap
lives exactly as long as this process).  A bad command line ends it with status 1
and a message on stderr, which qvirt writes into the domain's log.  '-version'
prints a version line.

Like QEMU it listens on the monitor socket (one client at a time, the next one
accepted once the first leaves), greets each client, wants qmp_capabilities before
anything else, starts with its CPUs stopped (-S), stays up until 'quit', SIGTERM,
SIGINT or SIGHUP (it then removes its socket, as QEMU does), and writes its
messages to stderr, which qvirt sends to the domain's log.  It knows qmp_capabilities,
query-status, query-version, cont, stop, system_reset, system_powerdown, quit,
set_link and query-rx-filter; every other command gets QEMU's CommandNotFound error.
The guest's receive filter is simulated per NIC: NIC_RX_FILTER_CHANGED is sent once
after a change and then not again until query-rx-filter has run for that NIC, as
virtio-net does.

Choosing the misbehaviour
-------------------------

qvirt starts QEMU with a clean environment, so nothing comes through environment
variables.  Two ways instead:

1. The domain name picks the behaviour from the start: a name 'fq-MODE' or
   'fq-MODE-ANYTHING' (as in -name guest=fq-nogreeting) selects MODE, and an
   unknown MODE ends the fake at once; any other name, or MODE 'normal', is a
   well-behaved QEMU.  Start-time modes:

   nogreeting     accepts the monitor connection and never greets (nor answers).
   slowgreeting   greets SLOW_GREETING_SECONDS after a client connects.
   ignoreterm     ignores SIGTERM (and SIGINT, SIGHUP): only SIGKILL or 'quit'
                  ends it.  Each ignored signal is logged.
   floodrx        once capabilities are negotiated, sends FLOOD_RATE events per
                  second until it ends (NIC_RX_FILTER_CHANGED for every NIC,
                  VSERPORT_CHANGE in between), and answers query-rx-filter only
                  after SLOW_RX_FILTER_SECONDS, so events wait in qvirt's queue.

2. On cue, through the monitor itself (virsh qemu-monitor-command):
   {"execute": "x-fake-fault", "arguments": {"fault": F, ...}} is answered with
   {"return": {}} and then F happens:

   noreply         {"command": C}: from now on C is swallowed: never run, never
                   answered.  With "late": true, the swallowed command runs when
                   the next command arrives, and its reply (with the id it had)
                   goes out before that command's own reply.
   exitbeforereply {"command": C}: when C arrives, exit at once (status 1, socket
                   left behind, as after a crash) without running or answering it.
   strayreply      at once: replies nobody asked for (an unknown id, no id, an
                   error with an unknown id, the id of qvirt's long answered
                   first command);
                   and from now on each command's reply is preceded by a reply
                   with an id qvirt never used.
   flood           {"rate": R, "count": N, "event": E}: sends N events, R a
                   second at most (E: "NIC_RX_FILTER_CHANGED" for every NIC, the
                   default, or "RTC_CHANGE"); as QEMU would, it blocks while qvirt
                   does not read.  Then it writes a summary line to stderr:
                   "fakeqemu: flood done: N events in S s, blocked B s, M
                   query-rx-filter" (B: the time qvirt left it waiting to write).
   hugeline        {"bytes": B}: sends an event line of B bytes (default 20 MiB).
   badutf8         sends an event whose strings hold bytes that are not UTF-8.
   deepjson        {"depth": D}: sends an event whose data nests D arrays (default
                   100000).
   badmac          query-rx-filter replies now carry invalid MAC addresses (in
                   main-mac and in the multicast table); NIC_RX_FILTER_CHANGED is
                   sent for every NIC.
   hugetable       query-rx-filter replies now carry TABLE_ENTRIES entries in the
                   multicast table; the event is sent.
   hugevlan        the same with TABLE_ENTRIES entries in the VLAN table.
   normal          every fault above is cleared; replies are QEMU's again.

   {"execute": "x-fake-guest-filter", "arguments": {"name": NIC, "mac": M,
   "multicast": [...], "promiscuous": b}} changes what the guest has set on NIC, as
   a guest driver would, and sends NIC_RX_FILTER_CHANGED if the NIC's event is armed.

Every command received is logged to stderr as "fakeqemu: command NAME", so a test
can read from the domain's log what qvirt sent.
"""
import json
import os
import queue
import signal
import socket
import sys
import threading
import time

SLOW_GREETING_SECONDS = 5.0
SLOW_RX_FILTER_SECONDS = 0.2
FLOOD_RATE = 10000
TABLE_ENTRIES = 100000
# A fake left behind by a broken test run ends by itself after this long.
MAX_LIFETIME_SECONDS = 600
# Flood batches waiting to be written, at most: more means qvirt does not keep up,
# and the flood waits (as QEMU would wait for its monitor's output buffer).
FLOOD_BACKLOG = 2
# The monitor socket's send buffer: small, so that while qvirt lags behind a flood
# (a sanitizer build does), a reply waits behind a few hundred events, not behind
# the thousands the default buffer holds.
MONITOR_SNDBUF = 32 * 1024

QEMU_VERSION = {'qemu': {'major': 7, 'minor': 2, 'micro': 0},
                'package': 'Debian 1:7.2+dfsg-7 (fakeqemu)'}

# Options qemu_command.c writes: those taking a value, and flags.
OPTIONS_WITH_VALUE = {'-name', '-machine', '-accel', '-m', '-smp', '-uuid', '-chardev',
                      '-mon', '-rtc', '-boot', '-kernel', '-initrd', '-append',
                      '-display', '-device', '-drive', '-netdev', '-msg'}
OPTION_FLAGS = {'-S', '-no-user-config', '-nodefaults', '-no-shutdown', '-no-reboot'}
TERMINATING_SIGNALS = {signal.SIGTERM, signal.SIGINT, signal.SIGHUP}
START_MODES = {'normal', 'nogreeting', 'slowgreeting', 'ignoreterm', 'floodrx'}


def log(fmt, *args):
    sys.stderr.write('fakeqemu: ' + (fmt % args if args else fmt) + '\n')
    sys.stderr.flush()


def die(fmt, *args):
    log(fmt, *args)
    sys.exit(1)


def start_thread(target, *args):
    """A daemon thread that never takes SIGTERM, SIGINT or SIGHUP: the kernel may
    hand a process's signal to any thread that does not block it, and Python runs
    the handler only when the main thread wakes, which it may never do while it
    waits in accept() or recv()."""
    old = signal.pthread_sigmask(signal.SIG_BLOCK, TERMINATING_SIGNALS)
    try:
        threading.Thread(target=target, args=args, daemon=True).start()
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, old)


def parse_opts(value, implied=None):
    """A QEMU option string ('a=b,c=d', ',,' for a comma) as a dict; a first item
    without '=' is stored under @implied."""
    items, cur, i = [], '', 0
    while i < len(value):
        if value[i] == ',':
            if value[i + 1:i + 2] == ',':
                cur += ','
                i += 2
                continue
            items.append(cur)
            cur = ''
        else:
            cur += value[i]
        i += 1
    items.append(cur)
    opts = {}
    for n, item in enumerate(items):
        if '=' in item:
            k, v = item.split('=', 1)
            opts[k] = v
        elif n == 0 and implied:
            opts[implied] = item
        else:
            die("invalid option item '%s' in '%s'", item, value)
    return opts


class Config:
    """What the command line says."""

    def __init__(self, argv):
        self.name = None
        self.monitor_path = None
        self.monitor_chardev = None
        self.control_mons = set()
        self.nics = {}          # alias -> {'mac': str, 'model': str}
        self.netdevs = {}       # id -> fd
        self.prelaunch = False
        i = 0
        while i < len(argv):
            opt = argv[i]
            if opt in ('-version', '--version'):
                print('QEMU emulator version 7.2.0 (fakeqemu)')
                sys.exit(0)
            if opt in OPTION_FLAGS:
                if opt == '-S':
                    self.prelaunch = True
                i += 1
                continue
            if opt not in OPTIONS_WITH_VALUE:
                die("-%s: invalid option", opt.lstrip('-'))
            if i + 1 >= len(argv):
                die("%s: requires an argument", opt)
            self.option(opt, argv[i + 1])
            i += 2
        if not self.name:
            die('-name guest=NAME is missing')
        if not self.monitor_path:
            die('no -chardev socket,id=charmonitor,...,server=on,wait=off')
        if self.monitor_chardev not in self.control_mons:
            die("chardev '%s' is no QMP monitor (-mon ...,mode=control)",
                self.monitor_chardev)
        for alias, nic in self.nics.items():
            if nic['netdev'] not in self.netdevs:
                die("Property 'netdev' of device '%s': netdev '%s' not found", alias,
                    nic['netdev'])

    def option(self, opt, value):
        if opt == '-name':
            opts = parse_opts(value, 'guest')
            self.name = opts.get('guest')
        elif opt == '-chardev':
            opts = parse_opts(value, 'backend')
            if opts.get('id') == 'charmonitor':
                if opts.get('backend') != 'socket' or opts.get('server') != 'on' or \
                        opts.get('wait') != 'off' or 'path' not in opts:
                    die("monitor chardev '%s' is not a listening UNIX socket", value)
                self.monitor_path = opts['path']
                self.monitor_chardev = 'charmonitor'
        elif opt == '-mon':
            opts = parse_opts(value)
            if opts.get('mode') == 'control':
                self.control_mons.add(opts.get('chardev'))
        elif opt == '-netdev':
            opts = parse_opts(value, 'type')
            if opts.get('type') != 'tap' or 'fd' not in opts or 'id' not in opts:
                die("-netdev %s: qvirt passes taps as tap,fd=N,id=ID", value)
            fd = int(opts['fd'])
            try:
                os.fstat(fd)
            except OSError as e:
                die("-netdev %s: cannot use tap fd %d: %s", value, fd, e.strerror)
            self.netdevs[opts['id']] = fd
        elif opt == '-device':
            opts = parse_opts(value, 'driver')
            if opts['driver'] in ('virtio-net-pci', 'e1000', 'rtl8139'):
                self.nics[opts['id']] = {'mac': opts['mac'].lower(),
                                         'model': opts['driver'],
                                         'netdev': opts.get('netdev')}

    def mode(self):
        if not self.name.startswith('fq-'):
            return 'normal'
        mode = self.name[3:].split('-', 1)[0]
        if mode not in START_MODES:
            die("guest name '%s' asks for mode '%s'; known modes: %s", self.name, mode,
                ' '.join(sorted(START_MODES)))
        return mode


class Channel:
    """One monitor client. Everything for it goes through one queue, in order, as
    through QEMU's monitor output buffer: a reply queues behind the events before
    it, never behind a writer that waits for the socket. A thread drains the queue;
    once the client is gone the rest is dropped."""

    def __init__(self, sock):
        self.sock = sock
        self.queue = queue.Queue()
        self.alive = True
        start_thread(self.writer)

    def put(self, data):
        if not self.alive:
            return False
        self.queue.put(data)
        return True

    def backlog(self):
        return self.queue.qsize()

    def writer(self):
        while True:
            data = self.queue.get()
            try:
                if data is None or not self.alive:
                    continue
                self.sock.sendall(data)
            except OSError:
                self.alive = False
            finally:
                self.queue.task_done()
            if data is None:
                self.sock.close()
                return

    def drain(self, timeout):
        """Waits until everything queued so far is written (or @timeout passes)."""
        deadline = time.monotonic() + timeout
        while self.alive and self.queue.unfinished_tasks and time.monotonic() < deadline:
            time.sleep(0.01)

    def close(self):
        """Ends the connection; the writer closes the socket once it stops."""
        self.alive = False
        try:
            self.sock.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass
        self.queue.put(None)


class GuestNic:
    """The receive filter a guest driver set on one virtio NIC."""

    def __init__(self, alias, mac):
        self.alias = alias
        self.mac = mac
        self.multicast = []
        self.promiscuous = False
        self.armed = True       # the next change sends NIC_RX_FILTER_CHANGED


class FakeQemu:
    def __init__(self, config):
        self.config = config
        self.mode = config.mode()
        self.status = 'prelaunch' if config.prelaunch else 'running'
        self.nics = {a: GuestNic(a, n['mac']) for a, n in config.nics.items()
                     if n['model'] == 'virtio-net-pci'}
        self.state_lock = threading.RLock()
        self.chan = None                 # the Channel of the monitor client
        self.swallowed = {}              # command name -> late reply wanted
        self.held = []                   # swallowed commands to run late
        self.exit_on = set()
        self.stray = False
        self.filter_fault = None         # None, 'badmac', 'hugetable', 'hugevlan'
        self.rx_queries = 0
        self.listener = None

    # ---- output ----

    def send(self, obj, chan=None):
        data = obj if isinstance(obj, bytes) else (json.dumps(obj) + '\r\n').encode()
        chan = chan or self.chan
        return chan.put(data) if chan else False

    @staticmethod
    def event_obj(name, data=None):
        now = time.time()
        ev = {'timestamp': {'seconds': int(now), 'microseconds': int(now % 1 * 1e6)},
              'event': name}
        if data is not None:
            ev['data'] = data
        return ev

    def event(self, name, data=None):
        self.send(self.event_obj(name, data))

    def reply(self, cmd, ret=None, error=None):
        if self.stray:
            self.send({'return': {}, 'id': 'fakeqemu-stray-%d' % time.monotonic_ns()})
        msg = {'error': error} if error else {'return': {} if ret is None else ret}
        if 'id' in cmd:
            msg['id'] = cmd['id']
        self.send(msg)

    # ---- the rx filter ----

    def nic_changed(self, nic):
        if nic.armed:
            nic.armed = False
            self.event('NIC_RX_FILTER_CHANGED',
                       {'name': nic.alias, 'path': '/machine/peripheral/%s/virtio-backend'
                        % nic.alias})

    def filter_entry(self, nic):
        entry = {'name': nic.alias, 'promiscuous': nic.promiscuous,
                 'multicast': 'normal', 'unicast': 'normal', 'vlan': 'normal',
                 'broadcast-allowed': True, 'multicast-overflow': False,
                 'unicast-overflow': False, 'main-mac': nic.mac,
                 'vlan-table': [], 'unicast-table': [], 'multicast-table': nic.multicast}
        if self.filter_fault == 'badmac':
            entry['main-mac'] = nic.mac[:-2] + 'zz'
            entry['multicast-table'] = ['01:00:5e:00:00:fb', 'not-a-mac',
                                        '01:00:5e:00:00:fb:00', '']
        elif self.filter_fault == 'hugetable':
            entry['multicast-table'] = ['01:00:5e:%02x:%02x:%02x' % (
                i >> 16 & 0x7f, i >> 8 & 0xff, i & 0xff) for i in range(TABLE_ENTRIES)]
        elif self.filter_fault == 'hugevlan':
            entry['vlan'] = 'all'
            entry['vlan-table'] = [i % 4096 for i in range(TABLE_ENTRIES)]
        return entry

    # ---- commands ----

    def run_command(self, cmd):
        """Runs one negotiated command; returns (ret, error)."""
        name = cmd.get('execute')
        args = cmd.get('arguments', {})
        if name == 'qmp_capabilities':
            return None, {'class': 'CommandNotFound',
                          'desc': 'Capabilities negotiation is already complete, '
                                  'command ignored'}
        if name == 'query-status':
            return {'status': self.status, 'singlestep': False,
                    'running': self.status == 'running'}, None
        if name == 'query-version':
            return QEMU_VERSION, None
        if name == 'cont':
            if self.status != 'running':
                self.status = 'running'
                self.event('RESUME')
            return {}, None
        if name == 'stop':
            if self.status == 'running':
                self.status = 'paused'
                self.event('STOP')
            return {}, None
        if name == 'system_reset':
            self.event('RESET', {'guest': False, 'reason': 'host-qmp-system-reset'})
            for nic in self.nics.values():
                nic.multicast, nic.promiscuous = [], False
                nic.mac = self.config.nics[nic.alias]['mac']
            return {}, None
        if name == 'system_powerdown':
            # No guest OS to act on the ACPI button.
            self.event('POWERDOWN')
            return {}, None
        if name == 'set_link':
            if args.get('name') not in self.config.nics:
                return None, {'class': 'DeviceNotFound',
                              'desc': "Device '%s' not found" % args.get('name')}
            return {}, None
        if name == 'query-rx-filter':
            self.rx_queries += 1
            if self.mode == 'floodrx':
                time.sleep(SLOW_RX_FILTER_SECONDS)
            wanted = args.get('name')
            if wanted is not None and wanted not in self.nics:
                return None, {'class': 'GenericError',
                              'desc': "net client(%s) isn't a NIC" % wanted}
            out = []
            for nic in self.nics.values():
                if wanted is None or nic.alias == wanted:
                    nic.armed = True
                    out.append(self.filter_entry(nic))
            return out, None
        if name == 'x-fake-guest-filter':
            nic = self.nics.get(args.get('name'))
            if not nic:
                return None, {'class': 'DeviceNotFound', 'desc': 'no such NIC'}
            nic.mac = args.get('mac', nic.mac).lower()
            nic.multicast = args.get('multicast', nic.multicast)
            nic.promiscuous = args.get('promiscuous', nic.promiscuous)
            self.nic_changed(nic)
            return {}, None
        return None, {'class': 'CommandNotFound',
                      'desc': "The command %s has not been found" % name}

    def handle(self, cmd):
        name = cmd.get('execute')
        log('command %s', name)
        if name == 'x-fake-fault':
            self.reply(cmd)
            self.fault(cmd.get('arguments', {}))
            return
        if name in self.exit_on:
            log('exiting before the reply to %s', name)
            os._exit(1)
        if name in self.swallowed:
            log('swallowing %s', name)
            if self.swallowed[name]:
                self.held.append(cmd)
            return
        while self.held:
            late = self.held.pop(0)
            log('running %s late', late.get('execute'))
            ret, err = self.run_command(late)
            self.reply(late, ret, err)
        if name == 'quit':
            self.reply(cmd)
            self.event('SHUTDOWN', {'guest': False, 'reason': 'host-qmp-quit'})
            self.chan.drain(5)
            self.exit(0, 'quit')
        ret, err = self.run_command(cmd)
        self.reply(cmd, ret, err)

    # ---- faults on cue ----

    def fault(self, args):
        fault = args.get('fault')
        log('fault %s %s', fault, json.dumps(args))
        if fault == 'noreply':
            self.swallowed[args['command']] = bool(args.get('late'))
        elif fault == 'exitbeforereply':
            self.exit_on.add(args['command'])
        elif fault == 'strayreply':
            self.send({'return': {}, 'id': 'qvirt-999999999'})
            self.send({'return': {'status': 'paused', 'running': False}})
            self.send({'error': {'class': 'GenericError', 'desc': 'stray'},
                       'id': 'fakeqemu-never-sent'})
            self.send({'return': {}, 'id': 'qvirt-1'})
            self.stray = True
        elif fault == 'flood':
            start_thread(self.flood, args.get('rate', FLOOD_RATE), args.get('count', 50000),
                         args.get('event', 'NIC_RX_FILTER_CHANGED'))
        elif fault == 'hugeline':
            size = args.get('bytes', 20 * 1024 * 1024)
            head = b'{"event": "RTC_CHANGE", "data": {"offset": 1, "qom-path": "'
            tail = b'"}}\r\n'
            self.send(head + b'x' * max(0, size - len(head) - len(tail)) + tail)
        elif fault == 'badutf8':
            self.send(b'{"event": "NIC_RX_FILTER_CHANGED", "data": {"name": "net0\xff\xfe",'
                      b' "path": "/machine/\xc3\x28/\xed\xa0\x80"}}\r\n')
        elif fault == 'deepjson':
            depth = args.get('depth', 100000)
            self.send(b'{"event": "RTC_CHANGE", "data": {"offset": 1, "x": ' +
                      b'[' * depth + b']' * depth + b'}}\r\n')
        elif fault in ('badmac', 'hugetable', 'hugevlan'):
            self.filter_fault = fault
            for nic in self.nics.values():
                nic.armed = True
                self.nic_changed(nic)
        elif fault == 'normal':
            self.swallowed.clear()
            self.exit_on.clear()
            self.stray = False
            self.filter_fault = None

    def flood(self, rate, count, event):
        """@count events (forever: 0), @rate a second in batches every 10 ms.
        The lines are formatted by hand: json.dumps is too slow for the rate."""
        lines = []
        if event == 'RTC_CHANGE':
            lines.append('"event": "RTC_CHANGE", "data": {"offset": %d, '
                         '"qom-path": "/machine/unattached/device[0]"}}\r\n')
        else:
            for nic in self.nics.values():
                lines.append('"event": "NIC_RX_FILTER_CHANGED", "data": {"name": "%s", '
                             '"path": "/machine/peripheral/%s/virtio-backend"}}\r\n'
                             % (nic.alias, nic.alias))
        if self.mode == 'floodrx':
            lines.append('"event": "VSERPORT_CHANGE", "data": {"id": "channel0", '
                         '"open": true}}\r\n')
        sent = 0
        blocked = 0.0
        queries = self.rx_queries
        start = time.monotonic()
        chan = self.chan
        while lines and chan and (count == 0 or sent < count):
            now = time.time()
            stamp = '{"timestamp": {"seconds": %d, "microseconds": %d}, ' % (
                now, now % 1 * 1e6)
            batch = []
            while len(batch) < max(1, rate // 100) and (count == 0 or sent + len(batch) < count):
                for line in lines:
                    batch.append(stamp + (line % (sent + len(batch)) if '%d' in line
                                          else line))
            if count:
                del batch[count - sent:]
            t = time.monotonic()
            while chan.alive and chan.backlog() > FLOOD_BACKLOG:
                time.sleep(0.001)
            blocked += time.monotonic() - t
            if not self.send(''.join(batch).encode(), chan):
                break
            sent += len(batch)
            # Keep the rate: sleep until this batch's slot ends.
            delay = start + sent / float(rate) - time.monotonic()
            if delay > 0:
                time.sleep(delay)
        log('flood done: %d events in %.2f s, blocked %.2f s, %d query-rx-filter', sent,
            time.monotonic() - start, blocked, self.rx_queries - queries)

    # ---- the connection ----

    def serve(self, conn):
        conn.setsockopt(socket.SOL_SOCKET, socket.SO_SNDBUF, MONITOR_SNDBUF)
        self.chan = Channel(conn)
        if self.mode == 'nogreeting':
            log('not greeting')
        else:
            if self.mode == 'slowgreeting':
                log('greeting in %.1f s', SLOW_GREETING_SECONDS)
                time.sleep(SLOW_GREETING_SECONDS)
            self.send({'QMP': {'version': QEMU_VERSION, 'capabilities': ['oob']}})
        negotiated = False
        buf = b''
        while True:
            try:
                data = conn.recv(65536)
            except OSError:
                data = b''
            if not data:
                break
            buf += data
            *lines, buf = buf.split(b'\n')
            for line in lines:
                line = line.strip()
                if not line:
                    continue
                try:
                    cmd = json.loads(line)
                except ValueError as e:
                    self.send({'error': {'class': 'GenericError',
                                         'desc': 'JSON parse error, %s' % e}})
                    continue
                if self.mode == 'nogreeting':
                    continue
                if not isinstance(cmd, dict) or 'execute' not in cmd:
                    self.send({'error': {'class': 'GenericError',
                                         'desc': "QMP input lacks member 'execute'"}})
                    continue
                if not negotiated:
                    if cmd['execute'] != 'qmp_capabilities':
                        log('command %s before qmp_capabilities', cmd['execute'])
                        self.reply(cmd, error={
                            'class': 'CommandNotFound',
                            'desc': "Expecting capabilities negotiation with "
                                    "'qmp_capabilities'"})
                        continue
                    log('command qmp_capabilities')
                    negotiated = True
                    self.reply(cmd)
                    if self.mode == 'floodrx':
                        start_thread(self.flood, FLOOD_RATE, 0, None)
                    continue
                with self.state_lock:
                    self.handle(cmd)
        chan, self.chan = self.chan, None
        chan.close()
        log('monitor client left')

    def exit(self, status, why):
        log('exiting (%s)', why)
        try:
            os.unlink(self.config.monitor_path)
        except OSError:
            pass
        os._exit(status)

    def lifetime(self):
        time.sleep(MAX_LIFETIME_SECONDS)
        self.exit(1, 'lifetime of %d s over' % MAX_LIFETIME_SECONDS)

    def on_signal(self, signum, frame):
        if self.mode == 'ignoreterm':
            log('ignoring signal %d', signum)
            return
        log('terminating on signal %d', signum)
        self.exit(0, 'signal %d' % signum)

    def run(self):
        for sig in TERMINATING_SIGNALS:
            signal.signal(sig, self.on_signal)
        try:
            os.unlink(self.config.monitor_path)
        except OSError:
            pass
        self.listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.listener.bind(self.config.monitor_path)
        self.listener.listen(1)
        log('pid %d, guest %s, mode %s, monitor %s, NICs %s', os.getpid(), self.config.name,
            self.mode, self.config.monitor_path, ' '.join(sorted(self.nics)) or '-')
        start_thread(self.lifetime)
        while True:
            conn, _ = self.listener.accept()
            log('monitor client connected')
            self.serve(conn)


def main():
    FakeQemu(Config(sys.argv[1:])).run()


if __name__ == '__main__':
    main()
