#pragma once
#include <cstddef>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

namespace krasip::server {

// The boundary of a "multipart/form-data; boundary=..." Content-Type, or
// nullopt if the type is something else or the boundary is invalid.
std::optional<std::string> multipart_boundary(std::string_view content_type);

// One part's headers, as far as form uploads need them.
struct PartHeaders {
  std::string name;                     // Content-Disposition name=
  std::optional<std::string> filename;  // Content-Disposition filename=
  std::string content_type;             // as the client claims it (never trusted)
};

// An incremental multipart/form-data parser (RFC 7578): bytes go in as they
// arrive, in chunks of any size; part data comes out through callbacks
// without the whole body ever being held. Memory is bounded by the part
// header limit plus the boundary length. Callbacks may throw to stop.
class MultipartParser {
 public:
  enum class Error {
    none,
    malformed,            // not multipart framing, or bad part headers
    header_too_large,     // one part's headers beyond the limit
    too_many_parts,
    missing_final_boundary,  // the body ended inside a part
  };

  struct Callbacks {
    std::function<void(const PartHeaders&)> on_part_begin;
    std::function<void(std::string_view)> on_part_data;
    std::function<void()> on_part_end;
  };

  MultipartParser(std::string boundary, Callbacks callbacks, std::size_t max_header_bytes = 4096,
                  std::size_t max_parts = 8);
  MultipartParser(const MultipartParser&) = delete;
  MultipartParser& operator=(const MultipartParser&) = delete;
  ~MultipartParser();

  // Returns the first error met (and keeps returning it); Error::none otherwise.
  Error feed(std::string_view bytes);
  // The body has ended: Error::missing_final_boundary unless the closing
  // delimiter was seen.
  Error finish();
  bool done() const { return state_ == State::epilogue; }

 private:
  enum class State { preamble, after_delimiter, headers, body, epilogue, failed };
  Error fail(Error e);
  bool parse_headers(std::string_view block, PartHeaders& out);

  std::string delimiter_;  // "\r\n--" + boundary
  Callbacks cb_;
  std::size_t max_header_bytes_;
  std::size_t max_parts_;
  std::size_t parts_ = 0;
  State state_ = State::preamble;
  Error error_ = Error::none;
  std::string buf_;  // unconsumed bytes (bounded)
};

const char* to_string(MultipartParser::Error e);

}  // namespace krasip::server
