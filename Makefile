# MotCua — `make run` starts everything, `make test` runs every check. Both install what is missing.
SHELL := /bin/bash
VENV := .venv
BIN := $(VENV)/bin
PY := PYTHONPATH=$(CURDIR) $(BIN)/python
STAMP := $(VENV)/.installed

.PHONY: run test install lint lock redis clean

$(STAMP): requirements.lock
	@test -x $(BIN)/python || "$$(scripts/python310.sh)" -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade "pip<24.1"
	$(BIN)/python -m pip install -q -r requirements.lock
	@touch $(STAMP)

install: $(STAMP)

redis:
	@scripts/ensure-redis.sh

lint: install
	$(BIN)/ruff check bot actions connectors tests benchmarks
	$(BIN)/ruff format --check bot actions connectors tests benchmarks

test: install redis lint
	$(PY) -m bot catalogue check
	$(PY) -m pytest -q

run: install
	$(PY) -m bot catalogue search --help >/dev/null
	@echo "Catalogue search: PYTHONPATH=. $(BIN)/python -m bot catalogue search 'lam giay khai sinh can gi'"

lock: install
	$(BIN)/python -m pip install -q -r requirements.in
	$(BIN)/python -m pip freeze --exclude-editable > requirements.lock

clean:
	rm -rf $(VENV) models results var .pytest_cache .ruff_cache
