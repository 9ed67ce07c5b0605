//! The Arabic text layer of Marsad: pure functions over `&str`, no I/O.
//!
//! (Module docs to be completed by the text-layer work.)

pub mod analyze;
pub mod calendar;
