// The administrators' health page (issue 12, item 1): storage state, disk
// space, last backup, unsent mail. Counts and times only, nothing of a case
// and no address.
#include <sys/statvfs.h>

#include <boost/json.hpp>
#include <chrono>
#include <fstream>

#include "investigator_api.hpp"
#include "krasip/cases/common/case_error.hpp"
#include "krasip/server/api_response.hpp"
#include "krasip/server/api_routes.hpp"
#include "krasip/storage/mail_store.hpp"

namespace krasip::server {

namespace json = boost::json;

namespace {
json::value opt(const std::optional<std::int64_t>& v) { return v ? json::value(*v) : json::value(nullptr); }

// `krasipd backup` records its last success in DATA_DIR/last-backup
// ("UNIX_TIME FOLDER"), which the service can read whoever runs the backup.
std::optional<std::int64_t> last_backup_at(const std::filesystem::path& data_dir) {
  std::ifstream in(data_dir / "last-backup");
  std::int64_t at = 0;
  if (in >> at && at > 0) return at;
  return std::nullopt;
}
}  // namespace

void add_admin_health_routes(Router& router, AppServices& app) {
  router.add(http::verb::get, "/api/v1/admin/health", [&app](const Request& req, const RouteParams&, Reply reply) {
    const auto s = authenticate(req, app);
    app.triage.require_active(*s);
    if (!s->is_admin) throw cases::CaseError(cases::ErrorCode::forbidden, "for administrators only");
    offload(app, std::move(reply), [&app, s] {
      const auto now = static_cast<std::int64_t>(
          std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch())
              .count());
      json::object o;
      o["now"] = now;
      o["storage_writable"] = app.writer.writable();
      struct statvfs fs {};
      if (::statvfs(app.data_dir.c_str(), &fs) == 0) {
        o["disk_free_bytes"] = static_cast<std::uint64_t>(fs.f_bavail) * fs.f_frsize;
        o["disk_total_bytes"] = static_cast<std::uint64_t>(fs.f_blocks) * fs.f_frsize;
      } else {
        o["disk_free_bytes"] = nullptr;
        o["disk_total_bytes"] = nullptr;
      }
      o["last_backup_at"] = opt(last_backup_at(app.data_dir));
      storage::outbox_store::Summary m;
      {
        auto db = app.reader_pool.acquire();
        m = storage::outbox_store::summary(*db, s->agency_id);  // its own agency's mail only
      }
      json::object outbox{{"unsent", m.unsent}};
      outbox["oldest_unsent_age_seconds"] =
          m.oldest_unsent_at ? json::value(std::max<std::int64_t>(0, now - *m.oldest_unsent_at)) : json::value(nullptr);
      outbox["last_error"] = m.last_error ? json::value(*m.last_error) : json::value(nullptr);
      outbox["last_sent_at"] = opt(m.last_sent_at);
      o["outbox"] = std::move(outbox);
      return json_response(http::status::ok, o);
    });
  });
}

}  // namespace krasip::server
