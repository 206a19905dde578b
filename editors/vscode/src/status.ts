// Status-bar text for the active report: `2023 · 2021版格式 · 3 个错误`.
// Pure: no `vscode` import, unit-tested under plain node.

/** Body of the server's `govReport/reportInfo` notification. */
export interface ReportInfo {
  uri: string;
  version?: number | null;
  isReport?: boolean;
  year?: number | null;
  format?: string | null;
  title?: string | null;
  errors?: number;
  warnings?: number;
  infos?: number;
}

export interface StatusView {
  text: string;
  tooltip: string;
}

/** The template a report of `year` must follow (国办公开办函〔2021〕30号 from 2021 on). */
export function formatForYear(year: number): string {
  return year >= 2021 ? "2021" : "2019";
}

/**
 * Best-effort year for when the server sends no `govReport/reportInfo`: from the
 * title ("…2023年政府信息公开工作年度报告"), else from the statistical period
 * ("统计期限自2023年1月1日起至2023年12月31日止").
 */
export function yearFromText(text: string): number | null {
  const head = text.slice(0, 4000);
  const title = /((?:19|20)\d{2})\s*年度?[^\n]{0,40}?信息公开[^\n]{0,10}?年度报告/.exec(head);
  if (title) {
    return Number(title[1]);
  }
  const period = /统计期限[^。\n]{0,10}?((?:19|20)\d{2})\s*年\s*1\s*月\s*1\s*日/.exec(head);
  return period ? Number(period[1]) : null;
}

/**
 * Errors and warnings, each when there is any (`3 个错误 · 1 个警告`); infos
 * only when nothing more serious is left; `无问题` only when there is nothing.
 */
export function countsText(errors: number, warnings: number, infos: number): string {
  const out: string[] = [];
  if (errors > 0) {
    out.push(`$(error) ${errors} 个错误`);
  }
  if (warnings > 0) {
    out.push(`$(warning) ${warnings} 个警告`);
  }
  if (out.length === 0) {
    out.push(infos > 0 ? `$(info) ${infos} 个提示` : "$(check) 无问题");
  }
  return out.join(" · ");
}

const DOCUMENT_NO: Record<string, string> = { "2021": "国办公开办函〔2021〕30号", "2019": "国办公开办函〔2019〕60号" };

/**
 * `format` from the server is the template the report's tables follow (detected);
 * without it, the format the year requires is shown instead.
 */
export function statusView(info: ReportInfo): StatusView {
  const parts: string[] = [];
  const year = info.year ?? null;
  const required = year !== null ? formatForYear(year) : null;
  const detected = info.format ?? null;
  const format = detected ?? required;
  parts.push(year !== null ? String(year) : "年度未识别");
  if (format !== null) {
    parts.push(`${format}版格式`);
  }
  const errors = info.errors ?? 0;
  const warnings = info.warnings ?? 0;
  parts.push(countsText(errors, warnings, info.infos ?? 0));

  const tips: string[] = [];
  if (info.title) {
    tips.push(info.title);
  }
  tips.push(year !== null ? `报告年度：${year}` : "未能识别报告年度（可在设置 govReport.year 中指定）");
  if (detected !== null) {
    tips.push(`表格格式：${DOCUMENT_NO[detected] ?? detected}`);
    if (required !== null && required !== detected) {
      tips.push(`${year} 年度的报告应使用 ${DOCUMENT_NO[required]} 格式`);
    }
  } else if (required !== null) {
    tips.push(`应使用格式：${DOCUMENT_NO[required]}`);
  }
  tips.push(`错误 ${errors} 个，警告 ${warnings} 个，提示 ${info.infos ?? 0} 个`);
  tips.push("点击打开“问题”面板");
  return { text: parts.join(" · "), tooltip: tips.join("\n") };
}
