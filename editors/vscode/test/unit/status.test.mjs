import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { statusView, yearFromText, formatForYear } from "../../out/status.js";

test("status text shows year, format and error count", () => {
  assert.equal(statusView({ uri: "x", year: 2023, format: "2021", errors: 3 }).text, "2023 · 2021版格式 · $(error) 3 个错误");
  assert.equal(statusView({ uri: "x", year: 2020, errors: 0 }).text, "2020 · 2019版格式 · $(check) 无问题");
  assert.equal(statusView({ uri: "x", year: null, format: null, errors: 1 }).text, "年度未识别 · $(error) 1 个错误");
  assert.match(statusView({ uri: "x", year: 2019 }).tooltip, /应使用格式：国办公开办函〔2019〕60号/);
});

test("warnings are counted, never hidden behind 无错误", () => {
  assert.equal(statusView({ uri: "x", year: 2021, format: "2021", errors: 0, warnings: 1 }).text, "2021 · 2021版格式 · $(warning) 1 个警告");
  assert.equal(statusView({ uri: "x", year: 2021, errors: 2, warnings: 3, infos: 1 }).text, "2021 · 2021版格式 · $(error) 2 个错误 · $(warning) 3 个警告");
  assert.equal(statusView({ uri: "x", year: 2021, errors: 0, warnings: 0, infos: 2 }).text, "2021 · 2021版格式 · $(info) 2 个提示");
});

test("a detected format that does not fit the year is shown as detected, with the required one in the tooltip", () => {
  const v = statusView({ uri: "x", year: 2019, format: "2021", errors: 6 });
  assert.equal(v.text, "2019 · 2021版格式 · $(error) 6 个错误");
  assert.match(v.tooltip, /表格格式：国办公开办函〔2021〕30号/);
  assert.match(v.tooltip, /2019 年度的报告应使用 国办公开办函〔2019〕60号 格式/);
});

test("format follows the year", () => {
  assert.equal(formatForYear(2020), "2019");
  assert.equal(formatForYear(2021), "2021");
});

test("year is read from a seed report's statistical period, or a title", () => {
  const seed = readFileSync(new URL("../../../../tests/examples/000_4ae5941108e95401.txt", import.meta.url), "utf8");
  const y = yearFromText(seed);
  assert.equal(y, 2021);
  assert.equal(yearFromText("某某局2019年政府信息公开工作年度报告\n"), 2019);
  assert.equal(yearFromText("会议纪要\n2023年工作安排"), null);
});
