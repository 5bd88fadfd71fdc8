# shellcheck shell=bash
# Shared helpers for scripts/serve and scripts/test. Source it; do not run it.
# Expects the caller to have `set -euo pipefail` and to have cd'ed to the repo root.

VENV_DIR="${VENV_DIR:-.venv}"

log() { printf '== %s\n' "$*" >&2; }
die() { printf '!! %s\n' "$*" >&2; exit 1; }

# Hide the password part of a URL (scheme://user:secret@host -> scheme://user:***@host).
redact_url() {
    printf '%s\n' "$1" | sed -E 's#^([a-zA-Z][a-zA-Z0-9+.-]*://[^/@:]*):[^/@]*@#\1:***@#'
}

_APT_UPDATED=0
_as_root() {
    if [ "$(id -u)" -eq 0 ]; then
        "$@"
    elif command -v sudo >/dev/null 2>&1; then
        sudo "$@"
    else
        die "need root (or sudo) to run: $*"
    fi
}

# apt_install PKG... : install Debian packages, running `apt-get update` at most once per run.
apt_install() {
    command -v apt-get >/dev/null 2>&1 || die "apt-get not found; please install: $*"
    if [ "$_APT_UPDATED" -eq 0 ]; then
        log "apt-get update"
        _as_root env DEBIAN_FRONTEND=noninteractive apt-get update -qq
        _APT_UPDATED=1
    fi
    log "apt-get install $*"
    _as_root env DEBIAN_FRONTEND=noninteractive \
        apt-get install -y -qq --no-install-recommends "$@" >/dev/null
}

ensure_git() {
    command -v git >/dev/null 2>&1 || apt_install git ca-certificates
}

_venv_ok() {
    [ -x "$VENV_DIR/bin/python" ] && "$VENV_DIR/bin/python" -m pip --version >/dev/null 2>&1
}

_python_minor() {
    python3 -c 'import sys; print(f"{sys.version_info[0]}.{sys.version_info[1]}")'
}

_create_venv() {
    command -v python3 >/dev/null 2>&1 || apt_install python3 python3-venv
    log "creating virtualenv $VENV_DIR"
    if python3 -m venv "$VENV_DIR" >/dev/null 2>&1 && _venv_ok; then
        return 0
    fi
    # Debian ships ensurepip separately, in python3-venv (-> python3.X-venv).
    log "python3 -m venv failed; installing python3-venv"
    rm -rf "$VENV_DIR"
    apt_install python3-venv
    if ! { python3 -m venv "$VENV_DIR" && _venv_ok; }; then
        rm -rf "$VENV_DIR"
        apt_install "python$(_python_minor)-venv"
        python3 -m venv "$VENV_DIR"
    fi
    _venv_ok || die "could not create a working virtualenv in $VENV_DIR"
}

# ensure_venv [EXTRA] : venv with `pip install -e .[EXTRA]`; skipped when the stamp
# .venv/.installed-<EXTRA|base> holds the sha256 of the current pyproject.toml.
ensure_venv() {
    local extra="${1:-}" spec="." stamp want
    if [ -n "$extra" ]; then spec=".[$extra]"; fi
    stamp="$VENV_DIR/.installed-${extra:-base}"
    if ! _venv_ok; then
        _create_venv
    fi
    want="$(sha256sum pyproject.toml | cut -d' ' -f1)"
    if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ]; then
        log "pip install -e \"$spec\""
        "$VENV_DIR/bin/python" -m pip install -q --disable-pip-version-check -e "$spec"
        printf '%s\n' "$want" >"$stamp"
    fi
    export VIRTUAL_ENV="$PWD/$VENV_DIR"
    export PATH="$VIRTUAL_ENV/bin:$PATH"
}

# free_port : print a TCP port on 127.0.0.1 that was free a moment ago.
free_port() {
    python3 -c 'import socket
s = socket.socket()
s.bind(("127.0.0.1", 0))
print(s.getsockname()[1])
s.close()'
}
