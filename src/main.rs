fn main() {
    std::process::exit(ecsimg::cli::main());
}
