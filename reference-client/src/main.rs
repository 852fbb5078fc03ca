//! The `reference-client` binary; everything is in [`gabarito_client::cli`].
#![forbid(unsafe_code)]

fn main() -> std::process::ExitCode {
    gabarito_client::cli::main()
}
