// PDF and office document cleaning (issue 14): samples with a planted
// author, company, custom properties, comments, tracked changes, rsids,
// thumbnails, printer settings, XMP, attachments and JavaScript come back
// as valid documents in which none of it can be found: not by exiftool, not
// by mat2 --show, not anywhere in the unpacked or decoded bytes.
#include <doctest/doctest.h>

#include <algorithm>
#include <string>
#include <vector>

#include "cleaner_samples.hpp"
#include "krasip/cleaner/formats.hpp"

using namespace krasip::test;
using krasip::cleaner::clean_office;
using krasip::cleaner::clean_pdf;

namespace {

const char* kPlanted[] = {"SomchaiPlanted", "PlantedCompany", "PlantedManager", "PlantedTemplate",
                          "PlantedCustom", "PlantedThumb", "PlantedPrinter", "PlantedTitle",
                          "PlantedGenerator", "planted@example.org", "PlantedZipComment",
                          "2024-03-01", "00A1B2C3", "00D4E5F6", "PlantedSerial", "PlantedMake"};
const char* kPdfPlanted[] = {"SomchaiPlanted", "PlantedAttachment", "PlantedScript", "PlantedPieceInfo",
                             "PlantedWriter", "PlantedProducer", "PlantedTitle", "D:2024",
                             "504c414e544544494431323334353637", "PLANTEDID", "PlantedSerial", "PlantedMake"};

bool has(const std::vector<std::string>& labels, const std::string& label) {
  return std::find(labels.begin(), labels.end(), label) != labels.end();
}

void check_no_planted(const std::filesystem::path& out, const std::string& reachable,
                      std::span<const char* const> planted) {
  const auto after = exiftool_tags(out);
  std::string shown;
  mat2_show_keys(out, &shown);
  for (const std::string p : planted) {
    CAPTURE(p);
    CHECK(reachable.find(p) == std::string::npos);
    CHECK_FALSE(any_tag_mentions(after, p));
    CHECK(shown.find(p) == std::string::npos);
  }
}

struct OfficeCase {
  const char* kind;
  const char* mime;
  std::vector<const char*> labels;
};

const std::vector<OfficeCase> kOffice = {
    {"docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
     {"author", "last editor", "company", "manager", "template", "custom properties", "thumbnail",
      "printer settings", "comments' authors", "tracked changes' authors", "editing session IDs (rsid)",
      "metadata of pictures inside"}},
    {"xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
     {"author", "last editor", "company", "custom properties", "thumbnail", "printer settings",
      "comments' authors", "file path"}},
    {"pptx", "application/vnd.openxmlformats-officedocument.presentationml.presentation",
     {"author", "last editor", "company", "custom properties", "thumbnail", "printer settings",
      "comments' authors"}},
    {"odt", "application/vnd.oasis.opendocument.text",
     {"author", "last editor", "custom properties", "thumbnail", "printer settings", "comments' authors",
      "tracked changes' authors", "metadata of pictures inside"}},
    {"ods", "application/vnd.oasis.opendocument.spreadsheet",
     {"author", "last editor", "custom properties", "thumbnail", "printer settings", "comments' authors",
      "metadata of pictures inside"}},
};

}  // namespace

TEST_CASE("clean_pdf: Info, XMP, attachments, JavaScript, annotation authors and the document ID are gone") {
  TempDir dir("pdf");
  const auto sample = make_sample(dir, "pdf");
  const auto before = exiftool_tags(sample);
  REQUIRE(any_tag_mentions(before, "SomchaiPlanted"));
  const auto reachable_before = reachable_text(sample);
  REQUIRE(reachable_before.find("PlantedAttachment") != std::string::npos);
  REQUIRE(reachable_before.find("PlantedScript") != std::string::npos);
  REQUIRE(reachable_before.find("PlantedSerial") != std::string::npos);  // EXIF of the page's photo

  const auto result = clean_pdf(bytes_of(sample));
  REQUIRE_MESSAGE(result.cleaned, result.not_cleaned_reason);
  for (const char* label : {"author", "document info", "XMP metadata", "embedded files", "file attachments",
                            "JavaScript", "comments' authors", "document ID", "metadata of pictures inside"}) {
    CHECK_MESSAGE(has(result.removed, label), label);
  }
  const auto out = write_file(dir.path() / "clean.pdf", result.bytes);
  const auto check = run("qpdf --check " + quoted(out.string()) + " 2>&1");
  CHECK_MESSAGE(check.status == 0, check.out);
  CHECK(run("qpdf --show-npages " + quoted(out.string())).out == "1\n");
  const auto text = reachable_text(out);
  CHECK(text.find("Evidence") != std::string::npos);  // the page itself is still there
  CHECK(text.find("/JavaScript") == std::string::npos);
  CHECK(text.find("/EmbeddedFile") == std::string::npos);
  CHECK(text.find("/FileAttachment") == std::string::npos);
  check_no_planted(out, text, kPdfPlanted);
  const auto mat2_keys = mat2_show_keys(out);
  const auto mat2_own = mat2_show_keys(mat2_cleaned(dir, sample, "pdf"));
  for (const auto& key : mat2_keys) {
    CAPTURE(key);
    CHECK(mat2_own.count(key) == 1);
  }

  // A fresh ID each time: two cleanings of one file cannot be linked by it.
  const auto again = clean_pdf(bytes_of(sample));
  REQUIRE(again.cleaned);
  const auto id_of = [&](const std::filesystem::path& p) {
    return run("qpdf --show-object=trailer " + quoted(p.string())).out;
  };
  CHECK(id_of(out) != id_of(write_file(dir.path() / "again.pdf", again.bytes)));
}

TEST_CASE("clean_pdf: encrypted, damaged and non-PDF input is not cleaned and gives no bytes") {
  TempDir dir("pdf-bad");
  const auto pdf = bytes_of(make_sample(dir, "pdf"));
  const auto encrypted = bytes_of(make_sample(dir, "pdf-encrypted"));
  const auto r = clean_pdf(encrypted);
  CHECK_FALSE(r.cleaned);
  CHECK(r.bytes.empty());
  CHECK(r.not_cleaned_reason == "encrypted PDF");
  for (const auto& bad : {std::vector<std::uint8_t>(pdf.begin(), pdf.begin() + 40),
                          std::vector<std::uint8_t>{}, std::vector<std::uint8_t>(1000, 'x')}) {
    const auto b = clean_pdf(bad);
    CHECK_FALSE(b.cleaned);
    CHECK(b.bytes.empty());
    CHECK(b.not_cleaned_reason == "damaged PDF");
  }
}

TEST_CASE("clean_office: authors, company, custom properties, comments' and changes' authors, rsids, "
          "thumbnails and printer settings are gone and the document is still whole") {
  for (const auto& c : kOffice) {
    const std::string kind = c.kind;
    CAPTURE(kind);
    TempDir dir("office-" + kind);
    const auto sample = make_sample(dir, kind);
    const auto before = reachable_text(sample);
    REQUIRE(before.find("SomchaiPlanted") != std::string::npos);
    if (kind == "docx" || kind == "odt" || kind == "ods") REQUIRE(before.find("PlantedSerial") != std::string::npos);
    REQUIRE(mat2_show_keys(sample).size() > 0);

    const auto result = clean_office(bytes_of(sample), c.mime);
    REQUIRE_MESSAGE(result.cleaned, result.not_cleaned_reason);
    for (const std::string label : c.labels) {
      CAPTURE(label);
      CHECK(has(result.removed, label));
    }
    const auto out = write_file(dir.path() / ("clean." + kind), result.bytes);
    const auto unzip = run("unzip -tq " + quoted(out.string()) + " 2>&1");
    CHECK_MESSAGE(unzip.status == 0, unzip.out);
    const auto package = run(quoted(KRASIP_MAKE_SAMPLES) + " --check-package " + quoted(out.string()) + " 2>&1");
    CHECK_MESSAGE(package.status == 0, package.out);
    const auto text = reachable_text(out);
    CHECK(text.find("Evidence") != std::string::npos);  // the content is still there
    CHECK(text.find("Author") != std::string::npos);    // comments keep a neutral author
    check_no_planted(out, text, kPlanted);
    std::string shown;
    mat2_show_keys(out, &shown);
    CHECK(shown.find("No metadata found") != std::string::npos);
    if (kind == "docx" || kind == "odt") {
      // The pasted photo is still a picture, without its EXIF.
      const std::string photo = kind == "docx" ? "word/media/photo.jpeg" : "Pictures/photo.jpg";
      const auto unpacked = run("cd " + quoted(dir.path().string()) + " && unzip -o -q " + quoted(out.string()) +
                                " " + photo + " && ffmpeg -v error -nostdin -i " + photo + " -f null - 2>&1");
      CHECK_MESSAGE(unpacked.status == 0, unpacked.out);
      CHECK(unpacked.out.empty());
      CHECK_FALSE(any_tag_mentions(exiftool_tags(dir.path() / photo), "GPS"));
    }
    // exiftool still knows what it is.
    bool typed = false;
    for (const auto& [k, v] : exiftool_tags(out)) typed = typed || (k == "File:MIMEType" && v == c.mime);
    CHECK(typed);
  }
}

TEST_CASE("clean_office: wrong family, damaged archive and encrypted ODF are not cleaned") {
  TempDir dir("office-bad");
  const auto docx = bytes_of(make_sample(dir, "docx"));
  const auto odt = bytes_of(make_sample(dir, "odt"));
  const auto xlsx_mime = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
  const auto docx_mime = "application/vnd.openxmlformats-officedocument.wordprocessingml.document";
  CHECK(clean_office(docx, xlsx_mime).not_cleaned_reason == "not a spreadsheetml document");
  CHECK_FALSE(clean_office(odt, "application/vnd.oasis.opendocument.spreadsheet").cleaned);
  CHECK_FALSE(clean_office(docx, "application/msword").cleaned);
  const std::vector<std::uint8_t> cut(docx.begin(), docx.begin() + static_cast<long>(docx.size() / 2));
  const auto damaged = clean_office(cut, docx_mime);
  CHECK_FALSE(damaged.cleaned);
  CHECK(damaged.bytes.empty());
  CHECK(damaged.not_cleaned_reason == "damaged document");

  // An ODF whose manifest says its content is encrypted.
  std::string text(odt.begin(), odt.end());
  const auto rebuilt = run("cd " + quoted(dir.path().string()) +
                           " && python3 -c \"import zipfile\n"
                           "src = zipfile.ZipFile('sample.odt')\n"
                           "out = zipfile.ZipFile('enc.odt', 'w')\n"
                           "for i in src.infolist():\n"
                           "    d = src.read(i.filename)\n"
                           "    if i.filename == 'META-INF/manifest.xml':\n"
                           "        d = d.replace(b'media-type=\\\"text/xml\\\"/>', b'media-type=\\\"text/xml\\\">"
                           "<manifest:encryption-data manifest:checksum-type=\\\"SHA1\\\" manifest:checksum=\\\"AA==\\\"/>"
                           "</manifest:file-entry>', 1)\n"
                           "    out.writestr(i, d)\n"
                           "out.close()\" 2>&1");
  REQUIRE_MESSAGE(rebuilt.status == 0, rebuilt.out);
  const auto enc = clean_office(bytes_of(dir.path() / "enc.odt"), "application/vnd.oasis.opendocument.text");
  CHECK_FALSE(enc.cleaned);
  CHECK(enc.not_cleaned_reason == "encrypted document");
}
