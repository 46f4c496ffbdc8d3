#!/usr/bin/env bash
# The snippet tests and the example notes need a Python 3 with numpy (issue #6). Finds one on PATH or
# Debian's; otherwise installs Debian's python3 and python3-numpy. Idempotent and quick when present.
set -euo pipefail
for py in python3 /usr/bin/python3; do
  if "$py" -c 'import numpy' >/dev/null 2>&1; then
    echo "[setup] $py has numpy $("$py" -c 'import numpy; print(numpy.__version__)')"
    exit 0
  fi
done
if [[ $(id -u) != 0 ]]; then
  echo "[setup] no python3 with numpy, and not root to apt-get install python3-numpy: numpy tests will be skipped" >&2
  exit 0
fi
echo "[setup] apt-get install python3 python3-numpy"
apt-get update -qq
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3 python3-numpy >/dev/null
