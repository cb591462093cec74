//! `/notifikasi`: the signed-in user's in-app notifications, and marking one read.

use super::common::require_staff;
use super::{Chrome, PageError, Visitor, render};
use crate::state::AppState;
use askama::Template;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};

#[derive(Template)]
#[template(path = "notifications.html")]
pub struct NotificationsPage {
    chrome: Chrome,
    items: Vec<(String, String, String, String, Option<String>, bool)>,
}

/// The signed-in user's notifications.
pub async fn notifications(
    State(state): State<AppState>,
    v: Visitor,
) -> Result<Response, PageError> {
    require_staff(&v)?;
    let user = v.principal.username.clone();
    let items = state
        .store
        .notifications_for(&user, 200)
        .await?
        .into_iter()
        .map(|n| {
            let when = v.stamp(n.created_at);
            (
                n.id.to_string(),
                when,
                n.title,
                n.body,
                n.link,
                n.read_at.is_some(),
            )
        })
        .collect();
    Ok(render(&NotificationsPage {
        chrome: Chrome::new(&v, "notifications"),
        items,
    }))
}

pub async fn read_notification(
    State(state): State<AppState>,
    v: Visitor,
    Path(nid): Path<String>,
) -> Result<Response, PageError> {
    require_staff(&v)?;
    let user = v.principal.username.clone();
    if let Ok(nid) = nid.parse() {
        state
            .store
            .mark_notification_read(&user, nid, state.clock.now())
            .await?;
    }
    Ok(Redirect::to("/notifikasi?ok=dibaca").into_response())
}
