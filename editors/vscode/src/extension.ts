// VS Code client for the gov-report-lsp language server.

import * as vscode from "vscode";
import {
  CloseAction,
  CloseHandlerResult,
  DidChangeConfigurationNotification,
  ErrorAction,
  ErrorHandlerResult,
  LanguageClient,
  LanguageClientOptions,
  NotificationType,
  RevealOutputChannelOn,
  ServerOptions,
  State,
  TransportKind,
} from "vscode-languageclient/node";

import { checksDocument, DOCUMENT_SELECTOR } from "./documents";
import { ReportFiles } from "./reportFiles";
import { explainCapability, EXPLAIN_COMMAND, registerExplain } from "./explain";
import { resolveServer, Resolution } from "./serverPath";
import { toServerSettings, ServerSettings } from "./settings";
import { ReportInfo, statusView, yearFromText } from "./status";
import { suppressionMiddleware } from "./suppression";

const SECTION = "govReport";
/** `Diagnostic.source` set by the server. */
const DIAGNOSTIC_SOURCE = "gov-report";
const FIX_ALL_KIND = vscode.CodeActionKind.SourceFixAll.append("gov-report");
const reportInfoType = new NotificationType<ReportInfo>("govReport/reportInfo");

/** Crashes tolerated within CRASH_WINDOW_MS before the client stops restarting. */
const MAX_RESTARTS = 4;
const CRASH_WINDOW_MS = 3 * 60 * 1000;

let client: LanguageClient | undefined;
let serverPath: string | undefined;
let output: vscode.OutputChannel;
let statusItem: vscode.StatusBarItem;
let extensionDir: string;
const reportInfos = new Map<string, ReportInfo>();
let crashes: number[] = [];
let shownSettingProblems = "";
/** Word documents and PDFs of the workspace, listed in Problems (reportFiles.ts). */
let reportFiles: ReportFiles | undefined;

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  extensionDir = context.extensionPath;
  output = vscode.window.createOutputChannel("Gov Report");
  statusItem = vscode.window.createStatusBarItem("govReport.status", vscode.StatusBarAlignment.Left, 100);
  statusItem.name = "年度报告检查";
  statusItem.command = "workbench.actions.view.problems";
  context.subscriptions.push(output, statusItem);
  reportFiles = new ReportFiles(() => client, (line) => output.appendLine(line));
  context.subscriptions.push(reportFiles);

  context.subscriptions.push(
    vscode.commands.registerCommand("govReport.fixAll", fixAll),
    vscode.commands.registerCommand("govReport.restartServer", () => restart("用户命令")),
    vscode.commands.registerCommand("govReport.showOutput", () => output.show(true)),
    vscode.workspace.onDidChangeConfiguration(onConfigurationChanged),
    vscode.window.onDidChangeActiveTextEditor(() => updateStatus()),
    vscode.languages.onDidChangeDiagnostics(() => updateStatus()),
    vscode.workspace.onDidCloseTextDocument((doc) => reportInfos.delete(doc.uri.toString())),
  );
  registerExplain(context, () => serverPath);

  lifecycle = startClient();
  await lifecycle;
}

export async function deactivate(): Promise<void> {
  await stopClient();
}

function serverSettings(): ServerSettings {
  const { settings, problems } = toServerSettings(vscode.workspace.getConfiguration(SECTION));
  const key = problems.join("\n");
  if (key !== "" && key !== shownSettingProblems) {
    output.appendLine(`[设置] ${key}`);
    void vscode.window.showWarningMessage(`年度报告检查：${problems[0]}`, "打开设置").then((choice) => {
      if (choice) {
        void vscode.commands.executeCommand("workbench.action.openSettings", SECTION);
      }
    });
  }
  shownSettingProblems = key;
  return settings;
}

function resolve(): Resolution {
  const configured = vscode.workspace.getConfiguration(SECTION).get<string>("server.path") ?? "";
  return resolveServer({
    configured,
    extensionDir,
    workspaceDir: vscode.workspace.workspaceFolders?.[0]?.uri.fsPath,
    envPath: process.env.PATH,
    platform: process.platform,
  });
}

async function startClient(): Promise<void> {
  const found = resolve();
  if (!found.ok) {
    serverPath = undefined;
    const msg =
      `年度报告检查：找不到语言服务器 gov-report-lsp。${found.reason}` +
      `已尝试：${found.tried.join("；")}。` +
      "修复方法：在设置 govReport.server.path 中填写 gov-report-lsp 可执行文件的完整路径，" +
      "或安装带服务器的扩展包（.vsix），或把 gov-report-lsp 放到 PATH 中。";
    output.appendLine(msg);
    updateStatus();
    // Not awaited: activation must not wait for the user to dismiss the message.
    void vscode.window.showErrorMessage(msg, "打开设置", "显示输出").then(onNotificationChoice);
    return;
  }
  serverPath = found.path;
  output.appendLine(`[启动] 使用语言服务器 ${found.path}（来源：${sourceLabel(found.source)}）`);

  const serverOptions: ServerOptions = {
    command: found.path,
    transport: TransportKind.stdio, // appends `--stdio`
    options: { env: { ...process.env, RUST_BACKTRACE: "1" } },
  };
  const clientOptions: LanguageClientOptions = {
    documentSelector: DOCUMENT_SELECTOR,
    initializationOptions: serverSettings(),
    // Hovers link “规则说明” to the command that shows the rule's explanation.
    markdown: { isTrusted: { enabledCommands: [EXPLAIN_COMMAND] } },
    middleware: { executeCommand: suppressionMiddleware((line) => output.appendLine(line)) },
    outputChannel: output,
    // Failed requests are logged to the output channel; the user-facing notifications
    // (server missing, start failed, crashed) are the extension's own, in Chinese.
    revealOutputChannelOn: RevealOutputChannelOn.Never,
    errorHandler: {
      error: (error, _message, count): ErrorHandlerResult => {
        output.appendLine(`[错误] 与语言服务器通信出错（第 ${count ?? 1} 次）：${error.message}`);
        return { action: (count ?? 1) <= 3 ? ErrorAction.Continue : ErrorAction.Shutdown, handled: true };
      },
      closed: (): CloseHandlerResult => onServerClosed(found.path),
    },
  };

  const c = new LanguageClient(SECTION, "年度报告检查", serverOptions, clientOptions);
  c.registerFeature({
    fillClientCapabilities: (caps) => {
      caps.experimental = { ...(caps.experimental as object | undefined), ...explainCapability };
    },
    initialize: () => undefined,
    getState: () => ({ kind: "static" }),
    clear: () => undefined,
  });
  client = c;
  c.onNotification(reportInfoType, (info) => {
    reportInfos.set(normalizeUri(info.uri), info);
    updateStatus();
  });
  c.onDidChangeState((e) => {
    if (e.newState === State.Stopped) {
      reportInfos.clear();
    }
    updateStatus();
  });
  try {
    await c.start();
    output.appendLine(`[启动] 语言服务器已就绪`);
    void reportFiles?.checkWorkspace(false);
  } catch (err) {
    const detail = err instanceof Error ? err.message : String(err);
    output.appendLine(`[错误] 语言服务器启动失败：${detail}`);
    void vscode.window
      .showErrorMessage(
        `年度报告检查：语言服务器 ${found.path} 启动失败（${detail}）。` +
          "请在“显示服务器输出”中查看原因；如果该文件不是 gov-report-lsp，请修改设置 govReport.server.path。",
        "显示输出",
        "打开设置",
      )
      .then(onNotificationChoice);
  }
  updateStatus();
}

function onServerClosed(path: string): CloseHandlerResult {
  const now = Date.now();
  crashes = crashes.filter((t) => now - t < CRASH_WINDOW_MS);
  crashes.push(now);
  if (crashes.length <= MAX_RESTARTS) {
    output.appendLine(`[重启] 语言服务器意外退出，正在重启（${crashes.length}/${MAX_RESTARTS}）：${path}`);
    return { action: CloseAction.Restart, handled: true };
  }
  const msg =
    `年度报告检查：语言服务器 ${path} 在 3 分钟内崩溃了 ${crashes.length} 次，已停止自动重启。` +
    "请查看服务器输出中的错误信息；修复后运行命令“年度报告: 重启语言服务器”。";
  output.appendLine(`[停止] ${msg}`);
  void vscode.window.showErrorMessage(msg, "显示输出", "重启语言服务器").then(onNotificationChoice);
  return { action: CloseAction.DoNotRestart, handled: true };
}

async function stopClient(): Promise<void> {
  const c = client;
  client = undefined;
  reportInfos.clear();
  if (c) {
    try {
      await c.dispose(2000);
    } catch (err) {
      output.appendLine(`[停止] ${err instanceof Error ? err.message : String(err)}`);
    }
  }
}

function onNotificationChoice(choice: string | undefined): void {
  if (choice === "打开设置") {
    void vscode.commands.executeCommand("workbench.action.openSettings", `${SECTION}.server.path`);
  } else if (choice === "显示输出") {
    output.show(true);
  } else if (choice === "重启语言服务器") {
    void restart("用户在崩溃提示中选择重启");
  }
}

/** Restarts run one after another, so quick setting changes never leave two servers. */
let lifecycle: Promise<void> = Promise.resolve();

function restart(why: string): Promise<void> {
  lifecycle = lifecycle.catch(() => undefined).then(async () => {
    output.appendLine(`[重启] ${why}`);
    crashes = [];
    await stopClient();
    await startClient();
  });
  return lifecycle;
}

async function onConfigurationChanged(e: vscode.ConfigurationChangeEvent): Promise<void> {
  if (!e.affectsConfiguration(SECTION)) {
    return;
  }
  if (e.affectsConfiguration(`${SECTION}.server.path`)) {
    await restart("设置 govReport.server.path 已修改");
    return;
  }
  const c = client;
  if (c && c.state === State.Running) {
    const settings = serverSettings();
    output.appendLine(`[设置] 已发送新设置：${JSON.stringify(settings)}`);
    await c.sendNotification(DidChangeConfigurationNotification.type, { settings });
    // The server re-analyses open documents and pushes, or asks VS Code to re-pull
    // (workspace/diagnostic/refresh); the e2e test checks that the change shows up.
  }
}

async function fixAll(): Promise<void> {
  const editor = vscode.window.activeTextEditor;
  if (!editor) {
    void vscode.window.showInformationMessage("年度报告检查：请先打开一份年度报告。");
    return;
  }
  if (!client || client.state !== State.Running) {
    void vscode.window.showWarningMessage("年度报告检查：语言服务器未运行，无法修复。请运行“年度报告: 重启语言服务器”。");
    return;
  }
  const doc = editor.document;
  let applied = 0;
  const done: string[] = [];
  // Fixes that overlap are skipped by the server in one pass; a few passes converge.
  for (let pass = 0; pass < 5; pass++) {
    const whole = new vscode.Range(doc.positionAt(0), doc.positionAt(doc.getText().length));
    const actions =
      (await vscode.commands.executeCommand<(vscode.CodeAction | vscode.Command)[]>(
        "vscode.executeCodeActionProvider",
        doc.uri,
        whole,
        FIX_ALL_KIND.value,
      )) ?? [];
    let changed = false;
    for (const action of actions) {
      if (!("kind" in action) || !action.kind || !FIX_ALL_KIND.contains(action.kind)) {
        continue;
      }
      if (action.edit && action.edit.size > 0) {
        const before = doc.version;
        if (await vscode.workspace.applyEdit(action.edit)) {
          changed = changed || doc.version !== before;
          done.push(action.title);
        }
      }
      if (action.command) {
        await vscode.commands.executeCommand(action.command.command, ...(action.command.arguments ?? []));
      }
    }
    if (!changed) {
      break;
    }
    applied++;
  }
  if (applied === 0) {
    void vscode.window.showInformationMessage("年度报告检查：没有可以自动修复的问题。");
  } else {
    // The server's title says how many fixes it applied, e.g. 修复全部可安全修复的问题（2 处）.
    vscode.window.setStatusBarMessage(`$(check) 已应用：${done.join("；")}`, 5000);
  }
}

function sourceLabel(source: string): string {
  return source === "setting" ? "设置 govReport.server.path" : source === "bundled" ? "扩展自带" : "PATH";
}

function normalizeUri(uri: string): string {
  try {
    return vscode.Uri.parse(uri).toString();
  } catch {
    return uri;
  }
}

function updateStatus(): void {
  const editor = vscode.window.activeTextEditor;
  const doc = editor?.document;
  if (!doc || !checksDocument(doc)) {
    statusItem.hide();
    return;
  }
  if (!client || client.state === State.Stopped) {
    statusItem.text = "$(error) 年度报告检查未运行";
    statusItem.tooltip = serverPath ? `语言服务器：${serverPath}` : "找不到语言服务器 gov-report-lsp（见设置 govReport.server.path）";
    statusItem.command = "govReport.showOutput";
    statusItem.show();
    return;
  }
  statusItem.command = "workbench.actions.view.problems";
  const key = doc.uri.toString();
  let info = reportInfos.get(key);
  // Pushed diagnostics live in client.diagnostics, pulled ones (VS Code pulls when the
  // server offers it) in another collection: count what VS Code shows from this server.
  const diags = vscode.languages.getDiagnostics(doc.uri).filter((d) => d.source === DIAGNOSTIC_SOURCE);
  if (!info) {
    // Derived client-side when the server sends no govReport/reportInfo.
    if (diags.length === 0) {
      statusItem.hide();
      return;
    }
    info = { uri: key, isReport: true, year: yearFromText(doc.getText()) };
  }
  if (info.isReport === false) {
    statusItem.hide();
    return;
  }
  // Counts come from what VS Code shows, so they match the Problems panel.
  info = {
    ...info,
    errors: diags.filter((d) => d.severity === vscode.DiagnosticSeverity.Error).length,
    warnings: diags.filter((d) => d.severity === vscode.DiagnosticSeverity.Warning).length,
    infos: diags.filter(
      (d) => d.severity === vscode.DiagnosticSeverity.Information || d.severity === vscode.DiagnosticSeverity.Hint,
    ).length,
  };
  const view = statusView(info);
  statusItem.text = `$(checklist) ${view.text}`;
  statusItem.tooltip = view.tooltip;
  statusItem.show();
}
