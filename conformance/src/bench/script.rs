//! The bytes one connection will write, encoded before the clock starts so
//! that the measured loop only writes: one message per write call.

/// Messages laid end to end in one buffer.
#[derive(Debug, Clone, Default)]
pub struct Script {
    bytes: Vec<u8>,
    ends: Vec<usize>,
}

impl Script {
    pub fn with_capacity(messages: usize, bytes: usize) -> Self {
        Script {
            bytes: Vec::with_capacity(bytes),
            ends: Vec::with_capacity(messages),
        }
    }

    /// Appends one message, written by `write` into the buffer.
    pub fn push_with(&mut self, write: impl FnOnce(&mut Vec<u8>)) {
        write(&mut self.bytes);
        self.ends.push(self.bytes.len());
    }

    pub fn len(&self) -> usize {
        self.ends.len()
    }

    pub fn is_empty(&self) -> bool {
        self.ends.is_empty()
    }

    /// Bytes of every message.
    pub fn total_bytes(&self) -> usize {
        self.bytes.len()
    }

    /// Message `i`.
    pub fn get(&self, i: usize) -> Option<&[u8]> {
        let end = *self.ends.get(i)?;
        let start = if i == 0 { 0 } else { self.ends[i - 1] };
        Some(&self.bytes[start..end])
    }

    /// Stream offset just past message `i`.
    pub fn end_of(&self, i: usize) -> Option<usize> {
        self.ends.get(i).copied()
    }

    pub fn iter(&self) -> impl Iterator<Item = &[u8]> + '_ {
        (0..self.len()).filter_map(|i| self.get(i))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_keep_their_boundaries() {
        let mut s = Script::default();
        s.push_with(|b| b.extend_from_slice(b"ab"));
        s.push_with(|b| b.extend_from_slice(b"cde"));
        assert_eq!(s.iter().collect::<Vec<_>>(), vec![&b"ab"[..], &b"cde"[..]]);
        assert_eq!((s.end_of(1), s.total_bytes()), (Some(5), 5));
        assert!(s.get(2).is_none());
    }
}
