// The static Linux builds allocate with mimalloc: musl's own allocator made batch markedly
// slower (see Cargo.toml).
#[cfg(target_env = "musl")]
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    std::process::exit(xxgk::cli::run(std::env::args_os()));
}
