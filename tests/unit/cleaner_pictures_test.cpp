// Pictures uploaded on their own (issue 21, item 8): after Exiv2, JPEG and
// PNG go through the walk that cleans pictures inside documents, which keeps
// only what draws the picture.
#include <doctest/doctest.h>

#include <algorithm>
#include <string>
#include <vector>

#include "cleaner_samples.hpp"
#include "exif_fixture.hpp"
#include "krasip/cleaner/formats.hpp"
#include "krasip/cleaner/image_metadata.hpp"

using namespace krasip::test;
using krasip::cleaner::clean_image;
using krasip::cleaner::strip_picture;

namespace {

std::uint32_t crc32(const std::string& data) {
  std::uint32_t c = 0xFFFFFFFFu;
  for (const unsigned char b : data) {
    c ^= b;
    for (int k = 0; k < 8; ++k) c = (c >> 1) ^ (0xEDB88320u & (0u - (c & 1u)));
  }
  return ~c;
}

std::string be32(std::uint32_t v) {
  return {static_cast<char>(v >> 24), static_cast<char>(v >> 16), static_cast<char>(v >> 8), static_cast<char>(v)};
}

std::string chunk(const std::string& type, const std::string& data) {
  return be32(static_cast<std::uint32_t>(data.size())) + type + data + be32(crc32(type + data));
}

const std::string kSignature("\x89PNG\r\n\x1a\n", 8);

std::vector<std::string> chunk_types(const std::vector<std::uint8_t>& png) {
  std::vector<std::string> types;
  std::size_t pos = 8;
  while (pos + 12 <= png.size()) {
    const std::size_t length = (std::size_t(png[pos]) << 24) | (std::size_t(png[pos + 1]) << 16) |
                               (std::size_t(png[pos + 2]) << 8) | png[pos + 3];
    types.emplace_back(reinterpret_cast<const char*>(png.data()) + pos + 4, 4);
    pos += 12 + length;
  }
  return types;
}

std::span<const std::uint8_t> bytes(const std::string& s) {
  return {reinterpret_cast<const std::uint8_t*>(s.data()), s.size()};
}

bool has(const std::vector<std::string>& labels, const std::string& label) {
  return std::find(labels.begin(), labels.end(), label) != labels.end();
}

bool contains(const std::vector<std::uint8_t>& b, const std::string& s) {
  return std::search(b.begin(), b.end(), s.begin(), s.end()) != b.end();
}

}  // namespace

TEST_CASE("strip_picture: a PNG keeps what draws it and loses text, time, EXIF, private chunks and trailers") {
  const std::string ihdr = chunk("IHDR", be32(1) + be32(1) + std::string("\x08\x02\x00\x00\x00", 5));
  const std::string png = kSignature + ihdr + chunk("iCCP", std::string("sRGB\0\0profile", 14)) +
                          chunk("tEXt", std::string("Author\0SomchaiPlanted", 21)) +
                          chunk("pHYs", std::string(9, '\x01')) + chunk("prVW", "PlantedPreview") +
                          chunk("IDAT", "picture-bytes") + chunk("tIME", std::string(7, '\x02')) +
                          chunk("zTXt", std::string("Comment\0\0xyz", 12)) + chunk("IEND", "") + "PlantedTrailer";
  const auto r = strip_picture(bytes(png));
  REQUIRE(r.cleaned);
  CHECK(chunk_types(r.bytes) == std::vector<std::string>{"IHDR", "iCCP", "pHYs", "IDAT", "IEND"});
  CHECK_FALSE(contains(r.bytes, "Planted"));
  CHECK(contains(r.bytes, "picture-bytes"));
  CHECK(has(r.removed, "text (author, comment, software)"));
  CHECK(has(r.removed, "time of last change"));
  CHECK(has(r.removed, "other data chunks"));
  CHECK(has(r.removed, "data after the picture's end"));

  // Cut before its end: not walked to the end, not called clean, no bytes.
  const auto cut = strip_picture(bytes(png.substr(0, png.find("IDAT"))));
  CHECK_FALSE(cut.cleaned);
  CHECK(cut.bytes.empty());
  CHECK(cut.not_cleaned_reason == "the picture is damaged or incomplete");
  CHECK_FALSE(strip_picture(bytes(std::string("GIF89a"))).cleaned);
}

TEST_CASE("clean_image: a PNG's Author, compressed Comment, iTXt, tIME and eXIf, which Exiv2 kept, are gone") {
  TempDir dir("pictures");
  const auto sample = bytes_of(make_sample(dir, "png"));
  REQUIRE(contains(sample, "SomchaiPlanted"));
  const auto r = clean_image(sample);
  REQUIRE(r.cleaned);
  CHECK(chunk_types(r.bytes) == std::vector<std::string>{"IHDR", "IDAT", "IEND"});
  CHECK_FALSE(contains(r.bytes, "Planted"));
  CHECK(has(r.removed, "text (author, comment, software)"));
  CHECK(has(r.removed, "time of last change"));
  const auto out = write_file(dir.path() / "cleaned.png", r.bytes);
  // Not a structured binding: clang 14 cannot capture one in CAPTURE's lambda.
  for (const auto& kv : exiftool_tags(out)) {
    const std::string& tag = kv.first;
    const std::string& value = kv.second;
    CAPTURE(tag);
    if (tag.rfind("PNG:", 0) == 0) {
      for (const char* gone : {"Author", "Comment", "Description", "ModifyDate"})
        CHECK(tag.find(gone) == std::string::npos);
    }
    CHECK(value.find("Planted") == std::string::npos);
  }
}

TEST_CASE("clean_image: a JPEG loses the application segments Exiv2 keeps, and a JFXX thumbnail") {
  std::string jpeg = jpeg_with_gps();
  // After SOI: a JFXX thumbnail (APP0) and an editor's APP12.
  const std::string jfxx = std::string("\xFF\xE0\x00\x0D", 4) + std::string("JFXX\0\x10", 6) + "Plant";
  const std::string ducky = std::string("\xFF\xEC\x00\x10", 4) + "DuckyPlanted12";
  jpeg.insert(2, jfxx + ducky);
  const auto r = clean_image(bytes(jpeg));
  REQUIRE(r.cleaned);
  CHECK_FALSE(contains(r.bytes, "JFXX"));
  CHECK_FALSE(contains(r.bytes, "DuckyPlanted"));
  CHECK_FALSE(contains(r.bytes, kCameraSerial));
  CHECK(has(r.removed, "EXIF GPS"));
  CHECK(has(r.removed, "other application data"));
  CHECK(has(r.removed, "thumbnail"));
  // Still a JPEG that walks to its end.
  CHECK(krasip::cleaner::jpeg_end_of_image(r.bytes) == r.bytes.size());
}
