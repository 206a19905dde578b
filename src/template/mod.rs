//! The templates of the two national formats, loaded from the TOML data files
//! beside this module. The Rust code knows how to check a sum; which sums
//! exist, like every label, lives in the data.

use std::collections::HashMap;
use std::sync::OnceLock;

use serde::Deserialize;

use crate::model::{CellKind, Format, IdentityKind};

const SECTIONS_TOML: &str = include_str!("sections.toml");
const T2021_TOML: &str = include_str!("2021.toml");
const T2019_TOML: &str = include_str!("2019.toml");

/// One of the six sections.
#[derive(Debug, Deserialize)]
pub struct SectionTpl {
    pub number: u8,
    pub title: String,
    pub acceptable: Vec<String>,
}

/// A template of one format.
#[derive(Debug, Deserialize)]
pub struct Template {
    #[serde(deserialize_with = "de_format")]
    pub format: Format,
    pub tables: Vec<TableTpl>,
}

#[derive(Debug, Deserialize)]
pub struct TableTpl {
    pub id: String,
    pub section: u8,
    pub name: String,
    /// Labels that open the table: where it starts in text whose heading is
    /// missing, and where the table before it ends.
    #[serde(default)]
    pub starts: Vec<String>,
    /// Matching keys of `starts` (filled in at load time).
    #[serde(skip)]
    pub start_keys: Vec<String>,
    /// The parts read and judged one by one (表二's blocks); none means the
    /// whole table is one part.
    #[serde(default)]
    pub parts: Vec<PartTpl>,
    /// The parts as (name, row indices into `rows()`): `parts`, or the
    /// whole table as one part named after it (filled in at load time).
    #[serde(skip)]
    pub part_rows: Vec<(String, Vec<usize>)>,
    /// Per row index: the first part of `part_rows` holding the row.
    #[serde(skip)]
    pub row_part: Vec<Option<usize>>,
    /// Default data columns for rows that name none.
    #[serde(default)]
    pub columns: Vec<String>,
    /// Matching keys of `columns` (filled in at load time).
    #[serde(skip)]
    pub column_keys: Vec<ColumnKey>,
    /// Default cell kind for rows that name none.
    #[serde(default)]
    pub kind: Option<CellKind>,
    pub items: Vec<Item>,
    #[serde(default)]
    pub sums: Vec<SumTpl>,
    /// `sums` expanded over rows and columns, with rows as indices into
    /// `rows()` (filled in at load time).
    #[serde(skip)]
    pub checks: Vec<Check>,
}

/// A part of a table: a name and its rows.
#[derive(Debug, Deserialize)]
pub struct PartTpl {
    pub name: String,
    pub rows: Vec<String>,
}

/// One identity of a table on template coordinates: `(row index, column)`.
#[derive(Debug)]
pub struct Check {
    pub kind: IdentityKind,
    pub left: Vec<(usize, usize)>,
    pub right: Vec<(usize, usize)>,
    /// Human description, e.g. `“自然人”列`.
    pub scope: String,
}

/// A header label or a data row, in reading order.
#[derive(Debug, Deserialize)]
#[serde(untagged)]
pub enum Item {
    Row(RowTpl),
    Header(HeaderTpl),
}

#[derive(Debug, Deserialize)]
pub struct HeaderTpl {
    pub header: String,
    /// Matching key of `header` (filled in at load time).
    #[serde(skip)]
    pub key: String,
    pub role: Role,
    #[serde(default)]
    pub optional: bool,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    Block,
    Column,
    Group,
    Note,
}

#[derive(Debug, Deserialize)]
pub struct RowTpl {
    pub row: String,
    pub label: String,
    /// Matching keys the label may be written as: full, without its
    /// numbering, and aliases (filled in at load time).
    #[serde(skip)]
    pub keys: Vec<String>,
    #[serde(default)]
    pub aliases: Vec<String>,
    #[serde(default)]
    pub columns: Vec<String>,
    /// Matching keys of `columns` (filled in at load time).
    #[serde(skip)]
    pub column_keys: Vec<ColumnKey>,
    #[serde(default)]
    pub kinds: Vec<CellKind>,
}

/// The matching keys of a column name `group·leaf` (or `leaf`): a grid's
/// header cells are compared with them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ColumnKey {
    pub leaf: String,
    pub group: Option<String>,
}

impl ColumnKey {
    pub fn of(column: &str) -> Self {
        use crate::normalize::key;
        match column.split_once('·') {
            Some((g, l)) => ColumnKey {
                leaf: key(l),
                group: Some(key(g)),
            },
            None => ColumnKey {
                leaf: key(column),
                group: None,
            },
        }
    }
}

#[derive(Debug, Deserialize)]
pub struct SumTpl {
    pub kind: SumKind,
    #[serde(default)]
    pub each: Option<Each>,
    #[serde(default)]
    pub total: Option<String>,
    #[serde(default)]
    pub parts: Vec<String>,
    #[serde(default)]
    pub left: Vec<String>,
    #[serde(default)]
    pub right: Vec<String>,
    pub scope: String,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum SumKind {
    Total,
    Balance,
}

impl SumKind {
    pub fn identity(self) -> IdentityKind {
        match self {
            SumKind::Total => IdentityKind::Total,
            SumKind::Balance => IdentityKind::Balance,
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Each {
    Row,
    Column,
}

impl TableTpl {
    /// The data rows, in order.
    pub fn rows(&self) -> impl Iterator<Item = &RowTpl> {
        self.items.iter().filter_map(|i| match i {
            Item::Row(r) => Some(r),
            Item::Header(_) => None,
        })
    }

    /// The columns of a row (its own, else the table's).
    pub fn columns_of<'a>(&'a self, row: &'a RowTpl) -> &'a [String] {
        if row.columns.is_empty() {
            &self.columns
        } else {
            &row.columns
        }
    }

    /// The matching keys of [`TableTpl::columns_of`] (precomputed at load time).
    pub fn column_keys_of<'a>(&'a self, row: &'a RowTpl) -> &'a [ColumnKey] {
        if row.columns.is_empty() {
            &self.column_keys
        } else {
            &row.column_keys
        }
    }

    /// The kind of the cell in column `col` of `row`.
    pub fn kind_of(&self, row: &RowTpl, col: usize) -> CellKind {
        row.kinds
            .get(col)
            .copied()
            .or(self.kind)
            .unwrap_or(CellKind::Count)
    }
}

fn de_format<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Format, D::Error> {
    let s = String::deserialize(d)?;
    match s.as_str() {
        "2019" => Ok(Format::F2019),
        "2021" => Ok(Format::F2021),
        other => Err(serde::de::Error::custom(format!("unknown format {other}"))),
    }
}

#[derive(Deserialize)]
struct SectionsFile {
    sections: Vec<SectionTpl>,
}

struct Data {
    sections: Vec<SectionTpl>,
    templates: [Template; 2],
    /// The matching key of every text of the templates (labels, aliases,
    /// headers, column names and their parts), by text: a grid cell usually
    /// holds one of them verbatim.
    label_keys: HashMap<String, String>,
}

fn data() -> &'static Data {
    static DATA: OnceLock<Data> = OnceLock::new();
    DATA.get_or_init(|| {
        // The data files are compiled in and validated by tests; a failure here is a build defect.
        let sections: SectionsFile = toml::from_str(SECTIONS_TOML).expect("sections.toml is valid");
        let mut t2021: Template = toml::from_str(T2021_TOML).expect("2021.toml is valid");
        let mut t2019: Template = toml::from_str(T2019_TOML).expect("2019.toml is valid");
        fill_keys(&mut t2021);
        fill_keys(&mut t2019);
        let templates = [t2021, t2019];
        let label_keys = label_keys(&templates);
        Data {
            sections: sections.sections,
            templates,
            label_keys,
        }
    })
}

/// Expand the sums of a table into checks on template coordinates.
fn resolve_checks(table: &TableTpl) -> Vec<Check> {
    let rows: Vec<&RowTpl> = table.rows().collect();
    let row_idx = |key: &str| rows.iter().position(|r| r.row == key);
    let cell = |r: &str| -> Option<(usize, usize)> {
        let (rk, c) = r.split_once(':')?;
        Some((row_idx(rk)?, c.parse().ok()?))
    };
    let mut out = Vec::new();
    for sum in &table.sums {
        let (left, right): (&[String], &[String]) = match sum.kind {
            SumKind::Total => (sum.total.as_slice(), &sum.parts),
            SumKind::Balance => (&sum.left, &sum.right),
        };
        match sum.each {
            Some(Each::Row) => {
                let col = |v: &[String]| -> Option<Vec<usize>> {
                    v.iter().map(|c| c.parse().ok()).collect()
                };
                let (Some(l), Some(r)) = (col(left), col(right)) else {
                    continue;
                };
                for (i, row) in rows.iter().enumerate() {
                    let label = if row.label.is_empty() {
                        "数据"
                    } else {
                        row.label.as_str()
                    };
                    out.push(Check {
                        kind: sum.kind.identity(),
                        left: l.iter().map(|&c| (i, c)).collect(),
                        right: r.iter().map(|&c| (i, c)).collect(),
                        scope: format!("“{label}”行"),
                    });
                }
            }
            Some(Each::Column) => {
                let idx =
                    |v: &[String]| -> Option<Vec<usize>> { v.iter().map(|k| row_idx(k)).collect() };
                let (Some(l), Some(r)) = (idx(left), idx(right)) else {
                    continue;
                };
                for (c, name) in table.columns.iter().enumerate() {
                    out.push(Check {
                        kind: sum.kind.identity(),
                        left: l.iter().map(|&i| (i, c)).collect(),
                        right: r.iter().map(|&i| (i, c)).collect(),
                        scope: format!("“{name}”列"),
                    });
                }
            }
            None => {
                let refs = |v: &[String]| -> Option<Vec<(usize, usize)>> {
                    v.iter().map(|r| cell(r)).collect()
                };
                let (Some(l), Some(r)) = (refs(left), refs(right)) else {
                    continue;
                };
                out.push(Check {
                    kind: sum.kind.identity(),
                    left: l,
                    right: r,
                    scope: sum.scope.clone(),
                });
            }
        }
    }
    out
}

/// The parts of a table as (name, row indices).
fn resolve_parts(table: &TableTpl) -> Vec<(String, Vec<usize>)> {
    let rows: Vec<&RowTpl> = table.rows().collect();
    if table.parts.is_empty() {
        return vec![(table.name.clone(), (0..rows.len()).collect())];
    }
    table
        .parts
        .iter()
        .map(|p| {
            let idx = p
                .rows
                .iter()
                .filter_map(|k| rows.iter().position(|r| &r.row == k))
                .collect();
            (p.name.clone(), idx)
        })
        .collect()
}

/// Precompute the matching keys of every label and the checks of every table.
fn fill_keys(tpl: &mut Template) {
    use crate::normalize::{key, key_without_ordinal};
    for table in &mut tpl.tables {
        table.checks = resolve_checks(table);
        table.part_rows = resolve_parts(table);
        let n_rows = table.rows().count();
        table.row_part = (0..n_rows)
            .map(|i| table.part_rows.iter().position(|(_, idx)| idx.contains(&i)))
            .collect();
        table.start_keys = table.starts.iter().map(|s| key(s)).collect();
        table.column_keys = table.columns.iter().map(|c| ColumnKey::of(c)).collect();
        for item in &mut table.items {
            match item {
                Item::Header(h) => h.key = key(&h.header),
                Item::Row(r) => {
                    let mut keys = vec![key(&r.label)];
                    let stripped = key_without_ordinal(&r.label);
                    if stripped.chars().count() >= 3 && !keys.contains(&stripped) {
                        keys.push(stripped);
                    }
                    keys.extend(r.aliases.iter().map(|a| key(a)));
                    keys.retain(|k| !k.is_empty());
                    r.keys = keys;
                    r.column_keys = r.columns.iter().map(|c| ColumnKey::of(c)).collect();
                }
            }
        }
    }
}

/// The key of every text of the templates, by text.
fn label_keys(templates: &[Template]) -> HashMap<String, String> {
    let mut texts: Vec<&str> = Vec::new();
    for table in templates.iter().flat_map(|t| &t.tables) {
        texts.extend(table.starts.iter().map(String::as_str));
        texts.extend(table.parts.iter().map(|p| p.name.as_str()));
        let mut columns: Vec<&String> = table.columns.iter().collect();
        for item in &table.items {
            match item {
                Item::Header(h) => texts.push(&h.header),
                Item::Row(r) => {
                    texts.push(&r.label);
                    texts.extend(r.aliases.iter().map(String::as_str));
                    columns.extend(&r.columns);
                }
            }
        }
        for c in columns {
            texts.push(c);
            if let Some((g, l)) = c.split_once('·') {
                texts.extend([g, l]);
            }
        }
    }
    texts
        .into_iter()
        .map(|t| (t.to_string(), crate::normalize::key(t)))
        .collect()
}

/// The matching key of `text` when it is a text of the templates (a label,
/// header or column name as the template writes it), without computing it.
pub fn label_key(text: &str) -> Option<&'static str> {
    data().label_keys.get(text).map(String::as_str)
}

/// Both templates, newest first.
pub fn all() -> &'static [Template] {
    &data().templates
}

/// The template of `format`.
pub fn get(format: Format) -> &'static Template {
    match format {
        Format::F2021 => &data().templates[0],
        Format::F2019 => &data().templates[1],
    }
}

/// The six sections.
pub fn sections() -> &'static [SectionTpl] {
    &data().sections
}

/// The canonical title of section `number` (without ordinal), e.g. `总体情况`.
pub fn section_title(number: u8) -> &'static str {
    sections()
        .iter()
        .find(|s| s.number == number)
        .map_or("", |s| s.title.as_str())
}

/// The canonical heading of section `number`, e.g. `一、总体情况`.
pub fn section_heading(number: u8) -> String {
    format!("{}、{}", ordinal_zh(number), section_title(number))
}

/// `1` → `一` … `6` → `六`.
pub fn ordinal_zh(n: u8) -> &'static str {
    [
        "〇", "一", "二", "三", "四", "五", "六", "七", "八", "九", "十",
    ]
    .get(n as usize)
    .copied()
    .unwrap_or("?")
}

/// The id of the table that belongs in section `number`.
pub fn table_of_section(number: u8) -> Option<&'static str> {
    get(Format::F2021)
        .tables
        .iter()
        .find(|t| t.section == number)
        .map(|t| t.id.as_str())
}

/// The Chinese name of a table id.
pub fn table_name(id: &str) -> &'static str {
    get(Format::F2021)
        .tables
        .iter()
        .find(|t| t.id == id)
        .map_or("", |t| t.name.as_str())
}

/// Every row and header label of table `id` in `format`, in template order.
fn labels(format: Format, id: &str) -> impl Iterator<Item = &'static str> + '_ {
    get(format)
        .tables
        .iter()
        .filter(move |t| t.id == id)
        .flat_map(|t| {
            t.items.iter().map(|i| match i {
                Item::Row(r) => r.label.as_str(),
                Item::Header(h) => h.header.as_str(),
            })
        })
}

/// Whether table `id` of `format` has a row, header or part labelled `label`.
pub fn has_label(format: Format, id: &str, label: &str) -> bool {
    labels(format, id).any(|l| l == label)
        || get(format)
            .tables
            .iter()
            .filter(|t| t.id == id)
            .any(|t| t.parts.iter().any(|p| p.name == label))
}

/// Whether table `id` differs between the two formats (so that using the
/// wrong one is detectable).
pub fn formats_differ(id: &str) -> bool {
    labels(Format::F2019, id).ne(labels(Format::F2021, id))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::normalize::key;

    #[test]
    fn label_keys_are_the_keys_of_their_texts() {
        assert!(!data().label_keys.is_empty());
        for (text, k) in &data().label_keys {
            assert_eq!(label_key(text), Some(key(text).as_str()), "{text}");
            assert_eq!(k, &key(text));
        }
        // Texts that are no template's are left to the caller (the empty
        // label of 表四's one row is a template's).
        for text in ["𠮷", "１２３", "(一) 予以公开", "信息内容 "] {
            assert_eq!(label_key(text), None, "{text}");
        }
        assert!(label_key("").is_none_or(str::is_empty));
    }

    #[test]
    fn column_keys_are_the_keys_of_the_columns() {
        for table in all().iter().flat_map(|t| &t.tables) {
            for row in table.rows() {
                let want: Vec<ColumnKey> = table
                    .columns_of(row)
                    .iter()
                    .map(|c| ColumnKey::of(c))
                    .collect();
                assert_eq!(table.column_keys_of(row), want.as_slice());
            }
        }
    }
}
