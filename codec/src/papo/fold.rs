//! The folded line of papo §6.10 rule 1: the reader by meaning looks for
//! words in *f*, a copy of the line in which every character is folded on
//! its own — so *f* has the characters of the line at the same positions,
//! and what is found in *f* is taken from the line as it was sent.

use super::fold_table::FOLD;

/// A character of *f* and the bytes of the line it came from.
#[derive(Debug, Clone, Copy)]
struct Folded {
    c: char,
    start: usize,
    end: usize,
}

/// A token (rule 1): a maximal run of `a–z 0–9 _ -` in *f*, as a range of
/// character positions.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Token {
    pub(crate) from: usize,
    pub(crate) to: usize,
}

/// A line and its fold.
#[derive(Debug)]
pub(crate) struct Fold<'a> {
    line: &'a [u8],
    chars: Vec<Folded>,
    pub(crate) tokens: Vec<Token>,
}

/// One character folded (rule 1): an ASCII letter lower-cased; a character
/// whose NFD is an ASCII letter or digit and combining marks, that letter;
/// a lone combining mark, a space; anything else, itself.
fn fold_char(c: char) -> char {
    if c.is_ascii() {
        return c.to_ascii_lowercase();
    }
    if ('\u{0300}'..='\u{036f}').contains(&c) {
        return ' ';
    }
    match FOLD.binary_search_by_key(&c, |&(k, _)| k) {
        Ok(i) => char::from(FOLD[i].1),
        Err(_) => c,
    }
}

fn is_token_char(c: char) -> bool {
    c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_' || c == '-'
}

impl<'a> Fold<'a> {
    /// Folds `line`, read as UTF-8 with each invalid sequence one U+FFFD.
    pub(crate) fn new(line: &'a [u8]) -> Self {
        let mut chars = Vec::with_capacity(line.len());
        let mut at = 0;
        for chunk in line.utf8_chunks() {
            for (i, c) in chunk.valid().char_indices() {
                chars.push(Folded {
                    c: fold_char(c),
                    start: at + i,
                    end: at + i + c.len_utf8(),
                });
            }
            at += chunk.valid().len();
            if !chunk.invalid().is_empty() {
                let end = at + chunk.invalid().len();
                chars.push(Folded {
                    c: char::REPLACEMENT_CHARACTER,
                    start: at,
                    end,
                });
                at = end;
            }
        }
        let mut tokens = Vec::new();
        let mut i = 0;
        while i < chars.len() {
            if is_token_char(chars[i].c) {
                let from = i;
                while i < chars.len() && is_token_char(chars[i].c) {
                    i += 1;
                }
                tokens.push(Token { from, to: i });
            } else {
                i += 1;
            }
        }
        Fold {
            line,
            chars,
            tokens,
        }
    }

    /// Characters in *f*.
    pub(crate) fn len(&self) -> usize {
        self.chars.len()
    }

    /// The character of *f* at `i`.
    pub(crate) fn at(&self, i: usize) -> Option<char> {
        self.chars.get(i).map(|f| f.c)
    }

    /// Whether `token` spells `word` in *f*.
    pub(crate) fn is(&self, token: Token, word: &str) -> bool {
        token.to - token.from == word.len()
            && self.chars[token.from..token.to]
                .iter()
                .zip(word.bytes())
                .all(|(f, b)| f.c == char::from(b))
    }

    /// Whether `token` begins with `prefix` in *f*.
    pub(crate) fn starts(&self, token: Token, prefix: &str) -> bool {
        token.to - token.from >= prefix.len()
            && self.chars[token.from..]
                .iter()
                .zip(prefix.bytes())
                .all(|(f, b)| f.c == char::from(b))
    }

    /// The first position at or after `from` where `word` appears in *f*.
    pub(crate) fn find(&self, word: &str, from: usize) -> Option<usize> {
        let w: Vec<char> = word.chars().collect();
        (from..=self.chars.len().saturating_sub(w.len()))
            .find(|&i| self.chars[i..].iter().zip(&w).all(|(f, c)| f.c == *c))
            .filter(|&i| i + w.len() <= self.chars.len())
    }

    /// The line's bytes from character `from` to `to` (exclusive).
    pub(crate) fn bytes(&self, from: usize, to: usize) -> &'a [u8] {
        let start = self.chars.get(from).map_or(self.line.len(), |f| f.start);
        let end = if to == 0 {
            start
        } else {
            self.chars.get(to - 1).map_or(self.line.len(), |f| f.end)
        };
        &self.line[start..end.max(start)]
    }

    /// The line's bytes of `token`, as sent.
    pub(crate) fn token_bytes(&self, token: Token) -> &'a [u8] {
        self.bytes(token.from, token.to)
    }

    /// The line's bytes from character `from` to its end.
    pub(crate) fn rest(&self, from: usize) -> &'a [u8] {
        let start = self.chars.get(from).map_or(self.line.len(), |f| f.start);
        &self.line[start..]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_table_is_sorted_and_folds_portuguese() {
        assert!(FOLD.windows(2).all(|w| w[0].0 < w[1].0));
        let folded: String = "ÁàâãÉêÍóôõÚüÇ".chars().map(fold_char).collect();
        assert_eq!(folded, "aaaaeeiooouuc");
        assert_eq!(fold_char('\u{212a}'), 'k', "KELVIN SIGN is K in NFD");
        assert_eq!(fold_char('\u{0301}'), ' ', "a lone mark is a space");
        assert_eq!(fold_char('ß'), 'ß');
    }

    #[test]
    fn tokens_keep_their_place_in_the_line() {
        let line = "Usuários: [ana_1] e Bia".as_bytes();
        let f = Fold::new(line);
        let words: Vec<_> = f.tokens.iter().map(|&t| f.token_bytes(t)).collect();
        assert_eq!(words, ["Usuários".as_bytes(), b"ana_1", b"e", b"Bia"]);
        assert!(f.is(f.tokens[0], "usuarios"));
        assert!(f.starts(f.tokens[0], "usu"));
        assert_eq!(f.find("e bia", 0), Some(18));
        assert_eq!(f.find("zz", 0), None);
        assert_eq!(f.rest(20), b"Bia");
        let latin1 = Fold::new(b"n\xe3o");
        assert_eq!(latin1.len(), 3);
        assert_eq!(latin1.tokens.len(), 2, "U+FFFD splits the word");
    }
}
