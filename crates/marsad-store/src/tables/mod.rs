//! Typed rows of the tables the engine derives, one module per table
//! family, each with the SQL of its own tables only (modules here never
//! use one another).
//!
//! The engine computes; these modules store and read plain values —
//! strings, numbers, JSON text the engine encoded — so the store stays
//! free of every crate that understands text. The schema of every table is
//! in [`crate::migrations`].
//!
//! This is where the engine's SQL moves, table family by table family; the
//! per-document analysis tables came first, then the graph's. The other
//! corpus views' tables are still written by the engine's refresh modules
//! through [`crate::Store::db`].

pub mod analyses;
pub mod graph;
