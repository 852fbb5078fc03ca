//! The `reference-server` binary: parse the command line, set up logging,
//! bind, print the bound address, serve until SIGINT/SIGTERM.
//!
//! Nothing here may fail or panic because stdout or stderr is gone (a
//! closed pipe, a full disk): the server serves whether or not anyone reads
//! what it prints, so every print ignores its error and the log writer
//! drops what it cannot write (`logging/sink.rs`).
#![forbid(unsafe_code)]

use std::io::{IsTerminal as _, Write as _};
use std::process::ExitCode;

use anyhow::Context;
use clap::Parser;
use gabarito_server::cli::{self, Args};
use gabarito_server::fd_limit::raise_fd_limit;
use gabarito_server::logging::{Swallow, hold_standard_fds};
use tracing_subscriber::EnvFilter;

/// Writes `text` and a newline to stderr, if it can.
fn say(text: &str) {
    let _ = writeln!(std::io::stderr().lock(), "{text}");
}

fn main() -> ExitCode {
    hold_standard_fds();
    let args = Args::parse();
    if args.list_faults {
        let _ = std::io::stdout()
            .lock()
            .write_all(cli::fault_list().as_bytes());
        return ExitCode::SUCCESS;
    }
    let filter = EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info"));
    // Colours only for a person at a terminal: a log file, or a grader
    // quoting the server's last lines, gets plain text.
    tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(Swallow::new(std::io::stderr))
        .with_ansi(std::io::stderr().is_terminal())
        .log_internal_errors(false)
        .init();
    let config = args.config();
    if let Err(e) = config.validate() {
        say(&format!("error: {e} (see --list-faults)"));
        return ExitCode::from(2);
    }
    if !config.faults.is_empty() {
        if !args.i_know_this_is_broken {
            say(
                "error: --fault makes this server deliberately non-conformant; add --i-know-this-is-broken if that is what you want (see --list-faults)",
            );
            return ExitCode::from(2);
        }
        say(&cli::fault_warning(&config.faults));
    }
    match raise_fd_limit() {
        Ok(l) if l.after > l.before => {
            tracing::debug!(from = l.before, to = l.after, "open-file limit raised");
        }
        Ok(_) => {}
        Err(e) => tracing::warn!("{e}; connections past the current limit will be refused"),
    }
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(r) => r,
        Err(e) => {
            say(&format!("error: cannot start the async runtime: {e}"));
            return ExitCode::FAILURE;
        }
    };
    let result = runtime.block_on(async {
        let listener = tokio::net::TcpListener::bind(&args.listen)
            .await
            .with_context(|| format!("cannot listen on {}", args.listen))?;
        let addr = listener.local_addr()?;
        let shutdown = shutdown_signal();
        tracing::info!(%addr, protocol = %config.protocol, data_dir = %config.data_dir.display(), "listening");
        // Scripts read the address here; with stdout gone nobody does, and
        // the server still serves.
        let mut stdout = std::io::stdout().lock();
        if let Err(e) = writeln!(stdout, "{} listening on {addr}", config.protocol)
            .and_then(|()| stdout.flush())
        {
            tracing::warn!(error = %e, "cannot print the listening address on stdout");
        }
        drop(stdout);
        gabarito_server::run(listener, config, shutdown).await
    });
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            say(&format!("error: {e:#}"));
            ExitCode::FAILURE
        }
    }
}

/// Resolves on SIGINT (Ctrl-C) or, on Unix, SIGTERM. The handlers are
/// installed when this is called, not when the future is first polled: a
/// script that reads the listening line and signals at once must find them
/// there, not the default action (death by signal, no clean stop).
#[cfg(unix)]
fn shutdown_signal() -> impl std::future::Future<Output = ()> {
    use tokio::signal::unix::{SignalKind, signal};
    let int = signal(SignalKind::interrupt());
    let term = signal(SignalKind::terminate());
    async move {
        let wait = |s: std::io::Result<tokio::signal::unix::Signal>| async move {
            match s {
                Ok(mut s) => {
                    s.recv().await;
                }
                Err(_) => std::future::pending::<()>().await,
            }
        };
        tokio::select! {
            () = wait(int) => tracing::info!("SIGINT: shutting down"),
            () = wait(term) => tracing::info!("SIGTERM: shutting down"),
        }
    }
}

/// Resolves on Ctrl-C.
#[cfg(not(unix))]
fn shutdown_signal() -> impl std::future::Future<Output = ()> {
    async {
        if tokio::signal::ctrl_c().await.is_ok() {
            tracing::info!("Ctrl-C: shutting down");
        } else {
            std::future::pending::<()>().await;
        }
    }
}
