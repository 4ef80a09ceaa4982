// Motion photos (issue 14): a phone appends a video after the JPEG's EOI.
// jpeg_end_of_image finds the real end by walking the segments, so the
// EOI of an EXIF thumbnail inside APP1 does not cut the photo short.
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "cleaner_samples.hpp"
#include "krasip/cleaner/formats.hpp"

using namespace krasip::test;
using krasip::cleaner::jpeg_end_of_image;

TEST_CASE("jpeg_end_of_image: a JPEG with an EXIF thumbnail and an MP4 appended ends where the photo ends") {
  TempDir dir("jpeg-motion");
  const auto sample = make_sample(dir, "jpeg-motion");
  const auto bytes = bytes_of(sample);
  const auto photo_size = std::stoul(read_all(dir.path().string() + "/sample.jpeg-motion.jpeg-size"));
  REQUIRE(photo_size < bytes.size());
  const std::string raw(bytes.begin(), bytes.end());
  // The thumbnail's own EOI comes first: a plain search would stop there.
  REQUIRE(raw.find("\xff\xd9") + 2 < photo_size);
  REQUIRE(raw.find("ftyp", photo_size) != std::string::npos);

  const auto end = jpeg_end_of_image(bytes);
  CHECK(end == photo_size);

  // Cut there, the photo is whole and the video is gone.
  const auto cut = write_file(dir.path() / "cut.jpg", std::span(bytes).first(end));
  const auto tags = exiftool_tags(cut);
  bool warned = false;
  for (const auto& [k, v] : tags) warned = warned || k.find("Warning") != std::string::npos;
  CHECK_FALSE(warned);
  const auto decode = run("ffmpeg -v error -nostdin -i " + quoted(cut.string()) + " -f null - 2>&1");
  CHECK_MESSAGE(decode.status == 0, decode.out);
  CHECK(decode.out.empty());
  const auto after = read_all(cut);
  CHECK(after.find("ftyp") == std::string::npos);
}

TEST_CASE("jpeg_end_of_image: a plain JPEG ends at its size; broken or truncated ones give 0") {
  TempDir dir("jpeg-end");
  const auto motion = bytes_of(make_sample(dir, "jpeg-motion"));
  const auto photo_size = std::stoul(read_all(dir.path().string() + "/sample.jpeg-motion.jpeg-size"));
  const std::vector<std::uint8_t> photo(motion.begin(), motion.begin() + static_cast<long>(photo_size));
  CHECK(jpeg_end_of_image(photo) == photo.size());
  CHECK(jpeg_end_of_image(std::span(photo).first(photo.size() - 1)) == 0);  // no EOI
  CHECK(jpeg_end_of_image(std::span(photo).first(photo.size() / 2)) == 0);
  CHECK(jpeg_end_of_image(std::span(photo).subspan(2)) == 0);               // no SOI
  CHECK(jpeg_end_of_image({}) == 0);
  const std::vector<std::uint8_t> only_markers{0xff, 0xd8, 0xff, 0xd9};
  CHECK(jpeg_end_of_image(only_markers) == 4);
  // A segment length running past the end.
  const std::vector<std::uint8_t> long_segment{0xff, 0xd8, 0xff, 0xe1, 0xff, 0xff, 0x00};
  CHECK(jpeg_end_of_image(long_segment) == 0);
}
