//! Finding where a document ends without parsing it (atendimento §3.3
//! J2–J5, J7): a stack of open brackets, whether a string is open, whether
//! the last byte was a `\`. Resumable, so a document arriving a byte at a
//! time is scanned once, and used again to drop a document over a limit as
//! its bytes arrive, keeping none of them.

use super::limits::MAX_DEPTH;

/// JSON whitespace (§3.1): SP, HT, LF, CR; nothing else.
pub(crate) fn is_ws(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\n' | b'\r')
}

/// The bytes that end a scalar document (J5): whitespace and the
/// structural bytes.
fn ends_scalar(b: u8) -> bool {
    is_ws(b) || matches!(b, b'{' | b'}' | b'[' | b']' | b',' | b':' | b'"')
}

/// What a document's first byte makes it (J2): `None` for garbage.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Shape {
    /// `{` or `[`: ends at the bracket that empties the stack (J3).
    Container,
    /// `"`: ends at the first unescaped `"` after it (J4).
    String,
    /// `-`, a digit, `t`, `f`, `n`: ends before whitespace or a structural
    /// byte, or at a pause (J5).
    Scalar,
}

impl Shape {
    pub(crate) fn of(first: u8) -> Option<Shape> {
        match first {
            b'{' | b'[' => Some(Shape::Container),
            b'"' => Some(Shape::String),
            b'-' | b'0'..=b'9' | b't' | b'f' | b'n' => Some(Shape::Scalar),
            _ => None,
        }
    }
}

/// What a scan of some more bytes found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Scanned {
    /// The document ends within these bytes: the first `used` of them are
    /// its last (a scalar's end is before its terminator, which is not
    /// used). A closing bracket that does not match ends it too (J3).
    End { used: usize },
    /// Every byte belongs to the document, and it has not ended.
    More,
    /// The 65th open bracket, at document offset `at`; the first `used`
    /// bytes were scanned, the bracket included (J7). Reported once.
    TooDeep { at: usize, used: usize },
    /// The next byte would be past the limit: `used` bytes were scanned.
    TooLong { used: usize },
}

/// The scan of one document, from its first byte.
#[derive(Debug, Clone)]
pub(crate) struct Scanner {
    shape: Shape,
    /// Bytes of the document scanned so far.
    pos: usize,
    /// Open brackets; past [`MAX_DEPTH`] only counted.
    depth: usize,
    /// Bit `d - 1` is set when the bracket open at depth `d` is `[`.
    brackets: u64,
    in_string: bool,
    escaped: bool,
    /// `TooDeep` was reported.
    deep: bool,
}

impl Scanner {
    pub(crate) fn new(shape: Shape) -> Self {
        Scanner {
            shape,
            pos: 0,
            depth: 0,
            brackets: 0,
            in_string: false,
            escaped: false,
            deep: false,
        }
    }

    pub(crate) fn shape(&self) -> Shape {
        self.shape
    }

    /// Bytes of the document scanned so far.
    pub(crate) fn pos(&self) -> usize {
        self.pos
    }

    /// Scans `bytes`, the document's bytes after those already scanned. A
    /// byte at document offset `limit` or later is `TooLong`.
    pub(crate) fn feed(&mut self, bytes: &[u8], limit: usize) -> Scanned {
        for (i, &b) in bytes.iter().enumerate() {
            if self.shape == Shape::Scalar && self.pos > 0 && ends_scalar(b) {
                return Scanned::End { used: i };
            }
            if self.pos >= limit {
                return Scanned::TooLong { used: i };
            }
            self.pos += 1;
            if self.shape == Shape::Scalar {
                continue;
            }
            if self.in_string {
                if self.escaped {
                    self.escaped = false;
                } else if b == b'\\' {
                    self.escaped = true;
                } else if b == b'"' {
                    self.in_string = false;
                    if self.shape == Shape::String {
                        return Scanned::End { used: i + 1 };
                    }
                }
                continue;
            }
            match b {
                b'"' => self.in_string = true,
                b'{' | b'[' => {
                    self.depth += 1;
                    if self.depth <= MAX_DEPTH {
                        let bit = 1u64 << (self.depth - 1);
                        if b == b'[' {
                            self.brackets |= bit;
                        } else {
                            self.brackets &= !bit;
                        }
                    } else if !self.deep {
                        self.deep = true;
                        return Scanned::TooDeep {
                            at: self.pos - 1,
                            used: i + 1,
                        };
                    }
                }
                b'}' | b']' => {
                    if self.depth <= MAX_DEPTH {
                        let is_array = self.brackets & (1u64 << (self.depth - 1)) != 0;
                        if is_array != (b == b']') {
                            return Scanned::End { used: i + 1 };
                        }
                    }
                    self.depth -= 1;
                    if self.depth == 0 {
                        return Scanned::End { used: i + 1 };
                    }
                }
                _ => {}
            }
        }
        Scanned::More
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scan(doc: &[u8], limit: usize) -> Scanned {
        let mut s = Scanner::new(Shape::of(doc[0]).unwrap());
        s.feed(doc, limit)
    }

    #[test]
    fn containers_end_where_their_stack_empties() {
        assert_eq!(scan(br#"{"a": "}{]["}{}"#, 512), Scanned::End { used: 13 });
        assert_eq!(scan(br#"{"a": "\"}"}x"#, 512), Scanned::End { used: 12 });
        assert_eq!(scan(br#"{"a": "\\"}x"#, 512), Scanned::End { used: 11 });
        assert_eq!(scan(b"[1, {2}]]", 512), Scanned::End { used: 8 });
        assert_eq!(scan(b"{\"a\": [1}", 512), Scanned::End { used: 9 });
        assert_eq!(scan(b"{\"a\"\n", 512), Scanned::More);
    }

    #[test]
    fn strings_and_scalars_end_by_their_own_rules() {
        assert_eq!(scan(br#""a\"b" x"#, 512), Scanned::End { used: 6 });
        assert_eq!(scan(b"42 ", 512), Scanned::End { used: 2 });
        assert_eq!(scan(b"true{}", 512), Scanned::End { used: 4 });
        assert_eq!(scan(b"-12e5", 512), Scanned::More);
    }

    #[test]
    fn limits_are_known_as_soon_as_they_are_passed() {
        let deep = [b'['; 70];
        assert_eq!(scan(&deep, 512), Scanned::TooDeep { at: 64, used: 65 });
        assert_eq!(scan(&[b'1'; 600], 512), Scanned::TooLong { used: 512 });
        assert_eq!(scan(&[b'1'; 512], 512), Scanned::More);
        let mut exact = vec![b'['; 1];
        exact.extend([b' '; 510]);
        exact.push(b']');
        assert_eq!(scan(&exact, 512), Scanned::End { used: 512 });
    }

    #[test]
    fn a_scan_resumes_where_it_stopped() {
        let doc = br#"{"a": ["}", 1]}"#;
        let mut s = Scanner::new(Shape::Container);
        for (i, b) in doc.iter().enumerate() {
            let r = s.feed(std::slice::from_ref(b), 512);
            if i + 1 < doc.len() {
                assert_eq!(r, Scanned::More, "byte {i}");
            } else {
                assert_eq!(r, Scanned::End { used: 1 });
            }
        }
        assert_eq!(s.pos(), doc.len());
    }
}
