//! Attributing one quote: the reporting clause before or after it, and the
//! speaker its subject names, describes or points back at.

use super::patterns::*;
use super::spans::{ends_sentence, sentence_end, Span, SENTENCE_MARKS};
use super::{AttributedBy, Attribution, Memory};
use crate::analysis::mentions::{Matcher, Mention};
use crate::content::EntityKind;

/// A speaker phrase without an article is kept when at most this long
/// (`Russian Deputy Foreign Minister Mikhail Bogdanov`).
const MAX_NAME_WORDS: usize = 6;
/// An attribution after a quote is looked for within this many words.
const MAX_CUE_WORDS: usize = 12;

/// A paragraph under analysis.
pub(super) struct Context<'a> {
    pub(super) text: &'a str,
    pub(super) spans: &'a [Span],
    pub(super) mentions: &'a [Mention],
    pub(super) matcher: &'a Matcher,
    pub(super) paragraph: usize,
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
    pub(super) fn inside_quote(&self, at: usize) -> bool {
        self.spans.iter().any(|s| s.outer.0 <= at && at < s.outer.1)
    }

    /// The text before quote `i` in its sentence, from the sentence start or
    /// the end of the previous quote.
    pub(super) fn before(&self, i: usize) -> (usize, usize) {
        let start = self.spans[i].outer.0;
        let floor = i.checked_sub(1).map_or(0, |p| self.spans[p].outer.1);
        let from = self.text[floor..start]
            .rmatch_indices(SENTENCE_MARKS)
            .map(|(at, _)| floor + at)
            .filter(|&at| !self.inside_quote(at))
            .find_map(|at| sentence_end(self.text, at))
            .unwrap_or(floor);
        (from, start)
    }

    /// The text after quote `i` up to the end of its sentence or the next
    /// quote. Empty when the quote itself ends the sentence.
    pub(super) fn after(&self, i: usize) -> (usize, usize) {
        let span = self.spans[i];
        let last_mark = self.text[..span.inner.1]
            .strip_suffix(SENTENCE_MARKS)
            .map(str::len);
        if last_mark
            .and_then(|at| sentence_end(self.text, at))
            .is_some_and(|end| end >= span.outer.1)
        {
            return (span.outer.1, span.outer.1);
        }
        let ceiling = self.spans.get(i + 1).map_or(self.text.len(), |s| s.outer.0);
        let to = self.text[span.outer.1..ceiling]
            .match_indices(SENTENCE_MARKS)
            .map(|(at, _)| span.outer.1 + at)
            .find(|&at| ends_sentence(self.text, at))
            .unwrap_or(ceiling);
        (span.outer.1, to)
    }

    pub(super) fn mentions_in(
        &self,
        start: usize,
        end: usize,
    ) -> impl DoubleEndedIterator<Item = &Mention> {
        self.mentions
            .iter()
            .filter(move |m| m.start >= start && m.end <= end && !self.inside_quote(m.start))
    }

    /// Whether a mention is a possessor (`Assad’s spokesman`): then it is
    /// not the speaker.
    pub(super) fn is_possessive(&self, mention: &Mention) -> bool {
        let rest = &self.text[mention.end..];
        rest.starts_with("’s ") || rest.starts_with("'s ")
    }

    /// Whether a mention in the subject `who` can be the speaker: not a
    /// possessor, nor the body a role is held in, named before the role
    /// (`the Kremlin envoy`) or after it (`a spokesperson for the Energy
    /// Ministry`), nor the person a role serves (`an aide to Peskov`).
    fn may_be_speaker(&self, mention: &Mention, who: (usize, usize)) -> bool {
        let before = &self.text[who.0..mention.start];
        let serves = match self.matcher.kind(mention.entity) {
            Some(EntityKind::Person) => ROLE_OF_PERSON.is_match(before),
            _ => ROLE_IN_BODY.is_match(before),
        };
        !self.is_possessive(mention) && !ROLE.is_match(&self.text[mention.end..who.1]) && !serves
    }

    /// The attribution of quote `i`.
    pub(super) fn attribute(&self, i: usize, memory: &Memory) -> Option<Attribution> {
        let before = self.before(i);
        let after = self.after(i);
        let lead = self.text[before.0..before.1].trim();
        // A quote that opens its sentence is attributed after it; a quote
        // inside a sentence by the clause that leads to it.
        let mut found = if lead.is_empty() {
            match self.clause_after(after) {
                Some(clause) => self.resolve(&clause, after, memory),
                None if after.0 == after.1 => self.how_they_put_it(i, memory),
                None => None,
            }
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

    /// `“…” That was how the minister put it.`: a quote that is a sentence
    /// of its own, attributed by the sentence after it.
    fn how_they_put_it(&self, i: usize, memory: &Memory) -> Option<Attribution> {
        let start = self.spans[i].outer.1;
        let ceiling = self.spans.get(i + 1).map_or(self.text.len(), |s| s.outer.0);
        let found = HOW_THEY_PUT_IT.captures(&self.text[start..ceiling])?;
        let (whole, who) = (found.get(0)?, found.get(1)?);
        let lead = self.text[start..].len() - self.text[start..].trim_start().len();
        let clause = Clause {
            who: (start + who.start(), start + who.end()),
            cue: (start + lead, start + whole.end()),
            verb: "put it".to_owned(),
            verb_end: start + whole.end(),
        };
        self.resolve(&clause, (start, start + whole.end()), memory)
    }

    /// `“…,” said Jolani`, `“…,” he said`, `“…,” TASS quoted the source as
    /// saying`.
    fn clause_after(&self, (start, end): (usize, usize)) -> Option<Clause> {
        let text = &self.text[start..end];
        let lead = text.len() - text.trim_start_matches([',', ' ', '—', '–']).len();
        let verb = VERB.find(text)?;
        let words_before = text[..verb.start()].split_whitespace().count();
        if verb.start() < lead || words_before > MAX_CUE_WORDS {
            return None;
        }
        // A subject longer than a name is kept when it is one noun phrase
        // (`a senior official at the Water Agency said`).
        let subject = text[lead..verb.start()].trim();
        if words_before > MAX_CUE_WORDS / 2 && !is_noun_phrase(subject) {
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
            ) && self.may_be_speaker(m, (start, end))
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
            .filter(|m| self.may_be_speaker(m, who))
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
        let description = description_at_end(phrase)
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
