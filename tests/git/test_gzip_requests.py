"""Git clients gzip large upload-pack requests; the server must read them like plain ones."""

import gzip

import pytest
import requests

from tests.helpers import bare_sha


def pkt_line(text):
    return f"{len(text) + 4:04x}{text}".encode()


@pytest.mark.parametrize("encoding", [None, "gzip"])
def test_upload_pack_request_body_may_be_gzip_encoded(live_server, public_repo, encoding):
    body = pkt_line(f"want {bare_sha(public_repo, 'main')}\n") + b"0000" + pkt_line("done\n")
    headers = {"Content-Type": "application/x-git-upload-pack-request"}
    if encoding:
        body = gzip.compress(body)
        headers["Content-Encoding"] = encoding

    response = requests.post(
        live_server.url + "/alice/project.git/git-upload-pack",
        data=body,
        headers=headers,
        timeout=30,
    )

    assert response.status_code == 200
    assert response.headers["Content-Type"] == "application/x-git-upload-pack-result"
    assert response.content.startswith(b"0008NAK\n")
    assert b"PACK" in response.content
