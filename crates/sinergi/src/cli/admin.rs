//! `sinergi admin …` (accounts and tokens) and `sinergi audit verify`.

use super::DbArgs;
use clap::Subcommand;
use sinergi_domain::access::{Actor, Role};
use sinergi_domain::clock::Clock;
use sinergi_store::{NewUser, Store};
use std::process::ExitCode;

#[derive(Debug, Subcommand)]
pub enum AdminCommand {
    /// Create a user account.
    CreateUser {
        #[arg(long)]
        username: String,
        #[arg(long)]
        password: String,
        /// Region code (e.g. 62, 51.71); omit for a Kemendagri account.
        #[arg(long)]
        region: Option<String>,
        /// Role (repeatable): admin, tkksd_chair, tkksd_member, opd_initiator,
        /// opd_implementer, kepala_daerah, kepala_daerah_staff, authorized_official, dprd,
        /// pembina, kemendagri.
        #[arg(long = "role", required = true)]
        roles: Vec<String>,
        #[arg(long, default_value = "")]
        display_name: String,
        /// The OPD, for OPD roles.
        #[arg(long)]
        unit: Option<String>,
        #[arg(long)]
        email: Option<String>,
        /// The official record (id) this account belongs to: a kepala daerah's own account,
        /// the only one that signs electronically as that official.
        #[arg(long)]
        official: Option<String>,
        #[command(flatten)]
        db: DbArgs,
    },
    /// Create an API token for a user; the token is printed on the last line.
    CreateToken {
        #[arg(long)]
        username: String,
        #[arg(long)]
        name: String,
        /// Scopes (repeatable): read, write. Default: both.
        #[arg(long = "scope")]
        scopes: Vec<String>,
        #[command(flatten)]
        db: DbArgs,
    },
    /// List a user's API tokens.
    ListTokens {
        #[arg(long)]
        username: String,
        #[command(flatten)]
        db: DbArgs,
    },
    /// Revoke a user's API token by name.
    RevokeToken {
        #[arg(long)]
        username: String,
        #[arg(long)]
        name: String,
        #[command(flatten)]
        db: DbArgs,
    },
    /// Unlink an account from its single sign-on identity (its sessions end); the next SSO
    /// sign-in links by user name again.
    UnlinkSso {
        #[arg(long)]
        username: String,
        #[command(flatten)]
        db: DbArgs,
    },
    /// List users (of one region).
    ListUsers {
        #[arg(long)]
        region: Option<String>,
        #[command(flatten)]
        db: DbArgs,
    },
    /// Print the permission table as Markdown (docs/permissions.md is generated from it).
    Permissions,
}

#[derive(Debug, Subcommand)]
pub enum AuditCommand {
    /// Recompute the audit log's hash chain; exit 1 naming the first altered entry.
    Verify {
        #[command(flatten)]
        db: DbArgs,
    },
}

impl AdminCommand {
    pub fn db(&self) -> Option<&DbArgs> {
        match self {
            Self::CreateUser { db, .. }
            | Self::CreateToken { db, .. }
            | Self::ListTokens { db, .. }
            | Self::RevokeToken { db, .. }
            | Self::UnlinkSso { db, .. }
            | Self::ListUsers { db, .. } => Some(db),
            Self::Permissions => None,
        }
    }
}

fn cli_actor() -> Actor {
    let who = std::env::var("USER").unwrap_or_else(|_| "cli".to_owned());
    Actor::system(&format!("cli:{who}"))
}

async fn user(store: &Store, username: &str) -> anyhow::Result<sinergi_store::User> {
    store.user_by_name(username).await?.ok_or_else(|| {
        anyhow::anyhow!("pengguna \"{username}\" tidak ditemukan (user \"{username}\" not found)")
    })
}

fn domain_message(e: &sinergi_store::StoreError) -> String {
    match e {
        sinergi_store::StoreError::Domain(d) => {
            let mut s = d.message(sinergi_domain::Lang::Id);
            for f in d.fields() {
                s.push_str(&format!("\n  {}: {}", f.field, f.message_id));
            }
            s
        }
        other => other.to_string(),
    }
}

/// Runs an admin command.
///
/// # Errors
/// Refusals (printed in Indonesian) and database errors.
pub async fn run(
    cmd: &AdminCommand,
    store: Option<Store>,
    policy: &sinergi_store::LoginPolicy,
    clock: &dyn Clock,
) -> anyhow::Result<ExitCode> {
    if let AdminCommand::Permissions = cmd {
        print!("{}", permissions_markdown());
        return Ok(ExitCode::SUCCESS);
    }
    let store = store.ok_or_else(|| anyhow::anyhow!("no database"))?;
    let now = clock.now();
    let out = match cmd {
        AdminCommand::CreateUser {
            username,
            password,
            region,
            roles,
            display_name,
            unit,
            email,
            official,
            ..
        } => {
            let official = official
                .as_deref()
                .map(|o| {
                    o.trim()
                        .parse::<sinergi_domain::ids::OfficialId>()
                        .map_err(|_| anyhow::anyhow!("--official: bukan id pejabat (UUID): {o}"))
                })
                .transpose()?;
            let roles = roles
                .iter()
                .map(|r| Role::parse(r))
                .collect::<Result<Vec<_>, _>>()
                .map_err(|e| anyhow::anyhow!(e.message(sinergi_domain::Lang::Id)))?;
            let input = NewUser {
                username: username.clone(),
                display_name: display_name.clone(),
                password: Some(password.clone()),
                email: email.clone(),
                region: region.clone(),
                unit: unit.clone(),
                roles,
                language: None,
                official,
            };
            match store.create_user(&input, policy, &cli_actor(), now).await {
                Ok(u) => {
                    println!(
                        "Pengguna {} dibuat: wilayah {}, peran {}.",
                        u.username,
                        u.region.as_deref().unwrap_or("nasional"),
                        u.roles
                            .iter()
                            .map(|r| r.as_str())
                            .collect::<Vec<_>>()
                            .join(", ")
                    );
                    println!("{}", u.id);
                    ExitCode::SUCCESS
                }
                Err(e) => {
                    eprintln!("Gagal membuat pengguna: {}", domain_message(&e));
                    ExitCode::from(2)
                }
            }
        }
        AdminCommand::CreateToken {
            username,
            name,
            scopes,
            ..
        } => {
            let u = user(&store, username).await?;
            match store
                .create_token(u.id, name, scopes, &cli_actor(), now)
                .await
            {
                Ok((info, secret)) => {
                    println!(
                        "Token \"{}\" untuk {} dibuat (cakupan: {}). Simpan sekarang; token tidak ditampilkan lagi:",
                        info.name,
                        u.username,
                        info.scopes.join(", ")
                    );
                    println!("{secret}");
                    ExitCode::SUCCESS
                }
                Err(e) => {
                    eprintln!("Gagal membuat token: {}", domain_message(&e));
                    ExitCode::from(2)
                }
            }
        }
        AdminCommand::ListTokens { username, .. } => {
            let u = user(&store, username).await?;
            for t in store.list_tokens(u.id).await? {
                println!(
                    "{}\t{}…\t{}\t{}\t{}",
                    t.name,
                    t.prefix,
                    t.scopes.join(","),
                    t.created_at,
                    if t.revoked_at.is_some() {
                        "dicabut"
                    } else {
                        "aktif"
                    }
                );
            }
            ExitCode::SUCCESS
        }
        AdminCommand::RevokeToken { username, name, .. } => {
            let u = user(&store, username).await?;
            match store.revoke_token(u.id, name, &cli_actor(), now).await {
                Ok(t) => {
                    println!("Token \"{}\" milik {} dicabut.", t.name, u.username);
                    ExitCode::SUCCESS
                }
                Err(e) => {
                    eprintln!("Gagal mencabut token: {}", domain_message(&e));
                    ExitCode::from(2)
                }
            }
        }
        AdminCommand::UnlinkSso { username, .. } => {
            let u = user(&store, username).await?;
            match store.unlink_oidc(u.id, &cli_actor(), now).await {
                Ok(issuer) => {
                    println!(
                        "Akun {} dilepas dari identitas SSO ({issuer}); semua sesinya berakhir.",
                        u.username
                    );
                    ExitCode::SUCCESS
                }
                Err(e) => {
                    eprintln!("Gagal melepas tautan SSO: {}", domain_message(&e));
                    ExitCode::from(2)
                }
            }
        }
        AdminCommand::ListUsers { region, .. } => {
            for u in store.list_users(region.as_deref()).await? {
                println!(
                    "{}\t{}\t{}\t{}",
                    u.username,
                    u.region.as_deref().unwrap_or("-"),
                    u.roles
                        .iter()
                        .map(|r| r.as_str())
                        .collect::<Vec<_>>()
                        .join(","),
                    u.display_name
                );
            }
            ExitCode::SUCCESS
        }
        AdminCommand::Permissions => ExitCode::SUCCESS,
    };
    store.close().await;
    Ok(out)
}

/// Verifies the audit chain.
///
/// # Errors
/// Database errors.
pub async fn verify(store: Store) -> anyhow::Result<ExitCode> {
    let result = store.verify_audit().await?;
    store.close().await;
    Ok(match result {
        Ok(n) => {
            println!("Rantai audit utuh: {n} entri diperiksa (audit chain intact: {n} entries).");
            ExitCode::SUCCESS
        }
        Err(b) => {
            eprintln!("RANTAI AUDIT RUSAK: {b}");
            ExitCode::FAILURE
        }
    })
}

/// The permission table as Markdown.
#[must_use]
pub fn permissions_markdown() -> String {
    use sinergi_domain::access::{Perm, Relation, granted};
    let mut s = String::from(
        "| Izin (permission) | Peran (role) | Sendiri (own) | Mitra (partner) | Pengawas (supervised) | Tidak terkait (unrelated) |\n|---|---|---|---|---|---|\n",
    );
    for p in Perm::ALL {
        for r in Role::ALL {
            let cells: Vec<&str> = Relation::ALL
                .iter()
                .map(|&rel| if granted(p, r, rel) { "✔" } else { "–" })
                .collect();
            if cells.iter().all(|c| *c == "–") {
                continue;
            }
            s.push_str(&format!(
                "| `{}` | `{}` | {} |\n",
                p.as_str(),
                r.as_str(),
                cells.join(" | ")
            ));
        }
    }
    s
}
