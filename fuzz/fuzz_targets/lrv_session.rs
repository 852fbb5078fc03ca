//! `lrv_session`: the LRV reference server's sans-I/O core
//! (`gabarito_server::lrv::core`, without the `runtime` feature) driven in
//! memory (the generic `gabarito_server::sans_io::Sim`) by up to eight simulated
//! clients in a raffle of 12: connects, closes (with EOF or reset),
//! requests — valid ones from a small pool of CPFs and numbers, invalid
//! CPFs and numbers, mangled and arbitrary bytes, over-long lines, empty
//! lines, LF/CRLF/no terminator, several glued in one write, a write cut
//! into reads fed with `End::More`, a pause (a boundary, L4) after the
//! last read, after every read or not at all (the line goes on in the
//! next write) —, readers that stop reading (`max_queue` 1–8 in a quarter
//! of the runs), and restarts from the store the core's ops built.
//!
//! After every step (`gabarito_fuzz::lrv_session::Observer`): no panic;
//! the greeting first on each connection; every later line the exact
//! reply lrv §6–§7 require to the next unanswered request line of that
//! connection, as the observer frames the bytes (L1–L5) and tracks the
//! raffle — so one reply per non-empty request line, in order, none
//! unsolicited; no line still unanswered; the core's and the observer's
//! framing agree on whether a line is open; at most 257 bytes buffered;
//! no two `202`s for a number, ever; `208` exactly what that CPF was
//! answered `202` for; the store exactly the CPFs answered `200` and the
//! sales answered `202`; the draw only at the twelfth sale, in the same
//! call, exactly once across restarts, naming a sold number and its buyer,
//! and every `207` the same.
#![no_main]

use std::collections::BTreeSet;
use std::sync::OnceLock;

use arbitrary::{Arbitrary, Result, Unstructured};
use gabarito_codec::lrv::MAX_REQUEST_LEN;
use gabarito_fuzz::lrv_session::{BAD_CPFS, CPFS, Observer, SIZE, new_core};
use gabarito_server::lrv::core::{Core, Snapshot};
use gabarito_server::sans_io::Sim;
use gabarito_server::{ConnId, Fault};
use libfuzzer_sys::fuzz_target;

const MAX_CONNS: usize = 8;

/// `LRV_FAULT=name,…` runs the core with those named faults, to see the
/// observer catch them (fuzz/README.md); unset in every real run.
fn faults() -> BTreeSet<Fault> {
    static ON: OnceLock<BTreeSet<Fault>> = OnceLock::new();
    ON.get_or_init(|| {
        std::env::var("LRV_FAULT")
            .unwrap_or_default()
            .split(',')
            .filter(|s| !s.is_empty())
            .map(|s| s.parse().unwrap_or_else(|e| panic!("LRV_FAULT: {e}")))
            .collect()
    })
    .clone()
}

/// `LRV_TRACE=1` prints each step of a run (to read a crash).
fn trace() -> bool {
    static ON: OnceLock<bool> = OnceLock::new();
    *ON.get_or_init(|| std::env::var_os("LRV_TRACE").is_some())
}

fuzz_target!(|data: &[u8]| {
    let _ = run(&mut Unstructured::new(data));
});

fn run(u: &mut Unstructured<'_>) -> Result<()> {
    let max_queue = if u.ratio(1, 4)? {
        u.int_in_range(1..=8)?
    } else {
        10_000
    };
    let max = u.int_in_range(1..=64)?;
    let core = new_core(max_queue, u64::arbitrary(u)?, faults(), Snapshot::default());
    let mut sim = Sim::new(core);
    sim.set_max(max);
    let start = sim.take_effects();
    if trace() {
        eprintln!("max_queue {max_queue}, {max} lines a feed; start: {start:?}");
    }
    let mut obs = Observer::default();
    obs.actions(&start);
    let mut conns: Vec<ConnId> = Vec::new();
    let mut all: Vec<ConnId> = Vec::new();
    for _ in 0..192 {
        if u.is_empty() {
            break;
        }
        match u.int_in_range(0..=15u8)? {
            0 | 1 if conns.len() < MAX_CONNS => open(&mut sim, &mut obs, &mut conns, &mut all),
            2 if !conns.is_empty() => {
                let conn = conns.remove(u.choose_index(conns.len())?);
                let reset = u.ratio(1, 3)?;
                obs.closing(conn, reset);
                if reset {
                    sim.reset(conn);
                } else {
                    sim.close(conn);
                }
                let actions = sim.take_effects();
                if trace() {
                    eprintln!("{conn} closed (reset: {reset}): {actions:?}");
                }
                obs.actions(&actions);
                obs.closed(conn);
            }
            3 if !conns.is_empty() => {
                let (conn, paused) = (*u.choose(&conns)?, bool::arbitrary(u)?);
                if trace() {
                    eprintln!("{conn} paused: {paused}");
                }
                sim.set_paused(conn, paused);
                obs.actions(&sim.take_effects());
            }
            4 if u.ratio(1, 4)? => {
                let store = sim.store().clone();
                sim.restart(new_core(max_queue, u64::arbitrary(u)?, faults(), store));
                let actions = sim.take_effects();
                if trace() {
                    eprintln!("restart: {actions:?}");
                }
                obs.restarted();
                obs.actions(&actions);
                conns.clear();
            }
            _ if !conns.is_empty() => {
                let conn = *u.choose(&conns)?;
                write(u, &mut sim, &mut obs, conn)?;
            }
            _ => open(&mut sim, &mut obs, &mut conns, &mut all),
        }
        conns.retain(|c| sim.is_open(*c));
        obs.check(&sim, &all);
    }
    Ok(())
}

fn open(sim: &mut Sim<Core>, obs: &mut Observer, conns: &mut Vec<ConnId>, all: &mut Vec<ConnId>) {
    let conn = sim.open();
    if trace() {
        eprintln!("{conn} opened");
    }
    obs.opened(conn, &sim.take_effects());
    conns.push(conn);
    all.push(conn);
}

/// One write by `conn`'s client, cut into reads. The core never holds
/// more than a line and its CR (lrv §3.3 L3), and nothing after a
/// boundary (L4).
fn write(
    u: &mut Unstructured<'_>,
    sim: &mut Sim<Core>,
    obs: &mut Observer,
    conn: ConnId,
) -> Result<()> {
    let bytes = bytes(u, obs, conn)?;
    let mut cuts: Vec<usize> = (0..u.int_in_range(0..=3)?)
        .map(|_| u.int_in_range(0..=bytes.len()))
        .collect::<Result<_>>()?;
    cuts.push(bytes.len());
    cuts.sort_unstable();
    let pause_each = u.ratio(1, 4)?;
    let pause_last = pause_each || u.ratio(3, 4)?;
    let mut at = 0;
    for (i, &cut) in cuts.iter().enumerate() {
        let read = &bytes[at..cut];
        at = cut;
        obs.read(conn, read);
        sim.read(conn, read);
        let actions = sim.take_effects();
        if trace() {
            eprintln!(
                "{conn} read {:?}: {actions:?}",
                String::from_utf8_lossy(read)
            );
        }
        obs.actions(&actions);
        obs.check_open(conn, sim.frame_open(conn));
        let held = sim.buffered(conn).unwrap_or(0);
        assert!(
            held <= MAX_REQUEST_LEN + 1,
            "{held} bytes left buffered with no whole line (lrv §3.3 L3: at most {})",
            MAX_REQUEST_LEN + 1
        );
        if pause_each || (pause_last && i + 1 == cuts.len()) {
            obs.pause(conn);
            sim.pause(conn);
            let actions = sim.take_effects();
            if trace() {
                eprintln!("{conn} pause: {actions:?}");
            }
            obs.actions(&actions);
            obs.check_open(conn, sim.frame_open(conn));
            let held = sim.buffered(conn).unwrap_or(0);
            assert_eq!(held, 0, "{held} bytes left after a boundary (L4)");
        }
    }
    Ok(())
}

/// A few requests glued, each with its terminator (or none).
fn bytes(u: &mut Unstructured<'_>, obs: &Observer, conn: ConnId) -> Result<Vec<u8>> {
    let mut out = Vec::new();
    for _ in 0..u.int_in_range(1..=4)? {
        let registered = obs.cpf(conn).is_some();
        let mut line = if !registered && u.ratio(1, 2)? {
            format!("REGISTRAR {}", u.choose(&CPFS)?).into_bytes()
        } else {
            request(u, obs)?
        };
        match u.int_in_range(0..=7u8)? {
            0..=3 => line.push(b'\n'),
            4 => line.extend_from_slice(b"\r\n"),
            5 => {}
            6 => line.extend_from_slice(b"\n\n"),
            _ => line.extend_from_slice(b"\r\n\r\n"),
        }
        out.extend(line);
    }
    Ok(out)
}

fn request(u: &mut Unstructured<'_>, obs: &Observer) -> Result<Vec<u8>> {
    Ok(match u.int_in_range(0..=12u8)? {
        0 => format!("REGISTRAR {}", u.choose(&CPFS)?).into_bytes(),
        1 => format!("REGISTRAR {}", u.choose(&BAD_CPFS)?).into_bytes(),
        2..=4 => {
            let left = obs.available();
            let n = match u.choose(&left) {
                Ok(n) => *n,
                Err(_) => u.int_in_range(1..=SIZE)?,
            };
            format!("COMPRAR {n}").into_bytes()
        }
        5 => {
            let n = *u.choose(&[
                "0", "1", "12", "13", "14", "007", "10000", "10001", "99999", "-1", "+5", "5 6",
                "", " 5",
            ])?;
            format!("COMPRAR {n}").into_bytes()
        }
        6 | 7 => {
            let r = *u.choose(&["ESGOTOU", "DISPONIVEIS", "COMPRADOS", "SORTEIO"])?;
            r.as_bytes().to_vec()
        }
        8 if u.ratio(1, 4)? => b"SAIR".to_vec(),
        8 => b"SORTEIO".to_vec(),
        9 => {
            // Mangled: a byte of a valid request replaced, inserted or
            // dropped.
            let mut r = request(u, obs)?;
            if !r.is_empty() {
                let at = u.choose_index(r.len())?;
                match u.int_in_range(0..=2u8)? {
                    0 => r[at] = u8::arbitrary(u)?,
                    1 => r.insert(at, u8::arbitrary(u)?),
                    _ => {
                        r.remove(at);
                    }
                }
            }
            r
        }
        10 => Vec::<u8>::arbitrary(u)?.into_iter().take(64).collect(),
        11 => {
            // Everything left, then the draw (lrv §8.4): the states after
            // the sell-out are a few steps away.
            let mut r = Vec::new();
            for n in obs.available() {
                r.extend_from_slice(format!("COMPRAR {n}\n").as_bytes());
            }
            r.extend_from_slice(b"SORTEIO");
            r
        }
        _ => {
            // Around the limit (lrv §3.3 L3): 256 is still a line.
            let len = u.int_in_range(MAX_REQUEST_LEN - 2..=MAX_REQUEST_LEN + 40)?;
            let fill = *u.choose(b"A \r7")?;
            let mut r = b"COMPRAR 1".to_vec();
            r.resize(len.max(r.len()), fill);
            if u.ratio(1, 4)? {
                r.push(b'\r');
            }
            r
        }
    })
}
