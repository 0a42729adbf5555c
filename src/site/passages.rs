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
//! passage.
//!
//! Verification finds the common runs of words of two paragraphs, joins runs
//! separated by small edits into one match, and keeps a match long and dense
//! enough to be the same text. Matches that overlap in a paragraph are merged
//! into one occurrence; occurrences joined by matches form one passage.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use rayon::prelude::*;
use serde::Serialize;

use crate::analysis::shingles::{self, Word, SHINGLE_WORDS};
use crate::analysis::ParagraphPrint;

use super::corroboration::{chronological_ranks, SourceClusters};
use super::SiteSource;

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
    /// Index in `occurrences` of the earliest source's.
    pub first: usize,
    /// The passage as the earliest source words it.
    pub text: String,
    pub kind: PassageKind,
    /// The most words any two occurrences have in common.
    pub common_words: usize,
}

impl SharedPassage {
    /// The distinct sources carrying it, in index order.
    pub fn sources(&self) -> Vec<usize> {
        let set: BTreeSet<usize> = self.occurrences.iter().map(|o| o.source).collect();
        set.into_iter().collect()
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

/// Finds the passages the site's sources share, and the clusters of sources
/// they join.
pub fn link_sources(sources: &[SiteSource]) -> (Passages, SourceClusters) {
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
    let passages = find(&inputs);
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
type ParagraphId = (u32, u32);

/// Finds the passages the sources share.
pub fn find(sources: &[PassageSource<'_>]) -> Passages {
    let mut stats = PassageStats {
        paragraphs: sources.iter().map(|s| s.texts.len()).sum(),
        ..PassageStats::default()
    };
    let postings = index(sources);
    stats.fingerprints = postings.groups().count();
    let boilerplate = boilerplate_fingerprints(sources, &postings);
    stats.boilerplate_fingerprints = boilerplate.len();

    let pairs = candidate_pairs(&postings, &boilerplate);
    stats.candidate_pairs = pairs.len();
    let needed: BTreeSet<ParagraphId> = pairs.iter().flat_map(|&(a, b)| [a, b]).collect();
    let words: HashMap<ParagraphId, Vec<Word>> = needed
        .into_par_iter()
        .map(|id| (id, shingles::words(text_of(sources, id))))
        .collect();
    let matches: Vec<PairMatch> = pairs
        .par_iter()
        .flat_map_iter(|&(a, b)| {
            let (a_words, b_words) = (&words[&a], &words[&b]);
            align(a_words, b_words)
                .into_iter()
                .filter(|m| !is_boilerplate(&a_words[m.a.0..m.a.1], &postings, &boilerplate))
                .map(|found| PairMatch { a, b, found })
                .collect::<Vec<_>>()
        })
        .collect();
    stats.matched_pairs = matches
        .iter()
        .map(|m| (m.a, m.b))
        .collect::<BTreeSet<_>>()
        .len();

    let passages = group(sources, &words, &matches);
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
        boilerplate: boilerplate_paragraphs(sources, &boilerplate),
        stats,
    }
}

fn text_of<'a>(sources: &[PassageSource<'a>], (source, paragraph): ParagraphId) -> &'a str {
    sources[source as usize].texts[paragraph as usize]
}

/// The inverted index: every (fingerprint, paragraph) sorted, so the
/// paragraphs holding a fingerprint are one run, in source and paragraph
/// order. A flat sorted list is far lighter than a map of lists at millions
/// of fingerprints.
struct Postings {
    entries: Vec<(u64, ParagraphId)>,
}

impl Postings {
    /// Each fingerprint with the paragraphs holding it.
    fn groups(&self) -> impl Iterator<Item = (u64, Vec<ParagraphId>)> + '_ {
        self.entries
            .chunk_by(|a, b| a.0 == b.0)
            .map(|run| (run[0].0, run.iter().map(|&(_, id)| id).collect()))
    }

    fn contains(&self, fingerprint: u64) -> bool {
        self.entries
            .binary_search_by_key(&fingerprint, |&(f, _)| f)
            .is_ok()
    }
}

fn index(sources: &[PassageSource<'_>]) -> Postings {
    let mut entries: Vec<(u64, ParagraphId)> = sources
        .iter()
        .enumerate()
        .flat_map(|(s, source)| {
            source
                .prints
                .iter()
                .enumerate()
                .flat_map(move |(p, print)| {
                    print
                        .fingerprints
                        .iter()
                        .map(move |&f| (f, (s as u32, p as u32)))
                })
        })
        .collect();
    entries.par_sort_unstable();
    Postings { entries }
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

fn boilerplate_fingerprints(sources: &[PassageSource<'_>], postings: &Postings) -> BTreeSet<u64> {
    let fewest = OUTLET_BOILERPLATE_SOURCES.min(CORPUS_BOILERPLATE_SOURCES);
    postings
        .groups()
        .filter(|(_, holders)| holders.len() >= fewest)
        .filter(|(_, holders)| {
            let sources_holding: BTreeSet<u32> = holders.iter().map(|&(s, _)| s).collect();
            let mut lengths: Vec<usize> = holders
                .iter()
                .map(|&(s, p)| sources[s as usize].prints[p as usize].fingerprints.len())
                .collect();
            lengths.sort_unstable();
            let short = lengths[lengths.len() / 2] <= SHORT_PARAGRAPH_PRINTS;
            is_frequent(sources, &sources_holding, short)
        })
        .map(|(fingerprint, _)| fingerprint)
        .collect()
}

/// A stretch of words is boilerplate when most of the fingerprints it holds
/// are.
fn is_boilerplate(words: &[Word], postings: &Postings, boilerplate: &BTreeSet<u64>) -> bool {
    if boilerplate.is_empty() {
        return false;
    }
    let held: Vec<u64> = shingles::shingle_hashes(words)
        .into_iter()
        .filter(|&h| postings.contains(h))
        .collect();
    let frequent = held.iter().filter(|h| boilerplate.contains(h)).count();
    !held.is_empty() && frequent * 2 >= held.len()
}

/// Paragraphs made of boilerplate: most of their fingerprints are, or, for
/// lines too short to have any ("Comments", "Related Stories:"), the same
/// words recur as often as boilerplate does.
fn boilerplate_paragraphs(
    sources: &[PassageSource<'_>],
    boilerplate: &BTreeSet<u64>,
) -> BTreeSet<(usize, usize)> {
    let mut found = BTreeSet::new();
    let mut short_lines: BTreeMap<String, Vec<(usize, usize)>> = BTreeMap::new();
    for (s, source) in sources.iter().enumerate() {
        for (p, print) in source.prints.iter().enumerate() {
            let prints = &print.fingerprints;
            if prints.is_empty() {
                let key: Vec<String> = shingles::words(source.texts[p])
                    .into_iter()
                    .map(|w| w.key)
                    .collect();
                if !key.is_empty() {
                    short_lines.entry(key.join(" ")).or_default().push((s, p));
                }
            } else if prints.iter().filter(|f| boilerplate.contains(f)).count() * 2 >= prints.len()
            {
                found.insert((s, p));
            }
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
    boilerplate: &BTreeSet<u64>,
) -> Vec<(ParagraphId, ParagraphId)> {
    let mut pairs: BTreeSet<(ParagraphId, ParagraphId)> = BTreeSet::new();
    for (fingerprint, holders) in postings.groups() {
        if holders.len() < 2 || boilerplate.contains(&fingerprint) {
            continue;
        }
        if holders.len() > MAX_PAIRWISE_POSTINGS {
            let first = holders[0];
            for &other in &holders[1..] {
                if other.0 != first.0 {
                    pairs.insert((first, other));
                }
            }
            continue;
        }
        for (i, &a) in holders.iter().enumerate() {
            for &b in &holders[i + 1..] {
                if a.0 != b.0 {
                    pairs.insert((a, b));
                }
            }
        }
    }
    pairs.into_iter().collect()
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

#[derive(Debug, Clone, Copy)]
struct PairMatch {
    a: ParagraphId,
    b: ParagraphId,
    found: Alignment,
}

/// The maximal common runs of at least a shingle's length, by position in `a`.
fn common_runs(a: &[Word], b: &[Word]) -> Vec<Run> {
    let mut starts: HashMap<u64, Vec<usize>> = HashMap::new();
    for (j, hash) in shingles::shingle_hashes(b).into_iter().enumerate() {
        starts.entry(hash).or_default().push(j);
    }
    let same = |i: usize, j: usize| a[i].key == b[j].key;
    let mut runs = Vec::new();
    for (i, hash) in shingles::shingle_hashes(a).into_iter().enumerate() {
        for &j in starts.get(&hash).map(Vec::as_slice).unwrap_or_default() {
            let maximal_start = i == 0 || j == 0 || !same(i - 1, j - 1);
            if !maximal_start || !(0..SHINGLE_WORDS).all(|k| same(i + k, j + k)) {
                continue;
            }
            let mut len = SHINGLE_WORDS;
            while i + len < a.len() && j + len < b.len() && same(i + len, j + len) {
                len += 1;
            }
            runs.push(Run { a: i, b: j, len });
        }
    }
    runs
}

/// The passages two paragraphs share: common runs, chained in order across
/// small gaps, kept when long and dense enough.
pub fn align(a: &[Word], b: &[Word]) -> Vec<Alignment> {
    let mut chains: Vec<(Alignment, usize)> = Vec::new();
    for run in common_runs(a, b) {
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
    chains
        .into_iter()
        .filter_map(|(mut chain, runs)| {
            let longer = (chain.a.1 - chain.a.0).max(chain.b.1 - chain.b.0);
            chain.verbatim = runs == 1;
            if !chain.verbatim {
                // Words kept in the gaps count too: `granted them` between
                // two longer runs.
                chain.common = common_words(&a[chain.a.0..chain.a.1], &b[chain.b.0..chain.b.1]);
            }
            let dense = chain.common * 100 >= longer * MIN_DENSITY_PERCENT;
            let enough = chain.common >= MIN_PASSAGE_WORDS && dense;
            // Judged on all the words in common, shown without small words
            // at its ends.
            trim_function_words(&mut chain, a);
            enough.then_some(chain)
        })
        .collect()
}

/// Small words a passage should neither start nor end with.
const FUNCTION_WORDS: &[&str] = &[
    "a", "an", "and", "as", "at", "but", "by", "for", "in", "is", "of", "on", "or", "that", "the",
    "to", "was", "with",
];

/// Drops matched function words from both ends of a match (`that Assad …
/// in Moscow and` → `Assad … in Moscow`): the ends of a match are common to
/// both sides, so they are dropped from both.
fn trim_function_words(chain: &mut Alignment, a: &[Word]) {
    let small = |i: usize| FUNCTION_WORDS.contains(&a[i].key.as_str());
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
fn common_words(a: &[Word], b: &[Word]) -> usize {
    let mut row = vec![0usize; b.len() + 1];
    for x in a {
        let mut diagonal = 0;
        for (j, y) in b.iter().enumerate() {
            let above = row[j + 1];
            row[j + 1] = if x.key == y.key {
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
fn group(
    sources: &[PassageSource<'_>],
    words: &HashMap<ParagraphId, Vec<Word>>,
    matches: &[PairMatch],
) -> Vec<SharedPassage> {
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
                    let list = &words[&id];
                    Occurrence {
                        source: id.0 as usize,
                        paragraph: id.1 as usize,
                        start: list[start].start,
                        end: list[end - 1].end,
                        words: end - start,
                    }
                })
                .collect();
            occurrences.sort();
            let first = (0..occurrences.len())
                .min_by_key(|&i| (sources[occurrences[i].source].rank, occurrences[i]))
                .expect("a passage has occurrences");
            let o = occurrences[first];
            let text = sources[o.source].texts[o.paragraph][o.start..o.end].to_owned();
            let (kind, common_words) = kind_of[&root];
            SharedPassage {
                occurrences,
                first,
                text,
                kind,
                common_words,
            }
        })
        .collect();
    passages.sort_by(|x, y| {
        let key = |p: &SharedPassage| {
            let o = p.occurrences[p.first];
            (sources[o.source].rank, o.paragraph, o.start)
        };
        y.sources()
            .len()
            .cmp(&x.sources().len())
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

        fn find(&self) -> Passages {
            let inputs: Vec<PassageSource<'_>> = (0..self.texts.len())
                .map(|s| PassageSource {
                    outlet: self.outlets[s].as_deref(),
                    rank: s,
                    texts: self.texts[s].iter().map(String::as_str).collect(),
                    prints: &self.prints[s],
                })
                .collect();
            find(&inputs)
        }
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
        assert_eq!(found.passages[0].first, 0);
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

    #[test]
    fn joins_do_not_depend_on_order() {
        let mut sets = DisjointSets::new(4);
        sets.join(3, 2);
        sets.join(2, 1);
        assert_eq!(sets.root(3), 1);
        assert_ne!(sets.root(0), 1);
    }
}
