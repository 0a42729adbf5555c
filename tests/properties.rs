//! No content ever panics: arbitrary bytes and strings go through the
//! loaders, the matcher and the renderer, which must answer with a value or
//! a diagnostic. Case counts stay modest so the suite stays fast.

use std::path::Path;

use proptest::prelude::*;

use dossier::analysis::Matcher;
use dossier::content::paragraphs::{split_clipping, split_markdown};
use dossier::content::{entity, front_matter, source, text, Entity, EntityKind};
use dossier::render::paragraph::paragraph_html;
use dossier::render::views::snippet;

fn config() -> ProptestConfig {
    ProptestConfig {
        cases: 256,
        failure_persistence: None,
        ..ProptestConfig::default()
    }
}

/// Text that looks like content often enough to reach deep code paths:
/// front matter fences, Markdown, HTML, names, odd characters.
fn contentish() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        Just("+++\n".to_owned()),
        Just("---\n".to_owned()),
        Just("title = \"T\"\n".to_owned()),
        Just("date = 2024-02-30\n".to_owned()),
        Just("aliases = [\"Peskov\", 3]\n".to_owned()),
        Just("name: Kremlin\n".to_owned()),
        Just("> ".to_owned()),
        Just("- ".to_owned()),
        Just("<div>".to_owned()),
        Just("</div>".to_owned()),
        Just("[link](javascript:x)".to_owned()),
        Just("Peskov ".to_owned()),
        Just("Türkiye’s ".to_owned()),
        Just("بوتين ".to_owned()),
        Just("\r\n".to_owned()),
        Just("\u{E000}0\u{E001}".to_owned()),
        "\\PC{0,12}",
        any::<String>(),
    ];
    prop::collection::vec(piece, 0..24).prop_map(|pieces| pieces.concat())
}

fn an_entity(name: String, aliases: Vec<String>) -> Entity {
    Entity {
        path: "content/entities/x.md".into(),
        slug: "x".into(),
        name,
        kind: EntityKind::Person,
        aliases,
        description: None,
        links: Vec::new(),
        body_html: String::new(),
    }
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn decoding_never_panics(bytes in prop::collection::vec(any::<u8>(), 0..512)) {
        let path = Path::new("content/sources/a.txt");
        let _ = text::decode(&bytes, path);
        let (text, _) = text::decode_with(&bytes, path, true).expect("lossy decoding never fails");
        prop_assert!(!text.contains('\r'));
    }

    #[test]
    fn front_matter_and_sources_never_panic(text in contentish()) {
        let _ = front_matter::split(&text, Path::new("a.md"), source::SOURCE_KEYS);
        for name in ["a.md", "a.txt"] {
            match source::parse_source(&text, Path::new(name)) {
                Ok((source, _)) => prop_assert!(!source.title.value.is_empty()),
                Err(errors) => prop_assert!(errors.iter().any(|e| e.is_error())),
            }
        }
    }

    #[test]
    fn entities_never_panic(text in contentish()) {
        if let Err(errors) = entity::parse_entity(&text, Path::new("content/entities/x.md"), "x".into()) {
            prop_assert!(!errors.is_empty());
        }
    }

    #[test]
    fn diagnostics_render_for_any_line(line in any::<String>(), column in 0usize..400) {
        let diagnostic = dossier::error::Diagnostic::error("a.md", "bad").at_line(&line, 1, column);
        let shown = diagnostic.to_string();
        prop_assert!(shown.starts_with("error: bad"));
    }

    #[test]
    fn mentions_lie_on_character_boundaries(
        names in prop::collection::vec(contentish(), 1..4),
        text in contentish(),
    ) {
        let entities: Vec<Entity> = names
            .iter()
            .map(|name| an_entity(name.clone(), vec![name.to_uppercase(), name.to_lowercase()]))
            .collect();
        let (matcher, _) = Matcher::new(&entities);
        for mention in matcher.find(0, &text) {
            prop_assert!(mention.start < mention.end && mention.end <= text.len());
            prop_assert!(text.is_char_boundary(mention.start));
            prop_assert!(text.is_char_boundary(mention.end));
            let _ = snippet(&text, mention.start, mention.end);
        }
    }

    #[test]
    fn rendered_paragraphs_never_panic_and_clippings_stay_text(
        body in contentish(),
        name in "[A-Za-zÀ-ž’ -]{1,12}",
    ) {
        let entities = [an_entity(name, Vec::new())];
        let (matcher, _) = Matcher::new(&entities);
        let refs: Vec<&Entity> = entities.iter().collect();
        for paragraph in split_markdown(&body) {
            let mentions = matcher.find(0, &paragraph.text);
            let _ = paragraph_html(&paragraph, &mentions, &refs, "../");
        }
        for paragraph in split_clipping(&body, true) {
            let mentions = matcher.find(0, &paragraph.text);
            let html = paragraph_html(&paragraph, &mentions, &refs, "../");
            let without_links = strip_mention_links(&html);
            prop_assert!(!without_links.contains('<'), "{}", html);
        }
    }
}

/// `html` without the mention links the renderer adds.
fn strip_mention_links(html: &str) -> String {
    let mut out = String::new();
    let mut rest = html;
    while let Some(open) = rest.find("<a class=\"mention") {
        out.push_str(&rest[..open]);
        let after = &rest[open..];
        let tag_end = after.find('>').map_or(after.len(), |i| i + 1);
        rest = &after[tag_end..];
    }
    out.push_str(rest);
    out.replace("</a>", "")
}
