// The core path without HTTP: file a complaint, look it up by tracking code,
// and check that nothing secret reaches the disk in clear.
#include <doctest/doctest.h>

#include "agency_one.hpp"

#include <boost/json.hpp>
#include <filesystem>
#include <string>

#include "krasip/cases/agencies/agency_setup.hpp"
#include "krasip/cases/common/case_crypto.hpp"
#include "krasip/cases/common/case_error.hpp"
#include "krasip/cases/intake/complaint_input.hpp"
#include "krasip/cases/agencies/data_paths.hpp"
#include "krasip/cases/intake/intake_service.hpp"
#include "krasip/cases/accounts/reader_directory.hpp"
#include "krasip/cases/common/reporter_keys.hpp"
#include "krasip/cases/common/server_secrets.hpp"
#include "krasip/cases/reporter/status_service.hpp"
#include "krasip/cases/common/thai_time.hpp"
#include "krasip/crypto/encoding.hpp"
#include "krasip/crypto/key_pair.hpp"
#include "krasip/crypto/recovery_key.hpp"
#include "krasip/crypto/tracking_code.hpp"
#include "krasip/storage/case_store.hpp"
#include "krasip/storage/database.hpp"
#include "krasip/storage/key_store.hpp"
#include "krasip/storage/reader_pool.hpp"
#include "krasip/storage/write_queue.hpp"
#include "temp_dir.hpp"

using namespace krasip;
using namespace krasip::cases;
using krasip::test::read_all;
using krasip::test::TempDir;

namespace {

constexpr std::int64_t kNow = 1764300000;  // 2025-11-28 10:20 Bangkok, fiscal year 2569

const std::string kDescription =
    "ปลัดเรียกรับเงินใต้โต๊ะ 7,500 บาท จากผู้รับเหมาโครงการถนนลูกรัง หมู่ 4 "
    "โดยนัดรับเงินที่ร้านกาแฟหน้าตลาด";
const std::string kReporterName = "นางสาวพิมพ์ชนก วงศ์สวัสดิ์";
const std::string kPhone = "089-765-4321";

std::string national_id() {
  const std::string twelve = "352019900817";
  int sum = 0;
  for (int i = 0; i < 12; ++i) sum += (twelve[static_cast<std::size_t>(i)] - '0') * (13 - i);
  return twelve + static_cast<char>('0' + (11 - sum % 11) % 10);
}

ComplaintInput complaint(bool with_identity) {
  ComplaintInput c;
  c.category = "bribery";
  c.subject = {"นายประยุทธ ขี้โกง", "ปลัด อบต.", "สำนักปลัด"};
  c.description = kDescription;
  c.incident_date = "2025-11-20";
  if (with_identity) {
    Identity id;
    id.name = kReporterName;
    id.national_id = national_id();
    id.phone = kPhone;
    c.identity = id;
  }
  return c;
}

std::string digits_only(const std::string& formatted) {
  std::string out;
  for (char c : formatted) {
    if (c >= '0' && c <= '9') out += c;
  }
  return out;
}

// A valid code (correct Damm check digit) that was never issued.
std::string unissued_code() {
  const std::string body = "12345678901234567890";
  return body + crypto::damm_check_digit(body);
}

std::string wrong_check_digit(const std::string& formatted) {
  std::string s = formatted;
  char& last = s.back();
  last = static_cast<char>('0' + (last - '0' + 1) % 10);
  return s;
}

std::string thai_digits(const std::string& ascii) {
  std::string out;
  for (char c : ascii) {
    if (c >= '0' && c <= '9') {
      out += "\xE0\xB9";
      out += static_cast<char>(0x90 + (c - '0'));
    } else {
      out += c;
    }
  }
  return out;
}

// Every regular file under `dir`, concatenated.
std::string all_file_bytes(const std::filesystem::path& dir, int& files) {
  std::string all;
  files = 0;
  for (const auto& entry : std::filesystem::recursive_directory_iterator(dir)) {
    if (entry.is_regular_file()) {
      all += read_all(entry.path());
      ++files;
    }
  }
  return all;
}

}  // namespace

TEST_CASE("intake and status: a filed complaint is read back by its tracking code only") {
  TempDir dir("intake");
  const auto paths = DataPaths::in(dir.path() / "data");
  const auto init = initialise_agency(paths, demo_agency(), FirstCustodian{"admin", "Admin"},
                                      crypto::PwhashLimits::interactive());
  CHECK_FALSE(init.recovery_key.empty());
  CHECK_FALSE(init.custodian_password.empty());
  // A second initialisation of the same folder is refused.
  CHECK_THROWS(initialise_agency(paths, demo_agency(), std::nullopt,
                                 crypto::PwhashLimits::interactive()));

  const auto secrets = ServerSecrets::load(paths.pepper_file);
  std::string code1;
  std::string code2;
  std::int64_t case1_id = 0;
  storage::Blob case1_uid;
  std::int64_t case1_reporter_key = 0;
  const std::string fy = std::to_string(fiscal_year_be(kNow));
  REQUIRE(fy == "2569");
  {
    storage::WriteQueue writer(paths.database);
    storage::ReaderPool pool(paths.database);
    ReaderDirectory readers(pool);
    IntakeService intake(secrets, readers, writer, [] { return kNow; });
    StatusService status(secrets, pool);

    const auto r1 = intake.submit_and_wait(test::agency_one(), complaint(true));
    CHECK(r1.case_number == "NH-" + fy + "-00001");
    // The day only: 2025-11-28 00:00 Bangkok, not 10:20.
    CHECK(r1.received_at == kNow - (10 * 3600 + 20 * 60));
    CHECK(r1.received_at == bangkok_day_start(kNow));
    code1 = r1.tracking_code;
    REQUIRE(crypto::parse_tracking_code(code1).code.has_value());

    const auto r2 = intake.submit_and_wait(test::agency_one(), complaint(false));
    CHECK(r2.case_number == "NH-" + fy + "-00002");
    code2 = r2.tracking_code;
    CHECK(code2 != code1);

    const auto v = status.lookup(code1);
    CHECK(v.case_number == r1.case_number);
    CHECK(v.status == "received");
    CHECK(v.category == "bribery");
    CHECK(v.received_at == bangkok_day_start(kNow));
    CHECK(v.identity_provided);
    REQUIRE(v.timeline.size() == 1);
    CHECK(v.timeline[0].status == "received");
    CHECK(v.timeline[0].at == bangkok_day_start(kNow));
    REQUIRE(v.submission.contains("description"));
    const auto& desc = v.submission.at("description").as_string();
    CHECK(std::string(desc.data(), desc.size()) == kDescription);  // byte for byte
    CHECK(v.submission.at("subject").at("name").as_string() == "นายประยุทธ ขี้โกง");
    CHECK_FALSE(v.submission.contains("identity"));
    CHECK(v.messages.empty());

    // Typed without dashes, or in Thai digits, it is the same code.
    CHECK(status.lookup(digits_only(code1)).case_number == r1.case_number);
    CHECK(status.lookup(thai_digits(code1)).case_number == r1.case_number);

    const auto v2 = status.lookup(code2);
    CHECK(v2.case_number == r2.case_number);
    CHECK_FALSE(v2.identity_provided);

    try {
      status.lookup(unissued_code());
      FAIL("an unissued code was accepted");
    } catch (const CaseError& e) {
      CHECK(e.code() == ErrorCode::unknown_code);
    }
    try {
      status.lookup(wrong_check_digit(code1));
      FAIL("a mistyped code was accepted");
    } catch (const CaseError& e) {
      CHECK(e.code() == ErrorCode::malformed_code);
    }

    // Remember where case 1 lives for the key checks below.
    auto db = pool.acquire();
    const auto row = storage::case_store::find_by_number(*db, r1.case_number);
    REQUIRE(row.has_value());
    case1_id = row->id;
    case1_uid = row->uid;
    case1_reporter_key = row->reporter_key_id;
    CHECK(row->has_identity);

    // Nothing secret on disk while the service runs (database + WAL).
    const std::string db_bytes = read_all(paths.database);
    const std::string wal_bytes = read_all(paths.database.string() + "-wal");
    CHECK_FALSE(wal_bytes.empty());
    int files_running = 0;
    const std::string dir_bytes = all_file_bytes(paths.data_dir, files_running);
    CHECK(files_running >= 3);  // database, WAL, pepper
    for (const std::string& secret :
         {kDescription, kDescription.substr(0, 30), kReporterName, national_id(), kPhone,
          code1, digits_only(code1), code2, digits_only(code2)}) {
      INFO("secret: ", secret);
      CHECK(db_bytes.find(secret) == std::string::npos);
      CHECK(wal_bytes.find(secret) == std::string::npos);
      CHECK(dir_bytes.find(secret) == std::string::npos);
    }
    writer.stop();
  }

  // After shutdown: every file in the data folder, byte by byte.
  int files = 0;
  const std::string all_bytes = all_file_bytes(paths.data_dir, files);
  CHECK(files >= 2);  // database and pepper at least
  for (const std::string& secret :
       {kDescription, kDescription.substr(0, 30), kReporterName, national_id(), kPhone, code1,
        digits_only(code1), code2, digits_only(code2), init.recovery_key,
        init.custodian_password}) {
    INFO("secret: ", secret);
    CHECK(all_bytes.find(secret) == std::string::npos);
  }

  // Who can read the identity envelope. The reporter's slot exists only for
  // escalation, under a key of its own (cases_escalation_test.cpp): their
  // ordinary keys cannot open it.
  storage::Database db(paths.database, storage::OpenMode::read_only);
  const auto reporter_identity_slot =
      storage::case_store::envelope_for(db, case1_id, "identity", case1_reporter_key);
  REQUIRE(reporter_identity_slot.has_value());
  // The reporter does read their own complaint.
  const auto reporter_complaint =
      storage::case_store::envelope_for(db, case1_id, "complaint", case1_reporter_key);
  REQUIRE(reporter_complaint.has_value());
  const auto code1_parsed = *crypto::parse_tracking_code(code1).code;
  const auto case1_salt =
      storage::case_store::find_by_code_hash(
          db, crypto::tracking_code_lookup_hash(secrets.pepper, code1_parsed))
          ->reporter_salt;
  const ReporterKeys reporter_keys(secrets, case1_salt, code1_parsed);
  // The reporter's slot is a key wrap, not a sealed box: opening it costs no X25519.
  CHECK(reporter_complaint->sealed_key.size() == crypto::kWrappedKeyBytes);
  CHECK(boost::json::parse(open_case_record(*reporter_complaint, case1_uid, reporter_keys))
            .at("description")
            .as_string() == kDescription);
  // Another case's keys (same code, other salt) do not open it.
  const ReporterKeys wrong_salt(secrets, crypto::random_bytes(crypto::kCaseSaltBytes), code1_parsed);
  CHECK_THROWS_AS(open_case_record(*reporter_complaint, case1_uid, wrong_salt),
                  crypto::DecryptError);

  const auto recovery_secret = crypto::decode_recovery_key(init.recovery_key);
  REQUIRE(recovery_secret.has_value());
  const auto recovery = crypto::KeyPair::from_secret(*recovery_secret);
  std::int64_t recovery_id = 0;
  for (const auto& r : storage::key_store::active_readers(db)) {
    if (r.kind == "recovery") {
      CHECK(r.public_key == recovery.public_key);
      recovery_id = r.id;
    }
  }
  REQUIRE(recovery_id != 0);
  const auto identity_env = storage::case_store::envelope_for(db, case1_id, "identity", recovery_id);
  REQUIRE(identity_env.has_value());
  const auto identity = boost::json::parse(open_case_record(*identity_env, case1_uid, recovery));
  CHECK(identity.at("name").as_string() == kReporterName);
  CHECK(identity.at("national_id").as_string() == national_id());
  CHECK(identity.at("phone").as_string() == kPhone);
  CHECK_THROWS_AS(open_case_record(*reporter_identity_slot, case1_uid, reporter_keys), crypto::DecryptError);
  // The reporter's own keys do not open the identity, even given the sealed key of another reader.
  CHECK_THROWS_AS(open_case_record(*identity_env, case1_uid, reporter_keys), crypto::DecryptError);
  CHECK_THROWS_AS(open_case_record(*identity_env, case1_uid, reporter_keys.key_pair()),
                  crypto::DecryptError);
  // Moved to another field, the identity ciphertext does not open.
  auto moved = *identity_env;
  moved.field = "complaint";
  CHECK_THROWS_AS(open_case_record(moved, case1_uid, recovery), crypto::DecryptError);
}

TEST_CASE("reporter keys open a wrapped slot and, for cases filed before key wrapping, a sealed one") {
  const TempDir dir("reporter-keys");
  const auto secrets = ServerSecrets::create(dir.path() / "pepper");
  const auto code = crypto::TrackingCode::generate();
  const auto salt = crypto::random_bytes(crypto::kCaseSaltBytes);
  const ReporterKeys keys(secrets, salt, code);
  const auto data_key = crypto::SecureBytes::random(32);

  const auto wrapped = crypto::wrap_data_key(data_key, keys.wrap_key());
  const auto sealed =
      crypto::seal_data_key(data_key, crypto::reporter_key_pair(secrets.pepper, salt, code).public_key);
  const auto as_text = [](const crypto::SecureBytes& s) {
    return std::string(reinterpret_cast<const char*>(s.data()), s.size());
  };
  CHECK(as_text(keys.open_data_key(wrapped)) == as_text(data_key));
  CHECK(as_text(keys.open_data_key(sealed)) == as_text(data_key));
  // The same code under another case's salt opens neither.
  const ReporterKeys other(secrets, crypto::random_bytes(crypto::kCaseSaltBytes), code);
  CHECK_THROWS_AS(other.open_data_key(wrapped), crypto::DecryptError);
  CHECK_THROWS_AS(other.open_data_key(sealed), crypto::DecryptError);
}
