//! Fingerprints of each paragraph, for finding text that sources share.
//!
//! A paragraph's words are folded (as the matcher folds them, then lowercased)
//! and cut into overlapping runs of [`SHINGLE_WORDS`] words, the shingles.
//! Each shingle is hashed, and winnowing keeps the smallest hash of every
//! window of [`WINDOW`] shingles. Two paragraphs that share a run of at least
//! [`GUARANTEED_WORDS`] words are then certain to share a fingerprint, while a
//! paragraph keeps only about two thirds of its shingles. Five words is short
//! enough to catch a quote reworded around its middle ("has arrived in Moscow.
//! Russia granted them asylum"), long enough that stock phrases rarely tie
//! paragraphs together. The work is per
//! paragraph and pure, so it runs with the rest of the per-source analysis;
//! comparing fingerprints across sources is `site::passages`' job.

use std::collections::{HashMap, HashSet};
use std::hash::{BuildHasherDefault, Hasher};

use serde::{Deserialize, Serialize};

use super::fold::fold;

/// Words per shingle.
pub const SHINGLE_WORDS: usize = 4;
/// Shingles per winnowing window.
pub const WINDOW: usize = 2;
/// Shared runs of this many words are always caught by a shared fingerprint.
pub const GUARANTEED_WORDS: usize = SHINGLE_WORDS + WINDOW - 1;

/// The winnowed fingerprints of one paragraph: sorted, without repeats.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ParagraphPrint {
    pub fingerprints: Vec<u64>,
    /// Every place a fingerprint was chosen, in text order: the number of
    /// its shingle's first word and the fingerprint's index in
    /// `fingerprints`. A stretch of words is judged by the fingerprints
    /// within it without reading the paragraph again.
    pub chosen: Vec<(u32, u32)>,
}

impl ParagraphPrint {
    /// The fingerprints chosen among the shingles lying wholly within words
    /// `start..end`, as often as they were chosen there.
    pub fn within(&self, (start, end): (usize, usize)) -> impl Iterator<Item = u64> + '_ {
        let last = end.saturating_sub(SHINGLE_WORDS - 1);
        let first = self
            .chosen
            .partition_point(|&(at, _)| (at as usize) < start);
        self.chosen[first..]
            .iter()
            .take_while(move |&&(at, _)| (at as usize) < last)
            .map(|&(_, index)| self.fingerprints[index as usize])
    }
}

/// One word of a paragraph: its folded, lowercased form and where it is in
/// the original text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Word {
    pub key: String,
    /// Byte range in the paragraph's text.
    pub start: usize,
    pub end: usize,
}

/// The words of `text`: runs of letters and digits after folding, so `’s`
/// and `'s`, `Türkiye` and `Turkiye`, `al-Sham` and `al Sham` compare equal.
pub fn words(text: &str) -> Vec<Word> {
    let mut words = Vec::new();
    for_each_word(text, |key, start, end| {
        words.push(Word {
            key: key.to_owned(),
            start,
            end,
        });
    });
    words
}

/// Calls `visit` with each word of `text`, as [`words`] finds them: its key
/// and its byte range in `text`. The key is lent, so reading a paragraph
/// allocates once, not once per word.
pub fn for_each_word(text: &str, visit: impl FnMut(&str, usize, usize)) {
    match text.is_ascii() {
        true => for_each_ascii_word(text, visit),
        false => for_each_folded_word(text, visit),
    }
}

/// [`for_each_word`] for any text: the runs of letters and digits after
/// folding.
fn for_each_folded_word(text: &str, mut visit: impl FnMut(&str, usize, usize)) {
    let folded = fold(text);
    let mut key = String::new();
    let mut start = None;
    for (at, c) in folded.text.char_indices().chain([(folded.text.len(), ' ')]) {
        match (c.is_alphanumeric(), start) {
            (true, None) => start = Some(at),
            (false, Some(from)) => {
                let (original_start, original_end) = folded.original_range(from, at);
                lowercase_into(&folded.text[from..at], &mut key);
                visit(&key, original_start, original_end);
                start = None;
            }
            _ => {}
        }
    }
}

/// [`for_each_word`] for ASCII text, which folding leaves as it is but for
/// hyphens, and a hyphen ends a word as the space it folds to does: the
/// words are the runs of ASCII letters and digits, found without folding.
fn for_each_ascii_word(text: &str, mut visit: impl FnMut(&str, usize, usize)) {
    let mut key = String::new();
    let mut start = None;
    for (at, byte) in text.bytes().chain([b' ']).enumerate() {
        match (byte.is_ascii_alphanumeric(), start) {
            (true, None) => start = Some(at),
            (false, Some(from)) => {
                key.clear();
                key.push_str(&text[from..at]);
                key.make_ascii_lowercase();
                visit(&key, from, at);
                start = None;
            }
            _ => {}
        }
    }
}

/// `word.to_lowercase()`, written into `into` to reuse its allocation.
fn lowercase_into(word: &str, into: &mut String) {
    into.clear();
    if word.is_ascii() {
        into.push_str(word);
        into.make_ascii_lowercase();
    } else {
        // A capital sigma lowercases by its place in the word, so other
        // scripts take the whole-string rules.
        into.push_str(&word.to_lowercase());
    }
}

/// FNV-1a: a fixed, documented hash, so fingerprints (and the pages built
/// from them) never change between runs, platforms or compiler versions.
pub fn hash_bytes(bytes: &[u8], mut hash: u64) -> u64 {
    for &byte in bytes {
        hash ^= u64::from(byte);
        hash = hash.wrapping_mul(0x0000_0100_0000_01b3);
    }
    hash
}

const FNV_OFFSET: u64 = 0xcbf2_9ce4_8422_2325;

/// FNV-1a as a `Hasher`. The keys hashed while comparing paragraphs and
/// indexing for search are words of a few bytes and fingerprints, millions
/// of them; for those it is several times quicker than the default hasher.
#[derive(Debug, Clone, Copy)]
pub struct FnvHasher(u64);

impl Default for FnvHasher {
    fn default() -> Self {
        FnvHasher(FNV_OFFSET)
    }
}

impl Hasher for FnvHasher {
    fn write(&mut self, bytes: &[u8]) {
        self.0 = hash_bytes(bytes, self.0);
    }

    fn finish(&self) -> u64 {
        self.0
    }
}

pub type FnvHashMap<K, V> = HashMap<K, V, BuildHasherDefault<FnvHasher>>;
pub type FnvHashSet<T> = HashSet<T, BuildHasherDefault<FnvHasher>>;

/// The hash of one shingle, from its words' keys.
pub fn shingle_hash<'a>(keys: impl IntoIterator<Item = &'a str>) -> u64 {
    keys.into_iter().fold(FNV_OFFSET, |hash, key| {
        hash_bytes(&[0xff], hash_bytes(key.as_bytes(), hash))
    })
}

/// The hash of every shingle of `words`, in order.
pub fn shingle_hashes(words: &[Word]) -> Vec<u64> {
    words
        .windows(SHINGLE_WORDS)
        .map(|shingle| shingle_hash(shingle.iter().map(|word| word.key.as_str())))
        .collect()
}

/// Winnowing: the smallest hash of each window (the rightmost on ties), each
/// kept once. A paragraph shorter than a window keeps its smallest hash.
#[cfg(test)]
fn winnow(hashes: &[u64]) -> Vec<u64> {
    distinct_hashes(hashes, &winnowed_positions(hashes))
}

/// The hashes at `positions`, sorted, each once.
fn distinct_hashes(hashes: &[u64], positions: &[usize]) -> Vec<u64> {
    let mut distinct: Vec<u64> = positions.iter().map(|&at| hashes[at]).collect();
    distinct.sort_unstable();
    distinct.dedup();
    distinct
}

/// The positions winnowing chooses, in order, each once.
fn winnowed_positions(hashes: &[u64]) -> Vec<usize> {
    if hashes.is_empty() {
        return Vec::new();
    }
    let window = WINDOW.min(hashes.len());
    let mut chosen: Vec<usize> = Vec::new();
    for start in 0..=hashes.len() - window {
        let slice = &hashes[start..start + window];
        let (offset, _) = slice
            .iter()
            .enumerate()
            .rev()
            .min_by_key(|&(_, hash)| *hash)
            .expect("windows are never empty");
        if chosen.last() != Some(&(start + offset)) {
            chosen.push(start + offset);
        }
    }
    chosen
}

/// The fingerprints of one paragraph's text.
pub fn paragraph_print(text: &str) -> ParagraphPrint {
    let hashes = shingle_hashes(&words(text));
    let positions = winnowed_positions(&hashes);
    let fingerprints = distinct_hashes(&hashes, &positions);
    let chosen = positions
        .into_iter()
        .map(|at| {
            let index = fingerprints.binary_search(&hashes[at]).unwrap_or_default();
            (saturating_u32(at), saturating_u32(index))
        })
        .collect();
    ParagraphPrint {
        fingerprints,
        chosen,
    }
}

/// A position or length in a paragraph, kept in 32 bits where millions are
/// held: one past four billion (a paragraph no source could hold in memory)
/// would stop at the limit, not wrap.
pub fn saturating_u32(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn keys(text: &str) -> Vec<String> {
        words(text).into_iter().map(|w| w.key).collect()
    }

    #[test]
    fn words_are_folded_and_keep_their_original_ranges() {
        let text = "Türkiye’s al-Sham, “UN-mediated”";
        assert_eq!(keys(text), ["turkiye", "s", "al", "sham", "un", "mediated"]);
        let word = &words(text)[0];
        assert_eq!(&text[word.start..word.end], "Türkiye");
    }

    #[test]
    fn a_shared_run_of_guaranteed_length_shares_a_fingerprint() {
        let run = "russian officials are in touch with representatives of armed opposition";
        let run: String = run
            .split(' ')
            .take(GUARANTEED_WORDS)
            .collect::<Vec<_>>()
            .join(" ");
        let a = paragraph_print(&format!("Earlier on Monday it said that {run} in Syria."));
        let b = paragraph_print(&format!("A source told TASS: “{run}”, he added later."));
        assert!(a.fingerprints.iter().any(|f| b.fingerprints.contains(f)));
    }

    #[test]
    fn unrelated_paragraphs_share_no_fingerprint() {
        let a = paragraph_print("The rebels entered the capital on Sunday morning after a week.");
        let b = paragraph_print("Moscow has called for the resumption of negotiations in Geneva.");
        assert!(!a.fingerprints.iter().any(|f| b.fingerprints.contains(f)));
    }

    #[test]
    fn winnowing_keeps_fewer_hashes_than_shingles() {
        let hashes: Vec<u64> = (0..40).map(|i| (i * 7919 % 97) as u64).collect();
        let kept = winnow(&hashes);
        assert!(!kept.is_empty() && kept.len() < hashes.len());
        assert_eq!(winnow(&[5, 3]), [3]);
        assert!(winnow(&[]).is_empty());
    }

    #[test]
    fn keys_lowercase_as_strings_do() {
        for word in ["Assad", "UN", "ΟΔΟΣ", "Σίσυφος", "İstanbul", "Straße", "x"] {
            let mut key = String::from("left over");
            lowercase_into(word, &mut key);
            assert_eq!(key, word.to_lowercase());
        }
        // A final capital sigma lowercases to ς, as in the whole string.
        assert_eq!(keys("ΟΔΟΣ"), ["οδος"]);
    }

    #[test]
    fn ascii_text_has_the_words_folding_would_give() {
        let texts = [
            "UN-mediated talks, 24-year rule -- and 3.5% (of it)... Assad's",
            "-x- 'y' a1b2 \"quoted\" end-",
            "",
        ];
        for text in texts {
            let mut by_folding = Vec::new();
            for_each_folded_word(text, |key, start, end| {
                by_folding.push((key.to_owned(), start, end))
            });
            let mut fast = Vec::new();
            for_each_ascii_word(text, |key, start, end| {
                fast.push((key.to_owned(), start, end))
            });
            assert_eq!(fast, by_folding, "{text}");
        }
    }

    #[test]
    fn a_shingle_hashes_from_its_keys_alone() {
        let found = words("Rebels entered the Syrian capital");
        let keys = ["rebels", "entered", "the", "syrian", "capital"];
        let by_keys: Vec<u64> = keys
            .windows(SHINGLE_WORDS)
            .map(|shingle| shingle_hash(shingle.iter().copied()))
            .collect();
        assert_eq!(shingle_hashes(&found), by_keys);
        assert_ne!(by_keys[0], by_keys[1]);
    }

    #[test]
    fn fingerprints_within_a_stretch_are_those_of_its_shingles() {
        let text = "one two three four five six seven eight nine ten eleven twelve";
        let print = paragraph_print(text);
        let hashes = shingle_hashes(&words(text));
        for (start, end) in [(0, 12), (0, 4), (2, 9), (5, 7), (8, 12), (0, 0)] {
            let within: Vec<u64> = print.within((start, end)).collect();
            let shingles = &hashes[start.min(hashes.len())..end.saturating_sub(3).max(start)];
            assert!(
                within.iter().all(|f| shingles.contains(f)),
                "{start}..{end}"
            );
            let chosen = shingles.iter().filter(|h| print.fingerprints.contains(h));
            assert_eq!(within.len(), chosen.count(), "{start}..{end}");
        }
        assert_eq!(print.within((0, 12)).count(), print.fingerprints.len());
        // A fingerprint chosen twice counts twice.
        let repeated = paragraph_print("a b c d x a b c d y a b c d");
        assert!(repeated.within((0, 14)).count() > repeated.fingerprints.len());
    }

    #[test]
    fn short_lines_have_no_fingerprint() {
        assert!(paragraph_print("Related Stories:").fingerprints.is_empty());
    }
}
