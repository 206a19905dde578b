// After the “不再提示…（写入 gov-report.toml）” quick fix: the server's code
// action ends with the command `gov-report.suppressionWritten`. Instead of
// sending it back to the server (which would only print a message), the
// extension says what was written, in a notification that can open the file
// or undo the change: the file is otherwise invisible and Ctrl+Z in the
// report cannot undo it.

import * as vscode from "vscode";

export const SUPPRESSION_WRITTEN = "gov-report.suppressionWritten";

/** The command's argument, as the server sends it. */
export interface Written {
  uri: string;
  path: string;
  created: boolean;
  inserted: string;
  rule: string;
  text: string;
}

function isWritten(v: unknown): v is Written {
  const w = v as Written;
  return !!w && typeof w.uri === "string" && typeof w.inserted === "string" && typeof w.rule === "string";
}

function fileName(w: Written): string {
  return w.path.split(/[\\/]/).pop() || "gov-report.toml";
}

/** Removes what the quick fix wrote: the whole file if it created it, else the appended entry. */
async function undo(w: Written, log: (line: string) => void): Promise<void> {
  const uri = vscode.Uri.parse(w.uri);
  let doc: vscode.TextDocument;
  try {
    doc = await vscode.workspace.openTextDocument(uri);
  } catch {
    void vscode.window.showWarningMessage(`年度报告检查：找不到 ${w.path}，无需撤销。`);
    return;
  }
  const text = doc.getText();
  const edit = new vscode.WorkspaceEdit();
  if (w.created && text === w.inserted) {
    edit.deleteFile(uri, { ignoreIfNotExists: true });
  } else if (text.endsWith(w.inserted)) {
    edit.delete(uri, new vscode.Range(doc.positionAt(text.length - w.inserted.length), doc.positionAt(text.length)));
  } else {
    // Changed since: never remove what the user wrote; show the file instead.
    void vscode.window.showWarningMessage(
      `年度报告检查：${fileName(w)} 在写入后又被修改，无法自动撤销。请在打开的文件中删除规则 ${w.rule} 的那条 [[ignore]]。`,
    );
    await vscode.window.showTextDocument(doc);
    return;
  }
  if (!(await vscode.workspace.applyEdit(edit))) {
    void vscode.window.showErrorMessage(`年度报告检查：无法撤销对 ${w.path} 的修改。`);
    return;
  }
  if (!(w.created && text === w.inserted)) {
    await doc.save();
  }
  log(`[忽略] 已撤销：${w.path} 中的 ${w.rule}（“${w.text}”）`);
}

/** The language client's `executeCommand` middleware. */
export function suppressionMiddleware(log: (line: string) => void) {
  return async (command: string, args: unknown[], next: (command: string, args: unknown[]) => unknown) => {
    const w = args[0];
    if (command !== SUPPRESSION_WRITTEN || !isWritten(w)) {
      return next(command, args);
    }
    const name = fileName(w);
    log(`[忽略] ${w.created ? "已创建" : "已写入"} ${w.path}：${w.rule}（“${w.text}”）`);
    const open = `打开 ${name}`;
    // Not awaited: the quick fix is done; the notification stays until dismissed.
    void vscode.window
      .showInformationMessage(
        `年度报告检查：${w.created ? "已创建" : "已写入"} ${name}，不再提示 ${w.rule} 对“${w.text}”的检查。`,
        "撤销",
        open,
      )
      .then(async (choice) => {
        if (choice === "撤销") {
          await undo(w, log);
        } else if (choice === open) {
          await vscode.window.showTextDocument(vscode.Uri.parse(w.uri));
        }
      });
    return undefined;
  };
}
