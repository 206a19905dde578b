//! Where each table is looked for.

use std::cell::OnceCell;
use std::ops::Range;

use crate::model::Section;
use crate::normalize::{key_chars, KeyChar};
use crate::template::{self, TableTpl};

/// The matching key of the whole text, for searching the tables' opening
/// labels in any region; computed on first use (a report whose headings are
/// all there needs none).
pub struct DocKeys<'t> {
    text: &'t str,
    keys: OnceCell<Keys>,
}

struct Keys {
    chars: Vec<KeyChar>,
    key: String,
    /// Byte offset in `key` of each key character.
    at: Vec<usize>,
}

impl<'t> DocKeys<'t> {
    pub fn new(text: &'t str) -> Self {
        DocKeys {
            text,
            keys: OnceCell::new(),
        }
    }

    /// Where the first of `needles` (keys) starts in `range` of the text.
    fn first_of(&self, range: Range<usize>, needles: &[String]) -> Option<usize> {
        let k = self.keys.get_or_init(|| {
            let chars = key_chars(self.text, 0..self.text.len());
            let mut key = String::with_capacity(chars.len() * 3);
            let mut at = Vec::with_capacity(chars.len());
            for c in &chars {
                at.push(key.len());
                key.push(c.c);
            }
            Keys { chars, key, at }
        });
        let from = k.chars.partition_point(|c| c.src.start < range.start);
        let to = k.chars.partition_point(|c| c.src.start < range.end);
        if from >= to {
            return None;
        }
        let end = k.at.get(to).copied().unwrap_or(k.key.len());
        let hay = &k.key[k.at[from]..end];
        let pos = needles.iter().filter_map(|n| hay.find(n.as_str())).min()?;
        let idx = from + k.at[from..to].partition_point(|&b| b < k.at[from] + pos);
        k.chars.get(idx).map(|c| c.src.start)
    }
}

/// The region of the table of section `number`: the section's body, or,
/// when its heading is missing, everything between the neighbouring headings
/// from where the table's own header begins (a deleted heading should not
/// hide the table's own errors). The region ends where a later table's own
/// header begins, so a missing heading never lets one table swallow the next.
pub fn region(keys: &DocKeys, sections: &[Section], tpl: &TableTpl) -> Range<usize> {
    let text = keys.text;
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
            let own = keys
                .first_of(range.clone(), &tpl.start_keys)
                .unwrap_or(range.start);
            own..range.end
        }
    };
    // With its own heading and every later table's heading in place, a
    // section's body holds no later table.
    let headed = |n: u8| sections.iter().any(|s| s.number == n);
    let later = template::all()[0]
        .tables
        .iter()
        .filter(|t| t.section > number);
    if headed(number) && later.clone().all(|t| headed(t.section)) {
        return range;
    }
    for later in later {
        if let Some(at) = keys.first_of(range.clone(), &later.start_keys) {
            if at > range.start {
                range.end = range.end.min(at);
            }
        }
    }
    range
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
        let r = region(&DocKeys::new(text), &sections, t2);
        let r = &text[r];
        assert!(r.contains("0 0 0") && !r.contains("本列"), "{r}");
    }
}
