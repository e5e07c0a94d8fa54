# make demo: set everything up and start the app on the built-in demo data (http://localhost:8501)
# make test: set everything up and run every test
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

SCALE  ?= province

.PHONY: demo test lint bench clean

$(STAMP): pyproject.toml
	$(PYTHON) -c 'import sys; sys.exit("clusterstats needs Python >= 3.11, found " + sys.version.split()[0]) if sys.version_info < (3, 11) else None'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

demo: $(STAMP)
	$(BIN)/clusterstats demo

test: $(STAMP)
	$(BIN)/ruff check pipeline schemas warehouse ui tests trials benchmarks
	$(BIN)/python -m pytest

bench: $(STAMP)
	$(BIN)/python -m benchmarks.run --scale $(SCALE)

lint: $(STAMP)
	$(BIN)/ruff check pipeline schemas warehouse ui tests trials

clean:
	rm -rf $(VENV) build *.egg-info .pytest_cache
