//! What grading an lrv target needs to know besides `--protocol lrv`: the
//! raffle's size N (lrv §4.2), a server option the seed leaves open (D14),
//! so the suite cannot learn it and is told.

use clap::Args;
use gabarito_codec::lrv::Number;

use super::DEFAULT_RAFFLE_SIZE;

/// The smallest raffle the built-in lrv suite fits in: its cases buy
/// numbers 1–39 by name and the sell-out buys the rest.
pub const MIN_RAFFLE_SIZE: u32 = 40;

#[derive(Debug, Clone, Args)]
pub struct Options {
    /// lrv only: the target's raffle size N, numbers 1..N (lrv §4.2). The
    /// suite needs a fresh raffle of this size (its first case checks it)
    /// and at least 40 numbers; the reference server's default is 100.
    #[arg(long, value_name = "N", default_value_t = DEFAULT_RAFFLE_SIZE, value_parser = parse_raffle_size)]
    pub raffle_size: u32,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            raffle_size: DEFAULT_RAFFLE_SIZE,
        }
    }
}

impl Options {
    /// The raffle size as the codec's number.
    pub fn number(&self) -> Number {
        Number::new(self.raffle_size).expect("checked by parse_raffle_size")
    }
}

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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_raffle_must_fit_the_suite() {
        assert_eq!(parse_raffle_size("40"), Ok(40));
        assert!(parse_raffle_size("39").is_err_and(|e| e.contains("found 39")));
        assert!(parse_raffle_size("10001").is_err());
        assert!(parse_raffle_size("x").is_err());
    }
}
