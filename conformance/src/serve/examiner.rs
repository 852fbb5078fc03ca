//! `serve`'s examiner of one client: the client talks to the reference
//! server through the relay; everything it sends is checked by the
//! protocol's client rules ([`Lens::Rules`]), with the checks that need the
//! whole history of the server switched on (a fresh in-process server sees
//! nothing but this process). Written once for every protocol.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use gabarito_codec::escape::escape_excerpt;
use tokio::time::Instant;

use super::report::{CheckReport, KEPT, Level, Offence, Report, Stalls};
use crate::lang::{Lang, current, t};
use crate::proxy::drive::Inspector;
use crate::proxy::finding::{Finding, Severity};
use crate::proxy::lens::{Lens, Rules};
use crate::proxy::relay::{Closed, RelayStats, Side};
use crate::proxy::tap::{Item, ObservedOf, Tap};

/// Bytes of an offending item shown in a report.
const BYTES_SHOWN: usize = 120;

pub struct Examiner<L: Lens> {
    conn: usize,
    client: String,
    opened: Instant,
    tap: Tap<L::Framing>,
    rules: L::Rules,
    /// Client items waiting for the server's bytes before them to be
    /// decided: an 08 may follow a 06 faster than the 06's open tail is
    /// settled, and must be judged against it (zap §7.2).
    deferred: Vec<ObservedOf<L::Framing>>,
    /// By [`Finding::check`].
    offences: Vec<(&'static str, Offence)>,
    /// Offences past [`KEPT`] per check, counted only.
    omitted: Vec<(&'static str, usize)>,
    frames: [usize; 2],
    ended: Option<String>,
    stalls: Stalls,
}

impl<L: Lens> std::fmt::Debug for Examiner<L> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Examiner")
            .field("protocol", &L::TERMS.name)
            .field("conn", &self.conn)
            .field("client", &self.client)
            .finish()
    }
}

impl<L: Lens> Examiner<L> {
    /// Client number `conn`, at address `client`, connected at `opened`.
    pub fn new(
        conn: usize,
        client: String,
        opened: Instant,
        world: Arc<Mutex<L::World>>,
        settle: Duration,
    ) -> Examiner<L> {
        Examiner {
            conn,
            client,
            opened,
            tap: Tap::default(),
            rules: L::rules(world, true, settle),
            deferred: Vec::new(),
            offences: Vec::new(),
            omitted: Vec::new(),
            frames: [0, 0],
            ended: None,
            stalls: Stalls::default(),
        }
    }

    /// What the relay reported when it was over.
    pub fn relay_stats(&mut self, stats: RelayStats) {
        self.stalls = Stalls {
            count: stats.stalls,
            longest_ms: stats.longest.as_secs_f64() * 1000.0,
        };
    }

    /// Keeps `offence` if fewer than [`KEPT`] of its check are kept, or if
    /// it is the first of its level (the verdict must see it); else counts
    /// it.
    fn add(&mut self, check: &'static str, offence: Offence) {
        let mut kept = 0;
        let mut same_level = false;
        for (c, o) in &self.offences {
            if *c == check {
                kept += 1;
                same_level |= o.level == offence.level;
            }
        }
        if kept < KEPT || !same_level {
            self.offences.push((check, offence));
            return;
        }
        match self.omitted.iter_mut().find(|(c, _)| *c == check) {
            Some((_, n)) => *n += 1,
            None => self.omitted.push((check, 1)),
        }
    }

    fn handle(&mut self, items: Vec<ObservedOf<L::Framing>>) {
        for o in items {
            if matches!(o.item, Item::Frame(_)) {
                self.frames[o.from.index()] += 1;
            }
            match o.from {
                Side::Client => self.deferred.push(o),
                // What the server's side is, the proxy shows; serve grades
                // the client.
                Side::Server => {
                    self.rules.server(&o);
                }
            }
        }
        if !self.tap.waiting(Side::Server) {
            self.judge();
        }
    }

    fn judge(&mut self) {
        for o in std::mem::take(&mut self.deferred) {
            self.rules
                .server_pending(self.tap.pending_since(Side::Server));
            let findings = self.rules.client(&o);
            for f in findings {
                let offence = self.offence(&f, &o);
                self.add(f.check, offence);
            }
        }
    }

    fn offence(&self, f: &Finding, o: &ObservedOf<L::Framing>) -> Offence {
        Offence {
            at: o
                .first_at
                .saturating_duration_since(self.opened)
                .as_secs_f64(),
            level: match f.severity {
                Severity::Warn => Level::Warn,
                Severity::NonStrict => Level::NonStrict,
                Severity::Fail => Level::Fail,
            },
            section: f.section.to_string(),
            text: f.text.clone(),
            bytes: escape_excerpt(&o.raw, BYTES_SHOWN),
        }
    }

    /// The report; call after the relay is over.
    pub fn report(&self) -> Report {
        let checks = L::CHECKS
            .iter()
            .map(|c| {
                let offences = self
                    .offences
                    .iter()
                    .filter(|(check, _)| *check == c.id)
                    .map(|(_, o)| o.clone())
                    .collect();
                let omitted = self
                    .omitted
                    .iter()
                    .find(|(check, _)| *check == c.id)
                    .map_or(0, |(_, n)| *n);
                CheckReport::new(
                    c.id,
                    c.section,
                    (c.title, c.title_text()),
                    self.rules.checked(c.id),
                    offences,
                )
                .with_omitted(omitted)
            })
            .collect();
        Report::new(
            L::TERMS,
            self.conn,
            self.client.clone(),
            self.opened.elapsed().as_secs_f64(),
            self.ended
                .clone()
                .unwrap_or_else(|| t("still open", "ainda aberta").into()),
            (self.frames[0], self.frames[1]),
            checks,
        )
        .with_stalls(self.stalls)
    }
}

impl<L: Lens> Inspector for Examiner<L> {
    fn data(&mut self, from: Side, bytes: &[u8], at: Instant) {
        let items = self.tap.push(from, bytes, at);
        self.handle(items);
    }

    fn pause(&mut self, from: Side) {
        let items = self.tap.pause(from);
        self.handle(items);
    }

    fn closed(&mut self, side: Side, how: &Closed, _at: Instant) {
        let items = self.tap.close(side);
        self.handle(items);
        if self.ended.is_none() {
            let who = side.the();
            self.ended = Some(match (how, current()) {
                (Closed::Eof, Lang::En) => format!("{who} closed the connection"),
                (Closed::Eof, Lang::PtBr) => format!("{who} fechou a conexão"),
                (Closed::Failed(e), Lang::En) => format!("{who} is gone ({e})"),
                (Closed::Failed(e), Lang::PtBr) => format!("{who} caiu ({e})"),
            });
        }
    }

    fn finish(&mut self, interrupted: bool) {
        for side in [Side::Server, Side::Client] {
            let items = self.tap.close(side);
            self.handle(items);
        }
        self.judge();
        if interrupted {
            self.ended = Some(t("cut: serve is stopping", "cortada: o serve está parando").into());
        }
    }
}
