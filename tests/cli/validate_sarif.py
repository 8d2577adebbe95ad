#!/usr/bin/env python3
"""Runs `ssmc check --format sarif` on inputs and validates the output
against the official SARIF 2.1.0 schema; also checks what the schema
cannot: every rule of the registry is listed, ruleIndex points at the
result's rule, and regions use the positions of the text format.

usage: validate_sarif.py SSMC SCHEMA CASE_DIR...
Exit 77 (skipped) when the schema or the jsonschema module is missing."""
import json
import os
import subprocess
import sys

ssmc, schema_path, cases = sys.argv[1], sys.argv[2], sys.argv[3:]
if not os.path.exists(schema_path):
    print(f"SKIP: SARIF schema not found at {schema_path}")
    sys.exit(77)
try:
    import jsonschema
except ImportError:
    # In CI the check must run: a missing module is a broken setup.
    if os.environ.get("CI") == "true":
        print("FAIL: python3-jsonschema is not installed and CI=true")
        sys.exit(1)
    print("SKIP: python3-jsonschema is not installed (apt-get install python3-jsonschema)")
    sys.exit(77)

schema = json.load(open(schema_path))
rules_listing = subprocess.run([ssmc, "rules"], capture_output=True, text=True).stdout
rule_ids = [line.split()[0] for line in rules_listing.splitlines() if line.strip()]
failures = 0
for case in cases:
    inputs = sorted(f for f in os.listdir(case) if f.startswith("input.") or f.endswith(".yaml"))
    env = dict(os.environ, NO_COLOR="1")
    sarif = subprocess.run([ssmc, "check", "--format", "sarif", *inputs], cwd=case,
                           capture_output=True, text=True, env=env)
    text = subprocess.run([ssmc, "check", *inputs], cwd=case, capture_output=True,
                          text=True, env=env)
    if sarif.returncode != text.returncode:
        print(f"FAIL {case}: exit {sarif.returncode} with sarif, {text.returncode} with text")
        failures += 1
    doc = json.loads(sarif.stdout)
    try:
        jsonschema.validate(doc, schema)
    except jsonschema.ValidationError as e:
        print(f"FAIL {case}: {e.message} at {list(e.absolute_path)}")
        failures += 1
        continue
    run = doc["runs"][0]
    listed = [r["id"] for r in run["tool"]["driver"]["rules"]]
    if listed != rule_ids:
        print(f"FAIL {case}: driver rules differ from `ssmc rules`")
        failures += 1
    firsts = [l for l in text.stdout.splitlines() if not l.startswith(" ")]
    if len(firsts) != len(run["results"]):
        print(f"FAIL {case}: {len(run['results'])} results, {len(firsts)} text findings")
        failures += 1
    for line, result in zip(firsts, run["results"]):
        if "ruleIndex" in result and listed[result["ruleIndex"]] != result["ruleId"]:
            print(f"FAIL {case}: ruleIndex {result['ruleIndex']} is not {result['ruleId']}")
            failures += 1
        region = result["locations"][0]["physicalLocation"].get("region", {})
        where = f":{region.get('startLine')}:{region.get('startColumn')}: "
        if where not in line or f"[{result['ruleId']}]" not in line:
            print(f"FAIL {case}: result {where}{result['ruleId']} does not match '{line}'")
            failures += 1
    print(f"ok {case}: {len(run['results'])} results")
sys.exit(1 if failures else 0)
