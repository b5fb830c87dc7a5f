"""Closeness in meaning between a phrase and a tool, for "did you mean" on an unknown tool id
and as the offline planner's last resort when no tool shares a word with a step.

Word embeddings from wordllama, whose weights ship inside its wheel: it is loaded from the
package directory with downloads disabled, so nothing is fetched at run time. Without it
(or when it fails to load), only exact word matches count.
"""

from __future__ import annotations

import importlib.util
import logging
import threading
from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path
from typing import Any

from flows.core.planner.lexicon import split_identifier, stem, synonyms
from flows.core.planner.wording import missing_capability
from flows.core.tools import ToolSpec

logger = logging.getLogger(__name__)

#: A suggestion must be at least this close (half meaning, half shared words) ...
SUGGEST_MIN = 0.5
#: ... and this much closer than the next tool.
SUGGEST_MARGIN = 0.1

_lock = threading.Lock()


@lru_cache(maxsize=1)
def _model() -> Any | None:
    spec = importlib.util.find_spec("wordllama")
    if spec is None or spec.origin is None:
        return None
    with _lock:
        try:
            from wordllama import WordLlama

            # The tokenizer lies in <package>/tokenizers, which wordllama only finds as a
            # cache directory; downloads stay off.
            return WordLlama.load(cache_dir=Path(spec.origin).parent, disable_download=True)
        except Exception:  # a broken install must not break planning
            logger.warning("wordllama could not be loaded; tool similarity uses words only")
            return None


def tool_text(spec: ToolSpec) -> str:
    words = " ".join(split_identifier(spec.id))
    return f"{words}. {spec.name}. {spec.description}"


def meaning_scores(phrase: str, specs: Sequence[ToolSpec]) -> dict[str, float]:
    """Cosine similarity of `phrase` to each tool's id, name and description (empty when
    the embedding model is unavailable)."""
    model = _model()
    if model is None or not specs:
        return {}
    texts = tuple(tool_text(spec) for spec in specs)
    tools = _embed_tools(texts)
    query = model.embed([" ".join(split_identifier(phrase)) or phrase], norm=True)
    scores = (tools @ query[0]).tolist()
    return {spec.id: float(score) for spec, score in zip(specs, scores, strict=True)}


@lru_cache(maxsize=16)
def _embed_tools(texts: tuple[str, ...]) -> Any:
    model = _model()
    assert model is not None
    return model.embed(list(texts), norm=True)


def suggest_tool(unknown: str, specs: Sequence[ToolSpec]) -> ToolSpec | None:
    """The tool an unknown id most likely meant, only when it is clearly close in meaning:
    the same words in another order or form (`email_validator` -> `validate_email`), or a
    clear winner by meaning that offers what the id asks for (never `send_email` for
    `send_sms`, never a charge for a refund)."""
    words = {stem(w) for w in split_identifier(unknown)}
    if not words:
        return None
    related = words | {s for w in words for s in synonyms(w)}
    same_words = [
        spec
        for spec in specs
        if words <= ({stem(w) for w in split_identifier(spec.id)} | related)
        and {stem(w) for w in split_identifier(spec.id)} <= related
    ]
    phrase = " ".join(split_identifier(unknown))
    if len(same_words) == 1 and missing_capability(phrase, same_words[0]) is None:
        return same_words[0]
    meaning = meaning_scores(unknown, specs)
    scores = {
        spec.id: 0.5 * meaning.get(spec.id, 0.0) + 0.5 * _coverage(words, spec) for spec in specs
    }
    ranked = sorted(scores.items(), key=lambda item: -item[1])
    if not ranked:
        return None
    best_id, best = ranked[0]
    second = ranked[1][1] if len(ranked) > 1 else 0.0
    if best < SUGGEST_MIN or best - second < SUGGEST_MARGIN:
        return None
    spec = next(spec for spec in specs if spec.id == best_id)
    if missing_capability(phrase, spec) is not None:
        return None
    return spec


def _coverage(words: set[str], spec: ToolSpec) -> float:
    """The share of `words` the tool's id, name or description uses (or a synonym of)."""
    tool_words = {stem(w) for w in split_identifier(tool_text(spec))}
    covered = sum(1 for w in words if w in tool_words or synonyms(w) & tool_words)
    return covered / len(words)
