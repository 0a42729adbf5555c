use dossier::analysis::{self, Matcher};
#[test]
fn dump() {
    let root = std::path::PathBuf::from(std::env::var("PROBE").unwrap());
    let config = dossier::config::Config::load(&root).unwrap();
    let content = dossier::content::load(&root, &config).unwrap();
    let (matcher, _) = Matcher::new(&content.entities);
    for source in &content.sources {
        let a = analysis::analyse(source, &matcher);
        println!("== {}", source.path.display());
        for q in &a.quotes {
            let att = q.attribution.as_ref().map(|a| {
                format!(
                    "speaker={:?} desc={:?} chan={:?} by={:?} cue={:?}",
                    a.speaker.map(|s| content.entities[s].slug.clone()),
                    a.description,
                    a.channel.map(|s| content.entities[s].slug.clone()),
                    a.by,
                    a.cue
                )
            });
            println!(
                "p{} frag={} {:?}\n    -> {}",
                q.paragraph + 1,
                q.fragment,
                q.text.chars().take(60).collect::<String>(),
                att.unwrap_or("UNATTRIBUTED".into())
            );
        }
    }
}
#[test]
fn dump_dates() {
    let root = std::path::PathBuf::from(std::env::var("PROBE").unwrap());
    let config = dossier::config::Config::load(&root).unwrap();
    let content = dossier::content::load(&root, &config).unwrap();
    let (matcher, _) = Matcher::new(&content.entities);
    for source in &content.sources {
        let a = analysis::analyse(source, &matcher);
        println!("== {} {:?}", source.path.display(), source.date);
        for d in &a.dates {
            let t = &source.paragraphs[d.paragraph].text;
            println!(
                "p{} {:?} {:?} {:?} {:?} {:?} | {}",
                d.paragraph + 1,
                &t[d.start..d.end],
                d.day,
                d.confidence,
                d.weekday,
                d.month_day,
                &t[d.sentence_start..d.sentence_end]
                    .chars()
                    .take(80)
                    .collect::<String>()
            );
        }
    }
}
