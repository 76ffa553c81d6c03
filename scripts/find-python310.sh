#!/usr/bin/env bash
# Prints the path of a Python 3.10 interpreter (Rasa 3.6 needs exactly 3.10), or explains what to do.
set -u
# AMIABLE_PYTHON, when set, is the only candidate: an explicit choice is never second-guessed.
if [ -n "${AMIABLE_PYTHON:-}" ]; then
  candidates=("$AMIABLE_PYTHON")
else
  candidates=(python3.10 "$HOME/.pyenv/versions/3.10"*/bin/python /root/.pyenv/versions/3.10*/bin/python
              /usr/local/bin/python3.10 /usr/bin/python3.10)
fi
for candidate in "${candidates[@]}"; do
  [ -n "$candidate" ] || continue
  path=$(command -v "$candidate" 2>/dev/null) || continue
  if "$path" -c 'import sys, venv; sys.exit(0 if sys.version_info[:2] == (3, 10) else 1)' 2>/dev/null; then
    echo "$path"
    exit 0
  fi
done
cat >&2 <<'MSG'
Python 3.10 introuvable / Python 3.10 not found.
Amiable repose sur Rasa Open Source 3.6, qui exige Python 3.10 exactement.
Installez-le puis relancez la commande, par exemple :
  - avec pyenv :       pyenv install 3.10.13
  - sous Debian/Ubuntu : apt-get install python3.10 python3.10-venv
ou indiquez son chemin : make AMIABLE_PYTHON=/chemin/vers/python3.10 test
MSG
exit 1
