// krasip-bench-fill: fills a Krasip database (made by `krasipd init`) with N
// complaints for the scale benchmark.
//
// Every case goes through cases::IntakeService::submit, as a POST would: real
// Thai text, a tracking code, the reporter key pair, envelopes sealed to every
// current reader (so create the investigator account BEFORE filling) and a
// row committed by the single writer (storage::WriteQueue, group commit,
// synchronous=FULL). Only the clock is fake: received_at is spread evenly
// over several fiscal years. A second pass then moves cases on to later
// statuses (by age, with a deterministic spread) in one transaction, adds the
// matching timeline events and rebuilds case_counts. That pass is plain SQL,
// not TriageService, so it writes no audit entries.
//
//   krasip-bench-fill --data-dir D --cases N [--threads 2] [--years 4]
//                     [--codes-out F --codes N] [--agencies K --agency-cases M]
//
// With --agencies K (issue 11), K - 1 agencies are first added to the
// deployment through cases::add_agency, in one transaction, as `krasipd
// agency add` does: each its own recovery key pair, first administrator
// (key pair, TOTP secret, wrapped key), `default` channel and audit chain.
// One thing is cheaper than in production, and said so: the administrators'
// passwords are wrapped with Argon2id at its minimum cost (1 pass, 8 KiB)
// instead of `--fast-kdf`'s 64 MiB, or adding 8,000 agencies would take an
// hour of key stretching that no request ever repeats. Agency 1 (made by
// `init`, with the bench investigator) then receives M of the N cases,
// spread evenly through the filing order; the other N - M go round-robin
// to the other agencies, so the measured agency's rows are interleaved
// with theirs in the table as they would be in a shared deployment.
#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <ctime>
#include <exception>
#include <fstream>
#include <iostream>
#include <mutex>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "krasip/cases/agencies/agency_registry.hpp"
#include "krasip/cases/agencies/data_paths.hpp"
#include "krasip/cases/audit/audit_log.hpp"
#include "krasip/cases/common/agency_scope.hpp"
#include "krasip/cases/intake/intake_service.hpp"
#include "krasip/cases/accounts/reader_directory.hpp"
#include "krasip/cases/common/server_secrets.hpp"
#include "krasip/cases/common/thai_time.hpp"
#include "krasip/crypto/sodium_init.hpp"
#include "krasip/storage/database.hpp"
#include "krasip/storage/key_store.hpp"
#include "krasip/storage/reader_pool.hpp"
#include "krasip/storage/transaction.hpp"
#include "krasip/storage/write_queue.hpp"

namespace {

using krasip::cases::ComplaintInput;

struct Options {
  std::string data_dir;
  std::int64_t cases = 100000;
  int threads = 2;
  int years = 4;
  std::string codes_out;
  std::int64_t codes = 0;
  std::int64_t agencies = 1;
  std::int64_t agency_cases = -1;  // cases of agency 1; -1: all
};

[[noreturn]] void usage(const std::string& why) {
  std::cerr << "krasip-bench-fill: " << why
            << "\nusage: krasip-bench-fill --data-dir D --cases N [--threads 2] [--years 4]"
               " [--codes-out F --codes N]\n";
  std::exit(2);
}

Options parse(int argc, char** argv) {
  Options o;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    if (i + 1 >= argc) usage(a + " needs a value");
    const std::string v = argv[++i];
    if (a == "--data-dir") o.data_dir = v;
    else if (a == "--cases") o.cases = std::stoll(v);
    else if (a == "--threads") o.threads = std::max(1, std::stoi(v));
    else if (a == "--years") o.years = std::max(1, std::stoi(v));
    else if (a == "--codes-out") o.codes_out = v;
    else if (a == "--codes") o.codes = std::stoll(v);
    else if (a == "--agencies") o.agencies = std::max<std::int64_t>(1, std::stoll(v));
    else if (a == "--agency-cases") o.agency_cases = std::stoll(v);
    else usage("unknown option " + a);
  }
  if (o.data_dir.empty()) usage("--data-dir is required");
  if (o.cases < 1) usage("--cases must be positive");
  if (o.agency_cases < 0 || o.agencies == 1) o.agency_cases = o.cases;
  if (o.agency_cases > o.cases) usage("--agency-cases is at most --cases");
  return o;
}

// Realistic Thai complaints: a few officials, places and allegations combined.
const char* const kCategories[] = {"corruption", "bribery", "procurement", "misconduct", "service", "other"};
const char* const kNames[] = {"นายสมศักดิ์ ใจดี", "นางสาววันเพ็ญ ศรีสุข", "นายประเสริฐ มั่นคง",
                              "นางกาญจนา บุญมา", "นายวีระพงษ์ ทองคำ", "นายอนุชา แก้วมณี"};
const char* const kPositions[] = {"ปลัด อบต.", "ผู้อำนวยการกองคลัง", "นายช่างโยธา", "เจ้าพนักงานธุรการ",
                                  "หัวหน้าสำนักปลัด", "นักวิชาการพัสดุ"};
const char* const kUnits[] = {"สำนักปลัด", "กองคลัง", "กองช่าง", "กองการศึกษา", "กองสาธารณสุข"};
const char* const kDescriptions[] = {
    "เจ้าหน้าที่เรียกรับเงินจำนวนสองหมื่นบาทเพื่อแลกกับการออกใบอนุญาตก่อสร้างอาคาร "
    "โดยแจ้งว่าหากไม่จ่ายจะไม่พิจารณาคำขอ มีพยานเห็นเหตุการณ์สองคน",
    "โครงการก่อสร้างถนนคอนกรีตเสริมเหล็กหมู่ที่ 4 ใช้วัสดุไม่ตรงตามแบบ ความหนาไม่ถึง 15 เซนติเมตร "
    "ถนนแตกร้าวภายในสามเดือนหลังส่งมอบงาน ผู้รับเหมาเป็นญาติของผู้บริหาร",
    "การจัดซื้อวัสดุสำนักงานมีการแบ่งซื้อแบ่งจ้างเพื่อหลีกเลี่ยงการประกวดราคา ราคาสูงกว่าท้องตลาดเกือบเท่าตัว "
    "และร้านค้าที่ได้รับการคัดเลือกเป็นร้านเดิมทุกครั้ง",
    "เจ้าหน้าที่ใช้รถยนต์ส่วนกลางของ อบต. ไปทำธุระส่วนตัวในวันหยุดเป็นประจำ และเบิกค่าน้ำมันเชื้อเพลิงเกินจริง",
    "ยื่นคำร้องขอรับเบี้ยยังชีพผู้สูงอายุมาแล้วสามเดือนยังไม่ได้รับการพิจารณา "
    "เจ้าหน้าที่พูดจาไม่สุภาพและให้ไปติดต่อใหม่หลายครั้งโดยไม่แจ้งเหตุผล",
    "มีการเบิกจ่ายค่าตอบแทนการปฏิบัติงานนอกเวลาราชการให้บุคคลที่ไม่ได้มาปฏิบัติงานจริง "
    "ลายมือชื่อในบัญชีลงเวลาเป็นลายมือของคนเดียวกัน",
};
const char* const kLocations[] = {"ที่ทำการ อบต.หนองไฮ", "หมู่ที่ 4 บ้านโนนสูง", "ศูนย์พัฒนาเด็กเล็ก",
                                  "ตลาดสดเทศบาล", "ห้องประชุมสภา อบต."};

// A valid Thai national ID (mod-11 check digit) built from a counter.
std::string national_id(std::uint64_t n) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "1%011llu", static_cast<unsigned long long>(n % 100000000000ULL));
  std::string d(buf, 12);
  int sum = 0;
  for (int i = 0; i < 12; ++i) sum += (d[i] - '0') * (13 - i);
  d.push_back(static_cast<char>('0' + (11 - sum % 11) % 10));
  return d;
}

ComplaintInput make_complaint(std::mt19937_64& rng, std::int64_t received_at) {
  const auto pick = [&rng](const auto& arr) { return arr[rng() % std::size(arr)]; };
  ComplaintInput c;
  c.category = pick(kCategories);
  c.subject = {pick(kNames), pick(kPositions), pick(kUnits)};
  c.description = pick(kDescriptions);
  const auto day = krasip::cases::bangkok_date(received_at - static_cast<std::int64_t>(rng() % 20) * 86400);
  char date[16];
  std::snprintf(date, sizeof date, "%04d-%02d-%02d", day.year, day.month, day.day);
  c.incident_date = date;
  c.location = pick(kLocations);
  if (rng() % 10 < 3) {  // 30 % give their name
    c.identity = krasip::cases::Identity{"นางสาวพิมพ์ชนก ใจกล้า", national_id(rng()), "0819998877",
                                         "reporter@example.org", "99 หมู่ 1 ต.หนองไฮ อ.เมือง"};
  }
  return c;
}

// Moves cases on from 'received', by age; deterministic from the case id.
void age_statuses(const std::filesystem::path& db_path, std::int64_t now) {
  auto db = krasip::storage::open_writer(db_path);
  krasip::storage::Transaction tx(db);
  std::vector<std::pair<std::int64_t, std::int64_t>> rows;
  {
    auto st = db.prepare("SELECT id, received_at FROM cases WHERE status = 'received'");
    while (st.step()) rows.emplace_back(st.get_int(0), st.get_int(1));
  }
  auto upd = db.prepare(
      "UPDATE cases SET status = ?1, acknowledged_at = ?2, first_reply_at = ?3, outcome_at = ?4,"
      " updated_at = ?5 WHERE id = ?6");
  auto ev = db.prepare(
      "INSERT INTO case_events (id, case_id, at, kind, status, visible_to_reporter, ord)"
      " VALUES (random() & 0x3FFFFFFFFFFFFFFF, ?1, ?2, 'status', ?3, 1, 2)");
  constexpr std::int64_t day = 86400;
  for (const auto& [id, at] : rows) {
    const std::int64_t age_days = (now - at) / day;
    const auto r = static_cast<int>((static_cast<std::uint64_t>(id) * 2654435761ULL >> 7) % 100);
    const char* status = "received";
    if (age_days > 90) {
      status = r < 5 ? "investigating" : r < 20 ? "substantiated" : r < 55 ? "unsubstantiated"
             : r < 70 ? "referred" : r < 80 ? "rejected" : "closed";
    } else if (age_days > 15) {
      status = r < 10 ? "received" : r < 35 ? "acknowledged" : r < 90 ? "investigating" : "closed";
    } else if (age_days > 3) {
      status = r < 55 ? "received" : r < 85 ? "acknowledged" : "investigating";
    }
    if (std::strcmp(status, "received") == 0) continue;
    const bool investigating = std::strcmp(status, "acknowledged") != 0;
    const bool final = investigating && std::strcmp(status, "investigating") != 0;
    const std::int64_t ack = at + 2 * day;
    const std::int64_t reply = at + 10 * day;
    const std::int64_t outcome = at + 60 * day;
    upd.bind(1, status).bind(2, ack);
    if (investigating) upd.bind(3, reply); else upd.bind_null(3);
    if (final) upd.bind(4, outcome); else upd.bind_null(4);
    upd.bind(5, final ? outcome : investigating ? reply : ack).bind(6, id);
    upd.run();
    upd.reset();
    ev.bind(1, id).bind(2, ack).bind(3, "acknowledged");
    ev.run();
    ev.reset();
    if (investigating) {
      ev.bind(1, id).bind(2, reply).bind(3, "investigating");
      ev.run();
      ev.reset();
    }
    if (final) {
      ev.bind(1, id).bind(2, outcome).bind(3, status);
      ev.run();
      ev.reset();
    }
  }
  // The counts the statuses moved: per agency (the public statistics) and
  // per channel (an investigator's).
  db.exec("DELETE FROM case_counts");
  db.exec(
      "INSERT INTO case_counts (agency_id, fiscal_year, month, category, status, n)"
      " SELECT agency_id, fiscal_year, CAST(strftime('%m', received_at + 25200, 'unixepoch') AS INTEGER),"
      " category, status, COUNT(*) FROM cases GROUP BY 1, 2, 3, 4, 5");
  db.exec("DELETE FROM channel_counts");
  db.exec(
      "INSERT INTO channel_counts (channel_id, fiscal_year, month, category, status, n)"
      " SELECT channel_id, fiscal_year, CAST(strftime('%m', received_at + 25200, 'unixepoch') AS INTEGER),"
      " category, status, COUNT(*) FROM cases WHERE channel_id IS NOT NULL GROUP BY 1, 2, 3, 4, 5");
  tx.commit();
  db.exec("PRAGMA wal_checkpoint(TRUNCATE)");
  db.exec("ANALYZE");
}

// "X" and four letters: a case prefix no `init` uses, unique per index.
std::string case_prefix(std::int64_t i) {
  std::string p = "X";
  for (int k = 0; k < 4; ++k, i /= 26) p.push_back(static_cast<char>('A' + i % 26));
  return p;
}

std::vector<krasip::storage::AgencyRow> add_agencies(const krasip::cases::DataPaths& paths,
                                                     const krasip::cases::ServerSecrets& secrets,
                                                     std::int64_t count, std::int64_t now) {
  const auto started = std::chrono::steady_clock::now();
  auto db = krasip::storage::open_writer(paths.database);
  const krasip::cases::AuditLog audit(secrets.pepper);
  // Argon2id at its floor for the administrators' passwords (see the top).
  const krasip::crypto::PwhashLimits floor{1, 8192};
  std::vector<krasip::storage::AgencyRow> out;
  krasip::storage::Transaction tx(db);
  for (std::int64_t i = 2; i <= count; ++i) {
    char slug[32];
    std::snprintf(slug, sizeof slug, "bench-agency-%05lld", static_cast<long long>(i));
    krasip::cases::NewAgency spec{slug, "อบต.ทดสอบ " + std::to_string(i), "Bench SAO " + std::to_string(i),
                                  case_prefix(i), std::nullopt, {"https://" + std::string(slug) + ".example.go.th"},
                                  std::nullopt, std::nullopt};
    const auto r = krasip::cases::add_agency(db, audit, spec, now, floor);
    out.push_back(*krasip::storage::key_store::load_agency(db, r.agency_id));
  }
  tx.commit();
  const double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  std::cerr << "fill: added " << out.size() << " agencies in " << s << " s\n";
  return out;
}

}  // namespace

int main(int argc, char** argv) {
  const Options opt = parse(argc, argv);
  krasip::crypto::ensure_sodium();
  const auto paths = krasip::cases::DataPaths::in(opt.data_dir);
  const auto secrets = krasip::cases::ServerSecrets::load(paths.pepper_file);
  const auto agencies_started = std::chrono::steady_clock::now();
  const auto others = add_agencies(paths, secrets, opt.agencies, static_cast<std::int64_t>(std::time(nullptr)));
  const double agencies_s =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - agencies_started).count();
  krasip::storage::AgencyRow first;
  first.id = 1;
  krasip::storage::WriteQueue writer(paths.database);
  krasip::storage::ReaderPool pool(paths.database);
  krasip::cases::ReaderDirectory readers(pool);
  std::cerr << "fill: sealing each case to " << readers.current(krasip::cases::AgencyScope::of(first))->case_readers.size()
            << " case readers\n";

  const std::int64_t now = static_cast<std::int64_t>(std::time(nullptr));
  const int this_fy = krasip::cases::fiscal_year_be(now);
  const std::int64_t from = krasip::cases::fiscal_year_start(this_fy - opt.years + 1);
  const std::int64_t span = now - 60 - from;

  // Bounded in-flight submissions, so the writer's queue stays small.
  std::mutex mu;
  std::condition_variable cv;
  std::int64_t in_flight = 0;
  constexpr std::int64_t kMaxInFlight = 4096;
  std::atomic<std::int64_t> next{0}, done_count{0}, failed{0}, other_next{0};
  std::vector<std::string> codes;
  const auto started = std::chrono::steady_clock::now();

  const auto work = [&](int t) {
    std::mt19937_64 rng(0x6b72617369702bULL + static_cast<std::uint64_t>(t));
    std::int64_t at = 0;
    krasip::cases::IntakeService intake(secrets, readers, writer, [&at] { return at; });
    for (;;) {
      const std::int64_t i = next.fetch_add(1);
      if (i >= opt.cases) break;
      at = from + span * i / opt.cases;
      const auto input = make_complaint(rng, at);
      // Agency 1's share spread evenly through the order; the rest round-robin.
      const bool measured = others.empty() || (i + 1) * opt.agency_cases / opt.cases > i * opt.agency_cases / opt.cases;
      const auto agency = krasip::cases::AgencyScope::of(
          measured ? first : others[static_cast<std::size_t>(other_next.fetch_add(1)) % others.size()]);
      {
        std::unique_lock lock(mu);
        cv.wait(lock, [&] { return in_flight < kMaxInFlight; });
        ++in_flight;
      }
      const bool keep_code = i >= opt.cases - opt.codes;  // the newest cases
      intake.submit(agency, input, [&, keep_code](std::exception_ptr e, krasip::cases::Receipt r) {
        std::lock_guard lock(mu);
        --in_flight;
        if (e) ++failed;
        else if (keep_code) codes.push_back(r.tracking_code);
        const auto n = ++done_count;
        if (n % 100000 == 0) {
          const double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
          std::cerr << "fill: " << n << " cases, " << s << " s\n";
        }
        cv.notify_all();
      });
    }
  };
  std::vector<std::thread> threads;
  for (int t = 0; t < opt.threads; ++t) threads.emplace_back(work, t);
  for (auto& th : threads) th.join();
  writer.stop();
  const double insert_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  if (failed > 0) {
    std::cerr << "fill: " << failed << " submissions failed\n";
    return 1;
  }

  const auto aging = std::chrono::steady_clock::now();
  age_statuses(paths.database, now);
  const double age_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - aging).count();

  if (!opt.codes_out.empty()) {
    std::ofstream out(opt.codes_out);
    for (const auto& c : codes) out << c << "\n";
  }
  // One machine-readable line for bench/run.
  std::printf("fill cases=%lld threads=%d fiscal_years=%d-%d submit_s=%.1f age_s=%.1f per_100k_s=%.1f"
              " agencies=%lld agency_cases=%lld agencies_s=%.1f\n",
              static_cast<long long>(opt.cases), opt.threads, this_fy - opt.years + 1, this_fy, insert_s,
              age_s, (insert_s + age_s) * 100000.0 / static_cast<double>(opt.cases),
              static_cast<long long>(opt.agencies), static_cast<long long>(opt.agency_cases), agencies_s);
  return 0;
}
