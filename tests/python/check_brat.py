"""brat's own standoff reader (the brat subset bundled in the bratiaa package) reads stet's brat
folder: every .ann parses, every text-bound annotation's text matches its .txt at its offsets
(brat checks that itself), the spans are the reference's, the relations (R lines) and
attribute values (A lines) are the reference's, and the configs list the labels, the relation
types with their argument labels, and the attributes. With an AGREEMENT_ROOT (one brat export per annotator in subfolders,
annotation.conf at the root) bratiaa's agreement runs over it too.

Usage: check_brat.py REFERENCE.jsonl BRAT_FOLDER [AGREEMENT_ROOT]
"""

import glob
import os
import sys

import bratsubset.annotation as brat
from bratsubset.projectconfig import ProjectConfiguration

from common import check, load_reference

docs = load_reference(sys.argv[1])
folder = sys.argv[2]
by_text = {}
for record in docs:
    by_text[record["text"].replace("\r", " ")] = record

config = ProjectConfiguration(folder)
labels = sorted({s["label"] for d in docs for s in d["spans"]})
entity_types = config.get_entity_types()
check(set(labels) <= set(entity_types), f"entities {entity_types} lack some of {labels}")
check("Annotator" in config.get_attribute_types(), "no Annotator attribute in annotation.conf")
relation_types = config.get_relation_types()
kinds = sorted({r["type"] for d in docs for r in d["relations"]})
check(set(kinds) <= set(relation_types), f"relations {relation_types} lack some of {kinds}")
for kind in kinds:
    for record in docs:
        ends = {s["id"]: s["label"] for s in record["spans"]}
        for r in record["relations"]:
            if r["type"] != kind:
                continue
            allowed = config.arc_types_from_to(ends[r["from"]], ends[r["to"]])
            check(kind in allowed, f"annotation.conf forbids {kind} from {ends[r['from']]} to {ends[r['to']]}")

files = sorted(glob.glob(os.path.join(folder, "*.ann")))
check(len(files) == len(docs), f"{len(files)} .ann files for {len(docs)} documents")
total = 0
relations_total = 0
for path in files:
    stem = path[: -len(".ann")]
    with open(stem + ".txt", encoding="utf-8", newline="") as f:
        raw = f.read()
    record = by_text.get(raw)
    check(record is not None, f"{stem}.txt is no reference text")
    annotations = brat.TextAnnotations(stem, read_only=True)
    check(annotations.failed_lines == [], f"{path}: brat refused lines {annotations.failed_lines}")
    text = annotations.get_document_text()
    check(text == raw, f"{stem}.txt reads differently under universal newlines")
    annotator_of = {a.target: a.value for a in annotations.get_attributes() if a.type == "Annotator"}
    got = []
    for t in annotations.get_textbounds():
        check(" ".join(text[s:e] for s, e in t.spans) == t.get_text(), f"{t.id} text mismatch")
        check(all("\n" not in text[s:e] for s, e in t.spans), f"{t.id} holds a line break")
        got.append((t.first_start(), t.last_end(), t.type, annotator_of.get(t.id)))
    expected = [(s["start"], s["end"], s["label"], s["annotator"]) for s in record["spans"]]
    check(sorted(got) == sorted(expected), f"{path}: {sorted(got)} != {sorted(expected)}")
    key_of = {t.id: (t.first_start(), t.last_end(), t.type) for t in annotations.get_textbounds()}
    span_key = {s["id"]: (s["start"], s["end"], s["label"]) for s in record["spans"]}
    got_relations = sorted(
        (r.type, key_of[r.arg1], key_of[r.arg2]) for r in annotations.get_relations()
    )
    expected_relations = sorted(
        (r["type"], span_key[r["from"]], span_key[r["to"]]) for r in record["relations"]
    )
    check(got_relations == expected_relations, f"{path}: relations {got_relations} != {expected_relations}")
    got_values = sorted(
        (key_of[a.target], a.type, a.value)
        for a in annotations.get_attributes()
        if a.type != "Annotator"
    )
    expected_values = sorted(
        (span_key[s["id"]], name, value.replace(" ", "_"))
        for s in record["spans"]
        for name, value in s["attributes"].items()
    )
    check(got_values == expected_values, f"{path}: attributes {got_values} != {expected_values}")
    relations_total += len(got_relations)
    notes = [c for c in annotations.get_oneline_comments() if c.type == "AnnotatorNotes"]
    check(len(notes) == sum(1 for s in record["spans"] if s.get("note")), f"{path}: notes lost")
    total += len(got)

if len(sys.argv) > 3:
    from bratiaa import compute_f1_agreement

    agreement = compute_f1_agreement(sys.argv[3])
    mean, _ = agreement.mean_sd_total()
    check(len(agreement.documents) == len(docs), f"agreement over {agreement.documents}")
    check(0.0 <= float(mean) <= 1.0, f"F1 {mean}")
    print(f"ok: bratiaa agreement over {len(agreement.documents)} documents, mean F1 {float(mean):.3f}")
check(relations_total == sum(len(d["relations"]) for d in docs), "relations lost")
print(
    f"ok: brat's reader took {len(files)} documents, {total} text-bound annotations "
    f"and {relations_total} relations"
)
