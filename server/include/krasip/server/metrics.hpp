#pragma once
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace krasip::server::metrics {

// Operator metrics in Prometheus text format, on their own listen address
// (--metrics-listen). Counts only: no case, no code, no address.
//
// The hard part is time. A counter that moves the moment a reporter acts
// dates that act to the scrape interval, and joined with the agency web
// server's log it can name the reporter's address: the same reason reporter
// requests are only counted in krasipd's own log, a day at a time
// (docs/security.md, "Times"). So everything a reporter's action moves
// (reporter routes and pages, the writer's commits and queue) is counted
// privately and published once per period (--counts-roll-seconds, a day by
// default), together with the daily request_counts log lines. What moves
// live is only what reporters do not cause: investigator routes, storage
// state, disk space, live investigator sessions. The outbox gauge is the
// outbox as it stood at 00:00 Bangkok (cases/alerts/outbox_figures.hpp):
// a day's figure like the rest, but read from the rows' own times, so it
// follows the service's clock and survives a restart.

// Called for every answered request. `live` for investigator routes.
void count_request(std::string_view route, std::string_view method, unsigned status, bool live);

// Called by the writer thread after each commit: how many jobs were
// waiting (the batch and what queued behind it) and how long it took.
void record_commit(std::size_t queue_depth, std::chrono::steady_clock::duration took);

// Publishes what was counted privately since the last call.
void publish_pending();

struct Gauges {
  bool storage_writable = true;
  std::uint64_t disk_free_bytes = 0;
  std::size_t sessions_live = 0;
  std::int64_t outbox_unsent = 0;  // as of 00:00 Bangkok today
};

// The whole exposition, for GET /metrics.
std::string render(const Gauges& gauges);

// For tests of this module: forgets everything counted.
void reset_for_tests();

}  // namespace krasip::server::metrics
