#!/usr/bin/env python3
"""Fails when a source file that marks strings with _() is missing from po/POTFILES,
or when POTFILES names a file that does not exist."""
import pathlib
import re
import sys

root = pathlib.Path(sys.argv[1])
listed = [l.strip() for l in (root / "po" / "POTFILES").read_text().splitlines()
          if l.strip() and not l.startswith("#")]
uses = sorted(str(p.relative_to(root)) for p in (root / "src").rglob("*.c")
              if re.search(r'\b_\("', p.read_text(errors="replace")))
missing = [f for f in uses if f not in listed]
stale = [f for f in listed if not (root / f).exists()]
for f in missing:
    print(f"{f} uses _() but is not listed in po/POTFILES")
for f in stale:
    print(f"po/POTFILES lists {f}, which does not exist")
sys.exit(1 if missing or stale else 0)
