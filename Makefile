# The README's commands. `make demo` and `make test` each set up the virtualenv first, from the
# lock files: uv (installed into the venv with pip) installs exactly the pinned, hashed versions.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
UV_VERSION := 0.13.9
UV := $(BIN)/uv
RUNTIME := $(VENV)/.installed-runtime
DEV := $(VENV)/.installed-dev

.PHONY: demo test test-fast lint typecheck lock install compile goldens clean

$(BIN)/uv:
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' || { echo "dialogtool needs Python 3.11 or newer (set PYTHON=...)"; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet uv==$(UV_VERSION)

$(RUNTIME): requirements.lock pyproject.toml setup.py | $(BIN)/uv
	$(UV) pip sync --quiet --compile-bytecode --python $(BIN)/python requirements.lock
	$(UV) pip install --quiet --python $(BIN)/python --no-deps -e .
	@rm -f $(DEV)
	@touch $(RUNTIME)

$(DEV): requirements-dev.lock pyproject.toml setup.py | $(BIN)/uv
	$(UV) pip sync --quiet --compile-bytecode --python $(BIN)/python requirements-dev.lock
	$(UV) pip install --quiet --python $(BIN)/python --no-deps -e .
	@touch $(DEV) $(RUNTIME)

install: $(DEV)

# Compile the modules setup.py lists again after editing one (until then they are imported from source).
compile: $(DEV)
	$(UV) pip install --quiet --python $(BIN)/python --no-deps -e .

demo: $(RUNTIME)
	$(BIN)/dialogtool code data/raw --codebook codebook.yaml --out data/coded
	$(BIN)/dialogtool table --coded data/coded --codebook codebook.yaml --by meeting
	$(BIN)/dialogtool report --coded data/coded --codebook codebook.yaml --output report

lint: $(DEV)
	$(BIN)/ruff check src tests scripts bench setup.py
	$(BIN)/ruff format --check src tests scripts bench setup.py
	$(BIN)/lint-imports --no-cache

# Types: all of src/, strict on coded/ and cli/ (pyproject [tool.mypy]).
typecheck: $(DEV)
	$(BIN)/mypy

# Everything, as CI runs it (.ci/run).
test: lint typecheck
	$(BIN)/python -m pytest -n 2

# The quick loop while working: everything but the tests marked slow.
test-fast: $(DEV)
	$(BIN)/python -m pytest -n 2 -m "not slow"

# Refresh the lock files from pyproject.toml (newest versions that satisfy it).
lock: | $(BIN)/uv
	$(UV) pip compile --quiet --universal --python-version 3.11 --generate-hashes pyproject.toml -o requirements.lock
	$(UV) pip compile --quiet --universal --python-version 3.11 --generate-hashes --extra dev pyproject.toml -o requirements-dev.lock

# Regenerate the golden outputs after an intended change of outputs; review `git diff` before committing.
goldens: $(DEV)
	$(BIN)/python scripts/update_goldens.py

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache .mypy_cache .import_linter_cache .hypothesis
