//! The durable state a core starts from (lrv §10.1).

use std::collections::{BTreeMap, BTreeSet};

use gabarito_codec::lrv::{Cpf, Number};

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
