"""gitforge's routes plus two minimal DRF views, the floor bench/api_floor.py compares with.

Each does one query and no more: no authentication, permission or rate limit, served on the
same gunicorn, settings and middleware as the app (outside /api/, so the API middleware's
headers are not theirs either).
"""

from django.urls import path
from django.utils import timezone
from rest_framework.response import Response
from rest_framework.views import APIView

from gitforge.accounts.models import User
from gitforge.urls import urlpatterns as gitforge_urlpatterns


class FloorRead(APIView):
    """GET: one SELECT."""

    authentication_classes: list = []
    permission_classes: list = []

    def get(self, request):
        row = User.objects.filter(pk=1).values_list("username").first()
        return Response({"login": row[0] if row else None})


class FloorWrite(APIView):
    """POST: the JSON body parsed, one UPDATE."""

    authentication_classes: list = []
    permission_classes: list = []

    def post(self, request):
        state = request.data.get("state")
        User.objects.filter(pk=1).update(last_login=timezone.now())
        return Response({"state": state}, status=201)


urlpatterns = [
    path("floor/read", FloorRead.as_view()),
    path("floor/write", FloorWrite.as_view()),
    *gitforge_urlpatterns,
]
