//! Linking: the cross-source picture, built from every source's analysis.
//!
//! Parsing and analysis look at one file at a time; this pass is the first to
//! see all of them, so it is where mentions are gathered per entity, the
//! entity × source matrix is counted and co-occurrence is measured. It is
//! cheap (linear in the number of mentions) and never reads text again.

pub mod corroboration;
pub mod passages;
pub mod quotes;
pub mod timeline;

use std::collections::{BTreeMap, BTreeSet};

use rayon::prelude::*;

use crate::analysis::{Mention, SourceAnalysis};
use crate::cache::AlignmentMemo;
use crate::config::Config;
use crate::content::{Content, Entity, Source};

/// A source with its slug and what was found in it.
#[derive(Debug, Clone)]
pub struct SiteSource {
    pub source: Source,
    pub slug: String,
    pub analysis: SourceAnalysis,
    /// Mentions per entity index, in this source.
    pub entity_counts: BTreeMap<usize, usize>,
}

impl SiteSource {
    /// The mentions at `indices` of its list, as an entity's
    /// `mentions_by_source` gives them.
    pub fn mentions<'a>(&'a self, indices: &'a [u32]) -> impl Iterator<Item = &'a Mention> + 'a {
        indices
            .iter()
            .map(|&at| &self.analysis.mentions[at as usize])
    }
}

/// An entity with everything the sources say of it.
#[derive(Debug, Clone)]
pub struct SiteEntity {
    pub entity: Entity,
    /// Its mentions per source index: where they are in that source's
    /// `analysis.mentions`, in paragraph order. Indices, not copies: a
    /// dossier of a million mentions would otherwise hold each twice.
    pub mentions_by_source: BTreeMap<usize, Vec<u32>>,
    pub mention_count: usize,
    /// Entities mentioned in the same sources: (entity index, shared sources,
    /// shared paragraphs), most shared first.
    pub cooccurring: Vec<Cooccurrence>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Cooccurrence {
    pub entity: usize,
    pub sources: usize,
    pub paragraphs: usize,
    /// Sources mentioning both, counting sources that share wire text once.
    pub independent_sources: usize,
    /// The earliest source mentioning both.
    pub first_source: Option<usize>,
}

/// The whole dossier, linked: the input of rendering.
#[derive(Debug, Clone)]
pub struct Site {
    pub config: Config,
    /// In path order: a source's index is stable within a build.
    pub sources: Vec<SiteSource>,
    /// In catalogue order (by file name).
    pub entities: Vec<SiteEntity>,
    /// Quotes grouped across sources and listed by speaker.
    pub quotes: quotes::QuoteIndex,
    /// Dated sentences of every source, by day.
    pub timeline: timeline::Timeline,
    /// Text shared by two or more sources, and boilerplate left out.
    pub passages: passages::Passages,
    /// Sources grouped by shared text, for counting independent sources.
    pub clusters: corroboration::SourceClusters,
}

impl Site {
    /// The sentence a timeline event is dated in.
    pub fn event_sentence(&self, event: &timeline::Event) -> &str {
        let source = &self.sources[event.source];
        event.sentence(&source.source, &source.analysis)
    }

    /// How a timeline event's day was found, in words.
    pub fn event_basis<'a>(&'a self, event: &'a timeline::Event) -> &'a str {
        event.basis(&self.sources[event.source].analysis)
    }

    pub fn mention_count(&self) -> usize {
        self.sources.iter().map(|s| s.analysis.mentions.len()).sum()
    }

    pub fn paragraph_count(&self) -> usize {
        self.sources.iter().map(|s| s.source.paragraphs.len()).sum()
    }

    /// Source indices, newest first; undated sources last; ties by title,
    /// then slug, so the order never depends on anything but the content.
    pub fn sources_by_date(&self) -> Vec<usize> {
        let mut order: Vec<usize> = (0..self.sources.len()).collect();
        order.sort_by(|&a, &b| {
            let (a, b) = (&self.sources[a], &self.sources[b]);
            let date = |s: &SiteSource| s.source.date.as_ref().map(|d| d.value);
            date(b)
                .cmp(&date(a))
                .then_with(|| a.source.title.value.cmp(&b.source.title.value))
                .then_with(|| a.slug.cmp(&b.slug))
        });
        order
    }

    /// Entity indices by how many sources mention them, then mentions, then
    /// name.
    pub fn entities_by_prominence(&self) -> Vec<usize> {
        let mut order: Vec<usize> = (0..self.entities.len()).collect();
        order.sort_by(|&a, &b| {
            let (a, b) = (&self.entities[a], &self.entities[b]);
            b.mentions_by_source
                .len()
                .cmp(&a.mentions_by_source.len())
                .then(b.mention_count.cmp(&a.mention_count))
                .then_with(|| a.entity.name.cmp(&b.entity.name))
        });
        order
    }
}

/// Links content and per-source analyses (in the same order) into a site.
pub fn link(
    config: Config,
    content: Content,
    analyses: Vec<SourceAnalysis>,
    alignments: &AlignmentMemo,
    history: &dyn passages::SourceHistory,
) -> Site {
    let mut entities: Vec<SiteEntity> = content
        .entities
        .into_iter()
        .map(|entity| SiteEntity {
            entity,
            mentions_by_source: BTreeMap::new(),
            mention_count: 0,
            cooccurring: Vec::new(),
        })
        .collect();

    // Each source's mentions, grouped by entity (so each entity's map of
    // sources takes one insertion per source rather than a look-up per
    // mention), and the pairs of entities its paragraphs name: per source,
    // so in parallel.
    let grouped: Vec<_> = analyses
        .par_iter()
        .map(|analysis| {
            let mut by_entity: BTreeMap<usize, Vec<u32>> = BTreeMap::new();
            let mut by_paragraph: BTreeMap<usize, BTreeSet<usize>> = BTreeMap::new();
            for (at, mention) in (0u32..).zip(&analysis.mentions) {
                by_entity.entry(mention.entity).or_default().push(at);
                by_paragraph
                    .entry(mention.paragraph)
                    .or_default()
                    .insert(mention.entity);
            }
            let mut in_paragraphs = Vec::new();
            for in_paragraph in by_paragraph.values() {
                push_pairs(in_paragraph.iter().copied(), &mut in_paragraphs);
            }
            (by_entity, in_paragraphs)
        })
        .collect();

    let mut in_sources: Vec<SourcePair> = Vec::new();
    let mut in_paragraphs: Vec<(usize, usize)> = Vec::new();
    let mut sources = Vec::with_capacity(content.sources.len());
    for (index, (((source, slug), analysis), (by_entity, pairs_in_paragraphs))) in content
        .sources
        .into_iter()
        .zip(content.source_slugs)
        .zip(analyses)
        .zip(grouped)
        .enumerate()
    {
        let mut entity_counts = BTreeMap::new();
        for (entity, mentions) in by_entity {
            entity_counts.insert(entity, mentions.len());
            let entity = &mut entities[entity];
            entity.mention_count += mentions.len();
            entity.mentions_by_source.insert(index, mentions);
        }
        push_source_pairs(entity_counts.keys().copied(), index, &mut in_sources);
        in_paragraphs.extend(pairs_in_paragraphs);
        sources.push(SiteSource {
            source,
            slug,
            analysis,
            entity_counts,
        });
    }
    in_sources.par_sort_unstable();
    let source_pairs = runs_by_pair(&in_sources);
    let paragraph_pairs = count_pairs(in_paragraphs);

    // Quotes and dates need no other step's result. When the last build's
    // passages can be updated, they are linked meanwhile and fill the
    // moments that step leaves a core idle; a search of the whole dossier
    // holds the words of every paragraph it compares, and goes first, so
    // that the two do not take their most memory at once.
    let quotes_and_timeline = || {
        let analyses: Vec<&SourceAnalysis> = sources.iter().map(|s| &s.analysis).collect();
        let texts: Vec<&Source> = sources.iter().map(|s| &s.source).collect();
        rayon::join(
            || quotes::link_quotes(&analyses),
            || timeline::link_timeline(&texts, &analyses),
        )
    };
    let passages = || passages::link_sources(&sources, alignments, history);
    let ((passages, clusters), (mut quotes, timeline)) = match alignments.previous_state() {
        Some(_) => rayon::join(passages, quotes_and_timeline),
        None => (passages(), quotes_and_timeline()),
    };
    quotes.corroborate(&clusters);
    // Pairs are independent of each other, so they are judged in parallel.
    let corroborated: Vec<corroboration::Corroboration> = source_pairs
        .par_iter()
        .map(|run| {
            let both: Vec<usize> = run.iter().map(|pair| pair.source as usize).collect();
            clusters.corroboration(&both)
        })
        .collect();
    for (run, both) in source_pairs.iter().zip(corroborated) {
        let (a, b) = (run[0].a as usize, run[0].b as usize);
        let paragraphs = paragraph_pairs.get(&(a, b)).copied().unwrap_or(0);
        for (this, other) in [(a, b), (b, a)] {
            entities[this].cooccurring.push(Cooccurrence {
                entity: other,
                sources: run.len(),
                paragraphs,
                independent_sources: both.independent,
                first_source: both.first,
            });
        }
    }
    for entity in &mut entities {
        entity.cooccurring.sort_by(|x, y| {
            y.sources
                .cmp(&x.sources)
                .then(y.paragraphs.cmp(&x.paragraphs))
                .then(x.entity.cmp(&y.entity))
        });
    }
    Site {
        config,
        sources,
        entities,
        quotes,
        timeline,
        passages,
        clusters,
    }
}

/// Two entities named in one source: `a` < `b`, entity indices.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
struct SourcePair {
    a: u32,
    b: u32,
    source: u32,
}

/// Adds every unordered pair of distinct entities (given sorted and unique)
/// named in `source`.
fn push_source_pairs(
    entities: impl Iterator<Item = usize>,
    source: usize,
    pairs: &mut Vec<SourcePair>,
) {
    let source = index_u32(source);
    for_each_pair(entities.map(index_u32), |a, b| {
        pairs.push(SourcePair { a, b, source });
    });
}

fn index_u32(index: usize) -> u32 {
    u32::try_from(index).expect("fewer than 4 billion sources and entities")
}

/// The sources naming each pair of entities, from `pairs` sorted: a run
/// per pair in pair order, each in source order. Gathered source by source,
/// a pair's sources come without merging the two entities' (perhaps
/// thousands of) sources, for every pair.
fn runs_by_pair(pairs: &[SourcePair]) -> Vec<&[SourcePair]> {
    pairs.chunk_by(|x, y| (x.a, x.b) == (y.a, y.b)).collect()
}

/// Adds every unordered pair of distinct items (given sorted and unique).
fn push_pairs(items: impl Iterator<Item = usize>, pairs: &mut Vec<(usize, usize)>) {
    for_each_pair(items, |a, b| pairs.push((a, b)));
}

/// Calls `each` with every unordered pair of `items`, in order.
fn for_each_pair<T: Copy>(items: impl Iterator<Item = T>, mut each: impl FnMut(T, T)) {
    let items: Vec<T> = items.collect();
    for (i, &a) in items.iter().enumerate() {
        for &b in &items[i + 1..] {
            each(a, b);
        }
    }
}

/// How many times each pair occurs: sorting a list of them is far quicker
/// than counting them one by one in a map.
fn count_pairs(mut pairs: Vec<(usize, usize)>) -> BTreeMap<(usize, usize), usize> {
    pairs.par_sort_unstable();
    pairs
        .chunk_by(|a, b| a == b)
        .map(|run| (run[0], run.len()))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pairs_are_counted_once_each() {
        let mut pairs = Vec::new();
        push_pairs([1, 2, 3].into_iter(), &mut pairs);
        push_pairs([1, 3].into_iter(), &mut pairs);
        let pairs = count_pairs(pairs);
        assert_eq!(pairs[&(1, 3)], 2);
        assert_eq!(pairs[&(1, 2)], 1);
        assert_eq!(pairs.len(), 3);
    }

    #[test]
    fn each_pair_of_entities_lists_the_sources_naming_both() {
        let mut pairs = Vec::new();
        push_source_pairs([1, 2, 3].into_iter(), 7, &mut pairs);
        push_source_pairs([0, 2].into_iter(), 5, &mut pairs);
        push_source_pairs([1, 3].into_iter(), 2, &mut pairs);
        pairs.sort_unstable();
        let runs: Vec<((u32, u32), Vec<u32>)> = runs_by_pair(&pairs)
            .into_iter()
            .map(|run| ((run[0].a, run[0].b), run.iter().map(|p| p.source).collect()))
            .collect();
        assert_eq!(
            runs,
            [
                ((0, 2), vec![5]),
                ((1, 2), vec![7]),
                ((1, 3), vec![2, 7]),
                ((2, 3), vec![7]),
            ]
        );
    }
}
