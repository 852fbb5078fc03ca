//! Every request and reply of spec/lrv.md over TCP, byte for byte.

use crate::client::*;

#[tokio::test]
async fn the_greeting_comes_first_even_after_an_early_request() {
    let (_dir, config) = lrv(10);
    let server = Server::start(config).await;
    let mut c = Lrv::connect(server.addr).await;
    assert_eq!(
        c.raw_line().await,
        format!("{GREETING}\n").as_bytes(),
        "lrv §5"
    );
    // A request written before the greeting is read is answered after it.
    let mut early = Lrv::connect(server.addr).await;
    early.send(b"ESGOTOU\n").await;
    assert_eq!(early.line().await, GREETING);
    assert_eq!(early.line().await, "206");
    server.stop().await.expect("clean stop");
}

#[tokio::test]
async fn every_command_gets_its_exact_reply() {
    let (_dir, config) = lrv(5);
    let server = Server::start(config).await;
    let (a, b) = (cpf(1), cpf(2));
    let mut ca = Lrv::greeted(server.addr).await;
    let mut cb = Lrv::greeted(server.addr).await;
    assert_eq!(ca.ask_raw(&format!("REGISTRAR {a}")).await, b"200\n");
    assert_eq!(
        cb.ask_raw(&format!("REGISTRAR {a}")).await,
        b"201\n",
        "§6.2"
    );
    assert_eq!(cb.ask_raw(&format!("REGISTRAR {b}")).await, b"200\n");
    assert_eq!(ca.ask_raw("ESGOTOU").await, b"206\n");
    assert_eq!(ca.ask_raw("DISPONIVEIS").await, b"203 1,2,3,4,5\n");
    assert_eq!(ca.ask_raw("COMPRADOS").await, b"208\n");
    assert_eq!(ca.ask_raw("SORTEIO").await, b"402\n");
    assert_eq!(ca.ask_raw("COMPRAR 2").await, b"202\n");
    assert_eq!(
        ca.ask_raw("COMPRAR 2").await,
        b"401\n",
        "D15: the buyer too"
    );
    assert_eq!(cb.ask_raw("COMPRAR 2").await, b"401\n");
    assert_eq!(cb.ask_raw("COMPRAR 6").await, b"400\n", "§6.6: above N");
    assert_eq!(ca.ask_raw("COMPRAR 5").await, b"202\n");
    assert_eq!(cb.ask_raw("COMPRAR 1").await, b"202\n");
    assert_eq!(ca.ask_raw("COMPRADOS").await, b"208 2,5\n");
    assert_eq!(cb.ask_raw("COMPRADOS").await, b"208 1\n");
    assert_eq!(ca.ask_raw("DISPONIVEIS").await, b"203 3,4\n");
    assert_eq!(ca.ask_raw("SAIR").await, b"204\n");
    ca.expect_closed().await;
    server.stop().await.expect("clean stop");
}

#[tokio::test]
async fn sell_out_draws_one_winner_every_client_sees() {
    let (_dir, config) = lrv(4);
    let server = Server::start(config).await;
    let (a, b) = (cpf(1), cpf(2));
    let mut ca = Lrv::registered(server.addr, &a).await;
    let mut cb = Lrv::registered(server.addr, &b).await;
    assert_eq!(ca.ask("COMPRAR 1").await, "202");
    assert_eq!(cb.ask("COMPRAR 2").await, "202");
    assert_eq!(ca.ask("COMPRAR 3").await, "202");
    assert_eq!(cb.ask("SORTEIO").await, "402");
    assert_eq!(cb.ask("COMPRAR 4").await, "202");
    assert_eq!(ca.ask("ESGOTOU").await, "205");
    assert_eq!(ca.ask_raw("DISPONIVEIS").await, b"203\n");
    let drawn = ca.ask("SORTEIO").await;
    assert_eq!(
        cb.ask("SORTEIO").await,
        drawn,
        "§8.4: the same for everyone"
    );
    let fields: Vec<&str> = drawn.split(' ').collect();
    let [code, number, winner] = fields[..] else {
        panic!("{drawn}")
    };
    assert_eq!(code, "207");
    let owner = if ["2", "4"].contains(&number) { &b } else { &a };
    assert_eq!(winner, owner, "the winner bought {number}");
    let mut late = Lrv::greeted(server.addr).await;
    assert_eq!(late.ask("SORTEIO").await, drawn);
    assert_eq!(late.ask("COMPRAR 1").await, "400", "D12 after the draw too");
    server.stop().await.expect("clean stop");
}

/// lrv §6.1 and §9.2: every invalid request is 400, changes nothing, and
/// leaves the connection open.
#[tokio::test]
async fn every_invalid_request_is_400_and_changes_nothing() {
    let (_dir, config) = lrv(10);
    let server = Server::start(config).await;
    let me = cpf(1);
    let mut c = Lrv::greeted(server.addr).await;
    assert_eq!(c.ask("COMPRAR 1").await, "400", "D12");
    assert_eq!(c.ask("COMPRADOS").await, "400", "D12");
    for bad in [
        "REGISTRAR 12345678900",
        "REGISTRAR 11111111111",
        "REGISTRAR 123.456.789-09",
    ] {
        assert_eq!(c.ask(bad).await, "400", "{bad}");
    }
    assert_eq!(
        c.ask(&format!("REGISTRAR {me}")).await,
        "200",
        "none was stored"
    );
    for bad in [
        "COMPRA 7",
        "HELP",
        "200",
        "comprar 7",
        "Sair",
        "DISPONÍVEIS",
        "COMPRAR  7",
        " SAIR",
        "SAIR ",
        "COMPRAR 7 ",
        "COMPRAR",
        "REGISTRAR ",
        "COMPRAR ",
        "SAIR agora",
        "ESGOTOU 1",
        "COMPRAR 7 8",
        "COMPRAR\t7",
        "COMPRAR 007",
        "COMPRAR 0",
        "COMPRAR 11",
        "COMPRAR 10001",
    ] {
        assert_eq!(c.ask_raw(bad).await, b"400\n", "{bad:?}");
    }
    c.send(b"\xff\xfe\n").await;
    assert_eq!(c.line().await, "400", "§9.1: not UTF-8");
    assert_eq!(c.ask("COMPRADOS").await, "208", "nothing was bought");
    assert_eq!(c.ask("DISPONIVEIS").await, "203 1,2,3,4,5,6,7,8,9,10");
    assert!(c.is_open().await);
    server.stop().await.expect("clean stop");
}

#[tokio::test]
async fn sair_answers_204_and_nothing_after_it_is_read() {
    let (_dir, config) = lrv(10);
    let server = Server::start(config).await;
    let me = cpf(1);
    let mut c = Lrv::registered(server.addr, &me).await;
    c.send(b"SAIR\nCOMPRAR 1\n").await;
    assert_eq!(c.line().await, "204");
    assert!(
        c.expect_closed().await.is_empty(),
        "D20: nothing after SAIR"
    );
    let mut again = Lrv::registered(server.addr, &me).await;
    assert_eq!(
        again.ask("COMPRADOS").await,
        "208",
        "the COMPRAR was not acted on"
    );
    server.stop().await.expect("clean stop");
}

/// lrv §8.3: of many connections racing for one number, exactly one buys
/// it.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn twenty_clients_racing_for_one_number_make_one_sale() {
    let (_dir, config) = lrv(10);
    let server = Server::start(config).await;
    assert_eq!(race(server.addr, 20).await, 1);
    server.stop().await.expect("clean stop");
}

/// `clients` registered connections send `COMPRAR 7` at once; how many
/// got `202` (every other reply must be `401`).
pub async fn race(addr: std::net::SocketAddr, clients: u32) -> usize {
    let mut conns = Vec::new();
    for i in 0..clients {
        conns.push(Lrv::registered(addr, &cpf(i)).await);
    }
    let barrier = std::sync::Arc::new(tokio::sync::Barrier::new(clients as usize));
    let tasks: Vec<_> = conns
        .into_iter()
        .map(|mut c| {
            let barrier = std::sync::Arc::clone(&barrier);
            tokio::spawn(async move {
                barrier.wait().await;
                c.ask("COMPRAR 7").await
            })
        })
        .collect();
    let mut wins = 0;
    for t in tasks {
        let r = tokio::time::timeout(PATIENCE, t)
            .await
            .expect("replied in time")
            .expect("task");
        match r.as_str() {
            "202" => wins += 1,
            "401" => {}
            other => panic!("COMPRAR 7 got {other}"),
        }
    }
    wins
}
