//! What a decoder strips from a frame besides the message: the padding a
//! tolerant receiver accepts (zap §3.3, D6, D7), reported so a grader can
//! say the sender padded.

/// Padding stripped from one frame. [`Padding::default`] is none: the frame
/// was canonical in this respect.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Padding {
    /// Trailing U+0000 bytes stripped from data.
    pub nul_bytes: usize,
    /// Trailing `0000000000000` member slots stripped from a member list.
    pub zero_members: usize,
}

impl Padding {
    /// Whether nothing was stripped.
    pub fn is_none(&self) -> bool {
        *self == Padding::default()
    }
}
