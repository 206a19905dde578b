// The per-rule settings in package.json must list exactly the server's rules.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { rulesFromSource } from "../../scripts/sync-rules.mjs";

const pkg = JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8"));

// `vscode:prepublish` runs sync-rules, so a packaged .vsix always lists every rule;
// the committed package.json may lag behind a newly added rule (it still works via
// additionalProperties), but must never list a rule that no longer exists.
test("govReport.rules lists only real rules, with their summaries (else: npm run sync-rules)", () => {
  const fromSource = rulesFromSource();
  assert.ok(Object.keys(fromSource).length >= 10, "rules found in src/rules");
  const props = pkg.contributes.configuration.properties["govReport.rules"].properties;
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
  const props = synced.contributes.configuration.properties["govReport.rules"].properties;
  assert.deepEqual(Object.fromEntries(Object.entries(props).map(([k, v]) => [k, v.description])), rulesFromSource());
});

test("every command has a Chinese title and is activated by plaintext/markdown", () => {
  for (const c of pkg.contributes.commands) assert.match(c.title, /[\u4e00-\u9fff]/, c.command);
  assert.deepEqual(pkg.activationEvents, ["onLanguage:plaintext", "onLanguage:markdown"]);
});
