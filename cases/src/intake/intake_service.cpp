#include "krasip/cases/intake/intake_service.hpp"

#include <algorithm>
#include <chrono>
#include <ctime>
#include <future>
#include <memory>

#include "krasip/cases/agencies/agency_policy.hpp"
#include "krasip/cases/common/case_crypto.hpp"
#include "krasip/cases/common/case_error.hpp"
#include "krasip/cases/common/reporter_keys.hpp"
#include "krasip/cases/common/thai_time.hpp"
#include "krasip/crypto/encoding.hpp"
#include "krasip/crypto/tracking_code.hpp"
#include "krasip/storage/case_store.hpp"
#include "krasip/storage/flood_batch_store.hpp"

namespace krasip::cases {

std::int64_t IntakeService::today_days() const {
  return days_from_civil(bangkok_date(clock_()));
}

void IntakeService::submit(AgencyScope agency, const ComplaintInput& input, Done done) {
  file(agency, input, std::nullopt, std::move(done));
}

void IntakeService::record(const Session& s, const ComplaintInput& input, const AuditLog& audit, Done done) {
  file(s.agency(), input, Recorder{s.user_id, s.key_id, &audit}, std::move(done));
}

void IntakeService::file(AgencyScope agency, const ComplaintInput& input, std::optional<Recorder> by,
                         Done done) {
  const std::int64_t now = clock_();
  const auto code = crypto::TrackingCode::generate();
  // The agency's own channels and readers only: a channel slug of another
  // agency is "no such channel" here.
  const auto directory = readers_.current(agency);
  const ChannelReaders& readers = directory->choose(input.channel);
  if (by) {
    // Whoever records a complaint could read it anyway: only a recipient
    // of the channel (their key among its readers) records into it.
    const bool reader = std::any_of(readers.case_readers.begin(), readers.case_readers.end(),
                                    [&](const crypto::Reader& r) { return r.id == by->key_id; });
    if (!reader) {
      throw CaseError(ErrorCode::forbidden, "you do not receive this channel's complaints", "channel");
    }
  }
  // The agency's own categories (issue 11): one of another agency's is
  // refused before anything is sealed.
  if (!offers_category(directory->categories, input.category)) {
    throw CaseError(ErrorCode::unknown_category, "this agency takes no complaints of that category",
                    "category");
  }

  auto row = std::make_shared<storage::NewCase>();
  row->uid = crypto::random_bytes(16);
  row->fiscal_year = fiscal_year_be(now);
  row->code_hash = crypto::tracking_code_lookup_hash(secrets_.pepper, code);
  row->reporter_salt = crypto::random_bytes(crypto::kCaseSaltBytes);
  const ReporterKeys reporter(secrets_, row->reporter_salt, code);
  // The public key is kept for what investigators later send the reporter.
  row->reporter_public_key = reporter.key_pair().public_key;
  row->category = input.category;
  row->has_identity = input.identity.has_value();
  // The day only: a time to the second, joined with the host page's web
  // server log, would name the reporter's address.
  row->received_at = bangkok_day_start(now);
  row->channel_id = readers.channel.id;
  row->source = input.source;

  const crypto::WrapReader reporter_slot{storage::kThisCaseReporter, &reporter.wrap_key()};
  row->envelopes.push_back(seal_case_record(row->uid, "complaint", complaint_payload(input),
                                            readers.case_readers, {&reporter_slot, 1}));
  if (input.identity) {
    // The reporter's slot here opens only under a key of its own, which
    // only an escalation derives: it lets the reporter move their identity
    // to another channel's custodians, never read it back on the status page.
    const auto identity_key = reporter.derive_identity_key();
    const crypto::WrapReader identity_slot{storage::kThisCaseReporter, &identity_key};
    row->envelopes.push_back(seal_case_record(row->uid, "identity",
                                              identity_payload(*input.identity),
                                              readers.identity_readers, {&identity_slot, 1}));
  }
  if (input.registry_number) {
    // The investigator side only: the reporter has the paper it came on.
    row->envelopes.push_back(
        seal_case_record(row->uid, "registry_number", *input.registry_number, readers.case_readers));
  }

  // Only the web's complaints: one recorded at the counter is no bot's.
  const bool flooded = !by && flood_ != nullptr && flood_->in_flood(ProofOfWork::Purpose::submit, std::time(nullptr));
  auto receipt = std::make_shared<Receipt>(Receipt{{}, code.formatted(), row->received_at});
  writer_.submit(
      [row, receipt, alerts = alerts_, now, by, flooded](storage::Database& db) {
        receipt->case_number = storage::case_store::insert_case(db, *row);
        if (alerts == nullptr && !by && !flooded) return;
        const auto c = storage::case_store::find_by_number(db, receipt->case_number);
        if (!c) return;
        if (by) {
          // Who recorded it and how it came; nothing of what it says.
          by->audit->append(db, {now, by->user_id, "case.record", c->id, "source=" + row->source});
        }
        if (flooded) {
          // The day is the case's own received day: nothing finer.
          const auto batch = storage::flood_batch_store::add_case(db, c->id, c->agency_id, row->received_at);
          if (alerts != nullptr) alerts->on_flood_case(db, c->id, batch, now);
        } else if (alerts != nullptr) {
          alerts->on_new_case(db, c->id, now);
        }
      },
      [receipt, done = std::move(done)](std::exception_ptr error) {
        done(error, error ? Receipt{} : std::move(*receipt));
      });
}

Receipt IntakeService::submit_and_wait(AgencyScope agency, const ComplaintInput& input) {
  std::promise<Receipt> result;
  auto fut = result.get_future();
  submit(agency, input, [&result](std::exception_ptr e, Receipt r) {
    if (e) {
      result.set_exception(std::move(e));
    } else {
      result.set_value(std::move(r));
    }
  });
  return fut.get();
}

}  // namespace krasip::cases
