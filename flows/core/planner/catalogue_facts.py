"""What the offline planner reads off a catalogue before planning over it, read once per
catalogue rather than once per plan (see `per_catalogue.py`)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from flows.core.planner.lexicon import split_identifier, stem
from flows.core.planner.per_catalogue import PerCatalogue
from flows.core.planner.phrasing import COMMON_VERBS, description_verbs, verbs_of
from flows.core.planner.retrieval import ToolIndex
from flows.core.planner.wiring import output_values
from flows.core.planner.wording import (
    catalogue_words,
    common_english_words,
    english_words,
    vocabulary,
)
from flows.core.tools import ToolSpec


@dataclass(frozen=True, slots=True)
class CatalogueFacts:
    index: ToolIndex
    #: the words a request may be corrected to (see `wording.vocabulary`)
    words: frozenset[str]
    #: the words of the tools' ids, names, descriptions and fields
    catalogue_words: frozenset[str]
    #: things the catalogue knows by an id ("order" of `order_id`)
    id_nouns: frozenset[str]
    #: the stems of the catalogue's words longer than two letters
    known_stems: frozenset[str]
    #: tool-specific verbs such as "geocode": the leading words of the tools' ids (unless
    #: a name: see `id_leads_with_a_name`) and the verbs their descriptions start with
    verbs: frozenset[str]
    #: the enum values of the tools' output fields ("positive"), in lower case
    qualities: frozenset[str]
    #: the words of the tools' ids after the first (longer than two letters)
    topic_words: frozenset[str]
    #: the enum values a tool that updates something takes ("won" of a deal's `stage`),
    #: in lower case: "move the deal to won" sets it
    settable_values: frozenset[str] = frozenset()


def _read(tools: tuple[ToolSpec, ...]) -> CatalogueFacts:
    words = catalogue_words(tools)
    return CatalogueFacts(
        index=ToolIndex.build(tools),
        words=vocabulary(tools, COMMON_VERBS),
        catalogue_words=words,
        id_nouns=frozenset(
            name[: -len("_id")]
            for spec in tools
            for name in spec.input_properties()
            if name.endswith("_id") and "_" not in name[: -len("_id")]
        ),
        known_stems=frozenset(stem(w) for w in words if len(w) > 2),
        verbs=frozenset(
            verbs_of([spec.id for spec in tools if not _leads_with_a_vendor(spec, tools)])
            | description_verbs(spec.description for spec in tools)
            | {
                verb
                for spec in tools
                if (verb := _verb_after_a_brand(spec)) is not None
                # ("clm.contract.create", "zd_ticket_comment" beside a `contract_id`, a
                # `ticket_id`; "asana_task_create" beside a `task_gid`: the thing a code or a
                # gid names is no verb; "if contract CT-1 is signed", "if ticket 5100 is
                # pending" were read as steps)
                and verb not in _id_nouns(tools)
                and verb not in _things_by_a_gid(tools)
            }
            | {
                verb
                for spec in tools
                if (verb := _verb_of_a_dotted_id(spec)) is not None and verb not in _id_nouns(tools)
            }
            | _verbs_after_a_vendor(tools)
        ),
        qualities=frozenset(v for spec in tools for v in output_values(spec.output_schema)),
        topic_words=frozenset(
            word for spec in tools for word in split_identifier(spec.id)[1:] if len(word) > 2
        ),
        settable_values=frozenset(
            str(value).lower()
            for spec in tools
            if _UPDATE_VERBS & set(split_identifier(spec.id))
            for schema in spec.input_schema.get("properties", {}).values()
            if isinstance(schema, dict)
            for value in schema.get("enum", ())
            if isinstance(value, str)
        ),
    )


#: The words of an id that say its tool changes what it names ("crm_update_deal").
_UPDATE_VERBS = frozenset({"update", "set", "change", "edit", "patch", "modify"})


#: The facts of `tools`: read once per catalogue.
catalogue_facts = PerCatalogue(_read)


def _things_by_a_gid(tools: tuple[ToolSpec, ...]) -> frozenset[str]:
    """ "task" for a `task_gid` input: the things the catalogue names by a gid."""
    return frozenset(
        name[: -len("_gid")]
        for spec in tools
        for name in spec.input_properties()
        if name.endswith("_gid") and "_" not in name[: -len("_gid")]
    )


def _id_nouns(tools: tuple[ToolSpec, ...]) -> frozenset[str]:
    """ "contract" for a `contract_id` input: the things the catalogue names by a code."""
    return frozenset(
        name[: -len("_id")]
        for spec in tools
        for name in spec.input_properties()
        if name.endswith("_id") and "_" not in name[: -len("_id")]
    )


def _verb_after_a_brand(spec: ToolSpec) -> str | None:
    """ "datadog_query_metric", "easypost_return_label": an id that starts with a product's
    name (no English word) and then a verb and its object says its verb second."""
    words = [w.lower() for w in split_identifier(spec.id)]
    if len(words) < 3 or not words[1].isalpha() or len(words[1]) < 3:
        return None
    english = english_words()
    if not english or words[0] in english or words[1] not in english:
        return None
    if words[-1] in COMMON_VERBS and words[1] not in COMMON_VERBS:
        # ("stripe_customer_get", "pd_incident_get": the thing second, the verb last; "refund
        # ch_..., customer asked for it" was split at "customer")
        return None
    return words[1]


def _verbs_after_a_vendor(tools: tuple[ToolSpec, ...]) -> set[str]:
    """ "asana_task_complete", "github_issue_close": an id that starts with a vendor's name
    and then names its thing says its verb last ("complete task 12" starts a step), when
    that word is English and names no field of any tool (`asana_project_status`)."""
    fields = {
        word
        for spec in tools
        for name in [*spec.input_properties(), *spec.output_properties()]
        for word in split_identifier(name)
    }
    english = common_english_words()
    verbs = set()
    for spec in tools:
        words = [w.lower() for w in split_identifier(spec.id)]
        if len(words) < 3 or "." in spec.id or not _leads_with_a_vendor(spec, tools):
            continue
        last = words[-1]
        # ("okta_user_unsuspend", "datadog_monitor_unmute": a verb undone is a verb too)
        undone = last.startswith("un") and last[2:] in english
        # ("sentry_issue_ignore" with its own `ignore_duration`: how long it does it)
        own = {
            split_identifier(name)[0]
            for name in spec.input_properties()
            if len(split_identifier(name)) > 1
        }
        named = last in fields and not (last in own and _named_only_by(last, spec, tools))
        if last.isalpha() and len(last) > 2 and (last in english or undone) and not named:
            verbs.add(last)
    return verbs


def _named_only_by(word: str, spec: ToolSpec, tools: tuple[ToolSpec, ...]) -> bool:
    """Whether `word` is in the names of `spec`'s own inputs alone, among all fields."""
    return not any(
        word in split_identifier(name)
        for other in tools
        for name in [
            *other.output_properties(),
            *(() if other is spec else other.input_properties()),
        ]
    )


def _verb_of_a_dotted_id(spec: ToolSpec) -> str | None:
    """ "gym.member.freeze", "rx.refill.create": an id of dotted parts says its verb last
    ("if the payment fails freeze member M-1" starts a step at "freeze")."""
    parts = spec.id.split(".")
    if len(parts) < 3:
        return None
    words = [w.lower() for w in split_identifier(parts[-1])]
    if not words or not words[0].isalpha() or len(words[0]) < 3:
        return None
    return words[0] if words[0] in common_english_words() else None


def _leads_with_a_vendor(spec: ToolSpec, tools: tuple[ToolSpec, ...]) -> bool:
    """Whether `spec`'s id starts with a name, its own or one another tool's id starts with
    ("github_pull_merge" beside "github_issue_close": one vendor, no verb "github")."""
    if id_leads_with_a_name(spec):
        return True
    first = split_identifier(spec.id)[:1]
    return any(
        split_identifier(other.id)[:1] == first and id_leads_with_a_name(other)
        for other in tools
        if other is not spec
    )


def id_leads_with_a_name(spec: ToolSpec) -> bool:
    """ "sku_availability", "pagerduty_trigger", "hubspot_log_note": an id whose first word
    is one of the tool's fields, a name its description capitalises past its first word
    (a product, a brand), or a word no verb before a verb, starts with no verb, so "if
    SKU-42 is available" starts no step."""
    words = split_identifier(spec.id)
    if len(words) < 2:
        return False
    first = words[0].lower()
    fields = {
        word
        for name in [*spec.input_properties(), *spec.output_properties()]
        for word in split_identifier(name)
    }
    named = {
        word.lower()
        for word in re.findall(r"[A-Za-z][A-Za-z-]*", spec.description)[1:]
        if word[:1].isupper()
    }
    # ("github_issue_close", "asana_task_create": a word no verb, before a verb said later,
    # is the vendor the tool belongs to)
    vendor = first not in COMMON_VERBS and any(w in COMMON_VERBS for w in words[1:])
    return first in fields or first in named or vendor
