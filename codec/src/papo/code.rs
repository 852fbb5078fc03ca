//! The words of papo: the seed's five error codes (papo §6.7), the three
//! that cross the wire, what a receiver expects a line to be (§5.1, §6.1),
//! and the kinds of server line.

use std::fmt;

use super::line::{MAX_CLIENT_LEN, MAX_SERVER_LEN};

/// The seed's error codes, `01`–`05` (papo §6.7). Only the first three are
/// ever sent ([`WireCode`]); `04` and `05` are the client's and the
/// server's start-up errors, printed to their own user (D20).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Code {
    /// `01` Esse apelido já está em uso (papo §5.2, D6).
    NicknameInUse,
    /// `02` Destino da mensagem privada não existe (papo §5.4).
    NoSuchDestination,
    /// `03` Cancelamento de conexão forçado (papo §7.5, D19).
    ConnectionCancelled,
    /// `04` Servidor de destino é Inválido: the client cannot connect (D20).
    InvalidServer,
    /// `05` Endereço IP do servidor é inválido: the server cannot listen
    /// (D20).
    InvalidAddress,
}

impl Code {
    /// Every code, in the seed's order.
    pub const ALL: [Code; 5] = [
        Code::NicknameInUse,
        Code::NoSuchDestination,
        Code::ConnectionCancelled,
        Code::InvalidServer,
        Code::InvalidAddress,
    ];

    /// The two digits.
    pub const fn as_str(self) -> &'static str {
        match self {
            Code::NicknameInUse => "01",
            Code::NoSuchDestination => "02",
            Code::ConnectionCancelled => "03",
            Code::InvalidServer => "04",
            Code::InvalidAddress => "05",
        }
    }

    /// The code of two digits, if the seed has it.
    pub fn from_digits(digits: &[u8]) -> Option<Code> {
        Code::ALL
            .into_iter()
            .find(|c| c.as_str().as_bytes() == digits)
    }

    /// The seed's text, accents and all.
    pub const fn seed_text(self) -> &'static str {
        match self {
            Code::NicknameInUse => "Esse apelido já está em uso",
            Code::NoSuchDestination => "Destino da mensagem privada não existe",
            Code::ConnectionCancelled => "Cancelamento de conexão forçado",
            Code::InvalidServer => "Servidor de destino é Inválido",
            Code::InvalidAddress => "Endereço IP do servidor é inválido",
        }
    }

    /// The seed's text written in ASCII, as an error line carries it
    /// (papo §6.7, D12): "Puramente textual(ASCII)".
    pub const fn text(self) -> &'static str {
        match self {
            Code::NicknameInUse => "Esse apelido ja esta em uso",
            Code::NoSuchDestination => "Destino da mensagem privada nao existe",
            Code::ConnectionCancelled => "Cancelamento de conexao forcado",
            Code::InvalidServer => "Servidor de destino e Invalido",
            Code::InvalidAddress => "Endereco IP do servidor e invalido",
        }
    }

    /// The code as an error line may carry it; `None` for `04` and `05`
    /// (D20).
    pub const fn on_the_wire(self) -> Option<WireCode> {
        match self {
            Code::NicknameInUse => Some(WireCode::NicknameInUse),
            Code::NoSuchDestination => Some(WireCode::NoSuchDestination),
            Code::ConnectionCancelled => Some(WireCode::ConnectionCancelled),
            Code::InvalidServer | Code::InvalidAddress => None,
        }
    }
}

impl fmt::Display for Code {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The codes a server sends (papo §6.7): `Erro 01`, `Erro 02`, `Erro 03`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum WireCode {
    /// `01`: a nickname in use (papo §5.2, D6).
    NicknameInUse,
    /// `02`: a private message to nobody in the chat (papo §5.4).
    NoSuchDestination,
    /// `03`: the server is closing this connection (papo §7.5).
    ConnectionCancelled,
}

impl WireCode {
    /// Every code an error line may carry.
    pub const ALL: [WireCode; 3] = [
        WireCode::NicknameInUse,
        WireCode::NoSuchDestination,
        WireCode::ConnectionCancelled,
    ];

    /// The seed's code.
    pub const fn code(self) -> Code {
        match self {
            WireCode::NicknameInUse => Code::NicknameInUse,
            WireCode::NoSuchDestination => Code::NoSuchDestination,
            WireCode::ConnectionCancelled => Code::ConnectionCancelled,
        }
    }

    /// The two digits.
    pub const fn as_str(self) -> &'static str {
        self.code().as_str()
    }

    /// The ASCII text of the error line (papo §6.7).
    pub const fn text(self) -> &'static str {
        self.code().text()
    }
}

impl From<WireCode> for Code {
    fn from(c: WireCode) -> Code {
        c.code()
    }
}

impl fmt::Display for WireCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// What a receiver reads the next line as. A server reads nickname lines
/// until it accepts one (papo §5.2, §7.1), then chat lines (§5.1); a client
/// reads server lines (§6.1).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Expect {
    /// A client line at the prompt (papo §5.2).
    Nickname,
    /// A client line in the chat (papo §5.1).
    Chat,
    /// A server line (papo §6.1).
    Server,
}

impl Expect {
    /// The content limit of the line's direction (papo §3.4).
    pub const fn max_len(self) -> usize {
        match self {
            Expect::Nickname | Expect::Chat => MAX_CLIENT_LEN,
            Expect::Server => MAX_SERVER_LEN,
        }
    }
}

/// The kinds of server line (papo §6.1), named as in
/// `spec/vectors/papo.toml`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum LineKind {
    /// `Digite seu apelido:` (papo §6.2).
    Prompt,
    /// `Apelido invalido` (papo §6.9).
    Notice,
    /// `Usuarios online: …` (papo §6.3).
    List,
    /// `Mensagem enviada` (papo §6.6).
    Ack,
    /// `Mensagem recebida de: N: texto` (papo §6.5).
    Private,
    /// `Erro NN: …` (papo §6.7).
    Error,
    /// `N: texto` (papo §6.4).
    Public,
    /// `N entrou no chat` (papo §6.8).
    Join,
    /// `N saiu do chat` (papo §6.8).
    Leave,
}

impl LineKind {
    /// Every kind, in the order of papo §6.1's grammar.
    pub const ALL: [LineKind; 9] = [
        LineKind::Prompt,
        LineKind::Notice,
        LineKind::List,
        LineKind::Ack,
        LineKind::Private,
        LineKind::Error,
        LineKind::Public,
        LineKind::Join,
        LineKind::Leave,
    ];

    /// The stable name used in `spec/vectors/papo.toml` and JSON reports.
    pub const fn name(self) -> &'static str {
        match self {
            LineKind::Prompt => "prompt",
            LineKind::Notice => "notice",
            LineKind::List => "list",
            LineKind::Ack => "ack",
            LineKind::Private => "private",
            LineKind::Error => "error",
            LineKind::Public => "public",
            LineKind::Join => "join",
            LineKind::Leave => "leave",
        }
    }
}

impl fmt::Display for LineKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_and_their_texts() {
        for c in Code::ALL {
            assert_eq!(Code::from_digits(c.as_str().as_bytes()), Some(c));
            assert!(c.text().is_ascii());
            assert_eq!(c.on_the_wire().map(Code::from), c.on_the_wire().map(|_| c));
        }
        assert_eq!(Code::from_digits(b"06"), None);
        let wire: Vec<_> = Code::ALL
            .into_iter()
            .filter_map(Code::on_the_wire)
            .collect();
        assert_eq!(wire, WireCode::ALL);
        assert_eq!(
            WireCode::NoSuchDestination.text(),
            "Destino da mensagem privada nao existe"
        );
    }
}
