"""pre-receive's client: send git's ref updates to the server serving this push and print
its answer. Standard library only, started with `python -I -S` for speed. Anything that keeps
the server's answer from arriving refuses the push."""

import json
import os
import socket
import sys

TIMEOUT = 120  # seconds; the server answers in milliseconds unless the database is stuck
REFUSED = "error: gitforge could not check this push; nothing was updated."


def main():
    request = {
        "secret": os.environ.get("GITFORGE_HOOK_SECRET", ""),
        "updates": [line.split() for line in sys.stdin if line.strip()],
        "quarantine": os.environ.get("GIT_QUARANTINE_PATH", ""),
    }
    try:
        with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as server:
            server.settimeout(TIMEOUT)
            server.connect(os.environ["GITFORGE_HOOK_SOCKET"])
            server.sendall(json.dumps(request).encode())
            server.shutdown(socket.SHUT_WR)
            chunks = []
            while chunk := server.recv(65536):
                chunks.append(chunk)
        answer = json.loads(b"".join(chunks))
        allowed, messages = answer["allowed"] is True, answer["messages"]
    except (OSError, KeyError, TypeError, ValueError):
        print(REFUSED, flush=True)
        return 1
    for message in messages:
        print(f"error: {message}", flush=True)
    return 0 if allowed else 1


if __name__ == "__main__":
    sys.exit(main())
