//! Folding a name for the tolerant reader (atendimento §6.4 rule 2, §6.5):
//! decode escapes (already done by the parser), normalise to NFD, remove
//! the combining marks U+0300–U+036F, upper-case ASCII letters, turn `_`
//! and `-` into a space, and collapse and trim spaces. `CÓDIGO DE ERRO`,
//! `codigo_de_erro` and `Codigo de Erro` all fold to `CODIGO DE ERRO`.
//!
//! Every name the reader compares with folds to ASCII, so a character
//! whose decomposition is not an ASCII base plus marks is kept as it is:
//! whatever it would decompose to, the folded name can match no protocol
//! name, and the comparison comes out the same.

use super::fold_table::ASCII_BASE;

/// The combining marks §6.4 removes.
fn is_mark(c: char) -> bool {
    ('\u{300}'..='\u{36f}').contains(&c)
}

/// The ASCII base of `c` after NFD, if it has one.
fn ascii_base(c: char) -> Option<char> {
    if c.is_ascii() {
        return Some(c);
    }
    ASCII_BASE
        .binary_search_by_key(&c, |&(k, _)| k)
        .ok()
        .map(|i| char::from(ASCII_BASE[i].1))
}

/// `name` folded by §6.4 rule 2.
pub fn fold(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    let mut space = false;
    for c in name.chars().filter(|&c| !is_mark(c)) {
        let c = match ascii_base(c).unwrap_or(c) {
            '_' | '-' | ' ' => {
                space = true;
                continue;
            }
            c => c.to_ascii_uppercase(),
        };
        if space && !out.is_empty() {
            out.push(' ');
        }
        space = false;
        out.push(c);
    }
    out
}

/// Whether `name` and `protocol_name` are equal after folding (§6.4 rule 2).
pub fn folds_to(name: &str, protocol_name: &str) -> bool {
    fold(name) == fold(protocol_name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spellings_of_the_protocols_names_fold_together() {
        for n in [
            "CÓDIGO DE ERRO",
            "codigo_de_erro",
            "Codigo de Erro",
            "  codigo--de  erro ",
        ] {
            assert_eq!(fold(n), "CODIGO DE ERRO", "{n:?}");
        }
        for n in ["EXPLICACAO", "explicação", "EXPLICAC\u{327}A\u{303}O"] {
            assert!(folds_to(n, "EXPLICAÇÃO"), "{n:?}");
        }
        assert!(folds_to("endereco", "Endereço"));
        assert!(folds_to("E-mail", "E MAIL"));
        assert_eq!(fold("Ǆ"), "Ǆ"); // a compatibility decomposition: not folded
        assert!(!folds_to("ENDEREÇOS", "Endereço"));
    }

    #[test]
    fn the_table_is_sorted_and_every_base_is_an_ascii_letter_or_sign() {
        assert!(ASCII_BASE.windows(2).all(|w| w[0].0 < w[1].0));
        assert!(
            ASCII_BASE
                .iter()
                .all(|&(c, b)| !c.is_ascii() && b.is_ascii_graphic())
        );
        assert_eq!(ascii_base('Ç'), Some('C'));
        assert_eq!(ascii_base('ệ'), Some('e'));
        assert_eq!(ascii_base('ß'), None);
    }
}
