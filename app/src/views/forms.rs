//! What a refused plain form post leaves for its page: the fields as they were typed, shown again once.

use serde::{Deserialize, Serialize};

/// The session key of the last refused form.
pub const REFILL_KEY: &str = "form_refill";

/// A refused form's fields (passwords and tokens never kept), for the server function at `function`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Refill {
    pub function: String,
    pub fields: Vec<(String, String)>,
}

impl Refill {
    /// The value typed into `name`, or nothing.
    pub fn get(&self, name: &str) -> String {
        self.fields.iter().find(|(n, _)| n == name).map(|(_, v)| v.clone()).unwrap_or_default()
    }

    /// The value typed into `name`, or `default` when the form was not refused.
    pub fn get_or(&self, name: &str, default: &str) -> String {
        if self.fields.is_empty() { default.to_owned() } else { self.get(name) }
    }
}
