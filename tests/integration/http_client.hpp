#pragma once
#include <chrono>
#include <map>
#include <string>
#include <string_view>

namespace krasip::test {

struct HttpResult {
  int status = 0;
  std::map<std::string, std::string> headers;  // lower-case names
  std::string body;
  std::string header(const std::string& name) const;
};

// A deliberately small blocking HTTP/1.1 client over POSIX sockets, so tests
// can also send what a well-behaved client library never would (broken
// bytes, half requests, slow trickles).
class Connection {
 public:
  // `source`: the local IPv4 address to connect from (e.g. "127.0.0.2",
  // any of 127.0.0.0/8 works on Linux), so tests can be several clients.
  explicit Connection(unsigned short port, const std::string& source = {});
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;
  ~Connection();
  // Returns false if the peer has closed.
  bool send(std::string_view bytes);
  // Reads one response (Content-Length framed), or status 0 on EOF/timeout.
  HttpResult read_response(std::chrono::milliseconds timeout = std::chrono::seconds(10));
  bool closed_by_peer(std::chrono::milliseconds timeout);

 private:
  int fd_ = -1;
  std::string pending_;
};

HttpResult request(unsigned short port, std::string_view method, std::string_view target,
                   std::string_view body = {}, std::string_view content_type = "application/json",
                   std::string_view extra_headers = {});

HttpResult post_json(unsigned short port, std::string_view target, std::string_view json);

// The same, connecting from the local address `source`.
HttpResult request_from(const std::string& source, unsigned short port, std::string_view method,
                        std::string_view target, std::string_view body = {},
                        std::string_view content_type = "application/json",
                        std::string_view extra_headers = {});
HttpResult post_json_from(const std::string& source, unsigned short port, std::string_view target,
                          std::string_view json);

}  // namespace krasip::test
