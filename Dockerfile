# A small image with backchannel and a shell, for the Kubernetes example
# (examples/cluster/k8s). Build it from the repository's root and tag it
# with the version, not :latest:
#
#   docker build -t registry.example.com/backchannel:0.1.0 .
#   docker push registry.example.com/backchannel:0.1.0
#
# Reviewed, never built on the development machine (it has no Docker
# engine); tests/cluster_examples.rs checks it against Cargo.toml and the
# Kubernetes files.
#
# Build: the Rust toolchain the crate requires (rust-version in Cargo.toml).
FROM rust:1.95-slim-trixie AS build
WORKDIR /src
COPY . .
RUN cargo build --release --locked \
    && install -m 755 target/release/backchannel /usr/local/bin/backchannel

# Run: Debian slim (the same Debian release as the build image, so the same
# glibc), which has sh, seq and tar (kubectl cp needs tar).
FROM debian:trixie-slim
COPY --from=build /usr/local/bin/backchannel /usr/local/bin/backchannel
RUN backchannel --version
WORKDIR /results
CMD ["backchannel", "--help"]
