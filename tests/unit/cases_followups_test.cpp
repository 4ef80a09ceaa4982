// Reporter follow-ups without HTTP: messages both ways, evidence files
// cleaned, encrypted while they stream, readable by the recovery key, and
// nothing left behind by an abandoned upload.
#include <doctest/doctest.h>

#include "agency_one.hpp"

#include <future>
#include <string>

#include "exif_fixture.hpp"
#include "krasip/cases/agencies/agency_setup.hpp"
#include "krasip/cases/evidence/attachment_file.hpp"
#include "krasip/cases/common/case_error.hpp"
#include "krasip/cases/reporter/case_followups.hpp"
#include "krasip/cases/common/thai_time.hpp"
#include "cleaner_paths.hpp"
#include "krasip/cases/evidence/file_types.hpp"
#include "krasip/cases/intake/intake_service.hpp"
#include "krasip/cases/reporter/followup_service.hpp"
#include "krasip/cases/reporter/reporter_access.hpp"
#include "krasip/cases/common/text_rules.hpp"
#include "krasip/cases/accounts/reader_directory.hpp"
#include "krasip/cases/reporter/status_service.hpp"
#include "krasip/crypto/recovery_key.hpp"
#include "krasip/storage/case_followups.hpp"
#include "krasip/storage/case_store.hpp"
#include "krasip/storage/database.hpp"
#include "krasip/storage/key_store.hpp"
#include "temp_dir.hpp"

using namespace krasip;
using namespace krasip::cases;
using krasip::test::TempDir;

namespace {

constexpr std::int64_t kNow = 1764300000;

std::span<const std::uint8_t> bytes_of(const std::string& s) {
  return {reinterpret_cast<const std::uint8_t*>(s.data()), s.size()};
}

struct Fixture {
  TempDir dir{"followups"};
  DataPaths paths = DataPaths::in(dir.path() / "data");
  InitResult init = initialise_agency(paths, demo_agency(), FirstCustodian{"admin", "Admin"},
                                      crypto::PwhashLimits::interactive());
  ServerSecrets secrets = ServerSecrets::load(paths.pepper_file);
  storage::WriteQueue writer{paths.database};
  storage::ReaderPool pool{paths.database};
  ReaderDirectory readers{pool};
  IntakeService intake{secrets, readers, writer, [] { return kNow; }};
  Limits limits = [] {
    Limits l;
    l.upload_max_bytes = 2 * 1024 * 1024;
    l.case_upload_max_bytes = 3 * 1024 * 1024;
    l.messages_per_case_per_day = 3;
    return l;
  }();
  std::filesystem::path attachments = paths.data_dir / "attachments";
  FollowUpService followups{secrets, pool, writer, attachments, limits, [] { return kNow + 60; },
                            test::helper_config()};

  std::string file_complaint() {
    ComplaintInput c;
    c.category = "bribery";
    c.subject = {"นายทดสอบ", "ปลัด", "สำนักปลัด"};
    c.description = "รายละเอียดการร้องเรียน";
    return intake.submit_and_wait(test::agency_one(), c).tracking_code;
  }

  storage::CaseRow case_of(const std::string& code) {
    auto db = pool.acquire();
    return open_reporter_case(secrets, *db, code).row;
  }

  // The recovery key pair and its reader id.
  std::pair<crypto::KeyPair, std::int64_t> recovery() {
    auto secret = crypto::decode_recovery_key(init.recovery_key);
    REQUIRE(secret);
    auto kp = crypto::KeyPair::from_secret(*secret);
    auto db = pool.acquire();
    for (const auto& r : storage::key_store::active_readers(*db)) {
      if (r.kind == "recovery") return {std::move(kp), r.id};
    }
    FAIL("no recovery key");
    return {std::move(kp), 0};
  }

  MessageReceipt post(const std::string& code, const std::string& body) {
    std::promise<MessageReceipt> p;
    followups.post_reporter_message(code, body, [&p](std::exception_ptr e, MessageReceipt r) {
      e ? p.set_exception(std::move(e)) : p.set_value(r);
    });
    return p.get_future().get();
  }

  AttachmentEntry upload(const std::string& code, const std::string& name, const std::string& data,
                         std::size_t step = 7777) {
    auto up = followups.begin_reporter_upload(code);
    up->begin_file(name);
    for (std::size_t i = 0; i < data.size(); i += step) {
      up->write(bytes_of(data.substr(i, step)));
    }
    std::promise<AttachmentEntry> p;
    up->finish([&p](std::exception_ptr e, AttachmentEntry a) {
      e ? p.set_exception(std::move(e)) : p.set_value(std::move(a));
    });
    up.reset();
    return p.get_future().get();
  }

  std::size_t files_in_attachments() {
    std::size_t n = 0;
    for ([[maybe_unused]] const auto& e : std::filesystem::directory_iterator(attachments)) ++n;
    return n;
  }
};

std::string pdf_bytes(std::size_t size, char fill = 'P') {
  std::string s = "%PDF-1.4\n%\xE2\xE3\xCF\xD3\n1 0 obj\n<< /Type /Catalog >>\nendobj\n";
  s.resize(size, fill);
  return s;
}

}  // namespace

TEST_CASE("follow-ups: messages both ways share one path and round-trip Thai text") {
  Fixture f;
  const auto code = f.file_complaint();
  const std::string thai = "ขอส่งหลักฐานเพิ่มเติม: ใบเสร็จ ๓ ใบ\nบรรทัดที่สอง 🙏";
  const auto r = f.post(code, thai);
  CHECK(r.from == "reporter");
  CHECK(r.at == kNow + 60 - 37260);  // the reporter's: the day only, 00:00 Bangkok
  CHECK(r.at == bangkok_day_start(kNow + 60));

  const auto row = f.case_of(code);
  std::promise<MessageReceipt> p;
  f.followups.post_investigator_message(row, 1, "ได้รับแล้วครับ", [&p](std::exception_ptr e, MessageReceipt m) {
    e ? p.set_exception(std::move(e)) : p.set_value(m);
  });
  CHECK(p.get_future().get().from == "investigator");

  // The recovery key reads both, with authors; so does the reporter's status page.
  auto [rk, rk_id] = f.recovery();
  auto db = f.pool.acquire();
  const auto msgs = read_messages(*db, row, rk_id, rk);
  REQUIRE(msgs.size() == 2);
  CHECK(msgs[0].body == thai);
  CHECK(msgs[0].from == "reporter");
  CHECK_FALSE(msgs[0].author_user_id);
  CHECK(msgs[1].from == "investigator");
  CHECK(msgs[1].author_user_id == 1);
  StatusService status(f.secrets, f.pool);
  const auto v = status.lookup(code);
  REQUIRE(v.messages.size() == 2);
  CHECK(v.messages[0].body == thai);  // the reporter's own: a key wrap
  CHECK(v.messages[1].body == "ได้รับแล้วครับ");  // the investigator's: sealed to the reporter's key pair
  CHECK(storage::case_store::messages_for(*db, row.id, row.reporter_key_id).at(0).envelope.sealed_key.size() ==
        crypto::kWrappedKeyBytes);
  CHECK(storage::case_store::messages_for(*db, row.id, row.reporter_key_id).at(1).envelope.sealed_key.size() ==
        crypto::kSealedKeyBytes);

  // Sealed to exactly the readers of the complaint.
  const auto readers = storage::case_store::complaint_readers(*db, row.id);
  CHECK(readers.size() == 3);  // recovery, the first investigator, the reporter
}

TEST_CASE("follow-ups: message bodies are validated and rate limited per case") {
  Fixture f;
  const auto code = f.file_complaint();
  const auto code_of = [&](const std::string& body) {
    try {
      f.post(code, body);
    } catch (const CaseError& e) {
      return e.code();
    }
    return ErrorCode::not_found;  // meaning: accepted
  };
  CHECK(code_of("   \n ") == ErrorCode::missing_field);
  CHECK(code_of("bell\x07") == ErrorCode::invalid_field);
  CHECK(code_of("\xC3\x28") == ErrorCode::invalid_utf8);
  std::string long_thai;
  for (int i = 0; i < 5001; ++i) long_thai += "ก";
  CHECK(code_of(long_thai) == ErrorCode::field_too_long);
  long_thai.resize(long_thai.size() - 3);
  CHECK(code_of(long_thai) == ErrorCode::not_found);  // exactly 5000: accepted
  CHECK(code_of("two") == ErrorCode::not_found);
  CHECK(code_of("three") == ErrorCode::not_found);
  CHECK(code_of("four") == ErrorCode::rate_limited);  // limit 3 a day in this fixture
  CHECK_THROWS_AS(f.post("1234567-8901234-5678901", "x"), CaseError);
}

TEST_CASE("follow-ups: a JPEG's GPS and serial number are gone; the recovery key reads it back") {
  Fixture f;
  const auto code = f.file_complaint();
  const std::string jpeg = test::jpeg_with_gps();
  REQUIRE(test::image_metadata(jpeg).has_gps);
  REQUIRE(jpeg.find(test::kCameraSerial) != std::string::npos);

  const auto a = f.upload(code, "C:\\Users\\somchai\\Pictures\\IMG_0001.JPG", jpeg, 100);
  CHECK(a.content_type == "image/jpeg");
  CHECK(a.metadata_removed);
  CHECK(a.filename == "IMG_0001.JPG");
  CHECK(a.id.size() == 32);
  CHECK(f.files_in_attachments() == 1);

  auto [rk, rk_id] = f.recovery();
  auto db = f.pool.acquire();
  const auto row = f.case_of(code);
  const auto list = read_attachments(*db, row, rk_id, rk);
  REQUIRE(list.size() == 1);
  CHECK(list[0].filename == "IMG_0001.JPG");
  CHECK(list[0].size == a.size);

  auto dl = AttachmentDownload::open(*db, f.attachments, row, a.id, rk_id, rk);
  std::string back;
  while (auto chunk = dl.next_chunk()) back.append(reinterpret_cast<const char*>(chunk->data()), chunk->size());
  CHECK(back.size() == a.size);
  const auto meta = test::image_metadata(back);
  CHECK(meta.readable);
  CHECK_FALSE(meta.has_exif);
  CHECK_FALSE(meta.has_gps);
  CHECK_FALSE(meta.has_xmp);
  CHECK(back.find(test::kCameraSerial) == std::string::npos);
  CHECK(back.find(test::kXmpCreator) == std::string::npos);
  CHECK(back.substr(0, 2) == "\xFF\xD8");

  // Stored only as ciphertext.
  int files = 0;
  std::string disk;
  for (const auto& e : std::filesystem::recursive_directory_iterator(f.paths.data_dir)) {
    if (e.is_regular_file()) {
      disk += test::read_all(e.path());
      ++files;
    }
  }
  CHECK(disk.find(test::kCameraSerial) == std::string::npos);
  CHECK(disk.find("IMG_0001") == std::string::npos);
  CHECK(disk.find(back.substr(back.size() - 200)) == std::string::npos);

  // An unknown id, or one for a reader without a key, is not found.
  CHECK_THROWS_AS(AttachmentDownload::open(*db, f.attachments, row, std::string(32, '0'), rk_id, rk),
                  CaseError);
  CHECK_THROWS_AS(AttachmentDownload::open(*db, f.attachments, row, a.id, 999, rk), CaseError);
}

TEST_CASE("follow-ups: a file that cannot be cleaned is kept unchanged; limits and types are enforced") {
  Fixture f;
  const auto code = f.file_complaint();
  // Chunk-boundary sizes of the stream: exactly one chunk, one more byte.
  for (std::size_t size : {std::size_t{64 * 1024}, std::size_t{64 * 1024 + 1}, std::size_t{200000}}) {
    CAPTURE(size);
    const std::string pdf = pdf_bytes(size, static_cast<char>('a' + size % 26));
    const auto a = f.upload(code, "report.pdf", pdf);
    CHECK(a.content_type == "application/pdf");
    CHECK_FALSE(a.metadata_removed);
    auto [rk, rk_id] = f.recovery();
    auto db = f.pool.acquire();
    auto dl = AttachmentDownload::open(*db, f.attachments, f.case_of(code), a.id, rk_id, rk);
    std::string back;
    while (auto chunk = dl.next_chunk()) back.append(reinterpret_cast<const char*>(chunk->data()), chunk->size());
    CHECK(back == pdf);
  }
  const std::size_t before = f.files_in_attachments();

  const auto refused = [&](const std::string& data) {
    try {
      f.upload(code, "x", data);
    } catch (const CaseError& e) {
      return e.code();
    }
    return ErrorCode::not_found;
  };
  std::string elf = "\x7F" "ELF\x02\x01\x01";
  elf.resize(4096, '\0');
  CHECK(refused(elf) == ErrorCode::file_type_not_allowed);
  std::string zip = "PK\x03\x04\x14\x00\x00\x00\x08\x00";
  zip.resize(200000, 'z');
  CHECK(refused(zip) == ErrorCode::file_type_not_allowed);
  CHECK(refused(pdf_bytes(2 * 1024 * 1024 + 1)) == ErrorCode::file_too_large);
  CHECK(refused("") == ErrorCode::invalid_field);
  // The case quota (3 MiB here; 0.3 MiB used): 1.9 MiB fits, 1 MiB more does not.
  f.upload(code, "a.pdf", pdf_bytes(1900 * 1024));
  CHECK(refused(pdf_bytes(1000 * 1024)) == ErrorCode::case_upload_limit);
  // Refusals leave no file behind.
  CHECK(f.files_in_attachments() == before + 1);

  // An abandoned upload (client gone) removes its partial file. Text: a
  // type with no cleaner streams to its file as it comes (a PDF is now
  // held whole for the sandboxed cleaner, issue 14).
  {
    auto up = f.followups.begin_reporter_upload(code);
    up->begin_file("half.txt");
    std::string text = "Minutes of the meeting\n";
    std::uint32_t x = 12345;
    while (text.size() < 300 * 1024) {
      x = x * 1103515245u + 12345u;
      text.push_back(text.size() % 64 == 63 ? '\n' : static_cast<char>('a' + (x >> 16) % 26));
    }
    up->write(bytes_of(text));
    CHECK(f.files_in_attachments() == before + 2);  // the .part file exists meanwhile
  }
  CHECK(f.files_in_attachments() == before + 1);
}

TEST_CASE("follow-ups: the startup sweep removes files no row refers to") {
  Fixture f;
  const auto code = f.file_complaint();
  const auto a = f.upload(code, "keep.pdf", pdf_bytes(1000));
  std::ofstream(f.attachments / "0123456789abcdef0123456789abcdef.enc") << "leftover";
  std::ofstream(f.attachments / "fedcba9876543210fedcba9876543210.enc.part") << "partial";
  CHECK(f.files_in_attachments() == 3);
  CHECK(f.followups.sweep_orphans() == 2);
  CHECK(f.files_in_attachments() == 1);
  auto [rk, rk_id] = f.recovery();
  auto db = f.pool.acquire();
  CHECK(read_attachments(*db, f.case_of(code), rk_id, rk).size() == 1);
}

TEST_CASE("follow-ups: file names are made safe") {
  CHECK(sanitise_file_name("../../etc/passwd") == "passwd");
  CHECK(sanitise_file_name("C:\\Users\\a\\ภาพ หลักฐาน.jpg") == "ภาพ หลักฐาน.jpg");
  CHECK(sanitise_file_name("..") == "file");
  CHECK(sanitise_file_name("") == "file");
  CHECK(sanitise_file_name("a\x01\nb.pdf") == "ab.pdf");
  CHECK(sanitise_file_name("evil\xE2\x80\xAEgpj.exe") == "evilgpj.exe");  // no RTL override
  CHECK(sanitise_file_name("bad\xC3\x28utf8.pdf") == "bad(utf8.pdf");
  std::string long_name;
  for (int i = 0; i < 300; ++i) long_name += "ก";
  const auto cut = sanitise_file_name(long_name + ".pdf", 200);
  CHECK(*utf8_length(cut) == 200);
  CHECK(cut.ends_with(".pdf"));
}

TEST_CASE("follow-ups: the allow-list answers for real content") {
  const auto sniff = [](const std::string& s) { return cleaner::sniff(test::helper_config(), bytes_of(s)).mime; };
  CHECK(allowed_file_type(sniff(pdf_bytes(2000)))->mime == "application/pdf");
  CHECK(allowed_file_type(sniff(test::fixture_bytes("tiny.jpg")))->cleaned);
  CHECK(allowed_file_type(sniff(pdf_bytes(2000)))->cleaned);
  CHECK_FALSE(allowed_file_type(sniff(std::string("สวัสดี plain text\n")))->cleaned);
  CHECK(allowed_file_type(sniff(std::string("สวัสดี plain text\n"))) != nullptr);
  CHECK(allowed_file_type("audio/x-wav")->mime == "audio/wav");
  CHECK(allowed_file_type("application/x-executable") == nullptr);
  CHECK(allowed_file_type("application/zip") == nullptr);
}
