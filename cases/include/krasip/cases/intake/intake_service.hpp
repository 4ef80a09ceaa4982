#pragma once
#include <cstdint>
#include <exception>
#include <functional>
#include <string>

#include "krasip/cases/agencies/catalog.hpp"
#include "krasip/cases/alerts/case_alerts.hpp"
#include "krasip/cases/intake/complaint_input.hpp"
#include "krasip/cases/accounts/reader_directory.hpp"
#include "krasip/cases/agencies/server_secrets.hpp"
#include "krasip/storage/write_queue.hpp"

namespace krasip::cases {

using Clock = std::function<std::int64_t()>;
Clock system_clock();

struct Receipt {
  std::string case_number;
  std::string tracking_code;  // formatted; shown once, never stored
  std::int64_t received_at = 0;
};

// Files a complaint: seals it (and the identity, if any) to its readers,
// mints the tracking code, and hands the row to the single writer.
class IntakeService {
 public:
  using Done = std::function<void(std::exception_ptr, Receipt)>;

  IntakeService(const ServerSecrets& secrets, ReaderDirectory& readers,
                storage::WriteQueue& writer, Clock clock)
      : secrets_(secrets), readers_(readers), writer_(writer), clock_(std::move(clock)) {}

  // The encryption runs on the calling thread; `done` runs on the writer
  // thread once the case is durably committed, or with the error.
  void submit(AgencyScope agency, const ComplaintInput& input, Done done);
  Receipt submit_and_wait(AgencyScope agency, const ComplaintInput& input);

  std::int64_t today_days() const;
  // Alert mails for a new case go into the outbox in the case's own
  // transaction (null: none). Set before serving.
  void set_alerts(const CaseAlerts* alerts) { alerts_ = alerts; }

 private:
  const CaseAlerts* alerts_ = nullptr;
  const ServerSecrets& secrets_;
  ReaderDirectory& readers_;
  storage::WriteQueue& writer_;
  Clock clock_;
};

}  // namespace krasip::cases
