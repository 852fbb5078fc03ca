//! `lrv session`: a line mode over one connection. Each line read from
//! stdin is one request; its reply is printed as soon as it arrives, as a
//! line (`202 bought 7`) or, with `--json`, as one JSON object per line,
//! so a script can pipe requests in and read replies out in order.
//!
//! Wire requests (`COMPRAR 7`) are sent exactly as the codec encodes them
//! — an unregistered `COMPRAR` gets the server's `400`, which is the point
//! of typing it. Friendly words (`buy 7`) are translated, and `buy`/`mine`
//! send `REGISTRAR` with `--cpf` first when the connection has no identity.
//! At the end of the input the session says `SAIR`.

use std::io::{IsTerminal, Write};

use gabarito_codec::escape::escape_excerpt;
use gabarito_codec::lrv::{Code, decode_request};
use serde_json::{Value, json};
use tokio::io::{AsyncBufReadExt, BufReader};

use super::{LrvCtx, Result, parse_number};
use crate::cli::exit::{CliError, Exit};
use crate::cli::output::Report;
use crate::lrv::{Answer, Client, Cpf, Deviation, LrvError, Request, answers, parse_cpf};

const HELP: &str = "\
requests (sent as typed, one at a time; each reply is printed):
  REGISTRAR CPF   ESGOTOU   DISPONIVEIS   COMPRADOS   COMPRAR N   SORTEIO   SAIR
friendly forms:
  register [CPF]  identify (default: --cpf)       available   list the free numbers
  buy N           buy a number (registers first)  mine        your numbers (registers first)
  sold-out        is every number bought?         draw        the winner, once sold out
  quit            SAIR and leave (also end of input)          help        this text";

/// What a typed line asks for.
enum Line {
    Nothing,
    Help,
    Send {
        req: Request<'static>,
        /// Send `REGISTRAR --cpf` first if the connection has no identity.
        identify: bool,
    },
}

fn parse_line(ctx: &LrvCtx<'_>, text: &str) -> std::result::Result<Line, String> {
    let text = text.trim_end_matches(['\r', '\n']);
    let trimmed = text.trim();
    if trimmed.is_empty() || trimmed.starts_with('#') {
        return Ok(Line::Nothing);
    }
    // The wire form first: exactly what lrv §6.1 accepts.
    if let Ok(d) = decode_request(text.as_bytes()) {
        return Ok(Line::Send {
            req: d.message.into_owned(),
            identify: false,
        });
    }
    let mut words = trimmed.split_whitespace();
    let word = words.next().unwrap_or_default().to_ascii_lowercase();
    let arg = words.next();
    if words.next().is_some() {
        return Err(format!("{trimmed:?}: too many words (type help)"));
    }
    let bare = |req: Request<'static>| {
        if let Some(a) = arg {
            return Err(format!("{word} takes no argument, got {a:?} (type help)"));
        }
        Ok(Line::Send {
            req,
            identify: false,
        })
    };
    match word.as_str() {
        "help" | "?" => Ok(Line::Help),
        "register" => {
            let cpf = match arg {
                Some(a) => parse_cpf(a).map_err(|e| e.to_string())?,
                None => ctx
                    .cpf()
                    .map_err(|e| e.to_string())?
                    .ok_or("register needs a CPF: `register CPF`, or pass --cpf")?,
            };
            Ok(Line::Send {
                req: Request::Registrar { cpf },
                identify: false,
            })
        }
        "buy" => {
            let n = arg.ok_or("buy needs a number: `buy 7`")?;
            let number = parse_number(n).map_err(|e| e.to_string())?;
            Ok(Line::Send {
                req: Request::Comprar { number },
                identify: true,
            })
        }
        "mine" => {
            let line = bare(Request::Comprados)?;
            Ok(match line {
                Line::Send { req, .. } => Line::Send {
                    req,
                    identify: true,
                },
                other => other,
            })
        }
        "available" => bare(Request::Disponiveis),
        "sold-out" | "soldout" => bare(Request::Esgotou),
        "draw" => bare(Request::Sorteio),
        "quit" | "exit" => bare(Request::Sair),
        _ => Err(format!(
            "{trimmed:?} is not a command (type help; wire requests are upper case, lrv §6.1)"
        )),
    }
}

/// `202 bought 7`: the code and what it means here.
fn meaning(req: &Request<'_>, a: &Answer) -> String {
    let cpf = |c: &Cpf<'_>| c.formatted();
    let list = a.list();
    let listed = if list.is_empty() {
        "none".to_owned()
    } else {
        list.to_string()
    };
    let what = match (a.code, req) {
        (Code::Registered, Request::Registrar { cpf: c }) => format!("registered {} (new)", cpf(c)),
        (Code::Authenticated, Request::Registrar { cpf: c }) => {
            format!("authenticated {} (known)", cpf(c))
        }
        (Code::Registered, _) => "registered".to_owned(),
        (Code::Authenticated, _) => "authenticated".to_owned(),
        (Code::Purchased, Request::Comprar { number }) => format!("bought {number}"),
        (Code::Purchased, _) => "bought".to_owned(),
        (Code::Available, _) => format!("available: {listed}"),
        (Code::Goodbye, _) => "bye".to_owned(),
        (Code::SoldOut, _) => "sold out".to_owned(),
        (Code::NotSoldOut, _) => "not sold out".to_owned(),
        (Code::Drawn, _) => format!(
            "drawn: number {}, won by {}",
            a.number.map_or("?".to_owned(), |n| n.to_string()),
            a.winner.as_ref().map_or("an unnamed CPF".to_owned(), cpf)
        ),
        (Code::Purchases, _) => format!("yours: {listed}"),
        (Code::BadRequest, _) => "invalid request".to_owned(),
        (Code::Unavailable, Request::Comprar { number }) => format!("{number} is taken"),
        (Code::Unavailable, _) => "taken".to_owned(),
        (Code::NotDrawn, _) => "no draw yet".to_owned(),
    };
    format!("{} {what}", a.code)
}

/// The request as typed on the wire, without its LF.
fn wire(req: &Request<'_>) -> String {
    let b = req.to_bytes();
    String::from_utf8_lossy(&b[..b.len() - 1]).into_owned()
}

/// Prints as the session goes: lines, or one JSON object per line.
struct Out {
    json: bool,
}

impl Out {
    fn emit(&self, human: &str, value: Value) {
        let mut out = std::io::stdout().lock();
        let _ = if self.json {
            writeln!(out, "{value}")
        } else {
            writeln!(out, "{human}")
        };
        let _ = out.flush();
    }

    fn warn(&self, deviations: &[Deviation]) {
        if !self.json {
            for d in deviations {
                eprintln!("warning: {d}");
            }
        }
    }

    fn error(&self, message: &str) {
        eprintln!("error: {message}");
        if self.json {
            println!("{}", json!({ "error": message }));
        }
    }
}

/// Sends one request and prints its reply.
async fn send(client: &mut Client, req: &Request<'_>, out: &Out) -> Result<Answer, LrvError> {
    let before = client.deviations().len();
    let a = client.request(req).await?;
    // Deviations not tied to this reply's line (banner lines skipped
    // before it) are shown too.
    let new = client.deviations()[before..].to_vec();
    let (codes, section) = answers(req.command());
    let fits = codes.contains(&a.code) || a.code == Code::BadRequest;
    let human = meaning(req, &a);
    out.emit(
        &human,
        json!({
            "sent": wire(req),
            "code": a.code.as_str(),
            "text": human,
            "numbers": a.list().iter().map(|n| n.get()).collect::<Vec<_>>(),
            "number": a.number.map(|n| n.get()),
            "winner": a.winner.as_ref().map(Cpf::as_str),
            "answers_request": fits,
            "line": escape_excerpt(&a.line, 200),
            "deviations": new,
        }),
    );
    out.warn(&new);
    if !fits {
        let expected: Vec<&str> = codes.iter().map(|c| c.as_str()).collect();
        eprintln!(
            "warning: {} does not answer {} (expected {} or 400, {section})",
            a.code,
            req.command(),
            expected.join(" or ")
        );
    }
    Ok(a)
}

/// Runs the session; its output is printed as it goes, so the report
/// carries only the exit code.
pub async fn run(ctx: &LrvCtx<'_>, r: &mut Report) -> Result<()> {
    r.printed_elsewhere();
    let out = Out {
        json: ctx.global.json,
    };
    let cpf = ctx.cpf()?;
    let mut client = ctx.connect().await?;
    let greeting = client.greeting().map(str::to_owned);
    let first = client.take_deviations();
    out.emit(
        &format!(
            "connected to {}; greeting: {}",
            client.addr(),
            greeting.as_deref().unwrap_or("(none)")
        ),
        json!({ "server": client.addr(), "greeting": greeting, "deviations": first }),
    );
    out.warn(&first);
    let interactive = std::io::stdin().is_terminal();
    if interactive && !out.json {
        eprintln!("type help for the commands; end with quit or Ctrl-D");
    }
    let mut lines = BufReader::new(tokio::io::stdin()).lines();
    let mut bad_input = false;
    loop {
        if interactive {
            eprint!("lrv> ");
        }
        let Some(text) = lines.next_line().await.map_err(CliError::Runtime)? else {
            break;
        };
        let (req, identify) = match parse_line(ctx, &text) {
            Ok(Line::Nothing) => continue,
            Ok(Line::Help) => {
                out.emit(HELP, json!({ "help": HELP }));
                continue;
            }
            Ok(Line::Send { req, identify }) => (req, identify),
            Err(e) => {
                out.error(&e);
                bad_input = true;
                continue;
            }
        };
        if identify && client.registered_as().is_none() {
            match &cpf {
                Some(c) => {
                    send(&mut client, &Request::Registrar { cpf: c.clone() }, &out).await?;
                }
                None => {
                    out.error(&format!(
                        "{} needs a CPF: `register CPF` first, or pass --cpf",
                        req.command()
                    ));
                    bad_input = true;
                    continue;
                }
            }
        }
        let a = send(&mut client, &req, &out).await?;
        if matches!(req, Request::Sair) && a.code == Code::Goodbye {
            return leave(&mut client, &out, bad_input, r).await;
        }
    }
    // The end of the input: leave as a client should (lrv §6.8).
    match send(&mut client, &Request::Sair, &out).await {
        Ok(_) => leave(&mut client, &out, bad_input, r).await,
        Err(e) if e.is_disconnect() => {
            finish(bad_input, r);
            Ok(())
        }
        Err(e) => Err(e.into()),
    }
}

/// After `204`: the server should close (lrv §6.8).
async fn leave(client: &mut Client, out: &Out, bad_input: bool, r: &mut Report) -> Result<()> {
    client.wait_close().await?;
    out.warn(&client.take_deviations());
    finish(bad_input, r);
    Ok(())
}

fn finish(bad_input: bool, r: &mut Report) {
    if bad_input {
        r.set_exit(Exit::BadInput);
    }
}
