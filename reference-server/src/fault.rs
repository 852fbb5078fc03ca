//! Named misbehaviours ([`Fault`]) and named conformant variations
//! ([`Quirk`]).
//!
//! The conformance harness proves itself with them: against every fault the
//! matching cases must FAIL, against every quirk every case must still pass
//! (PASS or NON-STRICT). Each name is kebab-case and stable: the harness and
//! teachers' scripts use it on the command line (`--fault NAME`).

use std::fmt;
use std::str::FromStr;

use crate::config::UnknownName;

macro_rules! named_enum {
    (
        $(#[$meta:meta])*
        pub enum $name:ident ($what:literal) {
            $( $(#[$vmeta:meta])* $variant:ident = $text:literal : $desc:literal, )*
        }
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum $name {
            $( $(#[$vmeta])* $variant, )*
        }

        impl $name {
            /// Every value, in declaration order.
            pub const ALL: &'static [Self] = &[$(Self::$variant),*];

            /// The stable kebab-case name used on the command line.
            pub const fn name(self) -> &'static str {
                match self { $(Self::$variant => $text,)* }
            }

            /// One line saying what changes, citing the spec.
            pub const fn description(self) -> &'static str {
                match self { $(Self::$variant => $desc,)* }
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
        NoPendingDelivery = "no-pending-delivery":
            "messages stored for an offline user are never delivered when it connects (breaks zap §9.4)",
        /// zap §7.1.
        NoDeliveredReceipt = "no-delivered-receipt":
            "never sends 07 (breaks zap §7.1)",
        /// zap §7.3.
        NoReadNotice = "no-read-notice":
            "never sends 09 (breaks zap §7.2, §7.3)",
        /// zap §7.1.
        WrongReceiptTimestamp = "wrong-receipt-timestamp":
            "07 carries the 06's timestamp plus one second (breaks zap §7.1)",
        /// zap §6.2.
        SwapSrcDst = "swap-src-dst":
            "06 has src and dst swapped (breaks zap §6.2)",
        /// zap §5.2.
        ShortIds = "short-ids":
            "02 carries a 12-digit id (breaks zap §5.2, §4.1)",
        /// zap §9.1.
        SameId = "same-id":
            "every 01 gets the same id, 2000000000001 (breaks zap §9.1)",
        /// zap §9.2, §10.2.
        AcceptSpoofing = "accept-spoofing":
            "accepts 05 and 10 whose src/creator is not the connection's id (breaks zap §9.2, §10.2)",
        /// zap §10.1.
        CrashOnMalformed = "crash-on-malformed":
            "the whole server stops on the first malformed frame (breaks zap §10.1)",
        /// zap §6.2.
        TruncateData = "truncate-data":
            "06 data is cut to 100 characters (breaks zap §6.2)",
        /// zap §4.1, D2.
        CountBytes = "count-bytes":
            "the 218 limit is counted in bytes: a 05 with more than 218 bytes of data is malformed (breaks zap §4.1, D2)",
        /// zap §8.2.
        NoCreatorNotice = "no-creator-notice":
            "11 is not sent to the group's creator (breaks zap §8.2)",
        /// zap §11.1.
        LoseState = "lose-state":
            "starts with an empty store, so a restart loses users, groups and pending items (breaks zap §9.1, §11.1)",
        /// zap §9.4.
        NewestFirst = "newest-first":
            "pending items are delivered newest first (breaks zap §9.4)",
        /// zap §9.4.
        DeliverTwice = "deliver-twice":
            "every pending item is written twice (breaks zap §9.4)",
    }
}

named_enum! {
    /// A conformant variation (`--quirk NAME`): behaviour the spec allows or
    /// tolerates, which a grader must not FAIL.
    pub enum Quirk ("quirk") {
        PadData = "pad-data":
            "06 data is NUL-padded to 218 characters (tolerated: zap §3.3, D6)",
        PadMembers = "pad-members":
            "11 member lists are padded with 0000000000000 to 8 ids (tolerated: zap §3.3, D7)",
        Glue = "glue":
            "all frames one event produces for one connection go out in one write (zap §3.4 R3)",
        Slow = "slow":
            "every write is delayed by 150 ms",
        Newline = "newline":
            "a \\n follows every frame (tolerated: zap §3.5, D8)",
        Banner = "banner":
            "a greeting line \"Bem-vindo ao zap!\\n\" is written on connect (tolerated: D12)",
        CoalesceReceipts = "coalesce-receipts":
            "one 07 per originator per written batch, carrying the latest timestamp (allowed: zap §7.1, D14)",
        EchoGroupTimestamp = "echo-group-timestamp":
            "11 carries the 10's timestamp instead of the server's clock (allowed: zap §8.2)",
        CloseOnIgnore = "close-on-ignore":
            "well-formed but not allowed frames close the connection instead of being ignored (allowed: zap §10.2)",
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
                    .all(|b| b.is_ascii_lowercase() || b == b'-')
            );
        }
        assert_eq!(Fault::ALL.len(), 15);
        assert_eq!(Quirk::ALL.len(), 9);
    }

    #[test]
    fn unknown_names_list_the_known_ones() {
        let e = "nope".parse::<Fault>().unwrap_err();
        assert!(e.to_string().contains("no-pending-delivery"), "{e}");
        assert!("glue".parse::<Fault>().is_err());
    }
}
