//! `conformance proxy`: sit between a client and a server, relay every
//! byte unchanged, and show what each side said and where it broke the
//! spec. Written once over [`Lens`]; `--protocol` picks the protocol's
//! through its registry entry (`protocols.rs`).

use std::io::Write as _;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use anyhow::{Context, Result};
use clap::Args;
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::watch;
use tokio::task::JoinSet;
use tokio::time::Instant;

use crate::lang::{t, tr};
use crate::protocols::{ALL, DEFAULT, Entry};
use crate::proxy::conn::{connect_upstream, inspect};
use crate::proxy::lens::Lens;
use crate::proxy::script_log::ScriptLog;
use crate::proxy::signal::Stop;
use crate::proxy::{Print, Watch};

/// The examples, what a line shows, every protocol's paragraph.
fn help() -> String {
    let paragraphs: Vec<&str> = ALL.iter().map(|e| e.relay.proxy_help).collect();
    format!(
        "\
Examples:
  conformance proxy --listen 127.0.0.1:6000 --upstream 127.0.0.1:5000
      then point your client at 127.0.0.1:6000 instead of the server
  conformance proxy --listen 127.0.0.1:6000 --upstream 127.0.0.1:5000 --log session/recorded.session
      and later replay the exchange against any server:
  conformance --no-builtin --suite session --target 127.0.0.1:5000
  conformance proxy --protocol lrv --listen 127.0.0.1:6000 --upstream 127.0.0.1:5000

Each line: seconds since the proxy started, the connection (#1, #2, …), → for what the client
sent and ← for what the server sent, the message with its fields, and ✓ — or ✗ with the byte
offset, field, what the protocol requires there, what arrived, and the spec section; the bytes
follow, with a caret under the first bad one. Bytes that are no message are skipped as the
protocol's receiver skips them and the relay goes on; bytes are always relayed as they came.
Ctrl-C stops it; the --log script is complete when it has stopped.

{}",
        paragraphs.join("\n\n")
    )
}

/// Relay a client and a server, decode and check every message.
#[derive(Debug, Args)]
#[command(after_long_help = help())]
pub struct ProxyArgs {
    /// Where clients connect, HOST:PORT. Port 0 picks a free one; the
    /// address is printed on standard error at start.
    #[arg(long, value_name = "HOST:PORT")]
    pub listen: String,
    /// The server every client is relayed to, HOST:PORT.
    #[arg(long, value_name = "HOST:PORT")]
    pub upstream: String,
    /// Also write the exchange to FILE as a .session script that
    /// `conformance --no-builtin --suite DIR` replays (one case; a
    /// connection a, b, c… per client; ids the server assigned captured).
    /// Appended to as steps become final (when a connection ends, and every
    /// second) and completed at Ctrl-C; what is in it is a valid script at
    /// any time.
    #[arg(long, value_name = "FILE")]
    pub log: Option<PathBuf>,
    /// The protocol spoken.
    #[arg(long, value_enum, default_value_t = DEFAULT)]
    pub protocol: &'static Entry,
    /// How long a side must pause to end a message only a pause ends
    /// (each protocol's paragraph below says which); the reference
    /// server's is 20 ms.
    #[arg(long, default_value_t = 20, value_name = "MS")]
    pub settle_ms: u64,
    /// Show the bytes of every frame, not only of faulty ones.
    #[arg(long)]
    pub bytes: bool,
}

/// Runs the proxy until Ctrl-C; returns the exit code.
pub fn run(args: &ProxyArgs) -> Result<i32> {
    (args.protocol.relay.proxy)(args)
}

/// [`run`] for the protocol `L` (what its registry entry points at).
pub fn run_as<L: Lens>(args: &ProxyArgs) -> Result<i32> {
    super::block_on(proxy::<L>(args))
}

async fn proxy<L: Lens>(args: &ProxyArgs) -> Result<i32> {
    let name = L::TERMS.name;
    let mut stop = Stop::install().context("installing the Ctrl-C handler")?;
    let listener = TcpListener::bind(&args.listen)
        .await
        .with_context(|| format!("listening on {}", args.listen))?;
    let addr = listener.local_addr()?;
    let log = args.log.as_ref().map(|path| -> Result<Recording> {
        let started_at = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map_or(0, |d| d.as_secs());
        let header = vec![
            format!(
                "Recorded by `conformance proxy --listen {addr} --upstream {}` at {started_at} (POSIX seconds).",
                args.upstream
            ),
            "Replay: conformance --no-builtin --suite DIR --target HOST:PORT (DIR holds this file)."
                .to_string(),
        ];
        let case = format!("proxy.recorded-{started_at}");
        let file = std::fs::File::create(path)
            .with_context(|| format!("creating the log {}", path.display()))?;
        let recording = Recording {
            path: path.clone(),
            script: Arc::new(Mutex::new(ScriptLog::new(name, case, header))),
            file: Arc::new(Mutex::new(file)),
        };
        recording
            .append(false)
            .with_context(|| format!("writing the log {}", path.display()))?;
        Ok(recording)
    });
    let log = log.transpose()?;
    eprintln!(
        "conformance proxy: {}",
        tr!(
            "listening on {addr}, relaying to {} ({name}); Ctrl-C to stop",
            "escutando em {addr}, repassando para {} ({name}); Ctrl-C para parar",
            args.upstream
        )
    );
    let started = Instant::now();
    let world = Arc::new(Mutex::new(L::World::default()));
    let settle = Duration::from_millis(args.settle_ms);
    let print: Print = Arc::new(|text: &str| {
        let _ = std::io::stdout().lock().write_all(text.as_bytes());
    });
    let (stop_tx, stop_rx) = watch::channel(false);
    let mut tasks = JoinSet::new();
    let mut count = 0usize;
    // Long-lived connections end rarely: the script is also brought up to
    // date every second, so the file shows the session as it goes and the
    // log holds only seconds of steps.
    let mut flush = tokio::time::interval(LOG_EVERY);
    loop {
        tokio::select! {
            _ = flush.tick(), if log.is_some() => {
                if let Some(log) = &log {
                    log.append_or_say(false);
                }
            }
            accepted = listener.accept() => match accepted {
                Ok((client, peer)) => {
                    let accepted_at = Instant::now();
                    count += 1;
                    let watch = Watch::<L>::new(
                        count,
                        started,
                        L::rules(world.clone(), false, settle),
                        log.as_ref().map(|l| Arc::clone(&l.script)),
                        args.bytes,
                        print.clone(),
                    );
                    let job = Job {
                        upstream: args.upstream.clone(),
                        settle,
                        stop: stop_rx.clone(),
                        log: log.clone(),
                    };
                    tasks.spawn(job.run(client, peer, accepted_at, watch));
                }
                Err(e) => {
                    eprintln!(
                        "conformance proxy: {}: {e}",
                        t("accepting a connection failed", "falha ao aceitar uma conexão")
                    );
                    tokio::time::sleep(Duration::from_millis(100)).await;
                }
            },
            Some(_) = tasks.join_next(), if !tasks.is_empty() => {}
            () = stop.requested() => break,
        }
    }
    let _ = stop_tx.send(true);
    let drained = tokio::time::timeout(Duration::from_secs(5), async {
        while tasks.join_next().await.is_some() {}
    })
    .await;
    if drained.is_err() {
        tasks.abort_all();
    }
    if let Some(log) = &log {
        log.append(true)
            .with_context(|| format!("writing the log {}", log.path.display()))?;
        eprintln!(
            "conformance proxy: {}",
            tr!(
                "stopped; the session is in {}",
                "parado; a sessão está em {}",
                log.path.display()
            )
        );
    } else {
        eprintln!("conformance proxy: {}", t("stopped", "parado"));
    }
    Ok(0)
}

/// What a connection's task needs besides its sockets.
struct Job {
    upstream: String,
    settle: Duration,
    stop: watch::Receiver<bool>,
    log: Option<Recording>,
}

impl Job {
    async fn run<L: Lens>(
        self,
        client: TcpStream,
        peer: std::net::SocketAddr,
        accepted_at: Instant,
        mut watch: Watch<L>,
    ) {
        match connect_upstream(&self.upstream).await {
            Ok(server) => {
                watch.opened(peer, &self.upstream, accepted_at);
                inspect(client, server, self.settle, &mut watch, self.stop).await;
            }
            Err(why) => watch.unreachable(peer, &why),
        }
        if let Some(log) = &self.log {
            log.append_or_say(false);
        }
    }
}

/// How often the `--log` script is brought up to date besides when a
/// connection ends.
const LOG_EVERY: Duration = Duration::from_secs(1);

/// The `--log` script and its file.
#[derive(Clone)]
struct Recording {
    path: PathBuf,
    script: Arc<Mutex<ScriptLog>>,
    file: Arc<Mutex<std::fs::File>>,
}

impl Recording {
    /// [`Recording::append`], saying on stderr why it failed.
    fn append_or_say(&self, end: bool) {
        if let Err(e) = self.append(end) {
            eprintln!(
                "conformance proxy: {} {}: {e:#}",
                t("writing the log", "escrevendo o log"),
                self.path.display()
            );
        }
    }

    /// Appends what became final (everything, at the `end`). The script's
    /// lock is held while writing, so two connections ending at once write
    /// their pieces in order.
    fn append(&self, end: bool) -> Result<()> {
        let mut script = self
            .script
            .lock()
            .map_err(|_| anyhow::anyhow!("the log's lock is poisoned"))?;
        let text = if end {
            script.finish()
        } else {
            script.take_ready()
        };
        if text.is_empty() {
            return Ok(());
        }
        let mut file = self
            .file
            .lock()
            .map_err(|_| anyhow::anyhow!("the log file's lock is poisoned"))?;
        file.write_all(text.as_bytes())?;
        file.flush()?;
        Ok(())
    }
}
