//! The scrim language server (`scrim lsp`): diagnostics from the parser,
//! the compiler and the linter as the author types, hover documentation,
//! completion, go to definition, formatting and quick fixes for `.scrim`
//! policies, over the Language Server Protocol on standard input and
//! output.
//!
//! ```text
//! analysis/   plain functions over a checked policy and a byte offset:
//!             hover, completion, definition, fixes, formatting, and the
//!             documentation they show (docs/language.md, the presets'
//!             files, the lint rules' docs). No protocol.
//! server      the protocol: documents, requests, notifications; byte
//!             spans to UTF-16 positions (line_index), URIs to paths (uri)
//! run_stdio   the message loop
//! ```
//!
//! This crate is the only one that knows the protocol. It reads no file
//! itself: included files come through the loader the caller gives (the
//! `scrim` command gives the one `scrim check` uses), with the editor's open
//! documents taking precedence over what is on disk.

mod analysis;
mod line_index;
mod server;
mod uri;

pub use server::{DiskLoader, Server};

use lsp_server::{Connection, Message};

/// Serves one client on standard input and output until it says `exit`
/// (or closes its end). The error says why the session ended early.
pub fn run_stdio(disk: DiskLoader) -> Result<(), String> {
    let (connection, io_threads) = Connection::stdio();
    let served = serve(&connection, disk);
    drop(connection);
    io_threads
        .join()
        .map_err(|error| format!("the connection to the editor failed: {error}"))?;
    served
}

fn serve(connection: &Connection, disk: DiskLoader) -> Result<(), String> {
    let failed = |error: lsp_server::ProtocolError| format!("protocol error: {error}");
    let gone = |_| "the editor closed the connection".to_string();
    let (id, params) = connection.initialize_start().map_err(failed)?;
    let params: lsp_types::InitializeParams = serde_json::from_value(params)
        .map_err(|error| format!("invalid `initialize` parameters: {error}"))?;
    let mut server = Server::new(disk);
    let warnings = server.initialize(&params);
    let result = serde_json::json!({
        "capabilities": Server::capabilities(),
        "serverInfo": { "name": "scrim", "version": env!("CARGO_PKG_VERSION") },
    });
    connection.initialize_finish(id, result).map_err(failed)?;
    for warning in warnings {
        connection.sender.send(warning).map_err(gone)?;
    }
    loop {
        let Ok(first) = connection.receiver.recv() else {
            return Ok(());
        };
        // Everything already waiting is handled before any check, so a
        // burst of changes is checked once.
        let mut next = Some(first);
        while let Some(message) = next {
            match &message {
                Message::Request(request)
                    if connection.handle_shutdown(request).map_err(failed)? =>
                {
                    return Ok(());
                }
                Message::Notification(notification) if notification.method == "exit" => {
                    return Err("the editor said `exit` before `shutdown`".to_string());
                }
                _ => {}
            }
            for reply in server.handle(message) {
                connection.sender.send(reply).map_err(gone)?;
            }
            next = connection.receiver.try_recv().ok();
        }
        for diagnostics in server.publish_stale() {
            connection.sender.send(diagnostics).map_err(gone)?;
        }
    }
}
