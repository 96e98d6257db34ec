"""Async functions written with blocking calls: the runtime test fixes a copy with asyncfix
and checks that the fixed functions return what the originals returned."""
import hashlib
import json
import os
import subprocess
import time
import urllib.error
import urllib.request

import requests

from . import helpers


async def fetch_json(url):
    r = requests.get(url, timeout=5)
    r.raise_for_status()
    return r.json()


async def post_echo(url, payload):
    r = requests.post(url, json=payload, timeout=5)
    return r.status_code, r.json()


async def status_ok(url):
    r = requests.get(url, timeout=5)
    return r.ok, r.reason, r.status_code


async def truth_of_a_redirect(url):
    # Not followed: a 302 is `ok` (below 400) and true for the response of the sync library.
    r = requests.get(url, allow_redirects=False, timeout=5)
    verdict = "good" if r else "bad"
    if not r.ok:
        verdict += "!"
    return bool(r), verdict, r.status_code


async def post_form_and_body(url, name):
    form = {"name": name}
    a = requests.post(url, data=form, timeout=5)
    b = requests.post(url, data=json.dumps({"name": name}), timeout=5)
    return a.status_code, a.json(), b.json()


async def no_timeout(url):
    r = requests.get(url)
    return r.status_code, r.json()


async def url_read(url: str):
    try:
        with urllib.request.urlopen(url, timeout=5) as r:
            return r.status, json.loads(r.read())
    except urllib.error.HTTPError:
        return "status error"


async def url_read_redirected(url: str):
    page = urllib.request.urlopen(url).read()
    return json.loads(page)


async def follows_redirect(url):
    r = requests.get(url, timeout=5)
    return r.status_code, r.json()


async def fetch_with_session(urls):
    out = []
    with requests.Session() as s:
        for u in urls:
            out.append(s.get(u, timeout=5).json())
    return out


async def timeout_or_error(url):
    try:
        requests.get(url, timeout=0.2)
        return "ok"
    except requests.exceptions.Timeout:
        return "timeout"
    except requests.RequestException:
        return "error"


async def read_config(path):
    with open(path) as f:
        return json.load(f)


async def write_config(path, data):
    with open(path, "w") as f:
        json.dump(data, f, indent=1)
        f.write("\n")


async def count_lines(path):
    n = 0
    with open(path) as f:
        for _line in f:
            n += 1
    return n


async def first_line(path):
    return open(path).readline()


async def exists_and_size(path):
    if not os.path.exists(path):
        return None
    return os.path.getsize(path)


async def make_tree(root):
    os.makedirs(os.path.join(root, "a", "b"), exist_ok=True)
    names = []
    for _dirpath, dirs, _files in os.walk(root):
        names.extend(dirs)
    return sorted(os.listdir(root)), sorted(names)


async def echo_run(text):
    result = subprocess.run(["echo", text], capture_output=True, check=True)
    return result.returncode, result.stdout, result.stderr


async def echo_output(text):
    out = subprocess.check_output(["echo", text])
    return out


async def echo_status(text, marker):
    subprocess.run(["touch", marker])
    return os.path.exists(marker)


async def failing_command():
    try:
        subprocess.check_output(["false"])
        return "no error"
    except subprocess.CalledProcessError as e:
        return ("error", e.returncode)


async def nap():
    time.sleep(0.01)
    return "slept"


async def digest(pw, salt):
    return hashlib.pbkdf2_hmac("sha256", pw, salt, 1000)


async def via_helper(url):
    return helpers.slow_fetch(url)
