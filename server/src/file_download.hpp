#pragma once
// An evidence file sent as a download: to an investigator
// (GET /api/v1/cases/{n}/attachments/{id}) and to the reporter
// (POST /api/v1/status/attachments/{id}, issue 13 item 5).
#include <cctype>
#include <memory>
#include <stdexcept>
#include <string>
#include <string_view>

#include "krasip/cases/reporter/case_followups.hpp"
#include "krasip/server/http_types.hpp"

namespace krasip::server {

// An evidence file decrypted 64 KiB at a time as the connection sends it.
// The Content-Length comes from the file's authenticated metadata; a body
// that would not match it (or fails to decrypt) ends the connection.
class DecryptingBody : public ChunkSource {
 public:
  explicit DecryptingBody(cases::AttachmentDownload file) : file_(std::move(file)) {}
  const cases::AttachmentEntry& info() const { return file_.info(); }
  std::optional<std::span<const std::uint8_t>> next() override {
    auto piece = file_.next_chunk();  // throws DecryptError on tampering
    sent_ += piece ? piece->size() : 0;
    if (sent_ > info().size || (!piece && sent_ != info().size)) {
      throw std::runtime_error("the file does not match its recorded size");
    }
    return piece;
  }

 private:
  cases::AttachmentDownload file_;
  std::uint64_t sent_ = 0;
};

inline std::string percent_encode(std::string_view s) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (const char ch : s) {
    const auto c = static_cast<unsigned char>(ch);
    if (std::isalnum(c) != 0 || c == '.' || c == '-' || c == '_') {
      out.push_back(ch);
    } else {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 15];
    }
  }
  return out;
}

// Always a download, never rendered in Krasip's origin.
inline StreamedResponse download_response(cases::AttachmentDownload dl) {
  auto file = std::make_shared<DecryptingBody>(std::move(dl));
  const auto& info = file->info();
  StreamedResponse res;
  res.header.version(11);
  res.header.result(http::status::ok);
  res.header.set(http::field::content_type, "application/octet-stream");
  res.header.set(http::field::content_disposition,
                 "attachment; filename=\"evidence\"; filename*=UTF-8''" + percent_encode(info.filename));
  res.header.set("Content-Security-Policy", "sandbox; default-src 'none'");
  res.header.set(http::field::content_length, std::to_string(info.size));
  res.body = std::move(file);
  return res;
}

}  // namespace krasip::server
