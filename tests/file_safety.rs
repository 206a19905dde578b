//! What `--check` and `--fix` do to the files around them, through the real
//! binary on real files: permissions, read-only folders, a full disk (a small
//! tmpfs), hard links, owners, extended attributes, the same file named
//! twice, concurrent edits, devices and FIFOs, symbolic links out of a
//! folder, control characters in file names.
//!
//! Some set-ups need root (changing owners, mounting a tmpfs, running the
//! binary as `nobody` with `setpriv`); CI runs as root. Run as another user,
//! those tests do what that user can and say on stderr what they left out.

// Saying on stderr which root-only part a run left out.
#![allow(clippy::print_stderr)]

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use gov_report_lsp::cli::write::{write_checked, write_checked_with, Stage, Stamp, WriteError};

const BIN: &str = env!("CARGO_BIN_EXE_gov-report-lsp");
/// Three `table-label` errors (`结果维护`), all fixed by `--fix`.
const SEED_000: &str = include_str!("examples/000_4ae5941108e95401.txt");

struct Run {
    code: i32,
    stdout: String,
    stderr: String,
}

fn run(dir: &Path, args: &[&str]) -> Run {
    run_as(dir, args, false)
}

/// Run the binary; with `as_nobody` (and when root), as user `nobody`.
fn run_as(dir: &Path, args: &[&str], as_nobody: bool) -> Run {
    let mut cmd = if as_nobody && is_root() {
        let mut c = Command::new("setpriv");
        c.args([
            "--reuid=nobody",
            "--regid=nogroup",
            "--clear-groups",
            "--",
            BIN,
        ]);
        c
    } else {
        Command::new(BIN)
    };
    let out = cmd
        .args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .stdin(Stdio::null())
        .output()
        .expect("run gov-report-lsp");
    Run {
        code: out.status.code().expect("exit code"),
        stdout: String::from_utf8(out.stdout).expect("UTF-8 stdout"),
        stderr: String::from_utf8(out.stderr).expect("UTF-8 stderr"),
    }
}

fn is_root() -> bool {
    Command::new("id")
        .arg("-u")
        .output()
        .is_ok_and(|o| o.stdout.trim_ascii() == b"0")
}

/// A temporary folder that `nobody` can enter and write.
fn tempdir() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    chmod(dir.path(), 0o777);
    dir
}

fn chmod(path: &Path, mode: u32) {
    use std::os::unix::fs::PermissionsExt;
    fs::set_permissions(path, fs::Permissions::from_mode(mode)).unwrap();
}

fn mode(path: &Path) -> u32 {
    use std::os::unix::fs::PermissionsExt;
    fs::metadata(path).unwrap().permissions().mode() & 0o7777
}

fn owner(path: &Path) -> (u32, u32) {
    use std::os::unix::fs::MetadataExt;
    let m = fs::metadata(path).unwrap();
    (m.uid(), m.gid())
}

fn inode(path: &Path) -> u64 {
    use std::os::unix::fs::MetadataExt;
    fs::metadata(path).unwrap().ino()
}

fn write(dir: &Path, name: &str, text: &str) -> PathBuf {
    let path = dir.join(name);
    fs::create_dir_all(path.parent().unwrap()).unwrap();
    fs::write(&path, text).unwrap();
    path
}

fn fixed_seed() -> String {
    SEED_000.replace("结果维护", "结果维持")
}

fn entries(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

const NOBODY: u32 = 65534;

// --- item 1: read-only files ------------------------------------------------

#[test]
fn a_read_only_file_is_not_fixed() {
    let dir = tempdir();
    let file = write(dir.path(), "draft.txt", SEED_000);
    chmod(&file, 0o444);
    // Even root, who could replace it, leaves a file marked read-only alone.
    let r = run(dir.path(), &["--check", "--fix", "draft.txt"]);
    assert_eq!(r.code, 2, "{}{}", r.stdout, r.stderr);
    assert!(
        r.stderr.contains("error: draft.txt: 文件为只读，未修改"),
        "{}",
        r.stderr
    );
    assert!(!r.stderr.contains("已自动修复"), "{}", r.stderr);
    assert_eq!(fs::read_to_string(&file).unwrap(), SEED_000);
    assert_eq!(mode(&file), 0o444);
    // The findings are still reported as they are in the file.
    assert!(r.stdout.contains("draft.txt:55:1: error[table-label]"));
    assert_eq!(entries(dir.path()), ["draft.txt"]);
}

#[test]
fn a_file_the_user_may_not_write_is_not_replaced_through_a_writable_folder() {
    if !is_root() {
        eprintln!("not root: cannot run the binary as another user; left out");
        return;
    }
    // Root's file (0644) in a folder anyone may write: `nobody` could delete
    // it and write a new one, but not edit it; neither may --fix.
    let dir = tempdir();
    let file = write(dir.path(), "draft.txt", SEED_000);
    chmod(&file, 0o644);
    let r = run_as(dir.path(), &["--check", "--fix", "draft.txt"], true);
    assert_eq!(r.code, 2, "{}{}", r.stdout, r.stderr);
    assert!(r.stderr.contains("文件为只读，未修改"), "{}", r.stderr);
    assert_eq!(fs::read_to_string(&file).unwrap(), SEED_000);
    assert_eq!(owner(&file), (0, 0));
    assert_eq!(entries(dir.path()), ["draft.txt"]);
}

// --- item 2: hard links, owner, group, mode, extended attributes ------------

fn set_xattr(path: &Path, name: &str, value: &str) -> bool {
    let script = "import os,sys; os.setxattr(sys.argv[1], sys.argv[2], sys.argv[3].encode())";
    Command::new("python3")
        .args(["-c", script, path.to_str().unwrap(), name, value])
        .status()
        .is_ok_and(|s| s.success())
}

fn get_xattr(path: &Path, name: &str) -> String {
    let script = "import os,sys; sys.stdout.write(os.getxattr(sys.argv[1], sys.argv[2]).decode())";
    let out = Command::new("python3")
        .args(["-c", script, path.to_str().unwrap(), name])
        .output()
        .unwrap();
    String::from_utf8(out.stdout).unwrap()
}

#[test]
fn fix_keeps_hard_links_owner_group_mode_and_xattrs() {
    let dir = tempdir();
    let file = write(dir.path(), "draft.txt", SEED_000);
    let link = dir.path().join("另一个名字.txt");
    fs::hard_link(&file, &link).unwrap();
    chmod(&file, 0o640);
    let xattrs = set_xattr(&file, "user.gov-report-test", "科室草稿");
    if !xattrs {
        eprintln!("cannot set user.* extended attributes here; that part is left out");
    }
    if is_root() {
        std::os::unix::fs::chown(&file, Some(NOBODY), Some(NOBODY)).unwrap();
    }
    let before = (inode(&file), owner(&file));
    let r = run(dir.path(), &["--check", "--fix", "draft.txt"]);
    assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
    assert!(r.stderr.contains("已自动修复 3 个问题（1 个文件）"));
    assert_eq!(fs::read_to_string(&file).unwrap(), fixed_seed());
    // The other name sees the fix: the same file, not a copy left behind.
    assert_eq!(fs::read_to_string(&link).unwrap(), fixed_seed());
    assert_eq!((inode(&file), owner(&file)), before);
    assert_eq!(mode(&file), 0o640);
    if xattrs {
        assert_eq!(get_xattr(&file, "user.gov-report-test"), "科室草稿");
    }
    // No safety copy left behind.
    assert_eq!(entries(dir.path()), ["draft.txt", "另一个名字.txt"]);
}

// --- item 3: write failures are write failures ------------------------------

#[test]
fn a_read_only_folder_is_a_write_failure_not_a_read_failure() {
    let dir = tempdir();
    let folder = dir.path().join("只读文件夹");
    let file = write(&folder, "draft.txt", SEED_000);
    if is_root() {
        // Root may write anywhere: the run is made as `nobody`, who owns both.
        std::os::unix::fs::chown(&folder, Some(NOBODY), Some(NOBODY)).unwrap();
        std::os::unix::fs::chown(&file, Some(NOBODY), Some(NOBODY)).unwrap();
    }
    chmod(&folder, 0o555);
    let r = run_as(
        dir.path(),
        &["--check", "--fix", "只读文件夹/draft.txt"],
        true,
    );
    chmod(&folder, 0o755);
    assert_eq!(r.code, 2, "{}{}", r.stdout, r.stderr);
    assert!(
        r.stderr.contains("无法写入修复：写入前需要在文件夹")
            && r.stderr
                .contains("保存原文件的安全副本，但没有写入权限；文件未修改"),
        "{}",
        r.stderr
    );
    assert!(!r.stderr.contains("读取"), "{}", r.stderr);
    assert!(
        r.stdout.contains("1 个文件的修复无法写入（见上方错误）"),
        "{}",
        r.stdout
    );
    assert!(!r.stdout.contains("无法读取"), "{}", r.stdout);
    assert_eq!(fs::read_to_string(&file).unwrap(), SEED_000);
}

/// A 1 MB tmpfs mounted for one test, unmounted when dropped.
struct SmallDisk {
    dir: tempfile::TempDir,
}

impl SmallDisk {
    fn mount() -> Option<SmallDisk> {
        let dir = tempfile::tempdir().ok()?;
        let ok = Command::new("mount")
            .args(["-t", "tmpfs", "-o", "size=1m", "tmpfs"])
            .arg(dir.path())
            .status()
            .is_ok_and(|s| s.success());
        ok.then_some(SmallDisk { dir })
    }

    fn path(&self) -> &Path {
        self.dir.path()
    }
}

impl Drop for SmallDisk {
    fn drop(&mut self) {
        let _ = Command::new("umount").arg(self.dir.path()).status();
    }
}

#[test]
fn a_full_disk_is_a_write_failure_and_the_file_is_untouched() {
    let Some(disk) = SmallDisk::mount() else {
        eprintln!("cannot mount a tmpfs (not root?): the full-disk case is left out");
        assert!(!is_root(), "root must be able to mount a tmpfs here");
        return;
    };
    let file = write(disk.path(), "draft.txt", SEED_000);
    // Fill the disk to the last byte.
    let mut filler = fs::File::create(disk.path().join("filler")).unwrap();
    let block = vec![b'x'; 4096];
    while filler.write_all(&block).is_ok() {}
    while filler.write_all(b"x").is_ok() {}
    drop(filler);
    let r = run(disk.path(), &["--check", "--fix", "draft.txt"]);
    assert_eq!(r.code, 2, "{}{}", r.stdout, r.stderr);
    assert!(
        r.stderr
            .contains("保存原文件的安全副本，但磁盘空间已满；文件未修改"),
        "{}",
        r.stderr
    );
    assert!(!r.stderr.contains("读取"), "{}", r.stderr);
    assert!(r.stdout.contains("1 个文件的修复无法写入"), "{}", r.stdout);
    assert_eq!(fs::read_to_string(&file).unwrap(), SEED_000);
    assert_eq!(entries(disk.path()), ["draft.txt", "filler"]);
}

// --- item 4: the same file named twice ---------------------------------------

#[test]
fn the_same_file_named_twice_is_checked_and_fixed_once() {
    let dir = tempdir();
    let file = write(dir.path(), "t.txt", SEED_000);
    std::os::unix::fs::symlink("t.txt", dir.path().join("link.txt")).unwrap();
    fs::hard_link(&file, dir.path().join("hard.txt")).unwrap();
    let r = run(
        dir.path(),
        &[
            "--check", "--fix", "t.txt", "./t.txt", "link.txt", "hard.txt",
        ],
    );
    assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
    assert!(
        r.stderr.contains("已自动修复 3 个问题（1 个文件）"),
        "{}",
        r.stderr
    );
    assert!(!r.stderr.contains("被修改"), "{}", r.stderr);
    assert!(r.stdout.contains("共检查 1 个文件"), "{}", r.stdout);
    assert!(
        r.stderr.contains("是同一个文件，只检查一次"),
        "{}",
        r.stderr
    );
    assert_eq!(fs::read_to_string(&file).unwrap(), fixed_seed());
    // Also when a folder walk meets a file named on the command line.
    write(dir.path(), "t.txt", SEED_000);
    let r = run(dir.path(), &["--check", ".", "t.txt"]);
    assert_eq!(r.code, 1);
    assert!(r.stdout.contains("共检查 1 个文件"), "{}", r.stdout);
}

// --- item 5: concurrent edits -------------------------------------------------

fn fixture_file() -> (tempfile::TempDir, PathBuf, Stamp) {
    let dir = tempdir();
    let file = write(dir.path(), "draft.txt", "结果维护\n");
    (dir, file, Stamp::of("结果维护\n".as_bytes()))
}

#[test]
fn an_editor_saving_by_rename_during_the_fix_keeps_its_save() {
    let (dir, file, stamp) = fixture_file();
    let mut editor = |stage: Stage| {
        if stage == Stage::BeforeWrite {
            // The editor writes its save beside the file and renames it over.
            let save = dir.path().join("draft.txt.swp");
            fs::write(&save, "用户刚保存的内容\n").unwrap();
            fs::rename(&save, &file).unwrap();
        }
    };
    let err =
        write_checked_with(&file, "结果维持\n".as_bytes(), stamp, None, &mut editor).unwrap_err();
    assert!(matches!(err, WriteError::Replaced), "{err:?}");
    assert!(err.to_string().contains("已保留对方保存的版本"), "{err}");
    assert_eq!(fs::read_to_string(&file).unwrap(), "用户刚保存的内容\n");
    assert_eq!(entries(dir.path()), ["draft.txt"], "no safety copy left");
}

#[test]
fn an_edit_in_place_before_the_last_look_stops_the_fix() {
    let (dir, file, stamp) = fixture_file();
    let mut editor = |stage: Stage| {
        if stage == Stage::BeforeLastLook {
            fs::write(&file, "用户刚保存的内容\n").unwrap();
        }
    };
    let err =
        write_checked_with(&file, "结果维持\n".as_bytes(), stamp, None, &mut editor).unwrap_err();
    assert!(matches!(err, WriteError::Changed), "{err:?}");
    assert_eq!(fs::read_to_string(&file).unwrap(), "用户刚保存的内容\n");
    assert_eq!(entries(dir.path()), ["draft.txt"]);
}

#[test]
fn an_edit_in_place_while_writing_keeps_the_original_in_a_safety_copy() {
    let (_dir, file, stamp) = fixture_file();
    let mut editor = |stage: Stage| {
        if stage == Stage::AfterWrite {
            fs::write(&file, "用户刚保存的内容\n").unwrap();
        }
    };
    let err =
        write_checked_with(&file, "结果维持\n".as_bytes(), stamp, None, &mut editor).unwrap_err();
    let WriteError::Concurrent { backup } = &err else {
        panic!("{err:?}")
    };
    assert!(err.to_string().contains("修复前的原文件已保存在"), "{err}");
    assert_eq!(fs::read_to_string(backup).unwrap(), "结果维护\n");
    assert_eq!(fs::read_to_string(&file).unwrap(), "用户刚保存的内容\n");
}

#[test]
fn a_file_changed_after_the_check_is_not_overwritten() {
    let (dir, file, stamp) = fixture_file();
    fs::write(&file, "结果维护，已由他人修改\n").unwrap();
    let err = write_checked(&file, "结果维持\n".as_bytes(), stamp, None).unwrap_err();
    assert!(matches!(err, WriteError::Changed));
    assert!(err.to_string().contains("没有写入修复"));
    assert_eq!(
        fs::read_to_string(&file).unwrap(),
        "结果维护，已由他人修改\n"
    );
    assert_eq!(entries(dir.path()), ["draft.txt"]);
}

#[test]
fn an_unchanged_file_is_written_through_a_symlink_keeping_the_link() {
    let (dir, file, stamp) = fixture_file();
    chmod(&file, 0o640);
    let link = dir.path().join("link.txt");
    std::os::unix::fs::symlink(&file, &link).unwrap();
    write_checked(&link, "结果维持\n".as_bytes(), stamp, None).unwrap();
    assert_eq!(fs::read_to_string(&file).unwrap(), "结果维持\n");
    assert!(fs::symlink_metadata(&link).unwrap().is_symlink());
    assert_eq!(mode(&file), 0o640);
    assert_eq!(entries(dir.path()), ["draft.txt", "link.txt"]);
}

// --- item 6: devices and FIFOs ---------------------------------------------

/// Run with a deadline: a read without limit must not hang the test.
fn run_with_deadline(dir: &Path, args: &[&str], limit: Duration) -> Option<Run> {
    let mut child = Command::new(BIN)
        .args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let start = Instant::now();
    while start.elapsed() < limit {
        if child.try_wait().unwrap().is_some() {
            let out = child.wait_with_output().unwrap();
            return Some(Run {
                code: out.status.code().unwrap(),
                stdout: String::from_utf8(out.stdout).unwrap(),
                stderr: String::from_utf8(out.stderr).unwrap(),
            });
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    let _ = child.kill();
    let _ = child.wait();
    None
}

#[test]
fn an_endless_device_named_on_the_command_line_is_read_up_to_the_cap() {
    let dir = tempdir();
    let r = run_with_deadline(
        dir.path(),
        &["--check", "/dev/zero"],
        Duration::from_secs(60),
    )
    .expect("--check /dev/zero must stop at the size cap");
    assert_eq!(r.code, 2);
    assert!(
        r.stderr.contains("/dev/zero: 文件过大，超过 16 MB 的上限"),
        "{}",
        r.stderr
    );
}

#[test]
fn devices_and_fifos_in_a_folder_are_refused_without_opening_them() {
    let dir = tempdir();
    let drafts = dir.path().join("drafts");
    write(&drafts, "000.txt", SEED_000);
    let fifo = drafts.join("管道.txt");
    assert!(Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .unwrap()
        .success());
    let r = run_with_deadline(dir.path(), &["--check", "drafts"], Duration::from_secs(60))
        .expect("a FIFO in a folder must not be opened");
    assert_eq!(r.code, 2, "{}{}", r.stdout, r.stderr);
    assert!(
        r.stderr
            .contains("drafts/管道.txt: 这是命名管道（FIFO），不是普通文件，未读取"),
        "{}",
        r.stderr
    );
    assert!(r.stdout.contains("drafts/000.txt:55:1"), "{}", r.stdout);
}

// --- item 7: symbolic links out of the folder ------------------------------

#[test]
fn folder_walks_do_not_follow_links_out_of_the_folder() {
    let dir = tempdir();
    let outside = dir.path().join("outside");
    let outside_report = write(&outside, "外部报告.txt", SEED_000);
    let drafts = dir.path().join("drafts");
    write(&drafts, "000.txt", SEED_000);
    std::os::unix::fs::symlink(&outside, drafts.join("etc")).unwrap();
    std::os::unix::fs::symlink(&outside_report, drafts.join("link.txt")).unwrap();
    std::os::unix::fs::symlink("/dev/zero", drafts.join("zero.txt")).unwrap();
    // A link that stays inside is fine (and names a file already checked).
    std::os::unix::fs::symlink("000.txt", drafts.join("same.txt")).unwrap();
    let r = run_with_deadline(
        dir.path(),
        &["--check", "--fix", "drafts"],
        Duration::from_secs(60),
    )
    .expect("no endless read through a link to /dev/zero");
    assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
    assert_eq!(fs::read_to_string(&outside_report).unwrap(), SEED_000);
    assert_eq!(
        fs::read_to_string(drafts.join("000.txt")).unwrap(),
        fixed_seed()
    );
    assert!(r.stdout.contains("共检查 1 个文件"), "{}", r.stdout);
    let notes: Vec<&str> = r
        .stderr
        .lines()
        .filter(|l| l.contains("指向该文件夹之外，未跟随"))
        .collect();
    assert_eq!(notes.len(), 1, "said once: {}", r.stderr);
    assert!(
        notes[0].starts_with("note: drafts 中有 3 个符号链接指向该文件夹之外"),
        "{}",
        notes[0]
    );
}

#[test]
fn a_fix_never_writes_outside_the_folder_it_was_found_in() {
    let (dir, file, stamp) = fixture_file();
    let folder = dir.path().join("drafts");
    fs::create_dir(&folder).unwrap();
    let link = folder.join("link.txt");
    std::os::unix::fs::symlink(&file, &link).unwrap();
    let real = fs::canonicalize(&folder).unwrap();
    let err = write_checked(&link, "结果维持\n".as_bytes(), stamp, Some(&real)).unwrap_err();
    assert!(matches!(err, WriteError::OutsideFolder { .. }), "{err:?}");
    assert_eq!(fs::read_to_string(&file).unwrap(), "结果维护\n");
}

// --- item 8: control characters in file names ------------------------------

#[test]
fn control_characters_in_file_names_are_escaped_in_human_output() {
    let dir = tempdir();
    let name = "a\x1b[31mred\nb.txt";
    write(dir.path(), name, SEED_000);
    write(dir.path(), "bin\x07.txt", "\0binary");
    let r = run(dir.path(), &["--check", "."]);
    assert_eq!(r.code, 2, "{}{}", r.stdout, r.stderr);
    assert!(!r.stdout.contains('\x1b') && !r.stderr.contains('\x1b'));
    assert!(!r.stderr.contains('\x07'));
    assert!(
        r.stdout
            .contains("./a\\x1b[31mred\\nb.txt:55:1: error[table-label]"),
        "{}",
        r.stdout
    );
    assert!(
        r.stderr.contains("error: ./bin\\x07.txt: 这是二进制文件"),
        "{}",
        r.stderr
    );
    // --show-settings writes the name in a TOML comment: a line break must
    // not end the comment and add a key.
    let r = run(dir.path(), &["--show-settings", name]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(
        r.stdout.starts_with("# a\\x1b[31mred\\nb.txt 使用的配置\n"),
        "{}",
        r.stdout
    );
    assert!(
        !r.stdout.lines().any(|l| l.starts_with("b.txt")),
        "{}",
        r.stdout
    );
    // JSON carries the real name (JSON escapes it itself).
    let r = run(dir.path(), &["--check", "--format", "json", name]);
    let v: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    assert_eq!(v["files"][0]["path"], name);
}
