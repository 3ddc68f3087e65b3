#!/usr/bin/env bash
# Installs what the tests need on a fresh Debian machine, then runs the whole suite
# (SQLite always; PostgreSQL where a server answers on 127.0.0.1:5432, database `test`).
set -euo pipefail
cd "$(dirname "$0")/.."

python3 -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt

# System packages: Chromium + driver (browser tests), a CJK font (PDF export),
# poppler (PDF text), LibreOffice Calc and Writer (opening exported workbooks and the
# bulletin's Word document), libfaketime (the tests
# that read the real clock, run again on fixed dates below), and the deploy guide's packages.
need=()
command -v chromium >/dev/null 2>&1 || need+=(chromium)
command -v chromedriver >/dev/null 2>&1 || need+=(chromium-driver)
command -v pdftotext >/dev/null 2>&1 || need+=(poppler-utils)
fc-list 2>/dev/null | grep -qi "Noto Sans CJK" || need+=(fonts-noto-cjk)
command -v soffice >/dev/null 2>&1 || need+=(libreoffice-calc-nogui)
# LibreOffice Writer: the bulletin's Word document is converted to PDF in the tests
[ -e /usr/lib/libreoffice/program/libswlo.so ] || need+=(libreoffice-writer-nogui)
command -v faketime >/dev/null 2>&1 || need+=(faketime)
# A Java runtime: MPXJ (PyPI mpxj, through JPype) reads our MS Project XML in tests/exchange/
command -v java >/dev/null 2>&1 || need+=(default-jre-headless)
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

# With arguments: just pytest with them (a developer's run of some tests).
if [ $# -gt 0 ]; then
  exec python3 -m pytest -q "$@"
fi

python3 -m pytest -q

# Every other test pins its day (tests/conftest.py refuses a read of today's date from a test
# that is not marked `clock`). The `clock` tests read the real clock (the fault tests' demo is
# dated relative to today and their processes run on the real clock), so they run again on
# the days the monthly cycle turns on, each given as Shanghai noon (04:00 UTC): the 1st (and
# a year beyond the holiday data), the open day and the days around it, the due day and the
# day after, a close day moved off a holiday (清明), New Year's Eve and a Spring Festival day.
CLOCK_DAYS=(
  "2027-01-01" "2026-03-19" "2026-03-20" "2026-03-21" "2026-03-25"
  "2026-03-26" "2026-04-05" "2026-12-31" "2026-02-17"
)
if command -v faketime >/dev/null 2>&1; then
  for day in "${CLOCK_DAYS[@]}"; do
    echo "== the clock tests on ${day} (Asia/Shanghai noon) =="
    # NO_FAKE_STAT: file times stay as written (gunicorn's worker heartbeat writes the faked
    # monotonic clock into a file's mtime and reads it back; faked stat() shifted it by the
    # offset, so on a day ahead of the real one every worker looked hung)
    NO_FAKE_STAT=1 TZ=UTC faketime "${day} 04:00:00" \
      python3 -m pytest -q -m clock -p no:cacheprovider
  done
else
  echo "WARNING: faketime missing (needs root and apt-get): the clock tests ran on today only"
fi
