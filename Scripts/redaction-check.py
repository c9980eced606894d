#!/usr/bin/env python3
"""Redaction acceptance on a docs corpus (make bench-redaction).

For every <id>.gt.json in CORPUS: `medlocal redact-document` the digital PDF and the scan into OUT, then read
each redacted copy back the way an adversary would — its text layer (`medlocal parse`, no OCR needed for text
pages) and the OCR of every page (`medlocal ocr`) — and check that none of the ground truth's `phi` strings
can be found, nor three quarters of a long one in one piece (PART). Also reports how much of the rest of the page survives: text similarity of the redacted copy's
Markdown against the ground-truth Markdown with the PHI strings cut out.

Usage: redaction-check.py MEDLOCAL CORPUS OUT [--ids d001,d002] [-- extra redact-document arguments]
Prints one line per document and a summary; exits 1 when any PHI string leaks, wholly or partly.
"""
import json, os, re, subprocess, sys, unicodedata, difflib

def norm(text):
    text = unicodedata.normalize("NFKC", text)
    return "".join(ch for ch in text if not ch.isspace())

def plain(markdown):
    # A table with merged cells is written as HTML; its text, not its tags, is what is compared.
    markdown = re.sub(r"<[^>]+>", " ", markdown)
    lines = []
    for line in markdown.splitlines():
        line = line.lstrip("#").strip()
        if line.startswith("|---"): continue
        if line.startswith("!["): continue
        lines.append(line.replace("|", " "))
    return "\n".join(lines)

def similarity(a, b):
    a, b = norm(a), norm(b)
    if not a and not b: return 1.0
    return difflib.SequenceMatcher(None, a, b, autojunk=False).ratio()

def partly_leaked(value, haystack):
    """Most of a long identifier still readable: all but a quarter of its characters in one piece (an OCR
    misread or a line wrap can leave a value the exact search would not find)."""
    if len(value) < 8: return False
    match = difflib.SequenceMatcher(None, value, haystack, autojunk=False).find_longest_match(0, len(value), 0, len(haystack))
    return match.size >= max(6, (3 * len(value) + 3) // 4)

def run(cmd):
    return subprocess.run(cmd, capture_output=True, text=True)

def main():
    args = sys.argv[1:]
    extra = []
    if "--" in args:
        i = args.index("--"); extra = args[i + 1:]; args = args[:i]
    ids = None
    if "--ids" in args:
        i = args.index("--ids"); ids = set(args[i + 1].split(",")); del args[i:i + 2]
    medlocal, corpus, out = args
    os.makedirs(out, exist_ok=True)
    leaks, partials, docs, sims, failures = 0, 0, 0, [], 0
    for name in sorted(os.listdir(corpus)):
        if not name.endswith(".gt.json"): continue
        doc_id = name[:-len(".gt.json")]
        if ids and doc_id not in ids: continue
        gt = json.load(open(os.path.join(corpus, name)))
        phi = [p for p in gt["phi"] if norm(p)]
        expected = plain(gt["markdown"])
        for p in sorted(phi, key=len, reverse=True): expected = expected.replace(p, "")
        for suffix in (".pdf", ".scan.pdf"):
            source = os.path.join(corpus, doc_id + suffix)
            if not os.path.exists(source): continue
            target = os.path.join(out, doc_id + suffix.replace(".pdf", ".redacted.pdf"))
            result = run([medlocal, "redact-document", source, "-o", target, "--allow-residual"] + extra)
            if result.returncode != 0:
                failures += 1
                print(f"{doc_id}{suffix}: redact-document failed ({result.returncode}): {result.stderr.strip()[-200:]}")
                continue
            parsed = run([medlocal, "parse", target, "-o", out, "--format", "md"])
            md_path = os.path.join(out, os.path.basename(target)[:-4] + ".md")
            markdown = open(md_path).read() if os.path.exists(md_path) else ""
            ocr_text = run([medlocal, "ocr", target, "--format", "text"]).stdout
            haystack = norm(markdown) + "\n" + norm(ocr_text)
            leaked = [p for p in phi if norm(p) in haystack]
            partial = [p for p in phi if p not in leaked and partly_leaked(norm(p), haystack)]
            sim = similarity(plain(markdown), expected)
            docs += 1; sims.append(sim); leaks += len(leaked); partials += len(partial)
            status = "LEAK " + str(len(leaked)) if leaked else "PART " + str(len(partial)) if partial else "ok"
            print(f"{doc_id}{suffix:10} phi {len(phi):3}  {status:8} rest-similarity {sim:.3f}")
    if docs:
        sims.sort()
        print(f"documents {docs}, PHI strings leaked {leaks}, partly leaked {partials}, failures {failures}, "
              f"rest-similarity median {sims[len(sims) // 2]:.3f} min {sims[0]:.3f}")
    sys.exit(1 if leaks or partials or failures else 0)

if __name__ == "__main__":
    main()
