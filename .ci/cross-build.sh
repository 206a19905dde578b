#!/usr/bin/env bash
# Release servers for the other platforms users run: Windows x64 (mingw-w64)
# and Linux ARM64 (gcc-aarch64-linux-gnu), in one cargo invocation so the two
# targets build in parallel (the release profile has no debug info, so they
# link quickly). tests/cross_targets.rs runs both binaries
# (under wine and qemu-user); .ci/run packages a .vsix for each.
# darwin is not built: there is no macOS SDK or linker to be had here.
set -euo pipefail
cd "$(dirname "$0")/.."
if command -v rustup >/dev/null 2>&1; then
  rustup target add x86_64-pc-windows-gnu aarch64-unknown-linux-gnu >/dev/null
fi
export CARGO_TARGET_AARCH64_UNKNOWN_LINUX_GNU_LINKER=aarch64-linux-gnu-gcc
start=$(date +%s)
cargo build --release --locked --bin gov-report-lsp \
  --target x86_64-pc-windows-gnu --target aarch64-unknown-linux-gnu
echo "cross-build: x86_64-pc-windows-gnu and aarch64-unknown-linux-gnu in $(( $(date +%s) - start )) s"
