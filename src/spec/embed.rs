//! Where every document xxgk writes keeps the report's data (see `render::embed`, which writes
//! it, and `input::published`, which reads it back): the names both sides agree on.

/// The embedded file's name (PDF, OFD).
pub const FILE_NAME: &str = "xxgk-report.yaml";
/// The data's media type.
pub const MEDIA_TYPE: &str = "application/yaml";
/// The `id` of the web page's data block.
pub const HTML_ID: &str = "xxgk-data";
/// The namespace of the Word custom XML part's root element.
pub const DOCX_NS: &str = "urn:xxgk:report:1";
