//! A bare axum "hello" server: the throughput baseline of the web benchmarks
//! (`bench/web.sh`). Usage: `hello 127.0.0.1:PORT`.

#[tokio::main]
async fn main() -> std::io::Result<()> {
    let addr = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "127.0.0.1:18300".to_owned());
    let app = axum::Router::new().route("/", axum::routing::get(|| async { "hello" }));
    let listener = tokio::net::TcpListener::bind(addr).await?;
    axum::serve(listener, app).await
}
