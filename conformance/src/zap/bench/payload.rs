//! The data of a benchmark message: a tag `#PAIR:SEQ|` naming the pair and
//! the sequence number, then filler text up to the chosen length.
//!
//! The text never holds a run of more than 12 digits, and a frame header
//! needs 13 or more after its code (zap §3.4 R3), so a stream of these
//! glued together splits only where a frame really starts. The filler is
//! Portuguese with one two-byte character, so lengths count characters,
//! not bytes (zap §4.1, D2).

use std::fmt::Write as _;

const FILLER: &str = "olá, tudo bem? mensagem de teste do zap bench. ";

/// Sequence numbers stay below this: at most 12 digits.
pub const MAX_MESSAGES: u64 = 1_000_000_000_000;

#[derive(Debug, Clone)]
pub struct Payload {
    chars: usize,
    /// At least 218 characters of filler.
    filler: String,
    /// `bounds[k]`: the byte length of the first `k` filler characters.
    bounds: Vec<usize>,
}

impl Payload {
    /// Data of `chars` characters (at most 218).
    pub fn new(chars: usize) -> Self {
        let filler: String = FILLER
            .chars()
            .cycle()
            .take(gabarito_codec::zap::MAX_DATA_CHARS)
            .collect();
        let mut bounds: Vec<usize> = filler.char_indices().map(|(i, _)| i).collect();
        bounds.push(filler.len());
        Payload {
            chars,
            filler,
            bounds,
        }
    }

    /// The tag of the last message of `pairs` × `messages`, the longest,
    /// fits in the data.
    pub fn fits(&self, pairs: usize, messages: u64) -> bool {
        tag(pairs.saturating_sub(1), messages.saturating_sub(1)).len() <= self.chars
    }

    /// The data of message `seq` of `pair`, appended to `out`.
    pub fn write(&self, pair: usize, seq: u64, out: &mut String) {
        let start = out.len();
        let _ = write!(out, "#{pair}:{seq}|");
        let tag_chars = out.len() - start;
        let n = self.chars.saturating_sub(tag_chars);
        out.push_str(&self.filler[..self.bounds[n.min(self.bounds.len() - 1)]]);
    }

    /// The pair and sequence number of `data`, if it is exactly what
    /// [`Payload::write`] wrote for them.
    pub fn parse(&self, data: &str) -> Result<(usize, u64), String> {
        let bad = || format!("data {data:?} is not a benchmark message");
        let rest = data.strip_prefix('#').ok_or_else(bad)?;
        let (pair, rest) = rest.split_once(':').ok_or_else(bad)?;
        let (seq, filler) = rest.split_once('|').ok_or_else(bad)?;
        let pair: usize = pair.parse().map_err(|_| bad())?;
        let seq: u64 = seq.parse().map_err(|_| bad())?;
        let tag_chars = data.len() - filler.len();
        let n = self.chars.saturating_sub(tag_chars);
        if filler != &self.filler[..self.bounds[n.min(self.bounds.len() - 1)]] {
            return Err(format!(
                "message {seq} of pair {pair} arrived altered: data {data:?}"
            ));
        }
        Ok((pair, seq))
    }
}

fn tag(pair: usize, seq: u64) -> String {
    format!("#{pair}:{seq}|")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn data_round_trips_at_the_chosen_length() {
        let p = Payload::new(40);
        let mut s = String::new();
        p.write(3, 1234, &mut s);
        assert_eq!(s.chars().count(), 40);
        assert!(s.len() > 40, "the filler has a two-byte character");
        assert_eq!(p.parse(&s), Ok((3, 1234)));
        let altered = s.replacen("tudo", "TUDO", 1);
        assert!(p.parse(&altered).is_err());
        assert!(p.parse("hello").is_err());
    }

    #[test]
    fn the_longest_tag_must_fit() {
        assert!(Payload::new(16).fits(16, 20_000));
        assert!(!Payload::new(8).fits(16, 20_000));
        let mut s = String::new();
        Payload::new(218).write(0, 0, &mut s);
        assert_eq!(s.chars().count(), 218);
    }
}
