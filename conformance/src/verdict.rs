//! Verdicts (docs/ARCHITECTURE.md, "conformance"): what a case earned, and why.

use std::fmt;

/// Ordered from best to worst: a case's verdict is the worst it earned.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Verdict {
    Pass,
    /// A tolerated deviation (spec: NON-STRICT). `--strict` makes it FAIL.
    NonStrict,
    /// An optional feature is absent (e.g. no reply at all to a 10).
    Unimplemented,
    /// Not run: excluded, or needs `--exec`.
    Skipped,
    /// The target broke a requirement.
    Fail,
    /// The target could not be tested: unreachable, refused, died.
    Error,
}

impl Verdict {
    /// The stable code, the same in every language: JSON, JUnit, scripts.
    pub fn label(self) -> &'static str {
        match self {
            Verdict::Pass => "PASS",
            Verdict::NonStrict => "NON-STRICT",
            Verdict::Unimplemented => "UNIMPLEMENTED",
            Verdict::Skipped => "SKIPPED",
            Verdict::Fail => "FAIL",
            Verdict::Error => "ERROR",
        }
    }

    /// The verdict as a person reads it, in the report's language
    /// (`--lang`).
    pub fn display(self) -> &'static str {
        use crate::lang::t;
        match self {
            Verdict::Pass => t("PASS", "PASSOU"),
            Verdict::NonStrict => t("NON-STRICT", "TOLERADO"),
            Verdict::Unimplemented => t("UNIMPLEMENTED", "NÃO IMPLEMENTADO"),
            Verdict::Skipped => t("SKIPPED", "PULADO"),
            Verdict::Fail => t("FAIL", "FALHOU"),
            Verdict::Error => t("ERROR", "ERRO"),
        }
    }

    /// For the closing `N passed, N failed, N skipped` line and the score,
    /// one mapping everywhere (conformance/REPORTS.md): passed = PASS +
    /// NON-STRICT (NON-STRICT is another reading the seed allows); failed =
    /// FAIL + ERROR + UNIMPLEMENTED (a feature the seed asks for, absent:
    /// seed 001 lists "Criar grupo" among "as seguintes ações devem ser
    /// suportadas"); skipped = SKIPPED only (not run: excluded, or needs
    /// `--exec`).
    pub fn bucket(self) -> Bucket {
        match self {
            Verdict::Pass | Verdict::NonStrict => Bucket::Passed,
            Verdict::Fail | Verdict::Error | Verdict::Unimplemented => Bucket::Failed,
            Verdict::Skipped => Bucket::Skipped,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Bucket {
    Passed,
    Failed,
    Skipped,
}

impl fmt::Display for Verdict {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.label())
    }
}
