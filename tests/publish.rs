//! Publishing: the feed, sitemap and crawler files, canonical and OpenGraph
//! metadata, GitHub Pages files, the printable dossier, themes and template
//! errors.

use crate::common;

use std::collections::BTreeSet;

use common::{select_texts, BuiltSite, TestDossier};
use dossier::error::Error;
use scraper::Selector;

const BASE: &str = "https://owner.github.io/repo/";

/// Adds `key = value` (TOML) under `[dossier]` in the dossier's book.toml.
fn set_dossier_key(dossier: &TestDossier, key: &str, value: &str) {
    let path = dossier.root().join("book.toml");
    let book = std::fs::read_to_string(&path).unwrap();
    let book = book.replacen("[dossier]\n", &format!("[dossier]\n{key} = {value}\n"), 1);
    std::fs::write(path, book).unwrap();
}

fn published_seeds() -> (TestDossier, BuiltSite) {
    let dossier = TestDossier::seeds();
    set_dossier_key(&dossier, "base_url", &format!("\"{BASE}\""));
    let report = dossier.build();
    assert!(report
        .warnings
        .iter()
        .all(|w| !w.message.contains("base_url")));
    let site = dossier.site();
    (dossier, site)
}

/// An element of an XML document: its name, attributes and text.
#[derive(Debug, Default)]
struct XmlElement {
    path: String,
    attributes: Vec<(String, String)>,
    text: String,
}

/// Parses `xml` strictly, failing the test if it is not well-formed, and
/// returns every element with its path from the root (`feed/entry/id`).
fn parse_xml(xml: &str) -> Vec<XmlElement> {
    let document =
        roxmltree::Document::parse(xml).unwrap_or_else(|e| panic!("not well-formed: {e}"));
    document
        .descendants()
        .filter(|node| node.is_element())
        .map(|node| {
            let mut names: Vec<&str> = node
                .ancestors()
                .filter(|n| n.is_element())
                .map(|n| n.tag_name().name())
                .collect();
            names.reverse();
            XmlElement {
                path: names.join("/"),
                attributes: node
                    .attributes()
                    .map(|a| (a.name().to_owned(), a.value().to_owned()))
                    .collect(),
                text: node
                    .children()
                    .filter(|c| c.is_text())
                    .filter_map(|c| c.text())
                    .collect(),
            }
        })
        .collect()
}

fn attribute<'a>(element: &'a XmlElement, name: &str) -> Option<&'a str> {
    element
        .attributes
        .iter()
        .find(|(key, _)| key == name)
        .map(|(_, value)| value.as_str())
}

#[test]
fn atom_feed_is_well_formed_with_absolute_urls() {
    let (_dossier, site) = published_seeds();
    let elements = parse_xml(&site.read("atom.xml"));
    let texts = |path: &str| -> Vec<&str> {
        elements
            .iter()
            .filter(|e| e.path == path)
            .map(|e| e.text.as_str())
            .collect()
    };
    assert_eq!(texts("feed/id"), [BASE]);
    assert_eq!(texts("feed/entry").len(), 5, "one entry per source");
    let entry_ids = texts("feed/entry/id");
    assert_eq!(entry_ids.len(), 5);
    assert_eq!(
        entry_ids.iter().collect::<BTreeSet<_>>().len(),
        5,
        "unique ids"
    );
    for id in &entry_ids {
        let path = id
            .strip_prefix(BASE)
            .expect("ids are absolute under base_url");
        assert!(site.files().contains(path), "{id} is a page of the site");
    }
    for link in elements.iter().filter(|e| e.path.ends_with("link")) {
        let href = attribute(link, "href").unwrap();
        assert!(href.starts_with(BASE), "{href}");
    }
    let updated = texts("feed/entry/updated");
    assert_eq!(updated.len(), 5, "every entry has an updated value");
    for value in updated.iter().chain(&texts("feed/updated")) {
        assert!(
            chrono::DateTime::parse_from_rfc3339(value).is_ok(),
            "{value} is RFC 3339"
        );
    }
    // The newest dated source is 9 December 2024; undated sources take it.
    assert_eq!(texts("feed/updated"), ["2024-12-09T00:00:00Z"]);
    assert_eq!(
        texts("feed/entry/published").len(),
        2,
        "two seeds are dated"
    );
}

#[test]
fn control_characters_in_references_and_front_matter_reach_no_output() {
    let dossier = TestDossier::from_fixture("basic");
    set_dossier_key(&dossier, "base_url", &format!("\"{BASE}\""));
    dossier.write(
        "content/sources/x.md",
        "+++\ntitle = \"Ctrl ref\"\ndate = 2024-12-09\n+++\nThe Kremlin said &#x1b; something \
         &#1; important here today, and it went on to say a great many other things about \
         the talks in Vienna and the Russian bases.\n\n<p title=\"&#2;\">Raw &#x1b; HTML</p>\n",
    );
    dossier.write(
        "content/sources/y.md",
        "+++\ntitle = \"Title \\uFFFE with \\uFFFF noncharacters\"\n\
         author = \"Jane \\u001b Roe\"\n+++\nPeskov spoke.\n",
    );
    dossier.build();
    let site = dossier.site();
    parse_xml(&site.read("atom.xml"));
    parse_xml(&site.read("sitemap.xml"));
    // What XML 1.0 forbids; HTML forbids it too.
    let forbidden = |c: char| {
        (c < ' ' && !matches!(c, '\t' | '\n' | '\r')) || matches!(c, '\u{FFFE}' | '\u{FFFF}')
    };
    for file in site.files() {
        let Ok(text) = std::fs::read_to_string(site.root.join(&file)) else {
            continue;
        };
        let found: Vec<char> = text.chars().filter(|&c| forbidden(c)).collect();
        assert!(found.is_empty(), "{found:?} in {file}");
    }
    let page = site.page("sources/ctrl-ref.html");
    let text: String = page.root_element().text().collect();
    assert!(text.contains("said \u{FFFD} something \u{FFFD} important"));
    assert!(site
        .read("atom.xml")
        .contains("Title \u{FFFD} with \u{FFFD} noncharacters"));
}

#[test]
fn no_feed_and_a_warning_without_base_url() {
    let dossier = TestDossier::seeds();
    let report = dossier.build();
    let warning = report
        .warnings
        .iter()
        .find(|w| w.message.contains("base_url"))
        .expect("a warning about base_url");
    assert!(!warning.is_error());
    assert_eq!(warning.path, std::path::Path::new("book.toml"));
    let site = dossier.site();
    for file in ["atom.xml", "sitemap.xml", "robots.txt", "CNAME"] {
        assert!(!site.files().contains(file), "{file} without base_url");
    }
    let index = site.page("index.html");
    assert!(select_texts(&index, "link[rel=canonical]").is_empty());
    assert!(select_texts(&index, "meta[property=\"og:url\"]").is_empty());
}

#[test]
fn sitemap_lists_every_page_and_robots_points_at_it() {
    let (_dossier, site) = published_seeds();
    let listed: BTreeSet<String> = parse_xml(&site.read("sitemap.xml"))
        .into_iter()
        .filter(|e| e.path == "urlset/url/loc")
        .map(|e| e.text.strip_prefix(BASE).expect("absolute").to_owned())
        .collect();
    let pages: BTreeSet<String> = site
        .html_files()
        .into_iter()
        .filter(|p| p != "404.html")
        .collect();
    assert_eq!(listed, pages);
    let robots = site.read("robots.txt");
    assert!(
        robots.contains(&format!("Sitemap: {BASE}sitemap.xml")),
        "{robots}"
    );
}

#[test]
fn every_page_has_canonical_link_and_opengraph_metadata() {
    let (_dossier, site) = published_seeds();
    let meta = |html: &scraper::Html, property: &str| -> Option<String> {
        let selector = Selector::parse(&format!("meta[property=\"{property}\"]")).unwrap();
        html.select(&selector)
            .next()
            .and_then(|e| e.value().attr("content").map(str::to_owned))
    };
    let canonical = Selector::parse("link[rel=canonical]").unwrap();
    for page in site.html_files() {
        let html = site.page(&page);
        assert!(
            meta(&html, "og:title").is_some_and(|t| !t.is_empty()),
            "{page}"
        );
        assert_eq!(
            meta(&html, "og:site_name").as_deref(),
            Some("Assad in Moscow")
        );
        let kind = meta(&html, "og:type").unwrap();
        let expected = if page.starts_with("sources/") {
            "article"
        } else {
            "website"
        };
        assert_eq!(kind, expected, "{page}");
        if page == "404.html" {
            continue;
        }
        let url = format!("{BASE}{page}");
        assert_eq!(meta(&html, "og:url"), Some(url.clone()), "{page}");
        let link = html.select(&canonical).next().expect("a canonical link");
        assert_eq!(link.value().attr("href"), Some(url.as_str()));
    }
    let peskov = site.page("entities/dmitry-peskov.html");
    assert_eq!(meta(&peskov, "og:title").as_deref(), Some("Dmitry Peskov"));
    assert!(meta(&peskov, "og:description")
        .unwrap()
        .contains("Kremlin spokesman"));
}

#[test]
fn cname_is_written_for_a_custom_domain() {
    let dossier = TestDossier::seeds();
    set_dossier_key(&dossier, "cname", "\"assad.example.org\"");
    dossier.build();
    let site = dossier.site();
    assert_eq!(site.read("CNAME"), "assad.example.org\n");
    assert_eq!(site.read(".nojekyll"), "");
    // On its own domain the site sits at the root: the 404 page links from /.
    let links = site.links("404.html", "a[href]:not(.skip-link), link[href]");
    assert!(
        links.is_empty(),
        "root-absolute links are not relative: {links:?}"
    );
    let html = site.read("404.html");
    assert!(html.contains("href=\"/index.html\""), "{html}");
}

/// Resolves `href` against the absolute URL `page`, as a browser would.
fn resolve_url(page: &str, href: &str) -> String {
    if href.contains("://") {
        return href.to_owned();
    }
    let origin_end = page.find("://").map_or(0, |i| i + 3);
    let origin_end = origin_end + page[origin_end..].find('/').unwrap_or(0);
    if let Some(absolute) = href.strip_prefix('/') {
        return format!("{}/{absolute}", &page[..origin_end]);
    }
    let mut parts: Vec<&str> = page[origin_end + 1..].split('/').collect();
    parts.pop();
    for part in href.split('#').next().unwrap_or("").split('/') {
        match part {
            ".." => {
                parts.pop();
            }
            "." | "" => {}
            other => parts.push(other),
        }
    }
    format!("{}/{}", &page[..origin_end], parts.join("/"))
}

#[test]
fn not_found_page_links_resolve_from_a_deep_path() {
    let (_dossier, site) = published_seeds();
    let html = site.page("404.html");
    let refs = Selector::parse("a[href], link[href], img[src], script[src]").unwrap();
    let served_at = "https://owner.github.io/repo/a/b/c/404.html";
    let files = site.files();
    let mut checked = 0;
    for element in html.select(&refs) {
        let value = element.value();
        let href = value.attr("href").or_else(|| value.attr("src")).unwrap();
        if href.starts_with('#') {
            continue;
        }
        let url = resolve_url(served_at, href);
        let path = url
            .split('#')
            .next()
            .unwrap()
            .strip_prefix(BASE)
            .unwrap_or_else(|| panic!("`{href}` leaves the site: {url}"));
        assert!(files.contains(path), "`{href}` → {url} is missing");
        checked += 1;
    }
    assert!(checked >= 6, "stylesheet, icon and navigation: {checked}");
    // The same links resolved as relative links would have broken.
    assert_eq!(
        resolve_url(served_at, "static/style.css"),
        "https://owner.github.io/repo/a/b/c/static/style.css"
    );
}

#[test]
fn print_page_holds_every_source_and_entity() {
    let dossier = TestDossier::seeds();
    dossier.build();
    let site = dossier.site();
    let print = site.page("print.html");
    let source_pages: BTreeSet<String> = site
        .html_files()
        .into_iter()
        .filter_map(|p| {
            Some(
                p.strip_prefix("sources/")?
                    .strip_suffix(".html")?
                    .to_owned(),
            )
        })
        .collect();
    let printed: BTreeSet<String> = Selector::parse("article.print-source")
        .map(|s| {
            print
                .select(&s)
                .filter_map(|e| {
                    e.value()
                        .attr("id")?
                        .strip_prefix("source-")
                        .map(str::to_owned)
                })
                .collect()
        })
        .unwrap();
    assert_eq!(printed, source_pages);
    assert_eq!(
        select_texts(&print, ".print-toc li").len(),
        source_pages.len() + 1,
        "contents: every source and the catalogue"
    );
    assert_eq!(select_texts(&print, ".print-entity").len(), 46);
    assert!(select_texts(&print, ".print-source a.mention").len() >= 200);
    // Every paragraph of a source is printed.
    let kremlin = site.page("sources/kremlin-confirms-bashar-al-assad-his-family-were-given.html");
    let on_page = select_texts(&kremlin, ".source-text .pilcrow").len();
    let in_print = select_texts(
        &print,
        "#source-kremlin-confirms-bashar-al-assad-his-family-were-given .para-number",
    )
    .len();
    assert_eq!(in_print, on_page);
    assert!(site.read("static/print.css").contains("break-before: page"));
    assert!(site.broken_links().is_empty(), "{:?}", site.broken_links());
}

#[test]
fn newsprint_theme_builds_and_differs() {
    let default = TestDossier::seeds();
    default.build();
    let newsprint = TestDossier::seeds();
    let path = newsprint.root().join("book.toml");
    let book = std::fs::read_to_string(&path).unwrap();
    std::fs::write(
        &path,
        book.replace("theme = \"default\"", "theme = \"newsprint\""),
    )
    .unwrap();
    newsprint.build();
    let (a, b) = (default.site(), newsprint.site());
    assert_ne!(a.read("static/style.css"), b.read("static/style.css"));
    assert!(b.read("static/style.css").contains("column-rule"));
    assert_ne!(
        a.read("index.html"),
        b.read("index.html"),
        "its own source_item.html"
    );
    assert!(b.read("index.html").contains("class=\"dateline\""));
    // Everything it does not override falls back to the default theme.
    assert_eq!(a.files(), b.files());
    assert_eq!(
        a.read("static/components.css"),
        b.read("static/components.css")
    );
    // Its pages draw search, the timeline and the network: the stylesheets
    // they link style them, and hide what only screen readers say.
    let sheets = Selector::parse("link[rel=stylesheet]").unwrap();
    let linked: String = (b.page("index.html").select(&sheets))
        .filter_map(|link| link.value().attr("href"))
        .map(|href| b.read(href))
        .collect();
    for rule in [
        ".visually-hidden",
        ".search-results",
        ".network svg",
        ".timeline-day",
        ".quote-text",
    ] {
        assert!(linked.contains(rule), "{rule} is styled");
    }
    assert_eq!(a.read("crossref.html"), b.read("crossref.html"));
    assert!(b.broken_links().is_empty(), "{:?}", b.broken_links());
}

#[test]
fn init_with_the_newsprint_theme_builds() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("story");
    dossier::init::init(&root, "newsprint").unwrap();
    let book = std::fs::read_to_string(root.join("book.toml")).unwrap();
    assert!(book.contains("theme = \"newsprint\""), "{book}");
    dossier::build(&root, &dossier::BuildOptions::default()).unwrap();
    let css = std::fs::read_to_string(root.join("public/static/style.css")).unwrap();
    assert!(css.contains("newsprint"));
}

#[test]
fn dossier_templates_and_static_files_override_the_theme_file_by_file() {
    let dossier = TestDossier::from_fixture("basic");
    dossier.write(
        "templates/source_item.html",
        "<article class=\"source-item own\"><a href=\"{{ root }}{{ source.path }}\">{{ source.title }}</a></article>\n",
    );
    dossier.write(
        "static/style.css",
        "/* own style */\nbody { color: black; }\n",
    );
    dossier.write(
        "static/extra/logo.svg",
        "<svg xmlns=\"http://www.w3.org/2000/svg\"/>\n",
    );
    dossier.build();
    let site = dossier.site();
    assert_eq!(
        select_texts(&site.page("index.html"), ".source-item.own").len(),
        2
    );
    assert!(site.read("static/style.css").starts_with("/* own style */"));
    assert!(site.files().contains("static/extra/logo.svg"));
    // Files not overridden still come from the theme.
    assert!(site.read("static/favicon.svg").contains("<svg"));
    assert!(!site
        .page("crossref.html")
        .html()
        .contains("source-item own"));
    assert!(site.broken_links().is_empty(), "{:?}", site.broken_links());
}

fn template_error(template: &str) -> dossier::error::Diagnostic {
    let dossier = TestDossier::from_fixture("basic");
    dossier.write("templates/source.html", template);
    match dossier.try_build() {
        Err(Error::Content(mut diagnostics)) => diagnostics.remove(0),
        Err(other) => panic!("expected a diagnostic, got {other}"),
        Ok(_) => panic!("the build should fail"),
    }
}

#[test]
fn a_missing_variable_names_the_template_file_line_and_variable() {
    let diagnostic = template_error(
        "{% extends \"base.html\" %}\n{% block content %}\n<h1>{{ page.title }}</h1>\n<p>{{ page.outlet_name }}</p>\n{% endblock content %}\n",
    );
    let shown = diagnostic.to_string();
    assert!(shown.contains("templates/source.html:4:7"), "{shown}");
    assert!(shown.contains("page.outlet_name"), "{shown}");
    assert!(
        shown.contains("`page` has here:") && shown.contains("outlet"),
        "{shown}"
    );
}

#[test]
fn a_syntax_error_names_the_template_file_and_line() {
    let diagnostic = template_error(
        "{% extends \"base.html\" %}\n{% block content %}\n\n<h1>{{ page.title </h1>\n{% endblock content %}\n",
    );
    let shown = diagnostic.to_string();
    assert!(
        shown.contains("syntax error in template `source.html`"),
        "{shown}"
    );
    assert!(shown.contains("templates/source.html:4:"), "{shown}");
}

#[test]
fn a_fault_in_an_extended_template_names_that_template() {
    let dossier = TestDossier::from_fixture("basic");
    let base =
        std::fs::read_to_string(common::repo_root().join("themes/default/templates/base.html"))
            .unwrap();
    let base = base.replace(
        "<footer class=\"site-footer\">",
        "<footer class=\"site-footer\">\n{{ site.owner }}",
    );
    dossier.write("templates/base.html", &base);
    let Err(Error::Content(diagnostics)) = dossier.try_build() else {
        panic!("the build should fail");
    };
    let shown = diagnostics[0].to_string();
    let line = base.lines().position(|l| l.contains("site.owner")).unwrap() + 1;
    assert!(
        shown.contains(&format!("templates/base.html:{line}:4")),
        "{shown}"
    );
    assert!(shown.contains("`site` has here:"), "{shown}");
}

#[test]
fn an_unknown_filter_names_the_template_file_and_line() {
    let diagnostic = template_error(
        "{% extends \"base.html\" %}\n{% block content %}{{ page.title | shout }}{% endblock content %}\n",
    );
    let shown = diagnostic.to_string();
    assert!(shown.contains("Filter 'shout' not found"), "{shown}");
    assert!(shown.contains("templates/source.html:2:"), "{shown}");
}

#[test]
fn code_blocks_in_markdown_sources_are_highlighted() {
    let dossier = TestDossier::from_fixture("basic");
    dossier.write(
        "content/sources/data.md",
        "+++\ntitle = \"Flight data\"\ndate = 2024-12-08\n+++\n\nThe log:\n\n```json\n{\"from\": \"Khmeimim\", \"to\": \"Moscow\"}\n```\n",
    );
    dossier.build();
    let site = dossier.site();
    let page = site.page("sources/flight-data.html");
    assert!(!select_texts(&page, "pre.hl-code span[class^=\"hl-\"]").is_empty());
    let light = site.read("static/syntax-light.css");
    let dark = site.read("static/syntax-dark.css");
    assert!(light.contains(".hl-code {") && dark.contains(".hl-code {"));
    assert_ne!(light, dark);
    let html = site.read("sources/flight-data.html");
    assert!(
        html.contains("media=\"(prefers-color-scheme: dark)\""),
        "{html}"
    );
}

#[test]
fn published_builds_are_byte_identical() {
    let (dossier, site) = published_seeds();
    assert!(site.broken_links().is_empty(), "{:?}", site.broken_links());
    let first = site.snapshot();
    dossier.build();
    assert_eq!(first, dossier.site().snapshot());
}
