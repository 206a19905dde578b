//! Which `gov-report.toml` applies to each checked file: `--config PATH`, else
//! the nearest one found by walking up from the file's folder. Each file is
//! read and parsed once per run.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::config::{self, Config};

/// Resolves and caches configurations for one run.
pub struct Resolver {
    /// `--config PATH`, already loaded.
    fixed: Option<Arc<Config>>,
    /// Folder → the configuration file that applies there (`None`: defaults).
    by_dir: HashMap<PathBuf, Option<PathBuf>>,
    /// Configuration file → its parsed content (or why it could not be used).
    loaded: HashMap<PathBuf, Result<Arc<Config>, String>>,
    defaults: Arc<Config>,
}

/// Read and parse one configuration file; the error names the file.
pub fn load(path: &Path) -> Result<Config, String> {
    let text = std::fs::read_to_string(path).map_err(|e| {
        format!(
            "{}: 无法读取配置文件（{}）",
            path.display(),
            crate::cli::input::io_reason(&e)
        )
    })?;
    Config::parse(path, &text).map_err(|e| e.to_string())
}

impl Resolver {
    /// `config`: the `--config` file, which then applies to every file.
    pub fn new(config: Option<&Path>) -> Result<Resolver, String> {
        let fixed = match config {
            Some(path) => Some(Arc::new(load(path)?)),
            None => None,
        };
        Ok(Resolver {
            fixed,
            by_dir: HashMap::new(),
            loaded: HashMap::new(),
            defaults: Arc::new(Config::default()),
        })
    }

    /// The configuration for a file (which need not exist: standard input
    /// is resolved through `--stdin-filename`, or the current folder).
    pub fn for_file(&mut self, file: &Path) -> Result<Arc<Config>, String> {
        if let Some(fixed) = &self.fixed {
            return Ok(fixed.clone());
        }
        let absolute = absolute(file);
        let dir = absolute
            .parent()
            .map_or_else(|| absolute.clone(), Path::to_path_buf);
        let found = self
            .by_dir
            .entry(dir.clone())
            .or_insert_with(|| config::discover(&dir, Path::is_file))
            .clone();
        let Some(path) = found else {
            return Ok(self.defaults.clone());
        };
        self.loaded
            .entry(path.clone())
            .or_insert_with(|| load(&display_path(&path)).map(Arc::new))
            .clone()
    }
}

/// A discovered configuration path, shown relative to the current folder
/// when it is below it (messages stay short and stable).
fn display_path(path: &Path) -> PathBuf {
    std::env::current_dir()
        .ok()
        .and_then(|cwd| path.strip_prefix(cwd).ok().map(Path::to_path_buf))
        .unwrap_or_else(|| path.to_path_buf())
}

/// Whether `config` lets `file` be checked (its `include`/`exclude`).
pub fn included(config: &Config, file: &Path) -> bool {
    let Some(base) = config.base_dir() else {
        return true;
    };
    let base = if base.as_os_str().is_empty() {
        Path::new(".")
    } else {
        base
    };
    match absolute(file).strip_prefix(absolute(base)) {
        Ok(rel) => config.includes(rel),
        // A file outside the configuration's folder (`--config elsewhere`):
        // match the path as given.
        Err(_) => config.includes(file),
    }
}

/// The absolute path, with `.` and `..` resolved lexically (the file need
/// not exist), so that walking up its ancestors visits real parent folders.
pub fn absolute(path: &Path) -> PathBuf {
    use std::path::Component;
    let joined = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
    let mut out = PathBuf::new();
    for c in joined.components() {
        match c {
            Component::CurDir => {}
            Component::ParentDir => {
                out.pop();
            }
            other => out.push(other),
        }
    }
    out
}

/// `[[ignore]]` entries that silenced nothing, as `(severity, message)`
/// lines. Only configurations whose whole folder this run walked are judged
/// (a folder argument at or above the configuration's folder): a run over a
/// few files (pre-commit) cannot tell whether an entry serves another file.
/// `configs[i]` and `outcomes[i]` belong to the same input.
pub fn unused_ignores(
    folders: &[PathBuf],
    configs: &[Arc<Config>],
    outcomes: &[crate::cli::check::Outcome],
) -> Vec<(crate::diagnostic::Severity, String)> {
    use crate::cli::check::Outcome;
    let folders: Vec<PathBuf> = folders.iter().map(|f| absolute(f)).collect();
    let mut seen: Vec<*const Config> = Vec::new();
    let mut out = Vec::new();
    for config in configs {
        let (Some(path), Some(base)) = (config.path(), config.base_dir()) else {
            continue;
        };
        let settings = config.settings();
        if settings.ignore.is_empty() || seen.contains(&Arc::as_ptr(config)) {
            continue;
        }
        seen.push(Arc::as_ptr(config));
        let base = absolute(if base.as_os_str().is_empty() {
            Path::new(".")
        } else {
            base
        });
        if !folders.iter().any(|f| base.starts_with(f)) {
            continue;
        }
        let severity = match settings.severities.get("unused-suppression") {
            Some(level) => match level.severity() {
                Some(s) => s,
                None => continue,
            },
            None => crate::rules::unused_suppression::RULE.default_severity,
        };
        let mut hits = vec![0usize; settings.ignore.len()];
        for (c, o) in configs.iter().zip(outcomes) {
            if let (true, Outcome::Checked(r)) = (Arc::ptr_eq(c, config), o) {
                for (h, n) in hits.iter_mut().zip(&r.analysis.ignore_hits) {
                    *h += n;
                }
            }
        }
        for (i, entry) in settings.ignore.iter().enumerate() {
            if hits[i] > 0 {
                continue;
            }
            let (line, column) = config.ignore_location(i).unwrap_or((1, 1));
            out.push((
                severity,
                format!(
                    "{}:{line}:{column}: {severity}[unused-suppression] [[ignore]] 条目（rule = \"{}\"，text = \"{}\"）在检查的文件中没有抑制任何问题，可以删除。",
                    path.display(),
                    entry.rule,
                    entry.text
                ),
            ));
        }
    }
    out
}
