#!/usr/bin/env python3
"""Applies .github/ssmc-problem-matcher.json to text output the way the
Actions runner does (first matching owner per line) and checks that every
finding line is matched with the right fields and note lines are not.

usage: problem_matcher.py MATCHER_JSON SSMC CASE_DIR"""
import json
import re
import subprocess
import sys

matcher_path, ssmc, case = sys.argv[1:4]
matchers = json.load(open(matcher_path))["problemMatcher"]
out = subprocess.run([ssmc, "check", "--no-color", "input.yaml", "../snippet/input.yaml"],
                     cwd=case, capture_output=True, text=True).stdout
# A warning and an info line written in the text format, to test those too.
out += "dir/x y.yaml:12:5: warning: value 'a:b' [SSM1019]\n"
out += "x.yaml:1:1: info: note this [SC2086]\n"
failures = 0
for line in out.splitlines():
    hit = None
    for m in matchers:
        p = m["pattern"][0]
        r = re.match(p["regexp"], line)
        if r:
            hit = (m, p, r)
            break
    if line.startswith(" "):
        if hit:
            print(f"FAIL: note line matched: {line!r}")
            failures += 1
        continue
    if not hit:
        print(f"FAIL: finding not matched: {line!r}")
        failures += 1
        continue
    m, p, r = hit
    file, rest = line.split(":", 1)[0], line
    expected = re.match(r"^(.*?):(\d+):(\d+): (\w+): (.*) \[(\w+)\]$", line).groups()
    got = (r.group(p["file"]), r.group(p["line"]), r.group(p["column"]),
           r.group(p["severity"]) if "severity" in p else ("info" if m.get("severity") == "notice" else "?"),
           r.group(p["message"]), r.group(p["code"]))
    if got != expected:
        print(f"FAIL: {line!r}: got {got}, expected {expected}")
        failures += 1
    else:
        print(f"ok {got}")
sys.exit(1 if failures else 0)
