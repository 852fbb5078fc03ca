//! The `reference-server` command line (clap derive). Kept in the library
//! so its parsing is tested like everything else; `main.rs` only runs it.

use std::collections::BTreeSet;
use std::fmt::Write as _;
use std::path::PathBuf;
use std::time::Duration;

use clap::Parser;
use clap::builder::{PossibleValuesParser, TypedValueParser as _};

use crate::config::{Config, Limits, default_data_dir};
use crate::fault::{Fault, Quirk};
use crate::{Options, Protocol};

const INTRO: &str = "The gabarito reference server: the answer key's implementation of a \
socket-programming protocol, chosen with --protocol:";

const PROMISE: &str = "It is strict where the spec says MUST, durable (each protocol's state in \
an SQLite database under --data-dir that survives a restart, even kill -9; a reply is sent only \
after what it reports is on disk), and bounded (connection limit, per-connection queue, idle \
timeout). Point a client you wrote at it, or point the conformance harness at it to see what a \
passing server looks like.";

const OUTRO: &str =
    "Against hostile peers every volume a peer controls is bounded: bytes queued to a slow \
reader (--max-queue-bytes), frames it sends that are ignored or answered 400 (--max-rejected, \
then it is closed), log lines about it (8 in full, then a count), registrations (zap: 100 at \
once, then 10 a second), and time without a complete frame (--idle-timeout). A log that cannot \
be written (stderr closed, disk full) is dropped, never fatal (zap §11.2, lrv §10.2).

For testing graders it can misbehave on purpose (--fault, refused unless you also pass \
--i-know-this-is-broken) or vary in ways the spec allows (--quirk); each belongs to one \
protocol or more, and one for another protocol is refused. --list-faults lists them by protocol.

Logs go to stderr; set RUST_LOG (e.g. RUST_LOG=debug) to see more. The bound address is \
printed on stdout at start (\"lrv listening on ADDR\"), so --listen 127.0.0.1:0 is usable from \
scripts.";

/// The one-line `-h` text, naming every protocol.
fn about() -> String {
    let names: Vec<_> = Protocol::ALL.iter().map(|p| p.name()).collect();
    format!(
        "The gabarito reference server: the answer key's implementation of a \
socket-programming protocol ({}; spec/<protocol>.md).",
        names.join(", ")
    )
}

/// The `--help` text: what it is, each protocol's summary and paragraph
/// (its [`Spec`](crate::Spec)), then what every protocol shares.
fn long_about() -> String {
    let mut s = format!("{INTRO}\n\n");
    for p in Protocol::ALL {
        let _ = writeln!(s, "  {:<4} {}", p.name(), p.summary());
    }
    let _ = write!(s, "\n{PROMISE}\n\n");
    for p in Protocol::ALL {
        let _ = write!(s, "{}\n\n", p.help());
    }
    s.push_str(OUTRO);
    s
}

/// Command-line arguments.
#[derive(Debug, Clone, Parser)]
#[command(name = "reference-server", version, about = about(), long_about = long_about())]
pub struct Args {
    /// The protocol to serve.
    #[arg(long, default_value_t = Protocol::ALL[0], value_parser = protocol_parser(), value_name = "NAME")]
    pub protocol: Protocol,

    /// Address and port to listen on. Port 0 lets the system pick one; the
    /// address actually bound is printed on stdout ("listening on ADDR").
    #[arg(long, default_value = "127.0.0.1:5000", value_name = "ADDR:PORT")]
    pub listen: String,

    /// Directory for the protocol's database (created if missing) [default:
    /// $XDG_DATA_HOME/gabarito/PROTOCOL, else ~/.local/share/gabarito/PROTOCOL].
    #[arg(long, value_name = "DIR")]
    pub data_dir: Option<PathBuf>,

    /// Misbehave in one named way, to test a grader (repeatable). Needs
    /// --i-know-this-is-broken. See --list-faults.
    #[arg(long = "fault", value_name = "NAME")]
    pub faults: Vec<Fault>,

    /// Vary in one named way the spec allows, to test that a grader
    /// tolerates it (repeatable). See --list-faults.
    #[arg(long = "quirk", value_name = "NAME")]
    pub quirks: Vec<Quirk>,

    /// Confirms that you want a non-conformant server (with --fault).
    #[arg(long)]
    pub i_know_this_is_broken: bool,

    /// Simultaneous connections; past it a new connection is closed at once.
    #[arg(long, default_value_t = Limits::default().max_connections, value_name = "N")]
    pub max_connections: usize,

    /// Frames (zap) or reply lines (lrv) queued to one connection and not
    /// yet written before it is disconnected as a slow reader (what it
    /// missed stays stored).
    #[arg(long, default_value_t = Limits::default().max_queue, value_name = "N")]
    pub max_queue: usize,

    /// Bytes of those frames or lines before it is disconnected as a slow
    /// reader; whichever limit is reached first applies (zap §11.2,
    /// lrv §10.2).
    #[arg(long, default_value_t = Limits::default().max_queue_bytes, value_name = "BYTES")]
    pub max_queue_bytes: usize,

    /// Frames one connection may send that are ignored (zap §10.2) or
    /// answered 400 (lrv §9.2) before it is closed; the log shows the first
    /// few about each connection in full and summarises the rest.
    #[arg(long, default_value_t = Limits::default().max_rejected, value_name = "N")]
    pub max_rejected: usize,

    /// Close a connection that completes no frame (zap) or line (lrv) for
    /// this many seconds: bytes that never make one do not keep it open.
    #[arg(long, default_value_t = Limits::default().idle_timeout.as_secs(), value_name = "SECS")]
    pub idle_timeout: u64,

    /// How long to wait for the rest of a message whose end is not yet
    /// certain (zap: a 05's data, a 10's member list, §3.4 R5; lrv: a line
    /// without its LF, §3.3 L4) before taking it as complete.
    #[arg(long, default_value_t = 20, value_name = "MS")]
    pub settle_ms: u64,

    /// List the faults and quirks, with what each one does, and exit.
    #[arg(long)]
    pub list_faults: bool,

    /// Each protocol's own options, under its own heading.
    #[command(flatten)]
    pub options: Options,
}

/// `--protocol`: one of the names in the list of protocols, shown in
/// `--help`.
fn protocol_parser() -> impl clap::builder::TypedValueParser<Value = Protocol> {
    PossibleValuesParser::new(Protocol::ALL.iter().map(|p| p.name()))
        .try_map(|name| name.parse::<Protocol>())
}

impl Args {
    /// The server configuration these arguments describe.
    pub fn config(&self) -> Config {
        Config {
            protocol: self.protocol,
            data_dir: self
                .data_dir
                .clone()
                .unwrap_or_else(|| default_data_dir(self.protocol)),
            faults: self.faults.iter().copied().collect::<BTreeSet<_>>(),
            quirks: self.quirks.iter().copied().collect::<BTreeSet<_>>(),
            limits: Limits {
                max_connections: self.max_connections,
                max_queue: self.max_queue,
                max_queue_bytes: self.max_queue_bytes,
                max_rejected: self.max_rejected,
                idle_timeout: Duration::from_secs(self.idle_timeout),
                settle: Duration::from_millis(self.settle_ms),
            },
            options: self.options.clone(),
        }
    }
}

/// The text of `--list-faults`: faults, then quirks, each grouped by
/// protocol (one that applies to several is listed under each).
pub fn fault_list() -> String {
    let mut s = String::from(
        "Faults (--fault NAME, with --i-know-this-is-broken): each breaks the spec in one way.\n",
    );
    for p in Protocol::ALL {
        let _ = writeln!(s, "\n  {p}:");
        for f in Fault::for_protocol(*p) {
            let _ = writeln!(s, "    {:<22} {}", f.name(), f.description());
        }
    }
    s.push_str("\nQuirks (--quirk NAME): each varies in a way the spec allows; a grader must not fail them.\n");
    for p in Protocol::ALL {
        let _ = writeln!(s, "\n  {p}:");
        for q in Quirk::for_protocol(*p) {
            let _ = writeln!(s, "    {:<22} {}", q.name(), q.description());
        }
    }
    s
}

/// The warning printed when faults are on.
pub fn fault_warning(faults: &BTreeSet<Fault>) -> String {
    let names: Vec<_> = faults.iter().map(|f| f.name()).collect();
    format!(
        "\n!!! WARNING: this reference server is DELIBERATELY BROKEN ({}).\n!!! It is for testing graders. Do not grade or develop against it.\n",
        names.join(", ")
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults() {
        let a = Args::try_parse_from(["reference-server"]).expect("parses");
        assert_eq!(a.listen, "127.0.0.1:5000");
        let c = a.config();
        assert_eq!(c.limits, Limits::default());
        assert!(c.data_dir.ends_with("gabarito/zap"));
    }

    #[test]
    fn faults_quirks_and_limits_parse() {
        let a = Args::try_parse_from([
            "reference-server",
            "--fault",
            "same-id",
            "--fault",
            "short-ids",
            "--quirk",
            "glue",
            "--max-queue",
            "7",
            "--settle-ms",
            "5",
            "--data-dir",
            "/tmp/d",
        ])
        .expect("parses");
        let c = a.config();
        assert_eq!(c.faults.len(), 2);
        assert!(c.quirks.contains(&Quirk::Glue));
        assert_eq!(c.limits.max_queue, 7);
        assert_eq!(c.limits.settle, Duration::from_millis(5));
        assert_eq!(c.data_dir, PathBuf::from("/tmp/d"));
        let err = Args::try_parse_from(["reference-server", "--fault", "nope"])
            .expect_err("unknown fault");
        assert!(err.to_string().contains("no-pending-delivery"), "{err}");
    }

    #[test]
    fn lrv_options_parse() {
        let a = Args::try_parse_from([
            "reference-server",
            "--protocol",
            "lrv",
            "--raffle-size",
            "10",
            "--draw-seed",
            "7",
            "--fault",
            "double-sale",
        ])
        .expect("parses");
        let c = a.config();
        assert_eq!(c.protocol, Protocol::Lrv);
        assert_eq!(c.options.lrv.raffle_size.get(), 10);
        assert_eq!(c.options.lrv.draw_seed, Some(7));
        assert!(c.data_dir.ends_with("gabarito/lrv"));
        assert_eq!(c.validate(), Ok(()));
        assert_eq!(
            Args::try_parse_from(["reference-server"])
                .expect("parses")
                .config()
                .options
                .lrv
                .raffle_size
                .get(),
            100
        );
        for bad in ["0", "10001", "x"] {
            let e = Args::try_parse_from(["reference-server", "--raffle-size", bad])
                .expect_err("out of range");
            assert!(e.to_string().contains("1 to 10000"), "{e}");
        }
    }

    #[test]
    fn a_fault_of_another_protocol_is_refused() {
        let a =
            Args::try_parse_from(["reference-server", "--fault", "no-greeting"]).expect("parses");
        let e = a.config().validate().expect_err("zap has no greeting");
        assert_eq!(
            e.to_string(),
            "fault no-greeting is for lrv; this server speaks zap"
        );
    }

    #[test]
    fn fault_list_names_everything() {
        let l = fault_list();
        assert!(Fault::ALL.iter().all(|f| l.contains(f.name())));
        assert!(Quirk::ALL.iter().all(|q| l.contains(q.name())));
        let lrv = l.find("  lrv:").expect("an lrv group");
        assert!(l[lrv..].contains("no-greeting"));
    }
}
