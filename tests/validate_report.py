#!/usr/bin/python3
"""Checks one ciperf report file against what its format requires. Usage:
validate_report.py FORMAT FILE. Prints every problem and exits 1 if there is any."""
import csv
import html.parser
import json
import os
import re
import subprocess
import sys

HEX32 = re.compile(r"^[0-9a-f]{32}$")
HEX16 = re.compile(r"^[0-9a-f]{16}$")
DIGITS = re.compile(r"^[0-9]+$")
SOURCE = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def check_junit(path, problems):
    schema = os.path.join(SOURCE, "schema", "junit.xsd")
    done = subprocess.run(["xmllint", "--noout", "--nonet", "--schema", schema, path],
                          capture_output=True, text=True)
    if done.returncode != 0:
        problems.append("xmllint: " + done.stderr.strip())


def check_trace(path, problems):
    doc = json.load(open(path, encoding="utf-8"))
    events = doc.get("traceEvents")
    if not isinstance(events, list) or not events:
        problems.append("no traceEvents")
        return
    for i, e in enumerate(events):
        for key in ("name", "ph", "pid", "tid"):
            if key not in e:
                problems.append(f"event {i}: no {key}")
        ph = e.get("ph")
        if ph == "X" and not (isinstance(e.get("ts"), int) and isinstance(e.get("dur"), int)
                              and e["dur"] >= 0):
            problems.append(f"event {i}: a complete event needs integer ts and dur >= 0")
        if ph == "i" and (not isinstance(e.get("ts"), int) or e.get("s") not in ("t", "p", "g")):
            problems.append(f"event {i}: an instant event needs ts and a scope")
        if ph == "M" and "name" not in e.get("args", {}):
            problems.append(f"event {i}: metadata without args.name")
    if not any(e.get("ph") == "X" and e.get("cat") == "run" and "run_id" in e.get("args", {})
               for e in events):
        problems.append("no run event with the run's metadata in args")


def attributes(span):
    out = {}
    for a in span.get("attributes", []):
        value = a.get("value", {})
        if len(value) != 1:
            return None
        out[a["key"]] = next(iter(value.values()))
    return out


def check_otlp(path, problems):
    for n, line in enumerate(open(path, encoding="utf-8"), 1):
        request = json.loads(line)
        spans = [s for rs in request["resourceSpans"] for ss in rs["scopeSpans"]
                 for s in ss["spans"]]
        ids = {s["spanId"] for s in spans}
        for s in spans:
            where = f"line {n} span {s.get('name')!r}"
            if not HEX32.match(s["traceId"]) or set(s["traceId"]) == {"0"}:
                problems.append(f"{where}: traceId is not 32 lowercase hex digits")
            if not HEX16.match(s["spanId"]):
                problems.append(f"{where}: spanId is not 16 lowercase hex digits")
            if "parentSpanId" in s and s["parentSpanId"] not in ids:
                problems.append(f"{where}: parentSpanId names no span")
            start, end = s["startTimeUnixNano"], s["endTimeUnixNano"]
            if not (isinstance(start, str) and DIGITS.match(start) and isinstance(end, str)
                    and DIGITS.match(end) and int(end) >= int(start)):
                problems.append(f"{where}: times must be decimal strings of ns, end >= start")
            attrs = attributes(s)
            if attrs is None:
                problems.append(f"{where}: an attribute value must have exactly one type")
                continue
            needed = (["cicd.pipeline.name", "cicd.pipeline.run.id", "cicd.pipeline.result"]
                      if "parentSpanId" not in s else
                      ["cicd.pipeline.task.name", "cicd.pipeline.task.run.id",
                       "cicd.pipeline.task.run.result"])
            for key in needed:
                if key not in attrs:
                    problems.append(f"{where}: no {key}")


class HtmlCheck(html.parser.HTMLParser):
    def __init__(self):
        super().__init__()
        self.tags = {}
        self.csp = None

    def handle_starttag(self, tag, attrs):
        self.tags[tag] = self.tags.get(tag, 0) + 1
        a = dict(attrs)
        if tag == "meta" and a.get("http-equiv", "").lower() == "content-security-policy":
            self.csp = a.get("content", "")
        for name in a:
            if name.startswith("on"):
                self.tags["event-handler"] = self.tags.get("event-handler", 0) + 1


def check_html(path, problems):
    text = open(path, encoding="utf-8").read()
    parser = HtmlCheck()
    parser.feed(text)
    if parser.tags.get("script") or parser.tags.get("event-handler"):
        problems.append("the page has a script element or an event handler")
    if not parser.csp or "script-src 'none'" not in parser.csp:
        problems.append("no Content-Security-Policy meta tag forbidding scripts")
    if not parser.tags.get("svg"):
        problems.append("no SVG chart")
    if re.search(r"(?i)https?://(?!www\.w3\.org/2000/svg)", text):
        problems.append("the page refers to something online")


def check_md(path, problems):
    data = open(path, "rb").read()
    if len(data) > 64 * 1024:
        problems.append(f"{len(data)} bytes, over 64 KiB")
    text = data.decode("utf-8")
    if re.search(r"(?i)<script", text):
        problems.append("raw <script> in the Markdown")
    width = None  # the cell count of the table being read
    for n, line in enumerate(text.splitlines(), 1):
        if not line.startswith("|"):
            width = None
            continue
        cells = len(re.findall(r"(?<!\\)\|", line))
        if width is None:
            width = cells
        elif cells != width:
            problems.append(f"line {n}: {cells - 1} cells, the table has {width - 1}")


def check_csv(path, problems):
    rows = list(csv.reader(open(path, encoding="utf-8", newline="")))
    if not rows:
        problems.append("empty")
        return
    for n, row in enumerate(rows[1:], 2):
        if len(row) != len(rows[0]):
            problems.append(f"row {n}: {len(row)} fields, the header has {len(rows[0])}")


def check_hyperfine(path, problems):
    doc = json.load(open(path, encoding="utf-8"))
    for i, r in enumerate(doc.get("results", [])):
        for key in ("command", "mean", "stddev", "median", "user", "system", "min", "max",
                    "times", "exit_codes"):
            if key not in r:
                problems.append(f"result {i}: no {key}")
        if not all(isinstance(t, (int, float)) for t in r.get("times", [])):
            problems.append(f"result {i}: times must be numbers")
        if not r.get("times"):
            problems.append(f"result {i}: no times (hyperfine's scripts plot them)")
        if not isinstance(r.get("command"), str):
            problems.append(f"result {i}: command must be a string")
        for key in ("mean", "median", "min", "max", "user", "system"):
            if key in r and not isinstance(r[key], (int, float)):
                problems.append(f"result {i}: {key} must be a number")
        if r.get("stddev") is not None and not isinstance(r["stddev"], (int, float)):
            problems.append(f"result {i}: stddev must be a number or null")
    if not doc.get("results"):
        problems.append("no results")


CHECKS = {"junit": check_junit, "trace": check_trace, "otlp": check_otlp, "html": check_html,
          "md": check_md, "csv": check_csv, "hyperfine": check_hyperfine}

if __name__ == "__main__":
    fmt, path = sys.argv[1], sys.argv[2]
    problems = []
    try:
        CHECKS[fmt](path, problems)
    except (ValueError, KeyError, TypeError) as e:
        problems.append(f"{type(e).__name__}: {e}")
    for p in problems:
        print(f"{path}: {p}")
    sys.exit(1 if problems else 0)
