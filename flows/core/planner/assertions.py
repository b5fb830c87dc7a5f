"""A state the request says must hold before it goes on ("check that the email is valid,
then send the welcome email"; "make sure we have the stock, then charge the card").

The check is a step; what comes after it runs only when the state holds. That is the
request's "if it does not hold, stop" said without the words: a stop clause after the
check, which the builder turns into a branch in front of the rest (or refuses, naming
the state, when no step can tell it). A request that answers the check itself ("... If it
isn't, email support") keeps its own branches instead.
"""

from __future__ import annotations

import re

from flows.core.planner.lexicon import meaningful, stem
from flows.core.planner.phrasing import Clause, Condition

#: Words of a condition that say nothing of what it is about.
_PLAIN = frozenset(
    stem(w)
    for w in """
    is are was were be been has have had it its they them their this that so yes not no
    we our do does did don't doesn't isn't aren't can cannot still all really there
    """.split()
)


def guard_after_assertions(clauses: list[Clause]) -> list[Clause]:
    """`clauses` with a stop ("stop unless <state>") after each check of a state that
    steps follow and no later condition answers."""
    result: list[Clause] = []
    for index, clause in enumerate(clauses):
        result.append(clause)
        asserted = clause.asserts
        later = clauses[index + 1 :]
        if asserted is None or not later or not _plain_step(clause):
            continue
        answer = _answer_at(later, asserted)
        if answer is not None:
            _hold_until(later[:answer], later[answer], asserted)
            continue
        result.append(
            Clause(
                number=clause.number,
                text=clause.text,
                action="",
                sentence=clause.sentence,
                condition=Condition(asserted.text, negate=True, checked=True),
                stop=True,
            )
        )
    return result


def _answer_at(later: list[Clause], asserted: Condition) -> int | None:
    """Where the request says what happens when the asserted state fails. An "if not" /
    "otherwise" after a step's own condition ("then take payment. If payment goes through,
    ship it; if not, ...") is that condition's other case, not the check's."""
    conditioned = False
    for at, other in enumerate(later):
        if other.otherwise and conditioned:
            continue
        if _answers(other, asserted):
            return at
        conditioned = conditioned or other.condition is not None
    return None


def _hold_until(between: list[Clause], answer: Clause, asserted: Condition) -> None:
    """ "Check that the email is valid, then send the welcome email. If it isn't, email
    support": the steps before the answer that says what happens when the state fails
    (in the check's words or fewer, negated) are the steps for when it holds."""
    said = answer.condition
    if said is None or not _negates(said, asserted):
        return
    held = [clause for clause in between if _plain_step(clause) and not clause.stop]
    for clause in held:
        clause.condition = Condition(asserted.text)
    if held and not answer.condition_only and answer.condition is said:
        # the answer is the other arm of the same branch, as "otherwise" says it
        answer.condition, answer.otherwise = None, True


def _plain_step(clause: Clause) -> bool:
    """A check that runs once, whatever came before (a check in a loop or under a
    condition guards only its own arm)."""
    return (
        clause.condition is None
        and not clause.otherwise
        and clause.for_each is None
        and clause.parallel_group is None
        and clause.approval is None
    )


def _answers(clause: Clause, asserted: Condition) -> bool:
    """Whether `clause`'s condition is about the asserted state ("if it isn't", "if the
    email is invalid"): the request says itself what happens when it fails."""
    if clause.otherwise:
        return True
    condition = clause.condition or clause.guard
    if condition is None:
        return False
    if condition.text.strip() == asserted.text.strip():
        return True
    said = _words(condition.text)
    return not said or bool(said & _words(asserted.text))


#: Words that turn a state around ("it's not valid", "if that fails").
_NEGATION = re.compile(r"\b(?:not|no|never|fails?|failed)\b|n't\b", re.IGNORECASE)
#: Prefixes that make a word its opposite ("invalid", "unavailable").
_OPPOSITE_PREFIXES = ("in", "un", "non", "dis", "im", "il", "ir")


def _negates(said: Condition, asserted: Condition) -> bool:
    """Whether `said` is the asserted state failing, in the check's words or fewer: "it
    isn't", "if it's not valid", "if the email is invalid" after "check the email is
    valid"."""
    if said.text.strip() == asserted.text.strip():
        return said.negate != asserted.negate
    held = _words(asserted.text)
    words = _words(said.text)
    flipped = said.negate != (_NEGATION.search(said.text) is not None)
    for word in words - held:
        opposite = _opposite_in(word, held)
        if opposite is not None:
            words = (words - {word}) | {opposite}
            flipped = not flipped
    if flipped == (asserted.negate != (_NEGATION.search(asserted.text) is not None)):
        return False
    return words <= held


def _opposite_in(word: str, held: set[str]) -> str | None:
    """The word of `held` that `word` says the opposite of ("invalid": "valid"), if any."""
    for prefix in _OPPOSITE_PREFIXES:
        if word.startswith(prefix) and word[len(prefix) :] in held:
            return word[len(prefix) :]
    return None


def _words(text: str) -> set[str]:
    # ("it's" leaves an "s", and "isn't" an "isn", which say nothing of what it is about)
    text = re.sub(r"\b\w+n't\b", " not ", text, flags=re.IGNORECASE)
    return {stem(w) for w in meaningful(text) if len(w) > 1} - _PLAIN
