//! Decodes a live zap stream with `ZapCodec`: listens on 127.0.0.1 (a free
//! port), connects to itself, and sends frames the way real clients do —
//! two glued in one write, a line break between frames (zap §3.5), a 05 cut
//! in the middle of a character, then something that is not zap — and
//! prints what the server side reads. Ends by itself when the client closes.
//!
//! ```sh
//! cargo run -p gabarito-codec --example zap_live --features tokio
//! ```

use std::fmt::Write as _;

use futures_util::StreamExt;
use gabarito_codec::zap::{Direction, ZapCodec};
use tokio::io::AsyncWriteExt;
use tokio::net::{TcpListener, TcpStream};
use tokio_util::codec::FramedRead;

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let listener = TcpListener::bind("127.0.0.1:0").await?;
    let addr = listener.local_addr()?;

    let client = tokio::spawn(async move {
        let mut socket = TcpStream::connect(addr).await?;
        socket.write_all(b"01032000000000001\r\n").await?;
        let send = concat!("05", "2000000000001", "2000000000002", "1700000000", "não");
        let (head, tail) = send.as_bytes().split_at(40); // inside the "ã"
        socket.write_all(head).await?;
        socket.write_all(tail).await?;
        // An 08 right after the 05: its header ends the 05's data (zap §3.4 R3).
        socket.write_all(b"0820000000000021700000000").await?;
        socket.write_all(b"HELLO\n").await?;
        Ok::<_, std::io::Error>(())
    });

    let (socket, peer) = listener.accept().await?;
    println!("client {peer}");
    let mut frames = FramedRead::new(socket, ZapCodec::new(Direction::ToServer));
    while let Some(item) = frames.next().await {
        match item {
            Ok(frame) => {
                let code = frame.message.code();
                let mut line = format!("{code} {}", code.name());
                for (name, value) in &frame.message.fields()[1..] {
                    write!(line, " {name}={value}")?;
                }
                println!("{line}");
                if !frame.is_canonical() {
                    println!(
                        "   tolerated: {} line break byte(s) before it",
                        frame.skipped
                    );
                }
            }
            // After an error zap's framing is lost (zap §10.1): the stream ends.
            Err(fault) => println!("not zap: {fault}"),
        }
    }
    client.await??;
    Ok(())
}
