#!/usr/bin/env python3
"""Record real QMP traffic from the locally installed QEMU for the test suite.

What it does
------------
Starts a throw-away, disk-less QEMU guest (TCG only, no KVM needed):

    qemu-system-x86_64 -machine q35,accel=tcg -nodefaults -no-user-config \\
        -display none -S -m 128 -qmp unix:SOCK,server=on,wait=off \\
        -netdev hubport,id=hostnet0,hubid=0 \\
        -device virtio-net-pci,netdev=hostnet0,id=net0,mac=52:54:00:12:34:56 \\
        -netdev hubport,id=hostnet1,hubid=1 \\
        -device e1000,netdev=hostnet1,id=net1,mac=52:54:00:ab:cd:ef

The NICs are attached to "hubport" netdevs: they are purely internal to
QEMU, create no host devices (no tap, no bridge) and send no traffic
anywhere, not even to loopback.  The QMP socket lives in a private
temporary directory.

It then connects to the QMP socket and records, into
tests/qemumonitorjsondata/ (file prefix "qemu-<major>.<minor>-"):

  * the greeting (pretty-printed, plus a byte-exact raw copy),
  * the replies of qmp_capabilities, query-qmp-schema, query-version,
    query-status (prelaunch / running / paused), query-rx-filter
    (net0 = virtio default reply, all NICs, net1 = e1000 error, unknown
    NIC error), an unknown command error, and the replies of cont, stop,
    system_reset, system_powerdown and quit,
  * every event line received, raw as it came over the wire (trailing
    CRLF stripped), one per line, into <prefix>events.txt,
  * a raw transcript ("> " sent, "< " received) of the event sequence
    cont, stop, cont, system_reset, system_powerdown, quit.

Every command is sent with an id "rec-N"; replies are matched on it.
Each .json file holds exactly one JSON document, re-dumped with
json.dumps(indent=2) from the reply received (key order preserved).

QEMU is always killed by its PID at the end (even on error), and the
temporary directory with the socket is removed.

How to rerun
------------
From the top of the source tree:

    scripts/record-qemu-qmp.py [--qemu /path/to/qemu-system-x86_64] \\
                               [--outdir tests/qemumonitorjsondata]

Only the Python 3 standard library is used.  The README.rst in the output
directory is regenerated too (QEMU version, date, command).
"""

import argparse
import datetime
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time

TOPDIR = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DEFAULT_OUTDIR = os.path.join(TOPDIR, "tests", "qemumonitorjsondata")

# How long to keep listening for asynchronous events after a command's reply
EVENT_SETTLE = 1.0
# Generic timeout for a single reply
REPLY_TIMEOUT = 60.0


class QMPError(Exception):
    pass


class QMPRecorder:
    def __init__(self, sock):
        self.sock = sock
        self.buf = b""
        self.eof = False
        self.counter = 0
        self.events = []        # raw event lines (bytes, CRLF stripped)
        self.transcript = None  # list of str when recording a transcript

    def _note(self, direction, raw):
        if self.transcript is not None:
            self.transcript.append(direction + " " + raw.decode("utf-8"))

    def read_line(self, timeout):
        """Return one raw line (CRLF stripped), or None on timeout/EOF."""
        deadline = time.monotonic() + timeout
        while b"\n" not in self.buf:
            if self.eof:
                return None
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                return None
            self.sock.settimeout(remaining)
            try:
                data = self.sock.recv(65536)
            except socket.timeout:
                return None
            except ConnectionResetError:
                # QEMU may reset the connection when it exits after "quit"
                data = b""
            if not data:
                self.eof = True
                continue
            self.buf += data
        line, self.buf = self.buf.split(b"\n", 1)
        if line.endswith(b"\r"):
            line = line[:-1]
        self._note("<", line)
        return line

    def _classify(self, line):
        doc = json.loads(line)
        if "event" in doc:
            self.events.append(line)
        return doc

    def drain_events(self, settle=EVENT_SETTLE):
        """Collect any events arriving within @settle seconds."""
        deadline = time.monotonic() + settle
        while True:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                return
            line = self.read_line(remaining)
            if line is None:
                return
            doc = self._classify(line)
            if "event" not in doc:
                raise QMPError("unexpected non-event message: %r" % line)

    def read_until_eof(self, timeout):
        deadline = time.monotonic() + timeout
        while not self.eof:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise QMPError("QEMU did not close the monitor")
            line = self.read_line(remaining)
            if line is None:
                continue
            self._classify(line)

    def command(self, execute, arguments=None):
        """Send a command; return (raw reply line, parsed reply)."""
        self.counter += 1
        cmd_id = "rec-%d" % self.counter
        cmd = {"execute": execute}
        if arguments is not None:
            cmd["arguments"] = arguments
        cmd["id"] = cmd_id
        raw = json.dumps(cmd).encode("utf-8")
        self._note(">", raw)
        self.sock.sendall(raw + b"\r\n")
        deadline = time.monotonic() + REPLY_TIMEOUT
        while True:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise QMPError("timeout waiting for reply to %s" % execute)
            line = self.read_line(remaining)
            if line is None:
                if self.eof:
                    raise QMPError("EOF waiting for reply to %s" % execute)
                continue
            doc = self._classify(line)
            if "event" in doc:
                continue
            if doc.get("id") != cmd_id:
                raise QMPError("reply id mismatch: want %s got %r"
                               % (cmd_id, line))
            return line, doc


def write_json(outdir, name, raw_line):
    doc = json.loads(raw_line)
    path = os.path.join(outdir, name)
    with open(path, "w", encoding="utf-8") as f:
        f.write(json.dumps(doc, indent=2, sort_keys=False))
        f.write("\n")
    return path


def write_raw(outdir, name, lines):
    path = os.path.join(outdir, name)
    with open(path, "wb") as f:
        for line in lines:
            f.write(line + b"\n")
    return path


def qemu_version_text(qemu):
    out = subprocess.run([qemu, "--version"], stdout=subprocess.PIPE,
                         stderr=subprocess.DEVNULL, check=True,
                         universal_newlines=True).stdout
    return out.strip()


def connect(sockpath, proc, timeout=30.0):
    deadline = time.monotonic() + timeout
    while True:
        if proc.poll() is not None:
            raise QMPError("QEMU exited early with status %d" % proc.returncode)
        if os.path.exists(sockpath):
            s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
            try:
                s.connect(sockpath)
                return s
            except OSError:
                s.close()
        if time.monotonic() > deadline:
            raise QMPError("timeout connecting to %s" % sockpath)
        time.sleep(0.05)


def record(qemu, outdir, prefix, sockpath, proc):
    files = []
    sock = connect(sockpath, proc)
    try:
        rec = QMPRecorder(sock)

        def save(name, raw):
            files.append(write_json(outdir, prefix + name, raw))

        greeting = rec.read_line(REPLY_TIMEOUT)
        if greeting is None or "QMP" not in json.loads(greeting):
            raise QMPError("no QMP greeting: %r" % greeting)
        save("greeting.json", greeting)
        files.append(write_raw(outdir, prefix + "greeting.raw", [greeting]))

        raw, _ = rec.command("qmp_capabilities")
        save("qmp-capabilities.json", raw)

        raw, _ = rec.command("query-qmp-schema")
        save("qmp-schema.json", raw)

        raw, _ = rec.command("query-version")
        save("query-version.json", raw)

        raw, doc = rec.command("query-status")
        if doc["return"]["status"] != "prelaunch":
            raise QMPError("expected prelaunch, got %r" % raw)
        save("query-status-prelaunch.json", raw)

        raw, doc = rec.command("query-rx-filter", {"name": "net0"})
        if "return" not in doc:
            raise QMPError("query-rx-filter net0 failed: %r" % raw)
        save("query-rx-filter-net0-default.json", raw)

        raw, doc = rec.command("query-rx-filter")
        if "return" not in doc:
            raise QMPError("query-rx-filter failed: %r" % raw)
        save("query-rx-filter-all.json", raw)

        raw, doc = rec.command("query-rx-filter", {"name": "net1"})
        if "error" not in doc:
            raise QMPError("query-rx-filter net1 unexpectedly ok: %r" % raw)
        save("query-rx-filter-error-not-virtio.json", raw)

        raw, doc = rec.command("query-rx-filter", {"name": "nosuch"})
        if "error" not in doc:
            raise QMPError("query-rx-filter nosuch unexpectedly ok: %r" % raw)
        save("query-rx-filter-error-unknown.json", raw)

        raw, doc = rec.command("no-such-command")
        if "error" not in doc:
            raise QMPError("no-such-command unexpectedly ok: %r" % raw)
        save("error-command-not-found.json", raw)

        rec.drain_events(0.2)
        if rec.events:
            raise QMPError("unexpected events before the event sequence: %r"
                           % rec.events)

        # --- the event sequence -----------------------------------------
        rec.transcript = []

        raw, _ = rec.command("cont")
        save("cont.json", raw)
        rec.drain_events()

        raw, doc = rec.command("query-status")
        if doc["return"]["status"] != "running":
            raise QMPError("expected running, got %r" % raw)
        save("query-status-running.json", raw)

        raw, _ = rec.command("stop")
        save("stop.json", raw)
        rec.drain_events()

        raw, doc = rec.command("query-status")
        if doc["return"]["status"] != "paused":
            raise QMPError("expected paused, got %r" % raw)
        save("query-status-paused.json", raw)

        rec.command("cont")
        rec.drain_events()

        raw, _ = rec.command("system_reset")
        save("system-reset.json", raw)
        rec.drain_events()

        raw, _ = rec.command("system_powerdown")
        save("system-powerdown.json", raw)
        rec.drain_events(2 * EVENT_SETTLE)

        raw, _ = rec.command("quit")
        save("quit.json", raw)
        rec.read_until_eof(REPLY_TIMEOUT)

        files.append(write_raw(outdir, prefix + "events.txt", rec.events))
        path = os.path.join(outdir, prefix + "event-sequence.txt")
        with open(path, "w", encoding="utf-8") as f:
            for line in rec.transcript:
                f.write(line + "\n")
        files.append(path)

        return files, rec.events
    finally:
        sock.close()


README_TEMPLATE = """\
==========================================
Recorded QMP traffic (qemumonitorjsondata)
==========================================

These files are real recordings of QMP traffic with the QEMU binary
installed on the recording host.  Do not edit them by hand; regenerate
them with::

  scripts/record-qemu-qmp.py

(``--qemu PATH`` selects another binary, ``--outdir DIR`` another output
directory).

Recorded on {date} with::

  $ {qemu} --version
{version}

QEMU command line (``SOCK`` is a socket in a private temporary
directory; the NICs use ``hubport`` netdevs, which create no host device
and send no traffic anywhere)::

  {cmdline}

Every command was sent with an ``"id": "rec-N"``.  Unless stated
otherwise each ``.json`` file holds exactly one JSON document: the reply
line as received, parsed and re-dumped with ``json.dumps(indent=2)``
(member order preserved).

Files
=====

``{p}greeting.json``
  The QMP greeting (pretty-printed).
``{p}greeting.raw``
  The greeting line exactly as received (trailing CRLF stripped).
``{p}qmp-capabilities.json``
  Reply to ``qmp_capabilities``.
``{p}qmp-schema.json``
  Reply to ``query-qmp-schema``: the whole ``{{"return": [...]}}``
  object.  Type names other than built-ins are masked numbers
  (``"arg-type": "42"``); resolve them by looking up the entry with that
  ``name``.
``{p}query-version.json``
  Reply to ``query-version``.
``{p}query-status-prelaunch.json``
  Reply to ``query-status`` while started with ``-S`` (prelaunch).
``{p}query-status-running.json``
  Reply to ``query-status`` after ``cont``.
``{p}query-status-paused.json``
  Reply to ``query-status`` after ``stop``.
``{p}query-rx-filter-net0-default.json``
  ``query-rx-filter`` ``{{"name": "net0"}}`` on the virtio-net NIC before
  any guest driver touched it (the big default reply, all 4096 VLAN ids).
``{p}query-rx-filter-all.json``
  ``query-rx-filter`` without arguments (every NIC that supports it;
  the e1000 is silently skipped).
``{p}query-rx-filter-error-not-virtio.json``
  ``query-rx-filter`` ``{{"name": "net1"}}`` on the e1000 NIC: error.
``{p}query-rx-filter-error-unknown.json``
  ``query-rx-filter`` ``{{"name": "nosuch"}}``: error.
``{p}error-command-not-found.json``
  Reply to ``{{"execute": "no-such-command"}}``.
``{p}cont.json``, ``{p}stop.json``, ``{p}system-reset.json``, ``{p}system-powerdown.json``, ``{p}quit.json``
  Replies to those commands.
``{p}events.txt``
  Every event line received during the sequence ``cont``, ``stop``,
  ``cont``, ``system_reset``, ``system_powerdown``, ``quit`` (plus two
  ``query-status`` calls), raw as received, one per line, trailing CRLF
  stripped.  Events seen, in order: {events}.

  Notes: the guest has no disk and no OS, only the default firmware.
  ``STOP``/``RESUME`` are emitted before the command's reply,
  ``RESET``/``POWERDOWN``/``SHUTDOWN`` usually around it (their exact
  position relative to the reply is timing dependent).  After
  ``system_reset`` the firmware resets the machine itself, giving one
  or more (varies between runs) further ``RESET`` events with
  ``"guest": true, "reason": "guest-reset"``.
  ``system_powerdown`` only yields ``POWERDOWN`` (nothing in the guest
  acts on the ACPI request, so no ``SHUTDOWN``); ``SHUTDOWN`` comes from
  ``quit`` (``"reason": "host-qmp-quit"``).  No ``NIC_RX_FILTER_CHANGED``
  is expected since no guest driver programs the virtio-net filter.
``{p}event-sequence.txt``
  Raw transcript of that sequence: ``> `` lines were sent, ``< `` lines
  received (replies and events, in wire order).
"""


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--qemu", default="qemu-system-x86_64")
    parser.add_argument("--outdir", default=DEFAULT_OUTDIR)
    args = parser.parse_args()

    qemu = shutil.which(args.qemu) or args.qemu
    version = qemu_version_text(args.qemu)
    m = re.search(r"version (\d+)\.(\d+)", version)
    if not m:
        raise QMPError("cannot parse QEMU version from %r" % version)
    prefix = "qemu-%s.%s-" % (m.group(1), m.group(2))

    os.makedirs(args.outdir, exist_ok=True)
    tmpdir = tempfile.mkdtemp(prefix="qvirt-qmp-rec-")
    sockpath = os.path.join(tmpdir, "qmp.sock")
    qemu_args = [
        "-machine", "q35,accel=tcg",
        "-nodefaults", "-no-user-config",
        "-display", "none",
        "-S", "-m", "128",
        "-qmp", "unix:%s,server=on,wait=off",
        "-netdev", "hubport,id=hostnet0,hubid=0",
        "-device", "virtio-net-pci,netdev=hostnet0,id=net0,"
                   "mac=52:54:00:12:34:56",
        "-netdev", "hubport,id=hostnet1,hubid=1",
        "-device", "e1000,netdev=hostnet1,id=net1,mac=52:54:00:ab:cd:ef",
    ]
    argv = [args.qemu] + [a % sockpath if "%s" in a else a for a in qemu_args]
    cmdline = " ".join(["qemu-system-x86_64"] +
                       [a % "SOCK" if "%s" in a else a for a in qemu_args])

    proc = None
    stderr_log = None
    try:
        stderr_log = open(os.path.join(tmpdir, "qemu.log"), "wb")
        proc = subprocess.Popen(argv, stdin=subprocess.DEVNULL,
                                stdout=stderr_log, stderr=stderr_log,
                                cwd=tmpdir)
        try:
            files, events = record(args.qemu, args.outdir, prefix,
                                   sockpath, proc)
        except Exception:
            stderr_log.flush()
            with open(os.path.join(tmpdir, "qemu.log"), "rb") as f:
                sys.stderr.write(f.read().decode("utf-8", "replace"))
            raise
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            pass
    finally:
        if proc is not None:
            if proc.poll() is None:
                os.kill(proc.pid, 9)
                proc.wait()
        if stderr_log is not None:
            stderr_log.close()
        shutil.rmtree(tmpdir, ignore_errors=True)

    names = [json.loads(line)["event"] for line in events]

    readme = README_TEMPLATE.format(
        date=datetime.date.today().isoformat(),
        qemu=os.path.basename(qemu),
        version="\n".join("  " + l for l in version.splitlines()),
        cmdline=cmdline,
        p=prefix,
        events=", ".join("``%s``" % n for n in names) or "none")
    readme_path = os.path.join(args.outdir, "README.rst")
    with open(readme_path, "w", encoding="utf-8") as f:
        f.write(readme)
    files.append(readme_path)

    for path in files:
        print("%8d %s" % (os.path.getsize(path), os.path.relpath(path)))
    print("events: %s" % ", ".join(json.loads(l)["event"] for l in events))
    return 0


if __name__ == "__main__":
    sys.exit(main())
