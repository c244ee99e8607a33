"""Helpers shared by the checkers: the JSONL reference export and the policies every format
documents (whitespace trimmed at span edges, CoNLL's longest-span-wins)."""

import json


def load_reference(path):
    """The stet JSONL export: one dict per document, spans with code-point offsets."""
    with open(path, encoding="utf-8") as f:
        docs = [json.loads(line) for line in f if line.strip()]
    for doc in docs:
        for span in doc["spans"]:
            assert doc["text"][span["start"]:span["end"]] == span["text"], span
    return docs


def trimmed(text, start, end):
    """The range without edge whitespace; (start, start) when only whitespace."""
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def outermost(spans):
    """Longest first (ties: export order); a span overlapping a kept one is dropped."""
    order = sorted(range(len(spans)), key=lambda i: (-(spans[i]["end"] - spans[i]["start"]), i))
    kept = []
    for i in order:
        s = spans[i]
        if any(s["start"] < k["end"] and k["start"] < s["end"] for k in kept):
            continue
        kept.append(s)
    return kept


def check(condition, message):
    if not condition:
        raise AssertionError(message)
