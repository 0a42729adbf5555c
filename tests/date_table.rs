//! Dates measured against a hand-made table: every date expression of the
//! five seeds and of the unseen articles (`tests/fixtures/unseen/`), with
//! the day a careful reader gives it from the source's own date, or none
//! where the source has no date to count from.

use crate::common;

use std::fs;

use common::{repo_root, TestDossier};
use dossier::analysis::{self, Confidence, Matcher};

/// (file name start, expression as written, expected day or `None`).
const TABLE: &[(&str, &str, Option<&str>)] = &[
    ("000", "Sunday", Some("2024-12-08")),
    ("000", "Sunday", Some("2024-12-08")),
    ("000", "Sunday", Some("2024-12-08")),
    ("001", "December 8", None),
    ("001", "December 8", None),
    ("001", "December 8", None),
    ("002", "early Monday morning", None),
    ("002", "Sunday", None),
    ("002", "last week", None),
    ("002", "Earlier on Sunday", None),
    ("002", "Sunday", None),
    ("003", "Monday", Some("2024-12-09")),
    ("003", "Monday", Some("2024-12-09")),
    ("003", "Nov. 27", Some("2024-11-27")),
    ("003", "Sunday", Some("2024-12-08")),
    ("kremlin-putin", "Tuesday", Some("2024-12-10")),
    ("kremlin-putin", "last week", Some("2024-12-02")),
    ("kremlin-putin", "Saturday", Some("2024-12-07")),
    ("kremlin-putin", "Monday", Some("2024-12-09")),
    ("kremlin-putin", "last Thursday", Some("2024-12-05")),
    ("putin-decided", "Tuesday", None),
    ("putin-decided", "Dec. 9", None),
    ("syrians", "Dec 12", Some("2024-12-12")),
    ("syrians", "Wednesday", Some("2024-12-11")),
    ("syrians", "Sunday", Some("2024-12-08")),
    ("syrians", "Tuesday", Some("2024-12-10")),
    ("syrians", "December 10", Some("2024-12-10")),
    ("syrians", "Wednesday", Some("2024-12-11")),
    ("assad-breaks", "Monday", Some("2024-12-09")),
    ("assad-breaks", "December 8", Some("2024-12-08")),
    ("turkiye-urges", "Monday", Some("2024-12-09")),
    ("turkiye-urges", "early on Sunday", Some("2024-12-08")),
    ("turkiye-urges", "Tuesday", Some("2024-12-10")),
    ("inside-the-fall", "27 November", Some("2024-11-27")),
    ("inside-the-fall", "Thursday", Some("2024-12-12")),
    ("inside-the-fall", "last Saturday", Some("2024-12-07")),
    ("inside-the-fall", "Monday morning", Some("2024-12-09")),
    ("russia-evacuates", "Friday", None),
    ("russia-evacuates", "Sunday", None),
    ("kremlin-weighs", "Dec 16", Some("2024-12-16")),
    ("kremlin-weighs", "Monday", Some("2024-12-16")),
    ("kremlin-weighs", "last week", Some("2024-12-09")),
    ("kremlin-weighs", "Wednesday", Some("2024-12-11")),
];

#[test]
fn dates_and_their_days_match_the_hand_made_table() {
    let dossier = TestDossier::seeds();
    let unseen = repo_root().join("tests/fixtures/unseen/content/sources");
    for entry in fs::read_dir(unseen).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        let text = fs::read_to_string(&path).unwrap();
        dossier.write(&format!("content/sources/{name}"), &text);
    }
    let config = dossier::config::Config::load(dossier.root()).unwrap();
    let content = dossier::content::load(dossier.root(), &config).unwrap();
    let (matcher, _) = Matcher::new(&content.entities);
    let mut found = Vec::new();
    for source in &content.sources {
        let file = source
            .path
            .file_name()
            .unwrap()
            .to_string_lossy()
            .into_owned();
        for date in analysis::analyse(source, &matcher, &Default::default()).dates {
            let text = &source.paragraphs[date.paragraph].text;
            let day = date.day.map(|d| d.to_string());
            // Without a day, the finding must say it is unresolved.
            assert_eq!(
                day.is_none(),
                date.confidence == Confidence::Unresolved,
                "{date:?}"
            );
            found.push((file.clone(), text[date.start..date.end].to_owned(), day));
        }
    }
    let expected: Vec<(String, String, Option<String>)> = TABLE
        .iter()
        .map(|&(prefix, expression, day)| {
            let file = found
                .iter()
                .map(|(f, _, _)| f.clone())
                .find(|f| f.starts_with(prefix))
                .unwrap_or_else(|| panic!("no source {prefix}"));
            (file, expression.to_owned(), day.map(str::to_owned))
        })
        .collect();
    let mut unmatched = expected.clone();
    let mut right = 0;
    for item in &found {
        if let Some(at) = unmatched.iter().position(|e| e == item) {
            unmatched.remove(at);
            right += 1;
        }
    }
    eprintln!(
        "dates: {} found, {} in the table, {right} right (expression and day)",
        found.len(),
        expected.len()
    );
    assert!(
        unmatched.is_empty(),
        "missed or wrong: {unmatched:#?}\nfound: {found:#?}"
    );
    assert_eq!(right, found.len(), "no date beyond the table: {found:#?}");
}
