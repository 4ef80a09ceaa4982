// HEIC cleaning (issue 14): a phone-like HEIC made by heif-enc, with GPS,
// owner, camera serial and XMP planted by exiftool, comes back the same
// size, still decodable to the same pixels, with none of it found by
// exiftool, mat2 --show or in the raw bytes. Hand-built files check that
// what the in-place rewriter cannot clean safely is refused.
#include <doctest/doctest.h>

#include <algorithm>
#include <cstring>
#include <string>
#include <vector>

#include "cleaner_samples.hpp"
#include "krasip/cleaner/formats.hpp"

using namespace krasip::test;
using krasip::cleaner::clean_heic;

namespace {

using Buf = std::vector<std::uint8_t>;

bool has(const std::vector<std::string>& labels, const std::string& label) {
  return std::find(labels.begin(), labels.end(), label) != labels.end();
}

bool contains(const Buf& b, const std::string& s) {
  return std::search(b.begin(), b.end(), s.begin(), s.end()) != b.end();
}

void put(Buf& b, std::uint64_t v, int bytes) {
  // Wider than 8 bytes (a run of zeros): the high bytes are 0, not a shift past 63.
  for (int i = bytes - 1; i >= 0; --i) b.push_back(i >= 8 ? 0 : static_cast<std::uint8_t>(v >> (8 * i)));
}
void put(Buf& b, const std::string& s) { b.insert(b.end(), s.begin(), s.end()); }

Buf box(const std::string& type, const Buf& payload) {
  Buf b;
  put(b, payload.size() + 8, 4);
  put(b, type);
  b.insert(b.end(), payload.begin(), payload.end());
  return b;
}
Buf full(int version, std::uint32_t flags, Buf rest) {
  Buf b;
  put(b, static_cast<std::uint64_t>(version), 1);
  put(b, flags, 3);
  b.insert(b.end(), rest.begin(), rest.end());
  return b;
}
Buf cat(std::initializer_list<Buf> parts) {
  Buf b;
  for (const auto& p : parts) b.insert(b.end(), p.begin(), p.end());
  return b;
}

const std::string kPicture = "PICTURE-BYTES-HEVC";
const std::string kExif = std::string("\0\0\0\0MM\0*PlantedGps", 18);

struct Shape {
  int exif_method = 0;          // iloc construction_method of the Exif item
  long exif_shift = 0;          // moves the Exif extent (into the picture, past the end)
  int infe_version = 2;
  bool uuid = false;            // a top-level uuid box of XMP
};

// ftyp, meta (hdlr pict, iinf: hvc1 #1 + Exif #2, iloc v1), [uuid], mdat.
Buf heif(const Shape& s) {
  auto build = [&](std::uint64_t mdat_data) {
    auto infe = [&](int id, const std::string& type) {
      Buf r;
      put(r, static_cast<std::uint64_t>(id), 2);
      put(r, 0, 2);
      if (s.infe_version >= 2) put(r, type);
      r.push_back(0);  // name
      if (s.infe_version < 2) r.push_back(0);  // content type
      return box("infe", full(s.infe_version, 0, r));
    };
    Buf iinf_body;
    put(iinf_body, 2, 2);
    const Buf iinf = box("iinf", full(0, 0, cat({iinf_body, infe(1, "hvc1"), infe(2, "Exif")})));
    Buf loc;
    put(loc, 0x44, 1);
    put(loc, 0x00, 1);
    put(loc, 2, 2);
    put(loc, 1, 2), put(loc, 0, 2), put(loc, 0, 2), put(loc, 1, 2);
    put(loc, mdat_data, 4), put(loc, kPicture.size(), 4);
    put(loc, 2, 2), put(loc, static_cast<std::uint64_t>(s.exif_method), 2), put(loc, 0, 2), put(loc, 1, 2);
    put(loc, static_cast<std::uint64_t>(static_cast<long>(mdat_data + kPicture.size()) + s.exif_shift), 4);
    put(loc, kExif.size(), 4);
    const Buf iloc = box("iloc", full(1, 0, loc));
    Buf hdlr_body;
    put(hdlr_body, 0, 4);
    put(hdlr_body, "pict");
    put(hdlr_body, 0, 12);
    hdlr_body.push_back(0);
    const Buf meta = box("meta", full(0, 0, cat({box("hdlr", full(0, 0, hdlr_body)), iinf, iloc})));
    Buf ftyp_body;
    put(ftyp_body, "heic");
    put(ftyp_body, 0, 4);
    put(ftyp_body, "mif1heic");
    Buf uuid;
    if (s.uuid) {
      Buf u;
      put(u, "0123456789abcdef<x:xmpmeta>PlantedUuid</x:xmpmeta>");
      uuid = box("uuid", u);
    }
    Buf mdat_body;
    put(mdat_body, kPicture);
    put(mdat_body, kExif);
    const Buf head = cat({box("ftyp", ftyp_body), meta, uuid});
    return std::make_pair(cat({head, box("mdat", mdat_body)}), head.size() + 8);
  };
  const auto first = build(0);
  return build(first.second).first;
}

}  // namespace

TEST_CASE("heic cleaner: a phone's HEIC loses EXIF GPS, serial, owner and XMP, keeps its picture") {
  TempDir dir("heic");
  const auto sample = make_sample(dir, "heic");
  const auto in = bytes_of(sample);
  const auto before = exiftool_tags(sample);
  REQUIRE(any_tag_mentions(before, "SomchaiPlanted"));  // the planting worked
  REQUIRE(any_tag_mentions(before, "PlantedXmpNote"));
  REQUIRE(any_tag_mentions(before, "GPSLatitude"));

  const auto out = clean_heic(in);
  REQUIRE_MESSAGE(out.cleaned, out.not_cleaned_reason);
  CHECK(out.bytes.size() == in.size());  // rewritten in place: no offset moved
  CHECK(has(out.removed, "EXIF GPS"));
  CHECK(has(out.removed, "EXIF"));
  CHECK(has(out.removed, "XMP"));
  const auto cleaned = write_file(dir.path() / "cleaned.heic", out.bytes);

  for (const std::string p : {"SomchaiPlanted", "PlantedSerial", "PlantedMake", "PlantedModel", "PlantedXmpNote"}) {
    CAPTURE(p);
    CHECK_FALSE(contains(out.bytes, p));
  }
  const auto after = exiftool_tags(cleaned);
  for (const char* p : {"SomchaiPlanted", "PlantedSerial", "PlantedMake", "PlantedXmpNote", "GPS", "XMP", "IFD0",
                        "ExifIFD"}) {
    CAPTURE(p);
    CHECK_FALSE(any_tag_mentions(after, p));
  }
  // mat2 --show lists nothing mat2's own cleaning leaves out.
  const auto ours = mat2_show_keys(cleaned);
  const auto theirs = mat2_show_keys(mat2_cleaned(dir, sample, "heic"));
  for (const auto& key : ours) {
    CAPTURE(key);
    CHECK(theirs.count(key) == 1);
  }
  // The picture decodes, to exactly the pixels it had.
  const auto info = run("heif-info " + quoted(cleaned.string()) + " 2>&1");
  REQUIRE_MESSAGE(info.status == 0, info.out);
  CHECK(info.out.find("320x240") != std::string::npos);
  CHECK(info.out.find("Exif") == std::string::npos);
  CHECK(info.out.find("XMP") == std::string::npos);
  const auto a = dir.path() / "a.png", b = dir.path() / "b.png";
  REQUIRE(run("heif-convert " + quoted(sample.string()) + " " + quoted(a.string()) + " >/dev/null 2>&1").status == 0);
  REQUIRE(run("heif-convert " + quoted(cleaned.string()) + " " + quoted(b.string()) + " >/dev/null 2>&1").status == 0);
  const auto pix_a = run("ffmpeg -v error -i " + quoted(a.string()) + " -f rawvideo -");
  const auto pix_b = run("ffmpeg -v error -i " + quoted(b.string()) + " -f rawvideo -");
  REQUIRE(pix_a.status == 0);
  CHECK(pix_a.out.size() > 1000);
  CHECK(pix_a.out == pix_b.out);
}

TEST_CASE("heic cleaner: a hand-built HEIF: the Exif item is zeroed and renamed, the picture's bytes kept") {
  const auto in = heif({});
  const auto out = clean_heic(in);
  REQUIRE_MESSAGE(out.cleaned, out.not_cleaned_reason);
  CHECK(out.bytes.size() == in.size());
  CHECK(contains(out.bytes, kPicture));
  CHECK_FALSE(contains(out.bytes, "PlantedGps"));
  CHECK_FALSE(contains(out.bytes, "Exif"));
  CHECK(contains(out.bytes, "none"));
  CHECK(out.removed == std::vector<std::string>{"EXIF"});

  SUBCASE("a uuid box (XMP) becomes a free box of zeros") {
    Shape s;
    s.uuid = true;
    const auto u = clean_heic(heif(s));
    REQUIRE_MESSAGE(u.cleaned, u.not_cleaned_reason);
    CHECK_FALSE(contains(u.bytes, "PlantedUuid"));
    CHECK_FALSE(contains(u.bytes, "uuid"));
    CHECK(contains(u.bytes, "free"));
    CHECK(contains(u.bytes, kPicture));
  }
}

TEST_CASE("heic cleaner: what cannot be rewritten safely is refused, never half cleaned") {
  auto refused = [](const Buf& b) {
    const auto r = clean_heic(b);
    CHECK_FALSE(r.cleaned);
    CHECK(r.bytes.empty());
    CHECK_FALSE(r.not_cleaned_reason.empty());
  };
  SUBCASE("Exif stored in idat (construction method 1)") {
    Shape s;
    s.exif_method = 1;
    refused(heif(s));
  }
  SUBCASE("Exif extent overlapping the picture") {
    Shape s;
    s.exif_shift = -4;
    refused(heif(s));
  }
  SUBCASE("Exif extent past the end of the file") {
    Shape s;
    s.exif_shift = 1000;
    refused(heif(s));
  }
  SUBCASE("old item info entries (no item type)") {
    Shape s;
    s.infe_version = 1;
    refused(heif(s));
  }
  SUBCASE("truncated: a box runs past the end") {
    auto b = heif({});
    b.resize(b.size() - 3);
    refused(b);
  }
  SUBCASE("not ISOBMFF at all") { refused(Buf{'h', 'e', 'l', 'l', 'o', 0, 0, 0, 0}); }
  SUBCASE("empty") { refused(Buf{}); }
}
