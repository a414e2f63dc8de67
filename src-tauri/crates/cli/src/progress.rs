//! Progress bars on a terminal; silent when stderr is not one (scripts, CI, --json).

use indicatif::{ProgressBar, ProgressStyle};

/// A bar for `len` items with a message, drawn on stderr only when it is a terminal.
pub fn bar(len: u64, msg: &'static str, quiet: bool) -> ProgressBar {
    if quiet {
        return ProgressBar::hidden();
    }
    let pb = ProgressBar::new(len);
    pb.set_style(
        ProgressStyle::with_template("{msg:>10} [{bar:30}] {pos}/{len} ({per_sec}, eta {eta})")
            .expect("valid template")
            .progress_chars("=> "),
    );
    pb.set_message(msg);
    pb
}

/// Runs `work` under a bar that its `(done, total)` reports move, cleared after.
pub fn with_bar<T>(
    msg: &'static str,
    quiet: bool,
    work: impl FnOnce(&mut dyn FnMut(usize, usize)) -> T,
) -> T {
    let pb = bar(0, msg, quiet);
    let out = work(&mut |done, total| {
        pb.set_length(total as u64);
        pb.set_position(done as u64);
    });
    pb.finish_and_clear();
    out
}
