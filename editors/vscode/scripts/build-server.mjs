// Puts the language server for the .vsix's platform in server/, so `vsce
// package` bundles it. With GOV_REPORT_LSP_BIN=/path/to/gov-report-lsp[.exe]
// that binary is used as it is (e.g. a release build CI already made, or a
// cross-compiled one); otherwise `cargo build --release` builds it, for
// GOV_REPORT_VSIX_TARGET's Rust target when that is not this machine.
import { execFileSync } from "node:child_process";
import { chmodSync, copyFileSync, existsSync, mkdirSync, rmSync, statSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

import { vsixTarget } from "./target.mjs";

const here = dirname(fileURLToPath(import.meta.url));
const extDir = resolve(here, "..");
const repo = resolve(extDir, "..", "..");
const target = vsixTarget();
if (!target) {
  console.error(`[build-server] no VS Code target for ${process.platform}-${process.arch}: set GOV_REPORT_VSIX_TARGET`);
  process.exit(1);
}

let built;
if (process.env.GOV_REPORT_LSP_BIN) {
  built = resolve(process.env.GOV_REPORT_LSP_BIN);
  if (!existsSync(built) || !statSync(built).isFile()) {
    console.error(`[build-server] GOV_REPORT_LSP_BIN=${built} is not a file`);
    process.exit(1);
  }
  console.log(`[build-server] using GOV_REPORT_LSP_BIN=${built} (no cargo build)`);
} else {
  const args = ["build", "--release", "--locked", "--bin", "gov-report-lsp"];
  if (target.cross) args.push("--target", target.rust);
  console.log(`[build-server] cargo ${args.join(" ")} (in ${repo})`);
  try {
    execFileSync("cargo", args, { cwd: repo, stdio: "inherit" });
  } catch (err) {
    console.error(`[build-server] cargo build failed: ${err.message}`);
    process.exit(1);
  }
  const targetDir = process.env.CARGO_TARGET_DIR ? resolve(repo, process.env.CARGO_TARGET_DIR) : join(repo, "target");
  built = join(targetDir, ...(target.cross ? [target.rust] : []), "release", target.exe);
  if (!existsSync(built)) {
    console.error(`[build-server] expected ${built} after cargo build, but it is missing`);
    process.exit(1);
  }
}

// Only this platform's server goes in (a previous run may have left another's).
rmSync(join(extDir, "server"), { recursive: true, force: true });
mkdirSync(join(extDir, "server"), { recursive: true });
const dest = join(extDir, "server", target.exe);
copyFileSync(built, dest);
chmodSync(dest, 0o755);
// Debug info, if a binary has any (e.g. GOV_REPORT_LSP_BIN pointing at a `profiling`
// build), is dropped; the symbols (for panic backtraces) stay.
if (target.strip && process.platform === "linux") {
  try {
    execFileSync(target.strip, ["--strip-debug", dest], { stdio: "inherit" });
  } catch (err) {
    console.warn(`[build-server] ${target.strip} unavailable or failed (${err.message}); bundling the unstripped binary`);
  }
}
console.log(`[build-server] ${built} -> ${dest} (${target.name}, ${(statSync(dest).size / 1e6).toFixed(1)} MB)`);
