# newsworker: `make run` and `make test` set everything up themselves.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test test-unit test-integration test-e2e lint typecheck eval bench faults fuzz docs clean \
	compose-test speedups clean-speedups

$(STAMP): pyproject.toml
	$(PY) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev,monitoring]'
	touch $(STAMP)

# The normaliser compiled with mypyc (tools/build_speedups.py): rebuilt when one of its sources
# changes; without a C compiler, or with NEWSWORKER_PURE_PYTHON=1, it stays pure Python.
SPEEDUPS := worker/normalise/speedups.sha256
$(SPEEDUPS): $(STAMP) $(wildcard worker/normalise/*.py)
	$(BIN)/python tools/build_speedups.py

speedups: $(SPEEDUPS)

clean-speedups:
	rm -rf worker/normalise/*.so $(SPEEDUPS) build/speedups

run: $(STAMP) $(SPEEDUPS)
	$(BIN)/newsworker run $(ARGS)

# The suite starts its own Redis when none answers on 127.0.0.1:6379 (see tests/conftest.py).
test: $(STAMP) $(SPEEDUPS)
	$(BIN)/ruff check worker tests
	$(BIN)/mypy
	$(BIN)/pytest -q $(PYTEST_ARGS)

# One layer at a time (markers set from tests/unit, tests/integration, tests/e2e).
test-unit: $(STAMP) $(SPEEDUPS)
	$(BIN)/pytest -q -m unit $(PYTEST_ARGS)

test-integration: $(STAMP) $(SPEEDUPS)
	$(BIN)/pytest -q -m integration $(PYTEST_ARGS)

test-e2e: $(STAMP) $(SPEEDUPS)
	$(BIN)/pytest -q -m e2e $(PYTEST_ARGS)

lint: $(STAMP)
	$(BIN)/ruff check worker tests
	$(BIN)/mypy

# docs/cli.md, docs/configuration.md and docs/schema/*.json from the code (tests check them).
docs: $(STAMP)
	$(BIN)/python tools/gen_docs.py
	$(BIN)/python tools/gen_schema.py

eval: $(STAMP) $(SPEEDUPS)
	$(BIN)/python tools/eval_normalise.py
	$(BIN)/python tools/eval_stories.py --check

bench: $(STAMP) $(SPEEDUPS)
	$(BIN)/python -m benchmarks

faults: $(STAMP) $(SPEEDUPS)
	$(BIN)/python -m tests.faults

# The compose stack on a real Docker Engine: build, healthy, 200 articles through the API while
# the worker, a consumer and Redis are SIGKILLed, every 202 an event and archived once
# (tools/compose_test.py). `host`: the build reaches the package index also on an engine without
# bridge NAT (dockerd --iptables=false); COMPOSE_TEST_BUILD_NETWORK=default uses the bridge.
COMPOSE_TEST_BUILD_NETWORK ?= host
compose-test: $(STAMP)
	COMPOSE_TEST_BUILD_NETWORK=$(COMPOSE_TEST_BUILD_NETWORK) $(BIN)/python tools/compose_test.py

# Property tests with fresh random examples (`make test` replays a fixed set).
FUZZ_ROUNDS ?= 5
fuzz: $(STAMP) $(SPEEDUPS)
	for i in $$(seq $(FUZZ_ROUNDS)); do \
	  HYPOTHESIS_PROFILE=fuzz $(BIN)/pytest -q -p no:cacheprovider \
	    tests/unit/test_normalise_props.py tests/unit/test_properties.py || exit 1; done

clean: clean-speedups
	rm -rf $(VENV) .newsworker .pytest_cache .mypy_cache .ruff_cache
