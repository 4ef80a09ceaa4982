#pragma once
#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "krasip/server/router.hpp"
#include "krasip/server/server_config.hpp"

namespace krasip::server {

// The Beast/Asio server: a thread pool sized to the machine, one strand per
// connection, graceful shutdown on SIGTERM/SIGINT (stop accepting, let the
// requests in flight answer, then stop).
class HttpServer {
 public:
  HttpServer(ServerConfig config, Router router);
  ~HttpServer();
  HttpServer(const HttpServer&) = delete;
  HttpServer& operator=(const HttpServer&) = delete;

  // Also answers GET /metrics on its own address with `render`'s text
  // (Prometheus format). Call before listen().
  void serve_metrics(const std::string& host, unsigned short port, std::function<std::string()> render);
  // Who may frame the /embed/ pages of the agency `?agency=` names (issue
  // 11): its origins, or nullopt for none. Call before listen().
  void set_embed_origins(std::function<std::optional<std::vector<std::string>>(std::string_view)> resolve);
  // Binds and listens; returns the port (useful with port 0).
  unsigned short listen();
  // The metrics port once listening (0: none).
  unsigned short metrics_port() const;
  // Serves until a stop signal or request_stop(); returns when drained.
  void run();
  void request_stop();
  // Runs `task` every `interval` on the server's threads until it stops
  // (housekeeping such as ending expired sessions). Call before run().
  void every(std::chrono::milliseconds interval, std::function<void()> task);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace krasip::server
