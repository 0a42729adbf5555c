//! Writes a synthetic news corpus for benchmarks: the same articles as a
//! dossier and as a Hugo site.
//!
//! ```text
//! cargo run --release --example gen_corpus -- --sources 10000 --entities 500 --out /tmp/corpus
//! ```
//!
//! `OUT/dossier/` holds `book.toml` and `content/{sources,entities}/`;
//! `OUT/hugo/` holds `hugo.toml`, minimal layouts and `content/articles/`,
//! where each article's front matter lists its entities as the `entities`
//! taxonomy, so Hugo renders a page per article and per entity without
//! having to find the mentions in the text. The text is news-like: datelined
//! paragraphs naming several entities, with wire copy repeated across
//! articles. Output depends only on the arguments (a fixed-seed generator).

use std::fmt::Write as _;
use std::fs;
use std::path::{Path, PathBuf};

const FIRST: &[&str] = &[
    "Anna", "Boris", "Clara", "Dmitri", "Elena", "Farid", "Greta", "Hassan", "Irina", "Jonas",
    "Karim", "Lena", "Mikhail", "Nadia", "Omar", "Petra", "Rania", "Sergei", "Tamar", "Viktor",
    "Yusuf", "Zara", "Amir", "Beatrix", "Cyril",
];
const LAST: &[&str] = &[
    "Abramov",
    "Bakr",
    "Castell",
    "Dorn",
    "Eskandari",
    "Fontaine",
    "Gorski",
    "Haddad",
    "Ivanova",
    "Jansen",
    "Kuznetsov",
    "Lindqvist",
    "Mansour",
    "Novak",
    "Orlov",
    "Pereira",
    "Quint",
    "Rahimi",
    "Sokolov",
    "Thorne",
    "Umarov",
    "Volkova",
    "Wexler",
    "Yilmaz",
    "Zeller",
];
const ORG_WORDS: &[&str] = &[
    "Energy",
    "Transport",
    "Finance",
    "Defence",
    "Health",
    "Trade",
    "Justice",
    "Water",
    "Grain",
    "Shipping",
    "Mining",
    "Telecom",
    "Aviation",
    "Steel",
    "Pipeline",
    "Harbour",
    "Rail",
    "Customs",
    "Border",
    "Pension",
];
const ORG_KINDS: &[&str] = &["Ministry", "Authority", "Council", "Agency", "Commission"];
const PLACES: &[&str] = &[
    "Aldermoor",
    "Brevik",
    "Castellane",
    "Dunmore",
    "Esterhal",
    "Farrowgate",
    "Glenmarsh",
    "Halvard",
    "Ironbridge",
    "Jarrow Point",
    "Kestrel Bay",
    "Lowmere",
    "Marrowick",
    "Northfleet",
    "Oakhaven",
    "Pellmont",
    "Queensholm",
    "Ravensditch",
    "Saltcombe",
    "Thornbury",
    "Umbergate",
    "Valemont",
    "Westerby",
    "Yarrowdale",
    "Zennor Cross",
];
const OUTLETS: &[&str] = &[
    "Northern Wire",
    "The Evening Ledger",
    "Harbour Times",
    "Capital Courier",
    "Daily Meridian",
];
const VERBS: &[&str] = &[
    "told reporters",
    "said in a statement",
    "confirmed on Tuesday",
    "denied on Friday",
    "wrote in a letter",
    "warned lawmakers",
    "said late on Monday",
    "insisted in an interview",
];
const TOPICS: &[&str] = &[
    "the contract had been signed without a tender",
    "the talks would resume next week",
    "the shipment had been held at the border",
    "no decision had been taken on the sanctions",
    "the audit found gaps in the accounts",
    "the pipeline would reopen before winter",
    "the agreement covered grain and fertiliser",
    "the investigation was still at an early stage",
    "the budget would be revised in the spring",
    "the evacuation of the port had been completed",
];

/// A small deterministic generator (xorshift64*), so the corpus depends on
/// the arguments alone.
struct Random(u64);

impl Random {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    fn pick<'a>(&mut self, items: &'a [&'a str]) -> &'a str {
        items[self.below(items.len())]
    }
}

struct EntityDef {
    slug: String,
    name: String,
    kind: &'static str,
}

fn entities(count: usize) -> Vec<EntityDef> {
    let mut all = Vec::new();
    for (i, place) in PLACES.iter().enumerate() {
        all.push((format!("place-{i}"), place.to_string(), "place"));
    }
    for word in ORG_WORDS {
        for kind in ORG_KINDS {
            all.push((String::new(), format!("{word} {kind}"), "organization"));
        }
    }
    for first in FIRST {
        for last in LAST {
            all.push((String::new(), format!("{first} {last}"), "person"));
        }
    }
    // Interleave kinds so any count gets a mix.
    let mut mixed = Vec::new();
    let (mut places, mut orgs, mut people): (Vec<_>, Vec<_>, Vec<_>) = (
        all.iter().filter(|e| e.2 == "place").cloned().collect(),
        all.iter()
            .filter(|e| e.2 == "organization")
            .cloned()
            .collect(),
        all.iter().filter(|e| e.2 == "person").cloned().collect(),
    );
    places.reverse();
    orgs.reverse();
    people.reverse();
    while mixed.len() < count {
        let before = mixed.len();
        for _ in 0..3 {
            if let Some(p) = people.pop() {
                mixed.push(p);
            }
        }
        if let Some(o) = orgs.pop() {
            mixed.push(o);
        }
        if let Some(p) = places.pop() {
            mixed.push(p);
        }
        if mixed.len() == before {
            break;
        }
    }
    mixed.truncate(count);
    mixed
        .into_iter()
        .map(|(_, name, kind)| EntityDef {
            slug: name.to_lowercase().replace(' ', "-"),
            name,
            kind,
        })
        .collect()
}

struct Article {
    title: String,
    date: String,
    outlet: String,
    entities: Vec<usize>,
    paragraphs: Vec<String>,
}

fn sentence(random: &mut Random, subject: &str, place: &str, object: &str) -> String {
    format!(
        "{subject} {} in {place} that {}, according to officials familiar with {object}.",
        random.pick(VERBS),
        random.pick(TOPICS),
    )
}

fn article(random: &mut Random, index: usize, entities: &[EntityDef], wire: &[String]) -> Article {
    let named: Vec<usize> = {
        let mut chosen = Vec::new();
        // Popular entities appear far more often, as in real coverage.
        while chosen.len() < 3 + random.below(4) {
            let skewed = (random.below(entities.len()) * random.below(entities.len()))
                / entities.len().max(1);
            if !chosen.contains(&skewed) {
                chosen.push(skewed);
            }
        }
        chosen.sort_unstable();
        chosen
    };
    let name = |i: usize| entities[named[i % named.len()]].name.as_str();
    let mut paragraphs = Vec::new();
    for p in 0..4 + random.below(5) {
        let mut text = String::new();
        for s in 0..2 + random.below(3) {
            text.push_str(&sentence(
                random,
                name(p + s),
                name(p + s + 1),
                name(p + s + 2),
            ));
            text.push(' ');
        }
        paragraphs.push(text.trim_end().to_owned());
    }
    if random.below(3) == 0 {
        let copy = &wire[random.below(wire.len())];
        let at = random.below(paragraphs.len());
        paragraphs.insert(at, copy.clone());
    }
    let day = index % 28 + 1;
    let month = (index / 28) % 12 + 1;
    let year = 2020 + (index / 336) % 6;
    Article {
        title: format!(
            "{} {} on {} ({})",
            name(0),
            random.pick(&["speaks", "responds", "reports", "briefs"]),
            random.pick(TOPICS).trim_start_matches("the "),
            index + 1
        ),
        date: format!("{year}-{month:02}-{day:02}"),
        outlet: random.pick(OUTLETS).to_owned(),
        entities: named,
        paragraphs,
    }
}

fn write(path: &Path, text: &str) {
    fs::create_dir_all(path.parent().expect("a parent")).expect("create folder");
    fs::write(path, text).expect("write file");
}

fn toml_string(text: &str) -> String {
    format!("\"{}\"", text.replace('\\', "\\\\").replace('"', "\\\""))
}

fn write_dossier(out: &Path, entities: &[EntityDef], articles: &[Article]) {
    let root = out.join("dossier");
    write(
        &root.join("book.toml"),
        "[dossier]\ntitle = \"Synthetic corpus\"\nlanguage = \"en\"\n",
    );
    for entity in entities {
        write(
            &root.join(format!("content/entities/{}.md", entity.slug)),
            &format!(
                "+++\nname = {}\nkind = \"{}\"\n+++\n\nA synthetic {} of the benchmark corpus.\n",
                toml_string(&entity.name),
                entity.kind,
                entity.kind
            ),
        );
    }
    for (index, article) in articles.iter().enumerate() {
        let mut text = format!(
            "+++\ntitle = {}\ndate = {}\noutlet = {}\n+++\n\n",
            toml_string(&article.title),
            article.date,
            toml_string(&article.outlet)
        );
        for paragraph in &article.paragraphs {
            let _ = write!(text, "{paragraph}\n\n");
        }
        write(
            &root.join(format!("content/sources/article-{index:05}.md")),
            &text,
        );
    }
}

const HUGO_BASEOF: &str = r#"<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>{{ .Title }} · {{ .Site.Title }}</title></head>
<body><nav><a href="{{ "/" | relURL }}">Home</a> <a href="{{ "/entities/" | relURL }}">Entities</a></nav>
<main>{{ block "main" . }}{{ end }}</main></body></html>
"#;
const HUGO_SINGLE: &str = r#"{{ define "main" }}<article><h1>{{ .Title }}</h1>
<p>{{ .Date.Format "2 January 2006" }} · {{ .Params.outlet }}</p>
{{ .Content }}
<h2>Entities</h2><ul>{{ range .GetTerms "entities" }}<li><a href="{{ .RelPermalink }}">{{ .LinkTitle }}</a></li>{{ end }}</ul>
</article>{{ end }}
"#;
const HUGO_LIST: &str = r#"{{ define "main" }}<h1>{{ .Title }}</h1>
<ul>{{ range .Paginator.Pages }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a> {{ .Date.Format "2006-01-02" }}</li>{{ end }}</ul>
{{ template "_internal/pagination.html" . }}{{ end }}
"#;
const HUGO_TERMS: &str = r#"{{ define "main" }}<h1>{{ .Title }}</h1>
<ul>{{ range .Data.Terms.ByCount }}<li><a href="{{ .Page.RelPermalink }}">{{ .Page.Title }}</a> ({{ .Count }})</li>{{ end }}</ul>{{ end }}
"#;

fn write_hugo(out: &Path, entities: &[EntityDef], articles: &[Article]) {
    let root = out.join("hugo");
    write(
        &root.join("hugo.toml"),
        "baseURL = \"https://example.org/\"\ntitle = \"Synthetic corpus\"\n\
         disableKinds = [\"RSS\", \"sitemap\", \"robotsTXT\"]\n\
         paginate = 50\n[pagination]\npagerSize = 50\n\
         [taxonomies]\nentity = \"entities\"\n",
    );
    write(&root.join("layouts/_default/baseof.html"), HUGO_BASEOF);
    write(&root.join("layouts/_default/single.html"), HUGO_SINGLE);
    write(&root.join("layouts/_default/list.html"), HUGO_LIST);
    write(&root.join("layouts/_default/terms.html"), HUGO_TERMS);
    for (index, article) in articles.iter().enumerate() {
        let names: Vec<String> = article
            .entities
            .iter()
            .map(|&e| toml_string(&entities[e].name))
            .collect();
        let mut text = format!(
            "+++\ntitle = {}\ndate = {}\noutlet = {}\nentities = [{}]\n+++\n\n",
            toml_string(&article.title),
            article.date,
            toml_string(&article.outlet),
            names.join(", ")
        );
        for paragraph in &article.paragraphs {
            let _ = write!(text, "{paragraph}\n\n");
        }
        write(
            &root.join(format!("content/articles/article-{index:05}.md")),
            &text,
        );
    }
}

fn main() {
    let mut sources = 1000;
    let mut entity_count = 500;
    let mut out = PathBuf::from("corpus");
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        let mut value = || args.next().expect("a value after the flag");
        match arg.as_str() {
            "--sources" => sources = value().parse().expect("a number of sources"),
            "--entities" => entity_count = value().parse().expect("a number of entities"),
            "--out" => out = PathBuf::from(value()),
            other => {
                eprintln!(
                    "usage: gen_corpus [--sources N] [--entities M] [--out DIR] (not `{other}`)"
                );
                std::process::exit(2);
            }
        }
    }
    let entities = entities(entity_count);
    let mut random = Random(0x9e37_79b9_7f4a_7c15);
    let wire: Vec<String> = (0..40)
        .map(|_| {
            let a = &entities[random.below(entities.len())].name;
            let b = &entities[random.below(entities.len())].name;
            format!(
                "(Wire) {} — {a} {} that {}, a spokesperson for {b} said.",
                random.pick(PLACES).to_uppercase(),
                random.pick(VERBS),
                random.pick(TOPICS)
            )
        })
        .collect();
    let articles: Vec<Article> = (0..sources)
        .map(|index| article(&mut random, index, &entities, &wire))
        .collect();
    if out.exists() {
        fs::remove_dir_all(&out).expect("remove the previous corpus");
    }
    write_dossier(&out, &entities, &articles);
    write_hugo(&out, &entities, &articles);
    println!(
        "Wrote {} sources and {} entities to {}",
        articles.len(),
        entities.len(),
        out.display()
    );
}
