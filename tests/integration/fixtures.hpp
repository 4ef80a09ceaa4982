#pragma once
#include <boost/json.hpp>
#include <string>

#include "http_client.hpp"

namespace krasip::test {

// Distinctive strings: if any of them shows up in a file, a secret leaked.
inline constexpr const char* kDescription =
    "ปลัดสมศักดิ์เรียกรับเงินสองหมื่นบาทแลกกับใบอนุญาตก่อสร้าง ZEBRA-7731 วันที่สิบห้า";
inline constexpr const char* kReporterName = "นางสาวพิมพ์ชนก ลับสุดยอด";
inline constexpr const char* kNationalId = "1103700012346";  // valid checksum
inline constexpr const char* kPhone = "0819998877";
inline constexpr const char* kEmail = "whistle.secret@example.org";

inline boost::json::object complaint(bool with_identity) {
  boost::json::object o{
      {"category", "bribery"},
      {"subject", {{"name", "นายสมศักดิ์ ตัวอย่าง"}, {"position", "ปลัด อบต."}, {"unit", "สำนักปลัด"}}},
      {"description", kDescription},
      {"incident_date", "2025-03-15"},
      {"location", "ที่ทำการ อบต.หนองไฮ"},
      {"accept_terms", true},
  };
  if (with_identity) {
    o["identity"] = {{"name", kReporterName}, {"national_id", kNationalId}, {"phone", kPhone},
                     {"email", kEmail}, {"address", "99 หมู่ 1 ต.หนองไฮ"}};
  } else {
    o["identity"] = nullptr;
  }
  return o;
}

inline boost::json::value parse(const HttpResult& r) { return boost::json::parse(r.body); }

inline std::string error_code(const HttpResult& r) {
  const auto v = boost::json::parse(r.body);
  return std::string(v.at("error").at("code").as_string());
}

inline std::string error_field(const HttpResult& r) {
  const auto v = boost::json::parse(r.body);
  const auto* f = v.at("error").as_object().if_contains("field");
  return f != nullptr ? std::string(f->as_string()) : std::string();
}

}  // namespace krasip::test
