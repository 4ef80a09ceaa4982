// The administrators' health page (issue 12, item 1): storage state, disk
// space, last backup, unsent mail. Counts and times only, nothing of a case
// and no address. Nothing on it moves when a reporter acts (issue 21): the
// disk in whole GiB, the outbox as of the day's roll, its times as days.
#include <sys/statvfs.h>

#include <boost/json.hpp>
#include <fstream>

#include "investigator_api.hpp"
#include "krasip/cases/alerts/outbox_figures.hpp"
#include "krasip/cases/common/case_error.hpp"
#include "krasip/cases/common/thai_time.hpp"
#include "krasip/server/api_response.hpp"
#include "krasip/server/api_routes.hpp"
#include "krasip/server/disk_view.hpp"

namespace krasip::server {

namespace json = boost::json;

namespace {
json::value opt(const std::optional<std::int64_t>& v) { return v ? json::value(*v) : json::value(nullptr); }
json::value day(const std::optional<std::int64_t>& v) {
  return v ? json::value(cases::iso_date_bangkok(*v)) : json::value(nullptr);
}

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
      const auto now = app.clock();
      json::object o;
      o["now"] = now;
      o["storage_writable"] = app.writer.writable();
      struct statvfs fs {};
      if (::statvfs(app.data_dir.c_str(), &fs) == 0) {
        const auto d = disk_view(static_cast<std::uint64_t>(fs.f_bavail) * fs.f_frsize,
                                 static_cast<std::uint64_t>(fs.f_blocks) * fs.f_frsize);
        o["disk_free_gib"] = d.free_gib;
        o["disk_total_gib"] = d.total_gib;
        o["disk_state"] = d.low ? "low" : "enough";
      } else {
        o["disk_free_gib"] = nullptr;
        o["disk_total_gib"] = nullptr;
        o["disk_state"] = nullptr;
      }
      o["last_backup_at"] = opt(last_backup_at(app.data_dir));
      cases::OutboxFigures m;
      {
        auto db = app.reader_pool.acquire();
        m = cases::outbox_figures(*db, s->agency_id, now);  // its own agency's mail only
      }
      json::object outbox{{"as_of", cases::iso_date_bangkok(m.as_of)}, {"unsent", m.unsent}};
      outbox["oldest_unsent_day"] = day(m.oldest_unsent_day);
      outbox["last_error"] = m.last_error ? json::value(*m.last_error) : json::value(nullptr);
      outbox["last_sent_day"] = day(m.last_sent_day);
      o["outbox"] = std::move(outbox);
      return json_response(http::status::ok, o);
    });
  });
}

}  // namespace krasip::server
