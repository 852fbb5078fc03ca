//! What every protocol's runtime driver (`zap/hub.rs`, `lrv/hub.rs`) does
//! the same way: the writer quirks every protocol has, fault
//! `crash-on-malformed`'s stop, and serving until shutdown and then closing
//! the store. Generic: it knows no protocol.

use std::collections::BTreeSet;
use std::future::Future;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use anyhow::bail;
use tokio::net::TcpListener;

use crate::config::Limits;
use crate::fault::Quirk;
use crate::net::{self, Registry, Service, Signals, WriterStyle};
use crate::store::{Durable, Schema};

/// Quirk `slow`: how long each batch waits before it is written.
const SLOW: Duration = Duration::from_millis(150);

/// The writer style of the quirks every protocol has (`glue`, `slow`); a
/// protocol sets the rest (`suffix`, `gap`) for its own.
pub(crate) fn shared_style(quirks: &BTreeSet<Quirk>) -> WriterStyle {
    WriterStyle {
        glue: quirks.contains(&Quirk::Glue),
        delay: quirks.contains(&Quirk::Slow).then_some(SLOW),
        ..WriterStyle::default()
    }
}

/// Fault `crash-on-malformed`: the whole server stops on the first bad
/// input (zap §10.1, lrv §9.1 broken), and its run ends with why.
#[derive(Debug, Default)]
pub(crate) struct Crash(Mutex<Option<String>>);

impl Crash {
    /// Records `why` and drops every connection now.
    pub fn stop(&self, why: String, signals: &Signals) {
        *self.0.lock().unwrap_or_else(PoisonError::into_inner) = Some(why);
        signals.abort.cancel();
    }

    fn take(&self) -> Option<String> {
        self.0.lock().unwrap_or_else(PoisonError::into_inner).take()
    }
}

/// Serves `service` on `listener` until `shutdown` resolves (or `signals`
/// abort), then commits and closes `store`.
///
/// # Errors
///
/// Fault `crash-on-malformed` stopped the server, or the store failed.
#[allow(clippy::too_many_arguments)]
pub(crate) async fn serve<S: Service, D: Schema>(
    listener: TcpListener,
    service: Arc<S>,
    crash: &Crash,
    registry: Arc<Registry>,
    limits: Limits,
    signals: Signals,
    shutdown: impl Future<Output = ()> + Send + 'static,
    store: Durable<D>,
) -> anyhow::Result<()> {
    net::accept_loop(listener, service, registry, limits, signals, shutdown).await;
    let stored = store.stop().await;
    if let Some(why) = crash.take() {
        bail!("stopped by fault crash-on-malformed: {why}");
    }
    stored.map(|_| ())
}
