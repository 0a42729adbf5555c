//! The `dossier` binary as a user runs it: exit codes, messages, `init`.

use crate::common;

use std::process::{Command, Output};

use common::TestDossier;

fn dossier(args: &[&str], dir: &std::path::Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_dossier"))
        .args(args)
        .current_dir(dir)
        .output()
        .expect("the binary runs")
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

#[test]
fn build_prints_a_summary_and_exits_zero() {
    let dossier_dir = TestDossier::from_fixture("basic");
    let output = dossier(&["build"], dossier_dir.root());
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(stdout.contains("2 sources, 3 entities"), "{stdout}");
    assert!(dossier_dir.output().join("index.html").is_file());
}

#[test]
fn verbose_says_how_much_was_done_again() {
    let dossier_dir = TestDossier::seeds();
    let first = dossier(&["build", "--verbose"], dossier_dir.root());
    assert_eq!(first.status.code(), Some(0), "{}", stderr(&first));
    let counts = |output: &Output| {
        let text = stderr(output);
        let line = text.lines().find(|l| l.contains("pages rendered"));
        let line = line
            .unwrap_or_else(|| panic!("no cache line in {text}"))
            .to_owned();
        let numbers: Vec<usize> = line
            .split(|c: char| !c.is_ascii_digit())
            .filter_map(|n| n.parse().ok())
            .collect();
        (line, numbers)
    };
    let (line, numbers) = counts(&first);
    // Sources parsed of all, analysed, pages rendered of all, files changed.
    let [parsed, sources, _, rendered, pages, _] = numbers[..] else {
        panic!("{line}");
    };
    assert_eq!((parsed, rendered), (sources, pages), "{line}");
    let text = stderr(&first);
    let timed = |stage: &str| {
        text.lines()
            .any(|l| l.trim_start().starts_with(stage) && l.ends_with(" ms"))
    };
    assert!(timed("load") && timed("render"), "{text}");

    let source = dossier_dir
        .root()
        .join("content/sources/002_c55e714030514c14.txt");
    let text = std::fs::read_to_string(&source).unwrap();
    std::fs::write(&source, text.replacen(" the ", " THE ", 1)).unwrap();
    let again = dossier(&["build", "--verbose"], dossier_dir.root());
    let (line, numbers) = counts(&again);
    let [parsed, _, _, rendered, all, _] = numbers[..] else {
        panic!("{line}");
    };
    assert_eq!(parsed, 1, "{line}");
    assert!(rendered > 0 && rendered < all && all == pages, "{line}");
}

#[test]
fn root_is_found_from_a_subfolder() {
    let dossier_dir = TestDossier::from_fixture("basic");
    let output = dossier(&["build"], &dossier_dir.root().join("content/sources"));
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert!(dossier_dir.output().join("index.html").is_file());
}

#[test]
fn output_and_base_url_options() {
    let dossier_dir = TestDossier::from_fixture("basic");
    let elsewhere = tempfile::tempdir().unwrap();
    let target = elsewhere.path().join("site");
    let output = dossier(
        &[
            "build",
            "--output",
            target.to_str().unwrap(),
            "--base-url",
            "https://example.org/repo/",
        ],
        dossier_dir.root(),
    );
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert!(target.join("index.html").is_file());
    assert!(!dossier_dir.output().exists());

    let output = dossier(&["build", "--base-url", "example.org"], dossier_dir.root());
    assert_eq!(output.status.code(), Some(2));
    assert!(
        stderr(&output).contains("--base-url"),
        "{}",
        stderr(&output)
    );
}

#[test]
fn no_book_toml_is_a_usage_error_suggesting_init() {
    let empty = tempfile::tempdir().unwrap();
    let output = dossier(&["build"], empty.path());
    assert_eq!(output.status.code(), Some(2));
    assert!(
        stderr(&output).contains("dossier init"),
        "{}",
        stderr(&output)
    );
}

#[test]
fn a_root_that_is_no_folder_is_a_usage_error_saying_so() {
    let empty = tempfile::tempdir().unwrap();
    let missing = empty.path().join("missing");
    let output = dossier(
        &["--root", missing.to_str().unwrap(), "build"],
        empty.path(),
    );
    assert_eq!(output.status.code(), Some(2));
    assert!(
        stderr(&output).contains("no such folder"),
        "{}",
        stderr(&output)
    );
}

#[test]
fn bad_arguments_are_usage_errors() {
    let empty = tempfile::tempdir().unwrap();
    assert_eq!(dossier(&["bulid"], empty.path()).status.code(), Some(2));
    assert_eq!(
        dossier(&["build", "--nope"], empty.path()).status.code(),
        Some(2)
    );
}

#[test]
fn content_errors_exit_one_with_file_line_and_column() {
    let dossier_dir = TestDossier::from_fixture("basic");
    dossier_dir.write(
        "content/sources/bad.md",
        "+++\ntitle = \"x\"\ndate = \"2024-02-30\"\n+++\nText\n",
    );
    dossier_dir.write(
        "content/entities/bad.md",
        "+++\nname = \"X\"\nkind = \"planet\"\n+++\n",
    );
    let output = dossier(&["build"], dossier_dir.root());
    assert_eq!(output.status.code(), Some(1));
    let message = stderr(&output);
    assert!(message.contains("content/sources/bad.md:3:9"), "{message}");
    assert!(message.contains("content/entities/bad.md:3:9"), "{message}");
    assert!(message.contains("the content has 2 errors"), "{message}");
    assert!(!dossier_dir.output().exists(), "nothing written on failure");
}

#[test]
fn failed_build_leaves_the_previous_site() {
    let dossier_dir = TestDossier::from_fixture("basic");
    assert_eq!(
        dossier(&["build"], dossier_dir.root()).status.code(),
        Some(0)
    );
    let before = dossier_dir.site().snapshot();
    dossier_dir.write("content/sources/bad.md", "+++\ntitle = \"x\"\n");
    assert_eq!(
        dossier(&["build"], dossier_dir.root()).status.code(),
        Some(1)
    );
    assert_eq!(dossier_dir.site().snapshot(), before);
}

#[test]
fn check_writes_nothing() {
    let dossier_dir = TestDossier::from_fixture("basic");
    let output = dossier(&["check"], dossier_dir.root());
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert!(!dossier_dir.output().exists());
}

#[test]
fn init_then_build_works_outside_the_repository() {
    let dir = tempfile::tempdir().unwrap();
    let output = dossier(&["init", "story"], dir.path());
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let story = dir.path().join("story");
    let output = dossier(&["build"], &story);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let index = std::fs::read_to_string(story.join("public/index.html")).unwrap();
    assert!(index.contains("Example Person"));
    assert!(
        story.join("public/static/style.css").is_file(),
        "the built-in theme is used"
    );
    assert_eq!(
        dossier(&["init", "story"], dir.path()).status.code(),
        Some(2)
    );
}

#[test]
fn refuses_to_replace_a_folder_it_did_not_write() {
    let dossier_dir = TestDossier::from_fixture("basic");
    dossier_dir.write("public/thesis.txt", "my only copy");
    let output = dossier(&["build"], dossier_dir.root());
    assert_eq!(output.status.code(), Some(2), "{}", stderr(&output));
    assert!(stderr(&output).contains("refusing"), "{}", stderr(&output));
    assert!(dossier_dir.root().join("public/thesis.txt").is_file());
}

#[test]
fn a_reader_that_stops_reading_does_not_crash_it() {
    let dossier_dir = TestDossier::seeds();
    for args in [&["build"][..], &["entities", "suggest"]] {
        let mut child = Command::new(env!("CARGO_BIN_EXE_dossier"))
            .args(args)
            .current_dir(dossier_dir.root())
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .expect("the binary runs");
        // As `dossier ... | head -0` does: the pipe's reader is gone before
        // anything is printed.
        drop(child.stdout.take());
        let output = child.wait_with_output().unwrap();
        assert_eq!(
            output.status.code(),
            Some(0),
            "{args:?}: {}",
            stderr(&output)
        );
        assert!(!stderr(&output).contains("panicked"), "{}", stderr(&output));
    }
}
