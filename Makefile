# Two commands set everything up on a fresh machine and do the job:
#   make check   create .venv, install guide, find or install a browser, check every flow
#   make test    the same set-up, then the whole test suite
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp

.PHONY: setup browser check test docs bench lint clean

setup: $(STAMP)

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

browser: setup
	$(BIN)/guide doctor --install
	$(BIN)/guide doctor

check: browser
	$(BIN)/guide lint
	$(BIN)/guide check --junit guide-results/junit.xml

test: browser
	$(BIN)/python -m pytest

docs: browser
	$(BIN)/guide shots --out docs/screenshots
	$(BIN)/guide export flows --format md --out docs --images screenshots
	$(BIN)/guide export flows --format html --out docs --images screenshots

bench: browser
	$(BIN)/python bench/bench_check.py

clean:
	rm -rf $(VENV) guide-results test-results *.egg-info
