#!/usr/bin/env python3
# run-fuzzers.py: fuzzes one libFuzzer target of qvirt for a bounded time over its seeds.
"""Fuzzes a qvirt fuzz target (fuzz/fuzz-*.c, built with -Dfuzzing=true) for a bounded
time, starting from the seed files and folders given (real traffic from the tree, and
fuzz/regressions/TARGET/, one file per earlier finding). The corpus grows in
BUILDDIR/fuzz-corpus/TARGET; findings go to BUILDDIR/fuzz-findings/. Exits non-zero
on any crash, leak, timeout or broken invariant. $QVIRT_FUZZ_SECONDS overrides the
time. fuzz/meson.build passes the seeds: `meson test -C build-fuzz --suite fuzz`.

Usage: run-fuzzers.py SECONDS TARGET_EXECUTABLE SEED_FILE_OR_DIR..."""
import os
import shutil
import subprocess
import sys
import tempfile
import time


def main():
    if len(sys.argv) < 4:
        sys.exit(__doc__.split('\n\n')[-1])
    seconds = int(os.environ.get('QVIRT_FUZZ_SECONDS') or sys.argv[1])
    target = os.path.abspath(sys.argv[2])
    name = os.path.basename(target)
    builddir = os.path.dirname(os.path.dirname(target))
    corpus = os.path.join(builddir, 'fuzz-corpus', name)
    findings = os.path.join(builddir, 'fuzz-findings')
    os.makedirs(corpus, exist_ok=True)
    os.makedirs(findings, exist_ok=True)

    with tempfile.TemporaryDirectory(prefix='qvirt-%s-seeds-' % name) as seeddir:
        # libFuzzer takes folders: single seed files are gathered into one.
        dirs = []
        for path in sys.argv[3:]:
            if os.path.isdir(path):
                dirs.append(path)
            elif os.path.isfile(path):
                shutil.copy(path, seeddir)
            else:
                sys.exit('run-fuzzers: no seed file or folder %s' % path)
        argv = [target, '-max_total_time=%d' % seconds, '-timeout=10',
                '-rss_limit_mb=3072', '-print_final_stats=1',
                '-artifact_prefix=%s/%s-' % (findings, name), corpus, seeddir] + dirs
        print('run-fuzzers: ' + ' '.join(argv), flush=True)
        start = time.monotonic()
        r = subprocess.run(argv, stderr=subprocess.PIPE, text=True, errors='replace')

    lines = r.stderr.splitlines()
    stats = [l.split('::', 1)[-1] for l in lines if l.startswith('stat::')]
    print('run-fuzzers: %s fuzzed %.0f s, exit %d: %s' % (
        name, time.monotonic() - start, r.returncode, ', '.join(' '.join(s.split()) for s in stats)))
    if r.returncode != 0:
        print('\n'.join(lines[-80:]))
        print('run-fuzzers: %s found a problem; the input is in %s. Fix it and add the '
              'input to fuzz/regressions/%s/.' % (name, findings, name))
    sys.exit(r.returncode)


if __name__ == '__main__':
    main()
