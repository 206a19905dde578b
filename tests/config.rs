//! `gov-report.toml`: every key, every error (file, line, key, accepted values), discovery.

use std::path::{Path, PathBuf};

use gov_report_lsp::config::{discover, Config, ConfigError};
use gov_report_lsp::settings::{AgencyKind, IgnoreEntry, Level};

fn parse(text: &str) -> Config {
    Config::parse(Path::new("proj/gov-report.toml"), text).unwrap_or_else(|e| panic!("{e}"))
}

fn error(text: &str) -> ConfigError {
    match Config::parse(Path::new("proj/gov-report.toml"), text) {
        Ok(c) => panic!("expected an error, got {c:?}"),
        Err(e) => e,
    }
}

#[test]
fn empty_file_is_the_defaults() {
    let c = parse("# nothing configured\n");
    assert_eq!(c.settings(), Default::default());
    assert!(c.includes(Path::new("a/b.txt")));
    assert_eq!(c.path(), Some(Path::new("proj/gov-report.toml")));
    assert_eq!(c.base_dir(), Some(Path::new("proj")));
}

#[test]
fn every_key_is_read() {
    let c = parse(
        r#"
year = 2023
agency = "淮安市洪泽区人民政府"
agency-kind = "government"
include = ["reports/**"]
exclude = ["archive", "reports/old/*.md"]
extra-labels = ["其中：省级平台公开", "（八）其他"]

[rules]
section-title = "off"
missing-period = "error"
unreadable-table = "warning"
table-label = "info"

[[ignore]]
rule = "table-label"
text = "结果维护"

[[ignore]]
rule = "section-title"
text = "五、存在问题及改进措施"
"#,
    );
    let s = c.settings();
    assert_eq!(s.year, Some(2023));
    assert_eq!(s.agency.as_deref(), Some("淮安市洪泽区人民政府"));
    assert_eq!(s.agency_kind, Some(AgencyKind::Government));
    assert_eq!(s.extra_labels, ["其中：省级平台公开", "（八）其他"]);
    assert_eq!(s.severities.get("section-title"), Some(&Level::Off));
    assert_eq!(s.severities.get("missing-period"), Some(&Level::Error));
    assert_eq!(s.severities.get("unreadable-table"), Some(&Level::Warning));
    assert_eq!(s.severities.get("table-label"), Some(&Level::Info));
    assert_eq!(s.severities.len(), 4);
    assert_eq!(c.ignore_location(0), Some((15, 1)));
    assert_eq!(c.ignore_location(1), Some((19, 1)));
    assert_eq!(c.ignore_location(2), None);
    assert_eq!(
        s.ignore,
        [
            IgnoreEntry {
                rule: "table-label".into(),
                text: "结果维护".into()
            },
            IgnoreEntry {
                rule: "section-title".into(),
                text: "五、存在问题及改进措施".into()
            }
        ]
    );
}

#[test]
fn department_and_inline_forms() {
    let c = parse(
        "agency-kind = \"department\"\nrules = { missing-row = \"warning\" }\nignore = [{ rule = \"missing-row\", text = \"（八）\" }]\n",
    );
    let s = c.settings();
    assert_eq!(s.agency_kind, Some(AgencyKind::Department));
    assert_eq!(s.severities.get("missing-row"), Some(&Level::Warning));
    assert_eq!(s.ignore.len(), 1);
}

#[test]
fn include_and_exclude_globs() {
    let c = parse(
        "include = [\"reports/**\", \"*.md\"]\nexclude = [\"archive\", \"reports/old/*.txt\", \"draft-?.txt\"]\n",
    );
    // include: under reports/, or any .md at any depth
    assert!(c.includes(Path::new("reports/2023/a.txt")));
    assert!(c.includes(Path::new("notes/x/readme.md")));
    assert!(!c.includes(Path::new("notes/a.txt")));
    // exclude: a folder name at any depth, a path pattern, a name pattern
    assert!(!c.includes(Path::new("reports/archive/a.txt")));
    assert!(!c.includes(Path::new("archive/a.md")));
    assert!(!c.includes(Path::new("reports/old/a.txt")));
    assert!(
        c.includes(Path::new("reports/old/sub/a.txt")),
        "`*` does not cross folders"
    );
    assert!(!c.includes(Path::new("reports/draft-1.txt")));
    assert!(c.includes(Path::new("./reports/draft-10.txt")));
    // a leading `/` anchors a name to the configuration's folder
    let c = parse("exclude = [\"/archive\"]\n");
    assert!(!c.includes(Path::new("archive/a.txt")));
    assert!(c.includes(Path::new("reports/archive/a.txt")));
    // no include: everything not excluded
    let c = parse("exclude = [\"tmp/\"]\n");
    assert!(c.includes(Path::new("a.txt")));
    assert!(!c.includes(Path::new("tmp/a.txt")));
}

#[test]
fn show_settings_lists_every_rule_with_its_level() {
    let c = parse("year = 2022\n[rules]\nsection-title = \"off\"\n");
    let shown = c.shown();
    assert_eq!(shown.config.as_deref(), Some("proj/gov-report.toml"));
    assert_eq!(shown.year, Some(2022));
    assert_eq!(shown.rules.len(), gov_report_lsp::rules::ALL.len());
    assert_eq!(shown.rules["section-title"], Level::Off);
    assert_eq!(shown.rules["table-label"], Level::Error);
    assert_eq!(shown.rules["unused-suppression"], Level::Warning);
    assert_eq!(shown.rules["unreadable-table"], Level::Info);
}

/// (config text, line, column, key, fragments the message must contain)
struct Case {
    text: &'static str,
    line: usize,
    column: usize,
    key: Option<&'static str>,
    says: &'static [&'static str],
}

#[test]
fn every_error_names_file_line_key_and_accepted_values() {
    let cases = [
        Case {
            text: "year = 2023\nyaer = 2023\n",
            line: 2,
            column: 1,
            key: Some("yaer"),
            says: &[
                "未知的配置项 `yaer`",
                "是否想写 `year`",
                "rules、year、agency、agency-kind、include、exclude、extra-labels、ignore",
            ],
        },
        Case {
            text: "[rules]\ntabel-label = \"off\"\n",
            line: 2,
            column: 1,
            key: Some("rules.tabel-label"),
            says: &[
                "未知的规则 `tabel-label`",
                "是否想写 `table-label`",
                "missing-section、section-order",
            ],
        },
        Case {
            text: "[rules]\ntable-label = \"warn\"\n",
            line: 2,
            column: 15,
            key: Some("rules.table-label"),
            says: &[
                "`\"warn\"` 无效",
                "\"off\"",
                "\"info\"",
                "\"warning\"",
                "\"error\"",
            ],
        },
        Case {
            text: "[rules]\ntable-label = 1\n",
            line: 2,
            column: 15,
            key: Some("rules.table-label"),
            says: &["`1` 无效", "\"warning\""],
        },
        Case {
            text: "rules = \"off\"\n",
            line: 1,
            column: 9,
            key: Some("rules"),
            says: &["`rules` 应为表", "字符串"],
        },
        Case {
            text: "\nyear = \"2023\"\n",
            line: 2,
            column: 8,
            key: Some("year"),
            says: &["2008 到 2100 之间的整数", "`\"2023\"`"],
        },
        Case {
            text: "year = 1999\n",
            line: 1,
            column: 8,
            key: Some("year"),
            says: &["2008 到 2100", "`1999`"],
        },
        Case {
            text: "agency = \"  \"\n",
            line: 1,
            column: 10,
            key: Some("agency"),
            says: &["`agency`（发布报告的机关名称）应为非空字符串", "`\"  \"`"],
        },
        Case {
            text: "agency-kind = \"city\"\n",
            line: 1,
            column: 15,
            key: Some("agency-kind"),
            says: &["`\"city\"` 无效", "\"department\"", "\"government\""],
        },
        Case {
            text: "include = \"reports/**\"\n",
            line: 1,
            column: 11,
            key: Some("include"),
            says: &["`include` 应为字符串数组", "字符串"],
        },
        Case {
            text: "exclude = [\"a\", 3]\n",
            line: 1,
            column: 17,
            key: Some("exclude"),
            says: &["`exclude` 应为字符串数组", "整数元素"],
        },
        Case {
            text: "exclude = [\"ok\",\n  \"reports/[old\"]\n",
            line: 2,
            column: 3,
            key: Some("exclude"),
            says: &["\"reports/[old\" 无效", "`**`"],
        },
        Case {
            text: "extra-labels = [\"其中\", \"\"]\n",
            line: 1,
            column: 23,
            key: Some("extra-labels"),
            says: &["不能有空字符串"],
        },
        Case {
            text: "ignore = \"结果维护\"\n",
            line: 1,
            column: 10,
            key: Some("ignore"),
            says: &["`[[ignore]]`", "rule", "text"],
        },
        Case {
            text: "[[ignore]]\nrule = \"tabel-label\"\ntext = \"结果维护\"\n",
            line: 2,
            column: 8,
            key: Some("ignore.rule"),
            says: &[
                "`[[ignore]]` 中的 未知的规则 `tabel-label`",
                "是否想写 `table-label`",
            ],
        },
        Case {
            text: "[[ignore]]\nrule = \"table-label\"\ntext = \"\"\n",
            line: 3,
            column: 8,
            key: Some("ignore.text"),
            says: &["非空字符串"],
        },
        Case {
            text: "[[ignore]]\nrule = \"table-label\"\n",
            line: 1,
            column: 1,
            key: Some("ignore"),
            says: &["缺少 `text`"],
        },
        Case {
            text: "[[ignore]]\nrule = \"table-label\"\ntext = \"结果维护\"\nreason = \"x\"\n",
            line: 4,
            column: 1,
            key: Some("ignore.reason"),
            says: &["未知的键 `reason`", "rule、text"],
        },
        Case {
            text: "[rules]\ntable-label = \"off\"\n中文 = = 1\n",
            line: 3,
            column: 1,
            key: None,
            says: &["不是有效的 TOML"],
        },
        Case {
            text: "year = 2023\nyear = 2024\n",
            line: 2,
            column: 1,
            key: None,
            says: &["不是有效的 TOML"],
        },
    ];
    for case in cases {
        let e = error(case.text);
        let shown = e.to_string();
        assert_eq!(e.path, PathBuf::from("proj/gov-report.toml"), "{shown}");
        assert_eq!((e.line, e.column), (case.line, case.column), "{shown}");
        assert_eq!(e.key.as_deref(), case.key, "{shown}");
        for fragment in case.says {
            assert!(shown.contains(fragment), "{shown:?} lacks {fragment:?}");
        }
        let prefix = format!(
            "proj/gov-report.toml:{}:{}: 配置错误",
            case.line, case.column
        );
        assert!(shown.starts_with(&prefix), "{shown}");
    }
}

#[test]
fn discovery_walks_up_and_prefers_the_plain_name() {
    let files = [
        PathBuf::from("/r/gov-report.toml"),
        PathBuf::from("/r/a/.gov-report.toml"),
        PathBuf::from("/r/a/gov-report.toml"),
        PathBuf::from("/r/b/c/.gov-report.toml"),
    ];
    let exists = |p: &Path| files.iter().any(|f| f == p);
    assert_eq!(
        discover(Path::new("/r/a/x/y"), exists),
        Some(PathBuf::from("/r/a/gov-report.toml"))
    );
    assert_eq!(
        discover(Path::new("/r/b/c"), exists),
        Some(PathBuf::from("/r/b/c/.gov-report.toml"))
    );
    assert_eq!(
        discover(Path::new("/r/b"), exists),
        Some(PathBuf::from("/r/gov-report.toml"))
    );
    assert_eq!(discover(Path::new("/elsewhere"), exists), None);
}

#[test]
fn syntax_errors_are_explained_in_chinese() {
    let cases = [
        (
            "year = 2023\n[rules\n",
            "表头（[表名]）无效；此处应为 `.`、`]`",
        ),
        ("year = 2023\nyear = 2022\n", "键 `year` 重复"),
        ("[rules]\na = 1\n[rules]\n", "重复"),
        ("year = \"x\n", "字符串无效"),
        ("year = 20x3\n", "此处应为 换行、`#`"),
        ("exclude = [\"a[b\"]\n", "`[` 没有对应的 `]`"),
        ("include = [\"{a,b\"]\n", "`{` 没有对应的 `}`"),
        ("year = [1,\n", "无效"),
        ("= 1\n", "无效"),
    ];
    for (text, says) in cases {
        let shown = error(text).to_string();
        assert!(shown.contains(says), "{text:?}: {shown}");
        // No English once the file name, the key and quoted parts are set aside.
        let after = shown.split("配置错误").nth(1).unwrap_or_default();
        let message = after.split_once('：').map_or(after, |(_, m)| m);
        let mut unquoted = String::new();
        for (i, part) in message.split(['`', '"']).enumerate() {
            if i % 2 == 0 {
                unquoted.push_str(part);
            }
        }
        let english: Vec<&str> = unquoted
            .split(|c: char| !c.is_ascii_alphabetic())
            .filter(|w| w.len() >= 3 && *w != "TOML")
            .collect();
        assert!(english.is_empty(), "{text:?}: {english:?} in {shown}");
    }
}
