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
  explicit Connection(unsigned short port);
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

}  // namespace krasip::test
