#!/usr/bin/env bash
# Packages the VS Code extension for win32-x64 and linux-arm64 with the release
# servers .ci/cross-build.sh built (GOV_REPORT_LSP_BIN: no cargo build here),
# and checks that each .vsix declares its platform and holds the right server.
set -euo pipefail
cd "$(dirname "$0")/.."
target_dir="${CARGO_TARGET_DIR:-target}"
case "$target_dir" in /*) ;; *) target_dir="$PWD/$target_dir" ;; esac
package() { # vsce target, server binary, server file name inside the .vsix
  local vsix="gov-report-lsp-$1.vsix"
  (cd editors/vscode && GOV_REPORT_VSIX_TARGET="$1" GOV_REPORT_LSP_BIN="$2" GOV_REPORT_VSIX_OUT="$vsix" npm run --silent package)
  python3 - "editors/vscode/$vsix" "$1" "$3" <<'PY'
import sys, zipfile
vsix, platform, server = sys.argv[1:]
z = zipfile.ZipFile(vsix)
names = z.namelist()
manifest = z.read("extension.vsixmanifest").decode()
assert f'TargetPlatform="{platform}"' in manifest, f"{vsix}: no TargetPlatform {platform}"
assert f"extension/server/{server}" in names, f"{vsix}: no server/{server} in {names}"
others = [n for n in names if n.startswith("extension/server/") and n != f"extension/server/{server}"]
assert not others, f"{vsix}: other servers {others}"
print(f"{vsix}: {platform}, server/{server} ({z.getinfo('extension/server/' + server).file_size / 1e6:.1f} MB)")
PY
}
package win32-x64 "$target_dir/x86_64-pc-windows-gnu/release/gov-report-lsp.exe" gov-report-lsp.exe
package linux-arm64 "$target_dir/aarch64-unknown-linux-gnu/release/gov-report-lsp" gov-report-lsp
# Leave server/ as the host's (the e2e test installs gov-report-lsp.vsix, already packaged).
