//! Telling the user how a build goes: the time of each stage (printed with
//! `--verbose`) and, on a terminal, a spinner naming the stage under way for
//! builds that take more than a moment.

use std::time::{Duration, Instant};

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

/// How long a build runs before the spinner shows.
const SHOW_AFTER: Duration = Duration::from_millis(300);

/// Times the stages of a build, one after the other.
pub struct Stages {
    started: Instant,
    lap: Instant,
    done: Vec<(&'static str, Duration)>,
    spinner: Option<ProgressBar>,
}

impl Stages {
    /// Starts timing. With `show` and stderr on a terminal, a spinner names
    /// each stage; it appears only once a build has run for a moment.
    pub fn start(show: bool, first: &'static str) -> Self {
        let spinner = show.then(|| {
            // Hidden at first: a quick build should not flash a spinner.
            let bar = ProgressBar::with_draw_target(None, ProgressDrawTarget::hidden());
            bar.set_style(
                ProgressStyle::with_template("{spinner} {msg} ({elapsed})")
                    .unwrap_or_else(|_| ProgressStyle::default_spinner()),
            );
            bar.set_message(first);
            bar.enable_steady_tick(Duration::from_millis(120));
            bar
        });
        let now = Instant::now();
        Stages {
            started: now,
            lap: now,
            done: Vec::new(),
            spinner,
        }
    }

    /// Records the stage just finished as `name`; `next` names the one that
    /// starts.
    pub fn finish(&mut self, name: &'static str, next: &'static str) {
        let now = Instant::now();
        self.done.push((name, now - self.lap));
        self.lap = now;
        if let Some(spinner) = &self.spinner {
            if spinner.is_hidden() && now - self.started > SHOW_AFTER {
                spinner.set_draw_target(ProgressDrawTarget::stderr());
            }
            spinner.set_message(next);
        }
    }

    /// The time of every stage, in order, and the total.
    pub fn end(mut self) -> (Vec<(&'static str, Duration)>, Duration) {
        (std::mem::take(&mut self.done), self.started.elapsed())
    }
}

impl Drop for Stages {
    fn drop(&mut self) {
        if let Some(spinner) = &self.spinner {
            spinner.finish_and_clear();
        }
    }
}
