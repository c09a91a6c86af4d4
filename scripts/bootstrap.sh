#!/usr/bin/env bash
# Create (or refresh) the two virtual environments from pyproject.toml + constraints/:
#   .venv      Python 3.11: the directory service, tests, benchmarks
#   .venv-bot  Python 3.10: Rasa Open Source 3.6 and the action server
# Idempotent: an environment whose inputs have not changed is left alone (a second run
# takes about a second). The app part also compiles the search's lemma tables into the
# user's cache once (about a minute; directory/text/lemmas.py), so no first search waits. Usage: scripts/bootstrap.sh [app|bot|browser|all]   (default: all)
#   browser: Debian's chromium for the browser tests (installed with apt-get when run as root)
set -euo pipefail
cd "$(dirname "$0")/.."
what="${1:-all}"

export PIP_DISABLE_PIP_VERSION_CHECK=1 RASA_TELEMETRY_ENABLED=false

find_python() {  # find_python 3.11 -> path of an interpreter of that version, or nothing
  local v="$1" c
  for c in "python$v" "$(command -v pyenv >/dev/null 2>&1 && pyenv root)/versions/$v"*/bin/"python$v" \
           "/usr/local/bin/python$v" "/usr/bin/python$v"; do
    if [ -n "$c" ] && "$c" -c "import sys; assert sys.version_info[:2] == tuple(map(int, '$v'.split('.')))" >/dev/null 2>&1; then
      command -v "$c" 2>/dev/null || echo "$c"; return 0
    fi
  done
  return 1
}

pip_quiet() {  # pip_quiet VENV ARGS...: run pip, show its log only when it fails
  local venv="$1"; shift
  if ! "$venv/bin/pip" "$@" > "$venv/.pip.log" 2>&1; then
    grep -v "is ignored: it is neither" "$venv/.pip.log" | tail -40 >&2
    echo "bootstrap: pip failed in $venv (full log: $venv/.pip.log)" >&2; exit 1
  fi
}

stamp_of() {  # the inputs an environment is built from
  cat pyproject.toml "constraints/$1.txt" | sha256sum | cut -d' ' -f1
}

extras_of() {  # the dependency list of one extra in pyproject.toml, one per line
  "$1" - "$2" <<'PY'
import sys, re
text = open("pyproject.toml", encoding="utf-8").read()
block = re.search(r"(?ms)^%s = \[(.*?)^\]" % re.escape(sys.argv[1]), text).group(1)
print("\n".join(re.findall(r'"([^"]+)"', block)))
PY
}

build_app() {
  local py; py=$(find_python 3.11) || { echo "bootstrap: Python 3.11 is required for the directory service (.venv) but was not found." >&2; exit 1; }
  local want; want=$(stamp_of app)
  if ! [ -f .venv/.stamp ] || [ "$(cat .venv/.stamp)" != "$want" ]; then
    echo "bootstrap: creating .venv (directory service, $("$py" -V))"
    [ -x .venv/bin/python ] || "$py" -m venv .venv
    pip_quiet .venv install -q -c constraints/app.txt -e '.[app,dev]'
    echo "$want" > .venv/.stamp
  fi
  warm_lemmas
}

warm_lemmas() {  # the search's lemma tables, compiled once into the user's cache (~45 s); then ~0.5 s
  .venv/bin/python -m directory.text.lemmas --quiet | sed 's/^/bootstrap: /' \
    || { echo "bootstrap: compiling the lemma tables failed (python -m directory.text.lemmas)" >&2; exit 1; }
}

build_bot() {
  local py; py=$(find_python 3.10) || {
    echo "bootstrap: Python 3.10 is required for Rasa 3.6 (.venv-bot) but 'python3.10' was not found." >&2
    echo "           Install it (e.g. 'pyenv install 3.10' or your distribution's python3.10 package) and run again." >&2
    exit 1; }
  local want; want=$(stamp_of bot)
  if [ -f .venv-bot/.stamp ] && [ "$(cat .venv-bot/.stamp)" = "$want" ]; then return 0; fi
  echo "bootstrap: creating .venv-bot (Rasa bot and action server, $("$py" -V)); takes about 2 minutes"
  [ -x .venv-bot/bin/python ] || "$py" -m venv .venv-bot
  local reqs; reqs=$(mktemp); extras_of "$py" bot > "$reqs"
  pip_quiet .venv-bot install -q -c constraints/bot.txt -r "$reqs"
  rm -f "$reqs"
  echo "$want" > .venv-bot/.stamp
}

build_browser() {  # the browser tests drive the system's Chromium; nothing downloads a browser
  local chromium="${CHROMIUM:-/usr/bin/chromium}"
  [ -x "$chromium" ] && return 0
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "bootstrap: installing Debian's chromium for the browser tests"
    DEBIAN_FRONTEND=noninteractive apt-get update -qq >/dev/null
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
  else
    echo "bootstrap: the browser tests need Chromium at $chromium (Debian: apt-get install chromium), or set CHROMIUM" >&2
    exit 1
  fi
}

case "$what" in
  app) build_app ;;
  bot) build_bot ;;
  browser) build_browser ;;
  all) build_app; build_bot ;;
  *) echo "usage: $0 [app|bot|browser|all]" >&2; exit 2 ;;
esac
