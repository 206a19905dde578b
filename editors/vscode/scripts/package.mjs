// `npm run package`: a platform-specific .vsix (the bundled server only runs on the
// platform it was built on), e.g. `--target linux-x64`. `vscode:prepublish` compiles
// and bundles the extension (esbuild: one file, hence --no-dependencies) and builds
// and copies the release server first.
import { spawnSync } from "node:child_process";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const extDir = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const platform = { win32: "win32", linux: "linux", darwin: "darwin" }[process.platform];
const arch = { x64: "x64", arm64: "arm64", arm: "armhf" }[process.arch];
const args = ["package", "--no-dependencies", "--allow-missing-repository", "--no-rewrite-relative-links", "--out", "gov-report-lsp.vsix"];
if (platform && arch) {
  args.push("--target", `${platform}-${arch}`);
} else {
  console.warn(`[package] no VS Code target for ${process.platform}-${process.arch}; packaging a universal .vsix`);
}
const vsce = resolve(extDir, "node_modules", ".bin", process.platform === "win32" ? "vsce.cmd" : "vsce");
const r = spawnSync(vsce, args, { cwd: extDir, stdio: "inherit", shell: process.platform === "win32" });
process.exit(r.status ?? 1);
