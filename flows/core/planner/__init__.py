"""Planning: a prompt (or an instruction on an existing flow) to validated IR.

Package map:
- base:            the Planner protocol, PlanResult, PlanningError, the plan event emitter
- session:         plan_flow / refine_flow — tool selection, cache, validation, events
- offline:         the deterministic offline planner (phrasing, retrieval, wiring, conditions)
- offline_refine:  the offline planner's edit operations for simple instructions
- openai_planner:  the LLM planner with its repair loop; llm (the LlmClient port) and
                   openai_client (the port over the openai SDK)
- prompt:          what the LLM planner says to the model
- refine:          edit operations, applying them to a copy, and the diff
- cache:           the plan cache port and its key
- checking:        parse + validate a draft
- evaluation:      the evaluation set runner (evals/planner)
"""

from flows.core.planner.base import (
    AttemptRecord,
    Planner,
    PlanningError,
    PlanResult,
    Usage,
)
from flows.core.planner.cache import InMemoryPlanCache, PlanCache, plan_cache_key
from flows.core.planner.offline import OfflinePlanner
from flows.core.planner.openai_planner import OpenAIPlanner
from flows.core.planner.session import plan_flow, refine_flow

__all__ = [
    "AttemptRecord",
    "InMemoryPlanCache",
    "OfflinePlanner",
    "OpenAIPlanner",
    "PlanCache",
    "PlanResult",
    "Planner",
    "PlanningError",
    "Usage",
    "plan_cache_key",
    "plan_flow",
    "refine_flow",
]
