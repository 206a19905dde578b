// End-to-end test in a real VS Code: code-server (VS Code 1.100.3, from npm)
// driven headless by Debian's chromium through playwright-core.
//
// Installs the freshly packaged .vsix offline, opens a seed report containing
// 结果维护, and asserts from the page: the squiggle under it, its Problems entry,
// the status bar, the quick fix turning it into 结果维持 (in the editor and on
// disk), hover and breadcrumbs (outline), `govReport.rules` {"table-label":"off"}
// removing the diagnostic without reload, the fix-all command, fix-all on save,
// and the notifications for a missing and a crashing server; a Word document
// copied into the workspace listed in Problems with its place in words, the
// check-workspace command, and the list cleared when the file is fixed on disk.
// Saves screenshot.png.
//
// Env: GOV_REPORT_E2E_CACHE (where code-server is installed and reused),
//      GOV_REPORT_E2E_KEEP=1 (keep the temp folder), CHROMIUM (browser path),
//      GOV_REPORT_E2E_VSIX (test this .vsix instead of gov-report-lsp.vsix).

import { spawn, spawnSync } from "node:child_process";
import {
  chmodSync, copyFileSync, createWriteStream, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync,
  writeFileSync,
} from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const CODE_SERVER_VERSION = "4.100.3";
// @vscode/ripgrep 1.15.11 (pinned by code-server 4.100.3) downloads this asset in its
// postinstall; the network here cannot reach GitHub, so its cache is pre-seeded with Debian's rg.
const RIPGREP_CACHE = "vscode-ripgrep-cache-1.15.11";
const RIPGREP_ASSET = "ripgrep-v13.0.0-10-x86_64-unknown-linux-musl.tar.gz";

const here = dirname(fileURLToPath(import.meta.url));
const extDir = resolve(here, "..");
const repo = resolve(extDir, "..", "..");
const SEED = "000_4ae5941108e95401.txt";
const NOTE = "会议记录.md";
const MD_REPORT = "年度报告.md";
const seedPath = join(repo, "tests", "examples", SEED);
const vsix = process.env.GOV_REPORT_E2E_VSIX ? resolve(process.env.GOV_REPORT_E2E_VSIX) : join(extDir, "gov-report-lsp.vsix");
const screenshot = join(extDir, "images", "screenshot.png");
const chromiumPath = process.env.CHROMIUM || "/usr/lib/chromium/chromium";

const started = Date.now();
const log = (msg) => console.log(`[e2e ${((Date.now() - started) / 1000).toFixed(1)}s] ${msg}`);
function fail(msg) {
  throw new Error(msg);
}

function run(cmd, args, opts = {}) {
  const r = spawnSync(cmd, args, { stdio: "inherit", ...opts });
  if (r.error) fail(`${cmd} could not start: ${r.error.message}`);
  if (r.status !== 0) fail(`${cmd} ${args.join(" ")} exited with ${r.status}`);
  return r;
}

function newestMtime(dir) {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(p) : statSync(p).mtimeMs);
  }
  return newest;
}

/** Packages the extension when the .vsix is missing or older than its sources (TypeScript or Rust). */
function ensureVsix() {
  if (process.env.GOV_REPORT_E2E_VSIX) return;
  const sources = Math.max(newestMtime(join(extDir, "src")), newestMtime(join(repo, "src")), statSync(join(extDir, "package.json")).mtimeMs);
  if (existsSync(vsix) && statSync(vsix).mtimeMs >= sources) return;
  log(`${vsix} ${existsSync(vsix) ? "is older than its sources" : "is missing"}: running npm run package`);
  run("npm", ["run", "package"], { cwd: extDir });
}

function ensureCodeServer() {
  const cache = process.env.GOV_REPORT_E2E_CACHE || join(tmpdir(), "gov-report-e2e-cache");
  const dir = join(cache, `code-server-${CODE_SERVER_VERSION}`);
  const bin = join(dir, "node_modules", ".bin", "code-server");
  const marker = join(dir, ".installed");
  if (existsSync(marker) && existsSync(bin)) {
    log(`reusing code-server ${CODE_SERVER_VERSION} from ${dir}`);
    return bin;
  }
  log(`installing code-server ${CODE_SERVER_VERSION} into ${dir} (about 1-2 minutes)`);
  const rg = spawnSync("sh", ["-c", "command -v rg"], { encoding: "utf8" }).stdout.trim();
  if (!rg) fail("ripgrep (rg) is not installed: run `bash .ci/install.sh` (apt-get install ripgrep)");
  const rgCache = join(tmpdir(), RIPGREP_CACHE);
  mkdirSync(rgCache, { recursive: true });
  if (!existsSync(join(rgCache, RIPGREP_ASSET))) {
    const stage = mkdtempSync(join(tmpdir(), "rg-stage-"));
    copyFileSync(rg, join(stage, "rg"));
    run("tar", ["-czf", join(rgCache, RIPGREP_ASSET), "-C", stage, "rg"]);
    rmSync(stage, { recursive: true, force: true });
  }
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, "package.json"), '{"private":true}\n');
  run("npm", ["install", "--no-audit", "--no-fund", "--foreground-scripts", `code-server@${CODE_SERVER_VERSION}`], {
    cwd: dir,
    env: { ...process.env, npm_config_unsafe_perm: "true", npm_config_yes: "true" },
  });
  if (!existsSync(bin)) fail(`npm installed code-server but ${bin} is missing`);
  writeFileSync(marker, `${new Date().toISOString()}\n`);
  return bin;
}

function freePort() {
  return new Promise((res, rej) => {
    const srv = createServer();
    srv.unref();
    srv.on("error", rej);
    srv.listen(0, "127.0.0.1", () => {
      const { port } = srv.address();
      srv.close(() => res(port));
    });
  });
}

async function waitHealthy(url, child, ms) {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    if (child.exitCode !== null) fail(`code-server exited early with ${child.exitCode}`);
    try {
      const r = await fetch(url);
      if (r.ok) return;
    } catch {
      /* not up yet */
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  fail(`code-server did not answer ${url} within ${ms} ms`);
}

function quietSettings() {
  return {
    "workbench.startupEditor": "none",
    "security.workspace.trust.enabled": false,
    "telemetry.telemetryLevel": "off",
    "update.mode": "none",
    "extensions.autoUpdate": false,
    "extensions.autoCheckUpdates": false,
    "workbench.tips.enabled": false,
    "workbench.enableExperiments": false,
    "editor.minimap.enabled": false,
    "files.autoSave": "off",
    "window.commandCenter": false,
    "chat.commandCenter.enabled": false,
    // The test types JSON into settings.json: no auto-closing or auto-indent.
    "editor.autoClosingBrackets": "never",
    "editor.autoClosingQuotes": "never",
    "editor.autoIndent": "none",
    "editor.suggestOnTriggerCharacters": false,
    "editor.quickSuggestions": { "other": false, "comments": false, "strings": false },
  };
}

function writeUserSettings(userData) {
  mkdirSync(join(userData, "User"), { recursive: true });
  writeFileSync(join(userData, "User", "settings.json"), JSON.stringify(quietSettings(), null, 2));
}

function findFile(dir, pred) {
  if (!existsSync(dir)) return undefined;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, entry.name);
    if (entry.isDirectory()) {
      const found = findFile(p, pred);
      if (found) return found;
    } else if (pred(entry.name)) {
      return p;
    }
  }
  return undefined;
}

let userDataDir;
const countOf = (text, needle) => text.split(needle).length - 1;

async function main() {
  if (!existsSync(chromiumPath)) fail(`chromium not found at ${chromiumPath}: run \`bash .ci/install.sh\` (apt-get install chromium)`);
  const { chromium } = await import("playwright-core");
  ensureVsix();
  const codeServer = ensureCodeServer();

  const tmp = mkdtempSync(join(tmpdir(), "gov-report-e2e-"));
  const dirs = Object.fromEntries(
    ["userData", "extensions", "xdgConfig", "xdgData", "workspace"].map((d) => [d, join(tmp, d)]),
  );
  Object.values(dirs).forEach((d) => mkdirSync(d, { recursive: true }));
  writeFileSync(join(dirs.workspace, NOTE), "# 会议记录\n\n讨论了表四中“结果维护”的写法，下周再定。\n");
  // The seed as a Markdown draft with `##` headings: VS Code's own Markdown outline lists them too.
  writeFileSync(join(dirs.workspace, MD_REPORT), readFileSync(seedPath, "utf8").replace(/^([一二三四五六]、)/gm, "## $1"));
  const draft = join(dirs.workspace, SEED);
  copyFileSync(seedPath, draft);
  const original = readFileSync(draft, "utf8");
  const before = countOf(original, "结果维护");
  if (before < 2) fail(`seed ${seedPath} should contain 结果维护 at least twice, found ${before}`);
  userDataDir = dirs.userData;
  writeUserSettings(dirs.userData);
  const env = { ...process.env, XDG_CONFIG_HOME: dirs.xdgConfig, XDG_DATA_HOME: dirs.xdgData };
  const common = ["--user-data-dir", dirs.userData, "--extensions-dir", dirs.extensions];

  log(`installing ${vsix}`);
  run(codeServer, [...common, "--install-extension", vsix], { env });

  const port = await freePort();
  const csLog = join(tmp, "code-server.log");
  const out = createWriteStream(csLog);
  const cs = spawn(
    codeServer,
    [
      "--bind-addr", `127.0.0.1:${port}`, "--auth", "none", "--disable-telemetry", "--disable-update-check",
      "--disable-workspace-trust", "--disable-getting-started-override", ...common, dirs.workspace,
    ],
    { env, stdio: ["ignore", "pipe", "pipe"] },
  );
  cs.stdout.pipe(out);
  cs.stderr.pipe(out);

  let browser;
  let page;
  let ok = false;
  try {
    await waitHealthy(`http://127.0.0.1:${port}/healthz`, cs, 30000);
    log(`code-server up on port ${port}`);
    // playwright gives the browser a fresh temporary profile.
    browser = await chromium.launch({
      executablePath: chromiumPath,
      headless: true,
      args: [
        "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
        "--disable-component-update", "--disable-sync",
      ],
    });
    page = await browser.newPage({ viewport: { width: 1400, height: 860 } });
    await page.goto(`http://127.0.0.1:${port}/?folder=${encodeURIComponent(dirs.workspace)}`);
    await page.waitForSelector(".monaco-workbench", { timeout: 60000 });
    await page.waitForSelector(".explorer-folders-view, .explorer-viewlet, .part.sidebar", { timeout: 30000 });
    log("workbench loaded");

    // Open the draft with Quick Open.
    await page.keyboard.press("Control+P");
    await page.waitForSelector(".quick-input-widget input", { state: "visible", timeout: 15000 });
    await page.keyboard.type(SEED);
    await page.waitForSelector(`.quick-input-list .monaco-list-row[aria-label*="${SEED}"]`, { timeout: 15000 });
    await page.keyboard.press("Enter");
    await page.waitForSelector(`.tab[aria-label*="${SEED}"]`, { timeout: 15000 });
    log("draft opened");

    // 1. Problems entry for 结果维护 (server started by the extension; VS Code pulls diagnostics).
    await page.keyboard.press("Control+Shift+M");
    const problemRow = page.locator(".markers-panel .monaco-tl-contents", { hasText: "结果维护" }).first();
    await problemRow.waitFor({ timeout: 60000 });
    const rowText = (await problemRow.innerText()).replace(/\s+/g, " ");
    log(`problem: ${rowText}`);
    if (!/table-label/.test(rowText)) fail(`Problems entry for 结果维护 does not name rule table-label: ${rowText}`);
    if (!/结果维持/.test(rowText)) fail(`Problems entry does not say what was expected (结果维持): ${rowText}`);
    const lineMatch = /\[(?:Ln|行)\s*(\d+)/.exec(rowText);
    if (!lineMatch) fail(`cannot read the line number from the Problems entry: ${rowText}`);
    const line = Number(lineMatch[1]);
    if (original.split("\n")[line - 1].indexOf("结果维护") < 0) fail(`Problems entry points to line ${line}, which has no 结果维护`);
    const tableLabelRows = await page.locator(".markers-panel .monaco-tl-contents", { hasText: "结果维护" }).count();

    // Reveal it in the editor: the cursor lands on the diagnostic.
    await problemRow.click();
    await page.waitForTimeout(500);

    // The server that answered is the one bundled in the .vsix.
    const installed = readdirSync(dirs.extensions).find((d) => d.startsWith("gov-report-lsp."));
    const bundledServer = join(dirs.extensions, installed ?? "?", "server", "gov-report-lsp");
    if (!existsSync(bundledServer)) fail(`the installed extension has no bundled server at ${bundledServer}`);
    const outputLog = findFile(join(dirs.userData, "logs"), (name) => name.endsWith("Gov Report.log"));
    const outputText = outputLog ? readFileSync(outputLog, "utf8") : "";
    if (!outputText.includes(`使用语言服务器 ${bundledServer}（来源：扩展自带）`)) {
      fail(`the extension did not start the bundled server ${bundledServer}; its output:\n${outputText}`);
    }
    log(`server: ${bundledServer} (bundled)`);

    // 2. The squiggle is under 结果维护 (geometry from the rendered page).
    await page.waitForSelector(".monaco-editor .squiggly-error", { timeout: 15000 });
    const under = await page.evaluate(() => {
      const target = "结果维护";
      const editor = document.querySelector(".editor-instance .monaco-editor") || document.querySelector(".monaco-editor");
      const rects = [];
      for (const lineEl of editor.querySelectorAll(".view-lines .view-line")) {
        const walker = document.createTreeWalker(lineEl, NodeFilter.SHOW_TEXT);
        for (let n = walker.nextNode(); n; n = walker.nextNode()) {
          const at = n.textContent.indexOf(target);
          if (at >= 0) {
            const range = document.createRange();
            range.setStart(n, at);
            range.setEnd(n, at + target.length);
            rects.push(range.getBoundingClientRect());
          }
        }
      }
      const squiggles = [...editor.querySelectorAll(".squiggly-error")].map((e) => e.getBoundingClientRect());
      const under = rects.find((t) =>
        squiggles.some((s) => s.right > t.left + 2 && s.left < t.right - 2 && s.bottom > t.top && s.top < t.bottom + 4),
      );
      const at = under ? { x: (under.left + under.right) / 2, y: (under.top + under.bottom) / 2 } : null;
      return { labels: rects.length, squiggles: squiggles.length, hit: !!under, at };
    });
    log(`geometry: ${JSON.stringify(under)}`);
    if (!under.hit) fail(`no error squiggle under 结果维护 (${JSON.stringify(under)})`);

    // 3. Status bar: year, format and error count.
    const status = page.locator(".statusbar-item", { hasText: "版格式" }).first();
    await status.waitFor({ timeout: 15000 });
    const statusText = (await status.innerText()).replace(/\s+/g, " ").trim();
    log(`status bar: ${statusText}`);
    if (!/2021 · 2021版格式 · .*\d+ 个错误/.test(statusText)) fail(`unexpected status bar text: ${statusText}`);

    await page.screenshot({ path: screenshot });
    log(`screenshot saved to ${screenshot}`);

    // Outline (documentSymbol): the breadcrumbs name the section and table at the cursor.
    const crumbs = (await page.locator(".breadcrumbs-control").first().innerText()).replace(/\s+/g, " ");
    if (!/四、政府信息公开行政复议、行政诉讼情况/.test(crumbs) || !/表四/.test(crumbs)) fail(`breadcrumbs lack section/table four: ${crumbs}`);
    log(`breadcrumbs: ${crumbs}`);

    // Hover over the label: the finding, the fix and one link “规则说明”, short enough that
    // VS Code's own "Quick Fix..." stays in view; the whole rule text is one click away.
    await page.mouse.move(under.at.x, under.at.y);
    const hover = page.locator(".monaco-hover", { hasText: "应为“结果维持”" }).first();
    await hover.waitFor({ timeout: 15000 });
    await hover.locator("a", { hasText: "规则说明" }).first().waitFor({ timeout: 10000 });
    const hoverText = (await hover.innerText()).replace(/\s+/g, " ");
    log(`hover: ${hoverText.slice(0, 160)}…`);
    if (/检查内容|原因|示例/.test(hoverText)) fail(`the hover shows the rule's whole documentation: ${hoverText}`);
    if (!/建议：改为“结果维持”/.test(hoverText)) fail(`the hover does not give the fix: ${hoverText}`);
    const hoverFit = await page.evaluate(() => {
      const h = [...document.querySelectorAll(".monaco-hover")].find((e) => e.textContent.includes("规则说明"));
      const scrollable = h.querySelector(".monaco-scrollable-element > .monaco-hover-content, .monaco-hover-content");
      const quick = [...h.querySelectorAll("a, .action")].find((a) => /Quick Fix|快速修复/.test(a.textContent));
      const box = h.getBoundingClientRect();
      const q = quick?.getBoundingClientRect();
      return {
        overflow: scrollable ? scrollable.scrollHeight - scrollable.clientHeight : 0,
        quickFix: !!q && q.top >= box.top && q.bottom <= box.bottom + 1 && q.bottom <= window.innerHeight,
      };
    });
    if (hoverFit.overflow > 2 || !hoverFit.quickFix) fail(`hover too long or Quick Fix out of view: ${JSON.stringify(hoverFit)}`);
    // “规则说明” opens the rule's --explain text inside the editor.
    await hover.locator("a", { hasText: "规则说明" }).first().click();
    await page.waitForSelector('.tab.active[aria-label*="table-label"]', { timeout: 20000 });
    let explained = false;
    for (let i = 0; i < 100 && !explained; i++) {
      for (const f of page.frames()) {
        const t = await f.evaluate(() => document.body?.innerText ?? "").catch(() => "");
        if (t.includes("检查内容") && t.includes("结果维持")) explained = true;
      }
      if (!explained) await page.waitForTimeout(200);
    }
    if (!explained) fail("规则说明 did not show the --explain text of table-label in the editor");
    log("hover: short, Quick Fix in view; 规则说明 opened the explanation of table-label");
    await page.keyboard.press("Control+W");
    await page.waitForSelector(`.tab.active[aria-label*="${SEED}"]`, { timeout: 15000 });
    await page.mouse.move(5, 400);
    await page.keyboard.press("Escape");

    // 4. Quick fix at the cursor: 结果维护 → 结果维持.
    await page.keyboard.press("Control+1"); // focus the editor, cursor stays on the diagnostic
    await page.keyboard.press("Control+.");
    const fixItem = page.locator(".action-widget .monaco-list-row", { hasText: "结果维持" }).first();
    await fixItem.waitFor({ timeout: 15000 });
    log(`quick fix offered: ${(await fixItem.innerText()).trim()}`);
    // The action widget blocks the pointer until the mouse moves: choose it with the keyboard, like a user.
    for (let i = 0; i < 10 && !/\bfocused\b/.test((await fixItem.getAttribute("class")) ?? ""); i++) {
      await page.keyboard.press("ArrowDown");
    }
    await page.keyboard.press("Enter");
    await page.waitForFunction(
      (n) => document.querySelectorAll(".markers-panel .monaco-tl-contents").length > 0 &&
        [...document.querySelectorAll(".markers-panel .monaco-tl-contents")].filter((r) => r.textContent.includes("结果维护")).length === n,
      tableLabelRows - 1,
      { timeout: 15000 },
    );
    await page.keyboard.press("Control+S");
    await waitFor(() => readFileSync(draft, "utf8") !== original, 10000, "the saved draft to change after the quick fix");
    const fixed = readFileSync(draft, "utf8");
    const fixedLine = fixed.split("\n")[line - 1];
    if (!fixedLine.startsWith("结果维持")) fail(`line ${line} after the quick fix: ${fixedLine}`);
    if (countOf(fixed, "结果维护") !== before - 1) fail(`quick fix changed ${before - countOf(fixed, "结果维护")} labels, expected 1`);
    const visible = await page.locator(".view-lines .view-line", { hasText: "结果维持" }).count();
    if (visible < 1) fail("the editor does not show 结果维持 after the quick fix");
    log(`quick fix applied: line ${line} is now "${fixedLine.slice(0, 12)}…"`);

    // 4b. Switching the check off is the last action, says so, and can be undone.
    const config = join(dirs.workspace, "gov-report.toml");
    await page.locator(".markers-panel .monaco-tl-contents", { hasText: "结果维护" }).first().click();
    await page.waitForTimeout(300);
    await page.keyboard.press("Control+1");
    await page.keyboard.press("Control+.");
    await page.locator(".action-widget .monaco-list-row", { hasText: "结果维持" }).first().waitFor({ timeout: 15000 });
    const offered = (await page.locator(".action-widget .monaco-list-row").allInnerTexts())
      .map((t) => t.replace(/\s+/g, " ").trim())
      .filter((t) => t !== "" && !/^(Quick Fix|快速修复|More Actions|更多操作)/i.test(t));
    log(`actions offered: ${JSON.stringify(offered)}`);
    const SUPPRESS = "不再提示 table-label 对“结果维护”的检查（写入 gov-report.toml）";
    if (!offered[0]?.includes("改为“结果维持”")) fail(`the fix is not offered first: ${JSON.stringify(offered)}`);
    if (offered[offered.length - 1] !== SUPPRESS) fail(`the suppression is not last, or not worded as what it does: ${JSON.stringify(offered)}`);
    const suppressItem = page.locator(".action-widget .monaco-list-row", { hasText: SUPPRESS }).first();
    for (let i = 0; i < 10 && !/\bfocused\b/.test((await suppressItem.getAttribute("class")) ?? ""); i++) {
      await page.keyboard.press("ArrowDown");
    }
    await page.keyboard.press("Enter");
    const written = page.locator(".notifications-toasts .notification-toast", { hasText: "不再提示 table-label" }).first();
    await written.waitFor({ timeout: 20000 });
    const writtenText = (await written.innerText()).replace(/\s+/g, " ");
    log(`suppression notification: ${writtenText}`);
    if (!/已创建 gov-report\.toml/.test(writtenText) || !/撤销/.test(writtenText)) fail(`notification lacks the file or undo: ${writtenText}`);
    await waitFor(() => existsSync(config) && readFileSync(config, "utf8").includes('text = "结果维护"'), 10000, "gov-report.toml with the [[ignore]] entry");
    await page.waitForFunction(
      () => ![...document.querySelectorAll(".markers-panel .monaco-tl-contents")].some((r) => r.textContent.includes("结果维护")),
      null,
      { timeout: 20000 },
    );
    await written.locator("a.monaco-button, .monaco-button", { hasText: "撤销" }).first().click();
    await waitFor(() => !existsSync(config), 10000, "undo to remove the gov-report.toml it created");
    await page.waitForFunction(
      (n) => [...document.querySelectorAll(".markers-panel .monaco-tl-contents")].filter((r) => r.textContent.includes("结果维护")).length === n,
      tableLabelRows - 1,
      { timeout: 20000 },
    );
    log("suppression: last, worded, announced with 撤销; undo removed gov-report.toml and the findings came back");

    // 5. Settings reach the server without reload. As warnings, the status bar counts them.
    await editUserSettings(page, { "govReport.rules": { "table-label": "warning" } });
    // Wait for the count with no errors left: the draft already has a warning of its own, so
    // "个警告" alone would match before the setting has reached the server.
    const warned = page.locator(".statusbar-item", { hasText: /2021\s*·\s*2021版格式\s*·\s*\d+\s*个警告/ }).first();
    await warned.waitFor({ timeout: 20000 });
    const warnedText = (await warned.innerText()).replace(/\s+/g, " ").trim();
    if (!/2021 · 2021版格式 · \d+ 个警告/.test(warnedText) || /无错误/.test(warnedText)) fail(`status bar with warnings: ${warnedText}`);
    log(`status bar with table-label as warnings: ${warnedText}`);
    // table-label off → diagnostics gone.
    await editUserSettings(page, { "govReport.rules": { "table-label": "off" } });
    await page.waitForFunction(
      () => ![...document.querySelectorAll(".markers-panel .monaco-tl-contents")].some((r) => /结果维护|table-label/.test(r.textContent)),
      null,
      { timeout: 20000 },
    );
    if (countOf(readFileSync(draft, "utf8"), "结果维护") < 1) fail("no 结果维护 left to prove the rule is off");
    log("govReport.rules {table-label: off}: diagnostic disappeared");

    // govReport.year reaches the server, and the server's govReport/reportInfo the status bar
    // (the client-side fallback would read 2021 from the text).
    await editUserSettings(page, { "govReport.year": 2019 });
    // The tables still follow the 2021 template, which the server now reports as obsolete-format.
    await page.locator(".statusbar-item", { hasText: "2019 · 2021版格式" }).first().waitFor({ timeout: 20000 });
    await page.locator(".markers-panel .monaco-tl-contents", { hasText: "obsolete-format" }).first().waitFor({ timeout: 20000 });
    log("govReport.year 2019: status bar shows 2019 · 2021版格式, obsolete-format reported");

    // govReport.lint "never": no findings at all.
    await editUserSettings(page, { "govReport.lint": "never" });
    await page.waitForFunction(
      () => document.querySelectorAll(".markers-panel .monaco-tl-contents").length === 0,
      null,
      { timeout: 20000 },
    );
    log("govReport.lint never: Problems empty");

    // ...and back on.
    await editUserSettings(page, {});
    await page.locator(".markers-panel .monaco-tl-contents", { hasText: "结果维护" }).first().waitFor({ timeout: 20000 });
    log("rule back on: diagnostic reappeared");

    // 6. Command: fix all problems in this report.
    await page.keyboard.press("Control+1");
    await runCommand(page, "修复本报告中的所有问题");
    const applied = page.locator(".statusbar-item", { hasText: "已应用" }).first();
    await applied.waitFor({ timeout: 20000 });
    log(`fix-all status message: ${(await applied.innerText()).trim()}`);
    await page.waitForFunction(
      () => ![...document.querySelectorAll(".markers-panel .monaco-tl-contents")].some((r) => r.textContent.includes("结果维护")),
      null,
      { timeout: 20000 },
    );
    await page.keyboard.press("Control+1");
    await page.keyboard.press("Control+S");
    await waitFor(() => countOf(readFileSync(draft, "utf8"), "结果维护") === 0, 10000, "fix-all to remove every 结果维护 on disk");
    log("fix-all command: no 结果维护 left");

    // 7. Fix-all on save, once the user enables editor.codeActionsOnSave.
    await editUserSettings(page, { "editor.codeActionsOnSave": { "source.fixAll.gov-report": "explicit" } });
    await page.keyboard.press("Control+1");
    await page.keyboard.press("Control+Z"); // brings the wrong labels back
    await page.locator(".markers-panel .monaco-tl-contents", { hasText: "结果维护" }).first().waitFor({ timeout: 20000 });
    await page.keyboard.press("Control+S");
    await waitFor(() => {
      const text = readFileSync(draft, "utf8");
      return text !== original && countOf(text, "结果维护") === 0;
    }, 15000, "the save to apply source.fixAll.gov-report");
    log("codeActionsOnSave source.fixAll.gov-report: fixed on save");

    // 8. A missing server binary: a notification naming the path tried and the setting to fix.
    const missing = join(tmp, "没有这个文件", "gov-report-lsp");
    await editUserSettings(page, { "govReport.server.path": missing });
    const notFound = page.locator(".notifications-toasts .notification-toast", { hasText: "找不到语言服务器" }).first();
    await notFound.waitFor({ timeout: 20000 });
    const notFoundText = (await notFound.innerText()).replace(/\s+/g, " ");
    if (!notFoundText.includes(missing) || !notFoundText.includes("govReport.server.path")) {
      fail(`server-not-found notification lacks the path or the fix: ${notFoundText}`);
    }
    log(`not found: ${notFoundText.slice(0, 120)}…`);
    await page.keyboard.press("Escape");

    // 9. A server that keeps crashing: bounded restarts, then a notification.
    const bundled = bundledServer;
    const crasher = join(tmp, "crashing-server.sh");
    writeFileSync(crasher, `#!/bin/sh\nexec timeout 1 '${bundled}' "$@"\n`);
    chmodSync(crasher, 0o755);
    await editUserSettings(page, { "govReport.server.path": crasher });
    const crashed = page.locator(".notifications-toasts .notification-toast", { hasText: "已停止自动重启" }).first();
    await crashed.waitFor({ timeout: 60000 });
    const crashedText = (await crashed.innerText()).replace(/\s+/g, " ");
    if (!crashedText.includes(crasher) || !/崩溃了 5 次/.test(crashedText)) fail(`unexpected crash notification: ${crashedText}`);
    log(`crash: ${crashedText.slice(0, 120)}…`);
    await page.locator(".statusbar-item", { hasText: "年度报告检查未运行" }).first().waitFor({ timeout: 10000 });
    log("status bar: 年度报告检查未运行");
    await page.keyboard.press("Escape");

    // ...and back to the bundled server without reloading the window.
    await editUserSettings(page, {});
    await page.keyboard.press("Control+1");
    await page.keyboard.press("Control+Z");
    await page.locator(".markers-panel .monaco-tl-contents", { hasText: "结果维护" }).first().waitFor({ timeout: 30000 });
    log("server.path cleared: bundled server restarted, diagnostics back");

    // 10. Commands: restart the server, show its output.
    await runCommand(page, "年度报告: 重启语言服务器");
    await waitFor(() => {
      const f = findFile(join(dirs.userData, "logs"), (name) => name.endsWith("Gov Report.log"));
      return f !== undefined && /\[重启\] 用户命令[\s\S]*语言服务器已就绪/.test(readFileSync(f, "utf8"));
    }, 20000, "the restart command to restart the server");
    await page.locator(".markers-panel .monaco-tl-contents", { hasText: "结果维护" }).first().waitFor({ timeout: 30000 });
    log("restart command: server restarted, diagnostics back");
    await runCommand(page, "年度报告: 显示服务器输出");
    await page.locator(".panel .view-lines", { hasText: "使用语言服务器" }).first().waitFor({ timeout: 15000 });
    log("show-output command: the Gov Report output is visible");

    // 11. A Markdown note that is not a report stays clean (lint "auto"), until lint is "always".
    await page.keyboard.press("Control+Shift+M");
    await page.keyboard.press("Control+P");
    await page.waitForSelector(".quick-input-widget input", { state: "visible", timeout: 15000 });
    await page.keyboard.type(NOTE);
    await page.waitForSelector(`.quick-input-list .monaco-list-row[aria-label*="${NOTE}"]`, { timeout: 15000 });
    await page.keyboard.press("Enter");
    await page.waitForSelector(`.tab.active[aria-label*="${NOTE}"]`, { timeout: 15000 });
    await page.waitForTimeout(3000);
    const noteRows = () => page.locator(".markers-panel .monaco-tl-contents", { hasText: NOTE }).count();
    if ((await noteRows()) !== 0) fail(`${NOTE} is not a report but got findings with lint "auto"`);
    await editUserSettings(page, { "govReport.lint": "always" });
    await page.locator(".markers-panel .monaco-tl-contents", { hasText: NOTE }).first().waitFor({ timeout: 20000 });
    log(`${NOTE}: clean with lint "auto", findings with lint "always"`);

    // 11b. A Markdown report: VS Code shows every outline provider's symbols as a group; ours is named.
    await page.keyboard.press("Control+P");
    await page.waitForSelector(".quick-input-widget input", { state: "visible", timeout: 15000 });
    await page.keyboard.type(MD_REPORT);
    await page.waitForSelector(`.quick-input-list .monaco-list-row[aria-label*="${MD_REPORT}"]`, { timeout: 15000 });
    await page.keyboard.press("Enter");
    await page.waitForSelector(`.tab.active[aria-label*="${MD_REPORT}"]`, { timeout: 15000 });
    await runCommand(page, "Explorer: Focus on Outline View");
    const group = page.locator(".outline-pane .monaco-list-row, .pane-body .monaco-list-row", { hasText: "年度报告结构" }).first();
    await group.waitFor({ timeout: 20000 });
    const outlineRows = (await page.locator(".outline-pane .monaco-list-row, .pane-body.outline-pane .monaco-list-row").allInnerTexts())
      .map((t) => t.replace(/\s+/g, " ").trim());
    log(`outline of ${MD_REPORT}: ${JSON.stringify(outlineRows.slice(0, 12))}`);
    if (outlineRows[0] !== "年度报告结构" || !outlineRows.some((t) => t.startsWith("一、总体情况第一部分"))) {
      fail(`the outline lacks the named group 年度报告结构 with our sections: ${JSON.stringify(outlineRows)}`);
    }
    // The other group(s), for the record (VS Code's Markdown headings: see README, Outline).
    await page.keyboard.press("End");
    await page.waitForTimeout(300);
    const lastRows = (await page.locator(".outline-pane .monaco-list-row, .pane-body.outline-pane .monaco-list-row").allInnerTexts())
      .map((t) => t.replace(/\s+/g, " ").trim());
    log(`outline, scrolled to the end: ${JSON.stringify(lastRows.slice(-6))}`);
    await page.keyboard.press("Control+1");
    // Closed, so its findings leave the Problems panel (whose list only renders what fits).
    await page.keyboard.press("Control+W");
    await page.waitForFunction(
      (name) => ![...document.querySelectorAll(".markers-panel .monaco-tl-contents")].some((r) => r.textContent.includes(name)),
      MD_REPORT,
      { timeout: 20000 },
    );

    // 12. A report pasted into a new, unsaved tab whose language VS Code took for "Ini".
    const rowsWith = (text) => page.locator(".markers-panel .monaco-tl-contents", { hasText: text }).count();
    const labelsBefore = await rowsWith("结果维护");
    await runCommand(page, "File: New Untitled Text File", { exact: true });
    await page.waitForSelector('.tab.active[aria-label*="Untitled-1"]', { timeout: 15000 });
    await runCommand(page, "Change Language Mode");
    await page.keyboard.insertText("Ini");
    await page.locator(".quick-input-list .monaco-list-row", { hasText: /^Ini/ }).first().waitFor({ timeout: 10000 });
    await page.keyboard.press("Enter");
    await page.locator(".statusbar-item", { hasText: /^Ini$/ }).first().waitFor({ timeout: 10000 });
    await page.waitForSelector(".editor-instance .monaco-editor.focused", { timeout: 10000 });
    await page.keyboard.insertText(original);
    await page.waitForFunction(
      (n) => [...document.querySelectorAll(".markers-panel .monaco-tl-contents")].filter((r) => r.textContent.includes("结果维护")).length === n,
      labelsBefore + before,
      { timeout: 20000 },
    );
    await page.locator(".statusbar-item", { hasText: /^Ini$/ }).first().waitFor({ timeout: 10000 });
    await page.locator(".statusbar-item", { hasText: "2021 · 2021版格式" }).first().waitFor({ timeout: 10000 });
    log(`untitled tab in Ini: ${before} more 结果维护 findings, status bar shown`);

    // 13. The extension page: Chinese name, the icon and the README's screenshot render.
    await runCommand(page, "Extensions: Show Enabled Extensions");
    await page.locator(".extensions-viewlet .monaco-list-row", { hasText: "政府信息公开年度报告检查" }).first().click();
    await page.waitForSelector(".extension-editor .header .name", { timeout: 20000 });
    const header = await page.locator(".extension-editor .header .name").first().innerText();
    if (!header.includes("政府信息公开年度报告检查")) fail(`extension page title: ${header}`);
    await page.waitForFunction(() => {
      const img = document.querySelector(".extension-editor .header .icon-container img, .extension-editor .header img.icon");
      return img && img.complete && img.naturalWidth >= 128 && !/defaultIcon/i.test(img.src);
    }, null, { timeout: 20000 });
    let shown = null;
    for (let i = 0; i < 100 && !shown; i++) {
      for (const f of page.frames()) {
        shown = await f.evaluate(() => {
          const img = [...document.images].find((im) => im.alt.includes("结果维护"));
          return img && img.complete && img.naturalWidth > 0 ? { w: img.naturalWidth, src: img.src.slice(0, 22) } : null;
        }).catch(() => null);
        if (shown) break;
      }
      if (!shown) await page.waitForTimeout(200);
    }
    if (!shown) fail("the README screenshot does not render on the extension page");
    log(`extension page: icon and README image render (${JSON.stringify(shown)})`);

    // 14. Word documents in the workspace: a .docx with 结果维护 (made by LibreOffice)
    //     copied in on disk shows its findings in Problems with the place in words; the
    //     command 年度报告: 检查工作区中的所有报告 reports it; fixing the file on disk
    //     (the bundled server's --fix) clears them.
    const docx = join(dirs.workspace, "报告.docx");
    copyFileSync(join(repo, "tests", "fixtures", "docx", "seed000-lo.docx"), docx);
    await page.keyboard.press("Control+Shift+M");
    const wordRows = () =>
      page.evaluate(() =>
        [...document.querySelectorAll(".markers-panel .monaco-tl-contents")]
          .map((r) => r.textContent)
          .filter((t) => t.includes("第 4 部分 表四")),
      );
    await page.locator(".markers-panel .monaco-tl-contents", { hasText: "第 4 部分 表四 第 2 行 第 1 列" }).first().waitFor({ timeout: 30000 });
    const rows = await wordRows();
    log(`Word file in Problems: ${rows.length} rows, first: ${rows[0].slice(0, 120)}`);
    if (rows.length !== 3 || !rows.every((r) => r.includes("结果维护") && r.includes("结果维持"))) fail(`Word findings: ${JSON.stringify(rows)}`);
    await page.locator(".markers-panel .monaco-tl-contents", { hasText: "报告.docx" }).first().waitFor({ timeout: 5000 });
    await runCommand(page, "年度报告: 检查工作区中的所有报告");
    const checked = page.locator(".notifications-toasts .notification-toast", { hasText: "已检查工作区中的 1 个 Word/PDF 文件" }).first();
    await checked.waitFor({ timeout: 20000 });
    log(`check-workspace command: ${(await checked.innerText()).replace(/\s+/g, " ").slice(0, 120)}`);
    run(bundledServer, ["--check", "--fix", docx], { stdio: "ignore" });
    await page.waitForFunction(
      () => ![...document.querySelectorAll(".markers-panel .monaco-tl-contents")].some((r) => r.textContent.includes("第 4 部分 表四")),
      null,
      { timeout: 30000 },
    );
    log("Word file fixed on disk: its findings left Problems");
    ok = true;
  } finally {
    if (!ok && page) {
      const shot = join(tmp, "failure.png");
      await page.screenshot({ path: shot }).catch(() => {});
      console.error(`[e2e] failure screenshot: ${shot}`);
    }
    if (browser) await browser.close().catch(() => {});
    cs.kill("SIGTERM");
    await new Promise((r) => (cs.exitCode !== null ? r() : cs.once("exit", r)));
    if (!ok) {
      const text = existsSync(csLog) ? readFileSync(csLog, "utf8") : "";
      console.error(`[e2e] code-server log (${csLog}), last lines:\n${text.split("\n").slice(-40).join("\n")}`);
      console.error(`[e2e] temp folder kept: ${tmp}`);
    } else if (process.env.GOV_REPORT_E2E_KEEP !== "1") {
      rmSync(tmp, { recursive: true, force: true });
    }
  }
  log("PASS");
}

// Changes user settings the way a user does: Preferences: Open User Settings (JSON),
// replace the text, save. (code-server does not reliably notice a settings.json
// written behind its back.)
async function editUserSettings(page, extra) {
  const wanted = { ...quietSettings(), ...extra };
  const file = join(userDataDir, "User", "settings.json");
  for (let attempt = 1; ; attempt++) {
    await runCommand(page, "Preferences: Open User Settings (JSON)");
    await page.waitForSelector('.tab.active[aria-label*="settings.json"]', { timeout: 10000 });
    // Under load the editor can take a moment to take focus; keys typed before go elsewhere.
    await page.waitForSelector(".editor-instance .monaco-editor.focused", { timeout: 10000 });
    await page.keyboard.press("Control+A");
    await page.keyboard.press("Delete");
    await page.keyboard.insertText(JSON.stringify(wanted));
    await page.keyboard.press("Control+S");
    await page.waitForSelector('.tab.active[aria-label*="settings.json"]:not(.dirty)', { timeout: 10000 });
    await page.keyboard.press("Control+W");
    let saved;
    try {
      saved = JSON.parse(readFileSync(file, "utf8"));
    } catch {
      saved = undefined;
    }
    if (JSON.stringify(saved) === JSON.stringify(wanted)) return;
    if (attempt === 3) fail(`could not write user settings through the editor; ${file} holds: ${readFileSync(file, "utf8")}`);
    log(`settings.json edit did not take (attempt ${attempt}), retrying`);
  }
}

async function runCommand(page, title, { exact = false } = {}) {
  await page.keyboard.press("F1");
  await page.waitForSelector(".quick-input-widget input", { state: "visible", timeout: 10000 });
  await page.keyboard.insertText(title);
  const row = page.locator(".quick-input-list .monaco-list-row", { hasText: title }).first();
  await row.waitFor({ timeout: 10000 });
  if (!exact) {
    await page.keyboard.press("Enter");
    return;
  }
  // Another command whose title contains this one may be listed first: choose this one.
  const wanted = page.locator(".quick-input-list .monaco-list-row", {
    has: page.locator(".label-name", { hasText: new RegExp(`^${title.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}$`) }),
  }).first();
  await wanted.click();
}

async function waitFor(cond, ms, what) {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    if (cond()) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  fail(`timed out after ${ms} ms waiting for ${what}`);
}

main().catch((err) => {
  console.error(`[e2e] FAIL: ${err.stack || err.message}`);
  process.exit(1);
});
