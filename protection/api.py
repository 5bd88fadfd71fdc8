"""REST routes for branches and their protection."""

from rest_framework.exceptions import NotFound, ParseError
from rest_framework.response import Response

from gitforge.accounts.selectors import users_by_email
from gitforge.api.inputs import Field, check_text, read_body
from gitforge.api.pagination import GitHubPagination
from gitforge.api.representations import api_base
from gitforge.errors import InvalidInput, field_error
from gitforge.repositories import permissions
from gitforge.repositories.authorization import RepositoryAPIView
from gitforge.repositories.git import Branch, GitRepository
from gitforge.repositories.representations import branch_json, commit_json
from protection.selectors import get_rule, repository_rules, rule_for_branch
from protection.services import (
    add_contexts,
    delete_protection,
    remove_contexts,
    remove_status_checks,
    save_protection,
    update_status_checks,
)

DOCS = "https://docs.github.com/rest/branches/branch-protection"


def protection_urls(repository, branch, request):
    base = f"{api_base(request)}/repos/{repository.full_name}/branches/{branch}/protection"
    return {
        "url": base,
        "checks": f"{base}/required_status_checks",
        "contexts": f"{base}/required_status_checks/contexts",
        "admins": f"{base}/enforce_admins",
        "signatures": f"{base}/required_signatures",
    }


def status_checks_json(rule, request):
    """The `status-check-policy` representation."""
    urls = protection_urls(rule.repository, rule.pattern, request)
    contexts = [item.context for item in rule.required_contexts.all()]
    return {
        "url": urls["checks"],
        "strict": rule.strict,
        "contexts": contexts,
        "checks": [{"context": context, "app_id": None} for context in contexts],
        "contexts_url": urls["contexts"],
    }


def protection_json(rule, request):
    """The `branch-protection` / `protected-branch` representation of a rule."""
    urls = protection_urls(rule.repository, rule.pattern, request)
    data = {
        "url": urls["url"],
        "enabled": True,
        "name": rule.pattern,
        "protection_url": urls["url"],
        "required_signatures": {"url": urls["signatures"], "enabled": False},
        "enforce_admins": {"url": urls["admins"], "enabled": rule.enforce_admins},
        "required_linear_history": {"enabled": rule.required_linear_history},
        "allow_force_pushes": {"enabled": rule.allow_force_pushes},
        "allow_deletions": {"enabled": rule.allow_deletions},
        "block_creations": {"enabled": False},
        "required_conversation_resolution": {"enabled": False},
        "lock_branch": {"enabled": False},
        "allow_fork_syncing": {"enabled": False},
    }
    if rule.require_status_checks:
        data["required_status_checks"] = status_checks_json(rule, request)
    return data


def protection_summary(rule):
    """The compact `protection` of a branch representation: is the branch protected, and which
    contexts must pass for whom (`enforcement_level`: off, non_admins or everyone)."""
    contexts = []
    level = "off"
    if rule is not None and rule.require_status_checks:
        contexts = [item.context for item in rule.required_contexts.all()]
        level = "everyone" if rule.enforce_admins else "non_admins"
    return {
        "enabled": rule is not None,
        "required_status_checks": {
            "enforcement_level": level,
            "contexts": contexts,
            "checks": [{"context": context, "app_id": None} for context in contexts],
        },
    }


class ProtectionAPIView(RepositoryAPIView):
    """Branch protection routes: admin permission and the `repo` scope, reads included."""

    documentation_url = DOCS
    required_permission = {
        method: permissions.ADMIN for method in ("GET", "PUT", "PATCH", "POST", "DELETE")
    }

    def get_rule(self, branch):
        rule = get_rule(repository=self.repository, pattern=branch)
        if rule is None:
            raise NotFound("Branch not protected")
        return rule

    def get_rule_with_checks(self, branch):
        rule = self.get_rule(branch)
        if not rule.require_status_checks:
            raise NotFound("Required status checks not enabled")
        return rule


# Settings of GitHub's `PUT .../protection` that gitforge does not enforce: a body that turns
# one on is refused (null, false and absent are accepted, as clients send them).
UNSUPPORTED_SETTINGS = {
    "required_pull_request_reviews": Field((dict,), required=True, nullable=True),
    "restrictions": Field((dict,), required=True, nullable=True),
    "block_creations": Field((bool,), nullable=True),
    "required_conversation_resolution": Field((bool,), nullable=True),
    "lock_branch": Field((bool,), nullable=True),
    "allow_fork_syncing": Field((bool,), nullable=True),
}


class BranchProtectionView(ProtectionAPIView):
    """GET, PUT, DELETE /repos/{owner}/{repo}/branches/{branch}/protection"""

    documentation_url = DOCS + "#get-branch-protection"
    documentation_urls = {
        "PUT": DOCS + "#update-branch-protection",
        "DELETE": DOCS + "#delete-branch-protection",
    }
    # This route documents `validation-error-simple`: its 422 errors are plain strings.
    simple_validation_errors = True

    def get(self, request, owner, repo, branch):
        return Response(protection_json(self.get_rule(branch), request))

    def put(self, request, owner, repo, branch):
        if GitRepository(self.repository.id).branch_sha(branch) is None:
            raise NotFound("Branch not found")
        body = read_body(
            request,
            "ProtectedBranch",
            {
                "required_status_checks": Field((dict,), required=True, nullable=True),
                "enforce_admins": Field((bool,), required=True, nullable=True),
                "allow_force_pushes": Field((bool,), nullable=True, default=False),
                "allow_deletions": Field((bool,), nullable=True, default=False),
                "required_linear_history": Field((bool,), nullable=True, default=False),
                **UNSUPPORTED_SETTINGS,
            },
        )
        turned_on = [name for name in UNSUPPORTED_SETTINGS if body[name] not in (None, False)]
        if turned_on:
            raise InvalidInput(
                "Validation Failed", [f"{name} is not supported" for name in turned_on]
            )
        checks = body["required_status_checks"]
        strict, contexts = False, []
        if checks is not None:
            strict, contexts = _read_checks(checks)
        rule = save_protection(
            repository=self.repository,
            pattern=branch,
            require_status_checks=checks is not None,
            strict=strict,
            contexts=contexts,
            enforce_admins=bool(body["enforce_admins"]),
            allow_force_pushes=bool(body["allow_force_pushes"]),
            allow_deletions=bool(body["allow_deletions"]),
            required_linear_history=bool(body["required_linear_history"]),
        )
        return Response(protection_json(self.get_rule(rule.pattern), request))

    def delete(self, request, owner, repo, branch):
        delete_protection(rule=self.get_rule(branch))
        return Response(status=204)


def _read_checks(checks):
    strict = checks.get("strict", False)
    contexts = checks.get("contexts")
    if contexts is None and isinstance(checks.get("checks"), list):
        contexts = [item.get("context") for item in checks["checks"] if isinstance(item, dict)]
    errors = []
    if not isinstance(strict, bool):
        errors.append(field_error("ProtectedBranch", "strict", "invalid"))
    if not isinstance(contexts, list) or not all(isinstance(c, str) for c in contexts):
        errors.append(field_error("ProtectedBranch", "contexts", "invalid"))
    if errors:
        raise InvalidInput("Validation Failed", errors)
    return strict, contexts


class StatusChecksView(ProtectionAPIView):
    """GET, PATCH, DELETE .../protection/required_status_checks"""

    documentation_url = DOCS + "#get-status-checks-protection"
    documentation_urls = {
        "PATCH": DOCS + "#update-status-check-protection",
        "DELETE": DOCS + "#remove-status-check-protection",
    }

    def get(self, request, owner, repo, branch):
        return Response(status_checks_json(self.get_rule_with_checks(branch), request))

    def patch(self, request, owner, repo, branch):
        rule = self.get_rule(branch)
        body = read_body(
            request,
            "ProtectedBranch",
            {"strict": Field((bool,)), "contexts": Field((list,)), "checks": Field((list,))},
        )
        contexts = body["contexts"]
        if contexts is None and body["checks"] is not None:
            contexts = _read_checks({"checks": body["checks"]})[1]
        elif contexts is not None:
            contexts = _read_checks({"contexts": contexts})[1]
        rule = update_status_checks(rule=rule, strict=body["strict"], contexts=contexts)
        return Response(status_checks_json(self.get_rule(rule.pattern), request))

    def delete(self, request, owner, repo, branch):
        remove_status_checks(rule=self.get_rule(branch))
        return Response(status=204)


class ContextsView(ProtectionAPIView):
    """GET, POST, PUT, DELETE .../protection/required_status_checks/contexts"""

    documentation_url = DOCS + "#get-all-status-check-contexts"
    documentation_urls = {
        "POST": DOCS + "#add-status-check-contexts",
        "PUT": DOCS + "#set-status-check-contexts",
        "DELETE": DOCS + "#remove-status-check-contexts",
    }

    def get(self, request, owner, repo, branch):
        rule = self.get_rule_with_checks(branch)
        return Response([item.context for item in rule.required_contexts.all()])

    def read_contexts(self, request):
        data = request.data
        if isinstance(data, dict):
            data = data.get("contexts")
        if not isinstance(data, list) or not all(isinstance(item, str) for item in data):
            if not isinstance(request.data, dict | list):
                raise ParseError()
            raise InvalidInput(
                "Validation Failed", [field_error("ProtectedBranch", "contexts", "invalid")]
            )
        check_text(data, "ProtectedBranch", "contexts")
        return data

    def respond(self, rule):
        rule = self.get_rule(rule.pattern)
        return Response([item.context for item in rule.required_contexts.all()])

    def post(self, request, owner, repo, branch):
        rule = self.get_rule_with_checks(branch)
        return self.respond(add_contexts(rule=rule, contexts=self.read_contexts(request)))

    def put(self, request, owner, repo, branch):
        rule = self.get_rule_with_checks(branch)
        contexts = self.read_contexts(request)
        return self.respond(update_status_checks(rule=rule, contexts=contexts))

    def delete(self, request, owner, repo, branch):
        rule = self.get_rule_with_checks(branch)
        return self.respond(remove_contexts(rule=rule, contexts=self.read_contexts(request)))


class BranchListView(RepositoryAPIView):
    """GET /repos/{owner}/{repo}/branches (with `protected=true|false` filtering)"""

    documentation_url = "https://docs.github.com/rest/branches/branches#list-branches"

    def get(self, request, owner, repo):
        branches = GitRepository(self.repository.id).branches()
        rules = repository_rules(self.repository)
        protections = {
            branch.name: protection_summary(
                rule_for_branch(repository=self.repository, branch=branch.name, rules=rules)
            )
            for branch in branches
        }
        wanted = request.query_params.get("protected")
        if wanted in ("true", "false"):
            branches = [b for b in branches if protections[b.name]["enabled"] == (wanted == "true")]
        paginator = GitHubPagination()
        page = paginator.paginate_queryset(branches, request)
        return paginator.get_paginated_response(
            [
                branch_json(branch, self.repository, request, protection=protections[branch.name])
                for branch in page
            ]
        )


class BranchView(RepositoryAPIView):
    """GET /repos/{owner}/{repo}/branches/{branch}"""

    documentation_url = "https://docs.github.com/rest/branches/branches#get-a-branch"

    def get(self, request, owner, repo, branch):
        git = GitRepository(self.repository.id)
        sha = git.branch_sha(branch)
        if sha is None:
            raise NotFound("Branch not found")
        rule = rule_for_branch(repository=self.repository, branch=branch)
        commit = git.commit(sha)
        users = users_by_email([commit.author.email, commit.committer.email])
        short = branch_json(
            Branch(name=branch, sha=sha),
            self.repository,
            request,
            protection=protection_summary(rule),
        )
        html = request.build_absolute_uri(f"/{self.repository.full_name}/tree/{branch}")
        return Response(
            {
                **short,
                "commit": commit_json(commit, self.repository, request, users=users),
                "_links": {
                    "self": short["protection_url"].removesuffix("/protection"),
                    "html": html,
                },
            }
        )
