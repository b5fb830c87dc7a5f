"""Demo text tools: lexicon-based sentiment and extractive summaries, both deterministic.

Sentiment follows the shape of VADER: a weighted word lexicon, negation ("not good"),
intensifiers ("very"), contrast ("..., but ...": the second clause counts more),
exclamation marks and ALL-CAPS emphasis, normalised to a score in [-1, 1].
Summaries pick the sentences whose content words are most frequent in the whole text
(Luhn's method) with a small bonus for the lead sentence, and keep their original order.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass, field
from typing import Annotated, Literal

from pydantic import BaseModel, Field

from flows.core.tools import ToolError
from tools_registry.code_tools import tool

MAX_TEXT_LENGTH = 100_000

# --- sentiment ----------------------------------------------------------------------------

POSITIVE = {
    "amazing": 3.0, "awesome": 3.0, "excellent": 3.0, "fantastic": 3.0, "love": 3.0,
    "loved": 3.0, "loves": 3.0, "lovely": 2.5, "perfect": 3.0, "wonderful": 3.0,
    "outstanding": 3.0, "delighted": 3.0, "brilliant": 3.0, "superb": 3.0, "best": 2.5,
    "impressive": 2.5, "impressed": 2.5, "great": 2.0, "happy": 2.0, "glad": 2.0,
    "pleased": 2.0, "enjoy": 2.0, "enjoyed": 2.0, "helpful": 2.0, "recommend": 2.0,
    "satisfied": 2.0, "reliable": 2.0, "beautiful": 2.5, "thank": 1.5, "thanks": 1.5,
    "grateful": 2.0, "appreciate": 2.0, "appreciated": 2.0, "good": 1.5, "nice": 1.5,
    "friendly": 1.5, "smooth": 1.5, "resolved": 1.5, "liked": 1.5, "better": 1.0,
    "fast": 1.0, "quick": 1.0, "quickly": 1.0, "easy": 1.0, "works": 1.0, "fixed": 1.0,
    "solid": 1.0, "fine": 0.8, "ok": 0.5, "okay": 0.5, "win": 1.5, "success": 2.0,
    "successful": 2.0, "convenient": 1.5, "intuitive": 1.5, "efficient": 1.5,
}
NEGATIVE = {
    "awful": 3.0, "horrible": 3.0, "terrible": 3.0, "worst": 3.0, "hate": 3.0,
    "hated": 3.0, "useless": 3.0, "unacceptable": 3.0, "scam": 3.0, "disgusting": 3.0,
    "furious": 3.0, "broken": 2.5, "crash": 2.5, "crashed": 2.5, "crashes": 2.5,
    "disappointed": 2.5, "disappointing": 2.5, "frustrated": 2.5, "frustrating": 2.5,
    "angry": 2.5, "rude": 2.5, "unhappy": 2.5, "damaged": 2.5, "defective": 2.5,
    "bad": 2.0, "poor": 2.0, "wrong": 2.0, "fail": 2.0, "failed": 2.0, "fails": 2.0,
    "failure": 2.0, "annoying": 2.0, "sad": 2.0, "complaint": 2.0, "worse": 2.0,
    "lost": 1.5, "slow": 1.5, "bug": 1.5, "buggy": 2.0, "error": 1.5, "errors": 1.5,
    "problem": 1.5, "problems": 1.5, "late": 1.5, "delayed": 1.5, "missing": 1.5,
    "difficult": 1.5, "confusing": 1.5, "confused": 1.5, "refund": 1.0, "issue": 1.0,
    "issues": 1.0, "expensive": 1.0, "overcharged": 2.5, "unable": 1.5, "stuck": 1.5,
    "waste": 2.0, "ridiculous": 2.5, "outage": 2.5, "down": 0.5,
}
NEGATORS = frozenset(
    {"not", "no", "never", "none", "nobody", "nothing", "neither", "nor", "hardly",
     "barely", "without", "cannot", "cant", "dont", "doesnt", "didnt", "isnt", "wasnt",
     "wont", "wouldnt", "shouldnt", "arent", "werent", "havent", "hasnt"}
)
INTENSIFIERS = {
    "very": 1.5, "really": 1.4, "extremely": 1.8, "incredibly": 1.8, "absolutely": 1.6,
    "totally": 1.4, "so": 1.3, "super": 1.5, "truly": 1.4, "highly": 1.5, "quite": 1.2,
    "most": 1.3, "completely": 1.5, "utterly": 1.7, "slightly": 0.6, "somewhat": 0.7,
    "bit": 0.7, "kinda": 0.7, "barely": 0.6, "little": 0.7,
}
CONTRASTS = frozenset({"but", "however", "although", "though", "yet"})
EMOTICONS = {":)": 2.0, ":-)": 2.0, ":d": 2.5, ":(": -2.0, ":-(": -2.0}
NEGATION_SCOPE = 3
NEGATION_FACTOR = -0.75  # "not good" is mildly negative, not the opposite of "good"
#: VADER's normalisation constant: raw / sqrt(raw^2 + alpha) lands in (-1, 1).
ALPHA = 15.0
NEUTRAL_BAND = 0.05

_SENTIMENT_TOKEN = re.compile(r":-?[()]|:[dD]\b|[A-Za-z]+(?:'[A-Za-z]+)?|!")


@dataclass(slots=True)
class SentimentScore:
    score: float
    label: Literal["positive", "negative", "neutral"]
    positive_terms: list[str] = field(default_factory=list)
    negative_terms: list[str] = field(default_factory=list)


def _lexicon_value(word: str) -> tuple[float, str] | None:
    """The signed weight of a word (or of its stem), with the lexicon entry that matched."""
    candidates = [word]
    for suffix, replacement in (("ing", ""), ("ing", "e"), ("ed", ""), ("ed", "e"),
                                ("ly", ""), ("s", ""), ("es", ""), ("d", "")):
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            candidates.append(word[: -len(suffix)] + replacement)
    for candidate in candidates:
        if candidate in POSITIVE:
            return POSITIVE[candidate], candidate
        if candidate in NEGATIVE:
            return -NEGATIVE[candidate], candidate
    return None


def sentiment_of(text: str) -> SentimentScore:
    """Score text from -1 (very negative) to 1 (very positive)."""
    raw = 0.0
    positive: list[str] = []
    negative: list[str] = []
    for sentence in split_sentences(text) or [text]:
        before_contrast = 0.0
        clause = 0.0
        negation_left = 0
        modifier = 1.0
        modifier_left = 0
        exclamations = 0
        for token in _SENTIMENT_TOKEN.findall(sentence):
            word = token.lower().replace("\u2019", "'")
            if word == "!":
                exclamations += 1
                continue
            if word in EMOTICONS:
                clause += EMOTICONS[word]
                (positive if EMOTICONS[word] > 0 else negative).append(word)
                continue
            bare = word.replace("'", "")
            if bare in CONTRASTS:
                before_contrast += clause
                clause = 0.0
                negation_left = 0
                continue
            if bare in NEGATORS or word.endswith("n't"):
                negation_left = NEGATION_SCOPE
                continue
            if bare in INTENSIFIERS:
                modifier *= INTENSIFIERS[bare]
                modifier_left = 2
                continue
            match = _lexicon_value(bare)
            if match is None:
                negation_left = max(negation_left - 1, 0)
                modifier_left = max(modifier_left - 1, 0)
                if not modifier_left:
                    modifier = 1.0
                continue
            value, term = match
            if token.isupper() and len(token) > 1:
                value *= 1.3
            value *= modifier
            if negation_left:
                value *= NEGATION_FACTOR
                term = f"not {term}"
            (positive if value > 0 else negative).append(term)
            clause += value
            negation_left = 0
            modifier, modifier_left = 1.0, 0
        # A contrast shifts the weight to what follows it ("fast, but buggy").
        sentence_score = before_contrast * 0.5 + clause * 1.5 if before_contrast else clause
        sentence_score *= 1 + 0.1 * min(exclamations, 3)
        raw += sentence_score
    score = raw / math.sqrt(raw * raw + ALPHA) if raw else 0.0
    label: Literal["positive", "negative", "neutral"] = (
        "positive" if score >= NEUTRAL_BAND else "negative" if score <= -NEUTRAL_BAND
        else "neutral"
    )
    return SentimentScore(
        round(score, 3), label, list(dict.fromkeys(positive)), list(dict.fromkeys(negative))
    )


# --- sentences and summaries ---------------------------------------------------------------

ABBREVIATIONS = frozenset(
    {"mr", "mrs", "ms", "dr", "prof", "sr", "jr", "st", "vs", "etc", "e.g", "i.e", "eg", "ie",
     "inc", "ltd", "co", "corp", "fig", "approx", "dept", "est", "u.s", "u.k", "jan",
     "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec", "mt"}
)
_STOPWORD_TEXT = """
    a about above after again against all also am an and any are as at be because been
    before being below between both but by can could did do does doing down during each few
    for from further had has have having he her here hers herself him himself his how i if in
    into is it its itself just let me more most my myself no nor not now of off on once only or
    other our ours ourselves out over own same she should so some such than that the their
    theirs them themselves then there these they this those through to too under until up
    very was we were what when where which while who whom why will with would you your yours
    yourself yourselves one two also may might must shall us many much get got make made
    like use used using via per within without however although though yet still even"""
STOPWORDS = frozenset(_STOPWORD_TEXT.split())
_BOUNDARY = re.compile(r"[.!?]+[\"')\]]*\s+")
_WORD = re.compile(r"[a-z][a-z'\-]*")


def split_sentences(text: str) -> list[str]:
    """Sentences of the text, paragraph breaks included; abbreviations do not end one."""
    sentences: list[str] = []
    for paragraph in re.split(r"\n\s*\n", text):
        flat = " ".join(paragraph.split())
        start = 0
        for match in _BOUNDARY.finditer(flat):
            end = match.end()
            following = flat[end : end + 1]
            before = flat[start : match.start()].split()
            last_word = before[-1].lower().rstrip(".") if before else ""
            if not following or not (following.isupper() or following.isdigit()
                                     or following in "\"'(["):
                continue
            if last_word in ABBREVIATIONS or (len(last_word) == 1 and last_word.isalpha()):
                continue
            sentences.append(flat[start : match.end()].strip())
            start = end
        if flat[start:].strip():
            sentences.append(flat[start:].strip())
    return sentences


def _stem(word: str) -> str:
    word = word.strip("'-")
    if word.endswith("ies") and len(word) > 4:
        return word[:-3] + "y"
    if word.endswith("s") and not word.endswith(("ss", "us", "is")) and len(word) > 3:
        return word[:-1]
    return word


def _content_words(sentence: str) -> list[str]:
    return [
        _stem(word) for word in _WORD.findall(sentence.lower())
        if len(word) > 2 and word not in STOPWORDS
    ]


@dataclass(frozen=True, slots=True)
class Summary:
    sentences: list[str]
    keywords: list[str]
    sentence_count: int
    word_count: int


def summary_of(text: str, *, max_sentences: int, keyword_count: int = 5) -> Summary:
    sentences = split_sentences(text)
    words_by_sentence = [_content_words(sentence) for sentence in sentences]
    frequencies = Counter(word for words in words_by_sentence for word in words)
    top = max(frequencies.values(), default=1)
    # Keyword order: frequency, then first appearance (stable, so deterministic).
    first_seen = {word: index for index, word in reversed(list(enumerate(
        word for words in words_by_sentence for word in words)))}
    keywords = sorted(frequencies, key=lambda word: (-frequencies[word], first_seen[word]))

    def weight(index: int) -> float:
        words = words_by_sentence[index]
        if not words:
            return 0.0
        value = sum(frequencies[word] / top for word in words) / math.sqrt(len(words))
        if index == 0:
            value *= 1.2  # the lead sentence usually says what the text is about
        if len(sentences[index].split()) < 4:
            value *= 0.5
        return value

    ranked = sorted(range(len(sentences)), key=lambda index: (-weight(index), index))
    chosen = sorted(ranked[:max_sentences])
    return Summary(
        sentences=[sentences[index] for index in chosen],
        keywords=keywords[:keyword_count],
        sentence_count=len(sentences),
        word_count=len(text.split()),
    )


# --- tools ----------------------------------------------------------------------------------

TextInput = Annotated[
    str, Field(min_length=1, max_length=MAX_TEXT_LENGTH, description="The text to analyse.")
]


class SentimentResult(BaseModel):
    sentiment: Literal["positive", "negative", "neutral"]
    score: float = Field(
        description="-1 (very negative) to 1 (very positive); |score| < 0.05 is neutral."
    )
    positive_terms: list[str] = Field(description="Words that pushed the score up.")
    negative_terms: list[str] = Field(
        description="Words that pushed it down ('not good' included)."
    )


class SummaryResult(BaseModel):
    summary: str = Field(description="The chosen sentences, in their original order.")
    keywords: list[str] = Field(description="The most frequent content words (stemmed).")
    sentence_count: int = Field(description="Sentences in the original text.")
    summary_sentence_count: int
    word_count: int = Field(description="Words in the original text.")
    summary_word_count: int


@tool(category="text", cacheable=True, inline=True)
def analyze_sentiment(text: TextInput) -> SentimentResult:
    """Classify the sentiment of a text as positive, negative or neutral, with a score.

    Lexicon-based (English): handles negation, intensifiers, 'but' contrasts and emphasis.
    """
    result = sentiment_of(text)
    return SentimentResult(
        sentiment=result.label,
        score=result.score,
        positive_terms=result.positive_terms,
        negative_terms=result.negative_terms,
    )


@tool(category="text", cacheable=True)
def summarize_text(
    text: TextInput,
    max_sentences: Annotated[
        int, Field(ge=1, le=20, description="Most sentences the summary may have.")
    ] = 3,
) -> SummaryResult:
    """Summarise a text by extracting its most informative sentences, plus keywords.

    Extractive (sentences are quoted, never rewritten); a text no longer than max_sentences
    is returned whole.
    """
    if not text.strip():
        raise ToolError("text is empty", code="invalid_input",
                        details=[{"field": "text", "message": "text is empty"}])
    summary = summary_of(text, max_sentences=max_sentences)
    joined = " ".join(summary.sentences)
    return SummaryResult(
        summary=joined,
        keywords=summary.keywords,
        sentence_count=summary.sentence_count,
        summary_sentence_count=len(summary.sentences),
        word_count=summary.word_count,
        summary_word_count=len(joined.split()),
    )
