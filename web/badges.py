"""Status badges: the combined state of a branch head drawn as an SVG by pybadges, and the
Markdown that embeds one in a README."""

import warnings
from dataclasses import dataclass
from urllib.parse import quote

from protection.globs import context_matches
from statuses.states import Outcome, combined_outcome

with warnings.catch_warnings():
    # pybadges 3.0.1 imports imghdr (deprecated since Python 3.11) and setuptools'
    # pkg_resources (deprecated by setuptools 67 and later); both still work on 3.11.
    warnings.simplefilter("ignore", DeprecationWarning)
    warnings.simplefilter("ignore", UserWarning)
    import pybadges

PASSING, FAILING, PENDING, UNKNOWN = "passing", "failing", "pending", "unknown"
COLORS = {PASSING: "#2da44e", FAILING: "#cf222e", PENDING: "#bf8700", UNKNOWN: "#9f9f9f"}
WORDS = {Outcome.SUCCESS: PASSING, Outcome.FAILING: FAILING, Outcome.PENDING: PENDING}
LABEL = "status"


def badge_state(contexts, pattern=None) -> str:
    """passing, failing or pending for `contexts` ((context, state) pairs), only those matching
    the context `pattern` when one is given; unknown when none is left."""
    states = [
        state for context, state in contexts if pattern is None or context_matches(pattern, context)
    ]
    return WORDS[combined_outcome(states)] if states else UNKNOWN


def draw_badge(label: str, state: str) -> str:
    """The SVG text of a badge reading `label | state`, coloured by the state."""
    return pybadges.badge(left_text=label, right_text=state, right_color=COLORS[state])


@dataclass(frozen=True)
class EmbedBadge:
    image_url: str
    markdown: str


def embed_badge(*, site_url: str, repository, branch: str) -> EmbedBadge:
    """The badge of `branch` and the Markdown that shows it linked to the repository page."""
    page_url = f"{site_url.rstrip('/')}/{repository.owner.username}/{repository.name}"
    image_url = f"{page_url}/badges/{quote(branch)}.svg"
    return EmbedBadge(image_url=image_url, markdown=f"[![{LABEL}]({image_url})]({page_url})")


def status_badge(request, repository) -> EmbedBadge:
    """The default branch's badge, addressed at the host the page was asked for."""
    return embed_badge(
        site_url=request.build_absolute_uri("/"),
        repository=repository,
        branch=repository.default_branch,
    )
