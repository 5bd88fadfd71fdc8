"""REST routes for the protection settings GitHub exposes one by one: `enforce_admins`, and
`required_signatures` (which gitforge does not verify: it reads as off and cannot be turned on)."""

from rest_framework.response import Response

from gitforge.errors import InvalidInput
from protection.api import DOCS, ProtectionAPIView, protection_urls
from protection.services import set_enforce_admins


class EnforceAdminsView(ProtectionAPIView):
    """GET, POST (turn on), DELETE (turn off) .../protection/enforce_admins"""

    documentation_url = DOCS + "#get-admin-branch-protection"
    documentation_urls = {
        "POST": DOCS + "#set-admin-branch-protection",
        "DELETE": DOCS + "#delete-admin-branch-protection",
    }

    def get(self, request, owner, repo, branch):
        return Response(self.state(self.get_rule(branch), request))

    def post(self, request, owner, repo, branch):
        rule = set_enforce_admins(rule=self.get_rule(branch), enabled=True)
        return Response(self.state(rule, request))

    def delete(self, request, owner, repo, branch):
        set_enforce_admins(rule=self.get_rule(branch), enabled=False)
        return Response(status=204)

    @staticmethod
    def state(rule, request):
        url = protection_urls(rule.repository, rule.pattern, request)["admins"]
        return {"url": url, "enabled": rule.enforce_admins}


class RequiredSignaturesView(ProtectionAPIView):
    """GET, POST, DELETE .../protection/required_signatures"""

    documentation_url = DOCS + "#get-commit-signature-protection"
    documentation_urls = {
        "POST": DOCS + "#create-commit-signature-protection",
        "DELETE": DOCS + "#delete-commit-signature-protection",
    }
    simple_validation_errors = True

    def get(self, request, owner, repo, branch):
        rule = self.get_rule(branch)
        url = protection_urls(rule.repository, rule.pattern, request)["signatures"]
        return Response({"url": url, "enabled": False})

    def post(self, request, owner, repo, branch):
        self.get_rule(branch)
        raise InvalidInput("Validation Failed", ["required_signatures is not supported"])

    def delete(self, request, owner, repo, branch):
        self.get_rule(branch)
        return Response(status=204)  # never on
