# gongkai in a container: built with the Rust toolchain, run on Debian slim. The data
# directory (/data) holds the search index (and, on SQLite, the database and files).
# Not needed for the README's two commands; see docs/DEPLOY.md.
FROM rust:1-bookworm AS build
WORKDIR /src
COPY . .
RUN cargo build --release --locked -p gongkai

FROM debian:bookworm-slim
# postgresql-client: pg_dump and pg_restore for `gongkai backup` / `restore` on PostgreSQL.
RUN apt-get update && apt-get install -y --no-install-recommends ca-certificates postgresql-client \
    && rm -rf /var/lib/apt/lists/* \
    && useradd --system --home-dir /data --create-home gongkai
COPY --from=build /src/target/release/gongkai /usr/local/bin/gongkai
USER gongkai
WORKDIR /data
ENV GONGKAI__DATA_DIR=/data GONGKAI__ADDR=0.0.0.0:8080 GONGKAI__LOG_FORMAT=json
EXPOSE 8080
HEALTHCHECK --interval=10s --timeout=3s CMD ["/bin/sh", "-c", "exec 3<>/dev/tcp/127.0.0.1/8080 && printf 'GET /readyz HTTP/1.0\\r\\n\\r\\n' >&3 && grep -q ' 200 ' <&3"]
ENTRYPOINT ["gongkai"]
CMD ["serve"]
