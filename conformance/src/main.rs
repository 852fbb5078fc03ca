//! The `conformance` binary: see `conformance --help`.
#![forbid(unsafe_code)]

use clap::Parser;
use gabarito_conformance::cli::{Cli, Command, decode, run};

fn main() {
    let cli = match Cli::try_parse() {
        Ok(c) => c,
        Err(e) => {
            let code = if e.use_stderr() { 2 } else { 0 };
            let _ = e.print();
            std::process::exit(code);
        }
    };
    gabarito_conformance::lang::set(
        cli.lang
            .unwrap_or_else(gabarito_conformance::lang::Lang::from_env),
    );
    let result = match &cli.command {
        Some(Command::Decode(args)) => decode::run(args),
        Some(Command::Bench(args)) => gabarito_conformance::cli::bench::run(args),
        Some(Command::Proxy(args)) => gabarito_conformance::cli::proxy::run(args),
        Some(Command::Serve(args)) => gabarito_conformance::cli::serve::run(args),
        Some(Command::Grade(args)) => gabarito_conformance::cli::grade::run(args),
        None => tokio::runtime::Builder::new_multi_thread()
            .enable_all()
            .build()
            .map_err(anyhow::Error::from)
            .and_then(|rt| rt.block_on(run::run(&cli.run))),
    };
    match result {
        Ok(code) => std::process::exit(code),
        Err(e) => {
            eprintln!("conformance: error: {e:#}");
            std::process::exit(2);
        }
    }
}
