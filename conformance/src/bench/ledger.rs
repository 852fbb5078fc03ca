//! Exactly once, in order: the bookkeeping of one stream of numbered
//! messages. Loss, duplication and reordering are what a load test most
//! needs to catch (zap §9.4 and §13 make each a FAIL), and they are
//! counted, never inferred from totals that could cancel out.

/// What arrived of messages `0..expected`, sent in that order.
#[derive(Debug, Clone)]
pub struct Ledger {
    seen: Vec<bool>,
    distinct: u64,
    /// The sequence number the stream should carry next.
    next: u64,
    pub duplicates: u64,
    pub out_of_order: u64,
    /// Numbers outside `0..expected`.
    pub unknown: u64,
    /// The first few faults, described, for the report.
    pub faults: Vec<String>,
}

/// Faults described per ledger; the counts go on past it.
const MAX_DESCRIBED: usize = 5;

/// What [`Ledger::record`] made of one arrival.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Arrival {
    /// The first arrival of the expected next message.
    InOrder,
    /// A first arrival, but not of the expected next message.
    OutOfOrder,
    Duplicate,
    Unknown,
}

impl Ledger {
    pub fn new(expected: u64) -> Self {
        Ledger {
            seen: vec![false; usize::try_from(expected).unwrap_or(usize::MAX)],
            distinct: 0,
            next: 0,
            duplicates: 0,
            out_of_order: 0,
            unknown: 0,
            faults: Vec::new(),
        }
    }

    pub fn record(&mut self, seq: u64) -> Arrival {
        let Some(slot) = usize::try_from(seq).ok().and_then(|i| self.seen.get_mut(i)) else {
            self.unknown += 1;
            self.describe(|| format!("message {seq} was never sent"));
            return Arrival::Unknown;
        };
        if *slot {
            self.duplicates += 1;
            self.describe(|| format!("message {seq} arrived again"));
            return Arrival::Duplicate;
        }
        *slot = true;
        self.distinct += 1;
        let arrival = if seq == self.next {
            Arrival::InOrder
        } else {
            self.out_of_order += 1;
            let next = self.next;
            self.describe(|| format!("message {seq} arrived where {next} was due"));
            Arrival::OutOfOrder
        };
        self.next = seq + 1;
        arrival
    }

    /// Distinct messages received.
    pub fn distinct(&self) -> u64 {
        self.distinct
    }

    pub fn expected(&self) -> u64 {
        self.seen.len() as u64
    }

    pub fn missing(&self) -> u64 {
        self.expected() - self.distinct
    }

    pub fn complete(&self) -> bool {
        self.missing() == 0
    }

    /// Whether every message arrived once, in order.
    pub fn is_clean(&self) -> bool {
        self.complete() && self.duplicates == 0 && self.out_of_order == 0 && self.unknown == 0
    }

    /// The first missing sequence numbers (at most `n`).
    pub fn first_missing(&self, n: usize) -> Vec<u64> {
        self.seen
            .iter()
            .enumerate()
            .filter(|(_, s)| !**s)
            .take(n)
            .map(|(i, _)| i as u64)
            .collect()
    }

    /// Every fault in one sentence, or `None` when the stream is clean.
    pub fn verdict(&self) -> Option<String> {
        if self.is_clean() {
            return None;
        }
        let mut parts = Vec::new();
        if self.missing() > 0 {
            parts.push(format!(
                "{} of {} never arrived (first: {:?})",
                self.missing(),
                self.expected(),
                self.first_missing(5)
            ));
        }
        if self.duplicates > 0 {
            parts.push(format!("{} duplicate(s)", self.duplicates));
        }
        if self.out_of_order > 0 {
            parts.push(format!("{} out of order", self.out_of_order));
        }
        if self.unknown > 0 {
            parts.push(format!("{} never sent", self.unknown));
        }
        if !self.faults.is_empty() {
            parts.push(format!("e.g. {}", self.faults.join("; ")));
        }
        Some(parts.join(", "))
    }

    fn describe(&mut self, what: impl FnOnce() -> String) {
        if self.faults.len() < MAX_DESCRIBED {
            self.faults.push(what());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_clean_stream() {
        let mut l = Ledger::new(3);
        assert!((0..3).all(|i| l.record(i) == Arrival::InOrder));
        assert!(l.is_clean());
        assert_eq!(l.verdict(), None);
    }

    #[test]
    fn loss_duplicates_and_reordering_are_each_counted() {
        let mut l = Ledger::new(5);
        assert_eq!(l.record(0), Arrival::InOrder);
        assert_eq!(l.record(2), Arrival::OutOfOrder);
        assert_eq!(l.record(1), Arrival::OutOfOrder);
        assert_eq!(l.record(1), Arrival::Duplicate);
        assert_eq!(l.record(9), Arrival::Unknown);
        assert_eq!(l.missing(), 2);
        assert_eq!(l.first_missing(5), vec![3, 4]);
        assert_eq!((l.duplicates, l.out_of_order, l.unknown), (1, 2, 1));
        let v = l.verdict().expect("faults");
        assert!(v.contains("2 of 5 never arrived"), "{v}");
        assert!(v.contains("message 2 arrived where 1 was due"), "{v}");
    }
}
