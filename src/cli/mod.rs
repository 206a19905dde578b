//! The command-line linter: `--check PATH…`, `--explain RULE`.
//!
//! Exit codes: 0 no error-severity finding, 1 at least one error, 2 a usage
//! or I/O problem (the message names the file and the reason).

pub mod check;
pub mod emit;
pub mod input;

use std::ffi::OsString;
use std::io::{self, IsTerminal, Read, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use clap::Parser;

use crate::rules;
use crate::settings::Settings;
use check::{Outcome, Summary};
pub use emit::Format;

/// 政府信息公开工作年度报告检查工具。不带参数运行时作为语言服务器（stdio）。
#[derive(Debug, Parser)]
#[command(
    name = "gov-report-lsp",
    version,
    about = "政府信息公开工作年度报告检查工具（命令行检查与语言服务器）",
    after_help = "示例：\n  gov-report-lsp --check 2023年度报告.txt drafts/\n  gov-report-lsp --check --format json report.md\n  cat draft.txt | gov-report-lsp --check --stdin-filename draft.txt -\n  gov-report-lsp --explain table-label\n\n退出码：0 没有错误级别的问题；1 至少一个错误；2 用法错误或文件无法读取。\n不带任何参数（或仅 --stdio）运行时启动语言服务器。"
)]
pub struct Args {
    /// 检查文件和文件夹（文件夹递归查找 *.txt、*.md）；`-` 表示标准输入
    #[arg(long)]
    pub check: bool,

    /// 要检查的文件或文件夹
    #[arg(value_name = "PATH")]
    pub paths: Vec<PathBuf>,

    /// 输出格式
    #[arg(long, value_enum, default_value_t = Format::Human)]
    pub format: Format,

    /// 从标准输入读取时显示的文件名（与 `-` 一起使用）
    #[arg(long, value_name = "NAME")]
    pub stdin_filename: Option<String>,

    /// 显示某条规则的说明（中文）
    #[arg(long, value_name = "RULE", conflicts_with = "check")]
    pub explain: Option<String>,

    /// 指定报告年度（统计年度），不从文中推断
    #[arg(long, value_name = "YYYY", value_parser = clap::value_parser!(i32).range(2000..=2100))]
    pub year: Option<i32>,
}

/// Exit code for a usage or I/O problem.
const EXIT_TROUBLE: u8 = 2;

/// Run the command line with `args` (without the program name).
pub fn run(args: Vec<OsString>) -> ExitCode {
    let argv = std::iter::once(OsString::from("gov-report-lsp")).chain(args);
    let args = match Args::try_parse_from(argv) {
        Ok(a) => a,
        Err(e) => {
            // Help and version go to stdout with status 0; usage errors to stderr with 2.
            let _ = e.print();
            return ExitCode::from(u8::try_from(e.exit_code()).unwrap_or(EXIT_TROUBLE));
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

    let settings = Settings {
        year: args.year,
        ..Settings::default()
    };
    let (inputs, mut errors) = input::collect(&paths, args.stdin_filename.as_deref());
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
    let outcomes = check::check_all(&inputs, stdin_bytes.as_deref(), |_| settings.clone());

    for e in &errors {
        writeln!(err, "error: {e}")?;
    }
    let mut results = Vec::new();
    for o in &outcomes {
        match o {
            Outcome::Checked(r) => {
                if r.decoded.encoding != input::Encoding::Utf8 {
                    writeln!(
                        err,
                        "note: {} 不是 UTF-8 编码，已按 {} 编码读取",
                        r.path,
                        r.decoded.encoding.as_str()
                    )?;
                }
                results.push(&**r);
            }
            Outcome::Failed(e) => writeln!(err, "error: {e}")?,
            Outcome::Skipped(_) => {}
        }
    }
    let mut summary = Summary::of(&outcomes);
    summary.failed += errors.len();
    let style = emit::Style {
        color: io::stdout().is_terminal()
            && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty()),
    };
    emit::emit(args.format, out, &results, &summary, style)?;
    Ok(if summary.failed > 0 {
        EXIT_TROUBLE
    } else if summary.errors > 0 {
        1
    } else {
        0
    })
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
