"""Per-user throttles on what costs money or workers: planning (it may call a paid model)
and creating runs and batches. Rates come from REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]
(`DYNAMICFLOW_THROTTLE_PLAN`, `_PLAN_OFFLINE`, `_RUN`, `_BATCH`, `_TOKEN` in the environment,
e.g. "120/hour"); a throttled request answers 429 with `Retry-After` in the JSON error format.
"""

from __future__ import annotations

from typing import Any

from rest_framework.request import Request
from rest_framework.settings import api_settings
from rest_framework.throttling import BaseThrottle, UserRateThrottle

from flows.runs import conf


class _PerUser(UserRateThrottle):
    def get_rate(self) -> str | None:
        # Read at each request, so a changed setting applies without a restart.
        return api_settings.DEFAULT_THROTTLE_RATES.get(self.scope)

    def get_cache_key(self, request: Request, view: Any) -> str:
        ident = request.user.pk if request.user.is_authenticated else self.get_ident(request)
        return f"{conf.redis_prefix()}:throttle:{self.scope}:{ident}"


class PlanThrottle(_PerUser):
    """Planning with a model that may cost money (`plan`); the offline planner costs a few
    milliseconds of CPU and has a rate of its own (`plan_offline`), so a person or script
    trying many requests is not stopped at the paid planner's rate."""

    scope = "plan"

    def allow_request(self, request: Request, view: Any) -> bool:
        if _plans_offline(request):
            self.scope = "plan_offline"
            self.rate = self.get_rate()
            self.num_requests, self.duration = self.parse_rate(self.rate)
        return bool(super().allow_request(request, view))


def _plans_offline(request: Request) -> bool:
    from flows.planning import default_planner_name

    data = request.data
    named = data.get("planner") if isinstance(data, dict) else None
    return (named or default_planner_name()) == "offline"


class RunThrottle(_PerUser):
    scope = "run"


class BatchThrottle(_PerUser):
    scope = "batch"


class TokenThrottle(_PerUser):
    """Password guesses for an API token, per client address (nobody is signed in yet)."""

    scope = "token"

    def get_ident(self, request: Request) -> str:
        # DRF trusts any X-Forwarded-For unless NUM_PROXIES is set: a guesser would send a
        # new one with each guess. Behind proxies, set NUM_PROXIES.
        if api_settings.NUM_PROXIES is None:
            return str(request.META.get("REMOTE_ADDR", ""))
        return str(super().get_ident(request))


class ThrottlePostMixin:
    """Throttle only POST (creating), with `post_throttles`; reads are never throttled."""

    post_throttles: tuple[type[BaseThrottle], ...] = ()
    request: Request

    def get_throttles(self) -> list[BaseThrottle]:
        if self.request.method == "POST":
            return [throttle() for throttle in self.post_throttles]
        return list(super().get_throttles())  # type: ignore[misc]
