//! Word-at-a-time byte scans for the decoders' hot paths: where the next
//! byte that can start a code is (zap §3.4), where a character starts, and
//! whether a run is all digits (§4.1) or holds a NUL (D6). Safe Rust, eight
//! bytes per step (SWAR).

const ONES: u64 = 0x0101_0101_0101_0101;
const HIGHS: u64 = 0x8080_8080_8080_8080;

#[inline]
fn word(bytes: &[u8]) -> u64 {
    // Callers pass eight-byte slices, so the conversion cannot fail.
    bytes.try_into().map_or(0, u64::from_le_bytes)
}

/// Whether `b` can begin a code: every code starts with `0` or `1` (zap §4).
fn is_code_start(b: u8) -> bool {
    b & 0xFE == b'0'
}

/// The index of the first `0` or `1` byte. In valid UTF-8 such a byte is
/// always a character boundary, so these are the only places where a glued
/// frame's header can begin (R3).
pub(crate) fn next_code_start(bytes: &[u8]) -> Option<usize> {
    let mut words = bytes.chunks_exact(8);
    let mut base = 0;
    for chunk in &mut words {
        // Bytes equal to 0x30 or 0x31 become zero; then the classic
        // "has a zero byte" test.
        let x = (word(chunk) & !ONES) ^ (0x30 * ONES);
        if x.wrapping_sub(ONES) & !x & HIGHS != 0 {
            return chunk
                .iter()
                .position(|&b| is_code_start(b))
                .map(|i| base + i);
        }
        base += 8;
    }
    words
        .remainder()
        .iter()
        .position(|&b| is_code_start(b))
        .map(|i| base + i)
}

/// Whether any byte is 0 (zap §3.3, D6): the "has a zero byte" test on
/// every word, OR-ed without an early exit, four words a step; the tail is
/// one last word that overlaps the one before (a test of every byte does not
/// mind bytes seen twice), so no byte-by-byte loop runs. Measured against
/// core's `memchr` and the `memchr` crate on 218-byte data (codec bench),
/// this was the fastest.
#[inline]
pub(crate) fn has_zero_byte(bytes: &[u8]) -> bool {
    let zero = |w: &[u8]| {
        let w = word(w);
        w.wrapping_sub(ONES) & !w
    };
    let Some(last) = bytes.len().checked_sub(8) else {
        return bytes.contains(&0);
    };
    let mut acc = zero(&bytes[last..]);
    let mut blocks = bytes.chunks_exact(32);
    for b in &mut blocks {
        acc |= zero(&b[..8]) | zero(&b[8..16]) | zero(&b[16..24]) | zero(&b[24..]);
    }
    for w in blocks.remainder().chunks_exact(8) {
        acc |= zero(w);
    }
    acc & HIGHS != 0
}

/// `bytes` as text when every byte is ASCII and none is NUL — the common
/// 05/06 — checked in one word-at-a-time pass, so the decoder does not pay
/// for `from_utf8` and then a NUL scan over the same bytes (codec bench:
/// that pair cost 2.3× `from_utf8` alone on 218 ASCII characters; the
/// issue's budget is 2×). `None` for anything else: the caller takes
/// `from_utf8`.
#[allow(unsafe_code)]
pub(crate) fn ascii_without_nul(bytes: &[u8]) -> Option<&str> {
    // Two accumulators, tested once at the end: the OR of every word has a
    // high bit set if some byte is not ASCII; with every high bit forced
    // on, subtracting 1 per byte borrows nowhere and clears a byte's high
    // bit only where the byte was 0x00 (or 0x80, which the first test
    // already refuses), so the AND of those keeps every high bit set
    // exactly when no byte is NUL.
    let ok = match bytes.len().checked_sub(8) {
        None => bytes.iter().all(|&b| b != 0 && b.is_ascii()),
        Some(last) => {
            let (mut any, mut all) = (0u64, HIGHS);
            let mut take = |w: &[u8]| {
                let w = word(w);
                any |= w;
                all &= (w | HIGHS).wrapping_sub(ONES);
            };
            take(&bytes[last..]);
            let mut blocks = bytes.chunks_exact(32);
            for b in &mut blocks {
                take(&b[..8]);
                take(&b[8..16]);
                take(&b[16..24]);
                take(&b[24..]);
            }
            for w in blocks.remainder().chunks_exact(8) {
                take(w);
            }
            any & HIGHS == 0 && all & HIGHS == HIGHS
        }
    };
    if !ok {
        return None;
    }
    // SAFETY: every byte is below 0x80 (the high bit of each was tested
    // above), and any sequence of bytes below 0x80 is valid UTF-8: each is
    // a one-byte character. The `ascii_without_nul_agrees_with_std` test and
    // the `decode` fuzz target hold this to `from_utf8`.
    Some(unsafe { std::str::from_utf8_unchecked(bytes) })
}

/// Whether every byte is an ASCII digit (zap §4.1), a word at a time; the
/// tail is one last word that overlaps the one before (a test of every
/// byte does not mind bytes seen twice), so no byte-by-byte loop runs.
#[inline]
pub(crate) fn all_digits(bytes: &[u8]) -> bool {
    let Some(last) = bytes.len().checked_sub(8) else {
        return bytes.iter().all(u8::is_ascii_digit);
    };
    let mut bad = digit_misses(word(&bytes[last..]));
    for chunk in bytes.chunks_exact(8) {
        bad |= digit_misses(word(chunk));
    }
    bad == 0
}

/// [`all_digits`] for a run whose length is known at compile time (the
/// 36 header digits of a 05/06): straight-line word tests, no loop.
#[inline]
pub(crate) fn all_digits_n<const N: usize>(bytes: &[u8; N]) -> bool {
    if N < 8 {
        return bytes.iter().all(u8::is_ascii_digit);
    }
    let mut bad = digit_misses(word(&bytes[N - 8..]));
    let mut at = 0;
    while at + 8 <= N {
        bad |= digit_misses(word(&bytes[at..at + 8]));
        at += 8;
    }
    bad == 0
}

/// Zero exactly when all eight bytes of `w` are ASCII digits: every byte is
/// `0x3_` and stays `0x3_` after adding 6 (a carry out of a byte can only
/// come from one that already failed the first test).
#[inline]
fn digit_misses(w: u64) -> u64 {
    const NIBBLE: u64 = 0xF0F0_F0F0_F0F0_F0F0;
    const THREES: u64 = 0x30 * ONES;
    ((w & NIBBLE) ^ THREES) | ((w.wrapping_add(6 * ONES) & NIBBLE) ^ THREES)
}

/// Whether a byte begins a character (is not `10xxxxxx`).
fn is_char_start(b: u8) -> bool {
    (b as i8) >= -0x40
}

fn char_starts(w: u64) -> usize {
    let starts = ((!w >> 7) | (w >> 6)) & ONES;
    (starts.wrapping_mul(ONES) >> 56) as usize
}

/// The number of characters in valid UTF-8.
pub(crate) fn count_chars(utf8: &[u8]) -> usize {
    let mut words = utf8.chunks_exact(8);
    let n: usize = (&mut words).map(|c| char_starts(word(c))).sum();
    n + words
        .remainder()
        .iter()
        .filter(|&&b| is_char_start(b))
        .count()
}

/// Where character number `n` (0-based) starts in valid UTF-8, if it has
/// more than `n` characters.
pub(crate) fn nth_char_start(utf8: &[u8], n: usize) -> Option<usize> {
    let mut seen = 0;
    let mut base = 0;
    for chunk in utf8.chunks_exact(8) {
        let k = char_starts(word(chunk));
        if seen + k > n {
            break;
        }
        seen += k;
        base += 8;
    }
    for (i, &b) in utf8[base..].iter().enumerate() {
        if is_char_start(b) {
            if seen == n {
                return Some(base + i);
            }
            seen += 1;
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    const TEXTS: [&str; 8] = [
        "",
        "a",
        "0",
        "abcdefgh0",
        "abc 9x1",
        "ã€𝄞a0",
        "/2:3\u{130}1",
        "olá mundo, 10 anos",
    ];

    #[test]
    fn next_code_start_matches_a_naive_search() {
        for t in TEXTS
            .iter()
            .map(|t| t.repeat(3))
            .chain(TEXTS.iter().map(|t| t.to_string()))
        {
            let naive = t.bytes().position(|b| b == b'0' || b == b'1');
            assert_eq!(next_code_start(t.as_bytes()), naive, "{t:?}");
        }
        // 0x30/0x31 only: not 0x2F, 0x32, 0xB0, 0xB1.
        assert_eq!(next_code_start(b"/2\xb0\xb1:;<=>?@2/"), None);
    }

    #[test]
    fn zero_bytes_and_digits_match_naive_checks() {
        for len in 0..40 {
            for at in 0..len {
                for b in [0u8, 1, b'/', b'0', b'5', b'9', b':', b'?', 0x80, 0xb0, 0xff] {
                    let mut v = vec![b'7'; len];
                    v[at] = b;
                    assert_eq!(has_zero_byte(&v), v.contains(&0), "{v:?}");
                    assert_eq!(all_digits(&v), v.iter().all(u8::is_ascii_digit), "{v:?}");
                }
            }
        }
        assert!(all_digits(b"") && !has_zero_byte(b""));
        // Several odd bytes at once, where carries between bytes could mix.
        let alphabet = [0u8, 1, b'/', b'0', b'9', b':', 0x7f, 0x80, 0xc3, 0xff];
        let mut seed = 0x9e37_79b9_7f4a_7c15u64;
        for _ in 0..20_000 {
            seed = seed
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            let len = (seed >> 58) as usize;
            let v: Vec<u8> = (0..len)
                .map(|i| {
                    let r = seed.rotate_left(i as u32 * 7);
                    if r & 3 == 0 {
                        alphabet[(r >> 8) as usize % alphabet.len()]
                    } else {
                        b'0' + (r >> 16) as u8 % 10
                    }
                })
                .collect();
            assert_eq!(has_zero_byte(&v), v.contains(&0), "{v:?}");
            assert_eq!(all_digits(&v), v.iter().all(u8::is_ascii_digit), "{v:?}");
        }
    }

    #[test]
    fn ascii_without_nul_agrees_with_std() {
        let alphabet = [0u8, 1, b'a', b'0', 0x7f, 0x80, 0xc3, 0xa9, 0xff, b' '];
        let mut seed = 0x2545_f491_4f6c_dd1du64;
        for _ in 0..50_000 {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            let len = (seed % 70) as usize;
            let v: Vec<u8> = (0..len)
                .map(|i| {
                    let r = seed.rotate_left(i as u32 * 5);
                    if r & 7 == 0 {
                        alphabet[(r >> 8) as usize % alphabet.len()]
                    } else {
                        b'a' + (r >> 16) as u8 % 26
                    }
                })
                .collect();
            let expect = std::str::from_utf8(&v)
                .ok()
                .filter(|s| s.is_ascii() && !s.contains('\0'));
            assert_eq!(ascii_without_nul(&v), expect, "{v:?}");
        }
        for len in 0..40 {
            for at in 0..len {
                for b in [0u8, 0x80, 0xff, b'x'] {
                    let mut v = vec![b'a'; len];
                    v[at] = b;
                    let expect = b == b'x';
                    assert_eq!(ascii_without_nul(&v).is_some(), expect, "{v:?}");
                }
            }
        }
    }

    #[test]
    fn char_counts_and_positions_match_std() {
        for unit in ["a", "ã", "€", "𝄞", "aã€𝄞", "0ç"] {
            for n in [0, 1, 7, 8, 9, 217, 218, 219] {
                let s = unit.repeat(n);
                assert_eq!(count_chars(s.as_bytes()), s.chars().count(), "{unit} × {n}");
                for k in [0, 1, 5, 8, 218] {
                    let want = s.char_indices().nth(k).map(|(i, _)| i);
                    assert_eq!(
                        nth_char_start(s.as_bytes(), k),
                        want,
                        "{unit} × {n}, char {k}"
                    );
                }
            }
        }
    }
}
