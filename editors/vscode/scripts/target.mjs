// The VS Code platform a .vsix is built for, and what that means for the
// bundled server: its Rust target, file name and strip tool.
//
// GOV_REPORT_VSIX_TARGET (e.g. win32-x64, linux-arm64) packages for another
// platform than the one running the script; default: this machine's.

const TARGETS = {
  "linux-x64": { rust: "x86_64-unknown-linux-gnu", exe: "gov-report-lsp", strip: "strip" },
  "linux-arm64": { rust: "aarch64-unknown-linux-gnu", exe: "gov-report-lsp", strip: "aarch64-linux-gnu-strip" },
  "win32-x64": { rust: "x86_64-pc-windows-gnu", exe: "gov-report-lsp.exe", strip: "x86_64-w64-mingw32-strip" },
  "darwin-x64": { rust: "x86_64-apple-darwin", exe: "gov-report-lsp", strip: null },
  "darwin-arm64": { rust: "aarch64-apple-darwin", exe: "gov-report-lsp", strip: null },
};

export function hostTarget() {
  const platform = { win32: "win32", linux: "linux", darwin: "darwin" }[process.platform];
  const arch = { x64: "x64", arm64: "arm64" }[process.arch];
  return platform && arch ? `${platform}-${arch}` : undefined;
}

/** { name, rust, exe, strip, cross } or throws with the list of known targets. */
export function vsixTarget(env = process.env) {
  const host = hostTarget();
  const name = env.GOV_REPORT_VSIX_TARGET || host;
  if (!name) return undefined;
  const t = TARGETS[name];
  if (!t) {
    throw new Error(`GOV_REPORT_VSIX_TARGET=${name} is not one of ${Object.keys(TARGETS).join(", ")}`);
  }
  return { name, ...t, cross: name !== host };
}
