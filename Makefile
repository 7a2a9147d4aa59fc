# Everything a fresh machine with Python 3.11+ and make needs: `make crawl`, `make test`,
# `make demo` (offline).
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell cksum pyproject.toml | cut -d' ' -f1)

.PHONY: setup crawl demo test lint bench clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test,bench]'
	rm -f $(VENV)/.installed-*
	touch $(STAMP)

setup: $(STAMP)

crawl: setup
	$(BIN)/scrapy crawl liputan6 $(ARGS)

# No internet needed: a local copy of the site, crawled into a fresh store (ARGS: --articles N ...).
demo: setup
	$(BIN)/newscrawl demo $(ARGS)

lint: setup
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

test: lint
	$(BIN)/python -m pytest

bench: setup
	$(BIN)/python benchmarks/bench_extraction.py
	$(BIN)/python benchmarks/bench_store.py
	$(BIN)/python benchmarks/bench_crawl.py

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache *.egg-info
