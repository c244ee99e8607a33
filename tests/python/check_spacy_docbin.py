"""spaCy loads stet's DocBin (`--format spacy`): every Doc's text is the stored text, byte for
byte; doc.spans[KEY] holds exactly the project's spans (start_char, end_char, label, text), in
export order; doc.ents is the non-overlapping subset (longest first, ties in export order,
spans of only whitespace left out, edge whitespace trimmed); sentences are set.

Usage: check_spacy_docbin.py REFERENCE.jsonl DATA.spacy [KEY]
"""

import sys

import spacy
from spacy.tokens import DocBin

from common import check, load_reference, outermost, trimmed

reference = load_reference(sys.argv[1])
key = sys.argv[3] if len(sys.argv) > 3 else "sc"
nlp = spacy.blank("en")
docs = list(DocBin().from_disk(sys.argv[2]).get_docs(nlp.vocab))
check(len(docs) == len(reference), f"{len(docs)} docs, {len(reference)} in the reference")
spans = entities = 0
for record, doc in zip(reference, docs):
    text = record["text"]
    name = record["title"]
    check(doc.text == text, f"{name!r}: doc.text {doc.text!r} != {text!r}")
    check(doc.text.encode("utf-8") == text.encode("utf-8"), f"{name!r}: bytes differ")
    check(doc.user_data.get("id") == record["id"], f"{name!r}: user_data {doc.user_data}")
    check(key in doc.spans, f"{name!r}: no doc.spans[{key!r}] ({list(doc.spans)})")
    got = [(s.start_char, s.end_char, s.label_, s.text) for s in doc.spans[key]]
    expected = [(s["start"], s["end"], s["label"], s["text"]) for s in record["spans"]]
    check(got == expected, f"{name!r}: doc.spans[{key!r}]\n  {got}\n  != {expected}")
    spans += len(got)
    words = [s for s in record["spans"] if s["text"].strip()]
    expected_ents = sorted(
        trimmed(text, s["start"], s["end"]) + (s["label"],) for s in outermost(words)
    )
    got_ents = [(e.start_char, e.end_char, e.label_) for e in doc.ents]
    check(got_ents == expected_ents, f"{name!r}: doc.ents {got_ents} != {expected_ents}")
    entities += len(got_ents)
    check(all(e.text == e.text.strip() for e in doc.ents), f"{name!r}: an entity edge is blank")
    if len(doc):
        check(doc.has_annotation("SENT_START"), f"{name!r}: no sentence starts")
        check(doc[0].is_sent_start, f"{name!r}: the first token starts no sentence")
    # What spaCy itself would cut: a word-aligned span is a strict char_span of the Doc.
    for s in words:
        start, end = trimmed(text, s["start"], s["end"])
        check(
            doc.char_span(start, end, alignment_mode="strict") is not None,
            f"{name!r}: char_span({start}, {end}) is not on token bounds",
        )
print(
    f"ok: spaCy {spacy.__version__}: {len(docs)} docs with their texts, {spans} spans in "
    f"doc.spans[{key!r}], {entities} entities"
)
