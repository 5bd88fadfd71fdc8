"""The server's side of a push's git hooks.

`git receive-pack` (run by `git http-backend` for a push over HTTP) runs the hooks in
GITFORGE_HOOKS_DIR. They are thin, so a push does not start Django twice:

- pre-receive sends the ref updates, and where git keeps the pushed objects in quarantine, to a
  Unix socket that exists only for this push (in a directory only the server's user may enter,
  with a per-push secret), and prints the answer. The server decides with GITFORGE_PUSH_CHECK;
  a hook that cannot reach the server refuses the push.
- post-receive writes the updates git made to a file; once git has finished, the server records
  them with GITFORGE_PUSH_RECORD (pull request heads, `pushed_at`, webhook events).

The request thread that streams git's output answers the socket too (see transport.py), so
the decision runs on the request's own database connection.
"""

import contextlib
import hmac
import json
import logging
import os
import secrets
import shutil
import socket
import tempfile

from django.conf import settings
from django.utils.module_loading import import_string

from gitforge.repositories.storage import repository_path

logger = logging.getLogger(__name__)

ANSWER_TIMEOUT = 30  # seconds a connected hook may take to send its request
REQUEST_LIMIT = 16 * 1024 * 1024  # bytes: ref updates of a push, generously
UNREACHABLE = "gitforge could not check this push; nothing was updated."


def _handler(name):
    return import_string(getattr(settings, name))


class PushHooks:
    """The socket and file one push's hooks use to reach the server that serves the push."""

    def __init__(self, *, repository, user, permission):
        self.repository = repository
        self.user = user
        self.permission = permission
        self.secret = secrets.token_urlsafe(32)
        self.directory = tempfile.mkdtemp(prefix="gitforge-push-")  # mode 0700
        self.listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.listener.bind(os.path.join(self.directory, "hook.sock"))
        self.listener.listen(4)
        self.listener.setblocking(False)

    def environment(self) -> dict[str, str]:
        return {
            "GITFORGE_HOOK_SOCKET": os.path.join(self.directory, "hook.sock"),
            "GITFORGE_HOOK_SECRET": self.secret,
            "GITFORGE_PUSHED": os.path.join(self.directory, "pushed"),
        }

    def answer(self) -> None:
        """Serve one hook that connected to the listener: read its request, send the answer."""
        try:
            connection, _ = self.listener.accept()
        except BlockingIOError:
            return
        with connection:
            connection.settimeout(ANSWER_TIMEOUT)
            try:
                request = json.loads(_read_all(connection))
                reply = self._decide(request)
            except (OSError, ValueError, KeyError, TypeError) as error:
                logger.warning("push hook request for %s refused: %s", self.repository, error)
                reply = {"allowed": False, "messages": [UNREACHABLE]}
            except Exception:
                logger.exception("push check failed for %s", self.repository)
                reply = {"allowed": False, "messages": [UNREACHABLE]}
            # If the hook is gone, git refuses the push without our answer.
            with contextlib.suppress(OSError):
                connection.sendall(json.dumps(reply).encode())

    def _decide(self, request):
        if not hmac.compare_digest(str(request["secret"]), self.secret):
            raise ValueError("wrong secret")
        updates = [_update(item) for item in request["updates"]]
        messages = _handler("GITFORGE_PUSH_CHECK")(
            repository=self.repository,
            permission=self.permission,
            updates=updates,
            quarantine=_quarantine(request.get("quarantine"), self.repository),
        )
        return {"allowed": not messages, "messages": list(messages)}

    def finish(self) -> None:
        """After git has exited: record what post-receive wrote, then remove the directory."""
        self.listener.close()
        try:
            with open(os.path.join(self.directory, "pushed")) as pushed:
                updates = [_update(line.split()) for line in pushed if line.strip()]
        except FileNotFoundError:
            updates = []  # nothing was updated (refused, or an empty push)
        finally:
            shutil.rmtree(self.directory, ignore_errors=True)
        if not updates:
            return
        try:
            _handler("GITFORGE_PUSH_RECORD")(
                repository=self.repository, pusher=self.user, updates=updates
            )
        except Exception:  # the refs have moved: the push itself succeeded
            logger.exception("recording a push to %s failed", self.repository)


def _read_all(connection) -> bytes:
    chunks, size = [], 0
    while chunk := connection.recv(65536):
        chunks.append(chunk)
        size += len(chunk)
        if size > REQUEST_LIMIT:
            raise ValueError("request too large")
    return b"".join(chunks)


def _update(item) -> tuple[str, str, str]:
    old_sha, new_sha, ref = item
    return str(old_sha), str(new_sha), str(ref)


def _quarantine(path, repository) -> str | None:
    """git's quarantine directory for the pushed objects, which lies inside the repository."""
    if not path:
        return None
    root = os.path.realpath(repository_path(repository.id))
    path = os.path.realpath(path)
    if os.path.commonpath([root, path]) != root:
        raise ValueError("quarantine outside the repository")
    return path
