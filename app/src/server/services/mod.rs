//! Services: one function per use case, owning its transaction. Server functions call these and nothing below.

pub mod directory;
