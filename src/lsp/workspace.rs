//! The reports on disk in the workspace, for `cross-year-mismatch`: an
//! open report is compared with the same body's report of the year before,
//! which need not be open.
//!
//! The workspace folders are scanned once in the background (plain-text and
//! Markdown files, hidden folders skipped); each file that is an annual
//! report keeps its [`Facts`] and its text (to place related locations). A
//! file is read again when the client reports a change (watched files) and,
//! for the reports compared, whenever its size or modification time changed.
//! Without workspace folders, the folder of each open document is scanned
//! (not its subfolders).

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::SystemTime;

use super::position::PosIndex;
use crate::config::{self, Config};
use crate::normalize;
use crate::series::{self, Facts};
use crate::settings::Settings;

/// The largest file read (like `--check`).
const MAX_FILE_BYTES: u64 = crate::cli::check::MAX_FILE_BYTES;
/// A workspace with more files than this is scanned only this far.
const MAX_FILES: usize = 20_000;
/// Folders never holding reports, skipped with hidden folders.
const SKIPPED_DIRS: [&str; 2] = ["node_modules", "target"];

/// Another file's text, to place related locations in it.
#[derive(Debug)]
pub struct OtherText {
    /// The text locations are given in (the page source of a web page);
    /// empty for a file without lines (Word, PDF).
    pub text: String,
    pub index: PosIndex,
    /// For a file without lines: the place in words of each cell compared.
    pub words: HashMap<(usize, usize), String>,
}

type Stamp = Option<(SystemTime, u64)>;

fn stamp(path: &Path) -> Stamp {
    let m = std::fs::metadata(path).ok()?;
    Some((m.modified().ok()?, m.len()))
}

/// One file as last read.
#[derive(Clone)]
struct Entry {
    stamp: Stamp,
    /// `None` when the file is not a report with anything to compare.
    report: Option<(Arc<Facts>, Arc<OtherText>)>,
    /// The matching key of the body's name.
    key: String,
}

#[derive(Default)]
struct Inner {
    roots: Vec<PathBuf>,
    /// Folders scanned (the roots, or the folders of open documents).
    scanned: HashSet<PathBuf>,
    files: HashMap<PathBuf, Entry>,
}

/// The index of reports on disk. Shared by the server and its blocking
/// analysis threads; the lock is held only around map access, never while
/// reading or analysing a file.
#[derive(Default)]
pub struct Workspace {
    inner: Mutex<Inner>,
}

impl Workspace {
    fn lock(&self) -> MutexGuard<'_, Inner> {
        self.inner
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    pub fn set_roots(&self, roots: Vec<PathBuf>) {
        self.lock().roots = roots;
    }

    /// Forget every file read (a configuration changed).
    pub fn forget(&self) {
        let mut inner = self.lock();
        inner.files.clear();
        inner.scanned.clear();
    }

    /// Scan the workspace folders (blocking: run it off the async threads).
    /// Returns whether any report was found.
    pub fn scan_roots(&self) -> bool {
        let roots = self.lock().roots.clone();
        let mut found = false;
        for root in roots {
            found |= self.scan(&root, true);
        }
        found
    }

    /// Make sure the folder of `doc` was scanned when there are no workspace
    /// folders (a single file opened in the editor).
    fn ensure_scanned(&self, doc: &Path) {
        let Some(dir) = doc.parent() else { return };
        {
            let inner = self.lock();
            if !inner.roots.is_empty() || inner.scanned.contains(dir) {
                return;
            }
        }
        self.scan(dir, false);
    }

    fn scan(&self, dir: &Path, recursive: bool) -> bool {
        self.lock().scanned.insert(dir.to_path_buf());
        let walker = walkdir::WalkDir::new(dir)
            .max_depth(if recursive { usize::MAX } else { 1 })
            .follow_links(false)
            .into_iter()
            .filter_entry(|e| {
                e.depth() == 0
                    || !e.file_type().is_dir()
                    || !e
                        .file_name()
                        .to_str()
                        .is_some_and(|n| n.starts_with('.') || SKIPPED_DIRS.contains(&n))
            });
        let mut configs = HashMap::new();
        let roots = self.lock().roots.clone();
        let mut found = false;
        for entry in walker.filter_map(Result::ok).take(MAX_FILES) {
            let path = entry.path();
            if !entry.file_type().is_file() || !is_report_file(path) {
                continue;
            }
            if self.lock().files.contains_key(path) {
                continue;
            }
            let e = read(path, &mut configs, &roots);
            found |= e.report.is_some();
            self.lock().files.insert(path.to_path_buf(), e);
        }
        found
    }

    /// A file changed, was created or was deleted on disk: read it again.
    /// Returns whether it is (or was) a report.
    pub fn update(&self, path: &Path) -> bool {
        if !is_report_file(path) {
            return false;
        }
        let was = self
            .lock()
            .files
            .get(path)
            .is_some_and(|e| e.report.is_some());
        let roots = self.lock().roots.clone();
        let e = if path.is_file() {
            Some(read(path, &mut HashMap::new(), &roots))
        } else {
            None
        };
        let is = e.as_ref().is_some_and(|e| e.report.is_some());
        let mut inner = self.lock();
        match e {
            Some(e) => {
                inner.files.insert(path.to_path_buf(), e);
            }
            None => {
                inner.files.remove(path);
            }
        }
        was || is
    }

    /// The reports on disk of the same body as `facts` (not the file `own`),
    /// each re-read first if it changed since it was read.
    pub fn same_body(&self, facts: &Facts, own: &Path) -> Vec<(Arc<Facts>, Arc<OtherText>)> {
        self.ensure_scanned(own);
        let Some(key) = facts.agency.as_deref().map(normalize::key) else {
            return Vec::new();
        };
        let candidates: Vec<(PathBuf, Stamp)> = self
            .lock()
            .files
            .iter()
            .filter(|(path, _)| path.as_path() != own)
            .filter(|(_, e)| e.report.is_some() && series::same_body(&key, &e.key))
            .map(|(path, e)| (path.clone(), e.stamp))
            .collect();
        let mut out = Vec::new();
        for (path, old) in candidates {
            if stamp(&path) != old {
                self.update(&path);
            }
            if let Some(report) = self.lock().files.get(&path).and_then(|e| e.report.clone()) {
                out.push(report);
            }
        }
        out
    }

    /// How many reports the index holds (for logs and tests).
    pub fn reports(&self) -> usize {
        self.lock()
            .files
            .values()
            .filter(|e| e.report.is_some())
            .count()
    }
}

/// The formats `--check` reads in folders (text, Markdown, web pages, Word, PDF).
fn is_report_file(path: &Path) -> bool {
    path.extension().and_then(|e| e.to_str()).is_some_and(|e| {
        crate::read::Format::EXTENSIONS
            .iter()
            .chain(&["markdown"])
            .any(|x| e.eq_ignore_ascii_case(x))
    })
}

/// How a message names a file: relative to the workspace folder holding it.
pub fn label(path: &Path, roots: &[PathBuf]) -> String {
    roots
        .iter()
        .filter_map(|r| path.strip_prefix(r).ok())
        .min_by_key(|p| p.components().count())
        .unwrap_or(path)
        .to_string_lossy()
        .replace('\\', "/")
}

/// The settings of `gov-report.toml` for a file on disk (editor settings
/// belong to open documents and do not apply).
fn settings_for(path: &Path, cache: &mut HashMap<PathBuf, Option<Arc<Config>>>) -> Settings {
    let Some(dir) = path.parent() else {
        return Settings::default();
    };
    let Some(file) = config::discover(dir, Path::is_file) else {
        return Settings::default();
    };
    let config = cache
        .entry(file.clone())
        .or_insert_with(|| {
            let text = std::fs::read_to_string(&file).ok()?;
            Config::parse(&file, &text).ok().map(Arc::new)
        })
        .clone();
    config.map(|c| c.settings()).unwrap_or_default()
}

/// Read and analyse one file.
fn read(
    path: &Path,
    configs: &mut HashMap<PathBuf, Option<Arc<Config>>>,
    roots: &[PathBuf],
) -> Entry {
    let stamp = stamp(path);
    let none = Entry {
        stamp,
        report: None,
        key: String::new(),
    };
    if stamp.is_none_or(|(_, len)| len > MAX_FILE_BYTES) {
        return none;
    }
    let Ok(bytes) = std::fs::read(path) else {
        return none;
    };
    let Ok(read) = crate::read::read(&path.to_string_lossy(), &bytes) else {
        return none;
    };
    // Most files of a workspace are not reports: skip them without analysis.
    if !read.doc.text.contains("报告") && !read.doc.text.contains("報告") {
        return none;
    }
    let settings = settings_for(path, configs);
    let analysis = crate::read::analyze(&read, &settings).analysis;
    if !analysis.looks_like_report() {
        return none;
    }
    // The core's coordinates (the document text), then where the file's
    // locations are given: the page source of a web page, the place in
    // words of a Word document or PDF.
    let mut facts = Facts::of(path.to_string_lossy(), &analysis, &read.doc.text, &settings);
    facts.label = label(path, roots);
    if !facts.comparable() {
        return none;
    }
    let mut words = HashMap::new();
    let text = if read.format.has_lines() {
        facts.map_cells(|c| c.range = crate::read::shown_range(&read, c.range.clone()));
        read.decoded.text.clone()
    } else {
        facts.map_cells(|c| {
            let place = crate::read::locate_range(&read, &analysis.report, &c.range).words();
            words.insert((c.range.start, c.range.end), place);
        });
        String::new()
    };
    let other = OtherText {
        index: PosIndex::new(&text),
        text,
        words,
    };
    Entry {
        stamp,
        key: facts
            .agency
            .as_deref()
            .map(normalize::key)
            .unwrap_or_default(),
        report: Some((Arc::new(facts), Arc::new(other))),
    }
}

/// Add the cross-year findings of an open report at `path` (compared with
/// the reports on disk of the same body); returns the texts of the files its
/// findings point into, to place their related locations.
pub fn cross_year(
    ws: &Workspace,
    analysis: &mut crate::Analysis,
    text: &str,
    settings: &Settings,
    path: &Path,
    roots: &[PathBuf],
) -> HashMap<String, Arc<OtherText>> {
    let mut texts = HashMap::new();
    let rule = &crate::rules::cross_year_mismatch::RULE;
    if crate::analysis::severity_of(rule, settings).is_none() {
        return texts;
    }
    let mut mine = Facts::of(path.to_string_lossy(), analysis, text, settings);
    mine.label = label(path, roots);
    if !mine.comparable() {
        return texts;
    }
    let others = ws.same_body(&mine, path);
    if others.is_empty() {
        return texts;
    }
    let mut all = vec![mine];
    all.extend(others.iter().map(|(f, _)| (**f).clone()));
    let found = series::check(&all)
        .findings
        .into_iter()
        .next()
        .unwrap_or_default();
    for d in &found {
        for p in d.related.iter().filter_map(|r| r.path.as_ref()) {
            if let Some((_, t)) = others.iter().find(|(f, _)| &f.path == p) {
                texts.insert(p.clone(), t.clone());
            }
        }
    }
    series::merge(analysis, text, settings, found);
    texts
}
