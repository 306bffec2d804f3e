#!/usr/bin/env bash
# Create .venv and install Proctor with every engine and the development tools.
# Needs only Python >= 3.11 and the package registries; safe to run again.
set -euo pipefail
cd "$(dirname "$0")/.."
PYTHON="${PYTHON:-python3}"
"$PYTHON" -c 'import sys; sys.exit(sys.version_info < (3, 11))' \
  || { echo "Proctor needs Python >= 3.11 (found $("$PYTHON" --version))" >&2; exit 1; }
[ -x .venv/bin/python ] || "$PYTHON" -m venv .venv
.venv/bin/python -m pip install --quiet --upgrade pip
# dlib comes prebuilt from dlib-bin (the `dlib` extra): nothing is compiled. setuptools notes
# on every editable install of a mapped layout that folders named like the package may shadow
# it: information, not a fault, so it is not printed.
PYTHONWARNINGS="ignore:Editable installation:UserWarning" \
  .venv/bin/python -m pip install --quiet -e '.[dev,dlib,bench]'
