//! The search index: built with the site and shipped as JavaScript files
//! that `static/search.js` loads with `<script>` tags, because `fetch()` is
//! blocked on `file://` while scripts are not.
//!
//! One big index file is what makes search crash phones on large sites, so
//! the index is split three ways, each part loaded only when needed:
//! - `search/index.js`: the list of term shards (and of those split), the
//!   folding table and the stop words: a few kilobytes;
//! - `search/terms/<key>.js`: the terms starting with the two letters `key`,
//!   each with its documents and their scores; a shard that outgrows its
//!   budget is split by a third letter (a fourth, a fifth);
//! - `search/docs/<n>.js`: bundle `n` of documents, each a title, a link
//!   and the text, loaded for the results shown, to find the paragraph to
//!   link to and cut a snippet. A bundle holds consecutive document ids up
//!   to a byte budget (a larger document is a bundle of its own), so a large
//!   dossier is not written as thousands of tiny files while a result still
//!   loads a bounded amount; the manifest lists how many documents each
//!   bundle holds, from which the browser finds a document's bundle.
//!
//! Which words are indexed, and how they are folded, is `analysis::terms`:
//! a source's terms are found with its analysis and cached with it.

use std::collections::{BTreeMap, BTreeSet};
use std::ops::Range;

use rayon::prelude::*;
use serde::Serialize;

use crate::analysis::shingles::FnvHashMap;
use crate::analysis::terms::{
    stop_words, DocumentTerms, SearchTerms, StopWords, Words, MAX_SCORE, TITLE_WEIGHT,
};
use crate::error::Result;
use crate::render::date_text::day_month_year;
use crate::render::views::{entity_path, source_path};
use crate::render::Page;
use crate::site::{Site, SiteEntity, SiteSource};

/// Folder of the index in the output.
pub const SEARCH_DIR: &str = "search";

/// Characters of a term that name its shard: two, and one more each time
/// a shard is split, up to five.
const SHARD_KEY_CHARS: usize = 2;
const MAX_SHARD_KEY_CHARS: usize = 5;

/// Bytes a shard may hold before it is split by one more character, so a
/// search loads a bounded amount however large the dossier.
const SHARD_BUDGET: usize = 64 * 1024;

/// Bytes a bundle of documents may hold before the next document starts
/// another, so showing a result loads a bounded amount however large the
/// dossier; a document larger than this is a bundle of its own.
const BUNDLE_BUDGET: usize = 16 * 1024;

/// Documents read in parallel before their words are merged into the index.
const DOCUMENTS_AT_ONCE: usize = 1024;

/// A searchable document: a source or an entity, as the browser shows it.
#[derive(Debug, Serialize)]
struct Document {
    /// Title shown in the result.
    title: String,
    /// Page, relative to the site root.
    url: String,
    /// `source` or the entity's kind.
    kind: &'static str,
    /// A line under the title: date and outlet, or the entity's description.
    meta: String,
    /// Searchable text, by paragraph: paragraph `n` (1-based) of a source
    /// is its page's `#p<n>`; an entity has its aliases, then its notes.
    paragraphs: Vec<String>,
}

/// Term → (document id, score), by ascending id. Ids are 32-bit: the
/// postings of a large dossier are millions, and held all at once.
type Postings = FnvHashMap<String, Vec<(u32, u32)>>;

/// Makes the index's files, to be written under the output folder, and
/// hands each to `put` as soon as it is made.
pub fn write_index(site: &Site, put: &(dyn Fn(Page) -> Result<()> + Sync)) -> Result<()> {
    let stop_words = &stop_words(&site.config.dossier.language);
    let mut index = Index::default();
    let mut bundler = Bundler::new(BUNDLE_BUDGET);
    // Documents are made in parallel, a chunk at a time, and merged in id
    // order: only one chunk's words are held at once, and each document's
    // JSON only until its bundle is full and written.
    for chunk in site.entities.chunks(DOCUMENTS_AT_ONCE) {
        let read: Vec<_> = chunk
            .par_iter()
            .map(|e| entity_entry(e, stop_words))
            .collect();
        for (json, terms) in read {
            index.insert(bundler.next, &terms);
            bundler.push(json).map(put).transpose()?;
        }
    }
    // A source's terms come with its analysis; only its JSON is made here.
    for chunk in site.sources.chunks(DOCUMENTS_AT_ONCE) {
        let read: Vec<_> = chunk
            .par_iter()
            .map(|s| to_json(&source_document(s)))
            .collect();
        for (json, source) in read.into_iter().zip(chunk) {
            index.insert(bundler.next, &source.analysis.search);
            bundler.push(json).map(put).transpose()?;
        }
    }
    let (last, bundles) = bundler.finish();
    last.map(put).transpose()?;

    let Index { postings, folds } = index;
    let mut postings: Vec<(String, Vec<(u32, u32)>)> = postings.into_iter().collect();
    postings.par_sort_unstable_by(|a, b| a.0.cmp(&b.0));
    let encoded: BTreeMap<String, String> = postings
        .into_par_iter()
        .map(|(term, postings)| {
            let encoded = encode_postings(&postings);
            (term, encoded)
        })
        .collect();
    let shards = Shards::new(&encoded, SHARD_BUDGET);
    put(manifest_page(&shards, &bundles, &folds, stop_words))?;
    (shards.shards.par_iter()).try_for_each(|(key, terms)| put(shard_page(key, terms, &encoded)))
}

/// An entity's document, as JSON, and its terms.
fn entity_entry(entity: &SiteEntity, stop_words: &StopWords) -> (String, SearchTerms) {
    let document = entity_document(entity);
    let mut terms = DocumentTerms::default();
    // Names are indexed whole, stop words included: `US` is a name.
    for name in entity.entity.names() {
        terms.add(name, TITLE_WEIGHT, Words::All, stop_words);
    }
    terms.add(&document.meta, 1, Words::Significant, stop_words);
    for paragraph in &document.paragraphs[1..] {
        terms.add(paragraph, 1, Words::Significant, stop_words);
    }
    (to_json(&document), terms.finish())
}

fn entity_document(entity: &SiteEntity) -> Document {
    let e = &entity.entity;
    Document {
        title: e.name.clone(),
        url: entity_path(entity),
        kind: e.kind.as_str(),
        meta: e.description.clone().unwrap_or_default(),
        // Aliases come first, shown when the search found one, so a reader
        // sees why `HTS` found Hayat Tahrir al-Sham; then the notes.
        paragraphs: std::iter::once(e.aliases.join(" · "))
            .chain(
                plain_text(&e.body_html)
                    .lines()
                    .filter(|line| !line.trim().is_empty())
                    .map(str::to_owned),
            )
            .collect(),
    }
}

/// The text of sanitised HTML, one line per block: tags dropped, the
/// entities the HTML serialiser writes in text decoded.
fn plain_text(html: &str) -> String {
    let text = ammonia::Builder::empty().clean(html).to_string();
    text.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&nbsp;", "\u{a0}")
        .replace("&amp;", "&")
}

fn source_document(source: &SiteSource) -> Document {
    let s = &source.source;
    let date = s.date.as_ref().map(|d| day_month_year(d.value));
    let outlet = s.outlet.as_ref().map(|o| o.value.clone());
    Document {
        title: s.title.value.clone(),
        url: source_path(source),
        kind: "source",
        meta: [date, outlet]
            .into_iter()
            .flatten()
            .collect::<Vec<_>>()
            .join(" · "),
        paragraphs: s.paragraphs.iter().map(|p| p.text.clone()).collect(),
    }
}

/// The index as it is built: postings, and how the browser is to fold
/// queries the same way.
#[derive(Default)]
struct Index {
    postings: Postings,
    folds: BTreeMap<char, String>,
}

impl Index {
    /// Adds the words of `text` to document `id`, each scoring `weight`.
    #[cfg(test)]
    fn add(&mut self, id: usize, text: &str, weight: u32, words: Words, stop_words: &StopWords) {
        let mut terms = DocumentTerms::default();
        terms.add(text, weight, words, stop_words);
        self.insert(id, &terms.finish());
    }

    /// Adds one document's terms as document `id`, which is no lower than
    /// any added before.
    fn insert(&mut self, id: usize, terms: &SearchTerms) {
        let id = u32::try_from(id).expect("fewer than 4 billion documents");
        for (term, score) in terms.iter() {
            let postings = match self.postings.get_mut(term) {
                Some(postings) => postings,
                None => self.postings.entry(term.to_owned()).or_default(),
            };
            match postings.last_mut() {
                Some((last, total)) if *last == id => *total = (*total + score).min(MAX_SCORE),
                _ => postings.push((id, score.min(MAX_SCORE))),
            }
        }
        self.folds.extend(terms.folds().iter().cloned());
    }
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

/// Terms grouped into shards by their first characters.
#[derive(Debug, Default)]
struct Shards<'a> {
    /// Key → its terms, sorted. A key is a term's first two characters, or
    /// more where a shard was split; a split shard's key still holds the
    /// terms no longer than itself (`re` once `re` is split into `rea`…).
    shards: BTreeMap<String, Vec<&'a str>>,
    /// Keys whose shard was split: a query word equal to one is matched
    /// whole, not as a prefix, until more of it is typed.
    split: BTreeSet<String>,
}

impl<'a> Shards<'a> {
    /// Shards of the `encoded` posting lists, each within `budget` bytes
    /// unless a single key must hold more.
    fn new(encoded: &'a BTreeMap<String, String>, budget: usize) -> Shards<'a> {
        let mut shards = Shards::default();
        let terms: Vec<&str> = encoded.keys().map(String::as_str).collect();
        shards.add(&terms, SHARD_KEY_CHARS, encoded, budget);
        shards
    }

    fn add(
        &mut self,
        terms: &[&'a str],
        key_chars: usize,
        encoded: &BTreeMap<String, String>,
        budget: usize,
    ) {
        let mut groups: BTreeMap<String, Vec<&'a str>> = BTreeMap::new();
        for &term in terms {
            let key = term.chars().take(key_chars).collect();
            groups.entry(key).or_default().push(term);
        }
        for (key, group) in groups {
            // A term, its quotes, colon, comma and list.
            let size: usize = group.iter().map(|t| t.len() + encoded[*t].len() + 4).sum();
            let splittable = group.iter().any(|t| t.chars().count() > key_chars);
            if size > budget && splittable && key_chars < MAX_SHARD_KEY_CHARS {
                self.split.insert(key);
                self.add(&group, key_chars + 1, encoded, budget);
            } else {
                self.shards.insert(key, group);
            }
        }
    }
}

/// Documents, as JSON and in id order, grouped into bundles of consecutive
/// ids whose files are at most a budget of bytes each, but for a single
/// document larger than that. A bundle's file is made as soon as the next
/// document would not fit, so the documents are never all held at once.
struct Bundler {
    budget: usize,
    /// The id of the next document.
    next: usize,
    /// The bundle being filled: its first id, its documents and the bytes
    /// of its file.
    start: usize,
    filling: Vec<String>,
    size: usize,
    /// The ids of each bundle made.
    bundles: Vec<Range<usize>>,
}

impl Bundler {
    fn new(budget: usize) -> Self {
        Bundler {
            budget,
            next: 0,
            start: 0,
            filling: Vec::new(),
            size: bundle_call(0).len(),
            bundles: Vec::new(),
        }
    }

    /// Adds the next document; returns the file of the bundle it closed,
    /// if it did not fit in it.
    fn push(&mut self, document: String) -> Option<Page> {
        let id = self.next;
        self.next += 1;
        // The document and the comma after the one before.
        let bytes = document.len() + usize::from(id > self.start);
        let closed = if id > self.start && self.size + bytes > self.budget {
            let page = self.close(id);
            self.size = bundle_call(id).len() + document.len();
            Some(page)
        } else {
            self.size += bytes;
            None
        };
        self.filling.push(document);
        closed
    }

    /// Ends the bundle being filled before id `end`, returning its file.
    fn close(&mut self, end: usize) -> Page {
        let page = bundle_page(self.bundles.len(), self.start, self.filling.drain(..));
        self.bundles.push(self.start..end);
        self.start = end;
        page
    }

    /// The file of the last bundle, if it has documents, and the ids of
    /// every bundle.
    fn finish(mut self) -> (Option<Page>, Vec<Range<usize>>) {
        let last = (self.next > self.start).then(|| self.close(self.next));
        (last, self.bundles)
    }
}

/// The number of documents in each bundle, in the posting encoding: one
/// character per bundle of fewer than 32 documents.
fn encode_bundles(bundles: &[Range<usize>]) -> String {
    let mut encoded = String::new();
    for bundle in bundles {
        push_number(&mut encoded, bundle.len());
    }
    encoded
}

/// The 64 characters of the posting encoding, all safe in a JSON string.
const DIGITS: &[u8; 64] = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz-_";

/// Encodes a posting list as pairs of (document id minus the previous one,
/// score), each number in base 32 with the sixth bit of a character saying
/// another follows, as source maps do. A document in most lists costs two
/// characters: the list of a word found in all of 10,000 documents is 20 kB.
fn encode_postings(postings: &[(u32, u32)]) -> String {
    let mut encoded = String::new();
    let mut previous = 0;
    for &(id, score) in postings {
        push_number(&mut encoded, (id - previous) as usize);
        push_number(&mut encoded, score as usize);
        previous = id;
    }
    encoded
}

fn push_number(encoded: &mut String, mut n: usize) {
    loop {
        let low = n & 31;
        n >>= 5;
        let continued = if n > 0 { 32 } else { 0 };
        encoded.push(DIGITS[low | continued] as char);
        if n == 0 {
            break;
        }
    }
}

#[derive(Serialize)]
struct Manifest<'a> {
    /// Shard keys, sorted.
    shards: Vec<&'a str>,
    /// Shard key → file name, where they differ.
    files: BTreeMap<&'a str, String>,
    /// Keys whose shard was split.
    split: &'a BTreeSet<String>,
    /// How many documents each bundle holds, encoded as postings are: bundle
    /// `n` starts at the sum of the counts before it.
    bundles: String,
    folds: &'a BTreeMap<char, String>,
    /// Sorted.
    #[serde(rename = "stopWords")]
    stop_words: Vec<&'a str>,
}

fn manifest_page(
    shards: &Shards,
    bundles: &[Range<usize>],
    folds: &BTreeMap<char, String>,
    stop_words: &StopWords,
) -> Page {
    let mut stop_words: Vec<&str> = stop_words.iter().map(String::as_str).collect();
    stop_words.sort_unstable();
    let manifest = Manifest {
        shards: shards.shards.keys().map(String::as_str).collect(),
        split: &shards.split,
        files: shards
            .shards
            .keys()
            .map(|key| (key.as_str(), shard_file_name(key)))
            .filter(|(key, file)| key != file)
            .collect(),
        bundles: encode_bundles(bundles),
        folds,
        stop_words,
    };
    script_page(
        format!("{SEARCH_DIR}/index.js"),
        format!("dossierSearch.setup({});\n", to_json(&manifest)),
    )
}

fn shard_page(key: &str, terms: &[&str], encoded: &BTreeMap<String, String>) -> Page {
    let encoded: BTreeMap<&str, &str> = terms
        .iter()
        .map(|&term| (term, encoded[term].as_str()))
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

/// Bundle `n`, holding the `documents` (as JSON) from id `first` on.
fn bundle_page(n: usize, first: usize, documents: impl Iterator<Item = String>) -> Page {
    let call = bundle_call(first);
    let (open, close) = call.split_at(call.len() - BUNDLE_CALL_END.len());
    let mut text = open.to_owned();
    for (i, document) in documents.enumerate() {
        if i > 0 {
            text.push(',');
        }
        text.push_str(&document);
    }
    text.push_str(close);
    script_page(format!("{SEARCH_DIR}/docs/{n}.js"), text)
}

/// The end of a bundle's call, after its documents.
const BUNDLE_CALL_END: &str = "]);\n";

/// A bundle's call with no documents: what a bundle adds to them.
fn bundle_call(first: usize) -> String {
    format!("dossierSearch.addDocuments({first},[{BUNDLE_CALL_END}")
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
    fn postings_are_delta_encoded_with_continuation_bits() {
        let postings = [(3, 40), (50, 1)];
        // 3 → `3`; 40 = 8 + 1·32 → `e` (8 and the continuation bit) then
        // `1`; 50 - 3 = 47 → `l1`; 1 → `1`.
        assert_eq!(encode_postings(&postings), "3e1l11");
    }

    #[test]
    fn scores_add_up_and_stop_words_are_left_out() {
        let stop_words = &stop_words("en");
        let mut index = Index::default();
        index.add(
            0,
            "Peskov said the Kremlin",
            TITLE_WEIGHT,
            Words::Significant,
            stop_words,
        );
        index.add(0, "and Peskov", 1, Words::Significant, stop_words);
        index.add(1, "The Hague", TITLE_WEIGHT, Words::All, stop_words);
        assert_eq!(index.postings["peskov"], [(0, TITLE_WEIGHT + 1)]);
        assert!(!index.postings.contains_key("and"));
        assert_eq!(index.postings["the"], [(1, TITLE_WEIGHT)]);
    }

    #[test]
    fn shards_over_the_budget_are_split_by_one_more_character() {
        let encoded: BTreeMap<String, String> = ["re", "reap", "rebel", "rebels", "red", "peskov"]
            .iter()
            .map(|t| (t.to_string(), "x".repeat(10)))
            .collect();
        let shards = Shards::new(&encoded, 40);
        let keys: Vec<&str> = shards.shards.keys().map(String::as_str).collect();
        assert_eq!(keys, ["pe", "re", "rea", "reb", "red"]);
        assert_eq!(shards.shards["re"], ["re"]);
        assert_eq!(shards.shards["reb"], ["rebel", "rebels"]);
        assert_eq!(shards.split.iter().collect::<Vec<_>>(), ["re"]);
        assert!(Shards::new(&encoded, 1 << 20).split.is_empty());
    }

    /// Numbers in the posting encoding, decoded as `search.js` does.
    fn decode_numbers(encoded: &str) -> Vec<usize> {
        let mut numbers = Vec::new();
        let (mut n, mut scale) = (0, 1);
        for c in encoded.bytes() {
            let v = DIGITS.iter().position(|&d| d == c).unwrap();
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
    fn bundles_are_bounded_and_every_document_is_in_exactly_one() {
        // Documents of varied sizes, two of them larger than the budget.
        let budget = 1000;
        let sizes = (0..500).map(|i| match i {
            7 | 300 => 5000,
            _ => 20 + (i * 37) % 400,
        });
        let documents: Vec<String> = sizes.map(|n| "x".repeat(n)).collect();
        let (pages, bundles) = bundle_all(&documents, budget);
        assert!(bundles.len() < documents.len() / 2, "{}", bundles.len());
        assert_eq!(pages.len(), bundles.len());
        for (n, bundle) in bundles.iter().enumerate() {
            assert!(!bundle.is_empty());
            let bundled = documents[bundle.clone()].iter().cloned();
            let page = bundle_page(n, bundle.start, bundled);
            assert_eq!(pages[n], page, "bundle {n} as it was made");
            let bytes = page.bytes.len();
            assert!(
                bytes <= budget || bundle.len() == 1,
                "{bundle:?}: {bytes} bytes"
            );
            // Full: the next document would not have fitted.
            if let Some(next) = documents.get(bundle.end) {
                assert!(
                    bytes + 1 + next.len() > budget,
                    "{bundle:?} could hold more"
                );
            }
        }
        assert_eq!(bundles[bundles.len() - 1].end, documents.len());
        // What the browser knows: the counts in the manifest, from which it
        // finds the bundle of a document by binary search.
        let mut starts = vec![0];
        for count in decode_numbers(&encode_bundles(&bundles)) {
            starts.push(starts[starts.len() - 1] + count);
        }
        assert_eq!(starts.pop(), Some(documents.len()));
        for id in 0..documents.len() {
            let holding: Vec<usize> = (0..bundles.len())
                .filter(|&n| bundles[n].contains(&id))
                .collect();
            assert_eq!(holding.len(), 1, "document {id} in bundles {holding:?}");
            let found = starts.partition_point(|&start| start <= id) - 1;
            assert_eq!(found, holding[0], "document {id}");
        }
        assert!(bundles.contains(&(7..8)) && bundles.contains(&(300..301)));
        assert_eq!(bundle_all(&[], budget), (Vec::new(), Vec::new()));
    }

    /// The bundles' files, made as the documents are added, and their ids.
    fn bundle_all(documents: &[String], budget: usize) -> (Vec<Page>, Vec<Range<usize>>) {
        let mut bundler = Bundler::new(budget);
        let mut pages: Vec<Page> = (documents.iter())
            .filter_map(|document| bundler.push(document.clone()))
            .collect();
        let (last, bundles) = bundler.finish();
        pages.extend(last);
        (pages, bundles)
    }

    #[test]
    fn a_bundle_is_one_call_with_its_first_id() {
        let documents = ["{\"b\":2}".to_owned(), "{}".to_owned()];
        let page = bundle_page(4, 1, documents.into_iter());
        assert_eq!(page.path, "search/docs/4.js");
        assert_eq!(
            String::from_utf8(page.bytes).unwrap(),
            "dossierSearch.addDocuments(1,[{\"b\":2},{}]);\n"
        );
    }

    #[test]
    fn plain_text_drops_tags_and_decodes_text() {
        assert_eq!(
            plain_text("<p>The <em>Kremlin</em> &amp; Peskov&lt;</p>\n<ul><li>one</li></ul>"),
            "The Kremlin & Peskov<\none"
        );
    }

    #[test]
    fn shard_names_are_ascii() {
        assert_eq!(shard_file_name("pe"), "pe");
        assert_eq!(shard_file_name("بش"), "_628_634");
    }
}
