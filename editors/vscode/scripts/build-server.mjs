// Builds the language server in release mode and copies it to server/, so
// `vsce package` bundles the binary for the platform it was built on.
import { execFileSync } from "node:child_process";
import { chmodSync, copyFileSync, existsSync, mkdirSync, statSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const extDir = resolve(here, "..");
const repo = resolve(extDir, "..", "..");
const exe = process.platform === "win32" ? "gov-report-lsp.exe" : "gov-report-lsp";

console.log(`[build-server] cargo build --release --locked (in ${repo})`);
try {
  execFileSync("cargo", ["build", "--release", "--locked", "--bin", "gov-report-lsp"], {
    cwd: repo,
    stdio: "inherit",
  });
} catch (err) {
  console.error(`[build-server] cargo build failed: ${err.message}`);
  process.exit(1);
}

const targetDir = process.env.CARGO_TARGET_DIR ? resolve(repo, process.env.CARGO_TARGET_DIR) : join(repo, "target");
const built = join(targetDir, "release", exe);
if (!existsSync(built)) {
  console.error(`[build-server] expected ${built} after cargo build, but it is missing`);
  process.exit(1);
}
mkdirSync(join(extDir, "server"), { recursive: true });
const dest = join(extDir, "server", exe);
copyFileSync(built, dest);
chmodSync(dest, 0o755);
// The release profile keeps debug info for profiling; users need only the symbols
// (for panic backtraces), which --strip-debug keeps. A 57 MB binary becomes ~10 MB.
if (process.platform === "linux") {
  try {
    execFileSync("strip", ["--strip-debug", dest], { stdio: "inherit" });
  } catch (err) {
    console.warn(`[build-server] strip unavailable or failed (${err.message}); bundling the unstripped binary`);
  }
}
console.log(`[build-server] copied ${built} -> ${dest} (${(statSync(dest).size / 1e6).toFixed(1)} MB)`);
