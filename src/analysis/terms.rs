//! The words of a text as the search index and the browser see them.
//!
//! Words are folded as the matcher folds names (`Türkiye` → `turkiye`) and
//! lowercased. They are not stemmed: the browser would have to stem queries
//! the same way, and matching every query word as a prefix (`negotiat` finds
//! `negotiations`) does the job of stemming as one types. Stop words of the
//! dossier's language (`the`, `and`) are left out of the text, where they
//! would fill the index with lists naming every document, but kept in
//! entity names, so `WHO` or `US` as a name is still found.
//!
//! A source's terms are part of its analysis, so they are cached with it.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use unicode_segmentation::UnicodeSegmentation;

use super::fold::fold;
use super::shingles::{FnvHashMap, FnvHashSet};
use crate::content::Source;

/// Weight of a word in a title or an entity's name, against 1 in the text.
pub const TITLE_WEIGHT: u32 = 8;

/// Scores are capped so that each fits in two characters of the index's
/// encoding.
pub const MAX_SCORE: u32 = 32 * 32 - 1;

/// The stop words of `language` (an ISO 639-1 code such as `en`), folded
/// like terms; none for a language without a list.
pub fn stop_words(language: &str) -> StopWords {
    let code = language.split(['-', '_']).next().unwrap_or_default();
    let words = stop_words::lookup(code.to_ascii_lowercase()).unwrap_or_default();
    words.iter().flat_map(|word| terms(word)).collect()
}

/// The words of `text` as the index and the browser see them: folded,
/// lowercased, split at Unicode word boundaries and again at anything
/// that is not a letter or digit (`Türkiye’s` → `turkiye`, `s`); words of
/// one character are left out.
pub fn terms(text: &str) -> Vec<String> {
    let mut terms = Vec::new();
    for_each_term(text, &mut |term| terms.push(term.to_owned()));
    terms
}

/// Calls `visit` with each of [`terms`]`(text)`, lent rather than
/// allocated.
fn for_each_term(text: &str, visit: &mut impl FnMut(&str)) {
    match text.is_ascii() {
        true => for_each_ascii_term(text, visit),
        false => for_each_folded_term(text, visit),
    }
}

/// [`for_each_term`] for any text.
fn for_each_folded_term(text: &str, visit: &mut impl FnMut(&str)) {
    let folded = fold(text).text.to_lowercase();
    // Accents, curly quotes and dashes fold to ASCII: most text is ASCII
    // once folded, and its terms are then found as ASCII text's are,
    // without the Unicode rules for word boundaries.
    match folded.is_ascii() {
        true => for_each_ascii_term(&folded, visit),
        false => for_each_unicode_term(&folded, visit),
    }
}

/// The terms of folded, lowercased text by the Unicode rules for word
/// boundaries.
fn for_each_unicode_term(folded: &str, visit: &mut impl FnMut(&str)) {
    folded
        .unicode_words()
        .flat_map(|word| word.split(|c: char| !c.is_alphanumeric()))
        .filter(|word| word.chars().nth(1).is_some())
        .for_each(visit);
}

/// [`for_each_term`] for ASCII text, which folding leaves as it is. Word
/// boundaries never fall between two ASCII letters or digits, and every
/// other ASCII character splits, so the terms are the runs of letters and
/// digits.
fn for_each_ascii_term(text: &str, visit: &mut impl FnMut(&str)) {
    let mut term = String::new();
    for run in text.split(|c: char| !c.is_ascii_alphanumeric()) {
        if run.len() > 1 {
            term.clear();
            term.push_str(run);
            term.make_ascii_lowercase();
            visit(&term);
        }
    }
}

/// Which words of a text to index.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Words {
    All,
    /// All but the stop words.
    Significant,
}

/// The terms of one document with their scores, and how its characters
/// fold.
#[derive(Default)]
pub struct DocumentTerms {
    scores: FnvHashMap<String, u32>,
    folds: BTreeMap<char, String>,
}

impl DocumentTerms {
    /// Adds the words of `text`, each scoring `weight`.
    pub fn add(&mut self, text: &str, weight: u32, words: Words, stop_words: &StopWords) {
        for_each_term(text, &mut |term| {
            if words == Words::Significant && stop_words.contains(term) {
                return;
            }
            let score = match self.scores.get_mut(term) {
                Some(score) => score,
                None => self.scores.entry(term.to_owned()).or_default(),
            };
            *score = (*score + weight).min(MAX_SCORE);
        });
        if !text.is_ascii() {
            collect_folds(text, &mut self.folds);
        }
    }

    /// The terms in their compact form, sorted.
    pub fn finish(self) -> SearchTerms {
        let mut scores: Vec<(String, u32)> = self.scores.into_iter().collect();
        scores.sort_unstable();
        let mut terms = SearchTerms {
            terms: String::with_capacity(scores.iter().map(|(t, _)| t.len() + 1).sum()),
            scores: Vec::with_capacity(scores.len()),
            folds: self.folds.into_iter().collect(),
        };
        for (term, score) in scores {
            terms.terms.push_str(&term);
            terms.terms.push('\n');
            terms.scores.push(score);
        }
        terms
    }
}

/// A document's terms and their scores, compact: kept with every source's
/// analysis, they are read back on every build.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SearchTerms {
    /// The terms, sorted, each followed by a newline (terms are letters and
    /// digits only).
    terms: String,
    /// The score of each term, in the same order.
    scores: Vec<u32>,
    /// How the document's foldable characters fold.
    folds: Vec<(char, String)>,
}

impl SearchTerms {
    /// Each term with its score.
    pub fn iter(&self) -> impl Iterator<Item = (&str, u32)> {
        self.terms.lines().zip(self.scores.iter().copied())
    }

    pub fn folds(&self) -> &[(char, String)] {
        &self.folds
    }
}

/// The terms of a source: the words of its title, weighted, and of its
/// paragraphs, stop words left out.
pub fn source_terms(source: &Source, stop_words: &StopWords) -> SearchTerms {
    let mut terms = DocumentTerms::default();
    terms.add(
        &source.title.value,
        TITLE_WEIGHT,
        Words::Significant,
        stop_words,
    );
    for paragraph in &source.paragraphs {
        terms.add(&paragraph.text, 1, Words::Significant, stop_words);
    }
    terms.finish()
}

/// The stop words, for looking words up while indexing.
pub type StopWords = FnvHashSet<String>;

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
    fn ascii_terms_are_the_terms_of_the_general_path() {
        let texts = [
            "Assad's forces can't hold Idlib, U.S. officials said on 3.14 at 10:30.",
            "snake_case, e-mail x@y.org -- \"quoted\" (a) b2b 2nd A.B.C. it's O'Neill",
            "  trailing spaces and\ttabs\nand lines  ",
            // Text that is ASCII only once folded.
            "Türkiye’s “envoy” — al‑Sham… Straße",
        ];
        for text in texts {
            let folded = fold(text).text.to_lowercase();
            assert!(folded.is_ascii());
            let (mut fast, mut general) = (Vec::new(), Vec::new());
            for_each_ascii_term(&folded, &mut |t| fast.push(t.to_owned()));
            for_each_unicode_term(&folded, &mut |t| general.push(t.to_owned()));
            assert_eq!(fast, general, "{text}");
        }
    }

    #[test]
    fn terms_keep_other_scripts() {
        assert_eq!(terms("بشار الأسد"), ["بشار", "الأسد"]);
    }

    #[test]
    fn stop_words_follow_the_language() {
        assert!(stop_words("en").contains("the"));
        assert!(stop_words("fr-CA").contains("les"));
        assert!(stop_words("xx").is_empty());
    }

    #[test]
    fn folds_are_recorded_for_the_browser() {
        let mut folds = BTreeMap::new();
        collect_folds("Türkiye Straße الأسد", &mut folds);
        assert_eq!(folds.get(&'ü').map(String::as_str), Some("u"));
        assert_eq!(folds.get(&'ß').map(String::as_str), Some("ss"));
        assert_eq!(folds.len(), 2);
    }

    #[test]
    fn compact_terms_keep_every_term_and_score() {
        let stop_words = &stop_words("en");
        let mut terms = DocumentTerms::default();
        terms.add(
            "Peskov and the Kremlin",
            TITLE_WEIGHT,
            Words::Significant,
            stop_words,
        );
        terms.add("Peskov in Türkiye", 1, Words::Significant, stop_words);
        let compact = terms.finish();
        let listed: Vec<(&str, u32)> = compact.iter().collect();
        assert_eq!(listed, [("kremlin", 8), ("peskov", 9), ("turkiye", 1)]);
        assert_eq!(compact.folds(), [('ü', "u".to_owned())]);
    }
}
