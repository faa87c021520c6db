# syntax=docker/dockerfile:1
# A small image with backchannel and a shell, for the Kubernetes example
# (examples/cluster/k8s). Build it from the repository's root and tag it
# with the version, not :latest:
#
#   docker build -t registry.example.com/backchannel:0.1.0 .
#   docker push registry.example.com/backchannel:0.1.0
#
# Reviewed, never built on the development machine (it has no Docker
# engine and no route to Docker Hub); tests/cluster_examples.rs checks it
# against Cargo.toml and the Kubernetes files.
#
# Base images are pinned by digest, so a rebuild gets the same bits until
# the digests are changed here on purpose. The digests are those the tags
# pointed to when they were pinned (taken from published uses of the tags,
# not pulled here); to move to a newer build of the same tag:
#   docker buildx imagetools inspect rust:1.95-slim-trixie   # Digest: sha256:...
#   docker buildx imagetools inspect debian:trixie-slim

# Build: the Rust toolchain the crate requires (rust-version in Cargo.toml).
# The registry and target folders are BuildKit cache mounts, as Docker's
# guide to Rust images does: a rebuild after a source change downloads and
# compiles no dependency again. The binary is stripped (the release
# profile keeps line tables for profiling; the image needs none).
FROM rust:1.95-slim-trixie@sha256:28846ec5a6bcfcddb93f403ba7071bd579787852b2f2ac3839965620e8bd9456 AS build
WORKDIR /src
COPY . .
RUN --mount=type=cache,target=/usr/local/cargo/registry \
    --mount=type=cache,target=/src/target \
    CARGO_PROFILE_RELEASE_STRIP=symbols cargo build --release --locked --bin backchannel \
    && install -m 755 target/release/backchannel /usr/local/bin/backchannel

# Run: Debian slim (the same Debian release as the build image, so the same
# glibc), which has sh, seq and tar (kubectl cp needs tar), as an
# unprivileged user: the Kubernetes files run their pods as this user and
# group, which the "restricted" Pod Security Standard requires.
FROM debian:trixie-slim@sha256:a29215f6a35e51e22adffa17f89e9d2ef06214e64a2bad10d765c46aea49f11f
COPY --from=build /usr/local/bin/backchannel /usr/local/bin/backchannel
RUN backchannel --version && install -d -o 65532 -g 65532 /results
USER 65532:65532
WORKDIR /results
CMD ["backchannel", "--help"]
