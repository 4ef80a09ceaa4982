#pragma once
#include <boost/beast/http/message.hpp>
#include <boost/beast/http/string_body.hpp>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <stdexcept>
#include <type_traits>
#include <utility>

namespace krasip::server {

namespace http = boost::beast::http;
using Request = http::request<http::string_body>;
using Response = http::response<http::string_body>;

// A body produced piece by piece while it is sent (evidence downloads), so
// that it is never held whole in memory. Called on the connection's strand.
class ChunkSource {
 public:
  virtual ~ChunkSource() = default;
  // The next bytes, valid until the next call; nullopt at the end. Throwing
  // closes the connection where it stands: the client sees a body shorter
  // than its Content-Length, never a byte that did not check out.
  virtual std::optional<std::span<const std::uint8_t>> next() = 0;
};

struct StreamedResponse {
  http::response_header<> header;  // with Content-Length set
  std::shared_ptr<ChunkSource> body;
};

// Sends the answer to a request. Safe to call from any thread, exactly once
// (either form).
class Reply {
 public:
  using Send = std::function<void(Response)>;
  using Stream = std::function<void(StreamedResponse)>;

  template <class F>
    requires(!std::is_same_v<std::remove_cvref_t<F>, Reply> && std::is_invocable_v<F&, Response>)
  Reply(F send) : send_(std::move(send)) {}  // NOLINT: a plain callback is a Reply
  Reply(Send send, Stream stream) : send_(std::move(send)), stream_(std::move(stream)) {}

  void operator()(Response res) const { send_(std::move(res)); }
  // Only connections can stream; a Reply made from a plain callback cannot.
  void stream(StreamedResponse res) const {
    if (!stream_) throw std::logic_error("this reply cannot stream");
    stream_(std::move(res));
  }

 private:
  Send send_;
  Stream stream_;
};

}  // namespace krasip::server
