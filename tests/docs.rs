//! Generated documentation stays in step with the code: `docs/rules.md`
//! and the rule table in `README.md` are generated from `rules::ALL`, and
//! the README's example outputs are the binary's real output. A stale file
//! fails the test; run with `UPDATE_EXPECT=1` to rewrite it (like
//! rust-analyzer's `ensure_file_contents`).

use std::path::{Path, PathBuf};

use gov_report_lsp::rules::{self, FixKind, Rule};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Fail if `path` does not hold `contents`; with `UPDATE_EXPECT=1`, write it instead.
fn ensure_file_contents(path: &Path, contents: &str) {
    let old = std::fs::read_to_string(path).unwrap_or_default();
    if old.replace("\r\n", "\n") == contents {
        return;
    }
    let shown = path.strip_prefix(root()).unwrap_or(path).display();
    if std::env::var_os("UPDATE_EXPECT").is_some() {
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir).unwrap();
        }
        std::fs::write(path, contents).unwrap();
        return;
    }
    panic!(
        "{shown} is out of date with the rule registry or the program's output; regenerate it with\n\n    UPDATE_EXPECT=1 cargo test --test docs\n"
    );
}

fn fix_cell(kind: FixKind) -> &'static str {
    kind.as_str()
}

fn table(rules: &[&Rule], link: impl Fn(&Rule) -> String) -> String {
    let mut out = String::from("| 规则 | 默认级别 | 检查内容 | 修复 |\n|---|---|---|---|\n");
    for r in rules {
        out.push_str(&format!(
            "| {} | {} | {} | {} |\n",
            link(r),
            r.default_severity,
            r.summary.replace('|', "\\|"),
            fix_cell(r.fix)
        ));
    }
    out
}

/// Demote the rule docs' `##` headings under the rule's own `##` heading.
fn demote(docs: &str) -> String {
    docs.trim()
        .lines()
        .map(|l| {
            if l.starts_with('#') {
                format!("#{l}")
            } else {
                l.to_owned()
            }
        })
        .collect::<Vec<_>>()
        .join("\n")
}

fn rules_md() -> String {
    let mut out = String::from(
        "# 规则说明\n\n\
         <!-- Generated from src/rules/ by tests/docs.rs; edit the rule docs there and run\n     \
         `UPDATE_EXPECT=1 cargo test --test docs`. -->\n\n\
         每条规则都有稳定的名称（用于配置和抑制）和默认级别。`gov-report-lsp --explain 规则名` 在命令行显示同样的说明。\n\n\
         修复一栏：safe 表示只改正措辞、不改变报告含义的安全修复（`--fix` 自动应用）；\
         unsafe 表示改动数字、日期或结构、需要人工核对的修复（`--unsafe-fixes` 才应用）；— 表示没有自动修复。\n\n",
    );
    out.push_str(&table(rules::ALL, |r| format!("[`{0}`](#{0})", r.id)));
    for r in rules::ALL {
        out.push_str(&format!(
            "\n## {}\n\n{}\n\n默认级别：{}；修复：{}\n\n{}\n",
            r.id,
            r.summary,
            r.default_severity,
            fix_cell(r.fix),
            demote(r.docs)
        ));
    }
    out
}

#[test]
fn docs_rules_md_is_fresh() {
    ensure_file_contents(&root().join("docs/rules.md"), &rules_md());
}

#[test]
fn readme_rule_table_is_fresh() {
    let path = root().join("README.md");
    let readme = std::fs::read_to_string(&path).unwrap();
    let (begin, end) = ("<!-- rules:begin -->\n", "<!-- rules:end -->");
    let start = readme.find(begin).expect("README has <!-- rules:begin -->") + begin.len();
    let stop = readme[start..]
        .find(end)
        .expect("README has <!-- rules:end -->")
        + start;
    let generated = table(rules::ALL, |r| format!("[`{0}`](docs/rules.md#{0})", r.id));
    let updated = format!("{}{}{}", &readme[..start], generated, &readme[stop..]);
    ensure_file_contents(&path, &updated);
}

#[test]
fn every_rule_has_the_documented_sections() {
    for r in rules::ALL {
        for heading in ["## 检查内容", "## 原因", "## 示例", "## 修复"] {
            assert!(r.docs.contains(heading), "{} docs lack {heading}", r.id);
        }
        assert!(!r.summary.contains('\n'), "{} summary is one line", r.id);
    }
}

/// The README's example outputs: each block between
/// `<!-- output: exit=N ARGS -->` and `<!-- output:end -->` is what
/// `gov-report-lsp ARGS` prints, run in the repository root without colour,
/// and the run exits with N.
#[test]
fn readme_example_outputs_are_real() {
    let path = root().join("README.md");
    let readme = std::fs::read_to_string(&path)
        .unwrap()
        .replace("\r\n", "\n");
    let (open, close) = ("<!-- output: exit=", "<!-- output:end -->");
    let mut updated = String::new();
    let mut rest = readme.as_str();
    let mut n_blocks = 0;
    while let Some(at) = rest.find(open) {
        let header_end = at + rest[at..].find("-->\n").expect("marker ends with -->") + 4;
        let header = rest[at + open.len()..header_end - 4].trim();
        let (code, args) = header.split_once(' ').expect("exit=N ARGS");
        let code: i32 = code.parse().expect("exit=N");
        let stop = header_end + rest[header_end..].find(close).expect("<!-- output:end -->");
        let args: Vec<&str> = args.split_whitespace().collect();
        let out = std::process::Command::new(env!("CARGO_BIN_EXE_gov-report-lsp"))
            .args(&args)
            .current_dir(root())
            .env("NO_COLOR", "1")
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(code), "README example {args:?}");
        let stdout = String::from_utf8(out.stdout).unwrap();
        updated.push_str(&rest[..header_end]);
        updated.push_str(&format!(
            "```text\n$ gov-report-lsp {}\n{stdout}```\n",
            args.join(" ")
        ));
        rest = &rest[stop..];
        n_blocks += 1;
    }
    updated.push_str(rest);
    assert!(
        n_blocks >= 3,
        "the README shows real output ({n_blocks} blocks)"
    );
    ensure_file_contents(&path, &updated);
}
