"""What a request quotes is said as a whole: 'text them "We couldn't find your booking,
please call us"' is one step whose message has a comma in it, not a step "please call
us". The reader sees each quoted text as one word (its spaces and stops masked) and the
clauses it returns get the text back as written."""

from __future__ import annotations

import dataclasses
import re
from typing import Any, TypeVar

#: A quoted text in double quotes (straight or curly): what a message or a title says.
_QUOTED = re.compile(
    r"(?P<open>[\"\u201c])(?P<said>[^\"\u201d]{1,200})(?P<close>[\"\u201d])"
    # ("with body 'Please send the numbers by Friday.'": single quotes too, where neither
    # is an apostrophe inside a word)
    r"|(?P<open1>(?<!\w)')(?P<said1>[^'\n]{1,200})(?P<close1>'(?!\w))"
)
#: A quote whose text ends on a stop, before the next sentence's capital.
_QUOTE_THEN_SENTENCE = re.compile(
    r"(?:[\"\u201c][^\"\u201d]{0,199}[.!?][\"\u201d]|(?<!\w)'[^'\n]{0,199}[.!?]'(?!\w))"
    r"(?=\s+[A-Z])"
)
#: Characters that split a request into steps, and what stands for each inside a quote
#: (private-use code points: no word, space or stop to split at).
_MASKS = {
    " ": "\ue000",
    ",": "\ue001",
    ";": "\ue002",
    ".": "\ue003",
    ":": "\ue004",
    "!": "\ue005",
    "?": "\ue006",
    "\n": "\ue007",
}
_UNMASK = str.maketrans({mask: said for said, mask in _MASKS.items()})
_MASK = str.maketrans(_MASKS)

T = TypeVar("T")


def quoted_texts(text: str) -> list[str]:
    """The texts `text` quotes, without their quote marks."""
    return [m.group("said") or m.group("said1") for m in _QUOTED.finditer(text)]


def commas_masked(text: str) -> str:
    """`text` with its commas masked as a quote's are ("9 Oak Lane, Austin, TX 78701":
    one address, not three steps); `unmasked` gives them back."""
    return text.replace(",", _MASKS[","])


def without_quotes(text: str) -> str:
    """`text` with each quoted text emptied: what the request says about a step, not what
    the step says ('body "charged twice"' asks for no second call)."""
    return _QUOTED.sub('""', text)


def stops_after_quotes(text: str) -> str:
    """ "Analyze this feedback: 'Loved it!' If positive, ...": a quote that ends on a stop
    and a capital after it ends the sentence too (its stop is masked with the quote)."""
    return _QUOTE_THEN_SENTENCE.sub(r"\g<0>.", text)


def outside_quotes(pattern: re.Pattern[str], repl: Any, text: str) -> str:
    """`pattern.sub(repl, ...)` on what the request says around its quotes: a quote is
    kept as written ('"Dr. Patel was gentle"', "'we couldnt see'")."""
    kept, start = [], 0
    for quote in _QUOTED.finditer(text):
        kept += [pattern.sub(repl, text[start : quote.start()]), quote.group(0)]
        start = quote.end()
    return "".join([*kept, pattern.sub(repl, text[start:])])


def mask_quotes(text: str) -> str:
    """`text` with the spaces and stops inside each quoted text masked."""
    return _QUOTED.sub(_masked, text)


def _masked(match: re.Match[str]) -> str:
    single = match.group("open") is None
    opened, said, closed = (
        match.group(f"open{1 if single else ''}"),
        match.group(f"said{1 if single else ''}"),
        match.group(f"close{1 if single else ''}"),
    )
    return f"{opened}{said.translate(_MASK)}{closed}"


def unmasked(value: T) -> T:
    """`value` (a string, a list or tuple of them, or a dataclass holding them) with the
    quoted texts as written."""
    if isinstance(value, str):
        return value.translate(_UNMASK)  # type: ignore[return-value]
    if isinstance(value, list):
        return [unmasked(item) for item in value]  # type: ignore[return-value]
    if isinstance(value, tuple):
        return tuple(unmasked(item) for item in value)  # type: ignore[return-value]
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        changes: dict[str, Any] = {}
        for field in dataclasses.fields(value):
            current = getattr(value, field.name)
            restored = unmasked(current)
            if restored is not current and restored != current:
                changes[field.name] = restored
        return dataclasses.replace(value, **changes) if changes else value
    return value


#: "Summarise the feedback below in two sentences and email it to ...: 'Great talks ...'":
#: the thing a step says is below, and the quote the request ends on.
_SAID_BELOW = re.compile(
    r"\b(?P<thing>(?:the|this)\s+(?:[a-z]+\s+)?(?:below|following)|(?:the|this)\s+following"
    r"\s+[a-z]+"
    # ("Summarize this complaint ... and open a ticket with the summary as the subject:
    # '...'": "this complaint" is the quote the request ends on)
    # ("this discharge note", "this customer email": a word may say what kind it is)
    r"|this\s+(?:[a-z-]+\s+)?(?:complaint|message|review|comment|feedback|email|note|text|"
    r"request|letter|paragraph|transcript|description|notes|report|article|statement|"
    r"announcement|update)"
    # ("summarise this and email it to x@y.com: '...'": a bare "this" that a step reading a
    # text works on, before the next step)
    r"|(?:summari[sz]e|classify|analy[sz]e|shorten|condense)\s+this(?=\s*(?:,|and\b|then\b|&)))\b",
    re.IGNORECASE,
)
_ENDING_QUOTE = re.compile(
    r":\s*(?P<quote>[\"\u201c][^\"\u201d]{1,200}[\"\u201d]|(?<!\w)'[^'\n]{1,200}'(?!\w))\s*\.?\s*$"
)


#: "tldr of this pls: The board met on Tuesday. Sales ...": a step that reads "this" (a
#: summary, a classification, a sentiment), then a colon and the text on the same line,
#: unquoted, of two sentences or more.
_THIS_UNQUOTED = re.compile(
    r"^(?P<head>[^:\n\"\u201c]*\b(?:summar\w*|tl;?dr|gist|recap|classify|analy[sz]e|"
    r"sentiment)\b[^:\n\"\u201c]*\bthis(?:\s+(?:pls|plz|please))?)\s*:[ \t]*"
    r"(?P<text>[^\s\"'\u201c\u201d][^\"\u201c\u201d\n]{20,5000}?[.!?]\s+[A-Z][^\"\u201c\u201d\n]*?)\s*$",
    re.IGNORECASE,
)


def quote_below_in_place(text: str) -> str:
    """The quote a request ends on, written where a step says the text is "below" (or
    "the following"): that step reads it, not the step the quote ends up beside ("email it
    to the organiser: '...'" would send the quote instead of the summary)."""
    this = _THIS_UNQUOTED.match(text)
    if this is not None:
        # ("tldr of this pls: The board met ... . Sales of ...": its sentences were steps)
        return f'{this["head"]}: "{this["text"]}"'
    said = _SAID_BELOW.search(text)
    ending = _ENDING_QUOTE.search(text)
    block = _ENDING_BLOCK.search(text) if ending is None else None
    if block is None and ending is None and said is not None and _BELOW_OR_FOLLOWING.search(
        said.group(0)
    ):
        # ("Summarize the following and email the summary to ... with subject Weekly
        # notes: Revenue rose 8% in October. Two new stores opened ...": the text after the
        # last colon, on the same line, of two sentences or more)
        block = _ENDING_SENTENCES.search(text)
    if block is not None and said is not None and said.end() <= block.start():
        # ("summarize the text below and send it to ...:\n\nOur third quarter ...": the
        # text after a colon on lines of its own, unquoted; its sentences were steps)
        said_block = " ".join(block["block"].split())
        head = text[: block.start()].rstrip()
        if len(_SAID_BELOW.findall(head)) == 1:
            return f'{head[: said.end()]}: "{said_block}"{head[said.end() :]}'
    if said is None or ending is None or said.end() > ending.start():
        return text
    if len(_SAID_BELOW.findall(text)) != 1:
        return text
    head = text[: ending.start()].rstrip()
    quote = ending.group("quote")
    return f"{head[: said.end()]}: {quote}{head[said.end() :]}"


_BELOW_OR_FOLLOWING = re.compile(r"\b(?:below|following)\b", re.IGNORECASE)
#: Sentences a request ends on after a colon, on the colon's line, unquoted
_ENDING_SENTENCES = re.compile(
    r":[ \t]*(?P<block>[A-Z][^\"\u201c\u201d\n:]{10,5000}?[.!?][ \t]+"
    r"[A-Z][^\"\u201c\u201d\n:]*?)\s*$"
)
#: A text a request ends on after a colon, unquoted, on lines of its own (or after an
#: empty line: "classify the message below, then ...\n\nHi, I can't log in ...").
_ENDING_BLOCK = re.compile(
    r"(?::[ \t]*\n|[ \t]*\n[ \t]*\n)\s*"
    r"(?P<block>[^\s\"\u201c\u201d][^\"\u201c\u201d]{10,5000}?)\s*$"
)
