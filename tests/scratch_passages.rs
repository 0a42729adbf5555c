use dossier::analysis::{self, Matcher};
#[test]
fn show() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let config = dossier::config::Config::load(root).unwrap();
    let content = dossier::content::load(root, &config).unwrap();
    let (m, _) = Matcher::new(&content.entities);
    let analyses: Vec<_> = content
        .sources
        .iter()
        .map(|s| analysis::analyse(s, &m))
        .collect();
    let site = dossier::site::link(config, content, analyses);
    for p in &site.passages.passages {
        println!("{:?} {} words: {}", p.kind, p.common_words, p.text);
        for o in &p.occurrences {
            println!(
                "   {} ¶{} {}",
                site.sources[o.source].slug,
                o.paragraph + 1,
                o.words
            );
        }
    }
    println!("{:?}", site.passages.stats);
    println!("{:?}", site.passages.boilerplate);
}
