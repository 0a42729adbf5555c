//! The search index: built with the site and shipped as JavaScript files
//! that `static/search.js` loads with `<script>` tags, because `fetch()` is
//! blocked on `file://` while scripts are not.
//!
//! One big index file is what makes search crash phones on large sites, so
//! the index is split three ways, each part loaded only when needed:
//! - `search/index.js`: the list of term shards and the folding table, a few
//!   kilobytes whatever the size of the dossier;
//! - `search/terms/<key>.js`: the terms starting with the two letters `key`,
//!   each with its postings (document, score, first paragraphs);
//! - `search/docs/<id>.js`: one document's title, link and text, loaded for
//!   the results shown, to cut a snippet around the match.
//!
//! Words are folded as the matcher folds names (`Türkiye` → `turkiye`) and
//! lowercased. They are not stemmed: the browser would have to stem queries
//! the same way, and matching every query word as a prefix (`negotiat` finds
//! `negotiations`) does the job of stemming as one types.

use std::collections::BTreeMap;

use serde::Serialize;
use unicode_segmentation::UnicodeSegmentation;

use crate::analysis::fold::fold;
use crate::render::views::{entity_path, source_path};
use crate::render::Page;
use crate::site::{Site, SiteEntity, SiteSource};

/// Folder of the index in the output.
pub const SEARCH_DIR: &str = "search";

/// Paragraphs kept per term and document: enough to link to the first
/// matches, and it bounds a posting list by the number of documents, not
/// paragraphs.
const PARAGRAPHS_PER_POSTING: usize = 3;

/// Weight of a word in a title or an entity's name, against 1 in the text.
const TITLE_WEIGHT: u32 = 8;

/// Characters of a term that name its shard.
const SHARD_KEY_CHARS: usize = 2;

/// A searchable document: a source or an entity, as the browser shows it.
#[derive(Debug, Serialize)]
struct Document {
    /// Title shown in the result.
    title: String,
    /// Page, relative to the site root.
    url: String,
    /// `source` or the entity's kind.
    kind: String,
    /// A line under the title: date and outlet, or the entity's description.
    meta: String,
    /// Searchable text, by paragraph: paragraph `n` (1-based) links to
    /// `#p<n>`; entities have none.
    paragraphs: Vec<String>,
}

/// One document's entry in a term's posting list.
#[derive(Debug, Default)]
struct Posting {
    score: u32,
    /// Paragraph numbers, 0 for the title, in order, at most
    /// [`PARAGRAPHS_PER_POSTING`].
    paragraphs: Vec<usize>,
}

/// Term → document id → posting.
type Postings = BTreeMap<String, BTreeMap<usize, Posting>>;

/// The index's files, to be written under the output folder.
pub fn index_files(site: &Site) -> Vec<Page> {
    let documents: Vec<Document> = site
        .entities
        .iter()
        .map(entity_document)
        .chain(site.sources.iter().map(source_document))
        .collect();

    let mut postings = Postings::new();
    let mut folds = BTreeMap::new();
    for (id, document) in documents.iter().enumerate() {
        add_text(&mut postings, id, 0, &document.title, TITLE_WEIGHT);
        collect_folds(&document.title, &mut folds);
        for (index, paragraph) in document.paragraphs.iter().enumerate() {
            add_text(&mut postings, id, index + 1, paragraph, 1);
            collect_folds(paragraph, &mut folds);
        }
    }

    let shards = shard(&postings);
    let mut pages = vec![manifest_page(&shards, &folds, documents.len())];
    pages.extend(
        shards
            .iter()
            .map(|(key, terms)| shard_page(key, terms, &postings)),
    );
    pages.extend(
        documents
            .iter()
            .enumerate()
            .map(|(id, document)| document_page(id, document)),
    );
    pages
}

fn entity_document(entity: &SiteEntity) -> Document {
    let e = &entity.entity;
    let description = e.description.clone().unwrap_or_default();
    // Aliases are searchable, so `HTS` finds Hayat Tahrir al-Sham.
    let paragraphs = [e.aliases.join(" · "), description.clone()]
        .into_iter()
        .filter(|text| !text.is_empty())
        .collect();
    Document {
        title: e.name.clone(),
        url: entity_path(entity),
        kind: e.kind.as_str().to_owned(),
        meta: description,
        paragraphs,
    }
}

fn source_document(source: &SiteSource) -> Document {
    let s = &source.source;
    let date = s
        .date
        .as_ref()
        .map(|d| d.value.format("%-d %B %Y").to_string());
    let outlet = s.outlet.as_ref().map(|o| o.value.clone());
    Document {
        title: s.title.value.clone(),
        url: source_path(source),
        kind: "source".to_owned(),
        meta: [date, outlet]
            .into_iter()
            .flatten()
            .collect::<Vec<_>>()
            .join(" · "),
        paragraphs: s.paragraphs.iter().map(|p| p.text.clone()).collect(),
    }
}

/// The words of `text` as the index and the browser see them: folded,
/// lowercased, split at Unicode word boundaries and again at anything
/// that is not a letter or digit (`Türkiye’s` → `turkiye`, `s`); words of
/// one character are left out.
pub fn terms(text: &str) -> Vec<String> {
    let folded = fold(text).text.to_lowercase();
    folded
        .unicode_words()
        .flat_map(|word| word.split(|c: char| !c.is_alphanumeric()))
        .filter(|word| word.chars().nth(1).is_some())
        .map(str::to_owned)
        .collect()
}

fn add_text(postings: &mut Postings, id: usize, paragraph: usize, text: &str, weight: u32) {
    for term in terms(text) {
        let posting = postings.entry(term).or_default().entry(id).or_default();
        posting.score += weight;
        if posting.paragraphs.len() < PARAGRAPHS_PER_POSTING
            && posting.paragraphs.last() != Some(&paragraph)
        {
            posting.paragraphs.push(paragraph);
        }
    }
}

/// Records how each foldable character of `text` folds, so the browser folds
/// queries exactly as the index was folded.
fn collect_folds(text: &str, folds: &mut BTreeMap<char, String>) {
    for c in text.chars().filter(|c| !c.is_ascii()) {
        if folds.contains_key(&c) {
            continue;
        }
        let folded = fold(c.encode_utf8(&mut [0; 4])).text;
        if folded.chars().ne(std::iter::once(c)) {
            folds.insert(c, folded);
        }
    }
}

/// The shard key of a term: its first two characters.
pub fn shard_key(term: &str) -> String {
    term.chars().take(SHARD_KEY_CHARS).collect()
}

/// A shard key as a file name: ASCII letters and digits as they are, any
/// other character as `_` and its code point in hex, so names are the same
/// on every file system and need no escaping in a URL.
pub fn shard_file_name(key: &str) -> String {
    let mut name = String::new();
    for c in key.chars() {
        if c.is_ascii_alphanumeric() {
            name.push(c);
        } else {
            name.push_str(&format!("_{:x}", c as u32));
        }
    }
    name
}

/// Terms grouped by shard key.
fn shard(postings: &Postings) -> BTreeMap<String, Vec<&str>> {
    let mut shards: BTreeMap<String, Vec<&str>> = BTreeMap::new();
    for term in postings.keys() {
        shards.entry(shard_key(term)).or_default().push(term);
    }
    shards
}

/// Encodes a posting list compactly: `delta,score,p1,p2;…`, numbers in base
/// 36, document ids as the difference from the previous one.
fn encode_postings(postings: &BTreeMap<usize, Posting>) -> String {
    let mut encoded = String::new();
    let mut previous = 0;
    for (&id, posting) in postings {
        if !encoded.is_empty() {
            encoded.push(';');
        }
        encoded.push_str(&base36(id - previous));
        encoded.push(',');
        encoded.push_str(&base36(posting.score as usize));
        for &paragraph in &posting.paragraphs {
            encoded.push(',');
            encoded.push_str(&base36(paragraph));
        }
        previous = id;
    }
    encoded
}

fn base36(mut n: usize) -> String {
    const DIGITS: &[u8; 36] = b"0123456789abcdefghijklmnopqrstuvwxyz";
    let mut digits = Vec::new();
    loop {
        digits.push(DIGITS[n % 36]);
        n /= 36;
        if n == 0 {
            break;
        }
    }
    digits.reverse();
    String::from_utf8(digits).expect("base-36 digits are ASCII")
}

#[derive(Serialize)]
struct Manifest<'a> {
    /// Shard keys, sorted.
    shards: Vec<&'a str>,
    /// Shard key → file name, where they differ.
    files: BTreeMap<&'a str, String>,
    folds: &'a BTreeMap<char, String>,
    documents: usize,
}

fn manifest_page(
    shards: &BTreeMap<String, Vec<&str>>,
    folds: &BTreeMap<char, String>,
    documents: usize,
) -> Page {
    let manifest = Manifest {
        shards: shards.keys().map(String::as_str).collect(),
        files: shards
            .keys()
            .map(|key| (key.as_str(), shard_file_name(key)))
            .filter(|(key, file)| key != file)
            .collect(),
        folds,
        documents,
    };
    script_page(
        format!("{SEARCH_DIR}/index.js"),
        format!("dossierSearch.setup({});\n", to_json(&manifest)),
    )
}

fn shard_page(key: &str, terms: &[&str], postings: &Postings) -> Page {
    let encoded: BTreeMap<&str, String> = terms
        .iter()
        .map(|&term| (term, encode_postings(&postings[term])))
        .collect();
    script_page(
        format!("{SEARCH_DIR}/terms/{}.js", shard_file_name(key)),
        format!(
            "dossierSearch.addShard({},{});\n",
            to_json(&key),
            to_json(&encoded)
        ),
    )
}

fn document_page(id: usize, document: &Document) -> Page {
    script_page(
        format!("{SEARCH_DIR}/docs/{id}.js"),
        format!("dossierSearch.addDocument({id},{});\n", to_json(document)),
    )
}

/// JSON is valid JavaScript once U+2028 and U+2029, which JSON allows in
/// strings but older engines end lines at, are escaped.
fn to_json(value: &impl Serialize) -> String {
    serde_json::to_string(value)
        .expect("index values serialise")
        .replace('\u{2028}', "\\u2028")
        .replace('\u{2029}', "\\u2029")
}

fn script_page(path: String, text: String) -> Page {
    Page {
        path,
        bytes: text.into_bytes(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn terms_are_folded_lowercased_and_split() {
        assert_eq!(
            terms("Türkiye’s envoy met HAYAT Tahrir al-Sham, 2024."),
            ["turkiye", "envoy", "met", "hayat", "tahrir", "al", "sham", "2024"]
        );
    }

    #[test]
    fn terms_keep_other_scripts() {
        assert_eq!(terms("بشار الأسد"), ["بشار", "الأسد"]);
    }

    #[test]
    fn postings_are_delta_encoded_in_base_36() {
        let mut postings = BTreeMap::new();
        postings.insert(
            3,
            Posting {
                score: 40,
                paragraphs: vec![0, 2],
            },
        );
        postings.insert(
            50,
            Posting {
                score: 1,
                paragraphs: vec![7],
            },
        );
        assert_eq!(encode_postings(&postings), "3,14,0,2;1b,1,7");
    }

    #[test]
    fn paragraphs_per_posting_are_bounded() {
        let mut postings = Postings::new();
        for paragraph in 1..10 {
            add_text(&mut postings, 0, paragraph, "Peskov said", 1);
        }
        let posting = &postings["peskov"][&0];
        assert_eq!(posting.score, 9);
        assert_eq!(posting.paragraphs, [1, 2, 3]);
    }

    #[test]
    fn shard_names_are_ascii() {
        assert_eq!(shard_key("peskov"), "pe");
        assert_eq!(shard_file_name("pe"), "pe");
        assert_eq!(shard_file_name("بش"), "_628_634");
    }

    #[test]
    fn folds_are_recorded_for_the_browser() {
        let mut folds = BTreeMap::new();
        collect_folds("Türkiye Straße الأسد", &mut folds);
        assert_eq!(folds.get(&'ü').map(String::as_str), Some("u"));
        assert_eq!(folds.get(&'ß').map(String::as_str), Some("ss"));
        assert_eq!(folds.len(), 2);
    }
}
