#pragma once
#include <cstdint>
#include <string>

namespace krasip::storage {
class Database;
}

namespace krasip::cases {

// What an alert mail says. By design nothing about a case: no number, no
// category, no channel, no text, nothing of the reporter, no tracking code.
// A mail crosses servers the agency does not run; it only tells a reader
// that there is something to look at, and links to the console, where the
// reader signs in (docs/security.md, "What a mail may say"). Thai first,
// English beside it.
struct AlertText {
  std::string subject;
  std::string body;
};

class AlertComposer {
 public:
  // `public_url`: the console's address as readers reach it (serve
  // --public-url), e.g. https://complaints.example.go.th; may be empty.
  explicit AlertComposer(std::string public_url);
  AlertText new_case() const;
  AlertText reporter_activity() const;
  AlertText flood_batch() const;
  AlertText digest(std::int64_t due_soon, std::int64_t overdue) const;
  AlertText verify_address(const std::string& token) const;
  AlertText test_mail() const;
  const std::string& public_url() const { return url_; }

 private:
  std::string console_link() const;
  std::string url_;
};

// Puts alert mails in the outbox, inside the writer transaction of the
// event that causes them: they are committed with it or not at all. Each
// is caused by a reporter's action, so each is kept with the day only and a
// random id and waits for the next batch time of the agency that sends it
// (issue 21, item 2; batch_schedule.hpp).
class CaseAlerts {
 public:
  explicit CaseAlerts(AlertComposer composer) : composer_(std::move(composer)) {}
  // A complaint has arrived: every reader of the case who chose it.
  void on_new_case(storage::Database& db, std::int64_t case_id, std::int64_t now) const;
  // A complaint of a flood (issue 22), put in `batch_id`: each reader who
  // chose new-case alerts is told once per batch, not once per case.
  void on_flood_case(storage::Database& db, std::int64_t case_id, std::int64_t batch_id, std::int64_t now) const;
  // The reporter sent a message or a file.
  void on_reporter_activity(storage::Database& db, std::int64_t case_id, std::int64_t now) const;
  const AlertComposer& composer() const { return composer_; }

 private:
  AlertComposer composer_;
};

}  // namespace krasip::cases
