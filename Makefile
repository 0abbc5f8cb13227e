# pdaudit: `make demo` runs a real audit of sample_data/, `make test` runs lint and every test.
# Both set up everything on a fresh Debian machine: the Debian packages (only those missing) and
# a virtualenv in .venv/ with pdaudit installed in editable mode.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

# Debian packages the tests and the demo use: OCR, the database servers the tests start, the
# browser the HTML report is tested in, a Cyrillic font for the generated scans, and what
# mysqlclient (the C MySQL/MariaDB driver, no Linux wheel on PyPI) is built against.
APT_PACKAGES := tesseract-ocr tesseract-ocr-rus tesseract-ocr-kaz tesseract-ocr-eng \
	mariadb-server mariadb-client postgresql-15 chromium fonts-dejavu-core \
	libmariadb-dev pkg-config

.PHONY: demo test lint format system-deps venv eval bench screenshots clean

demo: venv
	@echo "== pdaudit detect over sample_data/messages.txt"
	$(BIN)/pdaudit detect sample_data/messages.txt --format text
	@echo "== pdaudit policy extract: the list of processed data read from the policy's own text"
	$(BIN)/pdaudit policy extract sample_data/privacy-policy.txt --output policy.yaml
	@echo "== pdaudit scan of the demo database and scans against it"
	$(BIN)/pdaudit scan sample_data/mirum.db sample_data/scans --policy policy.yaml --format json --output report.json --quiet; \
	  rc=$$?; [ $$rc -le 1 ] || exit $$rc
	$(BIN)/pdaudit report report.json --format text
	$(BIN)/pdaudit report report.json --format html --output report.html
	@echo "== wrote policy.yaml, report.json and report.html (the policy gap is near its end)"

test: venv system-deps lint
	$(BIN)/pytest

# mypy checks the package by its installed name: the links below show it pdaudit.scanner and
# pdaudit.recognizers (it cannot follow the editable install's import hook); see [tool.mypy].
lint: venv
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	@mkdir -p $(VENV)/mypy-path/pdaudit
	@ln -sfn ../../../scanner $(VENV)/mypy-path/pdaudit/scanner
	@ln -sfn ../../../recognizers $(VENV)/mypy-path/pdaudit/recognizers
	$(BIN)/mypy

format: venv
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

system-deps:
	@missing=""; for p in $(APT_PACKAGES); do \
	  dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q "ok installed" || missing="$$missing $$p"; \
	done; \
	if [ -n "$$missing" ]; then \
	  echo "installing Debian packages:$$missing"; \
	  $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get update -qq && \
	  $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $$missing; \
	fi

venv: $(STAMP)

$(STAMP): pyproject.toml
	$(MAKE) system-deps
	[ -x $(BIN)/python ] || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e '.[dev]'
	touch $(STAMP)

eval: venv
	$(BIN)/python eval/evaluate.py
	$(BIN)/python eval/evaluate_fields.py
	$(BIN)/python eval/evaluate_thirdparty.py

bench: venv
	$(BIN)/python bench/bench.py

# The README's pictures, refreshed on purpose (a test run writes its screenshots to a temporary folder).
screenshots: venv system-deps
	PDAUDIT_SCREENSHOTS_DIR=$(CURDIR)/docs/screenshots $(BIN)/pytest tests/test_report_html.py -k "screenshot or phone_width" -q

clean:
	rm -rf $(VENV) policy.yaml report.json report.html .pytest_cache .ruff_cache
