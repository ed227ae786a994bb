use super::Source;

pub(crate) fn read(_bytes: &[u8]) -> Result<Source, String> {
    Err("尚未实现".into())
}
