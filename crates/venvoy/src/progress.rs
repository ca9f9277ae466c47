//! Progress on stderr (the scan's spinner, a download's bar): one indicatif
//! bar at a time, drawn only when stderr is a terminal, never with `-q`,
//! and only once `delay` has passed (a quick run shows nothing).

use std::io::IsTerminal;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

use crate::printer::Printer;

pub struct Bar {
    enabled: bool,
    start: Instant,
    delay: Duration,
    bar: Mutex<Option<ProgressBar>>,
}

impl Bar {
    pub fn new(printer: &Printer, delay: Duration) -> Self {
        Self {
            enabled: !printer.is_quiet() && std::io::stderr().is_terminal(),
            start: Instant::now(),
            delay,
            bar: Mutex::new(None),
        }
    }

    /// Update the bar with `f`, first drawing it from `template` (of
    /// `len` steps; `None`: a spinner) when there is none yet.
    pub fn update(&self, template: &str, len: Option<u64>, f: impl FnOnce(&ProgressBar)) {
        if !self.enabled || self.start.elapsed() < self.delay {
            return;
        }
        let mut slot = self.bar.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        f(slot.get_or_insert_with(|| draw(template, len)));
    }

    /// Update the bar with `f` if one is drawn.
    pub fn update_drawn(&self, f: impl FnOnce(&ProgressBar)) {
        if let Some(bar) = self.bar.lock().unwrap_or_else(std::sync::PoisonError::into_inner).as_ref() {
            f(bar);
        }
    }

    /// Clear the bar; the next [`Bar::update`] draws a new one.
    pub fn finish(&self) {
        if let Some(bar) = self.bar.lock().unwrap_or_else(std::sync::PoisonError::into_inner).take() {
            bar.finish_and_clear();
        }
    }
}

fn draw(template: &str, len: Option<u64>) -> ProgressBar {
    let bar = ProgressBar::with_draw_target(len, ProgressDrawTarget::stderr());
    bar.set_style(
        ProgressStyle::with_template(template).unwrap_or_else(|_| ProgressStyle::default_spinner()),
    );
    bar.enable_steady_tick(Duration::from_millis(100));
    bar
}
