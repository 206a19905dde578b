//! gov-report-lsp: a linter and language server for Chinese government
//! information-disclosure annual reports (政府信息公开工作年度报告).
//!
//! The core (`normalize` → `parse` → `model` → `rules` → `diagnostic`) is pure:
//! it takes `&str` and returns values, with no IO, no async and no LSP types.
//! Only `main.rs`, `cli` and `lsp` touch the outside world.

pub mod analysis;
pub mod cli;
pub mod config;
pub mod diagnostic;
pub mod document;
pub mod fix;
pub mod lsp;
pub mod model;
pub mod narrative;
pub mod normalize;
pub mod parse;
pub mod read;
pub mod rules;
pub mod series;
pub mod settings;
pub mod suppress;
pub mod template;
pub mod text;

pub use analysis::{analyze, analyze_document, Analysis, ReportInfo};
pub use diagnostic::{Diagnostic, Edit, Fix, Related, Safety, Severity};
pub use document::{Document, Grid, GridCell};
pub use settings::Settings;
