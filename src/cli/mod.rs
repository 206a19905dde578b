//! The command-line linter: `--check PATH…`, `--explain RULE`.
//!
//! Exit codes: 0 no error-severity finding, 1 at least one error, 2 a usage
//! or I/O problem (the message names the file and the reason).

pub mod check;
pub mod emit;
pub mod fix;
pub mod input;
pub mod resolve;
pub mod write;

use std::ffi::OsString;
use std::io::{self, IsTerminal, Read, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use clap::Parser;

use crate::diagnostic::Severity;
use crate::fix::FixMode;
use crate::rules;
use check::{Outcome, Summary};
pub use emit::Format;

/// 政府信息公开工作年度报告检查工具。不带参数运行时作为语言服务器（stdio）。
#[derive(Debug, Parser)]
#[command(
    name = "gov-report-lsp",
    version,
    about = "政府信息公开工作年度报告检查工具（命令行检查与语言服务器）",
    // Chinese headings and help/version flags for users who read no English.
    help_template = "{about-with-newline}\n用法：{usage}\n\n{all-args}{after-help}",
    override_usage = "gov-report-lsp [选项] [PATH]...",
    disable_help_flag = true,
    disable_version_flag = true,
    next_help_heading = "选项",
    after_help = "示例：\n  gov-report-lsp --check 2023年度报告.txt drafts/\n  gov-report-lsp --check --format json report.md\n  cat draft.txt | gov-report-lsp --check --stdin-filename draft.txt -\n  gov-report-lsp --explain table-label\n\n退出码：0 没有错误级别的问题；1 至少一个错误；2 用法错误或文件无法读取。\n不带任何参数（或仅 --stdio）运行时启动语言服务器。"
)]
pub struct Args {
    /// 检查文件和文件夹（文件夹递归查找 `*.txt`、`*.md`、`*.docx`、`*.html`、`*.htm`、`*.pdf`）；`-` 表示标准输入
    #[arg(long)]
    pub check: bool,

    /// 要检查的文件或文件夹
    #[arg(value_name = "PATH", help_heading = "参数")]
    pub paths: Vec<PathBuf>,

    /// 输出格式：human（默认，便于阅读）、json（JSON 文档）、github（GitHub Actions 注释）、sarif（SARIF 2.1.0）
    #[arg(
        long,
        value_enum,
        default_value_t = Format::Human,
        hide_default_value = true,
        hide_possible_values = true
    )]
    pub format: Format,

    /// 从标准输入读取时显示的文件名（与 `-` 一起使用）
    #[arg(long, value_name = "NAME")]
    pub stdin_filename: Option<String>,

    /// 显示某条规则的说明（中文）
    #[arg(long, value_name = "RULE", conflicts_with = "check")]
    pub explain: Option<String>,

    /// 指定报告年度（统计年度，2008 到 2100），不从文中推断
    #[arg(long, value_name = "YYYY", value_parser = parse_year)]
    pub year: Option<i32>,

    /// 自动修复并写回文件（只应用安全修复：标题、栏目名称），然后报告剩余问题
    #[arg(long)]
    pub fix: bool,

    /// 同时应用需人工核对的修复（总计、日期）；与 --fix 或 --diff 一起使用
    #[arg(long)]
    pub unsafe_fixes: bool,

    /// 不写回文件，输出修复前后的差异（unified diff）；有差异时退出码为 1
    #[arg(long)]
    pub diff: bool,

    /// 按规则统计问题数量，不逐条列出
    #[arg(long)]
    pub statistics: bool,

    /// 发现问题也以 0 退出（文件无法读取、配置错误仍以 2 退出）
    #[arg(long, conflicts_with = "strict")]
    pub exit_zero: bool,

    /// 警告也视为失败（退出码 1）
    #[arg(long)]
    pub strict: bool,

    /// 使用这个配置文件，不再从各文件所在文件夹逐级向上查找 gov-report.toml
    #[arg(long, value_name = "PATH")]
    pub config: Option<PathBuf>,

    /// 显示对某个文件（默认当前文件夹）生效的配置：TOML，--format json 时为 JSON
    #[arg(long, conflicts_with_all = ["check", "explain"])]
    pub show_settings: bool,

    /// 跳过不像年度报告的文件（没有报告标题且少于两个部分标题），即使在命令行中指定（供 pre-commit 使用，如 README.md）
    #[arg(long)]
    pub only_reports: bool,

    /// 显示帮助
    #[arg(short = 'h', long, action = clap::ArgAction::Help)]
    pub help: Option<bool>,

    /// 显示版本
    #[arg(short = 'V', long, action = clap::ArgAction::Version)]
    pub version: Option<bool>,
}

/// Exit code for a usage or I/O problem.
const EXIT_TROUBLE: u8 = 2;

/// `--year`: the same range as `year` in `gov-report.toml`.
fn parse_year(s: &str) -> Result<i32, String> {
    let range = crate::config::YEARS;
    match s.trim().parse::<i64>() {
        Ok(y) if range.contains(&y) => i32::try_from(y).map_err(|e| e.to_string()),
        _ => Err(format!(
            "报告年度应为 {} 到 {} 之间的整数，例如 --year 2023",
            range.start(),
            range.end()
        )),
    }
}

/// A command-line error in Chinese: what was wrong and what is accepted
/// (clap's own messages are English).
fn usage_error_zh(e: &clap::Error) -> String {
    use clap::error::{ContextKind, ContextValue, ErrorKind};
    let get = |kind: ContextKind| match e.get(kind) {
        Some(ContextValue::String(s)) => s.clone(),
        Some(ContextValue::Strings(v)) => v.join("、"),
        Some(ContextValue::StyledStr(s)) => s.to_string(),
        Some(ContextValue::Number(n)) => n.to_string(),
        _ => String::new(),
    };
    // `--format <FORMAT>` → `--format`
    let arg = get(ContextKind::InvalidArg)
        .split_whitespace()
        .next()
        .unwrap_or_default()
        .to_owned();
    let value = get(ContextKind::InvalidValue);
    let mut message = match e.kind() {
        ErrorKind::UnknownArgument => {
            let mut m = format!("不认识的选项 `{arg}`");
            let suggested = get(ContextKind::SuggestedArg);
            if !suggested.is_empty() {
                m.push_str(&format!("，是否想用 `{suggested}`？"));
            } else if arg.starts_with('-') {
                m.push_str(&format!(
                    "。如果这是文件名，请写在 `--` 之后：`gov-report-lsp --check -- {arg}`"
                ));
            }
            m
        }
        ErrorKind::InvalidValue if value.is_empty() => format!("选项 `{arg}` 需要一个值"),
        ErrorKind::InvalidValue => {
            let mut m = format!("选项 `{arg}` 的值 `{value}` 无效");
            let valid = get(ContextKind::ValidValue);
            if !valid.is_empty() {
                m.push_str(&format!("。可用的值：{valid}"));
            }
            m
        }
        ErrorKind::ValueValidation => {
            let reason = std::error::Error::source(e)
                .map(ToString::to_string)
                .unwrap_or_default();
            format!("选项 `{arg}` 的值 `{value}` 无效：{reason}")
        }
        ErrorKind::ArgumentConflict => {
            let prior = get(ContextKind::PriorArg);
            let prior = prior.split_whitespace().next().unwrap_or_default();
            format!("选项 `{arg}` 不能与 `{prior}` 同时使用")
        }
        ErrorKind::NoEquals | ErrorKind::TooManyValues | ErrorKind::WrongNumberOfValues => {
            format!("选项 `{arg}` 不接受这个值（`{value}`）")
        }
        ErrorKind::TooFewValues | ErrorKind::MissingRequiredArgument => {
            format!("缺少必需的参数 `{arg}`")
        }
        ErrorKind::InvalidUtf8 => "命令行参数不是有效的 UTF-8 文本".to_owned(),
        _ => "命令行参数有误".to_owned(),
    };
    message.push('。');
    message = message.replace("？。", "？").replace("。。", "。");
    message
}

/// Run the command line with `args` (without the program name).
pub fn run(args: Vec<OsString>) -> ExitCode {
    let argv = std::iter::once(OsString::from("gov-report-lsp")).chain(args);
    let args = match Args::try_parse_from(argv) {
        Ok(a) => a,
        Err(e) => {
            use clap::error::ErrorKind;
            // Help (our Chinese template) and version go to stdout with status 0.
            if matches!(e.kind(), ErrorKind::DisplayHelp | ErrorKind::DisplayVersion) {
                let _ = e.print();
                return ExitCode::SUCCESS;
            }
            let _ = usage(&mut io::stderr().lock(), &usage_error_zh(&e));
            return ExitCode::from(EXIT_TROUBLE);
        }
    };
    let stdout = io::stdout();
    let mut out = stdout.lock();
    let stderr = io::stderr();
    let mut err = stderr.lock();
    let code = match execute(&args, &mut out, &mut err) {
        Ok(code) => code,
        // A closed pipe (`| head`) is not a failure of the check.
        Err(e) if e.kind() == io::ErrorKind::BrokenPipe => 0,
        Err(e) => {
            let _ = writeln!(err, "error: 无法输出结果：{e}");
            EXIT_TROUBLE
        }
    };
    let _ = out.flush();
    ExitCode::from(code)
}

fn usage(err: &mut dyn Write, message: &str) -> io::Result<u8> {
    writeln!(err, "error: {message}")?;
    writeln!(
        err,
        "用法：gov-report-lsp --check PATH…（更多说明见 gov-report-lsp --help）"
    )?;
    Ok(EXIT_TROUBLE)
}

fn execute(args: &Args, out: &mut dyn Write, err: &mut dyn Write) -> io::Result<u8> {
    if let Some(id) = &args.explain {
        return explain(id, out, err);
    }
    if args.show_settings {
        return show_settings(args, out, err);
    }
    if !args.check {
        if args.paths.is_empty() {
            return usage(
                err,
                "请用 --check 指定要检查的文件或文件夹，或用 --explain 查看规则说明",
            );
        }
        return usage(
            err,
            "检查文件需要加上 --check，例如：gov-report-lsp --check 报告.txt",
        );
    }
    let mut paths = args.paths.clone();
    if paths.is_empty() {
        if args.stdin_filename.is_some() {
            paths.push(PathBuf::from("-"));
        } else {
            return usage(err, "请指定要检查的文件或文件夹（`-` 表示标准输入）");
        }
    }
    if paths.iter().filter(|p| p.as_os_str() == "-").count() > 1 {
        return usage(err, "标准输入 `-` 只能指定一次");
    }
    let reads_stdin = paths.iter().any(|p| p.as_os_str() == "-");
    if args.stdin_filename.is_some() && !reads_stdin {
        return usage(err, "--stdin-filename 需要与 `-`（标准输入）一起使用");
    }

    if args.fix && args.diff {
        return usage(
            err,
            "--fix 与 --diff 不能同时使用：--diff 只显示将要做的修复，不写入文件；要写入文件请只用 --fix",
        );
    }
    if args.unsafe_fixes && !args.fix && !args.diff {
        return usage(err, "--unsafe-fixes 需要与 --fix 或 --diff 一起使用");
    }
    let mut resolver = match resolve::Resolver::new(args.config.as_deref()) {
        Ok(r) => r,
        Err(message) => {
            writeln!(err, "error: {message}")?;
            return Ok(EXIT_TROUBLE);
        }
    };
    let input::Collected {
        inputs: mut found,
        mut errors,
        notes,
    } = input::collect(&paths, args.stdin_filename.as_deref());
    for note in &notes {
        writeln!(err, "note: {}", emit::terminal_safe(note))?;
    }
    if args.only_reports {
        // Named files are then treated like files found in a folder.
        for input in &mut found {
            input.explicit = false;
        }
    }
    // Each file's configuration: its include/exclude decide whether it is
    // checked, its settings how.
    let mut inputs = Vec::with_capacity(found.len());
    let mut settings = Vec::with_capacity(found.len());
    let mut configs = Vec::with_capacity(found.len());
    let mut config_errors: Vec<String> = Vec::new();
    for input in found {
        let path = match &input.source {
            input::Source::File(p) => p.clone(),
            input::Source::Stdin => {
                PathBuf::from(args.stdin_filename.as_deref().unwrap_or("<stdin>"))
            }
        };
        let config = match resolver.for_file(&path) {
            Ok(c) => c,
            Err(message) => {
                if !config_errors.contains(&message) {
                    config_errors.push(message);
                }
                continue;
            }
        };
        if !resolve::included(&config, &path) {
            if input.explicit && input.source != input::Source::Stdin {
                let from = config
                    .path()
                    .map_or_else(String::new, |p| p.display().to_string());
                writeln!(
                    err,
                    "note: {} 被 {} 的 include/exclude 排除，未检查",
                    emit::terminal_safe(&input.display),
                    emit::terminal_safe(&from)
                )?;
            }
            continue;
        }
        let mut s = config.settings();
        if args.year.is_some() {
            s.year = args.year;
        }
        inputs.push(input);
        settings.push(s);
        configs.push(config);
    }
    if !config_errors.is_empty() {
        // A broken configuration would check files with the wrong settings: stop.
        for message in &config_errors {
            writeln!(err, "error: {}", emit::terminal_safe(message))?;
        }
        return Ok(EXIT_TROUBLE);
    }
    let stdin_bytes = if reads_stdin {
        let mut buf = Vec::new();
        // One byte more than the limit is enough to tell that it is too large.
        let mut stdin = io::stdin().lock().take(check::MAX_FILE_BYTES + 1);
        if let Err(e) = stdin.read_to_end(&mut buf) {
            errors.push(input::FileError {
                path: args
                    .stdin_filename
                    .clone()
                    .unwrap_or_else(|| "<stdin>".into()),
                reason: input::io_reason(&e),
            });
        }
        Some(buf)
    } else {
        None
    };
    let mut outcomes = check::check_all(&inputs, stdin_bytes.as_deref(), &settings);

    let fixing = args.fix || args.diff;
    let mode = if args.unsafe_fixes {
        FixMode::All
    } else {
        FixMode::Safe
    };
    let mut fixed_stdin: Option<Vec<u8>> = None;
    let (mut n_fixed, mut n_fixed_files) = (0, 0);
    // Fixes that could not be written: counted apart from unreadable paths.
    let mut unwritten: Vec<input::FileError> = Vec::new();
    if fixing {
        for ((o, s), input) in outcomes.iter_mut().zip(&settings).zip(&inputs) {
            let Outcome::Checked(r) = o else { continue };
            let fixed = match crate::read::fix(&r.read, &r.analysis, s, mode) {
                Ok(Some(fixed)) => fixed,
                Ok(None) => {
                    if r.file.is_none() && args.fix {
                        fixed_stdin = Some(r.read.bytes());
                    }
                    continue;
                }
                Err(reason) => {
                    unwritten.push(input::FileError {
                        path: r.path.clone(),
                        reason,
                    });
                    continue;
                }
            };
            if args.diff {
                let shown = emit::terminal_safe(&r.path);
                let diff = if r.has_lines() {
                    fix::unified_diff(&shown, r.text(), &fixed.read.decoded.text)
                } else {
                    // A Word file: the document's text before and after.
                    let label = format!("{shown}（正文文本）");
                    fix::unified_diff(&label, &r.read.doc.text, &fixed.read.doc.text)
                };
                write!(out, "{diff}")?;
            } else if let Some(file) = &r.file {
                if let Err(e) =
                    write::write_checked(file, &fixed.bytes, r.stamp, input.folder.as_deref())
                {
                    unwritten.push(input::FileError {
                        path: r.path.clone(),
                        reason: e.to_string(),
                    });
                    continue;
                }
            } else {
                fixed_stdin = Some(fixed.bytes.clone());
            }
            n_fixed += fixed.applied;
            n_fixed_files += 1;
            r.read = fixed.read;
            r.analysis = fixed.placed.analysis;
            r.places = fixed.placed.places;
        }
    }

    // Reports of one body across years, compared once every file is final.
    let bodies = check::cross_year(&mut outcomes, &settings);

    for e in errors.iter().chain(&unwritten) {
        writeln!(err, "error: {}", emit::terminal_safe(&e.to_string()))?;
    }
    let mut results = Vec::new();
    for o in &outcomes {
        match o {
            Outcome::Checked(r) => {
                if let Some(note) = &r.read.note {
                    writeln!(err, "note: {} {note}", emit::terminal_safe(&r.path))?;
                }
                results.push(&**r);
            }
            Outcome::Failed(e) => writeln!(err, "error: {}", emit::terminal_safe(&e.to_string()))?,
            Outcome::Skipped(_) => {}
        }
    }
    let mut summary = Summary::of(&outcomes);
    summary.failed += errors.len();
    summary.unwritten = unwritten.len();
    if args.diff {
        if n_fixed > 0 {
            writeln!(
                err,
                "{n_fixed_files} 个文件可自动修复（共 {n_fixed} 处）；加 --fix 写入文件。"
            )?;
        } else {
            writeln!(err, "没有可自动修复的问题。")?;
        }
        return Ok(if summary.failed > 0 {
            EXIT_TROUBLE
        } else if n_fixed > 0 && !args.exit_zero {
            1
        } else {
            0
        });
    }
    if n_fixed > 0 {
        writeln!(
            err,
            "已自动修复 {n_fixed} 个问题（{n_fixed_files} 个文件）。"
        )?;
    }
    // With a fixed standard input, stdout carries the fixed text and the
    // findings go to stderr.
    let report: &mut dyn Write = match &fixed_stdin {
        Some(bytes) => {
            out.write_all(bytes)?;
            err
        }
        None => out,
    };
    // [[ignore]] entries that silenced nothing in a run over their whole folder.
    let folders: Vec<PathBuf> = paths.iter().filter(|p| p.is_dir()).cloned().collect();
    let unused_ignores = resolve::unused_ignores(&folders, &configs, &outcomes);
    if args.statistics {
        let json = args.format == Format::Json;
        emit::statistics::emit(report, &results, json, args.unsafe_fixes)?;
    } else {
        let style = emit::Style {
            color: io::stdout().is_terminal()
                && fixed_stdin.is_none()
                && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty()),
        };
        emit::emit(args.format, report, &results, &summary, &bodies, style)?;
    }
    if args.format == Format::Github && !args.statistics {
        // Unreadable files become annotations too, so CI shows why the run failed.
        let failed = outcomes.iter().filter_map(|o| match o {
            Outcome::Failed(e) => Some(e),
            _ => None,
        });
        for e in errors.iter().chain(&unwritten).chain(failed) {
            emit::github::failure(report, &e.path, &e.reason)?;
        }
    }
    for (_, line) in &unused_ignores {
        writeln!(err, "{}", emit::terminal_safe(line))?;
    }
    let ignore_fails = unused_ignores.iter().any(|(severity, _)| {
        *severity == Severity::Error || (args.strict && *severity == Severity::Warning)
    });
    Ok(if summary.failed > 0 || summary.unwritten > 0 {
        EXIT_TROUBLE
    } else if args.exit_zero {
        0
    } else if summary.errors > 0 || (args.strict && summary.warnings > 0) || ignore_fails {
        1
    } else {
        0
    })
}

/// `--show-settings [PATH]`: the configuration that applies to a file.
fn show_settings(args: &Args, out: &mut dyn Write, err: &mut dyn Write) -> io::Result<u8> {
    if args.paths.len() > 1 {
        return usage(err, "--show-settings 只能指定一个文件或文件夹");
    }
    let path = args
        .paths
        .first()
        .cloned()
        .unwrap_or_else(|| PathBuf::from("."));
    // For a folder, the configuration of a file directly inside it.
    let probe = if path.is_dir() {
        path.join("报告.txt")
    } else {
        path.clone()
    };
    let mut resolver = match resolve::Resolver::new(args.config.as_deref()) {
        Ok(r) => r,
        Err(message) => {
            writeln!(err, "error: {message}")?;
            return Ok(EXIT_TROUBLE);
        }
    };
    let config = match resolver.for_file(&probe) {
        Ok(c) => c,
        Err(message) => {
            writeln!(err, "error: {message}")?;
            return Ok(EXIT_TROUBLE);
        }
    };
    let mut shown = config.shown();
    if args.year.is_some() {
        shown.year = args.year;
    }
    let included = resolve::included(&config, &probe);
    if args.format == Format::Json {
        let mut v = serde_json::to_value(&shown).map_err(io::Error::other)?;
        v["path"] = serde_json::json!(path.display().to_string());
        v["checked"] = serde_json::json!(included);
        serde_json::to_writer_pretty(&mut *out, &v)?;
        writeln!(out)?;
    } else {
        // Escaped: a line break in a name would end the comment and start TOML.
        let shown_path = path.display().to_string();
        writeln!(out, "# {} 使用的配置", emit::terminal_safe(&shown_path))?;
        match config.path() {
            Some(p) => writeln!(
                out,
                "# 配置文件：{}",
                emit::terminal_safe(&p.display().to_string())
            )?,
            None => writeln!(out, "# 没有找到 gov-report.toml，使用默认配置")?,
        }
        if !path.is_dir() && !included {
            writeln!(out, "# 注意：按 include/exclude，此文件不会被检查")?;
        }
        // The file name is in the comment above; the body is a valid gov-report.toml.
        shown.config = None;
        let body = toml::to_string(&shown).map_err(io::Error::other)?;
        write!(out, "{body}")?;
    }
    Ok(0)
}

/// `--explain RULE`: the rule's Chinese documentation.
fn explain(id: &str, out: &mut dyn Write, err: &mut dyn Write) -> io::Result<u8> {
    let Some(rule) = rules::get(id) else {
        writeln!(err, "error: 没有名为“{id}”的规则。可用的规则：")?;
        for r in rules::ALL {
            writeln!(err, "  {:<18} {}", r.id, r.summary)?;
        }
        return Ok(EXIT_TROUBLE);
    };
    writeln!(out, "# {}", rule.id)?;
    writeln!(out)?;
    writeln!(out, "{}", rule.summary)?;
    writeln!(out)?;
    writeln!(
        out,
        "默认级别：{}；修复：{}",
        rule.default_severity,
        fix_kind_zh(rule.fix)
    )?;
    writeln!(out)?;
    writeln!(out, "{}", rule.docs.trim_end())?;
    Ok(0)
}

/// How a rule's fix is described to users.
pub fn fix_kind_zh(kind: rules::FixKind) -> &'static str {
    match kind {
        rules::FixKind::None => "无自动修复",
        rules::FixKind::Safe => "安全修复（safe）",
        rules::FixKind::Unsafe => "需人工核对的修复（unsafe）",
    }
}
