//! The raffle's state (lrv §8.2–§8.4): registered CPFs, who bought which
//! number, the draw. Only bookkeeping: which reply a request gets is
//! `requests.rs`'s business.

use std::collections::{BTreeMap, BTreeSet};

use gabarito_codec::lrv::{Cpf, Number};

use super::entropy::{Entropy, uniform};
use super::snapshot::{Draw, Snapshot};

#[derive(Debug)]
pub(super) struct Raffle {
    size: Number,
    cpfs: BTreeSet<Cpf<'static>>,
    sold: BTreeMap<Number, Cpf<'static>>,
    /// `sold` inverted, for `COMPRADOS` (lrv §6.5).
    owned: BTreeMap<Cpf<'static>, BTreeSet<Number>>,
    draw: Option<Draw>,
}

/// The numbers 1 to `size`.
pub(super) fn all(size: Number) -> impl DoubleEndedIterator<Item = Number> {
    (1..=size.get()).filter_map(|n| Number::new(n).ok())
}

/// `n`, drawn from 1…N with N ≤ 10 000, as a [`Number`].
fn number(n: u32) -> Number {
    Number::new(n).unwrap_or(Number::MIN)
}

impl Raffle {
    /// The state of `snapshot`, for a raffle of `size`. Numbers above
    /// `size` cannot be in it: a store is refused when its size differs
    /// (lrv §10.1).
    pub fn new(size: Number, snapshot: Snapshot) -> Raffle {
        let mut owned: BTreeMap<Cpf<'static>, BTreeSet<Number>> = BTreeMap::new();
        for (n, owner) in &snapshot.sold {
            owned.entry(owner.clone()).or_default().insert(*n);
        }
        Raffle {
            size,
            cpfs: snapshot.cpfs,
            sold: snapshot.sold,
            owned,
            draw: snapshot.draw,
        }
    }

    pub fn size(&self) -> Number {
        self.size
    }

    /// Records `cpf`; whether it is new (lrv §6.2: `200`, else `201`).
    pub fn register(&mut self, cpf: &Cpf<'_>) -> bool {
        if self.cpfs.contains(cpf) {
            return false;
        }
        self.cpfs.insert(cpf.clone().into_owned());
        true
    }

    pub fn owner(&self, n: Number) -> Option<&Cpf<'static>> {
        self.sold.get(&n)
    }

    /// Makes `n` `owner`'s, taking it from an earlier owner (only the
    /// faults that resell do that).
    pub fn sell(&mut self, n: Number, owner: Cpf<'static>) {
        if let Some(old) = self.sold.insert(n, owner.clone()) {
            if let Some(set) = self.owned.get_mut(&old) {
                set.remove(&n);
            }
        }
        self.owned.entry(owner).or_default().insert(n);
    }

    /// Every number 1…N bought (lrv §6.3).
    pub fn sold_out(&self) -> bool {
        self.sold.len() >= self.size.get() as usize
    }

    /// Numbers not bought, ascending (lrv §6.4).
    pub fn available(&self) -> impl DoubleEndedIterator<Item = Number> + '_ {
        all(self.size).filter(|n| !self.sold.contains_key(n))
    }

    /// Numbers `cpf` bought, ascending (lrv §6.5).
    pub fn owned_by(&self, cpf: &Cpf<'_>) -> Vec<Number> {
        self.owned
            .get(cpf)
            .map(|s| s.iter().copied().collect())
            .unwrap_or_default()
    }

    pub fn draw(&self) -> Option<&Draw> {
        self.draw.as_ref()
    }

    /// Draws uniformly among 1…N (lrv §8.4) and keeps the result. Every
    /// number is sold when this is called, except under fault
    /// `early-draw`, which uses [`Raffle::draw_early`].
    pub fn draw_now(&mut self, e: &mut dyn Entropy, anonymous: &Cpf<'static>) -> Draw {
        let number = number(uniform(e, self.size.get()));
        self.keep(number, anonymous)
    }

    /// Fault `redraw-on-restart`: a winning number other than the stored
    /// one (the same when N = 1), uniformly among the others.
    pub fn redraw(&mut self, e: &mut dyn Entropy, anonymous: &Cpf<'static>) -> Draw {
        let old = self.draw.as_ref().map_or(0, |d| d.number.get());
        let n = self.size.get();
        let number = if n > 1 && old > 0 {
            let k = uniform(e, n - 1);
            if k >= old { k + 1 } else { k }
        } else {
            uniform(e, n)
        };
        let number = self::number(number);
        self.keep(number, anonymous)
    }

    /// Fault `early-draw`: uniformly among the numbers sold so far, or among
    /// 1…N if none is.
    pub fn draw_early(&mut self, e: &mut dyn Entropy, anonymous: &Cpf<'static>) -> Draw {
        let sold: Vec<Number> = self.sold.keys().copied().collect();
        let number = match u32::try_from(sold.len()) {
            Ok(len) if len > 0 => sold[uniform(e, len) as usize - 1],
            _ => number(uniform(e, self.size.get())),
        };
        self.keep(number, anonymous)
    }

    /// The draw of `number`: its owner wins; nobody owns it only under
    /// `early-draw`, and then the anonymous CPF stands in.
    fn keep(&mut self, number: Number, anonymous: &Cpf<'static>) -> Draw {
        let winner = self.sold.get(&number).unwrap_or(anonymous).clone();
        let draw = Draw { number, winner };
        self.draw = Some(draw.clone());
        draw
    }
}
