//! The core, through the in-memory driver ([`Sim`]) the way the runtime
//! drives it, and called directly where a test is about one call: every
//! rule of lrv §5–§10 and every fault and quirk, with no I/O.

use std::collections::BTreeSet;
use std::time::Instant;

use gabarito_codec::lrv::{Cpf, End, Number};

use super::*;
use crate::sans_io::{Core as _, Input, Next, Sim};

const A: &str = "12345678909";
const B: &str = "52998224725";
const C: &str = "00000000191";

fn n(v: u32) -> Number {
    Number::new(v).expect("number")
}

fn cpf(s: &str) -> Cpf<'static> {
    Cpf::parse(s).expect("cpf").into_owned()
}

/// The time of a direct call: the LRV core reads none.
fn now() -> Now {
    Now {
        unix: 0,
        mono: Instant::now(),
    }
}

/// A core of `size` numbers with these faults and quirks, on `snapshot`.
fn core(size: u32, faults: &[Fault], quirks: &[Quirk], snapshot: Snapshot) -> Core {
    let cfg = CoreConfig {
        faults: faults.iter().copied().collect(),
        quirks: quirks.iter().copied().collect(),
        ..CoreConfig::new(n(size))
    };
    Core::new(cfg, snapshot, Box::new(Seeded::new(1)))
}

/// `core` with connection 1 open and its greeting written, for tests of
/// one call.
fn opened(mut core: Core) -> (Core, ConnId) {
    let c = ConnId(1);
    core.opened(now(), c, &mut Vec::new());
    core.written(now(), c, 1, &[], &mut Vec::new());
    (core, c)
}

/// One call of `feed` on `core`: what it did, and its effects.
fn feed(core: &mut Core, conn: ConnId, bytes: &[u8], end: End, max: usize) -> (Fed, Vec<Action>) {
    let mut out = Vec::new();
    let input = Input {
        conn,
        buf: bytes,
        end,
        max,
    };
    let fed = core.feed(now(), input, &mut out);
    (fed, out)
}

/// A core in the [`Sim`], and the conversation with it.
struct T {
    sim: Sim<Core>,
}

impl T {
    fn new(size: u32, faults: &[Fault], quirks: &[Quirk]) -> T {
        T::from(size, faults, quirks, Snapshot::default())
    }

    fn from(size: u32, faults: &[Fault], quirks: &[Quirk], snapshot: Snapshot) -> T {
        let core = core(size, faults, quirks, snapshot.clone());
        T {
            sim: Sim::with_store(snapshot, core),
        }
    }

    /// Opens connection `c` (they are opened in order); the lines it is
    /// sent.
    fn open(&mut self, c: u64) -> Vec<String> {
        assert_eq!(self.sim.open(), ConnId(c), "connections open in order");
        lines(&self.sim.take_effects())
    }

    /// Opens `c` and drops the greeting.
    fn conn(&mut self, c: u64) -> ConnId {
        self.open(c);
        ConnId(c)
    }

    /// `bytes` written in one go, then a pause (a boundary if a line is
    /// left open, L4): every effect, and whether the connection is still
    /// open.
    fn feed(&mut self, conn: ConnId, bytes: &[u8]) -> (Vec<Action>, bool) {
        self.sim.write(conn, bytes);
        (self.sim.take_effects(), self.sim.is_open(conn))
    }

    /// The replies to `bytes`.
    fn say(&mut self, conn: ConnId, bytes: &str) -> Vec<String> {
        lines(&self.feed(conn, bytes.as_bytes()).0)
    }

    fn one(&mut self, conn: ConnId, request: &str) -> String {
        let r = self.say(conn, &format!("{request}\n"));
        assert_eq!(r.len(), 1, "{request}: {r:?}");
        r[0].clone()
    }

    fn registered(&mut self, c: u64, who: &str) -> ConnId {
        let conn = self.conn(c);
        let r = self.one(conn, &format!("REGISTRAR {who}"));
        assert!(r == "200\n" || r == "201\n", "{r}");
        conn
    }

    /// A restart on the store; what the new core stores at start.
    fn restart(&mut self) -> Vec<StoreOp> {
        let cfg = self.sim.core().config().clone();
        let store = self.sim.store().clone();
        self.sim
            .restart(Core::new(cfg, store, Box::new(Seeded::new(2))));
        stores(&self.sim.take_effects())
    }
}

fn lines(actions: &[Action]) -> Vec<String> {
    actions
        .iter()
        .filter_map(|a| match a {
            Action::Send { frames, .. } => Some(frames),
            _ => None,
        })
        .flatten()
        .map(|f| String::from_utf8_lossy(&f.bytes).into_owned())
        .collect()
}

fn stores(actions: &[Action]) -> Vec<StoreOp> {
    actions
        .iter()
        .filter_map(|a| match a {
            Action::Store(op) => Some(op.clone()),
            _ => None,
        })
        .collect()
}

#[test]
fn the_greeting_comes_first_on_every_connection() {
    let mut t = T::new(10, &[], &[]);
    assert_eq!(t.open(1), ["Bem-vindo à compra de rifa!\n"]);
    assert_eq!(t.open(2), ["Bem-vindo à compra de rifa!\n"]);
}

#[test]
fn registrar_stores_a_new_cpf_then_authenticates_it_anywhere() {
    let mut t = T::new(10, &[], &[]);
    let (c1, c2) = (t.conn(1), t.conn(2));
    let (actions, _) = t.feed(c1, b"REGISTRAR 12345678909\n");
    assert_eq!(stores(&actions), [StoreOp::Register(cpf(A))]);
    assert!(
        matches!(&actions[..], [Action::Store(_), Action::Send { .. }]),
        "lrv §10.1: the store op comes before its reply: {actions:?}"
    );
    assert_eq!(lines(&actions), ["200\n"]);
    let (actions, _) = t.feed(c2, b"REGISTRAR 12345678909\n");
    assert_eq!(
        (lines(&actions), stores(&actions)),
        (vec!["201\n".into()], vec![])
    );
    assert_eq!(t.one(c1, "REGISTRAR 12345678909"), "201\n");
    assert_eq!(
        t.one(c1, &format!("REGISTRAR {B}")),
        "200\n",
        "§6.2: switches"
    );
    assert_eq!(t.sim.core().registered_as(c1), Some(&cpf(B)));
    // A CPF stored before a restart is known (§10.1).
    let snap = Snapshot {
        cpfs: BTreeSet::from([cpf(A)]),
        ..Snapshot::default()
    };
    let mut t = T::from(10, &[], &[], snap);
    let c = t.conn(1);
    assert_eq!(t.one(c, "REGISTRAR 12345678909"), "201\n");
}

#[test]
fn an_invalid_cpf_is_400_and_changes_nothing() {
    let mut t = T::new(10, &[], &[]);
    let c = t.conn(1);
    for bad in [
        "REGISTRAR 12345678900",
        "REGISTRAR 11111111111",
        "REGISTRAR 123.456.789-09",
        "REGISTRAR 1234567890",
    ] {
        let (actions, _) = t.feed(c, format!("{bad}\n").as_bytes());
        assert_eq!(lines(&actions), ["400\n"], "{bad}");
        assert!(stores(&actions).is_empty(), "{bad}");
        assert_eq!(t.sim.core().registered_as(c), None);
    }
    let (actions, _) = t.feed(c, b"REGISTRAR 12345678900\n");
    let notice = actions.iter().find_map(|a| match a {
        Action::Notice { notice, .. } => Some(notice.to_string()),
        _ => None,
    });
    assert_eq!(
        notice.as_deref(),
        Some(
            "invalid request: byte 20: cpf must be a CPF whose two check digits match, found \"00\""
        ),
        "§9.2: logged with offset and field"
    );
}

#[test]
fn comprar_and_comprados_need_a_registration() {
    let mut t = T::new(10, &[], &[]);
    let c = t.conn(1);
    let (actions, _) = t.feed(c, b"COMPRAR 1\nCOMPRADOS\n");
    assert_eq!(lines(&actions), ["400\n", "400\n"], "D12");
    assert!(stores(&actions).is_empty());
    assert_eq!(
        t.say(c, "ESGOTOU\nDISPONIVEIS\nSORTEIO\n").len(),
        3,
        "public"
    );
}

#[test]
fn comprar_checks_range_then_availability_then_sells() {
    let mut t = T::new(5, &[], &[]);
    let a = t.registered(1, A);
    let b = t.registered(2, B);
    for bad in [
        "COMPRAR 6",
        "COMPRAR 0",
        "COMPRAR 10001",
        "COMPRAR 007",
        "COMPRAR x",
    ] {
        let (actions, _) = t.feed(a, format!("{bad}\n").as_bytes());
        assert_eq!(lines(&actions), ["400\n"], "{bad}");
        assert!(stores(&actions).is_empty(), "{bad}");
    }
    let (actions, _) = t.feed(a, b"COMPRAR 3\n");
    assert_eq!(
        stores(&actions),
        [StoreOp::Sell {
            number: n(3),
            owner: cpf(A)
        }]
    );
    assert_eq!(lines(&actions), ["202\n"]);
    assert_eq!(t.one(a, "COMPRAR 3"), "401\n", "D15: the buyer too");
    assert_eq!(t.one(b, "COMPRAR 3"), "401\n");
    assert_eq!(t.one(b, "COMPRAR 1"), "202\n");
    assert_eq!(t.one(a, "COMPRAR 5"), "202\n");
    assert_eq!(t.one(a, "COMPRADOS"), "208 3,5\n");
    assert_eq!(t.one(b, "COMPRADOS"), "208 1\n");
    assert_eq!(t.one(a, "DISPONIVEIS"), "203 2,4\n");
    assert_eq!(t.one(a, "ESGOTOU"), "206\n");
    let c = t.registered(3, C);
    assert_eq!(t.one(c, "COMPRADOS"), "208\n", "§7.3: empty list");
    let again = t.registered(4, A);
    assert_eq!(
        t.one(again, "COMPRADOS"),
        "208 3,5\n",
        "§6.5: any connection"
    );
}

#[test]
fn the_last_sale_draws_in_the_same_call_and_207_never_changes() {
    let mut t = T::new(3, &[], &[]);
    let a = t.registered(1, A);
    let b = t.registered(2, B);
    assert_eq!(t.one(a, "SORTEIO"), "402\n");
    t.one(a, "COMPRAR 1");
    t.one(b, "COMPRAR 2");
    let (actions, _) = t.feed(a, b"COMPRAR 3\n");
    let ops = stores(&actions);
    assert_eq!(ops.len(), 2, "{ops:?}");
    let StoreOp::Draw(draw) = &ops[1] else {
        panic!("§8.4: the draw goes with the last sale: {ops:?}");
    };
    let owner = if draw.number == n(2) { B } else { A };
    assert_eq!(draw.winner, cpf(owner), "the winner bought the number");
    let want = format!("207 {} {owner}\n", draw.number);
    assert_eq!(lines(&actions), ["202\n"]);
    assert_eq!(t.one(a, "SORTEIO"), want);
    assert_eq!(t.one(b, "SORTEIO"), want);
    assert_eq!(t.one(a, "ESGOTOU"), "205\n");
    assert_eq!(t.one(a, "DISPONIVEIS"), "203\n");
    assert_eq!(t.one(b, "COMPRAR 1"), "401\n");
    let anon = t.conn(3);
    assert_eq!(t.one(anon, "COMPRAR 1"), "400\n", "§8.4: still D12");
    assert!(t.restart().is_empty(), "drawn once");
}

#[test]
fn a_sold_out_store_without_a_draw_draws_at_start() {
    let snap = Snapshot {
        cpfs: BTreeSet::from([cpf(A)]),
        sold: (1..=4).map(|i| (n(i), cpf(A))).collect(),
        draw: None,
    };
    let mut t = T::from(4, &[], &[], snap.clone());
    let ops = stores(&t.sim.take_effects());
    let [StoreOp::Draw(d)] = &ops[..] else {
        panic!("{ops:?}")
    };
    assert_eq!(d.winner, cpf(A));
    let c = t.conn(1);
    assert_eq!(t.one(c, "SORTEIO"), format!("207 {} {A}\n", d.number));
    // Not sold out: nothing at start.
    let mut partial = snap;
    partial.sold.remove(&n(4));
    assert!(core(4, &[], &[], partial).start().is_empty());
}

#[test]
fn framing_follows_l1_to_l5() {
    let mut t = T::new(10, &[], &[]);
    let c = t.registered(1, A);
    assert_eq!(t.say(c, "ESGOTOU\r\n"), ["206\n"], "CRLF tolerated");
    assert_eq!(
        t.say(c, "\n\r\n\nESGOTOU\n\n"),
        ["206\n"],
        "L2: empty lines skipped"
    );
    assert_eq!(
        t.say(c, "COMPRAR 1\nCOMPRAR 1\nCOMPRADOS\n"),
        ["202\n", "401\n", "208 1\n"],
        "L5, §8.5: glued lines answered each, in order"
    );
    // L4: an unterminated line waits for a boundary.
    let (mut core, c) = opened(core(10, &[], &[], Snapshot::default()));
    let (fed, _) = feed(&mut core, c, b"ESGOTOU", End::More, 64);
    assert_eq!((fed.consumed, fed.next), (0, Next::NeedMore { open: true }));
    let (fed, out) = feed(&mut core, c, b"ESGOTOU", End::Boundary, 64);
    assert_eq!((fed.consumed, lines(&out)), (7, vec!["206\n".to_owned()]));
    // Nothing but empty lines: idle, not open.
    let (fed, _) = feed(&mut core, c, b"\n\n", End::More, 64);
    assert_eq!(
        (fed.consumed, fed.next),
        (2, Next::NeedMore { open: false })
    );
    // The reader's limit.
    let (fed, _) = feed(&mut core, c, b"ESGOTOU\nESGOTOU\nESGOTOU\n", End::More, 2);
    assert_eq!((fed.consumed, fed.frames, fed.next), (16, 2, Next::More));
}

#[test]
fn an_over_long_line_is_answered_400_once_and_dropped_to_its_lf() {
    let (mut core, c) = opened(core(10, &[], &[], Snapshot::default()));
    let long = vec![b'A'; 300];
    let (fed, mut out) = feed(&mut core, c, &long, End::More, 64);
    assert_eq!(fed.consumed, 300);
    assert_eq!(fed.next, Next::NeedMore { open: true });
    let (fed, more) = feed(&mut core, c, &[b'B'; 5000], End::More, 64);
    assert_eq!(fed.consumed, 5000, "dropped as it arrives");
    out.extend(more);
    let (fed, more) = feed(&mut core, c, b"CC\nESGOTOU\n", End::More, 64);
    assert_eq!(fed.consumed, 11);
    out.extend(more);
    assert_eq!(lines(&out), ["400\n", "206\n"], "§9.1: 400 once");
    // A boundary ends the dropping too (L3, L4).
    let mut out = feed(&mut core, c, &long, End::More, 64).1;
    out.extend(feed(&mut core, c, b"", End::Boundary, 64).1);
    out.extend(feed(&mut core, c, b"ESGOTOU\n", End::More, 64).1);
    assert_eq!(lines(&out), ["400\n", "206\n"]);
    // 256 bytes is within the limit: one 400 for an unknown command.
    let mut t = T::new(10, &[], &[]);
    let c = t.conn(1);
    assert_eq!(t.say(c, &format!("{}\n", "A".repeat(256))), ["400\n"]);
}

#[test]
fn every_invalid_request_of_6_1_is_400_and_acts_on_nothing() {
    let mut t = T::new(10, &[], &[]);
    let c = t.registered(1, A);
    for bad in [
        "COMPRA 7",
        "HELP",
        "200",
        "comprar 7",
        "Sair",
        "DISPONÍVEIS",
        "COMPRAR  7",
        " SAIR",
        "SAIR ",
        "COMPRAR 7 ",
        "COMPRAR",
        "REGISTRAR ",
        "COMPRAR ",
        "SAIR agora",
        "ESGOTOU 1",
        "COMPRAR 7 8",
        "COMPRAR\t7",
        "COMPRAR 007",
        "\u{ff}\u{fe}",
    ] {
        let (actions, open) = t.feed(c, format!("{bad}\n").as_bytes());
        assert_eq!(lines(&actions), ["400\n"], "{bad:?}");
        assert!(stores(&actions).is_empty(), "{bad:?}");
        assert!(open, "{bad:?}: the connection stays open");
    }
    let (actions, _) = t.feed(c, b"\xff\xfe\n");
    assert_eq!(lines(&actions), ["400\n"], "§9.1: not UTF-8");
    assert_eq!(t.one(c, "COMPRADOS"), "208\n", "nothing was bought");
}

#[test]
fn sair_answers_204_then_reads_nothing_more() {
    let mut t = T::new(10, &[], &[]);
    let c = t.registered(1, A);
    let (actions, open) = t.feed(c, b"SAIR\nCOMPRAR 1\n");
    assert_eq!((lines(&actions), open), (vec!["204\n".to_owned()], false));
    assert!(
        stores(&actions).is_empty(),
        "D20: COMPRAR after SAIR not acted on"
    );
}

#[test]
fn fault_no_greeting_and_quirk_banner() {
    assert!(T::new(10, &[Fault::NoGreeting], &[]).open(1).is_empty());
    assert_eq!(
        T::new(10, &[], &[Quirk::Banner]).open(1),
        ["Bem-vindo à compra de rifa!\n", "Digite um comando:\n"]
    );
}

#[test]
fn fault_double_sale_checks_now_and_sells_later() {
    // Called directly: the Sim would make each late sale before the next
    // COMPRAR, and the race is the point.
    let mut core = core(10, &[Fault::DoubleSale], &[], Snapshot::default());
    let (a, b) = (ConnId(1), ConnId(2));
    let mut late = Vec::new();
    for (c, who) in [(a, A), (b, B)] {
        core.opened(now(), c, &mut Vec::new());
        let (_, out) = feed(
            &mut core,
            c,
            format!("REGISTRAR {who}\n").as_bytes(),
            End::More,
            64,
        );
        assert_eq!(lines(&out), ["200\n"]);
    }
    for c in [a, b] {
        let (fed, actions) = feed(&mut core, c, b"COMPRAR 7\nESGOTOU\n", End::More, 64);
        assert_eq!(fed.next, Next::Wait, "the ESGOTOU waits for the late 202");
        assert!(lines(&actions).is_empty() && stores(&actions).is_empty());
        let [Action::Ask(sale)] = &actions[..] else {
            panic!("{actions:?}")
        };
        assert_eq!((sale.conn, sale.number), (c, n(7)));
        late.push(sale.clone());
    }
    for sale in late {
        let mut actions = Vec::new();
        core.answer(now(), sale, &mut actions);
        assert_eq!(lines(&actions), ["202\n"], "§8.3 broken: both sold");
        assert_eq!(stores(&actions).len(), 1);
    }
    let (_, out) = feed(&mut core, a, b"COMPRAR 7\n", End::More, 64);
    assert_eq!(lines(&out), ["401\n"], "a sequential buyer still gets 401");
    let (_, out) = feed(&mut core, b, b"COMPRADOS\n", End::More, 64);
    assert_eq!(lines(&out), ["208 7\n"]);
}

#[test]
fn fault_resell_reassigns_a_number_of_another_cpf() {
    let mut t = T::new(10, &[Fault::Resell], &[]);
    let a = t.registered(1, A);
    let b = t.registered(2, B);
    t.one(a, "COMPRAR 7");
    assert_eq!(t.one(a, "COMPRAR 7"), "401\n", "own number: still 401");
    assert_eq!(t.one(b, "COMPRAR 7"), "202\n");
    assert_eq!(t.one(a, "COMPRADOS"), "208\n");
    assert_eq!(t.one(b, "COMPRADOS"), "208 7\n");
}

#[test]
fn fault_early_draw_draws_before_the_sell_out_and_repeats_it() {
    let mut t = T::new(10, &[Fault::EarlyDraw], &[]);
    let a = t.registered(1, A);
    t.one(a, "COMPRAR 4");
    let (actions, _) = t.feed(a, b"SORTEIO\n");
    assert!(matches!(&stores(&actions)[..], [StoreOp::Draw(_)]));
    assert_eq!(
        lines(&actions),
        [format!("207 4 {A}\n")],
        "the only sold number"
    );
    assert_eq!(t.one(a, "SORTEIO"), format!("207 4 {A}\n"));
    let mut none = T::new(10, &[Fault::EarlyDraw], &[]);
    let c = none.conn(1);
    assert!(none.one(c, "SORTEIO").starts_with("207 "));
}

#[test]
fn fault_redraw_on_restart_draws_another_number_at_start() {
    let snap = Snapshot {
        cpfs: BTreeSet::from([cpf(A)]),
        sold: (1..=5).map(|i| (n(i), cpf(A))).collect(),
        draw: Some(Draw {
            number: n(3),
            winner: cpf(A),
        }),
    };
    for seed in 0..20 {
        let cfg = CoreConfig {
            faults: BTreeSet::from([Fault::RedrawOnRestart]),
            ..CoreConfig::new(n(5))
        };
        let mut core = Core::new(cfg, snap.clone(), Box::new(Seeded::new(seed)));
        let ops = core.start();
        let [StoreOp::Draw(d)] = &ops[..] else {
            panic!("{ops:?}")
        };
        assert_ne!(d.number, n(3));
    }
    assert!(
        core(5, &[], &[], snap).start().is_empty(),
        "without the fault"
    );
}

#[test]
fn fault_recv_per_message_drops_the_rest_of_a_read() {
    let mut t = T::new(10, &[Fault::RecvPerMessage], &[]);
    let c = t.registered(1, A);
    assert_eq!(t.say(c, "ESGOTOU\nCOMPRAR 1\nSORTEIO\n"), ["206\n"]);
    assert_eq!(t.one(c, "COMPRADOS"), "208\n", "the COMPRAR was lost");
}

#[test]
fn faults_and_quirks_of_invalid_requests() {
    let mut t = T::new(10, &[Fault::SilentInvalid], &[]);
    let c = t.conn(1);
    assert_eq!(t.say(c, "HELP\nESGOTOU\n"), ["206\n"]);
    let mut t = T::new(10, &[], &[Quirk::CloseOnInvalid]);
    let c = t.conn(1);
    let (actions, open) = t.feed(c, b"HELP\nESGOTOU\n");
    assert_eq!((lines(&actions), open), (vec![], false));
    let mut t = T::new(10, &[Fault::CrashOnMalformed], &[]);
    let c = t.conn(1);
    let (actions, open) = t.feed(c, b"ESGOTOU\nHELP\n");
    assert!(!open);
    assert!(t.sim.crashed().is_some());
    assert!(actions.iter().any(|a| matches!(a, Action::Crash { .. })));
    let mut t = T::new(10, &[], &[Quirk::EmptyLine400]);
    let c = t.conn(1);
    assert_eq!(t.say(c, "\nESGOTOU\r\n\r\n"), ["400\n", "206\n", "400\n"]);
}

#[test]
fn fault_buy_unregistered_buys_for_nobody() {
    let mut t = T::new(10, &[Fault::BuyUnregistered], &[]);
    let c = t.conn(1);
    let (actions, _) = t.feed(c, b"COMPRAR 2\n");
    assert_eq!(lines(&actions), ["202\n"]);
    assert_eq!(
        stores(&actions),
        [StoreOp::Sell {
            number: n(2),
            owner: cpf(ANONYMOUS)
        }]
    );
    assert_eq!(t.one(c, "COMPRADOS"), "208 2\n");
}

#[test]
fn fault_always_new_and_quirk_no_cpf_check() {
    let mut t = T::new(10, &[Fault::AlwaysNew], &[]);
    let c = t.conn(1);
    assert_eq!(t.one(c, &format!("REGISTRAR {A}")), "200\n");
    assert_eq!(t.one(c, &format!("REGISTRAR {A}")), "200\n");
    let mut t = T::new(10, &[], &[Quirk::NoCpfCheck]);
    let c = t.conn(1);
    assert_eq!(t.one(c, "REGISTRAR 12345678900"), "200\n");
    assert_eq!(t.one(c, "REGISTRAR 1234567890"), "400\n", "still 11 digits");
}

#[test]
fn faults_and_quirks_of_sair() {
    let mut t = T::new(10, &[Fault::SairNoReply], &[]);
    let c = t.conn(1);
    let (actions, open) = t.feed(c, b"SAIR\n");
    assert_eq!((lines(&actions), open), (vec![], false));
    let mut t = T::new(10, &[], &[Quirk::KeepOpenAfterSair]);
    let c = t.conn(1);
    let (actions, open) = t.feed(c, b"SAIR\nESGOTOU\n");
    assert_eq!(
        lines(&actions),
        ["204\n"],
        "lrv §6.8: nothing after SAIR is read"
    );
    assert!(open);
    let (actions, open) = t.feed(c, b"ESGOTOU\n");
    assert_eq!((lines(&actions), open), (vec![], true));
}

#[test]
fn fault_stale_list_lists_sold_numbers() {
    let mut t = T::new(3, &[Fault::StaleList], &[]);
    let a = t.registered(1, A);
    t.one(a, "COMPRAR 2");
    assert_eq!(t.one(a, "DISPONIVEIS"), "203 1,2,3\n");
}

#[test]
fn fault_act_on_extra_buys_the_first_argument() {
    let mut t = T::new(10, &[Fault::ActOnExtra], &[]);
    let a = t.registered(1, A);
    assert_eq!(t.one(a, "COMPRAR 7 8"), "202\n");
    assert_eq!(t.one(a, "COMPRADOS"), "208 7\n");
}

#[test]
fn quirk_lenient_accepts_the_tolerated_variants_as_the_same_requests() {
    let mut t = T::new(10, &[], &[Quirk::Lenient]);
    let c = t.conn(1);
    assert_eq!(t.one(c, "registrar 123.456.789-09"), "200\n");
    assert_eq!(
        t.one(c, &format!("REGISTRAR {A}")),
        "201\n",
        "D11: same CPF"
    );
    assert_eq!(t.one(c, "Comprar  007"), "202\n");
    assert_eq!(t.one(c, "comprados agora"), "208 7\n");
    assert_eq!(
        t.one(c, "DISPONÍVEIS").len(),
        "203 1,2,3,4,5,6,8,9,10\n".len()
    );
    assert_eq!(t.one(c, "COMPRAR 7 8"), "400\n", "D6: never acted on");
    assert_eq!(t.one(c, "COMPRA 8"), "400\n");
}

#[test]
fn quirks_that_shape_replies() {
    let mut t = T::new(5, &[], &[Quirk::Unordered]);
    let a = t.registered(1, A);
    t.one(a, "COMPRAR 2");
    t.one(a, "COMPRAR 4");
    assert_eq!(t.one(a, "COMPRADOS"), "208 4,2\n");
    assert_eq!(t.one(a, "DISPONIVEIS"), "203 5,3,1\n");
    let mut t = T::new(5, &[], &[Quirk::Crlf]);
    assert_eq!(t.open(1), ["Bem-vindo à compra de rifa!\r\n"]);
    assert_eq!(t.one(ConnId(1), "ESGOTOU"), "206\r\n");
    let mut t = T::new(5, &[], &[Quirk::NoNewline]);
    assert_eq!(t.open(1), ["Bem-vindo à compra de rifa!"]);
    let r = t.say(ConnId(1), "ESGOTOU\n");
    assert_eq!(r, ["206"]);
    let mut t = T::new(5, &[], &[Quirk::HumanText]);
    let c = t.conn(1);
    assert_eq!(
        t.one(c, &format!("REGISTRAR {A}")),
        "200 - Cliente registrado\n"
    );
}

#[test]
fn a_reader_that_never_reads_is_closed_past_max_queue() {
    let cfg = CoreConfig {
        max_queue: 3,
        ..CoreConfig::new(n(10))
    };
    let (mut core, c) = opened(Core::new(
        cfg,
        Snapshot::default(),
        Box::new(Seeded::new(1)),
    ));
    let bytes = b"ESGOTOU\nESGOTOU\nESGOTOU\nESGOTOU\n";
    let (_, out) = feed(&mut core, c, bytes, End::More, 64);
    assert_eq!(lines(&out).len(), 3);
    assert!(out.iter().any(|a| matches!(a, Action::Close { .. })));
    assert_eq!(core.connections(), 0);
}

/// lrv §10.2: what a slow reader costs is counted in bytes. With a raffle
/// of 1,000 a `DISPONIVEIS` reply is about 3.9 KB: five of them are over
/// 16 KiB, though five lines are far under `max_queue`.
#[test]
fn a_reader_that_never_reads_is_closed_past_max_queue_bytes() {
    let cfg = CoreConfig {
        max_queue_bytes: 16 * 1024,
        ..CoreConfig::new(n(1000))
    };
    let (mut core, c) = opened(Core::new(
        cfg,
        Snapshot::default(),
        Box::new(Seeded::new(1)),
    ));
    let (_, out) = feed(&mut core, c, &b"DISPONIVEIS\n".repeat(100), End::More, 64);
    let sent = lines(&out);
    assert_eq!(sent.len(), 4, "4 replies fit in 16 KiB");
    assert!(sent.iter().map(|l| l.len()).sum::<usize>() <= 16 * 1024);
    assert!(matches!(out.last(), Some(Action::Close { .. })), "{out:?}");
    assert_eq!(core.connections(), 0);
}

/// lrv §10.2 --max-rejected: the first 3 invalid requests are answered
/// `400`; the 4th is answered and then the connection is closed.
#[test]
fn a_connection_that_keeps_sending_invalid_requests_is_closed() {
    let cfg = CoreConfig {
        max_rejected: 3,
        ..CoreConfig::new(n(10))
    };
    let (mut core, c) = opened(Core::new(
        cfg,
        Snapshot::default(),
        Box::new(Seeded::new(1)),
    ));
    let (fed, out) = feed(&mut core, c, b"X\nX\nX\nX\nESGOTOU\n", End::More, 64);
    assert_eq!(lines(&out), ["400\n"; 4]);
    assert_eq!(fed.next, Next::Close);
    assert!(out.iter().any(|a| matches!(
        a,
        Action::Notice {
            notice: Notice::TooManyInvalid { max: 3 },
            ..
        }
    )));
}

/// Found by the `lrv_session` fuzz target: a reply that overflowed
/// `max_queue` closed the connection, yet the rest of the same read was
/// still acted on — a `REGISTRAR` after it stored a CPF no client was ever
/// answered `200` for (and a later one got `201`). Once the core has
/// forgotten a connection (`Action::Close`), nothing more it sent counts.
#[test]
fn nothing_after_a_slow_reader_close_is_acted_on() {
    let cfg = CoreConfig {
        max_queue: 1,
        ..CoreConfig::new(n(10))
    };
    let (mut core, c) = opened(Core::new(
        cfg,
        Snapshot::default(),
        Box::new(Seeded::new(1)),
    ));
    let bytes = format!("ESGOTOU\nESGOTOU\nREGISTRAR {A}\nREGISTRAR {B}\n");
    let (fed, out) = feed(&mut core, c, bytes.as_bytes(), End::More, 64);
    assert_eq!(lines(&out), ["206\n"]);
    assert!(matches!(out.last(), Some(Action::Close { .. })), "{out:?}");
    assert_eq!(
        stores(&out),
        [],
        "lrv §10.1: nothing stored after the close"
    );
    assert_eq!(fed.consumed, bytes.len(), "the rest of the read is dropped");
    assert_eq!(fed.next, Next::NeedMore { open: false });
    let mut d = Vec::new();
    core.opened(now(), ConnId(2), &mut d);
    assert_eq!(lines(&d).len(), 1);
    core.written(now(), ConnId(2), 1, &[], &mut d);
    let registrar = format!("REGISTRAR {A}\n");
    let (_, out) = feed(&mut core, ConnId(2), registrar.as_bytes(), End::More, 64);
    assert_eq!(lines(&out), ["200\n"], "A was never registered");
}

/// Found by the `lrv_session` fuzz target: an over-long line after an
/// empty one (`"\r\n" + 300 bytes + "\n"`) was answered `400` twice — the
/// empty line's LF ended the dropping (L3) and the long line was read
/// again. lrv §9.1: `400` once.
#[test]
fn an_over_long_line_after_empty_lines_is_answered_400_once() {
    let mut t = T::new(10, &[], &[]);
    let c = t.registered(1, A);
    let long = "A".repeat(300);
    for before in ["\n", "\r\n", "\n\r\n\n"] {
        assert_eq!(
            t.say(c, &format!("{before}{long}\r\nESGOTOU\n")),
            ["400\n", "206\n"],
            "{before:?}, whole"
        );
        // Cut after the limit: the dropping goes on into the next read.
        let (mut core, c) = opened(core(10, &[], &[], Snapshot::default()));
        let bytes = format!("{before}{long}");
        let (fed, mut out) = feed(&mut core, c, bytes.as_bytes(), End::More, 64);
        assert_eq!(fed.consumed, bytes.len(), "{before:?}");
        out.extend(feed(&mut core, c, b"AAA\nESGOTOU\n", End::More, 64).1);
        assert_eq!(lines(&out), ["400\n", "206\n"], "{before:?}, cut");
    }
}
