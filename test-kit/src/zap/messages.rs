//! The zap messages tests write most, with timestamps given as numbers.

use gabarito_codec::zap::{Chat, Id, Message, Text, Timestamp};

pub fn ts(n: u64) -> Timestamp<'static> {
    Timestamp::from_secs(n).expect("10 digits")
}

pub fn chat(src: &Id<'_>, dst: &Id<'_>, t: u64, data: &str) -> Chat<'static> {
    Chat {
        src: src.clone().into_owned(),
        dst: dst.clone().into_owned(),
        timestamp: ts(t),
        data: Text::owned(data.to_owned()).expect("valid text"),
    }
}

/// A 05 (zap §6.1).
pub fn send(src: &Id<'_>, dst: &Id<'_>, t: u64, data: &str) -> Message<'static> {
    Message::Send(chat(src, dst, t, data))
}

/// A 06 (zap §6.2).
pub fn deliver(src: &Id<'_>, dst: &Id<'_>, t: u64, data: &str) -> Message<'static> {
    Message::Deliver(chat(src, dst, t, data))
}

/// A 07 (zap §7.1).
pub fn delivered(dst: &Id<'_>, t: u64) -> Message<'static> {
    Message::Delivered {
        dst: dst.clone().into_owned(),
        timestamp: ts(t),
    }
}

/// An 08 (zap §7.2).
pub fn read(src: &Id<'_>, t: u64) -> Message<'static> {
    Message::Read {
        src: src.clone().into_owned(),
        timestamp: ts(t),
    }
}

/// A 09 (zap §7.3).
pub fn read_notice(dst: &Id<'_>, t: u64) -> Message<'static> {
    Message::ReadNotice {
        dst: dst.clone().into_owned(),
        timestamp: ts(t),
    }
}
