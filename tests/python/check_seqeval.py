"""seqeval reads stet's CoNLL export: the IOB2 entities it recovers are, document by document,
the outermost spans of the reference, trimmed of edge whitespace.

Usage: check_seqeval.py REFERENCE.jsonl EXPORT.conll
"""

import sys

from seqeval.metrics import classification_report
from seqeval.scheme import IOB2, Entities

from common import check, load_reference, outermost, trimmed

docs = load_reference(sys.argv[1])
with open(sys.argv[2], encoding="utf-8") as f:
    content = f.read()
blocks = content.split("-DOCSTART- -X- O O\n")[1:]
check(len(blocks) == len(docs), f"{len(blocks)} documents in CoNLL, {len(docs)} in reference")
all_tags = []
total = 0
for block, record in zip(blocks, docs):
    text = record["text"]
    sentences, tokens = [], []
    for line in block.split("\n"):
        if not line:
            if tokens:
                sentences.append(tokens)
                tokens = []
            continue
        columns = line.split(" ")
        check(len(columns) == 4 and columns[1:3] == ["-X-", "_"], f"bad line {line!r}")
        tokens.append((columns[0], columns[3]))
    # Token character offsets, found by walking the tokens through the text.
    pos = 0
    offsets = []
    for sentence in sentences:
        for token, _ in sentence:
            found = text.index(token, pos)
            check(text[pos:found].strip() == "", f"text skipped before {token!r}")
            offsets.append((found, found + len(token)))
            pos = found + len(token)
    check(text[pos:].strip() == "", "tokens do not cover the text")
    tags = [[tag for _, tag in sentence] for sentence in sentences]
    all_tags.extend(tags)
    got = set()
    base = 0
    for sentence_tags in tags:
        for entity in Entities([sentence_tags], IOB2).entities[0]:
            start = offsets[base + entity.start][0]
            end = offsets[base + entity.end - 1][1]
            got.add((start, end, entity.tag))
        base += len(sentence_tags)
    expected = set()
    for span in outermost(record["spans"]):
        start, end = trimmed(text, span["start"], span["end"])
        if start < end:
            expected.add((start, end, span["label"]))
    check(got == expected, f"{record['title']!r}: seqeval found {sorted(got)}, expected {sorted(expected)}")
    total += len(got)
report = classification_report(all_tags, all_tags, mode="strict", scheme=IOB2, output_dict=True)
check(report["micro avg"]["f1-score"] == 1.0, f"report: {report}")
check(report["micro avg"]["support"] == total, f"support {report['micro avg']['support']} != {total}")
print(f"ok: seqeval read {len(all_tags)} sentences; {total} entities equal the outermost spans")
