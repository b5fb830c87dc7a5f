"""Reading a request the way people write it, before it is split into steps: typos fixed
against the words the catalogue and the planner know, numbers without their thousands
separators, verbs in their plain form; which sentences are context, asides or things
not to do rather than steps; and the capabilities a step asks for that no tool has.

General English only: nothing here names a particular tool.
"""

from __future__ import annotations

import gzip
import importlib.util
import json
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from rapidfuzz import process
from rapidfuzz.distance import OSA

from flows.core.planner.lexicon import (
    FEELINGS,
    FILLER_WORDS,
    STOP_WORDS,
    SYNONYM_GROUPS,
    split_identifier,
    stem,
)
from flows.core.planner.named_values import CHANNEL_NAME
from flows.core.planner.quotes import outside_quotes
from flows.core.tools import ToolSpec

# -- typos ---------------------------------------------------------------------------------

#: Everyday words of requests that are not typos of a tool's words.
_PLAIN_WORDS = frozenset(
    """
    please thanks thank hello customer customers user users team teams manager managers
    finance legal sales support people someone anyone nobody everyone everything nothing
    something list batch each every time times today tomorrow week month year hour hours
    minute minutes second seconds days right left good fine okay bad poor great high low
    urgent first then after before later again also only just really actually maybe
    however otherwise unless while when whenever where which whether would could should
    have having has been being does doing done make makes made take takes took give gives
    gave want wants need needs like likes know knows think come comes came back through
    pls plz thx asap fyi btw etc via per signup signups signin login logout onboarding checkout
    webhook dashboard newsletter inbox backend frontend workflow ecommerce storefront
    """.split()
)


_WORD_ENTRY = re.compile('"\u2581([A-Za-z]{3,})":')


@lru_cache(maxsize=1)
def english_words() -> frozenset[str]:
    """Whole English words, to tell a typo from a word the catalogue does not use: the
    word-level entries of the tokenizer that ships inside the wordllama wheel (empty when
    it is not installed)."""
    spec = importlib.util.find_spec("wordllama")  # found, not imported: no numpy at start-up
    if spec is None or spec.origin is None:  # pragma: no cover - a declared dependency
        return frozenset()
    path = Path(spec.origin).parent / "tokenizers" / "l2_supercat_tokenizer_config.json"
    try:
        text = path.read_text(encoding="utf-8")
    except OSError:
        return frozenset()
    # The vocabulary's word-start entries ("\u2581word": id); a regex reads them 5x faster
    # than parsing the whole tokenizer (merges included) as JSON.
    return frozenset(word.lower() for word in _WORD_ENTRY.findall(text))


#: How often a word must occur in the spell checker's English corpus to count as a real word
#: ("cake" 31,941, "bake" 9,948); rarer entries are often misspellings or names.
COMMON_WORD_COUNT = 200


@lru_cache(maxsize=1)
def common_english_words() -> frozenset[str]:
    """Common English words from the frequency list inside the pyspellchecker wheel (read
    as data, never imported): a much larger list than the embedding model's vocabulary, so
    that "cake" is a word and not a typo of "case". Loaded only when a typo is suspected."""
    spec = importlib.util.find_spec("spellchecker")
    if spec is None or spec.origin is None:  # pragma: no cover - a declared dependency
        return frozenset()
    path = Path(spec.origin).parent / "resources" / "en.json.gz"
    try:
        counts = json.loads(gzip.decompress(path.read_bytes()))
    except (OSError, ValueError):
        return frozenset()
    return frozenset(
        word
        for word, count in counts.items()
        if isinstance(count, int) and count >= COMMON_WORD_COUNT and word.isalpha()
    )


#: Words that name capabilities a tool may lack: a typo of one is still that capability
#: ("whatsap" is WhatsApp, not a word to guess a tool from).
CAPABILITY_WORDS = frozenset(
    """
    sms whatsapp slack telegram discord fax phone refund reimburse translate schedule
    calendar meeting publish tweet spreadsheet invoice pdf cancel delete update convert
    currency image photo video audio weather forecast geocode coordinates
    """.split()
)


def catalogue_words(specs: Sequence[ToolSpec]) -> frozenset[str]:
    """The words of the tools' ids, names, descriptions and fields."""
    return frozenset(w for spec in specs for w in split_identifier(_spec_text(spec)))


#: "put it away", "pick them up": a verb, what it works on, and its particle
_PHRASAL_VERB = re.compile(
    r"\b(?P<verb>[a-z]+)\s+(?P<what>(?:it|them|this|these|those)\s+)?"
    r"(?P<particle>away|up|in|out|back|off|over|down)\b",
    re.IGNORECASE,
)


def phrasal_verbs_joined(text: str, specs: Iterable[ToolSpec], verbs: Iterable[str]) -> str:
    """ "put it away in R12-B3" -> "putaway it in R12-B3": a verb and its particle said
    apart, whose joined word is a word of a tool's id (`wms.putaway.assign`) while neither
    the verb nor the joined word is one the planner reads ("look up the order", "roll it
    back" stay); and "check out these ..." -> "checkout these ...", the two words together
    what a dotted id does (`library.loan.checkout`), which "check" alone is not."""
    specs = list(specs)
    named = frozenset(word for spec in specs for word in split_identifier(spec.id))
    operations = frozenset(spec.id.rsplit(".", 1)[1] for spec in specs if "." in spec.id)
    known = frozenset(verbs)

    def joined(match: re.Match[str]) -> str:
        verb, particle = match["verb"].lower(), match["particle"].lower()
        word = f"{verb}{particle}"
        # ("check out": "check" is another tool's step, `check_inventory`; "roll back" is
        # no other tool's, and read as written)
        another_step = match["what"] is None and word in operations and verb in named
        unread = verb not in known and word not in known and word in named
        if not (another_step or unread):
            return match[0]
        return f"{verb}{particle} {match['what'] or ''}".rstrip()

    return _PHRASAL_VERB.sub(joined, text)


def vocabulary(specs: Sequence[ToolSpec], extra: Iterable[str] = ()) -> frozenset[str]:
    """The words a request may be corrected to: the tools' ids, names, descriptions,
    fields and enum values, the planner's own words, the names of capabilities, and their
    common inflections."""
    words = tuple(sorted(set(extra) | CAPABILITY_WORDS))
    return _vocabulary(tuple(_spec_text(spec) for spec in specs), words)


@lru_cache(maxsize=32)
def _vocabulary(texts: tuple[str, ...], extra: tuple[str, ...]) -> frozenset[str]:
    words: set[str] = set(STOP_WORDS) | set(FILLER_WORDS) | set(_PLAIN_WORDS) | set(extra)
    for group in SYNONYM_GROUPS:
        words |= set(group)
    for text in texts:
        words |= set(split_identifier(text))
    inflected = set()
    for word in words:
        if not word.isalpha() or len(word) < 3 or word in STOP_WORDS or word in _PLAIN_WORDS:
            continue
        inflected |= {word + "s", word + "es", word + "ed", word + "ing", word + "d"}
        if word.endswith("e"):
            inflected |= {word[:-1] + "ing", word[:-1] + "ion", word[:-1] + "ation"}
        if word.endswith("y"):
            inflected |= {word[:-1] + "ies", word[:-1] + "ied"}
    return frozenset(w for w in words | inflected if w.isalpha())


def _spec_text(spec: ToolSpec) -> str:
    parts = [spec.id, spec.name, spec.description, spec.category]
    for properties in (spec.input_properties(), spec.output_properties()):
        for name, schema in properties.items():
            parts.append(name)
            if isinstance(schema, dict):
                parts.append(str(schema.get("description", "")))
                parts += [str(v) for v in schema.get("enum", []) or [] if isinstance(v, str)]
    return " ".join(parts)


@lru_cache(maxsize=32)
def _by_letter(words: frozenset[str]) -> dict[str, list[str]]:
    index: dict[str, list[str]] = {}
    for word in sorted(words):
        index.setdefault(word[0], []).append(word)
    return index


#: ISO 4217 codes of the currencies people write most: money, never a typo ("45 usd").
CURRENCY_CODES = frozenset(
    "usd eur gbp jpy cad aud chf nzd sek nok dkk pln czk inr cny sgd hkd mxn brl zar".split()
)

#: A word standing alone: not a part of a URL, a file name or an address ("logo.png").
#: A word that may be misspelt: not part of an address, a path, a code or a channel
#: ("#sre" is the channel's own name, however close to a word it is).
_WORD_TOKEN = re.compile(r"(?<![\w'./@:#-])([A-Za-z]+)(?![\w'/@-]|\.\w)")


#: Words a step writes as they are: quoted, or said after "saying" ("add a note saying she
#: attended the webinar"), to the end of the sentence.
_SAID_AS_TYPED = re.compile(
    r"\"[^\"]*\"|\u201c[^\u201d]*\u201d|"
    # ("fan wrote: 'we couldnt see the stage'": single quotes, apostrophes in their words)
    r"(?<!\w)'(?:[^'\n]|(?<=\w)'(?=\w))*'(?!\w)|"
    r"\b(?:saying|that\s+says|which\s+says|reading|to\s+say)\s+[^.;!?\n]*",
    re.IGNORECASE,
)


def correct_typos(
    text: str, words: frozenset[str], preferred: frozenset[str] = frozenset()
) -> tuple[str, dict[str, str]]:
    """`text` with misspelt words replaced by the known word they are closest to (same
    first letter, one or two letters off); also which words were replaced. Among equally
    close words, one of `preferred` (the catalogue's own) wins."""
    index = _by_letter(words)
    english = english_words()
    fixed: dict[str, str] = {}
    # what a message or note says is the person's own words, kept as typed
    kept = [m.span() for m in _SAID_AS_TYPED.finditer(text)]

    def replace(match: re.Match[str]) -> str:
        original = match.group(1)
        word = original.lower()
        if any(start <= match.start() < end for start, end in kept):
            return original
        if len(word) < 3 or word in words or word in CURRENCY_CODES:
            return original  # ("45.00 usd" is dollars, not "used")
        if original.isupper() or (original[0].isupper() and not _sentence_start(text, match)):
            return original  # SMS, Slack, Spanish: names, not typos
        if (
            len(word) > 3
            and word[-1] == word[-2]
            and word[:-1] in words
            and not _is_english(word, common_english_words())
        ):
            # "shipp it": a known word with its last letter typed twice (the tokenizer's
            # list has "shipp", a piece of "shipping", so it is not read as English here)
            fixed[original] = word[:-1]
            return word[:-1]
        if _is_english(word, english):
            return original  # a real word the catalogue does not use, not a typo
        found = best_correction(word, index.get(word[0], []), english=False, preferred=preferred)
        if found is None or _is_english(word, common_english_words()):
            return original  # "cake" is not a typo of "case": a real word stays as typed
        fixed[original] = found
        return found

    return _WORD_TOKEN.sub(replace, text), fixed


def _is_english(word: str, english: frozenset[str]) -> bool:
    if word in english:
        return True
    if word.startswith("re") and len(word) > 5 and _is_english(word[2:], english):
        return True  # ("resend", "reassign": done again, not a typo of "refund")
    for ending, base in (
        ("s", ""),
        ("es", ""),
        ("ed", ""),
        ("ed", "e"),
        ("d", ""),
        ("ing", ""),
        ("ing", "e"),
        ("ies", "y"),
        ("ied", "y"),
        ("ly", ""),
        ("er", ""),
        ("ers", ""),
        ("ment", ""),
        ("ments", ""),
    ):
        stem_length = len(word) - len(ending)
        if word.endswith(ending) and stem_length >= 3 and word[:stem_length] + base in english:
            return True
    return False


def unknown_word(word: str, words: frozenset[str]) -> bool:
    """Neither a word the catalogue or the planner knows nor an English word."""
    lowered = word.lower()
    return (
        lowered.isalpha()
        and len(lowered) > 3
        and lowered not in words
        and not _is_english(lowered, english_words())
    )


#: Words that lead a step without being its action: control flow, approvals, attempts,
#: time ("try to find", "wait for a manager", "loop over", "double-check", "now").
CONTROL_WORDS = frozenset(
    """
    try attempt wait loop iterate repeat retry now double reject approve deny decline
    escalate skip ignore keep stop start begin continue finish ensure let tell notify
    remind hold pause go take taking took get getting make making do doing see run
    handle handling figure figuring work working
    """.split()
)


def foreign_verb(word: str, words: frozenset[str]) -> bool:
    """A common English word that neither the catalogue nor the planner knows, and that
    leads a step: an action no tool does ("bake", "water", "mow")."""
    lowered = word.lower()
    return (
        lowered.isalpha()
        and len(lowered) > 2
        and lowered not in words
        and lowered not in STOP_WORDS
        and lowered not in FILLER_WORDS
        and lowered not in CONTROL_WORDS
        and not lowered.endswith("ly")
        and _is_english(lowered, common_english_words())
    )


def best_correction(
    word: str, candidates: list[str], *, english: bool, preferred: frozenset[str] = frozenset()
) -> str | None:
    """The known word `word` is a typo of: one edit away (two for long words), a swap of
    two letters counting as one edit; among equals, the one with the same letters, then
    the same length. A real English word is only completed ("proces" -> "process"),
    never changed into another word."""
    limit = 1 if len(word) <= 5 else 2
    letters = sorted(word)
    if len(word) == 3:
        # "shp" -> "ship", "teh" -> "the": a missing letter or a swap, nothing else.
        candidates = [c for c in candidates if len(c) == 4 or sorted(c) == letters]
    elif len(word) <= 5:
        candidates = [c for c in candidates if len(c) >= len(word)]  # "gist" is not "gst"
    found = process.extract(word, candidates, scorer=OSA.distance, score_cutoff=limit, limit=50)
    if english:
        found = [f for f in found if f[0].startswith(word) and len(f[0]) == len(word) + 1]
    # ("redline" is not "realing": two letters off and another ending is another word; a
    # swap keeps the letters, "calcualte")
    found = [f for f in found if f[1] <= 1 or sorted(f[0]) == letters or f[0][-1] == word[-1]]
    if len(word) >= 8:
        # "accountant" is not a typo of "accounting": another ending is another word.
        found = [f for f in found if sorted(f[0]) == letters or not _same_stem(word, f[0])]
    if not found:
        return None
    ranked = sorted(
        found,
        key=lambda f: (
            f[1],
            sorted(f[0]) != letters,
            abs(len(f[0]) - len(word)),
            f[0] not in preferred,
            f[0],
        ),
    )
    best = ranked[0]
    if len(ranked) > 1 and ranked[1][1] == best[1] and sorted(best[0]) != letters:
        second = ranked[1]
        if abs(len(second[0]) - len(word)) == abs(len(best[0]) - len(word)) and (
            (best[0] in preferred) == (second[0] in preferred)
        ):
            return None  # two words fit as well: leave it as typed
    return str(best[0])


def _same_stem(word: str, other: str) -> bool:
    common = 0
    for a, b in zip(word, other, strict=False):
        if a != b:
            break
        common += 1
    return common >= min(len(word), len(other)) - 3


def _sentence_start(text: str, match: re.Match[str]) -> bool:
    before = text[: match.start()].rstrip(" \t\"'(*-•")
    return not before or before[-1] in ".!?:;\n" or bool(re.search(r"(?:^|\n)\s*\d+[.)]$", before))


# -- numbers and verb forms ------------------------------------------------------------------


# -- questions a step asks ------------------------------------------------------------------

_WHO = (
    r"(?P<who>(?:(?:the|this|that|a|an|our|their|his|her|its|your|my)\s+)?"
    r"[\w'-]+(?:\s+[\w'-]+)?)"
)
_FEELING_WORDS = "|".join(sorted(FEELINGS, key=len, reverse=True))
#: "how the customer feels", "what the message is about", "whether they are happy or
#: angry", "how urgent it is": the question names a quality of someone or something.
_QUESTIONS = (
    (
        re.compile(rf"\bhow\s+{_WHO}\s+(?:feels?|felt|is\s+feeling|are\s+feeling)\b", re.I),
        "feelings",
    ),
    (
        re.compile(
            r"\bwhat\s+(?:(?P<it>it|they|this|that)(?:'s|'re)|"
            rf"{_WHO}\s+(?:is|are|was|were))\s+(?:all\s+|really\s+)?about\b",
            re.I,
        ),
        "topic",
    ),
    (
        # "what they're asking about", "what the customer wants": what it is about
        re.compile(
            r"\bwhat\s+(?:(?P<it>they|he|she)(?:'re|'s|\s+are|\s+is)\s+|"
            rf"{_WHO}\s+(?:is|are)\s+)?(?:asking|writing|talking|complaining|enquiring|"
            r"inquiring|emailing)\s+(?:us\s+)?(?:about|for)\b",
            re.I,
        ),
        "topic",
    ),
    (
        re.compile(rf"\bwhat\s+{_WHO}\s+(?:wants?|needs?)\b(?!\s+to\b)", re.I),
        "topic",
    ),
    (
        re.compile(
            rf"\b(?:whether|if)\s+{_WHO}\s+(?:is|are|was|were|seems?|sounds?|feels?)\s+"
            rf"(?:\w+\s+)?(?:{_FEELING_WORDS})(?:\s+or\s+(?:not|\w+))?\b",
            re.I,
        ),
        "mood",
    ),
    (
        # "tell me whether it's positive or negative": its sentiment
        re.compile(
            r"\bwhether\s+(?:(?P<it>it|they|this|that)(?:'s|'re)|"
            rf"{_WHO}\s+(?:is|are|was|were|seems?|sounds?|reads?))\s+(?:\w+\s+)?"
            r"(?:positive|negative|neutral)(?:\s+or\s+(?:positive|negative|neutral|not))?\b",
            re.I,
        ),
        "sentiment",
    ),
    (
        re.compile(
            rf"\bhow\s+(?:urgent|important|serious|critical|pressing)\s+{_WHO}\s+"
            r"(?:is|are|was|were)\b",
            re.I,
        ),
        "priority",
    ),
)
_PRONOUNS = frozenset("it they them this that he she we you i".split())


def question_as_noun(text: str) -> str:
    """ "find out how the customer feels" -> "find out the customer's feelings": what the
    question asks about, so the step is ranked on the feelings rather than the customer."""
    for pattern, noun in _QUESTIONS:  # "what it's about and how urgent it is": both
        match = pattern.search(text)
        if match is None:
            continue
        who = match.group("who") or ""  # "what it's about": no one named
        owner = "" if not who or who.lower() in _PRONOUNS else f"{who}'s "
        text = f"{text[: match.start()]}the {owner}{noun}{text[match.end() :]}"
    return text


def straight_apostrophes(text: str) -> str:
    return text.replace("\u2019", "'").replace("\u2018", "'")


#: Chat spellings: "can u", "pls", "isnt".
_CHAT_WORDS = {
    "u": "you",
    "ur": "your",
    "pls": "please",
    "plz": "please",
    "thx": "thanks",
    "isnt": "isn't",
    "dont": "don't",
    "doesnt": "doesn't",
    "didnt": "didn't",
    "cant": "can't",
    "wont": "won't",
    "arent": "aren't",
    "wasnt": "wasn't",
    "hasnt": "hasn't",
    "havent": "haven't",
    "whats": "what's",
    "hows": "how's",
    "wheres": "where's",
    "werent": "weren't",
    "shouldnt": "shouldn't",
    "couldnt": "couldn't",
    "w/": "with",
    "w/o": "without",
    "tl;dr": "tldr",
}
_CHAT_WORD = re.compile(
    # (not a part of an id: "user u-77", "ur_12")
    rf"(?<![\w'-])(?:{'|'.join(map(re.escape, sorted(_CHAT_WORDS, key=len, reverse=True)))})"
    r"(?![\w/'-])",
    re.IGNORECASE,
)
#: "hey, validate the email", "Hi team - ...": a greeting before the request on its line
_GREETING = re.compile(
    r"^(?P<lead>\s*)(?:hey|hi|hello|hiya|yo|howdy)(?:\s+(?:there|team|all|folks|guys))?"
    r"(?:\s*[,!.:\u2014-]+\s*|\s+)(?=\S)",
    re.IGNORECASE | re.MULTILINE,
)


#: "ok so when ...", "alright, ...", "so basically ...", "quick one - ...", "quick
#: question: ...": words a request opens with that ask for nothing
_FILLER_LEAD = re.compile(
    r"^(?P<lead>\s*)(?:(?:ok(?:ay)?|alright|all\s+right|right|well)(?:\s*,\s*|\s+so\s+)"
    r"(?:basically,?\s+)?|so\s+basically,?\s+"
    r"|quick\s+(?:one|question|q|thing)\s*(?:[,:\u2014-]+\s*|\s+(?=how|what|can|could)))(?=\S)",
    re.IGNORECASE | re.MULTILINE,
)


#: "before it's created": "it is", not "its", ahead of a verb's past form (what a message
#: says, "that it's backordered", keeps its words)
_PASSIVE_CONTRACTION = re.compile(
    r"\b(?P<lead>(?:before|after|until|once|when)\s+(?:it|that|this))'s\s+(?=[a-z]+ed\b)",
    re.IGNORECASE,
)


#: "check the order's valid": "the order is valid", a state after a noun's "'s" (not a
#: possessive: "the order's items").
_STATE_CONTRACTION = re.compile(
    r"\b(?P<lead>(?:the|their|his|her|its|this|that|your|our)\s+[a-z]+)'s\s+(?=(?:valid|invalid|"
    r"fine|ok|okay|good|bad|ready|paid|unpaid|urgent|negative|positive|neutral|disposable|"
    r"available|unavailable|not|in\s+stock|out\s+of\s+stock|over|under|above|below|more|"
    r"less|shipped|approved|declined|new|active|empty|missing|correct|wrong|complete|"
    r"incomplete|legit|real|fake|genuine|bogus|all\s+good)\b)",
    re.IGNORECASE,
)


#: "check X is a real address and if so ...": a check that "if so" (or "if not") answers,
#: said as the question it is ("check if X is ..."; "so" tested nothing before)
_CHECKED_THEN_IF_SO = re.compile(
    r"\b(?P<verb>check|verify|confirm|see)\s+(?:that\s+)?(?!if\b|whether\b)"
    # (a stop inside an address or a code is no stop)
    r"(?=(?:[^.;!?\n]|\.(?=\w))*?\s(?:is|are)\s(?:[^.;!?\n]|\.(?=\w))*?"
    r"(?:\s*[,.;]\s*|\s+and\s+)(?:then\s+)?"
    r"if\s+(?:so|not|yes|it\s+is|they\s+are)\b)",
    re.IGNORECASE,
)
#: "check the order is valid and in stock": two states to hold, as "make sure" says them
#: (each with the step that tells it).
_CHECKED_STATES = re.compile(
    r"\b(?:double[-\s]?)?check\s+(?:that\s+)?(?=(?:the|their|its|it|they)\b[^,.;:]*?\s(?:is|are)\s"
    r"[^,.;:]*?\band\s+(?:is\s+|are\s+)?(?:in\s+stock|out\s+of\s+stock|valid|invalid|available|"
    r"unavailable|paid|new|active|deliverable|disposable|not\s+disposable)\b)",
    re.IGNORECASE,
)

#: "go through the orders one by one and validate each": a loop said twice over, and
#: "each" on its own at the end of a step is each one.
_ONE_BY_ONE = re.compile(r"\s+(?:one\s+by\s+one|one\s+at\s+a\s+time|in\s+turn)\b", re.IGNORECASE)
_BARE_EACH = re.compile(r"(?<=[a-z]\s)each(?=\s*(?:[.,;!?]|$))", re.IGNORECASE)
#: "for another 12 months each", "$5 each": a quantity per item, no loop of its own
_QUANTITY_BEFORE = re.compile(r"\d[\d,.]*\s*[a-z]*\s+$", re.IGNORECASE)
#: "3 day passes at $25 each", "2 tickets @ €40 apiece": a count of things at a price each
_PRICE_EACH = re.compile(
    r"\b(?P<count>\d{1,3})(?P<things>(?:\s+[a-z][a-z'-]*){1,3}?)\s+(?:at|@|for)\s+"
    r"(?P<cur>[$\u00a3\u20ac])(?P<price>\d[\d,]*(?:\.\d{1,2})?)\s+(?:each|apiece|a\s+piece)\b",
    re.IGNORECASE,
)
#: "add tax for Texas", "add the sales tax in Ontario": the tax worked out on an amount
#: (refused as an "add" no tool does to a tax)
_ADD_THE_TAX = re.compile(
    r"(?P<lead>(?:^|[,;.:!?]\s*|\b(?:and|then|please|pls)\s+))add\s+(?:the\s+)?"
    # (the place or the amount said with it: "add the sales tax and charge the total" says
    # neither, a change to an order's total no tool makes)
    r"(?P<tax>(?:(?:sales|state|local)\s+)?(?:tax|vat|gst|hst))\b(?=\s+(?:for|in|on|at)\b)",
    re.IGNORECASE,
)
#: "has to be OK'd by the dispatch manager", "okayed": approved
_OKAYED = re.compile(r"\b(?:ok'?d|ok'ed|okayed|okay'd)\b", re.IGNORECASE)


#: "if it errors", "if they error out": fails
_IT_ERRORS = re.compile(
    r"\b(?P<lead>if\s+(?:it|that|this|they|the\s+\w+))\s+errors?(?:\s+out)?\b", re.I
)
#: "try again - max 2 retries", ", max 2 retries", "try again (3 attempts max)": how often
_TRY_AGAIN_MAX = re.compile(
    r"(?:\btry\s+(?:it\s+)?again\s*)?(?:[-\u2013\u2014,:(]\s*)?\b(?:max(?:imum)?|at\s+most|up\s+to)\s+"
    r"(?P<n>\d+)\s+(?P<unit>retries|attempts|tries)\b\)?"
    r"|(?:\btry\s+(?:it\s+)?again\s*)?(?:[-\u2013\u2014,:(]\s*)(?P<n2>\d+)\s+(?P<unit2>retries|attempts|"
    r"tries)\s+max(?:imum)?\b\)?",
    re.IGNORECASE,
)


#: "If it's invalid please open a ticket": the condition ends where the polite word starts
#: the step (the step was read as part of the condition)
_CONDITION_THEN_PLEASE = re.compile(
    r"(?P<condition>\b(?:if|when|unless|once)\s+[^,.;:!?]+?)\s+(?:please|pls|kindly)\s+(?=[a-z])",
    re.IGNORECASE,
)


def _retries_said(match: re.Match[str]) -> str:
    """ "try again - max 2 retries" -> "retry up to 2 times"; "(3 attempts max)" -> "try
    up to 3 times" (a retry was planned for neither)."""
    count = match.group("n") or match.group("n2")
    unit = (match.group("unit") or match.group("unit2") or "").lower()
    lead = ", " if match.group(0)[:1] in ",-\u2013\u2014(:" else ""
    if unit == "retries":
        return f"{lead}retry up to {count} times"
    return f"{lead}try up to {count} times"


def _each_one(match: re.Match[str]) -> str:
    if _QUANTITY_BEFORE.search(match.string[: match.start()]):
        return match.group(0)
    return "each one"


#: "once finance has signed off": someone's decision said in the perfect ("signs off").
_HAS_DECIDED = re.compile(
    r"\b(?P<aux>has|have)\s+(?P<verb>signed\s+off|approved|authori[sz]ed|okayed|ok'd)\b",
    re.IGNORECASE,
)


def _decided(match: re.Match[str]) -> str:
    verb = match.group("verb").lower()
    plain = {"signed off": "sign off", "approved": "approve", "okayed": "ok", "ok'd": "ok"}.get(
        re.sub(r"\s+", " ", verb), verb[:-1] if verb.endswith("ed") else verb
    )
    if match.group("aux").lower() == "have":
        return plain
    first, _, rest = plain.partition(" ")
    return f"{first}s {rest}".strip() if first != "ok" else "oks"


#: "ship + email the tracking number": a plus between two steps is "and".
_PLUS_BETWEEN_WORDS = re.compile(r"(?<=[A-Za-z.])\s+\+\s+(?=[A-Za-z])")


#: "email the tracking no. to them": "no." (or "num", "nr") after a noun is its number, not
#: the end of a sentence.
_NUMBER_ABBREVIATION = re.compile(
    r"(?<=[a-z])(?P<space>\s+)(?:no|num|nr)(?P<dot>\.?)(?=\s|[,;:!?)]|$)", re.IGNORECASE
)
_NUMBERED_NOUNS = re.compile(
    r"\b(?:tracking|order|invoice|ticket|reference|ref|account|phone|transaction|shipment|"
    r"case|item|serial|confirmation|receipt|customer|policy|claim)$",
    re.IGNORECASE,
)


def _number_abbreviations(text: str) -> str:
    def expand(match: re.Match[str]) -> str:
        if _NUMBERED_NOUNS.search(text[: match.start()]) is None:
            return match.group(0)
        # ("... the order no. Then ship it": the dot also ends the sentence)
        ends = match.group("dot") and re.match(r"\s+[A-Z]|\s*$", text[match.end() :])
        return match.group("space") + "number" + ("." if ends else "")

    return _NUMBER_ABBREVIATION.sub(expand, text)


#: "and then - only if it's valid - send the welcome email": a condition set off by dashes
_DASHED_CONDITION = re.compile(
    r"\s+[-\u2013\u2014]+\s+(?P<condition>(?:(?:but|and)\s+)?(?:only\s+)?(?:if|when|unless|"
    r"provided|as\s+long\s+as)\b[^-\u2013\u2014\n]+?)\s+[-\u2013\u2014]+\s+",
    re.IGNORECASE,
)


#: "summarise it n email it 2 me": "n" between two words is "and", "2" before whom is "to"
#: (not between two capitalised words: "Lee & Co", "Marks & Spencer" is a name)
_CHAT_AND = re.compile(
    r"(?<=[a-zA-Z])\s+(?:(?i:n|\+n)\s+(?=[a-zA-Z])|&\s+(?=[a-z]))"
)
_CHAT_TO = re.compile(
    r"(?<=[a-z])\s+2\s+(?=(?:me|us|them|him|her|the|my|our|[\w.+-]+@[\w-]+\.)\b)", re.I
)


#: "a 3-sentence summary": a count and what it counts, as "a 3 sentence summary"
_HYPHENED_COUNT = re.compile(
    r"\b(?P<count>\d+|one|two|three|four|five|six|seven|eight|nine|ten)-"
    r"(?P<unit>sentence|line|word|paragraph|bullet|point|item)s?\b",
    re.IGNORECASE,
)
#: "do we have 5 SKU-MUG-01 and 2 SKU-TEE-L?": counts of codes asked after "do we have",
#: which asks whether they are in stock (the words said nothing a tool does)
_DO_WE_HAVE_COUNTS = re.compile(
    r"\b(?P<asked>(?:do|does)\s+(?:we|you|the\s+(?:warehouse|store|shop))\s+(?:still\s+)?"
    r"(?:have|stock|carry)\s+(?:\d+\s*x?\s+(?-i:[A-Z][A-Z0-9]*-[\w-]*)(?:\s*,\s*|\s+(?:and|&)\s+"
    r"|\s*,\s*(?:and|&)\s+)?)+)(?=\s*\?)",
    re.IGNORECASE,
)
#: "How much VAT do we add to a €450 membership?", "how much sales tax should I charge on
#: a $200 order": the tax on that amount, a question and no step of adding or charging
_HOW_MUCH_WE_ADD = re.compile(
    r"\bhow\s+much\s+(?P<what>[\w/-]+(?:\s+[\w/-]+)?)\s+(?:do|does|should|would|will|must|"
    r"shall)\s+(?:we|i|you|they)\s+(?:need\s+to\s+|have\s+to\s+)?(?:add|charge|pay|owe|"
    r"collect|put|apply)\s+(?:on|to|for)\b",
    re.IGNORECASE,
)
#: "how much gst on a $64.50 order in australia", "how much VAT is there on €80": the tax on
#: that amount, asked without a verb of adding or charging
_HOW_MUCH_TAX_ON = re.compile(
    r"\bhow\s+much\s+(?P<what>(?:sales\s+)?(?:tax|taxes|vat|gst|hst|pst))\s+(?:is\s+(?:there\s+|"
    r"charged\s+|due\s+)?|would\s+(?:there\s+)?be\s+|comes?\s+)?(?:on|for)\b",
    re.IGNORECASE,
)
#: "how much is 100 GBP in USD?", "what's 250 EUR in yen": an amount in one currency asked
#: in another, the conversion ("convert 100 GBP to USD")
_HOW_MUCH_IN_ANOTHER_CURRENCY = re.compile(
    r"\b(?i:how\s+much\s+(?:is|are|would\s+be)|what(?:'s|\s+is|\s+are))\s+"
    r"(?P<amount>\d+(?:\.\d+)?\s?[A-Z]{3}|[$\u20ac\u00a3]\s?\d+(?:\.\d+)?)\s+"
    r"(?:in|to|into|worth\s+in)\s+(?P<target>[A-Z]{3}|dollars|euros|pounds|yen)\b",
)
#: "how much is the taco bar for 60 people?": the price of a thing for a count, asked
_HOW_MUCH_FOR_A_COUNT = re.compile(
    r"\bhow\s+much\s+(?:is|are|would\s+be|will\s+be)\s+(?P<what>(?:the|a|an)\s+[a-z][a-z' -]*?"
    r"\s+for\s+\d+)\b",
    re.IGNORECASE,
)
#: "convert $40 to GBP": the amount in the code its sign stands for ("40 USD"), which the
#: lookup of the pair takes
_SIGNED_AMOUNT_CONVERTED = re.compile(
    r"\b(?P<verb>convert|change|exchange)\s+(?P<sign>[$\u20ac\u00a3])\s?(?P<n>\d+(?:\.\d+)?)"
    r"(?=\s+(?:to|into|in)\s+[A-Z]{3}\b)",
    re.IGNORECASE,
)
_SIGN_CODES = {"$": "USD", "\u20ac": "EUR", "\u00a3": "GBP"}
#: "we lost 3 units of MUG-WHT in a breakage, take them off inventory": the units lost are
#: what is removed ("take ... off" is "remove ... from")
_LOST_THEN_TAKEN_OFF = re.compile(
    r"\b(?:we\s+|i\s+)?(?:lost|broke|damaged|destroyed|wrote\s+off)\s+(?P<what>\d+\s+"
    r"(?:units?|pieces?|items?)\s+of\s+[\w-]+)(?P<why>[^,.;]*?)\s*[,.;]\s*(?:so\s+)?(?:please\s+)?"
    r"(?:take|remove)\s+(?:them|those|these|it)\s+(?:off|out\s+of|from)\s+",
    re.IGNORECASE,
)
#: "take 3 units of MUG-WHT off inventory": removed from it
_TAKEN_OFF = re.compile(
    r"\btake\s+(?P<what>\d+\s+(?:units?|pieces?|items?)\s+of\s+[\w-]+)\s+(?:off|out\s+of)\s+",
    re.IGNORECASE,
)
#: "A re-pipe quote is $3,400 in Ontario, Canada. How much is that with tax?": the tax on the
#: amount the sentence before states
_HOW_MUCH_WITH_TAX = re.compile(
    r"(?P<lead>^|[.!?]\s+)[^.!?$\u20ac\u00a3]*?\b(?:is|comes\s+to|costs?|came\s+to)\s+"
    r"(?P<amount>[$\u20ac\u00a3]\s?\d[\d,]*(?:\.\d+)?(?:\s?[kK]\b)?|\d[\d,]*(?:\.\d+)?\s?"
    r"(?:USD|EUR|GBP|CAD|AUD|dollars|euros|pounds)\b)(?P<place>\s+in\s+[^.!?]+?)?\s*[.!?]+\s*"
    r"(?:so\s+)?(?:how\s+much\s+is|what(?:'s|\s+is))\s+(?:that|it|this)\s+(?:with|after|including|"
    r"incl\.?|plus)\s+(?P<what>(?:sales\s+)?(?:tax|vat|gst|hst))\b\s*\??",
    re.IGNORECASE,
)

#: "check the email is valid and tell me which ones aren't": the quality the check said,
#: not said again after "aren't" (each item was emailed alone)
_WHICH_ONES_NOT = re.compile(
    r"(?P<head>\b(?:is|are)\s+(?P<quality>(?:in\s+|out\s+of\s+)?[a-z]+)\b(?:[^.;!?]|\.(?=\S))*?\bwhich)"
    r"(?P<which>\s+ones|\s+of\s+them|\s+[a-z]+s)?\s+(?:aren't|are\s+not|weren't|were\s+not|isn't|is\s+not)"
    r"(?=\s*(?:[.,;:!?]|$))",
    re.IGNORECASE,
)


#: "ship it unless the tea is out of stock - in that case email her instead": what to do
#: when the "unless" holds, said after it
_IN_THAT_CASE = re.compile(
    r"\bunless\s+(?P<condition>[^.;!?]+?)\s*(?:[-\u2013\u2014,;]\s*|\s)(?:and\s+)?in\s+"
    r"(?:that|which|this)\s+case,?\s+(?P<step>[^.;!?]+?)(?:,?\s+instead)?(?=\s*(?:[.;!?]|$))",
    re.IGNORECASE,
)


#: "high-risk customers need a compliance officer's approval before ...": an approval for
#: the things of one kind only
_KIND_NEEDS_APPROVAL = re.compile(
    r"(?P<lead>^|[.;:]\s*|\b(?:and|but)\s+)(?P<value>[a-z]+)-(?P<aspect>[a-z]+)\s+[a-z]+s\s+"
    r"(?P<verb>needs?|requires?|must\s+get|have\s+to\s+get)\s+(?P<rest>[^.;!?]*\bapprov)",
    re.IGNORECASE,
)


def kind_needs_approval(text: str, specs: Iterable[ToolSpec]) -> str:
    """ "High-risk customers need a compliance officer's approval before we open an account":
    "if they're high risk, they need ...", when a tool named for the aspect ("risk") lists
    the value ("high") among its outputs; otherwise the words are left as they are (a
    "high-value order" is no ticket's high priority)."""

    def said(match: re.Match[str]) -> str:
        value, aspect = match["value"].lower(), match["aspect"].lower()
        for spec in specs:
            named = {w.lower() for w in re.findall(r"[A-Za-z]+", spec.id)}
            for name, schema in spec.output_properties().items():
                listed = schema.get("enum") if isinstance(schema, dict) else None
                if value in (listed or ()) and (aspect in named or aspect in name.lower()):
                    return (
                        f"{match['lead']}if they're {match['value']} {match['aspect']}, they "
                        f"{match['verb']} {match['rest']}"
                    )
        return match.group(0)

    return _KIND_NEEDS_APPROVAL.sub(said, text)


#: "look each up", "pull them all up": the particle after the object
_EACH_UP = re.compile(
    r"\b(?P<verb>look|pull|call|bring|ring)\s+(?P<what>each(?:\s+one)?|them(?:\s+(?:each|all))?|"
    r"every\s+one)\s+up\b",
    re.IGNORECASE,
)


_LISTED_CODE = r"(?=[\w-]*\d)[A-Za-z][\w-]*"
#: "For reservations HX-1, HX-2 and HX-3, look each up and ...": a loop over the codes
_FOR_THE_CODES = re.compile(
    rf"(?P<lead>^|(?<=[.!?;])\s+)for\s+(?P<noun>[a-z]+s)\s+(?P<codes>{_LISTED_CODE}"
    rf"(?:\s*,\s*{_LISTED_CODE})*\s*,?\s*(?:and|&)\s+{_LISTED_CODE})\s*,\s*(?P<rest>[^.;!?]+)",
    re.IGNORECASE,
)


_LISTED_ONE = r"(?:https?://[^\s,]+?|[\w.+-]+@[\w-]+(?:\.[\w-]+)+|(?=[\w-]*\d)[A-Za-z][\w-]*)"
#: "For each of u_1, u_2, u_3: look them up", "for each of ann@x.io, bob@y.io: ...": codes,
#: addresses or links listed without "and", then a colon
_EACH_OF_CODES_COLON = re.compile(
    rf"\b(?P<lead>for\s+each\s+of\s+)(?P<items>{_LISTED_ONE}(?:\s*,\s*{_LISTED_ONE})+)\s*:\s+",
    re.IGNORECASE,
)
#: "open an account ticket for any that aren't found": a step for those of a kind only
_FOR_ANY_THAT = re.compile(
    r"(?P<lead>\band\s+|\bthen\s+|[,;:]\s*|^)(?P<step>[a-z](?:(?!\b(?:and|then)\b)[^,.;:!?])*?)"
    r"\s+for\s+(?:any|those|"
    r"the\s+ones|each\s+one|every\s+one)\s+(?:of\s+them\s+)?(?:that|which|who)\s+"
    r"(?P<condition>(?:are|is|were|was|aren't|isn't|weren't|wasn't|don't|doesn't|didn't|have|"
    r"has|haven't|hasn't)\b[^,.;!?]*?)(?=\s*(?:[,.;!?]|$))",
    re.IGNORECASE,
)


_LIST_ITEM = r"(?:https?://\S+?|[\w.+-]+@[\w-]+(?:\.[\w-]+)+|(?=[\w-]*\d)[A-Za-z][\w-]*)"
#: "fetch these two pages and summarize each one: <a> and <b>": the list is the first
#: step's things, said at the end
_LIST_SAID_LAST = re.compile(
    r"(?P<head>\b[a-z]+\s+(?:these|those|the|both)\s+(?:\w+\s+)?[a-z]+s)\s+and\s+"
    r"(?P<second>[a-z]+\s+(?:each(?:\s+one)?|them(?:\s+all)?|both(?:\s+of\s+them)?))\s*:\s*"
    rf"(?P<list>{_LIST_ITEM}(?:\s*(?:,|\band\b|&)\s*{_LIST_ITEM})+)(?=\s*(?:[.;!?]\s|[.;!?]?$))",
    re.IGNORECASE,
)


#: "check each guest email on this list and open a ticket for any that are invalid: a@x,
#: b@y, c@z": the steps over each, then the list they run over, ending the request
_STEPS_THEN_THEIR_LIST = re.compile(
    # (two steps: "read each of these sensors: ..." is one, read as it is)
    r"^(?P<steps>[^:.;!?]*?\b(?:each|every|these|those|this\s+list|the\s+list)\b[^:;!?]*?\s(?:and|then)"
    r"\s[^:;!?]*?)\s*:\s*"
    rf"(?P<list>{_LIST_ITEM}(?:\s*(?:,|\band\b|&)\s*{_LIST_ITEM})+)\s*[.!]?\s*$",
    re.IGNORECASE,
)


def _each_of_codes(match: re.Match[str]) -> str:
    items = [item.strip() for item in match["items"].split(",")]
    return f"{match['lead']}{', '.join(items[:-1])} and {items[-1]}, "


def _for_the_codes(match: re.Match[str]) -> str:
    """ "For reservations HX-1, HX-2 and HX-3, look up each one and ..." -> "For each of
    these reservations: HX-1, HX-2 and HX-3, look it up and ..."."""
    rest = re.sub(r"\blook\s+up\s+each\s+one\b", "look it up", match["rest"], flags=re.I)
    rest = re.sub(r"\beach\s+one\b", "it", rest, count=1, flags=re.I)
    return f"{match['lead']}For each of these {match['noun']}: {match['codes']}, {rest}"


def _each_up_object(what: str) -> str:
    lowered = what.lower()
    return "each one" if lowered.startswith(("each", "every")) or "each" in lowered else what


#: ", give them a day" after an approval: its deadline, said as after a dash
_GIVE_THEM_TIME = re.compile(
    r"\s*,\s*(?=(?:and\s+)?(?:give|allow)\s+(?:them|him|her|it|the\s+\w+)\s+(?:a|an|one|two|three|"
    r"\d+)\s+(?:business\s+|working\s+)?(?:minutes?|hours?|days?|weeks?)\b)",
    re.IGNORECASE,
)


#: "... and if they're not found send the welcome email to that address": the one address
#: the request wrote before
_THAT_ADDRESS = re.compile(
    r"\b(?:that|the\s+same|this)\s+(?:e-?mail\s+)?address\b(?!\s*[:(]?\s*[\w.+-]+@)",
    re.IGNORECASE,
)
_AN_ADDRESS = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")


def _that_address(text: str) -> str:
    """ "to that address" -> the one address written before it, when exactly one is."""

    def said(match: re.Match[str]) -> str:
        before = {a.rstrip(".").lower() for a in _AN_ADDRESS.findall(text[: match.start()])}
        if len(before) != 1:
            return match.group(0)
        return next(a.rstrip(".") for a in _AN_ADDRESS.findall(text[: match.start()]))

    return _THAT_ADDRESS.sub(said, text)


#: "hey so we finished the roof repair at the Millers'. can you charge ...": what was done,
#: told before the request (no step; it was refused as one)
_DONE_ALREADY_FIRST = re.compile(
    r"^(?P<lead>\s*(?:(?:hey|hi|hello|ok|okay|so|well|alright)[,!.]?\s+){0,3})(?:we|i)\s+"
    r"(?:just\s+|already\s+|finally\s+)?(?:[a-z]+ed|did|made|got|had|went|came|took|sent|put|"
    r"built|fixed|won)\b(?P<told>[^.!?]*)[.!]+\s+(?=\S)",
    re.IGNORECASE,
)
_ASKS = re.compile(r"\b(?:please|pls|can\s+you|could\s+you|need|want|if|when)\b", re.IGNORECASE)


def _done_already(match: re.Match[str]) -> str:
    told = match.group("told")
    if _ASKS.search(told) or re.search(r"[\d@:\"\u201c\u2018#]|(?<!\w)'[^']+'", told):
        # (what it carries, a code, an address, a quote, is what the steps work on: "we
        # received this review: '...'")
        return match.group(0)
    return match.group("lead")


#: "$2.4k", "€5k": an amount of money in thousands
_THOUSANDS_SAID_K = re.compile(r"(?P<cur>[$\u00a3\u20ac])\s?(?P<n>\d+(?:\.\d+)?)\s?[kK]\b")


def _thousands_written_out(match: re.Match[str]) -> str:
    """ "$2.4k" -> "$2400" (the amount was read as $2)."""
    said = f"{float(match['n']) * 1000:.2f}".removesuffix(".00")
    return f"{match['cur']}{said}"


def _price_times_quantity(match: re.Match[str]) -> str:
    """ "3 day passes at $25 each" -> "3 day passes, $75 in all": the amount charged is the
    count times the price (the price of one was charged)."""
    total = int(match["count"]) * float(match["price"].replace(",", ""))
    said = f"{total:.2f}".removesuffix(".00")
    return f"{match['count']}{match['things']} at {match['cur']}{said} in all"


_MONTH_NAMES = (
    "january february march april may june july august september october november december"
)
#: A month by its name or the first three letters of it ("mar", "sept" too)
_MONTHS = {
    **{name: n for n, name in enumerate(_MONTH_NAMES.split(), start=1)},
    **{name[:3]: n for n, name in enumerate(_MONTH_NAMES.split(), start=1)},
    "sept": 9,
}
_MONTH = rf"(?P<month>{'|'.join(sorted(_MONTHS, key=len, reverse=True))})\.?"
_DAY = r"(?P<day>[0-3]?\d)(?:st|nd|rd|th)?"
#: "march 3 2026", "Mar 3rd, 2026", "3 March 2026": a day written with its month's name and
#: its year, which date inputs take as 2026-03-03
_DATE_IN_WORDS = re.compile(
    rf"\b(?:{_MONTH}\s+{_DAY},?|{_DAY.replace('day>', 'day2>')}\s+(?:of\s+)?"
    rf"{_MONTH.replace('month>', 'month2>')},?)\s+(?P<year>20\d\d)\b",
    re.IGNORECASE,
)


#: "if more than 5 tasks are overdue": a count of things in a state, which a step returns
#: as `overdue_tasks` ("if there are more than 5 overdue tasks")
_COUNT_IN_A_STATE = re.compile(
    r"\b(?P<lead>if|when|unless|once)\s+(?P<cmp>(?:more|fewer|less)\s+than|over|under|"
    r"at\s+least)\s+(?P<n>\d+)\s+(?P<things>[a-z]+s)\s+(?:are|were)\s+"
    r"(?P<state>(?!not\b|still\b|being\b)[a-z]+)\b(?!\s+(?:than|to|by|in|on|at|for|from|with)\b)",
    re.IGNORECASE,
)
#: "leave a comment on task ...", "drop a note on it": a comment added
_LEAVE_A_NOTE = re.compile(
    r"\b(?:leave|drop)\s+(?P<what>(?:a|an|the|my|our|this)\s+(?:short\s+|quick\s+|internal\s+|"
    r"private\s+|public\s+)?(?:comment|note|reply))\b",
    re.IGNORECASE,
)


def _iso_date(match: re.Match[str]) -> str:
    month = _MONTHS[(match["month"] or match["month2"]).lower()]
    day = int(match["day"] or match["day2"])
    if not 1 <= day <= 31:
        return match.group(0)
    return f"{match['year']}-{month:02d}-{day:02d}"


def chat_spelling(text: str) -> str:
    """ "hey can u check if it isnt valid" -> "can you check if it isn't valid"."""
    text = _DONE_ALREADY_FIRST.sub(_done_already, text, count=1)
    text = _that_address(text)
    text = _GIVE_THEM_TIME.sub(" - ", text)
    text = _EACH_UP.sub(lambda m: f"{m['verb']} up {_each_up_object(m['what'])}", text)
    text = _FOR_THE_CODES.sub(_for_the_codes, text)
    text = _EACH_OF_CODES_COLON.sub(_each_of_codes, text)
    text = _LIST_SAID_LAST.sub(r"\g<head>: \g<list>, and \g<second>", text)
    text = _STEPS_THEN_THEIR_LIST.sub(
        lambda m: f"For each of these: {m['list']} - {m['steps'].strip()}", text
    )
    text = _FOR_ANY_THAT.sub(r"\g<lead>if they \g<condition>, \g<step>", text)
    text = _IN_THAT_CASE.sub(r"unless \g<condition>. If \g<condition>, \g<step>", text)
    text = _HYPHENED_COUNT.sub(r"\g<count> \g<unit>", text)
    text = _HOW_MUCH_WE_ADD.sub(r"what's the \g<what> on", text)
    text = _DO_WE_HAVE_COUNTS.sub(lambda m: f"{m['asked'].rstrip()} in stock", text)
    text = _WHICH_ONES_NOT.sub(
        lambda m: f"{m['head']}{m['which'] or ' ones'} are not {m['quality']}", text
    )
    text = _HOW_MUCH_TAX_ON.sub(r"what's the \g<what> on", text)
    text = _LOST_THEN_TAKEN_OFF.sub(r"remove \g<what> from ", text)
    text = _TAKEN_OFF.sub(r"remove \g<what> from ", text)
    text = _HOW_MUCH_FOR_A_COUNT.sub(r"price \g<what>", text)
    text = _HOW_MUCH_IN_ANOTHER_CURRENCY.sub(r"convert \g<amount> to \g<target>", text)
    text = _SIGNED_AMOUNT_CONVERTED.sub(
        lambda m: f"{m['verb']} {m['n']} {_SIGN_CODES[m['sign']]}", text
    )
    text = _HOW_MUCH_WITH_TAX.sub(r"\g<lead>what's the \g<what> on \g<amount>\g<place>?", text)
    text = _CHAT_TO.sub(" to ", _CHAT_AND.sub(" and ", text))
    text = _GREETING.sub(lambda match: match.group("lead"), text)
    text = _FILLER_LEAD.sub(lambda match: match.group("lead"), text)
    text = _DASHED_CONDITION.sub(r", \g<condition>, ", text)
    text = _number_abbreviations(text)
    text = _PLUS_BETWEEN_WORDS.sub(" and ", text)
    text = _PASSIVE_CONTRACTION.sub(r"\g<lead> is ", text)
    text = _STATE_CONTRACTION.sub(r"\g<lead> is ", text)
    text = _CHECKED_THEN_IF_SO.sub(r"\g<verb> if ", text)
    text = _CHECKED_STATES.sub("make sure ", text)
    text = _BARE_EACH.sub(_each_one, _ONE_BY_ONE.sub("", text))
    text = _OKAYED.sub("approved", text)
    text = _PRICE_EACH.sub(_price_times_quantity, text)
    text = _ADD_THE_TAX.sub(r"\g<lead>calculate the \g<tax>", text)
    text = _THOUSANDS_SAID_K.sub(_thousands_written_out, text)
    text = _IT_ERRORS.sub(r"\g<lead> fails", text)
    text = _CONDITION_THEN_PLEASE.sub(r"\g<condition>, ", text)
    text = _TRY_AGAIN_MAX.sub(_retries_said, text)
    text = _HAS_DECIDED.sub(_decided, text)
    text = _NO_SUCH_RECORD.sub(r"\g<lead> no \g<such>\g<noun> is found", text)
    text = _SHORT_UNIT.sub(lambda m: f"{m['n']} {_SHORT_UNITS[m['unit'].lower()]}", text)
    text = outside_quotes(_DATE_IN_WORDS, _iso_date, text)
    text = outside_quotes(_LEAVE_A_NOTE, lambda m: f"add {m['what']}", text)
    text = outside_quotes(
        _COUNT_IN_A_STATE,
        lambda m: f"{m['lead']} there are {m['cmp']} {m['n']} {m['state']} {m['things']}",
        text,
    )
    # (what a quote says is kept as written: "'we couldnt see the stage'")
    return outside_quotes(_CHAT_WORD, lambda match: _CHAT_WORDS[match.group(0).lower()], text)


#: "if there's no such account": nobody found by the lookup before, as "if no account is
#: found" reads (a ticket was classified for its "account" category)
_NO_SUCH_RECORD = re.compile(
    r"\b(?P<lead>if|when|unless)\s+there(?:'s|\s+is|\s+are)\s+no\s+(?P<such>such\s+)?"
    r"(?P<noun>users?|accounts?|customers?|members?|patients?|students?|applicants?|records?|"
    r"matches|match|profiles?|riders?|tenants?|clients?|contacts?|entry|entries|one)\b"
    r"(?=\s*(?:[,;.!?]|$|\bthen\b)|\s+(?:send|email|e-mail|create|open|add|register|invite|"
    r"notify|text|tell|ask|flag|mark|make|set|sign|welcome|start|log|file)\b)",
    re.IGNORECASE,
)
#: "30 yrs", "6 mos", "2 wks": a length of time in its short form after a number, read
#: as the word (an input named `term_years` takes "30 years")
_SHORT_UNITS = {"yr": "years", "yrs": "years", "mo": "months", "mos": "months", "wk": "weeks",
                "wks": "weeks"}  # fmt: skip
_SHORT_UNIT = re.compile(r"(?<![\w.])(?P<n>\d+)\s*-?\s*(?P<unit>yrs?|mos|wks?)\b", re.I)


_THOUSANDS = re.compile(r"(?<=\d),(?=\d{3}(?!\d))")
#: "2 500 USD", "€ 1 500": spaces between thousands, only next to a currency.
_SPACED_AMOUNT = re.compile(
    r"(?P<before>[$€£¥]\s*)?\b(?P<number>\d{1,3}(?:[ \u00a0\u202f]\d{3})+)\b(?![\d.,])"
    r"(?P<after>\s*(?:usd|eur|gbp|cad|aud|dollars?|euros?|pounds?|[$€£¥]))?",
    re.IGNORECASE,
)


#: A money amount written with a decimal comma, its thousands (if any) parted by stops or
#: spaces: "49,90 EUR", "€1.299,00", "1 299,50 kr" (the currency said beside it, so that
#: "orders 12,34" stays two numbers).
_CURRENCY_WORD = (
    r"(?:[€$£¥]|EUR|USD|GBP|CHF|SEK|NOK|DKK|PLN|CZK|HUF|BRL|euros?|dollars?|pounds?|francs?|"
    r"kr|zł|Kč|R\$)"
)
_DECIMAL_COMMA = re.compile(
    rf"(?P<before>{_CURRENCY_WORD}\s?)?(?<![\d.,])(?P<whole>\d{{1,3}}(?:[. ]\d{{3}})+|\d+),"
    rf"(?P<cents>\d{{1,2}})(?![\d,.])(?P<after>\s?{_CURRENCY_WORD}(?!\w))?"
)


_SYMBOL_AFTER = re.compile(r"(?<![\w.,])(?P<number>\d+(?:\.\d+)?)\s?(?P<symbol>[€£¥])(?!\s?\d)")


def _decimal_point(match: re.Match[str]) -> str:
    if not (match["before"] or match["after"]):
        return match[0]
    whole = re.sub(r"[. ]", "", match["whole"])
    return f"{match['before'] or ''}{whole}.{match['cents']}{match['after'] or ''}"


def drop_thousands_separators(text: str) -> str:
    """ "10,000" -> "10000", so that the comma neither splits the sentence nor the number;
    an amount with a decimal comma ("49,90 EUR") gets a decimal point."""
    text = _DECIMAL_COMMA.sub(_decimal_point, text)
    # ("50 €", "3.50€": the symbol written after the number goes before it, as read)
    text = _SYMBOL_AFTER.sub(r"\g<symbol>\g<number>", text)
    previous = None
    while previous != text:
        previous, text = text, _THOUSANDS.sub("", text)

    def join(match: re.Match[str]) -> str:
        if not (match.group("before") or match.group("after")):
            return match.group(0)
        number = re.sub(r"\s", "", match.group("number"))
        return f"{match.group('before') or ''}{number}{match.group('after') or ''}"

    return _SPACED_AMOUNT.sub(join, text)


#: Nouns that, leading a step, ask to send something ("email the customer", "emails the
#: summary to ...": no tool's id need name them).
MESSAGE_VERBS = frozenset({"email", "text", "message", "sms", "ping", "mail"})


#: Verbs of three letters whose third-person form says nothing else ("adds them to the
#: sheet"); other short words ending in "s" ("has", "was", "its") are left alone.
_SHORT_VERBS = frozenset({"add", "ask", "get", "log", "pay", "tag"})


#: A condition that says its subject's state ("if it's approved", "when the order is not
#: paid") and a verb in the third person right after it, with its object.
_STATE_THEN_VERB = re.compile(
    r"(?P<state>\b(?:if|when|once|unless)\s+(?:it|they|he|she|this|that|"
    r"(?:the|this|that|their|its|his|her)\s+\w+)(?:'s|'re|\s+(?:is|are|was|were|gets|got))"
    r"(?:\s+not)?\s+[a-z]+)\s+(?P<verb>[a-z]+e?s)"
    r"(?=\s+(?:it|them|the|a|an|their|its|his|her|to)\b)",
    re.IGNORECASE,
)

#: What a step's verb acts on, right after it ("files a ticket", "logs the error").
_OBJECT_AFTER = re.compile(
    r"\s+(?:the|a|an|it|them|this|that|their|its|our|each|every|all)\b", re.IGNORECASE
)


def plain_verb_forms(text: str, verbs: Iterable[str], noun_verbs: Iterable[str] = ()) -> str:
    """ "a flow that validates the order and charges the card" -> "validate", "charge";
    a verb that is also a noun ("files a ticket") only with its object after it."""
    known = {v for v in verbs if len(v) > 3 or v in _SHORT_VERBS}
    if not known:
        return text
    # "figures out" (a verb of two words), "emails the team" (a message said as its verb)
    known |= {v.split()[0] for v in known if " " in v} | MESSAGE_VERBS
    nouns_too = frozenset(noun_verbs) - known

    def plain(word: str, string: str, end: int) -> str | None:
        lowered = word.lower()
        # ("classifies": classify)
        ies = lowered[:-3] + "y" if lowered.endswith("ies") else ""
        for base in (lowered[:-1], lowered[:-2], ies):
            if base == lowered:
                continue
            if base in known or (base in nouns_too and _OBJECT_AFTER.match(string, end)):
                return base if word.islower() else word[0] + base[1:]
        return None

    def replace(match: re.Match[str]) -> str:
        return plain(match.group(0), match.string, match.end()) or match.group(0)

    def step_apart(match: re.Match[str]) -> str:
        verb = match["verb"]
        if plain(verb, match.string, match.end()) is None:
            return match.group(0)
        return f"{match['state']}, {verb}"

    # "if it's approved ships the order": the condition is whole, the verb starts the step
    text = _STATE_THEN_VERB.sub(step_apart, text)
    return re.sub(
        r"(?:(?<=^)|(?<=\bthat\s)|(?<=\bwhich\s)|(?<=\bwho\s)|(?<=\band\s)|(?<=\bthen\s)|"
        # ("and if so looks them up": the step after "if so")
        r"(?<=,\s)|(?<=;\s)|(?<=:\s)|(?<=\n)|(?<=\bif\sso\s))[A-Za-z]+e?s\b",
        replace,
        text,
    )


# -- context, asides and things not to do ----------------------------------------------------

#: A sentence that opens like this tells the planner about the situation, not what to do.
_CONTEXT_START = re.compile(
    r"^\(?\s*(?:(?:quick|some|a\s+(?:bit\s+of|little)|brief|short|a)\s+(?:background|context|"
    r"note|aside)\b|we|we're|we've|we'll|we'd|our|ours|i|i'm|i've|my|they|their|it's|its|this|"
    r"that's|there|there's|these|those|most|many|some|customers?|users?|people|everything|"
    r"nothing|background|context|note|fyi|for\s+context|for\s+reference|for\s+now|btw|"
    r"by\s+the\s+way|thanks?|thank\s+you|hi|hello|hey|dear|cheers|ps|given|currently|"
    r"right\s+now|at\s+the\s+moment|sometimes|usually|normally|typically|anyway|ok|okay)\b",
    re.IGNORECASE,
)
#: ... unless it goes on to ask for something ("I'd like to validate ...").
_REQUEST_LEAD = re.compile(
    # "Please set up a flow: ...", "Build me a workflow that ..."
    r"^.*?\b(?:(?:please\s+)?(?:set\s+up|build|create|make|design)\s+(?:me\s+|us\s+)?(?:a|an)\s+"
    r"(?:new\s+|simple\s+|small\s+)?(?:flow|workflow|automation|pipeline)\s*(?:[:,\u2014-]|"
    r"that|which|to|where)|(?:i|we)(?:\s+would|'d)\s+like\s+(?:you\s+|(?:the|this|a|our)\s+(?:flow|"
    r"workflow|automation|process|system|pipeline)\s+)?to|(?:i|we)\s+(?:want|need)\s+(?:you\s+|"
    r"(?:the|this|a|our)\s+(?:flow|workflow|automation|process|system|pipeline)\s+)?to|"
    r"(?:can|could|would)\s+you|please|what\s+(?:i|we)\s+(?:need|want)(?:\s+is)?\s*:?|"
    r"(?:i|we)(?:\s+(?:want|need|would\s+like)|'d\s+like)\s+(?:a|an|the)\s+"
    r"(?:new\s+|simple\s+|small\s+)?"
    r"(?:flow|workflow|process|pipeline|automation)\s+"
    # "I want a flow that, given a URL, fetches it": the comma opens an aside
    r"(?:that|which|to|where|in\s+which|for\s+when),?|(?:the|a|this)\s+(?:flow|workflow)\s+should|"
    # "I need a workflow: when ..."
    r"(?:(?:i|we)\s+)?(?:want|need)\s+(?:a|an|the|some)\s+(?:new\s+)?(?:flow|workflow|process|"
    r"pipeline|automation)\s*[:,\u2014-])\s+",
    re.IGNORECASE,
)
#: Things the request says not to do, or to leave out.
_DONT = re.compile(
    r"^(?:please\s+|but\s+|and\s+|so\s+|just\s+)*(?:do\s+not|don't|dont|never|no\s+need\s+"
    r"to|there's\s+no\s+need|ignore|skip|forget|leave\s+out|without|avoid|don't\s+worry|"
    r"no\s+need|not\s+necessary|we\s+don't|we\s+do\s+not|you\s+don't|nothing\s+else|"
    r"everything\s+else|anything\s+else)\b",
    re.IGNORECASE,
)
#: "do nothing", "nothing", "stop": an arm with no step.
_NOTHING = re.compile(
    r"^(?:(?:then|just|simply|please)\s+)*(?:do\s+nothing|nothing|no\s+action|"
    r"(?:send|email|create|charge|ship)\s+nothing|"
    r"don't\s+do\s+anything|do\s+not\s+do\s+anything|leave\s+it(?:\s+alone)?|stop|"
    r"ignore\s+it|skip\s+it|carry\s+on|continue)(?:\s+(?:else|at\s+all|for\s+now|here))?$",
    re.IGNORECASE,
)
_DECLARATIVE = re.compile(
    r"^(?!(?:once|when|whenever|if|after|as\s+soon\s+as|unless|until|before)\b)"
    r"(?:the\s+|our\s+|all\s+)?[a-z]+(?:\s+[a-z]+){0,2}\s+(?:is|are|was|were|gets?|has|have)\s+"
    r"(?:handled|covered|done|managed|taken\s+care|already|not|never|always|usually|often|"
    r"a\s+mess|manual|slow|broken)\b",
    re.IGNORECASE,
)


def request_lead_removed(text: str) -> str:
    """ "I'd like to validate the email" -> "validate the email"."""
    match = _REQUEST_LEAD.match(text)
    if match is None:
        return text
    rest = text[match.end() :].strip()
    if rest and re.search(r"\b(?:where|in\s+which|for\s+when)\s*$", match.group(0), re.I):
        # "I need a workflow where a new customer signs up, we ...": what starts it
        return f"When {rest}"
    # "I want to know if order 55 is in stock": a check of it
    rest = _KNOW_WHETHER.sub("check ", rest, count=1)
    trigger = _TRIGGER_LEAD.match(text[: match.end()])
    if rest and trigger is not None:
        # "Every time an order comes in, please validate it": the trigger says what "it" is
        return f"{trigger.group('trigger')}, {rest}"
    return rest or text


#: "know if", "find out whether": what the writer wants to learn, a check
_KNOW_WHETHER = re.compile(r"^(?:know|find\s+out|see|learn)\s+(?=(?:if|whether)\b)", re.I)
#: "When an order comes in, please ...", "every time a form is submitted, could you ..."
_TRIGGER_LEAD = re.compile(
    r"^\s*(?P<trigger>(?:when|whenever|every\s+time|each\s+time|any\s+time|once|as\s+soon\s+as|"
    r"if|for\s+(?:each|every))\b[^,]+?)\s*,",
    re.IGNORECASE,
)


_ROUTINE = re.compile(
    r"^(?:(?:each|every|on)\s+(?:morning|day|night|evening|week|month|hour|time|monday|tuesday|"
    r"wednesday|thursday|friday|saturday|sunday|weekday|weekend)s?|usually|normally|"
    r"today|currently|sometimes|often|daily|weekly|nightly|right\s+now|at\s+the\s+moment)\s*,?\s+"
    r"(?:we|i|they|our|customers?|users?)\b",
    re.IGNORECASE,
)
_NO_NEED = re.compile(
    r"\b(?:the\s+following\s*$|as\s+follows\b|here'?s\s+(?:what|the\s+plan|how)\b|(?:don't|do\s+not|doesn't|does\s+not|won't|will\s+not)\s+need\s+(?:anything|any\b|to\b|"
    r"a\b)|can\s+be\s+(?:ignored|skipped|left\s+alone)|needs?\s+no\b|nothing\s+(?:needs|to\s+do))",
    re.IGNORECASE,
)


def is_context(text: str) -> bool:
    """Whether a clause describes the situation rather than asking for a step."""
    stripped = text.strip().lstrip("(").strip()
    if re.match(r"(?:if|when|unless|only|once|whenever)\b", stripped, re.IGNORECASE):
        return False
    return bool(
        _CONTEXT_START.match(stripped)
        or _DECLARATIVE.match(stripped)
        or _NO_NEED.search(stripped)
        or _ROUTINE.match(stripped)
        or _TITLE.match(stripped)
    )


#: "New signup flow", "Order fulfilment workflow (v2)": the request's title, not a step.
_TITLE = re.compile(
    r"^(?!(?:run|start|trigger|execute|launch|kick|do|process|handle|build|create|make)\b)"
    r"(?:[\w'-]+\s+){0,4}(?:flow|workflow|process|pipeline|automation|procedure|playbook)"
    r"(?:\s*\([^)]*\))?\s*[.:]?$",
    re.IGNORECASE,
)


def is_exclusion(text: str) -> bool:
    """ "Please do not create a ticket", "ignore refunds here", "no need to reply"."""
    return bool(_DONT.match(text.strip().lstrip("(").strip()))


def is_nothing(text: str) -> bool:
    return bool(_NOTHING.match(text.strip(" .,;!")))


# -- approval timeouts and what happens then ---------------------------------------------------

_UNITS = {
    "s": 1.0,
    "sec": 1.0,
    "m": 60.0,
    "min": 60.0,
    "h": 3600.0,
    "hr": 3600.0,
    "d": 86400.0,
    "day": 86400.0,
    "w": 604800.0,
    "wk": 604800.0,
}
_DURATION = re.compile(
    r"\b(?P<half>half\s+(?=an?\s))?(?:(?P<count>\d+(?:\.\d+)?)[\s-]*|(?P<word>an?|one|two|three|four|five|six|seven|ten|"
    r"twelve|twenty-four|forty-eight)[\s-]+)(?P<unit>seconds?|secs?|minutes?|mins?|hours?|hrs?|"
    r"days?|weeks?|wks?|business\s+days?|working\s+days?|(?<=\d)h|(?<=\d)d)\b",
    re.IGNORECASE,
)
_COUNT_WORDS = {
    "a": 1,
    "an": 1,
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "ten": 10,
    "twelve": 12,
    "twenty-four": 24,
    "forty-eight": 48,
}
_NOT = (
    r"(?:(?:has|have|does|do|did|is|are|was|were)(?:n't|\s+not)|hasn't|haven't|doesn't|don't|"
    r"didn't|isn't|aren't|wasn't|weren't|can't|cannot)"
)
_ANSWERING = r"(?:answer|respond|repl|react|decide|approve|act|sign)\w*"
_SILENT = (
    r"(?:(?:say|said|do|does|did|decide|decides)\s+nothing|(?:stay|stays|remain|remains|are|is)"
    r"\s+silent)"
)
#: Nobody answering. Someone named must be said not to ("once the team approves it" is
#: the answer itself, not its absence).
_NO_ANSWER = (
    rf"(?:(?:nobody|no\s+one|no-one|noone)\s+{_NOT}?\s*(?:{_ANSWERING}|{_SILENT})?|"
    # "if no answer", "if there's no response by then"
    r"(?:there(?:'s|\s+is)\s+)?no\s+(?:answer|response|reply|decision)"
    r"(?:\s+(?:comes|arrives|is\s+(?:given|made)))?|"
    r"(?:they|he|she|it|the\s+\w+(?:\s+team)?|the\s+approver)\s+"
    rf"(?:{_NOT}\s*{_ANSWERING}|{_NOT}|{_SILENT}))"
    r"(?:\s+(?:in\s+time|by\s+then|to\s+it|within\s+[^,;)]+|after\s+[^,;)]+|"
    r"in\s+(?:\d+|an?|one|two|three|four|five)\s+[^,;)]+))?"
)
_POLICY_WORD = (
    r"(?P<policy>auto[- ]?approve|approve|accept|go\s+ahead|proceed|reject|decline|deny|skip|"
    r"drop|cancel|fail|abort|stop|error)\w*"
)
_POLICY_PATTERNS = (
    # "(48h, reject if no answer)", "approve it if there's no response"
    re.compile(
        r"[,;(]?\s*(?:and\s+|or\s+|then\s+)?" + _POLICY_WORD + r"(?:\s+(?:it|them|this))?\s+"
        r"(?:if|when)\s+(?:there(?:'s|\s+is)\s+)?no\s+(?:answer|response|reply|decision)s?"
        r"(?:\s+(?:comes|in\s+time|by\s+then))?\s*\)?",
        re.IGNORECASE,
    ),
    # "if nobody responds (within 2 days), approve it automatically" (not "if nobody
    # approves within 2 days, ...": that is who does not answer, not what happens)
    re.compile(
        r"[,;(]?\s*(?:and\s+|but\s+|or\s+)?(?:if|when|once|should)\s+" + _NO_ANSWER + r"\s*[,;]?\s*"
        r"(?:then\s+|just\s+)?(?!(?:approve|accept|reject|decline|den[iy])(?:s|es|d|ed)\b)"
        + _POLICY_WORD
        + r"(?:\s+(?:it|them|this|the\s+\w+))?"
        r"(?:\s+(?:automatically|by\s+default|anyway))?\s*\)?",
        re.IGNORECASE,
    ),
    # "(reject it if nobody answers)": what to do, then when
    re.compile(
        r"[,;(]?\s*(?:and\s+|or\s+|otherwise\s+)?"
        + _POLICY_WORD
        + r"(?:\s+(?:it|them|this|the\s+\w+))?"
        r"(?:\s+(?:automatically|by\s+default|anyway))?\s+(?:if|when|should)\s+"
        + _NO_ANSWER
        + r"\s*\)?",
        re.IGNORECASE,
    ),
    # "(auto-approve after 3 days)", "auto-approve"
    re.compile(
        r"[,;(]?\s*(?P<policy>auto[- ]?approve|auto[- ]?reject)\w*(?:\s+(?:it|them))?"
        r"(?:\s+(?:after|in|within)\s+[^,;)]+)?\s*\)?",
        re.IGNORECASE,
    ),
    # "and fail if it times out", "reject it on timeout"
    re.compile(
        r"[,;]?\s*(?:and\s+|or\s+|otherwise\s+)?" + _POLICY_WORD + r"(?:\s+(?:it|the\s+\w+))?\s+"
        r"(?:if|when|once|on)\s+(?:it\s+|the\s+approval\s+|the\s+request\s+)?"
        r"(?:times?\s+out|timeout|expires?|lapses?)",
        re.IGNORECASE,
    ),
    # "if it times out, fail the run"
    re.compile(
        r"[,;(]?\s*(?:and\s+)?(?:if|when|once)\s+(?:it|the\s+approval|the\s+request)\s+"
        r"(?:times?\s+out|expires?|lapses?)\s*[,;]?\s*(?:then\s+)?"
        + _POLICY_WORD
        + r"(?:\s+(?:it|the\s+\w+))?\s*\)?",
        re.IGNORECASE,
    ),
    # "after that, go ahead automatically" / "then decline it automatically"
    re.compile(
        r"[,;(]?\s*(?:after\s+that|then|past\s+that|beyond\s+that|once\s+it\s+expires|"
        r"when\s+it\s+expires)\s*,?\s+(?:just\s+)?"
        + _POLICY_WORD
        + r"(?:\s+(?:it|them|this|the\s+\w+))?\s+(?:automatically|by\s+default|anyway)\s*\)?",
        re.IGNORECASE,
    ),
    # "within 24 hours, or it is approved automatically", "otherwise it's auto-approved"
    re.compile(
        r"(?<=\S)\s*[,;]?\s*\b(?:or|otherwise|else|or\s+else)\s*,?\s+(?:it\s+is|it's|it\s+gets|"
        r"it\s+will\s+be|the\s+\w+\s+is|the\s+\w+\s+gets)\s+(?:automatically\s+)?"
        r"(?P<policy>auto[- ]?approved|approved|accepted|rejected|declined|denied|cancell?ed)"
        r"(?:\s+(?:automatically|by\s+default))?(?=\s*(?:[,;.)]|$|then\b|and\b))",
        re.IGNORECASE,
    ),
    # "they have 2 days, after which it's rejected"
    re.compile(
        r"[,;(]?\s*after\s+(?:which|that)\s*,?\s+(?:it\s+is|it's|it\s+gets|they\s+are|it\s+will\s+be|"
        r"the\s+\w+\s+is)\s+(?P<policy>auto[- ]?approved|approved|accepted|rejected|declined|"
        r"denied|skipped|cancell?ed|dropped|failed|aborted|stopped)\s*\)?",
        re.IGNORECASE,
    ),
    # "(give them 24 hours, then reject)"
    re.compile(
        r"[,;(]?\s*(?:(?:give|allow)\s+(?:them|him|her|\w+)\s+|(?:within|in)\s+)?"
        + _DURATION.pattern
        + r"\s*[,;]?\s*(?:and\s+)?(?:then|after\s+that|otherwise|or|else)\s*,?\s+"
        + _POLICY_WORD
        + r"(?:\s+(?:it|them|this))?(?:\s+(?:automatically|by\s+default|anyway))?\s*\)?",
        re.IGNORECASE,
    ),
    # "within 24 hours, otherwise fail the run" / "within 12 hours or reject it"
    re.compile(
        # ("after the director approves": the "or" of a word is no "or")
        r"(?<=\S)\s*[,;]?\s*\b(?:or|otherwise|else|or\s+else)\s*,?\s+"
        + _POLICY_WORD
        + r"(?:\s+(?:it|them|this|the\s+(?:run|flow|request|step|order|payment)))?"
        r"(?:\s+(?:automatically|by\s+default|anyway))?"
        r"(?=\s*(?:[,;.)]|$|then\b|and\b))",
        re.IGNORECASE,
    ),
)
_POLICIES = {
    "auto": "approve",
    "approve": "approve",
    "accept": "approve",
    "go": "approve",
    "proceed": "approve",
    "reject": "reject",
    "decline": "reject",
    "deny": "reject",
    "skip": "reject",
    "drop": "reject",
    "cancel": "reject",
    "rejected": "reject",
    "declined": "reject",
    "denied": "reject",
    "cancelled": "reject",
    "canceled": "reject",
    "accepted": "approve",
    "fail": "fail",
    "abort": "fail",
    "stop": "fail",
    "error": "fail",
}


@dataclass(frozen=True, slots=True)
class Deadline:
    timeout_s: float | None
    on_timeout: str | None
    #: who the step goes to when nobody decides in time ("... or escalate to the director")
    escalate_to: str | None = None


#: "send it anyway", "just ship it anyway": what lapses into the step going ahead.
_DONE_ANYWAY = re.compile(
    r"\b(?:send|ship|post|publish|do|run|charge|process|create|email)\s+(?:it|them)\s+anyway\b",
    re.IGNORECASE,
)


#: "if they don't approve within 3 days", "if nobody approves it in 48 hours": a lapse
_NOT_APPROVED_IN_TIME = re.compile(
    r"^\s*(?:and\s+)?(?:if|when|should)\s+(?:(?:nobody|no\s+one)\s+|(?:they|he|she|finance|"
    r"legal|the\s+\w+|\w+)\s+(?:(?:does|do|did|has|have)\s*n[o']t|doesn't|don't|didn't|hasn't|"
    r"haven't|never|fails?\s+to)\s+)(?:approve|sign\s+off)\w*"
    r"(?:\s+(?:it|this|them|on\s+it))?\s+(?:within|in|by|after)\s+[^,;]*?\b(?:minutes?|mins?|"
    r"hours?|hrs?|days?|weeks?)\b\s*[,;]?"
    # (not "..., approve it anyway" / "..., cancel": what to do with the approval itself)
    r"(?![\s,;]*(?:then\s+|just\s+)?(?:auto[- ]?)?(?:approve|accept|go\s+ahead|proceed|reject|"
    r"decline|deny|skip|drop|cancel|fail|abort|stop)\b)",
    re.IGNORECASE,
)


#: "..., otherwise escalate to the CFO", "if nobody answers in time, escalate it to the
#: director": who decides when the first approvers do not in time
_ESCALATED_ON_NO_ANSWER = re.compile(
    r"[,;(]?\s*(?:(?:or|otherwise|or\s+else|else)\s+|(?:and\s+)?(?:if|when)\s+"
    + _NO_ANSWER
    + r"\s*[,;]?\s*(?:then\s+)?)escalate\s+(?:it\s+|them\s+|this\s+|the\s+\w+\s+)?to\s+"
    r"(?:the\s+|a\s+|an\s+)?(?P<to>[A-Za-z][\w-]*)(?!@)\b\s*\)?",
    re.IGNORECASE,
)


def approval_deadline(text: str) -> tuple[str, Deadline]:
    """The approval's timeout and what happens when it lapses, and `text` without the words
    that said so ("... within 48 hours; if they haven't answered, reject it")."""
    policy = None
    timeout = None
    escalated = _ESCALATED_ON_NO_ANSWER.search(text)
    if escalated is not None:
        # "within 2 days, otherwise escalate to the CFO": the step goes to them then
        rest = (text[: escalated.start()] + " " + text[escalated.end() :]).strip()
        duration = _DURATION.search(text)
        if duration is not None:
            seconds = _duration_seconds(duration)
            rest = remove_durations(rest)
            return " ".join(rest.split()), Deadline(seconds, "escalate", escalated["to"].lower())
    lapse = _NOT_APPROVED_IN_TIME.search(text)
    if lapse is not None:
        # "if they don't approve within 3 days, email ...": not approved in time is
        # rejected, and what follows is what happens then (not "approve" on no answer)
        duration = _DURATION.search(lapse.group(0))
        rest = (text[: lapse.start()] + " " + text[lapse.end() :]).strip()
        if duration is not None:
            return " ".join(rest.split()), Deadline(_duration_seconds(duration), "reject")
    # "if she doesn't respond, just send it anyway": the step goes ahead, as approved
    text = _DONE_ANYWAY.sub("go ahead", text)
    for pattern in _POLICY_PATTERNS:
        match = pattern.search(text)
        if match is None:
            continue
        word = match.group("policy").lower()
        key = "auto" if word.startswith("auto") and "approve" in word else word.split()[0]
        key = "reject" if word.startswith("auto") and "reject" in word else key
        policy = _POLICIES.get(key, _POLICIES.get(key.rstrip("ds"))) or policy
        duration = _DURATION.search(match.group(0))
        if duration is not None:
            timeout = _duration_seconds(duration)
        text = (text[: match.start()] + " " + text[match.end() :]).strip()
        # ("(48h, reject if no answer)": the deadline left alone in its brackets goes too)
        bracketed = re.search(rf"\s*\(\s*{_DURATION.pattern}\s*$", text, flags=re.IGNORECASE)
        if bracketed is not None:
            timeout = timeout or _duration_seconds(bracketed)
            text = text[: bracketed.start()]
        break
    duration = _DURATION.search(text)
    if timeout is None and duration is not None:
        timeout = _duration_seconds(duration)
    return " ".join(text.split()), Deadline(timeout, policy)


def _duration_seconds(match: re.Match[str]) -> float:
    seconds = _seconds(match.group("count") or match.group("word"), match.group("unit"))
    return seconds / 2 if match.group("half") else seconds


def _seconds(count: str, unit: str) -> float:
    number = float(_COUNT_WORDS.get(count.lower(), 0) or count)
    unit = unit.lower()
    if "business" in unit or "working" in unit:
        unit = "d"
    key = unit.rstrip("s") if unit not in ("s",) else unit
    seconds = _UNITS.get(key) or _UNITS.get(key[:3]) or _UNITS.get(key[0], 1.0)
    return number * seconds


def remove_durations(text: str) -> str:
    text = re.sub(
        r"\b(?:they|he|she|you|we|it|\w+)\s+(?:get|gets|have|has)\s+" + _DURATION.pattern + r"\s*$",
        " ",
        text,
        flags=re.IGNORECASE,
    )
    text = re.sub(
        r"\b(?:give|allow|wait)\s+(?:(?:them|him|her|it|the\s+\w+(?:\s+team)?)\s+)?"
        r"(?:up\s+to\s+)?" + _DURATION.pattern,
        " ",
        text,
        flags=re.IGNORECASE,
    )
    cleaned = re.sub(
        r"\b(?:has|have|gets?|with)\s+" + _DURATION.pattern + r"\s+to\b",
        " to ",
        text,
        flags=re.IGNORECASE,
    )
    cleaned = re.sub(
        r"\b(?:within|in|after|for|over|under)\s+" + _DURATION.pattern,
        " ",
        cleaned,
        flags=re.IGNORECASE,
    )
    return " ".join(cleaned.split())


# -- capabilities a step asks for ----------------------------------------------------------

#: A channel a message goes out on: the words that show a step asks for it, and the words
#: a tool's spec must use to offer it.
_CHANNELS: tuple[tuple[str, re.Pattern[str], frozenset[str]], ...] = (
    (
        "an SMS / text message",
        re.compile(
            r"\bsms\b|\btext\s+messages?\b|\btexts?\b(?=\s+(?:to\s+)?(?:the|them|him|her|a|an|"
            r"their|our|my|customer|user|buyer|client|me|us|every|each|all)\b)(?<!\bthe\stext)|"
            # "Text every subscriber ...", "text" alone as a loop's step: the verb leads
            r"^texts?$|\bmobile\b|"
            # "Text candidate CAND-42 a reminder", "and text guest 12 ...": the verb, leading
            r"(?:^|\b(?:and|then)\s+)texts?\s+(?!(?:of|analysis|field|file|summary|body|box|"
            r"version|classification|from|in|is|was|says?|itself)\b)(?=[a-z]+\s+[\w#+-])|"
            # "text it to +33 6 12 34 56 78": the step's verb, or a phone number it goes to
            r"^texts?\s+(?:it|this|that|\+?\d)|(?<![\w.+])(?<!\bcall\s)(?<!\bphone\s)"
            r"(?<!\bring\s)(?<!\bdial\s)\+\d[\d\s().-]{6,}\d\b|"
            r"^(?:\w+\s+)?(?:send|notify|shoot|drop|message)\b.*\ban?\s+(?:quick\s+|short\s+)?text\b"
            r"(?!\s+(?:field|file|summary|body|box|version))",
            re.IGNORECASE,
        ),
        frozenset({"sms", "phone", "mobile"}),
    ),
    ("WhatsApp", re.compile(r"\bwhats\s?app?\b", re.I), frozenset({"whatsapp"})),
    ("Slack", re.compile(r"\bslack\b", re.I), frozenset({"slack"})),
    (
        "Microsoft Teams",
        re.compile(
            r"\b(?:ms|microsoft)\s+teams\b|\bon\s+teams\b|\b(?:to|in|via|over|through)\s+"
            r"(?-i:Teams)\b|"
            # "send a Teams message", "the Teams channel"
            r"(?-i:\bTeams)\s+(?:message|chat|channel|post|notification)s?\b",
            re.I,
        ),
        # (as written: "the team to route it to" offers no Teams)
        frozenset({"=teams", "=msteams"}),
    ),
    ("Discord", re.compile(r"\bdiscord\b", re.I), frozenset({"discord"})),
    (
        # "notify #eng", "post it to #ops": a chat channel, not an email address
        "a chat channel",
        CHANNEL_NAME,
        frozenset({"channel", "slack", "chat", "teams", "discord", "mattermost", "room"}),
    ),
    ("Telegram", re.compile(r"\btelegram\b", re.I), frozenset({"telegram"})),
    ("a fax", re.compile(r"\bfax", re.I), frozenset({"fax"})),
    (
        "a phone call",
        re.compile(
            # ("text their phone a note": whose phone, a noun)
            r"(?<!\btheir\s)(?<!\bher\s)(?<!\bhis\s)(?<!\bmy\s)(?<!\byour\s)(?<!\bthe\s)"
            r"\b(?:call|phone|ring|dial)\s+(?:the|them|him|her|a|an|our|their|customer|user|"
            r"client|buyer|back)\b|\bphone\s+call\b|\bon\s+the\s+phone\b|\bvoice\s+call\b|"
            # "call +15551234567": a number dialled, not texted
            r"(?:^|\b(?:and|then|please)\s+)(?:call|phone|ring|dial)\s+(?=\+?\d[\d\s().-]{6,}\d)",
            re.IGNORECASE,
        ),
        # (not "phone": a tool that texts a phone number makes no call)
        frozenset({"call", "voice", "dial"}),
    ),
    (
        "paging someone (a pager or on-call alert)",
        re.compile(
            r"\b(?:page|buzz)\s+(?:the\s+|our\s+|my\s+|an?\s+)?(?:[\w-]+\s+)?(?:on-?call|team|"
            r"engineers?|admins?|managers?|support|ops|sre|staff|developers?|person)\b"
            # "page the on-call engineer by email": an email
            r"(?!.*\b(?:by|via|over|through)\s+e-?mail\b)(?!\s+at\s+[\w.+-]+@[\w-]+\.)|"
            r"\bpager(?:duty)?\b",
            re.IGNORECASE,
        ),
        # (on-call alerting products page people too)
        frozenset({"pager", "pagerduty", "opsgenie", "oncall", "victorops"}),
    ),
    (
        "a push notification",
        re.compile(r"\bpush\s+notification", re.I),
        frozenset({"push"}),
    ),
    (
        "a letter by post",
        re.compile(
            # ("email the offer letter", "the offer letter email": a letter sent by email)
            r"\bby\s+(?:post|mail\s+post)\b|(?<!\be-mail\s)(?<!\bemail\s)(?<!\bemail\sthe\s)"
            r"(?<!\bemail\sthem\sthe\s)\bletter\b(?!\s+(?:e-?mail|(?:via|by)\s+e-?mail))",
            re.I,
        ),
        frozenset({"letter", "post", "postal"}),
    ),
)
#: A step that sends by email ("email the signed engagement letter to ..."), said first.
_EMAILED = re.compile(r"^\W*(?:please\s+)?e-?mail\b", re.IGNORECASE)
_POSTAL_LETTER = "a letter by post"
#: What follows a verb that acts on something ("flag the account", "block them").
_OBJECT_START = r"(?=(?:the|a|an|it|them|this|that|their|his|her|its|each|every|all|our|any)\b)"
#: Actions that are not the same as any look-alike: a step asking for one needs a tool whose
#: spec names it ("refund" is not "charge", "cancel" is not "create").
_ACTIONS: tuple[tuple[str, re.Pattern[str], frozenset[str]], ...] = (
    (
        # ("issue a parking ticket to the car at 12 Pine St": a fine, no support ticket)
        "fining someone (a parking or traffic ticket, a citation)",
        re.compile(
            r"\b(?:parking|speeding|traffic)\s+(?:tickets?|fines?|citations?|violations?)\b|"
            r"\b(?:issue|give|write)\s+(?:(?:a|an|them|him|her)\s+){1,2}(?:fine|citation)s?\b",
            re.IGNORECASE,
        ),
        # (as written: "parking" stems as the parks crew does)
        frozenset({"=fine", "=fines", "=citation", "=citations", "=violation", "=violations"}),
    ),
    (
        "giving money back (a refund)",
        re.compile(
            r"\b(?:refund\w*|reimburs\w*|repay\w*|money\s+back|pay\s+(?:[\w']+\s+){0,3}back|"
            r"credit\s+(?:[\w']+\s+){0,3}back|chargeback|give\s+(?:[\w']+\s+){0,3}back|"
            r"return\s+(?:the|their|his|her)\s+money)\b",
            re.IGNORECASE,
        ),
        # ("credit" alone is a ledger's side of an entry, not money given back)
        frozenset({"refund", "refunds", "reimburse", "repay", "chargeback"}),
    ),
    (
        # charging a customer's card is not paying someone
        "paying someone (a payout to a vendor, an employee or an invoice)",
        re.compile(
            r"\bpay(?:ing)?\s+(?:(?:the|our|their|an?|this|that|his|her|each|every|all)\s+)?"
            r"(?:[\w']+\s+){0,2}?(?:expenses?|invoices?|bills?|salary|salaries|wages?|vendors?|"
            r"suppliers?|contractors?|employees?|freelancers?|claims?|payroll|staff|"
            # ("pay the import duties for SHP-1 from our account": money we owe goes out)
            r"duties|duty|fines?|penalt(?:y|ies)|tariffs?|landlord|rent|bonds?|bail|"
            # ("pay driver D-221 their weekly bonus": someone who works for us, or what they earn)
            r"drivers?|couriers?|riders?|workers?|tutors?|cleaners?|bonus(?:es)?|commissions?|"
            r"stipends?)\b|"
            r"\b(?:payouts?|pay(?:s|ing)?\s+out|paid\s+out|wire\s+(?:the\s+)?(?:money|funds))\b",
            re.IGNORECASE,
        ),
        # (a tool that only reconciles a bank account pays nobody)
        frozenset({"payout", "invoice", "vendor", "supplier", "salary", "transfer", "wire"}),
    ),
    (
        # "refund it to their bank account by wire transfer": a way money moves that a
        # refund or charge of the card does not take
        "moving money by a wire or bank transfer, a cheque or cash",
        re.compile(
            r"\b(?:by|via|through|with|as|using)\s+(?:an?\s+)?(?:wire|bank|sepa|ach)\s+transfers?\b|"
            # ("collect the rent by ACH": the transfer unsaid)
            r"\b(?:by|via|through|over)\s+(?:ach|sepa|direct\s+debit)\b|"
            r"\b(?:by|via|with|as)\s+(?:an?\s+)?(?:cheque|check|money\s+order)\b|"
            r"\bin\s+cash\b|\bto\s+(?:their|his|her|the\s+customer's|its)\s+bank\s+account\b|"
            # "send a wire transfer of $3000", "transfer 500 EUR to ...", "wire $3000 to ..."
            r"\b(?:send|make|initiate|issue|do|set\s+up)\s+(?:an?\s+|the\s+)?(?:wire|bank|sepa|ach)\s+"
            r"transfers?\b|\b(?:transfer|wire)\s+(?:[$€£¥]\s?\d|\d|(?:the\s+)?(?:money|funds)\b)|"
            # "send an international wire of €25,000": the wire said as a noun
            r"\b(?:an?|the)\s+(?:[a-z]+\s+)?wires?\s+(?:transfer\s+)?(?:of|for)\s+(?:[$€£¥]\s?)?\d",
            re.IGNORECASE,
        ),
        # (not "bank": "Core banking: get customer" moves no money)
        frozenset({"wire", "transfer", "cheque", "cash", "sepa", "ach"}),
    ),
    (
        # "match every donation 1:1 from the sponsor's account": giving as much again, not
        # finding a record that matches (lookup_user "returns found=false when nobody
        # matches")
        "matching gifts (giving the same amount again)",
        re.compile(
            r"^(?:\w+\s+){0,2}?match(?:es|ed|ing)?\s+(?:(?:every|each|all|the|their|our|any|"
            r"this\s+month's)\s+)?(?:[\w']+\s+){0,2}?(?:donations?|gifts?|contributions?|"
            r"pledges?)\b|\bmatch(?:es|ed|ing)?\b.*?(?<!\w)(?:1:1|one[- ](?:to|for)[- ]one|"
            r"dollar[- ]for[- ]dollar)(?!\w)",
            re.IGNORECASE,
        ),
        frozenset({"=match", "=matching", "=matched"}),
    ),
    (
        "cancelling something",
        re.compile(
            r"^(?:\w+\s+){0,2}?(?:cancel(?:s|led|ed|ling|ing)?|voids?|revok(?:e|es|ed|ing)|"
            r"abort(?:s|ed|ing)?|terminat(?:e|es|ed|ing))\b",
            re.I,
        ),
        frozenset({"cancel", "void", "revoke", "abort", "terminate"}),
    ),
    (
        "deleting something",
        re.compile(
            r"^(?:\w+\s+){0,2}?(?:delet|remov|eras|purg|wip|deactivat)(?:e|es|ed|ing)\b", re.I
        ),
        frozenset({"delete", "remove", "erase", "purge", "wipe", "deactivate"}),
    ),
    (
        "updating a record",
        re.compile(
            r"^(?:\w+\s+){0,2}?(?:updat(?:e|es|ed|ing)|edit(?:s|ed|ing)?|modif(?:y|ies|ied|ying)|"
            r"amend(?:s|ed|ing)?|patch(?:es|ed|ing)?)\b",
            re.I,
        ),
        frozenset({"update", "edit", "modify", "amend", "patch", "set"}),
    ),
    (
        "translation",
        re.compile(
            r"\btranslat\w*|\b(?:in|into)\s+(?:spanish|french|german|italian|portuguese|chinese|"
            r"mandarin|japanese|korean|arabic|russian|dutch|hindi|polish|turkish|swedish|"
            r"norwegian|danish|finnish|greek|hebrew|vietnamese|thai|indonesian|ukrainian)\b",
            re.I,
        ),
        frozenset({"translate", "translation", "translator", "language"}),
    ),
    (
        # "fetch the invoices from the database", "pull the numbers out of our CRM": a data
        # store is read by a tool that names it, not by a web fetch or an email ("look up
        # the user in our database" is the user lookup's)
        "reading records from a database, a CRM or a spreadsheet",
        re.compile(
            r"^(?:\w+\s+){0,2}?(?:fetch|pull|grab|get|retrieve|query|load|export|download|"
            r"extract|collect|gather|list|read|dump|sync)(?:s|ed|ing)?\s+"
            r"(?!(?:the\s+|a\s+|this\s+|that\s+|their\s+)?(?:user|customer|member|account|"
            r"person|employee)\b)"
            r"(?:[\w'-]+\s+){0,5}?(?:from|out\s+of|in)\s+(?:the\s+|our\s+|my\s+|your\s+|"
            r"their\s+|its\s+)?(?:[\w'-]+\s+){0,2}?(?:database|db|crm|spreadsheet|erp|"
            r"data\s+warehouse)s?\b",
            re.I,
        ),
        frozenset({"database", "db", "crm", "sql", "query", "spreadsheet", "sheet", "erp"}),
    ),
    (
        "scheduling or booking something",
        re.compile(r"\b(?:schedul\w*|book|reserve|calendar)\b", re.I),
        frozenset({"schedule", "book", "reserve", "calendar", "meeting", "appointment"}),
    ),
    (
        "posting or publishing",
        re.compile(
            r"^(?:\w+\s+){0,2}?"
            # "download the post", "summarize the blog post": the noun, not the verb
            r"(?<!\bthe\s)(?<!\ba\s)(?<!\bthis\s)(?<!\bthat\s)(?<!\bits\s)(?<!\btheir\s)"
            r"(?<!\bblog\s)(?<!\bour\s)(?<!\byour\s)(?<!\bmy\s)"
            r"(?:post|publish|tweet|share)\b(?!\s+(?:office|code))"
            # "post the summary to the team by email": an email
            r"(?!.*\b(?:by|via|over|in\s+an?)\s+e-?mail\b)"
            # "post it to the #ops Discord channel": a tool that sends to a channel posts
            r"(?!(?<=post).*(?:#[A-Za-z]|\bchannel\b))"
            # "post it to our Notion database": stored there (a row, a page), not published
            r"(?!(?<=post).*\b(?:to|in|into)\s+(?:[\w'-]+\s+){0,3}?(?:database|spreadsheet|"
            r"sheet|table|crm)s?\b)",
            re.I,
        ),
        frozenset({"post", "publish", "tweet", "share", "social"}),
    ),
    (
        "saving or storing something",
        re.compile(
            # ("email their record": the thing, after whose it is)
            r"^(?:\w+\s+){0,2}?(?<!\btheir\s)(?<!\bthe\s)(?<!\bhis\s)(?<!\bher\s)(?<!\bits\s)"
            r"(?:save|store|persist|export|archive|upload|backup|log|record)"
            # "log a ticket" opens one: a ticket is not a record kept somewhere
            r"\b(?!\s+(?:an?\s+|the\s+|their\s+)?(?:new\s+)?(?:[\w-]+\s+){0,2}(?:ticket|case|issue|bug|"
            r"incident)s?\b)"
            # "add them to the CRM"; "look them up in our user database" only reads
            r"|^(?!(?:look|find|search|check|get|fetch|query|retrieve|read|verify|see|pull|grab|"
            r"collect|gather|extract|list|count)\b)"
            r"(?:[\w'-]+\s+)*?(?:spreadsheet|google\s+sheets?|excel|crm|database)\b",
            re.IGNORECASE,
        ),
        frozenset(
            {
                "append",
                "row",
                "save",
                "store",
                "persist",
                "export",
                "archive",
                "upload",
                "backup",
                "log",
                "record",
                "spreadsheet",
                "sheet",
                "crm",
                "database",
            }
        ),
    ),
    (
        "making a document (PDF, invoice, report)",
        re.compile(
            r"^(?:\w+\s+){0,2}?(?:generate|create|make|produce|build|draft|prepare|render|"
            r"write|send|email|attach)\s+(?:\w+\s+){0,4}?(?:pdf|invoice|report|document|"
            r"contract)s?\b|\bpdf\b",
            re.IGNORECASE,
        ),
        frozenset({"pdf", "invoice", "report", "document", "contract"}),
    ),
    (
        # "send DP-1's x-rays to the orthodontist": a file sent on, which no message carries
        "sending files (x-rays, scans, attachments)",
        re.compile(
            r"\b(?:send|forward|share|fax|email|e-mail)\w*\s+(?:[\w'-]+\s+){0,2}?(?:x-?rays?|"
            r"scans|radiographs?|attachments?|files)\s+(?:to|with)\b",
            re.IGNORECASE,
        ),
        frozenset({"attachment", "attachments", "upload", "scan", "image", "x-ray"}),
    ),
    (
        # "submit a claim to Delta Dental": a claim filed with an insurer
        "filing an insurance claim",
        re.compile(
            r"\b(?:submit|file|lodge|send|open)\w*\s+(?:an?\s+|the\s+)?(?:insurance\s+)?"
            r"claims?\s+(?:to|with|for)\b",
            re.IGNORECASE,
        ),
        frozenset({"claim", "claims"}),
    ),
    (
        # "list unit 7A on Zillow at $1,900": a listing published on a site
        "listing something on a website or marketplace",
        re.compile(
            r"^(?:\w+\s+){0,2}?list(?:s|ed|ing)?\s+(?:[\w'-]+\s+){0,4}?(?:on|to)\s+"
            r"(?!(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)\b)(?-i:[A-Z])\w+",
            re.IGNORECASE,
        ),
        frozenset({"listing", "listings", "marketplace", "publish"}),
    ),
    ("printing", re.compile(r"^(?:\w+\s+){0,2}?print\w*\b", re.I), frozenset({"print", "printer"})),
    (
        "converting between currencies or units",
        re.compile(
            r"\bconvert\w*\b|\bexchange\s+rates?\b|\bcurrency\s+conversion\b|"
            r"\bfrom\s+[A-Z]{3}\s+(?:in)?to\s+[A-Z]{3}\b",
            re.IGNORECASE,
        ),
        frozenset({"convert", "conversion", "exchange"}),
    ),
    (
        "a web search",
        re.compile(
            r"\b(?:search|google|browse|crawl|scrape)\w*\s+(?:\w+\s+){0,2}?(?:web|internet|"
            r"online|google|news|sites?)\b|\bweb\s+search\b|\bgoogle\s+(?:it|them|for)\b",
            re.IGNORECASE,
        ),
        frozenset({"search", "google", "crawl", "scrape"}),
    ),
    (
        "images, audio or video",
        re.compile(
            r"\b(?:image|images|photo|photos|picture|pictures|logo|thumbnail|video|videos|"
            r"audio|podcast|voice\s+note|screenshot|qr[\s-]+codes?|barcodes?)\b",
            re.IGNORECASE,
        ),
        frozenset({"image", "photo", "picture", "logo", "thumbnail", "video", "audio", "media"}),
    ),
    (
        "geocoding or maps",
        re.compile(
            r"\bgeocod\w*|\bcoordinates\b|\blatitude\b|\blongitude\b|\bon\s+a\s+map\b",
            re.IGNORECASE,
        ),
        frozenset({"geocode", "coordinate", "latitude", "longitude", "map", "geo"}),
    ),
    (
        "a forecast or prediction",
        re.compile(r"\b(?:forecast|predict)\w*", re.IGNORECASE),
        frozenset({"forecast", "predict", "prediction"}),
    ),
    (
        "transcription",
        # ("the sentiment of the call transcript": a text there already, not to be made)
        re.compile(r"\btranscrib\w*|\btranscriptions?\b|\bspeech[- ]to[- ]text\b", re.IGNORECASE),
        frozenset({"transcribe", "transcription", "speech"}),
    ),
    ("the weather", re.compile(r"\bweather\b", re.I), frozenset({"weather"})),
    (
        # "validate the shipping address": a place, not an email address
        "checking a postal address",
        re.compile(
            r"\b(?:validate|verify|check|confirm|clean)\w*\s+(?:the\s+|their\s+|its\s+|a\s+|"
            r"his\s+|her\s+|our\s+)?(?:shipping|postal|street|mailing|home|billing|delivery|"
            r"physical)\s+address"
            # "validate this address: 10 Downing Street": a street written out
            r"|\b(?:validate|verify|check|confirm|clean)\w*\s+(?:this|that|the|an?|their|his|her)\s+"
            r"address(?:es)?\s*[:(,-]?\s*\d{1,5}[A-Za-z]?\s+[A-Z]",
            re.IGNORECASE,
        ),
        frozenset({"postal", "street", "geocode", "geocoding"}),
    ),
    (
        # "count how many orders are in the list" (a summary's word count is its own field)
        "counting things",
        re.compile(
            r"^(?:\w+\s+){0,2}?(?:count|tally)\b(?!\s+(?:the\s+)?(?:words|sentences)\b)",
            re.IGNORECASE,
        ),
        frozenset({"count", "tally"}),
    ),
    (
        # a run waits only for people (an approval, with its timeout), never for a time
        "waiting a set time (a run waits only for people's approvals)",
        re.compile(
            r"^(?:then\s+)?(?:wait|pause|sleep|delay)\b(?:\s+(?:for\s+)?(?:an?|one|\d+|a\s+few|"
            r"some|several)\s+(?:second|minute|hour|day|week|month)s?\b)?|"
            # "due in 30 days", "expires in a week": a date the step records, not a wait
            r"(?<!\bdue\s)(?<!\bexpires\s)(?<!\bexpiring\s)(?<!\bpayable\s)"
            r"\b(?:after|in)\s+(?:an?|one|\d+|a\s+few|several)\s+(?:day|week|month)s?\b",
            re.IGNORECASE,
        ),
        frozenset({"wait", "delay", "sleep", "schedule", "pause"}),
    ),
    (
        "rejecting or refusing something",
        re.compile(
            r"^(?:\w+\s+){0,2}?(?:reject|deny|refuse)(?:s|ed|ing)?\b\s*"
            r"(?=(?:the|this|that|their|his|her|its|our|an?)\s+(?!approval\b))",
            re.I,
        ),
        frozenset({"reject", "deny", "refuse"}),
    ),
    (
        "assigning something to a person",
        re.compile(
            r"^(?:\w+\s+){0,2}?(?:[Rr]e)?[Aa]ssign(?:s|ed|ing)?\s+(?:[\w']+\s+){0,3}?to\s+(?!the\s+"
            r"(?:right|correct|appropriate|relevant|matching)?\s*(?:team|queue|department)\b)"
            r"(?:me|him|her|someone|somebody|an?\s+(?:agent|person|rep\w*)|[A-Z][a-z]+"
            # "assign it to finance": a team named
            r"|(?!(?:it|them|this|that|the|a|an|our|each|every|all|whoever|whichever)\b)"
            r"[a-z]{3,}(?=\s*(?:[,.;!?]|$|\b(?:and|then|otherwise|if|else)\b)))\b"
        ),
        frozenset({"assign", "assignee"}),
    ),
    (
        "flagging, tagging or marking something",
        re.compile(
            r"^(?:\w+\s+){0,2}?(?:flag|tag|mark)(?:s|ged|ging|ed|ing)?\b\s*"
            # ("mark order 55 as shipped": a thing by its code, then the state it is marked)
            rf"(?:{_OBJECT_START}|(?=[a-z]+\s+#?[\w-]*\d[\w-]*\s+as\b))",
            re.I,
        ),
        frozenset({"flag", "tag", "mark"}),
    ),
    (
        "blocking or suspending an account",
        re.compile(
            r"^(?:\w+\s+){0,2}?(?:block|ban|suspend|blacklist|blocklist|disable)"
            r"(?:s|ned|ning|ed|ing)?\b\s*"
            + _OBJECT_START
            +
            # "disable the dark_mode flag": a setting turned off, not an account
            r"(?!\w+\s+(?:[\w-]+\s+){0,2}?(?:flag|feature|setting|toggle|option)s?\b)",
            re.I,
        ),
        frozenset({"block", "ban", "suspend", "blacklist", "blocklist", "disable"}),
    ),
    (
        # "turn on notifications for user 5": a setting no lookup changes
        "turning a setting on or off (enable, disable)",
        re.compile(
            r"^(?:\w+\s+){0,2}?(?:turn(?:s|ed|ing)?|switch(?:es|ed|ing)?|flip(?:s|ped|ping)?|"
            r"toggl(?:e|es|ed|ing))\s+(?:\w+\s+){0,3}?(?:on|off)\b|"
            r"^(?:\w+\s+){0,2}?(?:enabl|disabl|activat)(?:e|es|ed|ing)\b",
            re.I,
        ),
        frozenset({"turn", "switch", "toggle", "enable", "disable", "activate", "flag"}),
    ),
    (
        "adding someone to a list or group (subscribe)",
        re.compile(
            r"^(?:\w+\s+){0,2}?(?:(?:un)?subscrib(?:e|es|ing)\b|(?:add|put|enrol+|sign)\s+"
            r"(?:[\w']+\s+){0,3}?"
            r"(?:to|on|onto|into|in|up\s+for)\s+(?:the\s+|our\s+|an?\s+|their\s+|my\s+)?"
            r"(?:[\w-]+\s+){0,2}?(?:list|group|segment|audience|newsletter|waitlist|cohort)\b)",
            re.I,
        ),
        frozenset(
            "subscribe subscription subscriber newsletter audience segment group membership "
            "enrol enroll".split()
        ),
    ),
    (
        # "add the new starter to payroll", "put them in the HR system": a system of record
        # that only a tool naming it keeps
        "adding someone to payroll, an HR system or a directory",
        re.compile(
            r"^(?:\w+\s+){0,2}?(?:add|put|enrol+|register|onboard|set\s+up)\s+"
            r"(?:[\w']+\s+){0,3}?(?:to|on|onto|into|in)\s+(?:the\s+|our\s+|their\s+)?"
            r"(?:[\w-]+\s+)?(?:payroll|hris|hr\s+system|hr\s+platform|benefits|pension|"
            r"directory|active\s+directory|ldap|org\s+chart)\b",
            re.I,
        ),
        frozenset("payroll hris hr directory benefits pension employee employees staff".split()),
    ),
    (
        "a price quote or an estimate",
        re.compile(
            r"\bquot(?:e|es|ation|ations)\b(?!\s+(?:from|of)\b)|^(?:\w+\s+){0,2}?estimat(?:e|es|ing)\b",
            re.IGNORECASE,
        ),
        frozenset({"quote", "quotation", "estimate", "estimation"}),
    ),
    (
        "a coupon, voucher or discount",
        re.compile(
            r"\b(?:coupons?|vouchers?|discount\s+codes?|promo(?:tion(?:al)?)?\s+codes?|"
            r"gift\s+cards?|store\s+credit)\b",
            re.IGNORECASE,
        ),
        frozenset({"coupon", "voucher", "discount", "promo", "promotion", "gift"}),
    ),
    # (each its own: a catalogue that checks identity pulls no credit report)
    (
        "a credit check or report",
        re.compile(r"\bcredit\s+(?:check|score|report|history|rating)s?\b", re.IGNORECASE),
        frozenset({"credit"}),
    ),
    (
        "a background check",
        re.compile(r"\bbackground\s+(?:check|report|screening)s?\b", re.IGNORECASE),
        frozenset({"background"}),
    ),
    (
        "a fraud check",
        re.compile(r"\bfraud\s+(?:check|score|report|screening)s?\b", re.IGNORECASE),
        frozenset({"fraud"}),
    ),
    (
        "an identity (KYC) check",
        re.compile(
            r"\b(?:kyc|identity|id)\s+(?:check|report|verification|screening)s?\b",
            re.IGNORECASE,
        ),
        frozenset({"kyc", "identity"}),
    ),
    (
        # "wait 2 days, then ...": a run does not sleep; an approval's deadline is not this
        "a delay (waiting a while)",
        re.compile(
            r"^(?:\w+\s+){0,2}?(?:wait|pause|sleep|delay)\s+(?:for\s+)?(?:\d+|an?|one|two|three|"
            r"a\s+few|several)\s+(?:seconds?|minutes?|hours?|days?|weeks?|months?)\b"
            r"(?!.*\b(?:approv|sign|respon|repl|answer|decision))",
            re.IGNORECASE,
        ),
        frozenset({"wait", "delay", "sleep", "pause", "timer"}),
    ),
    (
        "asking a person for information",
        re.compile(
            r"^(?:\w+\s+){0,2}?(?:ask|request|chase|survey|interview|poll)\s+(?:the\s+|a\s+|an\s+|"
            r"our\s+|their\s+|each\s+)?(?:customer|user|client|buyer|person|people|team|manager|"
            r"applicant|employee|vendor|supplier|\w+)s?\s+(?:for|about|what|whether|if|to\s+(?:send|"
            r"provide|give|fill|share|tell|upload))\b",
            re.IGNORECASE,
        ),
        frozenset({"ask", "request", "form", "survey", "question", "questionnaire", "collect"}),
    ),
)


#: Named products and services: a step that names one ("create a Jira issue") needs a tool
#: whose spec names it; the help desk's ticket is not a Jira issue.
# fmt: off
_SYSTEMS = (
    "Jira", "Trello", "Asana", "Linear", "GitHub", "GitLab", "Bitbucket", "Zendesk",
    "Freshdesk", "ServiceNow", "Salesforce", "HubSpot", "Pipedrive", "Notion", "Confluence",
    "Airtable", "Dropbox", "OneDrive", "SharePoint", "Shopify", "QuickBooks", "Xero",
    "Mailchimp", "Intercom", "Twilio", "Zapier", "Monday.com", "ClickUp", "Basecamp",
    "Google Sheets", "Google Drive", "Google Docs", "Google Calendar", "Outlook", "Excel",
    "LinkedIn", "Facebook", "Instagram", "Twitter", "TikTok", "YouTube", "Reddit", "Pinterest",
    "Experian", "Equifax", "TransUnion", "Stripe", "PayPal", "DocuSign", "Greenhouse", "Workday",
    "BambooHR", "Okta", "Datadog", "Sentry", "Zoom", "Calendly", "Typeform", "Gmail", "SendGrid",
    "Klaviyo", "Indeed", "Glassdoor", "Plaid", "Onfido",
)
# fmt: on
#: Those whose names are also English words ("a linear scale", "the outlook is good"): named
#: only when capitalised. The others are named in any case ("create a jira issue").
_SYSTEMS_THAT_ARE_WORDS = frozenset(
    {
        "Linear",
        "Notion",
        "Outlook",
        "Excel",
        "Intercom",
        "Confluence",
        "Basecamp",
        "Greenhouse",
        "Sentry",
        "Zoom",
        "Indeed",
        "Stripe",
        "Plaid",
        "Workday",
    }
)


def _system_pattern(name: str) -> re.Pattern[str]:
    written = re.escape(name).replace(r"\ ", r"\s+")
    # (not a part of a domain or file name: "the company behind hubspot.com" names a web
    # address, not the product)
    if name not in _SYSTEMS_THAT_ARE_WORDS:
        return re.compile(r"(?<![\w.])(?i:" + written + r")(?![\w]|\.\w)")
    # capitalised, or in lower case where a place is named: "post it in notion", "export
    # it to excel", "a notion page" (not "a linear scale")
    return re.compile(
        r"(?<![\w.])(?-i:" + written + r")(?![\w]|\.\w)"
        r"|(?:"
        + "|".join(rf"(?<=\b{p}\s)" for p in ("in", "into", "to", "on", "via", "using", "from"))
        + r")(?i:"
        + written
        + r")"
        r"(?=\s*(?:$|[,.;:!?)])|\s+(?:and|then|as|for|with)\b)"
        r"|(?<![\w.])(?i:" + written + r")(?=\s+(?:board|page|doc|database|workspace|sheet|"
        r"spreadsheet|file|workbook|issue|ticket|task|project|calendar|inbox|card)s?\b)",
    )


_NAMED_SYSTEMS: tuple[tuple[str, re.Pattern[str], frozenset[str]], ...] = tuple(
    (
        name,
        _system_pattern(name),
        # (a Google product: the thing it is, "sheet", as any spec may say it)
        frozenset(w.lower() for w in name.split()[1:])
        if name.startswith("Google ")
        else frozenset({"=" + name.split(".")[0].lower()}),
    )
    for name in _SYSTEMS
)


@dataclass(frozen=True, slots=True)
class MissingCapability:
    phrase: str
    what: str


def missing_capability(step: str, spec: ToolSpec) -> MissingCapability | None:
    """What `step` asks for that `spec` does not offer (a channel, a distinct action)."""
    missing = missing_capabilities(step, spec)
    return missing[0] if missing else None


#: "text the customer that the refund is on its way": what a message says asks nothing of
#: the tool that sends it.
_SENDS_FIRST = re.compile(
    r"^(?:send|email|e-mail|mail|text|sms|message|notify|tell|inform|remind|post|ping|alert|"
    r"reply|write)\b",
    re.IGNORECASE,
)
_SAID_PART = re.compile(
    r"\s+(?:that|saying|that\s+says|to\s+(?:say|tell\s+\w+|let\s+\w+\s+know|inform\s+\w+)|"
    # ("text the owner a reminder to book a booster": what the reminder asks of them)
    r"(?<=reminder\s)to|(?<=nudge\s)to|"
    r"telling\s+\w+|letting\s+\w+\s+know)\b.*$",
    re.IGNORECASE,
)


#: "text them to call the office", "email the owner to book a visit": what the message
#: asks its reader to do
_ASKED_OF_THEM = re.compile(
    r"^(?P<head>\W*(?:text|sms|e-?mail|message|remind|ping)\s+(?:them|him|her|the\s+[a-z]+))"
    r"\s+to\s+(?!(?:the|a|an|their|his|her|our|my|your|its|them|him|us|me)\b)[a-z]+\b.*$",
    re.IGNORECASE,
)


#: "create a task for maria to renew the certificate", "add a to-do to call her": what the
#: task asks of whoever does it (its title), not a step of the flow
TASK_TO_DO = re.compile(
    r"\b(?:a|an|the|new)\s+(?:task|todo|to-do|chore|card|action\s+item)\s+"
    r"(?:for\s+@?[A-Za-z][\w.-]*\s+)?to\s+"
    r"(?!(?:the|a|an|my|our|their|his|her|me|us|him|them|it|this|that|do)\b)"
    r"(?P<what>[a-z]+\b.*)$",
    re.IGNORECASE,
)


#: "create a task called Renew SSL certificate, ...", "a meeting called Quarterly review on
#: 2026-12-10 at 14:00 with ann@acme.io": a thing's title, written unquoted, up to what is
#: said of it next (when, with whom, where); its words ask nothing of the tool ("a task
#: called Pay the rent" is no payment)
TASK_CALLED = re.compile(
    r"\b(?:task|to-?do|card|chore|action\s+item|meeting|event|call|issue|ticket|page|"
    r"document|doc|project|campaign)(?:\s+(?:in|on|for)\s+[\w.-]+/[\w.-]+)?\s+"
    r"(?:called|titled|named)\s+"
    r"(?P<what>[A-Za-z0-9][^,;.\"'\u201c\u2018]*?)"
    r"(?=\s*(?:[,;.]|$)|\s+(?:and|then|for|due|by|before|assigned|with|labell?ed|tagged)\b"
    r"|\s+(?:on|at|from|starting)\s+(?:\d|mon|tue|wed|thu|fri|sat|sun|tomorrow|today|next)"
    r"|\s+in\s+(?:[\w.-]+/[\w.-]|#))",
    re.IGNORECASE,
)


def without_what_is_said(step: str) -> str:
    """ "email the customer to say their refund is being processed" -> "email the
    customer": what a message says asks for no step, and nothing of the tool sending it;
    nor does what a task asks of whoever does it ("create a task to call her")."""
    task = TASK_TO_DO.search(step)
    if task is not None:
        step = step[: task.start("what")].rstrip()[: -len("to")].rstrip()
    # ("create a task called Pay the rent": its title asks nothing of the tool)
    step = TASK_CALLED.sub(lambda m: m[0][: m.start("what") - m.start()].rstrip(), step)
    if not _SENDS_FIRST.match(step.strip()):
        return step
    # ("text them to call the office": what the message asks of them)
    step = _ASKED_OF_THEM.sub(r"\g<head>", step)
    return _SAID_PART.sub("", step) or step


def missing_capabilities(step: str, spec: ToolSpec) -> list[MissingCapability]:
    """Everything `step` asks for that `spec` does not offer, channels first."""
    asked = _capabilities_asked(step)
    if not asked:
        return []
    words = _spec_words(spec)
    raw = _spec_raw_words(spec)
    # ("a video interview" for a tool whose `kind` is phone, video or onsite: a value it
    # takes, not a medium it lacks)
    listed = {
        str(value).lower()
        for schema in spec.input_properties().values()
        if isinstance(schema, dict)
        for value in schema.get("enum") or ()
    } | examples_given(spec)
    return [
        missing
        for missing, exact, stemmed in asked
        if (not words & stemmed or _only_bills(spec, missing.what) or _pays_no_one(spec, missing))
        and (not raw & exact or _only_bills(spec, missing.what) or _pays_no_one(spec, missing))
        # ("text the patient" for a tool whose `channel` is sms or email: a value it takes)
        and not _channels_listed(spec) & stemmed
        and not _spec_says_action(spec, missing.what)
        and not (missing.what == _SMS and _TEXTS_SOMEONE.search(spec.description))
        # ("create a task ..., assigned to maria": whom it is for is one of its inputs)
        and not (missing.what == _ASSIGNING and _takes_an_assignee(spec))
        and missing.phrase.lower() not in listed
    ]


_SMS = "an SMS / text message"
#: "Application label, e.g. Salesforce, Zoom, GitHub": the values an input's description
#: gives as examples
_EXAMPLES = re.compile(
    r"\b(?:e\.g\.|eg\.?|for example|such as|like)\s*,?\s*(?P<list>[^;()]+)", re.I
)


def examples_given(spec: ToolSpec) -> set[str]:
    """The example values the descriptions of a tool's inputs give ("give omar access to
    Salesforce" with `app`: "Application label, e.g. Salesforce, Zoom, GitHub"), in lower
    case: a value the tool takes, not a product it lacks."""
    return {value for schema in spec.input_properties().values() for value in examples_of(schema)}


def examples_of(schema: Any) -> set[str]:
    """The example values one input's description gives, in lower case."""
    description = schema.get("description") if isinstance(schema, dict) else None
    found: set[str] = set()
    for match in _EXAMPLES.finditer(description or ""):
        for value in re.split(r"\s*,\s*(?:or\s+|and\s+)?|\s+(?:or|and)\s+", match["list"]):
            if value.strip(" ."):
                found.add(value.strip(" .").lower())
    return found
_ASSIGNING = "assigning something to a person"


def _takes_an_assignee(spec: ToolSpec) -> bool:
    """Whether the tool takes whom the thing is for (`assignee`, `assigned_to`)."""
    return any(
        {"assignee", "assigned"} & set(split_identifier(name)) for name in spec.input_properties()
    )
#: "Text the vehicle's owner a message ...": a description whose verb is texting someone
_TEXTS_SOMEONE = re.compile(
    r"^\s*(?:texts?|sms)\s+(?:or\s+[a-z]+\s+)?(?:the|a|an|their|its)\s+[a-z]", re.IGNORECASE
)


def _channels_listed(spec: ToolSpec) -> frozenset[str]:
    """The values of a tool's input named for how a message goes (`channel`: sms, email):
    ways it sends, though its description may not name them as a step does."""
    return frozenset(
        stem(str(value).lower())
        for name, schema in spec.input_properties().items()
        if isinstance(schema, dict) and re.search(r"channel|medium|method|via", name)
        for value in schema.get("enum") or ()
    )


#: "Send the applicant an invoice for a permit fee": a tool that bills someone
_SENDS_AN_INVOICE = re.compile(r"\b(?:send|issue|raise|email)\b[^.]*\binvoices?\b", re.I)


def _only_bills(spec: ToolSpec, what: str) -> bool:
    """A tool that sends an invoice asks someone to pay: it pays nobody ("pay the
    contractor's bond" was an invoice sent to the applicant)."""
    return what.startswith("paying someone") and bool(
        _SENDS_AN_INVOICE.search(spec.description) or spec.id.rsplit(".", 1)[-1] == "invoice"
    )


#: Words of a tool that moves money out: without one, a supplier or vendor it names is only
#: where it orders from.
_PAYING_WORDS = frozenset(
    stem(w)
    for w in "pay pays paid payment payments payout payouts wire transfer salary salaries "
    "invoice invoices remit remittance disburse settle reimburse".split()
)


def _pays_no_one(spec: ToolSpec, missing: MissingCapability) -> bool:
    """ "pay the supplier invoice for PO-5521" for a tool that orders parts from a supplier:
    it names the supplier but pays nobody (an order was placed)."""
    return missing.what.startswith("paying someone") and not _spec_words(spec) & _PAYING_WORDS


def _spec_says_action(spec: ToolSpec, what: str) -> bool:
    """Whether the tool's name or description says the action in the words a step would
    ("Pay out an approved amount on a claim" pays someone), though none of the action's
    key words ("payout") is one of its words."""
    pattern = next((pattern for name, pattern, _ in _ACTIONS if name == what), None)
    if pattern is None:
        return False
    return any(pattern.search(text) for text in (spec.name, spec.description))


#: "append its id to sheet refunds": the name of where a step stores something asks nothing
#: of the tool (no refund here).
#: "the Mobile App project", "the Phone Sales team": a thing's name in capitals before the
#: noun for where things are kept
_PLACE_NAMED_IN_CAPITALS = re.compile(
    r"\bthe\s+(?-i:[A-Z][\w-]*(?:\s+[A-Z][\w-]*){0,3})\s+(?P<noun>project|board|list|folder|"
    r"workspace|space|team|calendar|queue|channel|repo|repository|campaign)\b",
    re.IGNORECASE,
)
_STORE_NAMED = re.compile(
    r"\b(?:to|in|into|on|from)\s+(?:the\s+|our\s+)?(?:sheet|spreadsheet|tab|table|database|"
    r"folder|board)\s+[\"']?[\w-]+[\"']?",
    re.IGNORECASE,
)


#: "search the knowledge base for refund policy": what is searched for is a topic, not
#: something the step does (no refund here).
_SEARCHED_FOR = re.compile(
    r"^(?P<head>\W*(?:\w+\s+)?(?:search(?:es|ing)?|query|look(?:s|ing)?\s+up|browse)\b.*?)\s+"
    r"(?:for|about|regarding)\s+\S.*$",
    re.IGNORECASE,
)


#: "for schedule PXY12Z", "of booking BK7Q2": a thing after a preposition, named by its id
_THING_BY_ITS_CODE = re.compile(
    r"\b(?P<prep>for|of|on|to|from|in)\s+(?:the\s+)?[a-z]+\s+(?=[A-Z][A-Z0-9]*\d[A-Z0-9]*\b)"
)
#: "BOOK-3310", "PAY-7": a code of capitals and digits
_CODE_IN_CAPITALS = re.compile(r"(?<![\w-])[A-Z]{2,}-\d[\w-]*")


def capabilities_asked(step: str) -> frozenset[str]:
    """What `step` asks for that some tools do and others do not ("giving money back (a
    refund)"), each said in words."""
    return frozenset(missing.what for missing, _, _ in _capabilities_asked(step))


@lru_cache(maxsize=1024)
def _capabilities_asked(
    step: str,
) -> tuple[tuple[MissingCapability, frozenset[str], frozenset[str]], ...]:
    """What `step` asks for, each with the words (as written, and stemmed) a tool offering
    it says: read once per step, however many tools it is weighed against."""
    step = _STORE_NAMED.sub(" ", without_what_is_said(step))
    # ("open a ticket for refunds@zx.io": an address's words ask for nothing)
    step = re.sub(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+", " someone ", step)
    # ("check the Mobile App project": a name asks for no text message)
    step = _PLACE_NAMED_IN_CAPITALS.sub(r"the \g<noun>", step)
    step = _SEARCHED_FOR.sub(r"\g<head>", step)
    # ("charge order BOOK-3310": a code's letters ask for no booking)
    step = _CODE_IN_CAPITALS.sub(" ", step)
    # ("text the on-call person for schedule PXY12Z": a thing named by its id, no scheduling)
    step = _THING_BY_ITS_CODE.sub(r"\g<prep> ", step)
    if _SENDS_FIRST.match(step.strip()):
        # "email the October schedule to coach@…": the schedule is what the message carries
        step = _SCHEDULE_SENT.sub(" ", step)
    asked = []
    for what, pattern, offered in (*_CHANNELS, *_ACTIONS, *_NAMED_SYSTEMS):
        match = pattern.search(step)
        if match is None:
            continue
        if what == _POSTAL_LETTER and _EMAILED.match(step):
            continue  # "email the signed engagement letter to ...": a letter sent by email
        exact = frozenset(w[1:] for w in offered if w.startswith("="))
        stemmed = frozenset(stem(w) for w in offered if not w.startswith("="))
        asked.append((MissingCapability(match.group(0).strip(), what), exact, stemmed))
    return tuple(asked)


#: "the October schedule", "our new class timetable": a schedule as a thing, not scheduling
_SCHEDULE_SENT = re.compile(
    r"\b(?:the|our|a|an|their|his|her|your|my|this|that|its|new)\s+(?:[\w-]+\s+){0,2}?"
    r"(?:schedules?|timetables?)\b",
    re.IGNORECASE,
)


def channels_named(step: str) -> list[str]:
    """The ways a message goes out that `step` names ("#ops", "by SMS"), whatever the tools."""
    return [what for what, pattern, _ in _CHANNELS if pattern.search(without_what_is_said(step))]


def is_channel(missing: MissingCapability) -> bool:
    """Whether what is missing is a way a message goes out (Slack, an SMS), which only the
    sending tool itself can offer."""
    return any(missing.what == what for what, _, _ in _CHANNELS)


#: Tools whose words stay cached: more than a catalogue holds, or a planner weighing every
#: tool in turn would find none of them cached (an LRU smaller than the loop it serves).
_SPEC_CACHE = 8192


@lru_cache(maxsize=_SPEC_CACHE)
def _spec_words_of(text: str) -> frozenset[str]:
    return frozenset(stem(w) for w in split_identifier(text))


def _spec_words(spec: ToolSpec) -> frozenset[str]:
    return _spec_words_of(" ".join([spec.id, spec.name, spec.description]))


def _spec_raw_words(spec: ToolSpec) -> frozenset[str]:
    """The words of a tool's id, name and description as written (lower case)."""
    return _spec_raw_words_of(" ".join([spec.id, spec.name, spec.description]))


def spec_says(spec: ToolSpec, word: str) -> bool:
    """Whether the tool's id, name or description writes `word` (lower case) as such."""
    return word in _spec_raw_words(spec)


@lru_cache(maxsize=_SPEC_CACHE)
def _spec_raw_words_of(text: str) -> frozenset[str]:
    return frozenset(split_identifier(text))
