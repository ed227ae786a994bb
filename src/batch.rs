//! `xxgk batch`: every report under a folder, validated, rendered, summed.

use crate::cli::BatchArgs;

pub fn run(_a: &BatchArgs) -> i32 {
    eprintln!("批量处理尚未实现");
    crate::cli::EXIT_USAGE
}
