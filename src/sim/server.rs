//! The HTTP/1.1 server on 127.0.0.1 and the handle that controls it.

use std::fmt;
use std::io;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper_util::rt::TokioIo;
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::watch;
use tokio::task::{JoinHandle, JoinSet};

use super::body::ConnSocket;
use super::config::SimConfig;
use super::faults::Faults;
use super::gateway;
use super::shared::Shared;
use super::state::State;
use super::usage::Forbidden;
use crate::ecs::credentials::{AccessKey, Secret};
use crate::ecs::model::Image;

/// How long in-flight requests may finish after shutdown is asked for.
const DRAIN: Duration = Duration::from_secs(2);

/// Starts a simulator on `127.0.0.1:config.port` (0 picks a free port).
///
/// Fails if the port is taken or the state file exists but cannot be read.
pub async fn start(config: SimConfig) -> io::Result<SimHandle> {
    let state = State::open(
        config.inventory.images.clone(),
        config.inventory.usage.clone(),
        config.state_file.clone(),
    )?;
    let listener = TcpListener::bind(("127.0.0.1", config.port)).await?;
    let addr = listener.local_addr()?;
    let shared = Arc::new(Shared::new(config, state));
    let (stop, stopped) = watch::channel(false);
    let task = tokio::spawn(serve(listener, shared.clone(), stopped));
    Ok(SimHandle {
        shared,
        addr,
        stop,
        task,
    })
}

/// A running simulator. Dropping it stops the server too; [`SimHandle::shutdown`] also
/// waits until it has stopped.
pub struct SimHandle {
    shared: Arc<Shared>,
    addr: SocketAddr,
    stop: watch::Sender<bool>,
    task: JoinHandle<()>,
}

impl fmt::Debug for SimHandle {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SimHandle")
            .field("endpoint", &self.endpoint())
            .finish_non_exhaustive()
    }
}

impl SimHandle {
    /// `http://127.0.0.1:PORT/`
    pub fn endpoint(&self) -> String {
        format!("http://{}/", self.addr)
    }

    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// The faults in force; change them while the server runs.
    pub fn faults(&self) -> &Faults {
        &self.shared.faults
    }

    /// Every image of `region` as the simulator holds it now (all owners and statuses).
    pub fn images(&self, region: &str) -> Vec<Image> {
        self.shared.state().images(region).to_vec()
    }

    pub fn image(&self, region: &str, id: &str) -> Option<Image> {
        self.shared.state().image(region, id).cloned()
    }

    /// HTTP requests received so far (RPC and metadata, faulted or not).
    pub fn request_count(&self) -> u64 {
        self.shared.requests()
    }

    /// Authenticated calls of `action` so far, including throttled and refused ones.
    pub fn action_count(&self, action: &str) -> u64 {
        self.shared.action_count(action)
    }

    /// ModifyImageAttribute calls for `image_id` that were applied (passed every check,
    /// not a DryRun), whether or not they changed a value: a change sent twice counts twice.
    pub fn processed_count(&self, image_id: &str) -> u64 {
        self.shared.processed_count(image_id)
    }

    /// Makes the server's clock run `secs` seconds from the host's (negative: behind).
    pub fn set_clock_offset(&self, secs: i64) {
        self.shared.clock.set_offset(secs);
    }

    pub fn clock_offset(&self) -> i64 {
        self.shared.clock.offset()
    }

    /// Makes the sources in `forbidden` answer as for a RAM identity without permission.
    pub fn set_forbidden(&self, forbidden: Forbidden) {
        *super::faults::lock(&self.shared.forbidden) = forbidden;
    }

    /// Changes the calls allowed per API and region per 60 s.
    pub fn set_throttle_limit(&self, limit: u32) {
        self.shared.throttle.set_limit(limit);
    }

    /// Mints STS credentials (with their token) valid for `ttl` on the server clock.
    /// A zero `ttl` gives credentials that have already expired.
    pub fn issue_sts(&self, ttl: Duration) -> AccessKey {
        let key = self
            .shared
            .keys
            .mint(self.shared.clock.now_unix(), ttl.as_secs() as i64);
        AccessKey {
            id: key.id,
            secret: Secret::new(key.secret),
            security_token: Some(Secret::new(key.token)),
        }
    }

    /// Stops accepting, lets in-flight requests finish (briefly), and waits.
    pub async fn shutdown(self) {
        let _ = self.stop.send(true);
        let _ = self.task.await;
    }
}

async fn serve(listener: TcpListener, shared: Arc<Shared>, mut stopped: watch::Receiver<bool>) {
    let mut connections = JoinSet::new();
    loop {
        tokio::select! {
            _ = stopped.changed() => break,
            accepted = listener.accept() => match accepted {
                Ok((stream, _)) => {
                    connections.spawn(connection(stream, shared.clone(), stopped.clone()));
                }
                // Out of file descriptors and the like: wait a moment rather than spin.
                Err(_) => tokio::time::sleep(Duration::from_millis(10)).await,
            },
            Some(_) = connections.join_next(), if !connections.is_empty() => {}
        }
    }
    drop(listener);
    let drained = tokio::time::timeout(DRAIN, async {
        while connections.join_next().await.is_some() {}
    })
    .await;
    if drained.is_err() {
        connections.shutdown().await;
    }
}

async fn connection(stream: TcpStream, shared: Arc<Shared>, mut stopped: watch::Receiver<bool>) {
    let _ = stream.set_nodelay(true);
    let socket = ConnSocket::of(&stream);
    let service = service_fn(move |req| gateway::handle(shared.clone(), socket, req));
    let conn = http1::Builder::new()
        .auto_date_header(false)
        .serve_connection(TokioIo::new(stream), service);
    tokio::pin!(conn);
    tokio::select! {
        _ = conn.as_mut() => {}
        _ = stopped.changed() => {
            conn.as_mut().graceful_shutdown();
            let _ = conn.await;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_handle_can_live_in_any_task() {
        fn send_sync<T: Send + Sync + 'static>() {}
        send_sync::<SimHandle>();
    }
}
