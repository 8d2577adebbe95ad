#!/usr/bin/env python3
"""Benchmark of `ssmc lsp` (prints figures, asserts nothing).

usage: tests/bench/lsp_bench.py [BUILD_DIR] [EDITS]

Opens a generated Command document of 1,000 lines (40 steps, a parameter
per step, scripts that use them) and makes EDITS (default 10,000) one-
character edits through textDocument/didChange, alternately inserting and
deleting a character inside a script line, so the document stays valid
and every edit is re-checked in full. ShellCheck is off and the debounce 0,
so each edit is answered by one publishDiagnostics. Reported:
  - the time from sending an edit to receiving its diagnostics (the whole
    re-check plus the protocol), median, 95th percentile and maximum;
  - the server's resident memory (VmRSS) after the first 100 edits and
    after every quarter of the run, and its peak (VmHWM): a server that
    leaks grows with the edits.
"""
import json
import os
import select
import statistics
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))


def document():
    lines = ["schemaVersion: '2.2'", "description: LSP benchmark document", "parameters:"]
    steps = 40
    for i in range(steps):
        lines += ["  Param%d:" % i, "    type: String", "    default: value%d" % i,
                  "    allowedPattern: '^[a-z0-9]+$'"]
    lines.append("mainSteps:")
    body = 1000 - len(lines)
    per_step = body // steps
    for i in range(steps):
        lines += ["  - action: aws:runShellScript", "    name: step%d" % i, "    inputs:",
                  "      runCommand:"]
        for k in range(per_step - 4):
            lines.append("        - echo \"line %d of step %d {{ Param%d }}\"" % (k, i, i))
    while len(lines) < 1000:
        lines.append("# filler")
    return "\n".join(lines) + "\n"


class Client:
    def __init__(self, argv):
        self.p = subprocess.Popen(argv, stdin=subprocess.PIPE, stdout=subprocess.PIPE)
        self.buf = b""

    def send(self, obj):
        body = json.dumps(obj).encode()
        self.p.stdin.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)
        self.p.stdin.flush()

    def receive(self):
        while True:
            head, sep, rest = self.buf.partition(b"\r\n\r\n")
            if sep:
                length = int(head.split(b":")[1])
                if len(rest) >= length:
                    self.buf = rest[length:]
                    return json.loads(rest[:length])
            r, _, _ = select.select([self.p.stdout], [], [], 30)
            if not r:
                sys.exit("lsp_bench: no answer from the server")
            chunk = os.read(self.p.stdout.fileno(), 1 << 20)
            if not chunk:
                sys.exit("lsp_bench: the server stopped")
            self.buf += chunk

    def status(self, field):
        with open("/proc/%d/status" % self.p.pid) as f:
            for line in f:
                if line.startswith(field + ":"):
                    return int(line.split()[1])
        return 0


def main():
    build = sys.argv[1] if len(sys.argv) > 1 else os.path.join(HERE, "..", "..", "build")
    edits = int(sys.argv[2]) if len(sys.argv) > 2 else 10000
    ssmc = os.path.join(build, "ssmc")
    c = Client([ssmc, "lsp", "--debounce", "0", "--external-delay", "-1", "--shellcheck=off"])
    c.send({"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": {"capabilities": {}}})
    c.receive()
    uri = "file:///nonexistent-ssmc-bench/bench.yaml"
    text = document()
    c.send({"jsonrpc": "2.0", "method": "textDocument/didOpen",
            "params": {"textDocument": {"uri": uri, "languageId": "yaml", "version": 1,
                                        "text": text}}})
    first = c.receive()
    findings = len(first["params"]["diagnostics"])
    # The edit: line 200 is a script line; insert "x" after its 20th
    # character, then delete it again.
    line = 200
    times, memory = [], []
    checkpoints = {100} | {edits * k // 4 for k in range(1, 5)}
    for n in range(1, edits + 1):
        if n % 2:
            change = {"range": {"start": {"line": line, "character": 20},
                                "end": {"line": line, "character": 20}}, "text": "x"}
        else:
            change = {"range": {"start": {"line": line, "character": 20},
                                "end": {"line": line, "character": 21}}, "text": ""}
        t0 = time.perf_counter()
        c.send({"jsonrpc": "2.0", "method": "textDocument/didChange",
                "params": {"textDocument": {"uri": uri, "version": n + 1},
                           "contentChanges": [change]}})
        msg = c.receive()
        times.append((time.perf_counter() - t0) * 1000)
        if msg["params"]["version"] != n + 1:
            sys.exit("lsp_bench: diagnostics of version %s after edit %d" %
                     (msg["params"]["version"], n))
        if n in checkpoints:
            memory.append((n, c.status("VmRSS")))
    peak = c.status("VmHWM")
    c.send({"jsonrpc": "2.0", "id": 2, "method": "shutdown"})
    c.receive()
    c.send({"jsonrpc": "2.0", "method": "exit"})
    c.p.wait()
    times.sort()
    print("ssmc lsp: %d-line document (%d bytes, %d findings), %d one-character edits, "
          "ShellCheck off" % (text.count("\n"), len(text.encode()), findings, edits))
    print("  re-check after an edit (send to diagnostics received): median %.2f ms, "
          "p95 %.2f ms, max %.2f ms (target < 20 ms)" %
          (statistics.median(times), times[int(len(times) * 0.95) - 1], times[-1]))
    print("  server memory (VmRSS): " +
          ", ".join("%d KiB after %d edits" % (kb, n) for n, kb in memory) +
          "; peak %d KiB" % peak)


if __name__ == "__main__":
    main()
