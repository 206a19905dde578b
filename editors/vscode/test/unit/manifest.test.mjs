// The per-rule settings in package.json must list exactly the server's rules.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { rulesFromSource, rulesSetting } from "../../scripts/sync-rules.mjs";

const pkg = JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8"));

// `vscode:prepublish` runs sync-rules, so a packaged .vsix always lists every rule;
// the committed package.json may lag behind a newly added rule (it still works via
// additionalProperties), but must never list a rule that no longer exists.
test("govReport.rules lists only real rules, with their summaries (else: npm run sync-rules)", () => {
  const fromSource = rulesFromSource();
  assert.ok(Object.keys(fromSource).length >= 10, "rules found in src/rules");
  const props = rulesSetting(pkg).properties;
  assert.ok(Object.keys(props).length >= 10, "rules listed in package.json");
  for (const [id, v] of Object.entries(props)) {
    assert.ok(id in fromSource, `package.json lists rule ${id}, which is not in src/rules`);
    assert.deepEqual(v.enum, ["off", "info", "warning", "error"], id);
  }
});

test("sync-rules lists every rule in src/rules with its summary", async () => {
  const { execFileSync } = await import("node:child_process");
  const { mkdtempSync, copyFileSync, mkdirSync } = await import("node:fs");
  const { tmpdir } = await import("node:os");
  const { join } = await import("node:path");
  // Run the script on a copy laid out like the repo, so the real package.json is untouched.
  const root = mkdtempSync(join(tmpdir(), "sync-rules-"));
  const ext = join(root, "editors", "vscode");
  mkdirSync(join(ext, "scripts"), { recursive: true });
  mkdirSync(join(root, "src", "rules"), { recursive: true });
  const rulesDir = new URL("../../../../src/rules/", import.meta.url);
  for (const f of (await import("node:fs")).readdirSync(rulesDir)) copyFileSync(new URL(f, rulesDir), join(root, "src", "rules", f));
  copyFileSync(new URL("../../scripts/sync-rules.mjs", import.meta.url), join(ext, "scripts", "sync-rules.mjs"));
  copyFileSync(new URL("../../package.json", import.meta.url), join(ext, "package.json"));
  execFileSync("node", [join(ext, "scripts", "sync-rules.mjs")]);
  const synced = JSON.parse(readFileSync(join(ext, "package.json"), "utf8"));
  const props = rulesSetting(synced).properties;
  assert.deepEqual(Object.fromEntries(Object.entries(props).map(([k, v]) => [k, v.description])), rulesFromSource());
});

test("every command has a Chinese title; activated by text, Markdown and web pages, and by Word/PDF files in the workspace", () => {
  for (const c of pkg.contributes.commands) assert.match(c.title, /[\u4e00-\u9fff]/, c.command);
  assert.deepEqual(pkg.activationEvents, [
    "onLanguage:plaintext",
    "onLanguage:markdown",
    "onLanguage:html",
    "workspaceContains:**/*.docx",
    "workspaceContains:**/*.pdf",
  ]);
  const check = pkg.contributes.commands.find((c) => c.command === "govReport.checkWorkspace");
  assert.equal(`${check.category}: ${check.title}`, "年度报告: 检查工作区中的所有报告");
});

test("the extension page and settings speak Chinese: name, setting categories, an icon that is packaged", () => {
  assert.match(pkg.displayName, /[\u4e00-\u9fff]/);
  const categories = [pkg.contributes.configuration].flat();
  assert.ok(categories.length >= 2, "settings are grouped in categories");
  for (const c of categories) {
    assert.match(c.title, /^[\u4e00-\u9fff]/, `category ${c.id} has a Chinese title`);
    for (const [key, p] of Object.entries(c.properties)) {
      // VS Code derives a setting's label from its key: the description names it in Chinese first.
      assert.match(p.markdownDescription ?? p.description, /^\*\*[\u4e00-\u9fff]/, key);
    }
  }
  assert.equal(pkg.icon, "images/icon.png");
  const png = readFileSync(new URL(`../../${pkg.icon}`, import.meta.url));
  assert.equal(png.subarray(1, 4).toString("latin1"), "PNG");
  assert.ok(png.readUInt32BE(16) >= 128 && png.readUInt32BE(20) >= 128, "the Marketplace wants at least 128×128");
  const ignore = readFileSync(new URL("../../.vscodeignore", import.meta.url), "utf8");
  assert.ok(!/^images/m.test(ignore), "images/ is packaged");
});
