//! `lrv::Client` against the fake server: canonical LRV first, then each
//! variant a real server sends, and the errors that must name their cause.

use std::time::Duration;

use gabarito_client::lrv::{
    Bought, Client, Command, Cpf, DeviationKind, LrvError, Number, Options, Registered, parse_cpf,
};
use gabarito_codec::lrv::{Code, Deviation as ReplyDeviation};

use super::fake::{Fake, Style};

fn opts() -> Options {
    Options {
        connect_timeout: Duration::from_secs(5),
        greeting_timeout: Duration::from_secs(5),
        reply_timeout: Duration::from_secs(5),
        settle: Duration::from_millis(30),
        close_timeout: Duration::from_secs(2),
        ..Options::default()
    }
}

fn cpf(s: &str) -> Cpf<'static> {
    parse_cpf(s).unwrap()
}

fn n(v: u32) -> Number {
    Number::new(v).unwrap()
}

fn kinds(c: &Client) -> Vec<DeviationKind> {
    c.deviations().iter().map(|d| d.kind).collect()
}

fn nums(l: &gabarito_client::lrv::NumberList<'_>) -> Vec<u32> {
    l.iter().map(Number::get).collect()
}

/// The whole raffle of `size` 3 through one client, in any style that is
/// readable: the same answers whatever the framing or text.
async fn full_round(style: Style) -> Client {
    let fake = Fake::start(style, 3).await;
    let alice = cpf("12345678909");
    let bob = cpf("52998224725");
    let mut a = Client::connect(&fake.addr, opts()).await.unwrap();
    assert_eq!(a.register(&alice).await.unwrap(), Registered::New);
    assert_eq!(a.registered_as(), Some(&alice));
    assert_eq!(nums(&a.available().await.unwrap()), [1, 2, 3]);
    assert!(!a.sold_out().await.unwrap());
    assert_eq!(a.draw().await.unwrap(), None);
    assert_eq!(a.buy(n(2)).await.unwrap(), Bought::Yes);
    assert_eq!(a.buy(n(2)).await.unwrap(), Bought::Taken);
    assert_eq!(a.buy(n(1)).await.unwrap(), Bought::Yes);
    assert_eq!(nums(&a.mine().await.unwrap()), [1, 2]);
    a.quit().await.unwrap();
    assert!(matches!(a.sold_out().await, Err(LrvError::Finished(_))));

    let mut b = Client::connect(&fake.addr, opts()).await.unwrap();
    assert_eq!(b.register(&bob).await.unwrap(), Registered::New);
    assert_eq!(b.register(&alice).await.unwrap(), Registered::Known);
    assert_eq!(b.register(&bob).await.unwrap(), Registered::Known);
    assert_eq!(b.buy(n(3)).await.unwrap(), Bought::Yes);
    assert!(b.sold_out().await.unwrap());
    assert_eq!(nums(&b.available().await.unwrap()), Vec::<u32>::new());
    let d = b.draw().await.unwrap().expect("drawn at the last sale");
    assert_eq!(d.number.get(), 3);
    assert_eq!(d.cpf.as_ref(), Some(&bob));
    b.quit().await.unwrap();
    b
}

#[tokio::test]
async fn canonical_lrv_reads_with_no_deviation() {
    let c = full_round(Style::Canonical).await;
    assert_eq!(c.greeting(), Some("Bem-vindo à compra de rifa!"));
    assert!(c.deviations().is_empty(), "{:?}", c.deviations());
}

#[tokio::test]
async fn crlf_is_tolerated_and_recorded_with_its_section() {
    let c = full_round(Style::CrLf).await;
    assert_eq!(c.greeting(), Some("Bem-vindo à compra de rifa!"));
    assert!(!c.deviations().is_empty());
    for d in c.deviations() {
        assert_eq!(d.kind, DeviationKind::CrLf, "{d}");
        assert_eq!(d.kind.section(), "lrv §3.5");
    }
    let shown = c.deviations()[0].to_string();
    assert!(
        shown.contains("lrv §3.5") && shown.contains("\\r\\n"),
        "{shown}"
    );
}

#[tokio::test]
async fn lines_without_terminator_end_at_the_pause() {
    let c = full_round(Style::NoTerminator).await;
    assert_eq!(c.greeting(), Some("Bem-vindo à compra de rifa!"));
    assert!(!c.deviations().is_empty());
    assert!(
        c.deviations()
            .iter()
            .all(|d| d.kind == DeviationKind::NoTerminator),
        "{:?}",
        c.deviations()
    );
}

#[tokio::test]
async fn human_text_is_read_by_the_tolerant_rules() {
    let c = full_round(Style::Human).await;
    assert_eq!(c.greeting(), Some("Ola! Bem-vindo a rifa"));
    let k = kinds(&c);
    assert!(k.contains(&DeviationKind::GreetingText), "{k:?}");
    assert!(
        k.contains(&DeviationKind::Reply(ReplyDeviation::Text)),
        "{k:?}"
    );
    assert!(
        k.contains(&DeviationKind::Reply(ReplyDeviation::FormattedCpf)),
        "{k:?}"
    );
    // The first client saw 3,2,1: unordered. This one saw the draw.
    let d = c
        .deviations()
        .iter()
        .find(|d| d.kind == DeviationKind::Reply(ReplyDeviation::FormattedCpf))
        .unwrap();
    assert_eq!(d.during, "SORTEIO");
    assert!(d.line.contains("529.982.247-25"), "{d}");
}

#[tokio::test]
async fn an_unordered_list_is_sorted_and_recorded() {
    let fake = Fake::start(Style::Human, 4).await;
    let mut c = Client::connect(&fake.addr, opts()).await.unwrap();
    assert_eq!(nums(&c.available().await.unwrap()), [1, 2, 3, 4]);
    assert!(kinds(&c).contains(&DeviationKind::Reply(ReplyDeviation::Unordered)));
}

#[tokio::test]
async fn a_banner_of_several_lines_is_skipped_before_the_first_reply() {
    let c = full_round(Style::Banner).await;
    let banner: Vec<_> = c
        .deviations()
        .iter()
        .filter(|d| d.kind == DeviationKind::Banner)
        .collect();
    assert_eq!(banner.len(), 2, "{:?}", c.deviations());
    assert!(banner[0].line.starts_with("Comandos"), "{}", banner[0]);
    assert_eq!(banner[0].kind.section(), "lrv §5");
    assert_eq!(kinds(&c).len(), 2, "nothing else: {:?}", c.deviations());
}

#[tokio::test]
async fn a_missing_greeting_is_an_error_naming_lrv_5_unless_allowed() {
    let fake = Fake::start(Style::NoGreeting, 3).await;
    let short = Options {
        greeting_timeout: Duration::from_millis(300),
        ..opts()
    };
    let e = Client::connect(&fake.addr, short.clone())
        .await
        .unwrap_err();
    assert!(matches!(e, LrvError::NoGreeting { .. }), "{e:?}");
    assert!(e.is_protocol());
    let shown = e.to_string();
    assert!(
        shown.contains("lrv §5") && shown.contains(&fake.addr),
        "{shown}"
    );

    let lenient = Options {
        require_greeting: false,
        ..short
    };
    let mut c = Client::connect(&fake.addr, lenient).await.unwrap();
    assert_eq!(c.greeting(), None);
    assert_eq!(kinds(&c), [DeviationKind::MissingGreeting]);
    assert_eq!(
        c.register(&cpf("12345678909")).await.unwrap(),
        Registered::New
    );
    assert_eq!(c.buy(n(1)).await.unwrap(), Bought::Yes);
}

#[tokio::test]
async fn a_code_that_does_not_answer_the_request_names_both() {
    let fake = Fake::start(Style::WrongCode, 3).await;
    let mut c = Client::connect(&fake.addr, opts()).await.unwrap();
    c.register(&cpf("12345678909")).await.unwrap();
    let e = c.buy(n(1)).await.unwrap_err();
    match &e {
        LrvError::WrongCode {
            command,
            code,
            sent,
            ..
        } => {
            assert_eq!((*command, *code), (Command::Comprar, Code::SoldOut));
            assert_eq!(sent, "COMPRAR 1");
        }
        other => panic!("expected WrongCode, got {other:?}"),
    }
    let shown = e.to_string();
    for needle in ["COMPRAR 1", "205", "202 or 401", "lrv §6.6", "\"205\\n\""] {
        assert!(shown.contains(needle), "{needle:?} missing from {shown}");
    }
}

#[tokio::test]
async fn strict_mode_turns_the_first_deviation_into_an_error() {
    let fake = Fake::start(Style::CrLf, 3).await;
    let strict = Options {
        strict: true,
        ..opts()
    };
    let e = Client::connect(&fake.addr, strict).await.unwrap_err();
    match &e {
        LrvError::Strict(d) => {
            assert_eq!(
                (d.kind, d.during.as_str()),
                (DeviationKind::CrLf, "greeting")
            );
        }
        other => panic!("expected Strict, got {other:?}"),
    }
    assert!(e.to_string().contains("lrv §3.5"), "{e}");
    // Canonical LRV passes strict mode.
    let fake = Fake::start(Style::Canonical, 3).await;
    let strict = Options {
        strict: true,
        ..opts()
    };
    let mut c = Client::connect(&fake.addr, strict).await.unwrap();
    c.register(&cpf("12345678909")).await.unwrap();
    c.buy(n(1)).await.unwrap();
    c.quit().await.unwrap();
}

#[tokio::test]
async fn a_400_to_buy_is_a_typed_error_and_the_connection_goes_on() {
    let fake = Fake::start(Style::Canonical, 3).await;
    let mut c = Client::connect(&fake.addr, opts()).await.unwrap();
    // Checked before anything is sent (D12).
    assert!(matches!(
        c.buy(n(1)).await,
        Err(LrvError::NotRegistered(Command::Comprar))
    ));
    assert!(matches!(
        c.mine().await,
        Err(LrvError::NotRegistered(Command::Comprados))
    ));
    c.register(&cpf("12345678909")).await.unwrap();
    let e = c.buy(n(50)).await.unwrap_err();
    assert!(
        matches!(
            &e,
            LrvError::BadRequest {
                command: Command::Comprar,
                ..
            }
        ),
        "{e:?}"
    );
    assert!(e.to_string().contains("COMPRAR 50") && e.to_string().contains("lrv §9.2"));
    assert_eq!(c.buy(n(3)).await.unwrap(), Bought::Yes);
    // The raw request shows what the server says to an unregistered
    // COMPRAR on a new connection.
    let mut other = Client::connect(&fake.addr, opts()).await.unwrap();
    let a = other
        .request(&gabarito_client::lrv::Request::Comprar { number: n(2) })
        .await
        .unwrap();
    assert_eq!(a.code, Code::BadRequest);
}

#[tokio::test]
async fn an_invalid_cpf_is_refused_before_sending_naming_the_digit() {
    let fake = Fake::start(Style::Canonical, 3).await;
    let mut c = Client::connect(&fake.addr, opts()).await.unwrap();
    let bad = Cpf::parse("12345678900").unwrap();
    let e = c.register(&bad).await.unwrap_err();
    assert!(e.to_string().contains("digit 11"), "{e}");
    assert!(c.registered_as().is_none());
    // Nothing was sent: the next exchange is still in step.
    assert_eq!(
        c.register(&cpf("12345678909")).await.unwrap(),
        Registered::New
    );
}

#[tokio::test]
async fn no_reply_and_204_without_close_are_reported() {
    let fake = Fake::start(Style::Silent, 3).await;
    let short = Options {
        reply_timeout: Duration::from_millis(300),
        ..opts()
    };
    let mut c = Client::connect(&fake.addr, short).await.unwrap();
    let e = c.sold_out().await.unwrap_err();
    assert!(matches!(e, LrvError::NoReply { .. }), "{e:?}");
    let shown = e.to_string();
    assert!(
        shown.contains("ESGOTOU") && shown.contains("205 or 206"),
        "{shown}"
    );

    let fake = Fake::start(Style::NoClose, 3).await;
    let short = Options {
        close_timeout: Duration::from_millis(200),
        ..opts()
    };
    let mut c = Client::connect(&fake.addr, short).await.unwrap();
    c.quit().await.unwrap();
    assert_eq!(kinds(&c), [DeviationKind::NoClose]);
    assert_eq!(c.deviations()[0].kind.section(), "lrv §6.8, D20");
}

#[tokio::test]
async fn a_server_that_closes_instead_of_replying_is_a_network_error() {
    // Greets only once the client speaks, then closes: the greeting is
    // missing (allowed here), its late text is no reply, and no reply comes.
    let (addr, _task) = crate::common::fake("Bem-vindo à compra de rifa!\n".as_bytes(), true).await;
    let lenient = Options {
        require_greeting: false,
        greeting_timeout: Duration::from_millis(200),
        ..opts()
    };
    let mut c = Client::connect(&addr.to_string(), lenient).await.unwrap();
    let e = c.sold_out().await.unwrap_err();
    assert!(matches!(e, LrvError::Closed { .. }), "{e:?}");
    assert!(e.is_disconnect());
    assert!(e.to_string().contains("ESGOTOU"), "{e}");
    assert_eq!(
        kinds(&c),
        [DeviationKind::MissingGreeting, DeviationKind::Banner]
    );
}
