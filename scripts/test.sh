#!/usr/bin/env bash
# Installs what the tests need on a fresh Debian machine, then runs the whole suite
# (SQLite always; PostgreSQL where a server answers on 127.0.0.1:5432, database `test`).
set -euo pipefail
cd "$(dirname "$0")/.."

python3 -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt

# System packages: Chromium + driver (browser tests), a CJK font (PDF export),
# poppler (PDF text), LibreOffice Calc (opening exported workbooks), and the deploy guide's.
need=()
command -v chromium >/dev/null 2>&1 || need+=(chromium)
command -v chromedriver >/dev/null 2>&1 || need+=(chromium-driver)
command -v pdftotext >/dev/null 2>&1 || need+=(poppler-utils)
fc-list 2>/dev/null | grep -qi "Noto Sans CJK" || need+=(fonts-noto-cjk)
command -v soffice >/dev/null 2>&1 || need+=(libreoffice-calc-nogui)
# The packages docs/deploy.md installs (its `apt-get install -y` line), for tests/deploy/,
# which follows the guide: nginx, sudo, PostgreSQL, python3-venv, ...
for package in $(sed -n 's/^apt-get install -y //p' docs/deploy.md | head -1); do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "ok installed" || need+=("$package")
done
if [ ${#need[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "installing system packages: ${need[*]}"
    apt-get update -qq >/dev/null
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
  else
    echo "WARNING: missing ${need[*]} (needs root and apt-get); the tests that need them will skip"
  fi
fi

# PostgreSQL: start the local cluster if it is installed but stopped.
if command -v pg_isready >/dev/null 2>&1 && ! pg_isready -q -h 127.0.0.1 -p 5432; then
  if command -v pg_ctlcluster >/dev/null 2>&1 && [ -d /etc/postgresql ]; then
    pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | head -1)" main start || true
  fi
fi

exec python3 -m pytest -q "$@"
