#include <algorithm>
#include <cctype>
#include <iostream>

#include "agency_option.hpp"
#include "commands.hpp"
#include "krasip/cases/audit/audit_log.hpp"
#include "krasip/cases/agencies/data_paths.hpp"
#include "krasip/cases/common/server_secrets.hpp"
#include "krasip/cases/common/thai_time.hpp"
#include "krasip/storage/database.hpp"
#include "options.hpp"
#include "ownership.hpp"

namespace krasip::cli {

namespace {

constexpr const char* kUsage =
    "usage: krasipd audit verify --data-dir DIR [--agency SLUG] [--published ID:HASH]...";

// "1234:9f86…" (the entry id and the 64 hex digits the console showed).
cases::AuditLog::PublishedHead parse_published(const std::string& text) {
  const auto colon = text.find(':');
  std::string hex = colon == std::string::npos ? "" : text.substr(colon + 1);
  std::transform(hex.begin(), hex.end(), hex.begin(), [](unsigned char c) { return std::tolower(c); });
  const std::string id = colon == std::string::npos ? "" : text.substr(0, colon);
  const bool id_ok = !id.empty() && id.size() <= 18 &&
                     std::all_of(id.begin(), id.end(), [](unsigned char c) { return std::isdigit(c); });
  const bool hex_ok = hex.size() == 64 && std::all_of(hex.begin(), hex.end(), [](unsigned char c) {
                        return std::isdigit(c) || (c >= 'a' && c <= 'f');
                      });
  if (!id_ok || !hex_ok || std::stoll(id) < 1) {
    throw UsageError("--published takes ENTRY_ID:HASH, e.g. 1234:<64 hex digits>; got '" + text + "'");
  }
  return {std::stoll(id), hex};
}

const char* describe(cases::AuditLog::HeadCheck c) {
  using C = cases::AuditLog::HeadCheck;
  switch (c) {
    case C::matches: return "matches: every entry up to it is as published";
    case C::differs: return "DIFFERS: the log up to this entry was rewritten after it was published";
    case C::missing: return "MISSING: the log ends before this entry; later entries were removed";
    case C::unverified: return "NOT VERIFIED: the chain is broken before this entry";
  }
  return "?";
}

}  // namespace

// krasipd audit verify --data-dir DIR [--agency SLUG] [--published ID:HASH]...:
// exit 0 if that agency's chain (each agency has its own; --agency may be
// left out when there is one) is intact and every published head is still
// in it, 1 otherwise.
int cmd_audit(int argc, char** argv) {
  if (argc < 3 || std::string(argv[2]) != "verify") throw UsageError(kUsage);
  const Options opt(argc, argv, 3, {"data-dir", "pepper-file", "published", "owner", "agency"}, {});
  std::vector<cases::AuditLog::PublishedHead> published;
  for (const auto& p : opt.all("published")) published.push_back(parse_published(p));
  auto paths = cases::DataPaths::in(opt.require("data-dir"));
  if (auto p = opt.get("pepper-file")) paths.pepper_file = *p;
  settle_identity(opt.get("owner"), paths);  // before anything is opened
  const auto secrets = cases::ServerSecrets::load(paths.pepper_file);
  storage::Database db(paths.database, storage::OpenMode::read_only);
  const auto agency = agency_option(db, opt.get("agency"));
  const auto v = cases::AuditLog(secrets.pepper).verify(db, cases::AgencyScope::of(agency), published);
  if (!v.intact) {
    std::cout << "audit chain BROKEN at entry " << *v.first_broken_id
              << " (edited, inserted or an earlier entry removed)\n";
  } else {
    std::cout << "audit chain intact: " << v.entries << " entries, head " << v.head_id << ":"
              << v.head_hash_hex << "\n";
  }
  for (const auto& r : v.published) {
    std::cout << "published " << r.head.id << ":" << r.head.hash_hex << " " << describe(r.check) << "\n";
  }
  return v.intact && v.all_published_match() ? 0 : 1;
}

}  // namespace krasip::cli
