//! The zap client: the library against the reference server and fake
//! servers (`library.rs`), the binary's commands (`cli.rs`), the chat mode
//! (`chat.rs`), and what survives a crash (`crash.rs`).

mod chat;
mod cli;
mod crash;
mod library;
