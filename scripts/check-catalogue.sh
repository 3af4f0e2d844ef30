#!/usr/bin/env bash
# The interface is Arabic first: every message in the code must have an Arabic translation.
# Extracts the messages afresh (makemessages) and fails if any is untranslated or fuzzy.
# The catalogue in the working tree is put back as it was, so the check changes nothing.
set -euo pipefail
cd "$(dirname "$0")/.."
po=locale/ar/LC_MESSAGES/django.po
backup=$(mktemp)
cp "$po" "$backup"
trap 'cp "$backup" "$po"; rm -f "$backup"' EXIT
DEBUG=1 .venv/bin/python manage.py makemessages -l ar --ignore=.venv --ignore=var --ignore=bench \
  --ignore=browser_tests --ignore='*/tests/*' -v 0
.venv/bin/python scripts/untranslated.py "$po"
