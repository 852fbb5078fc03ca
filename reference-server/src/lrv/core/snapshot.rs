//! The durable state a core starts from (lrv §10.1).

use std::collections::{BTreeMap, BTreeSet};

use gabarito_codec::lrv::{Cpf, Number};

use super::action::StoreOp;

/// The draw's result (lrv §7.4, §8.4): the winning number and the CPF that
/// bought it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Draw {
    pub number: Number,
    pub winner: Cpf<'static>,
}

/// Everything a store holds: what applying every [`StoreOp`](super::StoreOp)
/// so far gives.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Snapshot {
    /// Every CPF ever registered (lrv §6.2).
    pub cpfs: BTreeSet<Cpf<'static>>,
    /// Every number bought, and by whom (lrv §8.3).
    pub sold: BTreeMap<Number, Cpf<'static>>,
    pub draw: Option<Draw>,
}

impl Snapshot {
    /// Applies one op as the SQLite store does (`lrv/sqlite.rs`, whose tests
    /// hold the two to the same result): a CPF is inserted once, a sale
    /// and the draw replace what was there. The store's contract in memory,
    /// for drivers without a database (the `lrv_session` fuzz target).
    pub fn apply(&mut self, op: &StoreOp) {
        match op {
            StoreOp::Register(cpf) => {
                self.cpfs.insert(cpf.clone());
            }
            StoreOp::Sell { number, owner } => {
                self.sold.insert(*number, owner.clone());
            }
            StoreOp::Draw(d) => self.draw = Some(d.clone()),
        }
    }
}
