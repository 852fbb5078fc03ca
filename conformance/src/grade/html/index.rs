//! `index.html`: the grading table, each student linking to their page.

use std::fmt::Write as _;

use super::{cell_class, esc, page};
use crate::grade::BatchInfo;
use crate::grade::table::{Table, fraction};

pub fn index(info: &BatchInfo, table: &Table) -> String {
    let mut b = String::new();
    let _ = writeln!(
        b,
        "<h1>{} grades: {}</h1>",
        esc(&info.protocol),
        esc(&info.targets_file)
    );
    let errors = table.rows.iter().filter(|r| r.error.is_some()).count();
    let _ = writeln!(
        b,
        "<p class=\"meta\">{} student(s), {} graded, {errors} ERROR; {} case(s) each{}{}; {:.1}s.</p>",
        table.rows.len(),
        table.rows.len() - errors,
        info.cases,
        if info.excluded > 0 {
            format!(" ({} excluded)", info.excluded)
        } else {
            String::new()
        },
        if info.strict { ", --strict" } else { "" },
        info.duration.as_secs_f64()
    );
    b.push_str("<table class=\"grades\">\n<thead><tr><th>student</th>");
    for s in &table.sections {
        let _ = write!(b, "<th class=\"num\">{}</th>", esc(s));
    }
    b.push_str(
        "<th class=\"num\">total</th><th class=\"num\">score</th><th class=\"num\">time</th></tr></thead>\n<tbody>\n",
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
                    "<td class=\"num\" title=\"{}\">ERROR</td><td class=\"num\">-</td>",
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
    b.push_str(
        "<p class=\"meta\">Cells are passed/graded per spec section (PASS and NON-STRICT count as passed; \
UNIMPLEMENTED and SKIPPED are not graded). The same table: <a href=\"summary.csv\">summary.csv</a>, \
<a href=\"summary.json\">summary.json</a> (with every case).</p>\n",
    );
    page(
        &format!("{} grades: {}", info.protocol, info.targets_file),
        &b,
    )
}
