//! `reference-client lrv …`: the LRV subcommands. Each connects, reads
//! the greeting, registers first when it needs an identity, does one
//! thing, says `SAIR`, and fills a [`Report`].
//!
//! # Layout
//!
//! - `mod.rs` — the clap definition of the group ([`LrvArgs`], with its
//!   `--help` examples and exit codes) and the one-shot subcommands.
//! - `session.rs` — `lrv session`: requests read from stdin, one reply
//!   printed per line (a REPL for a person, a pipe for a script).
//!
//! LRV keeps no profile (see [`crate::lrv`], `# No profile`): the server
//! address comes from `--server` or `LRV_SERVER`, the CPF from `--cpf` or
//! `LRV_CPF`.

mod session;

use std::time::Duration;

use clap::{Args as ClapArgs, Subcommand};
use gabarito_codec::lrv::MAX_NUMBER;
use serde_json::json;

use super::args::Global;
use super::exit::{CliError, Exit};
use super::output::Report;
use crate::lrv::{
    Bought, Client, Cpf, Deviation, LrvError, Number, NumberList, Options, Registered, parse_cpf,
};

pub type Result<T, E = CliError> = std::result::Result<T, E>;

/// The environment variable for the server, since `--server`'s own
/// (`ZAP_SERVER`) names zap's.
pub const SERVER_ENV: &str = "LRV_SERVER";

pub(super) const LRV_ABOUT: &str = "Talk LRV (spec/lrv.md): register a CPF, list and buy \
raffle numbers, see the draw; or type requests in a session.";

pub(super) const LRV_LONG_ABOUT: &str =
    "Talk LRV (spec/lrv.md): register a CPF, list and buy raffle \
numbers, see the draw; or type requests in a session.

Each subcommand opens one connection, takes the greeting (the first line, whatever its text, \
lrv §5), sends REGISTRAR first when it needs your identity, waits for each reply before the \
next request (lrv §8.5), and ends with SAIR. Replies are read tolerantly (lrv §7.5: human \
text, CRLF, no terminator, unordered lists, formatted CPFs); every deviation is printed as a \
warning with its spec section, or, with --strict, fails the command.

Nothing is stored locally: the server is the source of truth for your purchases (COMPRADOS \
answers on any connection). The server comes from --server or LRV_SERVER, the CPF from --cpf \
or LRV_CPF; export them to stop repeating them. The CPF is checked (lrv §4.1) before \
connecting. zap's --profile, --data-dir, --wait-ms and --pace-ms do not apply.";

pub(super) const LRV_AFTER_HELP: &str = "\
Examples:
  reference-server --protocol lrv --listen 127.0.0.1:5000 &
  export LRV_SERVER=127.0.0.1:5000 LRV_CPF=123.456.789-09
  reference-client lrv register                 # REGISTRAR → 200 (new) or 201 (known)
  reference-client lrv available                # DISPONIVEIS → 203 1,2,5
  reference-client lrv buy 7 13 42              # COMPRAR each → 202 bought / 401 taken
  reference-client lrv mine                     # COMPRADOS → 208 7,13,42
  reference-client lrv sold-out                 # ESGOTOU → 205 / 206
  reference-client lrv draw                     # SORTEIO → 207 number CPF / 402
  reference-client lrv --json --cpf 52998224725 --server 10.0.0.5:5000 buy 7
  printf 'buy 7\\nCOMPRAR 8\\nmine\\n' | reference-client lrv session --json
  reference-client lrv --strict --timeout 2 available   # grade-like: deviations fail

Exit codes:
  0  success (buy: every number bought)
  1  unexpected failure
  2  usage error (bad arguments, no server or no CPF given)
  3  bad input: an invalid CPF (the wrong digit is named) or number; buy: a number taken \
(401) or refused (400); session: a line that is no command
  5  network: cannot connect, connection lost or closed, no answer in time
  6  the server broke LRV: no greeting (lrv §5), no reply, a code that does not answer the \
request, an unreadable reply, or (with --strict) any deviation";

/// `reference-client lrv [OPTIONS] <COMMAND>`; its help texts are on the
/// `Lrv` variant of [`super::Command`].
#[derive(Debug, Clone, ClapArgs)]
pub struct LrvArgs {
    /// Your CPF: 11 digits or 123.456.789-09, checked (lrv §4.1) before
    /// connecting.
    #[arg(long, global = true, env = "LRV_CPF", value_name = "CPF")]
    pub cpf: Option<String>,

    /// A pause this long ends a reply that has no LF (lrv §3.3 L4).
    #[arg(long, global = true, default_value_t = 50, value_name = "MS")]
    pub settle_ms: u64,

    /// Fail on the first deviation from canonical LRV instead of warning.
    #[arg(long, global = true)]
    pub strict: bool,

    /// Go on when no greeting arrives within --timeout (a FAIL of lrv §5)
    /// instead of failing.
    #[arg(long, global = true)]
    pub allow_missing_greeting: bool,

    #[command(subcommand)]
    pub command: LrvCommand,
}

#[derive(Debug, Clone, Subcommand)]
pub enum LrvCommand {
    /// REGISTRAR your CPF: 200 (new) or 201 (known, authenticated again).
    ///
    /// Example: reference-client lrv --server 127.0.0.1:5000 --cpf 12345678909 register
    Register,

    /// DISPONIVEIS: the numbers not bought yet (203).
    ///
    /// Example: reference-client lrv --server 127.0.0.1:5000 available
    Available,

    /// COMPRADOS: the numbers your CPF bought (208); registers first.
    ///
    /// Example: reference-client lrv --server 127.0.0.1:5000 --cpf 12345678909 mine
    Mine,

    /// COMPRAR each number: 202 bought, 401 taken; registers first.
    ///
    /// Reports every number; exits 3 if any was not bought.
    ///
    /// Example: reference-client lrv --server 127.0.0.1:5000 --cpf 12345678909 buy 7 13
    Buy {
        /// Raffle numbers, 1 to 10000 (the server's N may be smaller).
        #[arg(required = true, num_args = 1.., value_name = "N")]
        numbers: Vec<String>,
    },

    /// ESGOTOU: whether every number is bought (205) or not (206).
    ///
    /// Example: reference-client lrv --server 127.0.0.1:5000 sold-out
    SoldOut,

    /// SORTEIO: the draw's number and winner (207), or none yet (402).
    ///
    /// With --cpf, says whether you won.
    ///
    /// Example: reference-client lrv --server 127.0.0.1:5000 --cpf 12345678909 draw
    Draw,

    /// A line-mode session: requests from stdin, one reply per line.
    ///
    /// Type wire requests (COMPRAR 7, DISPONIVEIS, REGISTRAR 12345678909,
    /// SAIR) or friendly ones (register [CPF], available, mine, buy N,
    /// sold-out, draw, quit); `help` lists them. Wire requests are sent as
    /// typed; friendly buy and mine register --cpf first. Works in a pipe;
    /// with --json every reply is one JSON object per line.
    ///
    /// Example: printf 'buy 7\nmine\n' | reference-client lrv --cpf 12345678909 session
    Session,
}

/// What every LRV subcommand needs.
#[derive(Debug)]
pub struct LrvCtx<'a> {
    pub global: &'a Global,
    pub args: &'a LrvArgs,
}

impl LrvCtx<'_> {
    /// `--server` as typed, else `LRV_SERVER`; zap's `ZAP_SERVER` is not
    /// used for LRV.
    pub fn server(&self) -> Result<String> {
        if let Some(s) = self
            .global
            .server
            .as_ref()
            .filter(|_| !self.global.server_from_env)
        {
            return Ok(s.clone());
        }
        std::env::var(SERVER_ENV)
            .ok()
            .filter(|s| !s.is_empty())
            .ok_or_else(|| {
                CliError::Usage(format!(
                    "no LRV server: pass --server HOST:PORT or set {SERVER_ENV}"
                ))
            })
    }

    /// The CPF of `--cpf`/`LRV_CPF`, checked (lrv §4.1); `None` if not given.
    pub fn cpf(&self) -> Result<Option<Cpf<'static>>> {
        match &self.args.cpf {
            Some(s) if !s.trim().is_empty() => Ok(Some(parse_cpf(s).map_err(LrvError::from)?)),
            _ => Ok(None),
        }
    }

    pub fn need_cpf(&self, command: &str) -> Result<Cpf<'static>> {
        self.cpf()?.ok_or_else(|| {
            CliError::Usage(format!(
                "`lrv {command}` needs your CPF: pass --cpf CPF or set LRV_CPF"
            ))
        })
    }

    pub fn options(&self) -> Options {
        let t = Duration::from_secs(self.global.timeout);
        Options {
            connect_timeout: t,
            greeting_timeout: t,
            require_greeting: !self.args.allow_missing_greeting,
            reply_timeout: t,
            settle: Duration::from_millis(self.args.settle_ms),
            strict: self.args.strict,
            ..Options::default()
        }
    }

    pub async fn connect(&self) -> Result<Client> {
        let addr = self.server()?;
        Ok(Client::connect(&addr, self.options()).await?)
    }
}

/// Runs `lrv <COMMAND>`.
pub async fn run(global: &Global, args: &LrvArgs, r: &mut Report) -> Result<()> {
    let ctx = LrvCtx { global, args };
    match &args.command {
        LrvCommand::Register => register(&ctx, r).await,
        LrvCommand::Available => available(&ctx, r).await,
        LrvCommand::Mine => mine(&ctx, r).await,
        LrvCommand::Buy { numbers } => buy(&ctx, numbers, r).await,
        LrvCommand::SoldOut => sold_out(&ctx, r).await,
        LrvCommand::Draw => draw(&ctx, r).await,
        LrvCommand::Session => session::run(&ctx, r).await,
    }
}

/// A raffle number a person typed: 1 to 10 000, leading zeros allowed
/// (the wire form is written canonically, lrv §4.2).
pub fn parse_number(s: &str) -> Result<Number> {
    s.trim()
        .parse::<u32>()
        .ok()
        .and_then(|n| Number::new(n).ok())
        .ok_or_else(|| {
            CliError::BadInput(format!(
                "{s:?} is not a raffle number: a number is 1 to {MAX_NUMBER} (lrv §4.2)"
            ))
        })
}

pub fn numbers_json(list: &NumberList<'_>) -> Vec<u32> {
    list.iter().map(Number::get).collect()
}

fn list_text(list: &NumberList<'_>) -> String {
    if list.is_empty() {
        "none".to_owned()
    } else {
        list.to_string()
    }
}

/// Registers `cpf`, noting it in the report.
async fn identify(client: &mut Client, cpf: &Cpf<'_>, r: &mut Report) -> Result<Registered> {
    let reg = client.register(cpf).await?;
    r.set("cpf", cpf.as_str());
    r.set("new", reg == Registered::New);
    Ok(reg)
}

/// `SAIR`, then the greeting and every deviation into the report. A
/// failing `SAIR` after the work is done is a warning, not the command's
/// failure (except with --strict).
async fn finish(ctx: &LrvCtx<'_>, mut client: Client, r: &mut Report) -> Result<()> {
    let quit = client.quit().await;
    r.set("server", client.addr());
    r.set("greeting", client.greeting());
    let deviations: Vec<Deviation> = client.take_deviations();
    for d in &deviations {
        r.warn(d.to_string());
    }
    r.set("deviations", &deviations);
    match quit {
        Ok(()) => Ok(()),
        Err(e) if ctx.args.strict => Err(e.into()),
        Err(e) => {
            r.warn(format!("leaving: {e}"));
            Ok(())
        }
    }
}

async fn register(ctx: &LrvCtx<'_>, r: &mut Report) -> Result<()> {
    let cpf = ctx.need_cpf("register")?;
    let mut client = ctx.connect().await?;
    let reg = identify(&mut client, &cpf, r).await?;
    r.line(match reg {
        Registered::New => format!("registered {} (new CPF, 200)", cpf.formatted()),
        Registered::Known => format!("authenticated {} (known CPF, 201)", cpf.formatted()),
    });
    finish(ctx, client, r).await
}

async fn available(ctx: &LrvCtx<'_>, r: &mut Report) -> Result<()> {
    let mut client = ctx.connect().await?;
    let list = client.available().await?;
    r.line(match list.len() {
        0 => "no numbers available (203): every number is bought".to_owned(),
        n => format!("{n} available: {list}"),
    });
    r.set("available", numbers_json(&list));
    r.set("count", list.len());
    finish(ctx, client, r).await
}

async fn mine(ctx: &LrvCtx<'_>, r: &mut Report) -> Result<()> {
    let cpf = ctx.need_cpf("mine")?;
    let mut client = ctx.connect().await?;
    identify(&mut client, &cpf, r).await?;
    let list = client.mine().await?;
    r.line(format!(
        "{} bought {}: {}",
        cpf.formatted(),
        list.len(),
        list_text(&list)
    ));
    r.set("numbers", numbers_json(&list));
    r.set("count", list.len());
    finish(ctx, client, r).await
}

async fn buy(ctx: &LrvCtx<'_>, typed: &[String], r: &mut Report) -> Result<()> {
    // Bad input is refused before anything touches the network.
    let numbers = typed
        .iter()
        .map(|s| parse_number(s))
        .collect::<Result<Vec<_>>>()?;
    let cpf = ctx.need_cpf("buy")?;
    let mut client = ctx.connect().await?;
    identify(&mut client, &cpf, r).await?;
    let (mut bought, mut taken, mut refused, mut results) = (vec![], vec![], vec![], vec![]);
    for n in numbers {
        let (code, outcome) = match client.buy(n).await {
            Ok(Bought::Yes) => {
                bought.push(n.get());
                r.line(format!("bought {n} (202)"));
                ("202", "bought")
            }
            Ok(Bought::Taken) => {
                taken.push(n.get());
                r.line(format!("{n} is taken (401)"));
                ("401", "taken")
            }
            Err(LrvError::BadRequest { .. }) => {
                refused.push(n.get());
                r.line(format!(
                    "{n} refused (400): not a number of this raffle (lrv §6.6)"
                ));
                ("400", "refused")
            }
            Err(e) => return Err(e.into()),
        };
        results.push(json!({ "number": n.get(), "code": code, "result": outcome }));
    }
    if !taken.is_empty() || !refused.is_empty() {
        r.set_exit(Exit::BadInput);
    }
    r.set("bought", bought);
    r.set("taken", taken);
    r.set("refused", refused);
    r.set("results", results);
    finish(ctx, client, r).await
}

async fn sold_out(ctx: &LrvCtx<'_>, r: &mut Report) -> Result<()> {
    let mut client = ctx.connect().await?;
    let sold = client.sold_out().await?;
    r.line(if sold {
        "sold out (205): every number is bought; see `lrv draw`"
    } else {
        "not sold out (206): numbers are still available"
    });
    r.set("sold_out", sold);
    finish(ctx, client, r).await
}

async fn draw(ctx: &LrvCtx<'_>, r: &mut Report) -> Result<()> {
    let me = ctx.cpf()?;
    let mut client = ctx.connect().await?;
    match client.draw().await? {
        Some(d) => {
            let who = d
                .cpf
                .as_ref()
                .map_or("an unnamed CPF".to_owned(), Cpf::formatted);
            r.line(format!("drawn (207): number {}, won by {who}", d.number));
            if let (Some(me), Some(w)) = (&me, &d.cpf) {
                r.line(if me == w { "that is you!" } else { "not you" });
                r.set("you_won", me == w);
            }
            r.set("drawn", true);
            r.set("number", d.number.get());
            r.set("winner", d.cpf.as_ref().map(Cpf::as_str));
        }
        None => {
            r.line("no draw yet (402): the draw happens when the last number is sold");
            r.set("drawn", false);
        }
    }
    finish(ctx, client, r).await
}
