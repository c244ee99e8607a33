"""spaCy reads stet's JSONL: every span that is not only whitespace is a strict char_span with
the same text, and offsets_to_biluo_tags gives no '-' for the non-overlapping ones.

Usage: check_spacy.py REFERENCE.jsonl
"""

import sys

import spacy
from spacy.training import offsets_to_biluo_tags

from common import check, load_reference, outermost

docs = load_reference(sys.argv[1])
nlp = spacy.blank("en")
checked = 0
for record in docs:
    doc = nlp(record["text"])
    for span in record["spans"]:
        if not span["text"].strip():
            continue
        got = doc.char_span(span["start"], span["end"], label=span["label"], alignment_mode="strict")
        check(got is not None, f"char_span{(span['start'], span['end'])} {span['text']!r} is not on token bounds")
        check(got.text == span["text"], f"{got.text!r} != {span['text']!r}")
        checked += 1
    entities = [(s["start"], s["end"], s["label"]) for s in outermost(
        [s for s in record["spans"] if s["text"].strip()])]
    tags = offsets_to_biluo_tags(doc, entities)
    check("-" not in tags, f"misaligned entities in {record['title']!r}: {tags}")
print(f"ok: spaCy {spacy.__version__}: {checked} spans are strict char_spans; BILUO tags have no '-'")
