//! The words that attribute a quote: reporting verbs, the phrases that
//! name, describe or point back at a speaker, and the small helpers that
//! shape a description from the text around a quote.

use std::sync::LazyLock;

use regex::Regex;

/// Verbs that report speech, as they stand next to a quote.
pub(super) const REPORTING_VERBS: &str =
    "said|says|say|told|tells|added|adds|stated|states|declared|declares|\
confirmed|confirms|stressed|stresses|noted|notes|insisted|insists|warned|warns|wrote|writes|\
announced|announces|asserted|argued|explained|claimed|claims|proclaimed|continued|replied|\
urged|called|asked|answered|shouted|chanted|demanded|predicted|suggested|concluded|testified|pointed out|went on to say|goes on to say|quoted|reported|reports|recalled|emphasized|\
emphasised|acknowledged|admitted|affirmed|vowed|promised|remarked|commented|described|\
tweeted|posted|issued a statement|said in a statement|saying|adding|stressing|proclaiming|\
declaring|noting|stating|insisting|warning|emphasizing|emphasising";

pub(super) static VERB: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(&format!(r"(?i)\b(?:{REPORTING_VERBS})\b")).expect("verb pattern"));
pub(super) static QUOTED_AS_SAYING: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\bquot(?:ed|es|ing)\s+(.{1,80}?)\s+as\s+saying\b").expect("pattern")
});
/// The sentence after a quote that names who said it by how they put it:
/// `That was how the minister put it.`, `This is how Peskov described it.`
pub(super) static HOW_THEY_PUT_IT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"^\s*(?:That|This|It|Such)\s+(?:was|is|has\s+been)\s+how\s+(.{1,80}?)\s+(?:put\s+it|described\s+it|phrased\s+it|summed\s+it\s+up|framed\s+it|explained\s+it)\b",
    )
    .expect("how-they-put-it pattern")
});
pub(super) static CITING: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\b(?:citing|quoting)\s+([^,.;:]{1,60})").expect("citing pattern")
});
pub(super) static ACCORDING_TO: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\baccording\s+to\s+([^,.;:]{1,80})").expect("according pattern")
});
pub(super) static PRONOUN: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?i)^(?:he|she|they)$").expect("pronoun pattern"));
/// A determiner opening a phrase, and the whitespace after it.
static DETERMINER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(r"(?i)\b(?:{DETERMINERS})(\s+)")).expect("determiner pattern")
});
/// The letters, spaces, hyphens and apostrophes that end a text.
static WORDS_AT_END: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?i)[\p{L}’'\- ]+$").expect("words at end pattern"));
/// The most characters a description runs to after its determiner.
const MAX_DESCRIPTION_CHARS: usize = 60;

/// The phrase ending `text` that speaks of a speaker without naming it: `a
/// source`, `the armed opposition`, `an unnamed Kremlin source`. It opens
/// with a determiner, then at most sixty letters, spaces, hyphens and
/// apostrophes run to the end; the first determiner that fits is taken.
/// The regex `\b(?:an?|the|…)\s+[\p{L}’'\- ]{1,60}$` says the same, but its
/// sixty copies of a Unicode class took longer to compile than a source
/// takes to analyse.
pub(super) fn description_at_end(text: &str) -> Option<&str> {
    let words_from = WORDS_AT_END.find(text)?.start();
    let last_char = text.char_indices().next_back()?.0;
    DETERMINER.captures_iter(text).find_map(|found| {
        let (start, space) = (found.get(0)?.start(), found.get(1)?);
        // The words start where the whitespace ends, or at the last
        // character when the whitespace runs to the end: as late as they
        // can, so they are as short as they can be.
        let words = space.end().min(last_char);
        let fits = words > space.start()
            && words >= words_from
            && text[words..].chars().count() <= MAX_DESCRIPTION_CHARS;
        fits.then(|| &text[start..])
    })
}
/// Words that open a noun phrase describing a speaker.
const DETERMINERS: &str = "an?|the|one|two|three|four|five|some|several|multiple";
/// An unnamed source the text will later call `the source`.
pub(super) static SOURCE_WORD: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?i)\b(?:sources?|officials?|insiders?)\b").expect("pattern"));
/// A noun that points back at a body named before (`the statement added`).
pub(super) static BODY_WORD: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^the\s+(?:statement|ministry|spokesman|spokeswoman|spokesperson|office|government|group|movement)$")
        .expect("pattern")
});
/// A statement issued by the subject before it (`Assad said in a statement`).
pub(super) static STATEMENT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\b(?:in|issued|released|published)\s+a\s+(?:written\s+)?statement\b")
        .expect("statement pattern")
});
/// Nouns for someone who speaks for a body or knows its mind.
const ROLE_NOUNS: &str = "envoy|spokesman|spokeswoman|spokesperson|spokespeople|official|officials|\
chief|head|minister|ambassador|representative|representatives|adviser|advisor|diplomat|diplomats|\
leader|commander|negotiator|secretary|aide|aides|lawmaker|lawmakers|source|sources|insider|insiders";
/// A role held in a body, right after the body's name: `UN envoy`.
pub(super) static ROLE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(
        r"^\s+(?:[\p{{L}}-]+\s+){{0,2}}?(?:{ROLE_NOUNS})\b"
    ))
    .expect("role pattern")
});
/// A role before the body it is held in, up to the body's name: `a
/// spokesperson for the`, `an official at`, `a source close to the Kremlin's`.
pub(super) static ROLE_IN_BODY: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(
        r"(?i)\b(?:{ROLE_NOUNS})\s+(?:close\s+to|at|for|from|of|in|inside|within|with|to)\s+[^,;:]*$"
    ))
    .expect("role in body pattern")
});
/// A role before the person it serves, next to the name: `an aide to`, `a
/// source close to the`, but not `the head of the coalition` before a name.
pub(super) static ROLE_OF_PERSON: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(
        r"(?i)\b(?:{ROLE_NOUNS})\s+(?:close\s+to|to|for|of)\s+(?:the\s+)?$"
    ))
    .expect("role of person pattern")
});
/// Whether a subject too long for a name still reads as one noun phrase:
/// `a senior official at the Water Agency`. A comma or a clause word in it
/// means the verb belongs to some other clause.
pub(super) fn is_noun_phrase(subject: &str) -> bool {
    static NOUN_PHRASE: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(&format!(r"(?i)^(?:{DETERMINERS}|\d+)\s+[\p{{L}}’'\- ]+$"))
            .expect("noun phrase pattern")
    });
    NOUN_PHRASE.is_match(subject) && !CLAUSE_WORD.is_match(subject)
}
/// Words that open a clause of their own inside a subject.
static CLAUSE_WORD: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\b(?:that|who|whom|which|whose|as|when|while|because|if|where|since|until|although)\b")
        .expect("clause word pattern")
});
/// A name set off by a comma at the end of a subject: `the UN envoy for
/// Syria, Geir Pedersen`.
pub(super) static APPOSITIVE_NAME: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r",\s*(?:\p{Lu}[\p{L}’'-]+\s+){1,3}\p{Lu}[\p{L}’'-]+\s*,?$").expect("name pattern")
});
/// A reporting verb joined to the clause before it: `… but said`.
pub(super) static COORDINATED: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(
        r"(?i)^\W*(?:and|but|while)\s+(?:also\s+)?(?:{REPORTING_VERBS})\b"
    ))
    .expect("coordinated pattern")
});
/// A question put to the speaker, before the answer: `Asked whether …,`.
pub(super) static ASKED_ABOUT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\basked\s+(?:whether|if|about|why|how|when|what|who)\b[^,.;]*,")
        .expect("asked pattern")
});
pub(super) static AGENCY_WORD: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\b(?:agency|agencies|news\s+agency|newspaper|broadcaster)\b").expect("pattern")
});

/// A cited phrase up to the clause that follows it: `Kremlin sources that
/// Assad…` is `Kremlin sources`.
pub(super) fn cut_clause(phrase: &str) -> &str {
    static CLAUSE: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"(?i)\s(?:that|who|which|as|and|on|in|to)\s").expect("clause pattern")
    });
    let end = CLAUSE.find(phrase).map_or(phrase.len(), |m| m.start());
    phrase[..end].trim()
}

/// Words that cannot stand for a speaker on their own, or open a clause
/// rather than a noun phrase.
pub(super) const NOT_SPEAKERS: &[&str] = &[
    "it", "this", "that", "there", "here", "we", "i", "you", "who", "what", "which", "and", "but",
    "while", "as", "so", "then", "also", "when", "where", "if", "because", "although",
];

/// Whether a phrase left of a reporting verb reads as a speaker: a noun
/// phrase of two words or more, or one capitalised word (a surname).
pub(super) fn is_description(phrase: &str) -> bool {
    let mut words = phrase.split_whitespace();
    let Some(first) = words.next() else {
        return false;
    };
    let first_lower = first.to_lowercase();
    if NOT_SPEAKERS.contains(&first_lower.as_str()) || !first.chars().any(char::is_alphabetic) {
        return false;
    }
    words.next().is_some() || first.chars().next().is_some_and(char::is_uppercase)
}

/// Whether a description speaks of several people (`Kremlin sources`, `two
/// diplomats from the European Union`): its last word before any phrase
/// naming their body is a lower-case plural. A surname (`Landis`) is not.
pub(super) fn is_plural(description: &str) -> bool {
    static BODY_PHRASE: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"\s(?:close\s+to|at|for|from|of|to|inside|within)\s").expect("pattern")
    });
    let head = BODY_PHRASE
        .find(description)
        .map_or(description, |m| &description[..m.start()]);
    head.split_whitespace()
        .next_back()
        .is_some_and(|w| w.ends_with('s') && w.chars().next().is_some_and(char::is_lowercase))
}

/// Auxiliaries and adverbs that can stand between a subject and its verb
/// (`the new authorities have promised`): not part of the description.
pub(super) const TRAILING_WORDS: &[&str] = &[
    "has",
    "have",
    "had",
    "will",
    "would",
    "also",
    "later",
    "earlier",
    "then",
    "again",
    "once",
    "previously",
    "reportedly",
    "further",
    "repeatedly",
    "publicly",
    "privately",
    "separately",
];

/// Prepositions that end a description: `a source in Moscow` is `a
/// source`. Those that say whom the speaker works for or is close to are
/// kept: `residents of Damascus`, `an official at Gazprom Neft`, `an aide
/// to the president`.
pub(super) static PLACE_PHRASE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"\s(?:on|in|with|during|after|before|via)\s").expect("pattern"));

/// A description without the auxiliaries and adverbs at its end, nor the
/// place or medium that follows it.
pub(super) fn trim_trailing_words(description: &str) -> &str {
    let description = PLACE_PHRASE
        .find(description)
        .map_or(description, |m| &description[..m.start()]);
    let mut end = description.len();
    while let Some(space) = description[..end].trim_end().rfind(' ') {
        let word = description[space + 1..end].trim().to_lowercase();
        if !TRAILING_WORDS.contains(&word.as_str()) {
            break;
        }
        end = space;
    }
    description[..end].trim_end()
}

/// `A coalition` as `a coalition`, so a description reads well anywhere.
pub(super) fn lowercase_article(description: &str) -> String {
    for article in [
        "A ",
        "An ",
        "The ",
        "One ",
        "Some ",
        "Several ",
        "Multiple ",
    ] {
        if let Some(rest) = description.strip_prefix(article) {
            return format!("{}{rest}", article.to_lowercase());
        }
    }
    description.to_owned()
}

/// Whitespace collapsed to single spaces, trimmed.
pub(super) fn collapse(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// The regex that [`description_at_end`] stands for.
    static DESCRIPTION: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(&format!(
            r"(?i)\b(?:{DETERMINERS})\s+[\p{{L}}’'\- ]{{1,60}}$"
        ))
        .expect("description pattern")
    });

    fn by_regex(text: &str) -> Option<&str> {
        DESCRIPTION.find(text).map(|m| m.as_str())
    }

    #[test]
    fn a_description_is_the_first_determiner_whose_words_reach_the_end() {
        let cases = [
            (
                "according to a source close to the Kremlin",
                Some("a source close to the Kremlin"),
            ),
            ("said an unnamed official", Some("an unnamed official")),
            ("told the BBC, a diplomat", Some("a diplomat")),
            ("Smith", None),
            ("the 3 officials", None),
            ("a  ", Some("a  ")),
            ("a ", None),
            ("the\n ", Some("the\n ")),
            ("the\t", None),
        ];
        for (text, expected) in cases {
            assert_eq!(description_at_end(text), expected, "{text:?}");
            assert_eq!(by_regex(text), expected, "{text:?}");
        }
        // Sixty characters after the determiner fit; sixty-one do not, and
        // the next determiner is taken.
        let sixty = format!("a {}", "x".repeat(60));
        assert_eq!(description_at_end(&sixty), Some(sixty.as_str()));
        let long = format!("a {} the one", "x".repeat(60));
        assert_eq!(description_at_end(&long), Some("the one"));
        assert_eq!(by_regex(&long), Some("the one"));
    }

    proptest! {
        #[test]
        fn a_description_is_found_as_the_regex_finds_it(
            parts in prop::collection::vec(prop::sample::select(vec![
                "a", "an", "An", "the", "THE", "one", "two", "several", "some", "ſome", "multiple",
                " ", "  ", "\t", "\n", "-", "’", "'", ",", ".", "3", "é", "Ω", "x", "source",
                "officials", "close", "to", "Kremlin", "theatre", "a-b", "ΑΒΓ", "\u{345}", "\u{2160}",
                "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxx",
            ]), 0..16)
        ) {
            let text = parts.concat();
            prop_assert_eq!(description_at_end(&text), by_regex(&text));
        }
    }
}
