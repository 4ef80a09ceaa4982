// The retry schedule of the outbox and the format of an alert mail
// (issue 12, item 2).
#include <doctest/doctest.h>

#include <stdexcept>

#include "krasip/crypto/encoding.hpp"
#include "krasip/mail/backoff.hpp"
#include "krasip/mail/message_format.hpp"
#include "krasip/mail/smtp_client.hpp"

using namespace krasip;

TEST_CASE("mail backoff: 30 s doubling to the one-hour cap, and no overflow however many failures") {
  CHECK(mail::retry_delay_seconds(1) == 30);
  CHECK(mail::retry_delay_seconds(2) == 60);
  CHECK(mail::retry_delay_seconds(3) == 120);
  CHECK(mail::retry_delay_seconds(7) == 1920);
  CHECK(mail::retry_delay_seconds(8) == 3600);  // 3840 capped
  CHECK(mail::retry_delay_seconds(1000000) == 3600);
  CHECK(mail::retry_delay_seconds(0) == 30);
  // The test settings of serve: 1 s, at most 2 s.
  CHECK(mail::retry_delay_seconds(1, 1, 2) == 1);
  CHECK(mail::retry_delay_seconds(5, 1, 2) == 2);
}

TEST_CASE("mail format: Thai subject encoded, body in base64, no header injection through addresses") {
  const std::string subject = "Krasip: มีเรื่องร้องเรียนใหม่ / A new case ที่ยาวมากพอที่จะต้องแบ่งเป็นหลายคำ";
  const std::string body = "มีเรื่องร้องเรียนใหม่\nA new case\n";
  const auto m = mail::format_message("krasip@agency.example.go.th", "som@agency.example.go.th", subject,
                                      body, 1764300000);
  CHECK(m.find("From: <krasip@agency.example.go.th>\r\n") != std::string::npos);
  CHECK(m.find("To: <som@agency.example.go.th>\r\n") != std::string::npos);
  CHECK(m.find("Date: Fri, 28 Nov 2025 03:20:00 +0000\r\n") != std::string::npos);
  CHECK(m.find("Content-Type: text/plain; charset=UTF-8\r\n") != std::string::npos);
  // Headers are ASCII only; every line within SMTP's limit.
  const auto head = m.substr(0, m.find("\r\n\r\n"));
  for (const char c : head) CHECK(static_cast<unsigned char>(c) < 0x80);
  std::size_t start = 0;
  while (start < m.size()) {
    const auto end = m.find("\r\n", start);
    REQUIRE(end != std::string::npos);
    CHECK(end - start <= 78);
    start = end + 2;
  }
  // The encoded words decode back to the subject, split between characters.
  std::string decoded;
  std::size_t at = 0;
  while ((at = head.find("=?UTF-8?B?", at)) != std::string::npos) {
    const auto end = head.find("?=", at + 10);
    const auto part = crypto::from_base64(head.substr(at + 10, end - at - 10));
    REQUIRE(part);
    decoded.append(part->begin(), part->end());
    at = end;
  }
  CHECK(decoded == subject);
  const auto body64 = m.substr(m.find("\r\n\r\n") + 4);
  std::string joined;
  for (const char c : body64) {
    if (c != '\r' && c != '\n') joined += c;
  }
  const auto b = crypto::from_base64(joined);
  REQUIRE(b);
  CHECK(std::string(b->begin(), b->end()) == body);

  CHECK_THROWS_AS(mail::format_message("krasip@a.go.th", "x@y.z\r\nBcc: evil@x.org", "s", "b", 0),
                  std::invalid_argument);
  CHECK_FALSE(mail::valid_address("a b@c.d"));
  CHECK_FALSE(mail::valid_address("<a@c.d>"));
  CHECK_FALSE(mail::valid_address("a@b"));
  CHECK_FALSE(mail::valid_address("a@@b.c"));
  CHECK(mail::valid_address("first.last+alerts@agency.example.go.th"));
  CHECK(mail::valid_smtp_url("smtp://mail.example.go.th:587"));
  CHECK(mail::valid_smtp_url("smtps://127.0.0.1:465"));
  CHECK_FALSE(mail::valid_smtp_url("http://mail.example.go.th"));
  CHECK_FALSE(mail::valid_smtp_url("smtp://user:pw@mail.example.go.th"));
}
