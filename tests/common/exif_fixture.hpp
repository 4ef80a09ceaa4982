#pragma once
// Test images with identifying metadata, built with Exiv2 from the tiny
// JPEG in tests/fixtures (16x16, no metadata, made with libjpeg).
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>

#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wdeprecated-declarations"
#include <exiv2/exiv2.hpp>

namespace krasip::test {

// Distinctive values planted in the metadata: none may survive cleaning.
inline constexpr const char* kCameraSerial = "SERIAL-KRSP-998877";
inline constexpr const char* kCameraMake = "KrasipTestCam";
inline constexpr const char* kXmpCreator = "XMP-CREATOR-ZULU";

inline std::string fixture_bytes(const std::string& name) {
  std::ifstream in(std::filesystem::path(KRASIP_FIXTURES_DIR) / name, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

// A JPEG with GPS coordinates (Bangkok), camera make and serial number in
// EXIF, and a creator in XMP.
inline std::string jpeg_with_gps() {
  const std::string plain = fixture_bytes("tiny.jpg");
  auto img = Exiv2::ImageFactory::open(reinterpret_cast<const Exiv2::byte*>(plain.data()),
                                       static_cast<long>(plain.size()));
  img->readMetadata();
  Exiv2::ExifData exif;
  exif["Exif.Image.Make"] = kCameraMake;
  exif["Exif.Photo.BodySerialNumber"] = kCameraSerial;
  exif["Exif.GPSInfo.GPSVersionID"] = "2 2 0 0";
  exif["Exif.GPSInfo.GPSLatitudeRef"] = "N";
  exif["Exif.GPSInfo.GPSLatitude"] = "13/1 45/1 1234/100";
  exif["Exif.GPSInfo.GPSLongitudeRef"] = "E";
  exif["Exif.GPSInfo.GPSLongitude"] = "100/1 30/1 4321/100";
  img->setExifData(exif);
  Exiv2::XmpData xmp;
  xmp["Xmp.dc.creator"] = kXmpCreator;
  img->setXmpData(xmp);
  img->writeMetadata();
  Exiv2::BasicIo& io = img->io();
  io.open();
  const auto size = io.size();
  const Exiv2::byte* p = io.mmap();
  return std::string(reinterpret_cast<const char*>(p), size);
}

struct ImageMetadata {
  bool readable = false;
  bool has_exif = false;
  bool has_gps = false;
  bool has_xmp = false;
  bool has_iptc = false;
};

inline ImageMetadata image_metadata(const std::string& bytes) {
  ImageMetadata m;
  try {
    auto img = Exiv2::ImageFactory::open(reinterpret_cast<const Exiv2::byte*>(bytes.data()),
                                         static_cast<long>(bytes.size()));
    img->readMetadata();
    m.readable = true;
    m.has_exif = !img->exifData().empty();
    for (const auto& d : img->exifData()) {
      if (d.groupName() == "GPSInfo") m.has_gps = true;
    }
    m.has_xmp = !img->xmpData().empty() || !img->xmpPacket().empty();
    m.has_iptc = !img->iptcData().empty();
  } catch (const Exiv2::AnyError&) {
  }
  return m;
}

}  // namespace krasip::test
#pragma GCC diagnostic pop
