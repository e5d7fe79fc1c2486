"""The starter content file `factpack new` writes: small, valid, commented, and it builds at once."""

from __future__ import annotations

import datetime as dt
import json

from generator.source import inline
from generator.source.json_schema import MODELINE

TEMPLATE = """\
{modeline}
# A factpack content file (format 2). Every field is described in docs/content-format.md;
# editors that speak the YAML language server check this file as you type.
#
# Replace the example below with your own facts. Rules worth keeping:
# - every fact cites at least one reference from `references`;
# - `status` says where a use stands today: approved, off-label, investigational or not-applicable;
# - ids are identities: never change or reuse one (Anki finds students' notes by card id).
format: 2
topic:
  id: {topic_id}
  title: {title}
  subtitle: What it is, how it is used, and its risks
  language: en
  audience: Students and educators
  authors: [Your name]
  reviewers: [A colleague who checked the sources]
  last_reviewed: {today}
  review_due: {due}
  version: "{today}"
  disclaimer: >-
    This material is for education only. It does not replace advice from a clinician who knows
    the patient.
  patient_disclaimer: >-
    This sheet gives general facts only. Your own care team knows your health: ask them about your care.
references:
  - id: example-label
    publisher: The body that issued the source
    title: Title of the label, guideline or paper you checked the facts against
    published_in: Where it is published (journal, site or database)
    year: {year}
    url: https://example.org/replace-with-the-real-address
sections:
  - id: overview
    title: Overview
    intro: What this topic is about, in one or two sentences.
    facts:
      - id: what-it-is
        text: A precise statement for students, as the source puts it.
        plain: The same fact in short, everyday words for patients.
        status: not-applicable
        sources: [example-label]
        tags: [overview]
        cards:
          - id: what-it-is-q
            question: A question with one right answer?
            answer: A short answer
          - id: what-it-is-c
            cloze: "A sentence that hides the {{{{c1::key value}}}}."
key_points: overview
patient_sheets:
  - id: overview
    title: {title}
    main_message: [what-it-is]
    sections:
      - title: What it is
        facts: [what-it-is]
    questions:
      - A question a patient may want to ask the care team?
    key_points: [what-it-is]
"""


def starter(topic_id: str, title: str, today: dt.date) -> str:
    """The starter file for a new topic, dated `today` and due for review a year later."""
    due = today.replace(year=today.year + 1) if not (today.month == 2 and today.day == 29) else today + dt.timedelta(365)
    return TEMPLATE.format(modeline=MODELINE, topic_id=topic_id, title=_yaml_text(title), today=today.isoformat(),
                           due=due.isoformat(), year=today.year)


def _yaml_text(value: str) -> str:
    """A title as a YAML scalar that reads back exactly: a JSON string is a valid double-quoted YAML scalar, and
    inline markers are escaped, so a '*' in the title is an asterisk, never formatting."""
    return json.dumps(inline.escape(value), ensure_ascii=False)
