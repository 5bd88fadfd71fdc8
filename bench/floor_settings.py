"""gitforge's settings with the floor views of bench/api_floor.py routed beside the app's."""

from gitforge.settings import *  # noqa: F403

ROOT_URLCONF = "floor_urls"
