.PHONY: bootstrap run test lint unit integration e2e asyncapi snapshots bench plugin-zip

VENV := .venv/bin

bootstrap:
	@./scripts/bootstrap.sh

## Start NATS + PostgreSQL (embedded unless NATS_URL / DATABASE_URL are set), migrate, run every service.
run: bootstrap
	$(VENV)/python -m igny8_devtools.devrun

## Every test (unit, integration against real NATS + PostgreSQL, end-to-end through the gateway) + lint.
test: bootstrap lint
	$(VENV)/pytest

lint: bootstrap
	$(VENV)/ruff check .
	$(VENV)/mypy

## Regenerate contract schema snapshots for NEW contract versions (existing ones are frozen).
snapshots: bootstrap
	$(VENV)/python -m igny8_contracts.snapshots --write

asyncapi: bootstrap
	@for s in gateway billing planner writer publisher; do $(VENV)/python -m igny8_$$s asyncapi > build/asyncapi-$$s.json || exit 1; done

## The WordPress bridge plugin as an installable zip: dist/igny8-bridge.zip.
plugin-zip: bootstrap
	$(VENV)/python -m igny8_publisher.plugin_package

bench: bootstrap
	$(VENV)/python bench/gateway/run.py
