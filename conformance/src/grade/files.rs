//! File names for the students' pages. A name is whatever the targets file
//! says ("João da Silva", "../../etc", "<b>x</b>"); a file name must stay
//! inside `students/`, be safe in a URL without escaping, and not collide
//! with another student's — also on a case-insensitive file system.

use std::collections::HashSet;

/// Longest stem, so every name fits every file system.
const MAX: usize = 60;

/// One `stem.html` per name, in order: ASCII letters, digits, `-`, `_` and
/// `.` (not leading); Portuguese accents dropped from their letters; any
/// other run of characters a `-`; a numeric suffix where two collide.
pub fn page_names<'a>(names: impl IntoIterator<Item = &'a str>) -> Vec<String> {
    let mut taken = HashSet::new();
    names
        .into_iter()
        .map(|name| {
            let stem = stem(name);
            let mut candidate = stem.clone();
            let mut n = 1;
            while !taken.insert(candidate.to_ascii_lowercase()) {
                n += 1;
                candidate = format!("{stem}-{n}");
            }
            format!("{candidate}.html")
        })
        .collect()
}

fn stem(name: &str) -> String {
    let mut out = String::new();
    for c in name.chars() {
        let c = unaccent(c);
        if c.is_ascii_alphanumeric() || c == '_' || (c == '.' && !out.is_empty()) {
            out.push(c);
        } else if !out.is_empty() && !out.ends_with('-') {
            out.push('-');
        }
        if out.len() >= MAX {
            break;
        }
    }
    let out = out.trim_end_matches(['-', '.']);
    if out.is_empty() {
        "student".to_string()
    } else {
        out.to_string()
    }
}

fn unaccent(c: char) -> char {
    match c {
        'á' | 'à' | 'â' | 'ã' | 'ä' => 'a',
        'Á' | 'À' | 'Â' | 'Ã' | 'Ä' => 'A',
        'é' | 'è' | 'ê' | 'ë' => 'e',
        'É' | 'È' | 'Ê' | 'Ë' => 'E',
        'í' | 'ì' | 'î' | 'ï' => 'i',
        'Í' | 'Ì' | 'Î' | 'Ï' => 'I',
        'ó' | 'ò' | 'ô' | 'õ' | 'ö' => 'o',
        'Ó' | 'Ò' | 'Ô' | 'Õ' | 'Ö' => 'O',
        'ú' | 'ù' | 'û' | 'ü' => 'u',
        'Ú' | 'Ù' | 'Û' | 'Ü' => 'U',
        'ç' => 'c',
        'Ç' => 'C',
        'ñ' => 'n',
        'Ñ' => 'N',
        c => c,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_become_safe_distinct_file_names() {
        let names = page_names([
            "João da Silva",
            "../../etc/passwd",
            "<script>alert(1)</script>",
            "ALICE",
            "alice",
            "",
            "...",
            ".hidden",
        ]);
        assert_eq!(
            names,
            [
                "Joao-da-Silva.html",
                "etc-passwd.html",
                "script-alert-1-script.html",
                "ALICE.html",
                "alice-2.html",
                "student.html",
                "student-2.html",
                "hidden.html",
            ]
        );
        let long = page_names([&"x".repeat(500) as &str]);
        assert!(long[0].len() <= MAX + 5);
    }
}
