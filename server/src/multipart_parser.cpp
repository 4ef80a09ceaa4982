#include "krasip/server/multipart_parser.hpp"

#include <algorithm>
#include <cctype>
#include <cstring>

namespace krasip::server {

namespace {

// RFC 2046 allows "transport padding" after a delimiter but sets no bound;
// anything longer than this is not a real client.
constexpr std::size_t kMaxTransportPadding = 64;

char lower(char c) { return static_cast<char>(std::tolower(static_cast<unsigned char>(c))); }

bool iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (lower(a[i]) != lower(b[i])) return false;
  }
  return true;
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

// Splits `; key=value; key="quoted \" value"` parameters after the first token.
// Calls f(key, value) for each; returns false on a broken quoted string.
template <typename F>
bool for_each_param(std::string_view s, F f) {
  std::size_t i = s.find(';');
  while (i != std::string_view::npos && i < s.size()) {
    ++i;
    while (i < s.size() && (s[i] == ' ' || s[i] == '\t')) ++i;
    const std::size_t eq = s.find('=', i);
    if (eq == std::string_view::npos) return true;
    const std::string_view key = trim(s.substr(i, eq - i));
    std::size_t j = eq + 1;
    while (j < s.size() && (s[j] == ' ' || s[j] == '\t')) ++j;
    std::string value;
    if (j < s.size() && s[j] == '"') {
      ++j;
      bool closed = false;
      for (; j < s.size(); ++j) {
        if (s[j] == '\\' && j + 1 < s.size()) {
          value.push_back(s[++j]);
        } else if (s[j] == '"') {
          closed = true;
          ++j;
          break;
        } else {
          value.push_back(s[j]);
        }
      }
      if (!closed) return false;
      i = s.find(';', j);
    } else {
      const std::size_t end = s.find(';', j);
      value = std::string(trim(s.substr(j, end == std::string_view::npos ? s.size() - j : end - j)));
      i = end;
    }
    f(key, std::move(value));
  }
  return true;
}

}  // namespace

std::optional<std::string> multipart_boundary(std::string_view content_type) {
  const std::string_view media = trim(content_type.substr(0, content_type.find(';')));
  if (!iequals(media, "multipart/form-data")) return std::nullopt;
  std::optional<std::string> boundary;
  const bool ok = for_each_param(content_type, [&](std::string_view k, std::string v) {
    if (iequals(k, "boundary")) boundary = std::move(v);
  });
  if (!ok || !boundary || boundary->empty() || boundary->size() > 70) return std::nullopt;
  for (char c : *boundary) {
    if (static_cast<unsigned char>(c) < 0x20 || static_cast<unsigned char>(c) > 0x7E) {
      return std::nullopt;
    }
  }
  return boundary;
}

const char* to_string(MultipartParser::Error e) {
  switch (e) {
    case MultipartParser::Error::none: return "none";
    case MultipartParser::Error::malformed: return "malformed";
    case MultipartParser::Error::header_too_large: return "header_too_large";
    case MultipartParser::Error::too_many_parts: return "too_many_parts";
    case MultipartParser::Error::missing_final_boundary: return "missing_final_boundary";
  }
  return "unknown";
}

MultipartParser::MultipartParser(std::string boundary, Callbacks callbacks,
                                 std::size_t max_header_bytes, std::size_t max_parts)
    : delimiter_("\r\n--" + boundary),
      cb_(std::move(callbacks)),
      max_header_bytes_(max_header_bytes),
      max_parts_(max_parts) {
  // The first delimiter may open the body without a CRLF before it: parse
  // as if the body began with one.
  buf_ = "\r\n";
}

MultipartParser::~MultipartParser() {
  // Part data passes through buf_: do not leave it in freed memory.
  std::fill(buf_.begin(), buf_.end(), '\0');
}

MultipartParser::Error MultipartParser::fail(Error e) {
  state_ = State::failed;
  error_ = e;
  std::fill(buf_.begin(), buf_.end(), '\0');
  buf_.clear();
  return e;
}

bool MultipartParser::parse_headers(std::string_view block, PartHeaders& out) {
  bool has_disposition = false;
  std::size_t pos = 0;
  while (pos < block.size()) {
    std::size_t eol = block.find("\r\n", pos);
    if (eol == std::string_view::npos) eol = block.size();
    const std::string_view line = block.substr(pos, eol - pos);
    pos = eol + 2;
    if (line.empty()) continue;
    const auto colon = line.find(':');
    if (colon == std::string_view::npos || colon == 0) return false;
    const std::string_view name = line.substr(0, colon);
    const std::string_view value = trim(line.substr(colon + 1));
    if (iequals(name, "content-disposition")) {
      if (!iequals(trim(value.substr(0, value.find(';'))), "form-data")) return false;
      has_disposition = true;
      const bool ok = for_each_param(value, [&](std::string_view k, std::string v) {
        if (iequals(k, "name")) {
          out.name = std::move(v);
        } else if (iequals(k, "filename")) {
          out.filename = std::move(v);
        }
      });
      if (!ok) return false;
    } else if (iequals(name, "content-type")) {
      out.content_type = std::string(value);
    }
  }
  return has_disposition && !out.name.empty();
}

MultipartParser::Error MultipartParser::feed(std::string_view bytes) {
  if (state_ == State::failed) return error_;
  if (state_ == State::epilogue) return Error::none;  // ignored, as RFC 2046 says
  buf_.append(bytes);
  std::size_t pos = 0;
  for (;;) {
    if (state_ == State::preamble) {
      const auto d = buf_.find(delimiter_, pos);
      if (d == std::string::npos) {
        // Keep only what could still be the start of a delimiter.
        const std::size_t keep = std::min(buf_.size() - pos, delimiter_.size() - 1);
        pos = buf_.size() - keep;
        break;
      }
      pos = d + delimiter_.size();
      state_ = State::after_delimiter;
    } else if (state_ == State::after_delimiter) {
      if (buf_.size() - pos < 2) break;
      if (buf_.compare(pos, 2, "--") == 0) {
        state_ = State::epilogue;
        pos = buf_.size();
        break;
      }
      // Transport padding (spaces, tabs) may follow a delimiter, then CRLF.
      // The padding limit is checked before anything else so that the answer
      // does not depend on how the body was split into chunks.
      std::size_t p = pos;
      while (p < buf_.size() && (buf_[p] == ' ' || buf_[p] == '\t')) ++p;
      if (p - pos > kMaxTransportPadding) return fail(Error::malformed);
      if (buf_.size() - p < 2) break;
      if (buf_.compare(p, 2, "\r\n") != 0) return fail(Error::malformed);
      pos = p + 2;
      if (++parts_ > max_parts_) return fail(Error::too_many_parts);
      state_ = State::headers;
    } else if (state_ == State::headers) {
      const auto end = buf_.find("\r\n\r\n", pos);
      // An empty header block ("\r\n" right away) is malformed for form-data.
      if (end == std::string::npos) {
        if (buf_.size() - pos > max_header_bytes_) return fail(Error::header_too_large);
        break;
      }
      if (end - pos > max_header_bytes_) return fail(Error::header_too_large);
      PartHeaders headers;
      if (!parse_headers(std::string_view(buf_).substr(pos, end - pos), headers)) {
        return fail(Error::malformed);
      }
      pos = end + 4;
      state_ = State::body;
      if (cb_.on_part_begin) cb_.on_part_begin(headers);
    } else if (state_ == State::body) {
      const auto d = buf_.find(delimiter_, pos);
      if (d == std::string::npos) {
        // Everything but a possible delimiter prefix at the end is data.
        const std::size_t avail = buf_.size() - pos;
        const std::size_t keep = std::min(avail, delimiter_.size() - 1);
        if (avail > keep && cb_.on_part_data) {
          cb_.on_part_data(std::string_view(buf_).substr(pos, avail - keep));
        }
        pos += avail - keep;
        break;
      }
      if (d > pos && cb_.on_part_data) cb_.on_part_data(std::string_view(buf_).substr(pos, d - pos));
      if (cb_.on_part_end) cb_.on_part_end();
      pos = d + delimiter_.size();
      state_ = State::after_delimiter;
    } else {
      break;
    }
  }
  // Drop what was consumed, zeroing it first: it may be file content.
  if (pos != 0) {
    std::memset(buf_.data(), 0, std::min(pos, buf_.size()));
    buf_.erase(0, pos);
  }
  return Error::none;
}

MultipartParser::Error MultipartParser::finish() {
  if (state_ == State::failed) return error_;
  if (state_ != State::epilogue) return fail(Error::missing_final_boundary);
  return Error::none;
}

}  // namespace krasip::server
