//! The machine-readable export: `data/dossier.json`, `data/mentions.csv` and
//! the FollowTheMoney lines agree with each other and with the pages.

use crate::common;

use std::collections::BTreeSet;

use common::TestDossier;
use serde_json::Value;

fn seeds_export() -> (TestDossier, Value) {
    let dossier = TestDossier::seeds();
    dossier.build();
    let json = dossier.site().read("data/dossier.json");
    let value = serde_json::from_str(&json).expect("dossier.json is JSON");
    (dossier, value)
}

#[test]
fn dossier_json_has_the_documented_top_level_fields() {
    let (_dossier, export) = seeds_export();
    assert_eq!(export["version"], 3);
    assert_eq!(export["sources"].as_array().unwrap().len(), 5);
    let first = &export["sources"][0];
    assert_eq!(first["path"], "content/sources/000_27799a9e89bbcff3.txt");
    assert_eq!(first["date"], "2024-12-09");
    assert_eq!(first["date_inferred"], true);
    let peskov = export["entities"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["id"] == "dmitry-peskov")
        .expect("Peskov is exported");
    assert_eq!(peskov["kind"], "person");
    assert_eq!(peskov["aliases"][0], "Peskov");
}

#[test]
fn every_mention_points_at_its_words() {
    let (_dossier, export) = seeds_export();
    let sources = export["sources"].as_array().unwrap();
    let mentions = export["mentions"].as_array().unwrap();
    assert!(mentions.len() > 100);
    for mention in mentions {
        let source = sources
            .iter()
            .find(|s| s["id"] == mention["source"])
            .unwrap();
        let paragraph = mention["paragraph"].as_u64().unwrap() as usize;
        let text = source["paragraphs"][paragraph - 1]["text"]
            .as_str()
            .unwrap();
        let (start, end) = (
            mention["start"].as_u64().unwrap() as usize,
            mention["end"].as_u64().unwrap() as usize,
        );
        assert_eq!(&text[start..end], mention["text"].as_str().unwrap());
    }
}

#[test]
fn mentions_csv_has_a_row_per_mention() {
    let (dossier, export) = seeds_export();
    let csv = dossier.site().read("data/mentions.csv");
    let mut lines = csv.lines();
    assert_eq!(lines.next(), Some("source,entity,paragraph,start,end,text"));
    assert_eq!(lines.count(), export["mentions"].as_array().unwrap().len());
}

#[test]
fn mentions_csv_cells_never_start_a_spreadsheet_formula() {
    let dossier = TestDossier::from_fixture("basic");
    dossier.write(
        "content/entities/cells.md",
        "+++\nname = \"Spreadsheet cells\"\nkind = \"other\"\n\
         aliases = ['=HYPERLINK(\"http://evil.example\",\"x\")', \"@SUM(A1)\", \"+cmd\"]\n+++\n",
    );
    dossier.write(
        "content/sources/formulas.txt",
        "Formulas in a clipping\n\
         Cells =HYPERLINK(\"http://evil.example\",\"x\") and @SUM(A1), then +cmd.\n",
    );
    dossier.build();
    let csv = dossier.site().read("data/mentions.csv");
    let rows: Vec<&str> = csv
        .lines()
        .filter(|row| row.starts_with("formulas-in-a-clipping,cells,"))
        .collect();
    assert_eq!(
        rows,
        [
            r#"formulas-in-a-clipping,cells,2,6,43,"'=HYPERLINK(""http://evil.example"",""x"")""#,
            "formulas-in-a-clipping,cells,2,48,56,'@SUM(A1)",
            "formulas-in-a-clipping,cells,2,63,67,'+cmd",
        ]
    );
    // dossier.json is read as data, not by spreadsheets: it keeps the words.
    let json = dossier.site().read("data/dossier.json");
    assert!(json.contains(r#""text":"@SUM(A1)""#), "{json}");
}

#[test]
fn followthemoney_lines_reference_known_entities() {
    let (dossier, _export) = seeds_export();
    let text = dossier.site().read("data/followthemoney.json");
    let entities: Vec<Value> = text
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let ids: BTreeSet<&str> = entities.iter().map(|e| e["id"].as_str().unwrap()).collect();
    assert_eq!(ids.len(), entities.len(), "ids are unique");
    let articles = entities.iter().filter(|e| e["schema"] == "Article").count();
    assert_eq!(articles, 5);
    let mentions: Vec<&Value> = entities
        .iter()
        .filter(|e| e["schema"] == "Mention")
        .collect();
    assert!(!mentions.is_empty());
    for mention in mentions {
        for key in ["document", "resolved"] {
            let target = mention["properties"][key][0].as_str().unwrap();
            assert!(ids.contains(target), "{key} {target} is exported");
        }
    }
    assert!(entities
        .iter()
        .any(|e| e["schema"] == "Person" && e["properties"]["name"][0] == "Dmitry Peskov"));
}

#[test]
fn quotes_carry_their_speaker_and_the_sources_repeating_them() {
    let (_dossier, export) = seeds_export();
    let quotes = export["quotes"].as_array().unwrap();
    let jolani = quotes
        .iter()
        .find(|q| {
            q["text"]
                .as_str()
                .unwrap()
                .starts_with("This victory, my brothers")
        })
        .expect("Jolani's quote is exported");
    assert_eq!(jolani["speaker"], "abu-mohammed-al-jolani");
    let tass = quotes
        .iter()
        .find(|q| {
            q["text"]
                .as_str()
                .unwrap()
                .starts_with("Russia has always spoken")
        })
        .expect("the TASS quote is exported");
    assert_eq!(tass["speaker"], Value::Null, "the source is unnamed");
    assert_eq!(tass["channel"], "tass");
    let group = &export["quote_groups"][tass["group"].as_u64().unwrap() as usize];
    let carrying = group["sources"].as_array().unwrap();
    assert_eq!(carrying.len(), 2);
    assert!(carrying.contains(&tass["source"]));
    assert_eq!(
        group["independent_sources"], 1,
        "000 and 001 reprint the same TASS wire text"
    );
    assert_eq!(group["first_source"], carrying[0]);
    let groups = export["quote_groups"].as_array().unwrap();
    for quote in quotes {
        let group = &groups[quote["group"].as_u64().unwrap() as usize];
        assert!(
            group["sources"]
                .as_array()
                .unwrap()
                .contains(&quote["source"]),
            "each quote's group lists its source: {quote}"
        );
    }
}

#[test]
fn cooccurrences_count_independent_sources() {
    let (_dossier, export) = seeds_export();
    let pairs = export["cooccurrences"].as_array().unwrap();
    let pair = pairs
        .iter()
        .find(|p| p["entities"][0] == "bashar-al-assad" && p["entities"][1] == "syria")
        .expect("Assad and Syria are named together");
    assert_eq!(pair["sources"], 5);
    let independent = pair["independent_sources"].as_u64().unwrap();
    assert!(
        (1..5).contains(&independent),
        "reprints count once: {independent}"
    );
}

#[test]
fn events_are_dated_sentences_with_their_sources() {
    let (_dossier, export) = seeds_export();
    let events = export["events"].as_array().unwrap();
    let sunday = events
        .iter()
        .find(|e| e["date"] == "2024-12-08" && e["text"].as_str().unwrap().contains("on Sunday"))
        .expect("000's `on Sunday` is 8 December 2024");
    assert_eq!(sunday["confidence"], "inferred");
    // The sources reporting on a day are given once, with the day.
    let days = export["days"].as_array().unwrap();
    let day = days
        .iter()
        .find(|d| d["date"] == "2024-12-08" && d["precision"] == "day")
        .expect("8 December 2024 is a day of the timeline");
    let sources = day["sources"].as_array().unwrap();
    assert!(sources.contains(&sunday["source"]), "{sources:?}");
    assert!(
        sources.len() >= 2,
        "three seeds report on that Sunday: {sources:?}"
    );
}

#[test]
fn shared_passages_point_at_their_words_in_each_source() {
    let (_dossier, export) = seeds_export();
    let sources = export["sources"].as_array().unwrap();
    let paragraph_text = |source: &str, number: u64| -> String {
        let source = (sources.iter())
            .find(|s| s["id"] == source)
            .expect("an exported source");
        let paragraph = (source["paragraphs"].as_array().unwrap().iter())
            .find(|p| p["number"] == number)
            .expect("an exported paragraph");
        paragraph["text"].as_str().unwrap().to_owned()
    };
    let passages = export["shared_passages"].as_array().unwrap();
    assert_eq!(passages.len(), 5, "the seeds' passages");
    for passage in passages {
        let occurrences = passage["occurrences"].as_array().unwrap();
        let carrying: BTreeSet<&str> = (occurrences.iter())
            .map(|o| o["source"].as_str().unwrap())
            .collect();
        assert!(carrying.len() >= 2, "{passage}");
        let listed: BTreeSet<&str> = (passage["sources"].as_array().unwrap().iter())
            .map(|s| s.as_str().unwrap())
            .collect();
        assert_eq!(carrying, listed);
        let words_of = |o: &Value| {
            let text = paragraph_text(
                o["source"].as_str().unwrap(),
                o["paragraph"].as_u64().unwrap(),
            );
            let (start, end) = (o["start"].as_u64().unwrap(), o["end"].as_u64().unwrap());
            text[start as usize..end as usize].to_owned()
        };
        for o in occurrences {
            if passage["kind"] == "verbatim" {
                assert_eq!(words_of(o), passage["text"].as_str().unwrap(), "{o}");
            }
        }
        // The text is the earliest source's wording.
        assert!((occurrences.iter())
            .filter(|o| o["source"] == passage["first_source"])
            .any(|o| words_of(o) == passage["text"].as_str().unwrap()));
    }
    // The TASS wire passage the first two articles carry.
    let tass = (passages.iter())
        .find(|p| p["text"].as_str().unwrap().contains("humanitarian"))
        .expect("the asylum passage");
    let ids: Vec<&str> = (tass["sources"].as_array().unwrap().iter())
        .map(|s| s.as_str().unwrap())
        .collect();
    assert_eq!(ids.len(), 2, "{tass}");
}
