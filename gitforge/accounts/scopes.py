"""OAuth scopes that personal access tokens and OAuth tokens can carry.

`repo` grants whatever the user's repository permission allows; `repo:status` grants only reading
and creating commit statuses; `read:user` grants reading the private profile; the `*:repo_hook`
scopes reach a repository's webhooks (as far as the user's admin permission goes).
"""

REPO = "repo"
REPO_STATUS = "repo:status"
READ_USER = "read:user"
ADMIN_REPO_HOOK = "admin:repo_hook"
WRITE_REPO_HOOK = "write:repo_hook"
READ_REPO_HOOK = "read:repo_hook"

SCOPES = {
    REPO: "Full control of repositories",
    REPO_STATUS: "Read and write commit statuses",
    READ_USER: "Read your profile",
    ADMIN_REPO_HOOK: "Full control of repository hooks",
    WRITE_REPO_HOOK: "Write repository hooks",
    READ_REPO_HOOK: "Read repository hooks",
}


def parse_scopes(text):
    """Split a comma or space separated scope list, keeping known scopes in a stable order."""
    requested = {part.strip() for part in text.replace(",", " ").split() if part.strip()}
    unknown = requested - SCOPES.keys()
    if unknown:
        raise ValueError(f"unknown scopes: {', '.join(sorted(unknown))}")
    return [scope for scope in SCOPES if scope in requested]
