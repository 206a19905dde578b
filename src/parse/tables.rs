//! Statistical tables (work in progress).

use crate::model::{Section, Table};

pub fn find(_text: &str, _sections: &[Section]) -> Vec<Table> {
    Vec::new()
}
