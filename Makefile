# Everything a fresh machine with Python 3.11+ and make needs: `make crawl`, `make test`,
# `make demo` (offline).
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell cksum pyproject.toml | cut -d' ' -f1)

# mongoeco (a MongoDB wire-protocol server in pure Python, needs Python 3.13) in its own venv, for
# the tests that cross a socket (tests/wire.py). Without Python 3.13 those tests skip, saying why.
MONGOECO := mongoeco[wire]==4.11.0
WIRE_VENV ?= .venv-wire
WIRE_STAMP := $(WIRE_VENV)/.installed-4.11.0
find_python313 = $(firstword $(foreach p,$(PYTHON313) python3.13 $(wildcard $(HOME)/.pyenv/versions/3.13*/bin/python3.13) /usr/local/bin/python3.13 /usr/bin/python3.13,$(shell $(p) -c 'import sys; sys.exit(sys.version_info[:2] != (3, 13))' >/dev/null 2>&1 && echo $(p))))

.PHONY: setup runtime wire-venv mongosh crawl demo test lint bench clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test,bench]'
	rm -f $(VENV)/.installed-*
	touch $(STAMP)

setup: $(STAMP)

# What `make crawl` and `make demo` need: the package alone (no test or benchmark tools), unless
# `make setup` has installed everything already.
RUN_STAMP := $(VENV)/.runtime-$(shell cksum pyproject.toml | cut -d' ' -f1)
runtime:
	@[ -f $(STAMP) ] || [ -f $(RUN_STAMP) ] || { \
		$(PYTHON) -m venv $(VENV) && \
		$(BIN)/python -m pip install --quiet --disable-pip-version-check -e . && \
		rm -f $(VENV)/.runtime-* && touch $(RUN_STAMP); }

$(WIRE_STAMP):
	@py="$(call find_python313)"; \
	if [ -z "$$py" ]; then \
		echo "wire-venv: no Python 3.13 found (python3.13, ~/.pyenv/versions/3.13*): the tests over the wire will skip"; \
	else \
		set -e; \
		"$$py" -m venv $(WIRE_VENV); \
		$(WIRE_VENV)/bin/python -m pip install --quiet --disable-pip-version-check '$(MONGOECO)'; \
		touch $(WIRE_STAMP); \
	fi

wire-venv: $(WIRE_STAMP)

# npm's mongosh, for the mongosh recipes of docs/queries.md; without npm (or when it cannot
# install) those tests skip, saying why.
MONGOSH_DIR := .cache/mongosh
$(MONGOSH_DIR)/node_modules/.bin/mongosh:
	@if command -v npm >/dev/null; then \
		timeout 300 npm install --silent --no-audit --no-fund --prefix $(MONGOSH_DIR) mongosh@2 \
		|| echo "mongosh: npm could not install it: the mongosh recipe tests will skip"; \
	else echo "mongosh: no npm: the mongosh recipe tests will skip"; fi

mongosh: $(MONGOSH_DIR)/node_modules/.bin/mongosh

crawl: runtime
	$(BIN)/scrapy crawl liputan6 $(ARGS)

# No internet needed: a local copy of the site, crawled into a fresh store (ARGS: --articles N ...).
demo: runtime
	$(BIN)/newscrawl demo $(ARGS)

lint: setup
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

# The tests in one worker per core (pytest-xdist): most of their time is crawls in subprocesses
# and servers answering them. `python -m pytest` alone runs them in one process.
test: lint wire-venv mongosh
	$(BIN)/python -m pytest -n auto --dist worksteal

# Every benchmark runs even when one misses a target; the run fails at the end, naming them.
BENCHMARKS := extraction store crawl reextract warc incremental
bench: setup
	@missed=; for name in $(BENCHMARKS); do \
		echo "$(BIN)/python benchmarks/bench_$$name.py"; \
		$(BIN)/python benchmarks/bench_$$name.py || missed="$$missed bench_$$name"; \
	done; \
	if [ -n "$$missed" ]; then echo "make bench: a target missed in$$missed"; exit 1; fi

clean:
	rm -rf $(VENV) $(WIRE_VENV) .cache .pytest_cache .ruff_cache *.egg-info
