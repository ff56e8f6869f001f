#!/usr/bin/python3
"""Checks that each library folder includes only its own headers and those of the libraries its
CMake target links (directly or through them), so the layers ARCHITECTURE.md draws hold."""
import pathlib
import re
import sys

root = pathlib.Path(__file__).resolve().parent.parent
folders = {}  # folder -> directly linked folders
for cmake in root.glob("*/CMakeLists.txt"):
    text = cmake.read_text()
    if "add_library(ciperf_" not in text:
        continue
    links = re.search(r"target_link_libraries\(\s*ciperf_\w+(.*?)\)", text, re.S)
    deps = re.findall(r"ciperf_(\w+)", links.group(1)) if links else []
    folders[cmake.parent.name] = set(deps)


def reachable(folder):
    seen, todo = {folder}, [folder]
    while todo:
        for dep in folders.get(todo.pop(), ()):
            if dep not in seen:
                seen.add(dep)
                todo.append(dep)
    return seen


problems = []
for folder in sorted(folders):
    allowed = reachable(folder)
    for source in sorted((root / folder).glob("*.[ch]pp")):
        for number, line in enumerate(source.read_text().splitlines(), 1):
            match = re.match(r'#include "(\w+)/', line)
            if match and match.group(1) in folders and match.group(1) not in allowed:
                problems.append(f"{source.relative_to(root)}:{number}: includes {match.group(1)}/ "
                                f"but ciperf_{folder} does not link ciperf_{match.group(1)}")
print("\n".join(problems) if problems else f"layers hold: {', '.join(sorted(folders))}")
sys.exit(1 if problems else 0)
