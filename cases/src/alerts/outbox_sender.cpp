#include "krasip/cases/alerts/outbox_sender.hpp"

#include <spdlog/spdlog.h>

#include <map>
#include <optional>

#include "krasip/cases/alerts/batch_schedule.hpp"
#include "krasip/cases/alerts/mail_settings.hpp"
#include "krasip/cases/common/thai_time.hpp"
#include "krasip/mail/backoff.hpp"
#include "krasip/mail/message_format.hpp"
#include "krasip/mail/smtp_client.hpp"
#include "krasip/storage/key_store.hpp"
#include "krasip/storage/mail_store.hpp"

namespace krasip::cases {

OutboxSender::OutboxSender(const ServerSecrets& secrets, storage::ReaderPool& pool,
                           storage::WriteQueue& writer, Clock clock, OutboxOptions options,
                           std::function<void()> each_pass)
    : secrets_(secrets),
      pool_(pool),
      writer_(writer),
      clock_(std::move(clock)),
      options_(options),
      each_pass_(std::move(each_pass)) {}

OutboxSender::~OutboxSender() { stop(); }

void OutboxSender::start() {
  if (thread_.joinable()) return;
  stopping_ = false;
  thread_ = std::thread([this] { loop(); });
}

void OutboxSender::stop() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  cv_.notify_all();
  if (thread_.joinable()) thread_.join();
}

void OutboxSender::log_counts(bool partial) {
  if (!partial || counts_.sent + counts_.failed > 0) {
    spdlog::info("event=mail_counts day={} sent={} failed={}{}{}", iso_date_bangkok(counts_.day), counts_.sent,
                 counts_.failed, partial ? " partial=yes" : "",
                 counts_.last_error.empty() ? "" : " last_error=\"" + counts_.last_error + "\"");
  }
  counts_ = {};
}

int OutboxSender::run_once() {
  const auto now = clock_();
  // The day's counts go to the log at the first pass after 00:00 Bangkok,
  // by the service's clock: the only trace of the mail there (issue 21,
  // item 2), since a line per mail would time each batch's contents.
  const auto today = bangkok_day_start(now);
  if (counts_.day == 0) counts_.day = today;
  if (counts_.day != today) {
    log_counts(false);
    counts_.day = today;
  }
  std::vector<storage::outbox_store::MailRow> due;
  std::map<std::int64_t, BatchTimes> batch_times;
  // An agency's settings, read once per pass; nullopt: none, or unusable.
  std::map<std::int64_t, std::optional<mail::SmtpConfig>> settings;
  std::map<std::int64_t, std::string> settings_error;
  {
    auto db = pool_.acquire();
    due = storage::outbox_store::due(*db, now, options_.batch);
    for (const auto& m : due) {
      if (settings.contains(m.agency_id)) continue;
      try {
        batch_times[m.agency_id] = batch_times_of(*db, m.agency_id);
      } catch (const std::exception&) {
        batch_times[m.agency_id] = BatchTimes::defaults();
      }
      try {
        // An agency without its own settings sends through the nearest
        // agency above it that has some (the deployment's, in effect), never
        // through one below (issue 20, item 8).
        settings[m.agency_id] = load_mail_settings(*db, secrets_, m.agency_id);
        for (const auto up : storage::key_store::ancestors(*db, m.agency_id)) {
          if (settings[m.agency_id]) break;
          settings[m.agency_id] = load_mail_settings(*db, secrets_, up);
        }
        if (!settings[m.agency_id]) settings_error[m.agency_id] = "no mail settings for this agency (krasipd mail set)";
      } catch (const std::exception&) {
        settings[m.agency_id] = std::nullopt;
        settings_error[m.agency_id] =
            "the SMTP password cannot be decrypted (another pepper?); run krasipd mail set again";
      }
    }
  }
  int sent = 0;
  for (const auto& m : due) {
    if (stopping_) break;
    std::string error;
    const auto& config = settings[m.agency_id];
    const auto& times = batch_times[m.agency_id];
    // A batched mail is dated (and recorded sent) at its batch time, not the
    // instant it left: every mail of a batch says the same.
    const auto slot = m.batched ? std::max(m.next_attempt_at, batch_at_or_before(now, times)) : std::int64_t{0};
    if (!config) {
      error = settings_error[m.agency_id];
    } else {
      try {
        const auto text = mail::format_message(config->from, m.recipient, m.subject, m.body, m.batched ? slot : clock_());
        mail::send_mail(*config, m.recipient, text, &stopping_);
      } catch (const mail::MailError& e) {
        error = e.what();
      } catch (const std::invalid_argument&) {
        error = "invalid sender or recipient address";
      }
    }
    const auto id = m.id;
    try {
      if (error.empty()) {
        const auto at = m.batched ? slot : clock_();
        writer_.run([id, at](storage::Database& db) { storage::outbox_store::mark_sent(db, id, at); });
        ++sent;
        ++counts_.sent;
      } else {
        if (stopping_) break;  // shutting down is not the server's failure
        // A batched mail is tried again in the next batch; others back off.
        const auto next = m.batched ? next_batch_after(now, times)
                                    : clock_() + mail::retry_delay_seconds(m.attempts + 1, options_.retry_base_seconds,
                                                                           options_.retry_cap_seconds);
        writer_.run([id, next, error](storage::Database& db) {
          storage::outbox_store::reschedule(db, id, next, error);
        });
        ++counts_.failed;
        counts_.last_error = error;
      }
    } catch (const std::exception& e) {
      // The database does not take writes: the row stays due and is tried
      // again (a sent one sent again: the at-least-once edge).
      spdlog::error("event=mail_state_not_saved outbox_id={} detail=\"{}\"", id, e.what());
      break;
    }
  }
  return sent;
}

void OutboxSender::loop() {
  auto last_purge = std::chrono::steady_clock::time_point{};
  while (!stopping_) {
    try {
      run_once();
      if (each_pass_ && !stopping_) each_pass_();
      if (std::chrono::steady_clock::now() - last_purge > std::chrono::hours(1)) {
        last_purge = std::chrono::steady_clock::now();
        const auto before = clock_() - options_.keep_sent_seconds;
        writer_.run([before](storage::Database& db) { storage::outbox_store::purge_sent(db, before); });
      }
    } catch (const std::exception& e) {
      spdlog::error("event=outbox_pass_failed detail=\"{}\"", e.what());
    }
    std::unique_lock lock(mutex_);
    cv_.wait_for(lock, options_.poll, [this] { return stopping_.load(); });
  }
  // What the day has sent so far, so that a restart loses no count.
  log_counts(true);
}

}  // namespace krasip::cases
