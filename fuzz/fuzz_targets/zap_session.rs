//! `zap_session`: the reference server's sans-I/O zap core
//! (`gabarito-server` without its `runtime` feature), driven through the
//! generic in-memory driver `sans_io::Sim` by up to six simulated clients:
//! connects and disconnects, 01, 03, 05, 08 and 10 frames with ids drawn
//! from what the clients have seen, each written in one go (a fixed frame
//! cut short by a mangled write is continued by the next), glued or
//! mangled bytes, readers that stop reading (slow readers, zap §11.2), and
//! restarts (zap §11.1).
//!
//! Never panics; the core's own `check_invariants` hold after every step;
//! and every frame written to a client is one the spec allows
//! (`gabarito_fuzz::zap_session::Observer`): no 06 to anyone but its
//! recipient or the group's members, no 07/09 to a party that did not send
//! the original, every assigned id unique.
#![no_main]

use std::collections::BTreeMap;

use arbitrary::{Arbitrary, Result, Unstructured};
use gabarito_codec::zap::{
    Chat, DecodeError, Direction, End, Id, Message, RequestedMembers, Text, Timestamp,
    decode_stream,
};
use gabarito_fuzz::zap_session::Observer;
use gabarito_server::ConnId;
use gabarito_server::sans_io::Sim;
use gabarito_server::zap::core::{Core, CoreConfig, Snapshot};
use libfuzzer_sys::fuzz_target;

const MAX_CONNS: usize = 6;
/// Timestamps come from a handful of values, so 08s match 06s (D15).
const T0: u64 = 1_700_000_000;

fuzz_target!(|data: &[u8]| {
    let _ = run(&mut Unstructured::new(data));
});

fn run(u: &mut Unstructured<'_>) -> Result<()> {
    let cfg = CoreConfig {
        max_queue: u.int_in_range(1..=16)?,
        page: u.int_in_range(1..=8)?,
        ..CoreConfig::default()
    };
    let mut sim = Sim::new(Core::new(cfg.clone(), Snapshot::default()));
    let mut obs = Observer::default();
    let mut held = Held::default();
    let mut conns: Vec<ConnId> = Vec::new();
    let mut opened: Vec<ConnId> = Vec::new();
    for _ in 0..256 {
        if u.is_empty() {
            break;
        }
        match u.int_in_range(0..=15u8)? {
            0 | 1 if conns.len() < MAX_CONNS => {
                let conn = sim.open();
                obs.opened(conn);
                conns.push(conn);
                opened.push(conn);
            }
            2 if !conns.is_empty() => {
                let conn = conns.remove(u.choose_index(conns.len())?);
                held.remove(&conn);
                sim.close(conn);
            }
            3 if !conns.is_empty() => sim.set_paused(*u.choose(&conns)?, bool::arbitrary(u)?),
            4 if u.ratio(1, 8)? => {
                let core = Core::new(cfg.clone(), sim.store().snapshot());
                sim.restart(core);
                conns.clear();
                held.clear();
            }
            5 if !conns.is_empty() => {
                let conn = *u.choose(&conns)?;
                let bytes = raw(u, &obs, conn)?;
                write(&mut sim, &mut obs, &mut held, conn, &bytes);
            }
            _ if !conns.is_empty() => {
                let conn = *u.choose(&conns)?;
                let bytes = message(u, &obs, conn)?.to_bytes();
                write(&mut sim, &mut obs, &mut held, conn, &bytes);
            }
            _ => {}
        }
        conns.retain(|c| sim.is_open(*c));
        // Closed connections too: what was written before the close counts.
        let written: Vec<(ConnId, Vec<u8>)> = opened
            .iter()
            .flat_map(|&c| sim.take_written(c).into_iter().map(move |f| (c, f)))
            .collect();
        obs.written(&written);
        if let Err(e) = sim.core().check_invariants() {
            panic!("core invariant broken: {e}");
        }
        assert!(
            sim.crashed().is_none(),
            "the core crashed with no fault configured"
        );
    }
    Ok(())
}

/// What each connection sent that the server holds without a whole frame
/// in it (a fixed frame cut short): the next write continues it.
type Held = BTreeMap<ConnId, Vec<u8>>;

/// `conn`'s client writes `bytes` in one go and pauses; the observer
/// learns what the server will read from them first.
fn write(sim: &mut Sim<Core>, obs: &mut Observer, held: &mut Held, conn: ConnId, bytes: &[u8]) {
    let mut stream = held.remove(&conn).unwrap_or_default();
    stream.extend_from_slice(bytes);
    let (messages, rest) = as_server_reads(&stream);
    for m in messages {
        obs.sent(conn, &m);
    }
    held.insert(conn, rest.to_vec());
    sim.write(conn, bytes);
}

/// The frames the server will read from `stream`, what it held and what
/// was just written in one go (zap §3.4, a boundary at the end: the writer
/// pauses), up to the first malformed one, which closes the connection
/// (§10.1); and what it holds after them. A 05 whose data holds a frame
/// header is two frames, as the server reads it.
fn as_server_reads(stream: &[u8]) -> (Vec<Message<'static>>, &[u8]) {
    let mut out = Vec::new();
    let mut rest = stream;
    while !rest.is_empty() {
        match decode_stream(rest, Direction::ToServer, End::Boundary) {
            Ok(d) => {
                rest = &rest[d.len..];
                out.push(d.message.into_owned());
            }
            Err(DecodeError::Incomplete { .. }) => break,
            Err(DecodeError::Invalid(_)) => return (out, &[]),
        }
    }
    (out, rest)
}

/// An id to put in a frame: the sender's own, another user's or a group's
/// the clients have seen, one near the first the server assigns, or any.
fn id(u: &mut Unstructured<'_>, obs: &Observer, conn: ConnId) -> Result<Id<'static>> {
    let value = match u.int_in_range(0..=5u8)? {
        0 | 1 => obs.speaks_as(conn).or_else(|| obs.users().next()),
        2 => u.choose(&obs.users().collect::<Vec<_>>()).ok().copied(),
        3 => u.choose(&obs.groups().collect::<Vec<_>>()).ok().copied(),
        4 => Some(2_000_000_000_001 + u.int_in_range(0..=20u64)?),
        _ => Some(u.int_in_range(0..=9_999_999_999_999u64)?),
    };
    Id::from_value(value.unwrap_or(2_000_000_000_001)).ok_or(arbitrary::Error::IncorrectFormat)
}

fn timestamp(u: &mut Unstructured<'_>) -> Result<Timestamp<'static>> {
    Timestamp::from_secs(T0 + u.int_in_range(0..=3u64)?).ok_or(arbitrary::Error::IncorrectFormat)
}

/// A frame a client sends (zap §2), aimed at the states that matter.
fn message(u: &mut Unstructured<'_>, obs: &Observer, conn: ConnId) -> Result<Message<'static>> {
    Ok(match u.int_in_range(0..=5u8)? {
        0 => Message::Register,
        1 | 2 => Message::Connect {
            id: id(u, obs, conn)?,
        },
        3 => {
            let text: String = String::arbitrary(u)?
                .chars()
                .filter(|c| *c != '\0')
                .take(24)
                .collect();
            let data = Text::owned(text).map_err(|_| arbitrary::Error::IncorrectFormat)?;
            Message::Send(Chat {
                src: id(u, obs, conn)?,
                dst: id(u, obs, conn)?,
                timestamp: timestamp(u)?,
                data,
            })
        }
        4 => Message::Read {
            src: id(u, obs, conn)?,
            timestamp: timestamp(u)?,
        },
        _ => {
            let n = u.int_in_range(0..=7)?;
            let ids = (0..n)
                .map(|_| id(u, obs, conn))
                .collect::<Result<Vec<_>>>()?;
            let members =
                RequestedMembers::from_ids(ids).map_err(|_| arbitrary::Error::IncorrectFormat)?;
            Message::CreateGroup {
                creator: id(u, obs, conn)?,
                timestamp: timestamp(u)?,
                members,
            }
        }
    })
}

/// Bytes written in one go: a few frames glued (zap §3.4), sometimes with
/// one byte changed or arbitrary bytes after them (§10.1).
fn raw(u: &mut Unstructured<'_>, obs: &Observer, conn: ConnId) -> Result<Vec<u8>> {
    let mut bytes = Vec::new();
    for _ in 0..u.int_in_range(1..=3)? {
        message(u, obs, conn)?.encode(&mut bytes);
    }
    if u.ratio(1, 4)? {
        let at = u.choose_index(bytes.len())?;
        bytes[at] = u8::arbitrary(u)?;
    }
    if u.ratio(1, 4)? {
        bytes.extend(Vec::<u8>::arbitrary(u)?.into_iter().take(64));
    }
    Ok(bytes)
}
