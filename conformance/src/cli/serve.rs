//! `conformance serve`: a strict reference server for testing a client,
//! with a report on everything the client sent when it disconnects.
//! Written once over [`Lens`]; `--protocol` picks the protocol's through
//! its registry entry (`protocols.rs`).

use std::io::Write as _;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use anyhow::{Context, Result};
use clap::{Args, ValueEnum};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::{mpsc, watch};
use tokio::time::Instant;

use super::reference::Reference;
use crate::lang::{t, tr};
use crate::protocols::{ALL, ProtocolArgs};
use crate::proxy::conn::inspect;
use crate::proxy::lens::Lens;
use crate::proxy::signal::Stop;
use crate::serve::examiner::Examiner;
use crate::serve::report::Report;

/// The examples, what the server is, every protocol's checks.
fn help() -> String {
    let paragraphs: Vec<&str> = ALL.iter().map(|e| e.relay.serve_help).collect();
    format!(
        "\
Examples:
  conformance serve --listen 127.0.0.1:5000             # then run your client against 127.0.0.1:5000
  conformance serve --listen 127.0.0.1:5000 --once      # one client, then exit 0 (no FAIL) or 1
  conformance serve --listen 127.0.0.1:0 --once --format json
  conformance serve --protocol lrv --listen 127.0.0.1:5000

The server is the reference server itself, in-process, with a fresh data directory: your client
gets exactly the reference's behaviour.

When a client disconnects, its report gives a verdict per check: PASS, NON-STRICT (tolerated, a
risk at a naive server, or another reading of a decision the seed leaves open) or FAIL, with
every offending message's bytes. Ctrl-C reports the clients still connected and stops.

{}

Exit status: with --once, 0 when the client earned no FAIL and 1 otherwise; without, the same
over every client when stopped; 2 for usage errors.",
        paragraphs.join("\n\n")
    )
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ReportFormat {
    Console,
    /// One JSON object per client, one per line (schema "gabarito-serve/1").
    Json,
}

/// Be a strict reference server and grade every client that connects.
#[derive(Debug, Args)]
#[command(after_long_help = help())]
pub struct ServeArgs {
    /// Where clients connect, HOST:PORT. Port 0 picks a free one; the
    /// address is printed on standard error at start.
    #[arg(long, value_name = "HOST:PORT")]
    pub listen: String,
    #[command(flatten)]
    pub protocol: ProtocolArgs,
    /// Serve one client: report on it when it disconnects, then exit.
    #[arg(long)]
    pub once: bool,
    /// Report format.
    #[arg(long, value_enum, default_value_t = ReportFormat::Console)]
    pub format: ReportFormat,
    /// The server's settle time: how long a pause ends a message only a
    /// pause ends (each protocol's paragraph below says which).
    #[arg(long, default_value_t = 20, value_name = "MS")]
    pub settle_ms: u64,
}

/// Serves until Ctrl-C (or the first client, with --once); returns the
/// exit code.
pub fn run(args: &ServeArgs) -> Result<i32> {
    (args.protocol.protocol.relay.serve)(args)
}

/// [`run`] for the protocol `L` (what its registry entry points at).
pub fn run_as<L: Lens>(args: &ServeArgs) -> Result<i32> {
    super::block_on(serve::<L>(args))
}

async fn serve<L: Lens>(args: &ServeArgs) -> Result<i32> {
    let name = L::TERMS.name;
    let mut stop = Stop::install().context("installing the Ctrl-C handler")?;
    let settle = Duration::from_millis(args.settle_ms);
    let reference = Reference::start_with(|c| {
        let mut c = args.protocol.reference(c);
        c.limits.settle = settle;
        c
    })
    .await
    .context("starting the reference server")?;
    let listener = TcpListener::bind(&args.listen)
        .await
        .with_context(|| format!("listening on {}", args.listen))?;
    let addr = listener.local_addr()?;
    let then = if args.once {
        t(
            "; reporting on the first client, then exiting",
            "; relata o primeiro cliente e sai",
        )
    } else {
        t(
            "; a report per client when it disconnects; Ctrl-C to stop",
            "; um relatório por cliente quando ele desconecta; Ctrl-C para parar",
        )
    };
    eprintln!(
        "conformance serve: {}",
        tr!(
            "listening on {addr}: a strict {name} reference server, fresh state{then}",
            "escutando em {addr}: um servidor de referência {name} estrito, estado zerado{then}"
        )
    );
    let world = Arc::new(Mutex::new(L::World::default()));
    let (stop_tx, stop_rx) = watch::channel(false);
    let (done_tx, mut done_rx) = mpsc::unbounded_channel::<Report>();
    let job = Job {
        server: reference.addr,
        settle,
        world,
        stop: stop_rx,
        done: done_tx,
    };
    let mut accepting = true;
    let mut count = 0usize;
    let mut running = 0usize;
    let mut failed = false;
    loop {
        tokio::select! {
            accepted = listener.accept(), if accepting => match accepted {
                Ok((client, peer)) => {
                    count += 1;
                    running += 1;
                    accepting = !args.once;
                    tokio::spawn(job.clone().run::<L>(count, client, peer));
                }
                Err(e) => {
                    eprintln!(
                        "conformance serve: {}: {e}",
                        t("accepting a connection failed", "falha ao aceitar uma conexão")
                    );
                    tokio::time::sleep(Duration::from_millis(100)).await;
                }
            },
            Some(report) = done_rx.recv() => {
                running -= 1;
                failed |= report.failed();
                emit(&report, args.format);
                if args.once {
                    break;
                }
            }
            () = stop.requested() => {
                let _ = stop_tx.send(true);
                drain(&mut done_rx, running, args.format, &mut failed).await;
                break;
            }
        }
    }
    drop(listener);
    let _ = reference.stop().await;
    Ok(i32::from(failed))
}

/// Reports the `running` clients that were cut by the stop.
async fn drain(
    done: &mut mpsc::UnboundedReceiver<Report>,
    running: usize,
    format: ReportFormat,
    failed: &mut bool,
) {
    let deadline = Instant::now() + Duration::from_secs(5);
    for _ in 0..running {
        match tokio::time::timeout_at(deadline, done.recv()).await {
            Ok(Some(report)) => {
                *failed |= report.failed();
                emit(&report, format);
            }
            _ => break,
        }
    }
}

fn emit(report: &Report, format: ReportFormat) {
    let text = match format {
        ReportFormat::Console => report.console(),
        ReportFormat::Json => report.json() + "\n",
    };
    let _ = std::io::stdout().lock().write_all(text.as_bytes());
}

/// What a client's task needs.
struct Job<W> {
    server: SocketAddr,
    settle: Duration,
    world: Arc<Mutex<W>>,
    stop: watch::Receiver<bool>,
    done: mpsc::UnboundedSender<Report>,
}

impl<W> Clone for Job<W> {
    fn clone(&self) -> Self {
        Job {
            server: self.server,
            settle: self.settle,
            world: Arc::clone(&self.world),
            stop: self.stop.clone(),
            done: self.done.clone(),
        }
    }
}

impl<W> Job<W> {
    async fn run<L: Lens<World = W>>(self, conn: usize, client: TcpStream, peer: SocketAddr) {
        let opened = Instant::now();
        let mut examiner = Examiner::<L>::new(
            conn,
            peer.to_string(),
            opened,
            self.world.clone(),
            self.settle,
        );
        match TcpStream::connect(self.server).await {
            Ok(server) => {
                let stats = inspect(client, server, self.settle, &mut examiner, self.stop).await;
                examiner.relay_stats(stats);
            }
            Err(e) => eprintln!(
                "conformance serve: {}",
                tr!(
                    "the in-process reference server refused client #{conn}: {e}",
                    "o servidor de referência embutido recusou o cliente #{conn}: {e}"
                )
            ),
        }
        let _ = self.done.send(examiner.report());
    }
}
