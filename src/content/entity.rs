//! Reading one entity file of the catalogue (`content/entities/*.md`): a
//! person, organisation, place or outlet with the names it goes by.

use std::fmt;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use super::front_matter::{self, Fields};
use super::paragraphs;
use crate::error::Diagnostic;

/// Front matter keys an entity may carry.
pub const ENTITY_KEYS: &[&str] = &["name", "kind", "aliases", "description", "links"];

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum EntityKind {
    Person,
    Organization,
    Place,
    Outlet,
    Other,
}

impl EntityKind {
    pub const ALL: [EntityKind; 5] = [
        EntityKind::Person,
        EntityKind::Organization,
        EntityKind::Place,
        EntityKind::Outlet,
        EntityKind::Other,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            EntityKind::Person => "person",
            EntityKind::Organization => "organization",
            EntityKind::Place => "place",
            EntityKind::Outlet => "outlet",
            EntityKind::Other => "other",
        }
    }

    /// The plural heading used when entities are listed by kind.
    pub fn plural_label(self) -> &'static str {
        match self {
            EntityKind::Person => "People",
            EntityKind::Organization => "Organisations",
            EntityKind::Place => "Places",
            EntityKind::Outlet => "Outlets",
            EntityKind::Other => "Other",
        }
    }

    fn parse(text: &str) -> Option<EntityKind> {
        match text.to_ascii_lowercase().as_str() {
            "person" | "people" => Some(EntityKind::Person),
            "organization" | "organisation" | "org" | "group" => Some(EntityKind::Organization),
            "place" | "location" => Some(EntityKind::Place),
            "outlet" | "agency" | "media" => Some(EntityKind::Outlet),
            "other" => Some(EntityKind::Other),
            _ => None,
        }
    }
}

impl fmt::Display for EntityKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One entry of the catalogue.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Entity {
    /// Path relative to the dossier root.
    pub path: PathBuf,
    /// The page's slug, from the file name.
    pub slug: String,
    pub name: String,
    pub kind: EntityKind,
    /// Other names the entity goes by in the sources.
    pub aliases: Vec<String>,
    pub description: Option<String>,
    /// Web addresses about the entity (http and https only).
    pub links: Vec<String>,
    /// The Markdown body, rendered and sanitised.
    pub body_html: String,
}

impl Entity {
    /// The name and every alias: all the names the matcher looks for.
    pub fn names(&self) -> impl Iterator<Item = &str> {
        std::iter::once(self.name.as_str()).chain(self.aliases.iter().map(String::as_str))
    }

    /// A catalogue entry with a name, a kind and aliases only, for tests.
    #[cfg(test)]
    pub fn for_test(name: &str, kind: EntityKind, aliases: &[&str]) -> Entity {
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
}

/// Parses an entity file. `slug` comes from its file name.
pub fn parse_entity(
    text: &str,
    path: &Path,
    slug: String,
) -> Result<(Entity, Vec<Diagnostic>), Vec<Diagnostic>> {
    let split = front_matter::split(text, path, ENTITY_KEYS).map_err(|d| vec![d])?;
    let Some(front_matter) = split.front_matter.as_ref() else {
        return Err(vec![Diagnostic::error(path, "the entity file has no front matter")
            .at_line(text, 1, 1)
            .with_help(
                "start the file with:\n+++\nname = \"Full Name\"\nkind = \"person\"\naliases = [\"Other Name\"]\n+++",
            )]);
    };
    let mut fields = Fields::new(front_matter, text, path);
    fields
        .diagnostics
        .extend(split.late_start_warning(text, path));
    fields.warn_unknown_keys(ENTITY_KEYS);

    let name = fields.string("name").filter(|n| !n.is_empty());
    if name.is_none() {
        // An empty name is pointed at; a missing one at the file's top.
        let error = match fields.get("name") {
            Some(_) => fields.diagnostic_at_key("name", "the entity's `name` is empty".to_owned()),
            None => Diagnostic::error(path, "the entity has no `name`").at_line(text, 1, 1),
        };
        fields
            .diagnostics
            .push(error.with_help("add name = \"Full Name\" to the front matter"));
    }
    let kind = read_kind(&mut fields);
    let aliases: Vec<String> = fields
        .strings("aliases")
        .into_iter()
        .filter(|a| !a.is_empty())
        .collect();
    warn_about_everyday_names(&mut fields, name.as_deref(), &aliases);
    warn_about_names_without_letters(&mut fields, name.as_deref(), &aliases);
    let description = fields.string("description").filter(|d| !d.is_empty());
    let links = read_links(&mut fields);

    let (body_html, flattened) = paragraphs::render_markdown_capped(split.body);
    let mut diagnostics = fields.diagnostics;
    if flattened {
        diagnostics.push(super::nesting::flattened_warning(path));
    }
    if diagnostics.iter().any(Diagnostic::is_error) {
        return Err(diagnostics);
    }
    let entity = Entity {
        path: path.to_owned(),
        slug,
        name: name.unwrap_or_default(),
        kind,
        aliases,
        description,
        links,
        body_html,
    };
    Ok((entity, diagnostics))
}

/// A name or alias that is an everyday word would match almost every source.
fn warn_about_everyday_names(fields: &mut Fields<'_>, name: Option<&str>, aliases: &[String]) {
    let named = name.into_iter().map(|n| ("name", n));
    let aliased = aliases.iter().map(|a| ("aliases", a.as_str()));
    for (key, word) in named.chain(aliased) {
        if !crate::catalogue::is_common_word(word) {
            continue;
        }
        let diagnostic = fields
            .diagnostic_at_key(
                key,
                format!("`{word}` is an everyday word and would match almost every source"),
            )
            .with_help("use a distinctive name, e.g. a full name or title");
        let diagnostic = diagnostic.pointing_at(word);
        fields.diagnostics.push(diagnostic.as_warning());
    }
}

/// A name or alias without a letter or digit (`(`, `…`) is never looked for:
/// it would make every bracket or ellipsis of the sources a mention.
fn warn_about_names_without_letters(
    fields: &mut Fields<'_>,
    name: Option<&str>,
    aliases: &[String],
) {
    let named = name.into_iter().map(|n| ("name", n));
    let aliased = aliases.iter().map(|a| ("aliases", a.as_str()));
    for (key, word) in named.chain(aliased) {
        if crate::analysis::mentions::can_match(word) {
            continue;
        }
        let diagnostic = fields
            .diagnostic_at_value(
                key,
                word,
                format!(
                    "`{word}` has no letter or digit, so it is never looked for in the sources"
                ),
            )
            .with_help(match key {
                "name" => "give the entity its name as the sources write it, with its letters",
                _ => {
                    "remove the alias, or write it as the sources spell the name, with its letters"
                }
            });
        fields.diagnostics.push(diagnostic.as_warning());
    }
}

fn read_kind(fields: &mut Fields<'_>) -> EntityKind {
    let Some(written) = fields.string("kind") else {
        let diagnostic = fields
            .diagnostic_at_key(
                "name",
                "the entity has no `kind`; it is listed as `other`".into(),
            )
            .with_help(
                "add kind = \"person\", \"organization\", \"place\", \"outlet\" or \"other\"",
            );
        fields.diagnostics.push(diagnostic.as_warning());
        return EntityKind::Other;
    };
    EntityKind::parse(&written).unwrap_or_else(|| {
        let diagnostic = fields
            .diagnostic_at_key("kind", format!("unknown entity kind `{written}`"))
            .pointing_at(&written)
            .with_help("use one of person, organization, place, outlet, other");
        fields.diagnostics.push(diagnostic);
        EntityKind::Other
    })
}

fn read_links(fields: &mut Fields<'_>) -> Vec<String> {
    let links = fields.strings("links");
    let (good, bad): (Vec<String>, Vec<String>) = links.into_iter().partition(|link| {
        let lower = link.to_ascii_lowercase();
        lower.starts_with("https://") || lower.starts_with("http://")
    });
    for link in bad {
        let diagnostic = fields
            .diagnostic_at_key("links", format!("link `{link}` is not an http(s) address"))
            .pointing_at(&link)
            .with_help("links must start with http:// or https://");
        fields.diagnostics.push(diagnostic);
    }
    good
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Result<(Entity, Vec<Diagnostic>), Vec<Diagnostic>> {
        parse_entity(text, Path::new("content/entities/x.md"), "x".into())
    }

    #[test]
    fn reads_an_entity() {
        let (entity, warnings) = parse(
            "+++\nname = \"Dmitry Peskov\"\nkind = \"person\"\naliases = [\"Peskov\"]\n+++\nKremlin *spokesman*.\n",
        )
        .unwrap();
        assert!(warnings.is_empty());
        assert_eq!(
            entity.names().collect::<Vec<_>>(),
            ["Dmitry Peskov", "Peskov"]
        );
        assert_eq!(entity.kind, EntityKind::Person);
        assert!(entity.body_html.contains("<em>spokesman</em>"));
    }

    #[test]
    fn errors_without_front_matter_or_name() {
        assert!(parse("Just text\n").is_err());
        let errors = parse("+++\nkind = \"person\"\n+++\n").unwrap_err();
        assert!(errors[0].message.contains("no `name`"));
        let errors = parse("+++\nkind = \"person\"\nname = \"\"\n+++\n").unwrap_err();
        assert!(errors[0].message.contains("`name` is empty"));
        assert_eq!(errors[0].position, Some((3, 1)));
    }

    #[test]
    fn unknown_kind_is_an_error() {
        let errors = parse("+++\nname = \"X\"\nkind = \"planet\"\n+++\n").unwrap_err();
        assert_eq!(errors[0].position, Some((3, 9)));
    }

    #[test]
    fn everyday_words_as_aliases_are_warned_about_on_their_line() {
        let (entity, warnings) = parse(
            "+++\nname = \"Vladimir Putin\"\nkind = \"person\"\naliases = [\"Putin\", \"president\"]\n+++\n",
        )
        .unwrap();
        assert_eq!(entity.aliases.len(), 2);
        assert_eq!(warnings.len(), 1);
        assert!(warnings[0].message.contains("`president`"));
        assert_eq!(warnings[0].position, Some((4, 22)));
    }

    #[test]
    fn aliases_without_letters_are_warned_about_where_they_are_written() {
        let (entity, warnings) = parse(
            "+++\nname = \"Brackets\"\nkind = \"other\"\naliases = [\"(\", \"[\", \"R2\"]\n+++\n",
        )
        .unwrap();
        assert_eq!(entity.aliases, ["(", "[", "R2"], "shown as given");
        let found: Vec<_> = warnings
            .iter()
            .map(|w| (w.position, w.is_error()))
            .collect();
        assert_eq!(found, [(Some((4, 13)), false), (Some((4, 18)), false)]);
        assert!(warnings[0].message.contains("`(` has no letter or digit"));
        // A list over several lines, in YAML.
        let (_, warnings) =
            parse("---\nname: '…'\nkind: other\naliases:\n  - Dots\n  - \"*\"\n---\n").unwrap();
        let found: Vec<_> = warnings.iter().map(|w| w.position).collect();
        assert_eq!(found, [Some((2, 8)), Some((6, 6))]);
    }

    #[test]
    fn deeply_nested_bodies_are_flattened_with_a_warning() {
        let text = format!(
            "+++\nname = \"X\"\nkind = \"person\"\n+++\n{} deep\n",
            ">".repeat(5_000)
        );
        let (entity, warnings) = parse(&text).unwrap();
        assert!(entity.body_html.contains("deep"));
        assert_eq!(warnings.len(), 1);
        assert!(warnings[0].message.contains("flattened"));
    }

    #[test]
    fn script_links_are_refused() {
        let errors =
            parse("+++\nname = \"X\"\nkind = \"person\"\nlinks = [\"javascript:alert(1)\"]\n+++\n")
                .unwrap_err();
        assert!(errors[0].message.contains("javascript:"));
    }
}
