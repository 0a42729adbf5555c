//! Quotes and speakers measured against a hand-made table: every quotation
//! of the five seeds, and of eight articles written in other agencies'
//! styles (`tests/fixtures/unseen/`, added to the seeds' catalogue). The
//! table was made by reading the texts, not from the program's output.
//! Precision and recall of the quotes found, and whether each speaker and
//! channel is right; a quote the table does not list must never be given a
//! speaker.

use crate::common;

use std::fs;

use common::{repo_root, TestDossier};
use dossier::analysis::{self, Matcher, Quote};

/// Who the table says spoke: an entity of the catalogue by slug, or a
/// description that names no entity, and the relaying outlet.
#[derive(Debug, Clone, Copy)]
enum Who {
    Entity(&'static str),
    Unnamed(&'static str),
}

use Who::{Entity, Unnamed};

/// (file name start, first words of the quote, speaker, channel).
const TABLE: &[(&str, &str, Who, Option<&str>)] = &[
    (
        "000",
        "humanitarian considerations",
        Unnamed("Kremlin source"),
        Some("tass"),
    ),
    (
        "000",
        "Russia has always spoken in favour",
        Unnamed("Kremlin source"),
        Some("tass"),
    ),
    (
        "000",
        "Russian officials are in touch",
        Unnamed("Kremlin source"),
        Some("tass"),
    ),
    (
        "000",
        "We are following the dramatic events",
        Entity("russian-foreign-ministry"),
        None,
    ),
    (
        "000",
        "In this regard, the Russian Federation",
        Entity("russian-foreign-ministry"),
        None,
    ),
    (
        "000",
        "without Bashar al-Assad",
        Entity("hadi-al-bahra"),
        Some("reuters"),
    ),
    (
        "000",
        "The tyrant Bashar al-Assad has fled",
        Unnamed("armed opposition"),
        None,
    ),
    (
        "001",
        "Russia has always spoken in favour",
        Unnamed("Kremlin source"),
        Some("tass"),
    ),
    (
        "001",
        "Russian officials are in touch",
        Unnamed("Kremlin source"),
        Some("tass"),
    ),
    (
        "001",
        "This victory, my brothers",
        Entity("abu-mohammed-al-jolani"),
        None,
    ),
    (
        "001",
        "Today, Syria is being purified",
        Entity("abu-mohammed-al-jolani"),
        None,
    ),
    (
        "001",
        "this victory is born from the people",
        Entity("abu-mohammed-al-jolani"),
        None,
    ),
    (
        "002",
        "Russia does not betray its friends",
        Entity("mikhail-ulyanov"),
        None,
    ),
    (
        "002",
        "Assad, along with members of his family",
        Unnamed("source"),
        Some("tass"),
    ),
    (
        "002",
        "Moscow did not participate in talks",
        Entity("sergey-lavrov"),
        None,
    ),
    (
        "002",
        "Russian military bases in Syria are in a mode",
        Entity("sergey-lavrov"),
        None,
    ),
    (
        "002",
        "[Former President Bashar] al-Assad left",
        Entity("sergey-lavrov"),
        None,
    ),
    (
        "003",
        "Of course, such decisions cannot be made",
        Entity("dmitry-peskov"),
        None,
    ),
    ("003", "nothing to tell", Entity("dmitry-peskov"), None),
    (
        "003",
        "all necessary precautions",
        Entity("dmitry-peskov"),
        None,
    ),
    (
        "003",
        "This is all a subject for discussion",
        Entity("dmitry-peskov"),
        None,
    ),
    (
        "003",
        "guided by humanitarian considerations",
        Unnamed("Kremlin source"),
        Some("tass"),
    ),
    (
        "004",
        "President Assad of Syria has arrived",
        Unnamed("Kremlin source"),
        Some("interfax"),
    ),
    (
        "004",
        "The great Syrian revolution has moved",
        Unnamed("coalition of opposition groups"),
        None,
    ),
    (
        "004",
        "new birth for great Syria",
        Unnamed("coalition of opposition groups"),
        None,
    ),
    (
        "004",
        "victory for the Islamic nation",
        Entity("abu-mohammed-al-jolani"),
        None,
    ),
    (
        "004",
        "There is no room for turning back",
        Entity("abu-mohammed-al-jolani"),
        None,
    ),
    (
        "kremlin-putin",
        "Of course, such decisions",
        Entity("dmitry-peskov"),
        None,
    ),
    (
        "kremlin-putin",
        "We are doing everything necessary",
        Entity("dmitry-peskov"),
        None,
    ),
    (
        "kremlin-putin",
        "There is no such meeting",
        Entity("dmitry-peskov"),
        None,
    ),
    (
        "kremlin-putin",
        "We will not abandon our friends",
        Entity("sergey-lavrov"),
        None,
    ),
    (
        "kremlin-putin",
        "a strategic humiliation for Moscow",
        Unnamed("Western diplomat"),
        None,
    ),
    (
        "kremlin-putin",
        "The bases are safe for now",
        Unnamed("security source"),
        Some("reuters"),
    ),
    (
        "kremlin-putin",
        "But nobody knows what will happen",
        Unnamed("security source"),
        Some("reuters"),
    ),
    (
        "kremlin-putin",
        "The government is ready to extend",
        Entity("mohammad-jalali"),
        None,
    ),
    (
        "kremlin-putin",
        "the end of fear",
        Unnamed("Residents of Damascus"),
        None,
    ),
    (
        "kremlin-putin",
        "to overthrow this regime",
        Entity("abu-mohammed-al-jolani"),
        None,
    ),
    (
        "putin-decided",
        "Of course, such decisions",
        Entity("dmitry-peskov"),
        None,
    ),
    (
        "putin-decided",
        "The embassy is working normally",
        Unnamed("diplomatic source"),
        Some("tass"),
    ),
    (
        "putin-decided",
        "in contact with all groups",
        Entity("russian-foreign-ministry"),
        None,
    ),
    (
        "putin-decided",
        "Russia did not participate",
        Entity("russian-foreign-ministry"),
        None,
    ),
    (
        "putin-decided",
        "This is a historic moment",
        Entity("hadi-al-bahra"),
        None,
    ),
    (
        "syrians",
        "I never thought I would live",
        Unnamed("Maha"),
        None,
    ),
    (
        "syrians",
        "We were afraid for fifty years",
        Unnamed("Maha"),
        None,
    ),
    (
        "syrians",
        "transitional justice",
        Unnamed("new authorities"),
        None,
    ),
    (
        "syrians",
        "closely watching",
        Unnamed("State Department spokesman"),
        None,
    ),
    (
        "syrians",
        "We will judge them by their actions",
        Unnamed("State Department spokesman"),
        None,
    ),
    (
        "syrians",
        "HTS has a history",
        Unnamed("Joshua Landis"),
        None,
    ),
    (
        "syrians",
        "everything is being discussed",
        Entity("dmitry-peskov"),
        None,
    ),
    ("syrians", "inclusive and credible", Unnamed("envoy"), None),
    (
        "syrians",
        "We have no information about that",
        Unnamed("Mikhail Bogdanov"),
        Some("interfax"),
    ),
    (
        "assad-breaks",
        "My departure from Syria",
        Entity("bashar-al-assad"),
        None,
    ),
    (
        "assad-breaks",
        "Moscow requested that the base",
        Entity("bashar-al-assad"),
        None,
    ),
    (
        "assad-breaks",
        "out of duty to an old friend",
        Unnamed("Russian lawmaker"),
        Some("ria"),
    ),
    (
        "assad-breaks",
        "a historic day in the history",
        Unnamed("Netanyahu"),
        None,
    ),
    (
        "assad-breaks",
        "the Syrian people's decision",
        Unnamed("Esmaeil Baghaei"),
        None,
    ),
    (
        "assad-breaks",
        "This is the statement of a man",
        Unnamed("opposition activist"),
        None,
    ),
    (
        "assad-breaks",
        "Russia does not abandon its friends",
        Entity("mikhail-ulyanov"),
        None,
    ),
    (
        "turkiye-urges",
        "Syria belongs to Syrians",
        Unnamed("Fidan"),
        None,
    ),
    (
        "turkiye-urges",
        "credible and inclusive",
        Unnamed("Geir Pedersen"),
        None,
    ),
    (
        "turkiye-urges",
        "We are not going to repeat",
        Entity("mohammad-jalali"),
        None,
    ),
    (
        "turkiye-urges",
        "These strikes are a temporary",
        Unnamed("army spokesperson"),
        None,
    ),
    (
        "turkiye-urges",
        "I have nothing to say",
        Entity("dmitry-peskov"),
        None,
    ),
    (
        "turkiye-urges",
        "We want a state, not a new dictatorship",
        Unnamed("engineer"),
        None,
    ),
    (
        "turkiye-urges",
        "We will be watching closely",
        Entity("jake-sullivan"),
        None,
    ),
    (
        "inside-the-fall",
        "They just left their posts",
        Unnamed("Ahmad"),
        None,
    ),
    (
        "inside-the-fall",
        "We walked into Hama",
        Unnamed("Ahmad"),
        None,
    ),
    (
        "inside-the-fall",
        "in contact",
        Entity("dmitry-peskov"),
        None,
    ),
    (
        "inside-the-fall",
        "It is inadmissible",
        Entity("sergey-lavrov"),
        Some("interfax"),
    ),
    (
        "inside-the-fall",
        "eerily calm",
        Unnamed("correspondent"),
        None,
    ),
    (
        "inside-the-fall",
        "History will judge us",
        Unnamed("senior officer"),
        None,
    ),
    (
        "inside-the-fall",
        "a transitional governing body",
        Entity("hadi-al-bahra"),
        None,
    ),
    (
        "russia-evacuates",
        "The embassy continues to operate",
        Unnamed("Maria Zakharova"),
        None,
    ),
    (
        "russia-evacuates",
        "Russia does not extradite",
        Unnamed("Maria Zakharova"),
        None,
    ),
    (
        "russia-evacuates",
        "What do they want from us",
        Unnamed("shopkeeper"),
        None,
    ),
    (
        "russia-evacuates",
        "We only want bread and peace",
        Unnamed("shopkeeper"),
        None,
    ),
    (
        "russia-evacuates",
        "very alarming",
        Entity("dmitry-peskov"),
        None,
    ),
    (
        "russia-evacuates",
        "do everything",
        Entity("dmitry-peskov"),
        None,
    ),
    (
        "russia-evacuates",
        "the beginning of a new era",
        Unnamed("Syrian National Coalition"),
        None,
    ),
    (
        "russia-evacuates",
        "secure for now",
        Entity("sergey-lavrov"),
        None,
    ),
    (
        "kremlin-weighs",
        "There is no final decision",
        Entity("dmitry-peskov"),
        None,
    ),
    (
        "kremlin-weighs",
        "We came to Syria ten years ago",
        Entity("vladimir-putin"),
        None,
    ),
    (
        "kremlin-weighs",
        "partial and temporary",
        Unnamed("source"),
        Some("tass"),
    ),
    (
        "kremlin-weighs",
        "The aircraft are being redeployed",
        Unnamed("source"),
        Some("tass"),
    ),
    (
        "kremlin-weighs",
        "strategic relations",
        Unnamed("Obeida Arnaout"),
        None,
    ),
    (
        "kremlin-weighs",
        "What happened in Syria",
        Unnamed("Ali Khamenei"),
        None,
    ),
    (
        "kremlin-weighs",
        "Nobody should have any doubt",
        Unnamed("Ali Khamenei"),
        None,
    ),
    // Not in the table, as not speech: "game over" (a trending phrase), and
    // the single words "rebranding" and "never".
];

/// Every quote found, with the name of its source file.
fn found_quotes() -> (Vec<(String, Quote)>, Vec<String>) {
    let dossier = TestDossier::seeds();
    let unseen = repo_root().join("tests/fixtures/unseen/content/sources");
    for entry in fs::read_dir(unseen).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        dossier.write(
            &format!("content/sources/{name}"),
            &fs::read_to_string(&path).unwrap(),
        );
    }
    let config = dossier::config::Config::load(dossier.root()).unwrap();
    let content = dossier::content::load(dossier.root(), &config).unwrap();
    let (matcher, _) = Matcher::new(&content.entities);
    let slugs = content.entities.iter().map(|e| e.slug.clone()).collect();
    let quotes = content
        .sources
        .iter()
        .flat_map(|source| {
            let file = source
                .path
                .file_name()
                .unwrap()
                .to_string_lossy()
                .into_owned();
            analysis::analyse(source, &matcher, &Default::default())
                .quotes
                .into_iter()
                .map(move |q| (file.clone(), q))
        })
        .collect();
    (quotes, slugs)
}

fn matches(quote: &Quote, words: &str) -> bool {
    quote.text.starts_with(words) || quote.text.starts_with(&words[..words.len().min(20)])
}

fn speaker_is_right(quote: &Quote, who: Who, channel: Option<&str>, slugs: &[String]) -> bool {
    let Some(found) = &quote.attribution else {
        return false;
    };
    let slug = |i: Option<usize>| i.map(|i| slugs[i].as_str());
    let speaker_right = match who {
        Entity(expected) => slug(found.speaker) == Some(expected),
        Unnamed(words) => {
            found.speaker.is_none()
                && found
                    .description
                    .as_deref()
                    .is_some_and(|d| d.to_lowercase().contains(&words.to_lowercase()))
        }
    };
    speaker_right && slug(found.channel) == channel
}

#[test]
fn quotes_and_speakers_match_the_hand_made_table() {
    let (found, slugs) = found_quotes();
    let mut matched = vec![false; TABLE.len()];
    let mut right = 0;
    let mut unexpected = Vec::new();
    for (file, quote) in &found {
        let row = TABLE.iter().enumerate().find(|(i, (prefix, words, _, _))| {
            !matched[*i] && file.starts_with(prefix) && matches(quote, words)
        });
        match row {
            Some((i, &(_, _, who, channel))) => {
                matched[i] = true;
                if speaker_is_right(quote, who, channel, &slugs) {
                    right += 1;
                } else {
                    eprintln!("wrong speaker in {file}: {quote:?}");
                }
            }
            None => unexpected.push((file.clone(), quote.clone())),
        }
    }
    let hits = matched.iter().filter(|m| **m).count();
    let precision = hits as f64 / found.len() as f64;
    let recall = hits as f64 / TABLE.len() as f64;
    eprintln!(
        "quotes: {} found, {} in the table, {hits} matched: precision {precision:.2}, recall {recall:.2}; speakers right {right}/{hits}",
        found.len(),
        TABLE.len()
    );
    for (i, row) in TABLE.iter().enumerate() {
        if !matched[i] {
            eprintln!("missed: {row:?}");
        }
    }
    // A quote outside the table may be found, but never given a speaker.
    for (file, quote) in &unexpected {
        assert!(
            quote.attribution.is_none(),
            "invented attribution in {file}: {quote:?}"
        );
    }
    assert!(
        precision >= 0.95,
        "precision {precision:.2}: {unexpected:#?}"
    );
    assert!(recall >= 0.95, "recall {recall:.2}");
    assert_eq!(
        right, hits,
        "every matched quote has its speaker and channel right"
    );
}
