// Word documents and PDFs in the workspace: VS Code cannot open them as
// text, so their findings are listed in the Problems panel from the server's
// `govReport/checkFiles` request (the server reads the files from disk with
// the settings an open document there would get). The message starts with
// the place in words (第 4 部分 表四 第 2 行 第 1 列) since such a file has no
// lines to underline. Refreshed when a file changes on disk, and on demand
// with the command 年度报告: 检查工作区中的所有报告.

import * as vscode from "vscode";
import type { LanguageClient } from "vscode-languageclient/node";

export const CHECK_WORKSPACE_COMMAND = "govReport.checkWorkspace";
/** Files read from disk, not opened as text. */
export const REPORT_FILES_GLOB = "**/*.{docx,pdf}";
const EXCLUDE_GLOB = "**/{node_modules,.git}/**";
/** Files per request: a large workspace is checked in slices. */
const BATCH = 20;

/** What the server answers for one file. */
export interface FileReport {
  uri: string;
  diagnostics: WireDiagnostic[];
  skipped: boolean;
  error: string | null;
}

export interface WireDiagnostic {
  message: string;
  severity?: number;
  code?: string | number;
  source?: string;
  codeDescription?: { href: string };
}

/** Word's lock files (`~$报告.docx`) sit beside open documents: never checked. */
export function isReportFile(path: string): boolean {
  const name = path.split(/[\\/]/).pop() ?? "";
  return !name.startsWith("~$") && /\.(docx|pdf)$/i.test(name);
}

/** A diagnostic for the Problems panel (at the top of the file: it has no lines). */
export function toDiagnostic(d: WireDiagnostic): vscode.Diagnostic {
  const severity =
    d.severity === 1
      ? vscode.DiagnosticSeverity.Error
      : d.severity === 2
        ? vscode.DiagnosticSeverity.Warning
        : vscode.DiagnosticSeverity.Information;
  const diag = new vscode.Diagnostic(new vscode.Range(0, 0, 0, 0), d.message, severity);
  diag.source = d.source ?? "gov-report";
  if (d.code !== undefined) {
    diag.code = d.codeDescription ? { value: d.code, target: vscode.Uri.parse(d.codeDescription.href) } : d.code;
  }
  return diag;
}

export class ReportFiles implements vscode.Disposable {
  private readonly collection = vscode.languages.createDiagnosticCollection("gov-report-files");
  private readonly disposables: vscode.Disposable[] = [this.collection];
  /** Files whose check is pending (changes on disk coalesce). */
  private pending = new Set<string>();
  private timer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    private readonly client: () => LanguageClient | undefined,
    private readonly log: (line: string) => void,
  ) {
    const watcher = vscode.workspace.createFileSystemWatcher(REPORT_FILES_GLOB);
    watcher.onDidCreate((u) => this.schedule(u));
    watcher.onDidChange((u) => this.schedule(u));
    watcher.onDidDelete((u) => this.collection.delete(u));
    this.disposables.push(
      watcher,
      vscode.commands.registerCommand(CHECK_WORKSPACE_COMMAND, () => this.checkWorkspace(true)),
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (e.affectsConfiguration("govReport")) {
          void this.checkWorkspace(false);
        }
      }),
    );
  }

  dispose(): void {
    if (this.timer) clearTimeout(this.timer);
    for (const d of this.disposables) d.dispose();
  }

  private schedule(uri: vscode.Uri): void {
    if (uri.scheme !== "file" || !isReportFile(uri.fsPath)) return;
    this.pending.add(uri.toString());
    if (this.timer) clearTimeout(this.timer);
    // A save writes a file in several steps: check once it has settled.
    this.timer = setTimeout(() => {
      this.timer = undefined;
      const uris = [...this.pending].map((u) => vscode.Uri.parse(u));
      this.pending.clear();
      void this.check(uris);
    }, 500);
  }

  /** Check every Word document and PDF of the workspace. */
  async checkWorkspace(userAsked: boolean): Promise<void> {
    const found = (await vscode.workspace.findFiles(REPORT_FILES_GLOB, EXCLUDE_GLOB)).filter((u) => isReportFile(u.fsPath));
    // Forget files that are gone.
    const present = new Set(found.map((u) => u.toString()));
    this.collection.forEach((uri) => {
      if (!present.has(uri.toString())) this.collection.delete(uri);
    });
    const counts = await this.check(found);
    if (userAsked) {
      void vscode.window.showInformationMessage(
        found.length === 0
          ? "年度报告检查：工作区中没有 .docx 或 .pdf 文件。（.txt、.md、.html 文件打开即检查。）"
          : `年度报告检查：已检查工作区中的 ${found.length} 个 Word/PDF 文件，` +
              `${counts.reports} 个是年度报告，共 ${counts.findings} 个问题（见“问题”面板）` +
              (counts.errors > 0 ? `；${counts.errors} 个文件无法读取（见“Gov Report”输出）` : "") +
              "。",
      );
    }
  }

  /** Check these files and show their findings; returns what was found. */
  async check(uris: vscode.Uri[]): Promise<{ reports: number; findings: number; errors: number }> {
    const counts = { reports: 0, findings: 0, errors: 0 };
    const c = this.client();
    if (!c || !c.isRunning()) {
      this.log("[Word/PDF] 语言服务器未运行，暂不检查工作区中的 Word/PDF 文件");
      return counts;
    }
    for (let i = 0; i < uris.length; i += BATCH) {
      const slice = uris.slice(i, i + BATCH);
      let reports: FileReport[];
      try {
        reports = await c.sendRequest<FileReport[]>("govReport/checkFiles", { uris: slice.map((u) => u.toString()) });
      } catch (err) {
        this.log(`[Word/PDF] 检查失败：${err instanceof Error ? err.message : String(err)}`);
        return counts;
      }
      for (const r of reports) {
        const uri = vscode.Uri.parse(r.uri);
        if (r.error) {
          counts.errors++;
          this.log(`[Word/PDF] ${uri.fsPath}：${r.error}`);
          this.collection.set(uri, [
            new vscode.Diagnostic(new vscode.Range(0, 0, 0, 0), `无法检查：${r.error}`, vscode.DiagnosticSeverity.Warning),
          ]);
          continue;
        }
        if (r.skipped) {
          this.collection.delete(uri);
          continue;
        }
        counts.reports++;
        counts.findings += r.diagnostics.length;
        this.collection.set(uri, r.diagnostics.map(toDiagnostic));
      }
    }
    return counts;
  }
}
