//! Which section of `spec/zap.md` a message or a decoding fault belongs to,
//! so every line the proxy prints and every check `serve` reports cites it.

use gabarito_codec::zap::{Code, Kind};

/// The section that defines `code`'s message (zap §2).
pub fn of_code(code: Code) -> &'static str {
    match code {
        Code::Register => "§5.1",
        Code::Registered => "§5.2",
        Code::Connect => "§5.3",
        Code::Send => "§6.1",
        Code::Deliver => "§6.2",
        Code::Delivered => "§7.1",
        Code::Read => "§7.2",
        Code::ReadNotice => "§7.3",
        Code::CreateGroup => "§8.1",
        Code::GroupCreated => "§8.2",
    }
}

/// The rule a decoding fault breaks; every malformed frame is also §10.1.
pub fn of_fault(kind: Kind) -> &'static str {
    match kind {
        Kind::UnknownCode | Kind::WrongDirection { .. } => "§2, §3.4 R1, §10.1",
        Kind::NotDigits { .. } => "§4.1, §10.1",
        Kind::InvalidUtf8 => "§4.1, §10.1",
        Kind::TooManyChars => "§3.4 R4, §4.1, §10.1",
        Kind::NulInData => "§3.3, §4.1, §10.1",
        Kind::TooManyMembers { .. } | Kind::TooFewMembers { .. } => "§8, §10.1",
        Kind::PartialMember => "§3.4 R5, §10.1",
        Kind::TrailingZeroMember => "§3.3",
        Kind::Truncated { .. } | Kind::TrailingBytes { .. } => "§3.1, §10.1",
    }
}
