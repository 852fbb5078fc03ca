//! The encoder: canonical lines (lrv §3.2) — the content, then one LF —
//! written into the caller's buffer. It cannot fail: every message is valid
//! by construction, and no valid message reaches a line limit (lrv §3.4).

use super::message::{Greeting, Message, Reply, Request};
use super::number::{MAX_NUMBER_DIGITS, Number};
use crate::sink::Sink;

/// The number's decimal digits, without allocating: encoding is on every
/// reply's path.
fn put_number(out: &mut impl Sink, n: Number) {
    let mut digits = [0u8; MAX_NUMBER_DIGITS];
    let len = n.len();
    let mut v = n.get();
    for d in digits[..len].iter_mut().rev() {
        *d = b'0' + (v % 10) as u8;
        v /= 10;
    }
    out.put(&digits[..len]);
}

impl Request<'_> {
    /// Appends the canonical line to `out`.
    pub fn encode(&self, out: &mut impl Sink) {
        out.put(self.command().as_str().as_bytes());
        match self {
            Request::Registrar { cpf } => {
                out.put(b" ");
                out.put(cpf.as_str().as_bytes());
            }
            Request::Comprar { number } => {
                out.put(b" ");
                put_number(out, *number);
            }
            _ => {}
        }
        out.put(b"\n");
    }

    /// The canonical line as a new vector.
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut v = Vec::with_capacity(self.encoded_len());
        self.encode(&mut v);
        v
    }

    /// The canonical line's length, LF included, for reserving.
    pub fn encoded_len(&self) -> usize {
        let arg = match self {
            Request::Registrar { cpf } => 1 + cpf.as_str().len(),
            Request::Comprar { number } => 1 + number.len(),
            _ => 0,
        };
        self.command().as_str().len() + arg + 1
    }
}

impl Reply<'_> {
    /// Appends the canonical line to `out`.
    pub fn encode(&self, out: &mut impl Sink) {
        out.put(self.code().as_str().as_bytes());
        match self {
            Reply::Available(list) | Reply::Purchases(list) if !list.is_empty() => {
                out.put(b" ");
                out.put(list.as_str().as_bytes());
            }
            Reply::Drawn { number, winner } => {
                out.put(b" ");
                put_number(out, *number);
                out.put(b" ");
                out.put(winner.as_str().as_bytes());
            }
            _ => {}
        }
        out.put(b"\n");
    }

    /// The canonical line as a new vector.
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut v = Vec::with_capacity(self.encoded_len());
        self.encode(&mut v);
        v
    }

    /// The canonical line's length, LF included, for reserving.
    pub fn encoded_len(&self) -> usize {
        let payload = match self {
            Reply::Available(list) | Reply::Purchases(list) if !list.is_empty() => {
                1 + list.as_str().len()
            }
            Reply::Drawn { number, winner } => 2 + number.len() + winner.as_str().len(),
            _ => 0,
        };
        3 + payload + 1
    }
}

impl Greeting<'_> {
    /// Appends the line to `out`: the text, then LF.
    pub fn encode(&self, out: &mut impl Sink) {
        out.put(self.as_str().as_bytes());
        out.put(b"\n");
    }

    /// The canonical line as a new vector.
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut v = Vec::with_capacity(self.encoded_len());
        self.encode(&mut v);
        v
    }

    /// The canonical line's length, LF included, for reserving.
    pub fn encoded_len(&self) -> usize {
        self.as_str().len() + 1
    }
}

impl Message<'_> {
    /// Appends the canonical line to `out`.
    pub fn encode(&self, out: &mut impl Sink) {
        match self {
            Message::Greeting(g) => g.encode(out),
            Message::Request(r) => r.encode(out),
            Message::Reply(r) => r.encode(out),
        }
    }

    /// The canonical line as a new vector.
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut v = Vec::with_capacity(self.encoded_len());
        self.encode(&mut v);
        v
    }

    /// The canonical line's length, LF included, for reserving.
    pub fn encoded_len(&self) -> usize {
        match self {
            Message::Greeting(g) => g.encoded_len(),
            Message::Request(r) => r.encoded_len(),
            Message::Reply(r) => r.encoded_len(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lrv::{Cpf, Number, NumberList};

    #[test]
    fn lines_end_in_one_lf() {
        let seven = Number::new(7).unwrap();
        assert_eq!(
            Request::Comprar { number: seven }.to_bytes(),
            b"COMPRAR 7\n"
        );
        assert_eq!(Request::Sair.to_bytes(), b"SAIR\n");
        let list = NumberList::parse("1,2,5").unwrap();
        assert_eq!(Reply::Available(list).to_bytes(), b"203 1,2,5\n");
        assert_eq!(Reply::Purchases(NumberList::empty()).to_bytes(), b"208\n");
        let winner = Cpf::parse("12345678909").unwrap();
        let drawn = Reply::Drawn {
            number: Number::new(42).unwrap(),
            winner,
        };
        assert_eq!(drawn.to_bytes(), b"207 42 12345678909\n");
        assert_eq!(drawn.encoded_len(), drawn.to_bytes().len());
        for n in [1, 9, 10, 99, 100, 10_000] {
            let r = Request::Comprar {
                number: Number::new(n).unwrap(),
            };
            assert_eq!(r.to_bytes(), format!("COMPRAR {n}\n").as_bytes());
        }
        assert_eq!(
            Greeting::standard().to_bytes(),
            "Bem-vindo à compra de rifa!\n".as_bytes()
        );
    }
}
