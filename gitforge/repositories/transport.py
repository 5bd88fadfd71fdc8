"""Git smart HTTP (clone, fetch, push) through `git http-backend`, behind gitforge's auth.

Request and response bodies stream through the CGI process; neither is held whole in memory.
Pushes run the hooks in GITFORGE_HOOKS_DIR (`core.hooksPath`), thin clients of this request
(push_hooks.py): while git runs, the request thread streams its output and answers the hooks.
"""

import contextlib
import io
import os
import selectors
import subprocess
import sys
import threading

from django.conf import settings
from django.http import HttpResponse, StreamingHttpResponse
from django.views.decorators.csrf import csrf_exempt

from gitforge.accounts.tokens import presented_token, resolve_token
from gitforge.repositories import permissions
from gitforge.repositories.push_hooks import PushHooks
from gitforge.repositories.selectors import (
    effective_permission,
    find_repository,
    repository_permission,
)
from gitforge.repositories.storage import repository_path

CHUNK = 64 * 1024
UPLOAD_PACK = "git-upload-pack"
RECEIVE_PACK = "git-receive-pack"


def _plain(status, message, headers=None):
    response = HttpResponse(message + "\n", status=status, content_type="text/plain")
    for name, value in (headers or {}).items():
        response[name] = value
    return response


def _challenge():
    return _plain(401, "Authentication required", {"WWW-Authenticate": 'Basic realm="gitforge"'})


@csrf_exempt
def smart_http(request, owner, repo, path):
    """Serve `info/refs`, `git-upload-pack` and `git-receive-pack` for owner/repo.git."""
    service = request.GET.get("service") if path == "info/refs" else path
    if service not in (UPLOAD_PACK, RECEIVE_PACK):
        return _plain(403, "Only the smart HTTP protocol is supported")
    if path != "info/refs" and request.method != "POST":
        return _plain(405, "Method not allowed")
    user, grant = None, None
    secret = presented_token(request.META.get("HTTP_AUTHORIZATION"))
    if secret is not None:
        grant = resolve_token(secret)
        if grant is None:
            return _challenge()  # wrong, revoked or expired: ask again, as git expects
        user = grant.user
    repository = find_repository(owner, repo)
    level = effective_permission(user, grant, repository) if repository is not None else None
    need = permissions.PUSH if service == RECEIVE_PACK else permissions.PULL
    if repository is None or level is None:
        return _challenge() if user is None else _plain(404, "Repository not found")
    if not permissions.at_least(level, need):
        if user is None:
            return _challenge()
        if permissions.at_least(repository_permission(user, repository), need):
            return _plain(403, "This token needs the 'repo' scope for git operations")
        return _plain(403, f"You need {need} access to {repository.full_name}")
    return _run_backend(request, repository, path, user, level)


def _cgi_environment(request, repository, path, user, hooks):
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "GIT_PROJECT_ROOT": str(repository_path(repository.id).parent),
        "GIT_HTTP_EXPORT_ALL": "1",
        "PATH_INFO": f"/{repository.id}.git/{path}",
        "REQUEST_METHOD": request.method,
        "QUERY_STRING": request.META.get("QUERY_STRING", ""),
        "CONTENT_TYPE": request.META.get("CONTENT_TYPE", ""),
        "REMOTE_ADDR": request.META.get("REMOTE_ADDR", ""),
        "GIT_CONFIG_COUNT": "1",
        "GIT_CONFIG_KEY_0": "core.hooksPath",
        "GIT_CONFIG_VALUE_0": str(settings.GITFORGE_HOOKS_DIR),
        "GITFORGE_PYTHON": sys.executable,
    }
    if "HOME" in os.environ:
        env["HOME"] = os.environ["HOME"]
    if hooks is not None:
        env |= hooks.environment()
    if user is not None:
        env["REMOTE_USER"] = user.username  # http-backend serves receive-pack only then
    if "HTTP_CONTENT_ENCODING" in request.META:
        env["HTTP_CONTENT_ENCODING"] = request.META["HTTP_CONTENT_ENCODING"]
    if "HTTP_GIT_PROTOCOL" in request.META:
        env["GIT_PROTOCOL"] = request.META["HTTP_GIT_PROTOCOL"]
    if request.META.get("CONTENT_LENGTH"):
        env["CONTENT_LENGTH"] = request.META["CONTENT_LENGTH"]
    return env


def _request_body(request):
    """The raw request stream; chunked bodies (no Content-Length) come from the WSGI input, and
    a GET (the ref advertisement) has none."""
    if request.method == "GET":
        return io.BytesIO()
    if request.META.get("CONTENT_LENGTH"):
        return request
    return request.META["wsgi.input"]


def _run_backend(request, repository, path, user, level):
    hooks = None
    if path == RECEIVE_PACK:
        hooks = PushHooks(repository=repository, user=user, permission=level)
    process = subprocess.Popen(
        ["git", "http-backend"],
        env=_cgi_environment(request, repository, path, user, hooks),
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        bufsize=0,  # unbuffered: whatever git wrote is readable, so select() sees it all
    )
    feeder = threading.Thread(target=_feed, args=(_request_body(request), process.stdin))
    feeder.start()
    status, headers = _read_cgi_headers(process.stdout)
    response = StreamingHttpResponse(_stream(process, feeder, hooks), status=status)
    for name, value in headers:
        response[name] = value
    response["Cache-Control"] = "no-cache"
    return response


def _feed(source, sink):
    try:
        while chunk := source.read(CHUNK):
            sink.write(chunk)
    except (BrokenPipeError, OSError):
        pass  # the backend stopped reading (e.g. it refused the request)
    finally:
        with contextlib.suppress(OSError):
            sink.close()


def _read_cgi_headers(stdout):
    status, headers = 200, []
    while line := stdout.readline():
        line = line.rstrip(b"\r\n").decode("latin-1")
        if not line:
            break
        name, _, value = line.partition(":")
        if name.lower() == "status":
            status = int(value.strip().split()[0])
        else:
            headers.append((name.strip(), value.strip()))
    return status, headers


def _stream(process, feeder, hooks):
    try:
        if hooks is None:
            while chunk := process.stdout.read(CHUNK):
                yield chunk
        else:
            yield from _stream_answering(process, hooks)
    finally:
        process.stdout.close()
        feeder.join()
        process.wait()
        if hooks is not None:
            hooks.finish()


def _stream_answering(process, hooks):
    """Stream git's output and, whenever a hook connects, answer it (git waits meanwhile)."""
    with selectors.DefaultSelector() as selector:
        selector.register(process.stdout, selectors.EVENT_READ)
        selector.register(hooks.listener, selectors.EVENT_READ)
        while True:
            for key, _ in selector.select():
                if key.fileobj is hooks.listener:
                    hooks.answer()
                elif chunk := process.stdout.read(CHUNK):
                    yield chunk
                else:
                    return
