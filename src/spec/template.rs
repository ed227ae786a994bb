//! The placeholders the blank templates carry. The templates write them; the validator warns
//! (rule PLACEHOLDER) when a report still holds them, so they are defined here, once.

/// The sample body name of the YAML template.
pub const PLACEHOLDER_BODY: &str = "某某市某某局";
/// The start of every placeholder text of the YAML template (`（文字描述：…）`).
pub const PLACEHOLDER_TEXT: &str = "（文字描述";
