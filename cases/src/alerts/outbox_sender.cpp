#include "krasip/cases/alerts/outbox_sender.hpp"

#include <spdlog/spdlog.h>

#include <map>
#include <optional>

#include "krasip/cases/alerts/mail_settings.hpp"
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

int OutboxSender::run_once() {
  const auto now = clock_();
  std::vector<storage::outbox_store::MailRow> due;
  // An agency's settings, read once per pass; nullopt: none, or unusable.
  std::map<std::int64_t, std::optional<mail::SmtpConfig>> settings;
  std::map<std::int64_t, std::string> settings_error;
  {
    auto db = pool_.acquire();
    due = storage::outbox_store::due(*db, now, options_.batch);
    for (const auto& m : due) {
      if (settings.contains(m.agency_id)) continue;
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
    if (!config) {
      error = settings_error[m.agency_id];
    } else {
      try {
        const auto text = mail::format_message(config->from, m.recipient, m.subject, m.body, clock_());
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
        const auto at = clock_();
        writer_.run([id, at](storage::Database& db) { storage::outbox_store::mark_sent(db, id, at); });
        ++sent;
        spdlog::info("event=mail_sent outbox_id={} attempts={}", id, m.attempts + 1);
      } else {
        if (stopping_) break;  // shutting down is not the server's failure
        const auto delay =
            mail::retry_delay_seconds(m.attempts + 1, options_.retry_base_seconds, options_.retry_cap_seconds);
        const auto next = clock_() + delay;
        writer_.run([id, next, error](storage::Database& db) {
          storage::outbox_store::reschedule(db, id, next, error);
        });
        spdlog::warn("event=mail_failed outbox_id={} attempts={} retry_in_s={} detail=\"{}\"", id,
                     m.attempts + 1, delay, error);
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
}

}  // namespace krasip::cases
