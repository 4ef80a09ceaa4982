#include "http_session.hpp"

#include <utility>

#include <boost/asio/dispatch.hpp>
#include <boost/asio/post.hpp>
#include <boost/beast/http/empty_body.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/write.hpp>

#include "krasip/cases/common/case_error.hpp"
#include "krasip/server/api_response.hpp"
#include "krasip/server/client_key.hpp"
#include <boost/json.hpp>
#include "krasip/server/error_mapping.hpp"
#include "krasip/server/onion_location.hpp"
#include "request_log.hpp"

#include <spdlog/spdlog.h>

#include <ctime>

namespace krasip::server {

namespace net = boost::asio;

namespace {
constexpr std::chrono::seconds kHardDeadlineSlack{5};
constexpr std::size_t kStreamChunkBytes = 64 * 1024;

bool is_api_path(std::string_view path) {
  return path.starts_with("/api/") || path == "/api" || path == "/healthz";
}

// The answer to a missing or bad proof: what was wrong, and a fresh
// challenge to solve (web/js/api.js solves it and sends the request again).
std::optional<Response> proof_refusal(cases::ProofOfWork& pow, cases::ProofOfWork::Purpose purpose,
                                      std::string_view proof, std::int64_t now) {
  using V = cases::ProofOfWork::Verdict;
  const auto verdict = pow.verify(purpose, proof, now);
  if (verdict == V::ok) return std::nullopt;
  const auto challenge = pow.issue(purpose, now);
  const bool missing = verdict == V::missing;
  const std::string message =
      missing ? "This request needs a proof of work: solve the challenge and send it in X-Krasip-Proof."
              : std::string("The proof of work was not accepted (") + cases::ProofOfWork::to_string(verdict) +
                    "); solve the new challenge.";
  boost::json::object body{
      {"error",
       {{"code", missing ? "proof_required" : "proof_invalid"},
        {"message", message},
        {"reason", cases::ProofOfWork::to_string(verdict)}}},
      {"challenge", {{"token", challenge.token}, {"bits", challenge.bits}, {"expires_in", challenge.expires - now}}}};
  auto res = json_response(verdict == V::full ? http::status::service_unavailable : http::status::precondition_required,
                           body);
  if (verdict == V::full) res.set(http::field::retry_after, "60");
  return res;
}
}  // namespace

HttpSession::HttpSession(net::ip::tcp::socket&& socket, ServerState& state)
    : stream_(std::move(socket)),
      read_deadline_(stream_.get_executor()),
      state_(state),
      slot_(state) {}

void HttpSession::start() {
  net::dispatch(stream_.get_executor(), [self = shared_from_this()] { self->read_header(); });
}

void HttpSession::reject_busy() {
  net::dispatch(stream_.get_executor(), [self = shared_from_this()] {
    self->keep_alive_ = false;
    self->started_ = std::chrono::steady_clock::now();
    self->send(error_response(http::status::service_unavailable, "server_busy",
                              "The service has too many open connections; please try again."),
               ResponseKind::api, "busy");
  });
}

void HttpSession::arm_read_deadline(std::chrono::milliseconds timeout) {
  read_timed_out_ = false;
  read_deadline_.expires_after(timeout);
  read_deadline_.async_wait([weak = weak_from_this()](beast::error_code ec) {
    if (ec) return;
    if (auto self = weak.lock()) {
      self->read_timed_out_ = true;
      beast::error_code ignored;
      self->stream_.socket().cancel(ignored);
    }
  });
  stream_.expires_after(timeout + kHardDeadlineSlack);
}

void HttpSession::read_header() {
  stream_parser_.reset();
  body_reader_.reset();
  method_ = http::verb::unknown;
  match_ = {};
  parser_.emplace();
  parser_->header_limit(static_cast<std::uint32_t>(state_.config.limits.header_limit));
  // No body limit while reading the header: Beast would refuse a large
  // Content-Length before the route is known. on_header applies the route's.
  parser_->body_limit(boost::none);
  arm_read_deadline(state_.config.limits.header_timeout);
  http::async_read_header(stream_, buffer_, *parser_,
                          [self = shared_from_this()](beast::error_code ec, std::size_t) {
                            self->read_deadline_.cancel();
                            self->on_header(ec);
                          });
}

void HttpSession::on_header(beast::error_code ec) {
  if (ec) return fail_read(ec);
  started_ = std::chrono::steady_clock::now();
  ++requests_;
  const Request& req = parser_->get();
  method_ = req.method();
  keep_alive_ = req.keep_alive() && requests_ < state_.config.limits.max_requests_per_connection;
  match_ = state_.router.match(req.method(), req.target());

  if (match_.route == nullptr) {
    // Static files, 404 and 405 need no body: answer now, and close if a
    // body follows, since it would be read as the next request.
    if (!parser_->is_done()) keep_alive_ = false;
    return dispatch();
  }
  const std::size_t limit = match_.route->body_limit != 0 ? match_.route->body_limit
                                                          : state_.config.limits.json_body_limit;
  if (const auto len = parser_->content_length(); len && *len > limit) {
    keep_alive_ = false;  // the unread body would be taken for the next request
    const auto code = match_.route->stream_handler ? "file_too_large" : "body_too_large";
    if (match_.route->error_page) {
      return send(refusal(std::make_exception_ptr(HttpError(http::status::payload_too_large, code, "too large"))),
                  route_kind(), match_.route->name);
    }
    return send(error_response(http::status::payload_too_large, "body_too_large",
                               "The request body is larger than " + std::to_string(limit) +
                                   " bytes."),
                ResponseKind::api, match_.route->name);
  }
  match_.params.set_client(client_key(req));
  // Issue 22: a proof of work where the address is unknown (Tor) or the
  // service is flooded. An unknown address is not rate limited as one
  // shared key: the proof stands in for the limit.
  bool address_known = true;
  if (match_.route->proof != nullptr) {
    // Counted even when no proof is asked (--pow-bits 0): the same meter
    // tells the intake a flood's complaints are one batch.
    match_.route->proof->attempt(match_.route->purpose, std::time(nullptr));
  }
  if (match_.route->proof != nullptr && match_.route->proof->enabled()) {
    auto& pow = *match_.route->proof;
    const auto purpose = match_.route->purpose;
    const auto now = std::time(nullptr);
    beast::error_code peer_ec;
    const auto peer = stream_.socket().remote_endpoint(peer_ec);
    address_known = peer_ec || client_address_known(peer.address(), req["X-Real-IP"], state_.config.trust_proxy);
    if (pow.required(purpose, address_known, now)) {
      if (match_.route->error_page) {
        // Without JavaScript there is nothing to compute with: the form
        // must have been open a little while instead (its one-time token
        // tells since when), longer as the flood grows.
        const auto extra = pow.difficulty(purpose, now) - pow.base_bits();
        match_.params.set_proof_wait(std::min(120, 5 << std::min(extra, 5u)));
      } else if (auto refused = proof_refusal(pow, purpose, req["X-Krasip-Proof"], now)) {
        if (!parser_->is_done()) keep_alive_ = false;
        return send(std::move(*refused), ResponseKind::api, match_.route->name);
      }
    }
  }
  if (match_.route->limiter != nullptr && address_known &&
      !match_.route->limiter->allow(match_.params.client(), std::time(nullptr))) {
    // Refused before the body is read: the unread body would be taken for the next request.
    if (!parser_->is_done()) keep_alive_ = false;
    auto res = match_.route->error_page
                   ? refusal(std::make_exception_ptr(
                         cases::CaseError(cases::ErrorCode::rate_limited, "too many requests")))
                   : error_response(http::status::too_many_requests, "rate_limited",
                                    "Too many requests from this connection; please wait a minute.");
    res.set(http::field::retry_after, "60");
    return send(std::move(res), route_kind(), match_.route->name);
  }
  parser_->body_limit(limit);
  if (match_.route->stream_handler) return start_stream();
  if (parser_->is_done()) return dispatch();
  continue_then(parser_->get(), &HttpSession::read_body);
}

void HttpSession::continue_then(const http::request_header<>& head, void (HttpSession::*next)()) {
  if (!beast::iequals(head[http::field::expect], "100-continue") || head.version() < 11) {
    return (this->*next)();
  }
  auto go_ahead = std::make_shared<http::response<http::empty_body>>(http::status::continue_, 11);
  http::async_write(stream_, *go_ahead,
                    [self = shared_from_this(), go_ahead, next](beast::error_code ec, std::size_t) {
                      if (ec) return self->close();
                      ((*self).*next)();
                    });
}

void HttpSession::start_stream() {
  try {
    body_reader_ = match_.route->stream_handler(parser_->get(), match_.params);
  } catch (...) {
    keep_alive_ = false;  // the unread body would be taken for the next request
    return send(refusal(std::current_exception()), route_kind(), match_.route->name);
  }
  if (parser_->is_done()) return complete_stream();
  // Same header, now with a body that fills a fixed buffer chunk by chunk.
  stream_parser_.emplace(std::move(*parser_));
  stream_parser_->body_limit(match_.route->body_limit);
  stream_window_ = 0;
  if (!stream_chunk_) stream_chunk_ = std::make_unique<char[]>(kStreamChunkBytes);
  continue_then(stream_parser_->get(), &HttpSession::read_stream_chunk);
}

void HttpSession::read_stream_chunk() {
  auto& body = stream_parser_->get().body();
  body.data = stream_chunk_.get();
  body.size = kStreamChunkBytes;
  body.more = true;
  // The deadline is per 64 KiB window, not per read and not per body: a
  // slow but progressing phone upload goes on, a stalled (or trickling)
  // one gets 408. Bytes are handed on as soon as they arrive, so a wrong
  // tracking code is answered before the file is sent.
  if (stream_window_ == 0) arm_read_deadline(state_.config.limits.upload_chunk_timeout);
  http::async_read_some(stream_, buffer_, *stream_parser_,
                        [self = shared_from_this()](beast::error_code ec, std::size_t) {
                          self->on_stream_chunk(ec);
                        });
}

void HttpSession::on_stream_chunk(beast::error_code ec) {
  if (ec == http::error::need_buffer) ec = {};  // the chunk buffer is full: expected
  if (ec) {
    read_deadline_.cancel();
    return fail_stream(ec);
  }
  const std::size_t got = kStreamChunkBytes - stream_parser_->get().body().size;
  stream_window_ += got;
  if (stream_window_ >= kStreamChunkBytes) stream_window_ = 0;  // next read re-arms
  if (got != 0) {
    try {
      body_reader_->on_data(std::string_view(stream_chunk_.get(), got));
    } catch (...) {
      read_deadline_.cancel();
      return refuse_stream(std::current_exception());
    }
  }
  if (stream_parser_->is_done()) {
    read_deadline_.cancel();
    return complete_stream();
  }
  read_stream_chunk();
}

void HttpSession::abort_stream() noexcept {
  if (auto reader = std::move(body_reader_)) reader->on_abort();
}

void HttpSession::fail_stream(beast::error_code ec) {
  abort_stream();
  fail_read(ec);
}

void HttpSession::refuse_stream(std::exception_ptr error) {
  abort_stream();
  keep_alive_ = false;  // the rest of the body is not read
  send(refusal(error), route_kind(), match_.route->name);
}

void HttpSession::complete_stream() {
  state_.requests_in_flight.fetch_add(1);
  Reply reply = make_reply();
  try {
    body_reader_->on_complete(reply);
  } catch (...) {
    reply(refusal(std::current_exception()));
  }
}

Reply HttpSession::make_reply() {
  const std::string& name = match_.route->name;
  auto replied = std::make_shared<std::atomic<bool>>(false);
  auto send = [self = shared_from_this(), &name, replied, kind = route_kind()](Response res) {
    if (replied->exchange(true)) return;  // a handler may answer only once
    net::post(self->stream_.get_executor(), [self, &name, kind, res = std::move(res)]() mutable {
      self->state_.requests_in_flight.fetch_sub(1);
      self->send(std::move(res), kind, name);
    });
  };
  auto stream = [self = shared_from_this(), &name, replied](StreamedResponse res) {
    if (replied->exchange(true)) return;
    net::post(self->stream_.get_executor(), [self, &name, res = std::move(res)]() mutable {
      // Still in flight until the last byte is written: a graceful stop
      // lets the download finish.
      self->send_streamed(std::move(res), name);
    });
  };
  return Reply(std::move(send), std::move(stream));
}

void HttpSession::read_body() {
  arm_read_deadline(state_.config.limits.body_timeout);
  http::async_read(stream_, buffer_, *parser_,
                   [self = shared_from_this()](beast::error_code ec, std::size_t) {
                     self->read_deadline_.cancel();
                     if (ec) return self->fail_read(ec);
                     self->dispatch();
                   });
}

void HttpSession::fail_read(beast::error_code ec) {
  keep_alive_ = false;
  if (started_ == std::chrono::steady_clock::time_point{}) started_ = std::chrono::steady_clock::now();
  const bool page = match_.route != nullptr && match_.route->error_page && (parser_ || stream_parser_);
  if (read_timed_out_ || ec == beast::error::timeout) {
    if (page) {
      return send(refusal(std::make_exception_ptr(HttpError(http::status::request_timeout, "request_timeout", "timeout"))),
                  ResponseKind::page, "timeout");
    }
    return send(error_response(http::status::request_timeout, "request_timeout",
                               "The request did not arrive in time; please send it again."),
                ResponseKind::api, "timeout");
  }
  if (ec == http::error::body_limit) {
    if (page) {
      return send(refusal(std::make_exception_ptr(HttpError(http::status::payload_too_large, "file_too_large", "too large"))),
                  ResponseKind::page, "too_large");
    }
    return send(error_response(http::status::payload_too_large, "body_too_large",
                               "The request body is too large."),
                ResponseKind::api, "too_large");
  }
  if (ec == http::error::header_limit) {
    return send(error_response(http::status::request_header_fields_too_large,
                               "headers_too_large", "The request headers are too large."),
                ResponseKind::api, "too_large");
  }
  if (ec == http::error::end_of_stream || ec == net::error::eof ||
      ec == net::error::connection_reset || ec == net::error::operation_aborted ||
      ec == http::error::partial_message) {
    return close();
  }
  send(error_response(http::status::bad_request, "bad_request", "The HTTP request is malformed."),
       ResponseKind::api, "malformed");
}

void HttpSession::dispatch() {
  const Request& req = parser_->get();
  const std::string_view path = target_path(req.target());
  if (match_.route == nullptr) {
    if (is_api_path(path)) {
      if (match_.path_known) {
        return send(error_response(http::status::method_not_allowed, "method_not_allowed",
                                   "This method is not allowed here."),
                    ResponseKind::api, "unmatched");
      }
      return send(error_response(http::status::not_found, "not_found", "No such endpoint."),
                  ResponseKind::api, "unmatched");
    }
    return serve_static();
  }

  state_.requests_in_flight.fetch_add(1);
  Reply reply = make_reply();
  try {
    match_.route->handler(req, match_.params, reply);
  } catch (...) {
    reply(refusal(std::current_exception()));
  }
}

Response HttpSession::refusal(std::exception_ptr error) const {
  if (match_.route != nullptr && match_.route->error_page) {
    try {
      return match_.route->error_page(current_header().target(), error);
    } catch (...) {
      return response_for(std::current_exception());
    }
  }
  return response_for(error);
}

const http::request_header<>& HttpSession::current_header() const {
  if (stream_parser_) return stream_parser_->get().base();
  return parser_->get().base();
}

ResponseKind HttpSession::route_kind() const {
  return match_.route != nullptr && match_.route->error_page ? ResponseKind::page : ResponseKind::api;
}

std::string HttpSession::client_key(const Request& req) {
  beast::error_code ec;
  const auto endpoint = stream_.socket().remote_endpoint(ec);
  if (ec) return {};
  return server::client_key(endpoint.address(), req["X-Real-IP"], state_.config.trust_proxy);
}

void HttpSession::serve_static() {
  const Request& req = parser_->get();
  if (req.method() != http::verb::get && req.method() != http::verb::head) {
    return send(error_response(http::status::method_not_allowed, "method_not_allowed",
                               "This method is not allowed here."),
                ResponseKind::api, "static");
  }
  const auto accept_encoding = req[http::field::accept_encoding];
  auto file = state_.static_files.find(req.target(), accept_encoding);
  Response res;
  const auto encoded = [&res](const StaticFiles::File& f) {
    if (*f.content_encoding != '\0') res.set(http::field::content_encoding, f.content_encoding);
    if (f.varies) res.set(http::field::vary, "Accept-Encoding");
  };
  if (file) {
    res = Response{http::status::ok, 11};
    res.set(http::field::content_type, file->content_type);
    encoded(*file);
    // Bundles, styles and fonts under /assets/ carry their content's hash
    // in their name (web-build/): a new version is a new name, so a phone
    // keeps them for good. The pages naming them stay no-store.
    if (target_path(req.target()).starts_with("/assets/")) {
      res.set(http::field::cache_control, "public, max-age=31536000, immutable");
    }
    res.body() = std::move(file->body);
    inline_hashes_ = std::move(file->inline_hashes);
  } else {
    res = Response{http::status::not_found, 11};
    auto page = state_.static_files.find("/404.html", accept_encoding);
    res.set(http::field::content_type, "text/html; charset=utf-8");
    if (page) encoded(*page);
    res.body() = page ? std::move(page->body) : std::string("<!doctype html><title>404</title>");
  }
  res.prepare_payload();
  if (req.method() == http::verb::head) res.body().clear();
  ResponseKind kind = target_path(req.target()).starts_with("/embed/") ? ResponseKind::embeddable_page
                                                                        : ResponseKind::page;
  if (file && !file->is_page) {
    // The widget loader is the one file agency websites load from elsewhere.
    kind = target_path(req.target()) == "/widget.js" ? ResponseKind::embeddable_script
                                                      : ResponseKind::asset;
  }
  if (kind == ResponseKind::embeddable_page && state_.embed_origins) {
    // Only the named agency's own website may frame its form (issue 11).
    frame_origins_ = state_.embed_origins(query_param(req.target(), "agency"));
  }
  send(std::move(res), kind, "static");
}

void HttpSession::send(Response res, ResponseKind kind, std::string_view route) {
  apply_security_headers(res, kind, state_.config, std::exchange(frame_origins_, std::nullopt),
                         std::exchange(inline_hashes_, {}));
  // Pages offer the same page at the onion address to Tor Browser (issue 22).
  if ((kind == ResponseKind::page || kind == ResponseKind::embeddable_page) && (parser_ || stream_parser_) &&
      !state_.config.onion_address.empty()) {
    const auto& head = stream_parser_ ? stream_parser_->get().base() : parser_->get().base();
    if (auto onion = onion_location(state_.config.onion_address, head[http::field::host], head.target())) {
      res.set("Onion-Location", *onion);
    }
  }
  if (state_.stopping.load()) keep_alive_ = false;
  res.keep_alive(keep_alive_);
  if (!res.has_content_length() && res.body().empty()) res.prepare_payload();
  log_request(route, method_, res.result_int(),
              std::chrono::steady_clock::now() - started_);
  started_ = {};
  const bool close_after = !keep_alive_;
  pending_ = std::make_shared<Response>(std::move(res));
  stream_.expires_after(state_.config.limits.write_timeout);
  http::async_write(stream_, *pending_,
                    [self = shared_from_this(), close_after](beast::error_code ec, std::size_t) {
                      self->on_write(close_after, ec);
                    });
}

void HttpSession::send_streamed(StreamedResponse res, std::string_view route) {
  apply_security_headers(res.header, ResponseKind::api, state_.config);
  if (state_.stopping.load()) keep_alive_ = false;
  log_request(route, method_, res.header.result_int(), std::chrono::steady_clock::now() - started_);
  started_ = {};
  streamed_close_ = !keep_alive_;
  streamed_source_ = std::move(res.body);
  streamed_.emplace(std::move(res.header));
  streamed_->keep_alive(keep_alive_);
  streamed_->body().data = nullptr;
  streamed_->body().size = 0;
  streamed_->body().more = true;
  streamed_writer_.emplace(*streamed_);
  stream_.expires_after(state_.config.limits.write_timeout);
  http::async_write_header(stream_, *streamed_writer_,
                           [self = shared_from_this()](beast::error_code ec, std::size_t) {
                             self->on_streamed_write(ec);
                           });
}

void HttpSession::on_streamed_write(beast::error_code ec) {
  if (ec == http::error::need_buffer) ec = {};  // the piece is written: expected
  if (ec) return end_streamed(true);
  if (streamed_writer_->is_done()) return end_streamed(false);
  auto& body = streamed_->body();
  std::optional<std::span<const std::uint8_t>> piece;
  try {
    piece = streamed_source_->next();
  } catch (const std::exception& e) {
    spdlog::error("event=download_broken detail=\"{}\"", e.what());
    return end_streamed(true);
  }
  if (piece) {
    body.data = const_cast<std::uint8_t*>(piece->data());  // only read by the writer
    body.size = piece->size();
    body.more = true;
  } else {
    body.data = nullptr;
    body.size = 0;
    body.more = false;
  }
  stream_.expires_after(state_.config.limits.write_timeout);
  http::async_write(stream_, *streamed_writer_,
                    [self = shared_from_this()](beast::error_code ec, std::size_t) {
                      self->on_streamed_write(ec);
                    });
}

void HttpSession::end_streamed(bool broken) {
  streamed_writer_.reset();
  streamed_.reset();
  streamed_source_.reset();  // wipes the last plaintext piece
  state_.requests_in_flight.fetch_sub(1);
  // A broken body cannot be finished: closing is the only honest end.
  if (broken || streamed_close_) return close();
  read_header();
}

void HttpSession::on_write(bool close_after, beast::error_code ec) {
  pending_.reset();
  if (ec || close_after) return close();
  read_header();
}

void HttpSession::close() {
  // Lingering close: stop sending, then read and discard what the client is
  // still sending (say, the rest of a refused body) for a moment, so that
  // our answer is not lost to a TCP reset.
  beast::error_code ec;
  stream_.socket().shutdown(net::ip::tcp::socket::shutdown_send, ec);
  if (ec) return;
  stream_.expires_after(std::chrono::seconds(2));
  drain();
}

void HttpSession::drain() {
  buffer_.clear();
  stream_.async_read_some(buffer_.prepare(16 * 1024),
                          [self = shared_from_this()](beast::error_code ec, std::size_t) {
                            if (!ec) self->drain();
                          });
}

}  // namespace krasip::server
