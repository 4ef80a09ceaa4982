// GIF metadata: Exiv2 0.27 cannot see it, so Krasip drops the extension
// blocks itself, and claims nothing for a GIF it cannot parse.
#include <doctest/doctest.h>

#include <string>

#include "gif_fixture.hpp"
#include "krasip/cleaner/gif_metadata.hpp"
#include "krasip/cleaner/image_metadata.hpp"

using namespace krasip::cleaner;
using krasip::test::tiny_gif;

namespace {
struct Result {
  std::string bytes;
  bool removed = false;
};
Result clean(const std::string& in) {
  const auto r = clean_image({reinterpret_cast<const std::uint8_t*>(in.data()), in.size()});
  return {std::string(r.bytes.begin(), r.bytes.end()), r.cleaned};
}
}  // namespace

TEST_CASE("GIF: XMP, comment and plain-text extensions are dropped; frames and looping stay") {
  const std::string dirty = tiny_gif(true);
  REQUIRE(dirty.find(krasip::test::kGifXmpAuthor) != std::string::npos);
  const auto c = clean(dirty);
  CHECK(c.removed);
  CHECK(c.bytes == tiny_gif(false));  // exactly the same picture without the metadata
  CHECK(c.bytes.find(krasip::test::kGifXmpAuthor) == std::string::npos);
  CHECK(c.bytes.find(krasip::test::kGifComment) == std::string::npos);
  CHECK(c.bytes.find("XMP DataXMP") == std::string::npos);
  CHECK(c.bytes.find("PLAIN") == std::string::npos);
  CHECK(c.bytes.find("NETSCAPE2.0") != std::string::npos);
  // Cleaning a clean GIF changes nothing.
  CHECK(clean(c.bytes).bytes == c.bytes);
}

TEST_CASE("GIF: bytes after the trailer are dropped") {
  const auto c = clean(tiny_gif(false) + "HIDDEN-AFTER-TRAILER");
  CHECK(c.removed);
  CHECK(c.bytes == tiny_gif(false));
}

TEST_CASE("GIF: a truncated or malformed GIF is stored unchanged and not called clean") {
  const std::string dirty = tiny_gif(true);
  // Every truncation (no trailer) is refused: unchanged, not claimed clean.
  for (std::size_t n = 0; n < dirty.size(); ++n) {
    const std::string cut = dirty.substr(0, n);
    const auto parts =
        gif_parts_without_metadata({reinterpret_cast<const std::uint8_t*>(cut.data()), cut.size()});
    CHECK_FALSE(parts);
  }
  const auto c = clean(dirty.substr(0, dirty.size() - 1));
  CHECK_FALSE(c.removed);
  CHECK(c.bytes == dirty.substr(0, dirty.size() - 1));
  // Any single byte overwritten: never a crash, and any answer stays in bounds.
  for (std::size_t i = 0; i < dirty.size(); ++i) {
    for (const char v : {'\x00', '\x3B', '\x21', '\xFF'}) {
      std::string bad = dirty;
      bad[i] = v;
      const auto parts = gif_parts_without_metadata(
          {reinterpret_cast<const std::uint8_t*>(bad.data()), bad.size()});
      if (!parts) continue;
      for (const auto& p : *parts) CHECK(p.offset + p.size <= bad.size());
    }
  }
  // A block that is neither an image, an extension nor the trailer.
  std::string odd = tiny_gif(false);
  odd.insert(odd.size() - 1, "\x42");
  CHECK_FALSE(clean(odd).removed);
}
