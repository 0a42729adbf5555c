//! The machine-readable export of everything the build derived, so a dossier
//! can be loaded into other tools: `data/dossier.json` (versioned schema,
//! documented in docs/EXPORT.md), `data/mentions.csv`, and
//! `data/followthemoney.json` (FollowTheMoney entities as JSON lines, for
//! Aleph).

use std::io::{self, Write};

use serde::Serialize;
use serde_json::{json, Value};

use crate::cache::{Key, PageMemo, SegmentWriter};
use crate::content::{EntityKind, ParagraphKind};
use crate::error::Result;
use crate::render::PageSink;
use crate::site::passages::PassageKind;
use crate::site::{Site, SiteSource};

/// Version of the `dossier.json` schema. Raise it when a field changes
/// meaning or disappears; adding fields keeps the version.
pub const EXPORT_VERSION: u32 = 3;

/// A day of the timeline and the sources reporting something on it: given
/// once per day, not with each of the day's events, which on a large
/// dossier made it most of the file.
#[derive(Debug, Serialize)]
struct DayRecord<'a> {
    /// `YYYY-MM-DD`; for week precision the Monday of the week.
    date: String,
    precision: crate::analysis::Precision,
    /// Ids of every source reporting something on that day.
    sources: Vec<&'a str>,
}

#[derive(Debug, Serialize)]
struct QuoteRecord<'a> {
    source: &'a str,
    paragraph: usize,
    start: usize,
    end: usize,
    text: &'a str,
    /// A few words quoted inside a sentence rather than a statement.
    fragment: bool,
    /// Entity id of the speaker, or null when the text names none.
    speaker: Option<&'a str>,
    /// The speaker as the text describes it when no entity is named.
    speaker_description: Option<&'a str>,
    /// Entity id of the outlet relaying the words (`a source told TASS`).
    channel: Option<&'a str>,
    /// The words of the text that attribute the quote.
    cue: Option<&'a str>,
    /// Index of the group of the same words across sources, in
    /// `quote_groups`.
    group: usize,
}

/// The sources carrying the same words, given once for all the quotes of
/// the group: a statement reprinted by a thousand sources has a thousand
/// quotes.
#[derive(Debug, Serialize)]
struct QuoteGroupRecord<'a> {
    /// Ids of every source carrying the words, in content path order.
    sources: Vec<&'a str>,
    /// How many of those are independent: reprints of one wire text count
    /// once.
    independent_sources: usize,
    /// Id of the earliest source carrying the words.
    first_source: Option<&'a str>,
}

#[derive(Debug, Serialize)]
struct SharedPassageRecord<'a> {
    /// The passage as the earliest source carrying it words it.
    text: &'a str,
    kind: PassageKind,
    /// The most words any two occurrences have in common.
    words: usize,
    /// Ids of the sources carrying it, in content path order.
    sources: Vec<&'a str>,
    /// Id of the earliest source carrying it.
    first_source: &'a str,
    occurrences: Vec<OccurrenceRecord<'a>>,
}

#[derive(Debug, Serialize)]
struct OccurrenceRecord<'a> {
    source: &'a str,
    paragraph: usize,
    start: usize,
    end: usize,
}

#[derive(Debug, Serialize)]
struct CooccurrenceRecord<'a> {
    entities: [&'a str; 2],
    /// Sources naming both.
    sources: usize,
    /// Of those, how many are independent of each other.
    independent_sources: usize,
    /// Paragraphs naming both.
    paragraphs: usize,
    /// Id of the earliest source naming both.
    first_source: Option<&'a str>,
}

#[derive(Debug, Serialize)]
struct EventRecord<'a> {
    /// `YYYY-MM-DD`; for week precision the Monday of the week; null when
    /// no day can be given.
    date: Option<String>,
    precision: crate::analysis::Precision,
    confidence: crate::analysis::Confidence,
    /// How the day was found.
    basis: &'a str,
    /// The dated sentence.
    text: &'a str,
    source: &'a str,
    paragraph: usize,
    /// Entity ids named in the sentence.
    entities: Vec<&'a str>,
}

#[derive(Debug, Serialize)]
struct DossierInfo<'a> {
    title: &'a str,
    description: &'a str,
    language: &'a str,
    base_url: Option<String>,
}

#[derive(Debug, Serialize)]
struct SourceRecord<'a> {
    id: &'a str,
    path: String,
    page: String,
    title: &'a str,
    title_inferred: bool,
    date: Option<String>,
    date_inferred: bool,
    outlet: Option<&'a str>,
    outlet_inferred: bool,
    url: Option<&'a str>,
    author: Option<&'a str>,
    language: Option<&'a str>,
    paragraphs: Vec<ParagraphRecord<'a>>,
}

#[derive(Debug, Serialize)]
struct ParagraphRecord<'a> {
    number: usize,
    kind: ParagraphKind,
    text: &'a str,
}

#[derive(Debug, Serialize)]
struct EntityRecord<'a> {
    id: &'a str,
    name: &'a str,
    kind: EntityKind,
    aliases: &'a [String],
    description: Option<&'a str>,
    links: &'a [String],
    path: String,
    page: String,
    mentions: usize,
    sources: usize,
}

#[derive(Debug, Serialize)]
struct MentionRecord<'a> {
    source: &'a str,
    entity: &'a str,
    paragraph: usize,
    start: usize,
    end: usize,
    text: &'a str,
}

/// Puts the export files of `site` into `sink`. Each file is written as it
/// is made, one after the other: on a large dossier they are hundreds of
/// megabytes together. The parts made from one source alone are written
/// through `memo`, which copies those the previous build wrote from its
/// files; `source_keys` are the keys of what each source's parts are made
/// from.
pub fn export_site(
    site: &Site,
    sink: &dyn PageSink,
    memo: &PageMemo,
    source_keys: &[Key],
) -> Result<()> {
    let files: [(&str, ExportFile); 3] = [
        ("data/mentions.csv", mentions_csv_file),
        ("data/dossier.json", dossier_json_file),
        ("data/followthemoney.json", followthemoney_file),
    ];
    for (path, write) in files {
        sink.put_streamed(path, &mut |out| {
            let mut file = memo.streamed(path, out);
            write(site, source_keys, &mut file)?;
            file.finish()
        })?;
    }
    Ok(())
}

/// Writes one export file of a site, given the keys of its sources' parts.
type ExportFile = fn(&Site, &[Key], &mut SegmentWriter<'_>) -> io::Result<()>;

fn mentions_csv_file(site: &Site, keys: &[Key], file: &mut SegmentWriter<'_>) -> io::Result<()> {
    file.plain(MENTIONS_CSV_HEADER.as_bytes())?;
    for (s, key) in site.sources.iter().zip(keys) {
        file.part(part_key(*key, "csv"), b"", |out| {
            mentions_csv(source_mentions(site, s), out)
        })?;
    }
    Ok(())
}

/// `dossier.json`, compact: on a large dossier, indentation alone would
/// add a third.
fn dossier_json_file(site: &Site, keys: &[Key], file: &mut SegmentWriter<'_>) -> io::Result<()> {
    let sources = || site.sources.iter().zip(keys);
    file.plain(format!("{{\"version\":{EXPORT_VERSION},\"dossier\":").as_bytes())?;
    write_json_section(file, &dossier_info(site))?;
    file.plain(b",\"sources\":[")?;
    let mut list = ListSeparators::default();
    for (s, key) in sources() {
        file.part(part_key(*key, "source"), list.next(), |out| {
            write_json(out, &source_record(s))
        })?;
    }
    file.plain(b"],\"entities\":")?;
    write_json_section(file, &entities(site))?;
    file.plain(b",\"mentions\":[")?;
    let mut list = ListSeparators::default();
    for (s, key) in sources().filter(|(s, _)| !s.analysis.mentions.is_empty()) {
        file.part(part_key(*key, "mentions"), list.next(), |out| {
            let mut items = ListSeparators::default();
            for mention in source_mentions(site, s) {
                out.write_all(items.next())?;
                write_json(out, &mention)?;
            }
            Ok(())
        })?;
    }
    file.plain(b"],\"quotes\":")?;
    write_json_section(file, &quotes(site))?;
    file.plain(b",\"quote_groups\":")?;
    write_json_section(file, &quote_groups(site))?;
    file.plain(b",\"events\":")?;
    write_json_section(file, &events(site))?;
    file.plain(b",\"days\":")?;
    write_json_section(file, &days(site))?;
    file.plain(b",\"shared_passages\":")?;
    write_json_section(file, &shared_passages(site))?;
    file.plain(b",\"cooccurrences\":")?;
    write_json_section(file, &cooccurrences(site))?;
    file.plain(b"}\n")
}

/// FollowTheMoney entities, one JSON object per line: an `Article` per
/// source, a `Person`, `Organization` or `Address` per entity, and a
/// `Mention` per distinct name of an entity in a source.
fn followthemoney_file(site: &Site, keys: &[Key], file: &mut SegmentWriter<'_>) -> io::Result<()> {
    for (s, key) in site.sources.iter().zip(keys) {
        file.part(part_key(*key, "ftm-article"), b"", |out| {
            ftm_article(s, out)
        })?;
    }
    ftm_entities(site, file)?;
    for (s, key) in site.sources.iter().zip(keys) {
        file.part(part_key(*key, "ftm-mentions"), b"", |out| {
            ftm_mentions(site, s, out)
        })?;
    }
    Ok(())
}

/// The separators of a JSON list's items: none before the first, a comma
/// before every other.
#[derive(Default)]
struct ListSeparators {
    started: bool,
}

impl ListSeparators {
    fn next(&mut self) -> &'static [u8] {
        match std::mem::replace(&mut self.started, true) {
            true => b",",
            false => b"",
        }
    }
}

/// The header row of `mentions.csv`: the fields of [`MentionRecord`].
const MENTIONS_CSV_HEADER: &str = "source,entity,paragraph,start,end,text\n";

/// The key of one part made from a source: the source's key and which part.
fn part_key(source: Key, part: &str) -> Key {
    Key::combine(&[&source.to_bytes(), part.as_bytes()])
}

/// Writes `value` as compact JSON. Serialisers write many tiny pieces: to a
/// part being made (a `Vec`), or to a file through a buffer of its own, each
/// is a copy, not a call through layers of writers.
fn write_json(out: &mut impl Write, value: &impl Serialize) -> io::Result<()> {
    Ok(serde_json::to_writer(out, value)?)
}

/// [`write_json`], for a whole section written as plain bytes of a file.
fn write_json_section(file: &mut SegmentWriter<'_>, value: &impl Serialize) -> io::Result<()> {
    let mut buffered = io::BufWriter::with_capacity(1 << 16, file);
    write_json(&mut buffered, value)?;
    buffered.flush()
}

fn dossier_info(site: &Site) -> DossierInfo<'_> {
    DossierInfo {
        title: &site.config.dossier.title,
        description: &site.config.dossier.description,
        language: &site.config.dossier.language,
        base_url: site.config.base_url(),
    }
}

fn path_string(path: &std::path::Path) -> String {
    path.to_string_lossy().replace('\\', "/")
}

fn source_record(s: &SiteSource) -> SourceRecord<'_> {
    let source = &s.source;
    SourceRecord {
        id: &s.slug,
        path: path_string(&source.path),
        page: format!("sources/{}.html", s.slug),
        title: &source.title.value,
        title_inferred: source.title.inferred,
        date: source.date.as_ref().map(|d| d.value.to_string()),
        date_inferred: source.date.as_ref().is_some_and(|d| d.inferred),
        outlet: source.outlet.as_ref().map(|o| o.value.as_str()),
        outlet_inferred: source.outlet.as_ref().is_some_and(|o| o.inferred),
        url: source.url.as_deref(),
        author: source.author.as_deref(),
        language: source.language.as_deref(),
        paragraphs: source
            .paragraphs
            .iter()
            .enumerate()
            .map(|(i, p)| ParagraphRecord {
                number: i + 1,
                kind: p.kind,
                text: &p.text,
            })
            .collect(),
    }
}

fn entities(site: &Site) -> Vec<EntityRecord<'_>> {
    site.entities
        .iter()
        .map(|e| EntityRecord {
            id: &e.entity.slug,
            name: &e.entity.name,
            kind: e.entity.kind,
            aliases: &e.entity.aliases,
            description: e.entity.description.as_deref(),
            links: &e.entity.links,
            path: path_string(&e.entity.path),
            page: format!("entities/{}.html", e.entity.slug),
            mentions: e.mention_count,
            sources: e.mentions_by_source.len(),
        })
        .collect()
}

/// The mentions of one source, in its order.
fn source_mentions<'a>(
    site: &'a Site,
    s: &'a SiteSource,
) -> impl Iterator<Item = MentionRecord<'a>> + 'a {
    s.analysis.mentions.iter().map(move |m| MentionRecord {
        source: &s.slug,
        entity: &site.entities[m.entity].entity.slug,
        paragraph: m.paragraph + 1,
        start: m.start,
        end: m.end,
        text: &s.source.paragraphs[m.paragraph].text[m.start..m.end],
    })
}

fn quotes(site: &Site) -> Vec<QuoteRecord<'_>> {
    let entity_id = |index: usize| site.entities[index].entity.slug.as_str();
    let mut records = Vec::new();
    for (source_index, s) in site.sources.iter().enumerate() {
        for (quote_index, quote) in s.analysis.quotes.iter().enumerate() {
            let attribution = quote.attribution.as_ref();
            records.push(QuoteRecord {
                source: &s.slug,
                paragraph: quote.paragraph + 1,
                start: quote.start,
                end: quote.end,
                text: &quote.text,
                fragment: quote.fragment,
                speaker: attribution.and_then(|a| a.speaker).map(entity_id),
                speaker_description: attribution.and_then(|a| a.description.as_deref()),
                channel: attribution.and_then(|a| a.channel).map(entity_id),
                cue: attribution.map(|a| a.cue.as_str()),
                group: site.quotes.group_of[source_index][quote_index],
            });
        }
    }
    records
}

fn quote_groups(site: &Site) -> Vec<QuoteGroupRecord<'_>> {
    let slug = |index: usize| site.sources[index].slug.as_str();
    (site.quotes.groups.iter())
        .map(|group| QuoteGroupRecord {
            sources: group.sources.iter().map(|&i| slug(i)).collect(),
            independent_sources: group.corroboration.independent,
            first_source: group.corroboration.first.map(slug),
        })
        .collect()
}

/// Every passage two or more sources share, as the site lists them: most
/// sources first, then longest, then earliest.
fn shared_passages(site: &Site) -> Vec<SharedPassageRecord<'_>> {
    let slug = |index: usize| site.sources[index].slug.as_str();
    (site.passages.passages.iter())
        .map(|passage| SharedPassageRecord {
            text: &passage.text,
            kind: passage.kind,
            words: passage.common_words,
            sources: passage.sources().into_iter().map(slug).collect(),
            first_source: slug(passage.occurrences[passage.first()].source),
            occurrences: (passage.occurrences.iter())
                .map(|o| OccurrenceRecord {
                    source: slug(o.source),
                    paragraph: o.paragraph + 1,
                    start: o.start,
                    end: o.end,
                })
                .collect(),
        })
        .collect()
}

fn cooccurrences(site: &Site) -> Vec<CooccurrenceRecord<'_>> {
    let slug = |index: usize| site.entities[index].entity.slug.as_str();
    let mut records: Vec<CooccurrenceRecord<'_>> = site
        .entities
        .iter()
        .enumerate()
        .flat_map(|(index, entity)| {
            entity
                .cooccurring
                .iter()
                // Each pair once, from its first entity.
                .filter(move |c| index < c.entity)
                .map(move |c| CooccurrenceRecord {
                    entities: [slug(index), slug(c.entity)],
                    sources: c.sources,
                    independent_sources: c.independent_sources,
                    paragraphs: c.paragraphs,
                    first_source: c.first_source.map(|i| site.sources[i].slug.as_str()),
                })
        })
        .collect();
    records.sort_by(|a, b| a.entities.cmp(&b.entities));
    records
}

fn events(site: &Site) -> Vec<EventRecord<'_>> {
    let timeline = &site.timeline;
    timeline
        .days
        .iter()
        .flat_map(|day| day.events.iter().copied())
        .chain(timeline.unresolved.iter().copied())
        .map(|index| {
            let event = &timeline.events[index];
            EventRecord {
                date: event.day.map(|d| d.to_string()),
                precision: event.precision,
                confidence: event.confidence,
                basis: site.event_basis(event),
                text: site.event_sentence(event),
                source: &site.sources[event.source].slug,
                paragraph: event.paragraph + 1,
                entities: event
                    .entities
                    .iter()
                    .map(|&e| site.entities[e].entity.slug.as_str())
                    .collect(),
            }
        })
        .collect()
}

fn days(site: &Site) -> Vec<DayRecord<'_>> {
    site.timeline
        .days
        .iter()
        .map(|day| DayRecord {
            date: day.day.to_string(),
            precision: day.precision,
            sources: day
                .sources
                .iter()
                .map(|&i| site.sources[i].slug.as_str())
                .collect(),
        })
        .collect()
}

/// The rows of `mentions`, without the header row.
fn mentions_csv<'a>(
    mentions: impl Iterator<Item = MentionRecord<'a>>,
    out: &mut Vec<u8>,
) -> io::Result<()> {
    let mut writer = csv::WriterBuilder::new()
        .has_headers(false)
        .from_writer(out);
    for m in mentions {
        let (source, entity, text) = (csv_text(m.source), csv_text(m.entity), csv_text(m.text));
        writer.serialize(MentionRecord {
            source: &source,
            entity: &entity,
            text: &text,
            ..m
        })?;
    }
    writer.flush()
}

/// A text cell of a CSV file, with a `'` before it when it starts as a
/// spreadsheet formula does (`=`, `+`, `-`, `@`, a tab or a carriage
/// return): a name in a source, `=HYPERLINK(…)`, must not run as a formula
/// in the spreadsheet of whoever opens the file. Numbers are not text cells
/// and are written as they are.
fn csv_text(cell: &str) -> std::borrow::Cow<'_, str> {
    if cell.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{cell}").into()
    } else {
        cell.into()
    }
}

/// The FollowTheMoney schema of an entity kind. `other` has no counterpart:
/// such entities stay in dossier.json only.
fn ftm_schema(kind: EntityKind) -> Option<&'static str> {
    match kind {
        EntityKind::Person => Some("Person"),
        EntityKind::Organization | EntityKind::Outlet => Some("Organization"),
        EntityKind::Place => Some("Address"),
        EntityKind::Other => None,
    }
}

/// One FollowTheMoney entity, on a line of its own.
fn ftm_line(out: &mut impl Write, value: &Value) -> io::Result<()> {
    serde_json::to_writer(&mut *out, value)?;
    out.write_all(b"\n")
}

/// A source's `Article`.
fn ftm_article(s: &SiteSource, out: &mut Vec<u8>) -> io::Result<()> {
    let source = &s.source;
    let body: Vec<&str> = source.paragraphs.iter().map(|p| p.text.as_str()).collect();
    let mut properties = json!({
        "title": [source.title.value],
        "bodyText": [body.join("\n\n")],
        "fileName": [path_string(&source.path)],
    });
    let extra = [
        (
            "publishedAt",
            source.date.as_ref().map(|d| d.value.to_string()),
        ),
        ("publisher", source.outlet.as_ref().map(|o| o.value.clone())),
        ("author", source.author.clone()),
        ("sourceUrl", source.url.clone()),
    ];
    for (key, value) in extra {
        if let Some(value) = value {
            properties[key] = json!([value]);
        }
    }
    ftm_line(
        out,
        &json!({"id": format!("dossier-source-{}", s.slug), "schema": "Article", "properties": properties}),
    )
}

/// The entities of the catalogue that FollowTheMoney has a schema for.
fn ftm_entities(site: &Site, out: &mut impl Write) -> io::Result<()> {
    for e in &site.entities {
        let Some(schema) = ftm_schema(e.entity.kind) else {
            continue;
        };
        let entity = &e.entity;
        let mut properties = json!({"name": [entity.name]});
        if schema == "Address" {
            properties["full"] = json!([entity.name]);
        }
        if !entity.aliases.is_empty() {
            properties["alias"] = json!(entity.aliases);
        }
        if let Some(description) = &entity.description {
            properties["description"] = json!([description]);
        }
        if !entity.links.is_empty() {
            properties["sourceUrl"] = json!(entity.links);
        }
        ftm_line(
            out,
            &json!({"id": format!("dossier-entity-{}", entity.slug), "schema": schema, "properties": properties}),
        )?;
    }
    Ok(())
}

/// A source's `Mention`s: one per distinct name of an entity in it.
fn ftm_mentions(site: &Site, s: &SiteSource, out: &mut Vec<u8>) -> io::Result<()> {
    let mut seen = std::collections::BTreeSet::new();
    for m in &s.analysis.mentions {
        let entity = &site.entities[m.entity].entity;
        if ftm_schema(entity.kind).is_none() {
            continue;
        }
        let name = &s.source.paragraphs[m.paragraph].text[m.start..m.end];
        if !seen.insert((m.entity, name)) {
            continue;
        }
        let id = format!(
            "dossier-mention-{:016x}",
            crate::slug::stable_hash(format!("{}\0{}\0{}", s.slug, entity.slug, name).as_bytes())
        );
        ftm_line(
            out,
            &json!({
                "id": id,
                "schema": "Mention",
                "properties": {
                    "document": [format!("dossier-source-{}", s.slug)],
                    "resolved": [format!("dossier-entity-{}", entity.slug)],
                    "name": [name],
                    "detectedSchema": [ftm_schema(entity.kind)],
                }
            }),
        )?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_csv_header_names_the_fields_of_a_mention() {
        let record = MentionRecord {
            source: "s",
            entity: "e",
            paragraph: 1,
            start: 0,
            end: 1,
            text: "t",
        };
        let mut writer = csv::Writer::from_writer(Vec::new());
        writer.serialize(&record).unwrap();
        let bytes = writer.into_inner().unwrap();
        let text = String::from_utf8(bytes).unwrap();
        assert!(text.starts_with(MENTIONS_CSV_HEADER), "{text}");
    }

    #[test]
    fn csv_cells_that_a_spreadsheet_reads_as_formulas_are_text() {
        let record = |text| MentionRecord {
            source: "-source",
            entity: "@entity",
            paragraph: 2,
            start: 10,
            end: 20,
            text,
        };
        let formulas = [
            "=HYPERLINK(\"http://evil.example\",\"x\")",
            "@SUM(A1)",
            "+cmd",
            "-cmd",
            "\t=1+1",
            "\r=1+1",
        ];
        for formula in formulas {
            let mut out = Vec::new();
            mentions_csv([record(formula)].into_iter(), &mut out).unwrap();
            let mut reader = csv::ReaderBuilder::new()
                .has_headers(false)
                .from_reader(out.as_slice());
            let row = reader.records().next().unwrap().unwrap();
            let cells: Vec<&str> = row.iter().collect();
            let text = format!("'{formula}");
            assert_eq!(cells, ["'-source", "'@entity", "2", "10", "20", &text]);
        }
        let mut out = Vec::new();
        mentions_csv([record("Peskov's =")].into_iter(), &mut out).unwrap();
        assert_eq!(
            String::from_utf8(out).unwrap(),
            "'-source,'@entity,2,10,20,Peskov's =\n"
        );
    }
}
