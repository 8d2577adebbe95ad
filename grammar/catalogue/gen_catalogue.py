#!/usr/bin/env python3
"""gen_catalogue.py - writes grammar/catalogue.json, the catalogue of
AWS-managed SSM documents, from their JSON content in the real-document
corpus. Python 3 standard library only; the output depends on nothing but
the input files (sorted names, fixed formatting), so that a test can
regenerate it byte for byte.

    gen_catalogue.py CORPUS_DIR INPUTS.tsv PLUGINS_DIR OUT.json

CORPUS_DIR   shared/corpus/real (holds MANIFEST.tsv)
INPUTS.tsv   NAME, DOCUMENT TYPE and file (relative to CORPUS_DIR) per line;
             '#' lines are comments (grammar/catalogue/inputs.tsv)
PLUGINS_DIR  grammar/plugins: the platforms of each Command plugin

Per document: name, document type, schemaVersion, platforms and parameters
(type, default, allowedValues, allowedPattern, min/max bounds, required =
no default). A parameter passed whole as the runCommand of
aws:runShellScript / aws:runPowerShellScript is marked "script" (shell or
powershell), and such a document keeps its content, so that an association
running it can be linted and planned.
"""
import json
import os
import re
import sys

KEPT = ["type", "default", "allowedValues", "allowedPattern",
        "minItems", "maxItems", "minChars", "maxChars"]
WHOLE_TOKEN = re.compile(r"^\{\{\s*([A-Za-z0-9_]+)\s*\}\}$")
SCRIPT_PLUGINS = {"aws:runShellScript": "shell", "aws:runPowerShellScript": "powershell"}
ALL = ["Windows", "Linux", "MacOS"]
PLATFORM_NAMES = {"windows": "Windows", "linux": "Linux", "macos": "MacOS"}


def plugin_platforms(plugins_dir):
    out = {}
    for name in sorted(os.listdir(plugins_dir)):
        if not name.endswith(".json"):
            continue
        with open(os.path.join(plugins_dir, name), encoding="utf-8") as f:
            plugin = json.load(f)["plugin"]
        plats = plugin.get("platforms") or ["windows", "linux", "macos"]
        out[plugin["name"]] = [PLATFORM_NAMES[p] for p in plats if p in PLATFORM_NAMES]
    return out


def plugins_of(doc):
    """(plugin name, inputs) of every step or 1.2 plugin."""
    for step in doc.get("mainSteps") or []:
        if isinstance(step, dict) and isinstance(step.get("action"), str):
            yield step["action"], step.get("inputs")
    for name, plugin in (doc.get("runtimeConfig") or {}).items():
        props = plugin.get("properties") if isinstance(plugin, dict) else None
        for p in props if isinstance(props, list) else [props]:
            yield name, p


def platforms(doc, kind, by_plugin):
    if kind == "Command":
        found = set()
        for name, _ in plugins_of(doc):
            found.update(by_plugin.get(name, ALL))
        return [p for p in ALL if p in found] or ALL
    if kind == "Package":
        keys = set((doc.get("packages") or {}).keys())
        found = set()
        for k in keys:
            found.add("Windows" if k == "windows" else "MacOS" if k in ("mac_os_x", "darwin")
                      else None if k == "_any" else "Linux")
            if k == "_any":
                found.update(ALL)
        return [p for p in ALL if p in found]
    if kind == "Session":
        props = doc.get("properties") or {}
        found = [PLATFORM_NAMES[k] for k in ("windows", "linux", "macos") if k in props]
        return [p for p in ALL if p in found] or ALL
    return ALL


def script_params(doc):
    out = {}
    for name, inputs in plugins_of(doc):
        lang = SCRIPT_PLUGINS.get(name)
        rc = inputs.get("runCommand") if isinstance(inputs, dict) else None
        m = WHOLE_TOKEN.match(rc) if lang and isinstance(rc, str) else None
        if m:
            out.setdefault(m.group(1), lang)
    return out


def entry(name, kind, doc, by_plugin):
    scripts = script_params(doc)
    params = []
    for pname, pdef in (doc.get("parameters") or {}).items():
        if not isinstance(pdef, dict):
            continue
        p = {"name": pname}
        for k in KEPT:
            if k in pdef:
                v = pdef[k]
                if k == "allowedValues":
                    v = [x if isinstance(x, str) else json.dumps(x) for x in v]
                p[k] = v
        p.setdefault("type", "String")
        p["required"] = "default" not in pdef
        if pname in scripts:
            p["script"] = scripts[pname]
        params.append(p)
    out = {
        "name": name,
        "documentType": kind,
        "schemaVersion": str(doc.get("schemaVersion", "")),
        "platforms": platforms(doc, kind, by_plugin),
        "parameters": params,
    }
    if scripts:
        out["content"] = doc
    return out


def main(argv):
    if len(argv) != 5:
        sys.stderr.write("usage: gen_catalogue.py CORPUS_DIR INPUTS.tsv PLUGINS_DIR OUT.json\n")
        return 2
    corpus, inputs, plugins_dir, out_path = argv[1:]
    by_plugin = plugin_platforms(plugins_dir)
    docs = {}
    with open(inputs, encoding="utf-8") as f:
        for line in f:
            line = line.rstrip("\n")
            if not line or line.startswith("#"):
                continue
            name, kind, path = line.split("\t")
            if name in docs:
                sys.stderr.write("gen_catalogue: %s listed twice\n" % name)
                return 1
            with open(os.path.join(corpus, path), encoding="utf-8") as d:
                docs[name] = entry(name, kind, json.load(d), by_plugin)
    catalogue = {
        "comment": "Generated by grammar/catalogue/gen_catalogue.py from the AWS-managed "
                   "documents listed in grammar/catalogue/inputs.tsv; do not edit by hand.",
        "documents": [docs[n] for n in sorted(docs)],
    }
    text = json.dumps(catalogue, indent=1, ensure_ascii=True, sort_keys=False) + "\n"
    tmp = out_path + ".tmp"
    with open(tmp, "w", encoding="utf-8", newline="\n") as f:
        f.write(text)
    os.replace(tmp, out_path)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
