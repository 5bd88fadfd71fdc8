"""GET /repos/{owner}/{repo}/zipball|tarball/{ref}: the tree as an archive, as git builds it."""

import io
import tarfile
import zipfile

from tests.helpers import assert_error, bare_git, token_client


def download(client, path):
    response = client.get(path)
    assert response.status_code == 200, response.content[:300]
    return response, b"".join(response.streaming_content)


def test_zipball_of_a_branch(owner, public_repo):
    sha = bare_git(public_repo, "rev-parse", "feature")

    response, body = download(owner, "/api/repos/alice/project/zipball/feature")

    folder = f"alice-project-{sha[:7]}/"
    assert response["Content-Type"] == "application/zip"
    assert response["Content-Disposition"] == f'attachment; filename="alice-project-{sha[:7]}.zip"'
    archive = zipfile.ZipFile(io.BytesIO(body))
    assert archive.read(folder + "src/app.py") == b"print(2)\n"
    assert archive.read(folder + "README.md") == b"# hi\n"


def test_tarball_of_the_default_branch(owner, public_repo):
    sha = bare_git(public_repo, "rev-parse", "main")

    response, body = download(owner, "/api/repos/alice/project/tarball")

    assert (
        response["Content-Disposition"] == f'attachment; filename="alice-project-{sha[:7]}.tar.gz"'
    )
    with tarfile.open(fileobj=io.BytesIO(body), mode="r:gz") as archive:
        member = archive.extractfile(f"alice-project-{sha[:7]}/src/app.py")
        assert member is not None and member.read() == b"print(1)\n"


def test_the_tags_urls_answer(owner, public_repo):
    bare_git(public_repo, "tag", "v1", "main")
    tag = owner.get("/api/repos/alice/project/tags").json()[0]

    for key in ("zipball_url", "tarball_url"):
        response = owner.get(tag[key].split("testserver", 1)[1])
        assert response.status_code == 200, key


def test_unknown_ref_is_404(owner, public_repo):
    assert_error(owner.get("/api/repos/alice/project/zipball/nope"), 404, "Not Found")


def test_private_repository_is_404_for_strangers(charlie, private_repo):
    response = token_client(charlie).get("/api/repos/alice/secret/zipball/main")

    assert_error(response, 404, "Not Found")
