//! [`serve`]: one run of a protocol, the same for every protocol — open its
//! store, build its core from it, store what the core keeps from its start,
//! serve until shutdown, then commit and close the store — and the writer
//! quirks every protocol has.

use std::collections::BTreeSet;
use std::future::Future;
use std::sync::Arc;
use std::time::Duration;

use anyhow::{Context, bail};
use tokio::net::TcpListener;

use super::{Hub, Serve};
use crate::config::Config;
use crate::fault::{Fault, Quirk};
use crate::net::{self, Registry, Signals, WriterStyle};
use crate::sans_io::Core as _;
use crate::store::{self, Durable};

/// Quirk `slow`: how long each batch waits before it is written.
const SLOW: Duration = Duration::from_millis(150);

/// The writer style of the quirks every protocol has (`glue`, `slow`); a
/// protocol sets the rest ([`Serve::style`]).
fn shared_style(quirks: &BTreeSet<Quirk>) -> WriterStyle {
    WriterStyle {
        glue: quirks.contains(&Quirk::Glue),
        delay: quirks.contains(&Quirk::Slow).then_some(SLOW),
        ..WriterStyle::default()
    }
}

/// Serves protocol `P` on `listener` until `shutdown` resolves (see
/// [`crate::run`]).
///
/// # Errors
///
/// The store cannot be opened, read or written, or fault
/// `crash-on-malformed` stopped the server.
pub(crate) async fn serve<P: Serve>(
    listener: TcpListener,
    config: Config,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> anyhow::Result<()> {
    let (db, path) = store::open_schema::<P::Schema>(
        &config.data_dir,
        P::DB_FILE,
        config.faults.contains(&Fault::LoseState),
    )?;
    let mut core = P::core(&config, &db, &path)?;
    let at_start = core.start();
    store::apply_now::<P::Schema>(&db, &at_start).with_context(|| {
        format!(
            "storing what {} keeps at start in {}",
            P::NAME,
            path.display()
        )
    })?;
    P::started(&at_start);
    let signals = Signals::default();
    let store = Durable::<P::Schema>::start(db, signals.abort.clone())?;
    let style = P::style(&config, shared_style(&config.quirks));
    let registry = Arc::new(Registry::default());
    let hub = Hub::<P>::new(
        core,
        store.handle(),
        Arc::clone(&registry),
        signals.clone(),
        style,
    );
    net::accept_loop(
        listener,
        Arc::clone(&hub),
        registry,
        config.limits.clone(),
        signals,
        shutdown,
    )
    .await;
    let stored = store.stop().await;
    if let Some(why) = hub.crashed() {
        bail!("stopped by fault crash-on-malformed: {why}");
    }
    stored.map(|_| ())
}
