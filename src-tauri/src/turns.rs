//! Typed searches take turns: one runs at a time, and a search that a newer one on the
//! same channel (the search box, the map's highlight) has replaced is dropped before it
//! starts, so fast typing never queues up stale work on the machine's few cores.

use crate::IpcError;
use papersift_core::locks::LockAny;
use std::collections::HashMap;
use std::sync::Mutex;

/// The turns of the searches in flight.
#[derive(Default)]
pub struct SearchTurns {
    latest: Mutex<HashMap<String, u64>>,
    running: Mutex<()>,
}

/// One search's place in line.
pub struct Turn {
    channel: String,
    number: u64,
}

impl SearchTurns {
    /// Takes turn `number` on `channel` (the window numbers its searches, since calls
    /// may arrive out of order), or the next one when `None`. Every lower turn there is
    /// now stale; a turn that arrives after a higher one is stale at once.
    pub fn take(&self, channel: &str, number: Option<u64>) -> Turn {
        let mut latest = self.latest.lock_any();
        let n = latest.entry(channel.to_string()).or_insert(0);
        let number = number.unwrap_or(*n + 1);
        *n = (*n).max(number);
        Turn {
            channel: channel.to_string(),
            number,
        }
    }

    fn is_latest(&self, turn: &Turn) -> bool {
        let latest = self.latest.lock_any();
        latest.get(&turn.channel) == Some(&turn.number)
    }

    /// Runs `f` when it is this turn's go, unless a newer turn on its channel came in
    /// meanwhile: then `superseded`, without running it.
    pub fn run<T>(&self, turn: &Turn, f: impl FnOnce() -> T) -> Result<T, IpcError> {
        if !self.is_latest(turn) {
            return Err(superseded());
        }
        let _go = self.running.lock_any();
        if !self.is_latest(turn) {
            return Err(superseded());
        }
        Ok(f())
    }
}

fn superseded() -> IpcError {
    IpcError::new("superseded", "a newer search replaced this one")
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Arc;

    #[test]
    fn a_newer_turn_drops_the_older_one_on_its_channel_only() {
        let turns = SearchTurns::default();
        let first = turns.take("box", None);
        let map = turns.take("map", None);
        let second = turns.take("box", None);
        assert_eq!(turns.run(&first, || 1).unwrap_err().kind, "superseded");
        assert_eq!(turns.run(&second, || 2).unwrap(), 2);
        assert_eq!(turns.run(&map, || 3).unwrap(), 3);
        // A turn may run again while it is still the latest.
        assert_eq!(turns.run(&second, || 4).unwrap(), 4);
    }

    #[test]
    fn numbered_turns_arriving_out_of_order_keep_the_window_s_newest() {
        let turns = SearchTurns::default();
        // The window's search 5 reaches the app before its search 4.
        let five = turns.take("box", Some(5));
        let four = turns.take("box", Some(4));
        assert_eq!(turns.run(&four, || 4).unwrap_err().kind, "superseded");
        assert_eq!(turns.run(&five, || 5).unwrap(), 5);
    }

    #[test]
    fn a_turn_waiting_behind_a_running_search_is_dropped_if_replaced() {
        let turns = Arc::new(SearchTurns::default());
        let slow = turns.take("box", None);
        let (started_tx, started_rx) = std::sync::mpsc::channel();
        let (finish_tx, finish_rx) = std::sync::mpsc::channel::<()>();
        let t = turns.clone();
        let running = std::thread::spawn(move || {
            t.run(&slow, || {
                started_tx.send(()).unwrap();
                finish_rx.recv().unwrap();
                "slow"
            })
        });
        started_rx.recv().unwrap();
        // Two more keystrokes' searches arrive while the first runs.
        let stale = turns.take("box", None);
        let newest = turns.take("box", None);
        let t = turns.clone();
        let waiting = std::thread::spawn(move || t.run(&stale, || "stale"));
        let t = turns.clone();
        let last = std::thread::spawn(move || t.run(&newest, || "newest"));
        std::thread::sleep(std::time::Duration::from_millis(50));
        finish_tx.send(()).unwrap();
        // The running one finishes (its answer is ignored by the window), the waiting
        // stale one never runs, the newest does.
        assert_eq!(running.join().unwrap().unwrap(), "slow");
        assert_eq!(waiting.join().unwrap().unwrap_err().kind, "superseded");
        assert_eq!(last.join().unwrap().unwrap(), "newest");
    }
}
