import json

from django.conf import settings
from rest_framework.exceptions import ParseError
from rest_framework.parsers import BaseParser

from gitforge.api.exceptions import RequestTooLarge


class GitHubJSONParser(BaseParser):
    """Parse every body as JSON whatever its content type, as GitHub does (`curl -d` included).

    Reads at most GITFORGE_API_MAX_BODY_SIZE bytes (RequestLimits already refused a longer
    Content-Length). Nesting too deep for Python's decoder is a parse error like any other;
    unpaired surrogates ("\\ud800") decode, and read_body refuses them by field.
    """

    media_type = "*/*"

    def parse(self, stream, media_type=None, parser_context=None):
        limit = settings.GITFORGE_API_MAX_BODY_SIZE
        raw = stream.read(limit + 1) if stream is not None else b""
        if len(raw) > limit:
            raise RequestTooLarge(limit)
        if not raw.strip():
            return {}
        try:
            return json.loads(raw)
        except (ValueError, UnicodeDecodeError, RecursionError) as error:
            raise ParseError("Problems parsing JSON") from error
