//! The proxy's view of one connection: decode both directions, check
//! what the client sends, print a line per message, record the script.
//! Written once for every protocol's [`Lens`].

use std::net::SocketAddr;
use std::sync::{Arc, Mutex};

use tokio::time::Instant;

use super::drive::Inspector;
use super::finding::Severity;
use super::lens::{Lens, Rules, Said};
use super::relay::{Closed, Side};
use super::render;
use super::script_log::{ScriptLog, Step};
use super::tap::{Item, ObservedOf, Tap};
use crate::lang::{Lang, current, t};

/// Where the lines go (stdout in the binary, a buffer in tests).
pub type Print = Arc<dyn Fn(&str) + Send + Sync>;

pub struct Watch<L: Lens> {
    conn: usize,
    started: Instant,
    tap: Tap<L::Framing>,
    rules: L::Rules,
    log: Option<Arc<Mutex<ScriptLog>>>,
    show_bytes: bool,
    print: Print,
    frames: [usize; 2],
    faults: usize,
    /// When each side's latest bytes were read; `None` once it closed.
    last_read: [Option<Instant>; 2],
    /// When the latest client send recorded began: bytes glued to it
    /// still change it (one write, replayed as one).
    last_send: Option<Instant>,
}

impl<L: Lens> std::fmt::Debug for Watch<L> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Watch").field("conn", &self.conn).finish()
    }
}

impl<L: Lens> Watch<L> {
    /// Connection number `conn`; times are printed from `started`.
    pub fn new(
        conn: usize,
        started: Instant,
        rules: L::Rules,
        log: Option<Arc<Mutex<ScriptLog>>>,
        show_bytes: bool,
        print: Print,
    ) -> Watch<L> {
        let now = Instant::now();
        let watch = Watch {
            conn,
            started,
            tap: Tap::default(),
            rules,
            log,
            show_bytes,
            print,
            frames: [0, 0],
            faults: 0,
            last_read: [Some(now); 2],
            last_send: None,
        };
        watch.report(false);
        watch
    }

    /// Tells the log how early anything this connection records from now
    /// on can be, so it writes out what came before (`script_log.rs`).
    /// `idle`: every byte the relay read so far was handled.
    fn report(&self, idle: bool) {
        let Some(log) = &self.log else { return };
        let earliest = Side::BOTH
            .into_iter()
            .filter_map(|side| {
                let read = self.last_read[side.index()]?;
                match self.tap.pending_since(side) {
                    Some(p) if side == Side::Client => Some(self.last_send.map_or(p, |s| s.min(p))),
                    Some(p) => Some(p),
                    None if idle => None,
                    None => Some(read),
                }
            })
            .min();
        if let Ok(mut log) = log.lock() {
            log.progress(self.conn, earliest);
        }
    }

    /// A client connected and its upstream connection is open.
    pub fn opened(&mut self, peer: SocketAddr, upstream: &str, at: Instant) {
        let text = match current() {
            Lang::En => format!("· client {peer} connected; relaying to {upstream}"),
            Lang::PtBr => format!("· cliente {peer} conectou; repassando para {upstream}"),
        };
        self.say(at, &text);
        self.record(at, Step::Open, None);
    }

    /// The upstream server could not be reached; the client is closed.
    pub fn unreachable(&mut self, peer: SocketAddr, why: &str) {
        let now = Instant::now();
        let text = match current() {
            Lang::En => format!("✗ client {peer} connected, but {why}; closing the client"),
            Lang::PtBr => format!("✗ cliente {peer} conectou, mas {why}; fechando o cliente"),
        };
        self.say(now, &text);
        if let Some(log) = &self.log {
            if let Ok(mut log) = log.lock() {
                log.finished(self.conn);
            }
        }
    }

    fn say(&self, at: Instant, text: &str) {
        let head = render::prefix(at.saturating_duration_since(self.started), self.conn);
        (self.print)(&format!("{head} {text}\n"));
    }

    fn record(&self, at: Instant, step: Step, section: Option<&'static str>) {
        if let Some(log) = &self.log {
            if let Ok(mut log) = log.lock() {
                log.record(self.conn, at, step, section);
            }
        }
    }

    fn handle(&mut self, items: Vec<ObservedOf<L::Framing>>) {
        for o in items {
            let findings = match o.from {
                Side::Client => {
                    self.rules
                        .server_pending(self.tap.pending_since(Side::Server));
                    self.rules.client(&o)
                }
                Side::Server => self.rules.server(&o),
            };
            if matches!(o.item, Item::Frame(_)) {
                self.frames[o.from.index()] += 1;
            }
            let faulty = L::show(&o).kind == Said::Fault
                || findings.iter().any(|f| f.severity == Severity::Fail);
            self.faults += usize::from(faulty);
            let head = render::prefix(
                o.first_at.saturating_duration_since(self.started),
                self.conn,
            );
            (self.print)(&render::item::<L>(&o, &findings, &head, self.show_bytes));
            if let Some((step, section)) = L::step(&o) {
                if matches!(step, Step::Send { .. } | Step::SendRaw(_)) {
                    self.last_send = Some(o.first_at);
                }
                self.record(o.first_at, step, section);
            }
        }
    }
}

impl<L: Lens> Inspector for Watch<L> {
    fn data(&mut self, from: Side, bytes: &[u8], at: Instant) {
        if self.last_read[from.index()].is_some() {
            self.last_read[from.index()] = Some(at);
        }
        let items = self.tap.push(from, bytes, at);
        self.handle(items);
        self.report(false);
    }

    fn pause(&mut self, from: Side) {
        let items = self.tap.pause(from);
        self.handle(items);
        self.report(false);
    }

    fn idle(&mut self) {
        self.report(true);
    }

    fn closed(&mut self, side: Side, how: &Closed, at: Instant) {
        let items = self.tap.close(side);
        self.handle(items);
        // `· client closed its side (EOF)`, `· o cliente fechou o seu lado (EOF)`.
        let who = match current() {
            Lang::En => side.name(),
            Lang::PtBr => side.the(),
        };
        self.say(at, &format!("· {who} {how}"));
        let step = match side {
            Side::Client => Step::ClientClosed,
            Side::Server => Step::ServerClosed,
        };
        self.record(at, step, None);
        self.last_read[side.index()] = None;
        self.report(false);
    }

    fn finish(&mut self, interrupted: bool) {
        for side in Side::BOTH {
            let items = self.tap.close(side);
            self.handle(items);
        }
        let how = if interrupted {
            t(
                "cut: the proxy is stopping",
                "cortada: o proxy está parando",
            )
        } else {
            t("over", "encerrada")
        };
        let [client, server] = self.frames;
        let faults = self.faults;
        let (en, pt) = L::TERMS.messages;
        let text = match current() {
            Lang::En => format!(
                "· connection {how}: {client} {en} from the client, {server} from the server, {faults} with a fault"
            ),
            Lang::PtBr => format!(
                "· conexão {how}: {client} {pt} do cliente, {server} do servidor, {faults} com falha"
            ),
        };
        self.say(Instant::now(), &text);
        if let Some(log) = &self.log {
            if let Ok(mut log) = log.lock() {
                log.finished(self.conn);
            }
        }
    }
}
