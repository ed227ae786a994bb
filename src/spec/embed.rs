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
/// PDF/A-1's place for it (embedded files are forbidden there): an XMP property, declared by an
/// extension schema as PDF/A requires, whose value is the data in base64.
pub const XMP_NS: &str = "urn:xxgk:xmp:report:1/";
pub const XMP_PREFIX: &str = "xxgk";
pub const XMP_PROPERTY: &str = "report";
