#include "krasip/server/metrics.hpp"

#include <array>
#include <ctime>
#include <map>
#include <mutex>
#include <sstream>
#include <tuple>

namespace krasip::server::metrics {

namespace {

using RequestKey = std::tuple<std::string, std::string, unsigned>;  // route, method, status

// Upper bounds of the commit-latency buckets, in seconds.
constexpr std::array<double, 9> kBuckets = {0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1.0};

struct Commits {
  std::array<std::uint64_t, kBuckets.size()> le{};  // cumulative per bucket
  std::uint64_t count = 0;
  double sum_seconds = 0;
  std::size_t depth_max = 0;

  void add(const Commits& o) {
    for (std::size_t i = 0; i < le.size(); ++i) le[i] += o.le[i];
    count += o.count;
    sum_seconds += o.sum_seconds;
  }
};

struct State {
  std::mutex mutex;
  std::map<RequestKey, std::uint64_t> live;       // investigator routes: published at once
  std::map<RequestKey, std::uint64_t> pending;    // reporter routes, pages: not yet published
  std::map<RequestKey, std::uint64_t> published;  // reporter routes, pages: up to the last roll
  Commits commits_pending;
  Commits commits_published;
  std::size_t depth_max_published = 0;  // the largest queue of the last published period
  std::int64_t published_at = 0;        // unix seconds of the last roll (0: never)
};

State& state() {
  static State s;
  return s;
}

// Label values are route patterns and method names; escaped all the same.
std::string label(std::string_view v) {
  std::string out;
  for (const char c : v) {
    if (c == '\\' || c == '"') out += '\\';
    if (c == '\n') {
      out += "\\n";
      continue;
    }
    out += c;
  }
  return out;
}

void write_requests(std::ostringstream& out, const std::map<RequestKey, std::uint64_t>& a,
                    const std::map<RequestKey, std::uint64_t>& b) {
  std::map<RequestKey, std::uint64_t> all = a;
  for (const auto& [k, n] : b) all[k] += n;
  for (const auto& [k, n] : all) {
    const auto& [route, method, status] = k;
    out << "krasip_http_requests_total{route=\"" << label(route) << "\",method=\"" << label(method)
        << "\",status=\"" << status << "\"} " << n << "\n";
  }
}

std::uint64_t sum_of(const std::map<RequestKey, std::uint64_t>& m, std::string_view route,
                     std::string_view method, unsigned status) {
  const auto it = m.find(RequestKey{std::string(route), std::string(method), status});
  return it == m.end() ? 0 : it->second;
}

}  // namespace

void count_request(std::string_view route, std::string_view method, unsigned status, bool live) {
  auto& s = state();
  const std::lock_guard lock(s.mutex);
  auto& m = live ? s.live : s.pending;
  ++m[RequestKey{std::string(route), std::string(method), status}];
}

void record_commit(std::size_t queue_depth, std::chrono::steady_clock::duration took) {
  const double seconds = std::chrono::duration<double>(took).count();
  auto& s = state();
  const std::lock_guard lock(s.mutex);
  auto& c = s.commits_pending;
  for (std::size_t i = 0; i < kBuckets.size(); ++i) {
    if (seconds <= kBuckets[i]) ++c.le[i];
  }
  ++c.count;
  c.sum_seconds += seconds;
  c.depth_max = std::max(c.depth_max, queue_depth);
}

void publish_pending() {
  auto& s = state();
  const std::lock_guard lock(s.mutex);
  for (const auto& [k, n] : s.pending) s.published[k] += n;
  s.pending.clear();
  s.commits_published.add(s.commits_pending);
  s.depth_max_published = s.commits_pending.depth_max;
  s.commits_pending = Commits{};
  s.published_at = static_cast<std::int64_t>(std::time(nullptr));
}

std::string render(const Gauges& g) {
  auto& s = state();
  const std::lock_guard lock(s.mutex);
  std::ostringstream out;
  out << "# HELP krasip_http_requests_total Requests answered, by route pattern, method and status. "
         "Investigator routes count live; reporter routes and pages as of the last publication.\n"
         "# TYPE krasip_http_requests_total counter\n";
  write_requests(out, s.live, s.published);

  out << "# HELP krasip_complaints_total Complaints filed (201), as of the last publication.\n"
         "# TYPE krasip_complaints_total counter\n"
      << "krasip_complaints_total " << sum_of(s.published, "/api/v1/complaints", "POST", 201) << "\n";
  out << "# HELP krasip_status_lookups_total Status lookups answered (200), as of the last publication.\n"
         "# TYPE krasip_status_lookups_total counter\n"
      << "krasip_status_lookups_total " << sum_of(s.published, "/api/v1/status", "POST", 200) << "\n";

  const auto& c = s.commits_published;
  out << "# HELP krasip_writer_commit_seconds Time per writer transaction (one batch of jobs), "
         "as of the last publication.\n"
         "# TYPE krasip_writer_commit_seconds histogram\n";
  for (std::size_t i = 0; i < kBuckets.size(); ++i) {
    out << "krasip_writer_commit_seconds_bucket{le=\"" << kBuckets[i] << "\"} " << c.le[i] << "\n";
  }
  out << "krasip_writer_commit_seconds_bucket{le=\"+Inf\"} " << c.count << "\n"
      << "krasip_writer_commit_seconds_sum " << c.sum_seconds << "\n"
      << "krasip_writer_commit_seconds_count " << c.count << "\n";
  out << "# HELP krasip_writer_queue_depth_max The longest writer queue of the last published period.\n"
         "# TYPE krasip_writer_queue_depth_max gauge\n"
      << "krasip_writer_queue_depth_max " << s.depth_max_published << "\n";
  out << "# HELP krasip_metrics_published_timestamp_seconds When the reporter-side counts were last published.\n"
         "# TYPE krasip_metrics_published_timestamp_seconds gauge\n"
      << "krasip_metrics_published_timestamp_seconds " << s.published_at << "\n";

  out << "# HELP krasip_storage_writable 1 while the database takes writes; 0: writes answer 503.\n"
         "# TYPE krasip_storage_writable gauge\n"
      << "krasip_storage_writable " << (g.storage_writable ? 1 : 0) << "\n";
  out << "# HELP krasip_disk_free_bytes Space left for the data folder.\n"
         "# TYPE krasip_disk_free_bytes gauge\n"
      << "krasip_disk_free_bytes " << g.disk_free_bytes << "\n";
  out << "# HELP krasip_sessions_live Investigator sessions signed in.\n"
         "# TYPE krasip_sessions_live gauge\n"
      << "krasip_sessions_live " << g.sessions_live << "\n";
  out << "# HELP krasip_outbox_unsent Alert mails that were waiting in the outbox (not yet accepted by SMTP) "
         "at 00:00 Bangkok today.\n"
         "# TYPE krasip_outbox_unsent gauge\n"
      << "krasip_outbox_unsent " << g.outbox_unsent << "\n";
  return out.str();
}

void reset_for_tests() {
  auto& s = state();
  const std::lock_guard lock(s.mutex);
  s.live.clear();
  s.pending.clear();
  s.published.clear();
  s.commits_pending = Commits{};
  s.commits_published = Commits{};
  s.depth_max_published = 0;
  s.published_at = 0;
}

}  // namespace krasip::server::metrics
