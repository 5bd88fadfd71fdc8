import json

from rest_framework.exceptions import ParseError
from rest_framework.parsers import BaseParser


class GitHubJSONParser(BaseParser):
    """Parse every body as JSON whatever its content type, as GitHub does (`curl -d` included)."""

    media_type = "*/*"

    def parse(self, stream, media_type=None, parser_context=None):
        raw = stream.read() if stream is not None else b""
        if not raw.strip():
            return {}
        try:
            return json.loads(raw)
        except (ValueError, UnicodeDecodeError) as error:
            raise ParseError("Problems parsing JSON") from error
