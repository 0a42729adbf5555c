//! Quotes, speakers and dates on the built seeds dossier: the pages a reader
//! opens show who said what, which sources carry the same words, and when
//! things happened.

use crate::common;

use common::{select_texts, BuiltSite, TestDossier};
use scraper::{ElementRef, Selector};

fn seeds_site() -> (TestDossier, BuiltSite) {
    let dossier = TestDossier::seeds();
    dossier.build();
    let site = dossier.site();
    (dossier, site)
}

/// The source page built from seed `prefix` (e.g. `000`).
fn source_page(site: &BuiltSite, prefix: &str) -> String {
    site.html_files()
        .into_iter()
        .filter(|f| f.starts_with("sources/"))
        .find(|f| {
            let file = select_texts(&site.page(f), ".source-meta code");
            file.iter()
                .any(|name| name.contains(&format!("/{prefix}_")))
        })
        .unwrap_or_else(|| panic!("no page for seed {prefix}"))
}

/// The text of every quote entry matched by `selector`, with who said it.
fn entries(site: &BuiltSite, page: &str, selector: &str) -> Vec<(String, String, String)> {
    let html = site.page(page);
    let entry = Selector::parse(selector).unwrap();
    let part = |e: &ElementRef, s: &str| {
        let s = Selector::parse(s).unwrap();
        e.select(&s)
            .next()
            .map(|x| {
                x.text()
                    .collect::<String>()
                    .split_whitespace()
                    .collect::<Vec<_>>()
                    .join(" ")
            })
            .unwrap_or_default()
    };
    html.select(&entry)
        .map(|e| {
            (
                part(&e, ".quote-text"),
                part(&e, ".quote-who"),
                part(&e, ".quote-sources"),
            )
        })
        .collect()
}

fn find_quote(entries: &[(String, String, String)], words: &str) -> (String, String, String) {
    entries
        .iter()
        .find(|(text, _, _)| text.contains(words))
        .unwrap_or_else(|| panic!("no quote with `{words}` in {entries:#?}"))
        .clone()
}

#[test]
fn entity_pages_list_the_quotes_of_their_speaker() {
    let (_dossier, site) = seeds_site();
    let cases = [
        (
            "entities/abu-mohammed-al-jolani.html",
            "This victory, my brothers, is historic for the region",
        ),
        (
            "entities/mikhail-ulyanov.html",
            "Russia does not betray its friends in difficult situations… unlike the US",
        ),
        (
            "entities/dmitry-peskov.html",
            "Of course, such decisions cannot be made without the head of state",
        ),
    ];
    for (page, words) in cases {
        let found = entries(&site, page, ".entity-quotes .quote-entry");
        let (_, who, _) = find_quote(&found, words);
        let name = select_texts(&site.page(page), "h1").remove(0);
        assert!(who.starts_with(&name), "{page}: {who}");
    }
}

#[test]
fn the_kremlin_source_quote_is_unnamed_relayed_by_tass_and_carried_by_two_sources() {
    let (_dossier, site) = seeds_site();
    let page = source_page(&site, "000");
    let found = entries(&site, &page, ".source-quotes .quote-entry");
    let (_, who, carried) = find_quote(
        &found,
        "Russia has always spoken in favour of a political settlement",
    );
    assert!(who.contains("a Kremlin source"), "{who}");
    assert!(who.contains("via TASS"), "{who}");
    assert!(carried.starts_with("In 2 sources"), "{carried}");
    assert!(
        carried.contains("1 independent (the others reprint the same wire text)"),
        "000 and 001 carry the same TASS wire text: {carried}"
    );
    assert!(carried.contains("first in"), "{carried}");

    let other = source_page(&site, "001");
    let links = site.links(&page, ".source-quotes .quote-sources a");
    assert!(links.iter().any(|(file, _)| *file == other), "{links:?}");
    // TASS's page lists the quotes it relays.
    let relayed = entries(&site, "entities/tass.html", ".entity-quotes .quote-entry");
    find_quote(&relayed, "Russia has always spoken in favour");
    // There, both carriers are links: neither is the page shown.
    let carriers = site.links("entities/tass.html", ".entity-quotes .quote-sources a");
    for seed in [&page, &other] {
        assert!(
            carriers.iter().any(|(file, _)| file == seed),
            "{seed} is not linked from TASS's page: {carriers:?}"
        );
    }
}

#[test]
fn quotes_are_marked_in_the_text_and_linked_to_their_paragraph() {
    let (_dossier, site) = seeds_site();
    let page = source_page(&site, "001");
    let html = site.page(&page);
    let marked = select_texts(&html, ".source-text span.quote[id]");
    assert!(
        marked
            .iter()
            .any(|t| t.starts_with("“This victory, my brothers")),
        "{marked:?}"
    );
    // Each listed quote links to the paragraph that holds it.
    for (file, fragment) in site.links(&page, ".source-quotes .quote-entry > a.para-ref") {
        assert_eq!(file, page);
        let fragment = fragment.expect("a paragraph anchor");
        let anchor = Selector::parse(&format!("#{fragment}")).unwrap();
        let paragraph = html.select(&anchor).next().expect("the paragraph exists");
        assert!(paragraph
            .select(&Selector::parse("span.quote").unwrap())
            .next()
            .is_some());
    }
    // Pronouns are resolved and said to be.
    let found = entries(&site, &page, ".source-quotes .quote-entry");
    let (_, who, _) = find_quote(&found, "Today, Syria is being purified");
    assert!(who.starts_with("Abu Mohammed al-Jolani"), "{who}");
    assert!(who.contains("pronoun resolved"), "{who}");
}

#[test]
fn the_index_lists_quotes_by_speaker() {
    let (_dossier, site) = seeds_site();
    let html = site.page("crossref.html");
    let speakers = select_texts(&html, ".quotes-by-speaker .speaker h3 a");
    for name in ["Abu Mohammed al-Jolani", "Dmitry Peskov", "Mikhail Ulyanov"] {
        assert!(speakers.iter().any(|s| s == name), "{speakers:?}");
    }
    let headings = select_texts(&html, ".quotes-by-speaker .speaker h3");
    assert!(
        headings
            .iter()
            .any(|h| h.starts_with("Unnamed: a Kremlin source, via TASS")),
        "{headings:?}"
    );
}

#[test]
fn the_timeline_lists_events_by_day_with_their_sources() {
    let (_dossier, site) = seeds_site();
    let nav = site.links("index.html", ".site-nav a");
    assert!(
        nav.iter().any(|(file, _)| file == "timeline.html"),
        "{nav:?}"
    );
    let html = site.page("timeline.html");
    let day = |id: &str| {
        let selector = Selector::parse(&format!("#{id} .event-list > li")).unwrap();
        html.select(&selector)
            .map(|e| {
                e.text()
                    .collect::<String>()
                    .split_whitespace()
                    .collect::<Vec<_>>()
                    .join(" ")
            })
            .collect::<Vec<_>>()
    };
    let sunday = day("d2024-12-08");
    assert!(
        sunday
            .iter()
            .any(|e| e.contains("Syrian rebels on Sunday entered the capital")),
        "{sunday:#?}"
    );
    // 001 has no date: its December 8 takes the year of the dated sources, marked low.
    assert!(
        sunday
            .iter()
            .any(|e| e.contains("Assad fled Syria on Sunday (December 8)") && e.contains("low")),
        "{sunday:#?}"
    );
    let monday = day("d2024-12-09");
    assert!(
        monday
            .iter()
            .any(|e| e.contains("The Kremlin confirmed Monday")),
        "{monday:#?}"
    );
    assert!(day("d2024-11-27").iter().any(|e| e.contains("Nov. 27")));
    // 002 has no date: its relative dates are listed as unresolved, not guessed.
    let unresolved = select_texts(&html, ".unresolved .event-list > li");
    assert!(
        unresolved
            .iter()
            .any(|e| e.contains("early Monday morning")),
        "{unresolved:#?}"
    );
    assert!(unresolved.iter().all(|e| e.contains("unresolved")));
}

#[test]
fn entity_pages_show_their_part_of_the_timeline() {
    let (_dossier, site) = seeds_site();
    let html = site.page("entities/kremlin.html");
    let events = select_texts(&html, ".entity-timeline .event-list > li");
    assert!(
        events
            .iter()
            .any(|e| e.contains("The Kremlin confirmed Monday")),
        "{events:#?}"
    );
    let days = site.links("entities/kremlin.html", ".entity-timeline .event-day a");
    assert!(days.iter().all(|(file, _)| file == "timeline.html"));
}

#[test]
fn long_lists_of_quotes_are_bounded_and_counted() {
    let dossier = TestDossier::from_fixture("basic");
    for n in 0..30 {
        dossier.write(
            &format!("content/sources/briefing-{n:02}.txt"),
            &format!(
                "Briefing {n}\n\"We have nothing to add on point {n} today,\" Dmitry Peskov told reporters.\n"
            ),
        );
    }
    dossier.build();
    let site = dossier.site();
    let index = site.page("crossref.html");
    let more = select_texts(&index, ".quotes-by-speaker .more");
    assert!(more.iter().any(|m| m.starts_with("And 5 more")), "{more:?}");
    let peskov = site.page("entities/dmitry-peskov.html");
    assert_eq!(
        select_texts(&peskov, ".entity-quotes .quote-entry").len(),
        25
    );
    let more = select_texts(&peskov, ".entity-quotes .more");
    assert!(
        more.iter().any(|m| m.starts_with("And 5 more quotes")),
        "{more:?}"
    );
}

#[test]
fn a_paginated_timeline_links_every_day_to_its_page() {
    let dossier = TestDossier::seeds();
    let config = std::fs::read_to_string(dossier.root().join("book.toml")).unwrap();
    let config = match config.contains("[build]") {
        true => config.replace("[build]", "[build]\npaginate_by = 1"),
        false => format!("{config}\n[build]\npaginate_by = 1\n"),
    };
    dossier.write("book.toml", &config);
    dossier.build();
    let site = dossier.site();
    let pages: Vec<String> = site
        .html_files()
        .into_iter()
        .filter(|f| f.starts_with("timeline"))
        .collect();
    assert!(
        pages.len() > 2,
        "the seeds' days take several pages: {pages:?}"
    );
    for page in &pages {
        let days = site.page(page);
        let listed = days
            .select(&Selector::parse(".timeline-day").unwrap())
            .count();
        assert_eq!(listed, 1, "{page} lists one day");
        let covers = select_texts(&days, "main > p.meta");
        assert!(
            covers.iter().any(|c| c.starts_with("This page: ")),
            "{page} says which days it covers: {covers:?}"
        );
    }
    let broken = site.broken_links();
    assert!(broken.is_empty(), "broken links:\n{}", broken.join("\n"));
    let days = site.links("entities/kremlin.html", ".entity-timeline .event-day a");
    assert!(!days.is_empty());
    assert!(
        days.iter().any(|(file, _)| file != "timeline.html"),
        "some of the Kremlin's days are on later pages: {days:?}"
    );
}

#[test]
fn the_timeline_sets_two_readings_of_one_event_side_by_side() {
    let dossier = TestDossier::from_fixture("basic");
    dossier.write(
        "content/sources/first-account.md",
        "+++\ntitle = \"First account\"\ndate = 2025-03-10\n+++\n\n\
         Dmitry Peskov arrived in Vienna on Sunday for talks lasting 24 hours.\n",
    );
    dossier.write(
        "content/sources/second-account.md",
        "+++\ntitle = \"Second account\"\ndate = 2025-03-10\n+++\n\n\
         Dmitry Peskov arrived in Vienna on Saturday for talks lasting 23 hours.\n",
    );
    dossier.build();
    let site = dossier.site();
    let html = site.page("timeline.html");
    let kinds = select_texts(&html, ".disagreement-list > li > .kicker");
    assert!(
        kinds.iter().any(|k| k == "Different days for one event"),
        "{kinds:?}"
    );
    assert!(
        kinds.contains(&"Different figures: 24 hours / 23 hours".to_owned()),
        "{kinds:?}"
    );
    // Each reading is a whole dated sentence: its day on the timeline, the
    // day's expression marked, and its paragraph.
    let readings = select_texts(&html, ".disagreement-list .readings > div");
    assert!(readings.len() >= 2, "{readings:?}");
    let marked = select_texts(&html, ".disagreement-list .readings .event-sentence mark");
    assert!(marked.iter().any(|m| m == "Sunday"), "{marked:?}");
    assert!(marked.iter().any(|m| m == "Saturday"), "{marked:?}");
    let days = site.links("timeline.html", ".disagreement-list .event-day a");
    assert!(
        days.iter()
            .any(|(file, anchor)| file == "timeline.html"
                && anchor.as_deref() == Some("d2025-03-09")),
        "{days:?}"
    );
    let sources = site.links(
        "timeline.html",
        ".disagreement-list .event-sentence a.para-ref",
    );
    assert!(
        sources
            .iter()
            .any(|(file, anchor)| file == "sources/second-account.html"
                && anchor.as_deref() == Some("p1")),
        "{sources:?}"
    );
    let broken = site.broken_links();
    assert!(broken.is_empty(), "broken links:\n{}", broken.join("\n"));
}

#[test]
fn a_dated_sentence_is_text_wherever_it_is_listed() {
    let dossier = TestDossier::from_fixture("basic");
    dossier.write(
        "content/sources/hostile-date.md",
        "+++\ntitle = \"Peskov's <b>bold</b> \\\"day\\\"\"\ndate = 2025-03-10\n+++\n\n\
         Dmitry Peskov said on 3 March 2025 that 2 < 3 && 4 > 1 & 'more' was \"due\".\n",
    );
    dossier.build();
    let site = dossier.site();
    let img = Selector::parse("img, b").unwrap();
    for page in [
        "timeline.html",
        "sources/peskov-s-b-bold-b-day.html",
        "entities/dmitry-peskov.html",
    ] {
        let html = site.page(page);
        let events = select_texts(&html, ".event-list > li");
        let event = events
            .iter()
            .find(|e| e.contains("3 March 2025"))
            .unwrap_or_else(|| panic!("{page} lists the dated sentence: {events:#?}"));
        assert!(
            event.contains("that 2 < 3 && 4 > 1 & 'more' was \"due\"."),
            "{page}: {event}"
        );
        assert!(
            event.contains("Peskov's <b>bold</b> \"day\" ¶1"),
            "{page}: {event}"
        );
        assert_eq!(
            html.select(&img).count(),
            0,
            "markup from content in {page}"
        );
    }
}

#[test]
fn a_statement_reprinted_by_a_hundred_sources_is_carried_by_all_of_them() {
    // Each run of three of its words stands in more quotes than a stock
    // phrase may, so only its exact words can join the reprints.
    let dossier = TestDossier::from_fixture("basic");
    let statement = "“We will rebuild the bridge before the winter comes,” the minister said.";
    for n in 0..100 {
        dossier.write(
            &format!("content/sources/reprint-{n:03}.md"),
            &format!(
                "+++\ntitle = \"Reprint {n:03}\"\noutlet = \"Outlet {n:03}\"\ndate = 2025-01-01\n+++\n\n\
                 Story {n} opens with a line of its own, about place {n}.\n\n{statement}\n"
            ),
        );
    }
    dossier.build();
    let site = dossier.site();
    let carriers = select_texts(&site.page("sources/reprint-099.html"), ".quote-sources");
    assert_eq!(carriers.len(), 1, "{carriers:?}");
    assert!(carriers[0].starts_with("In 100 sources"), "{carriers:?}");
    assert!(carriers[0].ends_with("and 88 more"), "{carriers:?}");
    // Listed by speaker, the statement is one quote, not a hundred.
    let speakers = select_texts(&site.page("crossref.html"), ".speaker h3");
    let minister = (speakers.iter())
        .find(|s| s.contains("the minister"))
        .unwrap_or_else(|| panic!("{speakers:?}"));
    assert!(minister.ends_with(" 1 quote"), "{minister}");
    // The index lists the quote's own source, linked, and two others.
    let index_carriers = select_texts(&site.page("crossref.html"), ".speaker .quote-sources");
    let listed = (index_carriers.iter())
        .find(|c| c.starts_with("In 100 sources"))
        .unwrap_or_else(|| panic!("{index_carriers:?}"));
    assert!(listed.contains(": Reprint 000 ¶2 · "), "{listed}");
    assert!(listed.ends_with(" ¶2 · and 97 more"), "{listed}");
    let links = site.links("crossref.html", ".speaker .quote-sources a");
    assert!(
        (links.iter()).any(|(file, fragment)| file == "sources/reprint-000.html"
            && fragment.as_deref() == Some("p2")),
        "{links:?}"
    );

    let export: serde_json::Value =
        serde_json::from_str(&site.read("data/dossier.json")).expect("dossier.json is JSON");
    let reprinted = (export["quotes"].as_array().unwrap().iter())
        .filter(|q| q["text"].as_str().unwrap().starts_with("We will rebuild"))
        .collect::<Vec<_>>();
    assert_eq!(reprinted.len(), 100);
    let group = reprinted[0]["group"].as_u64().unwrap() as usize;
    assert!(reprinted.iter().all(|q| q["group"] == group));
    let sources = export["quote_groups"][group]["sources"].as_array().unwrap();
    assert_eq!(sources.len(), 100);
}
