#pragma once
#include <string>
#include <string_view>

#include "krasip/cases/common/server_secrets.hpp"
#include "krasip/storage/write_queue.hpp"

namespace krasip::cases {

struct ReplacedCode {
  std::string case_number;
  std::string tracking_code;  // the new one, formatted; shown once
};

// The reporter replaces their tracking code with a new one (issue 20, item
// 7): a code staff wrote on a counter slip, or one seen over a shoulder,
// then opens nothing. In one write transaction the old code's keys open
// every slot the reporter holds (the complaint, their messages and files,
// investigators' replies and files, escalation entries, and the identity
// slot under its own key), and each is wrapped or sealed again, in the
// same form, under the keys of a new code and a new salt; the code's hash,
// the salt and the reporter's public key are replaced. The old code then
// finds nothing: 404 unknown_code, as a number never issued. Nothing of it
// is logged or audited, and no time is written (docs/security.md, "Times").
class CodeReplacement {
 public:
  CodeReplacement(const ServerSecrets& secrets, storage::WriteQueue& writer) : secrets_(secrets), writer_(writer) {}

  // Throws CaseError malformed_code, unknown_code; CasePurged.
  ReplacedCode replace(std::string_view tracking_code);

 private:
  const ServerSecrets& secrets_;
  storage::WriteQueue& writer_;
};

}  // namespace krasip::cases
