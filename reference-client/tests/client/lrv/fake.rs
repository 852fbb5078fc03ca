//! A fake LRV server in the test: a tokio listener on 127.0.0.1:0 that
//! keeps a small raffle and speaks canonical LRV, or one of the variants
//! real servers send ([`Style`]). Every wait is bounded.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::{Arc, Mutex};

use gabarito_codec::lrv::{Cpf, Greeting, Number, NumberList, Reply, Request, decode_request};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio::task::JoinHandle;

use crate::common::PATIENCE;

/// How the fake server writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Style {
    /// Exactly lrv §3.2, §5, §7.
    Canonical,
    /// Every line ends in CRLF (lrv §3.5).
    CrLf,
    /// No line has an LF: each ends at the pause after it (lrv §3.3 L4).
    NoTerminator,
    /// Another greeting text and human text around every reply (lrv §7.5).
    Human,
    /// A greeting of three lines (lrv §5).
    Banner,
    /// No greeting at all (lrv §5).
    NoGreeting,
    /// `COMPRAR` answered `205`.
    WrongCode,
    /// `204`, and the connection left open (D20).
    NoClose,
    /// The greeting, then never a reply.
    Silent,
}

#[derive(Debug, Default)]
struct Raffle {
    size: u32,
    cpfs: BTreeSet<String>,
    owner: BTreeMap<u32, String>,
    draw: Option<(u32, String)>,
}

pub struct Fake {
    pub addr: String,
    task: JoinHandle<()>,
}

impl Drop for Fake {
    fn drop(&mut self) {
        self.task.abort();
    }
}

impl Fake {
    /// A raffle of `size` numbers served in `style`.
    pub async fn start(style: Style, size: u32) -> Fake {
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
        let addr = listener.local_addr().expect("addr").to_string();
        let raffle = Arc::new(Mutex::new(Raffle {
            size,
            ..Raffle::default()
        }));
        let task = tokio::spawn(async move {
            while let Ok((s, _)) = listener.accept().await {
                let raffle = raffle.clone();
                tokio::spawn(async move {
                    let _ = tokio::time::timeout(PATIENCE, serve(s, style, raffle)).await;
                });
            }
        });
        Fake { addr, task }
    }
}

fn list(ns: impl IntoIterator<Item = u32>) -> NumberList<'static> {
    let ns: Vec<Number> = ns.into_iter().map(|n| Number::new(n).unwrap()).collect();
    NumberList::from_numbers(ns).unwrap()
}

/// The canonical reply to `req` (the raffle rules of lrv §6, §8).
fn answer(req: &Request<'_>, me: &mut Option<String>, raffle: &Mutex<Raffle>) -> Reply<'static> {
    let mut r = raffle.lock().unwrap();
    match req {
        Request::Registrar { cpf } => {
            if !cpf.is_valid() {
                return Reply::BadRequest;
            }
            *me = Some(cpf.as_str().to_owned());
            if r.cpfs.insert(cpf.as_str().to_owned()) {
                Reply::Registered
            } else {
                Reply::Authenticated
            }
        }
        Request::Esgotou if r.owner.len() as u32 == r.size => Reply::SoldOut,
        Request::Esgotou => Reply::NotSoldOut,
        Request::Disponiveis => {
            Reply::Available(list((1..=r.size).filter(|n| !r.owner.contains_key(n))))
        }
        Request::Comprados => match me {
            None => Reply::BadRequest,
            Some(c) => Reply::Purchases(list(
                r.owner.iter().filter(|(_, o)| *o == c).map(|(n, _)| *n),
            )),
        },
        Request::Comprar { number } => {
            let n = number.get();
            let Some(c) = me else {
                return Reply::BadRequest;
            };
            if n > r.size {
                return Reply::BadRequest;
            }
            if r.owner.contains_key(&n) {
                return Reply::Unavailable;
            }
            r.owner.insert(n, c.clone());
            if r.owner.len() as u32 == r.size {
                // Deterministic for the tests: the last number sold wins.
                r.draw = Some((n, c.clone()));
            }
            Reply::Purchased
        }
        Request::Sorteio => match &r.draw {
            Some((n, c)) => Reply::Drawn {
                number: Number::new(*n).unwrap(),
                winner: Cpf::parse(c).unwrap().into_owned(),
            },
            None => Reply::NotDrawn,
        },
        Request::Sair => Reply::Goodbye,
    }
}

/// The reply as `style` writes it.
fn written(reply: &Reply<'_>, req: &Request<'_>, style: Style) -> Vec<u8> {
    let canonical = reply.to_bytes();
    let content = &canonical[..canonical.len() - 1];
    match style {
        Style::CrLf => [content, b"\r\n"].concat(),
        Style::NoTerminator => content.to_vec(),
        Style::WrongCode if matches!(req, Request::Comprar { .. }) => b"205\n".to_vec(),
        Style::Human => {
            let text = match reply {
                Reply::Registered => "200 - Cliente registrado com sucesso".to_owned(),
                Reply::Authenticated => "201 - Bem-vindo de volta".to_owned(),
                Reply::Purchased => "202 - Número comprado!".to_owned(),
                Reply::Available(l) => {
                    // Listed backwards, with spaces: text and unordered.
                    let mut ns: Vec<String> = l.iter().map(|n| n.to_string()).collect();
                    ns.reverse();
                    format!("203 - Números disponíveis: {}", ns.join(", "))
                }
                Reply::Purchases(l) => format!(
                    "208 Seus números: {}",
                    l.iter()
                        .map(|n| n.to_string())
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
                Reply::Drawn { number, winner } => format!(
                    "207 Sorteio realizado! Número {number}, ganhador {}",
                    winner.formatted()
                ),
                Reply::Unavailable => "401 - Número não está disponível".to_owned(),
                other => format!("{} ok", other.code()),
            };
            format!("{text}\n").into_bytes()
        }
        _ => canonical,
    }
}

fn greeting(style: Style) -> Vec<u8> {
    let g = Greeting::STANDARD;
    match style {
        Style::NoGreeting => Vec::new(),
        Style::CrLf => format!("{g}\r\n").into_bytes(),
        Style::NoTerminator => g.as_bytes().to_vec(),
        Style::Human => b"Ola! Bem-vindo a rifa\n".to_vec(),
        Style::Banner => format!("{g}\nComandos: REGISTRAR, COMPRAR, SAIR\n=====\n").into_bytes(),
        _ => format!("{g}\n").into_bytes(),
    }
}

async fn serve(mut s: TcpStream, style: Style, raffle: Arc<Mutex<Raffle>>) {
    let _ = s.set_nodelay(true);
    let g = greeting(style);
    if !g.is_empty() && s.write_all(&g).await.is_err() {
        return;
    }
    let mut me = None;
    let mut buf = Vec::new();
    let mut chunk = [0u8; 1024];
    loop {
        let n = match s.read(&mut chunk).await {
            Ok(0) | Err(_) => return,
            Ok(n) => n,
        };
        buf.extend_from_slice(&chunk[..n]);
        while let Some(lf) = buf.iter().position(|&b| b == b'\n') {
            let line: Vec<u8> = buf.drain(..=lf).collect();
            if style == Style::Silent {
                continue;
            }
            let (reply, req) = match decode_request(&line) {
                Ok(d) => {
                    let req = d.message.into_owned();
                    (answer(&req, &mut me, &raffle), Some(req))
                }
                Err(_) => (Reply::BadRequest, None),
            };
            let bytes = match &req {
                Some(req) => written(&reply, req, style),
                None => reply.to_bytes(),
            };
            if s.write_all(&bytes).await.is_err() {
                return;
            }
            if matches!(req, Some(Request::Sair)) {
                if style == Style::NoClose {
                    // Left open until the client closes (D20).
                    let _ = s.read(&mut chunk).await;
                }
                return;
            }
        }
    }
}
