//! How a target speaks where the seed allows several readings, so that
//! every case talks to it in its own terms and grades what the case is
//! about, not the framing the target chose:
//!
//! - how a request ends (lrv D1): the seed has the client send each
//!   message with one call ("As mensagens são enviadas pelo cliente ao
//!   servidor através do método enviar_mensagem") and defines no
//!   terminator, so a server may compare what one `recv()` returned with
//!   `DISPONIVEIS` exactly — and never answer `DISPONIVEIS\n`;
//! - where the raffle's numbers start (lrv D14): the seed sets no range
//!   ("<numero>: Número de rifa desejado"), and `range(n)` gives 0..N−1.
//!
//! The harness learns both once, before any case (`probe.rs`); the cases
//! that check the canonical form (`lrv.3.1.lf-request`, `lrv.6.6.zero`)
//! report a reading other than the spec's, once, as NON-STRICT.

/// What ends a request the harness sends (lrv §3.1).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ending {
    /// LF: the spec's canonical terminator.
    Lf,
    /// CR LF (lrv §3.5).
    CrLf,
    /// Nothing: the request is what one write carries, ended by the pause
    /// after it (lrv §3.3 L4, D1 reading (a)).
    Bare,
}

impl Ending {
    /// The order the harness tries them in: the canonical one first, so a
    /// server that reads every ending is spoken to canonically.
    pub const ALL: [Ending; 3] = [Ending::Lf, Ending::Bare, Ending::CrLf];

    pub fn bytes(self) -> &'static [u8] {
        match self {
            Ending::Lf => b"\n",
            Ending::CrLf => b"\r\n",
            Ending::Bare => b"",
        }
    }

    /// `canonical` (a request ending in one LF) with this ending instead.
    pub fn apply(self, canonical: &[u8]) -> Vec<u8> {
        let content = canonical.strip_suffix(b"\n").unwrap_or(canonical);
        [content, self.bytes()].concat()
    }
}

/// The target's dialect: the spec's (LF, numbers from 1) until learned.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Dialect {
    pub ending: Ending,
    /// The raffle's first number: 1 (lrv §4.2) or 0.
    pub first: u32,
}

impl Default for Dialect {
    fn default() -> Self {
        Dialect {
            ending: Ending::Lf,
            first: 1,
        }
    }
}

impl Dialect {
    /// The numbers of a raffle of `size` in this numbering.
    pub fn numbers(self, size: u32) -> std::ops::RangeInclusive<u32> {
        self.first..=self.first + size - 1
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_ending_replaces_the_lf() {
        assert_eq!(Ending::Bare.apply(b"SAIR\n"), b"SAIR");
        assert_eq!(Ending::CrLf.apply(b"SAIR\n"), b"SAIR\r\n");
        assert_eq!(Ending::Lf.apply(b"SAIR\n"), b"SAIR\n");
    }

    #[test]
    fn numbers_follow_the_first() {
        let zero = Dialect {
            ending: Ending::Bare,
            first: 0,
        };
        assert_eq!(zero.numbers(40), 0..=39);
        assert_eq!(Dialect::default().numbers(40), 1..=40);
    }
}
