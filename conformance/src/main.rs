//! The `conformance` binary: see `conformance --help`.
#![forbid(unsafe_code)]

use clap::Parser;
use std::ffi::OsString;

use gabarito_conformance::cli::{Cli, Command, decode, run};
use gabarito_conformance::lang::Lang;

fn main() {
    // `--lang` is global, but clap refuses any top-level flag beside a
    // subcommand (`args_conflicts_with_subcommands`, which keeps the suite's
    // flags away from `decode`, `grade`, …). So it is taken out of the
    // arguments wherever it stands, `conformance --lang pt-BR grade …`
    // included, before clap sees them.
    let (args, lang) = match take_lang(std::env::args_os().collect()) {
        Ok(found) => found,
        Err(e) => {
            eprintln!("error: invalid value for '--lang <LANG>': {e}");
            std::process::exit(2);
        }
    };
    let cli = match Cli::try_parse_from(args) {
        Ok(c) => c,
        Err(e) => {
            let code = if e.use_stderr() { 2 } else { 0 };
            let _ = e.print();
            std::process::exit(code);
        }
    };
    gabarito_conformance::lang::set(lang.or(cli.lang).unwrap_or_else(Lang::from_env));
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

/// Removes `--lang X` / `--lang=X` (the last one wins) from `args`, except
/// after a `--`, where it would be an operand.
fn take_lang(args: Vec<OsString>) -> Result<(Vec<OsString>, Option<Lang>), String> {
    let mut out = Vec::with_capacity(args.len());
    let mut lang = None;
    let mut it = args.into_iter();
    while let Some(a) = it.next() {
        if a == "--" {
            out.push(a);
            out.extend(it);
            break;
        }
        match a.to_str() {
            Some("--lang") => match it.next() {
                Some(v) => lang = Some(Lang::parse(&v.to_string_lossy())?),
                None => return Err("a value is required (en or pt-BR)".into()),
            },
            Some(s) if s.starts_with("--lang=") => lang = Some(Lang::parse(&s["--lang=".len()..])?),
            _ => out.push(a),
        }
    }
    Ok((out, lang))
}
