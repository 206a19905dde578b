//! Where each table is looked for.

use std::ops::Range;

use crate::model::Section;
use crate::normalize::key_chars;
use crate::template::{self, TableTpl};

/// The region of the table of section `number`: the section's body, or,
/// when its heading is missing, everything between the neighbouring headings
/// from where the table's own header begins (a deleted heading should not
/// hide the table's own errors). The region ends where a later table's own
/// header begins, so a missing heading never lets one table swallow the next.
pub fn region(text: &str, sections: &[Section], tpl: &TableTpl) -> Range<usize> {
    let number = tpl.section;
    let mut range = match sections.iter().find(|s| s.number == number) {
        Some(s) => s.body.clone(),
        None => {
            let start = sections
                .iter()
                .filter(|s| s.number < number)
                .map(|s| s.range.end)
                .max()
                .unwrap_or(0);
            let end = sections
                .iter()
                .filter(|s| s.number > number && s.range.start >= start)
                .map(|s| s.range.start)
                .min()
                .unwrap_or(text.len());
            let range = start..end.max(start);
            let own = first_start(text, range.clone(), tpl).unwrap_or(range.start);
            own..range.end
        }
    };
    for later in template::all()[0]
        .tables
        .iter()
        .filter(|t| t.section > number)
    {
        if let Some(at) = first_start(text, range.clone(), later) {
            if at > range.start {
                range.end = range.end.min(at);
            }
        }
    }
    range
}

/// Where the first of a table's opening labels stands in `range`.
fn first_start(text: &str, range: Range<usize>, tpl: &TableTpl) -> Option<usize> {
    if tpl.start_keys.is_empty() {
        return None;
    }
    let chars = key_chars(text, range);
    let key: String = chars.iter().map(|k| k.c).collect();
    let first = tpl
        .start_keys
        .iter()
        .filter_map(|k| key.find(k.as_str()))
        .min()?;
    let idx = key[..first].chars().count();
    chars.get(idx).map(|k| k.src.start)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_table_ends_where_the_next_tables_header_begins() {
        let text = "二、主动公开政府信息情况\n规章 0 0 0\n（本列数据的勾稽关系为：…）申请人情况";
        let sections = crate::parse::parse(text).sections;
        let t2 = template::all()[0]
            .tables
            .iter()
            .find(|t| t.id == "t2")
            .unwrap();
        let r = region(text, &sections, t2);
        let r = &text[r];
        assert!(r.contains("0 0 0") && !r.contains("本列"), "{r}");
    }
}
