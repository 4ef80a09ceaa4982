#pragma once
// The body of a plain HTML form (application/x-www-form-urlencoded), for the
// pages that work without JavaScript (issue 22). Field names are the JSON
// API's paths ("subject.name"), so a form becomes the same JSON body the
// scripts send and goes through the same validation.
#include <map>
#include <string>
#include <string_view>

#include "krasip/server/http_types.hpp"

namespace krasip::server {

class FormFields {
 public:
  // Throws HttpError 415 for another content type, 400 for a malformed
  // body, more than 64 fields or a name given twice; CaseError invalid_utf8
  // for text that is not UTF-8.
  static FormFields parse(const Request& req);
  static FormFields parse_body(std::string_view body);

  // The value, or empty when absent.
  const std::string& get(std::string_view name) const;
  bool has(std::string_view name) const { return values_.find(std::string(name)) != values_.end(); }
  // Wipes a secret (the tracking code) in place.
  void wipe(std::string_view name);
  ~FormFields();
  FormFields() = default;
  FormFields(FormFields&&) = default;
  FormFields& operator=(FormFields&&) = default;

 private:
  std::map<std::string, std::string, std::less<>> values_;
};

}  // namespace krasip::server
