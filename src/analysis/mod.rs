//! Analysis: what each source says, found in its text alone.
//!
//! Every function here is pure and sees one source at a time, never another,
//! so sources are analysed in parallel and the results can be cached by the
//! source's content. Cross-source work belongs to `site`.

pub mod dates;
pub mod fold;
pub mod mentions;
pub mod quotes;
pub mod shingles;
pub mod terms;

use serde::{Deserialize, Serialize};

pub use dates::{Confidence, DateKind, DateMention, Precision};
pub use mentions::{Matcher, Mention};
pub use quotes::{AttributedBy, Attribution, Quote};
pub use shingles::ParagraphPrint;

use crate::content::Source;

/// What the analysis found in one source.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct SourceAnalysis {
    /// Entity mentions in paragraph order.
    pub mentions: Vec<Mention>,
    /// Quoted passages with their speakers, in paragraph order.
    #[serde(default)]
    pub quotes: Vec<Quote>,
    /// Dates in the text, resolved against the source's date where it can.
    #[serde(default)]
    pub dates: Vec<DateMention>,
    /// Winnowed shingle fingerprints of each paragraph, in paragraph order,
    /// for finding passages shared with other sources.
    #[serde(default)]
    pub prints: Vec<ParagraphPrint>,
    /// The words of the title and text with their scores, for the search
    /// index.
    #[serde(default)]
    pub search: terms::SearchTerms,
}

/// Analyses one source against the compiled catalogue, leaving
/// `stop_words` out of its search terms.
pub fn analyse(
    source: &Source,
    matcher: &Matcher,
    stop_words: &terms::StopWords,
) -> SourceAnalysis {
    SourceAnalysis::from_parts(
        analyse_names(source, matcher),
        analyse_text(source, stop_words),
    )
}

/// What the catalogue's names are found doing in a source: the part of its
/// analysis made again when the catalogue changes.
#[derive(Debug, Default)]
pub struct NameAnalysis {
    pub mentions: Vec<Mention>,
    pub quotes: Vec<Quote>,
}

/// What a source's text says whatever the catalogue: the part of its
/// analysis kept when the catalogue changes.
#[derive(Debug, Default)]
pub struct TextAnalysis {
    pub dates: Vec<DateMention>,
    pub prints: Vec<ParagraphPrint>,
    pub search: terms::SearchTerms,
}

/// The mentions of the catalogue's entities in `source`, and its quotes
/// with their speakers.
pub fn analyse_names(source: &Source, matcher: &Matcher) -> NameAnalysis {
    let mentions = source
        .paragraphs
        .iter()
        .enumerate()
        .flat_map(|(index, paragraph)| matcher.find(index, &paragraph.text))
        .collect();
    NameAnalysis {
        mentions,
        quotes: quotes::find_quotes(&source.paragraphs, matcher),
    }
}

/// The dates of `source`, its paragraphs' fingerprints and its search
/// terms, `stop_words` left out.
pub fn analyse_text(source: &Source, stop_words: &terms::StopWords) -> TextAnalysis {
    let published = source.date.as_ref().map(|d| d.value);
    TextAnalysis {
        dates: dates::find_dates(&source.paragraphs, published),
        prints: source
            .paragraphs
            .iter()
            .map(|paragraph| shingles::paragraph_print(&paragraph.text))
            .collect(),
        search: terms::source_terms(source, stop_words),
    }
}

impl SourceAnalysis {
    pub fn from_parts(names: NameAnalysis, text: TextAnalysis) -> Self {
        SourceAnalysis {
            mentions: names.mentions,
            quotes: names.quotes,
            dates: text.dates,
            prints: text.prints,
            search: text.search,
        }
    }

    /// The part that does not depend on the catalogue.
    pub fn into_text(self) -> TextAnalysis {
        TextAnalysis {
            dates: self.dates,
            prints: self.prints,
            search: self.search,
        }
    }
}
