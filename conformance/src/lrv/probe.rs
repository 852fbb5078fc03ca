//! Learning the target's dialect (`dialect.rs`) before any case runs: the
//! harness asks `DISPONIVEIS` — read-only, answered in every state (lrv
//! §6.4, D12) — with each ending in turn on a fresh connection, and keeps
//! the first that gets a `203`. The list in that `203` says where the
//! raffle's numbers start; the precondition then checks it is the whole
//! raffle.

use std::net::SocketAddr;
use std::sync::atomic::Ordering;

use tokio::time::Instant;

use super::dialect::{Dialect, Ending};
use super::reader::LrvReader;
use crate::protocol::ReadItem;
use crate::run::{Conn, Event, RunOptions};

/// What one `DISPONIVEIS` got.
enum Answer {
    /// A `203`, with its numbers as the target wrote them.
    Available(Vec<u32>),
    /// Anything else: silence, a close, another reply.
    Other,
}

/// The dialect the target answers in, starting from `known`: the ending of
/// the first `DISPONIVEIS` answered with a `203` (LF if none was), and the
/// first number of its list (`known`'s if the list is empty, as after the
/// sell-out).
pub async fn learn(target: SocketAddr, opts: &RunOptions, known: Dialect) -> Dialect {
    for ending in Ending::ALL {
        if let Answer::Available(numbers) = ask(target, opts, ending).await {
            let first = match numbers.iter().min() {
                Some(0) => 0,
                Some(_) => 1,
                None => known.first,
            };
            return Dialect { ending, first };
        }
    }
    Dialect {
        ending: Ending::Lf,
        first: known.first,
    }
}

async fn ask(target: SocketAddr, opts: &RunOptions, ending: Ending) -> Answer {
    let reader = Box::new(LrvReader::new());
    let Ok(mut conn) = Conn::open(target, opts.connect_timeout, opts.settle, reader).await else {
        return Answer::Other;
    };
    // The greeting comes first (lrv §5); a request written before it could
    // be glued to an unterminated greeting's read. As in the cases, once a
    // connection went ungreeted, later ones wait only --quiet for it.
    let ungreeted = &opts.ungreeted;
    let wait = if ungreeted.load(Ordering::Relaxed) {
        opts.quiet
    } else {
        opts.timeout
    };
    match conn.next_event(Instant::now() + wait).await {
        Some(e) if is_preamble(&e) => {}
        Some(e) => conn.unread(e),
        None => ungreeted.store(true, Ordering::Relaxed),
    }
    let answer = match conn.send(&ending.apply(b"DISPONIVEIS\n")).await {
        Ok(()) => first_reply(&mut conn, opts).await,
        Err(_) => Answer::Other,
    };
    conn.close().await;
    answer
}

fn is_preamble(e: &Event) -> bool {
    matches!(e, Event::Item(ReadItem::Frame(f)) if f.preamble)
}

/// The first reply on `conn`, lines that are not replies stepped over.
async fn first_reply(conn: &mut Conn, opts: &RunOptions) -> Answer {
    let deadline = Instant::now() + opts.timeout;
    loop {
        match conn.next_event(deadline).await {
            Some(Event::Item(ReadItem::Frame(f))) if f.preamble => continue,
            Some(Event::Item(ReadItem::Frame(f))) => {
                return match super::reader::available(&f) {
                    Some(numbers) => Answer::Available(numbers),
                    None => Answer::Other,
                };
            }
            Some(Event::Item(ReadItem::Garbage { .. })) => continue,
            Some(Event::Closed(_)) | None => return Answer::Other,
        }
    }
}
