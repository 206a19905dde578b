import { test } from "node:test";
import assert from "node:assert/strict";
import { toServerSettings } from "../../out/settings.js";

const cfg = (o) => ({ get: (k) => o[k] });

test("defaults map to an empty, auto-linting configuration", () => {
  const { settings, problems } = toServerSettings(cfg({}));
  assert.deepEqual(settings, { severities: {}, year: null, lint: "auto", include: [], exclude: [] });
  assert.deepEqual(problems, []);
});

test("rules become severities; year, lint and globs pass through", () => {
  const { settings, problems } = toServerSettings(
    cfg({ rules: { "table-label": "off", "total-mismatch": "warning" }, year: 2023, lint: "always", include: ["**/*.txt"], exclude: ["notes/**"] }),
  );
  assert.deepEqual(settings, {
    severities: { "table-label": "off", "total-mismatch": "warning" },
    year: 2023,
    lint: "always",
    include: ["**/*.txt"],
    exclude: ["notes/**"],
  });
  assert.deepEqual(problems, []);
});

test("invalid values are dropped with a Chinese explanation naming the setting", () => {
  const { settings, problems } = toServerSettings(cfg({ rules: { "table-label": "loud" }, year: 23, lint: "sometimes", include: "x" }));
  assert.deepEqual(settings, { severities: {}, year: null, lint: "auto", include: [], exclude: [] });
  assert.equal(problems.length, 4);
  assert.match(problems[0], /table-label.*"loud".*off、info、warning 或 error/);
  assert.match(problems[1], /govReport\.year/);
  assert.match(problems[2], /govReport\.lint/);
  assert.match(problems[3], /govReport\.include/);
});

test("a year typed as a string is accepted", () => {
  assert.equal(toServerSettings(cfg({ year: " 2020 " })).settings.year, 2020);
});
