//! The language server: tower-lsp on stdin/stdout.
//!
//! Only protocol goes to stdout; logs go to stderr and `window/logMessage`.
//! The process ends when stdin closes or on `exit` (code 0 after `shutdown`,
//! 1 without, as the protocol asks).

use std::process::ExitCode;

use futures::stream::{BoxStream, StreamExt};
use tokio::io::{AsyncRead, AsyncWrite, BufReader};
use tokio::sync::{mpsc, oneshot};
use tower_lsp::jsonrpc::Request;
use tower_lsp::{ClientSocket, Loopback, LspService, Server};

pub mod config;
pub mod convert;
pub mod document;
pub mod features;
pub mod files;
pub mod framing;
pub mod position;
pub mod server;
pub mod workspace;

use framing::Frame;
pub use server::Backend;

/// Serve on stdin/stdout until stdin closes or the client sends `exit`.
pub fn run() -> ExitCode {
    let rt = match tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            log_stderr(&format!("cannot start the async runtime: {e}"));
            return ExitCode::FAILURE;
        }
    };
    let code = rt.block_on(serve(tokio::io::stdin(), tokio::io::stdout()));
    // The blocking stdin reader may still be waiting for input: do not wait for it.
    rt.shutdown_background();
    code
}

/// Serve one client on the given streams.
pub async fn serve<I, O>(input: I, output: O) -> ExitCode
where
    I: AsyncRead + Unpin + Send + 'static,
    O: AsyncWrite + Unpin + Send + 'static,
{
    let (service, socket) = LspService::build(Backend::new)
        .custom_method("govReport/checkFiles", Backend::check_files)
        .finish();
    let backend = service.inner().clone();
    let (exit_tx, exit_rx) = oneshot::channel();
    let socket = ExitWatch {
        socket,
        exit: exit_tx,
    };
    // client → checked frames → tower-lsp → frames → client (plus our error replies).
    let (server_in, mut feed) = tokio::io::duplex(1 << 16);
    let (server_out, drain) = tokio::io::duplex(1 << 22);
    // Everything for the client goes through one queue and one writer task.
    let (reply_tx, mut to_client) = mpsc::unbounded_channel::<Vec<u8>>();
    let server_tx = reply_tx.clone();
    let reader = tokio::spawn(async move {
        let mut frames = framing::FrameReader::new(BufReader::new(input));
        loop {
            match frames.next().await {
                Ok(Some(Frame::Message(body))) => {
                    if framing::write_frame(&mut feed, &body).await.is_err() {
                        break;
                    }
                }
                Ok(Some(Frame::Rejected(reply))) => {
                    log_stderr(&format!(
                        "rejected a malformed message: {}",
                        reply["error"]["message"]
                    ));
                    if reply_tx.send(reply.to_string().into_bytes()).is_err() {
                        break;
                    }
                }
                Ok(None) => break,
                Err(e) => {
                    log_stderr(&format!("reading stdin failed: {e}"));
                    break;
                }
            }
        }
        // Dropping `feed` ends tower-lsp's input: the server stops.
    });
    // tower-lsp's frames join the queue of our error replies, read by a task of
    // their own. One queue keeps cause before effect: the reply to a malformed
    // message is queued before the request behind it reaches tower-lsp, so its
    // response cannot overtake the reply. (A `select!` over the two sources
    // could also drop a frame reader half-way through a frame.)
    tokio::spawn(async move {
        let mut from_server = framing::FrameReader::trusted(BufReader::new(drain));
        // tower-lsp writes well-formed frames; anything else is not forwarded.
        while let Ok(Some(frame)) = from_server.next().await {
            if let Frame::Message(body) = frame {
                if server_tx.send(body).is_err() {
                    break;
                }
            }
        }
    });
    let writer = tokio::spawn(async move {
        let mut output = output;
        while let Some(body) = to_client.recv().await {
            if framing::write_frame(&mut output, &body).await.is_err() {
                break;
            }
        }
    });
    let exited = tokio::select! {
        () = Server::new(server_in, server_out, socket).serve(service) => false,
        _ = exit_rx => true,
    };
    reader.abort();
    // Let the last responses reach the client (bounded: the client may be gone).
    let _ = tokio::time::timeout(std::time::Duration::from_secs(2), writer).await;
    if exited && !backend.shutdown_requested() {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    }
}

/// The client loopback, plus a signal when the `exit` notification has been
/// handled (tower-lsp then ends the server-to-client stream but keeps reading
/// stdin; we stop instead of waiting for the client to close it).
struct ExitWatch {
    socket: ClientSocket,
    exit: oneshot::Sender<()>,
}

impl Loopback for ExitWatch {
    type RequestStream = BoxStream<'static, Request>;
    type ResponseSink = <ClientSocket as Loopback>::ResponseSink;

    fn split(self) -> (Self::RequestStream, Self::ResponseSink) {
        let (requests, responses) = Loopback::split(self.socket);
        let exit = self.exit;
        let signal = futures::stream::once(async move {
            let _ = exit.send(());
        })
        .filter_map(|()| async { None });
        (requests.chain(signal).boxed(), responses)
    }
}

/// Write a log line to stderr (never stdout: that is the protocol channel).
#[allow(clippy::print_stderr)]
pub(crate) fn log_stderr(message: &str) {
    eprintln!("[gov-report-lsp] {message}");
}
