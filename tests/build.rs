//! Building real dossiers and reading the pages back: links resolve, entity
//! pages list exactly the sources that name them, content cannot inject
//! markup, builds are reproducible.

use crate::common;

use common::{select_texts, BuiltSite, TestDossier};
use scraper::Selector;

fn seeds_site() -> (TestDossier, BuiltSite) {
    let dossier = TestDossier::seeds();
    dossier.build();
    let site = dossier.site();
    (dossier, site)
}

/// The source pages an entity page links to in its mentions section.
fn sources_listed_on(site: &BuiltSite, entity_page: &str) -> Vec<String> {
    let mut sources: Vec<String> = site
        .links(entity_page, ".mention-group h3 a")
        .into_iter()
        .map(|(file, _)| file)
        .collect();
    sources.sort();
    sources
}

/// The seed file (e.g. `003`) a source page was built from.
fn seed_of(site: &BuiltSite, source_page: &str) -> String {
    let html = site.page(source_page);
    let file = select_texts(&html, ".source-meta code");
    let file = file.first().expect("source page names its file");
    file.rsplit('/').next().unwrap()[..3].to_owned()
}

fn seeds_listed_on(site: &BuiltSite, entity_page: &str) -> Vec<String> {
    let mut seeds: Vec<String> = sources_listed_on(site, entity_page)
        .iter()
        .map(|page| seed_of(site, page))
        .collect();
    seeds.sort();
    seeds
}

#[test]
fn seeds_dossier_has_a_page_per_source_and_entity() {
    let (dossier, site) = seeds_site();
    let files = site.files();
    let sources = files.iter().filter(|f| f.starts_with("sources/")).count();
    let entity_files = std::fs::read_dir(dossier.root().join("content/entities"))
        .unwrap()
        .count();
    let entities = files.iter().filter(|f| f.starts_with("entities/")).count();
    assert_eq!(sources, 5);
    assert_eq!(entities, entity_files);
    for page in [
        "index.html",
        "sources.html",
        "entities.html",
        "crossref.html",
        "404.html",
        ".nojekyll",
    ] {
        assert!(files.contains(page), "missing {page}");
    }
}

#[test]
fn seeds_dossier_has_no_broken_links() {
    let (_dossier, site) = seeds_site();
    let broken = site.broken_links();
    assert!(broken.is_empty(), "broken links:\n{}", broken.join("\n"));
}

#[test]
fn entity_pages_list_exactly_the_seeds_that_name_them() {
    let (_dossier, site) = seeds_site();
    let expected: &[(&str, &[&str])] = &[
        ("dmitry-peskov", &["003"]),
        ("mikhail-ulyanov", &["002"]),
        ("hayat-tahrir-al-sham", &["001", "002", "004"]),
        ("bashar-al-assad", &["000", "001", "002", "003", "004"]),
        ("abu-mohammed-al-jolani", &["001", "004"]),
        ("tass", &["000", "001", "002", "003"]),
        ("turkiye", &["003", "004"]),
        ("interfax", &["004"]),
        ("sergey-lavrov", &["002"]),
        ("vladimir-putin", &["003"]),
        ("hadi-al-bahra", &["000"]),
        ("mohammad-jalali", &["001"]),
        ("un-security-council", &["000"]),
        ("syria", &["000", "001", "002", "003", "004"]),
        ("russian-foreign-ministry", &["000", "004"]),
        ("khmeimim", &["003"]),
        ("tartus", &["003"]),
        ("idlib", &["002"]),
        ("daraa", &["000"]),
    ];
    for (entity, seeds) in expected {
        let page = format!("entities/{entity}.html");
        assert_eq!(
            seeds_listed_on(&site, &page),
            *seeds,
            "sources listed on {page}"
        );
    }
}

#[test]
fn mentions_link_to_the_exact_paragraph() {
    let (_dossier, site) = seeds_site();
    let links = site.links("entities/dmitry-peskov.html", ".kwic a.para-ref");
    assert_eq!(links.len(), 3, "Peskov is named three times in 003");
    for (file, fragment) in links {
        let fragment = fragment.expect("a paragraph anchor");
        let page = site.page(&file);
        let selector = Selector::parse(&format!("#{fragment}")).unwrap();
        let paragraph = page.select(&selector).next().expect("the anchor exists");
        let text: String = paragraph.text().collect();
        assert!(
            text.contains("Peskov"),
            "#{fragment} in {file} does not name Peskov: {text}"
        );
    }
}

#[test]
fn source_pages_link_mentions_to_entity_pages() {
    let (_dossier, site) = seeds_site();
    let page = site
        .html_files()
        .into_iter()
        .find(|p| p.starts_with("sources/kremlin-confirms"))
        .expect("the Anadolu source");
    let targets: Vec<String> = site
        .links(&page, "a.mention")
        .into_iter()
        .map(|(file, _)| file)
        .collect();
    assert!(targets.contains(&"entities/dmitry-peskov.html".to_owned()));
    assert!(targets.contains(&"entities/turkiye.html".to_owned()));
    assert!(
        targets.contains(&"entities/tass.html".to_owned()),
        "`Tass` is TASS"
    );
    let html = site.page(&page);
    let paragraphs = Selector::parse(".source-text [id^=p]").unwrap();
    assert!(
        html.select(&paragraphs).count() >= 15,
        "every paragraph has an anchor"
    );
}

#[test]
fn inferred_metadata_is_marked_as_inferred() {
    let (_dossier, site) = seeds_site();
    let page = site
        .html_files()
        .into_iter()
        .find(|p| p.starts_with("sources/kremlin-confirms"))
        .unwrap();
    let html = site.page(&page);
    let meta = select_texts(&html, ".source-meta div");
    assert!(
        meta.iter()
            .any(|m| m.contains("9 December 2024") && m.contains("inferred")),
        "{meta:?}"
    );
    assert!(
        meta.iter()
            .any(|m| m.contains("Anadolu Agency") && m.contains("inferred")),
        "{meta:?}"
    );
}

#[test]
fn crossref_index_lists_paragraphs_and_the_matrix() {
    let (_dossier, site) = seeds_site();
    let html = site.page("crossref.html");
    let entries = select_texts(&html, ".index-entries dt a");
    assert!(
        entries.contains(&"Assad, Bashar al-".to_owned()),
        "{entries:?}"
    );
    assert!(entries.contains(&"Peskov, Dmitry".to_owned()));
    let peskov_refs = site
        .links("crossref.html", ".index-entries dd a.para-ref")
        .into_iter()
        .filter(|(file, _)| file.starts_with("sources/kremlin-confirms"))
        .count();
    assert!(peskov_refs > 0);
    let columns = select_texts(&html, ".matrix thead th");
    assert_eq!(
        columns.len(),
        5 + 2,
        "entity, five sources, total: {columns:?}"
    );
}

#[test]
fn two_builds_are_byte_identical() {
    let dossier = TestDossier::seeds();
    dossier.build();
    let first = dossier.site().snapshot();
    dossier.build();
    let second = dossier.site().snapshot();
    assert_eq!(
        first.keys().collect::<Vec<_>>(),
        second.keys().collect::<Vec<_>>()
    );
    for (path, bytes) in &first {
        assert!(bytes == &second[path], "{path} differs between builds");
    }
}

#[test]
fn fixture_with_markdown_and_clipping_builds() {
    let dossier = TestDossier::from_fixture("basic");
    let report = dossier.build();
    assert_eq!(report.sources, 2);
    assert_eq!(report.entities, 3);
    let site = dossier.site();
    assert!(site.broken_links().is_empty(), "{:?}", site.broken_links());
    // `Assadollah` is a different word; the clipping's byline gives the outlet.
    let clip = site.page("sources/talks-resume-in-vienna.html");
    let meta = select_texts(&clip, ".source-meta div");
    assert!(
        meta.iter()
            .any(|m| m.contains("Reuters") && m.contains("inferred")),
        "{meta:?}"
    );
    assert!(meta.iter().any(|m| m.contains("3 March 2025")), "{meta:?}");
    // Markdown tables and emphasis survive; mentions in them are linked,
    // but not inside an existing link.
    let md = site.page("sources/an-analysis-of-the-talks.html");
    assert_eq!(select_texts(&md, "table a.mention"), ["Peskov", "Vienna"]);
    assert_eq!(
        select_texts(&md, "a.mention"),
        ["Peskov", "Peskov", "Vienna"]
    );
    let peskov = site.page("entities/dmitry-peskov.html");
    assert_eq!(select_texts(&peskov, ".kwic mark").len(), 4);
}

#[test]
fn raw_html_in_markdown_is_read_as_it_is_shown() {
    let dossier = TestDossier::from_fixture("basic");
    dossier.write(
        "content/sources/raw.md",
        "+++\ntitle = \"Raw HTML\"\n+++\n\n<div>Peskov spoke inside a div.</div>\n\n\
         Text <script>var x = \"Peskov in a script\";</script> after a script.\n",
    );
    dossier.build();
    let site = dossier.site();
    let page = site.page("sources/raw-html.html");
    // Linked where it is shown; not found where nothing shows it.
    assert_eq!(select_texts(&page, "#p1 div a.mention"), ["Peskov"]);
    let snippets = select_texts(&site.page("entities/dmitry-peskov.html"), ".kwic li");
    let here: Vec<_> = snippets.iter().filter(|s| s.contains("div")).collect();
    assert_eq!(here.len(), 1, "{snippets:?}");
    assert!(
        !snippets.iter().any(|s| s.contains("script")),
        "{snippets:?}"
    );
}

#[test]
fn footnotes_of_several_sources_keep_to_their_own_on_the_print_page() {
    let dossier = TestDossier::from_fixture("basic");
    for name in ["one", "two"] {
        dossier.write(
            &format!("content/sources/{name}.md"),
            &format!(
                "+++\ntitle = \"Notes {name}\"\n+++\n\nA claim.[^src] Another.[^1]\n\n\
                 [^1]: The second note of {name}.\n\n[^src]: The first note of {name}.\n"
            ),
        );
    }
    dossier.build();
    let site = dossier.site();
    let page = site.page("sources/notes-one.html");
    assert_eq!(select_texts(&page, ".footnote-reference"), ["1", "2"]);
    let print = site.page("print.html");
    let ids: Vec<String> = print
        .select(&Selector::parse("[id]").unwrap())
        .map(|e| e.value().attr("id").unwrap().to_owned())
        .collect();
    let unique: std::collections::BTreeSet<&String> = ids.iter().collect();
    assert_eq!(unique.len(), ids.len(), "duplicate ids on print.html");
    let links = site.links("print.html", ".footnote-reference a");
    assert_eq!(links.len(), 4, "{links:?}");
    assert!(site.broken_links().is_empty(), "{:#?}", site.broken_links());
}

#[test]
fn raw_html_ids_cannot_take_the_pages_anchors() {
    let dossier = TestDossier::from_fixture("basic");
    dossier.write(
        "content/sources/ids.md",
        "---\ntitle: Id clash\n---\n<div id=\"p3\">Decoy block</div>\n\n\
         Second paragraph, <span id=\"in-this-source\">see</span> \
         <a name=\"quote-1\" href=\"#fn-1\">the note</a>.[^a]\n\n\
         Third paragraph names Peskov.\n\n[^a]: The note.\n",
    );
    // An entity's notes, numbered from 1 as every other's, keep to their own
    // too: a label is no id.
    for (name, body) in [
        (
            "kremlin",
            "Seat of power.[^main] <div id=\"mentions-heading\">x</div>",
        ),
        ("vienna", "A city.[^1]"),
    ] {
        dossier.write(
            &format!("content/entities/{name}.md"),
            &format!("+++\nname = \"{name}\"\nkind = \"place\"\n+++\n{body}\n\n[^main]: A note.\n\n[^1]: A note.\n"),
        );
    }
    dossier.build();
    let site = dossier.site();
    for page in [
        "sources/id-clash.html",
        "entities/kremlin.html",
        "print.html",
    ] {
        let html = site.page(page);
        let ids: Vec<&str> = html
            .select(&Selector::parse("[id]").unwrap())
            .map(|e| e.value().attr("id").unwrap())
            .collect();
        let unique: std::collections::BTreeSet<&&str> = ids.iter().collect();
        assert_eq!(unique.len(), ids.len(), "duplicate ids on {page}: {ids:?}");
        assert!(
            select_texts(&html, "main [name]").is_empty(),
            "name= on {page}"
        );
    }
    let page = site.page("sources/id-clash.html");
    assert!(select_texts(&page, "#p3")[0].contains("Third paragraph names Peskov"));
    assert!(select_texts(&page, "#fn-1")[0].contains("The note."));
    // The entity page leads to the paragraph naming Peskov.
    let links = site.links("entities/dmitry-peskov.html", ".kwic a");
    assert!(
        links.contains(&("sources/id-clash.html".to_owned(), Some("p3".to_owned()))),
        "{links:?}"
    );
    assert!(site.broken_links().is_empty(), "{:#?}", site.broken_links());
}

#[test]
fn images_from_elsewhere_are_links_that_load_nothing() {
    let dossier = TestDossier::from_fixture("basic");
    dossier.write(
        "content/sources/images.md",
        "+++\ntitle = \"Images\"\n+++\nPeskov spoke. ![track](https://tracker.example.com/pixel.png)\n\n\
         <img src=\"//tracker.example.com/b.png\" alt=\"raw\"> \
         <img src=\"data:image/png;base64,AAAA\" alt=\"inline\">\n",
    );
    dossier.write(
        "content/entities/vienna.md",
        "+++\nname = \"Vienna\"\nkind = \"place\"\n+++\n![map](https://maps.example.com/v.png)\n",
    );
    dossier.build();
    let site = dossier.site();
    let loading =
        Selector::parse("img, video, audio, source, picture, iframe, object, embed").unwrap();
    for page in site.html_files() {
        for element in site.page(&page).select(&loading) {
            for (attribute, value) in element.value().attrs() {
                assert!(
                    !(value.contains(':') || value.starts_with('/')),
                    "<{} {attribute}=\"{value}\"> on {page}",
                    element.value().name()
                );
            }
        }
    }
    for page in ["sources/images.html", "print.html"] {
        let html = site.page(page);
        let links = Selector::parse("a[href='https://tracker.example.com/pixel.png']").unwrap();
        let shown: Vec<String> = html.select(&links).map(|a| a.text().collect()).collect();
        assert_eq!(shown, ["Image: track"], "{page}");
        assert_eq!(
            select_texts(&html, "a[href='//tracker.example.com/b.png']"),
            ["Image: raw"],
            "{page}"
        );
    }
    let vienna = site.page("entities/vienna.html");
    assert_eq!(
        select_texts(&vienna, "a[href='https://maps.example.com/v.png']"),
        ["Image: map"]
    );
}

#[test]
fn content_cannot_inject_markup_or_script() {
    let dossier = TestDossier::from_fixture("hostile");
    dossier.build();
    let site = dossier.site();
    let any = Selector::parse("*").unwrap();
    for page in site.html_files() {
        let html = site.page(&page);
        for element in html.select(&any) {
            let value = element.value();
            let name = value.name();
            assert!(
                !["iframe", "style", "object", "embed"].contains(&name),
                "<{name}> in {page}"
            );
            if name == "script" {
                let text: String = element.text().collect();
                assert!(!text.contains("alert"), "script from content in {page}");
            }
            if name == "svg" {
                panic!("<svg> from content in {page}");
            }
            for (attribute, val) in value.attrs() {
                assert!(!attribute.starts_with("on"), "{attribute}= in {page}");
                let lower = val.trim().to_ascii_lowercase();
                for scheme in ["javascript:", "vbscript:", "data:"] {
                    assert!(
                        !lower.starts_with(scheme),
                        "{attribute}=\"{val}\" in {page}"
                    );
                }
            }
        }
    }
    // Tera syntax in content is shown, not evaluated.
    let attack = site
        .html_files()
        .into_iter()
        .find(|p| p.starts_with("sources/script-alert-front-script-attack"))
        .expect("the attack page");
    let text: String = site.page(&attack).root_element().text().collect();
    assert!(
        text.contains("{{ site.title }}"),
        "Tera syntax is kept as text"
    );
    assert!(text.contains("{% if true %}"));
    assert!(
        text.contains("<script>alert('front')</script> Attack"),
        "the title reads as text"
    );
}

/// The seeds' and the unseen fixtures' articles, each written `copies`
/// times with one paragraph left out and a line of its own added, with the
/// seeds' catalogue: wire copies, quotes and dates, enough sources for
/// every parallel step to split its work.
fn many_copies(copies: usize) -> TestDossier {
    let dossier = TestDossier::seeds();
    let sources = dossier.root().join("content/sources");
    let unseen = common::repo_root().join("tests/fixtures/unseen/content/sources");
    let mut articles: Vec<std::path::PathBuf> = [&sources, &unseen]
        .iter()
        .flat_map(|folder| std::fs::read_dir(folder).unwrap())
        .map(|entry| entry.unwrap().path())
        .collect();
    articles.sort();
    for (a, article) in articles.iter().enumerate() {
        let text = std::fs::read_to_string(article).unwrap();
        let paragraphs: Vec<&str> = text.split("\n\n").collect();
        let extension = article.extension().unwrap().to_str().unwrap();
        for copy in 0..copies {
            // The first paragraph holds a Markdown file's front matter.
            let left_out = 1 + copy % (paragraphs.len() - 1).max(1);
            let mut kept: Vec<&str> = (paragraphs.iter().enumerate())
                .filter(|&(p, _)| p != left_out)
                .map(|(_, text)| *text)
                .collect();
            let own = format!("Copy {copy} of article {a}, filed at {}:00.", 8 + copy);
            kept.push(&own);
            let name = format!("copy-{a:02}-{copy:02}.{extension}");
            std::fs::write(sources.join(name), kept.join("\n\n")).unwrap();
        }
    }
    dossier
}

#[test]
fn the_site_does_not_depend_on_how_many_threads_build_it() {
    let build_with = |threads: &str| {
        let dossier = many_copies(8);
        let status = std::process::Command::new(env!("CARGO_BIN_EXE_dossier"))
            .arg("--root")
            .arg(dossier.root())
            .args(["build", "--quiet"])
            .env("RAYON_NUM_THREADS", threads)
            .status()
            .unwrap();
        assert!(status.success());
        dossier.site().snapshot()
    };
    let one = build_with("1");
    let many = build_with("8");
    assert!(
        one.keys().filter(|p| p.starts_with("sources/")).count() > 100,
        "{} files",
        one.len()
    );
    let differ: Vec<&String> = (one.keys())
        .filter(|path| one.get(*path) != many.get(*path))
        .collect();
    assert!(differ.is_empty(), "differ: {differ:?}");
    assert_eq!(one.len(), many.len());
}

/// A table wider than a phone scrolls in a box of its own, which the
/// keyboard can reach (arrow keys then scroll it) and a screen reader names.
#[test]
fn tables_that_scroll_sideways_are_named_regions_the_keyboard_reaches() {
    let (_dossier, site) = seeds_site();
    let boxes = Selector::parse(".table-scroll").unwrap();
    let tables = Selector::parse("table.matrix, table.shared-matrix, table.cooccurrence").unwrap();
    let mut seen = 0;
    for page in ["crossref.html", "entities/bashar-al-assad.html"] {
        let html = site.page(page);
        for table in html.select(&tables) {
            let parent = scraper::ElementRef::wrap(table.parent().unwrap()).unwrap();
            assert!(
                parent
                    .value()
                    .has_class("table-scroll", scraper::CaseSensitivity::CaseSensitive),
                "{page}: a {:?} table is not in a box that scrolls",
                table.value().attr("class")
            );
        }
        for scroll in html.select(&boxes) {
            seen += 1;
            let attr = |name| scroll.value().attr(name);
            assert_eq!(attr("tabindex"), Some("0"), "{page}");
            assert_eq!(attr("role"), Some("region"), "{page}");
            let name = match attr("aria-labelledby") {
                Some(id) => select_texts(&html, &format!("#{id}")).concat(),
                None => attr("aria-label").unwrap_or_default().to_owned(),
            };
            assert!(
                !name.trim().is_empty(),
                "{page}: a scrolling box has no name"
            );
        }
    }
    assert!(
        seen >= 3,
        "the matrices and the co-occurrence table: {seen}"
    );
}
