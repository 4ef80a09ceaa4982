#pragma once
#include <chrono>
#include <cstdint>
#include <functional>
#include <cstddef>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace krasip::server {

// Every limit the HTTP layer enforces; each is answered with a JSON error.
struct ServerLimits {
  std::size_t header_limit = 8 * 1024;        // 431 headers_too_large
  std::size_t json_body_limit = 256 * 1024;   // 413 body_too_large
  std::chrono::milliseconds header_timeout{15000};  // idle keep-alive and slow headers: 408
  std::chrono::milliseconds body_timeout{30000};    // whole body after the header: 408
  std::chrono::milliseconds write_timeout{30000};
  // Streaming uploads: each 64 KiB of body must arrive within this (a slow
  // but moving phone upload goes on; a stalled one gets 408).
  std::chrono::milliseconds upload_chunk_timeout{30000};
  std::size_t max_connections = 4096;          // beyond: 503 server_busy, then close
  std::size_t max_requests_per_connection = 1000;
};

struct ServerConfig {
  std::string host = "127.0.0.1";
  unsigned short port = 8080;
  unsigned threads = 0;  // 0 = one per core
  std::filesystem::path web_root;
  ServerLimits limits;
  // Origins allowed to frame Krasip's pages (the agency website), for the
  // CSP frame-ancestors directive. 'self' is always allowed.
  std::vector<std::string> frame_ancestors;
  bool behind_tls = false;  // adds HSTS and Secure cookies
  // Take the client address for rate limiting from X-Real-IP (set by the
  // TLS proxy in front). The address is only ever hashed in memory.
  bool trust_proxy = false;
  // The service's v3 onion address ("<56 base32 characters>.onion"), when a
  // Tor onion service leads to the same nginx (deploy/tor-krasip.conf):
  // pages then carry Onion-Location, so Tor Browser offers it. Empty: none.
  std::string onion_address;
  // When the counts of reporter routes are written to the log and published
  // to the metrics: at 00:00 Bangkok by `day_clock` (the service's clock,
  // which tests move), the roll everything else reporter-side follows; or,
  // with `counts_every` set (--counts-roll-seconds), every such period.
  std::function<std::int64_t()> day_clock;
  std::optional<std::chrono::seconds> counts_every;
};

}  // namespace krasip::server
