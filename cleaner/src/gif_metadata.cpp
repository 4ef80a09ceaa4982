#include "krasip/cleaner/gif_metadata.hpp"

#include <cstring>

namespace krasip::cleaner {

namespace {

constexpr std::uint8_t kExtension = 0x21;
constexpr std::uint8_t kImage = 0x2C;
constexpr std::uint8_t kTrailer = 0x3B;
constexpr std::uint8_t kGraphicControl = 0xF9;
constexpr std::uint8_t kApplication = 0xFF;

// Reads a GIF front to back; every read is bounds-checked.
class Cursor {
 public:
  explicit Cursor(std::span<const std::uint8_t> d) : d_(d) {}
  std::size_t pos() const { return pos_; }
  bool skip(std::size_t n) {
    if (n > d_.size() - pos_) return false;
    pos_ += n;
    return true;
  }
  std::optional<std::uint8_t> byte() {
    if (pos_ >= d_.size()) return std::nullopt;
    return d_[pos_++];
  }
  // A chain of data sub-blocks (length byte, bytes) ending with a 0 length.
  bool skip_sub_blocks() {
    for (;;) {
      const auto n = byte();
      if (!n) return false;
      if (*n == 0) return true;
      if (!skip(*n)) return false;
    }
  }
  // Empty if [from, from + n) is not all inside the data.
  std::span<const std::uint8_t> at(std::size_t from, std::size_t n) const {
    if (from > d_.size() || n > d_.size() - from) return {};
    return d_.subspan(from, n);
  }

 private:
  std::span<const std::uint8_t> d_;
  std::size_t pos_ = 0;
};

std::size_t colour_table_bytes(std::uint8_t packed) {
  return (packed & 0x80) != 0 ? 3u * (2u << (packed & 0x07)) : 0;
}

bool is_looping_extension(const Cursor& c, std::size_t block_start) {
  // 0x21 0xFF 0x0B "NETSCAPE2.0": the application id is the first sub-block.
  const auto id = c.at(block_start + 2, 12);
  if (id.size() != 12 || id[0] != 11) return false;
  return std::memcmp(id.data() + 1, "NETSCAPE2.0", 11) == 0 ||
         std::memcmp(id.data() + 1, "ANIMEXTS1.0", 11) == 0;
}

}  // namespace

std::optional<std::vector<ByteRange>> gif_parts_without_metadata(
    std::span<const std::uint8_t> gif) {
  if (gif.size() < 13 ||
      (std::memcmp(gif.data(), "GIF87a", 6) != 0 && std::memcmp(gif.data(), "GIF89a", 6) != 0)) {
    return std::nullopt;
  }
  std::vector<ByteRange> keep;
  const auto take = [&keep](std::size_t from, std::size_t to) {
    if (!keep.empty() && keep.back().offset + keep.back().size == from) {
      keep.back().size += to - from;  // one range for neighbouring parts
    } else {
      keep.push_back({from, to - from});
    }
  };
  Cursor c(gif);
  c.skip(10);  // header, width, height
  const std::uint8_t screen_packed = *c.byte();
  c.skip(2);  // background colour, aspect ratio
  if (!c.skip(colour_table_bytes(screen_packed))) return std::nullopt;
  take(0, c.pos());

  bool has_image = false;
  for (;;) {
    const std::size_t start = c.pos();
    const auto kind = c.byte();
    if (!kind) return std::nullopt;  // no trailer: truncated
    if (*kind == kTrailer) {
      take(start, c.pos());
      break;  // anything after the trailer is dropped
    }
    if (*kind == kImage) {
      if (!c.skip(8)) return std::nullopt;  // position and size
      const auto packed = c.byte();
      if (!packed || !c.skip(colour_table_bytes(*packed))) return std::nullopt;
      if (!c.skip(1) || !c.skip_sub_blocks()) return std::nullopt;  // LZW code size, data
      take(start, c.pos());
      has_image = true;
      continue;
    }
    if (*kind != kExtension) return std::nullopt;
    const auto label = c.byte();
    if (!label) return std::nullopt;
    const bool looping = *label == kApplication && is_looping_extension(c, start);
    if (!c.skip_sub_blocks()) return std::nullopt;
    if (*label == kGraphicControl || looping) take(start, c.pos());
  }
  if (!has_image) return std::nullopt;
  return keep;
}

}  // namespace krasip::cleaner
