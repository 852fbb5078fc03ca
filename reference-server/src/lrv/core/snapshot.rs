//! The durable state a core starts from (lrv §10.1), which is also the
//! store's contract in memory.

use std::collections::{BTreeMap, BTreeSet};

use gabarito_codec::lrv::{Cpf, Number};

use super::action::{LateSale, StoreOp};
use crate::sans_io::{Memory, Reply};

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

impl Memory<super::Core> for Snapshot {
    /// Applies one op as the SQLite store does (`lrv/sqlite.rs`, whose tests
    /// hold the two to the same result): a CPF is inserted once, a sale
    /// and the draw replace what was there.
    fn apply(&mut self, op: &StoreOp) {
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

    /// A late sale is made when its delay is over (fault `double-sale`).
    fn answer(&self, sale: LateSale) -> Reply<LateSale> {
        Reply::After(sale.delay, sale)
    }
}
