#pragma once
#include <cstdint>
#include <exception>
#include <functional>
#include <optional>
#include <string>

#include "krasip/cases/agencies/catalog.hpp"
#include "krasip/cases/common/clock.hpp"
#include "krasip/cases/audit/audit_log.hpp"
#include "krasip/cases/accounts/session_store.hpp"
#include "krasip/cases/alerts/case_alerts.hpp"
#include "krasip/cases/intake/complaint_input.hpp"
#include "krasip/cases/accounts/reader_directory.hpp"
#include "krasip/cases/common/proof_of_work.hpp"
#include "krasip/cases/common/server_secrets.hpp"
#include "krasip/storage/write_queue.hpp"

namespace krasip::cases {

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
  // A complaint an investigator records for a citizen (issue 13, item 3):
  // the same sealing, code and commit as submit(), into a channel of the
  // investigator's own agency whose complaints they receive (else
  // forbidden), audited as "case.record" with the source only.
  void record(const Session& s, const ComplaintInput& input, const AuditLog& audit, Done done);

  std::int64_t today_days() const;
  // Alert mails for a new case go into the outbox in the case's own
  // transaction (null: none). Set before serving.
  void set_alerts(const CaseAlerts* alerts) { alerts_ = alerts; }
  // Issue 22: web complaints filed while these meters judge the service
  // flooded (ProofOfWork::in_flood, in the wall clock the HTTP layer feeds
  // them with) go into their agency's flood batch of the day, with one
  // alert per reader for the batch. Null: never batched. Set before serving.
  void set_flood_meter(ProofOfWork* meter) { flood_ = meter; }

 private:
  struct Recorder {
    std::int64_t user_id;
    std::int64_t key_id;
    const AuditLog* audit;
  };
  void file(AgencyScope agency, const ComplaintInput& input, std::optional<Recorder> by, Done done);
  const CaseAlerts* alerts_ = nullptr;
  ProofOfWork* flood_ = nullptr;
  const ServerSecrets& secrets_;
  ReaderDirectory& readers_;
  storage::WriteQueue& writer_;
  Clock clock_;
};

}  // namespace krasip::cases
