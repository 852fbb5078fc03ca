//! The zap side of `proxy` and `serve` (`spec/zap.md`): [`ZapLens`].
//!
//! # Layout
//!
//! - `framing.rs` — both directions split by the receivers' rules (zap
//!   §3.4–§3.6).
//! - `rules.rs` — what a client must and should do (zap §3.2, §3.5, §4.1,
//!   §7.2, §9.2), checked on what it sent.
//! - `sections.rs` — the spec section of a message and of a fault.
//! - `show.rs` — how an item reads on the proxy's console.
//! - `log.rs` — a zap item as a step of the recorded `.session` script.

mod framing;
mod log;
pub mod rules;
mod sections;
mod show;

use std::sync::{Arc, Mutex};
use std::time::Duration;

pub use framing::ZapFraming;
pub use rules::{Check, Rules, World};

use crate::proxy::finding::{self, Finding};
use crate::proxy::lens::{Lens, Shown, Terms};
use crate::proxy::script_log::Step;
use crate::proxy::tap::ObservedOf;

/// `proxy --help`'s paragraph on zap.
pub const PROXY_HELP: &str = "\
zap: bytes that are no frame are skipped up to where a frame can start (zap §3.6). The
client's frames are also checked against the session rules the proxy can see: a 05 or 10
sent as someone else than the id of this connection's 03 (zap §9.2), 05/08/10 before any 03
(zap §9.2), frames glued in one write or sent too soon after an open tail (zap §3.2), line
breaks (zap §3.5). --settle-ms ends an open 05/06/10/11 (zap §3.4 R5).";

/// `serve --help`'s paragraph on zap.
pub const SERVE_HELP: &str = "\
zap: a malformed frame closes the connection (zap §10.1); a spoofed or premature message is
ignored (§10.2). Start with 01: ids from another server are unknown here. --settle-ms ends an
open 05/10 (zap §3.4 R5). The checks:
  framing        every frame well-formed (byte offset, field, expected/found)   zap §3.1 §4 §10.1
  line-breaks    no CR/LF between frames (NON-STRICT)                           zap §3.5
  pacing         one frame per write; a pause after a 05/10 before a 01 or
                 when its tail ends in 0/1 (NON-STRICT)                         zap §3.2
  login-first    05, 08 and 10 only after a 03                                  zap §9.2
  sender-id      05 src and 10 creator are the id of the 03                     zap §9.2
  timestamps     near this machine's clock (a warning, never a FAIL)            zap §4.1
  read-receipts  08 only for messages delivered to this client                  zap §7.2 D15
  recipients     05 and 10 name ids this server assigned (a warning)            zap §6.1 §8.1";

/// zap, as the proxy and `serve` see it.
#[derive(Debug)]
pub struct ZapLens;

impl Lens for ZapLens {
    type Framing = ZapFraming;
    type World = World;
    type Rules = Rules;

    const TERMS: Terms = Terms {
        name: "zap",
        messages: ("frame(s)", "frame(s)"),
        pause: "§3.4 R5",
    };
    const CHECKS: &'static [finding::Check] = rules::CHECKS;
    const PROXY_HELP: &'static str = PROXY_HELP;
    const SERVE_HELP: &'static str = SERVE_HELP;

    fn rules(world: Arc<Mutex<World>>, complete: bool, settle: Duration) -> Rules {
        Rules::new(world, complete, settle)
    }

    fn show(o: &ObservedOf<ZapFraming>) -> Shown {
        show::show(o)
    }

    fn restates(o: &ObservedOf<ZapFraming>, f: &Finding) -> bool {
        show::restates(o, f)
    }

    fn step(o: &ObservedOf<ZapFraming>) -> Option<(Step, Option<&'static str>)> {
        log::step(o)
    }
}
