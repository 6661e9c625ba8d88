//! iCalendar (RFC 5545) in and out: busy nights from an imported `.ics`, and feeds of stays and blocks.
//!
//! (Being written: see the module's tests for the contract.)
