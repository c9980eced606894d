#!/usr/bin/env python3
"""Bench helper: concatenate PDFs until a document has N pages (default 500), to measure peak memory.

Usage: make-long-pdf.py OUT.pdf N IN.pdf [IN.pdf ...]  (runs in the bench virtualenv; uses PyMuPDF)
"""
import sys

import pymupdf

out, target, inputs = sys.argv[1], int(sys.argv[2]), sys.argv[3:]
doc = pymupdf.open()
while doc.page_count < target:
    for path in inputs:
        if doc.page_count >= target:
            break
        src = pymupdf.open(path)
        doc.insert_pdf(src, to_page=min(src.page_count, target - doc.page_count) - 1)
doc.save(out)
print(f"{out}: {doc.page_count} pages")
