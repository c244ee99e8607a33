"""Two readers take stet's WebAnno TSV 3.3 folder.

1. The `web-anno-tsv` package (PyPI), whose Reader parses INCEpTION's named-entity TSV
   sentence by sentence: each sentence's annotations (label and text) must be the reference's.
2. A reader written here from the format's documentation and INCEpTION's own reader
   (Tsv3XDeserializer): it rebuilds the document text from the #Text= lines exactly as
   INCEpTION does (sentences joined by a line feed, gaps padded with spaces), maps the UTF-16
   offsets back to code points, joins multi-token annotations by their disambiguation ids,
   and checks text and spans against the reference.

Usage: check_webanno.py REFERENCE.jsonl TSV_FOLDER
"""

import glob
import os
import re
import sys
from collections import Counter

from web_anno_tsv import open_web_anno_tsv

from common import check, load_reference, trimmed

LAYER = "#T_SP=de.tudarmstadt.ukp.dkpro.core.api.ner.type.NamedEntity|identifier|value"
TEXT_ESCAPES = {"\\": "\\", "t": "\t", "n": "\n", "f": "\f", "r": "\r", "b": "\b"}


def unescape_text(line):
    """TSV 3.2+ sentence-text unescaping: readable escapes, and a backslash before other
    control characters (except 8 to 13)."""
    out, i = [], 0
    while i < len(line):
        c = line[i]
        if c == "\\" and i + 1 < len(line):
            n = line[i + 1]
            if n in TEXT_ESCAPES:
                out.append(TEXT_ESCAPES[n])
                i += 2
                continue
            if ord(n) < 32 and not 8 <= ord(n) <= 13:
                out.append(n)
                i += 2
                continue
        out.append(c)
        i += 1
    return "".join(out)


def unescape_value(value):
    return re.sub(r"\\(->|[\\\[\]|_;*tn])",
                  lambda m: {"t": "\t", "n": "\n"}.get(m.group(1), m.group(1)), value)


def read_spec(path):
    """Returns (text, [(start, end, label)]) with code-point offsets, as INCEpTION reads it."""
    with open(path, encoding="utf-8", newline="") as f:
        lines = f.read().split("\n")
    check(lines[0] == "#FORMAT=WebAnno TSV 3.3", "format line")
    check(lines[1] == LAYER, "layer line")
    check(lines[2] == "" and lines[3] == "", "two empty lines after the header")
    check(lines[-1] == "", "file ends with a line feed")
    units = []  # UTF-16 code units of the document text, as INCEpTION builds it
    sentence_text = []
    state = "between"
    annotations = {}  # key -> [begin, end, label]
    for line in lines[4:-1]:
        if line.startswith("#"):
            check(state in ("between", "header"), f"sentence header after tokens: {line!r}")
            if line.startswith("#Text="):
                fragment = unescape_text(line[len("#Text="):]) + "\n"
                sentence_text.extend(fragment.encode("utf-16-le"))
            state = "header"
            continue
        if line == "":
            check(state == "token", "empty line outside a sentence")
            state = "between"
            continue
        fields = line.split("\t")
        check(len(fields) >= 5, f"too few fields: {line!r}")
        begin, end = (int(x) for x in fields[1].split("-"))
        if state == "header":
            if len(units) > begin:
                check(len(units) == begin + 1 and units[-1] == 10, "sentence overlaps the previous one")
                units.pop()
            while len(units) < begin:
                units.append(32)
            raw = bytes(sentence_text)
            units.extend(int.from_bytes(raw[i:i + 2], "little") for i in range(0, len(raw), 2))
            sentence_text = []
        state = "token"
        token_text = b"".join(u.to_bytes(2, "little") for u in units[begin:end]).decode("utf-16-le")
        check(token_text == fields[2], f"token {fields[2]!r} is {token_text!r} at {begin}-{end}")
        identifiers, values = fields[3], fields[4]
        if values == "_":
            check(identifiers == "_", "identifier without value")
            continue
        stacked = re.split(r"(?<!\\)\|", values)
        check(len(re.split(r"(?<!\\)\|", identifiers)) == len(stacked), "columns disagree")
        for index, value in enumerate(stacked):
            m = re.fullmatch(r"(.*?)(?<!\\)\[(\d+)\]", value)
            if m:
                label, key = m.group(1), ("id", m.group(2))
            else:
                label, key = value, ("token", begin, index)
            if key in annotations:
                annotations[key][1] = end
            else:
                annotations[key] = [begin, end, unescape_value(label)]
    raw = b"".join(u.to_bytes(2, "little") for u in units)
    text = raw.decode("utf-16-le")
    # UTF-16 unit offset -> code point offset.
    to_cp, cp = {}, 0
    pos = 0
    for ch in text:
        to_cp[pos] = cp
        pos += len(ch.encode("utf-16-le")) // 2
        cp += 1
    to_cp[pos] = cp
    spans = sorted((to_cp[b], to_cp[e], label) for b, e, label in annotations.values())
    return text, spans


docs = load_reference(sys.argv[1])
files = sorted(glob.glob(os.path.join(sys.argv[2], "*.tsv")))
check(len(files) == len(docs), f"{len(files)} files for {len(docs)} documents")
total = 0
package_skipped = 0
matched = set()
for path in files:
    text, spans = read_spec(path)
    record = None
    for i, doc in enumerate(docs):
        original = doc["text"]
        lead = len(original) - len(original.lstrip())
        rebuilt = " " * lead + original[lead:]
        if not rebuilt.endswith("\n"):
            rebuilt += "\n"
        if rebuilt == text:
            record = doc
            matched.add(i)
    check(record is not None, f"{path}: the rebuilt text is no reference text: {text!r}")
    expected = []
    for s in record["spans"]:
        start, end = trimmed(record["text"], s["start"], s["end"])
        if start < end:
            expected.append((start, end, s["label"]))
    check(spans == sorted(expected), f"{path}: {spans} != {sorted(expected)}")
    for start, end, _ in spans:
        check(text[start:end] == record["text"][start:end], "span text differs")
    total += len(spans)

    # The web-anno-tsv package: per sentence, annotations with label and text. Its unescaping
    # of \r and \t only matches after a doubled backslash, so it misreads sentences holding a
    # carriage return or tab (its own writer's output too); those documents it cannot check.
    if any(c in record["text"] for c in "\r\t\\"):
        package_skipped += 1
        continue
    got = Counter()
    with open_web_anno_tsv(path) as reader:
        for sentence in reader:
            for annotation in sentence.annotations:
                got[(annotation.label, annotation.text)] += 1
    want = Counter((label, record["text"][start:end]) for start, end, label in expected)
    check(got == want, f"{path}: web-anno-tsv read {got}, expected {want}")
check(len(matched) == len(docs), "not every document was found")
print(f"ok: the spec reader took {len(files)} files, {total} spans in UTF-16 offsets; "
      f"web-anno-tsv agreed on {len(files) - package_skipped} (skipped {package_skipped} with CR/tab)")
