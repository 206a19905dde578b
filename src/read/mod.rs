//! Readers: a file's bytes → the [`Document`] the core reads, plus where
//! each piece of its text came from, so that findings and fixes can be
//! placed in the file as its user sees it. Pure: no IO.

pub mod docx;
pub mod html;
pub mod layout;
pub mod numbering;
pub mod srcmap;
pub mod text;
