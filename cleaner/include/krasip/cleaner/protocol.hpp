#pragma once
// The framing between krasipd and krasip-cleaner, on the helper's stdin and
// stdout: one request, one response, then the helper exits. Every length is
// checked against a limit before anything is allocated, on both sides.
//
// Request:  "KRC1" | kind (u8) | mime length (u16) | mime | length (u64) | bytes
// Response: "KRC1" | mime length (u16) | mime (libmagic's answer)
//           | flags (u8: 1 cleaned, 2 the type has a cleaner)
//           | removed count (u16) | each: length (u16) | text
//           | reason length (u16) | reason | length (u64) | bytes
// Integers are little endian.
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace krasip::cleaner {

inline constexpr std::string_view kProtocolMagic = "KRC1";

enum class Kind : std::uint8_t {
  sniff = 1,        // the MIME type of the first 64 KiB, and whether it has a cleaner
  sniff_clean = 2,  // the same, then the file cleaned as the request's mime (or the sniffed one)
};

// The helper's exit status when it answers no file: it ran out of memory
// (RLIMIT_AS), or a cleaner found the file would unpack past a named cap.
inline constexpr int kExitOutOfMemory = 3;
inline constexpr int kExitOverLimit = 4;

inline constexpr std::size_t kMaxMimeBytes = 255;
inline constexpr std::size_t kMaxRemovedItems = 32;
inline constexpr std::size_t kMaxRemovedBytes = 200;
inline constexpr std::size_t kMaxReasonBytes = 1000;

struct RequestHeader {
  Kind kind = Kind::sniff;
  std::string mime;  // sniff_clean: the type to clean as (empty: the sniffed one)
  std::uint64_t length = 0;
};

struct ResponseHeader {
  std::string mime;
  bool cleaned = false;
  bool has_cleaner = false;
  std::vector<std::string> removed;
  std::string not_cleaned_reason;
  std::uint64_t length = 0;  // bytes that follow
};

std::vector<std::uint8_t> encode(const RequestHeader& h);
std::vector<std::uint8_t> encode(const ResponseHeader& h);

// Parses a header from the front of `data`. nullopt: more bytes are needed.
// Throws ProtocolError if it is malformed or over a limit. On success
// `used` is the header's size.
struct ProtocolError : std::runtime_error {
  using std::runtime_error::runtime_error;
};
std::optional<RequestHeader> decode_request(std::span<const std::uint8_t> data, std::size_t& used);
std::optional<ResponseHeader> decode_response(std::span<const std::uint8_t> data,
                                              std::size_t& used);

// The largest header either side accepts (the helper's response header with
// every list at its limit).
inline constexpr std::size_t kMaxHeaderBytes = 4 + 2 + kMaxMimeBytes + 1 + 2 +
                                               kMaxRemovedItems * (2 + kMaxRemovedBytes) + 2 +
                                               kMaxReasonBytes + 8 + 1;

}  // namespace krasip::cleaner
