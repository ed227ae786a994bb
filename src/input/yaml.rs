//! Reading reports from YAML.

use super::Parsed;

pub fn read_bytes(_bytes: &[u8]) -> Parsed {
    Parsed::default()
}
