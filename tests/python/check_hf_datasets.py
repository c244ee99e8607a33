"""Hugging Face `datasets` loads stet's JSONL as it is: one row per document, `spans` typed as a
list of records (not loose JSON), and every span's offsets cut its text out of the row's text.

Usage: check_hf_datasets.py REFERENCE.jsonl
"""

import sys
import tempfile

import datasets

from common import check, load_reference

reference = load_reference(sys.argv[1])
# Kept in memory, with a cache of its own that goes away: nothing left in the user's cache.
with tempfile.TemporaryDirectory() as cache:
    loaded = datasets.load_dataset(
        "json", data_files=sys.argv[1], split="train", cache_dir=cache, keep_in_memory=True)
check(loaded.num_rows == len(reference), f"{loaded.num_rows} rows for {len(reference)} documents")

span_type = loaded.features["spans"]
check(isinstance(span_type, datasets.List), f"spans are {span_type!r}, not a list")
fields = span_type.feature
check(isinstance(fields, dict), f"a span is {fields!r}, not a record")
for name, kind in [("id", "string"), ("start", "int64"), ("end", "int64"), ("label", "string"),
                   ("text", "string"), ("annotator", "string"), ("note", "string")]:
    check(name in fields and fields[name].dtype == kind, f"span field {name}: {fields.get(name)!r}")

checked = 0
for row, record in zip(loaded, reference):
    check(row["text"] == record["text"], f"text of {record['title']!r} changed on loading")
    check(len(row["spans"]) == len(record["spans"]), f"spans of {record['title']!r}")
    for span, expected in zip(row["spans"], record["spans"]):
        check(span == expected, f"{span} != {expected}")
        check(row["text"][span["start"]:span["end"]] == span["text"], f"offsets of {span}")
        checked += 1
print(f"ok: datasets {datasets.__version__}: {loaded.num_rows} rows, {checked} typed spans with exact offsets")
