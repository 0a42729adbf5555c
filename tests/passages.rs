//! Shared passages, corroboration and the network picture, read back from
//! built sites: the wire text the seeds share is found and linked both ways,
//! the source × source matrix counts it, the SVG is well formed and stable,
//! and finding passages stays close to linear on thousands of sources.

use crate::common;

use std::collections::BTreeSet;

use common::{select_texts, BuiltSite, TestDossier};
use dossier::analysis::shingles::paragraph_print;
use dossier::analysis::ParagraphPrint;
use dossier::site::passages::{self, PassageKind, PassageSource};
use scraper::Selector;

const TASS_TALKS: &str = "Russia has always spoken in favour of a political settlement of the \
                          Syrian crisis. We insist that the UN-mediated talks be resumed";
const TASS_BASES: &str = "Russian officials are in touch with representatives of armed Syrian \
                          opposition, whose leaders have guaranteed security of Russian military \
                          bases and diplomatic missions on the Syrian territory";

fn seeds_site() -> (TestDossier, BuiltSite) {
    let dossier = TestDossier::seeds();
    dossier.build();
    let site = dossier.site();
    (dossier, site)
}

/// The source page built from the seed file starting with `code` (`000`).
fn page_of_seed(site: &BuiltSite, code: &str) -> String {
    site.html_files()
        .into_iter()
        .filter(|f| f.starts_with("sources/"))
        .find(|page| {
            let files = select_texts(&site.page(page), ".source-meta code");
            files
                .first()
                .is_some_and(|f| f.rsplit('/').next().unwrap().starts_with(code))
        })
        .unwrap_or_else(|| panic!("no page for seed {code}"))
}

/// The seed code (`000`) of the source page at `href` (site-relative).
fn seed_code(site: &BuiltSite, href: &str) -> String {
    let files = select_texts(&site.page(href), ".source-meta code");
    files[0].rsplit('/').next().unwrap()[..3].to_owned()
}

/// The text of the element with `id` on `page`.
fn text_of_id(site: &BuiltSite, page: &str, id: &str) -> String {
    let html = site.page(page);
    let selector = Selector::parse(&format!("[id=\"{id}\"]")).unwrap();
    let element = html.select(&selector).next();
    let element = element.unwrap_or_else(|| panic!("no #{id} on {page}"));
    element.text().collect()
}

#[test]
fn the_tass_passages_are_shared_by_the_first_two_seeds_and_linked_both_ways() {
    let (_dossier, site) = seeds_site();
    let first = page_of_seed(&site, "000");
    let second = page_of_seed(&site, "001");
    let html = site.page(&first);
    let passages = select_texts(&html, ".shared-passages .shared-text");
    for expected in [TASS_TALKS, TASS_BASES] {
        assert!(passages.iter().any(|p| p == expected), "{passages:#?}");
    }
    // Each link to the other source lands on a paragraph holding the text.
    let links: Vec<_> = site
        .links(&first, ".shared-passages .shared-elsewhere a")
        .into_iter()
        .filter(|(file, _)| file == &second)
        .collect();
    assert_eq!(links.len(), 2, "{links:?}");
    for (file, fragment) in &links {
        let paragraph = text_of_id(&site, file, fragment.as_deref().unwrap());
        assert!(
            paragraph.contains(TASS_TALKS) || paragraph.contains(TASS_BASES),
            "{paragraph}"
        );
    }
    // And back.
    let back = site.links(&second, ".shared-passages .shared-elsewhere a");
    let fragments: BTreeSet<_> = back.iter().map(|(_, f)| f.clone().unwrap()).collect();
    assert_eq!(
        fragments,
        BTreeSet::from(["p4".to_owned(), "p5".to_owned()])
    );
}

#[test]
fn shared_text_is_highlighted_in_the_paragraph_with_a_link_to_its_entry() {
    let (_dossier, site) = seeds_site();
    let first = page_of_seed(&site, "000");
    let html = site.page(&first);
    let marks = Selector::parse("#p4 mark.shared").unwrap();
    let marked: String = html.select(&marks).flat_map(|m| m.text()).collect();
    assert_eq!(marked, TASS_TALKS);
    let refs = site.links(&first, "#p4 a.shared-ref");
    assert_eq!(refs.len(), 1);
    let entry = text_of_id(&site, &first, refs[0].1.as_deref().unwrap());
    assert!(entry.contains(TASS_TALKS));
    // Paragraphs sharing nothing are left alone.
    assert!(select_texts(&html, "#p2 mark.shared").is_empty());
}

#[test]
fn reworded_wire_text_is_found_as_a_near_passage() {
    let (_dossier, site) = seeds_site();
    // Interfax's and TASS's versions of the Kremlin source's words.
    let page = page_of_seed(&site, "004");
    let html = site.page(&page);
    let entries = select_texts(&html, ".shared-passage");
    let entry = entries
        .iter()
        .find(|e| {
            e.contains(
                "Russia has granted them (him and his family) asylum on humanitarian grounds",
            )
        })
        .unwrap_or_else(|| panic!("{entries:#?}"));
    assert!(entry.contains("Nearly verbatim"), "{entry}");
    let links = site.links(&page, ".shared-elsewhere a");
    assert_eq!(links.len(), 1);
    assert_eq!(links[0].0, page_of_seed(&site, "002"));
    let paragraph = text_of_id(&site, &links[0].0, links[0].1.as_deref().unwrap());
    assert!(paragraph.contains("Russia granted them asylum on humanitarian grounds"));
}

#[test]
fn the_source_matrix_counts_the_passages_each_pair_of_seeds_shares() {
    let (_dossier, site) = seeds_site();
    let crossref = site.page("crossref.html");
    let row = Selector::parse(".shared-matrix tbody tr").unwrap();
    let cell = Selector::parse("td").unwrap();
    let head = Selector::parse("th a").unwrap();
    let mut nonzero = Vec::new();
    for tr in crossref.select(&row) {
        let source = tr
            .select(&head)
            .next()
            .unwrap()
            .value()
            .attr("href")
            .unwrap();
        for (column, td) in tr.select(&cell).enumerate() {
            let text = td.text().collect::<String>();
            if let Ok(count) = text.trim().parse::<usize>() {
                nonzero.push((source.to_owned(), column, count));
            }
        }
    }
    // Columns follow the rows' order; read each cell as (row seed, column
    // seed, count).
    let seeds: Vec<String> = crossref
        .select(&row)
        .map(|tr| {
            let href = tr
                .select(&head)
                .next()
                .unwrap()
                .value()
                .attr("href")
                .unwrap();
            seed_code(&site, href)
        })
        .collect();
    let mut cells: Vec<(String, String, usize)> = nonzero
        .iter()
        .map(|(page, column, count)| (seed_code(&site, page), seeds[*column].clone(), *count))
        .collect();
    cells.sort();
    let expected = [
        ("000", "001", 2),
        ("000", "002", 1),
        ("000", "003", 1),
        ("001", "000", 2),
        ("002", "000", 1),
        ("002", "004", 1),
        ("003", "000", 1),
        ("004", "002", 1),
    ];
    let expected: Vec<(String, String, usize)> = expected
        .iter()
        .map(|&(a, b, n)| (a.to_owned(), b.to_owned(), n))
        .collect();
    assert_eq!(cells, expected);
    let listed = select_texts(&crossref, "#shared-passages + ol .shared-text");
    assert_eq!(listed.len(), 5, "{listed:?}");
    assert!(listed.contains(&TASS_TALKS.to_owned()));
    assert!(site.broken_links().is_empty(), "{:#?}", site.broken_links());
}

#[test]
fn reprinted_wire_text_counts_once_beside_co_occurrences() {
    let (_dossier, site) = seeds_site();
    // The first two seeds share TASS copy: of the four sources naming both
    // TASS and the Kremlin, three are independent.
    let html = site.page("entities/tass.html");
    let row = Selector::parse(".cooccurrence tbody tr").unwrap();
    let kremlin = html
        .select(&row)
        .find(|tr| tr.text().collect::<String>().contains("Kremlin"))
        .expect("TASS is named alongside the Kremlin");
    let cells: Vec<String> = kremlin
        .select(&Selector::parse("td").unwrap())
        .map(|td| td.text().collect::<String>().trim().to_owned())
        .collect();
    assert_eq!(cells[1], "4", "{cells:?}");
    assert_eq!(cells[3], "3", "{cells:?}");
    assert!(cells[4].contains("2024-12-09"), "{cells:?}");
}

#[test]
fn an_entity_page_names_the_most_frequent_companions_and_counts_the_rest() {
    let dossier = TestDossier::from_fixture("basic");
    // Thirty people, each named beside Vienna: person `k` in `k` sources,
    // so who comes first is plain.
    for k in 1..=30 {
        dossier.write(
            &format!("content/entities/person-{k:02}.md"),
            &format!("+++\nname = \"Person Number{k:02}\"\nkind = \"person\"\n+++\n"),
        );
    }
    for source in 1..=30 {
        let names: Vec<String> = (source..=30)
            .map(|k| format!("Person Number{k:02}"))
            .collect();
        dossier.write(
            &format!("content/sources/meeting-{source:02}.md"),
            &format!(
                "+++\ntitle = \"Meeting {source}\"\ndate = 2025-01-{:02}\n+++\n\n{} met in Vienna.\n",
                source % 28 + 1,
                names.join(", ")
            ),
        );
    }
    dossier.build();
    let site = dossier.site();
    let html = site.page("entities/vienna.html");
    let named = select_texts(&html, ".cooccurrence tbody tr td:first-child a");
    assert_eq!(named.len(), 25, "{named:?}");
    assert_eq!(named[0], "Person Number30");
    assert_eq!(named[24], "Person Number06");
    // Every pair is still in the exports; the page counts those it leaves out.
    let export: serde_json::Value = serde_json::from_str(&site.read("data/dossier.json")).unwrap();
    let with_vienna = export["cooccurrences"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|pair| {
            pair["entities"]
                .as_array()
                .unwrap()
                .contains(&"vienna".into())
        })
        .count();
    assert!(with_vienna >= 30, "{with_vienna}");
    let more = select_texts(&html, ".cooccurring .more");
    assert_eq!(
        more,
        [format!(
            "And {} more, each named alongside Vienna in 5 sources or fewer.",
            with_vienna - 25
        )]
    );
    assert!(site.broken_links().is_empty(), "{:#?}", site.broken_links());
}

/// Every inline SVG of a page, as text.
fn svgs(site: &BuiltSite, page: &str) -> Vec<String> {
    let text = site.read(page);
    text.match_indices("<svg")
        .map(|(start, _)| {
            let end = text[start..].find("</svg>").unwrap() + start + "</svg>".len();
            text[start..end].to_owned()
        })
        .collect()
}

#[test]
fn the_network_is_well_formed_svg_with_one_link_per_node() {
    let (_dossier, site) = seeds_site();
    for page in ["crossref.html", "entities/bashar-al-assad.html"] {
        let drawings = svgs(&site, page);
        assert_eq!(drawings.len(), 1, "{page}");
        let document = roxmltree::Document::parse(&drawings[0])
            .unwrap_or_else(|e| panic!("{page}: the SVG is not well formed: {e}"));
        let named = |name: &str| {
            document
                .descendants()
                .filter(|n| n.tag_name().name() == name)
                .count()
        };
        let nodes = named("circle");
        assert!(nodes >= 5, "{page}: {nodes} nodes");
        assert!(nodes <= 40, "{page}: {nodes} nodes");
        assert_eq!(named("a"), nodes, "{page}");
        let links = site.links(page, "svg a");
        assert_eq!(links.len(), nodes);
        let targets: BTreeSet<_> = links.iter().map(|(file, _)| file.clone()).collect();
        assert_eq!(targets.len(), nodes, "{page}: a node per entity");
        assert!(targets.iter().all(|t| t.starts_with("entities/")));
    }
    assert!(site.broken_links().is_empty(), "{:#?}", site.broken_links());
}

#[test]
fn the_network_is_drawn_the_same_in_two_builds() {
    let (dossier, first) = seeds_site();
    let before = first.snapshot();
    dossier.build();
    let after = dossier.site().snapshot();
    assert_eq!(before["crossref.html"], after["crossref.html"]);
    assert_eq!(
        before["entities/bashar-al-assad.html"],
        after["entities/bashar-al-assad.html"]
    );
}

#[test]
fn labels_in_the_network_are_escaped() {
    let dossier = TestDossier::from_fixture("basic");
    dossier.write(
        "content/entities/odd.md",
        "+++\nname = \"<b>Odd</b> & Co\"\nkind = \"organization\"\naliases = [\"Kremlin aides\"]\n+++\n",
    );
    dossier.write(
        "content/sources/odd.md",
        "+++\ntitle = \"Odd\"\n+++\nDmitry Peskov and Kremlin aides met in Vienna.\n",
    );
    dossier.build();
    let site = dossier.site();
    let drawing = svgs(&site, "crossref.html").concat();
    assert!(
        drawing.contains("&lt;b&gt;Odd&lt;/b&gt; &amp; Co"),
        "{drawing}"
    );
    assert!(!drawing.contains("<b>"));
}

/// A deterministic stream of made-up words, so the corpus is the same on
/// every run.
struct Words {
    state: u64,
}

impl Words {
    fn next(&mut self) -> String {
        self.state = self
            .state
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        let n = (self.state >> 33) % 5000;
        let syllables = [
            "ka", "lo", "mi", "ter", "sun", "va", "de", "ri", "pol", "an",
        ];
        let mut word = String::new();
        let mut rest = n;
        for _ in 0..3 {
            word.push_str(syllables[(rest % 10) as usize]);
            rest /= 10;
        }
        word.push_str(&(rest % 5).to_string());
        word
    }

    fn paragraph(&mut self, words: usize) -> String {
        (0..words)
            .map(|_| self.next())
            .collect::<Vec<_>>()
            .join(" ")
            + "."
    }
}

fn find_in(texts: &[Vec<String>]) -> passages::Passages {
    let prints: Vec<Vec<ParagraphPrint>> = texts
        .iter()
        .map(|ps| ps.iter().map(|p| paragraph_print(p)).collect())
        .collect();
    let inputs: Vec<PassageSource<'_>> = (0..texts.len())
        .map(|s| PassageSource {
            outlet: None,
            rank: s,
            texts: texts[s].iter().map(String::as_str).collect(),
            prints: &prints[s],
        })
        .collect();
    passages::find(&inputs, &dossier::cache::AlignmentMemo::disabled())
}

#[test]
fn thousands_of_sources_are_compared_without_quadratic_blow_up() {
    const SOURCES: usize = 2000;
    const PARAGRAPHS: usize = 8;
    let mut words = Words { state: 7 };
    let wires: Vec<String> = (0..4).map(|_| words.paragraph(30)).collect();
    let mut texts: Vec<Vec<String>> = (0..SOURCES)
        .map(|_| (0..PARAGRAPHS).map(|_| words.paragraph(40)).collect())
        .collect();
    // Wire story w is reprinted by every 100th source from w: 20 sources each.
    let mut expected: Vec<Vec<usize>> = vec![Vec::new(); wires.len()];
    for (w, wire) in wires.iter().enumerate() {
        for source in (w..SOURCES).step_by(100) {
            let own = &texts[source][3];
            texts[source][3] = format!("{own} {wire}");
            expected[w].push(source);
        }
    }
    let found = find_in(&texts);

    let mut sources: Vec<Vec<usize>> = found.passages.iter().map(|p| p.sources()).collect();
    sources.sort();
    expected.sort();
    assert_eq!(sources, expected);
    assert!(found
        .passages
        .iter()
        .all(|p| p.kind == PassageKind::Verbatim));
    // 4 stories × 20 sources: at most 4 × 190 pairs carry wire text; chance
    // collisions of made-up words may add a few, never the millions of pairs
    // a comparison of every source with every other would take.
    let wire_pairs = 4 * 20 * 19 / 2;
    assert!(
        found.stats.candidate_pairs <= wire_pairs + 200,
        "{:?}",
        found.stats
    );
    assert_eq!(found.stats.matched_pairs, wire_pairs);
    assert_eq!(found.stats.paragraphs, SOURCES * PARAGRAPHS);
}

#[test]
fn a_story_reprinted_hundreds_of_times_costs_one_comparison_per_reprint() {
    let mut words = Words { state: 11 };
    let wire = words.paragraph(30);
    // 300 of 2,000 sources: too few to be boilerplate of the whole dossier.
    let texts: Vec<Vec<String>> = (0..2000)
        .map(|s| {
            let second = if s % 20 < 3 {
                wire.clone()
            } else {
                words.paragraph(30)
            };
            vec![words.paragraph(20), second]
        })
        .collect();
    let found = find_in(&texts);
    assert_eq!(found.passages.len(), 1);
    assert_eq!(found.passages[0].sources().len(), 300);
    // Linked to the first reprint only, not 300 × 299 / 2 = 44,850 pairs.
    assert!(found.stats.candidate_pairs < 600, "{:?}", found.stats);
}

#[test]
fn a_markdown_source_and_a_clipping_sharing_wire_text_are_linked() {
    let dossier = TestDossier::from_fixture("basic");
    let wire = "Moscow has called for the resumption of UN-led negotiations to resolve \
                the crisis, the agency reported on Monday";
    dossier.write(
        "content/sources/md-copy.md",
        &format!(
            "+++\ntitle = \"Copy\"\ndate = 2025-03-05\n+++\n\nAs *Reuters* wrote: {wire}, citing sources.\n"
        ),
    );
    dossier.write(
        "content/sources/txt-copy.txt",
        &format!("Wire copy\nPublished: 4 March 2025\n{wire}.\n"),
    );
    dossier.build();
    let site = dossier.site();
    for page in ["sources/copy.html", "sources/wire-copy.html"] {
        let html = site.page(page);
        let marks = Selector::parse("mark.shared").unwrap();
        let marked: String = html.select(&marks).flat_map(|m| m.text()).collect();
        assert!(marked.contains("UN-led negotiations"), "{page}: {marked}");
        let links = site.links(page, ".shared-elsewhere a");
        assert_eq!(links.len(), 1, "{page}");
    }
    // The earliest source is marked as first on the other's page.
    let first = select_texts(
        &site.page("sources/copy.html"),
        ".shared-elsewhere .first-badge",
    );
    assert_eq!(first, ["first"]);
    assert!(site.broken_links().is_empty(), "{:#?}", site.broken_links());
}

#[test]
fn an_outlets_footer_is_boilerplate_while_its_wire_copy_is_shared() {
    let dossier = TestDossier::from_fixture("basic");
    let footer = "Subscribe to the Daily Courier newsletter for the latest headlines \
                  from the region, delivered every morning";
    let wire = "The ministry said the convoy had crossed the border at dawn and would \
                reach the capital before nightfall";
    let stories = [
        "The council voted on the budget after a long debate on Tuesday evening.",
        "Floods closed three roads in the north of the province overnight.",
        "A new museum of maritime history opened its doors to visitors.",
    ];
    // Three stories of one outlet (known by its web address) end with the
    // same footer; the first also carries wire copy another outlet prints.
    for (n, story) in stories.iter().enumerate() {
        let copy = if n == 0 { wire } else { "" };
        dossier.write(
            &format!("content/sources/courier-{n}.md"),
            &format!(
                "+++\ntitle = \"Courier {n}\"\nurl = \"https://www.courier.example/{n}\"\n+++\n\n{story} {copy}\n\n{footer}.\n\nRelated Stories:\n"
            ),
        );
    }
    dossier.write(
        "content/sources/gazette.md",
        &format!("+++\ntitle = \"Gazette\"\noutlet = \"Gazette\"\n+++\n\n{wire}.\n"),
    );
    dossier.build();
    let site = dossier.site();
    let crossref = site.page("crossref.html");
    let passages = select_texts(&crossref, "#shared-passages + ol .shared-text");
    assert!(
        passages
            .iter()
            .any(|p| p.starts_with("ministry said the convoy")),
        "{passages:?}"
    );
    assert!(
        !passages.iter().any(|p| p.contains("newsletter")),
        "{passages:?}"
    );
    let left_out = site.links("crossref.html", "details.boilerplate a");
    let footers: Vec<_> = left_out
        .iter()
        .filter(|(_, f)| f.as_deref() == Some("p2"))
        .collect();
    assert_eq!(footers.len(), 3, "{left_out:?}");
    let page = site.page("sources/courier-0.html");
    assert!(select_texts(&page, "#p2 mark.shared").is_empty());
    assert_eq!(select_texts(&page, "#p2 .boilerplate-tag"), ["boilerplate"]);
    assert!(select_texts(&page, "#p1 .boilerplate-tag").is_empty());
}

#[test]
fn shared_text_with_markup_stays_text() {
    let dossier = TestDossier::from_fixture("basic");
    let wire = "<script>alert(1)</script> officials said the convoy had crossed the border \
                at dawn & would reach the capital";
    dossier.write("content/sources/one.txt", &format!("One\n{wire}.\n"));
    dossier.write(
        "content/sources/two.txt",
        &format!("Two\nThey wrote: {wire}.\n"),
    );
    dossier.build();
    let site = dossier.site();
    for page in ["sources/one.html", "sources/two.html", "crossref.html"] {
        let text = site.read(page);
        assert!(!text.contains("<script>alert"), "{page}");
        assert!(text.contains("alert(1)"), "{page}");
    }
    let html = site.page("sources/two.html");
    let marks = Selector::parse("mark.shared").unwrap();
    let marked: String = html.select(&marks).flat_map(|m| m.text()).collect();
    assert!(marked.contains("at dawn & would"), "{marked}");
}

#[test]
fn the_source_matrix_stays_small_when_many_sources_share_text() {
    let dossier = TestDossier::from_fixture("basic");
    // Fifteen pairs of sources, each pair sharing a wire paragraph of its own.
    let places = [
        "Aleppo", "Homs", "Hama", "Idlib", "Daraa", "Tartus", "Latakia", "Raqqa", "Deir",
        "Qamishli", "Palmyra", "Douma", "Manbij", "Kobani", "Jableh",
    ];
    for (pair, place) in places.iter().enumerate() {
        // Words of its own, so no two pairs share a phrase.
        let wire: Vec<String> = (1..=20).map(|k| format!("{place}{k}")).collect();
        let wire = wire.join(" ");
        for side in 0..2 {
            dossier.write(
                &format!("content/sources/pair-{pair:02}-{side}.txt"),
                &format!("Report {pair} {side}\nLocal desk {pair} {side} opens.\n{wire}.\n"),
            );
        }
    }
    dossier.build();
    let site = dossier.site();
    let page = site.page("crossref.html");
    let rows = select_texts(&page, ".shared-matrix tbody tr");
    assert_eq!(rows.len(), 24, "the 24 sources sharing most, of 30");
    let notes = select_texts(&page, ".shared-section > p");
    assert!(
        notes.iter().any(|n| n.contains("6 more share some")),
        "{notes:?}"
    );
}

/// A wire paragraph longer than a footer.
const CONVOY: &str = "Officials said the convoy of forty trucks carrying flour and medicine \
    crossed the northern border at dawn and would reach the besieged capital before the \
    curfew on Friday evening, according to a statement from the relief agency";

#[test]
fn wire_copy_reprinted_by_many_sources_is_shown_not_hidden_as_boilerplate() {
    let dossier = TestDossier::from_fixture("basic");
    let wire = CONVOY;
    for n in 0..12 {
        dossier.write(
            &format!("content/sources/reprint-{n:02}.txt"),
            &format!("Reprint {n}\nLocal desk {n} adds its own opening line here.\n{wire}.\n"),
        );
    }
    dossier.build();
    let site = dossier.site();
    let page = site.page("crossref.html");
    let passages = select_texts(&page, ".shared-list .shared-text");
    assert!(
        passages
            .iter()
            .any(|p| p.contains("convoy of forty trucks")),
        "{passages:?}"
    );
    let reprint = site.page("sources/reprint-0.html");
    assert!(select_texts(&reprint, ".boilerplate-tag").is_empty());
}

#[test]
fn wire_copy_an_outlet_runs_three_times_is_shown_and_its_footer_hidden() {
    let dossier = TestDossier::from_fixture("basic");
    let wire = CONVOY;
    let footer = "Subscribe to the Morning Ledger for the latest headlines from the region";
    let openings = [
        "The council voted on the budget after a long debate on Tuesday evening.",
        "Floods closed three roads in the north of the province overnight.",
        "A new museum of maritime history opened its doors to visitors.",
        "Teachers marched through the old town to demand higher wages.",
        "The harbour authority ordered an inquiry into the collapsed crane.",
        "Farmers warned that the late frost had ruined half of the apricots.",
        "A cyclist set a record on the mountain pass at dawn yesterday.",
        "The opera house postponed its season because of a leaking roof.",
        "Doctors at the regional hospital reported a rise in measles cases.",
        "The mayor unveiled plans for a tram line to the airport.",
        "Volunteers cleared plastic from the beaches along the southern coast.",
        "The central bank kept its rate unchanged for the third month.",
    ];
    // Four outlets, each running the wire story three times; one adds its
    // footer to each of its three.
    for (n, opening) in openings.iter().enumerate() {
        let outlet = [
            "Morning Ledger",
            "Evening Star",
            "Coastal Post",
            "Daily Courier",
        ][n % 4];
        let tail = match n % 4 {
            0 => format!("\n\n{footer}."),
            _ => String::new(),
        };
        dossier.write(
            &format!("content/sources/story-{n:02}.md"),
            &format!(
                "+++\ntitle = \"Story {n:02}\"\noutlet = \"{outlet}\"\ndate = 2025-03-{:02}\n+++\n\n{opening}\n\n{wire}.{tail}\n",
                n + 1
            ),
        );
    }
    dossier.build();
    let site = dossier.site();
    let passages = select_texts(&site.page("crossref.html"), ".shared-list .shared-text");
    assert!(
        (passages.iter()).any(|p| p.contains("convoy of forty trucks")),
        "{passages:?}"
    );
    for n in 0..12 {
        let page = site.page(&format!("sources/story-{n:02}.html"));
        let shared = select_texts(&page, "mark.shared").concat();
        assert!(shared.contains("besieged capital"), "story {n}: {shared:?}");
        let boilerplate = select_texts(&page, ".boilerplate-tag");
        assert_eq!(boilerplate.len(), usize::from(n % 4 == 0), "story {n}");
    }
}

#[test]
fn a_quote_in_a_boilerplate_paragraph_is_marked_on_its_own_words() {
    let dossier = TestDossier::from_fixture("basic");
    let footer = "“We read every letter,” the editor said. Subscribe to the Daily Courier \
                  newsletter for the latest headlines from the region";
    let stories = [
        "The council voted on the budget after a long debate on Tuesday evening.",
        "Floods closed three roads in the north of the province overnight.",
        "A new museum of maritime history opened its doors to visitors.",
    ];
    for (n, story) in stories.iter().enumerate() {
        dossier.write(
            &format!("content/sources/courier-{n}.md"),
            &format!(
                "+++\ntitle = \"Courier {n}\"\nurl = \"https://www.courier.example/{n}\"\n+++\n\n{story}\n\n{footer}.\n"
            ),
        );
    }
    dossier.build();
    let page = dossier.site().page("sources/courier-0.html");
    assert_eq!(select_texts(&page, "#p2 .boilerplate-tag"), ["boilerplate"]);
    assert_eq!(
        select_texts(&page, "#p2 span.quote"),
        ["“We read every letter,”"]
    );
}

#[test]
fn passages_beyond_those_the_index_lists_are_not_linked_to_it() {
    let dossier = TestDossier::from_fixture("basic");
    // 110 paragraphs of made-up words, each printed by both sources: more
    // shared passages than the index lists.
    let mut seed = 7u64;
    let mut word = || {
        seed = seed
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        let syllables = ["ka", "lo", "mi", "nu", "pe", "ra", "si", "to", "ve", "zo"];
        let n = (seed >> 33) as usize;
        format!(
            "{}{}{}",
            syllables[n % 10],
            syllables[n / 10 % 10],
            syllables[n / 100 % 10]
        )
    };
    let paragraphs: Vec<String> = (0..110)
        .map(|_| {
            let sentence: Vec<String> = (0..16).map(|_| word()).collect();
            format!("{}.", sentence.join(" "))
        })
        .collect();
    for name in ["a", "b"] {
        dossier.write(
            &format!("content/sources/{name}.txt"),
            &format!("Wire copy {name}\n{}\n", paragraphs.join("\n")),
        );
    }
    dossier.build();
    let site = dossier.site();
    let page = site.page("sources/wire-copy-a.html");
    let listed = select_texts(&page, ".shared-head a[href^='../crossref.html']");
    let all = select_texts(&page, ".shared-head");
    assert!(all.len() > 100, "{} passages", all.len());
    assert_eq!(listed.len(), 100, "{listed:?}");
    assert!(site.broken_links().is_empty(), "{:#?}", site.broken_links());
}

#[test]
fn wire_copy_in_many_sources_lists_the_earliest_on_each_page() {
    let dossier = TestDossier::from_fixture("basic");
    let wire = "“We will rebuild the bridge before the winter comes,” the minister said in \
                a statement to reporters on Monday evening after the talks in the capital \
                had ended without agreement";
    for n in 0..20 {
        dossier.write(
            &format!("content/sources/reprint-{n:02}.md"),
            &format!(
                "+++\ntitle = \"Reprint {n:02}\"\noutlet = \"Outlet {n:02}\"\ndate = 2025-01-{:02}\n+++\n\n\
                 Story number {n} opens with a line of its own.\n\n{wire}.\n",
                n + 1
            ),
        );
    }
    dossier.build();
    let site = dossier.site();
    let last = site.page("sources/reprint-19.html");
    // The twelve earliest of the nineteen others, then how many more.
    let elsewhere = select_texts(&last, ".shared-elsewhere li");
    assert_eq!(elsewhere.len(), 13, "{elsewhere:?}");
    assert!(elsewhere[0].starts_with("Reprint 00"), "{elsewhere:?}");
    assert!(elsewhere[0].contains("first"), "{elsewhere:?}");
    assert_eq!(elsewhere[12], "and 7 more");
    let carriers = select_texts(&last, ".quote-sources");
    assert_eq!(carriers.len(), 1, "{carriers:?}");
    assert!(carriers[0].starts_with("In 20 sources"), "{carriers:?}");
    assert!(carriers[0].contains("Reprint 19 ¶2"), "{carriers:?}");
    assert!(carriers[0].ends_with("and 8 more"), "{carriers:?}");
    assert!(!carriers[0].contains("Reprint 18"), "{carriers:?}");
    let crossref = site.page("crossref.html");
    let places = select_texts(&crossref, "#shared-passages + ol .shared-elsewhere li");
    assert_eq!(places.len(), 13, "{places:?}");
    assert!(site.broken_links().is_empty(), "{:#?}", site.broken_links());
}
