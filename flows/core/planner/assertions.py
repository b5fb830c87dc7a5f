"""A state the request says must hold before it goes on ("check that the email is valid,
then send the welcome email"; "make sure we have the stock, then charge the card").

The check is a step; what comes after it runs only when the state holds. That is the
request's "if it does not hold, stop" said without the words: a stop clause after the
check, which the builder turns into a branch in front of the rest (or refuses, naming
the state, when no step can tell it). A request that answers the check itself ("... If it
isn't, email support") keeps its own branches instead.
"""

from __future__ import annotations

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
    (in the same words, negated) are the steps for when it holds."""
    said = answer.condition
    if said is None or said.text.strip() != asserted.text.strip() or not said.negate:
        return
    for clause in between:
        if _plain_step(clause) and not clause.stop:
            clause.condition = Condition(asserted.text)


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


def _words(text: str) -> set[str]:
    return {stem(w) for w in meaningful(text)} - _PLAIN
