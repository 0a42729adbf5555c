//! `dossier entities suggest` on the seeds: names missing from the catalogue
//! are listed with counts and an example, `--min-sources` filters them, and
//! `--write` creates entity files the next build uses, never overwriting one.

use crate::common;

use std::fs;
use std::process::{Command, Output};

use common::TestDossier;

fn dossier(args: &[&str], dir: &std::path::Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_dossier"))
        .args(args)
        .current_dir(dir)
        .output()
        .expect("the binary runs")
}

fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

/// The seeds with two people taken out of the catalogue.
fn seeds_missing_two_people() -> TestDossier {
    let seeds = TestDossier::seeds();
    for file in ["mohammad-jalali.md", "hadi-al-bahra.md"] {
        fs::remove_file(seeds.root().join("content/entities").join(file)).unwrap();
    }
    seeds
}

#[test]
fn names_missing_from_the_catalogue_are_suggested_with_an_example() {
    let seeds = seeds_missing_two_people();
    let output = dossier(&["entities", "suggest"], seeds.root());
    assert_eq!(output.status.code(), Some(0));
    let text = stdout(&output);
    assert!(
        text.contains("Mohammad Jalali  (person; 1 time in 1 source)"),
        "{text}"
    );
    assert!(text.contains("Hadi al-Bahra"), "{text}");
    assert!(
        text.contains("e.g. He however ordered his forces"),
        "{text}"
    );
    // Names the catalogue covers, and ordinary words, are not suggested.
    let names: Vec<&str> = text
        .lines()
        .filter(|l| !l.starts_with(' '))
        .map(|l| l.split("  (").next().unwrap())
        .collect();
    for covered in [
        "Dmitry Peskov",
        "Peskov",
        "Kremlin",
        "Notably",
        "December",
        "Syrian",
    ] {
        assert!(!names.contains(&covered), "{covered} in {names:?}");
    }
    let only_recurring = stdout(&dossier(
        &["entities", "suggest", "--min-sources", "2"],
        seeds.root(),
    ));
    assert!(
        !only_recurring.contains("Mohammad Jalali"),
        "{only_recurring}"
    );
}

#[test]
fn write_creates_entity_files_once_and_the_build_uses_them() {
    let seeds = seeds_missing_two_people();
    let existing = seeds.root().join("content/entities/hadi-al-bahra.md");
    fs::write(
        &existing,
        "+++\nname = \"Hadi al-Bahra\"\nkind = \"person\"\n+++\nMine.\n",
    )
    .unwrap();
    let output = dossier(&["entities", "suggest", "--write"], seeds.root());
    let text = stdout(&output);
    assert!(
        text.contains("wrote content/entities/mohammad-jalali.md"),
        "{text}"
    );
    let written = fs::read_to_string(seeds.root().join("content/entities/mohammad-jalali.md"));
    assert!(written.unwrap().contains("name = \"Mohammad Jalali\""));
    // The file that existed is untouched.
    assert!(fs::read_to_string(&existing).unwrap().ends_with("Mine.\n"));
    // Now in the catalogue, the name is matched and no longer suggested.
    let again = stdout(&dossier(&["entities", "suggest"], seeds.root()));
    assert!(!again.contains("Mohammad Jalali"), "{again}");
    seeds.build();
    assert!(seeds
        .site()
        .files()
        .contains("entities/mohammad-jalali.html"));
}
