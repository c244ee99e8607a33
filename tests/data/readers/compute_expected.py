#!/usr/bin/env python3
"""Independent counts for the reader fixtures (writes <folder>/expected.json).

Plain Python 3 (stdlib only), written from the formats' documentation, not
from stet. Run from anywhere: python3 compute_expected.py
Offsets reported as "cp" are Python str indices = Unicode code points.
"""
import json
import os
import re
from collections import Counter, OrderedDict

ROOT = os.path.dirname(os.path.abspath(__file__))


def dump(folder, data):
    with open(os.path.join(ROOT, folder, "expected.json"), "w", encoding="utf-8") as f:
        json.dump(data, f, ensure_ascii=False, indent=1)
        f.write("\n")


# --------------------------------------------------------------------- brat
def conf_entities(path):
    """Entity labels of an annotation.conf: non-comment lines of [entities],
    indentation (hierarchy) and leading '!' (abstract) stripped."""
    labels, section = [], None
    if not os.path.exists(path):
        return None
    for line in open(path, encoding="utf-8"):
        s = line.strip()
        if not s or s.startswith("#"):
            continue
        if s.startswith("[") and s.endswith("]"):
            section = s[1:-1]
            continue
        if section == "entities":
            labels.append(s.lstrip("!").split()[0])
    return labels


def brat_folder(folder):
    out = OrderedDict()
    d = os.path.join(ROOT, folder)
    conf = conf_entities(os.path.join(d, "annotation.conf"))
    totals = Counter()
    for name in sorted(os.listdir(d)):
        if not name.endswith(".ann"):
            continue
        base = name[:-4]
        text = open(os.path.join(d, base + ".txt"), encoding="utf-8", newline="").read()
        c = Counter()
        mism, labels, triggers = [], Counter(), set()
        tlines = {}
        for ln, line in enumerate(open(os.path.join(d, name), encoding="utf-8", newline=""), 1):
            line = line.rstrip("\n").rstrip("\r")
            if not line.strip():
                continue
            kind = line[0]
            if kind == "T":
                tid, mid, *rest = line.split("\t")
                label, spans = mid.split(" ", 1)
                frags = [tuple(map(int, fr.split())) for fr in spans.split(";")]
                c["T_discontinuous" if len(frags) > 1 else "T_continuous"] += 1
                labels[label] += 1
                tlines[tid] = label
                src = rest[0] if rest else None
                got = " ".join(text[a:b] for a, b in frags)
                if src is not None and got != src:
                    mism.append({"line": ln, "id": tid, "ann_text": src, "txt_slice": got})
            elif kind == "E":
                c["E"] += 1
                trig = line.split("\t")[1].split(" ")[0].split(":")[1]
                triggers.add(trig)
            elif kind in "RAMN#*":
                c[kind] += 1
            else:
                c["other"] += 1
        c["T_event_triggers"] = len(triggers)
        c["T_entities_not_triggers"] = sum(1 for t in tlines if t not in triggers)
        totals.update(c)
        entry = OrderedDict(sorted(c.items()))
        entry["labels"] = dict(sorted(labels.items()))
        entry["text_chars_cp"] = len(text)
        entry["text_is_ascii"] = text.isascii()
        entry["T_text_mismatches"] = mism
        out[name] = entry
    res = OrderedDict()
    res["counting_rule"] = (
        "per .ann: T lines split into continuous / discontinuous (offsets contain ';'); "
        "E, R, A, M, N, # (AnnotatorNotes), * (Equiv) lines counted by first character; "
        "T_event_triggers = distinct T ids used as an E line's trigger (they are T lines too); "
        "T text check: fragments text[a:b] (code points) joined by one space must equal the 3rd column")
    res["annotation_conf_entity_labels"] = conf
    if conf is not None:
        used = set()
        for e in out.values():
            used |= set(e["labels"])
        res["labels_used_not_in_conf_entities"] = sorted(used - set(conf))
    res["documents"] = len(out)
    res["totals"] = OrderedDict(sorted(totals.items()))
    res["files"] = out
    return res


# ------------------------------------------------------------------ webanno
ESC_SPLIT = re.compile(r"(?<!\\)\|")
ID_RE = re.compile(r"^(.*?)(?<!\\)\[(\d+)(?<!\\)\]$")


def unescape(s):
    return re.sub(r"\\([\[\]|_*\\>\-\t\n])", r"\1", s)


def utf16_to_cp(text):
    """map utf-16 offset -> code point offset for a str"""
    m, u = {}, 0
    for i, ch in enumerate(text):
        m[u] = i
        u += 2 if ord(ch) > 0xFFFF else 1
    m[u] = len(text)
    return m


def webanno_file(path):
    layers = []  # (kind, name, ncols, featnames)
    sentences = []  # list of (text, rows)
    cur = None
    lines = open(path, encoding="utf-8", newline="").read().split("\n")
    for line in lines:
        line = line.rstrip("\r")
        if line.startswith("#FORMAT="):
            fmt = line[len("#FORMAT="):]
        elif line.startswith("#T_SP=") or line.startswith("#T_RL=") or line.startswith("#T_CH="):
            kind = line[3:5]
            parts = line[6:].split("|")
            name, feats = parts[0], parts[1:]
            if kind == "SP":
                ncols = max(1, len(feats))
            elif kind == "RL":
                ncols = len(feats)  # features + BT_ column
            else:
                ncols = len(feats)
            layers.append((kind, name, ncols, feats))
        elif line.startswith("#Text="):
            if cur is None or cur["rows"]:
                cur = {"text": [], "rows": []}
                sentences.append(cur)
            cur["text"].append(line[len("#Text="):])
        elif line.startswith("#"):
            continue
        elif line.strip() == "":
            cur = None if (cur is not None and cur["rows"]) else cur
        else:
            cols = line.split("\t")
            cur["rows"].append(cols)
    # rebuild document text (utf-16 code units) from #Text= lines
    total16 = 0
    for s in sentences:
        for r in s["rows"]:
            b, e = map(int, r[1].split("-"))
            total16 = max(total16, e)
    buf = ["\n"] * (total16 + 64)
    token_mism = []
    for s in sentences:
        stext = "\n".join(s["text"])
        s16 = stext.encode("utf-16-le")
        units = [s16[i:i + 2] for i in range(0, len(s16), 2)]
        first = s["rows"][0]
        b0 = int(first[1].split("-")[0])
        tok16 = unescape(first[2]).encode("utf-16-le")
        # position of first token inside the sentence text (in utf-16 units)
        joined = b"".join(units)
        idx = joined.find(tok16) if tok16 else 0
        start = b0 - idx // 2
        for i, u in enumerate(units):
            buf[start + i] = u
    raw = b"".join(x if isinstance(x, bytes) else x.encode("utf-16-le") for x in buf[:total16])
    doc = raw.decode("utf-16-le")
    to_cp = utf16_to_cp(doc)
    doc16 = doc.encode("utf-16-le")
    for s in sentences:
        for r in s["rows"]:
            b, e = map(int, r[1].split("-"))
            got = doc16[2 * b:2 * e].decode("utf-16-le")
            if got != unescape(r[2]):
                token_mism.append({"row": r[0], "tsv_token": r[2], "text_slice": got})
    # column ranges per layer
    col = 3
    spans_by_layer = OrderedDict()
    rel_by_layer = OrderedDict()
    for kind, name, ncols, feats in layers:
        rng = list(range(col, col + ncols))
        col += ncols
        if kind == "SP":
            anns = OrderedDict()  # key -> dict
            anon = 0
            for s in sentences:
                for r in s["rows"]:
                    b, e = map(int, r[1].split("-"))
                    cell = r[rng[0]] if rng[0] < len(r) else "_"
                    if cell == "_":
                        continue
                    entries = ESC_SPLIT.split(cell)
                    for k, ent in enumerate(entries):
                        m = ID_RE.match(ent)
                        if m:
                            key = ("id", int(m.group(2)))
                            val = m.group(1)
                        else:
                            anon += 1
                            key = ("anon", anon)
                            val = ent
                        # other feature values of this entry
                        featvals = []
                        for ci in rng:
                            ce = ESC_SPLIT.split(r[ci]) if ci < len(r) else ["_"]
                            v = ce[k] if k < len(ce) else "?"
                            mm = ID_RE.match(v)
                            featvals.append(unescape(mm.group(1) if mm else v))
                        a = anns.setdefault(key, {"b16": b, "e16": e, "values": featvals, "rows": []})
                        a["b16"] = min(a["b16"], b)
                        a["e16"] = max(a["e16"], e)
                        a["rows"].append(r[0])
            lst = []
            for key, a in anns.items():
                cb, ce_ = to_cp[a["b16"]], to_cp[a["e16"]]
                lst.append(OrderedDict([
                    ("tsv_id", key[1] if key[0] == "id" else None),
                    ("features", dict(zip(feats if feats and feats != [""] else ["(none)"], a["values"]))),
                    ("begin_utf16", a["b16"]), ("end_utf16", a["e16"]),
                    ("begin_cp", cb), ("end_cp", ce_),
                    ("text", doc[cb:ce_]), ("rows", a["rows"])]))
            spans_by_layer[name] = lst
        elif kind == "RL":
            n = 0
            bt = rng[-1]
            for s in sentences:
                for r in s["rows"]:
                    cell = r[bt] if bt < len(r) else "_"
                    if cell != "_":
                        n += len(ESC_SPLIT.split(cell))
            rel_by_layer[name] = n
        else:
            rel_by_layer[name + " (chain links, column entries)"] = sum(
                len(ESC_SPLIT.split(r[rng[0]])) for s in sentences for r in s["rows"]
                if rng[0] < len(r) and r[rng[0]] != "_")
    res = OrderedDict()
    res["format"] = fmt
    res["sentences"] = len(sentences)
    res["token_rows"] = sum(1 for s in sentences for r in s["rows"] if "." not in r[0].split("-")[1])
    res["subtoken_rows"] = sum(1 for s in sentences for r in s["rows"] if "." in r[0].split("-")[1])
    res["text_utf16_units"] = len(doc16) // 2
    res["text_code_points"] = len(doc)
    res["text"] = doc
    res["span_counts"] = OrderedDict((k, len(v)) for k, v in spans_by_layer.items())
    res["relation_counts"] = rel_by_layer
    res["token_text_mismatches"] = token_mism
    res["spans"] = spans_by_layer
    return res


def webanno_folder(folder):
    d = os.path.join(ROOT, folder)
    res = OrderedDict()
    res["counting_rule"] = (
        "span layers (#T_SP) only; in each layer's FIRST feature column every '|'-separated "
        "entry that is not '_' is one annotation entry; entries carrying the same [n] id in one "
        "layer are one annotation (multi-token / cross-sentence), entries without [n] are one "
        "annotation each (single token, not stacked); '*' means annotation present, feature empty; "
        "escaped \\[ \\] \\| are not ids/separators. Extent = min begin .. max end of its rows "
        "(sub-token rows 1-1.1 included). Text rebuilt from #Text= lines (several #Text= lines of "
        "one sentence joined by \\n), gaps between sentences filled with \\n; UTF-16 offsets "
        "converted to code points. Relations: non-'_' entries of the BT_ column.")
    files = OrderedDict()
    for name in sorted(os.listdir(d)):
        if name.endswith(".tsv"):
            files[name] = webanno_file(os.path.join(d, name))
    res["totals"] = OrderedDict()
    tot = Counter()
    for f in files.values():
        for k, v in f["span_counts"].items():
            tot[k] += v
    res["totals"]["spans_per_layer"] = dict(tot)
    res["files"] = files
    return res


# -------------------------------------------------------------------- conll
def chunks_of(tags):
    """conlleval-style chunking; handles IOB1, IOB2 and BIOES/BILOU prefixes."""
    out, cur = [], None  # cur = [type, start]
    prev_prefix, prev_type = "O", None
    for i, t in enumerate(tags + ["O"]):
        if t == "O" or "-" not in t:
            p, ty = "O", None
        else:
            p, ty = t.split("-", 1)
        start = False
        end_prev = False
        if prev_prefix in ("E", "S", "L", "U"):
            end_prev = True
        if p == "O":
            end_prev = True
        elif p in ("B", "S", "U"):
            end_prev = True
            start = True
        elif p in ("I", "E", "L"):
            if prev_type != ty or prev_prefix in ("O", "E", "S", "L", "U"):
                end_prev = True
                start = True
        if end_prev and cur is not None:
            out.append((cur[0], cur[1], i))
            cur = None
        if start:
            cur = [ty, i]
        prev_prefix, prev_type = p, ty
    return out


def conll_file(path, scheme):
    docs = [[]]  # list of docs, each list of sentences (list of (tok, tag))
    sent = []
    docstarts = 0
    for line in open(path, encoding="utf-8", newline=""):
        line = line.rstrip("\n").rstrip("\r")
        if not line.strip():
            if sent:
                docs[-1].append(sent)
                sent = []
            continue
        cols = line.split()
        if cols[0] == "-DOCSTART-":
            if sent:
                docs[-1].append(sent)
                sent = []
            docstarts += 1
            if docs[-1]:
                docs.append([])
            continue
        sent.append((cols[0], cols[-1], len(cols)))
    if sent:
        docs[-1].append(sent)
    docs = [d for d in docs if d]
    tagc = Counter()
    res_docs = []
    ncols = Counter()
    total_chunks = 0
    labels = Counter()
    for d in docs:
        text_parts, chunks, off = [], [], 0
        for si, s in enumerate(d):
            toks = [t for t, _, _ in s]
            tags = [g for _, g, _ in s]
            for _, _, n in s:
                ncols[n] += 1
            for g in tags:
                tagc[g.split("-", 1)[0] if "-" in g else g] += 1
            starts, o = [], off
            for t in toks:
                starts.append(o)
                o += len(t) + 1
            for ty, a, b in chunks_of(tags):
                cs, ce = starts[a], starts[b - 1] + len(toks[b - 1])
                chunks.append({"label": ty, "tokens": [si, a, b], "start": cs, "end": ce,
                               "text": " ".join(toks[a:b])})
                labels[ty] += 1
            line = " ".join(toks)
            text_parts.append(line)
            off += len(line) + 1
        text = "\n".join(text_parts)
        for c in chunks:
            assert text[c["start"]:c["end"]] == c["text"]
        total_chunks += len(chunks)
        res_docs.append(OrderedDict([
            ("sentences", len(d)), ("tokens", sum(len(s) for s in d)),
            ("chunks", len(chunks)), ("text_chars_cp", len(text)), ("chunk_list", chunks)]))
    r = OrderedDict()
    r["tagging_scheme"] = scheme
    r["docstart_lines"] = docstarts
    r["documents"] = len(res_docs)
    r["sentences"] = sum(d["sentences"] for d in res_docs)
    r["tokens"] = sum(d["tokens"] for d in res_docs)
    r["entity_chunks"] = total_chunks
    r["chunk_labels"] = dict(labels)
    r["tag_prefixes"] = dict(tagc)
    r["columns_per_token_line"] = {str(k): v for k, v in ncols.items()}
    r["docs"] = res_docs
    return r


CONLL_SCHEMES = {
    "allennlp/conll2003.txt": "IOB1 (CoNLL-2003 original: I- everywhere, B- only between adjacent same-type chunks)",
    "flair/eng.train": "IOB2, but line 86 carries a stray BIOES tag (debut _ _ S-Occasion); counted as a one-token chunk",
    "flair/1shot.txt": "IOB2",
    "flair/train.txt": "IOB2 (folder is called trivial_bioes_with_boundaries upstream, but tags are B-/I- only)",
    "ncrfpp/dev.bmes": "BIOES (B-/I-/E-/S-; upstream calls it BMES)",
    "spacy/ner-token-per-line.iob": "IOB2",
    "spacy/ner-token-per-line-conll2003.iob": "IOB2",
}


def conll_folder(folder):
    res = OrderedDict()
    res["counting_rule"] = (
        "whitespace-split columns, token = first column, tag = last column; a -DOCSTART- line "
        "starts a new document (a file without one is one document); sentences = blank-line "
        "separated blocks of token lines; chunks per conlleval: a chunk starts at B-/S- or at "
        "I-/E- whose type differs from the previous tag (or follows O/E-/S-), ends before O, "
        "before a new start, or after E-/S-. Offsets in chunk_list assume the issue's text "
        "convention: tokens joined by one space, sentences joined by \\n, per document.")
    files = OrderedDict()
    for rel, scheme in CONLL_SCHEMES.items():
        files[rel] = conll_file(os.path.join(ROOT, folder, rel), scheme)
    res["files"] = files
    return res


# ------------------------------------------------------------------ prodigy
def prodigy_folder(folder):
    d = os.path.join(ROOT, folder)
    res = OrderedDict()
    res["counting_rule"] = (
        "one JSON object per non-empty line; records per 'answer'; spans = entries of 'spans' "
        "(counted per answer); span check: text[start:end] (code points) == span['text'] when "
        "the span has 'text', and token check text[start:end] == token['text'] for 'tokens'.")
    files = OrderedDict()
    for name in sorted(os.listdir(d)):
        if not name.endswith(".jsonl"):
            continue
        recs = [json.loads(l) for l in open(os.path.join(d, name), encoding="utf-8") if l.strip()]
        ans = Counter(r.get("answer") for r in recs)
        spans = Counter()
        labels_acc = Counter()
        span_mism, tok_mism, spans_with_text = [], 0, 0
        for i, r in enumerate(recs, 1):
            for s in r.get("spans", []) or []:
                spans[r.get("answer")] += 1
                if r.get("answer") == "accept":
                    labels_acc[s.get("label")] += 1
                if "text" in s:
                    spans_with_text += 1
                    if r["text"][s["start"]:s["end"]] != s["text"]:
                        span_mism.append({"line": i, "span": s, "slice": r["text"][s["start"]:s["end"]]})
            for t in r.get("tokens", []) or []:
                if r["text"][t["start"]:t["end"]] != t["text"]:
                    tok_mism += 1
        by_hash = Counter(r.get("_input_hash") for r in recs)
        f = OrderedDict()
        f["records"] = len(recs)
        f["answers"] = dict(ans)
        f["spans_by_answer"] = dict(spans)
        f["spans_in_accepted_records"] = spans.get("accept", 0)
        f["accepted_span_labels"] = dict(labels_acc)
        f["accepted_records_with_spans"] = sum(1 for r in recs if r.get("answer") == "accept" and r.get("spans"))
        f["records_with_label_field (textcat)"] = sum(1 for r in recs if "label" in r)
        f["distinct_input_hash"] = len(by_hash)
        f["input_hashes_with_several_records"] = sum(1 for v in by_hash.values() if v > 1)
        f["distinct__annotator_id"] = len({r.get("_annotator_id") for r in recs if r.get("_annotator_id")})
        f["distinct__session_id"] = len({r.get("_session_id") for r in recs if r.get("_session_id")})
        f["records_with__annotator_id"] = sum(1 for r in recs if r.get("_annotator_id"))
        f["records_with__session_id_nonnull"] = sum(1 for r in recs if r.get("_session_id"))
        f["spans_with_text_field"] = spans_with_text
        f["span_text_mismatches"] = span_mism
        f["token_text_mismatches"] = tok_mism
        files[name] = f
    res["files"] = files
    return res


# -------------------------------------------------------------- labelstudio
def ls_folder(folder):
    d = os.path.join(ROOT, folder)
    res = OrderedDict()
    res["counting_rule"] = (
        "a file is a JSON array of tasks or a single task object; annotations = 'annotations' "
        "(LS >= 1.0) or 'completions' (LS 0.x) entries whose was_cancelled is not true; label "
        "regions = results with type 'labels' in those annotations; relations = results with type "
        "'relation'; prediction regions = 'labels' results inside 'predictions'; region check: "
        "data.text[start:end] (code points) == value.text.")
    files = OrderedDict()
    for name in sorted(os.listdir(d)):
        if not name.endswith(".json"):
            continue
        data = json.load(open(os.path.join(d, name), encoding="utf-8"))
        tasks = data if isinstance(data, list) else [data]
        c = Counter()
        mism = []
        regions = []
        for t in tasks:
            text = t.get("data", {}).get("text")
            anns = t.get("annotations", t.get("completions", [])) or []
            if "completions" in t:
                c["uses_completions_key (LS 0.x)"] = 1
            for a in anns:
                if a.get("was_cancelled"):
                    c["annotations_cancelled"] += 1
                    continue
                c["annotations"] += 1
                if "completed_by" in a:
                    c["annotations_with_completed_by"] += 1
                for r in a.get("result", []):
                    c["results_type_" + str(r.get("type"))] += 1
                    if r.get("type") == "labels":
                        c["label_regions"] += 1
                        v = r["value"]
                        regions.append([v["start"], v["end"], v["labels"], v.get("text")])
                        if text is not None and text[v["start"]:v["end"]] != v.get("text"):
                            mism.append({"id": r.get("id"), "value": v, "slice": text[v["start"]:v["end"]]})
                    if r.get("type") == "relation":
                        c["relations"] += 1
            for p in t.get("predictions", []) or []:
                if not isinstance(p, dict):
                    continue
                for r in p.get("result", []):
                    if r.get("type") == "labels":
                        c["prediction_regions"] += 1
                        v = r["value"]
                        if text is not None and text[v["start"]:v["end"]] != v.get("text"):
                            mism.append({"prediction": True, "value": v, "slice": text[v["start"]:v["end"]]})
        f = OrderedDict()
        f["tasks"] = len(tasks)
        for k in ("annotations", "annotations_cancelled", "label_regions", "relations", "prediction_regions"):
            f[k] = c.get(k, 0)
        for k in sorted(c):
            if k not in f:
                f[k] = c[k]
        f["text_chars_cp"] = [len(t.get("data", {}).get("text", "")) for t in tasks]
        f["region_text_mismatches"] = mism
        f["regions"] = regions
        files[name] = f
    res["files"] = files
    return res


if __name__ == "__main__":
    dump("brat", OrderedDict([("news-tutorial", brat_folder("brat/news-tutorial")),
                              ("dkpro", brat_folder("brat/dkpro"))]))
    dump("webanno", webanno_folder("webanno"))
    dump("conll", conll_folder("conll"))
    dump("prodigy", prodigy_folder("prodigy"))
    dump("labelstudio", ls_folder("labelstudio"))
    print("ok")
