//! `dossier entities suggest`: names that recur in the sources but belong to
//! no entity of the catalogue yet, with counts, sources and an example
//! sentence, most useful first — and, on request, a ready entity file for
//! each.
//!
//! A name is a run of capitalised words with the particles names carry
//! (`al-`, `bin`, `von`...), or an acronym. Words that are capitalised only
//! because they start a sentence are left out when the same word appears in
//! lower case elsewhere (`Notably`, `Further`), as are months, days and
//! nationality adjectives. A name already covered by the catalogue — matched
//! as the build matches names, with the same folding — is not suggested.
//! [`suggest`] is pure; [`write_skeletons`] is the thin writer.

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::{Path, PathBuf};

use regex::Regex;

use crate::analysis::fold::fold_name;
use crate::analysis::Matcher;
use crate::content::{Content, EntityKind, Paragraph, ParagraphKind};
use crate::error::{io_error, Result};
use crate::slug::slugify;

/// A name worth adding to the catalogue.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Suggestion {
    /// The name as most often written.
    pub name: String,
    /// Occurrences in all sources.
    pub count: usize,
    /// Paths of the sources naming it, in source order.
    pub sources: Vec<PathBuf>,
    /// The sentence of its first occurrence.
    pub example: String,
    /// A first guess at its kind, to check.
    pub kind: EntityKind,
    /// The file it would get: `<slug>.md`.
    pub slug: String,
}

/// Lower-case words that stay inside a name: `Hayat Tahrir al-Sham`, `Bank of
/// England`, `Ludwig van Beethoven`.
const PARTICLES: &[&str] = &[
    "al", "el", "bin", "ibn", "bint", "abu", "von", "van", "der", "den", "de", "la", "le", "du",
    "da", "di", "of",
];

/// Capitalised words that are never a name on their own.
const NOT_NAMES: &[&str] = &[
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
    "jan",
    "feb",
    "mar",
    "apr",
    "jun",
    "jul",
    "aug",
    "sep",
    "sept",
    "oct",
    "nov",
    "dec",
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday",
    "the",
    "a",
    "an",
    "and",
    "or",
    "but",
    "in",
    "on",
    "at",
    "to",
    "for",
    "of",
    "by",
    "with",
    "as",
    "from",
    "he",
    "she",
    "it",
    "we",
    "they",
    "i",
    "you",
    "his",
    "her",
    "its",
    "our",
    "their",
    "this",
    "that",
    "these",
    "those",
    "there",
    "here",
    "mr",
    "mrs",
    "ms",
    "dr",
    "after",
    "before",
    "while",
    "when",
    "if",
    "so",
    "yet",
    "also",
    "however",
    "meanwhile",
    "thousands",
    "hundreds",
    "dozens",
    "millions",
    "many",
    "some",
    "several",
    "most",
    "all",
    "both",
];

/// Words that suggest an organisation or a place, for the first guess.
const ORGANIZATION_WORDS: &[&str] = &[
    "ministry",
    "council",
    "agency",
    "party",
    "front",
    "army",
    "forces",
    "committee",
    "organization",
    "organisation",
    "union",
    "bank",
    "group",
    "court",
    "parliament",
    "office",
    "commission",
    "movement",
    "brigade",
    "company",
    "corporation",
    "news",
    "times",
    "post",
];
const PLACE_WORDS: &[&str] = &[
    "city",
    "province",
    "mosque",
    "river",
    "square",
    "street",
    "airport",
    "base",
    "region",
    "island",
    "mountains",
    "valley",
    "sea",
    "gulf",
    "county",
    "district",
];

/// One occurrence of a candidate name.
#[derive(Debug)]
struct Found {
    name: String,
    source: usize,
    example: String,
}

/// Suggests names for the catalogue, most useful first (most sources, then
/// most occurrences, then by name), keeping those in at least `min_sources`
/// sources.
pub fn suggest(content: &Content, matcher: &Matcher, min_sources: usize) -> Vec<Suggestion> {
    let word = Regex::new(r"[\p{L}\p{N}]+(?:['’\-][\p{L}\p{N}]+)*").expect("a valid pattern");
    let ordinary = lower_case_words(content, &word);
    let capitals = mid_sentence_capitals(content, &word);
    let known: BTreeSet<String> = content
        .entities
        .iter()
        .flat_map(|e| e.names())
        .map(|name| fold_name(name).to_lowercase())
        .collect();
    let mut found: Vec<Found> = Vec::new();
    for (source_index, source) in content.sources.iter().enumerate() {
        for (index, paragraph) in source.paragraphs.iter().enumerate() {
            let text = &paragraph.text;
            if is_title_line(paragraph, &word) {
                continue;
            }
            let covered: Vec<(usize, usize)> = matcher
                .find(index, text)
                .into_iter()
                .map(|m| (m.start, m.end))
                .collect();
            for (start, end) in name_runs(text, &word, &ordinary, &capitals) {
                let overlaps = covered.iter().any(|&(s, e)| s < end && start < e);
                let name = &text[start..end];
                if overlaps || known.contains(&fold_name(name).to_lowercase()) {
                    continue;
                }
                found.push(Found {
                    name: name.to_owned(),
                    source: source_index,
                    example: sentence_around(text, start, end),
                });
            }
        }
    }
    gather(content, found, min_sources)
}

/// Every word the sources write in lower case: a capitalised word that also
/// appears in lower case is an ordinary word when it starts a sentence.
fn lower_case_words(content: &Content, word: &Regex) -> BTreeSet<String> {
    content
        .sources
        .iter()
        .flat_map(|s| &s.paragraphs)
        .flat_map(|p| word.find_iter(&p.text).map(|m| m.as_str()))
        .filter(|w| w.chars().next().is_some_and(char::is_lowercase))
        .map(str::to_owned)
        .collect()
}

/// The byte ranges of candidate names in `text`.
fn name_runs(
    text: &str,
    word: &Regex,
    lower_words: &BTreeSet<String>,
    capitals: &BTreeSet<String>,
) -> Vec<(usize, usize)> {
    let words: Vec<(usize, usize)> = word
        .find_iter(text)
        .map(|m| {
            let w = m.as_str();
            // A possessive `’s` is not part of the name.
            let trimmed = w
                .strip_suffix("’s")
                .or_else(|| w.strip_suffix("'s"))
                .unwrap_or(w);
            (m.start(), m.start() + trimmed.len())
        })
        .collect();
    let mut runs = Vec::new();
    let mut i = 0;
    while i < words.len() {
        if !is_capitalised(&text[words[i].0..words[i].1]) {
            i += 1;
            continue;
        }
        // Extend over capitalised words and inner particles, joined by
        // spaces only (a comma or full stop ends a name).
        let mut last = i;
        let mut j = i + 1;
        while j < words.len() && joined_by_space(text, words[j - 1].1, words[j].0) {
            let w = &text[words[j].0..words[j].1];
            if is_capitalised(w) {
                last = j;
            } else if !PARTICLES.contains(&w.to_lowercase().as_str()) {
                break;
            }
            j += 1;
        }
        let mut first = i;
        // Leading words that are capitalised for grammar, not as a name.
        while first <= last {
            let w = &text[words[first].0..words[first].1];
            let at_start = starts_sentence(text, words[first].0);
            let ordinary = NOT_NAMES.contains(&w.to_lowercase().as_str())
                || (at_start && lower_words.contains(&w.to_lowercase()))
                || (at_start && first == last && !capitals.contains(w) && !is_acronym(w));
            if !ordinary {
                break;
            }
            first += 1;
            while first <= last && !is_capitalised(&text[words[first].0..words[first].1]) {
                first += 1;
            }
        }
        // Titles and nationality adjectives around a name are not part of it:
        // `Syrian PM Mohammad Jalali`, `Hadi al-Bahra Syrian`.
        let word_at = |k: usize| &text[words[k].0..words[k].1];
        while first <= last && (is_title(word_at(first)) || is_demonym(word_at(first))) {
            first += 1;
            while first <= last && !is_capitalised(word_at(first)) {
                first += 1;
            }
        }
        while last > first && is_demonym(word_at(last)) {
            last -= 1;
            while last > first && !is_capitalised(word_at(last)) {
                last -= 1;
            }
        }
        if first <= last {
            let (start, end) = (words[first].0, words[last].1);
            if is_worth_suggesting(&text[start..end], first == last) {
                runs.push((start, end));
            }
        }
        i = last.max(i) + 1;
    }
    runs
}

/// A capitalised word; a hyphenated one by its last part, so `al-Assad` and
/// `Al-Qusayr` are, `U-turn` and `UN-mediated` are not.
fn is_capitalised(word: &str) -> bool {
    let last = word.rsplit('-').next().unwrap_or(word);
    let last = last.rsplit('\'').next().unwrap_or(last);
    word.chars().next().is_some_and(char::is_alphabetic)
        && last.chars().next().is_some_and(char::is_uppercase)
}

/// Whether a paragraph's capitals say nothing of names: headings, and lines
/// in title case ("Iran Praises Turkiye’s ‘Key Role’ in Astana Process", a
/// list of other headlines, "Published Date: 9 December").
fn is_title_line(paragraph: &Paragraph, word: &Regex) -> bool {
    match paragraph.kind {
        ParagraphKind::Headline | ParagraphKind::Heading => true,
        ParagraphKind::Item => is_title_case(&paragraph.text, word, 1),
        _ => {
            let all_capitalised = word.find_iter(&paragraph.text).count() <= 4
                && word
                    .find_iter(&paragraph.text)
                    .all(|m| is_capitalised(m.as_str()));
            all_capitalised || is_title_case(&paragraph.text, word, 4)
        }
    }
}

/// Most long words capitalised, in a text of at least `min_words` of them.
fn is_title_case(text: &str, word: &Regex, min_words: usize) -> bool {
    let long: Vec<&str> = word
        .find_iter(text)
        .map(|m| m.as_str())
        .filter(|w| w.chars().count() >= 4 && w.chars().any(char::is_alphabetic))
        .collect();
    let capitalised = long.iter().filter(|w| is_capitalised(w)).count();
    long.len() >= min_words && capitalised * 10 >= long.len() * 8
}

/// Capitalised words written somewhere other than at a sentence start:
/// a word capitalised only where sentences begin is an ordinary word.
fn mid_sentence_capitals(content: &Content, word: &Regex) -> BTreeSet<String> {
    content
        .sources
        .iter()
        .flat_map(|s| &s.paragraphs)
        .filter(|p| !is_title_line(p, word))
        .flat_map(|p| {
            word.find_iter(&p.text)
                .filter(|m| is_capitalised(m.as_str()) && !starts_sentence(&p.text, m.start()))
                .map(|m| m.as_str().to_owned())
        })
        .collect()
}

fn joined_by_space(text: &str, end: usize, next: usize) -> bool {
    let gap = &text[end..next];
    !gap.is_empty() && gap.chars().all(|c| c == ' ' || c == '\u{a0}')
}

/// Whether the word at `start` opens a sentence: nothing but quotes and
/// brackets since the paragraph start or a full stop, `?`, `!` or `:`.
fn starts_sentence(text: &str, start: usize) -> bool {
    let before = text[..start].trim_end_matches(|c: char| {
        c.is_whitespace()
            || matches!(
                c,
                '"' | '“' | '‘' | '\'' | '(' | '[' | '«' | '-' | '–' | '—'
            )
    });
    before.is_empty() || before.ends_with(['.', '?', '!', ':', '…'])
}

fn is_worth_suggesting(name: &str, single_word: bool) -> bool {
    let letters = name.chars().filter(|c| c.is_alphabetic()).count();
    if letters < 2 || NOT_NAMES.contains(&name.to_lowercase().as_str()) {
        return false;
    }
    !(single_word && is_demonym(name))
}

/// Nationality adjectives (`Syrian`, `Turkish`, `Lebanese`, `Europeans`) are
/// not names, guessed from their endings.
fn is_demonym(word: &str) -> bool {
    let endings = ["ian", "ians", "ean", "eans", "ese", "ish"];
    !is_acronym(word) && endings.iter().any(|suffix| word.ends_with(suffix))
}

/// Titles written before a name: `President`, `PM`, `Foreign Minister`.
fn is_title(word: &str) -> bool {
    const TITLES: &[&str] = &[
        "president",
        "pm",
        "prime",
        "minister",
        "foreign",
        "defence",
        "defense",
        "spokesman",
        "spokeswoman",
        "spokesperson",
        "chief",
        "general",
        "gen",
        "col",
        "colonel",
        "king",
        "queen",
        "prince",
        "sheikh",
        "senator",
        "sen",
        "rep",
        "deputy",
        "secretary",
        "envoy",
        "ambassador",
        "former",
        "deposed",
        "ousted",
        "late",
        "commander",
        "leader",
        "premier",
    ];
    TITLES.contains(&word.to_lowercase().as_str())
}

fn is_acronym(name: &str) -> bool {
    let letters: Vec<char> = name.chars().filter(|c| c.is_alphabetic()).collect();
    letters.len() >= 2 && letters.iter().all(|c| c.is_uppercase())
}

/// The sentence of `text` holding `start..end`, shortened around it if long.
fn sentence_around(text: &str, start: usize, end: usize) -> String {
    const BOUNDARIES: [&str; 3] = [". ", "? ", "! "];
    let from = BOUNDARIES
        .iter()
        .filter_map(|b| text[..start].rfind(b).map(|i| i + b.len()))
        .max()
        .unwrap_or(0);
    let to = BOUNDARIES
        .iter()
        .filter_map(|b| text[end..].find(b).map(|i| end + i + 1))
        .min()
        .unwrap_or(text.len());
    let sentence = text[from..to].trim();
    if sentence.chars().count() <= 240 {
        return sentence.to_owned();
    }
    let (head, name, tail) = crate::render::views::snippet(text, start, end);
    format!("{head}{name}{tail}")
}

/// Occurrences gathered per name (folded, case-insensitive), counted and
/// ordered.
fn gather(content: &Content, found: Vec<Found>, min_sources: usize) -> Vec<Suggestion> {
    #[derive(Default)]
    struct Tally {
        spellings: BTreeMap<String, usize>,
        count: usize,
        sources: BTreeSet<usize>,
        example: Option<String>,
    }
    let mut tallies: BTreeMap<String, Tally> = BTreeMap::new();
    for f in found {
        let tally = tallies
            .entry(fold_name(&f.name).to_lowercase())
            .or_default();
        *tally.spellings.entry(f.name).or_insert(0) += 1;
        tally.count += 1;
        tally.sources.insert(f.source);
        tally.example.get_or_insert(f.example);
    }
    let taken: BTreeSet<&str> = content.entities.iter().map(|e| e.slug.as_str()).collect();
    let mut suggestions: Vec<Suggestion> = tallies
        .into_values()
        .filter(|t| t.sources.len() >= min_sources.max(1))
        .map(|t| {
            let name = t
                .spellings
                .iter()
                .max_by(|a, b| a.1.cmp(b.1).then_with(|| b.0.cmp(a.0)))
                .map(|(n, _)| n.clone())
                .unwrap_or_default();
            Suggestion {
                kind: guess_kind(&name),
                slug: slugify(&name),
                count: t.count,
                sources: t
                    .sources
                    .iter()
                    .map(|&s| content.sources[s].path.clone())
                    .collect(),
                example: t.example.unwrap_or_default(),
                name,
            }
        })
        .filter(|s| !s.slug.is_empty() && !taken.contains(s.slug.as_str()))
        .collect();
    suggestions.sort_by(|a, b| {
        b.sources
            .len()
            .cmp(&a.sources.len())
            .then(b.count.cmp(&a.count))
            .then_with(|| b.name.split(' ').count().cmp(&a.name.split(' ').count()))
            .then_with(|| a.name.cmp(&b.name))
    });
    suggestions
}

/// A first guess at a name's kind, for the skeleton: to be checked.
fn guess_kind(name: &str) -> EntityKind {
    let lower = name.to_lowercase();
    let words: Vec<&str> = lower.split([' ', '-']).collect();
    if is_acronym(name) || words.iter().any(|w| ORGANIZATION_WORDS.contains(w)) {
        EntityKind::Organization
    } else if words.iter().any(|w| PLACE_WORDS.contains(w)) {
        EntityKind::Place
    } else if name.split(' ').count() >= 2 {
        EntityKind::Person
    } else {
        EntityKind::Other
    }
}

/// The text of a new entity file for `suggestion`: front matter to complete,
/// with where the name was seen in comments.
pub fn skeleton(suggestion: &Suggestion) -> String {
    let quoted = toml::Value::String(suggestion.name.clone()).to_string();
    let seen_in: Vec<String> = suggestion
        .sources
        .iter()
        .map(|p| p.to_string_lossy().replace('\\', "/"))
        .collect();
    let example = suggestion.example.replace(['\n', '\r'], " ");
    format!(
        "+++\nname = {quoted}\n# Kind guessed from the name: person, organization, place, outlet or other.\nkind = \"{kind}\"\n# Other spellings the sources use, e.g. a surname alone or an acronym.\naliases = []\n# description = \"One sentence on who or what this is.\"\n#\n# Named {count} time{plural} in {seen}.\n# For example: {example}\n+++\n",
        kind = suggestion.kind,
        count = suggestion.count,
        plural = if suggestion.count == 1 { "" } else { "s" },
        seen = seen_in.join(", "),
    )
}

/// Writes a skeleton for each suggestion into `entities_dir`, never over an
/// existing file. Returns each file and whether it was written.
pub fn write_skeletons(
    entities_dir: &Path,
    suggestions: &[Suggestion],
) -> Result<Vec<(PathBuf, bool)>> {
    fs::create_dir_all(entities_dir).map_err(io_error(entities_dir))?;
    let mut written = Vec::new();
    for suggestion in suggestions {
        let path = entities_dir.join(format!("{}.md", suggestion.slug));
        let file = fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&path);
        match file {
            Ok(mut file) => {
                use std::io::Write;
                file.write_all(skeleton(suggestion).as_bytes())
                    .map_err(io_error(&path))?;
                written.push((path, true));
            }
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
                written.push((path, false));
            }
            Err(e) => return Err(io_error(&path)(e)),
        }
    }
    Ok(written)
}

/// The suggestions as a table for the terminal.
pub fn report(suggestions: &[Suggestion]) -> String {
    let mut out = String::new();
    if suggestions.is_empty() {
        out.push_str("No name outside the catalogue recurs in the sources.\n");
        return out;
    }
    for s in suggestions {
        out.push_str(&format!(
            "{}  ({}; {} time{} in {} source{})\n    e.g. {}\n    in {}\n",
            s.name,
            s.kind,
            s.count,
            if s.count == 1 { "" } else { "s" },
            s.sources.len(),
            if s.sources.len() == 1 { "" } else { "s" },
            s.example,
            s.sources
                .iter()
                .map(|p| p.to_string_lossy().replace('\\', "/"))
                .collect::<Vec<_>>()
                .join(", "),
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::content::source::parse_source;
    use crate::content::Entity;

    fn content(texts: &[&str], entities: Vec<Entity>) -> Content {
        let sources = texts
            .iter()
            .enumerate()
            .map(|(i, t)| {
                parse_source(t, Path::new(&format!("content/sources/{i}.md")))
                    .unwrap()
                    .0
            })
            .collect::<Vec<_>>();
        Content {
            source_slugs: (0..sources.len()).map(|i| i.to_string()).collect(),
            sources,
            entities,
            warnings: Vec::new(),
            errors: Vec::new(),
            drafts: 0,
        }
    }

    fn entity(name: &str, aliases: &[&str]) -> Entity {
        Entity::for_test(name, EntityKind::Person, aliases)
    }

    fn names(texts: &[&str], entities: Vec<Entity>, min_sources: usize) -> Vec<String> {
        let content = content(texts, entities);
        let (matcher, _) = Matcher::new(&content.entities);
        suggest(&content, &matcher, min_sources)
            .into_iter()
            .map(|s| s.name)
            .collect()
    }

    #[test]
    fn finds_names_with_particles_and_acronyms() {
        let found = names(
            &["+++\ntitle = \"T\"\n+++\nOn Monday Mohammad al-Jalali met officials of the SDF and later Ursula von der Leyen in Hama."],
            vec![],
            1,
        );
        assert!(
            found.contains(&"Mohammad al-Jalali".to_owned()),
            "{found:?}"
        );
        assert!(found.contains(&"SDF".to_owned()), "{found:?}");
        assert!(
            found.contains(&"Ursula von der Leyen".to_owned()),
            "{found:?}"
        );
        assert!(!found.iter().any(|n| n.contains("Monday")), "{found:?}");
    }

    #[test]
    fn leaves_out_sentence_starts_months_and_adjectives() {
        let found = names(
            &["+++\ntitle = \"T\"\n+++\nNotably, talks resumed in December. Syrian troops left. The talks notably failed in Geneva."],
            vec![],
            1,
        );
        assert_eq!(found, ["Geneva"]);
    }

    #[test]
    fn names_the_catalogue_covers_are_not_suggested() {
        let found = names(
            &["+++\ntitle = \"T\"\n+++\nTürkiye and Turkiye’s envoy Hakan Fidan spoke; Assad’s aide Buthaina Shaaban too."],
            vec![entity("Turkiye", &[]), entity("Bashar al-Assad", &["Assad"])],
            1,
        );
        assert_eq!(found, ["Buthaina Shaaban", "Hakan Fidan"]);
    }

    #[test]
    fn orders_by_sources_then_count_and_honours_min_sources() {
        let texts = [
            "+++\ntitle = \"T\"\n+++\nGeir Pedersen spoke. Kaja Kallas spoke. Kaja Kallas again.",
            "+++\ntitle = \"U\"\n+++\nGeir Pedersen said so.",
        ];
        assert_eq!(names(&texts, vec![], 1), ["Geir Pedersen", "Kaja Kallas"]);
        assert_eq!(names(&texts, vec![], 2), ["Geir Pedersen"]);
    }

    #[test]
    fn the_skeleton_is_an_entity_file_the_loader_accepts() {
        let content = content(
            &["+++\ntitle = \"T\"\n+++\nGeir \"Pedersen\" Ltd spoke."],
            vec![],
        );
        let suggestion = Suggestion {
            name: "Geir \"Quoted\" Pedersen".into(),
            count: 2,
            sources: vec![content.sources[0].path.clone()],
            example: "He said \"hello\"\nthen left.".into(),
            kind: EntityKind::Person,
            slug: "geir-quoted-pedersen".into(),
        };
        let text = skeleton(&suggestion);
        let (parsed, _) = crate::content::entity::parse_entity(
            &text,
            Path::new("content/entities/geir-quoted-pedersen.md"),
            "geir-quoted-pedersen".into(),
        )
        .unwrap();
        assert_eq!(parsed.name, "Geir \"Quoted\" Pedersen");
        assert_eq!(parsed.kind, EntityKind::Person);
        assert!(parsed.body_html.trim().is_empty());
    }

    #[test]
    fn kinds_are_guessed_from_the_name() {
        assert_eq!(guess_kind("SDF"), EntityKind::Organization);
        assert_eq!(
            guess_kind("Syrian Democratic Forces"),
            EntityKind::Organization
        );
        assert_eq!(guess_kind("Umayyad Mosque"), EntityKind::Place);
        assert_eq!(guess_kind("Geir Pedersen"), EntityKind::Person);
        assert_eq!(guess_kind("Geneva"), EntityKind::Other);
    }
}
