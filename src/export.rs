//! The machine-readable export of everything the build derived, so a dossier
//! can be loaded into other tools: `data/dossier.json` (versioned schema,
//! documented in docs/EXPORT.md), `data/mentions.csv`, and
//! `data/followthemoney.json` (FollowTheMoney entities as JSON lines, for
//! Aleph).

use serde::Serialize;
use serde_json::{json, Value};

use crate::content::{EntityKind, ParagraphKind};
use crate::error::{Error, Result};
use crate::render::Page;
use crate::site::Site;

/// Version of the `dossier.json` schema. Raise it when a field changes
/// meaning or disappears; adding fields keeps the version.
pub const EXPORT_VERSION: u32 = 1;

#[derive(Debug, Serialize)]
struct Export<'a> {
    version: u32,
    dossier: DossierInfo<'a>,
    sources: Vec<SourceRecord<'a>>,
    entities: Vec<EntityRecord<'a>>,
    mentions: Vec<MentionRecord<'a>>,
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

/// The export files of `site`.
pub fn export_site(site: &Site) -> Result<Vec<Page>> {
    let export = Export {
        version: EXPORT_VERSION,
        dossier: DossierInfo {
            title: &site.config.dossier.title,
            description: &site.config.dossier.description,
            language: &site.config.dossier.language,
            base_url: site.config.base_url(),
        },
        sources: sources(site),
        entities: entities(site),
        mentions: mentions(site),
    };
    let mut json = serde_json::to_vec_pretty(&export)
        .map_err(|e| Error::with_cause("cannot write data/dossier.json", e))?;
    json.push(b'\n');
    Ok(vec![
        Page {
            path: "data/dossier.json".to_owned(),
            bytes: json,
        },
        Page {
            path: "data/mentions.csv".to_owned(),
            bytes: mentions_csv(&export.mentions)?,
        },
        Page {
            path: "data/followthemoney.json".to_owned(),
            bytes: followthemoney(site),
        },
    ])
}

fn path_string(path: &std::path::Path) -> String {
    path.to_string_lossy().replace('\\', "/")
}

fn sources(site: &Site) -> Vec<SourceRecord<'_>> {
    site.sources
        .iter()
        .map(|s| {
            let source = &s.source;
            SourceRecord {
                id: &s.slug,
                path: path_string(&source.path),
                page: format!("sources/{}.html", s.slug),
                title: &source.title.value,
                title_inferred: source.title.inferred,
                date: source
                    .date
                    .as_ref()
                    .map(|d| d.value.format("%Y-%m-%d").to_string()),
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
        })
        .collect()
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

fn mentions(site: &Site) -> Vec<MentionRecord<'_>> {
    site.sources
        .iter()
        .flat_map(|s| {
            s.analysis.mentions.iter().map(move |m| MentionRecord {
                source: &s.slug,
                entity: &site.entities[m.entity].entity.slug,
                paragraph: m.paragraph + 1,
                start: m.start,
                end: m.end,
                text: &s.source.paragraphs[m.paragraph].text[m.start..m.end],
            })
        })
        .collect()
}

fn mentions_csv(mentions: &[MentionRecord<'_>]) -> Result<Vec<u8>> {
    // The header row comes from the record's field names.
    let mut writer = csv::Writer::from_writer(Vec::new());
    let fail = |e: csv::Error| Error::with_cause("cannot write data/mentions.csv", e);
    for m in mentions {
        writer.serialize(m).map_err(fail)?;
    }
    writer
        .into_inner()
        .map_err(|e| Error::other(format!("cannot write data/mentions.csv: {e}")))
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

/// FollowTheMoney entities, one JSON object per line: an `Article` per
/// source, a `Person`, `Organization` or `Address` per entity, and a
/// `Mention` per distinct name of an entity in a source.
fn followthemoney(site: &Site) -> Vec<u8> {
    let mut lines: Vec<Value> = Vec::new();
    for s in &site.sources {
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
                source
                    .date
                    .as_ref()
                    .map(|d| d.value.format("%Y-%m-%d").to_string()),
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
        lines.push(json!({"id": format!("dossier-source-{}", s.slug), "schema": "Article", "properties": properties}));
    }
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
        lines.push(json!({"id": format!("dossier-entity-{}", entity.slug), "schema": schema, "properties": properties}));
    }
    for s in &site.sources {
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
                crate::slug::stable_hash(
                    format!("{}\0{}\0{}", s.slug, entity.slug, name).as_bytes()
                )
            );
            lines.push(json!({
                "id": id,
                "schema": "Mention",
                "properties": {
                    "document": [format!("dossier-source-{}", s.slug)],
                    "resolved": [format!("dossier-entity-{}", entity.slug)],
                    "name": [name],
                    "detectedSchema": [ftm_schema(entity.kind)],
                }
            }));
        }
    }
    let mut out = Vec::new();
    for line in lines {
        out.extend(serde_json::to_vec(&line).unwrap_or_default());
        out.push(b'\n');
    }
    out
}
