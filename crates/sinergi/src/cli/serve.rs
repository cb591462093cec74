//! `sinergi serve`.

use crate::settings::Settings;
use anyhow::Context as _;
use sinergi_domain::clock::SystemClock;
use sinergi_store::Store;
use sinergi_web::{AppState, WebSettings};
use std::sync::Arc;

pub async fn run(
    store: Store,
    settings: &Settings,
    listen: std::net::SocketAddr,
) -> anyhow::Result<()> {
    if settings.auth.admin_token.is_none() {
        tracing::warn!(
            "no admin token configured (SINERGI_AUTH__ADMIN_TOKEN): the API is read-only"
        );
    }
    let web = WebSettings {
        admin_token: settings.auth.admin_token.clone(),
        max_body_bytes: settings.server.max_body_bytes,
    };
    let documents = crate::cli::document::document_settings(settings)?;
    let app = sinergi_web::router(
        AppState::new(store.clone(), Arc::new(SystemClock), web).with_documents(documents),
    );
    let listener = tokio::net::TcpListener::bind(listen)
        .await
        .with_context(|| format!("membuka {listen} (binding)"))?;
    tracing::info!(address = %listener.local_addr()?, "Sinergi siap");
    eprintln!("Sinergi berjalan di http://{}", listener.local_addr()?);
    axum::serve(listener, app)
        .with_graceful_shutdown(shutdown_signal())
        .await?;
    store.close().await;
    Ok(())
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        if let Ok(mut s) = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())
        {
            s.recv().await;
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = terminate => {},
    }
}
