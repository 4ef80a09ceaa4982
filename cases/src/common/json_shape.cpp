#include "krasip/cases/common/json_shape.hpp"

#include <boost/json.hpp>
#include <string>

#include "krasip/cases/common/case_error.hpp"

namespace krasip::cases {

namespace {

// A member's name as the message shows it: the client's own text, so kept
// short and printable (at most 64 bytes, whole UTF-8 characters).
std::string shown_name(std::string_view name) {
  constexpr std::size_t kMax = 64;
  std::string out;
  for (std::size_t i = 0; i < name.size() && out.size() < kMax; ++i) {
    const auto c = static_cast<unsigned char>(name[i]);
    if (c < 0x20 || c == 0x7f) {
      out += '?';
    } else if (c >= 0x80 && (c & 0xC0) != 0x80 && out.size() + 4 > kMax) {
      break;  // a multi-byte character that would not fit whole
    } else {
      out += static_cast<char>(c);
    }
  }
  if (out.size() < name.size()) out += "...";
  return out;
}

const JsonShape::Member& known(std::string_view key, const JsonShape& shape, const std::string& prefix) {
  if (const auto* m = shape.find(key)) return *m;
  const std::string path = prefix + shown_name(key);
  const std::string holder = prefix.empty() ? "this request" : prefix.substr(0, prefix.size() - 1);
  const std::string takes = shape.names().empty() ? "no field" : shape.names();
  throw CaseError(ErrorCode::unknown_field, "unknown field " + path + ": " + holder + " takes " + takes, path);
}

void check(const boost::json::object& o, const JsonShape& shape, const std::string& prefix) {
  for (const auto& kv : o) {
    const auto* m = &known(std::string_view(kv.key().data(), kv.key().size()), shape, prefix);
    if (m->nested != nullptr && kv.value().is_object()) {
      check(kv.value().get_object(), *m->nested, prefix + std::string(m->name) + ".");
    }
  }
}

}  // namespace

const JsonShape::Member* JsonShape::find(std::string_view name) const {
  for (const auto& m : members_) {
    if (m.name == name) return &m;
  }
  return nullptr;
}

std::string JsonShape::names() const {
  std::string out;
  for (const auto& m : members_) {
    if (!out.empty()) out += ", ";
    out += m.name;
  }
  return out;
}

const JsonShape& no_members() {
  static const JsonShape none{};
  return none;
}

void refuse_unknown_members(const boost::json::value& value, const JsonShape& shape) {
  if (const auto* o = value.if_object()) check(*o, shape, "");
}

void refuse_unknown_member(std::string_view name, const JsonShape& shape) { (void)known(name, shape, ""); }

}  // namespace krasip::cases
