"""Schema matching: which available value (a run input field, an upstream node's output
field, a map item) should feed a tool input — by field names, synonyms and types."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from operator import itemgetter
from typing import Any

from flows.core.expressions import json_type_name
from flows.core.planner.lexicon import FIELD_ALIASES, plural, singular, split_identifier, stem

JsonSchema = dict[str, Any]
_NUMERIC = {"integer", "number"}
#: Last words that say what kind of value a field is, not what it is about: two fields
#: ending in one of them match only when the words before match too.
GENERIC_SUFFIXES = frozenset(
    "id ids code type status key number no count date time at name names url".split()
)


@dataclass(frozen=True, slots=True)
class Source:
    """A value an expression can read: `expression` gives it, `name` is what it is called."""

    expression: str
    name: str
    schema: JsonSchema
    #: The node it comes from (None for the run input and map items).
    node: str | None = None
    #: Words that describe where it comes from (the producing tool's id), for tie-breaks.
    context: tuple[str, ...] = ()
    #: Higher wins among equal matches (nearer upstream nodes, map items).
    priority: float = 0.0


def schema_types(schema: JsonSchema | None) -> set[str]:
    if not isinstance(schema, dict):
        return set()
    declared = schema.get("type")
    if isinstance(declared, str):
        return {declared}
    if isinstance(declared, list):
        return {t for t in declared if isinstance(t, str)} - {"null"}
    for combiner in ("anyOf", "oneOf"):
        if isinstance(schema.get(combiner), list):
            found: set[str] = set()
            for branch in schema[combiner]:
                found |= schema_types(branch)
            return found - {"null"}
    if schema.get("enum"):
        return {json_type_name(value) for value in schema["enum"]}
    if "properties" in schema:
        return {"object"}
    return set()


def type_fit(target: JsonSchema | None, source: JsonSchema | None) -> float:
    """1 when the types agree, 0 when they cannot, in between when one side does not say."""
    wanted, given = schema_types(target), schema_types(source)
    if not wanted or not given:
        return 0.6
    if wanted & given:
        if wanted == {"array"} and given == {"array"}:
            return 0.6 + 0.4 * type_fit((target or {}).get("items"), (source or {}).get("items"))
        if _values_it_does_not_take(target, source):
            return 0.0  # (a status "unsubscribed" for an input that lists subscribed, pending)
        return 1.0
    if wanted & _NUMERIC and given & _NUMERIC:
        return 0.9
    return 0.0


def _values_it_does_not_take(target: JsonSchema | None, source: JsonSchema | None) -> bool:
    """Whether both list their values (`enum`) and most of the source's are ones the target
    does not take (compared without case): a member's status (subscribed, unsubscribed,
    cleaned, pending, archived) for an input of subscribed or pending; a priority of
    low/medium/high/urgent for one of low/normal/high/urgent still fits."""
    wanted = (target or {}).get("enum") if isinstance(target, dict) else None
    given = (source or {}).get("enum") if isinstance(source, dict) else None
    if not isinstance(wanted, list) or not isinstance(given, list) or not wanted or not given:
        return False
    takes = {str(v).lower() for v in wanted}
    missing = sum(str(v).lower() not in takes for v in given)
    return missing > len(given) - missing


def name_similarity(target: str, source: str) -> float:
    """How likely a value called `source` is what an input called `target` wants."""
    t, s = target.lower(), source.lower()
    if t == s:
        return 1.0
    if singular(t) == singular(s) or stem(t) == stem(s):
        return 0.95
    if s in FIELD_ALIASES.get(t, ()) or t in FIELD_ALIASES.get(s, ()):
        return 0.8
    t_words, s_words = split_identifier(t), split_identifier(s)
    if not t_words or not s_words:
        return 0.0
    t_stems = {stem(w) for w in t_words}
    s_stems = {stem(w) for w in s_words}
    if stem(t_words[-1]) == stem(s_words[-1]):
        qualified = len(t_words) > 1 and len(s_words) > 1
        if not (qualified and t_words[-1] in GENERIC_SUFFIXES):
            return 0.7  # customer_email ~ email, user_name ~ name
        if not (t_stems - {stem(t_words[-1])}) & (s_stems - {stem(s_words[-1])}):
            return 0.0  # order_id is not message_id
    overlap = t_stems & s_stems
    if overlap:
        return 0.5 * len(overlap) / len(t_stems | s_stems) + 0.2
    return 0.0


@dataclass(frozen=True, slots=True)
class Match:
    source: Source
    score: float


def best_source(
    name: str,
    schema: JsonSchema,
    sources: Sequence[Source],
    *,
    minimum: float = 0.6,
) -> Match | None:
    """The best source for input `name` (its schema `schema`), or None below `minimum`."""
    best: Match | None = None
    best_key: tuple[float, float] | None = None
    for source in sources:
        similarity = name_similarity(name, source.name)
        if similarity <= 0:
            continue
        fit = type_fit(schema, source.schema)
        if fit <= 0:
            continue
        score = similarity * fit
        if score < minimum:
            continue
        key = (round(score, 3), source.priority)
        if best_key is None or key > best_key:
            best, best_key = Match(source, score), key
    return best


def output_sources(
    node_id: str,
    output_schema: JsonSchema,
    *,
    context: Iterable[str] = (),
    priority: float = 0.0,
    whole_names: Iterable[str] = (),
) -> list[Source]:
    """Sources for a node's output: the whole output, its fields and their fields."""
    words = tuple(context)
    sources = [
        Source(node_id, name, output_schema, node_id, words, priority)
        for name in dict.fromkeys([node_id, *whole_names])
    ]
    properties = unwrap_nullable(output_schema).get("properties")
    if isinstance(properties, dict):
        for field, sub in properties.items():
            if not isinstance(sub, dict) or not _identifier(field):
                continue
            sources.append(Source(f"{node_id}.{field}", field, sub, node_id, words, priority))
            nested = unwrap_nullable(sub).get("properties")
            # a field of a record that may be missing ("user" when nobody was found) gives
            # way to the same value another step made, not to the run input
            inner_priority = -0.5 if unwrap_nullable(sub) is not sub else priority - 0.01
            if isinstance(nested, dict):
                for inner, inner_schema in nested.items():
                    if isinstance(inner_schema, dict) and _identifier(inner):
                        sources.append(
                            Source(
                                f"{node_id}.{field}.{inner}",
                                inner,
                                inner_schema,
                                node_id,
                                (*words, field),
                                inner_priority,
                            )
                        )
    return sources


def item_text_sources(
    node_id: str, output_schema: JsonSchema, *, context: Iterable[str] = (), priority: float = 0.0
) -> list[Source]:
    """A map's text fields, every item's in one text ("email me all the summaries": each
    summary, a blank line between them), named in the plural."""
    items = unwrap_nullable(unwrap_nullable(output_schema).get("items"))
    properties = items.get("properties")
    if not isinstance(properties, dict):
        return []
    return [
        Source(
            f'{node_id}.map(each, each.{field}).join("\\n\\n")',
            plural(field),
            {"type": "string", "description": f"Every item's {field}, one after another."},
            node_id,
            tuple(context),
            priority - 0.02,
        )
        for field, sub in properties.items()
        if _identifier(field)
        and schema_types(sub) == {"string"}
        # ids joined are no text: one order's id is never every order's ids
        and not (field == "id" or field.endswith("_id"))
    ]


def unwrap_nullable(schema: JsonSchema | None) -> JsonSchema:
    """`X | null` (anyOf/oneOf with a null branch) as X; anything else as it is."""
    if not isinstance(schema, dict):
        return {}
    for combiner in ("anyOf", "oneOf"):
        branches = schema.get(combiner)
        if isinstance(branches, list):
            real = [b for b in branches if isinstance(b, dict) and b.get("type") != "null"]
            if len(real) == 1:
                # (the description a tool gives the input, said beside the union)
                said = {k: schema[k] for k in ("description",) if k in schema}
                return {**said, **real[0]}
    return schema


def input_sources(input_schema: JsonSchema, *, priority: float = -1.0) -> list[Source]:
    properties = input_schema.get("properties") or {}
    return [
        Source(f"input.{name}", name, sub, None, ("input",), priority)
        for name, sub in properties.items()
        if isinstance(sub, dict) and _identifier(name)
    ]


def input_field_schema(schema: JsonSchema, *, description: str | None = None) -> JsonSchema:
    """The schema of a new run input field that feeds an input with `schema`."""
    kept = {
        key: value
        for key, value in schema.items()
        if key not in ("default", "title", "examples", "example")
    }
    if not kept:
        kept = {"type": "string"}
    if description and "description" not in kept:
        kept["description"] = description
    return kept


def _identifier(name: str) -> bool:
    return name.isidentifier() and not name.startswith("__")


def named_outputs(
    text: str,
    properties: dict[str, JsonSchema],
    sources: Sequence[Source],
    *,
    sends: bool = False,
) -> dict[str, str]:
    """Inputs fed by an upstream output field the step names ("calculate the tax, then
    charge the total": the charge's amount is the tax step's `total`). `sends`: the step
    sends a message, so its `text` input is what the message says ("post their name")."""
    bodies = _MESSAGE_BODIES | {"text"} if sends else _MESSAGE_BODIES
    wired: dict[str, str] = {}
    seen: set[str] = set()
    #: message bodies that name several outputs, and what each says
    told: dict[str, list[tuple[str, Source]]] = {}
    #: "append the order id and the email to the sheet": the values of a row, in the order
    #: said, for the one input that takes a row of them
    row_input = _row_input(properties)
    row: list[tuple[int, Source]] = []
    # "the total amount": a field right after the determiner ("total") before one after a
    # word that qualifies it ("amount").
    for qualifier in ("", r"(?:[a-z]+\s+)?"):
        for source in sources:  # nearest first
            item = source.expression.startswith("item.")  # a loop item's field
            if (
                (source.node is None and not item)
                or source.expression == source.node
                or source.name in seen
            ):
                continue
            named_words = split_identifier(source.name)
            words = r"\s+".join(re.escape(w) for w in named_words)
            if len(named_words) > 1 and named_words[-1] == "id":
                # "the ticket number" is the ticket's id
                words = words[: -len("id")] + r"(?:id|number|no|reference)"
            elif named_words[-1:] == ["url"]:
                # "send them the link"; "email the link" after a PDF is its `pdf_url`
                qualifiers = words[: -len("url")]
                words = (f"(?:{qualifiers})?" if qualifiers else "") + r"(?:url|link)"
            # "route it to the team": where it goes, not a value it carries
            named = words and re.search(
                rf"(?P<before>\w+\s+)?(?<!\bto\s)\b(?:the|its|their|this|that|both|all)\s+"
                rf"{qualifier}{words}\b",
                text,
                re.IGNORECASE,
            )
            if not named and not qualifier:
                # a terse note, "email tracking number": the field right after the verb;
                # "the summary and keywords": the article said once for both
                named = re.match(
                    rf"\s*(?:then\s+|also\s+)?(?P<before>)[a-z]+\s+{words}\b", text, re.I
                ) or re.search(
                    rf"\b(?:the|its|their)\s+[a-z]+\s+(?:and|\+|&)\s+(?P<before>)(?P<field>{words})\b",
                    text,
                    re.I,
                )
            if not named:
                continue
            seen.add(source.name)
            # "a ticket for the support team": who it is for, not what it says
            said = (named.group("before") or "").strip().lower() not in _RECIPIENT_PREPOSITIONS
            target = _input_said_after(text[named.end() :], source, properties, wired)
            target = target or _named_target(source, properties, wired, said=said, bodies=bodies)
            if target is None and said:
                # "email them the order number and the tracking number": both in the body
                target = next((name for name in told if name in wired), None)
            if target is None and said and row_input is not None:
                row.append((named.start(), source))
                continue
            if target is None:
                continue
            if target in told or target in bodies:
                said_as = named.group("field") if "field" in named.re.groupindex else None
                told.setdefault(target, []).append((said_as or named.group(0), source))
            wired[target] = (
                _composed(told[target])
                if len(told.get(target, [])) > 1
                else _as_text(source)
                if "string" in schema_types(properties[target])
                else source.expression
            )
    if row and row_input is not None and row_input not in wired:
        items = unwrap_nullable(properties[row_input]).get("items")
        as_text = "string" in schema_types(items if isinstance(items, dict) else None)
        said_in_order = [src for _, src in sorted(row, key=itemgetter(0))]
        values = [_as_text(src) if as_text else src.expression for src in said_in_order]
        wired[row_input] = f"[{', '.join(values)}]"
    return wired


#: Inputs that take a row of values ("values", "row", "cells"): a list of plain values.
_ROW_INPUTS = ("values", "row", "cells", "columns", "fields", "record")


def _row_input(properties: dict[str, JsonSchema]) -> str | None:
    """The one input that takes a row of plain values, if the tool has one."""
    for name in _ROW_INPUTS:
        schema = unwrap_nullable(properties.get(name))
        items = schema.get("items")
        if schema_types(schema) == {"array"} and (
            not isinstance(items, dict) or not schema_types(items) & {"object", "array"}
        ):
            return name
    return None


def _as_text(source: Source) -> str:
    """ "email accounting the total": a number a message says, as text."""
    if schema_types(source.schema) & _NUMERIC:
        return f"string({source.expression})"
    return source.expression


def _composed(parts: list[tuple[str, Source]]) -> str:
    """One message text that says each named value on a line of its own."""
    lines = []
    for said, source in parts:
        label = re.sub(r"^\w+\s+(?=(?:the|its|their|this|that)\b)", "", said.strip())
        label = re.sub(r"^(?:the|its|their|this|that)\s+", "", label, flags=re.IGNORECASE)
        text = source.expression
        items = source.schema.get("items") if isinstance(source.schema, dict) else None
        if schema_types(source.schema) == {"array"} and schema_types(items) == {"string"}:
            text = f'{text}.join(", ")'  # "the keywords": one line of them
        elif schema_types(source.schema) != {"string"}:
            text = f"string({text})"
        lines.append(f'"{label[:1].upper()}{label[1:]}: " + {text}')
    return ' + "\\n" + '.join(lines)


#: "with the summary as (the) subject (line)", "with their name in the subject": the input
#: a named output goes into.
_AS_INPUT = re.compile(r"^\s+(?:as|in)\s+(?:the\s+|its\s+|an?\s+)?(?P<name>[a-z]+)\b", re.I)


def _input_said_after(
    rest: str, source: Source, properties: dict[str, JsonSchema], taken: dict[str, str]
) -> str | None:
    """The input the step says a named output is ("the summary as the subject"), when the
    step has one of that name whose type the output fits."""
    said = _AS_INPUT.match(rest)
    if said is None:
        return None
    name = said.group("name").lower()
    schema = properties.get(name)
    if name in taken or schema is None or type_fit(schema, source.schema) < 0.9:
        return None
    return name


def _named_target(
    source: Source,
    properties: dict[str, JsonSchema],
    taken: dict[str, str],
    *,
    said: bool,
    bodies: frozenset[str] = frozenset(),
) -> str | None:
    """The input a named output feeds: of its type, and with a name like its own (a named
    `url` is where a page came from, not the text to summarize)."""
    fitting = [
        name
        for name, schema in properties.items()
        if name not in taken
        and type_fit(schema, source.schema) >= 0.9
        and name_similarity(name, source.name) > 0
    ]
    if not fitting and said and not set(split_identifier(source.name)) & _WHO_WORDS:
        # "email the customer their tracking number": what a message says is its body
        fitting = [
            name
            for name, schema in properties.items()
            if name in (bodies or _MESSAGE_BODIES)
            and name not in taken
            and "string" in schema_types(schema)
            and schema_types(source.schema) in ({"string"}, {"number"}, {"integer"})
        ]
    return max(fitting, key=lambda name: name_similarity(name, source.name), default=None)


#: Inputs that hold what a message or a ticket says.
_MESSAGE_BODIES = frozenset({"body", "message", "content", "note", "comment"})
#: Words before a named output that make it whom a message is for, not what it says.
_RECIPIENT_PREPOSITIONS = frozenset({"for", "to", "from", "by"})
#: Outputs that name who, never what a message says ("the team" a ticket goes to).
_WHO_WORDS = frozenset(
    "team group department owner assignee recipient user customer email address".split()
)


def output_values(schema: dict[str, Any]) -> set[str]:
    """The enum values of an output's fields ("positive", "negative"), in lower case."""
    values: set[str] = set()
    for field_schema in (schema.get("properties") or {}).values():
        enum = unwrap_nullable(field_schema).get("enum") if isinstance(field_schema, dict) else None
        values |= {str(v).lower() for v in enum or ()}
    return values
