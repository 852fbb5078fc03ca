//! The bytes of every frame the server writes, canonical (zap §3.2) unless
//! a quirk pads them (zap §3.3) or a fault breaks them.

use gabarito_codec::zap::{
    Chat, GroupMembers, ID_LEN, Id, MAX_DATA_CHARS, Message, Text, Timestamp,
};

use super::CoreConfig;
use super::types::Uid;
use crate::fault::{Fault, Quirk};

/// Quirk `banner`: the greeting some student servers write on connect (D12).
pub const BANNER: &[u8] = "Bem-vindo ao zap!\n".as_bytes();

/// Timestamps are 10 digits (zap §4.1); arithmetic on them wraps there.
const TIMESTAMP_MODULUS: u64 = 10_000_000_000;

fn timestamp(secs: u64) -> Timestamp<'static> {
    Timestamp::from_secs(secs % TIMESTAMP_MODULUS).expect("reduced modulo 10^10, so 10 digits")
}

/// `02` with the new id (zap §5.2). Fault `short-ids` drops its first digit.
pub(super) fn registered(cfg: &CoreConfig, id: Uid) -> Vec<u8> {
    let frame = Message::Registered { id: id.id() }.to_bytes();
    if cfg.faults.contains(&Fault::ShortIds) {
        let mut short = frame[..2].to_vec();
        short.extend_from_slice(&frame[3..]);
        debug_assert_eq!(short.len(), 2 + ID_LEN - 1);
        return short;
    }
    frame
}

/// `06`: the accepted 05 with code 06 and nothing else changed (zap §6.2),
/// unless a fault changes it; quirk `pad-data` NUL-pads data (D6).
pub(super) fn deliver(cfg: &CoreConfig, chat: &Chat<'_>) -> Vec<u8> {
    let mut chat = chat.reborrow();
    if cfg.faults.contains(&Fault::SwapSrcDst) {
        std::mem::swap(&mut chat.src, &mut chat.dst);
    }
    if cfg.faults.contains(&Fault::TruncateData) {
        if let Some((at, _)) = chat.data.as_str().char_indices().nth(100) {
            let cut = &chat.data.as_str()[..at];
            chat.data = Text::owned(cut.to_owned()).expect("a prefix of valid data is valid data");
        }
    }
    let mut frame = Message::Deliver(chat.reborrow()).to_bytes();
    if cfg.quirks.contains(&Quirk::PadData) {
        let pad = MAX_DATA_CHARS.saturating_sub(chat.data.chars());
        frame.resize(frame.len() + pad, 0);
    }
    frame
}

/// `07` to the originator: the recipient and the 06's timestamp (zap §7.1).
/// Fault `wrong-receipt-timestamp` adds a second.
pub(super) fn delivered(cfg: &CoreConfig, recipient: Uid, secs: u64) -> Vec<u8> {
    let secs = if cfg.faults.contains(&Fault::WrongReceiptTimestamp) {
        secs + 1
    } else {
        secs
    };
    Message::Delivered {
        dst: recipient.id(),
        timestamp: timestamp(secs),
    }
    .to_bytes()
}

/// `09` to the originator: the reader and the 08's timestamp (zap §7.3).
pub(super) fn read_notice(reader: Uid, secs: u64) -> Vec<u8> {
    Message::ReadNotice {
        dst: reader.id(),
        timestamp: timestamp(secs),
    }
    .to_bytes()
}

/// `11`: the group, a timestamp, the creator then the members (zap §8.2).
/// Quirk `pad-members` pads the list with zero ids to 8 (D7).
pub(super) fn group_created(cfg: &CoreConfig, group: Uid, secs: u64, members: &[Uid]) -> Vec<u8> {
    let list = GroupMembers::from_ids(members.iter().map(|m| m.id()))
        .expect("a group has its creator and at most 7 others (zap §8.1)");
    let mut frame = Message::GroupCreated {
        group: group.id(),
        timestamp: timestamp(secs),
        members: list,
    }
    .to_bytes();
    if cfg.quirks.contains(&Quirk::PadMembers) {
        let zero = Id::from_value(0).expect("0 has 13 digits padded");
        for _ in members.len()..8 {
            frame.extend_from_slice(zero.as_str().as_bytes());
        }
    }
    frame
}

#[cfg(test)]
mod tests {
    use gabarito_codec::zap::decode;

    use super::*;

    fn chat(data: &str) -> Chat<'_> {
        Chat {
            src: Id::parse("2000000000001").expect("id"),
            dst: Id::parse("2000000000002").expect("id"),
            timestamp: Timestamp::parse("1700000000").expect("ts"),
            data: Text::new(data).expect("text"),
        }
    }

    fn cfg(faults: &[Fault], quirks: &[Quirk]) -> CoreConfig {
        CoreConfig {
            faults: faults.iter().copied().collect(),
            quirks: quirks.iter().copied().collect(),
            ..CoreConfig::default()
        }
    }

    #[test]
    fn deliver_is_the_send_with_code_06() {
        let f = deliver(&cfg(&[], &[]), &chat("olá"));
        let mut want = b"0620000000000012000000000002".to_vec();
        want.extend_from_slice(b"1700000000");
        want.extend_from_slice("olá".as_bytes());
        assert_eq!(f, want);
    }

    #[test]
    fn padded_deliver_decodes_to_the_same_message() {
        let f = deliver(&cfg(&[], &[Quirk::PadData]), &chat("olá"));
        let d = decode(&f).expect("valid");
        assert_eq!(d.padding.nul_bytes, 215);
        assert_eq!(d.message, Message::Deliver(chat("olá")));
    }

    #[test]
    fn faults_change_deliver() {
        let bytes = deliver(&cfg(&[Fault::SwapSrcDst], &[]), &chat("x"));
        let swapped = decode(&bytes).expect("valid");
        let Message::Deliver(c) = swapped.message else {
            panic!("not a 06")
        };
        assert_eq!(c.src.as_str(), "2000000000002");
        let long = "é".repeat(150);
        let bytes = deliver(&cfg(&[Fault::TruncateData], &[]), &chat(&long));
        let cut = decode(&bytes).expect("valid");
        let Message::Deliver(c) = cut.message else {
            panic!("not a 06")
        };
        assert_eq!(c.data.chars(), 100);
    }

    #[test]
    fn short_ids_and_padded_members() {
        assert_eq!(
            registered(&cfg(&[Fault::ShortIds], &[]), Uid::FIRST),
            b"02000000000001"
        );
        assert_eq!(registered(&cfg(&[], &[]), Uid::FIRST), b"022000000000001");
        let g = group_created(
            &cfg(&[], &[Quirk::PadMembers]),
            Uid::FIRST,
            5,
            &[Uid::FIRST],
        );
        assert_eq!(g.len(), 25 + 8 * 13);
        assert_eq!(decode(&g).expect("valid").padding.zero_members, 7);
    }

    #[test]
    fn wrong_receipt_timestamp_wraps_at_ten_digits() {
        let f = delivered(
            &cfg(&[Fault::WrongReceiptTimestamp], &[]),
            Uid::FIRST,
            9_999_999_999,
        );
        assert_eq!(&f[15..], b"0000000000");
    }
}
