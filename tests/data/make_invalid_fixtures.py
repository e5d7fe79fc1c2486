"""Regenerate tests/data/invalid/*.yaml from valid/minimal.yaml, one defect per file.

Run `python tests/data/make_invalid_fixtures.py` after changing minimal.yaml; the expected
messages live in tests/test_load.py and must then be checked by eye.
"""

from pathlib import Path

HERE = Path(__file__).parent
BASE = (HERE / "valid" / "minimal.yaml").read_text(encoding="utf-8").split("\n", 1)[1]  # drop the header comment

EDITS = {
    "unknown-key": [("  subtitle: A small", "  subtitel: A small")],
    "missing-field": [("  title: Demo topic\n", "")],
    "wrong-type": [("  authors: [A. Author]", "  authors: A. Author")],
    "wrong-type-mapping": [("    intro: What examplamine is used for, and on what evidence.",
                            "    intro:\n      text: What examplamine is used for.")],
    "duplicate-key": [('  version: "1.0"\n', '  version: "1.0"\n  version: "1.1"\n')],
    "duplicate-id": [("          - {id: off-label-use-q,", "          - {id: approved-use-c,")],
    "unknown-source": [("        sources: [trial-b, label-a]", "        sources: [trial-b, lable-a]")],
    "invalid-date": [("  review_due: 2027-11-25", "  review_due: 2027-02-30")],
    "invalid-slug": [("      - id: off-label-use\n", "      - id: Off_label use\n")],
    "invalid-status": [("        status: off-label", "        status: offlabel")],
    "invalid-url": [("    url: https://example.org/label-a", "    url: javascript:alert(1)")],
    "cloze-without-deletion": [("{{c1::induction of anesthesia}}", "induction of anesthesia")],
    "card-both-kinds": [("            reverse: true", '            reverse: true\n            cloze: "{{c1::x}}"')],
    "format-version": [("format: 2", "format: 1")],
    "yaml-syntax": [("  title: Demo topic", '  title: "Demo topic')],
    "tab": [("  title: Demo topic", "\ttitle: Demo topic")],
    "two-documents": [("format: 2", "format: 2\n---\nformat: 2")],
    "python-tag": [("  title: Demo topic", '  title: !!python/object/apply:os.system ["echo hi"]')],
    "anchor": [("  reviewers: [R. Viewer]", "  reviewers: &people [R. Viewer]")],
    "alias": [("  reviewers: [R. Viewer]", "  reviewers: *people")],
    "unprintable": [("        plain: Doctors use it to put people to **sleep** for surgery.",
                     "        plain: Doctors use it to put people to **sleep** for surgery 🛌.")],
    "unknown-column": [("            cells: {route: Intramuscular}",
                        "            cells: {route: Intramuscular, onste: 2 minutes}")],
    "patient-fact-without-plain": [("  main_message: [approved-use]", "  main_message: [off-label-use]")],
    "yaml-unclosed-flow": [("  authors: [A. Author]", "  authors: [A. Author")],
    "yaml-bad-indent": [("  subtitle: A small", "   subtitle: A small")],
    "yaml-bad-escape": [('  version: "1.0"', '  version: "1.0\\q"')],
    "control-character": [("  title: Demo topic", "  title: Demo\x07topic")],
    "file-url": [("    url: https://example.org/label-a", "    url: file:///etc/passwd")],
    "data-url": [("    url: https://example.org/label-a", "    url: data:text/html,<script>alert(1)</script>")],
    "text-too-long": [("    intro: What examplamine is used for, and on what evidence.", "    intro: " + "x" * 5001)],
    "url-with-quote": [("    url: https://example.org/label-a", "    url: 'https://example.org/a\"b'")],
    "unicode-digit-year": [("    year: 2024", "    year: \"²\"")],
    "title-too-long": [("    title: Uses\n", "    title: " + "Long " * 41 + "\n")],
    "cloze-c0": [("{{c1::induction of anesthesia}}", "{{c0::induction of anesthesia}}")],
    "key-points-with-table": [("patient_sheets:\n", "key_points: uses\npatient_sheets:\n")],
    "same-section-title": [("patient_sheets:\n", "  - id: more\n    title: USES\n    intro: More.\n    facts:\n"
                            "      - id: more-fact\n        text: More.\n        status: not-applicable\n"
                            "        sources: [label-a]\npatient_sheets:\n")],
    "alias-bomb": [("format: 2\n", "format: 2\n" + "\n".join(
        [f"b{i}: &b{i} [" + ", ".join([f"*b{i - 1}"] * 9) + "]" if i else "b0: &b0 [lol]" for i in range(9)]) + "\n")],
}
WHOLE = {
    "root-not-mapping": "- format: 2\n- topic: {}\n",
    "empty": "# nothing but a comment\n",
}
BINARY = {
    "not-utf8": BASE.replace("Demo topic", "Demo topic caf\xe9", 1).encode("utf-8").replace("caf\xc3\xa9".encode("latin-1"), b"caf\xe9"),
    "nul-byte": BASE.replace("  subtitle:", "  subtitle:\x00", 1).encode("utf-8"),
}

for name, edits in EDITS.items():
    text = BASE
    for old, new in edits:
        assert old in text, (name, old)
        text = text.replace(old, new, 1)
    (HERE / "invalid" / f"{name}.yaml").write_text(text, encoding="utf-8")
for name, text in WHOLE.items():
    (HERE / "invalid" / f"{name}.yaml").write_text(text, encoding="utf-8")
for name, data in BINARY.items():
    (HERE / "invalid" / f"{name}.yaml").write_bytes(data)
(HERE / "valid" / "bom.yaml").write_bytes(b"\xef\xbb\xbf" + BASE.encode("utf-8"))
