from django.urls import path

from hooks import api

HOOK = "repos/<str:owner>/<str:repo>/hooks/<int:hook_id>"

api_urlpatterns = [
    path("repos/<str:owner>/<str:repo>/hooks", api.HookListView.as_view()),
    path(HOOK, api.HookView.as_view()),
    path(f"{HOOK}/config", api.HookConfigView.as_view()),
    path(f"{HOOK}/pings", api.HookPingView.as_view()),
    path(f"{HOOK}/tests", api.HookTestView.as_view()),
    path(f"{HOOK}/test", api.HookTestView.as_view()),
    path(f"{HOOK}/deliveries", api.DeliveryListView.as_view()),
    path(f"{HOOK}/deliveries/<int:delivery_id>", api.DeliveryView.as_view()),
    path(f"{HOOK}/deliveries/<int:delivery_id>/attempts", api.RedeliveryView.as_view()),
]
