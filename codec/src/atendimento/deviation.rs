//! The readings a tolerant receiver accepts and reports (atendimento §6.4's
//! table for replies; D4, D5, D20 for requests): each is NON-STRICT for
//! the sender, and none stops the document from being read.

/// A way a document differs from what §5 or §6 say, read all the same.
/// Ordered as §6.4's table, then the request readings; a reading lists
/// each once, in this order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Deviation {
    /// A `,` before `}` or `]` — the seed's own reply format shows one
    /// (§6.4 rule 1, D25).
    TrailingComma,
    /// A Python literal, `str(dict)` instead of `json.dumps`: single
    /// quotes, Python's escapes, `None`/`True`/`False` (§6.4 rule 1, D25).
    PythonLiteral,
    /// A name matched only by folding (§6.4 rule 2, D18); in a request, a
    /// name that folds to a protocol name but is not it — an NFD `SERVIÇO`
    /// (D4) — and so is another member.
    KeySpelling,
    /// The code as a JSON number (§6.4 rule 3, D7).
    CodeNumber,
    /// The code with text after its digits, `"200 OK"` (§6.4 rule 3, D7).
    CodeText,
    /// No `EXPLICAÇÃO` (§6.4 rule 4, D8).
    NoExplanation,
    /// Members besides the protocol's (§6.4 rule 4, D8); in a request,
    /// members §5.1 does not have or the action does not use (D20).
    ExtraMember,
    /// `""` for an unset record field (§6.4 rule 5, D17).
    EmptyForUnset,
    /// A record field absent (§6.4 rule 5, D17).
    MissingField,
    /// The record sent as a string (§6.4 rule 5, D17).
    RecordAsText,
    /// A name twice in one object: the last wins (§4.3, D5).
    DuplicateMember,
}

impl Deviation {
    /// The stable name used in `spec/vectors/atendimento.toml` and reports.
    pub fn name(self) -> &'static str {
        match self {
            Deviation::TrailingComma => "trailing_comma",
            Deviation::PythonLiteral => "python_literal",
            Deviation::KeySpelling => "key_spelling",
            Deviation::CodeNumber => "code_number",
            Deviation::CodeText => "code_text",
            Deviation::NoExplanation => "no_explanation",
            Deviation::ExtraMember => "extra_member",
            Deviation::EmptyForUnset => "empty_for_unset",
            Deviation::MissingField => "missing_field",
            Deviation::RecordAsText => "record_as_text",
            Deviation::DuplicateMember => "duplicate_member",
        }
    }

    /// The decision whose other reading this is (atendimento §10).
    pub fn decision(self) -> &'static str {
        match self {
            Deviation::TrailingComma | Deviation::PythonLiteral => "D25",
            Deviation::KeySpelling => "D18",
            Deviation::CodeNumber | Deviation::CodeText => "D7",
            Deviation::NoExplanation | Deviation::ExtraMember => "D8",
            Deviation::EmptyForUnset | Deviation::MissingField | Deviation::RecordAsText => "D17",
            Deviation::DuplicateMember => "D5",
        }
    }
}

/// Sorts `deviations` into [`Deviation`]'s order, each once.
pub(crate) fn normalise(mut deviations: Vec<Deviation>) -> Vec<Deviation> {
    deviations.sort_unstable();
    deviations.dedup();
    deviations
}
