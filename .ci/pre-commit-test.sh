#!/usr/bin/env bash
# Acceptance test of the pre-commit hooks in .pre-commit-hooks.yaml, run the
# way a drafting team runs them: a temporary git repository holding a draft
# with `结果维护`, a .pre-commit-config.yaml pointing at this repository (a
# local path and a commit sha), `pre-commit run --all-files` fails and prints
# the finding; after `gov-report-lsp --check --fix` it passes.
#
# Tests what is checked out: in a clean git checkout the hook repository is
# this one at HEAD; otherwise (uncommitted changes, or no .git) it is a
# temporary repository with one commit of the current tree.
#
# The `language: rust` hook is built by pre-commit with `cargo install`. Its
# build folder is kept in target/pre-commit-hook (later runs only rebuild this
# crate) and it is built without optimisation or debug info: this tests the hook, not the
# optimiser. Needs pre-commit (PyPI; .ci/install.sh installs it).
set -euo pipefail
repo="$(cd "$(dirname "$0")/.." && pwd)"
passed=0
failed=0

ok() { echo "ok: $*"; passed=$((passed + 1)); }
not_ok() { echo "FAILED: $*"; failed=$((failed + 1)); }

python3 -c "import pre_commit" 2>/dev/null || {
  echo "pre-commit is not installed: run .ci/install.sh" >&2
  exit 1
}
pre_commit() { python3 -m pre_commit "$@"; }

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
export PRE_COMMIT_HOME="$work/pre-commit-home"
export CARGO_TARGET_DIR="$repo/target/pre-commit-hook"
export CARGO_PROFILE_RELEASE_OPT_LEVEL=0
export CARGO_PROFILE_RELEASE_DEBUG=0
export CARGO_PROFILE_RELEASE_CODEGEN_UNITS=256
git_as_tester() { git -c user.name=gov-report-test -c user.email=test@example.invalid -c commit.gpgsign=false "$@"; }

# --- the hook repository and revision -----------------------------------------
if git -C "$repo" rev-parse --is-inside-work-tree >/dev/null 2>&1 &&
  [ -z "$(git -C "$repo" status --porcelain)" ]; then
  hook_repo="$repo"
  rev="$(git -C "$repo" rev-parse HEAD)"
  echo "hook repository: $repo at HEAD $rev"
else
  hook_repo="$work/hook-repo"
  mkdir -p "$hook_repo"
  if git -C "$repo" rev-parse --is-inside-work-tree >/dev/null 2>&1; then
    # Tracked and untracked-but-not-ignored files, as they are on disk.
    (cd "$repo" && git ls-files -z --cached --others --exclude-standard |
      while IFS= read -r -d '' f; do [ -e "$f" ] && printf '%s\0' "$f"; done |
      tar --null -T - -cf -) | (cd "$hook_repo" && tar -xf -)
  else
    (cd "$repo" && tar --exclude=./target --exclude=./.git -cf - .) | (cd "$hook_repo" && tar -xf -)
  fi
  git -C "$hook_repo" init -q
  git -C "$hook_repo" add -A
  git_as_tester -C "$hook_repo" commit -q -m "snapshot of the working tree under test"
  rev="$(git -C "$hook_repo" rev-parse HEAD)"
  echo "hook repository: temporary commit $rev of the working tree (it has uncommitted changes)"
fi

# --- a drafting team's repository ----------------------------------------------
drafts="$work/drafts"
mkdir -p "$drafts"
cd "$drafts"
git init -q
draft="2021年度政府信息公开工作年度报告.txt"
cp "$repo/tests/examples/000_4ae5941108e95401.txt" "$draft"
grep -q "结果维护" "$draft"
# Not a report: the hooks skip it (--only-reports) instead of failing on it.
printf '# 年度报告草稿\n\n各科室的草稿放在这里。\n' >README.md
write_config() {
  cat >.pre-commit-config.yaml <<EOF
repos:
  - repo: $hook_repo
    rev: $rev
    hooks:
      - id: $1
EOF
}
write_config gov-report-lsp
git add -A
git_as_tester commit -q -m "draft"

# 1. The rust hook (built from the repository) fails and prints the finding.
start=$(date +%s)
set +e
out="$(pre_commit run --all-files 2>&1)"
code=$?
set -e
echo "$out" | sed 's/^/    /'
echo "(pre-commit run, including the hook's cargo install: $(($(date +%s) - start)) s)"
if [ "$code" -eq 1 ] && grep -q "table-label" <<<"$out" && grep -q "结果维护" <<<"$out" &&
  grep -q "$draft:55:1" <<<"$out"; then
  ok "gov-report-lsp hook fails on 结果维护 and prints the finding"
else
  not_ok "gov-report-lsp hook: expected exit 1 with the table-label finding, got exit $code"
fi

# 2. --fix with the binary the hook installed, then the hook passes.
bin="$(find "$PRE_COMMIT_HOME" -type f -name gov-report-lsp -perm -u+x | head -n 1)"
if [ -z "$bin" ]; then
  not_ok "the hook's cargo install left no gov-report-lsp binary"
  echo "$passed passed, $failed failed"
  exit 1
fi
"$bin" --check --fix "$draft" || true
if ! grep -q "结果维护" "$draft" && grep -q "结果维持" "$draft"; then
  ok "gov-report-lsp --check --fix corrected the labels"
else
  not_ok "gov-report-lsp --check --fix left 结果维护 in the draft"
fi
set +e
out="$(pre_commit run --all-files 2>&1)"
code=$?
set -e
echo "$out" | sed 's/^/    /'
if [ "$code" -eq 0 ]; then
  ok "gov-report-lsp hook passes after --fix"
else
  not_ok "gov-report-lsp hook after --fix: exit $code"
fi

# 3. The system hook runs the gov-report-lsp on PATH.
git checkout -q -- "$draft"
write_config gov-report-lsp-system
git add .pre-commit-config.yaml
export PATH="$(dirname "$bin"):$PATH"
set +e
out="$(pre_commit run --all-files 2>&1)"
code=$?
set -e
if [ "$code" -eq 1 ] && grep -q "table-label" <<<"$out"; then
  ok "gov-report-lsp-system hook fails on 结果维护"
else
  echo "$out" | sed 's/^/    /'
  not_ok "gov-report-lsp-system hook: expected exit 1, got $code"
fi
gov-report-lsp --check --fix "$draft" >/dev/null || true
set +e
out="$(pre_commit run --all-files 2>&1)"
code=$?
set -e
if [ "$code" -eq 0 ]; then
  ok "gov-report-lsp-system hook passes after --fix"
else
  echo "$out" | sed 's/^/    /'
  not_ok "gov-report-lsp-system hook after --fix: exit $code"
fi

echo "pre-commit: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
