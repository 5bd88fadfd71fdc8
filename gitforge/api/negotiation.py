from rest_framework.negotiation import BaseContentNegotiation


class JSONOnlyNegotiation(BaseContentNegotiation):
    """GitHub clients send `Accept: application/vnd.github+json` and friends; always answer JSON."""

    def select_parser(self, request, parsers):
        return parsers[0]

    def select_renderer(self, request, renderers, format_suffix=None):
        return renderers[0], renderers[0].media_type
