//! The servers built for the other platforms users run, run here: the
//! Windows x64 `.exe` under wine and the Linux ARM64 binary under qemu-user.
//! Each checks a seed (its JSON output must equal the native binary's) and
//! speaks LSP over stdio (diagnostics for the seed, clean shutdown).
//!
//! The binaries come from `bash .ci/cross-build.sh` (release builds; `.ci/run`
//! runs it before `cargo test`); a missing or stale one fails the test with
//! that command. The wine shim (tests/wine/bcryptprimitives.c) is built here,
//! for the test only.

mod lsp_client;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::time::SystemTime;

use lsp_client::{range, seed, Enc, LspClient};
use serde_json::Value;

const ROOT: &str = env!("CARGO_MANIFEST_DIR");

fn target_dir() -> PathBuf {
    match std::env::var_os("CARGO_TARGET_DIR") {
        Some(d) => Path::new(ROOT).join(d),
        None => Path::new(ROOT).join("target"),
    }
}

fn newest_source() -> SystemTime {
    fn walk(dir: &Path, newest: &mut SystemTime) {
        for entry in std::fs::read_dir(dir).into_iter().flatten().flatten() {
            let path = entry.path();
            if path.is_dir() {
                walk(&path, newest);
            } else if let Ok(m) = entry.metadata().and_then(|m| m.modified()) {
                *newest = (*newest).max(m);
            }
        }
    }
    let mut newest = SystemTime::UNIX_EPOCH;
    walk(&Path::new(ROOT).join("src"), &mut newest);
    newest
}

/// The cross-built release binary for `triple`, present and not older than `src/`.
fn cross_binary(triple: &str, exe: &str) -> PathBuf {
    let path = target_dir().join(triple).join("release").join(exe);
    let modified = std::fs::metadata(&path).and_then(|m| m.modified());
    match modified {
        Err(_) => panic!(
            "{} is missing: run `bash .ci/cross-build.sh` (after `bash .ci/install.sh`)",
            path.display()
        ),
        Ok(m) if m < newest_source() => panic!(
            "{} is older than src/: run `bash .ci/cross-build.sh` again",
            path.display()
        ),
        Ok(_) => path,
    }
}

fn need(tool: &str, package: &str) -> PathBuf {
    for candidate in [format!("/usr/bin/{tool}"), format!("/usr/lib/wine/{tool}")] {
        if Path::new(&candidate).exists() {
            return PathBuf::from(candidate);
        }
    }
    panic!(
        "{tool} is required for this test: run `bash .ci/install.sh` (apt-get install {package})"
    )
}

/// A fresh folder with the seed as `seed.txt`.
fn workdir(name: &str) -> (PathBuf, String) {
    let nanos = SystemTime::now()
        .duration_since(SystemTime::UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos());
    let dir =
        std::env::temp_dir().join(format!("gov-report-{name}-{}-{nanos}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let text = seed("000_");
    std::fs::write(dir.join("seed.txt"), &text).unwrap();
    (dir, text)
}

fn output_of(mut command: Command, dir: &Path) -> Output {
    command
        .args(["--check", "--format", "json", "seed.txt"])
        .current_dir(dir)
        .output()
        .expect("run the server")
}

/// `--check --format json` of the native binary on the same file.
fn native_json(dir: &Path) -> Value {
    let out = output_of(Command::new(env!("CARGO_BIN_EXE_gov-report-lsp")), dir);
    assert_eq!(out.status.code(), Some(1), "the seed has errors");
    serde_json::from_slice(&out.stdout).expect("native JSON")
}

/// The same check and an LSP session through `command` (wine or qemu).
fn check_and_speak_lsp(dir: &Path, text: &str, command: impl Fn() -> Command) {
    let out = output_of(command(), dir);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "exit code; stderr: {stderr}");
    let json: Value = serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("JSON from the cross-built server ({e}); stderr: {stderr}"));
    assert_eq!(
        json,
        native_json(dir),
        "same findings, same Chinese messages"
    );
    assert!(
        json["files"][0]["diagnostics"].as_array().is_some_and(|d| d
            .iter()
            .filter(|d| d["rule"] == "table-label")
            .count()
            == 3),
        "{json}"
    );

    let mut c = LspClient::start_command(command());
    let result = c.initialize(None, false, Value::Null);
    assert_eq!(result["capabilities"]["positionEncoding"], "utf-16");
    let uri = "file:///gov-report-cross/seed.txt";
    c.open(uri, "plaintext", 1, text);
    let diags = c.diagnostics(uri, 1);
    let labels: Vec<&Value> = diags
        .iter()
        .filter(|d| d["code"] == "table-label")
        .collect();
    let at = text.find("结果维护").expect("结果维护");
    assert_eq!(labels.len(), 3, "{diags:?}");
    assert_eq!(
        labels[0]["range"],
        range(text, at..at + "结果维护".len(), Enc::Utf16)
    );
    assert!(labels[0]["message"].as_str().unwrap().contains("结果维持"));
    assert!(c.shutdown_and_exit().success());
}

#[test]
fn windows_server_under_wine_checks_a_seed_and_speaks_lsp() {
    let exe = cross_binary("x86_64-pc-windows-gnu", "gov-report-lsp.exe");
    let wine = need("wine64", "wine64");
    let gcc = need("x86_64-w64-mingw32-gcc", "gcc-mingw-w64-x86-64");
    let (dir, text) = workdir("wine");
    // The .exe and, beside it, the test-only ProcessPrng shim for wine 8.
    std::fs::copy(&exe, dir.join("gov-report-lsp.exe")).unwrap();
    let shim = Command::new(&gcc)
        .args(["-shared", "-O2", "-o"])
        .arg(dir.join("bcryptprimitives.dll"))
        .arg(Path::new(ROOT).join("tests/wine/bcryptprimitives.c"))
        .arg("-ladvapi32")
        .output()
        .expect("run mingw gcc");
    assert!(
        shim.status.success(),
        "building the shim failed: {}",
        String::from_utf8_lossy(&shim.stderr)
    );
    // One wine prefix per user, reused: creating one takes a while.
    let prefix = std::env::temp_dir().join("gov-report-wineprefix");
    let exe_in_dir = dir.join("gov-report-lsp.exe");
    check_and_speak_lsp(&dir, &text, || {
        let mut c = Command::new(&wine);
        c.arg(&exe_in_dir)
            .current_dir(&dir)
            .env("WINEPREFIX", &prefix)
            .env("WINEDEBUG", "-all")
            .env("WINEDLLOVERRIDES", "mscoree,mshtml=");
        c
    });
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn linux_arm64_server_under_qemu_checks_a_seed_and_speaks_lsp() {
    let bin = cross_binary("aarch64-unknown-linux-gnu", "gov-report-lsp");
    let qemu = need("qemu-aarch64", "qemu-user");
    let sysroot = Path::new("/usr/aarch64-linux-gnu");
    assert!(
        sysroot.join("lib").exists(),
        "the ARM64 C library is required: run `bash .ci/install.sh` (apt-get install libc6-dev-arm64-cross)"
    );
    let (dir, text) = workdir("qemu");
    check_and_speak_lsp(&dir, &text, || {
        let mut c = Command::new(&qemu);
        c.arg("-L").arg(sysroot).arg(&bin).current_dir(&dir);
        c
    });
    let _ = std::fs::remove_dir_all(&dir);
}
