//! g7lint's per-card hot path, compiled: front matter (libyaml), Markdown to
//! blocks (pulldown-cmark), placeholder removal, the literal prefilter and
//! every evidence pattern (the `regex` crate, linear time), and each
//! requirement's section and statement evidence. Metadata rules, verdicts,
//! findings and every output stay in Python.

pub mod blocks;
pub mod dialect;
pub mod evidence;
pub mod literals;
pub mod patterns;
pub mod text;
pub mod yaml;

#[cfg(feature = "python")]
mod python;
