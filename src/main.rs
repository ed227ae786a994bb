fn main() {
    std::process::exit(xxgk::cli::run(std::env::args_os()));
}
