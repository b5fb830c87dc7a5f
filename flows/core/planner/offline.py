"""The offline planner: deterministic, no network, driven only by the tools' specs.

It reads the request as steps (`phrasing`), ranks the tools for each step by lexical
relevance (`retrieval`), wires each tool's inputs by schema matching (`wiring`) from map
items, upstream outputs or the run input (declaring in `input_schema` what it takes from
the run input), and turns conditions, approvals, for-each and parallel phrasing into
branch, approval and map nodes and dependency edges. What it builds passes the validator,
or planning fails with a message that names the step it could not map and why.
"""

from __future__ import annotations

import itertools
import json
import re
import time
from collections.abc import Callable, Collection, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from functools import lru_cache
from itertools import pairwise
from typing import Any

from flows.core.expressions import without_strings
from flows.core.ir import Flow, Join
from flows.core.planner.approval_text import approval_instructions, asked_form, subject_line
from flows.core.planner.asked_amounts import (
    refuse_a_cost_no_step_prices,
    refuse_an_amount_no_step_tells,
)
from flows.core.planner.assertions import guard_after_assertions
from flows.core.planner.base import (
    INVALID,
    VALID,
    AttemptRecord,
    PlanContext,
    PlannerOutput,
    PlanningError,
    RefineContext,
    RefineOutput,
)
from flows.core.planner.catalogue_facts import catalogue_facts
from flows.core.planner.choices import choice_literals, setting_not_taken, unlisted_choice
from flows.core.planner.conditions import (
    ABSENT_STEMS,
    QUANTITY_WORDS,
    WEATHER_FIELDS,
    ResolvedCondition,
    compared_with_a_number,
    resolve_condition,
    said_of_a_record,
    speaks_of_outcome,
    temperatures_said,
    weather_said,
)
from flows.core.planner.echoes import (
    acts,
    echoed_input,
    is_content_input,
    looks_only,
    without_echoes,
)
from flows.core.planner.empty_lists import guard_messages_on_their_lists
from flows.core.planner.execution import RunSettings
from flows.core.planner.goals import written_out_goal
from flows.core.planner.headings import (
    amount_labelled,
    carries_data,
    heading_literals,
    split_data_heading,
)
from flows.core.planner.leftover_codes import (
    codes_by_their_letters,
    leftover_codes,
    long_number_left,
)
from flows.core.planner.levels import is_level_input, level_literals, qualifies_another_noun
from flows.core.planner.lexicon import (
    MADE_BY,
    STOP_WORDS,
    field_label,
    meaningful,
    plural,
    singular,
    split_identifier,
    stem,
    synonyms,
)
from flows.core.planner.named_values import (
    CODE_PAIR,
    STREET_ADDRESS,
    listed_for,
    named_values,
    takes_what_is_written,
    written_places,
)
from flows.core.planner.naming import flow_title
from flows.core.planner.notices import (
    PRONOUN_OBJECTS,
    is_notice,
    notice_subject,
    notice_topic,
    without_notice_topic,
)
from flows.core.planner.number_words import amounts_in_words_as_digits
from flows.core.planner.numbered_things import (
    bare_number_nouns,
    code_in_capitals,
    container_named,
    number_of_the_tools_thing,
    number_set_to,
    values_after_their_list_word,
)
from flows.core.planner.phrasing import (
    COMMON_VERBS,
    DEPARTMENTS,
    JUDGED_QUALITIES,
    NOUN_VERBS,
    Clause,
    Condition,
    PromptReader,
    approval_before_its_step,
    assignee_role,
    comma_after_an_amount,
    gerund_bases,
    nested_conditions_joined,
    quote_said_first,
    says_an_arrival,
    sites_asked_up,
    strip_approval_phrase,
)
from flows.core.planner.phrasing import COMPARISON_PHRASE as _COMPARISON_PHRASE
from flows.core.planner.places import (
    PLACE_NAMED,
    countries_as_each,
    country_codes,
    country_currency,
    country_literal,
    currency_literal,
    postal_regions,
    regions_listed,
    request_currency,
    two_regions_as_each,
)
from flows.core.planner.quotes import (
    commas_masked,
    mask_quotes,
    outside_quotes,
    quote_below_in_place,
    quoted_texts,
    stops_after_quotes,
    unmasked,
    without_quotes,
)
from flows.core.planner.rates import (
    Conversion,
    amount_converted,
    converted_said,
    converted_value,
    converter_first,
    converts_the_pair,
    given_to_each,
    pairs_sent,
    rate_field,
)
from flows.core.planner.recipients import (
    EMAIL_ADDRESS,
    Recipient,
    addresses_the_subject,
    copied_recipients,
    message_recipient,
    message_recipients,
    subject_addressee,
    subject_named,
)
from flows.core.planner.retrieval import ScoredTool
from flows.core.planner.routing import unstated_cases
from flows.core.planner.services import service_literals, services_listed, takes_a_service
from flows.core.planner.wiring import (
    Match,
    Source,
    best_source,
    input_field_schema,
    input_sources,
    item_text_sources,
    name_similarity,
    named_outputs,
    output_sources,
    output_values,
    schema_types,
    type_fit,
    unwrap_nullable,
)
from flows.core.planner.wording import (
    CONTROL_WORDS,
    MESSAGE_VERBS,
    TASK_CALLED,
    TASK_TO_DO,
    MissingCapability,
    capabilities_asked,
    catalogue_words,
    channels_named,
    chat_spelling,
    correct_typos,
    drop_thousands_separators,
    english_words,
    examples_given,
    examples_of,
    foreign_verb,
    is_channel,
    kind_needs_approval,
    missing_capabilities,
    missing_capability,
    phrasal_verbs_joined,
    plain_verb_forms,
    question_as_noun,
    spec_says,
    straight_apostrophes,
    unknown_word,
    without_what_is_said,
)
from flows.core.tools import ToolSpec

#: A step maps to a tool only when its best score reaches this.
MIN_TOOL_SCORE = 1.5
#: A tool whose leading verb is the step's verb ranks this much higher.
VERB_BONUS = 1.5
#: A tool that does not do what the step's verb says, when another tool does.
NOT_THE_VERB = 0.5
#: A tool the checked state maps to ("make sure it is in stock"), over the thing's own tool.
PREDICATE_BONUS = 3.0
#: The leading verbs of tools that send something.
_SENDING = frozenset(stem(w) for w in "send email mail notify message post deliver slack".split())
#: Verbs of a text message, which send as the verbs above do ("text me the weather")
_TEXTING = frozenset(stem(w) for w in "text sms".split())
#: Where a noun phrase ends: "a summary by email", "a summary." (not "a summary report").
_NOUN_ENDS = r"(?=\s+(?:by|to|of|via|for|in|on|at|with|and|from|please)\b|\s*[,.;:!?]|\s*$)"
#: "in the CRM", "into our Sheets": where a step puts its thing, never what "it" is later.
_WHERE_IT_GOES = re.compile(
    r"\b(?:in|into|inside|onto)\s+(?:the|our|their|my|your)\s+[A-Za-z]+\b", re.IGNORECASE
)
#: "... by email": what the step makes is to be sent.
#: "by email", "via e-mail", "in an email": how a step says it sends.
_BY_EMAIL = re.compile(r"\b(?:by|via|over|through|per|in\s+an?)\s+e-?mail\b", re.IGNORECASE)


def _message_verb(word: str) -> bool:
    """ "email", "emailing", "emailed": a verb that asks to send a message."""
    lowered = word.lower()
    return lowered in MESSAGE_VERBS or (
        lowered.endswith(("ing", "ed", "s")) and stem(lowered) in MESSAGE_VERBS
    )


#: Each word of a tool's id that the step does not mention costs this factor, so that
#: "send an email" prefers send_email to send_welcome_email.
UNMATCHED_ID_WORD = 0.6
#: The approval page has its own comment box (the decision's `comment`), so the default
#: form asks for nothing more.
DEFAULT_FORM_SCHEMA: dict[str, Any] = {"type": "object", "properties": {}}
#: A condition that compares ("older than a year", "more than 5", "over 500"): read as an
#: equality, it would drop what it compares.
_SAYS_A_COMPARISON = re.compile(
    rf"\b(?!other\b|rather\b)[a-z]+er\s+than\b|\b(?:more|less|fewer)\s+than\b|"
    rf"{_COMPARISON_PHRASE.pattern}",
    re.IGNORECASE,
)
#: Words that start a part saying which things a step is for, not a step of its own
_QUALIFYING = frozenset("only just even especially except unless if when whenever".split())
#: "escalate it to a manager", "route the ticket to the billing team": handed on to someone
_HANDED_ON = re.compile(
    r"^(?:escalate|route|hand|pass)\s+(?:over\s+|on\s+)?(?:(?P<what>.+?)\s+)?to\s+(?P<to>.+)$",
    re.IGNORECASE,
)
_SENT_TO_A_TEAM = re.compile(
    r"^(?:escalate|route|hand|pass|send|forward|assign|direct|dispatch)\s+(?:over\s+|on\s+)?"
    r"(?:(?P<what>.+?)\s+)?to\s+(?P<to>.+)$",
    re.IGNORECASE,
)
#: "the right team", "the appropriate department": whichever team the request is for (said
#: without "by email", which asks for a message)
_WHICHEVER_TEAM = re.compile(
    r"^(?:the\s+)?(?:right|correct|appropriate|proper|relevant|responsible)\s+(?:team|department|"
    r"queue|group|people|desk)(?:\s+for\s+it)?\s*$",
    re.IGNORECASE,
)
#: "either", "both", "any of them": a condition said of steps already planned.
_SAID_OF_STEPS_BEFORE = re.compile(
    r"\b(?:either|neither|both|any\s+of\s+(?:them|these|those)|all\s+of\s+them|one\s+of\s+them)\b",
    re.IGNORECASE,
)
#: "..., open a ticket instead": in place of the steps said before.
_INSTEAD = re.compile(r"\binstead\b(?!\s+of\b)", re.IGNORECASE)
#: "if everything succeeds", "if all went well": the outcome of every step before it
_EVERY_STEP = re.compile(
    r"\b(?:everything|anything|any\s+(?:step|part|stage|of\s+(?:them|the\s+steps))|"
    r"all\s+(?:of\s+(?:it|them|this)|steps|went|goes|succeed|pass)\w*)\b",
    re.IGNORECASE,
)
#: "approve it and pay it", "approve it, then ship it": the parts of an approval clause
_AND_THEN = re.compile(r"\s*,?\s+(?:and\s+then|and|then)\s+", re.IGNORECASE)
#: "open a ticket", "send an urgent email": a step that makes a new thing (not "the ticket")
_MAKES_A_NEW_THING = re.compile(r"^\s*(?:then\s+|also\s+)?[a-z-]+\s+(?:a|an)\s", re.IGNORECASE)
#: A branch on whether a lookup found its record: `!lookup_user.found`.
_FOUND_FLAG = re.compile(
    r"^(?P<negated>!?)(?P<node>[a-z_][a-z0-9_]*)\.(?:found|exists?|present|matched)$"
)
#: "put her on route R-3", "put student S-4 onto the late shift": someone put on a thing
#: "..., assign it to maya@lumen.io", "... and assign it to omar": whom the thing is for
_ASSIGN_IT_AFTER_A_STEP = re.compile(
    # (", assign to maria": "it" left out)
    r"(?:\s*,\s*(?:and\s+|then\s+)?|\s+and\s+(?:then\s+)?)assign\s+(?:(?:it|this)\s+)?to\s+"
    r"(?P<who>@?[\w.+-]+(?:@[\w-]+(?:\.[\w-]+)+)?)(?=\s*(?:$|[.,;!?]))",
    re.IGNORECASE,
)
#: Inputs that say whom a thing is assigned to
_ASSIGNEE_INPUTS = frozenset({"assignee", "assignees", "assigned_to", "assignee_email", "owner"})
_PUT_ON_A_THING = re.compile(
    r"\bput\s+(?P<who>her|him|them|(?:the\s+)?[a-z]+\s+#?(?=[\w-]*\d)[\w-]+)\s+(?:on|onto)\s+"
    r"(?P<article>(?:the|a)\s+)?(?P<thing>[a-z]+)\b",
    re.IGNORECASE,
)
#: "text their guardian ...", "notify her parent": a message for one person of someone's
_ONE_PERSON_TOLD = re.compile(
    r"^\W*(?:then\s+|and\s+|also\s+)*(?:text|sms|email|e-mail|message|notify|alert|tell|call)\s+"
    r"(?:their|his|her|the\s+student's|the\s+child's)\s+(?P<who>[a-z]{3,}?)(?<!s)\b",
    re.IGNORECASE,
)
#: "email a@x.io the weekly update", "send the same update to b@x.io": the thing a message
#: sends, by its last word
_THING_SENT = re.compile(
    r"^\W*(?:then\s+|and\s+|also\s+)*(?:email|e-mail|mail|send|forward)\s+(?:\s*to\s+)?"
    r"(?:the|our|this|that)\s+(?:same\s+)?(?:[a-z]+\s+){0,2}(?P<noun>[a-z]{3,})"
    r"(?:\s+(?:to|too))*\s*$",
    re.IGNORECASE,
)
#: "how many people does it hold?", "what's the balance", "which route is late": a
#: question that asks to be told something (not "what if ..." nor "how about")
_ASKS_WHAT = re.compile(
    r"^\W*(?:how\s+(?:many|much|long|big|old)|what(?:'s|\s+is|\s+are|\s+was|\s+does|\s+do|"
    r"\s+did|\s+will|\s+would)?|which|who|whom|where)\b(?!\s+if\b)",
    re.IGNORECASE,
)
_ID_CHARS = re.compile(r"[^a-z0-9_]+")
_ROOT_NAME = re.compile(r"(?<![\w.\"'])([a-z_][a-z0-9_]*)")


class OfflinePlanner:
    name = "offline"
    model: str | None = None
    uses_retrieval = False

    def __init__(self, *, min_score: float = MIN_TOOL_SCORE) -> None:
        self.min_score = min_score

    def plan(self, context: PlanContext) -> PlannerOutput:
        started = time.monotonic()
        try:
            builder = FlowBuilder(context.tools, context.joins, min_score=self.min_score)
            data = builder.build(context.prompt)
            _refuse_an_approval_of_nothing(data, context, self.min_score)
            _approval_of_the_amount_written(data)
            result = context.check(data)
            if not result.ok and builder.stops:
                # a stop's branch the flow cannot hold: planned as "do nothing" instead
                builder = FlowBuilder(
                    context.tools, context.joins, min_score=self.min_score, stops_allowed=False
                )
                data = builder.build(context.prompt)
                result = context.check(data)
            if not result.ok:
                raise builder.explain(result.issues)
        except PlanningError as exc:
            record = AttemptRecord(
                1, INVALID, (time.monotonic() - started) * 1000, errors=[exc.to_json()]
            )
            context.emitter.attempt(record)
            exc.attempts = [record]
            raise
        assert result.flow is not None
        record = AttemptRecord(1, VALID, (time.monotonic() - started) * 1000)
        context.emitter.attempt(record)
        return PlannerOutput(result.flow, [record], sources=builder.sources)

    def refine(self, context: RefineContext) -> RefineOutput:
        from flows.core.planner.offline_refine import offline_operations

        started = time.monotonic()
        try:
            operations = offline_operations(
                context.flow,
                context.instruction,
                context.tools,
                context.joins,
                min_score=self.min_score,
            )
        except PlanningError as exc:
            record = AttemptRecord(
                1, INVALID, (time.monotonic() - started) * 1000, errors=[exc.to_json()]
            )
            context.emitter.attempt(record)
            exc.attempts = [record]
            raise
        record = AttemptRecord(1, VALID, (time.monotonic() - started) * 1000)
        context.emitter.attempt(record)
        return RefineOutput(operations, [record])


def _approval_of_the_amount_written(data: dict[str, Any]) -> None:
    """ "Charge 7,400 EUR for order 55; finance approves any charge over 5,000": the amount
    the approval's condition compares is the one the step writes, not a run input that
    may say another (an approval skipped for "100" while 7,400 is charged)."""
    nodes = [node for node in data.get("nodes") or [] if isinstance(node, dict)]
    for at, node in enumerate(nodes):
        when = node.get("when")
        if node.get("type") != "approval" or not isinstance(when, str):
            continue
        # ("if it's valid, charge the customer, but for amounts over 1000 get approval":
        # the amount charged is the validation's subtotal, read before the approval)
        before = {str(other.get("id")) for other in nodes[:at]}
        for name in dict.fromkeys(re.findall(r"(?<![\w.])input\.(\w+)\b", when)):
            # ("if the order total is over €5,000 ... charge order 310 for €6,200": the
            # total compared is the amount charged)
            names = _MONEY_NAMES if name in _MONEY_NAMES else {name}
            written = {
                _in_major_units(field, literal)
                for other in nodes
                if other.get("type") in ("tool", "map")
                for field, literal in (other.get("inputs") or {}).items()
                if (
                    field in names
                    # ("declared value $250,000", "an offer at $172,000": the one number a
                    # step names for money, `declared_value`, `salary`)
                    or (name in _MONEY_NAMES and set(split_identifier(field)) & _MONEY_WORDS)
                )
                and isinstance(literal, str)
                and (
                    re.fullmatch(r"-?\d+(?:\.\d+)?", literal)
                    or (
                        re.fullmatch(r"[a-z_]\w*(?:\.\w+)+", literal) is not None
                        and literal.split(".")[0] in before
                    )
                )
            }
            if len(written) != 1:
                continue
            node["when"] = when = re.sub(rf"(?<![\w.])input\.{name}\b", written.pop(), when)
            if f"input.{name}" not in json.dumps(nodes):
                schema = data.get("input_schema") or {}
                (schema.get("properties") or {}).pop(name, None)
                if name in (schema.get("required") or []):
                    schema["required"].remove(name)


_MONEY_NAMES = frozenset({"amount", "total", "price", "sum", "cost", "value"})
#: Words of a number input that holds money: "salary", "new_rent", "fee_amount".
_MONEY_WORDS = frozenset(
    "amount total price sum cost salary rent fee fees wage wages pay budget deposit charge "
    "payment bonus compensation value estimate copay".split()
)


#: Words of a money input held in the currency's smallest unit: `amount_cents`, `fee_pence`.
_MINOR_UNIT_WORDS = frozenset({"cents", "cent", "pence", "minor", "subunits"})
_MINOR_UNIT_SAID = re.compile(
    r"\bin\s+cents\b|\bsmallest\s+(?:currency\s+)?unit|\bminor\s+units?\b", re.IGNORECASE
)


def _in_minor_units(name: str, schema: dict[str, Any]) -> bool:
    """Whether the money input `name` holds cents (its name or its description says so)."""
    if set(split_identifier(name)) & _MINOR_UNIT_WORDS:
        return True
    return _MINOR_UNIT_SAID.search(str(schema.get("description") or "")) is not None


#: "stripe_customer_get.balance_cents > 1000.0": one step's field compared with a number
_ONE_FIELD_COMPARED = re.compile(r"([a-z_]\w*)\.(\w+)\s*(>=|<=|>|<)\s*(-?\d+(?:\.\d+)?)")


def _in_major_units(field: str, literal: str) -> str:
    """The number `literal` written into `field` as the currency's whole units: an
    approval "over $1000" compares $1,250, not `amount_cents` 125000."""
    if set(split_identifier(field)) & _MINOR_UNIT_WORDS and re.fullmatch(r"-?\d+", literal):
        return repr(int(literal) / 100)
    return literal


def _refuse_an_approval_of_nothing(
    data: dict[str, Any], context: PlanContext, min_score: float
) -> None:
    """ "Pay invoice PO-3391 for $14,500, but finance approves over $10,000": a plan of the
    approval alone asks someone to approve and then does nothing. When what is approved
    writes a code or an address to act on ("PO-3391") and, planned on its own, is refused, that
    refusal is the answer; when it plans nothing at all ("we need a PO for SUP-300 for
    $48,000"), the step is refused by name. "Ask a manager to approve the request" is an
    approval alone, as asked."""
    nodes = data.get("nodes") or []
    kinds = {node.get("type") for node in nodes if isinstance(node, dict)}
    if "approval" not in kinds or kinds & {"tool", "map"}:
        return
    step = strip_approval_phrase(context.prompt).strip(" ,.;")
    if not _ACTED_ON_VALUE.search(step):
        return  # ("approve the request", "approve the discount")
    alone = FlowBuilder(context.tools, context.joins, min_score=min_score)
    try:
        alone.build(step)
    except PlanningError as exc:
        if exc.code != "no_steps":
            raise
    raise PlanningError(
        "unmapped_step",
        f"Could not map the step that is to be approved ({step!r}) to a tool: a plan of the "
        "approval alone would do nothing once it is approved. Name what should happen with "
        "a tool's words, or register a tool that does it.",
        step=step,
    )


#: A code or an address a step would act on: "SUP-300", "PO-3391", "vendor@supplier.com"
#: (an amount alone may be the policy's threshold: "when a payment over $10k comes in,
#: finance approves it").
_ACTED_ON_VALUE = re.compile(r"\b[A-Z]{2,}-?\d+\b|[\w.+-]+@[\w-]+\.[\w.-]+")


@dataclass(frozen=True, slots=True)
class PendingJoin:
    """A join node to add before the next step: it waits for `exits` of which some may be
    skipped (trigger "any"), so that what follows can wait for it with trigger "all" and
    still read every node that came before."""

    base_id: str
    title: str
    value: dict[str, str]
    guard: str | None = None


@dataclass(slots=True)
class Cursor:
    """Where the next step attaches: after `exits`, or after a join of them."""

    exits: list[str] = field(default_factory=list)
    join: PendingJoin | None = None

    def copy(self) -> Cursor:
        return Cursor(list(self.exits), self.join)


@dataclass(slots=True)
class NodeInfo:
    id: str
    kind: str
    order: int
    gates: frozenset[tuple[str, str]] = frozenset()
    clause: Clause | None = None
    spec: ToolSpec | None = None
    group: int | None = None
    output_schema: dict[str, Any] | None = None


@dataclass(slots=True)
class Branch:
    id: str
    node: dict[str, Any]
    gates: frozenset[tuple[str, str]]
    then_exits: list[str] = field(default_factory=list)
    else_exits: list[str] = field(default_factory=list)
    #: The cursor the branch was opened from, and the one it set when it closed.
    parent: Cursor | None = None
    closed_cursor: Cursor | None = None
    #: The arm the branch itself sits in (None on the main line).
    scope: Scope | None = None


@dataclass(slots=True)
class Scope:
    branch: Branch
    arm: str
    sentence: int
    persistent: bool
    cursor: Cursor
    #: Set when the main line moved on before this (else) arm reopened.
    detached: bool = False
    #: The arm this branch sits in ("if not found, validate; if valid, welcome"), if any.
    parent: Scope | None = None

    @property
    def gates(self) -> frozenset[tuple[str, str]]:
        return self.branch.gates | {(self.branch.id, self.arm)}


@dataclass(slots=True)
class Group:
    id: int
    start: Cursor
    members: list[str] = field(default_factory=list)


@dataclass(slots=True)
class Loop:
    sentence: int
    noun: str
    items: str
    item_schema: dict[str, Any]
    last_map: str
    last_tool: ToolSpec
    #: "for each order, validate it and if it's valid charge it": the last map's results
    #: kept to those the condition holds for; the next map in the loop runs over them
    filtered: str | None = None
    #: what `filtered` keeps, said of each result `r`
    kept: str | None = None
    #: the nouns of the loops this one goes on from ("summarize each page": the summaries
    #: run over the pages fetched, and "email them" later is still each page)
    also: frozenset[str] = frozenset()

    @property
    def said(self) -> str:
        """The loop's noun as a message says it."""
        return "value" if self.noun == _ANY_NOUN else self.noun


class FlowBuilder:
    """Builds one flow from clauses; also used by the offline refine on an existing flow."""

    def __init__(
        self,
        tools: Sequence[ToolSpec],
        joins: Sequence[Join] = (),
        *,
        min_score: float,
        stops_allowed: bool = True,
    ) -> None:
        self.specs = {spec.id: spec for spec in tools}
        self.regions = ""  # "states" when two were said side by side ("in CA vs OR")
        #: steps planned to serve another (a lookup of the customer an invoice is for)
        self.helpers: set[str] = set()
        #: lookups of a rate whose amount converted a value node works out (`_amount_converted`)
        self.conversions: dict[str, tuple[str, Conversion]] = {}
        #: "if X, stop" gates what follows; off, it is read as "do nothing" (see plan)
        self.stops_allowed = stops_allowed
        self.stops: list[tuple[int, ResolvedCondition, Clause]] = []
        #: a check planned for a number compared takes only a tool that reads that number
        self.numbers_only = False
        facts = catalogue_facts(tools)
        self.index = facts.index
        self.joins = {(join.from_tool, join.to_tool): join for join in joins}
        self.min_score = min_score
        self.turned_away_listed = _turn_away_verbs_listed(tools)
        #: the heading is a report said first ("bike B-1 has a flat tyre, ..."): what is
        #: wrong, for a record of it
        self.reported_first = False
        self.reader = PromptReader(
            set(facts.verbs)
            | _verbs_of_settable_states(facts.settable_values)
            | self.turned_away_listed
            | _verbs_of_listed_decisions(tools),
            qualities=set(facts.qualities),
        )
        self.settable_values = facts.settable_values
        self.nodes: list[dict[str, Any]] = []
        #: the step a condition said before it guards, while the condition is resolved
        self.guarded: Clause | None = None
        self.info: dict[str, NodeInfo] = {}
        self.input_properties: dict[str, dict[str, Any]] = {}
        self.input_required: list[str] = []
        self.main = Cursor()
        self.scope: Scope | None = None
        self.group: Group | None = None
        self.loop: Loop | None = None
        self.last_branch: Branch | None = None
        #: Branches side by side on values of one field ("if billing, ...; if technical,
        #: ..."): an "otherwise" after them is for none of them.
        self.branch_chain: list[Branch] = []
        self.pending: tuple[Condition, Clause] | None = None
        #: A step an approval already added ("... before payment"): the next clause that
        #: maps to the same tool is that step, not another one.
        self.merge_next: tuple[str, str] | None = None
        #: approvals whose decision a message after them tells, either way (by the ids
        #: of those messages)
        self.decision_told: dict[str, set[str]] = {}
        self._merge: tuple[str, str] | None = None
        #: Approvals add no tool for the words around them (a refine names the step).
        self.approval_only = False
        #: Where the nodes this builder added start in `nodes` (after a seeded flow's).
        self.first_new = 0
        self.seeded_inputs: set[str] = set()
        #: node id -> the phrase of the request it comes from.
        self.sources: dict[str, str] = {}
        self.words = facts.words | _verbs_of_listed_decisions(tools)
        self.catalogue_words = facts.catalogue_words
        #: Things the catalogue knows by an id ("order" of `order_id`).
        self.id_nouns = facts.id_nouns
        #: The stems of the catalogue's words (longer than two letters).
        self.known_stems = facts.known_stems
        #: When (in nodes added) the latest branch and conditional approval were planned.
        self.branch_at = -1
        self.conditional_approval_at = -1
        #: The sentence of a conditional approval on a case (not a threshold), and its
        #: condition: the steps after it in that sentence are for that case too.
        self.approval_case: tuple[int, Condition, bool, bool] | None = None
        #: The tool or map node added last (an approval "first" goes before it).
        self.last_step: str | None = None
        #: The thing the request last spoke of ("order"), for "it" in a later step.
        self.topic: str | None = None
        #: The person the request last spoke of ("customer"), for "email them".
        self.person: str | None = None
        #: The request as written.
        self.request = ""
        #: "New hire: Jane Doe, jane@acme.io — ...": who the steps are about (no step).
        self.heading = ""
        #: "for each of api, web and db": a loop's noun and the values it goes over.
        self.listed_items: dict[str, list[Any]] = {}
        #: "Priya priya@corp.com, Tom tom@corp.com": the name written before each address
        self.listed_names: dict[str, str] = {}
        #: the lists of items a loop's lead qualifies ("each person starting on <date>")
        self.qualified_lists: dict[str, Source] = {}
        #: The clause after the one being added (an arm may go on into it).
        self.upcoming: Clause | None = None
        #: every clause of the request (`build`)
        self.clauses: list[Clause] = []
        #: "when a refund request comes in": what arrives, which "process it" works on
        self.arrived: str | None = None
        self.topic_words = facts.topic_words

    def seed(self, flow: Flow, *, visible: set[str], exits: list[str]) -> None:
        """Continue from an existing flow: its `visible` nodes are sources, new nodes attach
        after `exits`, ids stay unique and its run input fields are reused."""
        for order, node in enumerate(flow.nodes):
            spec = self.specs.get(getattr(node, "tool", "")) if hasattr(node, "tool") else None
            kind = node.type if node.type in ("tool", "map", "approval", "branch") else "other"
            output_schema = None
            if spec is not None:
                output_schema = (
                    {"type": "array", "items": spec.output_schema}
                    if kind == "map"
                    else spec.output_schema
                )
            gates = frozenset() if node.id in visible else frozenset({("hidden", node.id)})
            self.info[node.id] = NodeInfo(
                node.id, kind, order, gates, None, spec, None, output_schema
            )
            self.nodes.append(node.model_dump(mode="json", by_alias=True, exclude_none=True))
        self.first_new = len(self.nodes)
        properties = flow.input_schema.get("properties") or {}
        self.input_properties = {k: dict(v) for k, v in properties.items() if isinstance(v, dict)}
        self.input_required = list(flow.input_schema.get("required") or [])
        self.seeded_inputs = set(self.input_properties)
        self.main = Cursor(list(exits))

    def new_nodes(self) -> list[dict[str, Any]]:
        return self.nodes[self.first_new :]

    def new_input_fields(self) -> list[tuple[str, dict[str, Any], bool]]:
        return [
            (name, schema, name in self.input_required)
            for name, schema in self.input_properties.items()
            if name not in self.seeded_inputs
        ]

    # -- the whole request -------------------------------------------------------------

    def read(self, prompt: str) -> list[Clause]:
        """The request's steps, read after fixing what people type: curly apostrophes,
        thousands separators, typos and verbs in the third person."""
        text = chat_spelling(drop_thousands_separators(straight_apostrophes(prompt)))
        # ("classify this: 'my code didn't apply'": a quote in single quotes with an
        # apostrophe inside a word is written in double quotes, as each rule reads it whole)
        text = _QUOTE_WITH_APOSTROPHE.sub(r'"\g<said>"', text)
        text = comma_after_an_amount(text)
        text = kind_needs_approval(text, self.specs.values())
        # "summarize the text I give you", "the article we get": what the run is given
        text = _THE_ONE_HANDED_IN.sub(r"\g<the> \g<thing>", text)
        # "email me a count of the negative ones": how many are
        text = _A_COUNT_OF_ONES.sub(r"how many are \g<quality>", text)
        # "email me a summary of how many succeeded": how many were successful
        text = _HOW_MANY_WENT.sub(_how_many_went, text)
        # "if they have no account": if they are not found (by the lookup before)
        text = _HAS_NO_ACCOUNT.sub(_not_found, text)
        # "take a list of orders and charge each one": each order
        text = _EACH_ONE_OF_A_LIST.sub(_each_one_of_the_list, text)
        text = _THINGS_FOR_PEOPLE_LISTED.sub(self._one_for_each_assignee, text)
        text = self._the_quote_made(text)
        text = _HANDLES_LISTED.sub(self._handles_listed, text)
        text = _SENT_TO_PEOPLE_LISTED.sub(self._sent_to_people_looked_up, text)
        text = _PEOPLE_LISTED.sub(self._people_listed, text)  # "look up users jdoe and mlee"
        text = _HANDLE_SAYS.sub(self._whose_said, text)
        text = _PUT_ON_A_THING.sub(self._put_on_as_assigned, text)
        text = _ASSIGN_IT_AFTER_A_STEP.sub(self._assigned_when_made, text)
        text, _ = correct_typos(text, self.words, self.catalogue_words)
        # "put it away": putaway
        text = phrasal_verbs_joined(text, self.specs.values(), self.reader.verbs)
        # "Process order": the steps an order takes, when the request names nothing else
        text = written_out_goal(text, self.specs.values())
        # "Hey, could you set up something that validates ...": the steps, not how asked
        text = _ASKED_FOR_A_FLOW.sub("", text, count=1) or text
        # "Refunds above 500 EUR require approval. charge ...": no refund, no gate
        text = _rules_of_things_not_done(text)
        # "charges over $1000 need sign-off from finance": any charge over it (the plural
        # noun was read as the verb "charges", a charge of its own)
        text = _THINGS_OVER_NEED.sub(_any_thing_over_needs, text)
        # "closing tasks in the Compliance project needs approval from the auditor. complete
        # task 12": a rule for the step said next, no step of its own (a task was created)
        text = _DOING_THINGS_NEEDS_APPROVAL.sub(
            lambda m: f"{m['lead']}{m['who']} must approve{m['end']} ", text
        )
        text = plain_verb_forms(text, self.reader.verbs, NOUN_VERBS)
        text = _OKAYED.sub(r"\g<lead>approve ", text)  # "finance has to OK it first"
        # "reset the password for raj@... and email him the link": what the step's own yes/no
        # input sends (`send_email`: "Email the reset link to the user"), no message of its own
        text = _SENT_THE_THING_MADE.sub(self._sent_by_the_steps_flag, text)
        # "suspend everyone in the Contractors group": each member a tool lists
        text = _EVERYONE_IN.sub(self._everyone_in, text)
        # "..., but ask my manager before", "ask the controller before voiding it", "check
        # with finance first": someone asked before a step is their approval
        # (", ask my manager before" with no "but": the same approval, joined as with "but")
        text = _ASK_SOMEONE_FIRST.sub(
            lambda m: f"{m['lead']}{'' if _BUT_OR_AND.search(m['lead']) else 'but '}"
            f"{m['who']} must approve it first{m['end']}",
            text,
        )
        text = _ASK_SOMEONE_BEFORE_DOING.sub(r"\g<lead>get approval from \g<who> before ", text)
        # "bikes B-1, B-2 and B-7 all have broken chains, log repair tickets for each"
        text = _CODES_REPORTED_THEN_EACH.sub(self._each_of_the_codes_reported, text, count=1)
        # "report this - the printer is jammed again": a ticket saying what is wrong
        text = _REPORT_THIS.sub(self._reported_as_a_record, text, count=1)
        # "any cancellation needs the supervisor's ok: cancel J-6 ...": the rule, then the
        # step it is for (the step after the colon was dropped)
        text = _APPROVAL_RULE_COLON.sub(self._approval_rule_stopped, text)
        # "... the manager must approve before it's created": before the step said, first
        text = _APPROVED_BEFORE_IT_IS_DONE.sub(r"\g<approve> first", text)
        # "tell the customer whether their shipment was created": the outcome of the step
        # before, a message of its own (not a question that plans the step again)
        text = _TOLD_WHETHER_DONE.sub(r"\g<lead>whether it worked", text)
        text = _IF_SOMEONE_APPROVES.sub(_approval_asked_first, text)
        text = _IF_STEP_OTHERWISE_APPROVED_THEN.sub(
            r"\g<lead>\g<verb> \g<what> if \g<cond>, otherwise \g<approval> first\g<end>", text
        )
        text = _APPROVES_ANYTHING_OVER.sub(_approval_rule_apart, text)
        text = _BUT_ANYTHING_OVER_NEEDS.sub(". ", text)
        text = _BUT_THOSE_OVER_NEED.sub(_those_over_apart, text)  # "but for orders over $X"
        text = _AND_FOR_THOSE_OVER_GET.sub(_those_over_get_apart, text)
        text = _BUT_APPROVED_FIRST.sub(_approval_first_apart, text)
        text = approval_before_its_step(text)  # said after the step it guards
        text = _OPENED_AT_URL.sub("fetch ", text)
        text = _DEADLINE_AFTER_A_COMMA.sub(self._deadline_of_the_step, text)
        text = _AMOUNT_LABELLED_AFTER_A_COMMA.sub(self._amount_of_the_step, text)
        text = _IF_THING_IS_A_STATE.sub(self._state_read_first, text)
        text = _PUT_UP_A_THING.sub(self._listed_thing_sent, text)
        text = _PLACES_LISTED.sub(_each_place_listed, text)
        # "file a damage report for booking RT55XY, tag UA009123": a value of the step
        text = _LABELLED_CODE_AFTER_A_COMMA.sub(self._labelled_code_kept, text)
        # "add uk vat to £200 and charge ... the total": the tax worked out on the amount
        text = _TAX_ADDED_TO_AN_AMOUNT.sub(r"\g<lead>calculate \g<what> on ", text)
        # "the sales tax in california vs oregon": one for each of the two states
        text, self.regions = two_regions_as_each(text)
        # "the VAT on €200 in DE and in FR": one for each of the countries
        text = countries_as_each(text)
        # "validate order Q-3, have a manager approve it, then ship it": the approval comes
        # after the step before it (it was read as approving that step, first)
        text = _APPROVAL_JOINED_AFTER.sub(_approval_then, text)
        # "with whatever category and priority come back": those the step before gave
        text = _WHATEVER_COMES_BACK.sub(r"the \g<what> it gets", text)
        # "cancel appointment APT-1, patient has the flu": why, said after the step
        text = _WHY_SAID_AFTER.sub(_why_said_after, text)
        text = _DONE_BY_SAID_AFTER.sub(_why_said_after_closing, text)
        # "report a pothole at 1400 Elm St, about 2 feet wide ...": how big, said last
        text = _SIZE_SAID_AFTER.sub(self._size_described, text)
        # "are these emails valid? a@x.com, b@x.com": a check of each listed after it
        text = _ARE_THESE_LISTED.sub(r"\g<lead>check these \g<things> are \g<state>: ", text)
        text = _ESCALATED_TO_A_RECORD.sub("open ", text)  # "escalate it to a P1 ticket"
        text = _MADE.sub(self._made_is_created, text)  # "make a ticket for billing"
        # "before opening a graffiti request at ... check for duplicates; if none, open it"
        text = _CHECKED_BEFORE_DOING.sub(self._checked_before_doing, text)
        # "create an estimate for V-2290 for brake pads, an oil change and wiper blades"
        text = _THINGS_LISTED_FOR_A_CODE.sub(self._things_listed_quoted, text)
        text = _TO_EVERY_ONE.sub(self._every_one_at_once, text)  # "email every ticket holder"
        text = _KEY_POINTS.sub(_summarized, text)  # "pull out the key points"
        # "Is kim@x.com a real address? If so, ...": the check the answer is of
        text = _YES_NO_QUESTION.sub(_whether_asked, text)
        text = _SENT_AGAIN.sub(r"\g<verb>\g<rest> again", text)  # "resend it": send it again
        # "open a ticket ...: subject '...', says the link expires": what the thing says
        text = _SAYS_AFTER_A_COMMA.sub(", saying ", text)
        # "refund ch_..., customer asked for it": the reason, as "requested by the customer"
        text = _ASKED_FOR_BY_SOMEONE.sub(r", as requested by the \g<who>", text)
        # "is task 1201112223334 done yet? email me the answer at ...": a look at the thing,
        # whose answer the next step sends (the question was read as a condition)
        text = _NUMBERED_THING_ASKED_THEN_SENT.sub(
            r"\g<lead>check whether \g<thing> \g<aux> \g<state>, then ", text
        )
        text = self._background_left_out(text)
        text = self._report_said_first(text)
        text = self._place_said_first(text)
        text = self._change_said_first(text)  # "the 8pm show for EV-4410 moved to 9pm. ..."
        text = self._values_said_first(text)
        text = _AFTER_IT_WENT_THROUGH.sub(r"\g<lead>\g<what>; if it goes through, ", text)
        text = _BARE_OBJECT_SENT.sub(r"\g<verb> the \g<what> to ", text)  # "email tracking to"
        # "email billing@x.io and tell them the customer is upset": what that email says
        text = _MESSAGED_AND_TOLD.sub(r"\g<sent> that ", text)
        text = _EACH_NOUN_LISTED.sub(self._each_noun_listed, text)  # "to each new hire: a, b"
        text = _ANYTHING_OVER_NEEDS_APPROVAL.sub("any amount ", text)  # not every step before
        text = _FOR_THOSE_OVER.sub(_if_it_is_over, text)  # "For orders over $1000, ..."
        text = _EACH_OF_THESE_NO_NOUN.sub(_these_values_named, text)  # "each of these: a, b"
        text = _EACH_BEFORE_AN_ARTICLE.sub("each one", text)  # "send each a welcome email"
        # "with Dr. Osei": no stop (a quote keeps its own: '"Dr. Patel was gentle"')
        text = outside_quotes(_TITLE_ABBREVIATION, r"\g<title> ", text)
        # "email the summary to x@y.io, subject Q3 update": the subject line's words, whole
        text = outside_quotes(_SUBJECT_UNQUOTED, r'\g<lead>"\g<value>"', text)
        text = _STREET_ABBREVIATION.sub(r"\g<street> ", text)  # "Hauptstr. 5": no stop
        # "how long is the drive from Denver to Boulder?": an estimate of the drive asked
        text = _HOW_LONG_IS_THE_TRIP.sub(r"\g<lead>estimate the \g<trip>", text)
        text = amounts_in_words_as_digits(text)  # "seventy five dollars": 75 dollars
        # "ask legal to review and approve the contract": the approval (reviewing is deciding)
        text = _REVIEW_AND_APPROVE.sub("", text)
        # "a flow that takes an order id and an amount, charges ...": what the run is given
        # is no step (an order was validated and a tax calculated for it)
        text = _TAKES_INPUTS.sub(lambda m: m["lead"] or "", text)
        # "if the total with tax is over $900": the total (its "tax" named the tax alone)
        text = _TOTAL_WITH_TAX.sub("total", text)
        # "ship it to the address given": the address the run is given, not "given"
        text = _THE_ONE_GIVEN.sub(r"the \g<thing>", text)
        text = quote_below_in_place(text)  # "summarise the feedback below ...: '...'"
        text = _DO_NOTHING_SAID.sub("do nothing", text)
        for said, found in _EXISTS:
            text = said.sub(found, text)
        text = _NOT_IF_OTHERWISE.sub(r"\g<lead>\g<other> unless \g<cond>", text)
        text = _NOT_IF.sub(r"\g<lead>\g<act> unless \g<cond>", text)
        text = _abbreviations_spelled_out(text)  # "any PO over 5,000": any purchase order
        text = self._names_beside_addresses(text)
        text = _EACH_IN_BRACKETS.sub(_each_in_brackets, text)
        # "for every email in this list: a@x, b@x": each of these emails
        text = _EACH_IN_A_LIST.sub(lambda m: f"{m['lead']}each of these {plural(m['noun'])}:", text)
        # "enrol these students in CHEM-210: a@x, b@x": each of them, one call each
        text = _THESE_LISTED.sub(
            lambda m: f"{m['lead']}each of these{'' if m.string[m.end() :][:1] == ':' else ' '}",
            text,
        )
        text = _NAMES_OF_THINGS_LISTED.sub(self._each_thing_named, text)
        text = _EACH_OF_QUOTES_LISTED.sub(self._each_of_quotes_listed, text)
        # ("for each of routes R-1, R-2, R-3 check ...": for each route in them)
        text = _EACH_OF_THINGS_CODED.sub(lambda m: f"for each {singular(m['noun'])} in ", text)
        text = _FOR_EACH_NOUN_IN_CODES.sub(_for_each_of_the_codes, text)
        text = _EACH_OF_NAMES_LISTED.sub(self._each_of_names_listed, text)
        text = _STEP_THEN_EACH_OF_THESE.sub(
            r"\g<start>For each of these \g<noun>: \g<list>, \g<step>", text
        )
        text = _EACH_OF_THESE_LISTED.sub(_each_listed_first, text)
        text = _EACH_OF_THESE_WORDS.sub(self._each_of_these_words, text)
        text = _EACH_OF_LISTED.sub(self._each_of_listed, text)
        text = _EACH_ONES_FIELD_SET.sub(self._each_ones_field_set, text)
        text = self._second_case_apart(text)
        text = _BEFORE_WE_DO_ANYTHING.sub(_done_later_anyway, text)
        text = _MADE_SURE_THEN_IF.sub("check ", text)
        text = _IF_SO.sub(self._if_it_passed, text)
        text = _IF_SO_THEN_A_VERB.sub(self._if_so_then_a_verb, text)
        text = _IF_IT_IS_THEN.sub(self._if_it_is_then, text)
        # "A tenant wrote: '...'. Classify it ...": what someone wrote, said first, is the
        # text the step after it works on ("it"), not a step nor a heading
        text = quote_said_first(text, self.reader.starts_with_verb)
        text = self._values_stated_apart(text)
        text = _AMOUNT_STATED_FIRST.sub(self._amount_stated_first, text, count=1)
        split = split_data_heading(text, self.reader.starts_with_verb)
        if split is not None:
            self.heading, text = split
            self._note_topic(self.heading)
        text = self._labelled_values_apart(text)
        text = _SPACED_DASH.sub(self._dash_between_steps, text)
        # "reconcile it and, when there are ..., ask ...": the condition starts a step
        text = re.sub(r"\band,\s+(?=(?:when|once)\b)", "; ", text, flags=re.I)
        # "check it and, whatever happens, email me": the next step runs either way
        text = _AND_EITHER_WAY.sub("; ", text)
        text = _WHAT_HAPPENED.sub(r"\g<lead>the result", text)
        # "send a welcome email to user 19": the user is looked up first
        text = _SENT_TO_SOMEONE_BY_CODE.sub(self._sent_to_someone_looked_up, text)
        text = _FIELD_OF_SOMEONE_BY_CODE.sub(self._field_of_someone_looked_up, text)
        # "email me the link to invoice in_..., ap@kitepay.com": "me" is that address
        text = _ME_AND_MY_ADDRESS.sub(r"\g<verb> \g<address> \g<what>", text)
        # "email the prices of AAPL and MSFT to me@x.io": each looked up, then sent
        text = _FIELDS_OF_SEVERAL_SENT.sub(self._fields_of_several_looked_up, text)
        # "route it: billing to billing@x.com, technical to a ticket, anything else to ..."
        text = _ROUTED_BY_A_LIST.sub(_routes_listed, text)
        # "welcome a@x, b@x and c@x, but skip invalid addresses": validate each first
        text = _LISTED_BUT_SKIP_INVALID.sub(_validated_first, text)
        # "flag it by opening a ticket": the step is the means
        text = _BY_DOING.sub(self._done_by, text)
        # "get manager approval for charging order 5 $300": approval, then the charge
        text = _APPROVAL_FOR_DOING.sub(r"\g<approval> before ", text)
        # "a manager must approve the $5000 charge for order 9", "... approve charging order
        # 9 $5000": the approval, then that step (it was an approval of nothing)
        text = _APPROVE_THE_DOING.sub(_approve_before_doing, text)
        text = _APPROVE_DOING.sub(self._approve_before_doing_it, text)
        # "charge it if the subtotal is below 1000; above that, a manager approves first"
        # (one sentence with the case it is the other of)
        text = _BEYOND_THAT.sub("; otherwise, ", text)
        # "... charge it if it is under 500. Otherwise, finance approves it first.": the other
        # case of that condition, in its sentence
        text = _OTHERWISE_APART.sub(r"\g<before>; otherwise", text)
        text = _AFTER_NOUN.sub(self._after_doing, text)
        text = _ON_EVENT.sub(self._without_event, text)
        # "create a lead - name: Ann Ito, email: ann@ito.jp", "with name Ann Ito and email
        # ann@ito.jp": a person's address, labelled, is a value (an email was sent to it)
        text = _NAME_LABELLED.sub("name ", text)
        text = _EMAIL_LABELLED.sub(lambda m: f"{m['name'] or ''}email address ", text)
        text = _LABELLED_TEXT.sub(self._labelled_text, text)
        text = _LABELLED_VALUES.sub(self._labelled_value, text)
        text = _ASSIGNED_TO_SOMEONE.sub(self._assignee_set, text)
        text = _MOVED_TO_A_VALUE.sub(self._set_to_a_value, text)
        # "get the USD to EUR and USD to GBP rates": one lookup of each pair
        text = _PAIRS_LISTED.sub(_each_pair_looked_up, text)
        text = pairs_sent(text)  # "post the EUR to USD and GBP to USD rates"
        text = _ROUTED_TO_A_VALUE.sub(self._routed_to_a_value, text)
        text = _AN_ID_SAID_OTHERWISE.sub(self._id_said_otherwise, text)
        # ("Before shipping it to 9 Oak Lane, Austin, TX 78701, get approval": the commas of
        # a street address part no steps)
        text = STREET_ADDRESS.sub(lambda m: commas_masked(m.group(0)), text)
        clauses = self.reader.read(mask_quotes(stops_after_quotes(text)))
        clauses = nested_conditions_joined([unmasked(clause) for clause in clauses])
        return guard_after_assertions(clauses)

    def _dash_between_steps(self, match: re.Match[str]) -> str:
        """ "validate the email — if it's valid, send a welcome email": a dash between
        two steps (or a step and its condition) parts them as a semicolon does."""
        rest = match.string[match.end() :]
        if _CONDITION_LEAD.match(rest) or self.reader.starts_with_verb(rest):
            return "; "
        if _TURNED_AWAY_LEAD.match(rest):
            return "; "  # "check signup dan@x.com — reject it if it's a throwaway address"
        return match.group(0)

    def _if_it_passed(self, match: re.Match[str]) -> str:
        """ "make sure it works and if it does, welcome them", "if they do, ...": the check
        before it passed (said as "if it passes", which reads the check's verdict)."""
        rest = match.string[match.end() :]
        if not match.group("comma") and not self.reader.starts_with_verb(rest):
            return match.group(0)  # "if it does contain ...": not the check's verdict
        return "if it passes, "

    def _everyone_in(self, match: re.Match[str]) -> str:
        """ "suspend everyone in the Contractors group": each member of it, when a tool that
        changes nothing lists the members of such a thing (a list output named `members`) (one
        user, asked of the run, was suspended)."""
        kind = match["kind"].lower()
        listing = [
            spec
            for spec in self.specs.values()
            if not acts(spec)
            and kind in split_identifier(spec.id)
            and any(
                split_identifier(name)[-1:] == ["members"]
                and schema_types(unwrap_nullable(schema or {})) == {"array"}
                for name, schema in spec.output_properties().items()
            )
        ]
        if len(listing) != 1:
            return match.group(0)
        return f"each member of the {match['name']} {match['kind']}"

    def _sent_by_the_steps_flag(self, match: re.Match[str]) -> str:
        """ "... and email him the link": when one tool the sentence names by its own words
        has a yes/no input named for sending (`send_email`) whose description says it sends
        that thing ("Email the reset link to the user"), the message is that input said
        ("with email sending him the link"), not a step of its own."""
        before = re.split(r"[.;!?]\s+", match.string[: match.start()])[-1]
        said = {stem(w) for w in re.findall(r"[a-z]+", before.lower())}
        thing = match["thing"].split()[-1].lower()
        found = []
        for spec in self.specs.values():
            own = [w for w in split_identifier(spec.id) if stem(w) in said and len(w) > 3]
            if not own or not acts(spec):
                continue
            for name, schema in spec.input_properties().items():
                words = split_identifier(name)
                description = str(unwrap_nullable(schema or {}).get("description", "")).lower()
                if (
                    len(words) == 2
                    and words[0] in _SENDING_FLAG_VERBS
                    and schema_types(unwrap_nullable(schema or {})) == {"boolean"}
                    and re.search(rf"\b{re.escape(thing)}\b", description)
                ):
                    found.append(words)
        if len(found) != 1:
            return match.group(0)
        verb, noun = found[0]
        return f" with {noun} {verb.rstrip('e')}ing {match['whom']} the {match['thing']}"

    def _if_so_then_a_verb(self, match: re.Match[str]) -> str:
        """ "...; if so unsuspend him": "if so" with no comma, then a step's verb, is "if
        so, <step>" (the words after it were read as the condition)."""
        if not self.reader.starts_with_verb(match.string[match.end() :]):
            return match.group(0)
        if match.string[: match.start()].rstrip().endswith("?"):
            return match.group(0)  # ("Is truck TRK-14 available? If so assign it": asked)
        return f"{match.group(0).rstrip()}, "

    def _if_it_is_then(self, match: re.Match[str]) -> str:
        """ "check order 5521 is valid, and if it is charge $75.50 to it": "if it is" with
        no comma, then a step's verb, is the check passing ("if it is, ..." with a comma
        is read where the question was asked)."""
        rest = match.string[match.end() :]
        if not self.reader.starts_with_verb(rest):
            return match.group(0)  # "if it is urgent"
        return "if it passes, "

    def _each_of_listed(self, match: re.Match[str]) -> str:
        """ "check each of api, web and db": the values listed, one call each. "For each of
        api, web and db, check its health and restart it": a loop over them, by what they
        are (services, emails, links), whose items are the values written."""
        listed = match.group("list")
        if match.group("lead") is None:
            return listed
        items = [v for v in re.split(r"\s*,\s*(?:and\s+|&\s+)?|\s+(?:and|&)\s+", listed) if v]
        if all(EMAIL_ADDRESS.fullmatch(v) for v in items):
            noun = "email"
        elif all(_URL_LITERAL.fullmatch(v) for v in items):
            noun = "link"
        elif (kind := self._kind_of_prefixed_ids(items)) is not None:
            noun = kind  # "cus_A1, cus_B2": customers, as `customer_id` shows "cus_N8xQ2"
        elif (kind := self._kind_of_numbers(items)) is not None:
            noun = kind  # "tickets 101, 102 and 103": tickets, by their numbers
            self.listed_items[noun] = [int(item) for item in dict.fromkeys(items)]
            return f"{match.group('lead')}each {noun}"
        elif all(re.fullmatch(r"#?(?:[A-Za-z]+[-_]?)?\d[\w-]*", v) for v in items):
            noun = "one"  # "BP-301, BP-302": records by their codes, no service's name
        elif all(_a_handle(v, self.words) for v in items) and any(
            _takes_a_user(spec) for spec in self.specs.values()
        ):
            noun = "user"  # "jdoe, mlee and tcho": sign-in names, for a tool that finds users
        elif any(takes_a_service(spec.input_properties()) for spec in self.specs.values()):
            noun = "service"
        else:
            noun = "one"
        self.listed_items[noun] = list(dict.fromkeys(items))
        if noun == "email" and all(item in self.listed_names for item in items):
            # each address with the name written before it: a person with both
            self.listed_items[noun] = [
                {"name": self.listed_names[item], "email": item} for item in dict.fromkeys(items)
            ]
        return f"{match.group('lead')}each {noun}"

    def _each_ones_field_set(self, match: re.Match[str]) -> str:
        """ "for each ticket, set priority to low": the field is each one's ("set its
        priority"), when a tool takes that field beside the thing's id (a ticket was
        opened for each, with the priority low)."""
        field, noun = match["field"].lower(), match["noun"].lower()
        if not any(
            field in spec.input_properties() and f"{noun}_id" in spec.input_properties()
            for spec in self.specs.values()
        ):
            return match[0]
        return f"{match['lead']}{match['verb']} its {match['field']} to "

    def _kind_of_numbers(self, items: Sequence[str]) -> str | None:
        """The thing plain numbers listed are when the request writes its plural before them
        ("for each of tickets 101, 102 and 103") and a tool takes it by a whole-number id
        (`ticket_id`): the loop goes over those numbers as the tickets' ids."""
        if not all(item.isdigit() for item in items):
            return None
        said = re.search(rf"\b([a-z]+)s\s+#?{re.escape(items[0])}\b", self.request, re.I)
        if said is None:
            return None
        noun = said[1].lower()
        takes = any(
            name == f"{noun}_id" and schema_types(unwrap_nullable(schema)) == {"integer"}
            for spec in self.specs.values()
            for name, schema in spec.input_properties().items()
        )
        return noun if takes else None

    def _kind_of_prefixed_ids(self, items: Sequence[str]) -> str | None:
        """The one kind of thing ids written with one prefix are ("cus_A1, cus_B2":
        customer), by the id inputs whose description shows that prefix or whose noun it
        abbreviates (`customer_id`: "Customer id, e.g. cus_N8xQ2")."""
        found = [_PREFIXED_ID.fullmatch(item) for item in items]
        prefixes = {match["prefix"] for match in found if match is not None}
        if None in found or len(prefixes) != 1:
            return None
        nouns = {
            noun
            for spec in self.specs.values()
            for name, schema in spec.input_properties().items()
            if (noun := _id_noun_of_prefix(name, schema, prefixes)) is not None
        }
        return nouns.pop() if len(nouns) == 1 else None

    def _each_thing_named(self, match: re.Match[str]) -> str:
        """ "break task 1209 into subtasks: draft outline, get quotes, book venue", "add
        subtasks to task 1209: ...": the names listed after the colon are the things a tool
        that makes one (`asana_subtask_add`) makes, one each under the thing said (they were
        read as steps: "get quotes", "book venue")."""
        noun = singular((match["noun"] or match["noun2"]).lower())
        names = [n.strip() for n in re.split(r"\s*,\s*(?:and\s+)?|\s+and\s+", match["list"])]
        makers = [
            spec
            for spec in self.specs.values()
            if acts(spec) and noun in split_identifier(spec.id)
        ]
        if len(makers) != 1 or len(names) < 2 or not all(names):
            return match.group(0)
        self.listed_items[noun] = names
        where = match["where"] or match["where2"]
        return f"add a {noun} {match['prep'] or 'to'} {where} for each {noun}{match['end']}"

    def _each_of_quotes_listed(self, match: re.Match[str]) -> str:
        """ "run sentiment on each of these reviews: 'love it', 'too salty'": each quoted
        text is an item of the loop over the noun (the quotes were read as one text)."""
        noun = singular(match["noun"].lower())
        self.listed_items[noun] = [said for said in quoted_texts(match["list"]) if said]
        return f"each {noun}"

    def _each_of_the_codes_reported(self, match: re.Match[str]) -> str:
        """ "bikes B-101, B-102 and B-107 all have broken chains, log repair tickets for
        each, high severity" -> "For each of B-101, B-102 and B-107, log repair tickets,
        high severity": the codes are the loop's items, and what they all have is the
        report the records say (one bike was ticketed, its issue asked of the run)."""
        items = [v for v in re.split(r"\s*,\s*(?:and\s+)?|\s+and\s+", match["list"]) if v]
        first = match["rest"].split(maxsplit=1)[0].lower() if match["rest"].split() else ""
        if len(items) < 2 or not (self._asks_a_step(match["rest"]) or first in COMMON_VERBS):
            return match[0]
        said = f"{match['noun']} {match['list']} {match['state']}".strip()
        self.heading = f"{self.heading}, {said}" if self.heading else said
        self.reported_first = True
        listed = f"{', '.join(items[:-1])} and {items[-1]}"
        # ("log repair tickets": a ticket for each)
        rest = re.sub(
            r"^(?P<verb>[a-z]+)\s+(?P<object>(?:[a-z]+\s+)?[a-z]+s)\b",
            lambda m: f"{m['verb']} a {m['object'][: -len(m['object'].split()[-1])]}"
            f"{singular(m['object'].split()[-1])}",
            match["rest"],
            count=1,
        )
        return f"For each of {listed}, {rest}{match['tail']}"

    def _each_of_names_listed(self, match: re.Match[str]) -> str:
        """ "check these names for conflicts: Dover Logistics, Mina Farouk, Castle Rock
        LLC": each name written whole is an item of a loop over the noun (one check was
        planned, its name asked of the run)."""
        noun = singular(match["noun"].lower())
        names = [n.strip() for n in _NAME_IN_A_LIST.findall(match["list"])]
        if len(names) < 2:
            return match[0]
        self.listed_items[noun] = list(dict.fromkeys(names))
        return f"each {noun}{match['between']}{match['end']}"

    def _named_by_another_step(self, clause: Clause, owner: str) -> bool:
        """Whether another step names `owner` with their address ("otherwise send Sam a
        welcome email at sam@x.com"): the person is that step's, not this one's."""
        if re.search(rf"\b{re.escape(owner)}\b", clause.action or ""):
            return False
        return any(
            other is not clause
            and re.search(rf"\b{re.escape(owner)}\b", other.action)
            and EMAIL_ADDRESS.search(other.action)
            for other in self.clauses
        )

    def _each_noun_listed(self, match: re.Match[str]) -> str:
        """ "to each new hire: a, b" -> "to each of these new hires: a, b"; but "For each
        new order: validate it, check the stock, ..." lists steps, not values."""
        if self.reader.starts_with_verb(match.string[match.end() :]):
            return match[0]
        return f"each of these {match['noun']}s: "

    def _done_by(self, match: re.Match[str]) -> str:
        """ "flag it by opening a ticket" -> "open a ticket": what is done is the means,
        when the means is a verb a step starts with."""
        for base in gerund_bases(match["gerund"].lower()):
            rest = f"{base} {match['rest']}"
            if self.reader.starts_with_verb(rest):
                return f"{match['lead']}{rest}"
        return match[0]

    def _reads_records_of(self, noun: str) -> bool:
        """Whether a tool that changes nothing reads `noun`s by their id (`lookup_user`)."""
        return any(
            not acts(spec)
            and noun in split_identifier(spec.id)
            and any(split_identifier(name)[-1:] == ["id"] for name in spec.input_properties())
            for spec in self.specs.values()
        )

    def _sent_to_someone_looked_up(self, match: re.Match[str]) -> str:
        """ "Send a welcome email to user 19" -> "Look up user 19 and send them a welcome
        email": their address and name are in their record (when a tool reads it)."""
        noun = match["noun"].lower()
        if not self._reads_records_of(noun):
            return match[0]
        return f"{match['lead']}Look up {noun} {match['code']} and {match['step']} them"

    def _field_of_someone_looked_up(self, match: re.Match[str]) -> str:
        """ "Check whether user 19's email is disposable" -> "Look up user 19 and check
        whether their email is disposable"."""
        noun = (match["noun"] or match["noun2"]).lower()
        if not self._reads_records_of(noun):
            return match[0]
        code, owned = match["code"] or match["code2"], match["owned"] or match["owned2"]
        return f"{match['lead']}Look up {noun} {code} and {match['verb']} their {owned}"

    def _fields_of_several_looked_up(self, match: re.Match[str]) -> str:
        """ "email the prices of AAPL and MSFT to me@x.io" -> "get the prices of AAPL and
        MSFT and email the results to me@x.io", when a tool that changes nothing returns
        the thing named (`get_stock_price`: `price`); the body was asked of the run."""
        what = stem(singular(match["what"].lower()))
        if not any(
            not acts(spec)
            and any(what in map(stem, split_identifier(name)) for name in spec.output_properties())
            for spec in self.specs.values()
        ):
            return match[0]
        sent_to = f" {match['to'].strip()}" if match["to"] else ""
        return (
            f"{match['lead']}get the {match['what']} of {match['list']} and "
            f"{match['verb']}{sent_to} the results"
        )

    def _names_another_step(self, clause: Clause) -> bool:
        """Whether a name said in the clause's sentence is said by another of its steps
        ("..., otherwise send Sam a welcome email": Sam is not the first step's)."""
        return any(
            other is not clause and other.text == clause.text and _NAMED.search(other.action)
            for other in self.clauses
        )

    def _names_beside_addresses(self, text: str) -> str:
        """ "each of these new hires: Priya priya@corp.com, Tom tom@corp.com": a list of
        people, each a name and an address; the list goes on as the addresses, and the name
        of each is kept for the loop's items (`{"name": "Priya", "email": ...}`)."""
        found = list(_NAME_BESIDE_ADDRESS.finditer(text))
        if len(found) < 2:
            return text
        for match in found:
            self.listed_names[match.group("email")] = match.group("name")
        return _NAME_BESIDE_ADDRESS.sub(r"\g<lead>\g<email>", text)

    def _set_to_a_value(self, match: re.Match[str]) -> str:
        """ "move her deal to won": an update of the deal to a value an updating tool takes
        (a stage, a status), whatever verb says it."""
        value, rest = match.group("value"), match.group("second") or ""
        if rest and f"{value}_{rest.strip()}".lower() in self.settable_values:
            value, rest = f"{value}_{rest.strip()}", ""  # "under review": under_review
        if value.lower() not in self.settable_values:
            return match.group(0)
        what = match.group("what")
        if match.group("noun") is not None:
            what = f"the {what}"  # "update the deal D-42": the id of the thing it names
        if what.lower() == "them":
            what = "it"  # ("move them to under review" for each: each one, no record "them")
        return f"{match.group('lead')}{self._verb_that_sets(value)} {what} to {value}{rest}"

    def _assignee_set(self, match: re.Match[str]) -> str:
        """ "assign it to lee@lumen.io", "assign ticket 4821 to lee@...": a change of the
        thing's assignee, when a tool takes one (`assignee_email`) and none assigns by its
        own name ("assign" matched no tool, or a ticket was opened for the address)."""
        if any("assign" in split_identifier(spec.id) for spec in self.specs.values()) or not any(
            {"assignee", "owner"} & set(split_identifier(name))
            for spec in self.specs.values()
            for name in spec.input_properties()
        ):
            return match[0]
        what = match["what"]
        if what.lower() in ("it", "them"):
            return f"set its assignee to {match['who']}"
        return f"change the assignee of {what} to {match['who']}"

    def _verb_that_sets(self, value: str) -> str:
        """The verb of the tool that takes `value` ("change" of `tel_plan_change` for
        "unlimited"), else "update"."""
        for spec in self.specs.values():
            words = split_identifier(spec.id)
            verbs = [w for w in words if w in ("update", "set", "change", "edit", "modify")]
            listed = {
                str(v).lower()
                for schema in spec.input_properties().values()
                for v in unwrap_nullable(schema).get("enum") or ()
            }
            if verbs and value.lower() in listed:
                return verbs[0]
        return "update"

    def _id_said_otherwise(self, match: re.Match[str]) -> str:
        """ "email the tracking link", "the ticket number": an output that names a thing by
        its code (`tracking_number`, `ticket_id`), said with another word for a code (the
        message was asked of the run)."""
        thing, said = match.group("thing").lower(), match.group("said").lower()
        fields = [
            name
            for spec in self.specs.values()
            for name in (spec.output_schema.get("properties") or {})
            if isinstance(spec.output_schema, dict)
        ]
        if f"{thing}_{said}" in fields:
            return match.group(0)
        if said in ("link", "url") and any(
            split_identifier(name)[-1:] in (["url"], ["link"])
            for spec in self.specs.values()
            if thing in split_identifier(spec.id)
            for name in spec.output_properties()
        ):
            return match.group(0)  # ("the invoice link": the invoice tool's `url`, no id)
        named = [f for f in fields if f.split("_")[:1] == [thing] and f.count("_") == 1]
        ids = sorted({f for f in named if f.split("_")[1] in _ID_WORDS})
        if len(ids) != 1:
            return match.group(0)
        return ids[0].replace("_", " ")

    def _approve_before_doing_it(self, match: re.Match[str]) -> str:
        """ "approve charging order 9 $5000": the approval before the charge."""
        bases = [b for b in gerund_bases(match["doing"]) if self.reader.starts_with_verb(b)]
        if not bases:
            return match.group(0)
        return f"{match['verb']} before we {bases[-1] if len(bases) > 1 else bases[0]} "

    def _routed_to_a_value(self, match: re.Match[str]) -> str:
        """ "open a ticket and route it to billing": the queue the ticket is opened in, a
        value of a tool's category (queue, team) input, not a step (a card was charged for
        "billing")."""
        value = match.group("value").lower()
        if not _CREATED_BEFORE.search(match.string[: match.start()]):
            return match.group(0)  # ("classify it; if billing, assign it to billing": no
            # ticket is opened here to open in that queue)
        for spec in self.specs.values():
            for name, schema in spec.input_properties().items():
                values = unwrap_nullable(schema).get("enum")
                if name in _ROUTING_INPUTS and isinstance(values, list) and value in values:
                    return f", with {name.replace('_', ' ')} {value}"
        return match.group(0)

    def _labelled_value(self, match: re.Match[str]) -> str:
        """ "Create a ticket. Priority: high. Category: billing.": a value for an input of
        a tool, said on its own after the step -> "... with priority high, category billing"."""
        field = "_".join(match.group("field").lower().split())
        if not any(field in spec.input_properties() for spec in self.specs.values()):
            return match.group(0)
        lead = ", with " if match.group("lead") == "." else ", "
        return f"{lead}{field.replace('_', ' ')} {match.group('value').strip()}"

    def _whose_said(self, match: re.Match[str]) -> str:
        """ "jsmith says she can't log in. check her account ...", "jsmith: check her
        account": who the steps are about, by a sign-in name; "her account" is theirs (the
        sentence was read as a step no tool does, the heading as a user to look up)."""
        who = match.group("who")
        if not _a_handle(who, self.words) or not any(
            _takes_a_handle(spec) for spec in self.specs.values()
        ):
            return match.group(0)
        rest = match.group("rest")
        owned = _OWNED_BY_THEM.search(rest)
        if owned is None:
            return match.group(0)
        return f"{rest[: owned.start()]}{who}'s {owned.group('thing')}{rest[owned.end() :]}"

    def _values_stated_apart(self, text: str) -> str:
        """ "A new client just signed up, her name is Priya Shah and her email is
        priya@x.com. Can you validate the address first? ...": a sentence that only says
        someone's name, address or phone is no step (the welcome email was sent from it,
        whatever the check found); its values are what the steps are about, as a heading's."""
        if self.heading:
            return text
        for match in _VALUES_STATED.finditer(text):
            sentence = match.group("sentence")
            if (
                self.reader.starts_with_verb(sentence.strip())
                or _ASKS_IN_IT.search(sentence)
                or not _VALUES_ONLY.fullmatch(sentence.strip())
            ):
                continue  # ("her email is x@y.com so send her ...": a step is said in it)
            values = [
                *(m.group("name") for m in _NAME_STATED.finditer(sentence)),
                *(a.rstrip(".") for a in EMAIL_ADDRESS.findall(sentence)),
            ]
            if not values:
                continue
            self.heading = f"Person: {', '.join(dict.fromkeys(values))}"
            self._note_topic(self.heading)
            return f"{text[: match.start('sentence')]}{text[match.end('sentence') :]}".strip()
        return text

    def _heading_amount(self, properties: dict[str, Any], taken: dict[str, str]) -> dict[str, str]:
        """The amount the heading labels ("Order ORD-77, amount $1,250"), for the first step
        that takes one: a later step reads what the steps before it made of it ("calculate
        the tax, then charge the total")."""
        found = amount_labelled(properties, self.heading, taken)
        written = {
            literal
            for node in self.nodes
            for literal in (node.get("inputs") or {}).values()
            if isinstance(literal, str)
        }
        return {} if set(found.values()) & written else found

    def _reported_as_a_record(self, match: re.Match[str]) -> str:
        """ "report this - the printer on floor 3 is jammed again, my email is mo@x.io":
        "report" is no tool's word, and what is wrong, after a dash, a colon or "that", is
        the text of the one record a tool opens for a problem (a ticket, an incident, an
        issue: the noun of its id), with whose address it is for (it was refused)."""
        nouns = [
            noun
            for spec in self.specs.values()
            if acts(spec) and not _REPORT_WORD.search(f"{spec.id} {spec.description}")
            for noun in split_identifier(spec.id)
            if noun in _RECORDS_OF_A_PROBLEM
        ]
        if len(set(nouns)) != 1:
            return match[0]
        what = match["what"].strip().rstrip(".")
        who = _SAID_WHO_IT_IS_FOR.search(what)
        address = ""
        if who is not None:
            what, address = what[: who.start()].strip(), f" for {who['address']}"
        if not what:
            return match[0]
        quoted = what.replace('"', "'")
        return f'open a {nouns[0]}{address} saying "{quoted}"{match["end"]}'

    def _approval_rule_stopped(self, match: re.Match[str]) -> str:
        """ "any job cancellation needs the dispatch supervisor's ok: cancel J-6612": a
        sentence saying who must approve, then a colon and a step, is two sentences."""
        if not self.reader.starts_with_verb(match["rest"]):
            return match[0]
        return f"{match['rule']}. {match['rest']}"

    def _listed_thing_sent(self, match: re.Match[str]) -> str:
        """ "put a door notice on 5E about ...": a light verb (put, tape, stick, hang, leave)
        before a thing a tool lists as a way it sends (`channel: door_notice`) is sending
        that thing (refused as no tool doing "put")."""
        thing = "_".join(match["thing"].lower().split())
        listed = any(
            thing in {str(v).lower() for v in unwrap_nullable(schema).get("enum") or ()}
            for spec in self.specs.values()
            for schema in spec.input_properties().values()
            if isinstance(schema, dict)
        )
        if not listed:
            return match[0]
        return f"{match['lead']}send {match['article']} {match['thing']} to "

    def _state_read_first(self, match: re.Match[str]) -> str:
        """ "if job J-9090 is delivered, email ...": a condition said first of a thing by its
        code, whose state is a value one tool that only looks lists among its outputs
        (`courier_job_status`: status delivered) and whose id names the thing, is that tool
        read first ("check job J-9090, and if it is delivered, ..."); a job was created."""
        noun, state = stem(match["noun"].lower()), match["state"].lower()
        readers = [
            spec
            for spec in self.specs.values()
            if not acts(spec)
            and noun in {stem(w) for w in split_identifier(spec.id)}
            and state in output_values(spec.output_schema)
        ]
        if len(readers) != 1:
            return match[0]
        # ("if order CO-4410 is confirmed": "look up" when that is how the reader says what it
        # does; "check order ..." was an order validated)
        verb = "look up" if re.match(r"\s*look\s+up\b", readers[0].description, re.I) else "check"
        said = f"{verb} {match['noun']} {match['code']}, and {match['word']} it {match['be']} "
        return f"{match['lead']}{said}{match['state']}{match['end']}"

    def _amount_of_the_step(self, match: re.Match[str]) -> str:
        """ "create a treatment plan for DP-1 with a crown, estimate $2,850": the name of a
        tool's number input and an amount, after a comma, are that input's value in the
        step before, no step of their own (refused as a step "estimate")."""
        start = max(match.string.rfind(stop, 0, match.start()) for stop in ".;!?\n") + 1
        end = min(
            (i for i in (match.string.find(stop, match.end()) for stop in ".;!?\n") if i >= 0),
            default=len(match.string),
        )
        if self._labelled_values_only(match.string[start:end].strip()):
            return match[0]  # ("Order ORD-77, amount $1,250.": values, no step)
        label = stem(match["label"].lower())
        for spec in self.specs.values():
            for name, schema in spec.input_properties().items():
                words = split_identifier(name)
                if (
                    len(words) == 1
                    and stem(words[0]) == label
                    and schema_types(unwrap_nullable(schema)) & {"number", "integer"}
                ):
                    return f" with {match['label']} "
        return match[0]

    def _deadline_of_the_step(self, match: re.Match[str]) -> str:
        """ "create a delivery from A to B, small package, deliver by 2027-01-12T15:00": a
        verb and "by" a moment, after a comma, that name a tool's input (`deliver_by`) are
        that input's value in the step before, no step of their own (a shipment was
        made)."""
        verb = stem(match["verb"].lower())
        for spec in self.specs.values():
            for name in spec.input_properties():
                words = split_identifier(name)
                if len(words) == 2 and words[1] == "by" and stem(words[0]) == verb:
                    return f" {match['verb']} by "
        return match[0]

    def _labelled_values_apart(self, text: str) -> str:
        """ "Every order over $1000 must be approved by finance before we charge the card.
        Order ORD-77, amount $1,250.": a sentence of labelled values only is no step (the
        order was validated and taxed); its values are what the steps work on, as a
        heading's."""
        sentences = list(_SENTENCE.finditer(text))
        if len(sentences) < 2:
            return text
        for at, match in enumerate(sentences):
            sentence = match.group("sentence").strip()
            arrived = at == 0 and _A_NEW_THING_SAID.match(sentence) is not None
            if not (arrived or self._labelled_values_only(sentence.rstrip(".!"))):
                continue
            said = sentence.rstrip(".!")
            self.heading = f"{self.heading}, {said}" if self.heading else said
            self._note_topic(said)
            return f"{text[: match.start('sentence')]}{text[match.end('sentence') :]}".strip()
        return text

    def _labelled_values_only(self, sentence: str) -> bool:
        """ "Order ORD-77, amount $1,250": every part a label and its value, the first label
        no verb ("Refund ORD-77, amount $20" is a step), unless it is a thing the catalogue
        knows by an id and its value a code ("Order ORD-77")."""
        parts = [_LABELLED_VALUE.fullmatch(part) for part in _VALUE_PARTS.split(sentence)]
        if not all(parts) or (len(parts) == 1 and parts[0] and parts[0].group("code") is None):
            return False  # ("Email oncall@x.com.": a step)
        for at, part in enumerate(parts):
            assert part is not None
            label = part.group("label")
            if at and label.lower() in _ADDRESS_LABELS and EMAIL_ADDRESS.search(part.group(0)):
                continue  # ("name Kofi Mensah, email kofi@x.gh": the person's address)
            if not self.reader.starts_with_verb(part.group(0)):
                continue
            if at or label.lower() not in self.id_nouns or part.group("code") is None:
                return False
        return True

    def _amount_stated_first(self, match: re.Match[str]) -> str:
        """ "Trip package TP-404 costs $8,900. anything above 5k needs the branch manager to
        approve before we charge it": a sentence stating what a thing by its code costs is
        no step; the step that does something to "it" after it does it to that thing, for
        that amount (refused as a step "trip")."""
        rest = match["rest"]
        for it in re.finditer(r"\b(?P<verb>[a-z]+)\s+(?:it|that|this)\b", rest):
            # ("before we invoice it": after "we" a word that is a noun too is the doing)
            done_by_us = re.search(r"\b(?:we|i|to)\s+$", rest[: it.start()], re.I) is not None
            if it["verb"].lower() in STOP_WORDS or not (
                self.reader.starts_with_verb(it[0]) or done_by_us
            ):
                continue
            # ("surgery estimate for P-6601 is $1,850": the surgery; an estimate is its price)
            thing = _PRICE_LABELS.sub("", match["thing"]).strip()
            said = f"{thing} {match['amount']}"
            return f"{match['lead']}{rest[: it.start()]}{it['verb']} {said}{rest[it.end() :]}"
        first = re.match(r"[^,;]+", rest)
        if first is not None and self.reader.starts_with_verb(rest) and not _MONEY.search(first[0]):
            # ("..., add tax for Texas": the step works on that amount, said after it)
            return f"{match['lead']}{first[0]} on {match['amount']}{rest[first.end() :]}"
        return match[0]

    def _the_quote_made(self, text: str) -> str:
        """ "price the vegan lunch menu for 45 and email the quote to ...": after a step a tool
        that prices does ("Price a menu ..."), "the quote" or "the estimate" sent is that
        price, not a document to make (which no tool makes)."""
        priced = _PRICED_THEN_SENT.search(text)
        if priced is None or not any(
            _PRICES_A.match(spec.description) and not acts(spec) for spec in self.specs.values()
        ):
            return text
        return text[: priced.start("what")] + "price" + text[priced.end("what") :]

    def _one_for_each_assignee(self, match: re.Match[str]) -> str:
        """ "create tasks for ann, bob and cy to review the Q4 budget": people listed for a
        thing a tool that takes an assignee makes are one thing each, assigned to each (the
        last name was read as a step, "cy to review ...")."""
        names = _names_listed(match["list"])
        makers = [
            spec
            for spec in self.specs.values()
            if acts(spec)
            and _takes_an_assignee(spec)
            and stem(singular(match["noun"].lower()))
            in {stem(w) for w in split_identifier(spec.id) + split_identifier(spec.description)}
        ]
        if len(names) < 2 or not makers or any(n.lower() in STOP_WORDS for n in names):
            return match.group(0)
        self.listed_items["assignee"] = names
        return f"{match['verb']} a {singular(match['noun'].lower())} for each assignee"

    def _handles_listed(self, match: re.Match[str]) -> str:
        """ "give figma seats to alee, bnguyen and cortiz": sign-in names listed for a tool
        that takes one are one call each ("to each of these users: ..."); one seat was
        given to a name the run was asked for."""
        names = _names_listed(match.group("list"))
        if not any(_takes_a_handle(spec) for spec in self.specs.values()) or not all(
            _a_handle(name, self.words) for name in names
        ):
            return match.group(0)
        return f"{match.group('prep')} each of these users: {match.group('list')}"

    def _people_listed(self, match: re.Match[str]) -> str:
        """ "look up users jdoe, mlee and tcho and welcome each": sign-in names after the
        noun of the people they are, one call each (one lookup of a name asked of the run
        was planned); the step said after the list starts a sentence of its own."""
        names = _names_listed(match["list"])
        if not all(_a_handle(name, self.words) for name in names):
            return match.group(0)
        end = ". " if match["next"] else ""
        return f"each of these {match['noun']}: {match['list']}{end}"

    def _sent_to_people_looked_up(self, match: re.Match[str]) -> str:
        """ "Send a welcome email to users jdoe, mlee and tcho" -> "Look up each of these
        users: jdoe, mlee, tcho. Send a welcome email to each one": each one's address and
        name are in their record (their sign-in names or codes went into the address)."""
        noun = singular(match["noun"].lower())
        names = _names_listed(match["list"])
        if not self._reads_records_of(noun) or not all(
            _a_handle(name, self.words) or re.fullmatch(_PERSON_CODE_ALONE, name)
            for name in names
        ):
            return match[0]
        return (
            f"{match['lead']}Look up each of these {noun}s: {', '.join(names)}. "
            f"{match['step'][:1].upper()}{match['step'][1:]} to each one"
        )

    def _checked_before_doing(self, match: re.Match[str]) -> str:
        """ "before opening a graffiti request at 220 Oak Ave check for duplicates nearby;
        if there are none, open it": the check is of the thing the step said after "before"
        is for, when the request does that step later ("open it"); the thing was a step's
        words, so no step came before the condition."""
        bases = gerund_bases(match["gerund"].lower())
        later = match.string[match.end() :]
        if not any(
            re.search(rf"\b{re.escape(base)}\s+(?:it|them)\b", later, re.I) for base in bases
        ):
            return match[0]  # (the step said after "before" is done nowhere else)
        checked = f"{match['check']} for {match['what']}{match['rest']}"
        return f"{match['lead']}{checked} of {match['thing']}"

    def _things_listed_quoted(self, match: re.Match[str]) -> str:
        """ "create an estimate for V-2290 for front brake pads, an oil change and wiper
        blades": things listed in words, for a record made for a code, are the items of the
        one list of texts the tool that makes it requires (`jobs`), each quoted as written
        (the list was split into steps, and "wiper blades" refused)."""
        thing = stem(singular(match["thing"].lower()))
        makers = [
            spec
            for spec in self.specs.values()
            if acts(spec)
            and thing in {stem(w) for w in split_identifier(f"{spec.id} {spec.name}")}
            and len(_text_list_inputs(spec)) == 1
        ]
        if len(makers) != 1:
            return match[0]
        items = [
            re.sub(r"^(?:an?|the|some)\s+", "", item.strip(), flags=re.IGNORECASE)
            for item in re.split(r",\s*(?:and\s+)?|\s+and\s+", match["list"])
        ]
        if len(items) < 2 or any(
            not item or self.reader.starts_with_verb(item) for item in items
        ):
            return match[0]  # ("... for brakes and text the owner": a step after it)
        quoted = [f'"{item}"' for item in items]
        return f"{match['lead']}{', '.join(quoted[:-1])} and {quoted[-1]}"

    def _every_one_at_once(self, match: re.Match[str]) -> str:
        """ "email every ticket holder of EV-4410: '...'": when a tool's description says it
        does the step to every one of them itself ("Email every ticket holder of an event
        a message"), the step is one call of it, not a loop over people asked of the run."""
        verb, thing = stem(match["verb"].lower()), stem(singular(match["thing"].lower()))
        doing = [
            spec
            for spec in self.specs.values()
            if (said := _DESCRIBED_TO_EVERY_ONE.match(spec.description.strip())) is not None
            and (
                stem(said["verb"].lower()) == verb
                # ("message every ticket holder": "Email every ticket holder ...")
                or {verb, stem(said["verb"].lower())} <= _MESSAGE_VERB_STEMS
            )
            and stem(said["thing"].lower()) == thing
        ]
        if len(doing) != 1:
            return match[0]
        return f"{match['verb']} the {match['thing']}"

    def _size_described(self, match: re.Match[str]) -> str:
        """ "report a pothole at 1400 Elm St, about 2 feet wide in the right lane": how big
        the thing is describes it, for a tool that takes a description (the words were a
        step no tool does)."""
        if not any(
            _DESCRIPTION_INPUTS & set(spec.input_properties()) for spec in self.specs.values()
        ):
            return match[0]
        return f' with the description "{match["size"].strip()}"'

    def _made_is_created(self, match: re.Match[str]) -> str:
        """ "make a ticket for billing": a ticket created, when a tool creates that thing
        (the classifier was picked: "ticket" and "priority" are its words too)."""
        said = {stem(singular(w.lower())) for w in match["words"].split()}
        for spec in self.specs.values():
            words = {stem(w) for w in split_identifier(spec.id)}
            if stem("create") in words and any(
                thing in words or words & synonyms(thing) for thing in said
            ):
                return f"{match['lead']}create "
        return match[0]

    def _handles_in(self, action: str) -> list[str]:
        """Words in lower case that are no word at all ("mpatel", "rgarcia"): sign-in names."""
        said = _EMAIL_OR_URL.sub(" ", without_quotes(action))
        handles = [
            word.rstrip(".")
            for word in re.findall(r"(?<![\w@.#/-])[a-z][a-z0-9._-]{2,30}(?![\w@/-])", said)
            if _a_handle(word.rstrip("."), self.words)
        ]
        return list(dict.fromkeys(handles))

    def _handle_taker_first(
        self, text: str, ranked: list[tuple[float, ScoredTool]]
    ) -> list[tuple[float, ScoredTool]]:
        """ "Look up rgarcia in the directory": a step that writes a sign-in name goes to the
        tool that takes one (`idp.user.get`: `username`) when it scores at least half as well
        as one that does not (the demo's user lookup asked the run for an id)."""
        if not ranked or _takes_a_handle(ranked[0][1].spec) or len(self._handles_in(text)) != 1:
            return ranked
        best_score = ranked[0][0]
        for at, (score, item) in enumerate(ranked[1:], start=1):
            if score < best_score * 0.5:
                break
            if _takes_a_handle(item.spec):
                return [(best_score, item), *ranked[:at], *ranked[at + 1 :]]
        return ranked

    def _handle_said(self, spec: ToolSpec, action: str, literals: dict[str, str]) -> dict[str, str]:
        """ "reset the password for mpatel", "look up rgarcia in the directory": the one
        required `username` (`login`, `handle`) is the one word in lower case the step
        writes that is no word at all (it was asked of the run)."""
        wanted = [
            name
            for name in spec.required_inputs()
            if name not in literals
            and name.lower() in _HANDLE_INPUTS
            and "string" in schema_types(spec.input_properties().get(name) or {})
        ]
        if len(wanted) != 1:
            return {}
        handles = self._handles_in(action)
        if len(handles) > 1 and not re.search(r"\b(?:each|every|these|those)\b", action, re.I):
            # "reset passwords for jdoe, mlee and tcho and notify ...": several names for a
            # tool that takes one, not said as a loop the planner reads; refused, not one
            # call with a name asked of the run
            raise PlanningError(
                "unmapped_step",
                f"Could not plan the step {action!r}: it names {len(handles)} people "
                f"({', '.join(handles)}) and {spec.id} takes one {wanted[0]}. Say it for each "
                f"of them ('for each of these users: {', '.join(handles)} - ...'), or plan one "
                "per run.",
                step=action,
                details={"reason": "several_for_one", "values": handles},
            )
        if len(handles) != 1:
            return {}
        return {wanted[0]: json.dumps(handles[0])}

    def _labelled_text(self, match: re.Match[str]) -> str:
        """ "void the envelope on CT-1180, reason: pricing changed, new version coming": a
        free text a tool takes (`reason`, `note`), labelled, to the end of the sentence ->
        "..., with reason 'pricing changed, new version coming'" (two words were kept)."""
        field = match.group("field").lower()
        if not any(field in spec.input_properties() for spec in self.specs.values()):
            return match.group(0)
        return f"{match.group('lead')} with {field} '{match.group('value').strip()}'"

    def _without_event(self, match: re.Match[str]) -> str:
        """ "Upon signup, verify the email": the event that starts the run is the run
        itself, when a step follows it; it is what "it" is, as a title ("Signup: ...")."""
        words = match.group("event").split()
        for count in range(1, len(words) + 1):
            event = " ".join(words[:count]).rstrip(",")
            rest = " ".join(words[count:]).lstrip(", ")
            if rest and self.reader.starts_with_verb(rest):
                said = f"{match.group('new') or ''}{event}"
                return f"{said[:1].upper()}{said[1:]}: {rest}"
        return match.group(0)

    def _after_doing(self, match: re.Match[str]) -> str:
        """ "Calculate the tax after validation" -> "... after validating it": a step named
        by its noun is a step first (a verb the planner reads, or a tool's own noun:
        "after shipment" -> "after creating the shipment")."""
        noun, rest = match.group("noun"), match.group("rest") or ""
        thing = rest.strip() or "it"
        verb = _verb_of_noun(noun.lower(), self.reader.verbs)
        if verb is not None:
            return f"{match.group('lead')}{_gerund(verb)} {thing}"
        makers = [
            spec.id
            for spec in self.specs.values()
            if noun.lower() in split_identifier(spec.id)[1:] and acts(spec)
        ]
        if len(makers) == 1 and not rest.strip():
            return f"{match.group('lead')}{_gerund(_tool_verb_word(makers[0]))} the {noun}"
        return match.group(0)

    def build(self, prompt: str) -> dict[str, Any]:
        # "email everyone on this list: a@x, b@x": each of these (not one email, the rest
        # copied); "... everyone who hasn't paid: a@x, b@x" names whom no step can pick out
        prompt = _EVERYONE_LISTED.sub(_everyone_listed, prompt)
        # "1. validate the order\n2. check inventory": an item's number is no value of the
        # line before ("the order 2"); the reader keeps the numbers, where items start
        # "Summarise the following text and email the summary to me@x.io: The results ...":
        # the text after the one colon is the one the request points at, as on a line below
        prompt = _POINTED_TEXT_AFTER_A_COLON.sub(r"\g<head>:\n\g<text>", prompt)
        numbered = len(_NUMBERED_LINE.findall(prompt)) > 1
        self.request = _NUMBERED_LINE.sub(r"\g<indent>- ", prompt) if numbered else prompt
        clauses = self.read(prompt)
        self.clauses = clauses
        _refuse_one_picked_from_a_list(clauses)
        try:
            self._check_capabilities(clauses)
        except PlanningError as exc:
            raise self._every_step_no_tool_does(exc, clauses) from None
        for at, clause in enumerate(clauses):
            self.upcoming = clauses[at + 1] if at + 1 < len(clauses) else None
            arrives = _ARRIVES.match(clause.condition.text) if clause.condition else None
            if arrives is not None:
                self.arrived = arrives["thing"]
            self.add_clause(clause)
        self.upcoming = None
        self._refuse_a_condition_left_open()
        self._end_group()
        self._close_all()
        for at, resolved, clause in reversed(self.stops):
            self._gate_rest(at, resolved, clause)
        self._continue_on_reject()
        self._go_on_to_tell_the_decision()
        self._the_quote_read_again()
        self._refuse_an_application_to_a_tool_that_looks()
        guard_messages_on_their_lists(self.nodes, self.specs, self._unique_id)
        planned = [
            self.specs[str(node["tool"])]
            for node in self.nodes
            if node.get("type") in ("tool", "map") and str(node.get("tool")) in self.specs
        ]
        refuse_an_amount_no_step_tells(self.request, planned)
        refuse_a_cost_no_step_prices(self.request, planned)
        _refuse_a_figure_over_every_record(self.request, self.nodes, planned)
        _refuse_a_list_of_every_record(self.request, self.nodes, planned)
        self._refuse_a_question_answered_by_a_change()
        self._refuse_one_person_sent_to_all()
        self._refuse_a_text_to_another_persons_number()
        self._refuse_one_place_for_both_ends()
        self._check_no_empty_branch()
        self._check_no_read_again()
        self._same_subject_for_the_same_body()
        if not self.nodes:
            raise PlanningError(
                "no_steps",
                "The offline planner found no step it could map to a tool in the request; "
                "name what should happen, e.g. 'validate the email, then send a welcome email'.",
            )
        return self.flow_json(prompt)

    def _tool_steps(self) -> Iterator[tuple[ToolSpec, Clause]]:
        """The tool of each planned step of one, and the clause the step was read from."""
        for node in self.nodes:
            info = self.info.get(str(node.get("id")))
            if info is not None and info.spec is not None and info.clause is not None:
                yield info.spec, info.clause

    def _refuse_an_application_to_a_tool_that_looks(self) -> None:
        """ "Apply for the federal solar tax credit for the Hendersons": applying for a
        thing asks someone for it, which a tool that changes nothing cannot do (a tax was
        calculated, from "tax")."""
        for spec, clause in self._tool_steps():
            if acts(spec):
                continue
            if _APPLIES_FOR.match(clause.action or clause.text):
                raise PlanningError(
                    "unmapped_step",
                    f"Could not map {clause.label}: it applies for something, and "
                    f"{spec.id} only looks or works a value out ({spec.description}). "
                    "Register a tool that does it, or leave the step out.",
                    step=clause.text,
                    details={"reason": "applies_to_a_tool_that_looks", "tool": spec.id},
                )

    def _same_subject_for_the_same_body(self) -> None:
        """ "email them, then email their manager at boss@x.io": two messages of one tool
        with the same body asked of the run have the same subject too (one was
        `input.subject`, the other `input.email_subject`)."""
        first: dict[tuple[str, str], str] = {}
        sent: dict[tuple[str, str], tuple[str, str]] = {}
        for node in self.nodes:
            inputs = node.get("inputs")
            if node.get("type") != "tool" or not isinstance(inputs, dict):
                continue
            body, subject = inputs.get("body"), inputs.get("subject")
            if not isinstance(body, str) or not body.startswith("input."):
                continue
            if not isinstance(subject, str) or not subject.startswith("input."):
                continue
            info = self.info.get(str(node.get("id")))
            thing = _THING_SENT.search(
                _EMAIL_OR_URL.sub(" ", info.clause.action or info.clause.text)
                if info is not None and info.clause is not None
                else ""
            )
            if thing is not None and str(inputs.get("to", "")).startswith('"'):
                # ("email a@x.io the weekly update, then email b@x.io the same update":
                # one update, its words asked once)
                key = (str(node.get("tool")), thing["noun"].lower())
                earlier = sent.setdefault(key, (subject, body))
                if earlier != (subject, body):
                    inputs["subject"], inputs["body"] = earlier
                    self._drop_unread_input(subject)
                    self._drop_unread_input(body)
                    continue
            said = first.setdefault((str(node.get("tool")), body), subject)
            if said != subject:
                inputs["subject"] = said
                self._drop_unread_input(subject)

    def _assigned_when_made(self, match: re.Match[str]) -> str:
        """ "add a task ..., assign it to maya@...", "create an issue ... and assign it to
        omar": whom the thing made is for, a value of the step before (its `assignee`),
        when a tool that makes things takes one and no tool's id says it assigns."""
        if any("assign" in split_identifier(spec.id) for spec in self.specs.values()):
            return match[0]
        takes = any(
            acts(spec) and set(spec.input_properties()) & _ASSIGNEE_INPUTS
            for spec in self.specs.values()
        )
        return f", assigned to {match['who']}" if takes else match[0]

    def _put_on_as_assigned(self, match: re.Match[str]) -> str:
        """ "put her on route R-3": assigning her to it, when a tool assigns to that thing
        (its id or inputs name it); "put" is no tool's word (a lookup of her was planned)."""
        thing = stem(match["thing"].lower())
        for spec in self.specs.values():
            words = split_identifier(spec.id)
            named = {stem(w) for name in spec.input_properties() for w in split_identifier(name)}
            if "assign" in words and thing in named | {stem(w) for w in words}:
                return f"assign {match['who']} to {match['article'] or ''}{match['thing']}"
        return match[0]

    def _refuse_a_text_to_another_persons_number(self) -> None:
        """ "look up leo@acme.com and text his manager ...": a text to someone's manager
        (guardian, owner) went to the number a step returned for the one looked up
        (`mobile_phone`); the number must be that person's (a field whose name or
        description says them), else no step has it and the request is refused."""
        for node in self.nodes:
            info = self.info.get(str(node.get("id")))
            if info is None or info.spec is None or info.clause is None:
                continue
            spec, clause = info.spec, info.clause
            one = _ONE_PERSON_TOLD.match(clause.action or clause.text)
            to = recipient_input_name(spec)
            if one is None or to is None or not _texts_phones(spec):
                continue
            expression = str((node.get("inputs") or {}).get(to) or "")
            source, _, field = expression.partition(".")
            reader = self.specs.get(source)
            if reader is None or not field:
                continue
            who = one["who"].lower()
            schema = reader.output_properties().get(field) or {}
            said = f"{field.replace('_', ' ')} {_field_description(schema)}".lower()
            if re.search(rf"\b{re.escape(who)}", said):
                continue
            raise PlanningError(
                "unmapped_step",
                f"Could not map {clause.label}: it texts the {who}, and {reader.id} returns "
                f"the number of the one it reads ({field}), not the {who}'s. Register a tool "
                f"that gives the {who}'s phone number, or write it in the request.",
                step=clause.text,
                details={"reason": "another_persons_number", "tool": spec.id, "field": field},
            )

    def _refuse_one_person_sent_to_all(self) -> None:
        """ "text their guardian that the bus is late": one person, and a tool that texts
        the guardians of every student on a route would tell them all."""
        for spec, clause in self._tool_steps():
            one = _ONE_PERSON_TOLD.match(clause.action or clause.text)
            if one is None:
                continue
            who = one["who"].lower()
            said = spec.description
            everyone = rf"\b(?:every|all)\b[^.]*\b{who}s\b|\b{who}s\b[^.]*\b(?:every|all)\b"
            if not re.search(everyone, said, re.IGNORECASE):
                continue
            raise PlanningError(
                "unmapped_step",
                f"Could not map {clause.label}: it is for one {who}, and {spec.id} "
                f"sends to all of them ({said}). Register a tool that reaches one {who}, or "
                "say that all of them are to be told.",
                step=clause.text,
                details={"reason": "one_sent_to_all", "tool": spec.id},
            )

    def _refuse_a_question_answered_by_a_change(self) -> None:
        """ "how many people does VEN-22 hold?": a question of how many, how much, what or
        which asks for something told, which a tool that changes something does not answer
        (the venue was put on hold, from "hold")."""
        for spec, clause in self._tool_steps():
            if not acts(spec) or not _ASKS_WHAT.match(clause.text):
                continue
            raise PlanningError(
                "unmapped_step",
                f"Could not map {clause.label}: it asks a question, and {spec.id} "
                f"changes something rather than tells ({spec.description}). Register a "
                "tool that answers it, or say what should be done.",
                step=clause.text,
                details={"reason": "question_to_a_change", "tool": spec.id},
            )

    def _refuse_a_condition_left_open(self) -> None:
        """ "Check order 77; if it's approved": a condition no step follows. Dropped, the
        plan would do what was said before it as if that were all (and a step that went into
        its words, "if it's approved ships the order", silently with it)."""
        if self.pending is None:
            return
        condition, clause = self.pending
        if condition.optional:
            return  # "when a new user signs up": what starts the run, not a fork
        raise PlanningError(
            "unmapped_step",
            f"Could not plan {clause.label}: no step follows its condition "
            f"({condition.text!r}), so nothing says what happens then. Say the step after "
            "the condition with a comma: 'if it's approved, ship the order'.",
            step=clause.text,
            details={"reason": "empty_condition"},
        )

    def _refuse_one_place_for_both_ends(self) -> None:
        """ "rebalance station ST-020 back up to 15 bikes": one code the request names went
        to both the start and the end of a move (`from_station`, `to_station`), a move from
        a place to itself; the request does not say where the other end is."""
        for node in self.nodes:
            spec = self.specs.get(str(node.get("tool")))
            info = self.info.get(node.get("id", ""))
            if spec is None or info is None or info.clause is None:
                continue
            inputs = node.get("inputs") or {}
            names = list(spec.input_properties())
            starts = [n for n in names if _START_WORDS & set(split_identifier(n))]
            ends = [n for n in names if _END_WORDS & set(split_identifier(n))]
            if len(starts) != 1 or len(ends) != 1 or starts == ends:
                continue
            start, end = inputs.get(starts[0]), inputs.get(ends[0])
            if start is None or start != end or _string_literal(start) is None:
                continue
            # ("picking up at 12 Dock Rd, Oakland and dropping off at 77 Pine St, Berkeley":
            # the other place the step writes is the end)
            written = [m.group("value").strip() for m in STREET_ADDRESS.finditer(info.clause.text)]
            others = list(dict.fromkeys(v for v in written if json.dumps(v) != start))
            if len(written) > 1 and len(others) == 1:
                inputs[ends[0]] = json.dumps(others[0])
                continue
            raise PlanningError(
                "unmapped_step",
                f"Could not plan {info.clause.label}: it names one place, {start}, and "
                f"{spec.id} needs where it starts ({starts[0]}) and where it ends ({ends[0]}); "
                "both would be that place. Say the other end ('from ST-1 to ST-2').",
                step=info.clause.text,
                details={"reason": "one_place_for_both_ends", "tool": spec.id},
            )

    def _the_quote_read_again(self) -> None:
        """ "Analyze the sentiment of this feedback: '...'. If positive, email me a summary":
        a later step that reads a text (and changes nothing) reads the one quote a step
        before it read, rather than a text asked of the run."""
        read: dict[str, dict[str, int]] = {}  # input -> quote -> where it is first read
        for at, node in enumerate(self.nodes):
            for name, value in (node.get("inputs") or {}).items():
                if name in _READ_TEXTS and _string_literal(value) is not None:
                    read.setdefault(name, {}).setdefault(value, at)
        for name, quotes in read.items():
            if len(quotes) != 1:
                continue
            quote, first = next(iter(quotes.items()))
            if (_string_literal(quote) or "") not in self.request:
                continue  # (a text the planner wrote, not one the request quoted)
            for node in self.nodes[first + 1 :]:
                info = self.info.get(node.get("id", ""))
                inputs = node.get("inputs") or {}
                if info is None or info.spec is None or acts(info.spec):
                    continue
                if node.get("type") == "tool" and inputs.get(name) == f"input.{name}":
                    inputs[name] = quote
            if f"input.{name}" not in json.dumps(self.nodes):
                self.input_properties.pop(name, None)
                self.input_required = [k for k in self.input_required if k != name]

    def _check_no_empty_branch(self) -> None:
        """Refuse a condition whose step planned nothing (it named a step already planned,
        "fetch the page; if it fails, page the on-call": the fetch again), rather than a
        branch that does nothing either way."""
        for node in self.nodes:
            if node.get("type") != "branch" or node.get("then") or node.get("else"):
                continue
            info = self.info.get(node["id"])
            clause = info.clause if info is not None else None
            if clause is None:
                continue
            if not meaningful(clause.action or ""):
                # the step went into the words of the condition: no step under it at all
                raise PlanningError(
                    "unmapped_step",
                    f"Could not plan {clause.label}: no step under its condition "
                    f"({node.get('condition')}) could be read. Say the step after the "
                    "condition with a comma: 'if it's valid, send the welcome email'.",
                    step=clause.text,
                    details={"reason": "empty_condition"},
                )
            raise PlanningError(
                "unmapped_step",
                f"Could not plan {clause.label}: under its condition it names no step of its "
                "own (its words map to a step already planned), so the condition would do "
                "nothing. Say the step with the words of the tool it needs, e.g. 'email the "
                "on-call engineer'.",
                step=clause.text,
                details={"reason": "empty_condition"},
            )

    def _check_no_read_again(self) -> None:
        """Refuse a step mapped to a tool that only reads, called again with the same inputs
        ("classify it; if it's billing, assign it to the billing team": the classification
        again, since no tool assigns): it can only tell what the first call told."""
        seen: dict[tuple[str, str], str] = {}
        for node in self.nodes:
            if node.get("type") == "approval":
                seen.clear()  # ("check the stock again once approved": time has passed)
            info = self.info.get(node["id"])
            if node.get("type") != "tool" or info is None or info.spec is None:
                continue
            key = (info.spec.id, json.dumps(node.get("inputs") or {}, sort_keys=True))
            first = seen.setdefault(key, node["id"])
            clause = info.clause
            if first == node["id"] or acts(info.spec) or clause is None:
                continue
            raise PlanningError(
                "unmapped_step",
                f"Could not map {clause.label}: its words map to {info.spec.id}, which step "
                f"{first!r} already calls with the same inputs, so it could only tell the same "
                "again; no tool in the catalogue does what it asks. Register a tool that does "
                "it, or leave the step out.",
                step=clause.text,
                details={"reason": "same_read_again", "tool": info.spec.id, "first": first},
            )

    def _inputs_steps_pass_on(self) -> list[str]:
        """Run input fields a step passes to its tool ("send_email.to = input.email", where
        the lookup before it took the email as one of two ways to find the user;
        "lookup_user.email = input.email", an input the tool itself may go without; a reply
        on one arm of a branch): optional, a run started without one would fail at that
        step, or on the arm that reads it."""
        read = []
        for node in self.nodes:
            if node.get("type") not in ("tool", "map"):
                continue
            for source in (node.get("inputs") or {}).values():
                said = re.fullmatch(r"input\.([a-z_][a-z0-9_]*)", str(source))
                if said is not None and said.group(1) in self.input_properties:
                    read.append(said.group(1))
        return read

    def flow_json(self, prompt: str) -> dict[str, Any]:
        input_schema: dict[str, Any] = {"type": "object", "properties": self.input_properties}
        self.input_required += self._inputs_steps_pass_on()
        if self.input_required:
            input_schema["required"] = list(dict.fromkeys(self.input_required))
        return {
            "ir_version": "1.0",
            "name": self._flow_name(prompt),
            "description": prompt.strip()[:4000],
            "input_schema": input_schema,
            "nodes": self.nodes,
            "max_steps": max(100, len(self.nodes)),
        }

    def _flow_name(self, prompt: str) -> str:
        """A few words from the planned steps' verbs and what the first acts on; the
        request's first sentence when no step gives them."""
        actions: dict[tuple[int, bool, str], tuple[str, bool]] = {}
        for node in self.nodes:
            info = self.info.get(node["id"])
            if info is None or info.clause is None or info.kind not in {"tool", "map", "approval"}:
                continue
            approval = info.kind == "approval"
            # the step's own words, not those of a check or fetch planned to serve it (one
            # verb said of two things is two steps: "validate the order and the email")
            key = (info.clause.number, approval, info.clause.text if info.clause.part_of else "")
            actions[key] = (info.clause.action, approval)
        said = list(actions.values())
        title = flow_title([a for a, _ in said], approvals=[approval for _, approval in said])
        return title or _flow_name(prompt)

    def explain(self, issues: list[dict[str, Any]]) -> PlanningError:
        """A failure naming the step behind the first validator issue."""
        issue = issues[0]
        info = self.info.get(issue.get("node") or "")
        step = info.clause.label if info and info.clause else None
        where = f" at {step}" if step else ""
        value = _value_not_offered(issue, info.spec if info else None)
        if value is not None and step:
            # ("otherwise a normal priority ticket": what the step asks that the tool does
            # not take, in words, not the validator's message about node ids)
            return PlanningError(
                "offline_invalid",
                f"Could not plan {step}: {value} Say one of those, or register a tool that "
                "takes it.",
                step=info.clause.text if info and info.clause else None,
                details=issues,
            )
        return PlanningError(
            "offline_invalid",
            f"The offline planner could not build a valid flow{where}: {issue.get('message')}",
            step=info.clause.text if info and info.clause else None,
            details=issues,
        )

    # -- one clause ----------------------------------------------------------------------

    def add_clause(self, clause: Clause) -> None:
        if (
            not self.heading
            and clause.title
            and (carries_data(clause.title) or country_literal(_A_COUNTRY, clause.title, {}))
        ):
            # "Onboard Lena Park <lena@park.kr>: ...": who every step after it is about
            self.heading = clause.title
        elif (
            not self.heading
            and clause.condition is not None
            and clause.condition.optional
            and says_an_arrival(clause.condition.text)
            and carries_data(clause.condition.text)
        ):
            # "When a new user signs up with email sam@x.com, validate the email": what
            # arrived is what the steps work on, as a heading says it
            self.heading = clause.condition.text
        self._note_topic(clause.title)
        if clause.condition is not None:
            self._note_topic(clause.condition.text)
        self._add_clause(clause)
        self._note_topic(clause.action or clause.text)

    def _asks_the_approver(self, clause: Clause) -> bool:
        """ "have finance approve the refund and give a reason": what the approval just
        planned asks its approver to fill in, said as a step of its own, is a field of its
        form (`asked_form`), not a step."""
        last = self.nodes[-1] if self.nodes else None
        if (
            last is None
            or last.get("type") != "approval"
            or clause.approval is not None
            or clause.condition is not None
            or clause.for_each
            or _ASKED_FIELD_FIRST.match(clause.action) is None
        ):
            return False
        form = asked_form(clause.action)
        if form is None:
            return False
        schema = last["form_schema"]
        schema["properties"] = {**schema.get("properties", {}), **form["properties"]}
        schema["required"] = [*schema.get("required", []), *form["required"]]
        return True

    def _answered(self, question: Condition) -> bool:
        """Whether a step already planned answers what a "check whether X" step asks: X
        reads one of its outputs, so the check adds no step of its own."""
        if not self.nodes:
            return False
        resolved = resolve_condition(question.text, self._sources(for_condition=True))
        return (
            resolved is not None
            and resolved.new_input is None
            and _NODE_READ.search(resolved.expression) is not None
        )

    def _note_topic(self, text: str) -> None:
        # "create a lead in the CRM": the lead is what "score it" works on, not the CRM
        text = _WHERE_IT_GOES.sub(" ", text)
        # "look up the contact by email; if missing, create them": the contact, not its key
        text = _LOOKED_UP_BY.sub(" ", text)
        # ("email purchasing@x.com": the verb of a message, no email the next "it" is)
        text = _EMAILED_SOMEONE.sub(" ", text)
        topics = [w for w in split_identifier(text) if w in self.topic_words]
        if topics:
            self.topic = topics[-1]
        self.person = subject_named(text) or self.person

    def _add_clause(self, clause: Clause) -> None:
        if self._asks_the_approver(clause):
            return
        if clause.for_each and _EVERY_RESULT.search(clause.text) and self._results_before() > 1:
            # "email all the results": what the steps before found, in one message
            clause = replace(clause, for_each=None, for_each_container=None, action=clause.text)
        elif (
            clause.for_each
            and self.loop is not None
            and (_HOW_MANY.search(clause.action) or _WHICH_ONES.search(clause.action))
        ):
            # "for each order validate it, then email me how many of them are valid": one
            # message after the loop, counting (or listing) its items, not one per item
            clause = replace(clause, for_each=None, for_each_container=None)
        if (
            clause.for_each is None
            and self.loop is not None
            and self.loop.noun == _ANY_NOUN
            and self.loop.sentence == clause.sentence
            and _REFERS_TO_THEM.search(clause.action or clause.text)
            and not _ONE_MESSAGE_TO_US.search(clause.action or clause.text)
            # ("... and post to #ops which ones are down": one message listing them)
            and not _WHICH_ONES.search(clause.action or clause.text)
        ):
            # "validate a@x.com and b@x.com and welcome each valid one": in their loop
            clause = replace(clause, for_each=_ANY_NOUN)
        if self.approval_case is not None:
            sentence, case, threshold, new_thing = self.approval_case
            if clause.sentence != sentence or clause.condition is not None or clause.otherwise:
                self.approval_case = None
            elif clause.approval is None and not clause.condition_only and self.pending is None:
                self.approval_case = None
                if (
                    not threshold
                    and (
                        _MAKES_A_NEW_THING.match(clause.action)
                        # "approve a refund ticket, then create it": the new thing approved
                        or (new_thing and _PRONOUN_OBJECT.search(clause.action))
                        # "if it's valid, get finance's approval and charge the card": a
                        # state a step checked, which the charge needs too
                        or self._checked_state(case)
                    )
                ) or self._repeats_a_side_effect(clause):
                    clause = replace(clause, condition=case, condition_leads=True)
                elif threshold and (state := self._state_beside_threshold(case)) is not None:
                    # "if it's valid and over 1000, get approval, then charge the card": the
                    # charge waits on the state (valid), the approval alone on the amount
                    clause = replace(clause, condition=state, condition_leads=True)
        if clause.asks is not None and clause.condition is None and self._answered(clause.asks):
            return  # "validate the email and check if it's disposable": validated already
        if clause.guard is not None and clause.condition is None and self.pending is None:
            guard = clause.guard
            sources = self._sources(for_condition=True)
            if resolve_condition(guard.text, sources, negate=guard.negate) is not None:
                clause = replace(clause, condition=guard)
        if (
            clause.subset is not None
            and clause.for_each is None
            and self.loop is not None
            and clause.condition is not None
        ):
            # "validate each email in the list and welcome the valid ones": the loop's own
            # items, kept to those its last step judged so, as "... and welcome each valid
            # one" is
            clause = replace(clause, for_each=self.loop.noun)
        if clause.subset is not None and not self._in_loop(clause):
            raise _subset_refusal(clause, clause.subset)  # "email me the invalid ones": one
            # step after the loop, on only some of its items
        if self._in_loop(clause) and (clause.condition is not None or clause.otherwise):
            self._filter_loop(clause)
            if clause.condition_only:
                return
            clause = replace(clause, condition=None)
        if clause.stop:
            self._stop_if(clause)
            return
        self._merge, self.merge_next = self.merge_next, None
        if self.group is not None and clause.parallel_group != self.group.id:
            self._end_group()
        if clause.condition_only:
            self._leave_contradicted_arms(clause)
            if not self._stays_in_arm(clause):
                self._close_all()
            assert clause.condition is not None
            self.pending = (clause.condition, clause)
            return
        if self.pending is not None and clause.condition is not None and self._trigger_only():
            # "When an order comes in, if the amount is over 1000 a manager approves it":
            # the "when" says what starts the run; the step's own condition decides it.
            self.pending = None
        condition: Condition | None = None
        if (
            clause.otherwise
            and clause.condition is None
            and self.conditional_approval_at > self.branch_at
        ):
            # "if over 2000, get approval before charging; otherwise just charge it": the
            # step after the approval already runs when no approval is needed.
            self._check_otherwise_repeats(clause)
        elif clause.otherwise and clause.condition is None:
            self._open_else(clause)
        elif self.pending is not None:
            condition, condition_clause = self.pending
            self.pending = None
            if not clause.approval or _own_threshold(clause):
                self._leave_contradicted_arms(condition_clause)
                if not self._stays_in_arm(condition_clause):
                    self._close_all()
                self._open_branch(condition, condition_clause, clause, persistent=True)
                condition = None
        elif clause.condition is not None:
            condition = clause.condition
            if not clause.approval or _own_threshold(clause):
                self._leave_contradicted_arms(clause)
                if not self._stays_in_arm(clause):
                    self._close_all()
                self._open_branch(condition, clause, clause, persistent=clause.condition_leads)
                condition = None
        else:
            if self._continues_the_arm(clause):
                assert self.scope is not None
                self.scope.sentence = clause.sentence
            while self.scope is not None and not (
                self.scope.persistent and self.scope.sentence == clause.sentence
            ):
                self._close_scope()
        if clause.parallel_group is not None and self.group is None:
            self.materialize_join()
            self.group = Group(clause.parallel_group, self._cursor().copy())
        elif self.group is not None and self._reads_the_first_member(clause):
            # "fetch the article, summarize it and analyze it at the same time": the fetch
            # comes first, what reads it runs side by side after it
            first = self.group.members[0]
            self.info[first] = replace(self.info[first], group=None)
            group_id = self.group.id
            self._end_group()
            self.group = Group(group_id, self._cursor().copy())
        if clause.approval is not None and self._approval_said_again(clause):
            # "get a manager's approval before payment, and charge the card after
            # approval": the approval planned already, and the step it lets go ahead
            rest = _AFTER_APPROVAL.sub(" ", clause.action).strip(" ,")
            if meaningful(rest):
                self._tool_step(replace(clause, approval=None, action=rest))
        elif clause.approval is not None:
            approval = clause.approval
            if self._approves_what_was_done(clause):
                # "charge the card, and if the total is over 500 have finance approve it":
                # the approval gates the charge, so it comes before it
                approval = replace(approval, before_previous=True)
                clause = replace(clause, approval=approval)
            gated_before = self.conditional_approval_at
            self._approval_step(clause, condition)
            if (
                condition is not None
                and self.conditional_approval_at != gated_before
                and not approval.before_previous
            ):
                # "If it's negative, get a manager's approval and then open a ticket": a new
                # thing made after it in the sentence is for that case too (a threshold, "if
                # it's over 500, get approval, then charge", and a step on the thing the
                # request is about, "then create the ticket", run either way, unless a step
                # before already did it for the other case)
                threshold = bool(_COMPARISON_PHRASE.search(f"{condition.text} {clause.action}"))
                new_thing = bool(re.search(r"\bapprove\s+(?:a|an)\s", clause.action, re.I))
                self.approval_case = (clause.sentence, condition, threshold, new_thing)
        else:
            self._tool_step(clause)
        if self.scope is not None and not self.scope.persistent and not self._arm_goes_on():
            self._close_scope()

    # -- cursors, scopes, groups -----------------------------------------------------------

    def _cursor(self) -> Cursor:
        return self.scope.cursor if self.scope is not None else self.main

    def _predecessors(self) -> Cursor:
        return self.group.start if self.group is not None else self._cursor()

    def _advance(self, cursor: Cursor) -> None:
        target = self._cursor()
        target.exits, target.join = cursor.exits, cursor.join

    def materialize_join(self) -> None:
        """Add the join node the cursor asks for, if any, and attach after it."""
        cursor = self._cursor()
        join = cursor.join
        if join is None:
            return
        join_id = self._unique_id(join.base_id)
        node: dict[str, Any] = {
            "id": join_id,
            "type": "value",
            "title": _title(join.title),
            "value": dict(join.value),
            "trigger": "any",
            "after": list(cursor.exits),
        }
        if join.guard:
            node["when"] = join.guard
        self.info[join_id] = NodeInfo(join_id, "join", len(self.nodes), self._gates())
        if self.scope is not None:
            self.scope.branch.node[self.scope.arm].append(join_id)
        self.nodes.append(node)
        cursor.exits, cursor.join = [join_id], None

    def _reads_the_first_member(self, clause: Clause) -> bool:
        """Whether the step `clause` asks for needs what the one step of the parallel group
        so far makes (a page's text), and nothing outside the group gives it."""
        group = self.group
        if group is None or len(group.members) != 1 or clause.approval is not None:
            return False
        if not _PRONOUN_OBJECT.search(clause.action):
            return False  # "summarize it": what the step before made; else its own thing
        info = self.info[group.members[0]]
        ranked = self.rank(_clean_action(clause.action)) if meaningful(clause.action) else []
        if info.output_schema is None or not ranked or ranked[0][0] < self.min_score:
            return False
        spec = ranked[0][1].spec
        given = info.spec.input_properties() if info.spec is not None else {}
        made = [  # what it hands back of what it was given is no reason to wait for it
            source
            for source in output_sources(info.id, info.output_schema)
            if not any(name_similarity(name, source.name) >= 0.8 for name in given)
        ]
        outside = [s for s in self._sources() if s.node is not None]
        for name in spec.required_inputs():
            schema = spec.input_properties().get(name, {})
            # by its own name ("text"), not a kin ("summary" for "text": a choice, not a need)
            if best_source(name, schema, outside) is None and best_source(
                name, schema, made, minimum=0.9
            ):
                return True
        return False

    def _end_group(self) -> None:
        if self.group is None:
            return
        group, self.group = self.group, None
        if group.members:
            self._advance(Cursor(list(group.members)))

    def _right_after_approval(self, approval_id: str) -> bool:
        """Whether the next step attaches right after the approval: after it, or after the
        join that passes when it was approved or not needed ("Claims over 2000 need a
        manager's approval. Once approved, email them": a claim under 2000 is emailed too,
        as the join passes it; a branch on the skipped approval would skip the email)."""
        cursor = self._cursor()
        if cursor.exits == [approval_id]:
            return True
        join = cursor.join
        if join is not None and join.base_id == f"{approval_id}_passed":
            return approval_id in cursor.exits
        return cursor.exits == [f"{approval_id}_passed"] and any(
            n["id"] == cursor.exits[0] and n.get("type") == "value" for n in self.nodes
        )

    def _gates(self) -> frozenset[tuple[str, str]]:
        return self.scope.gates if self.scope is not None else frozenset()

    def _open_branch(
        self, condition: Condition, condition_clause: Clause, clause: Clause, *, persistent: bool
    ) -> None:
        self.guarded = clause
        resolved = self._resolve(condition, condition_clause, check_first=True)
        self.guarded = None
        if resolved is None:
            return  # a "when ..." that only describes the trigger
        approved = re.fullmatch(r"(\w+)\.approved", resolved.expression)
        if (
            approved is not None
            and self.info[approved.group(1)].kind == "approval"
            and self._right_after_approval(approved.group(1))
        ):
            return  # "Get approval. If they approve, ship it": what follows an approval
            # runs only once it is approved (a rejection skips it, or it waits for `approved`)
        if (
            _INSTEAD.search(f"{condition_clause.text} {clause.text}")
            or self._a_step_failed(resolved.expression)
            or self._found_nothing_used(resolved.expression)
        ):
            self._instead_of_the_steps_before(resolved.expression)
        _refuse_a_coded_things_value_asked(condition_clause, condition.text, resolved.expression)
        branch_id = self._unique_id(f"if_{_slug(resolved.subject)}")
        node: dict[str, Any] = {
            "id": branch_id,
            "type": "branch",
            "title": _title(
                f"If {condition.text}" if not condition.negate else f"Unless {condition.text}"
            ),
            "condition": resolved.expression,
            "then": [],
            "else": [],
        }
        previous = self.last_branch
        if condition_clause.otherwise and previous is not None and previous.scope is self.scope:
            # "otherwise, if there is a decline reason, ...": only when the condition before
            # did not hold (two values of one field never both hold: nothing to add)
            before = str(previous.node.get("condition", ""))
            if before and not _exclusive(before, resolved.expression):
                node["condition"] = f"!({before}) && ({resolved.expression})"
        parent = self._predecessors().copy()
        self._add(node, "branch", condition_clause, None)
        branch = Branch(branch_id, node, self._gates(), parent=parent, scope=self.scope)
        if (
            previous is not None
            and previous.scope is self.scope
            and self.branch_chain[-1:] == [previous]
            and _exclusive(str(previous.node.get("condition", "")), resolved.expression)
        ):
            self.branch_chain.append(branch)
        else:
            self.branch_chain = [branch]
        self.last_branch = branch
        self.branch_at = len(self.nodes)
        self.scope = Scope(
            branch, "then", clause.sentence, persistent, Cursor([branch_id]), parent=self.scope
        )

    def _a_step_failed(self, expression: str) -> bool:
        """Whether `expression` says a step that changes something did not go through
        ("if the payment fails": `!process_payment.approved`): what was planned after that
        step (the shipment) is for when it went through."""
        failed = re.fullmatch(r"!(?P<node>[a-z_][a-z0-9_]*)\.[a-z_]+", expression) or re.fullmatch(
            r"(?P<node>[a-z_][a-z0-9_]*)\.[a-z_]+ == \"(?:declined|failed|rejected|error)\"",
            expression,
        )
        info = self.info.get(failed.group("node")) if failed else None
        return info is not None and info.spec is not None and acts(info.spec)

    def _found_nothing_used(self, expression: str) -> bool:
        """Whether `expression` says a search found nothing ("if nothing matches":
        `size(search.articles) == 0`, `!lookup.found`) and a step planned after it uses what
        it found (the reply with the best answer): that step is for when it found some."""
        empty = re.fullmatch(
            r"size\((?P<node>[a-z_][a-z0-9_]*)\.[a-z_]+\) == 0|!(?P<flag>[a-z_][a-z0-9_]*)\.found",
            expression,
        )
        if empty is None:
            return False
        node_id = empty.group("node") or empty.group("flag")
        info = self.info.get(node_id)
        if info is None:
            return False
        reads = re.compile(rf"(?<![\w.]){re.escape(node_id)}\.")
        gates = self._gates()
        return any(
            reads.search(json.dumps(node.get("inputs") or {}))
            for node in self.nodes[info.order + 1 :]
            if (later := self.info.get(node["id"])) is not None
            and later.kind in ("tool", "map")
            and later.gates == gates
            and "when" not in node
        )

    def _instead_of_the_steps_before(self, expression: str) -> None:
        """ "Validate the email and send a welcome email. If it's invalid, open a ticket
        instead.": the steps planned after the one the condition reads run only when it
        does not hold."""
        read = set(re.findall(r"\b([a-z_][a-z0-9_]*)\.", expression))
        deciders = [self.info[name].order for name in read if name in self.info]
        if not deciders:
            return
        gates = self._gates()
        guarded = []
        for node in self.nodes[max(deciders) + 1 :]:
            info = self.info.get(node["id"])
            if (
                info is not None
                and info.kind in ("tool", "map")
                and info.gates == gates
                and "when" not in node
            ):
                node["when"] = _opposite_of(expression)
                guarded.append(node["id"])
        if guarded and self.group is None:
            # what follows waits for the steps skipped in this case and for the step read
            decider = max(read & set(self.info), key=lambda name: self.info[name].order)
            self.materialize_join()
            self._advance(
                Cursor(
                    [decider, *guarded],
                    PendingJoin(f"after_{guarded[-1]}", f"After {guarded[-1]}", {"done": "true"}),
                )
            )

    def _open_else(self, clause: Clause) -> None:
        branch = self.last_branch
        if branch is None:
            raise PlanningError(
                "unmapped_step",
                f"Could not map {clause.label}: it is read as the other case of a condition "
                "('otherwise', 'everything else', 'the rest'), but no condition the planner "
                "could read comes before it. Say the condition first, with a value a step "
                "can tell: 'if the ticket is urgent, email the on-call engineer; otherwise "
                "create a ticket'.",
                step=clause.text,
                details={"reason": "otherwise_without_condition"},
            )
        while self.scope is not None and self.scope is not branch.scope:
            self._close_scope()
        if len(self.branch_chain) > 1 and self.branch_chain[-1] is branch:
            self._open_none_of(self.branch_chain, clause)
            return
        outer = branch.scope.cursor if branch.scope is not None else self.main
        detached = branch.closed_cursor is None or (outer.exits != branch.closed_cursor.exits)
        self.scope = Scope(
            branch,
            "else",
            clause.sentence,
            True,
            Cursor([branch.id]),
            detached=detached,
            parent=branch.scope,
        )

    def _open_none_of(self, chain: list[Branch], clause: Clause) -> None:
        """ "If it's billing, email finance; if it's technical, open a ticket; otherwise
        reply": the last step runs when no condition of the chain holds (the else arm of
        the last one would run for billing too)."""
        conditions = [str(b.node.get("condition", "")) for b in chain]
        branch_id = self._unique_id("if_none_of_them")
        node: dict[str, Any] = {
            "id": branch_id,
            "type": "branch",
            "title": _title(f"Otherwise ({clause.text})"),
            "condition": " && ".join(f"!({condition})" for condition in conditions),
            "then": [],
            "else": [],
        }
        parent = self._predecessors().copy()
        self._add(node, "branch", clause, None)
        branch = Branch(branch_id, node, self._gates(), parent=parent, scope=self.scope)
        self.last_branch, self.branch_chain = branch, []
        self.branch_at = len(self.nodes)
        self.scope = Scope(
            branch, "then", clause.sentence, True, Cursor([branch_id]), parent=self.scope
        )

    def _trigger_only(self) -> bool:
        """The pending condition only tells what starts the run (nothing can test it)."""
        assert self.pending is not None
        pending = self.pending[0]
        sources = self._sources(for_condition=True)
        return pending.optional and (
            resolve_condition(pending.text, sources, negate=pending.negate) is None
        )

    def _nestable(self, clause: Clause) -> bool:
        """A condition inside the arm a condition earlier in the sentence opened ("if they
        don't, validate the address and, if it's valid, send the welcome email")."""
        return (
            self.scope is not None
            and self.scope.persistent
            and self.scope.sentence == clause.sentence
            and not clause.otherwise
            and not self._contradicts_arm(clause)
        )

    def _stays_in_arm(self, clause: Clause) -> bool:
        """Whether a condition opens its branch inside the current arm: nested in the same
        sentence, or one that only a step of the arm can decide ("If valid, look up the user.
        If they don't exist, ..."): beside the branch it could not be read."""
        if self._nestable(clause):
            return True
        if (
            self.scope is None
            or not self.scope.persistent
            or clause.otherwise
            or clause.condition is None
        ):
            return False
        text, negate = clause.condition.text, clause.condition.negate
        if resolve_condition(text, self._sources(for_condition=True), negate=negate) is None:
            return False
        scope, self.scope = self.scope, None
        try:
            outside = self._sources(for_condition=True)
        finally:
            self.scope = scope
        read = resolve_condition(text, outside, negate=negate)
        return read is None or self._names_a_step_of_the_arm(text, read)

    def _names_a_step_of_the_arm(self, text: str, outside: ResolvedCondition) -> bool:
        """ "If it's in stock, charge the card. If the charge succeeds, ship it": the
        condition names a step of the arm (by its tool's words or the verb its description
        starts with) and nothing of the step it would read outside the arm."""
        assert self.scope is not None
        read = _NODE_READ.search(outside.expression)
        info = self.info.get(read.group(1)) if read else None
        if info is None or info.spec is None:
            return False
        words = {stem(w) for w in split_identifier(text) if w not in STOP_WORDS}
        field = outside.expression.split(".", 1)[-1]
        if words & (_naming_words(info.spec) | {stem(w) for w in split_identifier(field)}):
            return False
        gates = self.scope.gates
        return any(
            other.spec is not None
            and other.spec.id != info.spec.id
            and gates <= other.gates
            and words & _naming_words(other.spec)
            for other in self.info.values()
        )

    def _leave_contradicted_arms(self, clause: Clause) -> None:
        """ "If valid, look up the user; if they exist, email them; if they don't, send the
        welcome email": a condition that cannot hold in the arm it would open in leaves that
        arm (and no other), so it sits beside the branch, still in the arm around it."""
        while (
            self.scope is not None
            and self.scope.parent is not None
            and not clause.otherwise
            and self._contradicts_arm(clause)
        ):
            branch = self.scope.branch
            self._close_scope()
            if branch.parent is not None:
                # the two branches never both run: the new one reads what the first one
                # read, not the first one's outcome (a join in an arm cannot read that)
                self._advance(branch.parent.copy())

    def _contradicts_arm(self, clause: Clause) -> bool:
        """ "If it's negative, open a ticket, if it's positive, send a thank-you": a
        condition that cannot hold where the arm runs is a branch beside it, not in it."""
        if self.scope is None or clause.condition is None:
            return False
        arm = self.scope.branch.node.get("condition", "")
        if self.scope.arm == "else":
            return False
        # read as it would be beside the branch: from what the branch itself can see
        scope, self.scope = self.scope, self.scope.parent
        try:
            outside = self._sources(for_condition=True)
            resolved = resolve_condition(
                clause.condition.text, outside, negate=clause.condition.negate
            )
            if resolved is None and clause.condition.checked:
                # "check whether it's deliverable; if it is, ...; if it isn't, ...": the
                # answer of the step that checked, negated
                resolved = self._verdict(clause.condition)
        finally:
            self.scope = scope
        if resolved is None or not _exclusive(arm, resolved.expression):
            return False
        if not _opposite(arm, resolved.expression):
            return True  # two values of one field
        # "if they don't" is the arm's own test negated; "if it is ok" reads the nearest
        # step, which inside the arm is a step of the arm
        inside = resolve_condition(
            clause.condition.text,
            self._sources(for_condition=True),
            negate=clause.condition.negate,
        )
        if inside is None and clause.condition.checked:
            inside = self._verdict(clause.condition)
        return inside is not None and inside.expression == resolved.expression

    def _arm_goes_on(self) -> bool:
        """Whether the arm a condition said after its step opened ("charge the card only
        when both pass") goes on into the next sentence (see `_continues_the_arm`)."""
        scope, upcoming = self.scope, self.upcoming
        if (
            scope is None
            or upcoming is None
            or upcoming.condition is not None
            or upcoming.condition_only
            or upcoming.otherwise
            or upcoming.approval is not None
        ):
            return False
        scope.persistent = True
        if self._continues_the_arm(upcoming):
            return True
        scope.persistent = False
        return False

    def _continues_the_arm(self, clause: Clause) -> bool:
        """ "If it's valid, charge the card. Then create the shipment": a step that changes
        something, on the record the step that ends the arm of the sentence before changed
        (the same order), goes on from that step, in its arm, unless the request says
        "either way"."""
        scope = self.scope
        if (
            scope is None
            or not scope.persistent
            or clause.regardless
            or clause.for_each
            or clause.sentence not in (scope.sentence, scope.sentence + 1)
        ):
            return False
        arm = [
            info
            for info in (self.info.get(exit_id) for exit_id in scope.cursor.exits)
            if info is not None
            and info.kind == "tool"
            and info.spec is not None
            and scope.gates <= info.gates
        ]
        if any(self._names_an_output(clause.action, info) for info in arm):
            return True  # "email the tracking number": what a step of the arm made
        if _RECEIPT.search(clause.action) and any(
            info.spec is not None and acts(info.spec) for info in arm
        ):
            return True  # "email the customer a receipt": of what the arm's step did
        ranked = self.rank(_clean_action(clause.action))
        if not ranked or ranked[0][0] < self.min_score or not acts(ranked[0][1].spec):
            return False
        records = {name for name in ranked[0][1].spec.input_properties() if name.endswith("_id")}
        return any(
            info.spec is not None
            and acts(info.spec)
            and bool(records & set(info.spec.input_properties()))
            for info in arm
        )

    @staticmethod
    def _names_an_output(text: str, info: NodeInfo) -> bool:
        """Whether `text` names a field of its own that the step `info` returns (not one
        it was given back): "the tracking number" of the shipment."""
        assert info.spec is not None
        given = set(info.spec.input_properties())
        for name in info.spec.output_properties():
            words = split_identifier(name)
            if name in given or len(words) < 2 or words[-1] in ("id", "status"):
                continue
            if re.search(r"\b" + r"\s+".join(map(re.escape, words)) + r"\b", text, re.I):
                return True
        return False

    def _close_all(self) -> None:
        while self.scope is not None:
            self._close_scope()

    def _close_scope(self) -> None:
        scope = self.scope
        if scope is None:
            return
        self.scope = scope.parent
        self._end_group_in(scope)
        branch = scope.branch
        arm_exits = [] if scope.cursor.exits == [branch.id] else list(scope.cursor.exits)
        if scope.arm == "then":
            branch.then_exits = arm_exits
        else:
            branch.else_exits = arm_exits
        if scope.detached:
            return
        exits = [branch.id, *branch.then_exits, *branch.else_exits]
        join = None
        if len(exits) > 1:
            join = PendingJoin(
                f"after_{branch.id}",
                f"After {branch.id}",
                {"taken": f"{branch.id}.taken"},
            )
        target = scope.parent.cursor if scope.parent is not None else self.main
        target.exits, target.join = exits, join
        branch.closed_cursor = target.copy()

    def _end_group_in(self, scope: Scope) -> None:
        if self.group is not None:
            group, self.group = self.group, None
            if group.members:
                scope.cursor.exits = list(group.members)
                scope.cursor.join = None

    # -- steps ---------------------------------------------------------------------------

    def _tool_step(self, clause: Clause, action: str | None = None) -> str | None:
        if (
            clause.for_each
            and action is None
            and _QUALIFIER_ONLY.match(clause.action.strip())
            and re.match(r"^\W*(?:for\s+)?(?:each|every|all)\b", clause.text, re.IGNORECASE)
        ):
            # "For each person starting on 2027-02-01, ...": which items, not a step; the
            # tool that lists them so runs first (or the step is read as before)
            listed = self._list_the_qualified_items(clause.for_each, clause)
            if listed is not None:
                self.qualified_lists[clause.for_each] = listed
                return None
        flagged = self._said_as_a_flag(clause) if action is None else None
        if flagged is not None:
            return flagged  # "reject CAND-500 and send them the rejection email"
        if clause.compares is not None:
            ranked = self.rank(_clean_action(clause.action))
            if not ranked or not _reports(ranked[0][1].spec, clause.compares):
                # "Check whether the amount is over 500": the tool it would take does not
                # tell the amount, so the condition that reads the answer compares it
                # itself; the check is no step.
                return None
        text = _lines_as_items(_clean_action(action if action is not None else clause.action))
        lost = _CONDITION_AS_A_STEP.match(text)
        if lost is not None and clause.condition is None:
            # "if venue VEN-14 is free, email ops" planned a check of the venue as a step and
            # emailed in every case: a condition read as no condition is refused
            raise PlanningError(
                "unmapped_condition",
                f"Could not read the condition {lost['cond']!r} of {clause.label}: no step "
                "before it tells it. Say the step that finds it out first, then the "
                "condition on what it tells: 'check the order; if it is valid, ...'.",
                step=clause.text,
                details={"reason": "condition_read_as_a_step", "phrase": lost["cond"]},
            )
        # "check we still have 4x TICKET-ADULT": whether there is stock of those lines
        text = _WE_HAVE_THE_ITEMS.sub(r"\g<verb> there is enough stock for the items", text)
        handed = _HANDED_ON.match(text)
        to_team = _SENT_TO_A_TEAM.match(text)
        if to_team is not None and _WHICHEVER_TEAM.match(to_team.group("to")):
            # "route it to the right team": a ticket lands in the queue of its category's
            # team; no one address is the right team for every request
            text = f"open a ticket for {to_team.group('what') or 'it'} for the right team"
        elif handed is not None and (
            message_recipients(text) or EMAIL_ADDRESS.search(handed.group("to"))
        ):
            # "escalate the ticket to a manager", "route it to the billing team": sent on
            # to them, as "forward it to ..." is
            text = f"forward {handed.group('what') or 'it'} to {handed.group('to')}"
        # "Order flow: validate, charge, ship": a verb alone works on the topic too
        bare_verb = re.fullmatch(r"[a-z]+", text.strip(), re.IGNORECASE) is not None
        if (
            self.topic
            and not clause.for_each
            # ("how urgent it is" is no pronoun object)
            # ("book a meeting in it": where, not what the step works on)
            and (
                bare_verb
                or _PRONOUN_OBJECT.search(_IN_IT.sub(" ", question_as_noun(text)))
                # ("if she doesn't exist, create her": a record of her, the contact)
                or _PERSON_RECORDED.match(text.strip())
            )
            and len(meaningful(text)) <= 3
            and self.topic not in text.lower()
            and not self._owns_its_object(text)
            and not _ADDRESSES_SOMEONE.match(text)
            and not _STORED_IN.match(text)  # "add it to the sheet": kept there, whatever it is
            and not self._topic_hides_the_verb(text)
        ):
            text = f"{text} {self.topic}"  # "make sure it's valid", "process it": the order
        if self.topic and not clause.for_each:
            # "create an urgent ticket; otherwise create a normal one": one more ticket
            text = _ONE_PROFORM.sub(rf"\g<lead>{self.topic}", text)
        bare_one = _BARE_ONE.match(text)
        if bare_one is not None:
            # "create a ticket for shipping; if about billing, create one for billing": one
            # more of what the last step with that verb made
            made = self._last_made(bare_one.group("verb"))
            if made is not None:
                text = f"{bare_one.group('verb')} a {made}{text[bare_one.end() :]}"
        if not meaningful(text):
            dealt = _DEALT_WITH.match(text.strip())
            if dealt is not None:
                # "validate order 5 and then process it": not filler, but what to do with
                # the order is not said (it was dropped)
                raise _says_not_what(clause, dealt.group("verb"), self.topic or "it", None)
            return None  # filler ("and return the result")
        if self._reads_an_output(text):
            return None  # "check the status code": a value a step before made, read as is
        added = _ADDED_TO_TOTAL.match(text.strip())
        if added is not None:
            if any(
                source.node is not None and source.name in _DERIVED_TOTALS
                for source in self._sources()
            ):
                return None  # "add it to the total" after the tax: the tax step's total
            if added.group("thing").lower() in ("it", "them", "this", "that"):
                raise PlanningError(
                    "unmapped_step",
                    f"Could not map {clause.label}: it adds an amount to a "
                    "total, and no step before it works out such a total. Name the step "
                    "that does ('calculate the tax, then charge the total').",
                    step=clause.text,
                    details={"reason": "sum_without_step"},
                )
            # "add the tax to the total": the step that works out the tax and its total
            text = f"calculate {added.group('thing')} and the total"
        if self._reads_the_request(text) and not clause.for_each:
            return None  # "read the support message": the run's input, not a step
        if clause.for_each and clause.for_each not in text.lower():
            text = f"{text} {clause.for_each}"  # "validate it" for each order
        located = _AT_LINK.sub(" ", text)
        if located != text and meaningful(located):
            # "check the mood of the page at the URL": the step is the check; the page
            # comes from a fetch first (see _fetch_first).
            ranked = self.rank(located)
            if (
                ranked
                and ranked[0][0] >= self.min_score
                and self._fetcher_for(ranked[0][1].spec) is not None
            ):
                text = located
        self._check_parts(clause, text)
        both = self._two_objects(clause, text)
        if both is not None and both[0][0].id == both[1][0].id:
            # "fetch our pricing page and our competitor's pricing page": one tool, two of
            # the same kind of thing: a list of them, one call each
            noun = singular(split_identifier(both[1][1])[-1])
            return self._add_step(
                replace(clause, for_each=noun, for_each_container=None), both[0][0]
            )
        if both is not None:
            (first_spec, first_part), (second_spec, second_part) = both
            # each step with its own words: its title, and the values it writes
            self._add_step(_said_part(clause, first_part), first_spec)
            return self._add_step(_said_part(clause, second_part), second_spec)
        parts = self._separate_steps(text)
        if parts:
            node_id = None
            sent_twice = _ALSO_SENT.match(text.strip()) is not None
            for part in parts:
                # sent two ways: each send has its own recipient and channel; any other
                # step writes its own values ("mark RMA-12 as received and restock SKU
                # MUG-01": the restock's code is MUG-01)
                own = (
                    replace(clause, action=part, text=part)
                    if sent_twice
                    else replace(clause, action=part)
                    if _BARE_CODE.search(_EMAIL_OR_URL.sub(" ", part))
                    else clause
                )
                node_id = self._add_step(own, self._pick_tool(own, part))
            return node_id
        spec = self._pick_tool(clause, text)
        return self._add_step(clause, spec)

    def _check_not_given_after(self, clause: Clause, spec: ToolSpec) -> None:
        """ "Open a ticket; if it's about billing, give it high priority": a value for the
        thing a step made already, in a case that step does not share. Another call would
        make a second one (and no tool changes it once made): refused, naming the step."""
        given = _GIVEN_A_LEVEL.search(clause.action)
        if given is None or not acts(spec):
            return
        made = [i for i in self.info.values() if i.spec is not None and i.spec.id == spec.id]
        if not made:
            return
        thing = " ".join(split_identifier(spec.id)[1:]) or spec.id
        raise PlanningError(
            "unmapped_step",
            f"Could not plan {clause.label}: it gives the {thing} made before a value "
            f"({given.group(0)!r}) only in some cases, and a second {spec.id} would make "
            f"another {thing}. Say the value where the {thing} is made ('open a high "
            f"priority ticket if it's about billing, otherwise a normal one').",
            step=clause.text,
            details={"phrase": given.group(0), "reason": "value_after_made", "tool": spec.id},
        )

    def _last_made(self, verb: str) -> str | None:
        """The thing the latest step of `verb` made ("ticket" for create_ticket)."""
        for info in reversed(list(self.info.values())):
            if info.spec is not None and _tool_verb(info.spec.id) == stem(verb.lower()):
                return " ".join(split_identifier(info.spec.id)[1:]) or None
        return None

    def _check_otherwise_repeats(self, clause: Clause) -> None:
        """After an approval only some requests need, the steps after it run either way:
        an "otherwise" that asks for another step ("if urgent, get approval and create a
        ticket; otherwise email the customer") would run it always, and the ticket too."""
        ranked = self.rank(_clean_action(clause.action)) if meaningful(clause.action) else []
        if not ranked or ranked[0][0] < self.min_score:
            return
        after_approval = {node.get("tool") for node in self.nodes[self.conditional_approval_at :]}
        if ranked[0][1].spec.id in after_approval:
            return
        if self._threshold_approval_alone():
            # "if the total is over 5000, require finance's approval; otherwise charge
            # straight away": the charge waits for the approval when there is one
            return
        raise PlanningError(
            "unmapped_condition",
            f"Could not plan {clause.label}: it says 'otherwise' after an approval that only "
            "some requests need, and the steps after that approval run for every request, "
            "so this step would run for every request too. Ask for the approval alone under "
            "the condition ('if it's urgent, a manager approves it') and name each case's "
            "steps with conditions of their own.",
            step=clause.text,
            details={"reason": "otherwise_after_conditional_approval"},
        )

    def _checked_state(self, condition: Condition) -> bool:
        """Whether `condition` reads a yes/no outcome a step before checked ("if it's
        valid", "if they're found"), not a kind of thing ("if it's urgent")."""
        resolved = resolve_condition(
            condition.text, self._sources(for_condition=True), negate=condition.negate
        )
        return (
            resolved is not None
            and "==" not in resolved.expression
            and not re.search(r"[<>]", resolved.expression)
        )

    def _state_beside_threshold(self, condition: Condition) -> Condition | None:
        """The checked state of a condition that joins one to a threshold ("it's valid and
        the total is over 1000"), else None."""
        if condition.negate:
            return None  # "unless it's valid and over 1000" is no such pair
        parts = _BOTH_PARTS.split(condition.text)
        if len(parts) != 2:
            return None
        states = [p for p in parts if not _COMPARISON_PHRASE.search(p)]
        if len(states) != 1:
            return None
        state = Condition(states[0].strip(" ,"))
        return state if self._checked_state(state) else None

    def _threshold_approval_alone(self) -> bool:
        """Whether the last conditional approval is for amounts past a limit ("over 5000")
        and no step follows it yet, so that the next step is the one it gates."""
        since = self.nodes[self.conditional_approval_at :]
        at = next((i for i, node in enumerate(since) if node.get("type") == "approval"), None)
        if at is None:
            return False
        comparison = re.search(r"[<>]=?\s*-?\d", str(since[at].get("when", "")))
        return comparison is not None and not any(
            node.get("type") in ("tool", "map") for node in since[at + 1 :]
        )

    def _said_as_a_flag(self, clause: Clause) -> str | None:
        """ "Reject CAND-500 with reason 'position filled' and send them the rejection
        email": the step before has a yes/no input for what this one asks (`send_email`:
        "Send the rejection template to the candidate"), so it is that input set, not a
        step of its own (an email was sent to each candidate's id)."""
        info = self.info.get(self.last_step or "")
        if (
            info is None
            or info.spec is None
            or info.clause is None
            or info.clause.sentence != clause.sentence
            or clause.condition is not None
            or clause.otherwise
            or clause.approval is not None
        ):
            return None
        node = next((n for n in self.nodes if n["id"] == info.id), None)
        if node is None:
            return None
        inputs = node.setdefault("inputs", {})
        for name, schema in info.spec.input_properties().items():
            if schema_types(unwrap_nullable(schema)) != {"boolean"}:
                continue
            if str(inputs.get(name, "input.")).startswith("input.") and flag_said(
                name, _clean_action(clause.action)
            ):
                before, inputs[name] = inputs.get(name), "true"
                if before is not None:
                    self._drop_unread_input(before)
                return info.id
        return None

    def _topic_hides_the_verb(self, text: str) -> bool:
        """ "Schedule an interview for CAND-65 and reject them": the verb is one tool's own
        ("Reject a candidate's application"); the topic (the interview) would pull in the
        tool of the step before, and the rejection be read as that step again. (When more
        than one tool says the verb, "validate it", the topic tells which.)"""
        words = text.split()
        verb = stem(words[0].lower()) if words else ""
        sayers = [spec for spec in self.specs.values() if verb and _says_the_verb(spec, verb)]
        if len(sayers) != 1 or self.topic in split_identifier(sayers[0].id):
            return False
        # (the topic is what a planned step's tool is named for; "approve the refund, then
        # process it" keeps its topic, which no tool planned names)
        return any(
            info.spec is not None and self.topic in split_identifier(info.spec.id)
            for info in self.info.values()
        )

    def _owns_its_object(self, text: str) -> bool:
        """ "Check their email": the object is the email (their only says whose), when
        that maps to a tool on its own; the topic would pull in a tool for the owner."""
        if _POSSESSIVE_OBJECT.search(text) is None:
            return False
        ranked = self.rank(text)
        return bool(ranked) and ranked[0][0] >= self.min_score

    def _separate_steps(self, text: str) -> list[str]:
        """ "Validate the order, handle the payment": a verb the reader does not split at
        ("handle", "do") still leads a step of its own when each part maps to a different
        tool; otherwise one part would pick the tool and the other be dropped."""
        parts = [p.strip(" ,.;") for p in _AND_PART.split(_ASIDE.sub(" ", text))]
        # "summarize <a> and <b> and email me the summaries": links listed are one part
        parts = _with_listed_addresses(parts)
        if len(parts) < 2 or _STORED_IN.match(text.strip()):
            return []  # "add the id and the amount to the sheet": values kept in one place
        if services_listed(text):
            return []  # "restart api and web in production": the services, one step
        whole = self.rank(text)
        if (
            whole
            and whole[0][0] >= self.min_score
            and written_places(whole[0][1].spec.input_properties(), text)
        ):
            return []  # ("add mo@… to the Support and Legal groups": values of one input)
        also = _ALSO_SENT.match(text.strip())
        if also is not None and self._another_channel(also.group("first"), also.group("second")):
            # "send the summary to #exec on Slack and to ceo@… by email": the same thing sent
            # two ways, one step each
            return [also.group("first"), f"{also.group('sent')} {also.group('second')}"]
        lead = parts[0].split()[0] if parts[0].split() else ""
        if _message_verb(lead) or stem(lead.lower()) in _SENDING_VERBS:
            return []  # "email them the carrier and tracking number": what one message says
        parts = [parts[0], *(_made_as_step(part) for part in parts[1:])]
        picked: list[str] = []
        for part in parts:
            lead = part.split()[0].lower() if part else ""
            if (
                len(part.split()) < 2
                or not meaningful(part)
                or lead in _OBJECT_START
                # "... with ann@x.io and today's date" (not "what's the duty on it")
                or (lead.endswith(("'s", "s'")) and lead not in _IS_SHORTENED)
                or lead in _PREPOSITIONS
                or lead in _QUALIFYING  # "and only for orders over 500": which ones
                or _COPIES.match(part)
                or (_STATEMENT.match(part) and re.search(r"\d|@", part))
            ):
                # an object, a word or two, who is copied, "(and) to the sales team" or
                # "customer is sam@x.org" (what is so, no step): a part of the step beside it
                return []
            if picked and _sets_an_input(part, self.specs[picked[0]]):
                return []  # "... and priority urgent": a value of the first step's ticket
            ranked = self.rank(part)
            if not ranked or ranked[0][0] < self.min_score:
                return []
            if picked and self._checked_too(parts[0], part, ranked[0][1].spec):
                return []  # "validate the email and name of the user": one check
            picked.append(ranked[0][1].spec.id)
        return parts if len(set(picked)) == len(picked) else []

    def _checked_too(self, first: str, part: str, spec: ToolSpec) -> bool:
        """ "validate email and name of the new user": a part after a check that starts
        with a field's name ("name of …") and maps to a tool that checks nothing (a lookup)
        is a second thing checked, not a step of that tool."""
        words = first.split()
        if not words or stem(words[0].lower()) not in _VALIDATING or _validates(spec):
            return False
        lead = part.split()[0].lower()
        return any(
            lead in (name.lower(), *split_identifier(name)[-1:])
            for other in self.specs.values()
            for name in other.input_properties()
        )

    def _another_channel(self, first: str, second: str) -> bool:
        """Whether `second` ("to ceo@… by email") goes out another way than `first` ("to
        #exec on Slack"): each needs a tool the other does not offer."""
        picked = [
            self._channel_sender(part) or self._email_sender(part) for part in (first, second)
        ]
        return None not in picked and picked[0] != picked[1]

    def _email_sender(self, part: str) -> ToolSpec | None:
        """The tool that sends an email to the address `part` names ("to ceo@… by email")."""
        if not (EMAIL_ADDRESS.search(part) or _BY_EMAIL.search(part)):
            return None
        ranked = self.rank(f"email {part}")
        return ranked[0][1].spec if ranked and ranked[0][0] >= self.min_score else None

    def _check_parts(self, clause: Clause, text: str) -> None:
        """Refuse a step joined to another by "and" whose words no tool uses ("validate the
        email and water the plants"): it would otherwise be dropped while the other part
        picks the tool. A part that is only an object ("and the order") or a word or two
        ("and address") belongs to its neighbour."""
        # a street address written out ("to 10 Downing Street, London") is data
        # (so is a place of two words: "Vancouver, British Columbia")
        placed = PLACE_NAMED.sub("the place", STREET_ADDRESS.sub(" the address ", text))
        dashed = _DASH_THEN_A_STEP.search(placed)
        if dashed is not None:
            # ("student S-4 moved house - enrol her in the chess club": what to do to
            # her, after a dash, with a verb no tool does; her record was looked up)
            verb = dashed["verb"].lower()
            if not (
                verb in self.reader.tool_verbs
                or self._known_word(verb)
                or verb in self.reader.verbs
            ):
                raise _unknown_action(dashed["part"], clause, verb)
        told = _TOLD_AFTER_A_COLON.search(placed)
        if told is not None and "," in told["told"] and self._told_in_phrases(told["told"]):
            # ("report an outage at 12 Elm Rd: transformer blew, whole street dark": what
            # the thing made says, in phrases; see _told_after_a_colon)
            placed = placed[: told.start()]
        parts = _AND_PART.split(_ASIDE.sub(" ", placed))
        if len(parts) < 2:
            return
        known = self.known_stems
        for part in parts:
            part = part.strip(" ,.;")
            words = meaningful(_EMAIL_OR_URL.sub(" ", part))  # addresses are data
            lead = part.split()[0].lower() if part else ""
            lacking = self._lacking(part) if lead else None
            if lacking is not None:
                # "validate the email and reject the signup": a part of its own asks for
                # what no tool does, even when its verb is one the planner reads otherwise
                raise _capability_error(clause, lacking, None)
            if (
                len(words) == 1
                and re.fullmatch(r"[a-z]+\s+(?:it|them|this|that)", part, re.IGNORECASE)
                and (lead in _DISTINCT_ACTIONS or self._foreign_action(lead))
                and lead not in self.reader.tool_verbs
                and not self._known_word(lead)
            ):
                # "classify the ticket and close it": an action of its own on it
                raise _unknown_action(part, clause, lead)
            if len(words) < 2 or lead in _OBJECT_START or lead in CONTROL_WORDS:
                continue
            if _CAPITAL_CODE.fullmatch(part):
                continue  # ("stock for GADGET-7 and CABLE-USB": a code, with no digit)
            if _COPIES.match(part):
                continue  # "and cc the manager": who the step's message copies
            if _SOMEONE_MUST.match(part) and _ASKS_APPROVAL.search(clause.text):
                continue  # ("..., manager needs to okay it first": the approval's words)
            if self._foreign_action(part.split()[0]):
                raise _unknown_action(part, clause, part.split()[0])
            stems = {stem(w) for w in words}
            if stems & known or {s for w in stems for s in synonyms(w)} & known:
                continue
            if self._complaint_of(part, parts[0]):
                continue  # ("log an outage at ..., no power since 6pm": what it says)
            raise PlanningError(
                "unmapped_step",
                f"Could not map {part!r} in {clause.label}: no tool's name, description or "
                "fields share a word with it. Register a tool that does it, or leave the "
                "step out.",
                step=part,
                details={"phrase": part, "reason": "no_matching_tool"},
            )

    def _complaint_of(self, part: str, head: str) -> bool:
        """Whether `part`, said after a comma, is what is wrong ("no power since 6pm",
        "can't reset my password") for the record the step `head` makes, whose tool takes a
        text of its own (see _complaint_told)."""
        if part == head.strip(" ,.;") or not _COMPLAINT_AFTER_A_COMMA.match(f", {part}"):
            return False
        ranked = self.rank(head)
        if not ranked or ranked[0][0] < self.min_score or not acts(ranked[0][1].spec):
            return False
        return bool(_said_inputs(ranked[0][1].spec.input_properties()))

    def _foreign_action(self, word: str) -> bool:
        if not foreign_verb(word, self.words):
            return False
        return not self._known_word(word)

    def _known_word(self, word: str) -> bool:
        """A word of the catalogue, or a synonym of one."""
        word_stem = stem(word)
        return word_stem in self.known_stems or bool(synonyms(word_stem) & self.known_stems)

    def _two_objects(
        self, clause: Clause, text: str
    ) -> tuple[tuple[ToolSpec, str], tuple[ToolSpec, str]] | None:
        """ "Validate the email and the order": one verb, two objects, two tools ("both the
        email and the order" too)."""
        match = _TWO_OBJECTS.match(_BOTH_OBJECTS.sub("", text))
        if match is None or clause.for_each:
            return None
        verb = match.group("verb")
        if _message_verb(verb) or stem(verb.lower()) in _SENDING_VERBS:
            return None  # "email the customer the carrier and tracking number": one message
        specs = []
        for part in (match.group("a"), match.group("b")):
            ranked = self.rank(f"{verb} {part}")
            if not ranked or ranked[0][0] < self.min_score:
                return None
            spec = ranked[0][1].spec
            if stem(verb.lower()) in _VALIDATING and not _validates(spec):
                # "validate the email and the name": no tool validates a name (a lookup
                # does not), so the name is what the run comes with, not a second step
                return None
            specs.append(spec)
        same_kind = singular(split_identifier(match.group("a"))[-1]) == singular(
            split_identifier(match.group("b"))[-1]
        )
        if (
            specs[0].id == specs[1].id
            and stem(verb.lower()) in _VALIDATING
            and not same_kind
            and not acts(specs[0])
            and not self._takes_the_thing(specs[0], match.group("b"))
        ):
            # "verify the email and the address": the email check does not check an
            # address, and no tool does; refused by name rather than dropped
            thing = f"{verb} {match.group('b')}"
            raise PlanningError(
                "unmapped_step",
                f"Could not map {thing!r} in {clause.label}: {specs[0].id} checks "
                f"{match.group('a')}, not {match.group('b')}, and no tool in the catalogue "
                "checks it. Register a tool that does, or leave that check out.",
                step=thing,
                details={"phrase": thing, "reason": "no_tool_checks", "closest": specs[0].id},
            )
        if specs[0].id == specs[1].id and (acts(specs[0]) or not same_kind or clause.condition):
            return None  # (one tool for both: only two things of one kind are a list)
        return (specs[0], f"{verb} {match.group('a')}"), (specs[1], f"{verb} {match.group('b')}")

    def _takes_the_thing(self, spec: ToolSpec, thing: str) -> bool:
        """Whether the tool takes what `thing` names ("the items" of an order check)."""
        words = {stem(singular(w)) for w in split_identifier(thing) if w not in STOP_WORDS}
        return any(
            words & {stem(singular(w)) for w in split_identifier(name)}
            for name in spec.input_properties()
        )

    def _add_step(self, clause: Clause, spec: ToolSpec) -> str | None:
        repeated = self._repeated_side_effect(spec, clause) or self._same_check(spec, clause)
        if repeated is not None:
            self._add_literals(repeated, spec, clause)
            return repeated
        self._check_not_given_after(clause, spec)
        _check_changes_nothing(clause, spec)
        _check_not_repeated(clause, spec)
        if clause.for_each and _takes_the_list(spec, clause.for_each):
            # "check stock for every line": the tool takes the lines, one call for all
            clause = replace(clause, for_each=None, for_each_container=None)
        if clause.for_each and self._fetch_each_first(clause, spec):
            # "translate each URL into French": each page fetched, then each translated
            clause = replace(clause, for_each="one", for_each_container=None)
        if not clause.for_each:
            if self._fetch_first(clause, spec) and not _COMBINED.search(clause.text):
                # "summarize the articles at <a> and <b>": each page fetched is summarized
                clause = replace(clause, for_each="one")
            clause = self._summary_of_the_loop(clause, spec)
            self._produce_first(clause, spec)
            self._read_the_record_first(clause, spec)
        if (
            self._merge is not None
            and self._merge[0] == spec.id
            and self.nodes
            and (self.nodes[-1]["id"] == self._merge[1])
        ):
            return self._merge[1]
        if clause.for_each:
            return self._map_node(clause, spec)
        written = _written_values(clause.action, spec)
        if written:
            # "validate these emails: a@x.com, b@x.com": one call for each value written
            return self._map_node(clause, spec, literal_items=written)
        node = self._tool_node(clause, spec)
        self._amount_converted(clause, spec, node)
        return self._send_after(clause, spec) or node

    def _amount_converted(self, clause: Clause, spec: ToolSpec, lookup: str) -> None:
        """ "convert 250 USD to EUR", "how much is 100 GBP in USD?": the rate looked up,
        then a value node works out the amount converted (the answer, or what a step after
        sends on, see `_sent_on`); the steps after it still attach to the lookup."""
        conversion = amount_converted(clause.action)
        rate = rate_field(spec)
        node = self.nodes[-1] if self.nodes else {}
        if (
            conversion is None
            or rate is None
            or self.group is not None
            or node.get("id") != lookup
            or not converts_the_pair(node.get("inputs") or {}, conversion)
        ):
            return
        value_id = self._unique_id("converted_amount")
        value = {
            "id": value_id,
            "type": "value",
            "title": f"{conversion.said} in {conversion.target}",
            "value": converted_value(lookup, rate, conversion),
        }
        self._add(value, "value", clause, None)
        self._advance(Cursor([lookup]))
        self.conversions[lookup] = (value_id, conversion)

    def _send_after(self, clause: Clause, spec: ToolSpec) -> str | None:
        """ "Give me a summary of the text by email": what the step makes is then sent, by
        the tool that sends an email."""
        if not _BY_EMAIL.search(clause.text):
            return None
        words = meaningful(clause.action)
        if (
            _tool_verb(spec.id) in _SENDING
            or (words and stem(words[0]) in _GENERIC_VERBS)
            or any("email" in split_identifier(name) for name in spec.input_properties())
        ):
            return None  # "find the user by email": the email is how to find them
        ranked = self.rank("send an email")
        if not ranked or ranked[0][0] < self.min_score:
            return None
        return self._tool_node(clause, ranked[0][1].spec)

    def _fetch_first(self, clause: Clause, spec: ToolSpec) -> bool:
        """ "Summarize the article at the link": a tool that reads text gets it from a tool
        that fetches a URL, when the step names a link and nothing upstream fetched one.
        True when the step names several links, each fetched by a map."""
        # (a link said in the condition, "when the website returns an error", is no page
        # for this step to read)
        said = clause.action if clause.condition is not None and clause.action else clause.text
        # (nor is a quoted title: "titled 'Site visit'")
        if not _MENTIONS_LINK.search(_clean_action(said)) or _takes_url(spec):
            return False
        if acts(spec) and (
            _LINK_AS_TOPIC.search(_clean_action(said))
            or not (_URL_LITERAL.search(said) or _AT_LINK.search(said) or _THE_PAGE.search(said))
        ):
            # "open a ticket about the broken link on our page", "a ticket for a website
            # issue": what it is about, not a page whose text it passes on
            return False
        if any(info.spec is not None and _takes_url(info.spec) for info in self.info.values()):
            return False
        # ("email the weekly report at https://...": the page at a link written out)
        fetcher = self._fetcher_for(spec, page_sent=bool(_PAGE_AT_LINK.search(said)))
        if fetcher is None:
            return False
        links = _written_values(said, fetcher)
        if len(links) > 1:
            self._map_node(_helping(clause), fetcher, literal_items=links)
            return True
        self._tool_node(_helping(clause), fetcher, helping=True)
        return False

    def _fetch_each_first(self, clause: Clause, spec: ToolSpec) -> bool:
        """ "For each URL, summarize it": a loop over links whose tool reads text fetches
        each link first (a map of the fetching tool), unless a step of the loop did."""
        if singular(clause.for_each or "") not in _URL_WORDS | {"page", "site", "website"}:
            return False
        if self.loop is not None and self.loop.sentence == clause.sentence:
            return False  # the loop's first step fetched them, or works on them already
        fetcher = self._fetcher_for(spec)
        if fetcher is None:
            return False
        # (titled by what the fetch does, not by the step it serves)
        self._map_node(replace(_helping(clause), action=fetcher.name or fetcher.id), fetcher)
        return True

    def _summary_of_the_loop(self, clause: Clause, spec: ToolSpec) -> Clause:
        """ "Get the sentiment of each review and email me a summary": right after a loop,
        a summary sent with nothing named to summarise is of the loop's results, listed as
        "the results" are (a summarizer would read a text the run was asked for)."""
        if (
            self.loop is None
            or self.last_step != self.loop.last_map
            or _tool_verb(spec.id) not in _SENDING
        ):
            return clause
        action = _A_SUMMARY_OF_NOTHING_NAMED.sub("the results", clause.action, count=1)
        return clause if action == clause.action else replace(clause, action=action)

    def _produce_first(self, clause: Clause, spec: ToolSpec) -> None:
        """ "Email me a summary of the text": a step that sends what another tool makes
        (its verb's noun, `MADE_BY`: a summary, a translation) gets it from that tool first,
        when nothing upstream made it. Only a tool that changes nothing is added so."""
        made = self._planned_tools()
        for producer in self._producers(_clean_action(clause.action), spec) or []:
            if producer.id not in made:
                self._make_for(clause, producer)
        agent = self._agent_said(clause.action, spec)
        if agent is not None and agent.id not in self._planned_tools():
            self._make_for(clause, agent)
        if _tool_verb(spec.id) not in _SENDING and not (
            acts(spec) and set(_said_inputs(spec.input_properties())) & {"note", "comment"}
        ):
            return  # (a note logged "with a summary of the email" says it too)
        looked_up = self._looked_up_to_send(clause.action or "", spec)
        if looked_up is not None:
            self._make_for(clause, looked_up)
            return
        # "tell me whether it's positive or negative": the sentiment, asked as a question
        action = _EMAIL_OR_URL.sub(" ", question_as_noun(clause.action))
        # the noun as a thing of its own ("a summary", "the summary of the text", "its
        # sentiment"), not a word of another noun ("their account summary")
        wanted = {
            stem(MADE_BY[w.lower()])
            for w in meaningful(action)[1:]
            if w.lower() in MADE_BY
            and re.search(
                # ("a 3 sentence summary": its length, said before it)
                rf"\b(?:an?|the)\s+(?:\w+\s+)?(?:\d+\s+\w+\s+)?{w}{_NOUN_ENDS}|"
                rf"\bits\s+{w}{_NOUN_ENDS}|\b{w}\s+of\b",
                action,
                re.I,
            )
            and not self._of_a_record(action, w)
        }
        if not wanted or self._records_looked_up_in_a_loop():
            # ("get the weather for Madrid, Berlin and Oslo and email the summary": the
            # lines of what each lookup found, not a summarizer of a text nobody gave)
            return
        for other in self.specs.values():
            verb = _tool_verb(other.id)
            if other.id == spec.id or other.id in made or not other.config.cacheable:
                continue
            if verb in wanted or synonyms(verb) & wanted:
                self._fetch_first(clause, other)
                self._make_for(clause, other)
                # "send the summary and the sentiment": each made by its own tool
                wanted -= {verb} | synonyms(verb)
                if not wanted:
                    return

    def _sender_of_a_lookup(
        self, asked: str, ranked: list[tuple[float, ScoredTool]]
    ) -> ToolSpec | None:
        """ "Email the weather in Paris to a@b.co", "post the current weather in Tokyo to
        #general": a step that sends what a lookup gives is the sending tool's (the lookup,
        which ranked first on the thing, runs before it: `_looked_up_to_send`)."""
        words = split_identifier(asked)
        if not words or stem(words[0]) not in _SENDING | _TEXTING:
            return None
        order = {item.spec.id: at for at, (_, item) in enumerate(ranked)}
        senders = sorted(
            (spec for spec in self.specs.values() if _tool_verb(spec.id) in _SENDING),
            key=lambda spec: order.get(spec.id, len(order)),
        )
        for sender in senders:
            if self._looked_up_to_send(asked, sender) is None:
                continue
            sent = _THE_THING_OF.sub("it ", _EMAIL_OR_URL.sub(" ", asked), count=1)
            # ("the link to invoice in_1Ab2C": the invoice is what is looked up, not made)
            sent = re.sub(r"\bit\s+[a-z]+\s+(?=[\w-]*\d)", "it ", sent, count=1)
            if self._lacks(sent, sender) is None:
                return sender
        return None

    def _read_by_its_producer(self, clause: Clause, value: str) -> bool:
        """Whether a step planned to make what `clause` sends reads the quoted `value` (the
        text "the sentiment of '...'" is of): what is sent is what that step makes."""
        quoted = json.dumps(value)
        return any(
            node.get("inputs") and quoted in node["inputs"].values()
            for node in self.nodes
            if (info := self.info.get(node["id"])) is not None
            and info.clause is not None
            and info.clause.text == clause.text
        )

    def _looked_up_to_send(self, action: str, spec: ToolSpec) -> ToolSpec | None:
        """ "Post the price of TSLA to #finance", "email me the weather in Paris": what the
        message says is a thing a tool that changes nothing gives (its name, or a field of
        it), of what the step writes (the symbol, the city); that tool, to run first (the
        run was asked for the message)."""
        made = self._planned_tools()
        # ("email the list of who is out today to frontdesk@...": a reader's whole name,
        # "Who's out", said as what the message sends)
        said_in_full = f" {_words_of_a_name(_EMAIL_OR_URL.sub(' ', action))} "
        whole = [
            other
            for other in self.specs.values()
            if other.id != spec.id
            and other.id not in made
            and not acts(other)
            and len((name := _words_of_a_name(other.name)).split()) >= 2
            and re.search(rf" (?:the\s+)?(?:list|names|report) of {re.escape(name)} ", said_in_full)
            # (a reader that needs nothing, or only what the step writes)
            and (not other.required_inputs() or self._inputs_written_in(other, action))
        ]
        if len(whole) == 1:
            return whole[0]
        # ("post the EUR to USD rate to #fx": the rate of EUR to USD)
        action = _PAIR_BEFORE_ITS_NOUN.sub(r"the \g<noun> of \g<a> to \g<b>", action)
        for said in _THE_THING_OF.finditer(_EMAIL_OR_URL.sub(" ", action)):
            noun = stem(singular(said["noun"].lower()))
            if noun in STOP_WORDS or said["noun"].lower() in MADE_BY:
                continue
            if re.search(r"\b(?:to|for|at|cc|from)\s+$", said.string[: said.start()], re.I):
                continue  # ("send reminders to the owners of P-101": whom it goes to)
            # ("the status of ...": a noun that ends on "s" and is no plural; "the link to
            # invoice ...": its `hosted_invoice_url`)
            nouns = {noun, stem(said["noun"].lower())}
            nouns |= {stem("url")} & synonyms(noun)
            # ("the temperature in Berlin": a lookup's `temp_c`)
            nouns |= {stem(short) for short in _SHORT_FORMS.get(said["noun"].lower(), ())}
            found = [
                other
                for other in self.specs.values()
                if other.id != spec.id
                and other.id not in made
                and not acts(other)
                and nouns
                & (
                    {stem(w) for w in split_identifier(other.id)[1:]}
                    | {
                        stem(w)
                        for name in other.output_properties()
                        for w in split_identifier(name)
                    }
                )
                and self._inputs_written_in(other, said.group(0) + action[said.end() :])
            ]
            if len(found) > 1:
                # ("email the status of incident Q7XYZ": of an incident's status and a
                # service's, the tool named for the thing after "of")
                thing = re.match(r"(?:the\s+|an?\s+)?([a-z]+)", action[said.end() :], re.I)
                of = stem(singular(thing[1].lower())) if thing else ""
                found = [
                    other for other in found if of in {stem(w) for w in split_identifier(other.id)}
                ]
            if len(found) == 1:
                return found[0]
        return None

    def _agent_said(self, action: str, spec: ToolSpec) -> ToolSpec | None:
        """ "Open a ticket with the priority the classifier returns": the tool the agent noun
        names (classifier: classify_ticket), which changes nothing and gives the value
        (`priority`) the step takes."""
        said = _AGENT_GIVES.search(action)
        if said is None:
            return None
        agent, field = said.group("agent").lower(), said.group("field").lower()
        verbs = {stem(agent[: -len(end)] + add) for end, add in _AGENT_ENDS if agent.endswith(end)}
        found = [
            other
            for other in self.specs.values()
            if other.id != spec.id
            and other.config.cacheable
            and _tool_verb(other.id) in verbs
            and field in other.output_properties()
        ]
        return found[0] if len(found) == 1 and field in spec.input_properties() else None

    def _read_the_record_first(self, clause: Clause, spec: ToolSpec) -> None:
        """ "Score the resume of candidate CAND-88 against job JOB-12", "order a background
        check for candidate CAND-301", "... then text the guest": a required input nothing
        gives (`resume_url`, `candidate_email`, `phone`) is a field of the record of the thing
        the request names by its code; the one tool that reads such records by that code
        (`ats.candidates.get`) reads it first, rather than the run being asked for it."""
        if self._in_loop(clause):
            return
        literals = self._literals(spec, clause)
        planned = self._planned_tools()
        wanted: dict[str, ToolSpec] = {}
        for name in spec.required_inputs():
            schema = spec.input_properties().get(name) or {}
            if name in literals or is_content_input(name, schema):
                continue  # (what the step says, its text, is no record's field)
            readers = [
                reader
                for reader in self.specs.values()
                if reader.id != spec.id
                and reader.id not in planned
                and not acts(reader)
                and self._reads_it(reader, name, schema, clause, texts=_texts_phones(spec))
            ]
            if len(readers) == 1:
                wanted[name] = readers[0]
        if not wanted:
            return
        # only for what the step would otherwise ask of the run
        declared = dict(self.input_properties), list(self.input_required)
        wired = self._wire(spec, clause, self._sources(), literals=literals)
        self.input_properties, self.input_required = declared
        for name, reader in wanted.items():
            if self._asked_at_run(wired.get(name, "")) and reader.id not in planned:
                self._tool_node(_helping(clause), reader, helping=True)
                planned.add(reader.id)

    def _reads_it(
        self,
        reader: ToolSpec,
        name: str,
        schema: dict[str, Any],
        clause: Clause,
        *,
        texts: bool = False,
    ) -> bool:
        """Whether `reader`, keyed by codes the request gives, returns the field input
        `name` takes, of the thing the step names (by its code, or by the words the field's
        name has over the input's: "the guest" for `guest_phone`)."""
        # ("invoice the customer carl@x.io": a customer read by their address gives the
        # `customer_id`, when the reader is the customer's)
        of = split_identifier(name)[:-1] if split_identifier(name)[-1:] == ["id"] else []
        by_address = bool(of) and of[-1] in split_identifier(reader.id)
        if self._record_keys(reader, clause, by_address=by_address) is None:
            return False
        sources = output_sources("r", reader.output_schema)
        fits = best_source(name, schema, sources, minimum=0.65)
        field, score = (fits.source.name, fits.score) if fits is not None else ("", 0.0)
        if name in _RECIPIENT_INPUTS and fits is None:
            # "email the guest": the one address field the record has (`guest_email`);
            # "text the on-call person": the one phone field, for a tool that texts phones
            kind = "phone" if texts else "email"
            addresses = [s.name for s in sources if kind in split_identifier(s.name)]
            field, score = (addresses[0], 0.7) if len(addresses) == 1 else ("", 0.0)
            name = kind
        if not field:
            return False
        # (the words the field's name has over the input's: "guest" in `guest_email`, or
        # the input's over the field's: "candidate" in `candidate_email`)
        mine, its = set(split_identifier(name)), set(split_identifier(field))
        extra = {stem(w) for w in its - mine} or {stem(w) for w in mine - its}
        said = {stem(w) for w in re.findall(r"[a-z]+", clause.action.lower())}
        told = bool(_BARE_CODE.search(_EMAIL_OR_URL.sub(" ", clause.action))) or bool(extra & said)
        named = extra <= ({stem(w) for w in split_identifier(reader.id)} | said)
        if told and (score >= 0.75 or bool(extra and named)):
            return True
        if fits is None and name in ("email", "phone"):
            # "text the on-call person for PXY12Z": the record's one phone (or address),
            # when the step names whose it is in the reader's own words ("The person on
            # call now ...")
            own = {stem(w) for w in meaningful(f"{reader.id} {reader.description}")}
            verb = stem(clause.action.split()[0].lower()) if clause.action.split() else ""
            return bool((said - {verb}) & own)
        return False

    def _record_keys(
        self, reader: ToolSpec, clause: Clause, *, by_address: bool = False
    ) -> dict[str, str] | None:
        """The code each required input of a tool that reads a record takes, from what the
        step writes or a step before was given (None when one is missing). `by_address`:
        the reader is of the thing wanted, so an email address is a key too."""
        required = reader.required_inputs()
        keys_said = _ID_WORDS | ({"email"} if by_address else set())
        # (a record read by its id: `customer_id`, `confirmation_no`; a check of an address
        # is no record of someone)
        if not required or any(split_identifier(n)[-1:][0] not in keys_said for n in required):
            return None
        literals = self._literals(reader, clause)
        keys: dict[str, str] = {}
        for name in required:
            schema = reader.input_properties().get(name) or {}
            value = literals.get(name) or self._code_said_for(name, schema, clause)
            if value is None:
                given = {
                    str((node.get("inputs") or {}).get(name))
                    for node in self.nodes
                    if str((node.get("inputs") or {}).get(name, "")).startswith('"')
                }
                value = given.pop() if len(given) == 1 else None
            if value is None or not value.startswith('"'):
                return None
            keys[name] = value
        return keys

    def _make_for(self, clause: Clause, producer: ToolSpec) -> None:
        """The step that makes what `clause` sends; right after a loop, and named in the
        plural ("for each URL, fetch it; then email me the summaries"), one for each of
        the loop's results."""
        if (
            self.loop is not None
            and self.loop.filtered is None
            and self.last_step == self.loop.last_map
            and any(
                word.lower() in MADE_BY and word.lower() == plural(singular(word.lower()))
                for word in re.findall(r"[A-Za-z]+", clause.action)
            )
        ):
            self._map_node(replace(_helping(clause), for_each="one"), producer)
            return
        before = self.last_step
        node_id = self._tool_node(_helping(clause), producer, helping=True)
        said = _OF_THE_RESULTS.search(clause.action)
        node = next(n for n in self.nodes if n["id"] == node_id)
        asked = [
            name
            for name, expression in (node.get("inputs") or {}).items()
            if name in producer.required_inputs() and self._asked_at_run(expression)
        ]
        made_before = self.info.get(before or "")
        what = re.sub(r"^of\s+", "", said.group(0), flags=re.IGNORECASE) if said else None
        if (
            said is None
            and asked
            and made_before is not None
            and made_before.spec is not None
            and not acts(made_before.spec)
            and made_before.clause is not None
            and made_before.clause.sentence == clause.sentence
            and not any(
                "string" in schema_types(unwrap_nullable(field))
                for field in made_before.spec.output_properties().values()
            )
        ):
            # "get the recent errors and post a summary to #incidents": a summary of what
            # the step before found, which it gives as no text at all
            what = f"what {made_before.spec.id} returned"
        if what is not None and before is not None and asked:
            # "validate every email, then send me a summary of the results": no step gives
            # a text of what the steps before found, and the run's own text is not it
            raise PlanningError(
                "unmapped_step",
                f"Could not plan {clause.label}: it asks {producer.id} to work on "
                f"{what!r}, and no step before it gives them as {asked[0]!r} (the "
                "run would have to bring that text). Name the field to use, or register a "
                "tool that writes a report of the results.",
                step=clause.text,
                details={"phrase": what, "reason": "results_not_text"},
            )

    def _reads_an_output(self, text: str) -> bool:
        """ "Then check the status code" after a fetch: the step only looks at a field a
        step before returned (a condition on it follows), so it plans nothing."""
        match = _LOOKS_AT.match(text.strip())
        if match is None:
            return False
        thing = "_".join(meaningful(match.group("thing")))
        if match.group("whose") and any(
            score >= self.min_score and stem(thing) in item.matched
            for score, item in self.rank(text)
        ):
            return False  # "check their email": a tool checks an email
        return any(
            source.node is not None and source.name.lower() == thing for source in self._sources()
        )

    def _of_a_record(self, action: str, noun: str) -> bool:
        """ "The order summary": a summary a record has, not one a tool makes of a text
        (a catalogue noun other than a text before it; "the text summary" is one)."""
        match = re.search(rf"\b(?:an?|the|their|its|your|our)\s+(\w+)\s+{noun}\b", action, re.I)
        if match is None:
            return False
        word = match.group(1).lower()
        return word in self.topic_words and word not in _TEXTS

    def _fetcher_for(self, spec: ToolSpec, *, page_sent: bool = False) -> ToolSpec | None:
        """The one tool that turns a URL into what `spec` reads (its first required text);
        `page_sent`: a message step names a page by its written link, so what it says."""
        if _takes_url(spec):
            return None
        text_inputs = [
            name
            for name, schema in spec.input_properties().items()
            if name in spec.required_inputs() and schema_types(schema) == {"string"}
        ]
        said = _message_text_input(spec) if page_sent and acts(spec) else None
        if said is not None:
            # "email the weekly report at https://...": what the message says is the page
            text_inputs = [said, *text_inputs]
        if not text_inputs:
            return None
        fetchers = [
            other
            for other in self.specs.values()
            if _takes_url(other)
            and other.id != spec.id
            and any(
                name_similarity(text_inputs[0], f) >= 0.7 or (said is not None and f in _PAGE_TEXTS)
                for f in other.output_properties()
            )
        ]
        return fetchers[0] if len(fetchers) == 1 else None

    def _services_first(
        self, text: str, ranked: list[tuple[float, ScoredTool]]
    ) -> list[tuple[float, ScoredTool]]:
        """ "check api, web and db": services listed are the step's object, so a tool that
        takes a service goes before one that only shares the verb (a page fetch)."""
        if not ranked or takes_a_service(ranked[0][1].spec.input_properties()):
            return ranked
        if not services_listed(text):
            return ranked
        for at, (_score, item) in enumerate(ranked):
            if takes_a_service(item.spec.input_properties()) and (
                not acts(item.spec) or _tool_verb(item.spec.id) in {stem(w) for w in text.split()}
            ):
                # (at the best tool's score: the services said are the words it lacked)
                return [(ranked[0][0], item), *ranked[:at], *ranked[at + 1 :]]
        if text.split()[0].lower() in _CHECK_VERBS:
            # "check api, web and db": the tool that tells a service's health
            for spec in self.specs.values():
                said_of = set(split_identifier(f"{spec.id} {spec.description}"))
                if takes_a_service(spec.input_properties()) and _HEALTH_WORDS & said_of:
                    return [(ranked[0][0], ScoredTool(spec, ranked[0][0])), *ranked]
        return ranked

    def _done_as_described(self, action: str) -> ToolSpec | None:
        """The one tool whose description starts with the step's verb and says the thing
        after the step's "to"/"from"/"into" after the same word ("add kim@zx.io to list
        a1b2..." and "Add or resubscribe an email address to an audience (list)"), when no
        tool scores enough; a word in brackets after that thing names it too."""
        step = _VERB_THEN_WHERE.match(action)
        if step is None:
            return None
        verb, where, noun = stem(step["verb"].lower()), step["where"].lower(), step["noun"].lower()
        found = []
        for spec in self.specs.values():
            first = split_identifier(spec.description)[:1]
            if not first or stem(first[0]) != verb:
                continue
            said = re.search(
                rf"\b{where}\s+(?:(?:an?|the|one)\s+)?(?:\w+\s+)?"
                # ("to an audience member": the audience is not where it goes)
                rf"(?:{re.escape(noun)}s?\b(?!\s+[a-z])|\w+\s+\({re.escape(noun)}s?\))",
                spec.description,
                re.IGNORECASE,
            )
            if said is not None:
                found.append(spec)
        return found[0] if len(found) == 1 else None

    def _verb_a_description_leads_with(self, action: str) -> ToolSpec | None:
        """The one tool whose description begins with verbs joined by "or"/"and" ("Add or
        resubscribe an email address ...") one of which, not the first, is the step's verb
        ("resubscribe them"), when no tool scores enough."""
        verb = re.match(r"^\W*(?:please\s+)?([a-z]{3,})\b", action, re.IGNORECASE)
        if verb is None:
            return None
        said = stem(verb[1].lower())
        found = [
            spec
            for spec in self.specs.values()
            if (lead := _LEADING_VERBS.match(spec.description)) is not None
            and said in {stem(v.lower()) for v in re.findall(r"[A-Za-z]+", lead["rest"])}
            - {stem("or"), stem("and")}
        ]
        return found[0] if len(found) == 1 else None

    def _named_in_full(self, action: str) -> ToolSpec | None:
        """The one tool whose whole name (two words or more, "Who's out") the step says,
        a contraction read either way ("who is out today"), when no tool scores enough."""
        said = f" {_words_of_a_name(action)} "
        named = [
            spec
            for spec in self.specs.values()
            if len((name := _words_of_a_name(spec.name)).split()) >= 2 and f" {name} " in said
        ]
        return named[0] if len(named) == 1 else None

    def _pick_tool(self, clause: Clause, text: str) -> ToolSpec:
        fetched = _A_SITE_FETCHED.match(text)
        if (
            fetched is not None
            and fetched["url"] in sites_asked_up(self.request)
            and (checker := self._site_checker()) is not None
        ):
            return checker  # "check if https://shop.acme.io is up": the uptime check's
        # ("reply to the customer that we're looking into it": what the message says names
        # no tool; "looking" is no lookup)
        ranked = self._what_was_made_first(text, self.rank(without_what_is_said(text)))
        if (not ranked or ranked[0][0] < self.min_score) and (
            sender := self._channel_sender(_clean_action(clause.action or clause.text))
        ):
            return sender  # "escalate to #escalations": the one tool that posts there
        if (not ranked or ranked[0][0] < self.min_score) and (
            named := self._named_in_full(clause.action or clause.text)
        ):
            return named  # "who's out today?" with a tool named "Who's out"
        if (not ranked or ranked[0][0] < self.min_score) and (
            described := self._done_as_described(clause.action or clause.text)
        ):
            return described  # "add kim@... to list a1b2...": "Add ... to an audience (list)"
        if (not ranked or ranked[0][0] < self.min_score) and (
            leading := self._verb_a_description_leads_with(clause.action or clause.text)
        ):
            return leading  # "resubscribe them": "Add or resubscribe an email address ..."
        if not ranked or ranked[0][0] < self.min_score:
            closest = ", ".join(f"{item.spec.id} ({score:.1f})" for score, item in ranked[:3])
            why = (
                f"the best candidates score too low: {closest}"
                if closest
                else "no tool's name, description or fields share a word with it"
            )
            raise PlanningError(
                "unmapped_step",
                f"Could not map {clause.label} to a tool: {why}. Rephrase the step with words "
                "from a tool's name or description, or register a tool that does it.",
                step=clause.text,
                details={
                    "candidates": [
                        {"tool": item.spec.id, "score": round(score, 2)}
                        for score, item in ranked[:3]
                    ]
                },
            )
        ranked = self._object_over_verb(text, ranked)
        ranked = _reader_for_a_check(text, ranked)
        ranked = _doing_said_as_a_noun(text, ranked)
        ranked = self._handle_taker_first(text, ranked)
        ranked = _more_than_the_verb(text, ranked)
        ranked = self._services_first(text, ranked)
        ranked = self._fed_by_it_breaks_tie(clause, ranked)
        asked = _clean_action(clause.action or clause.text)  # quoted text is data, not a step
        asked = self._without_things_made(without_notice_topic(without_what_is_said(asked)))
        asked = _SENDS_GOODS.sub(r"ship \g<goods>", asked, count=1)  # "post the parcel"
        asked = _URL_LITERAL.sub("the link", asked)
        said = asked  # (the values it names: "via fedex express", not "... express order")
        if self.arrived and not self.topic and _PRONOUN_OBJECT.search(asked):
            # "when a refund request comes in, ... before processing it": the refund's
            asked = f"{asked} {self.arrived}"
        if (
            self.topic
            and _PRONOUN_OBJECT.search(asked)
            and self.topic not in asked.lower()
            and not _ADDRESSES_SOMEONE.match(asked)
            and not _STORED_IN.match(asked)
            and not self._topic_hides_the_verb(asked)
        ):
            asked = f"{asked} {self.topic}"  # "process it", it being the refund
        self._check_more_than_the_topic(clause, ranked)
        self._check_object_known(clause, text, ranked[0][1])
        self._check_verb_known(clause, text, ranked[0][1])
        self._check_object_of_another(clause, text, ranked[0][1])
        self._check_channel_sent_to(clause, asked, ranked)
        sender = self._sender_of_a_lookup(asked, ranked)
        if sender is not None:
            return sender
        for score, item in ranked:
            if score < self.min_score:
                break
            if (
                self._lacks(asked, item.spec) is None
                or self._producers(asked, item.spec) is not None
            ):
                _check_copies(clause, asked, item.spec)
                self._check_choices(clause, said, item.spec)
                self._check_sends(clause, asked, item.spec, ranked[0][1].spec)
                self._check_makes_that(clause, text, item.spec)
                self._check_acts_on_that(clause, text, item.spec)
                return self._hash_channel_sender(asked, item.spec)
        best = ranked[0][1].spec
        missing = missing_capability(asked, best)
        assert missing is not None
        sender = self._channel_sender(asked) if is_channel(missing) else None
        if sender is not None:
            return sender  # "notify #eng": the one tool that sends on that channel
        offering = [
            spec
            for spec in self.specs.values()
            if spec.id != best.id and missing_capability(asked, spec) is None
        ]
        if len(offering) == 1:
            # "page the on-call engineer": the one tool that pages, though its words rank
            # below the tool that fetches a page
            return offering[0]
        # several do it ("page the on-call": PagerDuty and Opsgenie): the one whose words
        # rank above the others', if one does
        scores = {item.spec.id: score for score, item in ranked}
        by_score = sorted(offering, key=lambda spec: -scores.get(spec.id, 0.0))
        if len(by_score) > 1 and scores.get(by_score[0].id, 0.0) > scores.get(by_score[1].id, 0.0):
            return by_score[0]
        raise _capability_error(clause, missing, best)

    def _check_channel_sent_to(
        self, clause: Clause, asked: str, ranked: list[tuple[float, ScoredTool]]
    ) -> None:
        """ "If it's technical, send it to #eng" with no tool that posts to a channel: the
        step sends, so a tool ranked for what is sent ("it", the ticket) would make or read
        it instead of sending it. Refused, naming the channel no tool offers."""
        words = split_identifier(asked)
        if not words or stem(words[0]) not in _SENDING or not channels_named(asked):
            return
        senders = [
            item.spec
            for score, item in ranked
            if score >= self.min_score and _tool_verb(item.spec.id) in _SENDING
        ]
        if not senders and ranked and self._channel_sender(asked) is None:
            best = ranked[0][1].spec
            if not _posts_messages(best.id):
                # "post it in #it" with only a tool that invites people to a channel: it
                # would invite someone, not post anything
                channel = channels_named(asked)[0]
                does = best.description.strip().splitlines()[0] if best.description else best.name
                raise PlanningError(
                    "unmapped_step",
                    f"Could not map {clause.label}: it sends something to {channel}, and no "
                    f"tool in the catalogue posts a message there; {best.id} does something "
                    f"else ({does}). Register a tool that posts messages, or leave the step out.",
                    step=clause.text,
                    details={"reason": "no_sender", "tool": best.id, "capability": channel},
                )
        if not senders or self._channel_sender(asked) is not None:
            return
        if any(
            any(stem(w) in _SENDING for w in split_identifier(spec.id))
            and not any(is_channel(m) for m in missing_capabilities(asked, spec))
            for spec in self.specs.values()
        ):
            return  # a tool that sends offers the channel ("teams_post", its verb last)
        if any(
            acts(spec)
            and any(re.search(r"channel|medium|method|via", n) for n in spec.input_properties())
            and not any(is_channel(m) for m in missing_capabilities(asked, spec))
            for spec in self.specs.values()
        ):
            # ("send them a letter" with a notice tool whose `channel` lists letter: that
            # tool's channel, not one no tool offers)
            return
        top = ranked[0][1].spec if ranked and ranked[0][0] >= self.min_score else None
        if top is not None and not any(is_channel(m) for m in missing_capabilities(asked, top)):
            return  # ("send the engagement letter": the best tool sends that letter itself)
        missing = [missing_capability(asked, spec) for spec in senders]
        if all(m is not None and is_channel(m) for m in missing) and missing[0] is not None:
            raise _capability_error(clause, missing[0], senders[0])

    def _check_sends(self, clause: Clause, asked: str, spec: ToolSpec, best: ToolSpec) -> None:
        """ "Email the customer their invoice" with a tool that creates invoices: a step
        that sends, mapped to a tool that makes something instead, would drop the sending
        (and make what was only to be sent); refused, naming what to say instead."""
        words = split_identifier(asked)
        if (
            not words
            or stem(words[0]) not in _SENDING
            or any(stem(w) in _SENDING for w in split_identifier(spec.id))
            or _tool_verb(best.id) not in _SENDING
            or not acts(spec)
        ):
            return
        raise PlanningError(
            "unmapped_step",
            f"Could not map {clause.label}: it asks to send something that {spec.id} makes "
            f"({spec.name}), and {best.id}, the tool that sends, cannot make it. Say both "
            "steps ('create it, then email it to them'), or send what the run is given.",
            step=clause.text,
            details={
                "phrase": clause.text,
                "reason": "sends_what_another_makes",
                "tool": spec.id,
                "closest": best.id,
            },
        )

    def _check_choices(self, clause: Clause, asked: str, spec: ToolSpec) -> None:
        """ "Ship it via Royal Mail" when the carrier is one of ups, fedex, dhl, usps: a
        value the tool's list does not have is refused, naming it, not dropped."""
        unlisted = unlisted_choice(
            spec.input_properties(), asked, known=self.catalogue_words, english=english_words()
        )
        untaken = setting_not_taken(spec.input_properties(), asked)
        if unlisted is None and untaken is not None:
            field, value = untaken
            raise PlanningError(
                "unmapped_step",
                f"Could not map {clause.label}: it asks for {field} {value!r}, and {spec.id} "
                f"has no {field} to set (it takes {', '.join(spec.input_properties())}). "
                f"Leave the {field} out, or register a tool that takes one.",
                step=clause.text,
                details={"phrase": value, "reason": "setting_not_taken", "input": field},
            )
        if unlisted is None:
            return
        allowed = ", ".join(unlisted.allowed)
        raise PlanningError(
            "unmapped_step",
            f"Could not map {clause.label}: it asks for {unlisted.phrase!r} as the "
            f"{unlisted.name.replace('_', ' ')}, and {spec.id} takes only {allowed}. "
            f"Name one of those, or leave the {unlisted.name.replace('_', ' ')} out.",
            step=clause.text,
            details={
                "phrase": unlisted.phrase,
                "reason": "value_not_offered",
                "input": unlisted.name,
                "allowed": list(unlisted.allowed),
                "closest": spec.id,
            },
        )

    def _without_things_made(self, asked: str) -> str:
        """ "Analyze the sentiment of the translation" after a translation: what a planned
        step made (`MADE_BY`) is what this step works on, asking nothing of its tool."""
        made = {
            stem(verb)
            for info in self.info.values()
            if info.spec is not None
            for verb in {_tool_verb(info.spec.id)} | _spec_stems(info.spec)
        }
        for noun, verb in MADE_BY.items():
            if stem(verb) in made:
                asked = re.sub(
                    rf"\b(?:the|this|that|its|their|his|her)\s+(?:\w+\s+)?{noun}\b",
                    " ",
                    asked,
                    flags=re.IGNORECASE,
                )
        # "refund the payment, then post the refund id": the refund a step before made
        for info in self.info.values():
            if info.spec is not None and (said := split_identifier(info.spec.id)[:1]):
                asked = re.sub(
                    rf"\b(?:the|this|that|its|their)\s+{re.escape(said[0])}\b",
                    " ",
                    asked,
                    flags=re.IGNORECASE,
                )
        return asked

    def _channel_sender(self, asked: str) -> ToolSpec | None:
        """The one sending tool that offers the channel `asked` names (a #channel, SMS)."""
        if not channels_named(asked):
            return None
        senders = [
            spec
            for spec in self.specs.values()
            if _posts_messages(spec.id) and missing_capability(asked, spec) is None
        ]
        return senders[0] if len(senders) == 1 else None

    def _hash_channel_sender(self, asked: str, picked: ToolSpec) -> ToolSpec:
        """ "Post it to #weather" naming no chat app: a `#channel` is how Slack names its
        channels, so the Slack tool, when the catalogue has one, rather than another chat
        tool that ranked higher (Teams channels have no "#")."""
        if channels_named(asked) != ["a chat channel"] or spec_says(picked, "slack"):
            return picked

        def posts_there(spec: ToolSpec) -> bool:
            return "a chat channel" not in {m.what for m in missing_capabilities(asked, spec)}

        if not posts_there(picked):
            return picked
        slack = [
            spec for spec in self.specs.values() if spec_says(spec, "slack") and posts_there(spec)
        ]
        return slack[0] if len(slack) == 1 else picked

    def _planned_tools(self) -> set[str]:
        """The tools some step of the flow so far calls."""
        return {info.spec.id for info in self.info.values() if info.spec is not None}

    def _reads_the_request(self, text: str) -> bool:
        """ "Read the support message", "take the order": the step only takes in what the
        request is about, unless a tool does just that (`read_email`, `get_order`)."""
        match = _READS_THE_REQUEST.match(text)
        if match is None or _GETS_A_NEW_ONE.match(text):
            return False
        verb = stem(match.group("verb").split()[0])
        return not any(_tool_verb(spec_id) == verb for spec_id in self.specs)

    def _check_makes_that(self, clause: Clause, text: str, spec: ToolSpec) -> None:
        """Refuse "create them" (a user) mapped to create_shipment: the step's verb is the
        tool's, but what it makes is another thing the catalogue knows (a user, an order),
        not the one the tool makes."""
        # (a code's letters are no thing made: "look up booking ZP44RT" makes no "rt"; nor
        # is an address's: "add Jane (jane@roe.io) as a lead" makes no "io")
        text = EMAIL_ADDRESS.sub(" ", text)
        words = split_identifier(re.sub(r"[\w-]*\d[\w-]*", " ", text))
        verb = _tool_verb(spec.id)
        if len(words) < 2 or verb not in _MAKING_VERBS or not _says_making(words[0], spec):
            return  # "summarize it", "check the order": a tool that reads what it is given
        made_as = _MADE_AS.search(text)
        if made_as is not None and made_as["thing"].lower() not in spec.input_properties():
            # "add Jane Roe from Roe Labs as a lead": what is made is a lead (the words
            # before it say who it is of)
            words = [words[0], *split_identifier(made_as["thing"])]
        made = {stem(w) for w in split_identifier(spec.id)[1:]}
        # what is made: the words before "for them", "to the customer" (not the topic a
        # pronoun was read as, appended after them)
        cut = next((i for i, w in enumerate(words[1:], 1) if w in _OBJECT_ENDS), len(words))
        if cut == 1 and stem(words[0]) not in _MAKING_VERBS | _MAKING_SYNONYMS:
            return  # "dispatch it to ...": what is shipped is the thing "it" stands for
        # ("create them": what they are, read from the topic)
        made_words = words[1:cut] or words[1:]
        if self.person and made_words and all(w in ("them", "him", "her") for w in made_words):
            made_words = [self.person]  # "if the customer does not exist, create them"
        head = singular(made_words[-1]) if made_words else ""
        own = {stem(w) for w in split_identifier(f"{spec.name} {spec.description}")}
        if (
            head
            and head not in STOP_WORDS
            and head.isalpha()
            and stem(head) not in own | made
            and not synonyms(stem(head)) & (own | made)
            and not any(singular(w) in self.topic_words for w in made_words)
        ):
            # "create an account" mapped to create_ticket: a thing the tool does not make
            # (nor speaks of)
            raise _other_object(clause, words[0], head, spec)
        if stem(words[0]) not in _MAKING_VERBS | _MAKING_SYNONYMS:
            return  # "deliver order 55 to ...": what is shipped is another tool's thing
        for word in made_words:
            noun = singular(word)
            if noun not in self.topic_words:
                continue
            if stem(noun) in made or synonyms(stem(noun)) & made:
                return
            raise _other_object(clause, words[0], noun, spec)

    def _check_acts_on_that(self, clause: Clause, text: str, spec: ToolSpec) -> None:
        """A verb that says only that something is dealt with ("process", "handle") maps to
        a tool of such a verb (`process_payment`, for "handle the payment" too) that speaks
        of what it deals with. "Process their request" took money for a request to do
        something else; "handle the booking for user 4" looked the user up."""
        words = split_identifier(re.sub(r"[\w-]*\d[\w-]*", " ", text))
        verb = _tool_verb(spec.id)
        # ("complete task 12" with `asana_task_complete`: the verb after a vendor's name)
        verb = next(
            (stem(w) for w in split_identifier(spec.id) if stem(w) in _DEALING_VERBS), verb
        )
        if len(words) < 2 or stem(words[0]) not in _DEALING_VERBS:
            return
        if words[1] in PRONOUN_OBJECTS:
            if verb in _DEALING_VERBS:
                return  # "process it" (the payment): the thing "it" stands for
            # "validate order 5 and process it" (the order) was validate_order again: it
            # says nothing of what to do with the thing
            raise _says_not_what(clause, words[0], words[1], spec)
        # what is dealt with: the words up to a preposition ("the charge of 30 USD")
        rest = [w for w in words[1:] if w not in ("the", "a", "an", "their", "his", "her", "its")]
        cut = next((i for i, w in enumerate(rest) if w in _OBJECT_ENDS or w == "of"), len(rest))
        dealt = [w for w in rest[:cut] if w not in STOP_WORDS and w.isalpha()]
        if not dealt:
            return
        said = [spec.name, spec.description, *spec.input_properties(), *spec.output_properties()]
        own = {stem(w) for w in split_identifier(" ".join(said))}
        head = singular(dealt[-1])
        doings = {stem(w) for w in dealt}
        if verb not in _DEALING_VERBS and verb not in doings | {
            s for d in doings for s in synonyms(d)
        }:
            # (not "handle the mood scoring": the doing of score_mood, by name)
            # "handle the booking for user 4" mapped to lookup_user by the user it names,
            # "process the order" to validate_order: what to do with it is not said
            raise _says_not_what(clause, words[0], head, spec)
        if (
            stem(head) in own
            or synonyms(stem(head)) & own
            or any(singular(w) in self.topic_words for w in dealt)
        ):
            return
        raise _other_object(clause, words[0], head, spec)

    def _check_more_than_the_topic(
        self, clause: Clause, ranked: list[tuple[float, ScoredTool]]
    ) -> None:
        """ "Look up the user and give them a loyalty discount": no tool shares a word with
        the step but the thing "them" stands for (added to read the step), so none does
        what the step asks. Refused, not mapped to another step on that thing."""
        said = clause.action or clause.text  # (not the topic added for "it")
        if not self.topic or self.topic.lower() in said.lower():
            return
        topic = {stem(word) for word in self.topic.lower().split()}
        if not {stem(word.lower()) for word in meaningful(said)[1:]} - topic:
            return  # "process it", "check it": a verb on the thing, nothing more to go on
        if any(
            score >= self.min_score and not set(item.matched) <= topic for score, item in ranked
        ):
            return
        raise _no_tool_does(clause, "it", self.topic, ranked[0][1].spec, phrase=said)

    def _check_verb_known(self, clause: Clause, text: str, best: ScoredTool) -> None:
        """ "Archive the ticket", "issue a coupon": the step's verb is one the planner reads,
        but no tool does it or says it (nor a word like it); the best tool only shares the
        thing it works on. Refused, not mapped to what does something else to that thing."""
        lead = _LEADING_WORDS.sub("", text.strip())
        words = split_identifier(lead)[:1]
        if words and _verb_only_names_a_result(words[0].lower(), best.spec):
            said = words[0].lower()
            raise _no_tool_does(clause, repr(said), "thing", best.spec, phrase=said)
        # ("block card 2900342": a verb that is a noun too, before no article, leads)
        if not words or not (
            self.reader.starts_with_verb(lead) or words[0].lower() in _DISTINCT_ACTIONS
        ):
            return
        verb = words[0].lower()
        if verb in _VERBS_SAID_AS_THINGS:
            # "Issue a certificate to ...": the verb is no ticket ("issue" as a thing); the
            # tool must share a word with what is issued
            rest = {stem(w.lower()) for w in meaningful(lead)[1:]}
            rest |= {s for w in rest for s in synonyms(w)}
            if best.matched and not any(term in rest for term in best.matched):
                raise _no_tool_does(clause, repr(verb), "thing", best.spec, phrase=verb)
            return
        if (
            verb not in _DISTINCT_ACTIONS
            or verb in self.reader.tool_verbs
            or (self._known_word(verb) and not self._only_a_state_reported(verb))
        ):
            return
        verb_forms = {stem(verb)} | synonyms(stem(verb))
        if any(term in verb_forms for term in best.matched):
            return
        raise _no_tool_does(clause, repr(verb), "thing", best.spec, phrase=verb)

    def _only_a_state_reported(self, verb: str) -> bool:
        """ "block card 2900342" where a lookup only reports a `blocked` status: the
        catalogue says the word of a state a tool reads, not of anything a tool does."""
        verb_stem = stem(verb)
        if verb_stem not in {stem(value) for value in self.reader.qualities}:
            return False
        return not any(
            verb_stem in {stem(w) for w in split_identifier(_said_of_doing(spec))}
            for spec in self.specs.values()
        )

    def _check_object_of_another(self, clause: Clause, text: str, best: ScoredTool) -> None:
        """ "Raise the rent for every tenant", "pay the landlord's invoice through the
        bank": the best tool shares only the verb (or a word like it) with the step, while
        what the step works on is another tool's thing (rent, bank) that does something
        else to it. Refused, naming both, not mapped to a tool working on neither."""
        said = clause.action or clause.text  # (not the topic added for "it")
        words = meaningful(_CODE_LITERAL.sub(" ", _EMAIL_OR_URL.sub(" ", said)))
        if len(words) < 2 or not self.reader.starts_with_verb(said.strip()):
            return
        verb = stem(words[0])
        own = _long_stems(catalogue_words([best.spec]))
        if verb in _GENERIC_VERBS or _tool_verb(best.spec.id) == verb or verb in own:
            return  # the tool says the verb itself: it may well do it to another's thing
        if (
            _message_verb(words[0])
            or verb in _SENDING_VERBS
            or _tool_verb(best.spec.id) in _SENDING
        ):
            return  # a message speaks of other tools' things
        verb_forms = {verb} | synonyms(verb)
        if not best.matched or any(term not in verb_forms for term in best.matched):
            return
        objects = [w for w in words[1:] if len(w) > 2 and stem(w) not in own]
        if len(objects) != len(words) - 1:
            return  # the step names something the best tool works on
        for other in self.specs.values():
            if other.id == best.spec.id:
                continue
            theirs = {stem(w) for w in split_identifier(other.id)[1:]}  # what it works on
            named = [w for w in objects if stem(w) in theirs]
            if named:
                verb_said, thing = words[0].lower(), named[0].lower()
                raise PlanningError(
                    "unmapped_step",
                    f"Could not map {clause.label}: it asks to {verb_said} the {thing}, and no "
                    f"tool in the catalogue does; {other.id} works on the {thing} but does "
                    f"something else ({other.description}), and {best.spec.id} only matches "
                    f"a word like {verb_said!r}. Register a tool that does it, or leave the "
                    "step out.",
                    step=clause.text,
                    details={"tool": other.id, "phrase": thing, "reason": "other_object"},
                )

    def _check_state_listed(self, condition: Condition, clause: Clause) -> None:
        """ "Check the shipment status; if it's delayed, ...": a step before returns a status
        from a list that has no such value. Refused, saying what it does return."""
        said = _STATE_SAID.search(condition.text.strip())
        if said is None:
            return
        state = said.group("state").lower()
        for info in reversed(list(self.info.values())):
            if info.spec is None:
                continue
            properties = info.spec.output_schema.get("properties") or {}
            for name, schema in properties.items():
                values = schema.get("enum") if isinstance(schema, dict) else None
                if not values or not all(isinstance(v, str) for v in values):
                    continue
                if state in {v.lower().replace("_", " ") for v in values}:
                    return
                listed = ", ".join(values)
                raise PlanningError(
                    "unmapped_condition",
                    f"Could not map the condition {condition.text.strip()!r} of "
                    f"{clause.label}: {state!r} is not a {name} {info.spec.id} returns (it "
                    f"returns one of: {listed}). Test one of those, or register a tool that "
                    f"tells whether it is {state}.",
                    step=condition.text.strip(),
                    details={
                        # what a step could still tell, as for any condition no step binds
                        "reason": "unbound_condition",
                        "not_returned": True,
                        "phrase": state,
                        "tool": info.spec.id,
                        "field": name,
                        "values": list(values),
                    },
                )

    def _fed_by_it_breaks_tie(
        self, clause: Clause, ranked: list[tuple[float, ScoredTool]]
    ) -> list[tuple[float, ScoredTool]]:
        """ "Find a free slot, then book a meeting in it": of two tools that score about the
        same, the one whose required inputs the step before fills (an event's `start` from
        the slot found), when the step speaks of it; not one that would ask the run."""
        if len(ranked) < 2 or not _PRONOUN_OBJECT.search(clause.action or ""):
            return ranked
        (first, best), (second, other) = ranked[0], ranked[1]
        last = self.info.get(self.last_step or "")
        if second < self.min_score or first - second > 0.1 * first or last is None:
            return ranked
        if last.spec is None or last.spec.id in (best.spec.id, other.spec.id):
            return ranked
        made = output_sources(last.id, last.spec.output_schema)[1:]

        def fed(spec: ToolSpec) -> bool:
            properties = spec.input_properties()
            return any(
                best_source(name, properties[name], made, minimum=0.9) is not None
                for name in spec.required_inputs()
            )

        if fed(other.spec) and not fed(best.spec):
            return [ranked[1], ranked[0], *ranked[2:]]
        return ranked

    def _what_was_made_first(
        self, text: str, ranked: list[tuple[float, ScoredTool]]
    ) -> list[tuple[float, ScoredTool]]:
        """ "Create an invoice for cus_9 and email it to them": "it" is what the step before
        made, so the one tool that scores enough and names that thing (InvoiceSend) does it,
        rather than one that sends anything (send_email)."""
        if not ranked or not _VERB_IT.match(text):
            return ranked
        gates = self._gates()
        made = max(
            # ("if urgent, open a ticket, otherwise summarize it": the ticket of the other
            # case was never made; "it" is the message)
            (
                info
                for info in self.info.values()
                if info.kind == "tool" and info.spec and info.gates <= gates
            ),
            key=lambda info: info.order,
            default=None,
        )
        if made is None or made.spec is None:
            return ranked
        verb = _id_verb(made.spec.id)
        if stem(verb) not in _MAKING_VERBS:
            return ranked
        given = _SET_AS.search(text) or _GIVEN_A_LEVEL.search(text)
        if given is not None and _listed_input_value(made.spec, {given["value"].lower()}):
            return ranked  # "open a ticket and give it high priority": a value of the ticket
        thing = {stem(w) for w in split_identifier(made.spec.id) if w != verb}
        naming = [
            pair
            for pair in ranked
            if pair[0] >= self.min_score
            and pair[1].spec.id != made.spec.id
            and thing
            and thing <= {stem(w) for w in split_identifier(pair[1].spec.id)}
        ]
        if len(naming) != 1 or naming[0] is ranked[0]:
            return ranked
        return [naming[0], *[pair for pair in ranked if pair is not naming[0]]]

    def _object_over_verb(
        self, text: str, ranked: list[tuple[float, ScoredTool]]
    ) -> list[tuple[float, ScoredTool]]:
        """ "Look up SKU ABC-1 in the warehouse": when the best tool shares only a generic
        verb with the step (lookup_user) and another one that scores enough shares what it
        works on (the SKU, the warehouse), that one does the step."""
        words = meaningful(_CODE_LITERAL.sub(" ", _EMAIL_OR_URL.sub(" ", text)))
        sends_people = _SENDS_PEOPLE.match(text) is not None and not _EMAIL_OR_URL.search(text)
        if len(words) < 2 or (stem(words[0]) not in _GENERIC_VERBS and not sends_people):
            return ranked
        verb_forms = {stem(words[0])} | synonyms(stem(words[0]))
        if not ranked[0][1].matched or not set(ranked[0][1].matched) <= verb_forms:
            return ranked
        for index, (score, item) in enumerate(ranked[1:], start=1):
            if score < self.min_score:
                break
            unlike = [term for term in item.matched if term not in verb_forms]
            # ("send the roads crew to SR-1": the crew sent, both words of the tool's)
            if unlike and (not sends_people or len(unlike) >= 2):
                return [ranked[index], *ranked[:index], *ranked[index + 1 :]]
        return ranked

    def _part_of_a_place(
        self, properties: dict[str, Any], action: str | None, taken: dict[str, str]
    ) -> dict[str, str]:
        """ "how many seats left in the balcony for EV-2201": the plain noun after "in the",
        a word no tool of the catalogue uses, fills the one free-text input named for a part
        of a place (`section`, `area`, `zone`, `tier`, `level`, `stand`)."""
        wanted = [
            name
            for name, schema in properties.items()
            if name not in taken
            and split_identifier(name)[-1:]
            and split_identifier(name)[-1] in _PARTS_OF_A_PLACE
            and "string" in (schema_types(unwrap_nullable(schema)) or set())
            and not unwrap_nullable(schema).get("enum")
        ]
        found = [
            word
            for word in _IN_THE_WORD.findall(action or "")
            if word.lower() not in STOP_WORDS and not self._known_word(word)
        ]
        if len(wanted) != 1 or len(found) != 1:
            return {}
        return {wanted[0]: json.dumps(found[0].lower())}

    def _check_thing_asked_known(self, clause: Clause, text: str, best: ScoredTool) -> None:
        """ "what's the MOT history for plate 7ABC123": a question asking for a thing of a
        record, none of whose words the best tool says (in its id, name, description or the
        fields it returns) while one of them no tool knows: refused, not answered by
        looking the record up."""
        text = text.strip()
        asked = next(
            (m for p in (_THING_ASKED, _THING_READ, _THING_OF_A_CODE) if (m := p.match(text))),
            None,
        )
        if asked is None:
            return
        thing = [w for w in re.findall(r"[A-Za-z]+", asked["thing"]) if w.lower() not in STOP_WORDS]
        output = best.spec.output_schema if isinstance(best.spec.output_schema, dict) else {}
        own = {stem(w) for w in catalogue_words([best.spec])} | {
            stem(w) for name in (output.get("properties") or {}) for w in split_identifier(name)
        }
        if not thing or any(stem(w.lower()) in own for w in thing):
            return
        strange = [w for w in thing if not self._known_word(w)]
        if strange:
            raise PlanningError(
                "unmapped_step",
                f"Could not map {clause.label}: it asks for {asked['thing']!r}, and no tool in "
                f"the catalogue gives that; the closest, {best.spec.id}, does not say it. "
                "Register a tool that does it, or leave the step out.",
                step=clause.text,
                details={"phrase": strange[0], "reason": "unknown_object"},
            )

    def _check_object_known(self, clause: Clause, text: str, best: ScoredTool) -> None:
        """ "Get me a pizza", "find a hotel": a generic verb is all that matched the best
        tool, and the step's object is a word no tool uses: refused, not mapped to a tool
        that gets or finds something else."""
        self._check_thing_asked_known(clause, text, best)
        # Literals (an address, a link) are data, not what the step is about.
        words = meaningful(_CODE_LITERAL.sub(" ", _EMAIL_OR_URL.sub(" ", text)))
        if not words:
            return
        verb_forms = {stem(words[0])} | synonyms(stem(words[0]))
        # ("read temperature sensor T-14": reading is getting, whatever is read)
        if stem(words[0]) not in _GENERIC_VERBS | {"read"} and not (
            # "order pizza": a thing the catalogue knows by an id, said as the verb, is all
            # that matched
            best.matched
            and set(best.matched) <= verb_forms
            and stem(words[0]) in {stem(noun) for noun in self.id_nouns}
            and text.split()[0].lower() == words[0].lower()
            and words[0].lower() not in MESSAGE_VERBS
        ):
            return
        if _tool_verb(best.spec.id) == stem(words[0]):
            return  # the tool's own verb ("fetch the article": fetch_url)
        # ("get a credit note for PO-77002": the letters of a code name the record, not
        # what the step gets; `wms.po.get` matched by them alone)
        coded = {stem(w) for m in _CODE_LITERAL.finditer(text) for w in split_identifier(m[0])}
        if any(term not in verb_forms | coded for term in best.matched):
            return
        # A word of the step the best tool itself uses ("get the user's details": user)
        # says what it works on, even if ranking went by the verb.
        own = _long_stems(catalogue_words([best.spec]))
        thing = _THING_THEN_WHOSE.match(text.strip())
        if (
            thing is not None
            and stem(thing["thing"].lower()) not in own
            and not self._known_word(thing["thing"].lower())
        ):
            # ("book a DJ for booking BK-550": what is booked is a DJ; the booking it is
            # for is the tool's word, and a booking was confirmed)
            raise PlanningError(
                "unmapped_step",
                f"Could not map {clause.label}: no tool in the catalogue works on "
                f"{thing['thing']!r}; the closest, {best.spec.id}, only shares the verb "
                f"{words[0]!r} and what it is for with it. Register a tool that does it, or "
                "leave the step out.",
                step=clause.text,
                details={"phrase": thing["thing"], "reason": "unknown_object"},
            )
        if any(stem(w) in own for w in words[1:]):
            return
        strange = [w for w in words[1:] if len(w) > 2 and not self._known_word(w)]
        if strange and _ADDRESS_WORDS.search(text) and "email" in best.spec.input_properties():
            # "check signup dan@mailinator.com": the address is what it works on, the word
            # before it says who wrote it
            said = re.search(rf"\b{re.escape(strange[0])}\s+[\w.+-]+@", text, re.IGNORECASE)
            strange = strange[1:] if said is not None else strange
        if strange and _supplier_named_after_from(best.spec.input_properties(), text, {}):
            # ("order 2 of ALT-5540 from AutoZone": the supplier's name is data, for the
            # tool's supplier)
            named = set(_FROM_A_NAME.findall(text)[0].lower().split())
            strange = [w for w in strange if w.lower() not in named]
        if strange:
            raise PlanningError(
                "unmapped_step",
                f"Could not map {clause.label}: no tool in the catalogue works on "
                f"{strange[0]!r}; the closest, {best.spec.id}, only shares the verb "
                f"{words[0]!r} with it. Register a tool that does it, or leave the step out.",
                step=clause.text,
                details={"phrase": strange[0], "reason": "unknown_object"},
            )

    def _check_capabilities(self, clauses: Sequence[Clause]) -> None:
        """Refuse first a step asking for what no tool offers (a channel, a refund), even
        if an earlier problem (a condition on it) would be met before it."""
        specs = list(self.specs.values())
        for clause in clauses:
            if not clause.action or not specs:
                continue
            if clause.approval is not None:
                # "run a credit check before approving it": a step asked besides approving
                # ("approve the refund" is only the approval: what it approves is no step)
                # (in a loop, the words of its items too: "every refund request")
                said = clause.text if clause.for_each else clause.action
                besides = _clean_action(strip_approval_phrase(said))
                lacking = self._lacking(besides) if self.reader.starts_with_verb(besides) else None
                approved, *more = _AND_THEN.split(besides)
                for part in more:
                    # "approve the expense report and pay it": pay the expense report
                    said = _PRONOUN_OBJECT.sub(approved.replace("\\", r"\\"), part)
                    lacking = lacking or self._lacking(said)
                if lacking is not None:
                    raise _capability_error(clause, lacking, None)
                continue
            # "post the parcel": a shipment, not a post
            asked = _SENDS_GOODS.sub(r"ship \g<goods>", _clean_action(clause.action), count=1)
            asked = _URL_LITERAL.sub("the link", asked)  # "https://x.com/team" asks no Teams
            _check_cases_stated(clause, asked)
            first = next(iter(split_identifier(asked)), "")
            asked = without_what_is_said(asked)
            asked = without_notice_topic(asked)  # "email ops about the refund": no refund
            if unknown_word(first, self.words) or self._foreign_action(first):
                raise PlanningError(
                    "unmapped_step",
                    f"Could not map {clause.label}: no tool in the catalogue does {first!r} "
                    "(it is not a word any tool's name or description uses). Register a tool "
                    "that does it, or leave the step out.",
                    step=clause.text,
                    details={"phrase": first, "reason": "unknown_action"},
                )
            lacking = self._lacking(asked)
            if lacking is not None:
                ranked = self.rank(asked)
                closest = ranked[0][1].spec if ranked else None
                raise _capability_error(clause, lacking, closest)
            _check_no_subset(clause, looping=any(c.for_each for c in clauses))

    def _every_step_no_tool_does(
        self, error: PlanningError, clauses: Sequence[Clause]
    ) -> PlanningError:
        """A refusal for one step that no tool does names the others no tool does too
        ("translate it, then text it": the translation and the text message), so the
        person learns in one go everything the catalogue lacks."""
        if error.code != "unmapped_step":
            return error
        others = []
        for clause in clauses:
            if clause.text == error.step or (error.step or "") in clause.text:
                continue
            try:
                self._check_capabilities([clause])
            except PlanningError as other:
                if other.code == "unmapped_step":
                    phrase = (other.details or {}).get("phrase") or clause.action
                    what = (other.details or {}).get("capability")
                    others.append(f"{clause.label}, which asks for {what or repr(phrase)}")
        if not others:
            return error
        steps = "this step" if len(others) == 1 else "these steps"
        return PlanningError(
            error.code,
            f"{error.message} No tool does {steps} either: {'; '.join(others)}.",
            step=error.step,
            details={**(error.details or {}), "also_unmapped": others},
        )

    def _lacks(self, text: str, spec: ToolSpec) -> MissingCapability | None:
        """What `text` asks of `spec` that it does not offer; not a document to make when
        the request says where it is ("the weekly report at https://...": fetched)."""
        missing = missing_capability(text, spec)
        if (
            missing is not None
            and missing.what.startswith("making a document")
            and _DOCUMENT_AT_A_LINK.search(self.request)
        ):
            return None
        return missing

    def _lacking(self, text: str) -> MissingCapability | None:
        """What `text` asks for that no tool in the catalogue offers, if anything."""
        both = _TWO_OBJECTS.match(_BOTH_OBJECTS.sub("", text))
        if both is not None and not _message_verb(both.group("verb")):
            # "get the weather and the exchange rate": each from a tool of its own
            verb = both.group("verb")
            return self._lacking(f"{verb} {both.group('a')}") or self._lacking(
                f"{verb} {both.group('b')}"
            )
        missing = [missing_capability(text, spec) for spec in self.specs.values()]
        if not missing or any(item is None for item in missing):
            return None
        specs = list(self.specs.values())
        if any(self._producers(text, spec, among=specs) is not None for spec in specs):
            return None  # "post the weather to #ops": the weather from its tool, then posted
        # what the closest tool lacks ("refund it by wire transfer": the wire transfer, not
        # the refund its closest tool does)
        ranked = self.rank(text)
        closest = missing_capability(text, ranked[0][1].spec) if ranked else None
        lacking = closest or missing[0]
        if lacking is None:
            return None
        making = lacking.what.startswith("making a document")
        if making and _DOCUMENT_AT_A_LINK.search(self.request):
            return None  # "email the weekly report at https://...": one to fetch, not to make
        return lacking

    def _producers(
        self, text: str, spec: ToolSpec, *, among: Iterable[ToolSpec] | None = None
    ) -> list[ToolSpec] | None:
        """ "Post the weather to #ops" with a tool that posts and one that tells the
        weather; "post the refund id to #finance" after the refund: what a sending step
        sends is made by another step, when that is all the sender lacks (never a channel:
        a Slack post is not an email). The tools still to plan to make it (cacheable ones),
        [] when the steps planned make it (or `among`, when given, offers it), None when
        the sender lacks something no step makes."""
        if _tool_verb(spec.id) not in _SENDING and not acts(spec):
            return None
        sends = bool(self.reader.starts_with_verb(text) or _STORED_IN.match(text)) and (
            stem(split_identifier(text)[0]) in _SENDING | _PASSING_ON
        )
        missing = missing_capabilities(text, spec)
        if not missing or any(is_channel(item) for item in missing):
            return None
        if not sends and not all(_made_before(item.phrase, text) for item in missing):
            return None  # "make a PDF from the translated text": the translation first
        planned = self._planned_tools()
        makers = list(among) if among is not None else list(self.specs.values())
        producers = []
        for item in missing:
            offering = [
                other
                for other in makers
                if other.id != spec.id and missing_capability(item.phrase, other) is None
            ]
            if among is not None and offering:
                continue
            if any(other.id in planned for other in offering):
                continue  # made already ("the refund id" after the refund)
            maker = next(
                (o for o in offering if o.config.cacheable or (not sends and not acts(o))), None
            )
            if maker is None:
                return None
            producers.append(maker)
        return producers

    def _add_literals(self, node_id: str, spec: ToolSpec, clause: Clause) -> None:
        """A step that names again one already planned can still say how it is done
        ("before shipping, get approval. Then create the shipment with express delivery"):
        the values it gives go to the inputs the node has not set."""
        node = next(node for node in self.nodes if node["id"] == node_id)
        inputs = node.setdefault("inputs", {})
        for name, literal in self._literals(spec, clause).items():
            asked = inputs.get(name, "")
            if self._asked_at_run(asked):
                # ("... then create the shipment to 12 King St": the address the run was
                # to be asked for, said now)
                inputs[name] = literal
                self._drop_unread_input(asked)
            inputs.setdefault(name, literal)

    def _repeated_side_effect(self, spec: ToolSpec, clause: Clause) -> str | None:
        """A step naming again a tool that changes something, already planned where this
        step can see it, is that same step ("process the payment, and once the payment is
        processed ..."), unless the request says to do it again."""
        if spec.config.cacheable or clause.for_each:
            return None
        if _AGAIN.search(clause.text):
            return None
        gates = self._gates()
        for info in self.info.values():
            if (
                info.spec is not None
                and info.spec.id == spec.id
                and info.kind == "tool"
                and info.gates <= gates
                and info.order >= self.first_new
                and not _other_recipient(spec, info.clause, clause)
                and not self._other_values(info.id, spec, clause)
            ):
                return info.id
        return None

    def _other_values(self, node_id: str, spec: ToolSpec, clause: Clause) -> bool:
        """ "fetch https://a.example.com and fetch https://b.example.com": the step writes
        a value of its own for an input the planned one was given another value for, so it
        is another call, not that one named again."""
        node = next(node for node in self.nodes if node["id"] == node_id)
        planned = node.get("inputs", {})
        literals = self._literals(spec, clause)
        return any(
            name in planned and planned[name] != value and not self._asked_at_run(planned[name])
            for name, value in literals.items()
        )

    def _same_check(self, spec: ToolSpec, clause: Clause) -> str | None:
        """ "Classify the ticket and route it to the right team": a tool that changes
        nothing, asked for again right after it with the same inputs, is that same step."""
        last = self.info.get(self.last_step or "")
        if (
            last is None
            or last.spec is None
            or last.spec.id != spec.id
            or last.kind != "tool"
            or not spec.config.cacheable
            or clause.for_each
            or last.gates != self._gates()
            or _AGAIN.search(clause.text)
        ):
            return None
        declared = dict(self.input_properties), list(self.input_required)
        inputs = self._wire(spec, clause, self._sources(), literals=self._literals(spec, clause))
        self.input_properties, self.input_required = declared
        node = next(node for node in self.nodes if node["id"] == last.id)
        return last.id if inputs == node.get("inputs") else None

    def rank(self, text: str) -> list[tuple[float, ScoredTool]]:
        """Tools for a step, best first: lexical relevance, more when the tool's leading verb
        is the step's verb, less for each word of the tool's id the step does not mention.
        A verb that says little ("check the mood", "take payment") gives way to the words
        after it when those map to a tool on their own."""
        # ("look for a berth for a 7m boat": find one, not look a known one up)
        text = _LOOK_FOR.sub(r"\g<lead>find ", text)
        asked = question_as_noun(text)  # "how the customer feels": their feelings
        asks_what = _ASKS_WHAT.match(text) is not None
        question, text = asked != text, asked
        written = text  # (with its codes, for the rules that read them)
        # ("to list L-NEWS": a code's letters are no words of what the step does)
        text = _LETTER_CODE.sub(" ", text).strip() or text
        # "the new user's email": the email, not the user, when that alone maps to a tool
        plain = _POSSESSOR.sub(" ", text)
        ranked = []
        if plain != text and meaningful(plain):
            ranked = self._rank_step(plain)
        if not ranked or ranked[0][0] < self.min_score:
            ranked = self._rank_step(text)
        ranked = self._predicate_first(text, ranked)
        ranked = self._answers_the_question(text, _learning_first(ranked)) if question else ranked
        ranked = _reader_answers_a_question(text, ranked) if asks_what else ranked
        ranked = _numbered_thing_read(text, ranked)
        ranked = _stored_where_said(text, ranked)
        ranked = _verb_breaks_tie(text, _sent_by_email(text, ranked))
        ranked = _a_thing_sent_out(text, ranked)
        ranked = _a_doing_sent(text, ranked)
        ranked = _code_breaks_tie(text, _head_breaks_tie(text, ranked))
        ranked = _compound_named(text, _written_value_breaks_tie(text, ranked))
        ranked = _one_product_code_read(written, ranked, list(self.specs.values()))
        ranked = _a_thing_by_its_id_is_not_made(written, ranked)
        ranked = _joined_words_named(text, _id_words_break_tie(text, ranked))
        ranked = _address_taker_first(text, _listed_value_said(text, ranked))
        ranked = _field_of_the_address_read(text, ranked)
        ranked = _prefixed_id_taker_first(text, ranked)
        ranked = self._reply_on_the_thing(text, ranked)
        ranked = _set_to_a_listed_value(text, _code_names_the_input(text, ranked))
        ranked = _thing_named_as_written(text, ranked)
        ranked = self._record_the_code_names(text, ranked)
        ranked = self._problem_reported(text, ranked)
        ranked = self._made_as_its_kind(written, ranked)
        ranked = self._example_value_named(text, ranked)
        ranked = self._reader_of_what_follows(written, ranked)
        ranked = self._code_fits_a_pattern(written, ranked)
        ranked = self._thing_said_as_its_making(written, ranked)
        ranked = converter_first(written, ranked, self.min_score)
        ranked = _verb_names_its_input(text, ranked)
        ranked = _added_as_a_listed_value(text, ranked)
        ranked = _a_listed_value_breaks_a_low_tie(text, ranked, self.min_score)
        return self._done_as_a_listed_value(text, ranked)

    def _reply_on_the_thing(
        self, text: str, ranked: list[tuple[float, ScoredTool]]
    ) -> list[tuple[float, ScoredTool]]:
        """ "if ticket 5100 is still pending, reply to the customer ...": a reply goes on
        the thing the request names, by the one tool that says it replies ("a public reply
        to the requester") and takes that thing's id (`ticket_id`), not as an email to an
        address asked of the run."""
        if not _REPLY_STEP.match(text) or not ranked:
            return ranked
        named = {stem(w) for w in re.findall(r"[a-z]+", self.request.lower())}
        replying = [
            pair
            for pair in ranked
            if _SAYS_REPLY.search(pair[1].spec.description)
            and any(
                len(words := split_identifier(name)) == 2
                and words[1] in _ID_WORDS
                and stem(words[0]) in named
                for name in pair[1].spec.required_inputs()
            )
        ]
        if len(replying) != 1 or replying[0] is ranked[0]:
            return ranked
        return [(ranked[0][0], replying[0][1]), *[p for p in ranked if p is not replying[0]]]

    def _made_as_its_kind(
        self, text: str, ranked: list[tuple[float, ScoredTool]]
    ) -> list[tuple[float, ScoredTool]]:
        """ "cut v2.0.0 of acme/api as a prerelease": when no tool scores enough, the one tool
        that acts with a yes/no input named by the kind the step makes the thing as
        (`prerelease`, "pre-release") does it ("cut" is no tool's verb)."""
        if ranked and ranked[0][0] >= self.min_score:
            return ranked
        kinds = {
            re.sub(r"[\s-]", "", m["kind"].lower())
            for m in re.finditer(r"\bas\s+an?\s+(?P<kind>[a-z]+(?:[\s-][a-z]+)?)\b", text, re.I)
        }
        made = [
            spec
            for spec in self.specs.values()
            if acts(spec)
            and any(
                name in kinds and schema_types(unwrap_nullable(schema or {})) == {"boolean"}
                for name, schema in spec.input_properties().items()
            )
        ]
        if len(made) != 1:
            return ranked
        rest = [pair for pair in ranked if pair[1].spec.id != made[0].id]
        return [(self.min_score, ScoredTool(made[0], self.min_score)), *rest]

    def _code_fits_a_pattern(
        self, text: str, ranked: list[tuple[float, ScoredTool]]
    ) -> list[tuple[float, ScoredTool]]:
        """ "check issue API-1A2", "what's the level of WEB-3KF?": a code the step writes that
        fits the `pattern` of a tool's required input (`short_id`: "^[A-Z0-9]+-[A-Z0-9]+$")
        is that tool's thing: when the best tool takes no such code, the tools that do come
        first, the one that only reads when several tie (a support ticket was classified)."""
        codes = re.findall(r"(?<![\w@./:-])[A-Za-z0-9]+(?:[-_][A-Za-z0-9]+)+(?![\w@./-])", text)
        codes = [c for c in codes if re.search(r"\d", c)]
        if not codes or not ranked:
            return ranked
        # ("create a SEV-3 incident": a value the best tool lists is no thing's code)
        listed = {
            str(value).lower()
            for schema in ranked[0][1].spec.input_properties().values()
            for value in unwrap_nullable(schema or {}).get("enum") or ()
        }
        codes = [c for c in codes if c.lower() not in listed]
        if not codes:
            return ranked

        def takes(spec: ToolSpec) -> bool:
            for name in spec.required_inputs():
                pattern = unwrap_nullable(spec.input_properties().get(name) or {}).get("pattern")
                if isinstance(pattern, str):
                    try:
                        if any(re.fullmatch(pattern, code) for code in codes):
                            return True
                    except re.error:
                        continue
            return False

        if takes(ranked[0][1].spec) and ranked[0][0] >= self.min_score:
            return ranked
        fitting = [pair for pair in ranked if takes(pair[1].spec)]
        if not fitting:
            return ranked
        best = max(score for score, _ in fitting)
        top = [pair for pair in fitting if pair[0] >= best * 0.99]
        if len(top) > 1:
            top = [pair for pair in top if not acts(pair[1].spec)]
        if len(top) != 1:
            return ranked
        score = max(ranked[0][0], self.min_score)
        return [(score, top[0][1]), *[pair for pair in ranked if pair is not top[0]]]

    def _reader_of_what_follows(
        self, text: str, ranked: list[tuple[float, ScoredTool]]
    ) -> list[tuple[float, ScoredTool]]:
        """ "look up eli@acme.com and email their manager", "look up mia@acme.com and if her
        account is locked out, ...": of the tools that read what the step writes, the one
        whose output has what the request says after the step (a `manager_email`, a status
        `LOCKED_OUT`) reads it, when the best has none of it."""
        if len(ranked) < 2 or acts(ranked[0][1].spec):
            return ranked
        at = self.request.lower().find(text.lower())
        if at < 0:
            return ranked
        after = self.request[at + len(text) :].lower()
        said = {stem(w) for w in re.findall(r"[a-z]+", after)}
        phrase = re.sub(r"[^a-z]+", " ", after)
        written = set(EMAIL_ADDRESS.findall(text)) | set(re.findall(r"\b[A-Z]+-\d+\b", text))

        def follows(spec: ToolSpec) -> bool:
            values = output_values(spec.output_schema)
            if any(
                "_" in value and f" {value.replace('_', ' ')} " in f" {phrase} "
                for value in values
            ):
                return True
            words = {
                stem(w)
                for name, schema in spec.output_properties().items()
                # ("The employee's manager's email" of a `supervisor_email`: its description's
                # words too)
                for w in split_identifier(f"{name} {_field_description(schema)}")
                if w not in _GENERIC_FIELD_WORDS and len(w) > 3
            }
            return bool(words & said)

        # ("email his manager": the person the rest writes to, by whose they are)
        whom = set(re.findall(r"\b(?:his|her|their)\s+([a-z]{3,})\b", after))

        def tells_whom(spec: ToolSpec) -> bool:
            return any(
                _is_email_field(name, schema)
                and any(
                    re.search(rf"\b{re.escape(who)}['\u2019]s\b", _field_description(schema), re.I)
                    for who in whom
                )
                for name, schema in spec.output_properties().items()
            )

        if not written or follows(ranked[0][1].spec):
            return ranked
        best = ranked[0][0]
        floor = best * 0.4
        readers = [
            pair
            for pair in ranked[1:]
            # (a reader that scores enough on its own, when it alone returns the address of
            # the one the rest writes to: "email his manager", `supervisor_email`)
            if pair[0] >= (min(floor, self.min_score) if tells_whom(pair[1].spec) else floor)
            and not acts(pair[1].spec)
            and follows(pair[1].spec)
            and any(_is_email_field(n, sch) for n, sch in pair[1].spec.input_properties().items())
            == bool(EMAIL_ADDRESS.search(text))
        ]
        if len(readers) != 1:
            return ranked
        return [(best, readers[0][1]), *[pair for pair in ranked if pair is not readers[0]]]

    def _thing_said_as_its_making(
        self, text: str, ranked: list[tuple[float, ScoredTool]]
    ) -> list[tuple[float, ScoredTool]]:
        """ "invoice Acme Corp $2,000 due 2026-06-01": a step whose first word is the thing one
        tool makes (`xero_invoice_create`), said as a verb, and no tool's verb, makes it (the
        invoice was read, by a number asked of the run)."""
        first = re.match(r"^\W*(?:please\s+|pls\s+)?([a-z]+)\b(?!\s+#?[A-Z]*-?\d)", text, re.I)
        if first is None or not ranked:
            return ranked
        word = first.group(1).lower()
        if word in self.reader.verbs or word in STOP_WORDS:
            return ranked
        makers = [
            spec
            for spec in self.specs.values()
            if acts(spec)
            and word in split_identifier(spec.id)
            and _MAKING_VERBS & {stem(w) for w in split_identifier(spec.id)}
        ]
        if len(makers) != 1 or makers[0].id == ranked[0][1].spec.id:
            return ranked
        score = max(ranked[0][0], self.min_score)
        rest = [pair for pair in ranked if pair[1].spec.id != makers[0].id]
        return [(score, ScoredTool(makers[0], score)), *rest]

    def _example_value_named(
        self, text: str, ranked: list[tuple[float, ScoredTool]]
    ) -> list[tuple[float, ScoredTool]]:
        """ "give omar@acme.com access to Salesforce": when no tool scores enough, a step that
        grants (give, grant, provide, enable) a name in capitals that one acting tool's input
        gives as an example of its values ("Application label, e.g. Salesforce, Zoom,
        GitHub") is that tool's."""
        if ranked and ranked[0][0] >= self.min_score:
            return ranked
        if not _GRANTED.match(text):
            return ranked  # ("remove lee@… from the Engineering group": no adding to it)
        names = {m.lower() for m in re.findall(r"\b[A-Z][\w-]*[a-z][\w-]*\b", text)}
        names -= {w.lower() for w in re.findall(r"^\W*(\w+)", text)}
        fits = [
            spec
            for spec in self.specs.values()
            if acts(spec) and names & examples_given(spec)
        ]
        if len(fits) != 1:
            return ranked
        rest = [pair for pair in ranked if pair[1].spec.id != fits[0].id]
        return [(self.min_score, ScoredTool(fits[0], self.min_score)), *rest]

    def _problem_reported(
        self, text: str, ranked: list[tuple[float, ScoredTool]]
    ) -> list[tuple[float, ScoredTool]]:
        """ "report a pothole at 1400 Elm St", "streetlight out at the corner of 5th and
        Main": a step that reports a thing, or names it with no verb at all, opens the one
        record whose tool lists that thing as a value of an input and names it in its
        description ("a problem at an address (a pothole, graffiti, a streetlight out ...)"),
        however few other words the step shares with it."""
        if ranked and ranked[0][0] >= self.min_score:
            return ranked
        match = _REPORTED.match(text)
        if match is None or (match["verb"] is None and self.reader.starts_with_verb(text)):
            return ranked
        thing = singular(match["thing"].lower())
        opening = [
            spec
            for spec in self.specs.values()
            if acts(spec)
            and _listed_input_value(spec, {thing}) is not None
            and re.search(rf"\b{re.escape(thing)}\b", spec.description, re.IGNORECASE)
        ]
        if len(opening) != 1:
            return ranked
        score = max(ranked[0][0] if ranked else 0.0, self.min_score)
        rest = [pair for pair in ranked if pair[1].spec.id != opening[0].id]
        return [(score, ScoredTool(opening[0], score)), *rest]

    def _record_the_code_names(
        self, text: str, ranked: list[tuple[float, ScoredTool]]
    ) -> list[tuple[float, ScoredTool]]:
        """ "check M-44 and if their balance is over $100 ...": a step that reads a thing by
        a code alone, whose letters begin the noun of one reading tool's id input only
        (`member_id`), reads it with that tool, though the step shares no other word with
        it (the stock of items asked of the run was checked)."""
        read = _READ_CODE.match(text)
        if read is None or read.group("noun") or not ranked:
            return ranked
        letters = read.group("letters").lower()

        def takes(spec: ToolSpec) -> bool:
            return any(
                len(words := split_identifier(name)) == 2
                and words[1] in _ID_WORDS
                and (_abbreviates(letters, words[0]) or letters == words[0][:1])
                for name in spec.input_properties()
            )

        if takes(ranked[0][1].spec) or acts(ranked[0][1].spec):
            return ranked
        readers = [spec for spec in self.specs.values() if not acts(spec) and takes(spec)]
        if len(readers) != 1 or any(
            split_identifier(name)[-1:] and split_identifier(name)[-1] in _ID_WORDS
            for name in ranked[0][1].spec.input_properties()
        ):
            return ranked  # (the best tool reads a thing by a code of its own)
        return [(ranked[0][0], ScoredTool(readers[0], ranked[0][0])), *ranked]

    def _done_as_a_listed_value(
        self, text: str, ranked: list[tuple[float, ScoredTool]]
    ) -> list[tuple[float, ScoredTool]]:
        """ "Approve it", "reject the return": the one tool that takes what the verb makes
        of a thing ("approved", "rejected") as the value of an input does it, however few
        other words the step shares with it."""
        words = meaningful(text)
        if not words or not ranked:
            return ranked
        # ("admit APP-1", "waitlist them": a value listed as the verb itself)
        done = _done_forms(words[0].lower())
        if not _message_verb(words[0]) and (
            not self.reader.starts_with_verb(words[0])
            or words[0].lower() in self.turned_away_listed
        ):
            done.add(words[0].lower())
        setting = [
            pair
            for pair in ranked
            if acts(pair[1].spec) and _listed_input_value(pair[1].spec, done) is not None
        ]
        if len(setting) > 1 and not _message_verb(words[0]):
            # "waitlist them": the tool that records it, not one that emails a waitlist letter
            setting = [
                pair
                for pair in setting
                if not _message_verb((meaningful(pair[1].spec.description) or [""])[0])
            ]
        if len(setting) != 1 or (setting[0] is ranked[0] and ranked[0][0] >= self.min_score):
            return ranked
        score = max(ranked[0][0], self.min_score)
        return [(score, setting[0][1]), *[pair for pair in ranked if pair is not setting[0]]]

    def _answers_the_question(
        self, text: str, ranked: list[tuple[float, ScoredTool]]
    ) -> list[tuple[float, ScoredTool]]:
        """ "Work out how urgent it is" (the priority): a tool that changes nothing and
        returns the field the question asks for answers it, however few other words the
        step shares with it."""
        if not ranked or not ranked[0][1].spec.config.cacheable:
            return ranked
        score, best = ranked[0]
        asked = {stem(w) for w in meaningful(text)}
        fields = {stem(name) for name in best.spec.output_properties()}
        if score >= self.min_score or not asked & fields:
            return ranked
        return [(self.min_score, best), *ranked[1:]]

    def _predicate_first(
        self, text: str, ranked: list[tuple[float, ScoredTool]]
    ) -> list[tuple[float, ScoredTool]]:
        """ "Make sure the order is in stock": what is checked is the state ("in stock"),
        not the thing that has it, so the tools the state maps to rank first."""
        match = _STATE_CHECK.match(text.strip())
        if match is None or not meaningful(match.group("state")):
            return ranked
        said = match.group("state").strip().lower()
        head = re.split(r"\s+(?:to|in|on|for|from|at|with|of)\s+", said)[0]
        if head != said and not any(
            {said, said.replace(" ", "_")} & output_values(spec.output_schema)
            for spec in self.specs.values()
        ):
            # ("check lu@zx.io is still subscribed to a1b2c3d4e5": the state before where)
            said = head
        answering = {
            item.spec.id
            for _, item in ranked
            if not acts(item.spec)
            and {said, said.replace(" ", "_")} & output_values(item.spec.output_schema)
        }
        if ranked and (
            not answering
            or (answering == {ranked[0][1].spec.id} and ranked[0][0] < self.min_score)
        ):
            # ("check whether sam@acme.com is suspended", "is ben@acme.com active?": the one
            # reader whose output lists the state, though the step shares no other word with
            # it, before the tool that suspends or an address check)
            readers = [
                spec
                for spec in self.specs.values()
                if not acts(spec)
                and {said, said.replace(" ", "_")} & output_values(spec.output_schema)
            ]
            if len(readers) == 1:
                top = max(ranked[0][0] * PREDICATE_BONUS, self.min_score)
                rest = [pair for pair in ranked if pair[1].spec.id != readers[0].id]
                return [(top, ScoredTool(readers[0], top)), *rest]
        if answering and ranked[0][1].spec.id not in answering:
            # "check if the review is negative": the tool that returns "negative" among
            # its values answers it, whatever the check's verb matches
            top = ranked[0][0]
            rescored = [
                (max(score, top) * PREDICATE_BONUS if item.spec.id in answering else score, item)
                for score, item in ranked
            ]
            rescored.sort(key=lambda pair: -pair[0])
            return rescored
        by_state = self._rank(match.group("state"), verb_first=False)
        if not by_state or by_state[0][0] < self.min_score:
            return ranked
        best = by_state[0][0]
        fitting = {item.spec.id for score, item in by_state if score >= best * 0.5}
        rescored = [
            (score * PREDICATE_BONUS if item.spec.id in fitting else score, item)
            for score, item in ranked
        ]
        rescored.sort(key=lambda pair: -pair[0])
        return rescored

    def _rank_step(self, text: str) -> list[tuple[float, ScoredTool]]:
        # "send the parcel", "post the package to her": goods sent are shipped, not emailed
        text = _SENDS_GOODS.sub(r"ship \g<goods>", text, count=1)
        # "a summary of <a> and <b>": a list of links or addresses counts as one, so more
        # of them do not make the step more about fetching
        text = _LISTED_ADDRESSES.sub(r"\g<first>", text)
        # the words inside a link ("https://example.com/team") name no tool
        text = _URL_LITERAL.sub("the link", text)
        # nor the words of an address ("onboarding@bank.com" asks for no welcome email)
        text = _ADDRESS_WORDS.sub("them", text)
        text = _LET_KNOW.sub(r"\g<lead>notify \g<who>", text, count=1)  # "let finance know"
        if _BY_COURIER.search(text):
            text = _SENDS_GOODS_VERB.sub("ship", text, count=1)
        words = meaningful(text)
        if len(words) > 1 and stem(words[0]) in _WEAK_VERBS:
            rest = re.sub(rf"^\W*{re.escape(words[0])}\b", " ", text.strip(), flags=re.I)
            ranked = self._rank(rest, verb_first=False)
            if ranked and ranked[0][0] >= self.min_score:
                return _verb_on_a_link(words[0], text, _id_says_both(words[:2], ranked))
        ranked = self._rank(text)
        if ranked and _MAKE_A_NEW.match(text):
            ranked = _creator_breaks_tie(ranked)
        elif ranked and not self.reader.starts_with_verb(re.sub(r"^\W+", "", text)):
            # "fetch it -> sentiment -> technical ticket (high)": a step said as the thing
            # alone asks for one of it, when a tool makes that thing
            made = self._rank(f"create {text}")
            if (
                made
                and made[0][0] >= self.min_score
                and _creates(made[0][1].spec)
                and set(split_identifier(made[0][1].spec.id)[1:]) <= {stem(w) for w in words}
            ):
                ranked = made
        return ranked

    def _rank(self, text: str, *, verb_first: bool = True) -> list[tuple[float, ScoredTool]]:
        words = meaningful(text)
        said_verb = stem(words[0]) if words else None  # ("ping the site": ping, not send)
        # "email the customer" asks to send an email, not to find one; "make sure the
        # email is valid" and "is this message positive" do not lead with the verb.
        leading = split_identifier(_LEADING_WORDS.sub("", text.strip()))[:1]
        if verb_first and words and _message_verb(words[0]) and leading == words[:1]:
            # "emailing the customer" (after "before") too
            words = ["send", *words]
            text = f"send {text}"
        ranked = self.index.rank(text)
        query = {stem(w) for w in words}
        related = query | {s for w in query for s in synonyms(w)}
        verb = stem(words[0]) if words else None
        verb_forms = {verb} | synonyms(verb) if verb else set()
        # When some tool does what the step's verb says, a tool that only shares a noun
        # with the step ("greet the user": lookup_user) ranks lower.
        doers = {
            item.spec.id
            for item in ranked
            if verb
            and verb in verb_forms
            and verb not in _WEAK_VERBS
            and verb_forms & _spec_stems(item.spec)
        }
        rescored = []
        for item in ranked:
            tool_words = [stem(w) for w in split_identifier(item.spec.id)]
            factor = 1.0
            if doers and item.spec.id not in doers:
                factor *= NOT_THE_VERB
            # The verb counts when the tool matches something else too: "check the mood"
            # is not check_inventory, "check the stock" is.
            other = [term for term in item.matched if term not in verb_forms]
            weak = verb in _WEAK_VERBS and not other and len(words) > 1
            if tool_words and tool_words[0] in verb_forms and not weak:
                factor *= VERB_BONUS
            elif verb_forms & set(tool_words[1:]):
                factor *= VERB_BONUS * 0.9  # "greet the user": send_welcome_email
            brand = _brand_words(item.spec)
            for word in tool_words:
                if word not in related and word not in brand:
                    factor *= UNMATCHED_ID_WORD
            rescored.append((item.score * factor, item))
        if said_verb == verb:  # (a message verb said is read as "send": no verb to say)
            rescored = _literal_verb_first(verb, rescored)
        rescored.sort(key=lambda pair: -pair[0])
        return rescored

    def _tested_by(self, exits: Sequence[str]) -> str | None:
        """The one step whose result the one branch in `exits` tests, if it reads only that."""
        if len(exits) != 1 or self.info[exits[0]].kind != "branch":
            return None
        branch = next(n for n in self.nodes if n["id"] == exits[0])
        read = set(re.findall(r"\b([a-z_][a-z0-9_]*)\.", str(branch.get("condition", ""))))
        tools = [n for n in read if n in self.info and self.info[n].kind == "tool"]
        return tools[0] if len(tools) == 1 and len(read) == 1 else None

    def _tool_node(self, clause: Clause, spec: ToolSpec, *, helping: bool = False) -> str:
        """A tool node for `clause`; `helping`: planned to serve the step (a fetch, a
        summary first), so titled by what the tool does, not by the step's words. A helper
        of a step that runs side by side with others goes ahead of them all ("in parallel:
        post the summary to Slack; text it"): the step reads it, its siblings may too."""
        group = self.group if helping else None
        if group is None:
            return self._new_tool_node(clause, spec, helping=helping)
        self.group = None
        try:
            node_id = self._new_tool_node(clause, spec, helping=helping)
        finally:
            self.group = group
        group.start = Cursor([node_id])
        return node_id

    def _new_tool_node(self, clause: Clause, spec: ToolSpec, *, helping: bool) -> str:
        node_id = self._unique_id(spec.id)
        if helping:
            self.helpers.add(node_id)
        predecessors = self._predecessors()
        upstream_tools = [self.info[e] for e in predecessors.exits if self.info[e].kind == "tool"]
        literals = self._literals(spec, clause)
        if (
            len(predecessors.exits) == 1
            and len(upstream_tools) == 1
            and upstream_tools[0].spec is not None
            and (upstream_tools[0].spec.id, spec.id) in self.joins
            and not literals
        ):
            inputs: dict[str, str] = {}  # the declared join maps the upstream output
        else:
            declared = set(self.input_properties)
            inputs = self._wire(spec, clause, self._sources(), literals=literals)
            self._codes_said_before(inputs, declared, clause)
            self._said_of_the_approval(spec, inputs, clause)
            if len(upstream_tools) == 1 and len(predecessors.exits) == 1:
                inputs = self._sent_on(clause, spec, inputs, predecessors.exits[0])
                inputs = self._given_value_sent(clause, spec, inputs, predecessors.exits[0])
            elif (tested := self._tested_by(predecessors.exits)) is not None:
                # "get the rate; if it's above 1.2, post it to #treasury": what the branch
                # tested is what is sent
                inputs = self._sent_on(clause, spec, inputs, tested)
            elif len(upstream_tools) > 1 and len(upstream_tools) == len(predecessors.exits):
                inputs = self._all_sent_on(clause, spec, inputs, upstream_tools)
            inputs = self._receipt(clause, spec, inputs)
            inputs = self._named_output_sent(clause, spec, inputs)
            inputs = self._code_told(clause, spec, inputs)
            inputs = self._that_amount(clause, spec, inputs)
            inputs = self._amount_of_the_record_paid(clause, spec, inputs)
            inputs = self._the_thing_made_charged(clause, spec, inputs)
            inputs = self._which_ones(clause, spec, inputs)
            inputs = self._written_subject(clause, inputs)
            inputs = self._courtesy_note(clause, spec, inputs)
            inputs = self._reason_given(clause, spec, inputs)
            inputs = self._rejection_told(clause, spec, inputs)
            inputs = self._decided_value(clause, spec, inputs)
            inputs = self._decision_told(clause, spec, inputs, predecessors.exits, node_id)
            inputs = self._notice(clause, spec, inputs)
            inputs = self._currency_known(spec, inputs)
            inputs = self._day_said_without_its_year(clause, spec, inputs)
        node = {
            "id": node_id,
            "type": "tool",
            "tool": spec.id,
            "title": spec.name if helping and spec.name else _title(clause.action),
            "inputs": inputs,
            **clause.settings.node_fields(),
        }
        if any(_READS_AN_APPROVAL_SOME_SKIP.match(value) for value in inputs.values()):
            # (it reads an approval that some runs skip, as null: it runs after either)
            node["trigger"] = "any"
        self._add(node, "tool", clause, spec)
        return node_id

    def _told_in_phrases(self, told: str) -> bool:
        """ "transformer blew, whole street dark": what is wrong, in phrases of two words or
        more parted by commas, none a step (not a list: "eggs, milk, bread")."""
        parts = [part.strip() for part in told.split(",")]
        return all(
            len(part.split()) > 1 and not self.reader.starts_with_verb(part) for part in parts
        )

    def _told_after_a_colon(
        self, clause: Clause, spec: ToolSpec, literals: Mapping[str, str]
    ) -> tuple[str, str] | None:
        """ "Open a high priority work order for TRK-3: brakes grinding": words the step
        ends on after a colon, unquoted, are what the thing it makes says (its `issue`,
        `body`), not one more run input; a list, an address or a step said there is not."""
        match = _TOLD_AFTER_A_COLON.search(clause.action or "")
        if match is None or clause.quoted or not acts(spec):
            return None
        told = match["told"].strip()
        if (
            EMAIL_ADDRESS.search(told)
            or _URL_LITERAL.search(told)
            or ("," in told and not self._told_in_phrases(told))
            or self.reader.starts_with_verb(told)
        ):
            return None
        said = next((n for n in _said_inputs(spec.input_properties()) if n not in literals), None)
        return (said, told) if said is not None else None

    def _day_said_without_its_year(
        self, clause: Clause, spec: ToolSpec, inputs: dict[str, str]
    ) -> dict[str, str]:
        """ "a task ..., due Dec 15", "due friday": a day the step gives a date input by,
        which no date written out says (no year; a day of the week): the run is asked for
        the date, its description quoting the words, rather than the date dropped."""
        for name, schema in spec.input_properties().items():
            words = split_identifier(name)
            if name in inputs or not _takes_a_day(schema, words):
                continue
            said = next(
                (
                    m
                    for m in _DAY_WITHOUT_ITS_YEAR.finditer(clause.action or clause.text)
                    if m["prep"]
                    or m["lead"].lower() in ("by", "on")
                    or stem(m["lead"].lower()) == stem(words[0])
                ),
                None,
            )
            if said is None:
                continue
            field = self._new_input(name, schema, spec)
            described = f"{field_label(name)}: the request said {said['day']!r}"
            self.input_properties[field] = {
                **self.input_properties[field],
                "description": described,
            }
            inputs = {**inputs, name: f"input.{field}"}
        return inputs

    def _currency_known(self, spec: ToolSpec, inputs: dict[str, str]) -> dict[str, str]:
        """ "The VAT for Germany, then charge the total": a charge whose currency neither the
        step nor a step before tells is made in the currency of the country the steps before
        were given (EUR), not the tool's default nor one more run input."""
        said = inputs.get("currency")
        properties = spec.input_properties()
        charges = any(  # what checks an order's currency is not told one
            name in ("amount", "total", "price", "sum") and schema_types(schema) & {"number"}
            for name, schema in properties.items()
        )
        if (
            "currency" not in properties
            or not charges
            or (said is not None and not said.startswith("input."))
        ):
            return inputs
        countries = [
            value
            for node in self.nodes
            for name, value in (node.get("inputs") or {}).items()
            if "country" in split_identifier(name) and value.startswith('"')
        ]
        currency = country_currency(countries) if countries else request_currency(self.request)
        if currency is None:
            return inputs
        inputs = {**inputs, "currency": json.dumps(currency)}
        if said is not None:
            self._drop_unread_input(said)
        return inputs

    def _written_subject(self, clause: Clause, inputs: dict[str, str]) -> dict[str, str]:
        """ "Email the customer a receipt" with the body written from the steps before: the
        subject line is what the step says it sends ("Your receipt"), not a run input."""
        subject = inputs.get("subject", "")
        if not self._asked_at_run(subject):
            return inputs
        if not any(
            _NODE_READ.search(value) and not value.startswith("input.")
            for name, value in inputs.items()
            if name in ("body", "message", "text", "content")
        ):
            return inputs
        line = subject_line(clause.action)
        sends = _SENDS_IT_ON.match(_clean_action(clause.action))
        if line is None and sends and sends.group("what").lower() in ("it", "this", "that"):
            # "look up user 7 and email it to hr@…": what the step before found, so named
            line = self._subject_of_a_finding("Your details", inputs)
        if line is None and _THE_RESULT.search(clause.action):
            # "tell billing@x.com the result": whose result it is
            line = self._subject_of_a_finding("Your result", inputs) or self._result_of(inputs)
        if line is None:
            return inputs
        line = self._subject_of_a_finding(line, inputs) or line
        self._drop_unread_input(subject)
        return {**inputs, "subject": json.dumps(line)}

    def _result_of(self, inputs: dict[str, str]) -> str | None:
        """ "Process payment result": the result of the step the message's body reads."""
        body = next((inputs[n] for n in ("body", "message", "text", "content") if n in inputs), "")
        read = _NODE_READ.search(body)
        info = self.info.get(read.group(1)) if read else None
        if info is None or info.spec is None:
            return None
        return f"{info.spec.name or ' '.join(split_identifier(info.spec.id)).capitalize()} result"

    def _subject_of_a_finding(self, line: str, inputs: dict[str, str]) -> str | None:
        """ "Email the user the reason": a subject of a field's name alone ("Your reason")
        says what step found it instead ("Email validation: reason")."""
        noun = line.split()[-1].lower()
        if noun not in _FINDINGS or len(line.split()) > 2:
            return None
        body = next((inputs[n] for n in ("body", "message", "text", "content") if n in inputs), "")
        read = _NODE_READ.search(body)
        info = self.info.get(read.group(1)) if read else None
        if info is None or info.spec is None:
            return None
        words = split_identifier(info.spec.id)
        if len(words) < 2:
            return None
        verb, thing = words[0].lower(), " ".join(words[1:])
        done = _NOMINAL.get(verb)
        if done is None:
            return None
        return f"{thing.capitalize()} {done}: {noun}"

    def _receipt(self, clause: Clause, spec: ToolSpec, inputs: dict[str, str]) -> dict[str, str]:
        """ "Charge the card, then send the customer a receipt": what the message says is
        what the charge reports (one labelled line per field), not a text the run asks for."""
        if not _RECEIPT.search(clause.action) or not acts(spec):
            return inputs
        body = next(
            (
                name
                for name in ("body", "message", "text", "content")
                if name in inputs and self._asked_at_run(inputs[name])
            ),
            None,
        )
        if body is None:
            return inputs
        gates = self._gates()
        done = next(
            (
                info
                for info in sorted(self.info.values(), key=lambda i: -i.order)
                if info.kind == "tool"
                and info.spec is not None
                and acts(info.spec)
                and info.gates <= gates
                and info.spec.output_properties()
            ),
            None,
        )
        if done is None or done.spec is None:
            return inputs
        # what was done, not the yes/no of it or why it would have failed
        fields = [
            name
            for name, schema in done.spec.output_properties().items()
            if schema_types(schema) != {"boolean"}
            and not {"decline", "reason", "error", "failure"} & set(split_identifier(name))
        ] or list(done.spec.output_properties())
        template, values = _labelled_lines(done.id, fields)
        self._drop_unread_input(inputs[body])
        return {**inputs, body: f"{json.dumps(template)}.format([{values}])"}

    def _which_ones(self, clause: Clause, spec: ToolSpec, inputs: dict[str, str]) -> dict[str, str]:
        """ "Fetch each page and tell ops which ones are down": the message lists the items
        of the loop before it whose result holds the quality (the pages whose fetch answered
        with an error), each by what names it (its url, email or id)."""
        how_many = _HOW_MANY.search(clause.action)
        said = _WHICH_ONES.search(clause.action) or how_many
        content = [name for name in _said_inputs(spec.input_properties()) if name in inputs]
        loops = [info for info in self.info.values() if info.kind == "map" and info.spec]
        if said is None or not content or not loops or self._in_loop(clause):
            return inputs
        looped = max(loops, key=lambda info: info.order)
        assert looped.spec is not None
        outputs = looped.spec.output_schema
        resolved = resolve_condition(f"it is {said.group('quality')}", output_sources("r", outputs))
        if resolved is None or resolved.new_input is not None:
            return inputs
        noun = plural(singular((looped.clause and looped.clause.for_each) or "item"))
        quality = said.group("quality").lower()
        kept = f"{looped.id}.filter(r, {resolved.expression})"
        if said is how_many:
            # "... and tell me how many were invalid": the count, of how many in all
            body = f'"%s of %s {noun} are {quality}".format([{kept}.size(), {looped.id}.size()])'
        else:
            fields = unwrap_nullable(outputs).get("properties") or {}
            name = next((f for f in _NAMING_FIELDS if f in fields), None)
            named = f"string(r.{name})" if name is not None else _named_by_its_lines(fields)
            if named is None:
                return inputs  # nothing in a result says which item it was
            body = f'{kept}.map(r, {named}).join("\\n")'
            if not re.search(r"\.(?:map|filter|exists|all)\(", named):
                # none of them may be: the message says so rather than nothing (a blank
                # body); (a name read by a comprehension of its own would be one too many)
                body = f"size({kept}) > 0 ? {body} : {json.dumps(f'None are {quality}')}"
        self._drop_unread_input(inputs[content[0]])
        inputs = {**inputs, content[0]: body}
        subject = inputs.get("subject", "")
        if self._asked_at_run(subject):
            # the subject line says what the list (or the count) is of: "Pages that are down"
            inputs["subject"] = json.dumps(f"{noun.capitalize()} that are {quality}")
            self._drop_unread_input(subject)
        return inputs

    def _courtesy_note(
        self, clause: Clause, spec: ToolSpec, inputs: dict[str, str]
    ) -> dict[str, str]:
        """ "If it's positive, thank the customer by email": a thank-you says so, for what
        the request is about ("Thank you for your feedback"), rather than asking the run for
        its subject and body (an apology is still written by a person)."""
        if not acts(spec) or clause.quoted:
            return inputs
        said = _COURTESY_SENT.search(clause.action)
        if said is None:
            return inputs
        # (what it thanks for, not the words of the thanks: "a thank-you message")
        about = _COURTESY_ABOUT.search(_COURTESY_SENT.sub(" ", self.request))
        line = "Thank you"
        if about is not None:
            line = f"{line} for your {about.group(0).lower()}"
        written = dict(inputs)
        # ("text their phone a thank-you note": the number it goes to is not what it says)
        to = inputs.get(recipient_input_name(spec) or "")
        for names, text in ((("subject", "title"), line), (_BODY_INPUTS, f"{line}.")):
            name = next((n for n in names if n in inputs), None)
            if name is None or not (self._asked_at_run(inputs[name]) or inputs[name] == to):
                continue
            self._drop_unread_input(inputs[name])
            written[name] = json.dumps(text)
        return written

    def _reason_given(
        self, clause: Clause, spec: ToolSpec, inputs: dict[str, str]
    ) -> dict[str, str]:
        """ "If rejected, email the employee the reason": in the case an approval was
        turned down, the reason is the approver's comment, not a text the run is asked for."""
        body = _message_text_input(spec)
        if (
            not acts(spec)
            or body is None
            or not self._asked_at_run(inputs.get(body, ""))
            or not _REASON_ASKED.search(clause.action)
        ):
            return inputs
        rejected = self._rejected_approval()
        if rejected is None:
            return inputs
        self._drop_unread_input(inputs[body])
        written = {**inputs, body: f'"Reason: " + {rejected}.comment'}
        subject = "subject" if "subject" in inputs else None
        if subject is not None and self._asked_at_run(inputs[subject]):
            self._drop_unread_input(inputs[subject])
            written[subject] = json.dumps(f"{self._thing_decided(rejected)} was not approved")
        return written

    def _rejected_approval(self) -> str | None:
        """The approval whose rejection the step being planned is under, if any."""
        rejected = None
        for branch_id, arm in self._gates():
            node = next((n for n in self.nodes if n["id"] == branch_id), None)
            said = re.fullmatch(r"(!?)(\w+)\.approved", str((node or {}).get("condition", "")))
            if said is None or said.group(2) not in self.info:
                continue
            turned_down = (said.group(1) == "!") == (arm == "then")
            if self.info[said.group(2)].kind == "approval" and turned_down:
                rejected = said.group(2)
        return rejected

    def _thing_decided(self, approval: str) -> str:
        """ "Your refund", or "It": what the approval decided, to say it was not approved."""
        decided = self.info[approval].clause
        approved = _APPROVED_THING.search(decided.action) if decided is not None else None
        return f"Your {singular(approved.group('thing').lower())}" if approved else "It"

    def _rejection_told(
        self, clause: Clause, spec: ToolSpec, inputs: dict[str, str]
    ) -> dict[str, str]:
        """ "Get approval from legal before emailing the summary; if they reject, tell me":
        a message after the rejection that says no text of its own says the rejection and
        the approver's comment, not a value of a step that ran only once it was approved."""
        body = _message_text_input(spec)
        rejected = self._rejected_approval() if acts(spec) and body is not None else None
        if rejected is None or body is None or any(lab == "message" for lab, _ in clause.quoted):
            return inputs
        read = re.findall(r"(?<![\w.])([A-Za-z_]\w*)\.(\w+)", inputs.get(body, ""))
        ids = [node["id"] for node in self.nodes]
        # (what was planned after the approval runs only once it is approved)
        skipped = any(ids.index(n) > ids.index(rejected) for n, _ in read if n in ids)
        said = set(re.findall(r"[a-z]+", clause.action.lower()))
        named = any(set(split_identifier(field)) & said for _, field in read)
        if not read or (named and not skipped) or any(n == rejected for n, _ in read):
            return inputs  # (it says what it names, or the decision itself)
        thing = self._thing_decided(rejected)
        self._drop_unread_input(inputs[body])
        told = {**inputs, body: f'"{thing} was not approved. Comment: " + {rejected}.comment'}
        subject = told.get("subject")
        if subject is not None and self._asked_at_run(subject):
            self._drop_unread_input(subject)
            told["subject"] = json.dumps(f"{thing} was not approved")
        return told

    def _decided_value(
        self, clause: Clause, spec: ToolSpec, inputs: dict[str, str]
    ) -> dict[str, str]:
        """ "Let finance choose the refund amount, then email the customer the amount
        approved": what a message says is the value the approver filled in, named by the
        last word of its field, not a text the run is asked for."""
        body = _message_text_input(spec)
        if not acts(spec) or body is None or not self._asked_at_run(inputs.get(body, "")):
            return inputs
        said = {w.lower() for w in re.findall(r"[A-Za-z]+", clause.action)}
        gates = self._gates()
        found = []
        for node in self.nodes:
            info = self.info.get(node["id"])
            if info is None or info.kind != "approval" or not info.gates <= gates:
                continue
            fields = (node.get("form_schema") or {}).get("properties") or {}
            for name in fields:
                if set(split_identifier(name)[-1:]) & said:
                    found.append((node["id"], name))
        if len(found) != 1:
            return inputs
        approval, name = found[0]
        label = field_label(name)
        told = f'"{label}: %s".format([{approval}.data.{name}])'
        if next(n for n in self.nodes if n["id"] == approval).get("when"):
            # an approval some runs skip (it reads as null): those runs tell the value they
            # came with ("final_discount": the run's `discount`), or nothing can be told
            given = split_identifier(name)[-1]
            if given not in self.input_properties:
                return inputs
            told = f'{approval} != null ? {told} : "{label}: %s".format([input.{given}])'
        self._drop_unread_input(inputs[body])
        return {**inputs, body: told}

    def _decision_told(
        self,
        clause: Clause,
        spec: ToolSpec,
        inputs: dict[str, str],
        after: Sequence[str],
        node_id: str,
    ) -> dict[str, str]:
        """ "Have ops approve refund R1, then email ann whether it was approved": a message
        right after an approval that asks whether it was approved says the decision, either
        way (and the approver's comment), rather than a text asked of the run and sent only
        when it was approved (`_go_on_to_tell_the_decision` lets it run on a rejection)."""
        body = _message_text_input(spec)
        if (
            not acts(spec)
            or body is None
            or not self._asked_at_run(inputs.get(body, ""))
            or _WHETHER_DECIDED.search(clause.action) is None
            or len(after) != 1
        ):
            return inputs
        approval = next((n for n in self.nodes if n["id"] == after[0]), None)
        if approval is None or approval.get("type") != "approval" or approval.get("when"):
            return inputs
        decided = self.info[approval["id"]].clause
        approved = _APPROVED_THING.search(decided.action) if decided is not None else None
        thing = f"The {singular(approved.group('thing').lower())}" if approved else "It"
        name = approval["id"]
        told = {
            **inputs,
            body: (
                f'{name}.approved ? "{thing} was approved. Comment: " + {name}.comment : '
                f'"{thing} was not approved. Comment: " + {name}.comment'
            ),
        }
        self._drop_unread_input(inputs[body])
        subject = told.get("subject")
        if subject is not None and self._asked_at_run(subject):
            told["subject"] = (
                f'{name}.approved ? "{thing} was approved" : "{thing} was not approved"'
            )
            self._drop_unread_input(subject)
        self.decision_told.setdefault(name, set()).add(node_id)
        return told

    def _go_on_to_tell_the_decision(self) -> None:
        """An approval whose decision a message after it tells either way goes on when it
        is rejected (`on_reject: continue`); every other step after it runs only once it
        was approved, as it did."""
        for approval_id, tellers in self.decision_told.items():
            approval = next((n for n in self.nodes if n["id"] == approval_id), None)
            if approval is None or approval.get("on_reject") != "skip":
                continue
            approval["on_reject"] = "continue"
            start = self.nodes.index(approval)
            guard = f"{approval_id}.approved"
            for node in self.nodes[start + 1 :]:
                if node["id"] in tellers or node.get("type") not in ("tool", "map", "approval"):
                    continue
                node["when"] = f"{guard} && ({node['when']})" if node.get("when") else guard

    def _notice(self, clause: Clause, spec: ToolSpec, inputs: dict[str, str]) -> dict[str, str]:
        """ "Notify support about the failed payment": a notice whose words the request
        does not give says its topic (the subject) and what the step before it reported
        (the body), rather than asking the run for them."""
        if not acts(spec) or clause.quoted or not is_notice(clause.action):
            return inputs
        subject = next((n for n in ("subject", "title") if n in inputs), None)
        body = next(
            (n for n in ("body", "message", "text", "content") if n in spec.input_properties()),
            None,
        )
        if body is None or body not in inputs:
            return inputs
        asked = [n for n in (subject, body) if n is not None and self._asked_at_run(inputs[n])]
        topic = notice_topic(clause.action)
        if body not in asked:
            if subject is None or subject not in asked or topic is None:
                return inputs
            # "email purchasing about the shortage" with the body written from the steps
            # before: the subject is the topic
            self._drop_unread_input(inputs[subject])
            return {**inputs, subject: json.dumps(notice_subject(topic, ""))}
        reported = self._reported_before(spec)
        if topic is None and reported is None:
            return inputs  # nothing to say but what a person writes at run time
        said_why = clause.condition.text if clause.condition is not None else self._arm_said()
        if clause.condition is not None and clause.condition.negate and said_why:
            # ("check whether x@y.io is a real address; if not, let support know": the
            # notice said "x@y.io is a real address")
            said_why = _said_negated(said_why)
        if said_why and reported:
            # "if it is declined": what is declined is what the step before did
            said_why = _SAID_OF_IT.sub(f"{reported[0]}: ", said_why, count=1)
        fallback = said_why or (f"{reported[0]} result" if reported else "")
        line = notice_subject(topic, fallback)
        written = dict(inputs)
        if subject is not None and subject in asked:
            self._drop_unread_input(inputs[subject])
            written[subject] = json.dumps(line)
        if reported is None:
            text = json.dumps(f"{line}.")
        else:
            _, template, values = reported
            lead = f"{line}.\n\n" if topic or said_why else ""
            text = f"{json.dumps(lead + template)}.format([{values}])"
        written[body] = text
        self._drop_unread_input(inputs[body])
        return written

    def _arm_said(self) -> str | None:
        """The condition of the innermost arm this step is in, as the request said it (the
        other case of "if it's valid", "otherwise ...", said "it's not valid")."""
        arms = dict(self._gates())
        branches = [self.info[branch] for branch in arms if branch in self.info]
        for info in sorted(branches, key=lambda i: -i.order):
            if info.clause is not None and info.clause.condition is not None:
                said = info.clause.condition.text
                if arms[info.id] != "else" and info.clause.condition.negate:
                    return _said_negated(said)
                if arms[info.id] != "else":
                    return said
                negated, count = _SAID_OF_IT.subn(lambda m: f"{m.group(0)}not ", said, 1)
                if count and not info.clause.condition.negate and " not " not in said:
                    return negated
                return None  # no words for the other case: what the step reported says it
        return None

    def _reported_before(self, spec: ToolSpec) -> tuple[str, str, str] | None:
        """What the latest step before this one (in reach, not another message) reported:
        its title, a template of labelled lines and the values that fill it."""
        gates = self._gates()
        exits = set(self._predecessors().exits)
        done = next(
            (
                info
                for info in sorted(self.info.values(), key=lambda i: -i.order)
                if info.kind == "tool"
                and info.spec is not None
                and info.spec.id != spec.id
                and info.gates <= gates
                and info.spec.output_properties()
            ),
            None,
        )
        if done is None or done.spec is None:
            return None
        if (
            exits
            and done.id not in exits
            and not any(node.get("type") == "branch" and node["id"] in exits for node in self.nodes)
        ):
            return None
        outputs = done.spec.output_properties()
        # the verdict first ("In stock: false", "Valid: true": what "tell me" asks), then
        # what it found; lists only when it reports nothing else
        fields = [
            *(name for name, schema in outputs.items() if schema_types(schema) == {"boolean"}),
            *(
                name
                for name, schema in outputs.items()
                if schema_types(schema) & {"string", "number", "integer"}
            ),
        ][:_RESULT_LINES] or list(outputs)[:_RESULT_LINES]
        template, values = _labelled_lines(done.id, fields)
        title = done.spec.name or " ".join(split_identifier(done.spec.id)).capitalize()
        return title, template, values

    def _codes_said_before(
        self, inputs: dict[str, str], declared: set[str], clause: Clause
    ) -> None:
        """ "Charge the card for order O-1. Ship it.": an id the step would ask for at run
        time is the code a step before was given for the same input (the same order); so is
        an address said of someone this step speaks of again ("check whether bob@x.com
        exists; if not, send him the welcome email")."""
        said_again = _SOMEONE_AGAIN.search(clause.action) is not None
        for name, expression in list(inputs.items()):
            field = expression[len("input.") :] if expression.startswith("input.") else ""
            last = split_identifier(name)[-1:]
            if (
                not field
                or field in declared
                or not (
                    last == ["id"]
                    or (last == ["email"] and said_again)
                    # ("check if 4 of BRK-1 are in stock, if not order them": as many)
                    or (name in _QUANTITY_INPUTS and _THEM_ORDERED.search(clause.action))
                )
            ):
                continue
            said = {
                node["inputs"][name]
                for node in self.nodes
                if node.get("type") == "tool"
                and (
                    str(node.get("inputs", {}).get(name, "")).startswith('"')
                    or (
                        name in _QUANTITY_INPUTS
                        and re.fullmatch(r"\d+", str(node.get("inputs", {}).get(name, "")))
                    )
                )
            }
            if len(said) == 1:
                inputs[name] = said.pop()
                self._drop_unread_input(expression)

    def _said_of_the_approval(self, spec: ToolSpec, inputs: dict[str, str], clause: Clause) -> None:
        """ "Ask finance to approve the $2,000 charge on order 77, then charge it": what the
        step does "it" to was said with the approval before it (the amount, the order), not
        asked of the run."""
        if not _IT_SAID.search(clause.action):
            return
        approvals = [i for i in self.info.values() if i.kind == "approval" and i.clause]
        decided = approvals[-1].clause if approvals else None
        if decided is None or decided is clause:
            return
        said = replace(decided, action=decided.text, quoted=[])
        found = self._literals(spec, said)
        for name, expression in list(inputs.items()):
            if not expression.startswith("input."):
                continue
            value = found.get(name)
            words = split_identifier(name)
            if value is None and len(words) == 2 and words[1] == "id":
                code = re.search(rf"\b{words[0]}\s+#?([\w-]*\d[\w-]*)", decided.text, re.I)
                value = json.dumps(code.group(1)) if code else None
            if value is not None:
                inputs[name] = value
                self._drop_unread_input(expression)

    def _all_sent_on(
        self, clause: Clause, spec: ToolSpec, inputs: dict[str, str], upstream: list[NodeInfo]
    ) -> dict[str, str]:
        """ "Get the weather and the exchange rate, then post both to #travel": what is sent
        is what each step side by side made, one after another."""
        if not acts(spec) or not _SENDS_ALL_ON.match(_clean_action(clause.action)):
            return inputs
        if any(info.spec is None or acts(info.spec) for info in upstream):
            return inputs
        content = next(
            (name for name in _said_inputs(inputs) if self._asked_at_run(inputs[name])), None
        )
        if content is None:
            return inputs
        unread = inputs[content]
        template = "\n".join("%s" for _ in upstream)
        values = ", ".join(info.id for info in upstream)
        sent = {**inputs, content: f"{json.dumps(template)}.format([{values}])"}
        self._drop_unread_input(unread)
        return sent

    def _given_value_sent(
        self, clause: Clause, spec: ToolSpec, inputs: dict[str, str], upstream: str
    ) -> dict[str, str]:
        """ "subscribe ann@x.io to the newsletter and post the email in #signups": what is
        sent is a value the step before was given (its `email`), named as that input, not a
        text asked of the run."""
        said = _SAID_VALUE_SENT.match(_clean_action(clause.action))
        content = next(
            (name for name in _said_inputs(inputs) if self._asked_at_run(inputs[name])), None
        )
        node = next((n for n in self.nodes if n["id"] == upstream), None)
        if said is None or content is None or node is None or not acts(spec):
            return inputs
        named = "_".join(said["what"].lower().split())
        given = [
            expression
            for name, expression in (node.get("inputs") or {}).items()
            if name_similarity(name, named) >= 0.9
        ]
        if len(given) != 1:
            return inputs
        self._drop_unread_input(inputs[content])
        return {**inputs, content: given[0]}

    def _sent_on(
        self, clause: Clause, spec: ToolSpec, inputs: dict[str, str], upstream: str
    ) -> dict[str, str]:
        """ "Get the weather and post it to #ops", "translate it and email it to them": what
        is sent is what the step before made, when no output was named like the message
        (a summary is; a translation or a forecast is not). Only a step that made data (no
        verdict: no yes/no or one-of-a-list field) is sent on this way."""
        info = self.info.get(upstream)
        sends = _SENDS_IT_ON.match(_clean_action(clause.action)) or _TELLS_WHETHER.match(
            _clean_action(clause.action)
        )
        if sends is None and info is not None and info.spec is not None:
            # "check the weather in Boston and post the weather to #general": the thing the
            # step before is named for, what it found
            thing = _SENDS_ITS_THING.match(_clean_action(clause.action))
            named_for = {stem(w) for w in split_identifier(info.spec.id)[1:]}
            if thing is not None and stem(singular(thing["noun"].lower())) in named_for:
                sends = thing
        # "refund it, then log the refund in the sheet": the thing the step before made,
        # by its name, kept as a row
        kept = _KEPT_THING.match(_clean_action(clause.action))
        kept_it = (
            kept is not None
            and info is not None
            and info.spec is not None
            and stem(kept["noun"].lower()) in {stem(w) for w in split_identifier(info.spec.id)}
            and self._row_input(spec, inputs) is not None
        )
        # "post a summary of the page": the summary planned for this very step
        made_for_it = (
            info is not None and info.clause is not None and info.clause.text == clause.text
        )
        # "create a Jira issue and post it to #infra": what a step that changed something
        # made (its key, its link), written out; not what a message before it said
        made_it = (
            info is not None
            and info.spec is not None
            and acts(info.spec)
            and (
                kept_it
                or (
                    sends is not None
                    # ("send them a confirmation": them is who it goes to)
                    and sends.group("what").lower()
                    in ("it", "this", "that", "the result", "whether")
                )
            )
            and _tool_verb(info.spec.id) not in _SENDING
            and not _a_message_tool(info.spec)
        )
        if (
            info is None
            or info.spec is None
            or (acts(info.spec) and not made_it)
            or not acts(spec)
            or not (sends or made_for_it or kept_it)
        ):
            return inputs
        content = next(
            (
                name
                for name in _said_inputs(inputs)
                if (made_for_it and not inputs[name].startswith('"'))
                or self._asked_at_run(inputs[name])
            ),
            None,
        )
        fields = unwrap_nullable(info.spec.output_schema).get("properties") or {}
        row = None if content is not None else self._row_input(spec, inputs)
        if (content is None and row is None) or not fields:
            return inputs
        # "post it" after a verdict is the thing judged; "post the result" is the verdict
        named_result = sends is not None and sends.group("what").lower().startswith(
            ("the", "their", "its", "his", "her", "whether", "if")
        )
        # ("analyze the sentiment of '...' and email it": the step before named its result,
        # the sentiment, as what it works out; "it" is that)
        named_result = named_result or (
            sends is not None
            # (not "... and if it's negative, email it": the review the condition judged)
            and bool(self.nodes)
            and self.nodes[-1]["id"] == upstream
            and info.clause is not None
            and any(
                re.search(
                    rf"\bthe\s+{re.escape(' '.join(split_identifier(name)))}\s+of\b",
                    info.clause.action or "",
                    re.I,
                )
                for name in fields
            )
        )
        # "look up user 7's profile and email it": what a lookup found is the thing sent,
        # its "found" no verdict on something the request had
        found_it = _tool_verb(info.spec.id) in _FINDING
        if (
            not named_result
            and not made_it
            and not found_it
            and any(_a_verdict(f) for f in fields.values())
        ):
            return inputs
        texts = [n for n, f in fields.items() if schema_types(f) == {"string"}]
        # the one text it made ("translation"), else what it made, one named line a field
        # ("Tax: 18.81"), as a message reads it
        template, values = _labelled_lines(upstream, list(fields)[:_RESULT_LINES])
        said = f"{json.dumps(template)}.format([{values}])"
        made = _the_text_made(fields, info.spec.id)
        converted = self.conversions.get(upstream)
        if converted is not None:
            # "convert 250 USD to EUR and post it": the amount converted, and the rate
            said = converted_said(converted[0], converted[1], upstream, info.spec)
        elif len(texts) == 1 and len(fields) == 1:
            said = f"{upstream}.{texts[0]}"
        elif made is not None:
            # the one text it made ("translate '...' into Spanish and post it": the
            # translation, not its detected language beside it)
            said = f"{upstream}.{made}"
        if row is not None:
            # "add it to the sheet": one cell for each thing it made
            cells = [
                f"{upstream}.{name}"
                if schema_types(field) == {"string"}
                else f'"%s".format([{upstream}.{name}])'
                for name, field in fields.items()
            ]
            said, content = f"[{', '.join(cells)}]", row
        assert content is not None
        unread = inputs[content]
        sent = {**inputs, content: said}
        self._drop_unread_input(unread)
        return sent

    def _row_input(self, spec: ToolSpec, inputs: dict[str, str]) -> str | None:
        """The input of a keeping step that takes a row of texts (`values`), when no step
        fills it yet."""
        for name, schema in spec.input_properties().items():
            items = unwrap_nullable(schema).get("items")
            if (
                schema_types(schema) == {"array"}
                and isinstance(items, dict)
                and schema_types(items) == {"string"}
                and _ROW_WORDS & set(split_identifier(name))
                and self._asked_at_run(inputs.get(name, ""))
            ):
                return name
        return None

    def _asked_at_run(self, expression: str) -> bool:
        """Whether `expression` reads a run input this plan asks for (not one the flow had)."""
        return expression.startswith("input.") and (
            expression[len("input.") :] not in self.seeded_inputs
        )

    def _each_item_beside_its_result(
        self, loop: Loop, spec: ToolSpec, inputs: dict[str, str], items: str
    ) -> str:
        """ "For each ticket text, classify it and create a ticket with the category": the
        classifications say nothing of the text, so the ticket's body was one text asked of
        the run for all of them. The map runs over the loop's own items instead, the text
        being each item and the category its result's (`classify_ticket[index]`)."""
        texts = [
            name
            for name in spec.required_inputs()
            if name in _READ_TEXT_INPUTS
            and self._asked_at_run(inputs.get(name, ""))
            and type_fit(spec.input_properties().get(name, {}), loop.item_schema) >= 0.9
        ]
        if not texts or any(re.search(r"(?<![\w.])item\b(?!\.)", e) for e in inputs.values()):
            return items
        if _codes_written(loop.items):
            return items  # ("for each of INV-101 and INV-102 ...": codes, no text to send)
        for name, expression in inputs.items():
            inputs[name] = re.sub(r"(?<![\w.])item\.", f"{loop.last_map}[index].", expression)
        self._drop_unread_input(inputs[texts[0]])
        inputs[texts[0]] = "item"
        return loop.items

    def _map_node(
        self, clause: Clause, spec: ToolSpec, *, literal_items: list[str] | None = None
    ) -> str:
        self._check_unfiltered(clause)
        noun = singular(clause.for_each or "item")
        sources = self._sources()
        loop = (
            self.loop
            if (
                self.loop is not None
                and self.loop.sentence == clause.sentence
                and (self.loop.noun in (noun, _ANY_NOUN) or noun in self.loop.also)
            )
            or self._each_of_the_last_loop(noun)
            or self._each_made_by_the_loop(noun)
            else None
        )
        if loop is not None:
            clause = self._it_is_the_field_said(clause, loop)
        items, item_schema = None, None
        if literal_items:
            loop = None
            items, item_schema = json.dumps(literal_items), {"type": "string"}
            if _numbered_items(literal_items, spec):
                # ("mark orders 1201, 1202 and 1203 as fulfilled": whole numbers, for an
                # integer `order_number`)
                items = json.dumps([int(item) for item in literal_items])
                item_schema = {"type": "integer"}
            if all(item in self.listed_names for item in literal_items):
                # ("send welcome emails to: Ana (ana@x.io), Ben (ben@x.io)": each person
                # with the name written beside their address, not one name for all)
                people = [{"name": self.listed_names[i], "email": i} for i in literal_items]
                items, item_schema = json.dumps(people), _PERSON_ITEM
        elif loop is not None and loop.filtered is not None:
            items, item_schema = loop.filtered, loop.last_tool.output_schema
            kept_values = self._listed_values_kept(loop, spec, clause)
            if kept_values is not None:
                items, item_schema = kept_values, loop.item_schema
        elif loop is not None and self._sends_each_on(clause, spec, loop):
            # "for each city, get the weather and post it to #weather": each one made
            items, item_schema = loop.last_map, loop.last_tool.output_schema
        elif loop is not None:
            previous_output = loop.last_tool.output_schema
            fields = unwrap_nullable(previous_output).get("properties") or {}
            if any(
                best_source(name, schema, output_sources("item", previous_output)[1:])
                for name, schema in spec.input_properties().items()
                if name in spec.required_inputs()
            ) or any(  # "post the status to #ops": what the loop's last step told of each
                re.search(
                    r"\b(?:the|its|their)\s+" + r"\s+".join(split_identifier(name)) + r"\b",
                    clause.action,
                    re.IGNORECASE,
                )
                for name in fields
            ) or self._addressee_found_each(clause, fields):
                items, item_schema = _found_only(loop.last_map, previous_output), previous_output
            else:
                items, item_schema = loop.items, loop.item_schema
        if items is None and noun in self.listed_items:
            items, item_schema = json.dumps(self.listed_items[noun]), {"type": "string"}
            if all(isinstance(item, int) for item in self.listed_items[noun]):
                item_schema = {"type": "integer"}  # ("tickets 101, 102 and 103": numbers)
            if any(isinstance(item, dict) for item in self.listed_items[noun]):
                item_schema = _PERSON_ITEM
        if items is None:
            found = self._list_source(noun, clause.for_each_container, sources)
            qualified = self._qualified_list(noun, clause.text, sources)
            if qualified is not None:
                found = qualified  # "for each unavailable SKU": the list of those unavailable
            if found is None:
                found = self._read_the_container_first(noun, clause)
            if found is None:
                found = self.qualified_lists.get(noun)
            if found is None and not self._made_by_the_step_before(noun, clause):
                # (a list a step before made goes first)
                found = self._list_the_qualified_items(noun, clause)
            if found is not None:
                items = found.expression
                item_schema = found.schema.get("items") if isinstance(found.schema, dict) else {}
                item_schema = item_schema if isinstance(item_schema, dict) else {}
            else:
                made = self._list_the_step_before_made(noun, clause)
                if made is not None:
                    items, item_schema = made
                else:
                    items, item_schema = self._new_list_input(noun, spec, sources, clause.text)
        assert item_schema is not None
        item_sources = [Source("item", noun, item_schema, None, ("item",), 1000.0)]
        if isinstance(item_schema.get("properties"), dict):
            item_sources += output_sources("item", item_schema, priority=1000.0)[1:]
        literals = self._literals(spec, clause)
        inputs = self._wire(spec, clause, sources, literals=literals, first=item_sources)
        if loop is not None and items == loop.last_map and self._sends_each_on(clause, spec, loop):
            said = _said_inputs(inputs)[0]
            self._drop_unread_input(inputs[said])
            inputs[said] = _item_said(item_schema, loop.last_tool.id)
        if loop is not None and loop.filtered is not None:
            _check_filtered_keeps(clause, loop, spec, inputs)
        if loop is not None and items == loop.last_map:
            items = self._each_item_beside_its_result(loop, spec, inputs, items)
        # ("in california vs oregon": states, as the request was read)
        region_country = regions_listed(_written_list(items), f"{self.request} {self.regions}")
        regions = [n for n in spec.input_properties() if _names_a_region(n)]
        countries = [n for n in spec.input_properties() if "country" in split_identifier(n)]
        if region_country is not None and len(regions) == 1 and len(countries) == 1:
            # "the sales tax in each of these states: NY, TX, WA": each is a region of the US
            for name in (regions[0], countries[0]):
                self._drop_unread_input(inputs.get(name, ""))
            inputs[regions[0]] = "item"
            inputs[countries[0]] = json.dumps(region_country)
        # (`get_invoice[index]`: what the loop found for the item reads it too)
        if not any(re.search(r"(?<![\w.])item\b|\[index\]", expr) for expr in inputs.values()):
            # the item is what the step works on: its first input the item's type fits (an
            # optional one when none is required: "for each customer, look them up")
            wanted = spec.required_inputs() or list(spec.input_properties())[:1]
            # "translate it to Spanish and German": each value goes to the input it is for
            wanted = sorted(wanted, key=lambda n: n not in _listed_inputs(spec, clause.action))
            for name in wanted:
                schema = spec.input_properties().get(name, {})
                items_said = {
                    *map(json.dumps, literal_items or []),
                    *(i for i in literal_items or [] if isinstance(i, str) and i.isdigit()),
                }
                if name in literals and literals[name] not in items_said:
                    continue  # "post each to #weather": the channel is written
                if _addresses_another(name, noun, self.id_nouns):
                    continue  # "for every order ID, ... send it by SMS": an ID is no phone
                if type_fit(schema, item_schema) >= 0.9:
                    self._drop_unread_input(inputs.get(name, ""))
                    inputs[name] = "item"
                    break
                address = _item_for(name, schema, item_sources[1:])
                if address is not None and name not in literals:
                    # ("email everyone in the Design group": each member's `login`, an address)
                    self._drop_unread_input(inputs.get(name, ""))
                    inputs[name] = address.source.expression
                    break
        written_out = next(
            (
                name
                for name in _said_inputs(inputs)
                if inputs[name].startswith("input.") and name not in literals
            ),
            None,
        )
        if written_out is not None and not any(
            re.search(r"(?<![\w.])item\b", expr) for expr in inputs.values()
        ):
            # "for each order, validate it and create a ticket for each one": what each
            # ticket says is that order, written out
            self._drop_unread_input(inputs[written_out])
            made_by = self.info[items].spec if items in self.info else None
            inputs[written_out] = _item_said(item_schema, made_by.id if made_by else None)
        if not any(re.search(r"(?<![\w.])item\b", expr) for expr in inputs.values()):
            # the same call for every item: the loop's item reaches none of the step's
            # inputs ("for each user, email the user's manager": whose address?)
            raise PlanningError(
                "unmapped_step",
                f"Could not plan {clause.label} for each {noun}: none of {spec.id}'s inputs "
                f"takes the {noun} (or a field of it), so every call would be the same. Say "
                f"which input each {noun} goes to, or plan one {noun} per run.",
                step=clause.text,
                details={"tool": spec.id, "reason": "item_not_used", "phrase": noun},
            )
        if loop is not None and items == loop.filtered:
            _check_kept_records_hold_the_address(clause, loop, spec, inputs)
        _refuse_codes_as_addresses(clause, spec, inputs, items)
        self._name_of_each_address(spec, inputs)
        node_id = self._unique_id(spec.id)
        written = noun == _ANY_NOUN or bool(literal_items)  # values the request lists
        node = {
            "id": node_id,
            "type": "map",
            "title": _title(f"{clause.action} (for each {'one' if written else noun})"),
            "items": items,
            "tool": spec.id,
            "inputs": inputs,
            "concurrency": 4,
            **clause.settings.node_fields(),
        }
        self._add(node, "map", clause, spec)
        # the values written: what "each page" or "each one" later in the sentence is
        said = _ANY_NOUN if literal_items else noun
        before = self.loop
        goes_on = (
            before is not None and before.sentence == clause.sentence and items == before.last_map
        )
        also = before.also | {before.noun} if before is not None and goes_on else frozenset()
        self.loop = Loop(clause.sentence, said, items, item_schema, node_id, spec, also=also)
        return node_id

    def _name_of_each_address(self, spec: ToolSpec, inputs: dict[str, str]) -> None:
        """ "welcome a@x.io, b@y.io and c@z.io", "validate each email and welcome the valid
        ones": items that are addresses and no name greet each one by the part of its own
        address before the "@", not by one name asked of the run for every item."""
        addressed = [
            inputs[name]
            for name, schema in spec.input_properties().items()
            if name in inputs
            and _is_email_field(name, schema)
            and re.fullmatch(r"item(?:\.email)?", inputs[name])
        ]
        if len(addressed) != 1:
            return
        for name in spec.required_inputs():
            words = split_identifier(name)
            if (
                words[-1:] == ["name"]
                and len(words) <= 2
                and inputs.get(name) == f"input.{name}"
                and name not in self.seeded_inputs
            ):
                self._drop_unread_input(inputs[name])
                inputs[name] = f'{addressed[0]}.split("@")[0]'

    def _each_made_by_the_loop(self, noun: str) -> bool:
        """ "Fetch each of the URLs and summarize each page": each page is what the loop
        that was the last step made, when its tool says it makes one."""
        return (
            self.loop is not None
            and self.loop.filtered is None
            and self.last_step == self.loop.last_map
            and noun not in (_ANY_NOUN, "item", self.loop.noun)
            and stem(noun) in _spec_stems(self.loop.last_tool)
            and stem(noun) not in {stem(w) for w in split_identifier(self.loop.noun)}
        )

    def _each_of_the_last_loop(self, noun: str) -> bool:
        """ "For each URL, fetch the page. Then summarize each one.": "each one" in a later
        sentence is each result of the loop that was the last step."""
        return (
            noun == "one"
            and self.loop is not None
            and self.loop.filtered is None
            and self.last_step == self.loop.last_map
        )

    def _it_is_the_field_said(self, clause: Clause, loop: Loop) -> Clause:
        """ "For each order, look up its status and post it to #ops": "it" is the status
        the loop's last step was asked for, so the step says "post the status"."""
        sent = _SENDS_IT_ON.match(_clean_action(clause.action))
        before = self.info.get(loop.last_map)
        if (
            sent is None
            or sent.group("what").lower() not in ("it", "this", "that")
            or before is None
            or before.clause is None
        ):
            return clause
        fields = unwrap_nullable(loop.last_tool.output_schema).get("properties") or {}
        named = [
            name
            for name in fields
            if re.search(
                r"\b(?:the|its|their)\s+(?:[a-z]+\s+)?"
                + r"\s+".join(split_identifier(name))
                + r"\b",
                before.clause.action,
                re.IGNORECASE,
            )
        ]
        if len(named) != 1:
            return clause
        field_words = " ".join(split_identifier(named[0]))
        pronoun = re.compile(rf"\b{sent.group('what')}\b", re.IGNORECASE)
        return replace(
            clause,
            action=pronoun.sub(f"the {field_words}", clause.action, count=1),
            text=pronoun.sub(f"the {field_words}", clause.text, count=1),
        )

    def _sends_each_on(self, clause: Clause, spec: ToolSpec, loop: Loop) -> bool:
        """Whether a loop's step sends on what the loop's last step made for each item
        (data, not a verdict), as `_sent_on` does for one."""
        fields = unwrap_nullable(loop.last_tool.output_schema).get("properties") or {}
        return (
            acts(spec)
            # ("shorten each link and post it": the short link a step that acts made)
            and (not acts(loop.last_tool) or _the_text_made(fields, loop.last_tool.id) is not None)
            and bool(fields)
            and not any(_a_verdict(field) for field in fields.values())
            and bool(_said_inputs(spec.input_properties()))
            and (
                _SENDS_IT_ON.match(_clean_action(clause.action)) is not None
                # "email each translation": what each call of the loop's tool made
                or stem(MADE_BY.get(singular(clause.for_each or ""), "-"))
                == _tool_verb(loop.last_tool.id)
                # "translate it into French and German and post each to #intl": each one
                or (
                    clause.for_each == "one"
                    and _the_text_made(fields, loop.last_tool.id) is not None
                )
            )
        )

    def _in_loop(self, clause: Clause) -> bool:
        """A condition said of each item of the loop its sentence runs."""
        return (
            clause.for_each is not None
            and self.loop is not None
            and self.loop.sentence == clause.sentence
        )

    def _filter_loop(self, clause: Clause) -> None:
        """ "For each order, validate it and if it's valid charge the card": a map calls its
        tool for every item, so the condition keeps the previous map's results to those it
        holds for, and the loop's next map runs over those. A condition that no result of
        the previous map can tell, or an 'otherwise', is refused: a loop has no arms."""
        loop, condition = self.loop, clause.condition
        assert loop is not None
        noun = loop.said
        resolved = None
        if condition is not None and not clause.otherwise:
            sources = output_sources("r", loop.last_tool.output_schema)
            resolved = resolve_condition(condition.text, sources, negate=condition.negate)
        if resolved is None or resolved.new_input is not None:
            why = (
                "a loop has no 'otherwise'"
                if clause.otherwise or condition is None
                else f"{condition.text!r} is not something {loop.last_tool.id} tells"
            )
            raise PlanningError(
                "unmapped_condition",
                f"Could not plan {clause.label}: inside the loop over each {noun}, a condition "
                f"can only keep the {plural(noun)} a step of the loop judged a certain way, and "
                f"{why}. Plan one {noun} per run to use conditions and 'otherwise' freely.",
                step=clause.text,
                details={"reason": "condition_in_loop"},
            )
        loop.filtered = f"{loop.last_map}.filter(r, {resolved.expression})"
        loop.kept = resolved.expression

    def _listed_values_kept(self, loop: Loop, spec: ToolSpec, clause: Clause) -> str | None:
        """ "For each of api, web and db, check its health and restart it if it's down":
        the values written (not the checks' results, which do not say which service they
        were for) whose check the condition keeps, read by position."""
        if loop.kept is None or not loop.items.startswith("["):
            return None
        values = json.loads(loop.items)
        results = output_sources("item", loop.last_tool.output_schema)[1:]
        if any(
            best_source(name, spec.input_properties()[name], results)
            for name in spec.required_inputs()
        ):
            return None  # the step reads the results themselves
        fields = unwrap_nullable(loop.last_tool.output_schema).get("properties") or {}
        if self._addressee_found_each(clause, fields):
            return None  # ("... if it's overdue, email the customer": the invoice's)
        positions = ", ".join(str(at) for at in range(len(values)))
        kept = re.sub(r"(?<![\w.])r\.", f"{loop.last_map}[i].", loop.kept)
        return f"[{positions}].filter(i, {kept}).map(i, {loop.items}[i])"

    def _drop_unread_input(self, expression: str) -> None:
        """Forget the run input field `expression` reads when no node reads it any more."""
        if not expression.startswith("input.") or expression[len("input.") :] in self.seeded_inputs:
            return
        name = expression[len("input.") :]
        read = any(expression in str(node.get("inputs", {})) for node in self.nodes)
        if name in self.input_properties and not read:
            del self.input_properties[name]
            self.input_required = [field for field in self.input_required if field != name]

    def _check_unfiltered(self, clause: Clause) -> None:
        """ "Create a ticket for every negative one": a loop over only the items an earlier
        step judged a certain way. A map runs on every item, so this is refused rather than
        planned over all of them."""
        match = _QUALIFIED_EACH.search(clause.text)
        if match is None:
            return
        word = match.group("value").lower()
        for info in self.info.values():
            if info.spec is not None and word in output_values(info.spec.output_schema):
                raise PlanningError(
                    "unmapped_step",
                    f"Could not map {clause.label}: it asks to act only on the items "
                    f"{info.spec.id} finds {word!r}, and a loop runs on every item; the planner "
                    "cannot pick some of them. Act on every item, or plan one item per run.",
                    step=clause.text,
                    details={"phrase": match.group(0), "reason": "filtered_loop"},
                )

    def _list_source(
        self, noun: str, container: str | None, sources: list[Source]
    ) -> Source | None:
        best: tuple[float, Source] | None = None
        for source in sources:
            if schema_types(source.schema) != {"array"}:
                continue
            score = max(
                name_similarity(plural(noun), source.name), name_similarity(noun, source.name)
            )
            if container and container in {w.lower() for w in source.context}:
                score += 0.3
            if score < 0.6:
                continue
            key = score + source.priority * 0.0001
            if best is None or key > best[0]:
                best = (key, source)
        return best[1] if best else None

    def _read_the_container_first(self, noun: str, clause: Clause) -> Source | None:
        """ "For each row of the sheet, send an email": the rows are what a tool that reads
        the sheet returns (a list named for them, the container among its words), so that
        tool runs first and the loop goes over its list, not over a list the run brings."""
        container = clause.for_each_container
        if not container or (self.loop is not None and self.loop.sentence == clause.sentence):
            return None
        where = re.search(
            rf"\b(?:in|of|from|on)\s+(?:the|our|my|this|that|your)?\s*{re.escape(container)}"
            r"(?P<more>(?:\s+[a-z][\w-]*){0,2})",
            self.request,
            re.IGNORECASE,
        )
        # ("the Leads spreadsheet": each word of where they are, a sheet among them)
        said_where = [container, *(where.group("more").split() if where else [])]
        said_where = [stem(w.lower()) for w in said_where if w.lower() not in STOP_WORDS]
        readers = []
        for spec in self.specs.values():
            # ("shopify_list_orders": a brand first, then the verb that only reads)
            reads = not acts(spec) or _READING & {stem(w) for w in split_identifier(spec.id)}
            if not reads or spec.id in self._planned_tools():
                continue
            said_of = {stem(w) for w in _own_words(spec)}
            if not any(
                w in said_of or any(len(o) > 3 and w.endswith(o) for o in said_of)
                for w in said_where
            ):
                continue
            lists = [
                source
                for source in output_sources(spec.id, spec.output_schema)[1:]
                if schema_types(source.schema) == {"array"}
                and max(
                    name_similarity(plural(noun), source.name), name_similarity(noun, source.name)
                )
                >= 0.6
            ]
            if lists:
                readers.append(spec)
        if len(readers) != 1:
            return None
        reader = readers[0]
        said = f"read the {plural(noun)} of the {container}"
        if where is not None:
            said = f"read the {plural(noun)} {where.group(0)}"  # ("in the Design group")
        phrase = re.search(
            rf"\b(?:each|every|all)\s+(?:[\w-]+\s+)?{re.escape(noun)}s?\b.*?(?=\s+(?:and|then)\b|[.;:,]|$)",
            self.request,
            re.IGNORECASE,
        )
        if phrase is not None:
            said = f"read {phrase.group(0)}"  # "in course ENG-10": the values it reads with
        self._tool_node(
            replace(_helping(clause), action=said, text=said, for_each=None, condition=None),
            reader,
            helping=True,
        )
        return self._list_source(noun, container, self._sources())

    def _list_the_qualified_items(self, noun: str, clause: Clause) -> Source | None:
        """ "For each person starting on 2027-02-01, ...": the items are what the one tool
        that lists things so qualified returns ("List the candidates hired who start on a
        date"), run first with the values the qualifier writes, not a list the run brings."""
        if self.loop is not None and self.loop.sentence == clause.sentence:
            return None
        said = re.search(
            rf"\b(?:each|every|all)\s+(?:the\s+)?{re.escape(noun)}s?\s+"
            r"(?P<qualifier>(?:starting|started|joining|hired|opened|created|placed|due|signed|"
            r"registered|added|booked|with)\b[^,.;:]*)",
            self.request,
            re.IGNORECASE,
        )
        if said is None:
            return None
        wanted = {stem(w) for w in meaningful(said.group("qualifier"))}
        readers = []
        for spec in self.specs.values():
            if acts(spec) or spec.id in self._planned_tools():
                continue
            lists = [
                source
                for source in output_sources(spec.id, spec.output_schema)[1:]
                if schema_types(source.schema) == {"array"} and source.expression.count(".") == 1
            ]
            if len(lists) == 1 and wanted & {stem(w) for w in _own_words(spec)}:
                readers.append((spec, lists[0]))
        if len(readers) != 1:
            return None
        reader, listed = readers[0]
        action = f"list the {plural(noun)} {said.group('qualifier').strip()}"
        self._tool_node(
            replace(_helping(clause), action=action, text=action, for_each=None, condition=None),
            reader,
            helping=True,
        )
        return listed

    def _qualified_list(self, noun: str, text: str, sources: list[Source]) -> Source | None:
        """ "for each unavailable SKU" after the stock check: the list a step made that is
        named by the word before the noun (`unavailable`)."""
        said = re.search(
            rf"\b(?:each|every|all(?:\s+the)?)\s+(?P<quality>[a-z-]+)\s+{re.escape(noun)}s?\b",
            text,
            re.IGNORECASE,
        )
        if said is None:
            return None
        quality = stem(said.group("quality").lower())
        for source in sources:
            if (
                source.node is not None
                and schema_types(source.schema) == {"array"}
                and source.expression.count(".") == 1
                and quality in {stem(w) for w in split_identifier(source.name)}
            ):
                return source
        return None

    def _made_by_the_step_before(self, noun: str, clause: Clause) -> bool:
        """Whether the items are (or are refused as) what the step before made."""
        try:
            return self._list_the_step_before_made(noun, clause) is not None
        except PlanningError:
            return True

    def _list_the_step_before_made(
        self, noun: str, clause: Clause
    ) -> tuple[str, dict[str, Any]] | None:
        """ "Fetch the RSS feed and summarise each article": the articles are in what the
        step just before made (in this sentence or an earlier one), not a list the run
        brings. Its one list field, or a refusal when it has none; None when the items are
        the request's own (named before: "validate the emails and welcome each valid one",
        or what that step took in)."""
        info = self.info.get(self.last_step) if self.last_step else None
        if (
            noun == "one"
            and info is not None
            and info.kind == "tool"
            and info.spec is not None
            and info.clause is not None
        ):
            # "read the rows of the sheet and for each one ...": the list that step named
            said = {stem(w) for w in re.findall(r"[a-z]+", info.clause.text.lower())}
            output = unwrap_nullable(info.spec.output_schema)
            named = [
                (name, field_schema)
                for name, field_schema in (output.get("properties") or {}).items()
                if schema_types(field_schema) == {"array"}
                and {stem(w) for w in split_identifier(name)} & said
            ]
            if len(named) == 1:
                name, field_schema = named[0]
                item_schema = field_schema.get("items") if isinstance(field_schema, dict) else None
                return f"{info.id}.{name}", item_schema if isinstance(item_schema, dict) else {}
        if (
            clause.for_each_container is not None
            or info is None
            or info.kind != "tool"
            or info.spec is None
            or info.clause is None
            or noun in (_ANY_NOUN, "item", "one")
        ):
            return None
        if re.search(r"\b(?:their|his|her|my|our|your)\b", clause.text, re.IGNORECASE):
            return None  # "for each of their orders": a person's, which the run brings
        said = {stem(w) for w in re.findall(r"[a-z]+", info.clause.text.lower())}
        taken = {stem(w) for name in info.spec.input_properties() for w in split_identifier(name)}
        if stem(noun) in said | taken or stem(plural(noun)) in said | taken:
            return None
        output = unwrap_nullable(info.spec.output_schema)
        lists = [
            (name, field_schema)
            for name, field_schema in (output.get("properties") or {}).items()
            if schema_types(field_schema) == {"array"}
        ]
        if len(lists) == 1:
            name, field_schema = lists[0]
            item_schema = field_schema.get("items") if isinstance(field_schema, dict) else None
            return f"{info.id}.{name}", item_schema if isinstance(item_schema, dict) else {}
        returned = ", ".join(output.get("properties") or {}) or "nothing"
        raise PlanningError(
            "unmapped_step",
            f"Could not map {clause.label}: it goes through each {noun} of what "
            f"{info.spec.id} returns, and {info.spec.id} returns no list of them (it returns: "
            f"{returned}). Register a tool that returns the {plural(noun)} as a list, or give "
            "them to the run as a list.",
            step=clause.text,
            details={"phrase": f"each {noun}", "reason": "no_list_made", "tool": info.spec.id},
        )

    def _new_list_input(
        self, noun: str, spec: ToolSpec, sources: list[Source], said: str = ""
    ) -> tuple[str, dict[str, Any]]:
        properties = spec.input_properties()
        mentioned = {stem(w) for w in split_identifier(said)}
        # "look up each user by email": with no input required, the one the step names
        named = [
            name for name in properties if all(stem(w) in mentioned for w in split_identifier(name))
        ]
        required = spec.required_inputs() or named[:1] or list(properties)[:1]
        per_item = [
            name
            for name in required
            if best_source(name, properties[name], sources, minimum=0.8) is None
        ] or required[:1]
        recipient = recipient_input_name(spec)
        addressed = recipient is not None and noun not in _TEXTS and noun not in _MESSAGE_NOUNS
        if addressed and recipient in per_item:
            # "send the newsletter to all subscribers in the list": one address per item,
            # the same newsletter for all of them (greeting each by their own name)
            per_item = [recipient, *(n for n in per_item if n != recipient and _names_them(n))]
        item_schema: dict[str, Any]
        if singular(noun) in _URL_WORDS and not any(
            name_similarity(name, noun) >= 0.6 for name in per_item
        ):
            # "for every failing URL, open an issue": each item is a link, whatever the
            # step makes of it
            item_schema = {"type": "string", "description": f"A {singular(noun)}."}
        elif len(per_item) == 1 and (
            name_similarity(per_item[0], noun) >= 0.6 or len(required) == 1 or addressed
        ):
            item_schema = input_field_schema(properties[per_item[0]])
        else:
            item_schema = {
                "type": "object",
                "properties": {name: input_field_schema(properties[name]) for name in per_item},
                "required": per_item,
            }
        name = self._input_name(plural(noun), {"type": "array"})
        self.input_properties[name] = {
            "type": "array",
            "items": item_schema,
            "description": f"The {plural(noun)} to process one by one.",
        }
        self.input_required.append(name)
        return f"input.{name}", item_schema

    def _refuse_a_count_untold(self, condition: Condition, clause: Clause) -> None:
        """ "Look up user 5 and if they have fewer than 3 orders, email them": a count of
        things someone a step before found has, which no field of that step tells (the
        lookup says nothing of orders), is refused rather than asked of the run under
        another name (it was compared as the run's `amount`)."""
        said = _COUNT_HELD.search(condition.text)
        if said is None:
            return
        counted = said.group("things").lower()
        words = {stem(counted), stem(singular(counted))}
        found = [
            info
            for info in self.info.values()
            if info.kind == "tool" and info.spec is not None and not acts(info.spec)
        ]
        if not found:
            return
        last = found[-1]
        assert last.spec is not None
        fields = []
        for out, schema in last.spec.output_properties().items():
            inner = unwrap_nullable(schema).get("properties") or {}
            fields.append(f"{out} ({', '.join(inner)})" if inner else out)
        if any(words & {stem(w) for w in split_identifier(field)} for field in fields):
            return
        raise PlanningError(
            "unmapped_condition",
            f"Could not map the condition {condition.text.strip()!r} of {clause.label}: it "
            f"counts {counted}, and {last.spec.id} does not say how many {counted} there are "
            f"(it returns {', '.join(fields)}); no step before tells it. Register a tool that "
            f"counts the {counted}, or say that the count comes with the request.",
            step=condition.text.strip(),
            details={"reason": "count_untold", "phrase": condition.text.strip()},
        )

    def _said_next(self, tool: str, clause: Clause) -> bool:
        """Whether the clause after `clause`, in its sentence, is a plain step that maps to
        `tool` ("ask ops to approve shipping, then ship it": the shipment is that step)."""
        upcoming = self.upcoming
        if (
            upcoming is None
            or upcoming.sentence != clause.sentence
            or upcoming.approval is not None
            or upcoming.otherwise
            or upcoming.for_each
            or not meaningful(_clean_action(upcoming.action))
        ):
            return False
        ranked = self.rank(_clean_action(upcoming.action))
        return bool(ranked) and ranked[0][0] >= self.min_score and ranked[0][1].spec.id == tool

    def _approval_said_again(self, clause: Clause) -> bool:
        """Whether `clause` names, without saying who approves, an approval already planned
        where it can see it ("after approval", "once approved"), to say what follows it."""
        assert clause.approval is not None
        if clause.approval.groups or clause.approval.role or clause.condition is not None:
            return False
        if not _AFTER_APPROVAL.search(clause.action):
            return False
        gates = self._gates()
        return any(info.kind == "approval" and info.gates <= gates for info in self.info.values())

    def _names_a_step(self, text: str) -> bool:
        """Whether `text` (what is left of an approval's clause) is a step led by a verb
        the planner reads ("charge the card"), to say in the approval what it lets run."""
        return bool(meaningful(text)) and self.reader.starts_with_verb(text.strip())

    def _approves_what_was_done(self, clause: Clause) -> bool:
        """Whether an approval said after a step that changes something, in its sentence,
        approves that step ("charge the card and have finance approve it"), rather than
        waiting on what it did ("... and wait for a manager to approve it")."""
        assert clause.approval is not None
        last = self.info.get(self.last_step or "")
        return (
            not clause.approval.before_previous
            and last is not None
            and last.kind == "tool"
            and last.spec is not None
            and acts(last.spec)
            and last.clause is not None
            and (
                (
                    last.clause.sentence == clause.sentence
                    and _APPROVES_IT.search(clause.action) is not None
                )
                # "charge $1,500; amounts above $2,000 must be approved by a manager": a
                # rule on what the step just done writes, which it has to wait for
                or (
                    _APPROVAL_REQUIRED.search(clause.action) is not None
                    and _COMPARISON_PHRASE.search(clause.action) is not None
                    and last.clause.number == clause.number - 1
                )
            )
            and _APPROVAL_AFTER_IT.search(clause.text) is None
        )

    def _approved_thing(
        self, approved: re.Match[str] | None, hidden: NodeInfo | None
    ) -> str | None:
        """What an approval is for: the thing it names ("approve the refund"), else what the
        request speaks of, else what the step it comes first to makes ("a payment")."""
        if approved is not None:
            return singular(approved.group("thing").lower())
        if self.topic or hidden is None or hidden.spec is None:
            return self.topic
        return hidden.spec.name.split()[-1].lower()

    def _amount_the_gated_step_writes(
        self, step_id: str, condition: Condition, resolved: ResolvedCondition
    ) -> ResolvedCondition:
        """ "Find the customer for ravi@... and charge them $1,250. anything over $1000
        needs sign-off from finance": the amount the approval compares is the one the step
        it goes before writes (1,250), not a number an earlier lookup tells (the customer's
        `balance_cents`) that the condition never names."""
        compared = _ONE_FIELD_COMPARED.fullmatch(resolved.expression.strip())
        if compared is None or compared[1] in ("input", step_id):
            return resolved
        if _money_in(condition.text) is None:
            return resolved
        field_words = set(split_identifier(compared[2])) - _MINOR_UNIT_WORDS - _MONEY_WORDS
        said = set(re.findall(r"[a-z]+", condition.text.lower()))
        if field_words & said:
            return resolved  # "if their balance is over $1000": the balance it names
        node = next((n for n in self.nodes if n["id"] == step_id), None)
        info = self.info.get(step_id)
        if node is None or info is None or info.spec is None:
            return resolved
        properties = info.spec.input_properties()
        written = [
            (field, literal)
            for field, literal in (node.get("inputs") or {}).items()
            if set(split_identifier(field)) & _MONEY_WORDS
            and isinstance(literal, str)
            and re.fullmatch(r"-?\d+(?:\.\d+)?", literal)
        ]
        if len(written) != 1:
            return resolved
        field, literal = written[0]
        amount = float(literal)
        if _in_minor_units(field, properties.get(field) or {}):
            amount /= 100
        expression = f"{amount!r} {compared[3]} {compared[4]}"
        return ResolvedCondition(expression, resolved.subject)

    def _approval_step(self, clause: Clause, condition: Condition | None) -> str:
        assert clause.approval is not None
        if clause.for_each:
            # "for each payment, if it's over 1000 get finance approval": an approval node
            # is one decision for the run, never one per item of a loop
            raise PlanningError(
                "unmapped_step",
                f"Could not plan {clause.label}: it asks for an approval for each "
                f"{clause.for_each}, and an approval is one decision for the whole run (a "
                f"loop runs a tool per item, not an approval). Approve the whole list once, "
                f"or plan one {clause.for_each} per run.",
                step=clause.text,
                details={"phrase": clause.text, "reason": "approval_in_loop"},
            )
        _check_no_step_on_timeout(clause)
        approved = _APPROVED_THING.search(clause.action)
        if approved is not None:
            # "approve the refund, then process it": what "it" is from here on
            self.topic = singular(approved.group("thing").lower())
        remainder = strip_approval_phrase(clause.action)
        approving = _APPROVE_FIRST.match(clause.action)
        if approving is not None and any(
            acts(spec) and _listed_input_value(spec, {"approved"}) is not None
            for spec in self.specs.values()
        ):
            # "approve return RMA-2, but a returns manager must sign off first": with a tool
            # that approves, approving the thing is that tool's step, after the sign-off
            rest = strip_approval_phrase(clause.action[approving.end() :])
            remainder = f"approve {approving.group('thing')}"
            if meaningful(_FIRST_OR_BUT.sub(" ", rest)):
                remainder = f"{remainder}, {rest.strip(' ,')}"
        # "have a manager approve before charging the card": the step it lets run is
        # what it approves, more precisely than what the request spoke of so far
        gated = _gated_step(clause.action) if approved is None else None
        if gated and not (_is_gerund(gated.split()[0]) or self._names_a_step(gated)):
            gated = None
        if gated is None and approved is None and not self._names_a_step(remainder):
            # "ask my manager for approval, then text +1555 'Closed today'": the approver
            # reads what they let run, not "Approve the request."
            gated = self._step_it_lets_run(clause)
        said_why = None  # what the approval says of why it is asked
        if condition is None:
            comparison = _COMPARISON_PHRASE.search(clause.action)
            if comparison is not None:
                subject = clause.action[: comparison.end()]
                # ("orders over 30 cases need approval": the count's unit says what is
                # counted, the units ordered, not the order's amount)
                unit = _A_COUNTS_UNIT.match(clause.action, comparison.end())
                subject = f"{subject.rstrip()} {unit['unit']}" if unit else subject
                condition = Condition(subject)
                said_why = _said_why(Condition(subject))
            elif _GOES_ABROAD.search(clause.action):
                # "international orders need a manager's approval": only those
                condition = Condition("it goes abroad")
                said_why = "it goes abroad"
        inserting = clause.approval.before_previous and self.last_step is not None
        hidden = self.info[self.last_step] if inserting and self.last_step else None
        saved_gates = hidden.gates if hidden is not None else frozenset()
        if hidden is not None:
            # The step it goes before has no output yet: the condition cannot read it.
            hidden.gates = saved_gates | {("hidden", hidden.id)}
        try:
            resolved = (
                self._resolve(condition, clause, check_first=hidden is None)
                if condition is not None
                else None
            )
        except PlanningError as exc:
            if (
                hidden is None
                or condition is None
                or exc.details.get("reason") != "unbound_condition"
            ):
                raise
            # "ship it if the order is valid, otherwise get approval first": the check
            # that tells goes before the step the approval comes first to, as it does
            resolved = self._check_before(hidden.id, condition, clause)
            if resolved is None:
                raise
        finally:
            if hidden is not None:
                hidden.gates = saved_gates
        if hidden is not None and resolved is not None and condition is not None:
            resolved = self._amount_the_gated_step_writes(hidden.id, condition, resolved)
        groups = clause.approval.groups
        role = clause.approval.role
        base = f"{role}_approval" if role else "approval"
        approval_id = self._unique_id(_slug(base))
        context_exprs: dict[str, str] = {}
        for source in self._sources():
            if source.node is not None and source.expression == source.node:
                context_exprs.setdefault(source.node, source.node)
        recent = list(context_exprs)[-3:]
        context = {"input": "input", **{node_id: node_id for node_id in recent}}
        quoted = quoted_texts(clause.text)
        if len(quoted) == 1 and "text" not in context:
            # "approve the contract text 'Net 30 terms'": what they approve, shown to them
            context["text"] = json.dumps(unmasked(quoted[0]))
        node: dict[str, Any] = {
            "id": approval_id,
            "type": "approval",
            # the inbox and the graph name the step by who decides; the instructions say
            # what to approve and why it needs approval
            "title": _approval_title(role, groups, clause.approval.quorum),
            "instructions": approval_instructions(
                thing=None if gated else self._approved_thing(approved, hidden),
                step=gated or (remainder if self._names_a_step(remainder) else None),
                gerund=gated is not None and _is_gerund(gated.split()[0]),
                condition=said_why or _said_why(condition),
                negate=condition.negate if condition is not None and not said_why else False,
                timeout_s=clause.approval.timeout_s,
                on_timeout=clause.approval.on_timeout,
                escalate_to=clause.approval.escalate_to,
            )[:4000],
            # "... and enter the discount they give": a field for it; else the decision alone
            "form_schema": asked_form(clause.text) or json.loads(json.dumps(DEFAULT_FORM_SCHEMA)),
            "context": context,
            "assignees": {"users": list(clause.approval.users), "groups": groups},
            "on_reject": "skip",
        }
        if clause.approval.quorum > 1:
            node["quorum"] = clause.approval.quorum
        if clause.approval.timeout_s:
            node["timeout_s"] = clause.approval.timeout_s
            node["on_timeout"] = clause.approval.on_timeout or "reject"
            if node["on_timeout"] == "escalate":
                node["escalate_to"] = clause.approval.escalate_to
        if resolved is not None:
            node["when"] = resolved.expression
            self.conditional_approval_at = len(self.nodes)
        if clause.approval.before_previous and self.last_step is not None:
            target = self.last_step
            if resolved is None and _FIRST.search(clause.text):
                target = self._first_change_before(target)
                at = next(i for i, n in enumerate(self.nodes) if n["id"] == target)
                shown = node.get("context")
                if isinstance(shown, dict):
                    for later in self.nodes[at:]:
                        shown.pop(later["id"], None)  # shown before they run: no output yet
            self._insert_before(target, node, clause, guarded=resolved is not None)
            return approval_id
        if resolved is not None and not self._predecessors().exits and self.group is None:
            # The join after a skipped approval needs a step that always completes.
            start_id = self._unique_id("request")
            start = {"id": start_id, "type": "value", "title": "The request", "value": "input"}
            self._add(start, "join", None, None)
        predecessors = self._predecessors().copy()
        self._add(node, "approval", clause, None)
        if resolved is not None:
            # Skipped (condition false) or approved: go on; rejected: skip what follows.
            self._advance(
                Cursor(
                    [approval_id, *[e for e in predecessors.exits if e != approval_id]],
                    PendingJoin(
                        f"{approval_id}_passed",
                        f"Approved, or no approval needed ({approval_id})",
                        {
                            "approval_required": f"{approval_id} != null",
                            "approved": f"{approval_id} == null || {approval_id}.approved",
                        },
                        guard=f"{approval_id} == null || {approval_id}.approved",
                    ),
                )
            )
        action = _COMPARISON_PHRASE.sub(" ", remainder)
        names_step = bool(re.search(r"\b(?:before|then)\s+", clause.action, re.IGNORECASE))
        action = re.sub(r"^.*?\b(?:before|then)\s+", "", action, flags=re.IGNORECASE)
        # "before you email the customer", "then we ship it": the step, without who does it
        action = re.sub(r"^\s*(?:you|we|i)\s+(?=[a-z])", "", action, flags=re.IGNORECASE)
        # "before texting the owner the estimate": the step is "text the owner ..." (the
        # gerund of a verb that is a noun too was ranked as written: an email went out)
        led = re.match(r"\s*(?P<gerund>[a-z]+ing)\b", action, re.IGNORECASE)
        plain = led and next(
            (v for v in gerund_bases(led["gerund"].lower()) if v in NOUN_VERBS), None
        )
        if led is not None and plain:
            action = f"{plain}{action[led.end():]}"
        if approved is not None:
            # "approve the refund before processing it": the refund is processed (and no
            # tool for a payment takes its place)
            action = re.sub(
                r"\b(?:it|them)\b", f"the {approved.group('thing')}", action, count=1, flags=re.I
            )
        # "Create the shipment after logistics approves it" / "... before charging the card"
        # name a step; "orders over 5000 need approval" only names what is approved.
        lead = _LEADING_WORDS.sub("", action)
        imperative = (
            names_step
            or self.reader.starts_with_verb(lead)
            or bool(re.match(r"[a-z]+ing\b", lead, re.IGNORECASE))
        )
        first_word = lead.split()[0] if lead.split() else ""
        if (
            not self.approval_only
            and not imperative
            and meaningful(_clean_action(action))
            # ("deploy the app", "bake a cake": a verb no tool knows, acting on a thing;
            # "put the payment on hold until finance signs off" is the approval itself)
            and re.match(r"^[a-z]+\s+(?:the|a|an|it|them|this|that|our|their)\b", lead, re.I)
            is not None
            and not re.search(r"\bon\s+hold\b|\bpending\b|\baside\b", lead, re.I)
            and first_word.lower() not in STOP_WORDS
            and first_word.lower() not in CONTROL_WORDS
            and not self._known_word(first_word)
            and not first_word.lower().endswith("s")
        ):
            # "deploy the app after the manager approves": a step no tool does is refused
            # by name, never dropped behind the approval
            raise _unknown_action(lead, clause, first_word)
        if not self.approval_only and imperative and meaningful(_clean_action(action)):
            ranked = self.rank(_clean_action(action))
            # a step named after "then" or "before" is planned, or refused with why
            if not names_step and ranked and self._said_next(ranked[0][1].spec.id, clause):
                # "if it's valid, ask ops to approve shipping, then ship it": what is
                # approved is the step said next, planned there (under the condition)
                return approval_id
            if names_step or (ranked and ranked[0][0] >= self.min_score):
                step = Clause(
                    number=clause.number,
                    text=clause.text,
                    action=action,
                    sentence=clause.sentence,
                    for_each=clause.for_each,
                    for_each_container=clause.for_each_container,
                    quoted=clause.quoted,
                )
                node_id = self._tool_step(step, action)
                if node_id is not None and ranked and re.search(r"\bbefore\b", clause.action, re.I):
                    # "approval before payment", then "process the payment": one node.
                    self.merge_next = (ranked[0][1].spec.id, node_id)
        return approval_id

    def _named_output_sent(
        self, clause: Clause, spec: ToolSpec, inputs: dict[str, str]
    ) -> dict[str, str]:
        """ "Assign job J-900 to TRK-2, then text the ETA to the driver": a message that
        names what a step before returned by the first word of its field (`eta_minutes`)
        sends that field, written out, rather than a text asked of the run."""
        content = next((n for n in _said_inputs(spec.input_properties()) if n in inputs), None)
        match = _SENDS_THE_NAMED.match(_clean_action(clause.action or ""))
        if (
            content is None
            or not inputs[content].startswith("input.")
            or match is None
            or not acts(spec)
        ):
            return inputs
        word = match["what"].lower()
        named = [
            source
            for source in self._sources()
            if source.node is not None
            and len(words := split_identifier(source.name)) > 1
            and words[0] == word
            # ("email the customer": to them, not their address as the message)
            and words[-1] not in ("email", "phone", "name", "id", "address")
        ]
        if not named and self.scope is not None:
            # ("if any refund comes back, email them the amount": the amount the condition
            # of the arm tested, `refund_amount`, by the last word of its field)
            tested = str(self.scope.branch.node.get("condition") or "")
            named = [
                source
                for source in self._sources()
                if source.node is not None
                and split_identifier(source.name)[-1:] == [word]
                and re.search(rf"{re.escape(source.expression)}\b", tested)
            ]
        if len(named) != 1:
            return inputs
        label = field_label(named[0].name)
        self._drop_unread_input(inputs[content])
        return {**inputs, content: f'"{label}: %s".format([{named[0].expression}])'}

    def _code_told(
        self, clause: Clause, spec: ToolSpec, inputs: dict[str, str]
    ) -> dict[str, str]:
        """ "tell ann@x.com her order number", "email them the tracking number": a message
        that names a thing's number (id, code, reference) says it, the field of a step before
        named so (`tracking_number`), else the one the run is given (`order_id`), rather than
        a text asked of the run."""
        content = next((n for n in _said_inputs(spec.input_properties()) if n in inputs), None)
        match = _TELLS_A_CODE.match(_clean_action(clause.action or ""))
        if (
            content is None
            or not inputs[content].startswith("input.")
            or match is None
            or not acts(spec)
        ):
            return inputs
        what = stem(match["what"].lower())
        named = [
            source
            for source in self._sources()
            if source.node is not None
            and len(words := split_identifier(source.name)) == 2
            and stem(words[0]) == what
            and words[1] in _ID_WORDS
            and schema_types(source.schema) & {"string", "integer"}
        ]
        if len(named) > 1:
            return inputs
        if named:
            expression = named[0].expression
        elif any(
            len(words := split_identifier(field)) == 2
            and stem(words[0]) == what
            and words[1] in _ID_WORDS
            for info in self.info.values()
            if info.spec is not None
            for field in info.spec.output_properties()
        ):
            return inputs  # (a step that may not run makes it: not the run's own)
        else:
            field = self._new_input(f"{what}_id", {"type": "string"}, spec)
            expression = f"input.{field}"
        kind = match["kind"].lower()
        whose = "Your " if match["whose"].lower() in ("her", "his", "their", "your") else ""
        label = f"{whose}{match['what'].lower()} {'number' if kind in ('id', 'no') else kind}"
        label = label[:1].upper() + label[1:]
        self._drop_unread_input(inputs[content])
        told = {content: f'"{label}: %s".format([{expression}])'}
        subject = next((n for n in ("subject", "title") if n in inputs), None)
        if subject is not None and inputs[subject].startswith("input."):
            self._drop_unread_input(inputs[subject])
            told[subject] = json.dumps(label)
        return {**inputs, **told}

    def _amount_of_the_record_paid(
        self, clause: Clause, spec: ToolSpec, inputs: dict[str, str]
    ) -> dict[str, str]:
        """ "Get claim CLM-3003 and if ..., otherwise pay it": "it" is the record a step
        before got by the same id (`claim_id`), so the amount paid is the one amount that
        record holds (`amount_claimed`), not an amount asked of the run."""
        asked = inputs.get("amount", "")
        if not asked.startswith("input.") or not _PAY_IT.match(_clean_action(clause.action)):
            return inputs
        ids = {name for name in spec.input_properties() if name.endswith("_id")}
        records = [
            info
            for info in self.info.values()
            if info.kind == "tool"
            and info.spec is not None
            and not acts(info.spec)
            and ids & set(info.spec.input_properties())
        ]
        amounts = [
            f"{info.id}.{name}"
            for info in records
            for name, schema in (info.spec.output_properties() if info.spec else {}).items()
            if schema_types(schema) & {"number", "integer"}
            and set(split_identifier(name)) & _AMOUNT_WORDS
        ]
        if len(amounts) != 1:
            return inputs
        self._drop_unread_input(asked)
        return {**inputs, "amount": amounts[0]}

    def _the_thing_made_charged(
        self, clause: Clause, spec: ToolSpec, inputs: dict[str, str]
    ) -> dict[str, str]:
        """ "invoice pet P-4410 $185 for the x-rays and charge it": "it" is what the step
        before made (the invoice), so the id charged is its id and the amount its amount,
        not an order and an amount asked of the run."""
        made = self.info.get(self.last_step or "")
        if (
            not _PAY_IT.match(_clean_action(clause.action))
            or made is None
            or made.kind != "tool"
            or made.spec is None
            or not acts(made.spec)
        ):
            return inputs
        outputs = made.spec.output_properties()
        taken = made.spec.input_properties()
        made_ids = [n for n in outputs if n.endswith("_id") and n not in taken]
        asked_ids = [n for n in spec.required_inputs() if n.endswith("_id")]
        amounts = [
            n
            for n, schema in outputs.items()
            if schema_types(schema) & {"number", "integer"}
            and set(split_identifier(n)) & _AMOUNT_WORDS
        ]
        # (a thing with no amount is none to charge: "create a ticket and charge it")
        if len(made_ids) != 1 or len(asked_ids) != 1 or len(amounts) != 1:
            return inputs
        if not self._asked_at_run(inputs.get(asked_ids[0], "")):
            return inputs
        wired = {**inputs, asked_ids[0]: f"{made.id}.{made_ids[0]}"}
        self._drop_unread_input(inputs[asked_ids[0]])
        if self._asked_at_run(inputs.get("amount", "")):
            wired["amount"] = f"{made.id}.{amounts[0]}"
            self._drop_unread_input(inputs["amount"])
        return wired

    def _practitioner_named(
        self, properties: dict[str, Any], clause: Clause, taken: dict[str, str]
    ) -> dict[str, str]:
        """ "book P-20931 in ... with Dr. Alvarez": the person the step is done with, by a
        title or a name, is the one text input named for who does the work (`vet`,
        `clinician`, `trainer`), as the request writes them ("Dr. Alvarez")."""
        wanted = [
            name
            for name, schema in properties.items()
            if name not in taken
            and set(split_identifier(name)) & _PRACTITIONERS
            and schema_types(unwrap_nullable(schema)) == {"string"}
            and not unwrap_nullable(schema).get("enum")
            and split_identifier(name)[-1:] != ["id"]
        ]
        said = _WITH_A_PERSON.search(clause.action or clause.text)
        if len(wanted) != 1 or said is None:
            return {}
        title, name = said["title"], said["name"]
        written = re.search(
            rf"\b{re.escape(title)}\.?\s+{re.escape(name)}" if title else re.escape(name),
            self.request,
        )
        return {wanted[0]: json.dumps(written[0] if written else said[0].split(None, 1)[1])}

    def _that_amount(
        self, clause: Clause, spec: ToolSpec, inputs: dict[str, str]
    ) -> dict[str, str]:
        """ "Convert 100 EUR to USD and charge the customer for that amount": the one amount
        the step before returns (`fx_convert.converted`), not an amount asked of the run."""
        asked = inputs.get("amount", "")
        info = self.info.get(self.last_step or "")
        if (
            not asked.startswith("input.")
            or not _THAT_AMOUNT.search(clause.action or "")
            or info is None
            or info.spec is None
            or info.kind != "tool"
        ):
            return inputs
        amounts = [
            name
            for name, schema in info.spec.output_properties().items()
            if schema_types(schema) & {"number", "integer"}
            and set(split_identifier(name)) & _AMOUNT_WORDS
            and name not in info.spec.input_properties()
        ]
        if len(amounts) != 1:
            return inputs
        self._drop_unread_input(asked)
        wired = {**inputs, "amount": f"{info.id}.{amounts[0]}"}
        # (and in the currency it was converted to)
        before = next((n for n in self.nodes if n["id"] == info.id), {}).get("inputs", {})
        target = before.get("to_currency")
        if "currency" in spec.input_properties() and isinstance(target, str):
            said = wired.get("currency")
            if said is None or said.startswith("input."):
                wired["currency"] = target
                if said is not None:
                    self._drop_unread_input(said)
        return wired

    def _amount_of_the_step_before(self, condition: Condition) -> ResolvedCondition | None:
        """ "If it's over $500" right after a step with one amount among its outputs (an
        order's `subtotal`, a conversion's `converted`): that amount compared."""
        said = _IT_IS_AN_AMOUNT.match(condition.text.strip())
        info = self.info.get(self.last_step or "")
        if said is None or info is None or info.spec is None or info.kind != "tool":
            return None
        amounts = [
            name
            for name, schema in info.spec.output_properties().items()
            if schema_types(schema) & {"number", "integer"}
            and set(split_identifier(name)) & _AMOUNT_WORDS
        ]
        if len(amounts) != 1:
            return None
        return self._field_compared(
            info.id, amounts[0], condition.text.strip()[said.end() :], condition
        )

    def _field_compared(
        self, node_id: str, field: str, comparison: str, condition: Condition
    ) -> ResolvedCondition | None:
        """The condition read as `field` of step `node_id` compared ("the rate is above
        1.10"), when that reads the step's field and no value of the run."""
        text = f"the {' '.join(split_identifier(field))} is {comparison}"
        sources = self._sources(for_condition=True)
        again = resolve_condition(text, sources, negate=condition.negate)
        if again is None or again.new_input is not None or node_id not in again.expression:
            return None
        return again

    def _number_of_the_values_given(self, condition: Condition) -> ResolvedCondition | None:
        """ "If EUR to USD is above 1.10": the subject is the values a step was given (the
        rate lookup's base and quote), so what is compared is that step's one number."""
        said = compared_with_a_number(condition.text)
        if said is None or said not in condition.text:
            return None
        subject = condition.text[: condition.text.index(said)]
        # (the codes it writes: "EUR to USD", "USD/JPY goes")
        words = set(re.findall(r"\b[A-Z][A-Z0-9]+\b|\b[A-Za-z]*\d[\w-]*\b", subject))
        for node in reversed(self.nodes):
            info = self.info.get(str(node.get("id", "")))
            if node.get("type") != "tool" or info is None or info.spec is None:
                continue
            given = {
                value.strip('"').upper()
                for value in (node.get("inputs") or {}).values()
                if isinstance(value, str) and value.startswith('"')
            }
            if not words or not words <= given:
                continue
            numbers = [
                name
                for name, schema in info.spec.output_properties().items()
                if schema_types(schema) & {"number", "integer"}
            ]
            if len(numbers) != 1:
                return None
            return self._field_compared(node["id"], numbers[0], said, condition)
        return None

    def _first_change_before(self, step_id: str) -> str:
        """ "Charge order 5 $50 and ship it; a manager must approve first": the first step
        that changes something in the line of steps that ends at `step_id` (one after the
        other, none in a branch or a loop), which the approval goes before: nothing is
        charged before it is approved."""
        first, current = step_id, step_id
        while True:
            node = next(n for n in self.nodes if n["id"] == current)
            after = node.get("after", [])
            if len(after) != 1:
                return first
            info = self.info.get(after[0])
            if info is None or info.kind != "tool" or info.spec is None:
                return first
            if info.gates != self.info[step_id].gates:
                return first
            current = after[0]
            if acts(info.spec):
                first = current

    def _insert_before(
        self, target_id: str, node: dict[str, Any], clause: Clause, *, guarded: bool
    ) -> None:
        """Put approval `node` before the step already planned as `target_id`: it takes the
        step's place (its `after` edges and its arm), and the step waits for it (for a
        conditional approval, for a join that passes when it was skipped or approved)."""
        target = next(n for n in self.nodes if n["id"] == target_id)
        info = self.info[target_id]
        context = node.get("context")
        if isinstance(context, dict):
            context.pop(target_id, None)  # shown before the step runs: it has no output yet
        if info.spec is not None and target.get("type") == "tool":
            # "ship it; if it goes abroad, get approval first": the country the condition
            # reads from the run is the one the step ships to, where it takes one
            read = set(
                re.findall(r"(?<![\w.])input\.([a-z_][a-z0-9_]*)", str(node.get("when", "")))
            )
            inputs = target.setdefault("inputs", {})
            for name in info.spec.input_properties():
                if name in read and name not in inputs:
                    inputs[name] = f"input.{name}"
        before = [e for e in target.get("after", []) if e != node["id"]]
        if before:
            node["after"] = list(before)
        added = [node]
        waits_for = node["id"]
        if guarded:
            join_id = self._unique_id(f"{node['id']}_passed")
            guard = f"{node['id']} == null || {node['id']}.approved"
            join: dict[str, Any] = {
                "id": join_id,
                "type": "value",
                "title": _title(f"Approved, or no approval needed ({node['id']})"),
                "value": {"approval_required": f"{node['id']} != null", "approved": guard},
                "trigger": "any",
                "after": [node["id"], *before],
                "when": guard,
            }
            if not before:
                start_id = self._unique_id("request")
                start = {"id": start_id, "type": "value", "title": "The request", "value": "input"}
                self.info[start_id] = NodeInfo(start_id, "join", len(self.nodes), info.gates)
                added.insert(0, start)
                node["after"] = [start_id]
                join["after"] = [node["id"], start_id]
            added.append(join)
            waits_for = join_id
        index = self.nodes.index(target)
        for offset, item in enumerate(added):
            self.nodes.insert(index + offset, item)
            kind = "approval" if item is node else "join"
            self.info[item["id"]] = NodeInfo(item["id"], kind, info.order, info.gates, clause)
            for branch_node in self.nodes:
                for arm in ("then", "else"):
                    members = branch_node.get(arm)
                    if isinstance(members, list) and target_id in members:
                        members.insert(members.index(target_id), item["id"])
        self.sources[node["id"]] = clause.text
        target["after"] = [waits_for]

    # -- adding a node ---------------------------------------------------------------------

    def _add(
        self, node: dict[str, Any], kind: str, clause: Clause | None, spec: ToolSpec | None
    ) -> None:
        if self.group is None:
            self.materialize_join()
        predecessors = self._predecessors()
        references = _references(node) & set(self.info)
        after = [e for e in predecessors.exits if e not in references and e != node["id"]]
        if after:
            node["after"] = after
        if self.scope is not None:
            self.scope.branch.node[self.scope.arm].append(node["id"])
        output_schema = None
        if spec is not None:
            output_schema = (
                {"type": "array", "items": spec.output_schema}
                if kind == "map"
                else spec.output_schema
            )
        self.info[node["id"]] = NodeInfo(
            node["id"],
            kind,
            len(self.nodes),
            self._gates(),
            clause,
            spec,
            self.group.id if self.group is not None else None,
            output_schema,
        )
        self.nodes.append(node)
        if kind in ("tool", "map"):
            self.last_step = node["id"]
        if clause is not None:
            self.sources[node["id"]] = clause.text
        if self.group is not None:
            self.group.members.append(node["id"])
        else:
            self._advance(Cursor([node["id"]]))

    # -- values a step can read --------------------------------------------------------------

    def _sources(self, *, for_condition: bool = False) -> list[Source]:
        """Values visible here: upstream nodes outside other arms and outside the current
        parallel group (nearest first), then the run input."""
        gates = self._gates()
        group = self.group.id if self.group is not None else None
        absent = set() if for_condition else self._absent_records(gates)
        nodes = {node["id"]: node for node in self.nodes}
        sources: list[Source] = []
        for info in sorted(self.info.values(), key=lambda i: -i.order):
            if not info.gates <= gates or info.id in absent:
                continue
            if group is not None and info.group == group:
                continue
            if info.kind == "approval":
                if for_condition:
                    sources += output_sources(
                        info.id,
                        {"type": "object", "properties": {"approved": {"type": "boolean"}}},
                        context=("approval", "approve"),
                        priority=float(info.order),
                    )
                continue
            if info.kind not in ("tool", "map") or info.output_schema is None:
                continue
            words = tuple(split_identifier(info.spec.id)) if info.spec else ()
            nouns = [words[-1]] if words else []
            if info.kind == "map" and words:
                nouns = [plural(words[-1]), words[-1] + "_results"]
            produced = output_sources(
                info.id,
                info.output_schema,
                context=words,
                priority=float(info.order),
                whole_names=nouns,
            )
            if info.kind == "map" and not for_condition:
                produced += item_text_sources(
                    info.id, info.output_schema, context=words, priority=float(info.order)
                )
            if info.kind == "tool" and info.spec is not None and not for_condition:
                # send_email's `to` is only the address it was given
                inputs = nodes.get(info.id, {}).get("inputs") or {}
                produced = without_echoes(produced, info.spec, inputs)
            if not for_condition and not self._record_present(info.id, gates):
                # "look up the user, then send the welcome email": the user may be missing,
                # so their fields give way to the run input's
                produced = [
                    replace(source, priority=-2.0) if source.priority == -0.5 else source
                    for source in produced
                ]
            sources += produced
        sources += input_sources({"properties": self.input_properties}, priority=-1.0)
        return sources

    def _record_present(self, node_id: str, gates: frozenset[tuple[str, str]]) -> bool:
        """Whether the arm a step sits in holds only when the record `node_id` returned
        is there: its branch reads `found` or a field of the record."""
        branches = {node["id"]: node for node in self.nodes if node.get("type") == "branch"}
        present = re.compile(rf"(?<![!\w.]){re.escape(node_id)}\.(?:found\b|\w+\.\w+)")
        return any(
            arm == "then" and present.search(str(branches.get(branch_id, {}).get("condition", "")))
            for branch_id, arm in gates
        )

    def _absent_records(self, gates: frozenset[tuple[str, str]]) -> set[str]:
        """Lookups known to have found nothing in the arm a step sits in ("if they don't
        exist, ..."): the record they return is empty there, so steps read the run input."""
        branches = {node["id"]: node for node in self.nodes if node.get("type") == "branch"}
        absent: set[str] = set()
        for branch_id, arm in gates:
            condition = str(branches.get(branch_id, {}).get("condition", ""))
            match = _FOUND_FLAG.match(condition)
            if match is not None and (match["negated"] == "!") == (arm == "then"):
                absent.add(match["node"])
            elif arm == "then":
                # "if the email is valid and the user doesn't exist" (or "if anything
                # fails"): the record may be missing there
                for part in re.split(r"&&|\|\|", condition):
                    match = _FOUND_FLAG.match(part.strip().strip("()"))
                    if match is not None and match["negated"] == "!":
                        absent.add(match["node"])
        return absent

    def _wire(
        self,
        spec: ToolSpec,
        clause: Clause,
        sources: list[Source],
        *,
        literals: dict[str, str],
        first: Sequence[Source] = (),
    ) -> dict[str, str]:
        inputs: dict[str, str] = {}
        # Another call of the same tool echoes its own inputs back ("send a second email":
        # not the first one's subject); those values are not this call's.
        sources = [source for source in sources if not self._echo(source, spec)]
        # A computing step's output that hands one of its inputs back ("the taxable
        # amount, as given") beside what it computed from it (the total): the charge after
        # the tax is the total, not the amount again.
        sources = [source for source in sources if not self._handed_back(source, sources)]
        sources = [self._restated(source, sources) or source for source in sources]
        sources = [self._as_done(source, clause) or source for source in sources]
        required = set(spec.required_inputs())
        words = split_identifier(clause.text)
        if words and self.reader.starts_with_verb(clause.text):
            words = words[1:]  # "reply to the customer": the step's verb names no input
        mentioned = {stem(w) for w in words}
        properties = spec.input_properties()
        # in a loop, "post its title": the item's field the step names
        named_fields = (
            named_outputs(
                clause.action,
                properties,
                [*first, *sources] if first else sources,
                sends=acts(spec),
            )
            if not first
            or _ITS_FIELD.search(clause.action)
            # "post the status": a field of each item the loop's last step made
            or any(
                source.expression.startswith("item.")
                and re.search(
                    r"\bthe\s+" + r"\s+".join(split_identifier(source.name)) + r"\b",
                    clause.action,
                    re.IGNORECASE,
                )
                for source in first
            )
            else {}
        )
        named_fields.update(self._every_result(clause, spec, sources))
        named_fields.update(_field_said_as_the_input(clause.action, properties, sources))
        named_fields.update(_carried_with_it(clause.action, properties, sources, named_fields))
        if acts(spec):
            sent = self._address_sent(clause.action, properties, sources, named_fields)
            named_fields.update(sent)
        own = {stem(w) for w in split_identifier(spec.id)}
        named_fields = {  # "send the welcome email": the step's own name, not an `email`
            name: value  # ("translate the summary": the summary, though `text` is its name)
            for name, value in named_fields.items()
            if not {stem(w) for w in split_identifier(name)} <= own
            or not {stem(w) for w in split_identifier(value.rsplit(".", 1)[-1])} <= own
        }
        # every item's text in one ("all the summaries") only where the step names it, or
        # for a required input nothing else fills, right after the map
        joined = [
            source
            for source in sources
            if _joins_items(source) and source.node in self._predecessors().exits
        ]
        sources = [source for source in sources if not _joins_items(source)]
        # "look up each user by email": the item goes to the input the step names
        by_name = [
            name
            for name, schema in properties.items()
            if name not in required
            and all(stem(w) in mentioned for w in split_identifier(name))
            and any(type_fit(schema, item.schema) >= 0.9 for item in first[:1])
        ]
        for name, schema in properties.items():
            if name in literals:
                inputs[name] = literals[name]
                continue
            if name in named_fields:
                inputs[name] = named_fields[name]
                continue
            if by_name[:1] == [name]:
                inputs[name] = first[0].expression
                continue
            # Optional inputs are wired when a value clearly fits, or when the step names
            # them ("look up the user by email").
            named = all(stem(w) in mentioned for w in split_identifier(name))
            wanted = name in required or named
            own_words = acts(spec) and is_content_input(name, schema)
            candidates = [*first, *sources]
            if by_name and name not in by_name and name not in required:
                candidates = list(sources)  # the item is the named input's
            if is_content_input(name, schema):
                # "the summary as the subject": the body says something else
                candidates = [c for c in candidates if c.expression not in named_fields.values()]
            if own_words:
                # what another email or ticket said is not what this one says
                candidates = [c for c in candidates if not self._said_by_a_side_effect(c)]
            match = best_source(name, schema, candidates, minimum=0.6 if wanted else 0.8)
            phone = self._phone_for(name, spec, sources) if wanted else None
            if phone is not None and (match is None or not _is_phone(match.source.name)):
                match = None  # "text them": their number, not their email address
                inputs[name] = phone
                continue
            if (
                match is not None
                and name == recipient_input_name(spec)
                and _texts_phones(spec)
                and "email" in split_identifier(match.source.name)
            ):
                match = None  # "text them a welcome": to their phone, never to an address
            to = inputs.get(recipient_input_name(spec) or "", "")
            if (
                own_words
                and match is not None
                and match.source.node is None
                and (addresses_the_subject(to) or self._wrote_it(to))
            ):
                match = None  # "email the customer an apology": not their own message back
            listed = self._named_text_list(name, schema, mentioned, sources)
            if match is not None and listed is not None and not _said(match.source, mentioned):
                match = None  # "email me the keywords": the list named, not the summary
            if match is not None:
                inputs[name] = match.source.expression
            elif listed is not None:
                # "a summary of the validation errors": the list's lines, as one text
                inputs[name] = f'{listed}.join("\\n")'
            elif (
                name in required
                and not first
                and (every := best_source(name, schema, joined, minimum=0.6)) is not None
            ):
                # "fetch each page, then summarize them together": every page's text
                inputs[name] = every.source.expression
            elif (
                wanted
                # (a text goes to a phone, never to the address a step tells)
                and not _texts_phones(spec)
                and (held := self._address_held(name, clause, candidates)) is not None
            ):
                inputs[name] = held  # "email the customer" after a step that tells their address
            elif wanted and (looked := self._address_looked_up(name, clause)) is not None:
                inputs[name] = looked  # "look up sam@x.org; if new, send them the welcome"
            elif wanted and (same := self._said_to_its_family(name, schema, spec)) is not None:
                inputs[name] = same  # "release api 1.9 to prod; if it fails, roll it back"
            elif wanted and (given := self._address_given_for(name, clause)) is not None:
                inputs[name] = given  # "charge ... to customer ella@x.com; ... email her"
            elif (
                name in required and (code := self._code_said_for(name, schema, clause)) is not None
            ):
                inputs[name] = code  # "check stock for order MU-88, then charge $62"
            elif wanted:
                field_name = self._addressee_input(
                    name, schema, clause, phone=_texts_phones(spec)
                ) or self._new_input(name, schema, spec, required=name in required)
                inputs[name] = f"input.{field_name}"
            if own_words and self._content_taken(inputs.get(name, ""), spec):
                inputs[name] = f"input.{self._own_content_input(name, schema, spec, inputs)}"
        inputs.update(_assigned_to_the_one_found(properties, clause.action, sources, inputs))
        if not inputs and properties:
            # A tool with only optional inputs still needs something to work on: in a
            # loop, the item it was built for ("for each user, look them up": user_id).
            name, schema = next(iter(properties.items()))
            match = _item_for(name, schema, first) or best_source(name, schema, [*first, *sources])
            inputs[name] = (
                match.source.expression
                if match is not None
                else f"input.{self._new_input(name, schema, spec, required=False)}"
            )
        return inputs

    def _code_said_for(self, name: str, schema: dict[str, Any], clause: Clause) -> str | None:
        """ "Check we have 4x TICKET-ADULT for order MU-88, then charge $62": the one code
        the request writes after the noun an id input is named for (`order_id`: "order
        MU-88") is that id in a later step that names none of its own, rather than one
        asked of the run. Not for "the new order" or "another order": a thing of its own."""
        words = split_identifier(name)
        if len(words) < 2 or words[-1] not in _ID_WORDS or schema_types(schema) != {"string"}:
            return None
        noun = "_".join(words[:-1])
        if re.search(
            rf"\b(?:new|another|other|second|next|different)\s+{re.escape(noun)}\b",
            clause.text,
            re.IGNORECASE,
        ):
            return None
        codes = {
            match.group("code")
            for match in re.finditer(
                rf"\b{re.escape(noun)}s?\s+(?:(?:no\.?|number|id|#)\s*)?#?"
                r"(?P<code>(?=[\w-]*\d)[A-Za-z0-9][\w-]*)(?![\w@-])",
                self.request,
                re.IGNORECASE,
            )
        }
        if not codes:
            # "look up reservation HX-204 and ... charge $60 to its folio": the code a step
            # before was given for an input of the same name (`confirmation_no`)
            codes = {
                str(value)[1:-1]
                for node in self.nodes
                if (value := (node.get("inputs") or {}).get(name)) is not None
                and re.fullmatch(r'"(?=[\w-]*\d)[A-Za-z0-9][\w-]*"', str(value))
            }
        return json.dumps(codes.pop()) if len(codes) == 1 else None

    def _wrote_it(self, recipient: str) -> bool:
        """ "Thank the reviewer" in a request about a review: the one who wrote the text the
        flow works on (their own words are not what to send them)."""
        match = re.fullmatch(r"input\.([a-z]+)_email", recipient)
        if match is None or not match.group(1).endswith(("er", "or")):
            return False
        role = match.group(1)
        said = rf"\b(?:{re.escape(role[:-2])}|{re.escape(role[:-1])})s?\b"
        return re.search(said, self.request, re.IGNORECASE) is not None

    def _named_text_list(
        self, name: str, schema: dict[str, Any], mentioned: set[str], sources: list[Source]
    ) -> str | None:
        """A list of texts a step before made that the step names ("the validation
        errors"), for a text input that nothing else named fills."""
        if name not in ("text", "body", "content", "message") or schema_types(schema) != {"string"}:
            return None
        for source in sources:
            items = source.schema.get("items") if isinstance(source.schema, dict) else None
            if (
                source.node is None
                or source.expression.count(".") != 1
                or schema_types(source.schema) != {"array"}
                or schema_types(items) != {"string"}
            ):
                continue
            named = stem(split_identifier(source.name)[-1])
            if named in mentioned or (named in ABSENT_STEMS and mentioned & ABSENT_STEMS):
                # ("the missing SKUs": the list of those unavailable)
                return source.expression
        return None

    def _said_by_a_side_effect(self, source: Source) -> bool:
        """Whether `source` is the words a step that changes something sent or wrote."""
        info = self.info.get(source.node or "")
        if info is None or info.spec is None or not acts(info.spec):
            return False
        # what it was given to say, or what a sending tool wrote itself (a welcome subject)
        said = source.name in info.spec.input_properties() or _tool_verb(info.spec.id) in _SENDING
        return said and is_content_input(source.name, source.schema)

    def _content_taken(self, expression: str, spec: ToolSpec) -> bool:
        """Whether the run input field `expression` reads is already what another step that
        changes something says (an earlier email's body)."""
        if not expression.startswith("input.") or not acts(spec):
            return False
        said = False
        for node in self.nodes:
            other = self.specs.get(str(node.get("tool", "")))
            inputs = node.get("inputs") or {}
            if other is None or expression not in inputs.values():
                continue
            if not acts(other):
                return False  # what the flow works on ("the message"): passed on as it is
            said = said or any(
                value == expression and is_content_input(name, other.input_properties()[name])
                for name, value in inputs.items()
                if name in other.input_properties()
            )
        return said

    def _own_content_input(
        self, name: str, schema: dict[str, Any], spec: ToolSpec, inputs: dict[str, str]
    ) -> str:
        """A run input field of this step's own for what it says: named after whom it goes
        to (`warehouse_subject`) or what it makes (`ticket_body`)."""
        addressed = next(
            (
                inputs[r][len("input.") : -len("_email")]
                for r in _RECIPIENT_INPUTS
                if inputs.get(r, "").startswith("input.") and inputs[r].endswith("_email")
            ),
            "",
        )
        prefix = addressed or split_identifier(spec.id)[-1]
        field_name, counter = f"{prefix}_{name}", 2
        while field_name in self.input_properties:
            field_name, counter = f"{prefix}_{name}_{counter}", counter + 1
        what = "it says" if name != "subject" else "its subject line"
        self.input_properties[field_name] = input_field_schema(
            unwrap_nullable(schema), description=f"The {name} of the {spec.id} step ({what})."
        )
        if name in spec.required_inputs():
            self.input_required.append(field_name)
        return field_name

    def _handed_back(self, source: Source, sources: Sequence[Source]) -> bool:
        """Whether `source` is an amount a computing step took in (or hands back as given)
        and made a total of, so that a later step wants the total instead."""
        kind = schema_types(source.schema)
        if not kind & {"number", "integer"}:
            return False
        for node in self.nodes:
            info = self.info.get(str(node.get("id", "")))
            if info is None or info.spec is None or acts(info.spec):
                continue
            took = (node.get("inputs") or {}).get(source.name)
            echoed = (
                source.expression == f"{node['id']}.{source.name}"
                and source.name in info.spec.input_properties()
            )
            if took != source.expression and not echoed:
                continue
            totals = unwrap_nullable(info.spec.output_schema).get("properties") or {}
            if any(
                name in _DERIVED_TOTALS and schema_types(field) & kind
                for name, field in totals.items()
                if isinstance(field, dict)
            ):
                return True
        return False

    def _results_before(self) -> int:
        """How many steps so far found something (changed nothing and return a value)."""
        return sum(
            1
            for info in self.info.values()
            if info.kind == "tool" and info.spec is not None and not acts(info.spec)
        )

    def _every_result(
        self, clause: Clause, spec: ToolSpec, sources: Sequence[Source]
    ) -> dict[str, str]:
        """ "Summarize it and analyze its sentiment, then email both results": what the
        message says is what each of the steps before it found (the two latest for "both"),
        one line each."""
        said = _EVERY_RESULT.search(clause.action)
        if acts(spec) and _HOW_MANY_SAID.search(clause.action):
            counted = self._count_of_the_last_list(spec, sources)
            if counted:
                return counted
        if said is None and acts(spec) and _THE_RESULT.search(clause.action):
            return self._last_result(spec, sources)
        if (
            said is None
            and acts(spec)
            and _THE_SUMMARY.search(clause.action)
            and self._records_looked_up_in_a_loop()
        ):
            # "get the weather for Madrid, Berlin and Oslo and email the summary": a line of
            # what each lookup found
            return self._last_result(spec, sources)
        if said is None and acts(spec) and self._names_what_the_loop_made(clause.action):
            # "translate it into French and German and email the translations"
            return self._last_result(spec, sources)
        if said is None or not acts(spec):
            return {}
        body = _message_text_input(spec)
        if body is None:
            return {}
        visible = {source.node for source in sources if source.node is not None}
        found = [
            info
            for info in self.info.values()
            if info.id in visible
            and info.kind == "tool"
            and info.spec is not None
            and not acts(info.spec)
            and info.spec.output_properties()
        ]
        found.sort(key=lambda info: info.order)
        both = any(said.group(g) for g in ("both", "both2", "both3", "both4", "both5"))
        if both:
            found = found[-2:]
        if len(found) < 2:
            # ("... then email cx@ with the results" after one loop: what it found; "check
            # stock for A and B, then email both results" after the one step that checks both)
            called = self._every_call(body, visible)
            # ("get the weather in Paris and Berlin and post both": the two calls of a loop)
            looped = both and any(
                info.kind == "map"
                and info.id in visible
                and info.order > max((f.order for f in found), default=-1)
                for info in self.info.values()
            )
            if called or not (_THE_RESULT.search(clause.action) or (both and found) or looped):
                return called
            return self._last_result(spec, sources)
        lines = []
        what = singular(said.group("what").lower()) if said.group("what") else None
        # ("post the EUR to USD and GBP to USD rates": two calls of one tool, each line says
        # what its call was given, "EUR/USD rate: 1.08")
        same_tool = len({info.spec.id for info in found if info.spec is not None}) == 1
        given = given_to_each([self._node_inputs(info.id) for info in found])
        for info, own in zip(found, given, strict=True):
            assert info.spec is not None
            outputs = info.spec.output_properties()
            # "both totals": each step's total, else its first field
            name = what if what in outputs else next(iter(outputs))
            schema = outputs[name]
            text = f"{info.id}.{name}"
            if schema_types(schema) != {"string"}:
                text = f"string({text})"
            label = field_label(name)
            if same_tool and own:
                label = f"{own} {label[:1].lower()}{label[1:]}"
            lines.append(f"{json.dumps(label + ': ')} + {text}")
        return {body: ' + "\\n" + '.join(lines)}

    def _node_inputs(self, node_id: str) -> dict[str, str]:
        """The inputs the node `node_id` was given, as planned so far."""
        node = next((n for n in self.nodes if n["id"] == node_id), None)
        return dict((node or {}).get("inputs") or {})

    def _count_of_the_last_list(self, spec: ToolSpec, sources: Sequence[Source]) -> dict[str, str]:
        """ "List the return requests and email the team how many there are": the message
        says the size of the one list the step before returned."""
        body = _message_text_input(spec)
        visible = {source.node for source in sources if source.node is not None}
        steps = sorted(
            (
                info
                for info in self.info.values()
                if info.id in visible and info.kind == "tool" and info.spec is not None
            ),
            key=lambda info: info.order,
        )
        if body is None or not steps or steps[-1].spec is None:
            return {}
        last = steps[-1]
        assert last.spec is not None
        lists = [
            name
            for name, schema in last.spec.output_properties().items()
            if "array" in schema_types(unwrap_nullable(schema))
        ]
        if len(lists) != 1:
            return {}
        label = json.dumps(f"{field_label(lists[0])}: ")
        return {body: f"{label} + string(size({last.id}.{lists[0]}))"}

    def _every_call(self, body: str, visible: set[str]) -> dict[str, str]:
        """ "Get the metric for search and for checkout, then post both numbers": one step
        called for each value listed made them all; the message lists each call's result."""
        loops = sorted(
            (
                info
                for info in self.info.values()
                if info.id in visible and info.kind == "map" and info.spec is not None
            ),
            key=lambda info: info.order,
        )
        if not loops:
            return {}
        last = loops[-1]
        # (a list the run is given has no names to say each result by)
        listed = self._items_written(last.id)
        assert last.spec is not None
        fields = list(last.spec.output_properties())[:1]
        if not fields or listed is None:
            return {}
        # each listed value beside what its call found ("search: 0.42"), one a line
        lines = [
            f"{json.dumps(f'{value}: ')} + string({last.id}[{at}].{fields[0]})"
            for at, value in enumerate(listed)
        ]
        return {body: ' + "\\n" + '.join(lines)}

    def _names_what_the_loop_made(self, action: str) -> bool:
        """Whether a step names, in the plural, what each call of the loop just before it
        made: "the translations" (translate_text), "the short links" (`short_url`)."""
        last = self.info.get(self.nodes[-1]["id"]) if self.nodes else None
        if last is None or last.kind != "map" or last.spec is None:
            return False
        verb = _tool_verb(last.spec.id)
        fields = {w for name in last.spec.output_properties() for w in split_identifier(name)}
        for match in _THE_THINGS_MADE.finditer(action):
            noun = singular(match["noun"].lower())
            if noun in last.spec.output_properties():
                continue  # "all the summaries": every item's `summary` (item_text_sources)
            words = {noun, *(match["what"] or "").lower().split()}
            named = fields | _LINK_FOR_URL.get(noun, set())
            if stem(MADE_BY.get(noun, "-")) == verb:
                return True  # "the translations"
            if noun in fields | {"link"} and words & named:
                return True  # "the short links"
        return False

    def _items_written(self, loop_id: str) -> list[Any] | None:
        """The values a loop goes over when the request writes them, few enough for a
        message to say each (`_RESULT_LINES`), else None (a list the run is given, or a
        step's)."""
        node = next(node for node in self.nodes if node["id"] == loop_id)
        try:
            listed = json.loads(node.get("items", ""))
        except ValueError:
            return None
        return listed if isinstance(listed, list) and len(listed) <= _RESULT_LINES else None

    def _last_result(self, spec: ToolSpec, sources: Sequence[Source]) -> dict[str, str]:
        """ "Analyze the sentiment and email me the result": what the message says is what
        the step just before it found, each of its fields on a line of its own."""
        body = _message_text_input(spec)
        visible = {source.node for source in sources if source.node is not None}
        steps = sorted(
            (
                info
                for info in self.info.values()
                if info.id in visible and info.kind in ("tool", "map") and info.spec is not None
            ),
            key=lambda info: info.order,
        )
        last = steps[-1] if steps else None
        if body is None or last is None or last.spec is None:
            return {}
        fields = list(last.spec.output_properties().items())[:_RESULT_LINES]
        if not fields:
            return {}
        if last.kind == "map":
            # "for each review run the sentiment, then send one email with the results":
            # a line for each item, its first fields named
            named = [name for name, _ in fields[:_ITEM_FIELDS]]
            texts = [name for name, field in fields if schema_types(field) == {"string"}]
            the_text = _the_text_made(dict(fields), last.spec.id)
            if len(texts) > 1 and the_text is not None:
                named = [the_text]  # (each translation, not its detected language too)
            line = ", ".join(f"{field_label(n)}: %s" for n in named)
            listed = self._items_written(last.id)
            if (
                listed is not None
                and len(listed) > 1
                and all(isinstance(item, str) and len(item) <= 40 for item in listed)
            ):
                # "get the weather for London, Paris and Berlin and post a summary": each
                # line says which item it is of ("London: Temp (C): 3, ...")
                values = ", ".join(f"{last.id}[i].{name}" for name in named)
                return {
                    body: f"{list(range(len(listed)))}.map(i, "
                    f"{json.dumps('%s: ' + line)}.format([{json.dumps(listed)}[i], {values}]))"
                    '.join("\\n")'
                }
            values = ", ".join(f"r.{name}" for name in named)
            return {body: f'{last.id}.map(r, {json.dumps(line)}.format([{values}])).join("\\n")'}
        made = last.spec.output_properties()
        texts = [
            name
            for name, schema in made.items()
            if schema_types(schema) == {"string"} and not unwrap_nullable(schema).get("enum")
        ]
        # "the summary": its words, not its counts; but a tax's country is no result of it
        if len(texts) == 1 and (len(made) == 1 or _TEXT_WORDS & set(split_identifier(texts[0]))):
            return {body: f"{last.id}.{texts[0]}"}
        # one line a field, named; `format` writes any value (a null, a list) as text
        template, values = _labelled_lines(last.id, [name for name, _ in fields])
        return {body: f"{json.dumps(template)}.format([{values}])"}

    def _as_done(self, source: Source, clause: Clause) -> Source | None:
        """The amount a step that changes something reports it used, for the amount it was
        given, when this step is about that step ("charge the card, then calculate VAT on
        it"): what was charged, as the charge tells it."""
        if not schema_types(source.schema) & {"number", "integer"}:
            return None
        gates = self._gates()
        for node in reversed(self.nodes):
            info = self.info.get(str(node.get("id", "")))
            if (
                info is None
                or info.kind != "tool"
                or info.spec is None
                or not acts(info.spec)
                or not info.gates <= gates
                or not self._about_the_step(clause, info)
            ):
                continue
            inputs = node.get("inputs") or {}
            for output, schema in info.spec.output_properties().items():
                given = echoed_input(info.spec, output, inputs)
                if given is not None and inputs.get(given) == source.expression:
                    return replace(
                        source, node=info.id, expression=f"{info.id}.{output}", schema=schema
                    )
        return None

    def _about_the_step(self, clause: Clause, info: NodeInfo) -> bool:
        """Whether `clause` speaks of the step `info` planned: "it" right after it, or the
        words of its tool ("the payment", "the amount charged")."""
        assert info.spec is not None
        if info.id == self.last_step and _PRONOUN_OBJECT.search(clause.action):
            return True
        said = {stem(w) for w in meaningful(clause.action)[1:]}
        named = {stem(w) for w in split_identifier(info.spec.id)[1:]}
        return bool(said & (named | {s for w in named for s in synonyms(w)}))

    def _restated(self, source: Source, sources: Sequence[Source]) -> Source | None:
        """The new wording of `source`, when it is a text a step that restates it took in
        ("translate the review, then analyze its sentiment"): the steps after it read that."""
        if schema_types(source.schema) != {"string"}:
            return None
        for node in self.nodes:
            info = self.info.get(str(node.get("id", "")))
            if (
                info is None
                or info.spec is None
                or acts(info.spec)
                or not _spec_stems(info.spec) & _RESTATING
            ):
                continue
            took = any(
                value == source.expression and name in _TEXT_WORDS | _SAID_WORDS
                for name, value in (node.get("inputs") or {}).items()
            )
            said = [
                other
                for other in sources
                if other.node == info.id
                and other.expression.count(".") == 1
                and schema_types(other.schema) == {"string"}
            ]
            if took and len(said) == 1:
                return replace(source, node=said[0].node, expression=said[0].expression)
        return None

    def _echo(self, source: Source, spec: ToolSpec) -> bool:
        """Whether `source` is an output of another call of `spec` named like its input."""
        info = self.info.get(source.node or "")
        return (
            info is not None
            and info.spec is not None
            and info.spec.id == spec.id
            and source.name in spec.input_properties()
        )

    def _literals(self, spec: ToolSpec, clause: Clause) -> dict[str, str]:
        literals: dict[str, str] = {}
        properties = spec.input_properties()
        money = (
            _money_in(clause.action)
            or _BARE_AMOUNT.search(clause.action)
            or _CHARGED_NUMBER.search(clause.action)
        )
        if money is not None and not _COMPARISON_PHRASE.search(clause.action):
            # "Charge $19.99 to the card": the amount is the input.
            charged = float(money.group("a") or money.group("b"))
            numbers = [
                name
                for name, schema in properties.items()
                if schema_types(schema) & {"number", "integer"}
            ]
            # ("an offer at $95,000": the one number named for money, `salary`)
            money_named = [n for n in numbers if set(split_identifier(n)) & _MONEY_WORDS]
            chosen = next((n for n in numbers if n in ("amount", "total", "price", "sum")), None)
            if chosen is None and len(money_named) == 1:
                chosen = money_named[0]
            if chosen is not None:
                literals[chosen] = repr(charged)
                if money is not _CHARGED_NUMBER.search(clause.action) and _in_minor_units(
                    chosen, properties[chosen]
                ):
                    # ("charge cus_N8 $49.00" into `amount_cents`: 4900, never 49 cents; an
                    # amount said in cents, "4900 cents", is not a currency's and is kept)
                    literals[chosen] = str(round(charged * 100))
        link = _URL_LITERAL.search(clause.text)
        if link is not None:
            # "Summarize this article: https://example.com/post": the URL is the input.
            for name in properties:
                if {"url", "link", "uri", "href"} & set(split_identifier(name)):
                    literals[name] = json.dumps(link.group(0).rstrip(".,;)"))
                    break
            else:
                # "email them the link https://...": the link is what the message says
                said = next(iter(_said_inputs(properties)), None)
                linked = _THE_LINK.search(clause.text[: link.start()]) is not None
                if said is not None and acts(spec) and linked:
                    literals[said] = json.dumps(link.group(0).rstrip(".,;)"))
        named = _QUOTED_OBJECT.match(clause.action)
        names = [
            n
            for n in spec.required_inputs()
            if "name" in split_identifier(n) and schema_types(properties.get(n) or {}) == {"string"}
        ]
        if named is not None and len(names) == 1:
            # "Screen 'Viktor Petrov' against the sanctions lists": the quote the verb works on
            # is the one name the tool takes (`full_name`)
            literals[names[0]] = json.dumps(named["quote"])
        literals.update(self._practitioner_named(properties, clause, literals))
        greeted = _GREETED_AS.search(clause.action)
        if greeted is not None and len(names) == 1 and names[0] not in literals:
            # "send the welcome email to them as Sam": the name the person is greeted by
            literals[names[0]] = json.dumps(greeted["name"])
        short: str | None = None  # a message short enough to be its own subject line
        for label, value in clause.quoted:
            if named is not None and value == named["quote"] and names:
                continue
            if self._read_by_its_producer(clause, value):
                continue  # ("email a@b.co the sentiment of '...'": the sentiment is sent)
            spelled = value.lower()
            listed = _listed_input_value(
                spec, {spelled, spelled.replace(" ", "_"), spelled.replace(" ", "-")}
            )
            if listed is not None and listed[0] not in literals:
                # 'set the status page to "major outage"': one of the values an input lists
                literals[listed[0]] = json.dumps(listed[1])
                continue
            if label is None:
                continue
            said = next((n for n in _said_inputs(properties) if n not in literals), None)
            if said is None and label == "message":
                # "page on-call saying '...'": a tool whose only text is its summary
                said = next((n for n in _summary_inputs(properties) if n not in literals), None)
            if label == "message" and said is not None and acts(spec):
                literals[said] = json.dumps(value)  # what the message says, whatever its name
                short = value if len(value) <= _SHORT_MESSAGE else None
                continue
            # 'an event called "Standup"': its name, or its title when it has no name
            # ('a Jira issue titled "..."': its summary, when it has no title)
            # ("look up user 'u-77'": the user's id, a code written in quotes)
            by_code = (f"{label}_id",) if re.search(r"\d", value) and " " not in value else ()
            # ("create the calendar event 'Team offsite'": the thing the tool makes, named)
            made = (
                ("name", "title", *_summary_inputs(properties))
                if acts(spec)
                and not by_code
                and label in _own_words(spec)
                and label not in properties
                else ()
            )
            for wanted in (
                (label, "title", *_summary_inputs(properties))
                if label == "name"
                else (label, *_summary_inputs(properties))
                if label == "title"
                else (label, *by_code, *made)
            ):
                labelled = next(
                    (
                        n
                        for n, schema in properties.items()
                        if n not in literals
                        and "string" in (schema_types(schema) or {"string"})
                        and name_similarity(n, wanted) >= 0.8
                    ),
                    None,
                )
                if labelled is not None:
                    literals[labelled] = json.dumps(value)
                    break
        told = self._told_after_a_colon(clause, spec, literals) or _complaint_told(
            clause, spec, literals
        )
        if told is not None:
            literals[told[0]] = json.dumps(told[1])
            short = told[1] if len(told[1]) <= _SHORT_MESSAGE else short
        if not acts(spec):
            # 'the sentiment of "I love it, but ..."', 'summarize "..."': the text a step
            # that reads works on, quoted where it is said
            read = [
                value
                for label, value in clause.quoted
                if label is None
                or label in _QUOTE_OBJECT_LABELS
                # ("the sentiment of this comment: '...'": what the colon opens is read)
                or _after_a_colon(clause.text, value)
                or label in self.reader.verbs
                or label in _own_words(spec)  # "the sentiment of '...'" for analyze_sentiment
                # ("the mood of '...'": a word of the same meaning as one of the tool's own)
                or (
                    label is not None
                    and any(stem(label) in synonyms(stem(w)) for w in split_identifier(spec.id))
                )
            ]
            texts = [n for n in properties if n in _READ_TEXT_INPUTS and n not in literals]
            if len(read) == 1 and len(texts) == 1:
                literals[texts[0]] = json.dumps(read[0])
        # (the step's own words first: "if they exist welcome them, otherwise send Sam a
        # welcome email" names the person of the second step only)
        named = _NAMED.search(clause.action) if clause.action else None
        if named is None and not self._names_another_step(clause):
            named = _NAMED.search(clause.text)
        if named is not None and "name" in properties and "name" not in literals:
            # "send a welcome email to jane@example.com named Jane"
            literals["name"] = json.dumps(
                named.group("name")
                or named.group("owner")
                or named.group("sent_to")
                or named.group("addressee")
            )
        literals.update(_subject_said(properties, clause.action or clause.text, literals))
        if short is not None and "subject" in properties and "subject" not in literals:
            literals["subject"] = json.dumps(short)  # not one more run input
        literals.update(_value_the_verb_names(properties, clause.action or "", literals))
        literals.update(_signed_change(properties, clause.action or "", literals))
        literals.update(_the_thing_priced(spec, clause.action or "", literals))
        literals.update(_title_after_its_noun(spec, clause.action or "", literals))
        literals.update(_identifier_literals(properties, clause.text, literals))
        literals.update(_numbered_by_last_word(properties, clause.action or "", literals))
        literals.update(_whole_number_id(properties, clause.action or "", literals))
        literals.update(_bare_number_of_the_tools_thing(spec, clause.action or "", literals))
        literals.update(number_of_the_tools_thing(spec, clause.action or "", literals))
        literals.update(code_in_capitals(properties, clause.action or "", literals))
        literals.update(container_named(properties, clause.action or clause.text, literals))
        literals.update(_example_value_written(properties, clause.action or "", literals))
        literals.update(_named_input_set_to(properties, clause.action or "", literals))
        literals.update(_street_line_written(properties, clause.action or "", literals))
        literals.update(_as_the_verbs_value(spec, clause.action or "", literals))
        literals.update(_shaped_like_its_example(properties, clause.action or "", literals))
        literals.update(_thing_named_in_capitals(spec, clause.action or "", literals))
        literals.update(_it_by_its_pattern(properties, clause.action or "", self.request, literals))
        literals.update(_percent_said(properties, clause.action or "", literals))
        literals.update(_object_code(spec, clause.action or clause.text, literals))
        literals.update(_people_listed(properties, clause.action, literals))
        literals.update(_address_literal(properties, clause.action, literals))
        literals.update(self._recipient_input(spec, clause.action, literals))
        literals.update(_count_literals(properties, clause.action, literals))
        if self.heading:
            # ("PO-77002 came in 20 short - report it ...": how many, said first)
            literals.update(_count_literals(properties, self.heading, literals))
        literals.update(_duration_in_its_unit(properties, clause.action, literals))
        literals.update(_measure_in_its_unit(properties, clause.action, literals))
        literals.update(_quoted_name(properties, clause, literals))
        literals.update(_quote_after_a_colon(spec, clause.text, literals))
        literals.update(_lone_quote_as_heading(spec, clause, literals))
        literals.update(_cents_written(properties, clause.action or "", literals))
        literals.update(number_set_to(spec, clause.action or "", literals))
        literals.update(values_after_their_list_word(properties, clause.action or "", literals))
        literals.update(_assignee_said(properties, clause.action or "", literals))
        literals.update(_handles_for_a_list_of_people(properties, clause.action or "", literals))
        literals.update(_place_named(properties, clause.action or "", literals))
        literals.update(country_literal(properties, clause.action, literals))
        literals.update(
            named_values(properties, clause.action, literals, texts_phones=_texts_phones(spec))
        )
        literals.update(_version_literals(properties, clause.action, literals))
        literals.update(self._handle_said(spec, clause.action or clause.text, literals))
        literals.update(_number_like_its_example(spec, clause.action or "", literals))
        literals.update(_value_before_its_input(properties, clause.action, literals))
        literals.update(_file_name_literal(properties, clause.action, literals))
        literals.update(_switch_literal(properties, clause.action, literals))
        literals.update(_flags_said(properties, clause.action, literals))
        literals.update(_visibility_said(properties, clause.action or "", literals))
        literals.update(_choice_an_input_written_needs(properties, literals))
        literals.update(_texted_by_sms(properties, clause.action, literals))
        literals.update(_proper_name_after_input(properties, clause.action, literals))
        literals.update(_date_after_its_word(properties, clause.action, literals))
        if (
            "amount" in literals
            or _IN_CURRENCY_CODE.search(clause.action)
            # ("declared value 8400 USD": the currency of the one number named for money)
            or any(set(split_identifier(name)) & _MONEY_WORDS for name in literals)
        ):
            literals.update(currency_literal(properties, clause.action, literals))
        literals.update(_order_lines_written(properties, clause.action or clause.text, literals))
        literals.update(_texts_listed_for_a_list(spec, clause.action or clause.text, literals))
        literals.update(_cells_written(spec, clause.action or clause.text, literals))
        literals.update(_task_titled(spec, clause.action or clause.text, literals))
        literals.update(self._invited_by_a_pronoun(spec, clause.action or clause.text, literals))
        if self.heading:
            # "New order ORD-500 for 3 x MUG-1. Validate it": the lines the heading writes
            literals.update(_order_lines_written(properties, self.heading, literals))
        literals.update(_thing_by_its_number(properties, clause.action or "", literals))
        literals.update(_from_and_to_written(properties, clause.action or clause.text, literals))
        literals.update(_field_values_said(properties, clause.action or clause.text, literals))
        literals.update(_supplier_named_after_from(properties, clause.action, literals))
        literals.update(_people_counted(properties, clause.action or clause.text, literals))
        literals.update(_client_named_after_for(properties, clause.action, literals))
        literals.update(_full_name_for_a_name_input(properties, clause.action, literals))
        literals.update(self._name_said_before(properties, clause.action, literals))
        literals.update(self._other_end_read_before(properties, clause.action, literals))
        literals.update(self._part_of_a_place(properties, clause.action, literals))
        literals.update(_timestamp_written(properties, clause.action or clause.text, literals))
        literals.update(
            leftover_codes(
                properties,
                # ("look up u_7": a tool that takes its id or another key needs neither)
                spec.required_inputs() or _one_id_input(properties),
                clause.action or clause.text,
                literals,
                description=spec.description,
            )
        )
        literals.update(
            long_number_left(
                properties, spec.required_inputs(), clause.action or clause.text, literals
            )
        )
        literals.update(
            service_literals(
                properties,
                clause.action,
                self.request,
                literals,
                tool_words=_own_words(spec),
            )
        )
        for heading in (self.heading, clause.title):
            literals.update(
                heading_literals(
                    properties,
                    heading,
                    literals,
                    known_words=self.words,
                    verb=self.reader.starts_with_verb,
                    identifiers=_identifier_literals,
                    texts_phones=_texts_phones(spec),
                )
            )
            # ("for P-7781 (a cat): record ...": a code alone, the id its letters begin)
            literals.update(
                codes_by_their_letters(properties, spec.required_inputs(), heading, literals)
            )
        if self.heading:
            # "Shipment to Germany: calculate the VAT, ...": the place the heading names
            literals.update(country_literal(properties, self.heading, literals))
            literals.update(self._heading_amount(properties, literals))
            literals.update(_place_code_written(properties, self.heading, literals))
            if self.reported_first:
                # ("saw about 40 whiteflies in zone B1, log it": what was seen is the record's)
                literals.update(_field_values_said(properties, self.heading, literals))
                literals.update(_count_literals(properties, self.heading, literals))
                literals.update(_thing_counted(spec, self.heading, literals))
                literals.update(_what_is_wrong_reported(spec, self.heading, literals))
        literals.update(_thing_counted(spec, clause.action or clause.text, literals))
        literals.update(_place_code_written(properties, clause.action or clause.text, literals))
        literals.update(_name_by_its_address(properties, clause.action or clause.text, literals))
        literals.update(
            _them_at_the_one_address(spec, clause.action or clause.text, self.request, literals)
        )
        # ("open a ticket if the score is low": a value the condition says is no input's)
        lowered = (clause.action if clause.condition is not None else clause.text).lower()
        for name, schema in properties.items():
            schema = unwrap_nullable(schema)  # "via DHL": an optional carrier's enum too
            if name in literals or not isinstance(schema.get("enum"), list):
                continue
            for value in _tool_verb_last(schema["enum"], spec, lowered):
                found = (
                    re.search(rf"\b{re.escape(value.lower())}\b", lowered)
                    if isinstance(value, str) and value
                    else None
                )
                if found is not None and not (
                    # "a ticket about the low stock": the stock is low, not the priority
                    is_level_input(name) and qualifies_another_noun(lowered, found.end())
                ):
                    literals[name] = json.dumps(value)
                    break
        literals.update(_enum_said_otherwise(properties, lowered, literals))
        lead = meaningful(_clean_action(clause.action or clause.text))[:1]
        done = _listed_input_value(spec, _done_forms(lead[0].lower())) if lead else None
        if done is not None and done[0] not in literals and acts(spec):
            literals[done[0]] = json.dumps(done[1])  # "approve it": status "approved"
        literals.update(level_literals(properties, lowered, literals))
        literals.update(
            choice_literals(
                properties,
                _clean_action(clause.action or clause.text),
                literals,
                known=self.catalogue_words,
                english=english_words(),
            )
        )
        for name, literal in list(literals.items()):
            # "with carrier UPS": the enum's own spelling of what was written ("ups")
            enum = unwrap_nullable(properties.get(name) or {}).get("enum")
            if isinstance(enum, list) and literal.startswith('"'):
                written = str(json.loads(literal)).lower()
                same = [v for v in enum if isinstance(v, str) and v.lower() == written]
                if not same:
                    # "because it was a duplicate": the one value of the list said in it
                    same = [
                        v
                        for v in enum
                        if isinstance(v, str)
                        and re.search(rf"\b{re.escape(v.replace('_', ' '))}\b", written)
                    ]
                    same = same if len(same) == 1 else []
                if same and same[0] != json.loads(literal):
                    literals[name] = json.dumps(same[0])
        if not clause.for_each:
            _refuse_codes_listed_for_one(clause, spec, literals)
            _refuse_two_amounts_for_one(clause, spec, literals)
            _refuse_one_input_labelled_twice(clause, literals)
            _refuse_a_value_its_pattern_refuses(clause, spec, literals)
            _refuse_two_listed_values_for_one(clause, properties, literals)
        if "name" in properties and "name" not in literals:
            # "New student Priya enrolled with priya@uni.edu": the name the address is of
            owner = _owner_named(self.request, [*literals.values(), clause.text])
            if owner is not None and not self._named_by_another_step(clause, owner):
                literals["name"] = json.dumps(owner)
        literals.update(_address_to_check(spec, clause.action or clause.text, literals))
        literals.update(
            _address_of_the_one_named(spec, clause.action or "", self.request, literals)
        )
        literals = _addresses_that_are_addresses(properties, literals)
        literals = _longer_listed_value_said(properties, clause.action or "", literals)
        return _timestamps_whole(properties, clause.text, literals)

    def _other_end_read_before(
        self, properties: dict[str, Any], action: str | None, taken: dict[str, str]
    ) -> dict[str, str]:
        """ "check dock ST-040 and if it has fewer than 3 bikes, send a van with 10 bikes from
        ST-009": one end of a move written ("from ST-009"), the other the one place of its
        kind a step before read (`station_id` "ST-040" for `to_station`); both were asked of
        the run."""
        one = _ONE_END.search(action or "")
        if one is None:
            return {}
        names = [n for n in properties if n not in taken]
        starts = [n for n in names if _START_WORDS & set(split_identifier(n))]
        ends = [n for n in names if _END_WORDS & set(split_identifier(n))]
        if len(starts) != 1 or len(ends) != 1 or starts == ends:
            return {}
        written, other = starts[0], ends[0]
        if one["way"].lower() == "to":
            written, other = other, written
        kind = set(split_identifier(other)) - _START_WORDS - _END_WORDS - _ID_WORDS
        said = json.dumps(one["code"])
        read = list(
            dict.fromkeys(
                value
                for node in self.nodes
                for name, value in (node.get("inputs") or {}).items()
                if kind & set(split_identifier(name))
                and _string_literal(value) is not None
                and value != said
            )
        )
        if not kind or len(read) != 1:
            return {}
        return {written: said, other: read[0]}

    def _name_said_before(
        self, properties: dict[str, Any], action: str | None, taken: dict[str, str]
    ) -> dict[str, str]:
        """ "run a conflict check on Castle Rock LLC; ... otherwise open a matter for them":
        the one input named for whose name it is (`client_name`), for "them" (or him, her),
        is the name a step before was given (it was asked of the run)."""
        if not _FOR_THEM.search(action or ""):
            return {}
        wanted = [
            name
            for name, schema in properties.items()
            if name not in taken
            and "string" in (schema_types(unwrap_nullable(schema)) or set())
            and not unwrap_nullable(schema).get("enum")
            and split_identifier(name)[-1:] == ["name"]
            and len(split_identifier(name)) > 1
            and not set(split_identifier(name)) & _NOT_A_PARTY
        ]
        given = list(dict.fromkeys(_names_given(self.nodes)))
        if len(wanted) != 1 or len(given) != 1:
            return {}
        return {wanted[0]: given[0]}

    def _recipient_input(
        self, spec: ToolSpec, action: str, taken: dict[str, str]
    ) -> dict[str, str]:
        """ "Email the admin": the admin's address is a run input of its own, never the
        address of the user or customer the flow works on. Recipients after the first
        ("email ops@example.com and the manager") are copied."""
        properties = spec.input_properties()
        name = recipient_input_name(spec)
        copied = copied_recipients(action)
        recipients = [r for r in message_recipients(action) if r not in copied]
        if recipients and _OWNED_ADDRESS.search(action):
            # "email the support lead at lead@example.com": that address is theirs
            recipients.pop(0)
        addressee = subject_addressee(action, self.person)
        if addressee is not None:
            # "email the lead": the person the step sends to, not copied in as well
            recipients = [r for r in recipients if r.field != addressee.field]
        if name in taken and _EVERYTHING_TO_AN_ADDRESS.search(action):
            # "tell me the sentiment, all in one email to me@example.com": the one asking
            # reads it at that address, not at one the run is asked for
            recipients = [r for r in recipients if not r.field.startswith(("my_", "our_"))]
        if name is None or not (recipients or copied):
            return {}
        wired: dict[str, str] = {}
        if recipients and name not in taken and addressee is None:
            told = self._told_by_a_step(recipients[0].field)
            if told is not None:
                # "look up the employee, then email their manager": the manager's address
                # the lookup returned, not one the run is asked for
                recipients.pop(0)
                wired[name] = told
            else:
                wired[name] = f"input.{self._recipient_field(recipients.pop(0), properties[name])}"
        recipients += copied
        cc_schema = properties.get("cc")
        if recipients and cc_schema is not None and "array" in schema_types(cc_schema):
            item = unwrap_nullable(cc_schema).get("items") or {"type": "string"}
            fields = [f"input.{self._recipient_field(r, item)}" for r in recipients]
            wired["cc"] = f"[{', '.join(fields)}]"
        return wired

    def _address_sent(
        self,
        action: str,
        properties: dict[str, Any],
        sources: Sequence[Source],
        named: dict[str, str],
    ) -> dict[str, str]:
        """ "If it's invalid, email support@acme.com with the address": the address the
        last step that had one worked on, as it returned it (`validate_email.email`), or
        as it was given when it returns none of its own (a lookup that found nobody has no
        record to read it from)."""
        said = _THE_ADDRESS_SENT.search(action)
        contents = [n for n, s in properties.items() if is_content_input(n, s)]
        content = next((n for n in contents if n in ("body", "message", "text")), None)
        content = content or (contents[-1] if contents else None)
        if said is None or content is None or content in named:
            return {}
        if not said.group("email") and any(s.name == "address" for s in sources):
            return {}  # "with their address": the postal address a step has
        for node in reversed(self.nodes):
            if node.get("type") not in ("tool", "map"):
                continue
            returned = f"{node['id']}.email"
            if any(s.expression == returned for s in sources):
                return {content: returned}
            given = (node.get("inputs") or {}).get("email")
            if isinstance(given, str) and node.get("type") == "tool":
                return {content: given}
            held = [
                s.expression
                for s in sources
                if s.name == "email" and s.expression.startswith(f"{node['id']}.")
            ]
            if len(held) == 1 and node.get("type") == "tool":
                return {content: held[0]}  # "look up u_5; ... with their email address"
        return {}

    def _state_of_a_thing_named(self, condition: str) -> bool:
        """ "when invoice INV-1007 is overdue": a thing named by its code, in a state a
        check's output can say (`status` is one of ... "overdue"), which a step tells
        rather than what starts the run."""
        said = _A_STATE_SAID.search(condition)
        return (
            said is not None
            and _CODE_IN_TEXT.search(condition) is not None
            and any(
                said["state"].lower() in output_values(spec.output_schema)
                for spec in self.specs.values()
                if not acts(spec)
            )
        )

    def _addressee_found_each(self, clause: Clause, fields: Mapping[str, Any]) -> bool:
        """ "For each of INV-101 and INV-102, get the invoice and email the customer": the
        one the message goes to is in what the loop's last step found for each item
        (`customer_email`), so the message goes over those results, not the codes."""
        addressee = subject_addressee(clause.action, self.person)
        if addressee is None:
            return False
        who = set(split_identifier(addressee.field)) - {"email"}
        return bool(who) and any(
            "email" in (words := set(split_identifier(name))) and who <= words for name in fields
        )

    def _invited_by_a_pronoun(
        self, spec: ToolSpec, text: str, literals: Mapping[str, str]
    ) -> dict[str, str]:
        """ "Find the contact for ceo@bigco.com and book a meeting with them": "them" is the
        one the step before was given by address, the one attendee of a tool that takes a
        list of addresses."""
        if not acts(spec) or not _WITH_THEM.search(text):
            return {}
        lists = [
            name
            for name, schema in spec.input_properties().items()
            if name not in literals
            and "array" in schema_types(schema)
            and (unwrap_nullable(schema).get("items") or {}).get("format") == "email"
        ]
        if len(lists) != 1:
            return {}
        given = [
            value
            for node in self.nodes
            if node.get("type") == "tool"
            and isinstance(value := (node.get("inputs") or {}).get("email"), str)
            and EMAIL_ADDRESS.fullmatch(value.strip('"'))
        ]
        return {lists[0]: f"[{given[-1]}]"} if given else {}

    def _records_looked_up_in_a_loop(self) -> bool:
        """Whether the last step is a loop of a tool that changes nothing and returns the
        fields of a record: none of them a text to read, a verdict (a sentiment, whether an
        address is valid) or a summary of its own (a weather lookup per city)."""
        last = self.nodes[-1] if self.nodes else None
        spec = self.specs.get(last.get("tool", "")) if last and last.get("type") == "map" else None
        fields = spec.output_properties() if spec is not None else {}
        return (
            spec is not None
            and not acts(spec)
            and bool(fields)
            and not set(fields) & (_READ_TEXT_INPUTS | {"summary"})
            and not any(_a_verdict(field) for field in fields.values())
        )

    def _step_it_lets_run(self, clause: Clause) -> str | None:
        """The step said right after an approval asked alone, when it runs in every case."""
        following = next(
            (
                other
                for before, other in itertools.pairwise(self.clauses)
                if before is clause
            ),
            None,
        )
        if (
            following is None
            or following.approval is not None
            or following.condition is not None
            or following.otherwise
            or not (
                self._names_a_step(following.action)
                or _is_gerund(following.action.split(maxsplit=1)[0] if following.action else "")
            )
        ):
            return None
        return following.action.strip(" ,.")

    def _site_checker(self) -> ToolSpec | None:
        """The one tool that changes nothing, takes an address and says whether the site
        behind it is up ("Check whether a website is up"), to answer "is https://... up"
        rather than a fetch of the page."""
        checkers = [
            spec
            for spec in self.specs.values()
            if not acts(spec)
            and len(spec.required_inputs()) == 1
            and set(split_identifier(spec.required_inputs()[0])) & _URL_WORDS
            and _UP_WORDS & set(split_identifier(f"{spec.id} {spec.description}"))
        ]
        return checkers[0] if len(checkers) == 1 else None

    def _told_by_a_step(self, field: str) -> str | None:
        """What a planned step returns under the name of a recipient's field
        (`manager_email`), when exactly one step does; else under a shorter name of the
        same person ("their account owner": `owner_email` for `account_owner_email`)."""
        returned = [
            source
            for source in self._sources()
            if source.node is not None and "." in source.expression
        ]
        told = {source.expression for source in returned if source.name == field}
        if not told:
            words = split_identifier(field)
            told = {
                source.expression
                for source in returned
                if len(named := split_identifier(source.name)) > 1
                and named[-1:] == words[-1:]
                and named[-2:-1] == words[-2:-1]
                and set(named) <= set(words)
            }
        if not told and len(words := split_identifier(field)) > 1:
            # ("email his manager" and `supervisor_email`, "The employee's manager's email":
            # the field its description says is that person's)
            whose = r"\s+".join(map(re.escape, words[:-1]))
            said = rf"\b{whose}(?:['\u2019]s)?\s+{re.escape(words[-1])}\b"
            told = {
                source.expression
                for source in returned
                if split_identifier(source.name)[-1:] == words[-1:]
                and re.search(said, str(source.schema.get("description") or ""), re.I)
            }
        return told.pop() if len(told) == 1 else None

    def _recipient_field(self, recipient: Recipient, schema: dict[str, Any]) -> str:
        if recipient.field not in self.input_properties:
            self.input_properties[recipient.field] = {
                **input_field_schema(unwrap_nullable(schema)),
                "description": recipient.description,
            }
            self.input_required.append(recipient.field)
        return recipient.field

    def _phone_for(self, name: str, spec: ToolSpec, sources: list[Source]) -> str | None:
        """The phone number a text goes to when the step names none: a step's phone output
        ("look up the patient ...; text them"), else the one number the request writes."""
        if not _texts_phones(spec) or name != recipient_input_name(spec):
            return None
        for source in sources:
            if source.node is not None and _is_phone(source.name):
                return source.expression
        phones = list(dict.fromkeys(m.strip() for m in _PHONE_NUMBER.findall(self.request)))
        return json.dumps(phones[0]) if len(phones) == 1 else None

    def _address_held(self, name: str, clause: Clause, candidates: list[Source]) -> str | None:
        """ "Get the conversation and email the customer", "email each student their
        score": the address of the one addressed, as a step before (or the loop's item)
        tells it (`customer_email`, `item.student_email`), rather than a run input."""
        if name not in _RECIPIENT_INPUTS:
            return None
        addressee = subject_addressee(clause.action, self.person)
        if addressee is None and self.person and not message_recipients(clause.action):
            addressee = subject_addressee("email them", self.person)
        whom = [[w for w in split_identifier(addressee.field) if w != "email"]] if addressee else []
        if clause.for_each and clause.for_each != _ANY_NOUN:
            whom.append([singular(clause.for_each)])  # "email each student": the item's
        for who in whom:
            for source in candidates:
                words = {stem(w) for w in split_identifier(source.name)}
                if who and "email" in words and {stem(w) for w in who} <= words:
                    return source.expression
        told = _address_told_of_the_one_named(clause.action or "", candidates)
        return told or self._address_of_the_one_looked_up(clause, candidates)

    def _address_of_the_one_looked_up(self, clause: Clause, candidates: list[Source]) -> str | None:
        """ "Look up the guardian of student S-1020 and email them": "them" is the one a
        step before found, whose address it tells (`guardian_email`, the guardian named in
        the request), not the student the request is about."""
        if not _SENT_TO_A_PRONOUN.search(clause.action or ""):
            return None
        said = {stem(w) for w in meaningful(self.request)}
        found = [
            source
            for source in candidates
            if source.node is not None
            and "email" in (words := [stem(w) for w in split_identifier(source.name)])
            and len(words) > 1
            and set(words) - {"email"} <= said
        ]
        if len(found) == 1:
            return found[0].expression
        if found or any("email" in split_identifier(source.name) for source in candidates):
            return None
        # "open a billing ticket for jane@acme.com ..., then email her the ticket number":
        # the one address the request writes is hers
        addresses = list(dict.fromkeys(EMAIL_ADDRESS.findall(self.request)))
        if len(addresses) != 1 or EMAIL_ADDRESS.search(clause.action or ""):
            return None
        if re.search(rf"\b(?:to|at|cc|copy)\s+{re.escape(addresses[0])}", self.request, re.I):
            return None  # ("tell the support lead at lead@acme.io": someone else's)
        return json.dumps(addresses[0])

    def _address_given_for(self, name: str, clause: Clause) -> str | None:
        """ "Charge $12.99 for order SUB-42 to customer ella@mail.com. If it's declined email
        her the reason": the address a step before was given for the person the message
        goes to (`customer_email`), written in the request, rather than the same address
        asked of the run once more."""
        if name not in _RECIPIENT_INPUTS:
            return None
        addressee = subject_addressee(clause.action, self.person)
        if addressee is None:
            return None
        given = {
            value
            for node in self.nodes
            if isinstance(value := (node.get("inputs") or {}).get(addressee.field), str)
            and value.startswith('"')
            and EMAIL_ADDRESS.search(value)
        }
        return given.pop() if len(given) == 1 else None

    def _addressee_input(
        self, name: str, schema: dict[str, Any], clause: Clause, *, phone: bool = False
    ) -> str | None:
        """ "Email the customer" where no step knows the address: `customer_email`, not `to`
        ("text them": `patient_phone`, for a tool that texts a phone number)."""
        if name not in _RECIPIENT_INPUTS:
            return None
        addressee = subject_addressee(clause.action, self.person)
        if addressee is None and self.person and not message_recipients(clause.action):
            # "the customer's feedback ... positive feedback gets a thank-you email": no one
            # named, so the person the request is about
            addressee = subject_addressee("email them", self.person)
        if addressee is not None and phone and addressee.field.endswith("_email"):
            who = addressee.field.removesuffix("_email")
            addressee = Recipient(f"{who}_phone", f"Phone number of the {who}.")
        return self._recipient_field(addressee, schema) if addressee is not None else None

    def _background_left_out(self, text: str) -> str:
        """ "A buyer wants a viewing of 12 Elm Street on Friday; open a sales ticket ...":
        what someone wants, said first, is why the steps after it are asked, not a step
        (no lookup of the buyer); the steps start where the request says to do them."""
        match = _BACKGROUND.match(text)
        rest = text[match.end() :] if match is not None else ""
        if match is None or not self.reader.starts_with_verb(rest):
            return text
        if re.search(r"\b(?:it|this|that|one)\b", rest.split(".")[0], re.IGNORECASE):
            return text  # "the customer wants a refund; process it": what they want is a step
        if _APPROVAL_ASKED.search(match.group(0)):
            return text  # "a manager needs to approve the discount; then ...": a step
        return text[match.end() :]

    def _labelled_code_kept(self, match: re.Match[str]) -> str:
        """ ", tag UA009123" when a tool's input is named for a tag (`tag_number`): the
        value of the step it follows, not a step of its own ("tag" is a verb too)."""
        label = match["label"].lower()
        named = any(
            split_identifier(name)[0] == label
            for spec in self.specs.values()
            for name in spec.input_properties()
        )
        return f" {match['label']} {match['code']}" if named else match[0]

    def _report_said_first(self, text: str) -> str:
        """ "customer on 07700 900456 says no signal, run a line test ...": what someone
        reported, said first up to a comma, with steps after it, is what the steps are about
        (a heading whose values they take), not a step ("says" had swallowed them all)."""
        match = _REPORTED_FIRST.match(text)
        if match is None:
            return text
        said, rest = match["report"].strip(), match["rest"]
        for _ in range(3):
            labelled = _LABELLED_CODE_NEXT.match(rest)
            if labelled is not None:
                # ("..., tag UA009123. pls file a damage report": a value of it, no step)
                said, rest = f"{said}, {labelled['value']}", labelled["after"]
                continue
            if self._asks_a_step(rest):
                self.heading = f"{self.heading}, {said}" if self.heading else said
                self.reported_first = True
                self._note_topic(said)
                coded = _THING_BY_ITS_CODE.match(said)
                if coded is not None:
                    # ("bag WN660104 turned up in Denver, deliver it to ...": the bag, by its
                    # code, is what "it" is; a shipment of "it" was planned)
                    rest = _IT_AFTER_THE_VERB.sub(
                        rf"\g<verb>{coded['thing']} {coded['code']}", rest, count=1
                    )
                return rest
            # ("customer ACC-1 rang, broadband's crawling all week, can u credit them"):
            # more of what they reported, up to the next comma
            more, comma, after = rest.partition(",")
            if not comma or _NO_REPORT.match(more) or self.reader.starts_with_verb(more):
                break
            said, rest = f"{said}, {more.strip()}", after.strip()
        return text

    def _asks_a_step(self, text: str) -> bool:
        """Whether `text` starts with a step's verb, asked politely or not ("can u credit
        them £10": a tool's own word as the verb)."""
        asked = re.sub(r"^(?:(?:can|could|would)\s+(?:you|u)\s+|pls\s+|please\s+)", "", text)
        first = asked.split(maxsplit=1)[0].lower() if asked.split() else ""
        return self.reader.starts_with_verb(asked) or first in self.topic_words

    def _place_said_first(self, text: str) -> str:
        """ "tenant in 4B says the sink is leaking. open a plumbing work order": a first
        sentence that names a place by its code ("in 4B") and starts with no step is what
        the steps are about, a heading (the tenant was looked up, and the unit asked of
        the run)."""
        return self._heading_first(text, lambda sentence: _PLACE_CODE.search(sentence))

    def _change_said_first(self, text: str) -> str:
        """ "the 8pm show for EV-4410 moved to 9pm. email every ticket holder: '...'": a
        first sentence that says what changed of a thing named by its code, with no step in
        it, is what the steps are about, a heading (no tool does "moved")."""
        return self._heading_first(
            text,
            lambda sentence: _CHANGED.search(sentence) and _CODE_LITERAL.search(sentence),
        )

    def _heading_first(self, text: str, says: Callable[[str], object]) -> str:
        """A first sentence that `says` what the request is about, with no step in it and
        steps after it, becomes the heading; the steps are what is left."""
        first = _SENTENCE.match(text)
        if first is None:
            return text
        sentence = first.group("sentence").strip()
        rest = text[first.end("sentence") :].strip()
        if (
            not rest
            or not says(sentence)
            or self.reader.starts_with_verb(sentence)
            or re.match(r"^\W*(?:if|when|unless|once|for|before|after)\b", sentence, re.I)
            or not self.reader.starts_with_verb(rest)
        ):
            return text
        said = sentence.rstrip(".!;")
        self.heading = f"{self.heading}, {said}" if self.heading else said
        return rest

    def _second_case_apart(self, text: str) -> str:
        """ "if it goes through send the receipt, if it's declined email them": a second
        case after the first one's step is a condition of its own, not one inside the
        first ("if it's valid, if it's over 100, get approval" stays nested: no step)."""
        parts = []
        start = 0
        for comma in re.finditer(r",\s+(?=if\s)", text, re.IGNORECASE):
            sentence = re.split(r"[.;!?]\s", text[: comma.start()])[-1]
            earlier = list(re.finditer(r"\bif\s", sentence, re.IGNORECASE))
            if not earlier:
                continue
            case = sentence[earlier[-1].start() :]
            if re.search(r"\b(?:and|then|or|but)\s*$", case, re.IGNORECASE):
                continue  # "..., verify it and, if it is ok, text them": inside that case
            said = case.split(",")
            step = said[-1].strip() if len(said) > 1 else ""
            if (len(said) == 1 and len(case.split()) >= 6) or (
                step and self.reader.starts_with_verb(step)
            ):
                parts.append(text[start : comma.start()] + ";")
                start = comma.start() + 1
        return "".join(parts) + text[start:]

    def _not_a_helper_s_number(
        self, condition: Condition, resolved: ResolvedCondition | None
    ) -> ResolvedCondition | None:
        """ "Invoice the customer carl@x.io for $1,200; if it's over 1000, get approval":
        "it" compared with a number is not the one number of a step planned only to serve
        another (the customer's `mrr`, looked up for the invoice's customer id); read
        without that step, it is the amount (written, or asked of the run)."""
        if (
            resolved is None
            or not _PRONOUN_COMPARED.match(condition.text)
            or not re.search(r"[<>]", resolved.expression)
        ):
            return resolved
        read = _NODE_READ.search(resolved.expression)
        if read is None or read.group(1) not in self.helpers:
            return resolved
        sources = [s for s in self._sources(for_condition=True) if s.node not in self.helpers]
        return resolve_condition(condition.text, sources, negate=condition.negate)

    def _values_said_first(self, text: str) -> str:
        """ "For an order of €120 to a customer in Spain, work out the VAT and ..." -> "work
        out the VAT for an order of €120 to a customer in Spain and ..."."""
        headed = _FOR_A_CODE_COLON.match(text)
        if headed is not None and (headed["cond"] or self.reader.starts_with_verb(headed["rest"])):
            # "for lease L-3380: if the balance due is over $500, ...": what the request is
            # about, a heading (a renewal offer was planned for the words "for lease")
            said = headed["thing"]
            self.heading = f"{self.heading}, {said}" if self.heading else said
            self._note_topic(said)
            return self._values_said_first(headed["rest"])
        coded = _FOR_A_CODE_FIRST.search(text)
        if coded is not None and self.reader.starts_with_verb(coded["verb"]):
            said = f"{coded['verb']} {coded['thing']}"
            text = f"{text[: coded.start('for')]}{said}{text[coded.end() :]}"
        match = _FOR_A_THING_FIRST.search(text)
        if match is None or not self.reader.starts_with_verb(match["step"]):
            return text
        lead = match["lead"].strip()
        moved = f"{match['step']} {lead[0].lower()}{lead[1:]}{match['rest']}"
        return f"{text[: match.start('lead')]}{moved}"

    def _each_of_these_words(self, match: re.Match[str]) -> str:
        """ "Deploy 5.2.0 to staging for each of these services: auth, billing, search" ->
        "For each of auth, billing and search, Deploy 5.2.0 to staging": a loop over the
        names written, unless most of them are verbs (a list of steps, not of values)."""
        items = [
            v for v in re.split(r"\s*,\s*(?:and\s+|&\s+)?|\s+(?:and|&)\s+", match["list"]) if v
        ]
        # ("what's the sales tax on $250 in each of these states: ...": get it for each)
        before = _ASKED_WHAT.sub("Get ", match["before"].strip())
        if before and _A_VALUE_NAMED.match(before) and not self.reader.starts_with_verb(before):
            # ("sales tax on $250 for each of: OR, TX, NV": a value named, no verb)
            before = f"Get the {before}"
        if (
            len(items) < 2
            or not before
            or not self.reader.starts_with_verb(before)
            # ("for each of these orders: validate, charge and ship": steps, not values)
            or sum(item.lower() in self.reader.verbs for item in items) * 2 > len(items)
        ):
            return match[0]
        listed = f"{', '.join(items[:-1])} and {items[-1]}"
        return f"{match['start']}For each of {listed}, {before}"

    def _address_looked_up(self, name: str, clause: Clause) -> str | None:
        """ "Look up sam@example.org; if no account exists, send them the welcome email":
        "them" is the address the steps before only looked at (a lookup, a check), written
        in the request, not one more address asked of the run."""
        if name not in _ADDRESS_INPUTS or not re.search(
            r"\b(?:them|him|her)\b", clause.action or "", re.IGNORECASE
        ):
            return None
        written = set()
        for node in self.nodes:
            info = self.info.get(str(node.get("id")))
            if info is None or info.spec is None or acts(info.spec):
                continue
            for value in (node.get("inputs") or {}).values():
                if isinstance(value, str) and _is_literal(value):
                    said = json.loads(value)
                    if isinstance(said, str) and EMAIL_ADDRESS.fullmatch(said):
                        written.add(value)
        return written.pop() if len(written) == 1 else None

    def _said_to_its_family(self, name: str, schema: Any, spec: ToolSpec) -> str | None:
        """The value written for `name` to an earlier step of another tool of the same
        family (`deploy.release` and `deploy.rollback`, `drive_upload_file` and
        `drive_share_file`) whose input of that name takes the same values: "release api
        1.9 to prod; if it fails, roll it back" rolls back api in production, not a
        service and an environment asked of the run. Never whom a message goes to or what
        it says."""
        family = _tool_family(spec.id, self.reader.verbs)
        if family is None or name == recipient_input_name(spec) or is_content_input(name, schema):
            return None
        for node in reversed(self.nodes):
            tool = node.get("tool")
            info = self.info.get(str(node.get("id")))
            if not tool or tool == spec.id or info is None or info.spec is None:
                continue
            if _tool_family(tool, self.reader.verbs) != family:
                continue
            value = (node.get("inputs") or {}).get(name)
            if (
                isinstance(value, str)
                and _is_literal(value)
                and info.spec.input_properties().get(name) == schema
            ):
                return value
        return None

    def _new_input(
        self, name: str, schema: dict[str, Any], spec: ToolSpec, *, required: bool = True
    ) -> str:
        field_name = self._input_name(name, schema, owner=spec)
        if field_name not in self.input_properties:
            self.input_properties[field_name] = input_field_schema(
                unwrap_nullable(schema), description=f"{name} for {spec.id}"
            )
            if required:
                self.input_required.append(field_name)
        return field_name

    def _input_name(self, name: str, schema: dict[str, Any], owner: ToolSpec | None = None) -> str:
        existing = self.input_properties.get(name)
        if existing is None or type_fit(schema, existing) > 0:
            return name
        prefix = split_identifier(owner.id)[-1] if owner else "value"
        candidate = f"{prefix}_{name}"
        counter = 2
        while candidate in self.input_properties:
            candidate = f"{prefix}_{name}_{counter}"
            counter += 1
        return candidate

    def _resolve(
        self, condition: Condition, clause: Clause, *, check_first: bool = False
    ) -> ResolvedCondition | None:
        if _TIMES_OVER.search(without_quotes(condition.text)):
            # "if the payment is declined twice": a step runs once; reading its one outcome
            # would drop the count (a quote's "charged twice" is the text judged)
            raise PlanningError(
                "unmapped_condition",
                f"Could not map the condition {condition.text.strip()!r} of {clause.label}: it "
                "counts how many times something happened, and each step here runs once, so "
                "no step can tell it. Say what to do after one outcome ('if the payment is "
                "declined, email billing'), or retries on errors ('retrying up to 3 times').",
                step=condition.text.strip(),
                details={"reason": "counted_outcome", "phrase": condition.text.strip()},
            )
        resolved = self._said_of_each_item(condition) or resolve_condition(
            condition.text, self._sources(for_condition=True), negate=condition.negate
        )
        resolved = self._not_a_helper_s_number(condition, resolved)
        if (
            resolved is not None
            and _EVERY_STEP.search(condition.text)
            and self._in_arms()
            # ("if everything is in stock": one step's `in_stock`, named, not every step's)
            and not _one_field_said(condition.text, resolved.expression)
        ):
            raise PlanningError(
                "unmapped_condition",
                f"Could not map the condition {condition.text.strip()!r} of {clause.label}: it "
                f"speaks of every step before it, and {', '.join(self._in_arms())} run only "
                "in some cases (inside a condition), so the flow cannot read them here. Name "
                "the step the condition reads, or say the step inside the last condition.",
                step=condition.text.strip(),
                details={"reason": "every_step_in_arms", "phrase": condition.text.strip()},
            )
        if (
            resolved is not None
            and check_first
            and not condition.optional
            and resolved.new_input is None
            and self._fuller_field_said(condition.text, resolved.subject)
            and not _FROM_REQUEST.search(f"{condition.text} {clause.text}")
        ):
            # "get the recent errors; if the error rate is above 5%": the errors' `total` is
            # no rate; the tool returning `error_rate` tells it, planned first
            checked = self._check_first(condition, clause)
            if checked is not None and checked.new_input is None:
                resolved = checked
        if (
            resolved is not None
            and resolved.new_input is not None
            and check_first
            # ("when the temperature in Oslo is below freezing": a state a step can check,
            # not what starts the run; "when an order over $500 comes in": what does)
            and (not condition.optional or self._a_check_asks_of(condition))
            and not _FROM_REQUEST.search(f"{condition.text} {clause.text}")
            # ("the error rate": a tool's `error_rate` said in full is for the rules below)
            and not any(_field_in_full(condition.text, spec) for spec in self.specs.values())
        ):
            # "if sensor TEMP-3 reads more than 90": the number a tool named in the
            # condition reads, planned first, not a run input named after the verb
            self.numbers_only = True
            try:
                checked = self._check_first(condition, clause)
            finally:
                self.numbers_only = False
            if checked is not None and checked.new_input is None:
                resolved = checked
        if resolved is not None and resolved.new_input is not None:
            # "validate order 4 and if it's over $500, ...": its subtotal, not a run input
            resolved = (
                self._amount_of_the_step_before(condition)
                or self._number_of_the_values_given(condition)
                or resolved
            )
        in_arm_teller = None
        if resolved is not None and self._reads_another_step(condition.text, resolved):
            # "if the welcome email fails" where only the lookup's `found` can be read (the
            # email may not have run): not that flag
            words = {stem(w) for w in split_identifier(condition.text) if w not in STOP_WORDS}
            in_arm_teller = next(
                (
                    info.id
                    for info in self.info.values()
                    if info.spec is not None
                    and not info.gates <= self._gates()
                    and words & _naming_words(info.spec)
                ),
                None,
            )
            resolved = None
            check_first = False
        if resolved is not None and not condition.optional:
            self._check_speaks_of_unplanned(condition, clause, resolved)
        if resolved is None and in_arm_teller is not None and not condition.optional:
            raise PlanningError(
                "unmapped_condition",
                f"Could not map the condition {condition.text.strip()!r} of {clause.label}: "
                f"{in_arm_teller} tells it, but it runs only inside the condition before, "
                "which ended with its step. Say this step inside that condition ('charge the "
                "card if they are, and if the payment goes through, ship it').",
                step=condition.text.strip(),
                details={"reason": "teller_in_arm", "phrase": condition.text.strip()},
            )
        if resolved is None and condition.checked:
            resolved = self._verdict(condition)
        if (
            resolved is None
            and condition.optional
            and check_first
            and (
                _SAYS_A_STATE.search(condition.text)
                or _COMPARISON_PHRASE.search(condition.text)
                or self._state_of_a_thing_named(condition.text)
                # ("when it's raining in Lisbon, ...": the weather a lookup tells)
                or weather_said(condition.text)
            )
            and (not _SOME_ONE.match(condition.text) or _CLASSIFIED_AS.search(condition.text))
        ):
            # "when the order is valid, ship it": a state a step can check, not what starts
            # the run ("when a payment is approved": one that happens elsewhere starts it;
            # "once the payment is approved" with no step that can tell it: the trigger)
            strict = Condition(condition.text, condition.negate, False, condition.checked)
            resolved = self._check_first(strict, clause)
        if resolved is None and condition.optional and self._partly_decided(condition.text):
            # "once it's valid and in stock, ship it": a step decides part of it, so it is
            # a condition to meet, not the trigger (and the rest needs its own check)
            condition = Condition(condition.text, condition.negate, False, condition.checked)
            check_first = True
        if resolved is None and check_first and not condition.optional:
            self._check_outcome_untold(condition, clause)
            resolved = self._check_first(condition, clause)
        if resolved is None:
            if condition.optional:
                return None
            if _NO_ANSWER_IN_TIME.search(condition.text) and (
                self.pending is not None
                or any(info.kind == "approval" for info in self.info.values())
            ):
                # "if they don't respond within 24 hours, email ops": a step on timeout
                raise PlanningError(
                    "unmapped_step",
                    f"Could not plan {clause.label}: it asks for a step when nobody answers "
                    "the approval in time, and an approval that times out can "
                    "only approve, reject or fail the run. Say which ('if they don't answer "
                    "within 24 hours, reject it'), then what to do then ('if they reject it, "
                    "email the director').",
                    step=condition.text.strip(),
                    details={"reason": "step_on_timeout", "phrase": condition.text.strip()},
                )
            if _SAYS_NOT_WHEN.match(condition.text):
                raise PlanningError(
                    "unmapped_condition",
                    f"Could not map the condition {condition.text.strip()!r} of {clause.label}: "
                    "it does not say when. Say what decides it, from what a step before it "
                    "tells: 'if it's urgent', 'if the amount is over 500'.",
                    step=condition.text.strip(),
                    details={"reason": "condition_says_not_when", "phrase": condition.text.strip()},
                )
            if _FAILED_SAID.match(condition.text.strip()):
                raise PlanningError(
                    "unmapped_condition",
                    f"Could not map the condition {condition.text.strip()!r} of {clause.label}: "
                    "a flow does not branch on a step failing; a step that fails (after its "
                    "retries) fails the run. Say what its result shows instead ('if the status "
                    "code is 404'), or retry it ('retry 3 times if it fails').",
                    step=condition.text.strip(),
                    details={"reason": "branch_on_failure", "phrase": condition.text.strip()},
                )
            if not _FROM_REQUEST.search(f"{condition.text} {clause.text}"):
                self._check_state_listed(condition, clause)
                raise PlanningError(
                    "unmapped_condition",
                    f"Could not map the condition {condition.text.strip()!r} of {clause.label}: "
                    "no step before it produces a value it could test, and the request does not "
                    "say the value comes with it. Name the step whose result decides it, or say "
                    "that it comes with the request.",
                    step=condition.text.strip(),
                    details={"reason": "unbound_condition", "phrase": condition.text.strip()},
                )
            resolved = self._flag_condition(condition)
        if resolved.new_input is not None:
            name, schema = resolved.new_input
            teller = self._tells_only(name)
            if (
                check_first
                and not condition.optional
                and not _FROM_REQUEST.search(f"{condition.text} {clause.text}")
                and (
                    (teller is not None and self._teller_said(condition, clause))
                    or self._fuller_field_said(condition.text, name)
                )
            ):
                # "if SKU A-1 has fewer than 5 units left": the tool that tells it (the
                # stock check's `units_left`), planned first, as for any other condition
                checked = self._check_first(condition, clause)
                if checked is not None and checked.new_input is None:
                    resolved, teller = checked, None
        if resolved.new_input is not None:
            name, schema = resolved.new_input
            teller = self._tells_only(name)
            if teller is None and not _FROM_REQUEST.search(f"{condition.text} {clause.text}"):
                self._refuse_a_count_untold(condition, clause)
            if teller is not None and not _FROM_REQUEST.search(f"{condition.text} {clause.text}"):
                raise PlanningError(
                    "unmapped_condition",
                    f"Could not map the condition {condition.text.strip()!r} of {clause.label}: "
                    f"the {name.replace('_', ' ')} is what {teller} works out, and no step "
                    f"before it does. Ask for that step first ('{teller.replace('_', ' ')} "
                    "..., then if ...'), or say that the value comes with the request.",
                    step=condition.text.strip(),
                    details={"reason": "unplanned_teller", "phrase": condition.text.strip()},
                )
            field_name = self._input_name(name, schema)
            if field_name not in self.input_properties:
                self.input_properties[field_name] = schema
                self.input_required.append(field_name)
            for more, more_schema in resolved.more_inputs:
                if more not in self.input_properties:
                    self.input_properties[more] = more_schema
                    self.input_required.append(more)
            if field_name != name:
                resolved = ResolvedCondition(
                    re.sub(
                        rf"\binput\.{re.escape(name)}\b", f"input.{field_name}", resolved.expression
                    ),
                    resolved.subject,
                )
        if _never_or_always(resolved.expression):
            raise PlanningError(
                "unmapped_condition",
                f"Could not map the condition {condition.text.strip()!r} of {clause.label}: "
                f"its parts read as {resolved.expression}, which never or always holds, so "
                "one part is not what the request means. Name the step that tells each part "
                "('validate the email and look up the user; if the email is valid and the user "
                "doesn't exist, ...').",
                step=condition.text.strip(),
                details={"reason": "contradiction", "phrase": condition.text.strip()},
            )
        return resolved

    def _teller_said(self, condition: Condition, clause: Clause) -> bool:
        """Whether the condition names the tool that tells it ("if sku_availability says
        ...") or writes all that tool needs ("if SKU A-1 has fewer than 5 units left"), so
        that tool is the step to plan first rather than a value to ask the run for (a tax
        rate needs an amount and a country nobody gave)."""
        text = condition.text.lower()
        if any(spec.id.lower() in text for spec in self.specs.values()):
            return True
        deciders = [spec for spec in self._deciders(condition.text) if not acts(spec)]
        if not deciders:
            return False
        said = replace(clause, action=condition.text, text=condition.text)
        literals = self._literals(deciders[0], said)
        return all(name in literals for name in deciders[0].required_inputs())

    def _fuller_field_said(self, condition: str, name: str) -> bool:
        """ "If the error rate is above 5%" read as a run input `rate` (a tax rate's name),
        "if the error rate for api is above 5%" as one called `api`: a check returns
        `error_rate`, which the condition says in full, so that check is the step to plan
        first."""
        named = {stem(word) for word in split_identifier(name)}
        return any(
            not acts(spec) and _field_in_full(condition, spec, more_than=named)
            for spec in self.specs.values()
        )

    def _tells_only(self, name: str) -> str | None:
        """The tool whose output alone has a field called `name` ("rate": calculate_tax),
        when no tool takes it as an input and it is no quantity a request brings (an order
        total)."""
        if name in QUANTITY_WORDS or any(
            name in spec.input_properties() for spec in self.specs.values()
        ):
            return None
        tellers = [spec.id for spec in self.specs.values() if name in spec.output_properties()]
        if not tellers:
            # ("if van V-7 has less than 20% fuel": `fuel_percent`, a number named by its
            # first word, of the one tool that returns it; "under 300 km": `distance_km`,
            # by the unit it ends on)
            tellers = [
                spec.id
                for spec in self.specs.values()
                if not acts(spec)
                and any(
                    (
                        split_identifier(field)[:1] == [name]
                        or (name in _UNITS and split_identifier(field)[-1:] == [name])
                    )
                    and schema_types(schema) & {"number", "integer"}
                    for field, schema in spec.output_properties().items()
                )
            ]
        return tellers[0] if len(tellers) == 1 else None

    def _repeats_a_side_effect(self, clause: Clause) -> bool:
        """Whether the step asks again for a tool that changes something and is already
        planned ("if it's under 100, charge the card; if it's more, get approval, then
        charge": the second charge is for the second case only)."""
        text = _clean_action(clause.action)
        ranked = self.rank(text) if meaningful(text) else []
        if not ranked or ranked[0][0] < self.min_score:
            return False
        spec = ranked[0][1].spec
        return not spec.config.cacheable and any(
            info.spec is not None and info.spec.id == spec.id and info.kind == "tool"
            for info in self.info.values()
        )

    def _in_arms(self) -> list[str]:
        """The steps planned inside arms this point is not in (their outputs are unseen)."""
        gates = self._gates()
        return [
            info.id
            for info in self.info.values()
            if info.kind == "tool" and not info.gates <= gates
        ]

    def _check_outcome_untold(self, condition: Condition, clause: Clause) -> None:
        """ "Send the welcome email and if the email fails, open a ticket": how a planned
        step that changes something went, when it reports no outcome, is told by no step; a
        check planned to answer it (is the address valid?) would answer another question."""
        if not speaks_of_outcome(condition.text):
            return
        words = {stem(w) for w in split_identifier(condition.text) if w.lower() not in STOP_WORDS}
        for info in self.info.values():
            spec = info.spec
            if spec is None or not acts(spec) or not words & _naming_words(spec):
                continue
            fields = spec.output_properties()
            if any("boolean" in schema_types(f) for f in fields.values() if isinstance(f, dict)):
                continue
            raise PlanningError(
                "unmapped_condition",
                f"Could not map the condition {condition.text.strip()!r} of {clause.label}: "
                f"it speaks of how {info.id} went, and {spec.id} reports no success or "
                "failure to test (a step that fails stops the run). Leave the condition out, "
                "or name a value a step tells.",
                step=condition.text.strip(),
                details={"reason": "outcome_not_reported", "phrase": condition.text.strip()},
            )

    def _check_speaks_of_unplanned(
        self, condition: Condition, clause: Clause, resolved: ResolvedCondition
    ) -> None:
        """ "Check the order, and if the payment fails, email billing": the condition speaks
        of a thing (the payment) that a tool of the catalogue makes and no planned step
        does; read as another step's verdict (the order's `valid`) it would be wrong in
        silence. Refused, naming the condition and the step that would make it."""
        read = _NODE_READ.search(resolved.expression)
        info = self.info.get(read.group(1)) if read else None
        if info is None or info.spec is None or not speaks_of_outcome(condition.text):
            return
        words = {stem(w) for w in split_identifier(condition.text) if w.lower() not in STOP_WORDS}
        planned_specs = [o.spec for o in self.info.values() if o.spec is not None]
        for missing in missing_capabilities(condition.text, info.spec):
            # "charge the card and if the refund fails ...": nothing planned refunds
            if is_channel(missing) or any(
                all(m.what != missing.what for m in missing_capabilities(condition.text, spec))
                for spec in planned_specs
            ):
                continue
            raise PlanningError(
                "unmapped_condition",
                f"Could not map the condition {condition.text.strip()!r} of {clause.label}: it "
                f"speaks of how a {missing.phrase} went, and no step planned before it does "
                f"that ({missing.what}); {info.id} cannot tell it. Say that step first, or name "
                "the step the condition reads.",
                step=condition.text.strip(),
                details={
                    "reason": "speaks_of_unplanned_step",
                    "phrase": condition.text.strip(),
                    "capability": missing.what,
                },
            )
        field = resolved.expression.split(".", 1)[-1]
        planned: set[str] = {stem(w) for w in split_identifier(field)}
        for other in self.info.values():
            if other.spec is not None:
                planned |= _naming_words(other.spec) | _all_synonyms(_naming_words(other.spec))
        for spec in self.specs.values():
            topic = {stem(w) for w in split_identifier(spec.id)[1:] if len(w) > 3}
            unplanned = (words & topic) - planned
            if (
                not unplanned
                or not acts(spec)
                or any(o.spec is not None and o.spec.id == spec.id for o in self.info.values())
            ):
                continue
            thing = next(w for w in split_identifier(condition.text) if stem(w) in unplanned)
            raise PlanningError(
                "unmapped_condition",
                f"Could not map the condition {condition.text.strip()!r} of {clause.label}: it "
                f"speaks of the {thing}, which {spec.id} ({spec.name}) makes, and no step "
                f"planned before it does; {info.id} cannot tell it. Say that step first "
                f"('{spec.name.lower()}, and if it fails, ...'), or name the step the "
                "condition reads.",
                step=condition.text.strip(),
                details={
                    "reason": "speaks_of_unplanned_step",
                    "phrase": condition.text.strip(),
                    "tool": spec.id,
                },
            )

    def _reads_another_step(self, text: str, resolved: ResolvedCondition) -> bool:
        """Whether the condition names a planned step by its tool's words ("the welcome
        email") and reads none of them, but a field of another step."""
        read = _NODE_READ.search(resolved.expression)
        info = self.info.get(read.group(1)) if read else None
        if info is None or info.spec is None:
            return False
        words = {stem(w) for w in split_identifier(text) if w not in STOP_WORDS}

        def named(spec: ToolSpec) -> int:
            return len(words & {stem(w) for w in split_identifier(spec.id)})

        if named(info.spec) or _done_by(text, info.spec):
            return False
        # "if they exist and the email is valid": each part reads a step of its own
        read_tools = {
            spec.id
            for name in _NODE_READ.findall(resolved.expression)
            if name in self.info and (spec := self.info[name].spec) is not None
        }
        field = resolved.expression.split(".", 1)[-1]
        said_of_read = _naming_words(info.spec) | {stem(w) for w in split_identifier(field)}
        gates = self._gates()
        return any(
            other.spec is not None
            and other.spec.id not in read_tools
            and (
                named(other.spec) > 1
                or _done_by(text, other.spec)
                # "ship it if the payment went through" where the charge sits in an arm
                # closed before: the payment, not the stock check seen from here
                or (
                    not other.gates <= gates
                    and bool(words & _naming_words(other.spec))
                    and not words & said_of_read
                )
            )
            for other in self.info.values()
        )

    def _partly_decided(self, text: str) -> bool:
        """Whether a part of "A and B" / "A or B" reads a value a step before made."""
        parts = [p for p in re.split(r"\s+(?:and|or)\s+", text) if p.strip()]
        if len(parts) < 2:
            return False
        sources = [s for s in self._sources(for_condition=True) if s.node is not None]
        return any(resolve_condition(part, sources) is not None for part in parts)

    def _verdict(self, condition: Condition) -> ResolvedCondition | None:
        """ "Find out whether the email is deliverable; if it's not, ...": the yes/no outcome
        of the step that was asked to find out (`validate_email.valid`)."""
        step = self._step_that_asked(condition) or self.last_step
        sources = [s for s in self._sources(for_condition=True) if s.node == step]
        return resolve_condition("it passes", sources, negate=condition.negate)

    def _step_that_asked(self, condition: Condition) -> str | None:
        """The step planned to find out `condition` ("check whether it's deliverable; if it
        is, ...; if it isn't, ..."): the second answer reads it too, not the step between."""
        asked = condition.text.strip().lower()
        for info in sorted(self.info.values(), key=lambda i: -i.order):
            said = info.clause.asks if info.clause is not None else None
            if info.kind == "tool" and said is not None and said.text.strip().lower() == asked:
                return info.id
        return None

    def _check_before(
        self, target_id: str, condition: Condition, clause: Clause
    ) -> ResolvedCondition | None:
        """The step that tells `condition`, planned first and moved before `target_id` (a
        step already planned that an approval on the condition must come before)."""
        cursor, last_step, count = self._cursor().copy(), self.last_step, len(self.nodes)
        resolved = self._check_first(Condition(condition.text, condition.negate), clause)
        added = self.nodes[count:]
        if resolved is None or len(added) != 1:
            return resolved if resolved is None else None
        check = added[0]
        target = next(n for n in self.nodes if n["id"] == target_id)
        del self.nodes[count:]
        if target.get("after"):
            check["after"] = list(target["after"])
        else:
            check.pop("after", None)
        self.nodes.insert(self.nodes.index(target), check)
        self._advance(cursor)
        self.last_step = last_step
        return resolved

    def _check_first(self, condition: Condition, clause: Clause) -> ResolvedCondition | None:
        """ "If the sentiment is negative, open a ticket" with nothing upstream to tell: the
        tool that tells (one that changes nothing and whose output the condition reads) is
        planned first, as its own step."""
        if _FROM_REQUEST.search(f"{condition.text} {clause.text}"):
            return None  # the value comes with the request
        # ("unless it's invalid": not valid, as the check that tells it says)
        condition = replace(condition, text=_INVALID_SAID.sub(r"\g<be> not valid", condition.text))
        if clause.for_each:
            # "for each review, if it's negative, create a ticket": a check planned here
            # would judge one text for all the items; the loop needs a step that judges each
            raise PlanningError(
                "unmapped_condition",
                f"Could not map the condition {condition.text.strip()!r} of {clause.label}: "
                f"inside the loop over each {clause.for_each}, no step of the loop tells it. "
                f"Say the step that judges each {clause.for_each} first ('for each review, "
                "analyze its sentiment and if it's negative, create a ticket').",
                step=condition.text.strip(),
                details={"reason": "condition_in_loop", "phrase": condition.text.strip()},
            )
        said_in = next(
            (
                sentence
                for sentence in re.split(r"(?<=[.!?])\s+", self.request)
                if condition.text in sentence
            ),
            clause.text,
        )
        if self.last_step is not None and re.search(r"\binstead\b", said_in, re.I):
            # "charge the card; if it's out of stock, email them instead": a check planned
            # now would come after the charge it should stop
            return None
        if _SAID_OF_STEPS_BEFORE.search(condition.text) or _OUTCOME_OF_IT.match(condition.text):
            # "if either returns an error", "if it returns an error": the steps before,
            # not a new check
            return None
        partly = self._check_the_rest_first(condition, clause)
        if partly is not None:
            return partly
        made = self._planned_tools()
        asked = condition.text
        topic, thing = self.topic, None
        if not topic and _LEADING_PRONOUN.match(asked):
            # "charge the card if it's valid": the thing the step works on
            object_said = _LAST_OBJECT.search(clause.action or "")
            thing = object_said.group(1).lower() if object_said else None
        if not topic and thing is None and _CHECK_WITHOUT_ITS_THING.match(asked):
            # "only charge order 5003 if validation passes": the check is of the order
            thing = next(
                (
                    word.lower()
                    for word in re.findall(r"[A-Za-z]+", clause.action or "")
                    if word.lower() in self.topic_words
                ),
                None,
            )
        said = _LEADING_PRONOUN.match(asked)
        if (topic or thing) and said is not None:
            # "ship the order if it's valid": the check is of the order
            verb = {"'s": " is", "'re": " are"}.get((said.group("verb") or "").lower(), "")
            asked = f"the {topic or thing}{verb} {asked[said.end() :]}"
        # ("the error rate": a tool returning `error_rate` before one returning `errors`)
        deciders = sorted(self._deciders(asked), key=lambda spec: not _field_in_full(asked, spec))
        # ("if the checks on acme/api PR 61 pass": the reader that takes what the condition
        # writes, the pull request's repo and number, before a stock check asking its lines)
        deciders.sort(key=lambda spec: not self._inputs_said_in(spec, condition))
        if len(self._handles_in(asked)) == 1:
            # "if mpatel's account is suspended": the tool that reads an account by its
            # sign-in name tells it (the demo's user lookup asked the run for an id)
            deciders.sort(key=lambda spec: not _takes_a_handle(spec))
        # "if the payment for order 44 fails": the outcome of a step that does something
        # (a charge), which no check of the order tells
        subject = re.match(r"\s*(?:the|its|their|his|her|a|an)\s+([a-z]+)\b", condition.text, re.I)
        named = {
            spec.id: acts(spec)
            for spec in self.specs.values()
            if subject is not None and subject.group(1).lower() in split_identifier(spec.id)[1:]
        }
        # (only a thing a check never names: "the email" is also what validate_email checks)
        done_by = set(named) if named and all(named.values()) else set()
        for spec in deciders:
            # a check that changes nothing, cached or not (stock changes by the minute)
            if spec.id in made or acts(spec):
                continue
            if done_by and subject is not None and subject.group(1).lower() not in spec.id:
                continue
            # (what a quote says is the text judged: "still no refund" asks for no refund)
            if missing_capabilities(without_quotes(asked), spec):
                continue  # "if the fraud score is low": a sentiment score says nothing of it
            words = tuple(split_identifier(spec.id))
            trial = output_sources(
                spec.id, spec.output_schema, context=words, whole_names=words[-1:]
            )
            tried = resolve_condition(condition.text, trial, negate=condition.negate)
            number = _the_one_number_compared(
                spec, condition, trial, of_what_is_said=self._inputs_said_in(spec, condition)
            )
            if self.numbers_only and number is None:
                continue
            if tried is None or tried.new_input is not None or self.numbers_only:
                tried = number or tried
            if (
                thing
                and thing not in _PEOPLE
                and any(
                    word in self.topic_words and stem(word) != stem(thing)
                    for word in split_identifier(spec.id)[1:]
                )
                and not (tried is not None and self._only_it_tells(tried, spec, condition.text))
            ):
                continue  # "charge the card if it's valid": an email check says nothing of it
            # ("if it's snowing in Berlin": the weather a lookup describes in words)
            weather = tried is not None and weather_said(condition.text) and (
                tried.subject in WEATHER_FIELDS
            )
            if tried is None or not (
                weather
                or _literals_in_enums(tried.expression, spec.output_schema)
                or _service_state(condition.text, tried, spec.output_schema)
            ):
                continue  # "email != 'invalid'" on a lookup says nothing of validity
            if not weather and not _says_the_field(
                said_of_a_record(condition.text), tried.expression
            ) and not (
                _A_RECORD_SAID.search(condition.text)
                and re.search(r"\.(?:found|exists)$", tried.expression.lstrip("!"))
            ):
                continue  # "the order is paid" read as the order's `valid`: not what it says
            if _SAYS_A_COMPARISON.search(condition.text) and not re.search(
                r"[<>]", tried.expression
            ):
                # "if their account is older than a year": a category named "account" says
                # nothing of how old it is
                continue
            check = replace(
                _helping(clause),
                text=condition.text,
                action=f"check {condition.text}",
                condition=None,
            )
            self._fetch_first(check, spec)
            check_id = self._tool_node(check, spec)
            self._codes_of_the_step(check_id, spec, clause)
            return resolve_condition(
                condition.text, self._sources(for_condition=True), negate=condition.negate
            )
        return None

    def _a_check_asks_of(self, condition: Condition) -> bool:
        """Whether a tool that changes nothing takes everything it needs from the
        condition's own words ("the temperature in Oslo": a weather lookup's city)."""
        return any(
            not acts(spec) and self._inputs_said_in(spec, condition)
            for spec in self._deciders(condition.text)
        )

    def _inputs_said_in(self, spec: ToolSpec, condition: Condition) -> bool:
        """Whether the condition writes every input `spec` needs ("the price of AAPL": the
        symbol), so the step that tells it asks of what the condition names."""
        return self._inputs_written_in(spec, condition.text)

    def _inputs_written_in(self, spec: ToolSpec, text: str) -> bool:
        """Whether `text` writes every input `spec` needs (and it needs some)."""
        clause = Clause(number=0, text=text, action=text, sentence=0)
        required = spec.required_inputs()
        literals = self._literals(spec, clause)
        return bool(required) and all(name in literals for name in required)

    def _only_it_tells(self, tried: ResolvedCondition, spec: ToolSpec, condition: str) -> bool:
        """ "Ship the order if it's in stock": the condition says every word of a field only
        `spec` returns (`in_stock`), so the check is of the thing the step works on,
        whatever the tool's own noun (inventory)."""
        field_words = split_identifier(tried.subject or "")
        said = {stem(w) for w in re.findall(r"[a-z]+", condition.lower())}
        # ("out of stock" says `in_stock` too: its words but the particle)
        named = [w for w in field_words if w not in {"in", "is", "has", "on"}]
        if len(field_words) < 2 or not named or not all(stem(w) in said for w in named):
            return False
        return not any(
            tried.subject in other.output_properties()
            for other in self.specs.values()
            if other.id != spec.id
        )

    def _tool_named_by_its_verb(self, text: str) -> str | None:
        """The one tool whose own verb the condition says as a noun ("the fetch of
        https://..."), if any: what that step returns is what the condition judges."""
        said = {stem(word) for word in meaningful(text)}
        tools = [
            spec.id
            for spec in self.specs.values()
            if _tool_verb(spec.id) in said and _tool_verb(spec.id) not in _WEAK_VERBS
        ]
        return tools[0] if len(tools) == 1 else None

    def _said_of_each_item(self, condition: Condition) -> ResolvedCondition | None:
        """ "Fetch A and B; if either returns an error, ...": said of the items the last
        loop made, any of them (`fetch_url.exists(r, r.status_code >= 400)`) or, for
        "both" / "all of them", every one."""
        said = _SAID_OF_STEPS_BEFORE.search(condition.text)
        info = self.info.get(self.last_step or "")
        if said is None or info is None or info.kind != "map" or info.spec is None:
            return None
        text = _SAID_OF_STEPS_BEFORE.sub("it", condition.text)
        sources = output_sources("r", info.spec.output_schema)
        each = resolve_condition(text, sources)
        if each is None or each.new_input is not None:
            return None
        every = said.group(0).lower() in ("both", "all of them")
        expression = f"{info.id}.{'all' if every else 'exists'}(r, {each.expression})"
        if said.group(0).lower() == "neither":
            expression = f"!{expression}"
        return ResolvedCondition(
            _opposite_of(expression) if condition.negate else expression, each.subject
        )

    def _check_the_rest_first(
        self, condition: Condition, clause: Clause
    ) -> ResolvedCondition | None:
        """ "If the address is fine and they aren't in our system yet": a step before tells
        one part; the tool that tells each other part is planned first, then the whole is
        read."""
        parts = [p for p in re.split(r"\s+and\s+", condition.text) if p.strip()]
        if len(parts) < 2:
            return None
        sources = self._sources(for_condition=True)
        # each part read where it is said, before the checks planned for the others (a
        # lookup planned now is not what "the address is fine" speaks of)
        read = [resolve_condition(part, sources) for part in parts]
        if all(read) or not any(read):
            return None
        for at, part in enumerate(parts):
            if read[at] is None:
                read[at] = self._check_first(Condition(part), clause)
                if read[at] is None:
                    return None
        sources = self._sources(for_condition=True)
        for at, part in enumerate(parts):
            # "if the sentiment is positive and the score is above 0.8": the score the
            # check planned for the other part tells, not one the run is asked for
            again = resolve_condition(part, sources)
            was = read[at]
            if (
                was is not None
                and again is not None
                and "input." in was.expression
                and "input." not in again.expression
            ):
                read[at] = again
        both = " && ".join(f"({r.expression})" for r in read if r is not None)
        first = next(r for r in read if r is not None)
        return ResolvedCondition(f"!({both})" if condition.negate else both, first.subject)

    def _codes_of_the_step(self, node_id: str, spec: ToolSpec, clause: Clause) -> None:
        """ "Charge order A-1001 unless it fails validation": the check planned for the
        condition is of the same order, so it takes the code the step writes rather than
        asking for one when the run starts."""
        node = next(node for node in self.nodes if node["id"] == node_id)
        inputs = node.setdefault("inputs", {})
        # ("if the pet is a cat, record fvrcp for P-9": the code alone, by its letters, in
        # the step the condition guards)
        guarded = self.guarded.action if clause.condition_only and self.guarded else ""
        codes = {
            **codes_by_their_letters(
                spec.input_properties(), spec.required_inputs(), clause.action or guarded, {}
            ),
            **_identifier_literals(spec.input_properties(), clause.text, {}),
        }
        codes.update(_code_of_its_thing(spec, clause.action or guarded, codes))
        quoted = quoted_texts(self.request)
        if len(quoted) == 1 and _A_TEXT_NAMED.search(clause.text):
            # ("if the review is negative open a ticket: 'the barista was rude'": the review
            # checked is the one text the request quotes)
            texts = [n for n in spec.input_properties() if n in _READ_TEXT_INPUTS]
            codes.update({name: json.dumps(quoted[0]) for name in texts})
        for name, literal in codes.items():
            asked = inputs.get(name, "")
            if asked.startswith("input."):
                inputs[name] = literal
                self._drop_unread_input(asked)
        # "never send the welcome email to ann@x.com if her address is disposable": the
        # check is of the one address the step writes
        action = clause.action
        if (
            clause.condition_only
            and self.guarded is not None
            and not _TELLS_SOMEONE.match(self.guarded.action)
        ):
            # "unless the email is disposable, send the welcome email to kim@x.io": the
            # step the condition guards writes it ("email ops@acme.com" tells someone else)
            action = self.guarded.action
        addresses = list(dict.fromkeys(EMAIL_ADDRESS.findall(action or "")))
        emails = [n for n in spec.input_properties() if "email" in split_identifier(n)]
        if (
            len(addresses) == 1
            and len(emails) == 1
            and emails[0] not in inputs
            and not spec.required_inputs()
        ):
            # ("send the welcome email to pat@x.io unless they already have an account": a
            # lookup by id or email looks up that address, not an id asked of the run)
            for name, asked in list(inputs.items()):
                if asked.startswith("input."):
                    del inputs[name]
                    self._drop_unread_input(asked)
            inputs[emails[0]] = "input.email"
        if len(addresses) == 1 and len(emails) == 1:
            asked = inputs.get(emails[0], "")
            if asked.startswith("input."):
                inputs[emails[0]] = json.dumps(addresses[0])
                self._drop_unread_input(asked)
        # ("email jo@x.io the summary of https://… unless the page fails to load": that page)
        written = re.findall(r"https?://\S+", action or "")
        urls = list(dict.fromkeys(u.rstrip(".,;)") for u in written))
        links = [n for n in spec.input_properties() if "url" in split_identifier(n)]
        if len(urls) == 1 and len(links) == 1:
            asked = inputs.get(links[0], "")
            if asked.startswith("input."):
                inputs[links[0]] = json.dumps(urls[0])
                self._drop_unread_input(asked)
        # ("book P-310 for imaging unless it's not covered": the coverage of imaging, the
        # one value of the check's list the step writes)
        for name, schema in spec.input_properties().items():
            asked = inputs.get(name, "")
            said = _one_listed_value_said(unwrap_nullable(schema), action or "")
            if asked.startswith("input.") and said is not None:
                inputs[name] = json.dumps(said)
                self._drop_unread_input(asked)

    def _deciders(self, condition: str) -> list[ToolSpec]:
        """Tools that may tell whether `condition` holds, best first: ranked on the whole
        condition, then on what it says of its subject ("the customer is upset": upset),
        then those with an output field the condition names ("disposable"). A condition
        that names a tool by its verb ("if the fetch of ... returns an error") has that tool
        alone to tell it."""
        by_verb = self._tool_named_by_its_verb(condition)
        if by_verb is not None:
            return [self.specs[by_verb]]
        said = _PREDICATE.split(condition, maxsplit=1)
        texts = [condition, said[-1]] if len(said) > 1 and meaningful(said[-1]) else [condition]
        found: dict[str, ToolSpec] = {}
        for text in texts:
            for score, item in self.rank(text):
                if score < self.min_score:
                    break
                found.setdefault(item.spec.id, item.spec)
        # ("if they're not in our system": what a lookup's `found` says)
        named = {stem(word) for word in meaningful(said_of_a_record(condition))}
        # ("a throwaway address": the field `disposable`, by a word of the same meaning)
        named |= {other for word in set(named) for other in synonyms(word)}
        if "%" in condition:
            # ("if AAPL drops more than 3%": a change in percent, `change_pct`)
            named |= {stem("pct"), stem("percent")}
        if re.search(r"\bdegrees?\b", temperatures_said(condition, [])):
            named |= {stem("temp"), stem("temperature")}  # ("below freezing": `temp_c`)
        if weather_said(condition):
            # ("if it's snowing in Berlin": what a weather lookup describes, its `conditions`)
            named |= {stem("conditions"), stem("weather"), stem("forecast")}
        for spec in self.specs.values():
            fields = spec.output_properties()
            if named & {stem(word) for name in fields for word in split_identifier(name)}:
                found.setdefault(spec.id, spec)
        if _SERVICE_STATE.search(condition):
            # "when the api is down": a health check tells it (its `status`)
            for spec in self.specs.values():
                said_of = set(split_identifier(f"{spec.id} {spec.description}"))
                if _HEALTH_WORDS & said_of and _STATUS_FIELDS & set(spec.output_properties()):
                    found.setdefault(spec.id, spec)
        for spec in self.specs.values():
            # ("if avg:system.cpu.user{host:web-1} is above 90": a reader of what the
            # condition writes in the shape of its input's example)
            if not acts(spec) and self._inputs_written_in(spec, condition):
                found.setdefault(spec.id, spec)
        values = {word.lower() for word in meaningful(condition)}
        for spec in self.specs.values():
            # "if it's urgent": the tool with an output that can say "urgent"
            if values & output_values(spec.output_schema):
                found.setdefault(spec.id, spec)
        if _A_RECORD_SAID.search(condition):
            # "unless they already have an account": a lookup finds them (its `found`),
            # not a category named "account"
            lookups = [s for s in self.specs.values() if _FOUND_FIELDS & set(s.output_properties())]
            if lookups:
                return [*lookups, *(s for s in found.values() if s not in lookups)]
        return self._told_of_the_code_first(condition, list(found.values()))

    def _told_of_the_code_first(self, condition: str, deciders: list[ToolSpec]) -> list[ToolSpec]:
        """ "Is truck TRK-14 available?": of the tools that may tell it, the one whose
        output the condition names (`available`) and whose id the code written fills
        (`vehicle_id`) comes first, before one that only shares a word (check_inventory's
        "unavailable", whose lines nobody wrote)."""
        if not _CODE_IN_TEXT.search(condition) or len(deciders) < 2:
            return deciders
        said = {stem(word) for word in meaningful(condition)}
        clause = Clause(number=0, text=condition, action=condition, sentence=0)
        told = [
            spec
            for spec in deciders
            if said & {stem(name) for name in spec.output_properties()}
            and spec.required_inputs()
            and all(name in self._literals(spec, clause) for name in spec.required_inputs())
        ]
        if len(told) != 1:
            return deciders
        return [told[0], *(spec for spec in deciders if spec is not told[0])]

    def _continue_on_reject(self) -> None:
        """ "If they reject it, email the customer": a branch on an approval's rejection
        runs only if the approval lets its descendants run when rejected (`on_reject:
        continue`); the other steps after the approval then run only when it was approved."""
        by_id = {node["id"]: node for node in self.nodes}
        for branch in [node for node in self.nodes if node.get("type") == "branch"]:
            match = _REJECTED.match(branch.get("condition", ""))
            approval = by_id.get(match.group(1)) if match else None
            if approval is None or approval.get("type") != "approval":
                continue
            if approval.get("on_reject") != "skip":
                continue
            approval["on_reject"] = "continue"
            start = self.nodes.index(approval)
            arm = set(branch.get("then", [])) | set(branch.get("else", []))
            guarded = set()
            for node in self.nodes[start + 1 :]:
                if (
                    node is branch
                    or node["id"] in arm
                    or node.get("type")
                    not in (
                        "tool",
                        "map",
                        "approval",
                    )
                ):
                    continue
                guard = f"{approval['id']}.approved"
                node["when"] = f"{guard} && ({node['when']})" if node.get("when") else guard
                guarded.add(node["id"])
            branch["after"] = [a for a in branch.get("after", []) if a not in guarded]
            # after an approval only some runs need, the join past it runs only when it was
            # approved or not asked: the rejection's branch waits for the approval itself
            passed = [
                a
                for a in branch["after"]
                if by_id.get(a, {}).get("type") == "value"
                and f"{approval['id']}.approved" in str(by_id[a].get("when", ""))
            ]
            if passed:
                kept = [a for a in branch["after"] if a not in passed]
                branch["after"] = list(dict.fromkeys([*kept, approval["id"]]))

    def _stop_if(self, clause: Clause) -> None:
        """ "Validate the order; if it's invalid, stop": what comes after runs only when the
        condition does not hold (`_gate_rest`, once every step is planned)."""
        if not self.stops_allowed or clause.condition is None:
            return
        condition = clause.condition
        checked_by = self.info[self.last_step].clause if self.last_step in self.info else None
        if condition.checked and (checked_by is None or checked_by.text != clause.text):
            # the check planned no step of its own: no verdict of another step answers it
            condition = replace(condition, checked=False)
        resolved = self._resolve(condition, clause, check_first=True)
        if resolved is not None:
            self.stops.append((len(self.nodes), resolved, clause))

    def _gate_rest(self, at: int, resolved: ResolvedCondition, clause: Clause) -> None:
        """A branch before the nodes planned from `at` on: those that wait for none of
        the others run in its else arm, and the rest after them."""
        while at < len(self.nodes) and _is_join(self.nodes[at]):
            at += 1  # the join of a branch planned before the stop ("stop and email ...")
        later = self.nodes[at:]
        later_ids = {node["id"] for node in later}
        if not later:
            return
        in_arms = {
            node_id
            for node in self.nodes
            if node.get("type") == "branch"
            for node_id in [*node.get("then", []), *node.get("else", [])]
        }
        entries = [
            node
            for node in later
            if not (_references(node) | set(node.get("after", ()))) & later_ids - {node["id"]}
        ]
        if not entries or any(node["id"] in in_arms for node in entries):
            return  # already the arm of a branch: left as the request's other steps are
        assert clause.condition is not None
        branch_id = self._unique_id(f"stop_if_{_slug(resolved.subject)}")
        branch = {
            "id": branch_id,
            "type": "branch",
            "title": _title(f"Stop if {clause.condition.text}"),
            "condition": resolved.expression,
            "then": [],
            "else": [node["id"] for node in entries],
        }
        for node in entries:
            node["after"] = list(dict.fromkeys([*node.get("after", []), branch_id]))
        self.nodes.insert(at, branch)

    def _flag_condition(self, condition: Condition) -> ResolvedCondition:
        """A condition nothing upstream can decide becomes a yes/no field of the run input."""
        text = re.sub(r"\([^)]*\)", " ", condition.text)
        words = [w for w in meaningful(text) if w not in ("is", "are", "has", "have")]
        name = _slug("_".join(words[:3]) or "condition")
        name = self._input_name(name, {"type": "boolean"})
        schema = {"type": "boolean", "description": f"Whether {text.strip()}"}
        expression = f"!input.{name}" if condition.negate else f"input.{name}"
        return ResolvedCondition(expression, name, new_input=(name, schema))

    def _unique_id(self, base: str) -> str:
        candidate = _slug(base)
        if candidate in _RESERVED:
            candidate = f"{candidate}_step"
        number = 2
        unique = candidate
        while unique in self.info:
            unique = f"{candidate}_{number}"[:64]
            number += 1
        return unique


_RESERVED = frozenset({"input", "item", "index", "source"})
#: "email the customer a thank-you note": a message whose words the request implies
_COURTESY_SENT = re.compile(
    r"\b(?:a|an)\s+(?P<kind>thank-you|thank\s+you)"
    r"(?:\s+(?:note|email|e-mail|message|letter))?\b",
    re.IGNORECASE,
)
#: What a customer gave that a thank-you is for
_COURTESY_ABOUT = re.compile(
    r"\b(?:feedback|review|order|purchase|payment|message|support|patience)\b", re.IGNORECASE
)
_BODY_INPUTS = ("body", "message", "text", "content")
#: "email the employee the reason", "tell them why": why something was decided
_REASON_ASKED = re.compile(
    r"\b(?:the|their|his|her|its)\s+(?:reason|reasons|comment|comments|feedback)\b|\bwhy\b",
    re.IGNORECASE,
)
_SOME_ONE = re.compile(r"^\s*(?:a|an|any|some|every|each)\b", re.IGNORECASE)
#: "post it to #ops", "email the result to them": a step that sends on what came before.
#: "post both", "email them all", "send everything": what several steps made, together.
_SENDS_ALL_ON = re.compile(
    r"^(?:forward|send|pass|post|text|share|publish|message|email|e-mail|mail|sms|slack)\s+"
    r"(?:me\s+|us\s+)?(?:both|them(?:\s+(?:both|all))?|all\s+of\s+(?:them|it)|everything|"
    r"the\s+results?)\b",
    re.IGNORECASE,
)
#: "post the weather to #general", "email me the quote": a thing sent, named by a word
#: "post the email in #signups", "send their member id to ops": a value named, then where
_SAID_VALUE_SENT = re.compile(
    r"^(?:post|send|share|text|message|slack)\s+(?:the|their|his|her|its)\s+"
    r"(?P<what>[a-z]+(?:\s+[a-z]+)?)\s+(?:in|to|on|into)\b",
    re.IGNORECASE,
)
_SENDS_ITS_THING = re.compile(
    r"^(?:post|send|share|text|message|email|e-mail|mail|slack)\s+(?:me\s+|us\s+)?"
    r"(?P<what>the\s+(?:current\s+|latest\s+|new\s+)?(?P<noun>[a-z]+))\b(?!\s+(?:of|in|for)\b)",
    re.IGNORECASE,
)
_SENDS_IT_ON = re.compile(
    r"^(?:forward|send|pass|post|text|share|publish|message|tweet|email|e-mail|mail|sms|"
    r"add|append|log|record|save|write|store)\s+"
    # ("text them a reminder": them is who it goes to, the reminder what is sent)
    r"(?P<what>it|this|that|them(?!\s+(?:a|an|the|our|your|this|that|some)\b)|these|those|"
    r"each(?:\s+one)?|the\s+results?|the\s+outputs?|"
    r"the\s+answers?|"
    # "calculate the VAT and email the breakdown": what the step before worked out
    # ("check the zone's climate and email the readings": what the check read)
    r"the\s+(?:breakdown|figures|numbers|findings|details|outcome|calculation|readings|"
    r"measurements|stats|statistics|metrics)|"
    # "email their record to ops": what a lookup found about them
    r"(?:their|its|his|her)\s+(?:record|details|info|information|data|profile)s?)"
    r"\b(?!\s+(?:is|was|are|were)\b)",
    re.IGNORECASE,
)
#: "tell the customer whether their shipment was created": whether the step before did it.
_TOLD_WHETHER_DONE = re.compile(
    r"\b(?P<lead>(?:tell|notify|inform|let)\s+(?:me|us|them|him|her|the\s+[a-z]+|[\w.+-]+@[\w.-]+"
    r"|#[\w-]+)(?:\s+(?:in|on|via)\s+[A-Z]\w+)?\s+(?:know\s+)?)whether\s+"
    r"(?:it|they|(?:the|their|its|his|her|our)\s+[a-z]+)\s+(?:was|were|has\s+been|have\s+been|got)\s+"
    r"(?:created|made|sent|shipped|done|charged|processed|opened|booked|paid|completed|"
    r"delivered|posted|added|updated|saved)\b",
    re.IGNORECASE,
)
#: "tell #releases whether it's up", "let ops know if it passed": the verdict of the step
#: before is what the message says.
_TELLS_WHETHER = re.compile(
    r"^(?:tell|inform|notify|let|update|message|ping|post\s+to)\b[^.;!?]*?\b(?P<what>whether|if)\s+"
    r"(?:it|they|the\s+[a-z]+)(?:'s|'re|\s+(?:is|are|was|were|passed|failed|succeeded|worked))\b",
    re.IGNORECASE,
)
#: The input that carries what is sent, in the order they are taken (never the subject).
#: "the priority the classifier returns", "the category that the validator gives": a value
#: a tool gives, named by what it is (an agent noun).
_AGENT_GIVES = re.compile(
    r"\b(?P<field>[a-z_]+)\s+(?:that\s+|which\s+|is\s+(?:the\s+one|what)\s+)?(?:the|our)\s+"
    r"(?:[a-z]+\s+)?"
    r"(?P<agent>[a-z]+(?:ier|izer|iser|er|or))\s+(?:returns?|gives?|says|assigns?|suggests?|"
    r"picks?|finds?|found|detects?|detected|decides?|decided|sets?|comes\s+back\s+with)\b",
    re.IGNORECASE,
)
#: How an agent noun ends, and what its verb ends with instead: classifier -> classify,
#: summarizer -> summarize, validator -> validate, checker -> check.
_AGENT_ENDS = (
    ("ier", "y"),
    ("izer", "ize"),
    ("iser", "ise"),
    ("ator", "ate"),
    ("er", ""),
    ("or", ""),
)
#: How a request for a flow is asked, before its steps: "Hey, could you set up something
#: that", "I need a workflow that", "please build an automation to".
_ASKED_FOR_A_FLOW = re.compile(
    r"^\W*(?:(?:hey|hi|hello)(?:\s+there)?\s*[,!.]?\s*)?(?:please\s+)?"
    r"(?:(?:could|can|would|will)\s+(?:you|u)\s+(?:please\s+)?|i\s+(?:need|want|would\s+like)\s+"
    r"|we\s+(?:need|want)\s+)?"
    r"(?:(?:to\s+)?(?:set\s+up|create|build|make|write|automate)\s+(?:me\s+|us\s+)?)?"
    r"(?:something|a\s+thing|an?\s+(?:new\s+)?(?:flow|workflow|automation|pipeline|process|bot|job))"
    # ("can you make an automation: when ...", "a workflow where ...", "... for this: ...")
    r"(?:\s+(?:that|which|to|where|in\s+which)\s+|\s*(?:for\s+this\s*)?[:\-\u2014]\s*|\s+for\s+this"
    r"\s*[:\-\u2014]?\s*)(?=[a-zA-Z])",
    re.IGNORECASE,
)
#: "international orders", "anything going abroad": what is approved only when it goes to
#: another country.
_GOES_ABROAD = re.compile(
    r"\b(?:international|overseas|foreign|cross-border)\s+(?:orders?|shipments?|parcels?|"
    r"packages?|deliveries|payments?|transfers?)\b|\b(?:anything|orders?|shipments?|parcels?)\s+"
    r"(?:going\s+|shipped\s+|sent\s+|that\s+(?:go|ships?)\s+)?(?:abroad|overseas|internationally)\b",
    re.IGNORECASE,
)
#: "which ones are down", "which of them are invalid", "which pages failed": the items of
#: a loop a message lists, by a quality their results tell.
#: "tell me how many were invalid", "email ops how many of them are down".
#: "... are down", "... were invalid": the quality some of a loop's items have, up to what
#: the message says next (how it goes, or the end of the clause).
_ITEMS_ARE = (
    r"\s+(?:are|were|is|was)\s+(?P<quality>[a-z]+(?:\s+[a-z]+){0,2}?)"
    r"(?=\s+(?:by|to|via|at|on|in\s+(?:an?|one|a\s+single))\b|\s*[,;.!()]|\s*$)"
)
_HOW_MANY = re.compile(rf"\bhow\s+many(?:\s+(?:of\s+them|[a-z]+s))?{_ITEMS_ARE}", re.IGNORECASE)
#: ("tell me which are invalid": which of them, the noun left out)
_WHICH_ONES = re.compile(
    rf"\bwhich(?:\s+(?:ones|of\s+them|(?:[a-z]+s)))?{_ITEMS_ARE}", re.IGNORECASE
)


def _named_by_its_lines(fields: Mapping[str, Any]) -> str | None:
    """ "which orders are out of stock" when a stock check's result names no order: the
    SKUs of its lines (a list of the result whose entries have a naming field) say which."""
    for listed, schema in fields.items():
        entries = schema.get("items") if isinstance(schema, dict) else None
        properties = (entries or {}).get("properties") if isinstance(entries, dict) else None
        if schema.get("type") != "array" or not isinstance(properties, dict):
            continue
        name = next((f for f in _NAMING_FIELDS if f in properties), None)
        if name is not None:
            return f'r.{listed}.map(l, string(l.{name})).join(", ")'
    return None


#: The fields that name an item in a list of results, best first.
#: Words of output fields too common to say which tool's output a request speaks of
_GENERIC_FIELD_WORDS = frozenset(
    "email name first last status type date time found valid user users count total".split()
)
_NAMING_FIELDS = ("url", "email", "order_id", "sku", "id", "name", "title")
_SENT_CONTENT = ("body", "message", "text", "content", "description", "note")
#: Words of an input's name that make it what a message says (`msg`, `message_text`).
_SAID_WORDS = frozenset({"body", "message", "msg", "text", "content"})
#: "... for TRK-3: brakes grinding": words (no quote) a step ends on after a colon
_TOLD_AFTER_A_COLON = re.compile(r":\s+(?P<told>[A-Za-z][^:;'\"“”]{2,}?)\s*[.!]?$")
#: "open a ticket for sam@x.io, can't reset my password", "log an outage at 55 Birch Lane,
#: no power since 6pm": what is wrong, said after a comma as a complaint (a negation or the
#: writer's own words first), no step
_COMPLAINT_AFTER_A_COMMA = re.compile(
    r",\s+(?P<told>(?:no|not|can't|cannot|won't|doesn't|isn't|wasn't|my|our|i|i'm|it's)\s+"
    r"[^,;.!?]+?)\s*(?=[,;.!?]|$)",
    re.IGNORECASE,
)


def _complaint_told(
    clause: Clause, spec: ToolSpec, literals: Mapping[str, str]
) -> tuple[str, str] | None:
    """(input, words) for a complaint said after a comma of a step that makes a record
    with a text of its own (its `description`, `body`): what the record says."""
    match = _COMPLAINT_AFTER_A_COMMA.search(clause.action or "")
    if match is None or clause.quoted or not acts(spec):
        return None
    said = next((n for n in _said_inputs(spec.input_properties()) if n not in literals), None)
    return (said, match["told"]) if said is not None else None


#: Inputs that, named by that word alone, hold what a step says is wrong or asked.
_SAID_ALONE = ("issue", "problem", "details", "comment", "complaint", "request")


#: "..., the donor was charged twice", "they were billed 3 times": what happened, said in
#: the passive right before the count
_HAPPENED_BEFORE = re.compile(
    r"\b(?:was|were|been|got|get|gets|is|are)\s+(?:\w+\s+)?\w+ed\s*$", re.IGNORECASE
)


def _check_not_repeated(clause: Clause, spec: ToolSpec) -> None:
    """ "Charge the card twice": a step that changes something, asked for more than once
    with nothing to tell the calls apart, is refused rather than planned once (a retry is
    a setting of its own: "retry it 3 times")."""
    # (not inside what is said: 'body "Customer was charged twice"', "as the subject: 'I was
    # charged three times'")
    action = without_quotes(clause.action)
    said = _TIMES_OVER.search(action)
    if said is None or not acts(spec) or _RETRY_WORDS.search(clause.text):
        return
    if _HAPPENED_BEFORE.search(action[: said.start()]):
        return  # "refund DON-5521, the donor was charged twice": why, not a count of calls
    raise PlanningError(
        "unmapped_step",
        f"Could not plan {clause.label}: it asks for {spec.id} {said.group(0)}, with nothing "
        "that tells one call from the other. Say what each call is for (one step each), or "
        "say 'retry up to N times' if a failed call should be tried again.",
        step=clause.text,
        details={"phrase": said.group(0), "reason": "repeated_call", "tool": spec.id},
    )


def _with_listed_addresses(parts: list[str]) -> list[str]:
    """`parts` with one that is only links or addresses joined to the part before it."""
    joined: list[str] = []
    for part in parts:
        if joined and part and not _EMAIL_OR_URL.sub(" ", part).strip(" ,.;&"):
            joined[-1] = f"{joined[-1]} and {part}"
        else:
            joined.append(part)
    return joined


def _refuse_codes_as_addresses(
    clause: Clause, spec: ToolSpec, inputs: Mapping[str, str], items: str | None
) -> None:
    """ "for each of these students: S-1, S-2, email their guardian ...": values written
    that are no addresses do not go to an input that takes an email address (each
    student's code was the email's recipient)."""
    try:
        written = json.loads(items or "")
    except ValueError:
        return
    if not isinstance(written, list) or not all(isinstance(item, str) for item in written):
        return
    properties = spec.input_properties()
    for name, expression in inputs.items():
        schema = unwrap_nullable(properties.get(name) or {})
        if expression != "item" or schema.get("format") != "email":
            continue
        if all(EMAIL_ADDRESS.fullmatch(item.strip()) for item in written):
            continue
        raise PlanningError(
            "unmapped_step",
            f"Could not plan {clause.label}: the values listed ({', '.join(written)}) are no "
            f"email addresses, and {spec.id}'s {name} takes one. Say whose address each "
            "message goes to, or look each one up with a step that returns it.",
            step=clause.text,
            details={"tool": spec.id, "reason": "codes_as_addresses", "phrase": name},
        )


def _refuse_a_coded_things_value_asked(clause: Clause, said: str, expression: str) -> None:
    """ "if VEN-8 costs more than $300 an hour on ..., email finance": a condition on a
    thing named by its code whose number is asked of the run (`input.amount > 300`): no
    step tells that thing's number, and the run would be asked for it."""
    compared = re.fullmatch(r"input\.(?P<field>\w+)\s*(?:>|<|>=|<=)\s*[\d.]+", expression.strip())
    if compared is None or not re.search(r"(?<![\w-])[A-Z]{2,}-\d+(?![\w-])", said):
        return
    raise PlanningError(
        "unmapped_step",
        f"Could not plan {clause.label}: the condition {said!r} is about a thing named by its "
        f"code, and no step before it tells its {compared['field']} (the run would be asked "
        "for it). Name the step that looks it up first, or say the value comes with the "
        "request.",
        step=clause.text,
        details={"reason": "coded_value_asked", "phrase": said},
    )


def _unknown_action(part: str, clause: Clause, action: str) -> PlanningError:
    """The refusal of a part of `clause` ("... and water the plants") whose `action` no
    tool does."""
    return PlanningError(
        "unmapped_step",
        f"Could not map {part!r} in {clause.label}: no tool in the catalogue does "
        f"{action!r}. Register a tool that does it, or leave the step out.",
        step=part,
        details={"phrase": part, "reason": "unknown_action"},
    )


def _said_inputs(names: Iterable[str]) -> list[str]:
    """The inputs among `names` that carry what a message says, best first: the usual
    names, then any named with such a word (never a subject or a title)."""
    names = list(names)
    usual = [name for name in _SENT_CONTENT if name in names]
    worded = [
        name
        for name in names
        if name not in usual
        and _SAID_WORDS & set(split_identifier(name))
        and not {"subject", "title"} & set(split_identifier(name))
    ]
    # ("open a work order for V-7 saying '...'": `issue`, what is wrong, is what it says)
    alone = [name for name in names if name in _SAID_ALONE and name not in usual]
    return usual + worded + alone


#: Capitalised words: a proper name ("Acme Supplies", "Initech"), up to the next small word.
_PROPER_NAME = r"(?-i:(?P<name>[A-Z][\w&.'-]*(?:\s+[A-Z][\w&.'-]*){0,3}))"
#: A date written out as ISO 8601 ("2026-12-31").
_DATE_WRITTEN = r"(?P<date>\d{4}-\d{2}-\d{2})"


def _proper_name_after_input(
    properties: Mapping[str, Any], text: str, taken: Mapping[str, str]
) -> dict[str, str]:
    """ "a bill for vendor Acme Supplies": a one-word string input named right before a
    proper name takes it, rather than asking the run for it."""
    found: dict[str, str] = {}
    for name, schema in properties.items():
        if name in taken or "_" in name or schema_types(schema) != {"string"}:
            continue
        if (unwrap_nullable(schema) or {}).get("enum") or (schema or {}).get("format"):
            continue
        said = re.search(rf"\b{re.escape(name)}\s+{_PROPER_NAME}(?![\w@])", text, re.IGNORECASE)
        if said is not None and said["name"].lower() not in STOP_WORDS:
            found[name] = json.dumps(said["name"].rstrip(".'"))
    return found


#: "with subject Daily digest", "subject line: weekly numbers": the words after a
#: message's subject (or a title), to the end of the phrase, in any case.
_SUBJECT_SAID = re.compile(
    r"\b(?P<word>subject|title)(?:\s+line)?(?:\s*:\s*|\s+)"
    r"(?P<value>(?!(?:of|from|and|or|as|to|in|is|it|that|the|a|an|saying|line|for|with|"
    r"field|text)\b)[^\s,;.!?\"'][^,;.!?\n\"]{0,78}?)"
    r"(?=\s*(?:[,;.!?\n]|$)|\s+(?:and|then|if|with|saying|telling|asking|body|but|so|when|"
    r"unless|to|for)\b)",
    re.IGNORECASE,
)


def _subject_said(
    properties: Mapping[str, Any], text: str, taken: Mapping[str, str]
) -> dict[str, str]:
    """ "email the summary to team@acme.io with subject Daily digest": a `subject` (or
    `title`) input takes the words said after its name, whole, rather than the first
    capitalised one or one more run input."""
    for said in _SUBJECT_SAID.finditer(text):
        name = said["word"].lower()
        if name in taken or schema_types(properties.get(name)) != {"string"}:
            continue
        if name in properties:
            return {name: json.dumps(said["value"].strip())}
    return {}


#: "due Dec 15", "by friday", "due tomorrow": a day said without its year
_DAY_WITHOUT_ITS_YEAR = re.compile(
    r"\b(?P<lead>[a-z]+)\s+(?P<prep>on\s+|by\s+)?(?P<day>(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|"
    r"oct|nov|dec)[a-z]*\.?\s+\d{1,2}(?:st|nd|rd|th)?|\d{1,2}(?:st|nd|rd|th)?\s+(?:of\s+)?"
    r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*|tomorrow|(?:next\s+)?"
    r"(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday))\b(?!,?\s+20\d\d)",
    re.IGNORECASE,
)


def _takes_an_assignee(spec: ToolSpec) -> bool:
    """Whether the tool takes whom the thing is for (`assignee`, `assigned_to`)."""
    return any(
        {"assignee", "assigned"} & set(split_identifier(name)) for name in spec.input_properties()
    )


def _takes_a_day(schema: Mapping[str, Any], words: Sequence[str]) -> bool:
    """Whether an input takes a day (`due_date`, a string of format date)."""
    plain = unwrap_nullable(dict(schema))
    return plain.get("format") == "date" or (len(words) == 2 and words[1] == "date")


def _date_after_its_word(
    properties: Mapping[str, Any], text: str, taken: Mapping[str, str]
) -> dict[str, str]:
    """ "due 2026-12-31" for `due_date`, "starting 2026-01-05" for `start_date`: a date
    written after the word its input is named by."""
    found: dict[str, str] = {}
    for name in properties:
        words = split_identifier(name)
        if (
            name not in taken
            and ({"birth", "dob"} & set(words))
            and (
                born := re.search(
                    rf"\b(?:born(?:\s+on)?|dob|date\s+of\s+birth)\s*:?\s*{_DATE_WRITTEN}\b",
                    text,
                    re.I,
                )
            )
        ):
            # "born 1971-04-02": a date of birth (`date_of_birth`, `dob`)
            found[name] = json.dumps(born["date"])
            continue
        if name in taken or len(words) != 2 or words[1] != "date":
            continue
        said = re.search(
            rf"\b{re.escape(words[0])}\w*\s+(?:on\s+|by\s+)?{_DATE_WRITTEN}\b", text, re.IGNORECASE
        )
        if said is not None:
            found[name] = json.dumps(said["date"])
    return found


def _field_said_as_the_input(
    action: str, properties: Mapping[str, Any], sources: Sequence[Source]
) -> dict[str, str]:
    """ "a bill for the converted amount": the input (`amount`) is the output a step before
    made under the word said before it (`converted`), of a type it takes."""
    found: dict[str, str] = {}
    for name, schema in properties.items():
        if len(name) < 4 or name.lower() in STOP_WORDS:
            continue  # ("send the summary to them": `to` is no thing said)
        said = re.search(
            rf"\bthe\s+(?P<field>[a-z]+)\s+{re.escape(name.replace('_', ' '))}\b", action, re.I
        )
        if said is None:
            continue
        fitting = [
            source
            for source in sources
            if source.node is not None
            and source.name == said["field"].lower()
            and type_fit(schema, source.schema) >= 0.9
        ]
        if len({source.expression for source in fitting}) == 1:
            found[name] = fitting[0].expression
    return found


#: "add it to the calendar with the join link": a thing a step made, carried along
_WITH_THE = re.compile(
    r"\bwith\s+(?:the|its|their)\s+(?P<what>[a-z][a-z -]{1,30}?)(?=\s*$|\s*[,.;]|\s+(?:and|then|"
    r"inviting|for|to|in|on|as)\b)",
    re.IGNORECASE,
)
#: Free-text inputs a thing is carried in when no input is named for it
_NOTE_INPUTS = ("description", "notes", "note", "details", "comment", "comments", "body")


def _carried_with_it(
    action: str,
    properties: Mapping[str, Any],
    sources: Sequence[Source],
    taken: Mapping[str, str],
) -> dict[str, str]:
    """ "Put it in the calendar with the join link": an output a step before made (the
    meeting's `join_url`), named after "with the", goes in the tool's one free-text input
    (`description`) when no input of the tool is named for it."""
    said = _WITH_THE.search(action)
    if said is None:
        return {}
    what = "_".join(said["what"].lower().split())
    if any(name_similarity(name, what) >= 0.8 for name in properties):
        return {}  # "with the title ...": the input of that name takes it
    notes = [n for n in _NOTE_INPUTS if n in properties and n not in taken]
    if not notes:
        # ("create a task with the summary": a tool whose one text is its title)
        notes = [
            n
            for n in ("title", *_summary_inputs(properties))
            if n in properties and n not in taken
        ][:1]
    wanted = [stem(w) for w in split_identifier(what) if w not in STOP_WORDS]

    def names_it(source: Source) -> bool:
        words = {stem(w) for w in split_identifier(source.name)}
        return bool(wanted) and all(w in words or synonyms(w) & words for w in wanted)

    found = {s.expression: s for s in sources if s.node is not None and names_it(s)}
    exact = {
        e: s for e, s in found.items() if [stem(w) for w in split_identifier(s.name)] == wanted
    }
    fields = {e: s for e, s in found.items() if "." in e}
    if len(found) > 1 and len(exact) == 1:
        found = exact  # "the summary": `summary`, not `summary_word_count`
    elif len(found) > 1 and len(fields) == 1:
        found = fields  # "the translation": `translated_text`, not the step's whole output
    if len(notes) != 1 or len(found) != 1:
        return {}
    (expression, source), = found.items()
    items = source.schema.get("items") if isinstance(source.schema, dict) else None
    if (
        schema_types(properties[notes[0]]) == {"string"}
        and schema_types(source.schema) == {"array"}
        and schema_types(items) == {"string"}
    ):
        # "open a ticket with the errors": the list's lines, as one text
        expression = f'{expression}.join("\\n")'
    return {notes[0]: expression}


def _a_message_tool(spec: ToolSpec) -> bool:
    """A tool that sends a message (a post, an email): "post it" after it is no receipt."""
    return bool(set(_said_inputs(spec.input_properties())) & set(spec.required_inputs()))


def _summary_inputs(properties: Mapping[str, Any]) -> list[str]:
    """Inputs that hold a one-line account of the thing (`summary`, `headline`): its title
    when it has no `title`, and what a message to it says when it has no `text`."""
    return [
        name
        for name, schema in properties.items()
        if (
            split_identifier(name)[-1:] in (["summary"], ["headline"], ["topic"])
            # (ServiceNow's `short_description`: the one line, beside a long `description`)
            or split_identifier(name) == ["short", "description"]
        )
        and "string" in (schema_types(schema) or {"string"})
    ]


#: Characters of a message short enough to be its own subject line.
_SHORT_MESSAGE = 80
#: A message that tells what a step that changed something did ("send a receipt").
_RECEIPT = re.compile(
    r"\breceipts?\b|\b(?:payment|charge|transaction|order)\s+(?:details|confirmation|summary)\b|"
    r"\bconfirmation\s+of\s+(?:the\s+)?(?:payment|charge|order|purchase)\b|"
    # ("book them unless it's not covered, and text them a confirmation": of the booking)
    r"\b(?:an?|the|their|your|its)\s+(?:\w+\s+)?confirmations?\b",
    re.IGNORECASE,
)
#: "post its title", "email their manager": a field of the item a loop's step names.
_ITS_FIELD = re.compile(r"\b(?:its|their)\s+[a-z_]+", re.IGNORECASE)
#: Words of an input's name that make it the cells of a row (`values`, `row`).
_ROW_WORDS = frozenset({"values", "row", "cells", "columns", "fields"})
#: An output whose name says it is the words to pass on.
#: "charge the card after approval", "once approved, ship it": what follows an approval
_AFTER_APPROVAL = re.compile(
    r"\b(?:after|once|when|upon|following)\s+(?:(?:the|its|their|that|this)\s+)?(?:it\s+is\s+|"
    r"it's\s+|they\s+)?(?:approval|approved|approve|sign[- ]?off|signed\s+off)\b",
    re.IGNORECASE,
)
#: Verbs of actions of their own on a record ("archive the ticket"): a tool that only
#: works on the same thing does not do them.
_DISTINCT_ACTIONS = frozenset(
    """
    archive unarchive close reopen merge split move transfer export import publish unpublish
    deploy restart sync snooze pin unpin star rename duplicate clone freeze unfreeze reset
    restore backup migrate renew extend expire revoke grant award redeem void lock unlock
    block unblock ban unban
    """.split()
)


def _said_of_doing(spec: ToolSpec) -> str:
    """What a tool says of what it does: its id, name, description and input names (not
    the values it reports)."""
    return " ".join([spec.id, spec.name, spec.description, *spec.input_properties()])


#: Verbs that are also a tool's thing in the lexicon ("issue" is a ticket): leading a step
#: they are the doing ("issue a certificate"), and match no tool by that thing
_VERBS_SAID_AS_THINGS = frozenset({"issue"})
#: "add the tax to the total", "add it to the order amount": a sum, not a tool's work
_ADDED_TO_TOTAL = re.compile(
    r"^(?:then\s+)?add\s+(?P<thing>it|them|this|that|the\s+(?:\w+\s+)?(?:tax|vat|fee|fees|shipping))\s+"
    r"(?:to|onto|on)\s+(?:the\s+|its\s+|their\s+)?(?:order\s+)?(?:total|amount|subtotal|sum|price)\b",
    re.IGNORECASE,
)


def _a_handle(word: str, words: frozenset[str]) -> bool:
    """ "mpatel", "okafor2", "j.smith": a sign-in name, no word the planner or English knows
    (its letters; "u_1001" is an id)."""
    letters = re.sub(r"[\d._-]", "", word)
    return len(letters) >= 3 and unknown_word(letters, words)


def _found_only(results: str, schema: dict[str, Any]) -> str:
    """ "look up users jdoe and mlee and welcome each one": the steps after a lookup that
    says whether it found anyone go on with those it found (the others have no record to
    read: the run failed at them)."""
    fields = unwrap_nullable(schema).get("properties") or {}
    for flag in sorted(_FOUND_FIELDS, reverse=True):  # "found" first
        if (fields.get(flag) or {}).get("type") == "boolean":
            return f"{results}.filter(r, r.{flag})"
    return results


def _names_listed(listed: str) -> list[str]:
    """ "jdoe, mlee and tcho" -> the names, one each."""
    return re.split(r"\s*,\s*(?:and\s+)?|\s+and\s+", listed)


def _takes_a_user(spec: ToolSpec) -> bool:
    """Whether the tool takes a person by their sign-in name or directory id."""
    return any(name.lower() in _USER_INPUTS for name in spec.input_properties())


def _takes_a_handle(spec: ToolSpec) -> bool:
    """Whether a required input of the tool is a sign-in name (`username`)."""
    return any(name.lower() in _HANDLE_INPUTS for name in spec.required_inputs())


#: "jsmith says she can't log in. check her account", "jsmith: check her account": a
#: sign-in name, what they say (or a colon), then the steps
_HANDLE_SAYS = re.compile(
    r"^\s*(?P<who>[a-z][a-z0-9._-]{2,30})(?:\s+(?:says|said|reports|reported|mentions|"
    r"mentioned|complains|complained|tells\s+us|told\s+us|writes|wrote)\b[^.!?;]*[.!?;]+|\s*:)"
    r"\s+(?P<rest>.+)$",
    re.DOTALL,
)
_OWNED_BY_THEM = re.compile(r"\b(?:her|his|their)\s+(?P<thing>[a-z]+)\b", re.IGNORECASE)
#: A sentence that says someone's name, address or phone ("her email is x@y.com").
def _string_literal(value: Any) -> str | None:
    """The text of an input that is one string literal ('"meh"'), else None (an expression
    such as '"Weather: " + x')."""
    if not isinstance(value, str) or not value.startswith('"'):
        return None
    try:
        text = json.loads(value)
    except ValueError:
        return None
    return text if isinstance(text, str) else None


#: The text inputs of tools that read one ("text" of a summary, a sentiment, a class).
_READ_TEXTS = frozenset({"text", "content"})
_INPUT_NAMED = (
    r"(?:an?\s+|the\s+|their\s+|its\s+)?[a-z]+(?:[\s_-](?:id|name|number|address|email))?"
)
#: "(a flow that) takes an order id and an amount, ...", "a workflow that gets a name and an
#: email:": what the run is given, said first
_TAKES_INPUTS = re.compile(
    r"(?:(?P<lead>\b(?:flow|workflow|automation|process|pipeline)\s+(?:that|which)\s+)"
    r"(?:takes|gets|receives|accepts)|^\s*(?:takes?|receives?|accepts?))"
    rf"\s+(?:in\s+)?{_INPUT_NAMED}"
    # (two or more: "takes an order, validates it" keeps the order "it" is)
    rf"(?:\s*(?:,\s*(?:and\s+)?|\s+and\s+){_INPUT_NAMED})+\s*(?:,|:|\s+and\s+then)\s*"
    r"(?:and\s+)?(?:then\s+)?",
    re.IGNORECASE,
)
_TOTAL_WITH_TAX = re.compile(
    r"\btotal\s+(?:with|including|incl\.?|after|plus|inc\.?)\s+(?:the\s+)?(?:tax|taxes|vat|gst)\b",
    re.IGNORECASE,
)
#: A request of one line pointing at a text ("the following text", "this") that it then
#: gives after its one colon, said after the address of the result
_POINTED_TEXT_AFTER_A_COLON = re.compile(
    r"\A(?P<head>(?=[^:\n]*\b(?:the\s+following|this|below)\b)[^:\n\"']{10,300}?"
    # (the colon after the address the result goes to, not one after what is to be read)
    r"\bto\s+[\w.+-]+@[\w-]+(?:\.[\w-]+)+):[ \t]+"
    r"(?P<text>[^:\n\"]{20,})\Z"
)
#: A numbered line of a list: "2. check inventory", "3) ship it", "Step 4: email them".
_NUMBERED_LINE = re.compile(
    r"^(?P<indent>[ \t]*)(?:\(?\d{1,2}[.)]|step\s+\d{1,2}\s*[:.)-])[ \t]+(?=\S)",
    re.IGNORECASE | re.MULTILINE,
)
#: "the text I give you", "the article we get", "the file the customer sends us": a thing
#: handed to the run, said with who hands it (no step: the run's input)
_THE_ONE_HANDED_IN = re.compile(
    r"\b(?P<the>the|each|every|any)\s+(?P<thing>[a-z]+(?:\s+[a-z]+)?)\s+(?:that\s+|which\s+)?"
    r"(?:I|we|you|they|someone|people|(?:the\s+|our\s+)?(?:customers?|users?|clients?))\s+"
    r"(?:give|send|paste|provide|get|receive|upload|share|forward|submit|enter|type|drop)s?"
    r"(?:\s+(?:you|us|me|in|over|along))*(?![\w-]|\s+(?:to|it|them)\b)",
    re.IGNORECASE,
)
#: "a summary of how many succeeded", "how many of them failed": how a loop's items went,
#: said with a verb
_HOW_MANY_WENT = re.compile(
    r"\b(?:(?:a|the)\s+(?:summary|report|note|count|tally)\s+of\s+)?how\s+many"
    r"(?P<which>\s+of\s+them|\s+[a-z]+s)?\s+(?P<went>succeeded|went\s+through|worked|passed|"
    r"failed|did\s+not\s+go\s+through|didn't\s+go\s+through"
    # ("email me how many were approved" after charges: the charges approved, not a
    # person's approval asked before the email)
    r"|(?:were|got)\s+(?:approved|accepted|declined|rejected))\b",
    re.IGNORECASE,
)


def _how_many_went(match: re.Match[str]) -> str:
    went = " ".join(match["went"].lower().split())
    good = went in ("succeeded", "went through", "worked", "passed") or went.endswith(
        ("approved", "accepted")
    )
    return f"how many{match['which'] or ''} were {'successful' if good else 'not successful'}"


#: "if they have no account", "if the customer isn't registered": the lookup found no one
_HAS_NO_ACCOUNT = re.compile(
    r"(?P<lead>\b(?:if|when|unless|in\s+case)\s+)(?P<who>they|he|she|the\s+(?:customer|user|"
    r"client|person|member|sender|buyer))\s+(?:(?:has|have|had)\s+no|(?:do|does|did)(?:n't|\s+not)"
    r"\s+have\s+an?|(?:is|are|was|were)(?:n't|\s+not)\s+(?:registered|signed\s+up)|"
    r"(?:is|are)\s+(?:unregistered|not\s+a\s+(?:user|customer|member)))"
    r"(?:\s+(?:an?\s+)?(?:account|profile|record)s?)?(?:\s+with\s+us)?(?=[\s,.;!]|$)",
    re.IGNORECASE,
)


def _not_found(match: re.Match[str]) -> str:
    be = "are" if match["who"].lower() == "they" else "is"
    return f"{match['lead']}{match['who']} {be} not found"


#: "takes a list of orders, charges each one": the things listed, one at a time
_EACH_ONE_OF_A_LIST = re.compile(
    r"\b(?P<lead>(?:a|the)\s+list\s+of\s+(?P<things>[a-z]{3,}s)\b(?P<mid>[^.;:]{1,80}?))"
    r"\beach\s+(?:one|of\s+them)\b",
    re.IGNORECASE,
)


def _each_one_of_the_list(match: re.Match[str]) -> str:
    return f"{match['lead']}each {singular(match['things'].lower())}"


#: "a count of the negative ones", "the number of invalid ones": how many of a loop's items
#: are so
_A_COUNT_OF_ONES = re.compile(
    r"\b(?:a|the)\s+(?:count|number|tally|total)\s+of\s+(?:the\s+)?(?P<quality>[a-z-]+)\s+"
    r"(?:ones|items|results)\b",
    re.IGNORECASE,
)
#: "the address given", "the amount provided": the value the run is given
_THE_ONE_GIVEN = re.compile(
    r"\bthe\s+(?P<thing>[a-z]+(?:\s+(?:id|name|number|address))?)\s+(?:given|provided|supplied|"
    r"specified|entered|passed\s+in)\b(?!\s+(?:that|by|to|in|on|for|with)\b)",
    re.IGNORECASE,
)
_REVIEW_AND_APPROVE = re.compile(
    r"\b(?:review|check|look\s+(?:at|over)|read)\s+and\s+(?=(?:approve|sign\s+off)\b)",
    re.IGNORECASE,
)
#: "New order ORD-500 from kim@shop.io for 3 x MUG-1.": what arrived, with its code, said
#: first and with no verb of its own
_A_NEW_THING_SAID = re.compile(
    r"^(?:(?:a|an|the)\s+)?(?:new|incoming|fresh)\s+[a-z]+\s+#?(?-i:[A-Z0-9][\w-]*\d[\w-]*)"
    r"(?:\s+(?:from|for|by|of|at|with|to)\s+(?:[^.!?]|\.(?=\S))+)?[.!]?$",
    re.IGNORECASE,
)
#: One sentence of a request (a dot inside an address or a number goes on).
_SENTENCE = re.compile(r"(?:^|(?<=[.!?]\s))(?P<sentence>(?:[^.!?]|[.!?](?=\S))+[.!?]*)(?=\s|$)")
#: "Order ORD-77", "amount: $1,250", "email sam@x.com": a label and one value.
_LABELLED_VALUE = re.compile(
    r"(?P<label>[A-Za-z]+(?:\s+[A-Za-z]+)?)\s*(?::\s*|\s+(?:is\s+|of\s+)?)"
    r"(?:(?P<code>#?[A-Za-z]{0,6}-?\d[\w-]*)|[$€£¥]\s?\d[\d,]*(?:\.\d+)?|"
    r"\d[\d,]*(?:\.\d+)?\s?(?:usd|eur|gbp|dollars?|euros?|pounds?)|[\w.+-]+@[\w-]+(?:\.[\w-]+)+"
    # ("name Kofi Mensah", "company Mensah & Sons": a name, written in capitals)
    r"|(?-i:[A-Z][\w'-]+(?:\s+(?:&\s+)?[A-Z][\w'&-]*){0,3}))",
    re.IGNORECASE,
)
#: Labels of an address a part states ("email kofi@x.gh" is no message sent there).
_ADDRESS_LABELS = frozenset({"email", "e-mail", "email address", "e-mail address", "mail"})
#: Where one labelled value ends and the next starts ("Order ORD-77, amount $1,250").
_VALUE_PARTS = re.compile(r"\s*,\s+(?:and\s+)?|\s+and\s+", re.IGNORECASE)
_VALUES_STATED = re.compile(
    r"(?:^|(?<=[.!?]\s))(?P<sentence>[^.!?]*?\b(?:her|his|their)\s+(?:full\s+)?(?:name|e-?mail"
    r"(?:\s+address)?|phone(?:\s+number)?)\s+is\s+(?:[^.!?]|\.(?=\S))+?[.!?]+)(?=\s|$)",
    re.IGNORECASE,
)
_ONE_VALUE_STATED = (
    r"(?:her|his|their)\s+(?:full\s+)?(?:name|e-?mail(?:\s+address)?|phone(?:\s+number)?)\s+is\s+"
    r"(?:[A-Z][a-z'-]+(?:\s+[A-Z][a-z'-]+){0,2}|[\w.+-]+@[\w-]+(?:\.[\w-]+)+|\+?[\d\s().-]{7,})"
)
#: The whole sentence: what happened, then only the values ("A new client signed up, her
#: name is Priya Shah and her email is priya@x.com.")
_VALUES_ONLY = re.compile(
    rf"(?:[^.!?,]*,\s*)?{_ONE_VALUE_STATED}(?:\s*(?:,\s*(?:and\s+)?|\s+and\s+){_ONE_VALUE_STATED})*"
    r"\s*[.!?]+",
    re.IGNORECASE,
)
_NAME_STATED = re.compile(
    r"\b(?:her|his|their)\s+(?:full\s+)?name\s+is\s+(?P<name>[A-Z][a-z'-]+(?:\s+[A-Z][a-z'-]+){0,2})"
)
_ASKS_IN_IT = re.compile(
    r"\b(?:please|pls|can\s+you|could\s+you|would\s+you|if|when|unless|then)\b", re.IGNORECASE
)
#: "escalate if needed", "retry as necessary": a condition that does not say when
_SAYS_NOT_WHEN = re.compile(
    r"^\s*(?:(?:it\s+is\s+|it's\s+)?(?:needed|necessary|required|appropriate|applicable|"
    r"relevant|warranted)|need\s+be|it\s+makes\s+sense)\s*$",
    re.IGNORECASE,
)
#: "escalate it to a high priority ticket": a ticket opened (not the message classified)
_ESCALATED_TO_A_RECORD = re.compile(
    r"\bescalate\s+(?:it\s+|this\s+|them\s+|the\s+\w+\s+)?(?:to|into|as)\s+"
    r"(?=(?:a|an|the)\s+(?:[\w-]+\s+){0,3}(?:ticket|case|incident)\b)",
    re.IGNORECASE,
)
#: "make a ticket", "make a new support case": the verb, and the thing made
_MADE = re.compile(
    # ("if it's billing make a billing ticket": after a condition said with no comma too)
    r"(?P<lead>^|(?<=[.;,!?]\s)|\band\s|\bthen\s|(?<=\w\s))make\s+"
    r"(?=(?:a|an)\s+(?P<words>(?:[\w-]+\s+){0,2}[\w-]+))",
    re.IGNORECASE | re.MULTILINE,
)
#: "pull out the key points", "extract the main takeaways of ...": a summary of it
_KEY_POINTS = re.compile(
    r"\b(?:pull\s+out|extract|get|list|find|identify|grab|give\s+me)\s+(?:the\s+)?"
    r"(?:key|main|most\s+important)\s+(?:points|takeaways|ideas|facts)"
    r"(?P<of>\s+(?:of|from|in)\b)?",
    re.IGNORECASE,
)


def _summarized(match: re.Match[str]) -> str:
    return "summarize" if match["of"] else "summarize it"


#: "Is kim@x.com a real address?", "Is the order valid?": a yes/no question about an address
#: the request writes or a thing it names, as a check of it
#: "is task 1201112223334 done yet? email me the answer": a yes/no question of a thing
#: written with its number or code, then a step that sends what was found
_NUMBERED_THING_ASKED_THEN_SENT = re.compile(
    r"(?P<lead>^|(?<=[.!;]\s))(?P<aux>is|are|has|have)\s+"
    r"(?P<thing>[a-z]+\s+#?(?=[\w-]*\d)[\w-]+)\s+(?P<state>[^?.!;]{2,60}?)\s*\?\s+"
    r"(?=(?:please\s+|pls\s+)?(?:e-?mail|send|text|tell|post|notify|message)\b)",
    re.IGNORECASE | re.MULTILINE,
)
_YES_NO_QUESTION = re.compile(
    # (a question about a code, "is truck TRK-14 available?", is read by its own rules)
    r"(?:^|(?<=[.!;]\s))(?P<aux>is|are)\s+(?P<subject>[\w.+-]+@[\w-]+(?:\.[\w-]+)+|"
    # (and answered by "if ..." next: "Is the order valid? Charge it." is the condition)
    r"(?:the|this|that|my|our|their|his|her)\s+[a-z]+|"
    # ("is invoice in_1Ab2C paid? if not, ...": a thing written with its code)
    r"[a-z]+\s+[a-z]{1,5}_[A-Za-z0-9]*\d[A-Za-z0-9]*)\s+(?P<rest>[^?.!;]{2,80})\?"
    # ("is sam@zx.io still subscribed to f9e8d7c6b5?" asked alone, at the end, too)
    r"(?=\s*if\b|\s*$)",
    re.IGNORECASE | re.MULTILINE,
)


#: "resend it", "re-email the invoice": a message sent again (the word was read as a typo
#: of "refund", or no tool's)
_SENT_AGAIN = re.compile(
    r"\bre-?(?P<verb>send|email|mail|text|message|ship)\b(?P<rest>[^.;!?,]*?)"
    r"(?=\s*(?:$|[.;!?,]|\b(?:and|then)\b))",
    re.IGNORECASE,
)


#: "..., says the reset link expires immediately": "says" with no one before it is what
#: the thing made says (no step starts with "says"; it was refused as one)
_SAYS_AFTER_A_COMMA = re.compile(r"\s*,\s*(?:and\s+)?(?:it\s+|which\s+)?says\s+(?=\w)", re.I)
#: ", customer asked for it", "because the client requested it": who wanted the step done,
#: a reason (read as a step of its own, or as a reason no enum value says)
_ASKED_FOR_BY_SOMEONE = re.compile(
    r"(?:\s*,\s*|\s+(?:because|since|as)\s+)(?:the\s+|our\s+|my\s+)?"
    r"(?P<who>customer|client|buyer|user|member|guest|patient|requester)\s+"
    r"(?:asked\s+for|requested|wanted)\s+(?:it|this|that|one|them)\b",
    re.IGNORECASE,
)


def _whether_asked(match: re.Match[str]) -> str:
    return f"Check whether {match['subject']} {match['aux'].lower()} {match['rest']}."


#: "over 30 cases": the unit a threshold counts in, said after its number
_A_COUNTS_UNIT = re.compile(
    r"\s*(?P<unit>(?!(?:dollars|euros|pounds|bucks|cents|pence|francs|yen|times|others|ones|"
    r"needs|requires)\b)[a-z]{3,}s)\b(?!\s+of\b)",
    re.IGNORECASE,
)
#: "For orders over $1000, require finance approval": the rule's condition, said of the
#: kind of thing it is for (not a step on "orders over $1000")
_FOR_THOSE_OVER = re.compile(
    r"(?:^|(?<=[.;!?]\s))for\s+(?:(?:all|any|every)\s+)?(?P<nouns>[a-z]+s)\s+"
    r"(?P<comparison>(?:over|above|under|below|exceeding|(?:of\s+)?(?:more|less|greater|fewer)"
    r"\s+than|at\s+least|at\s+most)\s+[^,;.]*?\d[^,;]*?)\s*,\s*",
    re.IGNORECASE | re.MULTILINE,
)


def _if_it_is_over(match: re.Match[str]) -> str:
    return f"If the {singular(match['nouns'].lower())} is {match['comparison']}, "


#: "send each a welcome email": "each" is each of them (not a loop over "a")
_EACH_BEFORE_AN_ARTICLE = re.compile(r"\beach(?=\s+(?:a|an)\s)", re.IGNORECASE)
#: "price the menu for 45 and email the quote to ...": a price worked out, then sent as a quote
_PRICED_THEN_SENT = re.compile(
    r"\b(?:price|quote)\s+(?:the|a|an|our)\s+[^.;!?]*?\b(?:email|send|text|post|forward)\s+"
    r"(?:\S+@\S+\s+|me\s+|them\s+)?the\s+(?P<what>quote|estimate)\b",
    re.IGNORECASE,
)
#: "create tasks for ann, bob and cy to review ...": a thing made for people listed, and what
#: each is to do
_THINGS_FOR_PEOPLE_LISTED = re.compile(
    r"\b(?P<verb>create|make|add|open|set\s+up)\s+(?:an?\s+|one\s+)?(?P<noun>[a-z]+)\s+for\s+"
    r"(?:each\s+of\s+)?(?P<list>[a-z][a-z0-9._-]+(?:\s*,\s*[a-z][a-z0-9._-]+)*\s*,?\s+and\s+"
    r"[a-z][a-z0-9._-]+)(?=\s+to\s+[a-z])",
    re.IGNORECASE,
)
#: "to alee, bnguyen and cortiz": words listed at the end of a step, after "to" or "for"
_HANDLES_LISTED = re.compile(
    r"\b(?P<prep>to|for)\s+(?P<list>[a-z][a-z0-9._-]+(?:\s*,\s*[a-z][a-z0-9._-]+)*\s*,?\s+and\s+"
    r"[a-z][a-z0-9._-]+)(?=\s*(?:[.;!?]|$))"
)
#: "users jdoe, mlee and tcho": sign-in names after the noun of who they are, to the end of
#: the sentence or to the step said next ("... and send each a welcome email")
_HANDLE = r"[a-z][a-z0-9._-]*[a-z0-9]"
_PEOPLE_LISTED = re.compile(
    r"\b(?:the\s+)?(?P<noun>users|accounts|employees|members|customers|people|staff|"
    r"contractors|students|patients)\s+"
    rf"(?P<list>{_HANDLE}(?:\s*,\s*{_HANDLE})*\s*,?\s+and\s+{_HANDLE})"
    r"(?:(?P<next>\s*,\s*(?:and\s+)?(?:then\s+)?|\s+(?:and|then)\s+(?:then\s+)?)(?=[a-z]+\s)"
    r"|\s*(?=[.;!?]|$))"
)
#: Inputs that take a person's sign-in name ("mpatel").
_HANDLE_INPUTS = frozenset({"username", "user_name", "login", "handle", "userid", "samaccountname"})
#: ... and inputs that take a person by either (a directory's `user_id`)
_USER_INPUTS = _HANDLE_INPUTS | {"user_id", "user"}
#: "..., reason: pricing changed, new version coming": a free text a tool takes, labelled after
#: the step, to the end of its sentence (not a quote)
_LABELLED_TEXT = re.compile(
    r"(?P<lead>[,;]|\.(?=\s))\s+(?P<field>reason|note|comment)\s*:\s*(?P<value>(?![\"'\u201c\u2018])"
    r"[^.;!?\"\n]{3,200}?)\s*(?=[.;!?](?:\s|$)|$)",
    re.IGNORECASE,
)
#: "Create a ticket. Priority: high.": a field's value said after the step, as a label
_LABELLED_VALUES = re.compile(
    r"(?P<lead>[.,;])\s+(?P<field>[A-Za-z]+(?:\s[a-z]+)?):\s*(?P<value>[\w@#+-]+(?:\.[\w@#+-]+)*(?:\s[\w-]+)?)"
    r"(?=[.;,]?(?:\s|$))"
)
#: "Upon signup, ...", "On each new order ...": what starts the run, before a step
_ON_EVENT = re.compile(
    r"(?:^|(?<=[.!?]\s))(?:upon|on)\s+(?:(?:a|an|each|every|any|the)\s+)?(?P<new>new\s+)?"
    r"(?!(?:mon|tues|wednes|thurs|fri|satur|sun)days?\b|weekends?\b|(?:the\s+)?\d)"
    # ("on success, ...", "on failure, ...": an outcome, which is a condition)
    r"(?!(?:success|successes|failure|failures|fail|error|errors|approval|rejection|decline|"
    r"declines|timeout|time-?out|yes|no|ok|okay)\b)"
    r"(?P<event>[a-z-]+(?:\s+[a-z-]+){0,2},?\s+[a-z]+)",
    re.IGNORECASE,
)
#: "after validation", "after the verification of the order": a step said by its noun
_AFTER_NOUN = re.compile(
    r"(?P<lead>\bafter\s+)(?:the\s+|a\s+)?(?P<noun>[a-z]+(?:ation|ion|ment))\b"
    r"(?P<rest>\s+of\s+(?:the|their|its|this|that|his|her)\s+[a-z]+)?"
    r"(?=\s*(?:[,.;!?]|$|\s+(?:then|and)\b))",
    re.IGNORECASE,
)


#: "the tracking number", "a booking reference": a doing that names what a tool returns
_RESULT_NAMED_BY_A_DOING = r"ing\s+(?:number|id|code|reference|ref|link|url|page|status)s?\b"


def _verb_only_names_a_result(verb: str, spec: ToolSpec) -> bool:
    """ "track parcel 1Z999...": a tool that says the verb only in the name of what it
    returns ("... and return the tracking number") does not do it (a shipment was
    created)."""
    root = verb[:-1] if verb.endswith("e") else verb
    if len(root) < 3 or root in {stem(w) for w in split_identifier(spec.id)}:
        return False
    text = f"{spec.name} {spec.description}".lower()
    said = list(re.finditer(rf"\b{re.escape(root)}\w*", text))
    return bool(said) and all(
        re.match(rf"\b{re.escape(root)}{_RESULT_NAMED_BY_A_DOING}", text[m.start() :]) for m in said
    )


#: "book a DJ for booking BK-550": a verb, the thing it acts on, then whose it is
_THING_THEN_WHOSE = re.compile(
    r"^\W*[a-z]+\s+(?:a|an|another|some)\s+(?P<thing>[A-Za-z]{2,})\s+(?:for|on|to)\s", re.IGNORECASE
)


def _verb_of_noun(noun: str, verbs: Iterable[str]) -> str | None:
    """The verb `noun` is made from ("validation" -> "validate"), when it is one of `verbs`."""
    known = set(verbs)
    for suffix, ending in (
        ("ification", "ify"),
        ("ation", "ate"),
        ("ation", ""),
        ("ation", "e"),
        ("ion", "e"),
        ("ion", ""),
        ("ment", ""),
    ):
        if noun.endswith(suffix):
            verb = noun[: -len(suffix)] + ending
            if verb in known:
                return verb
    return None


def _gerund(verb: str) -> str:
    """ "validate" -> "validating", "ship" -> "shipping"."""
    if verb.endswith("e") and not verb.endswith("ee"):
        return verb[:-1] + "ing"
    if (
        len(verb) <= 4
        and verb[-1] in "bdgmnprt"
        and verb[-2] in "aeiou"
        and verb[-3:-2] not in ("a", "e", "i", "o", "u")
    ):
        return verb + verb[-1] + "ing"
    return verb + "ing"


def _the_text_made(fields: Mapping[str, Any], tool_id: str) -> str | None:
    """The one text output of a step named as its text ("translated_text", "summary") or by
    its own verb ("translate_text" -> "translated_text", "shorten_url" -> "short_url"), or
    None when no text, or more than one, is."""
    verb = _tool_verb(tool_id)
    made = [
        name
        for name, field in fields.items()
        if schema_types(field) == {"string"}
        and (
            _TEXT_WORDS & set(split_identifier(name))
            or (len(verb) > 3 and any(_said_by_verb(w, verb) for w in split_identifier(name)))
        )
    ]
    return made[0] if len(made) == 1 else None


def _said_by_verb(word: str, verb: str) -> bool:
    """Whether an output's word is what the verb makes ("translated", "short")."""
    return stem(word) == verb or word.startswith(verb[:-1]) or (
        len(word) >= 4 and verb.startswith(word)
    )


def _tool_verb_word(tool_id: str) -> str:
    """A tool id's leading word (`create_shipment` -> "create")."""
    return next(iter(split_identifier(tool_id)), "")


#: "email both results", "send me all the results", "the results of both"
#: "email me the result", "send them the outcome": what the step before found
_THE_RESULT = re.compile(
    r"\b(?:the|its|their|that|this)\s+(?:results?|outcomes?|findings?|answer|analysis|verdict)\b"
    r"(?!\s+(?:of|from)\b)",
    re.IGNORECASE,
)
#: "... with them", "invite her": the person a step before was about
_WITH_THEM = re.compile(r"\b(?:with|invite|inviting)\s+(?:them|him|her)\b", re.IGNORECASE)
#: Words a field's name shortens ("temp_c" for a temperature)
_SHORT_FORMS = {"temperature": ("temp",), "quantity": ("qty",), "description": ("desc",)}
#: "the summary", "an overview": what a message makes of the results before it
_THE_SUMMARY = re.compile(
    r"\b(?:the|a|an)\s+(?:short\s+|quick\s+|brief\s+)?(?:summary|overview|rundown|roundup|"
    r"recap|report)\b(?!\s+(?:of|from)\b)",
    re.IGNORECASE,
)
#: "the translations", "all the short links": things in the plural a message sends
_THE_THINGS_MADE = re.compile(
    r"\b(?:the|all\s+the|both|those|these)\s+(?P<what>[a-z]+\s+)?(?P<noun>[a-z]{3,}s)\b",
    re.IGNORECASE,
)
#: A link is what an output named `url` holds
_LINK_FOR_URL = {"link": {"url"}}
#: The most fields of one step a message lists, one a line.
_RESULT_LINES = 5
#: The most fields of each item's result a message lists on the item's line.
_ITEM_FIELDS = 2


def _item_said(item_schema: Mapping[str, Any], made_by: str | None) -> str:
    """What a message sent for each item says of it: the item itself, or, for each result
    of a step before ("translate 'hi' into French and German and post them"), its one text
    (the translation), else a named line for each of its fields."""
    fields = item_schema.get("properties")
    if not isinstance(fields, dict) or not fields:
        return '"%s".format([item])'
    made = _the_text_made(fields, made_by) if made_by else None
    if len(fields) == 1:
        return f"item.{next(iter(fields))}"
    if made is not None:
        return f"item.{made}"
    template, values = _labelled_lines("item", list(fields)[:_RESULT_LINES])
    return f"{json.dumps(template)}.format([{values}])"


def _labelled_lines(node_id: str, fields: Sequence[str]) -> tuple[str, str]:
    """A `format` template of one named line per output field of `node_id` ("Status: %s"),
    and the values that fill it (`node.status, ...`)."""
    template = "\n".join(f"{field_label(name)}: %s" for name in fields)
    return template, ", ".join(f"{node_id}.{name}" for name in fields)


def _message_text_input(spec: ToolSpec) -> str | None:
    """The input that holds what a message says (`body`, `message`, `text`, `content`)."""
    return next(
        (
            name
            for name in ("body", "message", "text", "content")
            if "string" in schema_types(spec.input_properties().get(name))
        ),
        None,
    )


#: "how many there are", "the number of returns": a count, said in a message.
_HOW_MANY_SAID = re.compile(r"\bhow\s+many\b|\bthe\s+(?:number|count)\s+of\b", re.IGNORECASE)
_EVERY_RESULT = re.compile(
    r"\b(?:(?P<both>both)(?:\s+(?:of\s+)?(?:the\s+)?(?:results?|outputs?|answers?|findings?|"
    r"outcomes?)|\s+of\s+them)|(?:the\s+)?(?:results?|outputs?|findings?)\s+of\s+(?P<both2>both)|"
    # "create a ticket with both", "email me a note containing both", "email me both" (not
    # "email both": two people, perhaps)
    r"(?:with|containing|including|me|us)\s+(?P<both3>both)\s*$|"
    # "email both to team@…": the two things, sent to an address or a channel
    r"\b(?:e-?mail|send|forward|post|mail)\s+(?P<both5>both)\s+to\s+(?=[\w.+-]+@|#)|"
    # "post both numbers", "email me both totals"
    r"(?P<both4>both)\s+(?P<what>numbers|values|totals|figures|readings|scores|metrics|rates|"
    r"amounts|prices|taxes)|"
    # ("create a ticket with the results": each of the steps before it, as "all")
    r"(?:all\s+(?:of\s+)?(?:the\s+)?|(?:with|containing|including)\s+(?:the|their)\s+)"
    r"(?:results|outputs|findings)\b|"
    # "email them all to me@…", "send everything to #ops": every one, together
    r"\b(?:e-?mail|send|forward|post|mail)\s+(?:me\s+|us\s+)?(?:them\s+all|everything|"
    r"all\s+of\s+(?:it|them))(?=\s+to\s+(?:[\w.+-]+@|#|me\b|us\b)|\s*$))",
    re.IGNORECASE,
)
#: Verbs of tools that say a text again in other words, meaning the same (a translation).
_RESTATING = frozenset(
    stem(w) for w in "translate paraphrase rewrite reword redact anonymize proofread".split()
)
_TEXT_WORDS = frozenset({"text", "translation", "summary", "content", "message", "body", "answer"})
#: "a ticket is classified as urgent", "it's marked as spam": a verdict a step of the flow
#: gives (a classifier), not an event that starts the run.
_CLASSIFIED_AS = re.compile(
    r"\b(?:is|are|'s|'re|gets?|got)\s+(?:classified|categori[sz]ed|marked|flagged|labell?ed|"
    r"tagged|rated|scored|detected)\s+(?:as\s+)?\w",
    re.IGNORECASE,
)
#: "the order is valid", "it's in stock": a state said of the thing, which a "when" or
#: "once" then asks to hold (unlike "an order is placed", which is how a run starts).
_SAYS_A_STATE = re.compile(
    r"\b(?:is|are|'s|'re)\s+(?:not\s+|still\s+|all\s+)?(?!(?:received|submitted|placed|"
    r"created|opened|filed|uploaded|added|registered|made|sent|posted|booked|done|finished|"
    r"complete|completed|ready|here|in\b|out\b|over\b|under\b|above\b|below\b|more\b|less\b|"
    r"greater\b|higher\b|lower\b|at\s+least|at\s+most|equal)\w*)"
    r"(?:valid|invalid|in\s+stock|out\s+of\s+stock|available|unavailable|approved|declined|"
    r"rejected|positive|negative|neutral|urgent|found|missing|new|disposable|deliverable|"
    r"successful|failed|paid|"
    # "when the api is down": the state of a service, which a health check tells
    r"down|up|offline|online|unreachable|degraded|unhealthy|healthy)\b"
    # "is classified as urgent": the verdict of a step that classifies
    r"|" + _CLASSIFIED_AS.pattern,
    re.IGNORECASE,
)
#: Where a condition says something of its subject ("the customer | is upset").
_PREDICATE = re.compile(
    r"\s+(?:is|are|was|were|seems?|sounds?|looks?|feels?)\s+(?:not\s+)?", re.IGNORECASE
)
#: Words that ask for a step once more.
_AGAIN = re.compile(r"\b(?:again|another|second|twice|too|also|as\s+well)\b", re.IGNORECASE)
#: "make sure / check that the order is in stock": a check of a state.
_STATE_CHECK = re.compile(
    r"^(?:(?:then|and|also|please|just|first)\s+)*(?:make\s+sure|ensure|check|verify|confirm|"
    r"see|find\s+out|figure\s+out|work\s+out|determine|tell)\s+(?:that\s+|if\s+|whether\s+)?"
    r"(?:(?P<thing>[^,]{1,60}?)\s+(?:is|are|'s)|(?:it|that|this|everything)'s)\s+"
    r"(?:still\s+|all\s+|really\s+)?(?P<state>(?!not\b)[^,]{2,40})$",
    re.IGNORECASE,
)
#: "a normal one", "another one": "one" stands for the thing last spoken of.
_ONE_PROFORM = re.compile(
    r"(?P<lead>\b(?:a|an|another|the\s+same|the\s+other)\s+(?:[a-z]+\s+)?)one\b"
    r"(?!\s+(?:of|more|by|at|another)\b)",
    re.IGNORECASE,
)
#: "thank them by email", "remind him": "them" is a person, not the thing last spoken of.
_ADDRESSES_SOMEONE = re.compile(
    r"^(?:thank|email|e-mail|notify|tell|remind|message|reply\s+to|greet|welcome|contact|ping|"
    r"alert|congratulate|invite|call|text)\s+(?:them|him|her)\b|"
    # "forward it to billing@…", "post it to #ops", "text it to +1…": what is sent on, to
    # someone or somewhere
    r"^(?:forward|send|pass|hand|route|escalate|email|mail|post|text|share|publish|message|"
    r"tweet)\s+(?:it|them|this)\s+(?:on\s+|out\s+)?to\b",
    re.IGNORECASE,
)
#: "create one for billing", "open another": one more, said with no noun.
_BARE_ONE = re.compile(
    r"^(?P<verb>[a-z]+)\s+(?:one|another(?:\s+one)?)\b(?!\s+(?:of|more|by|at)\b)", re.I
)
#: "send the parcel", "post a small package", "mail the boxes": a verb of messages whose
#: object is goods, which asks for a shipment.
_SENDS_GOODS = re.compile(
    r"^(?P<lead>\W*)(?:send|post|mail|dispatch|courier)(?:s|ed|ing)?\s+"
    # ("send the customer a package": to whom, then the goods)
    r"(?:(?:them|him|her|me|us|(?:the|our|their|a|an)\s+\w+)\s+(?=(?:the|a|an|their|our)\s))?"
    r"(?P<goods>"
    r"(?:(?:the|a|an|this|that|these|those|their|his|her|our|my|your|its)\s+)?"
    r"(?:\w+\s+)?(?:parcel|package|packet|box|boxe|crate|consignment|shipment)s?\b"
    r"|goods\b)",
    re.IGNORECASE,
)
#: "send the order by courier": whatever is sent goes as goods
_BY_COURIER = re.compile(r"\b(?:by|via|with|using)\s+(?:a\s+|the\s+)?(?:courier|freight)\b", re.I)
_SENDS_GOODS_VERB = re.compile(r"^\W*(?:send|post|mail|dispatch)(?:s|ed|ing)?\b", re.I)
#: "summarize the two articles together", "in one summary": one call for all the pages
_COMBINED = re.compile(
    r"\b(?:together|combined?|combining|merged?|as a whole|in(?:to)? (?:one|a single)\b"
    r"|(?:one|a single) (?:summary|text|report|digest|email|message))",
    re.IGNORECASE,
)
_LEADING_WORDS = re.compile(r"^(?:(?:then|and|also|please|just|first)\b[\s,]*)+", re.IGNORECASE)
#: Verbs that say little on their own: they favour a tool only along with another word.
#: "make a ticket": a new one (not "make sure", "make the payment")
_MAKE_A_NEW = re.compile(r"^\s*make\s+(?=(?:a|an|new|another)\s)", re.IGNORECASE)
#: Verbs a tool's id leads with when it makes a new thing.
_CREATING_VERBS = frozenset("create new add open make".split())


def _creator_breaks_tie(ranked: list[tuple[float, ScoredTool]]) -> list[tuple[float, ScoredTool]]:
    """ "Make a ticket": of the tools the thing alone ranks about as high (create_ticket,
    classify_ticket), the one that creates it."""
    best = ranked[0][0]
    close = [pair for pair in ranked if pair[0] >= best * 0.8]
    creating = [pair for pair in close if _creates(pair[1].spec)]
    if not creating or creating[0] is ranked[0]:
        return ranked
    first = creating[0]
    return [(best * 1.01, first[1]), *(pair for pair in ranked if pair is not first)]


def _creates(spec: ToolSpec) -> bool:
    words = split_identifier(spec.id)
    return bool(words) and words[0] in _CREATING_VERBS


_WEAK_VERBS = frozenset(
    stem(w) for w in "check get make run do handle take see go work figure find".split()
)
#: Inputs named for a part of a place: "in the balcony" for a `section`
_PARTS_OF_A_PLACE = frozenset({"section", "area", "zone", "tier", "level", "stand"})
#: "in the balcony", "in the upper circle": the one word after "in the", then a stop
_IN_THE_WORD = re.compile(
    r"\bin\s+the\s+([a-z]{3,})(?=\s*(?:[,;.!?]|$|\b(?:for|of|at|on|and|then|if)\b))",
    re.IGNORECASE,
)
#: "order them", "restock them", "reorder it": the things a step before counted
_THEM_ORDERED = re.compile(
    r"^\W*(?:re-?)?(?:order|stock|restock|buy|purchase)\s+(?:them|those|these|it)\b", re.I
)
#: "what's the MOT history for plate 7ABC123": a question for a thing of a record
_THING_ASKED = re.compile(
    r"^\W*(?:what's|what\s+is|what\s+are|what\s+was|tell\s+me|show\s+me)\s+(?:the|its|their)\s+"
    r"(?P<thing>[a-z][a-z\s-]{1,40}?)\s+(?:for|of|on)\s+(?:[a-z]+\s+)?[A-Z0-9#]",
    re.IGNORECASE,
)
#: "read the smart meter at account 5500-1234", "show me a map of all outages": a thing of
#: a record (or of things) read, checked or shown
_THING_READ = re.compile(
    r"^\W*(?:(?:read|get|check|verify|confirm|pull)\s+(?:the|its|their)|show\s+(?:me|us)\s+an?)"
    r"\s+(?P<thing>[a-z][a-z\s-]{1,40}?)\s+(?:for|of|on|at|in)\s+(?:[a-z]+\s+)?[A-Za-z0-9#]",
    re.IGNORECASE,
)
#: "verify APP-20931's SAT score with the College Board": a thing of a record by its code
_THING_OF_A_CODE = re.compile(
    r"^\W*(?:read|get|check|verify|confirm|pull)\s+(?-i:[A-Z0-9][A-Za-z0-9]*-[\w-]*\d[\w-]*)'s\s+"
    r"(?P<thing>[A-Za-z][A-Za-z\s-]{1,40}?)(?=\s+(?:with|from|at|for|in|on|against)\b|\s*$)",
    re.IGNORECASE,
)
#: "send the roads crew to SR-1", "send a technician out": people sent somewhere, no message
_SENDS_PEOPLE = re.compile(
    r"^\W*send\s+(?:(?:the|a|an|our|two|\d+)\s+)?(?:[a-z]+\s+){0,2}?"
    r"(?:crews?|teams?|technicians?|techs?|engineers?|workers?|inspectors?|drivers?|"
    r"officers?|plumbers?|electricians?|staff|someone|somebody)\b",
    re.IGNORECASE,
)
#: Verbs that get or find something, whatever it is: a tool they match must also match
#: what the step gets or finds.
_GENERIC_VERBS = _WEAK_VERBS | frozenset(
    stem(w) for w in "fetch retrieve load grab pull locate obtain look".split()
)
#: A step that only takes in what the request is about ("read the support message",
#: "take the customer's review"): that text is the run's input, no tool's work.
_READS_THE_REQUEST = re.compile(
    r"^\W*(?P<verb>read|take|receive|get|grab|go\s+through|look\s+at|open\s+up)\s+"
    r"(?:(?:the|this|that|a|an|"
    r"their|its|our|your)\s+)?(?:[\w'-]+\s+){0,2}(?:message|text|review|email|request|note|"
    r"comment|feedback|complaint|enquiry|inquiry|order|ticket|submission|form|application)s?\W*$",
    re.IGNORECASE,
)
#: "get a credit note", "grab a new form": a thing to obtain, not the one the request is
_GETS_A_NEW_ONE = re.compile(r"^\W*(?:get|grab)\s+an?\s", re.IGNORECASE)
#: A possessor before the thing a step works on ("the customer's card", "users' emails").
_POSSESSOR = re.compile(r"\b[a-z][\w-]*(?:'s|s')(?=\s+[a-z])", re.IGNORECASE)


def _long_stems(words: Iterable[str]) -> frozenset[str]:
    """The stems of the words longer than two letters (shorter ones say little)."""
    return frozenset(stem(w) for w in words if len(w) > 2)


#: A possessive before a noun: the noun is the object ("their email").
_POSSESSIVE_OBJECT = re.compile(r"\b(?:their|its|his|her)\s+[a-z]", re.IGNORECASE)
#: "email it to them", "send it": the step's object is "it" ("tell them we got it" is not).
_VERB_IT = re.compile(r"^\W*(?:then\s+|and\s+|also\s+)*[a-z-]+\s+it\b", re.IGNORECASE)
#: "in it", "into that": a pronoun that says where a thing goes, not what is acted on
_IN_IT = re.compile(r"\b(?:in|into|inside|within|during)\s+(?:it|that|this|them)\b", re.I)
_PRONOUN_OBJECT = re.compile(r"\b(?:it|it's|its|them|their|this|that\s+one)\b", re.IGNORECASE)
#: "create her", "add him", "register them": a record of the person, made or kept
_PERSON_RECORDED = re.compile(
    r"^(?:create|add|register|enrol|enroll|onboard|save|store|record|import)\s+(?:him|her)\b",
    re.IGNORECASE,
)
_AT_LINK = re.compile(
    r"\b(?:(?:of|from|on|in)\s+(?:the\s+|this\s+)?(?:web\s*page|page|article|site|website|post)"
    r"\s+)?at\s+(?:the\s+|this\s+|that\s+)?(?:url|link|address)\b|\b(?:of|from|on|in)\s+"
    r"(?:the\s+)?(?:web\s*page|page|website|site)\b",
    re.IGNORECASE,
)
_MENTIONS_LINK = re.compile(
    r"\b(?:url|urls|link|links|web\s*page|website|site|(?:page|article|post)\s+at)\b|"
    r"https?://",
    re.IGNORECASE,
)
#: "a ticket about the broken link on the pricing page", "for the typo on https://...": a
#: link a step that changes something is about, not a page whose text it passes on.
_LINK_AS_TOPIC = re.compile(
    r"\b(?:about|regarding|concerning|for)\s+(?:the|a|an|our|this|that|their)\s+(?:[\w-]+\s+){0,3}?"
    r"(?:[\w-]+\s+(?:on|in|at|of)\s+(?:the\s+|our\s+|their\s+|this\s+)?(?:[\w-]+\s+)?"
    r"(?:page|site|website|web\s*page|link|url)\b|[\w-]+\s+(?:on|in|at|of)\s+https?://|link\b|url\b)",
    re.IGNORECASE,
)
#: "the page", "this link", "the article": a page a step names as a thing of its own.
_THE_PAGE = re.compile(
    r"\b(?:the|this|that|its|their)\s+(?:urls?|links?|web\s*pages?|webpages?|articles?|pages?)\b"
    r"(?!\s+(?:issues?|problems?|errors?|outages?|bugs?|owners?|teams?|views?|loads?))",
    re.IGNORECASE,
)
_TWO_OBJECTS = re.compile(
    # ("get the weather for Paris and the exchange rate from USD to EUR": each with its own
    # words after it)
    r"^(?P<verb>[a-z]+)\s+(?P<a>(?:the|a|an|their|its|our|his|her)\s+[a-z]+(?:\s+[\w'-]+){0,6}?)"
    r"\s+and\s+(?P<b>(?:the|a|an|their|its|our|his|her)\s+[a-z][\w'-]*(?:\s+[\w'-]+){0,6})$",
    re.IGNORECASE,
)
#: "..., and whatever happens, ...": what follows is a step of its own, done either way
_AND_EITHER_WAY = re.compile(
    r"\s*,?\s+and\s*,?\s+(?=(?:whatever\s+happens|no\s+matter\s+what|either\s+way|"
    r"regardless(?:\s+of\s+the\s+(?:result|outcome))?|in\s+(?:any|either)\s+case)\s*,)",
    re.IGNORECASE,
)
#: "email me what happened", "tell ops how it went": the result of the step before
_WHAT_HAPPENED = re.compile(
    r"\b(?P<lead>(?:e-?mail|tell|send|text|message|notify|let)\b(?:[^.;!?]|\.(?=\w)){0,60}?)"
    r"\b(?:what\s+happened|how\s+it\s+went)\b",
    re.IGNORECASE,
)
#: "...; above that, ...", "Anything over that ...": the other case of the amount compared
_BEYOND_THAT = re.compile(
    r"\s*[;,.]\s*(?:and\s+)?(?:(?:anything|everything|any\s+amount|amounts?)\s+)?"
    r"(?:above|over|beyond|more\s+than|below|under|less\s+than)\s+that\b\s*,?\s*",
    re.IGNORECASE,
)
_OTHERWISE_APART = re.compile(
    r"(?P<before>\b(?:if|unless)\b[^.;!?\n]*?)\.\s+otherwise\b", re.IGNORECASE
)
#: "a refund request over $200 comes in", "a new order arrives": the thing that arrives
_ARRIVES = re.compile(
    r"^\s*(?:a|an|the|each|every|any)\s+(?:new\s+)?(?P<thing>[a-z][\w-]*(?:\s+[a-z][\w-]*)?)"
    r"\b.*?\b(?:comes?\s+in|arrives?|is\s+(?:received|submitted|filed|placed|opened|created))\b",
    re.IGNORECASE,
)


#: The words for a person a tool keeps a record of.
_PERSON_WORDS = "user|customer|member|client|subscriber|employee|contact"


def _person_noun(group: str) -> str:
    """A kind of person ("user", "customer"), captured as `group`."""
    return rf"(?P<{group}>{_PERSON_WORDS})"


#: A person's code: "19", "C-55", "#7", "u_1001"
_PERSON_CODE_ALONE = r"#?[A-Za-z]*[-_]?\d[\w-]*"


def _person_code(group: str) -> str:
    """A person's code (`_PERSON_CODE_ALONE`), captured as `group`."""
    return rf"(?P<{group}>{_PERSON_CODE_ALONE})"


_PERSON_NOUN = _person_noun("noun")
_PERSON_CODE = _person_code("code")
#: "send a welcome email to user 19": a message to someone named by their code
_SENT_TO_SOMEONE_BY_CODE = re.compile(
    r"(?P<lead>^|(?<=[.;!?]\s)|(?<=,\s)|(?<=\band\s)|(?<=\bthen\s))"
    r"(?P<step>(?:send|email|text|message|welcome|greet|notify)\b[^.;!?,]*?)\s+to\s+"
    rf"{_PERSON_NOUN}\s+{_PERSON_CODE}(?=\s*(?:$|[.;!?,]|\s+(?:and|then)\b))",
    re.IGNORECASE,
)
#: "send a welcome email to users jdoe, mlee and tcho", "... to these users: u_1, u_2"
_SENT_TO_PEOPLE_LISTED = re.compile(
    r"(?P<lead>^|(?<=[.;!?]\s)|(?<=,\s)|(?<=\band\s)|(?<=\bthen\s))"
    r"(?P<step>(?:send|email|text|message|welcome|greet|notify)\b[^.;!?,:]*?)\s+to\s+"
    r"(?:each\s+of\s+)?(?:these\s+|the\s+following\s+|the\s+)?"
    r"(?P<noun>users|customers|members|employees|accounts)\s*:?\s+"
    r"(?P<list>[\w.-]+(?:\s*,\s*[\w.-]+)*\s*,?\s+and\s+[\w.-]+|[\w.-]+(?:\s*,\s*[\w.-]+)+)"
    r"(?=\s*(?:$|[.;!?]|,?\s+(?:and|then)\b))",
    re.IGNORECASE,
)
#: "check whether user 19's email is disposable", "validate the email of user 19"
_FIELD_OF_SOMEONE_BY_CODE = re.compile(
    r"(?P<lead>^|(?<=[.;!?]\s)|(?<=,\s)|(?<=\band\s)|(?<=\bthen\s))"
    r"(?P<verb>(?:check|see|find\s+out)\s+(?:whether|if)|validate|verify|check)\s+(?:the\s+)?"
    rf"(?:{_PERSON_NOUN}\s+{_PERSON_CODE}'s\s+(?P<owned>email(?:\s+address)?|phone(?:\s+number)?)"
    r"|(?P<owned2>email(?:\s+address)?|phone(?:\s+number)?)\s+of\s+(?:the\s+)?"
    rf"{_person_noun('noun2')}\s+{_person_code('code2')})",
    re.IGNORECASE,
)
#: "email me the link to invoice in_1Ab2C, ap@kitepay.com": whom "me" stands for, said
#: last after a comma (it was copied in as an address asked of the run)
_ME_AND_MY_ADDRESS = re.compile(
    r"\b(?P<verb>email|mail|send)\s+me\s+(?P<what>[^.;!?@,]*?),\s*"
    r"(?P<address>[\w.+-]+@[\w-]+(?:\.[\w-]+)+)(?=\s*(?:$|[.;!?]))",
    re.IGNORECASE,
)
#: "email the prices of AAPL and MSFT to me@x.io", "text me the prices of A, B and C": a
#: thing said of each of several codes or names, sent
_FIELDS_OF_SEVERAL_SENT = re.compile(
    r"(?P<lead>^|(?<=[.;!?]\s)|(?<=,\s)|(?<=\band\s)|(?<=\bthen\s))"
    r"(?P<verb>(?i:email|text|send|message|post))\s+"
    r"(?P<to>(?:me|us|[\w.+-]+@[\w-]+(?:\.[\w-]+)+|\+?\d[\d-]{6,}\d)\s+)?(?i:the)\s+"
    r"(?P<what>[a-z]+s)\s+of\s+"
    r"(?P<list>[A-Z][\w.-]*(?:\s*,\s*[A-Z][\w.-]*)*\s*,?\s+and\s+[A-Z][\w.-]*)\b(?!\s+of\b)"
)
#: "route it: billing to billing@x.com, technical to a ticket, anything else to help@x.com"
_ROUTED_BY_A_LIST = re.compile(
    r"\b(?P<verb>route|send|forward|direct|assign)\s+(?:it|them|each\s+one|the\s+message|the\s+"
    r"ticket)\s*:\s*(?P<routes>(?:[^.;!?]|\.(?=\w))+)",
    re.IGNORECASE,
)
_ROUTE_ITEM = re.compile(
    r"^\s*(?:and\s+)?(?P<kind>[a-z][\w-]*|anything\s+else|everything\s+else|the\s+rest|"
    r"others?|all\s+others|any\s+other)\s+(?:ones?\s+)?(?:goes?\s+|go\s+)?(?P<to>(?:in)?to\s+.+)$",
    re.IGNORECASE,
)


def _routes_listed(match: re.Match[str]) -> str:
    """ "route it: billing to X, technical to Y, anything else to Z" -> "route billing ones
    to X, technical ones to Y, and everything else to Z", as the routes are read."""
    items = [item for item in re.split(r"\s*,\s*", match["routes"]) if item.strip()]
    routes = []
    for item in items:
        said = _ROUTE_ITEM.match(item)
        if said is None:
            return match[0]
        kind = said["kind"].lower()
        other = kind in {
            "anything else",
            "everything else",
            "the rest",
            "other",
            "others",
            "all others",
            "any other",
        }
        routes.append(f"{'everything else' if other else kind + ' ones'} {said['to'].strip()}")
    if len(routes) < 2:
        return match[0]
    return f"{match['verb']} {', '.join(routes[:-1])}, and {routes[-1]}"


_ADDRESS = EMAIL_ADDRESS.pattern
#: "Send a welcome email to a@x.com, b@x.com and c@x.com, but skip invalid addresses"
_LISTED_BUT_SKIP_INVALID = re.compile(
    rf"(?P<step>(?:^|(?<=[.;!?]\s))[^.;!?]*?)(?P<list>{_ADDRESS}(?:\s*,\s*(?:and\s+)?{_ADDRESS}"
    rf"|\s+and\s+{_ADDRESS})+)\s*,?\s*(?:but\s+)?(?:skip(?:ping)?|ignor(?:e|ing)|leav(?:e|ing)\s+"
    r"out|exclud(?:e|ing)|drop(?:ping)?)\s+(?:the\s+|any\s+)?invalid\s+(?:ones|addresses|emails)\b",
    re.IGNORECASE,
)


def _validated_first(match: re.Match[str]) -> str:
    """ "Send a welcome email to a@x, b@x, but skip invalid addresses" -> "Validate a@x, b@x,
    then send a welcome email to the valid ones"."""
    step = match["step"].strip()
    if not step:
        return match[0]
    return f"Validate {match['list']}, then {step[:1].lower()}{step[1:]} the valid ones"


#: "it's invalid", "the address is invalid": not valid
_INVALID_SAID = re.compile(r"(?P<be>\b(?:is|are|'s|'re|was|were))\s+invalid\b", re.IGNORECASE)
#: "log the refund in the sheet", "record the ticket": a thing made before, kept by name
_KEPT_THING = re.compile(
    r"^(?:then\s+)?(?:log|record|add|append|save|write|store|keep|track)\s+(?:the|this|that)\s+"
    r"(?P<noun>[a-z]+)\b",
    re.IGNORECASE,
)
#: "flag it by opening a ticket", "escalate it by emailing ops@x.com": a step said by
#: its purpose, then its means
_BY_DOING = re.compile(
    r"(?P<lead>)\b(?:flag|mark|escalate|report|handle|record|"
    r"log|note|track|signal|raise)\s+(?:it|them|this|that)\s+by\s+(?P<gerund>[a-z]+ing)\s+"
    r"(?P<rest>(?:[^,;.!?]|\.(?=\w))+)",
    re.IGNORECASE,
)
#: "approval for charging order 5": the step the approval is for, done once approved
_APPROVAL_FOR_DOING = re.compile(
    r"\b(?P<approval>approval|sign[- ]?off|go[- ]ahead)\s+for\s+(?=(?!(?:every|any|some|no)thing\b)"
    r"[a-z]+ing\b)",
    re.IGNORECASE,
)
#: A doing said as a noun, and its verb ("approve the $5000 charge for order 9").
_DOING_NOUNS = {
    "charge": "charge",
    "payment": "charge",
    "refund": "refund",
    "shipment": "ship",
    "transfer": "transfer",
    "purchase": "purchase",
    "payout": "pay out",
}
_AMOUNT_SAID = (
    r"(?:[$€£¥]\s?\d[\d,]*(?:\.\d+)?|\d[\d,]*(?:\.\d+)?\s?(?:usd|eur|gbp|dollars?|euros?))"
)
_APPROVE_THE_DOING = re.compile(
    rf"\b(?P<verb>approves?|authori[sz]es?|signs?\s+off\s+on|ok)\s+(?:the|this|that|a|an)\s+"
    rf"(?:(?P<money>{_AMOUNT_SAID})\s+)?(?P<noun>{'|'.join(_DOING_NOUNS)})"
    rf"(?:\s+of\s+(?P<money2>{_AMOUNT_SAID}))?\s+(?:for|on|of|to)\s+"
    r"(?P<thing>(?:the\s+)?[a-z]+\s+#?[\w-]*\d[\w-]*)"
    rf"(?:\s+(?:for\s+)?(?P<money3>{_AMOUNT_SAID}))?",
    re.IGNORECASE,
)
_APPROVE_DOING = re.compile(
    r"\b(?P<verb>approves?|authori[sz]es?|signs?\s+off\s+on)\s+"
    r"(?P<doing>(?!(?:every|any|some|no)thing\b)"
    r"[a-z]+ing)\s+(?=(?:the\s+)?[a-z]+\s+#?[\w-]*\d)",
    re.IGNORECASE,
)


def _approve_before_doing(match: re.Match[str]) -> str:
    money = match["money"] or match["money2"] or match["money3"]
    doing = _DOING_NOUNS[match["noun"].lower()]
    return f"{match['verb']} before we {doing} {match['thing']}{f' {money}' if money else ''}"


#: "named Jane", "called Jane Doe": a person's name written in the request
_NAMED = re.compile(
    r"\b(?:named|called|(?:her|his|their|whose)\s+name\s+is|(?:she|he)\s+is"
    # ("(owner name is Karen Diaz)", "the client's name is ...": whose, said by a role; a
    # pet's or a company's name is no person's)
    r"|(?<!['\u2019])(?:the\s+)?(?!(?:pet|dog|cat|puppy|company|business|product|file|project|brand|store|shop|"
    r"team|channel|account|user)\b)[a-z]+(?:'s)?\s+name\s+is)\s+"
    r"(?P<name>[A-Z][a-z'-]+(?:\s+[A-Z][a-z'-]+)?)\b"
    # "send a welcome email to Jane at jane@example.com": the person the address is theirs
    # ("create a lead for Jane Roe, jane@roe.io", "add Jane Roe (jane@roe.io) as a lead")
    r"|\b(?:to|greet|welcome|email|thank|for|add|invite|register|enrol|enroll|onboard)\s+"
    r"(?P<owner>[A-Z][a-z'-]+(?:\s+[A-Z][a-z'-]+)?)\s*"
    r"(?:at|\(|<|,|-)\s*[\w.+-]+@[\w-]+\."
    # "ship it to Priya Nair, 22 Baker St, London": the person a parcel goes to, before the
    # street address
    # (or "to Anna Berg, Storgatan 12, ...": the street's name, then its number)
    r"|\bto\s+(?P<addressee>[A-Z][a-z'-]+(?:\s+[A-Z][a-z'-]+){1,2})\s*,\s*"
    r"(?:\d+[A-Za-z]?\s+[A-Z]|[A-Z\u00c0-\u00de][\w'-]+\s+\d{1,5}[A-Za-z]?\s*,)"
    # "send Maria the welcome email at maria@corp.eu": the person it is sent to, by name
    r"|\b(?i:send|give|email)\s+(?P<sent_to>[A-Z][a-z'-]+)\s+(?i:the|a|an|our|their|her|his)\s+"
    r"(?=[^.;]*[\w.+-]+@[\w-]+\.)"
)
#: "if the user u-19 exists", "if bo@x.com doesn't exist": whether a lookup finds it, as
#: "is found" says it (a condition nothing told was refused)
#: (someone, or their address: "if the page exists" is no lookup)
_SOMEONE_SAID = (
    r"(?P<who>\b(?:user|customer|account|member|person|client|contact|subscriber|employee|"
    r"he|she|they)\b(?:\s+[\w@.+-]+)?|[\w.+-]+@[\w-]+(?:\.[\w-]+)+)\s+(?:already\s+)?"
)
_EXISTS = (
    (
        re.compile(_SOMEONE_SAID + r"(?:does\s+not|doesn't|doesnt)\s+exist\b", re.IGNORECASE),
        r"\g<who> is not found",
    ),
    (re.compile(_SOMEONE_SAID + r"exists\b", re.IGNORECASE), r"\g<who> is found"),
)
#: "if not, don't do anything": doing nothing, not a step said with "don't" (which the rules
#: below read as "do it unless ...")
_DO_NOTHING_SAID = re.compile(r"\b(?:don't|dont|do\s+not)\s+do\s+anything\b", re.IGNORECASE)
#: "don't send the welcome email if it's a disposable address; otherwise welcome Dev": what
#: is done otherwise, unless the condition holds (the step said with "don't" is the same)
_WORDS = r"(?:[^;.!?]|\.(?=\w))"  # (a dot inside an address or a number is no stop)
_NOT_IF_OTHERWISE = re.compile(
    r"(?P<lead>(?:^|[.;!?]\s*|,\s*|\b(?:and|but|then)\s+))(?:don't|do\s+not|never)\s+"
    rf"(?P<act>{_WORDS}+?)\s+if\s+(?P<cond>{_WORDS}+?)\s*[;,.]\s*(?:otherwise|else)\s*,?\s+"
    rf"(?P<other>{_WORDS}+)",
    re.IGNORECASE,
)
#: "after the payment of $40 for order 9 goes through, email ...": the charge, then the
#: step only if it went through (not after it whatever its outcome)
_AFTER_IT_WENT_THROUGH = re.compile(
    # ("once the payment of €64.50 ... goes through": "once", "when", and a decimal point)
    r"(?P<lead>^|[.;!?]\s+)(?:after|once|when|as\s+soon\s+as)\s+"
    r"(?P<what>(?:the|a)\s+(?:payment|charge)\b(?:[^,;.!?]|(?<=\d)\.(?=\d))*?)\s+"
    r"(?:goes|went|has\s+gone)\s+through\s*,\s*",
    re.IGNORECASE,
)
#: "and email tracking to buyer@x.co.uk": a message verb, a bare noun and whom it goes to
#: (the noun is what is sent, as with "the": "email the tracking to ...")
_BARE_OBJECT_SENT = re.compile(
    r"\b(?P<verb>email|e-mail|mail|text)\s+(?!(?:the|a|an|it|them|this|that|these|those|"
    r"their|his|her|our|my|your|each|every|all|any|some|to|me|us|him|both|everything|"
    r"everyone|everybody|anything|anyone|someone|nothing|either|neither)\b)"
    r"(?P<what>[a-z][a-z-]+(?:\s+(?!to\b)[a-z][a-z-]+)?)\s+to\s+(?=[\w.+-]+@[\w-]+\.)",
    re.IGNORECASE,
)
#: "Send the welcome email to each new hire: Priya priya@corp.com, Tom tom@corp.com": the
#: values of a loop after "each <noun>:", said as "each of these <nouns>:"
_EACH_NOUN_LISTED = re.compile(
    r"\b(?:each|every)\s+(?!of\b|one\b|other\b)(?P<noun>(?:new\s+)?[a-z-]+?)s?\s*:\s*"
    r"(?=(?:[^.;!?\n]|\.(?=\w))*,)",
    re.IGNORECASE,
)


#: "Charge order 14 $2,500; anything over $2,000 needs the CFO's sign-off first": a policy
#: on the amount, as "any amount over ..." reads (not a condition on every step before)
_ANYTHING_OVER_NEEDS_APPROVAL = re.compile(
    r"\b(?:anything|everything|any\s+one)\s+(?=(?:over|above|more\s+than|exceeding|greater\s+"
    r"than)\s+(?:[$€£]\s*)?\d[^.;!?]*\b(?:needs?|requires?|must|has\s+to|have\s+to|should)\b"
    r"[^.;!?]*\b(?:approv\w*|sign[\s-]?off|sign\s+off|ok|okay)\b)",
    re.IGNORECASE,
)
#: "Welcome each of these: a@x.io, b@y.io": the values after the colon, with no noun
_EACH_OF_THESE_NO_NOUN = re.compile(
    # ("for each of: WA, NY, FL": "these" unsaid before the colon)
    r"\b(?:each|every\s+one)\s+of\s*(?:(?:these|those|the\s+following)\s*)?:\s*"
    r"(?=(?:[^.;!?\n]|\.(?=\w))*,)",
    re.IGNORECASE,
)


def _these_values_named(match: re.Match[str]) -> str:
    """The noun of the addresses or links listed after "each of these:" (codes stay
    unnamed: "validate each of these: A-1, A-2" says no more what they are)."""
    listed = match.string[match.end() :]
    first = re.split(r"[,\s]", listed.strip(), maxsplit=1)[0]
    if EMAIL_ADDRESS.fullmatch(first.rstrip(".,;")):
        return "each of these addresses: "
    if re.match(r"https?://", first):
        return "each of these links: "
    if not re.search(r"\b(?:these|those|following)\b", match.group(0), re.IGNORECASE):
        # ("for each of: WA, NY, FL": "these" unsaid, and postal codes are states)
        items = re.split(r"\s*,\s*(?:and\s+|or\s+)?|\s+(?:and|or)\s+", listed.split("\n")[0])
        codes = [item.strip(" .;!?") for item in items if item.strip(" .;!?")]
        if postal_regions(codes):
            return "each of these states: "
        # ("the VAT on 75 EUR in each of: DE, FR, IT": countries by their codes)
        return "each of these countries: " if country_codes(codes) else "each of these: "
    return match.group(0)


#: "Dr. Osei", "Mrs. Patel": a title's stop is no end of a sentence
#: ", subject Q3 update", "with subject line weekly numbers": a subject written after its
#: label, unquoted, up to the end of the step (not "with subject of the ticket").
_SUBJECT_UNQUOTED = re.compile(
    r"(?P<lead>(?:,\s*|\bwith\s+)subject(?:\s+line)?\s*:?\s+)"
    r"(?!(?:of|from|as|to|that|which|set|taken|being|the\s+same)\b)"
    # ("with subject Weekly notes: Revenue rose ...": the text after the colon is no part)
    r"(?P<value>[A-Za-z0-9][^\"',;.!?\n:]*?)(?=\s*(?:$|[,;.!?\n:]|\s(?:and|then)\s))"
)
_TITLE_ABBREVIATION = re.compile(r"\b(?P<title>Dr|Mr|Mrs|Ms|Mx|Prof|Rev|Sr|Jr)\.\s+(?=[A-Z])")
#: "how long is the drive", "how far is the trip", "how long does the route take"
_HOW_LONG_IS_THE_TRIP = re.compile(
    r"(?P<lead>^|[.;!?]\s+)how\s+(?:long|far)\s+(?:is|will\s+be|would\s+be|does)\s+"
    r"(?:the|a|our|my)\s+(?P<trip>drive|trip|ride|journey|route|run)\b(?:\s+take\b)?",
    re.IGNORECASE,
)
#: A street's short name before its house number ("Hauptstr. 5", "Main St. 12")
_STREET_ABBREVIATION = re.compile(
    r"\b(?P<street>[A-Z]\w*(?:str|St|Ave|Rd|Blvd|Ln)|St|Ave|Rd|Blvd)\.\s+(?=\d)"
)
#: "A buyer wants a viewing ...;", "Our client asked for a refund.": who wants what, first
#: "customer on 07700 900456 says no signal, ...", "the caller from unit 4 reported a leak;
#: ...", "bag WN660104 turned up in Denver, ...": someone's report, or what became of a
#: thing, up to a comma or a stop, said before the steps.
_REPORTED_FIRST = re.compile(
    r"^\s*(?P<report>(?:(?:a|an|the|our|my|this)\s+)?[a-z]+\b[^,.;!?:]{0,60}?\s+"
    r"(?:says|said|reports|reported|rang|called|phoned|complains|complained|turned\s+up|"
    r"showed\s+up|was\s+found|has\s+been\s+found)\b[^,.;!?:]*"
    # ("bike B-2291 has a flat rear tyre, open a repair ticket for it": a state of a thing
    # named by its code; "saw about 40 whiteflies in zone B1, log it": what was seen)
    # (not "if VEN-14 is free, email ops": a condition, dropped as what was reported)
    r"|(?:(?:the|a|an|our|my)\s+)?(?!(?:if|when|whenever|unless|once|whether|while)\b)[a-z]+"
    r"\s+#?(?=[\w-]*\d)[A-Za-z0-9][\w-]*\s+"
    r"(?:has|have|is|are|keeps|won't|can't|isn't|doesn't|got"
    # ("student S-77 changed schools, put him on route R-5": what happened to it)
    r"|moved|changed|left|switched|transferred|broke|crashed|stalled|failed|missed)\b[^,.;!?:]*"
    r"|(?:(?:we|i)\s+)?(?:saw|spotted|noticed|counted|found)\s+(?:about\s+|around\s+|some\s+)?"
    r"\d+\s+[^,.;!?:]*)"
    # ("bus BUS-2 broke down on route R-8 - log an incident": a dash, as a comma)
    r"(?:[,.;]|\s[\u2014\u2013-]+)\s+(?P<rest>\S.*)$",
    re.IGNORECASE | re.DOTALL,
)
#: "add uk vat to £200", "add sales tax to $80": the tax on an amount (and its total)
_TAX_ADDED_TO_AN_AMOUNT = re.compile(
    r"(?P<lead>(?:^|[,;.:]\s*|\b(?:and|then|pls|please)\s+))add\s+"
    r"(?P<what>(?:the\s+)?(?:[a-z]+\s+){0,2}?(?:vat|gst|hst|pst|sales\s+tax|tax))\s+(?:on\s+)?to\s+"
    r"(?=[$€£¥]\s?\d|\d)",
    re.IGNORECASE,
)
#: "apply for the tax credit", "please apply for a permit": an application made.
_APPLIES_FOR = re.compile(r"^\W*(?:please\s+|pls\s+)?apply\s+for\b", re.IGNORECASE)
#: "bag WN660104 ...", "the order A-17 ...": a thing and its code, said first.
_THING_BY_ITS_CODE = re.compile(
    r"^(?:(?:the|a|an|our|my)\s+)?(?P<thing>[a-z]+)\s+(?P<code>#?(?=[\w-]*\d)[A-Za-z0-9][\w-]*)\b",
    re.IGNORECASE,
)
#: "deliver it to ...": the first step's verb and "it" after it.
_IT_AFTER_THE_VERB = re.compile(r"^(?P<verb>\s*(?:pls\s+|please\s+)?[a-z]+\s+)it\b", re.I)
#: ", tag UA009123" ending a step: a label and a code after a comma.
_LABELLED_CODE_AFTER_A_COMMA = re.compile(
    r",\s+(?P<label>[a-z]+)\s+(?P<code>#?(?=[\w-]*\d)[A-Za-z0-9][\w-]*)(?=\s*(?:$|[,.;!?]))"
)
#: "tag UA009123. ...", "booking RT55XY, ...": a label and a code, then the rest.
_LABELLED_CODE_NEXT = re.compile(
    r"^(?P<value>[a-z]+\s+#?(?=[\w-]*\d)[A-Za-z0-9][\w-]*)\s*[,.;]\s+(?P<after>\S.*)$",
    re.IGNORECASE | re.DOTALL,
)
#: A phrase after a report that is no more of it: a condition, a step joined on.
_NO_REPORT = re.compile(r"\s*(?:if|when|once|unless|and|then|or|but|so)\b", re.IGNORECASE)
_BACKGROUND = re.compile(
    r"^\s*(?:a|an|the|our|one\s+of\s+our|my)\s+[a-z]+(?:\s+[a-z]+)?\s+"
    r"(?:wants|wanted|needs|needed|asked|asks|would\s+like|is\s+asking|has\s+asked)\b"
    r"[^;.!?:]*[;.:]\s+",
    re.IGNORECASE,
)
#: A value read from an approval some runs skip, or else from the run (`_decided_value`)
_READS_AN_APPROVAL_SOME_SKIP = re.compile(r"^[a-z_][\w]* != null \? ")
#: Someone's approval asked for: "needs to approve", "has to sign off"
_APPROVAL_ASKED = re.compile(
    r"\b(?:approv\w*|sign(?:s|ed)?[- ]?off|signoff|authori[sz]\w*|ok\s+it)\b", re.IGNORECASE
)
#: A question that asks for a value ("what's the tax on ..."): a step that gets it
#: "sales tax on $250", "VAT on 75 EUR": a value named by what it is of, with no verb
_A_VALUE_NAMED = re.compile(r"^(?:[a-z]+\s+){0,2}[a-z]+\s+(?:on|of|for)\s+\S", re.IGNORECASE)
_ASKED_WHAT = re.compile(
    r"^(?:what's|what\s+is|what\s+are|how\s+much\s+is|tell\s+me)\s+(?=the\b)", re.I
)
#: "don't email the customer if the payment failed": the step, unless the condition holds
_NOT_IF = re.compile(
    r"(?P<lead>(?:^|[.;!?]\s*|,\s*|\b(?:and|but|then)\s+))(?:don't|do\s+not|never)\s+"
    r"(?P<act>(?!do\b|anything\b|nothing\b)(?:[^;,.!?]|\.(?=\w))+?)\s+if\s+"
    r"(?P<cond>(?:[^;,.!?]|\.(?=\w))+)",
    re.IGNORECASE,
)


#: Codes listed together: "TEMP-3 and PRES-4", "A-1, A-2 and A-3".
_CODE_SHAPE = r"[A-Z][A-Z0-9]*-\d[\w-]*"
_CODES_LISTED = re.compile(
    rf"(?<![\w-])(?P<first>{_CODE_SHAPE})(?P<rest>(?:\s*,\s*{_CODE_SHAPE})*\s*,?\s*(?:and|&|or)\s+"
    rf"{_CODE_SHAPE}|(?:\s*,\s*{_CODE_SHAPE})+)(?![\w-])"
)


def _refuse_codes_listed_for_one(clause: Clause, spec: ToolSpec, literals: dict[str, str]) -> None:
    """ "Read TEMP-3 and PRES-4": codes listed for an id input that takes one, outside a
    loop, would be read for the first alone; refused, naming them and how to loop."""
    if _codes_listed(spec, clause.action or ""):
        return  # one call each, planned as a loop
    for name, literal in literals.items():
        if not name.endswith("_id") or not literal.startswith('"'):
            continue
        code = json.loads(literal)
        for match in _CODES_LISTED.finditer(clause.action or clause.text):
            if match.group("first") != code:
                continue
            listed = re.findall(_CODE_SHAPE, match.group(0))
            raise PlanningError(
                "unmapped_step",
                f"Could not plan {clause.label}: it names {', '.join(listed)} for {spec.id}'s "
                f"{name}, which takes one, so the others would be left out. Say it for each "
                f"('for each of {' and '.join(listed)}, ...').",
                step=clause.text,
                details={"reason": "several_values_for_one", "input": name, "values": listed},
            )


def _refuse_a_value_its_pattern_refuses(
    clause: Clause, spec: ToolSpec, literals: dict[str, str]
) -> None:
    """ "buy $500 of shipping insurance for 794644790138" with `shippo_label_buy`, whose
    `rate_id` has the pattern `^rate_[a-z0-9]+$`: a value the step writes into a required
    input whose schema gives a whole pattern (`^...$`) it does not fit is not that input's
    (the tool does some other thing than the step asks); refused, naming the pattern."""
    properties = spec.input_properties()
    for name in spec.required_inputs():
        literal = literals.get(name, "")
        fields = unwrap_nullable(properties.get(name) or {})
        pattern = fields.get("pattern") if isinstance(fields, dict) else None
        if not literal.startswith('"') or not isinstance(pattern, str):
            continue
        if not (pattern.startswith("^") and pattern.endswith("$")):
            continue
        value = json.loads(literal)
        try:
            fits = re.search(pattern, value) is not None
        except re.error:
            continue
        if not fits:
            raise PlanningError(
                "unmapped_step",
                f"Could not plan {clause.label}: {value} is not a {name} of {spec.id} (its "
                f"pattern is {pattern}), so the tool does not do what the step asks. "
                "Register a tool that does it, or write the value it takes.",
                step=clause.text,
                details={"reason": "value_breaks_pattern", "input": name, "value": value},
            )


def _refuse_one_input_labelled_twice(clause: Clause, literals: dict[str, str]) -> None:
    """ "place holds on ISBN 978-1 and ISBN 978-2": two values, each labelled with the name
    of an input that takes one, would plan the first alone; refused, naming both."""
    action = clause.action or clause.text
    for name, literal in literals.items():
        if not literal.startswith('"'):
            continue
        label = r"[\s_-]+".join(map(re.escape, split_identifier(name)))
        said = re.findall(rf"\b{label}\s*:?\s*#?([\w-]*\d[\w-]*)", action, re.IGNORECASE)
        values = list(dict.fromkeys(said))
        if len(values) > 1 and json.loads(literal) in values:
            raise PlanningError(
                "unmapped_step",
                f"Could not plan {clause.label}: it names {', '.join(values)} as the {name}, "
                f"which takes one, so the others would be left out. Say it for each ('for "
                f"each of {' and '.join(values)}, ...').",
                step=clause.text,
                details={"reason": "several_values_for_one", "input": name, "values": values},
            )


def _refuse_two_listed_values_for_one(
    clause: Clause, properties: dict[str, Any], literals: dict[str, str]
) -> None:
    """ "record dhpp and rabies for P-9": two values an input lists, said together ("and", a
    comma, "&") for an input that takes one, would record the last alone; refused."""
    action = _clean_action(clause.action or clause.text).lower()
    for name in literals:
        listed = unwrap_nullable(properties.get(name) or {}).get("enum") or []
        words = "|".join(
            re.escape(str(v).replace("_", " ").lower()) for v in listed if isinstance(v, str) and v
        )
        if not words:
            continue
        pair = re.search(rf"\b({words})\s*(?:,|&|\band\b)\s*({words})\b", action)
        if pair is not None and pair[1] != pair[2]:
            raise PlanningError(
                "unmapped_step",
                f"Could not plan {clause.label}: it names {pair[1]} and {pair[2]} as the "
                f"{name}, which takes one, so one would be left out. Say each as a step of "
                f"its own ('... {pair[1]} ..., then ... {pair[2]} ...').",
                step=clause.text,
                details={
                    "reason": "several_values_for_one",
                    "input": name,
                    "values": [pair[1], pair[2]],
                },
            )


def _refuse_two_amounts_for_one(clause: Clause, spec: ToolSpec, literals: dict[str, str]) -> None:
    """ "Charge the customer 30 dollars for order 77 and 15 dollars for order 78": two
    amounts in one step of a tool that takes one would charge the first alone; refused,
    naming both, rather than dropping the second."""
    action = clause.action or clause.text
    if "amount" not in literals or _COMPARISON_PHRASE.search(action):
        return
    amounts = list(dict.fromkeys(m.group("a") or m.group("b") for m in _MONEY.finditer(action)))
    if len(amounts) < 2:
        return
    raise PlanningError(
        "unmapped_step",
        f"Could not plan {clause.label}: it names {len(amounts)} amounts "
        f"({', '.join(amounts)}) for {spec.id}, which takes one, so the others would be "
        "left out. Say each as its own step ('charge 30 dollars for order 77, then charge "
        "15 dollars for order 78').",
        step=clause.text,
        details={"reason": "several_values_for_one", "input": "amount", "values": amounts},
    )


def _the_one_number_compared(
    spec: ToolSpec, condition: Condition, trial: list[Source], *, of_what_is_said: bool
) -> ResolvedCondition | None:
    """ "If sensor TEMP-3 reads more than 90": a number compared, said of the thing a tool
    is named for (the sensor), is that tool's one number output (`value`), not a run
    input named after the verb ("reads"). "If the price of AAPL is over 200": the number
    named by its own words, of a tool the condition says what to ask of
    (`of_what_is_said`: its inputs are written in it, AAPL)."""
    text = temperatures_said(condition.text, trial)
    said = compared_with_a_number(text)
    numbers = [
        name
        for name, schema in spec.output_properties().items()
        if schema_types(unwrap_nullable(schema)) & {"number", "integer"}
    ]
    if said is None or not numbers:
        return None
    words = {stem(w) for w in meaningful(text)}
    if "%" in text:
        words |= {stem("percent"), stem("pct")}
    if re.search(r"\bdegrees?\b", text, re.I):
        words |= {stem("temp"), stem("temperature")}
    # (the tool's thing: "sensor"; a number's own name alone, "scored", could be any
    # tool's score: a sentiment's too)
    naming = {stem(w) for w in split_identifier(spec.id)[1:]}
    if len(numbers) == 1 and naming & words:
        return resolve_condition(f"the {numbers[0]} is {said}", trial, negate=condition.negate)
    if not of_what_is_said:
        # ("if the amount is over 1000": a number of the request, not a tax calculation's
        # `amount` asked for an amount the run gives)
        return None
    if len(numbers) == 1 and not (
        {stem(w) for n in spec.output_properties() for w in split_identifier(n)} & words
    ):
        # ("if avg:system.cpu.user{host:web-1} is above 90": what the condition writes is
        # what the tool is asked, and it names no field: the one number the tool returns)
        return resolve_condition(f"the {numbers[0]} is {said}", trial, negate=condition.negate)
    # "if the price of AAPL is over 200", "if it drops more than 3%", "if the temperature
    # in Oslo is below 5 degrees": the number the condition names, by its own words
    tried = resolve_condition(text, trial, negate=condition.negate)
    if tried is None or tried.new_input is not None or tried.subject not in numbers:
        return None
    named = {stem(w) for w in split_identifier(tried.subject) if len(w) > 1}
    return tried if named & words else None


def _abbreviations_spelled_out(text: str) -> str:
    """ "Raise a purchase order ...; procurement approves any PO over 5,000": an
    abbreviation in capitals is written as the words of the request it stands for (their
    initials), so the approval is of the step that says them."""
    for abbreviation in dict.fromkeys(_ABBREVIATION.findall(text)):
        letters = r"\s+".join(rf"{c.lower()}[a-z]+" for c in abbreviation)
        spelled = next(
            (
                m
                for m in re.finditer(rf"\b(?:{letters})\b", text)
                # ("for IT to set up ...": not "if their")
                if not STOP_WORDS & set(m.group(0).split())
            ),
            None,
        )
        if spelled is not None:
            text = re.sub(rf"\b{abbreviation}s?\b", spelled.group(0), text)
    return text


#: "PO", "SLA", "NDA": two to four capitals alone (not a code with a digit or a dash).
_ABBREVIATION = re.compile(r"(?<![\w-])([A-Z]{2,4})(?![\w-])")


def _written_list(items: str | None) -> list[str]:
    """The values of a list written in the request (`["NY", "TX"]`), or none."""
    if not items or not items.startswith("["):
        return []
    try:
        values = json.loads(items)
    except ValueError:
        return []
    return values if all(isinstance(v, str) for v in values) else []


def _names_a_region(name: str) -> bool:
    return bool({"region", "state", "province"} & set(split_identifier(name)))


def _first_name_part(address: str) -> str:
    """The first part of an address's name, in lower case ("priya" of Priya.Shah@uni.edu)."""
    return re.split(r"[._+-]", address.split("@", 1)[0].lower())[0]


def _owner_named(request: str, said: Sequence[str]) -> str | None:
    """The capitalised name in `request` that is the first part of the one address the
    step sends to ("Priya" of priya@uni.edu, "Dev" of dev@startup.io), or None."""
    addresses = {m.group(0).lower() for text in said for m in EMAIL_ADDRESS.finditer(text)}
    if not addresses:
        # ("validate dev@startup.io ...; otherwise welcome Dev": the request's one address)
        addresses = {m.group(0).lower() for m in EMAIL_ADDRESS.finditer(request)}
    if len(addresses) != 1:
        return None
    first = _first_name_part(next(iter(addresses)))
    if len(first) < 2 or not first.isalpha():
        return None
    written = f"{first[0].upper()}{re.escape(first[1:])}"
    named = re.search(rf"(?<![\w@.])({written})\b(?![@.]\w)", request)
    return named.group(1) if named else None


#: Words of an input named for who does the work ("vet", "assigned_trainer")
_PRACTITIONERS = frozenset(
    "vet doctor clinician practitioner provider dentist therapist physician nurse trainer "
    "coach instructor stylist interviewer tutor teacher technician installer".split()
)
#: "with Dr. Alvarez", "with Dr Patel", "with coach Mike": whom a step is done with
_WITH_A_PERSON = re.compile(
    r"\bwith\s+(?:(?P<title>(?-i:Dr|Mr|Mrs|Ms|Mx|Prof))\.?\s+|(?:coach|nurse|trainer)\s+)?"
    r"(?P<name>(?-i:[A-Z][a-z'-]+))\b",
    re.IGNORECASE,
)
#: "email jo@cafe.net and tell her the part ships", "text the owner and let them know it's
#: ready": one message to that person, saying what follows
_MESSAGED_AND_TOLD = re.compile(
    r"(?P<sent>\b(?:e-?mail|text|message)\s+(?:[\w.+-]+@[\w-]+(?:\.[\w-]+)+|"
    r"(?:the|our|my|their|his|her)\s+[a-z-]+|(?-i:[A-Z][a-z]+)))\s*,?\s+and\s+"
    # ("... and tell them to restart it": what they are asked to do, left as said)
    r"(?:tell|let)\s+(?:him|her|them)(?:\s+know)?\s+(?:that\s+)?(?!to\s)(?=[a-z])",
    re.IGNORECASE,
)
#: "... the welcome email to them as Sam", "greet her as Ana Ruiz": the name someone is
#: called by, said last
_GREETED_AS = re.compile(r"\bas\s+(?P<name>[A-Z][a-z'-]+(?:\s+[A-Z][a-z'-]+)?)\s*[.!]?$")
#: "calculate tax on 1200": a number the step works on, with no unit after it
_BARE_AMOUNT = re.compile(
    r"\b(?:on|of|for)\s+(?P<a>\d+(?:\.\d+)?)\b(?!\s*(?:%|percent|units?|items?|days?|hours?|"
    r"minutes?|mins?|seconds?|secs?|sentences?|words?|times?|orders?|tickets?|users?|people|"
    r"customers?|lines?|chars?|characters?)\b)(?!\.\d)(?P<b>)",
    re.IGNORECASE,
)
#: "charge 40 for order 3", "bill 12.50 to order 9": the number a charge says first
_CHARGED_NUMBER = re.compile(
    r"\b(?:charge|bill|pay|refund|invoice)\s+(?P<a>\d+(?:\.\d+)?)(?P<b>)\s+(?:to|for|on)\b",
    re.IGNORECASE,
)
#: "charge it", "ship them": a step done to what was said before
_IT_SAID = re.compile(r"^\W*[a-z]+(?:\s+(?:up|out))?\s+(?:it|them|the\s+charge)\b", re.IGNORECASE)
#: "... the link https://...", "this URL:": a link said as what is sent
_THE_LINK = re.compile(r"\b(?:the|this|a)\s+(?:link|url|address)\s*:?\s*$", re.IGNORECASE)
#: "has to OK it", "must greenlight the refund": an approval said in other words.
#: "must approve before it's created", "has to sign off before it is charged": the thing
#: the request spoke of, done by the step said before (the approval came after it)
_APPROVED_BEFORE_IT_IS_DONE = re.compile(
    r"(?P<approve>\b(?:approv\w*|sign(?:s|ed)?\s+off|ok\s+it|okay\s+it))\s+before\s+"
    r"(?:it|they|this|that)(?:'s|'re|\s+is|\s+are|\s+gets?|\s+get)\s+[a-z]+(?:ed|en|t)\b"
    r"(?=\s*(?:[.;!?]|$))",
    re.IGNORECASE,
)
#: "any job cancellation needs the dispatch supervisor's ok: cancel J-6612 ...": a rule of
#: approval said first, a colon, and the step
_APPROVAL_RULE_COLON = re.compile(
    r"^(?P<rule>[^:.;!?]*\b(?:needs?|requires?|must|has\s+to|have\s+to|should)\b[^:.;!?]*"
    r"\b(?:approv\w*|sign[-\s]?off|ok|okay|go-ahead|say-so)\b[^:.;!?]*?)\s*:\s+(?P<rest>\S.*)$",
    re.IGNORECASE | re.DOTALL,
)
_OKAYED = re.compile(
    r"\b(?P<lead>(?:to|must|should|will|shall|can|could)\s+)"
    r"(?:ok|okay|o\.k\.|greenlight|green-light|green\s+light)\s+"
    r"(?=(?:it|this|that|them|the|each|every|any|all)\b)",
    re.IGNORECASE,
)
#: "email purchasing@x.com", "e-mail them": a message sent to someone, said by its verb
_EMAILED_SOMEONE = re.compile(
    r"^\W*e-?mail\s+(?=[\w.+-]+@|(?:them|him|her|me|us)\b)", re.IGNORECASE
)
#: "by email", "using their id": the key a thing is found by, not the thing.
_LOOKED_UP_BY = re.compile(
    r"\b(?:by|via|using|with)\s+(?:their\s+|its\s+|his\s+|her\s+|the\s+)?"
    r"(?:email|e-mail|id|phone|name|number|username)(?:\s+(?:address|number))?\b",
    re.IGNORECASE,
)
#: The input a country fills: what a heading is tried on ("Orders to Germany: ...").
_A_COUNTRY: dict[str, Any] = {"country": {"type": "string"}}
#: Values of a list said the way people shorten or rephrase them: the pattern, then the
#: values it stands for, the first one the list has being taken ("to prod": production;
#: "share it as read-only": reader; "as an editor": writer).
_ENUM_SAID_OTHERWISE: tuple[tuple[re.Pattern[str], tuple[str, ...]], ...] = (
    (re.compile(r"\bprod\b"), ("production", "prod")),
    (re.compile(r"\b(?:stage|stg)\b"), ("staging", "stage")),
    (re.compile(r"\bdev\b"), ("development", "dev")),
    (
        re.compile(r"\bread[\s-]?only\b|\bview[\s-]only\b|\bviewers?\b|\bread\s+access\b"),
        ("reader", "viewer", "read", "read_only"),
    ),
    (
        re.compile(r"\beditors?\b|\b(?:edit|write)\s+(?:access|rights)\b|\bcan\s+edit\b"),
        ("writer", "editor", "edit", "write"),
    ),
    (re.compile(r"\bcommenters?\b|\bcan\s+comment\b"), ("commenter", "comment")),
)


#: "deploy checkout v3.0.0", "release api 1.9": a version number, and the name before it
_VERSION_WRITTEN = re.compile(
    r"(?:\b(?P<name>[a-z][\w-]*)\s+)?(?P<version>(?<![\w.$€£¥])v?\d+(?:\.\d+){1,3}(?:-[\w.]+)?)"
    r"(?![\w.%]|\s*(?:%|percent|usd|eur|gbp|dollars?|euros?|pounds?)\b)",
    re.IGNORECASE,
)
#: Inputs that name what a version is of
_VERSIONED_THING = frozenset({"service", "app", "application", "component", "package", "project"})


def _version_literals(
    properties: Mapping[str, Any], action: str, taken: Mapping[str, str]
) -> dict[str, str]:
    """ "Deploy checkout v3.0.0 to production": the tool's `version` input takes the
    version written, and its one input naming what is deployed (a service, an app) the
    name right before it ("deploy version 5.2.0" names none)."""
    version = next(
        (
            n
            for n in properties
            # ("draft a release v1.4.0": a release's `tag_name` is the version it tags)
            if {"version", "tag"} & set(split_identifier(n))
            and n not in taken
            and "string" in schema_types(properties[n])
        ),
        None,
    )
    match = _VERSION_WRITTEN.search(action) if version is not None else None
    if version is None or match is None:
        return {}
    literals = {version: json.dumps(match.group("version"))}
    things = [
        n
        for n, schema in properties.items()
        if set(split_identifier(n)) & _VERSIONED_THING
        and n not in taken
        and "string" in schema_types(schema)
        and not isinstance(unwrap_nullable(schema).get("enum"), list)
    ]
    name = (match.group("name") or "").lower()
    if (
        len(things) == 1
        and name
        and name not in STOP_WORDS
        and name not in _FUNCTION_WORDS_BEFORE_VERSION
        and not set(split_identifier(name)) & {"version", "release", "build", "tag"}
    ):
        literals[things[0]] = json.dumps(match.group("name"))
    return literals


#: Words before a version that are no name ("to 2.0", "release 2.0")
_FUNCTION_WORDS_BEFORE_VERSION = frozenset(
    "to of at on in from for with deploy deploys release releases ship roll upgrade "
    "downgrade update bump publish push rollout promote".split()
)


def _plain_string_inputs(properties: Mapping[str, Any], taken: Mapping[str, str]) -> list[str]:
    return [
        n
        for n, schema in properties.items()
        if n not in taken
        and "string" in schema_types(unwrap_nullable(schema))
        and not isinstance(unwrap_nullable(schema).get("enum"), list)
    ]


def _value_before_its_input(
    properties: Mapping[str, Any], action: str, taken: Mapping[str, str]
) -> dict[str, str]:
    """A value written right before the noun an input is named for: quoted ("on the
    'sales' calendar", "to the "Board" folder") or a code with an underscore or a digit
    ("the new_checkout feature flag"), with at most one word between ("feature")."""
    literals: dict[str, str] = {}
    for name in _plain_string_inputs(properties, taken):
        words = split_identifier(name)
        if len(words) != 1 or len(words[0]) < 3:
            continue
        noun = re.escape(words[0])
        match = re.search(
            r"(?P<q>[\"'\u201c])(?P<quoted>[^\"'\u201d\n]{1,60})[\"'\u201d]\s+(?:[a-z-]+\s+)?"
            rf"{noun}s?\b|(?<![\w./@-])(?P<code>[a-z][a-z0-9]*(?:[_-][a-z0-9]+)*)\s+"
            rf"(?:(?P<between>[a-z-]+)\s+)?{noun}s?\b",
            action,
            re.IGNORECASE,
        )
        if match is None or (match.group("between") or "").lower() in STOP_WORDS:
            continue  # "reconcile ACC-7 for period 2026-01": ACC-7 is not the period
        value = match.group("quoted") or match.group("code")
        if match.group("code") and not re.search(r"[_\d]", value):
            continue  # "the sales calendar": no code
        between = match.group("between") or ""
        if match.group("code") and between.isalpha() and re.fullmatch(r"[A-Z]+-\d[\w-]*", value):
            # ("for EV-3050 floor section": the record's code, then the section it names)
            value = between
        literals[name] = json.dumps(value)
    return literals


#: "as board-summary.txt", "named offer.pdf": a file's name, with its extension
_FILE_NAME = re.compile(
    r"(?<![\w/@.-])(?P<file>[\w-]+\.(?:txt|pdf|csv|md|json|docx?|xlsx?|pptx?|html?|png|jpe?g|"
    r"zip|xml|ya?ml|log))\b",
    re.IGNORECASE,
)


def _file_name_literal(
    properties: Mapping[str, Any], action: str, taken: Mapping[str, str]
) -> dict[str, str]:
    """ "Upload it to the Board folder as board-summary.txt": the one input a tool names
    a file's name by (`filename`, `file_name`) takes the file name written."""
    found = _FILE_NAME.findall(action)
    named = [
        n
        for n in _plain_string_inputs(properties, taken)
        if n.lower() in ("filename", "file_name", "filepath", "file_path", "path", "name")
        or split_identifier(n) == ["file", "name"]
    ]
    named = [n for n in named if n != "name"] or named
    if len(found) != 1 or len(named) != 1:
        return {}
    return {named[0]: json.dumps(found[0])}


#: "turn off the flag", "disable it", "switch it on": what a yes/no setting is set to
_SWITCHED = re.compile(
    r"^\W*(?:please\s+)?(?:(?P<off>turn\s+off|switch\s+off|disable|deactivate|shut\s+off)|"
    r"(?P<on>turn\s+on|switch\s+on|enable|activate))\b|"
    r"^\W*(?:please\s+)?(?:turn|switch|flip|set)\s+(?:(?:the|a|an|our|it|that|this)\s+)?"
    r"(?:[\w-]+\s+){0,3}?(?:(?P<off2>off)|(?P<on2>on))\b",
    re.IGNORECASE,
)
#: Yes/no inputs that say whether something is on
_ON_INPUTS = frozenset({"enabled", "enable", "active", "on", "is_enabled", "is_active"})


def _switch_literal(
    properties: Mapping[str, Any], action: str, taken: Mapping[str, str]
) -> dict[str, str]:
    """ "Turn off the new_checkout flag": a tool's one yes/no input that says whether a
    thing is on (`enabled`, `active`) is false; "enable it" / "turn it on": true."""
    match = _SWITCHED.search(action)
    if match is None:
        return {}
    inputs = [
        n
        for n, schema in properties.items()
        if n not in taken
        and n.lower() in _ON_INPUTS
        and schema_types(unwrap_nullable(schema)) == {"boolean"}
    ]
    if len(inputs) != 1:
        return {}
    off = bool(match.group("off") or match.group("off2"))
    return {inputs[0]: "false" if off else "true"}


#: "without waiving the fee", "don't waive it", "no need to notify": a flag said off
_FLAG_OFF = r"\b(?:without|not|don't|do\s+not|dont|no\s+need\s+to|never|no)\s+(?:\w+\s+)?"


def flag_said(name: str, text: str) -> bool | None:
    """Whether `text` says to do what a yes/no input is named for, every word of it
    ("waive the fee": `waive_fee`, "send them the rejection email": `send_email`): True,
    False when said in the negative ("without waiving the fee"), None when not said."""
    words = split_identifier(name)
    if len(words) == 1:
        return _one_word_flag_said(words[0], text)
    if len(words) < 2 or words[0] in ("is", "has", "include", "dry", "force"):
        return None
    said = {stem(w) for w in re.findall(r"[a-z]+", text.lower())}
    if not all(stem(w) in said for w in words):
        return None
    verb = re.escape(stem(words[0]))
    off = re.search(rf"{_FLAG_OFF}{verb}", text, re.IGNORECASE)
    return off is None


def _one_word_flag_said(word: str, text: str) -> bool | None:
    """ "cancel order 1077 and restock the items", "draft a release", "as a prerelease":
    a yes/no input named by one word is true when that word is said as a thing to do (the
    step's verb, after "and", "then", "also" or a comma) or what the thing is made as ("as
    a prerelease"); "don't restock": false. A state ("active", "paid") is never a flag."""
    if len(word) < 4 or word in _NO_ONE_WORD_FLAGS:
        return None
    # ("as a pre-release" for `prerelease`: a prefix written apart)
    spelled = re.sub(r"^(pre|re|non|auto|sub)(?=[a-z]{4})", r"\1[\\s-]?", re.escape(word))
    form = rf"{spelled}(?:s|ed|ing)?\b"
    if re.search(rf"{_FLAG_OFF}{form}", text, re.IGNORECASE):
        return False
    done = rf"(?:^\W*|\b(?:and|then|also|please)\s+|,\s*|\bas\s+an?\s+){form}"
    return True if re.search(done, text, re.IGNORECASE) else None


#: One-word yes/no inputs that name a state or a setting, not something to do.
_NO_ONE_WORD_FLAGS = frozenset(
    "active paid public private internal visible enabled disabled verified confirmed force "
    "completed archived urgent test debug".split()
)


def _flags_said(
    properties: Mapping[str, Any], action: str, taken: Mapping[str, str]
) -> dict[str, str]:
    """ "Cancel reservation HX-9001 and waive the fee": a yes/no input named for an action
    the step says (`waive_fee`) is true; "without waiving the fee": false (it was asked of
    the run, and a condition on a fee charged read it)."""
    flags = {}
    for name, schema in properties.items():
        if name in taken or schema_types(unwrap_nullable(schema)) != {"boolean"}:
            continue
        said = flag_said(name, action)
        if said is not None:
            flags[name] = "true" if said else "false"
    return flags


#: "an internal note", "a private comment"; "a public reply"
_KEPT_INSIDE = re.compile(r"\b(?:internal|private)\s+(?:note|comment|reply|message)s?\b", re.I)
_SAID_OUTSIDE = re.compile(r"\bpublic\s+(?:note|comment|reply|message)s?\b", re.I)


def _visibility_said(
    properties: Mapping[str, Any], action: str, taken: Mapping[str, str]
) -> dict[str, str]:
    """ "add an internal note to ticket 4821": a yes/no input `public` is false ("a public
    reply": true); `internal`, `private` the other way (the tool's default was left to
    choose, a note the requester would read)."""
    inside = _KEPT_INSIDE.search(action) is not None
    outside = _SAID_OUTSIDE.search(action) is not None
    if inside == outside:
        return {}
    found: dict[str, str] = {}
    for name, schema in properties.items():
        if name in taken or schema_types(unwrap_nullable(schema)) != {"boolean"}:
            continue
        words = set(split_identifier(name))
        if words & {"public", "visible"}:
            found[name] = "true" if outside else "false"
        elif words & {"internal", "private"}:
            found[name] = "true" if inside else "false"
    return found


#: "Months, when the duration is repeating": an input that counts only with that choice
_ONLY_WITH_A_CHOICE = re.compile(
    r"\b(?:when|if|while|for)\s+(?:the\s+)?(?P<input>[a-z][a-z _]*?)\s+is\s+(?P<value>[\w-]+)",
    re.IGNORECASE,
)


def _choice_an_input_written_needs(
    properties: Mapping[str, Any], taken: Mapping[str, str]
) -> dict[str, str]:
    """ "a 20% off coupon good for 3 months": `duration_in_months` ("Months, when the
    duration is repeating") is written, so the choice `duration` it counts under is
    "repeating" (the run was asked for it)."""
    found: dict[str, str] = {}
    for name in taken:
        schema = properties.get(name)
        described = schema.get("description", "") if isinstance(schema, dict) else ""
        for match in _ONLY_WITH_A_CHOICE.finditer(described or ""):
            said = "_".join(match["input"].lower().split())
            choice = properties.get(said)
            values = choice.get("enum") if isinstance(choice, dict) else None
            if said in taken or said in found or not values or match["value"] not in values:
                continue
            found[said] = json.dumps(match["value"])
    return found


_TEXTED = re.compile(
    r"^\W*(?:and\s+|then\s+)?texts?\s+(?!(?:of|analysis|field|file|summary|body)\b)\w|"
    r"\b(?:by|via|over|as\s+an?)\s+(?:text|sms)(?:\s+message)?\b|\btext\s+message\b",
    re.IGNORECASE,
)


def _texted_by_sms(
    properties: Mapping[str, Any], action: str, taken: Mapping[str, str]
) -> dict[str, str]:
    """ "Text the guest a confirmation" with a tool that sends by SMS or WhatsApp: the
    input listing "sms" (`channel`) is "sms" (the tool's default was left to choose)."""
    if not _TEXTED.search(action):
        return {}
    for name, schema in properties.items():
        listed = unwrap_nullable(schema).get("enum") or []
        if name not in taken and "sms" in listed:
            return {name: json.dumps("sms")}
    return {}


#: "assign task 12 to them", "reassign it to her": to the person a step before found
_ASSIGNED_TO_THEM = re.compile(
    r"\b(?:re)?assign\b[^.;]*?\bto\s+(?:them|him|her|that\s+(?:user|person))\b", re.I
)


def _assigned_to_the_one_found(
    properties: Mapping[str, Any], action: str, sources: Sequence[Source], inputs: dict[str, str]
) -> dict[str, str]:
    """ "find the user for ben@... and assign task 12 to them": the input named for an
    assignee (`assignee_gid`, `assignee_id`, `assignee`) takes the field of that name's
    last word ("gid") from the nearest step that returns one (an optional input was left
    out, the task assigned to no one)."""
    if not _ASSIGNED_TO_THEM.search(action or ""):
        return {}
    for name in properties:
        words = split_identifier(name)
        if words[:1] not in (["assignee"], ["assigned"], ["owner"]):
            continue
        if inputs.get(name, "input.").split(".")[0] not in {"input", ""}:
            continue
        key = words[-1] if len(words) > 1 else "id"
        found = [
            s
            for s in sources
            if s.node is not None and split_identifier(s.name)[-1:] == [key]
            and s.name.count(".") == 0
        ]
        if found:
            nearest = max(found, key=lambda s: s.priority)
            return {name: nearest.expression}
    return {}


_ASSIGNED_TO = re.compile(
    # ("assign WEB-3KF to nina@acme.dev": the step's own verb)
    r"\b(?:assigned|(?:re)?assign\b[^.;]*?)\s+to\s+"
    r"@?(?P<who>(?!(?:them|him|her|me|us|the|a|an|that|this|my|our)\b)"
    r"[\w.+-]+(?::[\w-]+|@[\w-]+(?:\.[\w-]+)+)?)",
    re.I,
)


def _assignee_said(
    properties: Mapping[str, Any], action: str, taken: Mapping[str, str]
) -> dict[str, str]:
    """ "..., assigned to maya@lumen.io": the one input named for an assignee takes whom
    the step says (in a list when it takes several, `assignees`)."""
    said = _ASSIGNED_TO.search(action)
    wanted = [n for n in properties if n in _ASSIGNEE_INPUTS and n not in taken]
    if said is None or len(wanted) != 1:
        return {}
    schema = unwrap_nullable(properties[wanted[0]] or {})
    if schema_types(schema) == {"array"}:
        return {wanted[0]: json.dumps([said["who"]])}
    if "string" not in schema_types(schema):
        return {}
    if schema.get("format") == "email" and "@" not in said["who"]:
        return {}
    return {wanted[0]: json.dumps(said["who"])}


#: List inputs of people by their sign-in names
_PEOPLE_BY_HANDLE = frozenset(
    "reviewers assignees members users collaborators owners watchers participants".split()
)
#: "@lena": a sign-in name written with its at sign (not an email address's domain)
_AT_HANDLE = re.compile(r"(?<![\w.+-])@(?P<handle>[A-Za-z][\w-]*)\b(?![.@]\w)")


def _handles_for_a_list_of_people(
    properties: Mapping[str, Any], action: str, taken: Mapping[str, str]
) -> dict[str, str]:
    """ "ask @lena and @omar to review PR 57": the @names a step writes are the one list
    input of people it takes (`reviewers`)."""
    handles = list(dict.fromkeys(m["handle"] for m in _AT_HANDLE.finditer(action)))
    wanted = [
        name
        for name, schema in properties.items()
        if name not in taken
        and name in _PEOPLE_BY_HANDLE
        and schema_types(unwrap_nullable(schema or {})) == {"array"}
    ]
    if not handles or len(wanted) != 1:
        return {}
    return {wanted[0]: json.dumps(handles)}


def _numbered_items(items: Sequence[Any], spec: ToolSpec) -> bool:
    """Whether a loop's written items are whole numbers and the tool takes the thing it
    works on by an integer number (`order_number`, `number`, `ticket_id`)."""
    if not items or not all(isinstance(i, str) and i.isdigit() for i in items):
        return False
    properties = spec.input_properties()
    return any(
        split_identifier(name)[-1:] in (["number"], ["id"], ["no"], ["num"])
        and schema_types(unwrap_nullable(properties.get(name) or {})) == {"integer"}
        for name in spec.required_inputs()
    )


def _tool_verb_last(values: list[Any], spec: ToolSpec, text: str) -> list[Any]:
    """An enum's values, the tool's own verb last when another value is said too: "squash
    merge PR 230" with `github_pull_merge` is a squash, "merge" being the step itself."""
    own = set(split_identifier(spec.id))
    said = [
        v
        for v in values
        if isinstance(v, str) and v and re.search(rf"\b{re.escape(v.lower())}\b", text)
    ]
    if len(said) < 2:
        return values
    return sorted(values, key=lambda v: isinstance(v, str) and v.lower() in own)


def _tool_family(tool_id: str, verbs: Collection[str]) -> str | None:
    """What a tool id says it belongs to: the part before a dot (`deploy.release`), or a
    first word that is no verb (`drive_upload_file`; `create_ticket` belongs to nothing)."""
    if "." in tool_id:
        return tool_id.split(".", 1)[0].lower()
    words = split_identifier(tool_id)
    if len(words) < 2 or words[0] in verbs or words[0] in STOP_WORDS:
        return None
    return words[0]


def _is_literal(expression: str) -> bool:
    try:
        value = json.loads(expression)
    except ValueError:
        return False
    return isinstance(value, str | int | float | bool)


def _enum_said_otherwise(
    properties: Mapping[str, Any], lowered: str, taken: Mapping[str, str]
) -> dict[str, str]:
    """A list input's value said another way than the list spells it: a common short form
    or another word for an access role, or the value in the plural ("as commenters")."""
    literals: dict[str, str] = {}
    for name, schema in properties.items():
        enum = unwrap_nullable(schema).get("enum") if isinstance(schema, dict) else None
        if name in taken or not isinstance(enum, list):
            continue
        values = [v for v in enum if isinstance(v, str) and v]
        by_lower = {v.lower(): v for v in values}
        found: list[str] = []
        for pattern, meant in _ENUM_SAID_OTHERWISE:
            if pattern.search(lowered):
                found += [by_lower[m] for m in meant if m in by_lower][:1]
        found += [
            v for v in values if len(v) >= 4 and re.search(rf"\b{re.escape(v.lower())}s\b", lowered)
        ]
        # ("file a damage report": `damaged`; "a delay report": `delayed`): a value that
        # ends in "-ed", said as the noun it is made of, before another noun
        found += [
            v
            for v in values
            if len(v) >= 6
            and v.lower().endswith("ed")
            and not re.search(rf"\b{re.escape(v.lower())}\b", lowered)
            and re.search(rf"\b(?:{_made_of(v.lower())})\s+\w", lowered)
        ]
        if len(set(found)) == 1:
            literals[name] = json.dumps(found[0])
    return literals


def _made_of(done: str) -> str:
    """ "damage|damag" of "damaged", "delay|delaye" of "delayed": the noun a value that
    ends in "-ed" is made of, as a pattern."""
    return f"{re.escape(done[:-1])}|{re.escape(done[:-2])}"


#: "in GBP", "in euros": a currency named without an amount
_IN_CURRENCY_CODE = re.compile(r"\bin\s+(?:USD|EUR|GBP|JPY|CAD|AUD|CHF|euros|dollars|pounds|yen)\b")
_MONEY = re.compile(
    # ("CHF 1250.50", "¥12000", "A$ 80": the currency before the amount)
    r"(?:[$€£¥]|\b(?:usd|eur|gbp|jpy|cad|aud|chf)\s?)\s?(?P<a>\d+(?:\.\d+)?)\b|"
    r"\b(?P<b>\d+(?:\.\d+)?)\s?(?:usd|eur|gbp|jpy|cad|aud|chf|dollars?|euros?|pounds?|yen)\b",
    re.IGNORECASE,
)
#: What a number names when it follows these ("order 16 USD 75": the order, not $16)
_ID_BEFORE = re.compile(
    r"(?:\b(?:order|invoice|ticket|user|customer|account|item|sku|number|no\.?|id)\s*#?|#)\s*$",
    re.IGNORECASE,
)


def _money_in(text: str) -> re.Match[str] | None:
    """The first amount `text` writes with its currency, skipping a code's number that a
    currency follows ("charge order 16 USD 75" charged 16)."""
    at = 0
    while (match := _MONEY.search(text, at)) is not None:
        number = match.group("b")
        # (a code's number is whole: "charge the customer 49.99 EUR" charges 49.99; and
        # an amount follows its currency: "charge the customer 200 USD" charges 200)
        if not (
            number
            and "." not in number
            and _ID_BEFORE.search(text[: match.start()])
            and re.match(r"\s*[\d$€£¥]", text[match.end() :])
        ):
            return match
        # past the number, never into it ("49" then "9": 9); "16 USD 75": the currency may
        # lead the next amount
        at = match.end("b")
    return None


#: "approve any refund over $200", "sign off on the purchase": what is approved.
_APPROVED_THING = re.compile(
    # ("a manager's approval for any refund over 200": what the approval is of)
    # ("approval from jane@acme.com for the $300 purchase": who, then what, and its price)
    r"\b(?:approve|approval(?:\s+(?:from|by)\s+[\w.@+-]+(?:\s+team)?)?\s+(?:for|of|on)|"
    r"sign\s+off\s+on|authori[sz]e)\s+"
    r"(?:(?:the|any|each|every|this|a|an|their|all)\s+(?:[$€£][\d,.]+\s+)?"
    # ("sign off on refunds over 200": a plural with no determiner)
    r"|(?=[a-z]{2,}s\b(?<!\bthis)))(?P<thing>(?!request\b)[a-z]+)\b",
    re.IGNORECASE,
)
#: "Take the article at https://...", "open the page on https://...": a generic verb on
#: a thing at an address is getting it.
_OPENED_AT_URL = re.compile(
    r"\b(?:take|use|open|visit|hit|call|check\s+out|grab|pull)\s+(?=(?:the|this|that|a|an)\s+"
    # ("Take the text of https://...": what is at the address)
    r"(?:[a-z-]+\s+){0,2}(?:at|from|on|of)\s+https?://)",
    re.IGNORECASE,
)
#: The loop over values the request wrote: any "each <noun>" after it goes over them.
_ANY_NOUN = "*"
_REFERS_TO_THEM = re.compile(r"\b(?:each|every|them|they|their|it|its|one|ones)\b", re.I)
_URL_WORDS = frozenset({"url", "link", "uri", "href"})
_URL_LITERAL = re.compile(r"https?://[^\s\"'<>]+", re.IGNORECASE)
#: "3 sentences", "a 2-sentence summary": a count and what it counts.
_COUNTED = re.compile(r"\b(\d{1,4})[\s-]+([a-z]+)", re.IGNORECASE)
#: "in three sentences": the count in words
_NUMBER_WORDS = {
    word: str(number)
    for number, word in enumerate(
        "one two three four five six seven eight nine ten".split(), start=1
    )
}
_NUMBER_WORD = re.compile(rf"\b(?:{'|'.join(_NUMBER_WORDS)})\b(?=[\s-]+[a-z])", re.IGNORECASE)
_COUNT_PREFIXES = frozenset({"max", "min", "num", "number", "count", "limit", "top"})
#: A code in capitals joined by hyphens ("CABLE-USB", "SKU-DESK-OAK"): data, not words.
_CAPITAL_CODE = re.compile(r"[A-Z][A-Z0-9]*(?:[-_][A-Z0-9]+)+")
_EMAIL_OR_URL = re.compile(f"{_URL_LITERAL.pattern}|{EMAIL_ADDRESS.pattern}", re.IGNORECASE)
#: "if it's delayed", "if the status is delayed": the state a condition names, last.
_STATE_SAID = re.compile(
    r"\b(?:is|are|was|were|it's|they're|gets|got)\s+(?P<state>[a-z][a-z_-]+)\s*$", re.IGNORECASE
)
#: A code said as data: "SKU ABC-1", "order #1001", "ticket INC-42", "ch_123" (letters and
#: digits joined, or capitals joined by a hyphen), not a word of what the step does.
#: "L-NEWS", "TPL-NDA": a code of capitals with a dash (one with digits, "A-1001", says
#: what it is the code of, and stays).
_LETTER_CODE = re.compile(r"(?<![\w-])[A-Z]{1,5}(?:-[A-Z]+)+(?![\w-])")
_CODE_LITERAL = re.compile(
    r"(?<![\w-])(?:#?[A-Za-z]*\d[\w-]*|[A-Z]{2,}(?:[-_][A-Z0-9]+)+)(?![\w-])"
)


#: "... and tell me their titles", "email us the summaries": one message to a fixed
#: recipient that lists what each made, not one message per item.
_ONE_MESSAGE_TO_US = re.compile(
    r"^\W*(?:tell|send|email|e-mail|mail|notify|give|show|forward|message)\b"
    r"(?!.*\beach\b).*\b(?:me|us|myself)\b",
    re.IGNORECASE,
)


def _said_negated(said: str) -> str | None:
    """A condition's words for its negation ("it's valid" -> "it's not valid", "x is a
    real address" -> "x is not a real address"); None when no verb takes a "not"."""
    if re.search(r"\bnot\b|n't\b", said, re.IGNORECASE):
        return said
    negated, count = _SAID_OF_IT.subn(lambda m: f"{m.group(0)}not ", said, 1)
    if count:
        return negated
    negated, count = re.subn(r"\b(is|are|was|were)\s+", r"\1 not ", said, count=1)
    return negated if count else None


_SAID_OF_IT = re.compile(
    r"^\s*(?:it|they|this|that)(?:'s|'re|\s+is|\s+are|\s+was|\s+were|\s+gets?|\s+got)?\s+",
    re.IGNORECASE,
)
#: "a summary", "a quick summary": a summary that names nothing it is of
_A_SUMMARY_OF_NOTHING_NAMED = re.compile(
    r"\b(?:a|an)\s+(?:short\s+|brief\s+|quick\s+|overall\s+)?(?:summary|overview|recap)\b"
    r"(?!\s+(?:of|about|on)\b)",
    re.IGNORECASE,
)
#: "a summary of the results", "a summary of them", "of what it found"
_OF_THE_RESULTS = re.compile(
    r"\bof\s+(?:the\s+|all\s+the\s+|these\s+|those\s+)?(?:results?|findings|outcomes?|them|"
    r"what\s+(?:it|they)\s+(?:found|returned?))\b|"
    # "a summary of all payments": of everything the steps before did
    r"\bof\s+all\s+(?:the\s+|of\s+the\s+)?[a-z]+s\b",
    re.IGNORECASE,
)
_OUTCOME_OF_IT = re.compile(
    r"^\s*(?:it|they|that|this)\s+(?:returns?|gives?|fails?|responds?|errors?|comes?\s+back|"
    r"throws?|times?\s+out|breaks?)\b",
    re.IGNORECASE,
)
#: "charge it twice", "declined 3 times in a row": a number of times a step or an outcome
_TIMES_OVER = re.compile(
    r"\b(?:twice|thrice|(?:\d+|two|three|four|five|several|multiple)\s+times)"
    r"(?:\s+in\s+a\s+row)?\b",
    re.IGNORECASE,
)
_RETRY_WORDS = re.compile(r"\b(?:retry|retries|retried|re-?try|attempts?|tries|try)\b", re.I)
_LET_KNOW = re.compile(
    r"^(?P<lead>\W*)let\s+(?P<who>(?!me\b|us\b)\S+(?:\s+(?!know\b)\S+){0,2}?)\s+know\b",
    re.IGNORECASE,
)
_LISTED_ADDRESSES = re.compile(
    rf"(?P<first>{_EMAIL_OR_URL.pattern})(?:\s*(?:,|\band\b|&)\s*(?:{_EMAIL_OR_URL.pattern}))+",
    re.IGNORECASE,
)
_ASIDE = re.compile(r"\([^)]*\)?|\s[-\u2013\u2014]+\s.*$")
#: "... moved house - enrol her in the chess club": a step on someone after a dash
_DASH_THEN_A_STEP = re.compile(
    r"\s[\u2014\u2013-]+\s+(?P<part>(?P<verb>[a-z]+)\s+(?:her|him|them|it)\b.*)$", re.IGNORECASE
)
_AND_PART = re.compile(r"\s*,?\s+and\s+(?:then\s+|also\s+)?|\s*,\s*", re.IGNORECASE)
#: A part starting with one of these is an object of the step before it, not a step.
#: "manager needs to ...", "finance must ...": who is to do something (an approval, its
#: verb taken out), with no article before the role.
_SOMEONE_MUST = re.compile(
    r"^[a-z]+(?:\s+[a-z]+)?\s+(?:must|should|needs?\s+to|has\s+to|have\s+to|will)\b", re.I
)
#: Words ending in "'s" that say "is" or "us", not whose a thing is
_IS_SHORTENED = frozenset(
    "what's that's it's there's here's who's where's how's when's let's he's she's".split()
)
_OBJECT_START = frozenset(
    "the a an this that these those its their his her our your my each every all any both "
    "it them him me us then".split()
)


def _brand_words(spec: ToolSpec) -> frozenset[str]:
    """The id words that name whose tool it is, not what it does: the vendor before the
    colon of a name ("Canvas: post grade") that is the namespace of a dotted id
    (`canvas.post_grade`) and that the description does not use. A request seldom says
    them ("give Kai a score of 87"), so leaving them out is no sign the tool is wrong."""
    name = spec.name or ""
    if ":" not in name or "." not in spec.id:
        return frozenset()
    vendor = {stem(w) for w in split_identifier(name.split(":", 1)[0])}
    # ("Calendar: create event" / "Create a calendar event": what it is, not whose)
    vendor -= _text_stems(spec.description or "")
    return frozenset(vendor & {stem(w) for w in split_identifier(spec.id.split(".", 1)[0])})


def _spec_stems(spec: ToolSpec) -> frozenset[str]:
    return _text_stems(f"{spec.id} {spec.name} {spec.description}")


@lru_cache(maxsize=1024)
def _text_stems(text: str) -> frozenset[str]:
    return frozenset(stem(w) for w in split_identifier(text))


#: "send the summary to #exec on Slack and to ceo@… by email": one thing, sent two ways.
_ALSO_SENT = re.compile(
    r"^(?P<first>(?P<sent>(?:send|post|share|forward|email|text)\s+.+?)\s+to\s+.+?)"
    r"\s*,?\s+and\s+(?:also\s+)?(?P<second>to\s+.+)$",
    re.IGNORECASE,
)
#: Verbs besides sending ones of a step that passes on or keeps what another step made.
_PASSING_ON = frozenset(
    stem(w)
    for w in "text share publish forward tweet add append log record save write store".split()
)
#: "add the order id and amount to the Orders sheet", "log it in the CRM": a step that
#: keeps something, and the place it goes (its last word).
_STORED_IN = re.compile(
    r"^(?:add|append|log|record|save|write|insert|put|store|keep|upload|export)\b.*?"
    r"\b(?:to|into|in|onto)\s+(?:the\s+|our\s+|my\s+|a\s+)?(?:[\w-]+\s+){0,2}?"
    # ("log it in spreadsheet SS-2": the place, then its code)
    r"(?P<place>[a-z]+)(?:\s+(?-i:[A-Z0-9][\w-]*\d[\w-]*|[A-Z][A-Z0-9_-]+))?\s*[.!]?$",
    re.IGNORECASE,
)


def _stored_where_said(
    text: str, ranked: list[tuple[float, ScoredTool]]
) -> list[tuple[float, ScoredTool]]:
    """A step that keeps something "in the sheet" is the tool named for that place
    (`append_sheet_row`), not one whose fields the kept values share (an order's id)."""
    match = _STORED_IN.match(text.strip())
    if match is None:
        return ranked
    place = stem(match.group("place").lower())
    places = {place} | synonyms(place)
    keepers = {
        item.spec.id
        for _, item in ranked
        if acts(item.spec) and places & {stem(w) for w in split_identifier(item.spec.id)[1:]}
    }
    if len(keepers) != 1:
        return ranked
    best = ranked[0][0]
    return sorted(
        (
            (max(score, best * 1.01) if item.spec.id in keepers else score, item)
            for score, item in ranked
        ),
        key=lambda pair: -pair[0],
    )


def _code_of_its_thing(
    spec: ToolSpec, text: str, taken: Mapping[str, str]
) -> dict[str, str]:
    """ "Open an issue for invoice INV-1007 if it is overdue": the code written after the
    noun of the check's own id (get_invoice: "invoice") is what its one required input
    takes, whatever that input is called (`number`)."""
    required = [name for name in spec.required_inputs() if name not in taken]
    nouns = [word for word in split_identifier(spec.id)[1:] if len(word) > 2]
    if len(spec.required_inputs()) != 1 or len(required) != 1 or not nouns:
        return {}
    if "string" not in schema_types(spec.input_properties().get(required[0]) or {}):
        return {}
    said = re.findall(
        rf"\b(?:{'|'.join(map(re.escape, nouns))})\s+#?([A-Za-z]*-?\d[\w-]*)\b", text, re.I
    )
    return {required[0]: json.dumps(said[0])} if len(set(said)) == 1 else {}


def _codes_written(items: str) -> bool:
    """Whether a loop's items are values written as words without spaces (codes, ids,
    addresses), none of them a text."""
    try:
        listed = json.loads(items)
    except ValueError:
        return False
    return (
        isinstance(listed, list)
        and bool(listed)
        and all(isinstance(value, str) and " " not in value.strip() for value in listed)
    )


def _a_verdict(field: Any) -> bool:
    """Whether an output field is a verdict (yes/no, one of a list), not data to pass on."""
    return (
        not isinstance(field, dict)
        or "boolean" in schema_types(field)
        or bool(unwrap_nullable(field).get("enum"))
    )


_PHONE_WORDS = frozenset({"phone", "mobile", "cell", "msisdn", "telephone"})
#: "+44 7700 900456": a phone number as written (seven digits or more, a plus first).
_PHONE_NUMBER = re.compile(r"(?<![\w.+])\+\d[\d\s().-]{5,}\d\b")


def _is_phone(name: str) -> bool:
    return bool(set(split_identifier(name)) & _PHONE_WORDS)


def _texts_phones(spec: ToolSpec) -> bool:
    """Whether the tool sends text messages to phones (`send_sms`)."""
    words = set(split_identifier(f"{spec.id} {spec.name}"))
    return bool(words & {"sms", "phone", "mobile"})


def _takes_url(spec: ToolSpec) -> bool:
    return any(
        {"url", "link", "uri", "href"} & set(split_identifier(name))
        for name in spec.required_inputs()
    )


#: Words that say a value comes in with the run's input rather than from a step.
#: "they have fewer than 3 orders", "the customer has more than 5 tickets": how many of
#: something a person (or a record) has, the things counted said after the number.
_COUNT_HELD = re.compile(
    r"\b(?:they|he|she|it|the\s+[a-z]+|this\s+[a-z]+)\s+(?:has|have|had|'s\s+got|'ve\s+got)\s+"
    r"(?:more|fewer|less|over|under|at\s+least|at\s+most)\s+(?:than\s+)?\d+\s+"
    r"(?P<things>[a-z]+s)\b",
    re.IGNORECASE,
)
#: "whether it was approved", "if they approved it or not", "the decision": what an
#: approval decided, said of a message after it.
_WHETHER_DECIDED = re.compile(
    r"\bwhether\s+(?:or\s+not\s+)?(?:it|they|he|she|the\s+[a-z]+|[a-z]+)\s+"
    r"(?:was|were|got|has\s+been|have\s+been|is|are)\s+(?:approved|accepted|signed\s+off)\b|"
    r"\bwhether\s+(?:they|he|she|[a-z]+)\s+(?:approved|accepted|signed\s+off)\b|"
    r"\b(?:approved|accepted)\s+or\s+(?:not|rejected|declined|denied)\b|"
    r"\bthe\s+(?:approval\s+)?(?:decision|outcome|verdict)\b(?!\s+(?:of|on)\s+(?!the\s+approval))",
    re.IGNORECASE,
)
_FROM_REQUEST = re.compile(
    r"\b(?:with|in|from|by|on)\s+(?:the|this|each)\s+(?:request|input|form|payload|call|"
    r"submission|run\s+input|order\s+form|caller)\b|\bcomes?\s+(?:in\s+)?with\b|"
    r"\bsent\s+(?:in|with|along)\b|\bprovided\s+(?:by|in|with)\b|\bpassed\s+in\b|"
    r"\b(?:input|request)\s+(?:field|flag|says)\b|\bflag\b",
    re.IGNORECASE,
)


def _references(node: dict[str, Any]) -> set[str]:
    texts: list[str] = []
    for key in ("when", "condition", "items", "value"):
        if isinstance(node.get(key), str):
            texts.append(node[key])
    for key in ("inputs", "context", "value"):
        if isinstance(node.get(key), dict):
            texts.extend(str(v) for v in node[key].values())
    found: set[str] = set()
    for text in texts:
        stripped = without_strings(text)
        found |= set(_ROOT_NAME.findall(stripped))
    return found


_ASKS_APPROVAL = re.compile(r"\b(?:approv\w*|sign[- ]?off|signs?\s+off)\b", re.IGNORECASE)


def _part_asking(clause: Clause, missing: MissingCapability) -> str | None:
    """ "Get finance approval before refunding the order": the step the approval is asked
    for ("refunding the order"), from what it names to the end of its part."""
    at = clause.text.lower().find(missing.phrase.lower())
    if at < 0:
        return None
    part = re.split(r"\s*(?:[,;]|\bthen\b|\band\s+then\b)\s*", clause.text[at:], maxsplit=1)[0]
    part = part.strip(" .")
    return part if part and part != clause.text.strip(" .") else None


def _no_tool_does(
    clause: Clause, done: str, thing: str, closest: ToolSpec, *, phrase: str
) -> PlanningError:
    """A step no tool does: the tool closest to it only works on the same thing."""
    return PlanningError(
        "unmapped_step",
        f"Could not map {clause.label}: no tool in the catalogue does {done}; the closest, "
        f"{closest.id}, only works on the same {thing} ({closest.description}). Register a "
        "tool that does it, or leave the step out.",
        step=clause.text,
        details={"phrase": phrase, "reason": "unknown_action", "tool": closest.id},
    )


def _capability_error(
    clause: Clause,
    missing: MissingCapability,
    closest: ToolSpec | None,
    *,
    step: str | None = None,
) -> PlanningError:
    nearest = ""
    if closest is not None:
        what = closest.description.strip().splitlines()[0] if closest.description else ""
        nearest = f"; the closest, {closest.id}, does not ({what or closest.name})"
    if step is None and _ASKS_APPROVAL.search(clause.text):
        step = _part_asking(clause, missing)  # the step beside the approval, not it
    where = f"the step {step!r} of {clause.label}" if step else clause.label
    return PlanningError(
        "unmapped_step",
        f"Could not map {where}: it asks for {missing.what} ({missing.phrase!r}), "
        f"and no tool in the catalogue does that{nearest}. Register a tool that does it, "
        "or leave the step out.",
        step=step or clause.text,
        details={
            "phrase": missing.phrase,
            "reason": "no_tool_offers",
            "capability": missing.what,
            "closest": closest.id if closest is not None else None,
        },
    )


#: "it's valid", "they are new": a condition said of what the request last spoke of.
_LEADING_PRONOUN = re.compile(
    r"^(?:it|they|this|that)(?:(?P<verb>'s|'re)|\s+(?=is\b|are\b|was\b|were\b|has\b|have\b))\s*",
    re.IGNORECASE,
)

#: "have finance approve it", "sign off on the charge": an approval of a thing already said.
_APPROVES_IT = re.compile(
    r"\b(?:approves?|sign\s+off\s+on|authori[sz]es?|ok|okay)\s+(?:it|this|that|them|the\s+\w+)\b",
    re.IGNORECASE,
)
#: "they already have an account", "she is an existing customer": a record to look up
_A_RECORD_SAID = re.compile(
    r"\b(?:ha(?:ve|s|d)|with)\s+(?:an?\s+)?(?:existing\s+)?(?:account|profile)\b|"
    r"\b(?:already|existing)\s+(?:an?\s+)?(?:user|customer|member|account)s?\b",
    re.IGNORECASE,
)
_FOUND_FIELDS = frozenset({"found", "exists"})
#: "it's over $500", "that is under 20 EUR": an amount said of the step before
_IT_IS_AN_AMOUNT = re.compile(
    r"^(?:it|that)(?:'s|\s+is|\s+comes\s+to)\s+(?=(?:over|above|more\s+than|under|below|less\s+"
    r"than|at\s+least|at\s+most)\s+[$€£]?\s*\d)",
    re.IGNORECASE,
)
_AMOUNT_WORDS = frozenset("amount total subtotal price cost converted value sum balance".split())
#: "a manager must approve first": before the steps said before it, not only the last
_FIRST = re.compile(
    r"\b(?:first|beforehand|before\s+(?:anything|any\s+of\s+(?:this|that|it)))\b", re.I
)
#: "must be approved by", "need a manager's sign-off": an approval a rule requires
_APPROVAL_REQUIRED = re.compile(
    r"\b(?:must|needs?\s+to|has\s+to|have\s+to|should|to)\s+be\s+(?:approved|signed\s+off|"
    r"authori[sz]ed|okayed)\b|\b(?:needs?|requires?)\s+(?:an?\s+)?(?:[\w-]+(?:'s)?\s+){0,2}"
    r"(?:approval|sign[\s-]?off|authori[sz]ation)\b",
    re.IGNORECASE,
)
#: "wait for a manager to approve it", "review it afterwards": after what was done.
_APPROVAL_AFTER_IT = re.compile(
    r"\b(?:wait|waits|waiting|afterwards?|after\s+(?:it|that|this)|once\s+(?:it|that)|review)",
    re.IGNORECASE,
)

#: Inputs that say where something goes or is found: only an item of that kind fills them.
_PEOPLE = frozenset(
    """user customer subscriber member contact person recipient lead employee client buyer
    applicant signup attendee guest student patient vendor supplier partner admin manager
    owner requester sender""".split()
)
_WHERE_WORDS = frozenset(
    {"phone", "mobile", "email", "to", "recipient", "url", "link", "address", "channel", "number"}
)


def _addresses_another(name: str, noun: str, id_nouns: frozenset[str]) -> bool:
    """Whether the input `name` takes an address of a kind (a phone, an email, a URL) that
    the loop's items are not: each is a thing the catalogue knows by an id ("order" items,
    whose ids go to `order_id`, never to a `phone`)."""
    words = set(split_identifier(name))
    if noun in _PEOPLE or noun not in id_nouns:
        return False  # "for each user, send them ...": a person's address is theirs
    return bool(words & _WHERE_WORDS) and (
        name_similarity(name, noun) == 0 and not words & set(split_identifier(noun))
    )


#: "the total is over 500", "it's over 1000": a thing and what is said of it.
_SAID_OF_THING = re.compile(
    r"\b(?:(?:the|its|their|this|that)\s+(?:[a-z]+\s+){0,2}?[a-z]+|it|they)\s*"
    r"(?:'s|'re|\s(?:is|are|was|were|comes?\s+to|exceeds?))\s*.+$",
    re.IGNORECASE,
)


def _compared(phrase: str) -> str:
    """ "above 1500.50", "5000 USD or more": why an approval is asked, said of the thing."""
    phrase = phrase.strip()
    return f"it {phrase}" if re.match(r"^(?:is|are)\b", phrase, re.I) else f"it is {phrase}"


#: "it's valid and the total is over 1000": the two parts of a condition said together.
_BOTH_PARTS = re.compile(r",?\s+and\s+(?:if\s+)?", re.IGNORECASE)


def _own_threshold(clause: Clause) -> bool:
    """Whether an approval under a condition says which cases it is for ("if it's in stock,
    a manager must approve orders over 500, then charge"): the condition then decides the
    whole sentence, a branch, and the threshold only the approval inside it."""
    return clause.approval is not None and bool(_COMPARISON_PHRASE.search(clause.action))


def _said_why(condition: Condition | None) -> str | None:
    """The condition of an approval as the approver reads it; a subject with no verb
    ("payments of 5000 USD or more") is said of the thing by its comparison."""
    if condition is None:
        return None
    comparison = _COMPARISON_PHRASE.search(condition.text)
    said_of = _SAID_OF_THING.search(condition.text)
    if said_of is not None:
        return said_of.group(0)  # "the total is over 500" of "... if the total is over 500"
    if comparison is not None and not re.search(
        r"\b(?:is|are|was|were|has|have|does|do|exceeds?|goes|comes)\b", condition.text, re.I
    ):
        return _compared(comparison.group(0))
    return condition.text


#: "charge the card": the thing a step works on, last in it.
#: "deploy it to production, but two people from ops must approve first": the approval,
#: said after "but" and ending in "first", is a sentence of its own (which goes first)
#: An amount an approval rule is over: "over 1000 USD", "above €5k", "more than $300"
_OVER_AN_AMOUNT = (
    r"(?:over|above|more\s+than|exceeding|greater\s+than)\s+[$\u20ac\u00a3]?\s*\d[\d,.]*k?"
    r"(?:\s*(?:usd|eur|gbp|dollars|euros|pounds))?"
)
#: "charge 2500 EUR to order 7, but a manager needs to approve anything over 1000 EUR
#: first": the rule the approval follows, said as a sentence of its own ("Anything over
#: 1000 EUR needs approval from a manager first."), which is how the approval rules read it
#: (said inside the step's sentence, it was taken for a part of the step)
_APPROVES_ANYTHING_OVER = re.compile(
    r"(?P<lead>\s*[,;]?\s+(?:but|and)\s+|\s*;\s*|^\s*|(?<=[.!?])\s+)"
    r"(?P<who>(?:[\w'-]+\s+){0,3}?[\w'-]+)\s+(?:must|needs?\s+to|has\s+to|have\s+to|should|"
    r"will\s+need\s+to)\s+(?:approve|sign\s+off\s+on|ok|okay)\s+(?:anything|any\s+[a-z]+|"
    r"(?:amounts?|charges?|payments?|orders?|refunds?|purchases?|expenses?|invoices?))\s+"
    rf"(?P<limit>{_OVER_AN_AMOUNT})(?P<tail>\s+first|\s+before\s+[^.;!?]*)?\s*(?P<end>[.;!?]|$)",
    re.IGNORECASE,
)
#: "charge it, but anything over 1000 USD needs a manager's approval first": the same rule
#: after "but", a sentence of its own
_BUT_ANYTHING_OVER_NEEDS = re.compile(
    rf"\s*[,;]?\s+but\s+(?=(?:anything|any\s+amount)\s+{_OVER_AN_AMOUNT}\s+(?:needs?|requires?)\b"
    r"[^.;!?]*\b(?:approv\w*|sign[\s-]?off)\b)",
    re.IGNORECASE,
)


#: "charge it, but for orders over $1000 require approval from finance first, then email
#: ...": a rule for the things over an amount, said after "but" (its words were left as a
#: step of their own, and the approval followed the charge it guards), a sentence of its
#: own, as is what comes after it
_BUT_THOSE_OVER_NEED = re.compile(
    r"\s*[,;]?\s+but\s+(?P<rule>(?:for\s+)?(?:(?:all|any|every)\s+)?[a-z]+s\s+"
    rf"{_OVER_AN_AMOUNT}\s+(?:needs?|requires?|must\s+(?:get|have))\b[^.;!?,]*?"
    r"\b(?:approv\w*|sign[\s-]?off)\b[^.;!?,]*?)"
    r"(?P<end>\s*(?:[.;!?]|,\s*(?=(?:and\s+)?then\b)|$))",
    re.IGNORECASE,
)


#: "if it's valid charge the customer, and for amounts over 1000 get approval from finance
#: first": the rule said beside the step it guards, with the approval's own verb (it was
#: read as part of the step's words, and the step under the condition as nothing)
_AND_FOR_THOSE_OVER_GET = re.compile(
    r"\s*[,;]?\s+(?:and|but)\s+(?:for|on)\s+(?P<things>(?:(?:all|any|every)\s+)?[a-z]+s)\s+"
    rf"(?P<over>{_OVER_AN_AMOUNT})\s*,?\s+(?:get|ask\s+for|obtain|require|request)\s+"
    r"(?P<approval>(?:an?\s+)?(?:[\w'-]+\s+){0,3}?(?:approv\w*|sign[\s-]?off)\b[^.;!?,]*?)"
    r"(?:\s+first)?(?P<end>\s*(?:[.;!?]|,\s*(?=(?:and\s+)?then\b)|$))",
    re.IGNORECASE,
)


def _those_over_get_apart(match: re.Match[str]) -> str:
    if assignee_role(match["approval"]) is None:
        return match[0]
    rule = f"{match['things']} {match['over']} need {match['approval']} first"
    return _rule_as_a_sentence(rule, match["end"])


def _those_over_apart(match: re.Match[str]) -> str:
    if assignee_role(match["rule"]) is None:
        return match[0]
    return _rule_as_a_sentence(match["rule"], match["end"])


def _rule_as_a_sentence(rule: str, end: str) -> str:
    """An approval rule said beside its step, as a sentence of its own (", then email ..."
    after it goes on as one too)."""
    return f". {rule[0].upper()}{rule[1:]}." + (" " if end.strip() == "," else "")


def _approval_rule_apart(match: re.Match[str]) -> str:
    who = match["who"]
    if assignee_role(match[0]) is None:
        return match[0]
    if who.split()[0].lower() in ("a", "an", "the"):
        who = who[0].lower() + who[1:]
    lead = "" if not match.string[: match.start()].strip() else ". "
    return f"{lead}Anything {match['limit']} needs approval from {who}{match['tail'] or ' first'}. "


#: "If the total is under $50 charge it right away, otherwise ask finance to approve first
#: and then charge": the step in both cases, behind the approval when the condition does not
#: hold, as "charge it if the total is under $50, otherwise ask finance to approve first" (it
#: planned the approval for every order, and a step nobody asked for in its place)
_IF_STEP_OTHERWISE_APPROVED_THEN = re.compile(
    r"(?P<lead>^\s*|(?<=[.;!?])\s+)if\s+(?P<cond>(?:[^,;.]|\.(?=\d))+?)\s*,?\s+"
    r"(?P<verb>[a-z]+)\s+(?P<what>it|them|the\s+[a-z]+)"
    r"(?:\s+(?:right\s+away|immediately|straight\s+away|directly|automatically))?\s*[,;]\s*"
    r"(?:otherwise|else|if\s+not)\s*,?\s+(?P<approval>[^.;!?]*?\bapprov\w*\b[^.;!?]*?)"
    r"(?:\s+first)?\s*,?\s+(?:and\s+)?then\s+(?P=verb)(?:\s+(?:it|them))?\s*(?P<end>[.;!?]|$)",
    re.IGNORECASE,
)
#: "Refund charge ch_55 only if a manager approves it": the approval first, as "once a manager
#: approves it" says (with no approval asked for before, the condition read nothing). Only
#: at the end of the step's sentence: "..., and if their manager approves, create a ticket"
#: guards the steps after it, not the ones before.
_IF_SOMEONE_APPROVES = re.compile(
    r"(?<=\w)\s+(?:only\s+)?if\s+(?P<who>(?:[\w'-]+\s+){0,3}?[\w'-]+)\s+(?:approves?|"
    r"signs?\s+off(?:\s+on)?)(?P<it>\s+(?:it|this|that|them))?(?=\s*(?:[.;!?]|$))",
    re.IGNORECASE,
)


def _done_later_anyway(match: re.Match[str]) -> str:
    later = match.string[match.end() :].lower()
    return "" if match["verb"].lower()[:4] in later else match[0]


def _approval_asked_first(match: re.Match[str]) -> str:
    before = match.string[: match.start()]
    asked = re.search(r"\b(?:approv\w*|sign[\s-]?off)\b", before, re.IGNORECASE)
    if asked or assignee_role(match[0]) is None:
        return match[0]  # "ask a manager to approve; if the manager approves, ...": that one
    return f" once {match['who']} approves{match['it'] or ' it'}"


_BUT_APPROVED_FIRST = re.compile(
    r"\s*,?\s+but\s+(?P<approval>(?:[\w'-]+\s+){1,6}?(?:must|needs?\s+to|have\s+to|has\s+to|"
    r"should|will\s+need\s+to)\s+(?:approve|sign\s+off(?:\s+on)?|ok|okay)(?:\s+(?:it|this|that|them))?"
    r"\s+first)\s*(?P<end>[.!?]|$)",
    re.IGNORECASE,
)


def _approval_first_apart(match: re.Match[str]) -> str:
    approval = match["approval"]
    if assignee_role(approval) is None:
        return match[0]
    return f". {approval[0].upper()}{approval[1:]}{match['end'] or '.'}"


#: "if validation passes", "if the check fails": a check said without what it is of
_CHECK_WITHOUT_ITS_THING = re.compile(
    r"^(?:the\s+)?(?:validation|verification|check|checks)\s+(?:passes|passed|succeeds|"
    r"succeeded|fails|failed|is\s+ok|goes\s+through|went\s+through)\b",
    re.IGNORECASE,
)
_LAST_OBJECT = re.compile(
    r"\b(?:the|their|his|her|its|this|that|your|our|a|an)\s+(\w+)\s*$", re.IGNORECASE
)

#: The node an expression reads first ("!lookup_user.found": lookup_user).
_NODE_READ = re.compile(r"\b(?!input\b)([a-z_][a-z0-9_]*)(?:\[\w+\])?\.")
#: Words for what a step found, too bare for a subject line on their own.
_FINDINGS = frozenset("reason reasons result results outcome status details answer verdict".split())
#: What a tool's verb does, as a noun ("validate_email": the email validation).
_NOMINAL = {
    "validate": "validation", "analyze": "analysis", "analyse": "analysis", "check": "check",
    "classify": "classification", "calculate": "calculation", "lookup": "lookup",
    "verify": "verification", "score": "score", "fetch": "fetch", "get": "lookup",
    "find": "search", "search": "search", "reconcile": "reconciliation", "track": "tracking",
    "query": "query", "summarize": "summary", "translate": "translation",
}  # fmt: skip


def _reports(spec: ToolSpec, subject: str) -> bool:
    """Whether `spec` tells `subject` ("the stock": check_inventory's `in_stock`): an output
    field of its own that names it, not one it echoes from its inputs."""
    wanted = {stem(w) for w in split_identifier(subject) if w not in STOP_WORDS}
    inputs = set((spec.input_schema or {}).get("properties") or {})
    return any(
        field_name not in inputs and wanted & {stem(w) for w in split_identifier(field_name)}
        for field_name in (spec.output_schema or {}).get("properties") or {}
    )


def _slug(text: str) -> str:
    slug = _ID_CHARS.sub("_", text.lower()).strip("_")
    if not slug or not re.match(r"[a-z_]", slug[0]):
        slug = f"n_{slug}"
    return slug[:60]


#: What is left of "..., but only after Maria approves it" once the approval is its own node
_LEFT_OF_A_GATE = re.compile(r"\s*,?\s+(?:but(?:\s+only)?|only)\s*$", re.IGNORECASE)


#: "look up them" (the planner's reading of "look them up"), as people write it
_PARTICLE_BEFORE_PRONOUN = re.compile(
    r"\b(?P<verb>[a-z]+)\s+(?P<particle>up|out|off|back|down|over)\s+(?P<them>them|it|him|her)$",
    re.IGNORECASE,
)


def _title(text: str) -> str:
    text = _LEFT_OF_A_GATE.sub("", " ".join(text.split()))
    text = _PARTICLE_BEFORE_PRONOUN.sub(r"\g<verb> \g<them> \g<particle>", text)
    return (text[:1].upper() + text[1:])[:200] if text else "Step"


def _flow_name(prompt: str) -> str:
    first = re.split(r"(?<=[.!?])\s|\n", prompt.strip(), maxsplit=1)[0].strip(" .!?:")
    first = re.sub(r"^\s*(?:\d+[.)]|[-*•])\s*", "", first)
    if len(first) > 80:
        first = first[:77].rsplit(" ", 1)[0] + "…"
    return first[:1].upper() + first[1:] if first else "Planned flow"


def _sets_an_input(part: str, spec: ToolSpec) -> bool:
    """ "priority urgent", "subject 'Login issue'": a few words led by the name of one of
    `spec`'s inputs, which give its value rather than ask for a step."""
    words = part.split()
    names = {word for name in spec.input_properties() for word in split_identifier(name)}
    if 2 <= len(words) <= 3 and words[1].lower() in names:
        # ("..., high severity": a value of the input, then its name; a ticket was
        # classified for it)
        listed = {
            str(value).lower()
            for name, schema in spec.input_properties().items()
            if words[1].lower() in split_identifier(name) and isinstance(schema, dict)
            for value in unwrap_nullable(schema).get("enum") or ()
        }
        if words[0].lower() in listed:
            return True
    return len(words) <= 4 and words[0].lower() in names


def _said(source: Source, mentioned: set[str]) -> bool:
    """Whether the step names the field `source` reads ("the summary")."""
    return stem(split_identifier(source.name)[-1]) in mentioned


def _names_them(name: str) -> bool:
    """Whether input `name` is the name of the person a message goes to (`name`,
    `first_name`), not of a thing it is about (`file_name`, `product_name`)."""
    words = set(split_identifier(name))
    return "name" in words and not words & _NAMED_THINGS


_NAMED_THINGS = frozenset(
    "file template sheet table list campaign channel product company project repo".split()
)


def _said_part(clause: Clause, part: str) -> Clause:
    """`clause` for one of the things its one verb is said of ("validate the email" of
    "validate the email and the order"), when the words of the clause are that one step's."""
    if clause.condition is not None or clause.action.strip() != clause.text.strip():
        return clause
    return replace(clause, action=part, text=part, part_of=clause.text)


def _helping(clause: Clause) -> Clause:
    """`clause` for a step planned to serve it (a fetch, a check): without the retries or
    time limit, which are its own step's."""
    return replace(clause, settings=RunSettings())


def _item_for(name: str, schema: dict[str, Any], items: Sequence[Source]) -> Match | None:
    """A loop's item (or a field of it) for input `name` when it fits its type exactly."""
    for source in items:
        if name_similarity(name, source.name) > 0 and type_fit(schema, source.schema) >= 0.9:
            return Match(source, 1.0)
    if _is_email_field(name, schema) or name in _ADDRESS_INPUTS:
        # ("email everyone in the Design group": each member's `login`, of format email)
        addresses = [
            source
            for source in items
            if unwrap_nullable(source.schema or {}).get("format") == "email"
        ]
        if len(addresses) == 1:
            return Match(addresses[0], 1.0)
    return None


def _learning_first(ranked: list[tuple[float, ScoredTool]]) -> list[tuple[float, ScoredTool]]:
    """A question ("work out how urgent the ticket is") asks to learn something: a tool that
    changes something (not cacheable) ranks lower than one that only tells."""
    rescored = [
        (score if item.spec.config.cacheable else score * NOT_THE_VERB, item)
        for score, item in ranked
    ]
    rescored.sort(key=lambda pair: -pair[0])
    return rescored


_LOOKS_AT = re.compile(
    r"^(?:then\s+|and\s+)?(?:check|see|look\s+at|inspect|read)\s+(?:the|its|(?P<whose>their|his|her))\s+"
    r"(?P<thing>[a-z]+(?:\s+[a-z]+)?)$",
    re.IGNORECASE,
)
#: Nouns for a text a tool can make something of ("the text summary").
_TEXTS = frozenset("text page article content message url body document".split())
_PREPOSITIONS = frozenset("to with for from via by in on at about into onto".split())
_BOTH_OBJECTS = re.compile(r"\bboth\s+(?=(?:the|their|its|our|your|an?|this|that)\b)", re.I)
#: "email ops@acme.com", "notify x@y.z": a message to someone, who may not be whom it is about
_TELLS_SOMEONE = re.compile(
    r"^\W*(?:then\s+)?(?:e-?mail|notify|tell|alert|message|ping|warn|inform|cc)\b", re.I
)
#: "with the address", "with their email address": the address a step worked on, sent
_THE_ADDRESS_SENT = re.compile(
    r"\b(?:with|including|containing)\s+(?:the|their|his|her|its|that|this)\s+"
    r"(?P<email>e-?mail\s+)?address\b(?!\s+(?:of|for)\b)",
    re.IGNORECASE,
)
#: "..., and email everything to a@x.com" (how phrasing reads "all in one email to ...")
_EVERYTHING_TO_AN_ADDRESS = re.compile(r"\bemail\s+everything\s+to\s+[\w.+-]+@", re.IGNORECASE)
#: "cc the account manager", "copy in finance": someone the message copies.
_COPIES = re.compile(r"^\W*(?:and\s+)?(?:b?cc(?:'?d|ing)?|copy(?:ing)?\s+in)\b", re.IGNORECASE)
_COPY_WORD = re.compile(r"\bb?cc(?:'?d|ing)?\b|\bcopy(?:ing)?\s+in\b", re.IGNORECASE)


def _check_copies(clause: Clause, asked: str, spec: ToolSpec) -> None:
    """A step that copies someone in needs a tool with a list of addresses to copy (`cc`);
    the welcome email has none, and another tool would drop what the step sends."""
    if not _COPY_WORD.search(asked):
        return
    for name, schema in spec.input_properties().items():
        if "array" in schema_types(schema) and name_similarity(name, "cc") > 0:
            return
    phrase = _COPY_WORD.search(asked)
    raise PlanningError(
        "unmapped_step",
        f"Could not map {clause.label}: it asks to copy someone in "
        f"({phrase.group(0) if phrase else 'cc'!r}), and {spec.id}, the tool that does the "
        "step, has no addresses to copy. Leave the copy out, or send a separate email.",
        step=clause.text,
        details={
            "phrase": phrase.group(0) if phrase else "cc",
            "reason": "no_tool_offers",
            "capability": "copying someone in (cc)",
            "closest": spec.id,
        },
    )


#: A condition that holds when an approval was rejected.
_REJECTED = re.compile(r"^!\s*(\w+)\.approved$|^(\w+)\.approved\s*==\s*false$")


#: "send a van to move 6 bikes", "send a technician to ...": a thing sent out, by its noun
_SEND_A_THING = re.compile(
    r"^\W*(?:please\s+)?(?:send|dispatch)\s+(?:a|an|one|two|three|\d+)\s+"
    r"(?P<thing>[a-z]{3,})\b",
    re.IGNORECASE,
)
#: What a message is: sent, these are words, not things that go somewhere
_MESSAGE_THINGS = frozenset(
    "email mail message note letter reminder text sms notice notification reply invite "
    "invitation receipt invoice quote report summary alert newsletter welcome digest update "
    "confirmation copy link file document form push request survey memo list thank "
    "warning ping follow followup card result answer finding outcome detail info "
    "information data reading number figure verdict category score status tracking label "
    "details results readings numbers figures findings".split()
)


def _a_thing_sent_out(
    text: str, ranked: list[tuple[float, ScoredTool]]
) -> list[tuple[float, ScoredTool]]:
    """ "send a van to move 6 bikes from ST-020 to ST-031": a thing that is no message,
    sent out, is the work of the one tool that changes something and names the thing in
    its description ("Create a van job to move ... bikes"), not a message (an email was
    sent, with every part of it asked of the run)."""
    sent = _SEND_A_THING.match(text)
    if sent is None or not ranked:
        return ranked
    thing = singular(sent["thing"].lower())
    if thing in _MESSAGE_THINGS or sent["thing"].lower() in _MESSAGE_THINGS:
        return ranked

    def names(spec: ToolSpec) -> bool:
        words = f"{spec.id} {spec.name} {spec.description}".replace("_", " ")
        return re.search(rf"\b{re.escape(thing)}s?\b", words, re.IGNORECASE) is not None

    if names(ranked[0][1].spec):
        return ranked
    doers = [pair for pair in ranked if acts(pair[1].spec) and names(pair[1].spec)]
    if len(doers) != 1:
        return ranked
    score = ranked[0][0]
    rest = [pair for pair in ranked if pair[1] is not doers[0][1]]
    return [(score, ScoredTool(doers[0][1].spec, score)), *rest]


#: "send a reminder for INV-0099", "send payment reminders for ...": a message named by
#: the noun of a doing
_SEND_A_DOING = re.compile(
    r"^\W*(?:please\s+|pls\s+)?(?:send|issue|fire\s+off|shoot)\s+(?:out\s+)?"
    # ("send the customer a reminder": to whom, then what)
    r"(?:(?:(?:the|our|my|their)\s+[a-z]+|them|him|her|us)\s+(?=an?\s))?"
    r"(?:a|an|the|one)?\s*(?:[a-z]+\s+)?(?P<noun>[a-z]{5,}?)s?\b(?!\s+to\b)",
    re.IGNORECASE,
)


def _a_doing_sent(
    text: str, ranked: list[tuple[float, ScoredTool]]
) -> list[tuple[float, ScoredTool]]:
    """ "send a reminder for INV-0099": a message named by the noun of what one tool does
    (a reminder is what `xero_invoice_remind` does; a notification, `..._notify`) is that
    tool's work, not an email whose every part is asked of the run."""
    sent = _SEND_A_DOING.match(text)
    if sent is None or not ranked:
        return ranked
    noun = sent["noun"].lower()

    def does(spec: ToolSpec) -> bool:
        words = split_identifier(spec.id)
        verb = words[-1] if len(words) > 1 else ""
        return (
            len(verb) >= 5
            and noun != verb
            and noun.startswith(verb.rstrip("ey"))
            and len(noun) - len(verb) <= 5
        )

    doers = [pair for pair in ranked if acts(pair[1].spec) and does(pair[1].spec)]
    if len(doers) != 1 or doers[0] is ranked[0]:
        return ranked
    score = ranked[0][0]
    rest = [pair for pair in ranked if pair[1] is not doers[0][1]]
    return [(score, ScoredTool(doers[0][1].spec, score)), *rest]


def _sent_by_email(
    text: str, ranked: list[tuple[float, ScoredTool]]
) -> list[tuple[float, ScoredTool]]:
    """ "Route it to the team by email": the step sends, so a tool that sends ranks over
    one that only shares the word email (not "find the customer by email")."""
    words = meaningful(text)
    if not _BY_EMAIL.search(text) or not words or stem(words[0]) in _GENERIC_VERBS:
        return ranked
    rescored = [
        (score * VERB_BONUS if _tool_verb(item.spec.id) in _SENDING_VERBS else score, item)
        for score, item in ranked
    ]
    rescored.sort(key=lambda pair: -pair[0])
    return rescored


@lru_cache(maxsize=4096)
def _id_verb(tool_id: str) -> str:
    """A tool id's verb, to tell tools on one object apart: its leading word
    (`create_shipment` -> "create"), or the verb said second, after a vendor or a noun
    (`shopify_get_order` -> "get", `InvoiceCreate` -> "create", `slack_post` -> "post");
    the leading word when neither is a verb."""
    words = split_identifier(tool_id)
    if not words:
        return ""
    first = words[0]
    if first in COMMON_VERBS and not (
        first in NOUN_VERBS and len(words) > 1 and words[1] in COMMON_VERBS
    ):
        return first
    second = words[1] if len(words) > 1 else ""
    if second in COMMON_VERBS and second not in NOUN_VERBS:
        return second
    if "." in tool_id:
        # "ats.offers.create": the verb leads the last part of a dotted id
        last = split_identifier(tool_id.rsplit(".", 1)[1])
        if last and last[0] in COMMON_VERBS:
            return last[0]
    return first


def _verb_breaks_tie(
    text: str, ranked: list[tuple[float, ScoredTool]]
) -> list[tuple[float, ScoredTool]]:
    """ "Get invoice inv_77": when tools tie on the object (InvoiceCreate, InvoiceSend,
    InvoiceGet), the one whose id says the step's verb wins, even a verb too plain to rank
    by ("get")."""
    if len(ranked) < 2 or ranked[1][0] < ranked[0][0] * 0.95:
        return ranked
    leading = split_identifier(_LEADING_WORDS.sub("", text.strip()))[:1]
    if not leading or leading[0] not in COMMON_VERBS or stem(leading[0]) not in _WEAK_VERBS:
        return ranked
    verb = stem(leading[0])
    tied = [pair for pair in ranked if pair[0] >= ranked[0][0] * 0.95]
    named = [pair for pair in tied if stem(_id_verb(pair[1].spec.id)) == verb]
    if len(named) != 1 or named[0] is ranked[0]:
        return ranked
    return [named[0], *[pair for pair in ranked if pair is not named[0]]]


#: "mark it as received", "move the deal to won": the value a step sets.
_SET_AS = re.compile(
    r"\b(?:as|to|into)\s+(?P<value>[a-z][a-z_-]*(?:\s+[a-z][a-z_-]*){0,2})\s*$", re.IGNORECASE
)
#: "give it high priority", "assign it a low severity": a listed value given to the thing
_GIVEN_A_LEVEL = re.compile(
    r"\b(?:give|assign|make|mark|flag)\s+(?:it|them|this|that)\s+(?:as\s+)?(?:an?\s+)?"
    r"(?P<value>[a-z][a-z_-]*)\s+(?:priority|severity|urgency|status|level)\b",
    re.IGNORECASE,
)


def _code_names_the_input(
    text: str, ranked: list[tuple[float, ScoredTool]]
) -> list[tuple[float, ScoredTool]]:
    """ "Get the return request for RMA-5": among tools close to the best, the one tool
    that takes the thing by the code's own name (`rma_id`) goes first, before one that
    lists such things (`returns_list_requests`)."""
    if len(ranked) < 2:
        return ranked
    # ("RMA-5", and "the RMA id": the thing named by its code, or in capitals by "id")
    prefixes = {
        (m.group(1) or m.group(2)).lower()
        for m in re.finditer(r"\b(?:([A-Za-z]{2,})[-_]?\d[\w-]*|([A-Z]{2,})\s+id\b)", text)
    }
    if not prefixes:
        return _code_abbreviates_the_input(text, ranked)  # ("look up M-7781")

    def takes(spec: ToolSpec) -> bool:
        return any(
            name.lower().endswith("_id") and name[: -len("_id")].lower() in prefixes
            for name in spec.input_properties()
        )

    close = [pair for pair in ranked if pair[0] >= ranked[0][0] * 0.8]
    named = [pair for pair in close if takes(pair[1].spec)]
    if len(named) != 1 or named[0] is ranked[0] or takes(ranked[0][1].spec):
        return _code_abbreviates_the_input(text, ranked)
    return [(ranked[0][0], named[0][1]), *[pair for pair in ranked if pair is not named[0]]]


#: "Pull up CAND-1203", "get customer CUS-9012": the code the step's verb reads
_READ_CODE = re.compile(
    r"^\W*[a-z]+(?:\s+(?:up|out))?\s+(?:(?:the|a)\s+)?(?:(?P<noun>[a-z]+)\s+)?"
    r"(?P<letters>[A-Za-z]+)-\d[\w-]*",
    re.IGNORECASE,
)


def _address_taker_first(
    text: str, ranked: list[tuple[float, ScoredTool]]
) -> list[tuple[float, ScoredTool]]:
    """ "Check dan@x.com", "check signup dan@mailinator.com": the step writes an address and
    the best tool has no input an address goes to (a stock check's lines); of tools that
    score at least half as well, the one that takes an address (`validate_email`) goes
    first (the stock was checked, its lines asked of the run)."""
    if len(ranked) < 2 or not _ADDRESS_WORDS.search(text):
        return ranked

    def takes(spec: ToolSpec) -> bool:
        return any(
            "email" in split_identifier(name)
            or name in _RECIPIENT_INPUTS
            or (isinstance(schema, dict) and schema.get("format") == "email")
            for name, schema in spec.input_properties().items()
        )

    return _the_one_that_takes_it_first(ranked, takes)


#: "dana@x.io's balance", "the balance of dana@x.io": a thing said of an address
_SAID_OF_AN_ADDRESS = re.compile(
    r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+(?:'s|\u2019s)\s+(?P<field>[a-z]+)|"
    r"\bthe\s+(?P<field1>[a-z]+)\s+of\s+[\w.+-]+@[\w-]+",
    re.IGNORECASE,
)


def _field_of_the_address_read(
    text: str, ranked: list[tuple[float, ScoredTool]]
) -> list[tuple[float, ScoredTool]]:
    """ "check dana@x.io's balance": what is said of an address is a field of the one
    record looked up by it (`stripe_customer_get`: `balance_cents`); the address check
    (`validate_email`), which tells nothing of a balance, went first."""
    said = _SAID_OF_AN_ADDRESS.search(text)
    if said is None or len(ranked) < 2:
        return ranked
    field = stem(said["field"] or said["field1"])

    def tells(spec: ToolSpec) -> bool:
        return (
            not acts(spec)
            and any(field in map(stem, split_identifier(n)) for n in spec.output_properties())
            and any("email" in split_identifier(name) for name in spec.input_properties())
        )

    if tells(ranked[0][1].spec):
        return ranked
    # (however low it ranks: "check" and "balance" share little with "Retrieve a customer")
    telling = [pair for pair in ranked if tells(pair[1].spec)]
    if len(telling) != 1:
        return ranked
    return [(ranked[0][0], telling[0][1]), *[pair for pair in ranked if pair is not telling[0]]]


def _the_one_that_takes_it_first(
    ranked: list[tuple[float, ScoredTool]], takes: Callable[[ToolSpec], bool]
) -> list[tuple[float, ScoredTool]]:
    """`ranked` with the one tool scoring at least half the best that `takes` holds for
    first (at the best score), unless the best already does, or several do."""
    if takes(ranked[0][1].spec):
        return ranked
    close = [pair for pair in ranked if pair[0] >= ranked[0][0] * 0.5 and takes(pair[1].spec)]
    if len(close) != 1:
        return ranked
    return [(ranked[0][0], close[0][1]), *[pair for pair in ranked if pair is not close[0]]]


def _listed_value_said(
    text: str, ranked: list[tuple[float, ScoredTool]]
) -> list[tuple[float, ScoredTool]]:
    """ "Verify the driving licence of CUS-61": of tools that score at least half the best,
    the one that takes a value of two words or more the step says, as one its input lists
    (`document_type`: driving_licence, national_id) goes first, before ones that take none
    (`validate_order`, which only shares the verb's meaning)."""
    if len(ranked) < 2:
        return ranked
    said = " ".join(re.findall(r"[a-z0-9]+", text.lower()))

    def takes(spec: ToolSpec) -> bool:
        for schema in spec.input_properties().values():
            for value in (schema.get("enum") or []) if isinstance(schema, dict) else []:
                words = " ".join(re.findall(r"[a-z0-9]+", str(value).lower()))
                # (a value of two words or more: "account", a ticket's category, is a word
                # of many steps)
                if " " in words and re.search(rf"\b{re.escape(words)}\b", said):
                    return True
        return False

    return _the_one_that_takes_it_first(ranked, takes)


#: "report a pothole at ...", "streetlight out at ...": a thing reported, or named with no
#: verb, and where it is
_REPORTED = re.compile(
    r"^\W*(?:(?P<verb>report|flag)\s+(?:(?:an?|the|one|another|some)\s+)?(?:\w+\s+)?)?"
    r"(?P<thing>[a-z]+)(?:\s+(?:out|down|broken|missing|blocked|damaged|overflowing))?\s+"
    r"(?:at|on|near|outside|by|in\s+front\s+of)\s+",
    re.IGNORECASE,
)
#: "report this - ...", "report this: ...", "please report that ...": what is wrong, said
#: after it, to the end of the sentence
_REPORT_THIS = re.compile(
    r"^\W*(?:please\s+|can\s+you\s+|could\s+you\s+|pls\s+)?report\s+"
    r"(?:(?:this|it)\s*(?:[-\u2013\u2014:]+|\s+that\b)|that\b|this\s+issue\s*[-\u2013\u2014:]+)"
    r"\s*(?P<what>(?:[^.;!?\n]|\.(?=\w)){6,}?)(?P<end>\s*(?:[.;!?](?!\w)|\n|$))",
    re.IGNORECASE,
)
#: ", my email is mo@x.io", ", reach me at ...": whose problem it is, said last
_SAID_WHO_IT_IS_FOR = re.compile(
    r"[,;]?\s*(?:(?:and\s+)?my\s+(?:e-?mail|address)\s+is|(?:e-?mail|reach|contact)\s+me\s+"
    r"(?:at|on)|i'?m\s+at)\s+(?P<address>[\w.+-]+@[\w-]+(?:\.[\w-]+)+)\s*$",
    re.IGNORECASE,
)
#: The nouns of a tool's id for the record of a problem.
_RECORDS_OF_A_PROBLEM = frozenset({"ticket", "incident", "issue", "case"})
_REPORT_WORD = re.compile(r"\breport", re.IGNORECASE)
#: A web address or a domain written in a step: what a tool that fetches a page reads.
_A_LINK = re.compile(r"https?://|\bwww\.|\b[\w-]+\.(?:com|org|net|io|gov|edu|co)\b", re.I)


def _no_page_without_a_link(
    text: str, ranked: list[tuple[float, ScoredTool]]
) -> list[tuple[float, ScoredTool]]:
    """ "look up the status of SR-7781": the best tool fetches a page by its address
    (`fetch_url`), but the step writes no link, and another tool that matched every word it
    did (`city311_request_status`: look, status) takes a code the step writes: that one."""
    best = ranked[0][1]
    if _A_LINK.search(text) or not _CODE_LITERAL.search(text):
        return ranked
    if not any(
        name.lower() in ("url", "link", "uri") or str(schema.get("format", "")) == "uri"
        for name in best.spec.required_inputs()
        for schema in [best.spec.input_properties().get(name) or {}]
        if isinstance(schema, dict)
    ):
        return ranked
    same = [
        pair
        for pair in ranked[1:]
        if best.matched
        and set(best.matched) <= set(pair[1].matched)
        and pair[1].spec.required_inputs()
    ]
    if not same:
        return ranked
    return [same[0], *(pair for pair in ranked if pair is not same[0])]


def _thing_named_as_written(
    text: str, ranked: list[tuple[float, ScoredTool]]
) -> list[tuple[float, ScoredTool]]:
    """ "look up member M-7781": the best tool names the thing only by a word like it
    (`lookup_user`: a user), while another that scores at least half as well names it as
    written (`gym.member.get`): that one is the step's (the demo's user was looked up)."""
    if len(ranked) < 2:
        return ranked
    ranked = _no_page_without_a_link(text, ranked)
    words = [stem(w) for w in re.findall(r"[a-z]+", _CODE_LITERAL.sub(" ", text.lower()))[1:]]
    best_id = {stem(w) for w in split_identifier(ranked[0][1].spec.id)}
    for word in words:
        if word in STOP_WORDS or word in best_id or not synonyms(word) & best_id:
            continue
        naming = [
            pair
            for pair in ranked[1:]
            if pair[0] >= ranked[0][0] * 0.5
            and word in {stem(w) for w in split_identifier(pair[1].spec.id)[1:]}
        ]
        if len({pair[1].spec.id for pair in naming}) == 1:
            return [naming[0], *(pair for pair in ranked if pair is not naming[0])]
    return _thing_described_as_written(text, ranked)


#: A step's verb and the thing it makes or works on: "create a delivery from ..."
_VERB_AND_THING = re.compile(
    # ("email them a reminder": whom it goes to, then the thing)
    r"^\W*(?P<verb>[a-z]+)\s+(?:(?:them|him|her|us|me)\s+)?(?:a|an|the)\s+(?P<thing>[a-z]+)\b"
    r"(?:\s+(?P<thing2>[a-z]+)\b)?",
    re.IGNORECASE,
)
#: Verbs that make a thing or send to someone, whose thing a description can say as written
_MAKING_OR_SENDING = frozenset(
    stem(w)
    for w in "create make open add book schedule raise log file email text message notify "
    "sms send".split()
)
#: Verbs that say how a message goes ("email the tenant", "text the owner")
_MESSAGE_VERB_STEMS = frozenset(stem(w) for w in "email text message notify sms".split())
#: What a tool's description says it does: "Create a delivery job", "Text or email the
#: recipient"
_DESCRIBED_DOING = re.compile(
    # ("Email every ticket holder of an event ...": the tool goes to each of them itself)
    r"\b(?P<verb>[a-z]+)(?:\s+or\s+(?P<other>[a-z]+))?\s+(?:a|an|the|every|each|all)\s+"
    r"(?P<thing>[a-z]+)\b",
    re.IGNORECASE,
)
#: ... and to whom: "Send a patient a reminder"
_DESCRIBED_DOING_FOR = re.compile(
    r"\b(?P<verb>[a-z]+)(?:\s+or\s+(?P<other>[a-z]+))?\s+(?:a|an|the)\s+[a-z]+\s+"
    r"(?:a|an|the)\s+(?P<thing>[a-z]+)\b",
    re.IGNORECASE,
)


def _thing_described_as_written(
    text: str, ranked: list[tuple[float, ScoredTool]]
) -> list[tuple[float, ScoredTool]]:
    """ "create a delivery from A to B": the best tool names the thing only by a word like
    it (`create_shipment`: a shipment), while one other tool's description starts with the
    step's verb and the thing as written ("Create a delivery job from ..."): that one is the
    step's, however few words of its id the step says (a shipment was made). The thing may
    follow a word that qualifies it ("send them an email reminder": a reminder)."""
    said = _VERB_AND_THING.match(text)
    if said is None or len(ranked) < 2:
        return ranked
    verb = stem(said["verb"].lower())
    if verb not in _MAKING_OR_SENDING:
        return ranked  # ("check the order is in stock": what is checked is the state)
    for written in (said["thing"], said["thing2"]):
        thing = stem(written.lower()) if written else ""
        if not thing or thing in STOP_WORDS:
            continue
        best = ranked[0][1].spec
        if _describes(best, verb, thing) or thing in {stem(w) for w in split_identifier(best.id)}:
            continue
        describing = [pair for pair in ranked[1:] if _describes(pair[1].spec, verb, thing)]
        if len(describing) == 1 and (
            describing[0][0] >= ranked[0][0] * 0.2
            # ("email the resident that it's fixed": a description that starts with the
            # step's verb and thing, "Email the resident who reported ...", however little
            # else of the step it shares)
            or _starts_by_doing(describing[0][1].spec, verb, thing)
        ):
            return [
                (ranked[0][0], describing[0][1]),
                *(p for p in ranked if p is not describing[0]),
            ]
    return ranked


def _starts_by_doing(spec: ToolSpec, verb: str, thing: str) -> bool:
    """Whether `spec`'s description starts with `verb` (stemmed, as written) and `thing`:
    "Email the resident who reported ..." for "email the resident"."""
    found = _DESCRIBED_DOING.match(spec.description.strip())
    return (
        found is not None
        and stem(found["verb"].lower()) == verb
        and stem(found["thing"].lower()) == thing
    )


def _describes(spec: ToolSpec, verb: str, thing: str) -> bool:
    """Whether the first sentence of `spec`'s description says it does `verb` (stemmed) to
    `thing`: "Create a delivery job", "Text or email the recipient", "Send a patient a
    reminder ... by email" (a message verb said as the way it goes)."""
    first = re.split(r"(?<=[.!?])\s", spec.description, maxsplit=1)[0]
    verbs = {verb}
    if verb in _MESSAGE_VERB_STEMS and verb in {stem(w) for w in split_identifier(first)}:
        # ("email the tenant ...": "Send the tenant of a unit a notice by email")
        verbs |= _MESSAGE_VERB_STEMS | {stem("send")}
    return any(
        stem(said.lower()) in verbs and stem(found["thing"].lower()) == thing
        for pattern in (_DESCRIBED_DOING, _DESCRIBED_DOING_FOR)
        for found in pattern.finditer(first)
        for said in (found["verb"], found["other"] or "")
    )


def _id_words_break_tie(
    text: str, ranked: list[tuple[float, ScoredTool]]
) -> list[tuple[float, ScoredTool]]:
    """ "Charge room damages of €380 to HX-812's folio": of tools that nearly tie, the one
    whose id the step says more of (`folio.post_charge`: folio, charge) goes first, before
    one whose id it says nothing of (`process_payment`)."""
    if len(ranked) < 2 or ranked[1][0] < ranked[0][0] * 0.9:
        return ranked
    # (the nouns: the step's verb is weighed by the ranking already)
    words = re.findall(r"[a-z]+", text.lower())
    said = {stem(w) for w in words[1:]}
    verb = stem(words[0]) if words else ""

    def count(spec: ToolSpec) -> int:
        return sum(stem(w) in said for w in dict.fromkeys(split_identifier(spec.id)))

    # (and only a tool whose id says the step's verb too: "send it to the candidate" is no
    # `ats.candidates.reject`, however it names the candidate)
    tied = [
        pair
        for pair in ranked
        if pair[0] >= ranked[0][0] * 0.9
        and (
            pair is ranked[0]
            or ({verb} | synonyms(verb)) & {stem(w) for w in split_identifier(pair[1].spec.id)}
        )
    ]
    best = max(count(pair[1].spec) for pair in tied)
    most = [pair for pair in tied if count(pair[1].spec) == best]
    if len(most) != 1 or most[0] is ranked[0] or count(ranked[0][1].spec) > 0:
        return ranked
    return [(ranked[0][0], most[0][1]), *[pair for pair in ranked if pair is not most[0]]]


def _abbreviates(letters: str, noun: str) -> bool:
    """ "CUS" for customer, "CAND" for candidate, "CLM" for claim: the code's letters, in
    order, the noun's first among them."""
    if len(letters) < 2 or not noun or letters[0] != noun[0]:
        return False
    rest = iter(noun[1:])
    return all(letter in rest for letter in letters[1:])


#: "cus_A1", "ch_3Pq81", "in_1Ab2C": an id that starts with its kind's prefix and "_"
_PREFIXED_ID = re.compile(r"(?<![\w-])(?P<prefix>[a-z]{2,5})_(?=[A-Za-z]*\d)[A-Za-z0-9]+\b")


def _prefixed_id_taker_first(
    text: str, ranked: list[tuple[float, ScoredTool]]
) -> list[tuple[float, ScoredTool]]:
    """ "charge cus_T1 $250": an id written with a prefix ("cus_") goes to the tool with an
    id input whose description shows an id with that prefix ("Customer id, e.g.
    cus_N8xQ2"), or whose noun the prefix abbreviates; only an id written as the example
    is matched word for word, so "cus_T1" went to the demo's payment of an order."""
    prefixes = {match["prefix"] for match in _PREFIXED_ID.finditer(text)}
    if not prefixes:
        return ranked

    def takes(spec: ToolSpec) -> bool:
        return any(
            _id_noun_of_prefix(name, schema, prefixes) is not None
            for name, schema in spec.input_properties().items()
        )

    return _the_one_that_takes_it_first(ranked, takes)


def _id_noun_of_prefix(name: str, schema: Any, prefixes: set[str]) -> str | None:
    """The noun of the id input `name` ("customer" of `customer_id`) when its description
    shows an id with one of `prefixes` ("e.g. cus_N8xQ2") or the noun starts with one."""
    words = split_identifier(name)
    if len(words) < 2 or words[-1] not in _ID_WORDS:
        return None
    described = str(schema.get("description") or "") if isinstance(schema, dict) else ""
    shown = {match["prefix"] for match in _PREFIXED_ID.finditer(described)}
    if prefixes & shown or any(_abbreviates(prefix, words[0]) for prefix in prefixes):
        return words[0]
    return None


def _code_abbreviates_the_input(
    text: str, ranked: list[tuple[float, ScoredTool]]
) -> list[tuple[float, ScoredTool]]:
    """ "Pull customer CUS-9012", "pull up CAND-1203": a step that reads a record, and the
    one tool that reads such records takes the thing the code's letters abbreviate, or the
    noun said before it, by id (`customer_id`, `candidate_id`): that tool reads it, rather
    than one that finds users by a key the code is not."""
    if len(ranked) < 2 or acts(ranked[0][1].spec):
        return ranked
    # (the code the verb reads, "pull up CAND-1203", not one said in passing, "check stock
    # for order MU-88")
    read = _READ_CODE.match(text)
    if read is None:
        return ranked
    said = [(read.group("noun") or "", read.group("letters").lower())]
    # ("look up M-7781": one letter, the first of one id's noun only, `member_id`)
    initial = len(read.group("letters")) == 1

    def takes(spec: ToolSpec) -> bool:
        for name in spec.input_properties():
            words = split_identifier(name)
            if len(words) < 2 or words[-1] not in _ID_WORDS:
                continue
            noun = words[0]
            if any(
                _abbreviates(letters, noun)
                or (initial and letters == noun[:1])
                or stem(before) == stem(noun)
                for before, letters in said
            ):
                return True
        return False

    if takes(ranked[0][1].spec):
        return ranked
    named = [
        pair
        for pair in ranked
        if pair[0] >= ranked[0][0] * 0.2 and not acts(pair[1].spec) and takes(pair[1].spec)
    ]
    if len(named) != 1:
        return ranked
    return [(ranked[0][0], named[0][1]), *[pair for pair in ranked if pair is not named[0]]]


#: "approve return RMA-2, but ...": the approving of a thing leading the step.
#: "give a reason", "enter the discount": a clause that only asks for a value.
_ASKED_FIELD_FIRST = re.compile(
    r"^\W*(?:and\s+)?(?:also\s+)?(?:(?:they|he|she|the\s+approver)\s+(?:should|must|will|"
    r"need\s+to|needs\s+to|has\s+to|have\s+to)\s+(?:also\s+)?)?(?:to\s+)?"
    r"(?:enter|give|fill\s+in|provide|specify|write|type|state|confirm|record)\s+"
    r"(?:the|a|an|their|his|her|its)\s+[a-z]",
    re.IGNORECASE,
)
#: "send him the welcome email", "email them": the step is about someone said before.
_SOMEONE_AGAIN = re.compile(r"\b(?:him|her|them)\b", re.IGNORECASE)
#: "... approve before charging the card", "... sign off before we refund it": the step an
#: approval comes first to, said in its own clause.
_BEFORE_STEP = re.compile(
    r"\b(?:approves?|approval|signs?\s+off|ok|okay|authori[sz]es?)\b[^,;]*?\bbefore\s+"
    r"(?:(?:we|you|they|i|anyone|someone)\s+)?(?P<step>[a-z][\w' -]*?)\s*[.,;]?\s*$",
    re.IGNORECASE,
)


def _is_gerund(word: str) -> bool:
    """ "charging", "shipping" (not "anything", "morning", "string")."""
    word = word.lower()
    return (
        len(word) > 5
        and word.endswith("ing")
        and not word.endswith(("thing", "ning", "ring", "spring"))
    ) or word in {"running", "planning", "scanning", "signing", "opening", "ordering"}


def _gated_step(action: str) -> str | None:
    """The step an approval clause says it comes before ("charging the card"), if any."""
    match = _BEFORE_STEP.search(action)
    return match.group("step") if match else None


_APPROVE_FIRST = re.compile(
    r"^\W*approve\s+(?P<thing>(?:the\s+|this\s+)?[a-z]+\s+[A-Z0-9][\w-]*\d)\b", re.IGNORECASE
)
#: What is left of "..., but a returns manager first" once the approval is taken out.
_FIRST_OR_BUT = re.compile(
    r"\b(?:but|first|a|an|the|they|get|\w+\s+manager|managers?|\(|\))\b", re.IGNORECASE
)


def _done_forms(verb: str) -> set[str]:
    """What a verb makes of a thing: "approve" -> approved, "cancel" -> cancelled."""
    if not verb.isalpha() or len(verb) < 3:
        return set()
    if verb.endswith("e"):
        return {verb + "d"}
    return {verb + "ed", verb + verb[-1] + "ed"}


def _longer_listed_value_said(
    properties: Mapping[str, Any], action: str, literals: dict[str, str]
) -> dict[str, str]:
    """ "post a notice to all berth holders": of two values an input lists that the step
    writes (`all`, `berth_holders`), the one of two words or more, which holds the other's
    place in the sentence, not the word alone (the notice went to everyone)."""
    for name, literal in list(literals.items()):
        values = [
            v for v in unwrap_nullable(properties.get(name) or {}).get("enum") or []
            if isinstance(v, str)
        ]
        if json.loads(literal) not in values if literal.startswith('"') else True:
            continue
        said = [
            v
            for v in values
            if re.search(rf"\b{re.escape(v).replace('_', '[ _-]')}\b", action, re.IGNORECASE)
        ]
        longer = [v for v in said if len(re.split(r"[ _-]", v)) > 1]
        if len(said) > 1 and len(longer) == 1 and json.loads(literal) != longer[0]:
            literals[name] = json.dumps(longer[0])
    return literals


def _listed_input_value(spec: ToolSpec, values: set[str]) -> tuple[str, str] | None:
    """(input, value) for the one input of `spec` whose list has one of `values`."""
    for name, schema in spec.input_properties().items():
        for value in unwrap_nullable(schema).get("enum") or ():
            if isinstance(value, str) and value.lower() in values:
                return name, value
    return None


#: "the weekly report at https://...", "the page at https://...": a page, by its link.
_PAGE_AT_LINK = re.compile(
    r"\b(?:page|report|article|post|document|newsletter|doc|contents?)\s+(?:at|on|from|of)\s+https?://",
    re.IGNORECASE,
)
#: What a fetched page's text is called in a fetcher's output.
_PAGE_TEXTS = frozenset({"text", "content", "body", "html", "markdown"})
#: "the weekly report at https://...": a document that is there already, at a link.
_DOCUMENT_AT_A_LINK = re.compile(
    r"\b(?:pdf|invoice|report|document|contract)s?\s+(?:at|from|on)\s+(?:https?://|www\.)",
    re.IGNORECASE,
)
#: "starting on 2027-02-01": what a loop's lead says of its items, not a step.
_QUALIFIER_ONLY = re.compile(
    r"^(?:starting|started|joining|hired|opened|created|placed|due|signed|registered|added|"
    r"booked)\b[^,.;:]*$",
    re.IGNORECASE,
)


#: "customer is sam@x.org", "parcel 7781 was lost": a part that says what is so (of a value
#: it writes: "everything is in stock" may be a check the step makes).
_STATEMENT = re.compile(
    r"^(?:(?:the|their|his|her|its|our|my)\s+)?[a-z]+(?:\s+[a-z]+)?\s+(?:is|are|was|were)\b",
    re.IGNORECASE,
)


def _set_to_a_listed_value(
    text: str, ranked: list[tuple[float, ScoredTool]]
) -> list[tuple[float, ScoredTool]]:
    """ "Mark RMA-12 as received": the one tool close to the best that takes "received" as
    the value of one of its inputs (`returns_set_status`) goes before one that only reads
    the thing (`returns_get_rma`)."""
    plain = _LETTER_CODE.sub(" ", text).strip(" .!")
    said = _SET_AS.search(plain) or _GIVEN_A_LEVEL.search(plain)
    if said is None or len(ranked) < 2:
        return ranked
    words = said.group("value").lower().split()
    # "to major outage": `major_outage`; "as received": `received` (the last words said)
    values = {sep.join(words[i:]) for i in range(len(words)) for sep in ("_", " ", "-")}

    def takes(spec: ToolSpec) -> bool:
        return any(
            values & {str(v).lower() for v in unwrap_nullable(schema).get("enum") or ()}
            for schema in spec.input_properties().values()
        )

    close = [pair for pair in ranked if pair[0] >= ranked[0][0] * 0.5]
    setting = [pair for pair in close if takes(pair[1].spec)]
    if len(setting) != 1 or setting[0] is ranked[0] or takes(ranked[0][1].spec):
        return ranked
    return [(ranked[0][0], setting[0][1]), *[pair for pair in ranked if pair is not setting[0]]]


_PARTICLES = frozenset("up out in on off down over back away through".split())


def _joined_words_named(
    text: str, ranked: list[tuple[float, ScoredTool]]
) -> list[tuple[float, ScoredTool]]:
    """ "Set the status page to major outage": the one tool whose id joins two words the step
    says together into one (`statuspage_update`) goes first, however little else of it the
    step's words match (a "page" alone is what a fetch reads)."""
    said = [w.lower() for w in re.findall(r"[A-Za-z]+", text)]
    joined = {a + b for a, b in pairwise(said) if len(a) >= 3 and len(b) >= 3}
    if not joined or len(ranked) < 2:
        return ranked
    naming = [
        pair for pair in ranked if joined & {w.lower() for w in split_identifier(pair[1].spec.id)}
    ]
    if len(naming) != 1 or naming[0] is ranked[0]:
        return ranked
    top = max(ranked[0][0], naming[0][0])
    return [(top, naming[0][1]), *[pair for pair in ranked if pair is not naming[0]]]


def _compound_named(
    text: str, ranked: list[tuple[float, ScoredTool]]
) -> list[tuple[float, ScoredTool]]:
    """ "Create a return label": the one tool whose id ends in the two words the step says
    together (`easypost_return_label`) goes before one that only shares the verb and a word
    of its description (`create_shipment`, whose "shipment" the step never says)."""
    if len(ranked) < 2:
        return ranked
    said = [stem(singular(w)) for w in split_identifier(_LETTER_CODE.sub(" ", text))]
    pairs = set(pairwise(said))

    def tail(spec: ToolSpec) -> tuple[str, str] | None:
        words = [stem(singular(w)) for w in split_identifier(spec.id)]
        return (words[-2], words[-1]) if len(words) >= 3 else None

    # (not a verb and its particle: "look up" is no `lookup_user` named)
    joined = {
        a + b
        for a, b in pairwise(split_identifier(_LETTER_CODE.sub(" ", text).lower()))
        if b not in _PARTICLES
    }

    def says(spec: ToolSpec) -> bool:
        # "the help desk" for `helpdesk_add_comment`: an id word the step writes as two
        return tail(spec) in pairs or any(
            len(w) >= 6 and w in joined for w in split_identifier(spec.id.lower())
        )

    named = [pair for pair in ranked if says(pair[1].spec)]
    if len(named) != 1 or named[0] is ranked[0]:
        return ranked
    top = ranked[0][1].spec
    rest_of_top = split_identifier(top.id)[1:]
    named_tail = tail(named[0][1].spec)
    # ("open a repair ticket": `bike_repair_ticket` says two of the step's words together,
    # `create_ticket` only their head)
    more_specific = (
        len(rest_of_top) == 1
        and named_tail is not None
        and named_tail in pairs
        and stem(singular(rest_of_top[0])) == named_tail[1]
    )
    if named[0][0] < ranked[0][0] * 0.25 and not more_specific:
        return ranked
    if all(stem(singular(w)) in said for w in rest_of_top) and not more_specific:
        return ranked  # the first tool's id is said in full too
    return [(ranked[0][0], named[0][1]), *[pair for pair in ranked if pair is not named[0]]]


def _head_breaks_tie(
    text: str, ranked: list[tuple[float, ScoredTool]]
) -> list[tuple[float, ScoredTool]]:
    """ "Open a shipping ticket": when two tools tie, the one named by the head of the
    object (its last noun, "ticket") wins over the one named by a word before it."""
    if len(ranked) < 2 or ranked[1][0] < ranked[0][0] * 0.95:
        return ranked
    phrase = re.split(r"\b(?:with|for|to|about|from|via|by|if|when|and|of|that)\b", text)[0]
    words = meaningful(phrase)
    if len(words) < 2:
        return ranked
    head = stem(singular(words[-1]))
    tied = [pair for pair in ranked if pair[0] >= ranked[0][0] * 0.95]
    named = [
        pair
        for pair in tied
        if head in {stem(singular(w)) for w in split_identifier(pair[1].spec.id)}
    ]
    if len(named) != 1 or named[0] is ranked[0]:
        return ranked
    if _ASKS_WHAT.match(text) and not acts(ranked[0][1].spec) and acts(named[0][1].spec):
        # ("what's the job title of employee 4012?": a question stays with the reader that
        # tells it, not the tool that changes the thing its head names)
        return ranked
    return [named[0], *[pair for pair in ranked if pair is not named[0]]]


#: A code written as the object ("A-1001", "u_1003"): parts joined by a dash or an
#: underscore, with a letter and a digit; not part of an address or a link.
_BARE_CODE = re.compile(
    r"(?<![\w@/.-])(?=[\w-]*\d)(?=[\w-]*[A-Za-z])[A-Za-z0-9]+(?:[-_][A-Za-z0-9]+)+(?![\w@/.-])"
)


def _verb_on_a_link(
    verb: str, text: str, ranked: list[tuple[float, ScoredTool]]
) -> list[tuple[float, ScoredTool]]:
    """ "Check https://api.example.com" with a URL checker registered (`uptime.check`):
    the one tool whose id says the weak verb and that takes a link goes before a page
    fetch that only matches the link."""
    if not re.search(r"\bthe link\b", text):
        return ranked
    said = [
        pair
        for pair in ranked
        if stem(verb) in {stem(w) for w in split_identifier(pair[1].spec.id)}
        and _takes_url(pair[1].spec)
    ]
    if len(said) != 1 or said[0] is ranked[0]:
        return ranked
    return [(ranked[0][0], said[0][1]), *[pair for pair in ranked if pair is not said[0]]]


def _id_says_both(
    said: Sequence[str], ranked: list[tuple[float, ScoredTool]]
) -> list[tuple[float, ScoredTool]]:
    """ "Get order 1002" ranked on "order 1002": the one tool whose id says the weak verb
    and the thing both (shopify_get_order) goes first, before one that only orders
    (order_laptop) or checks an order (validate_order)."""
    wanted = {stem(word) for word in said}
    both = [
        pair
        for pair in ranked
        if wanted <= {stem(word) for word in split_identifier(pair[1].spec.id)}
    ]
    if len(wanted) < 2 or len(both) != 1 or both[0] is ranked[0]:
        return ranked
    return [(ranked[0][0], both[0][1]), *[pair for pair in ranked if pair is not both[0]]]


def _code_breaks_tie(
    text: str, ranked: list[tuple[float, ScoredTool]]
) -> list[tuple[float, ScoredTool]]:
    """ "Validate A-1001": when tools tie on the verb and the step writes a code, the one
    tool of them that takes a thing by its code (`order_id`) wins over one that takes an
    address or a text (`validate_email`)."""
    if len(ranked) < 2 or ranked[1][0] < ranked[0][0] * 0.95:
        return ranked
    if not _BARE_CODE.search(_EMAIL_OR_URL.sub(" ", text)):
        return ranked
    tied = [pair for pair in ranked if pair[0] >= ranked[0][0] * 0.95]
    by_code = [
        pair
        for pair in tied
        if any(
            split_identifier(name)[-1:] in (["id"], ["token"], ["code"], ["sku"])
            for name in pair[1].spec.input_properties()
        )
    ]
    if len(by_code) != 1 or by_code[0] is ranked[0]:
        return ranked
    return [by_code[0], *[pair for pair in ranked if pair is not by_code[0]]]


def _made_before(phrase: str, text: str) -> bool:
    """Whether `phrase` is a participle naming what a step before makes ("from the
    translated text"), not what this step does."""
    return phrase.lower().endswith("ed") and bool(
        re.search(rf"\b(?:the|a|an|its|their|this|that)\s+{re.escape(phrase)}\s+\w", text, re.I)
    )


#: "task 1200000000001", "task #88": a thing written with its id (digits, six or more)
_THING_WITH_ITS_ID = re.compile(r"\b(?P<noun>[a-z]+)\s+#?\d{6,}\b", re.IGNORECASE)


def _a_thing_by_its_id_is_not_made(
    text: str, ranked: list[tuple[float, ScoredTool]]
) -> list[tuple[float, ScoredTool]]:
    """ "assign task 1200000000001 to her": a thing written with its id exists, so a tool
    close to the best that takes that thing's id (`task_gid`) goes before one that makes a
    new one (`asana_task_create`, which takes no id of it)."""
    if len(ranked) < 2:
        return ranked
    nouns = {m["noun"].lower() for m in _THING_WITH_ITS_ID.finditer(text)}

    def takes_its_id(spec: ToolSpec) -> bool:
        return any(
            len(words := split_identifier(n)) == 2
            and words[0] in nouns
            and words[1] in {"id", "gid", "number", "no", "ref"}
            for n in spec.required_inputs()
        )

    top = ranked[0][1].spec
    made = {stem(w) for w in split_identifier(top.id)} & _MAKING_VERBS
    if not nouns or takes_its_id(top) or not made:
        return ranked
    for at, (score, item) in enumerate(ranked[1:], start=1):
        if score < ranked[0][0] * 0.6:
            break
        if takes_its_id(item.spec):
            return [(ranked[0][0], item), *ranked[:at], *ranked[at + 1 :]]
    return ranked


def _one_product_code_read(
    text: str, ranked: list[tuple[float, ScoredTool]], specs: Sequence[ToolSpec]
) -> list[tuple[float, ScoredTool]]:
    """ "check HOODIE-GRY": one product code written with no count goes to the one tool that
    reads a product by its `sku`, before a stock check of order lines (`items`) whose lines
    the run would be asked for."""
    if len(ranked) < 2 or not looks_only(text) or _ORDER_LINE.search(text):
        return ranked
    if len(code_in_capitals({"sku": {"type": "string"}}, text, {})) != 1:
        return ranked
    top = ranked[0][1].spec
    if not any(
        schema_types(unwrap_nullable(top.input_properties().get(n) or {})) == {"array"}
        for n in top.required_inputs()
    ):
        return ranked  # (the best tool takes the code as it is written)
    by_sku = [
        spec
        for spec in specs
        if not acts(spec)
        and any(split_identifier(n)[-1:] == ["sku"] for n in spec.required_inputs())
    ]
    if len(by_sku) != 1:
        return ranked
    rest = [pair for pair in ranked if pair[1].spec.id != by_sku[0].id]
    return [(ranked[0][0], ScoredTool(by_sku[0], ranked[0][0])), *rest]


def _written_value_breaks_tie(
    text: str, ranked: list[tuple[float, ScoredTool]]
) -> list[tuple[float, ScoredTool]]:
    """ "What's the stock price of ORCL": among tools close to the best, the one tool that
    takes the kind of value the step writes (a ticker) goes first."""
    if len(ranked) < 2 or ranked[1][0] < ranked[0][0] * 0.8:
        return ranked
    close = [pair for pair in ranked if pair[0] >= ranked[0][0] * 0.8]
    fitting = [
        pair for pair in close if takes_what_is_written(pair[1].spec.input_properties(), text)
    ]
    if len(fitting) != 1 or fitting[0] is ranked[0]:
        return ranked
    return [(ranked[0][0], fitting[0][1]), *[pair for pair in ranked if pair is not fitting[0]]]


#: What a computing step makes of an amount it was given (calculate_tax: total).
_DERIVED_TOTALS = frozenset({"total", "grand_total", "total_amount", "amount_due", "net", "gross"})
#: Words that end what a making step makes ("create a ticket for them").
_OBJECT_ENDS = frozenset(
    "for to with from about in on at by them it him her us me their his".split()
)
#: What a list of messages holds (each its own words), not of people to write to.
_MESSAGE_NOUNS = frozenset("email emails message messages mail letter note notification".split())
#: Verbs of tools that make a thing of one kind (a shipment, a ticket).
#: Verbs that say only that something is dealt with ("process", "handle"): a tool named
#: by one (`process_payment`) deals with its own thing, never with any other.
_DEALING_VERBS = frozenset(stem(w) for w in "process handle execute perform complete".split())
_MAKING_VERBS = frozenset(
    stem(w) for w in "create make add generate build register issue book".split()
)
#: A step that only looks: it may read what a step did, never do it.
_ONLY_CHECKS = re.compile(
    r"^(?:(?:please|first|then|and|also|just)\s+)*(?:(?:double[-\s]?)?check|verify|make\s+sure|"
    r"ensure|see\s+(?:if|whether)|find\s+out)\b",
    re.IGNORECASE,
)


#: "within 24 hours or escalate to the director": a step for when nobody answers in time
#: "they don't respond within 24 hours", "nobody answers in 2 days": no answer in time
_NO_ANSWER_IN_TIME = re.compile(
    r"(?:n[o']t|\bnever|\bnobody|\bno\s+one)\b.*\b(?:respon|answer|repl|decid|approv|get\s+back)"
    r"\w*\b.*\b(?:within|in)\s+\S+\s+(?:hours?|days?|minutes?|weeks?)\b",
    re.IGNORECASE,
)
_STEP_ON_TIMEOUT = re.compile(
    r"\b(?:hours?|days?|minutes?|weeks?|time|deadline)\b[^.;]*?,?\s+(?:or|otherwise|or\s+else)\s+"
    r"(?P<step>(?:escalate|forward|send|pass|hand|notify|email|remind|ping)\b[^.;,]*)",
    re.IGNORECASE,
)


def _check_no_step_on_timeout(clause: Clause) -> None:
    """Refuse an approval with a step for when it times out: on timeout an approval can
    only approve, reject or fail, and a step would be silently left out."""
    found = _STEP_ON_TIMEOUT.search(clause.text)
    if found is None:
        return
    step = found.group("step").strip()
    raise PlanningError(
        "unmapped_step",
        f"Could not plan {clause.label}: it says to {step!r} when nobody answers in time, and "
        "an approval that times out can only approve, reject or fail the run. Say which "
        "('if they don't answer within 24 hours, reject it'), then what to do then ('if "
        "they reject it, email the director').",
        step=clause.text,
        details={"reason": "step_on_timeout", "phrase": step},
    )


def _check_cases_stated(clause: Clause, asked: str) -> None:
    """Refuse a routing that names its choices but not which case leads to which: picking
    one would be a guess the request did not make."""
    what = unstated_cases(asked)
    if what is None:
        return
    raise PlanningError(
        "unmapped_condition",
        f"Could not plan {clause.label}: it routes on {what!r} and names the choices, but "
        f"not which {what} leads to which. Say each case with its own condition, e.g. 'if "
        f"the {what} is <value>, <do this>; otherwise <do that>' (a step that tells the "
        f"{what}, such as a classification, is planned first when one exists).",
        step=clause.text,
        details={"reason": "routing_cases_unstated", "depends_on": what},
    )


def _more_than_the_verb(
    text: str, ranked: list[tuple[float, ScoredTool]]
) -> list[tuple[float, ScoredTool]]:
    """ "Create an MSA for Northwind GmbH": when the best tools share only the step's verb
    (`create_shipment`, `create_ticket`) and another that scores at least half as well
    shares the verb and what the step makes (`clm.contract.create`: "MSA" is one of its
    templates), that one does it (refused as a shipment of an MSA)."""
    words = meaningful(_CODE_LITERAL.sub(" ", _EMAIL_OR_URL.sub(" ", text)))
    if len(words) < 2 or not ranked:
        return ranked
    verb = stem(words[0].lower())
    if verb not in _MAKING_VERBS:
        return ranked
    verb_forms = {verb} | synonyms(verb)
    best_score, best = ranked[0]
    if not best.matched or not set(best.matched) <= verb_forms:
        return ranked
    for at, (score, item) in enumerate(ranked[1:], start=1):
        if score < best_score * 0.5:
            break
        listed = {
            stem(str(value).lower())
            for schema in item.spec.input_properties().values()
            if isinstance(schema, dict)
            for value in (unwrap_nullable(schema).get("enum") or ())
        }
        if set(item.matched) & verb_forms and (set(item.matched) - verb_forms) & listed:
            return [(best_score, item), *ranked[:at], *ranked[at + 1 :]]
    return ranked


def _doing_of(tool_id: str) -> str:
    """The stem of what a tool does: its id's first word, or the first word of the last part
    of a dotted id (`esign.envelope.remind` -> "remind")."""
    part = tool_id.rsplit(".", 1)[-1] if "." in tool_id else tool_id
    return stem(next(iter(split_identifier(part)), ""))


def _doing_said_as_a_noun(
    text: str, ranked: list[tuple[float, ScoredTool]]
) -> list[tuple[float, ScoredTool]]:
    """ "send the signers a reminder", "send them a renewal": what is sent is the noun of
    another tool's doing (`esign.envelope.remind`), which goes before the tool that sends
    (`esign.envelope.send` sent the contract out again)."""
    words = [w.lower() for w in re.findall(r"[A-Za-z]+", text)]
    if not ranked or not words or words[0] not in {"send", "give", "shoot", "fire"}:
        return ranked
    best_score, best = ranked[0]
    if _doing_of(best.spec.id) != "send":
        return ranked
    # (what is sent comes before "to", "with", "every": "send contract CT-5 to dana@… with
    # reminders every 3 days" sends the contract)
    sent = list(
        itertools.takewhile(
            lambda w: w not in {"to", "with", "every", "about", "for", "on", "at", "by", "in"},
            words[1:],
        )
    )
    bases = {
        stem(word[: -len(ending)])
        for word in sent
        for ending in ("er", "ers", "al", "als")
        if word.endswith(ending) and len(word) - len(ending) >= 4
    }
    for at, (score, item) in enumerate(ranked[1:], start=1):
        if score < best_score * 0.5:
            break
        if _doing_of(item.spec.id) in bases:
            return [(best_score, item), *ranked[:at], *ranked[at + 1 :]]
    return ranked


def _reader_for_a_check(
    text: str, ranked: list[tuple[float, ScoredTool]]
) -> list[tuple[float, ScoredTool]]:
    """ "check contract CT-2291 and if it's still out for signature ...": a check goes to a
    tool that changes nothing and works on the same thing (`clm.contract.get`) before one
    that acts on it and whose verb the step does not say (`clm.contract.create`: the check
    was refused as one that would act, or planned as a new contract)."""
    words = text.split()
    if not ranked or not words or words[0].lower() not in _CHECK_VERBS | {"see", "inspect"}:
        return ranked
    best_score, best = ranked[0]
    said = {stem(w.lower()) for w in words}
    if not acts(best.spec) or _tool_verb(best.spec.id) in said:
        return ranked
    for at, (score, item) in enumerate(ranked[1:], start=1):
        if score < best_score * 0.5:
            break
        if not acts(item.spec) and set(item.matched) & set(best.matched):
            return [(best_score, item), *ranked[:at], *ranked[at + 1 :]]
    return ranked


#: "hold the first one that's free", "book whichever is available first": one item picked
#: out of several by what a check of each finds.
_FIRST_THAT_IS = re.compile(
    r"\b(?:the\s+first\s+(?:one\s+|of\s+them\s+|[a-z]+\s+)?(?:that|which|who)\s*(?:'s|'re|is|are|"
    r"comes?\s+back(?:\s+as)?)\s+(?P<quality>[a-z]+)|whichever\s+(?:one\s+)?(?:is|comes\s+back)\s+"
    r"(?P<quality2>[a-z]+)(?:\s+first)?)\b",
    re.IGNORECASE,
)


def _refuse_one_picked_from_a_list(clauses: Sequence[Clause]) -> None:
    """ "Check VEN-1, VEN-2 and VEN-3 and hold the first one that's free": a step on one
    item picked out of several by what a check of each found. A loop runs its step on every
    item, and a step after it acts on one item the request names; the planner does not
    pick one out of a loop's results, so this is refused, saying so (it was refused as a
    check that would put a hold on something)."""
    for clause in clauses:
        said = _FIRST_THAT_IS.search(clause.text)
        if said is None:
            continue
        quality = said.group("quality") or said.group("quality2")
        raise PlanningError(
            "unmapped_step",
            f"Could not plan {clause.label}: it asks to act on only the first of several "
            f"items that is {quality}, picked by what a check of each finds. A loop runs its "
            "step on every item, and the planner does not pick one item out of a loop's "
            f"results. Check one item per run ('check VEN-1; if it's {quality}, hold it'), "
            "or name the item to act on.",
            step=clause.text,
            details={"reason": "first_of_a_list", "phrase": said.group(0)},
        )


def _returns_a_list(spec: ToolSpec) -> bool:
    """Whether a tool gives a list among its outputs (it lists records, not reads one)."""
    return any(
        "array" in schema_types(unwrap_nullable(schema))
        for schema in spec.output_properties().values()
    )


#: "the average water use across all accounts", "total sales over every store": a figure
#: worked out over every record of a kind.
_FIGURE_OVER_EVERY = re.compile(
    r"\b(?P<figure>average|mean|median|total|sum)\b[^.;!?]*?\b(?:across|over|of|for)\s+"
    r"(?:all|every|each)\s+(?:of\s+)?(?:the\s+|our\s+)?(?P<things>[a-z]+)\b",
    re.IGNORECASE,
)


def _refuse_a_figure_over_every_record(
    request: str, nodes: Sequence[Mapping[str, Any]], planned: Sequence[ToolSpec]
) -> None:
    """ "What was the average water use across all accounts last month?": a figure over
    every record of a kind, when no step lists those records (no loop, no planned tool
    returns a list), would be worked out from one record asked of the run; refused."""
    said = _FIGURE_OVER_EVERY.search(request)
    if said is None or not planned:
        return
    if any(node.get("type") == "map" for node in nodes):
        return
    if any(_returns_a_list(spec) for spec in planned):
        return
    raise PlanningError(
        "unmapped_step",
        f"Could not plan the request: it asks for the {said['figure'].lower()} over every "
        f"one of the {said['things']}, and no tool lists them ({planned[0].id} works on one "
        "at a time). Register a tool that lists them or works the figure out, or name the "
        "ones to use ('for each of ACC-1 and ACC-2, ...').",
        step=said.group(0),
        details={"reason": "figure_over_every_record", "phrase": said.group(0)},
    )


#: "list all customers who signed up this month", "show me every open incident": every
#: record of a kind, listed.
_LIST_OF_EVERY = re.compile(
    r"^\W*(?:please\s+)?(?:list|show|pull|get|give)\s+(?:me\s+|us\s+)?(?:up\s+)?"
    r"(?:all|every)\s+(?:of\s+)?(?:the\s+|our\s+|my\s+)?(?:[a-z]+\s+)?(?P<things>[a-z]+s)\b",
    re.IGNORECASE,
)


def _refuse_a_list_of_every_record(
    request: str, nodes: Sequence[Mapping[str, Any]], planned: Sequence[ToolSpec]
) -> None:
    """ "List all customers who signed up this month": every record of a kind, when no
    step lists them (no loop, no planned tool returns a list) and the one planned reads a
    single record the run is asked to name, would list one; refused."""
    said = _LIST_OF_EVERY.search(request)
    if said is None or len(planned) != 1 or len(nodes) != 1:
        return
    node = nodes[0]
    if node.get("type") != "tool" or _returns_a_list(planned[0]):
        return
    asked = [
        name
        for name in planned[0].required_inputs()
        if str((node.get("inputs") or {}).get(name, "")).startswith("input.")
    ]
    if not asked:
        return
    raise PlanningError(
        "unmapped_step",
        f"Could not plan the request: it asks for every one of the {said['things']}, and no "
        f"tool lists them ({planned[0].id} reads one at a time, by its {asked[0]}). Register "
        "a tool that lists them, or name the ones to read ('for each of A and B, ...').",
        step=said.group(0),
        details={"reason": "list_of_every_record", "phrase": said.group(0)},
    )


def _reader_answers_a_question(
    text: str, ranked: list[tuple[float, ScoredTool]]
) -> list[tuple[float, ScoredTool]]:
    """ "How many tickets sold for screening SCR-19?": a question goes to a tool that
    changes nothing, returns a field the question names (`sold`) and takes the code the
    question writes by the noun said before it (`screening_id`: "screening SCR-19"), before
    one that changes something (a support ticket was to be opened)."""
    if len(ranked) < 2 or not acts(ranked[0][1].spec):
        return ranked
    best = ranked[0][0]
    # ("who is in the Design group?": of tools as near the question, the one that tells)
    level = [pair for pair in ranked[1:] if pair[0] >= best * 0.99 and not acts(pair[1].spec)]
    if len(level) == 1:
        return [level[0], *[pair for pair in ranked if pair is not level[0]]]
    said = {stem(w) for w in meaningful(text)}
    # ("the status of ticket 4821": a thing numbered, as well as coded)
    codes = {
        m.lower() for m in re.findall(r"\b([a-z]+)\s+#?(?:[A-Z]+-?\d|\d+\b)", text, re.IGNORECASE)
    }
    for at, (score, item) in enumerate(ranked[1:], start=1):
        if score < MIN_TOOL_SCORE:
            break
        fields = {stem(w) for name in item.spec.output_properties() for w in split_identifier(name)}
        # ("what's the job title of employee 4012?" with a reader that requires none of its
        # keys, an email or an `employee_id`: the ids it takes)
        keys = item.spec.required_inputs() or list(item.spec.input_properties())
        takes = {
            split_identifier(name)[0] for name in keys if split_identifier(name)[-1:] == ["id"]
        }
        if not acts(item.spec) and said & fields and takes & codes:
            return [(best, item), *ranked[:at], *ranked[at + 1 :]]
    return ranked


def _numbered_thing_read(
    text: str, ranked: list[tuple[float, ScoredTool]]
) -> list[tuple[float, ScoredTool]]:
    """ "check ticket 5100": a look at a thing written with its number goes to the tool that
    changes nothing and reads that thing by a whole-number id (`zd_ticket_get`'s
    `ticket_id`), before one that takes no such id (a text classifier, its text asked of
    the run)."""
    if len(ranked) < 2 or not looks_only(text):
        return ranked

    def reads_by_number(spec: ToolSpec) -> bool:
        numbered = {
            *_whole_number_id(spec.input_properties(), text, {}),
            *number_of_the_tools_thing(spec, text, {}),  # ("check PR 61": its `number`)
        }
        return not acts(spec) and bool(numbered & set(spec.required_inputs()))

    if reads_by_number(ranked[0][1].spec):
        return ranked
    best = ranked[0][0]
    for at, (score, item) in enumerate(ranked[1:], start=1):
        if score < MIN_TOOL_SCORE:
            break
        if reads_by_number(item.spec):
            return [(best, item), *ranked[:at], *ranked[at + 1 :]]
    return ranked


def _check_changes_nothing(clause: Clause, spec: ToolSpec) -> None:
    """Refuse a check ("check that the payment went through") that no step before it
    did and only a tool that acts would answer: planning it would charge the card."""
    if not acts(spec) or not _ONLY_CHECKS.match(clause.action.strip()):
        return
    if re.match(r"^\W*check\s+out\b", clause.action, re.IGNORECASE) and "checkout" in (
        split_identifier(spec.id.lower())
    ):
        return  # "check out laptop LT-42 to E-55": the tool that checks things out does it
    raise PlanningError(
        "unmapped_step",
        f"Could not plan {clause.label}: it asks to check something, and the only tool that "
        f"fits, {spec.id}, does it ({spec.description.rstrip('.')}) rather than checks it. "
        "Ask for that step itself and then for what depends on it ('charge the card; if "
        "the payment goes through, create the shipment'), or register a tool that checks it.",
        step=clause.text,
        details={"tool": spec.id, "reason": "check_would_act"},
    )


def _takes_the_list(spec: ToolSpec, noun: str) -> bool:
    """Whether a required input of `spec` is a list of `noun` ("Order lines": a line)."""
    for name in spec.required_inputs():
        schema = unwrap_nullable(spec.input_properties().get(name) or {})
        if "array" not in schema_types(schema):
            continue
        # what the list holds: its name, and the head of its description ("Order lines:")
        heading = re.split(r"[:.;(]", str(schema.get("description", "")), maxsplit=1)[0]
        heading = re.split(r"\b(?:to|for|of|in|with|that|which)\b", heading, maxsplit=1)[0]
        heads = split_identifier(heading)[-1:] + split_identifier(name)
        if stem(singular(noun)) in {stem(singular(w)) for w in heads}:
            return True
    return False


def _is_join(node: dict[str, Any]) -> bool:
    return node.get("type") == "value" and node.get("trigger") == "any"


def _one_listed_value_said(schema: Mapping[str, Any], text: str) -> str | None:
    """The one value of the input's list (`enum`) that `text` writes as words, if one."""
    values = [v for v in schema.get("enum") or [] if isinstance(v, str)]
    said = [
        value
        for value in values
        if re.search(rf"\b{re.escape(value).replace('_', '[ _-]')}\b", text, re.IGNORECASE)
    ]
    return said[0] if len(said) == 1 else None


#: A code written in capitals and digits ("TRK-14", "V-7").
_CODE_IN_TEXT = re.compile(r"\b[A-Z]{1,6}-?\d+\b")
#: "... is overdue", "... 's not shipped": the state said of a thing
_A_STATE_SAID = re.compile(
    r"\b(?:is|are|'s|'re)\s+(?:not\s+|still\s+)?(?P<state>[a-z]+)\s*$", re.IGNORECASE
)
#: Units a number's field may end on (`distance_km`, `duration_minutes`).
_UNITS = frozenset("km miles kg lbs minutes hours days seconds percent celsius".split())
#: "text the ETA to the driver", "email them the eta": a message that names one thing sent
_SENDS_THE_NAMED = re.compile(
    # ("email ops@aqualine.gov the reading": to an address, then what is sent)
    r"^(?:text|sms|email|e-mail|send|message|post|tell)\s+"
    r"(?:[\w.+-]+@[\w-]+(?:\.[\w-]+)+\s+|\w+\s+)?(?:the|its|their)\s+"
    r"(?P<what>[A-Za-z]+)\b(?!\s+[a-z]+\b(?<!\bto\b))",
    re.IGNORECASE,
)
def _is_email_field(name: str, schema: Any) -> bool:
    """Whether an input takes an email address (`email`, or a string of format email)."""
    fields = unwrap_nullable(schema) if isinstance(schema, dict) else {}
    return fields.get("format") == "email" or name.lower() in ("email", "email_address")


#: "tell ann@x.com her order number", "email them the tracking number": a message that
#: says a thing's number and nothing else
_TELLS_A_CODE = re.compile(
    r"^(?:tell|text|sms|email|e-mail|message|send)\s+(?:[\w.+-]+@[\w-]+(?:\.[\w-]+)+|\w+)\s+"
    r"(?P<whose>the|its|their|her|his|your)\s+(?P<what>[a-z]+)\s+"
    r"(?P<kind>number|id|no|code|reference|ref)\s*$",
    re.IGNORECASE,
)
#: "pay it", "pay them out": a payment of the thing itself, with no amount said
_PAY_IT = re.compile(r"^\W*(?:pay|payout|charge)\s+(?:it|them)(?:\s+out)?\W*$", re.IGNORECASE)
#: "charge them that amount", "for the converted amount": the amount a step before returned
_THAT_AMOUNT = re.compile(
    r"\b(?:that|this|the\s+(?:same|converted|resulting|new))\s+(?:amount|sum|figure)\b",
    re.IGNORECASE,
)


#: "2x LAMP-3", "40x SAND-1": how many of a product, then its code ("4x TICKET-ADULT", "3x
#: TEA-EARL": a code in capitals joined by a hyphen needs no digit)
_ORDER_LINE = re.compile(
    r"\b(?P<count>\d{1,3})\s*[x\u00d7]\s+"
    r"(?P<sku>(?=[\w-]*\d)[A-Za-z][\w-]*|[A-Z][A-Z0-9]*(?:-[A-Z0-9]+)+)(?![\w-])"
    # ("2 units of SKU-7", "3 pcs WIDGET-1", "2 SKU-7": a count, then a code in capitals)
    r"|\b(?P<count2>\d{1,3})\s+(?:(?:units?|pcs|pieces?|items?|copies|boxes|packs?)\s+)?"
    # ("2 SKU-TEE-L", "4 MASK-L": capitals joined by a hyphen need no digit here either)
    r"(?:of\s+)?(?P<sku2>(?-i:[A-Z][A-Z0-9]*-[A-Z0-9-]*\d[A-Z0-9-]*|[A-Z]{2,}(?:-[A-Z0-9]+)+))\b"
    # ("SKU-7 x 2", "WIDGET-1 \u00d7 3": the code, then the count)
    r"|\b(?P<sku3>(?-i:[A-Z][A-Z0-9]*-[A-Z0-9-]*\d[A-Z0-9-]*))\s*[x\u00d7]\s*(?P<count3>\d{1,3})\b"
)


#: "Screen 'Viktor Petrov' against ...": a quoted name right after the step's verb
_QUOTED_OBJECT = re.compile(
    # ("Screen the consignee 'Golden Dragon Trading Co'": a noun may say what it names)
    r"^\W*[a-z]+(?:\s+up)?\s+(?:(?:the|a|an|this|our)\s+(?:[a-z-]+\s+){1,2})?"
    r"['\"\u201c\u2018](?P<quote>(?-i:[A-Z])[\w.' -]{1,60}?)"
    r"['\"\u201d\u2019]",
    re.IGNORECASE,
)
_ADDRESS_WORDS = re.compile(r"(?<![\w.+-])[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
#: The last word of an input that holds a thing's id ("order_id", "confirmation_no").
_ID_WORDS = frozenset({"id", "no", "number", "ref", "reference", "code"})
#: "check we still have 4x TICKET-ADULT", "see if we have 3x TEA-EARL": the stock of lines
_WE_HAVE_THE_ITEMS = re.compile(
    r"\b(?P<verb>check|see|confirm|verify|make\s+sure)\s+(?:if\s+|whether\s+|that\s+)?"
    r"we\s+(?:still\s+)?(?:have|got)\s+(?:enough\s+)?(?:of\s+)?the\s+items\b",
    re.IGNORECASE,
)


def _lines_as_items(text: str) -> str:
    """ "Check we have 4x TICKET-ADULT and 2x TICKET-CHILD": the lines are data, read as
    the items they are; the words of their codes ("ticket", "table") ask for no tool."""
    found = list(_ORDER_LINE.finditer(text))
    if not found:
        return text
    start, end = found[0].start(), found[-1].end()
    between = text[start:end]
    for match in found:
        between = between.replace(match.group(0), " ", 1)
    if re.fullmatch(r"[\s,]*(?:(?:and|&)[\s,]*)?", between):
        return f"{text[:start]}the items{text[end:]}"  # the lines listed, as one thing
    return _ORDER_LINE.sub("the items", text)


def _order_lines_written(
    properties: Mapping[str, Any], text: str, literals: Mapping[str, str]
) -> dict[str, str]:
    """ "Check stock for 2x LAMP-3 and 1x DESK-9": the lines the step writes, for an input
    that is a list of lines with a SKU and a quantity, rather than lines asked of the run."""
    # ("3 units of SKU WIDGET-1": the word "SKU" before the code names what it is; read here
    # alone, as the lines of such an input: a tool that takes one sku reads it its own way)
    text = _SKU_NAMED.sub("", text)
    lines = [
        {
            "sku": match["sku"] or match["sku2"] or match["sku3"],
            "quantity": int(match["count"] or match["count2"] or match["count3"]),
        }
        for match in _ORDER_LINE.finditer(text)
    ]
    if not lines:
        # "check stock for SKU-100 and SKU-200", "is SKU-7 in stock?": one of each
        lines = [{"sku": sku, "quantity": 1} for sku in _skus_in_stock_asked(text)]
    if not lines:
        return {}
    for name, schema in properties.items():
        item = unwrap_nullable(schema).get("items")
        line = unwrap_nullable(item) if isinstance(item, dict) else {}
        fields = set(line.get("properties") or {})
        if name not in literals and {"sku", "quantity"} <= fields:
            return {name: json.dumps(lines)}
    return {}


#: A product code: capitals and digits joined by hyphens, with a digit ("MUG-01") or of
#: capital words alone ("CABLE-USB")
_SKU = r"(?-i:[A-Z][A-Z0-9]*-[A-Z0-9-]*\d[A-Z0-9-]*|[A-Z]{2,}(?:-[A-Z]{2,})+(?![\w-]))"
#: "SKU WIDGET-1", "sku MUG-01": the word that says a code is a SKU, before the code
_SKU_NAMED = re.compile(rf"\b(?i:sku)\s+(?={_SKU})")
_SKUS = rf"{_SKU}(?:\s*(?:,\s*(?:and\s+)?|\s+and\s+|\s*&\s*){_SKU})*"
#: "stock for SKU-1 and SKU-2", "is SKU-7 in stock", "are A-1, B-2 available": codes whose
#: stock is asked, with no count
_STOCK_ASKED = re.compile(
    rf"\b(?:stock|inventory|availability)\s+(?:levels?\s+)?(?:for|of|on)\s+(?P<a>{_SKUS})\b"
    rf"|\b(?:is|are|if|whether|have)\s+(?:we\s+have\s+)?(?P<b>{_SKUS})\s+"
    r"(?:(?:is|are)\s+)?(?:still\s+)?(?:in\s+stock|available)\b",
    re.IGNORECASE,
)


def _skus_in_stock_asked(text: str) -> list[str]:
    """The codes a stock check names with no count ("check stock for SKU-1 and SKU-2")."""
    match = _STOCK_ASKED.search(text)
    if match is None:
        return []
    return list(dict.fromkeys(re.findall(_SKU, match.group("a") or match.group("b"))))


#: "put a door notice on 5E", "tape a notice to the door of ...": a thing put up somewhere
_PUT_UP_A_THING = re.compile(
    r"(?P<lead>(?:^|(?<=[.;!?])\s+|\b(?:and|then)\s+))(?:put|tape|stick|hang|leave|pin)\s+"
    r"(?P<article>a|an|the)\s+(?P<thing>[a-z]+\s+[a-z]+)\s+(?:on|to|at)\s+",
    re.IGNORECASE,
)
#: ", patient has the flu", ", the sender doesn't need it": a fact said after a step, last
_WHY_SAID_AFTER = re.compile(
    r",\s+(?P<why>(?:the\s+)?(?:patient|customer|client|tenant|guest|owner|sender|member|"
    r"student|they|he|she)\s+(?:has|have|had|no\s+longer|doesn't|does\s+not|don't|can't|"
    r"cannot|won't)\b[^.;!?,]*)(?=\s*(?:[.;!?]|$))",
    re.IGNORECASE,
)


#: "close SR-11800, tree removed by parks": what was done, and by whom, said last
_DONE_BY_SAID_AFTER = re.compile(
    r",\s+(?P<why>(?:the\s+)?[a-z]+\s+(?:(?:was|were|has\s+been|have\s+been)\s+)?"
    r"[a-z]+ed\s+by\s+[^.;!?,]+)(?=\s*(?:[.;!?]|$))",
    re.IGNORECASE,
)
#: ", about 2 feet wide in the right lane", ", roughly 3 m long": how big a thing is, said
#: after a comma to the end of the sentence (a description, as after a colon; no step)
_SIZE_SAID_AFTER = re.compile(
    r",\s+(?P<size>(?:about|around|roughly|approximately|nearly|almost|maybe)\s+\d+(?:\.\d+)?"
    r"\s*(?:-\s*)?(?:feet|foot|ft|inch(?:es)?|in|meters?|metres?|m|cm|mm|yards?|yds?|miles?|km)"
    r"\s+(?:wide|long|deep|tall|high|across)\b[^.;!?,\"]*)(?=[.;!?]|,\s+then\b|$)",
    re.IGNORECASE,
)
#: "before opening a graffiti request at 220 Oak Ave check for duplicates nearby": a check
#: for something, said after the step it comes before
_CHECKED_BEFORE_DOING = re.compile(
    r"(?P<lead>(?:^|(?<=[.;!?])\s+)\W*)before\s+(?P<gerund>[a-z]+ing)\s+"
    r"(?P<thing>(?:an?|the)\s+[^,;.!?]+?)\s*,?\s+(?P<check>check|look|search|scan)\s+for\s+"
    r"(?P<what>(?:any\s+)?[a-z]+)(?P<rest>[^,;.!?]*)",
    re.IGNORECASE,
)
#: "create an estimate for V-2290 for front brake pads, an oil change and wiper blades":
#: a record made for a code, and the things it is for, listed in words to the step's end
_THINGS_LISTED_FOR_A_CODE = re.compile(
    r"(?P<lead>\b(?:create|make|prepare|draw\s+up|write\s+up|put\s+together)\s+(?:an?|the)\s+"
    r"(?P<thing>[a-z]+)\s+for\s+(?-i:[A-Z][A-Z0-9]*-[A-Z0-9-]*\d[A-Z0-9-]*)\s+"
    r"(?:for|with|covering|including)\s+)"
    r"(?P<list>[a-z][a-z -]*(?:,\s*[a-z][a-z -]*)*?(?:,\s*|\s+)and\s+[a-z][a-z -]*?)"
    r"(?=\s*(?:[;.!?]|,\s+then\b|$))",
    re.IGNORECASE,
)
#: A run of quoted texts joined by commas and "and": '"brake pads", "oil change" and "..."'
_QUOTED_RUN = re.compile(r'"[^"]+"(?:\s*,\s*(?:and\s+)?"[^"]+"|\s+and\s+"[^"]+")+')


def _text_list_inputs(spec: ToolSpec) -> list[str]:
    """The required inputs of `spec` that are lists of free texts (`jobs`: no values listed)."""
    found = []
    for name in spec.required_inputs():
        schema = unwrap_nullable(spec.input_properties().get(name) or {})
        items = schema.get("items")
        item = unwrap_nullable(items) if isinstance(items, dict) else {}
        if (
            schema_types(schema) == {"array"}
            and schema_types(item) == {"string"}
            and not item.get("enum")
            and not item.get("format")
        ):
            found.append(name)
    return found


def _texts_listed_for_a_list(
    spec: ToolSpec, text: str, literals: Mapping[str, str]
) -> dict[str, str]:
    """ 'create an estimate for V-2290 for "brake pads", "oil change" and "wiper blades"':
    quoted texts listed together are the items of the one list of texts the tool requires,
    rather than a list asked of the run."""
    names = [name for name in _text_list_inputs(spec) if name not in literals]
    run = _QUOTED_RUN.search(text)
    if len(names) != 1 or run is None:
        return {}
    return {names[0]: json.dumps(re.findall(r'"([^"]+)"', run.group(0)))}


#: When a task is due, said after what it asks ("... by 2026-12-15", "..., due friday")
_DUE_SAID = re.compile(
    r"(?:\s*,)?\s+(?:by|due|before|on|until|no\s+later\s+than)\b.*$|\s*,.*$", re.IGNORECASE
)


def _task_titled(spec: ToolSpec, text: str, literals: Mapping[str, str]) -> dict[str, str]:
    """ "create a task for maria to renew the SSL certificate by 2026-12-15": what the
    task asks is its title ("Renew the SSL certificate"), for a tool that makes tasks."""
    to_do = TASK_TO_DO.search(text)
    task = to_do or TASK_CALLED.search(text)
    if task is None or not acts(spec):
        return {}
    properties = spec.input_properties()
    title = next(
        (
            name
            for name in ("title", "name", *_summary_inputs(properties))
            if name in properties and name not in literals
        ),
        None,
    )
    # (a title called ends where what is said of it starts: "... on Safari" is its own)
    what = (_DUE_SAID.sub("", task["what"]) if to_do else task["what"]).strip(" .!")
    if title is None or not what:
        return {}
    return {title: json.dumps(what[0].upper() + what[1:])}


#: Inputs named for the cells of a row ("values", "cells", "columns")
_CELL_INPUTS = frozenset({"values", "cells", "columns", "row", "fields"})
#: What a sheet's row is called in a step ("the Expenses sheet", "the Orders tab")
_A_SHEET = r"(?:sheet|spreadsheet|tab|table|worksheet)s?\b"
#: "add a row to the Expenses sheet with Taxi and 42.50", "... sheet: Taxi, 42.50", "add
#: Taxi, 42.50 to the Expenses sheet": the cells written, in order
_CELLS_WRITTEN = (
    re.compile(
        rf"\b{_A_SHEET}.*?\bwith\s+(?:the\s+)?(?:values?|cells?|columns?)?\s*:?\s*"
        r"(?P<cells>[^;:]+)$",
        re.IGNORECASE,
    ),
    re.compile(rf"\b{_A_SHEET}[^:]*:\s*(?P<cells>[^;:]+)$", re.IGNORECASE),
    re.compile(
        r"^\W*(?:add|append|insert|log|write|put|record)\s+"
        r"(?!(?:a|an|the|it|them|this|that|these|those|rows?|each|every|all)\b)"
        rf"(?P<cells>[^;:]+?)\s+(?:to|into|in|on)\s+(?:the|a|an|our|my)\s+\w+\s+{_A_SHEET}\s*$",
        re.IGNORECASE,
    ),
)
#: Cells that say what the run knows, not what is written ("today's date", "it")
_NOT_A_CELL = re.compile(
    r"\b(?:today|tomorrow|now|date|time|it|them|their|his|her|its|the|this|that|each|every)\b",
    re.IGNORECASE,
)


def _cells_written(spec: ToolSpec, text: str, literals: Mapping[str, str]) -> dict[str, str]:
    """ "add a row to the Expenses sheet with Taxi and 42.50": the cells the step lists are
    the one list of texts a tool that appends a row takes (`values`), in the order said."""
    names = [
        name
        for name in _text_list_inputs(spec)
        if name not in literals and set(split_identifier(name)) & _CELL_INPUTS
    ]
    if len(names) != 1:
        return {}
    for pattern in _CELLS_WRITTEN:
        match = pattern.search(text.strip().rstrip(".!"))
        if match is None:
            continue
        cells = [
            cell.strip().strip("\"'\u2018\u2019\u201c\u201d")
            for cell in re.split(r"\s*,\s*(?:and\s+)?|\s+and\s+", match["cells"].strip())
        ]
        if len(cells) >= 2 and all(cells) and not any(_NOT_A_CELL.search(c) for c in cells):
            return {names[0]: json.dumps(cells)}
    return {}


#: "email every ticket holder", "notify all the members": a step to each one of them
_TO_EVERY_ONE = re.compile(
    r"\b(?P<verb>email|e-mail|message|text|notify|remind|alert)\s+(?:every|each|all)\s+"
    r"(?:(?:of\s+)?(?:the|our|your|their)\s+)?(?P<thing>[a-z]+)\b",
    re.IGNORECASE,
)
#: "Email every ticket holder of an event ...": a tool that does it to each one itself
_DESCRIBED_TO_EVERY_ONE = re.compile(
    r"^(?P<verb>[A-Za-z]+)\s+(?:every|each|all)\s+(?:(?:of\s+)?the\s+)?(?P<thing>[a-z]+)\b"
)
#: The inputs that take a free-text description of what a record is about
_DESCRIPTION_INPUTS = frozenset({"description", "details", "notes", "note", "comment"})
#: Steps that end a record, whose reason may follow them after a comma
_CLOSING = re.compile(r"^\W*(?:close|resolve|complete|finish|cancel|mark)\b", re.IGNORECASE)
#: "are these emails valid? a@x.com, b@x.com, c@x.com": a question over a list after it
_ARE_THESE_LISTED = re.compile(
    r"(?P<lead>^|(?<=[.;!]\s))(?i:are)\s+(?i:these|the\s+following)\s+(?P<things>[a-z]+s)\s+"
    r"(?P<state>(?i:valid|real|deliverable|in\s+stock|available))\s*\?\s*(?=\S+[,\s])"
)


def _why_said_after_closing(match: re.Match[str]) -> str:
    """ "close SR-11800, tree removed by parks" -> "... because tree removed by parks": for a
    step that closes a record, said with no comma of its own ("removed" was read as
    deleting something)."""
    start = max(match.string.rfind(stop, 0, match.start()) for stop in ".;!?\n") + 1
    head = match.string[start : match.start()]
    if "," in head or not _CLOSING.match(head):
        return match[0]
    return f" because {match['why']}"


def _why_said_after(match: re.Match[str]) -> str:
    """ "cancel appointment APT-1, patient has the flu" -> "... because patient has the flu",
    when the step before is said with no comma of its own (a street address's commas leave
    "..., Springfield, customer has moved" as written)."""
    start = max(match.string.rfind(stop, 0, match.start()) for stop in ".;!?\n") + 1
    if "," in match.string[start : match.start()]:
        return match[0]
    return f" because {match['why']}"


#: "email the tenants in units 2A, 2B and 2C that ...": people of the places listed
_PLACE = r"\d{1,4}[A-Z]{1,2}(?![\w-])"
_PLACES_LISTED = re.compile(
    r"(?P<lead>^|(?<=[.;!?]\s))(?P<verb>(?i:[a-z]+))\s+(?P<obj>(?i:the)\s+[a-z]+s)\s+"
    r"(?i:in|of|at|for)\s+(?:(?i:the\s+)?(?i:units|apartments|apts|rooms|suites|flats)\s+)?"
    rf"(?P<list>{_PLACE}(?:\s*,\s*{_PLACE})*\s*,?\s*(?i:and|&)\s+{_PLACE})(?P<rest>[^.;!?]*)"
)


def _each_place_listed(match: re.Match[str]) -> str:
    """ "email the tenants in units 2A, 2B and 2C that the water is off" -> "for each of 2A,
    2B and 2C, email the tenant that the water is off": one step for each place listed
    (refused: the last code and what follows were read as one thing)."""
    *head, last = match["obj"].split()
    one = " ".join([*head, singular(last)])
    return f"{match['lead']}for each of {match['list']}, {match['verb']} {one}{match['rest']}"


#: "in 4B", "for unit 12C", "on 5E": a flat, a room or a suite, by its number and letter
#: "moved to 9pm", "has been postponed", "was cancelled": what changed of a thing
_CHANGED = re.compile(
    r"\b(?:(?:has|have|had)\s+been\s+|(?:was|were|is|are|got)\s+)?(?:moved|changed|"
    r"rescheduled|postponed|delayed|cancell?ed|relocated|pushed\s+back|brought\s+forward)\b",
    re.IGNORECASE,
)
_PLACE_CODE = re.compile(
    r"\b(?i:in|for|at|on|from|of|to)\s+(?:(?i:the\s+)?(?i:unit|apartment|apt|suite|room|flat)\s+)?"
    r"(?P<code>\d{1,4}[A-Z]{1,2})(?![\w-])"
)
#: The last word of an input named for such a place
_PLACE_INPUTS = frozenset({"unit", "apartment", "apt", "suite", "room", "flat"})


def _place_code_written(
    properties: Mapping[str, Any], text: str, taken: Mapping[str, str]
) -> dict[str, str]:
    """ "open a plumbing work order for 4B": a flat's number and letter after "in", "for",
    "at" or "on" fills the one input named for a unit, a room or a suite."""
    wanted = [
        name
        for name, schema in properties.items()
        if split_identifier(name)[-1:]
        and split_identifier(name)[-1] in _PLACE_INPUTS
        and "string" in (schema_types(unwrap_nullable(schema)) or {"string"})
    ]
    codes = list(dict.fromkeys(m["code"] for m in _PLACE_CODE.finditer(text)))
    if len(wanted) != 1 or wanted[0] in taken or len(codes) != 1:
        return {}
    return {wanted[0]: json.dumps(codes[0])}


#: ", estimate $2,850", ", deposit 500 EUR": a word and an amount, after a comma
_AMOUNT_LABELLED_AFTER_A_COMMA = re.compile(
    r",\s+(?P<label>[a-z]+)\s+(?:of\s+)?(?=[$€£¥]\s?\d|\d[\d.]*\s*(?:usd|eur|gbp|dollars?|euros?)\b)",
    re.IGNORECASE,
)
#: "if job J-9090 is delivered, ...": a condition said first, on a thing by its code
#: A step's words that are a condition and nothing else ("if venue VEN-14 is free"): the
#: condition was not read as one.
_CONDITION_AS_A_STEP = re.compile(
    r"^\s*(?:if|unless|whenever)\s+(?P<cond>[^,;]+?)\s*[.,;]?\s*$", re.IGNORECASE
)
_IF_THING_IS_A_STATE = re.compile(
    r"(?P<lead>^|(?<=[.;!?])\s+)(?P<word>if|when|once)\s+(?:the\s+)?(?P<noun>[a-z]+)\s+"
    rf"(?P<code>{_CODE_SHAPE})\s+(?P<be>is|was|has\s+been|got|gets)\s+(?P<state>[a-z_]+)"
    r"(?P<end>\s*,)",
    re.IGNORECASE,
)
#: ", deliver by 2027-01-12T15:00", ", pay by friday": a verb and "by" a moment, after a comma
_DEADLINE_AFTER_A_COMMA = re.compile(
    r",\s+(?P<verb>[a-z]+)\s+by\s+(?=\d{4}-\d{2}-\d{2}|\d{1,2}(?::\d{2})?\s*(?:am|pm)\b|"
    r"(?:today|tonight|tomorrow|noon|midnight|monday|tuesday|wednesday|thursday|friday|"
    r"saturday|sunday)\b)",
    re.IGNORECASE,
)
#: "from Reno to Sacramento", "from 100 Pier Rd, Oakland to 55 Main St, Fresno"
_FROM_TO = re.compile(
    # ("from ST-020 over to ST-031": the way it goes is no part of the start)
    r"\bfrom\s+(?P<start>[A-Z0-9][^;:!?]*?)(?:\s+(?:over|across|back|down|up))?\s+to\s+"
    r"(?P<end>[A-Z0-9][^;:!?]*?)"
    r"(?=\s*(?:$|[;:!?]|\.(?:\s|$)|\s+(?:and|then|if|unless|only|is|are|was|under|over|"
    # (", small package": a part in lower case after a comma is no place of the address)
    r"within|by|on|at|for|before|after|with)\b|,\s*[a-z]))"
)
_START_WORDS = frozenset({"origin", "from", "source", "pickup", "start", "departure"})
_END_WORDS = frozenset({"destination", "to", "target", "dropoff", "drop", "end", "arrival"})


def _from_and_to_written(
    properties: Mapping[str, Any], text: str, taken: Mapping[str, str]
) -> dict[str, str]:
    """ "the route from Reno to Sacramento", "a job from 100 Pier Rd, Oakland to 55 Main St,
    Fresno": where it starts and where it ends, for a tool with one input for each
    (`origin` and `destination`, `pickup_address` and `dropoff_address`), where no rule
    before gave them (a time read as such stays); the end is never the start again."""
    match = _FROM_TO.search(text)
    if match is None:
        return {}
    texts = [n for n, s in properties.items() if "string" in (schema_types(s) or {"string"})]
    starts = [n for n in texts if _START_WORDS & set(split_identifier(n))]
    ends = [n for n in texts if _END_WORDS & set(split_identifier(n))]
    if len(starts) != 1 or len(ends) != 1 or starts == ends:
        return {}
    start, end = taken.get(starts[0]), taken.get(ends[0])
    if (start is not None or end is not None) and start != end:
        return {}  # (the end given as the start again is the one thing put right)
    return {
        starts[0]: json.dumps(match["start"].strip()),
        ends[0]: json.dumps(match["end"].strip()),
    }


#: The validator's words for a literal that is none of the values an input lists.
_NOT_ONE_OF = re.compile(r"expects one of (?P<allowed>.+), but `(?P<value>[^`]+)` is not one of")


def _value_not_offered(issue: Mapping[str, Any], spec: ToolSpec | None) -> str | None:
    """ "it asks for 'normal' as the priority of create_ticket, which takes only low,
    medium, high or urgent.": a value the step wrote that the input does not list, in
    plain words, or None for any other issue."""
    match = _NOT_ONE_OF.search(str(issue.get("message") or ""))
    field = str(issue.get("field") or "")
    if match is None or not field.startswith("inputs.") or spec is None:
        return None
    allowed = [json.loads(v) for v in re.findall(r'"(?:[^"\\]|\\.)*"', match["allowed"])]
    if not allowed:
        return None
    said = match["value"].strip('"')
    name = field.removeprefix("inputs.").replace("_", " ")
    listed = ", ".join(str(v) for v in allowed[:-1]) + f" or {allowed[-1]}"
    if len(allowed) == 1:
        listed = str(allowed[0])
    return f"it asks for '{said}' as the {name} of {spec.id}, which takes only {listed}."


#: "email the adjuster", "notify our driver": a message to someone named by their role
_MESSAGED_ROLE = re.compile(
    r"\b(?:e-?mail|mail|notify|message|tell|inform|ping|remind|contact)\s+"
    r"(?:the|our|their|its|that)\s+(?P<who>[a-z]+)\b",
    re.IGNORECASE,
)


def _address_told_of_the_one_named(action: str, candidates: Sequence[Source]) -> str | None:
    """ "Assign claim CLM-81 to an adjuster ... and email the adjuster": the address a
    step before returns under that person's name (`adjusters_assign.adjuster_email`), when
    one step does, rather than an address asked of the run."""
    match = _MESSAGED_ROLE.search(action)
    if match is None:
        return None
    who = stem(match["who"])
    told = {
        source.expression
        for source in candidates
        if source.node is not None
        and [stem(w) for w in split_identifier(source.name)] == [who, "email"]
    }
    return told.pop() if len(told) == 1 else None


#: "label issue 11 as bug", "tag ticket 4 as vip": a verb that is the noun of what is given
_VERB_AS_A_VALUE = re.compile(r"^\W*(?P<verb>[a-z]+)\s+(?P<rest>.*?)\s+as\s+\w", re.IGNORECASE)


#: "to task 55", "under project #12": a thing said by its number after a preposition
_THING_NUMBERED = re.compile(
    r"\b(?:to|under|on|for|of|into|in)\s+(?:the\s+)?(?P<thing>[a-z]+)\s+#?(?P<n>\d+)\b(?![.,:/-]?\d)",
    re.IGNORECASE,
)
_ID_ENDS = frozenset({"id", "gid", "key", "number", "no"})


def _thing_by_its_number(
    properties: Mapping[str, Any], action: str, taken: Mapping[str, str]
) -> dict[str, str]:
    """ "add a subtask to task 55": the one id input nothing filled whose name or
    description names the thing said before the number (`parent_gid`, "Gid of the parent
    task") takes the number, as text or a whole number as it is typed."""
    for said in _THING_NUMBERED.finditer(action):
        thing = stem(said["thing"].lower())
        wanted = [
            name
            for name, schema in properties.items()
            if name not in taken
            and split_identifier(name)[-1:]
            and split_identifier(name)[-1] in _ID_ENDS
            and thing
            in {
                stem(w)
                for w in split_identifier(name)
                + split_identifier(str(unwrap_nullable(schema).get("description") or ""))
            }
        ]
        if len(wanted) != 1:
            continue
        types = schema_types(unwrap_nullable(properties[wanted[0]]))
        if types & {"integer", "number"}:
            return {wanted[0]: said["n"]}
        return {wanted[0]: json.dumps(said["n"])} if "string" in types else {}
    return {}


#: "new task: Renew domain", "add a task: Order toner, due ...": a thing's noun, a colon and
#: its title, to a comma or what the step says of the thing next
_TITLE_AFTER_ITS_NOUN = re.compile(
    r"\b(?P<noun>[a-z]+)\s*:\s*(?P<title>[A-Za-z][^,;:.!?'\"]*?)\s*"
    r"(?=$|[,;.!?]|\s+(?:for|due|by|assigned|and\s+assign)\b)",
    re.IGNORECASE,
)
_TITLE_INPUTS = ("title", "name", "summary")


def _title_after_its_noun(
    spec: ToolSpec, action: str, taken: Mapping[str, str]
) -> dict[str, str]:
    """ "new task: Renew domain, assign it to maria": the words after the colon that follows
    the noun of what the tool makes (`create_task`: task) are its title, not one more run
    input."""
    said = _TITLE_AFTER_ITS_NOUN.search(action)
    if said is None or not acts(spec):
        return {}
    noun = stem(singular(said["noun"].lower()))
    if noun not in {stem(w) for w in split_identifier(spec.id)}:
        return {}
    properties = spec.input_properties()
    first = said["title"].split(maxsplit=1)[0].lower()
    if any(first in split_identifier(name) for name in properties):
        return {}  # ("create a lead: name Kofi Mensah, email ...": values, each labelled)
    title = next(
        (
            name
            for name in _TITLE_INPUTS
            if name in properties
            and name not in taken
            and schema_types(unwrap_nullable(properties[name])) == {"string"}
        ),
        None,
    )
    return {title: json.dumps(said["title"].strip())} if title is not None else {}


#: "price the vegan lunch menu for 45", "the price of the taco bar for 60": what is priced
_THING_PRICED = re.compile(
    r"^\W*(?:price|quote)\s+(?:the|a|an|our)\s+(?P<thing>[a-z][a-z' -]*?)\s+for\b"
    r"|\bprice\s+of\s+(?:the|a|an|our)\s+(?P<thing2>[a-z][a-z' -]*?)\s+for\b",
    re.IGNORECASE,
)
_PRICES_A = re.compile(r"^\W*prices?\s+(?:a|an|the)\s+(?P<noun>[a-z]+)\b", re.IGNORECASE)


def _the_thing_priced(spec: ToolSpec, action: str, taken: Mapping[str, str]) -> dict[str, str]:
    """ "price the vegan lunch menu for 45" over "Price a menu for a headcount": what is
    priced fills the input named for what the tool prices (`menu`: "vegan lunch"), not one
    more run input."""
    said = _THING_PRICED.search(action)
    prices = _PRICES_A.match(spec.description)
    if said is None or prices is None:
        return {}
    noun = prices["noun"].lower()
    schema = unwrap_nullable(spec.input_properties().get(noun) or {})
    if noun in taken or schema_types(schema) != {"string"} or schema.get("enum"):
        return {}
    thing = (said["thing"] or said["thing2"]).strip()
    thing = re.sub(rf"\s+{re.escape(noun)}s?$", "", thing, flags=re.IGNORECASE).strip()
    if not thing or thing.lower() == noun:
        return {}
    found = {noun: json.dumps(thing)}
    # ("... for 45": how many it is priced for, the one whole number it takes)
    count = re.match(r"\s*(\d+)\b", action[said.end() :])
    counts = [
        name
        for name in spec.required_inputs()
        if name not in taken
        and schema_types(unwrap_nullable(spec.input_properties().get(name) or {})) == {"integer"}
    ]
    if count is not None and len(counts) == 1:
        found[counts[0]] = count.group(1)
    return found


#: "remove 3 units of MUG-WHT", "add 12 units", "reduce the stock of MUG-WHT by 3": a count
#: that a step takes away or adds
_COUNT_CHANGED = re.compile(
    r"^\W*(?P<verb>remove|subtract|deduct|reduce|decrease|lower|add|increase|raise)\b"
    r"(?:.*?\bby\s+(?P<by>\d+)\b|\s+(?P<count>\d+)\s+(?:units?|pieces?|items?|of)\b)",
    re.IGNORECASE,
)
_TAKES_AWAY = frozenset({"remove", "subtract", "deduct", "reduce", "decrease", "lower"})


def _signed_change(
    properties: Mapping[str, Any], action: str, taken: Mapping[str, str]
) -> dict[str, str]:
    """ "remove 3 units of MUG-WHT from inventory": the one whole-number input of a change
    said to be negative when it removes ("Units to add (positive) or remove (negative)")
    is minus the count taken away, or the count added."""
    said = _COUNT_CHANGED.match(action)
    if said is None:
        return {}
    signed = [
        name
        for name, schema in properties.items()
        if name not in taken
        and schema_types(unwrap_nullable(schema)) & {"integer", "number"}
        and re.search(r"\bnegative\b", str(unwrap_nullable(schema).get("description", "")), re.I)
    ]
    if len(signed) != 1:
        return {}
    count = int(said["by"] or said["count"])
    away = said["verb"].lower() in _TAKES_AWAY
    return {signed[0]: str(-count if away else count)}


#: "as bug", "as bug and urgent", "as needs-review": the value after "as", to the end of
#: the step or a place ("in acme/web")
_AS_VALUES = re.compile(
    r"\bas\s+(?P<values>[\w-]+(?:(?:\s*,\s*|\s+and\s+)[\w-]+)*)\s*(?=$|[.;!?]|\s+(?:in|on|for|to)\b)",
    re.IGNORECASE,
)


def _value_the_verb_names(
    properties: Mapping[str, Any], action: str, taken: Mapping[str, str]
) -> dict[str, str]:
    """ "label issue 11 as bug": what follows "as" fills the input the verb names
    (`labels`: ["bug"]; a `tag`: "bug"), not the thing's noun."""
    said = _VERB_AS_A_VALUE.match(action)
    values = _AS_VALUES.search(action)
    if said is None or values is None:
        return {}
    verb = stem(said["verb"].lower())
    named = [
        name
        for name in properties
        if name not in taken
        and split_identifier(name)
        and stem(singular(split_identifier(name)[-1])) == verb
    ]
    if len(named) != 1:
        return {}
    words = [w for w in re.split(r"\s*,\s*|\s+and\s+", values["values"]) if w]
    schema = unwrap_nullable(properties[named[0]])
    if schema_types(schema) == {"array"}:
        return {named[0]: json.dumps(words)}
    if schema_types(schema) & {"string"} and len(words) == 1:
        return {named[0]: json.dumps(words[0])}
    return {}


def _verb_names_its_input(
    text: str, ranked: list[tuple[float, ScoredTool]]
) -> list[tuple[float, ScoredTool]]:
    """ "label issues 11, 12 and 13 as bug": the one tool that changes something and takes
    an input the verb names (`labels`), and whose words name the thing the step works on
    ("issue"), does it; a tool whose verb is only like it (classify_ticket, "label" a
    synonym of "classify") gives no label to anything."""
    said = _VERB_AS_A_VALUE.match(text)
    if said is None or not ranked:
        return ranked
    verb = stem(said["verb"].lower())
    things = {stem(singular(w)) for w in re.findall(r"[a-z]+", said["rest"].lower())}
    taking = [
        pair
        for pair in ranked
        if acts(pair[1].spec)
        and any(
            stem(singular(split_identifier(name)[-1])) == verb
            for name in pair[1].spec.required_inputs()
            if split_identifier(name)
        )
        and things
        & {
            stem(singular(w))
            for w in split_identifier(pair[1].spec.id) + split_identifier(pair[1].spec.description)
        }
    ]
    if len(taking) != 1 or taking[0] is ranked[0]:
        return ranked
    return [(ranked[0][0], taking[0][1]), *[p for p in ranked if p is not taking[0]]]


#: "add tom@school.edu to MATH-300 as a TA": the role, kind or level a thing is added as
_ADDED_AS = re.compile(
    r"^\W*(?P<verb>add|put|bring|sign\s+up|set\s+up|make)\b.*?\bas\s+(?:an?\s+)?(?P<value>[\w-]+)\s*$",
    re.IGNORECASE,
)


def _added_as_a_listed_value(
    text: str, ranked: list[tuple[float, ScoredTool]]
) -> list[tuple[float, ScoredTool]]:
    """ "add tom@school.edu to MATH-300 as a TA": when the best tools share only the verb
    with the step, the one tool that changes something and lists what it is added as
    among an input's values (`role`: student, ta, observer) does it (a shipment or a
    ticket was created for "add")."""
    said = _ADDED_AS.match(text)
    if said is None or not ranked:
        return ranked
    verb = said["verb"].split()[0].lower()
    if any(_matched_beside(item, verb) for score, item in ranked if score >= ranked[0][0]):
        return ranked
    value = said["value"].lower()
    taking = [
        pair
        for pair in ranked
        if acts(pair[1].spec) and _listed_input_value(pair[1].spec, {value}) is not None
    ]
    if len(taking) != 1 or taking[0] is ranked[0]:
        return ranked
    score = max(ranked[0][0], MIN_TOOL_SCORE)
    return [(score, taking[0][1]), *[p for p in ranked if p is not taking[0]]]


def _a_listed_value_breaks_a_low_tie(
    text: str, ranked: list[tuple[float, ScoredTool]], min_score: float
) -> list[tuple[float, ScoredTool]]:
    """ "order blood work for applications APP-1, ...": when no tool scores enough, the one
    candidate that changes something and lists a word of the step among an input's values
    (`exam_type`: blood, full) does it ("order" alone tied it with validate_order)."""
    if not ranked or ranked[0][0] >= min_score:
        return ranked
    words = {w.lower() for w in meaningful(text)} - STOP_WORDS
    taking = [
        pair
        for pair in ranked
        if pair[0] > 0 and acts(pair[1].spec) and _listed_input_value(pair[1].spec, words)
    ]
    if len(taking) != 1:
        return ranked
    return [(min_score, taking[0][1]), *[p for p in ranked if p is not taking[0]]]


def _literal_verb_first(
    verb: str | None, ranked: list[tuple[float, ScoredTool]]
) -> list[tuple[float, ScoredTool]]:
    """ "Add jane@x.com to the list": a tool that says the step's own verb ("Add a
    subscriber's email to a list") ranks above one whose verb is only like it
    (create_shipment's "create"), whatever words of the step the latter shares; and it
    wins a tie ("pay it": claims.pay, "Pay out ...", not process_payment, "Charge a card")."""
    if not verb or verb in _GENERIC_VERBS:
        return ranked
    literal = {item.spec.id for _, item in ranked if _says_the_verb(item.spec, verb)}
    if not literal:
        return ranked
    best_literal = max(score for score, item in ranked if item.spec.id in literal)
    # ("add a row to the Expenses sheet": append_sheet_row, whose verb is like it and which
    # has the sheet, not a tool that says "Add" and shares nothing else with the step)
    verb_only = all(
        not _matched_beside(item, verb) for _, item in ranked if item.spec.id in literal
    )
    return [
        (score, item)
        if item.spec.id in literal
        or score < best_literal
        or (
            verb_only
            and bool(_matched_beside(item, verb))
            and _tool_verb(item.spec.id) in synonyms(verb)
        )
        else (min(score * NOT_THE_VERB, best_literal * 0.99), item)
        for score, item in ranked
    ]


def _matched_beside(item: ScoredTool, verb: str) -> list[str]:
    """The step's words a tool matched, other than its verb and the verb's synonyms."""
    verb_forms = {verb} | synonyms(verb)
    return [term for term in item.matched if term not in verb_forms]


def _says_the_verb(spec: ToolSpec, verb: str) -> bool:
    """Whether the tool's id or description leads with `verb` itself (the description
    says it when a brand leads the id: "klaviyo_subscribe", "Add a subscriber ...")."""
    first_said = split_identifier(spec.description)[:1]
    id_words = split_identifier(spec.id)
    return bool(
        (first_said and stem(first_said[0]) == verb) or (id_words and stem(id_words[0]) == verb)
    )


#: Verbs that ask for a check of a thing, done only by a tool that checks
_VALIDATING = frozenset(stem(w) for w in "validate verify".split())


def _validates(spec: ToolSpec) -> bool:
    """Whether the tool checks something (its verb is a check, or says a verdict)."""
    verb = _tool_verb(spec.id)
    return verb in _VALIDATING or bool(synonyms(verb) & _VALIDATING)


def _posts_messages(tool_id: str) -> bool:
    """Whether a tool's id says it sends or posts (`slack_post`, `send_sms`); a vendor's name
    alone says nothing (`slack_invite_to_channel` invites someone, and posts nothing)."""
    return any(stem(w) in _POSTING for w in split_identifier(tool_id))


#: The words of a tool id that say it sends (a vendor's name, "slack", says nothing).
_POSTING = _SENDING - {stem("slack")}


def _tool_verb(tool_id: str) -> str:
    """The stem of a tool id's leading word: its verb (`send_email` -> "send")."""
    return stem(next(iter(split_identifier(tool_id)), ""))


#: "the api is down", "the site is unreachable": what a health check's free-text status says
_SERVICE_STATE = re.compile(
    r"\b(?:is|are|'s|'re|goes|went)\s+(?:not\s+)?(?P<state>down|up|offline|online|unreachable|"
    r"degraded|unhealthy|healthy)\b",
    re.IGNORECASE,
)


def _field_in_full(condition: str, spec: ToolSpec, more_than: set[str] | None = None) -> bool:
    """Whether `condition` says every word of an output field of `spec` with two words or
    more ("the error rate": `error_rate`) that is not all in `more_than` (if given)."""
    said = {stem(word) for word in split_identifier(condition)}
    for name in spec.output_properties():
        words = {stem(word) for word in split_identifier(name)}
        if len(words) > 1 and words <= said and (more_than is None or not words <= more_than):
            return True
    return False


_TURNED_AWAY_LEAD = re.compile(
    r"(?:reject|decline|discard|drop|refuse|deny)\s+(?:it|them|him|her)\b", re.IGNORECASE
)
#: A dash with spaces around it (not a hyphen in a word, nor a range of numbers).
#: ("look up u_5512 - if ...": after a code's digits too)
_SPACED_DASH = re.compile(r"(?<=[A-Za-z0-9)\"'.])\s+(?:[\u2014\u2013]|-{1,2})\s+(?=[A-Za-z])")
_CONDITION_LEAD = re.compile(r"(?:if|when|whenever|unless|once|otherwise|then|and\s+then)\b", re.I)
#: Words before a quote that make it the thing a step reads ("the sentiment of '...'").
_QUOTE_OBJECT_LABELS = frozenset(
    {"of", "on", "about", "for", "from", "text", "message", "this", "following", "below",
     # (a question about the quote: "what HS code would '...' fall under")
     "would", "does", "should", "could", "is"}
)  # fmt: skip


def _after_a_colon(text: str, value: str) -> bool:
    return re.search(rf":\s*[\"\u201c']{re.escape(value)}", text) is not None


#: "email them", "text her": a message to someone said before, by a pronoun
_SENT_TO_A_PRONOUN = re.compile(
    r"\b(?:email|e-mail|mail|message|notify|tell|send|text|remind)\s+(?:them|him|her)\b", re.I
)
#: "the review", "the customer's message": a text a condition speaks of
_A_TEXT_NAMED = re.compile(
    r"\b(?:the|this|that|their|his|her)\s+(?:\w+'s\s+)?(?:review|message|comment|feedback|"
    r"complaint|note|text|reply|email|enquiry|inquiry)\b",
    re.IGNORECASE,
)
#: Inputs that hold the text a reading step works on.
_READ_TEXT_INPUTS = frozenset(
    # ("what HS code would 'steel knives, set of 6' fall under": what the tool reads is the
    # thing's description)
    {"text", "content", "document", "input_text", "message", "body", "description"}
)
#: "if it does", "if they do", "check we've got 3 in stock and if we do ship it": the step
#: before passed (not "if it does not"; "if so" after "check whether X" is X, read where it
#: is said).
#: "give omar access to Salesforce", "grant her Zoom": a step that grants something
_GRANTED = re.compile(
    r"^\W*(?:please\s+|pls\s+)?(?:give|grant|provide|enable|set\s+up|hook\s+up)\b", re.I
)
#: "everyone in the Contractors group", "all members of the Finance team"
_EVERYONE_IN = re.compile(
    r"\b(?:everyone|everybody|all\s+(?:the\s+)?(?:members|users|people))\s+(?:in|of|from)\s+"
    r"the\s+(?P<name>(?-i:[A-Z][\w-]*)(?:\s+(?-i:[A-Z][\w-]*))?)\s+"
    r"(?P<kind>group|team|project|department|channel)\b",
    re.IGNORECASE,
)
#: "... and email him the link", ", send them the code": a thing sent to the person
_SENT_THE_THING_MADE = re.compile(
    r"(?:,\s*(?:and\s+)?|\s+and\s+)(?:then\s+)?(?:email|e-mail|send|mail|text)\s+"
    r"(?P<whom>him|her|them|the\s+user)\s+the\s+(?P<thing>[a-z]+(?:\s+[a-z]+)?)"
    r"(?=\s*(?:[.;!?]|$))",
    re.IGNORECASE,
)
#: The verbs a yes/no input for sending something is named by (`send_email`, `notify_user`)
_SENDING_FLAG_VERBS = frozenset({"send", "email", "notify", "mail", "text"})
#: "but" or "and" joining what is asked first to the step
_BUT_OR_AND = re.compile(r"\b(?:but|and)\b", re.IGNORECASE)
#: "..., but ask my manager before", "and check with finance first": asked at the end
_ASK_SOMEONE_FIRST = re.compile(
    r"(?P<lead>(?:,\s*|\s+)(?:but\s+|and\s+)?(?:please\s+)?)(?:ask|check\s+with|run\s+it\s+by|"
    r"clear\s+it\s+with)\s+(?P<who>(?:my|the|our|a|an)\s+[a-z]+(?:\s+[a-z]+)?|[a-z]+)\s+"
    r"(?:first|before(?:hand)?|before\s+(?:doing\s+)?(?:it|that|this))(?P<end>\s*(?:[.;!?]|$))",
    re.IGNORECASE,
)
#: "ask my manager before declaring ...": asked before a step said as a doing
_ASK_SOMEONE_BEFORE_DOING = re.compile(
    r"(?P<lead>(?:^|[.;!?]\s+|,\s*|\bbut\s+|\band\s+)(?:please\s+)?)(?:ask|check\s+with)\s+"
    r"(?P<who>(?:my|the|our|a|an)\s+[a-z]+(?:\s+[a-z]+)?)\s+before\s+(?=[a-z]+ing\b)",
    re.IGNORECASE,
)
_IF_SO_THEN_A_VERB = re.compile(r"\bif\s+so\s+(?=[a-z])", re.IGNORECASE)
_IF_SO = re.compile(
    r"\bif\s+(?:it\s+does|they\s+do|we\s+do|it\s+works|that\s+works|it\s+did)\b"
    r"(?!\s+(?:not|n't)\b)"
    r"(?P<comma>\s*,)?\s*",
    re.IGNORECASE,
)
#: "make sure their email is legit. If it is, welcome them. If not, ...": a check whose
#: answer the next sentence reads, not a guard that stops the run when it fails
_MADE_SURE_THEN_IF = re.compile(
    r"\b(?:make\s+sure|ensure)\s+(?:that\s+)?(?=[^.;!?]+[.;!?]\s+(?:if\s+(?:it\s+is|it's|"
    r"they\s+are|they're|so|not|it\s+isn't|it\s+is\s+not|they\s+aren't)\b|otherwise\b))",
    re.IGNORECASE,
)
#: "Before we ship anything, check stock. ... Otherwise create the shipment.": when the
#: steps after it happen, said first, when a later step does it (the shipment), unless what
#: comes first is an approval ("before we charge anything, a manager approves"); said only
#: there ("Before we charge anything, validate the order"), it is the last step
_BEFORE_WE_DO_ANYTHING = re.compile(
    r"(?:^|(?<=[.!?]\s))\s*before\s+(?:we|you|i|they)\s+(?P<verb>[a-z]+)\s+(?:anything|any\s+orders?)"
    r"\s*,\s*"
    r"(?=(?:(?!approv|sign[\s-]?off)[^.;!?])*[.;!?]|$)",
    re.IGNORECASE,
)
#: "For an order of €120 to a customer in Spain, work out the VAT and charge it": what the
#: first step works on, said before it (with a value in it), is that step's (it was read as
#: background and its values were asked of the run)
_FOR_A_THING_FIRST = re.compile(
    r"(?:^|(?<=[.!?])\s+)(?P<lead>for\s+(?!each\b|every\b|all\b|any\b)(?:an?|the|this|one)\s+"
    r"(?=[^,;.]*(?:\d|[$\u20ac\u00a3]))[^,;]{3,80}?)\s*,\s+(?P<step>[a-z][^,;]*?)"
    r"(?P<rest>\s+(?:and|then)\b.*|\s*[,;.].*|$)",
    re.IGNORECASE | re.DOTALL,
)
#: "For order 5, validate it and charge it": the thing with its code is what "it" is
#: "for lease L-3380: ...", "re order ORD-9: ...": a thing by its code, a colon, the request
_FOR_A_CODE_COLON = re.compile(
    r"^\s*(?:for|re|about|regarding)\s+(?P<thing>(?:the\s+)?[a-z]+\s+#?[\w-]*\d[\w-]*)\s*:\s+"
    r"(?P<rest>(?:(?P<cond>if|when|unless|once)\s+)?\S.*)$",
    re.IGNORECASE | re.DOTALL,
)
_FOR_A_CODE_FIRST = re.compile(
    r"(?:^|(?<=[.!?])\s+)(?P<for>for)\s+(?P<thing>[a-z]+\s+#?[\w-]*\d[\w-]*)\s*,\s+(?P<verb>[a-z]+)\s+"
    r"(?:it|them)\b",
    re.IGNORECASE,
)
_IF_IT_IS_THEN = re.compile(r"\bif\s+(?:it\s+is|it's|they\s+are|they're)\s+(?=[a-z])", re.I)
_LISTED_ITEM = r"[\w@.+#:/-]*\w"
#: "check each of api, web and db", "for each of a@x.com and b@x.com, ...": values listed
_EACH_OF_LISTED = re.compile(
    rf"(?P<lead>\bfor\s+)?\b(?:each|every\s+one|all)\s+of\s+(?P<list>{_LISTED_ITEM}"
    rf"(?:\s*,\s*{_LISTED_ITEM})*\s*,?\s+(?:and|&)\s+{_LISTED_ITEM}"
    # ("for each of cus_A1, cus_B2, cus_C3 charge $15": three codes or more, no "and")
    r"|[\w-]*\d[\w-]*(?:\s*,\s*[\w-]*\d[\w-]*){2,})(?![\w@.+#:/-])"
    r"(?!\s+(?:\w+\s+)?(?:is|are|was|were|has|have)\b)",
    re.IGNORECASE,
)
#: A value that is plainly one (an address, a link, a #channel, an id with digits).
_A_VALUE = (
    r"(?:[\w.+-]+@[\w-]+(?:\.[\w-]+)*|https?://[^\s,]*[\w/]|#[\w-]+|[\w-]*\d[\w-]*"
    r"|\+\d[\d-]{5,}\d)"  # ("text each of these patients ...: +15550100001, +1555...")
)
#: Words for a list itself ("each of the following values"), not what is in it.
_LIST_WORDS = frozenset({"values", "items", "ones", "things", "entries"})
#: "enrol these students in CHEM-210: a@x.com, b@x.com": "these" and a list of addresses
#: or codes after a colon, with no "each" said
_THESE_LISTED = re.compile(
    r"(?P<lead>(?:^|[.;!?]\s+|\b(?:and|then)\s+)[a-z]+\s+)these(?:\s+|(?=:))"
    # ("check out these to card 2900118: 3123..., 3123...": where they go, then the list)
    r"(?=(?:[a-z]+s|people|children|staff|folks|to|for|into|onto|from|on)\b[^.;:!?]*:\s*"
    rf"{_A_VALUE}\s*,"
    # ("refill these: 1000001, 1000002": codes right after "these", no noun said)
    r"|:\s*[\w-]*\d[\w-]*\s*,)",
    re.IGNORECASE,
)
#: "email each of these prospects an intro: a@x.com, b@y.com", "for each of these posts —
#: https://..., https://... \u2014 fetch it": the values come after the words that loop on them
_EACH_OF_THESE_LISTED = re.compile(
    r"(?P<start>(?:^|(?<=[.!?\n;,:]))\s*(?:(?:and\s+)?then\s+|and\s+)?)(?:for\s+)?"
    r"(?P<before>[^.!?\n:,;]*?)\b(?:each|every\s+one)\s+of\s+"
    # ("refill each of these: 1000001, 1000002": no noun said)
    r"(?:(?:these|those|the\s+following|the)"
    r"(?:\s+(?P<noun>[\w-]+)(?:\s+(?!an?\b|the\b)[\w-]+s\b)?|(?=\s*:))"
    r"(?P<after>[^.!?\n:\u2014\u2013]*?)\s*(?::|\u2014|\u2013|\s-\s"
    # ("validate each of these emails ana@x.io, bo@x.io": addresses, no colon; links are
    # read so where the steps are split)
    r"|(?<=\S)\s+(?=[\w.+-]+@[\w-]+\.))\s*"
    # ("email each of a@x.com, b@y.com and c@z.com an intro": one email each, no copies)
    r"|(?=[\w.+-]+@))"
    rf"(?P<list>{_A_VALUE}(?:\s*,\s*(?:and\s+)?{_A_VALUE})*\s*(?:,\s*|\s+)(?:and\s+|&\s+)?{_A_VALUE})"
    r"(?![\w@/#-])\s*(?:[\u2014\u2013,]\s*|\s-\s)?(?P<rest>[^.!?\n]*)",
    re.IGNORECASE,
)


#: "log a repair ticket, high severity, for each of these bikes: B-101, B-102": the step,
#: then the loop over the values after a comma (the step ran once, and the loop alone
#: classified a ticket)
_STEP_THEN_EACH_OF_THESE = re.compile(
    r"(?P<start>(?:^|(?<=[.!?\n;]))\s*)(?P<step>[^.!?\n;:]+?),\s*for\s+(?:each|every\s+one)\s+"
    r"of\s+(?:these|those|the\s+following)\s+(?P<noun>[a-z]+s)\s*:\s*"
    rf"(?P<list>{_A_VALUE}(?:\s*,\s*(?:and\s+)?{_A_VALUE})*)\s*(?=[.!?\n]|$)",
    re.IGNORECASE,
)
#: A quoted text in a list of them, in double or single quotes
_QUOTE_ITEM = r"(?:\"[^\"\n]{1,200}\"|(?<!\w)'[^'\n]{1,200}'(?!\w))"
#: "each of these reviews: 'love it', 'too salty' and 'meh'", "these two notes: '...' and
#: '...'": quoted texts listed after the loop's noun, one call each
#: "for each of routes R-1, R-2": a plural noun, then the codes
_EACH_OF_THINGS_CODED = re.compile(
    r"(?<![\w-])for\s+(?:each|every)\s+of\s+(?:the\s+)?(?P<noun>[a-z]{3,}s)\s+"
    r"(?=#?[A-Za-z]*[-_]?\d[\w-]*\s*,)",
    re.IGNORECASE,
)
#: "for each station in ST-001, ST-002, ST-003 check ...": a loop over codes written
_FOR_EACH_NOUN_IN_CODES = re.compile(
    r"(?P<lead>(?:^|(?<=[.;!?]\s)|(?<=\n))\s*)for\s+(?:each|every)\s+[a-z]+\s+in\s+"
    r"(?P<list>#?[A-Za-z]*[-_]?\d[\w-]*(?:\s*,\s*(?:and\s+)?#?[A-Za-z]*[-_]?\d[\w-]*)*"
    r"(?:\s*,?\s+and\s+#?[A-Za-z]*[-_]?\d[\w-]*)?)\s*,?\s+(?=[a-z])",
    re.IGNORECASE,
)


def _for_each_of_the_codes(match: re.Match[str]) -> str:
    """ "for each station in ST-001, ST-002, ST-003 check ..." -> "For each of ST-001,
    ST-002 and ST-003, check ...": the codes written are the loop's items (the stations
    were asked of the run, and no input took one)."""
    items = [v for v in re.split(r"\s*,\s*(?:and\s+)?|\s+and\s+", match["list"]) if v]
    if len(items) < 2:
        return match[0]
    return f"{match['lead']}For each of {', '.join(items[:-1])} and {items[-1]}, "


#: "bikes B-101, B-102 and B-107 all have broken chains, log repair tickets for each":
#: coded things, what they all have, then a step for each of them
_CODES_REPORTED_THEN_EACH = re.compile(
    r"^\s*(?P<noun>(?:the\s+)?[a-z]+)\s+"
    r"(?P<list>#?[A-Za-z]*[-_]?\d[\w-]*(?:\s*,\s*#?[A-Za-z]*[-_]?\d[\w-]*)*"
    r"\s*,?\s+and\s+#?[A-Za-z]*[-_]?\d[\w-]*)\s+"
    r"(?P<state>(?:all\s+|both\s+)?(?:have|are|keep|won't|can't|need)\b[^,.;!?]*?)\s*,\s*"
    r"(?P<rest>[^.;!?]*?)\s+(?:for\s+(?:each(?:\s+one)?|every\s+one|all\s+of\s+them|both)|"
    r"each)\b(?P<tail>[^.;!?]*)",
    re.IGNORECASE,
)
#: A name of a person or a company in a list: capitalised words ("Castle Rock LLC")
_A_LISTED_NAME = (
    r"(?-i:[A-Z][a-z][\w&'-]*(?:\s+(?:[A-Z][a-z][\w&'-]*|LLC|LLP|Inc\.?|Ltd\.?|GmbH|PLC)){0,3})"
)
_NAME_IN_A_LIST = re.compile(_A_LISTED_NAME)
#: "check these names for conflicts: A B, C D and E F", "each of these clients: ...": names
#: written whole after a colon, to the end of the sentence
_EACH_OF_NAMES_LISTED = re.compile(
    r"\b(?:(?:each|every\s+one|all)\s+of\s+)?(?:these|those|the\s+following)\s+"
    r"(?P<noun>names|clients|parties|companies|people|persons|customers|applicants|"
    r"candidates|firms|businesses|vendors|suppliers|tenants|patients|members)"
    r"(?P<between>(?:\s+(?:for|against|in|on)\s+[a-z]+(?:\s+[a-z]+)?)?)\s*:\s*"
    rf"(?P<list>{_A_LISTED_NAME}(?:\s*,\s*(?:and\s+|&\s+)?{_A_LISTED_NAME})*"
    rf"(?:\s*,?\s+(?:and|&)\s+{_A_LISTED_NAME})?)"
    r"(?P<end>\s*(?:[.;!?\n]|$))",
    re.IGNORECASE,
)
#: "break task 1209 into subtasks: a, b, c", "add subtasks to task 1209: a, b and c": names
#: of things to make under a thing, listed after a colon to the end of the sentence
_NAMES_OF_THINGS_LISTED = re.compile(
    r"\b(?:(?:break|split|divide)\s+(?P<where>(?:the\s+)?[a-z]+\s+[\w-]+)\s+(?:up\s+)?into\s+"
    r"(?P<noun>[a-z]+s)|(?:add|create|make)\s+(?P<noun2>[a-z]+s)\s+(?P<prep>to|under|for|on)\s+"
    r"(?P<where2>(?:the\s+)?[a-z]+\s+[\w-]+))\s*:\s*"
    r"(?P<list>[a-z][\w' -]*(?:\s*,\s*(?:and\s+)?[a-z][\w' -]*)+)(?P<end>\s*(?:[.;!?\n]|$))",
    re.IGNORECASE,
)
_EACH_OF_QUOTES_LISTED = re.compile(
    # ("run sentiment on these two reviews: 'great' and 'awful'": "each of" unsaid)
    r"\b(?:(?:each|every\s+one|all)\s+of\s+)?(?:these|those|the\s+following)\s+"
    r"(?:(?:two|three|four|five|six|\d+)\s+)?(?P<noun>[a-z]+s)"
    rf"\s*:?\s*(?P<list>{_QUOTE_ITEM}(?:\s*,\s*(?:and\s+)?{_QUOTE_ITEM})*"
    rf"\s*(?:,\s*|\s+)(?:and\s+|&\s+)?{_QUOTE_ITEM})",
    re.IGNORECASE,
)
#: "Priya priya@corp.com", "Tom Li <tom@corp.com>": a person's name before their address,
#: in a list of them ("Send the welcome email to Priya at ..." is no list)
_NAME_BESIDE_ADDRESS = re.compile(
    r"(?:(?<=[:,])|(?<=\band)|(?<=\u2014))(?P<lead>\s*)(?P<name>[A-Z][a-z'-]+(?:\s+[A-Z][a-z'-]+)?)\s*[(<]?\s*"
    r"(?P<email>[\w.+-]+@[\w-]+(?:\.[\w-]+)+)\s*[)>]?(?=\s*(?:,|\band\b|$|[.;]))"
)
#: The item of a loop over people written with their names
_PERSON_ITEM: dict[str, Any] = {
    "type": "object",
    "properties": {"name": {"type": "string"}, "email": {"type": "string", "format": "email"}},
}
#: "for each URL in [https://a.io, https://b.io]", "for every id in (A-1, A-2)": values
#: listed in brackets after the loop's noun
_EACH_IN_BRACKETS = re.compile(
    r"\b(?P<lead>for\s+)?(?:(?:each|every)\s+(?:[\w-]+\s+)?(?:(?:in|on|from)\s+"
    # ("each person on the waitlist (a@x, b@x)", "the parents in this list (a@x, b@x)",
    # "for each email (a@x, b@x)")
    r"(?:(?:the|this|our)\s+[\w-]+\s+)?)?|the\s+[\w-]+s\s+(?:in|on)\s+(?:this|the)\s+list\s+)"
    r"[\[(](?P<list>[^\[\]()]+?,[^\[\]()]+?)[\])]",
    re.IGNORECASE,
)


#: "to everyone on this list:", "each of these who hasn't paid:": people listed after a colon
_EVERYONE_LISTED = re.compile(
    r"\b(?:everyone|everybody|every\s+one|all\s+of\s+(?:these|them)|each\s+of\s+these|"
    r"all\s+(?:the\s+)?(?:people|addresses|customers|users))"
    r"(?:\s+(?:in|on)\s+(?:this|the|my|our)\s+list)?"
    r"(?:\s+(?P<who>(?:who|that|which)\s+[^:.;]{2,80}?))?\s*:(?=\s*\S+@)",
    re.IGNORECASE,
)


def _everyone_listed(match: re.Match[str]) -> str:
    """ "everyone on this list: a@x, b@x" -> "each of these: ..."; refused when it says whom
    of them ("who hasn't paid", "who are valid"): that was dropped, and all were acted on."""
    if match["who"]:
        raise PlanningError(
            "unmapped_step",
            f"The request acts only on those of the list {match['who'].strip()!r}, and no "
            "step before it tells which they are. Say the step that tells it first "
            "('validate each of these: a@x.com, b@x.com, then welcome the valid ones'), or "
            "list only the ones to act on.",
            step=match.group(0).rstrip(":"),
            details={"reason": "subset_no_step_tells"},
        )
    rest = re.split(r"(?<=[.!?;])\s", match.string[match.end() :], maxsplit=1)[0]
    if re.search(r"\b(?:skip|except|excluding|ignore|leave\s+out|but\s+not)\b", rest, re.I):
        return match.group(0)  # ("..., but skip invalid addresses": validated first)
    return "each of these:"


#: "for every email in this list:", "for each order on the following list:"
_EACH_IN_A_LIST = re.compile(
    r"\b(?P<lead>for\s+)?(?:each|every)\s+(?P<noun>[a-z]+)\s+(?:in|on|from)\s+"
    r"(?:this|the|that|my|our|the\s+following)\s+(?:list|set|batch|group)\s*:"
    r"(?=\s*[^\s,:;]+\s*,\s*\S)",  # (the values follow: "in the batch: validate it" is no list)
    re.IGNORECASE,
)


def _each_in_brackets(match: re.Match[str]) -> str:
    items = [v.strip() for v in re.split(r"\s*,\s*(?:and\s+)?", match["list"]) if v.strip()]
    listed = f"{', '.join(items[:-1])} and {items[-1]}"
    return f"{match['lead'] or ''}each of {listed}"


_LISTED_WORD = r"[A-Za-z][\w-]{0,30}"
#: "Deploy 5.2.0 for each of these services: auth, billing, search", "calculate the VAT
#: for each of these countries: DE, FR, IT": plain names or codes listed after a colon, to
#: the end of the sentence
_EACH_OF_THESE_WORDS = re.compile(
    r"(?P<start>(?:^|(?<=[.!?]\s)|(?<=[\n;]))\s*)(?P<before>(?:[^.!?\n:;]|\.(?=\S))*?)\s*\b"
    r"(?:for\s+)?(?:each|every\s+one)"
    r"\s+of\s+(?:these|those|the\s+following)\s+(?P<noun>[a-z]+s)\s*:\s*"
    rf"(?P<list>{_LISTED_WORD}(?:\s*,\s*(?:and\s+)?{_LISTED_WORD})*\s*(?:,\s*|\s+)(?:and\s+|&\s+)?"
    rf"{_LISTED_WORD})\s*(?=$|[.!?\n])",
    re.IGNORECASE,
)


def _each_listed_first(match: re.Match[str]) -> str:
    """ "Email each of these prospects an intro: a, b, c" -> "For each of a, b and c, Email
    them an intro": the loop over the values written, said as the planner reads loops."""
    items = [v for v in re.split(r"\s*,\s*(?:and\s+|&\s+)?|\s+(?:and|&)\s+", match["list"]) if v]
    listed = f"{', '.join(items[:-1])} and {items[-1]}"
    before, after, rest = match["before"].strip(), (match["after"] or "").strip(), match["rest"]
    noun = (match["noun"] or "").lower()
    if not before and not after and noun.endswith("s") and noun not in _LIST_WORDS:
        # "for each of these orders: A-1, A-2, validate it": "it" is the order, not any
        # thing a tool validates (an email)
        rest = re.sub(r"^(\s*\w+\s+)(?:it|them)\b", rf"\1the {singular(noun)}", rest, count=1)
    lead = "for" if match["start"].strip() else "For"  # ("..., then for each of ...")
    if match["after"] is None:  # the values right after "each of": the step goes on after
        if not before:
            return match[0]  # "for each of a@x.com and b@x.com, ...": a loop already
        return f"{match['start']}{lead} each of {listed}, {before} them {rest.strip()}".rstrip()
    step = f"{before} them {after}".strip() if before else after
    after_loop = re.match(r"(?:and\s+)?then\b\s*(?P<next>.*)", rest.strip(), re.I)
    if after_loop is not None and step:
        # "validate each of these: a, b, then email me the invalid ones": after the loop
        return f"{match['start']}{lead} each of {listed}, {step}. Then {after_loop['next']}"
    said = ", ".join(part for part in (step, rest.strip()) if part)
    return f"{match['start']}{lead} each of {listed}, {said}"


#: "move her deal to won", "mark the ticket as solved": a thing set to a value
_MOVED_TO_A_VALUE = re.compile(
    r"(?P<lead>(?:^|[,;.:]\s*|\b(?:and|then)\s+|"
    # ("if it's bad set the ticket back to open": after a state said of "it", no comma)
    r"\bif\s+(?:it's|it\s+is|they're|they\s+are)\s+(?:not\s+)?[a-z]+\s+))"
    r"(?:move|mark|switch|flip|advance|push|bump|"
    r"change|set|put)\s+(?P<what>(?:the|his|her|their|its|our|this|that)\s+[\w-]+(?:\s+[\w-]+)?"
    # ("move deal D-42 to won", "set deal 42's stage to won": a thing and its id, no article)
    r"|(?P<noun>[a-z]+)\s+#?(?=[\w-]*\d)[\w-]+(?:'s)?(?:\s+(?!(?:to|as|into)\b)[a-z]+)?|it|them"
    # ("mark BP-88 rejected", "move BP-3 to under review": a code alone, the value said
    # without "as", in words for a value with an underscore)
    r"|(?P<code>#?(?=[\w-]*\d)[A-Za-z][\w-]*))"
    # ("move ACC-5 to the unlimited plan", "put ACC-7 on the family plan": a value said
    # with an article)
    r"\s+(?:(?:to|as|into|on|onto)\s+(?:the\s+)?|(?=[a-z]+\b(?:\s*[-\u2013\u2014,.;]|\s+with\b|$)))"
    r"(?P<value>[\w-]+)(?P<second>\s+[a-z]+)?\b",
    re.IGNORECASE,
)


#: "for each ticket, set priority to low": a field set with no "its", in a loop
_EACH_ONES_FIELD_SET = re.compile(
    r"(?P<lead>\beach\s+(?P<noun>[a-z]+)\s*,?\s+)(?P<verb>set|change|update)\s+"
    r"(?P<field>[a-z]+)\s+to\s+",
    re.IGNORECASE,
)
#: "reply to the customer", "respond to them": a reply, on the thing it is about
_REPLY_STEP = re.compile(r"^\W*(?:and\s+|then\s+)?(?:reply|respond)\b", re.IGNORECASE)
_SAYS_REPLY = re.compile(r"\brepl(?:y|ies)\b", re.IGNORECASE)
#: "assign it to lee@lumen.io", "assign ticket 4821 to kim@x.io": whom a thing goes to
_ASSIGNED_TO_SOMEONE = re.compile(
    r"\bassign\s+(?P<what>it|them|(?:the\s+)?[a-z]+\s+#?[\w-]*\d[\w-]*)\s+to\s+"
    r"(?P<who>[\w.+-]+@[\w-]+(?:\.[\w-]+)+)",
    re.IGNORECASE,
)
#: "jane.doe@example", "bob@localhost": an address with no dot after the @, as people
#: ask to have checked
_LOOSE_ADDRESS = re.compile(r"(?<![\w.+-])[\w.+-]+@[\w-]+(?![\w.@-])")


#: "email Kim the tracking number", "send Priya a reminder": a person named as the reader
_SENT_TO_A_NAME = re.compile(
    r"^\W*(?:e-?mail|send|write|message|notify|remind)\s+(?P<name>(?-i:[A-Z][a-z]+))\b(?!@)",
    re.IGNORECASE,
)


def _address_of_the_one_named(
    spec: ToolSpec, action: str, request: str, literals: dict[str, str]
) -> dict[str, str]:
    """ "New order ORD-500 from kim@shop.io ... email Kim the tracking number": the one
    address the request writes whose name part is the person's (it was asked of the run)."""
    named = _SENT_TO_A_NAME.match(action)
    if named is None:
        return {}
    recipient = recipient_input_name(spec)
    name = named["name"].lower()
    theirs = {
        address.rstrip(".")
        for address in EMAIL_ADDRESS.findall(request)
        if _first_name_part(address) == name
    }
    if recipient is None or recipient in literals or len(theirs) != 1:
        return {}
    return {recipient: json.dumps(theirs.pop())}


def _address_to_check(spec: ToolSpec, text: str, literals: dict[str, str]) -> dict[str, str]:
    """ "check if jane.doe@example is a valid email": the one written address a step that
    validates (changes nothing) takes, though its domain has no dot (it was asked of the
    run); a tool that sends keeps to whole addresses."""
    if acts(spec) or "valid" not in spec.id + spec.description.lower():
        return {}
    wanted = [
        name
        for name in spec.input_properties()
        if name not in literals and "email" in split_identifier(name)
    ]
    loose = _LOOSE_ADDRESS.findall(text)
    if len(wanted) != 1 or len(loose) != 1:
        return {}
    return {wanted[0]: json.dumps(loose[0])}


#: "the tracking link", "the ticket number": a thing and a word for its code
_AN_ID_SAID_OTHERWISE = re.compile(
    r"(?:(?<=\bthe\s)|(?<=\bits\s)|(?<=\btheir\s)|(?<=\bhis\s)|(?<=\bher\s)|(?<=\byour\s))"
    r"(?P<thing>[a-z]+)\s+"
    r"(?P<said>code|info|information|details|link|url|id|number|ref|reference)\b",
    re.IGNORECASE,
)
#: "get the USD to EUR and USD to GBP rates": two pairs of codes, one noun for both
_PAIRS_LISTED = re.compile(
    rf"\b(?P<verb>get|check|fetch|look\s+up|find)\s+the\s+(?:current\s+|latest\s+)?"
    rf"(?P<first>{CODE_PAIR})\s*(?:,|and|&)\s*(?P<second>{CODE_PAIR})\s+(?P<noun>[a-z]+?)s\b"
)


def _each_pair_looked_up(match: re.Match[str]) -> str:
    """ "get the USD to EUR and USD to GBP rates" -> "get the USD to EUR rate and get the
    USD to GBP rate": each pair is a call of its own (the second was dropped)."""
    verb, noun = match["verb"], match["noun"]
    return f"{verb} the {match['first']} {noun} and {verb} the {match['second']} {noun}"


#: "if it fails", "if that errors out": a step failing, which no result of it tells
_FAILED_SAID = re.compile(
    r"^(?:it|that|this|they|the\s+\w+)\s+(?:fails|failed|errors?(?:\s+out)?|errored(?:\s+out)?|"
    r"(?:does\s+not|doesn't|did\s+not|didn't)\s+work|breaks|crashes)$",
    re.IGNORECASE,
)
#: "..., and route it to billing", "then assign the ticket to the shipping team"
_ROUTED_TO_A_VALUE = re.compile(
    r"\s*,?\s*(?:\band\s+)?(?:then\s+)?\b(?:assign|route|send|forward|escalate|move|put)\s+"
    r"(?:it|the\s+ticket|the\s+case|that)\s+(?:to|in|into)\s+(?:the\s+)?(?P<value>[a-z][\w-]*)"
    r"(?![@.\w-])(?:\s+(?:team|queue|department|desk|group))?\b",
    re.IGNORECASE,
)
#: "open a ticket", "create a new support case": a thing opened, in the sentence so far
_CREATED_BEFORE = re.compile(
    r"\b(?:open|create|file|raise|log|submit)\s+(?:an?\s+|the\s+|a\s+new\s+)?(?:[\w-]+\s+){0,3}?"
    r"(?:ticket|case|issue)\b(?:[^.;!?]|\.(?=\S))*$",
    re.IGNORECASE,
)
#: The inputs that say which queue or team a thing goes to.
_ROUTING_INPUTS = frozenset({"category", "queue", "team", "department", "group"})

#: "Trip package TP-404 costs $8,900. ...", "retainer for matter LAW-1 is $2,500. ...": what
#: a thing by its code costs, said in a sentence of its own before the steps
_AMOUNT_STATED_FIRST = re.compile(
    r"(?P<lead>^|(?<=[.!?])\s+)(?P<thing>(?:[A-Za-z]+\s+){1,4}?#?[A-Za-z]+[-_]?\d[\w-]*)\s+"
    r"(?:is|costs?|comes\s+to|totals?)\s+(?P<amount>[$\u20ac\u00a3]\s?\d[\d,]*(?:\.\d+)?"
    r"(?:\s?[kK]\b)?|\d[\d,]*(?:\.\d+)?\s?(?:USD|EUR|GBP|dollars|euros|pounds)\b)\s*[.!,]\s+"
    r"(?P<rest>[^.!?]+)",
    re.IGNORECASE,
)
#: Words that name a thing's price, not the thing ("the surgery estimate", "the quote")
_PRICE_LABELS = re.compile(r"\s*\b(?:estimate|quote|quotation|price|cost)\b", re.IGNORECASE)
#: What a tool that checks a service is called, and the field its answer is in.
_HEALTH_WORDS = frozenset({"health", "healthcheck", "uptime", "ping", "heartbeat"})
#: "check if https://... is up", read as a fetch of the address (`phrasing`)
_A_SITE_FETCHED = re.compile(r"^fetch\s+(?P<url>https?://\S+)$", re.IGNORECASE)
#: Words of a tool that says it checks whether a site is up
_UP_WORDS = _HEALTH_WORDS | {"up", "down", "online", "offline", "monitor", "reachable"}
#: Words of a tool's id that say it reads a list, wherever they stand in it.
_READING = frozenset(stem(w) for w in "list read get fetch search query export".split())
#: A tool that finds a record ("lookup_user"): what it found is what "it" is, sent on.
_FINDING = frozenset(stem(w) for w in "lookup find retrieve".split())
#: How close a list's name is to the noun looped over to be that list.
_LIST_NAMED = 0.6
_CHECK_VERBS = frozenset({"check", "ping", "probe", "monitor", "test", "verify"})
_STATUS_FIELDS = frozenset({"status", "state", "health"})


def _service_state(condition: str, tried: ResolvedCondition, schema: Any) -> bool:
    """ "When api is down" read as a check's `status == "down"`: the state of a service,
    compared with a status the tool returns as free text (no values listed to hold it to)."""
    said = _SERVICE_STATE.search(condition)
    if said is None or tried.subject not in _STATUS_FIELDS:
        return False
    fields = schema.get("properties") if isinstance(schema, dict) else None
    told = fields.get(tried.subject) if isinstance(fields, dict) else None
    return isinstance(told, dict) and told.get("type") == "string" and "enum" not in told


def _literals_in_enums(expression: str, schema: Any) -> bool:
    """Every quoted text `expression` compares with is a value `schema` lists (an enum)."""
    literals = set(re.findall(r'"([^"]*)"', expression))
    if not literals:
        return True
    listed: set[str] = set()
    stack = [schema]
    while stack:
        node = stack.pop()
        if isinstance(node, dict):
            listed.update(str(v) for v in node.get("enum", ()) if isinstance(v, str))
            stack.extend(node.values())
        elif isinstance(node, list):
            stack.extend(node)
    return literals <= listed


#: Input names that take the address a message goes to.
_RECIPIENT_INPUTS = ("to", "recipient")
#: Input names that take the address a step sends to or works on, in that order.
_ADDRESS_INPUTS = ("to", "recipient", "email", "email_address")


#: "every negative one", "each failed payment": a loop over the items with one value.
_QUALIFIED_EACH = re.compile(
    r"\b(?:each|every|all(?:\s+the)?)\s+(?P<value>[a-z]+)\s+(?:ones?|[a-z]+)\b", re.IGNORECASE
)


_NOT_AUX = (
    r"(?:haven't|have\s+not|hasn't|has\s+not|didn't|did\s+not|don't|do\s+not|doesn't|"
    r"does\s+not|aren't|are\s+not|isn't|is\s+not|weren't|wasn't|never|still\s+haven't|failed)"
)
#: "email me the invalid ones", "remind all users who haven't paid": only some of the
#: items, which no step can pick out of a list.
_SUBSET = re.compile(
    r"\b(?:the|those|any)\s+(?:(?P<quality>[a-z]+)\s+)?ones\b(?!\s+(?:of|by)\b)|"
    # "to every valid one": each of the items that has the quality, not each item
    r"\b(?:every|each)\s+(?!(?:single|other|last|new)\b)(?P<each_quality>[a-z]+)\s+one\b"
    r"(?!\s+of\b)|"
    # "send each valid user a welcome email": only the items a step judged so
    rf"\b(?:every|each|all)\s+(?:the\s+)?(?P<judged>{'|'.join(sorted(JUDGED_QUALITIES))})"
    r"\s+[a-z]+\b|"
    # "email me a list of the invalid emails" after a loop: some of its items
    rf"\b(?:of|with)\s+(?:all\s+)?the\s+(?P<listed>{'|'.join(sorted(JUDGED_QUALITIES))})"
    r"\s+[a-z]+s\b|"
    r"\bthe\s+ones\s+(?:that|which|who)\b|"
    # "remind everyone in the list who hasn't paid"
    r"\b(?:everyone|everybody|anyone|anybody)(?:\s+(?:in|on|from)\s+(?:the|this|my|our)\s+"
    rf"list)?\s+(?:who|that)\s+(?:are|is|were|was|have|has|had|did|still|{_NOT_AUX}|"
    r"(?!need|feed)[a-z]{2,}ed)"
    r"(?:\s+[a-z]+)?\b|"
    r"\b(?:all|every|each|any)\s+(?:of\s+)?(?:the\s+|our\s+|their\s+)?(?:[a-z]+\s+)?[a-z]+\s+"
    r"(?:who|that|which|whose)\s+(?:are|is|were|was|have|has|had|did|still|"
    rf"{_NOT_AUX})(?:\s+[a-z]+)?\b|"
    rf"\b[a-z]+s\s+(?:who|that|which)\s+{_NOT_AUX}(?:\s+[a-z]+)?\b|"
    # "customers with unpaid invoices", "orders with missing items"
    r"\b[a-z]+s\s+with\s+(?:un[a-z]+|overdue|outstanding|pending|expired|missing|failed|late|"
    r"no)\s+[a-z]+\b",
    re.IGNORECASE,
)


#: "every order that failed validation", "all users who haven't paid": only those items.
_EACH_THAT_HOLDS = re.compile(
    r"\b(?:all|every|each|any)\s+(?:of\s+)?(?:the\s+|our\s+|their\s+)?(?:[a-z]+\s+)?[a-z]+\s+"
    rf"(?:who|that|which)\s+{_NOT_AUX}\b",
    re.IGNORECASE,
)
#: "every customer whose parcel arrived late": only those of whom something holds.
_WHOSE = re.compile(
    r"\b(?:all|every|each|any)\s+(?:of\s+)?(?:the\s+|our\s+|their\s+)?(?:[a-z]+\s+)?[a-z]+\s+"
    r"whose\s+[a-z]+(?:\s+[a-z]+)?\b",
    re.IGNORECASE,
)
#: "... in the list", "from the batch": the items are a list the run is given.
_IN_A_LIST = re.compile(
    r"\s+(?:in|from|on|of)\s+(?:the|this|a|our|that|my|your)\s+(?:\w+\s+)?(?:list|batch|file|csv|"
    r"sheet|spreadsheet|queue|table|export)\b",
    re.IGNORECASE,
)
_KEEPS_NOT_FOUND = re.compile(r"\.filter\(r,\s*!r\.(?:found|exists?|present|matched)\)")
_READS_A_RECORD = re.compile(r"(?<![\w.])item\.[a-z_]+\.")


def _approval_title(role: str | None, groups: Sequence[str], quorum: int) -> str:
    """ "Manager approval", "Finance approval", "Approval by 2 managers"."""
    who = role or (groups[0] if groups else "")
    if not who:
        return "Approval"
    if quorum > 1 and who.lower() in DEPARTMENTS:
        return f"Approval by {quorum} people from {who}"  # not "2 opses"
    if quorum > 1:
        return f"Approval by {quorum} {plural(singular(who))}"
    return f"{who[:1].upper()}{who[1:]} approval"


def _listed_inputs(spec: ToolSpec, action: str) -> set[str]:
    properties = spec.input_properties()
    return {name for name in properties if listed_for(properties, name, action)}


_A_CODE = r"#?(?=[\w-]*\d)[A-Za-z0-9][\w-]*"


def _codes_fitting_its_pattern(spec: ToolSpec, ids: list[str], action: str) -> list[str]:
    """ "refund the labels txn_a1, txn_b2 and txn_c3" for a `transaction_id` whose schema
    gives the pattern `^txn_[a-z0-9]+$`: two or more codes listed (commas, "and") that each
    fit the `pattern` of the tool's one required id are one call each, whatever noun the step
    calls them by."""
    if len(ids) != 1:
        return []
    fields = unwrap_nullable(spec.input_properties().get(ids[0]) or {})
    pattern = fields.get("pattern") if isinstance(fields, dict) else None
    if not isinstance(pattern, str) or not pattern.startswith("^") or not pattern.endswith("$"):
        return []
    match = re.search(
        rf"(?P<list>{_A_CODE}(?:\s*,\s*{_A_CODE})*\s*,?\s+(?:and|&)\s+{_A_CODE})\b", action
    )
    if match is None:
        return []
    codes = [c for c in re.split(r"\s*,\s*(?:and\s+|&\s+)?|\s+(?:and|&)\s+", match["list"]) if c]
    try:
        fit = all(re.fullmatch(pattern, c) for c in codes)
    except re.error:
        return []
    return list(dict.fromkeys(codes)) if fit and len(codes) > 1 else []


def _codes_listed(spec: ToolSpec, action: str) -> list[str]:
    """ "pause campaign G-12 and G-13", "cancel orders #1001, #1002 and #1003": codes
    listed after the noun of the tool's one required id: one call each."""
    ids = [
        name
        for name in spec.required_inputs()
        if len(words := split_identifier(name)) == 2 and words[1] in _CODE_SUFFIXES
    ]
    if not ids:
        # ("look up users u_3 and u_4": a tool that takes its id or another key)
        ids = [
            name
            for name in spec.input_properties()
            if len(words := split_identifier(name)) == 2 and words[1] in _CODE_SUFFIXES
        ]
    if len(ids) == 1:
        noun = re.escape(split_identifier(ids[0])[0])
    elif nouns := bare_number_nouns(spec):
        noun = f"(?:{'|'.join(map(re.escape, nouns))})"  # ("to issues 501, 502, 503")
    else:
        return []
    # ("user 3 and user 4": the noun said again before each)
    again = rf"(?:{noun}\s+)?{_A_CODE}"
    listed = (
        # ("O-1 and O-2 and O-3": "and" between each of them too)
        rf"(?P<list>{_A_CODE}(?:(?:\s*,\s*|\s*,?\s+(?:and|&)\s+){again})*\s*,?\s+(?:and|&)\s+"
        # ("pull up bookings MB-201, MB-202, MB-203": three or more, commas alone between)
        rf"{again}|{_A_CODE}(?:\s*,\s*{again}){{2,}})\b"
        # ("order 77 and 15 dollars for order 78": an amount is no code)
        r"(?!\s*(?:dollars?|euros?|pounds?|usd|eur|gbp|%|percent|units?|items?|x\b))"
    )
    match = re.search(rf"\b{noun}s?\s+{listed}", action, re.IGNORECASE) or re.match(
        # ("read TEMP-3 and PRES-4": codes in capitals right after the step's verb)
        # ("look up u_3 and u_4": a code joined by "_" or "-" after a verb and its particle)
        rf"^\W*(?:please\s+)?[a-z]+(?:\s+(?:up|out|on))?\s+(?=[A-Z]+-?\d|(?-i:[a-z]+[_-]\d))"
        rf"(?-i:{listed})",
        action,
        re.IGNORECASE,
    )
    if match is None and (spec.config.cacheable or _its_things_in_the_plural(spec, action)):
        # ("check the status of TRK-1, TRK-2 and TRK-3": a tool that only reads is asked
        # once for each code in capitals listed after "of"/"for"; so is one whose thing the
        # step says in the plural: "send reminders to the owners of P-101, P-102 and P-103")
        match = re.search(
            rf"\b(?:of|for|on)\s+(?:(?:the\s+)?[a-z]+\s+)?(?=[A-Z]+-?\d)(?-i:{listed})",
            action,
            re.IGNORECASE,
        ) or re.search(
            # ("status of SR-1001, SR-1002, SR-1003, SR-1004?": three or more, commas alone)
            rf"\b(?:of|for|on)\s+(?:(?:the\s+)?[a-z]+\s+)?(?=[A-Z]+-?\d)"
            rf"(?-i:(?P<list>{_A_CODE}(?:\s*,\s*{again}){{2,}}))(?![\w-])(?!\s*,?\s*(?:and|&|or)\b)",
            action,
            re.IGNORECASE,
        )
    if match is None:
        # ("send a missing documents letter to APP-1001, APP-1002 and APP-1003": one each of
        # the records a thing is sent to; the second was the one sent to)
        match = re.search(
            rf"\bto\s+(?:(?:the\s+)?[a-z]+\s+)?(?=[A-Z]+-?\d)(?-i:{listed})", action, re.IGNORECASE
        )
    if match is None:
        return _codes_fitting_its_pattern(spec, ids, action)
    codes = [
        re.sub(rf"^{noun}\s+", "", c, flags=re.IGNORECASE).lstrip("#")
        for c in re.split(r"\s*,\s*(?:and\s+|&\s+)?|\s+(?:and|&)\s+", match.group("list"))
        if c
    ]
    return list(dict.fromkeys(codes)) if len(codes) > 1 else []


def _its_things_in_the_plural(spec: ToolSpec, action: str) -> bool:
    """Whether the step names the thing the tool's id makes or works on in the plural
    ("reminders" for `vet.reminder.send`; "permits" for `permit_submit`, its thing first)."""
    words = [word for word in split_identifier(spec.id) if len(word) > 3]
    things = {plural(word) for word in words}
    said = {word.lower() for word in re.findall(r"[A-Za-z]+", action)}
    # ("send payment reminders for INV-0101, ...": the noun of the id's verb, `..._remind`)
    doings = {
        word
        for word in said
        if word.endswith("s")
        and any(len(v) >= 5 and word.startswith(v) and len(word) - len(v) <= 5 for v in words)
    }
    return bool(things & said or doings)


def _own_words(spec: ToolSpec) -> frozenset[str]:
    """The words a tool's id, name and description use."""
    return frozenset(split_identifier(f"{spec.id} {spec.name} {spec.description}"))


def _written_values(action: str, spec: ToolSpec) -> list[str]:
    """The addresses or URLs a step lists for a tool that takes one ("check these
    emails: a@x.com, b@x.com"); none for a tool that sends (its first is the recipient).
    Places, languages, tickers, channels and phone numbers: one call for each."""
    listed = written_places(spec.input_properties(), action)
    if not listed:
        listed = _codes_listed(spec, action)  # "pause campaign G-12 and G-13"
    if not listed and takes_a_service(spec.input_properties()):
        # "restart api, web and db": each service listed
        listed = services_listed(action, _own_words(spec))
    if not listed and (_tool_verb(spec.id) in _SENDING or acts(spec)):
        listed = _addresses_for_one_recipient(action, spec)
    if not listed and acts(spec) and _tool_verb(spec.id) not in _SENDING:
        listed = _links_for_one_link(action, spec)  # "shorten https://a… and https://b…"
    if listed or _tool_verb(spec.id) in _SENDING or acts(spec):
        return listed
    for pattern, kinds in ((EMAIL_ADDRESS, {"email", "address"}), (_URL_LITERAL, _URL_WORDS)):
        found = [v.rstrip(".,;)") for v in pattern.findall(action)]
        if len(found) < 2:
            continue
        takes = [
            name
            for name, schema in spec.input_properties().items()
            if set(split_identifier(name)) & kinds and "string" in schema_types(schema)
        ]
        if takes:
            return list(dict.fromkeys(found))
    return []


def _links_for_one_link(action: str, spec: ToolSpec) -> list[str]:
    """The links a step lists for a tool that acts on one link (its one URL input, no
    list): one call each."""
    properties = spec.input_properties()
    if any("array" in schema_types(schema) for schema in properties.values()):
        return []
    links = [
        name
        for name, schema in properties.items()
        if set(split_identifier(name)) & _URL_WORDS and "string" in schema_types(schema)
    ]
    found = list(dict.fromkeys(v.rstrip(".,;)") for v in _URL_LITERAL.findall(action)))
    return found if len(links) == 1 and len(found) >= 2 else []


def _one_id_input(properties: dict[str, Any]) -> list[str]:
    """The one `*_id` input of a tool that requires none (`lookup_user`: an id or an
    email), for the code a step writes."""
    ids = [name for name in properties if split_identifier(name)[-1:] == ["id"]]
    return ids if len(ids) == 1 else []


def _addresses_for_one_recipient(action: str, spec: ToolSpec) -> list[str]:
    """ "Send the welcome email to a@x.io, b@y.io and c@z.io": addresses listed for a
    sending tool that takes one and can copy no one are one message each (one that can
    copy sends to the first and copies the others)."""
    properties = spec.input_properties()
    if any("array" in schema_types(schema) for schema in properties.values()):
        return []
    takes = [
        name
        for name, schema in properties.items()
        if {"email", "to", "recipient"} & set(split_identifier(name))
        and "string" in schema_types(schema)
    ] or [
        # ("suspend a@x.io, b@x.io and c@x.io" with a `login` of format email)
        name
        for name, schema in properties.items()
        if _is_email_field(name, schema)
    ]
    found = list(dict.fromkeys(v.rstrip(".,;)") for v in EMAIL_ADDRESS.findall(action)))
    return found if len(takes) == 1 and len(found) > 1 else []


def _verbs_of_settable_states(values: frozenset[str]) -> set[str]:
    """ "approve application BP-7" when a tool sets a status to approved: the request's
    own doing, said by the state's verb (not an approval asked of someone first)."""
    return {"approve"} if "approved" in values else set()


def _verbs_of_listed_decisions(tools: Iterable[ToolSpec]) -> frozenset[str]:
    """ "Accept SUB-66 once the director signs off", "waitlist SUB-1200": a verb whose
    participle is a value a tool that changes something lists (`decision`: accepted,
    waitlisted) is that tool's step (the acceptance was dropped behind the approval, and
    "waitlist" was a word no tool knows)."""
    listed = {
        str(value).lower()
        for spec in tools
        if acts(spec)
        for schema in spec.input_properties().values()
        for value in unwrap_nullable(schema).get("enum") or ()
        if isinstance(value, str) and re.fullmatch(r"[a-z]{4,}ed", str(value).lower())
    }
    bases = {value[:-2] for value in listed} | {value[:-1] for value in listed}
    return frozenset(base for base in bases if len(base) > 3)


def _turn_away_verbs_listed(tools: Iterable[ToolSpec]) -> set[str]:
    """ "if their GPA is below 3.0, reject them" when a tool that changes something lists
    "reject" (or "rejected") as a value (a decision): a step of that tool, not a case in
    which nothing is done (the branch was dropped)."""
    listed = {
        str(value).lower()
        for spec in tools
        if acts(spec)
        for schema in spec.input_properties().values()
        for value in unwrap_nullable(schema).get("enum") or ()
        if isinstance(value, str)
    }
    turned_away = {"reject": "rejected", "decline": "declined", "deny": "denied"}
    return {verb for verb, done in turned_away.items() if {verb, done} & listed}


def _says_making(word: str, spec: ToolSpec) -> bool:
    """The step's first word is the tool's making verb, a word for making ("file the
    motion", "open the door" for a tool that creates) or a word for what it makes used as
    a verb ("deliver the wreath" for create_shipment): what it makes must be the tool's."""
    said, verb = stem(word), _tool_verb(spec.id)
    if said == verb or (said in synonyms(verb) and said in _MAKING_SYNONYMS):
        return True
    made = {stem(w) for w in split_identifier(spec.id)[1:]}
    return any(said in synonyms(thing) for thing in made) and said not in made


#: "name: Ann Ito": a person's name, labelled (read whole, as "name Ann Ito" is)
_NAME_LABELLED = re.compile(r"\bname\s*:\s*(?=[A-Z])")
#: "charges over $1000 need sign-off", "Refunds above 500 EUR require approval": a rule of
#: a kind of thing, said in the plural at the start of a sentence
_THINGS_OVER_NEED = re.compile(
    r"(?P<lead>^|[.;!?]\s+)(?P<noun>[A-Za-z]{3,}?)s\s+(?P<cmp>over|above|exceeding|of\s+more\s+than|"
    r"more\s+than|greater\s+than)\s+(?P<amount>[$€£]?\s?\d[\d,]*(?:\.\d+)?\s*(?:k\b|usd\b|eur\b|"
    r"gbp\b|dollars\b|euros\b)?)\s*(?P<verb>need|require|must|have\s+to|should)\b",
    re.IGNORECASE,
)
_ONE_NEEDS = {"need": "needs", "require": "requires", "have to": "has to"}
#: "closing tasks in the X project needs approval from the auditor. <step>": a kind of
#: doing that needs someone's approval, said before the step it is for (no amount in it)
_DOING_THINGS_NEEDS_APPROVAL = re.compile(
    r"(?P<lead>^|[.;!?]\s+)(?!(?:any|every|some|no)thing\b)[A-Za-z]{2,}ing\s+"
    r"(?:(?!over\b|above\b|more\b|under\b|below\b|if\b|when\b)[\w'-]+\s+){1,6}?"
    r"(?:needs?|requires?)\s+(?:an?\s+)?(?:approval|sign[- ]?off|ok|okay)\s+(?:from|by)\s+"
    r"(?P<who>[^.;!?\d$€£]+?)\s*(?P<end>[.;!?])\s+(?=\S)",
    re.IGNORECASE,
)


def _rules_of_things_not_done(text: str) -> str:
    """ "Refunds above 500 EUR require approval from finance. charge cus_N8xQ2 $600": a rule
    of a kind of thing only some tools do (a refund), which no other step asks for, gates
    nothing here; it is left out (it gated the charge). A rule of charges or payments,
    which no tool alone does, stays."""
    for match in reversed(list(_THINGS_OVER_NEED.finditer(text))):
        said = capabilities_asked(f"{match['noun']}s")
        if not said:
            continue
        ends = re.compile(r"[.;!?](?=\s|$)|$").search(text, match.end())
        end = ends.end() if ends is not None else len(text)
        rest = f"{text[: match.start()]}{match['lead']} {text[end:]}"
        if said & capabilities_asked(without_quotes(rest)) or not rest.strip(" .;!?"):
            continue
        text = f"{text[: match.start()]}{match['lead']}{text[end:].lstrip()}"
    return text


def _any_thing_over_needs(match: re.Match[str]) -> str:
    verb = " ".join(match["verb"].lower().split())
    return (
        f"{match['lead']}any {match['noun']} {match['cmp']} {match['amount'].strip()} "
        f"{_ONE_NEEDS.get(verb, verb)}"
    )


#: "it's over 1000", "that is below 5": a number compared, said of "it"
_PRONOUN_COMPARED = re.compile(r"^\s*(?:it|that|this)(?:'s|\s+is|\s+was)\s", re.IGNORECASE)
#: "email: ann@ito.jp", "name Ann Ito, email ann@ito.jp": an address labelled as a value
_EMAIL_LABELLED = re.compile(
    r"\be-?mail\s*:\s*(?=[\w.+-]+@[\w-]+\.)"
    r"|(?P<name>\bname\s*:?\s+[A-Z][\w'-]*(?:\s+[A-Z][\w'-]*){0,2}\s*(?:,|\band\b)\s*)"
    r"e-?mail\s+(?=[\w.+-]+@[\w-]+\.)",
    re.IGNORECASE,
)
#: "the price of TSLA", "the current weather in Paris": a thing said of what follows it
_THE_THING_OF = re.compile(
    r"\b(?:the|today's|its)\s+(?:current\s+|latest\s+|live\s+|present\s+)?"
    # ("the link to invoice in_1Ab2C": a link is to the thing, not sent to it)
    # ("the amount due on invoice INV-1042": what is owed, said of the thing)
    r"(?P<noun>[a-z]+)(?:\s+(?:due|owed|outstanding|remaining))?\s+"
    r"(?:of|in|for|at|on|(?<=link\s)to|(?<=url\s)to)\s+(?=\S)",
    re.IGNORECASE,
)
#: "the EUR to USD rate", "today's USD/JPY rate": a thing of a pair of codes, said before it
_PAIR_BEFORE_ITS_NOUN = re.compile(
    r"\b(?:the|today's)\s+(?:current\s+|latest\s+|live\s+)?"
    r"(?P<a>[A-Z]{3})\s*(?:to|/|-|into)\s*(?P<b>[A-Z]{3})\s+(?P<noun>[a-z]+)\b"
)
#: "add Jane as a lead", "register him as a new member": the thing made, said after "as"
#: (not "with the summary as the body": what one of its inputs holds)
_MADE_AS = re.compile(r"\bas\s+(?:a|an)\s+(?:new\s+)?(?P<thing>[a-z]+)\b", re.I)
#: Words for making a record, read as the making verb of the lexicon ("file a ticket").
_MAKING_SYNONYMS = frozenset(stem(w) for w in "open file raise log add".split())


#: "process it", "handle them": a step that says only that something is dealt with.
_DEALT_WITH = re.compile(
    r"^(?:then\s+|and\s+|also\s+)*(?P<verb>process|handle|complete)\s+(?:it|them|this|that)\W*$",
    re.IGNORECASE,
)


def _says_not_what(
    clause: Clause, verb: str, thing: str, spec: ToolSpec | None
) -> PlanningError:
    """A step that only says something is dealt with ("process it", "handle the booking"),
    mapped to a tool of another verb by the thing it names (or to none)."""
    said = thing if thing in PRONOUN_OBJECTS else (
        f"{'an' if thing[:1] in 'aeio' else 'a'} {thing}"
    )
    closest = (
        f"; the closest tool, {spec.id}, does something else ({spec.description})" if spec else ""
    )
    return PlanningError(
        "unmapped_step",
        f"Could not map {clause.label}: '{verb.lower()}' does not say what to do with "
        f"{said}{closest}. Say what should happen to it with a tool's verb ('charge it', "
        "'ship it'), or register a tool that does it.",
        step=clause.text,
        details={"tool": spec.id if spec else None, "phrase": thing, "reason": "says_not_what"},
    )


def _other_object(clause: Clause, verb: str, noun: str, spec: ToolSpec) -> PlanningError:
    return PlanningError(
        "unmapped_step",
        f"Could not map {clause.label}: it asks to {verb} "
        f"{'an' if re.match(r'[aeio]|u(?!s|ni|ti|ri|ro)', noun) else 'a'} {noun}, and no tool "
        f"in the catalogue does; {spec.id} only shares the verb ({spec.description}). "
        "Register a tool that does it, or leave the step out.",
        step=clause.text,
        details={"tool": spec.id, "phrase": noun, "reason": "other_object"},
    )


def _check_filtered_keeps(
    clause: Clause, loop: Loop, spec: ToolSpec, inputs: dict[str, str]
) -> None:
    """ "For each order, check the stock and if it's in stock ship it": the condition keeps
    the stock checks, which do not say which order they were for; a value each order has
    (its id) read from the run input instead would be one value for every order: refused."""
    if loop.filtered is not None and _KEEPS_NOT_FOUND.search(loop.filtered):
        # "for each user, look them up and welcome them if they aren't found": the
        # lookups kept found nobody, so nothing of theirs (an address) can be read
        absent = [name for name, expression in inputs.items() if _READS_A_RECORD.search(expression)]
        if absent:
            raise PlanningError(
                "unmapped_condition",
                f"Could not plan {clause.label}: inside the loop over each {loop.said}, the "
                f"condition keeps the {plural(loop.said)} {loop.last_tool.id} did not find, so "
                f"nothing it returns can give {spec.id} its {absent[0]}. Plan one {loop.said} "
                "per run, with the value in the run input.",
                step=clause.text,
                details={"reason": "condition_in_loop", "input": absent[0]},
            )
    kept = loop.item_schema.get("properties")
    if not isinstance(kept, dict):
        return
    for name, expression in inputs.items():
        if name in kept and expression.startswith("input.") and name in spec.required_inputs():
            raise PlanningError(
                "unmapped_condition",
                f"Could not plan {clause.label}: inside the loop over each {loop.said}, the "
                f"condition keeps {loop.last_tool.id}'s results, which do not say the "
                f"{loop.said}'s {name}; {spec.id} would get one {name} for every {loop.said}. "
                f"Plan one {loop.said} per run to act on it when the condition holds.",
                step=clause.text,
                details={"reason": "condition_in_loop", "input": name},
            )


def _check_kept_records_hold_the_address(
    clause: Clause, loop: Loop, spec: ToolSpec, inputs: Mapping[str, str]
) -> None:
    """ "for each email in the list, look up the customer and if they are on the free plan,
    email them": the condition keeps the lookups' records, and a record with no address
    cannot say where to send (a raw type mismatch, or one address asked of the run for
    every customer); the address each was looked up by is not carried past the filter
    (an expression cannot pair a list the run gives with its results), so it is refused in
    words."""
    if isinstance(loop.item_schema.get("properties"), dict):
        return  # each item is a record of its own, whose fields the step reads
    for name in spec.required_inputs():
        if name not in _ADDRESS_INPUTS:
            continue
        expression = inputs.get(name, "")
        if expression != "item" and not expression.startswith("input."):
            continue
        raise PlanningError(
            "unmapped_condition",
            f"Could not plan {clause.label}: inside the loop over each {loop.said}, the "
            f"condition keeps {loop.last_tool.id}'s results for the {plural(loop.said)} it "
            f"holds for, and those results hold no address, so {spec.id} would have nowhere "
            f"to send each one. Plan one {loop.said} per run (look it up, then send if the "
            "condition holds), or use a lookup that also returns the address.",
            step=clause.text,
            details={"reason": "condition_in_loop", "input": name},
        )


def _check_no_subset(clause: Clause, *, looping: bool) -> None:
    """ "Greet the valid ones": the step's condition, on the one item of a run or, in a
    loop, on the items a step of the loop judged (see `_filter_loop`). Some of the items
    said any other way ("the ones that ...", "users who haven't paid") is refused: no
    step can tell which they are, and planning it over all would act on the wrong ones."""
    listed = _listed_to_someone(clause.action) if looping else None
    if listed is not None:
        # "email me the invalid ones", "send ops@ a list of the ones that are down": one
        # message to one recipient, listing the loop's items whose result is so (see
        # `_which_ones`), not a message per item
        clause.action = listed
        return
    kept = _THOSE_ON.search(clause.action)
    if kept is None:
        # "send the pro users a welcome email": the items said with a quality
        kept = _THE_KIND_OF_ITEMS.search(clause.action)
        if kept is not None and kept["how"].lower() in _NO_QUALITY:
            kept = None
    if kept is not None and clause.condition is None:
        # "send a welcome email only to those on the pro plan": to them, if they're on it
        clause.condition = Condition(f"they're {kept['how']}")
        clause.action = f"{clause.action[: kept.start()]}them{clause.action[kept.end() :]}"
        clause.subset = kept.group(0).strip() if looping else None
        return
    whose = _WHOSE.search(clause.text) or (
        # "create a ticket for every order that failed validation": the loop's words leave
        # the action too
        _EACH_THAT_HOLDS.search(clause.text) if clause.for_each else None
    )
    if whose is not None:
        # "give credit to every customer whose parcel arrived late": the loop's words
        # leave the step's action, so its text says which items
        raise _subset_refusal(clause, whose.group(0).strip())
    match = _SUBSET.search(clause.action)
    if match is None:
        return
    if match.group("listed") and not looping:
        return  # "email the customer the list of the invalid SKUs": one run's own list
    quality = match.group("quality") or match.group("each_quality") or match.group("judged")
    in_a_list = _IN_A_LIST.match(clause.action[match.end() :]) is not None
    if quality and clause.condition is None and not in_a_list:
        # ("every negative review in the list" is some of the list's items: refused)
        # in a loop, the condition keeps the items a step of the loop judged so
        # (`_filter_loop`); a step after the loop is refused when it is built
        clause.condition = Condition(f"it's {quality}")
        clause.action = f"{clause.action[: match.start()]}them{clause.action[match.end() :]}"
        clause.subset = match.group(0).strip() if looping else None
        return
    raise _subset_refusal(clause, match.group(0).strip())


#: "the pro users", "the enterprise customers": items said with the kind they are
_THE_KIND_OF_ITEMS = re.compile(
    r"\bthe\s+(?P<how>[a-z]+)\s+(?:users|customers|members|clients|subscribers|accounts|orders)\b",
    re.IGNORECASE,
)
#: Words before a noun that say which items by no quality a step could tell
_NO_QUALITY = frozenset(
    "same other new first last next right wrong main whole following above below remaining "
    "rest listed given selected said these those".split()
)
#: Some items said by where they are: "only to those on the pro plan", "the ones in Germany",
#: "those with a balance over $100"
_THOSE_ON = re.compile(
    r"\b(?:only\s+)?(?:those|the\s+ones)\s+(?P<how>(?:on|in|with|from|at|under|over)\s+"
    r"(?:the\s+|a\s+|an\s+)?[\w$€£.-]+(?:\s+(?!(?:and|then|or|but)\b)[\w$€£.-]+){0,3})",
    re.IGNORECASE,
)
#: Some of a loop's items said by their quality: "the invalid ones", "a list of the ones
#: that are down", "the ones which were declined".
_SOME_BY_QUALITY = re.compile(
    r"\b(?:(?:a\s+)?list\s+of\s+)?the\s+(?:(?P<quality>[a-z]+)\s+ones\b(?!\s+(?:of|by|that|which)\b)"
    r"|ones\s+(?:that|which)\s+(?:are|were)\s+(?P<state>[a-z]+(?:\s+of\s+[a-z]+)?)\b)",
    re.IGNORECASE,
)
#: A message that lists items for one reader: "email me ...", "tell us ...", "... a list
#: of ...", "... in one email" ("send the invalid ones to sales@" sends each on its own).
_ONE_LISTING_MESSAGE = re.compile(
    r"^(?:please\s+)?(?:(?:email|e-mail|mail|message|notify|tell|text)\s+(?:me|us\b|"
    # ("email purchasing@acme.io the ones that are out of stock": one reader, by address)
    r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+(?=\s+(?:a\s+list\s+of\s+)?the\s+(?:[a-z]+\s+)?ones\b))"
    r"|(?:email|e-mail|mail|send|message|notify|tell|post|text)\b.*?"
    r"(?:\ba\s+list\s+of\b|\bin\s+(?:one|a\s+single)\s+(?:email|e-mail|message|note|post)\b))",
    re.IGNORECASE,
)


def _listed_to_someone(action: str) -> str | None:
    """ "email me the invalid ones" -> "email me which ones are invalid": the action
    rewritten so the message lists the items, or None when it says no such thing."""
    some = _SOME_BY_QUALITY.search(action)
    if some is None or _ONE_LISTING_MESSAGE.match(action.strip()) is None:
        return None
    quality = some.group("quality") or some.group("state")
    if quality.lower() in {"same", "other", "new", "right", "wrong", "first", "last", "main"}:
        return None
    return f"{action[: some.start()]}which ones are {quality}{action[some.end() :]}"


def _subset_refusal(clause: Clause, phrase: str) -> PlanningError:
    return PlanningError(
        "unmapped_step",
        f"Could not map {clause.label}: it asks to act only on some items "
        f"({phrase!r}), and no step can pick items out of a list (a loop runs on every "
        "item). Act on every item, or plan one item per run with a condition "
        "('if the email is invalid, email me').",
        step=clause.text,
        details={"phrase": phrase, "reason": "filtered_loop"},
    )


#: Leading verbs of tools that send a message to the address they are given.
_SENDING_VERBS = frozenset({"send", "email", "mail", "notify", "message"})


def recipient_input_name(spec: ToolSpec) -> str | None:
    """The input that takes the address a message goes to: `to` or `recipient`, or the
    address a sending tool requires ("send a welcome email to the admin": its `email`)."""
    properties = spec.input_properties()
    name = next((n for n in _RECIPIENT_INPUTS if n in properties), None)
    if name is not None or _tool_verb(spec.id) not in _SENDING_VERBS:
        return name
    return next(
        (
            n
            for n in spec.required_inputs()
            if unwrap_nullable(properties.get(n) or {}).get("format") == "email"
            or split_identifier(n)[-1] == "email"
        ),
        None,
    )


def _other_recipient(spec: ToolSpec, planned: Clause | None, clause: Clause) -> bool:
    """ "Email the customer and let the sales team know": two messages to two people."""
    if planned is None or not set(_RECIPIENT_INPUTS) & set(spec.input_properties()):
        return False
    if message_recipient(planned.action) != message_recipient(clause.action):
        return True
    # "if approved, email finance@acme.com; if rejected, email the employee": each names
    # someone, and not the same one
    first, second = _addressee(planned.action), _addressee(clause.action)
    return first is not None and second is not None and first != second


#: "email the employee ...", "notify our accountant": whom a message step names first
_ADDRESSEE_SAID = re.compile(
    r"^\W*(?:e-?mail|mail|message|text|notify|tell|remind|ping)\s+"
    # ("tell her the part ships monday": "her" is the one emailed, "the" no person's word)
    r"(?P<who>(?:the|our|their|his|her|my)\s+(?!(?:the|an?|that|this|it|we|you|your)\b)[a-z-]+)",
    re.IGNORECASE,
)


def _addressee(action: str) -> str | None:
    """The address or the person a message step names, as said, if it names one."""
    address = EMAIL_ADDRESS.search(action)
    if address is not None:
        return address.group(0).lower()
    said = _ADDRESSEE_SAID.match(action)
    return " ".join(said.group("who").lower().split()) if said is not None else None


#: "the support lead at lead@example.com", "the manager (boss@example.com)": a person
#: named with their address.
_OWNED_ADDRESS = re.compile(rf"(?:\bat|\bon|\(|:)\s*{EMAIL_ADDRESS.pattern}", re.IGNORECASE)


_COPIED_ADDRESSES = re.compile(
    r"\b(?:b?cc(?:'?d|ing)?|copy(?:ing)?(?:\s+in)?)\s+[\w.+-]+@[\w-]+(?:\.[\w-]+)+"
    r"(?:\s*(?:,|and)\s*[\w.+-]+@[\w-]+(?:\.[\w-]+)+)*",
    re.IGNORECASE,
)
#: "Reply to jo@x.com ...", "then respond to ...": the step's verb and its recipient
_REPLIED_TO = re.compile(
    r"\s*(?:(?:just|then|and|please|otherwise|simply)\s+)*(?:reply|respond|write\s+back)\s+to\s+",
    re.IGNORECASE,
)
_NOT_THE_RECIPIENT = re.compile(
    r"\b(?:b?cc(?:'?d|ing)?|from|reply[\s-]+to|copy(?:ing)?(?:\s+in)?)\s+(?:[\w.+-]+@[\w.-]+\s*"
    r"(?:,|and)\s*)*$",
    re.IGNORECASE,
)


#: List inputs that hold the people something is for, by their addresses
_PEOPLE_LISTS = frozenset(
    "attendees participants invitees guests members emails recipients people users".split()
)


def _people_listed(
    properties: dict[str, Any], action: str, taken: dict[str, str]
) -> dict[str, str]:
    """ "Find a slot for ana@corp.com and raj@corp.com", "inviting a@x.com and b@x.com":
    the addresses written are the tool's one list of people (`attendees`), when it has no
    single address to send to."""
    if any(name in properties for name in _ADDRESS_INPUTS):
        return {}
    lists = [
        name
        for name, schema in properties.items()
        if name not in taken
        and "array" in schema_types(unwrap_nullable(schema))
        and split_identifier(name)[-1:]
        and split_identifier(name)[-1] in _PEOPLE_LISTS
    ]
    addresses = [
        found.group(0).rstrip(".")
        for found in EMAIL_ADDRESS.finditer(action)
        if not _NOT_THE_RECIPIENT.search(action[: found.start()])
    ]
    if len(lists) != 1 or not addresses:
        return {}
    return {lists[0]: json.dumps(addresses)}


#: "for Brightwave Labs (legal@brightwave.io)", "Jane Doe, jane@x.com": a name, then its address
_NAME_THEN_ADDRESS = re.compile(
    r"(?<![\w'])(?P<name>[A-Z][\w'&.-]*(?:\s+[A-Z][\w'&.-]*){0,3})\s*(?:,|\(|<|-|\u2013|\u2014)\s*"
    r"(?P<address>[\w.+-]+@[\w-]+(?:\.[\w-]+)+)"
)


def _name_by_its_address(
    properties: dict[str, Any], action: str, literals: dict[str, str]
) -> dict[str, str]:
    """ "draft an NDA for Brightwave Labs (legal@brightwave.io)": a `counterparty_name` whose
    `counterparty_email` takes the address is the name written just before it (it was asked
    of the run)."""
    found: dict[str, str] = {}
    for input_name in properties:
        words = split_identifier(input_name)
        if input_name in literals or not words or words[-1] != "name" or input_name == "name":
            continue
        prefix = words[:-1]
        emails = [
            other
            for other in properties
            if split_identifier(other)[:-1] == prefix
            and split_identifier(other)[-1:] in (["email"], ["address"])
            and other in literals
        ]
        if len(emails) != 1:
            continue
        try:
            address = json.loads(literals[emails[0]])
        except ValueError:
            continue
        for match in _NAME_THEN_ADDRESS.finditer(action):
            if match["address"].rstrip(".") == address:
                name = re.sub(r"^(?:For|To|With|And|From)\s+", "", match["name"])
                if name and name[0].isupper():
                    found[input_name] = json.dumps(name)
                break
    return found


_FOR_SIGNATURE = re.compile(r"\b(?:for|to)\s+(?:e-?)?sign(?:ature|ing)?\b", re.IGNORECASE)
_TO_THEM_PERSON = re.compile(r"\b(?:to|for)\s+(?:them|him|her)\b", re.IGNORECASE)


def _them_at_the_one_address(
    spec: ToolSpec, action: str, request: str, literals: dict[str, str]
) -> dict[str, str]:
    """ "draft an NDA for Brightwave Labs (legal@…) and send it to them for signature": the
    step's one required address input (`signer_email`) is the one address the request wrote,
    when the step sends "to them" (it was asked of the run)."""
    if EMAIL_ADDRESS.search(action) or not (
        _TO_THEM_PERSON.search(action)
        # ("..., then send it for signature": to whom the request wrote the address of)
        or (_FOR_SIGNATURE.search(action) and not re.search(r"\bto\b", action, re.I))
    ):
        return {}
    wanted = [
        name
        for name in spec.required_inputs()
        if name not in literals and "email" in split_identifier(name)
    ]
    addresses = list(dict.fromkeys(a.rstrip(".") for a in EMAIL_ADDRESS.findall(request)))
    if len(wanted) != 1 or len(addresses) != 1:
        return {}
    return {wanted[0]: json.dumps(addresses[0])}


def _address_literal(
    properties: dict[str, Any], action: str, taken: dict[str, str]
) -> dict[str, str]:
    """ "Email ops@example.com", "validate test@example.com": the one address the step
    writes is its recipient or the address it works on, not a run input."""
    # an address after "cc", "from" or "reply to" is not where the message goes (but
    # "Reply to jo@x.com that ...": the step's own verb says to whom)
    addresses = [
        found.group(0).rstrip(".")
        for found in EMAIL_ADDRESS.finditer(action)
        if not _NOT_THE_RECIPIENT.search(action[: found.start()])
        or _REPLIED_TO.fullmatch(action[: found.start()])
    ]
    copied = properties.get("cc")
    if addresses and copied is not None and "cc" not in taken and "array" in schema_types(copied):
        # "and cc a@example.com, b@example.com": those are copied
        listed = _COPIED_ADDRESSES.search(action)
        if listed is not None:
            taken = {**taken, "cc": json.dumps(EMAIL_ADDRESS.findall(listed.group(0)))}
            literal_cc = {"cc": taken["cc"]}
        else:
            literal_cc = {}
    else:
        literal_cc = {}
    if not addresses:
        return literal_cc
    if len(addresses) > 1:
        # "email a@x.com and b@x.com": the first is the recipient, the others are copied
        if copied is None or "array" not in schema_types(copied) or "cc" in taken:
            return {}
        literals = {"cc": json.dumps(addresses[1:])}
    else:
        literals = {}
    for name in _ADDRESS_INPUTS:
        schema = properties.get(name)
        if schema is not None and name not in taken and "string" in schema_types(schema):
            return {name: json.dumps(addresses[0]), **literals, **literal_cc}
    # ("suspend dana@acme.com" with a `login` of format email: the one input that takes an
    # address, named for what the address is to the tool)
    named_otherwise = [
        name
        for name, schema in properties.items()
        if name not in taken and _is_email_field(name, schema) and name not in _ADDRESS_INPUTS
    ]
    if len(named_otherwise) == 1 and not literals:
        return {named_otherwise[0]: json.dumps(addresses[0]), **literal_cc}
    return literal_cc


#: Last words of an input that names one thing by a code ("order_id", "card_token").
_CODE_SUFFIXES = ("id", "token", "code", "number", "sku", "ref", "reference", "tag")
_NAMED_CODE = (
    # "order A-1001", "user id u_7", "the user by id u_77"
    # ("from Parts4U" is no part's code: a code written against the noun starts with a digit)
    r"\b{noun}(?:\s+(?:(?:by|with)\s+)?(?:id|number|no\.?|code|token))?(?:\s*[#:]\s*|\s+|(?=\d))"
    # ("HS code 8471.30": a dot between digits goes on with the code)
    r"(?P<code>[A-Za-z0-9](?:[\w-]|\.(?=\d))*)"
)
#: "order status for 1234", "the order details for #A-17": the code after what it is of
_CODE_FOR_NAMED = r"\b{noun}(?:\s+[a-z]+){{1,2}}\s+for\s+#?(?P<code>[A-Za-z0-9][\w-]*)"


#: "RMA-5" for `rma_id`: a code that starts with the name of what it identifies.
_CODE_OF_ITS_NAME = r"(?<![\w@./-])(?P<code>{noun}-\d[\w-]*)(?![\w@])"


def _identifier_literals(
    properties: dict[str, Any], text: str, taken: dict[str, str]
) -> dict[str, str]:
    """A code the step writes after the noun an input is named for ("for order A-1001":
    `order_id`, "user u_1003": `user_id`, "the card tok_visa": `card_token`). A code has a
    digit or an underscore in it, so "order status" or "user details" give nothing."""
    found: dict[str, str] = {}
    for name, schema in properties.items():
        words = split_identifier(name)
        if name in taken or len(words) != 2 or words[1] not in _CODE_SUFFIXES:
            continue
        if "string" not in schema_types(unwrap_nullable(schema)):
            continue
        noun = re.escape(words[0])
        people = _PERSON_WORDS.split("|")
        if words[0] in people and not any(
            split_identifier(other)[0] in people for other in properties if other != name
        ):
            noun = f"(?:{_PERSON_WORDS})"  # "look up customer 88" for a `user_id`
        for pattern in (_NAMED_CODE, _CODE_FOR_NAMED, _CODE_OF_ITS_NAME):
            match = re.search(pattern.format(noun=noun), text, re.IGNORECASE)
            code = match.group("code") if match else ""
            if re.search(r"[\d_]", code) and not _no_code_of(name, code, taken):
                found[name] = json.dumps(code.rstrip(".-"))
                break
        if name not in found and words[1] == "token":
            # "charge €64.90 to tok_mc_81": a token written as one ("tok_" and more), with
            # no "card" before it, is the token (it was left out of the charge)
            tokens = set(_TOKEN_WRITTEN.findall(text))
            if len(tokens) == 1:
                found[name] = json.dumps(tokens.pop())
    return found


#: "tok_visa_22", "tok_mc_81": a token, written as payment processors write them.
_TOKEN_WRITTEN = re.compile(r"(?<![\w@./-])(tok_[A-Za-z0-9_]+)(?![\w@])")


def _no_code_of(name: str, value: str, taken: dict[str, str]) -> bool:
    """Whether `value`, a number, is not `name`'s code: another input of the step takes it
    ("charge the card 49.99 EUR": the amount), or `name` is a token, which is never a number
    ("charge card 12.50"). "hs code 0901.21" is a code."""
    if not re.fullmatch(r"\d+(?:\.\d+)?", value):
        return False
    if split_identifier(name)[-1:] == ["token"]:
        return True
    return any(written == repr(float(value)) for written in taken.values())


#: Last words of an input's name that say what kind of value it is, not a thing numbered.
_KIND_WORDS = frozenset(
    "name email text date time type status url address note reason message body subject "
    "currency country region amount count quantity".split()
)


def _addresses_that_are_addresses(
    properties: Mapping[str, Any], literals: dict[str, str]
) -> dict[str, str]:
    """The literals, without text written for an email address input that is none ("the
    meeting moved to 3pm" gave `reply_to` "3pm"): the input is left to what else sets it."""
    kept = dict(literals)
    for name, literal in literals.items():
        schema = unwrap_nullable(properties.get(name) or {})
        if schema.get("format") != "email" or not literal.startswith('"'):
            continue
        written = json.loads(literal)
        if isinstance(written, str) and not EMAIL_ADDRESS.fullmatch(written.strip()):
            del kept[name]
    return kept


def _it_by_its_pattern(
    properties: dict[str, Any], action: str, request: str, taken: dict[str, str]
) -> dict[str, str]:
    """ "comment 'looking into it' on WEB-3KF and assign it to me": "it" is the one value the
    request writes that fits the `pattern` of the step's input (`short_id`), not the `id` of
    the comment the step before made."""
    if not re.match(r"^\W*[a-z]+\s+(?:it|them)\b", action, re.IGNORECASE):
        return {}
    found: dict[str, str] = {}
    for name, schema in properties.items():
        pattern = unwrap_nullable(schema or {}).get("pattern") if isinstance(schema, dict) else None
        if name in taken or not isinstance(pattern, str):
            continue
        try:
            fits = {
                word.strip(".,;:!?'\"()")
                for word in request.split()
                if re.fullmatch(pattern, word.strip(".,;:!?'\"()"))
            }
        except re.error:
            continue
        if len(fits) == 1:
            found[name] = json.dumps(fits.pop())
    return found


#: "find the contact Northwind Traders", "look up the customer Acme Corp": a thing, then its
#: name in capitals
_THING_THEN_ITS_NAME = re.compile(
    r"\bthe\s+(?P<noun>[a-z]+)\s+(?P<name>(?-i:[A-Z][\w&'.-]*)(?:\s+(?-i:[A-Z][\w&'.-]*)){0,3})"
    r"(?![\w@])",
    re.IGNORECASE,
)


def _thing_named_in_capitals(
    spec: ToolSpec, text: str, taken: dict[str, str]
) -> dict[str, str]:
    """ "find the contact Northwind Traders": a name in capitals after the noun of the tool's
    own id is the tool's one `name` input (an email was asked of the run instead)."""
    properties = spec.input_properties()
    names = [
        n
        for n, schema in properties.items()
        if n not in taken
        and split_identifier(n)[-1:] == ["name"]
        and "string" in schema_types(unwrap_nullable(schema or {}))
    ]
    if len(names) != 1:
        return {}
    own = {w for w in split_identifier(spec.id) if len(w) > 2}
    found = {
        m["name"]
        for m in _THING_THEN_ITS_NAME.finditer(text)
        if m["noun"].lower() in own and not re.search(r"\d", m["name"])
    }
    return {names[0]: json.dumps(found.pop())} if len(found) == 1 else {}


#: "Add or resubscribe an email address ...": a description's first verbs, "or" between
_LEADING_VERBS = re.compile(
    r"^\s*(?P<first>[A-Z][a-z]+)(?P<rest>(?:\s*,\s*[a-z]+)*\s+(?:or|and)\s+[a-z]+)\s+"
    r"(?:an?|the|one|some|all)\b"
)
#: "add kim@zx.io to list a1b2c3d4e5": the step's verb, then where it goes ("to list")
_VERB_THEN_WHERE = re.compile(
    r"^\W*(?:please\s+)?(?P<verb>[a-z]{3,})\b[^;]*?\b(?P<where>to|into|from)\s+"
    r"(?:(?:the|an?|my|our)\s+)?(?P<noun>[a-z]{3,})\b",
    re.IGNORECASE,
)


def _words_of_a_name(text: str) -> str:
    """A name's words in lower case, "'s" after "who"/"what"/"it"/"that" read as "is"."""
    text = re.sub(r"\b(who|what|it|that|there)['\u2019]s\b", r"\1 is", text, flags=re.IGNORECASE)
    return " ".join(re.findall(r"[a-z0-9]+", text.lower()))


def _same_shape_as(example: str, text: str) -> str | None:
    """The one code `text` writes in the shape of `example` when it mixes letters and
    digits with no marks ("a1b2c3d4e5", "42694e9e57"): the same length, a digit where the
    example has a digit, a letter where it has a letter (either case)."""
    if len(example) < 6 or not re.fullmatch(r"[a-z0-9]+", example):
        return None
    if not re.search(r"\d", example) or not re.search(r"[a-z]", example):
        return None
    shape = "".join(r"\d" if c.isdigit() else "[a-zA-Z]" for c in example)
    said = set(re.findall(rf"(?<![\w@.-]){shape}(?![\w@.-])", text))
    return said.pop() if len(said) == 1 else None


def _shaped_like_its_example(
    properties: dict[str, Any], text: str, taken: dict[str, str]
) -> dict[str, str]:
    """ "if avg:system.cpu.user{host:web-1} is above 90": a value written in the shape of
    the example an input's description gives ("Metric query, e.g.
    avg:system.cpu.user{host:web-1}": words between the same marks, `:`, `{`, `}`) is that
    input's value; an example with fewer than two such marks says no shape."""
    found: dict[str, str] = {}
    for name, schema in properties.items():
        fields = unwrap_nullable(schema) if isinstance(schema, dict) else {}
        if name in taken or "string" not in schema_types(fields) or fields.get("enum"):
            continue
        for example in examples_of(fields):
            marks = re.sub(r"[\w.\-\s]", "", example)
            if not marks and (shaped := _same_shape_as(example, text)) is not None:
                # ("subscribed to a1b2c3d4e5" for "Audience id, e.g. a1b2c3d4e5": a code of
                # the example's length, letters and digits where it has them)
                found[name] = json.dumps(shaped)
                break
            if len(marks) < 2 or " " in example.strip():
                continue
            shape = "".join(
                r"[\w.-]+" if re.fullmatch(r"[\w.-]+", part) else re.escape(part)
                for part in re.findall(r"[\w.-]+|[^\w.-]", example)
            )
            said = set(re.findall(rf"(?<![\w.-]){shape}(?![\w.-])", text, re.IGNORECASE))
            if len(said) == 1:
                found[name] = json.dumps(said.pop())
                break
    return found if len(found) == 1 else {}


#: "Senior Engineer", "Head of Sales", "VIP": words in capitals (small joining words between)
_TITLE_WORDS = r"[A-Z][\w&'+-]*(?:\s+(?:(?:of|and|for|the|&|de)\s+)?[A-Z][\w&'+-]*)*"


#: `street1`, `address_line1`, `line_1`: an input for the first line of an address
_FIRST_STREET_LINE = re.compile(r"^(?:street|address|addr)?_?(?:line)?_?1$", re.IGNORECASE)


def _field_description(schema: Any) -> str:
    """An output field's own description ("The employee's manager's email"), if any."""
    fields = unwrap_nullable(schema) if isinstance(schema, dict) else {}
    return str(fields.get("description") or "") if isinstance(fields, dict) else ""


def _street_line_written(
    properties: dict[str, Any], text: str, taken: dict[str, str]
) -> dict[str, str]:
    """ "is 215 Clayton St, San Francisco, CA 94117, US a valid address?" for a `street1`
    (with `city`, `state`, `zip` beside it): the first line of the street address the step
    writes, up to its first comma, is the one street-line input's value (it was asked of the
    run; the town and the codes are their own inputs')."""
    lines = [
        name
        for name in properties
        if name not in taken and name != "1" and _FIRST_STREET_LINE.match(name)
    ]
    match = STREET_ADDRESS.search(text)
    if len(lines) != 1 or match is None:
        return {}
    parts = [part.strip(" .") for part in match["value"].split(",")]
    found = {lines[0]: json.dumps(parts[0])}
    town = r"[A-Z][a-z][\w'-]*(?:\s+[A-Z][a-z][\w'-]*){0,2}"
    if "city" in properties and "city" not in taken and len(parts) > 1 and re.fullmatch(
        town, parts[1]
    ):
        found["city"] = json.dumps(parts[1])  # (the town written after it)
    return found


def _named_input_set_to(
    properties: dict[str, Any], text: str, taken: dict[str, str]
) -> dict[str, str]:
    """ "change 4012's job title to Senior Engineer", "update employee 3377 title to Head of
    Sales": a string input the step names (its whole name or its last word) followed by "to"
    and words in capitals or a quote is set to them (it was asked of the run)."""
    found: dict[str, str] = {}
    listed = {
        said
        for schema in properties.values()
        for value in (unwrap_nullable(schema) if isinstance(schema, dict) else {}).get("enum") or []
        if isinstance(value, str)
        for said in (value.lower(), value.replace("_", " ").lower())
    }
    for name, schema in properties.items():
        fields = unwrap_nullable(schema) if isinstance(schema, dict) else {}
        words = split_identifier(name)
        if name in taken or "string" not in schema_types(fields) or fields.get("enum"):
            continue
        if not words or words[-1] in {*_CODE_SUFFIXES, *STOP_WORDS} or fields.get("format"):
            continue
        said = re.findall(
            # ("the job title of employee 7001 to Staff Designer": whose it is, between)
            rf"\b{re.escape(words[-1])}s?(?:\s+of\s+[^,;.]{{1,40}}?)?\s+(?:to|as)\s+"
            rf"(?:(?-i:({_TITLE_WORDS}))\b"
            r"|['\"\u2018\u201c]([^'\"\u2019\u201d]+)['\"\u2019\u201d])",
            text,
            re.IGNORECASE,
        )
        # ('the api component to "major outage"': a value another input lists is that one's)
        values = {a or b for a, b in said if (a or b).lower() not in listed}
        if len(values) == 1:
            found[name] = json.dumps(values.pop())
    return found if len(found) == 1 else {}


def _as_the_verbs_value(spec: ToolSpec, text: str, taken: dict[str, str]) -> dict[str, str]:
    """ "tag dev@zx.io as VIP" with `mailchimp_member_tag` and its input `tag`: the step's
    verb is the last word of the tool's id and the name of one of its string inputs; what
    follows "as" (words in capitals or a quote) is that input's value."""
    verb = (split_identifier(spec.id) or [""])[-1]
    fields = unwrap_nullable(spec.input_properties().get(verb) or {})
    if verb in taken or not isinstance(fields, dict) or "string" not in schema_types(fields):
        return {}
    if fields.get("enum") or not re.match(rf"^\W*(?:please\s+)?{re.escape(verb)}\b", text, re.I):
        return {}
    said = re.findall(
        rf"\bas\s+(?:an?\s+)?(?:(?-i:({_TITLE_WORDS}))\b"
        r"|['\"\u2018\u201c]([^'\"\u2019\u201d]+)['\"\u2019\u201d])",
        text,
        re.IGNORECASE,
    )
    values = {a or b for a, b in said}
    return {verb: json.dumps(values.pop())} if len(values) == 1 else {}


def _numbered_by_its_description(fields: Any) -> bool:
    """Whether a string id's description gives a number as its example ("e.g. 4012") or
    calls it a number ("Employee number")."""
    if not isinstance(fields, dict):
        return False
    examples = examples_of(fields)
    if examples:
        return all(re.fullmatch(r"\d{2,}", e) for e in examples)
    return "number" in split_identifier(str(fields.get("description") or ""))


def _number_like_its_example(
    spec: ToolSpec, text: str, taken: dict[str, str]
) -> dict[str, str]:
    """ "request sick leave for 5150 from 2026-12-07 ...", "change 4012's job title": the one
    whole number a step writes (not part of a date, an amount or a code) is the tool's one
    required string id whose description calls it a number or gives one as its example
    ("Employee number, e.g. 4012"), when it names no other."""
    properties = spec.input_properties()
    wanted = [
        name
        for name in spec.required_inputs()
        if name not in taken
        and split_identifier(name)[-1:] in (["id"], ["number"], ["no"])
        and "string" in schema_types(unwrap_nullable(properties.get(name) or {}))
        and _numbered_by_its_description(unwrap_nullable(properties[name]))
    ]
    said = set(re.findall(r"(?<![\w$€£.,:/#+-])(\d{3,})(?='s\b|(?![\w.,:/%-]))", text))
    if len(wanted) != 1 or len(said) != 1 or _BARE_CODE.search(text):
        return {}  # ("against INV-0042 into account 090": a code names the thing)
    return {wanted[0]: json.dumps(said.pop())}


def _example_value_written(
    properties: dict[str, Any], text: str, taken: dict[str, str]
) -> dict[str, str]:
    """ "give omar access to Salesforce", "assign the Zoom app": a name in capitals the step
    writes that one string input's description gives as an example of its values
    ("Application label, e.g. Salesforce, Zoom, GitHub") is that input's value, as the
    example is spelled in the step (another example is the same kind of thing)."""
    names = re.findall(r"\b[A-Z][\w-]*[a-z][\w-]*\b", text)
    found: dict[str, str] = {}
    for name, schema in properties.items():
        fields = unwrap_nullable(schema) if isinstance(schema, dict) else {}
        if name in taken or "string" not in schema_types(fields) or fields.get("enum"):
            continue
        said = [n for n in dict.fromkeys(names) if n.lower() in examples_of(fields)]
        if len(said) == 1:
            found[name] = json.dumps(said[0])
    return found if len(found) == 1 else {}


def _numbered_by_last_word(
    properties: dict[str, Any], text: str, taken: dict[str, str]
) -> dict[str, str]:
    """ "pickup at store 12" for a `pickup_store`: a thing the input's name ends on, written
    with its number, is that input's value (it was asked of the run)."""
    found: dict[str, str] = {}
    for name, schema in properties.items():
        words = split_identifier(name)
        if name in taken or len(words) < 2 or words[-1] in {*_CODE_SUFFIXES, *_KIND_WORDS}:
            continue
        if words[-1] in STOP_WORDS:
            continue  # (`starts_at`: "at 18:00" is a time, not a thing numbered 18)
        if "string" not in schema_types(unwrap_nullable(schema)):
            continue
        said = re.findall(
            rf"\b{re.escape(words[-1])}\s+#?(\d[\w-]*|[A-Za-z]+-?\d[\w-]*)(?![\w@.])", text, re.I
        )
        if len(set(said)) == 1:
            found[name] = json.dumps(said[0])
    return found


#: "a 20% off coupon", "15 percent discount": the one percentage a step writes
_PERCENT_SAID = re.compile(r"(?<![\w.])(?P<n>\d+(?:\.\d+)?)\s?(?:%|percent\b|pct\b)", re.I)


def _percent_said(
    properties: dict[str, Any], text: str, taken: dict[str, str]
) -> dict[str, str]:
    """ "make a 20% off coupon" for a `percent_off`: the one percentage the step writes is
    the one number input named in percent (it was asked of the run)."""
    percents = [
        name
        for name, schema in properties.items()
        if name not in taken
        and {"percent", "pct", "percentage"} & set(split_identifier(name))
        and schema_types(unwrap_nullable(schema)) & {"number", "integer"}
    ]
    said = {m["n"] for m in _PERCENT_SAID.finditer(text)}
    if len(percents) != 1 or len(said) != 1:
        return {}
    value = float(said.pop())
    schema = unwrap_nullable(properties[percents[0]])
    if schema_types(schema) == {"integer"}:
        if not value.is_integer():
            return {}
        return {percents[0]: str(int(value))}
    return {percents[0]: repr(value)}


def _whole_number_id(
    properties: dict[str, Any], text: str, taken: dict[str, str]
) -> dict[str, str]:
    """ "mark ticket 4821 as solved" for an integer `ticket_id`: the thing the id's name
    starts with, written with its number ("ticket 4821", "ticket #4821", "ticket no. 4821"),
    is that id (it was asked of the run)."""
    found: dict[str, str] = {}
    for name, schema in properties.items():
        words = split_identifier(name)
        if name in taken or len(words) < 2 or words[-1] not in {"id", "number", "no", "num"}:
            continue
        if schema_types(unwrap_nullable(schema)) != {"integer"}:
            continue
        thing = re.escape(words[-2])
        said = re.findall(
            rf"\b{thing}s?\s+(?:#\s?|no\.?\s*|number\s+)?(\d+)\b(?![.,:/-]?\d|\s*%)", text, re.I
        )
        if len(set(said)) == 1:
            found[name] = str(int(said[0]))
    return found


def _bare_number_of_the_tools_thing(
    spec: ToolSpec, text: str, taken: dict[str, str]
) -> dict[str, str]:
    """ "add an internal note to 4821" with `zd_ticket_comment`: the one number a step writes,
    after "to", "on" or "for", is the whole-number id the tool needs of the thing its own id
    names (`ticket_id`), when the step writes no other number."""
    wanted = [
        name
        for name in spec.required_inputs()
        if name not in taken
        and len(split_identifier(name)) == 2
        and split_identifier(name)[1] in {"id", "number"}
        and split_identifier(name)[0] in split_identifier(spec.id)
        and schema_types(unwrap_nullable(spec.input_properties().get(name) or {})) == {"integer"}
    ]
    if len(wanted) != 1 or len(re.findall(r"\d+", text)) != 1:
        return {}
    said = re.search(r"\b(?:to|on|for)\s+#?(\d{2,})\b(?![.,:/%-]?\w)", text, re.I)
    return {} if said is None else {wanted[0]: str(int(said[1]))}


#: "track 1Z999AA1012", "refund ch_3Nk": a code right after the step's verb (and a noun).
_OBJECT_CODE = re.compile(
    # ("look up prescription 7781200": a verb with its particle)
    r"^\W*(?:please\s+|then\s+|and\s+|also\s+)*[a-z]+(?:\s+up)?\s+(?:(?:the|a|an|this|that)\s+)?"
    # (not a number and a word joined, "a 20-year term", "a 3-day hold": no code)
    r"(?:[a-z]+\s+)?#?(?P<code>(?!\d+-[a-z]+\b)(?=[\w-]*\d)(?=[\w-]*[A-Za-z_])[A-Za-z0-9][\w-]{3,}"
    r"|\d{6,})\b",
    re.IGNORECASE,
)


def _object_code(spec: ToolSpec, action: str, taken: dict[str, str]) -> dict[str, str]:
    """ "Track 1Z999AA10123456784": a code the step acts on, written right after its verb,
    is the tool's one required id (number, code, reference) nothing else filled."""
    match = _OBJECT_CODE.match(action.strip())
    if match is None:
        return {}
    properties = spec.input_properties()
    wanted = [
        name
        for name in spec.required_inputs()
        if name not in taken
        and split_identifier(name)[-1:]
        and split_identifier(name)[-1] in _CODE_SUFFIXES
        and "string" in (schema_types(unwrap_nullable(properties.get(name) or {})) or set())
    ]
    if len(wanted) != 1 or any(
        split_identifier(name)[-1:] and split_identifier(name)[-1] in _CODE_SUFFIXES
        for name in taken
    ):
        return {}
    return {wanted[0]: json.dumps(match.group("code"))}


#: The last word of an input that names who a thing comes from ("supplier", `vendor_name`;
#: "request the transcript from Lincoln High School": `school`).
_SOURCE_NOUNS = frozenset(
    {"supplier", "vendor", "seller", "wholesaler", "distributor", "school", "college",
     "university", "institution", "lab", "laboratory", "provider"}
)
#: "order 2 of ALT-5540 from Parts4U": a name (a capital, or a digit in it) after "from"
_FROM_A_NAME = re.compile(
    r"\bfrom\s+(?P<name>(?=[\w&.-]*[A-Z0-9])[A-Za-z0-9][\w&.-]*(?:\s+[A-Z][\w&.-]*){0,2})"
    r"(?=\s*(?:[,;.!?]|$|\b(?:and|then|by|for|at|on|before|after|if)\b))"
)


#: Words of an input's name that make it a count of people (`headcount`, `party_size`).
_PEOPLE_COUNTS = frozenset(
    {"headcount", "guests", "guest", "attendees", "people", "pax", "covers", "diners", "party"}
)
#: "120 people", "30 guests", "for 60 people": how many people a thing is for
_PEOPLE_COUNTED = re.compile(
    r"\b(?P<count>\d{1,5})\s+(?:people|persons|guests|attendees|pax|covers|diners|heads)\b",
    re.IGNORECASE,
)


def _people_counted(
    properties: dict[str, Any], action: str | None, taken: dict[str, str]
) -> dict[str, str]:
    """ "new catering order: Acme Corp, 2027-04-18, 120 people": the number said of people
    is the one integer input named for how many there are (`headcount`), not asked of the
    run."""
    wanted = [
        name
        for name, schema in properties.items()
        if name not in taken
        and "integer" in (schema_types(unwrap_nullable(schema)) or set())
        and set(split_identifier(name)) & _PEOPLE_COUNTS
    ]
    found = _PEOPLE_COUNTED.findall(action or "")
    if len(wanted) != 1 or len(found) != 1:
        return {}
    return {wanted[0]: found[0]}


#: The last word of an input that names whom a thing is made for (`client`, `company`).
_CLIENT_NOUNS = frozenset({"client", "customer", "company", "organisation", "organization"})
#: "create an order for Globex, ...": a capitalised name (no code) after "for"
_FOR_A_NAME = re.compile(
    r"\bfor\s+(?P<name>(?-i:[A-Z][a-z][\w&.'-]*(?:\s+[A-Z][\w&.'-]*){0,3}))"
    r"(?=\s*(?:[,;.!?]|$|\b(?:and|then|on|at|by|with|to)\b))"
)


def _client_named_after_for(
    properties: dict[str, Any], action: str | None, taken: dict[str, str]
) -> dict[str, str]:
    """ "create an order for Globex, 30 guests, ...": the name written after "for" is the
    one input named for whom the thing is made (`client`), not asked of the run."""
    wanted = [
        name
        for name, schema in properties.items()
        if name not in taken
        and "string" in (schema_types(unwrap_nullable(schema)) or set())
        and not unwrap_nullable(schema).get("enum")
        and split_identifier(name)[-1:] != ["id"]
        and set(split_identifier(name)) & _CLIENT_NOUNS
    ]
    found = _FOR_A_NAME.findall(action or "")
    if len(wanted) != 1 or len(found) != 1 or json.dumps(found[0]) in taken.values():
        # ("create a lead for Jane Roe, jane@roe.io": the lead's `name`, not its company)
        return {}
    return {wanted[0]: json.dumps(found[0])}


#: "from ST-009" with no "to ...", or "to ST-031" with no "from ...": one end of a move
_ONE_END = re.compile(
    r"^(?!.*\bfrom\s+\S+.*\bto\s+(?-i:[A-Z0-9]))(?!.*\bto\s+\S+.*\bfrom\s)"
    r".*?\b(?P<way>from|to)\s+(?P<code>(?-i:[A-Z][A-Z0-9]*-?[A-Z0-9]*\d[A-Z0-9-]*))(?![\w@.-])",
    re.IGNORECASE,
)
#: "... for them", "book her a consult": the one a step before named
_FOR_THEM = re.compile(r"\b(?:for|book|on|to)\s+(?:them|him|her)\b", re.IGNORECASE)
#: A name written whole: two to four capitalised words ("Rosa Delgado", "Harlan
#: Industries", "Castle Rock LLC"), not the first word of the step, not a code
_FULL_NAME = re.compile(
    r"(?<=\s)(?P<name>(?-i:[A-Z][a-z][\w&'-]*(?:\s+(?:[A-Z][a-z][\w&'-]*|LLC|LLP|Inc\.?|Ltd\.?|"
    r"GmbH|PLC|Co\.)){1,3}))(?![\w@-])"
)
#: Inputs named "..._name" whose first words say it is no person's or company's
_NOT_A_PARTY = frozenset(
    "file first last user display host domain bucket branch sender recipient product item "
    "table field column app project queue channel template".split()
)
#: Capitalised words that are no name's: days, months, places of a street address
_NOT_NAME_WORDS = frozenset(
    "Monday Tuesday Wednesday Thursday Friday Saturday Sunday January February March April "
    "May June July August September October November December Street St Road Rd Avenue Ave "
    "Lane Dr Drive".split()
)


def _names_given(nodes: list[dict[str, Any]]) -> list[str]:
    """The names steps were given in inputs named for one (`party_name`), in order."""
    return [
        value
        for node in nodes
        for name, value in (node.get("inputs") or {}).items()
        if split_identifier(name)[-1:] == ["name"]
        and len(split_identifier(name)) > 1
        and _string_literal(value) is not None
    ]


def _full_name_for_a_name_input(
    properties: dict[str, Any], action: str | None, taken: dict[str, str]
) -> dict[str, str]:
    """ "run a conflict check on Harlan Industries", "book Rosa Delgado an intake
    consult": the one name the step writes whole is the one input named for whose name it
    is (`party_name`, `client_name`), not asked of the run."""
    wanted = [
        name
        for name, schema in properties.items()
        if name not in taken
        and "string" in (schema_types(unwrap_nullable(schema)) or set())
        and not unwrap_nullable(schema).get("enum")
        and split_identifier(name)[-1:] == ["name"]
        and len(split_identifier(name)) > 1
        and not set(split_identifier(name)) & _NOT_A_PARTY
    ]
    if len(wanted) != 1:
        return {}
    used = " ".join(str(value) for value in taken.values())
    found = list(
        dict.fromkeys(
            m["name"]
            for m in _FULL_NAME.finditer(f" {action or ''}")
            if not set(m["name"].split()) & _NOT_NAME_WORDS and m["name"] not in used
        )
    )
    if len(found) != 1:
        return {}
    return {wanted[0]: json.dumps(found[0])}


#: "140 trays of lettuce": a count in a unit, of a thing; "40 whiteflies": a count of a thing
_COUNT_OF_A_THING = re.compile(
    r"\b\d+\s+(?:(?P<unit>[a-z]+)\s+of\s+(?:the\s+)?(?P<of>[a-z]+)|(?P<thing>[a-z]{3,}))\b",
    re.IGNORECASE,
)
#: Inputs named for what is wrong, in words (`issue`, `fault`, `problem`).
_WRONG_WORDS = frozenset({"issue", "problem", "fault", "complaint", "symptom", "symptoms"})


def _texts_left(spec: ToolSpec, taken: Mapping[str, str]) -> list[str]:
    """The required inputs of `spec` that take any words (no list, no format, no id)."""
    properties = spec.input_properties()
    return [
        name
        for name in spec.required_inputs()
        if name not in taken
        and "string" in (schema_types(unwrap_nullable(properties.get(name) or {})) or set())
        and not unwrap_nullable(properties.get(name) or {}).get("enum")
        and not unwrap_nullable(properties.get(name) or {}).get("format")
        and not set(split_identifier(name)) & (_ID_WORDS | {"email", "phone", "date"})
    ]


def _thing_counted(spec: ToolSpec, text: str, taken: Mapping[str, str]) -> dict[str, str]:
    """ "schedule 140 trays of lettuce", "saw 40 whiteflies": what is counted is the one
    required text input left whose name the step does not say (`crop`, `pest`), when the
    count went to an input named for the unit or a count (it was asked of the run)."""
    left = [n for n in _texts_left(spec, taken) if n not in _WRONG_WORDS]
    if len(left) != 1 or left[0].lower() in text.lower():
        return {}
    properties = spec.input_properties()
    for match in _COUNT_OF_A_THING.finditer(text):
        if match["of"] and match["unit"].lower() in {singular(n) for n in properties} | set(
            properties
        ):
            return {left[0]: json.dumps(match["of"].lower())}
        thing = (match["thing"] or "").lower()
        if (
            thing
            and thing not in properties
            and singular(thing) not in properties
            and thing not in STOP_WORDS
            and any(n in taken for n in properties if set(split_identifier(n)) & {"count"})
        ):
            return {left[0]: json.dumps(thing)}
    return {}


def _what_is_wrong_reported(
    spec: ToolSpec, report: str, taken: Mapping[str, str]
) -> dict[str, str]:
    """ "bike B-2291 has a flat rear tyre, open a repair ticket for it": the report said
    first is the one required input named for what is wrong (`issue`), not asked of the
    run."""
    wrong = [n for n in _texts_left(spec, taken) if set(split_identifier(n)) & _WRONG_WORDS]
    if len(wrong) != 1:
        return {}
    return {wrong[0]: json.dumps(report.strip())}


def _supplier_named_after_from(
    properties: dict[str, Any], action: str | None, taken: dict[str, str]
) -> dict[str, str]:
    """ "order 2 of ALT-5540 from Parts4U": the name written after "from" is the tool's
    supplier (an input named for who a thing comes from), not asked of the run. "from the
    supplier" names nobody."""
    wanted = [
        name
        for name, schema in properties.items()
        if name not in taken
        and "string" in (schema_types(unwrap_nullable(schema)) or set())
        and not unwrap_nullable(schema).get("enum")
        and set(split_identifier(name)) & _SOURCE_NOUNS
    ]
    found = _FROM_A_NAME.findall(action or "")
    if len(wanted) != 1 or len(found) != 1 or "@" in found[0]:
        return {}
    return {wanted[0]: json.dumps(found[0].rstrip(".-"))}


def _field_values_said(
    properties: dict[str, Any], text: str, taken: dict[str, str]
) -> dict[str, str]:
    """A value written right after an input's own name: "for period 2026-02", "list
    L-NEWS", "first name Jane", "in namespace staging", "template TPL-NDA". The value
    must look like one: a digit in it, capitals with a dash, a capitalised name for a
    name input, or a plain word after "in/to/for/with/on" and the input's whole name."""
    found: dict[str, str] = {}
    for name, schema in properties.items():
        if name in taken or "string" not in (schema_types(unwrap_nullable(schema)) or set()):
            continue
        if unwrap_nullable(schema).get("enum") or unwrap_nullable(schema).get("format"):
            continue  # a list's values and typed values have their own readers
        words = split_identifier(name)
        coded = bool(words) and words[-1] in _CODE_SUFFIXES
        if coded and len(words) > 1:
            words = words[:-1]  # "list L-NEWS" for list_id
        # (a plain word is a value only of a setting: "in namespace staging", never of an id
        # or of what a step writes: "for the order summary" is no order id)
        plain_ok = not coded and not set(words) & _WRITTEN_INPUTS
        said = r"[\s_-]+".join(re.escape(w) for w in words)
        for match in re.finditer(
            rf"(?P<lead>\b(?:in|to|for|with|on|from|at)\s+(?:the\s+)?)?\b{said}s?"
            r"(?:\s*[:=]\s*|\s+)(?:\"(?P<quoted>[^\"]{1,200})\"|(?P<value>[\w][\w./-]*))",
            text,
            re.IGNORECASE,
        ):
            if match.group("quoted"):
                found[name] = json.dumps(match.group("quoted"))  # 'signer name "Ann"'
                break
            value = match.group("value").rstrip(".-")
            if coded and _no_code_of(name, value, taken):
                continue  # "charge the card 49.99 EUR": the amount, no card's token
            looks = (
                re.search(r"\d", value)
                or re.fullmatch(r"[A-Z]{1,6}(?:[-_][A-Z0-9]+)+", value)
                or re.fullmatch(r"[a-z][a-z0-9]*(?:[-_.][a-z0-9]+)+", value)  # "billing-api"
                or ("name" in words and re.fullmatch(r"[A-Z][a-z'-]+", value))
                or (
                    plain_ok
                    and match.group("lead")
                    and value.islower()
                    and value not in STOP_WORDS
                    and value not in _FUNCTION_VALUES
                )
            )
            if looks:
                found[name] = json.dumps(value)
                break
    return found


_ISO_TIME = re.compile(
    r"\b\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2})?(?:\.\d+)?(?:Z|[+-]\d{2}:?\d{2})?\b"
)
_ISO_DATE = re.compile(r"\b\d{4}-\d{2}-\d{2}\b(?!T)")


def _timestamps_whole(
    properties: Mapping[str, Any], text: str, literals: dict[str, str]
) -> dict[str, str]:
    """ "deliver by 2027-01-12T15:00": a date-time input given the start of a timestamp the
    step writes (a value read up to the colon, "2027-01-12T15") takes the whole of it."""
    for name, literal in list(literals.items()):
        schema = unwrap_nullable(properties.get(name) or {})
        if schema.get("format") != "date-time" or not literal.startswith('"'):
            continue
        value = str(json.loads(literal))
        whole = [t for t in _ISO_TIME.findall(text) if t.startswith(value) and t != value]
        if len(whole) == 1:
            literals[name] = json.dumps(whole[0])
    return literals


def _timestamp_written(
    properties: dict[str, Any], text: str, taken: dict[str, str]
) -> dict[str, str]:
    """ "book it for 2026-03-02T09:00:00Z": the one date-time (or date) input of a step
    takes the one timestamp (or date) the step writes in that form."""
    found: dict[str, str] = {}
    for kind, pattern in (("date-time", _ISO_TIME), ("date", _ISO_DATE)):
        wanted = [
            name
            for name, schema in properties.items()
            if name not in taken
            and (
                unwrap_nullable(schema).get("format") == kind
                or (kind == "date" and _named_a_date(name, unwrap_nullable(schema)))
            )
        ]
        written = pattern.findall(text)
        if kind == "date-time" and not written:
            # "on 2026-12-10 at 15:00": the day and the time, as one timestamp
            written = [
                f"{m['day']}T{int(m['hour']):02d}:{m['minute']}:00"
                for m in _DAY_AT_TIME.finditer(text)
            ]
            if len(wanted) == 1 and len(written) == 1:
                found[wanted[0]] = json.dumps(written[0])
                continue
        if len(wanted) == 1 and len(written) == 1:
            found[wanted[0]] = json.dumps(written[0])
    if not any(unwrap_nullable(schema).get("format") for schema in properties.values()):
        found.update(_start_written(properties, text, {**taken, **found}))
    span = _DATE_RANGE.search(text)
    if span is not None:
        # "from 2026-01-01 to 2026-01-31": a range's start and end inputs
        for name in properties:
            words = set(split_identifier(name))
            if name in taken or name in found:
                continue
            if words & {"start", "from", "begin", "since"}:
                found[name] = json.dumps(span.group("start"))
            elif words & {"end", "to", "until", "through"}:
                found[name] = json.dumps(span.group("end"))
    return found


def _named_a_date(name: str, schema: dict[str, Any]) -> bool:
    """ "free on 2027-03-14": a string input that says no format but is named for a day
    (`date`, `event_date`, `arrival`) takes the day as a date input would."""
    words = split_identifier(name)
    return (
        not schema.get("format")
        and not schema.get("enum")
        and "string" in (schema_types(schema) or {"string"})
        and bool(words)
        # ("arriving 2027-07-02" for an `arrival`: the day of an arrival or a departure)
        and words[-1] in {"date", "day", "arrival", "departure", "checkin", "checkout"}
    )


_DAY_AT_TIME = re.compile(
    r"\b(?P<day>\d{4}-\d{2}-\d{2})\s+(?:at\s+)?(?P<hour>[01]?\d|2[0-3]):(?P<minute>[0-5]\d)\b"
)


def _start_written(properties: dict[str, Any], text: str, taken: dict[str, str]) -> dict[str, str]:
    """ "book them with C-21 at 2027-03-01T08:00", "on 2027-01-14 at 09:30": the one
    moment the step writes is when it starts, for a tool whose one string input named for
    a start (`start`, `start_time`, `scheduled_at`) says no format."""
    wanted = [
        name
        for name, schema in properties.items()
        if name not in taken
        and split_identifier(name)[-1:] in (["start"], ["time"], ["datetime"], ["at"])
        and "string" in (schema_types(unwrap_nullable(schema)) or set())
    ]
    moments = _ISO_TIME.findall(text) or [
        f"{m.group('date')}T{m.group('time')}" for m in _DATE_AT_TIME.finditer(text)
    ]
    if len(wanted) != 1 or len(moments) != 1:
        return {}
    return {wanted[0]: json.dumps(moments[0])}


#: "on 2027-01-14 at 09:30": a date and the time of day after it
_DATE_AT_TIME = re.compile(
    r"\b(?P<date>\d{4}-\d{2}-\d{2})\s+(?:at\s+)?(?P<time>[01]\d:[0-5]\d|2[0-3]:[0-5]\d)\b"
)


_DATE_RANGE = re.compile(
    r"\b(?:from|between)\s+(?P<start>\d{4}-\d{2}-\d{2})\s+(?:to|and|until|through)\s+"
    r"(?P<end>\d{4}-\d{2}-\d{2})\b"
)


_WRITTEN_INPUTS = frozenset(
    "text body message subject title description summary content email url link name note "
    "comment reason".split()
)
#: Words after an input's name that are no value of it ("in namespace and ...").
_FUNCTION_VALUES = frozenset(
    "and or then if when so but by as of is are be it them titled named called saying says "
    "with without which who where that ending starting".split()
)


def _count_literals(
    properties: dict[str, Any], action: str, taken: dict[str, str]
) -> dict[str, str]:
    """ "Summarize the text in 3 sentences": a number before a word of a whole-number
    input's name (`max_sentences`) is that input."""
    literals: dict[str, str] = {}
    said = _NUMBER_WORD.sub(lambda match: _NUMBER_WORDS[match.group(0).lower()], action)
    for number, word in _COUNTED.findall(said):
        for name, schema in properties.items():
            if name in taken or name in literals or schema_types(schema) != {"integer"}:
                continue
            counted = {stem(w) for w in split_identifier(name)} - _COUNT_PREFIXES
            if stem(word) in counted:
                literals[name] = number
                break
    for word, number in _COUNT_AFTER_ITS_NAME.findall(said):
        # ("with a sample of 12": the number after a word of the input's name, `sample_size`)
        for name, schema in properties.items():
            if name in taken or name in literals or schema_types(schema) != {"integer"}:
                continue
            if stem(word) in {stem(w) for w in split_identifier(name)} - _COUNT_PREFIXES:
                literals[name] = number
                break
    units = (
        _UNITS_COUNTED.search(said)
        or _count_of_a_kind(properties, said)
        or _COUNT_OF_A_CODE.search(said)
    )
    if units is not None:
        # "restock 3 units of SKU-1": how many, for the tool's quantity
        literals.update(
            next(
                (
                    {name: units.group("n")}
                    for name, schema in properties.items()
                    if name not in taken
                    and name not in literals
                    and name in _QUANTITY_INPUTS
                    and schema_types(schema) & {"integer", "number"}
                ),
                {},
            )
        )
    return literals


#: "a 1 hour slot", "an hour", "half an hour", "90-minute", "2 days": a length of time
_LENGTH_OF_TIME = re.compile(
    r"(?<![\w.])(?:(?P<half>half\s+an?\s+hour)|(?P<n>\d+(?:\.\d+)?|an?|one)\s*-?\s*"
    r"(?P<unit>hours?|hrs?|minutes?|mins?|seconds?|secs?|days?)\b)",
    re.IGNORECASE,
)
_SECONDS_IN = {
    "second": 1, "sec": 1, "minute": 60, "min": 60, "hour": 3600, "hr": 3600, "day": 86400,
}  # fmt: skip


def _unit_of(word: str) -> str | None:
    word = word.lower()
    return next((unit for unit in _SECONDS_IN if word in (unit, f"{unit}s")), None)


def _unit_described(name: str, schema: Mapping[str, Any]) -> str | None:
    """The unit of a length of time whose name says no unit (`ignore_duration`) and whose
    description does ("Minutes to ignore for")."""
    if not {"duration", "length", "period", "timeout", "ttl"} & set(split_identifier(name)):
        return None
    said = {u for w in re.findall(r"[a-z]+", str(schema.get("description", "")).lower())
            if (u := _unit_of(w))}
    return said.pop() if len(said) == 1 else None


def _duration_in_its_unit(
    properties: dict[str, Any], action: str, taken: dict[str, str]
) -> dict[str, str]:
    """ "Look for a 1 hour slot" for `duration_minutes`: the one length of time the step
    says, in the unit the input's name gives (60), when no number was said in that unit."""
    found = list(_LENGTH_OF_TIME.finditer(action))
    inputs = [
        (name, unit)
        for name, schema in properties.items()
        if name not in taken
        and schema_types(unwrap_nullable(schema)) & {"integer", "number"}
        and (
            unit := next((u for w in split_identifier(name) if (u := _unit_of(w))), None)
            or _unit_described(name, unwrap_nullable(schema))
        )
    ]
    if len(found) != 1 or len(inputs) != 1:
        return {}
    match, (name, unit) = found[0], inputs[0]
    if match.group("half"):
        seconds = 1800.0
    else:
        count = match.group("n").lower()
        amount = 1.0 if count in ("a", "an", "one") else float(count)
        said = _unit_of(match.group("unit"))
        if said is None:
            return {}
        seconds = amount * _SECONDS_IN[said]
    value = seconds / _SECONDS_IN[unit]
    if value != int(value) and "integer" in schema_types(unwrap_nullable(properties[name])):
        return {}
    return {name: str(int(value)) if value == int(value) else repr(value)}


#: "look for a berth", "search for a slot": a step that finds one, not a known one read.
_LOOK_FOR = re.compile(
    r"^(?P<lead>\W*(?:please\s+|pls\s+|can\s+you\s+)?)(?:look|search|hunt)(?:ing)?\s+for\s+"
    r"(?=(?:a|an|some|any)\b)",
    re.IGNORECASE,
)
#: "..., have a manager approve it", "... and get finance to sign off on it": an approval of
#: "it" joined to the step before it by a comma or "and".
_APPROVAL_JOINED_AFTER = re.compile(
    r"(?P<before>[\w)'\"])(?:\s*,\s*|\s+and\s+)(?P<ask>(?:have|get|ask)\s+"
    r"(?:(?:a|an|the|our|my)\s+)?[a-z]+(?:\s+[a-z]+)?\s+(?:to\s+)?(?:approve|sign\s+off\s+on)\s+"
    r"(?:it|them|this|that)\b)",
    re.IGNORECASE,
)
#: What opens a part that is a condition or a loop, not a step.
_OPENS_A_CONDITION = re.compile(
    r"^\W*(?:if|when|whenever|once|unless|for|after|before|in\s+case|as\s+soon)\b", re.I
)


def _approval_then(match: re.Match[str]) -> str:
    """ "validate order Q-3, have a manager approve it" -> "..., then have a manager
    approve it", when what comes before it in its sentence is a step (not a condition:
    "if it's over 500, have a manager approve it" is left as it is)."""
    start = max(match.string.rfind(stop, 0, match.start()) for stop in (".", ";", "!", "?", "\n"))
    part = match.string[start + 1 : match.start() + 1]
    if _OPENS_A_CONDITION.match(part) or re.search(r"\bthen\s*$", part, re.I):
        return match.group(0)
    return f"{match['before']}, then {match['ask']}"


#: "whatever category and priority come back", "whatever score it returns": what the step
#: before gives, said as anything it may be.
_WHATEVER_COMES_BACK = re.compile(
    r"\bwhatever\s+(?P<what>[a-z]+(?:\s*(?:,|and|&)\s*[a-z]+)*?)\s+"
    r"(?:(?:it|they)\s+)?(?:comes?\s+back|came\s+back|(?:it|they)\s+(?:returns?|gives?|gets?))\b",
    re.IGNORECASE,
)
#: Last words of an input's name for a place a thing happens in ("venue", "room").
_VENUE_INPUTS = frozenset("venue room hall location place site stage theatre theater".split())
#: "in Hall B", "at the Odeon", "in the Riverside Room": a place named with capitals.
_IN_A_NAMED_PLACE = re.compile(
    r"\b(?:in|at)\s+(?:the\s+)?(?P<name>(?-i:[A-Z][a-z]+(?:\s+(?:[A-Z][a-z]*|[A-Z0-9]))"
    r"{0,2}))(?![\w@.-])"
)
_NOT_PLACES = frozenset(
    "monday tuesday wednesday thursday friday saturday sunday january february march april may "
    "june july august september october november december noon midnight".split()
)


def _place_named(
    properties: dict[str, Any], action: str, taken: dict[str, str]
) -> dict[str, str]:
    """ "schedule SUB-3002 at the Odeon", "in Hall B": the one place a step names with
    capitals after "in" or "at" is the value of the one input named for a place (`venue`,
    `room`), when nothing else set it (it was asked of the run)."""
    wanted = [
        name
        for name, schema in properties.items()
        if split_identifier(name)[-1:] and split_identifier(name)[-1] in _VENUE_INPUTS
        and "string" in schema_types(unwrap_nullable(schema))
        and not unwrap_nullable(schema).get("enum")
        and not unwrap_nullable(schema).get("format")
    ]
    if len(wanted) != 1 or wanted[0] in taken:
        return {}
    named = {
        m["name"]
        for m in _IN_A_NAMED_PLACE.finditer(action)
        if m["name"].split()[0].lower() not in _NOT_PLACES
    }
    if len(named) != 1:
        return {}
    return {wanted[0]: json.dumps(named.pop())}


#: "adjust the bill by 42.50": a number written with cents, no code around it.
_WITH_CENTS = re.compile(r"(?<![\w.,$€£-])(\d{1,7}\.\d{2})(?![\w.-]|,\d)")


def _cents_written(
    properties: dict[str, Any], action: str, taken: dict[str, str]
) -> dict[str, str]:
    """ "adjust account ACC-20931's bill by 42.50": the one number with cents a step writes
    (no currency said) is the amount of money of the one input named for one, when nothing
    else set it (it was asked of the run)."""
    money = [
        name
        for name, schema in properties.items()
        if set(split_identifier(name)) & {"amount", "price", "cost", "fee", "total"}
        and schema_types(unwrap_nullable(schema)) & {"number"}
    ]
    if len(money) != 1 or money[0] in taken:
        return {}
    written = set(_WITH_CENTS.findall(action))
    if len(written) != 1:
        return {}
    return {money[0]: repr(float(written.pop()))}


#: "trigger an incident on PSVC9: 'checkout 500s spiking'": a quote the step ends on
_QUOTE_AFTER_COLON = re.compile(
    r":\s*(?P<mark>['\"\u201c\u2018])(?P<quote>[^'\"\u201d\u2019\n]{1,160})"
    r"['\"\u201d\u2019]\s*[.!]?\s*$"
)


def _lone_quote_as_heading(
    spec: ToolSpec, clause: Clause, taken: dict[str, str]
) -> dict[str, str]:
    """ "create an issue in acme/api 'Rate limiter returns 500'": the one quote a step that
    makes something writes, with no word naming it, is the heading the tool needs (`title`),
    when the tool needs no other text nothing filled (a body could be the quote too)."""
    if not acts(spec) or len(clause.quoted) != 1:
        return {}
    label, quote = clause.quoted[0][0], clause.quoted[0][1].strip()
    named = {w for name in spec.input_properties() for w in split_identifier(name)}
    if label is not None and (label.lower() in named | _MESSAGE_LABELS | STOP_WORDS):
        return {}  # ("acme/api 'Rate limiter ...'": the word before it names no input)
    if not quote or json.dumps(quote) in taken.values():
        return {}
    properties = spec.input_properties()
    left = [
        name
        for name in spec.required_inputs()
        if name not in taken
        and "string" in schema_types(unwrap_nullable(properties.get(name) or {}))
        and (name in {"title", "subject", "summary", "headline"} or name in _TEXTS_SAID)
    ]
    if left not in (["title"], ["subject"], ["summary"], ["headline"]):
        return {}
    return {left[0]: json.dumps(quote)}


#: Words before a quote that say it is what a message says.
_MESSAGE_LABELS = frozenset(
    "message body text saying says said note comment reason reply content".split()
)
#: Inputs that hold what a message or a comment says.
_TEXTS_SAID = frozenset({"body", "text", "message", "comment", "note", "content"})


def _quote_after_a_colon(spec: ToolSpec, text: str, taken: dict[str, str]) -> dict[str, str]:
    """ "trigger a high urgency incident on service PSVC9: 'checkout 500s spiking'": a quote
    after a colon that ends the step is the one heading input (`title`, `subject`) the tool
    needs and nothing else filled (it was asked of the run)."""
    said = _QUOTE_AFTER_COLON.search(text)
    if said is None:
        return {}
    headings = [
        name
        for name in spec.required_inputs()
        if name in {"title", "subject", "summary", "headline"}
        and schema_types(unwrap_nullable(spec.input_properties().get(name) or {})) == {"string"}
    ]
    if not headings and acts(spec):
        # ("comment on issue 88: 'fixed in v2.3.1'": with no heading, the one text the tool
        # needs, its comment's body)
        headings = [
            name
            for name in spec.required_inputs()
            if name in _TEXTS_SAID
            and schema_types(unwrap_nullable(spec.input_properties().get(name) or {}))
            == {"string"}
        ]
    if len(headings) != 1 or headings[0] in taken:
        return {}
    quote = json.dumps(said["quote"].strip())
    return {} if quote in taken.values() else {headings[0]: quote}


def _quoted_name(
    properties: dict[str, Any], clause: Clause, taken: dict[str, str]
) -> dict[str, str]:
    """ "book berth B-14 for the 'Sea Lark'": a name in quotes (a few words, each with a
    capital) is the value of the one input named for a name of a thing (`vessel_name`),
    when nothing else set it (the vessel's name was looked up from the berth's code)."""
    names = [
        name
        for name, schema in properties.items()
        if len(split_identifier(name)) > 1
        and split_identifier(name)[-1] == "name"
        and "string" in schema_types(unwrap_nullable(schema))
        and not unwrap_nullable(schema).get("enum")
    ]
    if len(names) != 1 or names[0] in taken:
        return {}
    quoted = [
        value
        for label, value in clause.quoted
        # (the word before the quote, "the 'Sea Lark'", or none; not a label of its own)
        if (label is None or label.lower() in STOP_WORDS)
        and 0 < len(value.split()) <= 4
        and all(word[:1].isupper() or word[:1].isdigit() for word in value.split())
    ]
    written = [value for value in quoted if value in clause.text]
    if len(set(written)) != 1 or json.dumps(written[0]) in taken.values():
        return {}
    return {names[0]: json.dumps(written[0])}


#: The units a length or a weight is written in, by the short name an input ends on.
_MEASURE_UNITS = {
    "m": r"m|metres?|meters?",
    "cm": r"cm|centimetres?|centimeters?",
    "mm": r"mm|millimetres?|millimeters?",
    "km": r"km|kilometres?|kilometers?",
    "ft": r"ft|feet|foot|'",
    "kg": r"kg|kgs|kilos?|kilograms?",
    "lb": r"lbs?|pounds?",
    "t": r"t|tonnes?|tons?",
    "l": r"l|litres?|liters?",
}


def _measure_in_its_unit(
    properties: dict[str, Any], action: str, taken: dict[str, str]
) -> dict[str, str]:
    """ "a berth for a 12 m boat" for `length_m`, "a 9.5m yacht": the one number the step
    writes in the unit a number input's name ends on (it was asked of the run)."""
    inputs = [
        (name, split_identifier(name)[-1])
        for name, schema in properties.items()
        if name not in taken
        and len(split_identifier(name)) > 1
        and split_identifier(name)[-1] in _MEASURE_UNITS
        and schema_types(unwrap_nullable(schema)) & {"integer", "number"}
    ]
    if len(inputs) != 1:
        return {}
    name, unit = inputs[0]
    written = re.findall(
        rf"(?<![\w.$€£-])(\d+(?:\.\d+)?)\s*(?:{_MEASURE_UNITS[unit]})(?![\w])", action, re.I
    )
    if len(set(written)) != 1:
        return {}
    value = float(written[0])
    if "integer" in schema_types(unwrap_nullable(properties[name])):
        return {name: str(int(value))} if value == int(value) else {}
    return {name: repr(value)}


#: "3 units", "2 pieces": a number of things, whatever they are.
_UNITS_COUNTED = re.compile(
    r"(?<![\w.$€£-])(?P<n>\d+)\s+(?:units?|pieces?|pcs|copies|items"
    # ("refill rx 4410392, 30 tablets": what is counted, in the plural, is how many)
    r"|(?!(?:seconds|minutes|hours|days|weeks|months|years|times|retries|attempts|tries|"
    r"sentences|words|characters|percent|people|members|users)\b)[a-z]{3,}s)\b"
)
_QUANTITY_INPUTS = frozenset({"quantity", "qty", "units", "count"})
#: "order 2 of ALT-5540", "4 of part BRK-PAD-220": a number, then the code of what is counted
_COUNT_OF_A_CODE = re.compile(
    r"(?<![\w.$€£-])(?P<n>\d{1,4})\s+(?:x\s+)?(?:of\s+)?(?:(?:the\s+)?(?:part|sku|item)s?\s+)?"
    r"#?(?=[A-Za-z0-9-]*\d)(?=[A-Za-z0-9-]*[A-Z])[A-Z0-9][A-Z0-9]*-[A-Z0-9-]*[A-Z0-9]\b"
)
#: "a sample of 12", "sample size 12": a word, then the number it is
_COUNT_AFTER_ITS_NAME = re.compile(
    r"\b([a-z]+)\s+(?:size\s+)?(?:of\s+|:\s*)(\d{1,4})\b(?![.,]\d)", re.IGNORECASE
)


def _count_of_a_kind(properties: dict[str, Any], said: str) -> re.Match[str] | None:
    """ "came in 20 short": a number before a value an input of the tool lists (the kind
    `short`) is how many of that kind, for the tool's quantity."""
    listed = {
        str(value).lower()
        for schema in properties.values()
        for value in unwrap_nullable(schema).get("enum") or []
    }
    for match in re.finditer(r"(?<![\w.$€£-])(?P<n>\d+)\s+(?P<kind>[a-z]+)\b", said, re.I):
        if match["kind"].lower() in listed:
            return match
    return None


_EQUALS = re.compile(r'^(?P<field>[\w.]+) == (?P<value>"[^"]*"|[\w.-]+)$')


def _exclusive(first: str, second: str) -> bool:
    """Whether two conditions name two different values of one field, so can never both
    hold. (Yes/no words such as "if it is ok" read the nearest step's outcome, which says
    nothing read from outside the arm.)"""
    a, b = _EQUALS.match(first), _EQUALS.match(second)
    if a and b and a["field"] == b["field"] and a["value"] != b["value"]:
        return True
    return _opposite(first, second)


def _never_or_always(expression: str) -> bool:
    """ "valid && !valid", "x == 'a' || x != 'a'": a test and its negation joined."""
    terms = [t.strip().strip("()").strip() for t in re.split(r"&&|\|\|", expression)]
    if len(terms) < 2:
        return False
    said = set(terms)
    for term in terms:
        unequal = term.replace(" == ", " != ") if " == " in term else None
        if _negated(term) in said or unequal in said:
            return True
    return False


def _opposite(first: str, second: str) -> bool:
    """ "if they exist, ...; if they don't, ...": a yes/no field and its negation."""
    return _negated(first) == second or _negated(second) == first


_FIELD = re.compile(r"[\w.]+")


def _opposite_of(condition: str) -> str:
    """ "!validate_email.valid" -> "validate_email.valid"; anything else negated."""
    if condition.startswith("!") and _FIELD.fullmatch(condition[1:]):
        return condition[1:]
    return _negated(condition) or f"!({condition})"


def _negated(condition: str) -> str | None:
    """ "lookup_user.found" -> "!lookup_user.found" (a bare field only)."""
    return f"!{condition}" if _FIELD.fullmatch(condition) else None


#: "and a summary of the review": what a step makes, said as a thing, asks for that step.
_MADE_THING = re.compile(
    r"^(?:an?|the)\s+(?P<noun>[a-z]+)(?:\s+of\s+(?P<what>.+))?$", re.IGNORECASE
)


def _made_as_step(part: str) -> str:
    """ "a summary of the review" -> "summarize the review" (a noun `MADE_BY` a verb);
    any other part as it is."""
    made = _MADE_THING.match(part)
    if made is None or made.group("noun").lower() not in MADE_BY:
        return part
    return f"{MADE_BY[made.group('noun').lower()]} {made.group('what') or 'it'}"


#: "if charging fails", "if shipping succeeds": a step said by what it does, then how it went
_STEP_WENT = re.compile(
    r"\b(?P<doing>[a-z]+ing)\s+(?:fails?|failed|succeeds?|succeeded|works?|worked|goes\s+through|"
    r"went\s+through|is\s+declined|was\s+declined|errors?)\b",
    re.IGNORECASE,
)


def _done_by(text: str, spec: ToolSpec) -> bool:
    """Whether the condition says how the step of `spec` went by what it does ("if charging
    fails": the step that charges, `process_payment`)."""
    went = _STEP_WENT.search(text)
    if went is None:
        return False
    doing = stem(went.group("doing"))
    return bool(({doing} | synonyms(doing)) & {stem(w) for w in split_identifier(spec.id)})


def _one_field_said(text: str, expression: str) -> bool:
    """Whether `expression` reads one field whose every word `text` says as written ("if
    everything is in stock": `check_inventory.in_stock`; not "if everything succeeds" read as
    an order's `valid`)."""
    fields = re.findall(r"\b[a-z_]+\.([a-z_]+)\b", expression)
    if len(set(fields)) != 1 or re.search(r"&&|\|\|", expression):
        return False
    said = set(re.findall(r"[a-z]+", text.lower()))
    return all(word in said for word in split_identifier(fields[0]))


def _says_the_field(text: str, expression: str) -> bool:
    """Whether a condition speaks of the field it was read as: a word of the field (or a
    synonym), a value it is compared with, or a comparison with a number."""
    if re.search(r'"[^"]*"|\d', expression):
        return True
    said = {stem(w) for w in split_identifier(text)}
    said |= {  # "invalid": valid, "unavailable": available
        stem(w[len(prefix) :])
        for w in split_identifier(text)
        for prefix in ("in", "un", "non", "dis", "im")
        if w.startswith(prefix) and len(w) > len(prefix) + 2
    }
    said |= {s for w in list(said) for s in synonyms(w)}
    fields = {
        stem(w) for name in re.findall(r"\.(\w+)", expression) for w in split_identifier(name)
    }
    return bool(said & fields) or bool(said & {stem(w) for w in _OUTCOME_NOUNS} and fields)


_OUTCOME_NOUNS = ("check", "pass", "fail", "succeed", "work", "good", "fine", "ok", "out")


def _all_synonyms(stems: set[str]) -> set[str]:
    """Every synonym of any of the word stems."""
    return {s for word in stems for s in synonyms(word)}


def _naming_words(spec: ToolSpec) -> set[str]:
    """The word stems that name a tool's step: its id's words and the verb its description
    starts with ("Charge a card for an order": charge)."""
    words = {stem(w) for w in split_identifier(spec.id)}
    first = spec.description.split(maxsplit=1)[:1]
    if first:
        words.add(stem(first[0].lower()))
    return words - {stem(w) for w in STOP_WORDS}


def _joins_items(source: Source) -> bool:
    return ".map(each, each." in source.expression


#: A quote in single quotes with an apostrophe inside one of its words ("didn't")
_QUOTE_WITH_APOSTROPHE = re.compile(
    r"(?<![\w'])'(?P<said>(?=[^'\n\"]*\w'\w)(?:[^'\n\"]|(?<=\w)'(?=\w))+)'(?!\w)"
)
#: A quote in single quotes, whose apostrophes inside words ("didn't") end nothing
_SINGLE_QUOTED = r"(?<!\w)'(?:[^']|(?<=\w)'(?=\w))*'(?!\w)"


def _clean_action(text: str) -> str:
    # ("check if 'my soup was cold' is negative": a quote said of is what "it" would be)
    text = re.sub(rf"(?:[\"“][^\"”]*[\"”]|{_SINGLE_QUOTED})(?=\s+(?:is|was)\b)", "it", text)
    # quoted words are what is said; an apostrophe inside them ("we'll") ends nothing
    text = re.sub(r"[\"“][^\"”]*[\"”]", " ", text)
    text = re.sub(_SINGLE_QUOTED, " ", text)
    return " ".join(text.split())
