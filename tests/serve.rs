//! `dossier serve` as a user runs it: a child process on a free port of
//! 127.0.0.1, asked for pages over plain HTTP while its files are edited.

use crate::common;

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use common::TestDossier;

/// A running `dossier serve`, killed when dropped.
pub struct Server {
    child: Child,
    pub port: u16,
    output: Arc<Mutex<String>>,
}

impl Server {
    pub fn start(dossier: &TestDossier, extra: &[&str]) -> Server {
        let mut child = Command::new(env!("CARGO_BIN_EXE_dossier"))
            .arg("--root")
            .arg(dossier.root())
            .args(["serve", "--port", "0"])
            .args(extra)
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let stdout = BufReader::new(child.stdout.take().unwrap());
        let output = Arc::new(Mutex::new(String::new()));
        let (sender, receiver) = std::sync::mpsc::channel();
        let collected = Arc::clone(&output);
        std::thread::spawn(move || {
            for line in stdout.lines().map_while(Result::ok) {
                if let Some(port) = line
                    .split("http://127.0.0.1:")
                    .nth(1)
                    .and_then(|rest| rest.split('/').next())
                    .and_then(|port| port.parse::<u16>().ok())
                {
                    let _ = sender.send(port);
                }
                collected.lock().unwrap().push_str(&format!("{line}\n"));
            }
        });
        let port = receiver
            .recv_timeout(Duration::from_secs(60))
            .expect("the server announces its address");
        Server {
            child,
            port,
            output,
        }
    }

    /// Sends a GET request for `path` exactly as written (no normalisation)
    /// and returns the status, headers and body.
    fn get(&self, path: &str) -> (u16, String, String) {
        let mut stream = TcpStream::connect(("127.0.0.1", self.port)).unwrap();
        stream
            .set_read_timeout(Some(Duration::from_secs(60)))
            .unwrap();
        write!(stream, "GET {path} HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n").unwrap();
        let mut response = Vec::new();
        stream.read_to_end(&mut response).unwrap();
        let response = String::from_utf8_lossy(&response).into_owned();
        let (head, body) = response.split_once("\r\n\r\n").unwrap_or((&response, ""));
        let status = head
            .split_whitespace()
            .nth(1)
            .and_then(|s| s.parse().ok())
            .unwrap_or(0);
        (status, head.to_owned(), body.to_owned())
    }

    /// The reload endpoint's state: (generation, error).
    fn state(&self, since: Option<u64>) -> (u64, Option<String>) {
        let query = since.map(|g| format!("?since={g}")).unwrap_or_default();
        let (status, _, body) = self.get(&format!("/__dossier/wait{query}"));
        assert_eq!(status, 200, "{body}");
        let value: serde_json::Value = serde_json::from_str(&body).unwrap();
        (
            value["generation"].as_u64().unwrap(),
            value["error"].as_str().map(str::to_owned),
        )
    }

    /// Waits, for a bounded time, for builds after `generation` until one
    /// ends as `done` expects. An editor's save may trigger more than one.
    fn build_until(
        &self,
        mut generation: u64,
        done: impl Fn(&Option<String>) -> bool,
    ) -> (u64, Option<String>) {
        let deadline = Instant::now() + Duration::from_secs(90);
        loop {
            let state = self.state(Some(generation));
            if state.0 != generation && done(&state.1) {
                return state;
            }
            generation = state.0;
            assert!(Instant::now() < deadline, "no rebuild after the edit");
        }
    }

    /// Waits, as [`Server::build_until`] does, for good builds after
    /// `generation` until the page at `path` holds `text`: a save may come
    /// as more than one change. Gives the last build's generation.
    fn build_until_page_holds(&self, mut generation: u64, path: &str, text: &str) -> u64 {
        loop {
            (generation, _) = self.build_until(generation, Option::is_none);
            if self.get(path).2.contains(text) {
                return generation;
            }
        }
    }
}

/// Rewords the basic fixture's wire story, whose page then says "said
/// nothing more".
fn reword_wire(wire: &std::path::Path) {
    let text = std::fs::read_to_string(wire).unwrap();
    std::fs::write(
        wire,
        text.replace("declined to say more", "said nothing more"),
    )
    .unwrap();
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

#[test]
fn serves_the_site_and_rebuilds_it_when_a_source_changes() {
    let dossier = TestDossier::from_fixture("basic");
    let server = Server::start(&dossier, &[]);
    let (status, head, body) = server.get("/");
    assert_eq!(status, 200);
    assert!(head.contains("text/html"), "{head}");
    assert!(
        body.contains("id=\"dossier-reload\""),
        "served pages get the reload script"
    );
    let on_disk = std::fs::read_to_string(dossier.output().join("index.html")).unwrap();
    assert!(
        !on_disk.contains("dossier-reload"),
        "the built site has no reload script"
    );

    let (status, head, _) = server.get("/static/style.css");
    assert_eq!(status, 200);
    assert!(head.contains("text/css"), "{head}");

    let (generation, error) = server.state(None);
    assert!(error.is_none());
    dossier.write(
        "content/sources/late.md",
        "+++\ntitle = \"A late report from Vienna\"\n+++\n\nPeskov arrived in Vienna.\n",
    );
    server.build_until(generation, Option::is_none);
    let (status, _, body) = server.get("/sources.html");
    assert_eq!(status, 200);
    assert!(body.contains("A late report from Vienna"), "{body}");
}

#[test]
fn reading_files_does_not_trigger_a_rebuild() {
    let dossier = TestDossier::from_fixture("basic");
    let server = Server::start(&dossier, &[]);
    let (before, _) = server.state(None);
    // Several debounce periods: a build that set off another would show.
    std::thread::sleep(Duration::from_millis(1500));
    let (after, _) = server.state(None);
    assert_eq!(before, after, "a build's own reads set off builds");
}

#[test]
fn a_build_error_is_shown_over_the_last_good_site_until_fixed() {
    let dossier = TestDossier::from_fixture("basic");
    let server = Server::start(&dossier, &[]);
    let (generation, _) = server.state(None);
    let (_, _, before) = server.get("/sources.html");

    dossier.write(
        "content/sources/broken.md",
        "+++\ntitle = \"Broken\ndate = 2024-13-45\n+++\n\nText.\n",
    );
    let (generation, error) = server.build_until(generation, Option::is_some);
    let error = error.unwrap();
    assert!(
        error.contains("broken.md"),
        "the error names the file: {error}"
    );
    let (status, _, page) = server.get("/sources.html");
    assert_eq!(status, 200, "the last good site is still served");
    assert!(
        page.contains("broken.md"),
        "the page carries the error for the overlay"
    );
    let strip = |html: &str| {
        html.split("<script id=\"dossier-reload\">")
            .next()
            .unwrap()
            .to_owned()
    };
    assert_eq!(strip(&page), strip(&before));

    std::fs::remove_file(dossier.root().join("content/sources/broken.md")).unwrap();
    // Fixing the file clears the error.
    server.build_until(generation, Option::is_none);
}

#[test]
fn editor_saves_renames_and_deletions_are_followed() {
    let dossier = TestDossier::from_fixture("basic");
    let server = Server::start(&dossier, &[]);
    let sources = dossier.root().join("content/sources");
    let (generation, _) = server.state(None);

    // As many editors save: the new text to a temporary file beside the
    // old, then renamed over it.
    let wire = sources.join("wire.txt");
    let text = std::fs::read_to_string(&wire).unwrap();
    let temporary = sources.join(".wire.txt.swp");
    std::fs::write(
        &temporary,
        text.replace("declined to say more", "said nothing more"),
    )
    .unwrap();
    std::fs::rename(&temporary, &wire).unwrap();
    // The save may come as more than one change: builds until one serves
    // the new text (or `build_until` gives up).
    let mut generation = generation;
    loop {
        let error;
        (generation, error) = server.build_until(generation, |_| true);
        assert!(error.is_none(), "{error:?}");
        let (status, _, page) = server.get("/sources/talks-resume-in-vienna.html");
        assert_eq!(status, 200);
        if page.contains("said nothing more") {
            break;
        }
    }

    // A source renamed keeps its page, which comes from its title.
    std::fs::rename(sources.join("analysis.md"), sources.join("renamed.md")).unwrap();
    let (generation, _) = server.build_until(generation, Option::is_none);
    let (status, _, page) = server.get("/sources/an-analysis-of-the-talks.html");
    assert_eq!(status, 200);
    assert!(
        page.contains("content/sources/renamed.md"),
        "the page names the new file"
    );

    // A source deleted: its page is gone and the list no longer names it.
    std::fs::remove_file(&wire).unwrap();
    server.build_until(generation, Option::is_none);
    let (status, _, _) = server.get("/sources/talks-resume-in-vienna.html");
    assert_eq!(status, 404);
    let (_, _, list) = server.get("/sources.html");
    assert!(!list.contains("Talks resume in Vienna"), "{list}");
    assert!(list.contains("An analysis of the talks"));
}

#[test]
fn a_templates_folder_made_while_serving_is_watched() {
    let dossier = TestDossier::from_fixture("basic");
    let server = Server::start(&dossier, &[]);
    let (mut generation, _) = server.state(None);
    let templates = dossier.root().join("templates");
    assert!(!templates.exists());
    std::fs::create_dir(&templates).unwrap();
    (generation, _) = server.build_until(generation, Option::is_none);

    // A template written into the new folder afterwards is seen; the save
    // may come as more than one change.
    let base =
        std::fs::read_to_string(common::repo_root().join("themes/default/templates/base.html"))
            .unwrap();
    let footer_becomes = |generation: u64, footer: &str| -> u64 {
        let footer = format!("made with dossier, {footer}");
        let template = base.replace("made with dossier", &footer);
        std::fs::write(templates.join("base.html"), template).unwrap();
        server.build_until_page_holds(generation, "/sources.html", &footer)
    };
    generation = footer_becomes(generation, "edited");

    // Removed and made again, it is still watched.
    std::fs::remove_dir_all(&templates).unwrap();
    (generation, _) = server.build_until(generation, Option::is_none);
    assert!(!server.get("/sources.html").2.contains("edited"));
    std::fs::create_dir(&templates).unwrap();
    (generation, _) = server.build_until(generation, Option::is_none);
    footer_becomes(generation, "again");
}

#[test]
fn builds_go_to_the_folder_served_when_book_toml_names_another() {
    let dossier = TestDossier::from_fixture("basic");
    let server = Server::start(&dossier, &[]);
    let (generation, _) = server.state(None);
    let config = std::fs::read_to_string(dossier.root().join("book.toml")).unwrap();
    dossier.write(
        "book.toml",
        &format!("{config}\n[build]\noutput = \"elsewhere\"\n"),
    );
    let (generation, _) = server.build_until(generation, Option::is_none);
    reword_wire(&dossier.root().join("content/sources/wire.txt"));
    let page = "/sources/talks-resume-in-vienna.html";
    server.build_until_page_holds(generation, page, "said nothing more");
    assert!(!dossier.root().join("elsewhere").exists());
}

#[test]
fn a_content_folder_newly_named_in_book_toml_is_watched() {
    let dossier = TestDossier::from_fixture("basic");
    let server = Server::start(&dossier, &[]);
    let (generation, _) = server.state(None);
    let root = dossier.root();
    // A copy, not the folder renamed: a watch follows a renamed folder.
    common::copy_dir(&root.join("content"), &root.join("articles"));
    let config = std::fs::read_to_string(root.join("book.toml")).unwrap();
    dossier.write(
        "book.toml",
        &format!("{config}\n[build]\ncontent = \"articles\"\n"),
    );
    let (generation, _) = server.build_until(generation, Option::is_none);
    reword_wire(&root.join("articles/sources/wire.txt"));
    let page = "/sources/talks-resume-in-vienna.html";
    server.build_until_page_holds(generation, page, "said nothing more");
}

#[test]
fn a_first_build_that_fails_is_shown_until_fixed() {
    let dossier = TestDossier::from_fixture("basic");
    let broken = "content/sources/broken.md";
    dossier.write(broken, "+++\ntitle = \"Broken\n+++\n\nText.\n");
    let server = Server::start(&dossier, &[]);
    let (generation, error) = server.state(None);
    assert!(error.is_some_and(|e| e.contains("broken.md")));
    // No site yet: every address gives a page that carries the error for the
    // overlay and reloads once a build succeeds.
    let (status, head, page) = server.get("/");
    assert_eq!(status, 404);
    assert!(head.contains("text/html"), "{head}");
    assert!(
        page.contains("dossier-reload") && page.contains("broken.md"),
        "{page}"
    );
    assert!(
        page.contains("data-no-site"),
        "the overlay says no build succeeded"
    );
    std::fs::remove_file(dossier.root().join(broken)).unwrap();
    server.build_until(generation, Option::is_none);
    assert_eq!(server.get("/").0, 200);
}

#[test]
fn a_port_in_use_is_said_before_building() {
    let dossier = TestDossier::from_fixture("basic");
    let server = Server::start(&dossier, &[]);
    let other = TestDossier::from_fixture("basic");
    let output = Command::new(env!("CARGO_BIN_EXE_dossier"))
        .arg("--root")
        .arg(other.root())
        .args(["serve", "--port", &server.port.to_string()])
        .output()
        .unwrap();
    assert!(!output.status.success());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("cannot listen on 127.0.0.1:"), "{stderr}");
    assert!(
        !other.root().join("public").exists(),
        "built before failing"
    );
}

#[test]
fn a_bad_base_url_is_a_usage_error_before_serving() {
    let dossier = TestDossier::from_fixture("basic");
    for url in ["example.org", "https://example.org/repo/?v=1"] {
        let mut child = Command::new(env!("CARGO_BIN_EXE_dossier"))
            .arg("--root")
            .arg(dossier.root())
            .args(["serve", "--port", "0", "--base-url", url])
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        // It used to serve no site, forever: wait a while, then give up.
        let deadline = Instant::now() + Duration::from_secs(30);
        while child.try_wait().unwrap().is_none() && Instant::now() < deadline {
            std::thread::sleep(Duration::from_millis(50));
        }
        let _ = child.kill();
        let output = child.wait_with_output().unwrap();
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(output.status.code(), Some(2), "{url}: {stderr}");
        assert!(stderr.contains("--base-url"), "{stderr}");
        assert!(
            !dossier.root().join("public").exists(),
            "built before failing"
        );
    }
}

#[test]
fn requests_cannot_leave_the_output_folder() {
    let dossier = TestDossier::from_fixture("basic");
    let server = Server::start(&dossier, &[]);
    for path in [
        "/../book.toml",
        "/%2e%2e/book.toml",
        "/sources/..%2f..%2fbook.toml",
        "/..%5cbook.toml",
        "/%2e%2e%2f%2e%2e%2fetc%2fpasswd",
    ] {
        let (status, _, body) = server.get(path);
        assert_eq!(status, 404, "{path}");
        assert!(
            !body.contains("Basic fixture\"\ndescription"),
            "{path}: {body}"
        );
    }
    let (status, head, body) = server.get("/no-such-page.html");
    assert_eq!(status, 404);
    assert!(head.contains("text/html"), "the theme's 404 page: {head}");
    assert!(body.contains("dossier-reload"));
    // Its links lead from the site's top folder at any depth.
    let (_, _, deep) = server.get("/sources/gone/no-such-page.html");
    assert!(deep.contains("<base href=\"/\">"), "{deep}");
}

#[test]
fn a_base_url_with_a_path_is_served_under_that_path() {
    let dossier = TestDossier::from_fixture("basic");
    let server = Server::start(&dossier, &["--base-url", "https://user.github.io/repo/"]);
    let (status, _, body) = server.get("/repo/");
    assert_eq!(status, 200);
    assert!(
        body.contains("/repo/__dossier/wait"),
        "the script polls under the path"
    );
    assert_eq!(server.get("/repo/sources.html").0, 200);
    assert_eq!(server.get("/sources.html").0, 404);
    // A missing page's stand-in links to this server, not to the published
    // site its build was for.
    let (status, _, missing) = server.get("/repo/sources/gone.html");
    assert_eq!(status, 404);
    assert!(!missing.contains("https://user.github.io"), "{missing}");
    assert!(missing.contains("href=\"/repo/static/"), "{missing}");
    let (status, head, _) = server.get("/");
    assert_eq!(status, 302);
    assert!(head.contains("Location: /repo/"), "{head}");
}

#[cfg(unix)]
#[test]
fn ctrl_c_stops_the_server_cleanly() {
    let dossier = TestDossier::from_fixture("basic");
    let mut server = Server::start(&dossier, &[]);
    let interrupted = Command::new("kill")
        .args(["-INT", &server.child.id().to_string()])
        .status()
        .unwrap();
    assert!(interrupted.success());
    let deadline = Instant::now() + Duration::from_secs(60);
    let status = loop {
        if let Some(status) = server.child.try_wait().unwrap() {
            break status;
        }
        assert!(Instant::now() < deadline, "the server did not stop");
        std::thread::sleep(Duration::from_millis(50));
    };
    assert!(status.success(), "{status:?}");
    while !server.output.lock().unwrap().contains("Stopped.") {
        assert!(Instant::now() < deadline, "no goodbye");
        std::thread::sleep(Duration::from_millis(50));
    }
    let leftovers: Vec<_> = std::fs::read_dir(dossier.root())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|name| name.contains("staging") || name.contains(".old-"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}
