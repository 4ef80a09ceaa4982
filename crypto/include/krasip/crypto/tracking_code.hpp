#pragma once
#include <optional>
#include <string>
#include <string_view>

#include "krasip/crypto/bytes.hpp"
#include "krasip/crypto/key_pair.hpp"
#include "krasip/crypto/secure_bytes.hpp"

namespace krasip::crypto {

// A tracking code is 20 uniformly random decimal digits (log2(10^20) = 66.4
// bits from the CSPRNG) plus one Damm check digit, shown as three groups of
// seven: "1234567-8901234-5678901". Digits only, because a Thai phone
// keyboard reaches digits without switching layout; Damm catches every
// single-digit typo and every swap of neighbouring digits.
inline constexpr std::size_t kTrackingCodeRandomDigits = 20;
inline constexpr std::size_t kTrackingCodeDigits = kTrackingCodeRandomDigits + 1;

// The 21 normalised ASCII digits, kept in secure memory.
class TrackingCode {
 public:
  static TrackingCode generate();
  const SecureBytes& digits() const { return digits_; }
  std::string formatted() const;

 private:
  friend struct TrackingCodeParser;
  explicit TrackingCode(SecureBytes digits) : digits_(std::move(digits)) {}
  SecureBytes digits_;
};

enum class CodeParseError { malformed, bad_check_digit };

struct ParsedCode {
  std::optional<TrackingCode> code;
  std::optional<CodeParseError> error;
};

// Accepts ASCII or Thai digits (๐–๙), ignoring spaces and dashes.
ParsedCode parse_tracking_code(std::string_view input);

char damm_check_digit(std::string_view ascii_digits);

// The only form in which a code is stored: BLAKE2b keyed with the pepper,
// a server secret kept outside the database.
Bytes tracking_code_lookup_hash(const SecureBytes& pepper, const TrackingCode& code);

// The reporter's key pair: a seed from BLAKE2b over the code, keyed with
// the pepper and the case's random salt. Including the pepper means a
// stolen database alone gives nothing to brute-force codes against.
KeyPair reporter_key_pair(const SecureBytes& pepper, ByteView case_salt, const TrackingCode& code);
// The reporter's symmetric key (see WrapReader), from the same inputs under
// another context string, so neither key tells anything about the other.
SecureBytes reporter_wrap_key(const SecureBytes& pepper, ByteView case_salt,
                              const TrackingCode& code);
// The reporter's key to their own identity envelope, used only to move it
// when they escalate the case to another channel. Its own context string,
// so code that holds the wrap key (every status and follow-up route) still
// cannot open the identity: only the escalation derives this one.
SecureBytes reporter_identity_key(const SecureBytes& pepper, ByteView case_salt,
                                  const TrackingCode& code);

inline constexpr std::size_t kPepperBytes = 32;
inline constexpr std::size_t kCaseSaltBytes = 16;

}  // namespace krasip::crypto
