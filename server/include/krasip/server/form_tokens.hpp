#pragma once
// One-time tokens for the plain HTML forms (issue 22). A form page that
// leads to an action (filing, a status lookup, a message, an upload)
// carries a fresh token; the action uses it up. So a page posted again from
// the browser's history (Back, Reload) files nothing twice and shows no
// case: the code in the resent body is useless without a fresh token, which
// only a newly loaded form gives.
//
// A token is 16 random bytes, its expiry and a BLAKE2b MAC under a key
// made at start (so the server keeps no list of what it gave out, and a
// restart voids every open form: "please confirm again", never a double
// filing); the tokens used are kept, hashed, until they expire. In memory
// only: nothing of it is logged or stored.
#include <array>
#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

namespace krasip::server {

class FormTokens {
 public:
  enum class Use { ok, used, expired, invalid, full };

  explicit FormTokens(std::int64_t lifetime_seconds = 2 * 3600, std::size_t max_used = 200000);
  std::string issue(std::int64_t now) const;
  // ok once per valid, unexpired token; `used` after; `full` when more
  // tokens were used within their lifetime than max_used (a flood).
  Use consume(std::string_view token, std::int64_t now);
  // When a genuine token was given out (nullopt for anything else): the
  // pages without JavaScript use its age as their time lock (issue 22).
  std::optional<std::int64_t> issued_at(std::string_view token) const;

 private:
  std::array<unsigned char, 32> key_{};
  std::int64_t lifetime_;
  std::size_t max_used_;
  std::mutex mutex_;
  std::unordered_map<std::string, std::int64_t> used_;  // MAC -> expiry
};

}  // namespace krasip::server
