"""Card patterns that make a deck worse to study, found in the text alone (`factpack check` warns): the same
thing asked by cards of different facts, an answer that restates its question, and a cloze over a list of more
than three items. Cards are compared as sets of content words, each weighing by how few of the topic's cards
hold it (smoothed IDF): words most cards share ("ketamine", "label") count for little, a number or name for much.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from typing import Iterable, Iterator

from generator.source import cloze, inline
from generator.source.errors import Problem
from generator.source.model import BasicCard, ClozeCard, Content

# Set by reading every card these pick out of content/ketamine.yaml and the near misses below them
SHARED = 0.6  # two cards ask the same thing when they share this much of the lighter card's word weight,
ANSWER_FOUND = 0.55  # each one's answer (every number in it, and this much of its weight) is in the other,
ASKED_FOUND = 0.55  # and this much of what one asks (its words outside its answer) is in the other
MAX_POSTING = 40  # cards meet through words at most this many hold ('ketamine', 'label' tell none apart)
RESTATED = 0.8  # an answer with this share of its content words in its question restates it
MAX_LIST_ITEMS = 3

_STOPWORDS = frozenset("""
a about after all also an and any are as at be because been before being between both but by can could did do
does during each either for from had has have how if in into is it its may might more most must of on only or
other our over per same shall should so some such than that the their them then there these they this those
through to under until up upon very via was we were what when where whether which while who whom whose why will
with within would you your
""".split())
_DIGITS = "0123456789"
_WORD = re.compile(r"[0-9]+(?:[.,][0-9]+)*|[^\W\d_]+")
_IDIOM = re.compile(r"\bhow (?:long|many|much|often|soon)\b|\bat (?:least|most|minimum)\b|['’]s\b")
_YES_NO = re.compile(r"\s*(?:yes|no)\b", re.I)
_DEFINITION = re.compile(r"(?:^|[,;:]\s*)what (?:(?:is|are) (?:an? |the )?([^,?]+?)\s*(?:[,?]|$)|does (.+?) mean\b)",
                         re.I)
_QUOTED = re.compile(r"['\"‘“]([^'\"’”]+)['\"’”]")
_QUALIFIER = re.compile(r"\s(?:after|as|by|during|for|from|in|on|to|when|with)\s.*", re.I)
_VALUE = re.compile(r"\sof\s|['’]s\b", re.I)  # "the dose of X", "X's class": asks for a value, not a meaning
_SEPARATOR = re.compile(r",(?![0-9])(?:\s+(?:and|or)\b)?|\s(?:and|or)\b", re.I)
_BETWEEN_ITEMS = re.compile(r"\s*(?:,|;|,?\s*\b(?:and|or))\s*", re.I)
_SENTENCE_END = re.compile(r"[.!?:](?=\s)")


def words(text: str) -> frozenset[str]:
    """The content words of `text`: lower case, lightly stemmed, numbers without thousands commas."""
    found = _WORD.findall(_IDIOM.sub(" ", text.lower()))
    return frozenset(w.replace(",", "") if w[0] in _DIGITS else _stem(w) for w in found if w not in _STOPWORDS)


def _stem(word: str) -> str:
    """Just enough that 'monitored', 'monitoring' and 'monitors' meet, and 'dose', 'doses' and 'dosing'."""
    if word.endswith("ies") and len(word) > 4:
        return word[:-3] + "y"
    for suffix in ("ing", "ed", "es", "s"):
        if word.endswith(suffix) and len(word) - len(suffix) >= 3 and not word.endswith(("ss", "us", "is")):
            word = word[:-len(suffix)]
            break
    return word[:-1] if word.endswith("e") and len(word) > 3 else word


def _same_number(a: str, b: str) -> bool:
    """'77' and '77.1' agree (one is the other rounded down), '2' and '2.5' do not."""
    short, long = sorted((a, b), key=len)
    if short == long or not long.startswith(short):
        return short == long
    rest = long[len(short):]
    digits = rest if "." in short else rest[1:] if rest.startswith(".") else ""
    return digits.isdigit() and digits[0] < "5"


@dataclass(frozen=True)
class _Prompt:
    """One thing a card asks: a question/answer card, or the deletions of one number of a cloze card."""

    card: str
    fact: str
    path: str  # the question or cloze field
    number: int | None  # the cloze number when the card has more than one, else None
    words: frozenset[str]  # the whole card, every deletion filled in
    answer: frozenset[str]  # what the learner has to recall


def _prompts(content: Content) -> list[_Prompt]:
    found = []
    for id_path, _, fact, card in content.card_paths():
        field = id_path.removesuffix("id")
        if isinstance(card, BasicCard):
            answer = words(inline.plain(card.answer))
            found.append(_Prompt(card.id, fact.id, field + "question", None, words(inline.plain(card.question)) | answer,
                                 answer))
            continue
        text, deletions = words(cloze.filled(card.cloze, inline.plain)), cloze.parse(card.cloze)
        numbers = sorted({d.number for d in deletions})
        for number in numbers:
            hidden = words(" ".join(inline.plain(d.answer) for d in deletions if d.number == number))
            found.append(_Prompt(card.id, fact.id, field + "cloze", number if len(numbers) > 1 else None, text, hidden))
    return found


class _Weights:
    """Each word's weight, ln((1 + n) / (1 + prompts holding it)) + 1 over the topic's n prompts (never zero, so
    two cards of a two-card topic still compare), and which prompts hold it."""

    def __init__(self, prompts: list[_Prompt]) -> None:
        self.holding: dict[str, list[int]] = {}
        for index, prompt in enumerate(prompts):
            for word in prompt.words:
                self.holding.setdefault(word, []).append(index)
        self.weight = {w: math.log((1 + len(prompts)) / (1 + len(held))) + 1 for w, held in self.holding.items()}
        self.total = [self.of(prompt.words) for prompt in prompts]

    def of(self, some: Iterable[str]) -> float:
        return sum(self.weight.get(w, 1.0) for w in some)


def _answer_in(a: _Prompt, b: _Prompt, weights: _Weights) -> bool:
    """B states what A's learner must recall: every number of A's answer, and most of its weight."""
    numbers = [w for w in b.words if w[0] in _DIGITS]
    found = {w for w in a.answer if w in b.words or (w[0] in _DIGITS and any(_same_number(w, n) for n in numbers))}
    if any(w[0] in _DIGITS for w in a.answer - found):
        return False
    return weights.of(found) >= ANSWER_FOUND * weights.of(a.answer)


def _asked_in(a: _Prompt, b: _Prompt, weights: _Weights) -> bool:
    asked = a.words - a.answer
    return bool(asked) and weights.of(asked & b.words) >= ASKED_FOUND * weights.of(asked)


def _same(prompts: list[_Prompt], i: int, j: int, weights: _Weights) -> bool:
    """Prompts i and j ask the same thing: they share most of their words, each states the other's answer, and one
    states what the other asks (so cards that share only their answer, '24 hours', are not the same)."""
    a, b = prompts[i], prompts[j]
    if weights.of(a.words & b.words) < SHARED * min(weights.total[i], weights.total[j]):
        return False
    return (_answer_in(a, b, weights) and _answer_in(b, a, weights)
            and (_asked_in(a, b, weights) or _asked_in(b, a, weights)))


def _pairs(prompts: list[_Prompt], weights: _Weights) -> Iterator[tuple[int, int]]:
    """Prompts of different facts that ask the same thing. They meet through words few prompts hold, or as exact
    copies (whose words may all be common), so the work grows with the file, not with its square."""
    copies: dict[tuple[frozenset[str], frozenset[str]], int] = {}
    for i, prompt in enumerate(prompts):
        held = (weights.holding[w] for w in prompt.words if len(weights.holding[w]) <= MAX_POSTING)
        others = {j for holding in held for j in holding if j > i and prompts[j].fact != prompt.fact}
        first = copies.setdefault((prompt.words, prompt.answer), i)
        if prompts[first].fact != prompt.fact:
            others.add(first)
        yield from ((i, j) for j in sorted(others) if _same(prompts, i, j, weights))


def _groups(count: int, pairs: Iterable[tuple[int, int]]) -> list[list[int]]:
    """The prompts joined by pairs, as groups of two or more in file order (union-find)."""
    parent = list(range(count))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for i, j in pairs:
        parent[root(j)] = root(i)
    groups: dict[int, list[int]] = {}
    for i in range(count):
        groups.setdefault(root(i), []).append(i)
    return [members for members in groups.values() if len(members) > 1]


def near_duplicates(content: Content) -> list[Problem]:
    """One warning for each group of cards of different facts that ask the same thing, at the group's first card
    and naming every card in it."""
    prompts = _prompts(content)
    problems = []
    for group in _groups(len(prompts), _pairs(prompts, _Weights(prompts))):
        numbers: dict[str, list[str]] = {}
        for i in group:
            numbers.setdefault(prompts[i].card, []).extend([f"c{prompts[i].number}"] * (prompts[i].number is not None))
        names = [f"'{card}'" + (f" ({', '.join(found)})" if found else "") for card, found in numbers.items()]
        if len(names) == 2:
            message = (f"cards {_listed(names)} ask the same thing from different facts; keep one, or make each ask "
                       f"what only its own fact says")
        else:
            message = (f"{len(names):,} cards ask the same thing from different facts: {_listed(names)}; ask it "
                       f"twice at most, and make the others ask what only their own fact says")
        problems.append(content.problem(prompts[group[0]].path, f"warning: {message}"))
    return problems


def _listed(names: list[str], most: int = 12) -> str:
    if len(names) > most:  # a hostile file can repeat a card thousands of times
        return ", ".join(names[:most]) + f" and {len(names) - most:,} more"
    return ", ".join(names[:-1]) + " and " + names[-1]


def restated_answers(content: Content) -> list[Problem]:
    """Question/answer cards whose answer teaches nothing the question did not already say."""
    problems = []
    for id_path, _, _, card in content.card_paths():
        if isinstance(card, BasicCard) and (why := _circular(card) or _restated(card)):
            problems.append(content.problem(id_path.removesuffix("id") + "answer", f"warning: card '{card.id}': {why}"))
    return problems


def _circular(card: BasicCard) -> str | None:
    """A definition that uses the word it defines: 'Schedule III' -> 'a schedule of ...'."""
    question, answer = inline.plain(card.question), inline.plain(card.answer)
    term = _defined_term(question)
    if not term:
        return None
    # "X is a ..." names its subject before it explains it, and "(X)" is an aside: neither counts
    said = re.sub(rf"^\s*(?:(?:an?|the)\s+)?{re.escape(term)}\s+(?:is|are)\s", "", answer, flags=re.I)
    said = words(_unbracketed(said))
    own = [w for w in _WORD.findall(term) if w.lower() not in _STOPWORDS and _stem(w.lower()) in said]
    return (f"the answer explains '{term}' by its own word '{own[0]}'; say what it is or does in other words"
            if own else None)


def _defined_term(question: str) -> str | None:
    """The term a "What is X?" or "What does X mean?" question asks to define, or None for another question."""
    match = _DEFINITION.search(question)
    if not match:
        return None
    phrase = match.group(1) or match.group(2)
    if quoted := _QUOTED.search(phrase):
        return quoted.group(1)
    term = _QUALIFIER.sub("", phrase)
    return term if not _VALUE.search(phrase) and len(term.split()) <= 4 else None


def _restated(card: BasicCard) -> str | None:
    """An answer whose content words are (nearly) all in its question; a yes or no is the answer itself."""
    answer, question = words(inline.plain(card.answer)), words(inline.plain(card.question))
    if not answer or _YES_NO.match(inline.plain(card.answer)) or len(answer & question) < RESTATED * len(answer):
        return None
    return (f"{len(answer & question)} of the answer's {len(answer)} content words are in the question; make the "
            f"answer the fact the question asks for")


def list_clozes(content: Content) -> list[Problem]:
    """Cloze cards over a list of more than three items: a hidden list fails the card for one forgotten item,
    and a blank in a long list has many answers that fit."""
    problems = []
    for id_path, _, _, card in content.card_paths():
        if isinstance(card, ClozeCard) and (why := _list_cloze(card.cloze)):
            problems.append(content.problem(id_path.removesuffix("id") + "cloze", f"warning: card '{card.id}': {why}"))
    return problems


def _list_cloze(text: str) -> str | None:
    deletions = cloze.parse(text)
    split = f"hide at most {MAX_LIST_ITEMS}, or give each item its own cloze number"
    for deletion in deletions:
        if (count := _items(deletion.answer)) > MAX_LIST_ITEMS:
            return f"c{deletion.number} hides a list of {count} items; {split}"
    for number, count in _runs(text, deletions):
        if count > MAX_LIST_ITEMS:
            return f"c{number} hides {count} items of one list; {split}"
    in_lists = {f"c{number}": count for number, count in _blanks_in_lists(text, deletions) if count > MAX_LIST_ITEMS}
    if not in_lists:
        return None
    hides = f"{_listed(list(in_lists))} each hide" if len(in_lists) > 1 else f"{next(iter(in_lists))} hides"
    return (f"{hides} one item of a list of {max(in_lists.values())}, so several answers fit the blank; ask for the "
            f"item by what sets it apart, or shorten the list to {MAX_LIST_ITEMS}")


def _items(text: str) -> int:
    """The items of a list: parts between semicolons if it has any, else between commas, 'and' and 'or' (a comma
    between digits is a thousands separator; what stands in brackets is left out)."""
    text = _unbracketed(text)
    parts = text.split(";") if ";" in text else _SEPARATOR.split(text)
    return sum(1 for part in parts if part.strip(" ,.;"))


def _runs(text: str, deletions: list[cloze.Deletion]) -> Iterator[tuple[int, int]]:
    """(number, length) of each run of deletions of one number with only list separators between them."""
    run = 1
    for before, after in zip(deletions, deletions[1:]):
        if after.number == before.number and _BETWEEN_ITEMS.fullmatch(text[before.end:after.start]):
            run += 1
            continue
        yield before.number, run
        run = 1
    if deletions:
        yield deletions[-1].number, run


def _blanks_in_lists(text: str, deletions: list[cloze.Deletion]) -> Iterator[tuple[int, int]]:
    """(number, items) for each deletion that is an item of a written list such as "a, b, c and d"."""
    parts, spans, length, position = [], [], 0, 0
    for deletion in deletions:
        parts += [text[position:deletion.start], deletion.answer]
        length += deletion.start - position
        spans.append((deletion.number, length, length + len(deletion.answer)))
        length += len(deletion.answer)
        position = deletion.end
    filled = _unbracketed("".join(parts) + text[position:])
    return ((number, _items_around(filled, start, end)) for number, start, end in spans)


def _items_around(text: str, start: int, end: int) -> int:
    """The items of the list "a, b, c and d" in its sentence of which text[start:end] is one, or 0. Going back
    from the 'and' or 'or', items are short (four words at most); the first long part is the lead-in with the
    first item."""
    begin = max((m.end() for m in _SENTENCE_END.finditer(text, 0, start)), default=0)
    stop = _SENTENCE_END.search(text, end)
    separators = list(_SEPARATOR.finditer(text, begin, stop.start() if stop else len(text)))
    last = next((i for i in reversed(range(len(separators))) if separators[i].group() != ","), None)
    if last is None:
        return 0
    first = last
    while first and separators[first - 1].group() == "," and len(
            text[separators[first - 1].end():separators[first].start()].split()) <= 4:
        first -= 1
    run = separators[first:last + 1]
    touches = any(m.start() == end or (m.end() <= start and len(text[m.end():start].split()) <= 2) for m in run)
    return len(run) + 1 if touches else 0


def _unbracketed(text: str) -> str:
    """`text` with what stands in round or square brackets blanked out, character for character."""
    kept, depth = [], 0
    for char in text:
        depth += char in "(["
        kept.append(" " if depth else char)
        depth -= depth > 0 and char in ")]"
    return "".join(kept)


def check(content: Content) -> list[Problem]:
    """Every warning of this module for one content file."""
    return near_duplicates(content) + restated_answers(content) + list_clozes(content)
