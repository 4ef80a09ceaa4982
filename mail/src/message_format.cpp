#include "krasip/mail/message_format.hpp"

#include <ctime>
#include <stdexcept>

#include "krasip/crypto/encoding.hpp"

namespace krasip::mail {

namespace {

crypto::ByteView bytes_of(std::string_view s) {
  return {reinterpret_cast<const std::uint8_t*>(s.data()), s.size()};
}

// RFC 2047 encoded-words (at most 75 characters each), split between UTF-8
// characters (never inside one), folded onto continuation lines.
std::string encode_subject(std::string_view subject) {
  std::string out;
  std::size_t i = 0;
  while (i < subject.size()) {
    std::size_t n = 0;
    // 36 bytes make 48 base64 characters: "Subject: =?UTF-8?B?" + 48 + "?="
    // = 69, within the 78 characters a line should keep to.
    while (i + n < subject.size()) {
      std::size_t len = 1;
      const auto c = static_cast<unsigned char>(subject[i + n]);
      if (c >= 0xF0) len = 4;
      else if (c >= 0xE0) len = 3;
      else if (c >= 0xC0) len = 2;
      if (n + len > 36) break;
      n += len;
    }
    if (n == 0) n = subject.size() - i;  // malformed UTF-8: take the rest
    if (!out.empty()) out += "\r\n ";
    out += "=?UTF-8?B?" + crypto::to_base64(bytes_of(subject.substr(i, n))) + "?=";
    i += n;
  }
  return out;
}

std::string rfc5322_date(std::int64_t unix_time) {
  const std::time_t t = static_cast<std::time_t>(unix_time);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[64];
  std::strftime(buf, sizeof buf, "%a, %d %b %Y %H:%M:%S +0000", &tm);
  return buf;
}

}  // namespace

bool valid_address(std::string_view a) {
  if (a.empty() || a.size() > 254) return false;
  const auto at = a.find('@');
  if (at == 0 || at == std::string_view::npos || at != a.rfind('@') || at + 1 >= a.size()) return false;
  if (a.find('.', at) == std::string_view::npos) return false;
  for (const char ch : a) {
    const auto c = static_cast<unsigned char>(ch);
    if (c <= 0x20 || c >= 0x7F) return false;
    if (ch == '<' || ch == '>' || ch == '(' || ch == ')' || ch == ',' || ch == ';' ||
        ch == ':' || ch == '"' || ch == '\\' || ch == '[' || ch == ']') {
      return false;
    }
  }
  return true;
}

std::string format_message(std::string_view from, std::string_view to, std::string_view subject,
                           std::string_view body, std::int64_t unix_time) {
  if (!valid_address(from) || !valid_address(to)) throw std::invalid_argument("invalid mail address");
  const auto domain = from.substr(from.find('@') + 1);
  std::string m;
  m += "From: <" + std::string(from) + ">\r\n";
  m += "To: <" + std::string(to) + ">\r\n";
  m += "Subject: " + encode_subject(subject) + "\r\n";
  m += "Date: " + rfc5322_date(unix_time) + "\r\n";
  m += "Message-ID: <" + crypto::to_hex(crypto::random_bytes(16)) + "@" + std::string(domain) + ">\r\n";
  m += "MIME-Version: 1.0\r\n";
  m += "Content-Type: text/plain; charset=UTF-8\r\n";
  m += "Content-Transfer-Encoding: base64\r\n";
  m += "Auto-Submitted: auto-generated\r\n";
  m += "\r\n";
  const auto b64 = crypto::to_base64(bytes_of(body));
  for (std::size_t i = 0; i < b64.size(); i += 76) m += b64.substr(i, 76) + "\r\n";
  return m;
}

}  // namespace krasip::mail
