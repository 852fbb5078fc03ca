//! Exit codes (listed in `--help`) and the error type that decides them.

use std::process::ExitCode;

use crate::error::ClientError;
use crate::lrv::Command as LrvCommand;
use crate::store::StoreError;
use crate::zap::{ProfileError, SessionError};

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
    Client(#[from] ClientError),
    #[error("{0}")]
    Usage(String),
    #[error("{0}")]
    BadInput(String),
    #[error("cannot start: {0}")]
    Runtime(std::io::Error),
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
            CliError::Client(e) => client_exit(e),
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
        | ClientError::Closed { .. }
        | ClientError::Finished(_) => Exit::Network,
        ClientError::NoReply { .. }
        | ClientError::NoGreeting { .. }
        | ClientError::WrongCode { .. }
        | ClientError::Unreadable { .. }
        | ClientError::Strict(_) => Exit::Protocol,
        ClientError::Text { .. }
        | ClientError::TooManyMembers { .. }
        | ClientError::Field(_)
        | ClientError::Cpf(_) => Exit::BadInput,
        // A 400 to a request that carries the caller's input is the input's
        // fault; to any other request, the server's.
        ClientError::BadRequest { command, .. } => match command {
            LrvCommand::Registrar | LrvCommand::Comprar | LrvCommand::Comprados => Exit::BadInput,
            _ => Exit::Protocol,
        },
        ClientError::NotRegistered(_) => Exit::NotRegistered,
        ClientError::NotLoggedIn | ClientError::Clock => Exit::Failure,
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
