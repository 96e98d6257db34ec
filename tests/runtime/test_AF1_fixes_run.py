"""The fixed code runs and gives the same results: asyncfix fixes a copy of sample/ (all
fixes, unsafe included), then every function of the original and of the fixed copy is run
against a local HTTP server, temp files and real processes, and the results compared.

Run by ctest (tests/CMakeLists.txt) with Debian's python3, httpx, aiofiles and requests.
"""
import asyncio
import http.server
import importlib
import json
import os
import re
import shutil
import subprocess
import sys
import threading
import time
import urllib.parse

import pytest

ASYNCFIX = os.environ["ASYNCFIX"]
HERE = os.path.dirname(os.path.abspath(__file__))


class Handler(http.server.BaseHTTPRequestHandler):
    def log_message(self, *args):
        pass

    def _json(self, code, obj):
        body = json.dumps(obj).encode()
        self.send_response(code)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self):
        if self.path == "/json":
            self._json(200, {"a": 1, "path": self.path})
        elif self.path == "/other":
            self._json(200, {"b": 2})
        elif self.path == "/redirect":
            self.send_response(302)
            self.send_header("Location", "/json")
            self.send_header("Content-Length", "0")
            self.end_headers()
        elif self.path == "/slow":
            time.sleep(1.0)
            self._json(200, {})
        else:
            self._json(404, {"error": "missing"})

    def do_POST(self):
        n = int(self.headers.get("Content-Length", "0"))
        body = self.rfile.read(n)
        if self.headers.get("Content-Type", "") == "application/x-www-form-urlencoded":
            self._json(201, {"form": urllib.parse.parse_qs(body.decode())})
        else:
            self._json(201, {"echo": json.loads(body)})


@pytest.fixture(scope="module")
def server():
    srv = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    t = threading.Thread(target=srv.serve_forever, daemon=True)
    t.start()
    yield f"http://127.0.0.1:{srv.server_address[1]}"
    srv.shutdown()


@pytest.fixture(scope="module")
def modules(tmp_path_factory):
    root = tmp_path_factory.mktemp("runtime")
    shutil.copytree(os.path.join(HERE, "sample"), root / "original")
    shutil.copytree(os.path.join(HERE, "sample"), root / "fixed")
    # The fixed copy's project declares httpx and aiofiles, as a real project would.
    (root / "requirements.txt").write_text("httpx\naiofiles\nrequests\n")
    run = subprocess.run([ASYNCFIX, "check", "--fix", "--unsafe-fixes", str(root / "fixed")],
                         capture_output=True, text=True)
    assert run.returncode in (0, 1), run.stdout + run.stderr
    assert "internal error" not in run.stderr, run.stderr
    sys.path.insert(0, str(root))
    original = importlib.import_module("original.service")
    fixed = importlib.import_module("fixed.service")
    source = (root / "fixed" / "service.py").read_text()
    yield original, fixed, source, root
    sys.path.remove(str(root))


def both(modules, name, *args):
    original, fixed, _source, _root = modules
    return asyncio.run(getattr(original, name)(*args)), asyncio.run(getattr(fixed, name)(*args))


def test_AF101_to_AF108_nothing_blocking_is_left(modules):
    source = modules[2]
    for blocking in (r"requests\.", r"time\.sleep", r"subprocess\.run\(", r"subprocess\.check_output\(",
                     r"os\.path\.exists\(", r"(?<!async )with open\(", r"\bopen\(path\)"):
        found = re.search(r"(?<![\w.])" + blocking, source)
        assert not found, f"{blocking} is still in the fixed code:\n{source}"
    assert "httpx.AsyncClient" in source and "aiofiles.open" in source
    assert "asyncio.create_subprocess_exec" in source


@pytest.mark.parametrize("name,path", [("fetch_json", "/json"), ("follows_redirect", "/redirect")])
def test_AF102_http_get(modules, server, name, path):
    a, b = both(modules, name, server + path)
    assert a == b


def test_AF102_http_post_and_status(modules, server):
    a, b = both(modules, "post_echo", server + "/echo", {"x": [1, 2]})
    assert a == b == (201, {"echo": {"x": [1, 2]}})
    a, b = both(modules, "status_ok", server + "/missing")
    assert a == b == (False, "Not Found", 404)


def test_AF102_keeps_requests_behaviour(modules, server):
    # A response's truth and `ok` are "below 400" in requests (a 302 not followed is true).
    a, b = both(modules, "truth_of_a_redirect", server + "/redirect")
    assert a == b == (True, "good", 302)
    a, b = both(modules, "truth_of_a_redirect", server + "/missing")
    assert a == b == (False, "bad!", 404)
    # Form fields stay form fields, a str body stays the body.
    a, b = both(modules, "post_form_and_body", server + "/echo", "ann")
    assert a == b == (201, {"form": {"name": ["ann"]}}, {"echo": {"name": "ann"}})
    # No timeout stays no timeout: explicitly, in the fixed code.
    a, b = both(modules, "no_timeout", server + "/json")
    assert a == b
    assert "timeout=None" in modules[2]


def test_AF102_urlopen(modules, server):
    a, b = both(modules, "url_read", server + "/json")
    assert a == b == (200, {"a": 1, "path": "/json"})
    a, b = both(modules, "url_read", server + "/missing")
    assert a == b == "status error"
    a, b = both(modules, "url_read_redirected", server + "/redirect")
    assert a == b
    assert "urlopen" not in modules[2]


def test_AF102_http_session_and_errors(modules, server):
    a, b = both(modules, "fetch_with_session", [server + "/json", server + "/other"])
    assert a == b
    a, b = both(modules, "timeout_or_error", server + "/slow")
    assert a == b == "timeout"
    a, b = both(modules, "timeout_or_error", "http://127.0.0.1:9/")  # nothing listens: connection refused
    assert a == b == "error"


def test_AF108_helper_moved_to_a_thread(modules, server):
    a, b = both(modules, "via_helper", server + "/json")
    assert a == b


def test_AF103_files(modules, tmp_path):
    cfg = tmp_path / "config.json"
    cfg.write_text('{"debug": true, "level": 3}')
    assert both(modules, "read_config", str(cfg)) == ({"debug": True, "level": 3},) * 2
    out_a, out_b = tmp_path / "a.json", tmp_path / "b.json"
    original, fixed = modules[0], modules[1]
    asyncio.run(original.write_config(str(out_a), {"k": [1, 2]}))
    asyncio.run(fixed.write_config(str(out_b), {"k": [1, 2]}))
    assert out_a.read_text() == out_b.read_text()
    lines = tmp_path / "lines.txt"
    lines.write_text("one\ntwo\nthree\n")
    assert both(modules, "count_lines", str(lines)) == (3, 3)
    assert both(modules, "first_line", str(lines)) == ("one\n", "one\n")


def test_AF104_file_system(modules, tmp_path):
    f = tmp_path / "data.bin"
    f.write_bytes(b"12345")
    assert both(modules, "exists_and_size", str(f)) == (5, 5)
    assert both(modules, "exists_and_size", str(tmp_path / "missing")) == (None, None)
    ra, rb = tmp_path / "ta", tmp_path / "tb"
    ra.mkdir()
    rb.mkdir()
    original, fixed = modules[0], modules[1]
    assert asyncio.run(original.make_tree(str(ra))) == asyncio.run(fixed.make_tree(str(rb)))


def test_AF105_subprocess(modules, tmp_path):
    assert both(modules, "echo_run", "hello") == ((0, b"hello\n", b""),) * 2
    assert both(modules, "echo_output", "hi there") == (b"hi there\n",) * 2
    assert both(modules, "failing_command") == (("error", 1),) * 2
    original, fixed = modules[0], modules[1]
    assert asyncio.run(original.echo_status("x", str(tmp_path / "m1"))) is True
    assert asyncio.run(fixed.echo_status("x", str(tmp_path / "m2"))) is True


def test_AF101_AF107_sleep_and_cpu(modules):
    assert both(modules, "nap") == ("slept", "slept")
    assert both(modules, "digest", b"pw", b"salt")[0] == both(modules, "digest", b"pw", b"salt")[1]
