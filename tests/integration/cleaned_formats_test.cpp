#include <doctest/doctest.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "fixtures.hpp"
#include "investigator_client.hpp"

// Issue 14 end to end: documents, audio, video, a motion photo and a HEIC, made by
// tests/samples/make-samples with an author, a company, a device and a GPS
// position planted, uploaded by a reporter through the real krasipd (so
// cleaned in the sandboxed krasip-cleaner, under its seccomp filter), and
// downloaded by an investigator: nothing planted is left anywhere a reader
// could reach, and the reporter was told what was removed.

using namespace krasip::test;
namespace json = boost::json;

namespace {

const std::string kBoundary = "KrasipFormatsBoundary7";

std::string shell(const std::string& cmd) {
  std::string out;
  FILE* p = ::popen(cmd.c_str(), "r");
  REQUIRE(p != nullptr);
  char buf[4096];
  std::size_t n;
  while ((n = std::fread(buf, 1, sizeof buf, p)) > 0) out.append(buf, n);
  const int status = ::pclose(p);
  const std::string what = cmd + "\n" + out;
  REQUIRE_MESSAGE(WEXITSTATUS(status) == 0, what);
  return out;
}

std::string read_all(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

// A HEIC is rewritten in place (issue 14): the serial, owner and XMP are
// gone too, mat2 --show lists no more than mat2's own cleaning leaves, and
// the picture still decodes.
void check_heic(const std::filesystem::path& dir, const std::filesystem::path& sample,
                const std::filesystem::path& out, const json::array& removed) {
  const std::string tags = shell("exiftool -a -G1 -s " + out.string() + " 2>&1");
  for (const char* planted : {"PlantedSerial", "PlantedMake", "PlantedModel", "PlantedXmpNote", "[XMP", "[IFD0]"}) {
    CAPTURE(planted);
    CHECK(tags.find(planted) == std::string::npos);
  }
  std::string labels;
  for (const auto& r : removed) labels += std::string(r.as_string()) + ";";
  CHECK(labels.find("EXIF GPS;") != std::string::npos);
  CHECK(labels.find("XMP;") != std::string::npos);
  const auto mat2_copy = dir / "for-mat2.heic";
  std::filesystem::copy_file(sample, mat2_copy, std::filesystem::copy_options::overwrite_existing);
  shell("mat2 " + mat2_copy.string() + " 2>&1");
  const std::string mat2_own = shell("mat2 --show " + (dir / "for-mat2.cleaned.heic").string() + " 2>&1");
  const std::string ours = shell("mat2 --show " + out.string() + " 2>&1");
  CHECK(ours.find("SomchaiPlanted") == std::string::npos);
  // mat2 finds nothing in its own output; then it must find nothing in ours.
  if (mat2_own.find("No metadata found") != std::string::npos) {
    CHECK(ours.find("No metadata found") != std::string::npos);
  }
  const std::string info = shell("heif-info " + out.string() + " 2>&1");
  CHECK(info.find("320x240") != std::string::npos);
  shell("heif-convert " + out.string() + " " + (dir / "decoded.png").string() + " 2>&1");
  CHECK(std::filesystem::file_size(dir / "decoded.png") > 1000);
}

}  // namespace

TEST_CASE("evidence: documents, audio, video, a motion photo and a HEIC lose their planted metadata in the sandbox") {
  ServerProcess server;
  auto admin_acc = init_admin(server);
  const auto [number, code] = file_complaint(server.port(), false);
  Investigator admin(server.port(), admin_acc);
  const auto dir = server.data_dir() / "samples";
  std::filesystem::create_directories(dir);
  const std::vector<std::string> kinds = {"pdf", "docx", "xlsx", "odt", "mp4", "mov", "mp3", "jpeg-motion", "heic"};
  std::string list;
  for (const auto& k : kinds) list += " " + k;
  shell(std::string("/usr/bin/python3 ") + KRASIP_MAKE_SAMPLES + " " + dir.string() + list + " 2>&1");

  for (const auto& kind : kinds) {
    CAPTURE(kind);
    const auto sample = dir / ("sample." + kind);
    const std::string bytes = read_all(sample);
    // The search can fail: what is planted is there before (in the bytes,
    // or in what a reader unpacks from them).
    const std::string before =
        bytes + shell(std::string("/usr/bin/python3 ") + KRASIP_MAKE_SAMPLES + " --text " + sample.string());
    // The motion photo's planted part is the video after the picture.
    const std::string marker = kind == "jpeg-motion" ? "ftyp" : "SomchaiPlanted";
    REQUIRE(before.find(marker) != std::string::npos);
    const std::string body = "--" + kBoundary +
                             "\r\nContent-Disposition: form-data; name=\"tracking_code\"\r\n\r\n" + code +
                             "\r\n--" + kBoundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"evidence." +
                             kind + "\"\r\nContent-Type: application/octet-stream\r\n\r\n" + bytes + "\r\n--" +
                             kBoundary + "--\r\n";
    const auto up = request(server.port(), "POST", "/api/v1/status/attachments", body,
                            "multipart/form-data; boundary=" + kBoundary);
    REQUIRE_MESSAGE(up.status == 201, up.body);
    const auto a = parse(up).at("attachment");
    CHECK(a.at("metadata_removed").as_bool());
    CHECK_FALSE(a.at("removed").as_array().empty());  // the reporter is told what went

    const auto dl = admin.get("/api/v1/cases/" + number + "/attachments/" + std::string(a.at("id").as_string()));
    REQUIRE(dl.status == 200);
    CHECK(dl.body.size() > 100);
    const auto out = dir / ("downloaded." + kind);
    std::ofstream(out, std::ios::binary) << dl.body;
    const std::string reachable =
        shell(std::string("/usr/bin/python3 ") + KRASIP_MAKE_SAMPLES + " --text " + out.string());
    CHECK(dl.body.find(marker) == std::string::npos);
    for (const char* planted : {"SomchaiPlanted", "PlantedCompany", "PlantedMake", "PlantedModel", "+13.7563"}) {
      CAPTURE(planted);
      CHECK(reachable.find(planted) == std::string::npos);
      CHECK(dl.body.find(planted) == std::string::npos);
    }
    // And exiftool, which reads every tag it knows, finds no author or GPS.
    const std::string tags = shell("exiftool -a -G1 -s " + out.string() + " 2>&1");
    CHECK(tags.find("GPS") == std::string::npos);
    CHECK(tags.find("SomchaiPlanted") == std::string::npos);
    if (kind == "heic") check_heic(dir, sample, out, a.at("removed").as_array());
  }
}

namespace {

// The types of a PNG's chunks, in order; empty if it does not walk.
std::vector<std::string> png_chunks(const std::string& png) {
  std::vector<std::string> types;
  std::size_t pos = 8;
  while (pos + 12 <= png.size()) {
    const auto b = [&](std::size_t i) { return static_cast<std::uint32_t>(static_cast<unsigned char>(png[i])); };
    const std::size_t length = (b(pos) << 24) | (b(pos + 1) << 16) | (b(pos + 2) << 8) | b(pos + 3);
    types.push_back(png.substr(pos + 4, 4));
    pos += 12 + length;
  }
  if (pos != png.size()) types.clear();
  return types;
}

std::string chunk_data(const std::string& png, const std::string& type) {
  const auto at = png.find(type);
  if (at == std::string::npos || at < 4) return {};
  const auto b = [&](std::size_t i) { return static_cast<std::uint32_t>(static_cast<unsigned char>(png[i])); };
  const std::size_t length = (b(at - 4) << 24) | (b(at - 3) << 16) | (b(at - 2) << 8) | b(at - 1);
  return png.substr(at + 4, length);
}

}  // namespace

// Issue 21, item 8: a PNG uploaded on its own went through Exiv2 only, which
// kept its tEXt Author, its compressed zTXt Comment, iTXt and tIME. It now
// goes through the same chunk walk as the pictures inside documents.
TEST_CASE("evidence: a PNG loses its text, time, EXIF and private chunks; the picture is untouched") {
  ServerProcess server;
  auto admin_acc = init_admin(server);
  const auto [number, code] = file_complaint(server.port(), false);
  Investigator admin(server.port(), admin_acc);
  const auto dir = server.data_dir() / "samples";
  std::filesystem::create_directories(dir);
  shell(std::string("/usr/bin/python3 ") + KRASIP_MAKE_SAMPLES + " " + dir.string() + " png 2>&1");
  const auto sample = dir / "sample.png";
  const std::string bytes = read_all(sample);
  // What the test looks for is there before, as exiftool and mat2 read it.
  // (Without the file system's own tags: FileModifyDate is no metadata of the picture.)
  const std::string tags_before = shell("exiftool -a -G1 -s --System:all " + sample.string() + " 2>&1");
  for (const char* planted : {"SomchaiPlanted", "PlantedComment", "PlantedDescription", "ModifyDate", "GPSLatitude"}) {
    CAPTURE(planted);
    REQUIRE(tags_before.find(planted) != std::string::npos);
  }
  REQUIRE(png_chunks(bytes) == std::vector<std::string>{"IHDR", "tEXt", "zTXt", "iTXt", "tIME", "eXIf", "prVW", "IDAT",
                                                        "IEND"});

  const std::string body = "--" + kBoundary + "\r\nContent-Disposition: form-data; name=\"tracking_code\"\r\n\r\n" +
                           code + "\r\n--" + kBoundary +
                           "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"screenshot.png\"\r\n"
                           "Content-Type: image/png\r\n\r\n" +
                           bytes + "\r\n--" + kBoundary + "--\r\n";
  const auto up = request(server.port(), "POST", "/api/v1/status/attachments", body,
                          "multipart/form-data; boundary=" + kBoundary);
  REQUIRE_MESSAGE(up.status == 201, up.body);
  const auto a = parse(up).at("attachment");
  CHECK(a.at("metadata_removed").as_bool());
  std::string labels;
  for (const auto& r : a.at("removed").as_array()) labels += std::string(r.as_string()) + ";";
  CAPTURE(labels);
  CHECK(labels.find("text (author, comment, software);") != std::string::npos);
  CHECK(labels.find("time of last change;") != std::string::npos);
  CHECK(labels.find("EXIF") != std::string::npos);

  const auto dl = admin.get("/api/v1/cases/" + number + "/attachments/" + std::string(a.at("id").as_string()));
  REQUIRE(dl.status == 200);
  const auto out = dir / "downloaded.png";
  std::ofstream(out, std::ios::binary) << dl.body;
  // Only what draws the picture is left, and the picture itself is the same.
  CHECK(png_chunks(dl.body) == std::vector<std::string>{"IHDR", "IDAT", "IEND"});
  CHECK(chunk_data(dl.body, "IHDR") == chunk_data(bytes, "IHDR"));
  CHECK(chunk_data(dl.body, "IDAT") == chunk_data(bytes, "IDAT"));
  for (const char* planted : {"SomchaiPlanted", "PlantedPreview", "Author", "Comment", "Description", "tIME"}) {
    CAPTURE(planted);
    CHECK(dl.body.find(planted) == std::string::npos);
  }
  const std::string tags = shell("exiftool -a -G1 -s --System:all " + out.string() + " 2>&1");
  for (const char* planted : {"Author", "Comment", "Description", "ModifyDate", "GPS", "Artist", "Planted"}) {
    CAPTURE(planted);
    CHECK(tags.find(planted) == std::string::npos);
  }
  CHECK(tags.find("32x24") != std::string::npos);
  CHECK(shell("mat2 --show " + out.string() + " 2>&1").find("No metadata found") != std::string::npos);
}
