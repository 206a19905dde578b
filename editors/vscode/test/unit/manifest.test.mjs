// The per-rule settings in package.json must list exactly the server's rules.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync, readdirSync } from "node:fs";

const pkg = JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8"));
const rulesDir = new URL("../../../../src/rules/", import.meta.url);

test("govReport.rules lists every rule in src/rules with its summary", () => {
  const fromSource = {};
  for (const f of readdirSync(rulesDir)) {
    const src = readFileSync(new URL(f, rulesDir), "utf8");
    const id = /\bid: "([^"]+)"/.exec(src);
    const summary = /\bsummary: "([^"]+)"/.exec(src);
    if (id && summary) fromSource[id[1]] = summary[1];
  }
  const props = pkg.contributes.configuration.properties["govReport.rules"].properties;
  const fromManifest = Object.fromEntries(Object.entries(props).map(([k, v]) => [k, v.description]));
  assert.deepEqual(fromManifest, fromSource);
});

test("every command has a Chinese title and is activated by plaintext/markdown", () => {
  for (const c of pkg.contributes.commands) assert.match(c.title, /[\u4e00-\u9fff]/, c.command);
  assert.deepEqual(pkg.activationEvents, ["onLanguage:plaintext", "onLanguage:markdown"]);
});
