//! The words of LRV: the seven request commands, the twelve reply codes, and
//! which line a receiver expects next (lrv §2, §3.6, §6.1, §7.1).

use std::fmt;

use super::line::{MAX_REPLY_LEN, MAX_REQUEST_LEN};

/// A request's command (lrv §6), spelled on the wire exactly as the seed
/// writes it: upper case, ASCII (D3, D4).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Command {
    /// `REGISTRAR <cpf>` (lrv §6.2).
    Registrar,
    /// `ESGOTOU` (lrv §6.3).
    Esgotou,
    /// `DISPONIVEIS` (lrv §6.4).
    Disponiveis,
    /// `COMPRADOS` (lrv §6.5).
    Comprados,
    /// `COMPRAR <numero>` (lrv §6.6).
    Comprar,
    /// `SORTEIO` (lrv §6.7).
    Sorteio,
    /// `SAIR` (lrv §6.8).
    Sair,
}

/// What follows a command (lrv §6.1).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Argument {
    /// Nothing: the command is the whole line.
    None,
    /// One CPF (lrv §4.1).
    Cpf,
    /// One number (lrv §4.2).
    Number,
}

impl Command {
    /// Every command, in the order of lrv §6.
    pub const ALL: [Command; 7] = [
        Command::Registrar,
        Command::Esgotou,
        Command::Disponiveis,
        Command::Comprados,
        Command::Comprar,
        Command::Sorteio,
        Command::Sair,
    ];

    /// The command word on the wire.
    pub const fn as_str(self) -> &'static str {
        match self {
            Command::Registrar => "REGISTRAR",
            Command::Esgotou => "ESGOTOU",
            Command::Disponiveis => "DISPONIVEIS",
            Command::Comprados => "COMPRADOS",
            Command::Comprar => "COMPRAR",
            Command::Sorteio => "SORTEIO",
            Command::Sair => "SAIR",
        }
    }

    /// The command spelled exactly `word`, if any.
    pub fn from_word(word: &str) -> Option<Command> {
        Command::ALL.into_iter().find(|c| c.as_str() == word)
    }

    /// What must follow the command word (lrv §6.1).
    pub const fn argument(self) -> Argument {
        match self {
            Command::Registrar => Argument::Cpf,
            Command::Comprar => Argument::Number,
            _ => Argument::None,
        }
    }

    /// Whether the server answers it only on a registered connection
    /// (lrv §8.1, D12); before `REGISTRAR` these get `400`.
    pub const fn needs_registration(self) -> bool {
        matches!(self, Command::Comprar | Command::Comprados)
    }
}

impl fmt::Display for Command {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A reply's three-digit code (lrv §7.1). The names say what the seed's
/// prose says the code means.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Code {
    /// `200` — a new CPF registered (lrv §6.2).
    Registered,
    /// `201` — a known CPF authenticated again (lrv §6.2).
    Authenticated,
    /// `202` — the number is bought (lrv §6.6).
    Purchased,
    /// `203` — the available numbers follow (lrv §7.3).
    Available,
    /// `204` — disconnecting (lrv §6.8).
    Goodbye,
    /// `205` — every number is bought (lrv §6.3).
    SoldOut,
    /// `206` — some numbers are still available (lrv §6.3).
    NotSoldOut,
    /// `207` — the draw's result follows (lrv §7.4).
    Drawn,
    /// `208` — the client's numbers follow (lrv §7.3).
    Purchases,
    /// `400` — invalid request (lrv §9.2).
    BadRequest,
    /// `401` — the number is not available (lrv §6.6).
    Unavailable,
    /// `402` — no draw yet (lrv §6.7).
    NotDrawn,
}

/// What follows a reply code (lrv §7.1).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Payload {
    /// Nothing: the code is the whole line.
    None,
    /// A number list, possibly empty (lrv §7.3).
    List,
    /// The winning number and the winner's CPF (lrv §7.4).
    Draw,
}

impl Code {
    /// Every reply code, in numeric order.
    pub const ALL: [Code; 12] = [
        Code::Registered,
        Code::Authenticated,
        Code::Purchased,
        Code::Available,
        Code::Goodbye,
        Code::SoldOut,
        Code::NotSoldOut,
        Code::Drawn,
        Code::Purchases,
        Code::BadRequest,
        Code::Unavailable,
        Code::NotDrawn,
    ];

    /// The three ASCII digits on the wire.
    pub const fn as_str(self) -> &'static str {
        match self {
            Code::Registered => "200",
            Code::Authenticated => "201",
            Code::Purchased => "202",
            Code::Available => "203",
            Code::Goodbye => "204",
            Code::SoldOut => "205",
            Code::NotSoldOut => "206",
            Code::Drawn => "207",
            Code::Purchases => "208",
            Code::BadRequest => "400",
            Code::Unavailable => "401",
            Code::NotDrawn => "402",
        }
    }

    /// The code as a number (`402`).
    pub fn value(self) -> u16 {
        self.as_str()
            .bytes()
            .fold(0, |n, b| n * 10 + u16::from(b - b'0'))
    }

    /// The code spelled by exactly these bytes, if any.
    pub fn from_bytes(bytes: &[u8]) -> Option<Code> {
        Code::ALL
            .into_iter()
            .find(|c| c.as_str().as_bytes() == bytes)
    }

    /// What must follow the code (lrv §7.1).
    pub const fn payload(self) -> Payload {
        match self {
            Code::Available | Code::Purchases => Payload::List,
            Code::Drawn => Payload::Draw,
            _ => Payload::None,
        }
    }
}

impl fmt::Display for Code {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Which way a byte stream flows (lrv §2).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Direction {
    /// Client → server: every line is a request.
    ToServer,
    /// Server → client: the greeting, then replies.
    ToClient,
}

impl Direction {
    /// What the first line of a connection is in this direction (lrv §3.6).
    pub fn first(self) -> Expect {
        match self {
            Direction::ToServer => Expect::Request,
            Direction::ToClient => Expect::Greeting,
        }
    }

    /// The other side of the connection.
    pub fn reverse(self) -> Self {
        match self {
            Direction::ToServer => Direction::ToClient,
            Direction::ToClient => Direction::ToServer,
        }
    }
}

/// What the receiver expects the next line to be. The greeting is known by
/// its position — the first line a client receives — never by its text
/// (lrv §3.6, D2), so the caller says which line it is at.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Expect {
    /// A request: every line a server receives (lrv §6).
    Request,
    /// The greeting: the first line a client receives (lrv §5).
    Greeting,
    /// A reply: every later line a client receives (lrv §7).
    Reply,
}

impl Expect {
    /// Which way a line of this kind flows.
    pub fn direction(self) -> Direction {
        match self {
            Expect::Request => Direction::ToServer,
            Expect::Greeting | Expect::Reply => Direction::ToClient,
        }
    }

    /// The content limit of the line's direction (lrv §3.4).
    pub fn max_len(self) -> usize {
        match self.direction() {
            Direction::ToServer => MAX_REQUEST_LEN,
            Direction::ToClient => MAX_REPLY_LEN,
        }
    }

    /// What comes after a line of this kind.
    pub fn after(self) -> Expect {
        match self {
            Expect::Greeting => Expect::Reply,
            other => other,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_round_trip() {
        for c in Command::ALL {
            assert_eq!(Command::from_word(c.as_str()), Some(c));
        }
        assert_eq!(Command::from_word("comprar"), None);
        for c in Code::ALL {
            assert_eq!(Code::from_bytes(c.as_str().as_bytes()), Some(c));
        }
        assert_eq!(Code::from_bytes(b"209"), None);
        assert_eq!(Code::NotDrawn.value(), 402);
    }

    #[test]
    fn only_comprar_and_comprados_need_registration() {
        let need: Vec<_> = Command::ALL
            .into_iter()
            .filter(|c| c.needs_registration())
            .collect();
        assert_eq!(need, [Command::Comprados, Command::Comprar]);
    }
}
