//! A real editor as the client: headless Neovim (Debian's 0.7.2, installed
//! by `.ci/install.sh`) attaches the server to a seed report, and the test
//! reads back what Neovim received, then applies the quick fix through
//! Neovim and checks the buffer. Neovim 0.7 offers no `positionEncodings`
//! (the server must fall back to UTF-16) and reports byte columns, which
//! cross-checks the server's conversion.

use std::path::PathBuf;
use std::process::Command;
use std::time::{Duration, Instant};

use serde_json::Value;

fn seed_000() -> (PathBuf, String) {
    let dir = PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/examples"));
    let path = std::fs::read_dir(&dir)
        .expect("tests/examples")
        .map(|e| e.expect("entry").path())
        .find(|p| {
            p.file_name()
                .is_some_and(|n| n.to_string_lossy().starts_with("000_"))
        })
        .expect("seed 000");
    let text = std::fs::read_to_string(&path).expect("seed text");
    (path, text)
}

/// Runs headless Neovim on a copy of seed 000 with `tests/nvim/<script>`,
/// extra environment variables, and returns what the script wrote.
fn run_nvim(script: &str, env: &[(&str, &str)]) -> Value {
    let nvim = Command::new("nvim").arg("--version").output();
    assert!(
        nvim.is_ok_and(|o| o.status.success()),
        "Neovim is required for this test: run `bash .ci/install.sh` (installs Debian's neovim)"
    );
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos());
    let dir = std::env::temp_dir().join(format!("gov-report-nvim-{}-{nanos}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let (_, text) = seed_000();
    let draft = dir.join("draft.txt");
    std::fs::write(&draft, &text).unwrap();
    let out = dir.join("result.json");
    let script = format!("{}/tests/nvim/{script}", env!("CARGO_MANIFEST_DIR"));

    let mut command = Command::new("nvim");
    command
        .args(["--headless", "--clean", "-n", "-c"])
        .arg(format!("luafile {script}"))
        .arg(&draft)
        .current_dir(&dir)
        .env("GOV_REPORT_LSP", env!("CARGO_BIN_EXE_gov-report-lsp"))
        .env("NVIM_OUT", &out)
        .env("XDG_STATE_HOME", dir.join("state"))
        .env("XDG_DATA_HOME", dir.join("data"))
        .env("XDG_CACHE_HOME", dir.join("cache"));
    for (k, v) in env {
        command.env(k, v);
    }
    let mut child = command.spawn().expect("start nvim");
    let deadline = Instant::now() + Duration::from_secs(90);
    let status = loop {
        if let Some(s) = child.try_wait().unwrap() {
            break s;
        }
        if Instant::now() > deadline {
            let _ = child.kill();
            panic!("Neovim did not finish within 90 s");
        }
        std::thread::sleep(Duration::from_millis(50));
    };
    assert!(status.success(), "nvim exited with {status}");
    let result: Value =
        serde_json::from_str(&std::fs::read_to_string(&out).expect("the script wrote its result"))
            .expect("result JSON");
    let _ = std::fs::remove_dir_all(&dir);
    result
}

/// The buffer's lines the script recorded.
fn buffer_lines(result: &Value) -> Vec<&str> {
    result["lines"]
        .as_array()
        .expect("lines")
        .iter()
        .map(|l| l.as_str().expect("a line"))
        .collect()
}

/// The README's Neovim 0.7 fix-all snippet (between its markers).
fn readme_fix_all_snippet() -> String {
    let readme = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md"))
        .expect("README.md");
    let begin = "<!-- nvim-fix-all-0.7:begin -->";
    let start = readme
        .find(begin)
        .expect("README marker nvim-fix-all-0.7:begin")
        + begin.len();
    let end = readme[start..]
        .find("<!-- nvim-fix-all-0.7:end -->")
        .expect("README marker nvim-fix-all-0.7:end")
        + start;
    let block = readme[start..end].trim();
    block
        .strip_prefix("```lua")
        .and_then(|b| b.strip_suffix("```"))
        .expect("a ```lua block between the markers")
        .to_string()
}

#[test]
fn readme_fix_all_snippet_for_neovim_07_fixes_every_safe_problem() {
    let snippet = readme_fix_all_snippet();
    assert!(
        !snippet.contains("apply = true"),
        "Neovim 0.7's code_action has no `apply`"
    );
    let result = run_nvim("fix_all.lua", &[("NVIM_SNIPPET", &snippet)]);
    assert_eq!(result["errors"], serde_json::json!([]), "{result}");
    assert_eq!(result["labels_before"], 3, "{result}");
    assert_eq!(result["labels_after"], 0, "{result}");
    let (_, text) = seed_000();
    let buffer = buffer_lines(&result);
    let expected = text.replace("结果维护", "结果维持");
    let expected: Vec<&str> = expected.trim_end_matches('\n').split('\n').collect();
    assert_eq!(buffer, expected);
}

#[test]
fn neovim_receives_diagnostics_and_applies_the_quick_fix() {
    let (_, text) = seed_000();
    let result = run_nvim("quick_fix.lua", &[]);
    assert_eq!(result["errors"], serde_json::json!([]), "{result}");
    // No positionEncodings offered: UTF-16.
    assert_eq!(result["offset_encoding"], "utf-16");

    // What Neovim received: the three 结果维护 labels, in byte columns.
    let lines: Vec<&str> = text.split('\n').collect();
    let expected: Vec<(usize, usize)> = lines
        .iter()
        .enumerate()
        .filter_map(|(i, l)| l.find("结果维护").map(|c| (i, c)))
        .collect();
    assert_eq!(expected.len(), 3);
    let before: Vec<&Value> = result["before"]
        .as_array()
        .expect("before")
        .iter()
        .filter(|d| d["code"] == "table-label")
        .collect();
    assert_eq!(before.len(), 3, "{result}");
    for (d, (line, col)) in before.iter().zip(&expected) {
        assert_eq!(d["lnum"], *line);
        assert_eq!(d["col"], *col, "byte column");
        assert_eq!(
            d["end_col"],
            col + "结果维护".len(),
            "byte column of the end"
        );
        assert_eq!(d["severity"], 1, "error");
        assert_eq!(d["source"], "gov-report");
        assert!(d["message"].as_str().unwrap().contains("结果维持"));
    }
    // Neovim's own byte → UTF-16 conversion of the first finding: 4 characters.
    let range = &result["request_range"];
    assert_eq!(range["start"]["character"], 0);
    assert_eq!(range["end"]["character"], 4);
    assert!(result["titles"]
        .as_array()
        .unwrap()
        .iter()
        .any(|t| t == "改为“结果维持”"));

    // After the quick fix: the first label corrected in the buffer, two findings left.
    let buffer = buffer_lines(&result);
    let (first_line, _) = expected[0];
    assert_eq!(
        buffer[first_line],
        lines[first_line].replacen("结果维护", "结果维持", 1)
    );
    assert_eq!(
        buffer[expected[1].0], lines[expected[1].0],
        "only the first one changed"
    );
    let after = result["after"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["code"] == "table-label")
        .count();
    assert_eq!(after, 2, "{result}");
}
