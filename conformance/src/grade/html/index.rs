//! `index.html`: the grading table, each student linking to their page.

use std::fmt::Write as _;

use super::{cell_class, esc, page};
use crate::grade::BatchInfo;
use crate::grade::table::{Table, fraction};
use crate::lang::{Lang, current, t};
use crate::verdict::Verdict;

pub fn index(info: &BatchInfo, table: &Table) -> String {
    let mut b = String::new();
    let title = match current() {
        Lang::En => format!("{} grades: {}", info.protocol, info.targets_file),
        Lang::PtBr => format!("notas {}: {}", info.protocol, info.targets_file),
    };
    let _ = writeln!(b, "<h1>{}</h1>", esc(&title));
    let errors = table.rows.iter().filter(|r| r.error.is_some()).count();
    let (students, graded, cases) = (table.rows.len(), table.rows.len() - errors, info.cases);
    let error = Verdict::Error.display();
    let excluded = match (info.excluded, current()) {
        (0, _) => String::new(),
        (n, Lang::En) => format!(" ({n} excluded)"),
        (n, Lang::PtBr) => format!(" ({n} excluído(s))"),
    };
    let strict = if info.strict { ", --strict" } else { "" };
    let secs = info.duration.as_secs_f64();
    let meta = match current() {
        Lang::En => format!(
            "{students} student(s), {graded} graded, {errors} {error}; {cases} case(s) each{excluded}{strict}; {secs:.1}s."
        ),
        Lang::PtBr => format!(
            "{students} aluno(s), {graded} avaliado(s), {errors} com {error}; {cases} caso(s) cada{excluded}{strict}; {secs:.1}s."
        ),
    };
    let _ = writeln!(b, "<p class=\"meta\">{}</p>", esc(&meta));
    let _ = write!(
        b,
        "<table class=\"grades\">\n<thead><tr><th>{}</th>",
        t("student", "aluno")
    );
    for s in &table.sections {
        let _ = write!(b, "<th class=\"num\">{}</th>", esc(s));
    }
    let _ = writeln!(
        b,
        "<th class=\"num\">{}</th><th class=\"num\">{}</th><th class=\"num\">{}</th></tr></thead>\n<tbody>",
        t("total", "total"),
        t("score", "nota"),
        t("time", "tempo")
    );
    for r in &table.rows {
        let _ = write!(
            b,
            "<tr{}><td><a href=\"students/{}\">{}</a></td>",
            if r.error.is_some() {
                " class=\"error\""
            } else {
                ""
            },
            esc(&r.page),
            esc(&r.name)
        );
        for c in &r.cells {
            let _ = write!(
                b,
                "<td class=\"num {}\">{}</td>",
                cell_class(*c),
                fraction(*c)
            );
        }
        match &r.error {
            Some(why) => {
                let first = why.lines().next().unwrap_or_default();
                let _ = write!(
                    b,
                    "<td class=\"num\" title=\"{}\">{error}</td><td class=\"num\">-</td>",
                    esc(first)
                );
            }
            None => {
                let _ = write!(
                    b,
                    "<td class=\"num\">{}/{}</td><td class=\"num\">{:.1}%</td>",
                    r.summary.passed,
                    r.summary.graded(),
                    r.score()
                );
            }
        }
        let _ = writeln!(
            b,
            "<td class=\"num\">{:.1}s</td></tr>",
            r.duration.as_secs_f64()
        );
    }
    b.push_str("</tbody>\n</table>\n");
    let [pass, non_strict, unimplemented, skipped] = [
        Verdict::Pass,
        Verdict::NonStrict,
        Verdict::Unimplemented,
        Verdict::Skipped,
    ]
    .map(Verdict::display);
    let links =
        "<a href=\"summary.csv\">summary.csv</a>, <a href=\"summary.json\">summary.json</a>";
    let _ = writeln!(
        b,
        "<p class=\"meta\">{}</p>",
        match current() {
            Lang::En => format!(
                "Cells are passed/graded per spec section ({pass} and {non_strict} count as passed; \
{unimplemented} and {skipped} are not graded). The same table: {links} (with every case)."
            ),
            Lang::PtBr => format!(
                "Cada célula é aprovados/avaliados por seção do enunciado ({pass} e {non_strict} contam \
como aprovados; {unimplemented} e {skipped} não são avaliados). A mesma tabela: {links} (com todos os casos)."
            ),
        }
    );
    page(&title, &b)
}
