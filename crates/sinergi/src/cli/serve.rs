//! `sinergi serve`.

use crate::settings::{Embedded, Settings};
use anyhow::Context as _;
use sinergi_domain::clock::SystemClock;
use sinergi_store::Store;
use sinergi_web::{AppState, WebSettings};
use std::sync::Arc;

/// The signing secret of `serve --demo` when none is configured (demonstrations only).
const DEMO_SIGNING_SECRET: &str = "sinergi-demo-2022-penandatanganan";

pub async fn run(
    store: Store,
    settings: &Settings,
    listen: std::net::SocketAddr,
    demo: bool,
) -> anyhow::Result<()> {
    if settings.auth.admin_token.is_some() {
        tracing::warn!(
            "the operator token (SINERGI_AUTH__ADMIN_TOKEN) is set: it may change any data; unset it once accounts exist"
        );
    }
    let web = WebSettings {
        admin_token: settings.auth.admin_token.clone(),
        max_body_bytes: settings.server.max_body_bytes,
        login: settings.auth.login_policy(),
        login_attempts_per_minute: settings.auth.login_attempts_per_minute,
        secure_cookies: settings.auth.secure_cookies,
        import_limits: settings.limits.table(),
        hsts: settings.documents.public_url.starts_with("https://"),
    };
    let mut documents = crate::cli::document::document_settings(settings)?;
    if demo && documents.signing_secret.is_none() {
        // A demonstration shows electronic signing too; its keys are sealed with a secret
        // everyone can read, like the demo accounts' password.
        tracing::warn!(
            "demo: electronic signing uses a demonstration secret; set documents.signing_secret for real use"
        );
        documents.signing_secret = Some(secrecy::SecretString::from(DEMO_SIGNING_SECRET));
    }
    let mut state =
        AppState::new(store.clone(), Arc::new(SystemClock), web).with_documents(documents);
    // Notices of acts to the other party go out by e-mail too when SMTP is set (issue 13).
    state.app.email_notices = settings.email.smtp_host.is_some();
    if let Some(oidc) = &settings.auth.oidc {
        let provider = sinergi_web::oidc::Provider::new(oidc.web())
            .map_err(|e| anyhow::anyhow!("[auth.oidc] tidak valid (invalid): {e}"))?;
        if oidc.issuer.starts_with("http://") && !is_loopback(&oidc.issuer) {
            tracing::warn!(issuer = %oidc.issuer, "the OpenID Connect issuer is plain http: use https outside a test set-up");
        }
        tracing::info!(issuer = %oidc.issuer, "single sign-on through OpenID Connect is on");
        state = state.with_oidc(provider);
    }
    let app = sinergi_web::router(state);
    let embedded = match settings.worker.embedded {
        Embedded::Always => true,
        Embedded::Never => false,
        Embedded::Auto => store.backend() == sinergi_store::Backend::Sqlite,
    };
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let worker_config = if embedded {
        Some(settings.worker_config("serve")?)
    } else {
        None
    };
    let worker = worker_config.map(|config| {
        let w = sinergi_worker::Worker::new(store.clone(), config);
        tracing::info!(worker = w.id(), "job worker runs inside serve");
        tokio::spawn(async move {
            w.run_forever(Arc::new(SystemClock), async {
                let _ = stopped.await;
            })
            .await;
        })
    });
    let listener = tokio::net::TcpListener::bind(listen)
        .await
        .with_context(|| format!("membuka {listen} (binding)"))?;
    tracing::info!(address = %listener.local_addr()?, "Sinergi siap");
    eprintln!("Sinergi berjalan di http://{}", listener.local_addr()?);
    axum::serve(
        listener,
        app.into_make_service_with_connect_info::<std::net::SocketAddr>(),
    )
    .with_graceful_shutdown(shutdown_signal())
    .await?;
    let _ = stop.send(());
    if let Some(w) = worker {
        let _ = w.await;
    }
    store.close().await;
    Ok(())
}

/// Whether a URL names this machine (a test or development provider).
fn is_loopback(url: &str) -> bool {
    let rest = url.split_once("://").map_or(url, |(_, r)| r);
    let host = rest.split(['/', ':']).next().unwrap_or_default();
    host == "localhost" || host == "127.0.0.1" || rest.starts_with("[::1]")
}

pub(crate) async fn shutdown_signal() {
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
