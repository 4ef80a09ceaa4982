#include "krasip/cleaner/protocol.hpp"

#include <algorithm>
#include <cstring>
#include <stdexcept>

namespace krasip::cleaner {

namespace {

class Writer {
 public:
  void raw(std::string_view s) { out.insert(out.end(), s.begin(), s.end()); }
  void u8(std::uint8_t v) { out.push_back(v); }
  void u16(std::uint16_t v) {
    for (int i = 0; i < 2; ++i) out.push_back(static_cast<std::uint8_t>(v >> (8 * i)));
  }
  void u64(std::uint64_t v) {
    for (int i = 0; i < 8; ++i) out.push_back(static_cast<std::uint8_t>(v >> (8 * i)));
  }
  void str(std::string_view s, std::size_t max) {
    s = s.substr(0, max);  // ours are short; a longer one is cut, never sent over the limit
    u16(static_cast<std::uint16_t>(s.size()));
    raw(s);
  }
  std::vector<std::uint8_t> out;
};

// Reads from the front; `more` is false once it ran out of bytes.
class Reader {
 public:
  explicit Reader(std::span<const std::uint8_t> d) : d_(d) {}
  bool more = true;
  std::size_t pos() const { return pos_; }
  bool take(std::size_t n) {
    if (!more || d_.size() - pos_ < n) return more = false;
    return true;
  }
  std::uint8_t u8() {
    if (!take(1)) return 0;
    return d_[pos_++];
  }
  std::uint16_t u16() {
    if (!take(2)) return 0;
    const std::uint16_t v = static_cast<std::uint16_t>(d_[pos_] | (d_[pos_ + 1] << 8));
    pos_ += 2;
    return v;
  }
  std::uint64_t u64() {
    if (!take(8)) return 0;
    std::uint64_t v = 0;
    for (int i = 7; i >= 0; --i) v = (v << 8) | d_[pos_ + static_cast<std::size_t>(i)];
    pos_ += 8;
    return v;
  }
  std::string str(std::size_t max, const char* what) {
    const std::size_t n = u16();
    if (!more) return {};
    if (n > max) throw ProtocolError(std::string(what) + " is too long");
    if (!take(n)) return {};
    std::string s(reinterpret_cast<const char*>(d_.data() + pos_), n);
    pos_ += n;
    return s;
  }
  void magic() {
    if (!take(kProtocolMagic.size())) return;
    if (std::memcmp(d_.data() + pos_, kProtocolMagic.data(), kProtocolMagic.size()) != 0) {
      throw ProtocolError("not a cleaner frame");
    }
    pos_ += kProtocolMagic.size();
  }

 private:
  std::span<const std::uint8_t> d_;
  std::size_t pos_ = 0;
};

}  // namespace

std::vector<std::uint8_t> encode(const RequestHeader& h) {
  Writer w;
  w.raw(kProtocolMagic);
  w.u8(static_cast<std::uint8_t>(h.kind));
  w.str(h.mime, kMaxMimeBytes);
  w.u64(h.length);
  return std::move(w.out);
}

std::vector<std::uint8_t> encode(const ResponseHeader& h) {
  Writer w;
  w.raw(kProtocolMagic);
  w.str(h.mime, kMaxMimeBytes);
  w.u8(static_cast<std::uint8_t>((h.cleaned ? 1 : 0) | (h.has_cleaner ? 2 : 0)));
  const std::size_t n = std::min(h.removed.size(), kMaxRemovedItems);
  w.u16(static_cast<std::uint16_t>(n));
  for (std::size_t i = 0; i < n; ++i) w.str(h.removed[i], kMaxRemovedBytes);
  w.str(h.not_cleaned_reason, kMaxReasonBytes);
  w.u64(h.length);
  return std::move(w.out);
}

std::optional<RequestHeader> decode_request(std::span<const std::uint8_t> data, std::size_t& used) {
  Reader r(data);
  RequestHeader h;
  r.magic();
  const auto kind = r.u8();
  h.mime = r.str(kMaxMimeBytes, "mime");
  h.length = r.u64();
  if (!r.more) return std::nullopt;
  if (kind != static_cast<std::uint8_t>(Kind::sniff) &&
      kind != static_cast<std::uint8_t>(Kind::sniff_clean)) {
    throw ProtocolError("unknown request kind");
  }
  h.kind = static_cast<Kind>(kind);
  used = r.pos();
  return h;
}

std::optional<ResponseHeader> decode_response(std::span<const std::uint8_t> data,
                                              std::size_t& used) {
  Reader r(data);
  ResponseHeader h;
  r.magic();
  h.mime = r.str(kMaxMimeBytes, "mime");
  const auto flags = r.u8();
  const std::size_t n = r.u16();
  if (r.more && n > kMaxRemovedItems) throw ProtocolError("too many removed items");
  for (std::size_t i = 0; r.more && i < n; ++i)
    h.removed.push_back(r.str(kMaxRemovedBytes, "removed"));
  h.not_cleaned_reason = r.str(kMaxReasonBytes, "reason");
  h.length = r.u64();
  if (!r.more) return std::nullopt;
  if ((flags & ~3u) != 0) throw ProtocolError("unknown flags");
  h.cleaned = (flags & 1u) != 0;
  h.has_cleaner = (flags & 2u) != 0;
  used = r.pos();
  return h;
}

}  // namespace krasip::cleaner
