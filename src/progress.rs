//! Telling the user how a build goes: the time of each stage (printed with
//! `--verbose`) and, on a terminal, for builds that take more than a
//! moment, a line naming the stage under way, with a bar for the stages
//! whose work is counted (analysing the sources, rendering the pages).

use std::sync::Mutex;
use std::time::{Duration, Instant};

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

/// How long a build runs before its progress shows.
const SHOW_AFTER: Duration = Duration::from_millis(300);

const SPINNER: &str = "{spinner} {msg} ({elapsed})";
const COUNTED: &str = "{spinner} {msg} [{bar:30}] {pos}/{len} ({elapsed})";
const SHARE: &str = "{spinner} {msg} [{bar:30}] {percent:>3}% ({elapsed})";

/// Times the stages of a build, one after the other.
pub struct Stages {
    started: Instant,
    lap: Instant,
    done: Vec<(&'static str, Duration)>,
    shown: Option<Shown>,
}

/// The line a build's progress is drawn on, and where it will be drawn
/// once the build has run for a moment.
#[derive(Clone)]
struct Shown {
    bar: ProgressBar,
    /// Taken when the line first shows.
    target: std::sync::Arc<Mutex<Option<ProgressDrawTarget>>>,
    started: Instant,
    after: Duration,
}

impl Shown {
    /// Draws the line from now on if the build has run long enough.
    fn reveal_when_due(&self) {
        if self.started.elapsed() < self.after {
            return;
        }
        let target = self.target.lock().ok().and_then(|mut target| target.take());
        if let Some(target) = target {
            self.bar.set_draw_target(target);
        }
    }
}

impl Stages {
    /// Starts timing. With `show` and stderr on a terminal, a line names
    /// each stage; it appears only once a build has run for a moment.
    pub fn start(show: bool, first: &'static str) -> Self {
        let target = show.then(ProgressDrawTarget::stderr);
        Self::drawn_on(target, SHOW_AFTER, first)
    }

    /// Starts timing, drawing progress on `target` once `after` has passed.
    fn drawn_on(target: Option<ProgressDrawTarget>, after: Duration, first: &'static str) -> Self {
        let now = Instant::now();
        let shown = target.map(|target| {
            // Hidden at first: a quick build should not flash a line.
            let bar = ProgressBar::with_draw_target(None, ProgressDrawTarget::hidden());
            bar.set_style(style(SPINNER));
            bar.set_message(first);
            bar.enable_steady_tick(Duration::from_millis(120));
            Shown {
                bar,
                target: std::sync::Arc::new(Mutex::new(Some(target))),
                started: now,
                after,
            }
        });
        Stages {
            started: now,
            lap: now,
            done: Vec::new(),
            shown,
        }
    }

    /// Records the stage just finished as `name`; `next` names the one that
    /// starts.
    pub fn finish(&mut self, name: &'static str, next: &'static str) {
        let now = Instant::now();
        self.done.push((name, now - self.lap));
        self.lap = now;
        if let Some(shown) = &self.shown {
            // The last stage is done: no line is left naming nothing.
            if next.is_empty() {
                shown.bar.finish_and_clear();
                return;
            }
            shown.reveal_when_due();
            shown.bar.set_style(style(SPINNER));
            shown.bar.unset_length();
            shown.bar.set_message(next);
        }
    }

    /// Counts the work of the stage under way: `total` items, each reported
    /// done through the counter returned, from any thread. The line shows
    /// how many are done.
    pub fn count(&self, total: usize) -> Counter {
        self.counter(total, COUNTED)
    }

    /// As [`count`](Self::count), for items that are not what the stage is
    /// named after (tasks of rendering, not pages): the line shows the share
    /// done.
    pub fn count_share(&self, total: usize) -> Counter {
        self.counter(total, SHARE)
    }

    fn counter(&self, total: usize, template: &str) -> Counter {
        if let Some(shown) = &self.shown {
            shown.bar.set_position(0);
            shown.bar.set_length(total as u64);
            shown.bar.set_style(style(template));
        }
        Counter {
            shown: self.shown.clone(),
        }
    }

    /// The time of every stage, in order, and the total.
    pub fn end(mut self) -> (Vec<(&'static str, Duration)>, Duration) {
        (std::mem::take(&mut self.done), self.started.elapsed())
    }
}

impl Drop for Stages {
    fn drop(&mut self) {
        if let Some(shown) = &self.shown {
            shown.bar.finish_and_clear();
        }
    }
}

/// Counts the items of a stage's work as they are done.
#[derive(Clone, Default)]
pub struct Counter {
    shown: Option<Shown>,
}

impl Counter {
    /// A counter that shows nothing.
    pub fn none() -> Self {
        Counter::default()
    }

    /// One more item done.
    pub fn done(&self) {
        if let Some(shown) = &self.shown {
            shown.bar.inc(1);
            if shown.bar.is_hidden() {
                shown.reveal_when_due();
            }
        }
    }
}

fn style(template: &str) -> ProgressStyle {
    ProgressStyle::with_template(template)
        .unwrap_or_else(|_| ProgressStyle::default_spinner())
        .progress_chars("=> ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io;
    use std::sync::Arc;

    /// A terminal that keeps what is written to it.
    #[derive(Debug, Default, Clone)]
    struct Screen(Arc<Mutex<String>>);

    impl indicatif::TermLike for Screen {
        fn width(&self) -> u16 {
            100
        }
        fn move_cursor_up(&self, _: usize) -> io::Result<()> {
            Ok(())
        }
        fn move_cursor_down(&self, _: usize) -> io::Result<()> {
            Ok(())
        }
        fn move_cursor_right(&self, _: usize) -> io::Result<()> {
            Ok(())
        }
        fn move_cursor_left(&self, _: usize) -> io::Result<()> {
            Ok(())
        }
        fn write_line(&self, line: &str) -> io::Result<()> {
            self.write_str(&format!("{line}\n"))
        }
        fn write_str(&self, text: &str) -> io::Result<()> {
            self.0.lock().unwrap().push_str(text);
            Ok(())
        }
        fn clear_line(&self) -> io::Result<()> {
            self.write_str("\n")
        }
        fn flush(&self) -> io::Result<()> {
            Ok(())
        }
    }

    fn screen_stages(after: Duration) -> (Screen, Stages) {
        let screen = Screen::default();
        let target = ProgressDrawTarget::term_like_with_hz(Box::new(screen.clone()), 100);
        (
            screen,
            Stages::drawn_on(Some(target), after, "reading content"),
        )
    }

    #[test]
    fn a_counted_stage_draws_a_bar_of_the_items_done() {
        let (screen, mut stages) = screen_stages(Duration::ZERO);
        stages.finish("load", "analysing sources");
        let counter = stages.count(5);
        std::thread::scope(|scope| {
            for _ in 0..4 {
                scope.spawn(|| counter.done());
            }
        });
        counter.done();
        // Draws are limited to a rate: the last count shows at a later tick.
        let waited = Instant::now();
        let drawn = loop {
            let drawn = screen.0.lock().unwrap().clone();
            if drawn.contains("] 5/5") || waited.elapsed() > Duration::from_secs(10) {
                break drawn;
            }
            std::thread::sleep(Duration::from_millis(20));
        };
        assert!(drawn.contains("analysing sources ["), "{drawn}");
        assert!(drawn.contains("] 5/5"), "{drawn}");
        stages.finish("analyse", "rendering pages");
        let counter = stages.count_share(2);
        counter.done();
        counter.done();
        let waited = Instant::now();
        while !screen.0.lock().unwrap().contains("] 100%") {
            assert!(waited.elapsed() < Duration::from_secs(10), "no share drawn");
            std::thread::sleep(Duration::from_millis(20));
        }
        assert!(screen.0.lock().unwrap().contains("rendering pages ["));
    }

    #[test]
    fn the_line_goes_once_the_last_stage_is_done() {
        let (screen, mut stages) = screen_stages(Duration::ZERO);
        stages.finish("load", "writing");
        let waited = Instant::now();
        while !screen.0.lock().unwrap().contains("writing") {
            assert!(waited.elapsed() < Duration::from_secs(10), "nothing drawn");
            std::thread::sleep(Duration::from_millis(20));
        }
        stages.finish("write", "");
        let cleared = screen.0.lock().unwrap().clone();
        // Several ticks of the spinner: none draws a line naming nothing.
        std::thread::sleep(Duration::from_millis(500));
        assert_eq!(*screen.0.lock().unwrap(), cleared);
        assert_eq!(stages.end().0.len(), 2);
    }

    #[test]
    fn a_quick_build_draws_nothing() {
        let (screen, mut stages) = screen_stages(Duration::from_secs(60));
        stages.finish("load", "analysing sources");
        let counter = stages.count(2);
        counter.done();
        counter.done();
        stages.finish("analyse", "linking");
        let (done, _) = stages.end();
        assert_eq!(done.len(), 2);
        assert_eq!(screen.0.lock().unwrap().as_str(), "");
    }

    #[test]
    fn without_a_terminal_counting_does_nothing() {
        let mut stages = Stages::start(false, "reading content");
        let counter = stages.count(3);
        counter.done();
        Counter::none().done();
        stages.finish("load", "");
        assert_eq!(stages.end().0.len(), 1);
    }
}
