//! Writing downloads below a chosen directory.

#[doc(hidden)]
pub mod race;
