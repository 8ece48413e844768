# MotCua — `make run` starts everything, `make test` runs every check. Both install what is missing.
SHELL := /bin/bash
VENV := .venv
BIN := $(VENV)/bin
export PYTHONPATH := $(CURDIR)
export RASA_TELEMETRY_ENABLED := false
export TF_CPP_MIN_LOG_LEVEL := 3
PY := $(BIN)/python
RASA := $(BIN)/rasa
STAMP := $(VENV)/.installed

.PHONY: run test install lint lock redis chromium train clean

$(STAMP): requirements.lock
	@test -x $(BIN)/python || "$$(scripts/python310.sh)" -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade "pip<24.1"
	$(BIN)/python -m pip install -q -r requirements.lock
	@touch $(STAMP)

install: $(STAMP)

redis:
	@scripts/ensure-redis.sh

chromium:
	@scripts/ensure-chromium.sh

lint: install
	$(BIN)/ruff check bot actions connectors tests benchmarks scripts
	$(BIN)/ruff format --check bot actions connectors tests benchmarks scripts

train: install
	$(PY) -m bot nlu generate
	$(RASA) train --data nlu_data --domain domain.yml --config config.yml --out models --fixed-model-name motcua

test: install redis chromium lint
	$(PY) -m bot catalogue check
	@if [ -d ../shared/catalogue/national ]; then $(PY) -m bot catalogue diff ../shared/catalogue/national --strict; else echo "catalogue diff: no national sample at ../shared/catalogue/national, skipped"; fi
	$(PY) -m bot nlu generate
	$(RASA) data validate --data nlu_data --domain domain.yml --config config.yml
	$(MAKE) --no-print-directory train
	$(PY) -m pytest -q
	$(RASA) test nlu --nlu tests/nlu_heldout --model models --out results/nlu
	$(PY) scripts/check_nlu_report.py results/nlu/intent_report.json --min-f1 0.88
	$(RASA) test core --stories tests/stories --model models --out results/core --fail-on-prediction-errors

# The whole catalogue on machines that hold the national sample; MOTCUA_CATALOGUE_SOURCE= (empty) serves curated only.
CATALOGUE_SOURCE := $(wildcard ../shared/catalogue/national)
run: install
	MOTCUA_CATALOGUE_SOURCE="$${MOTCUA_CATALOGUE_SOURCE-$(CATALOGUE_SOURCE)}" $(PY) -m bot run

lock: install
	$(BIN)/python -m pip install -q -r requirements.in
	$(BIN)/python -m pip freeze --exclude-editable > requirements.lock

clean:
	rm -rf $(VENV) models results var .pytest_cache .ruff_cache
