"""A load phase driven by wrk (`apt-get install wrk`) instead of Python threads: the load
generator the performance issue's own figures came from, and one that leaves the server more
of the machine.

The same interface as status_throughput.Phase: `run(headers)` adds a round; `rate`, `ok`,
`errors`, `first_error`, `client_cpu`, `median` and `p95` sum them up. wrk reports latency
percentiles per round, so `median` and `p95` are the medians of the rounds' values.
"""

import resource
import shutil
import subprocess
import tempfile
from pathlib import Path

import _setup
from status_throughput import Totals

# Status bodies numbered per wrk thread, spread over `contexts` contexts as StatusBodies does.
SCRIPT = """
local method, path, contexts = "%(method)s", "%(path)s", %(contexts)d
local n = 0
request = function()
  if method == "GET" then return wrk.format("GET", path) end
  n = n + 1
  local body = string.format(
    '{"state":"%%s","context":"ci/%%d","description":"bench %%d","target_url":"https://ci.example.com/%%d"}',
    n %% 2 == 1 and "success" or "pending", n %% contexts, n, n)
  return wrk.format("POST", path, nil, body)
end
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format("gitforge-wrk %%d %%d %%d %%d %%d %%d %%d\\n", summary.requests,
    summary.duration, e.status, e.connect + e.read + e.write, e.timeout,
    latency:percentile(50), latency:percentile(95)))
end
"""


def wrk_path():
    path = shutil.which("wrk")
    if path is None:
        raise SystemExit("--wrk needs wrk: apt-get install wrk")
    return path


class WrkPhase(Totals):
    def __init__(self, *, port, clients, duration, method, path, contexts):
        self.port = port
        self.clients = clients
        self.duration = duration
        self.script = SCRIPT % {"method": method, "path": path, "contexts": contexts}
        self.requests = self.status_errors = self.socket_errors = 0
        self.elapsed = self.cpu = 0.0
        self.medians, self.p95s = [], []
        self.first_error = None

    def run(self, headers):
        with tempfile.TemporaryDirectory() as folder:
            script = Path(folder) / "phase.lua"
            script.write_text(self.script)
            command = [wrk_path(), "-t", "2", "-c", str(self.clients)]
            command += ["-d", f"{self.duration:g}s", "-s", str(script)]
            for name, value in headers.items():
                command += ["-H", f"{name}: {value}"]
            command.append(f"http://127.0.0.1:{self.port}/")
            before = resource.getrusage(resource.RUSAGE_CHILDREN)
            done = subprocess.run(command, capture_output=True, text=True, timeout=600)
            after = resource.getrusage(resource.RUSAGE_CHILDREN)
        self.cpu += (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
        summary = [line for line in done.stdout.splitlines() if line.startswith("gitforge-wrk ")]
        if done.returncode or not summary:
            raise SystemExit(f"wrk failed ({done.returncode}): {done.stderr or done.stdout}")
        requests, micros, status, sockets, timeouts, p50, p95 = map(int, summary[0].split()[1:])
        self.requests += requests
        self.elapsed += micros / 1e6
        self.status_errors += status
        self.socket_errors += sockets + timeouts
        self.medians.append(p50 / 1e6)
        self.p95s.append(p95 / 1e6)
        if (status or sockets or timeouts) and self.first_error is None:
            self.first_error = f"wrk: {status} HTTP errors, {sockets + timeouts} socket errors"
        return self

    @property
    def ok(self):
        return self.requests - self.status_errors

    @property
    def errors(self):
        return self.status_errors + self.socket_errors

    @property
    def median(self):
        return _setup.median(self.medians)

    @property
    def p95(self):
        return _setup.median(self.p95s)
