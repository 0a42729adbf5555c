//! Where quotes and sentences are in a paragraph: quotation marks paired
//! into spans, and the full stops that end a sentence.

use super::patterns::VERB;

/// A quoted span: the outer range includes the marks, the inner excludes them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Span {
    pub(crate) outer: (usize, usize),
    pub(crate) inner: (usize, usize),
}

/// Finds the quoted spans of a paragraph. Curly, guillemet and straight
/// double quotes pair up; `‘…’` pairs only where `‘` opens a word and `’`
/// closes one, so apostrophes (`Assad’s`) are never taken for quotes. A quote
/// left open runs to the end of the paragraph, as a quote continued in the
/// next paragraph is written in print.
pub(crate) fn quote_spans(text: &str) -> Vec<Span> {
    let mut spans = Vec::new();
    // Every opening mark is `"`, `'` or begins with byte 0xE2 (`“`, `‘`) or
    // 0xC2 (`«`): a paragraph with none of the four has no quote.
    if !text
        .bytes()
        .any(|b| matches!(b, b'"' | b'\'' | 0xE2 | 0xC2))
    {
        return spans;
    }
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    let mut i = 0;
    while i < chars.len() {
        let (at, c) = chars[i];
        let previous = i.checked_sub(1).map(|p| chars[p].1);
        let closer = match c {
            '“' => Some('”'),
            '«' => Some('»'),
            '"' => Some('"'),
            '‘' if previous.is_none_or(|p| !p.is_alphanumeric()) => Some('’'),
            // A straight single quote opens only before a word and after a
            // non-letter: `the rebels' advance` is an apostrophe.
            '\'' if previous.is_none_or(|p| !p.is_alphanumeric())
                && chars.get(i + 1).is_some_and(|&(_, n)| n.is_alphanumeric()) =>
            {
                Some('\'')
            }
            _ => None,
        };
        let Some(closer) = closer else {
            i += 1;
            continue;
        };
        let start = at + c.len_utf8();
        let close = (i + 1..chars.len()).find(|&j| {
            let (_, d) = chars[j];
            let next = chars.get(j + 1).map(|&(_, n)| n);
            let single = closer == '’' || closer == '\'';
            let previous = chars[j - 1].1;
            d == closer
                && (!single
                    || (next.is_none_or(|n| !n.is_alphanumeric()) && !previous.is_whitespace()))
        });
        if close.is_none() && c == '\'' {
            // An apostrophe left open is not a quote running on.
            i += 1;
            continue;
        }
        match close {
            Some(j) => {
                let (end, d) = chars[j];
                spans.push(Span {
                    outer: (at, end + d.len_utf8()),
                    inner: (start, end),
                });
                i = j + 1;
            }
            None => {
                spans.push(Span {
                    outer: (at, text.len()),
                    inner: (start, text.len()),
                });
                break;
            }
        }
    }
    spans
}

/// Words that end with a full stop without ending a sentence.
const ABBREVIATIONS: &[&str] = &[
    "mr", "mrs", "ms", "dr", "st", "gen", "col", "lt", "sen", "rep", "gov", "pres", "prof", "vs",
];

/// Words abbreviated before a number (`Nov. 5`, `No. 10`): followed by a
/// word instead, as in `on 5 Nov. The talks…`, their full stop ends the
/// sentence.
const ABBREVIATIONS_BEFORE_NUMBERS: &[&str] = &[
    "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec", "no",
];

/// The marks that can end a sentence: searching for them alone finds every
/// place [`ends_sentence`] can accept, and each is one byte long.
pub(crate) const SENTENCE_MARKS: [char; 3] = ['.', '!', '?'];

/// The marks that close a quote: a sentence can end inside one, before
/// them (`the delay.” The Fund…`).
const CLOSING_QUOTES: [char; 5] = ['”', '"', '’', '»', '\''];

/// Whether a sentence ends at byte `at` (a `.`, `!` or `?`) of `text`.
pub(crate) fn ends_sentence(text: &str, at: usize) -> bool {
    sentence_end(text, at).is_some()
}

/// Where the sentence ends when it ends at byte `at` (a `.`, `!` or `?`) of
/// `text`: after the mark and the quotation marks that close right after it
/// (`“We cannot explain the delay.” The Fund…`), so the next sentence starts
/// after them.
pub(crate) fn sentence_end(text: &str, at: usize) -> Option<usize> {
    let mark = text[at..].chars().next()?;
    if !SENTENCE_MARKS.contains(&mark) {
        return None;
    }
    let rest = text[at + 1..].trim_start_matches(CLOSING_QUOTES);
    let end = text.len() - rest.len();
    let Some(next) = rest.trim_start().chars().next() else {
        return Some(end);
    };
    if !rest.starts_with(char::is_whitespace) {
        return None;
    }
    if mark == '.' {
        let word_start = text[..at]
            .char_indices()
            .rev()
            .take_while(|&(_, c)| c.is_alphanumeric() || c == '.')
            .last()
            .map_or(at, |(i, _)| i);
        let word = &text[word_start..at];
        let is_one_of = |list: &[&str]| list.iter().any(|a| a.eq_ignore_ascii_case(word));
        // A lone letter is an initial; a lone digit is a day (`on Nov. 5.`).
        let is_initial = word.len() == 1 && !word.starts_with(|c: char| c.is_ascii_digit());
        if is_initial
            || word.contains('.')
            || is_one_of(ABBREVIATIONS)
            || (is_one_of(ABBREVIATIONS_BEFORE_NUMBERS) && next.is_ascii_digit())
        {
            return None;
        }
    } else if end > at + 1 && is_named_cue(rest) {
        // A quoted question or exclamation takes no comma before its cue:
        // `“Why now?” Peskov asked.` is one sentence.
        return None;
    }
    // Scripts without capitals (Arabic, Hebrew, Chinese) start a sentence
    // with any letter.
    let capital = next.is_uppercase() || (next.is_alphabetic() && !next.is_lowercase());
    let starts_sentence = capital || next.is_ascii_digit() || "“\"‘«'".contains(next);
    starts_sentence.then_some(end)
}

/// Whether `text` opens with a name and a reporting verb (`Peskov asked`,
/// `Maria Zakharova said`), not with an article (`The Fund said…`).
fn is_named_cue(text: &str) -> bool {
    const MAX_NAME_WORDS: usize = 3;
    let words: Vec<&str> = text.split_whitespace().take(MAX_NAME_WORDS + 1).collect();
    let name_words = words
        .iter()
        .take_while(|w| w.starts_with(char::is_uppercase))
        .count();
    let opens_with_article = words
        .first()
        .is_some_and(|w| ["The", "A", "An"].contains(w));
    let verb = words
        .get(name_words)
        .map(|w| w.trim_end_matches(|c: char| !c.is_alphabetic()));
    (1..=MAX_NAME_WORDS).contains(&name_words)
        && !opens_with_article
        && verb.is_some_and(|v| VERB.find(v).is_some_and(|m| m.len() == v.len()))
}
