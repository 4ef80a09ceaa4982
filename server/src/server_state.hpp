#pragma once
#include <atomic>
#include <cstddef>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "krasip/server/router.hpp"
#include "krasip/server/server_config.hpp"
#include "krasip/server/static_files.hpp"

namespace krasip::server {

// What every session shares; lives as long as the HttpServer.
struct ServerState {
  const ServerConfig& config;
  const Router& router;
  const StaticFiles& static_files;
  std::atomic<std::size_t> connections{0};
  std::atomic<std::size_t> requests_in_flight{0};
  std::atomic<bool> stopping{false};
  // Who may frame /embed/ pages of the agency a slug names (issue 11);
  // unset: config.frame_ancestors for every page.
  std::function<std::optional<std::vector<std::string>>(std::string_view slug)> embed_origins;
};

// Counts one open connection for as long as it lives.
class ConnectionSlot {
 public:
  explicit ConnectionSlot(ServerState& s) : state_(&s) { state_->connections.fetch_add(1); }
  ConnectionSlot(const ConnectionSlot&) = delete;
  ConnectionSlot& operator=(const ConnectionSlot&) = delete;
  ~ConnectionSlot() { state_->connections.fetch_sub(1); }

 private:
  ServerState* state_;
};

}  // namespace krasip::server
