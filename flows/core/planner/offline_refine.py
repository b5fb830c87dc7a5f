"""The offline planner's refine: simple instructions to edit operations, no network.

Handled forms (anything else fails with a message that lists them):
- add a step:        "also email the customer", "add calculate tax after validate order",
                     "check inventory before the payment"
- add an approval:   "ask finance to approve payments over 500",
                     "add an approval before create shipment"
- remove a step:     "drop the tax step", "remove send_email"
- rename a step:     "rename check_inventory to stock_check"
- order two steps:   "run create_shipment after process_payment",
                     "don't make send_email wait for summarize_text"
- set an input:      "set the subject of send_email to 'Welcome!'", "make the amount 150"
- change a step:      "charge in EUR instead", "ship express", "send it to kim@x.com instead"
- retry a step:       "retry the payment 3 times", "retry the charge if it fails"
- guard a step:       "only charge it if the order is valid"
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from typing import Any

from flows.core.graph import build_graph
from flows.core.ir import (
    ApprovalNode,
    BranchNode,
    Flow,
    Join,
    MapNode,
    Retry,
    ToolNode,
    ValueNode,
)
from flows.core.planner.base import PlanningError
from flows.core.planner.conditions import resolve_condition
from flows.core.planner.execution import retries_of
from flows.core.planner.lexicon import split_identifier, stem, stems, synonyms
from flows.core.planner.number_words import amounts_in_words_as_digits
from flows.core.planner.offline import FlowBuilder, _slug
from flows.core.planner.phrasing import _APPROVAL as APPROVAL_WORDS
from flows.core.planner.phrasing import (
    Approval,
    Clause,
    assignee_groups,
    assignee_role,
    assignee_users,
    timeout_seconds,
)
from flows.core.planner.recipients import EMAIL_ADDRESS
from flows.core.planner.refine import (
    AddInputField,
    AddNode,
    Connect,
    Disconnect,
    EditOperation,
    RemoveNode,
    Rename,
    SetInput,
    UpdateNode,
    apply_operations,
)
from flows.core.planner.wiring import best_source, output_sources, unwrap_nullable
from flows.core.tools import ToolSpec

_FORMS = (
    "'also <do something>', 'add <step> after|before <step>', 'ask <group> to approve "
    "<step>', 'remove <step>', 'rename <step> to <id>', 'run <step> after <step>', "
    "'set the <input> of <step> to <value>', 'use <listed value> for <step>', '<step> "
    "with <value> instead', 'retry <step> <n> times', 'only <step> if <condition>'"
)
_RENAME = re.compile(
    r"^rename\s+(?:the\s+)?(?P<old>.+?)(?:\s+(?:step|node))?\s+(?:to|as)\s+(?P<new>[\w ]+)$",
    re.IGNORECASE,
)
_REMOVE = re.compile(
    r"^(?:please\s+)?(?:drop|remove|delete|skip|take\s+out|get\s+rid\s+of|no\s+longer)\s+"
    r"(?:the\s+|a\s+|an\s+)?(?P<what>.+?)(?:\s+(?:step|node))?$",
    re.IGNORECASE,
)
#: "don't check stock", "no need to email the customer": a step the flow no longer takes
_NOT_ANYMORE = re.compile(
    r"^(?:please\s+)?(?:don't|do\s+not|no\s+need\s+to|stop|never)\s+(?P<what>(?:(?!\b(?:if|"
    r"unless|when|wait|until)\b).)+?)(?:\s+(?:any\s*more|anymore))?$",
    re.IGNORECASE,
)
_RUN_AFTER = re.compile(
    r"^(?:run|do|make|start)\s+(?:the\s+)?(?P<later>.+?)\s+(?:run\s+|start\s+)?after\s+"
    r"(?:the\s+)?(?P<earlier>.+)$",
    re.IGNORECASE,
)
_NO_WAIT = re.compile(
    r"^(?:don't|do\s+not)\s+(?:make\s+|let\s+)?(?:the\s+)?(?P<later>.+?)\s+wait\s+for\s+"
    r"(?:the\s+)?(?P<earlier>.+)$",
    re.IGNORECASE,
)
_SET = re.compile(
    r"^set\s+(?:the\s+)?(?P<field>\w+)\s+(?:of|for|in)\s+(?:the\s+)?(?P<node>.+?)\s+"
    r"(?:to|=)\s+(?P<value>.+)$",
    re.IGNORECASE,
)
_ADD_PREFIX = re.compile(
    r"^(?:(?:please|also|and|then|additionally|finally)\b[\s,]*)*"
    r"(?:add\s+(?:a\s+|an\s+|another\s+)?(?:step\s+(?:to\s+|that\s+)?)?)?",
    re.IGNORECASE,
)
_POSITION = re.compile(
    r"^(?P<action>.+?)\s+(?P<where>after|before)\s+(?:the\s+|we\s+|you\s+)?(?P<anchor>.+?)$",
    re.IGNORECASE,
)
_APPROVAL_TARGET = re.compile(
    r"\b(?:before|approve|approves|approval\s+(?:of|for)|sign\s+off\s+(?:on\s+)?|for)\s+"
    r"(?:the\s+|any\s+|all\s+|a\s+|an\s+)?(?P<target>[\w ]+)",
    re.IGNORECASE,
)


def offline_operations(
    flow: Flow,
    instruction: str,
    tools: Sequence[ToolSpec],
    joins: Sequence[Join] = (),
    *,
    min_score: float,
) -> list[EditOperation]:
    operations = _operations(flow, instruction, tools, joins, min_score=min_score)
    return operations + _retitled(flow, operations, instruction)


def _operations(
    flow: Flow,
    instruction: str,
    tools: Sequence[ToolSpec],
    joins: Sequence[Join],
    *,
    min_score: float,
) -> list[EditOperation]:
    text = " ".join(amounts_in_words_as_digits(instruction).strip().rstrip(".!").split())
    _refuse_what_is_no_edit(text)
    # "instead of 120 charge 80": the change first, as "charge 80 instead" says it
    text = _INSTEAD_FIRST.sub(r"\g<rest> instead", text)
    # "make the welcome email go to ann@b.com": send it there instead (the words after the
    # step's name were set as its address)
    text = _GOES_TO.sub(_sent_there_instead, text)
    if match := _RENAME.match(text):
        node_id = _find_node(flow, match.group("old"), text)
        new = match.group("new").strip()
        renamed: list[EditOperation] = [Rename(id=node_id, new_id=_slug(new))]
        if new != _slug(new):
            # "rename the charge step to Take payment": the name people read, too
            renamed.append(UpdateNode(id=_slug(new), changes={"title": new}))
        return renamed
    if match := _SET.match(text):
        node_id = _find_node(flow, match.group("node"), text)
        return [
            SetInput(
                node=node_id,
                field=match.group("field"),
                expression=_value_expression(match.group("value")),
            )
        ]
    if (setting := _input_set(flow, text)) is not None:
        return [setting]
    if (match := _SHOULD_BE.match(text)) and (
        setting := _the_one_input_set(flow, f"{match['field']} to {match['value']}")
    ) is not None:
        return [setting]
    if (choice := _choice_said(flow, text, tools)) is not None:
        return [choice]
    if choices := _choices_said(flow, text, tools):
        return list(choices)
    if (retries := _retries_said(flow, text)) is not None:
        return [retries]
    if (copied := _copied_in(flow, text, tools)) is not None:
        return [copied]
    if (choice := _step_with_choice(flow, text, tools)) is not None:
        return [choice]
    if (match := _RUN_AFTER.match(text)) and _node_named(flow, match.group("later"), text):
        return [
            Connect(
                source=_find_node(flow, match.group("earlier"), text),
                target=_find_node(flow, match.group("later"), text),
            )
        ]
    if match := _NO_WAIT.match(text):
        return [
            Disconnect(
                source=_find_node(flow, match.group("earlier"), text),
                target=_find_node(flow, match.group("later"), text),
            )
        ]
    if match := _MOVE.match(text):
        return _moved(flow, match, text)
    if match := _SWAP.match(text):
        return _swapped(flow, match, tools, joins, min_score=min_score)
    if match := _REMOVE.match(text):
        node_id = _find_node(flow, match.group("what"), text)
        if (approval := _approval_of(flow, node_id)) is not None:
            return _approval_removed(flow, approval, tools, joins, min_score=min_score)
        return _remove(flow, node_id, tools, joins, min_score=min_score)
    if (match := _NOT_ANYMORE.match(text)) and (
        unwanted := _node_named(flow, match.group("what"), text)
    ):
        return _remove(flow, unwanted, tools, joins, min_score=min_score)
    if (guarded := _only_if(flow, text, tools)) is not None:
        return [guarded]
    if (changed := _approval_changed(flow, text)) is not None:
        return [changed]
    if (threshold := _threshold_changed(flow, text)) is not None:
        return [threshold]
    if _INSTEAD.search(text):
        return _replaced(flow, text, tools, joins, min_score=min_score)
    if APPROVAL_WORDS.search(text):
        return _add_approval(flow, text, tools, joins, min_score=min_score)
    _refuse_a_change_of_what_no_step_has(flow, text)
    return _add_steps(flow, text, tools, joins, min_score=min_score)


#: "change the amount to 80", "update the due date to Friday": an input said to change
_CHANGE_OF = re.compile(
    r"^(?:please\s+)?(?:change|update|modify|adjust|set)\s+(?:the\s+)?(?P<field>[a-z][a-z ]{1,30}?)"
    r"\s+(?:to|into)\s+\S",
    re.IGNORECASE,
)


def _refuse_a_change_of_what_no_step_has(flow: Flow, text: str) -> None:
    """ "change the amount to 80" on a flow where no step takes an amount: refused, rather
    than read as a step to add (a tax calculation was added for it)."""
    match = _CHANGE_OF.match(text)
    if match is None:
        return
    field = "_".join(match["field"].lower().split())
    names = {
        name
        for node in flow.nodes
        for held in (getattr(node, "inputs", None), getattr(node, "context", None))
        for name in held or {}
    }
    if any(field in name.split("_") or name.startswith(field) for name in names):
        return
    raise PlanningError(
        "unmapped_step",
        f"No step of this flow takes {match['field']!r}, so there is nothing to change. "
        f"Add the step that uses it first; the offline planner handles: {_FORMS}.",
        step=text,
    )


#: "what does this flow do?", "undo": not an edit; said so, rather than "no tool matches"
#: ("can you also email me?" asks for an edit)
_QUESTION = re.compile(r"^(?:what|why|how|which|who|does|do|is|are)\b.*\?$", re.IGNORECASE)
_UNDO = re.compile(r"^(?:undo|revert|roll\s*back|go\s+back)\b", re.IGNORECASE)


def _refuse_what_is_no_edit(text: str) -> None:
    if _UNDO.match(text):
        raise PlanningError(
            "unmapped_step",
            "Refine makes a new version of the flow; to go back, open Versions and restore "
            "the one before.",
            step=text,
        )
    if _QUESTION.match(text):
        raise PlanningError(
            "unmapped_step",
            f"Refine changes the flow; it does not answer questions. Each step's card and "
            f"inputs say what it does. Ask for a change instead: {_FORMS}.",
            step=text,
        )


#: "instead of 120, charge 80", "instead of team@x.com email sales@x.com"
_INSTEAD_FIRST = re.compile(
    r"^instead\s+of\s+(?:[\w.@$€£-]+(?:\s*,\s*|\s+))(?P<rest>(?!instead\b).+)$", re.IGNORECASE
)
#: "make the welcome email go to ann@b.com", "have the receipt sent to bo@x.com"
_GOES_TO = re.compile(
    r"^(?:please\s+)?(?:make|have|let)\s+(?P<what>.+?)\s+(?:go|be\s+sent|get\s+sent|sent)\s+"
    r"to\s+(?P<to>[\w.+-]+@[\w-]+(?:\.[\w-]+)+)(?P<rest>.*)$",
    re.IGNORECASE,
)


def _sent_there_instead(match: re.Match[str]) -> str:
    rest = match["rest"] if _INSTEAD.search(match["rest"]) else f"{match['rest']} instead"
    return f"send {match['what']} to {match['to']}{rest}"


#: "amount should be 99.99", "the currency is EUR", "subject = Hello"
_SHOULD_BE = re.compile(
    r"^(?:the\s+)?(?P<field>[a-z][\w ]{0,40}?)\s+(?:should\s+be|must\s+be|is|=)\s+(?P<value>.+)$",
    re.IGNORECASE,
)
#: "move the email after validation", "put the ticket before the email"
_MOVE = re.compile(
    r"^(?:please\s+)?(?:move|put|place)\s+(?:the\s+)?(?P<what>.+?)(?:\s+(?:step|node))?\s+"
    r"(?P<where>before|after)\s+(?:the\s+)?(?P<anchor>.+)$",
    re.IGNORECASE,
)


def _moved(flow: Flow, match: re.Match[str], text: str) -> list[EditOperation]:
    """One step made to wait for another, or another for it; refused when the step that
    should come first waits for the other or uses its result."""
    what = _find_node(flow, match["what"], text)
    anchor = _find_node(flow, match["anchor"], text)
    if what == anchor:
        raise PlanningError("unmapped_step", f"Both name the same step, {what}.", step=text)
    first, then = (what, anchor) if match["where"].lower() == "before" else (anchor, what)
    graph = build_graph(flow)
    if first in graph.ancestors(then):
        raise PlanningError(
            "unmapped_step", f"{then} already runs after {first}: nothing to change.", step=text
        )
    if then in graph.ancestors(first):
        raise PlanningError(
            "unmapped_step",
            f"{first} cannot run before {then}: it waits for {then} or uses its result. "
            f"Change what {first} reads first.",
            step=text,
        )
    return [Connect(source=first, target=then)]


#: "swap the email for a ticket", "replace the email with a ticket"
_SWAP = re.compile(
    r"^(?:please\s+)?(?:(?:swap|switch|exchange)\s+(?:the\s+)?(?P<old>.+?)\s+(?:for|with)"
    r"|replace\s+(?:the\s+)?(?P<old2>.+?)\s+(?:with|by))\s+(?P<new>.+)$",
    re.IGNORECASE,
)


def _swapped(
    flow: Flow,
    match: re.Match[str],
    tools: Sequence[ToolSpec],
    joins: Sequence[Join],
    *,
    min_score: float,
) -> list[EditOperation]:
    """The step named, removed, and the new one planned where it was: after what it
    waited for, before what waited for it."""
    text = match.group(0)
    old = _find_node(flow, match["old"] or match["old2"], text)
    graph = build_graph(flow)
    waited_for = [n for n in graph.order if n in graph.dependencies[old]]
    dependents = [n for n in graph.order if n in graph.dependents[old]]
    operations = _remove(flow, old, tools, joins, min_score=min_score)
    removed = apply_operations(flow, operations)
    where = f" after {waited_for[-1]}" if waited_for else (
        f" before {dependents[0]}" if dependents else ""
    )
    added = _add_steps(removed, f"{match['new']}{where}", tools, joins, min_score=min_score)
    return operations + added


#: "only charge it if the order is valid", "ship it only when it's in stock": a step of the
#: flow that runs only when a condition its steps before can tell holds
_ONLY_IF = re.compile(
    r"^(?:only\s+(?P<step>.+?)|(?P<step2>.+?)\s+only)\s+(?:if|when)\s+(?P<condition>.+)$",
    re.IGNORECASE,
)


def _only_if(flow: Flow, text: str, tools: Sequence[ToolSpec]) -> UpdateNode | None:
    """The step said, guarded (`when`) by the condition, read over what the steps it waits
    for return; None when no step is named or nothing before it tells the condition (then
    it is read as a step to add). Without it, "only charge it if the order is valid" added
    a second charge after the first."""
    match = _ONLY_IF.match(text)
    if match is None:
        return None
    node_id = _node_named(flow, match["step"] or match["step2"], text)
    if node_id is None:
        return None
    specs = {tool.id: tool for tool in tools}
    before = build_graph(flow).ancestors(node_id)
    sources = [
        source
        for node in flow.nodes
        if node.id in before and isinstance(node, ToolNode) and node.tool in specs
        for source in output_sources(node.id, specs[node.tool].output_schema)
    ]
    resolved = resolve_condition(match["condition"], sources)
    if resolved is None or resolved.new_input is not None:
        # (planning the step again under the condition would do it twice)
        raise PlanningError(
            "unmapped_condition",
            f"Could not refine {node_id}: no step it waits for tells whether "
            f"{match['condition'].strip()!r}. Add the step that tells it first (e.g. 'check "
            f"... before {node_id}'), then say when {node_id} runs.",
            step=text,
            details={"reason": "unbound_condition", "node": node_id},
        )
    node = next(node for node in flow.nodes if node.id == node_id)
    guard = resolved.expression if not node.when else f"({node.when}) && ({resolved.expression})"
    return UpdateNode(id=node_id, changes={"when": guard})


#: "make the payment currency EUR", "change the tax country to DE", "use EUR as the
#: payment's currency": an input of a step given a value, said without "set ... of ..."
_SET_SAID = re.compile(
    r"^(?:please\s+)?(?:set|change|make|switch|update)\s+(?:the\s+)?(?P<rest>.+)$"
    r"|^(?:please\s+)?use\s+(?P<value>.+?)\s+(?:as|for)\s+(?:the\s+)?(?P<target>.+)$",
    re.IGNORECASE,
)


def _input_set(flow: Flow, text: str) -> SetInput | None:
    """A `SetInput` for an instruction that names a step, one of its inputs and a value in
    another order than `_SET`'s, or None (then it is read as a step to add: "make a
    ticket")."""
    match = _SET_SAID.match(text)
    if match is None:
        return None
    if match.group("value") is not None:
        # "use EUR as the payment's currency", "use EUR for the currency of the payment"
        target = re.sub(r"'s\b", "", match.group("target"))
        of = re.match(r"^(?P<field>\w+)\s+(?:of|for|in)\s+(?:the\s+)?(?P<node>.+)$", target)
        words = [of["node"], of["field"]] if of else target.rsplit(" ", 1)
        if len(words) != 2:
            return None
        return _setting(flow, words[0], words[1], match.group("value"), text)
    # "make the payment currency EUR", "change the tax country to DE"
    words = re.sub(r"'s\b", "", match.group("rest")).split()
    for at in range(1, len(words) - 1):
        value = " ".join(words[at + 1 :])
        value = re.sub(r"^(?:to|=|into|as)\s+", "", value, flags=re.IGNORECASE)
        found = _setting(flow, " ".join(words[:at]), words[at], value, text)
        if found is not None:
            return found
    return _the_one_input_set(flow, match.group("rest"))


#: "the address to 9 Oak Lane, Austin, TX 78701", "the carrier to fedex": an input, then
#: its value, with no step named
_FIELD_TO_VALUE = re.compile(
    r"^(?P<field>[a-z][\w ]{0,40}?)\s+(?:(?:to|=|into|as)\s+(?P<value>.+)"
    # "the amount 150", "the currency EUR": a value of one word needs no "to"
    r"|(?P<bare>[$€£]?\d[\d.,]*|[A-Z][A-Z0-9-]+))$",
    re.IGNORECASE,
)


def _the_one_input_set(flow: Flow, said: str) -> SetInput | None:
    """ "Change the address to 9 Oak Lane, Austin": the input of that name of the one step
    that has it, set to the value; None when no step, or several, have it."""
    match = _FIELD_TO_VALUE.match(said.strip())
    if match is None:
        return None
    field = "_".join(match["field"].lower().split())
    having = [
        (node.id, name, value)
        for node in flow.nodes
        for name, value in (getattr(node, "inputs", None) or {}).items()
        if name in (field, f"{field}_id")  # "the order" is its order_id
    ]
    if len(having) > 1:
        # "change the order to 43": the step the code was written into; the others read
        # it from that step
        having = [found for found in having if _is_literal(found[2])]
    if len(having) != 1:
        return None
    node_id, name, current = having[0]
    expression = _value_expression(match["value"] or match["bare"])
    return SetInput(node=node_id, field=name, expression=_typed_like(expression, current))


def _typed_like(expression: str, current: Any) -> str:
    """A number said for an input that holds text ("change the order to 43", where the
    order id is "42") is that text."""
    if _is_literal(current) and isinstance(json.loads(str(current)), str):
        value = json.loads(expression) if _is_literal(expression) else None
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            return json.dumps(expression)
    return expression


def _is_literal(expression: Any) -> bool:
    """Whether an input's expression is a value written into the flow (not read from a
    step or the run's input)."""
    try:
        json.loads(str(expression))
    except ValueError:
        return False
    return True


#: "use DHL for shipping", "switch to express", "go with fedex": one of the values an input
#: of a step takes, said without the input's name.
_CHOICE_SAID = re.compile(
    r"^(?:please\s+)?(?:use|switch\s+to|change\s+(?:it\s+)?to|go\s+with|pick|choose|make\s+it)\s+"
    r"(?P<value>[\w-]+)(?:\s+(?:for|as|on|in|when)\s+(?:the\s+)?(?P<target>.+))?$",
    re.IGNORECASE,
)


def _choice_said(flow: Flow, text: str, tools: Sequence[ToolSpec]) -> SetInput | None:
    """A `SetInput` for the one input of the step said (or of any step, when one only takes
    it) whose listed values include the value named; None when no input, or more than one,
    does. Without it, "use DHL for shipping" added a second shipment."""
    match = _CHOICE_SAID.match(text)
    if match is None:
        return None
    said = match.group("value").lower()
    specs = {spec.id: spec for spec in tools}
    named = _node_named(flow, match.group("target"), text) if match.group("target") else None
    found: list[tuple[str, str, Any]] = []
    for node in flow.nodes:
        spec = specs.get(getattr(node, "tool", "") or "")
        if spec is None or (named is not None and node.id != named):
            continue
        for field, schema in spec.input_properties().items():
            listed = unwrap_nullable(schema).get("enum")  # (an optional carrier too)
            value = next((v for v in listed or () if str(v).lower() == said), None)
            if value is not None:
                found.append((node.id, field, value))
    if not found and re.fullmatch(r"[A-Z]{3}", match.group("value")):
        # "use GBP": a currency code, for the one step that takes a currency
        found = [
            (node.id, "currency", match.group("value"))
            for node in flow.nodes
            if "currency" in (getattr(node, "inputs", None) or {})
            and (named is None or node.id == named)
        ]
    if len(found) != 1:
        return None
    node_id, field, value = found[0]
    return SetInput(node=node_id, field=field, expression=json.dumps(value))


#: "ship express", "ship it via fedex", "send it by dhl": the step's own verb, then a value
#: one of its inputs lists
_STEP_WITH_CHOICE = re.compile(
    r"^(?:please\s+)?(?P<step>[a-z]+(?:\s+(?:it|them))?)\s+(?:(?:via|by|with|using)\s+)?"
    r"(?P<value>[\w-]+)$",
    re.IGNORECASE,
)


def _step_with_choice(flow: Flow, text: str, tools: Sequence[ToolSpec]) -> SetInput | None:
    """A listed value said after the verb of the step that takes it: that step's input,
    not a second step ("ship express" added a second shipment)."""
    match = _STEP_WITH_CHOICE.match(text)
    if match is None:
        return None
    verb = match["step"].split()[0]
    named = _node_named(flow, verb, text)
    if named is None:
        return None
    return _choice_said(flow, f"use {match['value']} for {named}", tools) or _choice_said(
        flow, f"use {match['value']}", tools  # "send it by fedex": the one step listing it
    )


#: "use UPS express", "switch to fedex overnight": two listed values, said together
_CHOICES_SAID = re.compile(
    r"^(?:please\s+)?(?:use|switch\s+to|change\s+(?:it\s+)?to|go\s+with|pick|choose|make\s+it)\s+"
    r"(?P<first>[\w-]+)\s+(?:and\s+)?(?P<second>[\w-]+)$",
    re.IGNORECASE,
)


def _choices_said(flow: Flow, text: str, tools: Sequence[ToolSpec]) -> list[SetInput]:
    """ "Use UPS express": each word a value one input lists (the carrier, the service);
    none unless both are."""
    match = _CHOICES_SAID.match(text)
    if match is None:
        return []
    verb = text[: match.start("first")].strip()
    settings = [_choice_said(flow, f"{verb} {match[word]}", tools) for word in ("first", "second")]
    if any(setting is None for setting in settings):
        return []
    return [setting for setting in settings if setting is not None]


#: "retry the payment 3 times", "retry charging up to 5 times": the attempts of a step.
_RETRIES_SAID = re.compile(
    r"^(?:please\s+)?(?:retry|re-try)\s+(?:the\s+)?(?P<node>.+?)"
    r"(?:\s+(?:up\s+to\s+)?(?P<count>\d+|once|twice|three|four|five|a\s+few|a\s+couple(?:\s+of)?|"
    r"several)\s*(?:times?|x)?)?"
    r"(?P<why>\s+(?:on\s+(?:errors?|failures?)|(?:if|when)\s+(?:it|they)\s+(?:fails?|errors?)|"
    r"(?:if|when|as)\s+(?:needed|necessary)))?$",
    re.IGNORECASE,
)
#: The most attempts a step's retry policy allows (`Retry.max_attempts`).
_MAX_ATTEMPTS = 20


def _retries_said(flow: Flow, text: str) -> UpdateNode | None:
    """Retries of a tool step the instruction names: its attempts are the first and the
    retries ("retry the payment 3 times": 4 in all; "retry the charge if it fails": the
    planner's default). Without it, a second payment was added."""
    match = _RETRIES_SAID.match(text)
    if match is None or not (match.group("count") or match.group("why")):
        return None
    node_id = _node_named(flow, match.group("node"), text)
    node = next((n for n in flow.nodes if n.id == node_id), None)
    if not isinstance(node, ToolNode | MapNode):  # a map retries each item's call
        return None
    retry = node.retry or Retry()
    attempts = min(retries_of(match.group("count")) + 1, _MAX_ATTEMPTS)
    return UpdateNode(
        id=node_id, changes={"retry": {**retry.model_dump(), "max_attempts": attempts}}
    )


def _setting(flow: Flow, node_words: str, field: str, value: str, text: str) -> SetInput | None:
    """The input `field` of the step `node_words` names, set to `value`, if it has it."""
    having = [n for n in flow.nodes if field.lower() in (getattr(n, "inputs", None) or {})]
    # "the ticket category": of the steps the words could name, the one with a category
    node_id = _node_named(flow, node_words, text, among=having) or _node_named(
        flow, node_words, text
    )
    if node_id is None:
        return None
    node = next(node for node in flow.nodes if node.id == node_id)
    inputs = getattr(node, "inputs", None)
    if not isinstance(inputs, dict) or not value.strip():
        return None
    field = field.lower()
    if field not in inputs:
        return None
    expression = _typed_like(_value_expression(value), inputs[field])
    return SetInput(node=node_id, field=field, expression=expression)


def _node_named(
    flow: Flow, words: str, instruction: str, among: Sequence[Any] | None = None
) -> str | None:
    """The step `words` name (of `among`, when given), or None ("make a ticket after the
    payment" names none: a step to add)."""
    try:
        return _find_node(flow, words, instruction, among)
    except PlanningError:
        return None


def _find_node(
    flow: Flow, words: str, instruction: str, among: Sequence[Any] | None = None
) -> str:
    """The node a phrase names: its id, or the best overlap with its id, tool and title."""
    phrase = words.strip().strip("'\"`").lower()
    candidate = _slug(phrase)
    nodes = flow.nodes if among is None else list(among)
    ids = [node.id for node in nodes]
    if candidate in ids:
        return candidate
    named = [word for word in re.findall(r"[\w-]+", phrase) if word in ids]
    if len(named) == 1:
        return named[0]  # ("the if_valid branch": the id written in it)
    query = set(stems(phrase))
    related = query | {s for word in query for s in synonyms(word)}
    best: tuple[float, str] | None = None
    for position, node in enumerate(nodes):
        names = [node.id, getattr(node, "tool", ""), node.title or ""]
        node_stems = {stem(w) for name in names for w in split_identifier(name)}
        score = 2.0 * len(query & node_stems) + 1.0 * len((related - query) & node_stems)
        if score <= 0:
            continue
        key = score - position * 0.001  # ties: the earlier node
        if best is None or key > best[0]:
            best = (key, node.id)
    if best is None:
        raise PlanningError(
            "unmapped_step",
            f"Could not tell which step {words.strip()!r} means in {instruction!r}; use a "
            f"node id ({', '.join(ids)}).",
            step=instruction,
        )
    return best[1]


def _value_expression(value: str) -> str:
    value = value.strip()
    quoted = re.fullmatch(r"[\"“'](.*)[\"”']", value, re.DOTALL)
    if quoted:
        return json.dumps(quoted.group(1))
    if re.fullmatch(r"-?\d+(?:\.\d+)?|true|false|null", value):
        return value
    if money := re.fullmatch(r"[$€£]\s?(\d+(?:\.\d+)?)", value):
        return money.group(1)  # "$150": the amount
    if money := re.fullmatch(
        r"(\d+(?:\.\d+)?)\s?(?:dollars?|euros?|pounds?|usd|eur|gbp|bucks)", value, re.I
    ):
        return money.group(1)  # "80 dollars", "80 EUR": the amount
    if re.fullmatch(r"[A-Za-z_]\w*(?:\.[A-Za-z_]\w*)+", value):
        return value  # a path such as input.email or lookup_user.user.name
    return json.dumps(value)


def _refuse_removing_what_decides(flow: Flow, node_id: str, dependents: Any) -> None:
    """A branch, or a step's `when`, that tests the removed step's result: the flow would
    not say what to decide on any more; the person says which way it goes instead."""
    reads = re.compile(rf"(?<![\w.]){re.escape(node_id)}\b")
    for dependent in sorted(dependents):
        node = flow.node(dependent)
        tested = getattr(node, "condition", None) or getattr(node, "when", None)
        if isinstance(tested, str) and reads.search(tested):
            raise PlanningError(
                "unmapped_step",
                f"{dependent} decides on the result of {node_id} ({tested}), so {node_id} "
                f"cannot go alone. Remove {dependent} first (or change what it tests), then "
                f"remove {node_id}.",
                step=node_id,
            )


def _remove(
    flow: Flow,
    node_id: str,
    tools: Sequence[ToolSpec],
    joins: Sequence[Join],
    *,
    min_score: float,
) -> list[EditOperation]:
    """Remove a node; what read it is rewired (from other upstream values or the run
    input), and what waited for it waits for what it waited for. Refused when a condition
    decides on its result ("remove the validation" under "if it's valid, ...")."""
    graph = build_graph(flow)
    _refuse_removing_what_decides(flow, node_id, graph.dependents[node_id])
    removed_and_after = {node_id} | {
        other for other in graph.order if node_id in graph.ancestors(other)
    }
    operations: list[EditOperation] = [RemoveNode(id=node_id)]
    spec_by_id = {spec.id: spec for spec in tools}
    added_inputs: set[str] = set()
    for dependent in graph.dependents[node_id]:
        node = flow.node(dependent)
        if isinstance(node, ToolNode | MapNode) and node.tool in spec_by_id:
            spec = spec_by_id[node.tool]
            visible = graph.ancestors(dependent) - removed_and_after
            builder = FlowBuilder(tools, joins, min_score=min_score)
            builder.seed(flow, visible=visible, exits=[])
            sources = builder._sources()
            for field, expression in node.inputs.items():
                if not re.search(rf"(?<![\w.]){re.escape(node_id)}\b", expression):
                    continue
                schema = spec.input_properties().get(field, {})
                match = best_source(field, schema, sources)
                if match is not None:
                    operations.append(
                        SetInput(node=dependent, field=field, expression=match.source.expression)
                    )
                elif field in spec.required_inputs():
                    name = builder._new_input(field, schema, spec)
                    if name not in added_inputs and name not in builder.seeded_inputs:
                        added_inputs.add(name)
                        operations.append(
                            AddInputField(
                                name=name,
                                field_schema=builder.input_properties[name],
                                required=True,
                            )
                        )
                    operations.append(
                        SetInput(node=dependent, field=field, expression=f"input.{name}")
                    )
                else:
                    operations.append(SetInput(node=dependent, field=field, expression=None))
        for before in graph.dependencies[node_id]:
            if before not in graph.dependencies[dependent] and before != dependent:
                operations.append(Connect(source=before, target=dependent))
    return operations


def _approval_of(flow: Flow, node_id: str) -> str | None:
    """The approval `node_id` is, or whose gate it is (the value node that lets its
    dependents through when the approval passed or was not needed)."""
    node = flow.node(node_id)
    if isinstance(node, ApprovalNode):
        return node_id
    if isinstance(node, ValueNode) and node.when:
        gated = [
            n.id
            for n in flow.nodes
            if isinstance(n, ApprovalNode)
            and re.search(rf"\b{re.escape(n.id)}\.approved\b", node.when)
        ]
        if len(gated) == 1:
            return gated[0]
    return None


def _approval_removed(
    flow: Flow,
    approval: str,
    tools: Sequence[ToolSpec],
    joins: Sequence[Join],
    *,
    min_score: float,
) -> list[EditOperation]:
    """The approval and its gate, both: removing one alone left a gate on an approval that
    no longer exists, or charged what the approval had rejected."""
    gates = [
        n.id
        for n in flow.nodes
        if n.id != approval and _approval_of(flow, n.id) == approval
    ]
    operations: list[EditOperation] = []
    for node_id in [*gates, approval]:
        step = _remove(flow, node_id, tools, joins, min_score=min_score)
        operations += step
        flow = apply_operations(flow, step)
    return operations


#: "ask finance to approve instead", "have Jane approve it instead", "the approval should
#: time out after 2 days", "give the manager 3 days to approve"
_APPROVAL_CHANGE = re.compile(
    r"\binstead\b|\b(?:time\s*out|expire|lapse)s?\b|\b\d+\s+(?:minute|hour|day|week)s?\s+to\s+"
    r"(?:approve|decide|respond)",
    re.IGNORECASE,
)


def _approval_changed(flow: Flow, text: str) -> UpdateNode | None:
    """Who decides the flow's one approval, or how long they have; None unless the
    instruction speaks of approving and the flow has exactly one approval."""
    approvals = [node for node in flow.nodes if isinstance(node, ApprovalNode)]
    if len(approvals) != 1 or not APPROVAL_WORDS.search(text) or not _APPROVAL_CHANGE.search(
        text
    ):
        return None
    changes: dict[str, Any] = {}
    groups, users = assignee_groups(text), assignee_users(text)
    if _INSTEAD.search(text) and (groups or users):
        changes["assignees"] = {"groups": groups, "users": users}
        role = assignee_role(text)
        if users and not groups:
            changes["title"] = f"Approval by {', '.join(u[:1].upper() + u[1:] for u in users)}"
        elif role:
            changes["title"] = f"{role[:1].upper()}{role[1:]} approval"
    seconds = timeout_seconds(text) or _decision_time(text)
    if seconds is not None:
        changes["timeout_s"] = seconds
    return UpdateNode(id=approvals[0].id, changes=changes) if changes else None


_DECISION_TIME = re.compile(
    r"\b(?:after|in|within)\s+(?P<count>\d+)\s*(?P<unit>minute|hour|day|week)s?\b"
    r"|\b(?P<count2>\d+)\s*(?P<unit2>minute|hour|day|week)s?\s+to\s+(?:approve|decide|respond)",
    re.IGNORECASE,
)
_UNIT_SECONDS = {"minute": 60.0, "hour": 3600.0, "day": 86400.0, "week": 7 * 86400.0}


def _decision_time(text: str) -> float | None:
    """ "time out after 2 days", "give them 3 hours to approve": the seconds said."""
    match = _DECISION_TIME.search(text)
    if match is None:
        return None
    count, unit = match["count"] or match["count2"], match["unit"] or match["unit2"]
    return int(count) * _UNIT_SECONDS[unit.lower()]


#: "make the threshold 1000", "raise the limit to $2,000": the one amount a condition
#: compares with
_THRESHOLD = re.compile(
    r"^(?:please\s+)?(?:make|change|set|raise|lower|move|update|increase|decrease)\s+(?:the\s+)?"
    r"(?:threshold|limit|cut-?off|amount\s+limit)\s+(?:to\s+)?[$€£]?(?P<value>\d[\d,]*(?:\.\d+)?)$",
    re.IGNORECASE,
)
_COMPARED = re.compile(r"(?P<op>[<>]=?)\s*(?P<value>\d+(?:\.\d+)?)")


def _threshold_changed(flow: Flow, text: str) -> UpdateNode | None:
    """The one number the flow's conditions compare with, changed; None when there are
    none or several (the instruction must then name the step)."""
    match = _THRESHOLD.match(text)
    if match is None:
        return None
    compared = [
        (node.id, found)
        for node in flow.nodes
        for found in _COMPARED.finditer(node.when or "")
    ]
    if len({found["value"] for _, found in compared}) != 1:
        return None
    value = float(match["value"].replace(",", ""))
    node_id, found = compared[0]
    when = flow.node(node_id).when or ""
    new = f"{when[: found.start('value')]}{value}{when[found.end('value') :]}"
    return UpdateNode(id=node_id, changes={"when": new})


#: "also cc bob@x.com on the receipt", "copy ops@x.com and me@x.com in on the email"
_CC = re.compile(
    r"^(?:please\s+)?(?:also\s+)?(?:cc|copy|bcc|add)\s+(?P<who>[\w.+@\s,-]+?)\s+"
    r"(?:in\s+)?(?:on|in|to|into)\s+(?:the\s+)?(?P<what>.+?)(?:\s+too|\s+as\s+well)?$",
    re.IGNORECASE,
)


def _copied_in(flow: Flow, text: str, tools: Sequence[ToolSpec]) -> SetInput | None:
    """ "also cc bob@x.com on the receipt": the addresses added to the `cc` list of the step
    that sends it (it was refused: no tool does "cc")."""
    match = _CC.match(text)
    if match is None:
        return None
    addresses = EMAIL_ADDRESS.findall(match["who"])
    if not addresses or EMAIL_ADDRESS.sub("", match["who"]).strip(" ,") not in ("", "and"):
        return None
    specs = {spec.id: spec for spec in tools}
    copying = [
        node
        for node in flow.nodes
        if isinstance(node, ToolNode)
        and node.tool in specs
        and "cc" in specs[node.tool].input_properties()
    ]
    if not copying:
        return None
    node_id = _find_node(flow, match["what"], text, among=copying)
    node = flow.node(node_id)
    assert isinstance(node, ToolNode)
    held = node.inputs.get("cc")
    listed = json.loads(held) if held and held.startswith("[") and _is_literal(held) else []
    if held and not listed:
        return None  # (a list read from elsewhere: said with set, not added to here)
    cc = list(dict.fromkeys([*listed, *(a.rstrip(".") for a in addresses)]))
    return SetInput(node=node_id, field="cc", expression=json.dumps(cc))


def _add_approval(
    flow: Flow,
    text: str,
    tools: Sequence[ToolSpec],
    joins: Sequence[Join],
    *,
    min_score: float,
) -> list[EditOperation]:
    target = _approval_target(flow, text)
    graph = build_graph(flow)
    builder = FlowBuilder(tools, joins, min_score=min_score)
    builder.approval_only = True
    builder.seed(flow, visible=graph.ancestors(target), exits=list(graph.dependencies[target]))
    clause = Clause(
        number=1,
        text=text,
        action=text,
        sentence=0,
        approval=Approval(
            groups=assignee_groups(text),
            users=assignee_users(text),
            role=assignee_role(text),
            timeout_s=timeout_seconds(text),
        ),
    )
    builder.add_clause(clause)
    builder.materialize_join()
    operations = _amount_the_step_writes(flow.node(target), _additions(builder))
    for exit_id in builder._cursor().exits:
        operations.append(Connect(source=exit_id, target=target))
    return operations


#: Inputs that take a sum of money, by their names
_MONEY_INPUTS = frozenset({"amount", "total", "price", "sum"})


def _amount_the_step_writes(
    step: Any, operations: list[EditOperation]
) -> list[EditOperation]:
    """ "add a manager approval for charges over $100" on "charge it $120": the amount the
    condition compares is the one the charge writes, not a run input that may say another
    (the approval was skipped for "50" while 120 was charged)."""
    written = [
        expression
        for field, expression in (getattr(step, "inputs", None) or {}).items()
        if field in _MONEY_INPUTS
        and re.fullmatch(r"-?\d+(?:\.\d+)?", expression)
    ]
    if len(written) != 1:
        return operations
    replaced: set[str] = set()
    edited: list[EditOperation] = []
    for op in operations:
        when = getattr(op.node, "when", None) if isinstance(op, AddNode) else None
        if isinstance(op, AddNode) and isinstance(op.node, ApprovalNode) and when:
            names = set(re.findall(rf"(?<![\w.])input\.({'|'.join(_MONEY_INPUTS)})\b", when))
            for name in names:
                when = re.sub(rf"(?<![\w.])input\.{name}\b", written[0], when)
            replaced |= names
            op = op.model_copy(update={"node": op.node.model_copy(update={"when": when})})
        edited.append(op)
    still_read = json.dumps([op.model_dump(mode="json") for op in edited])
    return [
        op
        for op in edited
        if not (
            isinstance(op, AddInputField)
            and op.name in replaced
            and f"input.{op.name}" not in still_read
        )
    ]


def _approval_target(flow: Flow, text: str) -> str:
    for match in _APPROVAL_TARGET.finditer(text):
        phrase = re.sub(
            r"\b(?:over|above|under|below|more|less|than|at|least|most)\b.*$",
            "",
            match.group("target"),
            flags=re.IGNORECASE,
        ).strip()
        if phrase and not APPROVAL_WORDS.fullmatch(phrase):
            try:
                return _find_node(flow, phrase, text)
            except PlanningError:
                continue
    raise PlanningError(
        "unmapped_step",
        f"Could not tell which step needs the approval in {text!r}; name it, e.g. 'add an "
        f"approval before {flow.nodes[-1].id}'.",
        step=text,
    )


#: "charge in EUR instead", "send the receipt to bob@x.com instead", "ship to 9 Oak Lane
#: rather than to the office": a step the flow has, done with other values
_INSTEAD = re.compile(r"\s*,?\s*\b(?:instead(?:\s+of\b.*)?|rather\s+than\b.*)$", re.IGNORECASE)


def _replaced(
    flow: Flow,
    text: str,
    tools: Sequence[ToolSpec],
    joins: Sequence[Join],
    *,
    min_score: float,
) -> list[EditOperation]:
    """The values the instruction writes, set on the one step of the flow whose tool the
    instruction, read as a step, would call. Without it, "charge in EUR instead" added a
    second charge after the first."""
    action = _INSTEAD.sub("", text).strip()
    added = [
        op.node
        for op in _add_steps(flow, action, tools, joins, min_score=min_score)
        if isinstance(op, AddNode) and isinstance(op.node, ToolNode)
    ]
    existing = [
        node
        for node in flow.nodes
        if isinstance(node, ToolNode) and added and node.tool == added[0].tool
    ]
    if len(existing) != 1 and (readdressed := _readdressed(flow, action, tools)) is not None:
        return [readdressed]
    if len(added) != 1 or len(existing) != 1:
        raise PlanningError(
            "unmapped_step",
            f"Could not tell which step {text!r} changes; say it as 'set the <input> of "
            f"<step> to <value>'.",
            step=text,
        )
    step, said = existing[0], added[0]
    settings: list[EditOperation] = [
        SetInput(node=step.id, field=field, expression=expression)
        for field, expression in said.inputs.items()
        if _is_literal(expression)
        and expression != step.inputs.get(field)
        and _written_in(json.loads(expression), action)
    ]
    if not settings:
        settings = _number_said_again(step, action)
    if not settings:
        raise PlanningError(
            "unmapped_step",
            f"{text!r} says no value that {step.id} does not already use; say it as 'set "
            f"the <input> of {step.id} to <value>'.",
            step=text,
        )
    return settings


def _number_said_again(step: ToolNode, action: str) -> list[EditOperation]:
    """ "Charge 80 instead": the one number said, for the step's one input holding a number
    written into the flow (the amount)."""
    said = re.findall(r"(?<![\w.-])[$€£]?(\d+(?:\.\d+)?)(?![\w.-])", action)
    numeric = [
        field
        for field, expression in step.inputs.items()
        if _is_literal(expression)
        and isinstance(json.loads(expression), int | float)
        and not isinstance(json.loads(expression), bool)
    ]
    if not numeric:
        # "charge 99.50 instead" of the amount the validation read: the input named for money
        numeric = [field for field in step.inputs if field in _MONEY_INPUTS]
    if len(said) != 1 or len(numeric) != 1:
        return []
    return [SetInput(node=step.id, field=numeric[0], expression=said[0])]



def _readdressed(flow: Flow, action: str, tools: Sequence[ToolSpec]) -> SetInput | None:
    """ "Send it to kim@x.com instead": the one address said, set on the recipient input of
    the step the verb names (read as a step, it was another tool than the flow's)."""
    addresses = EMAIL_ADDRESS.findall(action)
    named = _node_named(flow, action.split()[0], action)
    node = next((n for n in flow.nodes if n.id == named), None)
    if len(addresses) != 1 or not isinstance(node, ToolNode):
        return None
    spec = next((t for t in tools if t.id == node.tool), None)
    if spec is None:
        return None
    fields = [
        field
        for field, schema in spec.input_properties().items()
        if unwrap_nullable(schema).get("format") == "email" or field in ("to", "email")
    ]
    if len(fields) != 1:
        return None
    return SetInput(node=node.id, field=fields[0], expression=json.dumps(addresses[0]))


def _written_in(value: Any, text: str) -> bool:
    """Whether the instruction writes this value (not one the planner chose itself)."""
    if isinstance(value, bool) or value is None or isinstance(value, (list, dict)):
        return False
    if isinstance(value, (int, float)):
        return _said_in(value, text) is not None  # a number as people write it
    return str(value).lower() in text.lower()


#: "validate the order first", "... at the start": before every step the flow starts with
_FIRST = re.compile(
    r"\s+(?:first|at\s+the\s+(?:start|beginning)|before\s+any(?:thing|\s+other\s+step)"
    r"(?:\s+else)?)$",
    re.IGNORECASE,
)


def _into_an_arm_already_there(
    flow: Flow, operations: list[EditOperation]
) -> list[EditOperation]:
    """ "also open a ticket if the email is invalid" on a flow that branches on whether it
    is valid: the ticket goes in that branch's other arm. A branch of its own after the
    flow's last step (the welcome email, which runs only when the email is valid) would
    never have run it."""
    added = [op for op in operations if isinstance(op, AddNode)]
    new = [op.node for op in added if isinstance(op.node, BranchNode)]
    if len(new) != 1 or new[0].else_:
        return operations
    branch, condition = new[0], _bare(new[0].condition)
    arm: tuple[BranchNode, str] | None = None
    for node in flow.nodes:
        if not isinstance(node, BranchNode):
            continue
        if _bare(node.condition) == condition:
            arm = (node, "then")
        elif _bare(node.condition) == _negated(condition) or condition == _negated(
            _bare(node.condition)
        ):
            arm = (node, "else")
    if arm is None:
        return operations
    existing, side = arm
    moved = list(branch.then)
    kept: list[EditOperation] = []
    for op in operations:
        if isinstance(op, AddNode) and op.node.id == branch.id:
            continue
        if isinstance(op, AddNode) and op.node.id in moved:
            after = [existing.id if a == branch.id else a for a in op.node.after]
            op = op.model_copy(update={"node": op.node.model_copy(update={"after": after})})
        kept.append(op)
    arm_now = list(existing.then if side == "then" else existing.else_)
    kept.append(UpdateNode(id=existing.id, changes={side: [*arm_now, *moved]}))
    return kept


def _bare(condition: str) -> str:
    """A condition without spaces or the brackets around it."""
    text = "".join(condition.split())
    while text.startswith("(") and text.endswith(")"):
        text = text[1:-1]
    return text


def _negated(condition: str) -> str:
    """ "x" -> "!x", "!x" -> "x", "!(x)" -> "x" (spaces and outer brackets removed)."""
    if condition.startswith("!"):
        return _bare(condition[1:])
    return f"!{condition}" if re.fullmatch(r"[\w.]+", condition) else f"!({condition})"


def _add_steps(
    flow: Flow,
    text: str,
    tools: Sequence[ToolSpec],
    joins: Sequence[Join],
    *,
    min_score: float,
) -> list[EditOperation]:
    action = _ADD_PREFIX.sub("", text).strip()
    graph = build_graph(flow)
    where, anchor = None, None
    first = _FIRST.search(action)
    starts = [node_id for node_id in graph.order if not graph.dependencies[node_id]]
    position = _POSITION.match(action)
    if first and starts:
        action = action[: first.start()]
        where, anchor = "before", starts[0]
    elif position:
        try:
            anchor = _find_node(flow, position.group("anchor"), text)
            where = position.group("where").lower()
            action = position.group("action")
        except PlanningError:
            anchor = None
    if anchor is None:
        leaves = [node_id for node_id in graph.order if not graph.dependents[node_id]]
        anchor = leaves[-1] if leaves else flow.nodes[-1].id
        where = "after"
    builder = FlowBuilder(tools, joins, min_score=min_score)
    if where == "before":
        exits = list(graph.dependencies[anchor])
        visible = graph.ancestors(anchor)
    else:
        exits = [anchor]
        visible = graph.ancestors(anchor) | {anchor}
    builder.seed(flow, visible=visible, exits=exits)
    clauses = builder.reader.read(action)
    if not clauses:
        raise PlanningError(
            "unmapped_step",
            f"The offline planner does not understand {text!r}. It handles: {_FORMS}.",
            step=text,
        )
    for clause in clauses:
        builder.add_clause(clause)
    builder._end_group()
    builder._close_all()
    operations = _sent_as_before(flow, _additions(builder), visible)
    if position is None and not first:
        operations = _into_an_arm_already_there(flow, operations)
    if not any(isinstance(op, AddNode) for op in operations):
        raise PlanningError(
            "unmapped_step",
            f"Nothing to add for {text!r}. The offline planner handles: {_FORMS}.",
            step=text,
        )
    if where == "before":
        for target in starts if first else [anchor]:
            for exit_id in builder._cursor().exits:
                operations.append(Connect(source=exit_id, target=target))
    return operations


#: What a message step sends, from its title: "Email the receipt to kim@x.com" -> receipt
_THING_SENT = re.compile(
    r"^\s*\w+\s+(?:(?:a|an|the)\s+)?(?:same\s+)?(?P<thing>[\w -]+?)\s+(?:to|for)\b",
    re.IGNORECASE,
)


def _thing_sent(title: str | None) -> str | None:
    match = _THING_SENT.match(title or "")
    return match["thing"].lower() if match else None


def _sent_as_before(
    flow: Flow, operations: list[EditOperation], visible: set[str]
) -> list[EditOperation]:
    """ "also email the receipt to ana@x.com": a step of the flow already sends the
    receipt, so the new message says what that one says (read from the new step's place,
    "the receipt" is the previous email's own receipt). Only from a step before it, whose
    references the new step sees too."""
    kept: list[EditOperation] = []
    for op in operations:
        if isinstance(op, AddNode) and isinstance(op.node, ToolNode):
            earlier = _sending_the_same(flow, op.node, visible)
            if earlier is not None:
                said = {k: v for k, v in earlier.inputs.items() if k in _WORDS_NOT_VALUES}
                op = AddNode(node=op.node.model_copy(update={"inputs": {**op.node.inputs, **said}}))
        kept.append(op)
    return kept


def _sending_the_same(flow: Flow, node: ToolNode, visible: set[str]) -> ToolNode | None:
    """The step before `node` that sends with its tool what its title says it sends."""
    thing = _thing_sent(node.title)
    if thing is None:
        return None
    return next(
        (
            n
            for n in flow.nodes
            if isinstance(n, ToolNode)
            and n.id in visible
            and n.tool == node.tool
            and _thing_sent(n.title) == thing
        ),
        None,
    )


def _additions(builder: FlowBuilder) -> list[EditOperation]:
    operations: list[EditOperation] = [
        AddInputField(name=name, field_schema=schema, required=required)
        for name, schema, required in builder.new_input_fields()
    ]
    operations += [AddNode(node=node) for node in builder.new_nodes()]
    return operations


#: Inputs of free text: a title's words are not their values.
_WORDS_NOT_VALUES = frozenset(
    {"subject", "body", "message", "text", "content", "title", "description", "comment",
     "note", "notes", "summary", "instructions"}
)


def _retitled(
    flow: Flow, operations: Sequence[EditOperation], instruction: str
) -> list[EditOperation]:
    """A title that says a value an instruction changed says the new one ("Charge it
    $120" once the amount is 150), so the designer does not show the old value."""
    titles: dict[str, str] = {}
    for op in operations:
        if not isinstance(op, SetInput) or op.expression is None:
            continue
        node = next((n for n in flow.nodes if n.id == op.node), None)
        current = (getattr(node, "inputs", None) or {}).get(op.field)
        if op.field in _WORDS_NOT_VALUES:
            continue  # "the receipt" in a title is not the subject "Receipt"
        title = titles.get(op.node, node.title if node is not None else None)
        if not title or not (_is_literal(current) and _is_literal(op.expression)):
            continue
        old, new = json.loads(str(current)), json.loads(op.expression)
        said = _said_in(old, title)
        if said is not None and isinstance(new, (str, int, float)):
            shown = new if isinstance(new, str) else f"{new:g}"
            # as the instruction writes it ("FedEx", not the listed "fedex")
            written = _said_in(new, instruction)
            shown = written.group(0) if written is not None else shown
            titles[op.node] = title[: said.start()] + str(shown) + title[said.end() :]
    return [UpdateNode(id=node_id, changes={"title": title}) for node_id, title in titles.items()]


def _said_in(value: Any, title: str) -> re.Match[str] | None:
    """Where a title writes `value` (a number as people write it, text in any case)."""
    if isinstance(value, bool) or not isinstance(value, (str, int, float)) or value == "":
        return None
    if isinstance(value, str):
        return re.search(rf"(?<!\w){re.escape(value)}(?!\w)", title, re.IGNORECASE)
    written = f"{value:g}"
    # ("99.50" for 99.5, "120.00" for 120)
    zeros = "0*" if "." in written else r"(?:\.0+)?"
    return re.search(rf"(?<![\d.]){re.escape(written)}{zeros}(?![\d.])", title)
