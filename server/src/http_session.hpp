#pragma once
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/buffer_body.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/serializer.hpp>
#include <chrono>
#include <memory>
#include <optional>

#include "krasip/server/security_headers.hpp"
#include "server_state.hpp"

namespace krasip::server {

namespace beast = boost::beast;

// One HTTP/1.1 connection. Owns its state through shared_from_this; every
// read and write has a deadline (tcp_stream::expires_after) and every body
// a size limit chosen by the route before the body is read.
class HttpSession : public std::enable_shared_from_this<HttpSession> {
 public:
  HttpSession(boost::asio::ip::tcp::socket&& socket, ServerState& state);
  void start();
  // Answers 503 and closes: used when the connection cap is reached.
  void reject_busy();

 private:
  void arm_read_deadline(std::chrono::milliseconds timeout);
  void read_header();
  void on_header(beast::error_code ec);
  void read_body();
  // "Expect: 100-continue": the client waits for a go-ahead before sending
  // the body (curl does, for large uploads). Sent only once the header has
  // been accepted, so a refused request costs the client no upload.
  void continue_then(const http::request_header<>& head, void (HttpSession::*next)());
  void on_body(beast::error_code ec);
  void dispatch();
  Reply make_reply();
  // Streaming routes (uploads): the body is read chunk by chunk into a
  // fixed buffer and handed to the route's BodyReader.
  void start_stream();
  void read_stream_chunk();
  void on_stream_chunk(beast::error_code ec);
  void fail_stream(beast::error_code ec);
  void refuse_stream(std::exception_ptr error);
  void complete_stream();
  void abort_stream() noexcept;
  void serve_static();
  // A refusal as the matched route answers it: its error page (a page for
  // people) or the JSON error of the API.
  Response refusal(std::exception_ptr error) const;
  ResponseKind route_kind() const;
  // The header of the request being answered (buffered or streamed).
  const http::request_header<>& current_header() const;
  // The address rate limits are keyed on; never logged or stored.
  std::string client_key(const Request& req);
  void fail_read(beast::error_code ec);
  void send(Response res, ResponseKind kind, std::string_view route);
  // A body from a ChunkSource: each piece is written (under the write
  // timeout) before the next is asked for, so one piece is held at a time.
  void send_streamed(StreamedResponse res, std::string_view route);
  void on_streamed_write(beast::error_code ec);
  void end_streamed(bool broken);
  void on_write(bool close, beast::error_code ec);
  void close();
  void drain();

  beast::tcp_stream stream_;
  beast::flat_buffer buffer_;
  // Soft deadline: cancels a slow read so the client still gets a 408 JSON
  // answer. The tcp_stream deadline a little later is the hard backstop.
  boost::asio::steady_timer read_deadline_;
  bool read_timed_out_ = false;
  ServerState& state_;
  ConnectionSlot slot_;
  std::optional<http::request_parser<http::string_body>> parser_;
  std::optional<http::request_parser<http::buffer_body>> stream_parser_;
  std::shared_ptr<BodyReader> body_reader_;
  std::unique_ptr<char[]> stream_chunk_;
  std::size_t stream_window_ = 0;  // bytes since the per-window deadline was armed
  http::verb method_ = http::verb::unknown;
  RouteMatch match_;
  std::shared_ptr<Response> pending_;
  // frame-ancestors of the embedded page being sent (set by serve_static).
  std::optional<std::optional<std::vector<std::string>>> frame_origins_;
  // The page's inline scripts and styles by hash (static pages only).
  InlineHashes inline_hashes_;
  std::optional<http::response<http::buffer_body>> streamed_;
  std::optional<http::response_serializer<http::buffer_body>> streamed_writer_;
  std::shared_ptr<ChunkSource> streamed_source_;
  bool streamed_close_ = false;
  std::chrono::steady_clock::time_point started_;
  std::size_t requests_ = 0;
  bool keep_alive_ = false;
};

}  // namespace krasip::server
