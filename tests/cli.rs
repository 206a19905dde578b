//! End-to-end tests of the command line: the real binary, real files.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use serde_json::Value;
use unicode_width::UnicodeWidthStr;

const BIN: &str = env!("CARGO_BIN_EXE_gov-report-lsp");

struct Run {
    code: i32,
    stdout: String,
    stderr: String,
}

fn run_in(dir: &Path, args: &[&str], stdin: Option<&[u8]>) -> Run {
    let mut child = Command::new(BIN)
        .args(args)
        .current_dir(dir)
        .env_remove("NO_COLOR")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run gov-report-lsp");
    {
        let mut input = child.stdin.take().unwrap();
        if let Some(bytes) = stdin {
            input.write_all(bytes).unwrap();
        }
    }
    let out = child.wait_with_output().unwrap();
    Run {
        code: out.status.code().expect("exited normally, not by a signal"),
        stdout: String::from_utf8(out.stdout).expect("stdout is UTF-8"),
        stderr: String::from_utf8(out.stderr).expect("stderr is UTF-8"),
    }
}

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn run(args: &[&str]) -> Run {
    run_in(&root(), args, None)
}

fn fixtures() -> PathBuf {
    root().join("tests/fixtures/cli")
}

/// A fresh, empty scratch folder for one test.
fn scratch(name: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR"))
        .join("cli")
        .join(name);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn json(run: &Run) -> Value {
    serde_json::from_str(&run.stdout)
        .unwrap_or_else(|e| panic!("stdout is not JSON ({e}):\n{}", run.stdout))
}

fn keys(v: &Value) -> Vec<&str> {
    let mut k: Vec<&str> = v
        .as_object()
        .unwrap_or_else(|| panic!("not an object: {v}"))
        .keys()
        .map(String::as_str)
        .collect();
    k.sort_unstable();
    k
}

#[test]
fn human_output_aligns_carets_under_cjk_and_astral_characters() {
    let r = run_in(&fixtures(), &["--check", "caret.txt"], None);
    assert_eq!(r.code, 1, "{}", r.stderr);
    insta::assert_snapshot!("human_caret", r.stdout);

    // Independently of the snapshot: under the source line that holds the
    // period's wrong year, the carets start at the display column of `2022`
    // (after a tab, 𠮷 and fourteen double-width characters).
    let lines: Vec<&str> = r.stdout.lines().collect();
    let at = lines
        .iter()
        .position(|l| l.starts_with("caret.txt:2:") && l.contains("period-mismatch"))
        .expect("period finding");
    let source = lines[at + 2].split_once(" | ").unwrap().1;
    let carets = lines[at + 3].split_once(" | ").unwrap().1;
    let before = &source[..source.find("2022").unwrap()];
    assert!(before.contains('𠮷'));
    assert_eq!(carets.find('^').unwrap(), before.width());
    assert_eq!(carets.trim(), "^^^^");
    // Columns count characters: the tab, 𠮷 and 14 characters precede it.
    assert!(lines[at].starts_with("caret.txt:2:17: error[period-mismatch] "));
    assert_eq!(
        lines.last().unwrap(),
        &"共检查 1 个文件：错误 4 个，警告 2 个，提示 0 个。"
    );
    assert!(!r.stdout.contains('\x1b'), "no colour when piped");
}

#[test]
fn json_output_follows_the_contract() {
    let r = run_in(
        &fixtures(),
        &["--check", "--format", "json", "caret.txt"],
        None,
    );
    assert_eq!(r.code, 1, "{}", r.stderr);
    insta::assert_snapshot!("json_caret", r.stdout);

    let doc = json(&r);
    assert_eq!(keys(&doc), ["files", "summary"]);
    let file = &doc["files"][0];
    assert_eq!(keys(file), ["diagnostics", "path", "report"]);
    assert_eq!(file["path"], "caret.txt");
    assert_eq!(keys(&file["report"]), ["format", "tables", "title", "year"]);
    assert_eq!(file["report"]["year"], 2023);
    let period = &file["diagnostics"][0];
    assert_eq!(period["rule"], "period-mismatch");
    // 1-based line, columns in Unicode characters: the text there is `2022`.
    let text = std::fs::read_to_string(fixtures().join("caret.txt")).unwrap();
    let line: Vec<char> = text.lines().nth(1).unwrap().chars().collect();
    let start = period["range"]["start"]["column"].as_u64().unwrap() as usize;
    let end = period["range"]["end"]["column"].as_u64().unwrap() as usize;
    assert_eq!(period["range"]["start"]["line"], 2);
    assert_eq!(line[start - 1..end - 1].iter().collect::<String>(), "2022");
    assert_eq!(period["fix"]["edits"][0]["new_text"], "2023");
    assert_eq!(period["fix"]["safety"], "unsafe");
}

/// Every file, diagnostic, range, fix and summary of a folder run has
/// exactly the contract's fields with the contract's types.
#[test]
fn json_contract_shape_over_the_examples() {
    let r = run(&["--check", "--format", "json", "tests/examples/"]);
    assert!(r.code == 0 || r.code == 1, "{}", r.stderr);
    let doc = json(&r);
    let files = doc["files"].as_array().unwrap();
    let paths: Vec<&str> = files.iter().map(|f| f["path"].as_str().unwrap()).collect();
    let mut sorted = paths.clone();
    sorted.sort_unstable();
    assert_eq!(paths, sorted, "files are in sorted order");
    assert_eq!(paths.len(), 5);
    assert!(paths[0].ends_with("000_4ae5941108e95401.txt"));

    let position = |p: &Value| {
        assert_eq!(keys(p), ["column", "line"]);
        assert!(p["line"].as_u64().unwrap() >= 1 && p["column"].as_u64().unwrap() >= 1);
    };
    let range = |r: &Value| {
        assert_eq!(keys(r), ["end", "start"]);
        position(&r["start"]);
        position(&r["end"]);
        let at = |p: &Value| (p["line"].as_u64(), p["column"].as_u64());
        assert!(at(&r["start"]) <= at(&r["end"]), "{r}");
    };
    let (mut errors, mut warnings, mut infos) = (0, 0, 0);
    for f in files {
        assert_eq!(keys(f), ["diagnostics", "path", "report"]);
        let report = &f["report"];
        assert_eq!(keys(report), ["format", "tables", "title", "year"]);
        assert!(report["year"].is_i64() || report["year"].is_null());
        for t in report["tables"].as_array().unwrap() {
            assert_eq!(
                keys(t),
                [
                    "cells_expected",
                    "cells_read",
                    "format",
                    "id",
                    "name",
                    "parts",
                    "verdict"
                ]
            );
            assert!(["read", "partial", "unreadable"].contains(&t["verdict"].as_str().unwrap()));
            assert!(t["cells_read"].as_u64() <= t["cells_expected"].as_u64());
            for p in t["parts"].as_array().unwrap() {
                assert_eq!(
                    keys(p),
                    [
                        "cells_expected",
                        "cells_read",
                        "name",
                        "reason",
                        "unread_rows",
                        "verdict"
                    ]
                );
            }
        }
        assert!(["2021", "2019"].contains(&report["format"].as_str().unwrap_or("2021")));
        assert!(report["title"].is_string() || report["title"].is_null());
        for d in f["diagnostics"].as_array().unwrap() {
            assert_eq!(
                keys(d),
                ["fix", "location", "message", "range", "related", "rule", "severity"]
            );
            // A text file's location names its section (and table), never a page.
            assert!(d["location"].is_object() && d["location"].get("page").is_none());
            assert!(gov_report_lsp::rules::get(d["rule"].as_str().unwrap()).is_some());
            match d["severity"].as_str().unwrap() {
                "error" => errors += 1,
                "warning" => warnings += 1,
                "info" => infos += 1,
                other => panic!("severity {other}"),
            }
            assert!(!d["message"].as_str().unwrap().is_empty());
            range(&d["range"]);
            for rel in d["related"].as_array().unwrap() {
                assert_eq!(keys(rel), ["message", "range"]);
                range(&rel["range"]);
            }
            if !d["fix"].is_null() {
                let fix = &d["fix"];
                assert_eq!(keys(fix), ["edits", "safety", "title"]);
                assert!(["safe", "unsafe"].contains(&fix["safety"].as_str().unwrap()));
                for e in fix["edits"].as_array().unwrap() {
                    assert_eq!(keys(e), ["new_text", "range"]);
                    range(&e["range"]);
                    assert!(e["new_text"].is_string());
                }
            }
        }
    }
    let summary = &doc["summary"];
    assert_eq!(keys(summary), ["errors", "files", "infos", "warnings"]);
    assert_eq!(summary["files"], 5);
    assert_eq!(summary["errors"], errors);
    assert_eq!(summary["warnings"], warnings);
    assert_eq!(summary["infos"], infos);
    assert_eq!(r.code, i32::from(errors > 0));

    // The report years and formats the issue names for the seeds.
    let format = |i: usize| files[i]["report"]["format"].as_str();
    assert_eq!(format(0), Some("2021"));
    assert_eq!(format(1), Some("2021"));
    assert_eq!(format(4), Some("2019"));
    let year = |i: usize| files[i]["report"]["year"].as_i64();
    assert_eq!(year(0), Some(2021));
    assert_eq!(year(2), Some(2021));
    assert_eq!(year(3), Some(2023));
    assert_eq!(year(4), Some(2020));
}

#[test]
fn exit_codes() {
    // 1: an error-severity finding.
    assert_eq!(run_in(&fixtures(), &["--check", "caret.txt"], None).code, 1);

    // 0: warnings do not fail the check (seed 002 with an off-template heading).
    let dir = scratch("warnings-only");
    let seed =
        std::fs::read_to_string(root().join("tests/examples/002_d644ac36b4bce1f5.txt")).unwrap();
    let draft = seed.replace("五、存在的主要问题及改进情况", "五、存在问题及改进措施");
    assert_ne!(draft, seed);
    std::fs::write(dir.join("draft.txt"), draft).unwrap();
    let r = run_in(&dir, &["--check", "draft.txt"], None);
    assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
    assert!(r.stdout.contains("warning[section-title]"), "{}", r.stdout);
    assert!(r.stdout.contains("错误 0 个"), "{}", r.stdout);

    // 0: a folder with no report in it is not an error.
    let dir = scratch("no-report");
    std::fs::write(dir.join("README.md"), "# 说明\n\n这里放年度报告的草稿。\n").unwrap();
    std::fs::create_dir(dir.join("空文件夹")).unwrap();
    let r = run_in(&dir, &["--check", "."], None);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stdout.contains("共检查 0 个文件"), "{}", r.stdout);
    assert!(
        r.stdout.contains("另有 1 个文件不像年度报告，已跳过"),
        "{}",
        r.stdout
    );

    // 2: a path that does not exist, named with the reason; the other files are still checked.
    let r = run_in(&fixtures(), &["--check", "不存在.txt", "caret.txt"], None);
    assert_eq!(r.code, 2);
    assert!(
        r.stderr.contains("error: 不存在.txt: 文件或文件夹不存在"),
        "{}",
        r.stderr
    );
    assert!(r.stdout.contains("caret.txt:2:17: error[period-mismatch]"));

    // 2: usage problems.
    for args in [
        &["caret.txt"][..],
        &["--check"],
        &["--format", "json"],
        &["--check", "--format", "xml", "caret.txt"],
        &["--check", "--year", "23", "caret.txt"],
        &["--check", "--stdin-filename", "a.txt", "caret.txt"],
        &["--check", "-", "-"],
        &["--explain", "table-label", "--check", "caret.txt"],
    ] {
        let r = run_in(&fixtures(), args, Some(b""));
        assert_eq!(r.code, 2, "{args:?}: {}", r.stderr);
        assert!(r.stdout.is_empty(), "{args:?}");
        assert!(!r.stderr.is_empty(), "{args:?}");
    }
    let r = run_in(&fixtures(), &["caret.txt"], None);
    assert!(r.stderr.contains("需要加上 --check"), "{}", r.stderr);
}

#[test]
fn help_and_version() {
    let r = run(&["--version"]);
    assert_eq!(r.code, 0);
    assert_eq!(
        r.stdout.trim(),
        format!("gov-report-lsp {}", env!("CARGO_PKG_VERSION"))
    );
    let r = run(&["--help"]);
    assert_eq!(r.code, 0);
    for flag in [
        "--check",
        "--format",
        "--stdin-filename",
        "--explain",
        "--year",
        "退出码",
    ] {
        assert!(r.stdout.contains(flag), "--help mentions {flag}");
    }
}

#[test]
fn stdin_mode_uses_the_given_name() {
    let text = std::fs::read(fixtures().join("caret.txt")).unwrap();
    let from_file = run_in(&fixtures(), &["--check", "caret.txt"], None);
    let r = run_in(
        &fixtures(),
        &["--check", "--stdin-filename", "草稿/报告.txt", "-"],
        Some(&text),
    );
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert_eq!(
        r.stdout,
        from_file.stdout.replace("caret.txt", "草稿/报告.txt")
    );
    // `--stdin-filename` alone implies `-`; a bare `-` is `<stdin>`.
    let r = run_in(
        &fixtures(),
        &["--check", "--stdin-filename", "a.md"],
        Some(&text),
    );
    assert!(r.stdout.starts_with("a.md:2:17:"), "{}", r.stdout);
    let r = run_in(&fixtures(), &["--check", "-"], Some(&text));
    assert!(r.stdout.starts_with("<stdin>:2:17:"), "{}", r.stdout);
}

#[test]
fn explain_prints_the_rule_docs() {
    for rule in gov_report_lsp::rules::ALL {
        let r = run(&["--explain", rule.id]);
        assert_eq!(r.code, 0);
        assert!(r
            .stdout
            .starts_with(&format!("# {}\n\n{}\n", rule.id, rule.summary)));
        assert!(r.stdout.contains(rule.docs.trim_end()));
        assert!(r
            .stdout
            .contains(&format!("默认级别：{}", rule.default_severity)));
    }
    let r = run(&["--explain", "table-lable"]);
    assert_eq!(r.code, 2);
    assert!(r.stdout.is_empty());
    assert!(r.stderr.contains("没有名为“table-lable”的规则"));
    for rule in gov_report_lsp::rules::ALL {
        assert!(r.stderr.contains(rule.id), "lists {}", rule.id);
    }
}

#[test]
fn year_override_reaches_the_analysis() {
    let r = run_in(
        &fixtures(),
        &["--check", "--format", "json", "--year", "2022", "caret.txt"],
        None,
    );
    let doc = json(&r);
    let file = &doc["files"][0];
    assert_eq!(file["report"]["year"], 2022);
    // The start year 2022 is now right; the end year 2023 is wrong.
    let period: Vec<&Value> = file["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["rule"] == "period-mismatch")
        .collect();
    assert_eq!(period.len(), 1, "{period:?}");
    let text = std::fs::read_to_string(fixtures().join("caret.txt")).unwrap();
    let line = text.lines().nth(1).unwrap();
    let end_year = line[..line.find("2023").unwrap()].chars().count() + 1;
    assert_eq!(period[0]["range"]["start"]["column"], end_year);
    assert_eq!(period[0]["fix"]["edits"][0]["new_text"], "2022");
}

#[test]
fn output_order_is_stable() {
    let dir = scratch("order");
    let text = std::fs::read(fixtures().join("caret.txt")).unwrap();
    for name in ["b.txt", "a.md", "sub/c.txt", ".hidden/d.txt", "e.docx"] {
        let path = dir.join(name);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, &text).unwrap();
    }
    let r = run_in(
        &dir,
        &["--check", "--format", "json", "sub", "b.txt", ".", "a.md"],
        None,
    );
    let doc = json(&r);
    let paths: Vec<&str> = doc["files"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["path"].as_str().unwrap())
        .collect();
    // Sorted, each file once (under its first name, however many times it
    // was named), hidden folders and non-draft extensions skipped.
    assert_eq!(paths, ["./a.md", "./b.txt", "./sub/c.txt"]);
    // Checking in parallel does not change the output.
    let again = run_in(
        &dir,
        &["--check", "--format", "json", "sub", "b.txt", ".", "a.md"],
        None,
    );
    assert_eq!(r.stdout, again.stdout);
}

#[test]
fn colour_only_on_a_terminal_without_no_color() {
    // `script` (util-linux) runs the command on a pseudo-terminal.
    let fixture = fixtures().join("caret.txt");
    let cmd = format!("{BIN} --check {}", fixture.display());
    let tty = |no_color: Option<&str>| {
        let mut c = Command::new("script");
        c.args(["-qec", &cmd, "/dev/null"]).stdin(Stdio::null());
        match no_color {
            Some(v) => c.env("NO_COLOR", v),
            None => c.env_remove("NO_COLOR"),
        };
        let out = c.output().expect("script (util-linux) is installed");
        String::from_utf8(out.stdout).unwrap()
    };
    let coloured = tty(None);
    assert!(
        coloured.contains("\x1b[1;31merror[period-mismatch]\x1b[0m"),
        "{coloured:?}"
    );
    assert!(!tty(Some("1")).contains('\x1b'));
    // An empty NO_COLOR does not disable colour (no-color.org).
    assert!(tty(Some("")).contains('\x1b'));
}

#[test]
fn missing_file_and_folder_argument() {
    let r = run(&["--check", "tests/examples/nope.txt"]);
    assert_eq!(r.code, 2);
    assert_eq!(
        r.stderr,
        "error: tests/examples/nope.txt: 文件或文件夹不存在\n"
    );
    assert!(r.stdout.contains("1 个路径无法读取"));
    let r = run(&["--check", "tests/examples"]);
    assert!(r.stdout.contains("共检查 5 个文件"), "{}", r.stdout);
}

#[test]
fn invalid_utf8_names_the_byte_offset() {
    let dir = scratch("invalid");
    let mut bytes = "一、总体情况\n".as_bytes().to_vec();
    let offset = bytes.len();
    bytes.extend_from_slice(b"\xFF\xFE abc\n");
    std::fs::write(dir.join("坏.txt"), &bytes).unwrap();
    let r = run_in(&dir, &["--check", "坏.txt"], None);
    assert_eq!(r.code, 2);
    assert!(
        r.stderr.contains(&format!(
            "error: 坏.txt: 第 {offset} 字节起不是有效的 UTF-8 编码"
        )),
        "{}",
        r.stderr
    );
    // With a BOM the file declares UTF-8: no GB18030 guess, the offset counts the BOM.
    let mut bom = b"\xEF\xBB\xBF".to_vec();
    bom.extend_from_slice("一、总体情况\n".as_bytes());
    let offset = bom.len();
    bom.extend_from_slice(b"\xC4\xE3"); // 你 in GB18030
    std::fs::write(dir.join("bom.txt"), &bom).unwrap();
    let r = run_in(&dir, &["--check", "bom.txt"], None);
    assert_eq!(r.code, 2);
    assert!(
        r.stderr.contains(&format!(
            "error: bom.txt: 文件声明为 UTF-8（有 BOM），但第 {offset} 字节起"
        )),
        "{}",
        r.stderr
    );
}

#[test]
fn gb18030_files_are_decoded_and_checked() {
    let dir = scratch("gb18030");
    let text = std::fs::read_to_string(fixtures().join("caret.txt")).unwrap();
    let (bytes, _, unmappable) = encoding_rs::GB18030.encode(&text);
    assert!(!unmappable);
    assert!(std::str::from_utf8(&bytes).is_err());
    std::fs::write(dir.join("caret.txt"), &bytes).unwrap();
    let r = run_in(&dir, &["--check", "caret.txt"], None);
    let utf8 = run_in(&fixtures(), &["--check", "caret.txt"], None);
    assert_eq!(r.code, 1);
    assert_eq!(r.stdout, utf8.stdout);
    assert_eq!(
        r.stderr,
        "note: caret.txt 不是 UTF-8 编码，已按 GB18030 编码读取\n"
    );
}

#[test]
fn empty_file_is_checked() {
    let dir = scratch("empty");
    std::fs::write(dir.join("empty.txt"), "").unwrap();
    let r = run_in(&dir, &["--check", "--format", "json", "empty.txt"], None);
    assert_eq!(r.code, 1, "{}", r.stderr);
    let doc = json(&r);
    assert_eq!(doc["summary"]["files"], 1);
    assert_eq!(doc["files"][0]["diagnostics"][0]["rule"], "missing-section");
    let r = run_in(&dir, &["--check", "empty.txt"], None);
    assert!(
        r.stdout
            .starts_with("empty.txt:1:1: error[missing-section]"),
        "{}",
        r.stdout
    );
}

#[test]
fn binary_file_is_a_clear_error() {
    let dir = scratch("binary");
    std::fs::write(dir.join("scan.txt"), b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR").unwrap();
    let r = run_in(&dir, &["--check", "scan.txt"], None);
    assert_eq!(r.code, 2);
    assert_eq!(
        r.stderr,
        "error: scan.txt: 这是二进制文件，不是文本（第 8 字节是 NUL 字节）；可检查的文件为 .txt、.md、.docx、.html/.htm 和 .pdf\n"
    );
}

#[test]
fn fifty_megabyte_file_is_refused_clearly() {
    let dir = scratch("big");
    let seed =
        std::fs::read_to_string(root().join("tests/examples/000_4ae5941108e95401.txt")).unwrap();
    let filler =
        "本机关持续推进政府信息公开工作，依法依规做好信息发布和解读回应工作。\n".repeat(1000);
    let mut f = std::io::BufWriter::new(std::fs::File::create(dir.join("big.txt")).unwrap());
    f.write_all(seed.as_bytes()).unwrap();
    let mut len = seed.len();
    while len < 50 * 1024 * 1024 {
        f.write_all(filler.as_bytes()).unwrap();
        len += filler.len();
    }
    f.flush().unwrap();
    drop(f);
    let started = std::time::Instant::now();
    let r = run_in(&dir, &["--check", "big.txt"], None);
    assert_eq!(r.code, 2);
    assert_eq!(
        r.stderr,
        "error: big.txt: 文件过大（50.0 MB），超过 16 MB 的上限；年度报告通常不到 1 MB，请确认是否选错了文件\n"
    );
    assert!(started.elapsed().as_secs() < 5, "refused without reading");
}

#[test]
fn fifteen_megabyte_file_under_the_limit_gives_the_seed_result() {
    // The seed followed by 15 MB of prose: the same findings as the seed alone.
    let dir = scratch("under-limit");
    let name = "000_4ae5941108e95401.txt";
    let seed = std::fs::read_to_string(root().join("tests/examples").join(name)).unwrap();
    let filler =
        "本机关持续推进政府信息公开工作，依法依规做好信息发布和解读回应工作。\n".repeat(1000);
    let mut text = seed.clone();
    while text.len() < 15 * 1024 * 1024 {
        text.push_str(&filler);
    }
    std::fs::write(dir.join(name), &text).unwrap();
    let big = run_in(&dir, &["--check", "--format", "json", name], None);
    let small = run_in(
        &root().join("tests/examples"),
        &["--check", "--format", "json", name],
        None,
    );
    assert_eq!(big.code, small.code, "{}", big.stderr);
    assert_eq!(
        json(&big)["files"][0]["diagnostics"],
        json(&small)["files"][0]["diagnostics"]
    );
    assert!(!json(&big)["files"][0]["diagnostics"]
        .as_array()
        .unwrap()
        .is_empty());
}

#[test]
fn five_megabyte_line_is_checked_and_shown_cut() {
    // A saved web page flattened onto one line, padded to 5 MB.
    let dir = scratch("long-line");
    let seed =
        std::fs::read_to_string(root().join("tests/examples/000_4ae5941108e95401.txt")).unwrap();
    let flat = seed.replace(['\n', '\r'], " ");
    let mut line = flat.clone();
    while line.len() < 5 * 1024 * 1024 {
        line.push_str("本机关持续推进政府信息公开工作。");
    }
    std::fs::write(dir.join("page.txt"), &line).unwrap();

    let r = run_in(&dir, &["--check", "--format", "json", "page.txt"], None);
    assert!(r.code == 0 || r.code == 1, "{}", r.stderr);
    let doc = json(&r);
    assert_eq!(doc["summary"]["files"], 1);
    let chars: Vec<char> = line.chars().collect();
    for d in doc["files"][0]["diagnostics"].as_array().unwrap() {
        assert_eq!(d["range"]["start"]["line"], 1);
        // Every range lies inside the seed's text, not in the padding.
        let col = d["range"]["start"]["column"].as_u64().unwrap() as usize;
        assert!(col <= flat.chars().count() + 1, "{d}");
        assert!(col <= chars.len() + 1);
    }

    let r = run_in(&dir, &["--check", "page.txt"], None);
    assert!(
        r.stdout.len() < 64 * 1024,
        "the 5 MB line is not printed whole"
    );
    // Source excerpts (not the finding's message line) fit the window.
    for l in r.stdout.lines().filter(|l| !l.starts_with("page.txt:")) {
        assert!(l.width() <= 120, "cut to the window: {l}");
    }
}

#[test]
fn human_output_lists_fixes_and_related_locations_like_the_json() {
    // Seed 000 with a wrong row total in table three: a finding with an
    // unsafe fix and the summed cells as related locations.
    let dir = scratch("related");
    let seed =
        std::fs::read_to_string(root().join("tests/examples/000_4ae5941108e95401.txt")).unwrap();
    let draft = seed.replace(
        "一、本年新收政府信息公开申请数量 1 0 0 0 0 0 1",
        "一、本年新收政府信息公开申请数量 1 0 0 0 0 0 2",
    );
    assert_ne!(draft, seed);
    std::fs::write(dir.join("draft.txt"), draft).unwrap();
    let human = run_in(&dir, &["--check", "draft.txt"], None);
    let doc = json(&run_in(
        &dir,
        &["--check", "--format", "json", "draft.txt"],
        None,
    ));
    let diagnostics = doc["files"][0]["diagnostics"].as_array().unwrap();
    let total = diagnostics
        .iter()
        .find(|d| d["rule"] == "total-mismatch")
        .expect("the injected total is found");
    assert!(!total["related"].as_array().unwrap().is_empty());
    for d in diagnostics {
        let at = |p: &Value| format!("draft.txt:{}:{}", p["line"], p["column"]);
        let header = format!(
            "{}: {}[{}] {}",
            at(&d["range"]["start"]),
            d["severity"].as_str().unwrap(),
            d["rule"].as_str().unwrap(),
            d["message"].as_str().unwrap()
        );
        let block: Vec<&str> = human
            .stdout
            .split("\n\n")
            .find(|b| b.starts_with(&header))
            .unwrap_or_else(|| panic!("no block for {header}"))
            .lines()
            .collect();
        if let Some(fix) = d["fix"].as_object() {
            let label = if fix["safety"] == "safe" {
                "建议"
            } else {
                "建议（需人工核对）"
            };
            let line = format!("= {label}：{}", fix["title"].as_str().unwrap());
            assert!(
                block.iter().any(|l| l.trim_start() == line),
                "{line} in {block:#?}"
            );
        }
        for r in d["related"].as_array().unwrap() {
            let line = format!(
                "= 相关：{}: {}",
                at(&r["range"]["start"]),
                r["message"].as_str().unwrap()
            );
            assert!(
                block.iter().any(|l| l.trim_start() == line),
                "{line} in {block:#?}"
            );
        }
    }
}

/// English words left in a user-facing text, ignoring what is quoted in
/// backticks (option names, values) and the names that are not words.
fn english_words(text: &str) -> Vec<String> {
    let mut unquoted = String::new();
    for (i, part) in text.split('`').enumerate() {
        if i % 2 == 0 {
            unquoted.push_str(part);
        }
    }
    let allowed = [
        "gov",
        "report",
        "lsp",
        "check",
        "help",
        "PATH",
        "TOML",
        "UTF",
        "human",
        "json",
        "github",
        "sarif",
        "SARIF",
        "GitHub",
        "Actions",
        "JSON",
        "README",
        "stdio",
        "txt",
        "YYYY",
        "FORMAT",
        "NAME",
        "RULE",
        "unsafe",
        "fixes",
        "fix",
        "diff",
        "safe",
        "year",
        "stdin",
        "filename",
        "explain",
        "statistics",
        "exit",
        "zero",
        "strict",
        "config",
        "show",
        "settings",
        "only",
        "reports",
        "version",
        "toml",
        "unified",
        "drafts",
        "table",
        "label",
        "draft",
        // The prefixes of every stderr line, as in rustc and ruff.
        "error",
        "note",
        // Option names and the commands in the examples.
        "format",
        "pre",
        "commit",
        "cat",
    ];
    unquoted
        .split(|c: char| !c.is_ascii_alphabetic())
        .filter(|w| w.len() >= 3 && !allowed.contains(w))
        .map(str::to_owned)
        .collect()
}

#[test]
fn usage_errors_and_help_are_in_chinese() {
    let cases: &[(&[&str], &str)] = &[
        (&["--bogus"], "不认识的选项 `--bogus`"),
        (&["--check", "--fixx", "caret.txt"], "是否想用 `--fix`？"),
        (
            &["--check", "--format", "xml", "caret.txt"],
            "选项 `--format` 的值 `xml` 无效。可用的值：human、json、github、sarif。",
        ),
        (&["--check", "--format"], "选项 `--format` 需要一个值"),
        (
            &["--check", "--year", "abc", "caret.txt"],
            "选项 `--year` 的值 `abc` 无效：报告年度应为 2008 到 2100 之间的整数",
        ),
        (
            &["--check", "--exit-zero", "--strict", "caret.txt"],
            "选项 `--exit-zero` 不能与 `--strict` 同时使用",
        ),
        (&["--check=yes", "caret.txt"], "选项 `--check` 不接受这个值"),
    ];
    for (args, says) in cases {
        let r = run_in(&fixtures(), args, None);
        assert_eq!(r.code, 2, "{args:?}");
        assert!(r.stderr.contains(says), "{args:?}: {}", r.stderr);
        let words = english_words(&r.stderr);
        assert!(words.is_empty(), "{args:?}: {words:?} in {}", r.stderr);
    }
    let r = run(&["--help"]);
    let words = english_words(&r.stdout);
    assert!(words.is_empty(), "--help: {words:?} in {}", r.stdout);
}

#[test]
fn year_range_is_the_same_as_in_the_config() {
    for (year, ok) in [
        ("2007", false),
        ("2008", true),
        ("2100", true),
        ("2101", false),
    ] {
        let r = run_in(&fixtures(), &["--check", "--year", year, "caret.txt"], None);
        if ok {
            assert_ne!(r.code, 2, "{year}: {}", r.stderr);
        } else {
            assert_eq!(r.code, 2, "{year}");
            assert!(r.stderr.contains("2008 到 2100"), "{}", r.stderr);
        }
    }
}

#[test]
fn fix_and_diff_together_are_refused() {
    let dir = scratch("fix-diff");
    let text = std::fs::read_to_string(fixtures().join("caret.txt")).unwrap();
    std::fs::write(dir.join("a.txt"), &text).unwrap();
    let r = run_in(&dir, &["--check", "--fix", "--diff", "a.txt"], None);
    assert_eq!(r.code, 2);
    assert!(r.stdout.is_empty(), "{}", r.stdout);
    assert!(
        r.stderr.contains("--fix 与 --diff 不能同时使用"),
        "{}",
        r.stderr
    );
    assert!(!r.stderr.contains("加 --fix 写入文件"), "{}", r.stderr);
    assert_eq!(std::fs::read_to_string(dir.join("a.txt")).unwrap(), text);
}
