# MedLocal — build, run and test. Every target installs what it needs first (`make deps`).
SHELL := /bin/bash
SWIFT ?= swift
# Debian packages the product needs beyond the Swift toolchain (none yet: detection is pure Swift).
APT_PACKAGES ?= python3 time
RELEASE_BIN := .build/release/medlocal
DEBUG_BIN := .build/debug/medlocal
KEY ?= var/key
SHARED ?= ../shared

.PHONY: all deps build build-release run test bench clean

all: build

## deps: install missing Debian packages (idempotent; needs root or sudo when something is missing)
deps:
	@missing=""; for p in $(APT_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
		echo "Installing:$$missing"; \
		SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
		$$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq $$missing; \
	fi
	@mkdir -p .deps

build: deps
	$(SWIFT) build --product medlocal

build-release: deps
	$(SWIFT) build -c release --product medlocal

## run: until the server exists, a short demo — redact the sample note and print its findings.
run: build-release
	@mkdir -p var
	@$(RELEASE_BIN) keygen --if-missing -o $(KEY)
	$(RELEASE_BIN) redact samples/discharge-note.txt --key-file $(KEY) \
		--operator PERSON=pseudonymize --operator DATE=date-shift --operator ID_NUMBER=pseudonymize \
		--operator PHONE_NUMBER=pseudonymize --operator default=mask --show-findings

test: deps
	$(SWIFT) build --build-tests
	$(SWIFT) test --skip-build

## bench: release-build throughput of `scan` on the dev corpus (one thread, median of 21 runs, with a
## per-recognizer breakdown), its accuracy with the shared scorer, and a 50 MB file streamed in bounded memory.
bench: build-release
	$(RELEASE_BIN) phi bench $(SHARED)/corpora/phi-dev/dev.jsonl --runs 21 --breakdown
	@$(RELEASE_BIN) scan --input jsonl $(SHARED)/corpora/phi-dev/dev.jsonl > .deps/phi-dev.pred.jsonl
	@python3 $(SHARED)/tools/phi-score $(SHARED)/corpora/phi-dev/dev.jsonl .deps/phi-dev.pred.jsonl | tail -4
	@python3 -c "import json,sys; t='\n'.join(json.loads(l)['text'] for l in open(sys.argv[1])); \
		f=open('.deps/bench-large.txt','w'); [f.write(t) for _ in range(96)]" $(SHARED)/corpora/phi-dev/dev.jsonl
	@echo "streaming scan of a $$(du -m .deps/bench-large.txt | cut -f1) MB file (two passes):"
	@/usr/bin/time -f "  %e s wall, max RSS %M KiB" $(RELEASE_BIN) scan --stream --format jsonl .deps/bench-large.txt > /dev/null

clean:
	rm -rf .build
