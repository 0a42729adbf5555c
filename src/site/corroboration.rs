//! Corroboration: how many *independent* sources carry something.
//!
//! Ten clippings of one wire story are one report, not ten. Sources that
//! reprint the same wire text — verbatim passages of [`WIRE_WORDS`] words or
//! more between them — form a cluster, and a cluster counts once. A reworded
//! sentence (a near passage) does not join sources: two outlets paraphrasing
//! one agency may still report independently on everything else. So a quote or a pair of names carried by five sources
//! in two clusters has two independent sources. The first source of a set is
//! the earliest dated one; undated sources come after dated ones, ties go by
//! slug.

use std::collections::BTreeMap;

use chrono::NaiveDate;

use super::passages::{DisjointSets, PassageKind, SharedPassage};

/// Verbatim words two sources must share to count as one report.
pub const WIRE_WORDS: usize = 15;

/// Sources grouped by the text they share.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SourceClusters {
    /// The cluster of each source: the smallest source index in it.
    cluster: Vec<usize>,
    /// Each source's position in time (see [`chronological_ranks`]).
    rank: Vec<usize>,
}

/// How many sources carry something, and who had it first.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Corroboration {
    pub sources: usize,
    pub independent: usize,
    /// The earliest source, if any.
    pub first: Option<usize>,
}

impl SourceClusters {
    /// Clusters of sources joined by the verbatim `passages` they share.
    /// `rank` gives each source's position in time (lower is earlier), as
    /// [`chronological_ranks`] does.
    pub fn new(rank: Vec<usize>, passages: &[SharedPassage]) -> Self {
        let mut shared_words: BTreeMap<(usize, usize), usize> = BTreeMap::new();
        for passage in passages.iter().filter(|p| p.kind == PassageKind::Verbatim) {
            let sources = passage.sources();
            for (i, &a) in sources.iter().enumerate() {
                for &b in &sources[i + 1..] {
                    *shared_words.entry((a, b)).or_insert(0) += passage.common_words;
                }
            }
        }
        let mut sets = DisjointSets::new(rank.len());
        for (&(a, b), &words) in &shared_words {
            if words >= WIRE_WORDS {
                sets.join(a, b);
            }
        }
        SourceClusters {
            cluster: (0..rank.len()).map(|s| sets.root(s)).collect(),
            rank,
        }
    }

    /// The cluster of `source`: the smallest source index in it.
    pub fn cluster_of(&self, source: usize) -> usize {
        self.cluster[source]
    }

    /// The sources of `source`'s cluster other than itself, by index.
    pub fn reprints_of(&self, source: usize) -> Vec<usize> {
        let cluster = self.cluster[source];
        (0..self.cluster.len())
            .filter(|&s| s != source && self.cluster[s] == cluster)
            .collect()
    }

    /// How many independent sources are among `sources` (source indices,
    /// repeats allowed): sources that share wire text count once.
    pub fn independent_sources(&self, sources: &[usize]) -> usize {
        count_distinct(sources.iter().map(|&s| self.cluster[s]).collect())
    }

    /// The position of `source` in time: lower is earlier.
    pub fn rank(&self, source: usize) -> usize {
        self.rank[source]
    }

    /// The earliest of `sources`: earliest date, undated last, ties by slug.
    pub fn first(&self, sources: &[usize]) -> Option<usize> {
        sources.iter().copied().min_by_key(|&s| self.rank[s])
    }

    /// Distinct sources, independent sources and the first, together.
    pub fn corroboration(&self, sources: &[usize]) -> Corroboration {
        Corroboration {
            sources: count_distinct(sources.to_vec()),
            independent: self.independent_sources(sources),
            first: self.first(sources),
        }
    }
}

/// Counts the clusters among lists of distinct sources, one list after
/// another: a mark per cluster, stamped anew for each list, where a sort of
/// each list would cost more than the rest of judging it. Co-occurrence
/// judges a list of sources for every pair of entities named together.
#[derive(Debug)]
pub struct ClusterCounter {
    marks: Vec<u32>,
    stamp: u32,
}

impl SourceClusters {
    pub fn counter(&self) -> ClusterCounter {
        ClusterCounter {
            marks: vec![0; self.cluster.len()],
            stamp: 0,
        }
    }

    /// [`SourceClusters::corroboration`] of `sources` given without repeats.
    pub fn corroboration_of_distinct(
        &self,
        sources: &[usize],
        counter: &mut ClusterCounter,
    ) -> Corroboration {
        if counter.stamp == u32::MAX {
            counter.marks.fill(0);
            counter.stamp = 0;
        }
        counter.stamp += 1;
        let mut independent = 0;
        for &source in sources {
            let mark = &mut counter.marks[self.cluster[source]];
            if *mark != counter.stamp {
                *mark = counter.stamp;
                independent += 1;
            }
        }
        Corroboration {
            sources: sources.len(),
            independent,
            first: self.first(sources),
        }
    }
}

/// How many different items `items` holds. Sorting a short list beats
/// building a set, and corroboration is counted for every pair of entities.
fn count_distinct(mut items: Vec<usize>) -> usize {
    items.sort_unstable();
    items.dedup();
    items.len()
}

/// Each source's position in time from its date and slug: dated sources
/// oldest first, then undated ones, ties by slug.
pub fn chronological_ranks(dates_and_slugs: &[(Option<NaiveDate>, &str)]) -> Vec<usize> {
    let mut order: Vec<usize> = (0..dates_and_slugs.len()).collect();
    order.sort_by_key(|&s| {
        let (date, slug) = dates_and_slugs[s];
        (date.is_none(), date, slug)
    });
    let mut rank = vec![0; order.len()];
    for (position, source) in order.into_iter().enumerate() {
        rank[source] = position;
    }
    rank
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::site::passages::{Occurrence, PassageKind};

    fn passage(sources: &[usize]) -> SharedPassage {
        worded(sources, PassageKind::Verbatim, 30)
    }

    fn worded(sources: &[usize], kind: PassageKind, words: usize) -> SharedPassage {
        SharedPassage {
            occurrences: sources
                .iter()
                .map(|&source| Occurrence {
                    source,
                    paragraph: 0,
                    start: 0,
                    end: 1,
                    words: 1,
                })
                .collect(),
            text: "x".into(),
            kind,
            common_words: words,
            source_count: sources.len(),
            in_time: (0..sources.len() as u32).collect(),
        }
    }

    fn day(d: u32) -> Option<NaiveDate> {
        NaiveDate::from_ymd_opt(2024, 12, d)
    }

    #[test]
    fn reprints_of_one_wire_story_count_once() {
        let clusters = SourceClusters::new(vec![0, 1, 2, 3], &[passage(&[0, 2]), passage(&[2, 3])]);
        assert_eq!(clusters.independent_sources(&[0, 1, 2, 3]), 2);
        assert_eq!(clusters.independent_sources(&[0, 3]), 1);
        assert_eq!(clusters.independent_sources(&[1, 3, 3]), 2);
        assert_eq!(clusters.independent_sources(&[]), 0);
        assert_eq!(clusters.reprints_of(3), [0, 2]);
        assert_eq!(clusters.cluster_of(3), 0);
    }

    #[test]
    fn a_reworded_or_short_passage_does_not_join_sources() {
        let clusters = SourceClusters::new(
            vec![0, 1, 2],
            &[
                worded(&[0, 1], PassageKind::Near, 40),
                worded(&[1, 2], PassageKind::Verbatim, 9),
            ],
        );
        assert_eq!(clusters.independent_sources(&[0, 1, 2]), 3);
        // Short verbatim passages add up.
        let clusters = SourceClusters::new(
            vec![0, 1],
            &[
                worded(&[0, 1], PassageKind::Verbatim, 9),
                worded(&[0, 1], PassageKind::Verbatim, 9),
            ],
        );
        assert_eq!(clusters.independent_sources(&[0, 1]), 1);
    }

    #[test]
    fn a_pair_is_corroborated_by_the_sources_mentioning_both() {
        let clusters = SourceClusters::new(vec![4, 3, 2, 1, 0], &[passage(&[1, 3])]);
        let both = clusters.corroboration(&[1, 3, 4]);
        assert_eq!(
            both,
            Corroboration {
                sources: 3,
                independent: 2,
                first: Some(4)
            }
        );
        assert_eq!(count_distinct(vec![5, 1, 5, 2, 1]), 3);
    }

    #[test]
    fn lists_of_distinct_sources_are_judged_alike_with_one_counter() {
        let clusters = SourceClusters::new(vec![4, 3, 2, 1, 0], &[passage(&[1, 3])]);
        let mut counter = clusters.counter();
        for sources in [&[1, 3, 4][..], &[0, 1, 3], &[3], &[], &[0, 2, 4]] {
            assert_eq!(
                clusters.corroboration_of_distinct(sources, &mut counter),
                clusters.corroboration(sources),
                "{sources:?}"
            );
        }
    }

    #[test]
    fn sources_sharing_nothing_are_all_independent() {
        let clusters = SourceClusters::new(vec![0, 1, 2], &[]);
        assert_eq!(clusters.independent_sources(&[0, 1, 2]), 3);
        assert!(clusters.reprints_of(1).is_empty());
    }

    #[test]
    fn the_first_source_is_the_earliest_dated_then_by_slug() {
        let ranks =
            chronological_ranks(&[(day(9), "b"), (None, "a"), (day(8), "z"), (day(9), "a")]);
        assert_eq!(ranks, [2, 3, 0, 1]);
        let clusters = SourceClusters::new(ranks, &[]);
        assert_eq!(clusters.first(&[0, 1, 3]), Some(3));
        assert_eq!(clusters.first(&[1, 0]), Some(0));
        assert_eq!(clusters.first(&[]), None);
        let summary = clusters.corroboration(&[0, 2, 2]);
        assert_eq!(
            summary,
            Corroboration {
                sources: 2,
                independent: 2,
                first: Some(2)
            }
        );
    }
}
