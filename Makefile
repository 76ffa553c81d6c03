# Amiable — the two commands: `make run` and `make test`. Both bootstrap what they need and are
# idempotent: a second call neither reinstalls nor retrains when nothing changed.
SHELL := /bin/bash
VENV := .venv
BIN := $(VENV)/bin
AMIABLE := $(BIN)/amiable
STAMP := $(VENV)/.installed
MODEL := models/amiable.tar.gz
TRAINING_INPUTS := domain.yml config.yml $(shell find data -name '*.yml' 2>/dev/null) \
                   $(shell find bot/nlu -name '*.py' 2>/dev/null)
export AMIABLE_PYTHON
export RASA_TELEMETRY_ENABLED ?= false
export TF_CPP_MIN_LOG_LEVEL ?= 2
export PYTHONWARNINGS ?= ignore::DeprecationWarning

.PHONY: run test install browser lint validate unit e2e train db lock clean

run: $(STAMP) db $(MODEL)
	$(AMIABLE) run

test: $(STAMP) browser lint validate $(MODEL)
	$(BIN)/pytest -q -p no:cacheprovider

install: $(STAMP)

# Debian's chromium + chromedriver for the web chat's browser test (installed once, idempotent).
browser:
	@bash scripts/install-chromium.sh

$(STAMP): pyproject.toml requirements.lock
	@set -e; \
	if [ ! -x $(BIN)/python ]; then \
	  py=$$(scripts/find-python310.sh); \
	  echo "Création de l'environnement virtuel $(VENV) avec $$py"; \
	  "$$py" -m venv $(VENV); \
	fi; \
	$(BIN)/python -m pip install -qq --upgrade "pip==24.3.1"; \
	echo "Installation des dépendances (une seule résolution, contraintes de requirements.lock)…"; \
	$(BIN)/python -m pip install -qq --progress-bar off -c requirements.lock -e ".[dev]"; \
	$(BIN)/python -m pip check; \
	touch $(STAMP)

db: $(STAMP)
	$(AMIABLE) cases migrate
	$(AMIABLE) cases seed

$(MODEL): $(STAMP) $(TRAINING_INPUTS)
	$(AMIABLE) train

train: $(MODEL)

lint: $(STAMP)
	$(BIN)/ruff check .

validate: $(STAMP)
	$(BIN)/rasa data validate --fail-on-warnings

lock: $(STAMP)
	{ echo "# Lock file: the exact versions of every package, used as pip constraints (make install)."; \
	  echo "# Regenerate after a dependency change: make lock"; \
	  $(BIN)/python -m pip freeze --exclude-editable; } > requirements.lock

clean:
	rm -rf $(VENV) models .rasa amiable.db
