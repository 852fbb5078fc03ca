//! One connection's write side.

use std::sync::Arc;

use tokio::io::AsyncWriteExt;
use tokio::net::tcp::OwnedWriteHalf;
use tokio::sync::mpsc::UnboundedReceiver;
use tokio_util::sync::CancellationToken;

use super::{Batch, Service, WriterStyle};
use crate::ConnId;

/// Writes each batch — one frame per write by default (zap §3.2: a naive
/// receiver reads one frame per `recv`), the whole batch in one write with
/// quirk `glue` — and reports what was written. Ends when the queue closes
/// (after writing everything in it) or at once when `kill` fires; a write
/// error fires `kill` so the reader stops too.
pub(super) async fn write_loop<S: Service>(
    mut wr: OwnedWriteHalf,
    mut rx: UnboundedReceiver<Batch>,
    kill: CancellationToken,
    style: WriterStyle,
    service: Arc<S>,
    conn: ConnId,
) {
    let mut buf = Vec::new();
    loop {
        let batch = tokio::select! {
            biased;
            _ = kill.cancelled() => return,
            b = rx.recv() => match b {
                Some(b) => b,
                None => break,
            },
        };
        if let Some(delay) = style.delay {
            tokio::select! {
                biased;
                _ = kill.cancelled() => return,
                _ = tokio::time::sleep_until(batch.queued_at + delay) => {}
            }
        }
        let mut written = 0;
        let mut tokens = Vec::new();
        let mut failed = false;
        let chunks: Vec<&[super::Frame]> = if style.glue {
            vec![&batch.frames[..]]
        } else {
            batch.frames.chunks(1).collect()
        };
        for chunk in chunks {
            buf.clear();
            for f in chunk {
                buf.extend_from_slice(&f.bytes);
                buf.extend_from_slice(style.suffix);
            }
            let ok = tokio::select! {
                biased;
                _ = kill.cancelled() => false,
                r = wr.write_all(&buf) => r.is_ok(),
            };
            if !ok {
                failed = true;
                break;
            }
            written += chunk.len();
            tokens.extend(chunk.iter().filter_map(|f| f.token));
        }
        if written > 0 {
            service.written(conn, written, tokens);
        }
        if failed {
            kill.cancel();
            return;
        }
    }
    let _ = wr.shutdown().await;
}
