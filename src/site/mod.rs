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

    let mut in_paragraphs: Vec<(usize, usize)> = Vec::new();
    // Each entity's mentions per source, in source order: made into maps
    // at once at the end, which is quicker than inserting source by source.
    let mut by_source: Vec<Vec<(usize, Vec<u32>)>> = vec![Vec::new(); entities.len()];
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
            entities[entity].mention_count += mentions.len();
            by_source[entity].push((index, mentions));
        }
        in_paragraphs.extend(pairs_in_paragraphs);
        sources.push(SiteSource {
            source,
            slug,
            analysis,
            entity_counts,
        });
    }
    (entities.par_iter_mut().zip(by_source)).for_each(|(entity, by_source)| {
        entity.mentions_by_source = by_source.into_iter().collect();
    });
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
    // Each entity's pairs with the entities after it are gathered and judged
    // apart from every other's, so in parallel, from the entities of each
    // source in a list: the walk of millions of pairs is a walk of lists.
    let named: Vec<Vec<u32>> = (sources.par_iter())
        .map(|s| s.entity_counts.keys().map(|&e| e as u32).collect())
        .collect();
    let pairs: Vec<Vec<(usize, corroboration::Corroboration)>> = (0..entities.len())
        .into_par_iter()
        .map_init(
            || clusters.counter(),
            |counter, a| {
                let naming_a = entities[a].mentions_by_source.keys().copied();
                let named_in = |s: usize| named[s].as_slice();
                (sources_naming_pairs(a, entities.len(), naming_a, named_in).into_iter())
                    .map(|(b, both)| (b, clusters.corroboration_of_distinct(&both, counter)))
                    .collect()
            },
        )
        .collect();
    for (a, pairs) in pairs.into_iter().enumerate() {
        for (b, both) in pairs {
            let paragraphs = paragraph_pairs.get(&(a, b)).copied().unwrap_or(0);
            for (this, other) in [(a, b), (b, a)] {
                entities[this].cooccurring.push(Cooccurrence {
                    entity: other,
                    sources: both.sources,
                    paragraphs,
                    independent_sources: both.independent,
                    first_source: both.first,
                });
            }
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

/// The entities of index above `a` named in a source with it, each with the
/// sources naming both, in source order; `naming_a` are the sources naming
/// `a`, in order, and `named_in` the entities a source names (in order,
/// below `entity_count`). Gathered entity by entity rather than in one list
/// of every (pair, source): a dossier naming sixty entities in each source
/// has millions of those, and sorting them all took most of a rebuild's
/// linking. Here each source goes straight to its pair's list.
fn sources_naming_pairs<'a>(
    a: usize,
    entity_count: usize,
    naming_a: impl Iterator<Item = usize>,
    named_in: impl Fn(usize) -> &'a [u32],
) -> Vec<(usize, Vec<usize>)> {
    let mut with: Vec<Vec<usize>> = vec![Vec::new(); entity_count];
    for source in naming_a {
        let named = named_in(source);
        let after_a = named.partition_point(|&b| b as usize <= a);
        for &b in &named[after_a..] {
            with[b as usize].push(source);
        }
    }
    (with.into_iter().enumerate())
        .filter(|(_, sources)| !sources.is_empty())
        .collect()
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
        // Source 2 names 1 and 3; source 5, 0 and 2; source 7, 1, 2 and 3.
        let named: BTreeMap<usize, Vec<u32>> =
            [(2, vec![1, 3]), (5, vec![0, 2]), (7, vec![1, 2, 3])].into();
        let pairs_of = |a: usize| {
            let naming_a = (named.iter())
                .filter(|(_, e)| e.contains(&(a as u32)))
                .map(|(&s, _)| s);
            sources_naming_pairs(a, 4, naming_a, |s| named[&s].as_slice())
        };
        assert_eq!(pairs_of(0), [(2, vec![5])]);
        assert_eq!(pairs_of(1), [(2, vec![7]), (3, vec![2, 7])]);
        assert_eq!(pairs_of(2), [(3, vec![7])]);
        assert_eq!(pairs_of(3), []);
    }
}
