"""Lexical tool retrieval: rank tools for a piece of text by their names, descriptions and
fields. The offline planner ranks per step with it; LLM planners use it to cut a large
catalogue down to the tools worth putting in the prompt."""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from flows.core.planner.lexicon import normalise_stem, split_identifier, stems, synonyms
from flows.core.tools import ToolSpec

#: Above this many tools an LLM planner sees only the retrieved ones.
RETRIEVAL_THRESHOLD = 30
RETRIEVAL_LIMIT = 15

#: How much a word counts by where it occurs in the tool's spec.
FIELD_WEIGHTS = {
    "id": 3.0,
    "name": 2.0,
    "description": 1.0,
    "input": 0.8,
    "output": 0.5,
    "category": 0.5,
}
SYNONYM_FACTOR = 0.6
MAX_TERM_WEIGHT = 5.0


@dataclass(frozen=True, slots=True)
class ScoredTool:
    spec: ToolSpec
    score: float
    matched: tuple[str, ...] = ()


@dataclass(slots=True)
class ToolIndex:
    specs: list[ToolSpec]
    terms: dict[str, dict[str, float]] = field(default_factory=dict)
    idf: dict[str, float] = field(default_factory=dict)
    #: term -> the positions (in `specs`) of the tools that have it: a query scores only
    #: the tools sharing a term (or a synonym) with it, not the whole catalogue
    postings: dict[str, list[int]] = field(default_factory=dict)

    @classmethod
    def build(cls, specs: Iterable[ToolSpec]) -> ToolIndex:
        index = cls(specs=list(specs))
        for position, spec in enumerate(index.specs):
            weights = _term_weights(spec)
            index.terms[spec.id] = weights
            for term in weights:
                index.postings.setdefault(term, []).append(position)
        total = max(len(index.specs), 1)
        index.idf = {
            term: math.log(1 + total / (1 + len(positions))) + 0.1
            for term, positions in index.postings.items()
        }
        return index

    def score(self, spec: ToolSpec, query_stems: Sequence[str]) -> ScoredTool:
        weights = self.terms[spec.id]
        total = 0.0
        matched = []
        for term in dict.fromkeys(query_stems):
            direct = weights.get(term, 0.0) * self.idf.get(term, 0.0)
            related = max(
                (weights.get(other, 0.0) * self.idf.get(other, 0.0) for other in synonyms(term)),
                default=0.0,
            )
            best = max(direct, related * SYNONYM_FACTOR)
            if best > 0:
                total += best
                matched.append(term)
        return ScoredTool(spec, round(total, 4), tuple(matched))

    def rank(self, text: str, *, limit: int | None = None) -> list[ScoredTool]:
        """Tools by relevance to `text`, best first; ties keep catalogue order."""
        query = stems(text)
        # Only a tool with a query's term or one of its synonyms can score above 0.
        positions: set[int] = set()
        for term in dict.fromkeys(query):
            for related in (term, *synonyms(term)):
                positions.update(self.postings.get(related, ()))
        scored = [self.score(self.specs[position], query) for position in sorted(positions)]
        ranked = sorted((item for item in scored if item.score > 0), key=lambda item: -item.score)
        return ranked[:limit] if limit is not None else ranked


@dataclass(frozen=True, slots=True)
class ToolSelection:
    tools: list[ToolSpec]
    method: str  # "all" or "retrieval"
    total: int
    scores: dict[str, float] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "method": self.method,
            "total": self.total,
            "kept": [spec.id for spec in self.tools],
        }
        if self.scores:
            data["scores"] = self.scores
        return data


def select_tools(
    prompt: str,
    specs: Sequence[ToolSpec],
    *,
    threshold: int = RETRIEVAL_THRESHOLD,
    limit: int = RETRIEVAL_LIMIT,
) -> ToolSelection:
    """All tools when there are few; otherwise the `limit` most relevant to the prompt,
    plus any tool the prompt names by id."""
    if len(specs) <= threshold:
        return ToolSelection(list(specs), "all", len(specs))
    index = ToolIndex.build(specs)
    ranked = index.rank(prompt, limit=limit)
    kept = {item.spec.id: item.score for item in ranked}
    lowered = prompt.lower()
    for spec in specs:
        if spec.id not in kept and re.search(rf"\b{re.escape(spec.id.lower())}\b", lowered):
            kept[spec.id] = 0.0
    tools = [spec for spec in specs if spec.id in kept]
    return ToolSelection(tools, "retrieval", len(specs), kept)


def _term_weights(spec: ToolSpec) -> dict[str, float]:
    weights: dict[str, float] = {}

    def add(words: Iterable[str], weight: float) -> None:
        for word in words:
            term = normalise_stem(word)
            weights[term] = min(weights.get(term, 0.0) + weight, MAX_TERM_WEIGHT)

    add(split_identifier(spec.id), FIELD_WEIGHTS["id"])
    add(stems(spec.name), FIELD_WEIGHTS["name"])
    add(stems(spec.description), FIELD_WEIGHTS["description"])
    add(stems(spec.category), FIELD_WEIGHTS["category"])
    for name, schema in spec.input_properties().items():
        add(split_identifier(name), FIELD_WEIGHTS["input"])
        add(stems(str(schema.get("description", ""))), FIELD_WEIGHTS["input"] / 2)
    for name in spec.output_properties():
        add(split_identifier(name), FIELD_WEIGHTS["output"])
    return weights
