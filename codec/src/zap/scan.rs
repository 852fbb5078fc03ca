//! Word-at-a-time byte scans for the streaming decoder's hot loop (zap §3.4):
//! where the next byte that can start a code is, and where a character
//! starts. Safe Rust, eight bytes per step (SWAR).

const ONES: u64 = 0x0101_0101_0101_0101;
const HIGHS: u64 = 0x8080_8080_8080_8080;

fn word(bytes: &[u8]) -> u64 {
    // Callers pass `chunks_exact(8)` chunks, so the conversion cannot fail.
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
            return chunk.iter().position(|&b| is_code_start(b)).map(|i| base + i);
        }
        base += 8;
    }
    words.remainder().iter().position(|&b| is_code_start(b)).map(|i| base + i)
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
    n + words.remainder().iter().filter(|&&b| is_char_start(b)).count()
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

    const TEXTS: [&str; 8] = ["", "a", "0", "abcdefgh0", "abc 9x1", "ã€𝄞a0", "/2:3\u{130}1", "olá mundo, 10 anos"];

    #[test]
    fn next_code_start_matches_a_naive_search() {
        for t in TEXTS.iter().map(|t| t.repeat(3)).chain(TEXTS.iter().map(|t| t.to_string())) {
            let naive = t.bytes().position(|b| b == b'0' || b == b'1');
            assert_eq!(next_code_start(t.as_bytes()), naive, "{t:?}");
        }
        // 0x30/0x31 only: not 0x2F, 0x32, 0xB0, 0xB1.
        assert_eq!(next_code_start(b"/2\xb0\xb1:;<=>?@2/"), None);
    }

    #[test]
    fn char_counts_and_positions_match_std() {
        for unit in ["a", "ã", "€", "𝄞", "aã€𝄞", "0ç"] {
            for n in [0, 1, 7, 8, 9, 217, 218, 219] {
                let s = unit.repeat(n);
                assert_eq!(count_chars(s.as_bytes()), s.chars().count(), "{unit} × {n}");
                for k in [0, 1, 5, 8, 218] {
                    let want = s.char_indices().nth(k).map(|(i, _)| i);
                    assert_eq!(nth_char_start(s.as_bytes(), k), want, "{unit} × {n}, char {k}");
                }
            }
        }
    }
}
