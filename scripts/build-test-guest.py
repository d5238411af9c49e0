#!/usr/bin/env python3
# build-test-guest.py: builds the small Linux guest of the end-to-end tests from Debian packages.
"""Builds a bootable test guest: a kernel and an initramfs, from Debian packages only.

The kernel and its modules come from linux-image-cloud-amd64 (fetched with
`apt-get download` and unpacked, never installed); the initramfs holds
busybox-static, iproute2's `ip` with its libraries (busybox's `ip` lacks `maddr`
and `allmulticast`), the virtio-net, 8021q and macvlan modules with their
dependencies, and an /init that brings eth0 up and then runs the commands a test
writes to the serial console.

Console protocol: a test writes `<seq> <shell command>` lines; the guest runs each
and prints `QVIRT-DONE <seq> <status>` after the command's output. Before the first
command it prints `QVIRT-READY`.

The result is cached outside the source tree, under a key made of everything it is
built from (this script, the package versions, the `ip` files); it is rebuilt only
when one of them changes. Prints the folder that holds `vmlinuz` and `initrd.img`.
"""
import argparse
import fcntl
import glob
import hashlib
import os
import re
import shutil
import stat
import subprocess
import sys
import tempfile

KERNEL_META_PACKAGE = 'linux-image-cloud-amd64'
BUSYBOX_PACKAGE = 'busybox-static'
IP_BINARY = '/usr/bin/ip'
# virtio_pci and virtio_net reach the NIC and load at boot.  8021q and macvlan (VLANs,
# second MACs) load on demand (`load-module 8021q`): once 8021q is loaded, Linux puts
# VLAN id 0 in eth0's filter, which QEMU reports as a VLAN table.  Dependencies are read
# from each module's .modinfo.
BOOT_MODULES = ['virtio_pci', 'virtio_net']
DEMAND_MODULES = ['8021q', 'macvlan']
# The kernel command line the tests boot with: quick and quiet under TCG.
CMDLINE = 'console=ttyS0 quiet loglevel=1 panic=-1 tsc=reliable no_timer_check mitigations=off'
CACHE_GENERATIONS_KEPT = 2

INIT = r"""#!/bin/busybox sh
# /init of the qvirt test guest: brings eth0 up, then runs console commands.
/bin/busybox --install -s /bin
export PATH=/usr/sbin:/usr/bin:/sbin:/bin
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev 2>/dev/null
load-module boot || echo "QVIRT-ERROR cannot load the boot modules"
ip link set lo up
ip link set eth0 up || echo "QVIRT-ERROR eth0 did not come up"
stty -echo 2>/dev/null
echo QVIRT-READY
while read -r seq cmd; do
    case "$seq" in
        ''|*[!0-9]*) continue ;;
    esac
    sh -c "$cmd" </dev/null 2>&1
    echo "QVIRT-DONE $seq $?"
done
echo "QVIRT-ERROR console closed"
exec sleep 2147483647
"""

# load-module NAME: loads the modules /etc/modules/NAME.order lists, dependencies first.
LOAD_MODULE = r"""#!/bin/busybox sh
set -e
for m in $(cat "/etc/modules/$1.order"); do
    grep -q "^${m%.ko} " /proc/modules || insmod "/lib/modules/$m"
done
"""


def log(msg):
    print('build-test-guest: ' + msg, file=sys.stderr)


def run(argv, **kwargs):
    return subprocess.run(argv, check=True, capture_output=True, text=True, **kwargs).stdout


def candidate_version(package):
    """The version apt would fetch for @package, from apt-cache policy."""
    out = run(['apt-cache', 'policy', package])
    m = re.search(r'^\s*Candidate:\s*(\S+)', out, re.M)
    if not m or m.group(1) == '(none)':
        sys.exit('build-test-guest: apt knows no package %s (run apt-get update?)' % package)
    return m.group(1)


def kernel_package():
    """The versioned kernel package the meta package depends on."""
    out = run(['apt-cache', 'depends', '--important', KERNEL_META_PACKAGE])
    for line in out.splitlines():
        m = re.match(r'\s*Depends:\s*(linux-image-\S+)', line)
        if m:
            return m.group(1)
    sys.exit('build-test-guest: %s depends on no kernel package' % KERNEL_META_PACKAGE)


def ip_files():
    """iproute2's ip and the shared objects it loads, as host paths."""
    files = [IP_BINARY]
    for line in run(['ldd', IP_BINARY]).splitlines():
        m = re.search(r'(/\S+)\s+\(0x', line)
        if m:
            files.append(m.group(1))
    return files


def file_digest(path):
    h = hashlib.sha256()
    with open(path, 'rb') as f:
        for chunk in iter(lambda: f.read(1 << 20), b''):
            h.update(chunk)
    return h.hexdigest()


def modinfo_depends(path):
    """The modules @path depends on, from the depends= field of its .modinfo."""
    with open(path, 'rb') as f:
        m = re.search(rb'\0depends=([^\0]*)\0', f.read())
    if not m or not m.group(1):
        return []
    return m.group(1).decode().split(',')


def module_load_order(moddir, wanted):
    """Module files under @moddir for @wanted with their dependencies, dependencies first."""
    by_name = {}
    for path in glob.glob(os.path.join(moddir, 'kernel', '**', '*.ko'), recursive=True):
        by_name[os.path.basename(path)[:-3].replace('-', '_')] = path
    order, seen = [], set()

    def visit(name, chain):
        name = name.replace('-', '_')
        if name in seen:
            return
        if name in chain:
            sys.exit('build-test-guest: module dependency loop: %s' % ' -> '.join(chain))
        if name not in by_name:
            sys.exit('build-test-guest: the kernel package has no module %s' % name)
        for dep in modinfo_depends(by_name[name]):
            visit(dep, chain + [name])
        seen.add(name)
        order.append(by_name[name])

    for name in wanted:
        visit(name, [])
    return order


class Cpio:
    """Writes a newc cpio archive (what the kernel unpacks as initramfs)."""

    def __init__(self, f):
        self.f = f
        self.ino = 1

    def _entry(self, name, mode, data=b'', rdev=(0, 0)):
        name_bytes = name.encode() + b'\0'
        header = '070701' + ''.join('%08X' % v for v in (
            self.ino, mode, 0, 0, 1, 0, len(data), 0, 0, rdev[0], rdev[1],
            len(name_bytes), 0))
        self.ino += 1
        self.f.write(header.encode() + name_bytes)
        self.f.write(b'\0' * ((4 - (110 + len(name_bytes)) % 4) % 4))
        self.f.write(data)
        self.f.write(b'\0' * ((4 - len(data) % 4) % 4))

    def directory(self, name):
        self._entry(name, stat.S_IFDIR | 0o755)

    def file(self, name, data, mode=0o755):
        self._entry(name, stat.S_IFREG | mode, data)

    def chardev(self, name, major, minor):
        self._entry(name, stat.S_IFCHR | 0o600, rdev=(major, minor))

    def close(self):
        self._entry('TRAILER!!!', 0)


def build(outdir, workdir, kernel_pkg):
    log('fetching %s and %s with apt-get download' % (kernel_pkg, BUSYBOX_PACKAGE))
    debs = os.path.join(workdir, 'debs')
    root = os.path.join(workdir, 'root')
    os.makedirs(debs)
    # apt's sandbox user must be able to write the folder.
    os.chmod(workdir, 0o755)
    os.chmod(debs, 0o777)
    subprocess.run(['apt-get', 'download', '-q', kernel_pkg, BUSYBOX_PACKAGE], cwd=debs,
                   check=True, stdout=subprocess.DEVNULL)
    for deb in sorted(glob.glob(os.path.join(debs, '*.deb'))):
        subprocess.run(['dpkg-deb', '-x', deb, root], check=True)

    vmlinuz = glob.glob(os.path.join(root, 'boot', 'vmlinuz-*'))
    moddirs = glob.glob(os.path.join(root, 'lib', 'modules', '*'))
    if len(vmlinuz) != 1 or len(moddirs) != 1:
        sys.exit('build-test-guest: %s holds no single kernel and module tree' % kernel_pkg)
    orders = {'boot': module_load_order(moddirs[0], BOOT_MODULES)}
    for name in DEMAND_MODULES:
        orders[name] = module_load_order(moddirs[0], [name])

    initrd = os.path.join(workdir, 'initrd.img')
    with open(initrd, 'wb') as f:
        cpio = Cpio(f)
        for d in ('bin', 'sbin', 'usr', 'usr/bin', 'usr/sbin', 'etc', 'etc/modules', 'proc',
                  'sys', 'dev',
                  'tmp', 'lib', 'lib/modules', 'lib64', 'lib/x86_64-linux-gnu'):
            cpio.directory(d)
        # The console must exist before devtmpfs is mounted: the kernel opens it for init.
        cpio.chardev('dev/console', 5, 1)
        with open(os.path.join(root, 'bin', 'busybox'), 'rb') as b:
            cpio.file('bin/busybox', b.read())
        for path in ip_files():
            # Libraries go where the loader looks for them (their soname paths).
            target = '/usr/sbin/ip' if path == IP_BINARY else path
            with open(os.path.realpath(path), 'rb') as b:
                cpio.file(target.lstrip('/'), b.read())
        names = set()
        for order, paths in orders.items():
            for path in paths:
                name = os.path.basename(path)
                if name not in names:
                    names.add(name)
                    with open(path, 'rb') as b:
                        cpio.file('lib/modules/' + name, b.read(), 0o644)
            cpio.file('etc/modules/%s.order' % order,
                      ''.join(os.path.basename(p) + '\n' for p in paths).encode(), 0o644)
        cpio.file('usr/sbin/load-module', LOAD_MODULE.encode())
        cpio.file('init', INIT.encode())
        cpio.close()

    os.makedirs(outdir)
    shutil.copy(vmlinuz[0], os.path.join(outdir, 'vmlinuz'))
    shutil.copy(initrd, os.path.join(outdir, 'initrd.img'))
    with open(os.path.join(outdir, 'cmdline'), 'w') as f:
        f.write(CMDLINE + '\n')
    log('kernel %s, modules: %s' % (kernel_pkg, ' '.join(sorted(names))))


def main():
    parser = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    default_cache = os.path.join(os.environ.get('XDG_CACHE_HOME') or
                                 os.path.expanduser('~/.cache'), 'qvirt', 'test-guest')
    parser.add_argument('--cache-dir', default=os.environ.get('QVIRT_GUEST_CACHE', default_cache),
                        help='where built guests are kept (default: $QVIRT_GUEST_CACHE or %s)'
                        % default_cache)
    parser.add_argument('--force', action='store_true', help='rebuild even when cached')
    args = parser.parse_args()

    kernel_pkg = kernel_package()
    key = hashlib.sha256()
    with open(os.path.abspath(__file__), 'rb') as f:
        key.update(f.read())
    key.update(('%s=%s\n' % (kernel_pkg, candidate_version(kernel_pkg))).encode())
    key.update(('%s=%s\n' % (BUSYBOX_PACKAGE, candidate_version(BUSYBOX_PACKAGE))).encode())
    for path in ip_files():
        key.update(('%s=%s\n' % (path, file_digest(path))).encode())
    name = key.hexdigest()[:16]

    os.makedirs(args.cache_dir, exist_ok=True)
    outdir = os.path.join(args.cache_dir, name)
    # Tests running in parallel may all ask for the guest: one builds, the rest wait.
    with open(os.path.join(args.cache_dir, '.lock'), 'w') as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if args.force and os.path.isdir(outdir):
            shutil.rmtree(outdir)
        if not os.path.isdir(outdir):
            with tempfile.TemporaryDirectory(prefix='build-', dir=args.cache_dir) as work:
                build(os.path.join(work, 'out'), work, kernel_pkg)
                os.rename(os.path.join(work, 'out'), outdir)
            log('built %s' % outdir)
            # Older generations go, newest kept.
            others = sorted((d for d in glob.glob(os.path.join(args.cache_dir, '*'))
                             if os.path.isdir(d) and d != outdir and
                             not os.path.basename(d).startswith('build-')),
                            key=os.path.getmtime, reverse=True)
            for old in others[CACHE_GENERATIONS_KEPT - 1:]:
                shutil.rmtree(old, ignore_errors=True)
    print(outdir)


if __name__ == '__main__':
    main()
