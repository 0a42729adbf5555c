//! Bad, broken and hostile input, as a user meets it: the real binary runs on
//! each dossier under `tests/fixtures/bad-*` (and `hostile`), and its
//! messages are compared with the fixture's `expected-stderr*.txt` exactly,
//! so any change to a message shows as a diff. Set `BLESS=1` to rewrite the
//! expected files after a deliberate change, and read the diff.

use crate::common;

use std::fs;
use std::path::Path;
use std::process::{Command, Output};

use common::{BuiltSite, TestDossier};
use scraper::Selector;

/// Runs `dossier ARGS` in `dir` as on a pipe, without colour.
fn dossier(args: &[&str], dir: &Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_dossier"))
        .args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .output()
        .expect("the binary runs")
}

/// Stderr with the temporary folder's path replaced by `$ROOT`.
fn plain_stderr(output: &Output, root: &Path) -> String {
    let text = String::from_utf8_lossy(&output.stderr);
    let real = root.canonicalize().unwrap_or_else(|_| root.to_owned());
    text.replace(&real.display().to_string(), "$ROOT")
        .replace(&root.display().to_string(), "$ROOT")
}

/// Compares `stderr` with `tests/fixtures/<fixture>/<expected>`.
fn assert_stderr(fixture: &str, expected: &str, stderr: &str) {
    let path = common::repo_root()
        .join("tests/fixtures")
        .join(fixture)
        .join(expected);
    if std::env::var_os("BLESS").is_some() {
        fs::write(&path, stderr).unwrap();
    }
    let wanted = fs::read_to_string(&path)
        .unwrap_or_else(|_| panic!("{} is missing; run with BLESS=1", path.display()));
    assert!(
        stderr == wanted,
        "stderr of {fixture} differs from {expected}:\n--- expected\n{wanted}\n--- actual\n{stderr}"
    );
}

/// Runs the fixture and checks its exit code and messages.
fn run_fixture(fixture: &str, args: &[&str], code: i32, expected: &str) -> TestDossier {
    let dossier_dir = TestDossier::from_fixture(fixture);
    // Files whose bytes a text fixture cannot hold are made here.
    make_binary_files(fixture, dossier_dir.root());
    let output = dossier(args, dossier_dir.root());
    let stderr = plain_stderr(&output, dossier_dir.root());
    assert_stderr(fixture, expected, &stderr);
    assert_eq!(output.status.code(), Some(code), "{stderr}");
    dossier_dir
}

fn make_binary_files(fixture: &str, root: &Path) {
    if fixture != "bad-encoding" {
        return;
    }
    let sources = root.join("content/sources");
    let text = "UTF-16 clipping\r\nPeskov spoke in Türkiye.\r\n";
    let mut little = vec![0xFF, 0xFE];
    let mut big = vec![0xFE, 0xFF];
    for unit in text.encode_utf16() {
        little.extend(unit.to_le_bytes());
        big.extend(unit.to_be_bytes());
    }
    fs::write(sources.join("utf16-le.txt"), little).unwrap();
    fs::write(sources.join("utf16-be.txt"), big).unwrap();
    fs::write(
        sources.join("utf8-bom.txt"),
        b"\xEF\xBB\xBFBOM clipping\nPeskov again.\n",
    )
    .unwrap();
    fs::write(
        sources.join("line-endings.txt"),
        b"Old Mac clipping\rPeskov on a CR line.\rThen CRLF.\r\nEnd.",
    )
    .unwrap();
    fs::write(
        sources.join("latin1.txt"),
        b"Latin-1 clipping\nPeskov in Z\xFCrich, said the caf\xE9.\n",
    )
    .unwrap();
    fs::write(sources.join("nothing.txt"), b"").unwrap();
    fs::write(sources.join("spaces.md"), b"  \n\t\r\n   \n").unwrap();
}

#[test]
fn bad_front_matter_is_reported_on_its_own_lines_all_at_once() {
    let dossier = run_fixture("bad-front-matter", &["check"], 1, "expected-stderr.txt");
    assert!(!dossier.output().exists(), "check writes nothing");
}

#[test]
fn bad_encodings_are_decoded_or_named_with_their_byte_offset() {
    run_fixture("bad-encoding", &["build"], 1, "expected-stderr.txt");
}

#[test]
fn lossy_builds_replace_bad_bytes_with_a_warning() {
    let dossier = run_fixture(
        "bad-encoding",
        &["build", "--lossy"],
        0,
        "expected-stderr-lossy.txt",
    );
    let site = dossier.site();
    let text = site.read("sources/latin-1-clipping.html");
    assert!(text.contains("Z\u{FFFD}rich"), "bad byte replaced");
    assert!(site
        .read("sources/utf-16-clipping.html")
        .contains("Türkiye"));
    assert!(site
        .read("sources/old-mac-clipping.html")
        .contains("Then CRLF."));
}

#[test]
fn strict_builds_fail_on_warnings_and_write_nothing() {
    let dossier = run_fixture(
        "bad-encoding",
        &["build", "--lossy", "--strict"],
        1,
        "expected-stderr-strict.txt",
    );
    assert!(!dossier.output().exists());
}

#[test]
fn hostile_names_get_safe_readable_distinct_slugs() {
    let dossier = run_fixture(
        "bad-names",
        &["build", "--keep-going"],
        1,
        "expected-stderr.txt",
    );
    let site = dossier.site();
    let files = site.files();
    for file in &files {
        let bytes = fs::read(site.root.join(file)).unwrap();
        assert!(!bytes.contains(&0), "a NUL byte in {file}");
    }
    let title = site.read("sources/null-byte.html");
    assert!(
        title.contains("<title>null\u{FFFD}byte"),
        "NUL shown as U+FFFD"
    );
    let sources: Vec<&String> = files.iter().filter(|f| f.starts_with("sources/")).collect();
    insta_like(
        &sources,
        &[
            "sources/arabic.html",
            "sources/asked-for-2.html",
            "sources/asked-for.html",
            // Arabic letters transliterated: "Putin meets Erdogan in Ankara".
            "sources/bwtyn-yltqy-rdwgn-fy-nqr.html",
            "sources/etc-passwd.html",
            "sources/null-byte.html",
            "sources/outside-x.html",
            "sources/same-title-2.html",
            "sources/same-title.html",
            "sources/script-alert-x-script.html",
            // "///" has no letters: a stable hash of its path.
            "sources/source-d041549c.html",
            "sources/windows-system32.html",
        ],
    );
}

fn insta_like(actual: &[&String], expected: &[&str]) {
    let actual: Vec<&str> = actual.iter().map(|s| s.as_str()).collect();
    assert_eq!(actual, expected);
}

#[test]
fn catalogue_problems_are_warnings_naming_the_files() {
    run_fixture("bad-catalogue", &["check"], 0, "expected-stderr.txt");
}

#[test]
fn strict_checks_fail_on_catalogue_warnings() {
    run_fixture(
        "bad-catalogue",
        &["check", "--strict"],
        1,
        "expected-stderr-strict.txt",
    );
}

#[test]
fn template_errors_are_reported_with_the_content_errors() {
    run_fixture("bad-template", &["check"], 1, "expected-stderr.txt");
}

#[test]
fn hostile_content_builds_with_its_warnings() {
    run_fixture("hostile", &["build"], 0, "expected-stderr.txt");
}

#[test]
fn hostile_content_never_becomes_markup_or_script() {
    let dossier = TestDossier::from_fixture("hostile");
    dossier.build();
    let site = dossier.site();
    let any = Selector::parse("*").unwrap();
    let banned = [
        "iframe", "style", "object", "embed", "form", "button", "meta", "base", "svg", "math",
        "noscript",
    ];
    for page in site.html_files() {
        let html = site.page(&page);
        for element in html.select(&any) {
            let value = element.value();
            let name = value.name();
            let in_head = element
                .ancestors()
                .any(|a| a.value().as_element().is_some_and(|e| e.name() == "head"));
            // The site's own search box and network drawing are not content.
            let own = (name == "input" && value.id() == Some("search-input"))
                || (name == "svg"
                    && value.has_class("network", scraper::CaseSensitivity::CaseSensitive));
            if !in_head && !own {
                assert!(!banned.contains(&name), "<{name}> in {page}");
                assert!(name != "link", "<link> in the body of {page}");
            }
            if name == "input" && !own {
                assert_eq!(value.attr("type"), Some("checkbox"), "<input> in {page}");
            }
            if name == "script" {
                let text: String = element.text().collect();
                assert!(!text.contains("alert"), "script from content in {page}");
            }
            for (attribute, val) in value.attrs() {
                assert!(!attribute.starts_with("on"), "{attribute}= in {page}");
                assert!(attribute != "style", "style= in {page}");
                assert!(attribute != "formaction", "formaction= in {page}");
                // Browsers ignore whitespace and control characters inside a
                // scheme: `java\tscript:` runs.
                let squeezed: String = val
                    .chars()
                    .filter(|c| !c.is_whitespace() && !c.is_control())
                    .collect::<String>()
                    .to_ascii_lowercase();
                for scheme in ["javascript:", "vbscript:", "data:"] {
                    assert!(
                        !squeezed.starts_with(scheme),
                        "{attribute}=\"{val}\" in {page}"
                    );
                }
                if name == "link" {
                    assert!(!val.contains("evil"), "<link {attribute}={val}> in {page}");
                }
            }
        }
    }
    assert_text_survives(&site);
}

/// The attacks read as text where they were text.
fn assert_text_survives(site: &BuiltSite) {
    let page_text = |prefix: &str| -> String {
        let page = site
            .html_files()
            .into_iter()
            .find(|p| p.starts_with(prefix))
            .unwrap_or_else(|| panic!("no page {prefix}*"));
        site.page(&page).root_element().text().collect()
    };
    let clip = page_text("sources/clipped-attack-catalogue");
    assert!(clip.contains("<img src=x onerror=alert('clip-img')> Peskov said"));
    assert!(clip.contains("{% for x in range(end=3) %}loop{% endfor %} {{ __tera_context }}"));
    assert!(clip.contains("<style>body{display:none}</style>"));

    let catalogue = page_text("sources/catalogue-onmouseover");
    assert!(catalogue.contains("Catalogue \" onmouseover=\"alert('title-attr')"));
    assert!(catalogue.contains("{{ config }} {% include \"base.html\" %} {# hidden #}"));
    assert!(
        catalogue.contains("{{ 7*7 }} {% raw %} {# comment #}"),
        "author as text"
    );
    assert!(!catalogue.contains("49"), "Tera never evaluates content");
    assert!(
        catalogue.contains("styled"),
        "the text of a stripped element stays"
    );

    let kremlin: String = site
        .page("entities/kremlin.html")
        .root_element()
        .text()
        .collect();
    assert!(kremlin.contains("{{ site.title }}"));
    assert!(kremlin.contains("{% if true %}tera{% endif %}"));
}

#[test]
fn keep_going_writes_the_good_pages_and_lists_the_rest() {
    let dossier = run_fixture(
        "bad-front-matter",
        &["build", "--keep-going"],
        1,
        "expected-stderr-keep-going.txt",
    );
    let files = dossier.site().files();
    assert!(files.contains("sources/a-good-article.html"), "{files:?}");
    assert!(files.contains("index.html"));
    let index = dossier.site().read("sources.html");
    assert!(
        !index.contains("never-closed"),
        "files with errors are left out"
    );
}

#[test]
fn dates_beyond_any_archive_are_errors_at_their_value() {
    let dossier = TestDossier::from_fixture("basic");
    for (name, date) in [("max", "+262142-12-31"), ("min", "-262143-01-01")] {
        dossier.write(
            &format!("content/sources/{name}.md"),
            &format!(
                "+++\ntitle = \"T\"\ndate = \"{date}\"\n+++\nThe talks were held on December 31.\n"
            ),
        );
    }
    // An undated December 8 takes its year from the dated sources.
    dossier.write(
        "content/sources/u.txt",
        "Undated clipping headline\nThe talks were held on December 8 in Geneva.\n",
    );
    let error = dossier.try_build().unwrap_err();
    let places: Vec<_> = error
        .diagnostics()
        .iter()
        .map(|d| (d.path.display().to_string(), d.position, d.message.as_str()))
        .collect();
    assert_eq!(
        places,
        [
            (
                "content/sources/max.md".to_owned(),
                Some((3, 9)),
                "`+262142-12-31` is not a date in the years 1000 to 9999"
            ),
            (
                "content/sources/min.md".to_owned(),
                Some((3, 9)),
                "`-262143-01-01` is not a date in the years 1000 to 9999"
            ),
        ]
    );
}

#[cfg(unix)]
#[test]
fn symbolic_links_inside_content_are_followed_and_outside_refused() {
    use std::os::unix::fs::symlink;
    let dossier = TestDossier::from_fixture("basic");
    let root = dossier.root();
    let sources = root.join("content/sources");
    fs::create_dir_all(root.join("content/archive")).unwrap();
    fs::write(
        root.join("content/archive/kept.txt"),
        "Archived clipping\nPeskov, archived.\n",
    )
    .unwrap();
    symlink(
        root.join("content/archive/kept.txt"),
        sources.join("linked.txt"),
    )
    .unwrap();
    let secret = tempfile::tempdir().unwrap();
    fs::write(
        secret.path().join("diary.txt"),
        "Private diary\nNot for print.\n",
    )
    .unwrap();
    symlink(secret.path().join("diary.txt"), sources.join("diary.txt")).unwrap();
    symlink(secret.path(), sources.join("private")).unwrap();
    symlink(root.join("content/missing.txt"), sources.join("broken.txt")).unwrap();

    let output = dossier_in(root, &["build"]);
    let stderr = plain_stderr(&output, root);
    assert_eq!(output.status.code(), Some(1), "{stderr}");
    assert_eq!(
        stderr,
        "warning: broken symbolic link skipped\n\
         --> content/sources/broken.txt\n \
         = help: remove the link, or point it at a file inside the content folder\n\n\
         error: symbolic link points outside the content folder: refused\n\
         --> content/sources/diary.txt\n \
         = help: copy the file into the content folder instead of linking to it\n\n\
         error: symbolic link points outside the content folder: refused\n\
         --> content/sources/private\n \
         = help: copy the file into the content folder instead of linking to it\n\n\
         error: the content has 2 errors\n"
    );
    assert!(!dossier.output().exists());

    fs::remove_file(sources.join("diary.txt")).unwrap();
    fs::remove_file(sources.join("private")).unwrap();
    let report = dossier.build();
    assert_eq!(report.sources, 3, "the link inside content is followed");
    assert!(dossier
        .site()
        .files()
        .contains("sources/archived-clipping.html"));
    let text = dossier.site().read("sources/archived-clipping.html");
    assert!(!text.contains("Private diary"));
}

#[test]
fn output_folders_that_hold_the_dossier_or_its_content_are_refused() {
    let dossier = TestDossier::from_fixture("basic");
    let root = dossier.root();
    for output in [".", "..", "content", "content/site", "/"] {
        let result = dossier_in(root, &["build", "--output", output]);
        assert_eq!(result.status.code(), Some(2), "--output {output}");
        let stderr = plain_stderr(&result, root);
        assert!(
            stderr.starts_with(&format!("error: refusing to write the site to {output}: ")),
            "--output {output}: {stderr}"
        );
    }
    let parent = root.parent().unwrap().display().to_string();
    let result = dossier_in(root, &["build", "--output", &parent]);
    assert_eq!(result.status.code(), Some(2));
    assert!(
        root.join("content/sources/wire.txt").is_file(),
        "nothing deleted"
    );
    assert!(root.join("book.toml").is_file());
}

#[cfg(unix)]
#[test]
fn a_symbolic_link_as_output_is_refused() {
    let dossier = TestDossier::from_fixture("basic");
    let root = dossier.root();
    std::os::unix::fs::symlink(root.join("content"), root.join("public")).unwrap();
    let result = dossier_in(root, &["build"]);
    assert_eq!(result.status.code(), Some(2));
    assert!(plain_stderr(&result, root).contains("it is a symbolic link"));
    assert!(root.join("content/sources/wire.txt").is_file());
}

fn dossier_in(dir: &Path, args: &[&str]) -> Output {
    dossier(args, dir)
}

/// A snapshot of every file under `dir`, to prove it unchanged.
fn snapshot(dir: &Path) -> std::collections::BTreeMap<String, Vec<u8>> {
    BuiltSite::new(dir.to_owned()).snapshot()
}

#[test]
fn a_template_error_leaves_the_previous_site_exactly_as_it_was() {
    let dossier = TestDossier::from_fixture("basic");
    dossier.build();
    let before = snapshot(&dossier.output());
    dossier.write(
        "templates/entity.html",
        "{% extends \"base.html\" %}{% block",
    );
    let result = dossier_in(dossier.root(), &["build"]);
    assert_eq!(result.status.code(), Some(1));
    assert_eq!(snapshot(&dossier.output()), before);
}

#[test]
fn keep_going_skips_pages_that_fail_to_render_and_lists_them() {
    let dossier = TestDossier::from_fixture("basic");
    // Compiles, but fails on every entity page: the field does not exist.
    dossier.write(
        "templates/entity.html",
        "{% extends \"base.html\" %}{% block content %}{{ page.no_such_field.deeper }}{% endblock content %}",
    );
    let result = dossier_in(dossier.root(), &["build"]);
    assert_eq!(result.status.code(), Some(1));
    assert!(
        !dossier.output().exists(),
        "without --keep-going nothing is written"
    );

    let result = dossier_in(dossier.root(), &["build", "--keep-going"]);
    let stderr = plain_stderr(&result, dossier.root());
    assert_eq!(result.status.code(), Some(1), "{stderr}");
    let files = dossier.site().files();
    assert!(files.contains("index.html"), "{files:?}");
    assert_eq!(
        files.iter().filter(|f| f.starts_with("sources/")).count(),
        2,
        "{files:?}"
    );
    assert!(
        !files.iter().any(|f| f.starts_with("entities/")),
        "{files:?}"
    );
    for entity in ["dmitry-peskov", "kremlin", "vienna"] {
        assert!(
            stderr.contains(&format!("failed while rendering `entities/{entity}.html`")),
            "{stderr}"
        );
    }
    assert!(
        stderr.contains("leaving out what the 3 errors above name"),
        "{stderr}"
    );
}

#[test]
fn a_build_killed_midway_is_cleaned_up_by_the_next() {
    let dossier = TestDossier::from_fixture("basic");
    dossier.build();
    let stale = dossier.root().join(".public.staging-4000000000");
    fs::create_dir_all(stale.join("sources")).unwrap();
    fs::write(stale.join("sources/half-written.html"), "<p>half").unwrap();
    let expected = {
        let fresh = TestDossier::from_fixture("basic");
        fresh.build();
        snapshot(&fresh.output())
    };
    dossier.build();
    assert!(!stale.exists(), "stale staging folder removed");
    assert_eq!(snapshot(&dossier.output()), expected);
}

/// Builds a dossier whose only source is `name` with `text`, and returns
/// the build's warnings.
fn build_one_source(name: &str, text: &str) -> (TestDossier, Vec<dossier::error::Diagnostic>) {
    let dossier = TestDossier::from_fixture("basic");
    fs::remove_dir_all(dossier.root().join("content/sources")).unwrap();
    dossier.write(&format!("content/sources/{name}"), text);
    let report = dossier.build();
    (dossier, report.warnings)
}

#[test]
fn a_five_megabyte_source_builds() {
    let line = "Dmitry Peskov told reporters in Vienna that the Kremlin would answer.\n";
    let text = format!("Huge clipping\n{}", line.repeat(5_000_000 / line.len()));
    let (dossier, _) = build_one_source("huge.txt", &text);
    let page = dossier.site().read("sources/huge-clipping.html");
    assert!(page.matches("class=\"mention").count() > 70_000 * 3);
}

#[test]
fn a_single_line_of_200000_characters_builds() {
    let text = format!("Long line\n{}\n", "Peskov spoke. ".repeat(200_000 / 14));
    let (dossier, _) = build_one_source("long.txt", &text);
    let page = dossier.site().read("sources/long-line.html");
    assert!(page.matches("</a> spoke.").count() > 14_000);
    // One short snippet per mention, not the whole line each time.
    let entity = dossier.site().read("entities/dmitry-peskov.html");
    assert!(entity.len() < 14_300 * 1_000, "{} bytes", entity.len());
}

#[test]
fn ten_thousand_nested_quotes_and_lists_build_flattened_with_a_warning() {
    for (name, text) in [
        (
            "quotes.md",
            format!("# Quotes\n\n{} Peskov deep\n", ">".repeat(10_000)),
        ),
        (
            "lists.md",
            format!("# Lists\n\n{}Peskov deep\n", "- ".repeat(10_000)),
        ),
        (
            "html.md",
            format!(
                "# Html\n\n{}Peskov deep{}\n",
                "<div>".repeat(10_000),
                "</div>".repeat(10_000)
            ),
        ),
    ] {
        let (dossier, warnings) = build_one_source(name, &text);
        assert!(
            warnings
                .iter()
                .any(|w| w.message.contains("nested more than 100 deep")),
            "{name}: {warnings:?}"
        );
        let entity = dossier.site().read("entities/dmitry-peskov.html");
        let stem = name.trim_end_matches(".md");
        assert!(
            entity.contains(&format!("{stem}.html#p")),
            "{name}: the deep mention is found"
        );
        let source = dossier.site().read(&format!("sources/{stem}.html"));
        assert!(source.contains("</a> deep"), "{name}: the text is kept");
    }
}

/// The errors of a build that fails on its content.
fn content_errors(dossier: &TestDossier) -> Vec<dossier::error::Diagnostic> {
    match dossier.try_build() {
        Err(dossier::error::Error::Content(diagnostics)) => diagnostics,
        other => panic!("expected content errors, got {other:?}"),
    }
}

#[test]
fn two_entity_files_named_alike_are_an_error_naming_both() {
    let dossier = TestDossier::from_fixture("basic");
    let peskov = fs::read_to_string(dossier.root().join("content/entities/dmitry-peskov.md"))
        .unwrap()
        .replace("Dmitry Peskov", "Another Peskov");
    // `Dmitry_Peskov.md` makes the page name `dmitry-peskov` too.
    dossier.write("content/entities/Dmitry_Peskov.md", &peskov);
    let errors = content_errors(&dossier);
    let error = errors.iter().find(|d| d.is_error()).unwrap();
    assert_eq!(error.path, Path::new("content/entities/dmitry-peskov.md"));
    assert!(
        error.message.contains("entities/dmitry-peskov.html")
            && error.message.contains("content/entities/Dmitry_Peskov.md"),
        "{error:?}"
    );
    assert!(!dossier.output().exists());
}

#[test]
fn a_slug_asked_for_is_kept_when_a_title_makes_the_same() {
    let dossier = TestDossier::from_fixture("basic");
    dossier.write(
        "content/sources/zzz.md",
        "---\ntitle: My story\nslug: peskov-in-vienna\n---\nPeskov spoke.\n",
    );
    dossier.write(
        "content/sources/aaa.txt",
        "Peskov in Vienna\nPeskov spoke again.\n",
    );
    dossier.build();
    let site = dossier.site();
    assert!(site
        .read("sources/peskov-in-vienna.html")
        .contains("<h1>My story"));
    assert!(site
        .read("sources/peskov-in-vienna-2.html")
        .contains("spoke again."));
}

#[test]
fn a_slug_without_letters_or_digits_is_warned_about_on_its_line() {
    let (dossier, warnings) = build_one_source(
        "dots.md",
        "---\ntitle: Dots\nslug: \"../..\"\n---\nPeskov spoke.\n",
    );
    let warning = warnings
        .iter()
        .find(|w| w.message.contains("slug `../..`"))
        .unwrap();
    assert_eq!(warning.position, Some((3, 1)));
    assert!(dossier
        .site()
        .read("sources/dots.html")
        .contains("<h1>Dots"));
}

#[test]
fn a_markdown_source_opening_with_an_image_takes_its_title_from_the_text() {
    let (dossier, _) = build_one_source(
        "lead.md",
        "![Peskov in Vienna](images/peskov.jpg)\n\nPeskov said on Monday that talks would resume.\n",
    );
    let page = dossier
        .site()
        .read("sources/peskov-said-on-monday-that-talks-would-resume.html");
    assert!(page.contains("<h1>Peskov said on Monday"));
}

#[test]
fn front_matter_below_blank_lines_is_read_with_a_warning() {
    let (dossier, warnings) = build_one_source(
        "late.txt",
        "\n\n---\ntitle: Late front matter\ndate: 2024-12-09\n---\nPeskov spoke.\n",
    );
    let warning = (warnings.iter())
        .find(|w| w.message.contains("front matter below blank lines"))
        .unwrap();
    assert_eq!(warning.position, Some((3, 1)));
    let page = dossier.site().read("sources/late-front-matter.html");
    assert!(page.contains("<h1>Late front matter") && !page.contains("title:"));
}

#[test]
fn numbers_in_front_matter_are_shown_as_written() {
    let (dossier, _) = build_one_source(
        "numbers.md",
        "---\ntitle: 007\nauthor: 1.50 # a comment\noutlet: 0x1F\n---\nPeskov spoke.\n",
    );
    let page = dossier.site().read("sources/007.html");
    assert!(page.contains("<h1>007"));
    assert!(page.contains("1.50") && page.contains("0x1F"), "as written");
}

#[test]
fn utf16_without_a_byte_order_mark_is_read_and_nul_filled_files_refused() {
    let dossier = TestDossier::from_fixture("basic");
    let sources = dossier.root().join("content/sources");
    let text = "Kremlin headline\nPeskov spoke in Türkiye.\n";
    let utf16: Vec<u8> = text.encode_utf16().flat_map(u16::to_le_bytes).collect();
    fs::write(sources.join("utf16.txt"), utf16).unwrap();
    // Two byte-order marks, as copying a file's text into another leaves.
    fs::write(
        sources.join("two-marks.md"),
        b"\xEF\xBB\xBF\xEF\xBB\xBF---\ntitle: Two marks\n---\nPeskov spoke.\n",
    )
    .unwrap();
    fs::write(sources.join("zeros.md"), [0u8; 4096]).unwrap();
    let errors = content_errors(&dossier);
    let refused: Vec<_> = errors.iter().filter(|d| d.is_error()).collect();
    assert_eq!(refused.len(), 1, "{errors:?}");
    assert_eq!(refused[0].path, Path::new("content/sources/zeros.md"));
    assert!(refused[0].message.contains("not text"), "{:?}", refused[0]);

    fs::remove_file(sources.join("zeros.md")).unwrap();
    let report = dossier.build();
    assert!(report
        .warnings
        .iter()
        .any(|w| w.message.contains("UTF-16LE without a byte-order mark")));
    let site = dossier.site();
    assert!(site
        .read("sources/kremlin-headline.html")
        .contains("Türkiye"));
    assert!(site
        .read("sources/two-marks.html")
        .contains("<h1>Two marks"));
}

#[test]
fn a_file_where_the_entities_folder_should_be_is_an_error() {
    let dossier = TestDossier::from_fixture("basic");
    let entities = dossier.root().join("content/entities");
    fs::remove_dir_all(&entities).unwrap();
    fs::write(&entities, "").unwrap();
    let errors = content_errors(&dossier);
    assert_eq!(errors[0].path, Path::new("content/entities"), "{errors:?}");
    assert!(errors[0].message.contains("this is a file"), "{errors:?}");
}
