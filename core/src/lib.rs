//! g7lint's per-card hot path, compiled: Markdown to blocks, placeholder
//! removal and policy-pattern matching. The rules, their verdicts and every
//! output stay in Python; this crate only reads text fast and in linear time.

pub mod blocks;
pub mod text;
pub mod dialect;
pub mod evidence;
pub mod literals;
pub mod patterns;

#[cfg(feature = "python")]
mod python;
pub mod yaml;
