//! Matching a received frame against an expected message, field by field,
//! with the tolerances every protocol shares: trailing padding of text, and
//! member lists in another order (under the section the frame names).

use crate::protocol::{Deviation, FieldKind, Frame};
use crate::script::template::{Piece, Template, Vars};

/// A successful match: what it captured and what it tolerated.
#[derive(Debug, Default)]
pub struct Matched {
    pub captures: Vec<(String, Vec<u8>)>,
    pub tolerated: Vec<Deviation>,
}

/// Matches `frame` against `pattern` (code first, then fields). On mismatch,
/// says which field and what differed, naming variables with their values.
pub fn match_frame(pattern: &[Template], frame: &Frame, vars: &Vars) -> Result<Matched, String> {
    let mut m = Matched {
        captures: Vec::new(),
        tolerated: frame.tolerated.clone(),
    };
    let code_p = pattern.first().ok_or("empty pattern")?;
    let code_f = frame.fields.first().ok_or("empty frame")?;
    let want_code = code_p.render(vars)?;
    if want_code != code_f.value {
        return Err(crate::lang::tr!(
            "code: expected {}, found {}",
            "código: esperado {}, veio {}",
            show(&want_code),
            show(&code_f.value)
        ));
    }
    let members_p: Vec<&Template> = pattern
        .iter()
        .skip(1)
        .skip(
            frame
                .fields
                .iter()
                .skip(1)
                .filter(|f| f.kind != FieldKind::Member)
                .count(),
        )
        .collect();
    let fixed_f: Vec<_> = frame
        .fields
        .iter()
        .skip(1)
        .filter(|f| f.kind != FieldKind::Member)
        .collect();
    let members_f: Vec<_> = frame
        .fields
        .iter()
        .filter(|f| f.kind == FieldKind::Member)
        .collect();
    if pattern.len() - 1 < fixed_f.len() {
        return Err(crate::lang::tr!(
            "expected {} field(s), found {}",
            "esperado(s) {} campo(s), veio(vieram) {}",
            pattern.len() - 1,
            frame.fields.len() - 1
        ));
    }
    let mut bound = vars.clone();
    for (t, f) in pattern.iter().skip(1).zip(&fixed_f) {
        match_field(t, f.name, f.kind, &f.value, &mut bound, &mut m)?;
    }
    if members_p.len() != members_f.len() {
        let list = |v: Vec<Vec<u8>>| v.iter().map(|b| show(b)).collect::<Vec<_>>().join(" ");
        let want: Vec<Vec<u8>> = members_p
            .iter()
            .map(|t| {
                t.render(&bound)
                    .unwrap_or_else(|_| t.display().into_bytes())
            })
            .collect();
        return Err(crate::lang::tr!(
            "members: expected {} ({}), found {} ({})",
            "membros: esperado(s) {} ({}), veio(vieram) {} ({})",
            members_p.len(),
            list(want),
            members_f.len(),
            list(members_f.iter().map(|f| f.value.clone()).collect())
        ));
    }
    // Positional first; if that fails only because of order, tolerate it.
    let mut positional = Matched::default();
    let mut scratch = bound.clone();
    let in_order = members_p.iter().zip(&members_f).try_for_each(|(t, f)| {
        match_field(t, "member", f.kind, &f.value, &mut scratch, &mut positional)
    });
    match in_order {
        Ok(()) => {
            m.captures.extend(positional.captures);
        }
        Err(first_err) => {
            let mut want: Vec<Vec<u8>> = Vec::new();
            for t in &members_p {
                match t.render(&bound) {
                    Ok(v) => want.push(v),
                    Err(_) => return Err(first_err),
                }
            }
            let mut got: Vec<Vec<u8>> = members_f.iter().map(|f| f.value.clone()).collect();
            want.sort();
            got.sort();
            if want != got {
                return Err(first_err);
            }
            m.tolerated.push(Deviation {
                section: frame.members_section.into(),
                text: crate::lang::t(
                    "the same members in another order",
                    "os mesmos membros em outra ordem",
                )
                .into(),
            });
        }
    }
    Ok(m)
}

fn match_field(
    t: &Template,
    name: &str,
    kind: FieldKind,
    got: &[u8],
    bound: &mut Vars,
    m: &mut Matched,
) -> Result<(), String> {
    match t.whole() {
        Some(Piece::Any) => return Ok(()),
        Some(Piece::Capture(v)) => {
            bound.insert(v.clone(), got.to_vec());
            m.captures.push((v.clone(), got.to_vec()));
            return Ok(());
        }
        _ => {}
    }
    let want = t.render(bound)?;
    if want == got {
        return Ok(());
    }
    if kind == FieldKind::Text {
        // zap §3.3, D6: trailing spaces may be content or padding, so both
        // sides are compared without them; only the bytes added are named.
        let trimmed = trim_padding(got);
        if trimmed == trim_padding(&want) {
            let text = match got.strip_prefix(want.as_slice()) {
                Some(extra) => crate::lang::tr!(
                    "{} has {} trailing padding byte(s): {}",
                    "{} tem {} byte(s) de preenchimento no fim: {}",
                    name,
                    extra.len(),
                    show(extra)
                ),
                None => crate::lang::tr!(
                    "{} differs only in trailing spaces, NULs or line breaks: expected {}, found {}",
                    "{} difere só em espaços, NULs ou quebras de linha no fim: esperado {}, veio {}",
                    name,
                    show(&want),
                    show(got)
                ),
            };
            m.tolerated.push(Deviation {
                section: "§3.3".into(),
                text,
            });
            return Ok(());
        }
    }
    let named = match t.whole() {
        Some(Piece::Var(v)) => format!("{{{v}}} = {}", show(&want)),
        _ => show(&want),
    };
    Err(crate::lang::tr!(
        "{}: expected {}, found {}",
        "{}: esperado {}, veio {}",
        name,
        named,
        show(got)
    ))
}

/// A frame whose text tail holds the expected text and then more: the
/// target's next message glued to it, which a receiver could not cut
/// because it does not look like a header (an invented `04<id>` after a
/// 06, zap §3.4 R4). The harness knows what it expects, so it cuts there:
/// the frame as expected, and the bytes that followed, to be read again.
pub fn split_text_tail(
    pattern: &[Template],
    frame: &Frame,
    vars: &Vars,
) -> Option<(Frame, Vec<u8>)> {
    let last = frame.fields.last()?;
    if last.kind != FieldKind::Text || pattern.len() != frame.fields.len() {
        return None;
    }
    let want = pattern.last()?.render(vars).ok()?;
    let extra = last.value.strip_prefix(want.as_slice())?;
    if extra.is_empty() || !frame.raw.ends_with(&last.value) {
        return None;
    }
    let extra = extra.to_vec();
    let mut head = frame.clone();
    head.raw.truncate(frame.raw.len() - extra.len());
    if let Some(f) = head.fields.last_mut() {
        f.value = want;
    }
    Some((head, extra))
}

/// Text without trailing spaces, NULs and line breaks.
fn trim_padding(b: &[u8]) -> &[u8] {
    let end = b
        .iter()
        .rposition(|c| !matches!(c, b' ' | 0 | b'\r' | b'\n'))
        .map_or(0, |i| i + 1);
    &b[..end]
}

fn show(b: &[u8]) -> String {
    format!("\"{}\"", gabarito_codec::escape::escape_excerpt(b, 48))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::protocol::FieldValue;
    use crate::protocol::Protocol;
    use crate::zap::Zap;

    fn frame(fields: &[(&'static str, FieldKind, &str)]) -> Frame {
        Frame {
            fields: fields
                .iter()
                .map(|(n, k, v)| FieldValue {
                    name: n,
                    kind: *k,
                    value: v.as_bytes().to_vec(),
                })
                .collect(),
            raw: Vec::new(),
            tolerated: Vec::new(),
            preamble: false,
            members_section: "§8.2",
            violations: Vec::new(),
        }
    }

    fn vars() -> Vars {
        Vars::from([
            ("a".into(), b"2000000000001".to_vec()),
            ("b".into(), b"2000000000002".to_vec()),
        ])
    }

    #[test]
    fn a_text_tail_holding_the_expected_text_and_more_is_cut_there() {
        let p = Zap
            .parse_message("06 {a} {b} 1700000000 are you there?", 1)
            .unwrap();
        let mut f = frame(&[
            ("code", FieldKind::Plain, "06"),
            ("src", FieldKind::Id, "2000000000001"),
            ("dst", FieldKind::Id, "2000000000002"),
            ("timestamp", FieldKind::Plain, "1700000000"),
            ("data", FieldKind::Text, "are you there?040000000000045"),
        ]);
        f.raw = b"0620000000000012000000000002".to_vec();
        f.raw
            .extend_from_slice(b"1700000000are you there?040000000000045");
        assert!(match_frame(&p, &f, &vars()).is_err());
        let (head, rest) = split_text_tail(&p, &f, &vars()).unwrap();
        assert_eq!(rest, b"040000000000045");
        assert!(head.raw.ends_with(b"are you there?"));
        assert!(match_frame(&p, &head, &vars()).is_ok());
        // Text that does not start with what is expected is not cut.
        let other = Zap.parse_message("06 {a} {b} 1700000000 hello", 1).unwrap();
        assert!(split_text_tail(&other, &f, &vars()).is_none());
    }

    #[test]
    fn captures_and_reports_the_field_that_differs() {
        let p = Zap.parse_message("06 {a} {?x} 1700000000 oi", 1).unwrap();
        let f = frame(&[
            ("code", FieldKind::Plain, "06"),
            ("src", FieldKind::Id, "2000000000001"),
            ("dst", FieldKind::Id, "2000000000009"),
            ("timestamp", FieldKind::Plain, "1700000000"),
            ("data", FieldKind::Text, "oi  \0"),
        ]);
        let m = match_frame(&p, &f, &vars()).unwrap();
        assert_eq!(m.captures, [("x".to_string(), b"2000000000009".to_vec())]);
        assert_eq!(m.tolerated.len(), 1, "padding tolerated");
        let p = Zap.parse_message("06 {b} {a} 1700000000 oi", 1).unwrap();
        let e = match_frame(&p, &f, &vars()).unwrap_err();
        assert_eq!(
            e,
            "src: expected {b} = \"2000000000002\", found \"2000000000001\""
        );
    }

    #[test]
    fn text_ending_in_spaces_tolerates_a_line_break_after_it_but_not_other_text() {
        let p = Zap
            .parse_message("06 {a} {b} 1700000000 \"  ends in spaces  \"", 1)
            .unwrap();
        let f = |data: &str| {
            frame(&[
                ("code", FieldKind::Plain, "06"),
                ("src", FieldKind::Id, "2000000000001"),
                ("dst", FieldKind::Id, "2000000000002"),
                ("timestamp", FieldKind::Plain, "1700000000"),
                ("data", FieldKind::Text, data),
            ])
        };
        assert!(
            match_frame(&p, &f("  ends in spaces  "), &vars())
                .unwrap()
                .tolerated
                .is_empty()
        );
        let newline = match_frame(&p, &f("  ends in spaces  \n"), &vars()).unwrap();
        assert_eq!(newline.tolerated.len(), 1);
        assert!(
            newline.tolerated[0]
                .text
                .contains("1 trailing padding byte(s)"),
            "{}",
            newline.tolerated[0].text
        );
        let stripped = match_frame(&p, &f("  ends in spaces"), &vars()).unwrap();
        assert!(
            stripped.tolerated[0]
                .text
                .contains("differs only in trailing"),
            "{}",
            stripped.tolerated[0].text
        );
        assert!(match_frame(&p, &f("  ends in spaces  x"), &vars()).is_err());
        assert!(
            match_frame(&p, &f("ends in spaces  "), &vars()).is_err(),
            "leading spaces are content"
        );
    }

    #[test]
    fn members_in_another_order_are_tolerated_but_missing_ones_fail() {
        let p = Zap.parse_message("11 {?g} {*} {a} {b}", 1).unwrap();
        let f = |m1: &'static str, m2: &'static str| {
            frame(&[
                ("code", FieldKind::Plain, "11"),
                ("group", FieldKind::Id, "2000000000003"),
                ("timestamp", FieldKind::Plain, "1700000000"),
                ("member", FieldKind::Member, m1),
                ("member", FieldKind::Member, m2),
            ])
        };
        assert!(
            match_frame(&p, &f("2000000000001", "2000000000002"), &vars())
                .unwrap()
                .tolerated
                .is_empty()
        );
        let swapped = match_frame(&p, &f("2000000000002", "2000000000001"), &vars()).unwrap();
        assert_eq!(swapped.tolerated[0].section, "§8.2");
        assert_eq!(swapped.captures[0].0, "g");
        assert!(match_frame(&p, &f("2000000000002", "2000000000007"), &vars()).is_err());
    }
}
