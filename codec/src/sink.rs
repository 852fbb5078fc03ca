//! Where encoders write, in every protocol: the caller's buffer, so that
//! encoding allocates only if that buffer has to grow.

/// Somewhere to append bytes. Implemented for `Vec<u8>` and, with the
/// `tokio` feature, `bytes::BytesMut`.
pub trait Sink {
    /// Appends `bytes` at the end.
    fn put(&mut self, bytes: &[u8]);
}

impl Sink for Vec<u8> {
    fn put(&mut self, bytes: &[u8]) {
        self.extend_from_slice(bytes);
    }
}

#[cfg(feature = "tokio")]
impl Sink for bytes::BytesMut {
    fn put(&mut self, bytes: &[u8]) {
        self.extend_from_slice(bytes);
    }
}
