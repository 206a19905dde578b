//! The workflow features end to end, through the real binary: `--format
//! github` / `sarif` (snapshots; SARIF validated against the vendored 2.1.0
//! schema), `--statistics`, exit codes, configuration discovery, `--fix`
//! (byte-exact on CRLF, BOM and GB18030 files) and `--diff`. How `--fix`
//! treats the file itself (permissions, links, owners, concurrent edits) is
//! tested in `file_safety.rs`.

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use serde_json::Value;

const BIN: &str = env!("CARGO_BIN_EXE_gov-report-lsp");
/// Three `table-label` errors (`结果维护`, lines 55, 63, 68).
const SEED_000: &str = include_str!("examples/000_4ae5941108e95401.txt");
/// One `section-title` warning (line 90).
const SEED_003: &str = include_str!("examples/003_45b37724e5fb3c0a.txt");

struct Run {
    code: i32,
    stdout: String,
    stderr: String,
}

fn run_in(dir: &Path, args: &[&str]) -> Run {
    run_with_stdin(dir, args, None)
}

fn run_with_stdin(dir: &Path, args: &[&str], stdin: Option<&[u8]>) -> Run {
    let out = raw(dir, args, stdin);
    Run {
        code: out.status.code().expect("exit code"),
        stdout: String::from_utf8(out.stdout).expect("UTF-8 stdout"),
        stderr: String::from_utf8(out.stderr).expect("UTF-8 stderr"),
    }
}

fn raw(dir: &Path, args: &[&str], stdin: Option<&[u8]>) -> Output {
    let mut child = Command::new(BIN)
        .args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run gov-report-lsp");
    let mut pipe = child.stdin.take().unwrap();
    pipe.write_all(stdin.unwrap_or_default()).unwrap();
    drop(pipe);
    child.wait_with_output().unwrap()
}

fn tempdir() -> tempfile::TempDir {
    tempfile::tempdir().unwrap()
}

fn write(dir: &Path, name: &str, text: &str) -> PathBuf {
    let path = dir.join(name);
    fs::create_dir_all(path.parent().unwrap()).unwrap();
    fs::write(&path, text).unwrap();
    path
}

/// Seed 003 as Markdown with an unused suppression before its heading.
fn markdown_with_unused_suppression() -> String {
    let mut lines: Vec<&str> = SEED_003.split_inclusive('\n').collect();
    lines.insert(89, "<!-- gov-report-disable-next-line table-label -->\n");
    lines.concat()
}

/// A folder with one finding of each severity: errors in `000.txt`, an info
/// (`section-title` set to info by the config) in `003.txt`, a warning
/// (`unused-suppression`) in a Markdown file whose name needs escaping.
fn mixed_project() -> tempfile::TempDir {
    let dir = tempdir();
    write(dir.path(), "000.txt", SEED_000);
    write(dir.path(), "003.txt", SEED_003);
    write(
        dir.path(),
        "草稿,v1:2.md",
        &markdown_with_unused_suppression(),
    );
    write(
        dir.path(),
        "gov-report.toml",
        "[rules]\nsection-title = \"info\"\n",
    );
    dir
}

const MIXED_FILES: [&str; 3] = ["000.txt", "003.txt", "草稿,v1:2.md"];

fn args<'a>(extra: &[&'a str]) -> Vec<&'a str> {
    let mut v = vec!["--check"];
    v.extend_from_slice(extra);
    v.extend_from_slice(&MIXED_FILES);
    v
}

#[test]
fn github_annotations() {
    let dir = mixed_project();
    let run = run_in(dir.path(), &args(&["--format", "github"]));
    assert_eq!(run.code, 1, "{}", run.stderr);
    insta::assert_snapshot!("github", run.stdout);
    // One command per finding, each on one line (newlines escaped).
    let json = json_of(dir.path(), &args(&["--format", "json"]));
    let total: usize = json["files"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["diagnostics"].as_array().unwrap().len())
        .sum();
    assert_eq!(run.stdout.lines().count(), total);
    assert!(run.stdout.lines().all(|l| l.starts_with("::")));
    assert!(run.stdout.contains("::notice file=003.txt,"));
    assert!(run.stdout.contains("::warning file=草稿%2Cv1%3A2.md,"));
    assert!(run
        .stdout
        .contains("::error file=000.txt,line=55,col=1,endLine=55,endColumn=5,"));
    // A file that cannot be read is annotated as well (and the run exits 2).
    fs::write(dir.path().join("binary.txt"), b"PK\x03\x04\x00").unwrap();
    let run = run_in(
        dir.path(),
        &["--check", "--format", "github", "binary.txt", "000.txt"],
    );
    assert_eq!(run.code, 2);
    assert!(
        run.stdout
            .contains("::error file=binary.txt,title=gov-report-lsp::这是二进制文件"),
        "{}",
        run.stdout
    );
}

fn json_of(dir: &Path, args: &[&str]) -> Value {
    let run = run_in(dir, args);
    serde_json::from_str(&run.stdout).unwrap_or_else(|e| panic!("{e}: {}", run.stdout))
}

#[test]
fn sarif_log_is_valid_and_complete() {
    let dir = mixed_project();
    let sarif = json_of(dir.path(), &args(&["--format", "sarif"]));

    // The published schema's pattern for `run.language` has a stray `]`
    // that the validator rejects as a regex; we never emit that property, so
    // it is replaced by the intended pattern before compiling.
    let schema_text = include_str!("sarif/sarif-2.1.0-rtm.5.json").replace(
        r#""^[a-zA-Z]{2}|^[a-zA-Z]{2}-[a-zA-Z]{2}]?$""#,
        r#""^[a-zA-Z]{2}(-[a-zA-Z]{2})?$""#,
    );
    let schema: Value = serde_json::from_str(&schema_text).unwrap();
    let validator = jsonschema::draft4::new(&schema).expect("schema compiles");
    let errors: Vec<String> = validator
        .iter_errors(&sarif)
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .collect();
    assert!(errors.is_empty(), "{errors:#?}");
    // The validator is live: a wrong level or a 0 column is caught.
    let mut broken = sarif.clone();
    broken["runs"][0]["results"][0]["level"] = "fatal".into();
    assert!(!validator.is_valid(&broken));
    let mut broken = sarif.clone();
    broken["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["region"]["startColumn"] =
        0.into();
    assert!(!validator.is_valid(&broken));

    assert_eq!(sarif["version"], "2.1.0");
    let run = &sarif["runs"][0];
    assert_eq!(run["columnKind"], "unicodeCodePoints");
    // One rule per registered rule, with the registry's texts.
    let rules = run["tool"]["driver"]["rules"].as_array().unwrap();
    assert_eq!(rules.len(), gov_report_lsp::rules::ALL.len());
    for (descriptor, rule) in rules.iter().zip(gov_report_lsp::rules::ALL) {
        assert_eq!(descriptor["id"], rule.id);
        assert_eq!(descriptor["shortDescription"]["text"], rule.summary);
        assert_eq!(descriptor["help"]["text"], rule.docs);
        assert_eq!(
            descriptor["defaultConfiguration"]["level"],
            match rule.default_severity {
                gov_report_lsp::Severity::Error => "error",
                gov_report_lsp::Severity::Warning => "warning",
                gov_report_lsp::Severity::Info => "note",
            }
        );
    }
    // One result per finding, as in --format json.
    let json = json_of(dir.path(), &args(&["--format", "json"]));
    let results = run["results"].as_array().unwrap();
    let diagnostics: Vec<&Value> = json["files"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|f| f["diagnostics"].as_array().unwrap())
        .collect();
    assert_eq!(results.len(), diagnostics.len());
    for (r, d) in results.iter().zip(&diagnostics) {
        assert_eq!(r["ruleId"], d["rule"]);
        assert_eq!(r["message"]["text"], d["message"]);
        let region = &r["locations"][0]["physicalLocation"]["region"];
        assert_eq!(region["startLine"], d["range"]["start"]["line"]);
        assert_eq!(region["startColumn"], d["range"]["start"]["column"]);
        assert_eq!(region["endLine"], d["range"]["end"]["line"]);
        assert_eq!(region["endColumn"], d["range"]["end"]["column"]);
        assert_eq!(r["fixes"].is_array(), !d["fix"].is_null());
        let index = r["ruleIndex"].as_u64().unwrap() as usize;
        assert_eq!(rules[index]["id"], r["ruleId"]);
    }
    insta::assert_json_snapshot!("sarif_results", results);
}

#[test]
fn statistics_count_per_rule() {
    let dir = mixed_project();
    let run = run_in(dir.path(), &args(&["--statistics"]));
    assert_eq!(run.code, 1);
    insta::assert_snapshot!("statistics", run.stdout);
    let counts = json_of(dir.path(), &args(&["--statistics", "--format", "json"]));
    let counts = counts.as_array().unwrap();
    let table_label = counts.iter().find(|c| c["rule"] == "table-label").unwrap();
    assert_eq!(table_label["count"], 3);
    assert_eq!(table_label["fixable"], 3);
    assert_eq!(counts[0]["rule"], "table-label", "most frequent first");
}

#[test]
fn exit_codes() {
    let dir = tempdir();
    write(dir.path(), "warn.txt", SEED_003);
    write(dir.path(), "err.txt", SEED_000);
    let code = |args: &[&str]| run_in(dir.path(), args).code;
    assert_eq!(code(&["--check", "warn.txt"]), 0, "warnings pass");
    assert_eq!(
        code(&["--check", "--strict", "warn.txt"]),
        1,
        "--strict: warnings fail"
    );
    assert_eq!(code(&["--check", "err.txt"]), 1);
    assert_eq!(code(&["--check", "--exit-zero", "err.txt"]), 0);
    assert_eq!(
        code(&["--check", "--exit-zero", "--strict", "err.txt"]),
        2,
        "conflicting flags"
    );
    assert_eq!(
        code(&["--check", "--exit-zero", "missing.txt"]),
        2,
        "I/O trouble is never hidden"
    );
    assert_eq!(
        code(&["--check", "--unsafe-fixes", "err.txt"]),
        2,
        "needs --fix or --diff"
    );
}

#[test]
fn configuration_is_discovered_per_file() {
    let dir = tempdir();
    let root = dir.path();
    write(root, "a/000.txt", SEED_000);
    write(
        root,
        "a/gov-report.toml",
        "[rules]\ntable-label = \"warning\"\n",
    );
    write(root, "b/000.txt", SEED_000);
    write(root, "c/d/000.txt", SEED_000);
    write(
        root,
        "c/.gov-report.toml",
        "[[ignore]]\nrule = \"table-label\"\ntext = \"结果维护\"\n",
    );
    let json = json_of(root, &["--check", "--format", "json", "."]);
    let rules_of = |path: &str| -> Vec<(String, String)> {
        json["files"]
            .as_array()
            .unwrap()
            .iter()
            .find(|f| f["path"] == path)
            .unwrap_or_else(|| panic!("{path} in {json}"))["diagnostics"]
            .as_array()
            .unwrap()
            .iter()
            // Seed 000 also lacks the 信息处理费 statement; this test is about table-label.
            .filter(|d| d["rule"] != "fee-statement")
            .map(|d| {
                (
                    d["rule"].as_str().unwrap().to_string(),
                    d["severity"].as_str().unwrap().to_string(),
                )
            })
            .collect()
    };
    let label = |sev: &str| ("table-label".to_string(), sev.to_string());
    assert_eq!(
        rules_of("./a/000.txt"),
        [label("warning"), label("warning"), label("warning")]
    );
    assert_eq!(
        rules_of("./b/000.txt"),
        [label("error"), label("error"), label("error")]
    );
    assert_eq!(rules_of("./c/d/000.txt"), []);

    // --config overrides discovery for every file.
    write(
        root,
        "elsewhere.toml",
        "[rules]\ntable-label = \"off\"\nfee-statement = \"off\"\n",
    );
    let json = json_of(
        root,
        &[
            "--check",
            "--format",
            "json",
            "--config",
            "elsewhere.toml",
            ".",
        ],
    );
    assert_eq!(json["summary"]["errors"], 0);
    assert_eq!(json["summary"]["warnings"], 0);
}

#[test]
fn include_exclude_year_agency_kind_from_the_config() {
    let dir = tempdir();
    let root = dir.path();
    write(root, "reports/000.txt", SEED_000);
    write(root, "reports/archive/000.txt", SEED_000);
    write(root, "notes/000.txt", SEED_000);
    write(
        root,
        "gov-report.toml",
        "include = [\"reports/**\"]\nexclude = [\"archive\"]\nyear = 2022\nagency-kind = \"government\"\n",
    );
    let json = json_of(root, &["--check", "--format", "json", "."]);
    let files = json["files"].as_array().unwrap();
    assert_eq!(files.len(), 1, "{json}");
    assert_eq!(files[0]["path"], "./reports/000.txt");
    assert_eq!(files[0]["report"]["year"], 2022);
    let rules: Vec<&str> = files[0]["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["rule"].as_str().unwrap())
        .collect();
    assert!(rules.contains(&"missing-accountability"), "{rules:?}");
    // --year beats the config.
    let json = json_of(
        root,
        &[
            "--check",
            "--format",
            "json",
            "--year",
            "2023",
            "reports/000.txt",
        ],
    );
    assert_eq!(json["files"][0]["report"]["year"], 2023);
    // An excluded file named on the command line is skipped with a note.
    let run = run_in(root, &["--check", "reports/archive/000.txt"]);
    assert_eq!(run.code, 0);
    assert!(
        run.stderr
            .contains("reports/archive/000.txt 被 gov-report.toml 的 include/exclude 排除"),
        "{}",
        run.stderr
    );
}

#[test]
fn config_errors_stop_the_run_with_file_line_and_key() {
    let dir = tempdir();
    write(dir.path(), "000.txt", SEED_000);
    write(
        dir.path(),
        "gov-report.toml",
        "year = 2023\n[rules]\ntable-label = \"warn\"\n",
    );
    let run = run_in(dir.path(), &["--check", "000.txt"]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.contains("error: gov-report.toml:3:15: 配置错误（rules.table-label）：规则 `table-label` 的级别 `\"warn\"` 无效。可用的值："),
        "{}",
        run.stderr
    );
    let run = run_in(dir.path(), &["--check", "--config", "nope.toml", "000.txt"]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr
            .contains("nope.toml: 无法读取配置文件（文件或文件夹不存在）"),
        "{}",
        run.stderr
    );
}

#[test]
fn show_settings_as_toml_and_json() {
    let dir = tempdir();
    write(dir.path(), "drafts/a.txt", SEED_000);
    write(
        dir.path(),
        "gov-report.toml",
        "year = 2023\nexclude = [\"old\"]\n[rules]\nsection-title = \"off\"\n[[ignore]]\nrule = \"table-label\"\ntext = \"结果维护\"\n",
    );
    let run = run_in(dir.path(), &["--show-settings", "drafts/a.txt"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    insta::assert_snapshot!("show_settings_toml", run.stdout);
    // What it prints is itself a valid gov-report.toml with the same meaning.
    let reparsed = gov_report_lsp::config::Config::parse(Path::new("shown.toml"), &run.stdout)
        .unwrap_or_else(|e| panic!("{e}"));
    let original = gov_report_lsp::config::Config::parse(
        Path::new("gov-report.toml"),
        &fs::read_to_string(dir.path().join("gov-report.toml")).unwrap(),
    )
    .unwrap();
    let (mut a, mut b) = (reparsed.shown(), original.shown());
    (a.config, b.config) = (None, None);
    assert_eq!(a, b);
    let json = json_of(
        dir.path(),
        &["--show-settings", "--format", "json", "drafts/a.txt"],
    );
    assert_eq!(json["config"], "gov-report.toml");
    assert_eq!(json["year"], 2023);
    assert_eq!(json["rules"]["section-title"], "off");
    assert_eq!(json["rules"]["table-label"], "error");
    assert_eq!(json["ignore"][0]["text"], "结果维护");
    assert_eq!(json["checked"], true);
    let json = json_of(
        dir.path(),
        &["--show-settings", "--format", "json", "old/b.txt"],
    );
    assert_eq!(json["checked"], false);
    // No configuration anywhere above: the defaults.
    let empty = tempdir();
    let json = json_of(empty.path(), &["--show-settings", "--format", "json"]);
    assert!(json.get("config").is_none(), "{json}");
    assert_eq!(json["rules"]["table-label"], "error");
}

fn fixture(name: &str) -> Vec<u8> {
    fs::read(
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures/fix")
            .join(name),
    )
    .unwrap()
}

#[test]
fn fix_keeps_encoding_bom_and_line_endings_byte_for_byte() {
    for name in ["crlf", "bom", "gb18030"] {
        let dir = tempdir();
        let file = dir.path().join(format!("{name}.txt"));
        fs::write(&file, fixture(&format!("{name}.txt"))).unwrap();
        let run = run_in(dir.path(), &["--check", "--fix", &format!("{name}.txt")]);
        assert_eq!(run.code, 0, "{name}: {}{}", run.stdout, run.stderr);
        assert!(
            run.stderr.contains("已自动修复 3 个问题（1 个文件）"),
            "{}",
            run.stderr
        );
        assert!(
            run.stdout.contains("错误 0 个"),
            "what remains is reported: {}",
            run.stdout
        );
        let expected = fixture(&format!("{name}.fixed.txt"));
        assert!(
            fs::read(&file).unwrap() == expected,
            "{name}: bytes differ from {name}.fixed.txt"
        );
        // Idempotent: a second --fix changes nothing.
        let run = run_in(dir.path(), &["--check", "--fix", &format!("{name}.txt")]);
        assert_eq!(run.code, 0);
        assert!(!run.stderr.contains("已自动修复"), "{}", run.stderr);
        assert!(fs::read(&file).unwrap() == expected);
        // No temporary file left behind.
        assert_eq!(fs::read_dir(dir.path()).unwrap().count(), 1);
    }
}

#[test]
fn fix_from_stdin_prints_the_fixed_bytes() {
    let dir = tempdir();
    let out = raw(
        dir.path(),
        &["--check", "--fix", "--stdin-filename", "draft.txt", "-"],
        Some(&fixture("gb18030.txt")),
    );
    assert_eq!(out.status.code(), Some(0));
    assert!(out.stdout == fixture("gb18030.fixed.txt"));
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(stderr.contains("已自动修复 3 个问题"), "{stderr}");
}

#[test]
fn diff_shows_the_fix_without_writing() {
    let dir = tempdir();
    let file = write(dir.path(), "draft.txt", SEED_000);
    let run = run_in(dir.path(), &["--check", "--diff", "draft.txt"]);
    assert_eq!(run.code, 1, "a pending fix fails like ruff --diff");
    insta::assert_snapshot!("diff", run.stdout);
    assert!(
        run.stderr.contains("1 个文件可自动修复（共 3 处）"),
        "{}",
        run.stderr
    );
    assert_eq!(
        fs::read_to_string(&file).unwrap(),
        SEED_000,
        "--diff does not write"
    );
    // After --fix there is nothing left to diff.
    assert_eq!(
        run_in(dir.path(), &["--check", "--fix", "draft.txt"]).code,
        0
    );
    let run = run_in(dir.path(), &["--check", "--diff", "draft.txt"]);
    assert_eq!((run.code, run.stdout.as_str()), (0, ""));
}

#[test]
fn unsafe_fixes_only_when_asked() {
    // Seed 003 without its 六 heading: missing-section, whose fix (inserting
    // the heading) is unsafe; plus the safe section-title fix.
    let text = SEED_003.replace("六、其他需要报告的事项\n", "");
    let dir = tempdir();
    let file = write(dir.path(), "draft.txt", &text);
    let run = run_in(dir.path(), &["--check", "--fix", "draft.txt"]);
    assert_eq!(run.code, 1, "missing-section remains: {}", run.stdout);
    assert!(run.stdout.contains("missing-section"));
    assert!(!run.stdout.contains("section-title"));
    assert!(!fs::read_to_string(&file)
        .unwrap()
        .contains("六、其他需要报告的事项"));
    let run = run_in(
        dir.path(),
        &["--check", "--fix", "--unsafe-fixes", "draft.txt"],
    );
    assert_eq!(run.code, 0, "{}{}", run.stdout, run.stderr);
    assert!(fs::read_to_string(&file)
        .unwrap()
        .contains("六、其他需要报告的事项"));
}

#[test]
fn suppression_comments_through_the_cli() {
    let dir = tempdir();
    let mut lines: Vec<&str> = SEED_003.split_inclusive('\n').collect();
    lines.insert(89, "<!-- gov-report-disable-next-line section-title -->\n");
    write(dir.path(), "draft.md", &lines.concat());
    let run = run_in(dir.path(), &["--check", "--strict", "draft.md"]);
    assert_eq!(run.code, 0, "{}", run.stdout);
    assert!(run.stdout.contains("警告 0 个"), "{}", run.stdout);
    // An unused one is reported and --fix removes it.
    write(dir.path(), "unused.md", &markdown_with_unused_suppression());
    let run = run_in(dir.path(), &["--check", "--strict", "unused.md"]);
    assert_eq!(run.code, 1);
    assert!(
        run.stdout.contains("warning[unused-suppression]"),
        "{}",
        run.stdout
    );
    let run = run_in(dir.path(), &["--check", "--fix", "--strict", "unused.md"]);
    assert_eq!(run.code, 0, "{}", run.stdout);
    assert!(!fs::read_to_string(dir.path().join("unused.md"))
        .unwrap()
        .contains("<!--"));
}

#[test]
fn extra_labels_from_the_config_are_accepted() {
    let dir = tempdir();
    write(dir.path(), "000.txt", SEED_000);
    assert_eq!(run_in(dir.path(), &["--check", "000.txt"]).code, 1);
    // A region's own row label, written like the near miss: accepted.
    write(
        dir.path(),
        "gov-report.toml",
        "extra-labels = [\"结果 维护\"]\n",
    );
    let run = run_in(dir.path(), &["--check", "000.txt"]);
    assert_eq!(run.code, 0, "{}", run.stdout);
    assert!(!run.stdout.contains("table-label"), "{}", run.stdout);
}

#[test]
fn only_reports_skips_named_files_that_are_not_reports() {
    let dir = tempdir();
    write(
        dir.path(),
        "README.md",
        "# 草稿仓库\n\n各科室的草稿放在这里。\n",
    );
    write(dir.path(), "000.txt", SEED_000);
    // Named explicitly, a README is checked (and fails: no sections)...
    assert_eq!(run_in(dir.path(), &["--check", "README.md"]).code, 1);
    // ...unless --only-reports, as the pre-commit hooks pass it.
    let run = run_in(
        dir.path(),
        &["--check", "--only-reports", "README.md", "000.txt"],
    );
    assert_eq!(run.code, 1);
    assert!(!run.stdout.contains("README.md"), "{}", run.stdout);
    assert!(
        run.stdout.contains("000.txt:55:1: error[table-label]"),
        "{}",
        run.stdout
    );
    let run = run_in(dir.path(), &["--check", "--only-reports", "README.md"]);
    assert_eq!(run.code, 0, "{}", run.stdout);
}

#[test]
fn unused_ignore_entries_are_reported_when_their_whole_folder_is_checked() {
    let dir = tempdir();
    write(dir.path(), "drafts/000.txt", SEED_000);
    let config = "[[ignore]]\nrule = \"table-label\"\ntext = \"结果维护\"\n\n[[ignore]]\nrule = \"section-title\"\ntext = \"五、存在问题及改进措施\"\n";
    write(dir.path(), "gov-report.toml", config);
    let expected = "gov-report.toml:5:1: warning[unused-suppression] [[ignore]] 条目（rule = \"section-title\"，text = \"五、存在问题及改进措施\"）在检查的文件中没有抑制任何问题，可以删除。";
    let run = run_in(dir.path(), &["--check", "."]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stderr.contains(expected), "{}", run.stderr);
    assert!(
        !run.stderr.contains("table-label"),
        "the used entry is not reported: {}",
        run.stderr
    );
    assert_eq!(run_in(dir.path(), &["--check", "--strict", "."]).code, 1);
    // A run over some files (pre-commit) cannot judge: nothing reported.
    for partial in [["--check", "drafts/000.txt"], ["--check", "drafts"]] {
        let run = run_in(dir.path(), &partial);
        assert!(
            !run.stderr.contains("unused-suppression"),
            "{partial:?}: {}",
            run.stderr
        );
    }
    // The rule's level applies.
    write(
        dir.path(),
        "gov-report.toml",
        // Seed 000's missing 信息处理费 statement would fail --strict too.
        &format!("{config}\n[rules]\nunused-suppression = \"off\"\nfee-statement = \"off\"\n"),
    );
    let run = run_in(dir.path(), &["--check", "--strict", "."]);
    assert_eq!(run.code, 0);
    assert!(!run.stderr.contains("unused-suppression"), "{}", run.stderr);
}
