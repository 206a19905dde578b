import { test } from "node:test";
import assert from "node:assert/strict";
import { chmodSync, mkdirSync, mkdtempSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { resolveServer } from "../../out/serverPath.js";

function fixture() {
  const root = mkdtempSync(join(tmpdir(), "govreport-path-"));
  const ext = join(root, "ext");
  const bin = join(root, "bin");
  mkdirSync(join(ext, "server"), { recursive: true });
  mkdirSync(bin);
  return { root, ext, bin };
}
function exe(p) {
  writeFileSync(p, "#!/bin/sh\n");
  chmodSync(p, 0o755);
}
const base = (f, over = {}) => ({ configured: "", extensionDir: f.ext, envPath: f.bin, platform: "linux", ...over });

test("the setting wins and is never silently replaced", () => {
  const f = fixture();
  exe(join(f.ext, "server", "gov-report-lsp"));
  exe(join(f.root, "mine"));
  assert.deepEqual(resolveServer(base(f, { configured: join(f.root, "mine") })), {
    ok: true, path: join(f.root, "mine"), source: "setting", tried: [join(f.root, "mine")],
  });
  const missing = resolveServer(base(f, { configured: join(f.root, "nope") }));
  assert.equal(missing.ok, false);
  assert.deepEqual(missing.tried, [join(f.root, "nope")]);
  assert.match(missing.reason, /govReport\.server\.path.*nope 不存在/);
});

test("a relative setting is resolved against the workspace folder", () => {
  const f = fixture();
  exe(join(f.root, "mine"));
  const r = resolveServer(base(f, { configured: "mine", workspaceDir: f.root }));
  assert.equal(r.ok && r.path, join(f.root, "mine"));
});

test("bundled binary before PATH; the lost executable bit is restored", () => {
  const f = fixture();
  const bundled = join(f.ext, "server", "gov-report-lsp");
  writeFileSync(bundled, "#!/bin/sh\n");
  chmodSync(bundled, 0o644);
  exe(join(f.bin, "gov-report-lsp"));
  const r = resolveServer(base(f));
  assert.equal(r.ok && r.source, "bundled");
  assert.equal(statSync(bundled).mode & 0o111, 0o111);
});

test("PATH is the last resort; nothing found lists every place tried", () => {
  const f = fixture();
  exe(join(f.bin, "gov-report-lsp"));
  const r = resolveServer(base(f));
  assert.equal(r.ok && r.source, "path");
  assert.equal(r.ok && r.path, join(f.bin, "gov-report-lsp"));

  const g = fixture();
  const none = resolveServer(base(g));
  assert.equal(none.ok, false);
  assert.deepEqual(none.tried, [join(g.ext, "server", "gov-report-lsp"), "PATH 中的 gov-report-lsp"]);
});
