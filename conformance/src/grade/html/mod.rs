//! The HTML report: `index.html` with the grading table, and one page per
//! student under `students/` with every case that did not pass.
//!
//! Self-contained (inline CSS, no scripts, fonts or images: it opens from
//! a USB stick or an e-mail attachment) and defensive: everything shown is
//! escaped, because names, error reasons and above all the bytes a
//! student's server sent are untrusted; a Content-Security-Policy forbids
//! scripts and remote loads besides, should anything slip through.
//!
//! In the report's language (`--lang`): headings, labels, verdict names,
//! the cases' titles and reasons, and `<html lang="…">`. Case ids, spec
//! sections, field names and the bytes are the same in every language.

mod index;
mod student;

pub use index::index;
pub use student::student_page;

use super::text::strip_ansi;

/// Text for HTML element content or a quoted attribute value. Terminal
/// colours are dropped; other control characters than `\n` and `\t` are
/// shown as `\xNN`: HTML cannot carry most of them, and a reader should
/// see that they were there.
pub fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in strip_ansi(s).chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            '\n' | '\t' => out.push(c),
            c if c.is_control() || c == '\u{fffe}' || c == '\u{ffff}' => {
                let mut buf = [0u8; 4];
                for b in c.encode_utf8(&mut buf).bytes() {
                    out.push_str(&format!("\\x{b:02x}"));
                }
            }
            c => out.push(c),
        }
    }
    out
}

/// A whole page around `body` (already HTML), in the report's language.
fn page(title: &str, body: &str) -> String {
    format!(
        "<!DOCTYPE html>\n<html lang=\"{}\">\n<head>\n<meta charset=\"utf-8\">\n\
<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'\">\n\
<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
<title>{}</title>\n<style>{CSS}</style>\n</head>\n<body>\n{body}</body>\n</html>\n",
        crate::lang::current().tag(),
        esc(title)
    )
}

/// The class of a `passed/graded` cell: all, some or none passed.
fn cell_class(c: Option<(usize, usize)>) -> &'static str {
    match c {
        None => "none",
        Some((p, g)) if p == g => "full",
        Some((0, _)) => "zero",
        Some(_) => "part",
    }
}

const CSS: &str = "
body{font:15px/1.45 system-ui,-apple-system,'Segoe UI',Roboto,sans-serif;margin:1.5em auto;max-width:78em;padding:0 1em;color:#1d2125;background:#fff}
h1{font-size:1.5em;margin:.2em 0}h2{font-size:1.2em;margin-top:1.6em;border-bottom:1px solid #ddd}h3{font-size:1em;margin:.2em 0}
.meta{color:#555}
table{border-collapse:collapse;margin:.6em 0}
th,td{padding:.25em .6em;border:1px solid #d6d9dc;text-align:left;vertical-align:top}
th{background:#f2f4f5}
td.num,th.num{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
td.full{background:#e3f4e1}td.part{background:#fdf3d0}td.zero{background:#fadcd9}td.none{color:#888}
tr.error td{background:#fadcd9}
code,pre,.bytes{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:.92em}
pre{white-space:pre-wrap;word-break:break-all;background:#f6f8f9;padding:.4em .6em;margin:.2em 0;border-radius:3px}
.case{border:1px solid #d6d9dc;border-left:6px solid #888;border-radius:4px;padding:.5em .8em;margin:1em 0}
.case.fail,.case.error{border-left-color:#c62828}.case.non-strict{border-left-color:#2e7d32}
.case.unimplemented,.case.skipped{border-left-color:#9e9e9e}
.verdict{display:inline-block;min-width:7.5em;font-weight:600}
.fail .verdict,.error .verdict{color:#c62828}.non-strict .verdict{color:#2e7d32}
dl.detail{display:grid;grid-template-columns:max-content 1fr;gap:.2em 1em;margin:.4em 0}
dl.detail dt{font-weight:600;color:#444}dl.detail dd{margin:0}
table.exchange caption{text-align:left;font-weight:600;color:#444}
table.exchange td{border:none;border-bottom:1px solid #eee;padding:.1em .5em}
table.exchange .bytes{word-break:break-all}
.dir-sent{color:#1565c0}.dir-received{color:#6a1b9a}.dir-event{color:#777}
.diff .golden{color:#c62828}.diff .target{color:#2e7d32}
ul.passed{columns:2 28em}
";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markup_and_control_characters_are_escaped() {
        assert_eq!(
            esc("<script>alert('x\"')</script>&\x1b[2J\x1b(0\x00\n"),
            "&lt;script&gt;alert(&#39;x&quot;&#39;)&lt;/script&gt;&amp;\\x1b(0\\x00\n"
        );
    }
}
