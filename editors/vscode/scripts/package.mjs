// `npm run package`: a platform-specific .vsix (the bundled server only runs on the
// platform it was built for), `--target <platform>-<arch>`: this machine's, or
// GOV_REPORT_VSIX_TARGET's (see scripts/target.mjs). `vscode:prepublish` compiles
// and bundles the extension (esbuild: one file, hence --no-dependencies) and puts
// the server in server/ (scripts/build-server.mjs; GOV_REPORT_LSP_BIN skips cargo).
//
// The extension page renders the README with `img-src https: data:` only, so a
// relative image never shows there: the packaged README (dist/README.md) carries
// its images inline as data: URIs; the repository's README keeps the files.
import { spawnSync } from "node:child_process";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

import { vsixTarget } from "./target.mjs";

const extDir = resolve(dirname(fileURLToPath(import.meta.url)), "..");

/** README.md with every relative PNG/JPEG image inlined. */
export function inlineImages(markdown, baseDir) {
  return markdown.replace(/!\[([^\]]*)\]\(([^)\s]+\.(png|jpe?g))\)/gi, (whole, alt, path, ext) => {
    if (/^[a-z]+:/i.test(path)) return whole;
    const type = ext.toLowerCase() === "png" ? "image/png" : "image/jpeg";
    const data = readFileSync(join(baseDir, path)).toString("base64");
    return `![${alt}](data:${type};base64,${data})`;
  });
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const target = vsixTarget();
  mkdirSync(join(extDir, "dist"), { recursive: true });
  writeFileSync(join(extDir, "dist", "README.md"), inlineImages(readFileSync(join(extDir, "README.md"), "utf8"), extDir));
  const out = process.env.GOV_REPORT_VSIX_OUT || "gov-report-lsp.vsix";
  const args = [
    "package", "--no-dependencies", "--allow-missing-repository", "--no-rewrite-relative-links",
    "--readme-path", "dist/README.md", "--out", out,
  ];
  if (target) {
    args.push("--target", target.name);
  } else {
    console.warn(`[package] no VS Code target for ${process.platform}-${process.arch}; packaging a universal .vsix`);
  }
  const vsce = resolve(extDir, "node_modules", ".bin", process.platform === "win32" ? "vsce.cmd" : "vsce");
  const r = spawnSync(vsce, args, { cwd: extDir, stdio: "inherit", shell: process.platform === "win32" });
  process.exit(r.status ?? 1);
}
