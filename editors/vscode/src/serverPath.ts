// Finds the language server binary: the `govReport.server.path` setting, else
// the binary bundled in the extension (server/gov-report-lsp), else PATH.
// No `vscode` import, so it is unit-tested under plain node.

import * as fs from "fs";
import * as os from "os";
import * as path from "path";

export type ServerSource = "setting" | "bundled" | "path";

export type Resolution =
  | { ok: true; path: string; source: ServerSource; tried: string[] }
  | { ok: false; tried: string[]; reason: string };

export interface ResolveInput {
  /** Value of `govReport.server.path` ("" when unset). */
  configured: string;
  /** The extension's install folder (contains server/ when bundled). */
  extensionDir: string;
  /** First workspace folder, for relative `govReport.server.path` values. */
  workspaceDir?: string;
  /** process.env.PATH */
  envPath: string | undefined;
  platform: NodeJS.Platform;
}

export const BINARY = "gov-report-lsp";

export function binaryName(platform: NodeJS.Platform): string {
  return platform === "win32" ? `${BINARY}.exe` : BINARY;
}

export function resolveServer(input: ResolveInput): Resolution {
  const tried: string[] = [];
  const name = binaryName(input.platform);

  const configured = input.configured.trim();
  if (configured !== "") {
    let p = configured.startsWith("~") ? path.join(os.homedir(), configured.slice(1)) : configured;
    if (!path.isAbsolute(p) && input.workspaceDir) {
      p = path.join(input.workspaceDir, p);
    }
    tried.push(p);
    const problem = executableProblem(p, input.platform);
    if (problem === undefined) {
      return { ok: true, path: p, source: "setting", tried };
    }
    // An explicit setting is never silently replaced by another binary.
    return { ok: false, tried, reason: `设置 govReport.server.path 指向的 ${p} ${problem}` };
  }

  const bundled = path.join(input.extensionDir, "server", name);
  tried.push(bundled);
  if (executableProblem(bundled, input.platform, true) === undefined) {
    return { ok: true, path: bundled, source: "bundled", tried };
  }

  const sep = input.platform === "win32" ? ";" : ":";
  for (const dir of (input.envPath ?? "").split(sep)) {
    if (dir === "") {
      continue;
    }
    const candidate = path.join(dir, name);
    if (executableProblem(candidate, input.platform) === undefined) {
      tried.push(candidate);
      return { ok: true, path: candidate, source: "path", tried };
    }
  }
  tried.push(`PATH 中的 ${name}`);
  return { ok: false, tried, reason: `扩展未自带 ${name}，PATH 中也没有找到。` };
}

/** undefined when `p` is an executable file, else a Chinese explanation. */
function executableProblem(p: string, platform: NodeJS.Platform, fixMode = false): string | undefined {
  let st: fs.Stats;
  try {
    st = fs.statSync(p);
  } catch {
    return "不存在。";
  }
  if (!st.isFile()) {
    return "不是文件。";
  }
  if (platform === "win32") {
    return undefined;
  }
  try {
    fs.accessSync(p, fs.constants.X_OK);
    return undefined;
  } catch {
    // A .vsix unpacked by some tools loses the executable bit of the bundled server.
    if (fixMode) {
      try {
        fs.chmodSync(p, 0o755);
        return undefined;
      } catch {
        /* fall through */
      }
    }
    return "没有执行权限（可运行 chmod +x 修复）。";
  }
}
