#!/usr/bin/env python3
"""Fails when a Catch2 test name would not survive CTest discovery: Catch2 v2's
catch_discover_tests splits a name at ';' (two CTest tests, neither matching a case), and a name
that starts with '-' is read by the test binary as an option. Both make a test that never runs."""
import subprocess
import sys

# Catch2 v2 exits with the number of names listed, so the exit code says nothing here.
names = subprocess.run([sys.argv[1], "--list-test-names-only"], capture_output=True,
                       text=True).stdout.splitlines()
if not names:
    sys.exit("no test names listed")
bad = [n for n in names if ";" in n or n.lstrip().startswith("-")]
for name in bad:
    print(f"test name CTest cannot run: {name!r} (no ';', no leading '-')", file=sys.stderr)
print(f"{len(names)} test names checked")
sys.exit(1 if bad else 0)
