//! What each request does and what it gets (lrv §6, §8, §9.2): one method
//! per command, the registration rule (D12), the purchase (§8.3), the draw
//! at the last sale (§8.4), and `400` for everything invalid.

use std::time::Duration;

use gabarito_codec::lrv::{Code, Command, Cpf, Number, Request};

use super::action::{Action, LateSale, Notice, Rejection, StoreOp};
use super::framing::Flow;
use super::raffle::all;
use super::read::{self, Reading};
use super::replies::Out;
use super::{Core, Fault, Quirk};
use crate::ConnId;

/// Fault `double-sale`: how long after its check a sale is made.
pub const LATE_SALE: Duration = Duration::from_millis(50);

impl Core {
    /// One request line's content (lrv §6.1).
    pub(super) fn line(&mut self, conn: ConnId, content: &[u8], out: &mut Vec<Action>) -> Flow {
        let how = Reading {
            lenient: self.quirk(Quirk::Lenient),
            act_on_extra: self.has(Fault::ActOnExtra),
        };
        match read::request(content, how) {
            Ok(request) => self.request(conn, request, content, out),
            Err(e) => self.reject(conn, Rejection::Malformed(e), out),
        }
    }

    fn request(
        &mut self,
        conn: ConnId,
        request: Request<'_>,
        content: &[u8],
        out: &mut Vec<Action>,
    ) -> Flow {
        match request {
            Request::Registrar { cpf } => self.registrar(conn, cpf, content, out),
            Request::Esgotou => {
                let code = if self.raffle.sold_out() {
                    Code::SoldOut
                } else {
                    Code::NotSoldOut
                };
                self.reply(conn, &Out::Code(code), out)
            }
            Request::Disponiveis => {
                let numbers = if self.has(Fault::StaleList) {
                    all(self.raffle.size()).collect()
                } else {
                    self.raffle.available().collect()
                };
                self.reply(conn, &Out::Available(numbers), out)
            }
            Request::Comprados => match self.owner_of(conn) {
                Some(cpf) => {
                    let numbers = self.raffle.owned_by(&cpf);
                    self.reply(conn, &Out::Purchases(numbers), out)
                }
                None => self.reject(conn, Rejection::NotRegistered(Command::Comprados), out),
            },
            Request::Comprar { number } => self.comprar(conn, number, content, out),
            Request::Sorteio => self.sorteio(conn, out),
            Request::Sair => {
                if !self.has(Fault::SairNoReply) {
                    self.reply(conn, &Out::Code(Code::Goodbye), out);
                    if self.quirk(Quirk::KeepOpenAfterSair) {
                        if let Some(c) = self.conns.get_mut(&conn) {
                            c.left = true;
                        }
                        return Flow::Go;
                    }
                }
                Flow::Close
            }
        }
    }

    /// lrv §6.2: validate (D11), store a new CPF, answer `200`/`201`; the
    /// connection is then registered as it (§8.1).
    fn registrar(
        &mut self,
        conn: ConnId,
        cpf: Cpf<'_>,
        content: &[u8],
        out: &mut Vec<Action>,
    ) -> Flow {
        if !self.quirk(Quirk::NoCpfCheck) {
            if let Err(mut e) = cpf.validate() {
                e.offset += read::argument_offset(content);
                return self.reject(conn, Rejection::InvalidCpf(e), out);
            }
        }
        let cpf = cpf.into_owned();
        let new = self.raffle.register(&cpf);
        if new {
            out.push(Action::Store(StoreOp::Register(cpf.clone())));
        }
        if let Some(c) = self.conns.get_mut(&conn) {
            c.cpf = Some(cpf);
        }
        let code = if new || self.has(Fault::AlwaysNew) {
            Code::Registered
        } else {
            Code::Authenticated
        };
        self.reply(conn, &Out::Code(code), out)
    }

    /// lrv §6.6, in its order: registered (D12), within 1…N, not sold
    /// (by anyone, D15); then sold, committed and `202`.
    fn comprar(
        &mut self,
        conn: ConnId,
        number: Number,
        content: &[u8],
        out: &mut Vec<Action>,
    ) -> Flow {
        let Some(owner) = self.owner_of(conn) else {
            return self.reject(conn, Rejection::NotRegistered(Command::Comprar), out);
        };
        let size = self.raffle.size();
        if number > size {
            let offset = read::argument_offset(content);
            return self.reject(
                conn,
                Rejection::OutOfRaffle {
                    offset,
                    number,
                    size,
                },
                out,
            );
        }
        match self.raffle.owner(number) {
            Some(old) if self.has(Fault::Resell) && *old != owner => {}
            Some(_) => return self.reply(conn, &Out::Code(Code::Unavailable), out),
            None if self.has(Fault::DoubleSale) => {
                // lrv §8.3 broken: checked now, sold later, nothing held.
                out.push(Action::Ask(LateSale {
                    conn,
                    number,
                    owner,
                    delay: LATE_SALE,
                }));
                return Flow::Wait;
            }
            None => {}
        }
        self.sell(number, owner, out);
        self.reply(conn, &Out::Code(Code::Purchased), out)
    }

    /// Fault `double-sale`'s late half: sells whatever happened meanwhile.
    pub(super) fn sell_late(&mut self, sale: LateSale, out: &mut Vec<Action>) {
        self.sell(sale.number, sale.owner, out);
        self.reply(sale.conn, &Out::Code(Code::Purchased), out);
    }

    /// Records the sale; at the last one, the draw, in the same call and
    /// so the same commit (lrv §8.4, §10.1).
    fn sell(&mut self, number: Number, owner: Cpf<'static>, out: &mut Vec<Action>) {
        self.raffle.sell(number, owner.clone());
        out.push(Action::Store(StoreOp::Sell { number, owner }));
        if self.raffle.sold_out() && self.raffle.draw().is_none() {
            let draw = self.raffle.draw_now(&mut *self.entropy, &self.anonymous);
            out.push(Action::Store(StoreOp::Draw(draw)));
        }
    }

    /// lrv §6.7: the stored draw, or `402`.
    fn sorteio(&mut self, conn: ConnId, out: &mut Vec<Action>) -> Flow {
        if self.raffle.draw().is_none() && self.has(Fault::EarlyDraw) {
            let draw = self.raffle.draw_early(&mut *self.entropy, &self.anonymous);
            out.push(Action::Store(StoreOp::Draw(draw)));
        }
        match self.raffle.draw().cloned() {
            Some(d) => self.reply(conn, &Out::Drawn(&d), out),
            None => self.reply(conn, &Out::Code(Code::NotDrawn), out),
        }
    }

    /// Whom `conn` buys for: its CPF; with fault `buy-unregistered`, the
    /// anonymous owner when it has none.
    fn owner_of(&self, conn: ConnId) -> Option<Cpf<'static>> {
        let cpf = self.conns.get(&conn)?.cpf.clone();
        cpf.or_else(|| {
            self.has(Fault::BuyUnregistered)
                .then(|| self.anonymous.clone())
        })
    }

    /// lrv §9.2: log, change nothing, answer `400` — or, by fault or quirk,
    /// stay silent, close, or stop the server. Past `max_rejected` invalid
    /// requests on one connection it is answered and then closed
    /// (lrv §10.2): a peer that only sends garbage gets a bounded share of
    /// the server.
    pub(super) fn reject(&mut self, conn: ConnId, why: Rejection, out: &mut Vec<Action>) -> Flow {
        out.push(Action::Notice {
            conn,
            notice: Notice::Invalid(why.clone()),
        });
        if self.has(Fault::CrashOnMalformed) {
            out.push(Action::Crash { conn, why });
            return Flow::Close;
        }
        if self.quirk(Quirk::CloseOnInvalid) {
            return Flow::Close;
        }
        let max = self.cfg.max_rejected;
        let too_many = self.conns.get_mut(&conn).is_some_and(|c| {
            c.rejected += 1;
            c.rejected > max
        });
        let flow = if self.has(Fault::SilentInvalid) {
            Flow::Go
        } else {
            self.reply(conn, &Out::Code(Code::BadRequest), out)
        };
        if too_many {
            out.push(Action::Notice {
                conn,
                notice: Notice::TooManyInvalid { max },
            });
            return Flow::Close;
        }
        flow
    }

    fn reply(&mut self, conn: ConnId, reply: &Out<'_>, out: &mut Vec<Action>) -> Flow {
        let bytes = self.style.reply(reply);
        self.send(conn, bytes, out);
        Flow::Go
    }
}
