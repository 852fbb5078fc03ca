//! The `lrv_session` target's observer: a model of what lrv §3–§10 make
//! the clients of the LRV reference server's sans-I/O core
//! (`gabarito_server::lrv::core`) see, checked on every line. The target
//! runs the core in the generic in-memory driver, `sans_io::Sim`: a buffer
//! per connection fed with `End::More` after each read until no whole line
//! is left, `End::Boundary` after a pause only when the core says a line
//! is open (L4) and at EOF, every `StoreOp` applied to an in-memory
//! [`Snapshot`] before the replies (lrv §10.1), writers that report what
//! they wrote unless paused, and restarts from that store with a new
//! entropy seed ([`new_core`]).
//!
//! [`Observer`] knows only the bytes clients sent and the effects the core
//! produced. It frames the bytes itself (L1–L5, written here from
//!   the spec, not through the codec), reads each line by the strict
//!   grammar of lrv §6.1 (also written here), keeps the raffle's state as
//!   the replies reveal it, and so predicts every reply byte for byte —
//!   except the drawn number, which it takes from the first `207`/draw and
//!   then holds fixed forever. The run is deterministic (no fault, no
//!   quirk, one connection fed at a time), so the prediction is exact.

use std::collections::{BTreeMap, BTreeSet, VecDeque};

use gabarito_codec::lrv::{Cpf, End, MAX_REQUEST_LEN, Number};
use gabarito_server::lrv::core::{Action, Core, CoreConfig, Draw, Seeded, Snapshot, StoreOp};
use gabarito_server::sans_io::Sim;
use gabarito_server::{ConnId, Fault};

/// N: small, so the fuzzer sells the raffle out and reaches the draw.
pub const SIZE: u32 = 12;

/// Valid CPFs (lrv §4.1) the clients register as.
pub const CPFS: [&str; 4] = ["12345678909", "52998224725", "00000000191", "11144477735"];

/// A core for a raffle of [`SIZE`] on `store`, drawing from `seed`.
///
/// `faults` is empty in the target; a named fault (`LRV_FAULT`) shows what
/// the observer catches (README).
pub fn new_core(max_queue: usize, seed: u64, faults: BTreeSet<Fault>, store: Snapshot) -> Core {
    let cfg = CoreConfig {
        max_queue,
        faults,
        ..CoreConfig::new(Number::new(SIZE).expect("SIZE is a number"))
    };
    Core::new(cfg, store, Box::new(Seeded::new(seed)))
}

/// 11 digits that are not a valid CPF, and other near misses.
pub const BAD_CPFS: [&str; 6] = [
    "12345678900",
    "11111111111",
    "00000000000",
    "123.456.789-09",
    "1234567890",
    "123456789091",
];

// ---------------------------------------------------------------------------
// The observer's reading of the bytes (lrv §3.3, §6.1), independent of the
// codec.

/// A request line as the observer reads it.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Req {
    Registrar(String),
    Esgotou,
    Disponiveis,
    Comprados,
    Comprar(u32),
    Sorteio,
    Sair,
    /// Outside the grammar, or over the limit (lrv §9.1, §9.2).
    Invalid,
}

/// lrv §6.1, strictly.
fn parse(content: &[u8]) -> Req {
    match content {
        b"ESGOTOU" => return Req::Esgotou,
        b"DISPONIVEIS" => return Req::Disponiveis,
        b"COMPRADOS" => return Req::Comprados,
        b"SORTEIO" => return Req::Sorteio,
        b"SAIR" => return Req::Sair,
        _ => {}
    }
    if let Some(cpf) = content.strip_prefix(b"REGISTRAR ")
        && cpf.len() == 11
        && cpf.iter().all(u8::is_ascii_digit)
    {
        return Req::Registrar(String::from_utf8_lossy(cpf).into_owned());
    }
    if let Some(n) = content.strip_prefix(b"COMPRAR ")
        && (1..=5).contains(&n.len())
        && n[0] != b'0'
        && n.iter().all(u8::is_ascii_digit)
    {
        let v = n.iter().fold(0u32, |v, d| v * 10 + u32::from(d - b'0'));
        if v <= 10_000 {
            return Req::Comprar(v);
        }
    }
    Req::Invalid
}

/// lrv §4.1: both check digits, not all digits equal.
pub fn cpf_valid(cpf: &str) -> bool {
    let d: Vec<u32> = cpf
        .bytes()
        .map(|b| u32::from(b.wrapping_sub(b'0')))
        .collect();
    if d.len() != 11 || d.iter().any(|&x| x > 9) || d.iter().all(|&x| x == d[0]) {
        return false;
    }
    let check = |upto: usize| {
        let s: u32 = (0..upto).map(|i| d[i] * (upto as u32 + 1 - i as u32)).sum();
        let r = s % 11;
        if r < 2 { 0 } else { 11 - r }
    };
    check(9) == d[9] && check(10) == d[10]
}

/// One connection as the observer frames it.
#[derive(Debug, Default)]
struct Lines {
    /// Bytes of a line not yet ended.
    pending: Vec<u8>,
    /// Dropping the rest of an over-long line (L3).
    discarding: bool,
    /// Request lines read and not yet answered, in order.
    queue: VecDeque<Req>,
    /// The CPF it is registered as, as the replies revealed (lrv §8.1).
    cpf: Option<String>,
    /// Got the greeting.
    greeted: bool,
}

impl Lines {
    /// L1–L5 on what arrived, `end` the boundary after it.
    fn read(&mut self, bytes: &[u8], end: End) {
        let limit = MAX_REQUEST_LEN;
        self.pending.extend_from_slice(bytes);
        loop {
            if self.discarding {
                match self.pending.iter().position(|&b| b == b'\n') {
                    Some(lf) => {
                        self.pending.drain(..=lf);
                        self.discarding = false;
                        continue;
                    }
                    None => {
                        self.pending.clear();
                        self.discarding = end == End::More;
                        return;
                    }
                }
            }
            // L2: empty lines are no request.
            loop {
                if self.pending.starts_with(b"\n") {
                    self.pending.drain(..1);
                } else if self.pending.starts_with(b"\r\n") {
                    self.pending.drain(..2);
                } else {
                    break;
                }
            }
            match self.pending.iter().position(|&b| b == b'\n') {
                Some(lf) => {
                    let mut content = &self.pending[..lf];
                    if let [c @ .., b'\r'] = content {
                        content = c;
                    }
                    if content.len() > limit {
                        // L3: 400 once, dropped to its LF.
                        self.queue.push_back(Req::Invalid);
                    } else {
                        self.queue.push_back(parse(content));
                    }
                    self.pending.drain(..=lf);
                }
                None => {
                    let n = self.pending.len();
                    let cr_pending = n == limit + 1 && self.pending[limit] == b'\r';
                    if n > limit && !(cr_pending && end == End::More) {
                        self.queue.push_back(Req::Invalid);
                        self.pending.clear();
                        self.discarding = end == End::More;
                        continue;
                    }
                    if end == End::Boundary && n > 0 {
                        // L4: a boundary ends the line; a lone CR is content.
                        let content = std::mem::take(&mut self.pending);
                        self.queue.push_back(parse(&content));
                    }
                    return;
                }
            }
        }
    }

    /// Bytes wait that a boundary would end, or a long line is dropped.
    fn open(&self) -> bool {
        self.discarding || !self.pending.is_empty()
    }
}

// ---------------------------------------------------------------------------
// The observer.

/// What the clients, together, know of the server. See the module docs.
#[derive(Debug, Default)]
pub struct Observer {
    /// Live connections.
    conns: BTreeMap<ConnId, Lines>,
    /// CPFs that got a `200` (lrv §6.2), across restarts.
    cpfs: BTreeSet<String>,
    /// Who bought each number (every `202`), across restarts.
    sold: BTreeMap<u32, String>,
    /// The draw, once the store or a `207` showed it; never changes.
    draw: Option<(u32, String)>,
    /// `StoreOp::Draw`s the core ever emitted.
    draw_ops: usize,
}

impl Observer {
    /// Numbers not yet sold.
    pub fn available(&self) -> Vec<u32> {
        (1..=SIZE).filter(|n| !self.sold.contains_key(n)).collect()
    }

    /// The CPF `conn` is registered as.
    pub fn cpf(&self, conn: ConnId) -> Option<&str> {
        self.conns.get(&conn)?.cpf.as_deref()
    }

    /// Bytes `conn`'s client sent that arrive as one read.
    pub fn read(&mut self, conn: ConnId, bytes: &[u8]) {
        if let Some(c) = self.conns.get_mut(&conn) {
            c.read(bytes, End::More);
        }
    }

    /// A pause after the reads: a boundary ends an open line (L4).
    pub fn pause(&mut self, conn: ConnId) {
        if let Some(c) = self.conns.get_mut(&conn)
            && c.open()
        {
            c.read(b"", End::Boundary);
        }
    }

    /// A connection was accepted: its only line so far is the greeting.
    pub fn opened(&mut self, conn: ConnId, actions: &[Action]) {
        self.conns.insert(conn, Lines::default());
        self.actions(actions);
        assert!(
            self.conns[&conn].greeted,
            "lrv §5: no greeting on accepting {conn}: {actions:?}"
        );
    }

    /// The client closes: EOF ends an open line unless `reset`.
    pub fn closing(&mut self, conn: ConnId, reset: bool) {
        if let Some(c) = self.conns.get_mut(&conn)
            && !reset
        {
            c.read(b"", End::Boundary);
        }
    }

    /// After the close's actions: the connection is gone.
    pub fn closed(&mut self, conn: ConnId) {
        self.conns.remove(&conn);
    }

    /// Every connection dropped with the server.
    pub fn restarted(&mut self) {
        self.conns.clear();
    }

    /// Whether `conn` is live as far as the replies tell.
    pub fn is_live(&self, conn: ConnId) -> bool {
        self.conns.contains_key(&conn)
    }

    /// Checks the effects of one step, in order.
    pub fn actions(&mut self, actions: &[Action]) {
        for a in actions {
            match a {
                Action::Send { conn, frames } => {
                    for f in frames {
                        self.sent(*conn, &f.bytes);
                    }
                }
                Action::Close { conn, .. } => {
                    // A slow reader (lrv §10.2): the line whose reply
                    // overflowed the queue was acted on, nothing after it.
                    let Some(c) = self.conns.get_mut(conn) else {
                        panic!("the core closed {conn}, which is not live");
                    };
                    if c.greeted {
                        let req = c.queue.pop_front().unwrap_or_else(|| {
                            panic!(
                                "the core closed {conn} as a slow reader with no request waiting"
                            )
                        });
                        let _ = self.expect(*conn, &req);
                    }
                    self.conns.remove(conn);
                }
                Action::Store(StoreOp::Draw(d)) => {
                    self.draw_ops += 1;
                    assert_eq!(self.draw_ops, 1, "lrv §8.4: a second draw {d:?}");
                    self.learn_draw(d.number.get(), d.winner.as_str());
                }
                // Only faults make these; the model has none.
                Action::Ask(_) | Action::Crash { .. } => {
                    panic!("{a:?} with no fault configured")
                }
                _ => {}
            }
        }
    }

    fn learn_draw(&mut self, number: u32, winner: &str) {
        let d = (number, winner.to_owned());
        match &self.draw {
            Some(old) => assert_eq!(*old, d, "lrv §8.4: the draw changed"),
            None => self.draw = Some(d),
        }
    }

    /// One line written to `conn`.
    fn sent(&mut self, conn: ConnId, bytes: &[u8]) {
        let Some(c) = self.conns.get_mut(&conn) else {
            panic!(
                "a line written to {conn}, which is closed: {:?}",
                String::from_utf8_lossy(bytes)
            );
        };
        if !c.greeted {
            c.greeted = true;
            // lrv §5, byte for byte.
            let want = "Bem-vindo à compra de rifa!\n";
            assert_eq!(
                bytes,
                want.as_bytes(),
                "lrv §5: the first line on {conn} is not the greeting"
            );
            return;
        }
        let Some(req) = c.queue.pop_front() else {
            panic!(
                "lrv §8.5: an unsolicited line on {conn}: {:?}",
                String::from_utf8_lossy(bytes)
            );
        };
        let want = self.expect(conn, &req);
        if bytes == want.as_bytes() {
            return;
        }
        // The draw: the number is the entropy's; it must name a sold
        // number and its buyer, and be the same forever (lrv §7.4, §8.4).
        if want == "207?" {
            let line = String::from_utf8_lossy(bytes);
            let parts: Vec<&str> = line
                .strip_suffix('\n')
                .unwrap_or_else(|| panic!("207 without its LF: {line:?}"))
                .split(' ')
                .collect();
            let [code, number, winner] = parts[..] else {
                panic!("lrv §7.4: not a 207 <number> <cpf>: {line:?} for {req:?}");
            };
            assert_eq!(code, "207", "for {req:?}");
            let number: u32 = number
                .parse()
                .unwrap_or_else(|_| panic!("lrv §7.4: 207 number {number:?}"));
            assert_eq!(
                self.sold.get(&number).map(String::as_str),
                Some(winner),
                "lrv §8.4: 207 {number} {winner}, but {number} was bought by {:?}",
                self.sold.get(&number)
            );
            self.learn_draw(number, winner);
            return;
        }
        panic!(
            "on {conn}, {req:?} was answered {:?}, lrv says {want:?}",
            String::from_utf8_lossy(bytes)
        );
    }

    /// The reply lrv requires to `req` on `conn` now, its effect applied
    /// to the model; `"207?"` for a draw not yet known.
    fn expect(&mut self, conn: ConnId, req: &Req) -> String {
        let list = |v: Vec<u32>, code: &str| {
            if v.is_empty() {
                format!("{code}\n")
            } else {
                let s: Vec<String> = v.iter().map(u32::to_string).collect();
                format!("{code} {}\n", s.join(","))
            }
        };
        let sold_out = self.sold.len() == SIZE as usize;
        let mine = self.conns.get(&conn).and_then(|c| c.cpf.clone());
        match req {
            Req::Invalid => "400\n".into(),
            Req::Registrar(cpf) if !cpf_valid(cpf) => "400\n".into(),
            Req::Registrar(cpf) => {
                let new = self.cpfs.insert(cpf.clone());
                if let Some(c) = self.conns.get_mut(&conn) {
                    c.cpf = Some(cpf.clone());
                }
                if new { "200\n" } else { "201\n" }.into()
            }
            Req::Esgotou => if sold_out { "205\n" } else { "206\n" }.into(),
            Req::Disponiveis => list(self.available(), "203"),
            Req::Comprados => match mine {
                None => "400\n".into(),
                Some(cpf) => list(
                    self.sold
                        .iter()
                        .filter(|(_, o)| **o == cpf)
                        .map(|(n, _)| *n)
                        .collect(),
                    "208",
                ),
            },
            Req::Comprar(n) => match mine {
                None => "400\n".into(),
                Some(_) if *n == 0 || *n > SIZE => "400\n".into(),
                Some(_) if self.sold.contains_key(n) => "401\n".into(),
                Some(cpf) => {
                    self.sold.insert(*n, cpf);
                    if self.sold.len() == SIZE as usize {
                        // lrv §8.4: drawn before this 202 goes out, in the
                        // same call (its Store op came first).
                        assert_eq!(
                            self.draw_ops, 1,
                            "lrv §8.4: the last number sold with no draw"
                        );
                    } else {
                        assert_eq!(self.draw_ops, 0, "lrv §8.4: drawn before the sell-out");
                    }
                    "202\n".into()
                }
            },
            Req::Sorteio if !sold_out => "402\n".into(),
            Req::Sorteio => match &self.draw {
                Some((n, w)) => format!("207 {n} {w}\n"),
                None => "207?".into(),
            },
            Req::Sair => {
                // D20: 204, then nothing more is read.
                if let Some(c) = self.conns.get_mut(&conn) {
                    c.queue.clear();
                }
                self.conns.remove(&conn);
                "204\n".into()
            }
        }
    }

    /// After every step: each line read got its reply (lrv §8.5), the
    /// observer's framing agrees with the core's on what is open (L4),
    /// live connections agree, and the store holds exactly what the
    /// replies said (lrv §10.1).
    pub fn check(&self, sim: &Sim<Core>, conns: &[ConnId]) {
        for &conn in conns {
            assert_eq!(
                sim.is_open(conn),
                self.is_live(conn),
                "{conn}: the server and the replies disagree on whether it is open"
            );
        }
        for (conn, c) in &self.conns {
            assert!(
                c.queue.is_empty(),
                "lrv §8.5: {conn} sent {:?} and got no reply",
                c.queue
            );
        }
        let store = sim.store();
        let cpfs: BTreeSet<String> = store.cpfs.iter().map(|c| c.as_str().to_owned()).collect();
        assert_eq!(
            cpfs, self.cpfs,
            "lrv §10.1: the stored CPFs are not those answered 200"
        );
        let sold: BTreeMap<u32, String> = store
            .sold
            .iter()
            .map(|(n, c)| (n.get(), c.as_str().to_owned()))
            .collect();
        assert_eq!(
            sold, self.sold,
            "lrv §10.1: the stored sales are not those answered 202"
        );
        let sold_out = self.sold.len() == SIZE as usize;
        match &store.draw {
            None => assert!(!sold_out, "lrv §8.4: sold out and nothing drawn"),
            Some(Draw { number, winner }) => {
                assert!(sold_out, "lrv §8.4: drawn before the sell-out");
                assert_eq!(
                    self.sold.get(&number.get()).map(String::as_str),
                    Some(winner.as_str()),
                    "lrv §8.4: the winner did not buy the winning number"
                );
                assert_eq!(
                    self.draw.as_ref(),
                    Some(&(number.get(), winner.as_str().to_owned())),
                    "lrv §8.4: the stored draw is not the one seen"
                );
            }
        }
        assert_eq!(self.draw_ops, usize::from(sold_out), "lrv §8.4: drawn once");
    }

    /// The framing agrees with the core on whether `conn` has a line open.
    pub fn check_open(&self, conn: ConnId, core_open: Option<bool>) {
        if let (Some(c), Some(open)) = (self.conns.get(&conn), core_open) {
            assert_eq!(
                c.open(),
                open,
                "lrv §3.3: {conn} has {:?} pending (discarding: {}), the core says open = {open}",
                String::from_utf8_lossy(&c.pending),
                c.discarding
            );
        }
    }
}

/// A [`Cpf`] of the pool, for generators.
pub fn cpf(s: &str) -> Cpf<'static> {
    Cpf::parse(s).expect("11 digits").into_owned()
}
