#pragma once
#include <atomic>
#include <chrono>
#include <stdexcept>
#include <string>

#include "krasip/crypto/secure_bytes.hpp"

namespace krasip::mail {

// One agency's SMTP server. `url` is smtp://host:port (STARTTLS when the
// server offers it; required with `require_tls`) or smtps://host:port (TLS
// from the first byte). The certificate is always verified.
struct SmtpConfig {
  std::string url;
  std::string from;
  std::string username;          // empty: no AUTH
  crypto::SecureBytes password;  // never logged, never in an error
  bool require_tls = false;
  std::chrono::seconds connect_timeout{10};
  std::chrono::seconds timeout{60};
};

// A failed send, with a short reason that holds no secret and no address
// (it is stored in the outbox and shown on the health page).
struct MailError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

// Sends one formatted message (format_message) to one recipient. Blocks up
// to the timeouts; returns early, with MailError, once `*abort` is set.
// Throws MailError on any failure.
void send_mail(const SmtpConfig& config, const std::string& to, const std::string& message,
               const std::atomic<bool>* abort = nullptr);

// "smtp://" or "smtps://", a host, an optional port, nothing else.
bool valid_smtp_url(const std::string& url);
// "scheme://host:port" of a valid URL, lower case, with the default port
// (25 for smtp, 465 for smtps) written out: two URLs name the same server
// when these are equal.
std::string smtp_server(const std::string& url);
// The URL's host is this machine (localhost, 127.0.0.0/8, ::1): mail to it
// never crosses a network.
bool smtp_on_loopback(const std::string& url);

}  // namespace krasip::mail
