"""Label Studio's converter (label-studio-converter) reads stet's tasks with the labeling config
written beside them: JSON-min gives each annotation's regions with text == data.text[start:end]
(code points), equal to the reference spans of that annotator, with the per-region verdicts;
each relation result joins two region ids of its own annotation, as the reference's relation
does; CONLL2003 conversion runs.

Usage: check_labelstudio.py REFERENCE.jsonl TASKS.json CONFIG.xml OUT_DIR
"""

import json
import os
import sys
from collections import defaultdict

from label_studio_converter import Converter

from common import check, load_reference

docs = load_reference(sys.argv[1])
tasks_path, config_path, out_dir = sys.argv[2:5]
with open(tasks_path, encoding="utf-8") as f:
    tasks = json.load(f)
annotator_of = {}
for task in tasks:
    for annotation in task["annotations"]:
        names = {r["meta"]["annotator"] for r in annotation["result"] if r["type"] == "labels"}
        check(len(names) == 1, f"annotation {annotation['id']} mixes annotators {names}")
        annotator_of[annotation["id"]] = names.pop()

# Relations: region ids of the same annotation, matching the reference's relations.
by_text = {doc["text"]: doc for doc in docs}
relations_checked = 0
for task in tasks:
    doc = by_text[task["data"]["text"]]
    key_of_span = {s["id"]: (s["start"], s["end"], s["label"]) for s in doc["spans"]}
    expected = sorted(
        (r["type"], key_of_span[r["from"]], key_of_span[r["to"]], r["annotator"])
        for r in doc["relations"]
    )
    got_relations = []
    for annotation in task["annotations"]:
        regions = {
            r["id"]: (r["value"]["start"], r["value"]["end"], r["value"]["labels"][0])
            for r in annotation["result"]
            if r["type"] == "labels"
        }
        for r in annotation["result"]:
            if r["type"] != "relation":
                continue
            check(r["from_id"] in regions and r["to_id"] in regions, f"relation {r} leaves its annotation")
            got_relations.append(
                (r["labels"][0], regions[r["from_id"]], regions[r["to_id"]], annotator_of[annotation["id"]])
            )
    check(sorted(got_relations) == expected, f"relations {sorted(got_relations)} != {expected}")
    relations_checked += len(expected)
check(relations_checked == sum(len(d["relations"]) for d in docs), "relations lost")

converter = Converter(config=config_path, project_dir=None, download_resources=False)
converter.convert_to_json_min(tasks_path, os.path.join(out_dir, "min"), is_dir=False)
with open(os.path.join(out_dir, "min", "result.json"), encoding="utf-8") as f:
    records = json.load(f)
got = defaultdict(list)
verdicts = defaultdict(list)
for record in records:
    text = record["text"]
    if "claim.verdict" in record:
        verdicts[text].append(record["claim.verdict"])
    for region in record.get("label", []):
        check(text[region["start"]:region["end"]] == region["text"], f"region {region}")
        got[text].append((region["start"], region["end"], region["labels"][0],
                          annotator_of[record["annotation_id"]]))
total = 0
for doc in docs:
    expected = sorted((s["start"], s["end"], s["label"], s["annotator"]) for s in doc["spans"])
    check(sorted(got[doc["text"]]) == expected, f"{doc['title']!r}: {sorted(got[doc['text']])} != {expected}")
    total += len(expected)
    wanted = sorted(
        s["attributes"]["verdict"] for s in doc["spans"] if "verdict" in s["attributes"]
    )
    check(sorted(verdicts[doc["text"]]) == wanted, f"verdicts {verdicts[doc['text']]} != {wanted}")

converter.convert_to_conll2003(tasks_path, os.path.join(out_dir, "conll"), is_dir=False)
with open(os.path.join(out_dir, "conll", "result.conll"), encoding="utf-8") as f:
    conll = f.read()
check(" B-" in conll, "the converter's CoNLL has no entity")
print(f"ok: label-studio-converter JSON-min gave {len(records)} annotations with {total} regions equal to the reference")
