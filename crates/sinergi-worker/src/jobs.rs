//! The kinds of jobs, one file each: a typed payload (what the `jobs.payload` column holds)
//! and what running it does. Every job is idempotent: running it twice changes nothing more.

mod daily_sweep;
mod send_email;

pub use daily_sweep::DailySweep;
pub use send_email::SendEmail;
