//! `gov-report.toml` / `.gov-report.toml`: one configuration shared by the
//! command line, the language server and the editor extension.
//!
//! Pure: [`Config::parse`] takes the file's text (the caller reads it) and
//! [`discover`] takes an `exists` predicate, so the edges decide how to touch
//! the file system. Every error names the file, the line and the key, and
//! lists the accepted values.
//!
//! ```toml
//! year = 2023
//! agency = "淮安市洪泽区人民政府"
//! agency-kind = "government"
//! include = ["reports/**"]
//! exclude = ["reports/archive/**"]
//! extra-labels = ["其中：省级平台公开"]
//!
//! [rules]
//! section-title = "off"
//! missing-period = "error"
//!
//! [[ignore]]
//! rule = "table-label"
//! text = "结果维护"
//! ```

use std::fmt;
use std::ops::Range;
use std::path::{Path, PathBuf};

use globset::{Glob, GlobBuilder, GlobSet, GlobSetBuilder};
use toml_edit::{ImDocument, Item, Key, TableLike, Value};

use crate::rules;
use crate::settings::{AgencyKind, IgnoreEntry, Level, Settings};

/// A 1-based line and character column in the configuration file.
type LineCol = (usize, usize);

/// File names looked for in each folder, in order of preference.
pub const FILE_NAMES: [&str; 2] = ["gov-report.toml", ".gov-report.toml"];

/// Top-level keys, in documentation order.
const TOP_KEYS: [&str; 8] = [
    "rules",
    "year",
    "agency",
    "agency-kind",
    "include",
    "exclude",
    "extra-labels",
    "ignore",
];

/// The accepted range of a report year, in `gov-report.toml` and for
/// `--year` alike (the regulation took effect in 2008).
pub const YEARS: std::ops::RangeInclusive<i64> = 2008..=2100;

/// A parsed configuration file.
#[derive(Clone, Debug)]
pub struct Config {
    /// The file it was read from (`None` for the built-in defaults).
    path: Option<PathBuf>,
    settings: Settings,
    include: Vec<String>,
    exclude: Vec<String>,
    include_set: GlobSet,
    exclude_set: GlobSet,
    /// 1-based line and column of each `[[ignore]]` entry (parallel to `settings.ignore`).
    ignore_at: Vec<(usize, usize)>,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            path: None,
            settings: Settings::default(),
            include: Vec::new(),
            exclude: Vec::new(),
            include_set: GlobSet::empty(),
            exclude_set: GlobSet::empty(),
            ignore_at: Vec::new(),
        }
    }
}

/// A problem in a configuration file, with its location.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ConfigError {
    /// The configuration file, as given to [`Config::parse`].
    pub path: PathBuf,
    /// 1-based line and character column of the offending text.
    pub line: usize,
    pub column: usize,
    /// The dotted key at fault (`rules.table-label`), when there is one.
    pub key: Option<String>,
    /// Chinese explanation: what is wrong and what is accepted.
    pub message: String,
}

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}:{}:{}: 配置错误",
            self.path.display(),
            self.line,
            self.column
        )?;
        if let Some(key) = &self.key {
            write!(f, "（{key}）")?;
        }
        write!(f, "：{}", self.message)
    }
}

impl std::error::Error for ConfigError {}

/// The resolved configuration for one file, as `--show-settings` prints it.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub struct ShownSettings {
    /// The configuration file used, or `None` for the built-in defaults.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub config: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub year: Option<i32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub agency: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub agency_kind: Option<AgencyKind>,
    pub include: Vec<String>,
    pub exclude: Vec<String>,
    pub extra_labels: Vec<String>,
    /// Every rule's effective level (configured, else the default).
    pub rules: std::collections::BTreeMap<String, Level>,
    pub ignore: Vec<IgnoreEntry>,
}

impl Config {
    /// Parse a configuration file's text. `path` is used in messages and as
    /// the base folder of `include`/`exclude`.
    pub fn parse(path: &Path, text: &str) -> Result<Config, ConfigError> {
        let mut p = Parser { path, text };
        p.parse()
    }

    /// The configuration file this came from (`None` for the defaults).
    pub fn path(&self) -> Option<&Path> {
        self.path.as_deref()
    }

    /// The folder `include`/`exclude` patterns are relative to.
    pub fn base_dir(&self) -> Option<&Path> {
        self.path.as_deref().and_then(Path::parent)
    }

    /// The analysis settings this configuration sets.
    pub fn settings(&self) -> Settings {
        self.settings.clone()
    }

    /// Whether a file, given relative to [`Config::base_dir`], is checked:
    /// it matches an `include` pattern (or there is none) and no `exclude`
    /// pattern. A pattern also matches every file under a matching folder,
    /// and a pattern without `/` matches a file or folder name at any depth.
    pub fn includes(&self, relative_path: &Path) -> bool {
        let rel = normalize_rel(relative_path);
        let included = self.include.is_empty() || matches_any(&self.include_set, &rel);
        included && !matches_any(&self.exclude_set, &rel)
    }

    /// 1-based line and column of the `i`-th `[[ignore]]` entry in the file.
    pub fn ignore_location(&self, i: usize) -> Option<(usize, usize)> {
        self.ignore_at.get(i).copied()
    }

    /// What `--show-settings` prints.
    pub fn shown(&self) -> ShownSettings {
        let rules = rules::ALL
            .iter()
            .map(|r| {
                let level = self.settings.severities.get(r.id).copied().unwrap_or(
                    match r.default_severity {
                        crate::diagnostic::Severity::Info => Level::Info,
                        crate::diagnostic::Severity::Warning => Level::Warning,
                        crate::diagnostic::Severity::Error => Level::Error,
                    },
                );
                (r.id.to_string(), level)
            })
            .collect();
        ShownSettings {
            config: self.path.as_ref().map(|p| p.display().to_string()),
            year: self.settings.year,
            agency: self.settings.agency.clone(),
            agency_kind: self.settings.agency_kind,
            include: self.include.clone(),
            exclude: self.exclude.clone(),
            extra_labels: self.settings.extra_labels.clone(),
            rules,
            ignore: self.settings.ignore.clone(),
        }
    }
}

/// The configuration file that applies to files in `start_dir`: the first
/// `gov-report.toml` (else `.gov-report.toml`) found in `start_dir` or one of
/// its ancestors. Pass an absolute folder; `exists` is asked about candidate
/// paths (e.g. `|p| p.is_file()`).
pub fn discover(start_dir: &Path, exists: impl Fn(&Path) -> bool) -> Option<PathBuf> {
    start_dir.ancestors().find_map(|dir| {
        FILE_NAMES
            .iter()
            .map(|name| dir.join(name))
            .find(|candidate| exists(candidate))
    })
}

/// `a/./b\c` → `a/b/c` (patterns are written with `/`).
fn normalize_rel(path: &Path) -> String {
    let s = path.to_string_lossy().replace('\\', "/");
    s.split('/')
        .filter(|part| !part.is_empty() && *part != ".")
        .collect::<Vec<_>>()
        .join("/")
}

/// Whether the path, one of its ancestor folders, or (for name patterns) one
/// of its components matches.
fn matches_any(set: &GlobSet, rel: &str) -> bool {
    if set.is_empty() {
        return false;
    }
    let mut prefix_end = 0;
    loop {
        let next = rel[prefix_end..].find('/').map(|i| prefix_end + i);
        let prefix = &rel[..next.unwrap_or(rel.len())];
        if set.is_match(prefix) {
            return true;
        }
        match next {
            Some(i) => prefix_end = i + 1,
            None => return false,
        }
    }
}

/// Builds a glob; a pattern without `/` matches at any depth (`**/name`),
/// a leading `/` anchors it to the configuration's folder (as in `.gitignore`).
fn glob(pattern: &str) -> Result<Glob, globset::Error> {
    let anchored = pattern.starts_with('/');
    let trimmed = pattern
        .trim_start_matches('/')
        .trim_start_matches("./")
        .trim_end_matches('/');
    let full = if anchored || trimmed.contains('/') {
        trimmed.to_string()
    } else {
        format!("**/{trimmed}")
    };
    GlobBuilder::new(&full).literal_separator(true).build()
}

struct Parser<'a> {
    path: &'a Path,
    text: &'a str,
}

impl Parser<'_> {
    /// 1-based line and character column of a span's start.
    fn location(&self, span: Option<Range<usize>>) -> LineCol {
        let offset = span.map_or(0, |s| s.start).min(self.text.len());
        let before = &self.text[..crate::text::floor_char_boundary(self.text, offset)];
        let line = before.matches('\n').count() + 1;
        let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
        (line, column)
    }

    fn error(&self, span: Option<Range<usize>>, key: Option<&str>, message: String) -> ConfigError {
        let (line, column) = self.location(span);
        ConfigError {
            path: self.path.to_path_buf(),
            line,
            column,
            key: key.map(str::to_string),
            message,
        }
    }

    fn parse(&mut self) -> Result<Config, ConfigError> {
        let doc = ImDocument::parse(self.text).map_err(|e| {
            self.error(
                e.span(),
                None,
                format!("不是有效的 TOML：{}。", toml_message_zh(e.message())),
            )
        })?;
        let root = doc.as_table();
        let mut config = Config {
            path: Some(self.path.to_path_buf()),
            ..Config::default()
        };
        for (name, _) in root.iter() {
            let (key, item) = root.get_key_value(name).expect("key from iteration");
            match name {
                "rules" => self.rules(key, item, &mut config.settings)?,
                "year" => config.settings.year = Some(self.year(key, item)?),
                "agency" => config.settings.agency = Some(self.agency(key, item)?),
                "agency-kind" => config.settings.agency_kind = Some(self.agency_kind(key, item)?),
                "include" => {
                    config.include = self.strings(key, item, "include")?;
                    config.include_set = self.globs(key, item, "include", &config.include)?;
                }
                "exclude" => {
                    config.exclude = self.strings(key, item, "exclude")?;
                    config.exclude_set = self.globs(key, item, "exclude", &config.exclude)?;
                }
                "extra-labels" => {
                    config.settings.extra_labels = self.strings(key, item, "extra-labels")?;
                    if let Some(i) = config
                        .settings
                        .extra_labels
                        .iter()
                        .position(|l| l.trim().is_empty())
                    {
                        return Err(self.error(
                            element_span(item, i).or(key.span()),
                            Some("extra-labels"),
                            "`extra-labels` 中不能有空字符串；请写出地方增加的行名称，例如 \"其中：省级平台公开\"。"
                                .to_string(),
                        ));
                    }
                }
                "ignore" => {
                    let entries = self.ignore(key, item)?;
                    config.ignore_at = entries.iter().map(|(_, at)| *at).collect();
                    config.settings.ignore = entries.into_iter().map(|(e, _)| e).collect();
                }
                _ => {
                    return Err(self.unknown(key.span(), name, name, &TOP_KEYS, "配置项"));
                }
            }
        }
        Ok(config)
    }

    /// "unknown key" with a suggestion and the accepted keys.
    fn unknown(
        &self,
        span: Option<Range<usize>>,
        dotted: &str,
        name: &str,
        accepted: &[&str],
        what: &str,
    ) -> ConfigError {
        let mut message = format!("未知的{what} `{name}`。");
        if let Some(best) = similar::get_close_matches(name, accepted, 1, 0.6).first() {
            message.push_str(&format!("是否想写 `{best}`？"));
        }
        message.push_str(&format!("可用的{what}：{}。", accepted.join("、")));
        self.error(span, Some(dotted), message)
    }

    fn rules(&self, key: &Key, item: &Item, settings: &mut Settings) -> Result<(), ConfigError> {
        let Some(table) = item.as_table_like() else {
            return Err(self.error(
                item.span().or(key.span()),
                Some("rules"),
                format!(
                    "`rules` 应为表（例如 `[rules]` 下写 `section-title = \"off\"`），实际为{}。",
                    type_zh(item)
                ),
            ));
        };
        let ids: Vec<&str> = rules::ALL.iter().map(|r| r.id).collect();
        for (name, _) in table.iter() {
            let (rkey, ritem) = table.get_key_value(name).expect("key from iteration");
            let dotted = format!("rules.{name}");
            if rules::get(name).is_none() {
                return Err(self.unknown(rkey.span(), &dotted, name, &ids, "规则"));
            }
            let level = ritem
                .as_value()
                .and_then(Value::as_str)
                .and_then(Level::parse);
            match level {
                Some(level) => {
                    settings.severities.insert(name.to_string(), level);
                }
                None => {
                    return Err(self.error(
                        ritem.span().or(rkey.span()),
                        Some(&dotted),
                        format!(
                            "规则 `{name}` 的级别 {} 无效。可用的值：\"off\"（关闭）、\"info\"（提示）、\"warning\"（警告）、\"error\"（错误）。",
                            shown_value(ritem)
                        ),
                    ))
                }
            }
        }
        Ok(())
    }

    fn year(&self, key: &Key, item: &Item) -> Result<i32, ConfigError> {
        match item.as_value().and_then(Value::as_integer) {
            Some(y) if YEARS.contains(&y) => Ok(y as i32),
            _ => Err(self.error(
                item.span().or(key.span()),
                Some("year"),
                format!(
                    "`year`（报告年度）应为 {} 到 {} 之间的整数，例如 `year = 2023`，实际为 {}。",
                    YEARS.start(),
                    YEARS.end(),
                    shown_value(item)
                ),
            )),
        }
    }

    fn agency(&self, key: &Key, item: &Item) -> Result<String, ConfigError> {
        match item.as_value().and_then(Value::as_str).map(str::trim) {
            Some(name) if !name.is_empty() => Ok(name.to_string()),
            _ => Err(self.error(
                item.span().or(key.span()),
                Some("agency"),
                format!(
                    "`agency`（发布报告的机关名称）应为非空字符串，例如 `agency = \"淮安市洪泽区人民政府\"`，实际为 {}。",
                    shown_value(item)
                ),
            )),
        }
    }

    fn agency_kind(&self, key: &Key, item: &Item) -> Result<AgencyKind, ConfigError> {
        match item.as_value().and_then(Value::as_str) {
            Some("department") => Ok(AgencyKind::Department),
            Some("government") => Ok(AgencyKind::Government),
            _ => Err(self.error(
                item.span().or(key.span()),
                Some("agency-kind"),
                format!(
                    "`agency-kind` 的值 {} 无效。可用的值：\"department\"（人民政府部门）、\"government\"（人民政府本级）。",
                    shown_value(item)
                ),
            )),
        }
    }

    fn strings(&self, key: &Key, item: &Item, name: &str) -> Result<Vec<String>, ConfigError> {
        let wrong = |span: Option<Range<usize>>, found: String| {
            self.error(
                span.or(key.span()),
                Some(name),
                format!("`{name}` 应为字符串数组，例如 `{name} = [\"…\"]`，实际为{found}。"),
            )
        };
        let Some(array) = item.as_value().and_then(Value::as_array) else {
            return Err(wrong(item.span(), type_zh(item).to_string()));
        };
        array
            .iter()
            .map(|v| match v.as_str() {
                Some(s) => Ok(s.to_string()),
                None => Err(wrong(v.span(), format!("含有{}元素", value_type_zh(v)))),
            })
            .collect()
    }

    fn globs(
        &self,
        key: &Key,
        item: &Item,
        name: &str,
        patterns: &[String],
    ) -> Result<GlobSet, ConfigError> {
        let mut builder = GlobSetBuilder::new();
        for (i, pattern) in patterns.iter().enumerate() {
            match glob(pattern) {
                Ok(g) => {
                    builder.add(g);
                }
                Err(e) => {
                    return Err(self.error(
                        element_span(item, i).or(key.span()),
                        Some(name),
                        format!(
                            "`{name}` 中的模式 \"{pattern}\" 无效（{}）。支持的写法：`*`（文件名中任意字符）、`**`（任意层文件夹）、`?`、`[abc]`、`{{a,b}}`，例如 \"drafts/**/*.md\"。",
                            glob_error_zh(e.kind())
                        ),
                    ))
                }
            }
        }
        builder.build().map_err(|e| {
            self.error(
                key.span(),
                Some(name),
                format!("`{name}` 中的模式无效（{}）。", glob_error_zh(e.kind())),
            )
        })
    }

    /// The entries, each with its 1-based line and column.
    fn ignore(&self, key: &Key, item: &Item) -> Result<Vec<(IgnoreEntry, LineCol)>, ConfigError> {
        let entries: Vec<(&dyn TableLike, Option<Range<usize>>)> = match item {
            Item::ArrayOfTables(a) => a.iter().map(|t| (t as &dyn TableLike, t.span())).collect(),
            Item::Value(Value::Array(a)) => {
                let mut out = Vec::new();
                for v in a.iter() {
                    match v.as_inline_table() {
                        Some(t) => out.push((t as &dyn TableLike, v.span())),
                        None => return Err(self.ignore_shape(v.span().or(key.span()))),
                    }
                }
                out
            }
            _ => return Err(self.ignore_shape(item.span().or(key.span()))),
        };
        let ids: Vec<&str> = rules::ALL.iter().map(|r| r.id).collect();
        let mut out = Vec::new();
        for (table, span) in entries {
            let mut rule = None;
            let mut text = None;
            for (name, _) in table.iter() {
                let (ekey, eitem) = table.get_key_value(name).expect("key from iteration");
                let dotted = format!("ignore.{name}");
                let value = eitem.as_value().and_then(Value::as_str);
                match name {
                    "rule" => match value {
                        Some(id) if rules::get(id).is_some() => rule = Some(id.to_string()),
                        Some(id) => {
                            let mut e = self.unknown(eitem.span(), &dotted, id, &ids, "规则");
                            e.message = format!("`[[ignore]]` 中的 {}", e.message);
                            return Err(e);
                        }
                        None => {
                            return Err(self.error(
                                eitem.span().or(ekey.span()),
                                Some(&dotted),
                                format!("`rule` 应为规则名字符串，例如 `rule = \"table-label\"`，实际为 {}。", shown_value(eitem)),
                            ))
                        }
                    },
                    "text" => match value {
                        Some(t) if !t.is_empty() => text = Some(t.to_string()),
                        _ => {
                            return Err(self.error(
                                eitem.span().or(ekey.span()),
                                Some(&dotted),
                                format!("`text` 应为报告中被标记的原文（非空字符串），例如 `text = \"结果维护\"`，实际为 {}。", shown_value(eitem)),
                            ))
                        }
                    },
                    _ => {
                        return Err(self.unknown(ekey.span(), &dotted, name, &["rule", "text"], "键"));
                    }
                }
            }
            match (rule, text) {
                (Some(rule), Some(text)) => out.push((
                    IgnoreEntry { rule, text },
                    self.location(span.or(key.span())),
                )),
                (rule, _) => {
                    let missing = if rule.is_none() { "rule" } else { "text" };
                    return Err(self.error(
                        span.or(key.span()),
                        Some("ignore"),
                        format!("`[[ignore]]` 条目缺少 `{missing}`；每个条目都要写 `rule`（规则名）和 `text`（被标记的原文）。"),
                    ));
                }
            }
        }
        Ok(out)
    }

    fn ignore_shape(&self, span: Option<Range<usize>>) -> ConfigError {
        self.error(
            span,
            Some("ignore"),
            "`ignore` 应为表数组：每个条目写成 `[[ignore]]`，下面是 `rule = \"规则名\"` 和 `text = \"原文\"`。"
                .to_string(),
        )
    }
}

/// A glob syntax error in Chinese.
fn glob_error_zh(kind: &globset::ErrorKind) -> &'static str {
    use globset::ErrorKind as K;
    match kind {
        K::InvalidRecursive => "`**` 只能单独作为一级文件夹，如 \"a/**/b\"",
        K::UnclosedClass => "`[` 没有对应的 `]`",
        K::InvalidRange(_, _) => "`[a-z]` 形式的范围无效（起点大于终点）",
        K::UnopenedAlternates => "`}` 没有对应的 `{`",
        K::UnclosedAlternates => "`{` 没有对应的 `}`",
        K::NestedAlternates => "`{a,b}` 不能嵌套",
        K::DanglingEscape => "模式以转义符 `\\` 结尾",
        _ => "写法有误",
    }
}

/// A TOML syntax error from `toml_edit` in Chinese, line by line (its
/// messages are English): `invalid table header` / `expected `.`, `]``
/// become `表头无效；此处应为 `.`、`]``. A line not recognised is given as
/// `格式有误`, never in English.
fn toml_message_zh(message: &str) -> String {
    let what = |label: &str| -> Option<&'static str> {
        Some(match label {
            "table header" => "表头（[表名]）",
            "key" => "键名",
            "string" | "basic string" | "literal string" => "字符串",
            "multiline basic string" | "multiline literal string" => "多行字符串",
            "escape sequence" => "转义序列",
            "unicode 4-digit hex code" | "unicode 8-digit hex code" => "Unicode 转义",
            "integer" | "binary integer" | "octal integer" | "hexadecimal integer" => "整数",
            "floating-point number" => "小数",
            "date-time" | "time" | "time offset" => "日期时间",
            "array" => "数组",
            "inline table" => "内联表（{…}）",
            "value" => "值",
            _ => return None,
        })
    };
    let item = |e: &str| -> String {
        match e.trim() {
            "newline" => "换行".to_owned(),
            "digit" | "leading digit" => "数字".to_owned(),
            "nothing" => "结束".to_owned(),
            "letters" => "字母".to_owned(),
            e if e.starts_with('`') => e.to_owned(),
            _ => "其他内容".to_owned(),
        }
    };
    let line_zh = |line: &str| -> String {
        if let Some(label) = line.strip_prefix("invalid ") {
            return what(label).map_or_else(|| "格式有误".to_owned(), |w| format!("{w}无效"));
        }
        if let Some(list) = line.strip_prefix("expected ") {
            let items: Vec<String> = list.split(", ").map(item).collect();
            return format!("此处应为 {}", items.join("、"));
        }
        if let Some(rest) = line.strip_prefix("duplicate key ") {
            if let Some((key, table)) = rest.split_once(" in table ") {
                return format!("键 {key} 在表 {table} 中重复");
            }
            let key = rest.trim_end_matches(" in document root");
            return format!("键 {key} 重复");
        }
        match line {
            "unexpected content" => "这里有多余的内容".to_owned(),
            "value is out of range" => "数值超出范围".to_owned(),
            "recursion limit exceeded" => "嵌套层数过多".to_owned(),
            _ if line.starts_with("dotted key") => "带点的键与已有的值冲突".to_owned(),
            _ => "格式有误".to_owned(),
        }
    };
    let lines: Vec<String> = message
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(line_zh)
        .collect();
    if lines.is_empty() {
        "格式有误".to_owned()
    } else {
        lines.join("；")
    }
}

/// The span of the `i`-th element of an array value.
fn element_span(item: &Item, i: usize) -> Option<Range<usize>> {
    item.as_value()?.as_array()?.get(i)?.span()
}

/// The value as written in the file, for messages.
fn shown_value(item: &Item) -> String {
    match item {
        Item::Value(v) => format!("`{}`", v.to_string().trim()),
        Item::Table(_) => "表".to_string(),
        Item::ArrayOfTables(_) => "表数组".to_string(),
        Item::None => "空".to_string(),
    }
}

fn type_zh(item: &Item) -> &'static str {
    match item {
        Item::Value(v) => value_type_zh(v),
        Item::Table(_) => "表",
        Item::ArrayOfTables(_) => "表数组",
        Item::None => "空",
    }
}

fn value_type_zh(v: &Value) -> &'static str {
    match v {
        Value::String(_) => "字符串",
        Value::Integer(_) => "整数",
        Value::Float(_) => "小数",
        Value::Boolean(_) => "布尔值",
        Value::Datetime(_) => "日期时间",
        Value::Array(_) => "数组",
        Value::InlineTable(_) => "表",
    }
}
