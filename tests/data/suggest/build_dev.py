"""Turns dev.txt (inline markup) into dev.jsonl, stet's JSONL import shape.

Usage: python3 build_dev.py dev.txt > dev.jsonl
"""
import json
import sys

LABELS = {"f": "figure", "q": "quote", "s": "source", "d": "denial", "c": "claim"}


def parse(body):
    """Returns (plain text, spans, links): spans are dicts with start/end/label/id."""
    out, spans, stack, links = [], [], [], []
    i, n = 0, len(body)
    while i < n:
        c = body[i]
        if c == "{":
            bar = body.index("|", i)
            head = body[i + 1:bar]
            target = None
            if ">" in head:
                head, target = head.split(">")
            ident = None
            if "#" in head:
                head, ident = head.split("#")
            stack.append((LABELS[head], ident, target, len(out)))
            i = bar + 1
        elif c == "}":
            label, ident, target, start = stack.pop()
            span = {"id": f"t{len(spans) + 1}", "start": start, "end": len(out), "label": label}
            spans.append((span, ident, target))
            i += 1
        else:
            out.append(c)
            i += 1
    assert not stack, body[:60]
    by_ident = {ident: s["id"] for s, ident, _ in spans if ident}
    for span, _, target in spans:
        if target:
            links.append({"type": "said_by", "from": span["id"], "to": by_ident[target]})
    return "".join(out), [s for s, _, _ in spans], links


def articles(path):
    title, lines = None, []
    for line in open(path, encoding="utf-8"):
        line = line.rstrip("\n")
        if line.startswith("#"):
            continue
        if line.startswith("=== "):
            if title:
                yield title, "\n".join(lines).strip("\n")
            title, lines = line[4:], []
        else:
            lines.append(line)
    if title:
        yield title, "\n".join(lines).strip("\n")


for title, body in articles(sys.argv[1]):
    text, spans, links = parse(body)
    text = title + "\n\n" + text
    shift = len(title) + 2
    for s in spans:
        s["start"] += shift
        s["end"] += shift
        s["text"] = text[s["start"]:s["end"]]
    spans.sort(key=lambda s: (s["start"], -s["end"]))
    record = {"title": title, "text": text, "spans": spans, "relations": links,
              "meta": {"set": "suggest-dev"}}
    print(json.dumps(record, ensure_ascii=False))
