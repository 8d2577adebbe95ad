#!/usr/bin/env python3
"""A scripted LSP client: drives `ssmc lsp` through a transcript and checks
every message the server sends, exactly.

usage: lsp_client.py SSMC TRANSCRIPT [--bless]

Transcript lines (tests/lsp/*.lsp):
  # ...            a comment
  % ARGS           arguments after `ssmc lsp` (first line only)
  file NAME SRC    copy tests/lsp/data/SRC to NAME in the work folder
  mkdir NAME       make the folder NAME (and its parents) in the work folder
  chmod NAME MODE  set the mode (octal) of NAME in the work folder
  > JSON           a message to send (framed by the client)
  raw PYSTRING     bytes to send as they are (a Python string literal)
  bigbody N        a message of N bytes of "x" (beyond the size limit)
  < JSON           the next message the server must send (compared as JSON)
  <~ METHOD        the next message is a notification of METHOD (content not
                   compared: findings that other stages own, which change
                   as those stages grow)
  close            close the server's stdin
  exit N           the server must exit with status N and write nothing more
  fixall SRC ARGS  the source.fixAll.ssmc action of the last message received,
                   applied to tests/lsp/data/SRC, must give the bytes that
                   `ssmc check --fix ARGS` writes for a copy of SRC

In a message, "$DIR" is the work folder (a fresh temporary folder) and a
string "$file:NAME" is replaced by the text of tests/lsp/data/NAME.
With --bless the < lines are rewritten with what the server sent.

The fuzz target's seeds (tests/fuzz/make_corpus.sh): --frames TRANSCRIPT
writes the client's side of a session, framed, to stdout; --frames-open
DOCUMENT a session that opens, edits, queries and closes one document.
"""
import ast
import json
import os
import select
import shutil
import subprocess
import sys
import tempfile
import time

TIMEOUT = 20.0
HERE = os.path.dirname(os.path.abspath(__file__))


def fail(msg):
    sys.stderr.write("lsp_client: " + msg + "\n")
    sys.exit(1)


class Server:
    def __init__(self, argv, cwd):
        # ShellCheck's result cache goes to the work folder, not the user's.
        env = dict(os.environ, XDG_CACHE_HOME=os.path.join(cwd, ".cache"))
        self.p = subprocess.Popen(argv, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                  cwd=cwd, env=env)
        self.buf = b""

    def send_raw(self, data):
        self.p.stdin.write(data)
        self.p.stdin.flush()

    def send(self, obj):
        body = json.dumps(obj, ensure_ascii=False).encode()
        self.send_raw(b"Content-Length: %d\r\n\r\n" % len(body) + body)

    def _fill(self, deadline):
        left = deadline - time.monotonic()
        if left <= 0:
            return False
        r, _, _ = select.select([self.p.stdout], [], [], left)
        if not r:
            return False
        chunk = os.read(self.p.stdout.fileno(), 65536)
        if not chunk:
            return False
        self.buf += chunk
        return True

    def receive(self):
        """The next framed message; everything on stdout must be framed."""
        deadline = time.monotonic() + TIMEOUT
        while b"\r\n\r\n" not in self.buf:
            if not self._fill(deadline):
                fail("no message from the server (stdout so far: %r)" % self.buf[:200])
        head, _, rest = self.buf.partition(b"\r\n\r\n")
        length = None
        for line in head.split(b"\r\n"):
            name, _, value = line.partition(b":")
            if name.strip().lower() == b"content-length":
                length = int(value.strip())
            elif name.strip().lower() != b"content-type":
                fail("not a header line on stdout: %r" % line)
        if length is None:
            fail("a header without Content-Length: %r" % head)
        while len(rest) < length:
            if not self._fill(deadline):
                fail("a truncated message body")
            head, _, rest = self.buf.partition(b"\r\n\r\n")
        body, self.buf = rest[:length], rest[length:]
        return json.loads(body.decode())

    def finish(self, status):
        self.p.stdin.close()
        try:
            out = self.p.stdout.read()
            code = self.p.wait(timeout=TIMEOUT)
        except subprocess.TimeoutExpired:
            self.p.kill()
            fail("the server did not exit")
        if self.buf or out:
            fail("unexpected output after the last message: %r" % (self.buf + out)[:300])
        if code != status:
            fail("exit status %d, expected %d" % (code, status))


def expand(value, work):
    if isinstance(value, str):
        if value.startswith("$file:"):
            with open(os.path.join(HERE, "data", value[6:]), encoding="utf-8") as f:
                return f.read()
        return value.replace("$DIR", work)
    if isinstance(value, list):
        return [expand(v, work) for v in value]
    if isinstance(value, dict):
        return {k.replace("$DIR", work): expand(v, work) for k, v in value.items()}
    return value


def unexpand(value, work):
    if isinstance(value, str):
        return value.replace(work, "$DIR")
    if isinstance(value, list):
        return [unexpand(v, work) for v in value]
    if isinstance(value, dict):
        return {k.replace(work, "$DIR"): unexpand(v, work) for k, v in value.items()}
    return value


def offset_of(text, pos):
    """The index in text of an LSP position (UTF-16 code units)."""
    lines = text.split("\n")
    start = sum(len(l) + 1 for l in lines[:pos["line"]])
    units = 0
    i = start
    while units < pos["character"]:
        units += 2 if ord(text[i]) > 0xFFFF else 1
        i += 1
    return i


def apply_fix_all(message, uri, text):
    actions = [a for a in message.get("result") or [] if a.get("kind") == "source.fixAll.ssmc"]
    if len(actions) != 1:
        fail("fixall: %d source.fixAll.ssmc actions in %s" % (len(actions),
                                                             json.dumps(message)[:300]))
    edits = actions[0]["edit"]["changes"][uri]
    # Each range is in the text before any edit: apply from the end.
    for e in sorted(edits, key=lambda e: (e["range"]["start"]["line"],
                                          e["range"]["start"]["character"]), reverse=True):
        a, b = offset_of(text, e["range"]["start"]), offset_of(text, e["range"]["end"])
        text = text[:a] + e["newText"] + text[b:]
    return text


def check_fix(ssmc, work, src, args):
    name = os.path.join(work, "fixall-" + src)
    shutil.copyfile(os.path.join(HERE, "data", src), name)
    r = subprocess.run([ssmc, "check", "--fix"] + args + [name], cwd=work,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    if r.returncode not in (0, 1):
        fail("fixall: ssmc check --fix exited %d" % r.returncode)
    with open(name, encoding="utf-8", newline="") as f:
        return f.read()


def frame(obj):
    body = json.dumps(obj, ensure_ascii=False).encode()
    return b"Content-Length: %d\r\n\r\n" % len(body) + body


def frames(path):
    out = b""
    with open(path, encoding="utf-8") as f:
        for line in f:
            if line.startswith("> "):
                out += frame(expand(json.loads(line[2:]), "/nonexistent-ssmc-fuzz"))
            elif line.startswith("raw "):
                out += ast.literal_eval(line[4:].rstrip("\n")).encode()
    return out


def frames_open(path):
    with open(path, encoding="utf-8", errors="replace") as f:
        text = f.read()
    uri = "file:///nonexistent-ssmc-fuzz/" + os.path.basename(path)
    doc = {"uri": uri}
    pos = {"line": 2, "character": 4}
    msgs = [
        {"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": {"capabilities": {}}},
        {"jsonrpc": "2.0", "method": "textDocument/didOpen", "params": {"textDocument": {
            "uri": uri, "languageId": "json" if path.endswith(".json") else "yaml",
            "version": 1, "text": text}}},
        {"jsonrpc": "2.0", "method": "textDocument/didChange", "params": {
            "textDocument": {"uri": uri, "version": 2}, "contentChanges": [
                {"range": {"start": pos, "end": pos}, "text": "x"}]}},
    ]
    for i, m in enumerate(["hover", "completion", "definition", "documentSymbol",
                           "foldingRange"]):
        msgs.append({"jsonrpc": "2.0", "id": 10 + i, "method": "textDocument/" + m,
                     "params": {"textDocument": doc, "position": pos}})
    msgs.append({"jsonrpc": "2.0", "id": 20, "method": "textDocument/references",
                 "params": {"textDocument": doc, "position": pos,
                            "context": {"includeDeclaration": True}}})
    msgs.append({"jsonrpc": "2.0", "id": 21, "method": "textDocument/codeAction",
                 "params": {"textDocument": doc, "range": {"start": pos, "end": pos},
                            "context": {"diagnostics": []}}})
    msgs.append({"jsonrpc": "2.0", "id": 22, "method": "textDocument/codeAction",
                 "params": {"textDocument": doc, "range": {"start": pos, "end": pos},
                            "context": {"diagnostics": [], "only": ["source.fixAll"]}}})
    msgs.append({"jsonrpc": "2.0", "id": 30, "method": "shutdown"})
    msgs.append({"jsonrpc": "2.0", "method": "exit"})
    return b"".join(frame(m) for m in msgs)


def main():
    if len(sys.argv) == 3 and sys.argv[1] in ("--frames", "--frames-open"):
        data = (frames if sys.argv[1] == "--frames" else frames_open)(sys.argv[2])
        sys.stdout.buffer.write(data)
        return
    if len(sys.argv) < 3:
        fail("usage: lsp_client.py SSMC TRANSCRIPT [--bless]")
    ssmc, path = os.path.abspath(sys.argv[1]), sys.argv[2]
    bless = "--bless" in sys.argv[3:]
    with open(path, encoding="utf-8") as f:
        lines = f.read().split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    work = tempfile.mkdtemp(prefix="ssmc-lsp-")
    args = []
    if lines and lines[0].startswith("% "):
        args = lines[0][2:].split()
    server = None
    out = []
    finished = False
    last = None
    try:
        for n, line in enumerate(lines, 1):
            out.append(line)
            where = "%s:%d" % (os.path.basename(path), n)
            if not line or line.startswith("#") or line.startswith("% "):
                continue
            if line.startswith("file "):
                _, name, src = line.split()
                shutil.copyfile(os.path.join(HERE, "data", src), os.path.join(work, name))
                continue
            if line.startswith("mkdir "):
                os.makedirs(os.path.join(work, line.split()[1]), exist_ok=True)
                continue
            if line.startswith("chmod "):
                _, name, mode = line.split()
                os.chmod(os.path.join(work, name), int(mode, 8))
                continue
            if server is None:
                server = Server([ssmc, "lsp"] + args, work)
            if line.startswith("> "):
                server.send(expand(json.loads(line[2:]), work))
            elif line.startswith("raw "):
                server.send_raw(ast.literal_eval(line[4:]).encode())
            elif line.startswith("<~ "):
                got = server.receive()
                if got.get("method") != line[3:]:
                    fail("%s: the server sent %s, expected a %s notification" %
                         (where, json.dumps(got)[:300], line[3:]))
            elif line.startswith("bigbody "):
                n_bytes = int(line[8:])
                server.send_raw(b"Content-Length: %d\r\n\r\n" % n_bytes)
                chunk = b"x" * (1 << 20)
                while n_bytes:
                    part = chunk[:min(n_bytes, len(chunk))]
                    server.send_raw(part)
                    n_bytes -= len(part)
            elif line.startswith("< "):
                got = last = server.receive()
                if bless:
                    out[-1] = "< " + json.dumps(unexpand(got, work), ensure_ascii=False,
                                                separators=(",", ":"))
                    continue
                want = expand(json.loads(line[2:]), work)
                if got != want:
                    fail("%s: the server sent\n  %s\nexpected\n  %s" %
                         (where, json.dumps(unexpand(got, work), ensure_ascii=False),
                          line[2:]))
            elif line.startswith("fixall "):
                words = line.split()
                src = words[1]
                with open(os.path.join(HERE, "data", src), encoding="utf-8", newline="") as f:
                    text = f.read()
                uri = "file://" + work + "/" + src
                mine = apply_fix_all(last or {}, uri, text)
                theirs = check_fix(ssmc, work, src, words[2:])
                if mine != theirs:
                    fail("%s: the fix-all edit gives\n%s\nssmc check --fix writes\n%s" %
                         (where, mine, theirs))
            elif line == "close":
                server.p.stdin.close()
            elif line.startswith("exit "):
                server.finish(int(line[5:]))
                finished = True
            else:
                fail("%s: not a transcript line: %r" % (where, line))
        if not finished:
            fail("the transcript does not end with 'exit N'")
    finally:
        if server and server.p.poll() is None:
            server.p.kill()
            server.p.wait()
        shutil.rmtree(work, ignore_errors=True)
    if bless:
        with open(path, "w", encoding="utf-8") as f:
            f.write("\n".join(out) + "\n")


if __name__ == "__main__":
    main()
