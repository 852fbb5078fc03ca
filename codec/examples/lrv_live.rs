//! Decodes a live LRV conversation with `LrvCodec`, both ways: listens on
//! 127.0.0.1 (a free port) and connects to itself. The client writes the
//! lines a student's client might — CRLF, lower case, no final LF — and
//! closes its side; the server side greets, reads each request and answers
//! it (a toy answer, not the raffle's rules: those are the reference
//! server's), `400` for a rejected line (lrv §9.2). Ends by itself.
//!
//! ```sh
//! cargo run -p gabarito-codec --example lrv_live --features tokio
//! ```

use futures_util::{SinkExt, StreamExt};
use gabarito_codec::lrv::{Direction, Greeting, LrvCodec, Message, Reply, Request};
use tokio::io::AsyncWriteExt;
use tokio::net::{TcpListener, TcpStream};
use tokio_util::codec::{FramedRead, FramedWrite};

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let listener = TcpListener::bind("127.0.0.1:0").await?;
    let addr = listener.local_addr()?;

    let client = tokio::spawn(async move {
        let (read, mut write) = TcpStream::connect(addr).await?.into_split();
        write
            .write_all(b"REGISTRAR 12345678909\r\ncomprar 7\nCOMPRAR 7\n\nSAIR")
            .await?;
        write.shutdown().await?; // EOF ends the unterminated SAIR (lrv §3.3 L4)
        let mut replies = FramedRead::new(read, LrvCodec::new(Direction::ToClient));
        while let Some(line) = replies.next().await {
            match line? {
                Ok(decoded) => println!("client read: {:?}", decoded.message),
                Err(rejected) => println!("client rejected: {rejected}"),
            }
        }
        Ok::<_, std::io::Error>(())
    });

    let (socket, _) = listener.accept().await?;
    let (read, write) = socket.into_split();
    let mut requests = FramedRead::new(read, LrvCodec::new(Direction::ToServer));
    let mut replies = FramedWrite::new(write, LrvCodec::new(Direction::ToServer));
    replies.send(Greeting::standard()).await?;
    while let Some(line) = requests.next().await {
        let reply = match line? {
            Ok(decoded) => {
                println!(
                    "server read: {:?} (terminator {}, {} empty-line byte(s) before it)",
                    decoded.message,
                    decoded.terminator.name(),
                    decoded.skipped
                );
                match decoded.message {
                    Message::Request(Request::Registrar { .. }) => Reply::Registered,
                    Message::Request(Request::Comprar { .. }) => Reply::Purchased,
                    Message::Request(Request::Sair) => Reply::Goodbye,
                    _ => Reply::NotDrawn,
                }
            }
            Err(rejected) => {
                println!("server rejected: {rejected}");
                Reply::BadRequest
            }
        };
        replies.send(reply).await?;
    }
    drop(replies); // closes the server's side: the client's reader ends
    client.await??;
    Ok(())
}
