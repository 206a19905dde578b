// “规则说明”: a rule's explanation shown inside the editor. The text is the
// server binary's own `--explain RULE` output (the same the command line and
// docs/rules.md show), rendered as a read-only Markdown preview, so nothing
// depends on a web address that an office intranet may not reach.

import { execFile } from "child_process";
import * as vscode from "vscode";

export const EXPLAIN_COMMAND = "govReport.explainRule";
const SCHEME = "gov-report-rule";

/** `experimental` client capability telling the server which command its hovers may link. */
export const explainCapability = { govReport: { explainRuleCommand: EXPLAIN_COMMAND } };

/** Rule ids and summaries, from the extension's own `govReport.rules` setting schema. */
function knownRules(context: vscode.ExtensionContext): { id: string; summary: string }[] {
  const props =
    context.extension.packageJSON?.contributes?.configuration?.find?.(
      (c: { properties?: Record<string, unknown> }) => c.properties?.["govReport.rules"],
    )?.properties?.["govReport.rules"]?.properties ?? {};
  return Object.entries(props as Record<string, { description?: string }>).map(([id, p]) => ({
    id,
    summary: p.description ?? "",
  }));
}

function explainText(server: string, rule: string): Promise<string> {
  return new Promise((resolve) => {
    execFile(server, ["--explain", rule], { encoding: "utf8", timeout: 10000 }, (err, stdout, stderr) => {
      if (err && !stdout) {
        resolve(`# ${rule}\n\n无法获取规则说明：${(stderr || err.message).trim()}\n`);
      } else {
        resolve(stdout);
      }
    });
  });
}

/**
 * Registers the command (argument: a rule id; without one, a list to pick
 * from) and the read-only documents it shows. `server()` is the binary in use.
 */
export function registerExplain(context: vscode.ExtensionContext, server: () => string | undefined): void {
  const provider: vscode.TextDocumentContentProvider = {
    provideTextDocumentContent: async (uri) => {
      const rule = uri.path.replace(/^\//, "").replace(/\.md$/, "");
      const bin = server();
      if (!bin) {
        return `# ${rule}\n\n语言服务器 gov-report-lsp 未找到，无法显示规则说明（见设置 govReport.server.path）。\n`;
      }
      return explainText(bin, rule);
    },
  };
  context.subscriptions.push(
    vscode.workspace.registerTextDocumentContentProvider(SCHEME, provider),
    vscode.commands.registerCommand(EXPLAIN_COMMAND, async (rule?: unknown) => {
      let id = typeof rule === "string" ? rule : undefined;
      if (!id) {
        const picked = await vscode.window.showQuickPick(
          knownRules(context).map((r) => ({ label: r.id, description: r.summary })),
          { title: "查看规则说明", placeHolder: "选择一条规则" },
        );
        id = picked?.label;
      }
      if (!id || !/^[a-z][a-z-]*$/.test(id)) {
        return;
      }
      const uri = vscode.Uri.from({ scheme: SCHEME, path: `/${id}.md` });
      try {
        await vscode.commands.executeCommand("markdown.showPreview", uri);
      } catch {
        // No Markdown preview (the built-in extension disabled): show the text.
        const doc = await vscode.workspace.openTextDocument(uri);
        await vscode.window.showTextDocument(doc, { preview: true });
      }
    }),
  );
}
