//! The language server backend: open documents, analysis scheduling and the
//! protocol handlers.
//!
//! Each open document has a worker task (when diagnostics are pushed). A
//! change updates the rope synchronously (so edits apply in order), bumps a
//! revision and wakes the worker; the worker analyses the latest text on a
//! blocking thread and publishes only if no newer change arrived meanwhile.
//! Bursts of edits therefore coalesce, and the final state is always published.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};

use serde_json::Value;
use tokio::sync::Notify;
use tower_lsp::jsonrpc::Result as RpcResult;
use tower_lsp::lsp_types::notification::Notification;
use tower_lsp::lsp_types::*;
use tower_lsp::{Client, LanguageServer};

use super::config::{EditorConfig, GlobVerdict, LintMode};
use super::convert::{self, Conv};
use super::document::Document;
use super::features::{
    self, Action, ActionKind, RuleLink, Snapshot, Target, FIX_ALL_KIND, SUPPRESSION_WRITTEN,
};
use super::position::PosIndex;
use crate::config::{self, Config, ConfigError};
use crate::settings::Settings;
use crate::text::ColumnUnit;

/// `govReport/reportInfo`: what the server inferred about a document (for
/// the VS Code status bar; other clients ignore it).
pub enum ReportInfo {}

impl Notification for ReportInfo {
    type Params = Value;
    const METHOD: &'static str = "govReport/reportInfo";
}

/// The outline's name (`DocumentSymbolOptions.label`).
pub const OUTLINE_LABEL: &str = "年度报告结构";

/// Whether a document is linted.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Policy {
    Always,
    Never,
    /// When it looks like a report.
    Auto,
}

/// What the client can do, from `initialize`.
#[derive(Clone, Debug)]
struct ClientCaps {
    unit: ColumnUnit,
    /// The client pulls diagnostics (`textDocument/diagnostic`); we then do not push.
    pull: bool,
    refresh: bool,
    configuration_request: bool,
    document_changes: bool,
    create_files: bool,
    watch_files: bool,
    hierarchical_symbols: bool,
    /// A client command that shows a rule's explanation in the editor
    /// (`experimental.govReport.explainRuleCommand`, sent by the VS Code extension).
    explain_command: Option<String>,
}

impl Default for ClientCaps {
    fn default() -> Self {
        ClientCaps {
            unit: ColumnUnit::Utf16,
            pull: false,
            refresh: false,
            configuration_request: false,
            document_changes: false,
            create_files: false,
            watch_files: false,
            hierarchical_symbols: false,
            explain_command: None,
        }
    }
}

struct OpenDoc {
    id: u64,
    rev: u64,
    version: i32,
    markdown: bool,
    /// A web page: read through the HTML reader, findings in the page source.
    html: bool,
    /// Plain text or Markdown; other languages (an untitled tab whose
    /// language the editor guessed, e.g. "ini") are linted only when they
    /// look like a report, whatever `lint` says.
    text_like: bool,
    doc: Document,
    snapshot: Option<Arc<Snapshot>>,
    notify: Arc<Notify>,
    /// Serialises publishing for this document (so a clear on close is last).
    publish: Arc<tokio::sync::Mutex<()>>,
}

#[derive(Default)]
struct State {
    caps: ClientCaps,
    roots: Vec<PathBuf>,
    config: EditorConfig,
    docs: HashMap<Url, OpenDoc>,
    /// Configuration warnings from `initialize`, logged once initialized.
    pending_warnings: Vec<String>,
    /// `gov-report.toml` files read so far, by path.
    files: HashMap<PathBuf, CachedConfig>,
}

/// A parsed configuration file and the metadata it was read with.
struct CachedConfig {
    stamp: Option<(std::time::SystemTime, u64)>,
    parsed: Result<Arc<Config>, ConfigError>,
}

fn stamp(path: &Path) -> Option<(std::time::SystemTime, u64)> {
    let m = std::fs::metadata(path).ok()?;
    Some((m.modified().ok()?, m.len()))
}

impl State {
    /// The `gov-report.toml` that applies to `uri` (nearest up the folders),
    /// read again when it changed on disk. An invalid file is reported once
    /// (returned as the error message) and the defaults apply.
    fn file_config(&mut self, uri: &Url) -> (Option<Arc<Config>>, Option<String>) {
        let Some(dir) = uri
            .to_file_path()
            .ok()
            .and_then(|p| p.parent().map(Path::to_path_buf))
        else {
            return (None, None);
        };
        let Some(path) = config::discover(&dir, Path::is_file) else {
            return (None, None);
        };
        let now = stamp(&path);
        if let Some(cached) = self.files.get(&path) {
            if cached.stamp == now {
                return (cached.parsed.as_ref().ok().cloned(), None);
            }
        }
        let parsed = match std::fs::read_to_string(&path) {
            Ok(text) => Config::parse(&path, &text).map(Arc::new),
            Err(e) => Err(ConfigError {
                path: path.clone(),
                line: 1,
                column: 1,
                key: None,
                message: format!("无法读取配置文件：{e}"),
            }),
        };
        let report = parsed
            .as_ref()
            .err()
            .map(|e| format!("{e}（在修正之前，使用默认配置）"));
        let config = parsed.as_ref().ok().cloned();
        self.files.insert(path, CachedConfig { stamp: now, parsed });
        (config, report)
    }

    fn policy(&self, uri: &Url, file: Option<&Config>) -> Policy {
        let abs = uri.to_file_path().ok();
        let mut candidates: Vec<&Path> = Vec::new();
        if let Some(abs) = &abs {
            candidates.push(abs.as_path());
            for root in &self.roots {
                if let Ok(rel) = abs.strip_prefix(root) {
                    candidates.push(rel);
                }
            }
        }
        match self.config.glob_verdict(&candidates) {
            GlobVerdict::Excluded => return Policy::Never,
            GlobVerdict::Included => return Policy::Always,
            GlobVerdict::Unmatched => {}
        }
        // The team's include/exclude in gov-report.toml.
        if let (Some(file), Some(abs)) = (file, &abs) {
            if let Some(rel) = file.base_dir().and_then(|b| abs.strip_prefix(b).ok()) {
                if !file.includes(rel) {
                    return Policy::Never;
                }
            }
        }
        match self.config.lint {
            LintMode::Auto => Policy::Auto,
            LintMode::Always => Policy::Always,
            LintMode::Never => Policy::Never,
        }
    }

    /// Settings for `uri`: its gov-report.toml, overridden by editor settings.
    fn settings(&self, file: Option<&Config>) -> Settings {
        let base = file.map(Config::settings).unwrap_or_default();
        self.config.settings_over(&base)
    }

    /// Where an `[[ignore]]` entry for `uri` goes: the nearest existing
    /// configuration file, else a new `gov-report.toml` in the workspace
    /// folder holding the document (else beside it). With its current text
    /// (the editor's copy when it is open), `None` when it does not exist.
    fn ignore_target(&self, uri: &Url) -> Option<(PathBuf, Option<String>)> {
        let doc_path = uri.to_file_path().ok()?;
        let dir = doc_path.parent()?;
        if let Some(path) = config::discover(dir, Path::is_file) {
            let open = Url::from_file_path(&path)
                .ok()
                .and_then(|u| self.docs.get(&u))
                .map(|d| d.doc.text());
            let text = open.or_else(|| std::fs::read_to_string(&path).ok())?;
            return Some((path, Some(text)));
        }
        let folder = self
            .roots
            .iter()
            .filter(|r| doc_path.starts_with(r))
            .max_by_key(|r| r.components().count())
            .map_or(dir, PathBuf::as_path);
        Some((folder.join(config::FILE_NAMES[0]), None))
    }
}

struct Shared {
    state: Mutex<State>,
    /// Reports on disk, for comparing an open report with last year's.
    workspace: Arc<super::workspace::Workspace>,
    /// Source of document ids and revisions (unique across documents).
    counter: AtomicU64,
    shutdown: AtomicBool,
}

/// The server. Cheap to clone (workers hold a clone).
#[derive(Clone)]
pub struct Backend {
    client: Client,
    shared: Arc<Shared>,
}

/// Everything needed to analyse one revision off the async threads.
struct Job {
    doc_id: u64,
    rev: u64,
    version: i32,
    text: String,
    settings: Settings,
    policy: Policy,
    markdown: bool,
    html: bool,
    /// The document's file (none for an unsaved buffer).
    path: Option<PathBuf>,
    roots: Vec<PathBuf>,
    workspace: Arc<super::workspace::Workspace>,
}

impl Job {
    fn run(self) -> Snapshot {
        // A page, Markdown with markup or a hard-wrapped text is read as
        // shown: findings in the buffer, the report's own ranges in the shown text.
        let (mut analysis, mapped) =
            crate::read::analyze_editor(&self.text, self.html, self.markdown, &self.settings);
        let linted = match self.policy {
            Policy::Always => true,
            Policy::Never => false,
            Policy::Auto => analysis.looks_like_report(),
        };
        // The same body's report of the year before, on disk (for text and
        // Markdown: a page's findings are in its source, its tables in the
        // rendered text).
        let others = match (&self.path, linted && !mapped) {
            (Some(path), true) => super::workspace::cross_year(
                &self.workspace,
                &mut analysis,
                &self.text,
                &self.settings,
                path,
                &self.roots,
            ),
            _ => std::collections::HashMap::new(),
        };
        Snapshot {
            doc_id: self.doc_id,
            rev: self.rev,
            version: self.version,
            index: PosIndex::new(&self.text),
            text: self.text,
            settings: self.settings,
            analysis,
            linted,
            offer_completions: self.policy != Policy::Never && !mapped,
            markdown: self.markdown,
            page: self.html,
            mapped,
            others,
        }
    }
}

fn is_html(uri: &Url, language_id: &str) -> bool {
    language_id == "html"
        || uri
            .path()
            .rsplit('.')
            .next()
            .is_some_and(|ext| ext.eq_ignore_ascii_case("html") || ext.eq_ignore_ascii_case("htm"))
}

fn is_markdown(uri: &Url, language_id: &str) -> bool {
    language_id == "markdown"
        || uri.path().rsplit('.').next().is_some_and(|ext| {
            ext.eq_ignore_ascii_case("md") || ext.eq_ignore_ascii_case("markdown")
        })
}

/// Plain text or Markdown, by language id or file extension.
fn is_text_like(uri: &Url, language_id: &str) -> bool {
    language_id == "plaintext"
        || language_id == "text"
        || is_markdown(uri, language_id)
        || uri
            .path()
            .rsplit('.')
            .next()
            .is_some_and(|ext| ext.eq_ignore_ascii_case("txt"))
}

/// Whether a requested code action kind (`only`) admits `kind`.
fn kind_matches(requested: &[CodeActionKind], kind: &str) -> bool {
    requested.iter().any(|r| {
        let r = r.as_str();
        r.is_empty() || kind == r || kind.starts_with(&format!("{r}."))
    })
}

impl Backend {
    /// `govReport/checkFiles`: files read from disk (Word, PDF), with the
    /// settings and include/exclude an open document there would get.
    pub async fn check_files(
        &self,
        params: super::files::Params,
    ) -> RpcResult<Vec<super::files::FileReport>> {
        use rayon::prelude::*;
        let jobs: Vec<super::files::Job> = {
            let mut state = self.state();
            params
                .uris
                .into_iter()
                .map(|uri| {
                    let (file, _) = state.file_config(&uri);
                    let policy = state.policy(&uri, file.as_deref());
                    // Like an open document that is not text: checked when it looks
                    // like a report, unless excluded or linting is off.
                    super::files::Job {
                        settings: state.settings(file.as_deref()),
                        never: matches!(policy, Policy::Never),
                        uri,
                    }
                })
                .collect()
        };
        let reports = tokio::task::spawn_blocking(move || {
            jobs.into_par_iter().map(super::files::check).collect()
        })
        .await
        .unwrap_or_default();
        Ok(reports)
    }

    pub fn new(client: Client) -> Self {
        Backend {
            client,
            shared: Arc::new(Shared {
                state: Mutex::new(State::default()),
                workspace: Arc::default(),
                counter: AtomicU64::new(1),
                shutdown: AtomicBool::new(false),
            }),
        }
    }

    /// Whether `shutdown` was received (for the exit code).
    pub fn shutdown_requested(&self) -> bool {
        self.shared.shutdown.load(Ordering::SeqCst)
    }

    fn state(&self) -> MutexGuard<'_, State> {
        // A poisoned lock only means a handler panicked; the data is still usable.
        self.shared
            .state
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    fn next_id(&self) -> u64 {
        self.shared.counter.fetch_add(1, Ordering::Relaxed)
    }

    async fn log(&self, typ: MessageType, message: String) {
        super::log_stderr(&message);
        self.client.log_message(typ, message).await;
    }

    /// The analysis of the current text of `uri` (cached per revision).
    /// `doc_id` restricts it to one opening of the document.
    async fn snapshot(&self, uri: &Url, doc_id: Option<u64>) -> Option<Arc<Snapshot>> {
        let (job, config_error) = {
            let mut state = self.state();
            let doc = state.docs.get(uri)?;
            if doc_id.is_some_and(|id| id != doc.id) {
                return None;
            }
            if let Some(s) = doc.snapshot.as_ref().filter(|s| s.rev == doc.rev) {
                return Some(s.clone());
            }
            let (doc_id, rev, version, markdown, html) =
                (doc.id, doc.rev, doc.version, doc.markdown, doc.html);
            let text_like = doc.text_like;
            let text = doc.doc.text();
            // A page's source in a text buffer is read as the page.
            let html = html || crate::read::looks_like_html(text.as_bytes());
            let (file, config_error) = state.file_config(uri);
            let policy = match state.policy(uri, file.as_deref()) {
                Policy::Always if !text_like => Policy::Auto,
                p => p,
            };
            let job = Job {
                doc_id,
                rev,
                version,
                text,
                settings: state.settings(file.as_deref()),
                policy,
                markdown,
                html,
                path: uri.to_file_path().ok(),
                roots: state.roots.clone(),
                workspace: self.shared.workspace.clone(),
            };
            (job, config_error)
        };
        if let Some(e) = config_error {
            self.log(MessageType::ERROR, e.clone()).await;
            self.client.show_message(MessageType::ERROR, e).await;
        }
        let snap = match tokio::task::spawn_blocking(move || job.run()).await {
            Ok(s) => Arc::new(s),
            Err(e) => {
                self.log(
                    MessageType::ERROR,
                    format!("analysis of {uri} failed (internal error): {e}"),
                )
                .await;
                return None;
            }
        };
        let mut state = self.state();
        if let Some(doc) = state.docs.get_mut(uri) {
            if doc.id == snap.doc_id && doc.rev == snap.rev {
                doc.snapshot = Some(snap.clone());
            }
        }
        Some(snap)
    }

    fn is_open(&self, uri: &Url, doc_id: u64) -> bool {
        self.state().docs.get(uri).is_some_and(|d| d.id == doc_id)
    }

    /// Publish a snapshot's diagnostics if it is still the latest revision.
    async fn publish(&self, uri: &Url, snap: &Snapshot) {
        let (lock, unit) = {
            let state = self.state();
            match state.docs.get(uri) {
                Some(doc) if doc.id == snap.doc_id => (doc.publish.clone(), state.caps.unit),
                _ => return,
            }
        };
        let _guard = lock.lock().await;
        let current = self
            .state()
            .docs
            .get(uri)
            .is_some_and(|d| d.id == snap.doc_id && d.rev == snap.rev);
        if !current {
            return;
        }
        let diags = convert::diagnostics(snap, uri, unit);
        self.client
            .publish_diagnostics(uri.clone(), diags, Some(snap.version))
            .await;
        self.client
            .send_notification::<ReportInfo>(convert::report_info(
                uri,
                Some(snap.version),
                Some(snap),
            ))
            .await;
    }

    /// The per-document worker (push mode): analyse and publish on every wake-up.
    async fn worker(self, uri: Url, doc_id: u64, notify: Arc<Notify>) {
        loop {
            notify.notified().await;
            match self.snapshot(&uri, Some(doc_id)).await {
                Some(snap) => self.publish(&uri, &snap).await,
                None if !self.is_open(&uri, doc_id) => return,
                None => {}
            }
        }
    }

    /// Scan the workspace for reports in the background (again, forgetting
    /// what was read, when `again`), then check every open document again.
    fn rescan_workspace(&self, again: bool) {
        let this = self.clone();
        tokio::spawn(async move {
            let ws = this.shared.workspace.clone();
            let found = tokio::task::spawn_blocking(move || {
                if again {
                    ws.forget();
                }
                ws.scan_roots()
            })
            .await
            .unwrap_or(false);
            if found {
                this.refresh_all().await;
            }
        });
    }

    /// Re-analyse every open document (after a configuration change).
    async fn refresh_all(&self) {
        let pull = {
            let mut state = self.state();
            let uris: Vec<Url> = state.docs.keys().cloned().collect();
            for uri in uris {
                let rev = self.next_id();
                if let Some(doc) = state.docs.get_mut(&uri) {
                    doc.rev = rev;
                    doc.notify.notify_one();
                }
            }
            state.caps.pull.then_some(state.caps.refresh)
        };
        if pull == Some(true) {
            if let Err(e) = self.client.workspace_diagnostic_refresh().await {
                self.log(
                    MessageType::WARNING,
                    format!("workspace/diagnostic/refresh failed: {e}"),
                )
                .await;
            }
        }
    }

    async fn apply_config(&self, value: &Value) {
        let (config, warnings) = EditorConfig::from_json(value);
        self.state().config = config;
        for w in warnings {
            self.log(MessageType::WARNING, format!("配置：{w}")).await;
        }
        self.refresh_all().await;
    }

    /// Code actions for `range` of a snapshot.
    fn actions(
        &self,
        snap: &Snapshot,
        range: &std::ops::Range<usize>,
        only: Option<&[CodeActionKind]>,
        ignore_target: Option<(PathBuf, Option<String>)>,
    ) -> Vec<Action> {
        let want = |kind: &str| only.is_none_or(|only| kind_matches(only, kind));
        let mut out = Vec::new();
        let quick = want(CodeActionKind::QUICKFIX.as_str());
        if quick {
            out.extend(features::quick_fixes(snap, range));
        }
        if want(FIX_ALL_KIND) {
            if let Some((edit, n)) = features::fix_all(snap) {
                out.push(Action {
                    title: format!("修复全部可安全修复的问题（{n} 处）"),
                    kind: ActionKind::FixAll,
                    diagnostic: None,
                    target: Target::ThisDocument,
                    edits: vec![edit],
                    preferred: false,
                    written: None,
                });
            }
        }
        // Suppressions come last, after every fix: switching a check off is
        // never the first thing offered.
        if quick {
            for i in features::diagnostics_at(snap, range) {
                if snap.markdown {
                    out.push(features::suppress_in_markdown(snap, i));
                } else if snap.diagnostics()[i].conceal {
                    // An `[[ignore]]` entry would copy personal data into
                    // gov-report.toml (and the action's title): not offered.
                } else if let Some((path, text)) = ignore_target.clone() {
                    out.push(features::suppress_in_config(snap, i, path, text));
                }
            }
        }
        out
    }
}

#[tower_lsp::async_trait]
impl LanguageServer for Backend {
    async fn initialize(&self, params: InitializeParams) -> RpcResult<InitializeResult> {
        let caps = &params.capabilities;
        let offers_utf8 = caps
            .general
            .as_ref()
            .and_then(|g| g.position_encodings.as_ref())
            .is_some_and(|encs| encs.contains(&PositionEncodingKind::UTF8));
        let unit = if offers_utf8 {
            ColumnUnit::Utf8
        } else {
            ColumnUnit::Utf16
        };
        let td = caps.text_document.as_ref();
        let ws = caps.workspace.as_ref();
        let edit = ws.and_then(|w| w.workspace_edit.as_ref());
        let client_caps = ClientCaps {
            unit,
            pull: td.is_some_and(|t| t.diagnostic.is_some()),
            refresh: ws
                .and_then(|w| w.diagnostic.as_ref())
                .and_then(|d| d.refresh_support)
                .unwrap_or(false),
            configuration_request: ws.and_then(|w| w.configuration).unwrap_or(false),
            document_changes: edit.and_then(|e| e.document_changes).unwrap_or(false),
            create_files: edit
                .and_then(|e| e.resource_operations.as_ref())
                .is_some_and(|ops| ops.contains(&ResourceOperationKind::Create)),
            watch_files: ws
                .and_then(|w| w.did_change_watched_files.as_ref())
                .and_then(|d| d.dynamic_registration)
                .unwrap_or(false),
            hierarchical_symbols: td
                .and_then(|t| t.document_symbol.as_ref())
                .and_then(|s| s.hierarchical_document_symbol_support)
                .unwrap_or(false),
            explain_command: caps
                .experimental
                .as_ref()
                .and_then(|e| e.pointer("/govReport/explainRuleCommand"))
                .and_then(Value::as_str)
                .filter(|c| !c.is_empty())
                .map(str::to_string),
        };
        let mut roots: Vec<PathBuf> = params
            .workspace_folders
            .iter()
            .flatten()
            .filter_map(|f| f.uri.to_file_path().ok())
            .collect();
        #[allow(deprecated)] // root_uri is still what older clients (Neovim 0.7) send.
        if roots.is_empty() {
            roots.extend(params.root_uri.as_ref().and_then(|u| u.to_file_path().ok()));
        }
        let (config, warnings) = match &params.initialization_options {
            Some(v) => EditorConfig::from_json(v),
            None => (EditorConfig::default(), Vec::new()),
        };
        let pull = client_caps.pull;
        {
            let mut state = self.state();
            state.caps = client_caps;
            self.shared.workspace.set_roots(roots.clone());
            state.roots = roots;
            state.config = config;
            state.pending_warnings = warnings;
        }
        let capabilities = ServerCapabilities {
            position_encoding: Some(convert::encoding_kind(unit)),
            text_document_sync: Some(TextDocumentSyncCapability::Options(
                TextDocumentSyncOptions {
                    open_close: Some(true),
                    change: Some(TextDocumentSyncKind::INCREMENTAL),
                    ..TextDocumentSyncOptions::default()
                },
            )),
            hover_provider: Some(HoverProviderCapability::Simple(true)),
            completion_provider: Some(CompletionOptions {
                trigger_characters: Some(vec!["、".to_string(), "|".to_string()]),
                ..CompletionOptions::default()
            }),
            code_action_provider: Some(CodeActionProviderCapability::Options(CodeActionOptions {
                code_action_kinds: Some(vec![
                    CodeActionKind::QUICKFIX,
                    CodeActionKind::from(FIX_ALL_KIND.to_string()),
                ]),
                resolve_provider: Some(false),
                ..CodeActionOptions::default()
            })),
            // The label names this outline where an editor shows several (VS Code
            // lists Markdown's own headings as a second group beside it).
            document_symbol_provider: Some(OneOf::Right(DocumentSymbolOptions {
                label: Some(OUTLINE_LABEL.to_string()),
                work_done_progress_options: WorkDoneProgressOptions::default(),
            })),
            execute_command_provider: Some(ExecuteCommandOptions {
                commands: vec![SUPPRESSION_WRITTEN.to_string()],
                ..ExecuteCommandOptions::default()
            }),
            diagnostic_provider: pull.then(|| {
                DiagnosticServerCapabilities::Options(DiagnosticOptions {
                    identifier: Some(convert::SOURCE.to_string()),
                    inter_file_dependencies: false,
                    workspace_diagnostics: false,
                    ..DiagnosticOptions::default()
                })
            }),
            ..ServerCapabilities::default()
        };
        Ok(InitializeResult {
            capabilities,
            server_info: Some(ServerInfo {
                name: env!("CARGO_PKG_NAME").to_string(),
                version: Some(env!("CARGO_PKG_VERSION").to_string()),
            }),
        })
    }

    async fn initialized(&self, _: InitializedParams) {
        let (warnings, unit, pull) = {
            let mut state = self.state();
            (
                std::mem::take(&mut state.pending_warnings),
                state.caps.unit,
                state.caps.pull,
            )
        };
        self.log(
            MessageType::INFO,
            format!(
                "{} {} ready: positionEncoding {}, diagnostics {}",
                env!("CARGO_PKG_NAME"),
                env!("CARGO_PKG_VERSION"),
                convert::encoding_kind(unit).as_str(),
                if pull { "pulled" } else { "pushed" }
            ),
        )
        .await;
        for w in warnings {
            self.log(MessageType::WARNING, format!("配置：{w}")).await;
        }
        // Reports on disk, for cross-year comparison: scanned in the background,
        // then every open report is checked again.
        self.rescan_workspace(false);
        if self.state().caps.watch_files {
            // gov-report.toml files, and the reports themselves (last year's
            // report changes on disk while this year's is open).
            let watchers = config::FILE_NAMES
                .iter()
                .map(|name| format!("**/{name}"))
                .chain(["**/*.txt", "**/*.md", "**/*.{docx,pdf,html,htm}"].map(str::to_string))
                .map(|glob| FileSystemWatcher {
                    glob_pattern: GlobPattern::String(glob),
                    kind: None,
                })
                .collect();
            let registration = Registration {
                id: "gov-report-toml".to_string(),
                method: "workspace/didChangeWatchedFiles".to_string(),
                register_options: serde_json::to_value(DidChangeWatchedFilesRegistrationOptions {
                    watchers,
                })
                .ok(),
            };
            // Not awaited here: a client that never answers must not hold a
            // handler slot.
            let this = self.clone();
            tokio::spawn(async move {
                if let Err(e) = this.client.register_capability(vec![registration]).await {
                    this.log(
                        MessageType::WARNING,
                        format!("cannot watch gov-report.toml files: {e}"),
                    )
                    .await;
                }
            });
        }
    }

    async fn did_change_watched_files(&self, params: DidChangeWatchedFilesParams) {
        let paths: Vec<PathBuf> = params
            .changes
            .iter()
            .filter_map(|e| e.uri.to_file_path().ok())
            .collect();
        let config_changed = {
            let mut state = self.state();
            let mut changed = false;
            for path in &paths {
                changed |= state.files.remove(path).is_some();
                changed |= path
                    .file_name()
                    .is_some_and(|n| config::FILE_NAMES.iter().any(|f| n == *f));
            }
            changed
        };
        if config_changed {
            // `agency` or `year` may have changed for the reports on disk too.
            self.rescan_workspace(true);
            self.refresh_all().await;
            return;
        }
        // A report on disk changed: read it again, then check the open ones.
        let ws = self.shared.workspace.clone();
        let reports = tokio::task::spawn_blocking(move || {
            // Every path is read again (no short cut): count the reports among them.
            paths.iter().filter(|p| ws.update(p)).count() > 0
        })
        .await
        .unwrap_or(false);
        if reports {
            self.refresh_all().await;
        }
    }

    async fn shutdown(&self) -> RpcResult<()> {
        self.shared.shutdown.store(true, Ordering::SeqCst);
        Ok(())
    }

    async fn did_open(&self, params: DidOpenTextDocumentParams) {
        let td = params.text_document;
        let id = self.next_id();
        let notify = Arc::new(Notify::new());
        let pull = {
            let mut state = self.state();
            let doc = OpenDoc {
                id,
                rev: id,
                version: td.version,
                markdown: is_markdown(&td.uri, &td.language_id),
                html: is_html(&td.uri, &td.language_id),
                text_like: is_text_like(&td.uri, &td.language_id),
                doc: Document::new(&td.text),
                snapshot: None,
                notify: notify.clone(),
                publish: Arc::new(tokio::sync::Mutex::new(())),
            };
            if let Some(old) = state.docs.insert(td.uri.clone(), doc) {
                // Opened twice without a close: the old worker ends.
                old.notify.notify_one();
            }
            state.caps.pull
        };
        if !pull {
            notify.notify_one();
            tokio::spawn(self.clone().worker(td.uri, id, notify));
        }
    }

    async fn did_change(&self, params: DidChangeTextDocumentParams) {
        let uri = params.text_document.uri;
        let mut errors = Vec::new();
        let found = {
            let mut guard = self.state();
            let state = &mut *guard;
            let unit = state.caps.unit;
            let rev = self.next_id();
            match state.docs.get_mut(&uri) {
                Some(doc) => {
                    for change in &params.content_changes {
                        match change.range {
                            None => doc.doc.set_text(&change.text),
                            Some(r) => {
                                if let Err(e) = doc.doc.replace(
                                    convert::pos(r.start),
                                    convert::pos(r.end),
                                    &change.text,
                                    unit,
                                ) {
                                    errors.push(format!(
                                        "rejected an edit of {uri} (version {}): {e}; the server's copy may now differ from the editor's — close and reopen the file",
                                        params.text_document.version
                                    ));
                                    break;
                                }
                            }
                        }
                    }
                    doc.version = params.text_document.version;
                    doc.rev = rev;
                    doc.notify.notify_one();
                    true
                }
                None => false,
            }
        };
        if !found {
            errors.push(format!("didChange for {uri}, which is not open; ignored"));
        }
        for e in errors {
            self.log(MessageType::ERROR, e).await;
        }
    }

    async fn did_close(&self, params: DidCloseTextDocumentParams) {
        let uri = params.text_document.uri;
        let (removed, pull) = {
            let mut state = self.state();
            (state.docs.remove(&uri), state.caps.pull)
        };
        let Some(doc) = removed else { return };
        doc.notify.notify_one();
        if !pull {
            let _guard = doc.publish.lock().await;
            self.client
                .publish_diagnostics(uri.clone(), Vec::new(), None)
                .await;
        }
        self.client
            .send_notification::<ReportInfo>(convert::report_info(&uri, None, None))
            .await;
    }

    async fn did_change_configuration(&self, params: DidChangeConfigurationParams) {
        if !params.settings.is_null() {
            self.apply_config(&params.settings).await;
            return;
        }
        // No settings in the notification: ask for them if the client can answer.
        if !self.state().caps.configuration_request {
            return;
        }
        let items = vec![ConfigurationItem {
            scope_uri: None,
            section: Some("govReport".to_string()),
        }];
        match self.client.configuration(items).await {
            Ok(values) => {
                let value = values.into_iter().next().unwrap_or(Value::Null);
                self.apply_config(&value).await;
            }
            Err(e) => {
                self.log(
                    MessageType::WARNING,
                    format!("workspace/configuration failed: {e}"),
                )
                .await;
            }
        }
    }

    async fn diagnostic(
        &self,
        params: DocumentDiagnosticParams,
    ) -> RpcResult<DocumentDiagnosticReportResult> {
        let uri = params.text_document.uri;
        let unit = self.state().caps.unit;
        let Some(snap) = self.snapshot(&uri, None).await else {
            return Ok(convert::pull_report(Vec::new(), None));
        };
        let result_id = snap.rev.to_string();
        let report = if params.previous_result_id.as_deref() == Some(result_id.as_str()) {
            convert::pull_unchanged(result_id)
        } else {
            convert::pull_report(convert::diagnostics(&snap, &uri, unit), Some(result_id))
        };
        self.client
            .send_notification::<ReportInfo>(convert::report_info(
                &uri,
                Some(snap.version),
                Some(&snap),
            ))
            .await;
        Ok(report)
    }

    async fn code_action(&self, params: CodeActionParams) -> RpcResult<Option<CodeActionResponse>> {
        let uri = params.text_document.uri;
        let (unit, document_changes, ignore_target) = {
            let state = self.state();
            let caps = &state.caps;
            // A new file needs `documentChanges` with resource operations.
            let target = state.ignore_target(&uri).filter(|(_, text)| match text {
                Some(_) => true,
                None => caps.document_changes && caps.create_files,
            });
            (caps.unit, caps.document_changes, target)
        };
        let Some(snap) = self.snapshot(&uri, None).await else {
            return Ok(None);
        };
        let Some(range) = Conv::of(&snap, unit).offsets(params.range) else {
            return Ok(None);
        };
        let only = params.context.only.clone();
        let this = self.clone();
        let snap2 = snap.clone();
        let actions = tokio::task::spawn_blocking(move || {
            this.actions(&snap2, &range, only.as_deref(), ignore_target)
        })
        .await
        .unwrap_or_default();
        Ok(Some(
            actions
                .iter()
                .map(|a| convert::code_action(&snap, &uri, unit, a, document_changes))
                .collect(),
        ))
    }

    async fn execute_command(&self, params: ExecuteCommandParams) -> RpcResult<Option<Value>> {
        if params.command != SUPPRESSION_WRITTEN {
            return Err(tower_lsp::jsonrpc::Error::invalid_params(format!(
                "unknown command {}",
                params.command
            )));
        }
        // Editors without their own handling (the VS Code extension shows a
        // notification with an undo button) are told in a message.
        let arg = params.arguments.first().cloned().unwrap_or(Value::Null);
        let field = |k: &str| arg.get(k).and_then(Value::as_str).unwrap_or("").to_string();
        let (path, rule, text) = (field("path"), field("rule"), field("text"));
        if path.is_empty() || rule.is_empty() {
            return Err(tower_lsp::jsonrpc::Error::invalid_params(
                "expected {path, rule, text, created}",
            ));
        }
        let created = arg.get("created").and_then(Value::as_bool).unwrap_or(false);
        let verb = if created { "已创建" } else { "已写入" };
        self.client
            .show_message(
                MessageType::INFO,
                format!(
                    "{verb} {path}：不再提示 {rule} 对“{text}”的检查。要恢复提示，删除该文件中的这条 [[ignore]]。"
                ),
            )
            .await;
        Ok(None)
    }

    async fn hover(&self, params: HoverParams) -> RpcResult<Option<Hover>> {
        let p = params.text_document_position_params;
        let (unit, link) = {
            let state = self.state();
            let link = match (&state.caps.explain_command, convert::rules_page()) {
                (Some(command), _) => RuleLink::Command(command.clone()),
                (None, Some(page)) => RuleLink::Page(page),
                (None, None) => RuleLink::Cli,
            };
            (state.caps.unit, link)
        };
        let Some(snap) = self.snapshot(&p.text_document.uri, None).await else {
            return Ok(None);
        };
        let Some(offset) = Conv::of(&snap, unit).offset(p.position) else {
            return Ok(None);
        };
        Ok(
            features::hover(&snap, offset, &link)
                .map(|(md, r)| convert::hover(&snap, unit, md, &r)),
        )
    }

    async fn document_symbol(
        &self,
        params: DocumentSymbolParams,
    ) -> RpcResult<Option<DocumentSymbolResponse>> {
        let uri = params.text_document.uri;
        let (unit, hierarchical) = {
            let state = self.state();
            (state.caps.unit, state.caps.hierarchical_symbols)
        };
        let Some(snap) = self.snapshot(&uri, None).await else {
            return Ok(None);
        };
        let items = features::outline(&snap);
        Ok(Some(convert::document_symbols(
            &snap,
            &uri,
            unit,
            &items,
            hierarchical,
        )))
    }

    async fn completion(&self, params: CompletionParams) -> RpcResult<Option<CompletionResponse>> {
        let p = params.text_document_position;
        let unit = self.state().caps.unit;
        let Some(snap) = self.snapshot(&p.text_document.uri, None).await else {
            return Ok(None);
        };
        if !snap.offer_completions {
            return Ok(None);
        }
        let conv = Conv::of(&snap, unit);
        let Some(offset) = conv.offset(p.position) else {
            return Ok(None);
        };
        let candidates = features::completions(&snap.text, &snap.index, offset);
        Ok(Some(CompletionResponse::Array(convert::completion_items(
            &conv, candidates,
        ))))
    }
}
