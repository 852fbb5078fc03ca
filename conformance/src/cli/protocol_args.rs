//! `--protocol` and the options a protocol needs to be graded, defined once
//! for a single run and for `grade`: which adapter the runner uses, and how
//! the built-in reference server is configured to match it.

use std::sync::Arc;

use clap::{Args, ValueEnum};
use gabarito_codec::lrv::Number;

use crate::lrv::{DEFAULT_RAFFLE_SIZE, Lrv};
use crate::protocol::Protocol;
use crate::zap::Zap;

/// The protocols with a built-in suite.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ProtocolName {
    /// WhatsApp-like messaging (spec/zap.md).
    Zap,
    /// The raffle (spec/lrv.md).
    Lrv,
}

#[derive(Debug, Clone, Args)]
pub struct ProtocolArgs {
    /// The protocol the target speaks.
    #[arg(long, value_enum, default_value_t = ProtocolName::Zap)]
    pub protocol: ProtocolName,
    /// lrv only: the target's raffle size N, numbers 1..N (lrv §4.2). The
    /// suite needs a fresh raffle of this size (its first case checks it)
    /// and at least 40 numbers; the reference server's default is 100.
    #[arg(long, value_name = "N", default_value_t = DEFAULT_RAFFLE_SIZE, value_parser = parse_raffle_size)]
    pub raffle_size: u32,
}

/// The smallest raffle the built-in lrv suite fits in: its cases buy
/// numbers 1–39 by name and the sell-out buys the rest.
pub const MIN_RAFFLE_SIZE: u32 = 40;

fn parse_raffle_size(s: &str) -> Result<u32, String> {
    let n: u32 = s
        .parse()
        .map_err(|_| format!("expected a number from {MIN_RAFFLE_SIZE} to 10000, found {s:?}"))?;
    if !(MIN_RAFFLE_SIZE..=gabarito_codec::lrv::MAX_NUMBER).contains(&n) {
        return Err(format!(
            "the lrv suite needs a raffle of {MIN_RAFFLE_SIZE} to 10000 numbers (lrv §4.2), found {n}"
        ));
    }
    Ok(n)
}

impl ProtocolArgs {
    pub fn protocol(&self) -> Arc<dyn Protocol> {
        match self.protocol {
            ProtocolName::Zap => Arc::new(Zap),
            ProtocolName::Lrv => Arc::new(Lrv::new(self.number())),
        }
    }

    /// The built-in reference server's configuration for this protocol.
    pub fn reference(&self, config: gabarito_server::Config) -> gabarito_server::Config {
        match self.protocol {
            ProtocolName::Zap => config,
            ProtocolName::Lrv => config
                .with_protocol(gabarito_server::Protocol::Lrv)
                .with_raffle_size(self.number()),
        }
    }

    fn number(&self) -> Number {
        Number::new(self.raffle_size).expect("checked by parse_raffle_size")
    }
}
