//! `Arbitrary` messages (feature `arbitrary`), for fuzz targets and property
//! tests. Every value generated is valid: fields are built through the
//! validating constructors, so a generator bug shows up as a construction
//! error here, never as an invalid message.

use arbitrary::{Arbitrary, Result, Unstructured};

use super::cpf::Cpf;
use super::message::{Greeting, Message, Reply, Request};
use super::number::{MAX_NUMBER, Number, NumberList};
use crate::arbitrary::refused;

/// Any 11 digits; half of them valid CPFs (lrv §4.1), since decoders accept
/// both and servers tell them apart.
fn cpf(u: &mut Unstructured<'_>) -> Result<Cpf<'static>> {
    if u.arbitrary()? {
        let base = u.int_in_range(0..=999_999_999u32)?;
        if let Some(cpf) = Cpf::from_base(base) {
            return Ok(cpf);
        }
    }
    let n = u.int_in_range(0..=99_999_999_999u64)?;
    Ok(Cpf::parse(&format!("{n:011}"))
        .map_err(refused)?
        .into_owned())
}

/// 1 to 10 000, often at the edges (lrv §4.2).
fn number(u: &mut Unstructured<'_>) -> Result<Number> {
    let n = match u.int_in_range(0..=7u8)? {
        0 => 1,
        1 => MAX_NUMBER,
        2 => u.int_in_range(1..=9)?,
        _ => u.int_in_range(1..=MAX_NUMBER)?,
    };
    Number::new(n).map_err(refused)
}

/// A strictly ascending list (lrv §4.3): empty, short, or long.
fn list(u: &mut Unstructured<'_>) -> Result<NumberList<'static>> {
    let mut numbers = Vec::new();
    let mut n = 0u32;
    let max_step = u.int_in_range(1..=200u32)?;
    while numbers.len() < 1000 && u.arbitrary::<u8>()? > 8 {
        n += u.int_in_range(1..=max_step)?;
        if n > MAX_NUMBER {
            break;
        }
        numbers.push(Number::new(n).map_err(refused)?);
    }
    NumberList::from_numbers(numbers).map_err(refused)
}

/// The standard text, or any characters that make one line (lrv §5).
fn greeting(u: &mut Unstructured<'_>) -> Result<Greeting<'static>> {
    if u.arbitrary()? {
        return Ok(Greeting::standard());
    }
    let len = u.int_in_range(1..=80usize)?;
    let mut s = String::new();
    for _ in 0..len {
        let c: char = u.arbitrary()?;
        s.push(if c == '\n' { ' ' } else { c });
    }
    while s.ends_with('\r') {
        s.pop();
    }
    if s.is_empty() {
        return Ok(Greeting::standard());
    }
    Greeting::owned(s).map_err(refused)
}

impl<'a> Arbitrary<'a> for Request<'static> {
    fn arbitrary(u: &mut Unstructured<'a>) -> Result<Self> {
        Ok(match u.int_in_range(0..=6u8)? {
            0 => Request::Registrar { cpf: cpf(u)? },
            1 => Request::Esgotou,
            2 => Request::Disponiveis,
            3 => Request::Comprados,
            4 => Request::Comprar { number: number(u)? },
            5 => Request::Sorteio,
            _ => Request::Sair,
        })
    }
}

impl<'a> Arbitrary<'a> for Reply<'static> {
    fn arbitrary(u: &mut Unstructured<'a>) -> Result<Self> {
        Ok(match u.int_in_range(0..=11u8)? {
            0 => Reply::Registered,
            1 => Reply::Authenticated,
            2 => Reply::Purchased,
            3 => Reply::Available(list(u)?),
            4 => Reply::Goodbye,
            5 => Reply::SoldOut,
            6 => Reply::NotSoldOut,
            7 => Reply::Drawn {
                number: number(u)?,
                winner: cpf(u)?,
            },
            8 => Reply::Purchases(list(u)?),
            9 => Reply::BadRequest,
            10 => Reply::Unavailable,
            _ => Reply::NotDrawn,
        })
    }
}

impl<'a> Arbitrary<'a> for Greeting<'static> {
    fn arbitrary(u: &mut Unstructured<'a>) -> Result<Self> {
        greeting(u)
    }
}

impl<'a> Arbitrary<'a> for Message<'static> {
    fn arbitrary(u: &mut Unstructured<'a>) -> Result<Self> {
        Ok(match u.int_in_range(0..=2u8)? {
            0 => Message::Greeting(greeting(u)?),
            1 => Message::Request(Request::arbitrary(u)?),
            _ => Message::Reply(Reply::arbitrary(u)?),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::arbitrary::Lcg;
    use crate::lrv::{Code, Command, Expect, decode};

    /// Deterministic bytes: many messages, each of which must encode and
    /// decode back to itself.
    #[test]
    fn arbitrary_messages_are_valid_and_cover_every_command_and_code() {
        let mut commands = std::collections::BTreeSet::new();
        let mut codes = std::collections::BTreeSet::new();
        let mut lcg = Lcg::new();
        for _ in 0..3000 {
            let bytes = lcg.bytes(600);
            let mut u = Unstructured::new(&bytes);
            let m = Message::arbitrary(&mut u).expect("enough bytes");
            let expect = match &m {
                Message::Greeting(_) => Expect::Greeting,
                Message::Request(r) => {
                    commands.insert(r.command());
                    Expect::Request
                }
                Message::Reply(r) => {
                    codes.insert(r.code());
                    Expect::Reply
                }
            };
            let wire = m.to_bytes();
            let d = decode(&wire, expect).expect("an arbitrary message is valid");
            assert_eq!(d.message, m);
            assert!(d.is_canonical());
        }
        assert_eq!(commands.len(), Command::ALL.len(), "{commands:?}");
        assert_eq!(codes.len(), Code::ALL.len(), "{codes:?}");
    }

    #[test]
    fn exhausted_input_still_yields_a_valid_message() {
        for choice in 0..=2u8 {
            let data = [choice];
            let mut u = Unstructured::new(&data);
            let m = Message::arbitrary(&mut u).expect("defaults");
            assert!(!m.to_bytes().is_empty());
        }
    }
}
