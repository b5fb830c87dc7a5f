"""Explaining a plan: which phrase of the prompt each node comes from.

The offline planner knows it as it builds (each node from one clause). For a plan written
by a model, each node is matched to the piece of the prompt that shares the most words
with the node's title, tool, condition and instructions.
"""

from __future__ import annotations

import re

from flows.core.ir import Flow
from flows.core.planner.lexicon import stems, synonyms

_PIECES = re.compile(
    r"(?<=[.!?;:])\s+|\n+|\s*,\s*|\s+(?:and\s+then|then|after\s+that|and|otherwise)\s+",
    re.IGNORECASE,
)


_LEAD = re.compile(r"^(?:(?:and|then|also|finally|next|so)\b[\s,]*)+", re.IGNORECASE)


def prompt_pieces(prompt: str) -> list[str]:
    """The prompt cut at sentence ends, commas and sequencing words."""
    pieces = [_LEAD.sub("", piece.strip(" .,;:-*•")) for piece in _PIECES.split(prompt)]
    return [piece for piece in pieces if piece and stems(piece)]


def node_sources(flow: Flow, prompt: str) -> dict[str, str]:
    """node id -> the piece of `prompt` that most likely asked for it (nodes with no
    word in common with any piece, such as joins, are left out)."""
    pieces = [(piece, set(stems(piece))) for piece in prompt_pieces(prompt)]
    if not pieces:
        return {}
    found: dict[str, str] = {}
    for node in flow.nodes:
        words = " ".join(
            str(part)
            for part in (
                node.id,
                node.title or "",
                getattr(node, "tool", ""),
                getattr(node, "condition", ""),
                getattr(node, "instructions", ""),
            )
        )
        node_stems = set(stems(words))
        related = node_stems | {s for w in node_stems for s in synonyms(w)}
        best, best_score = None, 0.0
        for piece, piece_stems in pieces:
            score = len(piece_stems & node_stems) + 0.5 * len(piece_stems & (related - node_stems))
            if score > best_score:
                best, best_score = piece, score
        if best is not None:
            found[node.id] = best
    return found
