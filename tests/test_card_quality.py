"""Card quality warnings from `factpack check`: each pattern is flagged at its card, and its near miss is not.

1. Cards of different facts that ask the same thing: one warning per group, naming every card in it.
2. An answer that restates its question, or defines a term by the term's own word.
3. A cloze over a list of more than three items: a hidden list, a run of deletions of one number, or one
   blank in a written list.
"""

from __future__ import annotations

import copy
import dataclasses
import re
from pathlib import Path

import yaml
from hypothesis import given, strategies as st

from generator.authoring import card_quality
from generator.source.load import load, load_text
from generator.source.model import BasicCard, Card, ClozeCard, Content
from tests.conftest import MINIMAL

MINIMAL_DATA = yaml.safe_load(MINIMAL.read_text(encoding="utf-8"))


def q(question: str, answer: str) -> dict[str, str]:
    return {"question": question, "answer": answer}


def c(text: str) -> dict[str, str]:
    return {"cloze": text}


def _content(*facts: list[dict[str, str]]) -> Content:
    """The minimal content file with these cards, one list per fact; the facts' cards are named a0, a1, b0 ..."""
    data = yaml.safe_load(yaml.safe_dump(MINIMAL_DATA))
    written = data["sections"][0]["facts"]
    for i, cards in enumerate(facts):
        if i >= len(written):
            written.append({**copy.deepcopy(written[1]), "id": f"fact-{i}"})
        written[i]["cards"] = [{"id": f"{'abcdefgh'[i]}{k}", **card} for k, card in enumerate(cards)]
    return load_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), "topic.yaml")


def _warnings(*facts: list[dict[str, str]]) -> list[str]:
    """Each warning as 'path: message'."""
    return [f"{p.path}: {p.message.removeprefix('warning: ')}" for p in card_quality.check(_content(*facts))]


MONITORED_Q = q("For how long at minimum must patients be monitored after each Spravato dose?", "At least 2 hours")
MONITORED_C = c("After each Spravato dose, patients are monitored for at least {{c1::2 hours}}.")


# 1. The same thing asked by cards of different facts

def test_two_facts_asking_the_same_rule_are_flagged_once_at_the_first_card() -> None:
    assert _warnings([MONITORED_Q], [MONITORED_C]) == [
        "sections[0].facts[0].cards[0].question: cards 'a0' and 'b0' ask the same thing from different facts; "
        "keep one, or make each ask what only its own fact says"]


def test_a_rule_asked_more_than_twice_is_one_warning_naming_every_card() -> None:
    boxed = c("Because of sedation, patients are monitored for at least {{c1::2 hours}} after each Spravato dose.")
    assert _warnings([MONITORED_Q], [MONITORED_C], [boxed]) == [
        "sections[0].facts[0].cards[0].question: 3 cards ask the same thing from different facts: 'a0', 'b0' and "
        "'c0'; ask it twice at most, and make the others ask what only their own fact says"]


def test_the_cloze_number_that_repeats_the_rule_is_named() -> None:
    oximetry = c("After each Spravato dose, patients are monitored for at least {{c1::2 hours}}, with {{c2::pulse "
                 "oximetry}} to check breathing.")
    assert _warnings([MONITORED_Q], [oximetry]) == [
        "sections[0].facts[0].cards[0].question: cards 'a0' and 'b0' (c1) ask the same thing from different facts; "
        "keep one, or make each ask what only its own fact says"]


def test_a_rounded_number_is_the_same_number() -> None:
    share = q("What share of users had urinary frequency in the 2022 meta-analysis?", "About 77%")
    pooled = c("In the 2022 meta-analysis, {{c1::77.1%}} of users had urinary frequency.")
    assert len(_warnings([share], [pooled])) == 1


def test_one_fact_may_ask_its_rule_both_ways() -> None:
    assert _warnings([MONITORED_Q, MONITORED_C]) == []


def test_near_miss_the_same_question_about_another_subject() -> None:
    iv = q("What initial IV induction range does the US Ketalar label give?", "1 to 4.5 mg/kg")
    im = q("What initial IM induction range does the US Ketalar label give?", "6.5 to 13 mg/kg")
    assert _warnings([iv], [im]) == []


def test_near_miss_the_same_sentence_with_another_number() -> None:
    dizziness = c("In short-term Spravato trials, dizziness occurred in {{c1::29%}} of patients versus 8% on placebo.")
    pollakiuria = c("In short-term Spravato trials, pollakiuria occurred in {{c1::3%}} of patients versus 0.5% on "
                    "placebo.")
    assert _warnings([dizziness], [pollakiuria]) == []


def test_near_miss_cards_that_share_only_their_answer() -> None:
    driving = c("After Ketalar, patients should not drive for {{c1::24 hours}}.")
    recurrence = c("Ketalar emergence reactions can recur up to {{c1::24 hours}} after surgery.")
    assert _warnings([driving], [recurrence]) == []


# 2. Answers that restate the question

def test_a_definition_by_the_term_itself_is_flagged_at_the_answer() -> None:
    circular = q("In drug law, what is 'Schedule III'?", "A schedule of the US Controlled Substances Act")
    assert _warnings([circular]) == [
        "sections[0].facts[0].cards[0].answer: card 'a0': the answer explains 'Schedule III' by its own word "
        "'Schedule'; say what it is or does in other words"]


def test_an_answer_made_of_the_question_s_words_is_flagged() -> None:
    restated = q("Does ketamine block the NMDA receptor or the opioid receptor?", "The NMDA receptor")
    assert _warnings([restated]) == [
        "sections[0].facts[0].cards[0].answer: card 'a0': 2 of the answer's 2 content words are in the question; "
        "make the answer the fact the question asks for"]


def test_near_miss_definitions_and_answers_that_add_the_fact() -> None:
    assert _warnings([
        q("What is norketamine?", "The major circulating metabolite of ketamine"),
        q("What is dissociation?", "Dissociation is a feeling of being disconnected from oneself"),
        q("What is Spravato?", "Esketamine nasal spray (Spravato)"),
        q("What is the US schedule of esketamine?", "Schedule III"),  # asks for a value, not a meaning
        q("Esketamine is which enantiomer of ketamine?", "The S-enantiomer"),
        q("Is racemic ketamine FDA-approved for depression?", "No; racemic ketamine is not approved for depression"),
    ]) == []


# 3. Clozes over a list of more than three items

def test_a_deletion_hiding_a_list_of_four_is_flagged() -> None:
    hidden = c("The boxed warning names {{c1::sedation, dissociation, respiratory depression and misuse}}.")
    assert _warnings([hidden]) == [
        "sections[0].facts[0].cards[0].cloze: card 'a0': c1 hides a list of 4 items; hide at most 3, or give each "
        "item its own cloze number"]


def test_four_deletions_of_one_number_forming_a_list_are_flagged() -> None:
    assert _warnings([c("It names {{c1::sedation}}, {{c1::dissociation}}, {{c1::respiratory depression}} and "
                        "{{c1::misuse}}.")]) == [
        "sections[0].facts[0].cards[0].cloze: card 'a0': c1 hides 4 items of one list; hide at most 3, or give each "
        "item its own cloze number"]


def test_one_blank_in_a_written_list_of_five_is_flagged() -> None:
    assert _warnings([c("The US Ketalar warnings include hemodynamic instability, emergence reactions, respiratory "
                        "depression, pediatric neurotoxicity and drug-induced {{c1::liver injury}}.")]) == [
        "sections[0].facts[0].cards[0].cloze: card 'a0': c1 hides one item of a list of 5, so several answers fit the "
        "blank; ask for the item by what sets it apart, or shorten the list to 3"]


def test_near_miss_lists_of_three_and_commas_that_are_no_list() -> None:
    assert _warnings([
        c("Patients are monitored because of sedation, dissociation and {{c1::respiratory depression}}."),
        c("Ketalar with {{c1::theophylline or aminophylline}} may lower the seizure threshold."),
        c("In 2015 WHO recommended, for the fourth time since 2006, that ketamine {{c1::not be placed under "
          "international control}}."),
        c("Give {{c1::1,000 mg}} at most (sedation, dissociation, nausea and vomiting are common)."),
        c("Amphetamines, methylphenidate, modafinil and caffeine may raise {{c1::blood pressure}}."),
        c("It names {{c1::sedation}}, {{c1::dissociation}} and {{c1::misuse}}."),
    ]) == []


# Wired into `factpack check`, with the position of the field

def test_check_prints_the_warning_with_its_position_and_strict_fails(run_cli, tmp_path: Path) -> None:
    data = yaml.safe_load(yaml.safe_dump(MINIMAL_DATA))
    data["sections"][0]["facts"][0]["cards"].append({"id": "monitoring-q", **MONITORED_Q})
    data["sections"][0]["facts"][1]["cards"].append({"id": "monitoring-c", **MONITORED_C})
    path = tmp_path / "topic.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    result = run_cli("check", path)
    assert result.code == 0
    assert re.search(rf"^{re.escape(str(path))}:\d+:\d+: sections\[0\]\.facts\[0\]\.cards\[2\]\.question: warning: "
                     rf"cards 'monitoring-q' and 'monitoring-c' ask the same thing", result.err, re.M), result.err
    assert run_cli("check", "--strict", path).code == 1


# Properties: any text is handled, and the judgement does not depend on the order of the file

MARKUP = st.sampled_from(["{{c1::", "{{c2::", "{{c", "}}", "::", ",", ", and ", " or ", ";", "(", ")", "[", "]",
                          ". ", "1,000", "77.1", "'", "what is ", "What does ", " mean"])
TEXT = st.lists(st.one_of(st.text(max_size=12), MARKUP), max_size=20).map("".join)
BASE = load(MINIMAL)


def _with_cards(*cards: Card) -> Content:
    """The minimal content with one card in each fact (more facts added as needed), built without YAML."""
    section, fact = BASE.sections[0], BASE.sections[0].facts[0]
    facts = tuple(dataclasses.replace(fact, id=f"fact-{i}", cards=(card,)) for i, card in enumerate(cards))
    return dataclasses.replace(BASE, sections=(dataclasses.replace(section, facts=facts),))


@given(TEXT)
def test_words_are_lower_case_content_words_of_any_text(text: str) -> None:
    found = card_quality.words(text)
    assert all(word and word == word.lower() and word not in {"the", "what", "and"} for word in found)


@given(TEXT, TEXT, TEXT)
def test_any_cloze_or_question_text_yields_warnings_not_exceptions(cloze: str, question: str, answer: str) -> None:
    problems = card_quality.check(_with_cards(ClozeCard("x-c", cloze), BasicCard("y-q", question, answer)))
    assert all(re.fullmatch(r"sections\[0\]\.facts\[[01]\]\.cards\[0\]\.(question|answer|cloze)", p.path)
               and p.message.startswith("warning: card") for p in problems)


@given(TEXT, TEXT)
def test_an_exact_copy_in_another_fact_is_flagged_whenever_the_question_holds_a_word_of_its_own(
        question: str, answer: str) -> None:
    problems = card_quality.near_duplicates(_with_cards(BasicCard("x-q", question, answer),
                                                        BasicCard("y-q", question, answer)))
    assert len(problems) == bool(card_quality.words(question) - card_quality.words(answer))


@given(st.lists(st.tuples(TEXT, TEXT), min_size=2, max_size=4))
def test_the_cards_flagged_do_not_depend_on_the_order_of_the_facts(pairs: list[tuple[str, str]]) -> None:
    cards = [BasicCard(f"card-{i}", question, answer) for i, (question, answer) in enumerate(pairs)]

    def flagged(order: list[BasicCard]) -> set[str]:
        problems = card_quality.near_duplicates(_with_cards(*order))
        return {name for p in problems for name in re.findall(r"'(card-\d+)'", p.message)}

    assert flagged(cards) == flagged(cards[::-1])
