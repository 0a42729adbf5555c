//! Finding entity mentions: one Aho-Corasick pass over a paragraph for every
//! name and alias of the catalogue at once, leftmost-longest (`Hafez
//! al-Assad` beats `Assad`), on word boundaries (`Assadollah` is not Assad).

use aho_corasick::{AhoCorasick, AhoCorasickBuilder, AhoCorasickKind, MatchKind};
use serde::{Deserialize, Serialize};

use super::fold::{fold, fold_name};
use crate::content::{Entity, EntityKind};
use crate::error::Diagnostic;

/// One occurrence of an entity's name in a paragraph.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Mention {
    /// Index of the paragraph in its source (0-based).
    pub paragraph: usize,
    /// Byte range in the paragraph's text.
    pub start: usize,
    pub end: usize,
    /// Index of the entity in the catalogue.
    pub entity: usize,
}

/// One way of writing a name: which entity it names, and whether it is an
/// acronym that must match in capitals (`US` is not `us`).
#[derive(Debug, Clone)]
struct Variant {
    entity: usize,
    folded: String,
    case_sensitive: bool,
}

/// The compiled catalogue: built once per build, shared by every source.
pub struct Matcher {
    automaton: Option<AhoCorasick>,
    /// For each pattern of the (case-insensitive) automaton, the variants
    /// that share its letters, tried in order: `TASS` and `Tass` are one
    /// pattern with two variants.
    patterns: Vec<Vec<Variant>>,
    /// The kind of each entity, by catalogue index: quotes need to tell a
    /// person from an outlet.
    kinds: Vec<EntityKind>,
}

impl Matcher {
    /// Compiles the names of `entities`. A name claimed by two entities goes
    /// to the first and a warning names both files.
    pub fn new(entities: &[Entity]) -> (Matcher, Vec<Diagnostic>) {
        let mut patterns: Vec<Vec<Variant>> = Vec::new();
        let mut by_key: std::collections::HashMap<String, usize> = Default::default();
        let mut warnings = Vec::new();
        for (index, entity) in entities.iter().enumerate() {
            for name in entity.names().filter(|name| can_match(name)) {
                let folded = fold_name(name);
                let variant = Variant {
                    entity: index,
                    case_sensitive: is_acronym(&folded),
                    folded,
                };
                let key = variant.folded.to_ascii_lowercase();
                let Some(&slot) = by_key.get(&key) else {
                    by_key.insert(key, patterns.len());
                    patterns.push(vec![variant]);
                    continue;
                };
                let clash = patterns[slot].iter().find(|other| {
                    // Exact and loose variants can share letters (`US`, `us`):
                    // the exact one wins where it fits. Two of a kind clash.
                    other.entity != index
                        && other.case_sensitive == variant.case_sensitive
                        && (!variant.case_sensitive || other.folded == variant.folded)
                });
                if let Some(other) = clash {
                    let first = &entities[other.entity];
                    warnings.push(
                        Diagnostic::warning(
                            &entity.path,
                            format!(
                                "the name `{name}` is also a name of {} ({}); mentions go to the first",
                                first.name,
                                first.path.display()
                            ),
                        )
                        .with_help("remove the alias from one of the two entities"),
                    );
                    continue;
                }
                // Exact (case-sensitive) variants are tried before loose ones.
                let variants = &mut patterns[slot];
                variants.push(variant);
                variants.sort_by_key(|v| !v.case_sensitive);
            }
        }
        let automaton = (!patterns.is_empty()).then(|| {
            // A full DFA: built once, searched in every paragraph, and
            // quicker to search than the default NFA at hundreds of names.
            AhoCorasickBuilder::new()
                .kind(Some(AhoCorasickKind::DFA))
                .match_kind(MatchKind::LeftmostLongest)
                .ascii_case_insensitive(true)
                .build(patterns.iter().map(|variants| variants[0].folded.as_str()))
                .expect("patterns of folded names always build")
        });
        (
            Matcher {
                automaton,
                patterns,
                kinds: entities.iter().map(|e| e.kind).collect(),
            },
            warnings,
        )
    }

    /// The kind of the entity at catalogue index `entity`.
    pub fn kind(&self, entity: usize) -> Option<EntityKind> {
        self.kinds.get(entity).copied()
    }

    /// Every mention in one paragraph's text, in order.
    pub fn find(&self, paragraph: usize, text: &str) -> Vec<Mention> {
        let Some(automaton) = &self.automaton else {
            return Vec::new();
        };
        let folded = fold(text);
        let mut mentions = Vec::new();
        for found in automaton.find_iter(&folded.text) {
            let matched = &folded.text[found.start()..found.end()];
            let variants = &self.patterns[found.pattern().as_usize()];
            let Some(variant) = variants
                .iter()
                .find(|v| !v.case_sensitive || matched == v.folded)
            else {
                continue;
            };
            let (start, end) = folded.original_range(found.start(), found.end());
            if !on_word_boundaries(text, start, end) {
                continue;
            }
            mentions.push(Mention {
                paragraph,
                start,
                end,
                entity: variant.entity,
            });
        }
        mentions
    }
}

/// A name can match only if it has a letter or digit once folded: `(` or
/// `…` alone would make every bracket or ellipsis of the sources a mention.
pub(crate) fn can_match(name: &str) -> bool {
    fold_name(name).chars().any(char::is_alphanumeric)
}

/// An acronym is written in capitals (two or more letters, dots allowed):
/// it only matches in capitals, so `US` never matches the word `us`.
pub(crate) fn is_acronym(name: &str) -> bool {
    let letters: Vec<char> = name.chars().filter(|c| c.is_alphabetic()).collect();
    letters.len() >= 2
        && letters.iter().all(|c| c.is_uppercase())
        && name
            .chars()
            .all(|c| c.is_alphanumeric() || c == '.' || c == ' ')
}

/// Whether `start..end` of `text` is a whole word (or words): no letter or
/// digit right before or after. A possessive `’s` after a name is allowed by
/// this, as the apostrophe ends the word.
fn on_word_boundaries(text: &str, start: usize, end: usize) -> bool {
    let before = text[..start].chars().next_back();
    let after = text[end..].chars().next();
    let first = text[start..end].chars().next();
    let last = text[start..end].chars().next_back();
    let word_char = |c: char| c.is_alphanumeric();
    let open_before = !first.is_some_and(word_char) || !before.is_some_and(word_char);
    let open_after = !last.is_some_and(word_char) || !after.is_some_and(word_char);
    open_before && open_after
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::content::EntityKind;

    fn entity(name: &str, aliases: &[&str]) -> Entity {
        Entity::for_test(name, EntityKind::Person, aliases)
    }

    fn names(matcher: &Matcher, text: &str) -> Vec<(usize, String)> {
        matcher
            .find(0, text)
            .into_iter()
            .map(|m| (m.entity, text[m.start..m.end].to_owned()))
            .collect()
    }

    fn catalogue() -> Matcher {
        Matcher::new(&[
            entity("Bashar al-Assad", &["Assad", "al-Assad"]),
            entity("Hafez al-Assad", &[]),
            entity("Türkiye", &["Turkey"]),
            entity("United States", &["US", "U.S."]),
            entity("Hayat Tahrir al-Sham", &["HTS"]),
        ])
        .0
    }

    #[test]
    fn leftmost_longest_prefers_the_full_name() {
        let m = catalogue();
        assert_eq!(
            names(&m, "Hafez al-Assad ruled"),
            [(1, "Hafez al-Assad".into())]
        );
        assert_eq!(
            names(&m, "Bashar al-Assad fled"),
            [(0, "Bashar al-Assad".into())]
        );
    }

    #[test]
    fn whole_words_only() {
        let m = catalogue();
        assert!(names(&m, "Assadollah spoke").is_empty());
        assert!(names(&m, "the Assadists").is_empty());
        assert_eq!(names(&m, "post-Assad era"), [(0, "Assad".into())]);
    }

    #[test]
    fn possessives_and_typographic_variants() {
        let m = catalogue();
        assert_eq!(names(&m, "Assad’s rule"), [(0, "Assad".into())]);
        assert_eq!(names(&m, "Assad's rule"), [(0, "Assad".into())]);
        assert_eq!(names(&m, "Turkiye’s role"), [(2, "Turkiye".into())]);
        assert_eq!(names(&m, "in Türkiye"), [(2, "Türkiye".into())]);
        assert_eq!(names(&m, "Al-Assad left"), [(0, "Al-Assad".into())]);
        assert_eq!(names(&m, "Hayat Tahrir al Sham (HTS)").len(), 2);
    }

    #[test]
    fn acronyms_match_only_in_capitals() {
        let m = catalogue();
        assert_eq!(names(&m, "unlike the US."), [(3, "US".into())]);
        assert!(names(&m, "he told us").is_empty());
        assert!(names(&m, "hts").is_empty());
        assert_eq!(names(&m, "U.S.' Sullivan"), [(3, "U.S.".into())]);
    }

    #[test]
    fn ranges_are_bytes_of_the_original_text() {
        let m = catalogue();
        let text = "«Türkiye» and Assad";
        let found = m.find(4, text);
        assert_eq!(found[0].paragraph, 4);
        assert_eq!(&text[found[0].start..found[0].end], "Türkiye");
        assert_eq!(&text[found[1].start..found[1].end], "Assad");
    }

    #[test]
    fn an_acronym_and_its_spelled_out_variant_both_match() {
        let (m, warnings) = Matcher::new(&[entity("TASS", &["Tass"])]);
        assert!(warnings.is_empty());
        assert_eq!(
            names(&m, "TASS and Tass"),
            [(0, "TASS".into()), (0, "Tass".into())]
        );
    }

    #[test]
    fn one_acronym_and_another_entitys_word_do_not_clash() {
        let (m, warnings) = Matcher::new(&[
            entity("United States", &["US"]),
            entity("Us Weekly", &["us"]),
        ]);
        assert!(warnings.is_empty());
        assert_eq!(
            names(&m, "the US and us"),
            [(0, "US".into()), (1, "us".into())]
        );
    }

    #[test]
    fn a_name_shared_by_two_entities_is_reported() {
        let (_, warnings) = Matcher::new(&[entity("A", &["Same"]), entity("B", &["same"])]);
        assert_eq!(warnings.len(), 1);
        assert!(warnings[0].message.contains("`same`"));
    }

    #[test]
    fn names_without_letters_or_digits_are_never_looked_for() {
        let (m, warnings) = Matcher::new(&[
            entity("Brackets", &["(", "[", "…", "*"]),
            entity("Other", &["("]),
        ]);
        assert!(warnings.is_empty(), "no clash over a name never looked for");
        assert_eq!(
            names(&m, "Brackets (round) and [square]… *"),
            [(0, "Brackets".into())]
        );
    }

    #[test]
    fn an_empty_catalogue_finds_nothing() {
        let (m, _) = Matcher::new(&[]);
        assert!(m.find(0, "Assad").is_empty());
    }
}
