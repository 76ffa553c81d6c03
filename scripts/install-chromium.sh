#!/usr/bin/env bash
# Makes sure Debian's headless browser and its WebDriver are installed (the web chat's browser test needs
# /usr/bin/chromium and /usr/bin/chromedriver). Idempotent: does nothing when both are already there.
set -u

if command -v chromium >/dev/null 2>&1 && command -v chromedriver >/dev/null 2>&1; then
  exit 0
fi

explain() {
  cat >&2 <<MSG
Impossible d'installer Chromium / Chromium could not be installed: $1
Le test du chat web en a besoin (paquets Debian « chromium » et « chromium-driver »).
Installez-les puis relancez : apt-get install -y --no-install-recommends chromium chromium-driver
The web chat browser test needs Debian's chromium and chromium-driver packages; install them and retry.
MSG
  exit 1
}

command -v apt-get >/dev/null 2>&1 || explain "apt-get introuvable / apt-get not found"
if [ "$(id -u)" -eq 0 ]; then
  as_root=()
elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
  as_root=(sudo -n)
else
  explain "droits administrateur requis / root rights needed"
fi

echo "Installation de Chromium et de chromedriver (paquets Debian, une seule fois)…"
export DEBIAN_FRONTEND=noninteractive
# A fresh machine has no package lists yet: install straight away, or update the lists and retry once.
if ! "${as_root[@]}" apt-get install -y -qq --no-install-recommends chromium chromium-driver >/dev/null 2>&1; then
  "${as_root[@]}" apt-get update -qq >/dev/null 2>&1 || explain "apt-get update a échoué / apt-get update failed"
  "${as_root[@]}" apt-get install -y -qq --no-install-recommends chromium chromium-driver >/dev/null \
    || explain "apt-get install a échoué / apt-get install failed"
fi

command -v chromium >/dev/null 2>&1 && command -v chromedriver >/dev/null 2>&1 \
  || explain "chromium ou chromedriver absent après l'installation / missing after install"
echo "Chromium prêt : $(chromium --version 2>/dev/null | head -n 1)"
