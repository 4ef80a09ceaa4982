#pragma once
#include <cstdint>
#include <functional>

#include "krasip/cases/alerts/case_alerts.hpp"
#include "krasip/cases/common/deadlines.hpp"
#include "krasip/storage/reader_pool.hpp"
#include "krasip/storage/write_queue.hpp"

namespace krasip::cases {

// The daily digest: once per Bangkok day, from `send_hour` on, each user who
// chose it gets how many of the cases they can read fall due within two
// days and how many are overdue (counts only; no mail when both are 0).
// Run from the outbox sender's thread after each pass, rather than by a
// timer of its own: nothing to install, and a day missed while the service
// was down is made up at the next start (digest_day records the last one).
class DeadlineDigest {
 public:
  DeadlineDigest(storage::ReaderPool& pool, storage::WriteQueue& writer, const AlertComposer& composer,
                 Deadlines deadlines, std::function<std::int64_t()> clock, int send_hour = 7)
      : pool_(pool),
        writer_(writer),
        composer_(composer),
        deadlines_(deadlines),
        clock_(std::move(clock)),
        send_hour_(send_hour) {}
  // Returns how many digests were queued.
  int run();

 private:
  storage::ReaderPool& pool_;
  storage::WriteQueue& writer_;
  const AlertComposer& composer_;
  Deadlines deadlines_;
  std::function<std::int64_t()> clock_;
  int send_hour_;
};

}  // namespace krasip::cases
