"""A file at a commit: its page (`/{owner}/{repo}/blob/{ref}/{path}`, a file's `blob_url`) and
its bytes (`/raw/...`, its `raw_url`), never rendered as HTML."""

from django.http import Http404, HttpResponse, HttpResponsePermanentRedirect
from django.shortcuts import render
from django.urls import reverse

from gitforge.repositories.git import GitRepository
from gitforge.repositories.git_data import file_at
from web.decorators import repository_page

# Past this a file's page shows only the link to its raw bytes.
MAX_SHOWN_BYTES = 1_000_000


def text_of(content: bytes) -> str | None:
    """The content as text, or None when it is binary (a NUL byte, or not UTF-8)."""
    if b"\x00" in content:
        return None
    try:
        return content.decode("utf-8")
    except UnicodeDecodeError:
        return None


def _file(repository, ref, path):
    found = file_at(GitRepository(repository.id), ref, path)
    if found is None:
        raise Http404("No such file")
    return found


@repository_page()
def file_page(request, repository, permission, ref, path):
    sha, content = _file(repository, ref, path)
    text = text_of(content) if len(content) <= MAX_SHOWN_BYTES else None
    return render(
        request,
        "web/blob.html",
        {
            "repository": repository,
            "permission": permission,
            "ref": ref,
            "path": path,
            "size": len(content),
            "text": text,
            "binary": text is None and len(content) <= MAX_SHOWN_BYTES,
        },
    )


@repository_page()
def raw_file(request, repository, permission, ref, path):
    sha, content = _file(repository, ref, path)
    kind = (
        "text/plain; charset=utf-8" if text_of(content) is not None else "application/octet-stream"
    )
    response = HttpResponse(content, content_type=kind)
    response["X-Content-Type-Options"] = "nosniff"
    response["ETag"] = f'"{sha}"'
    return response


@repository_page()
def clone_url_page(request, repository, permission):
    """A browser opening a clone URL lands on the repository's page, as on GitHub."""
    return HttpResponsePermanentRedirect(
        reverse("repository", args=[repository.owner.username, repository.name])
    )
