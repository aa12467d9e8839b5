.PHONY: bootstrap run test lint unit integration e2e asyncapi snapshots bench plugin-zip web web-check openapi

VENV := .venv/bin

bootstrap:
	@./scripts/bootstrap.sh

## Start NATS + PostgreSQL (embedded unless NATS_URL / DATABASE_URL are set), migrate, run every service.
run: bootstrap
	@$(VENV)/python scripts/build_web.py --announce
	$(VENV)/python -m igny8_devtools.devrun

## Every test (unit, integration against real NATS + PostgreSQL, end-to-end through the gateway) + lint.
test: bootstrap lint web-check
	$(VENV)/pytest

lint: bootstrap
	$(VENV)/ruff check .
	$(VENV)/mypy

## The web app (web/ -> web/dist/, served by the gateway at /): npm ci + build when sources changed.
web: bootstrap
	$(VENV)/python scripts/build_web.py

## The same, then ESLint and the Vitest component tests (tsc runs in the build).
web-check: bootstrap
	$(VENV)/python scripts/build_web.py --check

## Re-dump the gateway's OpenAPI into web/openapi.json (the web app's typed client comes from it).
openapi: bootstrap
	$(VENV)/python scripts/dump_openapi.py

## Regenerate contract schema snapshots for NEW contract versions (existing ones are frozen).
snapshots: bootstrap
	$(VENV)/python -m igny8_contracts.snapshots --write

asyncapi: bootstrap
	@for s in gateway billing planner writer publisher automation; do $(VENV)/python -m igny8_$$s asyncapi > build/asyncapi-$$s.json || exit 1; done

## The WordPress bridge plugin as an installable zip: dist/igny8-bridge.zip.
plugin-zip: bootstrap
	$(VENV)/python -m igny8_publisher.plugin_package

bench: bootstrap
	$(VENV)/python bench/gateway/run.py
