//! The same quote in several sources, and quotes by speaker.
//!
//! Wire copy travels: one agency's quote is carried by many outlets, often
//! with a comma moved, an ellipsis added or a word dropped. Quotes are
//! grouped when their words are the same, or match within a small edit
//! distance. Candidate pairs come from an index of word trigrams over the
//! distinct wordings, so the work grows with the number of quotes, never
//! with its square: only wordings that share a trigram are ever compared.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use rayon::prelude::*;

use super::corroboration::{Corroboration, SourceClusters};
use crate::analysis::SourceAnalysis;

/// A quote of the dossier: its source and its index in that source's quotes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct QuoteRef {
    pub source: usize,
    pub quote: usize,
}

/// Quotes that are the same words.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QuoteGroup {
    /// In source order, then quote order.
    pub members: Vec<QuoteRef>,
    /// The distinct sources carrying it, in source order.
    pub sources: Vec<usize>,
    /// The same, the earliest first, and how many of them are independent:
    /// judged once for the group (see [`QuoteIndex::corroborate`]), not for
    /// each of its quotes, which a statement reprinted in thousands of
    /// sources has thousands of.
    pub sources_in_time: Vec<usize>,
    pub corroboration: Corroboration,
}

/// Every quote grouped, and listed per speaker.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct QuoteIndex {
    /// Groups in order of their first member.
    pub groups: Vec<QuoteGroup>,
    /// For each source, for each of its quotes, its group.
    pub group_of: Vec<Vec<usize>>,
    /// Quotes attributed to each entity (as speaker), in source order.
    pub by_speaker: BTreeMap<usize, Vec<QuoteRef>>,
    /// Quotes each entity relays (as the channel a speaker spoke through:
    /// `a Kremlin source told TASS`), in source order.
    pub by_channel: BTreeMap<usize, Vec<QuoteRef>>,
}

impl QuoteIndex {
    pub fn group(&self, quote: QuoteRef) -> &QuoteGroup {
        &self.groups[self.group_of[quote.source][quote.quote]]
    }

    /// Orders each group's sources in time and counts the independent ones,
    /// once the sources that reprint each other are known.
    pub fn corroborate(&mut self, clusters: &SourceClusters) {
        self.groups.par_iter_mut().for_each(|group| {
            group.corroboration = clusters.corroboration(&group.sources);
            group.sources_in_time = group.sources.clone();
            group.sources_in_time.sort_by_key(|&s| clusters.rank(s));
        });
    }
}

/// A posting list longer than this (in distinct wordings) is a stock phrase
/// (`the Syrian opposition`), not evidence of a shared quote; it is skipped
/// so the work stays linear.
const MAX_POSTINGS: usize = 64;

/// Groups the quotes of all sources (in source order).
pub fn link_quotes(analyses: &[&SourceAnalysis]) -> QuoteIndex {
    let refs: Vec<QuoteRef> = analyses
        .iter()
        .enumerate()
        .flat_map(|(source, analysis)| {
            (0..analysis.quotes.len()).map(move |quote| QuoteRef { source, quote })
        })
        .collect();
    let words: Vec<Vec<String>> = refs
        .iter()
        .map(|r| normalise(&analyses[r.source].quotes[r.quote].text))
        .collect();

    let mut parent: Vec<usize> = (0..refs.len()).collect();
    // The same words are one group whatever their number: a statement
    // reprinted by thousands of sources has only stock-phrase trigrams, so
    // it is joined here, and only its first quote stands in the postings.
    let mut first_with_words: HashMap<&[String], usize> = HashMap::new();
    let mut distinct = Vec::new();
    for (id, tokens) in words.iter().enumerate() {
        match first_with_words.get(tokens.as_slice()) {
            Some(&first) if tokens.len() >= 2 => union(&mut parent, first, id),
            Some(_) => distinct.push(id),
            None => {
                first_with_words.insert(tokens, id);
                distinct.push(id);
            }
        }
    }
    let mut postings: HashMap<&[String], Vec<usize>> = HashMap::new();
    for id in distinct {
        let tokens = &words[id];
        let keys: BTreeSet<&[String]> = if tokens.len() < 3 {
            BTreeSet::from([tokens.as_slice()])
        } else {
            tokens.windows(3).collect()
        };
        for key in keys {
            postings.entry(key).or_default().push(id);
        }
    }
    let mut compared: BTreeSet<(usize, usize)> = BTreeSet::new();
    for ids in postings.values().filter(|ids| ids.len() <= MAX_POSTINGS) {
        for (i, &a) in ids.iter().enumerate() {
            for &b in &ids[i + 1..] {
                if compared.insert((a, b)) && same_words(&words[a], &words[b]) {
                    union(&mut parent, a, b);
                }
            }
        }
    }

    let mut group_by_root: BTreeMap<usize, usize> = BTreeMap::new();
    let mut index = QuoteIndex {
        group_of: analyses.iter().map(|a| vec![0; a.quotes.len()]).collect(),
        ..QuoteIndex::default()
    };
    for (id, quote) in refs.iter().enumerate() {
        let root = find(&mut parent, id);
        let group = *group_by_root.entry(root).or_insert_with(|| {
            index.groups.push(QuoteGroup {
                members: Vec::new(),
                sources: Vec::new(),
                sources_in_time: Vec::new(),
                corroboration: Corroboration::default(),
            });
            index.groups.len() - 1
        });
        let members = &mut index.groups[group];
        members.members.push(*quote);
        if members.sources.last() != Some(&quote.source) {
            members.sources.push(quote.source);
        }
        index.group_of[quote.source][quote.quote] = group;
        let attribution = analyses[quote.source].quotes[quote.quote]
            .attribution
            .as_ref();
        if let Some(speaker) = attribution.and_then(|a| a.speaker) {
            index.by_speaker.entry(speaker).or_default().push(*quote);
        }
        if let Some(channel) = attribution.and_then(|a| a.channel) {
            index.by_channel.entry(channel).or_default().push(*quote);
        }
    }
    index
}

/// The words of a quote, lower case, without punctuation or ellipses.
pub fn normalise(text: &str) -> Vec<String> {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect()
}

/// Whether two quotes are the same words: at most one word in ten differs,
/// counting insertions, deletions and substitutions. A quote of fewer than
/// ten words must match exactly: one word changed in `We will not accept
/// trade cuts` is another statement.
fn same_words(a: &[String], b: &[String]) -> bool {
    let longest = a.len().max(b.len());
    let allowed = longest / 10;
    if a.len().abs_diff(b.len()) > allowed || a.len().min(b.len()) < 2 {
        return false;
    }
    word_distance(a, b) <= allowed
}

/// Levenshtein distance over words.
fn word_distance(a: &[String], b: &[String]) -> usize {
    let mut previous: Vec<usize> = (0..=b.len()).collect();
    for (i, word) in a.iter().enumerate() {
        let mut current = vec![i + 1; b.len() + 1];
        for (j, other) in b.iter().enumerate() {
            let substitute = previous[j] + usize::from(word != other);
            current[j + 1] = substitute.min(previous[j + 1] + 1).min(current[j] + 1);
        }
        previous = current;
    }
    previous[b.len()]
}

fn find(parent: &mut [usize], mut id: usize) -> usize {
    while parent[id] != id {
        parent[id] = parent[parent[id]];
        id = parent[id];
    }
    id
}

/// Joins two sets, the smaller root under the larger so roots are stable.
fn union(parent: &mut [usize], a: usize, b: usize) {
    let (ra, rb) = (find(parent, a), find(parent, b));
    let (keep, join) = if ra < rb { (ra, rb) } else { (rb, ra) };
    parent[join] = keep;
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::Quote;

    fn quote(text: &str) -> Quote {
        Quote {
            paragraph: 0,
            start: 0,
            end: text.len(),
            text: text.to_owned(),
            fragment: false,
            attribution: None,
        }
    }

    fn analysis(texts: &[&str]) -> SourceAnalysis {
        SourceAnalysis {
            quotes: texts.iter().map(|t| quote(t)).collect(),
            ..SourceAnalysis::default()
        }
    }

    const TASS: &str = "Russia has always spoken in favour of a political settlement of the \
                        Syrian crisis. We insist that the UN-mediated talks be resumed";

    #[test]
    fn the_same_words_in_two_sources_are_one_group() {
        let a = analysis(&[TASS, "This victory, my brothers, is historic"]);
        let b = analysis(&[TASS]);
        let index = link_quotes(&[&a, &b]);
        let group = index.group(QuoteRef {
            source: 1,
            quote: 0,
        });
        assert_eq!(group.sources, [0, 1]);
        assert_eq!(group.members.len(), 2);
        assert_eq!(index.groups.len(), 2);
    }

    #[test]
    fn punctuation_an_ellipsis_and_a_dropped_word_are_allowed() {
        let a = analysis(&[
            "Russia does not betray its friends in difficult situations… unlike the US",
        ]);
        let b =
            analysis(&["Russia does not betray friends in difficult situations, unlike the US."]);
        let index = link_quotes(&[&a, &b]);
        assert_eq!(index.groups.len(), 1);
        assert_eq!(index.groups[0].sources, [0, 1]);
    }

    #[test]
    fn different_words_on_the_same_subject_stay_apart() {
        let a = analysis(&[
            "Assad, along with members of his family, has arrived in Moscow. Russia granted them asylum on humanitarian grounds",
        ]);
        let b = analysis(&[
            "President Assad of Syria has arrived in Moscow. Russia has granted them (him and his family) asylum on humanitarian grounds.",
        ]);
        let index = link_quotes(&[&a, &b]);
        assert_eq!(index.groups.len(), 2);
    }

    #[test]
    fn a_statement_reprinted_by_very_many_sources_is_one_group() {
        // Every trigram of the statement stands in more quotes than a stock
        // phrase may; a variant with a word dropped still joins them.
        let reprints: Vec<SourceAnalysis> =
            (0..3 * MAX_POSTINGS).map(|_| analysis(&[TASS])).collect();
        let variant = analysis(&[&TASS.replace("always ", "")]);
        let mut all: Vec<&SourceAnalysis> = reprints.iter().collect();
        all.push(&variant);
        let index = link_quotes(&all);
        assert_eq!(index.groups.len(), 1);
        assert_eq!(index.groups[0].sources.len(), 3 * MAX_POSTINGS + 1);
    }

    #[test]
    fn a_short_quote_with_one_word_changed_is_another_statement() {
        let index = link_quotes(&[
            &analysis(&["We will not accept trade cuts"]),
            &analysis(&["We will not accept cyber cuts"]),
            &analysis(&["We will not accept trade cuts."]),
        ]);
        assert_eq!(index.groups.len(), 2);
        assert_eq!(index.groups[0].sources, [0, 2]);
    }

    #[test]
    fn one_word_quotes_are_not_grouped_for_being_the_same() {
        let index = link_quotes(&[&analysis(&["Never"]), &analysis(&["never"])]);
        assert_eq!(index.groups.len(), 2);
    }

    #[test]
    fn a_source_repeating_a_quote_counts_once() {
        let a = analysis(&[TASS, TASS]);
        let index = link_quotes(&[&a]);
        assert_eq!(index.groups.len(), 1);
        assert_eq!(index.groups[0].sources, [0]);
        assert_eq!(index.groups[0].members.len(), 2);
    }

    #[test]
    fn words_are_normalised() {
        assert_eq!(
            normalise("“Of course… it’s his (Putin) decision,”"),
            ["of", "course", "it", "s", "his", "putin", "decision"]
        );
        assert_eq!(word_distance(&normalise("a b c"), &normalise("a c")), 1);
    }
}
