#pragma once
#include <cstdint>
#include <optional>
#include <string>

#include "krasip/cases/common/server_secrets.hpp"
#include "krasip/cases/alerts/case_alerts.hpp"
#include "krasip/storage/reader_pool.hpp"
#include "krasip/storage/write_queue.hpp"

namespace krasip::cases {

struct AlertChoices {
  bool new_case = true;
  bool reporter_activity = true;
  bool deadline_digest = true;
};

struct AlertPrefsView {
  AlertChoices choices;
  std::optional<std::string> email;
  bool email_verified = false;
};

// A user's alert choices and address. A new address gets only a
// verification mail (a random token; its keyed hash kept, for 24 hours)
// until its link is opened; then alerts go there.
class AlertPrefsService {
 public:
  AlertPrefsService(const ServerSecrets& secrets, storage::ReaderPool& pool, storage::WriteQueue& writer,
                    const AlertComposer& composer, std::function<std::int64_t()> clock)
      : secrets_(secrets), pool_(pool), writer_(writer), composer_(composer), clock_(std::move(clock)) {}

  AlertPrefsView get(std::int64_t user_id);
  // `email`: nullopt keeps the address, "" removes it, another address
  // replaces it (unverified; a verification mail is queued with the
  // change). Throws CaseError for an invalid address.
  AlertPrefsView set(std::int64_t user_id, const AlertChoices& choices,
                     const std::optional<std::string>& email);
  // Throws CaseError (not_found) for an unknown or expired token.
  void verify(const std::string& token);

 private:
  const ServerSecrets& secrets_;
  storage::ReaderPool& pool_;
  storage::WriteQueue& writer_;
  const AlertComposer& composer_;
  std::function<std::int64_t()> clock_;
};

}  // namespace krasip::cases
