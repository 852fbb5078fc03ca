//! The lrv side of `proxy` and `serve` (`spec/lrv.md`): [`LrvLens`].
//!
//! # Layout
//!
//! - `framing.rs` — both directions split into lines (lrv §3.3): requests
//!   as the reference server reads them, the server's lines by the
//!   harness's tolerant reader (greeting by position, replies by §7.5).
//! - `rules.rs` — what a client must and should do: text lines, requests
//!   the seed defines, one at a time, REGISTRAR first.
//! - `show.rs` — how an item reads on the proxy's console.
//! - `log.rs` — an lrv item as a step of the recorded `.session` script.

mod framing;
mod log;
pub mod rules;
mod show;

use std::sync::{Arc, Mutex};
use std::time::Duration;

pub use framing::{Fault, Line, LrvFraming};
pub use rules::Rules;

use crate::proxy::finding::{self, Finding};
use crate::proxy::lens::{Lens, Shown, Terms};
use crate::proxy::script_log::Step;
use crate::proxy::tap::ObservedOf;

/// `proxy --help`'s paragraph on lrv.
pub const PROXY_HELP: &str = "\
lrv: the server's first line is the greeting, by its position (lrv §3.6), and its replies
are read as the harness reads them: human text, other list forms and other endings are
NON-STRICT (lrv §7.5, D1). The client's lines are checked: a line of UTF-8 ended by LF (CRLF,
no terminator and empty lines NON-STRICT: lrv D1, D18), a request the seed defines with its
argument (lrv §6.1: an unknown command or a missing argument is ✗; lower case, accents,
extra spaces NON-STRICT: D3-D6), one request at a time (NON-STRICT: §3.2, D21), REGISTRAR
before COMPRAR and COMPRADOS (NON-STRICT: D12). --settle-ms ends a line without its LF
(lrv §3.3 L4).";

/// `serve --help`'s paragraph on lrv.
pub const SERVE_HELP: &str = "\
lrv: a fresh raffle of --raffle-size numbers: an invalid request gets 400 (lrv §9.2), SAIR
gets 204 and a close (§6.8). --settle-ms ends a line without its LF (lrv §3.3 L4). The checks:
  framing         a line of UTF-8 ended by LF; CRLF, no terminator, empty
                  lines and over-long lines NON-STRICT (D1, D18, D19)       lrv §3.1 §3.2 §3.4
  commands        a request the seed defines, with its argument; lower case,
                  accents, spaces, an ignored argument NON-STRICT (D3-D6);
                  a CPF or number as the user typed it, a warning           lrv §6.1
  one-at-a-time   each request written alone, after the reply to the one
                  before (NON-STRICT)                                       lrv §3.2 §8.5 D21
  register-first  COMPRAR and COMPRADOS after a REGISTRAR (NON-STRICT)      lrv §6.5 §6.6 D12";

/// lrv, as the proxy and `serve` see it.
#[derive(Debug)]
pub struct LrvLens;

impl Lens for LrvLens {
    type Framing = LrvFraming;
    /// Nothing: a client's rules need nothing another connection did.
    type World = ();
    type Rules = Rules;

    const TERMS: Terms = Terms {
        name: "lrv",
        messages: ("line(s)", "linha(s)"),
        pause: "§3.3 L4",
    };
    const CHECKS: &'static [finding::Check] = rules::CHECKS;
    const PROXY_HELP: &'static str = PROXY_HELP;
    const SERVE_HELP: &'static str = SERVE_HELP;

    fn rules(_world: Arc<Mutex<()>>, _complete: bool, _settle: Duration) -> Rules {
        Rules::default()
    }

    fn show(o: &ObservedOf<LrvFraming>) -> Shown {
        show::show(o)
    }

    fn restates(o: &ObservedOf<LrvFraming>, f: &Finding) -> bool {
        show::restates(o, f)
    }

    fn step(o: &ObservedOf<LrvFraming>) -> Option<(Step, Option<&'static str>)> {
        log::step(o)
    }
}
