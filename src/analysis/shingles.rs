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
    let folded = fold(text);
    let mut words = Vec::new();
    let mut start = None;
    for (at, c) in folded.text.char_indices().chain([(folded.text.len(), ' ')]) {
        match (c.is_alphanumeric(), start) {
            (true, None) => start = Some(at),
            (false, Some(from)) => {
                let (original_start, original_end) = folded.original_range(from, at);
                words.push(Word {
                    key: folded.text[from..at].to_lowercase(),
                    start: original_start,
                    end: original_end,
                });
                start = None;
            }
            _ => {}
        }
    }
    words
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

/// The hash of every shingle of `words`, in order.
pub fn shingle_hashes(words: &[Word]) -> Vec<u64> {
    words
        .windows(SHINGLE_WORDS)
        .map(|shingle| {
            shingle.iter().fold(FNV_OFFSET, |hash, word| {
                hash_bytes(&[0xff], hash_bytes(word.key.as_bytes(), hash))
            })
        })
        .collect()
}

/// Winnowing: the smallest hash of each window (the rightmost on ties), each
/// kept once. A paragraph shorter than a window keeps its smallest hash.
pub fn winnow(hashes: &[u64]) -> Vec<u64> {
    if hashes.is_empty() {
        return Vec::new();
    }
    let window = WINDOW.min(hashes.len());
    let mut chosen: Vec<u64> = Vec::new();
    let mut last_position = usize::MAX;
    for start in 0..=hashes.len() - window {
        let slice = &hashes[start..start + window];
        let (offset, &smallest) = slice
            .iter()
            .enumerate()
            .rev()
            .min_by_key(|&(_, hash)| *hash)
            .expect("windows are never empty");
        if start + offset != last_position {
            last_position = start + offset;
            chosen.push(smallest);
        }
    }
    chosen.sort_unstable();
    chosen.dedup();
    chosen
}

/// The fingerprints of one paragraph's text.
pub fn paragraph_print(text: &str) -> ParagraphPrint {
    ParagraphPrint {
        fingerprints: winnow(&shingle_hashes(&words(text))),
    }
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
    fn short_lines_have_no_fingerprint() {
        assert!(paragraph_print("Related Stories:").fingerprints.is_empty());
    }
}
