//! The search index and box as built, read without a browser: every page
//! carries the box, the index's scripts are there and name only what exists,
//! and content in the index stays data. What happens when one types is in
//! tests/browser.rs.

use crate::common;

use std::collections::BTreeMap;

use common::{BuiltSite, TestDossier};
use scraper::Selector;

fn seeds_site() -> (TestDossier, BuiltSite) {
    let dossier = TestDossier::seeds();
    dossier.build();
    let site = dossier.site();
    (dossier, site)
}

/// The JSON argument of an index script: `dossierSearch.<call>(<json>);`,
/// after the leading arguments given in `prefix`.
fn script_json(site: &BuiltSite, file: &str, prefix: &str) -> serde_json::Value {
    let text = site.read(file);
    let json = text
        .strip_prefix(prefix)
        .and_then(|rest| rest.strip_suffix(");\n"))
        .unwrap_or_else(|| panic!("{file} is not `{prefix}…);`: {text:.80}"));
    serde_json::from_str(json).unwrap_or_else(|e| panic!("{file}: {e}"))
}

#[test]
fn every_page_has_the_search_box_in_the_masthead() {
    let (_dossier, site) = seeds_site();
    let input = Selector::parse(".masthead input[type=search]#search-input").unwrap();
    let label = Selector::parse("label[for=search-input]").unwrap();
    let results = Selector::parse("#search-results").unwrap();
    let live = Selector::parse("[aria-live=polite]#search-status").unwrap();
    let script = Selector::parse("script[src$='static/search.js']").unwrap();
    for page in site.html_files() {
        let html = site.page(&page);
        for (what, selector) in [
            ("search box", &input),
            ("label", &label),
            ("results", &results),
            ("live region", &live),
            ("script", &script),
        ] {
            assert_eq!(html.select(selector).count(), 1, "{page}: one {what}");
        }
    }
}

#[test]
fn search_box_is_hidden_until_the_script_shows_it() {
    let (_dossier, site) = seeds_site();
    let hidden = Selector::parse(".search[hidden][data-root]").unwrap();
    assert_eq!(site.page("index.html").select(&hidden).count(), 1);
    let source = site
        .html_files()
        .into_iter()
        .find(|f| f.starts_with("sources/"))
        .unwrap();
    let root = site
        .page(&source)
        .select(&hidden)
        .next()
        .and_then(|e| e.value().attr("data-root").map(str::to_owned));
    assert_eq!(root.as_deref(), Some("../"));
}

#[test]
fn index_names_only_shards_that_exist() {
    let (_dossier, site) = seeds_site();
    let manifest = script_json(&site, "search/index.js", "dossierSearch.setup(");
    let files = &manifest["files"];
    let shards: Vec<&str> = manifest["shards"]
        .as_array()
        .unwrap()
        .iter()
        .map(|key| key.as_str().unwrap())
        .collect();
    assert!(shards.contains(&"pe") && shards.contains(&"tu"));
    let on_disk: Vec<String> = site
        .files()
        .into_iter()
        .filter(|f| f.starts_with("search/terms/"))
        .collect();
    assert_eq!(on_disk.len(), shards.len());
    for key in shards {
        let name = files[key].as_str().unwrap_or(key);
        let file = format!("search/terms/{name}.js");
        let shard = script_json(&site, &file, &format!("dossierSearch.addShard({key:?},"));
        for term in shard.as_object().unwrap().keys() {
            assert!(term.starts_with(key), "{term} in shard {key}");
        }
    }
    assert_eq!(manifest["folds"]["ü"], "u");
    assert!(manifest["stopWords"]
        .as_array()
        .unwrap()
        .contains(&"the".into()));
}

/// The documents of the index by id, read from its bundles, which must be
/// those the manifest counts: bundle `n` holds the documents after those of
/// the bundles before it.
fn documents(site: &BuiltSite) -> BTreeMap<usize, serde_json::Value> {
    let manifest = script_json(site, "search/index.js", "dossierSearch.setup(");
    let counts = decode_numbers(manifest["bundles"].as_str().unwrap());
    let on_disk = site
        .files()
        .into_iter()
        .filter(|f| f.starts_with("search/docs/"))
        .count();
    assert_eq!(on_disk, counts.len(), "a file per bundle");
    let mut documents = BTreeMap::new();
    let mut first = 0;
    for (n, count) in counts.into_iter().enumerate() {
        let file = format!("search/docs/{n}.js");
        let bundle = script_json(site, &file, &format!("dossierSearch.addDocuments({first},"));
        let bundle = bundle.as_array().unwrap();
        assert_eq!(bundle.len(), count, "{file}");
        for (i, document) in bundle.iter().enumerate() {
            documents.insert(first + i, document.clone());
        }
        first += count;
    }
    documents
}

/// Numbers in the index's encoding: base 32, the sixth bit of a character
/// saying another follows.
fn decode_numbers(encoded: &str) -> Vec<usize> {
    const DIGITS: &str = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz-_";
    let mut numbers = Vec::new();
    let (mut n, mut scale) = (0, 1);
    for c in encoded.chars() {
        let v = DIGITS.find(c).unwrap();
        n += (v & 31) * scale;
        if v & 32 != 0 {
            scale *= 32;
        } else {
            numbers.push(n);
            (n, scale) = (0, 1);
        }
    }
    numbers
}

#[test]
fn index_has_a_document_per_source_and_entity() {
    let (dossier, site) = seeds_site();
    let report = dossier.build();
    let documents = documents(&site);
    assert_eq!(documents.len(), report.sources + report.entities);
    assert_eq!(
        documents.keys().copied().collect::<Vec<_>>(),
        (0..documents.len()).collect::<Vec<_>>()
    );
    let files = site.files();
    for document in documents.values() {
        let url = document["url"].as_str().unwrap();
        assert!(files.contains(url), "{url} is a page of the site");
    }
    let peskov = documents
        .values()
        .find(|d| d["title"] == "Dmitry Peskov")
        .unwrap();
    assert_eq!(peskov["url"], "entities/dmitry-peskov.html");
    assert_eq!(peskov["kind"], "person");
    let hts = documents
        .values()
        .find(|d| d["title"] == "Hayat Tahrir al-Sham")
        .unwrap();
    let paragraphs = hts["paragraphs"].as_array().unwrap();
    assert!(
        paragraphs[0].as_str().unwrap().contains("HTS"),
        "aliases first"
    );
    assert!(
        paragraphs[1..]
            .iter()
            .any(|p| p.as_str().unwrap().contains("surprise offensive")),
        "the entity's notes are searchable: {paragraphs:?}"
    );
}

#[test]
fn terms_are_folded_in_the_shards() {
    let (_dossier, site) = seeds_site();
    let shard = script_json(
        &site,
        "search/terms/tu.js",
        "dossierSearch.addShard(\"tu\",",
    );
    assert!(shard.get("turkiye").is_some(), "Türkiye is indexed folded");
    let shard = script_json(
        &site,
        "search/terms/pe.js",
        "dossierSearch.addShard(\"pe\",",
    );
    assert!(shard.get("peskov").is_some());
    assert!(site.read("search/terms/th.js").find("\"the\"").is_none());
}

#[test]
fn hostile_content_stays_data_in_the_index() {
    let dossier = TestDossier::from_fixture("hostile");
    dossier.build();
    let site = dossier.site();
    for file in site
        .files()
        .into_iter()
        .filter(|f| f.starts_with("search/"))
    {
        let text = site.read(&file);
        // Each file is exactly one call with JSON arguments: content can only
        // appear inside a JSON string.
        assert!(text.starts_with("dossierSearch."), "{file}");
        assert_eq!(text.matches('\n').count(), 1, "{file} is one line");
    }
    let attack = documents(&site)
        .into_values()
        .find(|d| d["title"].as_str().unwrap().contains("Attack"))
        .expect("the attack source is indexed");
    assert_eq!(attack["title"], "<script>alert('front')</script> Attack");
    assert!(site
        .files()
        .into_iter()
        .filter(|f| f.starts_with("search/docs/"))
        .any(|f| site
            .read(&f)
            .contains(r#"<script>alert('front')</script> Attack"#)));
}

#[test]
fn search_script_never_writes_html() {
    let script =
        std::fs::read_to_string(common::repo_root().join("themes/default/static/search.js"))
            .unwrap();
    for sink in [
        "innerHTML",
        "outerHTML",
        "insertAdjacentHTML",
        "document.write",
        "eval(",
        "new Function",
    ] {
        assert!(!script.contains(sink), "search.js uses {sink}");
    }
    assert!(
        !script.contains("fetch("),
        "fetch() is blocked on file:// pages"
    );
}
