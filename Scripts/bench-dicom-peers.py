#!/usr/bin/env python3
"""Benchmark peers for `make bench-dicom`: the same folder de-identified by dicom-anonymizer (KitwareMedical, as
one command over the folder) and by deid (pydicom/deid, its default recipe through replace_identifiers).

Prints `dicom-anonymizer: <files/s>` and `deid: <files/s>`, one line each. Runs only at bench time, from the
virtualenv the Makefile creates under .deps/ (never part of the product).
"""
import os
import shutil
import subprocess
import sys
import time


def dicom_anonymizer(source, target):
    # It reads one flat folder and wants its output folder to exist.
    shutil.rmtree(target, ignore_errors=True)
    os.makedirs(target)
    binary = os.path.join(os.path.dirname(sys.executable), "dicom-anonymizer")
    start = time.perf_counter()
    subprocess.run([binary, source, target], check=False, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - start


def deid(source, target):
    from deid.dicom import get_files, replace_identifiers
    shutil.rmtree(target, ignore_errors=True)
    os.makedirs(target)
    files = list(get_files(source))
    start = time.perf_counter()
    replace_identifiers(dicom_files=files, output_folder=target, save=True, overwrite=True, remove_private=True)
    return time.perf_counter() - start


if __name__ == "__main__":
    source, work = sys.argv[1], sys.argv[2]
    count = sum(len(f) for _, _, f in os.walk(source))
    for name, run in [("dicom-anonymizer", dicom_anonymizer), ("deid", deid)]:
        try:
            target = os.path.join(work, name)
            seconds = run(source, target)
            written = sum(len(f) for _, _, f in os.walk(target))
            print(f"{name}: {count / seconds:.1f} files/s ({count} files in {seconds:.1f} s, {written} written)")
        except Exception as error:  # a peer that fails is reported, not fatal
            print(f"{name}: failed ({type(error).__name__})")
