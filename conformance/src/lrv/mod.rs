//! The LRV adapter: how scripts write LRV messages, how the harness reads a
//! target's greeting and replies tolerantly (lrv §3, §5, §7.5), and the
//! values every case starts with.
//!
//! # Layout
//!
//! - `mod.rs` — [`Lrv`], the [`Protocol`] the runner sees, and its presets.
//! - `message_text.rs` — script text ↔ fields, encoding through the codec.
//! - `reader.rs` — [`LrvReader`]: greeting by position, replies by §7.5.
//! - `numbering.rs` — replies of a raffle numbered from 0, or a `207` that
//!   names only its winner (D14, D9).
//! - `dialect.rs` — [`Dialect`]: the ending and numbering a target speaks.
//! - `probe.rs` — learning the dialect before any case runs.
//! - `entry.rs` — [`ENTRY`], lrv in the list of protocols (`protocols.rs`).
//! - `options.rs` — [`Options`]: `--raffle-size`.
//! - `decode.rs` — `conformance decode --protocol lrv`: a line field by field.
//! - `error_text.rs` — the codec's errors and deviations in the report's
//!   language.
//! - `proxy/` — [`proxy::LrvLens`]: what `proxy` and `serve` see and check.
//!
//! ## Presets
//!
//! A raffle is one state every client shares, and its size N is a server
//! option (lrv §4.2), so a case cannot capture what it needs the way a zap
//! case captures ids. Every case starts with these, in the target's
//! numbering (from 1, or from 0: D14) and ending (D1):
//!
//! | name | value |
//! |---|---|
//! | `{raffle-size}` | N (`--raffle-size`) |
//! | `{first-number}`, `{last-number}` | 1 and N (0 and N − 1 from 0) |
//! | `{past-end}` | the number after the last: well formed, outside the raffle (lrv §6.6) |
//! | `{all-numbers}` | `1,2,…,N`: the list of a fresh raffle (lrv §7.3) |
//! | `{eol}` | what ends a request: LF, CR LF or nothing (for `send-raw`) |
//! | `{cpf1}` … `{cpf24}` | valid CPFs no earlier case or run has used (lrv §4.1) |

pub mod decode;
mod dialect;
mod entry;
pub mod error_text;
mod message_text;
mod numbering;
mod options;
mod probe;
pub mod proxy;
mod reader;

use std::net::SocketAddr;
use std::sync::RwLock;
use std::sync::atomic::{AtomicU32, Ordering};
use std::time::{SystemTime, UNIX_EPOCH};

pub use dialect::{Dialect, Ending};
pub use entry::ENTRY;
pub use numbering::{Reading, read_reply};
pub use options::{MIN_RAFFLE_SIZE, Options};
pub use reader::LrvReader;

use gabarito_codec::lrv::{Cpf, Expect, Number, decode_request, decode_stream};

use crate::protocol::{End, FieldKind, FieldValue, Frame, FrameReader, Protocol};
use crate::run::{BoxFuture, RunOptions};
use crate::script::template::{Template, Vars};

/// Fresh CPFs each case may use.
pub const FRESH_CPFS: usize = 24;

/// The default raffle size, the reference server's (lrv §10.2).
pub const DEFAULT_RAFFLE_SIZE: u32 = 100;

/// The presets besides the CPFs (see the module's doc).
const PRESETS: [&str; 6] = [
    "raffle-size",
    "first-number",
    "last-number",
    "past-end",
    "all-numbers",
    "eol",
];

/// LRV against a raffle of `raffle_size` numbers.
#[derive(Debug)]
pub struct Lrv {
    raffle_size: Number,
    /// The base (first nine digits) of the next fresh CPF. It starts from
    /// the clock, so two runs against one long-lived target use different
    /// CPFs: a CPF registered by an earlier run would get `201`, not `200`.
    next_base: AtomicU32,
    /// How the target speaks, learned before the first case (`probe.rs`).
    dialect: RwLock<Dialect>,
}

impl Lrv {
    pub fn new(raffle_size: Number) -> Self {
        let now = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map(|d| d.as_nanos())
            .unwrap_or_default();
        // Spread runs over the 10⁹ bases: nanoseconds mixed so that runs a
        // second apart do not land next to each other.
        let start = (now.wrapping_mul(0x9E37_79B9_7F4A_7C15) >> 64) % 1_000_000_000;
        Lrv {
            raffle_size,
            next_base: AtomicU32::new(start as u32),
            dialect: RwLock::new(Dialect::default()),
        }
    }

    pub fn raffle_size(&self) -> Number {
        self.raffle_size
    }

    /// The dialect every case speaks: the spec's until one is learned.
    pub fn dialect(&self) -> Dialect {
        self.dialect.read().map(|d| *d).unwrap_or_default()
    }

    /// Speaks `dialect` from now on (what `learn` does).
    pub fn set_dialect(&self, dialect: Dialect) {
        if let Ok(mut d) = self.dialect.write() {
            *d = dialect;
        }
    }

    fn fresh_cpf(&self) -> Cpf<'static> {
        loop {
            let base = self.next_base.fetch_add(1, Ordering::Relaxed) % 1_000_000_000;
            if let Some(cpf) = Cpf::from_base(base) {
                return cpf;
            }
        }
    }
}

impl Default for Lrv {
    fn default() -> Self {
        Lrv::new(Number::new(DEFAULT_RAFFLE_SIZE).expect("100 is a raffle number"))
    }
}

impl Protocol for Lrv {
    fn name(&self) -> &'static str {
        "lrv"
    }

    /// A line without its LF ends only at a pause (lrv §3.3 L4).
    fn ends_open(&self, bytes: &[u8]) -> bool {
        !bytes.is_empty() && !bytes.ends_with(b"\n")
    }

    fn parse_message(&self, text: &str, col0: usize) -> Result<Vec<Template>, (usize, String)> {
        message_text::parse(text, col0)
    }

    /// The request in the target's ending (D1): a case about something
    /// else must not stumble on the terminator.
    fn encode(&self, fields: &[Vec<u8>]) -> Result<Vec<u8>, String> {
        let dialect = self.dialect();
        message_text::encode(fields, dialect.first == 0).map(|b| dialect.ending.apply(&b))
    }

    fn describe(&self, bytes: &[u8]) -> Option<Frame> {
        let d = decode_request(bytes).ok()?;
        let fields = d
            .message
            .fields()
            .into_iter()
            .map(|(name, value)| FieldValue {
                name,
                kind: if name == "cpf" {
                    FieldKind::Id
                } else {
                    FieldKind::Plain
                },
                value: value.into_bytes(),
            })
            .collect();
        Some(Frame {
            fields,
            raw: bytes.to_vec(),
            tolerated: Vec::new(),
            preamble: false,
            members_section: "",
            violations: Vec::new(),
        })
    }

    fn describe_raw(&self, bytes: &[u8]) -> String {
        let mut rest = bytes;
        let mut parts = Vec::new();
        while !rest.is_empty() {
            match decode_stream(rest, Expect::Request, End::Boundary) {
                Ok(d) => {
                    parts.push(
                        d.message
                            .fields()
                            .into_iter()
                            .map(|(_, v)| v)
                            .collect::<Vec<_>>()
                            .join(" "),
                    );
                    rest = &rest[d.len..];
                }
                Err(gabarito_codec::lrv::DecodeError::Invalid(e)) => {
                    parts.push(format!(
                        "({}: {})",
                        crate::lang::t("not a request", "não é um pedido"),
                        error_text::invalid(&e)
                    ));
                    let lf = rest.iter().position(|&b| b == b'\n');
                    rest = &rest[lf.map_or(rest.len(), |i| i + 1)..];
                }
                Err(gabarito_codec::lrv::DecodeError::Incomplete { .. }) => break,
            }
        }
        if parts.is_empty() {
            return crate::lang::t("(empty lines only)", "(só linhas vazias)").into();
        }
        parts.join(" + ")
    }

    fn greets(&self) -> bool {
        true
    }

    /// A case buys numbers nothing gives back (lrv §8.3): run again, it
    /// would meet its own purchases.
    fn cases_repeat(&self) -> bool {
        false
    }

    fn learn<'a>(&'a self, target: SocketAddr, opts: &'a RunOptions) -> BoxFuture<'a, ()> {
        Box::pin(async move {
            let learned = probe::learn(target, opts, self.dialect()).await;
            self.set_dialect(learned);
        })
    }

    fn reader(&self) -> Box<dyn FrameReader> {
        Box::new(LrvReader::new())
    }

    fn preset_names(&self) -> Vec<String> {
        let mut names: Vec<String> = PRESETS.map(String::from).into();
        names.extend((1..=FRESH_CPFS).map(|i| format!("cpf{i}")));
        names
    }

    fn presets(&self) -> Vars {
        let n = self.raffle_size.get();
        let dialect = self.dialect();
        let numbers = dialect.numbers(n);
        let (first, last) = (*numbers.start(), *numbers.end());
        let mut vars = Vars::new();
        let mut number = |name: &str, value: u32| {
            vars.insert(name.into(), value.to_string().into_bytes());
        };
        number("raffle-size", n);
        number("first-number", first);
        number("last-number", last);
        number("past-end", last + 1);
        let all = numbers.map(|i| i.to_string()).collect::<Vec<_>>().join(",");
        vars.insert("all-numbers".into(), all.into_bytes());
        vars.insert("eol".into(), dialect.ending.bytes().to_vec());
        for i in 1..=FRESH_CPFS {
            vars.insert(
                format!("cpf{i}"),
                self.fresh_cpf().as_str().as_bytes().to_vec(),
            );
        }
        vars
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn presets_are_fresh_per_case_and_valid() {
        let lrv = Lrv::default();
        let (a, b) = (lrv.presets(), lrv.presets());
        assert_eq!(a["raffle-size"], b"100");
        assert_eq!(a["past-end"], b"101");
        assert!(a["all-numbers"].starts_with(b"1,2,3,") && a["all-numbers"].ends_with(b",100"));
        for i in 1..=FRESH_CPFS {
            let k = format!("cpf{i}");
            let cpf = std::str::from_utf8(&a[&k]).unwrap();
            assert!(Cpf::parse_strict(cpf).is_ok(), "{cpf}");
            assert_ne!(a[&k], b[&k]);
        }
        assert_eq!(lrv.preset_names().len(), PRESETS.len() + FRESH_CPFS);
        assert_eq!(a["eol"], b"\n");
    }

    #[test]
    fn the_dialect_shapes_sends_and_presets() {
        let lrv = Lrv::default();
        lrv.set_dialect(Dialect {
            ending: Ending::Bare,
            first: 0,
        });
        let f = |s: &[&str]| s.iter().map(|x| x.as_bytes().to_vec()).collect::<Vec<_>>();
        assert_eq!(lrv.encode(&f(&["COMPRAR", "7"])).unwrap(), b"COMPRAR 7");
        assert_eq!(lrv.encode(&f(&["COMPRAR", "0"])).unwrap(), b"COMPRAR 0");
        let p = lrv.presets();
        assert_eq!(p["first-number"], b"0");
        assert_eq!(p["last-number"], b"99");
        assert_eq!(p["past-end"], b"100");
        assert!(p["all-numbers"].starts_with(b"0,1,2,") && p["all-numbers"].ends_with(b",99"));
        assert_eq!(p["eol"], b"");
        assert_eq!(
            lrv.describe(b"COMPRAR 7").map(|f| f.display()).as_deref(),
            Some("COMPRAR 7")
        );
    }

    #[test]
    fn raw_bytes_are_described_as_a_server_reads_them() {
        let lrv = Lrv::default();
        assert_eq!(lrv.describe_raw(b"SAIR\nCOMPRAR 7\n"), "SAIR + COMPRAR 7");
        assert!(
            lrv.describe_raw(b"comprar 7\n")
                .starts_with("(not a request:")
        );
        assert!(lrv.ends_open(b"SAIR") && !lrv.ends_open(b"SAIR\n"));
    }
}
