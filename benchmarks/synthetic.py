"""Deterministic synthetic content in factpack's YAML format (content format 2), for benchmarks.

Everything comes from one seeded random generator: the same --facts and --seed always give the
same bytes (no clock, no network). The text is medical-looking nonsense about invented drugs, with
the Unicode a real file has (≥ µg – α β γ Δ), so layout and font work are realistic.

A content file may be at most 2 MiB (docs/content-format.md). When N facts do not fit in one file,
the facts are split over the fewest files that fit (`NAME-part1.yaml`, ...), each its own topic;
`factpack build` and the floor scripts take all of them in one process.

Usage: python benchmarks/synthetic.py --facts N --out FILE [--seed S]
"""

from __future__ import annotations

import argparse
import math
import random
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

MAX_FILE_BYTES = 2 * 1024 * 1024  # the project's documented limit per content file
SECTION_SIZE = 25
KEY_POINTS = 5  # facts in the key-points section (it is printed as one box: keep it short)
PATIENT_FACTS = 10  # the patient sheet must fit on two pages

# 2,400 invented drug names, so that questions about them rarely repeat.
DRUGS = [p + m + s for p in ("ab", "bel", "cor", "dar", "el", "fen", "gal", "hex", "ix", "jor", "kal", "lum",
                             "mer", "nor", "ov", "pra", "quin", "ros", "sel", "tor")
         for m in ("a", "e", "i", "o", "u", "ami", "azo", "ero", "ifa", "opri")
         for s in ("mine", "zolam", "pril", "sartan", "olol", "mab", "cillin", "profen", "oxetine", "parin",
                   "dipine", "caine")]
OTHERS = ["clarithromycin", "warfarin", "a benzodiazepine", "an opioid", "lithium", "an MAO inhibitor"]
ADVERSE = ["hypotension", "bradycardia", "QT prolongation", "respiratory depression", "delirium",
           "hepatotoxicity", "hyperkalaemia", "serotonin syndrome", "angio-oedema", "nausea"]
INDICATIONS = ["treatment-resistant depression", "status epilepticus", "post-operative pain",
               "acute agitation", "migraine prophylaxis", "procedural sedation", "chronic neuropathic pain"]
OUTCOMES = ["30-day mortality", "opioid consumption", "relapse at 12 weeks", "length of stay",
            "pain scores at 24 hours"]
SECTION_TOPICS = ["Pharmacology", "Pharmacokinetics", "Dosing", "Adverse effects", "Interactions",
                  "Monitoring", "Evidence", "Special populations", "Regulation", "Practical points"]
PLAIN = [
    "This medicine can make you sleepy. Do not drive until the next day.",
    "Tell your nurse at once if you feel dizzy or faint.",
    "Your blood pressure is checked before and after each dose.",
    "Some people feel sick after a dose. This usually passes within an hour.",
    "Do not drink alcohol while you take this medicine.",
    "Tell your doctor about all the other pills you take.",
    "Doctors still study whether it helps with this problem.",
    "Keep the medicine out of the reach of children.",
    "Get help at once if you have thoughts of harming yourself.",
    "It can be habit-forming. Take it only as prescribed.",
]

# Sentence templates: (status, sentence, question, key phrase). The key phrase occurs verbatim in the
# sentence: it is the answer of the question card and the hidden words of the cloze card.
TEMPLATES: list[tuple[str, str, str, str]] = [
    ("approved", "{D} is approved for {ind} in adults (US {D} label, {year}).",
     "What is {d} approved for?", "{ind}"),
    ("off-label", "Off-label, {d} is used for {ind}; the evidence rests on {n} small trials.",
     "On how many trials does off-label use of {d} for {ind} rest?", "{n} small trials"),
    ("investigational", "A phase {ph} trial of {d} for {ind} is under way with {big} participants.",
     "Which phase of trial is studying {d} for {ind}?", "phase {ph}"),
    ("not-applicable", "{D} reaches peak plasma concentration {t} minutes after an intramuscular dose.",
     "How soon after an IM dose does {d} peak?", "{t} minutes"),
    ("not-applicable", "The terminal half-life of {d} is {a}–{b} hours in adults with normal renal function.",
     "What is the terminal half-life of {d}?", "{a}–{b} hours"),
    ("not-applicable", "{D} is a selective {adr}-adrenoceptor antagonist with weak Na⁺-channel effects.",
     "Which receptor does {d} block?", "{adr}-adrenoceptor"),
    ("not-applicable", "Doses ≥ {x} µg/kg/min were associated with {ae} in {p}% of patients.",
     "From what dose was {d} associated with {ae}?", "≥ {x} µg/kg/min"),
    ("not-applicable", "In a randomised trial of {big} adults, {d} reduced {out} by {p}% (95% CI {l}–{u}%).",
     "By how much did {d} reduce {out}?", "{p}%"),
    ("not-applicable", "A fall in systolic pressure (ΔSBP) of more than {x} mmHg calls for a dose reduction.",
     "What fall in systolic pressure calls for a lower dose of {d}?", "more than {x} mmHg"),
    ("not-applicable", "{D} is a positive allosteric modulator of GABA-A receptors with a γ{k} subunit.",
     "Which GABA-A subunit does {d} need?", "γ{k}"),
    ("not-applicable", "Clearance falls by about {p}% in moderate hepatic impairment (Child–Pugh class B).",
     "By how much does clearance of {d} fall in Child–Pugh B?", "about {p}%"),
    ("not-applicable", "The usual loading dose is {a}–{b} mg/kg IV over {t} minutes, then {x} µg/kg/min.",
     "What is the usual loading dose of {d}?", "{a}–{b} mg/kg IV"),
    ("not-applicable", "{D} should not be combined with {other}, because together they raise the risk of {ae}.",
     "Which risk rises when {d} is combined with {other}?", "{ae}"),
    ("not-applicable", "Monitor the QTc interval above {x} mg a day and stop {d} if QTc is ≥ {q} ms.",
     "At what QTc should {d} be stopped?", "≥ {q} ms"),
    ("not-applicable", "Plasma protein binding is about {p}%, mainly to α1-acid glycoprotein and albumin.",
     "To which protein is {d} mainly bound?", "α1-acid glycoprotein"),
]


class _Dumper(yaml.SafeDumper):
    """Never writes anchors or aliases: the content format forbids them."""

    def ignore_aliases(self, data: Any) -> bool:
        return True


@dataclass
class Sentence:
    """One sentence of a fact, with the question its cards ask about it and the answer."""

    status: str
    text: str
    question: str
    answer: str

    @property
    def cloze(self) -> str:
        return self.text.replace(self.answer, "{{c1::" + self.answer + "}}", 1)


def _sentence(rng: random.Random, drug: str, template: tuple[str, str, str, str]) -> Sentence:
    status, text, question, key = template
    a = rng.randint(1, 9)
    slots = {
        "d": drug, "D": drug.capitalize(), "year": rng.randint(1995, 2025), "n": rng.randint(2, 9),
        "ph": rng.choice(["1", "2", "3"]), "big": rng.randint(40, 4000), "t": rng.randint(2, 90),
        "a": a, "b": a + rng.randint(1, 6), "k": rng.randint(1, 3),
        "adr": rng.choice(["α1", "α2", "β1", "β2", "β3"]),
        "x": rng.randint(2, 40), "p": rng.randint(5, 95), "l": rng.randint(1, 4), "u": rng.randint(6, 30),
        "q": rng.choice([480, 500, 520]), "ind": rng.choice(INDICATIONS), "ae": rng.choice(ADVERSE),
        "out": rng.choice(OUTCOMES), "other": rng.choice(OTHERS),
    }
    return Sentence(status, text.format(**slots), question.format(**slots), key.format(**slots))


def _cards(rng: random.Random, fact_id: str, sentences: list[Sentence], asked: set[str]) -> list[dict[str, Any]]:
    """One to three cards (two on average), alternating question/answer and cloze. A question already
    `asked` in the file becomes a cloze card instead (`factpack check` warns about repeated questions)."""
    count = rng.choice([1, 2, 2, 3])
    cards: list[dict[str, Any]] = []
    for k in range(count):
        s = sentences[(k // 2) % len(sentences)]
        key = re.sub(r"\W+", " ", s.question.lower()).strip()
        if k % 2 == 0 and key not in asked:
            asked.add(key)
            card: dict[str, Any] = {"id": f"{fact_id}-c{k + 1}", "question": s.question, "answer": s.answer}
            if rng.random() < 0.2:
                card["reverse"] = True
        else:
            card = {"id": f"{fact_id}-c{k + 1}", "cloze": s.cloze}
        cards.append(card)
    return cards


def _reference(rng: random.Random, number: int, prefix: str) -> dict[str, Any]:
    ref_id = f"{prefix}ref-{number:05d}"
    ref: dict[str, Any] = {"id": ref_id}
    if number % 2:
        ref["authors"] = [f"{rng.choice(['Müller', 'Smith', 'Ørsted', 'Nguyen', 'García'])} "
                          f"{rng.choice('ABCDEFGH')}{rng.choice('ABCDEFGH')}" for _ in range(rng.randint(1, 6))]
    else:
        ref["publisher"] = f"{rng.choice(DRUGS).capitalize()} Pharma Ltd"
    drug = rng.choice(DRUGS)
    ref["title"] = rng.choice([
        f"Pharmacokinetics of {drug} in adults: a systematic review",
        f"{drug.upper()} ({drug}) injection. Prescribing information",
        f"A randomised, double-blind trial of {drug} for {rng.choice(INDICATIONS)}",
    ])
    ref["published_in"] = rng.choice(["Journal of Synthetic Pharmacology", "Drugs@FDA", "Example Medical Review"])
    ref["year"] = rng.randint(1990, 2025)
    ref["url"] = f"https://example.org/references/{ref_id}"
    if number % 3 == 0:
        ref["pmid"] = str(rng.randint(10_000_000, 39_999_999))
        ref["doi"] = f"10.5555/synthetic.{number}"
    return ref


def document(facts: int, seed: int = 1, part: int = 0) -> dict[str, Any]:
    """A whole content file with `facts` facts, as plain data ready for yaml.dump."""
    if facts < 2:
        raise ValueError("need at least 2 facts (a key-points section and one more)")
    rng = random.Random(f"{seed}:{part}")
    prefix = f"p{part}-" if part else ""
    n_refs = max(2, round(facts / 5))
    references = [_reference(rng, i + 1, prefix) for i in range(n_refs)]
    key_count = min(KEY_POINTS, max(1, facts // 10))
    sizes = [key_count] + [SECTION_SIZE] * ((facts - key_count) // SECTION_SIZE)
    if (facts - key_count) % SECTION_SIZE:
        sizes.append((facts - key_count) % SECTION_SIZE)
    sections: list[dict[str, Any]] = []
    plain_ids: list[str] = []
    asked: set[str] = set()
    number = 0
    for s, size in enumerate(sizes):
        section_facts = []
        for _ in range(size):
            fact_id = f"{prefix}f{number:05d}"
            drug = rng.choice(DRUGS)  # one drug per fact, so its cards ask about what its text says
            templates = rng.sample(TEMPLATES, rng.choice([1, 2, 2, 3]))  # no fact says the same thing twice
            sentences = [_sentence(rng, drug, template) for template in templates]
            sources = [references[number % n_refs]["id"]]  # every reference is cited at least once
            if rng.random() < 0.5:
                extra = rng.choice(references)["id"]
                if extra not in sources:
                    sources.append(extra)
            fact: dict[str, Any] = {"id": fact_id, "text": " ".join(x.text for x in sentences)}
            if number < PATIENT_FACTS or rng.random() < 0.3:
                fact["plain"] = PLAIN[number % len(PLAIN)]
                plain_ids.append(fact_id)
            fact["status"] = sentences[0].status
            fact["sources"] = sources
            if rng.random() < 0.3:
                fact["tags"] = [rng.choice(["dosing", "safety", "exam", "pharmacology"])]
            fact["cards"] = _cards(rng, fact_id, sentences, asked)
            section_facts.append(fact)
            number += 1
        if s == 0:
            sections.append({"id": "key-points", "title": "Key points",
                             "intro": "The few facts every reader should take away.", "facts": section_facts})
        else:
            topic = SECTION_TOPICS[s % len(SECTION_TOPICS)]
            sections.append({"id": f"section-{s:04d}", "title": f"{topic} {s}",
                             "intro": f"{topic}: what the labels and the trials say, with the strength of evidence.",
                             "facts": section_facts})
    chosen = plain_ids[:PATIENT_FACTS]
    middle = chosen[2:-2] or chosen[:1]
    patient_sheet = {
        "id": "patients", "title": "Synthetic drugs: what patients should know",
        "main_message": chosen[:2],
        "sections": [{"title": title, "facts": middle[i::2]}
                     for i, title in enumerate(["What it is and how it is given", "Side effects and safety"])
                     if middle[i::2]],
        "key_points": chosen[-2:],
    }
    topic_id = f"synthetic-part{part}" if part else "synthetic"
    return {
        "format": 2,
        "topic": {
            "id": topic_id, "title": f"Synthetic drugs{f' (part {part})' if part else ''}",
            "subtitle": "Invented facts for benchmarks – not medical information",
            "language": "en-GB", "audience": "The factpack benchmark",
            "authors": ["factpack benchmark generator"], "reviewers": ["nobody (synthetic)"],
            "last_reviewed": "2026-01-15", "review_due": "2099-12-31",  # never overdue, whenever it runs
            "version": f"synthetic-{seed}",
            "disclaimer": "Synthetic text for performance tests only; none of it is true.",
        },
        "references": references,
        "sections": sections,
        "key_points": "key-points",
        "patient_sheets": [patient_sheet],
    }


def dump(doc: dict[str, Any]) -> str:
    """YAML text in the project's plain style: block lists, Unicode as is, no anchors or aliases."""
    text = yaml.dump(doc, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=110)
    return "# Synthetic content for benchmarks (benchmarks/synthetic.py). Not medical information.\n" + text


def write(facts: int, out: Path, seed: int = 1) -> list[Path]:
    """Write `facts` facts to `out`, or to the fewest `out`-partK files that each stay under 2 MiB."""
    parts = 1
    while True:
        shares = [facts // parts + (k < facts % parts) for k in range(parts)]
        texts = [dump(document(n, seed, part=(k + 1 if parts > 1 else 0))) for k, n in enumerate(shares)]
        if all(len(t.encode("utf-8")) <= MAX_FILE_BYTES for t in texts):
            break
        parts = max(parts + 1, math.ceil(parts * max(len(t.encode("utf-8")) for t in texts) / MAX_FILE_BYTES))
    paths = [out] if parts == 1 else [out.with_name(f"{out.stem}-part{k + 1}{out.suffix}") for k in range(parts)]
    out.parent.mkdir(parents=True, exist_ok=True)
    for path, text in zip(paths, texts):
        path.write_text(text, encoding="utf-8")
    return paths


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--facts", type=int, required=True, help="number of facts (at least 2)")
    parser.add_argument("--out", type=Path, required=True, help="the YAML file to write")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    for path in write(args.facts, args.out, args.seed):
        print(path)


if __name__ == "__main__":
    main()
