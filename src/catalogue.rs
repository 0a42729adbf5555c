//! Checks of the entity catalogue against the sources, reported as warnings
//! by `build` and `check`: entities no name of which can ever match, and
//! entities that no source mentions. Each warning names the entity's file.
//! Names that are everyday words, or have no letter or digit, are caught
//! per file, on their line, by the entity reader with [`is_common_word`]
//! and [`can_match`].

use crate::analysis::fold::fold_name;
use crate::analysis::mentions::{can_match, is_acronym};
use crate::analysis::SourceAnalysis;
use crate::content::Entity;
use crate::error::Diagnostic;

/// Everyday English words: as a name or alias they would turn every
/// sentence into a mention.
const COMMON_WORDS: &[&str] = &[
    "a",
    "about",
    "after",
    "all",
    "also",
    "an",
    "and",
    "any",
    "are",
    "army",
    "as",
    "at",
    "back",
    "be",
    "because",
    "been",
    "but",
    "by",
    "can",
    "city",
    "come",
    "could",
    "country",
    "court",
    "day",
    "do",
    "even",
    "first",
    "for",
    "from",
    "get",
    "give",
    "go",
    "good",
    "government",
    "have",
    "he",
    "her",
    "him",
    "his",
    "how",
    "i",
    "if",
    "in",
    "into",
    "is",
    "it",
    "its",
    "just",
    "know",
    "like",
    "look",
    "make",
    "man",
    "me",
    "minister",
    "most",
    "my",
    "new",
    "no",
    "not",
    "now",
    "of",
    "on",
    "one",
    "only",
    "or",
    "other",
    "our",
    "out",
    "over",
    "party",
    "people",
    "police",
    "president",
    "said",
    "say",
    "see",
    "she",
    "so",
    "some",
    "state",
    "take",
    "than",
    "that",
    "the",
    "their",
    "them",
    "then",
    "there",
    "these",
    "they",
    "think",
    "this",
    "time",
    "to",
    "two",
    "up",
    "us",
    "use",
    "want",
    "war",
    "was",
    "way",
    "we",
    "well",
    "were",
    "what",
    "when",
    "which",
    "who",
    "will",
    "with",
    "work",
    "world",
    "would",
    "year",
    "you",
    "your",
];

/// Warnings about the catalogue, in entity order.
pub fn check(entities: &[Entity], analyses: &[SourceAnalysis]) -> Vec<Diagnostic> {
    let mut mentioned = vec![false; entities.len()];
    for mention in analyses.iter().flat_map(|a| &a.mentions) {
        if let Some(flag) = mentioned.get_mut(mention.entity) {
            *flag = true;
        }
    }
    let mut warnings = Vec::new();
    for (entity, mentioned) in entities.iter().zip(mentioned) {
        if !entity.names().any(can_match) {
            warnings.push(
                Diagnostic::warning(
                    &entity.path,
                    format!("no name of `{}` can be found in text", entity.name),
                )
                .with_help("give the entity a name or an alias made of letters or digits"),
            );
            continue;
        }
        if !mentioned {
            warnings.push(
                Diagnostic::warning(
                    &entity.path,
                    format!("no source mentions `{}`", entity.name),
                )
                .with_help(
                    "check its name and aliases against the sources' spelling, or remove the file",
                ),
            );
        }
    }
    warnings
}

/// Acronyms match only in capitals (`US` is not `us`), so they are not
/// everyday words even when their letters are.
pub fn is_common_word(name: &str) -> bool {
    let folded = fold_name(name);
    if is_acronym(&folded) {
        return false;
    }
    let folded = folded.to_lowercase();
    COMMON_WORDS.binary_search(&folded.as_str()).is_ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::Mention;
    use crate::content::EntityKind;

    fn entity(name: &str, aliases: &[&str]) -> Entity {
        Entity::for_test(name, EntityKind::Person, aliases)
    }

    fn mentioning(entity: usize) -> SourceAnalysis {
        SourceAnalysis {
            mentions: vec![Mention {
                paragraph: 0,
                start: 0,
                end: 1,
                entity,
            }],
            ..SourceAnalysis::default()
        }
    }

    #[test]
    fn common_words_are_sorted_for_lookup() {
        assert!(COMMON_WORDS.windows(2).all(|w| w[0] < w[1]));
    }

    #[test]
    fn an_entity_without_aliases_is_fine_when_mentioned() {
        assert!(check(&[entity("Peskov", &[])], &[mentioning(0)]).is_empty());
    }

    #[test]
    fn everyday_words_are_common_but_acronyms_and_names_are_not() {
        assert!(is_common_word("The"));
        assert!(is_common_word("president"));
        assert!(!is_common_word("US"));
        assert!(!is_common_word("Peskov"));
    }

    #[test]
    fn warns_about_entities_no_source_mentions() {
        let warnings = check(
            &[entity("Peskov", &[]), entity("Lavrov", &[])],
            &[mentioning(0)],
        );
        assert_eq!(warnings.len(), 1);
        assert!(warnings[0].message.contains("`Lavrov`"));
        assert_eq!(
            warnings[0].path.to_str(),
            Some("content/entities/Lavrov.md")
        );
    }

    #[test]
    fn warns_when_no_name_can_ever_match() {
        let warnings = check(&[entity("…", &["—"])], &[]);
        assert_eq!(warnings.len(), 1);
        assert!(warnings[0].message.contains("no name"));
    }
}
