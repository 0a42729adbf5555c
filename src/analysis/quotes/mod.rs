//! Quoted speech and who said it.
//!
//! A quote is any span between quotation marks (“…”, "…", ‘…’, '…', «…»)
//! of at least two words in a body paragraph, whether it stands as a
//! sentence of its own or is a fragment inside one; a few capitalised words
//! that nobody is said to have said are a name, not speech. Its speaker is
//! taken only from what the text itself says around the marks: the
//! reporting verb next to it (`said Jolani`, `Peskov told reporters`, `the
//! source added`), a pronoun (`he said`) resolved to the last person named
//! in this paragraph or the one before, a definite noun (`the source`, `the
//! statement`) resolved to the source or body named earlier, or a
//! description (`a source`, `the armed opposition`, `an official at Gazprom
//! Neft`: the body a role is held in is not the speaker) kept as written. The
//! agency that relays the words (`a source told TASS`, `according to
//! Reuters`) is the channel, not the speaker. When the text says nothing,
//! the quote stays unattributed: no guess is made.

mod attribution;
mod patterns;
mod spans;

use serde::{Deserialize, Serialize};

use super::mentions::{Matcher, Mention};
use crate::content::{EntityKind, Paragraph, ParagraphKind};
use attribution::Context;
use patterns::*;
pub(crate) use spans::{quote_spans, sentence_end, Span, SENTENCE_MARKS};

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

/// Quotes of at least this many words are kept; a single quoted word is
/// usually a term held at a distance, not speech.
const MIN_WORDS: usize = 2;

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
        let after = context.after(i);
        if attribution.is_none() && lead.is_empty() && !VERB.is_match(&text[after.0..after.1]) {
            // `“…,” a source told Reuters. “But nobody knows…”`: a quote that
            // is a sentence of its own goes on with the speaker just quoted,
            // unless its sentence says who said it.
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

#[cfg(test)]
mod tests {
    use super::spans::ends_sentence;
    use super::*;
    use crate::content::paragraphs::split_clipping;
    use crate::content::Entity;

    fn entity(name: &str, kind: EntityKind, aliases: &[&str]) -> Entity {
        Entity::for_test(name, kind, aliases)
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
            entity("Water Agency", Organization, &[]),
            entity("Energy Ministry", Organization, &[]),
            entity("Gazprom Neft", Organization, &[]),
            entity("European Union", Organization, &[]),
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
    fn how_they_put_it_in_the_next_sentence_names_the_speaker() {
        let found = quotes(
            "“The bases are safe,” Jolani said. “Nobody will be harmed.” That was how \
             Peskov put it on Monday.",
        );
        assert_eq!(speaker(&found[0]), Some(JOLANI));
        assert_eq!(speaker(&found[1]), Some(PESKOV), "{:#?}", found[1]);
        let office = only("“We will not comment.” That was how Assad’s office put it.");
        assert_ne!(speaker(&office), Some(ASSAD));
        assert_eq!(description(&office), Some("Assad’s office"));
        let minister = only("“Talks go on.” This is how the minister described it.");
        assert_eq!(description(&minister), Some("the minister"));
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

    #[test]
    fn a_day_or_month_that_ends_a_sentence_ends_it() {
        let text = "Talks began on Nov. 5. They ended on 7 Nov. He said no. No. 10 agreed.";
        let ends: Vec<&str> = text
            .char_indices()
            .filter(|&(i, _)| ends_sentence(text, i))
            .map(|(i, _)| &text[..=i])
            .collect();
        assert_eq!(
            ends,
            [
                "Talks began on Nov. 5.",
                "Talks began on Nov. 5. They ended on 7 Nov.",
                "Talks began on Nov. 5. They ended on 7 Nov. He said no.",
                text,
            ]
        );
    }

    /// `text` up to each end of a sentence in it.
    fn up_to_each_sentence_end(text: &str) -> Vec<&str> {
        text.match_indices(SENTENCE_MARKS)
            .filter_map(|(at, _)| sentence_end(text, at))
            .map(|end| &text[..end])
            .collect()
    }

    #[test]
    fn a_sentence_ends_after_the_quote_its_last_mark_closes() {
        let text = "He said: “No.” Then «Why?» Peskov asked. ‘Stop!’ The Fund paid. \
                    “We will,” he said.";
        assert_eq!(
            up_to_each_sentence_end(text),
            [
                "He said: “No.”",
                "He said: “No.” Then «Why?» Peskov asked.",
                "He said: “No.” Then «Why?» Peskov asked. ‘Stop!’",
                "He said: “No.” Then «Why?» Peskov asked. ‘Stop!’ The Fund paid.",
                text,
            ]
        );
    }

    #[test]
    fn a_sentence_ends_before_a_word_of_a_script_without_capitals() {
        let text = "They met on Friday. فريد Lindgren said so. 北京 agreed. and then";
        assert_eq!(
            up_to_each_sentence_end(text),
            [
                "They met on Friday.",
                "They met on Friday. فريد Lindgren said so.",
            ]
        );
    }

    #[test]
    fn a_quoted_question_before_a_named_cue_is_attributed_to_it() {
        let q = only("“Why should we leave now?” Peskov asked on Monday.");
        assert_eq!(speaker(&q), Some(PESKOV));
        let found = quotes(
            "“Who will pay for the damage now?” Peskov said. “Not us, in any case,” he added.",
        );
        assert_eq!(speaker(&found[1]), Some(PESKOV));
    }

    #[test]
    fn a_described_speaker_at_a_body_with_a_long_name() {
        let q = only(
            "“The audit found gaps,” a senior official at the Water Agency said, speaking on \
             condition of anonymity.",
        );
        assert_eq!(speaker(&q), None);
        assert_eq!(
            description(&q),
            Some("a senior official at the Water Agency")
        );
        assert_eq!(
            q.attribution.unwrap().cue,
            "a senior official at the Water Agency said"
        );
        let q = only(
            "A senior official at the Water Agency, speaking on condition of anonymity, said: \
             “The audit found gaps.”",
        );
        assert_eq!(speaker(&q), None);
        assert_eq!(
            description(&q),
            Some("a senior official at the Water Agency")
        );
    }

    #[test]
    fn a_described_speaker_does_not_go_on_with_the_one_quoted_before() {
        let found = quotes(
            "Peskov said: “We will stay.” “We are leaving,” a senior official at the Water \
             Agency said, speaking on condition of anonymity.",
        );
        assert_eq!(speaker(&found[0]), Some(PESKOV));
        assert_eq!(speaker(&found[1]), None);
        assert_eq!(
            description(&found[1]),
            Some("a senior official at the Water Agency")
        );
        // A reporting clause that cannot be read still says the words are
        // someone else's.
        let found = quotes(
            "Peskov said: “We will stay.” “We are leaving,” the crowd that gathered outside \
             the embassy on Sunday chanted.",
        );
        assert_eq!(found[1].attribution, None);
    }

    #[test]
    fn a_body_named_after_a_role_is_where_the_speaker_works() {
        for (said, described) in [
            (
                "a spokesperson for the Energy Ministry said",
                "a spokesperson for the Energy Ministry",
            ),
            (
                "an official at Gazprom Neft said",
                "an official at Gazprom Neft",
            ),
            (
                "a source close to the Kremlin said",
                "a source close to the Kremlin",
            ),
            (
                "two diplomats from the European Union said",
                "two diplomats from the European Union",
            ),
            ("an aide to Peskov said", "an aide to Peskov"),
        ] {
            let q = only(&format!("“We expect a decision soon,” {said}."));
            assert_eq!(speaker(&q), None, "{said}");
            assert_eq!(description(&q), Some(described), "{said}");
        }
    }

    #[test]
    fn several_described_speakers_are_not_what_he_means() {
        let found = quotes(
            "“We expect a decision soon,” two diplomats from the European Union said. “Nothing \
             is settled,” he said.",
        );
        assert_eq!(
            description(&found[0]),
            Some("two diplomats from the European Union")
        );
        assert_eq!(found[1].attribution, None);
    }
}
