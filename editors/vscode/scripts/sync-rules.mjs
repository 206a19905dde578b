// Regenerates the per-rule entries of `govReport.rules` in package.json from
// src/rules/*.rs (id + Chinese summary), so the settings UI lists every rule.
// test/unit/manifest.test.mjs fails when they drift: run `npm run sync-rules`.
import { readFileSync, readdirSync, writeFileSync } from "node:fs";

const rulesDir = new URL("../../../src/rules/", import.meta.url);
const pkgUrl = new URL("../package.json", import.meta.url);

export function rulesFromSource() {
  const rules = {};
  for (const f of readdirSync(rulesDir).sort()) {
    const src = readFileSync(new URL(f, rulesDir), "utf8");
    const id = /\bid: "([^"]+)"/.exec(src);
    const summary = /\bsummary: "([^"]+)"/.exec(src);
    if (id && summary) rules[id[1]] = summary[1];
  }
  return rules;
}

/** The `govReport.rules` schema, in whichever settings category holds it. */
export function rulesSetting(pkg) {
  const categories = [pkg.contributes.configuration].flat();
  const found = categories.find((c) => c.properties && c.properties["govReport.rules"]);
  if (!found) throw new Error("package.json has no govReport.rules setting");
  return found.properties["govReport.rules"];
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const pkg = JSON.parse(readFileSync(pkgUrl, "utf8"));
  const setting = rulesSetting(pkg);
  const level = setting.additionalProperties;
  setting.properties = Object.fromEntries(
    Object.entries(rulesFromSource()).map(([id, summary]) => [id, { ...level, description: summary }]),
  );
  const text = `${JSON.stringify(pkg, null, 2)}\n`;
  // Written only when it changes: a newer package.json makes the e2e test repackage.
  if (text !== readFileSync(pkgUrl, "utf8")) writeFileSync(pkgUrl, text);
  console.log(`govReport.rules: ${Object.keys(setting.properties).length} rules`);
}
