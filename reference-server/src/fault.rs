//! Named misbehaviours ([`Fault`]) and named conformant variations
//! ([`Quirk`]), each for the protocols it names.
//!
//! The conformance harness proves itself with them: against every fault the
//! matching cases must FAIL, against every quirk every case must still pass
//! (PASS or NON-STRICT). Each name is kebab-case and stable: the harness and
//! teachers' scripts use it on the command line (`--fault NAME`). A name is
//! one behaviour whatever the protocol (`lose-state`, `glue`), so a few
//! apply to several; a fault or quirk for a protocol the server is not
//! speaking is refused at start ([`Config::validate`](crate::Config::validate)),
//! never silently ignored: a grader testing itself against a fault that
//! does nothing would learn nothing.

use std::fmt;
use std::str::FromStr;

use crate::Protocol;
use crate::config::UnknownName;

/// A fault or quirk named for a protocol the server is not speaking.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NotForProtocol {
    /// `"fault"` or `"quirk"`.
    pub what: &'static str,
    pub name: &'static str,
    pub applies_to: &'static [Protocol],
    pub speaking: Protocol,
}

impl fmt::Display for NotForProtocol {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let names: Vec<_> = self.applies_to.iter().map(|p| p.name()).collect();
        write!(
            f,
            "{} {} is for {}; this server speaks {}",
            self.what,
            self.name,
            names.join(" and "),
            self.speaking
        )
    }
}

impl std::error::Error for NotForProtocol {}

macro_rules! named_enum {
    (
        $(#[$meta:meta])*
        pub enum $name:ident ($what:literal) {
            $( $(#[$vmeta:meta])* $variant:ident = $text:literal [$($proto:ident),+] : $desc:literal, )*
        }
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum $name {
            $( $(#[$vmeta])* $variant, )*
        }

        impl $name {
            /// Every value, in declaration order, for every protocol.
            pub const ALL: &'static [Self] = &[$(Self::$variant),*];

            /// The stable kebab-case name used on the command line.
            pub const fn name(self) -> &'static str {
                match self { $(Self::$variant => $text,)* }
            }

            /// One line saying what changes, citing the spec.
            pub const fn description(self) -> &'static str {
                match self { $(Self::$variant => $desc,)* }
            }

            /// The protocols it changes.
            pub const fn protocols(self) -> &'static [Protocol] {
                match self { $(Self::$variant => &[$(Protocol::$proto),+],)* }
            }

            pub fn applies_to(self, protocol: Protocol) -> bool {
                self.protocols().contains(&protocol)
            }

            /// Those that apply to `protocol`, in declaration order: what a
            /// harness testing itself against one protocol iterates.
            pub fn for_protocol(protocol: Protocol) -> impl Iterator<Item = Self> {
                Self::ALL.iter().copied().filter(move |v| v.applies_to(protocol))
            }

            /// `Ok` if it applies to `protocol`.
            pub fn check(self, protocol: Protocol) -> Result<(), NotForProtocol> {
                if self.applies_to(protocol) {
                    Ok(())
                } else {
                    Err(NotForProtocol {
                        what: $what,
                        name: self.name(),
                        applies_to: self.protocols(),
                        speaking: protocol,
                    })
                }
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.name())
            }
        }

        impl FromStr for $name {
            type Err = UnknownName;

            fn from_str(s: &str) -> Result<Self, Self::Err> {
                Self::ALL.iter().copied().find(|v| v.name() == s).ok_or_else(|| UnknownName {
                    what: $what,
                    found: s.to_owned(),
                    known: Self::ALL.iter().map(|v| v.name()).collect(),
                })
            }
        }
    };
}

named_enum! {
    /// A deliberate, named violation of the spec (`--fault NAME`). Off by
    /// default; the binary refuses faults without `--i-know-this-is-broken`.
    pub enum Fault ("fault") {
        /// zap §9.4.
        NoPendingDelivery = "no-pending-delivery" [Zap]:
            "messages stored for an offline user are never delivered when it connects (breaks zap §9.4)",
        /// zap §7.1.
        NoDeliveredReceipt = "no-delivered-receipt" [Zap]:
            "never sends 07 (breaks zap §7.1)",
        /// zap §7.3.
        NoReadNotice = "no-read-notice" [Zap]:
            "never sends 09 (breaks zap §7.2, §7.3)",
        /// zap §7.1.
        WrongReceiptTimestamp = "wrong-receipt-timestamp" [Zap]:
            "07 carries the 06's timestamp plus one second (breaks zap §7.1)",
        /// zap §6.2.
        SwapSrcDst = "swap-src-dst" [Zap]:
            "06 has src and dst swapped (breaks zap §6.2)",
        /// zap §5.2.
        ShortIds = "short-ids" [Zap]:
            "02 carries a 12-digit id (breaks zap §5.2, §4.1)",
        /// zap §9.1.
        SameId = "same-id" [Zap]:
            "every 01 gets the same id, 2000000000001 (breaks zap §9.1)",
        /// zap §9.2, §10.2.
        AcceptSpoofing = "accept-spoofing" [Zap]:
            "accepts 05 and 10 whose src/creator is not the connection's id (breaks zap §9.2, §10.2)",
        /// zap §10.1, lrv §9.1.
        CrashOnMalformed = "crash-on-malformed" [Zap, Lrv]:
            "the whole server stops on the first malformed frame (breaks zap §10.1) or invalid request (breaks lrv §9.1)",
        /// zap §6.2.
        TruncateData = "truncate-data" [Zap]:
            "06 data is cut to 100 characters (breaks zap §6.2)",
        /// zap §4.1, D2.
        CountBytes = "count-bytes" [Zap]:
            "the 218 limit is counted in bytes: a 05 with more than 218 bytes of data is malformed (breaks zap §4.1, D2)",
        /// zap §8.2.
        NoCreatorNotice = "no-creator-notice" [Zap]:
            "11 is not sent to the group's creator (breaks zap §8.2)",
        /// zap §11.1, lrv §10.1.
        LoseState = "lose-state" [Zap, Lrv]:
            "starts with an empty store, so a restart loses users, groups and pending items (breaks zap §9.1, §11.1) or CPFs, purchases and the draw (breaks lrv §10.1)",
        /// zap §9.4.
        NewestFirst = "newest-first" [Zap]:
            "pending items are delivered newest first (breaks zap §9.4)",
        /// zap §9.4.
        DeliverTwice = "deliver-twice" [Zap]:
            "every pending item is written twice (breaks zap §9.4)",
        /// lrv §5.
        NoGreeting = "no-greeting" [Lrv]:
            "no greeting line on connect (breaks lrv §5)",
        /// lrv §8.3.
        DoubleSale = "double-sale" [Lrv]:
            "COMPRAR checks availability, then sells ~50 ms later holding nothing, so racing buyers of one number all get 202 (breaks lrv §8.3)",
        /// lrv §6.6, D15.
        Resell = "resell" [Lrv]:
            "COMPRAR of a number sold to another CPF answers 202 and reassigns it (breaks lrv §6.6, D15)",
        /// lrv §8.4.
        EarlyDraw = "early-draw" [Lrv]:
            "SORTEIO before the sell-out draws at once among the sold numbers (any number if none) and answers 207; later SORTEIOs repeat it (breaks lrv §8.4)",
        /// lrv §10.1.
        RedrawOnRestart = "redraw-on-restart" [Lrv]:
            "the draw does not survive a restart: a new, different winning number is drawn at every start (breaks lrv §8.4, §10.1)",
        /// lrv §8.5.
        RecvPerMessage = "recv-per-message" [Lrv]:
            "only the first request line of each read is answered; the rest of that read is dropped (breaks lrv §8.5)",
        /// lrv §9.2, D10.
        SilentInvalid = "silent-invalid" [Lrv]:
            "invalid requests get no reply (breaks lrv §9.2, D10)",
        /// lrv D12.
        BuyUnregistered = "buy-unregistered" [Lrv]:
            "COMPRAR before REGISTRAR buys for an anonymous owner (00000000000) and answers 202; COMPRADOS before REGISTRAR answers 208 (breaks lrv §8.1, D12)",
        /// lrv §6.2.
        AlwaysNew = "always-new" [Lrv]:
            "REGISTRAR always answers 200, never 201 (breaks lrv §6.2, D13)",
        /// lrv §6.8, D20.
        SairNoReply = "sair-no-reply" [Lrv]:
            "SAIR closes the connection without 204 (breaks lrv §6.8, D20)",
        /// lrv §6.4.
        StaleList = "stale-list" [Lrv]:
            "DISPONIVEIS lists every number 1..N, sold or not (breaks lrv §6.4)",
        /// lrv D6.
        ActOnExtra = "act-on-extra" [Lrv]:
            "COMPRAR 7 8 buys 7 and answers 202 instead of 400 (breaks lrv §6.1, §9.2, D6)",
    }
}

named_enum! {
    /// A conformant variation (`--quirk NAME`): behaviour the spec allows or
    /// tolerates, which a grader must not FAIL.
    pub enum Quirk ("quirk") {
        PadData = "pad-data" [Zap]:
            "06 data is NUL-padded to 218 characters (tolerated: zap §3.3, D6)",
        PadMembers = "pad-members" [Zap]:
            "11 member lists are padded with 0000000000000 to 8 ids (tolerated: zap §3.3, D7)",
        Glue = "glue" [Zap, Lrv]:
            "all frames one event produces for one connection go out in one write (zap §3.4 R3); lrv: the replies to the requests of one read, and a banner's lines, go out in one write (lrv §3.3 L5)",
        Slow = "slow" [Zap, Lrv]:
            "every write is delayed by 150 ms",
        Newline = "newline" [Zap]:
            "a \\n follows every frame (tolerated: zap §3.5, D8)",
        Banner = "banner" [Zap, Lrv]:
            "zap: a greeting line \"Bem-vindo ao zap!\\n\" is written on connect (tolerated: zap D12); lrv: the greeting is followed by a second line \"Digite um comando:\" (tolerated: lrv §5, D2)",
        CoalesceReceipts = "coalesce-receipts" [Zap]:
            "one 07 per originator per written batch, carrying the latest timestamp (allowed: zap §7.1, D14)",
        EchoGroupTimestamp = "echo-group-timestamp" [Zap]:
            "11 carries the 10's timestamp instead of the server's clock (allowed: zap §8.2)",
        CloseOnIgnore = "close-on-ignore" [Zap]:
            "well-formed but not allowed frames close the connection instead of being ignored (allowed: zap §10.2)",
        Crlf = "crlf" [Lrv]:
            "every line the server sends ends in CRLF (tolerated: lrv §3.5)",
        NoNewline = "no-newline" [Lrv]:
            "the greeting and the replies have no terminator, each in its own write followed by an 80 ms pause, like Python's send(b\"202\") (tolerated: lrv §3.5, L4)",
        HumanText = "human-text" [Lrv]:
            "replies carry human text: \"200 - Cliente registrado\", \"203 - Números disponíveis: 1, 2, 5\", \"207 Sorteio realizado! Número 42, ganhador 123.456.789-09\" (tolerated: lrv §7.5, D7)",
        Lenient = "lenient" [Lrv]:
            "accepts lower and mixed case, DISPONÍVEIS, extra spaces, an ignored argument to an argument-less command, COMPRAR 007 as 7 and a formatted CPF as the same CPF; still 400 for two arguments and unknown commands (tolerated: lrv D3-D6, D11, D14)",
        NoCpfCheck = "no-cpf-check" [Lrv]:
            "REGISTRAR accepts any 11 digits as a CPF, check digits unchecked (tolerated: lrv D11)",
        CloseOnInvalid = "close-on-invalid" [Lrv]:
            "an invalid request closes the connection instead of being answered 400 (tolerated: lrv §9.2, D10)",
        EmptyLine400 = "empty-line-400" [Lrv]:
            "empty lines are answered 400 (tolerated: lrv §3.3 L2, D18)",
        Unordered = "unordered" [Lrv]:
            "203 and 208 list their numbers in descending order (tolerated: lrv §7.5, D8)",
        KeepOpenAfterSair = "keep-open-after-sair" [Lrv]:
            "SAIR is answered 204 but the connection stays open, unread, until the client closes (tolerated: lrv §6.8, D20)",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip_and_are_kebab_case() {
        for f in Fault::ALL {
            assert_eq!(f.name().parse::<Fault>(), Ok(*f));
            assert!(
                f.name()
                    .bytes()
                    .all(|b| b.is_ascii_lowercase() || b == b'-')
            );
            assert!(!f.description().is_empty());
        }
        for q in Quirk::ALL {
            assert_eq!(q.name().parse::<Quirk>(), Ok(*q));
            assert!(
                q.name()
                    .bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
            );
        }
        assert_eq!(Fault::ALL.len(), 27);
        assert_eq!(Quirk::ALL.len(), 18);
        assert_eq!(Fault::for_protocol(Protocol::Zap).count(), 15);
        assert_eq!(Quirk::for_protocol(Protocol::Zap).count(), 9);
        assert_eq!(Fault::for_protocol(Protocol::Lrv).count(), 14);
        assert_eq!(Quirk::for_protocol(Protocol::Lrv).count(), 12);
    }

    #[test]
    fn unknown_names_list_the_known_ones() {
        let e = "nope".parse::<Fault>().unwrap_err();
        assert!(e.to_string().contains("no-pending-delivery"), "{e}");
        assert!("glue".parse::<Fault>().is_err());
    }

    #[test]
    fn a_name_for_another_protocol_is_refused_with_both_names() {
        let e = Fault::NoGreeting.check(Protocol::Zap).unwrap_err();
        assert_eq!(
            e.to_string(),
            "fault no-greeting is for lrv; this server speaks zap"
        );
        let e = Quirk::PadData.check(Protocol::Lrv).unwrap_err();
        assert_eq!(
            e.to_string(),
            "quirk pad-data is for zap; this server speaks lrv"
        );
        assert!(Fault::LoseState.check(Protocol::Lrv).is_ok());
        assert!(Quirk::Glue.check(Protocol::Zap).is_ok());
    }
}
