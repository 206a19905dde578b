// Maps the extension's VS Code settings (`govReport.*`) to the shape the
// language server reads from `initializationOptions` and
// `workspace/didChangeConfiguration`: {severities, year, lint, include, exclude}.
// Pure: no `vscode` import, so it is unit-tested under plain node.

export type Level = "off" | "info" | "warning" | "error";
export type LintMode = "auto" | "always" | "never";

export interface ServerSettings {
  severities: Record<string, Level>;
  year: number | null;
  lint: LintMode;
  include: string[];
  exclude: string[];
}

/** The subset of `vscode.WorkspaceConfiguration` used here. */
export interface ConfigSource {
  get<T>(key: string): T | undefined;
}

export interface Converted {
  settings: ServerSettings;
  /** Human-readable (Chinese) problems with the user's settings, to show once. */
  problems: string[];
}

const LEVELS: readonly string[] = ["off", "info", "warning", "error"];
const LINT_MODES: readonly string[] = ["auto", "always", "never"];

export function toServerSettings(config: ConfigSource): Converted {
  const problems: string[] = [];

  const severities: Record<string, Level> = {};
  const rules = config.get<unknown>("rules");
  if (rules !== undefined && rules !== null) {
    if (typeof rules !== "object" || Array.isArray(rules)) {
      problems.push("设置 govReport.rules 应为对象，例如 {\"table-label\": \"off\"}；已忽略。");
    } else {
      for (const [rule, level] of Object.entries(rules as Record<string, unknown>)) {
        if (typeof level === "string" && LEVELS.includes(level)) {
          severities[rule] = level as Level;
        } else {
          problems.push(
            `设置 govReport.rules 中规则“${rule}”的值 ${JSON.stringify(level)} 无效，应为 off、info、warning 或 error；已忽略。`,
          );
        }
      }
    }
  }

  let year: number | null = null;
  const rawYear = config.get<unknown>("year");
  if (rawYear !== undefined && rawYear !== null && rawYear !== "") {
    const n = typeof rawYear === "string" ? Number(rawYear.trim()) : rawYear;
    if (typeof n === "number" && Number.isInteger(n) && n >= 2008 && n <= 2100) {
      year = n;
    } else {
      problems.push(`设置 govReport.year 的值 ${JSON.stringify(rawYear)} 不是有效年度（如 2023）；将从报告中自动识别年度。`);
    }
  }

  let lint: LintMode = "auto";
  const rawLint = config.get<unknown>("lint");
  if (rawLint !== undefined && rawLint !== null) {
    if (typeof rawLint === "string" && LINT_MODES.includes(rawLint)) {
      lint = rawLint as LintMode;
    } else {
      problems.push(`设置 govReport.lint 的值 ${JSON.stringify(rawLint)} 无效，应为 auto、always 或 never；已按 auto 处理。`);
    }
  }

  return {
    settings: {
      severities,
      year,
      lint,
      include: globs(config, "include", problems),
      exclude: globs(config, "exclude", problems),
    },
    problems,
  };
}

function globs(config: ConfigSource, key: string, problems: string[]): string[] {
  const raw = config.get<unknown>(key);
  if (raw === undefined || raw === null) {
    return [];
  }
  if (!Array.isArray(raw)) {
    problems.push(`设置 govReport.${key} 应为 glob 字符串数组；已忽略。`);
    return [];
  }
  const out: string[] = [];
  for (const g of raw) {
    if (typeof g === "string" && g.trim() !== "") {
      out.push(g);
    } else {
      problems.push(`设置 govReport.${key} 中的 ${JSON.stringify(g)} 不是 glob 字符串；已忽略。`);
    }
  }
  return out;
}
