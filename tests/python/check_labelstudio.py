"""Label Studio's converter (label-studio-converter) reads stet's tasks with the labeling config
written beside them: JSON-min gives each annotation's regions with text == data.text[start:end]
(code points), equal to the reference spans of that annotator; CONLL2003 conversion runs.

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
        names = {r["meta"]["annotator"] for r in annotation["result"]}
        check(len(names) == 1, f"annotation {annotation['id']} mixes annotators {names}")
        annotator_of[annotation["id"]] = names.pop()

converter = Converter(config=config_path, project_dir=None, download_resources=False)
converter.convert_to_json_min(tasks_path, os.path.join(out_dir, "min"), is_dir=False)
with open(os.path.join(out_dir, "min", "result.json"), encoding="utf-8") as f:
    records = json.load(f)
got = defaultdict(list)
for record in records:
    text = record["text"]
    for region in record.get("label", []):
        check(text[region["start"]:region["end"]] == region["text"], f"region {region}")
        got[text].append((region["start"], region["end"], region["labels"][0],
                          annotator_of[record["annotation_id"]]))
total = 0
for doc in docs:
    expected = sorted((s["start"], s["end"], s["label"], s["annotator"]) for s in doc["spans"])
    check(sorted(got[doc["text"]]) == expected, f"{doc['title']!r}: {sorted(got[doc['text']])} != {expected}")
    total += len(expected)

converter.convert_to_conll2003(tasks_path, os.path.join(out_dir, "conll"), is_dir=False)
with open(os.path.join(out_dir, "conll", "result.conll"), encoding="utf-8") as f:
    conll = f.read()
check(" B-" in conll, "the converter's CoNLL has no entity")
print(f"ok: label-studio-converter JSON-min gave {len(records)} annotations with {total} regions equal to the reference")
