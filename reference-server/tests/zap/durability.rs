//! Nothing accepted is lost across a restart, even `kill -9` (zap §11.1).

use crate::common::*;

#[tokio::test]
async fn offline_delivery_across_a_graceful_restart() {
    let (_dir, config) = config();
    let server = Server::start(config.clone()).await;
    let (a, b) = (server.register().await, server.register().await);
    let mut ca = server.online(&a).await;
    ca.send(&send(&a, &b, 10, "antes do reinício")).await;
    ca.barrier(&a).await;
    let c = server.register().await;
    server.stop().await.expect("clean stop");

    let server = Server::start(config).await;
    let mut cb = server.online(&b).await;
    assert_eq!(cb.recv().await, deliver(&a, &b, 10, "antes do reinício"));
    let mut ca = server.online(&a).await;
    assert_eq!(ca.recv().await, delivered(&b, 10));
    assert!(
        server.register().await.value() > c.value(),
        "zap §9.1: ids not reused after restart"
    );
    server.stop().await.expect("clean stop");
}

#[tokio::test]
async fn kill_9_with_messages_pending_loses_nothing_and_duplicates_nothing() {
    let dir = tempfile::tempdir().expect("temp dir");
    let server = Process::start(dir.path(), &[]).await;
    let (a, b) = (server.register().await, server.register().await);
    let mut ca = server.online(&a).await;
    let n = 50;
    for i in 0..n {
        ca.send(&send(&a, &b, 1000 + i, &format!("{i}ª pendente")))
            .await;
    }
    ca.barrier(&a).await;
    server.kill9().await;

    let server = Process::start(dir.path(), &[]).await;
    let mut cb = server.online(&b).await;
    let want: Vec<_> = (0..n)
        .map(|i| deliver(&a, &b, 1000 + i, &format!("{i}ª pendente")))
        .collect();
    assert_eq!(cb.recv_n(n as usize).await, want, "every message, in order");
    cb.expect_silence().await;
    let mut ca = server.online(&a).await;
    let want: Vec<_> = (0..n).map(|i| delivered(&b, 1000 + i)).collect();
    assert_eq!(ca.recv_n(n as usize).await, want);
    ca.expect_silence().await;
    // Delivered items left the store: a later restart does not resend them.
    drop((ca, cb));
    server.kill9().await;
    let server = Process::start(dir.path(), &[]).await;
    let mut cb = server.online(&b).await;
    cb.expect_silence().await;
    let mut ca = server.online(&a).await;
    ca.expect_silence().await;
    server.kill9().await;
}

/// Frames glued in one write are acted on many at a time, and their
/// effects committed together; the 02 after them still means every one of
/// them is on disk (zap §11.1).
#[tokio::test]
async fn kill_9_after_a_burst_in_one_write_loses_nothing() {
    let dir = tempfile::tempdir().expect("temp dir");
    let server = Process::start(dir.path(), &[]).await;
    let (a, b) = (server.register().await, server.register().await);
    let mut ca = server.online(&a).await;
    let n = 500;
    let burst: Vec<u8> = (0..n)
        .flat_map(|i| send(&a, &b, 2000 + i, &format!("rajada {i}!")).to_bytes())
        .collect();
    ca.send_raw(&burst).await;
    ca.barrier(&a).await;
    server.kill9().await;

    let server = Process::start(dir.path(), &[]).await;
    let mut cb = server.online(&b).await;
    let want: Vec<_> = (0..n)
        .map(|i| deliver(&a, &b, 2000 + i, &format!("rajada {i}!")))
        .collect();
    assert_eq!(cb.recv_n(n as usize).await, want, "every message, in order");
    cb.expect_silence().await;
    let mut ca = server.online(&a).await;
    let want: Vec<_> = (0..n).map(|i| delivered(&b, 2000 + i)).collect();
    assert_eq!(ca.recv_n(n as usize).await, want);
    ca.expect_silence().await;
    server.kill9().await;
}

#[tokio::test]
async fn a_second_server_on_the_same_data_dir_refuses_to_start() {
    let (_dir, config) = config();
    let first = Server::start(config.clone()).await;
    first.register().await;
    let second = Server::start(config).await;
    let err = second.finished().await.expect_err("the store is locked");
    assert!(format!("{err:#}").contains("locked"), "{err:#}");
    first.stop().await.expect("clean stop");
}
