//! Exit codes (listed in `--help`) and the error type that decides them.

use std::process::ExitCode;

use crate::lrv::{Command as LrvCommand, LrvError};
use crate::store::StoreError;
use crate::zap::{ClientError, ProfileError, SessionError};

/// The documented exit codes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[repr(u8)]
pub enum Exit {
    Ok = 0,
    Failure = 1,
    Usage = 2,
    BadInput = 3,
    NotRegistered = 4,
    Network = 5,
    Protocol = 6,
    InUse = 7,
    Storage = 8,
}

impl From<Exit> for ExitCode {
    fn from(e: Exit) -> Self {
        ExitCode::from(e as u8)
    }
}

/// Why a command failed.
#[derive(Debug, thiserror::Error)]
pub enum CliError {
    #[error(transparent)]
    Session(#[from] SessionError),
    #[error(transparent)]
    Lrv(#[from] LrvError),
    #[error("{0}")]
    Usage(String),
    #[error("{0}")]
    BadInput(String),
    #[error("cannot start: {0}")]
    Runtime(std::io::Error),
}

impl From<ClientError> for CliError {
    fn from(e: ClientError) -> Self {
        CliError::Session(e.into())
    }
}

impl From<ProfileError> for CliError {
    fn from(e: ProfileError) -> Self {
        CliError::Session(e.into())
    }
}

impl From<StoreError> for CliError {
    fn from(e: StoreError) -> Self {
        CliError::Session(ProfileError::from(e).into())
    }
}

impl CliError {
    pub fn exit(&self) -> Exit {
        match self {
            CliError::Usage(_) => Exit::Usage,
            CliError::BadInput(_) => Exit::BadInput,
            CliError::Runtime(_) => Exit::Failure,
            CliError::Lrv(e) => lrv_exit(e),
            CliError::Session(s) => match s {
                SessionError::NotRegistered => Exit::NotRegistered,
                SessionError::NoServer => Exit::Usage,
                SessionError::Client(c) => client_exit(c),
                SessionError::Profile(p) => profile_exit(p),
            },
        }
    }
}

fn client_exit(e: &ClientError) -> Exit {
    match e {
        ClientError::Connect { .. }
        | ClientError::ConnectTimeout { .. }
        | ClientError::Io(_)
        | ClientError::Closed { .. } => Exit::Network,
        ClientError::NoReply { .. } => Exit::Protocol,
        ClientError::Text { .. } | ClientError::TooManyMembers { .. } | ClientError::Field(_) => {
            Exit::BadInput
        }
        ClientError::NotLoggedIn | ClientError::Clock => Exit::Failure,
    }
}

fn lrv_exit(e: &LrvError) -> Exit {
    match e {
        LrvError::Connect { .. }
        | LrvError::ConnectTimeout { .. }
        | LrvError::Io { .. }
        | LrvError::Closed { .. }
        | LrvError::Finished(_) => Exit::Network,
        LrvError::NoGreeting { .. }
        | LrvError::NoReply { .. }
        | LrvError::WrongCode { .. }
        | LrvError::Unreadable { .. }
        | LrvError::Strict(_) => Exit::Protocol,
        // A 400 to a request that carries the caller's input is the input's
        // fault; to any other request, the server's.
        LrvError::BadRequest { command, .. } => match command {
            LrvCommand::Registrar | LrvCommand::Comprar | LrvCommand::Comprados => Exit::BadInput,
            _ => Exit::Protocol,
        },
        LrvError::Cpf(_) => Exit::BadInput,
        LrvError::NotRegistered(_) => Exit::NotRegistered,
    }
}

fn profile_exit(e: &ProfileError) -> Exit {
    match e {
        ProfileError::Store(StoreError::InUse { .. }) => Exit::InUse,
        ProfileError::Store(_) | ProfileError::Corrupt(_) => Exit::Storage,
        ProfileError::Unknown(_)
        | ProfileError::BadName { .. }
        | ProfileError::NameTaken { .. }
        | ProfileError::NoSuchContact(_)
        | ProfileError::NoSuchGroup(_) => Exit::BadInput,
    }
}
