//! Shared passages: text that two or more sources carry verbatim or nearly
//! (wire copy, a statement quoted at length, a paraphrase that keeps most
//! words).
//!
//! Sources are never compared in full, pair by pair. Each paragraph arrives
//! with its winnowed fingerprints (`analysis::shingles`); an inverted index
//! from fingerprint to paragraphs yields the candidate pairs, and only those
//! are compared word by word. A fingerprint held by many paragraphs links
//! each of them to the first only, so a wire story reprinted a thousand times
//! costs a thousand comparisons, not half a million. Fingerprints that recur
//! across many sources of one outlet, or across a large share of the whole
//! dossier, are boilerplate (footers, "Related Stories") and never make a
//! passage, unless the paragraphs holding them are long, of several outlets,
//! and mostly the same text: wire copy an outlet ran more than once.
//!
//! Verification finds the common runs of words of two paragraphs, joins runs
//! separated by small edits into one match, and keeps a match long and dense
//! enough to be the same text. Matches that overlap in a paragraph are merged
//! into one occurrence; occurrences joined by matches form one passage.
//!
//! A paragraph in many candidate pairs is read once: its words are numbered
//! (equal words, equal numbers) and its shingles hashed and sorted, so a pair
//! costs a merge of two sorted lists and comparisons of integers, with
//! buffers reused from pair to pair.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::Path;
use std::sync::LazyLock;

use rayon::prelude::*;
use serde::Serialize;

use crate::analysis::shingles::{self, FnvHashSet, Word, SHINGLE_WORDS};
use crate::analysis::ParagraphPrint;
use crate::cache::{AlignmentMemo, Key, TextPair};

use super::corroboration::{chronological_ranks, SourceClusters};
use super::SiteSource;

mod update;

/// A shared passage must have at least this many words in common.
pub const MIN_PASSAGE_WORDS: usize = 8;
/// Words a match may skip on either side between two common runs (a changed
/// name, a dropped clause) and still be one passage.
const MAX_GAP_WORDS: usize = 8;
/// A near match keeps at least this share (percent) of its longer side.
const MIN_DENSITY_PERCENT: usize = 55;
/// A fingerprint held by more paragraphs than this links each of them to the
/// first one only, instead of to every other.
const MAX_PAIRWISE_POSTINGS: usize = 48;
/// Text in this many sources of one outlet is that outlet's boilerplate.
pub const OUTLET_BOILERPLATE_SOURCES: usize = 3;
/// Text in this many sources, and in at least [`CORPUS_BOILERPLATE_PERCENT`]
/// of all sources, is boilerplate whatever the outlets.
pub const CORPUS_BOILERPLATE_SOURCES: usize = 10;
pub const CORPUS_BOILERPLATE_PERCENT: usize = 20;

/// What the passage finder needs of one source.
#[derive(Debug, Clone)]
pub struct PassageSource<'a> {
    pub outlet: Option<&'a str>,
    /// Position in time: lower is earlier (undated sources last, ties by
    /// slug). The earliest occurrence gives a passage its text.
    pub rank: usize,
    pub texts: Vec<&'a str>,
    pub prints: &'a [ParagraphPrint],
}

/// Whether the sources share the words exactly or with small edits.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum PassageKind {
    Verbatim,
    Near,
}

/// Where a passage stands in one paragraph.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct Occurrence {
    pub source: usize,
    /// Paragraph index in the source (0-based).
    pub paragraph: usize,
    /// Byte range in the paragraph's text.
    pub start: usize,
    pub end: usize,
    pub words: usize,
}

/// A passage shared by two or more sources.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SharedPassage {
    /// By source, paragraph, position.
    pub occurrences: Vec<Occurrence>,
    /// The passage as the earliest source words it.
    pub text: String,
    pub kind: PassageKind,
    /// The most words any two occurrences have in common.
    pub common_words: usize,
    /// How many distinct sources carry it.
    pub source_count: usize,
    /// Indices in `occurrences`, the earliest source's first: pages list
    /// the earliest few of thousands without sorting them each time.
    pub in_time: Vec<u32>,
}

impl SharedPassage {
    /// Index in `occurrences` of the earliest source's.
    pub fn first(&self) -> usize {
        self.in_time[0] as usize
    }

    /// The distinct sources carrying it, in index order.
    pub fn sources(&self) -> Vec<usize> {
        let mut sources: Vec<usize> = self.occurrences.iter().map(|o| o.source).collect();
        sources.dedup();
        sources
    }

    /// How many distinct sources carry it: occurrences come by source.
    pub fn count_sources(occurrences: &[Occurrence]) -> usize {
        occurrences.chunk_by(|a, b| a.source == b.source).count()
    }

    /// The occurrences in source `source`, found by halving.
    pub fn occurrences_of(&self, source: usize) -> &[Occurrence] {
        let from = (self.occurrences).partition_point(|o| o.source < source);
        let to = (self.occurrences).partition_point(|o| o.source <= source);
        &self.occurrences[from..to]
    }

    /// The occurrences in paragraph `paragraph` of source `source`, found
    /// by halving: a page marks each of its paragraphs, and wire copy can
    /// stand in thousands.
    pub fn occurrences_in(&self, source: usize, paragraph: usize) -> &[Occurrence] {
        let place = |o: &Occurrence| (o.source, o.paragraph);
        let from = (self.occurrences).partition_point(|o| place(o) < (source, paragraph));
        let to = (self.occurrences).partition_point(|o| place(o) <= (source, paragraph));
        &self.occurrences[from..to]
    }
}

/// How much work finding passages took: the evidence that it stays close to
/// linear in the number of paragraphs.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct PassageStats {
    pub paragraphs: usize,
    pub fingerprints: usize,
    /// Distinct paragraph pairs compared word by word.
    pub candidate_pairs: usize,
    /// Pairs that share a passage.
    pub matched_pairs: usize,
    pub boilerplate_fingerprints: usize,
}

/// Every shared passage of the dossier, and the boilerplate left out.
#[derive(Debug, Clone, Default)]
pub struct Passages {
    /// Most sources first, then longest, then earliest.
    pub passages: Vec<SharedPassage>,
    /// For each (source, paragraph), the passages it takes part in.
    pub by_paragraph: BTreeMap<(usize, usize), Vec<usize>>,
    /// Paragraphs recognised as boilerplate: (source, paragraph).
    pub boilerplate: BTreeSet<(usize, usize)>,
    pub stats: PassageStats,
}

impl Passages {
    /// Passages of one source, in order of their first paragraph there.
    pub fn of_source(&self, source: usize) -> Vec<usize> {
        let mut seen = BTreeSet::new();
        self.by_paragraph
            .range((source, 0)..(source + 1, 0))
            .flat_map(|(_, list)| list.iter().copied())
            .filter(|&p| seen.insert(p))
            .collect()
    }
}

/// What the build cache knows of the source files, for updating the last
/// build's passages.
pub trait SourceHistory: Sync {
    /// The key of the file at `path` as read this build: equal keys, equal
    /// bytes.
    fn key(&self, path: &Path) -> Option<Key>;
    /// The fingerprints of the paragraphs of the file at `path` when its key
    /// was `key`, if the cache still holds them.
    fn prints(&self, path: &Path, key: Key) -> Option<Vec<ParagraphPrint>>;
}

/// Finds the passages the site's sources share, and the clusters of sources
/// they join: by updating what the last build found, when only a few
/// sources changed since, or else by searching the whole dossier.
pub fn link_sources(
    sources: &[SiteSource],
    memo: &AlignmentMemo,
    history: &dyn SourceHistory,
) -> (Passages, SourceClusters) {
    let dates_and_slugs: Vec<_> = sources
        .iter()
        .map(|s| (s.source.date.as_ref().map(|d| d.value), s.slug.as_str()))
        .collect();
    let ranks = chronological_ranks(&dates_and_slugs);
    let inputs: Vec<PassageSource<'_>> = sources
        .iter()
        .zip(&ranks)
        .map(|(s, &rank)| PassageSource {
            outlet: s
                .source
                .outlet
                .as_ref()
                .map(|o| o.value.as_str())
                .or_else(|| s.source.url.as_deref().map(host)),
            rank,
            texts: s
                .source
                .paragraphs
                .iter()
                .map(|p| p.text.as_str())
                .collect(),
            prints: &s.analysis.prints,
        })
        .collect();
    let keys: Option<Vec<Key>> = (memo.is_enabled())
        .then(|| {
            sources
                .iter()
                .map(|s| history.key(&s.source.path))
                .collect()
        })
        .flatten();
    let updated = keys
        .as_deref()
        .zip(memo.previous_state())
        .and_then(|(keys, previous)| {
            let last_prints = |source: usize| {
                history.prints(&sources[source].source.path, previous.sources[source])
            };
            update::update(&inputs, keys, previous, last_prints, memo)
        });
    let was_updated = updated.is_some();
    let (passages, mut state) = updated.unwrap_or_else(|| find_all(&inputs, memo));
    if let Some(keys) = keys {
        state.sources = keys;
        memo.record_state(state, was_updated);
    }
    let clusters = SourceClusters::new(ranks, &passages.passages);
    (passages, clusters)
}

/// The host of an http(s) URL: where a source without a named outlet was
/// published, which is what its boilerplate has in common.
fn host(url: &str) -> &str {
    let rest = url.split_once("://").map_or(url, |(_, rest)| rest);
    let end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    rest[..end].trim_start_matches("www.")
}

/// A paragraph, as (source, paragraph) packed for the index.
pub type ParagraphId = (u32, u32);

/// What a search for passages leaves for the next build, which updates it
/// when a few sources changed instead of searching the whole dossier again
/// (see [`update`]).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PassageState {
    /// Each source's key, in order (the cache's key of its file, which
    /// settles its outlet, texts and fingerprints).
    pub sources: Vec<Key>,
    /// The boilerplate fingerprints, sorted.
    pub boilerplate: Vec<u64>,
    /// The candidate pairs, sorted.
    pub pairs: Vec<(ParagraphId, ParagraphId)>,
    /// The matches that are not boilerplate, in the order of their pairs.
    pub matches: Vec<PairMatch>,
    /// Distinct fingerprints of the whole dossier.
    pub fingerprints: usize,
}

/// Finds the passages the sources share.
pub fn find(sources: &[PassageSource<'_>], memo: &AlignmentMemo) -> Passages {
    find_all(sources, memo).0
}

/// Finds the passages the sources share, searching the whole dossier, with
/// what the next build needs to update them (all but its sources' keys).
fn find_all(sources: &[PassageSource<'_>], memo: &AlignmentMemo) -> (Passages, PassageState) {
    let postings = index(sources);
    let fingerprints = postings.runs().count();
    let boilerplate = boilerplate_fingerprints(sources, &postings);
    let pairs = candidate_pairs(&postings, &boilerplate);
    // Not needed again: freed before the words of the pairs are read.
    drop(postings);
    let matches = compare(sources, &pairs, &boilerplate, memo, true);
    conclude(sources, &boilerplate, (pairs, matches), fingerprints)
}

/// The passages a search's matches make, and the state it leaves (all but
/// its sources' keys): its boilerplate, candidate pairs, matches and count
/// of fingerprints.
fn conclude(
    sources: &[PassageSource<'_>],
    boilerplate: &FnvHashSet<u64>,
    (pairs, matches): (Vec<(ParagraphId, ParagraphId)>, Vec<PairMatch>),
    fingerprints: usize,
) -> (Passages, PassageState) {
    let mut sorted: Vec<u64> = boilerplate.iter().copied().collect();
    sorted.par_sort_unstable();
    let state = PassageState {
        sources: Vec::new(),
        boilerplate: sorted,
        pairs,
        matches,
        fingerprints,
    };
    let passages = assemble(sources, &state, boilerplate);
    (passages, state)
}

/// Compares each candidate pair word by word and keeps the matches that are
/// not boilerplate, in pair order. With
/// `record`, what each pair of texts gave is kept for the next build.
fn compare<'s>(
    sources: &[PassageSource<'s>],
    pairs: &[(ParagraphId, ParagraphId)],
    boilerplate: &FnvHashSet<u64>,
    memo: &AlignmentMemo,
    record: bool,
) -> Vec<PairMatch> {
    // What the last build found for the same two texts, if it compared
    // them: only the other pairs are compared, and words are read for
    // those alone; boilerplate is told from the fingerprints alone.
    let text_pairs = memo.is_enabled().then(|| text_pairs(sources, pairs));
    let known = text_pairs
        .as_deref()
        .map(|t| memo.find(t))
        .unwrap_or_default();
    let known = |pair: usize| text_pairs.as_ref().and_then(|t| known.get(&t[pair]));
    let mut needed: Vec<ParagraphId> = (pairs.iter().enumerate())
        .filter(|&(pair, _)| known(pair).is_none())
        .flat_map(|(_, &(a, b))| [a, b])
        .collect();
    needed.par_sort_unstable();
    needed.dedup();
    let words = ComparedParagraphs::read(sources, needed);
    let aligned: Vec<Vec<Alignment>> = (pairs.par_iter().enumerate())
        .map_init(Scratch::default, |scratch, (pair, &(a, b))| {
            match known(pair) {
                Some(found) => found.clone(),
                None => align_paragraphs(words.get(a), words.get(b), scratch),
            }
        })
        .collect();
    let matches: Vec<PairMatch> = pairs
        .par_iter()
        .zip(&aligned)
        .flat_map_iter(|(&(a, b), found)| {
            let (a_print, b_print) = (print_of(sources, a), print_of(sources, b));
            found
                .iter()
                .filter(move |m| {
                    let held = a_print.within(m.a).chain(b_print.within(m.b));
                    !is_boilerplate(held, boilerplate)
                })
                .map(move |&found| PairMatch { a, b, found })
        })
        .collect();
    if let (Some(text_pairs), true) = (text_pairs, record) {
        memo.record(text_pairs.into_iter().zip(aligned).collect());
    }
    matches
}

/// The passages the matches of a search (`state`, its boilerplate also as
/// the set `boilerplate`) make, with the paragraphs left out as
/// boilerplate.
fn assemble(
    sources: &[PassageSource<'_>],
    state: &PassageState,
    boilerplate: &FnvHashSet<u64>,
) -> Passages {
    let matches = &state.matches;
    let stats = PassageStats {
        paragraphs: sources.iter().map(|s| s.texts.len()).sum(),
        fingerprints: state.fingerprints,
        candidate_pairs: state.pairs.len(),
        matched_pairs: (matches.iter().map(|m| (m.a, m.b)))
            .collect::<BTreeSet<_>>()
            .len(),
        boilerplate_fingerprints: state.boilerplate.len(),
    };

    let passages = group(sources, matches);
    let mut by_paragraph: BTreeMap<(usize, usize), Vec<usize>> = BTreeMap::new();
    for (number, passage) in passages.iter().enumerate() {
        for occurrence in &passage.occurrences {
            let list = by_paragraph
                .entry((occurrence.source, occurrence.paragraph))
                .or_default();
            if !list.contains(&number) {
                list.push(number);
            }
        }
    }
    Passages {
        passages,
        by_paragraph,
        boilerplate: boilerplate_paragraphs(sources, boilerplate),
        stats,
    }
}

/// The keys of the texts of each pair.
fn text_pairs(
    sources: &[PassageSource<'_>],
    pairs: &[(ParagraphId, ParagraphId)],
) -> Vec<TextPair> {
    let mut ids: Vec<ParagraphId> = pairs.iter().flat_map(|&(a, b)| [a, b]).collect();
    ids.par_sort_unstable();
    ids.dedup();
    let keys: Vec<Key> = ids
        .par_iter()
        .map(|&id| Key::combine(&[text_of(sources, id).as_bytes()]))
        .collect();
    let key = |id| {
        keys[ids
            .binary_search(&id)
            .expect("every paragraph of a pair is keyed")]
    };
    pairs.par_iter().map(|&(a, b)| (key(a), key(b))).collect()
}

fn text_of<'a>(sources: &[PassageSource<'a>], (source, paragraph): ParagraphId) -> &'a str {
    sources[source as usize].texts[paragraph as usize]
}

fn print_of<'a>(
    sources: &[PassageSource<'a>],
    (source, paragraph): ParagraphId,
) -> &'a ParagraphPrint {
    &sources[source as usize].prints[paragraph as usize]
}

/// The inverted index: every (fingerprint, paragraph) sorted, so the
/// paragraphs holding a fingerprint are one run, in source and paragraph
/// order. A flat sorted list is far lighter than a map of lists at millions
/// of fingerprints. Fingerprints are hashes, spread evenly: the list is kept
/// in buckets by their top bits, each small enough to sort in the
/// processor's cache, all filled and sorted in parallel. One sort of the
/// whole list took as long as finding every pair of paragraphs from it.
struct Postings {
    buckets: Vec<Vec<(u64, ParagraphId)>>,
}

/// Buckets of the index: 2 to the power of this.
const BUCKET_BITS: u32 = 10;
/// Sources whose fingerprints are dealt into buckets at a time.
const SOURCES_DEALT: usize = 256;

impl Postings {
    /// The postings of `sources`, or of any list of (fingerprint, paragraph)
    /// given source by source in order.
    fn new<'s, T: Sync>(
        sources: &'s [T],
        entries_of: impl Fn(u32, &'s T) -> Vec<(u64, ParagraphId)> + Sync,
    ) -> Self {
        let bucket = |fingerprint: u64| (fingerprint >> (u64::BITS - BUCKET_BITS)) as usize;
        let dealt: Vec<Vec<Vec<(u64, ParagraphId)>>> = (sources.par_chunks(SOURCES_DEALT))
            .enumerate()
            .map(|(chunk, chunk_sources)| {
                let mut buckets = vec![Vec::new(); 1 << BUCKET_BITS];
                for (s, source) in (0u32..).zip(chunk_sources) {
                    let s = (chunk * SOURCES_DEALT) as u32 + s;
                    for entry in entries_of(s, source) {
                        buckets[bucket(entry.0)].push(entry);
                    }
                }
                buckets
            })
            .collect();
        // Each bucket gathers its part of every chunk, in source order,
        // freeing the parts as it goes: the index is held once, not twice.
        let mut parts: Vec<Vec<Vec<(u64, ParagraphId)>>> = (0..1 << BUCKET_BITS)
            .map(|_| Vec::with_capacity(dealt.len()))
            .collect();
        for chunk in dealt {
            for (bucket, part) in parts.iter_mut().zip(chunk) {
                bucket.push(part);
            }
        }
        let buckets = (parts.into_par_iter())
            .map(|parts| {
                let mut entries = Vec::with_capacity(parts.iter().map(Vec::len).sum());
                for part in parts {
                    entries.extend(part);
                }
                entries.sort_unstable();
                entries
            })
            .collect();
        Postings { buckets }
    }

    /// The entries of each fingerprint: one run per fingerprint.
    fn runs(&self) -> impl Iterator<Item = &[(u64, ParagraphId)]> + '_ {
        (self.buckets.iter()).flat_map(|bucket| bucket.chunk_by(|a, b| a.0 == b.0))
    }

    /// Each fingerprint with the paragraphs holding it, in parallel.
    fn groups(&self) -> impl ParallelIterator<Item = (u64, Vec<ParagraphId>)> + '_ {
        (self.buckets.par_iter())
            .flat_map_iter(|bucket| bucket.chunk_by(|a, b| a.0 == b.0))
            .map(|run| (run[0].0, run.iter().map(|&(_, id)| id).collect()))
    }
}

fn index(sources: &[PassageSource<'_>]) -> Postings {
    Postings::new(sources, |s, source| {
        (0u32..)
            .zip(source.prints)
            .flat_map(|(p, print)| print.fingerprints.iter().map(move |&f| (f, (s, p))))
            .collect()
    })
}

/// Paragraphs with at most this many fingerprints (about twenty words) are
/// short enough to be a footer or a "Related Stories" line.
const SHORT_PARAGRAPH_PRINTS: usize = 14;

/// Whether text held by `holders` (distinct sources) is boilerplate: in
/// enough sources of one known outlet, or, for short lines only, in a large
/// share of all sources. A long paragraph that many sources carry is wire
/// copy reprinted widely, which is what a reader wants to see, not hide.
fn is_frequent(sources: &[PassageSource<'_>], holders: &BTreeSet<u32>, short: bool) -> bool {
    let corpus_threshold =
        CORPUS_BOILERPLATE_SOURCES.max(sources.len() * CORPUS_BOILERPLATE_PERCENT / 100);
    if short && holders.len() >= corpus_threshold {
        return true;
    }
    if holders.len() < OUTLET_BOILERPLATE_SOURCES {
        return false;
    }
    let mut per_outlet: HashMap<&str, usize> = HashMap::new();
    holders
        .iter()
        .filter_map(|&s| sources[s as usize].outlet)
        .any(|outlet| {
            let count = per_outlet.entry(outlet).or_insert(0);
            *count += 1;
            *count >= OUTLET_BOILERPLATE_SOURCES
        })
}

fn boilerplate_fingerprints(sources: &[PassageSource<'_>], postings: &Postings) -> FnvHashSet<u64> {
    postings
        .groups()
        .filter(|(_, holders)| is_boilerplate_fingerprint(sources, holders))
        .map(|(fingerprint, _)| fingerprint)
        .collect()
}

/// Whether a fingerprint held by the paragraphs `holders` (in order) is
/// boilerplate.
///
/// Text that one outlet repeats in three sources or more is that outlet's
/// boilerplate when it is a short line, or when nearly all of it is that
/// outlet's. A long paragraph that other outlets carry too is wire copy an
/// outlet ran more than once if the paragraphs holding it share most of
/// their text; if they share little beyond it, it is a stock phrase, left
/// out like boilerplate.
fn is_boilerplate_fingerprint(sources: &[PassageSource<'_>], holders: &[ParagraphId]) -> bool {
    let fewest = OUTLET_BOILERPLATE_SOURCES.min(CORPUS_BOILERPLATE_SOURCES);
    if holders.len() < fewest {
        return false;
    }
    let sources_holding: BTreeSet<u32> = holders.iter().map(|&(s, _)| s).collect();
    let print = |&(s, p): &ParagraphId| &sources[s as usize].prints[p as usize].fingerprints;
    let mut lengths: Vec<usize> = holders.iter().map(|id| print(id).len()).collect();
    lengths.sort_unstable();
    let short = lengths[lengths.len() / 2] <= SHORT_PARAGRAPH_PRINTS;
    if !is_frequent(sources, &sources_holding, short) {
        return false;
    }
    if short || one_outlet_holds_nearly_all(sources, &sources_holding) {
        return true;
    }
    !shared_at_length(holders, print)
}

/// Whether one outlet has nine in ten of the sources `holding` a text: a
/// footer that a partner reprinted once with an article is still a footer.
fn one_outlet_holds_nearly_all(sources: &[PassageSource<'_>], holding: &BTreeSet<u32>) -> bool {
    let mut per_outlet: HashMap<&str, usize> = HashMap::new();
    for outlet in holding.iter().filter_map(|&s| sources[s as usize].outlet) {
        *per_outlet.entry(outlet).or_insert(0) += 1;
    }
    per_outlet
        .values()
        .any(|&count| count * 10 >= holding.len() * 9)
}

/// Paragraphs compared to tell wire copy from a stock phrase.
const PARAGRAPHS_SAMPLED: usize = 9;

/// Whether the paragraphs holding a fingerprint share most of their
/// fingerprints, as reprints of one text do: judged on a few of them, spread
/// evenly over the list (the first few could all be reprints of one story
/// that uses a stock phrase), each pair of neighbours of two sources.
fn shared_at_length<'a>(
    holders: &[ParagraphId],
    print: impl Fn(&ParagraphId) -> &'a Vec<u64>,
) -> bool {
    let sampled = PARAGRAPHS_SAMPLED.min(holders.len());
    let picked: Vec<&ParagraphId> = (0..sampled)
        .map(|i| &holders[i * holders.len() / sampled])
        .collect();
    let pairs = picked.windows(2).filter(|pair| pair[0].0 != pair[1].0);
    let (mut compared, mut alike) = (0, 0);
    for pair in pairs {
        compared += 1;
        alike += usize::from(mostly_common(print(pair[0]), print(pair[1])));
    }
    compared > 0 && alike * 2 > compared
}

/// Whether two sorted lists have in common more than half of the shorter.
fn mostly_common(a: &[u64], b: &[u64]) -> bool {
    let (mut i, mut j, mut common) = (0, 0, 0);
    while i < a.len() && j < b.len() {
        match a[i].cmp(&b[j]) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                common += 1;
                i += 1;
                j += 1;
            }
        }
    }
    common * 2 > a.len().min(b.len())
}

/// A stretch of words (given by the fingerprints chosen within it) is
/// boilerplate when most of them are.
fn is_boilerplate(fingerprints: impl Iterator<Item = u64>, boilerplate: &FnvHashSet<u64>) -> bool {
    let (mut held, mut frequent) = (0, 0);
    for fingerprint in fingerprints {
        held += 1;
        frequent += usize::from(boilerplate.contains(&fingerprint));
    }
    held > 0 && frequent * 2 >= held
}

/// Paragraphs made of boilerplate: most of their fingerprints are, or, for
/// lines too short to have any ("Comments", "Related Stories:"), the same
/// words recur as often as boilerplate does.
fn boilerplate_paragraphs(
    sources: &[PassageSource<'_>],
    boilerplate: &FnvHashSet<u64>,
) -> BTreeSet<(usize, usize)> {
    // A paragraph with fingerprints is judged on its own, so sources are
    // read in parallel; short lines are gathered to be counted across them.
    let judged: Vec<_> = (sources.par_iter().enumerate())
        .map(|(s, source)| {
            let (mut found, mut short_lines) = (Vec::new(), Vec::new());
            for (p, print) in source.prints.iter().enumerate() {
                let prints = &print.fingerprints;
                if prints.is_empty() {
                    let key: Vec<String> = shingles::words(source.texts[p])
                        .into_iter()
                        .map(|w| w.key)
                        .collect();
                    if !key.is_empty() {
                        short_lines.push((key.join(" "), (s, p)));
                    }
                } else if prints.iter().filter(|f| boilerplate.contains(f)).count() * 2
                    >= prints.len()
                {
                    found.push((s, p));
                }
            }
            (found, short_lines)
        })
        .collect();
    let mut found = BTreeSet::new();
    let mut short_lines: BTreeMap<String, Vec<(usize, usize)>> = BTreeMap::new();
    for (paragraphs, lines) in judged {
        found.extend(paragraphs);
        for (key, place) in lines {
            short_lines.entry(key).or_default().push(place);
        }
    }
    for places in short_lines.values() {
        let holders: BTreeSet<u32> = places.iter().map(|&(s, _)| s as u32).collect();
        // Lines too short to fingerprint are short by definition.
        if is_frequent(sources, &holders, true) {
            found.extend(places.iter().copied());
        }
    }
    found
}

/// The paragraph pairs (of different sources) sharing a fingerprint that is
/// not boilerplate, each once, in order.
fn candidate_pairs(
    postings: &Postings,
    boilerplate: &FnvHashSet<u64>,
) -> Vec<(ParagraphId, ParagraphId)> {
    let mut pairs: Vec<(ParagraphId, ParagraphId)> = postings
        .groups()
        .filter(|(fingerprint, holders)| holders.len() >= 2 && !boilerplate.contains(fingerprint))
        .flat_map_iter(|(_, holders)| pairs_holding(&holders))
        .collect();
    pairs.par_sort_unstable();
    pairs.dedup();
    pairs
}

/// The pairs of paragraphs (of different sources) that one fingerprint
/// links.
fn pairs_holding(holders: &[ParagraphId]) -> Vec<(ParagraphId, ParagraphId)> {
    let mut pairs = Vec::new();
    if holders.len() > MAX_PAIRWISE_POSTINGS {
        let first = holders[0];
        for &other in &holders[1..] {
            if other.0 != first.0 {
                pairs.push((first, other));
            }
        }
        return pairs;
    }
    for (i, &a) in holders.iter().enumerate() {
        for &b in &holders[i + 1..] {
            if a.0 != b.0 {
                pairs.push((a, b));
            }
        }
    }
    pairs
}

/// A word as a number: the 64-bit hash of its key, so two words of the
/// compared paragraphs are the same word when their ids are equal. (That
/// two of a hundred thousand distinct words share a hash is a chance of
/// about one in four billion.) A hash needs no vocabulary shared between
/// threads: paragraphs are numbered in parallel.
type WordId = u64;

fn word_id(key: &str) -> WordId {
    xxhash_rust::xxh3::xxh3_64(key.as_bytes())
}

fn is_function_word(id: WordId) -> bool {
    static FUNCTION_IDS: LazyLock<FnvHashSet<WordId>> =
        LazyLock::new(|| FUNCTION_WORDS.iter().map(|word| word_id(word)).collect());
    FUNCTION_IDS.contains(&id)
}

/// The keys of a paragraph's words end to end: one allocation per
/// paragraph instead of one per word.
#[derive(Debug, Default)]
struct Keys {
    text: String,
    ends: Vec<usize>,
}

impl Keys {
    fn push(&mut self, key: &str) {
        self.text.push_str(key);
        self.ends.push(self.text.len());
    }

    fn len(&self) -> usize {
        self.ends.len()
    }

    fn get(&self, word: usize) -> &str {
        let start = word.checked_sub(1).map_or(0, |before| self.ends[before]);
        &self.text[start..self.ends[word]]
    }
}

/// A byte range of a paragraph's text in 32 bits.
/// The byte range of each word of `text`, as [`ParagraphWords`] numbers
/// them.
/// Words `start..end` of a paragraph (given by their `spans` in `text`),
/// less a first or last word that is only part of one as the text writes
/// it: the `s` of `Agency’s`, the `al` of `al-Sham`. A passage then starts
/// and ends where a reader's words do.
fn whole_words(text: &str, spans: &[(usize, usize)], start: usize, end: usize) -> (usize, usize) {
    let joined = |left: usize, right: usize| {
        !text[spans[left].1..spans[right].0].contains(char::is_whitespace)
    };
    let (mut start, mut end) = (start, end);
    while end - start > 1 && start > 0 && joined(start - 1, start) {
        start += 1;
    }
    while end - start > 1 && end < spans.len() && joined(end - 1, end) {
        end -= 1;
    }
    (start, end)
}

fn word_spans(text: &str) -> Vec<(usize, usize)> {
    let mut spans = Vec::new();
    shingles::for_each_word(text, |_, start, end| spans.push((start, end)));
    spans
}

/// One paragraph's words, prepared once for every pair it takes part in.
#[derive(Debug)]
struct ParagraphWords {
    /// The words, by [`word_id`]. Where each lies in the text is not
    /// kept: the words of every compared paragraph are held at once, and
    /// only the few paragraphs of passages need it, found again then.
    ids: Vec<WordId>,
    /// Each shingle (hashed as `shingles::shingle_hashes` does, so as the
    /// fingerprints are) as its hash's low 32 bits above its position, sorted:
    /// the shingles two paragraphs share come from merging their lists.
    /// Half a hash is enough to find candidates, since every one is checked
    /// word by word, and halves the memory a merge reads.
    sorted_shingles: Vec<u64>,
}

impl ParagraphWords {
    fn read(text: &str) -> Self {
        let mut keys = Keys {
            text: String::with_capacity(text.len()),
            ends: Vec::new(),
        };
        shingles::for_each_word(text, |key, _, _| keys.push(key));
        Self::prepare(keys)
    }

    /// Numbers the words given by their keys, and hashes their shingles.
    fn prepare(keys: Keys) -> Self {
        let shingle_count = keys.len().saturating_sub(SHINGLE_WORDS - 1);
        let shingles: Vec<u64> = (0..shingle_count)
            .map(|first| {
                shingles::shingle_hash((first..first + SHINGLE_WORDS).map(|w| keys.get(w)))
            })
            .collect();
        let mut sorted_shingles: Vec<u64> = (0u32..)
            .zip(&shingles)
            .map(|(position, &hash)| (hash << 32) | u64::from(position))
            .collect();
        sorted_shingles.sort_unstable();
        ParagraphWords {
            ids: (0..keys.len()).map(|w| word_id(keys.get(w))).collect(),
            sorted_shingles,
        }
    }
}

/// The words of every paragraph that takes part in a candidate pair.
struct ComparedParagraphs {
    /// Sorted, for looking a paragraph up.
    ids: Vec<ParagraphId>,
    words: Vec<ParagraphWords>,
}

impl ComparedParagraphs {
    /// Reads the paragraphs `ids` (sorted and unique).
    fn read(sources: &[PassageSource<'_>], ids: Vec<ParagraphId>) -> Self {
        let words = ids
            .par_iter()
            .map(|&id| ParagraphWords::read(text_of(sources, id)))
            .collect();
        ComparedParagraphs { ids, words }
    }

    fn get(&self, id: ParagraphId) -> &ParagraphWords {
        let at = self
            .ids
            .binary_search(&id)
            .expect("every paragraph of a pair was read");
        &self.words[at]
    }
}

/// A run of words two paragraphs have in common: from word `a` and word `b`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Run {
    a: usize,
    b: usize,
    len: usize,
}

/// A verified match between two paragraphs: word ranges on each side.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Alignment {
    pub a: (usize, usize),
    pub b: (usize, usize),
    /// Words in common runs.
    pub common: usize,
    pub verbatim: bool,
}

/// A match of two paragraphs that is not boilerplate.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PairMatch {
    pub a: ParagraphId,
    pub b: ParagraphId,
    pub found: Alignment,
}

/// Buffers for comparing one pair of paragraphs, reused from pair to pair.
#[derive(Debug, Default)]
struct Scratch {
    /// Positions `(a, b)` where both paragraphs have a shingle of one hash.
    hits: Vec<(u32, u32)>,
    runs: Vec<Run>,
    /// Common runs chained across small gaps, with how many runs each has.
    chains: Vec<(Alignment, usize)>,
    /// One row of the longest-common-subsequence table.
    row: Vec<usize>,
}

/// Every `(a, b)` pair of positions whose shingles hash alike, grouped by
/// hash: a merge of the two sorted shingle lists.
fn shared_shingles(a: &[u64], b: &[u64], hits: &mut Vec<(u32, u32)>) {
    let hash = |shingle: u64| shingle >> 32;
    let position = |shingle: u64| shingle as u32;
    hits.clear();
    let (mut x, mut y) = (0, 0);
    while x < a.len() && y < b.len() {
        let (this, other) = (hash(a[x]), hash(b[y]));
        if this == other {
            let x_end = x + a[x..].iter().take_while(|&&s| hash(s) == this).count();
            let y_end = y + b[y..].iter().take_while(|&&s| hash(s) == this).count();
            for &i in &a[x..x_end] {
                hits.extend(b[y..y_end].iter().map(|&j| (position(i), position(j))));
            }
            (x, y) = (x_end, y_end);
        } else {
            // Most hashes are not shared: advancing without a branch to
            // mispredict roughly halves the time of the merge.
            x += usize::from(this < other);
            y += usize::from(other < this);
        }
    }
}

/// The maximal common runs of at least a shingle's length, by position in
/// `a`, then in `b`.
fn common_runs(a: &ParagraphWords, b: &ParagraphWords, scratch: &mut Scratch) {
    shared_shingles(&a.sorted_shingles, &b.sorted_shingles, &mut scratch.hits);
    let (a, b) = (&a.ids, &b.ids);
    scratch.runs.clear();
    for &(i, j) in &scratch.hits {
        let (i, j) = (i as usize, j as usize);
        // Equal hashes may still be different words; a run that could be
        // extended backwards was found from its start already.
        let maximal_start = i == 0 || j == 0 || a[i - 1] != b[j - 1];
        if !maximal_start || a[i..i + SHINGLE_WORDS] != b[j..j + SHINGLE_WORDS] {
            continue;
        }
        let len = SHINGLE_WORDS
            + a[i + SHINGLE_WORDS..]
                .iter()
                .zip(&b[j + SHINGLE_WORDS..])
                .take_while(|(x, y)| x == y)
                .count();
        scratch.runs.push(Run { a: i, b: j, len });
    }
    // Sorting the runs rather than the hits: most hits are not the start
    // of a run.
    scratch.runs.sort_unstable_by_key(|run| (run.a, run.b));
}

/// The passages two paragraphs share: common runs, chained in order across
/// small gaps, kept when long and dense enough.
pub fn align(a: &[Word], b: &[Word]) -> Vec<Alignment> {
    let [a, b] = [a, b].map(|words| {
        let mut keys = Keys::default();
        for word in words {
            keys.push(&word.key);
        }
        ParagraphWords::prepare(keys)
    });
    align_paragraphs(&a, &b, &mut Scratch::default())
}

fn align_paragraphs(
    a: &ParagraphWords,
    b: &ParagraphWords,
    scratch: &mut Scratch,
) -> Vec<Alignment> {
    common_runs(a, b, scratch);
    let chains = &mut scratch.chains;
    chains.clear();
    for run in &scratch.runs {
        let (a_end, b_end) = (run.a + run.len, run.b + run.len);
        if let Some((chain, runs)) = chains.last_mut() {
            let follows = run.a >= chain.a.1 && run.b >= chain.b.1;
            if follows && run.a - chain.a.1 <= MAX_GAP_WORDS && run.b - chain.b.1 <= MAX_GAP_WORDS {
                chain.a.1 = a_end;
                chain.b.1 = b_end;
                chain.common += run.len;
                *runs += 1;
                continue;
            }
            if run.a < chain.a.1 {
                // A repeat of words already matched: nothing new.
                continue;
            }
        }
        chains.push((
            Alignment {
                a: (run.a, a_end),
                b: (run.b, b_end),
                common: run.len,
                verbatim: true,
            },
            1,
        ));
    }
    let mut found = Vec::new();
    for &(mut chain, runs) in chains.iter() {
        let longer = (chain.a.1 - chain.a.0).max(chain.b.1 - chain.b.0);
        chain.verbatim = runs == 1;
        if !chain.verbatim {
            // Words kept in the gaps count too: `granted them` between
            // two longer runs.
            chain.common = common_words(
                &a.ids[chain.a.0..chain.a.1],
                &b.ids[chain.b.0..chain.b.1],
                &mut scratch.row,
            );
        }
        let dense = chain.common * 100 >= longer * MIN_DENSITY_PERCENT;
        let enough = chain.common >= MIN_PASSAGE_WORDS && dense;
        // Judged on all the words in common, shown without small words
        // at its ends.
        trim_function_words(&mut chain, &a.ids);
        if enough {
            found.push(chain);
        }
    }
    found
}

/// Small words a passage should neither start nor end with.
const FUNCTION_WORDS: &[&str] = &[
    "a", "an", "and", "as", "at", "but", "by", "for", "in", "is", "of", "on", "or", "that", "the",
    "to", "was", "with",
];

/// Drops matched function words from both ends of a match (`that Assad …
/// in Moscow and` → `Assad … in Moscow`): the ends of a match are common to
/// both sides, so they are dropped from both.
fn trim_function_words(chain: &mut Alignment, a: &[WordId]) {
    let small = |i: usize| is_function_word(a[i]);
    while chain.a.1 - chain.a.0 > 1 && small(chain.a.0) {
        chain.a.0 += 1;
        chain.b.0 += 1;
        chain.common -= 1;
    }
    while chain.a.1 - chain.a.0 > 1 && small(chain.a.1 - 1) {
        chain.a.1 -= 1;
        chain.b.1 -= 1;
        chain.common -= 1;
    }
}

/// The longest common subsequence of two stretches of words, in words.
fn common_words(a: &[WordId], b: &[WordId], row: &mut Vec<usize>) -> usize {
    row.clear();
    row.resize(b.len() + 1, 0);
    for x in a {
        let mut diagonal = 0;
        for (j, y) in b.iter().enumerate() {
            let above = row[j + 1];
            row[j + 1] = if x == y {
                diagonal + 1
            } else {
                above.max(row[j])
            };
            diagonal = above;
        }
    }
    row[b.len()]
}

/// Merges overlapping matches in each paragraph into occurrences, and joins
/// occurrences linked by a match into passages.
fn group(sources: &[PassageSource<'_>], matches: &[PairMatch]) -> Vec<SharedPassage> {
    // Word ranges per paragraph, merged where they overlap.
    let mut ranges: BTreeMap<ParagraphId, Vec<(usize, usize)>> = BTreeMap::new();
    for m in matches {
        ranges.entry(m.a).or_default().push(m.found.a);
        ranges.entry(m.b).or_default().push(m.found.b);
    }
    let mut segments: Vec<(ParagraphId, (usize, usize))> = Vec::new();
    let mut segment_of: BTreeMap<ParagraphId, Vec<(usize, usize, usize)>> = BTreeMap::new();
    for (id, mut list) in ranges {
        list.sort_unstable();
        let mut merged: Vec<(usize, usize)> = Vec::new();
        for (start, end) in list {
            match merged.last_mut() {
                Some(last) if start < last.1 => last.1 = last.1.max(end),
                _ => merged.push((start, end)),
            }
        }
        for range in merged {
            segment_of
                .entry(id)
                .or_default()
                .push((range.0, range.1, segments.len()));
            segments.push((id, range));
        }
    }
    let find_segment = |id: ParagraphId, at: usize| {
        segment_of[&id]
            .iter()
            .find(|&&(start, end, _)| start <= at && at < end)
            .map(|&(_, _, n)| n)
            .expect("every match lies in a segment of its paragraph")
    };

    let mut sets = DisjointSets::new(segments.len());
    let mut edges: Vec<(usize, Alignment)> = Vec::new();
    for m in matches {
        let (x, y) = (
            find_segment(m.a, m.found.a.0),
            find_segment(m.b, m.found.b.0),
        );
        sets.join(x, y);
        edges.push((x, m.found));
    }
    let mut components: BTreeMap<usize, Vec<usize>> = BTreeMap::new();
    for segment in 0..segments.len() {
        components
            .entry(sets.root(segment))
            .or_default()
            .push(segment);
    }
    let mut kind_of: HashMap<usize, (PassageKind, usize)> = HashMap::new();
    for (segment, found) in edges {
        let entry = kind_of
            .entry(sets.root(segment))
            .or_insert((PassageKind::Verbatim, 0));
        if !found.verbatim {
            entry.0 = PassageKind::Near;
        }
        entry.1 = entry.1.max(found.common);
    }

    let mut passages: Vec<SharedPassage> = components
        .into_iter()
        .map(|(root, members)| {
            let mut occurrences: Vec<Occurrence> = members
                .into_iter()
                .map(|segment| {
                    let (id, (start, end)) = segments[segment];
                    let text = text_of(sources, id);
                    let spans = word_spans(text);
                    let (start, end) = whole_words(text, &spans, start, end);
                    Occurrence {
                        source: id.0 as usize,
                        paragraph: id.1 as usize,
                        start: spans[start].0,
                        end: spans[end - 1].1,
                        words: end - start,
                    }
                })
                .collect();
            occurrences.sort();
            let mut in_time: Vec<u32> = (0..occurrences.len() as u32).collect();
            in_time.sort_unstable_by_key(|&i| {
                let o = occurrences[i as usize];
                (sources[o.source].rank, o)
            });
            let o = occurrences[in_time[0] as usize];
            let text = sources[o.source].texts[o.paragraph][o.start..o.end].to_owned();
            let (kind, common_words) = kind_of[&root];
            SharedPassage {
                source_count: SharedPassage::count_sources(&occurrences),
                in_time,
                occurrences,
                text,
                kind,
                common_words,
            }
        })
        .collect();
    passages.sort_by(|x, y| {
        let key = |p: &SharedPassage| {
            let o = p.occurrences[p.first()];
            (sources[o.source].rank, o.paragraph, o.start)
        };
        y.source_count
            .cmp(&x.source_count)
            .then(y.common_words.cmp(&x.common_words))
            .then(key(x).cmp(&key(y)))
    });
    passages
}

/// Union–find with path halving: sets of items joined by links.
#[derive(Debug, Clone)]
pub struct DisjointSets {
    parent: Vec<usize>,
}

impl DisjointSets {
    pub fn new(len: usize) -> Self {
        DisjointSets {
            parent: (0..len).collect(),
        }
    }

    pub fn root(&mut self, mut item: usize) -> usize {
        while self.parent[item] != item {
            self.parent[item] = self.parent[self.parent[item]];
            item = self.parent[item];
        }
        item
    }

    /// Joins the sets of `a` and `b`; the smaller index stays the root, so
    /// the result never depends on the order of joins.
    pub fn join(&mut self, a: usize, b: usize) {
        let (a, b) = (self.root(a), self.root(b));
        let (low, high) = (a.min(b), a.max(b));
        self.parent[high] = low;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::shingles::{paragraph_print, words};

    #[test]
    fn postings_are_sorted_as_one_sort_of_the_whole_list_would_be() {
        // Fingerprints spread over the whole range, some repeated in many
        // paragraphs, some sharing their top bits but not the rest.
        let mut state = 0x9e37_79b9_7f4a_7c15u64;
        let mut next = || {
            state = state
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1);
            state
        };
        let mut entries = Vec::new();
        // More sources than are dealt at a time.
        for s in 0..600u32 {
            for p in 0..3u32 {
                for _ in 0..12 {
                    let fingerprint = match next() % 4 {
                        0 => next() % 50,
                        1 => u64::MAX - next() % 50,
                        _ => next(),
                    };
                    entries.push((fingerprint, (s, p)));
                }
            }
        }
        let by_source: Vec<Vec<_>> = (0..600u32)
            .map(|s| entries.iter().filter(|e| e.1 .0 == s).copied().collect())
            .collect();
        let postings = Postings::new(&by_source, |_, entries| entries.clone());
        let mut expected = entries.clone();
        expected.sort_unstable();
        let runs: Vec<_> = postings.runs().flatten().copied().collect();
        assert_eq!(runs, expected);
        let empty: Vec<Vec<(u64, ParagraphId)>> = Vec::new();
        assert_eq!(Postings::new(&empty, |_, e| e.clone()).runs().count(), 0);
    }

    struct Corpus {
        texts: Vec<Vec<String>>,
        outlets: Vec<Option<String>>,
        prints: Vec<Vec<ParagraphPrint>>,
    }

    impl Corpus {
        fn new(sources: &[(&[&str], Option<&str>)]) -> Self {
            let texts: Vec<Vec<String>> = sources
                .iter()
                .map(|(paragraphs, _)| paragraphs.iter().map(|p| p.to_string()).collect())
                .collect();
            Corpus {
                prints: texts
                    .iter()
                    .map(|ps| ps.iter().map(|p| paragraph_print(p)).collect())
                    .collect(),
                outlets: sources.iter().map(|(_, o)| o.map(str::to_owned)).collect(),
                texts,
            }
        }

        /// [`Corpus::new`] of paragraphs gathered in vectors.
        fn of(sources: &[(Vec<&str>, Option<&str>)]) -> Self {
            let sources: Vec<(&[&str], Option<&str>)> = (sources.iter())
                .map(|(texts, outlet)| (texts.as_slice(), *outlet))
                .collect();
            Corpus::new(&sources)
        }

        fn find(&self) -> Passages {
            self.find_with(&AlignmentMemo::disabled())
        }

        fn find_with(&self, memo: &AlignmentMemo) -> Passages {
            let inputs: Vec<PassageSource<'_>> = (0..self.texts.len())
                .map(|s| PassageSource {
                    outlet: self.outlets[s].as_deref(),
                    rank: s,
                    texts: self.texts[s].iter().map(String::as_str).collect(),
                    prints: &self.prints[s],
                })
                .collect();
            find(&inputs, memo)
        }
    }

    #[test]
    fn alignments_kept_from_the_last_build_give_what_comparing_again_gives() {
        let dir = tempfile::tempdir().unwrap();
        let a = format!("“{WIRE},” the source said, reported the Russian news agency.");
        let b = format!("“{WIRE},” TASS quoted the source as saying.");
        let c = format!("In Damascus, {WIRE}, an official said on Monday.");
        let before = Corpus::new(&[(&[&a], None), (&[&b], None), (&[&c], None)]);
        let memo = AlignmentMemo::open(dir.path());
        before.find_with(&memo);
        memo.save();
        // One source changed: its pairs are compared again, the others'
        // alignments are taken from the memo.
        let edited = format!("{c} He added nothing.");
        let after = Corpus::new(&[(&[&a], None), (&[&b], None), (&[&edited], None)]);
        let remembered = after.find_with(&AlignmentMemo::open(dir.path()));
        let fresh = after.find();
        assert_eq!(format!("{remembered:?}"), format!("{fresh:?}"));
        assert!(!fresh.passages.is_empty());
    }

    const WIRE: &str = "Russia has always spoken in favour of a political settlement of the \
                        Syrian crisis. We insist that the UN-mediated talks be resumed";

    #[test]
    fn finds_a_quote_two_sources_share_verbatim() {
        let a = format!("“{WIRE},” the source said, reported the Russian news agency.");
        let b = format!("“{WIRE},” TASS quoted the source as saying.");
        let corpus = Corpus::new(&[
            (&["Assad fled to Moscow on Sunday night.", &a], None),
            (&[&b], None),
        ]);
        let found = corpus.find();
        assert_eq!(found.passages.len(), 1);
        let passage = &found.passages[0];
        assert_eq!(passage.kind, PassageKind::Verbatim);
        assert_eq!(passage.text, WIRE);
        assert_eq!(passage.sources(), [0, 1]);
        assert_eq!(passage.occurrences[0].paragraph, 1);
        assert_eq!(found.of_source(1), [0]);
    }

    #[test]
    fn a_paraphrase_keeping_most_words_is_a_near_passage() {
        let a = words(
            "Russian officials are in touch with representatives of the armed Syrian \
             opposition, whose leaders have guaranteed the security of Russian bases",
        );
        let b = words(
            "Russian officials are in touch with representatives of the armed Syrian \
             opposition, whose chiefs have guaranteed the security of Russian bases",
        );
        let found = align(&a, &b);
        assert_eq!(found.len(), 1);
        assert!(!found[0].verbatim);
        assert_eq!(found[0].common, a.len() - 1);
    }

    #[test]
    fn a_few_shared_words_are_not_a_passage() {
        let a = words("The rebels entered the Syrian capital of Damascus on Sunday.");
        let b = words("Crowds gathered in the Syrian capital of Damascus to celebrate.");
        assert!(align(&a, &b).is_empty());
    }

    #[test]
    fn three_sources_with_the_same_text_form_one_passage() {
        let c = format!("Earlier today: {WIRE}.");
        let corpus = Corpus::new(&[(&[WIRE], None), (&[WIRE], None), (&[&c], None)]);
        let found = corpus.find();
        assert_eq!(found.passages.len(), 1);
        assert_eq!(found.passages[0].sources(), [0, 1, 2]);
        assert_eq!(found.passages[0].first(), 0);
    }

    #[test]
    fn an_outlets_repeated_footer_is_boilerplate_not_a_passage() {
        let footer = "Subscribe to our daily newsletter for the latest news from the region \
                      delivered every morning";
        let (s0, s1, s2) = (
            "The council voted on the budget after a long debate on Tuesday.",
            "Floods closed three roads in the north of the province overnight.",
            "A new museum of maritime history opened its doors to visitors.",
        );
        let corpus = Corpus::new(&[
            (&[s0, footer, "Related Stories:"], Some("Daily")),
            (&[s1, footer, "Related Stories:"], Some("Daily")),
            (&[s2, footer, "Related Stories:"], Some("Daily")),
        ]);
        let found = corpus.find();
        assert!(found.passages.is_empty(), "{:?}", found.passages);
        assert!(found.boilerplate.contains(&(0, 1)));
        assert!(found.boilerplate.contains(&(2, 2)));
        assert!(!found.boilerplate.contains(&(1, 0)));
    }

    /// Long paragraphs of different words, one per source.
    const STORIES: [&str; 6] = [
        "The council voted on the budget after a long debate on Tuesday evening, with \
         three members absent and the opposition walking out before the final count",
        "Floods closed three roads in the north of the province overnight, and crews \
         worked until dawn to clear the mud from the bridge near the old mill",
        "A new museum of maritime history opened its doors to visitors, showing ship \
         models, charts and letters written by sailors over two centuries of trade",
        "Teachers marched through the old town to demand higher wages, carrying banners \
         and drums past the town hall where the mayor declined to meet them",
        "The harbour authority ordered an inquiry into the collapsed crane, which fell \
         onto an empty container ship during a storm late on Sunday night",
        "Farmers warned that the late frost had ruined half of the apricot harvest in \
         the valley, and asked the ministry for emergency loans before the summer",
    ];

    /// Wire copy longer than a footer.
    const LONG_WIRE: &str = "Officials said the convoy of forty trucks carrying flour and \
        medicine crossed the northern border at dawn and would reach the besieged capital \
        before the curfew on Friday evening, according to a statement from the relief agency";

    #[test]
    fn wire_copy_an_outlet_ran_three_times_is_a_passage_beside_other_outlets() {
        let outlets = ["Daily", "Daily", "Daily", "Star", "Star", "Post"];
        let sources: Vec<(Vec<&str>, Option<&str>)> = (STORIES.iter().zip(outlets))
            .map(|(story, outlet)| (vec![*story, LONG_WIRE], Some(outlet)))
            .collect();
        let found = Corpus::of(&sources).find();
        assert_eq!(found.passages.len(), 1, "{:?}", found.passages);
        assert_eq!(found.passages[0].sources(), [0, 1, 2, 3, 4, 5]);
        assert!(found.boilerplate.is_empty(), "{:?}", found.boilerplate);
    }

    #[test]
    fn a_long_text_nearly_all_in_one_outlets_sources_is_its_boilerplate() {
        let about = "The Daily is an independent newspaper founded in 1902 by a cooperative of \
                     printers, and is owned today by a trust that guarantees its editorial \
                     freedom from any political party or advertiser";
        let sources: Vec<(Vec<&str>, Option<&str>)> = (STORIES.iter().take(4))
            .map(|story| (vec![*story, about], Some("Daily")))
            .collect();
        let found = Corpus::of(&sources).find();
        assert!(found.passages.is_empty(), "{:?}", found.passages);
        assert!(found.boilerplate.contains(&(3, 1)));
    }

    #[test]
    fn a_stock_phrase_of_otherwise_different_paragraphs_is_no_passage() {
        let stock =
            "according to officials familiar with the talks who spoke on condition of anonymity";
        let outlets = ["Daily", "Daily", "Daily", "Star", "Star", "Post"];
        let texts: Vec<String> = STORIES
            .iter()
            .map(|story| format!("{story}, {stock}"))
            .collect();
        let sources: Vec<(Vec<&str>, Option<&str>)> = (texts.iter().zip(outlets))
            .map(|(text, outlet)| (vec![text.as_str()], Some(outlet)))
            .collect();
        let found = Corpus::of(&sources).find();
        assert!(found.passages.is_empty(), "{:?}", found.passages);
        assert!(found.boilerplate.is_empty(), "{:?}", found.boilerplate);
    }

    #[test]
    fn the_same_footer_in_two_outlets_is_not_boilerplate_yet() {
        let footer = "Subscribe to our daily newsletter for the latest news from the region";
        let corpus = Corpus::new(&[(&[footer], Some("A")), (&[footer], Some("B"))]);
        assert_eq!(corpus.find().passages.len(), 1);
    }

    #[test]
    fn a_url_host_stands_for_an_unnamed_outlet() {
        assert_eq!(host("https://www.example.org/news/1?x=2"), "example.org");
        assert_eq!(host("http://tass.com"), "tass.com");
    }

    /// Every maximal common run of a shingle's length or more, found by
    /// trying every pair of positions.
    fn runs_by_brute_force(a: &[WordId], b: &[WordId]) -> Vec<Run> {
        let mut runs = Vec::new();
        for i in 0..a.len() {
            for j in 0..b.len() {
                let maximal_start = i == 0 || j == 0 || a[i - 1] != b[j - 1];
                let len = a[i..]
                    .iter()
                    .zip(&b[j..])
                    .take_while(|(x, y)| x == y)
                    .count();
                if maximal_start && len >= SHINGLE_WORDS {
                    runs.push(Run { a: i, b: j, len });
                }
            }
        }
        runs
    }

    #[test]
    fn common_runs_are_every_maximal_run_in_order() {
        // Few distinct words, so runs repeat, overlap and cross.
        const WORDS: [&str; 5] = ["the", "rebels", "took", "Homs", "and"];
        let mut state = 0x2545_f491_4f6c_dd1d_u64;
        let mut text = |len: usize| -> String {
            (0..len)
                .map(|_| {
                    state ^= state << 13;
                    state ^= state >> 7;
                    state ^= state << 17;
                    WORDS[(state % 3 + state % 2) as usize + usize::from(state % 11 == 0)]
                })
                .collect::<Vec<_>>()
                .join(" ")
        };
        let mut scratch = Scratch::default();
        for round in 0..300 {
            let (a_text, b_text) = (text(round % 37), text(round % 23 + 3));
            let a = ParagraphWords::read(&a_text);
            let b = ParagraphWords::read(&b_text);
            common_runs(&a, &b, &mut scratch);
            assert_eq!(
                scratch.runs,
                runs_by_brute_force(&a.ids, &b.ids),
                "{a_text} / {b_text}"
            );
        }
    }

    #[test]
    fn words_are_numbered_alike_across_paragraphs() {
        let a = ParagraphWords::read("Türkiye’s troops and the rebels");
        let b = ParagraphWords::read("the REBELS of turkiye's border");
        assert_eq!(a.ids[..2], b.ids[3..5], "turkiye s");
        assert_eq!(a.ids[4..], b.ids[..2], "the rebels");
        assert_ne!(a.ids[2], a.ids[3]);
        let function: Vec<bool> = a.ids.iter().map(|&id| is_function_word(id)).collect();
        assert_eq!(function, [false, false, false, true, true, false]);
        let spans = word_spans("Türkiye’s troops and the rebels");
        assert_eq!(spans[1], (11, 12), "the `s` after the apostrophe");
        let text = "the Agency’s board met in al-Sham today";
        let spans = word_spans(text);
        let phrase = |(start, end): (usize, usize)| &text[spans[start].0..spans[end - 1].1];
        assert_eq!(phrase(whole_words(text, &spans, 2, 7)), "board met in");
        assert_eq!(
            phrase(whole_words(text, &spans, 2, 8)),
            "board met in al-Sham"
        );
    }

    #[test]
    fn shingles_are_hashed_as_the_fingerprints_are() {
        let text = "Russia has always spoken in favour of a political settlement";
        let hashes = shingles::shingle_hashes(&words(text));
        let prepared = ParagraphWords::read(text);
        assert_eq!(prepared.sorted_shingles.len(), hashes.len());
        for entry in &prepared.sorted_shingles {
            let position = (entry & 0xffff_ffff) as usize;
            assert_eq!(entry >> 32, hashes[position] & 0xffff_ffff);
        }
    }

    #[test]
    fn a_stretch_is_boilerplate_when_most_fingerprints_it_holds_are() {
        let boilerplate: FnvHashSet<u64> = [1, 3].into_iter().collect();
        let judge =
            |fingerprints: &[u64]| is_boilerplate(fingerprints.iter().copied(), &boilerplate);
        assert!(judge(&[1, 2]));
        assert!(!judge(&[1, 2, 4]));
        assert!(judge(&[3, 1, 2, 4]));
        assert!(!judge(&[9, 9]));
        assert!(!judge(&[]));
    }

    #[test]
    fn joins_do_not_depend_on_order() {
        let mut sets = DisjointSets::new(4);
        sets.join(3, 2);
        sets.join(2, 1);
        assert_eq!(sets.root(3), 1);
        assert_ne!(sets.root(0), 1);
    }
}
