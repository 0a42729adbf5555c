//! Incremental builds: a build that reuses the cache and the previous output
//! gives exactly the site a clean build gives, writes only what changed, and
//! recovers from a corrupt cache.

use crate::common;

use std::collections::BTreeMap;
use std::fs;
use std::path::Path;
use std::time::{Duration, SystemTime};

use common::{BuiltSite, TestDossier};
use dossier::cache::CACHE_DIR;
use dossier::{build, BuildOptions};

/// The site a build from scratch gives for the dossier as it is now: its
/// book.toml and content copied to a fresh folder, with no cache and no
/// previous output.
fn clean_build(dossier: &TestDossier) -> BTreeMap<String, Vec<u8>> {
    let fresh = tempfile::tempdir().unwrap();
    fs::copy(
        dossier.root().join("book.toml"),
        fresh.path().join("book.toml"),
    )
    .unwrap();
    copy_tree(
        &dossier.root().join("content"),
        &fresh.path().join("content"),
    );
    build(fresh.path(), &BuildOptions::default()).unwrap();
    BuiltSite::new(fresh.path().join("public")).snapshot()
}

fn copy_tree(from: &Path, to: &Path) {
    fs::create_dir_all(to).unwrap();
    for entry in fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_tree(&entry.path(), &target);
        } else {
            fs::copy(entry.path(), target).unwrap();
        }
    }
}

fn assert_same_as_clean_build(dossier: &TestDossier, step: &str) {
    dossier.build();
    let incremental = dossier.site().snapshot();
    let clean = clean_build(dossier);
    let differing: Vec<_> = clean
        .keys()
        .chain(incremental.keys())
        .filter(|path| clean.get(*path) != incremental.get(*path))
        .collect();
    assert!(differing.is_empty(), "after {step}: {differing:?} differ");
}

fn source_file(dossier: &TestDossier, index: usize) -> std::path::PathBuf {
    let mut files: Vec<_> = fs::read_dir(dossier.root().join("content/sources"))
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .collect();
    files.sort();
    files[index].clone()
}

fn mtimes(site: &Path) -> BTreeMap<String, SystemTime> {
    let built = BuiltSite::new(site.to_owned());
    built
        .files()
        .into_iter()
        .map(|file| {
            let modified = fs::metadata(site.join(&file)).unwrap().modified().unwrap();
            (file, modified)
        })
        .collect()
}

#[test]
fn incremental_builds_match_clean_builds_through_edits_additions_renames_and_deletions() {
    let dossier = TestDossier::seeds();
    assert_same_as_clean_build(&dossier, "the first build");

    let edited = source_file(&dossier, 1);
    let text = fs::read_to_string(&edited).unwrap();
    fs::write(
        &edited,
        format!("{text}\nVladimir Putin met Sergey Lavrov in Vienna.\n"),
    )
    .unwrap();
    assert_same_as_clean_build(&dossier, "an edit");

    // A word beside a mention, the mention's place unchanged: the snippet
    // on the entity's page changes all the same.
    let beside = source_file(&dossier, 3);
    let text = fs::read_to_string(&beside).unwrap();
    assert!(text.contains("Peskov told reporters"));
    fs::write(
        &beside,
        text.replacen("Peskov told reporters", "Peskov told journalists", 1),
    )
    .unwrap();
    assert_same_as_clean_build(&dossier, "a word beside a mention");

    // A word of a dated sentence, no mention moved: the sentence changes on
    // the timeline and on the pages of the entities it names.
    let dated = source_file(&dossier, 1);
    let text = fs::read_to_string(&dated).unwrap();
    assert!(text.contains("an abrupt U-turn"));
    fs::write(&dated, text.replacen("abrupt U-turn", "sudden U-turn", 1)).unwrap();
    assert_same_as_clean_build(&dossier, "a word of a dated sentence");

    // A paragraph copied into a new source: the source it came from is not
    // edited, yet its page now marks the passage the two share.
    let original = source_file(&dossier, 4);
    let text = fs::read_to_string(&original).unwrap();
    let paragraph = (text.split("\n\n"))
        .filter(|p| p.split_whitespace().count() > 40)
        .last()
        .expect("a long paragraph");
    let pages = |dossier: &TestDossier| -> BTreeMap<String, Vec<u8>> {
        let folder = dossier.output().join("sources");
        (fs::read_dir(&folder).unwrap())
            .map(|entry| entry.unwrap().path())
            .map(|path| (path.display().to_string(), fs::read(&path).unwrap()))
            .collect()
    };
    let before = pages(&dossier);
    dossier.write(
        "content/sources/zz-copy.md",
        &format!("+++\ntitle = \"A copy\"\noutlet = \"The Copyist\"\n+++\n\n{paragraph}\n"),
    );
    assert_same_as_clean_build(&dossier, "a passage shared with an unedited source");
    let after = pages(&dossier);
    assert!(
        before
            .iter()
            .any(|(path, page)| after.get(path) != Some(page)),
        "the page of the source copied from marks the passage"
    );

    // An entity renamed, every mention where it was: the names on the links
    // of the sources that name it change.
    let peskov = dossier.root().join("content/entities/dmitry-peskov.md");
    let text = fs::read_to_string(&peskov).unwrap();
    fs::write(
        &peskov,
        text.replacen(
            "name = \"Dmitry Peskov\"\nkind = \"person\"\naliases = [\"Peskov\"]",
            "name = \"Dmitry S. Peskov\"\nkind = \"person\"\naliases = [\"Peskov\", \"Dmitry Peskov\"]",
            1,
        ),
    )
    .unwrap();
    assert!(fs::read_to_string(&peskov)
        .unwrap()
        .contains("Dmitry S. Peskov"));
    assert_same_as_clean_build(&dossier, "an entity renamed");

    dossier.write(
        "content/sources/zz-new.md",
        "+++\ntitle = \"A new report\"\ndate = 2024-12-20\noutlet = \"Reuters\"\n+++\n\nDmitry Peskov spoke in Moscow.\n",
    );
    assert_same_as_clean_build(&dossier, "an addition");

    let renamed = source_file(&dossier, 2);
    fs::rename(&renamed, renamed.with_file_name("renamed-source.txt")).unwrap();
    assert_same_as_clean_build(&dossier, "a rename");

    fs::remove_file(source_file(&dossier, 0)).unwrap();
    assert_same_as_clean_build(&dossier, "a deletion");

    dossier.write(
        "content/entities/vienna.md",
        "+++\nname = \"Vienna\"\nkind = \"place\"\naliases = [\"Wien\"]\n+++\n",
    );
    assert_same_as_clean_build(&dossier, "a catalogue edit");

    fs::remove_file(dossier.root().join("content/entities/iran.md")).unwrap();
    assert_same_as_clean_build(&dossier, "a catalogue deletion");
}

#[test]
fn pages_of_removed_sources_and_entities_are_removed() {
    let dossier = TestDossier::seeds();
    dossier.write(
        "content/sources/zz-new.md",
        "+++\ntitle = \"A short-lived report\"\n+++\n\nDmitry Peskov spoke.\n",
    );
    dossier.build();
    assert!(dossier
        .output()
        .join("sources/a-short-lived-report.html")
        .is_file());
    assert!(dossier.output().join("entities/iran.html").is_file());

    fs::remove_file(dossier.root().join("content/sources/zz-new.md")).unwrap();
    fs::remove_file(dossier.root().join("content/entities/iran.md")).unwrap();
    let report = dossier.build();
    assert!(!dossier
        .output()
        .join("sources/a-short-lived-report.html")
        .exists());
    assert!(!dossier.output().join("entities/iran.html").exists());
    assert!(report.pages_changed >= 2);
}

#[test]
fn unchanged_files_keep_their_modification_time() {
    let dossier = TestDossier::seeds();
    dossier.build();
    // Date every file of the site back, so any rewrite shows.
    let long_ago = SystemTime::UNIX_EPOCH + Duration::from_secs(1_000_000_000);
    for file in BuiltSite::new(dossier.output()).files() {
        let handle = fs::File::options()
            .write(true)
            .open(dossier.output().join(file))
            .unwrap();
        handle.set_modified(long_ago).unwrap();
    }

    let report = dossier.build();
    assert_eq!(
        report.pages_changed, 0,
        "a rebuild with no change writes nothing"
    );
    assert!(mtimes(&dossier.output()).values().all(|&m| m == long_ago));

    let edited = source_file(&dossier, 1);
    let text = fs::read_to_string(&edited).unwrap();
    fs::write(&edited, text.replacen("the", "THE", 1)).unwrap();
    dossier.build();
    let after = mtimes(&dossier.output());
    let changed: Vec<_> = after.iter().filter(|(_, &m)| m != long_ago).collect();
    let kept = after.len() - changed.len();
    assert!(!changed.is_empty(), "the edited source's page is rewritten");
    assert_eq!(after["static/style.css"], long_ago);
    assert_eq!(after["404.html"], long_ago);
    assert!(kept > changed.len(), "{changed:?}");
    assert_same_as_clean_build(&dossier, "a one-word edit");
}

#[test]
fn a_corrupt_cache_is_rebuilt_not_trusted() {
    let dossier = TestDossier::seeds();
    let clean = {
        dossier.build();
        dossier.site().snapshot()
    };
    let pack = dossier.root().join(CACHE_DIR).join("entries.pack");
    let entries = fs::read(&pack).unwrap();
    assert!(entries.len() > 1000, "the build filled the cache");
    let damaged = [
        b"\0\x01 not an entry".to_vec(),
        Vec::new(),
        entries[..entries.len() / 2].to_vec(),
        {
            // One byte changed in each stretch of a well-formed file.
            let mut bytes = entries.clone();
            for at in (100..bytes.len()).step_by(200) {
                bytes[at] ^= 0x20;
            }
            bytes
        },
    ];
    // The record of the last build would make the next one do nothing.
    let build = || {
        fs::remove_file(dossier.root().join(CACHE_DIR).join("site.json")).unwrap();
        dossier.build()
    };
    for (n, bytes) in damaged.iter().enumerate() {
        fs::write(&pack, bytes).unwrap();
        let report = build();
        match n {
            2 => assert!(report.cache.parse_hits < 5, "{:?}", report.cache),
            _ => assert_eq!(report.cache.parse_hits, 0, "{n}"),
        }
        assert_eq!(dossier.site().snapshot(), clean);
        assert_eq!(build().cache.parse_hits, 5, "made whole again");
    }

    fs::remove_dir_all(dossier.root().join(CACHE_DIR)).unwrap();
    dossier.build();
    assert_eq!(dossier.site().snapshot(), clean);
}

#[test]
fn a_build_with_nothing_changed_does_nothing_and_reports_the_same() {
    let dossier = TestDossier::seeds();
    let first = dossier.build();
    let second = dossier.build();
    assert_eq!(second.pages_changed, 0);
    assert!(
        second.stages.is_empty(),
        "no stage ran: {:?}",
        second.stages
    );
    assert_eq!(
        (
            second.pages_written,
            second.sources,
            second.entities,
            second.mentions
        ),
        (
            first.pages_written,
            first.sources,
            first.entities,
            first.mentions
        )
    );
    assert_eq!(second.warnings, first.warnings);
}

/// Files that have settled are known by their stamps, not read again: an
/// edit of one, even one that keeps its size and modification time, still
/// reaches the site, and so do additions and deletions.
#[test]
fn settled_files_known_by_their_stamps_still_show_every_change() {
    let dossier = TestDossier::seeds();
    dossier.build();
    // Past the time a file's stamp needs to settle before it is trusted.
    std::thread::sleep(Duration::from_millis(3100));
    assert_eq!(dossier.build().pages_changed, 0);
    let recorded = dossier.root().join(CACHE_DIR).join("content.bin");
    assert!(recorded.is_file(), "the settled files' keys are recorded");
    assert_eq!(dossier.build().pages_changed, 0);

    let file = source_file(&dossier, 0);
    let modified = fs::metadata(&file).unwrap().modified().unwrap();
    let text = fs::read_to_string(&file).unwrap();
    let edited = text.replacen("the", "THE", 1);
    assert_ne!(edited, text);
    fs::write(&file, edited).unwrap();
    // Same size, modification time set back: only the change time moved.
    fs::File::options()
        .write(true)
        .open(&file)
        .unwrap()
        .set_modified(modified)
        .unwrap();
    assert_same_as_clean_build(&dossier, "an edit that keeps size and time");
    fs::remove_file(source_file(&dossier, 1)).unwrap();
    dossier.write(
        "content/sources/zz-new.md",
        "+++\ntitle = \"A new report\"\n+++\n\nDmitry Peskov spoke.\n",
    );
    assert_same_as_clean_build(&dossier, "a deletion and an addition");
}

#[test]
fn unchanged_sources_come_from_the_cache() {
    let dossier = TestDossier::seeds();
    let first = dossier.build();
    assert_eq!(first.cache.parse_hits, 0);
    dossier.write(
        "content/sources/zz-new.md",
        "+++\ntitle = \"A new report\"\n+++\n\nDmitry Peskov spoke.\n",
    );
    let second = dossier.build();
    assert_eq!(second.cache.parsed, 1);
    assert_eq!(second.cache.parse_hits, first.sources);
}

#[test]
fn a_page_edited_in_the_output_is_rendered_again() {
    let dossier = TestDossier::seeds();
    dossier.build();
    let index = dossier.output().join("index.html");
    let original = fs::read(&index).unwrap();
    fs::write(&index, b"tampered").unwrap();
    let report = dossier.build();
    assert_eq!(fs::read(&index).unwrap(), original);
    assert_eq!(report.pages_changed, 1);
}

#[test]
fn a_language_change_reaches_the_search_index() {
    // A source's search terms are cached with its analysis, and leave out
    // the stop words of the dossier's language.
    let dossier = TestDossier::seeds();
    assert_same_as_clean_build(&dossier, "the first build");
    let config = fs::read_to_string(dossier.root().join("book.toml")).unwrap();
    assert!(config.contains("language = \"en\""));
    dossier.write(
        "book.toml",
        &config.replace("language = \"en\"", "language = \"fr\""),
    );
    assert_same_as_clean_build(&dossier, "a change of language");
}

#[test]
fn an_export_edited_in_the_output_is_not_copied_from() {
    // The exports are made partly by copying the previous build's file: a
    // file edited since must not be copied from, even at the same size.
    let dossier = TestDossier::seeds();
    dossier.build();
    for export in [
        "data/dossier.json",
        "data/mentions.csv",
        "data/followthemoney.json",
    ] {
        let file = dossier.output().join(export);
        let text = fs::read_to_string(&file).unwrap();
        assert!(text.contains("Peskov"), "{export}");
        fs::write(&file, text.replace("Peskov", "Pxskov")).unwrap();
    }
    let edited = source_file(&dossier, 1);
    let text = fs::read_to_string(&edited).unwrap();
    fs::write(&edited, format!("{text}\nSergey Lavrov spoke.\n")).unwrap();
    assert_same_as_clean_build(&dossier, "exports edited by hand");
}

#[test]
fn a_template_change_reaches_every_page_that_uses_it() {
    let dossier = TestDossier::seeds();
    dossier.build();
    let base =
        fs::read_to_string(common::repo_root().join("themes/default/templates/base.html")).unwrap();
    dossier.write(
        "templates/base.html",
        &base.replace("made with dossier", "made with dossier, edited"),
    );
    assert_same_as_clean_build_with_templates(&dossier);
    let page = dossier.site().read("sources.html");
    assert!(page.contains("made with dossier, edited"));
}

/// Like [`assert_same_as_clean_build`], for a dossier with its own templates.
fn assert_same_as_clean_build_with_templates(dossier: &TestDossier) {
    dossier.build();
    let incremental = dossier.site().snapshot();
    let fresh = tempfile::tempdir().unwrap();
    fs::copy(
        dossier.root().join("book.toml"),
        fresh.path().join("book.toml"),
    )
    .unwrap();
    copy_tree(
        &dossier.root().join("content"),
        &fresh.path().join("content"),
    );
    copy_tree(
        &dossier.root().join("templates"),
        &fresh.path().join("templates"),
    );
    build(fresh.path(), &BuildOptions::default()).unwrap();
    assert_eq!(
        incremental,
        BuiltSite::new(fresh.path().join("public")).snapshot()
    );
}

#[test]
fn matrix_pages_follow_a_mention_that_moves_to_another_paragraph() {
    // One source per page: past the first page, a page of the index shows
    // the matrix alone, where a mention moved to another paragraph, counts
    // unchanged, changes nothing but the link of its cell.
    let dossier = TestDossier::seeds();
    let config = fs::read_to_string(dossier.root().join("book.toml")).unwrap();
    dossier.write("book.toml", &format!("{config}paginate_by = 1\n"));
    assert_same_as_clean_build(&dossier, "the first build");

    let moved = source_file(&dossier, 4);
    let text = fs::read_to_string(&moved).unwrap();
    let mut lines: Vec<&str> = text.lines().collect();
    assert!(lines[3].contains("Hayat Tahrir al Sham"));
    lines.swap(2, 3);
    fs::write(&moved, lines.join("\n") + "\n").unwrap();
    assert_same_as_clean_build(&dossier, "two paragraphs swapped");
}

#[test]
fn a_paragraph_added_renders_one_page_of_each_series_again() {
    // One source per page: the list of sources and the matrix are series of
    // five pages each. A source that gains a paragraph changes one page of
    // the list; the other pages, and the matrix, show nothing that changed
    // and are not rendered again.
    let dossier = TestDossier::seeds();
    let config = fs::read_to_string(dossier.root().join("book.toml")).unwrap();
    dossier.write("book.toml", &format!("{config}paginate_by = 1\n"));
    dossier.build();
    let rendered = || dossier.build().cache.pages_rendered;

    let edited = source_file(&dossier, 2);
    let text = fs::read_to_string(&edited).unwrap();
    assert!(text.contains(" the "));
    fs::write(&edited, text.replacen(" the ", " THE ", 1)).unwrap();
    let by_a_word = rendered();
    let text = fs::read_to_string(&edited).unwrap();
    fs::write(
        &edited,
        format!("{text}\nThe article was corrected later.\n"),
    )
    .unwrap();
    let by_a_paragraph = rendered();
    // What a paragraph changes besides a word: the number of paragraphs on
    // the front page and on the source's page of the list.
    assert!(
        by_a_paragraph <= by_a_word + 2,
        "{by_a_paragraph} pages rendered for a paragraph added, {by_a_word} for a word"
    );
    assert_same_as_clean_build(&dossier, "a paragraph added");
}

/// A wire story several sources carry, for the dossier below.
const WIRE: &str = "Officials in Damascus said on Sunday that the convoy of aid lorries \
    had crossed the northern border at dawn and would reach the city before the ceasefire \
    talks resumed, according to a statement read on state television.";

/// The seeds and thirty short reports of four outlets, some of which carry
/// the same wire story: enough sources that changing one updates the
/// passages rather than searching for them again.
fn dossier_of_reports() -> TestDossier {
    let dossier = TestDossier::seeds();
    let outlets = ["Reuters", "Anadolu Agency", "TASS", "Al Jazeera"];
    for n in 0..30 {
        let wire = match n % 7 {
            0 => format!("\n{WIRE}\n"),
            _ => String::new(),
        };
        dossier.write(
            &format!("content/sources/report-{n:02}.md"),
            &format!(
                "+++\ntitle = \"Report {n}\"\ndate = 2024-12-{:02}\noutlet = \"{}\"\n+++\n\n\
                 Dmitry Peskov spoke to reporters about item {n} of the talks in Moscow.\n\n\
                 Sergey Lavrov said the meeting number {n} would take place next week.\n{wire}",
                n % 20 + 1,
                outlets[n % outlets.len()],
            ),
        );
    }
    dossier
}

#[test]
fn a_few_changed_sources_update_the_passages_to_what_a_clean_build_finds() {
    let dossier = dossier_of_reports();
    assert_same_as_clean_build(&dossier, "the first build");
    let shared = |dossier: &TestDossier| {
        let export: serde_json::Value =
            serde_json::from_str(&dossier.site().read("data/dossier.json")).unwrap();
        (export["shared_passages"].as_array().unwrap().iter())
            .find(|p| {
                p["text"]
                    .as_str()
                    .unwrap()
                    .contains("convoy of aid lorries")
            })
            .map(|p| p["sources"].as_array().unwrap().len())
    };
    assert_eq!(
        shared(&dossier),
        Some(5),
        "the wire story is a passage of 5 sources"
    );
    let report = |dossier: &TestDossier| dossier.build().cache.passages_updated;
    let edit = |name: &str, change: &dyn Fn(String) -> String| {
        let file = dossier.root().join(format!("content/sources/{name}"));
        let text = fs::read_to_string(&file).unwrap();
        let changed = change(text.clone());
        assert_ne!(changed, text, "{name} is changed");
        fs::write(&file, changed).unwrap();
    };

    // A word of the wire story in one source: the passage it shared with
    // the others now stops short of the word.
    edit("report-07.md", &|text| {
        text.replacen("on Sunday", "late on Sunday", 1)
    });
    assert!(report(&dossier), "a word changed updates the passages");
    assert_same_as_clean_build(&dossier, "a word of a shared passage");

    // The wire story copied into a source that did not carry it.
    edit("report-03.md", &|text| format!("{text}\n{WIRE}\n"));
    assert!(report(&dossier), "a passage added updates the passages");
    assert_same_as_clean_build(&dossier, "a passage shared anew");
    assert_eq!(shared(&dossier), Some(6));

    // And taken out of one that did.
    edit("report-14.md", &|text| text.replace(WIRE, "No comment."));
    assert!(report(&dossier), "a passage removed updates the passages");
    assert_same_as_clean_build(&dossier, "a passage no longer shared");

    // A line in a third report of one outlet becomes that outlet's
    // boilerplate: what the first two shared is no longer a passage.
    let line = "Reuters is not responsible for the content of external websites.";
    let tagged = |dossier: &TestDossier| {
        let page = dossier.site().read("sources/report-8.html");
        page.matches("boilerplate-tag").count()
    };
    let tagged_before = tagged(&dossier);
    for name in ["report-04.md", "report-08.md", "report-12.md"] {
        edit(name, &|text| format!("{text}\n{line}\n"));
        assert!(
            report(&dossier),
            "a line added to {name} updates the passages"
        );
        assert_same_as_clean_build(&dossier, name);
    }
    assert_eq!(
        tagged(&dossier),
        tagged_before + 1,
        "the line is boilerplate"
    );

    // A source added: the dossier is searched again, with the same result.
    dossier.write(
        "content/sources/report-99.md",
        &format!("+++\ntitle = \"Late\"\noutlet = \"TASS\"\n+++\n\n{WIRE}\n"),
    );
    assert!(!report(&dossier), "a source added searches again");
    assert_same_as_clean_build(&dossier, "a source added");

    // A damaged record of the last search is not trusted.
    let state = dossier.root().join(CACHE_DIR).join("passages.bin");
    let mut bytes = fs::read(&state).unwrap();
    bytes.truncate(bytes.len() / 2);
    fs::write(&state, bytes).unwrap();
    edit("report-21.md", &|text| {
        text.replacen("next week", "next month", 1)
    });
    assert!(!report(&dossier), "a damaged record searches again");
    assert_same_as_clean_build(&dossier, "a damaged record");
}
