//! Response bodies, including the damaged ones faults ask for: trickled slowly, or cut off
//! halfway with the connection reset.

use std::collections::VecDeque;
use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::Duration;

use hyper::body::{Body, Bytes, Frame, SizeHint};

/// The socket of one connection, so a fault can make its close a reset (RST) instead of
/// an orderly FIN.
#[derive(Debug, Clone, Copy)]
pub struct ConnSocket {
    #[cfg(unix)]
    fd: std::os::fd::RawFd,
}

impl ConnSocket {
    pub fn of(stream: &tokio::net::TcpStream) -> ConnSocket {
        #[cfg(unix)]
        {
            use std::os::fd::AsRawFd;
            ConnSocket {
                fd: stream.as_raw_fd(),
            }
        }
        #[cfg(not(unix))]
        {
            let _ = stream;
            ConnSocket {}
        }
    }

    /// Sets `SO_LINGER` to zero, so closing the socket sends RST.
    fn reset_on_close(&self) {
        #[cfg(unix)]
        {
            let linger = libc::linger {
                l_onoff: 1,
                l_linger: 0,
            };
            // SAFETY: the fd belongs to a connection whose response is being written right
            // now, so it is open; setsockopt only reads `linger` for the given length.
            unsafe {
                libc::setsockopt(
                    self.fd,
                    libc::SOL_SOCKET,
                    libc::SO_LINGER,
                    (&linger as *const libc::linger).cast(),
                    std::mem::size_of::<libc::linger>() as libc::socklen_t,
                );
            }
        }
    }
}

/// How the body ends once its chunks are sent.
#[derive(Debug)]
enum End {
    Complete,
    /// Fail the body (hyper then drops the connection) after resetting the socket.
    Reset(ConnSocket),
}

/// A body sent as a list of chunks, optionally with a pause between them.
pub struct SimBody {
    chunks: VecDeque<Bytes>,
    /// The length announced in `Content-Length`.
    announced: u64,
    pause: Option<Duration>,
    sleep: Option<Pin<Box<tokio::time::Sleep>>>,
    sent_any: bool,
    end: End,
}

impl SimBody {
    /// The whole body at once.
    pub fn full(bytes: impl Into<Bytes>) -> SimBody {
        let bytes = bytes.into();
        SimBody {
            announced: bytes.len() as u64,
            chunks: VecDeque::from([bytes]),
            pause: None,
            sleep: None,
            sent_any: false,
            end: End::Complete,
        }
    }

    /// The body in `pieces` chunks, spread over about `total` time.
    pub fn trickled(bytes: impl Into<Bytes>, pieces: usize, total: Duration) -> SimBody {
        let bytes: Bytes = bytes.into();
        let pieces = pieces.clamp(1, bytes.len().max(1));
        let size = bytes.len().div_ceil(pieces).max(1);
        let chunks: VecDeque<Bytes> = (0..bytes.len())
            .step_by(size)
            .map(|start| bytes.slice(start..(start + size).min(bytes.len())))
            .collect();
        let pause = total / (chunks.len().max(1) as u32);
        SimBody {
            announced: bytes.len() as u64,
            chunks,
            pause: Some(pause),
            sleep: None,
            sent_any: false,
            end: End::Complete,
        }
    }

    /// Announces the whole length, sends the first half, then resets the connection.
    pub fn cut_off(bytes: impl Into<Bytes>, socket: ConnSocket) -> SimBody {
        let bytes: Bytes = bytes.into();
        let half = bytes.slice(..bytes.len() / 2);
        SimBody {
            announced: bytes.len() as u64,
            chunks: VecDeque::from([half]),
            pause: None,
            sleep: None,
            sent_any: false,
            end: End::Reset(socket),
        }
    }
}

impl Body for SimBody {
    type Data = Bytes;
    type Error = std::io::Error;

    fn poll_frame(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, Self::Error>>> {
        let this = &mut *self;
        if let Some(sleep) = this.sleep.as_mut() {
            if sleep.as_mut().poll(cx).is_pending() {
                return Poll::Pending;
            }
            this.sleep = None;
        } else if let (Some(pause), true, false) =
            (this.pause, this.sent_any, this.chunks.is_empty())
        {
            this.sleep = Some(Box::pin(tokio::time::sleep(pause)));
            return Pin::new(this).poll_frame(cx);
        }
        if let Some(chunk) = this.chunks.pop_front() {
            this.sent_any = true;
            return Poll::Ready(Some(Ok(Frame::data(chunk))));
        }
        match &this.end {
            End::Complete => Poll::Ready(None),
            End::Reset(socket) => {
                socket.reset_on_close();
                this.end = End::Complete;
                Poll::Ready(Some(Err(std::io::Error::new(
                    std::io::ErrorKind::ConnectionReset,
                    "fault: connection reset mid-response",
                ))))
            }
        }
    }

    fn is_end_stream(&self) -> bool {
        self.chunks.is_empty() && self.sleep.is_none() && matches!(self.end, End::Complete)
    }

    fn size_hint(&self) -> SizeHint {
        SizeHint::with_exact(self.announced)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use http_body_util::BodyExt;

    #[tokio::test]
    async fn trickled_body_arrives_whole_in_pieces() {
        let mut body = SimBody::trickled("abcdefghij", 4, Duration::from_millis(4));
        let mut pieces = Vec::new();
        while let Some(frame) = body.frame().await {
            pieces.push(frame.unwrap().into_data().unwrap());
        }
        assert_eq!(pieces.len(), 4);
        assert_eq!(pieces.concat(), b"abcdefghij");
    }
}
