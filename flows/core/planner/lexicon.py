"""Words: tokenising, a light stemmer, stop words and synonyms, shared by retrieval and the
offline planner. General English knowledge only; nothing here names a particular tool."""

from __future__ import annotations

import re
from functools import lru_cache

_WORD = re.compile(r"[a-z0-9]+")
_CAMEL = re.compile(r"(?<=[a-z0-9])(?=[A-Z])")

STOP_WORDS = frozenset(
    """
    a an the and or but of to in on at by for from with into onto as is are was were be been
    being it its this that these those there their them they he she his her we our you your
    i me my do does did done so such than too very can could should would will shall may might
    must just also then next after before afterwards finally first second third last lastly
    when if unless only once while each every all any both either neither not no yes please
    using use via about up down out over under again further here how what which who whom whose
    why where let lets make sure some same own new one two three four five per
    """.split()
)

#: Words that carry no action of their own: a step made only of these maps to nothing and
#: is dropped rather than failing ("and return the result").
FILLER_WORDS = frozenset(
    """
    result results return returns returned output outputs finish finished done end complete
    workflow flow step steps process everything thing things stuff data it them value values
    want need like would ok okay go proceed continue ahead
    """.split()
)

#: Groups of words that mean the same thing in a request, a tool description or a field.
SYNONYM_GROUPS: tuple[frozenset[str], ...] = tuple(
    frozenset(group.split())
    for group in (
        "email mail e-mail emails inbox",
        "send notify notification contact tell inform alert warn forward reply respond remind",
        "check validate verify valid validation confirm ensure real genuine legit legitimate "
        "deliverable",
        "lookup look find fetch get retrieve load read grab pull locate",
        # what is downloaded or scraped is a page or a file, never a person's record
        "fetch download scrape crawl hit",
        "user customer person account member client shopper buyer subscriber",
        "pay payment charge bill billing deposit",
        "ship shipment shipping deliver delivery dispatch parcel package",
        "stock inventory available availability",
        "tax taxes vat gst hst",
        "calculate compute calculation tally",
        "summarize summarise summary digest tldr recap gist overview synopsis condense "
        "highlights takeaways",
        "sentiment mood tone feeling emotion happy unhappy angry upset frustrated annoyed "
        "satisfied dissatisfied pleased displeased",
        "classify classification categorize categorise category triage label sort topic",
        "priority urgency importance severity",
        "ticket issue case",
        "create open add new raise file log",
        "url link page website web webpage site article blog",
        "amount total sum price cost",
        "order purchase cart basket checkout",
        "item product line",
        "name title",
        "to recipient recipients",
        "body content",
        "approve approval approver sign-off signoff authorize authorise",
        "welcome greet greeting onboard onboarding",
        "analyze analyse analysis assess evaluate score",
        "spreadsheet sheet sheets worksheet",
        "append row record log",
        # "add a row to the Expenses sheet": a row is appended
        "append add insert",
        # "schedule a meeting" is a calendar event
        "meeting meetings appointment event calendar call calls",
        "schedule book reserve arrange",
        # "disable the flag", "switch it on": a setting turned on or off
        "turn switch toggle flip enable disable activate",
        "list show display",
        "deploy deployment release rollout",
        "grade grades grading mark marks score",
        "submit submitted submission submissions hand handed",
        # "a throwaway address" is a disposable one
        "disposable throwaway throw-away burner temporary",
        # "water zone A1 for 15 minutes": the irrigation run
        "irrigate irrigation water watering",
        # "assign the task to them": a change of its assignee
        "assign assignee reassign",
        # British and American spellings
        "fulfil fulfill fulfils fulfills fulfilment fulfillment fulfilled",
    )
)

#: How people say a feeling, by the sentiment it is ("if the customer is unhappy", "if the
#: review is bad").
FEELINGS: dict[str, str] = {
    word: sentiment
    for sentiment, words in {
        "negative": "unhappy angry upset frustrated annoyed dissatisfied displeased mad "
        "furious disappointed bad poor terrible awful horrible",
        "positive": "happy pleased satisfied delighted glad good great excellent",
    }.items()
    for word in words.split()
}

#: Nouns for what a verb makes ("a summary" is what summarising makes): a step that sends
#: one of these asks for it to be made first.
MADE_BY: dict[str, str] = {
    noun: verb
    for verb, nouns in {
        "summarize": "summary summaries digest recap synopsis tldr",
        "classify": "classification",
        "translate": "translation",
        "analyze": "analysis sentiment",
        "calculate": "calculation tax vat gst hst",
        "transcribe": "transcript transcription",
        "extract": "extract extraction",
    }.items()
    for noun in nouns.split()
}

#: Field-name aliases for wiring: a value called by one of these names can feed the other.
FIELD_ALIASES: dict[str, frozenset[str]] = {
    key: frozenset(values.split())
    for key, values in {
        "email": "email email_address to recipient user_email customer_email",
        "to": "email email_address recipient",
        "recipient": "email to email_address",
        "text": "body content summary message description",
        "body": "text content message summary",
        "content": "text body",
        "message": "text body content",
        "summary": "text body",
        "amount": "total price cost sum subtotal",
        "total": "amount sum price",
        "name": "full_name username display_name",
        "user_id": "id customer_id account_id",
        "customer_id": "user_id id",
        "url": "link address uri href",
        "subject": "title",
        "title": "subject",
        "items": "products lines line_items",
    }.items()
}


def split_identifier(name: str) -> list[str]:
    """`sendWelcomeEmail`, `send_welcome_email` and `send-welcome email` -> words."""
    spaced = _CAMEL.sub(" ", name)
    return _WORD.findall(spaced.lower())


#: Units a field's name ends on, as a message's label writes them ("temp_c": "Temp (C)").
_UNIT_LABELS = {
    "c": "C", "f": "F", "pct": "percent", "usd": "USD", "eur": "EUR", "gbp": "GBP",
    "ms": "ms", "kg": "kg", "km": "km", "mph": "mph", "kmh": "km/h",
}  # fmt: skip


def field_label(name: str) -> str:
    """How a message labels a field's value: its words, the first capitalised, and a unit
    its name ends on written out ("change_pct": "Change (percent)"; no "%", which a format
    string would read)."""
    words = split_identifier(name)
    unit = _UNIT_LABELS.get(words[-1]) if len(words) > 1 else None
    said = " ".join(words[:-1] if unit else words).capitalize()
    return f"{said} ({unit})" if unit else said


@lru_cache(maxsize=16384)
def stem(word: str) -> str:
    """A deliberately small stemmer: enough that 'emails', 'emailing' and 'emailed' meet,
    and 'validate'/'validation', 'ship'/'shipment', 'summarise'/'summarize' too."""
    w = word.lower()
    if len(w) <= 3 or not w.isalpha():
        return w
    if w.endswith("ies") and len(w) > 4:
        w = w[:-3] + "y"
    elif w.endswith("sses") or (w.endswith("es") and w[:-2].endswith(("sh", "ch", "x", "z", "ss"))):
        w = w[:-2]
    elif w.endswith("s") and not w.endswith(("ss", "us", "is")):
        w = w[:-1]
    for suffix in ("ing", "ed"):
        if w.endswith(suffix) and len(w) - len(suffix) >= 3:
            w = w[: -len(suffix)]
            if len(w) > 3 and w[-1] == w[-2] and w[-1] not in "ls":
                w = w[:-1]  # "shipped" -> "ship"
            break
    if w.endswith("ied"):
        w = w[:-3] + "y"
    if w.endswith("ator") and len(w) > 6:
        w = w[:-4] + "ate"  # "validator" -> "validate"
    for suffix in ("ation", "ment"):
        if w.endswith(suffix) and len(w) - len(suffix) >= 3:
            w = w[: -len(suffix)]
            break
    if w.endswith("e") and len(w) > 3:
        w = w[:-1]
    if w.endswith("at") and len(w) > 5:
        w = w[:-2]  # "validat" -> "valid", "calculat" -> "calcul"
    if w.endswith("is") and len(w) > 5 and not w.endswith("sis"):
        w = w[:-2] + "iz"  # "summaris" -> "summariz"
    if w.endswith("oll") and len(w) > 5:
        w = w[:-1]  # "enroll" -> "enrol" (the US and British spellings)
    if w.endswith("ys") and len(w) > 5:
        w = w[:-1] + "z"  # "analys" -> "analyz"
    return w


def normalise_stem(word: str) -> str:
    return stem(word)


#: Abbreviations a tool's description spells out ("merge PR 61": a pull request), standing
#: alone (not the letters of a code: "PR-3")
_SPELLED_OUT = re.compile(r"(?<![\w-])(?:PR|pr)(?P<s>s?)(?![\w-])")


def tokens(text: str, *, keep_stop_words: bool = False) -> list[str]:
    words = split_identifier(_SPELLED_OUT.sub(lambda m: f"pull request{m['s']}", text))
    if not keep_stop_words:
        words = [word for word in words if word not in STOP_WORDS]
    return words


def stems(text: str) -> list[str]:
    return [normalise_stem(word) for word in tokens(text)]


@lru_cache(maxsize=1)
def _synonym_index() -> dict[str, frozenset[str]]:
    index: dict[str, set[str]] = {}
    for group in SYNONYM_GROUPS:
        group_stems = {normalise_stem(word) for word in group}
        for word in group_stems:
            index.setdefault(word, set()).update(group_stems)
    return {word: frozenset(group) for word, group in index.items()}


def synonyms(word_stem: str) -> frozenset[str]:
    """Stems that mean the same as `word_stem` (itself excluded)."""
    return _synonym_index().get(word_stem, frozenset()) - {word_stem}


def meaningful(text: str) -> list[str]:
    """The content words of a step: neither stop words nor filler."""
    return [word for word in tokens(text) if word not in FILLER_WORDS and not word.isdigit()]


def singular(word: str) -> str:
    if word.endswith("ies") and len(word) > 4:
        return word[:-3] + "y"
    if word.endswith(("ses", "xes", "ches", "shes")):
        return word[:-2]
    if word.endswith("s") and not word.endswith("ss") and len(word) > 3:
        return word[:-1]
    return word


def plural(word: str) -> str:
    if word.endswith("y") and len(word) > 2 and word[-2] not in "aeiou":
        return word[:-1] + "ies"
    if word.endswith(("s", "x", "ch", "sh")):
        return word + "es"
    return word + "s"
