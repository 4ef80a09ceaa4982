#pragma once
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <mutex>
#include <string>
#include <thread>

#include "krasip/cases/common/server_secrets.hpp"
#include "krasip/storage/reader_pool.hpp"
#include "krasip/storage/write_queue.hpp"

namespace krasip::cases {

struct OutboxOptions {
  std::chrono::milliseconds poll{2000};  // how soon a new mail is noticed
  std::int64_t retry_base_seconds = 30;  // first retry; doubled each failure
  std::int64_t retry_cap_seconds = 3600;
  std::int64_t keep_sent_seconds = 7 * 86400;  // then the sent rows go
  int batch = 20;
};

// The background thread of `krasipd serve` that empties the outbox: takes
// due mails, sends each through its agency's SMTP server, and through the
// single writer marks it sent or reschedules it. No request ever waits on
// it. A batched alert (issue 21, item 2) is due at its agency's batch time,
// dated with it and tried again at the next one; other mail (a verification
// link, governance notices, the digest) goes at once and backs off
// exponentially. The log gets each day's counts at the roll, no line per
// mail. "Now" is the service's clock, polled every `poll`, so a moved test
// clock is noticed within it.
//
// At least once, not exactly once: a mail is marked sent in its own commit
// right after the SMTP server accepted it; a crash (or a full disk) between
// the two sends it again after the restart. The other way round (marking
// before sending) could lose an alert, which is worse.
class OutboxSender {
 public:
  using Clock = std::function<std::int64_t()>;
  // `each_pass` (optional) runs on the sender thread after every pass: the
  // daily digest hangs there.
  OutboxSender(const ServerSecrets& secrets, storage::ReaderPool& pool, storage::WriteQueue& writer,
               Clock clock, OutboxOptions options, std::function<void()> each_pass = {});
  OutboxSender(const OutboxSender&) = delete;
  OutboxSender& operator=(const OutboxSender&) = delete;
  ~OutboxSender();

  void start();
  // Aborts a transfer under way (the mail stays unsent, tried after the
  // restart) and joins the thread.
  void stop();
  // Sends what is due now; returns how many were sent.
  int run_once();

 private:
  void loop();
  void log_counts(bool partial);
  const ServerSecrets& secrets_;
  storage::ReaderPool& pool_;
  storage::WriteQueue& writer_;
  Clock clock_;
  OutboxOptions options_;
  std::function<void()> each_pass_;
  // The current Bangkok day's mail, logged at the roll (sender thread only).
  struct Counts {
    std::int64_t day = 0;
    std::int64_t sent = 0;
    std::int64_t failed = 0;
    std::string last_error;
  } counts_;
  std::atomic<bool> stopping_{false};
  std::mutex mutex_;
  std::condition_variable cv_;
  std::thread thread_;
};

}  // namespace krasip::cases
