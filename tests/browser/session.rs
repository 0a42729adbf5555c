//! A headless Chromium with one tab, driven over the DevTools protocol,
//! recording console errors and every request the pages make.

use std::ffi::OsStr;
use std::path::Path;
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::{Duration, Instant};

use headless_chrome::browser::tab::point::Point;
use headless_chrome::protocol::cdp::types::Event;
use headless_chrome::protocol::cdp::Emulation;
use headless_chrome::protocol::cdp::Log::LogEntryLevel;
use headless_chrome::protocol::cdp::Network;
use headless_chrome::protocol::cdp::Page::CaptureScreenshotFormatOption;
use headless_chrome::protocol::cdp::Runtime::ConsoleAPICalledEventTypeOption;
use headless_chrome::{Browser, LaunchOptions, Tab};

use crate::common;

/// A result as the browser shows it.
#[derive(Debug, serde::Deserialize)]
pub struct SearchResult {
    pub href: String,
    pub text: String,
    pub marked: Vec<String>,
}

impl SearchResult {
    /// The link's site path, e.g. `sources/x.html#p3`.
    pub fn path(&self) -> &str {
        let start = self
            .href
            .find("sources/")
            .or_else(|| self.href.find("entities/"))
            .unwrap_or(0);
        &self.href[start..]
    }
}

/// One browser with one tab, recording console errors and every request.
pub struct Session {
    _browser: Browser,
    pub tab: Arc<Tab>,
    base: String,
    errors: Arc<Mutex<Vec<String>>>,
    requests: Arc<Mutex<Vec<String>>>,
    _profile: tempfile::TempDir,
    /// Whether [`Session::screenshot`] saves under `target/screenshots/`.
    pub screenshots: bool,
}

impl Session {
    pub fn start(chromium: &Path, base: &str) -> Session {
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
            screenshots: false,
        }
    }

    pub fn open(&self, path: &str) {
        self.tab
            .navigate_to(&format!("{}{path}", self.base))
            .unwrap()
            .wait_until_navigated()
            .unwrap();
        self.wait_for("document.readyState === 'complete'");
        // The box is shown by the script: its being visible proves it ran.
        self.wait_for("!document.querySelector('.search').hidden");
    }

    /// Lays pages out as a phone `width` CSS pixels wide would, touch and all.
    pub fn emulate_phone(&self, width: u32) {
        self.tab
            .call_method(Emulation::SetDeviceMetricsOverride {
                width,
                height: 844,
                device_scale_factor: 1.0,
                mobile: true,
                scale: None,
                screen_width: None,
                screen_height: None,
                position_x: None,
                position_y: None,
                dont_set_visible_size: None,
                screen_orientation: None,
                viewport: None,
                display_feature: None,
                device_posture: None,
            })
            .unwrap();
    }

    pub fn url(&self) -> String {
        self.eval("location.href")
    }

    /// Evaluates `expression`, giving its value as text.
    pub fn eval(&self, expression: &str) -> String {
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

    pub fn text(&self, selector: &str) -> String {
        self.eval(&format!("document.querySelector({selector:?}).textContent"))
    }

    /// Evaluates `expression` as [`Session::eval`] does, or gives nothing
    /// while the tab is between two documents, as after a click on a link.
    fn try_eval(&self, expression: &str) -> Option<String> {
        let evaluated = self.tab.evaluate(&format!("String({expression})"), false);
        match evaluated.ok()?.value {
            Some(serde_json::Value::String(text)) => Some(text),
            _ => None,
        }
    }

    pub fn wait_for(&self, condition: &str) {
        self.eval_until(
            &format!("!!({condition})"),
            |value| value == "true",
            || format!("timed out waiting for {condition} on {}", self.url()),
        );
    }

    /// Evaluates `expression` once the tab has a document to evaluate it
    /// in: the page a click led to may still be loading.
    fn eval_when_loaded(&self, expression: &str) -> String {
        self.eval_until(
            expression,
            |_| true,
            || format!("{expression} gave nothing"),
        )
    }

    /// Evaluates `expression` until it gives a value `accept` takes, for up
    /// to 20 seconds; then fails with `failure`.
    fn eval_until(
        &self,
        expression: &str,
        accept: impl Fn(&str) -> bool,
        failure: impl Fn() -> String,
    ) -> String {
        let deadline = Instant::now() + Duration::from_secs(20);
        loop {
            match self.try_eval(expression) {
                Some(value) if accept(&value) => return value,
                _ => assert!(Instant::now() < deadline, "{}", failure()),
            }
            thread::sleep(Duration::from_millis(50));
        }
    }

    /// Clicks the middle of the first element matching `selector` with the
    /// mouse, as a reader would.
    pub fn click(&self, selector: &str) {
        // A page still loading can move its links under the point found
        // for them, or drop a click: on a loaded machine the Front page
        // link of the large cross-reference page was missed so.
        self.wait_for("document.readyState === 'complete'");
        self.wait_for(&format!("document.querySelector({selector:?})"));
        let point = self.eval_when_loaded(&format!(
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
    pub fn search(&self, query: &str) -> Vec<SearchResult> {
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

    pub fn screenshot(&self, name: &str) {
        if !self.screenshots {
            return;
        }
        let png = self
            .tab
            .capture_screenshot(CaptureScreenshotFormatOption::Png, None, None, true)
            .unwrap();
        let dir = common::repo_root().join("target/screenshots");
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(dir.join(format!("{name}.png")), png).unwrap();
    }

    /// The console errors so far, which then no longer count against
    /// [`Session::assert_clean`]: for a test that expects some.
    pub fn take_errors(&self) -> Vec<String> {
        std::mem::take(&mut *self.errors.lock().unwrap())
    }

    /// No console error, no request outside the site.
    pub fn assert_clean(&self) {
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
