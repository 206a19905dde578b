//! The command line with the rules that look beyond one sentence or one
//! file: `cross-year-mismatch` over a folder or the files named, with the
//! per-body summary and related locations in the other file in every output
//! format; `personal-data` masked in every output format.

use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::Value;

const BIN: &str = env!("CARGO_BIN_EXE_gov-report-lsp");

struct Run {
    code: i32,
    stdout: String,
    stderr: String,
}

fn run_in(dir: &Path, args: &[&str]) -> Run {
    let out = Command::new(BIN)
        .args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .output()
        .expect("run gov-report-lsp");
    Run {
        code: out.status.code().expect("exited normally"),
        stdout: String::from_utf8(out.stdout).expect("UTF-8"),
        stderr: String::from_utf8(out.stderr).expect("UTF-8"),
    }
}

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn fixtures() -> PathBuf {
    root().join("tests/fixtures/cross-year")
}

fn json(run: &Run) -> Value {
    serde_json::from_str(&run.stdout)
        .unwrap_or_else(|e| panic!("not JSON ({e}):\n{}\n{}", run.stdout, run.stderr))
}

/// A fresh scratch folder.
fn scratch(name: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR"))
        .join("cli_rules")
        .join(name);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// `(rule, line, column)` of each finding of `path` in a JSON run.
fn findings<'a>(doc: &'a Value, path: &str) -> Vec<&'a Value> {
    doc["files"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["path"].as_str().is_some_and(|p| p.ends_with(path)))
        .unwrap_or_else(|| panic!("{path} in {doc}"))["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["rule"] == "cross-year-mismatch")
        .collect()
}

#[test]
fn matching_years_in_a_folder_give_no_finding_and_a_summary() {
    let r = run_in(&fixtures(), &["--check", "matching"]);
    assert!(!r.stdout.contains("cross-year-mismatch"), "{}", r.stdout);
    let lines: Vec<&str> = r.stdout.lines().collect();
    let at = lines
        .iter()
        .position(|l| l.starts_with("同一机关多个年度的报告"))
        .expect("summary table");
    assert_eq!(
        lines[at + 1].split_whitespace().collect::<Vec<_>>(),
        ["机关", "年度", "跨年度问题"]
    );
    assert_eq!(
        lines[at + 2].split_whitespace().collect::<Vec<_>>(),
        ["淮安市洪泽区人民政府", "2023、2024", "0"]
    );
    // The table comes before the summary line, which stays last.
    assert!(lines.last().unwrap().starts_with("共检查 2 个文件"));
    let doc = json(&run_in(
        &fixtures(),
        &["--check", "--format", "json", "matching"],
    ));
    assert_eq!(doc["bodies"][0]["agency"], "淮安市洪泽区人民政府");
    assert_eq!(doc["bodies"][0]["years"], serde_json::json!([2023, 2024]));
    assert_eq!(doc["bodies"][0]["cross_year_findings"], 0);
}

#[test]
fn a_mismatch_is_reported_in_the_later_report_pointing_into_the_earlier_one() {
    let doc = json(&run_in(
        &fixtures(),
        &["--check", "--format", "json", "mismatching"],
    ));
    assert!(findings(&doc, "洪泽区2023.txt").is_empty());
    let found = findings(&doc, "洪泽区2024.txt");
    let at: Vec<(u64, u64)> = found
        .iter()
        .map(|d| {
            (
                d["range"]["start"]["line"].as_u64().unwrap(),
                d["range"]["start"]["column"].as_u64().unwrap(),
            )
        })
        .collect();
    // 表二 现行有效 (line 50), 表三 上年结转 自然人 and 总计 (line 96).
    assert_eq!(at, [(50, 37), (96, 47), (96, 82)]);
    let natural = found[1];
    assert!(natural["message"]
        .as_str()
        .unwrap()
        .contains("“自然人”为 2 件"));
    assert!(natural["message"].as_str().unwrap().contains("为 0 件"));
    let related = &natural["related"][0];
    assert!(
        related["path"]
            .as_str()
            .unwrap()
            .ends_with("洪泽区2023.txt"),
        "{related}"
    );
    // 四、结转下年度继续办理, 自然人 column, in the 2023 report.
    assert_eq!(related["range"]["start"]["line"], 132);
    assert_eq!(related["range"]["start"]["column"], 40);
    // Related cells of the same file carry no path.
    let in_force = found[0];
    assert!(in_force["related"][0]["path"]
        .as_str()
        .unwrap()
        .ends_with("洪泽区2023.txt"));
    assert!(in_force["related"][1].get("path").is_none());
    assert_eq!(doc["bodies"][0]["cross_year_findings"], 3);

    let human = run_in(&fixtures(), &["--check", "mismatching"]).stdout;
    assert!(
        human.contains("= 相关：mismatching/洪泽区2023.txt:132:40: 2023 年度报告“四、结转下年度继续办理”·自然人：0"),
        "{human}"
    );
    let github = run_in(
        &fixtures(),
        &["--check", "--format", "github", "mismatching"],
    )
    .stdout;
    assert!(
        github.contains("%0A相关：mismatching/洪泽区2023.txt:132:40: 2023 年度报告"),
        "{github}"
    );
    let sarif: Value = serde_json::from_str(
        &run_in(
            &fixtures(),
            &["--check", "--format", "sarif", "mismatching"],
        )
        .stdout,
    )
    .unwrap();
    let results = sarif["runs"][0]["results"].as_array().unwrap();
    let cross: Vec<&Value> = results
        .iter()
        .filter(|r| r["ruleId"] == "cross-year-mismatch")
        .collect();
    assert_eq!(cross.len(), 3);
    let loc = &cross[1]["relatedLocations"][0]["physicalLocation"];
    assert!(loc["artifactLocation"]["uri"]
        .as_str()
        .unwrap()
        .ends_with("2023.txt"));
    assert_eq!(loc["region"]["startLine"], 132);
    assert_eq!(loc["region"]["startColumn"], 40);
}

#[test]
fn files_named_on_the_command_line_are_compared_and_one_alone_is_not() {
    let both = run_in(
        &fixtures(),
        &[
            "--check",
            "mismatching/洪泽区2024.txt",
            "mismatching/洪泽区2023.txt",
        ],
    );
    assert_eq!(
        both.stdout.matches("warning[cross-year-mismatch]").count(),
        3
    );
    let alone = run_in(&fixtures(), &["--check", "mismatching/洪泽区2024.txt"]);
    assert!(!alone.stdout.contains("cross-year-mismatch"));
    assert!(!alone.stdout.contains("同一机关多个年度的报告"));
}

/// Copy the mismatching pair into a scratch folder, with the earlier
/// report's title naming the body differently.
fn renamed_pair(name: &str) -> PathBuf {
    let dir = scratch(name);
    let earlier = std::fs::read_to_string(fixtures().join("mismatching/洪泽区2023.txt")).unwrap();
    let earlier = earlier.replacen("洪泽区人民政府\n", "洪泽区政府办公室\n", 1);
    std::fs::write(dir.join("a.txt"), earlier).unwrap();
    std::fs::copy(
        fixtures().join("mismatching/洪泽区2024.txt"),
        dir.join("b.txt"),
    )
    .unwrap();
    dir
}

#[test]
fn agency_in_the_configuration_names_the_body() {
    let dir = renamed_pair("agency");
    let r = run_in(&dir, &["--check", "."]);
    assert!(
        !r.stdout.contains("cross-year-mismatch"),
        "different bodies: {}",
        r.stdout
    );
    std::fs::write(dir.join("gov-report.toml"), "agency = \"洪泽区人民政府\"\n").unwrap();
    let r = run_in(&dir, &["--check", "."]);
    assert_eq!(
        r.stdout.matches("warning[cross-year-mismatch]").count(),
        3,
        "{}",
        r.stdout
    );
    assert!(
        r.stdout.contains("  洪泽区人民政府  2023、2024  3"),
        "{}",
        r.stdout
    );
}

#[test]
fn level_and_suppression_apply_to_cross_year_findings() {
    let dir = scratch("levels");
    for f in ["洪泽区2023.txt", "洪泽区2024.txt"] {
        std::fs::copy(fixtures().join("mismatching").join(f), dir.join(f)).unwrap();
    }
    std::fs::write(
        dir.join("gov-report.toml"),
        "[rules]\ncross-year-mismatch = \"error\"\n",
    )
    .unwrap();
    let r = run_in(&dir, &["--check", "--format", "json", "."]);
    let doc = json(&r);
    let found = findings(&doc, "洪泽区2024.txt");
    assert_eq!(found.len(), 3);
    assert!(found.iter().all(|d| d["severity"] == "error"));
    std::fs::write(
        dir.join("gov-report.toml"),
        "[rules]\ncross-year-mismatch = \"off\"\n",
    )
    .unwrap();
    let r = run_in(&dir, &["--check", "--format", "json", "."]);
    assert!(findings(&json(&r), "洪泽区2024.txt").is_empty());
    // An [[ignore]] entry silences the findings on its text and counts as used.
    std::fs::write(
        dir.join("gov-report.toml"),
        "[[ignore]]\nrule = \"cross-year-mismatch\"\ntext = \"10\"\n",
    )
    .unwrap();
    let r = run_in(&dir, &["--check", "--format", "json", "."]);
    assert_eq!(findings(&json(&r), "洪泽区2024.txt").len(), 2);
    assert!(!r.stderr.contains("unused-suppression"), "{}", r.stderr);
}

#[test]
fn a_markdown_comment_naming_the_rule_silences_it_and_is_not_unused() {
    let dir = scratch("markdown");
    std::fs::copy(
        fixtures().join("mismatching/洪泽区2023.txt"),
        dir.join("2023.md"),
    )
    .unwrap();
    let later = std::fs::read_to_string(fixtures().join("mismatching/洪泽区2024.txt")).unwrap();
    let later = later.replacen(
        "二、上年结转政府信息公开申请数量",
        "<!-- gov-report-disable-next-line cross-year-mismatch -->\n二、上年结转政府信息公开申请数量",
        1,
    );
    std::fs::write(dir.join("2024.md"), later).unwrap();
    let r = run_in(&dir, &["--check", "--format", "json", "."]);
    let doc = json(&r);
    let found = findings(&doc, "2024.md");
    // Only 表二's finding is left; the comment is used, so not reported.
    assert_eq!(found.len(), 1, "{doc}");
    assert!(found[0]["message"]
        .as_str()
        .unwrap()
        .contains("现行有效件数"));
    assert!(!r.stdout.contains("unused-suppression"), "{}", r.stdout);
    // Checked alone, the comment cannot be judged: not reported either.
    let alone = run_in(&dir, &["--check", "2024.md"]);
    assert!(
        !alone.stdout.contains("unused-suppression"),
        "{}",
        alone.stdout
    );
}

const PERSONAL: &str = "tests/fixtures/rules/personal-data/invalid-phone-id-and-card.txt";

#[test]
fn personal_data_is_masked_in_every_output_format() {
    let full = [
        "13812345678",
        "138 1234 5678",
        "320102198506151236",
        "6222021234567890128",
    ];
    let masked = ["138 **** 5678", "3201**********1236", "6222***********0128"];
    for format in ["human", "json", "sarif", "github"] {
        let r = run_in(&root(), &["--check", "--format", format, PERSONAL]);
        assert_eq!(r.code, 1, "{format}: personal data is an error");
        let out = format!("{}{}", r.stdout, r.stderr);
        for number in full {
            assert!(!out.contains(number), "{format} shows {number}:\n{out}");
        }
        // JSON and SARIF escape nothing here, GitHub keeps the text as is.
        for m in masked {
            assert!(out.contains(m), "{format} lacks {m}:\n{out}");
        }
    }
    // The quoted source line is masked too, with the carets still under the number.
    let human = run_in(&root(), &["--check", PERSONAL]).stdout;
    let lines: Vec<&str> = human.lines().collect();
    let at = lines
        .iter()
        .position(|l| l.contains("error[personal-data] 发现手机号码"))
        .unwrap();
    let source = lines[at + 2].split_once(" | ").unwrap().1;
    let carets = lines[at + 3].split_once(" | ").unwrap().1;
    let col =
        unicode_width::UnicodeWidthStr::width(&source[..source.find("138 **** 5678").unwrap()]);
    assert_eq!(carets.find('^'), Some(col));
    assert_eq!(carets.trim().len(), "138 **** 5678".len());
}
