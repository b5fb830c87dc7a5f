"""What a step that changes something hands back of its own inputs, and what it says.

A tool with side effects often returns its inputs (send_email returns `to` and `subject`,
process_payment the `order_id` and `amount`). Those outputs say nothing new: a later,
unrelated step that needs an address or an id reads the value the echoing step was given
(the run input, or the step that made it), not the echo. And the words a side effect
carries (an email's subject and body, a ticket's) belong to that one side effect: two
emails in a flow do not say the same thing because both happened to need a body.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence

from flows.core.planner.lexicon import split_identifier, stem
from flows.core.planner.wiring import Source, name_similarity, schema_types, type_fit
from flows.core.tools import ToolSpec

#: Inputs that hold what a message or a record says, in words a person writes ("text" and
#: "content" are left out: to most tools that take them they are what is read, not said).
CONTENT_INPUTS = frozenset("subject body message title note notes description comment".split())
#: Verbs of tools that look at something and change nothing, whether or not their results
#: may be cached (a fetch, a stock check): what they hand back of their input is checked.
_LOOKS_ONLY = frozenset(
    stem(verb)
    for verb in """
    check validate verify confirm ensure lookup look find fetch get retrieve load read download
    search query list calculate compute estimate summarize summarise classify categorize
    analyze analyse score detect extract translate parse transcribe geocode convert status
    """.split()
)
#: An echoed input named differently counts when its name is this close ("to" ~ "email").
_ALIAS = 0.8


def looks_only(action: str) -> bool:
    """Whether a step said as `action` ("validate the order") only looks at something."""
    words = split_identifier(action)
    return bool(words) and stem(words[0]) in _LOOKS_ONLY


def acts(spec: ToolSpec) -> bool:
    """Whether `spec` changes something (sends, creates, charges) rather than looks."""
    if spec.config.cacheable:
        return False
    words = split_identifier(spec.id)
    if _ANSWERS.match(spec.description):
        return False  # sku_availability: "Tell whether a SKU is available ..."
    if not words:
        return False
    if stem(words[0]) in _LOOKS_ONLY:
        return False
    if "." in spec.id:
        # "pms.room.status", "kyc.verify_identity": what the last part of a dotted id says
        last = split_identifier(spec.id.rsplit(".", 1)[1])
        if last and stem(last[0]) in _LOOKS_ONLY:
            return False
    # ("stripe_get_customer", "claims.get": a vendor or a noun first, then the verb) the
    # verb of the id that the description starts with
    said = split_identifier(spec.description)[:1]
    named = split_identifier(spec.name)[:1]
    if said and named and stem(said[0]) in _LOOKS_ONLY and stem(named[0]) in _LOOKS_ONLY:
        # ("xero_account_balance", "Get account balance": "Read the current balance ...": an
        # id of nouns whose last may be a verb, and a name and a description that both look)
        return False
    if said and stem(said[0]) in _LOOKS_ONLY and _NAMED_BY_A_QUESTION.match(spec.name):
        # ("bamboo_whos_out", "Who's out": "List employees out of office ...": a name that
        # asks a question, a description that looks)
        return False
    if (
        said
        and len(words) > 1
        and stem(words[-1]) in _LOOKS_ONLY
        # ("pd_incident_get": "Show an incident ...", "pd_oncall_get": "The person on call
        # now ...": a description that shows, or names what it gives, with no verb)
        and said[0].lower() in {"show", "shows", "the", "a", "an"}
    ):
        return False
    return not (
        said
        and stem(said[0]) in _LOOKS_ONLY
        and (
            stem(said[0]) in {stem(word) for word in words[1:]}
            # ("pm_tenant_lookup": "Find the tenant of a unit ...": the verb said last)
            or (len(words) > 1 and stem(words[-1]) in _LOOKS_ONLY)
        )
    )


#: "Who's out", "What's due", "Where is my order": a tool's name that asks a question
_NAMED_BY_A_QUESTION = re.compile(
    r"^\s*(?:who|what|where|which|when|how)(?:['\u2019]s|s)?\b", re.IGNORECASE
)
#: A description that says the tool answers a question ("Tell whether a SKU is available",
#: "Returns how many units are left"), what a tool named by a noun alone does.
_ANSWERS = re.compile(
    r"^\s*(?:tells?|returns?|shows?|says?|reports?|gives?)\s+(?:you\s+)?(?:whether|if|how|what|"
    r"which|when|where)\b",
    re.IGNORECASE,
)


def echoed_input(spec: ToolSpec, output: str, inputs: Mapping[str, str]) -> str | None:
    """The wired input of a side-effecting `spec` that its output `output` repeats, if any."""
    if not acts(spec):
        return None  # a check or a lookup that returns an id confirms it; reading it is fine
    outputs = spec.output_properties()
    properties = spec.input_properties()
    best: tuple[float, str] | None = None
    for name, expression in inputs.items():
        if name not in properties or not expression:
            continue
        similarity = 1.0 if name == output else name_similarity(name, output)
        if similarity < _ALIAS or type_fit(properties[name], outputs.get(output)) < 0.9:
            continue
        if best is None or similarity > best[0]:
            best = (similarity, name)
    return best[1] if best is not None else None


def without_echoes(
    sources: Sequence[Source], spec: ToolSpec, inputs: Mapping[str, str]
) -> list[Source]:
    """`sources` of one node's output less the echoes of its inputs: a later step finds
    the value where the echoing step found it, or its own (the ticket about the customer
    an email to their manager was about is not for the manager)."""
    return [
        source
        for source in sources
        if source.node is None
        or source.expression != f"{source.node}.{source.name}"
        or echoed_input(spec, source.name, inputs) is None
    ]


def is_content_input(name: str, schema: Mapping[str, object]) -> bool:
    """Whether input `name` holds words a person writes for this one step."""
    return name in CONTENT_INPUTS and "string" in (schema_types(dict(schema)) or {"string"})
