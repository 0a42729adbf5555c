//! Quoted speech and who said it.
//!
//! A quote is any span between quotation marks (“…”, "…", ‘…’, «…») of at
//! least two words in a body paragraph, whether it stands as a sentence of
//! its own or is a fragment inside one. Its speaker is taken only from what
//! the text itself says around the marks: the reporting verb next to it
//! (`said Jolani`, `Peskov told reporters`, `the source added`), a pronoun
//! (`he said`) resolved to the last person named in this paragraph or the one
//! before, a definite noun (`the source`, `the statement`) resolved to the
//! source or body named earlier, or a description (`a source`, `the armed
//! opposition`) kept as written. The agency that relays the words (`a source
//! told TASS`, `according to Reuters`) is the channel, not the speaker. When
//! the text says nothing, the quote stays unattributed: no guess is made.

use std::sync::LazyLock;

use regex::Regex;
use serde::{Deserialize, Serialize};

use super::mentions::{Matcher, Mention};
use crate::content::{EntityKind, Paragraph, ParagraphKind};

/// One quoted passage of a source.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Quote {
    /// Index of the paragraph in its source (0-based).
    pub paragraph: usize,
    /// Byte range in the paragraph's text, quotation marks included.
    pub start: usize,
    pub end: usize,
    /// The quoted words, without the marks.
    pub text: String,
    /// Whether the quote is a fragment inside a sentence of the reporter's
    /// own (`Damascus is now “without Bashar al-Assad”`).
    pub fragment: bool,
    /// Who said it, when the text says so.
    pub attribution: Option<Attribution>,
}

/// Who a quote is attributed to, and through whom it is reported.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Attribution {
    /// The speaker, when it is an entity of the catalogue.
    pub speaker: Option<usize>,
    /// The speaker as the text describes it when it names no entity (`a
    /// Kremlin source`, `the armed opposition`).
    pub description: Option<String>,
    /// The outlet that relays the words (`TASS`, `Reuters`).
    pub channel: Option<usize>,
    /// The words of the text that attribute the quote (`said Jolani`, `he
    /// said`), so a reader can check the attribution.
    pub cue: String,
    /// How the speaker was found.
    pub by: AttributedBy,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum AttributedBy {
    /// The speaker is named next to the quote.
    Name,
    /// A pronoun (`he said`) resolved to the last person named.
    Pronoun,
    /// A definite noun (`the source`, `the statement`) resolved to the source
    /// or body named earlier.
    Reference,
    /// The text describes the speaker without naming it.
    Description,
    /// Only the relaying outlet is known (`according to Interfax`).
    Channel,
}

/// Verbs that report speech, as they stand next to a quote.
const REPORTING_VERBS: &str =
    "said|says|say|told|tells|added|adds|stated|states|declared|declares|\
confirmed|confirms|stressed|stresses|noted|notes|insisted|insists|warned|warns|wrote|writes|\
announced|announces|asserted|argued|explained|claimed|claims|proclaimed|continued|replied|\
urged|called|asked|answered|shouted|chanted|demanded|predicted|suggested|concluded|testified|pointed out|went on to say|goes on to say|quoted|reported|reports|recalled|emphasized|\
emphasised|acknowledged|admitted|affirmed|vowed|promised|remarked|commented|described|\
tweeted|posted|issued a statement|said in a statement|saying|adding|stressing|proclaiming|\
declaring|noting|stating|insisting|warning|emphasizing|emphasising";

static VERB: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(&format!(r"(?i)\b(?:{REPORTING_VERBS})\b")).expect("verb pattern"));
static QUOTED_AS_SAYING: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\bquot(?:ed|es|ing)\s+(.{1,80}?)\s+as\s+saying\b").expect("pattern")
});
static CITING: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\b(?:citing|quoting)\s+([^,.;:]{1,60})").expect("citing pattern")
});
static ACCORDING_TO: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\baccording\s+to\s+([^,.;:]{1,80})").expect("according pattern")
});
static PRONOUN: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?i)^(?:he|she|they)$").expect("pronoun pattern"));
/// A phrase that speaks of a speaker without naming it: `a source`, `the
/// armed opposition`, `an unnamed Kremlin source`.
static DESCRIPTION: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\b(?:an?|the|one|some|several|multiple)\s+[\p{L}’'\- ]{1,60}$")
        .expect("description pattern")
});
/// An unnamed source the text will later call `the source`.
static SOURCE_WORD: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?i)\b(?:sources?|officials?|insiders?)\b").expect("pattern"));
/// A noun that points back at a body named before (`the statement added`).
static BODY_WORD: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^the\s+(?:statement|ministry|spokesman|spokeswoman|spokesperson|office|government|group|movement)$")
        .expect("pattern")
});
/// A statement issued by the subject before it (`Assad said in a statement`).
static STATEMENT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\b(?:in|issued|released|published)\s+a\s+(?:written\s+)?statement\b")
        .expect("statement pattern")
});
/// A role held in a body, right after the body's name: `UN envoy`.
static ROLE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^\s+(?:[\p{L}-]+\s+){0,2}?(?:envoy|spokesman|spokeswoman|spokesperson|official|officials|chief|head|minister|ambassador|representative|adviser|advisor|diplomat|diplomats|leader|commander|negotiator|secretary|aide|aides|lawmaker|lawmakers|source|sources|insider|insiders)\b")
        .expect("role pattern")
});
/// A name set off by a comma at the end of a subject: `the UN envoy for
/// Syria, Geir Pedersen`.
static APPOSITIVE_NAME: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r",\s*(?:\p{Lu}[\p{L}’'-]+\s+){1,3}\p{Lu}[\p{L}’'-]+\s*,?$").expect("name pattern")
});
/// A reporting verb joined to the clause before it: `… but said`.
static COORDINATED: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(
        r"(?i)^\W*(?:and|but|while)\s+(?:also\s+)?(?:{REPORTING_VERBS})\b"
    ))
    .expect("coordinated pattern")
});
/// A question put to the speaker, before the answer: `Asked whether …,`.
static ASKED_ABOUT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\basked\s+(?:whether|if|about|why|how|when|what|who)\b[^,.;]*,")
        .expect("asked pattern")
});
static AGENCY_WORD: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\b(?:agency|agencies|news\s+agency|newspaper|broadcaster)\b").expect("pattern")
});

/// Quotes of at least this many words are kept; a single quoted word is
/// usually a term held at a distance, not speech.
const MIN_WORDS: usize = 2;
/// A speaker phrase without an article is kept when at most this long
/// (`Russian Deputy Foreign Minister Mikhail Bogdanov`).
const MAX_NAME_WORDS: usize = 6;
/// An attribution after a quote is looked for within this many words.
const MAX_CUE_WORDS: usize = 12;

/// What the reader knows from earlier paragraphs when a quote comes.
#[derive(Debug, Default)]
struct Memory {
    /// The last person named outside quotes or quoted (a described one, as
    /// `a State Department spokesman`, too), and the paragraph where it was
    /// last named or referred to by a pronoun: what `he` and `she` mean.
    person: Option<(Attribution, usize)>,
    /// Last organisation named outside quotes, with its paragraph.
    body: Option<(usize, usize)>,
    /// Last outlet named outside quotes.
    outlet: Option<usize>,
    /// Who issued the last statement the text speaks of (`Assad said in a
    /// statement`), with its paragraph: what `the statement said` means.
    statement: Option<(usize, usize)>,
    /// The last unnamed source introduced (`citing a Kremlin source`), with
    /// the outlet that cited it.
    unnamed: Option<(String, Option<usize>)>,
    /// The last attribution made, with its paragraph, for `they said`.
    last: Option<(Attribution, usize)>,
}

/// Finds every quote of a source with its attribution.
pub fn find_quotes(paragraphs: &[Paragraph], matcher: &Matcher) -> Vec<Quote> {
    let mut memory = Memory::default();
    let mut quotes = Vec::new();
    for (index, paragraph) in paragraphs.iter().enumerate() {
        if !matches!(paragraph.kind, ParagraphKind::Text | ParagraphKind::Block) {
            continue;
        }
        let mentions = matcher.find(index, &paragraph.text);
        let found = paragraph_quotes(index, &paragraph.text, &mentions, matcher, &mut memory);
        quotes.extend(found);
    }
    attribute_continued(&mut quotes, paragraphs);
    quotes
}

/// A quote running over several paragraphs leaves each one open and opens
/// the next with a quotation mark; the attribution usually comes at its end.
/// Each open part takes the attribution of the part that continues it.
fn attribute_continued(quotes: &mut [Quote], paragraphs: &[Paragraph]) {
    for i in (0..quotes.len().saturating_sub(1)).rev() {
        let (part, next) = (&quotes[i], &quotes[i + 1]);
        let text = &paragraphs[part.paragraph].text;
        let left_open =
            part.end == text.len() && !text[part.start..part.end].ends_with(['”', '»', '"', '’']);
        if part.attribution.is_none()
            && left_open
            && next.paragraph == part.paragraph + 1
            && next.start == 0
        {
            quotes[i].attribution = quotes[i + 1].attribution.clone();
        }
    }
}

/// The quotes of one paragraph, in order.
fn paragraph_quotes(
    index: usize,
    text: &str,
    mentions: &[Mention],
    matcher: &Matcher,
    memory: &mut Memory,
) -> Vec<Quote> {
    let spans = quote_spans(text);
    let context = Context {
        text,
        spans: &spans,
        mentions,
        matcher,
        paragraph: index,
    };
    // A paragraph opening with a pronoun keeps the last person in view.
    let opening = text.split_whitespace().next().unwrap_or("");
    if PRONOUN.is_match(opening) {
        if let Some((_, seen)) = &mut memory.person {
            if *seen + 1 >= index {
                *seen = index;
            }
        }
    }
    let mut quotes = Vec::new();
    let mut remembered_to = 0;
    for (i, span) in spans.iter().enumerate() {
        let inner = &text[span.inner.0..span.inner.1];
        let before = context.before(i);
        remember(&context, remembered_to..span.outer.0, memory);
        remembered_to = span.outer.1;
        if inner.split_whitespace().count() < MIN_WORDS {
            continue;
        }
        let mut attribution = context.attribute(i, memory);
        let lead = text[before.0..before.1].trim();
        if attribution.is_none() && i > 0 && COORDINATED.is_match(&text[before.0..before.1]) {
            // `described it as “…” but said Moscow would “…”`: the verb
            // shares the subject of the quote before it.
            attribution = quotes
                .last()
                .filter(|q: &&Quote| q.paragraph == index && q.end == spans[i - 1].outer.1)
                .and_then(|q| q.attribution.clone());
        }
        if attribution.is_none() && lead.is_empty() {
            // `“…,” a source told Reuters. “But nobody knows…”`: a quote that
            // is a sentence of its own goes on with the speaker just quoted.
            attribution = quotes
                .last()
                .filter(|q: &&Quote| q.paragraph == index)
                .and_then(|q| q.attribution.clone());
        }
        if attribution.is_none() && (is_title_case(text) || is_name(inner)) {
            continue;
        }
        if let Some(found) = &attribution {
            let person = match (found.speaker, &found.description) {
                (Some(speaker), _) => matcher.kind(speaker) == Some(EntityKind::Person),
                (None, Some(description)) => {
                    !is_plural(description)
                        && !BODY_WORD.is_match(&description.to_lowercase())
                        && !SOURCE_WORD.is_match(description)
                }
                (None, None) => false,
            };
            if person {
                memory.person = Some((found.clone(), index));
            }
            memory.last = Some((found.clone(), index));
        }
        quotes.push(Quote {
            paragraph: index,
            start: span.outer.0,
            end: span.outer.1,
            text: inner.trim().trim_end_matches([',', ';', ':']).to_owned(),
            fragment: !lead.is_empty() && !lead.ends_with(':'),
            attribution,
        });
    }
    remember(&context, remembered_to..text.len(), memory);
    quotes
}

/// Notes the entities and unnamed sources named in `range` outside quotes.
fn remember(context: &Context, range: std::ops::Range<usize>, memory: &mut Memory) {
    if range.start >= range.end {
        return;
    }
    // `Asked whether Assad would leave, she said`: the person asked about
    // is a topic, not whom the pronoun that follows means.
    let topics: Vec<(usize, usize)> = ASKED_ABOUT
        .find_iter(&context.text[range.clone()])
        .map(|m| (range.start + m.start(), range.start + m.end()))
        .collect();
    for mention in context.mentions_in(range.start, range.end) {
        let topic = topics
            .iter()
            .any(|&(start, end)| start <= mention.start && mention.end <= end);
        match context.matcher.kind(mention.entity) {
            Some(EntityKind::Person) if !context.is_possessive(mention) && !topic => {
                let named = Attribution {
                    speaker: Some(mention.entity),
                    description: None,
                    channel: None,
                    cue: String::new(),
                    by: AttributedBy::Name,
                };
                memory.person = Some((named, context.paragraph))
            }
            Some(EntityKind::Organization) => {
                memory.body = Some((mention.entity, context.paragraph))
            }
            Some(EntityKind::Outlet) => memory.outlet = Some(mention.entity),
            _ => {}
        }
    }
    let text = &context.text[range.clone()];
    for statement in STATEMENT.find_iter(text) {
        let at = range.start + statement.start();
        let issuer = context
            .mentions_in(range.start, at)
            .rev()
            .find(|m| {
                matches!(
                    context.matcher.kind(m.entity),
                    Some(EntityKind::Person | EntityKind::Organization)
                ) && !context.is_possessive(m)
            })
            .map(|m| m.entity);
        if let Some(issuer) = issuer {
            memory.statement = Some((issuer, context.paragraph));
        }
    }
    for cited in CITING
        .captures_iter(text)
        .chain(QUOTED_AS_SAYING.captures_iter(text))
    {
        let phrase = cut_clause(cited.get(1).expect("group").as_str());
        if SOURCE_WORD.is_match(phrase) && !phrase.to_lowercase().starts_with("the ") {
            let at = range.start + cited.get(0).expect("match").start();
            let channel = context
                .mentions_in(range.start, at)
                .rev()
                .find(|m| context.matcher.kind(m.entity) == Some(EntityKind::Outlet))
                .map(|m| m.entity)
                .or(memory.outlet);
            memory.unnamed = Some((phrase.to_owned(), channel));
        }
    }
}

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
    "mr", "mrs", "ms", "dr", "st", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept",
    "oct", "nov", "dec", "gen", "col", "lt", "sen", "rep", "gov", "pres", "prof", "no", "vs",
];

/// Whether a sentence ends at byte `at` (a `.`, `!` or `?`) of `text`.
pub(crate) fn ends_sentence(text: &str, at: usize) -> bool {
    let mark = text[at..].chars().next();
    if !matches!(mark, Some('.' | '!' | '?')) {
        return false;
    }
    let rest = &text[at + 1..];
    let Some(next) = rest.trim_start().chars().next() else {
        return true;
    };
    if !rest.starts_with(char::is_whitespace) {
        return false;
    }
    if mark == Some('.') {
        let word: String = text[..at]
            .chars()
            .rev()
            .take_while(|c| c.is_alphanumeric() || *c == '.')
            .collect::<String>()
            .chars()
            .rev()
            .collect();
        let lower = word.to_lowercase();
        if ABBREVIATIONS.contains(&lower.as_str()) || lower.contains('.') || word.len() == 1 {
            return false;
        }
    }
    next.is_uppercase() || next.is_ascii_digit() || "“\"‘«'".contains(next)
}

/// A paragraph under analysis.
struct Context<'a> {
    text: &'a str,
    spans: &'a [Span],
    mentions: &'a [Mention],
    matcher: &'a Matcher,
    paragraph: usize,
}

/// A reporting clause found near a quote: who, as written, and the verb.
struct Clause {
    /// Byte range of the subject (or of the object of an inverted verb).
    who: (usize, usize),
    /// Byte range of the whole cue (subject and verb).
    cue: (usize, usize),
    verb: String,
    /// Where the verb ends: what follows is its object (`told TASS`).
    verb_end: usize,
}

impl Context<'_> {
    fn inside_quote(&self, at: usize) -> bool {
        self.spans.iter().any(|s| s.outer.0 <= at && at < s.outer.1)
    }

    /// The text before quote `i` in its sentence, from the sentence start or
    /// the end of the previous quote.
    fn before(&self, i: usize) -> (usize, usize) {
        let start = self.spans[i].outer.0;
        let floor = i.checked_sub(1).map_or(0, |p| self.spans[p].outer.1);
        let from = self.text[floor..start]
            .char_indices()
            .rev()
            .find(|&(at, _)| ends_sentence(self.text, floor + at) && !self.inside_quote(floor + at))
            .map_or(floor, |(at, c)| floor + at + c.len_utf8());
        (from, start)
    }

    /// The text after quote `i` up to the end of its sentence or the next
    /// quote. Empty when the quote itself ends the sentence.
    fn after(&self, i: usize) -> (usize, usize) {
        let span = self.spans[i];
        let inner = self.text[span.inner.0..span.inner.1].trim_end();
        if inner.ends_with('.') && !inner.ends_with("..") {
            let rest = self.text[span.outer.1..].trim_start();
            if rest.chars().next().is_none_or(|c| c.is_uppercase()) {
                return (span.outer.1, span.outer.1);
            }
        }
        let ceiling = self.spans.get(i + 1).map_or(self.text.len(), |s| s.outer.0);
        let to = self.text[span.outer.1..ceiling]
            .char_indices()
            .find(|&(at, _)| ends_sentence(self.text, span.outer.1 + at))
            .map_or(ceiling, |(at, _)| span.outer.1 + at);
        (span.outer.1, to)
    }

    fn mentions_in(&self, start: usize, end: usize) -> impl DoubleEndedIterator<Item = &Mention> {
        self.mentions
            .iter()
            .filter(move |m| m.start >= start && m.end <= end && !self.inside_quote(m.start))
    }

    /// Whether a mention is a possessor (`Assad’s spokesman`): then it is
    /// not the speaker.
    fn is_possessive(&self, mention: &Mention) -> bool {
        let rest = &self.text[mention.end..];
        rest.starts_with("’s ") || rest.starts_with("'s ")
    }

    /// The attribution of quote `i`.
    fn attribute(&self, i: usize, memory: &Memory) -> Option<Attribution> {
        let before = self.before(i);
        let after = self.after(i);
        let lead = self.text[before.0..before.1].trim();
        // A quote that opens its sentence is attributed after it; a quote
        // inside a sentence by the clause that leads to it.
        let mut found = if lead.is_empty() {
            self.clause_after(after)
                .and_then(|c| self.resolve(&c, after, memory))
        } else {
            self.clause_before(before)
                .and_then(|c| self.resolve(&c, before, memory))
                .or_else(|| {
                    self.clause_after(after)
                        .and_then(|c| self.resolve(&c, after, memory))
                })
        };
        for range in [before, after] {
            found = self.according_to(range, found, memory);
        }
        if let Some(found) = &mut found {
            if found.channel.is_none() {
                found.channel = self.channel_near(before, after, found.speaker);
            }
        }
        found.filter(|f| f.speaker.is_some() || f.description.is_some() || f.channel.is_some())
    }

    /// `“…,” said Jolani`, `“…,” he said`, `“…,” TASS quoted the source as
    /// saying`.
    fn clause_after(&self, (start, end): (usize, usize)) -> Option<Clause> {
        let text = &self.text[start..end];
        let lead = text.len() - text.trim_start_matches([',', ' ', '—', '–']).len();
        let verb = VERB.find(text)?;
        let words_before = text[..verb.start()].split_whitespace().count();
        if words_before > MAX_CUE_WORDS / 2 || verb.start() < lead {
            return None;
        }
        if words_before == 0 {
            // Inverted: `said Jolani`, `said the source further`, and the
            // passive `said by Jolani`.
            let object = &text[verb.end()..];
            let stop = object.find([',', '.', ';', ':']).unwrap_or(object.len());
            let by = object[..stop]
                .find(|c: char| !c.is_whitespace())
                .filter(|&at| object[at..stop].starts_with("by "))
                .map_or(0, |at| at + 3);
            let who = (start + verb.end() + by, start + verb.end() + stop);
            return Some(Clause {
                who,
                cue: (start + lead, who.1),
                verb: verb.as_str().to_owned(),
                verb_end: start + verb.end(),
            });
        }
        let cue_end = text[verb.end()..]
            .find([',', '.', ';'])
            .map_or(end, |at| start + verb.end() + at);
        Some(Clause {
            who: (start + lead, start + verb.start()),
            cue: (start + lead, cue_end),
            verb: verb.as_str().to_owned(),
            verb_end: start + verb.end(),
        })
    }

    /// `Peskov said there is also “nothing to tell”`: the subject of the
    /// first reporting verb of the sentence that has one.
    fn clause_before(&self, (start, end): (usize, usize)) -> Option<Clause> {
        let text = &self.text[start..end];
        let verbs: Vec<regex::Match> = VERB.find_iter(text).collect();
        let first = verbs
            .iter()
            .position(|verb| !text[..verb.start()].trim().is_empty())?;
        let clause = |from: usize, verb: &regex::Match| Clause {
            who: (start + from, start + verb.start()),
            cue: (start, start + verb.end()),
            verb: verb.as_str().to_owned(),
            verb_end: start + verb.end(),
        };
        // `Peskov said that Lavrov told him “…”`: a later reporting verb
        // with a subject of its own (a name or a pronoun) is the speaker's.
        let finite: Vec<&regex::Match> = verbs[first..]
            .iter()
            .filter(|verb| !verb.as_str().ends_with("ing"))
            .collect();
        if let [.., previous, last] = finite.as_slice() {
            let (from, to) = (start + previous.end(), start + last.start());
            let segment = self.text[from..to].trim();
            let segment = segment.strip_prefix("that ").unwrap_or(segment).trim();
            let names_someone = self.mentions_in(from, to).any(|m| {
                matches!(
                    self.matcher.kind(m.entity),
                    Some(EntityKind::Person | EntityKind::Organization)
                ) && !self.is_possessive(m)
            });
            if names_someone || PRONOUN.is_match(segment) {
                let from = previous.end() + self.text[from..to].find(segment).unwrap_or(0);
                return Some(clause(from, last));
            }
        }
        Some(clause(0, &verbs[first]))
    }

    /// Turns a reporting clause into an attribution.
    fn resolve(
        &self,
        clause: &Clause,
        range: (usize, usize),
        memory: &Memory,
    ) -> Option<Attribution> {
        let cue_text = collapse(&self.text[clause.cue.0..clause.cue.1]);
        let whole = &self.text[range.0..range.1];
        // `TASS quoted the source as saying`: the quoted is the speaker.
        if let Some(quoted) = QUOTED_AS_SAYING.captures(whole) {
            let group = quoted.get(1).expect("group");
            let who = (range.0 + group.start(), range.0 + group.end());
            let channel = self
                .mentions_in(range.0, who.0)
                .find(|m| self.matcher.kind(m.entity) == Some(EntityKind::Outlet))
                .map(|m| m.entity);
            let cue = collapse(&whole[..quoted.get(0).expect("match").end()]);
            let mut found = self.speaker_of(who, memory, &cue).or_else(|| {
                channel.map(|channel| Attribution {
                    speaker: None,
                    description: None,
                    channel: Some(channel),
                    cue: cue.clone(),
                    by: AttributedBy::Channel,
                })
            })?;
            found.channel = channel.or(found.channel);
            found.cue = cue;
            return Some(found);
        }
        let (who_start, who_end) = clause.who;
        let mut channel = None;
        // `Tass, citing a Kremlin source, reported`: the cited is the speaker.
        if let Some(cited) = CITING.captures(&self.text[who_start..who_end]) {
            let group = cited.get(1).expect("group");
            channel = self
                .mentions_in(who_start, who_start + group.start())
                .find(|m| self.matcher.kind(m.entity) == Some(EntityKind::Outlet))
                .map(|m| m.entity);
            let phrase = (who_start + group.start(), who_start + group.end());
            let mut found = self.speaker_of(phrase, memory, &cue_text)?;
            found.channel = channel.or(found.channel);
            return Some(found);
        }
        let mut found = self.subject_speaker((who_start, who_end), memory, &cue_text)?;
        if clause.verb.eq_ignore_ascii_case("told") {
            // `a source told TASS`: the outlet told is the channel; `told the
            // agency`, the outlet named before.
            let told = &self.text[clause.verb_end..range.1];
            let upto = told.find([',', '.', ';']).unwrap_or(told.len());
            channel = self
                .mentions_in(clause.verb_end, clause.verb_end + upto)
                .find(|m| self.matcher.kind(m.entity) == Some(EntityKind::Outlet))
                .map(|m| m.entity);
            if channel.is_none() && told[..upto].trim().to_lowercase().starts_with("the ") {
                channel = AGENCY_WORD
                    .is_match(&told[..upto])
                    .then_some(memory.outlet)
                    .flatten();
            }
        }
        found.channel = channel.or(found.channel);
        Some(found)
    }

    /// The speaker of a subject that may hold clauses set off by commas.
    /// A subject naming someone is read whole; one naming nobody is read
    /// as `In a speech, the minister` (after the last comma), then as `A
    /// senior diplomat, speaking anonymously,` (before the first).
    fn subject_speaker(
        &self,
        (start, end): (usize, usize),
        memory: &Memory,
        cue: &str,
    ) -> Option<Attribution> {
        let names_someone = self.mentions_in(start, end).any(|m| {
            matches!(
                self.matcher.kind(m.entity),
                Some(EntityKind::Person | EntityKind::Organization | EntityKind::Outlet)
            ) && !self.is_possessive(m)
                && !ROLE.is_match(&self.text[m.end..end])
        });
        let segment = &self.text[start..end];
        if names_someone || APPOSITIVE_NAME.is_match(segment.trim_end()) {
            return self.speaker_of((start, end), memory, cue);
        }
        match (segment.find(','), segment.rfind(',')) {
            (Some(first), Some(last)) => self
                .speaker_of((start + last + 1, end), memory, cue)
                .or_else(|| self.speaker_of((start, start + first), memory, cue))
                .or_else(|| self.speaker_of((start, end), memory, cue)),
            _ => self.speaker_of((start, end), memory, cue),
        }
    }

    /// The speaker named by the words in `who`.
    fn speaker_of(&self, who: (usize, usize), memory: &Memory, cue: &str) -> Option<Attribution> {
        let phrase = self.text[who.0..who.1]
            .trim()
            .trim_matches([',', ' ', '—', '–'])
            .trim();
        let attribution = |speaker, description: Option<String>, channel, by| Attribution {
            speaker,
            description,
            channel,
            cue: cue.to_owned(),
            by,
        };
        if phrase.is_empty() {
            return None;
        }
        // `Asked whether Assad would leave, she replied`: the words next to
        // the verb are its subject.
        let closest = phrase
            .rsplit(',')
            .next()
            .unwrap_or(phrase)
            .trim()
            .to_lowercase();
        if PRONOUN.is_match(&closest) {
            return self.pronoun(&closest, memory, cue);
        }
        // Named: the last person in the subject, else its last body. A
        // body that qualifies a role (`the United Nations envoy`) is not the
        // speaker: its envoy is.
        let named: Vec<&Mention> = self
            .mentions_in(who.0, who.1)
            .filter(|m| !self.is_possessive(m) && !ROLE.is_match(&self.text[m.end..who.1]))
            .collect();
        let of_kind = |kind| {
            named
                .iter()
                .rev()
                .find(|m| self.matcher.kind(m.entity) == Some(kind))
                .map(|m| m.entity)
        };
        let is_source = SOURCE_WORD.is_match(phrase);
        if let Some(person) = of_kind(EntityKind::Person) {
            return Some(attribution(Some(person), None, None, AttributedBy::Name));
        }
        if !is_source {
            if let Some(body) = of_kind(EntityKind::Organization) {
                return Some(attribution(Some(body), None, None, AttributedBy::Name));
            }
            if let Some(outlet) = of_kind(EntityKind::Outlet) {
                return Some(attribution(None, None, Some(outlet), AttributedBy::Channel));
            }
            // `Russia said`: a country speaks through its government, when
            // its name is the whole subject.
            if let Some(place) = named.last().filter(|m| {
                self.matcher.kind(m.entity) == Some(EntityKind::Place)
                    && self.text[m.end..who.1].trim().is_empty()
                    && self.text[who.0..m.start]
                        .trim()
                        .trim_start_matches(|c: char| !c.is_alphanumeric())
                        .split_whitespace()
                        .all(|w| w.eq_ignore_ascii_case("the"))
            }) {
                return Some(attribution(
                    Some(place.entity),
                    None,
                    None,
                    AttributedBy::Name,
                ));
            }
        }
        let lower = phrase.to_lowercase();
        if PRONOUN.is_match(&lower) {
            return self.pronoun(&lower, memory, cue);
        }
        let in_reach = |seen: usize| seen + 1 >= self.paragraph;
        if lower == "the statement" {
            if let Some((issuer, _)) = memory.statement.filter(|&(_, seen)| in_reach(seen)) {
                return Some(attribution(
                    Some(issuer),
                    None,
                    None,
                    AttributedBy::Reference,
                ));
            }
        }
        if lower == "it" || BODY_WORD.is_match(&lower) {
            // `it said`, `the statement added`: the body named just before.
            if let Some((body, _)) = memory.body.filter(|&(_, seen)| in_reach(seen)) {
                return Some(attribution(Some(body), None, None, AttributedBy::Reference));
            }
        }
        if lower.starts_with("the ") && is_source {
            // `the source`: the unnamed source introduced earlier.
            if let Some((description, channel)) = memory.unnamed.clone() {
                return Some(attribution(
                    None,
                    Some(description),
                    channel,
                    AttributedBy::Reference,
                ));
            }
        }
        if lower.starts_with("the ") && AGENCY_WORD.is_match(&lower) {
            if let Some(outlet) = memory.outlet {
                return Some(attribution(
                    None,
                    None,
                    Some(outlet),
                    AttributedBy::Reference,
                ));
            }
        }
        // Otherwise the speaker is kept as the text describes it, when that
        // is a noun phrase: `the armed opposition`, `Smith`, `two sources`,
        // `the UN envoy for Syria, Geir Pedersen`.
        if APPOSITIVE_NAME.is_match(phrase) && phrase.split_whitespace().count() <= 14 {
            let description = lowercase_article(&collapse(phrase.trim_end_matches(',')));
            return Some(attribution(
                None,
                Some(description),
                None,
                AttributedBy::Description,
            ));
        }
        let description = DESCRIPTION
            .find(phrase)
            .map(|m| m.as_str())
            .or_else(|| (phrase.split_whitespace().count() <= MAX_NAME_WORDS).then_some(phrase))?;
        let description = lowercase_article(trim_trailing_words(&collapse(description)));
        if !is_description(&description) {
            return None;
        }
        Some(attribution(
            None,
            Some(description),
            None,
            AttributedBy::Description,
        ))
    }

    /// `he said`, `they said`: the last person named in this paragraph or the
    /// one before; `they`, the last speaker there.
    fn pronoun(&self, pronoun: &str, memory: &Memory, cue: &str) -> Option<Attribution> {
        if pronoun == "they" {
            let (last, seen) = memory.last.clone()?;
            return (seen + 1 >= self.paragraph).then(|| Attribution {
                cue: cue.to_owned(),
                by: AttributedBy::Pronoun,
                ..last
            });
        }
        let (person, seen) = memory.person.clone()?;
        (seen + 1 >= self.paragraph).then(|| Attribution {
            cue: cue.to_owned(),
            by: AttributedBy::Pronoun,
            ..person
        })
    }

    /// `according to Reuters`: a channel when an outlet, else the speaker
    /// when none was found.
    fn according_to(
        &self,
        (start, end): (usize, usize),
        found: Option<Attribution>,
        memory: &Memory,
    ) -> Option<Attribution> {
        let Some(according) = ACCORDING_TO.captures(&self.text[start..end]) else {
            return found;
        };
        let group = according.get(1).expect("group");
        let phrase = (start + group.start(), start + group.end());
        let cue = collapse(according.get(0).expect("match").as_str());
        let outlet = self
            .mentions_in(phrase.0, phrase.1)
            .find(|m| self.matcher.kind(m.entity) == Some(EntityKind::Outlet))
            .map(|m| m.entity);
        match found {
            Some(mut found) => {
                if found.channel.is_none() {
                    found.channel = outlet;
                }
                Some(found)
            }
            None => self.speaker_of(phrase, memory, &cue),
        }
    }

    /// An outlet named in the reporting text around a quote (`, TASS
    /// reported`), other than the speaker.
    fn channel_near(
        &self,
        before: (usize, usize),
        after: (usize, usize),
        speaker: Option<usize>,
    ) -> Option<usize> {
        self.mentions_in(before.0, before.1)
            .chain(self.mentions_in(after.0, after.1))
            .find(|m| {
                self.matcher.kind(m.entity) == Some(EntityKind::Outlet) && Some(m.entity) != speaker
            })
            .map(|m| m.entity)
    }
}

/// A cited phrase up to the clause that follows it: `Kremlin sources that
/// Assad…` is `Kremlin sources`.
fn cut_clause(phrase: &str) -> &str {
    static CLAUSE: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"(?i)\s(?:that|who|which|as|and|on|in|to)\s").expect("clause pattern")
    });
    let end = CLAUSE.find(phrase).map_or(phrase.len(), |m| m.start());
    phrase[..end].trim()
}

/// A line in title case (`Iran Praises Turkiye’s ‘Key Role’`): the headline
/// of a related story, whose quotation marks hold no one's speech.
fn is_title_case(text: &str) -> bool {
    let words: Vec<&str> = text.split_whitespace().collect();
    let capitalised = words
        .iter()
        .filter(|w| {
            w.chars()
                .find(|c| c.is_alphabetic())
                .is_some_and(char::is_uppercase)
        })
        .count();
    words.len() >= 3 && !text.trim_end().ends_with('.') && capitalised * 4 >= words.len() * 3
}

/// Words that cannot stand for a speaker on their own, or open a clause
/// rather than a noun phrase.
const NOT_SPEAKERS: &[&str] = &[
    "it", "this", "that", "there", "here", "we", "i", "you", "who", "what", "which", "and", "but",
    "while", "as", "so", "then", "also", "when", "where", "if", "because", "although",
];

/// Whether a phrase left of a reporting verb reads as a speaker: a noun
/// phrase of two words or more, or one capitalised word (a surname).
fn is_description(phrase: &str) -> bool {
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

/// Whether a description speaks of several people (`Kremlin sources`): its
/// last word is a lower-case plural. A surname (`Landis`) is not.
fn is_plural(description: &str) -> bool {
    description
        .split_whitespace()
        .next_back()
        .is_some_and(|w| w.ends_with('s') && w.chars().next().is_some_and(char::is_lowercase))
}

/// Auxiliaries and adverbs that can stand between a subject and its verb
/// (`the new authorities have promised`): not part of the description.
const TRAILING_WORDS: &[&str] = &[
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
/// source`. `of` is kept: `residents of Damascus`.
static PLACE_PHRASE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"\s(?:on|in|at|to|with|for|during|after|before|via)\s").expect("pattern")
});

/// A description without the auxiliaries and adverbs at its end, nor the
/// place or medium that follows it.
fn trim_trailing_words(description: &str) -> &str {
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
fn lowercase_article(description: &str) -> String {
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

/// Small words a name in title case leaves in lower case.
const NAME_LINKS: &[&str] = &[
    "of", "the", "and", "for", "in", "on", "al", "de", "la", "to", "a",
];

/// Whether quoted words are a name rather than speech: a few words, each
/// capitalised but for linking words (`Deterrence of Aggression`).
fn is_name(words: &str) -> bool {
    let words: Vec<&str> = words
        .split_whitespace()
        .map(|w| w.trim_matches(|c: char| !c.is_alphanumeric()))
        .filter(|w| !w.is_empty())
        .collect();
    words.len() <= 6
        && words
            .first()
            .is_some_and(|w| w.starts_with(char::is_uppercase))
        && words
            .iter()
            .all(|w| w.starts_with(char::is_uppercase) || NAME_LINKS.contains(w))
}

/// Whitespace collapsed to single spaces, trimmed.
fn collapse(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::content::paragraphs::split_clipping;
    use crate::content::Entity;

    fn entity(name: &str, kind: EntityKind, aliases: &[&str]) -> Entity {
        Entity {
            path: format!("content/entities/{name}.md").into(),
            slug: crate::slug::slugify(name),
            name: name.into(),
            kind,
            aliases: aliases.iter().map(|a| a.to_string()).collect(),
            description: None,
            links: Vec::new(),
            body_html: String::new(),
        }
    }

    const JOLANI: usize = 0;
    const PESKOV: usize = 1;
    const ULYANOV: usize = 2;
    const MINISTRY: usize = 3;
    const TASS: usize = 4;
    const REUTERS: usize = 5;
    const BAHRA: usize = 6;
    const INTERFAX: usize = 7;
    const KREMLIN: usize = 8;
    const SYRIA: usize = 9;
    const ASSAD: usize = 10;

    fn matcher() -> Matcher {
        use EntityKind::*;
        Matcher::new(&[
            entity("Abu Mohammed al-Jolani", Person, &["Jolani", "al-Jolani"]),
            entity("Dmitry Peskov", Person, &["Peskov"]),
            entity("Mikhail Ulyanov", Person, &["Ulyanov"]),
            entity("Russian Foreign Ministry", Organization, &[]),
            entity("TASS", Outlet, &["Tass"]),
            entity("Reuters", Outlet, &[]),
            entity("Hadi al-Bahra", Person, &[]),
            entity("Interfax", Outlet, &[]),
            entity("Kremlin", Organization, &[]),
            entity("Syria", Place, &[]),
            entity("Bashar al-Assad", Person, &["Assad"]),
        ])
        .0
    }

    /// The quotes of a clipping, one paragraph per line.
    fn quotes(text: &str) -> Vec<Quote> {
        find_quotes(&split_clipping(text, false), &matcher())
    }

    fn only(text: &str) -> Quote {
        let found = quotes(text);
        assert_eq!(found.len(), 1, "{found:#?}");
        found.into_iter().next().unwrap()
    }

    fn speaker(quote: &Quote) -> Option<usize> {
        quote.attribution.as_ref().and_then(|a| a.speaker)
    }

    fn channel(quote: &Quote) -> Option<usize> {
        quote.attribution.as_ref().and_then(|a| a.channel)
    }

    fn description(quote: &Quote) -> Option<&str> {
        quote
            .attribution
            .as_ref()
            .and_then(|a| a.description.as_deref())
    }

    #[test]
    fn said_then_name() {
        let q = only("“This victory, my brothers, is historic for the region,” said Jolani.");
        assert_eq!(
            q.text,
            "This victory, my brothers, is historic for the region"
        );
        assert_eq!(speaker(&q), Some(JOLANI));
        assert_eq!(q.attribution.unwrap().cue, "said Jolani");
        assert!(!q.fragment);
    }

    #[test]
    fn name_then_said() {
        let q = only("“We will not leave,” Peskov said on Monday.");
        assert_eq!(speaker(&q), Some(PESKOV));
        assert_eq!(q.attribution.unwrap().by, AttributedBy::Name);
    }

    #[test]
    fn title_and_name_told_reporters() {
        let q = only(
            "\"Of course, such decisions cannot be made without the head of state. It is his \
             (Russian President Vladimir Putin) decision,\" Kremlin spokesman Dmitry Peskov told \
             reporters in Moscow.",
        );
        assert_eq!(speaker(&q), Some(PESKOV));
        assert!(q.text.starts_with("Of course, such decisions"));
        assert_eq!(channel(&q), None);
    }

    #[test]
    fn he_said_is_the_last_person_of_the_paragraph_before() {
        let found = quotes(
            "“This victory, my brothers, is historic for the region,” said Jolani.\n\
             “Today, Syria is being purified,” he said, adding that “this victory is born from \
             the people who have languished in prison”.",
        );
        assert_eq!(found.len(), 3);
        for q in &found {
            assert_eq!(speaker(q), Some(JOLANI), "{q:?}");
        }
        assert_eq!(
            found[1].attribution.as_ref().unwrap().by,
            AttributedBy::Pronoun
        );
        assert!(found[2].fragment);
    }

    #[test]
    fn a_pronoun_chain_carries_the_person_over_paragraphs() {
        let found = quotes(
            "Peskov said that Moscow is working to contact those who can ensure security.\n\
             He further said that it is too early to talk about the status of the bases.\n\
             \"This is all a subject for discussion with those who will be in power,\" he went \
             on to say.",
        );
        assert_eq!(speaker(&found[0]), Some(PESKOV));
    }

    #[test]
    fn a_pronoun_with_no_person_in_reach_stays_unattributed() {
        let found = quotes(
            "Peskov spoke on Monday.\nThe weather was cold.\nNobody expected it.\n\
             “We are ready for talks,” he said.",
        );
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].attribution, None);
    }

    #[test]
    fn a_source_told_tass_is_unnamed_with_a_channel() {
        let q = only(
            "“Assad, along with members of his family, has arrived in Moscow. Russia granted \
             them asylum on humanitarian grounds,” a source told TASS.",
        );
        assert_eq!(speaker(&q), None);
        assert_eq!(description(&q), Some("a source"));
        assert_eq!(channel(&q), Some(TASS));
    }

    #[test]
    fn the_source_is_the_kremlin_source_introduced_before() {
        let found = quotes(
            "Russia has granted asylum to Bashar al-Assad, TASS reported citing a Kremlin source.\n\
             The source confirmed that Assad and his family have arrived in Moscow, being driven \
             by “humanitarian considerations.”\n\
             “Russia has always spoken in favour of a political settlement of the Syrian crisis. \
             We insist that the UN-mediated talks be resumed,” the source said, reported the \
             Russian news agency.",
        );
        assert_eq!(found.len(), 2);
        for q in &found {
            assert_eq!(speaker(q), None);
            assert_eq!(description(q), Some("a Kremlin source"));
            assert_eq!(channel(q), Some(TASS));
        }
        assert!(found[0].fragment);
        assert!(
            found[1].text.contains("We insist"),
            "a quote spans sentences"
        );
    }

    #[test]
    fn the_source_with_no_source_introduced_is_kept_as_written() {
        let q = only("“Nothing is decided,” the source said.");
        assert_eq!(speaker(&q), None);
        assert_eq!(description(&q), Some("the source"));
        assert_eq!(q.attribution.unwrap().by, AttributedBy::Description);
    }

    #[test]
    fn a_surname_outside_the_catalogue_is_kept_as_written() {
        let q = only("“We will not negotiate under fire,” Smith told reporters.");
        assert_eq!(speaker(&q), None);
        assert_eq!(description(&q), Some("Smith"));
    }

    #[test]
    fn it_said_is_the_body_named_before() {
        let found = quotes(
            "The Kremlin issued a short note on Monday.\n“The decision was humanitarian,” it said.",
        );
        assert_eq!(speaker(&found[0]), Some(KREMLIN));
    }

    #[test]
    fn a_clause_word_is_not_a_speaker() {
        let q = only("Aid reached the city, which “looks like a ghost town” now.");
        assert_eq!(q.attribution, None);
    }

    #[test]
    fn outlet_quoted_someone_as_saying() {
        let q = only(
            "The Interfax news agency quoted an unnamed Kremlin source as saying: “President \
             Assad of Syria has arrived in Moscow.”",
        );
        assert_eq!(speaker(&q), None);
        assert_eq!(description(&q), Some("an unnamed Kremlin source"));
        assert_eq!(channel(&q), Some(INTERFAX));
    }

    #[test]
    fn tass_quoted_the_source_as_saying() {
        let found = quotes(
            "TASS has reported citing Kremlin sources that Assad has been granted asylum.\n\
             “We insist that the UN-mediated talks be resumed,” TASS quoted the source as saying.",
        );
        assert_eq!(description(&found[0]), Some("Kremlin sources"));
        assert_eq!(channel(&found[0]), Some(TASS));
    }

    #[test]
    fn the_statement_added_is_the_body_named_before() {
        let found = quotes(
            "“We are following the dramatic events in Syria with extreme concern,” Russian \
             Foreign Ministry said.\n\
             “In this regard, the Russian Federation is in contact with all groups,” the \
             statement added.",
        );
        assert_eq!(speaker(&found[0]), Some(MINISTRY));
        assert_eq!(speaker(&found[1]), Some(MINISTRY));
        assert_eq!(
            found[1].attribution.as_ref().unwrap().by,
            AttributedBy::Reference
        );
    }

    #[test]
    fn a_fragment_inside_a_sentence_with_according_to() {
        let q = only(
            "The head of Syria’s main opposition group abroad Hadi al-Bahra Syrian said that \
             Damascus is now “without Bashar al-Assad,” according to Reuters.",
        );
        assert!(q.fragment);
        assert_eq!(q.text, "without Bashar al-Assad");
        assert_eq!(speaker(&q), Some(BAHRA));
        assert_eq!(channel(&q), Some(REUTERS));
    }

    #[test]
    fn according_to_an_outlet_alone_names_only_the_channel() {
        let q = only("“The talks will resume next week,” according to Interfax.");
        assert_eq!(speaker(&q), None);
        assert_eq!(description(&q), None);
        assert_eq!(channel(&q), Some(INTERFAX));
    }

    #[test]
    fn a_subject_with_a_relative_clause() {
        let q = only(
            "Ulyanov, who leads Moscow’s delegation to international organizations \
             headquartered in Vienna, said the presence of Al-Assads in Moscow shows that \
             “Russia does not betray its friends in difficult situations… unlike the US.”",
        );
        assert_eq!(speaker(&q), Some(ULYANOV));
        assert!(q.fragment);
    }

    #[test]
    fn a_leading_clause_names_others_before_the_speaker() {
        let q = only(
            "Noting that Putin's official schedule does not include a meeting with Assad, \
             Peskov said there is also \"nothing to tell\" about his current whereabouts.",
        );
        assert_eq!(speaker(&q), Some(PESKOV));
    }

    #[test]
    fn a_possessor_is_not_the_speaker() {
        let q = only("Assad’s spokesman said the family was “safe and well in Moscow”.");
        assert_ne!(speaker(&q), Some(ASSAD));
        assert_eq!(description(&q), Some("Assad’s spokesman"));
    }

    #[test]
    fn a_described_speaker_is_kept_as_written() {
        let q = only(
            "“The tyrant Bashar al-Assad has fled,” the armed opposition said in a statement.",
        );
        assert_eq!(speaker(&q), None);
        assert_eq!(description(&q), Some("the armed opposition"));
        assert_eq!(q.text, "The tyrant Bashar al-Assad has fled");
    }

    #[test]
    fn citing_a_source_makes_the_outlet_the_channel() {
        let q = only(
            "Earlier, Russian state news agency Tass, citing a Kremlin source, reported that \
             Assad and his family arrived in Moscow \"guided by humanitarian considerations.\"",
        );
        assert_eq!(speaker(&q), None);
        assert_eq!(description(&q), Some("a Kremlin source"));
        assert_eq!(channel(&q), Some(TASS));
    }

    #[test]
    fn unattributed_quotes_stay_unattributed() {
        let found = quotes(
            "Banners reading “the people want the fall of the regime” hung in the streets.\n\
             “Freedom at last.” The square filled with people.",
        );
        assert_eq!(found.len(), 2);
        assert!(found.iter().all(|q| q.attribution.is_none()), "{found:#?}");
    }

    #[test]
    fn the_next_sentence_does_not_attribute_a_closed_quote() {
        let found = quotes("“We are leaving.” Jolani said nothing more.");
        assert_eq!(found[0].attribution, None);
    }

    #[test]
    fn apostrophes_are_not_quotes_and_single_quotes_are() {
        let found = quotes(
            "Syria’s rebels and Assad’s army met. Jolani called it ‘a historic day’ for all.",
        );
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].text, "a historic day");
        assert_eq!(speaker(&found[0]), Some(JOLANI));
    }

    #[test]
    fn guillemets_are_quotes() {
        let q = only("«Nous ne partirons pas», a déclaré Peskov.");
        assert_eq!(q.text, "Nous ne partirons pas");
    }

    #[test]
    fn a_single_quoted_word_is_not_a_quote() {
        assert!(quotes("The so-called “terrorists” left.").is_empty());
    }

    #[test]
    fn headlines_of_related_stories_are_not_quotes() {
        let found =
            quotes("Iran Praises Turkiye’s ‘Key Role’ in Astana Process to Ease Tensions In Syria");
        assert!(found.is_empty(), "{found:#?}");
    }

    #[test]
    fn an_unclosed_quote_runs_to_the_end_of_the_paragraph() {
        let q = only("Jolani said: “We will rebuild the country and");
        assert_eq!(q.text, "We will rebuild the country and");
        assert_eq!(speaker(&q), Some(JOLANI));
    }

    #[test]
    fn a_quote_sentence_after_an_attributed_one_goes_on_with_its_speaker() {
        let found = quotes(
            "\"The bases are safe for now,\" Peskov told Reuters. \"But nobody knows what will \
             happen.\" Jolani was not available.",
        );
        assert_eq!(speaker(&found[1]), Some(PESKOV));
        assert_eq!(channel(&found[1]), Some(REUTERS));
    }

    #[test]
    fn a_subject_set_off_by_commas() {
        let q = only(
            "A senior Western diplomat, speaking on condition of anonymity, said the fall of \
             Damascus was \"a strategic humiliation for Moscow.\"",
        );
        assert_eq!(description(&q), Some("a senior Western diplomat"));
    }

    #[test]
    fn told_the_agency_is_the_outlet_named_before() {
        let q = only(
            "According to TASS, diplomats stayed. “The embassy is working normally,” a \
             diplomatic source told the agency.",
        );
        assert_eq!(description(&q), Some("a diplomatic source"));
        assert_eq!(channel(&q), Some(TASS));
    }

    #[test]
    fn he_is_the_described_speaker_just_quoted() {
        let found = quotes(
            "Jolani told a crowd on Sunday that Syria belonged to all Syrians.\n\
             In Washington, a State Department spokesman said the United States was \
             \"closely watching\" events. He added: \"We will judge them by their actions.\"",
        );
        assert_eq!(speaker(&found[1]), None);
        assert_eq!(description(&found[1]), Some("a State Department spokesman"));
    }

    #[test]
    fn auxiliaries_are_not_part_of_a_description() {
        let q = only("The new authorities have promised what they call \"transitional justice\".");
        assert_eq!(description(&q), Some("the new authorities"));
    }

    #[test]
    fn an_outlet_quoting_a_title_and_name_outside_the_catalogue() {
        let q = only(
            "\"We have no information about that,\" Interfax quoted Russian Deputy Foreign \
             Minister Mikhail Bogdanov as saying on Wednesday.",
        );
        assert_eq!(
            description(&q),
            Some("Russian Deputy Foreign Minister Mikhail Bogdanov")
        );
        assert_eq!(channel(&q), Some(INTERFAX));
    }

    #[test]
    fn the_statement_is_the_one_the_text_said_was_issued() {
        let found = quotes(
            "Bashar al-Assad said in a statement published on Monday that he had not planned to \
             leave.\n\
             \"My departure from Syria was neither planned nor did it occur during the battles,\" \
             the statement said.\n\
             The former president said Russia had requested his evacuation. \"Moscow requested \
             that the base command arrange an immediate evacuation,\" he said.",
        );
        assert_eq!(speaker(&found[0]), Some(ASSAD));
        assert_eq!(speaker(&found[1]), Some(ASSAD));
    }

    #[test]
    fn straight_single_quotes_are_quotes_but_apostrophes_are_not() {
        let found = quotes(
            "The rebels' advance was swift. 'This is the statement of a man who abandoned his \
             country,' wrote one opposition activist on X.",
        );
        assert_eq!(found.len(), 1, "{found:#?}");
        assert!(found[0].text.starts_with("This is the statement"));
        assert_eq!(description(&found[0]), Some("one opposition activist"));
        assert!(!found[0].fragment);
        assert!(quotes("The fighters' families and the rebels' leaders met.").is_empty());
    }

    #[test]
    fn said_by_is_the_passive_of_said() {
        let q = only("“We are not leaving Vienna,” said by Peskov at the meeting.");
        assert_eq!(speaker(&q), Some(PESKOV));
        let q = only("A list with “a quoted phrase” said by nobody.");
        assert_eq!(q.attribution, None);
    }

    #[test]
    fn a_later_reporting_verb_with_its_own_subject_is_the_speakers() {
        let q = only("Peskov said that Jolani told him “the bases will be safe”.");
        assert_eq!(speaker(&q), Some(JOLANI));
        let q = only("Ulyanov said the talks were over and added that “nothing was agreed”.");
        assert_eq!(speaker(&q), Some(ULYANOV));
    }

    #[test]
    fn a_country_that_is_the_whole_subject_speaks() {
        let q = only("“We call for restraint,” Syria said.");
        assert_eq!(speaker(&q), Some(SYRIA));
        let q = only("“We call for restraint,” a diplomat in Syria said.");
        assert_ne!(speaker(&q), Some(SYRIA));
    }

    #[test]
    fn a_role_in_a_body_is_not_the_body() {
        let q = only(
            "The Kremlin envoy for Syria, Geir Pedersen, said the transition must be \
             \"credible and inclusive\".",
        );
        assert_eq!(speaker(&q), None);
        assert_eq!(
            description(&q),
            Some("the Kremlin envoy for Syria, Geir Pedersen")
        );
        let q = only("“No comment,” a Kremlin official said.");
        assert_eq!(speaker(&q), None);
        assert_eq!(description(&q), Some("a Kremlin official"));
    }

    #[test]
    fn an_unattributed_name_in_quotes_is_not_speech() {
        assert!(quotes("The offensive, named \"Deterrence of Aggression\", began.").is_empty());
        let q = only("“Deterrence of Aggression,” Jolani said.");
        assert_eq!(speaker(&q), Some(JOLANI), "attributed words are kept");
    }

    #[test]
    fn the_pronoun_next_to_the_verb_is_the_subject() {
        let found = quotes(
            "“The embassy continues to operate,” Peskov told a briefing. Asked whether Assad \
             would be extradited, he replied: “Russia does not extradite its guests.”",
        );
        assert_eq!(speaker(&found[1]), Some(PESKOV));
    }

    #[test]
    fn a_coordinated_verb_shares_the_subject_of_the_quote_before() {
        let found = quotes(
            "Peskov described the situation as “very alarming” but said Moscow would “do \
             everything” to protect its citizens.",
        );
        assert_eq!(speaker(&found[1]), Some(PESKOV));
    }

    #[test]
    fn a_statement_from_a_body_keeps_its_body() {
        let q = only("A statement from the Syrian National Coalition called the day “the beginning of a new era”.");
        assert_eq!(
            description(&q),
            Some("a statement from the Syrian National Coalition")
        );
    }

    #[test]
    fn a_title_and_name_after_a_place_phrase() {
        let found = quotes(
            "In Tehran, Syria's Supreme Leader Ali Khamenei said on Wednesday: \"What happened \
             was a plan.\"\n\"Nobody should have any doubt about this,\" he added.",
        );
        assert_eq!(
            description(&found[0]),
            Some("Syria's Supreme Leader Ali Khamenei")
        );
        assert_eq!(
            description(&found[1]),
            Some("Syria's Supreme Leader Ali Khamenei")
        );
    }

    #[test]
    fn an_appositive_name_is_kept_with_its_role() {
        let q = only(
            "A spokesman for the group, Obeida Arnaout, said that HTS wanted \"strategic \
             relations\" with Moscow.",
        );
        assert_eq!(
            description(&q),
            Some("a spokesman for the group, Obeida Arnaout")
        );
    }

    #[test]
    fn a_quote_over_two_paragraphs_takes_the_attribution_at_its_end() {
        let found = quotes(
            "“We will rebuild every city of this country.\n\
             “The future is ours,” Jolani said.",
        );
        assert_eq!(found.len(), 2);
        assert_eq!(speaker(&found[0]), Some(JOLANI));
        assert_eq!(speaker(&found[1]), Some(JOLANI));
    }

    #[test]
    fn a_person_named_only_inside_a_quote_is_not_the_speaker() {
        let found = quotes("The crowd gathered.\n“Peskov has nothing to tell us,” they said.");
        assert_eq!(speaker(&found[0]), None);
        let _ = (KREMLIN, SYRIA);
    }

    #[test]
    fn sentences_end_at_full_stops_but_not_abbreviations() {
        let text = "Clashes began on Nov. 27 in Aleppo. Then Homs fell.";
        let ends: Vec<usize> = text
            .char_indices()
            .filter(|&(i, _)| ends_sentence(text, i))
            .map(|(i, _)| i)
            .collect();
        assert_eq!(ends, [text.find("Aleppo.").unwrap() + 6, text.len() - 1]);
    }
}
