//! Message codes and who may send them (zap §2, §4).

use std::fmt;

/// Who is sending: zap §2 assigns every code to exactly one direction, and
/// the streaming decoder uses that to recognise where a glued frame starts
/// (zap §3.4): a client never receives a `05`, so `05` followed by digits in
/// data it receives is text, not a frame.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Direction {
    /// Frames a client sends and a server receives: 01, 03, 05, 08, 10.
    ToServer,
    /// Frames a server sends and a client receives: 02, 06, 07, 09, 11.
    ToClient,
}

impl Direction {
    /// The other side of the conversation.
    pub fn reverse(self) -> Self {
        match self {
            Direction::ToServer => Direction::ToClient,
            Direction::ToClient => Direction::ToServer,
        }
    }
}

/// The two-digit code that opens every zap frame (zap §4). `04` is not a code:
/// the seed skips it, and a server that answers `03` with `04…` is inventing
/// a message (zap §12, decision D12).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Code {
    /// `01`, client → server (zap §5.1).
    Register,
    /// `02`, server → client (zap §5.2).
    Registered,
    /// `03`, client → server (zap §5.3).
    Connect,
    /// `05`, client → server (zap §6.1).
    Send,
    /// `06`, server → client (zap §6.2).
    Deliver,
    /// `07`, server → client (zap §7.1).
    Delivered,
    /// `08`, client → server (zap §7.2).
    Read,
    /// `09`, server → client (zap §7.3).
    ReadNotice,
    /// `10`, client → server (zap §8.1).
    CreateGroup,
    /// `11`, server → client (zap §8.2).
    GroupCreated,
}

/// How long a frame of a code is (zap §3.1).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Length {
    /// Always exactly this many bytes.
    Fixed(usize),
    /// A fixed header of this many bytes, then a variable tail (data or
    /// members) whose end the framing rules decide (zap §3.2–§3.4).
    Variable {
        /// Bytes of the code and the fixed fields before the tail.
        header: usize,
    },
}

impl Code {
    /// Every code, in numeric order.
    pub const ALL: [Code; 10] = [
        Code::Register,
        Code::Registered,
        Code::Connect,
        Code::Send,
        Code::Deliver,
        Code::Delivered,
        Code::Read,
        Code::ReadNotice,
        Code::CreateGroup,
        Code::GroupCreated,
    ];

    /// The two ASCII digits on the wire.
    pub const fn as_str(self) -> &'static str {
        match self {
            Code::Register => "01",
            Code::Registered => "02",
            Code::Connect => "03",
            Code::Send => "05",
            Code::Deliver => "06",
            Code::Delivered => "07",
            Code::Read => "08",
            Code::ReadNotice => "09",
            Code::CreateGroup => "10",
            Code::GroupCreated => "11",
        }
    }

    /// The two bytes on the wire.
    pub const fn as_bytes(self) -> [u8; 2] {
        let s = self.as_str().as_bytes();
        [s[0], s[1]]
    }

    /// The code these two bytes spell, if any.
    pub fn from_bytes(b: [u8; 2]) -> Option<Code> {
        Code::ALL.into_iter().find(|c| c.as_bytes() == b)
    }

    /// Who sends frames of this code (zap §2).
    pub const fn direction(self) -> Direction {
        match self {
            Code::Register | Code::Connect | Code::Send | Code::Read | Code::CreateGroup => {
                Direction::ToServer
            }
            _ => Direction::ToClient,
        }
    }

    /// zap §3.1: the length table.
    pub const fn length(self) -> Length {
        match self {
            Code::Register => Length::Fixed(2),
            Code::Registered | Code::Connect => Length::Fixed(15),
            Code::Delivered | Code::Read | Code::ReadNotice => Length::Fixed(25),
            Code::Send | Code::Deliver => Length::Variable { header: 38 },
            Code::CreateGroup | Code::GroupCreated => Length::Variable { header: 25 },
        }
    }

    /// How many digits follow the code in this code's header: the evidence a
    /// receiver needs before it believes a frame starts here (zap §3.4). `01`
    /// has none, so it is never recognised inside another frame's tail.
    pub const fn header_digits(self) -> usize {
        match self.length() {
            Length::Fixed(n) | Length::Variable { header: n } => n - 2,
        }
    }

    /// A short English name, for reports.
    pub const fn name(self) -> &'static str {
        match self {
            Code::Register => "register",
            Code::Registered => "registered",
            Code::Connect => "connect",
            Code::Send => "send",
            Code::Deliver => "deliver",
            Code::Delivered => "delivered",
            Code::Read => "read",
            Code::ReadNotice => "read-notice",
            Code::CreateGroup => "create-group",
            Code::GroupCreated => "group-created",
        }
    }
}

impl fmt::Display for Code {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_round_trip_through_bytes_and_04_is_not_a_code() {
        for c in Code::ALL {
            assert_eq!(Code::from_bytes(c.as_bytes()), Some(c));
        }
        assert_eq!(Code::from_bytes(*b"04"), None);
        assert_eq!(Code::from_bytes(*b"00"), None);
        assert_eq!(Code::from_bytes(*b"12"), None);
    }

    #[test]
    fn every_code_has_one_direction_and_directions_partition_codes() {
        let to_server: Vec<_> = Code::ALL
            .into_iter()
            .filter(|c| c.direction() == Direction::ToServer)
            .map(Code::as_str)
            .collect();
        assert_eq!(to_server, ["01", "03", "05", "08", "10"]);
    }
}
