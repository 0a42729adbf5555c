//! The built seeds dossier in a real browser: Chromium, headless, driven over
//! the DevTools protocol. The site is opened from `file://` and from a small
//! static server under a sub-path, as GitHub Pages would serve it; search is
//! typed into, results are clicked, links are followed, and any console
//! error or any request leaving the site fails the test.
//!
//! Skipped, with a message, where Chromium is not installed, unless
//! `DOSSIER_BROWSER_TESTS=1` asks for them, as CI does.

mod common;

use std::ffi::OsStr;
use std::io::{BufRead, BufReader, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::thread::{self, JoinHandle};
use std::time::{Duration, Instant};

use headless_chrome::browser::tab::point::Point;
use headless_chrome::protocol::cdp::types::Event;
use headless_chrome::protocol::cdp::Log::LogEntryLevel;
use headless_chrome::protocol::cdp::Network;
use headless_chrome::protocol::cdp::Page::CaptureScreenshotFormatOption;
use headless_chrome::protocol::cdp::Runtime::ConsoleAPICalledEventTypeOption;
use headless_chrome::{Browser, LaunchOptions, Tab};

use common::TestDossier;

/// The sub-path the static server puts the site under.
const SUB_PATH: &str = "/assad-dossier/";

const CHROMIUM_PATHS: &[&str] = &[
    "/usr/bin/chromium",
    "/usr/bin/chromium-browser",
    "/usr/bin/google-chrome",
];

#[test]
fn search_and_links_work_from_file_urls() {
    let Some(chromium) = chromium_or_skip() else {
        return;
    };
    let dossier = TestDossier::seeds();
    dossier.build();
    let site = dossier.output().canonicalize().unwrap();
    let base = format!("file://{}/", site.display());
    let session = Session::start(&chromium, &base);
    exercise_site(&session, true);
    session.assert_clean();
}

#[test]
fn search_and_links_work_under_a_sub_path_on_a_static_server() {
    let Some(chromium) = chromium_or_skip() else {
        return;
    };
    let dossier = TestDossier::seeds();
    dossier.build();
    let server = StaticServer::start(dossier.output());
    let base = format!("http://{}{SUB_PATH}", server.address);
    let session = Session::start(&chromium, &base);
    exercise_site(&session, false);
    session.assert_clean();
    assert!(
        server.requests().iter().all(|r| r.starts_with(SUB_PATH)),
        "requests outside {SUB_PATH}: {:?}",
        server.requests()
    );
}

#[test]
fn search_results_show_hostile_content_as_text() {
    let Some(chromium) = chromium_or_skip() else {
        return;
    };
    let dossier = TestDossier::from_fixture("hostile");
    dossier.build();
    let site = dossier.output().canonicalize().unwrap();
    let session = Session::start(&chromium, &format!("file://{}/", site.display()));
    session.open("index.html");
    session.eval("window.alert = () => { window.alerted = true; }");
    for query in ["attack", "raw html", "alert"] {
        let results = session.search(query);
        assert!(!results.is_empty(), "`{query}` finds the hostile source");
        let markup = session.eval(
            "document.querySelectorAll('#search-results :not(p, ol, li, a, span, mark, button)').length",
        );
        assert_eq!(
            markup, "0",
            "`{query}` results hold only the elements search.js makes"
        );
    }
    let results = session.search("attack");
    assert!(
        results
            .iter()
            .any(|r| r.text.contains("<script>alert('front')</script> Attack")),
        "the title is shown as text: {results:#?}"
    );
    assert_eq!(session.eval("window.alerted"), "undefined");
    session.assert_clean();
}

#[test]
fn large_shards_are_split_and_loaded_by_prefix() {
    let Some(chromium) = chromium_or_skip() else {
        return;
    };
    // 130 words starting with `re`, each in 300 sources: a shard over its
    // budget, split by the third letter.
    let dossier = TestDossier::from_fixture("basic");
    let words: Vec<String> = ('a'..='z')
        .flat_map(|third| ('a'..='e').map(move |fourth| format!("re{third}{fourth}x")))
        .collect();
    for i in 0..300 {
        let text = format!("Bulk report {i}\n\n{}\n", words.join(" "));
        dossier.write(&format!("content/sources/bulk-{i:03}.txt"), &text);
    }
    dossier.build();
    let files = dossier.site().files();
    assert!(!files.contains("search/terms/re.js") && files.contains("search/terms/reb.js"));

    let site = dossier.output().canonicalize().unwrap();
    let session = Session::start(&chromium, &format!("file://{}/", site.display()));
    session.open("index.html");
    let results = session.search("rebcx");
    assert_eq!(results.len(), 10, "{results:#?}");
    assert!(session.text("#search-status").starts_with("300 results"));
    let results = session.search("reb");
    assert_eq!(results.len(), 10);
    let shards = session.eval(
        "Array.from(document.querySelectorAll('script[src*=\"search/terms/\"]'), s => s.src).join(' ')",
    );
    assert!(
        !shards.is_empty() && shards.split(' ').all(|url| url.ends_with("/reb.js")),
        "only the shard of `reb` is loaded: {shards}"
    );
    session.search("re");
    assert!(
        session.text("#search-status").contains("Type more of “re”"),
        "{}",
        session.text("#search-status")
    );
    session.assert_clean();
}

/// Chromium's path, or `None` (after saying why) where it is missing and
/// not required.
fn chromium_or_skip() -> Option<PathBuf> {
    let found = std::env::var_os("CHROMIUM")
        .map(PathBuf::from)
        .into_iter()
        .chain(CHROMIUM_PATHS.iter().map(PathBuf::from))
        .find(|path| path.is_file());
    let required = std::env::var("DOSSIER_BROWSER_TESTS").is_ok_and(|v| v == "1");
    match found {
        Some(path) => Some(path),
        None if required => panic!("DOSSIER_BROWSER_TESTS=1 but chromium was not found"),
        None => {
            eprintln!(
                "skipping browser tests: chromium not found (set DOSSIER_BROWSER_TESTS=1 to require them)"
            );
            None
        }
    }
}

/// Everything a test does with the site, from `base` (the site root URL).
fn exercise_site(session: &Session, screenshots: bool) {
    let tab = &session.tab;
    session.open("index.html");
    if screenshots {
        session.screenshot("home");
    }

    // Diacritics and case are folded both ways; words match as prefixes.
    for query in ["turkiye", "Türkiye", "TURKIYE", "Tu\u{308}rkiye"] {
        let results = session.search(query);
        assert!(
            results.iter().any(|r| r.text.contains("Türkiye")),
            "`{query}` should find Türkiye: {results:#?}"
        );
    }
    for query in ["peskov", "Pesk"] {
        let results = session.search(query);
        assert!(
            results
                .iter()
                .any(|r| r.href.ends_with("entities/dmitry-peskov.html")),
            "`{query}` should find the entity Dmitry Peskov: {results:#?}"
        );
        let in_sources: Vec<_> = results
            .iter()
            .filter(|r| r.href.contains("sources/"))
            .collect();
        assert!(
            !in_sources.is_empty() && in_sources.iter().all(|r| r.href.contains(".html#p")),
            "`{query}` should link to paragraphs of sources: {results:#?}"
        );
        assert!(
            results
                .iter()
                .any(|r| r.marked.iter().any(|m| m.starts_with("Peskov"))),
            "`{query}` should mark the match in a snippet: {results:#?}"
        );
    }
    let results = session.search("hayat tahrir");
    assert!(
        results
            .iter()
            .any(|r| r.href.ends_with("entities/hayat-tahrir-al-sham.html")),
        "`hayat tahrir` should find the organisation: {results:#?}"
    );
    assert!(
        results
            .iter()
            .filter(|r| r.href.contains("sources/"))
            .count()
            >= 2,
        "`hayat tahrir` should find the sources naming it: {results:#?}"
    );
    if screenshots {
        session.screenshot("search");
    }
    assert!(session.search("zzqxj").is_empty());
    assert_eq!(
        session.text("#search-status"),
        "No results for “zzqxj”.",
        "the live region should say there are no results"
    );

    // Ten results at a time; more on request, focus on the first new one.
    let results = session.search("syria");
    assert_eq!(results.len(), 10, "{results:#?}");
    assert!(session.text("#search-status").ends_with("showing 10."));
    session.click(".search-more");
    session.wait_for("document.querySelectorAll('#search-results a').length > 10");
    assert_eq!(
        session
            .eval("document.activeElement === document.querySelectorAll('#search-results a')[10]"),
        "true"
    );

    // Keyboard: `/` focuses the box, arrows reach the results, Escape clears.
    session.open("crossref.html");
    if screenshots {
        session.screenshot("crossref");
    }
    tab.press_key("/").unwrap();
    assert_eq!(session.eval("document.activeElement.id"), "search-input");
    tab.type_str("peskov").unwrap();
    session.wait_for("document.querySelectorAll('#search-results a').length > 0");
    tab.press_key("ArrowDown").unwrap();
    assert_eq!(
        session.eval("document.activeElement === document.querySelector('#search-results a')"),
        "true"
    );
    tab.press_key("Escape").unwrap();
    assert_eq!(session.eval("document.activeElement.id"), "search-input");
    assert_eq!(
        session.eval("document.getElementById('search-input').value"),
        ""
    );
    assert_eq!(
        session.eval("document.getElementById('search-results').hidden"),
        "true"
    );
    // Enter opens the first result.
    tab.type_str("peskov").unwrap();
    session.wait_for(
        "document.getElementById('search-results').getAttribute('data-query') === 'peskov'",
    );
    let first = session.eval("document.querySelector('#search-results a').href");
    tab.press_key("Enter").unwrap();
    session.wait_for(&format!("location.href === {first:?}"));

    // A result lands on its paragraph, which holds the words searched for.
    let results = session.search("peskov");
    let target = results
        .iter()
        .find(|r| r.href.contains("sources/"))
        .expect("a source result");
    session.click(&format!("#search-results a[href$='{}']", target.path()));
    session.wait_for("location.hash.startsWith('#p')");
    assert!(
        session.url().ends_with(&target.href),
        "landed on {}",
        session.url()
    );
    let paragraph = session.eval("document.getElementById(location.hash.slice(1)).textContent");
    assert!(paragraph.contains("Peskov"), "paragraph: {paragraph}");
    if screenshots {
        session.screenshot("source");
    }

    // From a source page, one level down: the search still finds and links.
    let results = session.search("hayat tahrir");
    let entity = results
        .iter()
        .find(|r| r.href.ends_with("entities/hayat-tahrir-al-sham.html"))
        .expect("the entity among the results");
    session.click(&format!("#search-results a[href$='{}']", entity.path()));
    session.wait_for("location.pathname.endsWith('entities/hayat-tahrir-al-sham.html')");
    assert_eq!(
        session.eval("document.querySelector('h1').textContent.trim()"),
        "Hayat Tahrir al-Sham"
    );
    if screenshots {
        session.screenshot("entity");
    }

    // Links: the navigation and the first link of each list lead to pages.
    for (nav, path) in [
        ("Sources", "sources.html"),
        ("Entities", "entities.html"),
        ("Index", "crossref.html"),
        ("Front page", "index.html"),
    ] {
        session.click(&format!(".site-nav a[href$='{path}']"));
        session.wait_for(&format!("location.pathname.endsWith('/{path}')"));
        assert!(
            session.eval("document.title").len() > 1,
            "{nav} has a title"
        );
    }
    for page in ["sources.html", "entities.html", "crossref.html"] {
        session.open(page);
        let href =
            session.eval("document.querySelector('main a[href$=\".html\"]').getAttribute('href')");
        session.click(&format!("main a[href='{href}']"));
        session.wait_for(&format!(
            "location.pathname.endsWith('/{}') && document.readyState === 'complete'",
            href.trim_start_matches("../")
        ));
        assert_eq!(
            session.eval("document.querySelectorAll('main h1').length"),
            "1"
        );
    }
}

/// A result as the browser shows it.
#[derive(Debug, serde::Deserialize)]
struct SearchResult {
    href: String,
    text: String,
    marked: Vec<String>,
}

impl SearchResult {
    /// The link's site path, e.g. `sources/x.html#p3`.
    fn path(&self) -> &str {
        let start = self
            .href
            .find("sources/")
            .or_else(|| self.href.find("entities/"))
            .unwrap_or(0);
        &self.href[start..]
    }
}

/// One browser with one tab, recording console errors and every request.
struct Session {
    _browser: Browser,
    tab: Arc<Tab>,
    base: String,
    errors: Arc<Mutex<Vec<String>>>,
    requests: Arc<Mutex<Vec<String>>>,
    _profile: tempfile::TempDir,
}

impl Session {
    fn start(chromium: &Path, base: &str) -> Session {
        let profile = tempfile::tempdir().unwrap();
        // Without these Chromium reaches out to Google's hosts on start.
        let args: Vec<&OsStr> = [
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--disable-quic",
            "--no-first-run",
            "--no-default-browser-check",
        ]
        .iter()
        .map(OsStr::new)
        .collect();
        let options = LaunchOptions::default_builder()
            .path(Some(chromium.to_owned()))
            .headless(true)
            .sandbox(false)
            .window_size(Some((1280, 1000)))
            .user_data_dir(Some(profile.path().to_owned()))
            .args(args)
            .idle_browser_timeout(Duration::from_secs(120))
            .build()
            .unwrap();
        let browser = Browser::new(options).expect("chromium starts");
        let tab = browser.new_tab().unwrap();
        tab.set_default_timeout(Duration::from_secs(10));
        let errors = Arc::new(Mutex::new(Vec::new()));
        let requests = Arc::new(Mutex::new(Vec::new()));
        let (errors_in, requests_in) = (errors.clone(), requests.clone());
        tab.add_event_listener(Arc::new(move |event: &Event| match event {
            Event::NetworkRequestWillBeSent(e) => {
                requests_in
                    .lock()
                    .unwrap()
                    .push(e.params.request.url.clone());
            }
            Event::RuntimeExceptionThrown(e) => {
                let details = &e.params.exception_details;
                errors_in.lock().unwrap().push(format!(
                    "exception: {} {}",
                    details.text,
                    details
                        .exception
                        .as_ref()
                        .and_then(|x| x.description.clone())
                        .unwrap_or_default()
                ));
            }
            Event::RuntimeConsoleAPICalled(e)
                if e.params.Type == ConsoleAPICalledEventTypeOption::Error =>
            {
                errors_in
                    .lock()
                    .unwrap()
                    .push(format!("console.error: {:?}", e.params.args));
            }
            Event::LogEntryAdded(e) if e.params.entry.level == LogEntryLevel::Error => {
                let entry = &e.params.entry;
                errors_in.lock().unwrap().push(format!(
                    "log: {} {}",
                    entry.text,
                    entry.url.clone().unwrap_or_default()
                ));
            }
            _ => {}
        }))
        .unwrap();
        tab.call_method(Network::Enable {
            max_total_buffer_size: None,
            max_resource_buffer_size: None,
            max_post_data_size: None,
            report_direct_socket_traffic: None,
            enable_durable_messages: None,
        })
        .unwrap();
        tab.enable_runtime().unwrap();
        tab.enable_log().unwrap();
        Session {
            _browser: browser,
            tab,
            base: base.to_owned(),
            errors,
            requests,
            _profile: profile,
        }
    }

    fn open(&self, path: &str) {
        self.tab
            .navigate_to(&format!("{}{path}", self.base))
            .unwrap()
            .wait_until_navigated()
            .unwrap();
        self.wait_for("document.readyState === 'complete'");
        // The box is shown by the script: its being visible proves it ran.
        self.wait_for("!document.querySelector('.search').hidden");
    }

    fn url(&self) -> String {
        self.eval("location.href")
    }

    /// Evaluates `expression`, giving its value as text.
    fn eval(&self, expression: &str) -> String {
        let value = self
            .tab
            .evaluate(&format!("String({expression})"), false)
            .unwrap_or_else(|e| panic!("evaluating {expression}: {e}"))
            .value;
        match value {
            Some(serde_json::Value::String(text)) => text,
            other => panic!("{expression} gave {other:?}"),
        }
    }

    fn text(&self, selector: &str) -> String {
        self.eval(&format!("document.querySelector({selector:?}).textContent"))
    }

    fn wait_for(&self, condition: &str) {
        let deadline = Instant::now() + Duration::from_secs(20);
        while self.eval(&format!("!!({condition})")) != "true" {
            assert!(
                Instant::now() < deadline,
                "timed out waiting for {condition} on {}",
                self.url()
            );
            thread::sleep(Duration::from_millis(50));
        }
    }

    /// Clicks the middle of the first element matching `selector` with the
    /// mouse, as a reader would.
    fn click(&self, selector: &str) {
        self.wait_for(&format!("document.querySelector({selector:?})"));
        let point = self.eval(&format!(
            "(() => {{ const e = document.querySelector({selector:?}); e.scrollIntoView({{block: 'center'}}); \
               const r = e.getClientRects()[0]; return (r.left + Math.min(r.width / 2, 20)) + ',' + (r.top + r.height / 2); }})()"
        ));
        let (x, y) = point.split_once(',').unwrap();
        self.tab
            .click_point(Point {
                x: x.parse().unwrap(),
                y: y.parse().unwrap(),
            })
            .unwrap();
    }

    /// Types `query` into an emptied search box and reads the results once
    /// the live region has announced them.
    fn search(&self, query: &str) -> Vec<SearchResult> {
        self.click("#search-input");
        self.tab.press_key("Escape").unwrap();
        self.wait_for("!document.getElementById('search-results').hasAttribute('data-query')");
        self.tab.type_str(query).unwrap();
        self.wait_for(&format!(
            "document.getElementById('search-results').getAttribute('data-query') === {query:?}"
        ));
        let json = self.eval(
            "JSON.stringify(Array.from(document.querySelectorAll('#search-results a'), a => ({ \
               href: a.href, text: a.textContent, \
               marked: Array.from(a.querySelectorAll('mark'), m => m.textContent) })))",
        );
        serde_json::from_str(&json).unwrap()
    }

    fn screenshot(&self, name: &str) {
        let png = self
            .tab
            .capture_screenshot(CaptureScreenshotFormatOption::Png, None, None, true)
            .unwrap();
        let dir = common::repo_root().join("target/screenshots");
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(dir.join(format!("{name}.png")), png).unwrap();
    }

    /// No console error, no request outside the site.
    fn assert_clean(&self) {
        let errors = self.errors.lock().unwrap();
        assert!(errors.is_empty(), "console errors: {errors:#?}");
        let requests = self.requests.lock().unwrap();
        assert!(!requests.is_empty(), "no request was recorded");
        let outside: Vec<_> = requests
            .iter()
            .filter(|url| !url.starts_with(&self.base))
            .collect();
        assert!(
            outside.is_empty(),
            "requests outside the site: {outside:#?}"
        );
    }
}

/// A static file server on 127.0.0.1 serving `root` under [`SUB_PATH`],
/// stopped when dropped.
struct StaticServer {
    address: String,
    stop: Arc<AtomicBool>,
    requests: Arc<Mutex<Vec<String>>>,
    thread: Option<JoinHandle<()>>,
}

impl StaticServer {
    fn start(root: PathBuf) -> StaticServer {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let address = listener.local_addr().unwrap().to_string();
        let stop = Arc::new(AtomicBool::new(false));
        let requests = Arc::new(Mutex::new(Vec::new()));
        let (stop_in, requests_in) = (stop.clone(), requests.clone());
        let thread = thread::spawn(move || {
            for stream in listener.incoming() {
                if stop_in.load(Ordering::SeqCst) {
                    break;
                }
                let Ok(stream) = stream else { continue };
                let (root, requests) = (root.clone(), requests_in.clone());
                thread::spawn(move || serve(stream, &root, &requests));
            }
        });
        StaticServer {
            address,
            stop,
            requests,
            thread: Some(thread),
        }
    }

    fn requests(&self) -> Vec<String> {
        self.requests.lock().unwrap().clone()
    }
}

impl Drop for StaticServer {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        // Wakes the accepting thread so it sees the flag.
        let _ = TcpStream::connect(&self.address);
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

fn serve(mut stream: TcpStream, root: &Path, requests: &Mutex<Vec<String>>) {
    stream.set_read_timeout(Some(Duration::from_secs(5))).ok();
    let mut line = String::new();
    if BufReader::new(&stream).read_line(&mut line).is_err() {
        return;
    }
    let Some(target) = line.split_whitespace().nth(1) else {
        return;
    };
    let path = target.split(['?', '#']).next().unwrap_or("").to_owned();
    requests.lock().unwrap().push(path.clone());
    let file = path
        .strip_prefix(SUB_PATH)
        .filter(|rest| {
            !rest
                .split('/')
                .any(|part| part == ".." || part.contains('%'))
        })
        .map(|rest| if rest.is_empty() { "index.html" } else { rest })
        .map(|rest| root.join(rest))
        .filter(|file| file.is_file());
    let response = match file {
        Some(file) => {
            let body = std::fs::read(&file).unwrap();
            let head = format!(
                "HTTP/1.1 200 OK\r\nContent-Type: {}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
                content_type(&file),
                body.len()
            );
            [head.into_bytes(), body].concat()
        }
        None => {
            b"HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n".to_vec()
        }
    };
    let _ = stream.write_all(&response);
}

fn content_type(file: &Path) -> &'static str {
    match file.extension().and_then(OsStr::to_str) {
        Some("html") => "text/html; charset=utf-8",
        Some("css") => "text/css; charset=utf-8",
        Some("js") => "text/javascript; charset=utf-8",
        Some("svg") => "image/svg+xml",
        Some("png") => "image/png",
        _ => "application/octet-stream",
    }
}
