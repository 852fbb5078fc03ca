//! Templates: the values a script writes, with placeholders.
//!
//! A template is literal bytes mixed with `{name}` (a value captured
//! earlier), `{?name}` (capture here; only in `expect`), `{*}` (anything
//! valid; only in `expect`) and `{repeat N "text"}` (text N times, for long
//! data). Inside double quotes, the escapes of `gabarito_codec::escape`
//! (`\n`, `\x00`, `\xff`, `\"`, `\\`) and `\{` are available, so any byte
//! string can be written.

use std::collections::BTreeMap;

/// One piece of a template.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Piece {
    Lit(Vec<u8>),
    Var(String),
    Capture(String),
    Any,
}

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Template {
    pub pieces: Vec<Piece>,
}

/// Captured values, by name.
pub type Vars = BTreeMap<String, Vec<u8>>;

impl Template {
    pub fn literal(bytes: &[u8]) -> Self {
        Template {
            pieces: vec![Piece::Lit(bytes.to_vec())],
        }
    }

    /// The only piece, if it is a capture, variable or wildcard: such a token
    /// stands for a whole field.
    pub fn whole(&self) -> Option<&Piece> {
        match self.pieces.as_slice() {
            [p @ (Piece::Var(_) | Piece::Capture(_) | Piece::Any)] => Some(p),
            _ => None,
        }
    }

    pub fn vars(&self) -> impl Iterator<Item = &str> {
        self.pieces.iter().filter_map(|p| match p {
            Piece::Var(v) => Some(v.as_str()),
            _ => None,
        })
    }

    pub fn captures(&self) -> impl Iterator<Item = &str> {
        self.pieces.iter().filter_map(|p| match p {
            Piece::Capture(v) => Some(v.as_str()),
            _ => None,
        })
    }

    pub fn has_any(&self) -> bool {
        self.pieces.iter().any(|p| matches!(p, Piece::Any))
    }

    /// The bytes, with variables substituted. Errors name a missing variable
    /// or a capture/wildcard used where a value is needed.
    pub fn render(&self, vars: &Vars) -> Result<Vec<u8>, String> {
        let mut out = Vec::new();
        for p in &self.pieces {
            match p {
                Piece::Lit(b) => out.extend_from_slice(b),
                Piece::Var(v) => match vars.get(v) {
                    Some(b) => out.extend_from_slice(b),
                    None => {
                        return Err(format!(
                            "{{{v}}} has no value yet (capture it first with {{?{v}}})"
                        ));
                    }
                },
                Piece::Capture(v) => {
                    return Err(format!("{{?{v}}} captures; it can only appear in expect"));
                }
                Piece::Any => {
                    return Err("{*} matches anything; it can only appear in expect".into());
                }
            }
        }
        Ok(out)
    }

    /// How the template reads in a transcript: literals escaped, placeholders
    /// as written.
    pub fn display(&self) -> String {
        let mut s = String::new();
        for p in &self.pieces {
            match p {
                Piece::Lit(b) => s.push_str(&gabarito_codec::escape::escape_bytes(b)),
                Piece::Var(v) => s.push_str(&format!("{{{v}}}")),
                Piece::Capture(v) => s.push_str(&format!("{{?{v}}}")),
                Piece::Any => s.push_str("{*}"),
            }
        }
        s
    }
}

/// A token of a script line, with the column (1-based, in characters) where
/// it starts, for error messages.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Token {
    pub col: usize,
    pub template: Template,
    /// The source text of the token, for keywords.
    pub text: String,
}

/// Splits `line` (starting at column `col0`) into tokens separated by
/// spaces. Quotes and braces group spaces into one token.
pub fn tokenize(line: &str, col0: usize) -> Result<Vec<Token>, (usize, String)> {
    let chars: Vec<char> = line.chars().collect();
    let mut tokens = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        if chars[i].is_whitespace() {
            i += 1;
            continue;
        }
        let start = i;
        let mut pieces: Vec<Piece> = Vec::new();
        let mut lit: Vec<u8> = Vec::new();
        while i < chars.len() && !chars[i].is_whitespace() {
            match chars[i] {
                '"' => {
                    i += 1;
                    loop {
                        match chars.get(i) {
                            None => return Err((col0 + start, "unterminated \"string\"".into())),
                            Some('"') => {
                                i += 1;
                                break;
                            }
                            Some('\\') => {
                                let (bytes, used) =
                                    escape_at(&chars, i).map_err(|e| (col0 + i, e))?;
                                lit.extend_from_slice(&bytes);
                                i += used;
                            }
                            Some('{') => {
                                let (piece, used) =
                                    brace_at(&chars, i).map_err(|e| (col0 + i, e))?;
                                push_piece(&mut pieces, &mut lit, piece);
                                i += used;
                            }
                            Some(c) => {
                                let mut buf = [0u8; 4];
                                lit.extend_from_slice(c.encode_utf8(&mut buf).as_bytes());
                                i += 1;
                            }
                        }
                    }
                }
                '{' => {
                    let (piece, used) = brace_at(&chars, i).map_err(|e| (col0 + i, e))?;
                    push_piece(&mut pieces, &mut lit, piece);
                    i += used;
                }
                c => {
                    let mut buf = [0u8; 4];
                    lit.extend_from_slice(c.encode_utf8(&mut buf).as_bytes());
                    i += 1;
                }
            }
        }
        if !lit.is_empty() || pieces.is_empty() {
            pieces.push(Piece::Lit(std::mem::take(&mut lit)));
        }
        tokens.push(Token {
            col: col0 + start,
            template: Template { pieces },
            text: chars[start..i].iter().collect(),
        });
    }
    Ok(tokens)
}

/// Text taken as written — no quotes, no escapes — except `{…}`
/// placeholders: a zap data field written at the end of a line.
pub fn literal_with_braces(text: &str, col0: usize) -> Result<Template, (usize, String)> {
    let chars: Vec<char> = text.chars().collect();
    let mut pieces = Vec::new();
    let mut lit = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        if chars[i] == '{' {
            let (piece, used) = brace_at(&chars, i).map_err(|e| (col0 + i, e))?;
            push_piece(&mut pieces, &mut lit, piece);
            i += used;
        } else {
            let mut buf = [0u8; 4];
            lit.extend_from_slice(chars[i].encode_utf8(&mut buf).as_bytes());
            i += 1;
        }
    }
    if !lit.is_empty() || pieces.is_empty() {
        pieces.push(Piece::Lit(lit));
    }
    Ok(Template { pieces })
}

fn push_piece(pieces: &mut Vec<Piece>, lit: &mut Vec<u8>, piece: Piece) {
    if !lit.is_empty() {
        pieces.push(Piece::Lit(std::mem::take(lit)));
    }
    match (pieces.last_mut(), piece) {
        (Some(Piece::Lit(prev)), Piece::Lit(next)) => prev.extend_from_slice(&next),
        (_, piece) => pieces.push(piece),
    }
}

/// An escape at `chars[i]` (a backslash): its bytes and how many chars it used.
fn escape_at(chars: &[char], i: usize) -> Result<(Vec<u8>, usize), String> {
    match chars.get(i + 1) {
        Some('{') => Ok((b"{".to_vec(), 2)),
        Some('}') => Ok((b"}".to_vec(), 2)),
        Some('x') => {
            let hex: String = chars.iter().skip(i + 2).take(2).collect();
            match u8::from_str_radix(&hex, 16) {
                Ok(b) if hex.len() == 2 => Ok((vec![b], 4)),
                _ => Err(format!(
                    "\\x must be followed by two hex digits, found \"{hex}\""
                )),
            }
        }
        Some(&c) => gabarito_codec::escape::unescape(&format!("\\{c}")).map(|b| (b, 2)),
        None => Err("lone backslash at end of line".into()),
    }
}

/// A `{…}` group at `chars[i]`: the piece and how many chars it used.
fn brace_at(chars: &[char], i: usize) -> Result<(Piece, usize), String> {
    let close = chars[i..]
        .iter()
        .position(|&c| c == '}')
        .ok_or_else(|| "unclosed {".to_string())?;
    let inner: String = chars[i + 1..i + close].iter().collect();
    let used = close + 1;
    let inner = inner.trim();
    let valid_name = |s: &str| {
        !s.is_empty()
            && s.chars()
                .all(|c| c.is_alphanumeric() || c == '_' || c == '-')
    };
    let piece = if inner == "*" {
        Piece::Any
    } else if let Some(name) = inner.strip_prefix('?') {
        if !valid_name(name) {
            return Err(format!(
                "{{?{name}}}: a capture name is letters, digits, _ or -"
            ));
        }
        Piece::Capture(name.to_string())
    } else if let Some(args) = inner.strip_prefix("repeat ") {
        let (n, text) = args
            .trim()
            .split_once(' ')
            .ok_or("{repeat N \"text\"} needs a count and a text")?;
        let n: usize = n
            .parse()
            .map_err(|_| format!("{{repeat}}: \"{n}\" is not a count"))?;
        if n > 100_000 {
            return Err(format!("{{repeat}}: {n} is more than 100000"));
        }
        let text = text.trim();
        let text = text
            .strip_prefix('"')
            .and_then(|t| t.strip_suffix('"'))
            .unwrap_or(text);
        let unit = gabarito_codec::escape::unescape(text)?;
        Piece::Lit(unit.repeat(n))
    } else if valid_name(inner) {
        Piece::Var(inner.to_string())
    } else {
        return Err(format!(
            "{{{inner}}} is not a placeholder: use {{name}}, {{?name}}, {{*}} or {{repeat N \"text\"}}"
        ));
    };
    Ok((piece, used))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn toks(s: &str) -> Vec<Template> {
        tokenize(s, 1)
            .unwrap()
            .into_iter()
            .map(|t| t.template)
            .collect()
    }

    #[test]
    fn splits_on_spaces_and_groups_quotes_and_braces() {
        let t = toks(r#"05 {alice} {?bob} "a b\n" x{*}y {repeat 3 "é"}"#);
        assert_eq!(t.len(), 6);
        assert_eq!(t[1].pieces, [Piece::Var("alice".into())]);
        assert_eq!(t[2].pieces, [Piece::Capture("bob".into())]);
        assert_eq!(t[3].pieces, [Piece::Lit(b"a b\n".to_vec())]);
        assert_eq!(
            t[4].pieces,
            [
                Piece::Lit(b"x".to_vec()),
                Piece::Any,
                Piece::Lit(b"y".to_vec())
            ]
        );
        assert_eq!(t[5].pieces, [Piece::Lit("ééé".as_bytes().to_vec())]);
    }

    #[test]
    fn quoted_strings_take_byte_escapes_and_placeholders() {
        let t = toks(r#""03{alice}\xff\{""#);
        assert_eq!(
            t[0].pieces,
            [
                Piece::Lit(b"03".to_vec()),
                Piece::Var("alice".into()),
                Piece::Lit(b"\xff{".to_vec())
            ]
        );
    }

    #[test]
    fn errors_carry_the_column() {
        assert_eq!(tokenize("send \"abc", 5).unwrap_err().0, 10);
        let (col, msg) = tokenize("a {bad name}", 1).unwrap_err();
        assert_eq!(col, 3);
        assert!(msg.contains("not a placeholder"), "{msg}");
    }

    #[test]
    fn render_substitutes_and_refuses_captures() {
        let t = &toks("x{a}y")[0];
        let mut vars = Vars::new();
        assert!(t.render(&vars).unwrap_err().contains("{a} has no value"));
        vars.insert("a".into(), b"12".to_vec());
        assert_eq!(t.render(&vars).unwrap(), b"x12y");
        assert!(toks("{?a}")[0].render(&vars).is_err());
    }
}
