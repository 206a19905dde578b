#!/usr/bin/env bash
# Installs the tools the tests drive (idempotent; root on CI).
set -euo pipefail

# --- VS Code extension e2e (editors/vscode): chromium drives code-server; a CJK
# font so glyphs render in the screenshot; ripgrep pre-seeds code-server's install.
need_apt=()
[ -x /usr/lib/chromium/chromium ] || need_apt+=(chromium)
[ -e /usr/share/fonts/truetype/wqy/wqy-microhei.ttc ] || need_apt+=(fonts-wqy-microhei)
command -v rg >/dev/null 2>&1 || need_apt+=(ripgrep)
# code-server's native modules (node-pty, kerberos, argon2 fallback) compile with node-gyp.
[ -e /usr/include/gssapi/gssapi.h ] || need_apt+=(libkrb5-dev)
command -v g++ >/dev/null 2>&1 || need_apt+=(g++)
command -v make >/dev/null 2>&1 || need_apt+=(make)
# --- Language server in a real editor (tests/lsp_neovim.rs): Debian's Neovim 0.7.
command -v nvim >/dev/null 2>&1 || need_apt+=(neovim)
# --- Servers for Windows x64 and Linux ARM64 (.ci/cross-build.sh), run under wine
# and qemu-user by tests/cross_targets.rs.
command -v x86_64-w64-mingw32-gcc >/dev/null 2>&1 || need_apt+=(gcc-mingw-w64-x86-64)
[ -x /usr/lib/wine/wine64 ] || need_apt+=(wine64)
command -v aarch64-linux-gnu-gcc >/dev/null 2>&1 || need_apt+=(gcc-aarch64-linux-gnu libc6-dev-arm64-cross)
command -v qemu-aarch64 >/dev/null 2>&1 || need_apt+=(qemu-user)
if [ "${#need_apt[@]}" -gt 0 ]; then
  SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${need_apt[@]}"
fi

# --- pre-commit hooks acceptance test (.ci/pre-commit-test.sh): pre-commit from PyPI.
if ! python3 -c "import pre_commit" >/dev/null 2>&1; then
  if ! python3 -m pip --version >/dev/null 2>&1; then
    SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends python3-pip
  fi
  # Debian's own python refuses system-wide installs without the flag (PEP 668).
  python3 -m pip install --quiet --disable-pip-version-check pre-commit ||
    python3 -m pip install --quiet --disable-pip-version-check --break-system-packages pre-commit
fi
