//! A line diff (longest common subsequence), for comparing a target's
//! transcript with the reference server's golden one.

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DiffLine {
    Same(String),
    /// Only in the reference (golden) transcript.
    Golden(String),
    /// Only in the target's transcript.
    Target(String),
}

pub fn diff_lines(golden: &[String], target: &[String]) -> Vec<DiffLine> {
    let (n, m) = (golden.len(), target.len());
    let mut lcs = vec![vec![0usize; m + 1]; n + 1];
    for i in (0..n).rev() {
        for j in (0..m).rev() {
            lcs[i][j] = if golden[i] == target[j] {
                lcs[i + 1][j + 1] + 1
            } else {
                lcs[i + 1][j].max(lcs[i][j + 1])
            };
        }
    }
    let (mut i, mut j, mut out) = (0, 0, Vec::new());
    while i < n || j < m {
        if i < n && j < m && golden[i] == target[j] {
            out.push(DiffLine::Same(golden[i].clone()));
            i += 1;
            j += 1;
        } else if j < m && (i == n || lcs[i][j + 1] >= lcs[i + 1][j]) {
            out.push(DiffLine::Target(target[j].clone()));
            j += 1;
        } else {
            out.push(DiffLine::Golden(golden[i].clone()));
            i += 1;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn v(s: &[&str]) -> Vec<String> {
        s.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn marks_missing_and_extra_lines() {
        let d = diff_lines(&v(&["a", "b", "c"]), &v(&["a", "x", "c"]));
        assert_eq!(
            d,
            [
                DiffLine::Same("a".into()),
                DiffLine::Target("x".into()),
                DiffLine::Golden("b".into()),
                DiffLine::Same("c".into())
            ]
        );
        assert!(
            diff_lines(&v(&["a"]), &v(&["a"]))
                .iter()
                .all(|l| matches!(l, DiffLine::Same(_)))
        );
    }
}
