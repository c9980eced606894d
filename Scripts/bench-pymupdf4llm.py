#!/usr/bin/env python3
"""Benchmark peer for `make bench`: pymupdf4llm.to_markdown over the same PDFs, one process, median of runs.

Prints one line: `pymupdf4llm: <pages/s> pages/s (median of N runs)`. Runs only at bench time, from the
virtualenv the Makefile creates under .deps/ (never part of the product).
"""
import statistics
import sys
import time

import pymupdf
import pymupdf4llm


def main(argv):
    runs = int(argv[1])
    files = argv[2:]
    pages = sum(pymupdf.open(f).page_count for f in files)
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        for f in files:
            pymupdf4llm.to_markdown(f, show_progress=False)
        times.append(time.perf_counter() - start)
    median = statistics.median(times)
    print(f"pymupdf4llm: {pages / median:.2f} pages/s (median of {runs} runs, {pages} pages)")


if __name__ == "__main__":
    main(sys.argv)
